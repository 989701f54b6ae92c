// Webhooks and watchers, end to end against toky-mock ($TOKY_MOCK_URL, serving --pkg pkg):
// the packed tarball is installed into a temporary app directory, as a user would get it, and
// both runnable examples are run from there against real webhook POSTs from the mock. The same
// watcher scenario then runs in headless Chromium on the package the mock serves at /pkg/.
//
//   TOKY_MOCK_URL=http://127.0.0.1:PORT node --test tests/events/
//
// The tests share one mock, so they run one after another (one file, no concurrency).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const mock = (process.env.TOKY_MOCK_URL || "").replace(/\/+$/, "");
if (!mock) throw new Error("TOKY_MOCK_URL is not set: run through tests/run.sh or start target/release/toky-mock --pkg pkg");
const KEY = "demo-key";
const EVENTS = ["new_sms", "new_call", "new_voicemail", "inbound_call_answered", "inbound_call_ended", "outbound_call", "outbound_call_ended"];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function control(method, path, body) {
  const r = await fetch(mock + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}
const simulate = (event, fields = {}) => control("POST", "/__mock/events", { event, ...fields });
const fault = (f) => control("POST", "/__mock/faults", f);
const hooks = async () => (await (await fetch(mock + "/v1/webhooks?limit=500", { headers: { "x-toky-key": KEY } })).json()).results;
const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

async function until(what, check, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await sleep(20);
  }
}

/** The next `n` records of a watcher, which goes on (fewer if they do not come within `ms`). */
async function take(w, n, ms = 10_000) {
  const out = [];
  const t = setTimeout(() => w.return(), ms);
  while (out.length < n) {
    const r = await w.next();
    if (r.done) break;
    out.push(r.value);
  }
  clearTimeout(t);
  return out;
}

/** True if the watcher yields nothing more within `ms` (it is ended either way). */
async function quiet(w, ms = 400) {
  let t;
  const r = await Promise.race([w.next(), new Promise((res) => (t = setTimeout(res, ms, "quiet")))]);
  clearTimeout(t);
  await w.return();
  if (r !== "quiet" && !r.done) return r.value;
  return true;
}


let app; // temporary directory with the tarball installed and the examples copied
let T; // the package, imported from there
let toky;
const children = new Set();

before(async () => {
  app = mkdtempSync(join(tmpdir(), "toky-events-"));
  const pack = JSON.parse(execFileSync("npm", ["pack", join(root, "pkg"), "--pack-destination", app, "--json", "--loglevel=error"], { encoding: "utf8" }));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "toky-events-test", private: true, type: "module" }));
  writeFileSync(join(app, "deno.json"), JSON.stringify({ nodeModulesDir: "manual", lock: false }));
  // --offline: the tarball has no dependencies; nothing may come from a registry.
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--loglevel=error", join(app, pack[0].filename)], { cwd: app, stdio: "pipe" });
  for (const f of readdirSync(join(root, "examples"))) copyFileSync(join(root, "examples", f), join(app, f));
  T = await import(pathToFileURL(join(app, "node_modules/toky-wasm/node.js")));
  toky = new T.Toky({ apiKey: KEY, baseUrl: mock + "/v1" });
  await control("POST", "/__mock/reset");
});

after(() => {
  for (const p of children) p.kill("SIGKILL");
  if (app && !process.env.KEEP) rmSync(app, { recursive: true, force: true });
});

