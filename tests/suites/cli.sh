#!/usr/bin/env bash
# suite: toky command line (every command, exports of 10,000 contacts, Ctrl-C, watch, exit codes, Deno, npx from the tarball)
# tests/cli/*.test.mjs with node:test, running pkg/cli.mjs against the suite's toky-mock
# ($TOKY_MOCK_URL, from tests/run.sh) and against a second toky-mock started here with 10,000
# contacts and a key of its own (127.0.0.1, port 0; stopped on exit). Needs pkg/ built
# (bash scripts/build.sh), `make setup`'s node_modules (Deno) and python3 (its csv module reads
# our CSV back; its pty module gives the command a terminal for the sms send question).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${TOKY_MOCK_URL:-}" ]; then
  echo "cli suite: TOKY_MOCK_URL is not set (run it through tests/run.sh, or start target/release/toky-mock --port 0)" >&2
  exit 1
fi
[ -f pkg/cli.mjs ] && [ -f pkg/toky_wasm_bg.wasm ] || { echo "pkg/ is not built: run bash scripts/build.sh" >&2; exit 1; }
command -v python3 >/dev/null || { echo "cli suite: python3 is needed (an independent CSV reader, and a pseudo-terminal)" >&2; exit 1; }
[ -x target/release/toky-mock ] || cargo build --release --quiet -p toky-mock

key="cli-test-key-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
. tests/mock.sh
trap 'kill $TOKY_MOCK_10K_URL_PID 2>/dev/null || true; wait $TOKY_MOCK_10K_URL_PID 2>/dev/null || true' EXIT
start_mock TOKY_MOCK_10K_URL --host 127.0.0.1 --port 0 --seed 2 --contacts 10000 --api-key "$key"
export TOKY_MOCK_10K_URL TOKY_MOCK_10K_KEY="$key"
echo "toky-mock with 10,000 contacts at $TOKY_MOCK_10K_URL"

node --test --test-concurrency=1 --test-reporter=spec tests/cli/
