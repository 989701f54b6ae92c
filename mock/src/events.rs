//! Webhook event payloads and their delivery (background, with retries).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::data::{self, Cdr, Sms, Voicemail};
use crate::runtime;
use crate::state::{lock, App, Db, Delivery};

pub const EVENTS: [&str; 7] = [
    "new_call",
    "new_voicemail",
    "new_sms",
    "inbound_call_answered",
    "inbound_call_ended",
    "outbound_call",
    "outbound_call_ended",
];

/// Delay before each retry after the first attempt.
pub const RETRY_BACKOFF_MS: [u64; 3] = [200, 400, 800];

pub fn audio_url(base: &str, name: &str) -> String {
    format!("{base}/__mock/audio/{name}.wav")
}

pub fn sms_payload(s: &Sms) -> Value {
    json!({
        "event": "new_sms",
        "id": s.id,
        "from_number": s.from,
        "to_number": s.to,
        "text": s.text,
        "agent": s.agent,
        "direction": s.direction,
        "date": s.created_at,
    })
}

pub fn call_state(c: &Cdr) -> &'static str {
    if c.disposition_code == "200" {
        "completed"
    } else if c.direction == "inbound" {
        "missed"
    } else {
        "unsuccessful"
    }
}

fn agent_email_of(c: &Cdr) -> Option<String> {
    c.agent_id.as_ref().map(|a| a.replacen("__", "@", 1))
}

pub fn call_payload(db: &Db, event: &str, c: &Cdr, base: &str) -> Map<String, Value> {
    let inbound = c.direction == "inbound";
    let customer = if inbound {
        Some(c.from.clone())
    } else {
        c.to_number.clone()
    };
    let ours = if inbound {
        c.received_on_number.clone()
    } else {
        Some(c.from.clone())
    };
    let contact = customer.as_deref().and_then(|p| db.contact(p));
    let agent = agent_email_of(c);
    let agent_name = agent.as_deref().and_then(data::agent_name);
    let record = if c.has_recording {
        Some(audio_url(base, &c.callid))
    } else {
        None
    };
    let (caller_name, caller_email, caller_country, caller_phone) = if inbound {
        (
            contact.as_ref().and_then(|k| k.contact_name.clone()),
            contact.as_ref().and_then(|k| k.email.clone()),
            c.country.clone(),
            customer.clone(),
        )
    } else {
        let country = db
            .agents
            .iter()
            .find(|a| Some(&a.email) == agent.as_ref())
            .map(|a| a.phone_country.clone());
        (
            agent_name.map(str::to_string),
            agent.clone(),
            country,
            ours.clone(),
        )
    };
    let v = json!({
        "event": event,
        "callid": c.callid,
        "direction": c.direction,
        "web_call": c.web_call,
        "agent": agent,
        "agent_name": agent_name,
        "duration": c.duration,
        "state": call_state(c),
        "from_number": c.from,
        "to_number": if inbound { c.received_on_number.clone() } else { c.to_number.clone() },
        "date": c.init_dt,
        "record_url": record,
        "record_url_raw": record,
        "caller_name": caller_name,
        "caller_email": caller_email,
        "caller_country": caller_country,
        "caller_phone_number": caller_phone,
        "contact_name": contact.as_ref().and_then(|k| k.contact_name.clone()),
        "contact_email": contact.as_ref().and_then(|k| k.email.clone()),
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

pub fn voicemail_payload(db: &Db, c: &Cdr, vm: &Voicemail, base: &str) -> Map<String, Value> {
    let mut m = call_payload(db, "new_voicemail", c, base);
    let url = audio_url(base, &vm.id);
    m.insert("duration".into(), json!(vm.duration));
    m.insert("date".into(), json!(vm.created_at));
    m.insert("agent".into(), json!(vm.agent));
    m.insert(
        "agent_name".into(),
        json!(vm.agent.as_deref().and_then(data::agent_name)),
    );
    m.insert("record_url".into(), json!(url));
    m.insert("record_url_raw".into(), json!(url));
    m.insert("voicemail_id".into(), json!(vm.id));
    m.insert("voicemail_url".into(), json!(url));
    m
}

/// POSTs `payload` to every hook registered for `event`, in background tasks.
pub fn fire(app: &Arc<App>, event: &str, payload: Value) {
    let hooks: Vec<(String, String)> = app
        .db()
        .webhooks
        .iter()
        .filter(|h| h.event == event)
        .map(|h| (h.id.clone(), h.hook_url.clone()))
        .collect();
    let generation = app.generation.load(Ordering::SeqCst);
    for (hook_id, url) in hooks {
        let id = app.next_id();
        lock(&app.deliveries).push(Delivery {
            id,
            event: event.to_string(),
            hook_id,
            hook_url: url.clone(),
            attempts: 0,
            delivered: false,
            last_status: None,
            last_error: None,
            payload: payload.clone(),
        });
        let app = app.clone();
        let body = serde_json::to_vec(&payload).unwrap_or_default();
        runtime::spawn(async move { deliver(app, generation, id, url, body).await });
    }
}

async fn deliver(app: Arc<App>, generation: u64, id: u64, url: String, body: Vec<u8>) {
    let attempts = 1 + RETRY_BACKOFF_MS.len();
    for attempt in 0..attempts {
        if attempt > 0 {
            runtime::sleep(&app.client, Duration::from_millis(RETRY_BACKOFF_MS[attempt - 1])).await;
        }
        if app.generation.load(Ordering::SeqCst) != generation {
            return; // reset happened: this delivery belongs to a discarded state
        }
        let res = runtime::post(&app.client, &url, body.clone()).await;
        let (ok, status, error) = match res {
            Ok(s) => {
                let ok = (200..300).contains(&s);
                (ok, Some(s), (!ok).then(|| format!("HTTP {s}")))
            }
            Err(e) => (false, None, Some(e)),
        };
        if app.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        {
            let mut d = lock(&app.deliveries);
            if let Some(d) = d.iter_mut().find(|d| d.id == id) {
                d.attempts = attempt as u32 + 1;
                d.delivered = ok;
                d.last_status = status;
                d.last_error = error;
            }
        }
        if ok {
            return;
        }
    }
}
