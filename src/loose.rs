//! The API's loosely typed values, normalised by serde: `"false"`/`"yes"` become booleans,
//! numeric strings numbers, `"2017-06-27 19:24:10"` (GMT) an ISO-8601 UTC timestamp, numeric ids
//! strings. Already-typed values are accepted; a value that cannot be read as its type (a
//! `"maybe"` where a boolean belongs) passes through unchanged rather than being dropped, and an
//! empty string is `null`. Each record struct (in its resource's file) names its typed fields
//! with these functions (`#[serde(deserialize_with = "loose::bool")]`) and keeps every other
//! field in a flattened map, so nothing the server sends is lost.

use serde::Serialize;
use serde_json::{Map, Number, Value};

fn empty(s: &str) -> bool {
    s.trim_ascii().is_empty()
}

pub fn to_bool(v: Value) -> Value {
    match v {
        Value::String(s) if empty(&s) => Value::Null,
        Value::String(s) => {
            let t = s.trim_ascii();
            if ["true", "yes", "1"].iter().any(|w| w.eq_ignore_ascii_case(t)) {
                Value::Bool(true)
            } else if ["false", "no", "0"].iter().any(|w| w.eq_ignore_ascii_case(t)) {
                Value::Bool(false)
            } else {
                Value::String(s)
            }
        }
        Value::Number(n) if n.as_u64() == Some(1) => Value::Bool(true),
        Value::Number(n) if n.as_u64() == Some(0) => Value::Bool(false),
        other => other,
    }
}

/// A JSON number's grammar, with a leading `+` and leading zeros tolerated (`"+5"`, `"007"`).
fn number_text(t: &str) -> Option<&str> {
    let body = t.strip_prefix('+').unwrap_or(t);
    let digits = body.strip_prefix('-').unwrap_or(body);
    let b = digits.as_bytes();
    let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if int_len == 0 {
        return None;
    }
    let mut i = int_len;
    if b.get(i) == Some(&b'.') {
        let f = b.get(i + 1..)?.iter().take_while(|c| c.is_ascii_digit()).count();
        if f == 0 {
            return None;
        }
        i += 1 + f;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let e = b.get(i..)?.iter().take_while(|c| c.is_ascii_digit()).count();
        if e == 0 {
            return None;
        }
        i += e;
    }
    (i == b.len()).then_some(body)
}

pub fn to_num(v: Value) -> Value {
    match v {
        Value::String(s) if empty(&s) => Value::Null,
        Value::String(s) => {
            let parsed = number_text(s.trim_ascii()).and_then(|t| {
                // Leading zeros are not JSON; the value is the same without them.
                let (neg, rest) = t.strip_prefix('-').map_or((false, t), |r| (true, r));
                let trimmed = rest.trim_start_matches('0');
                let fixed = if trimmed.is_empty() || trimmed.starts_with(['.', 'e', 'E']) { format!("0{trimmed}") } else { trimmed.to_string() };
                let text = if neg { format!("-{fixed}") } else { fixed };
                serde_json::from_slice::<Number>(text.as_bytes()).ok()
            });
            match parsed {
                Some(n) => Value::Number(n),
                None => Value::String(s),
            }
        }
        other => other,
    }
}

pub fn to_time(v: Value) -> Value {
    match v {
        Value::String(s) if empty(&s) => Value::Null,
        Value::String(s) => match crate::time::iso_timestamp(&s) {
            Some(t) => Value::String(t),
            None => Value::String(s),
        },
        other => other,
    }
}

/// Ids stay strings: `12903` becomes `"12903"` (JS numbers lose digits past 2^53).
pub fn to_id(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        other => other,
    }
}

macro_rules! kinds {
    ($($(#[$m:meta])* $name:ident => $f:expr;)*) => {$(
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub Value);

        impl From<Value> for $name {
            fn from(v: Value) -> $name {
                $name($f(v))
            }
        }

        impl $name {
            /// The normaliser, for records typed in place (`records.rs`).
            pub const NORMALISE: fn(Value) -> Value = $f;
        }
    )*};
}

kinds! {
    /// A boolean field (`"yes"`, `"false"`, `1`, ...).
    Bool => to_bool;
    /// A numeric field (`"22"`).
    Num => to_num;
    /// A timestamp field (`"2017-06-27 19:24:10"`).
    Time => to_time;
    /// An id (`12903` becomes `"12903"`).
    Id => to_id;
    /// A documented field kept as sent.
    Pass => std::convert::identity;
}

