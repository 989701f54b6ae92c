//! A response body typed in one streaming pass of serde_json's `Deserializer`, by editing it:
//! the output is the body's own text with the value of each declared field replaced by its
//! normalised form (and the page's `count` and `next` set), copied in a few long runs. Every
//! value that stays as sent is skipped by serde_json (`IgnoredAny`: checked, not built). Where a
//! value to replace stands is known from serde_json itself: a string without escapes is handed
//! over borrowed from the body, and a `null`, `true`, `false` or integer is found right after
//! its (borrowed) key, checked to be exactly its text. A body with a value to replace that is
//! neither (an escaped string, a float, a key with escapes: rare) is decoded as a whole `Value`
//! instead (`records::page_of_whole`), which is also the reference the tests hold this to.
//!
//! `JSON.parse` of the output gives what `JSON.parse` of the whole-`Value` decoding gives: the
//! same members, a repeated key with its last value, every declared field normalised. What may
//! differ is text `JSON.parse` reads the same way (whitespace, escapes, `1E+05` for
//! `100000.0`) and key order (the server's, envelope included). Bodies the whole decoding
//! refuses are refused with its errors; three kinds serde_json's `Value` refuses but
//! `JSON.parse` reads are now read as `JSON.parse` (and so `res.json()`) reads them, inside a
//! value that stays as sent: a number beyond f64 (`Infinity`), a lone surrogate escape, and
//! nesting past serde_json's recursion limit.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::records::{js_of, next_of, no_results, object_of_whole, page_of_whole, top, wrong, DecodeError, Js, Normalise, Shape, Wrong};
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

/// A value read where it may have to be replaced.
pub(crate) enum Got<'de> {
    /// A string without escapes, borrowed from the body (so its place there is known).
    Str(&'de str),
    /// `null`, a boolean or an integer: its text is exactly what serde_json writes for it.
    Lit(Value),
    /// Anything else: an escaped string, a float, an array or an object.
    Other(Value),
}

impl Got<'_> {
    pub(crate) fn value(&self) -> Value {
        match self {
            Got::Str(s) => Value::String((*s).to_owned()),
            Got::Lit(v) | Got::Other(v) => v.clone(),
        }
    }
}

/// Reads any value as a `Got`.
pub(crate) struct Capture;

