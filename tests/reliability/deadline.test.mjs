// Hard deadline and abort (README "Retries, timeouts, cancellation"): timeoutMs is the deadline
// of the whole call and the caller's signal aborts it, whatever fetch or the body does; nothing
// the client leaves behind keeps a Node process alive. Every call here is raced against a guard,
// so a client that misses its deadline fails the test at once instead of hanging it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { getEventListeners } from "node:events";
import { Toky, TokyError } from "toky-wasm";
import { KEY, startMock, recorder, within, outcome, until } from "./lib.mjs";

const SLACK = 750;
let mock, stall;
before(async () => {
  mock = await startMock();
  // Answers /v1/agents with headers and the start of a JSON body, then nothing; anything else
  // with nothing at all.
  stall = await recorder((req, res) => {
    if (req.url.startsWith("/v1/agents")) {
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-stall", "content-length": "1000" });
      res.write('{"count": 1, "results": [');
    }
    if (req.url.startsWith("/v1/sms/send")) {
      res.writeHead(422, { "content-type": "application/json", "x-request-id": "req-422" });
      res.write('{"success": false, "error_message": "Invalid');
    }
  });
});
after(async () => {
  await stall?.close();
  await mock?.stop();
});

const client = (opts) => new Toky({ apiKey: KEY, baseUrl: mock.url + "/v1", ...opts });

/** Asserts the call settles with `kind` within [min, max] ms (a promise, or a function making it). */
async function settles(promise, kind, { min = 0, max }, what) {
  const r = await within(promise, max + 2000);
  const where = `${what}: ${outcome(r)}`;
  assert.ok(!r.hung, `${where} (expected ${kind} within ${max} ms)`);
  assert.ok(r.error instanceof TokyError, `${where}: expected a TokyError`);
  assert.equal(r.error.kind, kind, where);
  assert.ok(r.elapsed >= min - 20 && r.elapsed <= max, `${where}: expected between ${min} and ${max} ms`);
  return r.error;
}

// A Response whose body never ends (and never looks at any signal).
const endless = (headers = {}) =>
  new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('{"count":1,"results":[')); } }), {
    status: 200,
    headers: { "content-type": "application/json", ...headers },
  });

test("deadline: a fetch that never settles", async () => {
  const toky = client({ maxRetries: 0, timeoutMs: 300, fetch: () => new Promise(() => {}) });
  await settles(() => toky.agents.list(), "timeout", { min: 300, max: 300 + SLACK }, "fetch never settles");
});

test("deadline: a fetch that ignores the abort signal (real socket, server never answers)", async () => {
  const toky = new Toky({ apiKey: KEY, baseUrl: stall.origin + "/v1", maxRetries: 0, timeoutMs: 300, fetch: (url, init) => fetch(url, { ...init, signal: undefined }) });
  await settles(() => toky.request({ path: "/silent" }), "timeout", { min: 300, max: 300 + SLACK }, "fetch ignores the signal");
});

test("deadline: toky-mock's hang fault (no response at all)", async () => {
  await mock.fault({ route: "/agents", method: "GET", kind: "hang" });
  await settles(() => client({ maxRetries: 2, timeoutMs: 400 }).agents.list(), "timeout", { min: 400, max: 400 + SLACK }, "hang");
});

test("deadline: the body stalls after the headers (real socket)", async () => {
  const toky = new Toky({ apiKey: KEY, baseUrl: stall.origin + "/v1", maxRetries: 0, timeoutMs: 400 });
  const e = await settles(() => toky.agents.list(), "timeout", { min: 400, max: 400 + SLACK }, "body stalls");
  assert.equal(e.operation, "agents.list");
  // The status line and headers had arrived: the error keeps them.
  assert.equal(e.status, 200);
  assert.equal(e.requestId, "req-stall");
});

test("deadline: an sms.send whose 4xx body stalls keeps status and request id, and is not sent", async () => {
  const seen = [];
  const toky = new Toky({ apiKey: KEY, baseUrl: stall.origin + "/v1", maxRetries: 0, timeoutMs: 400, onRequest: (i) => seen.push(i.method) });
  const e = await settles(() => toky.sms.send({ from: "+13055550100", to: "+15551234567", text: "hi" }), "timeout", { min: 400, max: 400 + SLACK }, "4xx body stalls");
  assert.deepEqual([e.status, e.requestId, e.sent], [422, "req-422", false], e.message);
  assert.deepEqual(seen, ["POST"], "a 4xx answer means not sent: no SMS history read");
});

test("deadline: the body stalls after the headers (a Response whose stream never ends)", async () => {
  const toky = client({ maxRetries: 0, timeoutMs: 300, fetch: async () => endless({ "x-request-id": "req-endless" }) });
  const e = await settles(() => toky.contacts.get("+15551234567"), "timeout", { min: 300, max: 300 + SLACK }, "endless body");
  assert.equal(e.status, 200);
  assert.equal(e.requestId, "req-endless");
});

