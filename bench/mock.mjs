// The in-process toky-mock's figures (issue 22), part of `make bench`: the size of its wasm;
// one request through the toky-wasm client on `mock.fetch` against the same request to the
// native TCP toky-mock on loopback (interleaved, same seed), with where the in-process time
// goes: the client's own work (the same client on a `fetch` that answers at once with the
// same bytes) and `mock.fetch` alone; a fresh Node process's `import` + `new TokyMock` +
// first request; and, per test, a further mock in the same process and `reset()`. Writes bench/mock-results.md.
//   node bench/mock.mjs [--quick]
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { startMock, rootPath, KEY, median, summary, ms, log } from "./lib.mjs";

const QUICK = process.argv.includes("--quick");
const { TokyMock } = await import(rootPath("mock/pkg/node.js"));
const { Toky } = await import(rootPath("pkg/node.js"));

const wasm = readFileSync(rootPath("mock/pkg/toky_mock_bg.wasm"));
const gnu = spawnSync("gzip", ["-9c"], { input: wasm, maxBuffer: 1 << 26 });
const size = { raw: wasm.length, zlib9: gzipSync(wasm, { level: 9 }).length, gzip9: gnu.status === 0 ? gnu.stdout.length : null };

// Per request: contacts.get and agents.list through the same client, in-process vs TCP.
const native = await startMock();
const mock = new TokyMock({ seed: 1 });
// The floor: the client on a fetch that answers at once with the bytes and headers the mock
// gave for the same request (set before each timed call), so only the client's work is left.
let canned = null;
const clients = {
  inProcess: new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch }),
  tcp: new Toky({ apiKey: KEY, baseUrl: native.url + "/v1" }),
  client: new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: async () => new Response(canned.body, { status: 200, headers: canned.headers }) }),
};
const phone = (await clients.tcp.contacts.list({ limit: 1 })).results[0].phone;
const H = { "x-toky-key": mock.apiKey };
const ops = {
  "contacts.get": { call: (t) => t.contacts.get(phone), path: "/contacts/" + encodeURIComponent(phone) },
  "agents.list": { call: (t) => t.agents.list(), path: "/agents" },
};
const N = QUICK ? 200 : 2000;
const per = {};
for (const [op, { call, path }] of Object.entries(ops)) {
  const res = await mock.fetch(mock.baseUrl + path, { headers: H });
  canned = { headers: [...res.headers], body: new Uint8Array(await res.arrayBuffer()) };
  const raw = async () => (await mock.fetch(mock.baseUrl + path, { headers: H })).arrayBuffer();
  const names = ["inProcess", "tcp", "client", "raw"];
  const run = (name) => (name === "raw" ? raw() : call(clients[name]));
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < 100; i++) for (const n of names) await run(n); // warm-up
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]; // rotated, so that no side always goes first
      const t0 = performance.now();
      await run(name);
      times[name].push(performance.now() - t0);
    }
    if (i % 500 === 499) await mock.clearJournal(); // the journals grow alike; keep them small
  }
  per[op] = Object.fromEntries(names.map((n) => [n, summary(times[n])]));
  per[op].ratio = median(times.inProcess) / median(times.tcp);
}
mock.close();
await native.stop();

// Per test: a suite makes a mock per test (or resets one), in a process that has made one before.
const perTest = { constructAndFirst: [], reset: [] };
for (let i = 0; i < (QUICK ? 20 : 200); i++) {
  const t0 = performance.now();
  const m = new TokyMock({ seed: 1 });
  await (await m.fetch(m.baseUrl + "/agents", { headers: H })).arrayBuffer();
  const t1 = performance.now();
  await m.reset();
  perTest.constructAndFirst.push(t1 - t0), perTest.reset.push(performance.now() - t1);
  m.close();
}

// Cold: a fresh process imports the package, constructs a mock and makes one request. Every
// other child first loads Node's fetch classes (undici, loaded lazily on first use of
// Response, Request or Headers, as a user's test does anyway), to show that part apart.
const child = `
  const undici = performance.now();
  if (process.env.TOKY_BENCH_UNDICI) new Response("");
  const t0 = performance.now();
  process.env.TOKY_BENCH_UNDICI_MS = String(t0 - undici);
  const { TokyMock } = await import(${JSON.stringify(rootPath("mock/pkg/node.js"))});
  const t1 = performance.now();
  const mock = new TokyMock({ seed: 1 });
  const t2 = performance.now();
  await (await mock.fetch(mock.baseUrl + "/agents", { headers: { "x-toky-key": mock.apiKey } })).text();
  const t3 = performance.now();
  mock.close();
  console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2, Number(process.env.TOKY_BENCH_UNDICI_MS)]));`;
const cold = { import: [], construct: [], first: [], constructAndFirst: [] };
const warmUndici = { undici: [], constructAndFirst: [] };
for (let i = 0; i < (QUICK ? 10 : 40); i++) {
  const env = i % 2 ? { ...process.env, TOKY_BENCH_UNDICI: "1" } : process.env;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8", env });
  const [a, b, c, u] = JSON.parse(r.stdout);
  if (i % 2) warmUndici.undici.push(u), warmUndici.constructAndFirst.push(b + c);
  else cold.import.push(a), cold.construct.push(b), cold.first.push(c), cold.constructAndFirst.push(b + c);
}

const lines = [
  "# toky-mock in-process: measured figures",
  "",
  `${new Date().toISOString()}, Node ${process.version}, ${QUICK ? "quick run (not reliable)" : `${N} requests per operation and side`}.`,
  "",
  `- wasm: ${size.raw} B; ${size.gzip9 ?? "?"} B with GNU gzip -9, ${size.zlib9} B with node:zlib level 9 (goal ≤ 250 KB gzip)`,
  ...Object.entries(per).map(
    ([op, r]) =>
      `- ${op} through toky-wasm: in-process median ${ms(r.inProcess.p50_ms)} ms vs TCP toky-mock ${ms(r.tcp.p50_ms)} ms (ratio ${r.ratio.toFixed(2)}; goal ≤ 0.33). ` +
      `Of it: the client's own work ${ms(r.client.p50_ms)} ms (the same client on a fetch answering at once with the same bytes); \`mock.fetch\` alone (answer read) ${ms(r.raw.p50_ms)} ms`,
  ),
  `- fresh Node process, medians: import ${ms(median(cold.import))} ms, new TokyMock ${ms(median(cold.construct))} ms, first request ${ms(median(cold.first))} ms; new TokyMock + first request ${ms(median(cold.constructAndFirst))} ms (goal ≤ 50 ms); ` +
    `with Node's fetch classes already loaded (${ms(median(warmUndici.undici))} ms to load them) new TokyMock + first request ${ms(median(warmUndici.constructAndFirst))} ms`,
  `- per test, in a process that has made a mock before (medians of ${perTest.reset.length}): new TokyMock + first request ${ms(median(perTest.constructAndFirst))} ms; \`reset()\` ${ms(median(perTest.reset))} ms`,
  "",
];
writeFileSync(rootPath("bench/mock-results.md"), lines.join("\n"));
log(lines.join("\n"));
