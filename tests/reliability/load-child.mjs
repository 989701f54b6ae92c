// Run by load.test.mjs as `node --expose-gc load-child.mjs MOCK_URL N`: N sequential calls (a mix
// of lists, a get, a raw call and a not_found every tenth call), sampling the JS heap (after a
// full GC) and the wasm linear memory every N/20 calls. Prints one JSON line.
// The wasm instance's memory, caught as the package instantiates it (it is not exported).
const memories = [];
const keep = (i) => i?.exports?.memory instanceof WebAssembly.Memory && memories.push(i.exports.memory);
WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
  construct(T, args, nt) {
    const i = Reflect.construct(T, args, nt);
    keep(i);
    return i;
  },
});
for (const name of ["instantiate", "instantiateStreaming"]) {
  const orig = WebAssembly[name];
  if (orig) WebAssembly[name] = async (...a) => {
    const r = await orig.apply(WebAssembly, a);
    keep(r.instance ?? r);
    return r;
  };
}

const { Toky } = await import("toky-wasm"); // tests/reliability/node_modules/toky-wasm → pkg/
const [base, n = "20000"] = process.argv.slice(2);
const N = Number(n);
const toky = new Toky({ apiKey: "demo-key", baseUrl: base + "/v1", maxRetries: 0 });
const { results: [contact] } = await toky.contacts.list({ limit: 1 });

const samples = [];
const sample = (i) => {
  globalThis.gc();
  samples.push({ calls: i, heap: process.memoryUsage().heapUsed, wasm: memories.length ? memories.reduce((s, m) => s + m.buffer.byteLength, 0) : null });
};
let ok = 0, notFound = 0, other = 0;
const t0 = performance.now();
sample(0);
for (let i = 1; i <= N; i++) {
  try {
    switch (i % 10) {
      case 0: await toky.contacts.get("+19990000000"); break;
      case 1: case 4: case 7: await toky.contacts.get(contact.phone); break;
      case 2: case 5: await toky.agents.list(); break;
      case 3: case 8: await toky.sms.list({ limit: 5 }); break;
      default: await toky.request({ path: "/webhooks" });
    }
    ok++;
  } catch (e) {
    if (e?.kind === "not_found") notFound++;
    else {
      other++;
      if (other < 5) console.error(e);
    }
  }
  if (i % (N / 20) === 0) sample(i);
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ ok, notFound, other, seconds, memories: memories.length, samples }) + "\n");
