//! Response bodies into the values the caller gets: the paging envelope, single records, the
//! error body. The records themselves are serde structs in their resources' files (`Agent` in
//! `agents.rs`, `CallRecord` in `calls.rs`, ...), declared with [`record!`], which gives every
//! loosely typed field its normaliser from `loose.rs` and keeps unknown fields in a flattened map.

use serde_json::Value;

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

            /// What each declared field must be, from its TypeScript type (at compile time):
            /// what `records::wrong` holds a decoded record to.
            pub const SHAPE: $crate::records::Shape =
                &[$($crate::records::Expect::of(stringify!($field), $crate::record!(@ts $kind $($ts)?), $crate::record!(@strict $kind)).normalised(!$crate::record!(@pass $kind))),*];

            /// This record's TypeScript interface.
            pub const TS: &'static str = concat!(
                "/**", $($doc, "\n *",)* "/\n",
                "export interface ", stringify!($name), " {\n",
                $(
                    $crate::record!(@doc $($fdoc)*),
                    "  ", stringify!($field), $crate::record!(@ts $kind $($ts)?), ";\n",
                )*
                "  [field: string]: unknown;\n}\n"
            );
        }
    };
    // A field's doc comment as one JSDoc block (TypeDoc reads only the last block before a
    // member, so a comment of several lines must not become several blocks).
    (@doc) => { "" };
    (@doc $($d:literal)+) => { concat!("  /**", $($d, "\n   *",)* "/\n") };
    (@pass Pass) => { true };
    (@pass $kind:ident) => { false };
    (@strict Pass) => { true };
    (@strict Id) => { true };
    (@strict $kind:ident) => { false };
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
                    $crate::record!(@doc $($fdoc)*),
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
    /// A record lacks what its type promises: the field, and what is wrong with it.
    Field(String, String),
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
        Decode::Page(k) => crate::page::page_of(body, normaliser(k), shape(k)),
        Decode::Object(k) => crate::page::object_of(body, normaliser(k), shape(k)),
    }
}

// --- the type a record promises, checked ------------------------------------------------------
//
// While a record (a page's row or a single record) is decoded, the JS type of each declared field
// is noted: every field the TypeScript type declares present (no `?`) must be there; not null
// unless its type allows null; and a field kept as sent (`Pass`, `Id`) must have its type's JS
// type (string, number, boolean) where the type names one. A page's row must be an object.
// Unknown fields are not looked at. The first row (and field, in declaration order) that breaks
// its type is the decode error, once the body has been read whole.

/// A record's declared fields, each as `Expect`.
pub type Shape = &'static [Expect];

/// What one declared field must be, read off its TypeScript type: present (no `?`), null only
/// if the type allows it (`null`, `unknown`), and, for a field kept as sent (`Pass`, `Id`; the
/// loose kinds keep spellings they do not know as sent), of the JS type the type names, if it
/// names one (`string | null` a string; `unknown`, `Sms` or `true` none checked here).
#[derive(Clone, Copy, Debug)]
pub struct Expect {
    pub name: &'static str,
    pub required: bool,
    pub nullable: bool,
    pub js: Option<Js>,
    /// Normalised by `loose.rs` (not kept as sent).
    pub normalised: bool,
}

