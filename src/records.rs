//! Response bodies into the values the caller gets: the paging envelope, single records, the
//! error body. The records themselves are serde structs in their resources' files (`Agent` in
//! `agents.rs`, `CallRecord` in `calls.rs`, ...), declared with [`record!`], which gives every
//! loosely typed field its normaliser from `loose.rs` and keeps unknown fields in a flattened map.

use serde_json::Value;

use crate::loose::Page;
use crate::request::{Decode, Output};

/// Declares a record: each field is `name: Kind` with Kind one of `Bool`, `Num`, `Time`, `Id`
/// (normalised, see `loose.rs`) or `Pass` (kept as sent), optionally `=> ": TS type"` (or
/// `"?: TS type"` for a field that may be absent); fields not declared pass through in `extra`.
/// The same declaration gives the record's TypeScript interface (`TS`), which the build writes
/// into `index.d.ts`: the Rust type is the one source of the TypeScript type.
#[macro_export]
macro_rules! record {
    ($(#[doc = $doc:literal])* pub struct $name:ident { $($(#[doc = $fdoc:literal])* $field:ident: $kind:ident $(=> $ts:literal)?),* $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $(
                $(#[doc = $fdoc])*
                pub $field: Option<$crate::loose::$kind>,
            )*
            /// Fields the record does not declare, as the server sent them.
            pub extra: $crate::loose::Extra,
        }

        /// Read as a JSON object whose declared fields are taken out and normalised; the rest
        /// stays in `extra`. (One map deserializer shared by every record, rather than a derived
        /// one per record: measured smaller in wasm.)
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut extra = <$crate::loose::Extra as serde::Deserialize>::deserialize(d)?;
                Ok($name {
                    $($field: extra.shift_remove(stringify!($field)).map($crate::loose::$kind::from),)*
                    extra,
                })
            }
        }

        /// Declared fields first (those present), then the others in the server's order.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(None)?;
                $(if let Some(v) = &self.$field {
                    m.serialize_entry(stringify!($field), &v.0)?;
                })*
                for (k, v) in &self.extra {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }

        impl $name {
            /// The declared fields and their normalisers: what `Deserialize` applies, and what
            /// the decoder applies in place to the rows of a page (no copy of each row).
            pub const FIELDS: &'static [(&'static str, fn(serde_json::Value) -> serde_json::Value)] =
                &[$((stringify!($field), $crate::loose::$kind::NORMALISE)),*];

            /// This record's TypeScript interface.
            pub const TS: &'static str = concat!(
                "/**", $($doc, "\n *",)* "/\n",
                "export interface ", stringify!($name), " {\n",
                $(
                    $("  /**", $fdoc, " */\n",)*
                    "  ", stringify!($field), $crate::record!(@ts $kind $($ts)?), ";\n",
                )*
                "  [field: string]: unknown;\n}\n"
            );
        }
    };
    (@ts $kind:ident $ts:literal) => { $ts };
    (@ts Bool) => { ": boolean | null" };
    (@ts Num) => { ": number | null" };
    (@ts Time) => { ": Timestamp | null" };
    (@ts Id) => { ": string" };
    (@ts Pass) => { ": unknown" };
}

