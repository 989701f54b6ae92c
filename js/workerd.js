// Cloudflare Workers (workerd): Workers cannot compile wasm from bytes at run time, but they
// import a .wasm file as a compiled WebAssembly.Module; wrangler and workerd both do this. A
// server, so the server build (speed-optimised) and its glue.
import wasmModule from "./toky_wasm_server_bg.wasm";
import { initSync } from "./glue-server.js";
import * as glue from "./glue-server.js";
import { setWasm } from "./skin.js";

initSync({ module: wasmModule });
setWasm(glue);

export { Toky, TokyError, smsSegments, parseWebhookEvent } from "./skin.js";
