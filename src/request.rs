//! Planning requests and interpreting responses, as plain data: the client configuration, the
//! request plan (method, path under the base, query, body), the containment rule that keeps the
//! API key home, and the mapping of a response to a value or an error. No I/O happens here;
//! `src/wasm/` performs what a `Plan` says.
//!
//! URLs are never parsed here. The caller resolves them with the WHATWG parser — `web_sys::Url`
//! in wasm, the same parser `fetch` uses; the `url` crate in host tests — and hands the parts
//! over as [`UrlParts`]; the core decides whether the *resolved* URL stays under the base.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::args::{self, Arg, Id};
use crate::decided::{self, Route};
use crate::error::{Error, ErrorKind};

/// A URL as the WHATWG parser resolved it (the attribute names of JS's `URL`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrlParts {
    /// The serialised URL.
    pub href: String,
    /// `"https:"`.
    pub protocol: String,
    pub username: String,
    pub password: String,
    /// Host and non-default port: `"api.toky.co"`, `"127.0.0.1:8080"`.
    pub host: String,
    /// `"api.toky.co"`, without the port.
    pub hostname: String,
    pub pathname: String,
    /// `""` or `"?..."`.
    pub search: String,
    /// `""` or `"#..."`.
    pub hash: String,
}

/// Resolves `url` (absolute, or relative to `base`) with the WHATWG parser; None if it is not a URL.
pub type Resolve<'a> = &'a dyn Fn(&str, Option<&str>) -> Option<UrlParts>;

/// What the JS constructor was given, checked.
pub struct Config {
    /// `https://api.toky.co`: the scheme and host (and port) as the WHATWG parser writes them.
    origin: String,
    /// The base path without a trailing slash (`/v1`), possibly empty.
    base_path: String,
    api_key: String,
    pub timeout_ms: u64,
    pub max_retries: u64,
    pub headers: Vec<(String, String)>,
}

/// Facts about the JS runtime the wasm layer observed.
pub struct Env {
    pub browser_main_thread: bool,
}

const CONFIG_KEYS: [&str; 6] = ["apiKey", "baseUrl", "timeoutMs", "maxRetries", "headers", "allowBrowser"];
const BASE_EXPECTED: &str = "expected an absolute http(s) URL without credentials, query or fragment, like https://api.toky.co/v1";

