//! Validation of what a caller passed, before anything is sent.
//!
//! Arguments arrive as the JSON the JS skin made of them (functions, symbols and bigints are
//! marked, not dropped, so a wrong type is named instead of silently vanishing). Every failure is
//! a `validation` error that names the field and what was expected.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::error::Error;
use crate::json::Value;

pub type Obj = [(String, Value)];

/// `what` must be an object (or absent, when `optional`); returns its pairs.
pub fn object<'a>(v: Option<&'a Value>, what: &str, optional: bool) -> Result<&'a Obj, Error> {
    match v {
        Some(Value::Obj(pairs)) if v.map(Value::type_name) == Some("an object") => Ok(pairs),
        None if optional => Ok(&[]),
        Some(Value::Null) if optional => Ok(&[]),
        other => Err(Error::field(what, &got("expected an object", other))),
    }
}

/// Rejects keys the operation does not know: a misspelt field must not be silently ignored.
pub fn only(obj: &Obj, allowed: &[&str]) -> Result<(), Error> {
    for (k, _) in obj {
        if !allowed.contains(&k.as_str()) {
            let mut m = String::from("unknown field; expected one of ");
            crate::error::push_joined(&mut m, allowed, ", ");
            return Err(Error::field(k, &m));
        }
    }
    Ok(())
}

/// The value of `key`; the last one wins, as in `JSON.parse`.
pub fn get<'a>(obj: &'a Obj, key: &str) -> Option<&'a Value> {
    obj.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// "expected X, got a number" / "got \"abc\"".
pub fn got(expected: &str, v: Option<&Value>) -> String {
    let mut m = String::from(expected);
    m.push_str(", got ");
    match v {
        None => m.push_str("nothing"),
        Some(Value::Str(s)) => {
            if s.is_empty() {
                m.push_str("an empty string");
            } else {
                // Quote short values so the caller sees what was wrong; long ones (message
                // texts, pasted blobs) only by kind.
                let n = crate::error::char_count(s);
                if n > 40 {
                    m.push_str("a string of ");
                    crate::error::push_u64(&mut m, n as u64);
                    m.push_str(" characters");
                } else {
                    crate::json::write_str(&mut m, s);
                }
            }
        }
        Some(other) => m.push_str(other.type_name()),
    }
    m
}

/// A string field. `expected` describes the whole expectation for the message.
pub fn string<'a>(
    obj: &'a Obj,
    key: &str,
    required: bool,
    expected: &str,
) -> Result<Option<&'a str>, Error> {
    match get(obj, key) {
        Some(Value::Str(s)) => Ok(Some(s)),
        None if !required => Ok(None),
        other => Err(Error::field(key, &got(expected, other))),
    }
}

/// A non-empty string of at most `max` characters without control characters.
pub fn text<'a>(obj: &'a Obj, key: &str, required: bool, max: usize) -> Result<Option<&'a str>, Error> {
    let expected = "expected a non-empty string";
    let v = string(obj, key, required, expected)?;
    if let Some(s) = v {
        if s.trim().is_empty() {
            return Err(Error::field(key, &got(expected, get(obj, key))));
        }
        if crate::error::char_count(s) > max {
            let mut m = String::from("expected at most ");
            crate::error::push_u64(&mut m, max as u64);
            m.push_str(" characters");
            return Err(Error::field(key, &got(&m, get(obj, key))));
        }
    }
    Ok(v)
}

pub const PHONE_EXPECTED: &str =
    "expected a phone number in E.164 form: + then 8 to 15 digits, e.g. +15551234567";

/// An E.164 phone number: `+`, then 8–15 digits, the first not 0.
pub fn is_e164(s: &str) -> bool {
    let b = s.as_bytes();
    match b.split_first() {
        Some((b'+', digits)) => {
            (8..=15).contains(&digits.len())
                && digits.iter().all(u8::is_ascii_digit)
                && digits.first() != Some(&b'0')
        }
        _ => false,
    }
}

