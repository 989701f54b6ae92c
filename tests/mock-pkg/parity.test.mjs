// Parity: one scripted sequence run against the native toky-mock (a TCP server on 127.0.0.1,
// port 0) and against the in-process TokyMock of the packed tarball, with the same seed and
// contacts count. Every exchange (status, the headers a client reads, the body), every result
// of the toky-wasm client, the journals, the deliveries and the webhook requests received must
// be equal once the origin and the wall-clock timestamps are normalised.
// The native binary is $TOKY_MOCK_BIN (tests/suites/mock-pkg.sh sets it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { createHash } from "node:crypto";
import { TokyMock } from "toky-mock";
import { Toky, TokyError } from "toky-wasm";

const SEED = 7;
const CONTACTS = 1_000_000;
const KEY = "demo-key";
// Response headers a client reads; the rest (date, connection, content-length) is the transport's.
const HEADERS = [
  "content-type", "x-request-id", "retry-after", "allow", "vary",
  "access-control-allow-origin", "access-control-expose-headers", "access-control-allow-methods",
  "access-control-allow-headers", "access-control-max-age",
];
// Seeded timestamps end here; anything later was made from the clock while the script ran.
const SEEDED_END = "2026-10-31 23:59:59";

function startNative() {
  const bin = process.env.TOKY_MOCK_BIN;
  assert.ok(bin, "TOKY_MOCK_BIN (the native toky-mock) is not set; run tests/suites/mock-pkg.sh");
  const child = spawn(bin, ["--port", "0", "--seed", String(SEED), "--contacts", String(CONTACTS), "--api-key", KEY], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`toky-mock exited with ${code} before listening`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (m) resolve({ origin: m[1], child });
      else reject(new Error("unexpected first line from toky-mock: " + line));
    });
  });
}