impl Config {
    pub fn new(o: &[(String, Arg)], env: &Env, resolve: Resolve) -> Result<Config, Error> {
        args::only(o, &CONFIG_KEYS)?;
        // The key's value is never quoted back: `got` would print it.
        let api_key = match args::get(o, "apiKey") {
            Some(Arg::Str(k)) if !k.trim().is_empty() => k,
            Some(Arg::Str(_)) => return Err(Error::field("apiKey", "expected your Toky API key, got an empty string")),
            None | Some(Arg::Null) => return Err(Error::field("apiKey", "required: your Toky API key (dashboard: profile icon, API Keys)")),
            Some(other) => return Err(Error::field("apiKey", &format!("expected a string, got {}", other.type_name()))),
        };
        if api_key.chars().any(|c| c.is_control() || !c.is_ascii()) {
            return Err(Error::field("apiKey", "contains characters an HTTP header cannot carry (control or non-ASCII)"));
        }
        let base = args::string(o, "baseUrl", false, BASE_EXPECTED)?.unwrap_or(decided::DEFAULT_BASE_URL);
        let bad_base = || Error::field("baseUrl", &args::got(BASE_EXPECTED, args::get(o, "baseUrl")));
        let parts = resolve(base, None).ok_or_else(bad_base)?;
        if !matches!(parts.protocol.as_str(), "http:" | "https:")
            || parts.host.is_empty()
            || !parts.username.is_empty()
            || !parts.password.is_empty()
            || !parts.search.is_empty()
            || !parts.hash.is_empty()
            || base.contains(['?', '#'])
        {
            return Err(bad_base());
        }
        let timeout_ms = args::int(o, "timeoutMs", 1, 600_000)?.unwrap_or(decided::DEFAULT_TIMEOUT_MS);
        let max_retries = args::int(o, "maxRetries", 0, decided::MAX_RETRIES_LIMIT)?.unwrap_or(decided::DEFAULT_MAX_RETRIES);
        let headers = extra_headers(args::get(o, "headers"), "headers")?;
        let allow_browser = args::boolean(o, "allowBrowser")?.unwrap_or(false);
        let host = parts.hostname.to_ascii_lowercase();
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
            origin: format!("{}//{}", parts.protocol, parts.host),
            base_path: parts.pathname.trim_end_matches('/').to_string(),
            api_key: api_key.clone(),
            timeout_ms,
            max_retries,
            headers,
        })
    }

    /// `scheme://host[:port]/base`, without a trailing slash.
    pub fn base(&self) -> String {
        format!("{}{}", self.origin, self.base_path)
    }

    /// The headers every request has, in the order they are set (a later one replaces an
    /// earlier one of the same name): accept, the key, the content type of a request with a
    /// body, then the client's own. A plan's own headers (`Plan::headers`) come after them.
    pub fn base_headers(&self, body: bool) -> Vec<(String, String)> {
        let mut h = vec![("accept".to_string(), "application/json".to_string()), (decided::KEY_HEADER.to_string(), self.api_key.clone())];
        if body {
            h.push(("content-type".into(), "application/json".into()));
        }
        h.extend(self.headers.iter().cloned());
        h
    }

    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// `text` with the key masked (`redact`): for any text that comes from outside the core (a
    /// response's error message or body, a JS exception), which a server or a custom fetch
    /// might make echo the key.
    pub fn redact(&self, text: &str) -> String {
        redact(text, &self.api_key)
    }

    /// Whether a resolved URL is under this client's base: the same scheme and host (and so
    /// port), no credentials, no fragment, and a path that is the base path or below it. The
    /// only place the key may be sent. Judged on the WHATWG serialisation (`href`, all a call
    /// reads from the parser): it starts with `scheme://host` exactly when those are the base's
    /// and there are no credentials (they would come before the host), then the base path,
    /// then the rest of the path, the query or nothing; a fragment is the only place a `#`
    /// stands unescaped.
    pub fn contains(&self, u: &UrlParts) -> bool {
        let Some(rest) = u.href.strip_prefix(self.origin.as_str()).and_then(|r| r.strip_prefix(self.base_path.as_str())) else { return false };
        (rest.is_empty() || rest.starts_with(['/', '?'])) && !u.href.contains('#')
    }

    /// The URL a plan is sent to, resolved and checked. For a route with an id, the resolved
    /// path must be exactly the planned one: the id stays one segment.
    pub fn target(&self, plan: &Plan, resolve: Resolve) -> Result<String, Error> {
        let refuse = |why: &str| {
            Error::new(ErrorKind::Validation, format!("{why}; the request was not sent, so the API key stays with baseUrl")).op(&plan.op)
        };
        let parts = resolve(&plan.url, None);
        if !parts.as_ref().is_some_and(|p| self.contains(p)) {
            return Err(match plan.target {
                Target::Next => Error::new(
                    ErrorKind::Api,
                    "the server's next-page URL points outside baseUrl; it was not followed, so the API key stays with baseUrl's origin",
                )
                .op(&plan.op),
                _ if parts.is_none() => refuse("the request URL could not be parsed"),
                _ => {
                    let mut e = refuse("the path resolves outside baseUrl");
                    e.field = Some("path".into());
                    e.message = format!("path: {}", e.message);
                    e
                }
            });
        }
        let parts = parts.unwrap_or_default();
        if let Target::Exact(path) = &plan.target {
            // The path: after the origin (`contains` checked it), up to the query.
            let pathname = parts.href.get(self.origin.len()..).unwrap_or_default().split('?').next().unwrap_or_default();
            if pathname != path {
                return Err(refuse("the id does not stay one path segment"));
            }
        }
        Ok(parts.href)
    }
}

/// Everything but letters, digits and `-._~` is percent-encoded in a path segment: a phone's
/// `+`, a `/` or `?` in an id, non-ASCII. `.` and `..` alone are refused by `args::Id`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
/// Query components (application/x-www-form-urlencoded, as URLSearchParams writes them).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'*');

