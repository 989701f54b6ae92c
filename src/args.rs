//! What a caller passed, read and checked before anything is sent.
//!
//! Arguments arrive through serde: in wasm, `serde_wasm_bindgen` reads the JS values themselves
//! (so a function, a symbol or an array where a string belongs is seen as such, not as whatever
//! `JSON.stringify` would have made of it); on the host, `serde_json`. [`Arg`] is the one
//! self-describing form both produce. The typed inputs of each resource (`sms::SmsInput`,
//! `contacts::ContactInput`, ...) are built from it with `TryFrom`, through the checked newtypes
//! below ([`Phone`], [`Email`], [`Id`], [`Text`]), and every failure is a `validation` error that
//! names the field and what was expected.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::Error;

/// One JS argument value as serde saw it. Object keys keep their order; the last duplicate wins.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `null` or `undefined`.
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Arg>),
    Obj(Obj),
    /// A value serde cannot represent (a function, a symbol): its kind, for messages.
    Other(&'static str),
}

pub type Obj = Vec<(String, Arg)>;

impl Arg {
    /// "a number", "null", ... as messages say it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Arg::Null => "null",
            Arg::Bool(_) => "a boolean",
            Arg::Num(_) => "a number",
            Arg::Str(_) => "a string",
            Arg::Arr(_) => "an array",
            Arg::Obj(_) => "an object",
            Arg::Other(k) => k,
        }
    }

    /// The value as JSON, for a raw call's body.
    pub fn to_json(&self) -> Result<serde_json::Value, &'static str> {
        Ok(match self {
            Arg::Null => serde_json::Value::Null,
            Arg::Bool(b) => serde_json::Value::Bool(*b),
            // Whole numbers as integers, so that 5 goes out as `5`, not `5.0`.
            Arg::Num(n) if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 => serde_json::Value::Number((*n as i64).into()),
            Arg::Num(n) => serde_json::Value::Number(serde_json::Number::from_f64(*n).ok_or("a non-finite number")?),
            Arg::Str(s) => serde_json::Value::String(s.clone()),
            Arg::Arr(items) => serde_json::Value::Array(items.iter().map(Arg::to_json).collect::<Result<_, _>>()?),
            Arg::Obj(pairs) => {
                let mut m = serde_json::Map::new();
                for (k, v) in pairs {
                    m.insert(k.clone(), v.to_json()?);
                }
                serde_json::Value::Object(m)
            }
            Arg::Other(k) => return Err(k),
        })
    }
}

struct ArgVisitor;

