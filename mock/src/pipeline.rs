//! The request pipeline both front ends share: every request passes through `handle`, which
//! adds request ids, CORS, the journal, the body limit's answer, auth on `/v1`, faults and
//! JSON error bodies, then calls the axum Router as a tower service. A fault that must not
//! answer comes back as a value (`Outcome::Drop`, `Outcome::Hang`) for the front end to act
//! out: the native server closes or holds the connection; the wasm one rejects or waits for
//! the caller's abort signal. Nothing here reads sockets or knows the runtime.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{
    header, HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode,
};
use axum::routing::{delete, get, post};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::state::{App, Fault, FaultKind, JournalEntry};
use crate::util::{err, json_response};
use crate::{api, control, openapi, runtime};

/// Request bodies above this are refused with 413.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// Size of the padding field added by the `huge` fault.
pub const HUGE_PADDING: usize = 8 * 1024 * 1024;

pub const ALLOW_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
pub const EXPOSE_HEADERS: &str = "x-request-id, retry-after";

pub fn router(app: Arc<App>) -> Router {
    let mut r = Router::new();
    #[cfg(not(target_arch = "wasm32"))]
    if app.cfg.upstream.is_some() {
        r = r
            .route("/v1", axum::routing::any(crate::proxy::forward))
            .route("/v1/{*rest}", axum::routing::any(crate::proxy::forward));
    }
    if app.cfg.upstream.is_none() {
        r = r
            .route("/v1/agents", get(api::agents))
            .route(
                "/v1/contacts",
                get(api::contacts_list).post(api::contact_create),
            )
            .route(
                "/v1/contacts/{phone}",
                get(api::contact_get).put(api::contact_update),
            )
            .route("/v1/sms", get(api::sms_list))
            .route("/v1/sms/send", post(api::sms_send))
            .route("/v1/voicemails", get(api::voicemails_list))
            .route("/v1/voicemails/{id}", get(api::voicemail_get))
            .route("/v1/cdrs", get(api::cdrs_list))
            .route("/v1/recordings/{callid}", get(api::recording_get))
            .route(
                "/v1/webhooks",
                get(api::webhooks_list).post(api::webhook_create),
            )
            .route("/v1/webhooks/{id}", delete(api::webhook_delete))
            .route("/__mock/audio/{file}", get(control::audio));
    }
    r = r
        .route("/openapi.json", get(openapi::serve))
        .route("/__mock/events", post(control::events))
        .route(
            "/__mock/faults",
            get(control::faults_list)
                .post(control::fault_add)
                .delete(control::faults_clear),
        )
        .route(
            "/__mock/journal",
            get(control::journal).delete(control::journal_clear),
        )
        .route("/__mock/reset", post(control::reset))
        .route("/__mock/numbers", get(control::numbers))
        .route(
            "/__mock/deliveries",
            get(control::deliveries).delete(control::deliveries_clear),
        );
    #[cfg(not(target_arch = "wasm32"))]
    {
        use tower_http::services::ServeDir;
        if let Some(pkg) = &app.cfg.pkg {
            r = r.nest_service("/pkg", ServeDir::new(pkg));
        }
        if let Some(www) = &app.cfg.www {
            return r.fallback_service(ServeDir::new(www)).with_state(app);
        }
    }
    r.fallback(no_route).with_state(app)
}

async fn no_route(method: Method, uri: axum::http::Uri) -> crate::error::ApiError {
    crate::error::ApiError::not_found(format!("no such route: {method} {}", uri.path()))
}

enum Flow {
    Respond(Response<Body>, bool),
    Drop(bool),
    Hang,
}

/// What the front end does with a request.
pub enum Outcome {
    /// Send this response.
    Respond(Response<Body>),
    /// Close the connection without a response (`drop_before`, `drop_after`).
    Drop,
    /// Answer nothing until the client gives up (`hang`).
    Hang,
}

/// Why a request's body is not there (the front end reads it).
pub enum BodyError {
    TooLarge,
    Unreadable,
}

