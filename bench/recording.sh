#!/usr/bin/env bash
# Sustained full load on one all-in-one node that records every call: does the recorder keep up?
# See bench/README.md (recording at full load).
#
#   bench/recording.sh
#
# Environment overrides (defaults in brackets): LAUNCHER_JAR [launcher/target/luthien-vertx.jar],
# SECONDS_LOAD [60], WARMUP [20] seconds of load before, CONNECTIONS [32], DRAIN_MAX [120] seconds to wait
# for the recorder's queue to empty afterwards, BASE_PORT [19400], JAVA_OPTS [-XX:+UseParallelGC -Xms256m
# -Xmx512m], NODE_ENV extra environment for the node, space-separated (e.g. "OTEL_ENABLED=true");
# telemetry is off unless NODE_ENV turns it on (OTEL_EXPORTER_OTLP_ENDPOINT needs a receiver). KEEP_TMP=1 keeps
# the temp dir.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
LAUNCHER_JAR=${LAUNCHER_JAR:-$REPO_DIR/launcher/target/luthien-vertx.jar}
SECONDS_LOAD=${SECONDS_LOAD:-60}
WARMUP=${WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-32}
DRAIN_MAX=${DRAIN_MAX:-120}
BASE_PORT=${BASE_PORT:-19400}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx512m}
NODE_ENV=${NODE_ENV:-}
KEEP_TMP=${KEEP_TMP:-0}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/luthien-recording.XXXXXX")
PIDS=()
log() { printf '[recording %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
cleanup() {
  local status=$? pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.2
  done
  if ((status != 0 || KEEP_TMP)); then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}
ticks() {  # utime + stime of the given pids, in clock ticks; 0 for a pid that is gone
  local total=0 pid fields
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    read -ra fields <<<"$(sed 's/^.*) //' "/proc/$pid/stat")"
    total=$((total + fields[11] + fields[12] + fields[13] + fields[14]))
  done
  echo "$total"
}
health() { curl -sf -m 5 "http://127.0.0.1:$NODE_PORT/health"; }
recorder_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['recorder'][sys.argv[1]])" "$1"; }
wrk_load() {  # wrk_load <seconds> <out>
  wrk -t2 -c"$CONNECTIONS" -d"$1s" --latency -s "$BENCH_DIR/post.lua" \
    "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" >"$2" 2>&1 || die "wrk failed: $(cat "$2")"
}
bench_value() { awk -v k="$1" '$1 == "BENCH" && $2 == k {print $3}' "$2"; }

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $NGINX ]] || die "nginx is needed (apt-get install nginx-light)"
command -v psql >/dev/null || die "psql is needed to count the recorded rows"
[[ -f $LAUNCHER_JAR ]] || die "no jar at $LAUNCHER_JAR (./mvnw -B -ntp -q -DskipTests package)"

STATIC_PORT=$(free_port "$BASE_PORT")
mkdir -p "$TMP/nginx"
sed -e "s|@PREFIX@|$TMP/nginx|g" -e "s|@STATIC_PORT@|$STATIC_PORT|g" "$BENCH_DIR/nginx-static.conf.template" \
  >"$TMP/nginx/nginx.conf"
"$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" &
PIDS+=($!)
GATEWAY_PORT=$(free_port $((STATIC_PORT + 1)))
NODE_PORT=$(free_port $((GATEWAY_PORT + 1)))
DEBUG_PORT=$(free_port $((NODE_PORT + 1)))
# shellcheck disable=SC2086  # JAVA_OPTS and NODE_ENV are lists
env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 OTEL_ENABLED=false GATEWAY_PORT="$GATEWAY_PORT" \
  METRICS_PORT="$NODE_PORT" DEBUG_PORT="$DEBUG_PORT" LUTHIEN_DATA_DIR="$TMP/data" \
  OPENAI_BASE_URL="http://127.0.0.1:$STATIC_PORT/v1" $NODE_ENV java $JAVA_OPTS -jar "$LAUNCHER_JAR" >"$TMP/node.log" 2>&1 &
