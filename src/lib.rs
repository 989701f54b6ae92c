//! toky-wasm: a Toky API client. This crate's core (everything but `wasm/`) is sans-IO: it plans
//! requests and interprets responses as plain data, so it is tested with `cargo test` on the host.
//! `wasm/` performs the plans with `fetch` and is the only part that knows about JS.

#![cfg_attr(all(target_arch = "wasm32", feature = "tiny"), no_std)]

extern crate alloc;

/// What std's prelude gives, for the no_std build.
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec::Vec;
}

#[cfg(all(target_arch = "wasm32", feature = "tiny"))]
#[global_allocator]
static ALLOC: heap::global::Global = heap::global::Global::new();

/// A panic is a bug, never a response to input; trapping without formatting a message keeps
/// core::fmt out of the binary.
#[cfg(all(target_arch = "wasm32", feature = "tiny"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

pub mod args;
pub mod decided;
pub mod error;
pub mod events;
pub mod heap;
pub mod json;
pub mod paging;
pub mod request;
pub mod retry;
pub mod segments;
pub mod time;

pub mod agents;
pub mod calls;
pub mod contacts;
pub mod sms;
pub mod voicemails;
pub mod webhooks;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

use error::{Error, ErrorKind};
use prelude::*;
use request::{Config, Plan};

/// Plans one operation from the arguments the JS skin sent (as JSON). `op` is the method's
/// name on the JS surface (`contacts.get`); `*.iterate` plans the first page of an iteration.
pub fn plan(cfg: &Config, op: &str, input: &str) -> Result<Plan, Error> {
    let v = json::parse(input)
        .map_err(|_| Error::new(ErrorKind::Validation, "the arguments could not be read as JSON").op(op))?;
    let o = args::object(Some(&v), "arguments", false).map_err(|e| e.op(op))?;
    // list/iterate take one object of query parameters; the skin sends it as `query` so that a
    // wrong type is reported as such.
    let q = |iterate: bool| -> Result<(&args::Obj, bool), Error> {
        Ok((args::object(args::get(o, "query"), "query", true)?, iterate))
    };
    let r = match op {
        "agents.list" | "agents.iterate" => q(op.ends_with("iterate")).and_then(|(q, i)| agents::list(cfg, q, i)),
        "contacts.list" | "contacts.iterate" => q(op.ends_with("iterate")).and_then(|(q, i)| contacts::list(cfg, q, i)),
        "contacts.get" => contacts::get(cfg, o),
        "contacts.create" => contacts::create(cfg, o),
        "contacts.update" => contacts::update(cfg, o),
        "sms.send" => sms::send(cfg, o),
        "sms.list" | "sms.iterate" => q(op.ends_with("iterate")).and_then(|(q, i)| sms::list(cfg, q, i)),
        "voicemails.list" | "voicemails.iterate" => q(op.ends_with("iterate")).and_then(|(q, i)| voicemails::list(cfg, q, i)),
        "voicemails.get" => voicemails::get(cfg, o),
        "calls.list" | "calls.iterate" => q(op.ends_with("iterate")).and_then(|(q, i)| calls::list(cfg, q, i)),
        "calls.recording" => calls::recording(cfg, o),
        "webhooks.create" => webhooks::create(cfg, o),
        "webhooks.list" | "webhooks.iterate" => q(op.ends_with("iterate")).and_then(|(q, i)| webhooks::list(cfg, q, i)),
        "webhooks.delete" => webhooks::delete(cfg, o),
        "request" => args::object(args::get(o, "input"), "input", false).and_then(|i| request::raw(cfg, i)),
        _ => Err(Error::new(ErrorKind::Validation, "unknown operation")),
    };
    r.map_err(|e| e.op(op))
}

/// Call options (`timeoutMs`, `maxRetries`) of one call, over the client's defaults.
pub fn call_options(cfg: &Config, input: &str) -> Result<(u64, u64), Error> {
    let v = json::parse(input).map_err(|_| Error::field("options", "expected an object"))?;
    let o = args::object(Some(&v), "options", true)?;
    args::only(o, &["signal", "timeoutMs", "maxRetries"])?;
    let timeout = args::int(o, "timeoutMs", 1, 600_000)?.unwrap_or(cfg.timeout_ms);
    let retries = args::int(o, "maxRetries", 0, decided::MAX_RETRIES_LIMIT)?.unwrap_or(cfg.max_retries);
    Ok((timeout, retries))
}

/// `parseWebhookEvent(body, options)`: one webhook delivery as typed JSON (see `events`).
pub fn parse_event_json(body: &str, options: &str) -> Result<String, Error> {
    events::parse(body, options).map_err(|e| e.op("parseWebhookEvent"))
}

/// `smsSegments(text)` as JSON.
pub fn segments_json(text: &str) -> String {
    let s = segments::count(text);
    let mut o = String::from("{\"encoding\":");
    json::write_str(&mut o, s.encoding.name());
    for (k, n) in [
        ("characters", s.characters),
        ("segments", s.segments),
        ("perSegment", s.per_segment),
        ("remaining", s.remaining),
    ] {
        o.push_str(",\"");
        o.push_str(k);
        o.push_str("\":");
        error::push_u64(&mut o, n as u64);
    }
    o.push('}');
    o
}

#[cfg(test)]
mod tests;
