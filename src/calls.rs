//! Calls: call detail records [DOC] and their recordings [SEEN].

use crate::args::{self, Arg, Id};
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Decode, Plan};

crate::record! {
    /// A call record (CDR), as `calls.list` and `calls.watch` return it; fields the client does
    /// not declare pass through as sent.
    pub struct CallRecord {
        /// The call record's id.
        id: Id,
        /// The call's id (`calls.recording` takes it).
        callid: Id,
        /// The caller's number.
        from: Pass => ": Phone | null",
        /// The number called.
        to_number: Pass => ": Phone | null",
        /// The caller's country, ISO 3166 alpha-2.
        country: Pass => ": string | null",
        /// The caller id shown on an outbound call.
        caller_id_used: Pass => ": Phone | null",
        /// The Toky number an inbound call came in on.
        received_on_number: Pass => "?: Phone | null",
        /// When the call started: what `calls.list`'s `since`/`until` and `calls.watch` order by.
        init_dt: Time,
        /// When the call was answered.
        start_time: Time,
        /// When the call ended; null if it has not.
        end_time: Time,
        /// Length in seconds.
        duration: Num,
        /// The agent who handled the call.
        agent_id: Pass => ": string | null",
        /// The agent an inbound call was routed to.
        to_agent: Pass => "?: string | null",
        /// "inbound", "outbound", or another value Toky may add.
        direction: Pass => ": \"inbound\" | \"outbound\" | string",
        /// Whether the call was made from the web app (`"no"`/`"yes"` on the wire).
        web_call: Bool,
        /// SIP-like: 200 completed, 486 busy, 487 cancelled, 480 unavailable, 408 timeout, ...
        disposition_code: Num,
        /// The IVR key the caller pressed (a string: keys include `*` and `#`).
        ivr_option_pressed: Pass => ": string | null",
    }
}

crate::record! {
    /// Where a call's audio is, as `calls.recording` returns it.
    pub struct Recording {
        /// URL of the call's audio.
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
