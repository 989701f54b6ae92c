//! The fake Toky REST API under `/v1` (the key is checked before these run).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::data::{self, Contact, SMS_NUMBERS};
use crate::error::{ApiError, ApiResult};
use crate::events::{self, EVENTS};
use crate::extract::{Json, Path, Query};
use crate::filter;
use crate::input::{patch_text, text, NonBlank, Phone};
use crate::state::{App, ContactLoc, Db, Webhook};
use crate::time;
use crate::util::{base_url, created, json_of, list_response, ok, to_value, ListQuery, Page};

type S = State<Arc<App>>;

// ---------------------------------------------------------------------------------------

pub async fn agents(State(app): S, headers: HeaderMap, Query(q): Query<ListQuery>) -> ApiResult {
    let db = app.db();
    let all: Vec<_> = db.agents.iter().collect();
    list_response(
        format!("{}/v1/agents", base_url(&app, &headers)),
        &q,
        &all,
        None,
    )
}

// --- contacts --------------------------------------------------------------------------

pub async fn contacts_list(
    State(app): S,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let p = Page::from(&q);
    let db = app.db();
    let total = db.contact_total();
    let end = p.offset.saturating_add(p.limit).min(total);
    let rows: Vec<_> = (p.offset.min(total)..end)
        .filter_map(|i| db.contact_at(i))
        .collect();
    Ok(crate::util::page_response(
        &format!("{}/v1/contacts", base_url(&app, &headers)),
        &p,
        total,
        &rows,
        None,
    ))
}

/// The `{phone}` path segment (axum has percent-decoded it: `%2B1555…` → `+1555…`).
fn phone_param(raw: &str) -> Result<String, ApiError> {
    let phone = raw.trim();
    if data::is_e164(phone) {
        Ok(phone.to_string())
    } else {
        Err(ApiError::bad_request(format!(
            "invalid phone {phone:?} in path: expected E.164 such as +15551234567, URL-encoded as %2B15551234567"
        )))
    }
}

fn no_contact(phone: &str) -> ApiError {
    ApiError::not_found(format!("no contact with phone {phone}"))
}

pub async fn contact_get(State(app): S, Path(phone): Path<String>) -> ApiResult {
    let phone = phone_param(&phone)?;
    let c = app.db().contact(&phone).ok_or_else(|| no_contact(&phone))?;
    Ok(json_of(StatusCode::OK, &c))
}

/// `POST /contacts` [DECIDED body]: any other field is refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactCreate {
    phone: Phone,
    #[serde(default, deserialize_with = "text")]
    first_name: Option<String>,
    #[serde(default, deserialize_with = "text")]
    last_name: Option<String>,
    #[serde(default, deserialize_with = "text")]
    email: Option<String>,
    #[serde(default, deserialize_with = "text")]
    company: Option<String>,
    #[serde(default, deserialize_with = "text")]
    city: Option<String>,
    #[serde(default, deserialize_with = "text")]
    country_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    created_by: Option<String>,
}

/// `PUT /contacts/{phone}` [DECIDED body]: absent fields stay, `null` or `""` clears one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactUpdate {
    #[serde(default, deserialize_with = "patch_text")]
    first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_text")]
    last_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_text")]
    email: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_text")]
    company: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_text")]
    city: Option<Option<String>>,
}

pub async fn contact_create(State(app): S, Json(body): Json<ContactCreate>) -> ApiResult {
    let Phone(phone) = body.phone;
    let country_code = match body.country_code {
        Some(cc) if cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(cc.to_ascii_uppercase())
        }
        Some(cc) => {
            return Err(ApiError::bad_request(format!(
                "invalid country_code {cc:?}: expected ISO-3166 alpha-2 such as \"US\""
            )))
        }
        None => data::country_of_phone(&phone).map(str::to_string),
    };
    let mut db = app.db();
    if db.locate_contact(&phone).is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("a contact with phone {phone} already exists"),
        ));
    }
    let now = db.runtime_now();
    let mut c = Contact {
        phone,
        contact_name: None,
        first_name: body.first_name,
        last_name: body.last_name,
        email: body.email,
        company: body.company,
        city: body.city,
        country_code,
        created_by: body.created_by,
        created_at: time::fmt(now),
    };
    c.refresh_name();
    db.add_contact(c.clone());
    Ok(json_of(StatusCode::CREATED, &c))
}