/// Whether `t[from..to]` is `word`.
const fn is(t: &[u8], from: usize, to: usize, word: &str) -> bool {
    let w = word.as_bytes();
    if to - from != w.len() {
        return false;
    }
    let mut i = 0;
    while i < w.len() {
        if t[from + i] != w[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl Expect {
    /// `ts` is the field's TypeScript type as `record!` writes it (`": string | null"`,
    /// `"?: Phone"`); `strict`: its value is kept as sent.
    pub const fn of(name: &'static str, ts: &'static str, strict: bool) -> Expect {
        let t = ts.as_bytes();
        let required = t.is_empty() || t[0] != b'?';
        let mut i = 0;
        while i < t.len() && (t[i] == b'?' || t[i] == b':' || t[i] == b' ') {
            i += 1;
        }
        let (mut nullable, mut js, mut named) = (false, None, true);
        // The alternatives of a union, split at " | ".
        while i < t.len() {
            let from = i;
            while i < t.len() && !(t[i] == b' ' && i + 1 < t.len() && t[i + 1] == b'|') {
                i += 1;
            }
            let to = i;
            i += 3;
            let this = if is(t, from, to, "null") {
                nullable = true;
                continue;
            } else if is(t, from, to, "string") || is(t, from, to, "Phone") || is(t, from, to, "Timestamp") || is(t, from, to, "WebhookEventName") || t[from] == b'"' {
                Js::String
            } else if is(t, from, to, "number") {
                Js::Number
            } else if is(t, from, to, "boolean") {
                Js::Boolean
            } else {
                // `unknown`, or a type this check does not look into.
                nullable = nullable || is(t, from, to, "unknown");
                named = false;
                continue;
            };
            js = match js {
                None => Some(this),
                Some(j) if j as u8 == this as u8 => Some(j),
                Some(_) => {
                    named = false;
                    None
                }
            };
        }
        Expect { name, required, nullable, js: if strict && named { js } else { None }, normalised: false }
    }

    /// The same, normalised by `loose.rs` or not.
    pub const fn normalised(self, normalised: bool) -> Expect {
        Expect { normalised, ..self }
    }
}

pub(crate) fn shape(k: Kind) -> Shape {
    use crate::{agents, calls, contacts, sms, voicemails, webhooks};
    match k {
        Kind::Agent => agents::Agent::SHAPE,
        Kind::Contact => contacts::Contact::SHAPE,
        Kind::Sms => sms::Sms::SHAPE,
        Kind::SmsSent => sms::SmsSent::SHAPE,
        Kind::Voicemail => voicemails::Voicemail::SHAPE,
        Kind::CallRecord => calls::CallRecord::SHAPE,
        Kind::Recording => calls::Recording::SHAPE,
        Kind::Webhook => webhooks::Webhook::SHAPE,
    }
}

/// What `typeof` tells of a JSON value (arrays and objects are not looked into).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Js {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl Js {
    fn name(self) -> &'static str {
        match self {
            Js::Null => "null",
            Js::Boolean => "a boolean",
            Js::Number => "a number",
            Js::String => "a string",
            Js::Array => "an array",
            Js::Object => "an object",
        }
    }
}

/// What is wrong with a record: the field (`""`: the record itself, which is not an object),
/// the JS type it has (None: missing) and the one its type names (None: any but null).
/// Plain data while the body is read; the message is written once, for the error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Wrong {
    field: &'static str,
    got: Option<Js>,
    want: Option<Js>,
}

impl Wrong {
    /// A page's row that is not an object.
    pub(crate) fn not_a_record(got: Js) -> Wrong {
        Wrong { field: "", got: Some(got), want: Some(Js::Object) }
    }

    /// The decode error, at row `row` of a page (None: the body is the record).
    pub(crate) fn error(self, row: Option<usize>) -> DecodeError {
        let mut m = row.map_or_else(String::new, |i| format!("results[{i}]: "));
        if self.field.is_empty() {
            m.push_str("a record is ");
        } else {
            m.push('"');
            m.push_str(self.field);
            m.push_str("\" is ");
        }
        match (self.got, self.want) {
            (None, _) => m.push_str("missing"),
            (Some(got), Some(want)) if got != Js::Null && !self.field.is_empty() => {
                m.push_str(got.name());
                m.push_str(" where ");
                m.push_str(want.name());
                m.push_str(" was expected");
            }
            (Some(got), _) => m.push_str(got.name()),
        }
        if self.field.is_empty() {
            DecodeError::Invalid(m)
        } else {
            DecodeError::Field(self.field.to_string(), m)
        }
    }
}

