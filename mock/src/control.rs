//! The control API under `/__mock/` (no key needed).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::data::{self, is_e164, Cdr, Voicemail, SMS_NUMBERS};
use crate::error::{ApiError, ApiResult};
use crate::events::{self, EVENTS};
use crate::extract::{Json, Path};
use crate::input::Loose;
use crate::state::{lock, App, Db, Fault, FaultKind, DEFAULT_API_KEY};
use crate::time;
use crate::util::{base_url, created, ok, to_value};
use crate::wav;

type S = State<Arc<App>>;

pub const MAX_EVENT_COUNT: u64 = 1000;
/// Largest `started_s_ago`: a day.
pub const MAX_STARTED_S_AGO: i64 = 86_400;

/// An event to simulate, as `POST /__mock/events` takes it: `event` is one of `new_sms`,
/// `new_call`, `new_voicemail`, `inbound_call_answered`, `inbound_call_ended`, `outbound_call`,
/// `outbound_call_ended`; the other named fields shape the record (strings, numbers or
/// booleans), and any other field is copied verbatim into the webhook payload.
#[derive(Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[cfg_attr(not(target_arch = "wasm32"), ts(optional_fields))]
pub struct EventSpec {
    /// The event (required).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional = false, type = "string"))]
    event: Option<Loose>,
    /// How many events (1 to 1,000); the answer is then an array.
    count: Option<Loose>,
    /// The caller or sender, E.164 (default: a generated customer inbound, the account's
    /// number outbound).
    from_number: Option<Loose>,
    /// Same as `from_number`.
    from: Option<Loose>,
    /// The callee or recipient, E.164.
    to_number: Option<Loose>,
    /// Same as `to_number`.
    to: Option<Loose>,
    /// The SMS text (`new_sms`; default: a generated message).
    text: Option<Loose>,
    /// `"inbound"` (the default, but `outbound` for the `outbound_call*` events) or `"outbound"`.
    direction: Option<Loose>,
    /// The agent's email.
    agent: Option<Loose>,
    /// Seconds the call lasted.
    duration: Option<Loose>,
    /// `"completed"`, `"missed"` or `"unsuccessful"` (sets `disposition_code`).
    state: Option<Loose>,
    /// A 3-digit SIP-like code (`"200"` answered, `"480"` missed, ...).
    disposition_code: Option<Loose>,
    /// `"yes"` or `"no"` (or a boolean): whether the call was made from the web app.
    web_call: Option<Loose>,
    /// The call's id: an event for a call the mock already knows updates that call.
    callid: Option<Loose>,
    /// A voicemail's transcription (`new_voicemail`).
    transcription: Option<Loose>,
    /// For a call that just ended: how many seconds ago it began (0 to 86,400).
    started_s_ago: Option<Loose>,
    #[serde(flatten)]
    extras: Map<String, Value>,
}

/// A simulated event, as `POST /__mock/events` answers (an array of them when `count` is given).
#[derive(Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct Simulated {
    /// The event's name.
    event: String,
    /// The record it added or changed, as the API lists it: the SMS, the call's CDR, or the
    /// voicemail (with its recording's `url`).
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "Record<string, unknown>"))]
    record: Value,
    /// For `new_voicemail`: the CDR of the call that left it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional, type = "Record<string, unknown>"))]
    cdr: Option<Value>,
    /// The JSON event POSTed to the hooks.
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "Record<string, unknown>"))]
    payload: Value,
}

fn text_of(v: &Option<Loose>) -> Option<String> {
    v.as_ref().map(|l| l.0.clone())
}

/// The first of two alias fields that is present, as an E.164 phone.
fn phone_field(a: &Option<Loose>, b: &Option<Loose>, name: &str) -> ApiResult<Option<String>> {
    match text_of(a).or_else(|| text_of(b)) {
        Some(p) if is_e164(&p) => Ok(Some(p)),
        Some(p) => Err(ApiError::bad_request(format!(
            "invalid `{name}` {p:?}: expected E.164 such as +15551234567"
        ))),
        None => Ok(None),
    }
}

fn merge_extras(payload: &mut Map<String, Value>, spec: &EventSpec) {
    for (k, v) in &spec.extras {
        payload.insert(k.clone(), v.clone());
    }
}