impl<'de> Visitor<'de> for ArgVisitor {
    type Value = Arg;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_unit<E>(self) -> Result<Arg, E> {
        Ok(Arg::Null)
    }
    fn visit_none<E>(self) -> Result<Arg, E> {
        Ok(Arg::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Arg, D::Error> {
        Arg::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Arg, E> {
        Ok(Arg::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Arg, E> {
        Ok(Arg::Num(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Arg, E> {
        Ok(Arg::Num(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Arg, E> {
        Ok(Arg::Num(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Arg, E> {
        Ok(Arg::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Arg, E> {
        Ok(Arg::Str(v))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Arg, E> {
        Ok(Arg::Other("bytes"))
    }
    fn visit_byte_buf<E>(self, _: Vec<u8>) -> Result<Arg, E> {
        Ok(Arg::Other("bytes"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Arg, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Arg>()? {
            items.push(v);
        }
        Ok(Arg::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Arg, A::Error> {
        let mut pairs: Obj = Vec::new();
        while let Some(k) = map.next_key::<Key>()? {
            let v = map.next_value::<Arg>()?;
            pairs.retain(|(old, _)| *old != k.0);
            pairs.push((k.0, v));
        }
        Ok(Arg::Obj(pairs))
    }
}

/// Object keys: strings, or whatever serde-wasm-bindgen hands over for a symbol key.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        match Arg::deserialize(d)? {
            Arg::Str(s) => Ok(Key(s)),
            other => Err(de::Error::custom(format_args!("object keys must be strings, got {}", other.type_name()))),
        }
    }
}

impl<'de> Deserialize<'de> for Arg {
    /// Never fails on a value it cannot represent: serde-wasm-bindgen reports a function or a
    /// symbol as an invalid type, which becomes `Arg::Other` so the field can be named.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Arg, D::Error> {
        match d.deserialize_any(ArgVisitor) {
            Ok(v) => Ok(v),
            Err(e) => {
                let m = e.to_string();
                if m.contains("Function") || m.contains("function") {
                    Ok(Arg::Other("a function"))
                } else if m.contains("Symbol") || m.contains("symbol") {
                    Ok(Arg::Other("a symbol"))
                } else if m.contains("BigInt") {
                    Ok(Arg::Other("a bigint"))
                } else if m.starts_with("invalid type") {
                    Ok(Arg::Other("an unsupported value"))
                } else {
                    Err(e)
                }
            }
        }
    }
}

/// `what` must be an object (or absent/null, when `optional`); returns its pairs.
pub fn object<'a>(v: Option<&'a Arg>, what: &str, optional: bool) -> Result<&'a [(String, Arg)], Error> {
    match v {
        Some(Arg::Obj(pairs)) => Ok(pairs),
        None | Some(Arg::Null) if optional => Ok(&[]),
        other => Err(Error::field(what, &got("expected an object", other))),
    }
}

/// Rejects keys the operation does not know: a misspelt field must not be silently ignored.
pub fn only(obj: &[(String, Arg)], allowed: &[&str]) -> Result<(), Error> {
    for (k, _) in obj {
        if !allowed.contains(&k.as_str()) {
            return Err(Error::field(k, &format!("unknown field; expected one of {}", allowed.join(", "))));
        }
    }
    Ok(())
}

/// The value of `key`. `undefined` counts as absent, as it does for JSON.stringify.
pub fn get<'a>(obj: &'a [(String, Arg)], key: &str) -> Option<&'a Arg> {
    obj.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// "expected X, got a number" / "got \"abc\"".
pub fn got(expected: &str, v: Option<&Arg>) -> String {
    let shown = match v {
        None => "nothing".to_string(),
        Some(Arg::Str(s)) if s.is_empty() => "an empty string".to_string(),
        // Quote short values so the caller sees what was wrong; long ones (message texts,
        // pasted blobs) only by kind.
        Some(Arg::Str(s)) if s.chars().count() > 40 => format!("a string of {} characters", s.chars().count()),
        Some(Arg::Str(s)) => serde_json::to_string(s).unwrap_or_default(),
        Some(other) => other.type_name().to_string(),
    };
    format!("{expected}, got {shown}")
}

/// A string field. `expected` describes the whole expectation for the message.
pub fn string<'a>(obj: &'a [(String, Arg)], key: &str, required: bool, expected: &str) -> Result<Option<&'a str>, Error> {
    match get(obj, key) {
        Some(Arg::Str(s)) => Ok(Some(s)),
        None | Some(Arg::Null) if !required => Ok(None),
        // A missing required field reads "got nothing"; an explicit null "got null".
        other => Err(Error::field(key, &got(expected, other))),
    }
}

/// A non-empty string of at most `max` characters.
pub fn text<'a>(obj: &'a [(String, Arg)], key: &str, required: bool, max: usize) -> Result<Option<&'a str>, Error> {
    let expected = "expected a non-empty string";
    let v = string(obj, key, required, expected)?;
    if let Some(s) = v {
        if s.trim().is_empty() {
            return Err(Error::field(key, &got(expected, get(obj, key))));
        }
        if s.chars().count() > max {
            return Err(Error::field(key, &got(&format!("expected at most {max} characters"), get(obj, key))));
        }
    }
    Ok(v)
}

pub const PHONE_EXPECTED: &str = "expected a phone number in E.164 form: + then 8 to 15 digits, e.g. +15551234567";
pub const EMAIL_EXPECTED: &str = "expected an email address like agent@example.com";
pub const ID_EXPECTED: &str = "expected a non-empty string id";

/// An E.164 phone number: `+`, then 8–15 digits, the first not 0.
pub fn is_e164(s: &str) -> bool {
    match s.as_bytes().split_first() {
        Some((b'+', digits)) => {
            (8..=15).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) && digits.first() != Some(&b'0')
        }
        _ => false,
    }
}

/// A plausible email address: one `@`, a non-empty local part, a dotted domain, no spaces.
/// Deliverability is the server's business; this catches typos and swapped fields.
pub fn is_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
}

/// A phone number in E.164 form.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Phone(pub String);

/// An email address.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Email(pub String);

/// An id that becomes exactly one path segment.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Id(pub String);

/// A field of an argument object: its name (for messages) and its value, if given.
pub struct Field<'a> {
    pub name: &'a str,
    pub value: Option<&'a Arg>,
}

impl<'a> Field<'a> {
    pub fn of(obj: &'a [(String, Arg)], name: &'a str) -> Field<'a> {
        Field { name, value: get(obj, name) }
    }

    fn fail(&self, expected: &str) -> Error {
        Error::field(self.name, &got(expected, self.value))
    }

    /// The string, or the error "name: expected ..., got ...".
    fn str(&self, expected: &str) -> Result<&'a str, Error> {
        match self.value {
            Some(Arg::Str(s)) => Ok(s),
            _ => Err(self.fail(expected)),
        }
    }

    /// Absent or null: None. Anything else must convert.
    pub fn optional<T>(self) -> Result<Option<T>, Error>
    where
        T: TryFrom<Field<'a>, Error = Error>,
    {
        match self.value {
            None | Some(Arg::Null) => Ok(None),
            Some(_) => T::try_from(self).map(Some),
        }
    }
}

impl<'a> TryFrom<Field<'a>> for Phone {
    type Error = Error;
    fn try_from(f: Field<'a>) -> Result<Phone, Error> {
        let s = f.str(PHONE_EXPECTED)?;
        if is_e164(s) {
            Ok(Phone(s.to_owned()))
        } else {
            Err(f.fail(PHONE_EXPECTED))
        }
    }
}

impl<'a> TryFrom<Field<'a>> for Email {
    type Error = Error;
    fn try_from(f: Field<'a>) -> Result<Email, Error> {
        let s = f.str(EMAIL_EXPECTED)?;
        if is_email(s) {
            Ok(Email(s.to_owned()))
        } else {
            Err(f.fail(EMAIL_EXPECTED))
        }
    }
}

impl<'a> TryFrom<Field<'a>> for Id {
    type Error = Error;
    /// Non-empty, at most 256 bytes, no control characters, and not `.` or `..`: those would be
    /// resolved away by the URL parser instead of naming a record.
    fn try_from(f: Field<'a>) -> Result<Id, Error> {
        let s = f.str(ID_EXPECTED)?;
        // In any spelling: `%2e` or `.%2E` would be a literal segment once encoded again, but a
        // server or proxy that decodes before routing would see a dot segment.
        let decoded = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
        if decoded == "." || decoded == ".." {
            return Err(Error::field(f.name, &format!("expected an id, got {s:?}: a dot segment cannot name a record")));
        }
        if s.is_empty() || s.len() > 256 || s.chars().any(char::is_control) {
            return Err(f.fail(ID_EXPECTED));
        }
        Ok(Id(s.to_owned()))
    }
}

/// A phone used as a path segment (contacts are keyed by phone).
impl From<Phone> for Id {
    fn from(p: Phone) -> Id {
        Id(p.0)
    }
}

/// A required field: "name: expected ..., got nothing" when absent.
pub fn required<'a, T>(obj: &'a [(String, Arg)], name: &'a str) -> Result<T, Error>
where
    T: TryFrom<Field<'a>, Error = Error>,
{
    T::try_from(Field::of(obj, name))
}

/// An optional field: absent or null is None.
pub fn optional<'a, T>(obj: &'a [(String, Arg)], name: &'a str) -> Result<Option<T>, Error>
where
    T: TryFrom<Field<'a>, Error = Error>,
{
    Field::of(obj, name).optional()
}

/// An integer field within `min..=max`.
pub fn int(obj: &[(String, Arg)], key: &str, min: u64, max: u64) -> Result<Option<u64>, Error> {
    let v = get(obj, key);
    match v {
        None | Some(Arg::Null) => Ok(None),
        Some(Arg::Num(n)) if n.fract() == 0.0 && *n >= min as f64 && *n <= max as f64 => Ok(Some(*n as u64)),
        other => {
            let range = if max == u64::MAX { format!("expected an integer from {min} up") } else { format!("expected an integer from {min} to {max}") };
            let shown = match other {
                // The number itself: "got 501" says more than "got a number".
                Some(Arg::Num(n)) => match Arg::Num(*n).to_json() {
                    Ok(j) => format!("{range}, got {j}"),
                    Err(_) => format!("{range}, got a number that is not finite"),
                },
                other => got(&range, other),
            };
            Err(Error::field(key, &shown))
        }
    }
}

/// A boolean field.
pub fn boolean(obj: &[(String, Arg)], key: &str) -> Result<Option<bool>, Error> {
    match get(obj, key) {
        None | Some(Arg::Null) => Ok(None),
        Some(Arg::Bool(b)) => Ok(Some(*b)),
        other => Err(Error::field(key, &got("expected true or false", other))),
    }
}

/// An absolute http(s) URL with a host and nothing that would make servers read it differently.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        s.get(8..)
    } else if lower.starts_with("http://") {
        s.get(7..)
    } else {
        None
    };
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    s.len() <= 2048 && !host.is_empty() && !host.starts_with(':') && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
pub(crate) fn parse(s: &str) -> Arg {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("bad test input {s}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(s: &str) -> Obj {
        match parse(s) {
            Arg::Obj(p) => p,
            _ => panic!("not an object: {s}"),
        }
    }

    #[test]
    fn phones() {
        for ok in ["+15551234567", "+34911234567", "+4420712345", "+12345678", "+123456789012345"] {
            assert!(is_e164(ok), "{ok}");
        }
        for bad in [
            "", "+", "15551234567", "+1555123456789012", "+1234567", "+0123456789", "+1 555 123 4567",
            "+1555-123-4567", "++15551234567", "+1555123456a", "＋15551234567",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "agent@mail.com", "first.last+tag@sub.example.org"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@", "@b.co", "a@b", "a b@c.de", "a@b..co", "a@@b.co", "a@-b.co"] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in ["https://example.com/hook?t=1", "http://127.0.0.1:8080/x", "HTTPS://EXAMPLE.COM"] {
            assert!(is_http_url(ok), "{ok}");
        }
        for bad in ["", "example.com", "ftp://x.y", "https://", "https:///x", "https://a b.c", "//x.y", "javascript:alert(1)", "https://:80/"] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn wrong_types_are_named() {
        let mut o = obj(r#"{"to": 15551234567, "from": null, "x": [1]}"#);
        o.push(("text".into(), Arg::Other("a function")));
        let e = required::<Phone>(&o, "to").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("to"));
        assert!(e.message.starts_with("to: expected a phone number"), "{}", e.message);
        assert!(e.message.ends_with("got a number"), "{}", e.message);
        assert!(required::<Phone>(&o, "from").unwrap_err().message.ends_with("got null"));
        assert!(text(&o, "text", true, 10).unwrap_err().message.ends_with("got a function"));
        assert!(required::<Phone>(&o, "missing").unwrap_err().message.ends_with("got nothing"));
        assert_eq!(optional::<Phone>(&o, "missing").unwrap(), None);
        let e = only(&o, &["to", "from", "text"]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("x"));
        assert!(e.message.contains("unknown field; expected one of to, from, text"));
    }

    #[test]
    fn ids_are_one_segment() {
        for bad in [".", "..", "", "a\nb"] {
            let o = vec![("id".to_string(), Arg::Str(bad.into()))];
            let e = required::<Id>(&o, "id").unwrap_err();
            assert_eq!(e.field.as_deref(), Some("id"), "{bad:?}");
        }
        for bad in ["%2e", "%2E%2e", ".%2e", "%2e."] {
            let o = vec![("id".to_string(), Arg::Str(bad.into()))];
            assert!(required::<Id>(&o, "id").is_err(), "{bad}: a dot segment in any spelling");
        }
        let o = vec![("id".to_string(), Arg::Str("%252e%252e".into()))];
        assert!(required::<Id>(&o, "id").is_ok(), "doubly escaped: a literal id, encoded again it stays one segment");
    }

    #[test]
    fn strings_are_quoted_when_short_only() {
        let o = obj(r#"{"to": "555-1234"}"#);
        assert!(required::<Phone>(&o, "to").unwrap_err().message.ends_with("got \"555-1234\""));
        let long = "x".repeat(100);
        let o = obj(&format!(r#"{{"to": "{long}"}}"#));
        assert!(required::<Phone>(&o, "to").unwrap_err().message.ends_with("got a string of 100 characters"));
    }

    #[test]
    fn integers() {
        let o = obj(r#"{"a": 1, "b": 500, "c": 0, "d": 501, "e": 1.5, "f": "10", "g": -1, "h": 1e3, "i": 2.0}"#);
        assert_eq!(int(&o, "a", 1, 500).unwrap(), Some(1));
        assert_eq!(int(&o, "b", 1, 500).unwrap(), Some(500));
        assert_eq!(int(&o, "i", 1, 500).unwrap(), Some(2));
        assert_eq!(int(&o, "zz", 1, 500).unwrap(), None);
        for k in ["c", "d", "e", "f", "g", "h"] {
            let e = int(&o, k, 1, 500).unwrap_err();
            assert!(e.message.starts_with(&format!("{k}: expected an integer from 1 to 500, got")), "{}", e.message);
        }
        assert!(int(&o, "c", 1, 500).unwrap_err().message.ends_with("got 0"));
        assert!(int(&o, "e", 1, 500).unwrap_err().message.ends_with("got 1.5"));
        assert!(int(&o, "f", 1, 500).unwrap_err().message.ends_with("got \"10\""));
    }

    #[test]
    fn texts() {
        let o = obj(r#"{"a": "  ", "b": "hi", "c": ""}"#);
        assert!(text(&o, "a", true, 10).is_err());
        assert!(text(&o, "c", true, 10).unwrap_err().message.ends_with("got an empty string"));
        assert_eq!(text(&o, "b", true, 10).unwrap(), Some("hi"));
        assert!(text(&o, "b", true, 1).is_err());
    }

    #[test]
    fn duplicate_keys_last_wins_and_bodies_convert() {
        let o = obj(r#"{"a": 1, "a": 2}"#);
        assert_eq!(o.len(), 1);
        assert_eq!(get(&o, "a"), Some(&Arg::Num(2.0)));
        assert_eq!(parse(r#"{"x":[1,2.5,"s",null,true]}"#).to_json().unwrap().to_string(), r#"{"x":[1,2.5,"s",null,true]}"#);
        assert!(Arg::Other("a function").to_json().is_err());
    }
}
