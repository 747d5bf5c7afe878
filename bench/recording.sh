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
LOG_PREFIX=recording
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
LAUNCHER_JAR=${LAUNCHER_JAR:-$DEFAULT_LAUNCHER_JAR}
SECONDS_LOAD=${SECONDS_LOAD:-60}
WARMUP=${WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-32}
DRAIN_MAX=${DRAIN_MAX:-120}
BASE_PORT=${BASE_PORT:-19400}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx512m}
NODE_ENV=${NODE_ENV:-}
KEEP_TMP=${KEEP_TMP:-0}

make_tmp recording
install_cleanup

health() { curl -sf -m 5 "http://127.0.0.1:$NODE_PORT/health"; }
recorder_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['recorder'][sys.argv[1]])" "$1"; }
wrk_load() {  # wrk_load <seconds> <out>
  wrk -t2 -c"$CONNECTIONS" -d"$1s" --latency -s "$BENCH_DIR/post.lua" \
    "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" >"$2" 2>&1 || die "wrk failed: $(cat "$2")"
}
bench_value() { awk -v k="$1" '$1 == "BENCH" && $2 == k {print $3}' "$2"; }

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
find_nginx || die "nginx is needed (apt-get install nginx-light)"
command -v psql >/dev/null || die "psql is needed to count the recorded rows"
[[ -f $LAUNCHER_JAR ]] || die "no jar at $LAUNCHER_JAR (./mvnw -B -ntp -q -DskipTests package)"

free_port "$BASE_PORT"
STATIC_PORT=$FREE_PORT
start_nginx_instance nginx-static nginx-static.conf.template "$STATIC_PORT" "s|@STATIC_PORT@|$STATIC_PORT|g"
free_port $((STATIC_PORT + 1))
GATEWAY_PORT=$FREE_PORT
free_port $((GATEWAY_PORT + 1))
NODE_PORT=$FREE_PORT
free_port $((NODE_PORT + 1))
DEBUG_PORT=$FREE_PORT
# shellcheck disable=SC2086  # NODE_ENV is a list
start_jvm node OTEL_ENABLED=false GATEWAY_PORT="$GATEWAY_PORT" METRICS_PORT="$NODE_PORT" DEBUG_PORT="$DEBUG_PORT" \
  LUTHIEN_DATA_DIR="$TMP/data" OPENAI_BASE_URL="http://127.0.0.1:$STATIC_PORT/v1" $NODE_ENV -- -jar "$LAUNCHER_JAR"
NODE_PID=$LAST_PID
wait_until 90 "the node" "$NODE_PID" grep -q "node up" "$TMP/node.log"
PG_PID=$(head -1 "$TMP/data/postgres/postmaster.pid")
PG_PORT=$(sed -n 4p "$TMP/data/postgres/postmaster.pid")
sql() { PGPASSWORD=$(<"$TMP/data/postgres-superuser.password") psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc "$1"; }

log "node pid $NODE_PID on $GATEWAY_PORT, PostgreSQL pid $PG_PID; warming up ${WARMUP}s, then ${SECONDS_LOAD}s at -c$CONNECTIONS"
wrk_load "$WARMUP" "$TMP/warmup.txt"
warm_requests=$(bench_value requests "$TMP/warmup.txt")
# wait for the warm-up's events to be written, so the measured load starts with an empty queue
for _ in $(seq "$DRAIN_MAX"); do [[ $(health | recorder_field queued_events) == 0 ]] && break; sleep 1; done
dropped_before=$(health | recorder_field dropped_events)

# the JVM with its reaped children; PostgreSQL: the postmaster with its reaped children and its live backends
jvm_before=$(proc_ticks "$NODE_PID" children) || die "the node is gone"
pg_before=$(pg_ticks "$PG_PID")
wrk_load "$SECONDS_LOAD" "$TMP/load.txt"
jvm_after=$(proc_ticks "$NODE_PID" children) || die "the node is gone"
pg_after=$(pg_ticks "$PG_PID")
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
