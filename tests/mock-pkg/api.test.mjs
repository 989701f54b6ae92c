// toky-mock's npm package, installed from its packed tarball beside the packed toky-wasm one
// (tests/suites/mock-pkg.sh): the in-process TokyMock as a standard fetch, its control methods,
// each fault as fetch sees it, webhook deliveries, close() and bad options.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { spawn } from "node:child_process";
import { TokyMock, TokyMockError } from "toky-mock";
import { Toky, parseWebhookEvent } from "toky-wasm";

const client = (mock, o = {}) => new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch, ...o });
const get = (mock, path, init = {}) => mock.fetch(mock.baseUrl + path, { ...init, headers: { "x-toky-key": mock.apiKey, ...init.headers } });

test("the client runs on mock.fetch: sms.send, then the journal shows what it sent", async () => {
  const mock = new TokyMock({ seed: 1 });
  const toky = client(mock);
  const [from] = await mock.numbers();
  assert.match(from, /^\+\d+$/);
  const sent = await toky.sms.send({ from, to: "+15557654321", text: "hi" });
  assert.equal(sent.success, true);
  const journal = await mock.journal();
  const send = journal.find((e) => e.path === "/v1/sms/send");
  assert.equal(send.method, "POST");
  assert.equal(send.status, 200);
  assert.equal(JSON.parse(send.body).text, "hi");
  const page = await toky.sms.list({ limit: 1 });
  assert.equal(page.results[0].text, "hi");
  mock.close();
});

test("mock.fetch is a standard fetch: string, URL, Request, relative path; a real Response", async () => {
  const mock = new TokyMock();
  const h = { "x-toky-key": mock.apiKey };
  for (const input of [mock.baseUrl + "/agents", new URL(mock.baseUrl + "/agents"), new Request(mock.baseUrl + "/agents", { headers: h }), "/v1/agents"]) {
    const r = await mock.fetch(input, input instanceof Request ? undefined : { headers: h });
    assert.ok(r instanceof Response);
    assert.equal(r.status, 200);
    assert.match(r.headers.get("x-request-id"), /^req_[0-9a-f]{16}$/);
    assert.ok(Math.abs(Date.parse(r.headers.get("date")) - Date.now()) < 60_000, "a Date header, as the server's HTTP layer sends");
    assert.equal((await r.json()).count, 7);
  }
  const unauth = await mock.fetch(mock.baseUrl + "/agents");
  assert.equal(unauth.status, 401);
  assert.equal((await unauth.json()).error_message, "missing X-Toky-Key header");
  const spec = await mock.fetch(mock.origin + "/openapi.json");
  assert.equal((await spec.json()).servers[0].url, mock.baseUrl);
  const big = await mock.fetch(mock.baseUrl + "/sms/send", { method: "POST", headers: h, body: "x".repeat(1024 * 1024 + 1) });
  assert.equal(big.status, 413);
  await assert.rejects(mock.fetch("http://[bad"), TypeError);
  mock.close();
});

test("the same seed gives the same data; another seed other data; apiKey and contacts apply", async () => {
  const body = async (m, p) => (await get(m, p)).text();
  const [a, b, c] = [new TokyMock({ seed: 7 }), new TokyMock({ seed: 7 }), new TokyMock({ seed: 8 })];
  assert.equal(await body(a, "/contacts?limit=5"), await body(b, "/contacts?limit=5"));
  assert.notEqual(await body(a, "/contacts?limit=5"), await body(c, "/contacts?limit=5"));
  const k = new TokyMock({ apiKey: "sk-test", contacts: 12 });
  assert.equal(k.apiKey, "sk-test");
  assert.equal((await (await get(k, "/contacts?limit=50")).json()).results.length, 12);
  for (const m of [a, b, c, k]) m.close();
});

test("drop_before rejects like a dropped connection and the handler did not run", async () => {
  const mock = new TokyMock();
  const toky = client(mock, { maxRetries: 0 });
  const [from] = await mock.numbers();
  await mock.fault({ route: "/sms/send", kind: "drop_before" });
  await assert.rejects(
    mock.fetch(mock.baseUrl + "/sms/send", { method: "POST", headers: { "x-toky-key": mock.apiKey, "content-type": "application/json" }, body: JSON.stringify({ from, to: "+15557654321", text: "never" }) }),
    (e) => e instanceof TypeError && /drop/.test(e.cause.message),
  );
  const entry = (await mock.journal()).findLast((e) => e.path === "/v1/sms/send");
  assert.deepEqual([entry.fault, entry.status, entry.handler_ran], ["drop_before", null, false]);
  const texts = (await (await get(mock, "/sms?limit=500")).json()).results.map((s) => s.text);
  assert.ok(!texts.includes("never"));
  await toky.agents.list().then(() => {}); // the mock still answers
  mock.close();
});