describe("parseWebhookEvent", () => {
  test("each event type, from the mock's real payloads, normalised like list records", async () => {
    for (const event of EVENTS) {
      const made = await simulate(event, { custom_field: "kept" });
      const body = JSON.stringify(made.payload);
      const e = T.parseWebhookEvent(body);
      assert.equal(e.event, event);
      assert.equal(e.custom_field, "kept", "unknown fields pass through");
      assert.match(e.date, iso);
      // string, bytes, ArrayBuffer and an already-parsed object all read the same
      const bytes = new TextEncoder().encode(body);
      for (const input of [bytes, Buffer.from(body), bytes.buffer, made.payload])
        assert.deepEqual(T.parseWebhookEvent(input), e, event + " from " + Object.prototype.toString.call(input));
      if (event === "new_sms") {
        assert.equal(e.id, made.record.id);
        assert.equal(typeof e.id, "string");
        assert.equal(e.text, made.record.text);
      } else {
        assert.equal(typeof e.duration, "number", event + " duration");
        assert.equal(typeof e.web_call, "boolean", event + " web_call");
        assert.equal(typeof e.callid, "string");
        assert.ok(["completed", "missed", "unsuccessful"].includes(e.state), e.state);
      }
      if (event === "new_voicemail") {
        assert.equal(e.voicemail_id, made.record.id);
        assert.equal(e.voicemail_url, made.record.url);
      }
    }
    const typed = T.parseWebhookEvent({ event: "new_call", callid: 7, duration: "22", web_call: "no", date: "2017-07-05 21:46:44" });
    assert.deepEqual(typed, { event: "new_call", callid: "7", duration: 22, web_call: false, date: "2017-07-05T21:46:44Z" });
    // The name can come from the option (one URL per event); unknown events pass through.
    assert.deepEqual(T.parseWebhookEvent('{"id":"9"}', { event: "new_sms" }), { id: "9", event: "new_sms" });
    assert.deepEqual(T.parseWebhookEvent('{"event":"new_fax","pages":"2"}'), { event: "new_fax", pages: "2" });
  });

  test("malformed input is a TokyError of kind decode that says what is wrong", () => {
    const fails = (body, opts, kind, re) =>
      assert.throws(() => T.parseWebhookEvent(body, opts), (e) => {
        assert.ok(e instanceof T.TokyError, "a TokyError: " + e);
        assert.equal(e.kind, kind, e.message);
        assert.match(e.message, re);
        assert.equal(e.operation, "parseWebhookEvent");
        return true;
      });
    fails("event=new_sms", undefined, "decode", /not JSON/);
    fails('{"event":"new_sms"', undefined, "decode", /not JSON: EOF while parsing/);
    fails("[]", undefined, "decode", /not a JSON object, got an array/);
    fails('{"id":"1"}', undefined, "decode", /no "event"/);
    fails('{"event":42}', undefined, "decode", /"event" must be a non-empty string, got a number/);
    fails('{"event":"new_sms"}', { event: "new_call" }, "decode", /"new_sms" event, not "new_call" as the event option says/);
    fails(new Uint8Array([0x7b, 0xff, 0x7d]), undefined, "decode", /cannot be read: .*(utf-8|UTF-8|encoded data)/i);
    const cyclic = { event: "new_sms" };
    cyclic.self = cyclic;
    fails(cyclic, undefined, "decode", /cannot be read: .*circular/i);
    fails(undefined, undefined, "validation", /body: expected the request body/);
    fails("{}", { secret: "x" }, "validation", /^secret: unknown field/);
  });

  test("the token in the hook URL: missing or wrong is kind auth, checked before the body", () => {
    const body = '{"event":"new_sms","id":"1"}';
    assert.equal(T.parseWebhookEvent(body, { token: "s3cr3t", url: "/hook?token=s3cr3t" }).id, "1");
    assert.equal(T.parseWebhookEvent(body, { token: "s3cr3t", url: new URL("https://me.example/hook?a=1&token=s3cr3t") }).id, "1");
    for (const url of ["/hook", "/hook?token=s3cr3u", "/hook?token=s3cr3t&token=s3cr3t", "https://me.example/hook?t=s3cr3t"]) {
      assert.throws(() => T.parseWebhookEvent(body, { token: "s3cr3t", url }), (e) => e.kind === "auth" && !e.message.includes("s3cr3t"), url);
    }
    assert.throws(() => T.parseWebhookEvent("garbage", { token: "s3cr3t", url: "/hook?token=x" }), { kind: "auth" });
    assert.throws(() => T.parseWebhookEvent(body, { token: "s3cr3t" }), { kind: "validation", field: "url" });
    assert.throws(() => T.parseWebhookEvent(body, { token: "", url: "/hook?token=" }), { kind: "validation", field: "token" });
  });
});

