// The in-process toky-mock's figures (issue 22), part of `make bench`: the size of its wasm;
// one request through the toky-wasm client on `mock.fetch` against the same request to the
// native TCP toky-mock on loopback (interleaved, same seed); and a fresh Node process's
// `import` + `new TokyMock` + first request. Writes bench/mock-results.md.
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
const clients = {
  inProcess: new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch }),
  tcp: new Toky({ apiKey: KEY, baseUrl: native.url + "/v1" }),
};
const phone = (await clients.tcp.contacts.list({ limit: 1 })).results?.[0]?.phone ?? (await clients.tcp.contacts.list({ limit: 1 }))[0].phone;
const ops = { "contacts.get": (t) => t.contacts.get(phone), "agents.list": (t) => t.agents.list() };
const N = QUICK ? 200 : 2000;
const per = {};
for (const [op, f] of Object.entries(ops)) {
  const times = { inProcess: [], tcp: [] };
  for (let i = 0; i < 100; i++) for (const t of Object.values(clients)) await f(t); // warm-up
  for (let i = 0; i < N; i++) {
    for (const name of i % 2 ? ["inProcess", "tcp"] : ["tcp", "inProcess"]) {
      const t0 = performance.now();
      await f(clients[name]);
      times[name].push(performance.now() - t0);
    }
    if (i % 500 === 499) await mock.clearJournal(); // the journals grow alike; keep them small
  }
  per[op] = { inProcess: summary(times.inProcess), tcp: summary(times.tcp) };
  per[op].ratio = median(times.inProcess) / median(times.tcp);
}
mock.close();
await native.stop();

// Cold: a fresh process imports the package, constructs a mock and makes one request.
const child = `
  const t0 = performance.now();
  const { TokyMock } = await import(${JSON.stringify(rootPath("mock/pkg/node.js"))});
  const t1 = performance.now();
  const mock = new TokyMock({ seed: 1 });
  const t2 = performance.now();
  await (await mock.fetch(mock.baseUrl + "/agents", { headers: { "x-toky-key": mock.apiKey } })).text();
  const t3 = performance.now();
  mock.close();
  console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2]));`;
const cold = { import: [], construct: [], first: [], constructAndFirst: [] };
for (let i = 0; i < (QUICK ? 5 : 20); i++) {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8" });
  const [a, b, c] = JSON.parse(r.stdout);
  cold.import.push(a), cold.construct.push(b), cold.first.push(c), cold.constructAndFirst.push(b + c);
}

const lines = [
  "# toky-mock in-process: measured figures",
  "",
  `${new Date().toISOString()}, Node ${process.version}, ${QUICK ? "quick run (not reliable)" : `${N} requests per operation and side`}.`,
  "",
  `- wasm: ${size.raw} B; ${size.gzip9 ?? "?"} B with GNU gzip -9, ${size.zlib9} B with node:zlib level 9 (goal ≤ 250 KB gzip)`,
  ...Object.entries(per).map(([op, r]) => `- ${op} through toky-wasm: in-process median ${ms(r.inProcess.p50_ms)} ms vs TCP toky-mock ${ms(r.tcp.p50_ms)} ms (ratio ${r.ratio.toFixed(2)}; goal ≤ 0.33)`),
  `- fresh Node process, medians: import ${ms(median(cold.import))} ms, new TokyMock ${ms(median(cold.construct))} ms, first request ${ms(median(cold.first))} ms; new TokyMock + first request ${ms(median(cold.constructAndFirst))} ms (goal ≤ 50 ms)`,
  "",
];
writeFileSync(rootPath("bench/mock-results.md"), lines.join("\n"));
log(lines.join("\n"));
