# workerd config: the worker plus the installed package's files as named modules, which is what
# wrangler's bundler produces. The bare name "toky-wasm" is the module holding the package's
# "workerd" entry; its relative imports ("./glue-server.js", "./skin.js",
# "./toky_wasm_server_bg.wasm": the server build)
# resolve against that name to the modules below. The .wasm is a `wasm` module, so importing it
# yields a compiled WebAssembly.Module.
# Run: workerd serve config.capnp --socket-addr http=127.0.0.1:PORT
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .smokeWorker),
    # The default outbound network allows only public addresses; the mock is on 127.0.0.1.
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const smokeWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "toky-wasm", esModule = embed "node_modules/toky-wasm/workerd.js"),
    (name = "glue-server.js", esModule = embed "node_modules/toky-wasm/glue-server.js"),
    (name = "skin.js", esModule = embed "node_modules/toky-wasm/skin.js"),
    (name = "toky_wasm_server_bg.wasm", wasm = embed "node_modules/toky-wasm/toky_wasm_server_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "net",
);
