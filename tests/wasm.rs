//! The wasm layer against a real toky-mock, in Node and in headless Chromium (where every call
//! is cross-origin and preflighted). `tests/run.sh` starts the mock and passes its URL at compile
//! time as TOKY_MOCK_URL.
#![cfg(target_arch = "wasm32")]

use js_sys::{Promise, Reflect, JSON};
use toky_wasm::wasm::{Client, Resource};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with(url: &str, init: &JsValue) -> Promise;
    type Resp;
    #[wasm_bindgen(method)]
    fn json(this: &Resp) -> Promise;
    type Controller;
    #[wasm_bindgen(constructor, js_class = "AbortController")]
    fn new() -> Controller;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &Controller) -> JsValue;
    #[wasm_bindgen(method)]
    fn abort(this: &Controller);
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &js_sys::Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = Function)]
    type MakeFunction;
    #[wasm_bindgen(constructor, js_class = "Function")]
    fn new(body: &str) -> MakeFunction;
}

const MOCK: &str = match option_env!("TOKY_MOCK_URL") {
    Some(u) => u,
    None => "http://127.0.0.1:1",
};

/// Browsers (not Node) re-send a request themselves, POST included, when a reused keep-alive
/// connection closes before any response byte; no fetch option prevents it. Fault counts for
/// dropped connections are doubled there, and at most one browser-made resend is tolerated.
fn in_browser() -> bool {
    !Reflect::has(&js_sys::global(), &"process".into()).unwrap_or(false)
}

fn drops() -> u32 {
    if in_browser() { 2 } else { 1 }
}

fn base() -> String {
    format!("{MOCK}/v1")
}

fn json(s: &str) -> JsValue {
    JSON::parse(s).unwrap_or_else(|_| panic!("bad test JSON {s}"))
}

fn client_with(extra: &str) -> Client {
    let cfg = format!("{{\"apiKey\":\"demo-key\",\"baseUrl\":\"{}\"{extra}}}", base());
    Client::new(json(&cfg), JsValue::UNDEFINED, false).unwrap_or_else(|e| panic!("{:?}", JSON::stringify(&e)))
}

fn client() -> Client {
    client_with("")
}

async fn control(method: &str, path: &str, body: Option<&str>) -> JsValue {
    let init = js_sys::Object::new();
    Reflect::set(&init, &"method".into(), &method.into()).unwrap();
    if let Some(b) = body {
        Reflect::set(&init, &"body".into(), &b.into()).unwrap();
        let h = js_sys::Object::new();
        Reflect::set(&h, &"content-type".into(), &"application/json".into()).unwrap();
        Reflect::set(&init, &"headers".into(), &h).unwrap();
    }
    let r: Resp = JsFuture::from(fetch_with(&format!("{MOCK}{path}"), &init)).await.unwrap().unchecked_into();
    JsFuture::from(r.json()).await.unwrap_or(JsValue::NULL)
}

async fn reset() {
    control("POST", "/__mock/reset", None).await;
}

async fn fault(json: &str) {
    control("POST", "/__mock/faults", Some(json)).await;
}

async fn journal_count(method: &str, path: &str) -> u32 {
    let j = control("GET", "/__mock/journal", None).await;
    let arr: js_sys::Array = if j.is_array() { j.unchecked_into() } else { Reflect::get(&j, &"entries".into()).unwrap().unchecked_into() };
    arr.iter()
        .filter(|e| {
            Reflect::get(e, &"method".into()).ok().and_then(|m| m.as_string()).as_deref() == Some(method)
                && Reflect::get(e, &"path".into()).ok().and_then(|m| m.as_string()).as_deref() == Some(path)
        })
        .count() as u32
}

async fn call(c: &Client, op: &str, input: &str) -> Result<JsValue, JsValue> {
    call_opts(c, op, input, "{}", JsValue::UNDEFINED).await
}

