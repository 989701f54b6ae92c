#!/usr/bin/env bash
# Writes the demo page as a static site that any file server can serve, with no API behind it:
# www's page (marked to start on the in-browser backend), the toky-wasm package at pkg/ and the
# toky-mock package at mock-pkg/ (its in-browser fake). `make demo-static` runs it after
# `make build`; tests/demo/static.test.mjs runs it into a temporary directory.
#   bash scripts/demo-static.sh [OUT]   (default build/demo-static)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/demo-static}
for f in pkg/browser.js pkg/toky_wasm_bg.wasm mock/pkg/browser.js mock/pkg/toky_mock_bg.wasm; do
  [ -f "$f" ] || { echo "demo-static: $f is missing: run make build first" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out/pkg" "$out/mock-pkg"
# No API at a static site's origin: the page starts on the in-browser fake (its switch still
# offers the server backend, e.g. when the same files sit behind toky-mock --www).
sed 's|^<html lang="en">$|<html lang="en" data-default-backend="in-browser">|' www/index.html > "$out/index.html"
grep -q 'data-default-backend="in-browser"' "$out/index.html" || { echo "demo-static: www/index.html has no <html lang=\"en\"> line to mark" >&2; exit 1; }
cp www/app.js www/style.css "$out/"
# What each package's browser entry loads (browser.js, its glue and core, the browser .wasm),
# and the licence.
cp pkg/browser.js pkg/glue.js pkg/skin.js pkg/toky_wasm_bg.wasm pkg/LICENSE "$out/pkg/"
cp mock/pkg/browser.js mock/pkg/glue.js mock/pkg/core.js mock/pkg/toky_mock_bg.wasm mock/pkg/LICENSE "$out/mock-pkg/"
echo "demo-static: $out (serve it with any static file server, e.g. python3 -m http.server -d $out)"
