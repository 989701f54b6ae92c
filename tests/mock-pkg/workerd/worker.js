// A Worker that tests its own Toky code against the in-process mock: no network at all (the
// worker has no outbound service). GET / answers the scenario's result as JSON.
import { TokyMock } from "./mock/workerd.js";
import { Toky } from "toky-wasm";

export default {
  async fetch() {
    try {
      const events = [];
      const mock = new TokyMock({ seed: 1, deliver: async (req) => (events.push(await req.json()), new Response(null, { status: 204 })) });
      const toky = new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch });
      const [from] = await mock.numbers();
      const sent = await toky.sms.send({ from, to: "+15557654321", text: "from workerd" });
      await mock.fault({ route: "/agents", kind: "drop_before" });
      let dropped = null;
      try {
        await mock.fetch(mock.baseUrl + "/agents", { headers: { "x-toky-key": mock.apiKey } });
      } catch (e) {
        dropped = e.name;
      }
      await toky.webhooks.create({ event: "new_sms", url: "https://example.com/hook" });
      await mock.simulate({ event: "new_sms", text: "STOP" });
      for (let i = 0; i < 40 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      const journal = await mock.journal();
      mock.close();
      return Response.json({ sent: sent.success, dropped, delivered: events[0]?.text ?? null, journaled: journal.length });
    } catch (e) {
      return Response.json({ error: String(e?.stack ?? e) }, { status: 500 });
    }
  },
};