pub fn phone<'a>(obj: &'a Obj, key: &str, required: bool) -> Result<Option<&'a str>, Error> {
    let v = string(obj, key, required, PHONE_EXPECTED)?;
    match v {
        Some(s) if !is_e164(s) => Err(Error::field(key, &got(PHONE_EXPECTED, get(obj, key)))),
        _ => Ok(v),
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

pub const EMAIL_EXPECTED: &str = "expected an email address like agent@example.com";

pub fn email<'a>(obj: &'a Obj, key: &str, required: bool) -> Result<Option<&'a str>, Error> {
    let v = string(obj, key, required, EMAIL_EXPECTED)?;
    match v {
        Some(s) if !is_email(s) => Err(Error::field(key, &got(EMAIL_EXPECTED, get(obj, key)))),
        _ => Ok(v),
    }
}

/// The integer a JSON number stands for, if it is a whole number that JS represents exactly.
fn integer(raw: &str) -> Option<i64> {
    let (neg, digits) = match raw.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, raw),
    };
    // JSON.stringify writes 1.0 as "1"; allow an all-zero fraction from other producers.
    let digits = match digits.split_once('.') {
        Some((i, f)) if f.bytes().all(|b| b == b'0') => i,
        Some(_) => return None,
        None => digits,
    };
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        n = n * 10 + i64::from(b - b'0');
    }
    Some(if neg { -n } else { n })
}

/// An integer field within `min..=max`.
pub fn int(obj: &Obj, key: &str, min: u64, max: u64) -> Result<Option<u64>, Error> {
    let v = get(obj, key);
    let n = match v {
        None => return Ok(None),
        Some(Value::Num(raw)) => integer(raw),
        Some(_) => None,
    };
    match n {
        Some(n) if n >= 0 && (n as u64) >= min && (n as u64) <= max => Ok(Some(n as u64)),
        _ => {
            let mut m = String::from("expected an integer from ");
            crate::error::push_u64(&mut m, min);
            if max == u64::MAX {
                m.push_str(" up");
            } else {
                m.push_str(" to ");
                crate::error::push_u64(&mut m, max);
            }
            let shown = match v {
                Some(Value::Num(raw)) => {
                    let mut s = m.clone();
                    s.push_str(", got ");
                    s.push_str(raw);
                    s
                }
                other => got(&m, other),
            };
            Err(Error::field(key, &shown))
        }
    }
}

/// A boolean field.
pub fn boolean(obj: &Obj, key: &str) -> Result<Option<bool>, Error> {
    match get(obj, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        other => Err(Error::field(key, &got("expected true or false", other))),
    }
}

/// An id that becomes one path segment: a non-empty string without control characters.
pub fn id<'a>(obj: &'a Obj, key: &str) -> Result<&'a str, Error> {
    let expected = "expected a non-empty string id";
    match string(obj, key, true, expected)? {
        Some(s) if !s.is_empty() && s.len() <= 256 && !s.chars().any(char::is_control) => Ok(s),
        _ => Err(Error::field(key, &got(expected, get(obj, key)))),
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
    s.len() <= 2048
        && !host.is_empty()
        && !host.starts_with(':')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn obj(s: &str) -> Vec<(String, Value)> {
        match parse(s) {
            Ok(Value::Obj(p)) => p,
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
        let o = obj(r#"{"to": 15551234567, "from": null, "text": {"__jsType":"function"}, "x": [1]}"#);
        let e = phone(&o, "to", true).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("to"));
        assert!(e.message.starts_with("to: expected a phone number"), "{}", e.message);
        assert!(e.message.ends_with("got a number"), "{}", e.message);
        assert!(phone(&o, "from", true).unwrap_err().message.ends_with("got null"));
        assert!(text(&o, "text", true, 10).unwrap_err().message.ends_with("got a function"));
        assert!(phone(&o, "missing", true).unwrap_err().message.ends_with("got nothing"));
        assert_eq!(phone(&o, "missing", false).unwrap(), None);
        let e = only(&o, &["to", "from", "text"]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("x"));
        assert!(e.message.contains("unknown field; expected one of to, from, text"));
    }

    #[test]
    fn strings_are_quoted_when_short_only() {
        let o = obj(r#"{"to": "555-1234"}"#);
        assert!(phone(&o, "to", true).unwrap_err().message.ends_with("got \"555-1234\""));
        let long = "x".repeat(100);
        let o = obj(&format!(r#"{{"to": "{long}"}}"#));
        assert!(phone(&o, "to", true).unwrap_err().message.ends_with("got a string of 100 characters"));
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
}
