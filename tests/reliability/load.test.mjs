// Load: 1,000 concurrent calls while ~10% of the requests fail with 503 (maxRetries 3): none is
// lost, each gets its own right answer. Then 20,000 sequential calls in a child process: the JS
// heap (after a full GC) and the wasm linear memory level off — no per-call leak. The figures are
// printed for the README.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Toky, TokyError } from "toky-wasm";
import { KEY, startMock, within } from "./lib.mjs";

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock?.stop());

const CONCURRENT = 1000;
const SEQUENTIAL = 20_000;
const MiB = 1024 * 1024;

test(`${CONCURRENT} concurrent calls, ~10% of requests 503, maxRetries 3: none lost`, async (t) => {
  const { body: { results: contacts } } = await mock.api("GET", "/contacts?limit=50");
  const { body: { results: vms } } = await mock.api("GET", "/voicemails?limit=50");
  const toky = new Toky({ apiKey: KEY, baseUrl: mock.url + "/v1", maxRetries: 3, timeoutMs: 30_000 });
  // Four routes, 250 calls each; 25 requests of each route get a 503 (100 of 1,100 requests).
  const kinds = [
    ["/agents", () => toky.agents.list({ limit: 3 }), (v) => v.results.length === 3],
    ["/contacts/*", (i) => toky.contacts.get(contacts[i % contacts.length].phone), (v, i) => v.phone === contacts[i % contacts.length].phone],
    ["/sms", (i) => toky.sms.list({ limit: 1 + (i % 7) }), (v, i) => v.results.length === 1 + (i % 7)],
    ["/voicemails/*", (i) => toky.voicemails.get(String(vms[i % vms.length].id)), (v, i) => v.id === String(vms[i % vms.length].id)],
  ];
  await mock.clearJournal();
  for (const [route] of kinds) await mock.fault({ route, method: "GET", kind: "status", status: 503, count: CONCURRENT / kinds.length / 10 });
  const t0 = performance.now();
  const calls = Array.from({ length: CONCURRENT }, (_, i) => {
    const [, call, check] = kinds[i % kinds.length];
    return call(i).then((v) => (check(v, i) ? "ok" : "wrong answer: " + JSON.stringify(v).slice(0, 200)), (e) => (e instanceof TokyError ? e.kind : String(e)));
  });
  const r = await within(Promise.all(calls), 60_000);
  const seconds = (performance.now() - t0) / 1000;
  assert.ok(!r.hung, "the 1,000 calls did not all settle within 60 s");
  const tally = {};
  for (const o of r.value) tally[o] = (tally[o] ?? 0) + 1;
  const journal = (await mock.journal()).filter((e) => e.path.startsWith("/v1/"));
  const failed = journal.filter((e) => e.status === 503).length;
  const line = `load: ${CONCURRENT} concurrent calls in ${seconds.toFixed(2)} s, ${journal.length} requests of which ${failed} got 503 (${((100 * failed) / journal.length).toFixed(1)}%): ${JSON.stringify(tally)}`;
  t.diagnostic(line);
  console.log(line);
  assert.deepEqual(tally, { ok: CONCURRENT }, "every call resolved with its own answer");
  assert.equal(failed, CONCURRENT / 10);
  assert.equal(journal.length, CONCURRENT + failed, "one retry per 503, nothing more");
  assert.equal((await mock.faults()).length, 0, "every fault was consumed");
});

test(`${SEQUENTIAL} sequential calls: the JS heap and the wasm memory level off`, async (t) => {
  await mock.reset();
  const child = spawn(process.execPath, ["--expose-gc", fileURLToPath(new URL("load-child.mjs", import.meta.url)), mock.url, String(SEQUENTIAL)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const exited = await within(new Promise((r) => child.once("exit", r)), 240_000);
  if (exited.hung) child.kill("SIGKILL");
  assert.ok(!exited.hung, "the sequential run did not finish within 240 s");
  assert.equal(exited.value, 0, out);
  const res = JSON.parse(out);
  assert.equal(res.ok + res.notFound, SEQUENTIAL, `every call settled as expected (other failures: ${res.other})`);
  assert.equal(res.notFound, SEQUENTIAL / 10);
  const at = (i) => res.samples.find((s) => s.calls === i);
  const [start, early, half, end] = [at(0), at(SEQUENTIAL / 10), at(SEQUENTIAL / 2), at(SEQUENTIAL)];
  const heapGrowth = end.heap - half.heap;
  const fmt = (b) => (b / MiB).toFixed(2) + " MiB";
  const wasm = res.memories ? `wasm memory ${fmt(start.wasm)} at start, ${fmt(early.wasm)} after ${SEQUENTIAL / 10}, ${fmt(half.wasm)} after ${SEQUENTIAL / 2}, ${fmt(end.wasm)} after ${SEQUENTIAL}` : "wasm memory not reachable";
  const line = `load: ${SEQUENTIAL} sequential calls in ${res.seconds.toFixed(1)} s (${((res.seconds * 1e6) / SEQUENTIAL).toFixed(0)} µs a call); JS heap after GC ${fmt(start.heap)} at start, ${fmt(half.heap)} after ${SEQUENTIAL / 2}, ${fmt(end.heap)} after ${SEQUENTIAL} (second half ${heapGrowth >= 0 ? "+" : ""}${(heapGrowth / 1024).toFixed(0)} KiB); ${wasm}`;
  t.diagnostic(line);
  console.log(line);
  assert.ok(heapGrowth < 2 * MiB, `the JS heap grew ${fmt(heapGrowth)} over the second ${SEQUENTIAL / 2} calls`);
  if (res.memories) assert.ok(end.wasm - half.wasm <= 128 * 1024, `the wasm memory grew ${fmt(end.wasm - half.wasm)} over the second ${SEQUENTIAL / 2} calls`);
});
