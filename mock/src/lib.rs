//! toky-mock: a faithful local fake of the Toky REST API (see mock/README.md), as a library
//! with two front ends: the native server (`server`, `proxy`, the `toky-mock` binary) and, on
//! wasm32, the in-process mock of the npm package (`wasm`). Both call `pipeline::handle`.

mod api;
mod control;
pub mod data;
mod error;
mod events;
mod extract;
mod filter;
mod input;
mod openapi;
pub mod pipeline;
mod prng;
mod runtime;
mod segments;
pub mod state;
mod time;
mod util;
mod wav;

#[cfg(not(target_arch = "wasm32"))]
mod proxy;
#[cfg(not(target_arch = "wasm32"))]
pub mod server;
#[cfg(target_arch = "wasm32")]
mod wasm;

/// The TypeScript declarations of the control API's values (faults, journal entries,
/// deliveries, events), generated from the Rust types above with their `///` docs as JSDoc.
/// `scripts/build-mock.sh` puts them into the package's `index.d.ts`.
#[cfg(not(target_arch = "wasm32"))]
pub fn typescript() -> String {
    use ts_rs::{Config, TS};
    // Every integer here is far below 2^53, so a JS number, not a bigint.
    let cfg = Config::new().with_large_int("number");
    let decls = [
        control::FaultSpec::decl(&cfg),
        control::RetryAfter::decl(&cfg),
        state::FaultKind::decl(&cfg),
        state::Fault::decl(&cfg),
        state::JournalEntry::decl(&cfg),
        state::Delivery::decl(&cfg),
        control::EventSpec::decl(&cfg),
        control::Simulated::decl(&cfg),
        input::Loose::decl(&cfg),
        serde_json::Value::decl(&cfg),
    ];
    let docs = [
        control::FaultSpec::docs(),
        control::RetryAfter::docs(),
        state::FaultKind::docs(),
        state::Fault::docs(),
        state::JournalEntry::docs(),
        state::Delivery::docs(),
        control::EventSpec::docs(),
        control::Simulated::docs(),
        input::Loose::docs(),
        Some("/** Any JSON value. */\n".to_string()),
    ];
    let mut out = String::new();
    for (decl, doc) in decls.iter().zip(docs) {
        if let Some(doc) = doc {
            out.push_str(&doc);
        }
        out.push_str("export ");
        out.push_str(decl);
        out.push('\n');
    }
    out
}
