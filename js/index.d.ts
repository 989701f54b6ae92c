// Types of toky-wasm: what wasm-bindgen cannot express (the Toky class and its namespaces,
// options, iterators, TokyError). The record types are generated from the Rust record structs
// and inserted at the @generated-records marker by scripts/pack.mjs.

/** An ISO-8601 UTC timestamp such as "2017-06-27T19:24:10Z". */
export type Timestamp = string;
/** A phone number in E.164 form: "+" then 8 to 15 digits, e.g. "+15551234567". */
export type Phone = string;

export interface ClientOptions {
  /** Your Toky API key (dashboard: profile icon, API Keys). Sent only to baseUrl's origin. */
  apiKey: string;
  /** Default "https://api.toky.co/v1". In a web page, point this at a proxy that holds the key. */
  baseUrl?: string;
  /** Deadline for a whole call, retries and backoff included. Default 30000. */
  timeoutMs?: number;
  /** Retries of GET/PUT/DELETE after connection failures, 408, 429 and 5xx. Default 2. */
  maxRetries?: number;
  /** A fetch implementation to use instead of the global one: called as `fetch(url, init)`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Allow calling api.toky.co directly from a browser page (exposes the key to the page). */
  allowBrowser?: boolean;
  /** Called before each attempt (retries and sms.send's history reads included). A hook that
   * throws or rejects never breaks the call. */
  onRequest?: (attempt: AttemptInfo) => void | Promise<void>;
  /** Called after each attempt with its status (null: no response), duration and request id. */
  onResponse?: (attempt: AttemptResult) => void | Promise<void>;
}