test("drop_after runs the handler, then rejects", async () => {
  const mock = new TokyMock();
  const [from] = await mock.numbers();
  await mock.fault({ route: "/sms/send", kind: "drop_after" });
  await assert.rejects(
    mock.fetch(mock.baseUrl + "/sms/send", { method: "POST", headers: { "x-toky-key": mock.apiKey, "content-type": "application/json" }, body: JSON.stringify({ from, to: "+15557654321", text: "sent anyway" }) }),
    TypeError,
  );
  const entry = (await mock.journal()).findLast((e) => e.path === "/v1/sms/send");
  assert.deepEqual([entry.fault, entry.status, entry.handler_ran], ["drop_after", null, true]);
  const texts = (await (await get(mock, "/sms?limit=500")).json()).results.map((s) => s.text);
  assert.ok(texts.includes("sent anyway"));
  mock.close();
});

test("hang settles only when the signal aborts, rejecting with its reason", async () => {
  const mock = new TokyMock();
  await mock.fault({ route: "/agents", kind: "hang" });
  const ac = new AbortController();
  const reason = new Error("test gave up");
  let settled = false;
  const p = get(mock, "/agents", { signal: ac.signal }).finally(() => (settled = true));
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(settled, false);
  ac.abort(reason);
  await assert.rejects(p, (e) => e === reason);
  // An already aborted signal rejects at once.
  await assert.rejects(get(mock, "/agents", { signal: AbortSignal.abort(reason) }), (e) => e === reason);
  mock.close();
});

test("delay, status with Retry-After, truncate, invalid_json and huge as the server sends them", async () => {
  const mock = new TokyMock();
  await mock.fault({ route: "/agents", kind: "delay", delay_ms: 300 });
  const t0 = performance.now();
  assert.equal((await get(mock, "/agents")).status, 200);
  assert.ok(performance.now() - t0 >= 290);

  await mock.fault({ route: "/agents", status: 429, retry_after: 2 });
  const limited = await get(mock, "/agents");
  assert.deepEqual([limited.status, limited.headers.get("retry-after")], [429, "2"]);
  assert.equal((await limited.json()).error_message, "rate limited (simulated fault)");

  await mock.fault({ route: "/agents", kind: "truncate" });
  const cut = await (await get(mock, "/agents")).text();
  assert.throws(() => JSON.parse(cut));
  assert.ok(cut.startsWith('{"count":7'));

  await mock.fault({ route: "/agents", kind: "invalid_json" });
  const invalid = await get(mock, "/agents");
  await assert.rejects(invalid.json(), SyntaxError);

  await mock.fault({ route: "/agents", kind: "huge" });
  const huge = await (await get(mock, "/agents")).json();
  assert.equal(huge.count, 7);
  assert.ok(huge.padding.length >= 8 * 1024 * 1024);
  mock.close();
});

test("control methods give the routes' errors; bad options throw a TypeError naming them", async () => {
  const mock = new TokyMock();
  await assert.rejects(mock.fault({ route: "/agents", kind: "explode" }), (e) => e instanceof TokyMockError && e.status === 400 && /`kind`/.test(e.message));
  await assert.rejects(mock.fault({ kind: "hang" }), (e) => e instanceof TokyMockError && /`route` is required/.test(e.message));
  await assert.rejects(mock.simulate({ event: "new_fax" }), (e) => e instanceof TokyMockError && /unknown event "new_fax"/.test(e.message));
  assert.deepEqual(await mock.faults(), []);
  await mock.fault({ route: "/agents", kind: "hang", count: 3 });
  assert.equal((await mock.faults())[0].count, 3);
  assert.equal((await mock.clearFaults()).cleared, 1);
  mock.close();
  for (const [options, name] of [
    [{ sed: 1 }, /unknown option `sed`/],
    [{ seed: "1" }, /option `seed` must be a number, not string/],
    [{ seed: 1.5 }, /option `seed` must be an integer/],
    [{ contacts: 1_000_001 }, /option `contacts` must be an integer from 0 to 1000000/],
    [{ apiKey: "" }, /option `apiKey`/],
    [{ apiKey: "a\nb" }, /option `apiKey`/],
    [{ deliver: "https://example.com" }, /option `deliver` must be a function/],
    [{ loopbackWebhooks: 1 }, /option `loopbackWebhooks` must be a boolean/],
  ]) {
    assert.throws(() => new TokyMock(options), (e) => e instanceof TypeError && name.test(e.message), JSON.stringify(options));
  }
  assert.throws(() => new TokyMock(null), TypeError);
});

