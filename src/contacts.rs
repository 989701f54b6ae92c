//! Contacts: the phone directory, keyed by phone number (unique [DOC]). Paths and the
//! create/update fields are [DECIDED] (see `decided.rs`).

use serde_json::{Map, Value};

use crate::args::{self, Arg, Email, Id, Phone};
use crate::decided;
use crate::error::Error;
use crate::paging::{self, Paging};
use crate::records::Kind;
use crate::request::{Config, Decode, Plan};

crate::record! {
    /// A contact of the address book, as `contacts.list`, `get`, `create` and `update` return it;
    /// fields the client does not declare pass through as sent.
    pub struct Contact {
        /// The contact's number: its id in `contacts.get`/`contacts.update`.
        phone: Pass => ": Phone",
        /// The display name Toky composes (usually first and last name).
        contact_name: Pass => ": string | null",
        /// First name.
        first_name: Pass => "?: string | null",
        /// Last name.
        last_name: Pass => "?: string | null",
        /// Email address.
        email: Pass => ": string | null",
        /// Company.
        company: Pass => "?: string | null",
        /// City.
        city: Pass => ": string | null",
        /// Country, ISO 3166 alpha-2 (e.g. "US").
        country_code: Pass => ": string | null",
        /// Email of the agent who created the contact.
        created_by: Pass => "?: string | null",
        /// When the contact was created.
        created_at: Time => "?: Timestamp | null",
    }
}

crate::typed! {
    /// What `contacts.create` takes. Checked before any request (a bad value is a `validation`
    /// error naming the field); it is also the request body.
    #[derive(Debug, Default, serde::Serialize)]
    pub struct ContactInput {
        /// Required: the contact's number, E.164.
        phone: Option<String> => ": Phone",
        /// First name.
        #[serde(skip_serializing_if = "Option::is_none")]
        first_name: Option<String> => "?: string",
        /// Last name.
        #[serde(skip_serializing_if = "Option::is_none")]
        last_name: Option<String> => "?: string",
        /// Email address.
        #[serde(skip_serializing_if = "Option::is_none")]
        email: Option<String> => "?: string",
        /// Company.
        #[serde(skip_serializing_if = "Option::is_none")]
        company: Option<String> => "?: string",
        /// City.
        #[serde(skip_serializing_if = "Option::is_none")]
        city: Option<String> => "?: string",
        /// ISO 3166 alpha-2, e.g. "US".
        #[serde(skip_serializing_if = "Option::is_none")]
        country_code: Option<String> => "?: string",
        /// Email of the agent creating the contact.
        #[serde(skip_serializing_if = "Option::is_none")]
        created_by: Option<String> => "?: string",
    }
}

crate::typed! {
    /// What `contacts.update` takes: only the fields to change; `null` clears a field.
    #[derive(Debug, Default, serde::Serialize)]
    pub struct ContactPatch {
        /// First name; null clears it.
        #[serde(skip_serializing_if = "Option::is_none")]
        first_name: Option<Option<String>> => "?: string | null",
        /// Last name; null clears it.
        #[serde(skip_serializing_if = "Option::is_none")]
        last_name: Option<Option<String>> => "?: string | null",
        /// Email address; null clears it.
        #[serde(skip_serializing_if = "Option::is_none")]
        email: Option<Option<String>> => "?: string | null",
        /// Company; null clears it.
        #[serde(skip_serializing_if = "Option::is_none")]
        company: Option<Option<String>> => "?: string | null",
        /// City; null clears it.
        #[serde(skip_serializing_if = "Option::is_none")]
        city: Option<Option<String>> => "?: string | null",
    }
}

/// Names, company and city: free text, but not empty and not absurdly long.
const MAX_TEXT: usize = 200;

pub fn list(cfg: &Config, o: &[(String, Arg)], iterate: bool) -> Result<Plan, Error> {
    paging::plan(cfg, &decided::CONTACTS_LIST, Kind::Contact, o, Paging { iterate, dates: false })
}

fn phone_id(o: &[(String, Arg)]) -> Result<Id, Error> {
    args::required::<Phone>(o, "phone").map(Id::from)
}

pub fn get(cfg: &Config, o: &[(String, Arg)]) -> Result<Plan, Error> {
    args::only(o, &["phone"])?;
    Ok(Plan::new(cfg, &decided::CONTACTS_GET, Some(&phone_id(o)?), Decode::Object(Kind::Contact)))
}

pub fn create(cfg: &Config, input: Option<&Arg>) -> Result<Plan, Error> {
    let input = args::object(input, "input", false)?;
    args::only(input, &decided::CONTACT_CREATE_FIELDS)?;
    args::required::<Phone>(input, "phone")?;
    let mut f = fields(input, &decided::CONTACT_CREATE_FIELDS, false)?;
    let mut take = |k: &str| f.remove(k).and_then(|v| v.as_str().map(str::to_string));
    let body = ContactInput {
        phone: take("phone"),
        first_name: take("first_name"),
        last_name: take("last_name"),
        email: take("email"),
        company: take("company"),
        city: take("city"),
        country_code: take("country_code"),
        created_by: take("created_by"),
    };
    Ok(Plan::new(cfg, &decided::CONTACTS_CREATE, None, Decode::Object(Kind::Contact)).body(&body))
}

pub fn update(cfg: &Config, o: &[(String, Arg)]) -> Result<Plan, Error> {
    args::only(o, &["phone", "patch"])?;
    let phone = phone_id(o)?;
    let patch = args::object(args::get(o, "patch"), "patch", false)?;
    args::only(patch, &decided::CONTACT_UPDATE_FIELDS)?;
    let mut f = fields(patch, &decided::CONTACT_UPDATE_FIELDS, true)?;
    if f.is_empty() {
        return Err(Error::field("patch", &format!("expected at least one of {}", decided::CONTACT_UPDATE_FIELDS.join(", "))));
    }
    // Present: Some(Some(text)), or Some(None) for a null that clears the field.
    let mut take = |k: &str| f.remove(k).map(|v| v.as_str().map(str::to_string));
    let body = ContactPatch {
        first_name: take("first_name"),
        last_name: take("last_name"),
        email: take("email"),
        company: take("company"),
        city: take("city"),
    };
    Ok(Plan::new(cfg, &decided::CONTACTS_UPDATE, Some(&phone), Decode::Object(Kind::Contact)).body(&body))
}

/// Validates each given field by its meaning, in the table's order. In an update, `null` clears
/// a field (it is sent as `null`); a create has nothing to clear.
fn fields(o: &[(String, Arg)], allowed: &[&str], nulls_clear: bool) -> Result<Map<String, Value>, Error> {
    let mut body = Map::new();
    for &key in allowed {
        if matches!(args::get(o, key), Some(Arg::Null)) {
            if !nulls_clear {
                return Err(Error::field(key, &args::got("expected a string (null clears a field in an update only)", Some(&Arg::Null))));
            }
            body.insert(key.into(), Value::Null);
            continue;
        }
        let value = match key {
            "phone" => args::optional::<Phone>(o, key)?.map(|p| p.0),
            "email" | "created_by" => args::optional::<Email>(o, key)?.map(|e| e.0),
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
            body.insert(key.into(), Value::String(v));
        }
    }
    Ok(body)
}
