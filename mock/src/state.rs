//! Shared server state: the fake account's data plus the control-plane state (faults,
//! journal, webhook deliveries).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::data::{self, Agent, Cdr, Contact, ContactGen, Sms, Voicemail};
use crate::prng::{hash2, Rng};
use crate::time;

pub const DEFAULT_API_KEY: &str = "demo-key";

#[derive(Clone, Debug)]
pub struct Config {
    pub seed: u64,
    pub api_key: String,
    pub contacts: usize,
    pub www: Option<PathBuf>,
    pub pkg: Option<PathBuf>,
    /// Proxy mode: upstream base URL without a trailing slash, and the real key.
    pub upstream: Option<String>,
    pub upstream_key: Option<String>,
    /// Refuse webhook `hook_url`s whose host is not loopback (`--loopback-webhooks`).
    pub loopback_webhooks: bool,
}

/// Locks a mutex, recovering from poisoning (a panicked request must not wedge the server).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Serialize, Clone, Debug)]
pub struct Webhook {
    pub id: String,
    pub event: String,
    pub hook_url: String,
    pub created_at: String,
}

pub enum ContactLoc {
    Seeded(usize),
    Created(usize),
}

/// The fake account's data.
#[derive(Clone)]
pub struct Db {
    pub gen: ContactGen,
    pub agents: Vec<Agent>,
    pub contact_overrides: HashMap<usize, Contact>,
    pub created_contacts: Vec<Contact>,
    pub created_index: HashMap<String, usize>,
    /// Chronological (oldest first); lists are served newest first.
    pub sms: Vec<Sms>,
    pub cdrs: Vec<Cdr>,
    pub voicemails: Vec<Voicemail>,
    pub webhooks: Vec<Webhook>,
    pub next_sms_id: u64,
    pub next_cdr_id: u64,
    pub next_vm_id: u64,
    pub next_hook_id: u64,
    last_runtime_ts: i64,
    /// Randomness for runtime defaults (simulated events).
    pub rng: Rng,
}

impl Db {
    /// The seeded state of `seed` and `contacts`: a copy of the last one built, when it was for
    /// the same two (seeding takes ~2 ms natively; a test suite builds one mock per test, and
    /// `reset` seeds again). The copy is the same data as a fresh seeding: nothing changes the
    /// kept state, and its random generator is copied at its starting point.
    pub fn seeded(seed: u64, contacts: usize) -> Db {
        static LAST: Mutex<Option<(u64, usize, Db)>> = Mutex::new(None);
        let mut last = lock(&LAST);
        if let Some((s, c, db)) = last.as_ref() {
            if (*s, *c) == (seed, contacts) {
                return db.clone();
            }
        }
        let db = Db::seed(seed, contacts);
        *last = Some((seed, contacts, db.clone()));
        db
    }

    fn seed(seed: u64, contacts: usize) -> Db {
        let gen = ContactGen::new(seed, contacts);
        let s = data::seed_events(seed, &gen);
        Db {
            agents: data::agents(seed),
            gen,
            contact_overrides: HashMap::new(),
            created_contacts: Vec::new(),
            created_index: HashMap::new(),
            sms: s.sms,
            cdrs: s.cdrs,
            voicemails: s.voicemails,
            webhooks: Vec::new(),
            next_sms_id: s.next_sms_id,
            next_cdr_id: s.next_cdr_id,
            next_vm_id: s.next_vm_id,
            next_hook_id: 1,
            last_runtime_ts: time::WINDOW_END,
            rng: Rng::new(hash2(seed, 0x2E57)),
        }
    }

    /// "Now" for events created at runtime: the wall clock, but never before the seeded
    /// window nor before the previous runtime event, so runtime events are always newest.
    pub fn runtime_now(&mut self) -> i64 {
        let t = time::now().max(self.last_runtime_ts);
        self.last_runtime_ts = t;
        t
    }

    pub fn contact_total(&self) -> usize {
        self.gen.n + self.created_contacts.len()
    }

    pub fn contact_at(&self, pos: usize) -> Option<Contact> {
        if pos < self.gen.n {
            Some(
                self.contact_overrides
                    .get(&pos)
                    .cloned()
                    .unwrap_or_else(|| self.gen.contact(pos)),
            )
        } else {
            self.created_contacts.get(pos - self.gen.n).cloned()
        }
    }

    pub fn locate_contact(&self, phone: &str) -> Option<ContactLoc> {
        if let Some(j) = self.created_index.get(phone) {
            return Some(ContactLoc::Created(*j));
        }
        self.gen.index_of(phone).map(ContactLoc::Seeded)
    }

    pub fn contact(&self, phone: &str) -> Option<Contact> {
        match self.locate_contact(phone)? {
            ContactLoc::Seeded(i) => self.contact_at(i),
            ContactLoc::Created(j) => self.created_contacts.get(j).cloned(),
        }
    }

