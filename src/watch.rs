//! Watching by polling: the rules, as plain data. The JS skin owns only the async-iterator shell
//! (timers, the calls to `iterate`); what counts as new, where a watch starts, what its cursor
//! says and how long to wait between polls are decided here.
//!
//! A list is newest first, so each poll pages back from the top until it reaches a record older
//! than the newest second already yielded, then yields what it has not seen, oldest first. What
//! has been yielded is the cursor: the newest second (the record time's first 19 characters,
//! `YYYY-MM-DDTHH:MM:SS`) and the ids yielded at that second, as base64url JSON. It assumes a
//! record never appears with a time older than one already yielded (true of `created_at`, and
//! of CDRs whose `init_dt` order is their arrival order, as in toky-mock).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;
use serde_json::Value;

use crate::args::{self, Arg};
use crate::decided::{WATCH_INTERVAL_MS as DEFAULT_INTERVAL_MS, WATCH_MAX_BACKOFF_MS as MAX_BACKOFF_MS, WATCH_PAGE_SIZE as DEFAULT_PAGE_SIZE};
use crate::error::Error;

const OPTIONS: [&str; 7] = ["intervalMs", "since", "cursor", "pageSize", "signal", "timeoutMs", "maxRetries"];

/// What has been yielded: the newest second and the ids yielded at that second.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub t: String,
    pub ids: Vec<String>,
}

#[derive(Serialize)]
struct Cursor {
    v: u8,
    r: String,
    t: String,
    ids: Vec<String>,
}

/// One record seen while paging back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Older than what was yielded: stop paging.
    Stop,
    /// New: keep it.
    Fresh,
    /// Already yielded or already seen in this poll.
    Skip,
}

/// One watch of `sms`, `voicemails` or `calls`.
#[derive(Debug)]
pub struct Watch {
    pub name: String,
    pub interval_ms: u64,
    pub page_size: u64,
    /// Unknown until the first poll of a watch that begins now.
    pub state: Option<State>,
    /// Within a poll: the newest second seen, the ids seen, and the fresh records (time, id) in
    /// the order seen.
    top: Option<String>,
    seen: Vec<String>,
    fresh: Vec<(String, String)>,
}

/// The field a record is placed in time by: calls by `init_dt` (when the call started), texts
/// and voicemails by `created_at`.
pub fn time_field(name: &str) -> &'static str {
    if name == "calls" {
        "init_dt"
    } else {
        "created_at"
    }
}

/// The second a record is placed at: the first 19 characters of its time field.
pub fn key(time: &str) -> &str {
    time.get(..19).unwrap_or(time)
}

impl Watch {
    /// Checks the watch options (call options included; they go to each list request).
    pub fn new(name: &str, o: &[(String, Arg)]) -> Result<Watch, Error> {
        let op = format!("{name}.watch");
        let fail = |e: Error| e.op(&op);
        args::only(o, &OPTIONS).map_err(|e| {
            let field = e.field.clone().unwrap_or_default();
            fail(Error::field(&field, &format!("unknown option; expected one of {}", OPTIONS.join(", "))))
        })?;
        let interval_ms = match args::get(o, "intervalMs") {
            None | Some(Arg::Null) => DEFAULT_INTERVAL_MS,
            Some(Arg::Num(n)) if (0.0..=86_400_000.0).contains(n) => *n as u64,
            _ => return Err(fail(Error::field("intervalMs", "expected milliseconds from 0 to 86400000"))),
        };
        let page_size = args::int(o, "pageSize", 1, crate::decided::MAX_LIMIT).map_err(fail)?.unwrap_or(DEFAULT_PAGE_SIZE);
        let since = args::get(o, "since").filter(|v| **v != Arg::Null);
        let cursor = args::get(o, "cursor").filter(|v| **v != Arg::Null);
        let state = match (since, cursor) {
            (Some(_), Some(_)) => return Err(fail(Error::field("cursor", "give since or cursor, not both"))),
            (Some(s), None) => Some(State { t: since_key(s).map_err(fail)?, ids: Vec::new() }),
            (None, Some(Arg::Str(c))) => Some(decode_cursor(name, c).ok_or_else(|| {
                fail(Error::field("cursor", &format!("expected a cursor that {op} gave as watcher.cursor")))
            })?),
            (None, Some(_)) => return Err(fail(Error::field("cursor", &format!("expected a cursor that {op} gave as watcher.cursor")))),
            (None, None) => None,
        };
        Ok(Watch { name: name.to_string(), interval_ms, page_size, state, top: None, seen: Vec::new(), fresh: Vec::new() })
    }

