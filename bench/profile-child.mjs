// A focused workload for `node --cpu-prof`, run by bench/run.mjs to see where the client's time
// goes:  node --cpu-prof bench/profile-child.mjs <mockUrl> <fake-get|fake-list|net-get> [calls]
//   fake-*: the client with a `fetch` option that answers at once with bytes fetched from the mock
//           beforehand, so only the client's own work is profiled (no sockets, no undici);
//   net-*:  the real path over loopback (undici included).
// The wasm is the server build (what pkg/node.js loads) as wasm-bindgen wrote it before wasm-opt
// (build/glue-server/web), which still has its name section, so the profile names Rust functions;
// it is the same code as the shipped pkg/ wasm but without wasm-opt -O3. Falls back to pkg/
// (functions unnamed) if build/glue-server/web is missing.
import { readFileSync, existsSync } from "node:fs";

const [url, mode = "fake-get", callsArg] = process.argv.slice(2);
const base = url + "/v1";
const H = { "X-Toky-Key": "demo-key" };
const named = new URL("../build/glue-server/web/toky_wasm_server.js", import.meta.url);
const namedWasm = new URL("../build/glue-server/web/toky_wasm_server_bg.wasm", import.meta.url);
const useNamed = existsSync(named) && existsSync(namedWasm);
const glue = await import(useNamed ? named : new URL("../pkg/glue-server.js", import.meta.url));
const { setWasm, Toky } = await import(new URL("../pkg/skin.js", import.meta.url));
glue.initSync({ module: readFileSync(useNamed ? namedWasm : new URL("../pkg/toky_wasm_server_bg.wasm", import.meta.url)) });
setWasm(glue);

const list = async (limit) => new Uint8Array(await (await fetch(base + "/contacts?limit=" + limit, { headers: H })).arrayBuffer());
const phone = JSON.parse(new TextDecoder().decode(await list(1))).results[0].phone;
const body = mode.endsWith("list") ? await list(500) : new Uint8Array(await (await fetch(base + "/contacts/" + encodeURIComponent(phone), { headers: H })).arrayBuffer());
const reply = { status: 200, headers: { get: () => null }, arrayBuffer: () => Promise.resolve(body.buffer.slice(0)) };
const toky = mode.startsWith("fake")
  ? new Toky({ apiKey: "demo-key", baseUrl: base, fetch: () => Promise.resolve(reply) })
  : new Toky({ apiKey: "demo-key", baseUrl: base });
const one = mode.endsWith("list") ? () => toky.contacts.list({ limit: 500 }) : () => toky.contacts.get(phone);
const calls = +(callsArg ?? (mode == "fake-get" ? 50000 : mode == "fake-list" ? 1200 : 10000));
for (let i = 0; i < Math.min(500, calls / 10); i++) await one();
const t0 = performance.now();
let done = 0;
for (; done < calls; done++) await one();
const us = ((performance.now() - t0) / calls) * 1000;
console.log(JSON.stringify({ mode, calls: done, us_per_call: us, named: useNamed }));
