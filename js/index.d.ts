// Types of toky-wasm: what wasm-bindgen cannot express (the Toky class and its namespaces,
// options, iterators, TokyError). The record types are generated from the Rust record structs
// and inserted at the @generated-records marker by scripts/pack.mjs.

/** An ISO-8601 UTC timestamp such as "2017-06-27T19:24:10Z". */
export type Timestamp = string;
/** A phone number in E.164 form: "+" then 8 to 15 digits, e.g. "+15551234567". */
export type Phone = string;

/**
 * Options of `new Toky(options)`. Only `apiKey` is required; every other option has a default.
 *
 * @example
 * ```ts
 * const toky = new Toky({
 *   apiKey: process.env.TOKY_API_KEY!,
 *   timeoutMs: 10_000,
 *   onResponse: ({ operation, status, durationMs }) => console.debug(operation, status, durationMs),
 * });
 * ```
 */
export interface ClientOptions {
  /** Your Toky API key (dashboard: profile icon, API Keys). Sent only to baseUrl's origin. */
  apiKey: string;
  /** Default "https://api.toky.co/v1". In a web page, point this at a proxy that holds the key;
   * in tests, at toky-mock (`http://127.0.0.1:PORT/v1`). */
  baseUrl?: string;
  /** Deadline for a whole call, retries and backoff included, in milliseconds: 1 to 600000.
   * Default 30000. */
  timeoutMs?: number;
  /** Retries of GET/PUT/DELETE after connection failures, 408, 429 and 5xx: 0 to 10. Default 2.
   * POST (sending a text, creating a contact or a webhook) is never retried. */
  maxRetries?: number;
  /** A fetch implementation to use instead of the global one: called as `fetch(url, init)`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Extra headers sent with every request (not `X-Toky-Key`: the key comes from `apiKey`). */
  headers?: Record<string, string>;
  /** Allow calling api.toky.co directly from a browser main thread (exposes the key to the
   * page). Default false: `new Toky` refuses it with a `validation` error. */
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
  /** The HTTP method, e.g. "GET". */
  method: string;
  /** The resolved URL (the key travels in a header, never here). */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

/** One attempt of a call once it ended, as `onResponse` sees it. Never carries the API key. */
export interface AttemptResult extends AttemptInfo {
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  /** Time from sending the request to the response's end (or the failure), in milliseconds. */
  durationMs: number;
  /** The server's request id (`x-request-id`), or null. */
  requestId: string | null;
  /** Why the attempt failed without a response (or its body could not be read); else null. */
  error: string | null;
}

/**
 * Per-call options: the last argument of every operation (for `list`, `iterate` and `pages`,
 * part of the query object). They override the client's for this call only.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const contact = await toky.contacts.get("+15551234567", { signal: stop.signal, timeoutMs: 5_000, maxRetries: 0 });
 * ```
 */
export interface CallOptions {
  /** Aborts the call (and the request in flight, or a backoff sleep): it rejects with a
   * TokyError of kind `aborted`. */
  signal?: AbortSignal;
  /** Deadline of this call, retries and backoff included, in milliseconds (1 to 600000);
   * past it the call rejects with kind `timeout`. Default: the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Retries of this call (0 to 10; GET, PUT and DELETE only). Default: the client's `maxRetries`. */
  maxRetries?: number;
}

/** The call options of `sms.send`: {@link CallOptions} and `reconcile`. */
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
  /** The server's request id (`x-request-id` or `request-id`), or null. */
  requestId: string | null;
  /** Retries made before it. */
  retries: number;
}

/** A call: await it for the data, or `.withResponse()` for `{ data, response }`. */
export interface TokyPromise<T> extends Promise<T> {
  /**
   * The same single request's data with the response it came from.
   *
   * @example
   * ```ts
   * const { data: contact, response } = await toky.contacts.get("+15551234567").withResponse();
   * console.log(response.status, response.requestId, contact.phone);
   * ```
   * @throws {@link TokyError} as the call itself does.
   */
  withResponse(): Promise<{
    /** What awaiting the call gives. */
    data: T;
    /** Status, headers, request id and retries of the response. */
    response: ResponseInfo;
  }>;
}

/** The query of `list()`: one page, from `offset`, and the call options. */
export interface PageQuery extends CallOptions {
  /** Rows per page, 1 to 500 (server default 10). */
  limit?: number;
  /** First row, from 0. */
  offset?: number;
}