/// Header names may be any RFC 9110 token.
/// `text` with `key` masked as `[redacted]`. A key of `decided::REDACT_ANYWHERE_LEN` characters
/// or more is masked wherever it appears; a shorter one only where it stands as a whole token
/// (no ASCII letter, digit, `_` or `-` right before or after it), so that a short key cannot
/// garble a message by masking pieces of its words ("e" in "number"), while the key as a token
/// never shows. js/cli.mjs applies the same rule to what the CLI prints.
pub fn redact(text: &str, key: &str) -> String {
    if key.is_empty() || !text.contains(key) {
        return text.to_string();
    }
    let anywhere = key.chars().count() >= decided::REDACT_ANYWHERE_LEN;
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut from) = (0, 0);
    while let Some(found) = text.get(from..).and_then(|t| t.find(key)) {
        let i = from + found;
        let end = i + key.len();
        if anywhere || !word(text[..i].chars().next_back()) && !word(text[end..].chars().next()) {
            out.push_str(&text[copied..i]);
            out.push_str("[redacted]");
            copied = end;
            from = end;
        } else {
            // Not a token here: look again one character on (matches may overlap).
            from = i + text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Extra request headers (constructor option or raw call): an object of strings.
pub fn extra_headers(v: Option<&Arg>, what: &str) -> Result<Vec<(String, String)>, Error> {
    let o = args::object(v, what, true)?;
    let mut out = Vec::with_capacity(o.len());
    for (name, value) in o {
        let field = format!("{what}.{name}");
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
            // fetch takes header values as byte strings: nothing above U+00FF, no CR, LF or NUL.
            Arg::Str(s) if !s.chars().any(|c| c == '\r' || c == '\n' || c == '\0' || c > '\u{FF}') => out.push((name.clone(), s.clone())),
            Arg::Str(_) => return Err(Error::field(&field, "header values cannot contain CR, LF, NUL or characters above U+00FF")),
            other => return Err(Error::field(&field, &args::got("expected a string", Some(other)))),
        }
    }
    Ok(out)
}

/// How a successful response becomes a value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decode {
    Page(crate::records::Kind),
    Object(crate::records::Kind),
    /// A delete: an empty body is success too.
    Deleted,
    /// The raw call: `{status, headers, body}` without normalisation.
    Raw,
}

/// What the resolved URL of a plan must be.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Exactly this path (a route with an id).
    Exact(String),
    /// Anywhere under the base (a route without an id, a raw call).
    Under,
    /// A `next` URL from the server.
    Next,
}

/// One request to make, and what its response means.
#[derive(Clone, Debug)]
pub struct Plan {
    pub op: String,
    pub method: String,
    /// Absolute, unresolved: the base, the path, and the query.
    pub url: String,
    pub target: Target,
    pub body: Option<String>,
    /// Whether the request may be sent again after it may have reached the server. Never true
    /// for POST: an SMS must never go out twice.
    pub retry_safe: bool,
    pub decode: Decode,
    pub headers: Vec<(String, String)>,
}

impl Plan {
    pub fn new(cfg: &Config, route: &Route, seg: Option<&Id>, decode: Decode) -> Plan {
        let mut url = cfg.base();
        let target = match (route.path.split_once("{}"), seg) {
            (Some((before, after)), Some(s)) => {
                url.push_str(before);
                url.extend(utf8_percent_encode(&s.0, SEGMENT));
                url.push_str(after);
                Target::Exact(url.get(cfg.base().len() - cfg.base_path.len()..).unwrap_or_default().to_string())
            }
            _ => {
                url.push_str(route.path);
                Target::Under
            }
        };
        Plan {
            op: route.op.into(),
            method: route.method.into(),
            url,
            target,
            body: None,
            retry_safe: is_retry_safe(route.method),
            decode,
            headers: Vec::new(),
        }
    }

    /// Names the operation this plan is part of (`contacts.iterate` rather than `contacts.list`).
    pub fn named(mut self, op: &str) -> Plan {
        self.op = op.into();
        self
    }

    pub fn body<T: Serialize>(mut self, body: &T) -> Plan {
        self.body = serde_json::to_string(body).ok();
        self
    }

    /// Appends one query parameter.
    pub fn param(&mut self, key: &str, value: &str) {
        self.url.push(if self.url.contains('?') { '&' } else { '?' });
        self.url.extend(utf8_percent_encode(key, QUERY));
        self.url.push('=');
        self.url.extend(utf8_percent_encode(value, QUERY));
    }

    /// The headers to send: the key, JSON content type on bodies, the extras.
    pub fn request_headers(&self, cfg: &Config) -> Vec<(String, String)> {
        let mut h = cfg.base_headers(self.body.is_some());
        h.extend(self.headers.iter().cloned());
        h
    }

    /// The plan for the page after this one, from the `next` URL the server gave. Whether it may
    /// be followed is decided on the resolved URL (`Config::target`).
    pub fn next(&self, next: &str) -> Plan {
        Plan {
            op: self.op.clone(),
            method: "GET".into(),
            url: next.into(),
            target: Target::Next,
            body: None,
            retry_safe: true,
            decode: self.decode,
            headers: Vec::new(),
        }
    }
}

pub fn is_retry_safe(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE")
}

/// What a successful call resolves with: JSON for `JSON.parse`, and the next page if any.
#[derive(Debug)]
pub struct Output {
    pub json: String,
    pub next: Option<String>,
}

/// A response as the wasm layer saw it.
pub struct Response<'a> {
    pub status: u16,
    pub body: &'a [u8],
    pub request_id: Option<String>,
    /// Only read for raw calls: every response header.
    pub headers: Option<Vec<(String, String)>>,
}

