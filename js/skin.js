// The JS skin: what wasm-bindgen cannot express. It shapes the surface (resource namespaces,
// async iterators, TokyError) and hands every argument, as the JS value it is, to the wasm
// client's typed entry point for the operation (serde-wasm-bindgen reads it there). It decides
// nothing about a request: validation, URLs, fetch, retries, the deadline and decoding are the
// wasm's. The one loop it still owns is watching by polling (timers, paging back, the cursor).
// No imports, so the build can emit it as ESM and CommonJS alike.

let w;
/** @internal Called once by each entry with the initialised wasm-bindgen glue. */
export function setWasm(glue) {
  w = glue;
}

const CALL_OPTIONS = ["signal", "timeoutMs", "maxRetries"];

export class TokyError extends Error {
  constructor(p) {
    super(p.message);
    this.name = "TokyError";
    this.kind = p.kind;
    this.status = p.status ?? null;
    this.operation = p.operation ?? null;
    this.field = p.field ?? null;
    this.retries = p.retries ?? 0;
    this.requestId = p.requestId ?? null;
    // sms.send only: false = proven not sent (safe to send again), null = unknown.
    if (p.sent !== undefined) this.sent = p.sent;
  }
  toJSON() {
    const { name, kind, status, message, operation, field, retries, requestId } = this;
    const o = { name, kind, status, message, operation, field, retries, requestId };
    if (this.sent !== undefined) o.sent = this.sent;
    return o;
  }
}

const invalid = (field, message, operation) =>
  new TokyError({ kind: "validation", field, message: field + ": " + message, operation });

function wrap(e, operation) {
  if (e instanceof TokyError) return e;
  if (e && typeof e == "object" && typeof e.kind == "string") return new TokyError(e);
  return new TokyError({ kind: "network", message: String((e && e.message) || e), operation });
}

/** Splits a list/iterate argument into query parameters and call options. */
function split(q) {
  const query = {}, opts = {};
  if (q == null || typeof q != "object" || Array.isArray(q)) return [q, opts];
  for (const k of Object.keys(q)) (CALL_OPTIONS.includes(k) ? opts : query)[k] = q[k];
  return [query, opts];
}

function options(opts, op) {
  if (opts == null) return [undefined, undefined];
  if (typeof opts != "object") throw invalid("options", "expected an object of call options", op);
  const { signal, ...rest } = opts;
  if (signal != null && !(typeof signal.aborted == "boolean" && typeof signal.addEventListener == "function"))
    throw invalid("signal", "expected an AbortSignal", op);
  // No options at all: undefined, which the wasm reads without looking into an object.
  for (const _ in rest) return [rest, signal ?? undefined];
  return [undefined, signal ?? undefined];
}

// Resources the wasm's list/page calls take (wasm-bindgen's numeric enum).
const R = () => w.Resource;

/**
 * What every call returns: a Promise of the data, with `.withResponse()` (openai-node's shape)
 * for `{ data, response }` from the same request. Like openai-node's APIPromise, the promise
 * itself resolves at once and `then` reads the call lazily, so awaiting only `.withResponse()`
 * leaves no unhandled rejection behind, and a call nobody awaits still reports its failure.
 */
class TokyPromise extends Promise {
  #full;
  #data;
  #c;
  constructor(full, c) {
    super((resolve) => resolve(null));
    this.#full = full;
    this.#c = c;
  }
  static get [Symbol.species]() {
    return Promise;
  }
  #value() {
    return (this.#data ??= this.#full.then((r) => r.data));
  }
  then(ok, fail) {
    return this.#value().then(ok, fail);
  }
  catch(fail) {
    return this.#value().catch(fail);
  }
  finally(f) {
    return this.#value().finally(f);
  }
  /** `{ data, response: { status, headers, requestId, retries } }`. */
  withResponse() {
    return this.#full.then((r) => ({
      data: r.data,
      response: { status: r.status, headers: copyHeaders(r.headers, this.#c), requestId: r.requestId, retries: r.retries },
    }));
  }
}

/**
 * One call. The wasm resolves `{data, status, headers, requestId, retries}`; the caller gets a
 * `TokyPromise` of `data`.
 */
function call(op, run, opts, c) {
  return new TokyPromise(full(op, run, opts), c);
}

/** The promise of one call's `{data, status, headers, requestId, retries}`, errors wrapped. */
function full(op, run, opts) {
  try {
    const [o, signal] = options(opts, op);
    return run(signal === undefined ? o : { ...o, signal }).then(undefined, (e) => {
      throw wrap(e, op);
    });
  } catch (e) {
    // Refused here, before the wasm (bad call options): an sms.send that never left.
    if (op == "sms.send" && e instanceof TokyError) e.sent = false;
    return Promise.reject(wrap(e, op));
  }
}

