// The JS skin: what wasm-bindgen cannot express. It shapes the surface (resource namespaces,
// async iterators, TokyError) and hands every argument to the wasm core as JSON. It decides
// nothing: validation, URLs, retries and decoding are the core's. No imports, so the build can
// emit it as ESM and CommonJS alike.

let w;
/** @internal Called once by each entry with the initialised wasm-bindgen glue. */
export function setWasm(glue) {
  w = glue;
}

const CALL_OPTIONS = ["signal", "timeoutMs", "maxRetries"];

// JSON.stringify silently drops functions, symbols and undefined; mark the first two (and
// bigints, which it throws on) so that the core can name them instead of ignoring them.
const mark = (_k, v) =>
  typeof v == "function" || typeof v == "symbol" || typeof v == "bigint" ? { __jsType: typeof v } : v;

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

function enc(x, op) {
  try {
    return JSON.stringify(x, mark) ?? "{}";
  } catch (e) {
    throw invalid("arguments", "cannot be turned into JSON: " + e.message, op);
  }
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

async function call(c, op, input, opts, url) {
  const [o, signal] = options(opts, op);
  try {
    const a = url === undefined ? enc(input, op) : url;
    return await (url === undefined ? c.call(op, a, enc(o, op), signal) : c.next(op, a, enc(o, op), signal));
  } catch (e) {
    throw wrap(e, op);
  }
}

async function* iterate(c, name, q) {
  const [query, opts] = split(q);
  const op = name + ".iterate";
  let page = await call(c, op, { query }, opts);
  let left = query && typeof query.max == "number" ? query.max : Infinity;
  for (;;) {
    for (const r of page.results) {
      if (left <= 0) return;
      left--;
      yield r;
    }
    if (!page.next || left <= 0) return;
    page = await call(c, op, null, opts, page.next);
  }
}

export class Toky {
  #c;
  constructor(opts) {
    const op = "new Toky";
    const o = opts ?? {};
    if (typeof o != "object") throw invalid("options", "expected an object like { apiKey }", op);
    const { fetch, ...rest } = o;
    if (fetch != null && typeof fetch != "function") throw invalid("fetch", "expected a fetch function", op);
    let c;
    try {
      c = this.#c = new w.Client(enc(rest, op), fetch);
    } catch (e) {
      throw wrap(e, op);
    }
    const lists = (name) => ({
      list: (q) => {
        const [query, o] = split(q);
        return call(c, name + ".list", { query }, o);
      },
      iterate: (q) => iterate(c, name, q),
    });
    this.agents = lists("agents");
    this.contacts = {
      ...lists("contacts"),
      get: (phone, o) => call(c, "contacts.get", { phone }, o),
      create: (input, o) => call(c, "contacts.create", { input }, o),
      update: (phone, patch, o) => call(c, "contacts.update", { phone, patch }, o),
    };
    this.sms = { ...lists("sms"), send: (input, o) => call(c, "sms.send", { input }, o) };
    this.voicemails = { ...lists("voicemails"), get: (id, o) => call(c, "voicemails.get", { id }, o) };
    this.calls = { ...lists("calls"), recording: (callid, o) => call(c, "calls.recording", { callid }, o) };
    this.webhooks = {
      ...lists("webhooks"),
      create: (input, o) => call(c, "webhooks.create", { input }, o),
      delete: (id, o) => call(c, "webhooks.delete", { id }, o),
    };
  }

  /** The raw "Make an API call": any method and path under baseUrl, key added. */
  request(input, opts) {
    return call(this.#c, "request", { input }, opts);
  }
}

export function smsSegments(text) {
  try {
    return w.smsSegments(text);
  } catch (e) {
    throw wrap(e, "smsSegments");
  }
}
