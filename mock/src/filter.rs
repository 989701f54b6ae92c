//! The date `filter` grammar of the list routes:
//! `(created_at >= 2017-06-01) AND (created_at <= 2017-06-02)` — one or two clauses joined
//! by `AND` (any case), parentheses optional, operators `>= <= > < =`, dates `YYYY-MM-DD` or
//! `YYYY-MM-DD HH:MM:SS`. The query string itself is decoded by the `Query` extractor.

use crate::error::ApiError;
use crate::time;

/// Inclusive time bounds from `filter=(created_at >= …) AND (created_at <= …)`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Filter {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
}

impl Filter {
    pub fn contains(&self, t: i64) -> bool {
        self.lo.is_none_or(|lo| t >= lo) && self.hi.is_none_or(|hi| t <= hi)
    }
}

const FILTER_HELP: &str =
    "expected e.g. (created_at >= 2017-06-01) AND (created_at <= 2017-06-02); dates YYYY-MM-DD or YYYY-MM-DD HH:MM:SS";

/// Parses the date filter. `fields` are the accepted field names (`created_at`, plus
/// `init_dt` for CDRs).
pub fn parse_filter(raw: &str, fields: &[&str]) -> Result<Filter, String> {
    let fail = |detail: String| format!("invalid filter {raw:?}: {detail}; {FILTER_HELP}");
    // `AND` in any case; `to_ascii_uppercase` keeps byte offsets, so they index `raw` too.
    let upper = raw.to_ascii_uppercase();
    let mut clauses = Vec::new();
    let mut start = 0;
    for (at, _) in upper.match_indices("AND") {
        clauses.push(raw.get(start..at).unwrap_or(""));
        start = at + 3;
    }
    clauses.push(raw.get(start..).unwrap_or(""));
    if clauses.len() > 2 {
        return Err(fail("at most two clauses joined by AND".into()));
    }
    let mut f = Filter::default();
    for c in clauses {
        let mut c = c.trim();
        if c.is_empty() {
            return Err(fail("empty clause".into()));
        }
        match (c.strip_prefix('('), c.ends_with(')')) {
            (Some(inner), true) => c = inner.strip_suffix(')').unwrap_or(inner).trim(),
            (None, false) => {}
            _ => return Err(fail(format!("unbalanced parentheses in {c:?}"))),
        }
        let field_end = c
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .unwrap_or(c.len());
        let (field, rest) = c.split_at(field_end);
        if !fields.contains(&field) {
            return Err(fail(format!(
                "unknown field {field:?} (supported: {})",
                fields.join(", ")
            )));
        }
        let rest = rest.trim_start();
        let (op, value) = if let Some(v) = rest.strip_prefix(">=") {
            (">=", v)
        } else if let Some(v) = rest.strip_prefix("<=") {
            ("<=", v)
        } else if let Some(v) = rest.strip_prefix('>') {
            (">", v)
        } else if let Some(v) = rest.strip_prefix('<') {
            ("<", v)
        } else if let Some(v) = rest.strip_prefix('=') {
            ("=", v)
        } else {
            return Err(fail(format!(
                "expected an operator (>=, <=, >, <, =) after {field}"
            )));
        };
        let value = value.trim().trim_matches(|ch| ch == '\'' || ch == '"');
        let Some((t, date_only)) = time::parse(value) else {
            return Err(fail(format!("bad date {value:?}")));
        };
        let day_end = t + 86_399;
        let (lo, hi) = match (op, date_only) {
            (">=", _) => (Some(t), None),
            (">", true) => (Some(day_end + 1), None),
            (">", false) => (Some(t + 1), None),
            ("<=", true) => (None, Some(day_end)),
            ("<=", false) => (None, Some(t)),
            ("<", _) => (None, Some(t - 1)),
            (_, true) => (Some(t), Some(day_end)),
            (_, false) => (Some(t), Some(t)),
        };
        if let Some(lo) = lo {
            f.lo = Some(f.lo.map_or(lo, |x: i64| x.max(lo)));
        }
        if let Some(hi) = hi {
            f.hi = Some(f.hi.map_or(hi, |x: i64| x.min(hi)));
        }
    }
    Ok(f)
}

/// The `filter` query parameter: `Ok(None)` when absent or blank.
pub fn param(raw: Option<&str>, fields: &[&str]) -> Result<Option<Filter>, ApiError> {
    match raw {
        None => Ok(None),
        Some(f) if f.trim().is_empty() => Ok(None),
        Some(f) => parse_filter(f, fields)
            .map(Some)
            .map_err(ApiError::bad_request),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        let f = parse_filter(
            "(created_at >= 2017-06-01) AND (created_at <= 2017-06-02)",
            &["created_at"],
        )
        .unwrap();
        assert_eq!(f.lo, Some(time::ts(2017, 6, 1, 0, 0, 0)));
        assert_eq!(f.hi, Some(time::ts(2017, 6, 2, 23, 59, 59)));
        let g = parse_filter(
            "(created_at <= 2017-06-02) and (created_at >= 2017-06-01)",
            &["created_at"],
        )
        .unwrap();
        assert_eq!(f, g);
        let h = parse_filter("created_at >= 2017-06-01 10:00:00", &["created_at"]).unwrap();
        assert_eq!(h.lo, Some(time::ts(2017, 6, 1, 10, 0, 0)));
        assert!(parse_filter("(created_at >= yesterday)", &["created_at"]).is_err());
        assert!(parse_filter("(updated_at >= 2017-06-01)", &["created_at"]).is_err());
        assert!(parse_filter("(created_at >= 2017-06-01", &["created_at"]).is_err());
        assert!(parse_filter("created_at 2017-06-01", &["created_at"]).is_err());
    }
}
