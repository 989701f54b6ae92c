#!/usr/bin/env bash
# suite: node:test scenario through the package by name, and tsc --strict over the types
set -euo pipefail
cd "$(dirname "$0")/../.."
# The package by name, as a user's project would see it: node_modules/toky-wasm → pkg/.
for d in tests/node tests/types; do
  mkdir -p "$d/node_modules"
  ln -sfn ../../../pkg "$d/node_modules/toky-wasm"
done
node_modules/.bin/tsc -p tests/types/tsconfig.json
echo "tsc --strict: example.ts type-checks, every @ts-expect-error is an error"
# One file at a time: scenario.test.mjs resets the shared toky-mock, which must not happen in the
# middle of another file.
node --test --test-concurrency=1 tests/node/