pub async fn contact_update(
    State(app): S,
    Path(phone): Path<String>,
    Json(body): Json<ContactUpdate>,
) -> ApiResult {
    let phone = phone_param(&phone)?;
    let mut db = app.db();
    let loc = db
        .locate_contact(&phone)
        .ok_or_else(|| no_contact(&phone))?;
    let current = match &loc {
        ContactLoc::Seeded(i) => db.contact_at(*i),
        ContactLoc::Created(j) => db.created_contacts.get(*j).cloned(),
    };
    let mut c = current.ok_or_else(|| no_contact(&phone))?;
    for (field, value) in [
        (&mut c.first_name, body.first_name),
        (&mut c.last_name, body.last_name),
        (&mut c.email, body.email),
        (&mut c.company, body.company),
        (&mut c.city, body.city),
    ] {
        if let Some(v) = value {
            *field = v;
        }
    }
    c.refresh_name();
    db.put_contact(&loc, c.clone());
    Ok(json_of(StatusCode::OK, &c))
}

// --- SMS -------------------------------------------------------------------------------

/// `POST /sms/send` [SEEN body]. Other fields are ignored, as Toky does.
#[derive(Deserialize)]
pub struct SmsSend {
    from: Phone,
    to: Phone,
    text: NonBlank,
    #[serde(default, deserialize_with = "text")]
    email: Option<String>,
}

pub async fn sms_send(State(app): S, Json(body): Json<SmsSend>) -> ApiResult {
    let (Phone(from), Phone(to), NonBlank(text)) = (body.from, body.to, body.text);
    if !SMS_NUMBERS.contains(&from.as_str()) {
        // Toky's own convention: HTTP 200 with success:false.
        return Ok(ok(json!({
            "success": false,
            "error_message": format!("The number {from} is not an SMS-enabled number of this account"),
        })));
    }
    let seg = crate::segments::count(&text);
    let sms = app.db().add_sms(from, to, text, "outbound", body.email);
    events::fire(&app, "new_sms", events::sms_payload(&sms));
    Ok(ok(
        json!({"success": true, "id": sms.id, "segments": seg.segments}),
    ))
}

/// A list of records newest first, paged, optionally bounded by `filter` on the record time:
/// `/sms`, `/voicemails` and `/cdrs` (which also accepts `init_dt` as the filter field).
fn timed_list<T: serde::Serialize>(
    app: &App,
    headers: &HeaderMap,
    q: &ListQuery,
    path: &str,
    fields: &[&str],
    records: impl Fn(&Db) -> &[T],
    ts: impl Fn(&T) -> i64,
) -> ApiResult {
    let f = filter::param(q.filter.as_deref(), fields)?;
    let db = app.db();
    let all: Vec<_> = records(&db)
        .iter()
        .rev()
        .filter(|r| f.as_ref().is_none_or(|f| f.contains(ts(r))))
        .collect();
    let raw = f.and(q.filter.as_deref());
    list_response(
        format!("{}/v1/{path}", base_url(app, headers)),
        q,
        &all,
        raw,
    )
}

pub async fn sms_list(State(app): S, headers: HeaderMap, Query(q): Query<ListQuery>) -> ApiResult {
    timed_list(
        &app,
        &headers,
        &q,
        "sms",
        &["created_at"],
        |db| &db.sms,
        |s| s.ts,
    )
}

// --- voicemails ------------------------------------------------------------------------

pub async fn voicemails_list(
    State(app): S,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    timed_list(
        &app,
        &headers,
        &q,
        "voicemails",
        &["created_at"],
        |db| &db.voicemails,
        |v| v.ts,
    )
}

pub async fn voicemail_get(State(app): S, headers: HeaderMap, Path(id): Path<String>) -> ApiResult {
    let db = app.db();
    let vm = db
        .voicemails
        .iter()
        .find(|v| v.id == id)
        .ok_or_else(|| ApiError::not_found(format!("no voicemail with id {id:?}")))?;
    let mut v = to_value(vm);
    if let Value::Object(m) = &mut v {
        m.insert(
            "url".into(),
            json!(events::audio_url(&base_url(&app, &headers), &vm.id)),
        );
    }
    Ok(ok(v))
}