/** A webhook receiver on 127.0.0.1 (port 0): records each request; the first one gets a 500. */
async function startReceiver() {
  const got = [];
  let answered = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c)).on("end", () => {
      got.push({
        method: req.method,
        url: req.url,
        contentType: req.headers["content-type"],
        userAgent: req.headers["user-agent"],
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      });
      res.statusCode = got.length === 1 ? 500 : 204;
      res.on("finish", () => answered++);
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { answered: () => answered, take: () => ((answered = 0), got.splice(0)), url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

async function until(what, cond) {
  for (let i = 0; i < 200; i++) {
    const v = await cond();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("gave up waiting for " + what);
}

const digest = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** Replaces the origin and the clock's timestamps in any JSON value or string. */
function normaliser(origin) {
  // The wire's `YYYY-MM-DD HH:MM:SS`, the client's ISO form of it, and either percent-encoded
  // in a query (the SMS history the client reads after a lost send starts from the clock).
  const stamp = /\d{4}-\d\d-\d\d(?:[ T+]|%20)\d\d(?::|%3A)\d\d(?::|%3A)\d\dZ?/gi;
  const plain = (t) => decodeURIComponent(t).replace(/[T+]/, " ").slice(0, 19);
  const str = (s) => s.split(origin).join("ORIGIN").replace(stamp, (t) => (plain(t) > SEEDED_END ? "<now>" : t));
  const norm = (v) => {
    if (typeof v === "string") return str(v);
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
    return v;
  };
  return norm;
}

/**
 * The script. `target` is { origin, baseUrl, fetch }; every exchange through `fetch` (the
 * client's and the control calls') is logged as the client saw it, and every client result
 * or error. Returns the log.
 */
async function script(target, receiver) {
  const log = [];
  const norm = normaliser(target.origin);
  const fetch = async (input, init = {}) => {
    const method = init.method ?? (input instanceof Request ? input.method : "GET");
    const url = String(input instanceof Request ? input.url : input);
    const entry = { method, url: norm(url) };
    log.push(entry);
    let res;
    try {
      res = await target.fetch(input, init);
    } catch (e) {
      entry.rejected = e?.name ?? String(e);
      throw e;
    }
    entry.status = res.status;
    entry.headers = Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)]).filter(([, v]) => v !== null));
    const bytes = new Uint8Array(await res.clone().arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const body = norm(text);
    entry.body = body.length > 4096 ? { chars: body.length, sha256: digest(body) } : body;
    // A journal is kept whole, less the script's polls of the deliveries (their number varies).
    if (method === "GET" && url.endsWith("/__mock/journal")) entry.body = JSON.parse(body).filter((e) => e.query !== "poll");
    if (/^audio\//.test(res.headers.get("content-type") ?? "")) entry.body = { bytes: bytes.length, sha256: digest(bytes) };
    return res;
  };
  const toky = new Toky({ apiKey: KEY, baseUrl: target.baseUrl, fetch, maxRetries: 0 });
  const step = async (name, call) => {
    try {
      log.push({ step: name, ok: norm(await call()) });
    } catch (e) {
      if (!(e instanceof TokyError)) throw e;
      // fetch's TypeError is the same on both; its cause is the transport's (undici's socket
      // error code, or the in-process mock saying which fault dropped the request).
      const message = norm(e.message).replace(/fetch failed \(.*\)$/, "fetch failed (<cause>)");
      log.push({ step: name, error: { kind: e.kind, status: e.status, message, requestId: e.requestId } });
    }
  };
  const raw = async (method, path, body, headers = {}) => {
    const init = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      init.headers["content-type"] ??= "application/json";
    }
    const res = await fetch(target.origin + path, init);
    return res.status;
  };
  const fault = (spec) => raw("POST", "/__mock/faults", spec);

  // Control routes and the API's edges.
  await raw("GET", "/__mock/numbers");
  await raw("GET", "/__mock/faults");
  await raw("GET", "/v1/agents"); // 401: no key
  await raw("GET", "/v1/agents", undefined, { "x-toky-key": "wrong" });
  await raw("GET", "/v1/nowhere", undefined, { "x-toky-key": KEY });
  await raw("DELETE", "/v1/agents", undefined, { "x-toky-key": KEY });
  await raw("OPTIONS", "/v1/sms/send", undefined, { "access-control-request-headers": "x-toky-key" });
  await raw("POST", "/v1/sms/send", "x".repeat(1024 * 1024 + 1), { "x-toky-key": KEY });
  await raw("POST", "/v1/contacts", "{not json", { "x-toky-key": KEY });
  await raw("GET", "/openapi.json");

  // Every operation of the client.
  await step("agents.list", () => toky.agents.list());
  await step("contacts.list (a page of 1,000,000)", () => toky.contacts.list({ offset: 999_990, limit: 20 }));
  await step("contacts.list middle", () => toky.contacts.list({ offset: 500_000, limit: 3 }));
  const first = (await toky.contacts.list({ limit: 1 })).results[0].phone;
  await step("contacts.get", () => toky.contacts.get(first));
  await step("contacts.get missing", () => toky.contacts.get("+15550000001"));
  await step("contacts.create", () => toky.contacts.create({ phone: "+15550009999", first_name: "Par", last_name: "Ity", email: "p@example.com" }));
  await step("contacts.create again (409)", () => toky.contacts.create({ phone: "+15550009999", first_name: "Par" }));
  await step("contacts.update", () => toky.contacts.update("+15550009999", { city: "Lima" }));
  await step("contacts.get created", () => toky.contacts.get("+15550009999"));
  const [from] = (await (await fetch(target.origin + "/__mock/numbers")).json()).sms_numbers;
  const hook = await toky.webhooks.subscribe({ event: "new_sms", url: receiver.url + "/hook?token=t1" });
  log.push({ step: "webhooks.subscribe", ok: norm(hook) });
  await step("webhooks.subscribe again", () => toky.webhooks.subscribe({ event: "new_sms", url: receiver.url + "/hook?token=t1" }));
  await step("webhooks.create call hook", () => toky.webhooks.create({ event: "new_call", url: receiver.url + "/calls" }));
  await step("webhooks.list", () => toky.webhooks.list());
  await step("sms.send", () => toky.sms.send({ from, to: "+15557654321", text: "parity ✓" }));
  await step("sms.send from a number without SMS", () => toky.sms.send({ from: "+15550000002", to: "+15557654321", text: "no" }));
  await step("sms.list", () => toky.sms.list({ limit: 3 }));
  await step("sms.list dated", () => toky.sms.list({ since: "2026-03-01T00:00:00Z", until: "2026-03-02T00:00:00Z", limit: 5 }));
  const vms = await toky.voicemails.list({ limit: 2 });
  log.push({ step: "voicemails.list", ok: norm(vms) });
  await step("voicemails.get", () => toky.voicemails.get(vms.results[0].id));
  const calls = await toky.calls.list({ since: "2026-05-01T00:00:00Z", until: "2026-05-03T00:00:00Z", limit: 6 });
  log.push({ step: "calls.list", ok: norm(calls) });
  for (const c of calls.results.slice(0, 4)) await step("calls.recording " + c.callid, () => toky.calls.recording(c.callid));
  const rec = log.find((e) => e.ok?.url?.includes("/__mock/audio/"));
  assert.ok(rec, "one of the calls has a recording");
  await raw("GET", rec.ok.url.replace("ORIGIN", ""));
  // Its headers without the transport's (date, content-length), as for every exchange.
  const rawCall = async (input) => {
    const r = await toky.request(input);
    return { ...r, headers: Object.fromEntries(HEADERS.filter((h) => h in r.headers).map((h) => [h, r.headers[h]])) };
  };
  await step("request (raw)", () => rawCall({ method: "GET", path: "/cdrs", query: { limit: 2, offset: 3 } }));
  await step("request (raw POST, 400)", () => rawCall({ method: "POST", path: "/webhooks", body: { event: "new_fax", hook_url: "x" } }));

  // Events, and the webhook deliveries they cause (the receiver fails the first attempt).
  await raw("POST", "/__mock/events", { event: "new_sms", text: "STOP", from_number: "+447700900111" });
  await raw("POST", "/__mock/events", { event: "new_call", started_s_ago: 600, extra: { kept: true } });
  await raw("POST", "/__mock/events", { event: "new_voicemail", count: 2 });
  await raw("POST", "/__mock/events", { event: "new_fax" });
  // Unsubscribed before the faults, so that the SMS of drop_after is delivered to no one.
  await step("webhooks.unsubscribe", () => toky.webhooks.unsubscribe(hook));
  await step("webhooks.unsubscribe again", () => toky.webhooks.unsubscribe(hook));

  // Each fault kind.
  const sms = { from, to: "+15557654321", text: "fault" };
  await fault({ route: "/agents", kind: "drop_before" });
  await step("drop_before", () => toky.agents.list());
  await fault({ route: "/sms/send", kind: "drop_after" });
  await step("drop_after", () => toky.sms.send(sms));
  for (const kind of ["truncate", "invalid_json", "huge"]) {
    await fault({ route: "/agents", kind });
    await step(kind, () => toky.agents.list());
  }
  await fault({ route: "/contacts/*", method: "get", status: 429, retry_after: 2 });
  await step("status 429", () => toky.contacts.get(first));
  await fault({ route: "/v1/cdrs", status: 500 });
  await step("status 500", () => toky.calls.list({ limit: 1 }));
  await fault({ route: "/voicemails", kind: "delay", delay_ms: 30 });
  await step("delay", () => toky.voicemails.list({ limit: 1 }));
  await fault({ route: "/agents", kind: "hang" });
  await raw("GET", "/__mock/faults");
  const ac = new AbortController();
  const hung = toky.agents.list({ signal: ac.signal });
  await until("the hanging request in the journal", async () => {
    const j = await (await target.fetch(target.origin + "/__mock/journal")).json();
    return j.at(-1)?.fault === "hang";
  });
  ac.abort(new Error("gave up"));
  await step("hang, then abort", () => hung);
  await fault({ route: "/agents", kind: "explode" });
  await raw("DELETE", "/__mock/faults");

  // The deliveries, once done. Polls are journaled (with the query `poll`, left out of the
  // journals compared) and take a journal sequence number, which fault and delivery ids also
  // count: so they come after the last of those ids.
  await until("the deliveries", async () => {
    const d = await (await target.fetch(target.origin + "/__mock/deliveries?poll")).json();
    return receiver.answered() === 4 && d.length === 3 && d.every((x) => x.delivered);
  });
  await raw("GET", "/__mock/deliveries");

  await raw("GET", "/__mock/journal");
  await raw("DELETE", "/__mock/journal");
  await raw("DELETE", "/__mock/deliveries");
  await raw("POST", "/__mock/reset");
  await step("contacts.get after reset", () => toky.contacts.get("+15550009999"));
  await raw("GET", "/__mock/journal");
  return log;
}

test("the native toky-mock and the in-process TokyMock answer one scripted sequence alike", async () => {
  const receiver = await startReceiver();
  const native = await startNative();
  let logs;
  const received = {};
  let inProcessOrigin;
  try {
    logs = {};
    logs.native = await script({ origin: native.origin, baseUrl: native.origin + "/v1", fetch: globalThis.fetch }, receiver);
    received.native = receiver.take();
    const mock = new TokyMock({ seed: SEED, contacts: CONTACTS, apiKey: KEY });
    inProcessOrigin = mock.origin;
    try {
      logs.inProcess = await script({ origin: mock.origin, baseUrl: mock.baseUrl, fetch: mock.fetch }, receiver);
    } finally {
      mock.close();
    }
    received.inProcess = receiver.take();
  } finally {
    native.child.kill("SIGTERM");
    await receiver.close();
  }
  // The script does what it says: each kind of outcome is there.
  const steps = logs.native.filter((e) => e.step);
  const kinds = Object.fromEntries(steps.map((e) => [e.step, e.error?.kind ?? "ok"]));
  assert.deepEqual(
    [kinds.drop_before, kinds.drop_after, kinds.truncate, kinds.invalid_json, kinds["status 429"], kinds["status 500"], kinds.delay, kinds["hang, then abort"]],
    // drop_after on sms.send: the client reads the SMS history and finds the text went out.
    ["network", "ok", "decode", "decode", "rate_limit", "server", "ok", "aborted"],
  );
  assert.equal(logs.native.find((e) => e.step?.startsWith("contacts.list (a page"))?.ok.results.length, 10);
  assert.equal(received.native.length, 4, "a failed attempt and three deliveries reached the receiver");

  // Request ids count every request a mock got, the script's polls too (which are not logged):
  // they are compared by order of first appearance.
  for (const side of ["native", "inProcess"]) {
    const ids = new Map();
    const json = JSON.stringify(logs[side]).replace(/req_[0-9a-f]{16}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `<request ${ids.size + 1}>`);
      return ids.get(id);
    });
    assert.ok(ids.size > 50, `${side}: request ids in the responses and the journals`);
    logs[side] = JSON.parse(json);
  }
  // Compared step by step first, so that a failure names the first exchange that differs.
  assert.equal(logs.inProcess.length, logs.native.length, "as many exchanges and steps");
  for (let i = 0; i < logs.native.length; i++) assert.deepEqual(logs.inProcess[i], logs.native[i], `entry ${i}`);
  // The webhook requests, in the order of their bodies (a retry may come after a later delivery).
  const sorted = (a) => a.map((r) => [JSON.stringify(r.body), r]).sort(([x], [y]) => x.localeCompare(y)).map(([, r]) => r);
  assert.deepEqual(sorted(normaliser(inProcessOrigin)(received.inProcess)), sorted(normaliser(native.origin)(received.native)));
});
