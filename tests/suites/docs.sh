#!/usr/bin/env bash
# suite: documentation and readable errors: the API reference (TypeDoc, every export documented), the packed README's links and runnable examples, an uncaught TokyError in a child node
# 1. TypeDoc over the shipped declarations (pkg/index.d.ts, pkg/cli.d.ts) into build/docs, with
#    --validation.notDocumented and warnings as errors: an undocumented export, member or field
#    fails here; its JSON model (build/docs/api.json) is what tests/docs/reference.test.mjs reads.
#    Then the same over the toky-mock package's declarations (mock/pkg/index.d.ts).
# 2. The tarball as npm would publish it (npm pack pkg/), unpacked: tests/docs/readme.test.mjs
#    checks every relative link and anchor of its README resolves inside it, and runs the README
#    examples marked to run against toky-mock (TOKY_MOCK_URL, started here if not given);
#    tests/docs/errors.test.mjs has a child `node` (no flags) die of an uncaught TokyError from
#    the package and checks what it prints is short, readable lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'kill "${TOKY_MOCK_URL_PID:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT

node_modules/.bin/typedoc --tsconfig tsconfig.typedoc.json --json build/docs/api.json
# The same check over the toky-mock package's declarations (hand-written and generated from Rust).
node_modules/.bin/typedoc --tsconfig tsconfig.typedoc-mock.json --options typedoc.json --name toky-mock \
  --entryPoints mock/pkg/index.d.ts --out build/docs-mock

if [ -z "${TOKY_MOCK_URL:-}" ]; then
  cargo build --release --quiet -p toky-mock
  . tests/mock.sh
  start_mock TOKY_MOCK_URL --port 0 --seed 1
  export TOKY_MOCK_URL
fi

mkdir -p "$tmp/pack" "$tmp/package"
name=$(npm pack ./pkg --pack-destination "$tmp/pack" --json --loglevel=error |
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename)')
tar -xzf "$tmp/pack/$name" -C "$tmp/package" --strip-components=1
echo "packed $name: $(find "$tmp/package" -type f | wc -l) files"
TOKY_DOCS_PACKAGE="$tmp/package" TOKY_DOCS_API_JSON=build/docs/api.json node --test tests/docs/
