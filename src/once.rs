//! Parse once (issue 24, the server build): a page whose body `JSON.parse` has already read in JS
//! is not read again here. The JS skin's `gather` (driven by [`spec`], the record's `FIELDS` and
//! `SHAPE`: it decides nothing) hands over, in one JSON text, the envelope and, for each row, the
//! JS type of every declared field and the value of each loose one:
//!
//! ```text
//! [envelope, [row 0: code, code, value, code, ...,  row 1: ...]]
//! ```
//!
//! `envelope` is the body's object with `results` replaced by the page's length; per row, one
//! code per field the core needs (`spec`: required or normalised) in `SHAPE` order (0 absent, 1 null, 2 boolean, 3 number, 4 string, 5 array,
//! 6 object), each code of a present loose field followed by its value. The values are
//! normalised here, in one streaming pass of serde_json (no `Vec<Value>`), by the normalisers of
//! `loose.rs`; those that changed are handed back (`Gathered::edits`) and the skin's `apply`
//! writes them into the parsed rows. The envelope's checks (`success`, `next`) and the record types
//! (`records::wrong`) are the core's, as on the exact path.
//!
//! Anything this pass does not accept (a check that fails, a value serde_json refuses) returns
//! None, and the caller decodes the body's bytes on the exact path (`page.rs`), which gives
//! today's result or error with today's message.

use std::fmt::{self, Write as _};

use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::page::{Capture, Got};
use crate::records::{normaliser, shape, wrong, Js, Kind};

/// Records with more normalised fields than this are not parsed once. Measured per 500-row page
/// (client CPU, server build, bench/once-probe.mjs): a contact (1) −15 % against the exact path,
/// a call record (8, six of them rewritten per row) +12 %: handing that many values over and
/// back costs more than the exact path's pass over the body.
pub const MAX_NORMALISED: usize = 2;

/// What the skin's `gather` needs of a record kind: `[[name, loose], ...]` in `SHAPE` order
/// (a loose field is one the core normalises; the others are kept as sent). None: pages of this
/// kind take the exact path (`MAX_NORMALISED`).
pub fn spec(kind: Kind) -> Option<String> {
    let fields = spec_of(kind);
    if fields.iter().filter(|(_, loose)| *loose).count() > MAX_NORMALISED {
        return None;
    }
    serde_json::to_string(&fields).ok()
}

fn spec_of(kind: Kind) -> Vec<(&'static str, bool)> {
    shape(kind).iter().filter(|e| gathered(e)).map(|e| (e.name, e.normalised)).collect()
}

/// Whether the core needs a field: to normalise it, or to check its type (`records::wrong`
/// looks at required fields only).
fn gathered(e: &crate::records::Expect) -> bool {
    e.normalised || e.required
}

/// A page read from what `gather` handed over.
#[derive(Debug, PartialEq)]
pub struct Gathered {
    /// The loose values the core changed: `ordinal,value,ordinal,value,...` (the members of a
    /// JSON array; the ordinal counts the gathered values from 0, in the order handed over).
    pub edits: String,
    /// The page's length (its `count`).
    pub count: usize,
    /// The next page's URL, as `records::next_of` reads it.
    pub next: Option<String>,
}

impl Gathered {
    /// `{"count":…,"next":…,"edits":[…]}`, what the skin's `apply` writes back.
    pub fn into_json(self) -> String {
        let next = serde_json::to_string(&self.next).unwrap_or_else(|_| "null".into());
        format!("{{\"count\":{},\"next\":{next},\"edits\":[{}]}}", self.count, self.edits)
    }
}

/// Reads `gathered` for a page of `kind`; None when the exact path must decide.
pub fn page_of_gathered(gathered: &str, kind: Kind) -> Option<Gathered> {
    let mut rows = Rows { kind, edits: String::new(), count: 0, gathered: 0, broken: false };
    let mut de = serde_json::Deserializer::from_slice(gathered.as_bytes());
    let env = Whole { rows: &mut rows }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    if rows.broken {
        return None;
    }
    if let Some(s) = env.get("success") {
        if crate::loose::to_bool(s.clone()) == Value::Bool(false) {
            return None;
        }
    }
    let next = crate::records::next_of(env.get("next").cloned()).ok()?;
    // `gather` sends the page's length as `results`; the rows read must be as many (unless
    // nothing was gathered of them).
    let count = usize::try_from(env.get("results")?.as_u64()?).ok()?;
    if rows.count != count && !spec_of(kind).is_empty() {
        return None;
    }
    Some(Gathered { edits: rows.edits, count, next })
}

