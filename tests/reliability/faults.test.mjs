// The fault matrix: every operation × every toky-mock fault kind × (the fault clears within
// maxRetries / outlasts them). Each operation gets a toky-mock of its own, so its cells can clear
// the journal and the faults between cells while the 16 operations run side by side.
//
// Each cell asserts: the promise settles by timeoutMs + SLACK; it resolves, or rejects with the
// TokyError kind README's "Errors" table gives; a POST was sent once and reached the handler at
// most once (the journal); a GET/PUT/DELETE whose retryable fault clears within the retries
// succeeds, after exactly one retry.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Toky, TokyError } from "toky-wasm";
import { KEY, startMock, within, outcome } from "./lib.mjs";

const MAX_RETRIES = 1;
const TIMEOUT_MS = 3000; // cells that settle early (statuses, drops, bodies)
const SHORT_TIMEOUT_MS = 1000; // cells that run into the deadline (hang, long delay)
// 16 operations run side by side, each with its own toky-mock: on a loaded 2-core machine a cell
// settling at its deadline was once measured 22 ms past 750 ms of slack.
const SLACK = 1500;
const RECONCILE_MS = 2000 + 500; // sms.send: the wait between its two history reads, and the reads

// Every fault kind toky-mock has. `kind`: what the README's table gives once the fault has won;
// `retryable`: the README retries it for GET/PUT/DELETE (connection failures, 408, 429, 5xx);
// `deadline`: the call runs into timeoutMs.
const FAULTS = [
  { name: "status 500", fault: { kind: "status", status: 500 }, kind: "server", retryable: true },
  { name: "status 502", fault: { kind: "status", status: 502 }, kind: "server", retryable: true },
  { name: "status 503", fault: { kind: "status", status: 503 }, kind: "server", retryable: true },
  { name: "status 429 Retry-After: 1", fault: { kind: "status", status: 429, retry_after: 1 }, kind: "rate_limit", retryable: true },
  { name: "status 408", fault: { kind: "status", status: 408 }, kind: "timeout", retryable: true },
  { name: "drop_before", fault: { kind: "drop_before" }, kind: "network", retryable: true },
  { name: "drop_after", fault: { kind: "drop_after" }, kind: "network", retryable: true, handlerRuns: true },
  { name: "truncate", fault: { kind: "truncate" }, kind: "decode", handlerRuns: true },
  { name: "invalid_json", fault: { kind: "invalid_json" }, kind: "decode", handlerRuns: true },
  { name: "huge", fault: { kind: "huge" }, kind: null, handlerRuns: true },
  { name: "hang", fault: { kind: "hang" }, kind: "timeout", deadline: true },
  // delay: shorter than the deadline when it "clears", longer when it "outlasts".
  { name: "delay", fault: { kind: "delay", delay_ms: 100 }, kind: null, handlerRuns: true, outlast: { fault: { kind: "delay", delay_ms: SHORT_TIMEOUT_MS + 1500 }, kind: "timeout", deadline: true } },
];

let seq = 0;
const unique = () => ++seq;