pub async fn events(State(app): S, headers: HeaderMap, Json(spec): Json<EventSpec>) -> ApiResult {
    let event = match text_of(&spec.event) {
        Some(e) if EVENTS.contains(&e.as_str()) => e,
        Some(e) => {
            return Err(ApiError::bad_request(format!(
                "unknown event {e:?} (one of: {})",
                EVENTS.join(", ")
            )))
        }
        None => {
            return Err(ApiError::bad_request(format!(
                "field `event` is required (one of: {})",
                EVENTS.join(", ")
            )))
        }
    };
    let count = match text_of(&spec.count) {
        None => None,
        Some(c) => match c.parse::<u64>() {
            Ok(n) if (1..=MAX_EVENT_COUNT).contains(&n) => Some(n),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "field `count` must be an integer from 1 to {MAX_EVENT_COUNT}"
                )))
            }
        },
    };
    let base = base_url(&app, &headers);
    let mut out = Vec::new();
    for _ in 0..count.unwrap_or(1) {
        out.push(if event == "new_sms" {
            simulate_sms(&app, &spec)?
        } else {
            simulate_call(&app, &event, &spec, &base)?
        });
    }
    Ok(match count {
        Some(_) => created(Value::Array(out)),
        None => created(out.pop().unwrap_or(Value::Null)),
    })
}

fn simulate_sms(app: &Arc<App>, m: &EventSpec) -> ApiResult<Value> {
    let direction = match text_of(&m.direction).as_deref() {
        None | Some("inbound") => "inbound",
        Some("outbound") => "outbound",
        Some(d) => {
            return Err(ApiError::bad_request(format!(
                "invalid direction {d:?} (inbound or outbound)"
            )))
        }
    };
    let from = phone_field(&m.from_number, &m.from, "from_number")?;
    let to = phone_field(&m.to_number, &m.to, "to_number")?;
    let text = text_of(&m.text);
    if text.as_deref() == Some("") {
        return Err(ApiError::bad_request("field `text` must not be empty"));
    }
    let agent = text_of(&m.agent);
    let sms = {
        let mut db = app.db();
        let gen = db.gen.clone();
        let (customer, _, _) = gen.customer(&mut db.rng);
        let text = match text {
            Some(t) => t,
            None => data::inbound_text(&mut db.rng),
        };
        let (from, to) = if direction == "inbound" {
            (
                from.unwrap_or(customer),
                to.unwrap_or_else(|| SMS_NUMBERS[0].to_string()),
            )
        } else {
            (
                from.unwrap_or_else(|| SMS_NUMBERS[0].to_string()),
                to.unwrap_or(customer),
            )
        };
        db.add_sms(from, to, text, direction, agent)
    };
    let mut payload = match events::sms_payload(&sms) {
        Value::Object(p) => p,
        _ => Map::new(),
    };
    merge_extras(&mut payload, m);
    let payload = Value::Object(payload);
    events::fire(app, "new_sms", payload.clone());
    Ok(to_value(&Simulated {
        event: "new_sms".into(),
        record: to_value(&sms),
        cdr: None,
        payload,
    }))
}

fn disposition_for(state: &str) -> Option<&'static str> {
    Some(match state {
        "completed" => "200",
        "missed" => "480",
        "unsuccessful" => "486",
        _ => return None,
    })
}