impl<'de> DeserializeSeed<'de> for Capture {
    type Value = Got<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Got<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Capture {
    type Value = Got<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Got<'de>, E> {
        Ok(Got::Lit(Value::Null))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Got<'de>, E> {
        Ok(Got::Lit(Value::Bool(b)))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Got<'de>, E> {
        Ok(Got::Lit(Value::from(n)))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Got<'de>, E> {
        Ok(Got::Lit(Value::from(n)))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Got<'de>, E> {
        Ok(Got::Other(Value::from(n)))
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Got<'de>, E> {
        Ok(Got::Str(s))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Got<'de>, E> {
        Ok(Got::Other(Value::String(s.to_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Got<'de>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Got::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Got<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Got::Other)
    }
}

/// What the pass has found: the replacements (spans of the body and their new text, kept in
/// one string) and, for a page, its envelope.
struct State<'de> {
    body: &'de str,
    /// (start, end) of a span of `body`, and (from, to) of its replacement in `text`.
    edits: Vec<(usize, usize, usize, usize)>,
    text: String,
    /// The declared fields to normalise (not those kept as sent, which are skipped like
    /// undeclared ones).
    fields: Vec<crate::records::Field>,
    /// The body is an object.
    object: bool,
    /// The last `success` member (of the envelope, or of a single record).
    success: Option<Value>,
    /// The last `results`: None when absent, Some(None) when not an array, else its length.
    results: Option<Option<usize>>,
    /// The envelope's `count` and `next` members: their edits (indices into `edits`, whose
    /// text is written once the page is read), and the last `next`.
    counts: Vec<usize>,
    nexts: Vec<usize>,
    next: Option<Value>,
    /// A value to replace whose place is not known: the body is decoded whole instead.
    whole: bool,
    /// The record type (`records::wrong`), the index of the row being read, and the first row
    /// (of the last `results`) that breaks its type: (row, field, what is wrong).
    shape: Shape,
    row: usize,
    wrong: Option<(Option<usize>, Wrong)>,
}

impl<'de> State<'de> {
    /// Notes what is wrong with the row being read (a page's) or the record, unless an earlier
    /// row already broke its type.
    fn note(&mut self, at: At, w: Option<Wrong>) {
        if let (None, Some(w)) = (&self.wrong, w) {
            self.wrong = Some(((at == At::Row).then_some(self.row), w));
        }
    }

    /// Where `s`, borrowed from `body`, starts in it.
    fn offset(&self, s: &str) -> usize {
        (s.as_ptr() as usize).wrapping_sub(self.body.as_ptr() as usize)
    }

    /// Where the value read after `key` stands: a borrowed string (its quotes included), or a
    /// literal found right after the key and its colon and checked to be exactly its JSON text.
    /// None when that cannot be known (a key with escapes, an escaped string, a float, ...).
    // The key as a `Cow`: only a borrowed one (no escapes) has a place in the body.
    #[allow(clippy::ptr_arg)]
    fn span(&self, key: &Cow<'de, str>, got: &Got<'de>) -> Option<(usize, usize)> {
        match got {
            Got::Str(s) => {
                let start = self.offset(s).checked_sub(1)?;
                Some((start, start + s.len() + 2))
            }
            Got::Lit(v) => {
                let Cow::Borrowed(k) = key else { return None };
                // After the key's closing quote: JSON whitespace, the colon, whitespace, the value.
                let after = self.body.get(self.offset(k) + k.len() + 1..)?;
                let rest = after.trim_ascii_start().strip_prefix(':')?.trim_ascii_start();
                let start = self.body.len() - rest.len();
                let text = v.to_string();
                rest.starts_with(&text).then(|| (start, start + text.len()))
            }
            Got::Other(_) => None,
        }
    }

    /// Replaces the text at `span` with `v` as JSON.
    fn replace(&mut self, (start, end): (usize, usize), v: &Value) {
        let (from, to) = self.write(v);
        self.edits.push((start, end, from, to));
    }

    /// Appends `v` as JSON to `text`; where it is there.
    fn write(&mut self, v: &Value) -> (usize, usize) {
        let from = self.text.len();
        push_json(&mut self.text, v);
        (from, self.text.len())
    }

    /// An edit at `span` whose text is given later (`fill`): the envelope's, known once the
    /// page is read, in its place among the rows' edits (so they stay in the body's order).
    fn placeholder(&mut self, (start, end): (usize, usize)) -> usize {
        self.edits.push((start, end, 0, 0));
        self.edits.len() - 1
    }

    fn fill(&mut self, edit: usize, v: &Value) {
        let (from, to) = self.write(v);
        if let Some(e) = self.edits.get_mut(edit) {
            (e.2, e.3) = (from, to);
        }
    }

    /// The body with its replacements.
    fn apply(self) -> String {
        let mut out = String::with_capacity(self.body.len() + self.text.len());
        let mut copied = 0;
        for (start, end, from, to) in self.edits {
            out.push_str(self.body.get(copied..start).unwrap_or_default());
            out.push_str(self.text.get(from..to).unwrap_or_default());
            copied = end;
        }
        out.push_str(self.body.get(copied..).unwrap_or_default());
        out
    }
}

#[derive(Clone, Copy, PartialEq)]
enum At {
    Top,
    Results,
    /// A page's row.
    Row,
    /// A single record (a row whose `success` counts).
    Record,
}

/// Any value, read as what it is `at` in the body (one visitor for all: smaller wasm).
struct Pass<'a, 'de> {
    at: At,
    st: &'a mut State<'de>,
}

impl Pass<'_, '_> {
    /// A value that is not an object: as a page's row, a record that is not one.
    fn scalar(self, js: Js) {
        if self.at == At::Row {
            self.st.note(At::Row, Some(Wrong::not_a_record(js)));
        }
    }
}

impl<'de> DeserializeSeed<'de> for Pass<'_, 'de> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Pass<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(Js::Null);
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar(Js::Boolean);
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar(Js::Number);
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar(Js::Number);
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar(Js::Number);
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar(Js::String);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.at != At::Results {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            self.scalar(Js::Array);
            return Ok(());
        }
        let st = self.st;
        // A repeated "results": the last one counts, its rows' types too.
        st.wrong = None;
        let mut rows = 0;
        st.row = 0;
        while seq.next_element_seed(Pass { at: At::Row, st: &mut *st })?.is_some() {
            rows += 1;
            st.row = rows;
        }
        // A repeated "results": the last one counts.
        st.results = Some(Some(rows));
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let st = self.st;
        match self.at {
            At::Top => {
                st.object = true;
                while let Some(Key(k)) = map.next_key()? {
                    match &*k {
                        "results" => {
                            st.results = Some(None);
                            map.next_value_seed(Pass { at: At::Results, st: &mut *st })?;
                        }
                        "count" | "next" => {
                            let got = map.next_value_seed(Capture)?;
                            let Some(span) = st.span(&k, &got) else {
                                st.whole = true;
                                continue;
                            };
                            let edit = st.placeholder(span);
                            if k == "count" {
                                st.counts.push(edit);
                            } else {
                                st.nexts.push(edit);
                                st.next = Some(got.value());
                            }
                        }
                        "success" => st.success = Some(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
            }
            At::Row | At::Record => {
                st.object = true;
                // The JS type of each declared field, by `shape` (a repeated key: the last).
                let mut got = vec![None; st.shape.len()];
                while let Some(Key(k)) = map.next_key()? {
                    let declared = st.shape.iter().position(|e| k == e.name);
                    let normalise = st.fields.iter().find(|(name, _)| k == *name).map(|f| f.1);
                    let success = self.at == At::Record && k == "success";
                    let Some(f) = normalise else {
                        if success {
                            let v: Value = map.next_value()?;
                            if let Some(i) = declared {
                                got[i] = Some(js_of(&v));
                            }
                            st.success = Some(v);
                        } else if let Some(i) = declared {
                            // Kept as sent: only its type is read.
                            got[i] = Some(match map.next_value_seed(Capture)? {
                                Got::Str(_) => Js::String,
                                Got::Lit(v) | Got::Other(v) => js_of(&v),
                            });
                        } else {
                            map.next_value::<IgnoredAny>()?;
                        }
                        continue;
                    };
                    let value = map.next_value_seed(Capture)?;
                    if success {
                        st.success = Some(value.value());
                    }
                    let span = st.span(&k, &value);
                    // A timestamp (one per row or more) is written straight into place.
                    if let (true, Got::Str(text), Some((start, end))) = (std::ptr::fn_addr_eq(f, crate::loose::Time::NORMALISE), &value, span) {
                        let from = st.text.len();
                        if crate::time::push_timestamp(&mut st.text, text) {
                            st.edits.push((start, end, from, st.text.len()));
                            if let Some(i) = declared {
                                got[i] = Some(Js::String);
                            }
                            continue;
                        }
                    }
                    let v = value.value();
                    let typed = f(v.clone());
                    if let Some(i) = declared {
                        got[i] = Some(js_of(&typed));
                    }
                    if typed == v {
                        continue;
                    }
                    match span {
                        Some(span) => st.replace(span, &typed),
                        None => st.whole = true,
                    }
                }
                let w = wrong(st.shape, &got);
                st.note(self.at, w);
            }
            At::Results => while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {},
        }
        Ok(())
    }
}

/// The error of a body the pass could not read or refuses, as the whole-body reading gives it.
fn error_of(body: &[u8]) -> DecodeError {
    match top(body) {
        Err(e) => e,
        Ok(Value::Object(_)) => DecodeError::Invalid("the response body could not be decoded".into()),
        Ok(_) => DecodeError::Invalid("the response body is not a JSON object".into()),
    }
}

/// Reads `body` (a UTF-8 JSON object, BOM allowed) at `at`; Err when it is not one or says
/// `"success": false` (loosely).
fn pass(body: &[u8], fields: Normalise, shape: Shape, at: At) -> Result<State<'_>, DecodeError> {
    let text = body.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(body);
    // Checked whole here, so every run copied from it is text.
    let Ok(text) = std::str::from_utf8(text) else { return Err(error_of(body)) };
    // A page's first edit: what its envelope lacks goes right after the opening brace.
    let open = text.find('{').map_or(0, |i| i + 1);
    let edits = if at == At::Top { vec![(open, open, 0, 0)] } else { Vec::new() };
    let fields = fields.iter().copied().filter(|(_, f)| !std::ptr::fn_addr_eq(*f, crate::loose::Pass::NORMALISE)).collect();
    let mut st = State { body: text, edits, text: String::new(), fields, object: false, success: None, results: None, counts: Vec::new(), nexts: Vec::new(), next: None, whole: false, shape, row: 0, wrong: None };
    // from_slice, not from_str: the one instantiation of the parser the client has (from_str
    // would skip re-checking each string, for a second copy of the parser in the wasm).
    let mut de = serde_json::Deserializer::from_slice(text.as_bytes());
    let read = Pass { at, st: &mut st }.deserialize(&mut de).and_then(|_| de.end());
    if read.is_err() || !st.object {
        return Err(error_of(body));
    }
    if let Some(v) = st.success.take() {
        if crate::loose::to_bool(v) == Value::Bool(false) {
            return Err(error_of(body));
        }
    }
    Ok(st)
}

/// A page body: `{count, next, results, ...}` with each row typed by `fields`.
pub(crate) fn page_of(body: &[u8], fields: Normalise, shape: Shape) -> Result<Output, DecodeError> {
    let mut st = pass(body, fields, shape, At::Top)?;
    if st.whole {
        return page_of_whole(body, fields, shape);
    }
    let rows = match st.results {
        Some(Some(rows)) => rows,
        other => return Err(no_results(other.is_some())),
    };
    let (had_count, had_next) = (!st.counts.is_empty(), !st.nexts.is_empty());
    // The last "next" counts.
    let next = next_of(st.next.take())?;
    if let Some((row, w)) = st.wrong.take() {
        return Err(w.error(row));
    }
    let next_json = next.clone().map_or(Value::Null, Value::String);
    for edit in std::mem::take(&mut st.nexts) {
        st.fill(edit, &next_json);
    }
    // "count" is the page's length.
    let count = Value::from(rows);
    for edit in std::mem::take(&mut st.counts) {
        st.fill(edit, &count);
    }
    // Members the envelope lacks go first (the first edit).
    let from = st.text.len();
    if !had_count {
        let _ = write!(st.text, "\"count\":{rows},");
    }
    if !had_next {
        st.text.push_str("\"next\":null,");
    }
    let to = st.text.len();
    if let Some(e) = st.edits.first_mut() {
        (e.2, e.3) = (from, to);
    }
    Ok(Output { json: st.apply(), next })
}

/// A single record's body, typed by `fields`.
pub(crate) fn object_of(body: &[u8], fields: Normalise, shape: Shape) -> Result<Output, DecodeError> {
    let mut st = pass(body, fields, shape, At::Record)?;
    if st.whole {
        return object_of_whole(body, fields, shape);
    }
    if let Some((row, w)) = st.wrong.take() {
        return Err(w.error(row));
    }
    Ok(Output { json: st.apply(), next: None })
}

/// Appends `v` as JSON to `out`: a string with nothing to escape (a normalised timestamp, an
/// id, a number's text kept as sent) as is, anything else through serde_json.
pub(crate) fn push_json(out: &mut String, v: &Value) {
    match v {
        Value::String(s) if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        // Writing to a String cannot fail.
        _ => {
            let _ = write!(out, "{v}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Kind;

    fn fields(kind: Kind) -> Normalise {
        crate::records::normaliser(kind)
    }

    /// Whether `body` is edited in place (not decoded whole).
    fn edited(body: &str, kind: Kind, at: At) -> bool {
        !pass(body.as_bytes(), fields(kind), crate::records::shape(kind), at).expect("a body the pass reads").whole
    }

    #[test]
    fn the_apis_bodies_are_edited_in_place() {
        let call = r#"{"id":12903,"callid":"c1","from":"+551234567","init_dt":"2017-07-05 21:46:44","start_time":"","end_time":null,"duration":"22","web_call":"no","disposition_code":200,"to_number":null,"country":"US","caller_id_used":null,"agent_id":null,"direction":"inbound","ivr_option_pressed":null,"x":{"y":[1,2.5]}}"#;
        let page = format!("{{ \"count\" : 2 ,\n \"next\" : \"https://api.toky.co/v1/cdrs?offset=2\", \"results\": [{call}, {call}] }}");
        assert!(edited(&page, Kind::CallRecord, At::Top));
        assert!(edited(call, Kind::CallRecord, At::Record));
        assert!(edited(r#"{"count":"1","next":null,"results":[{"id":-7,"web_call":1,"duration":-3}]}"#, Kind::CallRecord, At::Top));
        let out = page_of(page.as_bytes(), fields(Kind::CallRecord), crate::records::shape(Kind::CallRecord)).unwrap();
        let v: Value = serde_json::from_str(&out.json).unwrap();
        assert_eq!(v["count"], 2);
        assert_eq!(v["results"][1]["id"], "12903");
        assert_eq!(v["results"][1]["init_dt"], "2017-07-05T21:46:44Z");
        assert_eq!(v["results"][1]["start_time"], Value::Null);
        assert_eq!(v["results"][1]["duration"], 22);
        assert_eq!(v["results"][1]["web_call"], false);
        assert_eq!(v["results"][1]["x"]["y"][1], 2.5);
        assert_eq!(out.next.as_deref(), Some("https://api.toky.co/v1/cdrs?offset=2"));
    }

    #[test]
    fn values_whose_place_is_not_known_are_decoded_whole() {
        // An escaped timestamp, a float where an id belongs, a declared key with an escape,
        // "-0", an escaped next URL.
        for (body, kind, at) in [
            (r#"{"init_dt":"2017-07-05\u002021:46:44"}"#, Kind::CallRecord, At::Record),
            (r#"{"id":1.5}"#, Kind::CallRecord, At::Record),
            (r#"{"\u0069d":7}"#, Kind::CallRecord, At::Record),
            (r#"{"id":-0}"#, Kind::CallRecord, At::Record),
            (r#"{"results":[],"next":"a\u0026b"}"#, Kind::CallRecord, At::Top),
        ] {
            assert!(!edited(body, kind, at), "{body}");
        }
    }
}
