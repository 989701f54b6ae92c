// Containment (README "The API key"): the key goes only to baseUrl's origin, under baseUrl's path.
// Ids, phones, raw paths and `next` URLs in every traversal spelling are each refused before any
// request, or reach the server inside baseUrl's path as one segment: asserted at the wire, with
// toky-mock's journal (ids, phones, raw paths) or with local recording servers (`next` URLs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Toky, TokyError } from "toky-wasm";
import { KEY, recorder, suiteMock, within, outcome, table } from "./lib.mjs";

let mock, toky, other;
const counts = {};
before(async () => {
  mock = await suiteMock();
  await mock.reset();
  toky = new Toky({ apiKey: KEY, baseUrl: mock.url + "/v1", maxRetries: 0, timeoutMs: 5000 });
  other = await recorder(); // another origin (another port on this host): must never be reached
});
after(async () => {
  await other?.close();
  await mock?.stop();
  console.log(`containment: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ")}`);
});

const DOT_SEGMENTS = new Set([".", "..", "%2e", "%2e%2e", ".%2e", "%2e."]);
const isDotSegment = (s) => DOT_SEGMENTS.has(s.toLowerCase());

// Spellings of "climb out of this segment" in an id or a phone.
const ID_SPELLINGS = [
  ".", "..", "...", "%2e", "%2E", "%2e%2e", "%2E%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%252E",
  "%2F", "%2f..%2f", "a%2Fb", "a/b", "../..", "../../agents", "..%2f..%2fagents", "/..", "../", "./",
  "\\", "..\\..", "..\\agents", "//host", "//127.0.0.1/x", "/%2e%2e/", "%2e%2e%2fagents", "%5c..",
  "\uFF0E", "\uFF0E\uFF0E", "\u2024\u2024", "\u2025", "\u3002", "\uFE52\uFE52", ".\u200B.", " .. ", "..\t", "..\n",
  "?x=1", "#frag", "..?x", "..#x", ";..", "..;", "@host", "a:b", "",
  "http://127.0.0.1/x", "%00", "..%00",
];

// The path and query toky-mock received for the requests made since the journal was cleared.
const wire = async () => (await mock.journal()).map((e) => ({ method: e.method, path: e.path, query: e.query }));

/**
 * Asserts that `call()` was refused before any request with kind validation, or sent exactly
 * one request whose path is `prefix` + one segment that is not a dot segment.
 */
async function contained(label, prefix, call) {
  await mock.clearJournal();
  const r = await within(call(), 10_000);
  const sent = await wire();
  const where = `${label}: ${outcome(r)}; at the wire: ${JSON.stringify(sent)}`;
  assert.ok(!r.hung, where);
  if (sent.length === 0) {
    assert.ok(r.error instanceof TokyError, `${where}: nothing was sent, so the call must fail`);
    assert.equal(r.error.kind, "validation", `${where}: refused before any request is a validation error`);
    return "refused";
  }
  assert.equal(sent.length, 1, where);
  const { path } = sent[0];
  assert.ok(path.startsWith(prefix), `${where}: escaped ${prefix}`);
  const seg = path.slice(prefix.length);
  assert.ok(seg.length > 0 && !seg.includes("/"), `${where}: not exactly one segment after ${prefix}`);
  assert.ok(!isDotSegment(seg), `${where}: a dot segment reached the server`);
  return "one segment";
}

