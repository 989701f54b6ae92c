//! The wasm layer: boring glue. It performs what the core planned — one attempt at a time
//! through the skin's `send` (fetch, the headers the core reads, the body bytes: one promise
//! instead of an await and a crossing per step), one `AbortController` per call that the
//! deadline and the caller's `AbortSignal` both abort (also during a backoff sleep), and
//! `setTimeout` sleeps — and converts values at the boundary. No business rules live here:
//! what to send, whether to retry and what a response means are decided by the core.

#[allow(unused_imports)]
use crate::prelude::*;

use core::cell::Cell;
use alloc::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::decided::REQUEST_ID_HEADERS;
use crate::error::{push_u64, Error, ErrorKind};
use crate::request::{interpret, Config, Decode, Env, Plan, Response};
use crate::retry::{decide, Decision, Failure, Situation};

mod task;
use task::{promise, wait};

#[wasm_bindgen]
extern "C" {
    /// skin.js `send(url, initJson, signal, headerNames, allHeaders)`: fetch (the caller's or
    /// the global one), then `[status, ...named header values, all headers as JSON or null,
    /// body bytes]`.
    type Send;
    #[wasm_bindgen(method, js_name = call)]
    fn send(this: &Send, this_arg: &JsValue, url: &str, init: &str, signal: &AbortSignal, names: &Array, all: bool) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    type AbortController;
    #[wasm_bindgen(constructor)]
    fn new() -> AbortController;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &AbortController) -> AbortSignal;
    #[wasm_bindgen(method)]
    fn abort(this: &AbortController);

    type AbortSignal;
    #[wasm_bindgen(method, getter)]
    fn aborted(this: &AbortSignal) -> bool;
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add_event_listener(this: &AbortSignal, ty: &str, f: &Function);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    fn remove_event_listener(this: &AbortSignal, ty: &str, f: &Function);
}

fn to_js(e: &Error) -> JsValue {
    JSON::parse(&e.to_json()).unwrap_or_else(|_| JsValue::from_str(&e.message))
}

/// The client. Holds the checked configuration (and so the key) in wasm memory, where no
/// `toString`, `JSON.stringify` or inspector of the JS object can reach it.
#[wasm_bindgen]
pub struct Client {
    inner: Rc<Inner>,
}

struct Inner {
    cfg: Config,
    send: Send,
    /// The response headers `attempt` reads: the request-id names, then `retry-after`.
    names: Array,
}

#[wasm_bindgen]
impl Client {
    /// `config`: the constructor options as JSON (without `fetch`); `send`: the skin's attempt
    /// function, bound to the caller's own fetch or the global one; `browser`: running on a web
    /// page's main thread (the skin checks for `document` and `window`), where the real API is
    /// refused unless `allowBrowser`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: &str, send: Function, browser: bool) -> Result<Client, JsValue> {
        let env = Env { browser_main_thread: browser };
        let cfg = Config::from_json(config, &env).map_err(|e| to_js(&e.op("new Toky")))?;
        let names = Array::new();
        for h in REQUEST_ID_HEADERS.iter().chain(&["retry-after"]) {
            names.push(&JsValue::from_str(h));
        }
        Ok(Client { inner: Rc::new(Inner { cfg, send: send.unchecked_into(), names }) })
    }

    /// Runs one operation. `input` and `options` are JSON; `signal` an AbortSignal or undefined.
    pub fn call(&self, op: String, input: String, options: String, signal: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let plan = crate::plan(&inner.cfg, &op, &input).map_err(|e| to_js(&e))?;
            run(&inner, plan, &options, signal).await
        })
    }

    /// Fetches the page at `next` for the iteration `op` (e.g. `contacts.iterate`).
    pub fn next(&self, op: String, next: String, options: String, signal: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let first = crate::plan(&inner.cfg, &op, "{}").map_err(|e| to_js(&e))?;
            let plan = first.next(&inner.cfg, &next).map_err(|e| to_js(&e))?;
            run(&inner, plan, &options, signal).await
        })
    }
}

/// `smsSegments(text)`: how a text is billed.
#[wasm_bindgen(js_name = smsSegments)]
pub fn sms_segments(text: JsValue) -> Result<JsValue, JsValue> {
    match text.as_string() {
        Some(t) => JSON::parse(&crate::segments_json(&t)),
        None => Err(to_js(&Error::field("text", "expected a string").op("smsSegments"))),
    }
}

