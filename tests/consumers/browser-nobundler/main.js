// One import line, no init call: the import map resolves "toky-wasm" to browser.js, which
// fetches and compiles the .wasm beside itself before this module runs. The page calls the API
// given as ?api=<baseUrl> (a CORS-enabled origin, e.g. your proxy).
import { Toky, TokyError, smsSegments } from "toky-wasm";

const out = document.getElementById("result");
const baseUrl = new URLSearchParams(location.search).get("api") ?? "/api/v1";

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
  out.textContent = JSON.stringify({
    runtime: "browser-nobundler",
    agents: page.results.length,
    firstAgent: page.results[0]?.email ?? null,
    contacts,
    errorKind: kind,
    segments: smsSegments("hi").segments,
    guard: (() => { try { new Toky({ apiKey: "demo-key" }); return "allowed"; } catch (e) { return e instanceof TokyError ? e.kind + ":" + e.field : String(e); } })(),
  });
  out.dataset.state = "ok";
} catch (e) {
  out.textContent = "error: " + (e?.kind ? e.kind + ": " : "") + e?.message;
  out.dataset.state = "error";
}