/** One attempt of a call, as the hooks see it. Never carries the API key. */
export interface AttemptInfo {
  /** The operation, e.g. "contacts.get". */
  operation: string;
  method: string;
  /** The resolved URL (the key travels in a header, never here). */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

export interface AttemptResult extends AttemptInfo {
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  durationMs: number;
  requestId: string | null;
  /** Why the attempt failed without a response (or its body could not be read); else null. */
  error: string | null;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface SmsSendOptions extends CallOptions {
  /** When the answer to the send is lost, read the SMS history to learn whether the text went
   * out (default true). false: reject at once with `sent: null`. */
  reconcile?: boolean;
}

/** What `.withResponse()` adds to a call's data. */
export interface ResponseInfo {
  /** The HTTP status of the response the data came from. */
  status: number;
  /** Its headers (a copy; any value echoing the API key is redacted). */
  headers: Headers;
  requestId: string | null;
  /** Retries made before it. */
  retries: number;
}

/** A call: await it for the data, or `.withResponse()` for `{ data, response }`. */
export interface TokyPromise<T> extends Promise<T> {
  withResponse(): Promise<{ data: T; response: ResponseInfo }>;
}

export interface PageQuery extends CallOptions {
  /** Rows per page, 1 to 500 (server default 10). */
  limit?: number;
  /** First row, from 0. */
  offset?: number;
}

export interface IterateQuery extends CallOptions {
  /** Rows per page while iterating, 1 to 500. Default 100. */
  pageSize?: number;
  /** Stop after this many records. */
  max?: number;
  offset?: number;
}

/** A date bound: "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" (UTC), an ISO-8601 timestamp, or a Date. */
export type DateBound = string | Date;

export interface DateRange {
  /** Records created at or after this moment. */
  since?: DateBound;
  /** Records created at or before this moment (a bare date includes that whole day). */
  until?: DateBound;
}

export interface Page<T> {
  /** Rows in this page (not a grand total). */
  count: number;
  /** Absolute URL of the next page, or null on the last page. */
  next: string | null;
  results: T[];
}

/** One page of `pages()`: a `Page` that knows where it stands in the whole listing. */
export interface OffsetPage<T> extends Page<T> {
  /**
   * Position of this page's first record in the whole listing: the query's `offset` (0 if none)
   * on the first page, then contiguous (the previous page's offset plus its length).
   */
  offset: number;
  /** Absolute URL of the next page; null on the last page (the listing's end, or where `max` stops). */
  next: string | null;
}

// @generated-records: the interfaces of the records (Agent, Contact, Sms, SmsSent, Voicemail,
// CallRecord, Recording, Webhook), the inputs (ContactInput, ContactPatch, SmsInput,
// WebhookInput) and SmsSegments are generated from their Rust types (`examples/typescript.rs`)
// and inserted here by scripts/pack.mjs.

export type WebhookEventName =
  | "new_call"
  | "new_voicemail"
  | "new_sms"
  | "inbound_call_answered"
  | "inbound_call_ended"
  | "outbound_call"
  | "outbound_call_ended";

export interface Deleted {
  success: boolean;
  [field: string]: unknown;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface RawRequest {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | Lowercase<"GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS">;
  /** A path under baseUrl ("/agents") or a full URL under baseUrl. */
  path: string;
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  headers?: Record<string, string>;
  /** JSON-serialised; a string is sent as it is. */
  body?: JsonValue;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, the text otherwise, null when empty. */
  body: JsonValue;
}

export type ErrorKind =
  | "validation"
  | "auth"
  | "permission"
  | "not_found"
  | "conflict"
  | "rate_limit"
  | "server"
  | "network"
  | "timeout"
  | "aborted"
  | "decode"
  | "api";

export declare class TokyError extends Error {
  readonly name: "TokyError";
  readonly kind: ErrorKind;
  /** HTTP status, when a response arrived (also when the deadline passed while its body was
   * still arriving). */
  readonly status: number | null;
  /** The operation, e.g. "sms.send". */
  readonly operation: string | null;
  /** For validation errors: the argument at fault, e.g. "to". For decode errors: the field of
   * the response that is not what its type says, e.g. "segments". */
  readonly field: string | null;
  /** Retries made before giving up. */
  readonly retries: number;
  /** The server's request id, if it sent one. */
  readonly requestId: string | null;
  /** sms.send only (undefined elsewhere): false when the text was proven not sent (safe to
   * send again), null when nobody can tell (check the SMS history first). */
  readonly sent?: false | null;
  toJSON(): {
    name: "TokyError";
    kind: ErrorKind;
    status: number | null;
    message: string;
    operation: string | null;
    field: string | null;
    retries: number;
    requestId: string | null;
    sent?: false | null;
  };
}

/** Call events: every documented event except new_sms and new_voicemail. */
export type CallEventName = "new_call" | "inbound_call_answered" | "inbound_call_ended" | "outbound_call" | "outbound_call_ended";

/** The fields of a call event [DOC], normalised like list records. */
export interface CallEventFields {
  callid: string;
  direction: "inbound" | "outbound" | (string & {});
  web_call: boolean | null;
  /** The agent's email. */
  agent: string | null;
  agent_name: string | null;
  /** Seconds. */
  duration: number | null;
  state: "completed" | "unsuccessful" | "missed" | (string & {});
  from_number: Phone | null;
  to_number: Phone | null;
  date: Timestamp | null;
  record_url: string | null;
  record_url_raw: string | null;
  caller_name: string | null;
  caller_email: string | null;
  caller_country: string | null;
  caller_phone_number: Phone | null;
  contact_name: string | null;
  contact_email: string | null;
  [field: string]: unknown;
}

export interface CallEvent extends CallEventFields {
  event: CallEventName;
}

export interface VoicemailEvent extends CallEventFields {
  event: "new_voicemail";
  voicemail_id: string;
  voicemail_url: string | null;
}

export interface SmsEvent {
  event: "new_sms";
  id: string;
  from_number: Phone | null;
  to_number: Phone | null;
  text: string;
  agent: string | null;
  direction: "inbound" | "outbound" | (string & {});
  date: Timestamp | null;
  [field: string]: unknown;
}

/** What `parseWebhookEvent` returns for a documented event: switch on `event` to narrow. */
export type WebhookEvent = SmsEvent | CallEvent | VoicemailEvent;

/**
 * An event name Toky may add later is not an error: it is returned with its fields normalised
 * the same way. It is left out of `WebhookEvent` so that `switch (e.event)` narrows; in a
 * `default:` branch, read it as `e as UnknownWebhookEvent`.
 */
export interface UnknownWebhookEvent {
  event: string;
  [field: string]: unknown;
}

export type WebhookEventOf<E extends string> = E extends "new_sms"
  ? SmsEvent
  : E extends "new_voicemail"
    ? VoicemailEvent
    : E extends CallEventName
      ? CallEvent & { event: E }
      : UnknownWebhookEvent;

export interface ParseWebhookOptions {
  /** The event this hook URL receives, for bodies without `event`. Differs from the body's: decode error. */
  event?: WebhookEventName | (string & {});
  /**
   * The secret you put in the hook URL (`?token=...`). Toky signs nothing, so this is the one
   * honest check: with `token`, `url` must carry it, or a TokyError of kind "auth" is thrown.
   */
  token?: string;
  /** The URL the request was sent to: absolute, or path and query (Node's `req.url`). */
  url?: string | URL;
}

/** A request body: text, bytes (UTF-8) or the object a body parser already made. */
export type WebhookBody = string | Uint8Array | ArrayBuffer | ArrayBufferView | object;

export interface WatchOptions extends CallOptions {
  /** Time between polls, from 0 to 86400000. Default 10000. */
  intervalMs?: number;
  /** Also yield the records already there from this moment on (inclusive, to the second). */
  since?: DateBound;
  /** Resume after the last record a previous watcher yielded (its `cursor`). Not with `since`. */
  cursor?: string;
  /** Rows per request while paging back, 1 to 500. Default 50. */
  pageSize?: number;
}

export interface CallsWatchOptions extends WatchOptions {
  /**
   * How far back each poll re-reads, in milliseconds, from 0 to 86400000. Default 3600000 (an
   * hour). A call record is placed by `init_dt` (when the call started) but listed once it ends,
   * so a call that ends after a newer one was yielded is still yielded, once, if it began at
   * most this long before the newest call yielded. 0 is the rule of `sms.watch`.
   */
  lookbackMs?: number;
}

/**
 * Yields each new record exactly once, oldest first. Stops when `signal` aborts (the loop ends
 * normally, no error), on `break`/`return()`, or with the error of a non-transient failure;
 * network, timeout, server and rate_limit failures are retried with backoff.
 */
export interface Watcher<T> extends AsyncIterableIterator<T> {
  /** Pass as `cursor` to resume after the last record yielded; null until the start is known. */
  readonly cursor: string | null;
  next(): Promise<IteratorResult<T, undefined>>;
  return(): Promise<IteratorResult<T, undefined>>;
  [Symbol.asyncIterator](): Watcher<T>;
}

export interface Listing<T, Q> {
  list(query?: PageQuery & Q): TokyPromise<Page<T>>;
  /** Every record, page by page, following `next` lazily. */
  iterate(query?: IterateQuery & Q): AsyncGenerator<T, void, undefined>;
  /** The same listing a page at a time, with each page's offset: for exact progress. */
  pages(query?: IterateQuery & Q): AsyncGenerator<OffsetPage<T>, void, undefined>;
}

export declare class Toky {
  constructor(options: ClientOptions);
  readonly agents: Listing<Agent, {}>;
  readonly contacts: Listing<Contact, {}> & {
    get(phone: Phone, options?: CallOptions): TokyPromise<Contact>;
    create(input: ContactInput, options?: CallOptions): TokyPromise<Contact>;
    update(phone: Phone, patch: ContactPatch, options?: CallOptions): TokyPromise<Contact>;
  };
  readonly sms: Listing<Sms, DateRange> & {
    /** Sends a text, never twice. When the answer is lost, the SMS history says whether it went
     * out: found, it resolves with `reconciled: true`; else TokyError.sent is false or null. */
    send(input: SmsInput, options?: SmsSendOptions): TokyPromise<SmsSent>;
    /** New text messages as they arrive (by polling), oldest first, each once. */
    watch(options?: WatchOptions): Watcher<Sms>;
  };
  readonly voicemails: Listing<Voicemail, {}> & {
    get(id: string, options?: CallOptions): TokyPromise<Voicemail & { url: string }>;
    /** New voicemails as they arrive (by polling), oldest first, each once. */
    watch(options?: WatchOptions): Watcher<Voicemail>;
  };
  readonly calls: Listing<CallRecord, DateRange> & {
    recording(callid: string, options?: CallOptions): TokyPromise<Recording>;
    /**
     * New call records as they arrive (by polling), oldest first, each once; a long call listed
     * after newer ones is caught by re-reading the last `lookbackMs` each poll.
     */
    watch(options?: CallsWatchOptions): Watcher<CallRecord>;
  };
  readonly webhooks: Listing<Webhook, {}> & {
    create(input: WebhookInput, options?: CallOptions): TokyPromise<Webhook>;
    delete(id: string, options?: CallOptions): TokyPromise<Deleted>;
    /**
     * Like create, but returns the existing hook with the same event and URL if there is one.
     * `.withResponse()` shows the response the hook came from: the list page or the create.
     */
    subscribe(input: WebhookInput, options?: CallOptions): TokyPromise<Webhook>;
    /**
     * Deletes a hook: true if it was deleted now, false if it was already gone (then
     * `.withResponse()` shows the 404's status and request id, and no headers).
     */
    unsubscribe(hook: string | { id: string }, options?: CallOptions): TokyPromise<boolean>;
  };
  /** The raw "Make an API call": any method and path under baseUrl, with the key added. */
  request(input: RawRequest, options?: CallOptions): TokyPromise<RawResponse>;
}

/** How an SMS text is billed: encoding, billed characters and segments. */
export declare function smsSegments(text: string): SmsSegments;

/**
 * Reads one webhook delivery into a typed event, normalised like list records. Throws a
 * TokyError: "decode" for a body that is not a JSON object with an event name, "auth" when
 * `token` is given and `url` does not carry it, "validation" for bad options.
 */
export declare function parseWebhookEvent<E extends WebhookEventName>(
  body: WebhookBody,
  options: ParseWebhookOptions & { event: E },
): WebhookEventOf<E>;
export declare function parseWebhookEvent(body: WebhookBody, options?: ParseWebhookOptions): WebhookEvent;
