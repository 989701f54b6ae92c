//! Errors as values: a kind a program can branch on, a message a person can act on, and the
//! context (operation, field, status, retries, request id).
//!
//! Nothing in here may ever hold the API key: errors are built from call inputs and responses,
//! and every text that comes from a response or a JS exception goes through `Config::redact`
//! before it lands in a message.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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

/// What JS receives (and wraps into a `TokyError`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub status: Option<u16>,
    #[serde(serialize_with = "empty_is_null")]
    pub operation: String,
    pub field: Option<String>,
    pub retries: u32,
    pub request_id: Option<String>,
    /// `sms.send` only: whether the message went out. `Some(Some(false))`: proven not sent (safe
    /// to send again); `Some(None)`: unknown. Absent on every other operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent: Option<Option<bool>>,
}

fn empty_is_null<S: serde::Serializer>(s: &str, ser: S) -> Result<S::Ok, S::Error> {
    if s.is_empty() {
        ser.serialize_none()
    } else {
        ser.serialize_str(s)
    }
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), field: None, status: None, operation: String::new(), retries: 0, request_id: None, sent: None }
    }

    /// A validation error about one field: the message starts with the field's name so it reads
    /// well on its own, and `field` lets a form put it next to the right input.
    pub fn field(field: &str, expected: &str) -> Error {
        let mut e = Error::new(ErrorKind::Validation, format!("{field}: {expected}"));
        e.field = Some(field.into());
        e
    }

    /// Names the operation, unless an inner step already did.
    pub fn op(mut self, operation: &str) -> Error {
        if self.operation.is_empty() {
            self.operation = operation.into();
        }
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn json_form_is_complete() {
        let mut e = Error::field("to", "expected a phone number");
        e.status = Some(400);
        e.retries = 2;
        e.request_id = Some("req_1".into());
        let e = e.op("sms.send");
        assert_eq!(
            e.to_json(),
            "{\"kind\":\"validation\",\"message\":\"to: expected a phone number\",\"status\":400,\"operation\":\"sms.send\",\"field\":\"to\",\"retries\":2,\"requestId\":\"req_1\"}"
        );
        assert!(Error::new(ErrorKind::Network, "x").to_json().contains("\"operation\":null"));
    }
}