/// The rows' codes and values, read as they stream by.
struct Rows {
    kind: Kind,
    /// The edits so far, as JSON array members: the ordinal of a gathered value, its new value.
    edits: String,
    count: usize,
    /// How many loose values have been read.
    gathered: usize,
    /// A row breaks its type: the exact path gives the error.
    broken: bool,
}

impl Rows {
    /// The start of an edit of the gathered value `at`: its ordinal and a comma.
    fn sep(&mut self, at: usize) {
        if !self.edits.is_empty() {
            self.edits.push(',');
        }
        // Writing to a String cannot fail.
        let _ = write!(self.edits, "{at},");
    }

    fn edit(&mut self, at: usize, v: &Value) {
        self.sep(at);
        crate::page::push_json(&mut self.edits, v);
    }
}

/// `[envelope, rows]`.
struct Whole<'a> {
    rows: &'a mut Rows,
}

impl<'de> DeserializeSeed<'de> for Whole<'_> {
    type Value = Map<String, Value>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Whole<'_> {
    type Value = Map<String, Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("[envelope, rows]")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let env: Map<String, Value> = seq.next_element()?.ok_or_else(|| de::Error::custom("no envelope"))?;
        seq.next_element_seed(Flat { rows: self.rows })?.ok_or_else(|| de::Error::custom("no rows"))?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("more than [envelope, rows]"));
        }
        Ok(env)
    }
}

/// The flat array of every row's codes and loose values.
struct Flat<'a> {
    rows: &'a mut Rows,
}

impl<'de> DeserializeSeed<'de> for Flat<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

fn js_of_code<E: de::Error>(code: u8) -> Result<Option<Js>, E> {
    Ok(Some(match code {
        0 => return Ok(None),
        1 => Js::Null,
        2 => Js::Boolean,
        3 => Js::Number,
        4 => Js::String,
        5 => Js::Array,
        6 => Js::Object,
        _ => return Err(E::custom("not a type code")),
    }))
}

