//! A list page decoded in one streaming pass of serde_json's `Deserializer`, written straight to
//! the output text: no `Value` tree of the rows, no per-row map. Keys and strings without escapes
//! are copied as they stood in the body (serde_json hands them over borrowed, and writes such a
//! string back unchanged), declared fields are read as `Value`s and normalised, everything else
//! (numbers, strings with escapes, nested objects and arrays) is written by serde_json exactly as
//! the `Value` round trip did. The output is byte for byte that of decoding the whole body as a
//! `Value`, normalising each row in place and serialising the `Page` (kept in the tests as the
//! reference): the server's field order, a repeated key keeping its first place and last value,
//! the same depth limit. Any error is left to that decoder's reading of the body (`top`), so the
//! errors are its errors too.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::records::{top, DecodeError, Normalise};
use crate::request::Output;

/// A map key; borrowed when it had no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A value read, to be written out.
enum Val<'de> {
    /// A string that had no escapes, as it stood in the body (serde_json writes it unchanged).
    Str(&'de str),
    /// Text written as is (`null`, `true`, `false`; nothing for what is already written).
    Lit(&'static str),
    /// Anything else, written by serde_json.
    V(Value),
}

fn put(out: &mut String, v: &Val) {
    match v {
        Val::Str(s) => quoted(out, s),
        // A string with nothing to escape (a normalised timestamp, an id) is written as is.
        Val::V(Value::String(s)) if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') => quoted(out, s),
        Val::Lit(s) => out.push_str(s),
        // Writing to a String cannot fail.
        Val::V(v) => {
            let _ = write!(out, "{v}");
        }
    }
}

fn quoted(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    byte(out, b'"');
    out.push_str(s);
    byte(out, b'"');
}

/// Appends one ASCII character (a quote, bracket, comma or colon) as a byte: a `push_str` of
/// one character is a `memory.copy` call and `String::push` encodes a `char`, neither inlined
/// at opt-level "z", and this runs several times per field of every row.
#[inline(always)]
fn byte(out: &mut String, b: u8) {
    debug_assert!(b.is_ascii());
    // SAFETY: an ASCII byte is a whole UTF-8 character, so `out` stays valid UTF-8.
    unsafe { out.as_mut_vec() }.push(b);
}

/// What the pass has read: the rows written so far (the `results` array's text), the
/// envelope's other members, and what typing a row needs.
struct State<'de> {
    out: String,
    count: usize,
    /// The body is an object.
    object: bool,
    /// None: no `results`; Some(false): it is not an array.
    results: Option<bool>,
    /// The envelope's members, `results` as a placeholder: a `Map` as in the whole-`Value`
    /// reading (a repeated key keeps its first place and its last value).
    members: Map<String, Value>,
    fields: Normalise,
    /// One row's members, reused from row to row.
    row: Vec<(Cow<'de, str>, Val<'de>)>,
}

#[derive(Clone, Copy, PartialEq)]
enum At {
    Top,
    Results,
    Row,
    Inner,
}

/// Any value, read as what it is `at` in the page (one visitor for all: smaller wasm).
struct Any<'a, 'de> {
    at: At,
    st: &'a mut State<'de>,
}

