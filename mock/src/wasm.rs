//! The wasm front end: one `#[wasm_bindgen]` class the JS wrapper (mock/js/core.js) drives.
//! A request arrives as plain values (method, path with query, header pairs, body bytes read
//! by JS), runs through the same pipeline as the native server, and leaves as a response
//! record or a fault the wrapper acts out (`drop` → a rejected fetch, `hang` → wait for the
//! signal). Timers and webhook deliveries are the wrapper's (runtime.rs). Nothing a request or
//! an option carries may panic: a panic would trap this wasm instance for good.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use axum::Router;
use http_body_util::BodyExt;
use js_sys::{Array, Function, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::data::MAX_CONTACTS;
use crate::pipeline::{self, BodyError, Outcome, BODY_LIMIT};
use crate::runtime::{self, Host, Transport};
use crate::state::{App, Config};

/// The host of base URLs when a request carries no Host header (the wrapper always sets one).
const AUTHORITY: &str = "toky-mock.localhost";
/// Seeds are JS numbers: integers up to 2^53 − 1 are exact.
const MAX_SEED: f64 = 9_007_199_254_740_991.0;

static NEXT_ID: AtomicU32 = AtomicU32::new(1);

/// One in-process toky-mock: its own state, faults, journal and deliveries.
#[wasm_bindgen]
pub struct MockCore {
    app: Arc<App>,
    router: Router,
    id: u32,
}

/// Why an option is refused, naming it (the wrapper throws it as a `TypeError`).
fn check(seed: f64, api_key: &str, contacts: f64) -> Result<(u64, usize), String> {
    if !(seed.is_finite() && seed.fract() == 0.0 && (0.0..=MAX_SEED).contains(&seed)) {
        return Err(format!(
            "option `seed` must be an integer from 0 to {MAX_SEED}, not {seed}"
        ));
    }
    if api_key.is_empty() || api_key.bytes().any(|b| b.is_ascii_control() || !b.is_ascii()) {
        return Err("option `apiKey` must be a non-empty string of printable ASCII".into());
    }
    if !(contacts.is_finite() && contacts.fract() == 0.0 && (0.0..=MAX_CONTACTS as f64).contains(&contacts)) {
        return Err(format!(
            "option `contacts` must be an integer from 0 to {MAX_CONTACTS}, not {contacts}"
        ));
    }
    Ok((seed as u64, contacts as usize))
}

#[wasm_bindgen]
impl MockCore {
    /// `sleep(ms) → Promise<void>` and `deliver(url, bytes, timeoutMs) → Promise<number>` are
    /// the wrapper's timers and webhook transport.
    #[wasm_bindgen(constructor)]
    pub fn new(
        seed: f64,
        api_key: String,
        contacts: f64,
        loopback_webhooks: bool,
        sleep: Function,
        deliver: Function,
    ) -> Result<MockCore, JsError> {
        let (seed, contacts) = check(seed, &api_key, contacts).map_err(|e| JsError::new(&e))?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        runtime::register(id, Host { sleep, deliver });
        let cfg = Config {
            seed,
            api_key,
            contacts,
            www: None,
            pkg: None,
            upstream: None,
            upstream_key: None,
            loopback_webhooks,
        };
        let app = Arc::new(App::new(cfg, AUTHORITY.to_string(), Transport(id)));
        let router = pipeline::router(app.clone());
        Ok(MockCore { app, router, id })
    }

    /// Runs one request. `headers` is names and values alternating, each followed by `\n`
    /// (fetch's `Headers` refuses a newline in either, so it cannot be part of one); `body` is
    /// `undefined` when the request has none, and `too_large` says the wrapper stopped reading
    /// it at the limit. Resolves to `[status, headers, body]` (headers in the same form), or to
    /// `"drop"` or `"hang"`; rejects (with an `Error`) only for a request no fetch could send.
    /// Strings in one piece and an array, not an object of string pairs: each string crossing
    /// the boundary is a decode, and they were most of this call's JS-side time.
    pub fn handle(
        &self,
        method: String,
        target: String,
        headers: String,
        body: Option<Vec<u8>>,
        too_large: bool,
    ) -> js_sys::Promise {
        let (app, router) = (self.app.clone(), self.router.clone());
        future_to_promise(async move {
            let req = request(&method, &target, &headers, body, too_large)
                .map_err(|e| JsValue::from(JsError::new(&e)))?;
            let out: JsValue = match pipeline::handle(app, router, req).await {
                Outcome::Respond(resp) => {
                    let (parts, body) = resp.into_parts();
                    let bytes = body.collect().await.map(|c| c.to_bytes()).unwrap_or_default();
                    let mut pairs = String::new();
                    for (k, v) in &parts.headers {
                        pairs.push_str(k.as_str());
                        pairs.push('\n');
                        pairs.push_str(&String::from_utf8_lossy(v.as_bytes()));
                        pairs.push('\n');
                    }
                    Array::of3(
                        &parts.status.as_u16().into(),
                        &JsValue::from_str(&pairs),
                        &Uint8Array::from(&bytes[..]),
                    )
                    .into()
                }
                Outcome::Drop => JsValue::from_str("drop"),
                Outcome::Hang => JsValue::from_str("hang"),
            };
            Ok(out)
        })
    }

    /// Stops background work: pending webhook retries end, and sleeps never wake.
    pub fn close(&self) {
        self.app.generation.fetch_add(1, Ordering::SeqCst);
        runtime::unregister(self.id);
    }
}

fn request(
    method: &str,
    target: &str,
    headers: &str,
    body: Option<Vec<u8>>,
    too_large: bool,
) -> Result<Request<pipeline::ReadBody>, String> {
    let method = Method::from_bytes(method.as_bytes()).map_err(|_| format!("invalid method {method:?}"))?;
    let body = match body {
        _ if too_large => Err(BodyError::TooLarge),
        Some(b) if b.len() > BODY_LIMIT => Err(BodyError::TooLarge),
        Some(b) => Ok(Bytes::from(b)),
        None => Ok(Bytes::new()),
    };
    let mut req = Request::builder()
        .method(method)
        .uri(target)
        .body(body)
        .map_err(|e| format!("invalid request target {target:?}: {e}"))?;
    let mut items = headers.split_terminator('\n');
    while let (Some(name), Some(value)) = (items.next(), items.next()) {
        // fetch already refuses what HTTP cannot carry; anything else is skipped, not trusted.
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            req.headers_mut().append(k, v);
        }
    }
    Ok(req)
}

