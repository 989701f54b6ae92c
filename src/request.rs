//! Planning requests and interpreting responses, as plain data: the client configuration, URL
//! building (every phone or id becomes exactly one percent-encoded path segment), the
//! same-origin rule that keeps the API key home, and the mapping of a response to a value or an
//! error. No I/O happens here; `src/wasm/` performs what a `Plan` says.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::args::{self, Obj};
use crate::decided::{self, Route};
use crate::error::{push_u64, Error, ErrorKind};
use crate::json::{self, DecodeError, Shape, Value};

/// What the JS constructor was given, checked.
pub struct Config {
    /// `scheme://host[:port]`, lower-cased, default port dropped.
    origin: String,
    /// The base path without a trailing slash (`/v1`), possibly empty.
    base_path: String,
    api_key: String,
    pub timeout_ms: u64,
    pub max_retries: u64,
    headers: Vec<(String, String)>,
}

/// Facts about the JS runtime the wasm layer observed.
pub struct Env {
    pub browser_main_thread: bool,
}

const CONFIG_KEYS: [&str; 6] = ["apiKey", "baseUrl", "timeoutMs", "maxRetries", "headers", "allowBrowser"];

impl Config {
    pub fn from_json(input: &str, env: &Env) -> Result<Config, Error> {
        let v = json::parse(input).map_err(|_| Error::field("options", "expected an object"))?;
        let o = args::object(Some(&v), "options", true)?;
        args::only(o, &CONFIG_KEYS)?;
        // The key's value is never quoted back: `got` would print it.
        let api_key = match args::get(o, "apiKey") {
            Some(Value::Str(k)) if !k.trim().is_empty() => k,
            Some(Value::Str(_)) => return Err(Error::field("apiKey", "expected your Toky API key, got an empty string")),
            None => return Err(Error::field("apiKey", "required: your Toky API key (dashboard: profile icon, API Keys)")),
            Some(other) => {
                let mut m = String::from("expected a string, got ");
                m.push_str(other.type_name());
                return Err(Error::field("apiKey", &m));
            }
        };
        if api_key.chars().any(|c| c.is_control() || !c.is_ascii()) {
            return Err(Error::field("apiKey", "contains characters an HTTP header cannot carry (control or non-ASCII)"));
        }
        let base = args::string(o, "baseUrl", false, "expected an absolute http(s) URL like https://api.toky.co/v1")?
            .unwrap_or(decided::DEFAULT_BASE_URL);
        let (origin, base_path) = split_base(base).ok_or_else(|| {
            Error::field("baseUrl", &args::got("expected an absolute http(s) URL without query or fragment, like https://api.toky.co/v1", args::get(o, "baseUrl")))
        })?;
        let timeout_ms = args::int(o, "timeoutMs", 1, 600_000)?.unwrap_or(decided::DEFAULT_TIMEOUT_MS);
        let max_retries = args::int(o, "maxRetries", 0, decided::MAX_RETRIES_LIMIT)?.unwrap_or(decided::DEFAULT_MAX_RETRIES);
        let headers = extra_headers(args::get(o, "headers"), "headers")?;
        let allow_browser = args::boolean(o, "allowBrowser")?.unwrap_or(false);
        let host = host_of(&origin);
        let real = host == decided::REAL_HOST || host.ends_with(".toky.co");
        if env.browser_main_thread && real && !allow_browser {
            return Err(Error::field(
                "baseUrl",
                "calling api.toky.co from a web page puts your API key in every visitor's hands. \
                 Route calls through a server that holds the key (run `toky-mock --upstream https://api.toky.co/v1` \
                 with TOKY_API_KEY set, or your own backend) and point baseUrl at it; pass allowBrowser: true only \
                 if this page never reaches anyone but you",
            ));
        }
        Ok(Config {
            origin,
            base_path,
            api_key: api_key.clone(),
            timeout_ms,
            max_retries,
            headers,
        })
    }