test("ids and phones in every traversal spelling stay one segment or are refused", async (t) => {
  const ops = [
    ["voicemails.get", "/v1/voicemails/", (s) => toky.voicemails.get(s)],
    ["calls.recording", "/v1/recordings/", (s) => toky.calls.recording(s)],
    ["webhooks.delete", "/v1/webhooks/", (s) => toky.webhooks.delete(s)],
    ["contacts.get", "/v1/contacts/", (s) => toky.contacts.get(s)],
    ["contacts.update", "/v1/contacts/", (s) => toky.contacts.update(s, { company: "x" })],
  ];
  let n = 0;
  for (const [name, prefix, call] of ops)
    await t.test(name, async (t) => {
      const values = ID_SPELLINGS.flatMap((s) => [s, "+1555" + s, s + "+15551234567"]);
      n += values.length;
      await table(t, values, (v) => contained(`${name}(${JSON.stringify(v)})`, prefix, () => call(v)));
    });
  counts["id/phone cases"] = n;
  t.diagnostic(`${n} id/phone cases (${ID_SPELLINGS.length} spellings × 3 forms × ${ops.length} operations)`);
});

test("'.' and '..' as ids in any spelling are validation errors (no request)", async (t) => {
  // README: every id becomes exactly one path segment; a dot segment cannot be one.
  const cases = [];
  for (const s of [".", "..", "%2e", "%2E%2e", ".%2e", "%2e.", "%2E", "%2e%2E"])
    for (const [name, field, call] of [["voicemails.get", "id", (v) => toky.voicemails.get(v)], ["webhooks.delete", "id", (v) => toky.webhooks.delete(v)], ["calls.recording", "callid", (v) => toky.calls.recording(v)]])
      cases.push({ s, name, field, call });
  await table(t, cases, async ({ s, name, field, call }) => {
    await mock.clearJournal();
    const r = await within(call(s), 5000);
    const sent = await wire();
    const where = `${name}(${JSON.stringify(s)}): ${outcome(r)}; at the wire: ${JSON.stringify(sent)}`;
    assert.equal(sent.length, 0, where);
    assert.equal(r.error?.kind, "validation", where);
    assert.equal(r.error.field, field, where);
    return "validation";
  });
});

// Raw paths: relative to baseUrl, or a full URL.
const RAW_RELATIVE = [
  "/agents", "agents", "/./agents", "/agents/.", "/..", "/../__mock/numbers", "/./../__mock/numbers",
  "/%2e%2e/__mock/numbers", "/%2E%2e/__mock/numbers", "/%2E%2E/__mock/numbers", "/.%2e/__mock/numbers", "/%2e./__mock/numbers",
  "/%252e%252e/__mock/numbers", "/%2F..%2F__mock/numbers", "/..%2F__mock/numbers", "/agents/../../__mock/numbers",
  "/agents/%2e%2e/%2e%2e/__mock/numbers", "\\..\\__mock\\numbers", "/\\..\\__mock/numbers", "\\\\127.0.0.1\\__mock",
  "//127.0.0.1/__mock/numbers", "///__mock/numbers", "/%2e%2e/", "/.%2E/", "/\uFF0E\uFF0E/__mock/numbers", "/\u2025/__mock/numbers",
  "/%2e%2e%2f__mock/numbers", "/agents?x=/../..", "/agents#/../..", "/..;/__mock/numbers", "/%2e%2e;/__mock/numbers",
  "/.../__mock/numbers", "/..%00/__mock/numbers", "/..\t/__mock/numbers", "/%09../__mock/numbers", " /../__mock/numbers",
  "/..%5c__mock/numbers", "/%5c../__mock/numbers", "..", ".", "../__mock/numbers", "%2e%2e/__mock/numbers",
];
const rawAbsolute = (o, port) => [
  `${o}/v1/agents`, `${o}/v1/../__mock/numbers`, `${o}/v1/%2e%2e/__mock/numbers`, `${o}/v1/%2E%2E/__mock/numbers`,
  `${o}/v1/.%2e/__mock/numbers`, `${o}/v1/%2e./__mock/numbers`, `${o}/v1\\..\\__mock/numbers`, `${o}/__mock/numbers`,
  `${o}/v1evil/agents`, `${o}/v10/agents`, `${o}/V1/agents`, `${o}/v1%2f..%2f__mock/numbers`, `${o}/`, `${o}`,
  `http://user:pass@127.0.0.1:${port}/v1/agents`, `http://demo-key@127.0.0.1:${port}/v1/agents`,
  `https://127.0.0.1:${port}/v1/agents`, `ws://127.0.0.1:${port}/v1/agents`, `http://localhost:${port}/v1/agents`,
  `http://127.0.0.1:${other.port}/v1/agents`, `http://127.0.0.2:${port}/v1/agents`, `http://[::1]:${port}/v1/agents`,
  `//127.0.0.1:${other.port}/v1/agents`, `http:/127.0.0.1:${port}/v1/agents`, `http:127.0.0.1:${port}/v1/agents`,
  `http://127.0.0.1:${port}@127.0.0.1:${other.port}/v1/agents`, `http://127.0.0.1:${other.port}#@127.0.0.1:${port}/v1/agents`,
  `javascript:alert(1)`, `file:///etc/passwd`, `data:text/plain,hi`,
];

