#!/usr/bin/env bash
# suite: fuzz smoke (cargo-fuzz: record decoding, webhooks, inputs, smsSegments, URL containment)
# Each libFuzzer target of fuzz/ replays its committed seed corpus (fuzz/corpus/TARGET) and then
# fuzzes for FUZZ_SECONDS (default 5) seconds. Installs cargo-fuzz only if it is missing. The long
# runs are `make fuzz` (FUZZ_SECONDS=120 per target by default).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
FUZZ_SECONDS=${FUZZ_SECONDS:-5} FUZZ_WORK="$work" bash scripts/fuzz.sh
