// Issue 16 through the built package, imported by name: a proven outcome for every sms.send,
// .withResponse(), and the onRequest/onResponse hooks. Runs against the toky-mock that
// tests/run.sh started; faults and the journal come from its /__mock control endpoints.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { Toky, TokyError } from "toky-wasm";

const MOCK = process.env.TOKY_MOCK_URL;
const KEY = "demo-key";
const control = (path, init) => fetch(MOCK + path, init).then((r) => (r.status == 204 ? null : r.json()));
const post = (path, body) => control(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const fault = (f) => post("/__mock/faults", f);
const journal = () => control("/__mock/journal");
const toky = (o) => new Toky({ apiKey: KEY, baseUrl: MOCK + "/v1", ...o });
let n = 0;
const unique = (what) => `${what} #${++n} ${Date.now()}`;

beforeEach(async () => {
  await control("/__mock/faults", { method: "DELETE" });
  await control("/__mock/journal", { method: "DELETE" });
});

/** The journal's sends and history reads, for what one test did. */
async function wire() {
  const j = await journal();
  return { sends: j.filter((e) => e.method == "POST" && e.path == "/v1/sms/send"), reads: j.filter((e) => e.method == "GET" && e.path == "/v1/sms") };
}

test("sms.send: the answer is lost after Toky sent the text → resolved from the history, reconciled", async () => {
  const { sms_numbers: [from] } = await control("/__mock/numbers");
  const text = unique("dropped after sending");
  await fault({ route: "/sms/send", kind: "drop_after" });
  const sent = await toky().sms.send({ from, to: "+14155550123", text });
  assert.equal(sent.reconciled, true);
  assert.equal(sent.success, true);
  assert.equal(sent.message.text, text);
  assert.equal(sent.message.direction, "outbound");
  assert.equal(sent.id, sent.message.id);
  assert.equal(sent.segments, 1);
  const { sends, reads } = await wire();
  assert.equal(sends.length, 1, "one POST, never a second");
  assert.equal(sends[0].handler_ran, true);
  assert.equal(sends[0].fault, "drop_after");
  assert.equal(reads.length, 1, "found on the first read");
  assert.match(reads[0].query, /^limit=50&filter=%28created_at(%20|\+)%3E%3D/);
  const history = await toky().sms.list({ limit: 5 });
  assert.equal(history.results.filter((s) => s.text == text).length, 1, "the text went out exactly once");
});

test("sms.send: the connection drops before Toky acts → proven not sent (sent: false), safe to send again", async () => {
  const { sms_numbers: [from] } = await control("/__mock/numbers");
  const text = unique("dropped before sending");
  await fault({ route: "/sms/send", kind: "drop_before" });
  const e = await toky().sms.send({ from, to: "+14155550123", text }).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(e instanceof TokyError);
  assert.equal(e.kind, "network");
  assert.equal(e.sent, false);
  assert.match(e.message, /The text was NOT sent: it is not in the SMS history \(read twice/);
  assert.equal(e.toJSON().sent, false);
  const { sends, reads } = await wire();
  assert.equal(sends.length, 1);
  assert.equal(sends[0].handler_ran, false);
  assert.equal(reads.length, 2, "history read twice before calling it absent");
  // And so it may be sent again, once.
  const again = await toky().sms.send({ from, to: "+14155550123", text });
  assert.equal(again.reconciled, undefined);
  assert.equal((await wire()).sends.length, 2);
});

test("sms.send: drop_after on a send Toky refused → its handler ran, nothing went out → sent: false", async () => {
  const text = unique("refused then dropped");
  await fault({ route: "/sms/send", kind: "drop_after" });
  const e = await toky().sms.send({ from: "+19995550001", to: "+14155550123", text }).then(() => assert.fail("resolved"), (e) => e);
  assert.equal(e.sent, false);
  const { sends, reads } = await wire();
  assert.deepEqual([sends.length, sends[0].handler_ran, reads.length], [1, true, 2]);
});

test("sms.send: a proxy's bodiless 502 after Toky sent the text → reconciled; a timeout in flight → read, then not sent", async () => {
  const { sms_numbers: [from] } = await control("/__mock/numbers");
  // A gateway in front of Toky that forwards the send, then answers 502 with no body.
  const gateway = async (url, init) => {
    const r = await fetch(url, init);
    return init.method == "POST" ? new Response(null, { status: 502 }) : r;
  };
  const text = unique("through a flaky gateway");
  const sent = await toky({ fetch: gateway }).sms.send({ from, to: "+14155550123", text });
  assert.deepEqual([sent.reconciled, sent.message.text], [true, text]);
  assert.equal((await wire()).sends.length, 1);

  await control("/__mock/journal", { method: "DELETE" });
  await fault({ route: "/sms/send", kind: "hang" });
  const e = await toky().sms.send({ from, to: "+14155550123", text: unique("hung") }, { timeoutMs: 300 }).catch((e) => e);
  assert.deepEqual([e.kind, e.sent], ["timeout", false]);
  const { sends, reads } = await wire();
  assert.deepEqual([sends.length, reads.length], [1, 2]);
});

test("sms.send: the history cannot be read → the outcome is unknown (sent: null), nothing re-sent", async () => {
  const { sms_numbers: [from] } = await control("/__mock/numbers");
  await fault({ route: "/sms/send", kind: "drop_after" });
  await fault({ route: "/sms", method: "GET", status: 503, count: 50 });
  const e = await toky({ maxRetries: 1 }).sms.send({ from, to: "+14155550123", text: unique("history down") }).then(() => assert.fail("resolved"), (e) => e);
  assert.equal(e.kind, "network", "the send's own failure");
  assert.equal(e.sent, null);
  assert.match(e.message, /Whether the text was sent is unknown \(the SMS history could not be read: .*503/);
  const { sends, reads } = await wire();
  assert.equal(sends.length, 1);
  assert.equal(reads.length, 2, "one read, retried once (maxRetries: 1), then given up");
});

test("sms.send: reconcile: false → unknown at once, no history read; errors Toky gave say sent: false", async () => {
  const { sms_numbers: [from] } = await control("/__mock/numbers");
  await fault({ route: "/sms/send", kind: "drop_after" });
  const e = await toky().sms.send({ from, to: "+14155550123", text: unique("no reconcile") }, { reconcile: false }).then(() => assert.fail(), (e) => e);
  assert.equal(e.sent, null);
  assert.match(e.message, /reconcile: false/);
  assert.equal((await wire()).reads.length, 0);
  // Refused by Toky (200 success: false), refused before sending (validation), and a 503 with Toky's error body.
  const refused = await toky().sms.send({ from: "+19995550001", to: "+14155550123", text: "x" }).catch((e) => e);
  assert.deepEqual([refused.kind, refused.sent], ["api", false], "200 success: false");
  const invalid = await toky().sms.send({ from, to: "nope", text: "x" }).catch((e) => e);
  assert.deepEqual([invalid.kind, invalid.field, invalid.sent], ["validation", "to", false]);
  await fault({ route: "/sms/send", status: 503 });
  const busy = await toky().sms.send({ from, to: "+14155550123", text: "x" }).catch((e) => e);
  assert.deepEqual([busy.kind, busy.sent], ["server", false]);
  const badOption = await toky().sms.send({ from, to: "+14155550123", text: "x" }, { reconcile: "no" }).catch((e) => e);
  assert.deepEqual([badOption.kind, badOption.field, badOption.sent], ["validation", "reconcile", false]);
  const badOptions = await toky().sms.send({ from, to: "+14155550123", text: "x" }, "fast").catch((e) => e);
  assert.deepEqual([badOptions.kind, badOptions.sent], ["validation", false], "refused by the skin: not sent either");
  const elsewhere = await toky().agents.list({ limit: 1, reconcile: false }).catch((e) => e);
  assert.equal(elsewhere.field, "reconcile", "reconcile is sms.send's alone");
  assert.equal(elsewhere.sent, undefined, "sent is sms.send's alone");
  const { sends } = await wire();
  assert.deepEqual(sends.map((s) => s.fault), ["drop_after", null, "status"], "each send went out once; the invalid one never");
});

test(".withResponse(): status, headers, request id and retries beside the data, on a get, a list and a raw call", async () => {
  const t = toky();
  const { results: [c] } = await t.contacts.list({ limit: 1 });
  const pending = t.contacts.get(c.phone);
  assert.ok(pending instanceof Promise, "a real Promise, with withResponse()");
  const got = await pending.withResponse();
  assert.deepEqual(await pending, got.data, "one request: awaiting it after withResponse() gives the same data");
  assert.deepEqual(got.data, await t.contacts.get(c.phone), "the same data as a plain await");
  assert.equal(got.response.status, 200);
  assert.ok(got.response.headers instanceof Headers);
  assert.match(got.response.headers.get("content-type"), /application\/json/);
  const last = (await journal()).filter((e) => e.path.startsWith("/v1/contacts/")).at(-2);
  assert.equal(got.response.requestId, last.request_id, "the request id of that very request");
  assert.equal(got.response.retries, 0);

  await fault({ route: "/agents", status: 503, count: 1 });
  const list = await t.agents.list({ limit: 3 }).withResponse();
  assert.equal(list.data.results.length, 3);
  assert.deepEqual([list.response.status, list.response.retries], [200, 1], "one retry after the 503");

  const raw = await t.request({ method: "GET", path: "/agents", query: { limit: 1 } }).withResponse();
  assert.equal(raw.data.status, 200);
  assert.equal(raw.response.status, 200);
  assert.equal(typeof raw.response.requestId, "string");

  // Errors still reject, from either form; a rejection awaited only through withResponse() is
  // not an unhandled one (node --test would fail the file).
  await assert.rejects(t.contacts.get("+10000000000").withResponse(), (e) => e instanceof TokyError && e.kind == "not_found");
  await assert.rejects(t.contacts.get("+10000000000"), (e) => e.kind == "not_found");
});

test(".withResponse(): a header that echoes the key is redacted", async () => {
  const fetch = async () => new Response('{"count":0,"next":null,"results":[]}', { headers: { "content-type": "application/json", "x-echo": "key=" + KEY } });
  const r = await toky({ fetch }).agents.list().withResponse();
  assert.equal(r.response.headers.get("x-echo"), "key=[redacted]");
});

test("hooks: onRequest/onResponse once per attempt, numbered, timed, key-free; a throwing hook breaks nothing", async () => {
  const seen = [];
  const t = toky({
    maxRetries: 3,
    onRequest: (i) => seen.push({ on: "request", ...i }),
    onResponse: (i) => {
      seen.push({ on: "response", ...i });
      throw new Error("a broken logger");
    },
  });
  await fault({ route: "/agents", status: 503, count: 2 });
  const { results } = await t.agents.list({ limit: 2 });
  assert.equal(results.length, 2);
  assert.deepEqual(seen.map((s) => [s.on, s.attempt]), [["request", 1], ["response", 1], ["request", 2], ["response", 2], ["request", 3], ["response", 3]]);
  assert.deepEqual(seen.filter((s) => s.on == "response").map((s) => s.status), [503, 503, 200]);
  const ids = (await journal()).filter((e) => e.path == "/v1/agents").map((e) => e.request_id);
  assert.deepEqual(seen.filter((s) => s.on == "response").map((s) => s.requestId), ids);
  for (const s of seen) {
    assert.equal(s.operation, "agents.list");
    assert.equal(s.method, "GET");
    assert.equal(s.url, MOCK + "/v1/agents?limit=2");
    if (s.on == "response") assert.ok(typeof s.durationMs == "number" && s.durationMs >= 0);
  }
  assert.ok(!JSON.stringify(seen).includes(KEY), "the key never reaches a hook");

  // A network failure and an async hook that rejects.
  const failures = [];
  const down = new Toky({ apiKey: KEY, baseUrl: "http://127.0.0.1:9/v1", maxRetries: 1, onResponse: async (i) => { failures.push(i); throw new Error("async logger down"); } });
  await assert.rejects(down.agents.list(), (e) => e.kind == "network");
  assert.deepEqual(failures.map((f) => [f.attempt, f.status, typeof f.error]), [[1, null, "string"], [2, null, "string"]]);

  assert.throws(() => toky({ onRequest: "console.log" }), (e) => e.kind == "validation" && e.field == "onRequest");
});