    pub fn put_contact(&mut self, loc: &ContactLoc, c: Contact) {
        match loc {
            ContactLoc::Seeded(i) => {
                self.contact_overrides.insert(*i, c);
            }
            ContactLoc::Created(j) => {
                if let Some(slot) = self.created_contacts.get_mut(*j) {
                    *slot = c;
                }
            }
        }
    }

    pub fn add_contact(&mut self, c: Contact) {
        self.created_index
            .insert(c.phone.clone(), self.created_contacts.len());
        self.created_contacts.push(c);
    }

    pub fn add_sms(
        &mut self,
        from: String,
        to: String,
        text: String,
        direction: &str,
        agent: Option<String>,
    ) -> Sms {
        let ts = self.runtime_now();
        let s = Sms {
            id: self.next_sms_id.to_string(),
            from,
            to,
            text,
            direction: direction.to_string(),
            agent,
            created_at: time::fmt(ts),
            ts,
        };
        self.next_sms_id += 1;
        self.sms.push(s.clone());
        s
    }
}

// ---------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------

/// What goes wrong: `status` answers with an error status; `drop_before` closes the connection
/// before the handler runs; `drop_after` runs the handler, then closes without answering;
/// `truncate` and `invalid_json` damage the body; `huge` sends an oversized one; `hang` never
/// answers; `delay` answers late.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    Status,
    DropBefore,
    DropAfter,
    Truncate,
    InvalidJson,
    Huge,
    Hang,
    Delay,
}

impl FaultKind {
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Status => "status",
            FaultKind::DropBefore => "drop_before",
            FaultKind::DropAfter => "drop_after",
            FaultKind::Truncate => "truncate",
            FaultKind::InvalidJson => "invalid_json",
            FaultKind::Huge => "huge",
            FaultKind::Hang => "hang",
            FaultKind::Delay => "delay",
        }
    }
}

/// An armed fault, as `GET /__mock/faults` lists it.
#[derive(Serialize, Clone, Debug)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct Fault {
    /// Its number, in the order faults were armed.
    pub id: u64,
    /// The path after `/v1` it matches, or a prefix ending in `*`.
    pub route: String,
    /// Only requests with this method; null for any method.
    pub method: Option<String>,
    /// What goes wrong.
    pub kind: FaultKind,
    /// The status a `status` fault answers with.
    pub status: u16,
    /// The `Retry-After` header a `status` fault sends, if any.
    pub retry_after: Option<String>,
    /// Milliseconds it waits before answering.
    pub delay_ms: u64,
    /// Matching requests left that will misbehave.
    pub count: u64,
}

