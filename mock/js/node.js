// Node (ESM) and Deno: the wasm bytes are read from beside this file and compiled synchronously,
// so `import { TokyMock } from "toky-mock"` needs no init call.
import { initSync } from "./glue.js";
import * as glue from "./glue.js";
import { setWasm } from "./core.js";

const { readFileSync } = globalThis.process?.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));

initSync({ module: readFileSync(new URL("./toky_mock_bg.wasm", import.meta.url)) });
setWasm(glue);

export { TokyMock, TokyMockError } from "./core.js";