/** The response's headers as a fresh `Headers`, each value redacted of the key. */
function copyHeaders(h, c) {
  const out = new Headers();
  if (h && typeof h[Symbol.iterator] == "function") for (const [k, v] of h) out.append(k, c.redact(String(v)));
  return out;
}

// The paging loop of `pages()` and `iterate()`: the first page through the wasm's `list`, each
// next one through `page` with the URL the server gave, fetched only when the caller asks for
// it (a `break` fetches nothing more). `max` cuts the last page; `offset` is the position of a
// page's first record in the whole listing. The wasm names its errors NAME.iterate: relabelled
// with the operation the caller used.
async function* paging(c, name, q, op) {
  const [query, opts] = split(q);
  const res = R()[name[0].toUpperCase() + name.slice(1)];
  const get = (run) =>
    call(op, run, opts, c).catch((e) => {
      e.operation = op;
      throw e;
    });
  let page = await get((o) => c.list(res, query, true, o));
  let left = typeof query?.max == "number" ? query.max : Infinity;
  let offset = typeof query?.offset == "number" ? query.offset : 0;
  for (;;) {
    if (left <= 0) return;
    let { results, next } = page;
    if (results.length >= left) {
      if (results.length > left) results = results.slice(0, left);
      next = null;
    }
    left -= results.length;
    yield { ...page, count: results.length, next: next ?? null, offset, results };
    if (!next) return;
    offset += results.length;
    page = await get((o) => c.page(res, next, o));
  }
}

async function* iterate(c, name, q) {
  // A plain loop: `yield*` over an array in an async generator goes through an async-from-sync
  // iterator per record, measurably slower for 100k records.
  for await (const p of paging(c, name, q, name + ".iterate")) for (const r of p.results) yield r;
}

// Parse once (the server build; src/once.rs): a 2xx page body is read by one `JSON.parse` here,
// the fields of its rows the core asks for (`spec`: [name, loose] pairs from the Rust record
// tables) gathered for it in one JSON text, and the values it changed written back in place.
// It decides nothing: a body that is not a page of plain objects, or a number the core would
// read otherwise than JSON.parse did (a loose value or an envelope member that is not a safe
// integer, or -0), goes back to the core as bytes (null), which decodes it exactly as before.
// Codes of the JS types: 0 absent, 1 null, 2 boolean, 3 number, 4 string, 5 array, 6 object.
// Returns `[apply, gathered]`; `apply` takes the core's `{count, next, edits}` (JSON).
const utf8 = new TextDecoder("utf-8", { fatal: true });
const specs = {};
const code = (v) => (v === null ? 1 : typeof v == "string" ? 4 : typeof v == "number" ? 3 : typeof v == "boolean" ? 2 : Array.isArray(v) ? 5 : 6);
const inexact = (v) => typeof v == "number" && !(Number.isSafeInteger(v) && !Object.is(v, -0));
function gather(buf, spec) {
  const f = (specs[spec] ??= JSON.parse(spec)), n = f.length;
  let page;
  try {
    page = JSON.parse(utf8.decode(buf));
  } catch {
    return null;
  }
  const rows = page?.results, out = [], at = [];
  if (!Array.isArray(rows)) return null;
  for (const k in page) if (inexact(page[k])) return null;
  for (const r of rows) {
    // Not a plain object (or one with its own "constructor"): the core decides.
    if (r?.constructor != Object) return null;
    // No record field is named like a member of Object.prototype (a test in src/once.rs).
    for (let i = 0; i < n; i++) {
      const v = r[f[i][0]];
      if (v === undefined) out.push(0);
      else if (!f[i][1]) out.push(code(v));
      else if (inexact(v)) return null;
      else out.push(code(v), v), at.push(r, f[i][0]);
    }
  }
  page.results = rows.length;
  const gathered = JSON.stringify([page, out]);
  page.results = rows;
  const apply = (o) => {
    o = JSON.parse(o);
    // Each edit: the ordinal of a gathered value (`at` holds its row and field), its value.
    for (let e = o.edits, x = 0; x < e.length; x += 2) at[2 * e[x]][at[2 * e[x] + 1]] = e[x + 1];
    page.count = o.count;
    page.next = o.next;
    return page;
  };
  return [apply, gathered];
}

