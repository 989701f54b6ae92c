//! Proxy mode: `/v1/<rest>?<query>` → `<upstream>/<rest>?<query>` with the real key added.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;

use crate::error::{ApiError, ApiResult};
use crate::state::App;
use crate::util::base_url;

/// Request headers never forwarded upstream.
const DROP_REQUEST: [&str; 13] = [
    "host",
    "x-toky-key",
    "content-length",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "accept-encoding",
    "origin",
    "cookie",
];
/// Response headers never passed back.
const DROP_RESPONSE: [&str; 10] = [
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "set-cookie",
    "content-encoding",
    "x-request-id",
];

pub async fn forward(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let (Some(upstream), Some(key)) = (app.cfg.upstream.clone(), app.cfg.upstream_key.clone())
    else {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "proxy mode is not configured",
        ));
    };
    let rest = uri.path().strip_prefix("/v1").unwrap_or("");
    let mut url = format!("{upstream}{rest}");
    if let Some(q) = uri.query() {
        url.push('?');
        url.push_str(q);
    }
    let mut out = HeaderMap::new();
    for (name, value) in &headers {
        let n = name.as_str();
        if DROP_REQUEST.contains(&n) || n.starts_with("access-control-") || n.starts_with("sec-") {
            continue;
        }
        out.append(name.clone(), value.clone());
    }
    let key_value = HeaderValue::from_str(&key).map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "TOKY_API_KEY is not a valid header value",
        )
    })?;
    out.insert(HeaderName::from_static("x-toky-key"), key_value);
    let mut req = app.client.request(method.clone(), &url).headers(out);
    if !body.is_empty() || matches!(method, Method::POST | Method::PUT | Method::PATCH) {
        req = req.body(body);
    }
    let resp = req.send().await.map_err(|e| {
        let status = if e.is_timeout() {
            StatusCode::GATEWAY_TIMEOUT
        } else {
            StatusCode::BAD_GATEWAY
        };
        // never echo the key; reqwest errors carry only the URL
        ApiError::new(status, format!("upstream request failed: {e}"))
    })?;
    let status = resp.status();
    let resp_headers = resp.headers().clone();
    let bytes = resp.bytes().await.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_GATEWAY,
            format!("upstream response could not be read: {e}"),
        )
    })?;
    let ours = format!("{}/v1", base_url(&app, &headers));
    let is_text = resp_headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.contains("json") || ct.starts_with("text/"));
    let body = if is_text {
        rewrite(&bytes, &upstream, &ours)
    } else {
        bytes.to_vec()
    };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    for (name, value) in &resp_headers {
        let n = name.as_str();
        if DROP_RESPONSE.contains(&n) || n.starts_with("access-control-") {
            continue;
        }
        if n == "location" {
            if let Ok(v) = value.to_str() {
                if let Ok(v) = HeaderValue::from_str(&v.replace(&upstream, &ours)) {
                    r.headers_mut().append(name.clone(), v);
                }
            }
            continue;
        }
        r.headers_mut().append(name.clone(), value.clone());
    }
    if let Some(id) = resp_headers.get("x-request-id") {
        r.headers_mut()
            .insert(HeaderName::from_static("x-upstream-request-id"), id.clone());
    }
    Ok(r)
}

/// Rewrites absolute upstream URLs (e.g. `next`) to the proxy's own `/v1` base, also in
/// their JSON-escaped (`\/`) form and for the other scheme (http ↔ https).
fn rewrite(body: &[u8], upstream: &str, ours: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(body) else {
        return body.to_vec();
    };
    let mut variants = vec![upstream.to_string()];
    if let Some(rest) = upstream.strip_prefix("https://") {
        variants.push(format!("http://{rest}"));
    } else if let Some(rest) = upstream.strip_prefix("http://") {
        variants.push(format!("https://{rest}"));
    }
    let mut out = text.to_string();
    for v in variants {
        out = out.replace(&v, ours);
        out = out.replace(&v.replace('/', "\\/"), &ours.replace('/', "\\/"));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn rewrites_next() {
        let body = br#"{"next":"https://api.toky.co/v1/cdrs?offset=10&limit=10","x":"http:\/\/api.toky.co\/v1\/a"}"#;
        let out = super::rewrite(body, "https://api.toky.co/v1", "http://127.0.0.1:9/v1");
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.contains(r#""next":"http://127.0.0.1:9/v1/cdrs?offset=10&limit=10""#),
            "{s}"
        );
        assert!(s.contains(r#"http:\/\/127.0.0.1:9\/v1\/a"#), "{s}");
    }
}
