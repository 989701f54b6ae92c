// toky-mock in-process: the TokyMock class over the wasm MockCore (mock/src/wasm.rs). This file
// owns what the wasm cannot: turning a standard Request into plain values and the answer into a
// real Response or a rejection (faults), the caller's AbortSignal, timers (so close() can clear
// every one), and webhook transport (the global fetch or the `deliver` option). Requests,
// faults, the journal and the control routes are the Rust pipeline's, shared with the server.

let wasm;
/** @internal Called once by the entry that initialised the wasm. */
export function setWasm(w) {
  wasm = w;
}

const ORIGIN = "http://toky-mock.localhost";
/** Request bodies above this are answered with 413 by the pipeline (as the server does). */
const BODY_LIMIT = 1024 * 1024;
const OPTION_TYPES = { seed: "number", apiKey: "string", contacts: "number", loopbackWebhooks: "boolean", deliver: "function" };
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
// The methods fetch upper-cases whatever their case (PATCH is not among them).
const NORMALISED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const REDIRECTS = new Set([undefined, "follow", "manual", "error"]);
const encoder = new TextEncoder();

/** A control call (journal, fault, simulate, ...) the mock refused: its status and JSON body. */
export class TokyMockError extends Error {
  constructor(message, status, body) {
    super(message);
    this.name = "TokyMockError";
    this.status = status;
    this.body = body;
  }
}

export class TokyMock {
  #core;
  #apiKey;
  #deliver;
  #closed = false;
  #timers = new Set();
  #waiters = new Set();

