// Nothing a request or a control call carries may panic: a panic traps the wasm instance for
// good. A seeded stream of malformed and hostile requests (routes, methods, queries, headers,
// JSON bodies with wrong types and extreme values, fault and event specs) goes through
// mock.fetch; each must end in a Response (or a fault's rejection), and the mock must still
// answer correctly afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TokyMock } from "toky-mock";

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  return { next, int, pick };
}

const ROUTES = ["/v1", "/v1/", "/v1/agents", "/v1/contacts", "/v1/contacts/%2B15551234567", "/v1/contacts/+447700900461", "/v1/contacts/%FF%FE", "/v1/contacts/", "/v1/sms", "/v1/sms/send", "/v1/voicemails", "/v1/voicemails/0", "/v1/voicemails/99999999999999999999", "/v1/cdrs", "/v1/recordings/x", "/v1/recordings/%00", "/v1/webhooks", "/v1/webhooks/1", "/v1/webhooks/-1", "/__mock/events", "/__mock/faults", "/__mock/journal", "/__mock/numbers", "/__mock/deliveries", "/__mock/audio/x.wav", "/__mock/audio/..%2F..%2Fetc.wav", "/openapi.json", "/nope", "//v1//agents", "/v1/%2e%2e/agents"];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND", "get"];
const QUERIES = ["", "?limit=0", "?limit=-1", "?limit=1e9", "?limit=18446744073709551616", "?offset=-5", "?offset=99999999999999999999", "?limit=500&offset=1000000", "?filter=", "?filter=2026-13-45", "?filter=2025-11-01,2025-11-02", "?filter=%FF", "?limit=abc&limit=2", "?" + "a=1&".repeat(500)];
const VALUES = [null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 64, "", " ", "+1", "+15551234567", "x".repeat(10_000), "ü🙂\u0000", "2026-02-30 25:61:61", [], [1, [2, [3]]], {}, { a: { b: {} } }];
const FIELDS = ["event", "count", "from", "from_number", "to", "to_number", "text", "direction", "agent", "duration", "state", "disposition_code", "web_call", "callid", "transcription", "started_s_ago", "route", "method", "kind", "status", "retry_after", "delay_ms", "phone", "first_name", "email", "country_code", "url", "hook_url", "tags"];
const KINDS = ["status", "drop_before", "drop_after", "truncate", "invalid_json", "huge", "hang", "delay", "bogus"];
const EVENTS = ["new_call", "new_voicemail", "new_sms", "inbound_call_answered", "inbound_call_ended", "outbound_call", "outbound_call_ended", "nope"];

function body(r) {
  switch (r.int(6)) {
    case 0:
      return undefined;
    case 1:
      return Uint8Array.from({ length: r.int(200) }, () => r.int(256));
    case 2:
      return JSON.stringify(r.pick(VALUES));
    case 3:
      return '{"text": "unterminated';
    default: {
      const o = {};
      for (let i = r.int(6); i > 0; i--) o[r.pick(FIELDS)] = r.pick(VALUES);
      if (r.int(2)) o.event = r.pick(EVENTS);
      if (r.int(2)) o.kind = r.pick(KINDS);
      if (r.int(3) === 0) o.count = r.pick([1, 2, 1000, 1001, -1, "3"]);
      return JSON.stringify(o);
    }
  }
}

test("2,000 hostile requests: every one answered, no trap, the mock still right afterwards", async (t) => {
  const mock = new TokyMock({ seed: 5, deliver: () => new Response(null, { status: 204 }) });
  t.after(() => mock.close());
  const r = rng(22);
  const statuses = new Map();
  for (let i = 0; i < 2000; i++) {
    const method = r.pick(METHODS);
    const headers = new Headers();
    if (r.int(4)) headers.set("x-toky-key", r.int(5) ? mock.apiKey : "wrong");
    if (r.int(2)) headers.set("content-type", r.pick(["application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"]));
    if (r.int(8) === 0) headers.set("access-control-request-headers", "x-toky-key, " + "x".repeat(r.int(3000)));
    const b = ["GET", "HEAD"].includes(method.toUpperCase()) ? undefined : body(r);
    try {
      const res = await mock.fetch(r.pick(ROUTES) + r.pick(QUERIES), { method, headers, body: b, signal: AbortSignal.timeout(1000) });
      assert.ok(res.status >= 200 && res.status <= 599, `status ${res.status}`);
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    } catch (e) {
      // A drop fault (TypeError) or a hang/delay cut short (TimeoutError) armed by an earlier
      // random fault spec; a trap would be a RuntimeError.
      assert.ok(e instanceof TypeError || e?.name === "TimeoutError", `request ${i}: ${e?.name}: ${e?.message}`);
    }
    if (i % 10 === 9) await mock.clearFaults();
  }
  assert.ok(statuses.get(200) > 50 && statuses.get(400) > 50 && statuses.get(404) > 20, JSON.stringify([...statuses]));
  await mock.reset();
  const agents = await mock.fetch(mock.baseUrl + "/agents", { headers: { "x-toky-key": mock.apiKey } });
  assert.equal((await agents.json()).count, 7);
});