describe("webhooks.subscribe / unsubscribe", () => {
  test("subscribe is idempotent; unsubscribe of a gone hook is success (false)", async () => {
    const url = "http://127.0.0.1:9/idempotent?token=abc";
    const a = await toky.webhooks.subscribe({ event: "new_sms", url });
    const b = await toky.webhooks.subscribe({ event: "new_sms", url });
    assert.equal(b.id, a.id);
    assert.deepEqual(b, a);
    const c = await toky.webhooks.subscribe({ event: "new_call", url });
    assert.notEqual(c.id, a.id, "another event is another hook");
    assert.equal((await hooks()).filter((h) => h.hook_url === url).length, 2);
    // Past the first page of the list, too.
    for (let i = 0; i < 3; i++) await toky.webhooks.create({ event: "new_sms", url: url + i });
    const again = await toky.webhooks.subscribe({ event: "new_call", url }, { timeoutMs: 5000 });
    assert.equal(again.id, c.id);
    assert.equal(await toky.webhooks.unsubscribe(a), true);
    assert.equal(await toky.webhooks.unsubscribe(a.id), false);
    assert.equal(await toky.webhooks.unsubscribe(c.id), true);
    for (const h of await hooks()) await toky.webhooks.unsubscribe(h);
    assert.deepEqual(await hooks(), []);
    await assert.rejects(toky.webhooks.subscribe({ event: "new_fax", url }), { kind: "validation", field: "event" });
    await assert.rejects(toky.webhooks.unsubscribe({}), { kind: "validation", field: "id" });
  });

  test(".withResponse() on subscribe and unsubscribe, like every call that talks to Toky", async () => {
    const url = "http://127.0.0.1:9/with-response?token=abc";
    const made = await toky.webhooks.subscribe({ event: "new_sms", url }).withResponse();
    assert.equal(made.response.status, 201, "created by POST /webhooks");
    assert.equal(made.data.hook_url, url);
    assert.ok(made.response.headers instanceof Headers);
    const found = await toky.webhooks.subscribe({ event: "new_sms", url }).withResponse();
    assert.equal(found.data.id, made.data.id, "the existing hook, found on the list page");
    assert.equal(found.response.status, 200, "found on GET /webhooks");
    assert.equal(typeof found.response.retries, "number");
    const gone = await toky.webhooks.unsubscribe(made.data).withResponse();
    assert.deepEqual([gone.data, gone.response.status], [true, 200]);
    const again = await toky.webhooks.unsubscribe(made.data.id).withResponse();
    assert.deepEqual([again.data, again.response.status], [false, 404], "already gone: false, with the 404 it learned that from");
    assert.ok(again.response.headers instanceof Headers);
    // Still a promise of the data, and its failures still reject.
    assert.equal(await toky.webhooks.unsubscribe(made.data.id), false);
    await assert.rejects(toky.webhooks.subscribe({ event: "new_fax", url }).withResponse(), { kind: "validation", field: "event" });
  });
});

