#!/usr/bin/env bash
# suite: toky-mock npm package: packed tarball beside toky-wasm's, in-process TokyMock (fetch, faults, deliver, close, options), its generated types, README example, npx toky-mock, Deno, workerd
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
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
export DENO_BIN="$root/node_modules/.bin/deno" WORKERD_BIN="$root/node_modules/.bin/workerd" TYPESCRIPT_DIR="$root/node_modules/typescript"
node --test --test-concurrency=1 ./*.test.mjs