/// Declares a plain typed value (an input or a result that is not a record) and its TypeScript
/// interface from the same declaration: each field is `name: RustType => ": TS type"` (or
/// `"?: TS type"` when it may be left out), after its doc comment and any serde attributes.
#[macro_export]
macro_rules! typed {
    (
        $(#[doc = $doc:literal])*
        $(#[derive($($d:path),* $(,)?)])*
        $(#[cfg_attr($($ca:tt)*)])*
        $(#[serde($($ss:tt)*)])*
        pub struct $name:ident {
            $($(#[doc = $fdoc:literal])* $(#[serde($($fs:tt)*)])* $field:ident $(as $js:ident)?: $ty:ty => $ts:literal),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $(#[derive($($d),*)])*
        $(#[cfg_attr($($ca)*)])*
        $(#[serde($($ss)*)])*
        pub struct $name {
            $(
                $(#[doc = $fdoc])*
                $(#[serde($($fs)*)])*
                pub $field: $ty,
            )*
        }

        impl $name {
            /// This type's TypeScript interface.
            pub const TS: &'static str = concat!(
                "/**", $($doc, "\n *",)* "/\n",
                "export interface ", stringify!($name), " {\n",
                $(
                    $("  /**", $fdoc, " */\n",)*
                    "  ", $crate::typed!(@js $field $($js)?), $ts, ";\n",
                )*
                "}\n"
            );
        }
    };
    // The name JS sees: the field's, or the one after `as` (serde renames it so).
    (@js $field:ident $js:ident) => { stringify!($js) };
    (@js $field:ident) => { stringify!($field) };
}

/// The TypeScript interfaces of every record, input and result type declared in Rust, for
/// `index.d.ts` (`examples/typescript.rs`).
pub fn typescript() -> String {
    use crate::{agents, calls, contacts, sms, voicemails, webhooks};
    [
        agents::Agent::TS,
        contacts::Contact::TS,
        sms::Sms::TS,
        sms::SmsSent::TS,
        voicemails::Voicemail::TS,
        calls::CallRecord::TS,
        calls::Recording::TS,
        webhooks::Webhook::TS,
        contacts::ContactInput::TS,
        contacts::ContactPatch::TS,
        sms::SmsInput::TS,
        webhooks::WebhookInput::TS,
        crate::segments::Segments::TS,
    ]
    .join("\n")
}

/// Which record a response holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Agent,
    Contact,
    Sms,
    SmsSent,
    Voicemail,
    CallRecord,
    Recording,
    Webhook,
}

#[derive(Debug, PartialEq)]
pub enum DecodeError {
    /// The body is not the JSON we expect; the message says what was wrong.
    Invalid(String),
    /// The body says `"success": false`; carries its error message if it has one.
    Failure(Option<String>),
}

/// Decodes a 2xx body as `decode` says.
pub fn decode(decode: Decode, body: &[u8]) -> Result<Output, DecodeError> {
    match decode {
        Decode::Deleted if body.iter().all(u8::is_ascii_whitespace) => Ok(Output { json: "{\"success\":true}".into(), next: None }),
        Decode::Deleted => {
            let v = top(body)?;
            let mut o = match v {
                Value::Object(o) => o,
                _ => return Err(DecodeError::Invalid("the response body is not a JSON object".into())),
            };
            if let Some(s) = o.remove("success") {
                o.insert("success".into(), crate::loose::to_bool(s));
            }
            Ok(Output { json: Value::Object(o).to_string(), next: None })
        }
        Decode::Raw => Err(DecodeError::Invalid("raw bodies are not decoded".into())),
        Decode::Page(k) => page_of(body, normaliser(k)),
        Decode::Object(k) => object_of(body, normaliser(k)),
    }
}

/// A record's declared fields and their normalisers (`FIELDS` of its struct).
type Normalise = &'static [(&'static str, fn(Value) -> Value)];

/// Types a record in place: each declared field present is normalised, the rest is untouched
/// (same result as the struct's `Deserialize` then `Serialize`, without copying the row).
fn normalise(row: &mut Value, fields: Normalise) {
    if let Value::Object(m) = row {
        for (name, f) in fields {
            if let Some(v) = m.get_mut(*name) {
                *v = f(v.take());
            }
        }
    }
}

fn normaliser(k: Kind) -> Normalise {
    use crate::{agents, calls, contacts, sms, voicemails, webhooks};
    match k {
        Kind::Agent => agents::Agent::FIELDS,
        Kind::Contact => contacts::Contact::FIELDS,
        Kind::Sms => sms::Sms::FIELDS,
        Kind::SmsSent => sms::SmsSent::FIELDS,
        Kind::Voicemail => voicemails::Voicemail::FIELDS,
        Kind::CallRecord => calls::CallRecord::FIELDS,
        Kind::Recording => calls::Recording::FIELDS,
        Kind::Webhook => webhooks::Webhook::FIELDS,
    }
}

/// The body as JSON, with a top-level `"success": false` (or `"false"`) as a failure.
fn top(body: &[u8]) -> Result<Value, DecodeError> {
    let body = body.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(body);
    let v: Value = serde_json::from_slice(body).map_err(|e| DecodeError::Invalid(format!("the response body is not valid JSON ({e})")))?;
    if let Some(s) = v.get("success") {
        if crate::loose::to_bool(s.clone()) == Value::Bool(false) {
            return Err(DecodeError::Failure(message_of(&v)));
        }
    }
    Ok(v)
}

fn object_of(body: &[u8], fields: Normalise) -> Result<Output, DecodeError> {
    let mut v = top(body)?;
    if !v.is_object() {
        return Err(DecodeError::Invalid("the response body is not a JSON object".into()));
    }
    normalise(&mut v, fields);
    Ok(Output { json: v.to_string(), next: None })
}

fn page_of(body: &[u8], fields: Normalise) -> Result<Output, DecodeError> {
    let v = top(body)?;
    let Value::Object(mut o) = v else {
        return Err(DecodeError::Invalid("the response body is not a JSON object".into()));
    };
    let results = match o.remove("results") {
        Some(Value::Array(rows)) => rows,
        Some(_) => return Err(DecodeError::Invalid("the response's \"results\" is not an array".into())),
        None => return Err(DecodeError::Invalid("the response has no \"results\" array".into())),
    };
    let next = match o.remove("next") {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        None | Some(Value::Null) | Some(Value::String(_)) => None,
        Some(_) => return Err(DecodeError::Invalid("the response's \"next\" is neither a string nor null".into())),
    };
    o.remove("count");
    let mut results = results;
    for row in &mut results {
        normalise(row, fields);
    }
    let page = Page { count: results.len(), next, results, extra: o };
    let json = serde_json::to_string(&page).map_err(|e| DecodeError::Invalid(e.to_string()))?;
    Ok(Output { json, next: page.next })
}

fn message_of(v: &Value) -> Option<String> {
    let nested = v.get("error").and_then(|e| e.get("message"));
    [v.get("error_message"), v.get("message"), v.get("error"), nested]
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|m| !m.trim_ascii().is_empty())
        .map(str::to_owned)
}

/// The message of an error body such as `{"success":false,"error_message":"..."}`, falling back
/// to a `message` or `error` string (or `error.message`); None when the body is not such JSON or
/// the message is blank.
pub fn error_message(body: &[u8]) -> Option<String> {
    let body = body.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(body);
    serde_json::from_slice::<Value>(body).ok().as_ref().and_then(message_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(kind: Kind, body: &str) -> Result<Value, DecodeError> {
        decode(Decode::Page(kind), body.as_bytes()).map(|o| serde_json::from_str(&o.json).unwrap())
    }

    #[test]
    fn the_contracts_real_payloads() {
        let agents = page(Kind::Agent, r#"{"count":11,"next":null,"results":[{"email":"agent@mail.com","fullname":"Agent Name","created_at":"2017-06-27 19:24:10","last_update":"2017-06-27 19:26:52","last_connection":null,"is_admin":"false","phone_number":"+15553456789","phone_country":"ES"}]}"#).unwrap();
        assert_eq!(
            agents,
            serde_json::json!({"count":1,"next":null,"results":[{"email":"agent@mail.com","fullname":"Agent Name","created_at":"2017-06-27T19:24:10Z","last_update":"2017-06-27T19:26:52Z","last_connection":null,"is_admin":false,"phone_number":"+15553456789","phone_country":"ES"}]})
        );
        let cdrs = page(Kind::CallRecord, r#"{"count":1,"next":"https://api.toky.co/v1/cdrs?offset=20&limit=20","results":[{"id":"12903","callid":"3482582a-dc6e-1235-798c-0401336adf01","from":"+551234567","to_number":null,"country":"US","caller_id_used":"+12018155555","init_dt":"2017-07-05 21:46:44","start_time":"2017-07-05 21:46:22","end_time":"2017-07-05 21:46:44","duration":"22","agent_id":"carlos__myagent.com","direction":"inbound","web_call":"no","disposition_code":"200","ivr_option_pressed":"8"}],"extra":{"x":1}}"#).unwrap();
        let r = &cdrs["results"][0];
        assert_eq!(r["id"], "12903");
        assert_eq!(r["duration"], 22);
        assert_eq!(r["disposition_code"], 200);
        assert_eq!(r["web_call"], false);
        assert_eq!(r["ivr_option_pressed"], "8");
        assert_eq!(r["init_dt"], "2017-07-05T21:46:44Z");
        assert_eq!(r["to_number"], Value::Null);
        assert_eq!(cdrs["next"], "https://api.toky.co/v1/cdrs?offset=20&limit=20");
        assert_eq!(cdrs["extra"], serde_json::json!({"x":1}), "other top-level members are kept");
    }

    /// The decoder types rows in place; the record structs' serde impls must give the same value.
    #[test]
    fn in_place_and_struct_agree() {
        let row: Value = serde_json::from_str(r#"{"id":12903,"callid":"c","from":"+551234567","init_dt":"2017-07-05 21:46:44","duration":"22","web_call":"no","disposition_code":"200","x":{"y":"1"},"end_time":""}"#).unwrap();
        let via_struct = serde_json::to_value(serde_json::from_value::<crate::calls::CallRecord>(row.clone()).unwrap()).unwrap();
        let mut in_place = row;
        normalise(&mut in_place, crate::calls::CallRecord::FIELDS);
        assert_eq!(via_struct, in_place);
        assert_eq!(in_place["end_time"], Value::Null);
        assert_eq!(in_place["id"], "12903");
    }

    #[test]
    fn envelopes() {
        assert_eq!(page(Kind::Sms, r#"{"results":[1,"x",{"id":5}]}"#).unwrap(), serde_json::json!({"count":3,"next":null,"results":[1,"x",{"id":"5"}]}));
        assert!(matches!(page(Kind::Sms, r#"{"count":0}"#), Err(DecodeError::Invalid(_))));
        assert!(matches!(page(Kind::Sms, r#"{"results":{}}"#), Err(DecodeError::Invalid(_))));
        assert!(matches!(page(Kind::Sms, r#"{"results":[],"next":5}"#), Err(DecodeError::Invalid(_))));
        assert!(matches!(page(Kind::Sms, r#"[]"#), Err(DecodeError::Invalid(_))));
        assert!(matches!(page(Kind::Sms, r#"{"results":["#), Err(DecodeError::Invalid(_))));
        assert_eq!(page(Kind::Sms, r#"{"success":"false","error_message":"no"}"#), Err(DecodeError::Failure(Some("no".into()))));
        assert!(page(Kind::Sms, "\u{FEFF}{\"results\":[]}").is_ok());
    }

    #[test]
    fn error_messages() {
        assert_eq!(error_message(br#"{"success":false,"error_message":"Contact not found"}"#).as_deref(), Some("Contact not found"));
        assert_eq!(error_message(br#"{"error":{"message":"m"}}"#).as_deref(), Some("m"));
        assert_eq!(error_message(br#"{"message":"  "}"#), None);
        assert_eq!(error_message(b"<html>"), None);
    }

    #[test]
    fn deletes() {
        assert_eq!(decode(Decode::Deleted, b" ").unwrap().json, "{\"success\":true}");
        assert_eq!(decode(Decode::Deleted, br#"{"success":"true"}"#).unwrap().json, "{\"success\":true}");
        assert!(matches!(decode(Decode::Deleted, br#"{"success":false}"#), Err(DecodeError::Failure(None))));
    }

    #[test]
    fn never_panics_on_prefixes_and_mutations() {
        let body = br#"{"count":1,"next":null,"results":[{"id":"1","duration":"22","web_call":"yes","init_dt":"2017-07-05 21:46:44","x":[1,{"y":null}]}]}"#;
        for n in 0..=body.len() {
            let _ = decode(Decode::Page(Kind::CallRecord), &body[..n]);
            let _ = decode(Decode::Object(Kind::CallRecord), &body[..n]);
        }
        for i in 0..body.len() {
            for b in [b'"', b'{', b'[', b'\\', 0xff, b'0'] {
                let mut m = body.to_vec();
                m[i] = b;
                let _ = decode(Decode::Page(Kind::CallRecord), &m);
            }
        }
    }
}
