// Browsers and bundlers: the .wasm is fetched (bundlers emit it as an asset from this `new URL`)
// and compiled before the module finishes loading.
import init, * as glue from "./glue.js";
import { setWasm } from "./core.js";

await init({ module_or_path: new URL("./toky_mock_bg.wasm", import.meta.url) });
setWasm(glue);

export { TokyMock, TokyMockError } from "./core.js";