/// What the runtime said about a rejected `fetch`: the `code` and `message` of the error and of
/// each `cause` under it (the wasm layer reads them; browsers say only "Failed to fetch").
#[derive(Debug, Default)]
pub struct FetchFailure {
    pub codes: Vec<String>,
    pub messages: Vec<String>,
}

impl FetchFailure {
    /// Whether the request provably never left: refused, unresolvable, or a failed TLS handshake
    /// (`decided::NEVER_LEFT_*`). When the runtime cannot tell, false: it may have gone out.
    pub fn never_left(&self) -> bool {
        self.codes.iter().any(|c| decided::NEVER_LEFT_CODES.contains(&c.as_str()) || decided::NEVER_LEFT_CODE_PREFIXES.iter().any(|p| c.starts_with(p)))
            || self.messages.iter().any(|m| decided::NEVER_LEFT_MESSAGES.iter().any(|n| m.contains(n)))
    }
}

/// Turns a response into the value the caller gets, or the error they see. Every text taken
/// from the response is redacted of the key.
pub fn interpret(cfg: &Config, plan: &Plan, res: &Response) -> Result<Output, Error> {
    let status = res.status;
    let fail = |kind: ErrorKind, message: String| {
        let mut e = Error::new(kind, cfg.redact(&message)).op(&plan.op);
        e.status = if status == 0 { None } else { Some(status) };
        e.request_id = res.request_id.as_deref().map(|r| cfg.redact(r));
        e
    };
    if !(200..300).contains(&status) {
        if status == 0 || (300..400).contains(&status) {
            return Err(fail(
                ErrorKind::Api,
                "the server answered with a redirect; redirects are not followed so that the API key only ever goes to baseUrl".into(),
            ));
        }
        let message = crate::records::error_message(res.body).unwrap_or_else(|| status_text(status));
        return Err(fail(ErrorKind::for_status(status), message));
    }
    if plan.decode == Decode::Raw {
        return Ok(Output { json: raw_output(cfg, status, res), next: None });
    }
    match crate::records::decode(plan.decode, res.body) {
        Ok(out) => Ok(out),
        Err(crate::records::DecodeError::Failure(m)) => Err(fail(
            ErrorKind::Api,
            m.unwrap_or_else(|| "the server answered \"success\": false without an error message".into()),
        )),
        Err(crate::records::DecodeError::Invalid(m)) => Err(fail(ErrorKind::Decode, format!("the response body is not what {} returns: {m}", plan.op))),
        Err(crate::records::DecodeError::Field(field, m)) => {
            let mut e = fail(ErrorKind::Decode, format!("the response body is not what {} returns: {m}", plan.op));
            e.field = Some(field);
            Err(e)
        }
    }
}

/// `{status, headers, body}` of a raw call: the body as JSON when it is JSON, else as text.
fn raw_output(cfg: &Config, status: u16, res: &Response) -> String {
    #[derive(Serialize)]
    struct Raw {
        status: u16,
        headers: serde_json::Map<String, serde_json::Value>,
        body: serde_json::Value,
    }
    let text = String::from_utf8_lossy(res.body);
    let body = if text.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(text.as_bytes()).unwrap_or_else(|_| serde_json::Value::String(text.into_owned()))
    };
    let headers = res
        .headers
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(cfg.redact(v))))
        .collect();
    serde_json::to_string(&Raw { status, headers, body }).unwrap_or_default()
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
    if reason.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status} {reason}")
    }
}

