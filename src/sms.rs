//! Text messages: sending ([SEEN] `POST /sms/send`) and history (newest first). Sending is not
//! idempotent: the plan is marked unsafe to retry, and the wasm layer never re-sends it.

use serde::Serialize;

use crate::args::{self, Arg, Email, Phone};
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Decode, Plan};

crate::record! {
    /// A text message of the SMS history, as `sms.list` and `sms.watch` return it; fields the
    /// client does not declare pass through as sent.
    pub struct Sms {
        /// The message id (a string, also when Toky sends a number).
        id: Id,
        /// The sending number.
        from: Pass => ": Phone",
        /// The receiving number.
        to: Pass => ": Phone",
        /// The message text.
        text: Pass => ": string",
        /// "inbound" (received) or "outbound" (sent).
        direction: Pass => ": \"inbound\" | \"outbound\"",
        /// Email of the agent who sent it; null for inbound texts.
        agent: Pass => "?: string | null",
        /// When the text was sent or received.
        created_at: Time,
    }
}

crate::record! {
    /// What `sms.send` resolves with: `{success, id, segments}` as Toky answers; when the answer
    /// was lost and the text was found in the SMS history, also `reconciled: true` and that
    /// history `message`.
    pub struct SmsSent {
        /// true: Toky accepted the text.
        success: Bool => ": boolean",
        /// The message id (a string, also when Toky sends a number).
        id: Id,
        /// Billed SMS segments (see `smsSegments`).
        segments: Num => ": number",
        /// Present when the answer to the send was lost and the text was found in the SMS history.
        reconciled: Pass => "?: true",
        /// With `reconciled`: the history record that proved the send.
        message: Pass => "?: Sms",
    }
}

/// [DECIDED] Longest text accepted: 10 concatenated UCS-2 parts is well past what carriers
/// deliver reliably; a longer text is almost certainly a bug in the caller.
pub const MAX_TEXT: usize = 1600;

crate::typed! {
    /// What `sms.send` takes. Checked before any request (a bad value is a `validation` error
    /// naming the field); it is also the request body.
    #[derive(Debug, Serialize)]
    pub struct SmsInput {
        /// One of the account's SMS-enabled Toky numbers.
        from: Phone => ": Phone",
        /// The recipient's number.
        to: Phone => ": Phone",
        /// The text, at most 1,600 characters (long texts are split into segments and billed per segment).
        text: String => ": string",
        /// Email of the sending agent.
        #[serde(rename = "email", skip_serializing_if = "Option::is_none")]
        agent: Option<Email> => "?: string",
    }
}

impl TryFrom<&[(String, Arg)]> for SmsInput {
    type Error = Error;
    fn try_from(input: &[(String, Arg)]) -> Result<SmsInput, Error> {
        args::only(input, &["from", "to", "text", "agent"])?;
        Ok(SmsInput {
            from: args::required(input, "from")?,
            to: args::required(input, "to")?,
            text: args::text(input, "text", true, MAX_TEXT)?.unwrap_or_default().to_string(),
            agent: args::optional(input, "agent")?,
        })
    }
}

pub fn send(cfg: &Config, input: Option<&Arg>) -> Result<Plan, Error> {
    send_checked(cfg, input).map(|(plan, _)| plan)
}

/// The send's plan, and its checked input (what reconciliation looks for).
pub fn send_checked(cfg: &Config, input: Option<&Arg>) -> Result<(Plan, SmsInput), Error> {
    let input = SmsInput::try_from(args::object(input, "input", false)?)?;
    debug_assert_eq!(decided::SMS_AGENT_FIELD, "email");
    Ok((Plan::new(cfg, &decided::SMS_SEND, None, Decode::Object(Kind::SmsSent)).body(&input), input))
}

pub fn list(cfg: &Config, o: &[(String, Arg)], iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::SMS_LIST, Kind::Sms, o, Paging { iterate, dates: true })
}

// --- a proven outcome for a send whose answer was lost ----------------------------------------
//
// Toky has no idempotency keys, so a send that may have reached Toky is never sent again.
// Instead the client reads the SMS history from just before the attempt and looks for the text:
// found, the send succeeded; absent on two reads `SMS_RECONCILE_DELAY_MS` apart, it was not sent;
// history unreadable (or more texts since then than one page holds), nobody can tell.

/// How the last attempt of a failed call ended (the wasm layer reports it for every call; only
/// `sms.send` reads it).
#[derive(Debug)]
pub enum Ending {
    /// A response arrived, whole.
    Reply { status: u16, body: Vec<u8> },
    /// A status arrived, then the body could not be read.
    Cut { status: u16 },
    /// No response: `fetch` rejected (connection refused, reset or cut) or the deadline passed
    /// while the request was in flight.
    NoReply,
    /// The caller's signal fired while the request was in flight.
    Aborted,
    /// Nothing was sent (refused before `fetch`, or stopped before it was called).
    NotSent,
}