    pub fn base(&self) -> String {
        let mut s = self.origin.clone();
        s.push_str(&self.base_path);
        s
    }

    /// The URL of a route, with `seg` (if any) as its one encoded path segment.
    fn url(&self, route: &Route, seg: Option<&str>) -> String {
        let mut u = self.base();
        match (split2(route.path, "{}"), seg) {
            (Some((before, after)), Some(s)) => {
                u.push_str(before);
                encode_segment(&mut u, s);
                u.push_str(after);
            }
            _ => u.push_str(route.path),
        }
        u
    }

    /// `text` with every occurrence of the key masked: for messages that come from outside the
    /// core (a custom fetch's exception) and so might echo request headers.
    pub fn redact(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((before, after)) = split2(rest, &self.api_key) {
            out.push_str(before);
            out.push_str("[redacted]");
            rest = after;
        }
        out.push_str(rest);
        out
    }

    /// Whether `url` is under this client's base (same origin and base path): the only place
    /// the key may be sent.
    pub fn owns(&self, url: &str) -> bool {
        let Some((origin, rest)) = split_origin(url) else { return false };
        if origin != self.origin || url.chars().any(|c| c.is_whitespace() || c.is_control()) || rest.contains('#') {
            return false;
        }
        match rest.strip_prefix(self.base_path.as_str()) {
            Some(tail) => tail.is_empty() || tail.starts_with('/') || tail.starts_with('?'),
            None => false,
        }
    }
}

/// `s` split around the first `sep`. A byte search rather than `str::split_once(&str)`, whose
/// two-way searcher links panic formatting into the wasm (about 5 KB).
pub fn split2<'a>(s: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let n = sep.len();
    if n == 0 {
        return None;
    }
    let i = s.as_bytes().windows(n).position(|w| w == sep.as_bytes())?;
    Some((s.get(..i)?, s.get(i + n..)?))
}

/// `scheme://authority` (normalised) and the path after it.
fn split_origin(url: &str) -> Option<(String, &str)> {
    let (scheme, rest) = split2(url, "://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let path = rest.get(end..)?;
    if authority.is_empty() || authority.contains('@') || authority.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let mut authority = authority.to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    if authority.ends_with(default_port) {
        authority.truncate(authority.len() - default_port.len());
    }
    if authority.starts_with(':') || authority.is_empty() {
        return None;
    }
    let mut origin = scheme;
    origin.push_str("://");
    origin.push_str(&authority);
    Some((origin, path))
}

fn split_base(url: &str) -> Option<(String, String)> {
    let (origin, path) = split_origin(url)?;
    if path.contains(['?', '#']) || path.split('/').any(|s| s == "." || s == "..") {
        return None;
    }
    Some((origin, path.trim_end_matches('/').to_string()))
}

fn host_of(origin: &str) -> &str {
    let a = split2(origin, "://").map(|(_, a)| a).unwrap_or(origin);
    if a.starts_with('[') {
        return a.split_once(']').map(|(h, _)| h).unwrap_or(a);
    }
    a.split(':').next().unwrap_or(a)
}

fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'~'
}

fn push_pct(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[(b >> 4) as usize] as char);
    out.push(HEX[(b & 15) as usize] as char);
}

/// Percent-encodes everything but letters, digits, `-`, `_` and `~`. Dots are encoded too, so
/// an id of `..` can never climb out of its path.
pub fn encode_segment(out: &mut String, s: &str) {
    for b in s.bytes() {
        if unreserved(b) {
            out.push(b as char);
        } else {
            push_pct(out, b);
        }
    }
}

/// Query components: like segments, but dots are harmless there.
fn encode_query(out: &mut String, s: &str) {
    for b in s.bytes() {
        if unreserved(b) || b == b'.' {
            out.push(b as char);
        } else {
            push_pct(out, b);
        }
    }
}

pub fn push_param(url: &mut String, key: &str, value: &str) {
    url.push(if url.contains('?') { '&' } else { '?' });
    encode_query(url, key);
    url.push('=');
    encode_query(url, value);
}