fn simulate_call(app: &Arc<App>, event: &str, m: &EventSpec, base: &str) -> ApiResult<Value> {
    let voicemail = event == "new_voicemail";
    let direction = match text_of(&m.direction).as_deref() {
        Some("inbound") => "inbound",
        Some("outbound") => "outbound",
        Some(d) => {
            return Err(ApiError::bad_request(format!(
                "invalid direction {d:?} (inbound or outbound)"
            )))
        }
        None if event.starts_with("outbound") => "outbound",
        None => "inbound",
    };
    let inbound = direction == "inbound";
    let from = phone_field(&m.from_number, &m.from, "from_number")?;
    let to = phone_field(&m.to_number, &m.to, "to_number")?;
    let agent = text_of(&m.agent);
    let duration = text_of(&m.duration);
    if let Some(d) = &duration {
        if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) || d.len() > 6 {
            return Err(ApiError::bad_request(format!(
                "invalid duration {d:?}: seconds as a non-negative integer"
            )));
        }
    }
    let disposition = match (text_of(&m.disposition_code), text_of(&m.state)) {
        (Some(d), _) => {
            if d.len() != 3 || !d.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ApiError::bad_request(format!(
                    "invalid disposition_code {d:?}: a 3-digit SIP-like code"
                )));
            }
            d
        }
        (None, Some(s)) => match disposition_for(&s) {
            Some(d) => d.to_string(),
            None => {
                return Err(ApiError::bad_request(format!(
                    "invalid state {s:?} (completed, missed or unsuccessful)"
                )))
            }
        },
        (None, None) if voicemail => "480".to_string(),
        (None, None) => "200".to_string(),
    };
    let web_call = match text_of(&m.web_call).as_deref() {
        None | Some("no") | Some("false") => "no",
        Some("yes") | Some("true") => "yes",
        Some(w) => {
            return Err(ApiError::bad_request(format!(
                "invalid web_call {w:?} (\"yes\" or \"no\")"
            )))
        }
    };
    let callid = text_of(&m.callid);
    let transcription = text_of(&m.transcription);
    // A call that began this long ago and has just ended: its CDR (placed by `init_dt`) lands
    // below calls already listed, as a long call's does on Toky.
    let started_s_ago = match text_of(&m.started_s_ago) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (0..=MAX_STARTED_S_AGO).contains(&n) => Some(n),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "invalid started_s_ago {s:?}: seconds as an integer from 0 to {MAX_STARTED_S_AGO}"
                )))
            }
        },
    };

    let mut db = app.db();
    let answered = disposition == "200";
    // An event for a call the mock already knows updates that call instead of adding one.
    if let Some(id) = &callid {
        if let Some(pos) = db.cdrs.iter().position(|c| &c.callid == id) {
            if started_s_ago.is_some() {
                return Err(ApiError::bad_request(format!(
                    "started_s_ago cannot move the existing call {id:?}: give it for a new call only"
                )));
            }
            if !voicemail {
                let c = &mut db.cdrs[pos];
                c.disposition_code = disposition.clone();
                if let Some(d) = &duration {
                    c.duration = d.clone();
                }
                if let Some(a) = &agent {
                    c.agent_id = Some(data::agent_id(a));
                }
                c.has_recording = answered;
                let c = c.clone();
                return Ok(finish_call(app, db, event, c, None, m, base));
            }
        }
    }
    let gen = db.gen.clone();
    let (customer, country, _) = gen.customer(&mut db.rng);
    let ours = SMS_NUMBERS[0].to_string();
    let (from, to) = if inbound {
        (from.unwrap_or(customer), to.unwrap_or(ours))
    } else {
        (from.unwrap_or(ours), to.unwrap_or(customer))
    };
    let customer = if inbound { &from } else { &to };
    let country = data::country_of_phone(customer)
        .map(str::to_string)
        .or(country);
    let agent = match agent {
        Some(a) => Some(a),
        None if inbound && !answered => None,
        None => {
            let emails = data::agent_emails();
            Some(db.rng.pick(&emails).to_string())
        }
    };
    let mut ring = db.rng.range(3, 20);
    let duration: i64 = match (duration, started_s_ago) {
        (Some(d), _) => d.parse().unwrap_or(0),
        // Began `ago` seconds ago and ends now: it rang, then lasted the rest.
        (None, Some(ago)) => {
            ring = ring.min(ago);
            if answered && !voicemail {
                ago - ring
            } else {
                0
            }
        }
        (None, None) if answered => db.rng.range(20, 300),
        (None, None) => 0,
    };
    let now = db.runtime_now();
    let last = db.cdrs.last().map(|c| c.ts).unwrap_or(0);
    // CDRs are kept in `init_dt` order (listed newest first): a new call normally starts after
    // the last one; one that `started_s_ago` goes where its start puts it.
    let start = match started_s_ago {
        Some(ago) => now - ago,
        None => (now - ring - if voicemail { 0 } else { duration }).max(last),
    };
    let callid = callid.unwrap_or_else(|| data::callid(&mut db.rng));
    let cdr = Cdr {
        id: db.next_cdr_id.to_string(),
        callid: callid.clone(),
        from: from.clone(),
        to_number: if inbound { None } else { Some(to.clone()) },
        country,
        caller_id_used: if inbound { None } else { Some(from.clone()) },
        received_on_number: if inbound { Some(to.clone()) } else { None },
        init_dt: time::fmt(start),
        start_time: time::fmt(start),
        end_time: time::fmt(start + ring + if voicemail { 0 } else { duration }),
        duration: if voicemail {
            "0".to_string()
        } else {
            duration.to_string()
        },
        agent_id: if voicemail {
            None
        } else {
            agent.as_deref().map(data::agent_id)
        },
        to_agent: None,
        direction: direction.to_string(),
        web_call: web_call.to_string(),
        disposition_code: disposition,
        ivr_option_pressed: None,
        ts: start,
        has_recording: answered && !voicemail,
    };
    db.next_cdr_id += 1;
    let at = db.cdrs.partition_point(|c| c.ts <= start);
    db.cdrs.insert(at, cdr.clone());
    let vm = if voicemail {
        let vm_duration = if duration > 0 {
            duration
        } else {
            db.rng.range(5, 90)
        };
        let transcription = match transcription {
            Some(t) if t.is_empty() => Some(None),
            Some(t) => Some(Some(t)),
            None => Some(Some(data::transcription(&mut db.rng))),
        };
        let vm = Voicemail {
            id: db.next_vm_id.to_string(),
            callid,
            from: from.clone(),
            to: to.clone(),
            agent,
            duration: vm_duration.to_string(),
            created_at: time::fmt(now),
            transcription,
            ts: now,
        };
        db.next_vm_id += 1;
        db.voicemails.push(vm.clone());
        Some(vm)
    } else {
        None
    };
    Ok(finish_call(app, db, event, cdr, vm, m, base))
}