/// One operation through its typed entry point, with the arguments given as the JSON object
/// the skin would pass (`{"query":…}`, `{"phone":…}`, `{"input":…}`).
async fn call_opts(c: &Client, op: &str, input: &str, opts: &str, signal: JsValue) -> Result<JsValue, JsValue> {
    let a = json(input);
    let o = json(opts);
    if !signal.is_undefined() {
        Reflect::set(&o, &"signal".into(), &signal).unwrap();
    }
    let g = |k: &str| get(&a, k);
    let res = |name: &str| match name {
        "agents" => Resource::Agents,
        "contacts" => Resource::Contacts,
        "sms" => Resource::Sms,
        "voicemails" => Resource::Voicemails,
        "calls" => Resource::Calls,
        _ => Resource::Webhooks,
    };
    let p = match op {
        "contacts.get" => c.contacts_get(g("phone"), o),
        "contacts.create" => c.contacts_create(g("input"), o),
        "contacts.update" => c.contacts_update(g("phone"), g("patch"), o),
        "sms.send" => c.sms_send(g("input"), o),
        "voicemails.get" => c.voicemails_get(g("id"), o),
        "calls.recording" => c.calls_recording(g("callid"), o),
        "webhooks.create" => c.webhooks_create(g("input"), o),
        "webhooks.delete" => c.webhooks_delete(g("id"), o),
        "request" => c.request(g("input"), o),
        _ => {
            let (name, verb) = op.split_once('.').expect("resource.verb");
            c.list(res(name), g("query"), verb == "iterate", o)
        }
    };
    // The wasm resolves `{data, status, headers, requestId, retries}` (the skin's `.withResponse()`).
    JsFuture::from(p).await.map(|v| get(&v, "data"))
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap_or(JsValue::UNDEFINED)
}

fn s(v: &JsValue, k: &str) -> String {
    get(v, k).as_string().unwrap_or_default()
}

fn kind(e: &JsValue) -> String {
    s(e, "kind")
}