test("deadline: covers retries and backoff (503 three times, maxRetries 5, timeoutMs 1200)", async () => {
  await mock.fault({ route: "/sms", method: "GET", kind: "status", status: 503, count: 10 });
  const r = await within(() => client({ maxRetries: 5, timeoutMs: 1200 }).sms.list(), 1200 + SLACK);
  await mock.clearFaults();
  assert.ok(!r.hung, `retries past the deadline: ${outcome(r)}`);
  assert.ok(r.error instanceof TokyError && ["timeout", "server"].includes(r.error.kind), outcome(r));
});

test("abort: during a backoff sleep (503 with maxRetries 3): settles at once, no second attempt", async () => {
  await mock.clearJournal();
  await mock.fault({ route: "/agents", method: "GET", kind: "status", status: 503, count: 5 });
  const ac = new AbortController();
  let attempts = 0, abortedAt = 0;
  // Counts attempts; once the first 503's body has been handed over, aborts on the next turn of
  // the event loop: the client is then waiting out its backoff (≥ 375 ms).
  const toky = client({
    maxRetries: 3,
    timeoutMs: 20_000,
    fetch: async (url, init) => {
      attempts++;
      const r = await fetch(url, init);
      const bytes = new Uint8Array(await r.arrayBuffer());
      const body = new ReadableStream({
        pull(c) {
          c.enqueue(bytes);
          c.close();
          setTimeout(() => {
            abortedAt = performance.now();
            ac.abort();
          }, 20);
        },
      });
      return new Response(body, { status: r.status, headers: r.headers });
    },
  });
  const r = await within(toky.agents.list({ signal: ac.signal }), 5000);
  await mock.clearFaults();
  assert.ok(!r.hung, outcome(r));
  assert.ok(abortedAt > 0, `the abort was sent (${outcome(r)})`);
  assert.ok(r.error instanceof TokyError, outcome(r));
  assert.equal(r.error.kind, "aborted", outcome(r));
  const late = performance.now() - abortedAt;
  assert.ok(late < 500, `settled ${Math.round(late)} ms after the abort`);
  assert.equal(attempts, 1, "no attempt after the abort");
  assert.equal((await mock.journal()).filter((e) => e.path === "/v1/agents").length, 1);
});

test("abort: a signal already aborted with a string reason: no request, kind aborted", async () => {
  await mock.clearJournal();
  const e = await settles(client().agents.list({ signal: AbortSignal.abort("user gave up") }), "aborted", { max: 500 }, "pre-aborted");
  assert.equal(e.operation, "agents.list");
  assert.equal((await mock.journal()).filter((j) => j.path.startsWith("/v1")).length, 0, "nothing was sent");
});

test("abort: a string reason while the request hangs (real fetch)", async () => {
  await mock.fault({ route: "/voicemails", method: "GET", kind: "hang" });
  const ac = new AbortController();
  const p = client({ timeoutMs: 20_000 }).voicemails.list({ signal: ac.signal });
  await until(async () => (await mock.journal()).some((e) => e.path === "/v1/voicemails" && e.fault === "hang"), 5000, "the request to reach toky-mock");
  ac.abort("user gave up");
  await settles(p, "aborted", { max: 500 }, "string reason, hanging request");
});

test("abort: a string reason while a custom fetch ignores the signal and never settles", async () => {
  const ac = new AbortController();
  let called;
  const called$ = new Promise((r) => (called = r));
  const toky = client({ timeoutMs: 5_000, fetch: () => (called(), new Promise(() => {})) });
  const p = toky.webhooks.list({ signal: ac.signal });
  await within(called$, 2000);
  ac.abort("user gave up");
  await settles(p, "aborted", { max: 500 }, "string reason, fetch ignores it");
});

test("abort: a custom fetch that rejects with the signal's (string) reason", async () => {
  const ac = new AbortController();
  const toky = client({
    timeoutMs: 20_000,
    fetch: (_url, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason))),
  });
  const p = toky.calls.list({ signal: ac.signal });
  setTimeout(() => ac.abort("user gave up"), 20);
  await settles(p, "aborted", { max: 500 }, "fetch rejects with the reason");
});

test("a custom fetch that rejects with a non-Error value is kind network (the process survives)", async () => {
  for (const value of ["boom", 42, null, undefined, { not: "an error" }]) {
    const toky = client({ maxRetries: 0, fetch: () => Promise.reject(value) });
    await settles(toky.agents.list(), "network", { max: 1000 }, `fetch rejects with ${JSON.stringify(value)}`);
  }
  const toky = client({ maxRetries: 0, fetch: () => { throw "thrown synchronously"; } });
  await settles(toky.agents.list(), "network", { max: 1000 }, "fetch throws a string");
});

