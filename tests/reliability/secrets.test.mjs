// Secrets (README "The API key"): the key never appears in an error's message, String(err),
// JSON.stringify(err), err.stack or util.inspect(err) — also when a server echoes it back in its
// error_message (401, 200 success:false, 5xx, ...), in a body, in a header (x-request-id,
// location) or in a next URL, and when a custom fetch puts it in its own error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { Toky, TokyError } from "toky-wasm";
import { recorder, within, outcome, errorForms, table } from "./lib.mjs";

const KEY = "tk_live_9fQ2-SECRET-x7Lp";
let echo, other;

// What the echoing server answers, by path under /v1. Every answer carries the key it received.
const ANSWERS = {
  "/v1/agents": (k) => [401, { "www-authenticate": `Key ${k}` }, { success: false, error_message: `Invalid API key: ${k}` }],
  "/v1/contacts": (k) => [403, {}, { success: false, error_message: `Key ${k} may not read contacts` }],
  "/v1/voicemails": (k) => [404, {}, { success: false, error_message: `nothing here for ${k}` }],
  "/v1/cdrs": (k) => [400, {}, { success: false, error_message: `bad filter (key=${k})` }],
  "/v1/webhooks": (k) => [409, {}, { success: false, error_message: `${k} already has this hook` }],
  "/v1/sms": (k) => [422, {}, { success: false, error_message: `unprocessable for ${k}` }],
  "/v1/sms/send": (k) => [200, {}, { success: false, error_message: `Number not enabled for SMS (key ${k})` }],
  "/v1/e402": (k) => [402, {}, { success: false, error_message: `${k}: upgrade your plan` }],
  "/v1/e429": (k) => [429, { "retry-after": "3600" }, { success: false, error_message: `slow down, ${k}` }],
  "/v1/e500": (k) => [500, {}, { success: false, error_message: `Internal error while serving ${k}` }],
  "/v1/e503": (k) => [503, {}, { success: false, error_message: `unavailable for ${k}` }],
  "/v1/rid500": (k) => [500, { "x-request-id": k }, { success: false, error_message: "the request id is the key" }],
  "/v1/rid401": (k) => [401, { "request-id": `req-${k}` }, { success: false, error_message: "bad key" }],
  "/v1/text500": (k) => [500, { "content-type": "text/plain" }, `upstream said: ${k}`],
  "/v1/html401": (k) => [401, { "content-type": "text/html" }, `<html><body>Key ${k} rejected</body></html>`],
  "/v1/badjson": (k) => [200, { "content-type": "application/json" }, `{"count": 1, "results": [${k}]}`],
  "/v1/message-only": (k) => [500, {}, { message: `error for ${k}`, error: k, detail: { key: k } }],
  "/v1/redirect": (k) => [302, { location: `http://127.0.0.1:${other.port}/steal?key=${k}` }, ""],
  "/v1/redirect-rel": (k) => [307, { location: `/v1/agents?key=${k}` }, ""],
};

before(async () => {
  other = await recorder();
  echo = await recorder((req, res) => {
    const path = req.url.split("?")[0];
    const k = req.headers["x-toky-key"] ?? "(no key)";
    if (path.startsWith("/paged/")) {
      res.writeHead(200, { "content-type": "application/json" });
      const row = { id: "1", event: "new_sms", hook_url: "https://example.com/h", created_at: null };
      return res.end(JSON.stringify({ count: 1, next: `http://127.0.0.1:${other.port}/paged/webhooks?key=${k}`, results: [row] }));
    }
    if (path.startsWith("/broken/")) return res.writeHead(200, { "content-type": "application/json" }).end(`{"count": 1, "results": [${k}]}`);
    if (path.startsWith("/ridcut/")) return res.writeHead(200, { "content-type": "application/json", "x-request-id": k }).end(`{"count": 1, "results": [`);
    const a = ANSWERS[path];
    if (!a) return res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ success: false, error_message: `no route ${path} for ${k}` }));
    const [status, headers, body] = a(k);
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  });
});
after(async () => {
  await echo?.close();
  await other?.close();
});

