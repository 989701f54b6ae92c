#!/usr/bin/env bash
# suite: httpbin (PyPI, gunicorn) as a reference server for the raw request()
# Starts httpbin under gunicorn from build/venv (scripts/setup.sh installs it from
# tests/requirements.txt) on 127.0.0.1, port 0, waits until it answers, runs tests/httpbin/ with
# HTTPBIN_URL set, and stops it. Needs pkg/ built.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x build/venv/bin/gunicorn ] || { echo "build/venv has no gunicorn: run bash scripts/setup.sh" >&2; exit 1; }
[ -f pkg/package.json ] && [ -f pkg/toky_wasm_bg.wasm ] || { echo "pkg/ is not built: run bash scripts/build.sh" >&2; exit 1; }

log=$(mktemp)
# gthread: /delay and /drip hold a thread each while other requests go on.
build/venv/bin/gunicorn --bind 127.0.0.1:0 --worker-class gthread --workers 1 --threads 32 \
  --graceful-timeout 2 httpbin:app >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"; }
trap cleanup EXIT
HTTPBIN_URL=
for _ in $(seq 300); do
  HTTPBIN_URL=$(sed -n 's|.*Listening at: \(http://127\.0\.0\.1:[0-9]*\).*|\1|p' "$log" | head -1)
  [ -n "$HTTPBIN_URL" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
[ -n "$HTTPBIN_URL" ] || { cat "$log"; echo "gunicorn did not start" >&2; exit 1; }
# Listening is not serving yet: wait until httpbin answers.
node -e '
  const end = Date.now() + 15000;
  (async function poll() {
    try { if ((await fetch(process.argv[1] + "/get")).ok) return; } catch {}
    if (Date.now() > end) { console.error("httpbin did not answer within 15 s"); process.exit(1); }
    setTimeout(poll, 50);
  })();' "$HTTPBIN_URL" || { cat "$log"; exit 1; }
echo "httpbin at $HTTPBIN_URL (gunicorn $(build/venv/bin/gunicorn --version | awk '{print $NF}' | tr -d ')'))"
export HTTPBIN_URL

# The package by name, as a user's project would see it: node_modules/toky-wasm → pkg/.
mkdir -p tests/httpbin/node_modules
ln -sfn ../../../pkg tests/httpbin/node_modules/toky-wasm
node --test --test-reporter=spec tests/httpbin/