/// The body as the front end read it.
pub type ReadBody = Result<Bytes, BodyError>;

fn preflight(headers: &HeaderMap) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::NO_CONTENT;
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOW_METHODS),
    );
    let allow = headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .filter(|v| !v.as_bytes().is_empty())
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("x-toky-key, content-type"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allow);
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Access-Control-Request-Headers"),
    );
    r
}

fn status_fault(f: &Fault) -> Response<Body> {
    let status = StatusCode::from_u16(f.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let msg = match f.status {
        429 => "rate limited (simulated fault)".to_string(),
        s => format!(
            "simulated fault: HTTP {s} {}",
            status.canonical_reason().unwrap_or("")
        )
        .trim()
        .to_string(),
    };
    let mut r = err(status, msg);
    if let Some(ra) = &f.retry_after {
        if let Ok(v) = HeaderValue::from_str(ra) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    r
}

async fn body_bytes(body: Body) -> Bytes {
    body.collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default()
}

async fn truncated(resp: Response<Body>) -> Response<Body> {
    let (mut parts, body) = resp.into_parts();
    let bytes = body_bytes(body).await;
    let cut = bytes.slice(..bytes.len() / 2);
    parts.status = StatusCode::OK;
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}

async fn huge(resp: Response<Body>) -> Response<Body> {
    let bytes = body_bytes(resp.into_body()).await;
    let mut v = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Value::Object(m),
        Ok(other) => json!({"data": other}),
        Err(_) => json!({"data": String::from_utf8_lossy(&bytes)}),
    };
    v["padding"] = Value::String("x".repeat(HUGE_PADDING));
    json_response(StatusCode::OK, &v)
}

fn invalid_json() -> Response<Body> {
    let mut r = Response::new(Body::from(&br#"{"count": 1, "results": ["#[..]));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Runs the application (auth for `/v1`, then the router). Returns whether the handler ran.
async fn run_app(
    app: &App,
    router: Router,
    parts: axum::http::request::Parts,
    body: Bytes,
    is_api: bool,
) -> (Response<Body>, bool) {
    if is_api && app.cfg.upstream.is_none() {
        match parts.headers.get("x-toky-key") {
            None => {
                return (
                    err(StatusCode::UNAUTHORIZED, "missing X-Toky-Key header"),
                    false,
                )
            }
            Some(k) if k.as_bytes() != app.cfg.api_key.as_bytes() => {
                return (
                    err(StatusCode::UNAUTHORIZED, "invalid API key (X-Toky-Key)"),
                    false,
                )
            }
            Some(_) => {}
        }
    }
    let req = Request::from_parts(parts, Body::from(body));
    match router.oneshot(req).await {
        Ok(r) => (r, true),
        Err(never) => match never {},
    }
}

/// Adds the headers every response carries and turns non-JSON errors into JSON ones.
async fn finish(resp: Response<Body>, rid: &str, method: &Method, path: &str) -> Response<Body> {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let mut resp = if status.as_u16() >= 400 && !is_json {
        let (parts, body) = resp.into_parts();
        let text = body_bytes(body).await;
        let text = String::from_utf8_lossy(&text[..text.len().min(2000)])
            .trim()
            .to_string();
        let msg = match status.as_u16() {
            405 => format!("method {method} is not allowed on {path}"),
            404 => format!("not found: {method} {path}"),
            _ if !text.is_empty() => text,
            _ => status.canonical_reason().unwrap_or("error").to_string(),
        };
        let mut new = err(status, msg);
        for h in [header::ALLOW, header::RETRY_AFTER] {
            if let Some(v) = parts.headers.get(&h) {
                new.headers_mut().insert(h, v.clone());
            }
        }
        new
    } else {
        resp
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(rid) {
        h.insert(HeaderName::from_static("x-request-id"), v);
    }
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
    fix_static_type(h, path);
    resp
}

/// Exact content types for the static folders (`--www`, `--pkg`).
fn fix_static_type(h: &mut HeaderMap, path: &str) {
    if path.starts_with("/v1") || path.starts_with("/__mock") {
        return;
    }
    let ext = path.rsplit('.').next().unwrap_or("");
    let ct = match ext {
        "wasm" => "application/wasm",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "css" => "text/css; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        _ => return,
    };
    if h.get(header::CONTENT_TYPE).is_some() {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
}

/// Runs one request through faults, the journal and the router.
pub async fn handle(app: Arc<App>, router: Router, req: Request<ReadBody>) -> Outcome {
    let rid = app.next_request_id();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let journaled = path != "/__mock/journal";
    let entry = |body: Option<String>, fault: Option<&'static str>| JournalEntry {
        seq: 0,
        request_id: rid.clone(),
        method: method.to_string(),
        path: path.clone(),
        query: query.clone(),
        body,
        status: None,
        handler_ran: false,
        fault,
    };

    if method == Method::OPTIONS {
        let resp = finish(preflight(req.headers()), &rid, &method, &path).await;
        if journaled {
            let seq = app.journal_push(entry(None, None));
            app.journal_finish(seq, Some(204), false);
        }
        return Outcome::Respond(resp);
    }

    let (parts, body) = req.into_parts();
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            let resp = match e {
                BodyError::TooLarge => err(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("request body exceeds {BODY_LIMIT} bytes (1 MiB)"),
                ),
                BodyError::Unreadable => {
                    err(StatusCode::BAD_REQUEST, "request body could not be read")
                }
            };
            let resp = finish(resp, &rid, &method, &path).await;
            if journaled {
                let seq = app.journal_push(entry(None, None));
                app.journal_finish(seq, Some(resp.status().as_u16()), false);
            }
            return Outcome::Respond(resp);
        }
    };

    let is_api = path == "/v1" || path.starts_with("/v1/");
    let fault = if is_api {
        let after = path
            .strip_prefix("/v1")
            .filter(|a| !a.is_empty())
            .unwrap_or("/");
        let decoded = percent_encoding::percent_decode_str(after).decode_utf8_lossy();
        app.take_fault(method.as_str(), after, &decoded)
    } else {
        None
    };
    let seq = journaled.then(|| {
        let b = (!body.is_empty()).then(|| String::from_utf8_lossy(&body).into_owned());
        app.journal_push(entry(b, fault.as_ref().map(|f| f.kind.name())))
    });

    if let Some(f) = &fault {
        if f.delay_ms > 0 {
            runtime::sleep(&app.client, Duration::from_millis(f.delay_ms)).await;
        }
    }
    let kind = fault.as_ref().map(|f| f.kind);
    let flow = match &fault {
        Some(f) if f.kind == FaultKind::Status => Flow::Respond(status_fault(f), false),
        Some(f) if f.kind == FaultKind::DropBefore => Flow::Drop(false),
        Some(f) if f.kind == FaultKind::Hang => Flow::Hang,
        _ => {
            let (resp, ran) = run_app(&app, router, parts, body, is_api).await;
            match kind {
                Some(FaultKind::DropAfter) => Flow::Drop(ran),
                Some(FaultKind::Truncate) => Flow::Respond(truncated(resp).await, ran),
                Some(FaultKind::InvalidJson) => Flow::Respond(invalid_json(), ran),
                Some(FaultKind::Huge) => Flow::Respond(huge(resp).await, ran),
                _ => Flow::Respond(resp, ran),
            }
        }
    };
    match flow {
        Flow::Respond(resp, ran) => {
            let resp = finish(resp, &rid, &method, &path).await;
            if let Some(seq) = seq {
                app.journal_finish(seq, Some(resp.status().as_u16()), ran);
            }
            Outcome::Respond(resp)
        }
        Flow::Drop(ran) => {
            if let Some(seq) = seq {
                app.journal_finish(seq, None, ran);
            }
            Outcome::Drop
        }
        Flow::Hang => Outcome::Hang,
    }
}
