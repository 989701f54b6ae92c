// Type-checked by `tsc --strict --noEmit` in the mock-pkg suite, against the packed toky-mock and
// toky-wasm tarballs as a user's project installs them: the two packages' types fit together
// (mock.fetch as the client's fetch, deliver into a parseWebhookEvent handler), and each line
// marked as an expected error below proves that a mistake is a type error.
import { TokyMock, TokyMockError } from "toky-mock";
import type { Delivery, Fault, FaultSpec, JournalEntry, TokyMockOptions } from "toky-mock";
import { Toky, TokyError, parseWebhookEvent } from "toky-wasm";
import type { SmsSent, WebhookEvent } from "toky-wasm";

export async function example(): Promise<void> {
  const seen: WebhookEvent[] = [];
  const options: TokyMockOptions = {
    seed: 1,
    apiKey: "sk-test",
    contacts: 50,
    loopbackWebhooks: false,
    deliver: async (request: Request) => {
      seen.push(parseWebhookEvent(await request.text(), { url: request.url }));
      return new Response(null, { status: 204 });
    },
  };
  const mock = new TokyMock(options);
  const toky = new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch });
  const numbers: string[] = await mock.numbers();
  const sent: SmsSent = await toky.sms.send({ from: numbers[0], to: "+15557654321", text: "hi" });
  const id: string = sent.id;

  const spec: FaultSpec = { route: "/sms/send", kind: "drop_before", count: 1 };
  const fault: Fault = await mock.fault(spec);
  const left: number = fault.count;
  try {
    await toky.sms.send({ from: numbers[0], to: "+15557654321", text: "again" });
  } catch (e) {
    if (e instanceof TokyError) {
      const notSent: false | null | undefined = e.sent;
    }
  }
  try {
    await mock.fault({ route: "/agents", kind: "hang" });
  } catch (e) {
    if (e instanceof TokyMockError) {
      const status: number = e.status;
    }
  }

  const journal: JournalEntry[] = await mock.journal();
  const ran: boolean = journal[0].handler_ran;
  const status: number | null = journal[0].status;
  await mock.simulate({ event: "new_sms", text: "STOP" });
  const deliveries: Delivery[] = await mock.deliveries();
  const delivered: boolean = deliveries[0].delivered;
  const res: Response = await mock.fetch(mock.origin + "/__mock/journal");
  const origin: string = mock.origin;
  await mock.reset();
  mock.close();

  // @ts-expect-error: an unknown option
  new TokyMock({ sed: 1 });
  // @ts-expect-error: seed is a number
  new TokyMock({ seed: "1" });
  // @ts-expect-error: deliver must answer a Response
  new TokyMock({ deliver: (r: Request) => r.url });
  // @ts-expect-error: not a fault kind
  await mock.fault({ route: "/agents", kind: "explode" });
  // @ts-expect-error: a fault needs its route
  await mock.fault({ kind: "hang" });
  // @ts-expect-error: apiKey is read-only
  mock.apiKey = "other";
  // @ts-expect-error: the journal is a promise of entries, not entries
  const sync: JournalEntry[] = mock.journal();
}