/** The query of `iterate()` and `pages()`: page size, a cap, a start, and the call options. */
export interface IterateQuery extends CallOptions {
  /** Rows per page while iterating, 1 to 500. Default 100. */
  pageSize?: number;
  /** Stop after this many records. */
  max?: number;
  /** First row, from 0. Default 0. */
  offset?: number;
}

/** A date bound: "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" (UTC), an ISO-8601 timestamp, or a Date. */
export type DateBound = string | Date;

/** The date filter of `sms` and `calls` listings (SMS by `created_at`, calls by `init_dt`). */
export interface DateRange {
  /** Records created at or after this moment. */
  since?: DateBound;
  /** Records created at or before this moment (a bare date includes that whole day). */
  until?: DateBound;
}

/** One page of a listing, as `list()` returns it. */
export interface Page<T> {
  /** Rows in this page (not a grand total). */
  count: number;
  /** Absolute URL of the next page, or null on the last page. */
  next: string | null;
  /** The records of this page, normalised (see each record type). */
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

/** The events a webhook can subscribe to, as Toky documents them. */
export type WebhookEventName =
  | "new_call"
  | "new_voicemail"
  | "new_sms"
  | "inbound_call_answered"
  | "inbound_call_ended"
  | "outbound_call"
  | "outbound_call_ended";

/** What `webhooks.delete` resolves with. */
export interface Deleted {
  /** true: Toky deleted it. */
  success: boolean;
  [field: string]: unknown;
}

/** Any JSON value: the body of a raw call. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A raw call: `toky.request(input)`. */
export interface RawRequest {
  /** Default "GET". Upper or lower case. */
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | Lowercase<"GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS">;
  /** A path under baseUrl ("/agents") or a full URL under baseUrl. */
  path: string;
  /** Query parameters, encoded for you; an array repeats the parameter. */
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  /** Extra headers for this request (not `X-Toky-Key`). */
  headers?: Record<string, string>;
  /** JSON-serialised; a string is sent as it is. */
  body?: JsonValue;
}

/** What `toky.request` resolves with for a 2xx response. */
export interface RawResponse {
  /** The HTTP status. */
  status: number;
  /** The response headers, lower-case names (a value echoing the key is redacted). */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, the text otherwise, null when empty. */
  body: JsonValue;
}

/**
 * What went wrong, as `TokyError.kind`:
 *
 * | kind | when |
 * |---|---|
 * | `validation` | bad input caught before any request (the message names the field), or a 400/413/422 |
 * | `auth` | 401: missing or wrong key; a webhook URL without its token |
 * | `permission` | 402 (Toky needs a paid plan), 403 |
 * | `not_found` | 404 |
 * | `conflict` | 409 (e.g. a contact with that phone exists) |
 * | `rate_limit` | 429 after the retries, or a `Retry-After` longer than 60 s |
 * | `server` | 5xx after the retries |
 * | `network` | the connection failed or was cut |
 * | `timeout` | no complete response within `timeoutMs` (408 after the retries too) |
 * | `aborted` | the caller's `AbortSignal` fired |
 * | `decode` | the body was not the JSON expected |
 * | `api` | a 2xx whose body says `"success": false`, a redirect, or a `next` URL outside `baseUrl` |
 */
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

/**
 * Every failure of the client: `instanceof TokyError` works, `kind` says what went wrong, and
 * `message` is Toky's `error_message` when there is one. No field, message, `toString`, JSON
 * form or stack ever holds the API key.
 *
 * @example
 * ```ts
 * try {
 *   await toky.contacts.get("+15551234567");
 * } catch (e) {
 *   if (e instanceof TokyError && e.kind === "not_found") console.log("no such contact");
 *   else throw e;
 * }
 * ```
 */
export declare class TokyError extends Error {
  /** Always "TokyError". */
  readonly name: "TokyError";
  /** What went wrong: see {@link ErrorKind}. */
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
  /** The error as a plain object, for logs (`JSON.stringify(e)`); never holds the key. */
  toJSON(): {
    /** Always "TokyError". */
    name: "TokyError";
    /** As {@link TokyError.kind}. */
    kind: ErrorKind;
    /** As {@link TokyError.status}. */
    status: number | null;
    /** The message. */
    message: string;
    /** As {@link TokyError.operation}. */
    operation: string | null;
    /** As {@link TokyError.field}. */
    field: string | null;
    /** As {@link TokyError.retries}. */
    retries: number;
    /** As {@link TokyError.requestId}. */
    requestId: string | null;
    /** As {@link TokyError.sent} (sms.send only). */
    sent?: false | null;
  };
}

/** Call events: every documented event except new_sms and new_voicemail. */
export type CallEventName = "new_call" | "inbound_call_answered" | "inbound_call_ended" | "outbound_call" | "outbound_call_ended";

/** The fields of a call event [DOC], normalised like list records. */
export interface CallEventFields {
  /** The call's id (`calls.recording` takes it). */
  callid: string;
  /** "inbound", "outbound", or another value Toky may add. */
  direction: "inbound" | "outbound" | (string & {});
  /** Whether the call was made from the web app. */
  web_call: boolean | null;
  /** The agent's email. */
  agent: string | null;
  /** The agent's name. */
  agent_name: string | null;
  /** Seconds. */
  duration: number | null;
  /** How the call ended: "completed", "unsuccessful", "missed", or another value Toky may add. */
  state: "completed" | "unsuccessful" | "missed" | (string & {});
  /** The caller's number. */
  from_number: Phone | null;
  /** The number called. */
  to_number: Phone | null;
  /** When it happened. */
  date: Timestamp | null;
  /** URL of the call's recording, when there is one. */
  record_url: string | null;
  /** URL of the unprocessed recording, when there is one. */
  record_url_raw: string | null;
  /** The caller's name, when Toky knows it. */
  caller_name: string | null;
  /** The caller's email, when Toky knows it. */
  caller_email: string | null;
  /** The caller's country. */
  caller_country: string | null;
  /** The caller's number as Toky recorded it. */
  caller_phone_number: Phone | null;
  /** The matching contact's name. */
  contact_name: string | null;
  /** The matching contact's email. */
  contact_email: string | null;
  [field: string]: unknown;
}

/** A call event delivered to a webhook (`parseWebhookEvent`). */
export interface CallEvent extends CallEventFields {
  /** Which call event. */
  event: CallEventName;
}

/** A `new_voicemail` event delivered to a webhook (`parseWebhookEvent`). */
export interface VoicemailEvent extends CallEventFields {
  /** Always "new_voicemail". */
  event: "new_voicemail";
  /** The voicemail's id (`voicemails.get` takes it). */
  voicemail_id: string;
  /** URL of the voicemail's audio. */
  voicemail_url: string | null;
}

/** A `new_sms` event delivered to a webhook (`parseWebhookEvent`). */
export interface SmsEvent {
  /** Always "new_sms". */
  event: "new_sms";
  /** The message id. */
  id: string;
  /** The sending number. */
  from_number: Phone | null;
  /** The receiving number. */
  to_number: Phone | null;
  /** The message text. */
  text: string;
  /** The agent's email, for texts an agent sent. */
  agent: string | null;
  /** "inbound" or "outbound". */
  direction: "inbound" | "outbound" | (string & {});
  /** When it was sent or received. */
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
  /** The event's name, as the body says. */
  event: string;
  [field: string]: unknown;
}

/** The event type `parseWebhookEvent` returns when `options.event` names the event. */
export type WebhookEventOf<E extends string> = E extends "new_sms"
  ? SmsEvent
  : E extends "new_voicemail"
    ? VoicemailEvent
    : E extends CallEventName
      ? CallEvent & {
          /** The event named in the options. */
          event: E;
        }
      : UnknownWebhookEvent;

/** Options of `parseWebhookEvent`. */
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

/** Options of `sms.watch` and `voicemails.watch` (and, with `lookbackMs`, `calls.watch`);
 * `signal` ends the watch normally, `timeoutMs` and `maxRetries` apply to each request. */
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

/** Options of `calls.watch`: {@link WatchOptions} and the look-back window. */
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
  /**
   * Waits for the next new record (what `for await` calls).
   * @throws {@link TokyError} of a failure that retrying cannot fix (e.g. `auth`, `permission`,
   *   `validation`, `decode`); `network`, `timeout`, `server` and `rate_limit` are retried.
   */
  next(): Promise<IteratorResult<T, undefined>>;
  /** Ends the watch (what `break` calls), cancelling a request in flight. */
  return(): Promise<IteratorResult<T, undefined>>;
  /** The watcher itself: `for await (const r of watcher)`. */
  [Symbol.asyncIterator](): Watcher<T>;
}

