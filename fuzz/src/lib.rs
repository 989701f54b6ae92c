//! What the fuzz targets share: the host's WHATWG URL resolution (the `url` crate standing in for
//! `web_sys::Url`, as in the core's unit tests) and a client configuration.

use toky_wasm::args::Arg;
use toky_wasm::request::{Config, Env, UrlParts};

/// The API key of every fuzzed client. Long (more than 40 characters, so `args::got` would never
/// quote it even if it were an input) and never compared with anything, so the fuzzer has no way
/// to learn it: if it shows up in an error, the core put it there.
pub const API_KEY: &str = "sk-fuzz-3f9a1c7e5b2d4086a1e9c3b7d5f20864-SECRET";

/// Resolves `input` (against `base` if given) with the `url` crate, into the parts JS's `URL` has.
pub fn resolve(input: &str, base: Option<&str>) -> Option<UrlParts> {
    let u = match base {
        Some(b) => url::Url::parse(b).ok()?.join(input).ok()?,
        None => url::Url::parse(input).ok()?,
    };
    let host = match (u.host_str(), u.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    };
    Some(UrlParts {
        href: u.as_str().to_string(),
        protocol: format!("{}:", u.scheme()),
        username: u.username().to_string(),
        password: u.password().unwrap_or("").to_string(),
        hostname: u.host_str().unwrap_or("").to_string(),
        host,
        pathname: u.path().to_string(),
        search: u.query().map(|q| format!("?{q}")).unwrap_or_default(),
        hash: u.fragment().map(|f| format!("#{f}")).unwrap_or_default(),
    })
}

/// A client on `base` with [`API_KEY`].
pub fn config(base: &str) -> Config {
    let o = vec![("apiKey".to_string(), Arg::Str(API_KEY.into())), ("baseUrl".to_string(), Arg::Str(base.into()))];
    match Config::new(&o, &Env { browser_main_thread: false }, &resolve) {
        Ok(c) => c,
        Err(e) => panic!("the fuzz base {base} is refused: {}", e.message),
    }
}

/// The base every target uses unless it varies the base itself: one with a path.
pub const BASE: &str = "http://127.0.0.1:8080/toky/v1";

/// Whether `u` is under `base` by the `url` crate's own accessors, not the core's `contains`:
/// the same scheme, host and port (default ports made explicit), no credentials, and a path that
/// is the base path or below it.
pub fn under(base: &url::Url, u: &url::Url) -> bool {
    let base_path = base.path().trim_end_matches('/');
    u.scheme() == base.scheme()
        && u.host_str() == base.host_str()
        && u.port_or_known_default() == base.port_or_known_default()
        && u.username().is_empty()
        && u.password().is_none()
        && (u.path() == base_path || u.path() == format!("{base_path}/") || u.path().starts_with(&format!("{base_path}/")))
}
