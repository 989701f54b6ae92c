// Cloudflare Workers (workerd): a .wasm file is imported as a compiled WebAssembly.Module.
import wasmModule from "./toky_mock_bg.wasm";
import { initSync } from "./glue.js";
import * as glue from "./glue.js";
import { setWasm } from "./core.js";

initSync({ module: wasmModule });
setWasm(glue);

export { TokyMock, TokyMockError } from "./core.js";