/**
 * The three ways to read a listing (`toky.agents`, `contacts`, `sms`, `voicemails`, `calls`,
 * `webhooks`): one page, every record, or every page. `sms` and `calls` also take a
 * {@link DateRange} in the query.
 */
export interface Listing<T, Q> {
  /**
   * One page of records: `limit` rows from `offset`.
   *
   * @example
   * ```ts
   * const { results, next } = await toky.contacts.list({ limit: 50, offset: 100 });
   * const { results: texts } = await toky.sms.list({ since: "2026-11-01", until: "2026-11-30" });
   * ```
   * @throws {@link TokyError} `validation` for a bad query (before any request);
   *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
   */
  list(query?: PageQuery & Q): TokyPromise<Page<T>>;
  /**
   * Every record, page by page, following `next` lazily: one page in memory at a time, the next
   * fetched only when the loop asks for more. `break` fetches nothing more.
   *
   * @example
   * ```ts
   * for await (const contact of toky.contacts.iterate({ pageSize: 500 })) console.log(contact.phone);
   * ```
   * @throws {@link TokyError} `validation` for a bad query (before any request);
   *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call, from the page request that failed (see {@link ErrorKind}).
   */
  iterate(query?: IterateQuery & Q): AsyncGenerator<T, void, undefined>;
  /**
   * The same listing a page at a time, with each page's offset: for exact progress. The total is
   * known when `next` is null (Toky's envelope has no grand total).
   *
   * @example
   * ```ts
   * for await (const { results, offset, next } of toky.contacts.pages({ pageSize: 500 }))
   *   console.log(`${offset + results.length} contacts${next ? ", more to come" : ", done"}`);
   * ```
   * @throws {@link TokyError} `validation` for a bad query (before any request);
   *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call, from the page request that failed (see {@link ErrorKind}).
   */
  pages(query?: IterateQuery & Q): AsyncGenerator<OffsetPage<T>, void, undefined>;
}