fn finish_call(
    app: &Arc<App>,
    db: std::sync::MutexGuard<'_, Db>,
    event: &str,
    cdr: Cdr,
    vm: Option<Voicemail>,
    m: &EventSpec,
    base: &str,
) -> Value {
    let mut payload = match &vm {
        Some(vm) => events::voicemail_payload(&db, &cdr, vm, base),
        None => events::call_payload(&db, event, &cdr, base),
    };
    drop(db);
    merge_extras(&mut payload, m);
    let payload = Value::Object(payload);
    events::fire(app, event, payload.clone());
    match vm {
        Some(vm) => {
            let mut rec = to_value(&vm);
            if let Value::Object(r) = &mut rec {
                r.insert("url".into(), json!(events::audio_url(base, &vm.id)));
            }
            to_value(&Simulated {
                event: event.into(),
                record: rec,
                cdr: Some(to_value(&cdr)),
                payload,
            })
        }
        None => to_value(&Simulated {
            event: event.into(),
            record: to_value(&cdr),
            cdr: None,
            payload,
        }),
    }
}

// --- faults ----------------------------------------------------------------------------

/// A fault spec, as `POST /__mock/faults` takes it; any other field is refused.
#[derive(Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[cfg_attr(not(target_arch = "wasm32"), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// The path after `/v1` (`"/sms/send"`), or a prefix ending in `*` (`"/contacts/*"`).
    #[cfg_attr(not(target_arch = "wasm32"), ts(optional = false, type = "string"))]
    route: Option<String>,
    /// Only requests with this method.
    method: Option<String>,
    /// The status of a `status` fault, 100 to 599 (default 503).
    status: Option<u64>,
    /// A `Retry-After` header for a `status` fault: seconds or an HTTP date.
    retry_after: Option<RetryAfter>,
    /// Milliseconds to wait before answering (any kind), up to 600,000.
    delay_ms: Option<u64>,
    /// What goes wrong. Default `"status"` (or `"delay"` when only `delay_ms` is given).
    kind: Option<FaultKind>,
    /// How many matching requests misbehave, 1 to 1,000,000 (default 1).
    count: Option<u64>,
}

/// Seconds as a number, or a header value sent verbatim (e.g. an HTTP date).
#[derive(Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(untagged)]
pub enum RetryAfter {
    Seconds(serde_json::Number),
    Text(String),
}

fn at_most(v: Option<u64>, name: &str, max: u64) -> ApiResult<Option<u64>> {
    match v {
        Some(n) if n > max => Err(ApiError::bad_request(format!(
            "field `{name}` must be an integer from 0 to {max}"
        ))),
        v => Ok(v),
    }
}

