// A page testing its own Toky code against the in-process mock: plain ES modules resolved by the
// import map, no server but the static one that serves these files. The outcome of each step
// goes into #result as JSON (tests/mock-pkg/browser.test.mjs checks it).
import { TokyMock } from "toky-mock";
import { Toky, TokyError, parseWebhookEvent } from "toky-wasm";

const out = document.getElementById("result");
const r = {};
try {
  // Webhooks go straight into the page's handler, checked with the secret in the hook URL.
  const events = [];
  const deliver = async (request) => {
    events.push(parseWebhookEvent(await request.text(), { token: "s3cret", url: request.url }));
    return new Response(null, { status: 204 });
  };
  const mock = new TokyMock({ seed: 1, deliver });
  const toky = new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch });
  const [from] = await mock.numbers();
  r.from = from;

  const sent = await toky.sms.send({ from, to: "+15557654321", text: "hello from a page" });
  r.sent = { success: sent.success, id: typeof sent.id };
  const contacts = await toky.contacts.list({ limit: 5 });
  r.contacts = contacts.results.map((c) => c.phone);

  // drop_before: no response and the handler did not run; the client proves it was not sent.
  await mock.fault({ route: "/sms/send", kind: "drop_before" });
  try {
    await toky.sms.send({ from, to: "+15557654321", text: "dropped before" });
    r.dropBefore = "resolved";
  } catch (e) {
    r.dropBefore = e instanceof TokyError ? { kind: e.kind, sent: e.sent } : "not a TokyError: " + e;
  }
  // drop_after: the handler ran, the answer was lost; the client finds the text in the history.
  await mock.fault({ route: "/sms/send", kind: "drop_after" });
  try {
    const s = await toky.sms.send({ from, to: "+15557654321", text: "dropped after" });
    r.dropAfter = { success: s.success, reconciled: s.reconciled ?? false };
  } catch (e) {
    r.dropAfter = e instanceof TokyError ? { kind: e.kind, sent: e.sent } : "not a TokyError: " + e;
  }

  // hang: pending until the caller aborts.
  await mock.fault({ route: "/agents", kind: "hang" });
  const ac = new AbortController();
  let settledEarly = false;
  const pending = toky.agents.list({ signal: ac.signal }).finally(() => (settledEarly = !ac.signal.aborted));
  await new Promise((ok) => setTimeout(ok, 100));
  ac.abort();
  try {
    await pending;
    r.hang = "resolved";
  } catch (e) {
    r.hang = settledEarly ? "settled before the abort" : e instanceof TokyError ? e.kind : String(e);
  }

  const journal = await mock.journal();
  r.journal = journal.filter((e) => e.path.startsWith("/v1/")).map((e) => [e.method, e.path, e.status, e.fault, e.handler_ran]);

  await toky.webhooks.create({ event: "new_sms", url: "https://hooks.example.com/toky?token=s3cret" });
  await mock.simulate({ event: "new_sms", text: "STOP" });
  // Deliveries run after simulate answers (with the server's retries): wait for the handler.
  for (let i = 0; i < 200 && events.length === 0; i++) await new Promise((ok) => setTimeout(ok, 25));
  r.webhook = events.map((e) => ({ event: e.event, text: e.text, direction: e.direction }));
  r.deliveries = (await mock.deliveries()).map((d) => ({ delivered: d.delivered, attempts: d.attempts }));

  mock.close();
  try {
    await mock.journal();
    r.afterClose = "answered";
  } catch (e) {
    r.afterClose = e.message;
  }
  out.textContent = JSON.stringify(r);
  out.dataset.state = "ok";
} catch (e) {
  out.textContent = "error: " + (e?.kind ? e.kind + ": " : "") + (e?.stack ?? e);
  out.dataset.state = "error";
}