NODE_PID=$!
PIDS=("$NODE_PID" "${PIDS[@]}")
for _ in $(seq 450); do grep -q "node up" "$TMP/node.log" && break; kill -0 "$NODE_PID" || die "the node died"; sleep 0.2; done
grep -q "node up" "$TMP/node.log" || die "the node did not start in 90 s"
PG_PID=$(head -1 "$TMP/data/postgres/postmaster.pid")
PG_PORT=$(sed -n 4p "$TMP/data/postgres/postmaster.pid")
sql() { PGPASSWORD=$(<"$TMP/data/postgres-superuser.password") psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc "$1"; }

log "node pid $NODE_PID on $GATEWAY_PORT, PostgreSQL pid $PG_PID; warming up ${WARMUP}s, then ${SECONDS_LOAD}s at -c$CONNECTIONS"
wrk_load "$WARMUP" "$TMP/warmup.txt"
warm_requests=$(bench_value requests "$TMP/warmup.txt")
# wait for the warm-up's events to be written, so the measured load starts with an empty queue
for _ in $(seq "$DRAIN_MAX"); do [[ $(health | recorder_field queued_events) == 0 ]] && break; sleep 1; done
dropped_before=$(health | recorder_field dropped_events)

jvm_before=$(ticks "$NODE_PID")
pg_ticks() { local backends; mapfile -t backends < <(pgrep -P "$PG_PID"); ticks "$PG_PID" "${backends[@]}"; }
pg_before=$(pg_ticks)
wrk_load "$SECONDS_LOAD" "$TMP/load.txt"
jvm_after=$(ticks "$NODE_PID")
pg_after=$(pg_ticks)
at_end=$(health)
requests=$(bench_value requests "$TMP/load.txt")
errors=$(($(bench_value errors_socket "$TMP/load.txt") + $(bench_value errors_status "$TMP/load.txt")))

log "load done; waiting for the recorder's queue to empty (at most ${DRAIN_MAX}s)"
drained=""
for ((i = 0; i < DRAIN_MAX; i++)); do
  if [[ $(health | recorder_field queued_events) == 0 ]]; then drained=$i; break; fi
  sleep 1
done
final=$(health)
calls=$(sql "SELECT count(*) FROM conversation_calls")
events=$(sql "SELECT count(*) FROM conversation_events")
clk=$(getconf CLK_TCK)

python3 - "$requests" "$warm_requests" "$errors" "$SECONDS_LOAD" "$((jvm_after - jvm_before))" \
  "$((pg_after - pg_before))" "$clk" "$dropped_before" "$calls" "$events" "${drained:-none}" \
  "$(bench_value p50_us "$TMP/load.txt")" "$(bench_value p99_us "$TMP/load.txt")" <<PY
import json, sys
(requests, warm, errors, secs, jvm, pg, clk, dropped_before, calls, events, drained, p50, p99) = sys.argv[1:]
requests, warm, jvm, pg, clk = int(requests), int(warm), int(jvm), int(pg), int(clk)
at_end = json.loads('''$at_end''')["recorder"]
final = json.loads('''$final''')["recorder"]
dropped = int(final["dropped_events"]) - int(dropped_before)
print(f"load: {requests} calls in {secs} s = {requests / int(secs):.0f} req/s, p50 {int(p50) / 1000:.3f} ms, "
      f"p99 {int(p99) / 1000:.3f} ms, {errors} errors")
print(f"CPU per call: JVM {jvm * 1000 / clk / requests:.4f} ms, PostgreSQL {pg * 1000 / clk / requests:.4f} ms")
print(f"recorder at the end of the load: {at_end['queued_events']} events queued "
      f"({at_end['buffer_percent']} % of its buffer), {dropped} dropped during the load")
print(f"queue empty {drained} s after the load; rows: {calls} calls, {events} events "
      f"for {requests + warm} answered calls (warm-up included); dropped in all: {final['dropped_events']}")
PY