/// What is wrong with one record (`got`: the JS type of each declared field, in `shape`'s
/// order; None when absent): the first field, in declaration order, that breaks its type.
pub(crate) fn wrong(shape: Shape, got: &[Option<Js>]) -> Option<Wrong> {
    // Optional fields (the contract is unsure of them) are not looked at.
    shape.iter().zip(got).filter(|(e, _)| e.required).find_map(|(e, &got)| {
        let broken = match (got, e.js) {
            (None, _) => true,
            (Some(Js::Null), _) => !e.nullable,
            (Some(js), Some(want)) => js != want,
            _ => false,
        };
        broken.then_some(Wrong { field: e.name, got, want: e.js })
    })
}

/// The JS type of a value, as `typeof` (and `Array.isArray`) would tell it.
pub(crate) fn js_of(v: &Value) -> Js {
    match v {
        Value::Null => Js::Null,
        Value::Bool(_) => Js::Boolean,
        Value::Number(_) => Js::Number,
        Value::String(_) => Js::String,
        Value::Array(_) => Js::Array,
        Value::Object(_) => Js::Object,
    }
}

/// `wrong` of a decoded row (a `Value`, for the whole-body decoders).
fn wrong_value(shape: Shape, row: &Value) -> Option<Wrong> {
    let Value::Object(m) = row else { return Some(Wrong::not_a_record(js_of(row))) };
    let got: Vec<Option<Js>> = shape.iter().map(|e| m.get(e.name).map(js_of)).collect();
    wrong(shape, &got)
}

