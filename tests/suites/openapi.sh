#!/usr/bin/env bash
# suite: OpenAPI document (mock/openapi.yaml): validated, served at /openapi.json, schemathesis against toky-mock
# 1. openapi-spec-validator on the committed mock/openapi.yaml.
# 2. A toky-mock of its own (127.0.0.1, port 0, seed 1, --loopback-webhooks, so the webhooks
#    schemathesis registers can only ever deliver to loopback), stopped on exit.
# 3. tests/openapi/check.py: the served /openapi.json is the committed document, valid 3.1,
#    covers every operation and webhook event, tags everything with x-toky-source, and its
#    filter patterns agree with the mock's parser.
# 4. schemathesis with all its default checks, a fixed seed and example count
#    (ST_EXAMPLES, default 20), with the key; tests/openapi/hooks.py keeps generated
#    hook URLs on loopback.
# 5. Every webhook the run registered, and every delivery attempted, targets loopback.
# Needs build/venv (make setup); builds target/release/toky-mock if tests/run.sh has not.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=build/venv
[ -x "$venv/bin/st" ] && [ -x "$venv/bin/openapi-spec-validator" ] || {
  echo "openapi suite: $venv is missing schemathesis; run make setup (scripts/setup.sh)" >&2
  exit 1
}
bin=target/release/toky-mock
[ -x "$bin" ] || cargo build --release --quiet -p toky-mock
key=openapi-suite-key

"$venv/bin/openapi-spec-validator" mock/openapi.yaml

work=$(mktemp -d) # schemathesis writes a .schemathesis/ cache into its working directory
. tests/mock.sh
trap 'kill $url_PID 2>/dev/null || true; wait $url_PID 2>/dev/null || true; rm -rf "$work"' EXIT
start_mock url --port 0 --seed 1 --api-key "$key" --loopback-webhooks
echo "own toky-mock at $url (--loopback-webhooks)"

PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" tests/openapi/check.py "$url" "$key"

# --generation-database none: no example database on disk, so runs are repeatable.
root=$PWD
(cd "$work" && PYTHONPATH="$root/tests/openapi" PYTHONDONTWRITEBYTECODE=1 SCHEMATHESIS_HOOKS=hooks \
  "$root/$venv/bin/st" run "$url/openapi.json" \
  --header "X-Toky-Key: $key" --seed 1 --max-examples "${ST_EXAMPLES:-20}" \
  --generation-database none --no-color --request-timeout 10 --workers 1)

"$venv/bin/python" - "$url" <<'PY'
import json, sys, urllib.request
from urllib.parse import urlsplit
from ipaddress import ip_address

url = sys.argv[1]
def loopback(u):
    host = urlsplit(u).hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False

deliveries = json.load(urllib.request.urlopen(f"{url}/__mock/deliveries", timeout=10))
journal = json.load(urllib.request.urlopen(f"{url}/__mock/journal", timeout=10))
hooks = [json.loads(e["body"])["hook_url"] for e in journal
         if e["method"] == "POST" and e["path"] == "/v1/webhooks" and e["status"] == 201]
bad = [u for u in hooks + [d["hook_url"] for d in deliveries] if not loopback(u)]
print(f"webhooks registered: {len(hooks)}, deliveries: {len(deliveries)}, non-loopback targets: {len(bad)}")
if not hooks or bad:
    sys.exit(f"expected some webhooks, all on loopback: {bad[:5]}")
PY
