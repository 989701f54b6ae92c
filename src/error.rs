//! Errors as values: a kind a program can branch on, a message a person can act on, and the
//! context (operation, field, status, retries, request id).
//!
//! Nothing in here may ever hold the API key: errors are built from call inputs and responses
//! only, and the key is neither.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::json::write_str;

#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum ErrorKind {
    Validation,
    Auth,
    Permission,
    NotFound,
    Conflict,
    RateLimit,
    Server,
    Network,
    Timeout,
    Aborted,
    Decode,
    Api,
}

impl ErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Auth => "auth",
            ErrorKind::Permission => "permission",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimit => "rate_limit",
            ErrorKind::Server => "server",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Decode => "decode",
            ErrorKind::Api => "api",
        }
    }

    /// The kind of a non-2xx HTTP status.
    pub fn for_status(status: u16) -> ErrorKind {
        match status {
            400 | 413 | 422 => ErrorKind::Validation,
            401 => ErrorKind::Auth,
            // 402: Toky's API needs a paid plan; to the caller that is a permission problem.
            402 | 403 => ErrorKind::Permission,
            404 | 410 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimit,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Api,
        }
    }
}

#[cfg_attr(test, derive(Debug))]
#[derive(Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
    pub status: Option<u16>,
    pub operation: String,
    pub retries: u32,
    pub request_id: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            field: None,
            status: None,
            operation: String::new(),
            retries: 0,
            request_id: None,
        }
    }

    /// A validation error about one field: the message starts with the field's name so it reads
    /// well on its own, and `field` lets a form put it next to the right input.
    pub fn field(field: &str, expected: &str) -> Error {
        let mut message = String::with_capacity(field.len() + expected.len() + 2);
        message.push_str(field);
        message.push_str(": ");
        message.push_str(expected);
        let mut e = Error::new(ErrorKind::Validation, message);
        e.field = Some(field.into());
        e
    }

    pub fn op(mut self, operation: &str) -> Error {
        if self.operation.is_empty() {
            self.operation = operation.into();
        }
        self
    }

    /// The JSON form handed to JS (which wraps it into a `TokyError`).
    pub fn to_json(&self) -> String {
        let mut o = String::with_capacity(96 + self.message.len());
        o.push_str("{\"kind\":");
        write_str(&mut o, self.kind.name());
        o.push_str(",\"message\":");
        write_str(&mut o, &self.message);
        o.push_str(",\"status\":");
        match self.status {
            Some(s) => push_u64(&mut o, s as u64),
            None => o.push_str("null"),
        }
        o.push_str(",\"operation\":");
        if self.operation.is_empty() {
            o.push_str("null");
        } else {
            write_str(&mut o, &self.operation);
        }
        o.push_str(",\"field\":");
        opt_str(&mut o, self.field.as_deref());
        o.push_str(",\"retries\":");
        push_u64(&mut o, self.retries as u64);
        o.push_str(",\"requestId\":");
        opt_str(&mut o, self.request_id.as_deref());
        o.push('}');
        o
    }
}

fn opt_str(o: &mut String, s: Option<&str>) {
    match s {
        Some(s) => write_str(o, s),
        None => o.push_str("null"),
    }
}

/// Decimal digits of an integer without pulling in `core::fmt`.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(b) = buf.get_mut(i) {
            *b = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for &b in buf.iter().skip(i) {
        out.push(b as char);
    }
}

/// `items` joined by `sep` (what `[&str]::join` does, without its ~1 KB of generic code).
pub fn push_joined(out: &mut String, items: &[&str], sep: &str) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
}

/// `s.chars().count()` in a plain loop (core's is ~0.8 KB of unrolled SIMD-style code).
pub fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| b & 0xC0 != 0x80).count()
}

/// `String::from_utf8_lossy` on top of `from_utf8`, which is linked anyway.
pub fn lossy(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match core::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(core::str::from_utf8(good).unwrap_or_default());
                out.push('\u{FFFD}');
                bytes = rest.get(e.error_len().unwrap_or(rest.len())..).unwrap_or_default();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_match_std() {
        let mut m = String::new();
        push_joined(&mut m, &["a", "b", "c"], ", ");
        assert_eq!(m, ["a", "b", "c"].join(", "));
        for s in ["", "abc", "héllo €", "😀x", "\u{10FFFF}"] {
            assert_eq!(char_count(s), s.chars().count());
        }
        for b in [&b""[..], b"ok", b"a\xffb", b"\xe2\x82", b"x\xe2\x82", b"\xf0\x9f\x98\x80\xc3", b"\xc3\xa9\x80\x80z"] {
            assert_eq!(lossy(b), String::from_utf8_lossy(b), "{b:?}");
        }
    }

    #[test]
    fn kinds_for_statuses() {
        assert_eq!(ErrorKind::for_status(400), ErrorKind::Validation);
        assert_eq!(ErrorKind::for_status(401), ErrorKind::Auth);
        assert_eq!(ErrorKind::for_status(403), ErrorKind::Permission);
        assert_eq!(ErrorKind::for_status(404), ErrorKind::NotFound);
        assert_eq!(ErrorKind::for_status(409), ErrorKind::Conflict);
        assert_eq!(ErrorKind::for_status(429), ErrorKind::RateLimit);
        assert_eq!(ErrorKind::for_status(503), ErrorKind::Server);
        assert_eq!(ErrorKind::for_status(418), ErrorKind::Api);
    }

    #[test]
    fn json_form_is_valid_and_complete() {
        let mut e = Error::field("to", "expected a phone number");
        e.status = Some(400);
        e.retries = 2;
        e.request_id = Some("req_1".into());
        let e = e.op("sms.send");
        let j = e.to_json();
        assert!(crate::json::is_valid(j.as_bytes()), "{j}");
        assert_eq!(
            j,
            "{\"kind\":\"validation\",\"message\":\"to: expected a phone number\",\"status\":400,\"operation\":\"sms.send\",\"field\":\"to\",\"retries\":2,\"requestId\":\"req_1\"}"
        );
    }

    #[test]
    fn integers_print() {
        for n in [0u64, 7, 10, 500, 65535, u64::MAX] {
            let mut s = String::new();
            push_u64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