export class Toky {
  #c;
  constructor(opts) {
    const op = "new Toky";
    if (!w) throw new TokyError({ kind: "api", message: "toky-wasm is not initialised: import it through one of its entries", operation: op });
    const o = opts ?? {};
    if (typeof o != "object") throw invalid("options", "expected an object like { apiKey }", op);
    const { fetch, onRequest, onResponse, ...rest } = o;
    if (fetch != null && typeof fetch != "function") throw invalid("fetch", "expected a fetch function", op);
    if (onRequest != null && typeof onRequest != "function") throw invalid("onRequest", "expected a function called before each attempt", op);
    if (onResponse != null && typeof onResponse != "function") throw invalid("onResponse", "expected a function called after each attempt", op);
    let c;
    try {
      // A web page's main thread (not a worker, not a server runtime): where an api.toky.co
      // baseUrl would hand the key to every visitor, so the core refuses it (see allowBrowser).
      c = this.#c = new w.Client(rest, fetch ?? undefined, typeof document != "undefined" && typeof window != "undefined");
    } catch (e) {
      throw wrap(e, op);
    }
    if (c.setOnce) c.setOnce(gather);
    if (onRequest || onResponse) c.setHooks(onRequest ?? undefined, onResponse ?? undefined);
    const lists = (name) => ({
      list: (q) => {
        const [query, o] = split(q);
        return call(name + ".list", (o) => c.list(R()[name[0].toUpperCase() + name.slice(1)], query, false, o), o, c);
      },
      iterate: (q) => iterate(c, name, q),
      pages: (q) => paging(c, name, q, name + ".pages"),
    });
    this.agents = lists("agents");
    this.contacts = {
      ...lists("contacts"),
      get: (phone, o) => call("contacts.get", (o) => c.contactsGet(phone, o), o, c),
      create: (input, o) => call("contacts.create", (o) => c.contactsCreate(input, o), o, c),
      update: (phone, patch, o) => call("contacts.update", (o) => c.contactsUpdate(phone, patch, o), o, c),
    };
    this.sms = { ...lists("sms"), send: (input, o) => call("sms.send", (o) => c.smsSend(input, o), o, c) };
    this.voicemails = { ...lists("voicemails"), get: (id, o) => call("voicemails.get", (o) => c.voicemailsGet(id, o), o, c) };
    this.calls = { ...lists("calls"), recording: (callid, o) => call("calls.recording", (o) => c.callsRecording(callid, o), o, c) };
    for (const n of ["sms", "voicemails", "calls"]) this[n].watch = (o) => watch(c, n, o);
    const del = (id, o) => call("webhooks.delete", (o) => c.webhooksDelete(id, o), o, c);
    const create = (input, o) => call("webhooks.create", (o) => c.webhooksCreate(input, o), o, c);
    this.webhooks = {
      ...lists("webhooks"),
      create,
      delete: del,
      // Idempotent, not atomic: a hook with the same event and URL is reused; two subscribes
      // racing each other can still both create one. `.withResponse()` shows the response the
      // hook came from: the list page it was found on, or the create.
      subscribe: (input, o) => new TokyPromise(subscribe(c, input, o), c),
      // true: deleted now; false: it was already gone (the goal, no hook, is reached either way;
      // `.withResponse()` then shows the 404's status and request id, without headers).
      unsubscribe: (hook, o) =>
        new TokyPromise(
          full("webhooks.delete", (x) => c.webhooksDelete(hook && typeof hook == "object" ? hook.id : hook, x), o).then(
            (r) => ({ ...r, data: true }),
            (e) => {
              if (e.kind != "not_found") throw e;
              return { data: false, status: e.status, headers: undefined, requestId: e.requestId, retries: e.retries };
            },
          ),
          c,
        ),
    };
  }

