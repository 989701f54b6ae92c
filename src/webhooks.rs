//! Webhooks [DOC create + events, SEEN list/delete]: one event per hook.

use serde::Serialize;

use crate::args::{self, Arg, Id};
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Decode, Plan};

crate::record! {
    /// A registered webhook, as `webhooks.list`, `create` and `subscribe` return it.
    pub struct Webhook {
        /// The hook's id (`webhooks.delete` takes it).
        id: Id,
        /// The event it receives.
        event: Pass => ": WebhookEventName",
        /// The URL Toky POSTs the events to.
        hook_url: Pass => ": string",
        /// When the hook was registered.
        created_at: Time,
    }
}

crate::typed! {
    /// What `webhooks.create` and `webhooks.subscribe` take. Checked before any request (a bad
    /// value is a `validation` error naming the field).
    #[derive(Debug, Serialize)]
    pub struct WebhookInput {
        /// The event to receive.
        event: String => ": WebhookEventName",
        /// Absolute http(s) URL Toky will POST events to.
        #[serde(rename = "hook_url")]
        url: String => ": string",
    }
}

pub fn event_name<'a>(o: &'a [(String, Arg)], key: &str) -> Result<&'a str, Error> {
    let expected = format!("expected one of {}", decided::WEBHOOK_EVENTS.join(", "));
    match args::string(o, key, true, &expected)? {
        Some(e) if decided::WEBHOOK_EVENTS.contains(&e) => Ok(e),
        _ => Err(Error::field(key, &args::got(&expected, args::get(o, key)))),
    }
}

pub fn hook_url<'a>(o: &'a [(String, Arg)], key: &str) -> Result<&'a str, Error> {
    let expected = "expected an absolute http(s) URL that Toky can POST to";
    match args::string(o, key, true, expected)? {
        Some(u) if args::is_http_url(u) => Ok(u),
        _ => Err(Error::field(key, &args::got(expected, args::get(o, key)))),
    }
}

pub fn create(cfg: &Config, input: Option<&Arg>) -> Result<Plan, Error> {
    let o = args::object(input, "input", false)?;
    args::only(o, &["event", "url"])?;
    let body = WebhookInput { event: event_name(o, "event")?.into(), url: hook_url(o, "url")?.into() };
    debug_assert_eq!(decided::WEBHOOK_URL_FIELD, "hook_url");
    Ok(Plan::new(cfg, &decided::WEBHOOKS_CREATE, None, Decode::Object(Kind::Webhook)).body(&body))
}

pub fn list(cfg: &Config, o: &[(String, Arg)], iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::WEBHOOKS_LIST, Kind::Webhook, o, Paging { iterate, dates: false })
}

pub fn delete(cfg: &Config, o: &[(String, Arg)]) -> Result<Plan, Error> {
    args::only(o, &["id"])?;
    let id: Id = args::required(o, "id")?;
    Ok(Plan::new(cfg, &decided::WEBHOOKS_DELETE, Some(&id), Decode::Deleted))
}