impl Fault {
    /// `path` is the request path after `/v1` (e.g. `/contacts/%2B1555...`).
    pub fn matches(&self, method: &str, path: &str, decoded: &str) -> bool {
        if let Some(m) = &self.method {
            if !m.eq_ignore_ascii_case(method) {
                return false;
            }
        }
        let route = self.route.as_str();
        if let Some(prefix) = route.strip_suffix('*') {
            path.starts_with(prefix) || decoded.starts_with(prefix)
        } else {
            let trim = |s: &str| -> String {
                let t = s.trim_end_matches('/');
                if t.is_empty() {
                    "/".to_string()
                } else {
                    t.to_string()
                }
            };
            trim(path) == trim(route) || trim(decoded) == trim(route)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Journal and deliveries
// ---------------------------------------------------------------------------------------

/// One request the mock received, as `GET /__mock/journal` lists it.
#[derive(Serialize, Clone, Debug)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct JournalEntry {
    #[serde(skip)]
    pub seq: u64,
    /// The `X-Request-Id` the mock answered with.
    pub request_id: String,
    /// The request's method.
    pub method: String,
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The query string without `?`, or null when there is none.
    pub query: Option<String>,
    /// The request body as text, or null when empty.
    pub body: Option<String>,
    /// The status sent, or null when no response was sent (a drop or hang fault).
    pub status: Option<u16>,
    /// Whether the route's handler ran (false for auth failures and faults before the handler).
    pub handler_ran: bool,
    /// The kind of the fault that hit this request, if any.
    #[cfg_attr(not(target_arch = "wasm32"), ts(as = "Option<FaultKind>"))]
    pub fault: Option<&'static str>,
}

/// One webhook delivery, as `GET /__mock/deliveries` lists it.
#[derive(Serialize, Clone, Debug)]
#[cfg_attr(not(target_arch = "wasm32"), derive(ts_rs::TS))]
pub struct Delivery {
    /// Its number, in the order deliveries began.
    pub id: u64,
    /// The event's name (`new_sms`, ...).
    pub event: String,
    /// The webhook it went to.
    pub hook_id: String,
    /// The URL it was POSTed to.
    pub hook_url: String,
    /// Attempts so far (retries after 200, 400 and 800 ms).
    pub attempts: u32,
    /// Whether an attempt got a 2xx answer.
    pub delivered: bool,
    /// The status of the last attempt, or null when it got no answer.
    pub last_status: Option<u16>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// The JSON event that was POSTed.
    #[cfg_attr(not(target_arch = "wasm32"), ts(type = "Record<string, unknown>"))]
    pub payload: Value,
}

pub const JOURNAL_CAP: usize = 100_000;

pub struct App {
    pub cfg: Config,
    /// `host:port` of base URLs when a request has no usable Host header.
    pub local_addr: String,
    pub db: Mutex<Db>,
    pub faults: Mutex<Vec<Fault>>,
    pub journal: Mutex<std::collections::VecDeque<JournalEntry>>,
    pub deliveries: Mutex<Vec<Delivery>>,
    /// Bumped on reset, so background deliveries of an older state do not write into the new one.
    pub generation: AtomicU64,
    pub counter: AtomicU64,
    pub request_counter: AtomicU64,
    /// Webhook deliveries (and, natively, proxy mode) go through this.
    pub client: crate::runtime::Transport,
}

impl App {
    pub fn new(cfg: Config, local_addr: String, client: crate::runtime::Transport) -> App {
        App {
            db: Mutex::new(Db::seeded(cfg.seed, cfg.contacts)),
            cfg,
            local_addr,
            faults: Mutex::new(Vec::new()),
            journal: Mutex::new(std::collections::VecDeque::new()),
            deliveries: Mutex::new(Vec::new()),
            generation: AtomicU64::new(0),
            counter: AtomicU64::new(0),
            request_counter: AtomicU64::new(0),
            client,
        }
    }

    pub fn db(&self) -> MutexGuard<'_, Db> {
        lock(&self.db)
    }

    pub fn next_id(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// `req_<16 hex digits>`: a per-process counter.
    pub fn next_request_id(&self) -> String {
        format!(
            "req_{:016x}",
            self.request_counter.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    pub fn reset(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        *self.db() = Db::seeded(self.cfg.seed, self.cfg.contacts);
        lock(&self.faults).clear();
        lock(&self.journal).clear();
        lock(&self.deliveries).clear();
    }

    /// Takes (consumes one use of) the first fault matching this `/v1` request.
    pub fn take_fault(&self, method: &str, path_after_v1: &str, decoded: &str) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let pos = faults
            .iter()
            .position(|f| f.count > 0 && f.matches(method, path_after_v1, decoded))?;
        let f = faults[pos].clone();
        faults[pos].count -= 1;
        if faults[pos].count == 0 {
            faults.remove(pos);
        }
        Some(f)
    }

    pub fn journal_push(&self, mut e: JournalEntry) -> u64 {
        let seq = self.next_id();
        e.seq = seq;
        let mut j = lock(&self.journal);
        // A ring: once full, the oldest entry goes (O(1); a Vec's remove(0) moved all 100,000
        // entries on every request and slowed a long-running mock down measurably).
        if j.len() >= JOURNAL_CAP {
            j.pop_front();
        }
        j.push_back(e);
        seq
    }

    pub fn journal_finish(&self, seq: u64, status: Option<u16>, handler_ran: bool) {
        let mut j = lock(&self.journal);
        if let Some(e) = j.iter_mut().rev().find(|e| e.seq == seq) {
            e.status = status;
            e.handler_ran = handler_ran;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Db;

    fn snapshot(db: &mut Db) -> String {
        let v = serde_json::json!([db.agents, db.sms, db.cdrs, db.voicemails, db.webhooks, db.created_contacts,
            db.next_sms_id, db.next_cdr_id, db.next_vm_id, db.next_hook_id, db.last_runtime_ts, db.rng.next_u64(),
            db.contact_at(3), db.contact_total()]);
        v.to_string()
    }

    /// `Db::seeded` hands out copies of the state it keeps: what one mock does to its copy never
    /// reaches the next mock or a reset, which get exactly what a fresh seeding gives.
    #[test]
    fn seeded_copies_are_fresh_seedings() {
        let mut first = Db::seeded(5, 10);
        first.sms.clear();
        first.cdrs.truncate(1);
        first.next_sms_id += 7;
        first.rng.next_u64();
        first.webhooks.clear();
        let mut again = Db::seeded(5, 10);
        let mut fresh = Db::seed(5, 10);
        assert_eq!(snapshot(&mut again), snapshot(&mut fresh));
        // Another seed or size is seeded anew, and does not change what the first gives.
        let mut other = Db::seeded(6, 10);
        assert_ne!(snapshot(&mut other), snapshot(&mut Db::seed(5, 10)));
        assert_eq!(snapshot(&mut Db::seeded(5, 10)), snapshot(&mut Db::seed(5, 10)));
    }
}
