//! Small HTTP helpers: JSON responses, query parsing, paging, the date filter.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::state::App;
use crate::time;

pub const DEFAULT_LIMIT: u64 = 10;
pub const MAX_LIMIT: u64 = 500;

pub fn json_response(status: StatusCode, v: &Value) -> Response {
    let body = serde_json::to_vec(v).unwrap_or_else(|_| b"{}".to_vec());
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

pub fn ok(v: Value) -> Response {
    json_response(StatusCode::OK, &v)
}

pub fn created(v: Value) -> Response {
    json_response(StatusCode::CREATED, &v)
}

pub fn err(status: StatusCode, msg: impl Into<String>) -> Response {
    json_response(
        status,
        &json!({"success": false, "error_message": msg.into()}),
    )
}

pub fn bad_request(msg: impl Into<String>) -> Response {
    err(StatusCode::BAD_REQUEST, msg)
}

pub fn not_found(msg: impl Into<String>) -> Response {
    err(StatusCode::NOT_FOUND, msg)
}

pub fn to_value<T: serde::Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

/// `http://<Host header>` (falls back to the listening address).
pub fn base_url(app: &App, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() < 256
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
        })
        .map(str::to_string)
        .unwrap_or_else(|| app.local_addr.to_string());
    format!("http://{host}")
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decoding; `plus_as_space` for query strings. Invalid escapes are kept literally.
pub fn pct_decode(s: &str, plus_as_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_as_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
pub fn pct_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(q: Option<&str>) -> Query {
        let mut v = Vec::new();
        for part in q.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, val) = part.split_once('=').unwrap_or((part, ""));
            v.push((pct_decode(k, true), pct_decode(val, true)));
        }
        Query(v)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

pub struct Page {
    pub offset: usize,
    pub limit: usize,
}

/// `limit` (default 10, clamped to 500; 0, negative or non-numeric → 400) and `offset`.
pub fn page(q: &Query) -> Result<Page, Response> {
    let limit = match q.get("limit") {
        None => DEFAULT_LIMIT,
        Some(v) => {
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad_request(format!(
                    "invalid limit {v:?}: must be a positive integer (1-{MAX_LIMIT}; larger values are clamped to {MAX_LIMIT})"
                )));
            }
            let n = v.parse::<u64>().unwrap_or(u64::MAX);
            if n == 0 {
                return Err(bad_request(
                    "invalid limit \"0\": must be a positive integer (1-500)",
                ));
            }
            n.min(MAX_LIMIT)
        }
    };
    let offset = match q.get("offset") {
        None => 0,
        Some(v) => {
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad_request(format!(
                    "invalid offset {v:?}: must be a non-negative integer (first row is 0)"
                )));
            }
            v.parse::<usize>().unwrap_or(usize::MAX)
        }
    };
    Ok(Page {
        offset,
        limit: limit as usize,
    })
}

/// The pagination envelope: `count` = rows in this page, absolute `next` or null.
pub fn envelope(
    url: &str,
    p: &Page,
    total: usize,
    results: Vec<Value>,
    filter: Option<&str>,
) -> Value {
    let count = results.len();
    let next = if count > 0 && p.offset.saturating_add(count) < total {
        let mut n = format!("{url}?offset={}&limit={}", p.offset + count, p.limit);
        if let Some(f) = filter {
            n.push_str("&filter=");
            n.push_str(&pct_encode(f));
        }
        Value::String(n)
    } else {
        Value::Null
    };
    json!({"count": count, "next": next, "results": results})
}

/// Pages a list that is already materialised (in output order).
pub fn page_slice<T: serde::Serialize>(items: &[&T], p: &Page) -> Vec<Value> {
    items
        .iter()
        .skip(p.offset)
        .take(p.limit)
        .map(|t| to_value(*t))
        .collect()
}

/// Inclusive time bounds from `filter=(created_at >= …) AND (created_at <= …)`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Filter {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
}

impl Filter {
    pub fn contains(&self, t: i64) -> bool {
        self.lo.is_none_or(|lo| t >= lo) && self.hi.is_none_or(|hi| t <= hi)
    }
}

const FILTER_HELP: &str =
    "expected e.g. (created_at >= 2017-06-01) AND (created_at <= 2017-06-02); dates YYYY-MM-DD or YYYY-MM-DD HH:MM:SS";

