// Parse once (issue 24), measured: client CPU per 500-row page without network (a `fetch`
// option that answers at once with the page's bytes), interleaved round by round, for
//   floor          TextDecoder + JSON.parse of the same bytes (what `res.json()` costs)
//   server_once    the server build as pkg/node.js loads it (parse once)
//   server_exact   the same build with parse once switched off (today's exact decode)
//   browser_exact  the browser build (opt-level z; it keeps the exact decode)
// and checks that parse once gives the exact path's page (deep-equal) before timing.
//   node bench/once-probe.mjs MOCK_URL [rounds=300]
// MOCK_URL: a toky-mock started with `--contacts 1000000` (500-row pages of both kinds).
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

const [base, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 300);
const KEY = "demo-key";
const pkg = (f) => new URL("../pkg/" + f, import.meta.url);

async function build(glueFile, wasmFile, tag, once) {
  const glue = await import(pkg(glueFile).href + "?" + tag);
  const skin = await import(pkg("skin.js").href + "?" + tag);
  glue.initSync({ module: readFileSync(pkg(wasmFile)) });
  if (!once) delete glue.Client.prototype.setOnce;
  skin.setWasm(glue);
  return skin.Toky;
}
const builds = {
  server_once: await build("glue-server.js", "toky_wasm_server_bg.wasm", "once", true),
  server_exact: await build("glue-server.js", "toky_wasm_server_bg.wasm", "exact", false),
  browser_exact: await build("glue.js", "toky_wasm_bg.wasm", "browser", false),
};
// BROWSER_ONCE=DIR: a browser (size) build with the `once` feature, its web glue as
// DIR/toky_wasm.js and its wasm-opt -Oz output as DIR/opt.wasm (a probe: not what ships).
if (process.env.BROWSER_ONCE) {
  const dir = new URL(process.env.BROWSER_ONCE.replace(/\/?$/, "/"), "file://" + process.cwd() + "/");
  const glue = await import(new URL("toky_wasm.js", dir).href);
  const skin = await import(pkg("skin.js").href + "?browser-once");
  glue.initSync({ module: readFileSync(new URL("opt.wasm", dir)) });
  skin.setWasm(glue);
  builds.browser_once = skin.Toky;
}

const td = new TextDecoder();
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const out = {};
for (const [kind, path] of [["contacts", "/contacts?limit=500"], ["cdrs", "/cdrs?limit=500"]]) {
  const body = new Uint8Array(await (await fetch(base + "/v1" + path, { headers: { "X-Toky-Key": KEY } })).arrayBuffer());
  const reply = { status: 200, headers: { get: () => null }, arrayBuffer: () => Promise.resolve(body.buffer.slice(0)) };
  const run = (T) => {
    const t = new T({ apiKey: KEY, baseUrl: base + "/v1", fetch: () => Promise.resolve(reply) });
    return () => (kind == "contacts" ? t.contacts.list({ limit: 500 }) : t.calls.list({ limit: 500 }));
  };
  const V = { floor: async () => JSON.parse(td.decode(body)) };
  for (const [n, T] of Object.entries(builds)) V[n] = run(T);
  assert.deepStrictEqual(await V.server_once(), await V.server_exact(), kind + ": parse once gives the exact path's page");
  assert.deepStrictEqual(await V.server_once(), await V.browser_exact(), kind + ": and the browser build's");
  if (V.browser_once) assert.deepStrictEqual(await V.browser_once(), await V.browser_exact(), kind);
  const t = Object.fromEntries(Object.keys(V).map((n) => [n, []]));
  const names = Object.keys(V);
  for (let r = 0; r < rounds + 30; r++) {
    // Rotate the order each round.
    for (let i = 0; i < names.length; i++) {
      const n = names[(i + r) % names.length];
      const c0 = process.cpuUsage();
      await V[n]();
      const c = process.cpuUsage(c0);
      if (r >= 30) t[n].push(c.user + c.system);
    }
  }
  const m = Object.fromEntries(names.map((n) => [n, median(t[n])]));
  out[kind] = { bytes: body.length, rows: 500, cpu_us_p50: m, vs_floor: Object.fromEntries(names.map((n) => [n, +(m[n] / m.floor).toFixed(3)])) };
}
console.log(JSON.stringify(out, null, 1));