impl<'de> Visitor<'de> for Flat<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the rows' codes and values")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let st = self.rows;
        let (fields, shape) = (normaliser(st.kind), shape(st.kind));
        let mut got = vec![None; shape.len()];
        'rows: loop {
            let mut first = true;
            for (i, ((_, f), e)) in fields.iter().zip(shape).enumerate() {
                if !gathered(e) {
                    continue;
                }
                let Some(code) = seq.next_element::<u8>()? else {
                    if first {
                        break 'rows;
                    }
                    return Err(de::Error::custom("a row cut short"));
                };
                first = false;
                let js = js_of_code(code)?;
                got[i] = js;
                if js.is_none() || !e.normalised {
                    continue;
                }
                let value = seq.next_element_seed(Capture)?.ok_or_else(|| de::Error::custom("a value missing"))?;
                let at = st.gathered;
                st.gathered += 1;
                // A timestamp (one per row or more) is written straight out.
                if let (true, Got::Str(text)) = (std::ptr::fn_addr_eq(*f, crate::loose::Time::NORMALISE), &value) {
                    let mark = st.edits.len();
                    st.sep(at);
                    let from = st.edits.len();
                    if crate::time::push_timestamp(&mut st.edits, text) {
                        got[i] = Some(Js::String);
                        // Already in the normalised form: no edit.
                        if st.edits.get(from + 1..st.edits.len() - 1) == Some(*text) {
                            st.edits.truncate(mark);
                        }
                        continue;
                    }
                    st.edits.truncate(mark);
                }
                let typed = f(value.value());
                got[i] = Some(crate::records::js_of(&typed));
                let same = match (&value, &typed) {
                    (Got::Str(s), Value::String(t)) => *s == t,
                    (Got::Lit(v) | Got::Other(v), t) => v == t,
                    _ => false,
                };
                if !same {
                    st.edit(at, &typed);
                }
            }
            if first {
                // A kind with nothing gathered (every field optional and kept as sent).
                break;
            }
            if wrong(shape, &got).is_some() {
                st.broken = true;
            }
            st.count += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Contact's gathered fields: phone, contact_name, email, city, country_code (required, kept as
    // sent), created_at (optional, normalised).
    const CONTACT: &str = r#"4,4,1,4,4,4,"2017-06-27 19:24:10""#;

    #[test]
    fn a_gathered_page_is_normalised_and_checked() {
        // A call record: id, callid, from, to_number, country, caller_id_used, init_dt,
        // start_time, end_time, duration, agent_id, direction, web_call, disposition_code,
        // ivr_option_pressed.
        let row = r#"3,12903,4,"c1",4,1,4,1,4,"2017-07-05 21:46:44",4,"",1,null,4,"22",1,4,2,true,3,200,1"#;
        let g = page_of_gathered(&format!(r#"[{{"count":9,"next":"https://x/?o=2","results":2}},[{row},{row}]]"#), Kind::CallRecord).unwrap();
        assert_eq!(g.count, 2);
        assert_eq!(g.next.as_deref(), Some("https://x/?o=2"));
        // What changed: the id (a number), the timestamps, "22"; not the null, true or 200.
        assert_eq!(g.edits, r#"0,"12903",2,"2017-07-05T21:46:44Z",3,null,5,22,8,"12903",10,"2017-07-05T21:46:44Z",11,null,13,22"#);
        assert_eq!(g.into_json(), r#"{"count":2,"next":"https://x/?o=2","edits":[0,"12903",2,"2017-07-05T21:46:44Z",3,null,5,22,8,"12903",10,"2017-07-05T21:46:44Z",11,null,13,22]}"#);
        assert_eq!(page_of_gathered(r#"[{"results":0,"next":""},[]]"#, Kind::CallRecord), Some(Gathered { edits: "".into(), count: 0, next: None }));
        // A recording: its url (required) only.
        assert_eq!(page_of_gathered(r#"[{"results":1},[4]]"#, Kind::Recording).map(|g| g.count), Some(1));
    }

    #[test]
    fn what_the_exact_path_must_decide_is_none() {
        let ok = format!(r#"[{{"results":1}},[{CONTACT}]]"#);
        assert!(page_of_gathered(&ok, Kind::Contact).is_some());
        for bad in [
            // success false, a next that is neither string nor null, a required field missing,
            // one null where it may not be, a row cut short, a bad code, rows not as many as
            // said, not the format at all.
            r#"[{"results":0,"success":"no"},[]]"#.to_string(),
            r#"[{"results":0,"next":5},[]]"#.to_string(),
            format!(r#"[{{"results":1}},[0{}]]"#, &CONTACT[1..]),
            format!(r#"[{{"results":1}},[1{}]]"#, &CONTACT[1..]),
            format!(r#"[{{"results":2}},[{CONTACT},4]]"#),
            format!(r#"[{{"results":1}},[9{}]]"#, &CONTACT[1..]),
            r#"[{"results":1},[4,4,1,4,4,4]]"#.to_string(),
            format!(r#"[{{"results":2}},[{CONTACT}]]"#),
            format!(r#"[{{}},[{CONTACT}]]"#),
            r#"[{"results":0},[]"#.to_string(),
            r#"[{"results":0},[],1]"#.to_string(),
            r#"{}"#.to_string(),
            // A lone surrogate (JSON.stringify writes one out as an escape): serde_json refuses it.
            r#"[{"results":1},[4,4,1,4,4,4,"\ud800"]]"#.to_string(),
        ] {
            assert_eq!(page_of_gathered(&bad, Kind::Contact), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_are_edited_only_when_they_change() {
        let g = page_of_gathered(r#"[{"results":4},[4,4,1,4,4,4,"soon", 4,4,1,4,4,4,"2017-06-27T19:24:10Z", 4,4,1,4,4,4,"2017-06-27 19:24:10", 4,4,1,4,4,4,""]]"#, Kind::Contact).unwrap();
        assert_eq!(g.edits, r#"2,"2017-06-27T19:24:10Z",3,null"#);
    }

    /// The skin's `gather` reads `row[name]`: no declared field may be named like a member of
    /// `Object.prototype` (an absent one would read as present).
    #[test]
    fn no_field_is_named_like_a_member_of_object_prototype() {
        const PROTO: &[&str] = &["constructor", "__proto__", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"];
        for kind in [Kind::Agent, Kind::Contact, Kind::Sms, Kind::SmsSent, Kind::Voicemail, Kind::CallRecord, Kind::Recording, Kind::Webhook] {
            for e in shape(kind) {
                assert!(!PROTO.contains(&e.name), "{kind:?}.{}", e.name);
            }
        }
    }

    #[test]
    fn the_spec_is_the_tables() {
        assert_eq!(spec(Kind::Recording).as_deref(), Some(r#"[["url",false]]"#));
        assert_eq!(spec(Kind::Contact).as_deref(), Some(r#"[["phone",false],["contact_name",false],["email",false],["city",false],["country_code",false],["created_at",true]]"#));
        // Too many values to hand over: the exact path.
        assert_eq!(spec(Kind::CallRecord), None);
        assert_eq!(spec_of(Kind::CallRecord).len(), 15);
    }
}
