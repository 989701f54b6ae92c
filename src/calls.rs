//! Calls: call detail records [DOC] and their recordings [SEEN].

use crate::args::{self, Arg, Id};
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Decode, Plan};

crate::record! {
    /// `{id, callid, from, to_number, country, caller_id_used, received_on_number, init_dt,
    /// start_time, end_time, duration, agent_id, to_agent, direction, web_call, disposition_code,
    /// ivr_option_pressed}`. `ivr_option_pressed` stays a string: keys include `*` and `#`.
    pub struct CallRecord {
        id: Id,
        callid: Id,
        from: Pass => ": Phone | null",
        to_number: Pass => ": Phone | null",
        country: Pass => ": string | null",
        caller_id_used: Pass => ": Phone | null",
        received_on_number: Pass => "?: Phone | null",
        init_dt: Time,
        start_time: Time,
        end_time: Time,
        duration: Num,
        agent_id: Pass => ": string | null",
        to_agent: Pass => "?: string | null",
        direction: Pass => ": \"inbound\" | \"outbound\" | string",
        web_call: Bool,
        /// SIP-like: 200 completed, 486 busy, 487 cancelled, 480 unavailable, 408 timeout, ...
        disposition_code: Num,
        ivr_option_pressed: Pass => ": string | null",
    }
}

crate::record! {
    /// `{url}` of the call's audio.
    pub struct Recording {
        url: Pass => ": string",
    }
}

pub fn list(cfg: &Config, o: &[(String, Arg)], iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::CALLS_LIST, Kind::CallRecord, o, Paging { iterate, dates: true })
}

pub fn recording(cfg: &Config, o: &[(String, Arg)]) -> Result<Plan, Error> {
    args::only(o, &["callid"])?;
    let callid: Id = args::required(o, "callid")?;
    Ok(Plan::new(cfg, &decided::CALLS_RECORDING, Some(&callid), Decode::Object(Kind::Recording)))
}
