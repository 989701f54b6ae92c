#!/usr/bin/env bash
# suite: consumers: packed tarball in Node ESM/CJS, Deno, Vite, plain page, workerd, MV3 extension; publint + attw
# Packs pkg/ exactly as `npm publish` would, lints the tarball (publint, attw), then installs it
# (offline, nothing else) into a temporary copy of each project in tests/consumers/ and makes real
# calls against toky-mock with a one-line import and no init call. One line per check; exits
# non-zero if any fails. Uses $TOKY_MOCK_URL (exported by tests/run.sh); when it is unset, starts
# its own toky-mock. Needs pkg/ built (bash scripts/build.sh) and `make setup`'s node_modules.
set -euo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
mock_pid=
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

[ -f pkg/package.json ] && [ -f pkg/toky_wasm_bg.wasm ] || { echo "pkg/ is not built: run bash scripts/build.sh" >&2; exit 1; }

if [ -z "${TOKY_MOCK_URL:-}" ]; then
  cargo build --release --quiet -p toky-mock
  target/release/toky-mock --port 0 --seed 1 >"$tmp/mock.log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 100); do grep -q 'http://' "$tmp/mock.log" && break; sleep 0.1; done
  TOKY_MOCK_URL=$(grep -o 'http://[0-9.:]*' "$tmp/mock.log" | head -1)
  [ -n "$TOKY_MOCK_URL" ] || { cat "$tmp/mock.log"; echo "toky-mock did not start" >&2; exit 1; }
  export TOKY_MOCK_URL
  echo "toky-mock at $TOKY_MOCK_URL"
fi

# The tarball is what users get: only pkg/'s "files", never the source tree.
mkdir -p "$tmp/pack"
name=$(npm pack ./pkg --pack-destination "$tmp/pack" --json --loglevel=error |
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename)')
tarball="$tmp/pack/$name"
echo "packed $name ($(wc -c <"$tarball") bytes)"

failed=0
check() { # check NAME COMMAND...: one line, and the command's output only when it fails
  local name=$1 t0=$EPOCHREALTIME out status=ok; shift
  out=$("$@" 2>&1) || { status=FAIL; failed=1; }
  printf '%-5s %-18s %5.1fs\n' "$status" "$name" "$(awk "BEGIN { print $EPOCHREALTIME - $t0 }")"
  [ "$status" = ok ] || printf '%s\n' "$out" | sed 's/^/      /'
}

# --strict: publint's warnings (e.g. types that disagree with the JS a condition resolves to) fail.
check publint node_modules/.bin/publint run --strict "$tarball"
# cjs-resolves-to-esm is ignored on purpose: "toky-wasm/inline" is ESM only (it is for service
# workers and bundlers; CommonJS code in Node gets node.cjs from "toky-wasm"). Every other rule,
# on every entry point and under node10, node16 (CJS and ESM) and bundler resolution, must pass.
check attw node_modules/.bin/attw "$tarball" --no-color --ignore-rules cjs-resolves-to-esm

node tests/consumers/run.mjs "$tarball" || failed=1
exit "$failed"