    /// Resumes after the last record yielded; None until the starting point is known.
    pub fn cursor(&self) -> Option<String> {
        let s = self.state.as_ref()?;
        let c = Cursor { v: 1, r: self.name.clone(), t: s.t.clone(), ids: s.ids.clone() };
        Some(URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).ok()?))
    }

    /// Starts a poll.
    pub fn begin(&mut self) {
        self.top = self.state.as_ref().map(|s| s.t.clone());
        self.seen.clear();
        self.fresh.clear();
    }

    /// One record of the poll, newest first.
    pub fn see(&mut self, time: &str, id: &str) -> Seen {
        let t = key(time);
        // The first poll of a watch that begins now: the newest second is the start.
        let top = self.top.get_or_insert_with(|| t.to_string());
        if t < top.as_str() {
            return Seen::Stop;
        }
        // Records arriving meanwhile shift later pages: the same record can be seen twice.
        if self.seen.iter().any(|i| i == id) {
            return Seen::Skip;
        }
        self.seen.push(id.to_string());
        match &self.state {
            Some(s) if t <= s.t.as_str() && s.ids.iter().any(|i| i == id) => Seen::Skip,
            _ => {
                self.fresh.push((time.to_string(), id.to_string()));
                Seen::Fresh
            }
        }
    }

    /// Ends a poll. Returns the order to yield its fresh records in (indices in the order `see`
    /// called them fresh, oldest first); for the first poll of a watch that begins now, nothing
    /// is yielded and the start is set.
    pub fn end(&mut self) -> Vec<usize> {
        let fresh = std::mem::take(&mut self.fresh);
        if self.state.is_none() {
            let t = self.top.clone().unwrap_or_default();
            let ids = fresh.iter().filter(|(time, _)| key(time) == t).map(|(_, id)| id.clone()).collect();
            self.state = Some(State { t, ids });
            return Vec::new();
        }
        let mut order: Vec<usize> = (0..fresh.len()).rev().collect();
        // Stable: records of the same second keep their (reversed, so oldest-first) order.
        order.sort_by(|&a, &b| key(&fresh[a].0).cmp(key(&fresh[b].0)));
        order
    }

    /// A record was yielded: it joins the cursor.
    pub fn yielded(&mut self, time: &str, id: &str) {
        let t = key(time);
        match &mut self.state {
            Some(s) if t > s.t.as_str() => *s = State { t: t.to_string(), ids: vec![id.to_string()] },
            Some(s) => {
                if !s.ids.iter().any(|i| i == id) {
                    s.ids.push(id.to_string());
                }
            }
            None => self.state = Some(State { t: t.to_string(), ids: vec![id.to_string()] }),
        }
    }

    /// How long to wait before the next poll: `intervalMs` after the last one began, or after
    /// `fails` transient failures in a row, a backoff doubling up to a minute with jitter.
    pub fn delay_ms(&self, fails: u32, last_ms: f64, now_ms: f64, random: f64) -> f64 {
        if fails > 0 {
            let base = (self.interval_ms as f64).max(100.0) * 2f64.powi(fails.min(20) as i32);
            base.min(MAX_BACKOFF_MS) * (0.75 + random.clamp(0.0, 1.0) / 4.0)
        } else {
            last_ms + self.interval_ms as f64 - now_ms
        }
    }
}

/// Failures a watch rides out (it keeps polling), by `TokyError.kind`: the others end it.
pub fn transient(kind: &str) -> bool {
    matches!(kind, "network" | "timeout" | "server" | "rate_limit")
}

const SINCE_EXPECTED: &str = "expected a Date, YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (UTC) or an ISO-8601 timestamp";

/// `since` as the second it starts at (`YYYY-MM-DDTHH:MM:SS`, UTC).
fn since_key(v: &Arg) -> Result<String, Error> {
    let Arg::Str(s) = v else { return Err(Error::field("since", &args::got(SINCE_EXPECTED, Some(v)))) };
    let b = crate::time::parse_bound(s).map_err(|_| Error::field("since", &args::got(SINCE_EXPECTED, Some(v))))?;
    Ok(if b.date_only { format!("{}T00:00:00", b.api) } else { b.api.replacen(' ', "T", 1) })
}

