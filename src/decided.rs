//! The one table of values Toky's documentation leaves open (tagged [DECIDED] in
//! `shared/toky-api.md`), plus the documented constants they sit beside. When the real API turns
//! out to differ, the fix is a one-line change here. The README lists the same values.
//!
//! Resource models (which fields are booleans, numbers, timestamps) live with their resource
//! (`agents.rs`, `contacts.rs`, ...), because most of them are documented.


/// [DOC] Toky's REST base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.toky.co/v1";
/// [SEEN] The auth header; the key goes in as is, no prefix.
pub const KEY_HEADER: &str = "X-Toky-Key";
/// [DECIDED] Hosts that are "the real Toky API" for the browser guard.
pub const REAL_HOST: &str = "toky.co";

/// [DOC] Largest page the API serves.
pub const MAX_LIMIT: u64 = 500;
/// [DECIDED] Page size `iterate` asks for when the caller gives no `pageSize`: large pages mean
/// few round trips, and 100 rows stay small in memory.
pub const DEFAULT_PAGE_SIZE: u64 = 100;

/// [DECIDED] Client defaults (openai-node's values; Toky documents no rate limits).
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
pub const DEFAULT_MAX_RETRIES: u64 = 2;
pub const MAX_RETRIES_LIMIT: u64 = 10;
/// [DECIDED] A `Retry-After` longer than this is not waited for: the call fails with `rate_limit`.
pub const MAX_RETRY_AFTER_MS: f64 = 60_000.0;
/// [DECIDED] Exponential backoff: 500 ms doubling, capped at 8 s, minus up to 25 % jitter.
pub const BACKOFF_BASE_MS: f64 = 500.0;
pub const BACKOFF_CAP_MS: f64 = 8_000.0;
/// [DECIDED] A key this long or longer is masked wherever it appears in a message; a shorter
/// one only where it stands as a whole token (`request::redact`): masking every "e" of a
/// message would garble it, and a short fragment inside a word says nothing about the key.
pub const REDACT_ANYWHERE_LEN: usize = 8;
/// [DECIDED] Header read as the request id of a response, when the server sends one.
pub const REQUEST_ID_HEADERS: [&str; 2] = ["x-request-id", "request-id"];

/// [DECIDED] Watching by polling: time between polls, rows per request while paging back (most
/// polls find nothing new, so smaller than iterate's page), and the longest wait between polls
/// while transient failures last.
pub const WATCH_INTERVAL_MS: u64 = 10_000;
pub const WATCH_PAGE_SIZE: u64 = 50;
pub const WATCH_MAX_BACKOFF_MS: f64 = 60_000.0;
/// [DECIDED] How far back `calls.watch` re-reads each poll (its `lookbackMs` default): a call
/// record is placed by `init_dt` (when the call started) but can only be listed once the call has
/// ended, so a call longer than this that ends after a newer call was yielded is missed. An hour
/// covers all but the rarest calls; the cost is re-reading an hour of call records per poll
/// (one request of `pageSize` rows for up to that many calls an hour).
pub const CALLS_WATCH_LOOKBACK_MS: u64 = 3_600_000;

/// [DECIDED] `sms.send` reconciliation (a send whose answer was lost is looked up in the SMS
/// history instead of being sent again): texts from the attempt's start less a clock-skew
/// margin, one page of this size, read a second time after this wait before the text is called
/// not sent; each read has at most this long (and the call's maxRetries).
pub const SMS_RECONCILE_SKEW_S: i64 = 60;
pub const SMS_RECONCILE_PAGE: u64 = 50;
pub const SMS_RECONCILE_DELAY_MS: u64 = 2_000;
pub const SMS_RECONCILE_READ_TIMEOUT_MS: u64 = 10_000;

/// [DECIDED] A rejected `fetch` whose error (or a `cause` under it) has one of these codes never
/// sent the request: the connection was refused, the host did not resolve, or the TLS handshake
/// failed (Node/undici codes; also any code starting with one of the prefixes). Such an
/// `sms.send` is `sent: false` at once, with no SMS history read. ECONNRESET and the like are
/// not here: a connection can be cut after the request went out.
pub const NEVER_LEFT_CODES: [&str; 14] = [
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EAI_NONAME",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EADDRNOTAVAIL",
    "UND_ERR_CONNECT_TIMEOUT",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "HOSTNAME_MISMATCH",
];
pub const NEVER_LEFT_CODE_PREFIXES: [&str; 3] = ["ERR_TLS_", "ERR_SSL_", "CERT_"];
/// [SEEN] Deno gives no code: its message says the connection could not be made (hyper's
/// "Connect" kind, which covers TCP connect, DNS and the TLS handshake alike).
pub const NEVER_LEFT_MESSAGES: [&str; 1] = ["client error (Connect)"];

/// [DOC for SMS, SEEN for CDRs] The field the `filter` query compares with since/until.
pub const FILTER_FIELD: &str = "created_at";

/// One operation: its name as the JS surface and errors show it, its method and path (`{}` is
/// the one percent-encoded path segment: a phone or an id).
pub struct Route {
    pub op: &'static str,
    pub method: &'static str,
    pub path: &'static str,
}

const fn r(op: &'static str, method: &'static str, path: &'static str) -> Route {
    Route { op, method, path }
}

/// Paths: agents, contacts list and CDRs are [DOC]; `/sms/send` is [SEEN]; the rest [DECIDED].
pub const AGENTS_LIST: Route = r("agents.list", "GET", "/agents");
pub const CONTACTS_LIST: Route = r("contacts.list", "GET", "/contacts");
pub const CONTACTS_GET: Route = r("contacts.get", "GET", "/contacts/{}");
pub const CONTACTS_CREATE: Route = r("contacts.create", "POST", "/contacts");
pub const CONTACTS_UPDATE: Route = r("contacts.update", "PUT", "/contacts/{}");
pub const SMS_SEND: Route = r("sms.send", "POST", "/sms/send");
pub const SMS_LIST: Route = r("sms.list", "GET", "/sms");
pub const VOICEMAILS_LIST: Route = r("voicemails.list", "GET", "/voicemails");
pub const VOICEMAILS_GET: Route = r("voicemails.get", "GET", "/voicemails/{}");
pub const CALLS_LIST: Route = r("calls.list", "GET", "/cdrs");
pub const CALLS_RECORDING: Route = r("calls.recording", "GET", "/recordings/{}");
pub const WEBHOOKS_CREATE: Route = r("webhooks.create", "POST", "/webhooks");
pub const WEBHOOKS_LIST: Route = r("webhooks.list", "GET", "/webhooks");
pub const WEBHOOKS_DELETE: Route = r("webhooks.delete", "DELETE", "/webhooks/{}");

/// [SEEN] `sms.send({agent})` goes out as `email` (the sending agent's login).
pub const SMS_AGENT_FIELD: &str = "email";
/// [SEEN] `webhooks.create({url})` goes out as `hook_url`.
pub const WEBHOOK_URL_FIELD: &str = "hook_url";
/// [DECIDED] Fields a contact can be created and updated with (snake_case, as the API returns them).
pub const CONTACT_CREATE_FIELDS: [&str; 8] =
    ["phone", "first_name", "last_name", "email", "company", "city", "country_code", "created_by"];
pub const CONTACT_UPDATE_FIELDS: [&str; 5] = ["first_name", "last_name", "email", "company", "city"];

/// [DOC] Webhook events.
pub const WEBHOOK_EVENTS: [&str; 7] = [
    "new_call",
    "new_voicemail",
    "new_sms",
    "inbound_call_answered",
    "inbound_call_ended",
    "outbound_call",
    "outbound_call_ended",
];
