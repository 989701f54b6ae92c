#!/usr/bin/env bash
# `make test`: every suite, in the order a failure is cheapest to find. One toky-mock (port 0,
# seeded) serves the wasm, Node, Deno, Workers and browser suites; it is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-}"

passed=0; failed=0; failures=()
step() { printf '\n\033[1m=== %s\033[0m\n' "$*"; }
suite() { # suite NAME COMMAND...
  local name=$1; shift
  step "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

suite "cargo test: core and toky-mock" cargo test --workspace --quiet
suite "size budget" node scripts/pack.mjs --check

step "starting toky-mock"
cargo build --release --quiet -p toky-mock
. tests/mock.sh
trap 'kill $TOKY_MOCK_URL_PID 2>/dev/null || true; wait $TOKY_MOCK_URL_PID 2>/dev/null || true' EXIT
start_mock TOKY_MOCK_URL --port 0 --seed 1 --www www --pkg pkg
export TOKY_MOCK_URL
echo "toky-mock at $TOKY_MOCK_URL"

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/tests/webdriver.json"
export WASM_BINDGEN_TEST_TIMEOUT=120
wasm_tests() { cargo test --target wasm32-unknown-unknown --test wasm "$@"; }
suite "wasm-bindgen-test in Node" wasm_tests
suite "wasm-bindgen-test in headless Chromium (cross-origin, CORS)" env WASM_BINDGEN_USE_BROWSER=1 bash -c "$(declare -f wasm_tests); wasm_tests"
suite "wasm-bindgen-test in a Chromium service worker (the MV3 background path)" env WASM_BINDGEN_USE_SERVICE_WORKER=1 bash -c "$(declare -f wasm_tests); wasm_tests"

# Each suite starts from the seeded state, without faults a previous suite left behind.
reset_mock() { node -e 'fetch(process.argv[1] + "/__mock/reset", { method: "POST" }).then((r) => process.exit(r.ok ? 0 : 1))' "$TOKY_MOCK_URL"; }
for extra in tests/suites/*.sh; do
  [ -e "$extra" ] || continue
  reset_mock
  suite "$(sed -n 's/^# suite: //p' "$extra")" bash "$extra"
done

printf '\n\033[1m=== summary\033[0m\n'
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
