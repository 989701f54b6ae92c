//! Webhook deliveries: the flat JSON Toky POSTs to a hook URL, read into a typed event, and the
//! one check a receiver can honestly make that a delivery came through its own hook.
//!
//! Owns: `parse` (body + options → the event as normalised JSON, or an error) and the hook-URL
//! token check. Must not: claim to verify a signature. Toky documents none (contract, Webhooks:
//! "no signature is documented"), so anything calling itself verification would be invented and
//! would give receivers false confidence. What a receiver *can* do is register its hook with a
//! secret only it knows in the URL's query (`https://me.example/hook?token=<random>`): Toky
//! repeats the URL as given, a stranger who does not know the URL cannot produce the token, and
//! `parse` refuses any request whose URL does not carry it. That is exactly as strong as the
//! secrecy of the URL (HTTPS keeps it off the wire; server logs may record it), and no stronger.

use serde_json::Value;

use crate::args::{self, Arg};
use crate::error::{Error, ErrorKind};

crate::record! {
    /// Every event's fields that need typing. The three event shapes never give one name two
    /// meanings, so one record serves all of them and unknown events too: sms `id`; call
    /// `callid`, `duration` (seconds), `web_call` ("yes"/"no") and `date`; voicemail the call
    /// fields plus `voicemail_id`. Other fields are copied unchanged, as in list records.
    pub struct Event {
        event: Pass,
        id: Id,
        callid: Id,
        voicemail_id: Id,
        duration: Num,
        web_call: Bool,
        date: Time,
    }
}

/// The query parameter of the hook URL that carries the receiver's secret.
pub const TOKEN_PARAM: &str = "token";

/// Reads one delivery. `body` is the request body as text; `options` the checked
/// `{event?, token?, url?}`. Returns the event as JSON: the body's fields normalised like list
/// records, with `event` set (from the body, or from the option when the body has none).
pub fn parse(body: &str, options: Option<&Arg>) -> Result<String, Error> {
    let o = args::object(options, "options", true)?;
    args::only(o, &["event", "token", "url"])?;
    let named = args::text(o, "event", false, 64)?;
    let token = args::text(o, "token", false, 1024)?;
    let url = args::text(o, "url", false, 8192)?;
    // The token is checked before the body is read: an unauthenticated sender learns nothing
    // about what the receiver would have accepted.
    match (token, url) {
        (Some(t), Some(u)) => check_token(t, u).map_err(|m| Error::new(ErrorKind::Auth, m))?,
        (None, None) => {}
        (t, _) => {
            let missing = if t.is_some() { "url" } else { "token" };
            return Err(Error::field(missing, "token and url go together: the secret, and the URL the request was sent to"));
        }
    }
    event(body, named).map_err(|m| Error::new(ErrorKind::Decode, m))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The body as the event's JSON, or what is wrong with it.
fn event(body: &str, named: Option<&str>) -> Result<String, String> {
    let body = body.strip_prefix('\u{FEFF}').unwrap_or(body);
    let v: Value = serde_json::from_slice(body.as_bytes()).map_err(|e| format!("the webhook body is not JSON: {e}"))?;
    if !v.is_object() {
        return Err(format!("the webhook body is not a JSON object, got {}", type_name(&v)));
    }
    let in_body = match v.get("event") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim_ascii().is_empty() => Some(s.clone()),
        Some(Value::String(_)) => return Err("the body's \"event\" must be a non-empty string, got an empty string".into()),
        Some(other) => return Err(format!("the body's \"event\" must be a non-empty string, got {}", type_name(other))),
    };
    let name = match (in_body.as_deref(), named) {
        (Some(a), Some(b)) if a != b => return Err(format!("the body is a \"{a}\" event, not \"{b}\" as the event option says")),
        (Some(a), _) | (None, Some(a)) => a.to_string(),
        (None, None) => return Err("the body has no \"event\"; pass { event } when the hook URL tells it".into()),
    };
    if v.get("success").map(|s| crate::loose::to_bool(s.clone())) == Some(Value::Bool(false)) {
        return Err("the webhook body is not an event: it says \"success\": false".into());
    }
    let mut e: Event = serde_json::from_value(v).map_err(|e| format!("the webhook body is not an event: {e}"))?;
    e.event = Some(crate::loose::Pass(Value::String(name)));
    serde_json::to_string(&e).map_err(|e| e.to_string())
}

