//! The wasm layer: it performs what the core planned, in one shared async path per call —
//! arguments read by serde-wasm-bindgen, the URL resolved and checked by the WHATWG parser
//! (`web_sys::Url`), the request's headers in gloo-net's `Headers` and its `RequestInit` from
//! web-sys (see `init` for why not gloo-net's `RequestBuilder`), `fetch(url, init)` (the
//! caller's or the global one), the response read through gloo-net, decoded by the core — with the retries, backoff and
//! whole-call deadline the core's policy decides. Every step that waits (the fetch, the body,
//! a backoff sleep) is raced against the call's deadline and the caller's `AbortSignal`, so a
//! call settles on time even when `fetch` or the body ignores the abort. No business rules live
//! here.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::{Headers, Response as GlooResponse};
use js_sys::{Function, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortController, AbortSignal, RequestRedirect};

use crate::args::Arg;
use crate::decided::{REQUEST_ID_HEADERS, SMS_RECONCILE_DELAY_MS, SMS_RECONCILE_READ_TIMEOUT_MS};
use crate::error::{Error, ErrorKind};
use crate::request::{interpret, Config, Decode, Env, Plan, Response, UrlParts};
use crate::retry::{decide, Decision, Failure, Situation};
use crate::sms::SmsInput;
use crate::{agents, calls, contacts, events, request, sms, voicemails, webhooks};

#[wasm_bindgen]
extern "C" {
    /// A promise, for `then` with plain functions (a promise's own resolve and reject).
    type Thenable;
    #[wasm_bindgen(method, js_name = then)]
    fn then(this: &Thenable, ok: &Function, fail: &Function) -> Promise;
    /// `setTimeout(f, ms, arg)`: `f` is called with `arg`.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &Function, ms: f64, arg: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    /// The global `fetch`, reached as a global (there is no `window` in Node, Deno or workers).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &web_sys::RequestInit) -> Result<Promise, JsValue>;
}

/// An error as the plain object the JS side wraps into a `TokyError`.
/// JSON text and `JSON.parse` rather than `serde_wasm_bindgen::to_value`: the same object, and
/// ~10 KB less wasm (to_value links float formatting for its error messages).
fn to_js(e: &Error) -> JsValue {
    JSON::parse(&e.to_json()).unwrap_or_else(|_| JsValue::from_str(&e.message))
}

/// A JS argument as the core's `Arg`, read by serde-wasm-bindgen. A `Date` or a `URL` (at the
/// top or as a member of an argument object: `since`, a webhook `url`) is read as the string
/// JSON would give it, which is what the core's date and URL fields take.
fn arg(v: &JsValue, what: &str) -> Result<Arg, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(Arg::Null);
    }
    let v = match textual(v) {
        Some(s) => s,
        None if v.is_object() && !js_sys::Array::is_array(v) => {
            let copy = js_sys::Object::assign(&js_sys::Object::new(), v.unchecked_ref());
            for key in js_sys::Object::keys(&copy).iter() {
                if let Some(s) = Reflect::get(&copy, &key).ok().as_ref().and_then(textual) {
                    let _ = Reflect::set(&copy, &key, &s);
                }
            }
            copy.into()
        }
        None => v.clone(),
    };
    serde_wasm_bindgen::from_value(v).map_err(|e| Error::field(what, &format!("could not be read: {e}")))
}

/// The string form of a `Date` (ISO-8601) or a `URL` (its href).
fn textual(v: &JsValue) -> Option<JsValue> {
    if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        return Some(if d.get_time().is_nan() { JsValue::from_str("Invalid Date") } else { d.to_iso_string().into() });
    }
    v.dyn_ref::<web_sys::Url>().map(|u| u.href().into())
}

fn obj(v: &JsValue, what: &str) -> Result<Vec<(String, Arg)>, Error> {
    match arg(v, what)? {
        Arg::Obj(o) => Ok(o),
        Arg::Null => Ok(Vec::new()),
        other => Err(Error::field(what, &crate::args::got("expected an object", Some(&other)))),
    }
}

/// `input` (absolute, or relative to `base`) parsed by the WHATWG parser, as `fetch` parses it.
fn parse_url(input: &str, base: Option<&str>) -> Option<web_sys::Url> {
    match base {
        Some(b) => web_sys::Url::new_with_base(input, b).ok(),
        None => web_sys::Url::new(input).ok(),
    }
}

/// The WHATWG parser, as `fetch` uses it.
fn resolve(input: &str, base: Option<&str>) -> Option<UrlParts> {
    let u = parse_url(input, base)?;
    Some(UrlParts {
        href: u.href(),
        protocol: u.protocol(),
        username: u.username(),
        password: u.password(),
        host: u.host(),
        hostname: u.hostname(),
        pathname: u.pathname(),
        search: u.search(),
        hash: u.hash(),
    })
}

/// The WHATWG parser's serialisation alone: all `Config::target` reads of a call's URL (one
/// property read across the boundary, not nine).
fn resolve_href(input: &str, base: Option<&str>) -> Option<UrlParts> {
    Some(UrlParts { href: parse_url(input, base)?.href(), ..UrlParts::default() })
}

/// The list resources, for `Client::page` (the pages after the first of an iteration).
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum Resource {
    Agents,
    Contacts,
    Sms,
    Voicemails,
    Calls,
    Webhooks,
}