// Every operation of the README's quick start, plus a raw GET and a raw POST. `route`/`method`:
// what the fault matches; `prepare` runs before the cell's journal is cleared.
const OPS = [
  { name: "agents.list", method: "GET", route: "/agents", call: (t, _c, o) => t.agents.list({ limit: 2, ...o }), ok: (v) => Array.isArray(v.results) },
  { name: "contacts.list", method: "GET", route: "/contacts", call: (t, _c, o) => t.contacts.list({ limit: 2, ...o }), ok: (v) => Array.isArray(v.results) },
  { name: "contacts.get", method: "GET", route: "/contacts/*", call: (t, _c, o) => t.contacts.get(seed.phone, o), ok: (v) => v.phone === seed.phone },
  { name: "contacts.update", method: "PUT", route: "/contacts/*", call: (t, c, o) => t.contacts.update(seed.phone, { company: "Cell " + c.n }, o), ok: (v, c) => v.company === "Cell " + c.n },
  { name: "contacts.create", method: "POST", route: "/contacts", call: (t, c, o) => t.contacts.create({ phone: c.phone, first_name: "Cell" }, o), ok: (v, c) => v.phone === c.phone, prepare: (c) => ({ phone: "+1999" + String(c.n).padStart(7, "0") }), marker: (c) => c.phone },
  { name: "sms.send", method: "POST", route: "/sms/send", call: (t, c, o) => t.sms.send({ from: "+13055550100", to: "+14155550123", text: "fault cell " + c.n }, o), ok: (v) => v.success === true && typeof v.id === "string", marker: (c) => "fault cell " + c.n },
  { name: "sms.list", method: "GET", route: "/sms", call: (t, _c, o) => t.sms.list({ limit: 2, ...o }), ok: (v) => Array.isArray(v.results) },
  { name: "voicemails.list", method: "GET", route: "/voicemails", call: (t, _c, o) => t.voicemails.list({ limit: 2, ...o }), ok: (v) => Array.isArray(v.results) },
  { name: "voicemails.get", method: "GET", route: "/voicemails/*", call: (t, _c, o) => t.voicemails.get(seed.voicemail, o), ok: (v) => v.id === seed.voicemail && typeof v.url === "string" },
  { name: "calls.list", method: "GET", route: "/cdrs", call: (t, _c, o) => t.calls.list({ limit: 2, ...o }), ok: (v) => Array.isArray(v.results) },
  { name: "calls.recording", method: "GET", route: "/recordings/*", call: (t, _c, o) => t.calls.recording(seed.callid, o), ok: (v) => typeof v.url === "string" },
  { name: "webhooks.create", method: "POST", route: "/webhooks", call: (t, c, o) => t.webhooks.create({ event: "new_sms", url: c.url }, o), ok: (v, c) => v.hook_url === c.url, prepare: (c) => ({ url: "http://127.0.0.1:9/hook/create/" + c.n }), marker: (c) => c.url },
  { name: "webhooks.list", method: "GET", route: "/webhooks", call: (t, _c, o) => t.webhooks.list(o), ok: (v) => Array.isArray(v.results) },
  {
    name: "webhooks.delete", method: "DELETE", route: "/webhooks/*",
    call: (t, c, o) => t.webhooks.delete(c.id, o), ok: (v) => v.success === true,
    prepare: async (c, m) => {
      const r = await m.api("POST", "/webhooks", { event: "new_sms", hook_url: "http://127.0.0.1:9/hook/delete/" + c.n });
      assert.equal(r.status, 201, "set-up: a webhook to delete");
      return { id: r.body.id };
    },
  },
  { name: "request GET", method: "GET", route: "/agents", call: (t, _c, o) => t.request({ method: "GET", path: "/agents", query: { limit: 1 } }, o), ok: (v) => v.status === 200 && Array.isArray(v.body.results), raw: true },
  { name: "request POST", method: "POST", route: "/webhooks", call: (t, c, o) => t.request({ method: "POST", path: "/webhooks", body: { event: "new_call", hook_url: c.url } }, o), ok: (v, c) => (v.status === 201 || v.status === 200) && v.body.hook_url === c.url, prepare: (c) => ({ url: "http://127.0.0.1:9/hook/raw/" + c.n }), marker: (c) => c.url, raw: true },
];

let seed;
const mocks = [];
after(() => Promise.all(mocks.map((m) => m.stop())));

/** What a cell must observe: `kind` null = resolves; `attempts` = requests toky-mock receives. */
function expectation(op, f, outlasts) {
  const v = outlasts && f.outlast ? { ...f, ...f.outlast } : f;
  const post = op.method === "POST";
  const retried = v.retryable && !post;
  let kind = v.kind, attempts = 1, retries = 0;
  if (retried) {
    attempts = outlasts ? MAX_RETRIES + 1 : 2;
    retries = outlasts ? MAX_RETRIES : 1;
    if (!outlasts) kind = null;
    // A DELETE whose handler ran before the connection was cut: the retry finds it gone.
    if (!outlasts && v.handlerRuns && op.method === "DELETE") kind = "not_found";
  }
  // README: a raw call's body is "parsed JSON when the body is JSON, the text otherwise".
  let ok = op.ok;
  if (op.raw && kind === "decode") [kind, ok] = [null, (r) => r.status === 200 && typeof r.body === "string"];
  const timeoutMs = v.deadline ? SHORT_TIMEOUT_MS : TIMEOUT_MS;
  // sms.send never re-sends; when its answer is lost it reads the SMS history (README,
  // "sms.send: a proven outcome"). The handler ran → found there, resolved as reconciled.
  // It did not → not sent (sent: false) after a second read RECONCILE_MS later. Past the
  // deadline, a delayed handler may still run before the second read: either outcome.
  let sent, extraMs = 0, either = false;
  if (op.name === "sms.send" && kind !== null) {
    sent = false;
    const lost = kind === "network" || kind === "decode" || v.deadline;
    if (lost && v.handlerRuns && !v.deadline) [kind, ok] = [null, (r, c) => r.reconciled === true && r.message.text === op.marker(c)];
    else if (lost) [extraMs, either] = [RECONCILE_MS, !!v.deadline && !!v.handlerRuns];
  }
  return { fault: v.fault, kind, ok, attempts, retries, timeoutMs, deadline: !!v.deadline, count: outlasts ? MAX_RETRIES + 1 : 1, sent, extraMs, either };
}

