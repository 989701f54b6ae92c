// Memory while iterating a long contact list, in a process of its own (run with --expose-gc).
//   node --expose-gc bench/rss-child.mjs <mockUrl> <toky|toky_browser|fetch> [records=1000000] [every=10000]
// toky is the server build (what pkg/node.js loads), toky_browser the browser build.
// Samples process.memoryUsage() every `every` records (no forced GC: what a user's process would
// see), plus a forced-GC reading right after the first `every` records and at the end. Prints one
// JSON line. The mock's request journal is cleared every 100,000 records so the mock stays small.
const [url, who = "toky", total = "1000000", every = "10000"] = process.argv.slice(2);
const N = +total, EVERY = +every, MB = 1024 * 1024;
const base = url + "/v1";
const mem = () => {
  const m = process.memoryUsage();
  const wasm = wasmMemory ? wasmMemory.buffer.byteLength / MB : 0;
  return { rss: m.rss / MB, heapUsed: m.heapUsed / MB, heapTotal: m.heapTotal / MB, external: m.external / MB, arrayBuffers: m.arrayBuffers / MB, wasm };
};
const gcMem = () => {
  globalThis.gc?.();
  globalThis.gc?.();
  return mem();
};

let records, wasmMemory = null;
if (who == "toky" || who == "toky_browser") {
  // What pkg/node.js does, keeping initSync's return (the wasm exports) to read the size of the
  // wasm linear memory, which is part of RSS and never shrinks.
  const [glueFile, wasmFile] = who == "toky" ? ["glue-server.js", "toky_wasm_server_bg.wasm"] : ["glue.js", "toky_wasm_bg.wasm"];
  const { readFileSync } = await import("node:fs");
  const glue = await import(new URL("../pkg/" + glueFile, import.meta.url));
  const { setWasm, Toky } = await import(new URL("../pkg/skin.js", import.meta.url));
  // The export names are minified: find the memory by type.
  wasmMemory = Object.values(glue.initSync({ module: readFileSync(new URL("../pkg/" + wasmFile, import.meta.url)) })).find((v) => v instanceof WebAssembly.Memory) ?? null;
  setWasm(glue);
  const toky = new Toky({ apiKey: "demo-key", baseUrl: base });
  records = toky.contacts.iterate({ pageSize: 500, max: N });
} else {
  records = (async function* () {
    let next = base + "/contacts?limit=500", n = 0;
    while (next && n < N) {
      const page = await (await fetch(next, { headers: { "X-Toky-Key": "demo-key" } })).json();
      for (const c of page.results) {
        if (n++ >= N) return;
        yield c;
      }
      next = page.next;
    }
  })();
}

const before = mem();
const samples = [];
let n = 0, chars = 0, first = null, firstGc = null, peak = before.rss;
const t0 = performance.now();
for await (const c of records) {
  chars += c.phone.length; // touch every record
  n++;
  if (n % EVERY == 0) {
    const m = mem();
    peak = Math.max(peak, m.rss);
    samples.push({ records: n, ms: performance.now() - t0, ...m });
    if (n == EVERY) {
      first = m;
      firstGc = gcMem();
    }
  }
  if (n % 100000 == 0) await fetch(url + "/__mock/journal", { method: "DELETE" }).then((r) => r.arrayBuffer());
}
const secs = (performance.now() - t0) / 1000;
const last = mem();
const lastGc = gcMem();
const maxRssKb = process.resourceUsage().maxRSS;

// Least-squares slope of RSS over the samples from 10% of the run on, in MB per 100k records.
const tail = samples.filter((s) => s.records >= N / 10);
let slope = null;
if (tail.length > 2) {
  const mx = tail.reduce((a, s) => a + s.records, 0) / tail.length, my = tail.reduce((a, s) => a + s.rss, 0) / tail.length;
  let sxy = 0, sxx = 0;
  for (const s of tail) (sxy += (s.records - mx) * (s.rss - my)), (sxx += (s.records - mx) ** 2);
  slope = (sxy / sxx) * 100000;
}
console.log(
  JSON.stringify({
    who, records: n, seconds: secs, records_per_s: n / secs, checksum: chars,
    rss_start_mb: before.rss, rss_after_first_mb: first?.rss ?? null, rss_end_mb: last.rss,
    rss_growth_mb: first ? last.rss - first.rss : null,
    rss_peak_sampled_mb: peak, rss_peak_mb: maxRssKb / 1024,
    gc: { after_first: firstGc, end: lastGc, rss_growth_mb: firstGc ? lastGc.rss - firstGc.rss : null, heap_growth_mb: firstGc ? lastGc.heapUsed - firstGc.heapUsed : null },
    rss_slope_mb_per_100k: slope,
    rss_growth_second_half_mb: last.rss - (samples.find((s) => s.records >= N / 2)?.rss ?? NaN),
    wasm_memory_mb: { after_first: first?.wasm ?? null, end: last.wasm },
    samples: samples.map((s) => ({ records: s.records, rss_mb: +s.rss.toFixed(2), heap_mb: +s.heapUsed.toFixed(2), external_mb: +s.external.toFixed(2), wasm_mb: +s.wasm.toFixed(2) })),
  }),
);
