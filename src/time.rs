//! Dates and times: the API's loose timestamps turned into ISO-8601 UTC, the caller's since/until
//! bounds turned into the API's filter format, and HTTP-dates (`Retry-After`) turned into Unix
//! milliseconds.
//!
//! Everything is integer arithmetic on proleptic Gregorian days (Howard Hinnant's
//! days-from-civil), so no time library, no float parsing and no `core::fmt` ends up in the wasm.
//! This module never reads a clock: "now" belongs to the caller.


/// A since/until bound as the API's filter wants it, plus a key to order bounds by.
#[derive(Clone, PartialEq)]
#[cfg_attr(test, derive(Debug))]
pub struct Bound {
    /// `YYYY-MM-DD` for a date-only bound, else `YYYY-MM-DD HH:MM:SS` in UTC.
    pub api: String,
    /// (days since 1970-01-01, seconds into that day), UTC.
    pub key: (i64, u32),
    pub date_only: bool,
}

const SHAPE_MSG: &str =
    "expected a date YYYY-MM-DD or a timestamp YYYY-MM-DD HH:MM:SS or ISO-8601 like 2017-06-01T00:00:00Z";

enum Zone {
    /// No suffix: Toky's own timestamps are GMT without saying so, and so are ours.
    Absent,
    /// Seconds east of UTC (0 for `Z`).
    Offset(i32),
}

struct Stamp<'a> {
    y: i64,
    mo: u32,
    d: u32,
    /// (hour, minute, second); None for a date alone.
    time: Option<(u32, u32, u32)>,
    /// The fractional seconds including the dot, or "".
    frac: &'a str,
    zone: Zone,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of `days_from_civil` (Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn valid_date(y: i64, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

/// Exactly `n` ASCII digits at `i`, as a number.
fn digits(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let mut v: u32 = 0;
    for &c in b.get(i..i.checked_add(n)?)? {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u32)?;
    }
    Some(v)
}

fn parse_stamp(s: &str) -> Result<Stamp<'_>, &'static str> {
    let b = s.as_bytes();
    let (y, mo, d) = match (
        digits(b, 0, 4),
        b.get(4),
        digits(b, 5, 2),
        b.get(7),
        digits(b, 8, 2),
    ) {
        (Some(y), Some(b'-'), Some(mo), Some(b'-'), Some(d)) => (y as i64, mo, d),
        _ => return Err(SHAPE_MSG),
    };
    let date_ok = valid_date(y, mo, d);
    if b.len() == 10 {
        if !date_ok {
            return Err("no such calendar date (month 1-12, day within the month)");
        }
        return Ok(Stamp {
            y,
            mo,
            d,
            time: None,
            frac: "",
            zone: Zone::Absent,
        });
    }
    if !matches!(b.get(10), Some(b' ' | b'T' | b't')) {
        return Err(SHAPE_MSG);
    }
    let (h, mi) = match (digits(b, 11, 2), b.get(13), digits(b, 14, 2)) {
        (Some(h), Some(b':'), Some(mi)) => (h, mi),
        _ => return Err(SHAPE_MSG),
    };
    // Seconds are optional because people type "2017-06-01 10:00" as a bound.
    let (sec, mut i) = match b.get(16) {
        Some(b':') => (digits(b, 17, 2).ok_or(SHAPE_MSG)?, 19),
        _ => (0, 16),
    };
    let mut frac = "";
    if b.get(i) == Some(&b'.') {
        let start = i;
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start + 1 {
            return Err(SHAPE_MSG);
        }
        frac = s.get(start..i).unwrap_or("");
    }
    let zone = match b.get(i) {
        None => Zone::Absent,
        Some(b'Z' | b'z') => {
            i += 1;
            Zone::Offset(0)
        }
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2).ok_or(SHAPE_MSG)?;
            let om = if b.get(i + 3) == Some(&b':') {
                let m = digits(b, i + 4, 2).ok_or(SHAPE_MSG)?;
                i += 6;
                m
            } else if let Some(m) = digits(b, i + 3, 2) {
                i += 5;
                m
            } else {
                i += 3;
                0
            };
            if oh > 23 || om > 59 {
                return Err("time-zone offset out of range");
            }
            let secs = (oh * 3600 + om * 60) as i32;
            Zone::Offset(if sign == b'-' { -secs } else { secs })
        }
        Some(_) => return Err(SHAPE_MSG),
    };
    if i != b.len() {
        return Err(SHAPE_MSG);
    }
    if !date_ok {
        return Err("no such calendar date (month 1-12, day within the month)");
    }
    // 60 admits a leap second; it rolls into the next minute wherever arithmetic happens.
    if h > 23 || mi > 59 || sec > 60 {
        return Err("time of day out of range (hour 0-23, minute 0-59, second 0-60)");
    }
    Ok(Stamp {
        y,
        mo,
        d,
        time: Some((h, mi, sec)),
        frac,
        zone,
    })
}

