//! The fake Toky REST API under `/v1` (the key is checked before these run).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::data::{self, is_e164, Contact, SMS_NUMBERS};
use crate::events::{self, EVENTS};
use crate::segments;
use crate::state::{App, ContactLoc, Db, Webhook};
use crate::time;
use crate::util::{
    bad_request, base_url, created, envelope, err, filter_param, not_found, ok, page, page_slice,
    to_value, Query,
};

type S = State<Arc<App>>;

/// Parses a JSON object body: malformed JSON or a non-object → 400.
pub fn json_object(body: &Bytes) -> Result<Map<String, Value>, Response> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(bad_request(
            "request body must be a JSON object (got an empty body)",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(bad_request("request body must be a JSON object")),
        Err(e) => Err(bad_request(format!("malformed JSON body: {e}"))),
    }
}

/// An optional string field: absent/null → None, string → Some, anything else → 400.
fn opt_str(m: &Map<String, Value>, key: &str) -> Result<Option<String>, Response> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            Ok(if s.is_empty() {
                None
            } else {
                Some(s.to_string())
            })
        }
        Some(_) => Err(bad_request(format!(
            "field `{key}` must be a string or null"
        ))),
    }
}

fn reject_unknown(m: &Map<String, Value>, allowed: &[&str]) -> Result<(), Response> {
    for k in m.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(bad_request(format!(
                "unknown field `{k}` (allowed: {})",
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}

fn e164_error(what: &str, v: &str) -> Response {
    bad_request(format!(
        "invalid {what} {v:?}: expected an E.164 number such as +15551234567 ('+' then 8-15 digits, not starting with 0)"
    ))
}

// ---------------------------------------------------------------------------------------

pub async fn agents(State(app): S, headers: HeaderMap, uri: Uri) -> Response {
    let q = Query::parse(uri.query());
    let p = match page(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let db = app.db();
    let all: Vec<_> = db.agents.iter().collect();
    let rows = page_slice(&all, &p);
    ok(envelope(
        &format!("{}/v1/agents", base_url(&app, &headers)),
        &p,
        all.len(),
        rows,
        None,
    ))
}

// --- contacts --------------------------------------------------------------------------

pub async fn contacts_list(State(app): S, headers: HeaderMap, uri: Uri) -> Response {
    let q = Query::parse(uri.query());
    let p = match page(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let db = app.db();
    let total = db.contact_total();
    let end = p.offset.saturating_add(p.limit).min(total);
    let rows: Vec<Value> = (p.offset.min(total)..end)
        .filter_map(|i| db.contact_at(i))
        .map(|c| to_value(&c))
        .collect();
    ok(envelope(
        &format!("{}/v1/contacts", base_url(&app, &headers)),
        &p,
        total,
        rows,
        None,
    ))
}

fn phone_param(raw: &str) -> Result<String, Response> {
    let phone = raw.trim();
    if is_e164(phone) {
        Ok(phone.to_string())
    } else {
        Err(bad_request(format!(
            "invalid phone {phone:?} in path: expected E.164 such as +15551234567, URL-encoded as %2B15551234567"
        )))
    }
}

pub async fn contact_get(State(app): S, Path(phone): Path<String>) -> Response {
    let phone = match phone_param(&phone) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match app.db().contact(&phone) {
        Some(c) => ok(to_value(&c)),
        None => not_found(format!("no contact with phone {phone}")),
    }
}

const CREATE_FIELDS: [&str; 8] = [
    "phone",
    "first_name",
    "last_name",
    "email",
    "company",
    "city",
    "country_code",
    "created_by",
];
const UPDATE_FIELDS: [&str; 5] = ["first_name", "last_name", "email", "company", "city"];

pub async fn contact_create(State(app): S, body: Bytes) -> Response {
    let m = match json_object(&body) {
        Ok(m) => m,
        Err(r) => return r,
    };
    if let Err(r) = reject_unknown(&m, &CREATE_FIELDS) {
        return r;
    }
    let phone = match m.get("phone") {
        Some(Value::String(s)) => s.trim().to_string(),
        None | Some(Value::Null) => return bad_request("field `phone` is required"),
        Some(_) => return bad_request("field `phone` must be a string"),
    };
    if !is_e164(&phone) {
        return e164_error("phone", &phone);
    }
    let mut fields = Vec::new();
    for k in &CREATE_FIELDS[1..] {
        match opt_str(&m, k) {
            Ok(v) => fields.push(v),
            Err(r) => return r,
        }
    }
    let mut it = fields.into_iter();
    let (first_name, last_name, email, company, city, country_code, created_by) = (
        it.next().flatten(),
        it.next().flatten(),
        it.next().flatten(),
        it.next().flatten(),
        it.next().flatten(),
        it.next().flatten(),
        it.next().flatten(),
    );
    let country_code = match country_code {
        Some(cc) if cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(cc.to_ascii_uppercase())
        }
        Some(cc) => {
            return bad_request(format!(
                "invalid country_code {cc:?}: expected ISO-3166 alpha-2 such as \"US\""
            ))
        }
        None => data::country_of_phone(&phone).map(str::to_string),
    };
    let mut db = app.db();
    if db.locate_contact(&phone).is_some() {
        return err(
            StatusCode::CONFLICT,
            format!("a contact with phone {phone} already exists"),
        );
    }
    let now = db.runtime_now();
    let mut c = Contact {
        phone,
        contact_name: None,
        first_name,
        last_name,
        email,
        company,
        city,
        country_code,
        created_by,
        created_at: time::fmt(now),
    };
    c.refresh_name();
    db.add_contact(c.clone());
    created(to_value(&c))
}

pub async fn contact_update(State(app): S, Path(phone): Path<String>, body: Bytes) -> Response {
    let phone = match phone_param(&phone) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let m = match json_object(&body) {
        Ok(m) => m,
        Err(r) => return r,
    };
    if let Err(r) = reject_unknown(&m, &UPDATE_FIELDS) {
        return r;
    }
    let mut db = app.db();
    let Some(loc) = db.locate_contact(&phone) else {
        return not_found(format!("no contact with phone {phone}"));
    };
    let current = match &loc {
        ContactLoc::Seeded(i) => db.contact_at(*i),
        ContactLoc::Created(j) => db.created_contacts.get(*j).cloned(),
    };
    let Some(mut c) = current else {
        return not_found(format!("no contact with phone {phone}"));
    };
    for k in UPDATE_FIELDS {
        if !m.contains_key(k) {
            continue;
        }
        let v = match opt_str(&m, k) {
            Ok(v) => v,
            Err(r) => return r,
        };
        match k {
            "first_name" => c.first_name = v,
            "last_name" => c.last_name = v,
            "email" => c.email = v,
            "company" => c.company = v,
            _ => c.city = v,
        }
    }
    c.refresh_name();
    db.put_contact(&loc, c.clone());
    ok(to_value(&c))
}

// --- SMS -------------------------------------------------------------------------------

pub async fn sms_send(State(app): S, body: Bytes) -> Response {
    let m = match json_object(&body) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let mut nums = Vec::new();
    for k in ["from", "to"] {
        match m.get(k) {
            Some(Value::String(s)) if is_e164(s.trim()) => nums.push(s.trim().to_string()),
            Some(Value::String(s)) => return e164_error(k, s),
            None | Some(Value::Null) => return bad_request(format!("field `{k}` is required")),
            Some(_) => return bad_request(format!("field `{k}` must be a string")),
        }
    }
    let text = match m.get("text") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::String(_)) => return bad_request("field `text` must not be empty"),
        None | Some(Value::Null) => return bad_request("field `text` is required"),
        Some(_) => return bad_request("field `text` must be a string"),
    };
    let email = match opt_str(&m, "email") {
        Ok(e) => e,
        Err(r) => return r,
    };
    let (from, to) = (nums[0].clone(), nums[1].clone());
    if !SMS_NUMBERS.contains(&from.as_str()) {
        // Toky's own convention: HTTP 200 with success:false.
        return ok(json!({
            "success": false,
            "error_message": format!("The number {from} is not an SMS-enabled number of this account"),
        }));
    }
    let seg = segments::count(&text);
    let sms = app.db().add_sms(from, to, text, "outbound", email);
    events::fire(&app, "new_sms", events::sms_payload(&sms));
    ok(json!({"success": true, "id": sms.id, "segments": seg.segments}))
}

/// A list of records newest first, paged, optionally bounded by `filter` on the record time:
/// `/sms`, `/voicemails` and `/cdrs` (which also accepts `init_dt` as the filter field).
fn timed_list<T: serde::Serialize>(
    app: &App,
    headers: &HeaderMap,
    uri: &Uri,
    path: &str,
    fields: &[&str],
    records: impl Fn(&Db) -> &[T],
    ts: impl Fn(&T) -> i64,
) -> Response {
    let q = Query::parse(uri.query());
    let p = match page(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let filter = match filter_param(&q, fields) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let db = app.db();
    let all: Vec<_> = records(&db)
        .iter()
        .rev()
        .filter(|r| filter.as_ref().is_none_or(|(_, f)| f.contains(ts(r))))
        .collect();
    let rows = page_slice(&all, &p);
    ok(envelope(
        &format!("{}/v1/{path}", base_url(app, headers)),
        &p,
        all.len(),
        rows,
        filter.as_ref().map(|(raw, _)| raw.as_str()),
    ))
}

pub async fn sms_list(State(app): S, headers: HeaderMap, uri: Uri) -> Response {
    timed_list(&app, &headers, &uri, "sms", &["created_at"], |db| &db.sms, |s| s.ts)
}

// --- voicemails ------------------------------------------------------------------------

pub async fn voicemails_list(State(app): S, headers: HeaderMap, uri: Uri) -> Response {
    timed_list(&app, &headers, &uri, "voicemails", &["created_at"], |db| &db.voicemails, |v| v.ts)
}

pub async fn voicemail_get(State(app): S, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let db = app.db();
    let Some(vm) = db.voicemails.iter().find(|v| v.id == id) else {
        return not_found(format!("no voicemail with id {id:?}"));
    };
    let mut v = to_value(vm);
    if let Value::Object(m) = &mut v {
        m.insert(
            "url".into(),
            json!(events::audio_url(&base_url(&app, &headers), &vm.id)),
        );
    }
    ok(v)
}

// --- calls -----------------------------------------------------------------------------

pub async fn cdrs_list(State(app): S, headers: HeaderMap, uri: Uri) -> Response {
    timed_list(&app, &headers, &uri, "cdrs", &["created_at", "init_dt"], |db| &db.cdrs, |c| c.ts)
}

pub async fn recording_get(
    State(app): S,
    headers: HeaderMap,
    Path(callid): Path<String>,
) -> Response {
    let db = app.db();
    match db.cdrs.iter().find(|c| c.callid == callid) {
        Some(c) if c.has_recording => {
            ok(json!({"url": events::audio_url(&base_url(&app, &headers), &c.callid)}))
        }
        Some(c) => not_found(format!(
            "call {callid} has no recording (disposition {}, state {})",
            c.disposition_code,
            events::call_state(c)
        )),
        None => not_found(format!("no call with callid {callid:?}")),
    }
}

// --- webhooks --------------------------------------------------------------------------

pub fn valid_hook_url(u: &str) -> bool {
    let rest = u
        .strip_prefix("http://")
        .or_else(|| u.strip_prefix("https://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !u.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

pub async fn webhook_create(State(app): S, body: Bytes) -> Response {
    let m = match json_object(&body) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let event = match m.get("event") {
        Some(Value::String(e)) if EVENTS.contains(&e.as_str()) => e.clone(),
        Some(Value::String(e)) => {
            return bad_request(format!(
                "unknown event {e:?} (one of: {})",
                EVENTS.join(", ")
            ))
        }
        None | Some(Value::Null) => return bad_request("field `event` is required"),
        Some(_) => return bad_request("field `event` must be a string"),
    };
    let hook_url = match m.get("hook_url") {
        Some(Value::String(u)) if valid_hook_url(u.trim()) => u.trim().to_string(),
        Some(Value::String(u)) => {
            return bad_request(format!(
                "invalid hook_url {u:?}: must be an absolute http:// or https:// URL"
            ))
        }
        None | Some(Value::Null) => return bad_request("field `hook_url` is required"),
        Some(_) => return bad_request("field `hook_url` must be a string"),
    };
    let mut db = app.db();
    let now = db.runtime_now();
    let hook = Webhook {
        id: db.next_hook_id.to_string(),
        event,
        hook_url,
        created_at: time::fmt(now),
    };
    db.next_hook_id += 1;
    db.webhooks.push(hook.clone());
    created(to_value(&hook))
}

pub async fn webhooks_list(State(app): S, headers: HeaderMap, uri: Uri) -> Response {
    let q = Query::parse(uri.query());
    let p = match page(&q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let db = app.db();
    let all: Vec<_> = db.webhooks.iter().collect();
    let rows = page_slice(&all, &p);
    ok(envelope(
        &format!("{}/v1/webhooks", base_url(&app, &headers)),
        &p,
        all.len(),
        rows,
        None,
    ))
}

pub async fn webhook_delete(State(app): S, Path(id): Path<String>) -> Response {
    let mut db = app.db();
    let before = db.webhooks.len();
    db.webhooks.retain(|h| h.id != id);
    if db.webhooks.len() == before {
        return not_found(format!("no webhook with id {id:?}"));
    }
    ok(json!({"success": true}))
}
