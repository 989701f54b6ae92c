#!/usr/bin/env bash
# Installs what a fresh machine lacks, following shared/toolchain.md. Idempotent: every step
# checks first, so a second run takes seconds. Only package registries are reachable here.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

# 1. The wasm32 target for the client crate.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI + test runner, at exactly the version of the wasm-bindgen crate we build
#    with (Cargo.lock). No --locked: its lockfile names crates newer than the registry.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || { echo "could not read the wasm-bindgen version from Cargo.lock" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $want (about 2 minutes, once)"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# 3. Chromium and its driver, from Debian (never a browser download).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver from Debian"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 4. JS tooling (wasm-opt, Deno, workerd, Playwright's driver, tsc, publint, attw, axios for the
#    benchmark), pinned by package-lock.json. Reinstalled only when the lockfile changed.
if [ ! -f node_modules/.setup-stamp ] || [ package-lock.json -nt node_modules/.setup-stamp ]; then
  say "installing npm dev tools"
  # `npm install` honours the locked versions. package-lock.json is committed exactly as this npm
  # writes it (with every platform's optional packages), so a fresh clone's install leaves it
  # unchanged and `git status` clean.
  npm install --no-audit --no-fund --loglevel=error
  touch node_modules/.setup-stamp
fi

# 5. Python tools of the test suites (tests/requirements.txt: schemathesis and the OpenAPI
#    validator; httpbin + gunicorn, the reference server) in a virtualenv under the ignored
#    build/, from PyPI. Reinstalled only when that file changed (a copy of it is the stamp).
venv=build/venv
if ! cmp -s tests/requirements.txt "$venv/requirements.stamp" 2>/dev/null; then
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    say "installing python3-venv from Debian"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
  fi
  say "installing the Python test tools into $venv (tests/requirements.txt)"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/requirements.txt
  cp tests/requirements.txt "$venv/requirements.stamp"
fi

say "toolchain ready: $(rustc --version | cut -d' ' -f1-2), wasm-bindgen $want, $(chromium --version 2>/dev/null | cut -d' ' -f1-2), node $(node --version)"