/// Days and seconds-in-day of a stamp's instant in UTC.
fn utc_instant(st: &Stamp) -> (i64, u32) {
    let (h, mi, sec) = st.time.unwrap_or((0, 0, 0));
    let off = match st.zone {
        Zone::Absent => 0,
        Zone::Offset(o) => o as i64,
    };
    let total =
        days_from_civil(st.y, st.mo, st.d) * 86_400 + (h * 3600 + mi * 60 + sec) as i64 - off;
    (total.div_euclid(86_400), total.rem_euclid(86_400) as u32)
}

/// `YYYY-MM-DD`, `sep`, `HH:MM:SS` as ASCII, filled in place (the normaliser formats one per
/// record); None when the year has no four-digit form.
fn stamp_text(y: i64, mo: u32, d: u32, sep: u8, (h, mi, sec): (u32, u32, u32)) -> Option<[u8; 19]> {
    if !(0..=9999).contains(&y) {
        return None;
    }
    let mut text = *b"0000-00-00 00:00:00";
    if let Some(c) = text.get_mut(10) {
        *c = sep;
    }
    for (at, v, width) in [(0, y as u32, 4), (5, mo, 2), (8, d, 2), (11, h, 2), (14, mi, 2), (17, sec, 2)] {
        let mut v = v;
        for k in (at..at + width).rev() {
            if let Some(c) = text.get_mut(k) {
                *c = b'0' + (v % 10) as u8;
            }
            v /= 10;
        }
    }
    Some(text)
}

/// A second as a watch keys it (`YYYY-MM-DDTHH:MM:SS`, UTC, no zone) moved `ms` milliseconds
/// earlier, rounded down to a whole second (so the span covers at least `ms`), in the same form;
/// never before 0000-01-01. None when `key` is not such a second.
pub fn key_minus_ms(key: &str, ms: u64) -> Option<String> {
    let st = parse_stamp(key).ok()?;
    if st.time.is_none() || !st.frac.is_empty() || !matches!(st.zone, Zone::Absent) || key.len() != 19 || key.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    let (days, secs) = utc_instant(&st);
    let back = i64::try_from(ms.div_ceil(1000)).ok()?;
    let total = (days * 86_400 + secs as i64).saturating_sub(back).max(days_from_civil(0, 1, 1) * 86_400);
    let (y, m, d) = civil_from_days(total.div_euclid(86_400));
    let s = total.rem_euclid(86_400) as u32;
    stamp_text(y, m, d, b'T', (s / 3600, s / 60 % 60, s % 60)).map(|t| ascii(&t).to_owned())
}

fn ascii(b: &[u8]) -> &str {
    core::str::from_utf8(b).unwrap_or("")
}

/// `push_timestamp`'s result without the quotes: the ISO-8601 UTC form of an API timestamp.
pub fn iso_timestamp(s: &str) -> Option<String> {
    let mut out = String::new();
    push_timestamp(&mut out, s).then(|| out.trim_matches('"').to_owned())
}

