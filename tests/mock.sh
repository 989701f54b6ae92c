# Sourced by tests/run.sh and by the suites that start a toky-mock of their own.
#
# start_mock VAR ARGS...: starts `target/release/toky-mock ARGS` in the background (give it
# `--port 0`: it picks a free port on 127.0.0.1), waits for its "listening on" line — or for it
# to exit — and sets VAR to its URL and VAR_PID to its pid. Prints its log and exits on failure.
# The caller stops it (`kill "$VAR_PID"`), usually from an EXIT trap.
start_mock() {
  # Locals are prefixed so that no caller's VAR name is shadowed by one of them.
  local _sm_var=$1 _sm_log _sm_pid _sm_url
  shift
  _sm_log=$(mktemp)
  target/release/toky-mock "$@" >"$_sm_log" 2>&1 &
  _sm_pid=$!
  printf -v "${_sm_var}_PID" %s "$_sm_pid"
  for _ in $(seq 100); do
    grep -q 'listening on http://' "$_sm_log" && break
    kill -0 "$_sm_pid" 2>/dev/null || break
    sleep 0.1
  done
  _sm_url=$(sed -n 's|.*listening on \(http://[0-9.]*:[0-9]*\).*|\1|p' "$_sm_log" | head -1)
  if [ -z "$_sm_url" ]; then
    cat "$_sm_log"
    rm -f "$_sm_log"
    echo "toky-mock $* did not start" >&2
    exit 1
  fi
  rm -f "$_sm_log"
  printf -v "$_sm_var" %s "$_sm_url"
}
