#!/usr/bin/env bash
# Profiles one all-in-one node under full load with JFR and prints where its CPU goes (bench/jfr_top.py).
# See bench/README.md (profile).
#
#   bench/profile.sh
#
# Environment overrides (defaults in brackets): LAUNCHER_JAR [launcher/target/luthien-vertx.jar], WARMUP [30]
# seconds of load before, SECONDS_PROFILE [20], CONNECTIONS [32], TOP [20] frames listed, BASE_PORT [19500],
# JAVA_OPTS [-XX:+UseParallelGC -Xms256m -Xmx512m], NODE_ENV extra environment, space-separated. The node runs as
# shipped: recording on, every call traced, spans, metrics and logs exported over OTLP/HTTP to an nginx sink.
# JFR_OUT=<file> keeps the recording. KEEP_TMP=1 keeps the temp dir (kept anyway when the run fails).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_PREFIX=profile
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
LAUNCHER_JAR=${LAUNCHER_JAR:-$DEFAULT_LAUNCHER_JAR}
WARMUP=${WARMUP:-30}
SECONDS_PROFILE=${SECONDS_PROFILE:-20}
CONNECTIONS=${CONNECTIONS:-32}
TOP=${TOP:-20}
BASE_PORT=${BASE_PORT:-19500}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx512m}
NODE_ENV=${NODE_ENV:-}
KEEP_TMP=${KEEP_TMP:-0}

make_tmp profile
install_cleanup

find_nginx || die "nginx is needed (apt-get install nginx-light)"
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v jfr >/dev/null || die "the JDK's jfr tool is needed"

free_port "$BASE_PORT"
STATIC_PORT=$FREE_PORT
free_port $((STATIC_PORT + 1))
OTLP_PORT=$FREE_PORT
# the static upstream, plus a sink that accepts every OTLP export (the collector's CPU is not the node's): the
# template's last line (the closing brace of http) goes, the sink's server block and the brace come after it
write_nginx_conf nginx-static nginx-static.conf.template "s|@STATIC_PORT@|$STATIC_PORT|g" '$d'
cat >>"$TMP/nginx-static/nginx.conf" <<CONF
  server {
    listen 127.0.0.1:$OTLP_PORT;
    client_max_body_size 0;
    location / { return 200; }
  }
}
CONF
run_nginx nginx-static "$STATIC_PORT"
free_port $((OTLP_PORT + 1))
GATEWAY_PORT=$FREE_PORT
free_port $((GATEWAY_PORT + 1))
# shellcheck disable=SC2086  # NODE_ENV is a list
start_jvm node GATEWAY_PORT="$GATEWAY_PORT" METRICS_PORT=off DEBUG_PORT="$FREE_PORT" LUTHIEN_DATA_DIR="$TMP/data" \
  OPENAI_BASE_URL="http://127.0.0.1:$STATIC_PORT/v1" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" \
  OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf $NODE_ENV -- -jar "$LAUNCHER_JAR"
NODE_PID=$LAST_PID
wait_until 90 "the node" "$NODE_PID" grep -q "node up" "$TMP/node.log"

load() {
  wrk -t2 -c"$CONNECTIONS" -d"$1s" -s "$BENCH_DIR/post.lua" "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" \
    | awk '/^Requests\/sec/ {print $2 " req/s"}'
}
log "node pid $NODE_PID; warming up ${WARMUP}s"
load "$WARMUP" >/dev/null
jcmd "$NODE_PID" JFR.start name=bench settings=profile duration="${SECONDS_PROFILE}s" filename="$TMP/node.jfr" >/dev/null
log "profiling ${SECONDS_PROFILE}s under load: $(load "$SECONDS_PROFILE")"
for _ in $(seq 50); do [[ -s $TMP/node.jfr ]] && break; sleep 0.2; done
sleep 1
[[ -z ${JFR_OUT:-} ]] || cp "$TMP/node.jfr" "$JFR_OUT"
jfr print --events jdk.ExecutionSample --stack-depth 128 "$TMP/node.jfr" | python3 "$BENCH_DIR/jfr_top.py" --top "$TOP"
