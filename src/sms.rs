//! Text messages: sending ([SEEN] `POST /sms/send`) and history (newest first). Sending is not
//! idempotent: the plan is marked unsafe to retry, and the wasm layer never re-sends it.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::args::{self, Obj};
use crate::decided;
use crate::error::Error;
use crate::json::{self, Kind, Shape};
use crate::paging::{self, Paging};
use crate::request::{Config, Decode, Plan};

/// `{id, from, to, text, direction, agent, created_at}`.
pub const SMS: Shape = &[("id", Kind::Id), ("created_at", Kind::Time)];
/// `{success, id, segments}` as `/sms/send` answers.
pub const SENT: Shape = &[("success", Kind::Bool), ("id", Kind::Id), ("segments", Kind::Num)];

/// [DECIDED] Longest text accepted: 10 concatenated UCS-2 parts is well past what carriers
/// deliver reliably; a longer text is almost certainly a bug in the caller.
pub const MAX_TEXT: usize = 1600;

pub fn send(cfg: &Config, o: &Obj) -> Result<Plan, Error> {
    let input = args::object(args::get(o, "input"), "input", false)?;
    args::only(input, &["from", "to", "text", "agent"])?;
    let from = args::phone(input, "from", true)?.unwrap_or_default();
    let to = args::phone(input, "to", true)?.unwrap_or_default();
    let text = args::text(input, "text", true, MAX_TEXT)?.unwrap_or_default();
    let agent = args::email(input, "agent", false)?;
    let mut body = String::with_capacity(48 + text.len());
    body.push_str("{\"from\":");
    json::write_str(&mut body, from);
    body.push_str(",\"to\":");
    json::write_str(&mut body, to);
    body.push_str(",\"text\":");
    json::write_str(&mut body, text);
    if let Some(a) = agent {
        body.push(',');
        json::write_str(&mut body, decided::SMS_AGENT_FIELD);
        body.push(':');
        json::write_str(&mut body, a);
    }
    body.push('}');
    Ok(Plan::new(cfg, &decided::SMS_SEND, None, Decode::Object(SENT)).body(body))
}

pub fn list(cfg: &Config, o: &Obj, iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::SMS_LIST, SMS, o, Paging { iterate, dates: true })
}
