//! Webhooks [DOC create + events, SEEN list/delete]: one event per hook.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::args::{self, Obj};
use crate::decided;
use crate::error::Error;
use crate::json::{self, Kind, Shape};
use crate::paging::{self, Paging};
use crate::request::{Config, Decode, Plan};

/// `{id, event, hook_url, created_at}`.
pub const WEBHOOK: Shape = &[("id", Kind::Id), ("created_at", Kind::Time)];

pub fn event_name<'a>(o: &'a Obj, key: &str) -> Result<&'a str, Error> {
    let mut expected = String::from("expected one of ");
    crate::error::push_joined(&mut expected, &decided::WEBHOOK_EVENTS, ", ");
    match args::string(o, key, true, &expected)? {
        Some(e) if decided::WEBHOOK_EVENTS.contains(&e) => Ok(e),
        _ => Err(Error::field(key, &args::got(&expected, args::get(o, key)))),
    }
}

pub fn hook_url<'a>(o: &'a Obj, key: &str) -> Result<&'a str, Error> {
    let expected = "expected an absolute http(s) URL that Toky can POST to";
    match args::string(o, key, true, expected)? {
        Some(u) if args::is_http_url(u) => Ok(u),
        _ => Err(Error::field(key, &args::got(expected, args::get(o, key)))),
    }
}

pub fn create(cfg: &Config, o: &Obj) -> Result<Plan, Error> {
    let input = args::object(args::get(o, "input"), "input", false)?;
    args::only(input, &["event", "url"])?;
    let event = event_name(input, "event")?;
    let url = hook_url(input, "url")?;
    let mut body = String::from("{\"event\":");
    json::write_str(&mut body, event);
    body.push(',');
    json::write_str(&mut body, decided::WEBHOOK_URL_FIELD);
    body.push(':');
    json::write_str(&mut body, url);
    body.push('}');
    Ok(Plan::new(cfg, &decided::WEBHOOKS_CREATE, None, Decode::Object(WEBHOOK)).body(body))
}

pub fn list(cfg: &Config, o: &Obj, iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::WEBHOOKS_LIST, WEBHOOK, o, Paging { iterate, dates: false })
}

pub fn delete(cfg: &Config, o: &Obj) -> Result<Plan, Error> {
    args::only(o, &["id"])?;
    let id = args::id(o, "id")?;
    Ok(Plan::new(cfg, &decided::WEBHOOKS_DELETE, Some(id), Decode::Deleted))
}
