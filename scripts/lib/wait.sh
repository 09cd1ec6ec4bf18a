# shellcheck shell=bash
# Small helpers shared by scripts/*.sh: logging, port probes, polling with a
# deadline, and pid-file bookkeeping. Source it; it defines functions only.

log()  { printf '[engines] %s\n' "$*" >&2; }
warn() { printf '[engines] WARN: %s\n' "$*" >&2; }
die()  { printf '[engines] ERROR: %s\n' "$*" >&2; exit 1; }

# port_open HOST PORT -> 0 if something accepts a TCP connection.
# Uses bash's /dev/tcp so no nc/ss is needed; `timeout` bounds a hung connect.
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# wait_until DEADLINE_EPOCH CMD... -> polls CMD every 0.5 s until it succeeds
# (0) or the deadline passes (1).
wait_until() {
  local deadline=$1; shift
  while :; do
    if "$@"; then return 0; fi
    if (( $(date +%s) >= deadline )); then return 1; fi
    sleep 0.5
  done
}

# pid_alive PIDFILE MARKER -> 0 if the pid file names a live process whose
# command line contains MARKER. The marker check protects against a stale pid
# file whose pid was reused by an unrelated process after a reboot/crash: we
# must never signal a process we did not start.
pid_alive() {
  local pidfile=$1 marker=$2 pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # No grep -q: an early exit would SIGPIPE tr and fail the pipe under pipefail.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -F -- "$marker" >/dev/null
}

# stop_pid PIDFILE MARKER NAME [GRACE_SECONDS]: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local pidfile=$1 marker=$2 name=$3 grace=${4:-20} pid i
  if ! pid_alive "$pidfile" "$marker"; then
    [[ -e $pidfile ]] && { log "$name: not running (removing stale pid file)"; rm -f "$pidfile"; }
    return 0
  fi
  pid=$(<"$pidfile")
  log "$name: stopping pid $pid (SIGTERM, up to ${grace}s)"
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < grace * 2; i++ )); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name: still alive after ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$pidfile"
  log "$name: stopped"
}