/**
 * The client. One instance per key and base URL; it holds no connection and needs no closing.
 * Each namespace holds one resource's operations; every operation returns a
 * {@link TokyPromise} (await it, or call `.withResponse()`), and every failure is a
 * {@link TokyError}.
 *
 * @example
 * ```ts
 * import { Toky } from "toky-wasm";
 *
 * const toky = new Toky({ apiKey: process.env.TOKY_API_KEY! });
 * const { results: agents } = await toky.agents.list();
 * ```
 */
export declare class Toky {
  /**
   * Checks the options (no request is made).
   *
   * @example
   * ```ts
   * const toky = new Toky({ apiKey: process.env.TOKY_API_KEY!, baseUrl: "http://127.0.0.1:8787/v1" });
   * ```
   * @throws {@link TokyError} `validation` for a missing `apiKey` or a bad option (the message
   *   names it), or the real Toky host on a browser main thread without `allowBrowser`.
   */
  constructor(options: ClientOptions);
  /** The account's agents. See {@link Listing}. */
  readonly agents: Listing<Agent, {}>;
  /** The address book: listings, and one contact by phone number. */
  readonly contacts: Listing<Contact, {}> & {
    /**
     * One contact, by phone number (E.164).
     *
     * @example
     * ```ts
     * const contact = await toky.contacts.get("+15551234567");
     * ```
     * @throws {@link TokyError} `validation` for a phone that is not E.164 (before any request); `not_found` when no contact has it;
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    get(phone: Phone, options?: CallOptions): TokyPromise<Contact>;
    /**
     * Creates a contact. POST: never retried.
     *
     * @example
     * ```ts
     * await toky.contacts.create({ phone: "+15557654321", first_name: "Ada", last_name: "Lovelace" });
     * ```
     * @throws {@link TokyError} `validation` for a bad field (before any request; `field` names it); `conflict` when a contact has that phone;
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    create(input: ContactInput, options?: CallOptions): TokyPromise<Contact>;
    /**
     * Changes the given fields of a contact; `null` clears one.
     *
     * @example
     * ```ts
     * await toky.contacts.update("+15557654321", { company: "Analytical Engines", city: null });
     * ```
     * @throws {@link TokyError} `validation` for a bad phone or field (before any request); `not_found` when no contact has that phone;
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    update(phone: Phone, patch: ContactPatch, options?: CallOptions): TokyPromise<Contact>;
  };
  /** Text messages: the history (with a date filter), sending, and watching for new ones. */
  readonly sms: Listing<Sms, DateRange> & {
    /**
     * Sends a text, never twice. When the answer is lost, the SMS history says whether it went
     * out: found, it resolves with `reconciled: true`; else TokyError.sent is false (proven not sent,
     * safe to send again) or null (unknown: check `sms.list` first).
     *
     * @example
     * ```ts
     * try {
     *   const sent = await toky.sms.send({ from: "+13055550100", to: "+15557654321", text: "Hi Ada!" });
     *   console.log(sent.id, sent.segments);
     * } catch (e) {
     *   if (e instanceof TokyError && e.sent === false) console.log("not sent: safe to try again");
     * }
     * ```
     * @throws {@link TokyError} `validation` for a bad `from`, `to` or `text` (before any request); any kind below, each with `sent` (false or null);
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    send(input: SmsInput, options?: SmsSendOptions): TokyPromise<SmsSent>;
    /** New text messages as they arrive (by polling), oldest first, each once.
     *
     * @example
     * ```ts
     * const stop = new AbortController();
     * for await (const sms of toky.sms.watch({ intervalMs: 15_000, signal: stop.signal }))
     *   console.log(sms.created_at, sms.from, sms.text);
     * ```
     * @throws {@link TokyError} `validation` for bad options, thrown by `watch()` itself; then what
     *   {@link Watcher.next} throws.
     */
    watch(options?: WatchOptions): Watcher<Sms>;
  };
  /** Voicemails: listings, one by id with its audio URL, and watching for new ones. */
  readonly voicemails: Listing<Voicemail, {}> & {
    /**
     * One voicemail, by id, with the URL of its recording.
     *
     * @example
     * ```ts
     * const vm = await toky.voicemails.get("12903");
     * console.log(vm.url, vm.duration);
     * ```
     * @throws {@link TokyError} `validation` for a bad id (before any request); `not_found` when there is no such voicemail;
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    get(id: string, options?: CallOptions): TokyPromise<Voicemail & {
      /** The recording's URL. */
      url: string;
    }>;
    /** New voicemails as they arrive (by polling), oldest first, each once.
     *
     * @example
     * ```ts
     * for await (const vm of toky.voicemails.watch()) console.log(vm.from, vm.duration);
     * ```
     * @throws {@link TokyError} `validation` for bad options, thrown by `watch()` itself; then what
     *   {@link Watcher.next} throws.
     */
    watch(options?: WatchOptions): Watcher<Voicemail>;
  };
  /** Call records (CDRs): the history (with a date filter), recordings, and watching for new calls. */
  readonly calls: Listing<CallRecord, DateRange> & {
    /**
     * Where a call's recording is, by the call's `callid`.
     *
     * @example
     * ```ts
     * const { results: calls } = await toky.calls.list({ since: new Date(Date.now() - 86_400_000) });
     * const { url } = await toky.calls.recording(calls[0].callid);
     * ```
     * @throws {@link TokyError} `validation` for a bad callid (before any request); `not_found` when the call has no recording;
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    recording(callid: string, options?: CallOptions): TokyPromise<Recording>;
    /**
     * New call records as they arrive (by polling), oldest first, each once; a long call listed
     * after newer ones is caught by re-reading the last `lookbackMs` each poll.
     *
     * @example
     * ```ts
     * for await (const call of toky.calls.watch({ lookbackMs: 2 * 3_600_000 })) // calls up to 2 h long
     *   console.log(call.init_dt, call.duration, call.from);
     * ```
     * @throws {@link TokyError} `validation` for bad options, thrown by `watch()` itself; then what
     *   {@link Watcher.next} throws.
     */
    watch(options?: CallsWatchOptions): Watcher<CallRecord>;
  };
  /** Webhooks: Toky POSTs events to a URL you register (see `parseWebhookEvent`). */
  readonly webhooks: Listing<Webhook, {}> & {
    /**
     * Registers a hook. POST: never retried. Put a secret in the URL (`?token=...`): Toky signs nothing.
     *
     * @example
     * ```ts
     * const hook = await toky.webhooks.create({ event: "new_sms", url: "https://example.com/hook?token=s3cret" });
     * ```
     * @throws {@link TokyError} `validation` for an unknown event or a URL that is not absolute http(s) (before any request);
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    create(input: WebhookInput, options?: CallOptions): TokyPromise<Webhook>;
    /**
     * Deletes a hook by id.
     *
     * @example
     * ```ts
     * await toky.webhooks.delete(hook.id);
     * ```
     * @throws {@link TokyError} `validation` for a bad id (before any request); `not_found` when there is no such hook;
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    delete(id: string, options?: CallOptions): TokyPromise<Deleted>;
    /**
     * Like create, but returns the existing hook with the same event and URL if there is one
     * (it lists the hooks first). Idempotent, not atomic: two racing subscribes can both create.
     * `.withResponse()` shows the response the hook came from: the list page or the create.
     *
     * @example
     * ```ts
     * const hook = await toky.webhooks.subscribe({ event: "new_call", url: "https://example.com/hook?token=s3cret" });
     * ```
     * @throws {@link TokyError} `validation` for an unknown event or a bad URL (before any request);
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    subscribe(input: WebhookInput, options?: CallOptions): TokyPromise<Webhook>;
    /**
     * Deletes a hook: true if it was deleted now, false if it was already gone (then
     * `.withResponse()` shows the 404's status and request id, and no headers).
     *
     * @example
     * ```ts
     * const deleted = await toky.webhooks.unsubscribe(hook); // or its id
     * ```
     * @throws {@link TokyError} `validation` for a bad id (before any request); never `not_found` (that is false);
     *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `decode`, `api`: as any call (see {@link ErrorKind}).
     */
    unsubscribe(hook: string | { id: string }, options?: CallOptions): TokyPromise<boolean>;
  };
  /**
   * The raw "Make an API call": any method and path under baseUrl, with the key added. A 2xx
   * resolves with status, headers and body; any other status rejects like every call.
   *
   * @example
   * ```ts
   * const { status, body } = await toky.request({ method: "GET", path: "/agents", query: { limit: 1 } });
   * ```
   * @throws {@link TokyError} `validation` for a bad method, or a path outside `baseUrl` (before
   *   any request); the kind of the status for a non-2xx (`not_found`, `conflict`, ...);
   *   `auth`, `permission`, `rate_limit`, `server`, `network`, `timeout`, `aborted`, `api`: as
   *   any call (see {@link ErrorKind}).
   */
  request(input: RawRequest, options?: CallOptions): TokyPromise<RawResponse>;
}

