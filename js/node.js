// Node (ESM), Deno and the CLI: the server build's wasm bytes (speed-optimised) are read from
// beside this file and compiled synchronously, so `import { Toky } from "toky-wasm"` needs no init
// call.
import { initSync } from "./glue-server.js";
import * as glue from "./glue-server.js";
import { setWasm } from "./skin.js";

// `node:fs` through process.getBuiltinModule (Node >= 20.16, Deno) rather than an ES import, which
// cost ~3 ms more of a cold start on Node 20 (docs/benchmark.md); older Node imports it.
const { readFileSync } = globalThis.process?.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));

initSync({ module: readFileSync(new URL("./toky_wasm_server_bg.wasm", import.meta.url)) });
setWasm(glue);

export { Toky, TokyError, smsSegments, parseWebhookEvent } from "./skin.js";
