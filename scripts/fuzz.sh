#!/usr/bin/env bash
# Runs the libFuzzer targets in fuzz/ (cargo-fuzz) for FUZZ_SECONDS each, FUZZ_JOBS at a time, and
# prints executions, time and crashes per target. Exits non-zero if any target crashed (the input
# is in fuzz/artifacts/TARGET/; replay it with `cargo fuzz run -s none TARGET FILE`).
#   FUZZ_SECONDS  seconds per target (default 120)
#   FUZZ_JOBS     targets at a time (default 2)
#   FUZZ_RUNS     also stop a target after this many executions (default: no limit)
#   FUZZ_TARGETS  which targets (default: all five of fuzz/, or pipeline with FUZZ_DIR=mock)
#   FUZZ_DIR      the crate whose fuzz/ folder holds them: . (the client core, default) or mock
#                 (toky-mock's request pipeline; `make fuzz` only: its first build takes minutes)
#   FUZZ_WORK     where the corpus grown by the runs goes (default build/fuzz; the committed
#                 seeds in fuzz/corpus/TARGET are read, never written)
# Built with `-s none`: AddressSanitizer needs a nightly compiler, and the core is safe Rust, so
# what a run catches is panics (including overflow checks and debug assertions, which cargo-fuzz
# turns on) and failed invariants.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-120}
jobs=${FUZZ_JOBS:-2}
work=$(mkdir -p "${FUZZ_WORK:-build/fuzz}" && cd "${FUZZ_WORK:-build/fuzz}" && pwd)
case ${FUZZ_DIR:-.} in
  .) targets=${FUZZ_TARGETS:-decode webhook inputs segments containment} ;;
  mock) targets=${FUZZ_TARGETS:-pipeline}; cd mock ;;
  *) echo "FUZZ_DIR must be . or mock" >&2; exit 2 ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz (crates.io)"
  cargo install cargo-fuzz --locked --version 0.13.2
fi
start=$(date +%s)
cargo fuzz build -s none
echo "fuzz targets built in $(( $(date +%s) - start )) s"

run_one() {
  local t=$1 work=$2 secs=$3 runs=$4 len=
  # Longer inputs exercise nothing shorter ones do (a URL past 512 bytes, a text past 7 SMS
  # parts), and cost per execution: those two targets compare every character.
  case $t in containment) len=-max_len=512 ;; segments) len=-max_len=1024 ;; esac
  mkdir -p "$work/corpus/$t"
  # Stale artifacts would be reported as this run's crashes.
  rm -f fuzz/artifacts/"$t"/crash-* fuzz/artifacts/"$t"/leak-* fuzz/artifacts/"$t"/timeout-* fuzz/artifacts/"$t"/oom-*
  cargo fuzz run -s none "$t" "$work/corpus/$t" "$PWD/fuzz/corpus/$t" -- \
    -max_total_time="$secs" -dict="$PWD/fuzz/dict/$t.dict" -print_final_stats=1 ${runs:+-runs=$runs} $len >"$work/$t.log" 2>&1 || true
}
export -f run_one
printf '%s\n' $targets | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} "$work" "$secs" "${FUZZ_RUNS:-}"

failed=0
printf '\n%-12s %12s %8s %10s %8s %8s\n' target executions seconds execs/s corpus crashes
for t in $targets; do
  log="$work/$t.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  crashes=$(find fuzz/artifacts/"$t" -type f 2>/dev/null | wc -l)
  corpus=$(find "$work/corpus/$t" -type f | wc -l)
  printf '%-12s %12s %8s %10s %8s %8s\n' "$t" "${execs:-?}" "${took:-?}" "${rate:-?}" "$corpus" "$crashes"
  if [ "$crashes" != 0 ] || [ -z "$execs" ]; then
    failed=1
    echo "--- $t: $log" >&2
    grep -E -A4 'panicked|ERROR|SUMMARY' "$log" | head -40 >&2 || tail -20 "$log" >&2
    find fuzz/artifacts/"$t" -type f >&2 2>/dev/null || true
  fi
done
exit $failed
