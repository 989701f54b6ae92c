//! Serde building blocks of the request bodies: trimmed optional text, E.164 phones,
//! non-empty text, and the loose scalars of `POST /__mock/events`. Each error message says
//! what was expected; the `Json` extractor prefixes it with the field's name.

use serde::{Deserialize, Deserializer};

use crate::data::is_e164;

/// An optional text field: absent or `null` → `None`, a string is trimmed and `""` → `None`.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty()))
}

/// A field of a partial update: absent → `None` (unchanged), present → `Some(text)`.
pub fn patch_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    text(d).map(Some)
}

/// An E.164 phone number (`+` then 8–15 digits, not starting with 0), trimmed.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(try_from = "String")]
pub struct Phone(pub String);

impl TryFrom<String> for Phone {
    type Error = String;

    fn try_from(s: String) -> Result<Phone, String> {
        let p = s.trim();
        if is_e164(p) {
            Ok(Phone(p.to_string()))
        } else {
            Err(format!(
                "invalid phone number {p:?}: expected an E.164 number such as +15551234567 ('+' then 8-15 digits, not starting with 0)"
            ))
        }
    }
}

/// A string that is not blank (kept as sent).
#[derive(Deserialize, Debug, Clone)]
#[serde(try_from = "String")]
pub struct NonBlank(pub String);

impl TryFrom<String> for NonBlank {
    type Error = &'static str;

    fn try_from(s: String) -> Result<NonBlank, &'static str> {
        if s.trim().is_empty() {
            Err("must not be empty")
        } else {
            Ok(NonBlank(s))
        }
    }
}

/// A scalar sent as a string, number or boolean, kept as its (trimmed) text — the loose
/// values of the control API (`"duration": 22` and `"duration": "22"` mean the same).
#[derive(Deserialize, Debug, Clone)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS), ts(type = "string | number | boolean"))]
#[serde(try_from = "serde_json::Value")]
pub struct Loose(pub String);

impl TryFrom<serde_json::Value> for Loose {
    type Error = &'static str;

    fn try_from(v: serde_json::Value) -> Result<Loose, &'static str> {
        use serde_json::Value;
        match v {
            Value::String(s) => Ok(Loose(s.trim().to_string())),
            Value::Number(n) => Ok(Loose(n.to_string())),
            Value::Bool(b) => Ok(Loose(b.to_string())),
            _ => Err("must be a string, a number or a boolean"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "text")]
        a: Option<String>,
        #[serde(default, deserialize_with = "patch_text")]
        b: Option<Option<String>>,
        p: Option<Phone>,
        l: Option<Loose>,
    }

    #[test]
    fn shapes() {
        let t: T =
            serde_json::from_value(json!({"a": "  x ", "b": null, "p": " +15551234567", "l": 22}))
                .unwrap();
        assert_eq!(t.a.as_deref(), Some("x"));
        assert_eq!(t.b, Some(None));
        assert_eq!(t.p, Some(Phone("+15551234567".into())));
        assert_eq!(t.l.map(|l| l.0).as_deref(), Some("22"));
        let t: T = serde_json::from_value(json!({"a": ""})).unwrap();
        assert!(t.a.is_none() && t.b.is_none());
        assert!(serde_json::from_value::<T>(json!({"a": 5})).is_err());
        assert!(serde_json::from_value::<T>(json!({"p": "+0555"})).is_err());
        assert!(serde_json::from_value::<T>(json!({"l": [1]})).is_err());
    }
}
