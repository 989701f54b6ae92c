#!/usr/bin/env bash
# suite: toky-mock npm package: packed tarball beside toky-wasm's, in-process TokyMock (fetch, faults, deliver, close, options), parity with the native server, README example, npx toky-mock, Deno, workerd
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
# parity.test.mjs runs the same script against the native server (tests/run.sh has built it).
[ -x target/release/toky-mock ] || cargo build --release --quiet -p toky-mock
export TOKY_MOCK_BIN="$root/target/release/toky-mock"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Both packages packed as they would be published, installed by file as a user's project would.
npm pack --silent ./pkg --pack-destination "$tmp" >/dev/null
npm pack --silent ./mock/pkg --pack-destination "$tmp" >/dev/null
cd "$tmp"
printf '{"name":"toky-mock-consumer","private":true,"type":"module"}\n' > package.json
npm install --silent --offline --no-audit --no-fund ./toky-wasm-*.tgz ./toky-mock-*.tgz
cp "$root"/tests/mock-pkg/*.test.mjs .
cp -r "$root"/tests/mock-pkg/deno "$root"/tests/mock-pkg/workerd .
export DENO_BIN="$root/node_modules/.bin/deno" WORKERD_BIN="$root/node_modules/.bin/workerd"
node --test --test-concurrency=1 ./*.test.mjs
