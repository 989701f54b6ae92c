#!/usr/bin/env bash
# suite: demo page in headless Chromium (Playwright), against toky-mock and as a static site on the in-browser mock
# Needs TOKY_MOCK_URL: a toky-mock serving --www www --pkg pkg (tests/run.sh starts one).
# tests/demo/static.test.mjs needs none: it builds the static site (scripts/demo-static.sh),
# serves it itself, and starts its own target/release/toky-mock --mock-pkg for the last check.
# UPDATE_SCREENSHOT=1 also refreshes www/screenshot.png.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${TOKY_MOCK_URL:-}" ]; then
  echo "demo suite: TOKY_MOCK_URL is not set (run it through tests/run.sh, or start target/release/toky-mock --port 0 --www www --pkg pkg)" >&2
  exit 1
fi
exec node --test --test-reporter=spec tests/demo/
