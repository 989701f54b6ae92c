//! Watching by polling: the rules, as plain data. The JS skin owns only the async-iterator shell
//! (timers, the calls to `iterate`); what counts as new, where a watch starts, what its cursor
//! says and how long to wait between polls are decided here.
//!
//! A list is newest first, so each poll pages back from the top until it reaches a record older
//! than the watch's floor, then yields what it has not handled, oldest first. The floor is the
//! newest second already yielded (`t`, the record time's first 19 characters,
//! `YYYY-MM-DDTHH:MM:SS`) minus a look-back window W, never below `since`; the ids handled at or
//! after the floor are kept (and pruned as the floor rises), so a record is yielded once even
//! when it is read again.
//!
//! W is 0 for texts and voicemails: `created_at` is when a record appears, so none appears older
//! than one already yielded. Calls are placed by `init_dt` (when the call started) but listed
//! once they end, so a long call can appear after a newer short one was yielded: calls re-read
//! the last `lookbackMs` (default [`CALLS_WATCH_LOOKBACK_MS`]) each poll. A call whose record
//! appears more than W after a newer call's `init_dt` is still missed.
//!
//! The cursor is base64url JSON of what a restart needs: `{v:1,r,t,ids}` for texts and
//! voicemails (the ids yielded at second `t`), `{v:2,r,t,f,ids:[[second,id],…]}` for calls
//! (`f` the floor, the ids handled since it).

use base64ct::Encoding;
use serde::Serialize;
use serde_json::Value;

use crate::args::{self, Arg};
use crate::decided::{
    CALLS_WATCH_LOOKBACK_MS, WATCH_INTERVAL_MS as DEFAULT_INTERVAL_MS, WATCH_MAX_BACKOFF_MS as MAX_BACKOFF_MS, WATCH_PAGE_SIZE as DEFAULT_PAGE_SIZE,
};
use crate::error::Error;

const OPTIONS: [&str; 7] = ["intervalMs", "since", "cursor", "pageSize", "signal", "timeoutMs", "maxRetries"];
const CALL_OPTIONS: [&str; 8] = ["intervalMs", "since", "cursor", "pageSize", "signal", "timeoutMs", "maxRetries", "lookbackMs"];
/// Largest `lookbackMs`: a day.
const MAX_LOOKBACK_MS: u64 = 86_400_000;

/// What has been handled: the newest second yielded, the floor (nothing older is yielded), and
/// the ids handled at or after the floor, with their second.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub t: String,
    pub floor: String,
    pub ids: Vec<(String, String)>,
}

#[derive(Serialize)]
struct CursorV1<'a> {
    v: u8,
    r: &'a str,
    t: &'a str,
    ids: Vec<&'a str>,
}

#[derive(Serialize)]
struct CursorV2<'a> {
    v: u8,
    r: &'a str,
    t: &'a str,
    f: &'a str,
    ids: &'a [(String, String)],
}

/// One record seen while paging back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Older than the floor: stop paging.
    Stop,
    /// New: keep it.
    Fresh,
    /// Already handled or already seen in this poll.
    Skip,
}

