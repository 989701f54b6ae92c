// MV3 background service worker ("type": "module"). Service workers forbid top-level await, so
// the package's default browser entry (which awaits the wasm fetch) cannot be imported here; the
// "inline" entry embeds the wasm and compiles it synchronously (allowed off the main thread), so
// it needs no init call either. Extensions have no import maps or node_modules resolution: the
// package's files are copied to vendor/toky-wasm/ (npm install, then copy; see run.mjs).
// 'wasm-unsafe-eval' in the manifest's CSP is what allows compiling wasm at all.
import { Toky, TokyError, smsSegments } from "./vendor/toky-wasm/inline.js";

async function smoke(baseUrl) {
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
  return {
    runtime: "mv3-extension service worker",
    agents: page.results.length,
    firstAgent: page.results[0]?.email ?? null,
    contacts,
    errorKind: kind,
    segments: smsSegments("hi").segments,
    guard: (() => { try { new Toky({ apiKey: "demo-key" }); return "allowed"; } catch (e) { return e instanceof TokyError ? e.kind + ":" + e.field : String(e); } })(),
  };
}

// The smoke test evaluates this through the service worker; a real extension would call the
// client from chrome.runtime.onMessage or chrome.alarms instead.
self.tokySmoke = smoke;
