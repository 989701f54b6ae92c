//! The containment rule against the `url` crate's WHATWG resolution. For an arbitrary string used
//! as a server's `next` URL, as a raw call's path, and as a record id, whenever the client would
//! send (`Config::target` is Ok) the URL the `url` crate resolves must be under the base, judged
//! by the crate's own accessors: same scheme, host and port, no credentials, the base path or
//! below. An id must stay exactly one segment that decodes back to the id.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use toky_wasm::args::Arg;
use toky_wasm::request::{self, Config};
use toky_wasm::{agents, webhooks};
use toky_wasm_fuzz::{config, resolve, under};

const BASES: [&str; 4] = ["http://127.0.0.1:8080/toky/v1", "https://api.example.com/v1/", "http://localhost:9/", "http://[::1]:8080/a%2Fb/v1"];

fn check(cfg: &Config, base: &url::Url, what: &str, input: &str, plan: &request::Plan) -> Option<url::Url> {
    let href = cfg.target(plan, &resolve).ok()?;
    // What fetch would be given: the plan's URL, resolved by the url crate on its own.
    let u = url::Url::parse(&plan.url).unwrap_or_else(|e| panic!("{what} {input:?}: sent to {href}, but the url crate cannot parse {} ({e})", plan.url));
    assert_eq!(u.as_str(), href, "{what} {input:?}: the client and the url crate resolve differently");
    assert!(under(base, &u), "{what} {input:?}: sent to {u}, which is not under {base}");
    assert!(u.fragment().is_none(), "{what} {input:?}: a fragment in {u}");
    Some(u)
}

/// Each base's client and its URL, made once.
static CLIENTS: LazyLock<Vec<(Config, url::Url)>> =
    LazyLock::new(|| BASES.iter().map(|b| (config(b), url::Url::parse(b).unwrap_or_else(|e| panic!("{b}: {e}")))).collect());

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let Some((cfg, base)) = CLIENTS.get(usize::from(sel) % BASES.len()) else { return };
    let s = String::from_utf8_lossy(rest);

    // A `next` URL from the server.
    let Ok(list) = agents::list(cfg, &[], false) else { panic!("agents.list") };
    check(cfg, base, "next", &s, &list.next(&s));

    // A raw call's path (relative or absolute).
    if let Ok(plan) = request::raw(cfg, &[("path".to_string(), Arg::Str(s.to_string()))]) {
        check(cfg, base, "raw path", &s, &plan);
    }

    // A record id: exactly one segment under /webhooks, which decodes back to the id.
    if let Ok(plan) = webhooks::delete(cfg, &[("id".to_string(), Arg::Str(s.to_string()))]) {
        if let Some(u) = check(cfg, base, "id", &s, &plan) {
            let path = u.path();
            let (dir, seg) = path.rsplit_once('/').unwrap_or_else(|| panic!("no segment in {path}"));
            assert_eq!(dir, format!("{}/webhooks", base.path().trim_end_matches('/')), "id {s:?}: not directly under /webhooks: {u}");
            let decoded = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
            assert_eq!(decoded, s, "id {s:?}: the segment {seg} does not decode back to it");
        }
    }
});