test("no listener is left on the caller's signal once its calls settle, however they end", async () => {
  const ac = new AbortController();
  const listeners = () => getEventListeners(ac.signal, "abort").length;
  const toky = client({ maxRetries: 1, timeoutMs: 5000 });
  const o = { signal: ac.signal };
  await toky.agents.list(o);
  await assert.rejects(toky.contacts.get("+19990000001", o), (e) => e.kind === "not_found");
  await mock.fault({ route: "/sms", method: "GET", status: 503, count: 1 });
  await toky.sms.list({ ...o, limit: 1 });
  await mock.fault({ route: "/cdrs", method: "GET", kind: "hang" });
  await assert.rejects(toky.calls.list({ ...o, timeoutMs: 300 }), (e) => e.kind === "timeout");
  await assert.rejects(toky.contacts.get("nope", o), (e) => e.kind === "validation");
  await toky.request({ path: "/agents" }, o);
  assert.equal(listeners(), 0, "after calls that succeeded, failed, were retried and timed out");
  const never = client({ maxRetries: 0, fetch: () => new Promise(() => {}) });
  await settles(() => never.agents.list({ ...o, timeoutMs: 200 }), "timeout", { min: 200, max: 200 + SLACK }, "fetch never settles, with a signal");
  assert.equal(listeners(), 0, "after a call whose fetch never settled");
});

// A child Node process makes calls that end every way (success with the default 30 s deadline,
// retries then success, failure after retries, a timeout, an abort during a backoff, an abort of
// a hanging request, a validation error; or a call whose fetch never settles), then stops doing
// anything: it must exit by itself, at once, because no timer or listener of the client is left.
const EVERY_WAY = `
  const keep = new AbortController();
  await note("plain", toky.agents.list());
  await note("with-signal", toky.contacts.list({ limit: 1, signal: keep.signal }));
  await ctl({ route: "/sms", method: "GET", status: 503, count: 1 });
  await note("retry-then-ok", toky.sms.list({ limit: 1 }));
  await ctl({ route: "/cdrs", method: "GET", status: 503, count: 2 });
  await note("fails-after-retry", toky.calls.list({ limit: 1, maxRetries: 1 }));
  await ctl({ route: "/webhooks", method: "GET", kind: "hang" });
  await note("timeout", toky.webhooks.list({ timeoutMs: 300 }));
  await ctl({ route: "/voicemails", method: "GET", status: 503, count: 3 });
  const ac = new AbortController();
  const p = toky.voicemails.list({ signal: ac.signal, maxRetries: 2 });
  setTimeout(() => ac.abort("stop"), 150);
  await note("abort-in-backoff", p);
  await ctl({ route: "/agents", method: "GET", kind: "hang" });
  const ac2 = new AbortController();
  const p2 = toky.agents.list({ signal: ac2.signal });
  setTimeout(() => ac2.abort(), 150);
  await note("abort-hang", p2);
  await note("validation", toky.contacts.get("nope"));
  await note("raw", toky.request({ path: "/agents" }));
`;
const NEVER = `
  const never = new Toky({ apiKey: "demo-key", baseUrl: base + "/v1", fetch: () => new Promise(() => {}) });
  const keep = new AbortController();
  await note("fetch-never-settles", never.agents.list({ timeoutMs: 200, signal: keep.signal }));
`;

async function childExitsByItself(calls, expected) {
  await mock.clearFaults();
  const script = `
    import { Toky } from ${JSON.stringify(import.meta.resolve("toky-wasm"))};
    const base = process.argv[1];
    const ctl = (b) => fetch(base + "/__mock/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) });
    const toky = new Toky({ apiKey: "demo-key", baseUrl: base + "/v1" });
    const out = [];
    const note = (name, p) => p.then(() => out.push(name + ":ok"), (e) => out.push(name + ":" + e.kind));
    ${calls}
    process.stdout.write(JSON.stringify(out) + "\\n");
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, mock.url], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "", doneAt = 0;
  child.stdout.on("data", (d) => {
    out += d;
    if (out.includes("\n") && !doneAt) doneAt = performance.now();
  });
  const exited = await within(new Promise((r) => child.once("exit", (code) => r(code))), 20_000);
  if (exited.hung) child.kill("SIGKILL");
  assert.ok(!exited.hung, `the child did not exit within 20 s; output so far: ${out}`);
  // 13: Node's exit code for a top-level await that never settled (a call that never settled).
  assert.equal(exited.value, 0, `the child's exit code (output: ${JSON.stringify(out)})`);
  assert.deepEqual(JSON.parse(out), expected);
  const linger = performance.now() - doneAt;
  assert.ok(linger < 1500, `the process lingered ${Math.round(linger)} ms after its last call settled`);
}

test("no timer or listener keeps a Node process alive after the calls settle", () =>
  childExitsByItself(EVERY_WAY, [
    "plain:ok", "with-signal:ok", "retry-then-ok:ok", "fails-after-retry:server", "timeout:timeout",
    "abort-in-backoff:aborted", "abort-hang:aborted", "validation:validation", "raw:ok",
  ]));

test("no timer or listener keeps a Node process alive after a call whose fetch never settled", () =>
  childExitsByItself(NEVER, ["fetch-never-settles:timeout"]));
