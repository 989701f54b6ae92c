# Sourced by tests/run.sh and by the suites that start a toky-mock of their own.
#
# start_mock VAR ARGS...: starts `target/release/toky-mock ARGS` in the background (give it
# `--port 0`: it picks a free port on 127.0.0.1), waits for its "listening on" line — or for it
# to exit — and sets VAR to its URL and VAR_PID to its pid. Prints its log and exits on failure.
# The caller stops it (`kill "$VAR_PID"`), usually from an EXIT trap.
start_mock() {
  local var=$1 log pid url
  shift
  log=$(mktemp)
  target/release/toky-mock "$@" >"$log" 2>&1 &
  pid=$!
  printf -v "${var}_PID" %s "$pid"
  for _ in $(seq 100); do
    grep -q 'listening on http://' "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  url=$(sed -n 's|.*listening on \(http://[0-9.]*:[0-9]*\).*|\1|p' "$log" | head -1)
  if [ -z "$url" ]; then
    cat "$log"
    rm -f "$log"
    echo "toky-mock $* did not start" >&2
    exit 1
  fi
  rm -f "$log"
  printf -v "$var" %s "$url"
}