/// `parseWebhookEvent(body, options)`: the skin hands the body as text and the options as JSON.
#[wasm_bindgen(js_name = parseWebhookEvent)]
pub fn parse_webhook_event(body: &str, options: &str) -> Result<JsValue, JsValue> {
    match crate::parse_event_json(body, options) {
        Ok(json) => JSON::parse(&json),
        Err(e) => Err(to_js(&e)),
    }
}

const RUNNING: u8 = 0;
const TIMED_OUT: u8 = 1;
const ABORTED: u8 = 2;

/// One call's cancellation: a controller aborted by the deadline or the caller's signal, and
/// aborted (with its timer cleared and listener removed) when the call ends, so nothing keeps
/// running after the promise settles.
struct Guard {
    controller: AbortController,
    state: Rc<Cell<u8>>,
    /// A fetch (or its body) is pending: only then does dropping the guard abort. Aborting a
    /// finished call would build a DOMException and run fetch's listeners for nothing
    /// (~45 µs a call in the benchmark).
    in_flight: Cell<bool>,
    timer: JsValue,
    _on_timeout: Closure<dyn FnMut()>,
    on_abort: Option<(AbortSignal, Closure<dyn FnMut()>)>,
}

impl Guard {
    fn new(timeout_ms: f64, caller: Option<AbortSignal>) -> Guard {
        let controller = AbortController::new();
        let state = Rc::new(Cell::new(RUNNING));
        let (s1, c1) = (state.clone(), controller.clone_ref());
        let on_timeout = Closure::<dyn FnMut()>::new(move || {
            if s1.get() == RUNNING {
                s1.set(TIMED_OUT);
            }
            c1.abort();
        });
        let timer = set_timeout(on_timeout.as_ref().unchecked_ref(), timeout_ms);
        let on_abort = caller.map(|signal| {
            let (s2, c2) = (state.clone(), controller.clone_ref());
            let f = Closure::<dyn FnMut()>::new(move || {
                if s2.get() == RUNNING {
                    s2.set(ABORTED);
                }
                c2.abort();
            });
            signal.add_event_listener("abort", f.as_ref().unchecked_ref());
            (signal, f)
        });
        Guard { controller, state, in_flight: Cell::new(false), timer, _on_timeout: on_timeout, on_abort }
    }

    fn stopped(&self) -> u8 {
        self.state.get()
    }

    /// Sleeps `ms`, or less if the call is aborted meanwhile.
    async fn sleep(&self, ms: f64) {
        let signal = self.controller.signal();
        let mut timer = JsValue::UNDEFINED;
        let p = Promise::new(&mut |resolve, _| {
            timer = set_timeout(&resolve, ms);
            signal.add_event_listener("abort", &resolve);
        });
        let _ = wait(&p).await;
        clear_timeout(&timer);
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if let Some((signal, f)) = &self.on_abort {
            signal.remove_event_listener("abort", f.as_ref().unchecked_ref());
        }
        if self.in_flight.get() {
            self.controller.abort();
        }
    }
}

trait CloneRef {
    fn clone_ref(&self) -> Self;
}

impl CloneRef for AbortController {
    fn clone_ref(&self) -> Self {
        JsValue::from(self).unchecked_into()
    }
}

/// What one attempt produced.
struct Reply {
    status: u16,
    body: Vec<u8>,
    request_id: Option<String>,
    retry_after: Option<String>,
    headers_json: Option<String>,
}

async fn attempt(inner: &Inner, plan: &Plan, init: &str, signal: &AbortSignal) -> Result<Reply, JsValue> {
    let all = matches!(plan.decode, Decode::Raw);
    let p = inner.send.send(&JsValue::UNDEFINED, &plan.url, init, signal, &inner.names, all);
    let a: Array = wait(&p).await?.unchecked_into();
    let status = a.get(0).as_f64().filter(|s| (0.0..=999.0).contains(s)).map_or(0, |s| s as u16);
    // The request id is the first of its names present; retry-after follows them.
    let ids = REQUEST_ID_HEADERS.len() as u32;
    let request_id = (1..=ids).find_map(|k| a.get(k).as_string());
    let retry_after = a.get(ids + 1).as_string();
    let headers_json = a.get(ids + 2).as_string();
    let body = Uint8Array::new(&a.get(ids + 3)).to_vec();
    Ok(Reply { status, body, request_id, retry_after, headers_json })
}