/// Checks that `url` (absolute, or path and query) carries `token=<secret>` exactly once.
fn check_token(secret: &str, url: &str) -> Result<(), &'static str> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or_default();
    let (mut seen, mut ok) = (0, false);
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if k == TOKEN_PARAM {
            seen += 1;
            ok = same(secret.as_bytes(), v.as_bytes());
        }
    }
    match (seen, ok) {
        (1, true) => Ok(()),
        (0, _) => Err("no token in the request URL: it did not come through this receiver's hook"),
        _ => Err("the token in the request URL does not match: it did not come through this receiver's hook"),
    }
}

/// Equality whose time depends on the secret's length only, not on where the first difference
/// is, so the token cannot be guessed byte by byte from response times.
fn same(secret: &[u8], given: &[u8]) -> bool {
    let mut diff = secret.len() ^ given.len();
    for (i, s) in secret.iter().enumerate() {
        diff |= usize::from(s ^ given.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(body: &str, options: &str) -> Result<String, Error> {
        parse(body, Some(&crate::args::parse(options)))
    }

    /// The event as a value: key order is serde's, not the body's.
    fn ok(body: &str, options: &str) -> Value {
        let out = p(body, options).unwrap_or_else(|e| panic!("{body} {options}: {}", e.message));
        serde_json::from_str(&out).unwrap()
    }

    fn j(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    fn err(body: &str, options: &str) -> Error {
        match p(body, options) {
            Ok(out) => panic!("{body} {options} was accepted: {out}"),
            Err(e) => e,
        }
    }

    const SMS: &str = r#"{"event":"new_sms","id":48890,"from_number":"+447700900111","to_number":"+13055550100","text":"hi","agent":null,"direction":"inbound","date":"2026-11-21 08:00:00"}"#;
    const CALL: &str = r#"{"event":"new_call","callid":"3482582a-dc6e","direction":"inbound","web_call":"no","agent":"carlos@myagent.com","agent_name":"Carlos","duration":"22","state":"completed","from_number":"+551234567","to_number":"+13055550100","date":"2017-07-05 21:46:44","record_url":"http://x/a.wav","record_url_raw":"http://x/a.wav","caller_name":null,"caller_email":null,"caller_country":"BR","caller_phone_number":"+551234567","contact_name":null,"contact_email":null}"#;
    const VOICEMAIL: &str = r#"{"event":"new_voicemail","callid":"c-1","direction":"inbound","web_call":"yes","duration":"31","state":"missed","date":"2026-11-21 08:00:01","voicemail_id":"17","voicemail_url":"http://x/17.wav","record_url":"http://x/17.wav"}"#;

    #[test]
    fn each_event_type_is_normalised_like_list_records() {
        assert_eq!(
            ok(SMS, "{}"),
            j(r#"{"event":"new_sms","id":"48890","from_number":"+447700900111","to_number":"+13055550100","text":"hi","agent":null,"direction":"inbound","date":"2026-11-21T08:00:00Z"}"#)
        );
        let call = ok(CALL, "{}");
        assert_eq!(call["web_call"], false);
        assert_eq!(call["duration"], 22);
        assert_eq!(call["state"], "completed");
        assert_eq!(call["date"], "2017-07-05T21:46:44Z");
        assert_eq!(call["contact_email"], Value::Null);
        assert_eq!(
            ok(VOICEMAIL, "{}"),
            j(r#"{"event":"new_voicemail","callid":"c-1","direction":"inbound","web_call":true,"duration":31,"state":"missed","date":"2026-11-21T08:00:01Z","voicemail_id":"17","voicemail_url":"http://x/17.wav","record_url":"http://x/17.wav"}"#)
        );
        // The other documented call events have the call fields.
        assert_eq!(ok(r#"{"event":"inbound_call_answered","callid":7,"duration":"0"}"#, "{}"), j(r#"{"event":"inbound_call_answered","callid":"7","duration":0}"#));
    }

    #[test]
    fn already_typed_and_unknown_events_pass_through() {
        let typed = r#"{"event":"new_call","callid":"c","web_call":true,"duration":5,"date":"2017-06-27T19:24:10Z","extra":{"n":"1"}}"#;
        assert_eq!(ok(typed, "{}"), j(typed));
        assert_eq!(
            ok(r#"{"event":"new_fax","pages":"3","date":"2026-01-02 03:04:05"}"#, "{}"),
            j(r#"{"event":"new_fax","pages":"3","date":"2026-01-02T03:04:05Z"}"#)
        );
    }

    #[test]
    fn the_event_name_can_come_from_the_option() {
        assert_eq!(ok(r#"{"id":"1"}"#, r#"{"event":"new_sms"}"#), j(r#"{"id":"1","event":"new_sms"}"#));
        assert_eq!(ok("{}", r#"{"event":"new_call"}"#), j(r#"{"event":"new_call"}"#));
        // A null event in the body is replaced by the option's.
        assert_eq!(ok(r#"{"event":null}"#, r#"{"event":"new_sms"}"#), j(r#"{"event":"new_sms"}"#));
        assert_eq!(ok(SMS, r#"{"event":"new_sms"}"#), ok(SMS, "{}"));
        let e = err(SMS, r#"{"event":"new_call"}"#);
        assert_eq!(e.kind, ErrorKind::Decode);
        assert!(e.message.contains("\"new_sms\" event, not \"new_call\" as the event option says"), "{}", e.message);
        let e = err(r#"{"id":"1"}"#, "{}");
        assert_eq!(e.kind, ErrorKind::Decode);
        assert!(e.message.contains("no \"event\""), "{}", e.message);
    }

    #[test]
    fn malformed_bodies_are_decode_errors_that_say_what_is_wrong() {
        let cases: &[(&str, &str)] = &[
            ("", "not JSON: EOF while parsing"),
            ("event=new_sms&id=1", "not JSON: expected value"),
            (r#"{"event":"new_sms","id":"1""#, "not JSON: EOF while parsing"),
            (r#"{"event":"new_sms"} x"#, "not JSON: trailing characters"),
            ("[1,2]", "not a JSON object, got an array"),
            ("\"new_sms\"", "not a JSON object, got a string"),
            ("null", "not a JSON object, got null"),
            (r#"{"event":7}"#, "\"event\" must be a non-empty string, got a number"),
            (r#"{"event":""}"#, "got an empty string"),
            (r#"{"event":"new_sms","success":false}"#, "says \"success\": false"),
        ];
        for &(body, says) in cases {
            let e = err(body, "{}");
            assert_eq!(e.kind, ErrorKind::Decode, "{body}");
            assert!(e.message.contains(says), "{body}: {}", e.message);
        }
        // A BOM is tolerated, as in response bodies.
        assert_eq!(ok("\u{FEFF}{\"event\":\"new_sms\"}", "{}")["event"], "new_sms");
    }

    #[test]
    fn bad_options_are_validation_errors_naming_the_field() {
        for (options, field) in [
            ("[]", "options"),
            (r#"{"secret":"x"}"#, "secret"),
            (r#"{"event":""}"#, "event"),
            (r#"{"event":5}"#, "event"),
            (r#"{"token":""}"#, "token"),
            (r#"{"token":"abc"}"#, "url"),
            (r#"{"url":"/hook?token=abc"}"#, "token"),
            (r#"{"token":"abc","url":7}"#, "url"),
            (r#"{"token":"abc","url":""}"#, "url"),
        ] {
            let e = err(SMS, options);
            assert_eq!(e.kind, ErrorKind::Validation, "{options}");
            assert_eq!(e.field.as_deref(), Some(field), "{options}: {}", e.message);
        }
    }

    #[test]
    fn the_token_in_the_hook_url_is_checked_first() {
        let t = |url: &str| p(SMS, &format!(r#"{{"token":"s3cr3t-Tok","url":{url:?}}}"#));
        for good in [
            "/hook?token=s3cr3t-Tok",
            "http://127.0.0.1:8080/hook?a=1&token=s3cr3t-Tok&b=2",
            "https://me.example/hook?token=s3cr3t%2DTok#frag",
        ] {
            assert!(t(good).is_ok(), "{good}");
        }
        for bad in [
            "/hook",
            "/hook?token=",
            "/hook?token=s3cr3t-To",
            "/hook?token=s3cr3t-Tok2",
            "/hook?token=S3CR3T-TOK",
            "/hook?tokens=s3cr3t-Tok",
            "/hook#token=s3cr3t-Tok",
            "/hook?token=s3cr3t-Tok&token=s3cr3t-Tok",
            "/hook?token=nope&token=s3cr3t-Tok",
        ] {
            let e = t(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Auth, "{bad}");
            assert!(!e.message.contains("s3cr3t"), "{}", e.message);
        }
        // Auth comes before decoding: a stranger's garbage body gets `auth`, not `decode`.
        let e = p("not json", r#"{"token":"s3cr3t","url":"/hook?token=nope"}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Auth);
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"abc", b"ab") && !same(b"ab", b"abc"));
    }
}
