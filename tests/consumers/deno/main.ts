// Deno consumer: a bare import resolved from ./node_modules (deno.json "nodeModulesDir": "manual"),
// no init call, no npm: specifier. Usage:
//   deno run --allow-net=127.0.0.1 --allow-read=node_modules/toky-wasm/toky_wasm_server_bg.wasm main.ts <baseUrl>
// Permissions, exactly: --allow-net for the API host (here 127.0.0.1, any port; api.toky.co in
// production) and --allow-read for one file, because the "deno" entry (node.js) reads
// toky_wasm_server_bg.wasm (the server build) beside itself with node:fs. Nothing else (no env, no
// write, no run).
import { Toky, TokyError, smsSegments } from "toky-wasm";

const baseUrl = Deno.args[0] ?? "http://127.0.0.1:8080/v1";
const toky = new Toky({ apiKey: "demo-key", baseUrl });

const page = await toky.agents.list();
const contacts: string[] = [];
for await (const c of toky.contacts.iterate({ max: 5 })) contacts.push(c.phone);
let kind: string | null = null;
try {
  await toky.contacts.get("not-a-phone");
} catch (e) {
  kind = e instanceof TokyError ? e.kind : "not a TokyError: " + e;
}
console.log(JSON.stringify({
  runtime: "deno " + Deno.version.deno,
  agents: page.results.length,
  firstAgent: page.results[0]?.email ?? null,
  contacts,
  errorKind: kind,
  segments: smsSegments("hi").segments,
  guard: (() => { try { new Toky({ apiKey: "demo-key" }); return "allowed"; } catch (e) { return e instanceof TokyError ? e.kind + ":" + e.field : String(e); } })(),
}));