#[wasm_bindgen_test]
async fn every_operation_works() {
    reset().await;
    let c = client();
    let agents = call(&c, "agents.list", "{}").await.unwrap();
    let first = get(&get(&agents, "results"), "0");
    assert!(get(&first, "is_admin").as_bool().is_some(), "is_admin is a boolean");
    assert!(s(&first, "created_at").ends_with('Z'));

    let contacts = call(&c, "contacts.list", r#"{"query":{"limit":3}}"#).await.unwrap();
    assert_eq!(get(&contacts, "count").as_f64(), Some(3.0));
    let phone = s(&get(&get(&contacts, "results"), "0"), "phone");
    let one = call(&c, "contacts.get", &format!(r#"{{"phone":"{phone}"}}"#)).await.unwrap();
    assert_eq!(s(&one, "phone"), phone);

    let created = call(&c, "contacts.create", r#"{"input":{"phone":"+14155550142","first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"}}"#).await.unwrap();
    assert_eq!(s(&created, "contact_name"), "Ada Lovelace");
    let updated = call(&c, "contacts.update", r#"{"phone":"+14155550142","patch":{"company":"Analytical Engines"}}"#).await.unwrap();
    assert_eq!(s(&updated, "company"), "Analytical Engines");

    let numbers = control("GET", "/__mock/numbers", None).await;
    let from = get(&get(&numbers, "sms_numbers"), "0").as_string().unwrap();
    let sent = call(&c, "sms.send", &format!(r#"{{"input":{{"from":"{from}","to":"+14155550142","text":"Hello from wasm"}}}}"#)).await.unwrap();
    assert_eq!(get(&sent, "segments").as_f64(), Some(1.0));
    assert_eq!(get(&sent, "success").as_bool(), Some(true));
    let history = call(&c, "sms.list", r#"{"query":{"limit":1}}"#).await.unwrap();
    assert_eq!(s(&get(&get(&history, "results"), "0"), "text"), "Hello from wasm");

    let vms = call(&c, "voicemails.list", r#"{"query":{"limit":2}}"#).await.unwrap();
    let vm_id = s(&get(&get(&vms, "results"), "0"), "id");
    let vm = call(&c, "voicemails.get", &format!(r#"{{"id":"{vm_id}"}}"#)).await.unwrap();
    assert!(s(&vm, "url").starts_with("http"));
    assert!(get(&vm, "duration").as_f64().is_some());

    let cdrs = call(&c, "calls.list", r#"{"query":{"limit":50,"since":"2020-01-01"}}"#).await.unwrap();
    let rows: js_sys::Array = get(&cdrs, "results").unchecked_into();
    assert!(rows.length() > 0);
    let answered = rows.iter().find(|r| get(r, "disposition_code").as_f64() == Some(200.0)).unwrap();
    assert!(get(&answered, "web_call").as_bool().is_some());
    let rec = call(&c, "calls.recording", &format!(r#"{{"callid":"{}"}}"#, s(&answered, "callid"))).await.unwrap();
    assert!(s(&rec, "url").starts_with("http"));

    let hook = call(&c, "webhooks.create", r#"{"input":{"event":"new_sms","url":"http://127.0.0.1:9/hook"}}"#).await.unwrap();
    let hooks = call(&c, "webhooks.list", "{}").await.unwrap();
    assert!(get(&hooks, "count").as_f64().unwrap() >= 1.0);
    let del = call(&c, "webhooks.delete", &format!(r#"{{"id":"{}"}}"#, s(&hook, "id"))).await.unwrap();
    assert_eq!(get(&del, "success").as_bool(), Some(true));

    let raw = call(&c, "request", r#"{"input":{"method":"GET","path":"/agents","query":{"limit":1}}}"#).await.unwrap();
    assert_eq!(get(&raw, "status").as_f64(), Some(200.0));
    assert_eq!(get(&get(&raw, "body"), "count").as_f64(), Some(1.0));
    assert!(!s(&get(&raw, "headers"), "x-request-id").is_empty());
}

#[wasm_bindgen_test]
async fn paging_to_the_end() {
    reset().await;
    let c = client();
    let mut page = call(&c, "agents.iterate", r#"{"query":{"pageSize":2}}"#).await.unwrap();
    let mut total = 0.0;
    let mut pages = 1;
    loop {
        total += get(&page, "count").as_f64().unwrap();
        let next = get(&page, "next");
        let Some(next) = next.as_string() else { break };
        page = get(&JsFuture::from(c.page(Resource::Agents, next, json("{}"))).await.unwrap(), "data");
        pages += 1;
    }
    assert!(total >= 5.0 && pages >= 3, "{total} rows in {pages} pages");
}

#[wasm_bindgen_test]
async fn error_kinds() {
    reset().await;
    let c = client();
    let bad_key = Client::new(json(&format!("{{\"apiKey\":\"nope\",\"baseUrl\":\"{}\"}}", base())), JsValue::UNDEFINED, false).unwrap();
    let e = call(&bad_key, "agents.list", "{}").await.unwrap_err();
    assert_eq!((kind(&e), get(&e, "status").as_f64()), ("auth".into(), Some(401.0)));
    assert!(!s(&e, "requestId").is_empty(), "request id is carried");

    let e = call(&c, "contacts.get", r#"{"phone":"+19995550000"}"#).await.unwrap_err();
    assert_eq!(kind(&e), "not_found");
    let e = call(&c, "contacts.get", r#"{"phone":"555"}"#).await.unwrap_err();
    assert_eq!((kind(&e), s(&e, "field")), ("validation".into(), "phone".into()));

    let first = get(&get(&call(&c, "contacts.list", r#"{"query":{"limit":1}}"#).await.unwrap(), "results"), "0");
    let e = call(&c, "contacts.create", &format!(r#"{{"input":{{"phone":"{}"}}}}"#, s(&first, "phone"))).await.unwrap_err();
    assert_eq!((kind(&e), get(&e, "status").as_f64()), ("conflict".into(), Some(409.0)));

    let e = call(&c, "request", r#"{"input":{"method":"POST","path":"/contacts","body":"{not json"}}"#).await.unwrap_err();
    assert_eq!((kind(&e), get(&e, "status").as_f64()), ("validation".into(), Some(400.0)));

    let e = call(&c, "sms.send", r#"{"input":{"from":"+19995550001","to":"+14155550142","text":"hi"}}"#).await.unwrap_err();
    assert_eq!((kind(&e), get(&e, "status").as_f64()), ("api".into(), Some(200.0)));

    let no_retry = r#"{"maxRetries":0}"#;
    fault(r#"{"route":"/agents","status":429,"retry_after":1}"#).await;
    let e = call_opts(&c, "agents.list", "{}", no_retry, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(kind(&e), "rate_limit");
    fault(r#"{"route":"/agents","status":503}"#).await;
    let e = call_opts(&c, "agents.list", "{}", no_retry, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!((kind(&e), get(&e, "status").as_f64()), ("server".into(), Some(503.0)));
    fault(&format!(r#"{{"route":"/agents","kind":"drop_before","count":{}}}"#, drops())).await;
    let e = call_opts(&c, "agents.list", "{}", no_retry, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(kind(&e), "network");
    fault(r#"{"route":"/agents","kind":"invalid_json"}"#).await;
    let e = call_opts(&c, "agents.list", "{}", no_retry, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(kind(&e), "decode");
    fault(r#"{"route":"/agents","kind":"truncate"}"#).await;
    let e = call_opts(&c, "agents.list", "{}", no_retry, JsValue::UNDEFINED).await.unwrap_err();
    assert!(kind(&e) == "decode" || kind(&e) == "network", "{}", kind(&e));
    fault(r#"{"route":"/agents","kind":"hang"}"#).await;
    let e = call_opts(&c, "agents.list", "{}", r#"{"timeoutMs":300,"maxRetries":0}"#, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(kind(&e), "timeout");
    fault(r#"{"route":"/agents","kind":"huge"}"#).await;
    let big = call_opts(&c, "agents.list", "{}", no_retry, JsValue::UNDEFINED).await.unwrap();
    assert!(get(&big, "count").as_f64().is_some());
}

#[wasm_bindgen_test]
async fn abort_stops_the_call_even_while_it_hangs() {
    reset().await;
    let c = client();
    fault(r#"{"route":"/agents","kind":"hang"}"#).await;
    let ctl = Controller::new();
    let cb = Closure::<dyn FnMut()>::new({
        let ctl: Controller = JsValue::from(&ctl).unchecked_into();
        move || ctl.abort()
    });
    set_timeout(cb.as_ref().unchecked_ref(), 100.0);
    let started = js_sys::Date::now();
    let e = call_opts(&c, "agents.list", "{}", "{}", ctl.signal()).await.unwrap_err();
    assert_eq!(kind(&e), "aborted");
    assert!(js_sys::Date::now() - started < 5_000.0);
    // An already-aborted signal: nothing is sent.
    control("DELETE", "/__mock/journal", None).await;
    let e = call_opts(&c, "agents.list", "{}", "{}", ctl.signal()).await.unwrap_err();
    assert_eq!(kind(&e), "aborted");
    assert_eq!(journal_count("GET", "/v1/agents").await, 0);
}

#[wasm_bindgen_test]
async fn abort_during_backoff() {
    reset().await;
    let c = client();
    fault(r#"{"route":"/agents","status":503,"retry_after":20,"count":5}"#).await;
    let ctl = Controller::new();
    let cb = Closure::<dyn FnMut()>::new({
        let ctl: Controller = JsValue::from(&ctl).unchecked_into();
        move || ctl.abort()
    });
    set_timeout(cb.as_ref().unchecked_ref(), 300.0);
    let started = js_sys::Date::now();
    let e = call_opts(&c, "agents.list", "{}", "{}", ctl.signal()).await.unwrap_err();
    assert_eq!(kind(&e), "aborted");
    assert!(js_sys::Date::now() - started < 5_000.0, "the 20 s Retry-After sleep was cut short");
}

#[wasm_bindgen_test]
async fn retries_get_but_never_resends_an_sms() {
    reset().await;
    let c = client();
    control("DELETE", "/__mock/journal", None).await;
    fault(r#"{"route":"/agents","status":503,"count":1}"#).await;
    let ok = call(&c, "agents.list", "{}").await.unwrap();
    assert!(get(&ok, "count").as_f64().is_some());
    assert_eq!(journal_count("GET", "/v1/agents").await, 2, "one retry after the 503");

    fault(r#"{"route":"/agents","status":429,"retry_after":1,"count":1}"#).await;
    let started = js_sys::Date::now();
    call(&c, "agents.list", "{}").await.unwrap();
    assert!(js_sys::Date::now() - started >= 900.0, "Retry-After: 1 was honoured");

    let numbers = control("GET", "/__mock/numbers", None).await;
    let from = get(&get(&numbers, "sms_numbers"), "0").as_string().unwrap();
    control("DELETE", "/__mock/journal", None).await;
    fault(&format!(r#"{{"route":"/sms/send","kind":"drop_after","count":{}}}"#, drops())).await;
    // The answer is lost: never sent again, the outcome is read from the SMS history instead.
    let ok = call(&c, "sms.send", &format!(r#"{{"input":{{"from":"{from}","to":"+14155550199","text":"exactly once"}}}}"#)).await.unwrap();
    assert_eq!(get(&ok, "reconciled").as_bool(), Some(true));
    let sent = journal_count("POST", "/v1/sms/send").await;
    assert!(sent >= 1 && sent <= drops(), "the client sent the SMS once ({sent} arrived)");
    let history = call(&c, "sms.list", r#"{"query":{"limit":5}}"#).await.unwrap();
    let rows: js_sys::Array = get(&history, "results").unchecked_into();
    let stored = rows.iter().filter(|r| s(r, "text") == "exactly once").count() as u32;
    assert!(stored >= 1 && stored <= drops());

    // Without reconciliation: an error that says the outcome is unknown.
    fault(&format!(r#"{{"route":"/sms/send","kind":"drop_after","count":{}}}"#, drops())).await;
    let e = call_opts(&c, "sms.send", &format!(r#"{{"input":{{"from":"{from}","to":"+14155550199","text":"not reconciled"}}}}"#), r#"{"reconcile":false}"#, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!((kind(&e), get(&e, "retries").as_f64()), ("network".into(), Some(0.0)));
    assert!(get(&e, "sent").is_null(), "sent: null, the outcome is unknown");
    let sent = journal_count("POST", "/v1/sms/send").await;

    fault(r#"{"route":"/sms/send","status":503}"#).await;
    let e = call(&c, "sms.send", &format!(r#"{{"input":{{"from":"{from}","to":"+14155550199","text":"again"}}}}"#)).await.unwrap_err();
    assert_eq!((kind(&e), get(&e, "retries").as_f64()), ("server".into(), Some(0.0)));
    assert_eq!(get(&e, "sent").as_bool(), Some(false), "Toky's own error body: not sent");
    assert_eq!(journal_count("POST", "/v1/sms/send").await, sent + 1, "a 503 on a POST is not retried");
}

#[wasm_bindgen_test]
fn key_never_in_errors() {
    let e = match Client::new(json("{\"apiKey\":\"sk-\\u0007top-secret\",\"baseUrl\":\"ftp://x\"}"), JsValue::UNDEFINED, false) {
        Err(e) => e,
        Ok(_) => panic!("accepted"),
    };
    let text = JSON::stringify(&e).unwrap().as_string().unwrap();
    assert!(!text.contains("top-secret"), "{text}");
}

/// A `fetch` given to the client: `body` is JS run as the function's body with the arguments
/// `url` and `init` (e.g. `return new Promise(() => {})`).
fn client_fetching(body: &str, extra: &str) -> Client {
    let f: js_sys::Function = MakeFunction::new(&format!("return (url, init) => {{ {body} }};")).unchecked_into();
    let f = f.call0(&JsValue::UNDEFINED).unwrap();
    let cfg = format!("{{\"apiKey\":\"sk-top-secret\",\"baseUrl\":\"{}\"{extra}}}", base());
    Client::new(json(&cfg), f, false).unwrap_or_else(|e| panic!("{:?}", JSON::stringify(&e)))
}

// The four defects issue #12 closes; each of these failed on the client before it.

#[wasm_bindgen_test]
async fn the_deadline_holds_when_fetch_never_settles() {
    let c = client_fetching("return new Promise(() => {});", r#","maxRetries":0,"timeoutMs":300"#);
    let started = js_sys::Date::now();
    let e = call(&c, "agents.list", "{}").await.unwrap_err();
    assert_eq!(kind(&e), "timeout");
    assert!(js_sys::Date::now() - started < 2_000.0);
    // A body that stalls after the headers: the same deadline.
    let c = client_fetching(
        "return Promise.resolve(new Response(new ReadableStream({ start() {} }), { status: 200, headers: { 'x-request-id': 'r1' } }));",
        r#","maxRetries":0,"timeoutMs":300"#,
    );
    let e = call(&c, "agents.list", "{}").await.unwrap_err();
    assert_eq!(kind(&e), "timeout");
    // The caller's signal, aborted with a string reason, while fetch ignores it.
    let c = client_fetching("return new Promise(() => {});", r#","maxRetries":0"#);
    let ctl = Controller::new();
    let cb = Closure::<dyn FnMut()>::new({
        let f: js_sys::Function = MakeFunction::new("return (c) => c.abort('user gave up')").unchecked_into();
        let f: js_sys::Function = f.call0(&JsValue::UNDEFINED).unwrap().unchecked_into();
        let ctl = JsValue::from(&ctl);
        move || {
            f.call1(&JsValue::UNDEFINED, &ctl).unwrap();
        }
    });
    set_timeout(cb.as_ref().unchecked_ref(), 100.0);
    let e = call_opts(&c, "agents.list", "{}", "{}", ctl.signal()).await.unwrap_err();
    assert_eq!(kind(&e), "aborted");
}

#[wasm_bindgen_test]
async fn requests_cannot_escape_the_base_path() {
    reset().await;
    let c = client();
    control("DELETE", "/__mock/journal", None).await;
    for (op, input) in [
        ("webhooks.delete", r#"{"id":".."}"#),
        ("voicemails.get", r#"{"id":"."}"#),
        ("request", r#"{"input":{"path":"/.%2e/__mock/numbers"}}"#),
        ("request", r#"{"input":{"path":"/%2E%2E/x"}}"#),
        ("request", r#"{"input":{"path":"/a/..\\..\\x"}}"#),
    ] {
        let e = call(&c, op, input).await.unwrap_err();
        assert_eq!(kind(&e), "validation", "{op} {input}");
    }
    let j = control("GET", "/__mock/journal", None).await;
    assert_eq!(js_sys::Array::from(&j).length(), 0, "nothing was sent");
    // A next URL that resolves outside the base is not followed.
    for next in ["/v1/../outside", "/v1/%2E%2E/outside", "/v1/.%2e/outside"] {
        let e = JsFuture::from(c.page(Resource::Agents, format!("{MOCK}{next}"), json("{}"))).await.unwrap_err();
        assert_eq!(kind(&e), "api", "{next}");
        assert!(s(&e, "message").contains("outside baseUrl"));
    }
}

#[wasm_bindgen_test]
async fn a_key_the_server_echoes_is_redacted() {
    let body = r#"return Promise.resolve(new Response(JSON.stringify({ success: false, error_message: 'Invalid API key: ' + init.headers.get('x-toky-key') }), { status: 401 }));"#;
    let c = client_fetching(body, r#","maxRetries":0"#);
    let e = call(&c, "agents.list", "{}").await.unwrap_err();
    let text = JSON::stringify(&e).unwrap().as_string().unwrap();
    assert_eq!(kind(&e), "auth");
    assert!(!text.contains("sk-top-secret"), "{text}");
    assert!(s(&e, "message").contains("[redacted]"));
}

#[wasm_bindgen_test]
async fn a_body_that_fails_keeps_status_and_request_id() {
    let body = "return Promise.resolve(new Response(new ReadableStream({ pull(c) { c.error(new TypeError('broken gzip stream')); } }), { status: 200, headers: { 'x-request-id': 'abc' } }));";
    let c = client_fetching(body, r#","maxRetries":0"#);
    let e = call(&c, "agents.list", "{}").await.unwrap_err();
    assert_eq!(kind(&e), "network");
    assert_eq!(get(&e, "status").as_f64(), Some(200.0));
    assert_eq!(s(&e, "requestId"), "abc");
}