  constructor(options = {}) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new TypeError("new TokyMock(options): options must be an object");
    }
    for (const [name, value] of Object.entries(options)) {
      const want = OPTION_TYPES[name];
      if (!want) {
        throw new TypeError(`new TokyMock: unknown option \`${name}\` (known: ${Object.keys(OPTION_TYPES).join(", ")})`);
      }
      if (value !== undefined && typeof value !== want) {
        throw new TypeError(`new TokyMock: option \`${name}\` must be a ${want}, not ${value === null ? "null" : typeof value}`);
      }
    }
    if (!wasm) throw new Error("toky-mock: the wasm module is not initialised (import the package entry, not core.js)");
    const { seed = 1, apiKey = "demo-key", contacts = 300, loopbackWebhooks = false, deliver } = options;
    try {
      this.#core = new wasm.MockCore(
        seed,
        apiKey,
        contacts,
        loopbackWebhooks,
        (ms) => this.#sleep(ms),
        (url, bytes, timeoutMs) => this.#post(url, bytes, timeoutMs),
      );
    } catch (e) {
      throw new TypeError(`new TokyMock: ${e?.message ?? e}`);
    }
    this.#apiKey = apiKey;
    this.#deliver = deliver;
    // A property, not a method, so `fetch: mock.fetch` can be passed around unbound.
    Object.defineProperty(this, "fetch", { value: (input, init) => this.#fetch(input, init), enumerable: true });
  }

  /** The key this mock accepts in X-Toky-Key. */
  get apiKey() {
    return this.#apiKey;
  }

  /** The Toky base URL to give a client (with `fetch: mock.fetch`). */
  get baseUrl() {
    return ORIGIN + "/v1";
  }

  /** The mock's origin: `/__mock/*` and `/openapi.json` live under it. */
  get origin() {
    return ORIGIN;
  }

  // The request as plain values, without building a Request, for what clients pass: a string
  // or URL with an init of method, headers, a string or byte body, signal and redirect. Null
  // for anything else (a Request, a stream or form body, credentials in the URL, a method
  // fetch refuses...), which the Request constructor then reads or refuses. Building a Request
  // (and the signal it derives from init.signal) was a fifth of a request's time.
  #plain(input, init) {
    if (typeof input !== "string" && !(input instanceof URL)) return null;
    if (init !== undefined && (init === null || typeof init !== "object")) return null;
    const { method: m = "GET", headers: h, body: b, signal = null, redirect } = init ?? {};
    if (init) for (const k in init) if (k !== "method" && k !== "headers" && k !== "body" && k !== "signal" && k !== "redirect") return null;
    if (typeof m !== "string" || !REDIRECTS.has(redirect) || (signal !== null && !(signal instanceof AbortSignal))) return null;
    const method = NORMALISED_METHODS.has(m.toUpperCase()) ? m.toUpperCase() : m === "PATCH" ? m : null;
    if (method === null) return null;
    const url = new URL(input, ORIGIN);
    if (url.username || url.password) return null;
    let body;
    if (b === undefined || b === null) body = undefined;
    else if (method === "GET" || method === "HEAD") return null;
    else if (typeof b === "string") body = encoder.encode(b);
    else if (ArrayBuffer.isView(b)) body = new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
    else if (b instanceof ArrayBuffer) body = new Uint8Array(b.slice(0));
    else return null;
    // Validates names and values as the Request constructor does (a TypeError otherwise).
    const headers = new Headers(h);
    if (typeof b === "string" && !headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
    return { method, url, headers, body, signal };
  }

  async #fetch(input, init) {
    this.#open("fetch");
    let req = this.#plain(input, init);
    if (req === null) {
      // A relative string is resolved against the mock's origin; the Request constructor
      // validates the rest (and throws the TypeError a fetch would).
      const r = new Request(typeof input === "string" ? new URL(input, ORIGIN) : input, init);
      r.signal.throwIfAborted();
      const body = r.body === null ? undefined : new Uint8Array(await this.#race(r.arrayBuffer(), r.signal));
      req = { method: r.method, url: new URL(r.url), headers: r.headers, body, signal: r.signal };
    }
    const { method, url, signal } = req;
    signal?.throwIfAborted();
    let body = req.body;
    let tooLarge = false;
    if (body !== undefined && body.length > BODY_LIMIT) {
      tooLarge = true;
      body = undefined;
    }
    // Names and values each end with a newline, which fetch's Headers never lets into either.
    let pairs = "host\n" + url.host + "\n";
    for (const [k, v] of req.headers) if (k !== "host") pairs += k + "\n" + v + "\n";
    this.#open("fetch");
    const out = await this.#race(this.#core.handle(method, url.pathname + url.search, pairs, body, tooLarge), signal);
    if (out === "drop") {
      throw new TypeError("fetch failed", { cause: new Error("toky-mock closed the connection without a response (a drop fault)") });
    }
    if (out === "hang") {
      // Settles only when the caller aborts (or the mock is closed). Like the open socket of
      // a real hanging fetch, a timer keeps Node running meanwhile (close() clears it).
      const alive = setInterval(() => {}, 2 ** 30);
      this.#timers.add(alive);
      try {
        await this.#race(new Promise(() => {}), signal);
      } finally {
        clearInterval(alive);
        this.#timers.delete(alive);
      }
    }
    const [status, text, bytes] = out;
    if (status < 200) {
      throw new TypeError("fetch failed", { cause: new Error(`toky-mock answered with status ${status}, which a fetch cannot return`) });
    }
    const items = text.split("\n");
    const headers = [];
    for (let i = 0; i + 2 < items.length; i += 2) headers.push([items[i], items[i + 1]]);
    // The native server's HTTP layer adds a Date header to every answer, as Toky's does.
    headers.push(["date", new Date().toUTCString()]);
    const empty = NULL_BODY.has(status) || method === "HEAD";
    return new Response(empty ? null : bytes, { status, headers });
  }

  // Settles with `promise`, or rejects with the signal's reason when it aborts first, or with
  // a closed error when close() comes first.
  #race(promise, signal) {
    return new Promise((resolve, reject) => {
      const waiter = { reject };
      const done = () => {
        signal?.removeEventListener("abort", onAbort);
        this.#waiters.delete(waiter);
      };
      const onAbort = () => {
        done();
        reject(signal.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.add(waiter);
      promise.then(
        (v) => (done(), resolve(v)),
        (e) => (done(), reject(e)),
      );
    });
  }

  #sleep(ms) {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        resolve();
      }, ms);
      this.#timers.add(t);
    });
  }

  // A webhook attempt: the status, or a rejection (no response).
  async #post(url, bytes, timeoutMs) {
    const signal = AbortSignal.timeout(timeoutMs);
    const req = new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "toky-mock-webhooks/1" },
      body: bytes,
      signal,
    });
    const res = await this.#race(Promise.resolve(this.#deliver ? this.#deliver(req) : globalThis.fetch(req)), signal);
    if (!(res instanceof Response)) throw new TypeError("deliver(request) must return a Response (or a promise of one)");
    await res.arrayBuffer().catch(() => {});
    return res.status;
  }

  async #control(method, path, body) {
    const res = await this.fetch(ORIGIN + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let value = null;
    try {
      value = text ? JSON.parse(text) : null;
    } catch {
      value = text;
    }
    if (!res.ok) {
      const why = value?.error_message ?? text;
      throw new TokyMockError(`toky-mock: ${method} ${path}: HTTP ${res.status}: ${why}`, res.status, value);
    }
    return value;
  }

  /** Every request so far (oldest first), as `GET /__mock/journal` lists them. */
  journal() {
    return this.#control("GET", "/__mock/journal");
  }
  /** Empties the journal. */
  clearJournal() {
    return this.#control("DELETE", "/__mock/journal");
  }
  /** Adds a fault (`POST /__mock/faults`); resolves to the stored fault. */
  fault(spec) {
    return this.#control("POST", "/__mock/faults", spec);
  }
  /** The faults still armed. */
  faults() {
    return this.#control("GET", "/__mock/faults");
  }
  /** Disarms every fault. */
  clearFaults() {
    return this.#control("DELETE", "/__mock/faults");
  }
  /** Simulates an event (`POST /__mock/events`): records it and delivers its webhooks. */
  simulate(spec) {
    return this.#control("POST", "/__mock/events", spec);
  }
  /** Webhook deliveries so far, with their attempts and outcome. */
  deliveries() {
    return this.#control("GET", "/__mock/deliveries");
  }
  /** Forgets past deliveries. */
  clearDeliveries() {
    return this.#control("DELETE", "/__mock/deliveries");
  }
  /** Back to the seeded state: data, faults, journal and deliveries. */
  async reset() {
    await this.#control("POST", "/__mock/reset");
  }
  /** The account's SMS numbers (valid `from` numbers of `sms.send`). */
  async numbers() {
    return (await this.#control("GET", "/__mock/numbers")).sms_numbers;
  }

  /** Stops the mock: timers cleared, pending requests rejected; later calls fail. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const closed = new Error("this TokyMock is closed");
    for (const w of this.#waiters) w.reject(closed);
    this.#waiters.clear();
    this.#core.close();
    this.#core.free();
  }

  #open(what) {
    if (this.#closed) throw new Error(`TokyMock.${what}(): this TokyMock is closed (close() was called)`);
  }
}
