// A Cloudflare Worker using toky-wasm: one import line, no init call. The package's "workerd"
// entry imports the .wasm as a compiled WebAssembly.Module (Workers cannot compile from bytes).
// GET /?base=<baseUrl> answers the smoke result as JSON.
import { Toky, TokyError, smsSegments } from "toky-wasm";

export default {
  async fetch(request) {
    const baseUrl = new URL(request.url).searchParams.get("base") ?? "https://api.toky.co/v1";
    try {
      const toky = new Toky({ apiKey: "demo-key", baseUrl });
      const page = await toky.agents.list();
      const contacts = [];
      for await (const c of toky.contacts.iterate({ max: 5 })) contacts.push(c.phone);
      let kind = null;
      try {
        await toky.contacts.get("not-a-phone");
      } catch (e) {
        kind = e instanceof TokyError ? e.kind : "not a TokyError: " + e;
      }
      return Response.json({
        runtime: "workerd",
        agents: page.results.length,
        firstAgent: page.results[0]?.email ?? null,
        contacts,
        errorKind: kind,
        segments: smsSegments("hi").segments,
        guard: (() => { try { new Toky({ apiKey: "demo-key" }); return "allowed"; } catch (e) { return e instanceof TokyError ? e.kind + ":" + e.field : String(e); } })(),
      });
    } catch (e) {
      return Response.json({ error: String(e?.stack ?? e), kind: e?.kind ?? null }, { status: 500 });
    }
  },
};
