//! Parse once (issue 24, the server build): a page whose body `JSON.parse` has already read in JS
//! is not read again here. The JS skin's `gather` (driven by [`spec`], the record's `FIELDS` and
//! `SHAPE`: it decides nothing) hands over, in one JSON text, the envelope and, for each row, the
//! JS type of every declared field and the value of each loose one:
//!
//! ```text
//! [envelope, [row 0: code, code, value, code, ...,  row 1: ...]]
//! ```
//!
//! `envelope` is the body's object with `results` replaced by a number; per row, one code per
//! declared field in `SHAPE` order (0 absent, 1 null, 2 boolean, 3 number, 4 string, 5 array,
//! 6 object), each code of a present loose field followed by its value. The values are
//! normalised here, in one streaming pass of serde_json (no `Vec<Value>`), by the normalisers of
//! `loose.rs`, and handed back as one JSON array in the same order; the skin's `apply` writes
//! them back into the parsed rows. The envelope's checks (`success`, `next`) and the record types
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

/// What the skin's `gather` needs of a record kind: `[[name, loose], ...]` in `SHAPE` order
/// (a loose field is one the core normalises; the others are kept as sent).
pub fn spec(kind: Kind) -> String {
    let fields: Vec<(&str, bool)> = shape(kind).iter().map(|e| (e.name, e.normalised)).collect();
    serde_json::to_string(&fields).unwrap_or_default()
}

/// A page read from what `gather` handed over.
#[derive(Debug, PartialEq)]
pub struct Gathered {
    /// The normalised loose values, as one JSON array, in the order they were handed over.
    pub values: String,
    /// The page's length (its `count`).
    pub count: usize,
    /// The next page's URL, as `records::next_of` reads it.
    pub next: Option<String>,
}

impl Gathered {
    /// `{"count":…,"next":…,"values":[…]}`, what the skin's `apply` writes back.
    pub fn into_json(self) -> String {
        let next = serde_json::to_string(&self.next).unwrap_or_else(|_| "null".into());
        format!("{{\"count\":{},\"next\":{next},\"values\":{}}}", self.count, self.values)
    }
}

/// Reads `gathered` for a page of `kind`; None when the exact path must decide.
pub fn page_of_gathered(gathered: &str, kind: Kind) -> Option<Gathered> {
    let mut rows = Rows { kind, values: String::from("["), count: 0, written: 0, broken: false };
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
    rows.values.push(']');
    Some(Gathered { values: rows.values, count: rows.count, next })
}

/// The rows' codes and values, read as they stream by.
struct Rows {
    kind: Kind,
    values: String,
    count: usize,
    /// How many values `values` holds.
    written: usize,
    /// A row breaks its type: the exact path gives the error.
    broken: bool,
}

impl Rows {
    /// The comma before a value, but the first.
    fn sep(&mut self) {
        if self.written > 0 {
            self.values.push(',');
        }
    }

