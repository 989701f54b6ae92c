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
  }
  toJSON() {
    const { name, kind, status, message, operation, field, retries, requestId } = this;
    return { name, kind, status, message, operation, field, retries, requestId };
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
  if (opts == null) return [{}, undefined];
  if (typeof opts != "object") throw invalid("options", "expected an object of call options", op);
  const { signal, ...rest } = opts;
  if (signal != null && !(typeof signal.aborted == "boolean" && typeof signal.addEventListener == "function"))
    throw invalid("signal", "expected an AbortSignal", op);
  return [rest, signal ?? undefined];
}

// Resources the wasm's list/page calls take (wasm-bindgen's numeric enum).
const R = () => w.Resource;

async function call(op, run, opts) {
  const [o, signal] = options(opts, op);
  try {
    return await run(signal === undefined ? o : { ...o, signal });
  } catch (e) {
    throw wrap(e, op);
  }
}

async function* iterate(c, name, q) {
  const [query, opts] = split(q);
  const op = name + ".iterate";
  const res = R()[name[0].toUpperCase() + name.slice(1)];
  let page = await call(op, (o) => c.list(res, query, true, o), opts);
  let left = query && typeof query.max == "number" ? query.max : Infinity;
  for (;;) {
    for (const r of page.results) {
      if (left <= 0) return;
      left--;
      yield r;
    }
    if (!page.next || left <= 0) return;
    page = await call(op, (o) => c.page(res, page.next, o), opts);
  }
}

export class Toky {
  #c;
  constructor(opts) {
    const op = "new Toky";
    if (!w) throw new TokyError({ kind: "api", message: "toky-wasm is not initialised: import it through one of its entries", operation: op });
    const o = opts ?? {};
    if (typeof o != "object") throw invalid("options", "expected an object like { apiKey }", op);
    const { fetch, ...rest } = o;
    if (fetch != null && typeof fetch != "function") throw invalid("fetch", "expected a fetch function", op);
    let c;
    try {
      // A web page's main thread (not a worker, not a server runtime): where an api.toky.co
      // baseUrl would hand the key to every visitor, so the core refuses it (see allowBrowser).
      c = this.#c = new w.Client(rest, fetch ?? undefined, typeof document != "undefined" && typeof window != "undefined");
    } catch (e) {
      throw wrap(e, op);
    }
    const lists = (name) => ({
      list: (q) => {
        const [query, o] = split(q);
        return call(name + ".list", (o) => c.list(R()[name[0].toUpperCase() + name.slice(1)], query, false, o), o);
      },
      iterate: (q) => iterate(c, name, q),
    });
    this.agents = lists("agents");
    this.contacts = {
      ...lists("contacts"),
      get: (phone, o) => call("contacts.get", (o) => c.contactsGet(phone, o), o),
      create: (input, o) => call("contacts.create", (o) => c.contactsCreate(input, o), o),
      update: (phone, patch, o) => call("contacts.update", (o) => c.contactsUpdate(phone, patch, o), o),
    };
    this.sms = { ...lists("sms"), send: (input, o) => call("sms.send", (o) => c.smsSend(input, o), o) };
    this.voicemails = { ...lists("voicemails"), get: (id, o) => call("voicemails.get", (o) => c.voicemailsGet(id, o), o) };
    this.calls = { ...lists("calls"), recording: (callid, o) => call("calls.recording", (o) => c.callsRecording(callid, o), o) };
    for (const n of ["sms", "voicemails", "calls"]) this[n].watch = (o) => watch(c, n, o);
    const del = (id, o) => call("webhooks.delete", (o) => c.webhooksDelete(id, o), o);
    const create = (input, o) => call("webhooks.create", (o) => c.webhooksCreate(input, o), o);
    this.webhooks = {
      ...lists("webhooks"),
      create,
      delete: del,
      // Idempotent, not atomic: a hook with the same event and URL is reused; two subscribes
      // racing each other can still both create one.
      async subscribe(input, o) {
        if (typeof input?.event == "string" && typeof input.url == "string")
          for await (const h of iterate(c, "webhooks", { ...o, pageSize: 500 }))
            if (h.event === input.event && h.hook_url === input.url) return h;
        return create(input, o);
      },
      // true: deleted now; false: it was already gone (the goal, no hook, is reached either way).
      async unsubscribe(hook, o) {
        try {
          await del(hook && typeof hook == "object" ? hook.id : hook, o);
          return true;
        } catch (e) {
          if (e.kind == "not_found") return false;
          throw e;
        }
      },
    };
  }