/// Appends a timestamp as the API sends it to `out` as a JSON string in ISO-8601 UTC
/// (`"2017-06-27T19:24:10Z"`; its characters need no escaping). False, with `out` unchanged,
/// when it is not a timestamp we recognise (including a date alone, which stays as it is).
/// Written in place because the normaliser calls it for every record.
///
/// Accepts `YYYY-MM-DD HH:MM[:SS]` (Toky's GMT) and RFC 3339 with `Z`, `±hh:mm`, `±hhmm` or
/// `±hh`; fractional seconds are kept. A stamp without a zone is taken as UTC.
pub fn push_timestamp(out: &mut String, s: &str) -> bool {
    let Ok(st) = parse_stamp(s.trim_ascii()) else { return false };
    let Some((h, mi, sec)) = st.time else { return false };
    let (y, mo, d, h, mi, sec) = match st.zone {
        // No arithmetic, so a leap second survives as written.
        Zone::Absent | Zone::Offset(0) => (st.y, st.mo, st.d, h, mi, sec),
        Zone::Offset(_) => {
            let (days, secs) = utc_instant(&st);
            let (y, m, d) = civil_from_days(days);
            (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
        }
    };
    let Some(text) = stamp_text(y, mo, d, b'T', (h, mi, sec)) else { return false };
    out.push('"');
    out.push_str(ascii(&text));
    out.push_str(st.frac);
    out.push_str("Z\"");
    true
}

/// `YYYY-MM-DD HH:MM:SS` (UTC, the API's form) of a Unix time in seconds; None outside years
/// 0000-9999.
pub fn stamp_of_unix(secs: i64) -> Option<String> {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400) as u32;
    stamp_text(y, m, d, b' ', (s / 3600, s / 60 % 60, s % 60)).map(|t| ascii(&t).to_string())
}

/// A user-supplied since/until bound converted to the API's filter format in UTC.
///
/// `YYYY-MM-DD` stays a date; timestamps (space or `T`, optional seconds, optional fraction,
/// optional zone, no zone = UTC) become `YYYY-MM-DD HH:MM:SS` in UTC with the fraction truncated.
pub fn parse_bound(s: &str) -> Result<Bound, &'static str> {
    let st = parse_stamp(s.trim_ascii())?;
    const RANGE: &str = "the date is out of range once converted to UTC (years 0000-9999)";
    if st.time.is_none() {
        let text = stamp_text(st.y, st.mo, st.d, b' ', (0, 0, 0)).ok_or(RANGE)?;
        return Ok(Bound {
            api: ascii(text.get(..10).unwrap_or(&[])).into(),
            key: (days_from_civil(st.y, st.mo, st.d), 0),
            date_only: true,
        });
    }
    let (days, secs) = utc_instant(&st);
    let (y, m, d) = civil_from_days(days);
    let text = stamp_text(y, m, d, b' ', (secs / 3600, secs / 60 % 60, secs % 60)).ok_or(RANGE)?;
    Ok(Bound {
        api: ascii(&text).into(),
        key: (days, secs),
        date_only: false,
    })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const LONG_DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn month_of(t: &str) -> Option<u32> {
    let i = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(t))?;
    Some(i as u32 + 1)
}

fn is_day_name(t: &str) -> bool {
    DAYS.iter()
        .chain(LONG_DAYS.iter())
        .any(|d| d.eq_ignore_ascii_case(t))
}

/// One or two digits (asctime pads the day with a space, which the tokeniser already ate).
fn day_of(t: &str) -> Option<u32> {
    let b = t.as_bytes();
    match b.len() {
        1 | 2 => digits(b, 0, b.len()),
        _ => None,
    }
}

fn clock_of(t: &str) -> Option<u32> {
    let b = t.as_bytes();
    match (
        b.len(),
        digits(b, 0, 2),
        b.get(2),
        digits(b, 3, 2),
        b.get(5),
        digits(b, 6, 2),
    ) {
        (8, Some(h), Some(b':'), Some(m), Some(b':'), Some(s)) if h < 24 && m < 60 && s <= 60 => {
            Some(h * 3600 + m * 60 + s)
        }
        _ => None,
    }
}