/// The client. Holds the checked configuration (and so the key) in wasm memory, where no
/// `toString`, `JSON.stringify` or inspector of the JS object can reach it.
#[wasm_bindgen]
pub struct Client {
    inner: Rc<Inner>,
}

struct Inner {
    cfg: Config,
    /// `Config::base_headers` without and with a body, built at the first request (in Node the
    /// first `Headers` loads undici's fetch, ~40 ms a constructor should not pay): each request
    /// copies one.
    base_headers: std::cell::OnceCell<[web_sys::Headers; 2]>,
    fetch: Option<Function>,
    hooks: RefCell<Hooks>,
    /// Parse once (`crate::once`): the skin's `gather`, set by `setOnce`.
    #[cfg(feature = "once")]
    once: RefCell<Option<Function>>,
}

/// A client's base headers (`Config::base_headers`) as a fetch `Headers`, kept in wasm (not
/// reachable from JS: it holds the key) and copied for each request.
fn base_headers(cfg: &Config, body: bool) -> web_sys::Headers {
    let h = Headers::new();
    for (k, v) in cfg.base_headers(body) {
        h.set(&k, &v);
    }
    h.into_raw()
}

/// `onRequest`/`onResponse`: called once per attempt, never allowed to break a call.
#[derive(Default)]
struct Hooks {
    on_request: Option<Function>,
    on_response: Option<Function>,
    /// Catches a rejected promise a hook returns (an async hook that throws), so it is not an
    /// unhandled rejection (which ends a Node process).
    swallow: Option<Closure<dyn FnMut(JsValue)>>,
}

type Planner = fn(&Config, &[(String, Arg)], bool) -> Result<Plan, Error>;

impl Resource {
    fn lister(self) -> (Planner, &'static str) {
        match self {
            Resource::Agents => (agents::list, "agents"),
            Resource::Contacts => (contacts::list, "contacts"),
            Resource::Sms => (sms::list, "sms"),
            Resource::Voicemails => (voicemails::list, "voicemails"),
            Resource::Calls => (calls::list, "calls"),
            Resource::Webhooks => (webhooks::list, "webhooks"),
        }
    }
}