/// Whether the text may have gone out although the attempt failed: the connection was cut
/// after the request may have been sent, a timeout while it was in flight, a 5xx that is not
/// Toky's JSON error (a proxy's empty or HTML page), or a 2xx whose body is cut or unreadable.
/// A Toky error body (`{"success":false,"error_message":…}`) or any 4xx means it was not sent.
pub fn maybe_sent(e: &Ending) -> bool {
    match e {
        Ending::NoReply | Ending::Aborted => true,
        Ending::NotSent => false,
        Ending::Cut { status } => (200..300).contains(status) || *status >= 500,
        Ending::Reply { status, body } => {
            ((200..300).contains(status) || *status >= 500) && crate::records::error_message(body).is_none()
        }
    }
}

/// What a failed send comes to before any history is read.
#[derive(Debug)]
pub enum Settle {
    /// The error is final, saying whether the text went out.
    Final(Error),
    /// The outcome is unknown: read the history (`history`, `find`) to settle it.
    ReadHistory(Error),
}

/// A failed send's error, given how its attempt ended: not sent, unknown (aborted, or
/// `reconcile: false`), or to be settled by the history.
pub fn settle(mut e: Error, ending: &Ending, reconcile: bool) -> Settle {
    if !maybe_sent(ending) {
        e.sent = Some(Some(false));
        return Settle::Final(e);
    }
    match ending {
        Ending::Aborted => Settle::Final(unknown(e, "the call was aborted while the request was in flight")),
        _ if !reconcile => Settle::Final(unknown(e, "reconcile: false, so the SMS history was not checked")),
        _ => Settle::ReadHistory(e),
    }
}

/// The history read that looks for the text: outbound and inbound texts from `started_unix_s`
/// (the attempt's start by this machine's clock) less `SMS_RECONCILE_SKEW_S`, newest first.
pub fn history(cfg: &Config, started_unix_s: i64) -> Result<Plan, Error> {
    let since = crate::time::stamp_of_unix(started_unix_s - decided::SMS_RECONCILE_SKEW_S)
        .ok_or_else(|| Error::new(crate::error::ErrorKind::Api, "the clock is out of range"))?;
    let q = [
        ("limit".to_string(), Arg::Num(decided::SMS_RECONCILE_PAGE as f64)),
        ("since".to_string(), Arg::Str(since)),
    ];
    list(cfg, &q, false)
}

/// What one history read says.
#[derive(Debug, PartialEq)]
pub enum Found {
    /// The text is there: what `sms.send` resolves with (JSON).
    Sent(String),
    /// Not there, and the page held every text since the attempt began.
    Absent,
    /// Not on the page, but there is more history than one page: nobody can tell.
    Unsure,
}

/// Looks for `input` in one page of history (as the history read decoded it). The newest text
/// with the same `from`, `to` and `text` that is not inbound is taken: two identical texts to
/// the same number inside the window cannot be told apart.
pub fn find(page: &str, input: &SmsInput) -> Found {
    let page: serde_json::Value = serde_json::from_slice(page.as_bytes()).unwrap_or_default();
    let rows = page.get("results").and_then(|r| r.as_array()).map(Vec::as_slice).unwrap_or_default();
    let text = |r: &serde_json::Value, k: &str| r.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let hit = rows.iter().find(|r| {
        text(r, "from").as_deref() == Some(input.from.0.as_str())
            && text(r, "to").as_deref() == Some(input.to.0.as_str())
            && text(r, "text").as_deref() == Some(input.text.as_str())
            && text(r, "direction").as_deref() != Some("inbound")
    });
    match hit {
        Some(r) => {
            let sent = serde_json::json!({
                "success": true,
                "id": r.get("id").cloned().unwrap_or_default(),
                "segments": crate::segments::count(&input.text).segments,
                "reconciled": true,
                "message": r,
            });
            Found::Sent(sent.to_string())
        }
        None if page.get("next").is_some_and(|n| !n.is_null()) => Found::Unsure,
        None => Found::Absent,
    }
}

/// The error of a send proven not sent: the attempt's error, saying so.
pub fn not_sent(mut e: Error) -> Error {
    e.message = format!(
        "{}. The text was NOT sent: it is not in the SMS history (read twice, {} ms apart), so it is safe to send it again",
        e.message.trim_end_matches('.'),
        decided::SMS_RECONCILE_DELAY_MS
    );
    e.sent = Some(Some(false));
    e
}

/// The error of a send whose outcome nobody can tell: the attempt's error, saying why.
pub fn unknown(mut e: Error, why: &str) -> Error {
    e.message = format!(
        "{}. Whether the text was sent is unknown ({why}); check the SMS history (sms.list) before sending it again",
        e.message.trim_end_matches('.')
    );
    e.sent = Some(None);
    e
}