// --- calls -----------------------------------------------------------------------------

pub async fn cdrs_list(State(app): S, headers: HeaderMap, Query(q): Query<ListQuery>) -> ApiResult {
    timed_list(
        &app,
        &headers,
        &q,
        "cdrs",
        &["created_at", "init_dt"],
        |db| &db.cdrs,
        |c| c.ts,
    )
}

pub async fn recording_get(
    State(app): S,
    headers: HeaderMap,
    Path(callid): Path<String>,
) -> ApiResult {
    let db = app.db();
    match db.cdrs.iter().find(|c| c.callid == callid) {
        Some(c) if c.has_recording => Ok(ok(
            json!({"url": events::audio_url(&base_url(&app, &headers), &c.callid)}),
        )),
        Some(c) => Err(ApiError::not_found(format!(
            "call {callid} has no recording (disposition {}, state {})",
            c.disposition_code,
            events::call_state(c)
        ))),
        None => Err(ApiError::not_found(format!(
            "no call with callid {callid:?}"
        ))),
    }
}

// --- webhooks --------------------------------------------------------------------------

/// `POST /webhooks` [SEEN body]. Other fields are ignored.
#[derive(Deserialize)]
pub struct WebhookCreate {
    event: String,
    hook_url: String,
}

/// An absolute http(s) URL with a host.
pub fn parse_hook_url(u: &str) -> Option<url::Url> {
    let url = url::Url::parse(u).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then_some(url)
}

/// `localhost`, 127.0.0.0/8 or [::1].
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

pub async fn webhook_create(State(app): S, Json(body): Json<WebhookCreate>) -> ApiResult {
    let event = body.event;
    if !EVENTS.contains(&event.as_str()) {
        return Err(ApiError::bad_request(format!(
            "unknown event {event:?} (one of: {})",
            EVENTS.join(", ")
        )));
    }
    let hook_url = body.hook_url.trim().to_string();
    let url = parse_hook_url(&hook_url).ok_or_else(|| {
        ApiError::bad_request(format!(
            "invalid hook_url {hook_url:?}: must be an absolute http:// or https:// URL"
        ))
    })?;
    if app.cfg.loopback_webhooks && !is_loopback(&url) {
        return Err(ApiError::bad_request(format!(
            "hook_url {hook_url:?} is refused: this toky-mock runs with --loopback-webhooks and delivers only to localhost, 127.0.0.0/8 or [::1]"
        )));
    }
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
    Ok(created(to_value(&hook)))
}

pub async fn webhooks_list(
    State(app): S,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let db = app.db();
    let all: Vec<_> = db.webhooks.iter().collect();
    list_response(
        format!("{}/v1/webhooks", base_url(&app, &headers)),
        &q,
        &all,
        None,
    )
}

pub async fn webhook_delete(State(app): S, Path(id): Path<String>) -> ApiResult {
    let mut db = app.db();
    let before = db.webhooks.len();
    db.webhooks.retain(|h| h.id != id);
    if db.webhooks.len() == before {
        return Err(ApiError::not_found(format!("no webhook with id {id:?}")));
    }
    Ok(ok(json!({"success": true})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_urls() {
        let loop_ok = |u: &str| parse_hook_url(u).is_some_and(|u| is_loopback(&u));
        assert!(loop_ok("http://127.0.0.1:9/h"));
        assert!(loop_ok("http://127.8.9.1/h"));
        assert!(loop_ok("http://[::1]:80/"));
        assert!(loop_ok("https://LOCALHOST/x"));
        assert!(!loop_ok("https://example.org/hook?t=1"));
        assert!(!loop_ok("http://10.0.0.1/"));
        assert!(!loop_ok("http://127.0.0.1.example.org/"));
        assert!(parse_hook_url("https://example.org/hook?t=1").is_some());
        for bad in ["ftp://example.org/h", "/relative", "http://", "mailto:a@b"] {
            assert!(parse_hook_url(bad).is_none(), "{bad}");
        }
    }
}
