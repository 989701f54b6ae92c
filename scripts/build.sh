#!/usr/bin/env bash
# Builds the npm package into pkg/: two cargo builds of the wasm (size and speed, below), one
# wasm-bindgen run per build and glue flavour (web ESM and nodejs CJS — their .wasm bytes are
# identical, checked below), wasm-opt, then scripts/pack.mjs assembles the entries and types and
# prints the size report.
set -euo pipefail
cd "$(dirname "$0")/.."

# Source paths end up in the wasm (panic locations that cannot be optimised away); remapping them
# keeps the file free of this machine's paths and the same on every machine.
remap="--remap-path-prefix=$PWD/="
for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do remap="$remap --remap-path-prefix=$d="; done
# Two builds of one source: `release` (opt-level z, then wasm-opt -Oz) for browsers and the inline
# entry, where every byte is downloaded; `speed` (opt-level 3, then wasm-opt -O3) for the server
# entries (node.js, node.cjs, workerd.js, Deno, the CLI), where CPU per page matters more than
# bytes. Each gets its own wasm-bindgen glue: the two modules' export names differ (closure shims).
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"
rm -rf build/glue build/glue-server
# glue PROFILE DIR NAME [CARGO ARGS]: cargo build of PROFILE, then wasm-bindgen's web (ESM) and nodejs (CJS) glue
# into DIR/web and DIR/node, named NAME.js beside NAME_bg.wasm (the nodejs glue reads that file).
glue() {
  local profile=$1 dir=$2 name=$3
  shift 3
  RUSTFLAGS="${RUSTFLAGS:-} $remap" cargo build --profile "$profile" --target wasm32-unknown-unknown --lib -p toky-wasm "$@"
  local raw=target/wasm32-unknown-unknown/$profile/toky_wasm.wasm
  mkdir -p "$dir/web" "$dir/node"
  wasm-bindgen "$raw" --out-dir "$dir/web" --out-name "$name" --target web --no-typescript --omit-default-module-path
  wasm-bindgen "$raw" --out-dir "$dir/node" --out-name "$name" --target nodejs --no-typescript
  cmp -s "$dir/web/${name}_bg.wasm" "$dir/node/${name}_bg.wasm" || {
    echo "wasm-bindgen emitted different .wasm bytes per target; one shared .wasm is not possible" >&2; exit 1; }
}
glue release build/glue toky_wasm
# -Oz (repeated while it still shrinks) for size; names and producers stripped here rather than
# by cargo (wasm-bindgen needs them). Measured on this module (gzip -9): --flatten --rereloop
# before -Oz −0.7 KB; --low-memory-unused −0.4 KB (it assumes addresses below 1024 are never
# used: true of Rust's wasm32 layout, where the 1 MiB stack sits below the data and grows down
# towards 0, so only an overflowing stack could reach them).
node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz --converge --low-memory-unused $features --strip-debug --strip-producers \
  build/glue/web/toky_wasm_bg.wasm -o build/glue/toky_wasm_bg.wasm
# The server build parses pages once (src/once.rs, feature `once`).
glue speed build/glue-server toky_wasm_server --features once
node_modules/.bin/wasm-opt -O3 --low-memory-unused $features --strip-debug --strip-producers \
  build/glue-server/web/toky_wasm_server_bg.wasm -o build/glue-server/toky_wasm_server_bg.wasm
# The record types of index.d.ts, generated from the Rust record structs.
cargo run --quiet --example typescript > build/records.d.ts
node scripts/pack.mjs
bash scripts/build-mock.sh
