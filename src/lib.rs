//! toky-wasm: a Toky API client. This crate's core (everything but `wasm/`) is sans-IO: it plans
//! requests and interprets responses as plain data, so it is tested with `cargo test` on the host.
//! `wasm/` performs the plans with gloo-net and `fetch` and is the only part that knows about JS.

pub mod args;
pub mod decided;
pub mod error;
pub mod events;
pub mod loose;
#[cfg(any(test, feature = "once"))]
pub mod once;
mod page;
pub mod paging;
pub mod records;
pub mod request;
pub mod retry;
pub mod segments;
pub mod time;
pub mod watch;

pub mod agents;
pub mod calls;
pub mod contacts;
pub mod sms;
pub mod voicemails;
pub mod webhooks;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

use args::Arg;
use error::Error;
use request::Config;


/// The options of one call, checked, over the client's defaults.
#[derive(Debug, PartialEq)]
pub struct CallOptions {
    pub timeout_ms: u64,
    pub max_retries: u64,
    /// `sms.send` only: look a lost answer up in the SMS history (default true).
    pub reconcile: bool,
}

/// Call options (`timeoutMs`, `maxRetries`, and `reconcile` for `sms.send`; `signal` is the
/// wasm layer's) of one call, over the client's defaults.
pub fn call_options(cfg: &Config, o: Option<&Arg>, sms_send: bool) -> Result<CallOptions, Error> {
    let o = args::object(o, "options", true)?;
    args::only(o, if sms_send { &["signal", "timeoutMs", "maxRetries", "reconcile"] } else { &["signal", "timeoutMs", "maxRetries"] })?;
    Ok(CallOptions {
        timeout_ms: args::int(o, "timeoutMs", 1, 600_000)?.unwrap_or(cfg.timeout_ms),
        max_retries: args::int(o, "maxRetries", 0, decided::MAX_RETRIES_LIMIT)?.unwrap_or(cfg.max_retries),
        reconcile: args::boolean(o, "reconcile")?.unwrap_or(true),
    })
}

/// `smsSegments(text)` as JSON.
pub fn segments_json(text: &str) -> String {
    serde_json::to_string(&segments::count(text)).unwrap_or_default()
}

#[cfg(test)]
mod tests;
