//! Whole-core tests: every operation's plan through `plan()`, as the JS skin calls it, and the
//! contract's real example payloads through the shapes.

use super::*;
use crate::error::ErrorKind;
use crate::request::{interpret, Plan, Response};

fn cfg() -> Config {
    crate::request::tests::config("{\"apiKey\":\"sk-live-secret\",\"baseUrl\":\"http://127.0.0.1:9/v1\"}", false).unwrap()
}

/// The operation as the wasm layer's typed entry point calls it, from the arguments object the
/// JS side passes.
pub(crate) fn plan(cfg: &Config, op: &str, input: &str) -> Result<Plan, Error> {
    let a = crate::args::parse(input);
    let o = match &a {
        Arg::Obj(o) => o.as_slice(),
        _ => return Err(Error::field("arguments", "expected an object")),
    };
    let q = || args::object(args::get(o, "query"), "query", true);
    let r = match op {
        "agents.list" => q().and_then(|q| agents::list(cfg, q, false)),
        "agents.iterate" => q().and_then(|q| agents::list(cfg, q, true)),
        "contacts.list" => q().and_then(|q| contacts::list(cfg, q, false)),
        "contacts.get" => contacts::get(cfg, o),
        "contacts.create" => contacts::create(cfg, args::get(o, "input")),
        "contacts.update" => contacts::update(cfg, o),
        "sms.send" => sms::send(cfg, args::get(o, "input")),
        "sms.list" => q().and_then(|q| sms::list(cfg, q, false)),
        "voicemails.list" => q().and_then(|q| voicemails::list(cfg, q, false)),
        "voicemails.get" => voicemails::get(cfg, o),
        "calls.list" => q().and_then(|q| calls::list(cfg, q, false)),
        "calls.recording" => calls::recording(cfg, o),
        "webhooks.create" => webhooks::create(cfg, args::get(o, "input")),
        "webhooks.list" => q().and_then(|q| webhooks::list(cfg, q, false)),
        "webhooks.delete" => webhooks::delete(cfg, o),
        "request" => args::object(args::get(o, "input"), "input", false).and_then(|i| request::raw(cfg, i)),
        _ => Err(Error::new(error::ErrorKind::Validation, "unknown operation")),
    };
    r.map_err(|e| e.op(op))
}

fn ok(op: &str, input: &str) -> Plan {
    plan(&cfg(), op, input).unwrap_or_else(|e| panic!("{op} {input}: {}", e.message))
}

fn err(op: &str, input: &str) -> Error {
    match plan(&cfg(), op, input) {
        Ok(p) => panic!("{op} {input} was accepted: {}", p.url),
        Err(e) => e,
    }
}