  /** The raw "Make an API call": any method and path under baseUrl, key added. */
  request(input, opts) {
    return call("request", (o) => this.#c.request(input, o), opts);
  }
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

// Watching by polling. A list is newest first, so each poll pages back from the top until it
// reaches a record older than the newest second already yielded, then yields what it has not
// seen oldest first. What has been yielded is the cursor: the newest second (the record time's
// first 19 characters, "YYYY-MM-DDTHH:MM:SS") and the ids yielded at that second, as base64url
// JSON. It assumes a record never appears with a time older than one already yielded (true of
// created_at, and of CDRs whose init_dt order is their arrival order, as in toky-mock).
// A closure rather than a class: minified, its state costs one letter per use.
const TIME = { sms: "created_at", voicemails: "created_at", calls: "init_dt" };
const TRANSIENT = ["network", "timeout", "server", "rate_limit"];
const b64 = (s) => btoa(String.fromCharCode(...new TextEncoder().encode(s))).replace(/[+/=]/g, (c) => ({ "+": "-", "/": "_" })[c] ?? "");
const unb64 = (s) => new TextDecoder().decode(Uint8Array.from(atob(s.replace(/[-_]/g, (c) => (c == "-" ? "+" : "/"))), (c) => c.charCodeAt(0)));

function since(v, op) {
  let s = v instanceof Date ? v.toISOString() : typeof v == "string" ? v.trim().replace(" ", "T") : "";
  if (/^\d{4}-\d\d-\d\d$/.test(s)) s += "T00:00:00";
  if (/T[\d:.]+$/.test(s)) s += "Z";
  const ms = /^\d{4}-/.test(s) ? Date.parse(s) : NaN;
  if (ms != ms) throw invalid("since", "expected a Date, YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (UTC) or an ISO-8601 timestamp", op);
  return new Date(ms).toISOString().slice(0, 19);
}

function watch(c, name, o) {
  const op = name + ".watch";
  if (o != null && (typeof o != "object" || Array.isArray(o))) throw invalid("options", "expected an object like { intervalMs, signal }", op);
  // Most polls find nothing new, so a page smaller than iterate's default is cheaper.
  const { intervalMs: every = 1e4, since: from, cursor, ...q } = { pageSize: 50, ...o };
  for (const k of Object.keys(q))
    if (k != "pageSize" && !CALL_OPTIONS.includes(k))
      throw invalid(k, "unknown option; expected one of intervalMs, since, cursor, pageSize, " + CALL_OPTIONS.join(", "), op);
  if (typeof every != "number" || !(every >= 0 && every <= 864e5)) throw invalid("intervalMs", "expected milliseconds from 0 to 86400000", op);
  if (from != null && cursor != null) throw invalid("cursor", "give since or cursor, not both", op);
  const signal = options(q, op)[1];
  const key = (r) => String(r?.[TIME[name]] ?? "").slice(0, 19);
  let st = null; // what has been yielded: { t, ids }
  let queue = []; // fetched, not yet yielded, oldest first
  let last = 0, fails = 0, done = false, error = null, wake = null;
  if (cursor != null) {
    let k;
    try {
      k = JSON.parse(unb64(cursor));
    } catch {}
    if (!(k?.v == 1 && k.r == name && typeof k.t == "string" && Array.isArray(k.ids) && k.ids.every((i) => typeof i == "string")))
      throw invalid("cursor", "expected a cursor that " + op + " gave as watcher.cursor", op);
    st = { t: k.t, ids: k.ids };
  } else if (from != null) st = { t: since(from, op), ids: [] };

  const end = () => {
    done = true;
    queue = [];
    wake?.();
  };

  async function poll() {
    last = Date.now();
    const s = st, fresh = [], seen = new Set();
    let top = s?.t;
    for await (const r of iterate(c, name, q)) {
      const t = key(r);
      top ??= t; // the first poll of a watch that begins now: the newest second is the start
      if (t < top) break;
      // Records arriving meanwhile shift later pages: the same record can be seen twice.
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      if (!s || t > s.t || !s.ids.includes(r.id)) fresh.push(r);
    }
    if (done) return;
    if (!s) st = { t: top ?? "", ids: fresh.filter((r) => key(r) == top).map((r) => r.id) };
    else queue = fresh.reverse().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  async function attempt() {
    try {
      await poll();
      fails = 0;
    } catch (e) {
      const err = wrap(e, op);
      if (signal?.aborted || done) return;
      if (!TRANSIENT.includes(err.kind)) throw err;
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
        const t = key(r);
        if (t > st.t) st = { t, ids: [r.id] };
        else if (!st.ids.includes(r.id)) st.ids.push(r.id);
        return { value: r, done: false };
      }
      // Poll every intervalMs; after transient failures back off (doubling, with jitter, up to a
      // minute) and keep trying: a watch outlives an outage.
      const wait = fails ? Math.min(Math.max(every, 100) * 2 ** fails, 6e4) * (0.75 + Math.random() / 4) : last + every - Date.now();
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
  let busy = st ? Promise.resolve() : attempt().catch((e) => (error = e));
  const it = {
    /** Resumes a watch after the last record yielded; null until the starting point is known. */
    get cursor() {
      return st && b64(JSON.stringify({ v: 1, r: name, t: st.t, ids: st.ids }));
    },
    [Symbol.asyncIterator]: () => it,
    next: () => (busy = busy.then(step, step)),
    /** Ends the watch; a pending next() resolves done. */
    return: async () => (end(), { value: undefined, done: true }),
  };
  return it;
}