/// Header names may be any RFC 9110 token; values no CR, LF or NUL.
fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Extra request headers (constructor option or raw call): an object of strings.
pub fn extra_headers(v: Option<&Value>, what: &str) -> Result<Vec<(String, String)>, Error> {
    let o = args::object(v, what, true)?;
    let mut out = Vec::with_capacity(o.len());
    for (name, value) in o {
        let mut field = String::from(what);
        field.push('.');
        field.push_str(name);
        if !is_token(name) {
            return Err(Error::field(&field, "is not a valid HTTP header name"));
        }
        let lower = name.to_ascii_lowercase();
        if lower == decided::KEY_HEADER.to_ascii_lowercase() {
            return Err(Error::field(&field, "the API key header is set by the client from apiKey"));
        }
        if matches!(lower.as_str(), "host" | "content-length" | "connection" | "transfer-encoding") {
            return Err(Error::field(&field, "is managed by fetch and cannot be set"));
        }
        match value {
            Value::Str(s) if !s.chars().any(|c| c == '\r' || c == '\n' || c == '\0') => out.push((name.clone(), s.clone())),
            Value::Str(_) => return Err(Error::field(&field, "header values cannot contain CR, LF or NUL")),
            other => return Err(Error::field(&field, &args::got("expected a string", Some(other)))),
        }
    }
    Ok(out)
}

/// How a successful response becomes a value.
#[derive(Clone, Copy)]
pub enum Decode {
    Page(Shape),
    Object(Shape),
    /// A delete: an empty body is success too.
    Deleted,
    /// The raw call: `{status, headers, body}` without normalisation.
    Raw,
}

/// One request to make, and what its response means.
pub struct Plan {
    pub op: &'static str,
    pub method: String,
    pub url: String,
    pub body: Option<String>,
    /// Whether the request may be sent again after it may have reached the server. Never true
    /// for POST: an SMS must never go out twice.
    pub retry_safe: bool,
    pub decode: Decode,
    pub headers: Vec<(String, String)>,
}

impl Plan {
    pub fn new(cfg: &Config, route: &Route, seg: Option<&str>, decode: Decode) -> Plan {
        Plan {
            op: route.op,
            method: route.method.into(),
            url: cfg.url(route, seg),
            body: None,
            retry_safe: is_retry_safe(route.method),
            decode,
            headers: Vec::new(),
        }
    }

    pub fn body(mut self, body: String) -> Plan {
        self.body = Some(body);
        self
    }

    /// The `fetch` init as JSON: method, headers (key, JSON content type, extras) and body.
    /// `redirect: "manual"`: fetch keeps custom headers across a cross-origin redirect, so
    /// following one could hand the key to another host. Redirects come back as errors.
    pub fn init_json(&self, cfg: &Config) -> String {
        let mut o = String::with_capacity(160 + self.body.as_ref().map_or(0, String::len));
        o.push_str("{\"method\":");
        json::write_str(&mut o, &self.method);
        o.push_str(",\"redirect\":\"manual\",\"headers\":{");
        o.push_str("\"accept\":\"application/json\",");
        json::write_str(&mut o, decided::KEY_HEADER);
        o.push(':');
        json::write_str(&mut o, &cfg.api_key);
        if self.body.is_some() {
            o.push_str(",\"content-type\":\"application/json\"");
        }
        for (k, v) in cfg.headers.iter().chain(self.headers.iter()) {
            o.push(',');
            json::write_str(&mut o, k);
            o.push(':');
            json::write_str(&mut o, v);
        }
        o.push('}');
        if let Some(b) = &self.body {
            o.push_str(",\"body\":");
            json::write_str(&mut o, b);
        }
        o.push('}');
        o
    }