pub async fn fault_add(State(app): S, Json(spec): Json<FaultSpec>) -> ApiResult {
    let route = spec.route.map(|r| r.trim().to_string()).ok_or_else(|| {
        ApiError::bad_request(
            "field `route` is required: a path after /v1 such as \"/agents\" or \"/contacts/*\"",
        )
    })?;
    let route = match route.strip_prefix("/v1") {
        Some("") => "/".to_string(),
        Some(rest) if rest.starts_with('/') => rest.to_string(),
        _ => route,
    };
    if !route.starts_with('/') && route != "*" {
        return Err(ApiError::bad_request(format!(
            "invalid route {route:?}: must start with '/' (the path after /v1)"
        )));
    }
    let route = if route == "*" {
        "/*".to_string()
    } else {
        route
    };
    let method = match spec.method {
        None => None,
        Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(s.to_ascii_uppercase())
        }
        Some(_) => {
            return Err(ApiError::bad_request(
                "field `method` must be an HTTP method such as \"GET\"",
            ))
        }
    };
    let status = at_most(spec.status, "status", 599)?;
    if status.is_some_and(|s| s < 100) {
        return Err(ApiError::bad_request(
            "field `status` must be an HTTP status from 100 to 599",
        ));
    }
    let delay_ms = at_most(spec.delay_ms, "delay_ms", 600_000)?;
    let count = match at_most(spec.count, "count", 1_000_000)? {
        Some(0) => return Err(ApiError::bad_request("field `count` must be at least 1")),
        c => c.unwrap_or(1),
    };
    let retry_after = match spec.retry_after {
        None => None,
        Some(RetryAfter::Seconds(n)) => Some(n.to_string()),
        Some(RetryAfter::Text(s)) if HeaderValue::from_str(&s).is_ok() => Some(s),
        Some(RetryAfter::Text(_)) => {
            return Err(ApiError::bad_request(
                "field `retry_after` must be a number of seconds or a header string",
            ))
        }
    };
    let kind = spec
        .kind
        .unwrap_or(if delay_ms.is_some() && status.is_none() {
            FaultKind::Delay
        } else {
            FaultKind::Status
        });
    let fault = Fault {
        id: app.next_id(),
        route,
        method,
        kind,
        status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(503),
        retry_after,
        delay_ms: delay_ms.unwrap_or(0),
        count,
    };
    lock(&app.faults).push(fault.clone());
    Ok(created(to_value(&fault)))
}

pub async fn faults_list(State(app): S) -> Response {
    let f = lock(&app.faults).clone();
    ok(to_value(&f))
}

pub async fn faults_clear(State(app): S) -> Response {
    let n = {
        let mut f = lock(&app.faults);
        let n = f.len();
        f.clear();
        n
    };
    ok(json!({"success": true, "cleared": n}))
}

// --- journal, reset, numbers, deliveries -------------------------------------------------

pub async fn journal(State(app): S) -> Response {
    let j = lock(&app.journal).clone();
    ok(to_value(&j))
}

pub async fn journal_clear(State(app): S) -> Response {
    lock(&app.journal).clear();
    ok(json!({"success": true}))
}

pub async fn reset(State(app): S) -> Response {
    app.reset();
    ok(json!({"success": true}))
}

pub async fn numbers(State(app): S) -> Response {
    if app.cfg.upstream.is_some() {
        return ok(json!({"sms_numbers": [], "mode": "proxy"}));
    }
    let mut v = json!({"sms_numbers": SMS_NUMBERS});
    if app.cfg.api_key == DEFAULT_API_KEY {
        v["api_key_hint"] = json!(DEFAULT_API_KEY);
    }
    ok(v)
}

pub async fn deliveries(State(app): S) -> Response {
    let d = lock(&app.deliveries).clone();
    ok(to_value(&d))
}

pub async fn deliveries_clear(State(app): S) -> Response {
    lock(&app.deliveries).clear();
    ok(json!({"success": true}))
}

/// `GET /__mock/audio/<voicemail id or callid>.wav`
pub async fn audio(State(app): S, Path(file): Path<String>) -> ApiResult {
    let name = file.strip_suffix(".wav").ok_or_else(|| {
        ApiError::not_found(format!(
            "no audio {file:?} (recordings are served as <id>.wav)"
        ))
    })?;
    let known = {
        let db = app.db();
        db.voicemails.iter().any(|v| v.id == name)
            || db.cdrs.iter().any(|c| c.callid == name && c.has_recording)
    };
    if !known {
        return Err(ApiError::not_found(format!("no recording {name:?}")));
    }
    let mut r = Response::new(Body::from(wav::tone(name)));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("audio/wav"));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    *r.status_mut() = StatusCode::OK;
    Ok(r)
}
