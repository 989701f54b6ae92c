//! Calls: call detail records [DOC] and their recordings [SEEN].

#[allow(unused_imports)]
use crate::prelude::*;

use crate::args::{self, Obj};
use crate::decided;
use crate::error::Error;
use crate::json::{Kind, Shape};
use crate::paging::{self, Paging};
use crate::request::{Config, Decode, Plan};

/// `{id, callid, from, to_number, country, caller_id_used, received_on_number, init_dt,
/// start_time, end_time, duration, agent_id, to_agent, direction, web_call, disposition_code,
/// ivr_option_pressed}`. `ivr_option_pressed` stays a string: keys include `*` and `#`.
pub const CDR: Shape = &[
    ("id", Kind::Id),
    ("duration", Kind::Num),
    ("disposition_code", Kind::Num),
    ("web_call", Kind::Bool),
    ("init_dt", Kind::Time),
    ("start_time", Kind::Time),
    ("end_time", Kind::Time),
];

/// `{url}` of the call's audio.
pub const RECORDING: Shape = &[];

pub fn list(cfg: &Config, o: &Obj, iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::CALLS_LIST, CDR, o, Paging { iterate, dates: true })
}

pub fn recording(cfg: &Config, o: &Obj) -> Result<Plan, Error> {
    args::only(o, &["callid"])?;
    let callid = args::id(o, "callid")?;
    Ok(Plan::new(cfg, &decided::CALLS_RECORDING, Some(callid), Decode::Object(RECORDING)))
}
