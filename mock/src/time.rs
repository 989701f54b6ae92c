//! Civil-date arithmetic (no chrono): Toky timestamps are `YYYY-MM-DD HH:MM:SS` in GMT.

// web-time: std's SystemTime::now() panics on wasm32-unknown-unknown.
use web_time::{SystemTime, UNIX_EPOCH};

pub const fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub const fn ts(y: i64, mo: u32, d: u32, h: i64, mi: i64, s: i64) -> i64 {
    days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s
}

/// Seeded events (SMS, calls, voicemails) lie in this window.
pub const WINDOW_START: i64 = ts(2025, 11, 1, 0, 0, 0);
pub const WINDOW_END: i64 = ts(2026, 10, 31, 23, 59, 59);

/// `YYYY-MM-DD HH:MM:SS` (GMT).
pub fn fmt(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if (0..=9999).contains(&y) {
        // Digits written directly: seeding formats thousands of timestamps, and `format!` was
        // most of `new TokyMock`'s time in a freshly compiled wasm instance.
        let mut out = String::with_capacity(19);
        for (v, width, sep) in [
            (y, 4, Some('-')),
            (m as i64, 2, Some('-')),
            (d as i64, 2, Some(' ')),
            (secs / 3600, 2, Some(':')),
            ((secs / 60) % 60, 2, Some(':')),
            (secs % 60, 2, None),
        ] {
            for p in (0..width).rev() {
                let digit = (v / 10_i64.pow(p)) % 10;
                out.push(char::from(b'0' + digit as u8));
            }
            out.extend(sep);
        }
        return out;
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        y,
        m,
        d,
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(WINDOW_END + 1)
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` (a `T` separator and a trailing `Z` are
/// tolerated). Returns the timestamp and whether only a date was given.
pub fn parse(s: &str) -> Option<(i64, bool)> {
    let s = s.trim();
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (date, time) = match s.len() {
        10 => (s, None),
        19 => {
            let sep = s.as_bytes()[10];
            if sep != b' ' && sep != b'T' {
                return None;
            }
            (s.get(..10)?, Some(s.get(11..)?))
        }
        _ => return None,
    };
    let db = date.as_bytes();
    if db[4] != b'-' || db[7] != b'-' {
        return None;
    }
    let y = num(date.get(0..4)?)?;
    let m = num(date.get(5..7)?)? as u32;
    let d = num(date.get(8..10)?)? as u32;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let day = days_from_civil(y, m, d) * 86_400;
    match time {
        None => Some((day, true)),
        Some(t) => {
            let tb = t.as_bytes();
            if tb.len() != 8 || tb[2] != b':' || tb[5] != b':' {
                return None;
            }
            let h = num(t.get(0..2)?)?;
            let mi = num(t.get(3..5)?)?;
            let se = num(t.get(6..8)?)?;
            if h > 23 || mi > 59 || se > 59 {
                return None;
            }
            Some((day + h * 3600 + mi * 60 + se, false))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        assert_eq!(fmt(0), "1970-01-01 00:00:00");
        assert_eq!(fmt(WINDOW_END), "2026-10-31 23:59:59");
        let (t, date_only) = parse("2017-06-27 19:24:10").unwrap();
        assert!(!date_only);
        assert_eq!(fmt(t), "2017-06-27 19:24:10");
        // Outside 0000..=9999 the years are written by `format!`.
        assert_eq!(fmt(ts(12_000, 1, 2, 3, 4, 5)), "12000-01-02 03:04:05");
        assert_eq!(fmt(ts(9_999, 12, 31, 23, 59, 59)), "9999-12-31 23:59:59");
        assert_eq!(parse("2024-02-29"), Some((ts(2024, 2, 29, 0, 0, 0), true)));
        assert_eq!(parse("2023-02-29"), None);
        assert_eq!(parse("2023-13-01"), None);
        assert_eq!(parse("2023-1-01"), None);
    }
}