  /** The raw "Make an API call": any method and path under baseUrl, key added. */
  request(input, opts) {
    return call("request", (o) => this.#c.request(input, o), opts, this.#c);
  }
}

/**
 * `webhooks.subscribe` as a full response: the webhook list read page by page (as `iterate`
 * does) for a hook with the same event and URL, else `webhooks.create`.
 */
async function subscribe(c, input, o) {
  if (typeof input?.event == "string" && typeof input.url == "string") {
    let r = await full("webhooks.iterate", (x) => c.list(R().Webhooks, { pageSize: 500 }, true, x), o);
    for (;;) {
      const hit = r.data.results.find((h) => h?.event === input.event && h?.hook_url === input.url);
      if (hit) return { ...r, data: hit };
      if (!r.data.next) break;
      const next = r.data.next;
      r = await full("webhooks.iterate", (x) => c.page(R().Webhooks, next, x), o);
    }
  }
  return full("webhooks.create", (x) => c.webhooksCreate(input, x), o);
}

export function smsSegments(text) {
  try {
    return w.smsSegments(text);
  } catch (e) {
    throw wrap(e, "smsSegments");
  }
}

/**
 * One webhook delivery as a typed event. Bytes are decoded and parsed objects re-serialised
 * here; reading, checking and normalising is the core's. Toky signs nothing, so the only
 * authentication offered is the secret `token` the receiver put in its own hook URL.
 */
export function parseWebhookEvent(body, opts) {
  const op = "parseWebhookEvent";
  let text = body;
  try {
    if (typeof body != "string") {
      if (body == null || typeof body != "object")
        throw invalid("body", "expected the request body as a string, bytes or a parsed object, got " + (body === null ? "null" : typeof body), op);
      try {
        text = ArrayBuffer.isView(body) || Object.prototype.toString.call(body) == "[object ArrayBuffer]"
          ? new TextDecoder("utf-8", { fatal: true }).decode(body)
          : JSON.stringify(body);
      } catch (e) {
        throw new TokyError({ kind: "decode", message: "the webhook body cannot be read: " + e.message, operation: op });
      }
    }
    return w.parseWebhookEvent(text, opts ?? undefined);
  } catch (e) {
    throw wrap(e, op);
  }
}

// Watching by polling: the async-iterator shell. What is new, the order, the starting point,
// the cursor and the waits are the wasm's rules (`Watch`, src/watch.rs); this keeps the timers,
// the iteration and the records themselves.
function watch(c, name, o) {
  const op = name + ".watch";
  if (o != null && (typeof o != "object" || Array.isArray(o))) throw invalid("options", "expected an object like { intervalMs, signal }", op);
  let rules;
  try {
    rules = new w.Watch(name, o ?? {});
  } catch (e) {
    throw wrap(e, op);
  }
  const { timeoutMs, maxRetries } = o ?? {};
  const signal = options(o && { signal: o.signal }, op)[1];
  const q = { pageSize: rules.pageSize, timeoutMs, maxRetries, signal };
  for (const k of Object.keys(q)) if (q[k] === undefined) delete q[k];
  const field = rules.timeField;
  const time = (r) => String(r?.[field] ?? "");
  let queue = []; // fetched, not yet yielded, oldest first
  let last = 0, fails = 0, done = false, error = null, wake = null;

  const end = () => {
    done = true;
    queue = [];
    wake?.();
  };

  async function poll() {
    last = Date.now();
    const fresh = [];
    rules.begin();
    for await (const r of iterate(c, name, q)) {
      const seen = rules.see(time(r), String(r?.id ?? ""));
      if (seen == 0) break;
      if (seen == 1) fresh.push(r);
    }
    if (done) return;
    const order = rules.end();
    queue = Array.from(order, (i) => fresh[i]);
  }

  async function attempt() {
    try {
      await poll();
      fails = 0;
    } catch (e) {
      const err = wrap(e, op);
      if (signal?.aborted || done) return;
      if (!w.Watch.transient(err.kind)) throw err;
      fails++;
    }
  }

  async function step() {
    for (;;) {
      if (signal?.aborted) end();
      if (error) {
        const e = error;
        error = null;
        end();
        throw e;
      }
      if (done) return { value: undefined, done: true };
      const r = queue.shift();
      if (r) {
        rules.yielded(time(r), String(r.id ?? ""));
        return { value: r, done: false };
      }
      const wait = rules.delayMs(fails, last, Date.now());
      if (last && wait > 0)
        await new Promise((res) => {
          const id = setTimeout((wake = () => (clearTimeout(id), signal?.removeEventListener("abort", wake), (wake = null), res())), wait);
          signal?.addEventListener("abort", wake);
        });
      if (!done && !signal?.aborted) await attempt().catch((e) => (error = e));
    }
  }

  // Without a starting point the watch begins now: the newest records are fetched at once, so
  // that only what arrives after this call is yielded.
  let busy = rules.started ? Promise.resolve() : attempt().catch((e) => (error = e));
  const it = {
    /** Resumes a watch after the last record yielded; null until the starting point is known. */
    get cursor() {
      return rules.cursor ?? null;
    },
    [Symbol.asyncIterator]: () => it,
    next: () => (busy = busy.then(step, step)),
    /** Ends the watch; a pending next() resolves done. */
    return: async () => (end(), { value: undefined, done: true }),
  };
  return it;
}
