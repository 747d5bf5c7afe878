# shellcheck shell=bash
# What the benchmark scripts share: logging, temp dir and child processes stopped on exit, free ports, waiting,
# starting JVMs and nginx, CPU ticks from /proc. Sourced, not run:
#
#   BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
#   LOG_PREFIX=bench   # log lines read "[bench 12:00:00] ..."
#   source "$BENCH_DIR/lib.sh"
#
# It defines functions and a few variables (REPO_DIR, DEFAULT_LAUNCHER_JAR, DEFAULT_TESTS_JAR, TMP, CHILD_PIDS,
# TAKEN_PORTS) and runs nothing: a script installs the exit trap itself (install_cleanup). Bash only, under the
# scripts' set -euo pipefail.

: "${BENCH_DIR:?set BENCH_DIR before sourcing bench/lib.sh}" "${LOG_PREFIX:?set LOG_PREFIX before sourcing bench/lib.sh}"

REPO_DIR=$(dirname "$BENCH_DIR")
DEFAULT_LAUNCHER_JAR="$REPO_DIR/launcher/target/luthien-vertx.jar"
DEFAULT_TESTS_JAR="$REPO_DIR/gateway-verticle/target/gateway-verticle-0.1.0-SNAPSHOT-tests.jar"

TMP=""           # the run's temp dir (make_tmp): logs, data dirs, copied jars; removed on exit unless kept
CHILD_PIDS=()    # every long-running process the script started, stopped on exit (newest first)
TAKEN_PORTS=" "  # ports free_port has handed out in this run, space-separated

# log <words...>: one line on stderr, "[<LOG_PREFIX> <time>] <words>".
log() { printf '[%s %s] %s\n' "$LOG_PREFIX" "$(date +%H:%M:%S)" "$*" >&2; }

# die <words...>: logs "ERROR: <words>" and exits 1 (through cleanup, if installed).
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------
# Temp dir and child processes

# make_tmp <name>: sets TMP to a new temp dir, $TMPDIR/luthien-<name>.XXXXXX.
make_tmp() { TMP=$(mktemp -d "${TMPDIR:-/tmp}/luthien-$1.XXXXXX"); }

# copy_jars <launcher jar> <tests jar>: copies them to $TMP/luthien-vertx.jar and $TMP/gateway-tests.jar, so a
# rebuild in the repo during the run cannot swap classes under a running JVM.
copy_jars() {
  cp "$1" "$TMP/luthien-vertx.jar"
  cp "$2" "$TMP/gateway-tests.jar"
}

