#!/usr/bin/env bash
# Builds the npm package into pkg/: one cargo build of the wasm, one wasm-bindgen run per glue
# flavour (web ESM and nodejs CJS — their .wasm bytes are identical, checked below), wasm-opt,
# then scripts/pack.mjs assembles the entries and types and prints the size report.
set -euo pipefail
cd "$(dirname "$0")/.."

# Source paths end up in the wasm (panic locations that cannot be optimised away); remapping them
# keeps the file free of this machine's paths and the same on every machine.
remap="--remap-path-prefix=$PWD/="
for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do remap="$remap --remap-path-prefix=$d="; done
RUSTFLAGS="${RUSTFLAGS:-} $remap" cargo build --release --target wasm32-unknown-unknown --lib -p toky-wasm
raw=target/wasm32-unknown-unknown/release/toky_wasm.wasm
rm -rf build/glue && mkdir -p build/glue/web build/glue/node
wasm-bindgen "$raw" --out-dir build/glue/web --target web --no-typescript --omit-default-module-path
wasm-bindgen "$raw" --out-dir build/glue/node --target nodejs --no-typescript
cmp -s build/glue/web/toky_wasm_bg.wasm build/glue/node/toky_wasm_bg.wasm || {
  echo "wasm-bindgen emitted different .wasm bytes per target; one shared .wasm is not possible" >&2; exit 1; }
# -Oz (repeated while it still shrinks) for size; names and producers stripped here rather than
# by cargo (wasm-bindgen needs them). Measured on this module (gzip -9): --flatten --rereloop
# before -Oz −0.7 KB; --low-memory-unused −0.4 KB (it assumes addresses below 1024 are never
# used: true of Rust's wasm32 layout, where the 1 MiB stack sits below the data and grows down
# towards 0, so only an overflowing stack could reach them).
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"
node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz --converge --low-memory-unused $features --strip-debug --strip-producers \
  build/glue/web/toky_wasm_bg.wasm -o build/glue/toky_wasm_bg.wasm
# The record types of index.d.ts, generated from the Rust record structs.
cargo run --quiet --example typescript > build/records.d.ts
node scripts/pack.mjs
bash scripts/build-mock.sh
