#!/usr/bin/env bash
# suite: reliability: fault matrix, hard deadline and abort, containment, secrets, load (Node, toky-mock)
# tests/reliability/: every operation × every toky-mock fault × clears/outlasts the retries; the
# whole-call deadline and aborts against fetches and bodies that never end; ids, phones, raw paths
# and next URLs in every traversal spelling, checked at the wire; the key in no error; 1,000
# concurrent calls under 503s and 20,000 sequential ones (memory). The fault matrix and the load
# test start toky-mocks of their own (target/release/toky-mock); the rest uses TOKY_MOCK_URL when
# tests/run.sh sets it. Needs pkg/ built.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f pkg/package.json ] && [ -f pkg/toky_wasm_bg.wasm ] || { echo "pkg/ is not built: run bash scripts/build.sh" >&2; exit 1; }
[ -x target/release/toky-mock ] || cargo build --release --quiet -p toky-mock
# The package by name, as a user's project would see it: node_modules/toky-wasm → pkg/.
mkdir -p tests/reliability/node_modules
ln -sfn ../../../pkg tests/reliability/node_modules/toky-wasm
exec node --test --test-concurrency=1 --test-reporter=spec tests/reliability/