/**
 * How an SMS text is billed: encoding, billed characters and segments. Computed locally: no
 * request, no key.
 *
 * @example
 * ```ts
 * smsSegments("Hello 👋"); // { encoding: "UCS-2", characters: 8, segments: 1, perSegment: 70, remaining: 62 }
 * ```
 * @throws {@link TokyError} `validation` when `text` is not a string.
 */
export declare function smsSegments(text: string): SmsSegments;

/**
 * Reads one webhook delivery into a typed event, normalised like list records. With
 * `options.event`, the result is typed for that event.
 *
 * @example
 * ```ts
 * const e = parseWebhookEvent(body, { token, url: req.url });
 * if (e.event === "new_sms") console.log("text from", e.from_number, ":", e.text);
 * ```
 * @throws {@link TokyError} `decode` for a body that is not a JSON object with an event name (or
 *   names another event than `options.event`); `auth` when `token` is given and `url` does not
 *   carry it; `validation` for bad options.
 */
export declare function parseWebhookEvent<E extends WebhookEventName>(
  body: WebhookBody,
  options: ParseWebhookOptions & { event: E },
): WebhookEventOf<E>;
/**
 * Reads one webhook delivery into a typed event: switch on `event` to narrow.
 *
 * @example
 * ```ts
 * const e = parseWebhookEvent(await request.text(), { token, url: request.url });
 * ```
 * @throws {@link TokyError} `decode` for a body that is not a JSON object with an event name;
 *   `auth` when `token` is given and `url` does not carry it; `validation` for bad options.
 */
export declare function parseWebhookEvent(body: WebhookBody, options?: ParseWebhookOptions): WebhookEvent;