fn decode_cursor(name: &str, c: &str) -> Option<State> {
    // Read as a JSON value rather than through a derived Deserialize: the derive links serde's
    // float formatting for its error messages (~14 KB of wasm), and nothing here needs them.
    let bytes = URL_SAFE_NO_PAD.decode(c.trim_end_matches('=')).ok()?;
    let k: Value = serde_json::from_slice(&bytes).ok()?;
    let ids = k.get("ids")?.as_array()?.iter().map(|i| i.as_str().map(str::to_string)).collect::<Option<Vec<_>>>()?;
    (k.get("v")?.as_u64() == Some(1) && k.get("r")?.as_str() == Some(name))
        .then(|| Some(State { t: k.get("t")?.as_str()?.to_string(), ids }))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::parse;

    fn watch(name: &str, o: &str) -> Result<Watch, Error> {
        match parse(o) {
            Arg::Obj(o) => Watch::new(name, &o),
            _ => panic!("bad input"),
        }
    }

    #[test]
    fn options_are_checked() {
        let w = watch("sms", "{}").unwrap();
        assert_eq!((w.interval_ms, w.page_size, w.state.is_none()), (10_000, 50, true));
        for (o, field) in [
            (r#"{"intervalMs":-1}"#, "intervalMs"),
            (r#"{"intervalMs":"1s"}"#, "intervalMs"),
            (r#"{"pageSize":501}"#, "pageSize"),
            (r#"{"since":"2026-01-01","cursor":"x"}"#, "cursor"),
            (r#"{"cursor":"nope"}"#, "cursor"),
            (r#"{"since":"last week"}"#, "since"),
            (r#"{"every":5}"#, "every"),
        ] {
            let e = watch("sms", o).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{o}: {}", e.message);
            assert_eq!(e.operation, "sms.watch");
        }
        assert_eq!(watch("sms", r#"{"since":"2026-11-01"}"#).unwrap().state.unwrap().t, "2026-11-01T00:00:00");
        assert_eq!(watch("sms", r#"{"since":"2026-11-01T10:00:00+02:00"}"#).unwrap().state.unwrap().t, "2026-11-01T08:00:00");
    }

    #[test]
    fn cursors_round_trip_and_belong_to_their_resource() {
        let mut w = watch("calls", "{}").unwrap();
        assert_eq!(w.cursor(), None);
        w.yielded("2026-11-21T08:00:00Z", "7");
        w.yielded("2026-11-21T08:00:00Z", "8");
        let c = w.cursor().unwrap();
        let back = watch("calls", &format!(r#"{{"cursor":"{c}"}}"#)).unwrap();
        assert_eq!(back.state, Some(State { t: "2026-11-21T08:00:00".into(), ids: vec!["7".into(), "8".into()] }));
        assert!(watch("sms", &format!(r#"{{"cursor":"{c}"}}"#)).is_err());
        // The format the JS watchers wrote before: base64url of {"v":1,"r":…,"t":…,"ids":[…]}.
        let js = URL_SAFE_NO_PAD.encode(r#"{"v":1,"r":"calls","t":"2026-11-21T08:00:00","ids":["7","8"]}"#);
        assert_eq!(c, js);
    }

    fn poll(w: &mut Watch, rows: &[(&str, &str)]) -> Vec<String> {
        w.begin();
        let mut fresh = Vec::new();
        for (t, id) in rows {
            match w.see(t, id) {
                Seen::Stop => break,
                Seen::Fresh => fresh.push((t.to_string(), id.to_string())),
                Seen::Skip => {}
            }
        }
        let order = w.end();
        order.into_iter().map(|i| fresh[i].1.clone()).collect()
    }

    #[test]
    fn each_record_once_oldest_first() {
        let mut w = watch("sms", "{}").unwrap();
        // The first poll sets the start: nothing already there is yielded.
        assert!(poll(&mut w, &[("2026-01-01T10:00:05Z", "3"), ("2026-01-01T10:00:05Z", "2"), ("2026-01-01T10:00:00Z", "1")]).is_empty());
        // New ones, some at the same second as the start, a repeat across shifted pages.
        let got = poll(
            &mut w,
            &[("2026-01-01T10:00:09Z", "6"), ("2026-01-01T10:00:07Z", "5"), ("2026-01-01T10:00:07Z", "5"), ("2026-01-01T10:00:05Z", "4"), ("2026-01-01T10:00:05Z", "3"), ("2026-01-01T10:00:05Z", "2"), ("2026-01-01T10:00:00Z", "1")],
        );
        assert_eq!(got, ["4", "5", "6"]);
        for id in &got {
            let t = match id.as_str() { "4" => "2026-01-01T10:00:05Z", "5" => "2026-01-01T10:00:07Z", _ => "2026-01-01T10:00:09Z" };
            w.yielded(t, id);
        }
        assert!(poll(&mut w, &[("2026-01-01T10:00:09Z", "6"), ("2026-01-01T10:00:07Z", "5")]).is_empty());
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let w = watch("sms", r#"{"intervalMs":1000}"#).unwrap();
        assert_eq!(w.delay_ms(0, 5_000.0, 5_400.0, 0.0), 600.0);
        assert_eq!(w.delay_ms(1, 0.0, 0.0, 1.0), 2_000.0);
        assert_eq!(w.delay_ms(2, 0.0, 0.0, 0.0), 3_000.0);
        assert_eq!(w.delay_ms(30, 0.0, 0.0, 1.0), 60_000.0);
    }
}
