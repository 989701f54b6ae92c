//! Response bodies through `records::decode`, for every record kind, as a page, a single object
//! and a delete. Never panics; when it decodes, the output is JSON, a page's `count` is its
//! `results` length and its `next` is the one the output reports.
#![no_main]

use libfuzzer_sys::fuzz_target;
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
    let v: Value = match serde_json::from_str(&out.json) {
        Ok(v) => v,
        Err(e) => panic!("decode({how:?}) gave output that is not JSON ({e}): {}", out.json),
    };
    let Value::Object(o) = &v else { panic!("decode({how:?}) gave a non-object: {}", out.json) };
    match how {
        Decode::Page(_) => {
            let results = o.get("results").and_then(Value::as_array).map(Vec::len);
            let count = o.get("count").and_then(Value::as_u64);
            assert!(results.is_some(), "a page without a results array: {}", out.json);
            assert_eq!(count, results.map(|n| n as u64), "count is not the results' length: {}", out.json);
            let next = o.get("next").and_then(Value::as_str);
            assert_eq!(next, out.next.as_deref(), "the page's next and the output's differ");
            assert!(out.next.as_deref() != Some(""), "an empty next is no next");
        }
        Decode::Deleted => {
            if let Some(s) = o.get("success") {
                // Known spellings are booleans now; others pass through as sent (loose.rs).
                assert_eq!(&toky_wasm::loose::to_bool(s.clone()), s, "success is not normalised: {}", out.json);
                assert_ne!(s, &Value::Bool(false), "success: false is a failure, not a value");
            }
            assert!(out.next.is_none());
        }
        _ => assert!(out.next.is_none()),
    }
});
