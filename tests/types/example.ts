// Type-checked by `tsc --strict --noEmit` in `make test`: every method has precise parameter and
// result types, and the @ts-expect-error lines prove that mistakes are type errors.
import { Toky, TokyError, smsSegments } from "toky-wasm";
import type { Agent, Contact, OffsetPage, Page, SmsSent, Voicemail, CallRecord, Webhook, RawResponse, ErrorKind } from "toky-wasm";

async function example(): Promise<void> {
  const toky = new Toky({ apiKey: "k", baseUrl: "http://127.0.0.1:8080/v1", timeoutMs: 5000, maxRetries: 1 });
  const ac = new AbortController();

  const agents: Page<Agent> = await toky.agents.list();
  const admin: boolean | null = agents.results[0].is_admin;
  for await (const a of toky.agents.iterate({ pageSize: 50, max: 10, signal: ac.signal })) {
    const email: string = a.email;
  }

  let done = 0;
  for await (const p of toky.contacts.pages({ pageSize: 500, max: 1200, offset: 10, timeoutMs: 5000 })) {
    const whole: OffsetPage<Contact> = p;
    const first: Contact | undefined = p.results[0];
    done = p.offset + p.results.length;
    const more: boolean = p.next !== null;
  }
  for await (const p of toky.calls.pages({ since: "2026-11-01", pageSize: 100 })) {
    const rows: CallRecord[] = p.results;
  }

  const c: Contact = await toky.contacts.get("+15551234567", { timeoutMs: 1000 });
  await toky.contacts.create({ phone: "+15551234567", first_name: "Ada", country_code: "US" });
  await toky.contacts.update("+15551234567", { company: "Acme" });
  const page: Page<Contact> = await toky.contacts.list({ limit: 20, offset: 40 });

  const sent: SmsSent = await toky.sms.send({ from: "+13055550100", to: "+15551234567", text: "hi", agent: "a@b.co" });
  const segments: number = sent.segments;
  await toky.sms.list({ since: "2026-11-01", until: new Date(), limit: 10 });

  const vm: Voicemail & { url: string } = await toky.voicemails.get("vm-1");
  const duration: number | null | undefined = vm.duration; // optional: the contract leaves voicemail fields open
  const cdrs: Page<CallRecord> = await toky.calls.list({ since: new Date(0) });
  const code: number | null = cdrs.results[0].disposition_code;
  const webCall: boolean | null = cdrs.results[0].web_call;
  const { url } = await toky.calls.recording("abc");

  const hook: Webhook = await toky.webhooks.create({ event: "new_sms", url: "https://example.com/h" });
  await toky.webhooks.delete(hook.id);

  const raw: RawResponse = await toky.request({ method: "POST", path: "/sms/send", body: { a: [1, "x"] }, query: { q: 1 } });
  const status: number = raw.status;

  // .withResponse(): the data beside the response's status, headers, request id and retries.
  const { data: someone, response } = await toky.contacts.get("+15551234567").withResponse();
  const phone: string = someone.phone;
  const rid: string | null = response.requestId;
  const ct: string | null = response.headers.get("content-type");
  const tries: number = (await toky.agents.list().withResponse()).response.retries;
  const rawStatus: number = (await toky.request({ path: "/agents" }).withResponse()).data.status;

  // sms.send's proven outcome.
  const maybeLost = await toky.sms.send({ from: "+13055550100", to: "+15551234567", text: "hi" }, { reconcile: true });
  if (maybeLost.reconciled) {
    const when: string | null = maybeLost.message!.created_at;
  }
  try {
    await toky.sms.send({ from: "+13055550100", to: "+15551234567", text: "hi" });
  } catch (e) {
    if (e instanceof TokyError && e.sent === false) {
      // proven not sent: safe to send again
    }
  }

  // Hooks: one call per attempt.
  new Toky({
    apiKey: "k",
    onRequest: ({ method, url, attempt }) => console.log(method, url, attempt),
    onResponse: async (r) => {
      const ms: number = r.durationMs;
      const st: number | null = r.status;
    },
  });

  const s = smsSegments("hello");
  const enc: "GSM-7" | "UCS-2" = s.encoding;

  try {
    await toky.agents.list();
  } catch (e) {
    if (e instanceof TokyError) {
      const k: ErrorKind = e.kind;
      const st: number | null = e.status;
      const f: string | null = e.field;
    }
  }

  // calls.watch re-reads the last lookbackMs each poll (a long call listed after newer ones).
  const calls = toky.calls.watch({ intervalMs: 5_000, lookbackMs: 30 * 60_000, since: "2026-11-01" });
  const resume: string | null = calls.cursor;
  toky.voicemails.watch({ cursor: resume ?? undefined });

  // @ts-expect-error lookbackMs is a calls.watch option only
  toky.sms.watch({ lookbackMs: 60_000 });
  // @ts-expect-error unknown constructor option
  new Toky({ apiKey: "k", apikey: "x" });
  // @ts-expect-error apiKey is required
  new Toky({});
  // @ts-expect-error unknown query parameter
  await toky.agents.list({ lmit: 5 });
  // @ts-expect-error `since` is not a voicemail query
  await toky.voicemails.list({ since: "2026-01-01" });
  // @ts-expect-error unknown call option
  await toky.contacts.get("+15551234567", { timeout: 5 });
  // @ts-expect-error reconcile is sms.send's alone
  await toky.contacts.get("+15551234567", { reconcile: false });
  // @ts-expect-error a hook is a function
  new Toky({ apiKey: "k", onRequest: "console.log" });
  // @ts-expect-error phone must be a string
  await toky.contacts.get(15551234567);
  // @ts-expect-error text is required
  await toky.sms.send({ from: "+13055550100", to: "+15551234567" });
  // @ts-expect-error unknown webhook event
  await toky.webhooks.create({ event: "new_fax", url: "https://example.com/h" });
  // @ts-expect-error contact patch has no phone
  await toky.contacts.update("+15551234567", { phone: "+15550000000" });
  // @ts-expect-error pages() takes pageSize, not list()'s limit
  toky.contacts.pages({ limit: 10 });
  // @ts-expect-error `since` is not a contacts query
  toky.contacts.pages({ since: "2026-01-01" });
  for await (const p of toky.webhooks.pages()) {
    // @ts-expect-error a page's records are Webhooks, not Contacts
    const wrong: Contact[] = p.results;
  }
  // @ts-expect-error results are typed, not any
  const n: number = agents.results[0].email;
}
void example;
