#!/usr/bin/env bash
# suite: toky-mock npm package: packed tarball beside toky-wasm's (publint, attw, tsc over both packages' types), in-process TokyMock (fetch, faults, deliver, close, options), its generated types, parity with the native server, README example, npx toky-mock, Deno, workerd, Chromium (a page with no bundler)
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
# Lint the tarball as published: --strict fails on publint's warnings too; attw checks the
# types every entry resolves to under node10, node16 (CJS and ESM) and bundler resolution.
mock_tgz=$(ls "$tmp"/toky-mock-*.tgz)
node_modules/.bin/publint run --strict "$mock_tgz"
node_modules/.bin/attw "$mock_tgz" --no-color
cd "$tmp"
printf '{"name":"toky-mock-consumer","private":true,"type":"module"}\n' > package.json
npm install --silent --offline --no-audit --no-fund ./toky-wasm-*.tgz ./toky-mock-*.tgz
cp "$root"/tests/mock-pkg/*.test.mjs .
cp -r "$root"/tests/mock-pkg/deno "$root"/tests/mock-pkg/workerd "$root"/tests/mock-pkg/browser "$root"/tests/mock-pkg/types .
# A typed example using both packages, checked against the installed tarballs' .d.ts files.
"$root"/node_modules/.bin/tsc -p types/tsconfig.json
echo "tsc --strict: types/example.ts type-checks against toky-mock and toky-wasm"
export DENO_BIN="$root/node_modules/.bin/deno" WORKERD_BIN="$root/node_modules/.bin/workerd" PLAYWRIGHT_CORE="$root/node_modules/playwright-core" TYPESCRIPT_DIR="$root/node_modules/typescript" TOKY_TEST_LIB="$root/tests/lib"
node --test --test-concurrency=1 ./*.test.mjs