/** Runs an example; exposes its stdout lines, its stderr and its exit. */
function run(cmd, args) {
  const p = spawn(cmd, args, {
    cwd: app,
    env: { ...process.env, TOKY_BASE_URL: mock + "/v1", TOKY_API_KEY: KEY, PORT: "0", NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(p);
  const lines = [];
  let wake = () => {};
  let stderr = "";
  createInterface({ input: p.stdout }).on("line", (l) => (lines.push(l), wake()));
  p.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((r) => p.on("exit", (code, signal) => (children.delete(p), r(code ?? signal))));
  return {
    p,
    exited,
    stderr: () => stderr,
    async line(ms = 10_000) {
      const end = Date.now() + ms;
      while (!lines.length) {
        if (Date.now() > end || p.exitCode !== null) throw new Error(`no line from ${args.at(-1)}; stderr:\n${stderr}`);
        await new Promise((r) => ((wake = r), setTimeout(r, 50)));
      }
      return lines.shift();
    },
    pending: () => lines.length,
  };
}

async function liveDelivery(cmd, args) {
  const ex = run(cmd, args);
  const here = await ex.line(20_000);
  assert.match(here, /^http:\/\/127\.0\.0\.1:\d+$/, "the listening URL comes first");
  await until("the example to subscribe", () => /ready: subscribed/.test(ex.stderr()), 10_000);
  const mine = (await hooks()).filter((h) => h.hook_url.startsWith(here + "/hook?token="));
  assert.deepEqual(mine.map((h) => h.event).sort(), ["new_call", "new_sms", "new_voicemail"]);
  // A forged delivery (no token, wrong token) is refused and printed nowhere.
  const forged = JSON.stringify({ event: "new_sms", id: "forged", text: "x" });
  assert.equal((await fetch(here + "/hook", { method: "POST", body: forged })).status, 401);
  assert.equal((await fetch(here + "/hook?token=guess", { method: "POST", body: forged })).status, 401);

  const sms = await simulate("new_sms", { text: "hello from the test" });
  const e1 = JSON.parse(await ex.line());
  assert.equal(e1.event, "new_sms");
  assert.equal(e1.id, sms.record.id);
  assert.equal(e1.text, "hello from the test");
  assert.match(e1.date, iso);
  const call = await simulate("new_call", { duration: "22", web_call: "no" });
  const e2 = JSON.parse(await ex.line());
  assert.deepEqual([e2.event, e2.callid, e2.duration, e2.web_call, e2.state], ["new_call", call.record.callid, 22, false, "completed"]);
  const vm = await simulate("new_voicemail");
  const e3 = JSON.parse(await ex.line());
  assert.deepEqual([e3.event, e3.voicemail_id, typeof e3.duration], ["new_voicemail", vm.record.id, "number"]);
  await simulate("outbound_call"); // not subscribed: nothing is printed
  await sleep(300);
  assert.equal(ex.pending(), 0, "only the three events, once each");

  ex.p.kill("SIGTERM");
  assert.equal(await ex.exited, 0, ex.stderr());
  assert.match(ex.stderr(), /unsubscribed new_voicemail/);
  assert.deepEqual((await hooks()).filter((h) => h.hook_url.startsWith(here)), [], "its hooks are deleted on exit");
}

describe("runnable examples receive real deliveries", () => {
  test("examples/node-webhook-receiver.mjs", () => liveDelivery(process.execPath, ["node-webhook-receiver.mjs"]));
  const deno = join(root, "node_modules/.bin/deno");
  test("examples/deno-webhook-receiver.ts", () => liveDelivery(deno, ["run", "--allow-net", "--allow-read", "--allow-env", "deno-webhook-receiver.ts"]));
  test("the Deno example type-checks against the package's types", () => {
    execFileSync(deno, ["check", "deno-webhook-receiver.ts"], { cwd: app, stdio: "pipe", env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
  });
});

describe("watchers", () => {
  const started = (w) => until("the watch to start", () => w.cursor);

  test("a burst larger than a page, exactly once and oldest first; restart from the cursor", async () => {
    const w1 = toky.sms.watch({ intervalMs: 50, pageSize: 5 });
    await started(w1);
    const burst = (await simulate("new_sms", { count: 23 })).map((m) => m.record.id);
    const first = await take(w1, 10);
    assert.deepEqual(first.map((r) => r.id), burst.slice(0, 10));
    assert.match(first[0].created_at, iso, "records are normalised");
    const cursor = w1.cursor;
    // More arrive while nothing watches; a new watcher from the cursor has no gap and no dup.
    const later = (await simulate("new_sms", { count: 4 })).map((m) => m.record.id);
    const w2 = toky.sms.watch({ intervalMs: 50, pageSize: 5, cursor });
    const rest = await take(w2, 17);
    assert.deepEqual(rest.map((r) => r.id), [...burst.slice(10), ...later]);
    assert.equal(await quiet(w2), true, "nothing twice");
  });

  test("voicemails and calls: bursts, with events arriving while a watch runs", async () => {
    for (const [name, event, field] of [["voicemails", "new_voicemail", "created_at"], ["calls", "new_call", "init_dt"]]) {
      const w = toky[name].watch({ intervalMs: 30, pageSize: 5 });
      await started(w);
      const ids = [];
      const pick = (m) => (name === "calls" ? m.cdr?.id ?? m.record.id : m.record.id);
      ids.push(...(await simulate(event, { count: 12 })).map(pick));
      const got = [];
      for await (const r of w) {
        got.push(r);
        if (got.length === 6) ids.push(...(await simulate(event, { count: 7 })).map(pick));
        if (got.length === 19) break;
      }
      assert.deepEqual(got.map((r) => r.id), ids, name);
      assert.ok(got.every((r, i) => i === 0 || got[i - 1][field] <= r[field]), name + " oldest first");
      const again = toky[name].watch({ intervalMs: 30, pageSize: 5, cursor: w.cursor });
      assert.equal(await quiet(again), true, name + ": nothing after the cursor");
    }
  });

  test("since: the records from that moment, then new ones", async () => {
    const all = [];
    for await (const r of toky.sms.iterate({ since: "2026-10-31", pageSize: 200 })) all.push(r.id);
    assert.ok(all.length > 20, "seeded and earlier records since 2026-10-31: " + all.length);
    const w = toky.sms.watch({ intervalMs: 50, pageSize: 7, since: "2026-10-31" });
    const got = await take(w, all.length);
    assert.deepEqual(got.map((r) => r.id), all.reverse());
    const next = await simulate("new_sms");
    assert.deepEqual((await take(w, 1)).map((r) => r.id), [next.record.id]);
    const d = toky.voicemails.watch({ since: new Date(Date.now() + 864e5) });
    assert.equal(await quiet(d, 200), true, "nothing is in the future");
  });

  test("transient failures are retried with backoff; others end the watch with the error", async () => {
    const w = toky.sms.watch({ intervalMs: 50, pageSize: 5, maxRetries: 0 });
    await started(w);
    await fault({ route: "/sms", method: "GET", status: 503, count: 3 });
    const made = (await simulate("new_sms", { count: 3 })).map((m) => m.record.id);
    assert.deepEqual((await take(w, 3)).map((r) => r.id), made);
    assert.deepEqual(await control("GET", "/__mock/faults"), [], "the three failures were met");
    await fault({ route: "/sms", method: "GET", status: 401 });
    await assert.rejects(w.next(), (e) => e instanceof T.TokyError && e.kind === "auth");
    assert.deepEqual(await w.next(), { value: undefined, done: true }, "ended");
    await control("DELETE", "/__mock/faults");
  });

  test("signal: an abort ends the iteration promptly (no error), sleeping or mid-request", async () => {
    const ac = new AbortController();
    const w = toky.calls.watch({ intervalMs: 60_000, signal: ac.signal });
    await started(w);
    setTimeout(() => ac.abort(), 100);
    let t0 = Date.now();
    for await (const r of w) assert.fail("nothing new: " + r.id);
    assert.ok(Date.now() - t0 < 1000, "ended " + (Date.now() - t0) + " ms after (sleeping)");

    const ac2 = new AbortController();
    await fault({ route: "/cdrs", method: "GET", kind: "delay", delay_ms: 5000 });
    const w2 = toky.calls.watch({ intervalMs: 0, signal: ac2.signal });
    setTimeout(() => ac2.abort(), 200);
    t0 = Date.now();
    assert.deepEqual(await w2.next(), { value: undefined, done: true });
    assert.ok(Date.now() - t0 < 1500, "ended " + (Date.now() - t0) + " ms after (mid-request)");
    assert.equal(w2.cursor, null, "it never started");
    await control("DELETE", "/__mock/faults");

    const gone = AbortSignal.abort();
    assert.deepEqual(await toky.sms.watch({ signal: gone }).next(), { value: undefined, done: true });
    // return() ends a watch whose next() is pending
    const w3 = toky.sms.watch({ intervalMs: 60_000 });
    await started(w3);
    const pending = w3.next();
    await sleep(50);
    t0 = Date.now();
    await w3.return();
    assert.deepEqual(await pending, { value: undefined, done: true });
    assert.ok(Date.now() - t0 < 500);
  });

  test("bad options are validation errors, thrown at once", async () => {
    const bad = (o, field, name = "sms") =>
      assert.throws(() => toky[name].watch(o), (e) => e instanceof T.TokyError && e.kind === "validation" && e.field === field, JSON.stringify(o));
    bad({ pageSize: 0 }, "pageSize");
    bad({ intervalMs: -1 }, "intervalMs");
    bad({ intervalMs: "5s" }, "intervalMs");
    bad({ every: 5 }, "every");
    bad({ since: "yesterday" }, "since");
    bad({ cursor: "nope" }, "cursor");
    bad({ since: "2026-01-01", cursor: "x" }, "cursor");
    bad({ signal: {} }, "signal");
    bad("fast", "options");
    const smsCursor = Buffer.from(JSON.stringify({ v: 1, r: "sms", t: "", ids: [] })).toString("base64url");
    assert.ok(toky.sms.watch({ cursor: smsCursor }).return());
    bad({ cursor: smsCursor }, "cursor", "calls");
  });
});

describe("in headless Chromium", () => {
  test("the watcher scenario on the package the mock serves at /pkg/", async () => {
    const { chromium } = createRequire(join(root, "package.json"))("playwright-core");
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    });
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(mock + "/pkg/package.json");
      const r = await page.evaluate(async (mock) => {
        const { Toky, parseWebhookEvent } = await import("/pkg/browser.js");
        const toky = new Toky({ apiKey: "demo-key", baseUrl: mock + "/v1" });
        const sim = async (b) => (await (await fetch("/__mock/events", { method: "POST", body: JSON.stringify(b) })).json());
        const wait = async (w) => { while (!w.cursor) await new Promise((r) => setTimeout(r, 20)); };
        const w = toky.sms.watch({ intervalMs: 50, pageSize: 5 });
        await wait(w);
        const made = (await sim({ event: "new_sms", count: 23 })).map((m) => m.record.id);
        const got = [];
        for await (const s of w) { got.push(s.id); if (got.length === 10) break; }
        const w2 = toky.sms.watch({ intervalMs: 50, pageSize: 5, cursor: w.cursor });
        for await (const s of w2) { got.push(s.id); if (got.length === 23) break; }
        const ac = new AbortController();
        const w3 = toky.calls.watch({ intervalMs: 60000, signal: ac.signal });
        await wait(w3);
        setTimeout(() => ac.abort(), 100);
        const t0 = performance.now();
        let extra = 0;
        for await (const _ of w3) extra++;
        const event = parseWebhookEvent(new TextEncoder().encode('{"event":"new_call","duration":"22","web_call":"yes"}'));
        return { made, got, extra, abortMs: performance.now() - t0, event };
      }, mock);
      assert.deepEqual(r.got, r.made);
      assert.equal(r.extra, 0);
      assert.ok(r.abortMs < 1000, "abort took " + r.abortMs);
      assert.deepEqual(r.event, { event: "new_call", duration: 22, web_call: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
