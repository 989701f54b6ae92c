#!/usr/bin/env bash
# Builds the npm package `toky-mock` into mock/pkg/: the toky-mock library as a wasm32 cdylib
# (`cargo rustc --crate-type cdylib`, so native builds of the crate link no cdylib), one
# wasm-bindgen run per glue flavour (web ESM, nodejs CJS; same .wasm bytes), wasm-opt, then
# scripts/pack-mock.mjs copies the entries and writes the CommonJS core. The client package
# (pkg/) is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

remap="--remap-path-prefix=$PWD/="
for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do remap="$remap --remap-path-prefix=$d="; done
RUSTFLAGS="${RUSTFLAGS:-} $remap" cargo rustc --quiet --release --target wasm32-unknown-unknown --lib -p toky-mock --crate-type cdylib
raw=target/wasm32-unknown-unknown/release/toky_mock.wasm
out=build/mock
mkdir -p "$out"
# wasm-bindgen and wasm-opt take ~30 s: skipped when the cargo output has not changed.
if ! cmp -s "$raw" "$out/input.wasm" || [ ! -s "$out/toky_mock_bg.wasm" ]; then
  rm -rf "$out/web" "$out/node" && mkdir -p "$out/web" "$out/node"
  wasm-bindgen "$raw" --out-dir "$out/web" --target web --no-typescript --omit-default-module-path
  wasm-bindgen "$raw" --out-dir "$out/node" --target nodejs --no-typescript
  cmp -s "$out/web/toky_mock_bg.wasm" "$out/node/toky_mock_bg.wasm" || {
    echo "wasm-bindgen emitted different .wasm bytes per target; one shared .wasm is not possible" >&2; exit 1; }
  features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"
  # The client's chain (scripts/build.sh): here 1.5 KB gzip smaller than a plain -Oz.
  node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz --converge --low-memory-unused $features --strip-debug --strip-producers \
    "$out/web/toky_mock_bg.wasm" -o "$out/toky_mock_bg.wasm"
  cp "$raw" "$out/input.wasm"
fi
# The control API's TypeScript types, generated from their Rust types (native build of the crate,
# which `make test` and `make demo` build anyway).
cargo run --quiet --release -p toky-mock --example typescript > "$out/control.d.ts"
node scripts/pack-mock.mjs