    fn push(&mut self, v: &Value) {
        self.sep();
        // Writing to a String cannot fail.
        let _ = write!(self.values, "{v}");
        self.written += 1;
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
            for (i, ((_, f), e)) in fields.iter().zip(shape).enumerate() {
                let Some(code) = seq.next_element::<u8>()? else {
                    if i == 0 {
                        break 'rows;
                    }
                    return Err(de::Error::custom("a row cut short"));
                };
                let js = js_of_code(code)?;
                got[i] = js;
                if js.is_none() || !e.normalised {
                    continue;
                }
                let value = seq.next_element_seed(Capture)?.ok_or_else(|| de::Error::custom("a value missing"))?;
                // A timestamp (one per row or more) is written straight out.
                if let (true, Got::Str(text)) = (std::ptr::fn_addr_eq(*f, crate::loose::Time::NORMALISE), &value) {
                    let mark = st.values.len();
                    st.sep();
                    if crate::time::push_timestamp(&mut st.values, text) {
                        st.written += 1;
                        got[i] = Some(Js::String);
                        continue;
                    }
                    st.values.truncate(mark);
                }
                let typed = f(value.value());
                got[i] = Some(crate::records::js_of(&typed));
                st.push(&typed);
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

    #[test]
    fn a_gathered_page_is_normalised_and_checked() {
        // A call record: id, callid, from, to_number, country, caller_id_used, received_on_number,
        // init_dt, start_time, end_time, duration, agent_id, to_agent, direction, web_call,
        // disposition_code, ivr_option_pressed.
        let row = r#"3,12903,4,"c1",4,1,4,1,0,4,"2017-07-05 21:46:44",4,"",1,null,4,"22",1,0,4,2,true,3,200,1"#;
        let g = page_of_gathered(&format!(r#"[{{"count":9,"next":"https://x/?o=2","results":0}},[{row},{row}]]"#), Kind::CallRecord).unwrap();
        assert_eq!(g.count, 2);
        assert_eq!(g.next.as_deref(), Some("https://x/?o=2"));
        let once = r#""12903","c1","2017-07-05T21:46:44Z",null,null,22,true,200"#;
        assert_eq!(g.values, format!("[{once},{once}]"));
        assert_eq!(page_of_gathered(r#"[{"results":0,"next":""},[]]"#, Kind::CallRecord), Some(Gathered { values: "[]".into(), count: 0, next: None }));
        assert_eq!(g.into_json(), format!(r#"{{"count":2,"next":"https://x/?o=2","values":[{once},{once}]}}"#));
    }

    #[test]
    fn what_the_exact_path_must_decide_is_none() {
        let ok = r#"[{"results":0},[4,4,1,1,1,1,1,1,0,4,"x"]]"#;
        assert!(page_of_gathered(ok, Kind::Contact).is_some());
        for bad in [
            // success false, a next that is neither string nor null, a required field missing,
            // one null where it may not be, a row cut short, a bad code, not the format at all.
            r#"[{"results":0,"success":"no"},[]]"#,
            r#"[{"results":0,"next":5},[]]"#,
            r#"[{"results":0},[0,4,1,1,1,1,1,1,0,4,"x"]]"#,
            r#"[{"results":0},[1,4,1,1,1,1,1,1,0,4,"x"]]"#,
            r#"[{"results":0},[4,4,1,1,1,1,1,1,0,4,"x",1]]"#,
            r#"[{"results":0},[9,4,1,1,1,1,1,1,0,4,"x"]]"#,
            r#"[{"results":0},[4,4,1,1,1,1,1,1,0,4]]"#,
            r#"[{"results":0},[]"#,
            r#"[{"results":0},[],1]"#,
            r#"{}"#,
            // A lone surrogate (JSON.stringify writes one out as an escape): serde_json refuses it.
            r#"[{"results":0},[4,4,1,1,1,1,1,1,0,4,"\ud800"]]"#,
        ] {
            assert_eq!(page_of_gathered(bad, Kind::Contact), None, "{bad}");
        }
    }

    #[test]
    fn a_timestamp_that_is_not_one_stays_as_sent() {
        let g = page_of_gathered(r#"[{"results":0},[4,4,1,1,1,1,1,1,0,4,"soon", 4,4,1,1,1,1,1,1,0,4,"2017-06-27 19:24:10"]]"#, Kind::Contact).unwrap();
        assert_eq!(g.values, r#"["soon","2017-06-27T19:24:10Z"]"#);
        let g = page_of_gathered(r#"[{"results":0},[4,4,1,1,1,1,1,1,0,4,"2017-06-27 19:24:10", 4,4,1,1,1,1,1,1,0,4,""]]"#, Kind::Contact).unwrap();
        assert_eq!(g.values, r#"["2017-06-27T19:24:10Z",null]"#);
    }

    #[test]
    fn the_spec_is_the_tables() {
        assert_eq!(spec(Kind::Recording), r#"[["url",false]]"#);
        assert!(spec(Kind::Contact).ends_with(r#"["created_at",true]]"#));
    }
}