fn is_gmt(t: &str) -> bool {
    t.eq_ignore_ascii_case("GMT") || t.eq_ignore_ascii_case("UTC")
}

/// Parses an HTTP-date (IMF-fixdate, RFC 850 or asctime, as RFC 9110 requires a recipient to)
/// into Unix milliseconds.
// A closure, not `' '`: the char pattern's searcher drags a bounds-check panic, and with it
// `core::fmt`, into the wasm.
#[allow(clippy::manual_pattern_char_comparison)]
pub fn parse_http_date(s: &str) -> Option<f64> {
    let mut t = [""; 6];
    let mut n = 0;
    for tok in s.split(|c: char| c == ' ').filter(|t| !t.is_empty()) {
        *t.get_mut(n)? = tok;
        n += 1;
    }
    let [t0, t1, t2, t3, t4, t5] = t;
    let (wday, comma) = match t0.strip_suffix(',') {
        Some(w) => (w, true),
        None => (t0, false),
    };
    if !is_day_name(wday) {
        return None;
    }
    let (y, m, d, secs) = match (n, comma) {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        (6, true) if is_gmt(t5) && t3.len() == 4 => (
            digits(t3.as_bytes(), 0, 4)? as i64,
            month_of(t2)?,
            day_of(t1)?,
            clock_of(t4)?,
        ),
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
        (4, true) if is_gmt(t3) => {
            // Fixed positions: "06-Nov-94" (or a four-digit year).
            let b = t1.as_bytes();
            if b.get(2) != Some(&b'-') || b.get(6) != Some(&b'-') {
                return None;
            }
            let d = digits(b, 0, 2)?;
            let m = month_of(t1.get(3..6)?)?;
            let y = match b.len() {
                // Two-digit years: RFC 9110 says to read them as at most 50 years ahead.
                9 => {
                    let yy = digits(b, 7, 2)? as i64;
                    if yy < 70 {
                        2000 + yy
                    } else {
                        1900 + yy
                    }
                }
                11 => digits(b, 7, 4)? as i64,
                _ => return None,
            };
            (y, m, d, clock_of(t2)?)
        }
        // asctime: "Sun Nov  6 08:49:37 1994"
        (5, false) if t4.len() == 4 => (
            digits(t4.as_bytes(), 0, 4)? as i64,
            month_of(t1)?,
            day_of(t2)?,
            clock_of(t3)?,
        ),
        _ => return None,
    };
    if !valid_date(y, m, d) {
        return None;
    }
    let total = days_from_civil(y, m, d) * 86_400 + secs as i64;
    Some(total as f64 * 1000.0)
}

#[cfg(test)]
mod tests {

    #[test]
    fn watch_keys_move_back() {
        assert_eq!(key_minus_ms("2026-03-01T00:30:00", 3_600_000).as_deref(), Some("2026-02-28T23:30:00"));
        assert_eq!(key_minus_ms("2024-03-01T00:00:00", 86_400_000).as_deref(), Some("2024-02-29T00:00:00"));
        assert_eq!(key_minus_ms("2026-01-01T00:00:00", 1).as_deref(), Some("2025-12-31T23:59:59"));
        assert_eq!(key_minus_ms("2026-01-01T10:00:00", 0).as_deref(), Some("2026-01-01T10:00:00"));
        assert_eq!(key_minus_ms("2026-06-30T23:59:60", 1_000).as_deref(), Some("2026-06-30T23:59:59"));
        assert_eq!(key_minus_ms("0000-01-01T00:00:10", 60_000).as_deref(), Some("0000-01-01T00:00:00"));
        for bad in ["", "2026-01-01", "2026-01-01T10:00:00Z", "2026-01-01T10:00", "2026-01-01 10:00:00", "2026-13-01T10:00:00", "x"] {
            assert_eq!(key_minus_ms(bad, 1_000), None, "{bad}");
        }
    }