#[test]
fn every_operation_plans() {
    let cases: &[(&str, &str, &str, &str, Option<&str>, bool)] = &[
        ("agents.list", "{}", "GET", "/agents", None, true),
        ("agents.iterate", "{\"query\":{\"pageSize\":5}}", "GET", "/agents?limit=5", None, true),
        ("contacts.list", "{\"query\":{\"limit\":20,\"offset\":40}}", "GET", "/contacts?limit=20&offset=40", None, true),
        ("contacts.get", "{\"phone\":\"+15551234567\"}", "GET", "/contacts/%2B15551234567", None, true),
        (
            "contacts.create",
            "{\"input\":{\"phone\":\"+15551234567\",\"first_name\":\"Ada\",\"country_code\":\"us\",\"created_by\":\"a@b.co\"}}",
            "POST",
            "/contacts",
            Some("{\"phone\":\"+15551234567\",\"first_name\":\"Ada\",\"country_code\":\"US\",\"created_by\":\"a@b.co\"}"),
            false,
        ),
        (
            "contacts.update",
            "{\"phone\":\"+15551234567\",\"patch\":{\"company\":\"Acme\",\"email\":\"x@y.io\"}}",
            "PUT",
            "/contacts/%2B15551234567",
            Some("{\"email\":\"x@y.io\",\"company\":\"Acme\"}"),
            true,
        ),
        (
            "contacts.update",
            "{\"phone\":\"+15551234567\",\"patch\":{\"city\":null}}",
            "PUT",
            "/contacts/%2B15551234567",
            Some("{\"city\":null}"),
            true,
        ),
        (
            "sms.send",
            "{\"input\":{\"from\":\"+15550000001\",\"to\":\"+15551234567\",\"text\":\"Hi \\\"you\\\" 😀\",\"agent\":\"a@b.co\"}}",
            "POST",
            "/sms/send",
            Some("{\"from\":\"+15550000001\",\"to\":\"+15551234567\",\"text\":\"Hi \\\"you\\\" 😀\",\"email\":\"a@b.co\"}"),
            false,
        ),
        ("sms.list", "{\"query\":{\"since\":\"2017-06-01\"}}", "GET", "/sms?filter=%28created_at%20%3E%3D%202017-06-01%29", None, true),
        ("voicemails.list", "{\"query\":{}}", "GET", "/voicemails", None, true),
        ("voicemails.get", "{\"id\":\"vm/1\"}", "GET", "/voicemails/vm%2F1", None, true),
        ("calls.list", "{\"query\":{\"limit\":1}}", "GET", "/cdrs?limit=1", None, true),
        ("calls.recording", "{\"callid\":\"3482582a-dc6e\"}", "GET", "/recordings/3482582a-dc6e", None, true),
        (
            "webhooks.create",
            "{\"input\":{\"event\":\"new_sms\",\"url\":\"https://example.com/h?token=t\"}}",
            "POST",
            "/webhooks",
            Some("{\"event\":\"new_sms\",\"hook_url\":\"https://example.com/h?token=t\"}"),
            false,
        ),
        ("webhooks.list", "{}", "GET", "/webhooks", None, true),
        ("webhooks.delete", "{\"id\":\"17\"}", "DELETE", "/webhooks/17", None, true),
        ("request", "{\"input\":{\"path\":\"/agents\",\"query\":{\"limit\":1}}}", "GET", "/agents?limit=1", None, true),
    ];
    for &(op, input, method, path, body, retry) in cases {
        let p = ok(op, input);
        assert_eq!(p.method, method, "{op}");
        assert_eq!(p.url, format!("http://127.0.0.1:9/v1{path}"), "{op}");
        assert_eq!(p.body.as_deref(), body, "{op}");
        assert_eq!(p.retry_safe, retry, "{op}");
        assert_eq!(p.op, op, "{op}: iterate errors say iterate");
    }
}

