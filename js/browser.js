// Browsers and bundlers (Vite, webpack, esbuild): the browser build's .wasm (size-optimised) is
// fetched (bundlers emit it as an asset from this `new URL`) and compiled with streaming before
// the module finishes loading.
// Service workers forbid top-level await: use "toky-wasm/inline" there.
import init, * as glue from "./glue.js";
import { setWasm } from "./skin.js";

await init({ module_or_path: new URL("./toky_wasm_bg.wasm", import.meta.url) });
setWasm(glue);

export { Toky, TokyError, smsSegments, parseWebhookEvent } from "./skin.js";