/// A declared field and its normaliser.
pub(crate) type Field = (&'static str, fn(Value) -> Value);

/// A record's declared fields and their normalisers (`FIELDS` of its struct).
pub(crate) type Normalise = &'static [Field];

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

pub(crate) fn normaliser(k: Kind) -> Normalise {
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
pub(crate) fn top(body: &[u8]) -> Result<Value, DecodeError> {
    let body = body.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(body);
    let v: Value = serde_json::from_slice(body).map_err(|e| DecodeError::Invalid(format!("the response body is not valid JSON ({e})")))?;
    if let Some(s) = v.get("success") {
        if crate::loose::to_bool(s.clone()) == Value::Bool(false) {
            return Err(DecodeError::Failure(message_of(&v)));
        }
    }
    Ok(v)
}

/// A single record decoded as a whole `Value`: what `page::object_of` falls back to for a body
/// it cannot edit in place, and its reference in the tests.
pub(crate) fn object_of_whole(body: &[u8], fields: Normalise, shape: Shape) -> Result<Output, DecodeError> {
    let mut v = top(body)?;
    if !v.is_object() {
        return Err(DecodeError::Invalid("the response body is not a JSON object".into()));
    }
    normalise(&mut v, fields);
    if let Some(w) = wrong_value(shape, &v) {
        return Err(w.error(None));
    }
    Ok(Output { json: v.to_string(), next: None })
}

/// A page decoded as a whole `Value`: what `page::page_of` falls back to for a body it cannot
/// edit in place, and its reference in the tests. `{count, next, results, ...the rest}`.
pub(crate) fn page_of_whole(body: &[u8], fields: Normalise, shape: Shape) -> Result<Output, DecodeError> {
    let v = top(body)?;
    let Value::Object(mut o) = v else {
        return Err(DecodeError::Invalid("the response body is not a JSON object".into()));
    };
    let mut results = match o.remove("results") {
        Some(Value::Array(rows)) => rows,
        other => return Err(no_results(other.is_some())),
    };
    let next = next_of(o.remove("next"))?;
    o.remove("count");
    for row in &mut results {
        normalise(row, fields);
    }
    if let Some((i, w)) = results.iter().enumerate().find_map(|(i, r)| Some((i, wrong_value(shape, r)?))) {
        return Err(w.error(Some(i)));
    }
    let mut page = serde_json::Map::new();
    page.insert("count".into(), results.len().into());
    page.insert("next".into(), next.clone().map_or(Value::Null, Value::String));
    page.insert("results".into(), Value::Array(results));
    page.extend(o);
    Ok(Output { json: Value::Object(page).to_string(), next })
}

/// A page without its `results` array: `present` when there is a `results` that is not one.
pub(crate) fn no_results(present: bool) -> DecodeError {
    DecodeError::Invalid(if present { "the response's \"results\" is not an array" } else { "the response has no \"results\" array" }.into())
}

/// A page's next-page URL from its `next` member: a string, `""` and null (or none) meaning
/// there is none.
pub(crate) fn next_of(next: Option<Value>) -> Result<Option<String>, DecodeError> {
    match next {
        Some(Value::String(s)) => Ok(Some(s).filter(|s| !s.is_empty())),
        None | Some(Value::Null) => Ok(None),
        Some(_) => Err(DecodeError::Invalid("the response's \"next\" is neither a string nor null".into())),
    }
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
        let sms = r#"{"id":5,"from":"+1","to":"+2","text":"t","direction":"outbound","created_at":null}"#;
        assert_eq!(
            page(Kind::Sms, &format!(r#"{{"results":[{sms}]}}"#)).unwrap(),
            serde_json::json!({"count":1,"next":null,"results":[{"id":"5","from":"+1","to":"+2","text":"t","direction":"outbound","created_at":null}]})
        );
        assert_eq!(page(Kind::Sms, &format!(r#"{{"results":[{sms},1,"x"]}}"#)), Err(DecodeError::Invalid("results[1]: a record is a number".into())));
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
    fn records_are_held_to_their_type() {
        let object = |k: Kind, body: &str| decode(Decode::Object(k), body.as_bytes());
        let field = |r: Result<Output, DecodeError>| match r {
            Err(DecodeError::Field(f, m)) => (f, m),
            other => panic!("expected a field error, got {other:?}"),
        };
        // The issue's case: sms.send answered {"ok": true}.
        assert_eq!(field(object(Kind::SmsSent, r#"{"ok":true}"#)), ("success".into(), "\"success\" is missing".into()));
        assert_eq!(field(object(Kind::SmsSent, r#"{"success":true,"segments":1}"#)).0, "id");
        assert_eq!(field(object(Kind::SmsSent, r#"{"success":true,"id":"1"}"#)).0, "segments");
        assert_eq!(field(object(Kind::SmsSent, r#"{"success":true,"id":"1","segments":null}"#)), ("segments".into(), "\"segments\" is null".into()));
        assert!(object(Kind::SmsSent, r#"{"success":"true","id":12,"segments":"2","extra":{"x":1}}"#).is_ok(), "loose spellings and unknown fields pass");
        // A field kept as sent must have its type's JS type.
        assert_eq!(field(object(Kind::Webhook, r#"{"id":"1","event":5,"hook_url":"https://x","created_at":null}"#)), ("event".into(), "\"event\" is a number where a string was expected".into()));
        assert_eq!(field(object(Kind::Recording, r#"{"url":null}"#)).0, "url");
        assert_eq!(field(object(Kind::Agent, r#"{"email":"a@b","fullname":"A","created_at":null,"last_update":null,"last_connection":null,"is_admin":"maybe"}"#)).0, "phone_number");
        // Optional where the contract is unsure: a contact needs only what the documented model has.
        assert!(object(Kind::Contact, r#"{"phone":"+15551234567","contact_name":null,"email":null,"city":null,"country_code":null}"#).is_ok());
        assert_eq!(field(object(Kind::Contact, r#"{"phone":"+15551234567","contact_name":null,"email":null,"city":null}"#)).0, "country_code");
        assert!(object(Kind::Voicemail, r#"{"id":"7","created_at":"2017-06-27 19:24:10"}"#).is_ok());
        // Pages: each row, named by its index; a row that is not an object is refused.
        let p = |body: &str| decode(Decode::Page(Kind::Webhook), body.as_bytes());
        let row = r#"{"id":"1","event":"new_sms","hook_url":"https://x","created_at":null}"#;
        assert!(p(&format!(r#"{{"results":[{row},{row}]}}"#)).is_ok());
        assert_eq!(field(p(&format!(r#"{{"results":[{row},{{"id":"2"}}]}}"#))), ("event".into(), "results[1]: \"event\" is missing".into()));
        assert_eq!(p(&format!(r#"{{"results":[{row},5]}}"#)).err(), Some(DecodeError::Invalid("results[1]: a record is a number".into())));
        // A repeated key: the last one counts, as for JSON.parse.
        assert!(object(Kind::Recording, r#"{"url":null,"url":"https://x"}"#).is_ok());
        assert_eq!(field(object(Kind::Recording, r#"{"url":"https://x","url":null}"#)).0, "url");
        // What serde_json cannot read but JSON.parse can leaves a record unchecked, not refused.
        assert!(object(Kind::Recording, r#"{"url":"https://x","n":1e999}"#).is_ok());
    }

    #[test]
    fn expectations_are_read_off_the_typescript_types() {
        let e = |ts, strict| {
            let x = Expect::of("f", ts, strict);
            (x.required, x.nullable, x.js)
        };
        assert_eq!(e(": string", true), (true, false, Some(Js::String)));
        assert_eq!(e("?: Phone | null", true), (false, true, Some(Js::String)));
        assert_eq!(e(": \"inbound\" | \"outbound\" | string", true), (true, false, Some(Js::String)));
        assert_eq!(e(": number | null", false), (true, true, None), "a loose kind keeps what it does not know");
        assert_eq!(e(": number", true), (true, false, Some(Js::Number)));
        assert_eq!(e(": unknown", true), (true, true, None));
        assert_eq!(e("?: Sms", true), (false, false, None));
        assert_eq!(e(": string | number", true), (true, false, None), "a union of JS types is not checked");
        assert_eq!(e(": boolean", false), (true, false, None));
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

/// The streaming page decoder (`page.rs`) against the whole-`Value` one it replaced.
#[cfg(test)]
mod page_equivalence {
    use super::*;

    const KINDS: [Kind; 8] = [Kind::Agent, Kind::Contact, Kind::Sms, Kind::SmsSent, Kind::Voicemail, Kind::CallRecord, Kind::Recording, Kind::Webhook];

    /// The new decoder's output read as JSON is the reference's (`JSON.parse` reads both the
    /// same: member order is not compared, nor how a value is spelled); its errors are the
    /// reference's, but for the bodies `page.rs` says it reads as `JSON.parse` does.
    fn agree(new: Result<Output, DecodeError>, old: Result<Output, DecodeError>, body: &[u8], what: &str) {
        let show = || format!("{what} {}", String::from_utf8_lossy(body));
        match (new, old) {
            (Ok(n), Ok(o)) => {
                let read = |j: &str| serde_json::from_str::<Value>(j).unwrap_or_else(|e| panic!("{e} in {j} from {}", show()));
                assert_eq!(read(&n.json), read(&o.json), "{}", show());
                assert_eq!(n.next, o.next, "{}", show());
            }
            (Err(n), Err(o)) => assert!(n == o || json_parse_reads(body), "{}: {n:?} now, {o:?} from the reference", show()),
            (Ok(n), Err(o)) => assert!(json_parse_reads(body), "{}: {o:?} from the reference, Ok({}) now", show(), n.json),
            (Err(n), Ok(o)) => panic!("{}: {n:?} now, Ok({}) from the reference", show(), o.json),
        }
    }

    /// Whether the body holds what serde_json's `Value` refuses and `JSON.parse` reads: a number
    /// beyond f64, a lone surrogate escape, nesting past serde_json's recursion limit.
    fn json_parse_reads(body: &[u8]) -> bool {
        let t = String::from_utf8_lossy(body);
        let (_, deepest) = t.chars().fold((0i32, 0i32), |(d, m), c| match c {
            '[' | '{' => (d + 1, m.max(d + 1)),
            ']' | '}' => (d - 1, m),
            _ => (d, m),
        });
        t.contains("e400") || t.contains("\\ud800\"") || deepest > 100
    }

    fn same(body: &[u8], kind: Kind) {
        let fields = normaliser(kind);
        agree(crate::page::page_of(body, fields, shape(kind)), page_of_whole(body, fields, shape(kind)), body, &format!("page {kind:?}"));
    }

    fn same_object(body: &[u8], kind: Kind) {
        let fields = normaliser(kind);
        agree(crate::page::object_of(body, fields, shape(kind)), object_of_whole(body, fields, shape(kind)), body, &format!("object {kind:?}"));
    }

    /// Raw JSON values: loose and typed, escapes, unicode, nesting, numbers serde_json rewrites.
    const VALUES: &[&str] = &[
        "null", "true", "false", "0", "1", "-0", "22", "-7", "\"22\"", "\" 42 \"", "\"007\"", "\"+5\"", "\"1e3\"", "\"yes\"", "\"NO\"",
        "\"\"", "\"  \"", "\"maybe\"", "1.0", "1e3", "1E+05", "-3.5e-2", "0.1", "123456789012345678901234567890", "18446744073709551615",
        "-9223372036854775808", "\"2017-06-27 19:24:10\"", "\"2017-06-27T21:24:10.25+02:00\"", "\"2017-02-30 00:00:00\"",
        "\"2017-06-27\\u002019:24:10\"", "\"caf\\u00e9 \\\"q\\\" \\/ \\n\\t\\\\\"", "\"héllo ✓ 😀\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"",
        "\"\\u0074rue\"", "[1,\"x\",{\"y\":null}]", "{\"a\":{\"b\":[true,\"2017-06-27 19:24:10\",1.50]},\"a\":2,\"c\":\"\\u00e9\"}",
        "[]", "{}", "[ 1 , [ 2 , { } ] ]", "12903", "\"12903\"", "\"+15553456789\"", "{\"id\":5,\"created_at\":\"2017-06-27 19:24:10\"}",
    ];
    const UNKNOWN: &[&str] = &["x", "extra_field", "ünï", "k\\\"q", "\\u0078", "dup", "results", "next", "count", ""];
    const SPACE: &[&str] = &["", " ", "\n", "\t ", "\r\n  "];

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.next(from.len())]
        }
    }

    fn row(r: &mut Lcg, fields: Normalise) -> String {
        if r.next(20) == 0 {
            return r.pick(VALUES).to_string();
        }
        let mut keys: Vec<String> = Vec::new();
        for (name, _) in fields {
            if r.next(5) > 0 {
                keys.push(name.to_string());
            }
        }
        for _ in 0..r.next(4) {
            keys.push(r.pick(UNKNOWN).to_string());
        }
        if !keys.is_empty() && r.next(8) == 0 {
            // A repeated key.
            let k = keys[r.next(keys.len())].clone();
            keys.push(k);
        }
        // Not the declared order: the server's order is kept.
        for i in (1..keys.len()).rev() {
            if r.next(3) == 0 {
                keys.swap(i, r.next(i + 1));
            }
        }
        let members: Vec<String> = keys.iter().map(|k| format!("{s}\"{k}\"{s}:{s}{v}{s}", s = r.pick(SPACE), v = r.pick(VALUES))).collect();
        format!("{{{}}}", members.join(","))
    }

    fn body(r: &mut Lcg, fields: Normalise, rows: usize) -> String {
        let rows: Vec<String> = (0..rows).map(|_| row(r, fields)).collect();
        let mut top = vec![format!("\"results\":{s}[{}]{s}", rows.join(&format!(",{}", r.pick(SPACE))), s = r.pick(SPACE))];
        for (k, v) in [("count", "3"), ("next", "\"https://api.toky.co/v1/x?offset=20\""), ("next", "null"), ("next", "\"\""), ("next", "\"a\\u0026b\""), ("success", "true"), ("success", "\"yes\""), ("meta", "{\"z\":[1,2.5,\"\\n\"]}"), ("ünï", "\"v\"")] {
            if r.next(3) == 0 {
                top.insert(r.next(top.len() + 1), format!("\"{k}\":{v}"));
            }
        }
        let bom = if r.next(6) == 0 { "\u{FEFF}" } else { "" };
        format!("{bom}{s}{{{}}}{s}", top.join(","), s = r.pick(SPACE))
    }

    #[test]
    fn generated_pages_match_the_reference() {
        let mut r = Lcg(12);
        for i in 0..3000 {
            let kind = KINDS[i % KINDS.len()];
            let n = r.next(6);
            same(body(&mut r, normaliser(kind), n).as_bytes(), kind);
        }
    }

    #[test]
    fn generated_objects_match_the_reference() {
        let mut r = Lcg(34);
        for i in 0..4000 {
            let kind = KINDS[i % KINDS.len()];
            let mut o = row(&mut r, normaliser(kind));
            if r.next(4) == 0 {
                // Toky's envelope members on a record: success (loose), an error message.
                let extra = ["\"success\":true", "\"success\":false", "\"success\":\"false\"", "\"success\":\"no\"", "\"success\":0", "\"success\":\"maybe\"", "\"error_message\":\"m\""];
                o = format!("{{{},{}", r.pick(&extra), o.strip_prefix('{').unwrap_or(&o));
            }
            let bom = if r.next(6) == 0 { "\u{FEFF}" } else { "" };
            same_object(format!("{bom}{s}{o}{s}", s = r.pick(SPACE)).as_bytes(), kind);
        }
    }

    #[test]
    fn envelopes_and_errors_match_the_reference() {
        let deep = |n: usize| format!("{{\"results\":[{{\"x\":{}1{}}}]}}", "[".repeat(n), "]".repeat(n));
        let mut bodies: Vec<String> = [
            r#"{"results":[]}"#, r#"{"results":[],"results":[{"id":1}]}"#, r#"{"results":5,"results":[{"id":1}]}"#,
            r#"{"results":[{"id":1}],"results":{"a":[1]}}"#, r#"{"results":[1,"x",{"id":5},null,[{"id":3}],2.5,-1,"a\nb"]}"#,
            r#"{"count":0}"#, r#"{"results":{}}"#, r#"{"results":"x"}"#, r#"{"results":null}"#, r#"{"results":true}"#, r#"{"results":-1.5}"#,
            r#"{"results":[],"next":5}"#, r#"{"results":[],"next":{}}"#, r#"[]"#, r#""x""#, "null", "", " ", r#"{"results":["#, r#"{"results":[]} x"#,
            r#"{"results":[],}"#, r#"{"results":[{"id":1,}]}"#, r#"{"results":[{"id":01}]}"#, r#"{"results":[{"x":"\q"}]}"#,
            r#"{"results":[{"x":"\ud800"}]}"#, r#"{"results":[{"x":1e400}]}"#, "{\"results\":[{\"x\":\"\u{1}\"}]}",
            r#"{"success":"false","error_message":"no","results":[]}"#, r#"{"results":[{"id":1}],"success":false,"error":{"message":"m"}}"#,
            r#"{"success":true,"success":"no","results":[]}"#, r#"{"success":"maybe","results":[]}"#, r#"{"success":0,"results":[]}"#,
            r#"{"results":[{"id":1,"id":"2","x":1,"x":[2]}],"m":1,"m":{"k":2}}"#, r#"{"re\u0073ults":[{"\u0069d":7}]}"#,
            "\u{FEFF}{\"results\":[]}", "\u{FEFF}\u{FEFF}{\"results\":[]}", " \n{ \"results\" : [ { \"id\" : 1 } ] } \n",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in [120, 124, 125, 126, 127, 128, 200] {
            bodies.push(deep(n));
            bodies.push(format!("{{\"results\":[{}1{}]}}", "[".repeat(n), "]".repeat(n)));
            bodies.push(format!("{{\"m\":{}1{},\"results\":[]}}", "[".repeat(n), "]".repeat(n)));
        }
        for n in [120, 126, 127, 128, 129, 200] {
            bodies.push(format!("{{\"x\":{}1{}}}", "[".repeat(n), "]".repeat(n)));
        }
        for b in &bodies {
            for kind in KINDS {
                same(b.as_bytes(), kind);
                same_object(b.as_bytes(), kind);
            }
        }
        let mut invalid = br#"{"results":[{"id":1,"x":"ab"}]}"#.to_vec();
        invalid[23] = 0xff;
        same(&invalid, Kind::Contact);
        same_object(&invalid, Kind::Contact);
    }

    #[test]
    fn prefixes_and_mutations_match_the_reference() {
        let body = br#"{"count":1,"next":"n","results":[{"id":"1","duration":"22","web_call":"yes","init_dt":"2017-07-05 21:46:44","x":[1,{"y":null}],"s":"a\"b"}],"z":{"k":[true]}}"#;
        let record = br#"{"id":"1","duration":"22","web_call":"yes","init_dt":"2017-07-05 21:46:44","x":[1,{"y":null}],"s":"a\"b","success":"true"}"#;
        for n in 0..=body.len() {
            same(&body[..n], Kind::CallRecord);
        }
        for n in 0..=record.len() {
            same_object(&record[..n], Kind::CallRecord);
        }
        for i in 0..body.len() {
            for b in [b'"', b'{', b'[', b'\\', 0xff, b'0', b',', b':', b' ', b'}', b']'] {
                let mut m = body.to_vec();
                m[i] = b;
                same(&m, Kind::CallRecord);
                if i < record.len() {
                    let mut m = record.to_vec();
                    m[i] = b;
                    same_object(&m, Kind::CallRecord);
                }
            }
        }
    }

    /// A contacts page as toky-mock serves it, `rows` long.
    pub(crate) fn contacts_page(rows: usize) -> String {
        let rows: Vec<String> = (0..rows)
            .map(|i| format!(r#"{{"phone":"+1555{i:07}","contact_name":"Contact {i}","first_name":"First{i}","last_name":"Last {i}","email":"contact{i}@example.com","company":"Company \"{}\"","city":"Città","country_code":"US","created_by":"agent@example.com","created_at":"2017-06-27 19:24:10","tags":["a","b"],"notes":null,"score":{i}}}"#, i % 7))
            .collect();
        format!(r#"{{"count":{},"next":"https://api.toky.co/v1/contacts?offset=500&limit=500","results":[{}]}}"#, rows.len(), rows.join(","))
    }

    #[test]
    fn a_contacts_page_matches_the_reference() {
        same(contacts_page(50).as_bytes(), Kind::Contact);
    }

    /// `cargo test --release -p toky-wasm page_timing -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn page_timing() {
        let body = contacts_page(500);
        let fields = normaliser(Kind::Contact);
        for (name, f) in [("reference", page_of_whole as fn(&[u8], Normalise, Shape) -> Result<Output, DecodeError>), ("streaming", crate::page::page_of)] {
            if std::env::var("PAGE_TIMING_ONLY").is_ok_and(|only| only != name) {
                continue;
            }
            let t = std::time::Instant::now();
            for _ in 0..std::env::var("PAGE_TIMING_N").ok().and_then(|n| n.parse().ok()).unwrap_or(200) {
                assert!(f(body.as_bytes(), fields, shape(Kind::Contact)).is_ok());
            }
            println!("{name}: {} bytes, {:.0} µs per page", body.len(), t.elapsed().as_secs_f64() * 1e6 / 200.0);
        }
    }
}