fn stop_error(plan: &Plan, why: u8, timeout_ms: u64, retries: u32) -> JsValue {
    let mut e = if why == TIMED_OUT {
        let mut m = String::from("no complete response within timeoutMs (");
        push_u64(&mut m, timeout_ms);
        m.push_str(" ms)");
        Error::new(ErrorKind::Timeout, m)
    } else {
        Error::new(ErrorKind::Aborted, "the call was aborted by its AbortSignal")
    };
    e.retries = retries;
    to_js(&e.op(plan.op))
}

/// The message of a JS exception (fetch's TypeError and the like), with the key scrubbed in
/// case a custom fetch echoed request headers into it.
fn js_message(e: &JsValue, cfg: &Config) -> String {
    let text = |v: &JsValue, k: &str| Reflect::get(v, &k.into()).ok().and_then(|m| m.as_string());
    let mut m = text(e, "message").or_else(|| e.as_string()).unwrap_or_default();
    // Node's "fetch failed" says why only in its cause (ECONNREFUSED, ENOTFOUND, ...).
    if let Some(cause) = Reflect::get(e, &"cause".into()).ok().filter(|c| c.is_object()) {
        if let Some(why) = text(&cause, "code").or_else(|| text(&cause, "message")) {
            m.push_str(" (");
            m.push_str(&why);
            m.push(')');
        }
    }
    let m = cfg.redact(&m);
    let mut out = String::from("the request failed before a response arrived");
    if !m.is_empty() {
        out.push_str(": ");
        out.push_str(&m);
    }
    out
}

async fn run(inner: &Inner, plan: Plan, options: &str, signal: JsValue) -> Result<JsValue, JsValue> {
    let (timeout_ms, max_retries) = crate::call_options(&inner.cfg, options).map_err(|e| to_js(&e.op(plan.op)))?;
    let caller: Option<AbortSignal> = if signal.is_undefined() || signal.is_null() {
        None
    } else {
        Some(signal.unchecked_into())
    };
    if caller.as_ref().map_or(false, |s| s.aborted()) {
        return Err(stop_error(&plan, ABORTED, timeout_ms, 0));
    }
    let guard = Guard::new(timeout_ms as f64, caller);
    let deadline = js_sys::Date::now() + timeout_ms as f64;
    let init = plan.init_json(&inner.cfg);
    let signal = guard.controller.signal();
    let mut retries: u32 = 0;
    loop {
        guard.in_flight.set(true);
        let reply = attempt(inner, &plan, &init, &signal).await;
        guard.in_flight.set(false);
        if guard.stopped() != RUNNING {
            return Err(stop_error(&plan, guard.stopped(), timeout_ms, retries));
        }
        let failure = match &reply {
            Ok(r) if (200..300).contains(&r.status) => None,
            Ok(r) => Some(Failure::Status(r.status)),
            Err(_) => Some(Failure::Network),
        };
        if let Some(failure) = failure {
            let now = js_sys::Date::now();
            let decision = decide(&Situation {
                retry_safe: plan.retry_safe,
                retries: retries as u64,
                max_retries,
                failure,
                retry_after: reply.as_ref().ok().and_then(|r| r.retry_after.as_deref()),
                now_ms: now,
                remaining_ms: deadline - now,
                random: js_sys::Math::random(),
            });
            if let Decision::RetryAfterMs(ms) = decision {
                guard.sleep(ms).await;
                if guard.stopped() != RUNNING {
                    return Err(stop_error(&plan, guard.stopped(), timeout_ms, retries));
                }
                retries += 1;
                continue;
            }
        }
        let result = match reply {
            Ok(r) => {
                let res = Response {
                    status: r.status,
                    body: &r.body,
                    request_id: r.request_id,
                    headers_json: r.headers_json.as_deref(),
                };
                interpret(&plan, &res).map(|out| out.json)
            }
            Err(js) => Err(Error::new(ErrorKind::Network, js_message(&js, &inner.cfg)).op(plan.op)),
        };
        return match result {
            Ok(json) => JSON::parse(&json),
            Err(mut e) => {
                e.retries = retries;
                Err(to_js(&e))
            }
        };
    }
}