test("raw request() paths and URLs: refused (validation) or inside baseUrl's path", async (t) => {
  const port = new URL(mock.url).port;
  const cases = [...RAW_RELATIVE, ...rawAbsolute(mock.url, port)].flatMap((path) => [["GET", path], ["DELETE", path]]);
  counts["raw path cases"] = cases.length;
  await table(t, cases, async ([method, path]) => {
    await mock.clearJournal();
    const before = other.seen.length;
    const r = await within(toky.request({ method, path }), 10_000);
    const sent = await wire();
    const where = `request(${method} ${JSON.stringify(path)}): ${outcome(r)}; at the wire: ${JSON.stringify(sent)}`;
    assert.ok(!r.hung, where);
    assert.equal(other.seen.length, before, `${where}: another origin was reached`);
    if (sent.length === 0) {
      assert.ok(r.error instanceof TokyError, `${where}: nothing was sent, so the call must fail`);
      assert.equal(r.error.kind, "validation", where);
      assert.equal(r.error.field, "path", where);
      return "refused";
    }
    assert.equal(sent.length, 1, where);
    assert.ok(sent[0].path === "/v1" || sent[0].path.startsWith("/v1/"), `${where}: escaped /v1`);
    assert.ok(!sent[0].path.split("/").some(isDotSegment), `${where}: a dot segment reached the server`);
    return "inside /v1";
  });
});

