// Node ESM consumer: one import line, no init call. Usage: node main.js <baseUrl>
import { Toky, TokyError, smsSegments } from "toky-wasm";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8080/v1";
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
console.log(JSON.stringify({
  runtime: "node-esm " + process.version,
  agents: page.results.length,
  firstAgent: page.results[0]?.email ?? null,
  contacts,
  errorKind: kind,
  segments: smsSegments("hi").segments,
  guard: (() => { try { new Toky({ apiKey: "demo-key" }); return "allowed"; } catch (e) { return e instanceof TokyError ? e.kind + ":" + e.field : String(e); } })(),
}));
