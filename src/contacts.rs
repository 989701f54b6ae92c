//! Contacts: the phone directory, keyed by phone number (unique [DOC]). Paths and the
//! create/update fields are [DECIDED] (see `decided.rs`).

#[allow(unused_imports)]
use crate::prelude::*;

use crate::args::{self, Obj};
use crate::decided;
use crate::error::Error;
use crate::json::{self, Kind, Shape};
use crate::paging::{self, Paging};
use crate::request::{Config, Decode, Plan};

/// `{phone, contact_name, first_name, last_name, email, company, city, country_code,
/// created_by, created_at}`.
pub const CONTACT: Shape = &[("created_at", Kind::Time)];

/// Names, company and city: free text, but not empty and not absurdly long.
const MAX_TEXT: usize = 200;

pub fn list(cfg: &Config, o: &Obj, iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::CONTACTS_LIST, CONTACT, o, Paging { iterate, dates: false })
}

pub fn get(cfg: &Config, o: &Obj) -> Result<Plan, Error> {
    args::only(o, &["phone"])?;
    let phone = args::phone(o, "phone", true)?;
    Ok(Plan::new(cfg, &decided::CONTACTS_GET, phone, Decode::Object(CONTACT)))
}

pub fn create(cfg: &Config, o: &Obj) -> Result<Plan, Error> {
    let input = args::object(args::get(o, "input"), "input", false)?;
    args::only(input, &decided::CONTACT_CREATE_FIELDS)?;
    args::phone(input, "phone", true)?;
    args::email(input, "created_by", false)?;
    let body = fields(input, &decided::CONTACT_CREATE_FIELDS, false)?;
    Ok(Plan::new(cfg, &decided::CONTACTS_CREATE, None, Decode::Object(CONTACT)).body(body))
}

pub fn update(cfg: &Config, o: &Obj) -> Result<Plan, Error> {
    args::only(o, &["phone", "patch"])?;
    let phone = args::phone(o, "phone", true)?;
    let patch = args::object(args::get(o, "patch"), "patch", false)?;
    args::only(patch, &decided::CONTACT_UPDATE_FIELDS)?;
    if patch.is_empty() {
        let mut m = String::from("expected at least one of ");
        crate::error::push_joined(&mut m, &decided::CONTACT_UPDATE_FIELDS, ", ");
        return Err(Error::field("patch", &m));
    }
    let body = fields(patch, &decided::CONTACT_UPDATE_FIELDS, true)?;
    Ok(Plan::new(cfg, &decided::CONTACTS_UPDATE, phone, Decode::Object(CONTACT)).body(body))
}

/// Validates each given field by its meaning and writes them as the JSON body. In an update,
/// `null` clears a field (it is sent as `null`); a create has nothing to clear.
fn fields(o: &Obj, allowed: &[&str], nulls_clear: bool) -> Result<String, Error> {
    let mut body = String::from("{");
    for key in allowed {
        if nulls_clear && matches!(args::get(o, key), Some(json::Value::Null)) {
            if body.len() > 1 {
                body.push(',');
            }
            json::write_str(&mut body, key);
            body.push_str(":null");
            continue;
        }
        let value = match *key {
            "phone" => args::phone(o, key, false)?.map(str::to_string),
            "email" | "created_by" => args::email(o, key, false)?.map(str::to_string),
            "country_code" => {
                let expected = "expected an ISO 3166 alpha-2 country code such as \"US\"";
                match args::string(o, key, false, expected)? {
                    Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => Some(c.to_ascii_uppercase()),
                    Some(_) => return Err(Error::field(key, &args::got(expected, args::get(o, key)))),
                    None => None,
                }
            }
            _ => args::text(o, key, false, MAX_TEXT)?.map(str::to_string),
        };
        if let Some(v) = value {
            if body.len() > 1 {
                body.push(',');
            }
            json::write_str(&mut body, key);
            body.push(':');
            json::write_str(&mut body, &v);
        }
    }
    body.push('}');
    Ok(body)
}