    /// The plan for the page after this one, from the `next` URL the server gave. Refused when
    /// `next` points anywhere but this client's base: the key must not follow it.
    pub fn next(&self, cfg: &Config, next: &str) -> Result<Plan, Error> {
        if !cfg.owns(next) {
            return Err(Error::new(
                ErrorKind::Api,
                "the server's next-page URL points outside baseUrl; it was not followed, so the API key stays with baseUrl's origin",
            )
            .op(self.op));
        }
        Ok(Plan {
            op: self.op,
            method: "GET".into(),
            url: next.into(),
            body: None,
            retry_safe: true,
            decode: self.decode,
            headers: Vec::new(),
        })
    }
}

pub fn is_retry_safe(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE")
}

/// What a successful call resolves with: JSON for `JSON.parse`, and the next page if any.
#[cfg_attr(test, derive(Debug))]
pub struct Output {
    pub json: String,
    pub next: Option<String>,
}

/// A response as the wasm layer saw it.
pub struct Response<'a> {
    pub status: u16,
    pub body: &'a [u8],
    pub request_id: Option<String>,
    /// Only read for raw calls: the response headers as a JSON object.
    pub headers_json: Option<&'a str>,
}

/// Turns a response into the value the caller gets, or the error they see.
pub fn interpret(plan: &Plan, res: &Response) -> Result<Output, Error> {
    let status = res.status;
    let fail = |kind: ErrorKind, message: String| {
        let mut e = Error::new(kind, message).op(plan.op);
        e.status = if status == 0 { None } else { Some(status) };
        e.request_id = res.request_id.clone();
        e
    };
    if !(200..300).contains(&status) {
        if status == 0 || (300..400).contains(&status) {
            return Err(fail(
                ErrorKind::Api,
                "the server answered with a redirect; redirects are not followed so that the API key only ever goes to baseUrl".into(),
            ));
        }
        let message = json::error_message(res.body).unwrap_or_else(|| status_text(status));
        return Err(fail(ErrorKind::for_status(status), message));
    }
    let decoded = match plan.decode {
        Decode::Page(shape) => json::normalize_page(res.body, shape).map(|p| Output { json: p.json, next: p.next }),
        Decode::Object(shape) => json::normalize_object(res.body, shape).map(|json| Output { json, next: None }),
        Decode::Deleted => {
            if res.body.iter().all(u8::is_ascii_whitespace) {
                Ok(Output { json: "{\"success\":true}".into(), next: None })
            } else {
                json::normalize_object(res.body, &[("success", json::Kind::Bool)]).map(|json| Output { json, next: None })
            }
        }
        Decode::Raw => return Ok(Output { json: raw_output(status, res), next: None }),
    };
    decoded.map_err(|e| match e {
        DecodeError::Failure(msg) => fail(
            ErrorKind::Api,
            msg.unwrap_or_else(|| "Toky answered \"success\": false without an error message".into()),
        ),
        DecodeError::Invalid(what) => {
            let mut m = String::from("could not read the response: ");
            m.push_str(what);
            fail(ErrorKind::Decode, m)
        }
    })
}

/// `{status, headers, body}` for the raw call: JSON bodies as JSON, anything else as text.
fn raw_output(status: u16, res: &Response) -> String {
    let mut o = String::with_capacity(res.body.len() + 64);
    o.push_str("{\"status\":");
    push_u64(&mut o, status as u64);
    o.push_str(",\"headers\":");
    match res.headers_json {
        Some(h) if json::is_valid(h.as_bytes()) => o.push_str(h),
        _ => o.push_str("{}"),
    }
    o.push_str(",\"body\":");
    let text = crate::error::lossy(res.body);
    if text.trim().is_empty() {
        o.push_str("null");
    } else if json::is_valid(res.body) {
        o.push_str(&text);
    } else {
        json::write_str(&mut o, &text);
    }
    o.push('}');
    o
}

fn status_text(status: u16) -> String {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized: the API key is missing or not valid",
        402 => "Payment Required: the Toky API needs a paid plan",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    let mut m = String::from("HTTP ");
    push_u64(&mut m, status as u64);
    if !reason.is_empty() {
        m.push(' ');
        m.push_str(reason);
    }
    m
}