impl<'de> DeserializeSeed<'de> for Any<'_, 'de> {
    type Value = Val<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Val<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Any<'_, 'de> {
    type Value = Val<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Val<'de>, E> {
        Ok(Val::Lit("null"))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Val<'de>, E> {
        Ok(Val::Lit(if b { "true" } else { "false" }))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Val<'de>, E> {
        Ok(Val::V(Value::from(n)))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Val<'de>, E> {
        Ok(Val::V(Value::from(n)))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Val<'de>, E> {
        Ok(Val::V(Value::from(n)))
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Val<'de>, E> {
        Ok(Val::Str(s))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Val<'de>, E> {
        Ok(Val::V(Value::String(s.to_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val<'de>, A::Error> {
        if self.at != At::Results {
            return Value::deserialize(SeqAccessDeserializer::new(seq)).map(Val::V);
        }
        let st = self.st;
        // A repeated "results": the last one counts.
        st.results = Some(true);
        st.out.clear();
        st.count = 0;
        byte(&mut st.out, b'[');
        loop {
            let mark = st.out.len();
            if st.count > 0 {
                byte(&mut st.out, b',');
            }
            let Some(v) = seq.next_element_seed(Any { at: At::Row, st: &mut *st })? else {
                st.out.truncate(mark);
                break;
            };
            put(&mut st.out, &v);
            st.count += 1;
        }
        byte(&mut st.out, b']');
        Ok(Val::Lit(""))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Val<'de>, A::Error> {
        let st = self.st;
        match self.at {
            At::Top => {
                st.object = true;
                while let Some(Key(k)) = map.next_key()? {
                    // "results" keeps its place among the members (a placeholder).
                    let v = if k == "results" {
                        st.results = Some(false);
                        map.next_value_seed(Any { at: At::Results, st: &mut *st })?;
                        Value::Null
                    } else {
                        map.next_value()?
                    };
                    st.members.insert(k.into_owned(), v);
                }
                Ok(Val::Lit(""))
            }
            At::Row => {
                // A record: its declared fields normalised, a repeated key in its first place
                // with its last value (as a map keeps it), then written in order.
                st.row.clear();
                while let Some(Key(k)) = map.next_key()? {
                    let v = match st.fields.iter().find(|(name, _)| k == *name) {
                        // A field kept as sent is read like an undeclared one.
                        Some((_, normalise)) if !std::ptr::fn_addr_eq(*normalise, crate::loose::Pass::NORMALISE) => Val::V(normalise(map.next_value()?)),
                        _ => map.next_value_seed(Any { at: At::Inner, st: &mut *st })?,
                    };
                    match st.row.iter_mut().find(|(seen, _)| *seen == k) {
                        Some(slot) => slot.1 = v,
                        None => st.row.push((k, v)),
                    }
                }
                let out = &mut st.out;
                byte(out, b'{');
                for (i, (k, v)) in st.row.iter().enumerate() {
                    if i > 0 {
                        byte(out, b',');
                    }
                    match k {
                        Cow::Borrowed(k) => put(out, &Val::Str(k)),
                        Cow::Owned(k) => put(out, &Val::V(Value::String(k.clone()))),
                    }
                    byte(out, b':');
                    put(out, v);
                }
                byte(out, b'}');
                Ok(Val::Lit(""))
            }
            At::Results | At::Inner => Value::deserialize(MapAccessDeserializer::new(map)).map(Val::V),
        }
    }
}

/// The error of a body the streaming pass could not read, as the whole-body reading gives it.
fn error_of(body: &[u8]) -> DecodeError {
    match top(body) {
        Err(e) => e,
        Ok(Value::Object(_)) => DecodeError::Invalid("the response body could not be decoded".into()),
        Ok(_) => DecodeError::Invalid("the response body is not a JSON object".into()),
    }
}

/// A page body: `{count, next, results, ...}` with each row typed by `fields`.
pub(crate) fn page_of(body: &[u8], fields: Normalise) -> Result<Output, DecodeError> {
    let text = body.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(body);
    // The output is about the body's size: timestamps gain a character, numeric ids two.
    let mut st = State { out: String::with_capacity(text.len() + text.len() / 8 + 16), count: 0, object: false, results: None, members: Map::new(), fields, row: Vec::new() };
    let mut de = serde_json::Deserializer::from_slice(text);
    let read = Any { at: At::Top, st: &mut st }.deserialize(&mut de).and_then(|_| de.end());
    let State { out: rows, count, object: true, results, mut members, .. } = st else {
        return Err(error_of(body));
    };
    if read.is_err() {
        return Err(error_of(body));
    }
    // The same checks in the same order as the whole-body reading.
    if let Some(s) = members.get("success") {
        if crate::loose::to_bool(s.clone()) == Value::Bool(false) {
            return Err(error_of(body));
        }
    }
    match results {
        Some(true) => {}
        Some(false) => return Err(DecodeError::Invalid("the response's \"results\" is not an array".into())),
        None => return Err(DecodeError::Invalid("the response has no \"results\" array".into())),
    }
    // `Map::remove` moves the last member into the place of the one removed: where "results"
    // stood decides where the members after it end up, as in the whole-`Value` reading.
    members.remove("results");
    let next = match members.remove("next") {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        None | Some(Value::Null) | Some(Value::String(_)) => None,
        Some(_) => return Err(DecodeError::Invalid("the response's \"next\" is neither a string nor null".into())),
    };
    members.remove("count");
    let mut json = String::with_capacity(rows.len() + 64);
    let _ = write!(json, "{{\"count\":{count},\"next\":");
    put(&mut json, &Val::V(next.clone().map_or(Value::Null, Value::String)));
    json.push_str(",\"results\":");
    json.push_str(&rows);
    for (k, v) in members {
        json.push(',');
        put(&mut json, &Val::V(Value::String(k)));
        json.push(':');
        put(&mut json, &Val::V(v));
    }
    json.push('}');
    Ok(Output { json, next })
}

/// A single record's body, typed by `fields`: the same streaming pass as a page's row, so the
/// output is byte for byte that of reading the body as a `Value`, normalising it in place and
/// writing it out (`records::object_of_reference` in the tests).
pub(crate) fn object_of(body: &[u8], fields: Normalise) -> Result<Output, DecodeError> {
    let text = body.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(body);
    let mut st = State { out: String::with_capacity(text.len() + 16), count: 0, object: false, results: None, members: Map::new(), fields, row: Vec::new() };
    let mut de = serde_json::Deserializer::from_slice(text);
    let read = Any { at: At::Row, st: &mut st }.deserialize(&mut de).and_then(|v| de.end().map(|_| v));
    // Only an object writes itself out (and leaves nothing to write).
    let (Ok(Val::Lit("")), true) = (read, st.out.starts_with('{')) else {
        return Err(error_of(body));
    };
    // `{"success": false, ...}` (loosely false) is Toky's failure, with its message.
    if let Some((_, v)) = st.row.iter().rev().find(|(k, _)| k == "success") {
        let v = match v {
            Val::Str(s) => Value::String((*s).to_owned()),
            Val::Lit(l) => serde_json::from_str(l).unwrap_or(Value::Null),
            Val::V(v) => v.clone(),
        };
        if crate::loose::to_bool(v) == Value::Bool(false) {
            return Err(error_of(body));
        }
    }
    Ok(Output { json: st.out, next: None })
}
