// Cold start, in a fresh process:
//   node bench/cold-child.mjs <toky|toky_browser|toky-phases|toky_browser-phases|axios|none>
// toky is pkg/node.js (the server build); toky_browser loads the browser build the same way.
// Times the dynamic import and the client's construction with performance.now() (whose origin
// is this process's start, so `ready_since_process_start_ms` includes Node's own boot).
// Prints one JSON line. Makes no request: "ready" means a client that can make its first call.
const who = process.argv[2] ?? "toky";
const t0 = performance.now();
let t1 = t0, t2 = t0;
if (who == "toky") {
  const { Toky } = await import(new URL("../pkg/node.js", import.meta.url));
  t1 = performance.now();
  const client = new Toky({ apiKey: "demo-key", baseUrl: "http://127.0.0.1:9/v1" });
  t2 = performance.now();
  if (!client.contacts) throw new Error("no client");
} else if (who == "toky_browser") {
  // What pkg/node.js does, with the browser build's glue and .wasm.
  const { readFileSync } = globalThis.process?.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));
  const glue = await import(new URL("../pkg/glue.js", import.meta.url));
  const { setWasm, Toky } = await import(new URL("../pkg/skin.js", import.meta.url));
  glue.initSync({ module: readFileSync(new URL("../pkg/toky_wasm_bg.wasm", import.meta.url)) });
  setWasm(glue);
  t1 = performance.now();
  const client = new Toky({ apiKey: "demo-key", baseUrl: "http://127.0.0.1:9/v1" });
  t2 = performance.now();
  if (!client.contacts) throw new Error("no client");
} else if (who == "toky-phases" || who == "toky_browser-phases") {
  // pkg/node.js step by step (with the server build, or the browser build's files), to see which
  // part of the import costs what.
  const [glueFile, wasmFile] = who == "toky-phases" ? ["glue-server.js", "toky_wasm_server_bg.wasm"] : ["glue.js", "toky_wasm_bg.wasm"];
  const p = {};
  let t = performance.now();
  const { readFileSync } = globalThis.process?.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));
  const glue = await import(new URL("../pkg/" + glueFile, import.meta.url));
  const { setWasm, Toky } = await import(new URL("../pkg/skin.js", import.meta.url));
  p.load_js_modules_ms = performance.now() - t;
  t = performance.now();
  const bytes = readFileSync(new URL("../pkg/" + wasmFile, import.meta.url));
  p.read_wasm_ms = performance.now() - t;
  t = performance.now();
  const module = new WebAssembly.Module(bytes);
  p.compile_wasm_ms = performance.now() - t;
  t = performance.now();
  glue.initSync({ module });
  setWasm(glue);
  p.instantiate_ms = performance.now() - t;
  t1 = performance.now();
  t = performance.now();
  new Toky({ apiKey: "demo-key", baseUrl: "http://127.0.0.1:9/v1" });
  p.first_construct_ms = performance.now() - t;
  t = performance.now();
  new Toky({ apiKey: "demo-key", baseUrl: "http://127.0.0.1:9/v1" });
  p.second_construct_ms = performance.now() - t;
  t2 = performance.now() - p.second_construct_ms;
  console.log(JSON.stringify({ who, phases: p, total_ms: t2 - t0 }));
  process.exit(0);
} else if (who == "axios") {
  const { default: axios } = await import("axios");
  t1 = performance.now();
  const client = axios.create({ baseURL: "http://127.0.0.1:9/v1", headers: { "X-Toky-Key": "demo-key" } });
  t2 = performance.now();
  if (!client.get) throw new Error("no client");
}
console.log(JSON.stringify({ who, import_ms: t1 - t0, init_ms: t2 - t1, total_ms: t2 - t0, ready_since_process_start_ms: t2 }));