#[test]
fn bad_input_names_the_field_and_sends_nothing() {
    let cases: &[(&str, &str, &str)] = &[
        ("agents.list", "{\"query\":\"all\"}", "query"),
        ("agents.list", "{\"query\":{\"limit\":0}}", "limit"),
        ("agents.list", "{\"query\":{\"lmit\":5}}", "lmit"),
        ("contacts.get", "{}", "phone"),
        ("contacts.get", "{\"phone\":15551234567}", "phone"),
        ("contacts.get", "{\"phone\":\"5551234567\"}", "phone"),
        ("contacts.create", "{\"input\":null}", "input"),
        ("contacts.create", "{\"input\":{\"first_name\":\"A\"}}", "phone"),
        ("contacts.create", "{\"input\":{\"phone\":\"+15551234567\",\"email\":\"nope\"}}", "email"),
        ("contacts.create", "{\"input\":{\"phone\":\"+15551234567\",\"firstName\":\"A\"}}", "firstName"),
        ("contacts.create", "{\"input\":{\"phone\":\"+15551234567\",\"country_code\":\"USA\"}}", "country_code"),
        ("contacts.create", "{\"input\":{\"phone\":\"+15551234567\",\"first_name\":\"\"}}", "first_name"),
        ("contacts.create", "{\"input\":{\"phone\":\"+15551234567\",\"city\":7}}", "city"),
        ("contacts.create", "{\"input\":{\"phone\":\"+15551234567\",\"city\":null}}", "city"),
        ("contacts.update", "{\"phone\":\"+15551234567\",\"patch\":{}}", "patch"),
        ("contacts.update", "{\"phone\":\"+15551234567\"}", "patch"),
        ("contacts.update", "{\"phone\":\"+15551234567\",\"patch\":{\"phone\":\"+15550000000\"}}", "phone"),
        ("sms.send", "{}", "input"),
        ("sms.send", "{\"input\":{\"to\":\"+15551234567\",\"text\":\"hi\"}}", "from"),
        ("sms.send", "{\"input\":{\"from\":\"+15550000001\",\"to\":\"+1555\",\"text\":\"hi\"}}", "to"),
        ("sms.send", "{\"input\":{\"from\":\"+15550000001\",\"to\":\"+15551234567\",\"text\":\"   \"}}", "text"),
        ("sms.send", "{\"input\":{\"from\":\"+15550000001\",\"to\":\"+15551234567\",\"text\":[\"hi\"]}}", "text"),
        ("sms.send", "{\"input\":{\"from\":\"+15550000001\",\"to\":\"+15551234567\",\"text\":\"hi\",\"agent\":\"bob\"}}", "agent"),
        ("sms.send", "{\"input\":{\"from\":\"+15550000001\",\"to\":\"+15551234567\",\"text\":\"hi\",\"email\":\"a@b.co\"}}", "email"),
        ("sms.list", "{\"query\":{\"since\":\"tomorrow\"}}", "since"),
        ("voicemails.get", "{\"id\":\"\"}", "id"),
        ("voicemails.get", "{\"id\":12}", "id"),
        ("voicemails.list", "{\"query\":{\"since\":\"2017-01-01\"}}", "since"),
        ("calls.recording", "{\"callid\":null}", "callid"),
        ("webhooks.create", "{\"input\":{\"event\":\"new_fax\",\"url\":\"https://x.y/h\"}}", "event"),
        ("webhooks.create", "{\"input\":{\"event\":\"new_sms\",\"url\":\"/relative\"}}", "url"),
        ("webhooks.create", "{\"input\":{\"event\":\"new_sms\",\"hook_url\":\"https://x.y/h\"}}", "hook_url"),
        ("webhooks.delete", "{\"id\":{\"id\":\"1\"}}", "id"),
    ];
    for &(op, input, field) in cases {
        let e = err(op, input);
        assert_eq!(e.kind, ErrorKind::Validation, "{op} {input}");
        assert_eq!(e.field.as_deref(), Some(field), "{op} {input}: {}", e.message);
        assert!(e.message.starts_with(field), "{}", e.message);
        assert_eq!(e.operation, op);
        assert!(!e.message.contains("sk-live-secret") && !e.to_json().contains("sk-live-secret"));
    }
    assert_eq!(err("nope.list", "{}").kind, ErrorKind::Validation);
}

#[test]
fn call_options_checked() {
    let c = cfg();
    let o = |s: &str| call_options(&c, Some(&crate::args::parse(s)), false);
    let sms = |s: &str| call_options(&c, Some(&crate::args::parse(s)), true);
    let opts = |timeout_ms, max_retries, reconcile| crate::CallOptions { timeout_ms, max_retries, reconcile };
    assert_eq!(call_options(&c, None, false).unwrap(), opts(30_000, 2, true));
    assert_eq!(o("{\"timeoutMs\":5,\"maxRetries\":0}").unwrap(), opts(5, 0, true));
    assert_eq!(o("{\"timeout\":5}").unwrap_err().field.as_deref(), Some("timeout"));
    assert_eq!(o("{\"maxRetries\":11}").unwrap_err().field.as_deref(), Some("maxRetries"));
    // `reconcile` is sms.send's alone.
    assert_eq!(o("{\"reconcile\":false}").unwrap_err().field.as_deref(), Some("reconcile"));
    assert_eq!(sms("{\"reconcile\":false}").unwrap(), opts(30_000, 2, false));
    assert_eq!(sms("{\"reconcile\":\"no\"}").unwrap_err().field.as_deref(), Some("reconcile"));
}

fn run(op: &str, input: &str, body: &str) -> serde_json::Value {
    let c = cfg();
    let p = plan(&c, op, input).unwrap_or_else(|e| panic!("{op} {input}: {}", e.message));
    let r = Response { status: 200, body: body.as_bytes(), request_id: None, headers: None };
    let out = interpret(&c, &p, &r).unwrap_or_else(|e| panic!("{op}: {}", e.message));
    serde_json::from_str(&out.json).unwrap()
}

