// A realistic scenario through the built package, imported by name as a user would: a small
// sales team's morning with Toky. Runs against the toky-mock that tests/run.sh started.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Toky, TokyError, smsSegments } from "toky-wasm";

const MOCK = process.env.TOKY_MOCK_URL;
const control = (path, init) => fetch(MOCK + path, init).then((r) => r.json());

test("a morning with Toky", async (t) => {
  assert.ok(MOCK, "TOKY_MOCK_URL is set by tests/run.sh");
  await control("/__mock/reset", { method: "POST" });
  const toky = new Toky({ apiKey: "demo-key", baseUrl: MOCK + "/v1" });

  await t.test("who is on the team", async () => {
    const { results } = await toky.agents.list();
    assert.ok(results.length >= 5);
    for (const a of results) {
      assert.equal(typeof a.is_admin, "boolean", "is_admin is a real boolean, not the string \"false\"");
      assert.match(a.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  await t.test("every contact, page by page, exactly once", async () => {
    const seen = new Set();
    for await (const c of toky.contacts.iterate({ pageSize: 37 })) {
      assert.ok(!seen.has(c.phone), "no duplicates across pages");
      seen.add(c.phone);
    }
    assert.equal(seen.size, 300);
    let n = 0;
    for await (const _ of toky.contacts.iterate({ max: 5 })) n++;
    assert.equal(n, 5, "max stops the iteration");
  });

  await t.test("a new lead, then a text", async () => {
    const phone = "+14155550123";
    const lead = await toky.contacts.create({ phone, first_name: "Grace", last_name: "Hopper", email: "grace@example.com" });
    assert.equal(lead.contact_name, "Grace Hopper");
    await assert.rejects(toky.contacts.create({ phone }), (e) => e instanceof TokyError && e.kind === "conflict" && e.status === 409);
    await toky.contacts.update(phone, { company: "Navy" });
    assert.equal((await toky.contacts.get(phone)).company, "Navy");

    const { sms_numbers: [from] } = await control("/__mock/numbers");
    const text = "Hi Grace, thanks for your call — here is the quote: {total} €";
    const seg = smsSegments(text);
    assert.equal(seg.encoding, "UCS-2", "the dash is outside GSM-7");
    const sent = await toky.sms.send({ from, to: phone, text });
    assert.equal(sent.segments, seg.segments, "the client's segment count matches the server's");
    const { results } = await toky.sms.list({ limit: 1 });
    assert.equal(results[0].text, text);
    assert.equal(results[0].direction, "outbound");
  });

  await t.test("mistakes are caught before anything is sent", async () => {
    const before = (await control("/__mock/journal")).length;
    const bad = [
      () => toky.sms.send({ from: "+13055550100", to: "555-0123", text: "hi" }),
      () => toky.sms.send({ from: "+13055550100", to: "+14155550123", text: "" }),
      () => toky.contacts.get(14155550123),
      () => toky.contacts.update("+14155550123", { firstName: "G" }),
      () => toky.agents.list({ limit: 501 }),
      () => toky.calls.list({ since: "last tuesday" }),
      () => toky.webhooks.create({ event: "new_fax", url: "https://example.com/h" }),
      () => toky.voicemails.get("../../agents"),
    ];
    for (const call of bad.slice(0, 7)) {
      await assert.rejects(call(), (e) => e instanceof TokyError && e.kind === "validation" && e.field && e.message.startsWith(e.field));
    }
    assert.equal((await control("/__mock/journal")).length, before, "no request was sent");
    // An id can never climb out of its path segment.
    await assert.rejects(bad[7](), (e) => e.kind === "not_found");
    const last = (await control("/__mock/journal")).at(-1);
    assert.equal(last.path, "/v1/voicemails/..%2F..%2Fagents", "one segment: the slashes are escaped");
  });

  await t.test("yesterday's missed calls and the voicemails they left", async () => {
    const { results } = await toky.calls.list({ since: "2026-10-01", until: "2026-10-31", limit: 100 });
    assert.ok(results.length > 0);
    for (const c of results) {
      assert.ok(c.init_dt >= "2026-10-01T00:00:00Z" && c.init_dt <= "2026-10-31T23:59:59Z", c.init_dt);
      assert.equal(typeof c.duration, "number");
      assert.equal(typeof c.disposition_code, "number");
    }
    const vms = await toky.voicemails.list({ limit: 3 });
    const vm = await toky.voicemails.get(vms.results[0].id);
    const audio = await fetch(vm.url);
    assert.equal(audio.headers.get("content-type"), "audio/wav");
  });

  await t.test("the key stays secret", async () => {
    const secret = new Toky({ apiKey: "sk-very-secret", baseUrl: MOCK + "/v1" });
    const e = await secret.agents.list().catch((e) => e);
    assert.equal(e.kind, "auth");
    for (const s of [String(e), JSON.stringify(e), e.stack, JSON.stringify(secret), String(secret)]) {
      assert.ok(!s.includes("sk-very-secret"), s);
    }
    await assert.rejects(secret.request({ path: "https://evil.example/v1/agents" }), (e) => e.kind === "validation" && e.field === "path");
  });
});