/** Asserts that no printable form of `e` holds the key. */
function clean(e, what) {
  assert.ok(e instanceof TokyError, `${what}: expected a TokyError, got ${inspect(e)}`);
  for (const [form, text] of Object.entries(errorForms(e)))
    assert.ok(!text.includes(KEY), `${what}: the key is in ${form}: ${text.slice(0, 400)}`);
  for (const v of [e.message, e.requestId, e.operation, e.field, e.kind])
    assert.ok(v == null || !String(v).includes(KEY), `${what}: the key is in a field`);
}

async function failure(promise, what) {
  const r = await within(promise, 5000);
  assert.ok(!r.hung && r.error, `${what}: expected a failure, ${outcome(r)}`);
  return r.error;
}

test("the key echoed by the server is in no error (every status, body and header)", async (t) => {
  const toky = new Toky({ apiKey: KEY, baseUrl: echo.origin + "/v1", maxRetries: 0, timeoutMs: 3000 });
  const cases = [
    ["agents.list (401 error_message, www-authenticate)", () => toky.agents.list(), "auth"],
    ["contacts.list (403)", () => toky.contacts.list(), "permission"],
    ["voicemails.list (404)", () => toky.voicemails.list(), "not_found"],
    ["calls.list (400)", () => toky.calls.list(), "validation"],
    ["webhooks.create (409)", () => toky.webhooks.create({ event: "new_sms", url: "https://example.com/h" }), "conflict"],
    ["sms.list (422)", () => toky.sms.list(), "validation"],
    ["sms.send (200 success:false)", () => toky.sms.send({ from: "+13055550100", to: "+15551234567", text: "hi" }), "api"],
    ["request 402", () => toky.request({ path: "/e402" }), "permission"],
    ["request 429 (Retry-After too long)", () => toky.request({ path: "/e429" }, { maxRetries: 2 }), "rate_limit"],
    ["request 500", () => toky.request({ path: "/e500" }), "server"],
    ["request 503 after a retry", () => toky.request({ path: "/e503" }, { maxRetries: 1 }), "server"],
    ["request 500, x-request-id is the key", () => toky.request({ path: "/rid500" }), "server"],
    ["request 401, request-id holds the key", () => toky.request({ path: "/rid401" }), "auth"],
    ["request 500 text/plain body", () => toky.request({ path: "/text500" }), "server"],
    ["request 401 HTML body", () => toky.request({ path: "/html401" }), "auth"],
    ["request 500 without error_message", () => toky.request({ path: "/message-only" }), "server"],
    ["request 302 to another origin with the key in Location", () => toky.request({ path: "/redirect" }), "api"],
    ["request 307 relative with the key in Location", () => toky.request({ path: "/redirect-rel" }), "api"],
    ["unknown route 404", () => toky.request({ path: "/nowhere" }), "not_found"],
  ];
  await table(t, cases, async ([what, call, kind]) => {
    const e = await failure(call(), what);
    clean(e, what);
    assert.equal(e.kind, kind, `${what}: ${e.message}`);
    return "clean";
  });
  assert.equal(other.seen.length, 0, "a redirect target never sees a request");
});

test("the key is in no decode error, even when the broken body holds it", async (t) => {
  // Raw call: a body that is not JSON may come back as text (data, not an error); if it fails,
  // the error must be clean.
  const raw = await within(new Toky({ apiKey: KEY, baseUrl: echo.origin + "/v1", maxRetries: 0 }).request({ path: "/badjson" }), 5000);
  assert.ok(!raw.hung, outcome(raw));
  if (raw.error) clean(raw.error, "raw call, bad JSON holding the key");
  // Typed operations under bases where every path answers a broken body.
  await table(t, [["/broken", "a body that is not JSON and holds the key"], ["/ridcut", "a cut body whose x-request-id is the key"]], async ([base, what]) => {
    const toky = new Toky({ apiKey: KEY, baseUrl: echo.origin + base, maxRetries: 0 });
    const e = await failure(toky.agents.list(), what);
    assert.equal(e.kind, "decode", what);
    clean(e, what);
    return "clean";
  });
});