#[wasm_bindgen]
impl Client {
    /// `options`: the constructor options without `fetch`; `fetch`: the caller's fetch or
    /// undefined; `browser`: running on a web page's main thread (the skin checks for `document`
    /// and `window`), where the real API is refused unless `allowBrowser`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, fetch: JsValue, browser: bool) -> Result<Client, JsValue> {
        let build = || -> Result<Client, Error> {
            let o = obj(&options, "options")?;
            let cfg = Config::new(&o, &Env { browser_main_thread: browser }, &resolve)?;
            Ok(Client { inner: Rc::new(Inner { cfg, base_headers: Default::default(), fetch: fetch.dyn_into::<Function>().ok(), hooks: RefCell::default(), #[cfg(feature = "once")] once: RefCell::default() }) })
        };
        build().map_err(|e| to_js(&e.op("new Toky")))
    }

    /// The constructor's `onRequest`/`onResponse` (functions, or undefined).
    #[wasm_bindgen(js_name = setHooks)]
    pub fn set_hooks(&self, on_request: JsValue, on_response: JsValue) {
        let mut h = self.inner.hooks.borrow_mut();
        h.on_request = on_request.dyn_into().ok();
        h.on_response = on_response.dyn_into().ok();
        if h.on_request.is_some() || h.on_response.is_some() {
            h.swallow.get_or_insert_with(|| Closure::new(|_: JsValue| {}));
        }
    }

    // The skin's parse-once helper (server build; `//`, not a doc comment, which would ride
    // into the shipped glue): `gather(buffer, spec)` reads a page body with `JSON.parse` and
    // hands over `[apply, gathered]`, or null (decode the bytes here); `apply(json)` writes the
    // core's `{count, next, values}` back into the parsed page and returns it.
    #[cfg(feature = "once")]
    #[wasm_bindgen(js_name = setOnce)]
    pub fn set_once(&self, gather: Function) {
        *self.inner.once.borrow_mut() = Some(gather);
    }

    /// `text` with the key masked: for response headers handed out by `.withResponse()`.
    pub fn redact(&self, text: &str) -> String {
        self.inner.cfg.redact(text)
    }

    /// `list` (`iterate: false`) or the first page of `iterate` of a resource.
    pub fn list(&self, resource: Resource, query: JsValue, iterate: bool, options: JsValue) -> Promise {
        let (planner, name) = resource.lister();
        let op = format!("{name}.{}", if iterate { "iterate" } else { "list" });
        self.go(&op, options, move |cfg| planner(cfg, &obj(&query, "query")?, iterate))
    }

    /// The page at `next` (a URL the server gave) of an iteration of `resource`.
    pub fn page(&self, resource: Resource, next: String, options: JsValue) -> Promise {
        let (planner, name) = resource.lister();
        let op = format!("{name}.iterate");
        self.go(&op, options, move |cfg| Ok(planner(cfg, &[], true)?.next(&next)))
    }

    #[wasm_bindgen(js_name = contactsGet)]
    pub fn contacts_get(&self, phone: JsValue, options: JsValue) -> Promise {
        self.go("contacts.get", options, move |cfg| contacts::get(cfg, &[("phone".into(), arg(&phone, "phone")?)]))
    }

    #[wasm_bindgen(js_name = contactsCreate)]
    pub fn contacts_create(&self, input: JsValue, options: JsValue) -> Promise {
        self.go("contacts.create", options, move |cfg| contacts::create(cfg, Some(&arg(&input, "input")?)))
    }

    #[wasm_bindgen(js_name = contactsUpdate)]
    pub fn contacts_update(&self, phone: JsValue, patch: JsValue, options: JsValue) -> Promise {
        self.go("contacts.update", options, move |cfg| {
            contacts::update(cfg, &[("phone".into(), arg(&phone, "phone")?), ("patch".into(), arg(&patch, "patch")?)])
        })
    }

    #[wasm_bindgen(js_name = smsSend)]
    pub fn sms_send(&self, input: JsValue, options: JsValue) -> Promise {
        let plan = arg(&input, "input").and_then(|a| sms::send_checked(&self.inner.cfg, Some(&a)));
        self.start("sms.send", options, plan.map(|(p, i)| (p, Some(i))))
    }

    #[wasm_bindgen(js_name = voicemailsGet)]
    pub fn voicemails_get(&self, id: JsValue, options: JsValue) -> Promise {
        self.go("voicemails.get", options, move |cfg| voicemails::get(cfg, &[("id".into(), arg(&id, "id")?)]))
    }

    #[wasm_bindgen(js_name = callsRecording)]
    pub fn calls_recording(&self, callid: JsValue, options: JsValue) -> Promise {
        self.go("calls.recording", options, move |cfg| calls::recording(cfg, &[("callid".into(), arg(&callid, "callid")?)]))
    }

    #[wasm_bindgen(js_name = webhooksCreate)]
    pub fn webhooks_create(&self, input: JsValue, options: JsValue) -> Promise {
        self.go("webhooks.create", options, move |cfg| webhooks::create(cfg, Some(&arg(&input, "input")?)))
    }

    #[wasm_bindgen(js_name = webhooksDelete)]
    pub fn webhooks_delete(&self, id: JsValue, options: JsValue) -> Promise {
        self.go("webhooks.delete", options, move |cfg| webhooks::delete(cfg, &[("id".into(), arg(&id, "id")?)]))
    }

    /// The raw "Make an API call".
    pub fn request(&self, input: JsValue, options: JsValue) -> Promise {
        self.go("request", options, move |cfg| match arg(&input, "input")? {
            Arg::Obj(o) => request::raw(cfg, &o),
            other => Err(Error::field("input", &crate::args::got("expected an object like { method, path }", Some(&other)))),
        })
    }
}

impl Client {
    /// Plans with `plan` (at once: bad input is refused before anything else happens), then
    /// runs the call; every error names `op`.
    fn go(&self, op: &str, options: JsValue, plan: impl FnOnce(&Config) -> Result<Plan, Error>) -> Promise {
        self.start(op, options, plan(&self.inner.cfg).map(|p| (p, None)))
    }

    /// One future type for every operation, so the async machinery is compiled once. `sms`:
    /// the checked input of an `sms.send`, whose errors say whether the text went out.
    fn start(&self, op: &str, options: JsValue, plan: Result<(Plan, Option<SmsInput>), Error>) -> Promise {
        let inner = self.inner.clone();
        let op = op.to_string();
        let sending = op == "sms.send";
        future_to_promise(async move {
            let result = match plan {
                Ok((p, sms)) => call(&inner, p.named(&op), &options, sms).await,
                Err(e) => Err(e),
            };
            result.map_err(|mut e| {
                // Refused before sending, or answered with an error: not sent.
                if sending && e.sent.is_none() {
                    e.sent = Some(Some(false));
                }
                to_js(&e.op(&op))
            })
        })
    }
}

/// `smsSegments(text)`: how a text is billed.
#[wasm_bindgen(js_name = smsSegments)]
pub fn sms_segments(text: JsValue) -> Result<JsValue, JsValue> {
    match text.as_string() {
        Some(t) => JSON::parse(&crate::segments_json(&t)),
        None => {
            let got = arg(&text, "text").map(|a| crate::args::got("expected a string", Some(&a))).unwrap_or_else(|_| "expected a string".into());
            Err(to_js(&Error::field("text", &got).op("smsSegments")))
        }
    }
}

/// `parseWebhookEvent(body, options)`: the skin hands the body as text.
#[wasm_bindgen(js_name = parseWebhookEvent)]
pub fn parse_webhook_event(body: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let op = "parseWebhookEvent";
    let o = arg(&options, "options").map_err(|e| to_js(&e.op(op)))?;
    match events::parse(body, Some(&o)) {
        Ok(json) => JSON::parse(&json),
        Err(e) => Err(to_js(&e.op(op))),
    }
}

const RUNNING: u8 = 0;
const TIMED_OUT: u8 = 1;
const ABORTED: u8 = 2;

/// One call's cancellation: a `stop` promise that the deadline's timer resolves (with `MARK`)
/// or the caller's signal resolves (its `abort` event calls the promise's own resolve, so no
/// wasm closure is made per call), which every wait of the call is raced against; the wait that
/// sees it stops the call and aborts the controller whose signal the fetch has.
/// Dropped when the call ends: the timer is cleared, the listener removed and a fetch still in
/// flight aborted, so nothing keeps running (or keeps a Node process alive) after it settles.
struct Guard {
    controller: AbortController,
    state: Cell<u8>,
    stop: Promise,
    in_flight: Cell<bool>,
    timer: JsValue,
    /// The caller's signal and the function listening to its `abort`.
    on_abort: Option<(AbortSignal, Function)>,
}

thread_local! {
    /// What the deadline resolves a call's `stop` with: nothing else can (no caller has it).
    static MARK: JsValue = js_sys::Object::new().into();
}

impl Guard {
    fn new(timeout_ms: f64, caller: Option<AbortSignal>) -> Result<Guard, Error> {
        let controller = AbortController::new().map_err(|_| Error::new(ErrorKind::Network, "AbortController is not available"))?;
        let mut timer = JsValue::UNDEFINED;
        let mut on_abort = None;
        let stop = Promise::new(&mut |resolve, _| {
            timer = MARK.with(|m| set_timeout(&resolve, timeout_ms, m));
            if let Some(signal) = &caller {
                let _ = signal.add_event_listener_with_callback("abort", &resolve);
                on_abort = Some((signal.clone(), resolve));
            }
        });
        Ok(Guard { controller, state: Cell::new(RUNNING), stop, in_flight: Cell::new(false), timer, on_abort })
    }

    fn stopped(&self) -> u8 {
        self.state.get()
    }

    /// Stops the call: aborts the fetch with an `Error` as the reason (a rejection with a
    /// non-Error value trips up fetch wrappers).
    fn fire(&self, why: u8) {
        if self.state.get() != RUNNING {
            return;
        }
        self.state.set(why);
        let reason = js_sys::Error::new(if why == TIMED_OUT { "toky: timeoutMs elapsed" } else { "toky: aborted by the caller" });
        self.controller.abort_with_reason(&reason);
    }

    /// Whether the caller's signal has fired.
    fn caller_aborted(&self) -> bool {
        self.on_abort.as_ref().is_some_and(|(s, _)| s.aborted())
    }

    /// Waits for `p`, or until the call is stopped: then `Err(None)`.
    async fn wait(&self, p: &Promise) -> Result<JsValue, Option<JsValue>> {
        if self.caller_aborted() {
            self.fire(ABORTED);
        }
        if self.stopped() != RUNNING {
            return Err(None);
        }
        // `Promise.race([p, stop])`, built from two `then`s given the new promise's own resolve
        // and reject: measured cheaper per wait than `Array.of` and `Promise.race` in V8.
        let raced = Promise::new(&mut |resolve, reject| {
            let _ = p.unchecked_ref::<Thenable>().then(&resolve, &reject);
            let _ = self.stop.unchecked_ref::<Thenable>().then(&resolve, &reject);
        });
        let r = JsFuture::from(raced).await;
        if self.caller_aborted() {
            self.fire(ABORTED);
        } else if r.as_ref().is_ok_and(|v| MARK.with(|m| v == m)) {
            self.fire(TIMED_OUT);
        }
        if self.stopped() != RUNNING {
            return Err(None);
        }
        r.map_err(Some)
    }

    /// Sleeps `ms`, or less if the call is stopped meanwhile.
    async fn sleep(&self, ms: f64) {
        let mut timer = JsValue::UNDEFINED;
        let p = Promise::new(&mut |resolve, _| timer = set_timeout(&resolve, ms, &JsValue::UNDEFINED));
        let _ = self.wait(&p).await;
        clear_timeout(&timer);
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if let Some((signal, f)) = &self.on_abort {
            let _ = signal.remove_event_listener_with_callback("abort", f);
        }
        if self.in_flight.get() {
            self.controller.abort();
        }
    }
}

fn stop_error(why: u8, timeout_ms: u64, retries: u32) -> Error {
    let mut e = if why == TIMED_OUT {
        Error::new(ErrorKind::Timeout, format!("no complete response within timeoutMs ({timeout_ms} ms)"))
    } else {
        Error::new(ErrorKind::Aborted, "the call was aborted by its AbortSignal")
    };
    e.retries = retries;
    e
}

/// The message of a JS exception (fetch's TypeError and the like), with the key scrubbed in
/// case a custom fetch echoed request headers into it.
fn js_message(e: &JsValue, cfg: &Config) -> String {
    let text = |v: &JsValue, k: &str| Reflect::get(v, &k.into()).ok().and_then(|m| m.as_string());
    let mut m = text(e, "message").or_else(|| e.as_string()).unwrap_or_default();
    // Node's "fetch failed" says why only in its cause (ECONNREFUSED, ENOTFOUND, ...).
    if let Some(cause) = Reflect::get(e, &"cause".into()).ok().filter(|c| c.is_object()) {
        if let Some(why) = text(&cause, "code").or_else(|| text(&cause, "message")) {
            m = format!("{m} ({why})");
        }
    }
    let m = cfg.redact(&m);
    if m.is_empty() {
        "the request failed before a response arrived".into()
    } else {
        format!("the request failed before a response arrived: {m}")
    }
}

/// The `code`s and `message`s of a rejected fetch's error and its `cause` chain (Node puts the
/// code of its per-address connection attempts on the `AggregateError` itself): plain data for
/// the core to judge (`FetchFailure::never_left`).
fn fetch_failure(e: &JsValue) -> request::FetchFailure {
    let text = |v: &JsValue, k: &str| Reflect::get(v, &k.into()).ok().and_then(|m| m.as_string());
    let mut f = request::FetchFailure::default();
    let mut at = e.clone();
    // A few levels: a cause chain is short, and a cyclic one must not loop.
    for _ in 0..8 {
        if !at.is_object() {
            break;
        }
        f.codes.extend(text(&at, "code"));
        f.messages.extend(text(&at, "message"));
        at = Reflect::get(&at, &"cause".into()).unwrap_or(JsValue::UNDEFINED);
    }
    f
}

/// What one attempt produced.
enum Attempt {
    /// `parsed`: a page body read by the skin's `JSON.parse` (then `body` is empty).
    Reply { status: u16, body: Vec<u8>, request_id: Option<String>, retry_after: Option<String>, headers: Option<Vec<(String, String)>>, js_headers: JsValue, parsed: Option<Parsed> },
    /// The request failed (or its body could not be read); what arrived before is kept.
    /// `sent`: whether the request may have gone out (fetch was called, and its failure does
    /// not prove the request never left).
    Failed { message: String, status: Option<u16>, request_id: Option<String>, sent: bool },
    /// The deadline or the caller's signal stopped it; `status` and `request_id` when the
    /// status line and headers had arrived (stopped while the body was being read).
    Stopped { status: Option<u16>, request_id: Option<String> },
}

/// The `init` of the `fetch(url, init)` call for `plan`: gloo-net's `Headers`, the method, no
/// redirects followed, the call's signal and the body. gloo-net's `RequestBuilder` is not used:
/// its `build` constructs a `Request`, a `URL` and a second `Request` only to merge query
/// parameters (the URL here is already resolved and checked, query included), and `fetch` then
/// copies that `Request` once more; that cost more per call than everything else the client
/// does (README, "Dependencies and why").
fn init(inner: &Inner, plan: &Plan, signal: &AbortSignal) -> web_sys::RequestInit {
    // A copy of the client's base headers (one call, no strings across the boundary), then the
    // plan's own; together `Plan::request_headers`.
    let bases = inner.base_headers.get_or_init(|| [base_headers(&inner.cfg, false), base_headers(&inner.cfg, true)]);
    let body = plan.body.is_some();
    let copy = bases.get(usize::from(body)).and_then(|b| web_sys::Headers::new_with_headers(b).ok());
    let headers = Headers::from_raw(copy.unwrap_or_else(|| base_headers(&inner.cfg, body)));
    for (k, v) in &plan.headers {
        headers.set(k, v);
    }
    let init = web_sys::RequestInit::new();
    init.set_method(&plan.method);
    init.set_headers(&headers.into_raw());
    // fetch keeps custom headers across a cross-origin redirect, so following one could hand
    // the key to another host: redirects come back as errors instead.
    init.set_redirect(RequestRedirect::Manual);
    init.set_signal(Some(signal));
    if let Some(body) = &plan.body {
        init.set_body(&JsValue::from_str(body));
    }
    init
}

/// A page body the skin's `gather` read (`crate::once`): the body's bytes (for the exact path),
/// `apply` (writes the normalised values back into the parsed page), what was gathered, the
/// record kind.
#[cfg(feature = "once")]
struct Parsed {
    buf: JsValue,
    apply: Function,
    gathered: String,
    kind: crate::records::Kind,
}

#[cfg(not(feature = "once"))]
type Parsed = std::convert::Infallible;

/// `gather` of a 2xx page body, when the client has it; None: decode the bytes here.
#[cfg(feature = "once")]
fn gather(inner: &Inner, plan: &Plan, status: u16, buf: &JsValue) -> Option<Parsed> {
    let Decode::Page(kind) = plan.decode else { return None };
    if !(200..300).contains(&status) {
        return None;
    }
    let gather = inner.once.borrow().clone()?;
    let got = gather.call2(&JsValue::UNDEFINED, buf, &crate::once::spec(kind)?.into()).ok()?;
    let got: js_sys::Array = got.dyn_into().ok()?;
    Some(Parsed { buf: buf.clone(), apply: got.get(0).dyn_into().ok()?, gathered: got.get(1).as_string()?, kind })
}

/// The page of `parsed` with its loose values normalised by the core (`crate::once`); None
/// when the exact path must decide.
#[cfg(feature = "once")]
fn once_page(parsed: &Parsed) -> Option<JsValue> {
    let g = crate::once::page_of_gathered(&parsed.gathered, parsed.kind)?;
    parsed.apply.call1(&JsValue::UNDEFINED, &g.into_json().into()).ok()
}

async fn attempt(inner: &Inner, guard: &Guard, plan: &Plan, href: &str, once: bool) -> Attempt {
    let signal = guard.controller.signal();
    let init = init(inner, plan, &signal);
    // The caller's fetch or the global one, both as `fetch(url, init)`.
    let sent = match &inner.fetch {
        Some(f) => f.call2(&JsValue::UNDEFINED, &href.into(), &init).map(|p| Promise::resolve(&p)),
        None => global_fetch(href, &init),
    };
    let p = match sent {
        Ok(p) => p,
        Err(e) => return Attempt::Failed { message: js_message(&e, &inner.cfg), status: None, request_id: None, sent: false },
    };
    let res = match guard.wait(&p).await {
        Ok(r) => r,
        Err(None) => return Attempt::Stopped { status: None, request_id: None },
        Err(Some(e)) => return Attempt::Failed { message: js_message(&e, &inner.cfg), status: None, request_id: None, sent: !fetch_failure(&e).never_left() },
    };
    // A Response, or one from another implementation (a polyfill, a test double): wasm-bindgen
    // calls its members by name, so anything with `status`, `headers.get` and `arrayBuffer` works.
    let looks_like = res.is_instance_of::<web_sys::Response>()
        || res.is_object()
            && Reflect::get(&res, &"status".into()).is_ok_and(|s| s.as_f64().is_some())
            && Reflect::get(&res, &"headers".into()).is_ok_and(|h| h.is_object());
    if !looks_like {
        return Attempt::Failed { message: "fetch resolved with something that is not a Response".into(), status: None, request_id: None, sent: true };
    }
    let res: web_sys::Response = res.unchecked_into();
    // One read of `headers` (each `get` of a fetch `Headers` validates its name: only what is
    // used is read).
    let raw_headers = res.headers();
    let js_headers: JsValue = raw_headers.clone().into();
    let h = Headers::from_raw(raw_headers);
    let res = GlooResponse::from(res);
    let status = res.status();
    let request_id = REQUEST_ID_HEADERS.iter().find_map(|n| h.get(n));
    // Only a failure the client may retry has a use for Retry-After.
    let retry_after = if (200..300).contains(&status) { None } else { h.get("retry-after") };
    let headers = matches!(plan.decode, Decode::Raw).then(|| h.entries().collect());
    let raw: web_sys::Response = res.into();
    let body = match raw.array_buffer() {
        Ok(p) => match guard.wait(&p).await {
            Ok(buf) => {
                #[cfg(feature = "once")]
                if let Some(parsed) = once.then(|| gather(inner, plan, status, &buf)).flatten() {
                    return Attempt::Reply { status, body: Vec::new(), request_id, retry_after, headers, js_headers, parsed: Some(parsed) };
                }
                #[cfg(not(feature = "once"))]
                let _ = once;
                Uint8Array::new(&buf).to_vec()
            }
            // The status line and headers arrived: the error keeps them.
            Err(None) => return Attempt::Stopped { status: Some(status), request_id },
            Err(Some(e)) => {
                let message = format!("the response body could not be read: {}", js_message(&e, &inner.cfg));
                return Attempt::Failed { message, status: Some(status), request_id, sent: true };
            }
        },
        Err(e) => return Attempt::Failed { message: js_message(&e, &inner.cfg), status: Some(status), request_id, sent: true },
    };
    Attempt::Reply { status, body, request_id, retry_after, headers, js_headers, parsed: None }
}

/// A call that succeeded: the decoded value (JSON) and what `.withResponse()` shows.
struct Done {
    json: Data,
    status: u16,
    headers: JsValue,
    request_id: Option<String>,
    retries: u32,
}

/// A decoded value: JSON text, or (parse once) the JS value itself.
enum Data {
    Json(String),
    #[cfg(feature = "once")]
    Js(JsValue),
}

impl Data {
    /// The JSON text (empty for a JS value, which only a call with parse once gets).
    fn text(&self) -> &str {
        match self {
            Data::Json(j) => j,
            #[cfg(feature = "once")]
            Data::Js(_) => "",
        }
    }
}

impl Done {
    /// `{data, status, headers, requestId, retries}` for the skin: one `JSON.parse` of the
    /// whole object (cheaper than setting its members one by one), then the headers.
    fn into_js(self) -> Result<JsValue, Error> {
        let json = match self.json {
            Data::Json(json) => json,
            #[cfg(feature = "once")]
            Data::Js(data) => {
                let o = js_sys::Object::new();
                let set = |k: &str, v: &JsValue| {
                    let _ = Reflect::set(&o, &k.into(), v);
                };
                set("data", &data);
                set("status", &self.status.into());
                set("requestId", &self.request_id.as_deref().map_or(JsValue::NULL, JsValue::from_str));
                set("retries", &self.retries.into());
                set("headers", &self.headers);
                return Ok(o.into());
            }
        };
        let rid = serde_json::to_string(&self.request_id).unwrap_or_else(|_| "null".into());
        let text = format!("{{\"data\":{},\"status\":{},\"requestId\":{rid},\"retries\":{}}}", json, self.status, self.retries);
        let o = JSON::parse(&text).map_err(|_| Error::new(ErrorKind::Decode, "the decoded value could not be handed to JS"))?;
        let _ = Reflect::set(&o, &"headers".into(), &self.headers);
        Ok(o)
    }
}

async fn call(inner: &Inner, plan: Plan, options: &JsValue, sms: Option<SmsInput>) -> Result<JsValue, Error> {
    let o = crate::call_options(&inner.cfg, Some(&Arg::Obj(obj(options, "options")?)), sms.is_some())?;
    let caller: Option<AbortSignal> = Some(options)
        .filter(|o| o.is_object())
        .and_then(|o| Reflect::get(o, &"signal".into()).ok())
        .filter(|s| !s.is_undefined() && !s.is_null())
        .map(JsCast::unchecked_into);
    let started_ms = js_sys::Date::now();
    match perform(inner, &plan, o.timeout_ms, o.max_retries, caller.as_ref(), true).await {
        Ok(done) => done.into_js(),
        Err((e, ending)) => match sms {
            Some(input) => settle_sms(inner, e, ending, &input, &o, caller.as_ref(), started_ms).await,
            None => Err(e),
        },
    }
}

/// A failed `sms.send`: says whether the text went out, reading the SMS history when the
/// attempt left it unknown (`crate::sms`). Never sends again.
async fn settle_sms(inner: &Inner, e: Error, ending: sms::Ending, input: &SmsInput, o: &crate::CallOptions, caller: Option<&AbortSignal>, started_ms: f64) -> Result<JsValue, Error> {
    let e = match sms::settle(e, &ending, o.reconcile) {
        sms::Settle::Final(e) => return Err(e),
        sms::Settle::ReadHistory(e) => e,
    };
    let plan = match sms::history(&inner.cfg, (started_ms / 1000.0) as i64) {
        Ok(p) => p.named("sms.send"),
        Err(h) => return Err(sms::unknown(e, &h.message)),
    };
    let timeout_ms = o.timeout_ms.min(SMS_RECONCILE_READ_TIMEOUT_MS);
    for read in 0..2 {
        if read == 1 {
            let pause = Guard::new((SMS_RECONCILE_DELAY_MS + 1_000) as f64, caller.cloned())?;
            pause.sleep(SMS_RECONCILE_DELAY_MS as f64).await;
            if pause.stopped() == ABORTED {
                return Err(sms::unknown(e, "the call was aborted while the SMS history was being read"));
            }
        }
        // The history page as JSON text (no parse once): `sms::find` reads it.
        match perform(inner, &plan, timeout_ms, o.max_retries, caller, false).await {
            Ok(done) => match sms::find(done.json.text(), input) {
                sms::Found::Sent(json) => return Done { json: Data::Json(json), ..done }.into_js(),
                sms::Found::Absent => {}
                sms::Found::Unsure => return Err(sms::unknown(e, "more texts went out since the attempt began than one page of history holds")),
            },
            Err((h, _)) => return Err(sms::unknown(e, &format!("the SMS history could not be read: {}", h.message))),
        }
    }
    Err(sms::not_sent(e))
}

/// One request with its retries, backoff and deadline.
/// `once`: a 2xx page may be read by the skin's `JSON.parse` (`crate::once`).
async fn perform(inner: &Inner, plan: &Plan, timeout_ms: u64, max_retries: u64, caller: Option<&AbortSignal>, once: bool) -> Result<Done, (Error, sms::Ending)> {
    let cfg = &inner.cfg;
    if caller.is_some_and(|s| s.aborted()) {
        return Err((stop_error(ABORTED, timeout_ms, 0), sms::Ending::NotSent));
    }
    let href = cfg.target(plan, &resolve_href).map_err(|e| (e, sms::Ending::NotSent))?;
    let guard = Guard::new(timeout_ms as f64, caller.cloned()).map_err(|e| (e, sms::Ending::NotSent))?;
    let deadline = js_sys::Date::now() + timeout_ms as f64;
    let mut retries: u32 = 0;
    loop {
        let began = js_sys::Date::now();
        hook(inner, plan, &href, retries + 1, None);
        guard.in_flight.set(true);
        let reply = attempt(inner, &guard, plan, &href, once).await;
        guard.in_flight.set(false);
        hook(inner, plan, &href, retries + 1, Some((&reply, js_sys::Date::now() - began, guard.stopped())));
        let (failure, retry_after) = match &reply {
            Attempt::Stopped { status, request_id } => {
                let why = guard.stopped();
                let mut e = stop_error(why, timeout_ms, retries);
                e.status = *status;
                e.request_id = request_id.as_deref().map(|r| cfg.redact(r));
                // A status that arrived says as much as a body cut off after it (`Ending::Cut`).
                let ending = match (why, status) {
                    (TIMED_OUT, Some(status)) => sms::Ending::Cut { status: *status },
                    (TIMED_OUT, None) => sms::Ending::NoReply,
                    _ => sms::Ending::Aborted,
                };
                return Err((e, ending));
            }
            Attempt::Reply { status, .. } if (200..300).contains(status) => (None, None),
            Attempt::Reply { status, retry_after, .. } => (Some(Failure::Status(*status)), retry_after.as_deref()),
            Attempt::Failed { .. } => (Some(Failure::Network), None),
        };
        if let Some(failure) = failure {
            let now = js_sys::Date::now();
            let decision = decide(&Situation {
                retry_safe: plan.retry_safe,
                retries: u64::from(retries),
                max_retries,
                failure,
                retry_after,
                now_ms: now,
                remaining_ms: deadline - now,
                random: js_sys::Math::random(),
            });
            if let Decision::RetryAfterMs(ms) = decision {
                guard.sleep(ms).await;
                if guard.stopped() != RUNNING {
                    return Err((stop_error(guard.stopped(), timeout_ms, retries), sms::Ending::NotSent));
                }
                retries += 1;
                continue;
            }
        }
        let with_retries = |mut e: Error| {
            e.retries = retries;
            e
        };
        return match reply {
            Attempt::Reply { status, body, request_id, headers, js_headers, parsed, .. } => {
                let rid = request_id.as_deref().map(|r| cfg.redact(r));
                // Parse once; what it does not accept is decoded from the bytes (the exact path).
                #[cfg(feature = "once")]
                let body = match parsed {
                    Some(p) => match once_page(&p) {
                        Some(page) => return Ok(Done { json: Data::Js(page), status, headers: js_headers, request_id: rid, retries }),
                        None => Uint8Array::new(&p.buf).to_vec(),
                    },
                    None => body,
                };
                #[cfg(not(feature = "once"))]
                let _ = parsed;
                match interpret(cfg, plan, &Response { status, body: &body, request_id, headers }) {
                    Ok(out) => Ok(Done { json: Data::Json(out.json), status, headers: js_headers, request_id: rid, retries }),
                    Err(e) => Err((with_retries(e), sms::Ending::Reply { status, body })),
                }
            }
            Attempt::Failed { message, status, request_id, sent } => {
                let mut e = Error::new(ErrorKind::Network, message).op(&plan.op);
                e.status = status;
                e.request_id = request_id.map(|r| cfg.redact(&r));
                let last = match (sent, status) {
                    (false, _) => sms::Ending::NotSent,
                    (true, Some(status)) => sms::Ending::Cut { status },
                    (true, None) => sms::Ending::NoReply,
                };
                Err((with_retries(e), last))
            }
            Attempt::Stopped { .. } => Err((stop_error(guard.stopped(), timeout_ms, retries), sms::Ending::Aborted)),
        };
    }
}

/// Calls `onRequest` (`done` None) or `onResponse` with one attempt's facts. The URL carries no
/// key (it travels in a header) and is redacted all the same; whatever a hook throws or
/// rejects with is dropped.
fn hook(inner: &Inner, plan: &Plan, href: &str, attempt: u32, done: Option<(&Attempt, f64, u8)>) {
    let hooks = inner.hooks.borrow();
    let Some(f) = (if done.is_some() { hooks.on_response.as_ref() } else { hooks.on_request.as_ref() }) else { return };
    let info = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&info, &k.into(), v);
    };
    set("operation", &plan.op.as_str().into());
    set("method", &plan.method.as_str().into());
    set("url", &inner.cfg.redact(href).into());
    set("attempt", &attempt.into());
    if let Some((a, ms, stopped)) = done {
        let text = |t: &Option<String>| t.as_deref().map_or(JsValue::NULL, |r| inner.cfg.redact(r).into());
        let (status, request_id, error) = match a {
            Attempt::Reply { status, request_id, .. } => (Some(*status), text(request_id), JsValue::NULL),
            Attempt::Failed { message, status, request_id, .. } => (*status, text(request_id), message.as_str().into()),
            Attempt::Stopped { status, request_id } => (*status, text(request_id), if stopped == TIMED_OUT { "timeoutMs elapsed" } else { "aborted" }.into()),
        };
        set("status", &status.map_or(JsValue::NULL, JsValue::from));
        set("durationMs", &ms.into());
        set("requestId", &request_id);
        set("error", &error);
    }
    if let Ok(r) = f.call1(&JsValue::UNDEFINED, &info) {
        if let (Some(p), Some(swallow)) = (r.dyn_ref::<Promise>(), hooks.swallow.as_ref()) {
            let _ = p.catch(swallow);
        }
    }
}

/// A watch's rules (`crate::watch`): the skin's async iterator asks it what is new, what to
/// yield in which order, what the cursor is and how long to wait.
#[wasm_bindgen(js_name = Watch)]
pub struct WatchRules {
    inner: crate::watch::Watch,
}

#[wasm_bindgen(js_class = Watch)]
impl WatchRules {
    /// `name`: "sms", "voicemails" or "calls"; `options`: the watch options (call options too).
    #[wasm_bindgen(constructor)]
    pub fn new(name: String, options: JsValue) -> Result<WatchRules, JsValue> {
        let op = format!("{name}.watch");
        let o = obj(&options, "options").map_err(|e| to_js(&e.op(&op)))?;
        crate::watch::Watch::new(&name, &o).map(|inner| WatchRules { inner }).map_err(|e| to_js(&e))
    }