// `next` URLs: a local server plays the API under /v1, answers the first page of agents with a
// crafted `next`, and any later page with `next: null`. Another server (another port) stands for
// every other origin.
test("next URLs: followed only inside baseUrl's origin and path, else kind api before any request", async (t) => {
  let crafted;
  const api = await recorder((req, res, _body, seen) => {
    const page = seen.length;
    res.writeHead(200, { "content-type": "application/json" });
    const row = { email: "a@example.com", fullname: "A", created_at: null, last_update: null, last_connection: null, is_admin: "false", phone_number: null, phone_country: null };
    res.end(JSON.stringify({ count: 1, next: page === 1 ? crafted : null, results: [row] }));
  });
  const o = api.origin, p = api.port;
  const NEXT = [
    [`${o}/v1/agents?offset=1&limit=1`, "inside"],
    [`${o}/v1/./agents?offset=1`, "either"],
    [`${o}/v1/agents/.?offset=1`, "either"],
    [`${o}/v1/../outside`, "out"], [`${o}/v1/%2E%2E/outside`, "out"], [`${o}/v1/%2e%2e/outside`, "out"],
    [`${o}/v1/%2E%2e/outside`, "out"], [`${o}/v1/.%2e/outside`, "out"], [`${o}/v1/%2e./outside`, "out"],
    [`${o}/v1/%2e%2e/`, "out"], [`${o}/v1/agents/../../outside`, "out"], [`${o}/v1/agents/%2e%2e/%2e%2e/outside`, "out"],
    [`${o}/v1\\..\\outside`, "out"], [`${o}/v1/..\\outside`, "out"], [`${o}/v1/%5c..%5coutside`, "either"],
    [`${o}/v1/%252e%252e/outside`, "either"], [`${o}/v1/%2F..%2Foutside`, "either"], [`${o}/v1/\uFF0E\uFF0E/outside`, "either"],
    [`${o}/v1/\u2025/outside`, "either"], [`${o}/outside`, "out"], [`${o}/`, "out"], [`${o}`, "out"], [`${o}/v1evil/agents`, "out"],
    [`${o}/v10/agents`, "out"], [`${o}/V1/agents`, "out"], [`${o}/%76%31/agents`, "out"],
    [`http://user:pass@127.0.0.1:${p}/v1/agents?offset=1`, "creds"], [`http://demo-key:x@127.0.0.1:${p}/v1/agents`, "creds"],
    [`https://127.0.0.1:${p}/v1/agents?offset=1`, "out"], [`ws://127.0.0.1:${p}/v1/agents`, "out"],
    [`http://localhost:${p}/v1/agents?offset=1`, "out"], [`http://127.0.0.2:${p}/v1/agents`, "out"],
    [`http://127.0.0.1:${other.port}/v1/agents?offset=1`, "out"], [`//127.0.0.1:${other.port}/v1/agents`, "out"],
    [`http://127.0.0.1:${p}@127.0.0.1:${other.port}/v1/agents`, "out"], [`http:/127.0.0.1:${other.port}/v1/agents`, "out"],
    [`/v1/agents?offset=1`, "either"], [`/outside`, "out"], [`../outside`, "out"], [`?offset=1`, "either"],
    [`javascript:alert(1)`, "out"], [`file:///etc/passwd`, "out"], [`data:application/json,{}`, "out"], [`mailto:a@b.c`, "out"],
  ];
  try {
    await table(t, NEXT, async ([next, expect]) => {
      crafted = next;
      api.seen.length = 0;
      const before = other.seen.length;
      const client = new Toky({ apiKey: KEY, baseUrl: o + "/v1", maxRetries: 0, timeoutMs: 5000 });
      const got = [];
      const r = await within((async () => { for await (const a of client.agents.iterate({ pageSize: 1, max: 3 })) got.push(a); })(), 10_000);
      const sent = api.seen.map((s) => ({ url: s.url, host: s.headers.host, key: s.headers["x-toky-key"], auth: s.headers.authorization }));
      const where = `next ${JSON.stringify(next)}: ${outcome(r)}; at the wire: ${JSON.stringify(sent)}`;
      assert.ok(!r.hung, where);
      assert.equal(other.seen.length, before, `${where}: another origin was reached`);
      assert.ok(sent.length >= 1 && sent[0].url.startsWith("/v1/agents"), `${where}: the first page`);
      for (const s of sent) {
        assert.equal(s.host, `127.0.0.1:${p}`, `${where}: a request went to another host name`);
        assert.ok(s.url.startsWith("/v1/") || s.url === "/v1", `${where}: a request left /v1 (${s.url})`);
        assert.ok(!s.url.split("?")[0].split("/").some(isDotSegment), `${where}: a dot segment reached the server`);
        assert.equal(s.auth, undefined, `${where}: credentials from the URL were sent`);
      }
      const followed = sent.length > 1;
      if (expect === "inside") assert.ok(followed && !r.error && got.length === 2, `${where}: a next inside baseUrl is followed`);
      if (expect === "out" || expect === "creds") assert.ok(!followed, `${where}: must not be followed`);
      if (!followed) {
        assert.ok(r.error instanceof TokyError, `${where}: a next that is not followed fails the iteration`);
        // README: "api" for a next URL outside baseUrl. A URL with credentials on the right
        // origin and path may also be refused by fetch itself (no request either way).
        if (expect !== "creds") assert.equal(r.error.kind, "api", where);
        assert.equal(got.length, 1, `${where}: the first page was yielded`);
      }
      return followed ? "followed inside" : "refused";
    });
  } finally {
    await api.close();
  }
  counts["next URLs"] = NEXT.length;
});