async function runCell(t, op, m, toky, f, outlasts) {
  const x = expectation(op, f, outlasts);
  const c = { n: unique() };
  Object.assign(c, (await op.prepare?.(c, m)) ?? {});
  await m.clearFaults();
  await m.clearJournal();
  await m.fault({ route: op.route, method: op.method, count: x.count, ...x.fault });

  const r = await within(() => op.call(toky, c, { timeoutMs: x.timeoutMs, maxRetries: MAX_RETRIES }), x.timeoutMs + x.extraMs + SLACK);
  const journal = (await m.journal()).filter((e) => e.method === op.method && e.path.startsWith("/v1/"));
  await m.clearFaults(); // what an "outlasts" fault left for a call that does not retry
  const where = `${op.name} × ${f.name} (${outlasts ? "outlasts" : "clears within"} maxRetries ${MAX_RETRIES}): ${outcome(r)}`;

  assert.ok(!r.hung, `${where}: did not settle by timeoutMs ${x.timeoutMs} + ${x.extraMs + SLACK} ms`);
  assert.ok(r.elapsed <= x.timeoutMs + x.extraMs + SLACK, `${where}: settled late`);
  if (x.either && !r.error) {
    assert.equal(r.value.reconciled, true, `${where}: resolved, so by reconciliation`);
  } else if (x.kind === null) {
    assert.ok(!r.error, where);
    assert.ok(x.ok(r.value, c), `${where}: unexpected result ${JSON.stringify(r.value)?.slice(0, 300)}`);
  } else {
    assert.ok(r.error instanceof TokyError, `${where}: expected a TokyError`);
    assert.equal(r.error.kind, x.kind, where);
    assert.equal(r.error.operation, op.name.startsWith("request") ? "request" : op.name, where);
    if (!x.deadline) assert.equal(r.error.retries, x.retries, `${where}: retries`);
    assert.equal(r.error.sent, x.sent, `${where}: sent`);
  }
  if (op.method === "POST") {
    const mine = journal.filter((e) => e.body?.includes(op.marker(c)));
    assert.equal(mine.length, 1, `${where}: a POST is sent exactly once, journal: ${JSON.stringify(mine)}`);
    assert.ok(mine.filter((e) => e.handler_ran).length <= 1, `${where}: the POST reached the handler more than once`);
  }
  assert.equal(journal.length, x.attempts, `${where}: attempts at toky-mock (${journal.map((e) => e.fault ?? e.status).join(", ")})`);
}

test("fault matrix: every operation × every fault kind × clears/outlasts the retries", { concurrency: OPS.length }, async (t) => {
  const first = await startMock();
  mocks.push(first);
  const [contacts, vms, cdrs] = await Promise.all(["/contacts?limit=1", "/voicemails?limit=1", "/cdrs?limit=100"].map((p) => first.api("GET", p)));
  let callid;
  for (const cdr of cdrs.body.results.filter((c) => String(c.disposition_code) === "200")) {
    if ((await first.api("GET", "/recordings/" + cdr.callid)).status === 200) {
      callid = cdr.callid;
      break;
    }
  }
  seed = { phone: contacts.body.results[0].phone, voicemail: String(vms.body.results[0].id), callid };
  assert.ok(seed.phone && seed.voicemail && seed.callid, "seeded data: a contact, a voicemail and a recorded call");

  const t0 = performance.now();
  let cells = 0;
  await Promise.all(
    OPS.map((op, i) =>
      t.test(op.name, async (t) => {
        const m = i === 0 ? first : await startMock();
        if (i) mocks.push(m);
        const toky = new Toky({ apiKey: KEY, baseUrl: m.url + "/v1", maxRetries: MAX_RETRIES, timeoutMs: TIMEOUT_MS });
        for (const f of FAULTS)
          for (const outlasts of [false, true]) {
            cells++;
            await t.test(`${f.name}, ${outlasts ? "outlasts" : "clears within"} the retries`, () => runCell(t, op, m, toky, f, outlasts));
          }
      }),
    ),
  );
  const line = `fault matrix: ${cells} cells (${OPS.length} operations × ${FAULTS.length} fault kinds × 2) in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  t.diagnostic(line);
  console.log(line);
});