    use super::*;

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for z in -800_000..800_000i64 {
            if z % 97 != 0 {
                continue;
            }
            let (y, m, d) = civil_from_days(z);
            assert!(valid_date(y, m, d));
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn toky_format_becomes_iso() {
        assert_eq!(
            iso_timestamp("2017-06-27 19:24:10").as_deref(),
            Some("2017-06-27T19:24:10Z")
        );
        assert_eq!(
            iso_timestamp(" 2017-06-27 19:24:10 ").as_deref(),
            Some("2017-06-27T19:24:10Z")
        );
        assert_eq!(
            iso_timestamp("2017-06-27 19:24").as_deref(),
            Some("2017-06-27T19:24:00Z")
        );
    }

    #[test]
    fn iso_utc_is_unchanged() {
        for s in [
            "2017-06-27T19:24:10Z",
            "2017-06-27T19:24:10.123Z",
            "2016-12-31T23:59:60Z",
            "0000-01-01T00:00:00Z",
        ] {
            assert_eq!(iso_timestamp(s).as_deref(), Some(s));
        }
        assert_eq!(
            iso_timestamp("2017-06-27t19:24:10z").as_deref(),
            Some("2017-06-27T19:24:10Z")
        );
        assert_eq!(
            iso_timestamp("2017-06-27T19:24:10+00:00").as_deref(),
            Some("2017-06-27T19:24:10Z")
        );
        assert_eq!(
            iso_timestamp("2017-06-27T19:24:10").as_deref(),
            Some("2017-06-27T19:24:10Z")
        );
    }

    #[test]
    fn offsets_convert_to_utc() {
        for s in [
            "2017-06-27T21:24:10+02:00",
            "2017-06-27T21:24:10+0200",
            "2017-06-27T21:24:10+02",
            "2017-06-27 21:24:10+02:00",
        ] {
            assert_eq!(
                iso_timestamp(s).as_deref(),
                Some("2017-06-27T19:24:10Z"),
                "{s}"
            );
        }
        assert_eq!(
            iso_timestamp("2017-06-27T21:24:10.5+02:00").as_deref(),
            Some("2017-06-27T19:24:10.5Z")
        );
        // Across day, month, year and leap-day boundaries.
        assert_eq!(
            iso_timestamp("2017-01-01T01:00:00+05:30").as_deref(),
            Some("2016-12-31T19:30:00Z")
        );
        assert_eq!(
            iso_timestamp("2016-02-28T20:00:00-05:00").as_deref(),
            Some("2016-02-29T01:00:00Z")
        );
        assert_eq!(
            iso_timestamp("2017-02-28T20:00:00-05:00").as_deref(),
            Some("2017-03-01T01:00:00Z")
        );
        assert_eq!(
            iso_timestamp("2017-12-31T23:30:00-0100").as_deref(),
            Some("2018-01-01T00:30:00Z")
        );
        // Leaving the four-digit years has no ISO form we emit.
        assert_eq!(iso_timestamp("0000-01-01T00:00:00+01:00"), None);
        assert_eq!(iso_timestamp("9999-12-31T23:59:59-01:00"), None);
    }

    #[test]
    fn rejects_what_is_not_a_timestamp() {
        for s in [
            "",
            "2017-06-27",
            "2017-06-27T",
            "2017-13-01 00:00:00",
            "2017-00-01 00:00:00",
            "2017-02-29 00:00:00",
            "2017-04-31 00:00:00",
            "2017-06-27 24:00:00",
            "2017-06-27 23:60:00",
            "2017-06-27 23:59:61",
            "2017-06-27 19:24:10+24:00",
            "2017-06-27 19:24:10+02:60",
            "2017-06-27 19:24:10.",
            "2017-06-27 19:24:10Zx",
            "2017-06-27 19:24:10 GMT",
            "17-06-27 19:24:10",
            "2017/06/27 19:24:10",
            "2017-6-27 19:24:10",
            "2017-06-27 1:24:10",
            "abc",
            "2017-06-27X19:24:10",
            "２017-06-27 19:24:10",
            "2017-06-27 19:24:10+",
            "2017-06-27 19:24:10+2",
            "2017-06-27 19:24:10+02:0",
        ] {
            assert_eq!(iso_timestamp(s), None, "{s:?}");
        }
        assert_eq!(
            iso_timestamp("2016-02-29 00:00:00").as_deref(),
            Some("2016-02-29T00:00:00Z")
        );
        assert_eq!(
            iso_timestamp("2000-02-29 00:00:00").as_deref(),
            Some("2000-02-29T00:00:00Z")
        );
        assert_eq!(iso_timestamp("1900-02-29 00:00:00"), None);
    }

    #[test]
    fn bounds() {
        let b = parse_bound("2017-06-01").unwrap();
        assert_eq!(b.api, "2017-06-01");
        assert!(b.date_only);
        assert_eq!(b.key, (days_from_civil(2017, 6, 1), 0));

        let b = parse_bound("2017-06-01T00:00:00.000Z").unwrap();
        assert_eq!(b.api, "2017-06-01 00:00:00");
        assert!(!b.date_only);
        assert_eq!(b.key, (days_from_civil(2017, 6, 1), 0));

        assert_eq!(
            parse_bound("2017-06-01 12:34:56").unwrap().api,
            "2017-06-01 12:34:56"
        );
        assert_eq!(
            parse_bound("2017-06-01T12:34:56.999").unwrap().api,
            "2017-06-01 12:34:56"
        );
        assert_eq!(
            parse_bound("2017-06-01T01:00:00+02:00").unwrap().api,
            "2017-05-31 23:00:00"
        );
        assert_eq!(
            parse_bound("2017-06-01T23:00:00-0130").unwrap().api,
            "2017-06-02 00:30:00"
        );
        assert_eq!(
            parse_bound("2016-12-31T23:59:60Z").unwrap().api,
            "2017-01-01 00:00:00"
        );
        let k = parse_bound("2017-06-01T12:00:00Z").unwrap().key;
        assert_eq!(k, (days_from_civil(2017, 6, 1), 43_200));
        assert!(
            parse_bound("2017-06-01").unwrap().key
                < parse_bound("2017-06-01 00:00:01").unwrap().key
        );
        assert!(
            parse_bound("2017-06-02").unwrap().key
                > parse_bound("2017-06-01 23:59:59").unwrap().key
        );

        assert_eq!(parse_bound("yesterday"), Err(SHAPE_MSG));
        assert_eq!(parse_bound(""), Err(SHAPE_MSG));
        assert!(parse_bound("2017-02-30").is_err());
        assert!(parse_bound("2017-02-01 25:00:00").is_err());
        assert!(parse_bound("0000-01-01T00:00:00+01:00").is_err());
        assert_ne!(parse_bound("2017-02-30").unwrap_err(), SHAPE_MSG);
    }

    #[test]
    fn http_dates() {
        let want = Some(784_111_777_000.0);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), want);
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), want);
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), want);
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(
            parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(1_445_412_480_000.0)
        );
        assert_eq!(
            parse_http_date("Thursday, 01-Jan-30 00:00:00 GMT"),
            Some(1_893_456_000_000.0)
        );
        for s in [
            "",
            "120",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun Nov 6 08:49 1994",
            "Sunday, 06-Nov-94-1 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 006 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(s), None, "{s:?}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let base = "2017-06-27T21:24:10.123+02:00";
        for end in 0..=base.len() {
            let p = &base[..end];
            let _ = iso_timestamp(p);
            let _ = parse_bound(p);
        }
        let http = "Sunday, 06-Nov-94 08:49:37 GMT";
        for end in 0..=http.len() {
            let _ = parse_http_date(&http[..end]);
        }
        for s in [
            "9999-99-99 99:99:99+99:99",
            "2017-06-27 19:24:10+",
            "2017-06-27 19:24:10-99",
            "é",
            "2017-06-27T19:24:10.\u{e9}",
        ] {
            let _ = iso_timestamp(s);
            let _ = parse_bound(s);
            let _ = parse_http_date(s);
        }
    }
}