/// Parses the date filter. `fields` are the accepted field names (`created_at`, plus
/// `init_dt` for CDRs).
pub fn parse_filter(raw: &str, fields: &[&str]) -> Result<Filter, String> {
    let fail = |detail: String| format!("invalid filter {raw:?}: {detail}; {FILTER_HELP}");
    let upper = raw.to_ascii_uppercase();
    let mut clauses = Vec::new();
    let mut start = 0;
    let mut search = 0;
    while let Some(pos) = upper[search..].find("AND") {
        let at = search + pos;
        clauses.push(&raw[start..at]);
        start = at + 3;
        search = start;
    }
    clauses.push(&raw[start..]);
    if clauses.len() > 2 {
        return Err(fail("at most two clauses joined by AND".into()));
    }
    let mut f = Filter::default();
    for c in clauses {
        let mut c = c.trim();
        if c.is_empty() {
            return Err(fail("empty clause".into()));
        }
        let opened = c.starts_with('(');
        let closed = c.ends_with(')');
        if opened != closed {
            return Err(fail(format!("unbalanced parentheses in {c:?}")));
        }
        if opened {
            c = c[1..c.len() - 1].trim();
        }
        let field_end = c
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .unwrap_or(c.len());
        let field = &c[..field_end];
        if !fields.contains(&field) {
            return Err(fail(format!(
                "unknown field {field:?} (supported: {})",
                fields.join(", ")
            )));
        }
        let rest = c[field_end..].trim_start();
        let (op, value) = if let Some(v) = rest.strip_prefix(">=") {
            (">=", v)
        } else if let Some(v) = rest.strip_prefix("<=") {
            ("<=", v)
        } else if let Some(v) = rest.strip_prefix('>') {
            (">", v)
        } else if let Some(v) = rest.strip_prefix('<') {
            ("<", v)
        } else if let Some(v) = rest.strip_prefix('=') {
            ("=", v)
        } else {
            return Err(fail(format!(
                "expected an operator (>=, <=, >, <, =) after {field}"
            )));
        };
        let value = value.trim().trim_matches(|ch| ch == '\'' || ch == '"');
        let Some((t, date_only)) = time::parse(value) else {
            return Err(fail(format!("bad date {value:?}")));
        };
        let day_end = t + 86_399;
        let (lo, hi) = match (op, date_only) {
            (">=", _) => (Some(t), None),
            (">", true) => (Some(day_end + 1), None),
            (">", false) => (Some(t + 1), None),
            ("<=", true) => (None, Some(day_end)),
            ("<=", false) => (None, Some(t)),
            ("<", _) => (None, Some(t - 1)),
            (_, true) => (Some(t), Some(day_end)),
            (_, false) => (Some(t), Some(t)),
        };
        if let Some(lo) = lo {
            f.lo = Some(f.lo.map_or(lo, |x: i64| x.max(lo)));
        }
        if let Some(hi) = hi {
            f.hi = Some(f.hi.map_or(hi, |x: i64| x.min(hi)));
        }
    }
    Ok(f)
}

/// The `filter` query parameter: `Ok(None)` when absent or blank.
pub fn filter_param(q: &Query, fields: &[&str]) -> Result<Option<(String, Filter)>, Response> {
    match q.get("filter") {
        None => Ok(None),
        Some(f) if f.trim().is_empty() => Ok(None),
        Some(f) => match parse_filter(f, fields) {
            Ok(parsed) => Ok(Some((f.to_string(), parsed))),
            Err(e) => Err(bad_request(e)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        let f = parse_filter(
            "(created_at >= 2017-06-01) AND (created_at <= 2017-06-02)",
            &["created_at"],
        )
        .unwrap();
        assert_eq!(f.lo, Some(time::ts(2017, 6, 1, 0, 0, 0)));
        assert_eq!(f.hi, Some(time::ts(2017, 6, 2, 23, 59, 59)));
        let g = parse_filter(
            "(created_at <= 2017-06-02) and (created_at >= 2017-06-01)",
            &["created_at"],
        )
        .unwrap();
        assert_eq!(f, g);
        let h = parse_filter("created_at >= 2017-06-01 10:00:00", &["created_at"]).unwrap();
        assert_eq!(h.lo, Some(time::ts(2017, 6, 1, 10, 0, 0)));
        assert!(parse_filter("(created_at >= yesterday)", &["created_at"]).is_err());
        assert!(parse_filter("(updated_at >= 2017-06-01)", &["created_at"]).is_err());
        assert!(parse_filter("(created_at >= 2017-06-01", &["created_at"]).is_err());
        assert!(parse_filter("created_at 2017-06-01", &["created_at"]).is_err());
    }

    #[test]
    fn decoding() {
        assert_eq!(pct_decode("%2B1555", false), "+1555");
        assert_eq!(pct_decode("a+b%20c%", true), "a b c%");
        assert_eq!(pct_decode("%zz%4", false), "%zz%4");
        assert_eq!(
            pct_encode("(created_at >= 2017-06-01)"),
            "%28created_at%20%3E%3D%202017-06-01%29"
        );
    }
}
