// Node (ESM) and Deno: the wasm bytes are read from beside this file and compiled synchronously,
// so `import { Toky } from "toky-wasm"` needs no init call.
import { readFileSync } from "node:fs";
import { initSync } from "./glue.js";
import * as glue from "./glue.js";
import { setWasm } from "./skin.js";

initSync({ module: readFileSync(new URL("./toky_wasm_bg.wasm", import.meta.url)) });
setWasm(glue);

export { Toky, TokyError, smsSegments, parseWebhookEvent } from "./skin.js";
