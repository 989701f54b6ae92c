# workerd: a worker using the in-process toky-mock and the toky-wasm client, both from the
# installed tarballs, as named modules (what wrangler's bundler produces). toky-wasm is the bare
# name "toky-wasm" (its "./glue-server.js" etc. (the server build) resolve at the top); toky-mock's files live under
# "mock/", so its own "./glue.js" resolves to "mock/glue.js" and the two glues do not collide.
# Run: workerd serve config.capnp --socket-addr http=127.0.0.1:PORT
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .mockWorker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const mockWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "toky-wasm", esModule = embed "../node_modules/toky-wasm/workerd.js"),
    (name = "glue-server.js", esModule = embed "../node_modules/toky-wasm/glue-server.js"),
    (name = "skin.js", esModule = embed "../node_modules/toky-wasm/skin.js"),
    (name = "toky_wasm_server_bg.wasm", wasm = embed "../node_modules/toky-wasm/toky_wasm_server_bg.wasm"),
    (name = "mock/workerd.js", esModule = embed "../node_modules/toky-mock/workerd.js"),
    (name = "mock/glue.js", esModule = embed "../node_modules/toky-mock/glue.js"),
    (name = "mock/core.js", esModule = embed "../node_modules/toky-mock/core.js"),
    (name = "mock/toky_mock_bg.wasm", wasm = embed "../node_modules/toky-mock/toky_mock_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
