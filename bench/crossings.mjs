// Counts the wasm → JS calls (imports the glue provides) per operation of the server build, and
// its client CPU per call, with an instant `fetch` option (no network):
//   node bench/crossings.mjs [calls=2000]
// The glue is loaded from a copy whose imports are wrapped in a counter (pkg/ is not changed).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const n = Number(process.argv[2] ?? 2000);
const pkg = (f) => new URL("../pkg/" + f, import.meta.url);
const dir = new URL("../build/crossings/", import.meta.url);
mkdirSync(dir, { recursive: true });
const glueText = readFileSync(pkg("glue-server.js"), "utf8").replace(
  "const imports = __wbg_get_imports();",
  "const imports = __wbg_get_imports();\n  for (const m of Object.values(imports)) for (const k of Object.keys(m)) if (typeof m[k] == 'function') { const f = m[k]; m[k] = function (...a) { globalThis.__crossings = (globalThis.__crossings ?? 0) + 1; if (globalThis.__byName) globalThis.__byName[k] = (globalThis.__byName[k] ?? 0) + 1; return f.apply(this, a); }; }",
);
if (!glueText.includes("__crossings")) throw new Error("the glue changed: no `const imports = __wbg_get_imports();`");
writeFileSync(new URL("glue-server.js", dir), glueText);
writeFileSync(new URL("skin.js", dir), readFileSync(pkg("skin.js")));
const glue = await import(new URL("glue-server.js", dir).href);
const skin = await import(new URL("skin.js", dir).href);
glue.initSync({ module: readFileSync(pkg("toky_wasm_server_bg.wasm")) });
skin.setWasm(glue);

const json = (o) => new TextEncoder().encode(JSON.stringify(o));
const bodies = {
  send: json({ success: true, id: 12903, segments: "1" }),
  get: json({ phone: "+15551234567", contact_name: "A B", email: null, city: null, country_code: "US", created_at: "2017-06-27 19:24:10" }),
};
const headers = new Headers({ "content-type": "application/json", "x-request-id": "r1" });
const reply = (b) => ({ status: 200, headers, arrayBuffer: () => Promise.resolve(b.slice().buffer) });
const ops = {
  "sms.send": (t) => t.sms.send({ from: "+15550001111", to: "+15550002222", text: "hello" }),
  "contacts.get": (t) => t.contacts.get("+15551234567"),
};
const out = {};
for (const [op, run] of Object.entries(ops)) {
  const body = op == "sms.send" ? bodies.send : bodies.get;
  const t = new skin.Toky({ apiKey: "k", baseUrl: "http://127.0.0.1:9/v1", fetch: () => Promise.resolve(reply(body)) });
  for (let i = 0; i < 200; i++) await run(t);
  globalThis.__crossings = 0;
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await run(t);
  const c = process.cpuUsage(c0);
  out[op] = { crossings_per_call: globalThis.__crossings / n, client_cpu_us_per_call: +((c.user + c.system) / n).toFixed(1) };
}
console.log(JSON.stringify(out));