# stop_children: TERMs every CHILD_PIDS process, newest first, waits up to 10 s for all, then KILLs what is left.
stop_children() {
  local pid i alive
  ((${#CHILD_PIDS[@]})) || return 0
  log "stopping ${#CHILD_PIDS[@]} processes"
  # Newest first: a gateway leaves its cluster before the policy node, nginx before its upstream.
  for ((i = ${#CHILD_PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${CHILD_PIDS[i]}" 2>/dev/null || true
  done
  for _ in $(seq 50); do
    alive=0
    for pid in "${CHILD_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.2
  done
  for pid in "${CHILD_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not stop on TERM, killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

# cleanup: the EXIT trap. Runs the script's cleanup_before_stop if it defines one, stops CHILD_PIDS
# (stop_children), runs its cleanup_after_stop if defined, removes $TMP unless the run failed or KEEP_TMP is
# set (not 0), and exits with the script's status.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if declare -F cleanup_before_stop >/dev/null; then cleanup_before_stop || true; fi
  stop_children
  if declare -F cleanup_after_stop >/dev/null; then cleanup_after_stop || true; fi
  if [[ -n $TMP && -d $TMP ]]; then
    if ((status != 0)) || [[ ${KEEP_TMP:-0} != 0 ]]; then
      log "logs and raw data kept in $TMP"
    else
      rm -rf "$TMP"
    fi
  fi
  exit "$status"
}

# install_cleanup: cleanup on exit; Ctrl-C and TERM exit with 130 and 143, so through cleanup too.
install_cleanup() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# ---------------------------------------------------------------------------------------------------------
# Ports and waiting

# port_in_use <port>: succeeds if something accepts connections on 127.0.0.1:<port>.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port [first]: sets FREE_PORT to a port nothing listens on and this run has not taken yet: the first one
# at or above <first>, or without <first> one the kernel picks. Not for a $(...) subshell: the ports taken must
# be remembered, as several are taken before anything listens on them.
free_port() {
  local port
  if (($#)); then
    port=$1
    while port_in_use "$port" || [[ $TAKEN_PORTS == *" $port "* ]]; do
      port=$((port + 1))
      ((port < 65000)) || die "no free port found"
    done
  else
    while :; do
      port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      [[ $TAKEN_PORTS == *" $port "* ]] || break
    done
  fi
  TAKEN_PORTS+="$port "
  FREE_PORT=$port
}

# wait_until <seconds> <description> <pid that must stay alive> <command...>: retries the command (quiet) every
# 0.2 s until it succeeds; dies if the pid exits or the time runs out.
wait_until() {
  local timeout=$1 what=$2 pid=$3
  shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "$what exited while starting; see its log in $TMP"
    ((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for $what"
    sleep 0.2
  done
}

# static_chat_ok <port>: a non-streamed completion answers 200 with the static nginx's chat.completion body.
static_chat_ok() {
  local body
  body=$(curl -sf -m 5 -X POST "http://127.0.0.1:$1/v1/chat/completions" -H 'Content-Type: application/json' \
    -d '{"model":"gpt-bench","messages":[{"role":"user","content":"ping"}]}') || return 1
  # The static answer is the same whatever is asked; the fake upstream would have replied to "ping".
  [[ $body == *'"chat.completion"'* && $body == *'fake reply to: Say hello in five words.'* ]]
}

# ---------------------------------------------------------------------------------------------------------
# Starting servers

# start_jvm <log name> <env assignments...> -- <java args...>: runs java $JAVA_OPTS <java args> in the background
# with only PATH, HOME, LANG=C.UTF-8, the script's JVM_ENV array (if set) and the assignments given, later ones
# winning (so a PROXY_API_KEY or POLICY_CONFIG in the caller's shell cannot change what is measured), its output
# in $TMP/<log name>.log; sets LAST_PID and adds it to CHILD_PIDS.
start_jvm() {
  local name=$1
  shift
  local env_vars=()
  while [[ $1 != -- ]]; do env_vars+=("$1"); shift; done
  shift
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of flags
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 ${JVM_ENV[@]+"${JVM_ENV[@]}"} ${env_vars[@]+"${env_vars[@]}"} \
    java ${JAVA_OPTS:-} "$@" >"$TMP/$name.log" 2>&1 &
  LAST_PID=$!
  CHILD_PIDS+=("$LAST_PID")
}

# start_fake_upstream <port>: the test suite's FakeUpstream (from the jars copy_jars put in $TMP) on <port>, its
# log upstream.log; waits up to 30 s until it listens; sets FAKE_PID.
start_fake_upstream() {
  start_jvm upstream -- -cp "$TMP/gateway-tests.jar:$TMP/luthien-vertx.jar" io.luthien.gateway.FakeUpstream "$1"
  FAKE_PID=$LAST_PID
  wait_until 30 "the fake upstream" "$FAKE_PID" grep -q "listening" "$TMP/upstream.log"
}

# find_nginx: sets NGINX to nginx's path (it lives in /usr/sbin, which is not on every user's PATH); fails if
# there is none.
find_nginx() {
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  [[ -x $NGINX ]]
}

# write_nginx_conf <name> <template> <sed expressions...>: writes $TMP/<name>/nginx.conf from bench/<template>,
# @PREFIX@ replaced by $TMP/<name> and the given sed expressions applied.
write_nginx_conf() {
  local name=$1 template=$2
  shift 2
  local prefix="$TMP/$name" sed_args=() expr
  mkdir -p "$prefix"
  for expr in "$@"; do sed_args+=(-e "$expr"); done
  sed -e "s|@PREFIX@|$prefix|g" ${sed_args[@]+"${sed_args[@]}"} "$BENCH_DIR/$template" >"$prefix/nginx.conf"
}

# run_nginx <name> <port>: tests and starts the nginx of $TMP/<name>/nginx.conf (NGINX, from find_nginx), its
# output in $TMP/<name>.log; waits up to 15 s until <port> answers static_chat_ok; sets NGINX_PIDS (master +
# workers) and adds them all to CHILD_PIDS.
run_nginx() {
  local name=$1 check_port=$2 prefix="$TMP/$1" pid
  "$NGINX" -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" -t -q || die "$name: nginx config test failed"
  "$NGINX" -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" >"$TMP/$name.log" 2>&1 &
  local master=$!
  CHILD_PIDS+=("$master")
  wait_until 15 "$name" "$master" static_chat_ok "$check_port"
  local workers
  workers=$(pgrep -P "$master" | tr '\n' ' ')
  [[ -n $workers ]] || die "$name started no workers"
  # Workers outlive a KILLed master, so they are stopped on their own too.
  for pid in $workers; do CHILD_PIDS+=("$pid"); done
  NGINX_PIDS="$master ${workers% }"
}

# start_nginx_instance <name> <template> <port checked with static_chat_ok> <sed expressions...>: write_nginx_conf,
# then run_nginx.
start_nginx_instance() {
  local name=$1 template=$2 check_port=$3
  shift 3
  write_nginx_conf "$name" "$template" "$@"
  run_nginx "$name" "$check_port"
}

# ---------------------------------------------------------------------------------------------------------
# CPU from /proc, in clock ticks (getconf CLK_TCK a second)

# proc_ticks <pid> [children]: utime + stime of a process, all its threads (with children: + cutime + cstime,
# its reaped children's); fails if it is gone.
proc_ticks() {
  local stat fields
  { stat=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
  # Fields after the parenthesised command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
  read -ra fields <<<"${stat##*) }"
  if [[ ${2:-} == children ]]; then
    echo $((fields[11] + fields[12] + fields[13] + fields[14]))
  else
    echo $((fields[11] + fields[12]))
  fi
}

# cpu_ticks <pids...>: utime + stime of the given processes added up; dies if one is gone.
cpu_ticks() {
  local total=0 pid ticks
  for pid in "$@"; do
    ticks=$(proc_ticks "$pid") || die "process $pid is gone"
    total=$((total + ticks))
  done
  echo "$total"
}

# pg_backends <postmaster pid>: the postmaster's children now, space-separated.
pg_backends() { pgrep -P "$1" | tr '\n' ' ' || true; }

# pg_ticks <postmaster pid>: one embedded PostgreSQL: the postmaster with the CPU of its children that have exited
# (a backend that ends during a measurement is in there, whole), plus its children alive now (read again each
# time: a backend forked during a measurement counts whole, and it started within it). A backend that ends
# between pgrep and the read is skipped; dies if the postmaster is gone.
pg_ticks() {
  local total pid ticks
  total=$(proc_ticks "$1" children) || die "PostgreSQL process $1 is gone"
  for pid in $(pg_backends "$1"); do
    ticks=$(proc_ticks "$pid") && total=$((total + ticks))
  done
  echo "$total"
}

# machine_ticks: "busy steal total" clock ticks of the whole machine since boot, from /proc/stat.
machine_ticks() {
  local _ user nice system idle iowait irq softirq steal
  read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
  echo "$((user + nice + system + irq + softirq)) $steal $((user + nice + system + idle + iowait + irq + softirq + steal))"
}

# record <words...>: appends one line of raw data to $RAW.
record() { echo "$*" >>"$RAW"; }
