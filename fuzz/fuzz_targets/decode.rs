//! Response bodies through `records::decode`, for every record kind, as a page, a single object
//! and a delete. Never panics; when it decodes, the output is what `JSON.parse` accepts, a page's
//! `count` is its `results` length and its `next` is the one the output reports.
//!
//! "What `JSON.parse` accepts" is JSON's grammar, not serde_json's `Value`: a number beyond f64
//! (`76766.6E66666666`) in an unknown field passes through as sent and `JSON.parse` reads it as
//! Infinity, where `Value` refuses it. So the output is read with `IgnoredAny` (grammar only, no
//! number range), and only the members the invariants read are built (`Top`). Not serde_json's
//! `arbitrary_precision`: features unify, so it would change the decoder under test too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use toky_wasm::records::{self, Kind};
use toky_wasm::request::Decode;

const KINDS: [Kind; 8] = [
    Kind::Agent,
    Kind::Contact,
    Kind::Sms,
    Kind::SmsSent,
    Kind::Voicemail,
    Kind::CallRecord,
    Kind::Recording,
    Kind::Webhook,
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else { return };
    let kind = KINDS[usize::from(sel >> 2) % KINDS.len()];
    let how = match sel % 3 {
        0 => Decode::Page(kind),
        1 => Decode::Object(kind),
        _ => Decode::Deleted,
    };
    let _ = records::error_message(body);
    let Ok(out) = records::decode(how, body) else { return };
    if let Err(e) = serde_json::from_str::<IgnoredAny>(&out.json) {
        panic!("decode({how:?}) gave output that JSON.parse refuses ({e}): {}", out.json);
    }
    let top = match serde_json::from_str::<Top>(&out.json) {
        Ok(t) => t,
        Err(e) => panic!("decode({how:?}) gave a non-object ({e}): {}", out.json),
    };
    match how {
        Decode::Page(_) => {
            let results = match top.results {
                Some(Member::Rows(n)) => n,
                _ => panic!("a page without a results array: {}", out.json),
            };
            let count = match top.count {
                Some(Member::Value(Value::Number(n))) => n.as_u64(),
                _ => None,
            };
            assert_eq!(count, Some(results as u64), "count is not the results' length: {}", out.json);
            let next = match &top.next {
                Some(Member::Value(Value::String(s))) => Some(s.as_str()),
                _ => None,
            };
            assert_eq!(next, out.next.as_deref(), "the page's next and the output's differ");
            assert!(out.next.as_deref() != Some(""), "an empty next is no next");
        }
        Decode::Deleted => {
            if let Some(Member::Value(s)) = &top.success {
                // Known spellings are booleans now; others pass through as sent (loose.rs).
                assert_eq!(&toky_wasm::loose::to_bool(s.clone()), s, "success is not normalised: {}", out.json);
                assert_ne!(s, &Value::Bool(false), "success: false is a failure, not a value");
            }
            assert!(out.next.is_none());
        }
        _ => assert!(out.next.is_none()),
    }
});

/// The members of the output's top-level object the invariants read (the last of a repeated
/// key, as `JSON.parse` keeps it); every other value is only checked against JSON's grammar
/// (`IgnoredAny`), so a number beyond f64 in it is fine, as it is for `JSON.parse`.
#[derive(Default)]
struct Top {
    count: Option<Member>,
    next: Option<Member>,
    results: Option<Member>,
    success: Option<Member>,
}

/// A member: an array (its length) or any other value (the decoder wrote it from a `Value`).
enum Member {
    Rows(usize),
    Value(Value),
}

impl<'de> Deserialize<'de> for Top {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Top, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Top;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
                let mut top = Top::default();
                while let Some(k) = map.next_key::<String>()? {
                    let slot = match k.as_str() {
                        "count" => &mut top.count,
                        "next" => &mut top.next,
                        "results" => &mut top.results,
                        "success" => &mut top.success,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value::<Member>()?);
                }
                Ok(top)
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Member, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Member;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Member, A::Error> {
                let mut n = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Member::Rows(n))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Member, E> {
                Ok(Member::Value(Value::Null))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Member, E> {
                Ok(Member::Value(Value::Bool(b)))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Member, E> {
                Ok(Member::Value(n.into()))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Member, E> {
                Ok(Member::Value(n.into()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Member, E> {
                Ok(Member::Value(n.into()))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Member, E> {
                Ok(Member::Value(Value::String(s.into())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member, A::Error> {
                Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Member::Value)
            }
        }
        d.deserialize_any(V)
    }
}
