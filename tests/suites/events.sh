#!/usr/bin/env bash
# suite: webhooks and watchers (Node, Deno, Chromium)
# The Rust unit tests of src/events.rs (webhook bodies, the hook-URL token), then
# tests/events/: parseWebhookEvent, idempotent subscribe, both runnable examples receiving real
# webhook POSTs from toky-mock (Node and Deno, from a temporary app with the packed tarball
# installed), and the polling watchers (bursts past a page, restart from a cursor, retries,
# abort) in Node and in headless Chromium. Needs pkg/ built and TOKY_MOCK_URL: a toky-mock
# serving --pkg pkg (tests/run.sh starts one).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${TOKY_MOCK_URL:-}" ]; then
  echo "events suite: TOKY_MOCK_URL is not set (run it through tests/run.sh, or start target/release/toky-mock --port 0 --pkg pkg)" >&2
  exit 1
fi
[ -f pkg/package.json ] && [ -f pkg/toky_wasm_bg.wasm ] || { echo "pkg/ is not built: run bash scripts/build.sh" >&2; exit 1; }
cargo test --quiet --lib -p toky-wasm events::
exec node --test --test-concurrency=1 --test-reporter=spec tests/events/