    #[wasm_bindgen(getter, js_name = intervalMs)]
    pub fn interval_ms(&self) -> f64 {
        self.inner.interval_ms as f64
    }

    #[wasm_bindgen(getter, js_name = pageSize)]
    pub fn page_size(&self) -> f64 {
        self.inner.page_size as f64
    }

    #[wasm_bindgen(getter, js_name = timeField)]
    pub fn time_field(&self) -> String {
        crate::watch::time_field(&self.inner.name).into()
    }

    /// Whether the starting point is known.
    #[wasm_bindgen(getter)]
    pub fn started(&self) -> bool {
        self.inner.state.is_some()
    }

    #[wasm_bindgen(getter)]
    pub fn cursor(&self) -> Option<String> {
        self.inner.cursor()
    }

    pub fn begin(&mut self) {
        self.inner.begin()
    }

    /// 0: stop paging back; 1: a new record; 2: already seen.
    pub fn see(&mut self, time: String, id: String) -> u8 {
        match self.inner.see(&time, &id) {
            crate::watch::Seen::Stop => 0,
            crate::watch::Seen::Fresh => 1,
            crate::watch::Seen::Skip => 2,
        }
    }

    /// The order to yield the poll's fresh records in (indices, oldest first).
    pub fn end(&mut self) -> Vec<u32> {
        self.inner.end().into_iter().map(|i| i as u32).collect()
    }

    pub fn yielded(&mut self, time: String, id: String) {
        self.inner.yielded(&time, &id)
    }

    /// Milliseconds to wait before the next poll.
    #[wasm_bindgen(js_name = delayMs)]
    pub fn delay_ms(&self, fails: u32, last_ms: f64, now_ms: f64) -> f64 {
        self.inner.delay_ms(fails, last_ms, now_ms, js_sys::Math::random())
    }

    /// Whether a failure of this kind is ridden out (the watch keeps polling).
    pub fn transient(kind: &str) -> bool {
        crate::watch::transient(kind)
    }
}