/// The raw "Make an API call": any method, a path under the base, query, headers, body.
pub fn raw(cfg: &Config, o: &Obj) -> Result<Plan, Error> {
    args::only(o, &["method", "path", "query", "headers", "body"])?;
    let method = args::string(o, "method", false, "expected an HTTP method such as \"GET\"")?.unwrap_or("GET");
    let method = method.to_ascii_uppercase();
    if !matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS") {
        return Err(Error::field("method", &args::got("expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS", args::get(o, "method"))));
    }
    let path_expected = "expected a path under baseUrl such as \"/agents\", or a full URL under baseUrl";
    let path = args::string(o, "path", true, path_expected)?.unwrap_or("");
    let mut url = if split2(path, "://").is_some() {
        if !cfg.owns(path) {
            return Err(Error::field("path", "points outside baseUrl; the API key is only ever sent to baseUrl's origin"));
        }
        path.to_string()
    } else {
        if path.is_empty()
            || path.starts_with("//")
            || path.contains('#')
            || path.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Error::field("path", &args::got(path_expected, args::get(o, "path"))));
        }
        let mut u = cfg.base();
        if !path.starts_with('/') {
            u.push('/');
        }
        u.push_str(path);
        u
    };
    let p = url.split('?').next().unwrap_or("");
    if p.split('/').any(|s| s == "." || s == ".." || s.eq_ignore_ascii_case("%2e") || s.eq_ignore_ascii_case("%2e%2e")) {
        return Err(Error::field("path", "dot segments (. and ..) are not allowed"));
    }
    for (k, v) in args::object(args::get(o, "query"), "query", true)? {
        let mut field = String::from("query.");
        field.push_str(k);
        let mut one = |v: &Value| -> Result<(), Error> {
            match v {
                Value::Str(s) => push_param(&mut url, k, s),
                Value::Num(n) => push_param(&mut url, k, n),
                Value::Bool(b) => push_param(&mut url, k, if *b { "true" } else { "false" }),
                other => return Err(Error::field(&field, &args::got("expected a string, number or boolean (or an array of them)", Some(other)))),
            }
            Ok(())
        };
        match v {
            Value::Arr(items) => items.iter().try_for_each(&mut one)?,
            v => one(v)?,
        }
    }
    let headers = extra_headers(args::get(o, "headers"), "headers")?;
    let body = match args::get(o, "body") {
        None | Some(Value::Null) => None,
        // A string is taken as the body itself (already JSON, or whatever the endpoint wants).
        Some(Value::Str(s)) => Some(s.clone()),
        // A function, symbol or bigint that the JS side marked (JSON.stringify would drop it).
        Some(v @ Value::Obj(_)) if v.type_name() != "an object" => {
            return Err(Error::field("body", &args::got("expected a JSON-serialisable value", Some(v))));
        }
        Some(v) => {
            let mut s = String::new();
            json::write_value(&mut s, v);
            Some(s)
        }
    };
    if body.is_some() && matches!(method.as_str(), "GET" | "HEAD") {
        return Err(Error::field("body", "a GET or HEAD request cannot have a body"));
    }
    Ok(Plan {
        op: "request",
        retry_safe: is_retry_safe(&method),
        method,
        url,
        body,
        decode: Decode::Raw,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn cfg(base: &str) -> Config {
        let mut s = String::from("{\"apiKey\":\"sk-secret\",\"baseUrl\":");
        json::write_str(&mut s, base);
        s.push('}');
        Config::from_json(&s, &Env { browser_main_thread: false }).unwrap()
    }

    fn raw_plan(input: &str) -> Result<Plan, Error> {
        let c = cfg("http://127.0.0.1:8080/v1");
        match json::parse(input) {
            Ok(Value::Obj(o)) => raw(&c, &o),
            _ => panic!("bad test input"),
        }
    }

    #[test]
    fn split_and_redact() {
        assert_eq!(split2("a://b://c", "://"), Some(("a", "b://c")));
        assert_eq!(split2("abc", "://"), None);
        assert_eq!(split2("é://ü", "://"), Some(("é", "ü")));
        assert_eq!(split2("x", ""), None);
        let c = cfg("http://h/v1");
        assert_eq!(c.redact("key sk-secret and sk-secret."), "key [redacted] and [redacted].");
        assert_eq!(c.redact("nothing"), "nothing");
    }

    #[test]
    fn config_defaults_and_errors() {
        let c = Config::from_json("{\"apiKey\":\"k\"}", &Env { browser_main_thread: false }).unwrap();
        assert_eq!(c.base(), "https://api.toky.co/v1");
        assert_eq!(c.timeout_ms, 30_000);
        assert_eq!(c.max_retries, 2);
        let env = Env { browser_main_thread: false };
        let err = |s: &str| Config::from_json(s, &env).err().unwrap();
        assert_eq!(err("{}").field.as_deref(), Some("apiKey"));
        assert_eq!(err("{\"apiKey\":5}").message, "apiKey: expected a string, got a number");
        assert_eq!(err("{\"apiKey\":\"\"}").field.as_deref(), Some("apiKey"));
        assert_eq!(err("{\"apiKey\":\"k\",\"baseUrl\":\"api.toky.co\"}").field.as_deref(), Some("baseUrl"));
        assert_eq!(err("{\"apiKey\":\"k\",\"baseUrl\":\"https://x.y/v1?a=1\"}").field.as_deref(), Some("baseUrl"));
        assert_eq!(err("{\"apiKey\":\"k\",\"timeoutMs\":0}").field.as_deref(), Some("timeoutMs"));
        assert_eq!(err("{\"apiKey\":\"k\",\"maxRetries\":-1}").field.as_deref(), Some("maxRetries"));
        assert_eq!(err("{\"apiKey\":\"k\",\"apikey\":\"x\"}").field.as_deref(), Some("apikey"));
        assert_eq!(err("{\"apiKey\":\"k\",\"headers\":{\"X-Toky-Key\":\"x\"}}").field.as_deref(), Some("headers.X-Toky-Key"));
        assert_eq!(err("{\"apiKey\":\"k\",\"headers\":{\"a b\":\"x\"}}").field.as_deref(), Some("headers.a b"));
        assert_eq!(err("{\"apiKey\":\"k\",\"headers\":{\"x\":\"a\\r\\nb\"}}").field.as_deref(), Some("headers.x"));
        // The key is never echoed, even when it is what is wrong.
        let e = err("{\"apiKey\":\"sk-\\u0001secret\"}");
        assert!(!e.message.contains("secret") && !e.to_json().contains("secret"));
    }

    #[test]
    fn browser_guard() {
        let main = Env { browser_main_thread: true };
        let e = Config::from_json("{\"apiKey\":\"k\"}", &main).err().unwrap();
        assert_eq!(e.kind, ErrorKind::Validation);
        assert!(e.message.contains("--upstream") && e.message.contains("allowBrowser"));
        assert!(Config::from_json("{\"apiKey\":\"k\",\"allowBrowser\":true}", &main).is_ok());
        assert!(Config::from_json("{\"apiKey\":\"k\",\"baseUrl\":\"http://localhost:8080/v1\"}", &main).is_ok());
        assert!(Config::from_json("{\"apiKey\":\"k\",\"baseUrl\":\"https://app.example.com/toky/v1\"}", &main).is_ok());
        assert!(Config::from_json("{\"apiKey\":\"k\",\"baseUrl\":\"HTTPS://API.TOKY.CO:443/v1/\"}", &main).is_err());
    }

    #[test]
    fn segments_cannot_escape() {
        let c = cfg("https://api.toky.co/v1/");
        let url = |s: &str| c.url(&decided::CONTACTS_GET, Some(s));
        assert_eq!(url("+15551234567"), "https://api.toky.co/v1/contacts/%2B15551234567");
        assert_eq!(url(".."), "https://api.toky.co/v1/contacts/%2E%2E");
        assert_eq!(url("a/b?c#d"), "https://api.toky.co/v1/contacts/a%2Fb%3Fc%23d");
        assert_eq!(url("é"), "https://api.toky.co/v1/contacts/%C3%A9");
    }

    #[test]
    fn owns_only_its_base() {
        let c = cfg("https://api.toky.co/v1");
        assert!(c.owns("https://api.toky.co/v1/cdrs?offset=20&limit=20"));
        assert!(c.owns("https://API.toky.co:443/v1/cdrs"));
        assert!(c.owns("https://api.toky.co/v1"));
        for bad in [
            "http://api.toky.co/v1/cdrs",
            "https://api.toky.co.evil.com/v1/cdrs",
            "https://evil.com/v1/cdrs",
            "https://api.toky.co@evil.com/v1/cdrs",
            "https://api.toky.co/v2/cdrs",
            "https://api.toky.co/v1x/cdrs",
            "https://api.toky.co:8443/v1/cdrs",
            "/v1/cdrs",
            "https://api.toky.co/v1/cdrs#x",
            "https://api.toky.co/v1/c drs",
        ] {
            assert!(!c.owns(bad), "{bad}");
        }
    }

    #[test]
    fn next_page_must_stay_home() {
        let c = cfg("http://127.0.0.1:9/v1");
        let p = Plan::new(&c, &decided::CALLS_LIST, None, Decode::Page(&[]));
        assert!(p.next(&c, "http://127.0.0.1:9/v1/cdrs?offset=10&limit=10").is_ok());
        let e = p.next(&c, "http://127.0.0.2:9/v1/cdrs?offset=10&limit=10").err().unwrap();
        assert_eq!(e.operation, "calls.list");
        assert!(e.message.contains("outside baseUrl"));
    }

    #[test]
    fn init_has_key_and_json_type() {
        let c = cfg("http://127.0.0.1:9/v1");
        let p = Plan::new(&c, &decided::SMS_SEND, None, Decode::Object(&[])).body("{\"a\":1}".into());
        let init = p.init_json(&c);
        assert!(json::is_valid(init.as_bytes()), "{init}");
        assert!(init.contains("\"X-Toky-Key\":\"sk-secret\""));
        assert!(init.contains("\"content-type\":\"application/json\""));
        assert!(init.contains("\"body\":\"{\\\"a\\\":1}\""));
        assert!(!p.retry_safe);
        let g = Plan::new(&c, &decided::AGENTS_LIST, None, Decode::Page(&[]));
        assert!(!g.init_json(&c).contains("content-type"));
        assert!(g.retry_safe);
    }

    #[test]
    fn raw_calls() {
        let p = raw_plan(r#"{"path":"agents","query":{"limit":5,"q":"a b","x":[1,true]}}"#).unwrap();
        assert_eq!(p.method, "GET");
        assert_eq!(p.url, "http://127.0.0.1:8080/v1/agents?limit=5&q=a%20b&x=1&x=true");
        assert!(p.retry_safe);
        let p = raw_plan(r#"{"method":"post","path":"/sms/send","body":{"a":[1,"x"]},"headers":{"X-Trace":"1"}}"#).unwrap();
        assert_eq!(p.method, "POST");
        assert_eq!(p.body.as_deref(), Some("{\"a\":[1,\"x\"]}"));
        assert!(!p.retry_safe);
        assert_eq!(p.headers, vec![("X-Trace".to_string(), "1".to_string())]);
        assert!(raw_plan(r#"{"path":"http://127.0.0.1:8080/v1/agents?limit=1"}"#).is_ok());
        for (bad, field) in [
            (r#"{}"#, "path"),
            (r#"{"path":"https://evil.com/v1/agents"}"#, "path"),
            (r#"{"path":"//evil.com/x"}"#, "path"),
            (r#"{"path":"/../admin"}"#, "path"),
            (r#"{"path":"/a/%2e%2e/b"}"#, "path"),
            (r#"{"path":"/agents#x"}"#, "path"),
            (r#"{"path":"/agents","method":"BREW"}"#, "method"),
            (r#"{"path":"/agents","headers":{"x-toky-key":"other"}}"#, "headers.x-toky-key"),
            (r#"{"path":"/agents","query":{"a":{"b":1}}}"#, "query.a"),
            (r#"{"path":"/agents","body":{"a":1}}"#, "body"),
            (r#"{"path":"/agents","bdy":{"a":1}}"#, "bdy"),
        ] {
            let e = raw_plan(bad).err().unwrap_or_else(|| panic!("accepted {bad}"));
            assert_eq!(e.field.as_deref(), Some(field), "{bad}: {}", e.message);
        }
    }

    fn resp(status: u16, body: &str) -> Response<'_> {
        Response { status, body: body.as_bytes(), request_id: Some("req_9".into()), headers_json: Some("{\"x-request-id\":\"req_9\"}") }
    }

    #[test]
    fn interpreting() {
        let c = cfg("http://127.0.0.1:8080/v1");
        let page = Plan::new(&c, &decided::AGENTS_LIST, None, Decode::Page(&[("is_admin", json::Kind::Bool)]));
        let out = interpret(&page, &resp(200, r#"{"count":1,"next":"http://127.0.0.1:8080/v1/agents?offset=1&limit=1","results":[{"is_admin":"false"}]}"#)).unwrap();
        assert_eq!(out.next.as_deref(), Some("http://127.0.0.1:8080/v1/agents?offset=1&limit=1"));
        assert!(out.json.contains("\"is_admin\":false"));

        let e = interpret(&page, &resp(404, r#"{"success":false,"error_message":"Contact not found"}"#)).err().unwrap();
        assert_eq!((e.kind, e.status, e.message.as_str()), (ErrorKind::NotFound, Some(404), "Contact not found"));
        assert_eq!(e.request_id.as_deref(), Some("req_9"));
        assert_eq!(e.operation, "agents.list");
        let e = interpret(&page, &resp(503, "<html>oops</html>")).err().unwrap();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Server, "HTTP 503 Service Unavailable"));
        let e = interpret(&page, &resp(302, "")).err().unwrap();
        assert_eq!(e.kind, ErrorKind::Api);
        let e = interpret(&page, &resp(200, r#"{"count":1,"results":["#)).err().unwrap();
        assert_eq!(e.kind, ErrorKind::Decode);

        let send = Plan::new(&c, &decided::SMS_SEND, None, Decode::Object(&[]));
        let e = interpret(&send, &resp(200, r#"{"success":false,"error_message":"Number not enabled for SMS"}"#)).err().unwrap();
        assert_eq!((e.kind, e.status, e.message.as_str()), (ErrorKind::Api, Some(200), "Number not enabled for SMS"));

        let del = Plan::new(&c, &decided::WEBHOOKS_DELETE, Some("1"), Decode::Deleted);
        assert_eq!(interpret(&del, &resp(204, "")).unwrap().json, "{\"success\":true}");

        let r = raw_plan(r#"{"path":"/x"}"#).unwrap();
        let out = interpret(&r, &resp(200, "{\"a\": 1}")).unwrap();
        assert_eq!(out.json, "{\"status\":200,\"headers\":{\"x-request-id\":\"req_9\"},\"body\":{\"a\": 1}}");
        let out = interpret(&r, &resp(200, "plain \"text\"")).unwrap();
        assert!(out.json.ends_with("\"body\":\"plain \\\"text\\\"\"}"));
        assert!(json::is_valid(out.json.as_bytes()));
        assert!(interpret(&r, &resp(404, "{}")).is_err());
    }
}
