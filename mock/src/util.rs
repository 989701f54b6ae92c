//! Response helpers: JSON responses, the request's base URL, paging and its envelope.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::state::App;

pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 500;

/// Everything but RFC 3986's unreserved characters is escaped in the `filter` of `next`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn json_response(status: StatusCode, v: &Value) -> Response {
    json_of(status, v)
}

/// A JSON response written straight from a serde type: records and list envelopes go to bytes
/// with no `Value` in between (building one, map by map, was most of a list request's time in
/// the wasm build).
pub fn json_of<T: serde::Serialize + ?Sized>(status: StatusCode, v: &T) -> Response {
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
        .unwrap_or_else(|| app.local_addr.clone());
    format!("http://{host}")
}

/// The query of every list route. Other parameters are ignored.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub limit: Limit,
    #[serde(default)]
    pub offset: Offset,
    /// Only the time-filtered lists (`/sms`, `/voicemails`, `/cdrs`) read it.
    pub filter: Option<String>,
}

/// `limit`: default 10, above 500 clamped to 500 [DECIDED]; 0, negative or non-numeric → 400.
pub struct Limit(pub usize);

impl Default for Limit {
    fn default() -> Limit {
        Limit(DEFAULT_LIMIT)
    }
}

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Limit, D::Error> {
        let v = String::deserialize(d)?;
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(serde::de::Error::custom(format!(
                "invalid limit {v:?}: must be a positive integer (1-{MAX_LIMIT}; larger values are clamped to {MAX_LIMIT})"
            )));
        }
        match v.parse::<u64>().unwrap_or(u64::MAX) {
            0 => Err(serde::de::Error::custom(format!(
                "invalid limit \"0\": must be a positive integer (1-{MAX_LIMIT})"
            ))),
            n => Ok(Limit(
                usize::try_from(n).unwrap_or(MAX_LIMIT).min(MAX_LIMIT),
            )),
        }
    }
}

/// `offset`: the first row is 0; negative or non-numeric → 400.
#[derive(Default)]
pub struct Offset(pub usize);

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Offset, D::Error> {
        let v = String::deserialize(d)?;
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(serde::de::Error::custom(format!(
                "invalid offset {v:?}: must be a non-negative integer (first row is 0)"
            )));
        }
        Ok(Offset(v.parse::<usize>().unwrap_or(usize::MAX)))
    }
}

pub struct Page {
    pub offset: usize,
    pub limit: usize,
}

impl From<&ListQuery> for Page {
    fn from(q: &ListQuery) -> Page {
        Page {
            offset: q.offset.0,
            limit: q.limit.0,
        }
    }
}

/// The `next` of a page of `count` rows from `p.offset` out of `total`.
fn next_url(
    url: &str,
    p: &Page,
    total: usize,
    count: usize,
    filter: Option<&str>,
) -> Option<String> {
    if count == 0 || p.offset.saturating_add(count) >= total {
        return None;
    }
    let mut n = format!("{url}?offset={}&limit={}", p.offset + count, p.limit);
    if let Some(f) = filter {
        n.push_str("&filter=");
        n.extend(utf8_percent_encode(f, QUERY_VALUE));
    }
    Some(n)
}

/// The paging envelope as a serde type (fields in the wire's order).
#[derive(serde::Serialize)]
struct Envelope<'a, T> {
    count: usize,
    next: Option<String>,
    results: &'a [T],
}

/// A 200 with the envelope of `rows`, the page at `p` of a list of `total`.
pub fn page_response<T: serde::Serialize>(
    url: &str,
    p: &Page,
    total: usize,
    rows: &[T],
    filter: Option<&str>,
) -> Response {
    let next = next_url(url, p, total, rows.len(), filter);
    json_of(
        StatusCode::OK,
        &Envelope {
            count: rows.len(),
            next,
            results: rows,
        },
    )
}

/// A list route's whole response: its envelope of `items[offset..offset+limit]`.
pub fn list_response<T: serde::Serialize>(
    url: String,
    q: &ListQuery,
    items: &[&T],
    filter: Option<&str>,
) -> Result<Response, ApiError> {
    let p = Page::from(q);
    let start = p.offset.min(items.len());
    let end = start.saturating_add(p.limit).min(items.len());
    Ok(page_response(
        &url,
        &p,
        items.len(),
        &items[start..end],
        filter,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_query() {
        let q: ListQuery = serde_urlencoded::from_str("limit=1000&offset=3&x=1").unwrap();
        assert_eq!((q.limit.0, q.offset.0), (500, 3));
        let q: ListQuery = serde_urlencoded::from_str("").unwrap();
        assert_eq!((q.limit.0, q.offset.0), (10, 0));
        let q: ListQuery =
            serde_urlencoded::from_str("filter=%28created_at+%3E%3D+2017-06-01%29").unwrap();
        assert_eq!(q.filter.as_deref(), Some("(created_at >= 2017-06-01)"));
        for bad in ["limit=0", "limit=-1", "limit=", "limit=1.5", "offset=x"] {
            assert!(
                serde_urlencoded::from_str::<ListQuery>(bad).is_err(),
                "{bad}"
            );
        }
        let e = serde_urlencoded::from_str::<ListQuery>("limit=abc")
            .err()
            .unwrap();
        assert!(e.to_string().starts_with("invalid limit \"abc\""), "{e}");
    }

    #[test]
    fn next_escapes_the_filter() {
        let p = Page {
            offset: 0,
            limit: 1,
        };
        let next = next_url("u", &p, 2, 1, Some("(created_at >= 2017-06-01)"));
        assert_eq!(
            next.as_deref(),
            Some("u?offset=1&limit=1&filter=%28created_at%20%3E%3D%202017-06-01%29")
        );
    }
}