/// Fields a record does not name: copied through unchanged.
pub type Extra = Map<String, Value>;

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn bool_rule() {
        for (raw, want) in [
            ("\"true\"", "true"), ("\"false\"", "false"), ("\"yes\"", "true"), ("\"no\"", "false"), ("\"YES\"", "true"),
            ("\" no \"", "false"), ("1", "true"), ("0", "false"), ("true", "true"), ("false", "false"), ("null", "null"),
            ("\"\"", "null"), ("\"  \"", "null"), ("\"maybe\"", "\"maybe\""), ("2", "2"), ("1.0", "1.0"), ("[1]", "[1]"),
            ("{\"a\":\"yes\"}", "{\"a\":\"yes\"}"), ("\"\\u0074rue\"", "true"), ("\"n\\u006f\"", "false"),
            ("\"t\\\"rue\"", "\"t\\\"rue\""),
        ] {
            assert_eq!(to_bool(j(raw)), j(want), "{raw}");
        }
    }

    #[test]
    fn num_rule() {
        for (raw, want) in [
            ("\"22\"", "22"), ("\"-1.5\"", "-1.5"), ("\"007\"", "7"), ("\"1e3\"", "1e3"), ("\"+5\"", "5"), ("\" 42 \"", "42"),
            ("\"0\"", "0"), ("\"000\"", "0"), ("\"-007.50\"", "-7.50"), ("\"00.5\"", "0.5"), ("\"1E+05\"", "1E+05"),
            ("\"\"", "null"), ("\"abc\"", "\"abc\""), ("\"12abc\"", "\"12abc\""), ("\".5\"", "\".5\""), ("\"5.\"", "\"5.\""),
            ("\"1e\"", "\"1e\""), ("\"--1\"", "\"--1\""), ("\"+\"", "\"+\""), ("\"1 2\"", "\"1 2\""), ("\"0x10\"", "\"0x10\""),
            ("\"NaN\"", "\"NaN\""), ("\"Infinity\"", "\"Infinity\""), ("12", "12"), ("-3.5e-2", "-3.5e-2"), ("null", "null"),
            ("true", "true"), ("\"\\u0032\\u0032\"", "22"), ("\"１\"", "\"１\""),
            ("\"123456789012345678901234567890\"", "123456789012345678901234567890"),
        ] {
            let got = to_num(j(raw));
            let want = j(want);
            // Compared as JS would see them: the same number, or the same other value.
            match (&got, &want) {
                (Value::Number(a), Value::Number(b)) => assert_eq!(a.as_f64(), b.as_f64(), "{raw}"),
                _ => assert_eq!(got, want, "{raw}"),
            }
        }
        assert_eq!(to_num(j("\"-0\"")).as_f64(), Some(0.0));
    }

    #[test]
    fn time_rule() {
        for (raw, want) in [
            ("\"2017-06-27 19:24:10\"", "\"2017-06-27T19:24:10Z\""),
            ("\"2017-06-27T19:24:10Z\"", "\"2017-06-27T19:24:10Z\""),
            ("\"2017-06-27T21:24:10.25+02:00\"", "\"2017-06-27T19:24:10.25Z\""),
            ("\"2017-06-27\"", "\"2017-06-27\""),
            ("\"\"", "null"),
            ("null", "null"),
            ("\"soon\"", "\"soon\""),
            ("\"2017-02-30 00:00:00\"", "\"2017-02-30 00:00:00\""),
            ("1498591450", "1498591450"),
            ("\"2017-06-27\\u002019:24:10\"", "\"2017-06-27T19:24:10Z\""),
        ] {
            assert_eq!(to_time(j(raw)), j(want), "{raw}");
        }
    }

    #[test]
    fn id_rule() {
        for (raw, want) in [
            ("12903", "\"12903\""), ("-1", "\"-1\""), ("\"12903\"", "\"12903\""), ("\"\"", "\"\""), ("null", "null"),
            ("true", "true"), ("[1]", "[1]"),
        ] {
            assert_eq!(to_id(j(raw)), j(want), "{raw}");
        }
    }
}