/// One watch of `sms`, `voicemails` or `calls`.
#[derive(Debug)]
pub struct Watch {
    pub name: String,
    pub interval_ms: u64,
    pub page_size: u64,
    /// The look-back window W in milliseconds (0 but for calls).
    pub lookback_ms: u64,
    /// Unknown until the first poll of a watch that begins now.
    pub state: Option<State>,
    /// Within a poll: the newest second seen by the first poll of a watch that begins now, the
    /// floor the poll stops below, the ids seen, and the fresh records (time, id) in the order
    /// seen.
    top: Option<String>,
    lo: Option<String>,
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
        let calls = name == "calls";
        let allowed: &[&str] = if calls { &CALL_OPTIONS } else { &OPTIONS };
        args::only(o, allowed).map_err(|e| {
            let field = e.field.clone().unwrap_or_default();
            fail(Error::field(&field, &format!("unknown option; expected one of {}", allowed.join(", "))))
        })?;
        let interval_ms = match args::get(o, "intervalMs") {
            None | Some(Arg::Null) => DEFAULT_INTERVAL_MS,
            Some(Arg::Num(n)) if (0.0..=86_400_000.0).contains(n) => *n as u64,
            _ => return Err(fail(Error::field("intervalMs", "expected milliseconds from 0 to 86400000"))),
        };
        let lookback_ms = match args::get(o, "lookbackMs") {
            _ if !calls => 0,
            None | Some(Arg::Null) => CALLS_WATCH_LOOKBACK_MS,
            Some(Arg::Num(n)) if (0.0..=MAX_LOOKBACK_MS as f64).contains(n) => *n as u64,
            _ => return Err(fail(Error::field("lookbackMs", "expected milliseconds from 0 to 86400000"))),
        };
        let page_size = args::int(o, "pageSize", 1, crate::decided::MAX_LIMIT).map_err(fail)?.unwrap_or(DEFAULT_PAGE_SIZE);
        let since = args::get(o, "since").filter(|v| **v != Arg::Null);
        let cursor = args::get(o, "cursor").filter(|v| **v != Arg::Null);
        let state = match (since, cursor) {
            (Some(_), Some(_)) => return Err(fail(Error::field("cursor", "give since or cursor, not both"))),
            (Some(s), None) => {
                let t = since_key(s).map_err(fail)?;
                Some(State { floor: t.clone(), t, ids: Vec::new() })
            }
            (None, Some(Arg::Str(c))) => Some(decode_cursor(name, c).ok_or_else(|| {
                fail(Error::field("cursor", &format!("expected a cursor that {op} gave as watcher.cursor")))
            })?),
            (None, Some(_)) => return Err(fail(Error::field("cursor", &format!("expected a cursor that {op} gave as watcher.cursor")))),
            (None, None) => None,
        };
        Ok(Watch { name: name.to_string(), interval_ms, page_size, lookback_ms, state, top: None, lo: None, seen: Vec::new(), fresh: Vec::new() })
    }

    /// Resumes after the last record yielded; None until the starting point is known.
    pub fn cursor(&self) -> Option<String> {
        let s = self.state.as_ref()?;
        let json = if self.name == "calls" {
            serde_json::to_vec(&CursorV2 { v: 2, r: &self.name, t: &s.t, f: &s.floor, ids: &s.ids })
        } else {
            let ids = s.ids.iter().map(|(_, id)| id.as_str()).collect();
            serde_json::to_vec(&CursorV1 { v: 1, r: &self.name, t: &s.t, ids })
        };
        Some(base64ct::Base64UrlUnpadded::encode_string(&json.ok()?))
    }

    /// The floor for a newest second `t`: `t` minus the window, or `t` itself when the window
    /// is 0 or `t` is not a second (an empty list's start).
    fn back(&self, t: &str) -> String {
        match self.lookback_ms {
            0 => t.to_string(),
            w => crate::time::key_minus_ms(t, w).unwrap_or_else(|| t.to_string()),
        }
    }

    /// Starts a poll.
    pub fn begin(&mut self) {
        self.top = None;
        self.lo = self.state.as_ref().map(|s| s.floor.clone());
        self.seen.clear();
        self.fresh.clear();
    }

    /// One record of the poll, newest first.
    pub fn see(&mut self, time: &str, id: &str) -> Seen {
        let t = key(time);
        // The first poll of a watch that begins now: the newest second is the start, and what
        // is within the window below it is already there.
        if self.lo.is_none() {
            self.lo = Some(self.back(t));
            self.top = Some(t.to_string());
        }
        if self.lo.as_deref().is_some_and(|lo| t < lo) {
            return Seen::Stop;
        }
        // Records arriving meanwhile shift later pages: the same record can be seen twice.
        if self.seen.iter().any(|i| i == id) {
            return Seen::Skip;
        }
        self.seen.push(id.to_string());
        match &self.state {
            Some(s) if t <= s.t.as_str() && s.ids.iter().any(|(_, i)| i == id) => Seen::Skip,
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
            let t = self.top.take().unwrap_or_default();
            let floor = self.lo.take().unwrap_or_default();
            let mut ids = Vec::new();
            for (time, id) in fresh {
                let k = key(&time);
                if floor.as_str() <= k && k <= t.as_str() {
                    ids.push((k.to_string(), id));
                }
            }
            self.state = Some(State { t, floor, ids });
            return Vec::new();
        }
        let mut order: Vec<usize> = (0..fresh.len()).rev().collect();
        // Stable: records of the same second keep their (reversed, so oldest-first) order.
        order.sort_by(|&a, &b| key(&fresh[a].0).cmp(key(&fresh[b].0)));
        order
    }

    /// A record was yielded: it joins the cursor; when it is the newest, the floor rises and
    /// the ids below it are dropped.
    pub fn yielded(&mut self, time: &str, id: &str) {
        let k = key(time);
        let raised = match &self.state {
            Some(s) if k <= s.t.as_str() => None,
            _ => Some(self.back(k)),
        };
        let s = self.state.get_or_insert_with(|| State { t: k.to_string(), floor: k.to_string(), ids: Vec::new() });
        if let Some(f) = raised {
            s.t = k.to_string();
            if f > s.floor {
                s.floor = f;
            }
            let floor = s.floor.as_str();
            s.ids.retain(|(t, _)| t.as_str() >= floor);
        }
        if k >= s.floor.as_str() && !s.ids.iter().any(|(_, i)| i == id) {
            s.ids.push((k.to_string(), id.to_string()));
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
    let bytes = base64ct::Base64UrlUnpadded::decode_vec(c.trim_end_matches('=')).ok()?;
    let k: Value = serde_json::from_slice(&bytes).ok()?;
    if k.get("r")?.as_str() != Some(name) {
        return None;
    }
    let t = k.get("t")?.as_str()?.to_string();
    // v1: texts' and voicemails' cursor, and calls' before the look-back window: the ids yielded
    // at `t`; nothing older than `t` was looked for, so `t` is the floor. v2 (calls): the floor
    // and the ids handled since it, with their second.
    let v = k.get("v")?.as_u64()?;
    let floor = match v {
        1 => t.clone(),
        2 if name == "calls" => k.get("f")?.as_str()?.to_string(),
        _ => return None,
    };
    let mut ids = Vec::new();
    for p in k.get("ids")?.as_array()? {
        ids.push(match (v, p) {
            (1, Value::String(i)) => (t.clone(), i.clone()),
            (2, Value::Array(a)) => match a.as_slice() {
                [Value::String(at), Value::String(i)] => (at.clone(), i.clone()),
                _ => return None,
            },
            _ => return None,
        });
    }
    (floor <= t).then_some(State { t, floor, ids })
}

#[cfg(test)]
mod tests {
    use super::*;
    // The `base64` crate, as an independent encoder: cursors older versions wrote with it.
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
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
        let at = |id: &str| ("2026-11-21T08:00:00".to_string(), id.to_string());
        assert_eq!(back.state, Some(State { t: "2026-11-21T08:00:00".into(), floor: "2026-11-21T08:00:00".into(), ids: vec![at("7"), at("8")] }));
        assert!(watch("sms", &format!(r#"{{"cursor":"{c}"}}"#)).is_err());
        // Calls write v2: the floor and the ids handled since it, with their second.
        let v2 = URL_SAFE_NO_PAD.encode(r#"{"v":2,"r":"calls","t":"2026-11-21T08:00:00","f":"2026-11-21T08:00:00","ids":[["2026-11-21T08:00:00","7"],["2026-11-21T08:00:00","8"]]}"#);
        assert_eq!(c, v2);
        // Texts and voicemails keep the format the JS watchers wrote before: base64url of
        // {"v":1,"r":…,"t":…,"ids":[…]}.
        let mut w = watch("sms", "{}").unwrap();
        w.yielded("2026-11-21T08:00:00Z", "7");
        w.yielded("2026-11-21T08:00:00Z", "8");
        let c = w.cursor().unwrap();
        let js = URL_SAFE_NO_PAD.encode(r#"{"v":1,"r":"sms","t":"2026-11-21T08:00:00","ids":["7","8"]}"#);
        assert_eq!(c, js);
        let back = watch("sms", &format!(r#"{{"cursor":"{c}"}}"#)).unwrap();
        assert_eq!(back.state, Some(State { t: "2026-11-21T08:00:00".into(), floor: "2026-11-21T08:00:00".into(), ids: vec![at("7"), at("8")] }));
        // A v2 cursor is only a calls cursor; a malformed one is refused.
        assert!(watch("sms", &format!(r#"{{"cursor":"{}"}}"#, v2.replace("calls", "sms"))).is_err());
        for bad in [
            r#"{"v":2,"r":"calls","t":"2026-11-21T08:00:00","ids":[]}"#,
            r#"{"v":2,"r":"calls","t":"2026-11-21T08:00:00","f":"2026-11-21T08:00:00","ids":["7"]}"#,
            r#"{"v":2,"r":"calls","t":"2026-11-21T08:00:00","f":"2026-11-21T08:00:00","ids":[["2026-11-21T08:00:00"]]}"#,
            r#"{"v":2,"r":"calls","t":"2026-11-21T08:00:00","f":"2026-11-21T09:00:00","ids":[]}"#,
            r#"{"v":3,"r":"calls","t":"2026-11-21T08:00:00","f":"2026-11-21T08:00:00","ids":[]}"#,
        ] {
            let c = URL_SAFE_NO_PAD.encode(bad);
            assert!(watch("calls", &format!(r#"{{"cursor":"{c}"}}"#)).is_err(), "{bad}");
        }
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

    /// A poll of `w` and the records it yields marked as yielded, as the skin does.
    fn run(w: &mut Watch, rows: &[(&str, &str)]) -> Vec<String> {
        let got = poll(w, rows);
        for id in &got {
            if let Some((t, _)) = rows.iter().find(|(_, i)| i == id) {
                w.yielded(t, id);
            }
        }
        got
    }

    fn reopen(w: &Watch) -> Watch {
        let c = w.cursor().unwrap();
        watch(&w.name, &format!(r#"{{"cursor":"{c}","intervalMs":0}}"#)).unwrap()
    }

    #[test]
    fn lookback_is_a_calls_option() {
        assert_eq!(watch("calls", "{}").unwrap().lookback_ms, 3_600_000);
        assert_eq!(watch("calls", r#"{"lookbackMs":0}"#).unwrap().lookback_ms, 0);
        assert_eq!(watch("calls", r#"{"lookbackMs":86400000}"#).unwrap().lookback_ms, 86_400_000);
        assert_eq!(watch("calls", r#"{"lookbackMs":null}"#).unwrap().lookback_ms, 3_600_000);
        for o in [r#"{"lookbackMs":-1}"#, r#"{"lookbackMs":86400001}"#, r#"{"lookbackMs":"1h"}"#, r#"{"lookbackMs":true}"#] {
            let e = watch("calls", o).unwrap_err();
            assert_eq!((e.field.as_deref(), e.operation.as_str()), (Some("lookbackMs"), "calls.watch"), "{o}");
            assert_eq!(e.message, "lookbackMs: expected milliseconds from 0 to 86400000");
        }
        for name in ["sms", "voicemails"] {
            assert_eq!(watch(name, "{}").unwrap().lookback_ms, 0);
            let e = watch(name, r#"{"lookbackMs":60000}"#).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("lookbackMs"));
            assert_eq!(e.operation, format!("{name}.watch"));
            assert_eq!(e.message, "lookbackMs: unknown option; expected one of intervalMs, since, cursor, pageSize, signal, timeoutMs, maxRetries");
        }
        let e = watch("calls", r#"{"every":5}"#).unwrap_err();
        assert!(e.message.ends_with("maxRetries, lookbackMs"), "{}", e.message);
    }

    #[test]
    fn a_late_long_call_is_yielded_once() {
        let mut w = watch("calls", "{}").unwrap();
        // Begin now: what is within the window below the newest call is already there.
        assert!(run(&mut w, &[("2026-01-01T10:00:00Z", "3"), ("2026-01-01T09:30:00Z", "2"), ("2026-01-01T08:00:00Z", "1")]).is_empty());
        assert_eq!(w.state.as_ref().map(|s| (s.floor.as_str(), s.ids.len())), Some(("2026-01-01T09:00:00", 2)));
        // A short call starts and ends.
        assert_eq!(run(&mut w, &[("2026-01-01T10:05:00Z", "4"), ("2026-01-01T10:00:00Z", "3"), ("2026-01-01T09:30:00Z", "2")]), ["4"]);
        // A long call that began before it ends: its record lands below the newest one.
        let rows = [
            ("2026-01-01T10:05:00Z", "4"),
            ("2026-01-01T10:01:00Z", "5"),
            ("2026-01-01T10:00:00Z", "3"),
            ("2026-01-01T09:30:00Z", "2"),
            ("2026-01-01T08:00:00Z", "1"),
        ];
        let mut again = reopen(&w);
        assert_eq!(run(&mut w, &rows), ["5"]);
        assert!(run(&mut w, &rows).is_empty());
        // A restart from the cursor saved after it does not yield it again...
        assert!(run(&mut reopen(&w), &rows).is_empty());
        // ...and one from the cursor saved before it yields it (once).
        assert_eq!(run(&mut again, &rows), ["5"]);
        assert!(run(&mut reopen(&again), &rows).is_empty());
        // With no window (the rules before), the late call is missed.
        let mut old = watch("calls", r#"{"lookbackMs":0}"#).unwrap();
        assert!(run(&mut old, &rows[2..]).is_empty());
        assert_eq!(run(&mut old, &[rows[0], rows[2]]), ["4"]);
        assert!(run(&mut old, &rows).is_empty());
    }

    #[test]
    fn late_calls_oldest_first_with_new_ones() {
        let mut w = watch("calls", r#"{"since":"2026-01-01T10:00:00Z"}"#).unwrap();
        assert_eq!(run(&mut w, &[("2026-01-01T10:05:00Z", "4"), ("2026-01-01T10:00:00Z", "3")]), ["3", "4"]);
        let got = run(&mut w, &[("2026-01-01T10:09:00Z", "7"), ("2026-01-01T10:05:00Z", "4"), ("2026-01-01T10:04:00Z", "6"), ("2026-01-01T10:02:00Z", "5"), ("2026-01-01T10:00:00Z", "3")]);
        assert_eq!(got, ["5", "6", "7"]);
    }

    #[test]
    fn the_window_is_pruned_as_time_advances() {
        let mut w = watch("calls", r#"{"lookbackMs":600000}"#).unwrap();
        assert!(run(&mut w, &[("2026-01-01T10:00:00Z", "1")]).is_empty());
        let mut rows: Vec<(String, String)> = vec![("2026-01-01T10:00:00Z".into(), "1".into())];
        for m in 1..=30 {
            rows.insert(0, (format!("2026-01-01T10:{m:02}:00Z"), (m + 1).to_string()));
            let r: Vec<(&str, &str)> = rows.iter().map(|(t, i)| (t.as_str(), i.as_str())).collect();
            assert_eq!(run(&mut w, &r), [(m + 1).to_string()]);
            let s = w.state.as_ref().unwrap();
            // Ten minutes of calls, one a minute, plus the one at the floor.
            assert!(s.ids.len() <= 11, "{}", s.ids.len());
            assert!(s.ids.iter().all(|(t, _)| t.as_str() >= s.floor.as_str()));
        }
        let s = w.state.as_ref().unwrap();
        assert_eq!((s.t.as_str(), s.floor.as_str()), ("2026-01-01T10:30:00", "2026-01-01T10:20:00"));
        assert_eq!(s.ids.first().map(|(_, i)| i.as_str()), Some("21"));
        // A late call older than the window is not looked for (the known limit).
        let mut r: Vec<(&str, &str)> = rows.iter().map(|(t, i)| (t.as_str(), i.as_str())).collect();
        r.insert(20, ("2026-01-01T10:10:30Z", "late"));
        assert!(run(&mut w, &r).is_empty());
    }

    #[test]
    fn since_is_a_floor() {
        let mut w = watch("calls", r#"{"since":"2026-01-01T10:00:00Z"}"#).unwrap();
        let rows = [("2026-01-01T10:20:00Z", "3"), ("2026-01-01T10:00:00Z", "2"), ("2026-01-01T09:59:59Z", "1")];
        assert_eq!(run(&mut w, &rows), ["2", "3"]);
        assert_eq!(w.state.as_ref().map(|s| s.floor.as_str()), Some("2026-01-01T10:00:00"));
        // A late call from before since is never yielded, even within the window.
        let late = [("2026-01-01T10:20:00Z", "3"), ("2026-01-01T10:00:00Z", "2"), ("2026-01-01T09:59:58Z", "0"), ("2026-01-01T09:59:59Z", "1")];
        assert!(run(&mut w, &late).is_empty());
        assert!(run(&mut reopen(&w), &late).is_empty());
    }

    #[test]
    fn a_calls_cursor_from_before_the_window_is_read() {
        let v1 = URL_SAFE_NO_PAD.encode(r#"{"v":1,"r":"calls","t":"2026-01-01T10:00:00","ids":["3"]}"#);
        let mut w = watch("calls", &format!(r#"{{"cursor":"{v1}"}}"#)).unwrap();
        let rows = [("2026-01-01T10:00:00Z", "3"), ("2026-01-01T09:59:00Z", "2"), ("2026-01-01T09:00:00Z", "1")];
        // Nothing older than its second is yielded: it was not looked for then either.
        assert!(run(&mut w, &rows).is_empty());
        let rows = [("2026-01-01T10:10:00Z", "5"), ("2026-01-01T10:00:00Z", "3"), ("2026-01-01T09:59:00Z", "2")];
        assert_eq!(run(&mut w, &rows), ["5"]);
        // From then on the window works.
        let rows = [("2026-01-01T10:10:00Z", "5"), ("2026-01-01T10:05:00Z", "4"), ("2026-01-01T10:00:00Z", "3"), ("2026-01-01T09:59:00Z", "2")];
        assert_eq!(run(&mut w, &rows), ["4"]);
        assert_eq!(w.state.as_ref().map(|s| s.floor.as_str()), Some("2026-01-01T10:00:00"));
    }

    #[test]
    fn texts_keep_the_rules_without_a_window() {
        let mut w = watch("sms", "{}").unwrap();
        assert!(run(&mut w, &[("2026-01-01T10:00:00Z", "2"), ("2026-01-01T09:59:00Z", "1")]).is_empty());
        assert_eq!(run(&mut w, &[("2026-01-01T10:05:00Z", "3"), ("2026-01-01T10:00:00Z", "2")]), ["3"]);
        // A record older than the newest yielded is not looked for.
        assert!(run(&mut w, &[("2026-01-01T10:05:00Z", "3"), ("2026-01-01T10:04:00Z", "x"), ("2026-01-01T10:00:00Z", "2")]).is_empty());
        let s = w.state.as_ref().unwrap();
        assert_eq!((s.t.as_str(), s.floor.as_str(), s.ids.len()), ("2026-01-01T10:05:00", "2026-01-01T10:05:00", 1));
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