test("the key is in no error when a next URL holding it points elsewhere", async () => {
  const toky = new Toky({ apiKey: KEY, baseUrl: echo.origin + "/paged", maxRetries: 0 });
  const e = await failure((async () => { for await (const _ of toky.webhooks.iterate({ pageSize: 1 })); })(), "next outside baseUrl");
  assert.equal(e.kind, "api");
  clean(e, "next outside baseUrl");
  assert.equal(other.seen.length, 0, "the other origin never sees a request");
});

test("the key is in no error when a custom fetch puts it in its own failure", async (t) => {
  const header = (init) => new Headers(init.headers).get("x-toky-key");
  const fetches = [
    ["Error with the key", (_u, init) => Promise.reject(new Error(`refused to send ${header(init)}`))],
    ["TypeError with a cause holding the key", (_u, init) => Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNRESET", message: `reset while sending ${header(init)}` } }))],
    ["a string with the key", (_u, init) => Promise.reject(`no: ${header(init)}`)],
    ["thrown synchronously", (_u, init) => { throw new Error(`sync ${header(init)}`); }],
    ["a Response whose body fails with the key", async (_u, init) => new Response(new ReadableStream({ pull(c) { c.error(new Error(`stream broke for ${header(init)}`)); } }), { status: 200, headers: { "x-request-id": "req-1" } })],
  ];
  await table(t, fetches, async ([what, f]) => {
    const toky = new Toky({ apiKey: KEY, baseUrl: echo.origin + "/v1", maxRetries: 0, fetch: f });
    const e = await failure(toky.contacts.get("+15551234567"), what);
    clean(e, what);
    return "clean";
  });
});

test("the key is in no timeout or abort error", async () => {
  const toky = new Toky({ apiKey: KEY, baseUrl: echo.origin + "/v1", maxRetries: 0, fetch: () => new Promise(() => {}) });
  clean(await failure(toky.agents.list({ signal: AbortSignal.abort(KEY) }), "abort with the key as reason"), "abort with the key as reason");
  clean(await failure(toky.agents.list({ timeoutMs: 100 }), "timeout (a fetch that never settles)"), "timeout");
});

test("the key is in no configuration error, nor in the client object", async () => {
  const toky = new Toky({ apiKey: KEY, baseUrl: echo.origin + "/v1" });
  for (const opts of [
    { apiKey: KEY, baseUrl: "ftp://127.0.0.1/v1" },
    { apiKey: KEY, baseUrl: `http://user:${KEY}@127.0.0.1/v1` },
    { apiKey: KEY, timeoutMs: -1 },
    { apiKey: KEY, lmit: 1 },
    { apiKey: KEY, headers: { "x-toky-key": "other" } },
    { apiKey: KEY + "\n" },
    { apiKey: KEY, baseUrl: "not a url " + KEY },
  ]) {
    let e;
    try {
      new Toky(opts);
    } catch (err) {
      e = err;
    }
    if (e === undefined) continue; // accepted: nothing to leak
    if (opts.baseUrl?.includes("not a url")) {
      // The value the caller gave is quoted back; only the key's own field must stay out.
      assert.ok(e instanceof TokyError && e.kind === "validation");
      continue;
    }
    clean(e, `new Toky(${JSON.stringify(Object.keys(opts))})`);
  }
  for (const [form, text] of Object.entries({ inspect: inspect(toky, { depth: Infinity, showHidden: true }), JSON: JSON.stringify(toky) ?? "", String: String(toky), keys: JSON.stringify(Object.keys(toky)) }))
    assert.ok(!text.includes(KEY), `the key is in ${form}(toky): ${text.slice(0, 300)}`);
});
