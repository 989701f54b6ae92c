// Success bodies held to their type (issue 23): a 2xx body that lacks what the .d.ts declares
// present (or gives it the wrong JS type, or null where the type has no null) is a TokyError of
// kind decode naming the field, for every operation that returns a record or a page; unknown
// extra fields still pass through. A test-local server answers what each case scripts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Toky, TokyError } from "toky-wasm";
import { recorder, within, outcome, table } from "./lib.mjs";

let server;
let answer = () => [200, {}];
before(async () => {
  server = await recorder((req, res) => {
    const [status, body] = answer(req);
    res.writeHead(status, { "content-type": "application/json", "x-request-id": "req-shape" });
    res.end(JSON.stringify(body));
  });
});
after(() => server?.close());

const PHONE = "+15551234567";
const contact = { phone: PHONE, contact_name: "A B", email: null, city: null, country_code: "US" };
const webhook = { id: "1", event: "new_sms", hook_url: "https://example.com/h", created_at: "2017-06-27 19:24:10" };
const agent = { email: "a@example.com", fullname: "A", created_at: null, last_update: null, last_connection: null, is_admin: "false", phone_number: null, phone_country: null };
const sms = { id: "9", from: "+13055550100", to: PHONE, text: "hi", direction: "outbound", created_at: null };
const call = { id: "1", callid: "c", from: null, to_number: null, country: null, caller_id_used: null, init_dt: null, start_time: null, end_time: null, duration: "3", agent_id: null, direction: "inbound", web_call: "no", disposition_code: "200", ivr_option_pressed: null };
const voicemail = { id: "7", created_at: "2017-06-27 19:24:10" };
const page = (...rows) => ({ count: rows.length, next: null, results: rows });
const without = (o, k) => Object.fromEntries(Object.entries(o).filter(([n]) => n != k));

const toky = () => new Toky({ apiKey: "demo-key", baseUrl: server.origin + "/v1", maxRetries: 0, timeoutMs: 3000 });
const SEND = { from: "+13055550100", to: PHONE, text: "hi" };

// [what, call, body answered, the field named, status]
const CASES = [
  ["sms.send {ok: true}", (t) => t.sms.send(SEND, { reconcile: false }), { ok: true }, "success"],
  ["sms.send without segments", (t) => t.sms.send(SEND, { reconcile: false }), { success: true, id: "1" }, "segments"],
  ["sms.send with id null", (t) => t.sms.send(SEND, { reconcile: false }), { success: true, id: null, segments: 1 }, "id"],
  ["contacts.get without contact_name", (t) => t.contacts.get(PHONE), without(contact, "contact_name"), "contact_name"],
  ["contacts.create, phone a number", (t) => t.contacts.create({ phone: PHONE }), { ...contact, phone: 15551234567 }, "phone", 201],
  ["contacts.update, an empty object", (t) => t.contacts.update(PHONE, { city: "X" }), {}, "phone"],
  ["voicemails.get without created_at", (t) => t.voicemails.get("7"), without(voicemail, "created_at"), "created_at"],
  ["calls.recording without url", (t) => t.calls.recording("c"), { mp3: "x" }, "url"],
  ["webhooks.create, event a number", (t) => t.webhooks.create({ event: "new_sms", url: "https://example.com/h" }), { ...webhook, event: 5 }, "event", 201],
  ["webhooks.subscribe (its create)", (t) => t.webhooks.subscribe({ event: "new_sms", url: "https://example.com/other" }), null, "hook_url"],
  ["agents.list, second row without fullname", (t) => t.agents.list(), page(agent, without(agent, "fullname")), "fullname"],
  ["contacts.list, a row without phone", (t) => t.contacts.list(), page(without(contact, "phone")), "phone"],
  ["sms.list, text null", (t) => t.sms.list(), page({ ...sms, text: null }), "text"],
  ["voicemails.list, a row without id", (t) => t.voicemails.list(), page(without(voicemail, "id")), "id"],
  ["calls.list, a row without callid", (t) => t.calls.list(), page(without(call, "callid")), "callid"],
  ["webhooks.list, hook_url missing", (t) => t.webhooks.list(), page(without(webhook, "hook_url")), "hook_url"],
  ["calls.iterate", async (t) => { for await (const _ of t.calls.iterate()); }, page(call, without(call, "direction")), "direction"],
];

test("a 2xx body without what the type promises is kind decode, naming the field (every operation)", async (t) => {
  await table(t, CASES, async ([what, run, body, field, status = 200]) => {
    answer = (req) => {
      // subscribe reads the (empty) hook list first, then creates.
      if (what.startsWith("webhooks.subscribe")) return req.method == "GET" ? [200, page()] : [201, without(webhook, "hook_url")];
      return [status, body];
    };
    const r = await within(() => run(toky()), 5000);
    assert.ok(r.error instanceof TokyError, `${what}: ${outcome(r)}`);
    assert.equal(r.error.kind, "decode", `${what}: ${r.error.message}`);
    assert.equal(r.error.field, field, `${what}: ${r.error.message}`);
    assert.ok(r.error.message.includes(`"${field}"`), `${what}: the message names the field: ${r.error.message}`);
    assert.equal(r.error.requestId, "req-shape");
    return "decode";
  });
});

test("a row that is not an object is a decode error; what the contract leaves open is optional", async () => {
  answer = () => [200, page(agent, 5)];
  const e = await toky().agents.list().then(() => null, (e) => e);
  assert.equal(e?.kind, "decode");
  assert.match(e.message, /results\[1\]: a record is a number/);
  // Optional in the type (contract unsure): a contact with only the documented model, a
  // voicemail with only id and created_at, an SMS without agent.
  answer = () => [200, contact];
  assert.equal((await toky().contacts.get(PHONE)).phone, PHONE);
  answer = () => [200, voicemail];
  assert.equal((await toky().voicemails.get("7")).id, "7");
  answer = () => [200, page(sms)];
  assert.equal((await toky().sms.list()).results[0].text, "hi");
});

test("unknown extra fields still pass through", async () => {
  answer = () => [200, { success: true, id: 12, segments: "2", cost: { usd: 0.01 }, "x-y": [1] }];
  const sent = await toky().sms.send(SEND);
  assert.deepEqual(sent, { success: true, id: "12", segments: 2, cost: { usd: 0.01 }, "x-y": [1] });
});