fn j(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn contract_examples_normalise() {
    let agents = r#"{"count":11,"next":null,"results":[{"email":"agent@mail.com","fullname":"Agent Name","created_at":"2017-06-27 19:24:10","last_update":"2017-06-27 19:26:52","last_connection":null,"is_admin":"false","phone_number":"+15553456789","phone_country":"ES"}]}"#;
    assert_eq!(
        run("agents.list", "{}", agents),
        j(r#"{"count":1,"next":null,"results":[{"email":"agent@mail.com","fullname":"Agent Name","created_at":"2017-06-27T19:24:10Z","last_update":"2017-06-27T19:26:52Z","last_connection":null,"is_admin":false,"phone_number":"+15553456789","phone_country":"ES"}]}"#)
    );
    let cdr = r#"{"count":1,"next":"http://127.0.0.1:9/v1/cdrs?offset=1&limit=1","results":[{"id":"12903","callid":"3482582a-dc6e-1235-798c-0401336adf01","from":"+551234567","to_number":null,"country":"US","caller_id_used":"+12018155555","init_dt":"2017-07-05 21:46:44","start_time":"2017-07-05 21:46:22","end_time":"2017-07-05 21:46:44","duration":"22","agent_id":"carlos__myagent.com","direction":"inbound","web_call":"no","disposition_code":"200","ivr_option_pressed":"8"}]}"#;
    assert_eq!(
        run("calls.list", "{}", cdr),
        j(r#"{"count":1,"next":"http://127.0.0.1:9/v1/cdrs?offset=1&limit=1","results":[{"id":"12903","callid":"3482582a-dc6e-1235-798c-0401336adf01","from":"+551234567","to_number":null,"country":"US","caller_id_used":"+12018155555","init_dt":"2017-07-05T21:46:44Z","start_time":"2017-07-05T21:46:22Z","end_time":"2017-07-05T21:46:44Z","duration":22,"agent_id":"carlos__myagent.com","direction":"inbound","web_call":false,"disposition_code":200,"ivr_option_pressed":"8"}]}"#)
    );
    // Already-typed values are accepted as they are; ids stay strings.
    let typed = run("voicemails.get", "{\"id\":\"1\"}", r#"{"id":77,"duration":5,"created_at":"2017-06-27T19:24:10Z","url":"http://x/a.wav","extra":{"n":"1"}}"#);
    assert_eq!(typed, j(r#"{"id":"77","duration":5,"created_at":"2017-06-27T19:24:10Z","url":"http://x/a.wav","extra":{"n":"1"}}"#));
    let sent = run("sms.send", "{\"input\":{\"from\":\"+15550000001\",\"to\":\"+15551234567\",\"text\":\"hi\"}}", r#"{"success":"true","id":123,"segments":"2"}"#);
    assert_eq!(sent, j(r#"{"success":true,"id":"123","segments":2}"#));
}

#[test]
fn segments_as_json() {
    assert_eq!(segments_json("hi"), "{\"encoding\":\"GSM-7\",\"characters\":2,\"segments\":1,\"perSegment\":160,\"remaining\":158}");
    assert!(segments_json("😀").starts_with("{\"encoding\":\"UCS-2\",\"characters\":2,\"segments\":1"));
}


/// The TypeScript the build puts into index.d.ts names every field as JS sees it.
#[test]
fn typescript_names_what_js_sees() {
    let ts = crate::records::typescript();
    let seg: serde_json::Value = serde_json::from_str(&segments_json("hi")).unwrap();
    let block = &ts[ts.find("export interface SmsSegments {").unwrap()..];
    let block = &block[..block.find("\n}").unwrap()];
    for k in seg.as_object().unwrap().keys() {
        assert!(block.contains(&format!("  {k}: ")), "SmsSegments.{k} is not declared as JS sees it");
    }
    for name in ["Agent", "Contact", "Sms", "SmsSent", "Voicemail", "CallRecord", "Recording", "Webhook", "ContactInput", "ContactPatch", "SmsInput", "WebhookInput"] {
        assert!(ts.contains(&format!("export interface {name} {{")), "{name}");
    }
    assert!(!ts.contains("unknown;\n  ") && !ts.contains(": any"), "no untyped fields");
}