test("webhooks go into deliver(request), with the server's retries", async () => {
  const got = [];
  let fail = 1;
  const mock = new TokyMock({
    deliver: async (request) => {
      assert.ok(request instanceof Request);
      got.push({ url: request.url, event: parseWebhookEvent(await request.text()) });
      return new Response(null, { status: fail-- > 0 ? 500 : 204 });
    },
  });
  const toky = client(mock);
  await toky.webhooks.create({ event: "new_sms", url: "https://hooks.example.com/toky?token=t1" });
  await mock.simulate({ event: "new_sms", text: "STOP", from_number: "+15550001111" });
  for (let i = 0; i < 50 && !(await mock.deliveries())[0]?.delivered; i++) await new Promise((r) => setTimeout(r, 50));
  const [d] = await mock.deliveries();
  assert.deepEqual([d.delivered, d.attempts, d.last_status], [true, 2, 204]);
  assert.equal(got.length, 2);
  assert.equal(got[0].url, "https://hooks.example.com/toky?token=t1");
  assert.equal(got[0].event.event, "new_sms");
  assert.equal(got[0].event.text, "STOP");
  mock.close();
});

test("without deliver, webhooks go through the global fetch (here to a node:http server)", async () => {
  const bodies = [];
  const server = createServer((req, res) => {
    let b = "";
    req.on("data", (c) => (b += c)).on("end", () => {
      bodies.push(JSON.parse(b));
      res.end("ok");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const mock = new TokyMock({ loopbackWebhooks: true });
  const toky = client(mock);
  await assert.rejects(toky.webhooks.create({ event: "new_sms", url: "https://example.com/hook" }));
  await toky.webhooks.create({ event: "new_sms", url: `http://127.0.0.1:${server.address().port}/hook` });
  await mock.simulate({ event: "new_sms", text: "hello" });
  for (let i = 0; i < 50 && !bodies.length; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(bodies[0]?.text, "hello");
  assert.equal((await mock.deliveries())[0].delivered, true);
  mock.close();
  server.close();
});

test("reset goes back to the seeded state", async () => {
  const mock = new TokyMock();
  const toky = client(mock);
  await toky.contacts.create({ phone: "+15550009999", first_name: "Temp" });
  assert.equal((await (await get(mock, "/contacts/%2B15550009999")).status), 200);
  await mock.reset();
  assert.equal((await get(mock, "/contacts/%2B15550009999")).status, 404);
  assert.equal((await mock.journal()).length, 1); // the lookup above, after the reset
  mock.close();
});

test("close(): later calls fail clearly, pending ones reject, and nothing keeps Node alive", async () => {
  const mock = new TokyMock();
  await mock.fault({ route: "/agents", kind: "hang" });
  const pending = get(mock, "/agents");
  await new Promise((r) => setTimeout(r, 20));
  mock.close();
  await assert.rejects(pending, /closed/);
  await assert.rejects(mock.journal(), /TokyMock is closed/);
  await assert.rejects(mock.fetch(mock.baseUrl + "/agents"), /TokyMock is closed/);
  mock.close(); // twice is fine

  // A child with a hanging request and failing webhook deliveries (retries pending for 1.4 s)
  // exits as soon as it closes its mock.
  const child = spawn(process.execPath, ["--input-type=module", "-e", `
    import { TokyMock } from "toky-mock";
    const mock = new TokyMock({ deliver: () => new Response(null, { status: 500 }) });
    await mock.fetch(mock.baseUrl + "/webhooks", { method: "POST", headers: { "x-toky-key": mock.apiKey, "content-type": "application/json" }, body: JSON.stringify({ event: "new_sms", hook_url: "https://example.com/h" }) });
    await mock.fault({ route: "/agents", kind: "hang" });
    mock.fetch(mock.baseUrl + "/agents").catch(() => {});
    await mock.simulate({ event: "new_sms" });
    await new Promise((r) => setTimeout(r, 50));
    globalThis.t0 = performance.now();
    mock.close();
    process.on("exit", () => console.log("exited after " + Math.round(performance.now() - globalThis.t0)));
  `], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  const code = await new Promise((r) => child.on("exit", r));
  assert.equal(code, 0);
  const ms = Number(out.match(/exited after (\d+)/)?.[1]);
  assert.ok(ms < 150, `exited ${ms} ms after close() (webhook retries are 200 + 400 + 800 ms)`);
});

test("require('toky-mock') (CommonJS) gives the same class", async () => {
  const child = spawn(process.execPath, ["-e", `
    const { TokyMock } = require("toky-mock");
    const m = new TokyMock({ seed: 3 });
    m.numbers().then((n) => { console.log(n.length); m.close(); });
  `], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  assert.equal(await new Promise((r) => child.on("exit", r)), 0);
  assert.equal(out.trim(), "3");
});