/// The raw "Make an API call": any method, a path under the base, query, headers, body.
pub fn raw(cfg: &Config, o: &[(String, Arg)]) -> Result<Plan, Error> {
    args::only(o, &["method", "path", "query", "headers", "body"])?;
    let method = args::string(o, "method", false, "expected an HTTP method such as \"GET\"")?.unwrap_or("GET");
    let method = method.to_ascii_uppercase();
    if !matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS") {
        return Err(Error::field("method", &args::got("expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS", args::get(o, "method"))));
    }
    let path_expected = "expected a path under baseUrl such as \"/agents\", or a full URL under baseUrl";
    let path = args::string(o, "path", true, path_expected)?.unwrap_or("");
    let absolute = path.contains("://");
    if path.is_empty()
        || (!absolute && (path.starts_with("//") || path.starts_with("\\")))
        || path.contains('#')
        || path.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::field("path", &args::got(path_expected, args::get(o, "path"))));
    }
    // Dot segments in any spelling (`..`, `%2e%2E`, `.%2e`, with `/` or `\`) are refused
    // outright, even where they would resolve to somewhere still under the base.
    let before_query = path.split('?').next().unwrap_or("");
    if before_query.split(['/', '\\']).any(|s| {
        let d = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
        d == "." || d == ".."
    }) {
        return Err(Error::field("path", "dot segments (. and ..) are not allowed"));
    }
    let mut url = if absolute {
        path.to_string()
    } else {
        let mut u = cfg.base();
        if !path.starts_with('/') {
            u.push('/');
        }
        u.push_str(path);
        u
    };
    let mut plan = Plan {
        op: "request".into(),
        retry_safe: is_retry_safe(&method),
        method,
        url: String::new(),
        target: Target::Under,
        body: None,
        decode: Decode::Raw,
        headers: extra_headers(args::get(o, "headers"), "headers")?,
    };
    std::mem::swap(&mut plan.url, &mut url);
    for (k, v) in args::object(args::get(o, "query"), "query", true)? {
        let field = format!("query.{k}");
        let mut one = |v: &Arg| -> Result<(), Error> {
            match v {
                Arg::Str(s) => plan.param(k, s),
                Arg::Num(_) => plan.param(k, &v.to_json().map(|j| j.to_string()).unwrap_or_default()),
                Arg::Bool(b) => plan.param(k, if *b { "true" } else { "false" }),
                other => return Err(Error::field(&field, &args::got("expected a string, number or boolean (or an array of them)", Some(other)))),
            }
            Ok(())
        };
        match v {
            Arg::Null => {}
            Arg::Arr(items) => items.iter().try_for_each(&mut one)?,
            v => one(v)?,
        }
    }
    plan.body = match args::get(o, "body") {
        None | Some(Arg::Null) => None,
        // A string is taken as the body itself (already JSON, or whatever the endpoint wants).
        Some(Arg::Str(s)) => Some(s.clone()),
        Some(v) => match v.to_json() {
            Ok(j) => Some(j.to_string()),
            Err(what) => return Err(Error::field("body", &format!("expected a JSON-serialisable value, got {what}"))),
        },
    };
    if plan.body.is_some() && matches!(plan.method.as_str(), "GET" | "HEAD") {
        return Err(Error::field("body", "a GET or HEAD request cannot have a body"));
    }
    Ok(plan)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::args::parse;

    /// The WHATWG parser on the host: the `url` crate, as `web_sys::Url` does it in wasm.
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

    pub fn config(s: &str, browser: bool) -> Result<Config, Error> {
        match parse(s) {
            Arg::Obj(o) => Config::new(&o, &Env { browser_main_thread: browser }, &resolve),
            _ => panic!("not an object"),
        }
    }

    pub fn cfg(base: &str) -> Config {
        config(&format!("{{\"apiKey\":\"sk-secret\",\"baseUrl\":{}}}", serde_json::to_string(base).unwrap()), false).unwrap()
    }

    fn raw_plan(input: &str) -> Result<Plan, Error> {
        let c = cfg("http://127.0.0.1:8080/v1");
        match parse(input) {
            Arg::Obj(o) => raw(&c, &o),
            _ => panic!("bad test input"),
        }
    }

    #[test]
    fn config_redacts_its_key() {
        let c = cfg("http://h/v1");
        assert_eq!(c.redact("key sk-secret and sk-secret."), "key [redacted] and [redacted].");
        assert_eq!(c.redact("nothing"), "nothing");
    }

    #[test]
    fn fetch_failures_that_never_left() {
        let f = |codes: &[&str], messages: &[&str]| FetchFailure { codes: codes.iter().map(|s| s.to_string()).collect(), messages: messages.iter().map(|s| s.to_string()).collect() }.never_left();
        // Node (undici): the code is on the cause.
        assert!(f(&["ECONNREFUSED"], &["fetch failed", "connect ECONNREFUSED 127.0.0.1:1"]));
        assert!(f(&["ENOTFOUND"], &[]) && f(&["EAI_AGAIN"], &[]));
        assert!(f(&["DEPTH_ZERO_SELF_SIGNED_CERT"], &[]) && f(&["ERR_TLS_CERT_ALTNAME_INVALID"], &[]) && f(&["CERT_HAS_EXPIRED"], &[]));
        // Deno: no code, its message.
        assert!(f(&[], &["fetch failed", "error sending request for url (http://127.0.0.1:9/v1/sms/send): client error (Connect): tcp connect error: Connection refused (os error 111)"]));
        // Cut after it may have gone out, or a runtime that cannot tell: not proven.
        assert!(!f(&["ECONNRESET"], &["other side closed"]));
        assert!(!f(&["UND_ERR_SOCKET"], &[]));
        assert!(!f(&[], &["Failed to fetch"]));
        assert!(!f(&[], &["error sending request: client error (SendRequest): connection closed before message completed"]));
        assert!(!FetchFailure::default().never_left());
    }

    #[test]
    fn redact_short_keys_only_as_tokens() {
        let msg = "The number +15550001111 is not an SMS-enabled number";
        // A one-letter key leaves words whole; as a token it is masked.
        assert_eq!(redact(msg, "e"), msg);
        assert_eq!(redact("key e rejected; (e), \"e\", e.", "e"), "key [redacted] rejected; ([redacted]), \"[redacted]\", [redacted].");
        assert_eq!(redact("abc abcd xabc abc_ -abc abc", "abc"), "[redacted] abcd xabc abc_ -abc [redacted]");
        // Overlapping candidates: the second "aa" stands alone.
        assert_eq!(redact("aaa aa", "aa"), "aaa [redacted]");
        let six = "k3y_6x";
        assert_eq!(redact(&format!("Invalid API key: {six}. key={six}&x"), six), "Invalid API key: [redacted]. key=[redacted]&x");
        assert_eq!(redact(&format!("a{six}b"), six), format!("a{six}b"));
        // 8 characters or more: masked wherever it appears, inside words too.
        let long = "tk_live_9fQ2SECRETx7LpA0bC1dE2fG3hI4jK5l";
        assert_eq!(long.len(), 40);
        assert_eq!(redact(&format!("x{long}y {long}"), long), "x[redacted]y [redacted]");
        assert_eq!(redact("ab12cd34ef", "12cd34ef"), "ab[redacted]");
        assert_eq!(redact("é e é", "e"), "é [redacted] é");
        assert_eq!(redact("anything", ""), "anything");
    }

    #[test]
    fn config_defaults_and_errors() {
        let c = config("{\"apiKey\":\"k\"}", false).unwrap();
        assert_eq!(c.base(), "https://api.toky.co/v1");
        assert_eq!(c.timeout_ms, 30_000);
        assert_eq!(c.max_retries, 2);
        let err = |s: &str| config(s, false).err().unwrap();
        assert_eq!(err("{}").field.as_deref(), Some("apiKey"));
        assert_eq!(err("{\"apiKey\":5}").message, "apiKey: expected a string, got a number");
        assert_eq!(err("{\"apiKey\":\"\"}").field.as_deref(), Some("apiKey"));
        assert_eq!(err("{\"apiKey\":\"k\",\"baseUrl\":\"api.toky.co\"}").field.as_deref(), Some("baseUrl"));
        assert_eq!(err("{\"apiKey\":\"k\",\"baseUrl\":\"https://x.y/v1?a=1\"}").field.as_deref(), Some("baseUrl"));
        assert_eq!(err("{\"apiKey\":\"k\",\"baseUrl\":\"https://u:p@x.y/v1\"}").field.as_deref(), Some("baseUrl"));
        assert_eq!(err("{\"apiKey\":\"k\",\"baseUrl\":\"ftp://x.y/v1\"}").field.as_deref(), Some("baseUrl"));
        assert_eq!(err("{\"apiKey\":\"k\",\"timeoutMs\":0}").field.as_deref(), Some("timeoutMs"));
        assert_eq!(err("{\"apiKey\":\"k\",\"maxRetries\":-1}").field.as_deref(), Some("maxRetries"));
        assert_eq!(err("{\"apiKey\":\"k\",\"apikey\":\"x\"}").field.as_deref(), Some("apikey"));
        assert_eq!(err("{\"apiKey\":\"k\",\"headers\":{\"X-Toky-Key\":\"x\"}}").field.as_deref(), Some("headers.X-Toky-Key"));
        assert_eq!(err("{\"apiKey\":\"k\",\"headers\":{\"a b\":\"x\"}}").field.as_deref(), Some("headers.a b"));
        assert_eq!(err("{\"apiKey\":\"k\",\"headers\":{\"x\":\"a\\r\\nb\"}}").field.as_deref(), Some("headers.x"));
        assert_eq!(err("{\"apiKey\":\"k\",\"headers\":{\"x\":\"€\"}}").field.as_deref(), Some("headers.x"));
        // The key is never echoed, even when it is what is wrong.
        let e = err("{\"apiKey\":\"sk-\\u0001secret\"}");
        assert!(!e.message.contains("secret") && !e.to_json().contains("secret"));
    }

    #[test]
    fn browser_guard() {
        let e = config("{\"apiKey\":\"k\"}", true).err().unwrap();
        assert_eq!(e.kind, ErrorKind::Validation);
        assert!(e.message.contains("--upstream") && e.message.contains("allowBrowser"));
        assert!(config("{\"apiKey\":\"k\",\"allowBrowser\":true}", true).is_ok());
        assert!(config("{\"apiKey\":\"k\",\"baseUrl\":\"http://localhost:8080/v1\"}", true).is_ok());
        assert!(config("{\"apiKey\":\"k\",\"baseUrl\":\"https://app.example.com/toky/v1\"}", true).is_ok());
        assert!(config("{\"apiKey\":\"k\",\"baseUrl\":\"HTTPS://API.TOKY.CO:443/v1/\"}", true).is_err());
    }

    fn id(s: &str) -> Id {
        Id(s.into())
    }

    #[test]
    fn segments_are_encoded_and_must_stay_one_segment() {
        let c = cfg("https://api.toky.co/v1/");
        let plan = |s: &str| Plan::new(&c, &decided::CONTACTS_GET, Some(&id(s)), Decode::Deleted);
        assert_eq!(plan("+15551234567").url, "https://api.toky.co/v1/contacts/%2B15551234567");
        assert_eq!(plan("a/b?c#d").url, "https://api.toky.co/v1/contacts/a%2Fb%3Fc%23d");
        assert_eq!(plan("é").url, "https://api.toky.co/v1/contacts/%C3%A9");
        assert_eq!(plan("%2e%2e").url, "https://api.toky.co/v1/contacts/%252e%252e");
        assert_eq!(c.target(&plan("+15551234567"), &resolve).unwrap(), "https://api.toky.co/v1/contacts/%2B15551234567");
        assert!(c.target(&plan("..."), &resolve).is_ok());
        // Not reachable through args::Id, but the resolved-path check holds on its own.
        for bad in [".", ".."] {
            let e = c.target(&plan(bad), &resolve).err().unwrap();
            assert_eq!(e.kind, ErrorKind::Validation, "{bad}");
        }
    }

    #[test]
    fn contains_only_its_base() {
        let c = cfg("https://api.toky.co/v1");
        let ok = |u: &str| c.contains(&resolve(u, None).unwrap());
        assert!(ok("https://api.toky.co/v1/cdrs?offset=20&limit=20"));
        assert!(ok("https://API.toky.co:443/v1/cdrs"));
        assert!(ok("https://api.toky.co/v1"));
        for bad in [
            "http://api.toky.co/v1/cdrs",
            "https://api.toky.co.evil.com/v1/cdrs",
            "https://evil.com/v1/cdrs",
            "https://api.toky.co@evil.com/v1/cdrs",
            "https://user:pw@api.toky.co/v1/cdrs",
            "https://api.toky.co/v2/cdrs",
            "https://api.toky.co/v1x/cdrs",
            "https://api.toky.co:8443/v1/cdrs",
            "https://api.toky.co/v1/cdrs#x",
            "https://api.toky.co/v1/../outside",
            "https://api.toky.co/v1/%2E%2E/outside",
            "https://api.toky.co/v1/.%2e/outside",
            "https://api.toky.co/v1\\..\\outside",
        ] {
            assert!(!ok(bad), "{bad}");
        }
    }

    #[test]
    fn next_page_must_stay_home() {
        let c = cfg("http://127.0.0.1:9/v1");
        let p = Plan::new(&c, &decided::CALLS_LIST, None, Decode::Deleted);
        assert!(c.target(&p.next("http://127.0.0.1:9/v1/cdrs?offset=10&limit=10"), &resolve).is_ok());
        for bad in ["http://127.0.0.2:9/v1/cdrs?offset=10", "http://127.0.0.1:9/v1/../x", "http://127.0.0.1:9/v1/%2e%2E/x", "/v1/cdrs"] {
            let e = c.target(&p.next(bad), &resolve).err().unwrap_or_else(|| panic!("followed {bad}"));
            assert_eq!(e.operation, "calls.list");
            assert!(e.message.contains("outside baseUrl"), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn headers_have_key_and_json_type() {
        let c = cfg("http://127.0.0.1:9/v1");
        let p = Plan::new(&c, &decided::SMS_SEND, None, Decode::Deleted).body(&serde_json::json!({"a": 1}));
        let h = p.request_headers(&c);
        assert!(h.contains(&("X-Toky-Key".into(), "sk-secret".into())));
        assert!(h.contains(&("content-type".into(), "application/json".into())));
        assert_eq!(p.body.as_deref(), Some("{\"a\":1}"));
        assert!(!p.retry_safe);
        let g = Plan::new(&c, &decided::AGENTS_LIST, None, Decode::Deleted);
        assert!(!g.request_headers(&c).iter().any(|(k, _)| k == "content-type"));
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
            (r#"{"path":"//evil.com/x"}"#, "path"),
            (r#"{"path":"\\\\evil.com/x"}"#, "path"),
            (r#"{"path":"/../admin"}"#, "path"),
            (r#"{"path":"/a/%2e%2e/b"}"#, "path"),
            (r#"{"path":"/a/.%2E/b"}"#, "path"),
            (r#"{"path":"/a\\..\\b"}"#, "path"),
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
        // Absolute URLs elsewhere are planned, then refused on their resolved form.
        let c = cfg("http://127.0.0.1:8080/v1");
        for elsewhere in ["https://evil.com/v1/agents", "http://127.0.0.1:8080/other", "http://127.0.0.1:8081/v1/agents"] {
            let p = raw_plan(&format!("{{\"path\":{}}}", serde_json::to_string(elsewhere).unwrap())).unwrap();
            let e = c.target(&p, &resolve).err().unwrap_or_else(|| panic!("sent to {elsewhere}"));
            assert_eq!(e.field.as_deref(), Some("path"));
        }
    }

    fn resp(status: u16, body: &str) -> Response<'_> {
        Response { status, body: body.as_bytes(), request_id: Some("req_9".into()), headers: Some(vec![("x-request-id".into(), "req_9".into())]) }
    }

    #[test]
    fn interpreting() {
        use crate::records::Kind;
        let c = cfg("http://127.0.0.1:8080/v1");
        let page = Plan::new(&c, &decided::AGENTS_LIST, None, Decode::Page(Kind::Agent));
        let out = interpret(&c, &page, &resp(200, r#"{"count":1,"next":"http://127.0.0.1:8080/v1/agents?offset=1&limit=1","results":[{"email":"a@example.com","fullname":"A","created_at":null,"last_update":null,"last_connection":null,"is_admin":"false","phone_number":null,"phone_country":null}]}"#)).unwrap();
        assert_eq!(out.next.as_deref(), Some("http://127.0.0.1:8080/v1/agents?offset=1&limit=1"));
        assert!(out.json.contains("\"is_admin\":false"));

        let e = interpret(&c, &page, &resp(404, r#"{"success":false,"error_message":"Contact not found"}"#)).err().unwrap();
        assert_eq!((e.kind, e.status, e.message.as_str()), (ErrorKind::NotFound, Some(404), "Contact not found"));
        assert_eq!(e.request_id.as_deref(), Some("req_9"));
        assert_eq!(e.operation, "agents.list");
        let e = interpret(&c, &page, &resp(503, "<html>oops</html>")).err().unwrap();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Server, "HTTP 503 Service Unavailable"));
        let e = interpret(&c, &page, &resp(302, "")).err().unwrap();
        assert_eq!(e.kind, ErrorKind::Api);
        let e = interpret(&c, &page, &resp(200, r#"{"count":1,"results":["#)).err().unwrap();
        assert_eq!(e.kind, ErrorKind::Decode);
        // A 2xx body without what the type promises: a decode error naming the field.
        let send = Plan::new(&c, &decided::SMS_SEND, None, Decode::Object(Kind::SmsSent));
        let e = interpret(&c, &send, &resp(200, r#"{"success":true,"id":"1"}"#)).err().unwrap();
        assert_eq!((e.kind, e.field.as_deref(), e.status), (ErrorKind::Decode, Some("segments"), Some(200)));
        assert_eq!(e.message, "the response body is not what sms.send returns: \"segments\" is missing");
        // A key the server echoes never reaches the error.
        let e = interpret(&c, &page, &resp(401, r#"{"success":false,"error_message":"Invalid API key: sk-secret"}"#)).err().unwrap();
        assert_eq!(e.message, "Invalid API key: [redacted]");

        let send = Plan::new(&c, &decided::SMS_SEND, None, Decode::Object(Kind::SmsSent));
        let e = interpret(&c, &send, &resp(200, r#"{"success":false,"error_message":"Number not enabled for SMS"}"#)).err().unwrap();
        assert_eq!((e.kind, e.status, e.message.as_str()), (ErrorKind::Api, Some(200), "Number not enabled for SMS"));
        let e = interpret(&c, &send, &resp(200, r#"{"success":false,"error_message":"bad key sk-secret"}"#)).err().unwrap();
        assert!(!e.message.contains("sk-secret"));

        let del = Plan::new(&c, &decided::WEBHOOKS_DELETE, Some(&id("1")), Decode::Deleted);
        assert_eq!(interpret(&c, &del, &resp(204, "")).unwrap().json, "{\"success\":true}");

        let r = raw_plan(r#"{"path":"/x"}"#).unwrap();
        let out = interpret(&c, &r, &resp(200, "{\"a\": 1}")).unwrap();
        assert_eq!(out.json, "{\"status\":200,\"headers\":{\"x-request-id\":\"req_9\"},\"body\":{\"a\":1}}");
        let out = interpret(&c, &r, &resp(200, "plain \"text\"")).unwrap();
        assert!(out.json.ends_with("\"body\":\"plain \\\"text\\\"\"}"));
        assert!(interpret(&c, &r, &resp(404, "{}")).is_err());
    }
}
