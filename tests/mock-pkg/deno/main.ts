// Deno: toky-mock and toky-wasm by bare name from ./node_modules (installed from the tarballs),
// the client on mock.fetch, a fault, a webhook into deliver. No network permission: nothing
// leaves the process. Prints one JSON line.
//   deno run --allow-read=node_modules main.ts
import { TokyMock } from "toky-mock";
import { Toky, TokyError } from "toky-wasm";

const events: unknown[] = [];
const mock = new TokyMock({
  seed: 1,
  deliver: async (req: Request) => (events.push(await req.json()), new Response(null, { status: 204 })),
});
const toky = new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch, maxRetries: 0 });
const [from] = await mock.numbers();
const sent = await toky.sms.send({ from, to: "+15557654321", text: "from deno" });
await mock.fault({ route: "/agents", status: 503 });
let kind: string | null = null;
try {
  await toky.agents.list();
} catch (e) {
  kind = e instanceof TokyError ? e.kind : String(e);
}
await toky.webhooks.create({ event: "new_sms", url: "https://example.com/hook" });
await mock.simulate({ event: "new_sms", text: "STOP" });
for (let i = 0; i < 40 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
const journal = await mock.journal();
mock.close();
console.log(JSON.stringify({
  sent: sent.success,
  faultKind: kind,
  delivered: (events[0] as { text?: string } | undefined)?.text ?? null,
  journaled: journal.filter((e) => e.path.startsWith("/v1/")).map((e) => `${e.method} ${e.path} ${e.status}`),
}));
