// Only `vite` (the dev server) needs this line; `vite build` works without any config.
// The dev server pre-bundles dependencies into node_modules/.vite/deps and does not carry along
// files they reference with new URL("./x.wasm", import.meta.url), so the pre-bundled copy of
// toky-wasm would fetch a .wasm that is not there (vitejs/vite#8427, open). Excluding the package
// from pre-bundling serves it from node_modules as is, .wasm beside it.
export default {
  optimizeDeps: { exclude: ["toky-wasm"] },
};