#[cfg(test)]
mod reconcile_tests {
    use super::*;
    use crate::request::tests::cfg;

    fn input() -> SmsInput {
        SmsInput { from: Phone("+13055550100".into()), to: Phone("+14155550123".into()), text: "Hi {there}".into(), agent: None }
    }

    #[test]
    fn which_endings_may_have_sent() {
        let toky = br#"{"success":false,"error_message":"Number not enabled"}"#;
        let reply = |status: u16, body: &[u8]| Ending::Reply { status, body: body.to_vec() };
        for (e, maybe) in [
            (Ending::NoReply, true),
            (Ending::Aborted, true),
            (Ending::NotSent, false),
            (Ending::Cut { status: 200 }, true),
            (Ending::Cut { status: 502 }, true),
            (Ending::Cut { status: 400 }, false),
            (reply(503, b""), true),
            (reply(502, b"<html>Bad gateway</html>"), true),
            (reply(500, toky), false),
            (reply(200, toky), false),
            (reply(200, b"{\"succ"), true),
            (reply(400, b""), false),
            (reply(429, b""), false),
        ] {
            assert_eq!(maybe_sent(&e), maybe, "{e:?}");
        }
    }

    #[test]
    fn what_a_failed_send_comes_to() {
        let e = || Error::new(crate::error::ErrorKind::Network, "cut");
        let sent = |s: Settle| match s {
            Settle::Final(e) => Some(e.sent),
            Settle::ReadHistory(e) => {
                assert_eq!(e.sent, None);
                None
            }
        };
        assert_eq!(sent(settle(e(), &Ending::NoReply, true)), None, "unknown: read the history");
        assert_eq!(sent(settle(e(), &Ending::NoReply, false)), Some(Some(None)), "reconcile: false");
        assert_eq!(sent(settle(e(), &Ending::Aborted, true)), Some(Some(None)), "aborted: not read");
        assert_eq!(sent(settle(e(), &Ending::NotSent, true)), Some(Some(Some(false))));
        assert_eq!(sent(settle(e(), &Ending::Reply { status: 409, body: Vec::new() }, true)), Some(Some(Some(false))));
    }

    #[test]
    fn the_history_read() {
        let p = history(&cfg("http://127.0.0.1:9/v1"), 1_795_000_000).unwrap();
        assert_eq!((p.method.as_str(), p.op.as_str()), ("GET", "sms.list"));
        assert_eq!(p.url, "http://127.0.0.1:9/v1/sms?limit=50&filter=%28created_at%20%3E%3D%202026-11-18%2011%3A05%3A40%29");
    }

    #[test]
    fn finding_the_text() {
        let row = |id: &str, to: &str, text: &str, dir: &str| {
            format!(r#"{{"id":"{id}","from":"+13055550100","to":"{to}","text":"{text}","direction":"{dir}","agent":null,"created_at":"2026-11-28 03:00:00"}}"#)
        };
        let page = |rows: &[String], next: &str| {
            let body = format!(r#"{{"count":{},"next":{next},"results":[{}]}}"#, rows.len(), rows.join(","));
            crate::records::decode(Decode::Page(Kind::Sms), body.as_bytes()).unwrap().json
        };
        let mine = row("41", "+14155550123", "Hi {there}", "outbound");
        let other = row("42", "+14155550999", "Hi {there}", "outbound");
        let inbound = row("43", "+14155550123", "Hi {there}", "inbound");
        match find(&page(&[other.clone(), inbound.clone(), mine], "null"), &input()) {
            Found::Sent(json) => {
                let v: serde_json::Value = serde_json::from_str(&json).unwrap();
                assert_eq!((v["id"].as_str(), v["reconciled"].as_bool(), v["segments"].as_u64()), (Some("41"), Some(true), Some(1)));
                assert_eq!(v["message"]["created_at"], "2026-11-28T03:00:00Z", "the record is normalised");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(find(&page(&[other.clone(), inbound.clone()], "null"), &input()), Found::Absent);
        assert_eq!(find(&page(&[other], "\"http://127.0.0.1:9/v1/sms?offset=50\""), &input()), Found::Unsure);
    }

    #[test]
    fn outcome_messages() {
        let e = not_sent(Error::new(crate::error::ErrorKind::Network, "the request failed."));
        assert_eq!(e.sent, Some(Some(false)));
        assert!(e.message.starts_with("the request failed. The text was NOT sent"), "{}", e.message);
        assert!(e.to_json().contains("\"sent\":false"));
        let e = unknown(Error::new(crate::error::ErrorKind::Network, "cut"), "the history answered 503");
        assert!(e.to_json().contains("\"sent\":null"), "{}", e.to_json());
        assert!(!Error::new(crate::error::ErrorKind::Network, "x").to_json().contains("sent"));
    }
}
