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
# JFR_OUT=<file> keeps the recording.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
LAUNCHER_JAR=${LAUNCHER_JAR:-$REPO_DIR/launcher/target/luthien-vertx.jar}
WARMUP=${WARMUP:-30}
SECONDS_PROFILE=${SECONDS_PROFILE:-20}
CONNECTIONS=${CONNECTIONS:-32}
TOP=${TOP:-20}
BASE_PORT=${BASE_PORT:-19500}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx512m}
NODE_ENV=${NODE_ENV:-}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/luthien-profile.XXXXXX")
PIDS=()
log() { printf '[profile %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 2
  rm -rf "$TMP"
}
trap cleanup EXIT
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $NGINX ]] || die "nginx is needed (apt-get install nginx-light)"
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v jfr >/dev/null || die "the JDK's jfr tool is needed"

STATIC_PORT=$(free_port "$BASE_PORT")
OTLP_PORT=$(free_port $((STATIC_PORT + 1)))
mkdir -p "$TMP/nginx"
# the static upstream, plus a sink that accepts every OTLP export (the collector's CPU is not the node's)
sed -e "s|@PREFIX@|$TMP/nginx|g" -e "s|@STATIC_PORT@|$STATIC_PORT|g" "$BENCH_DIR/nginx-static.conf.template" |
  sed -e '$d' >"$TMP/nginx/nginx.conf"
cat >>"$TMP/nginx/nginx.conf" <<CONF
  server {
    listen 127.0.0.1:$OTLP_PORT;
    client_max_body_size 0;
    location / { return 200; }
  }
}
CONF
"$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" &
PIDS+=($!)
GATEWAY_PORT=$(free_port $((OTLP_PORT + 1)))
# shellcheck disable=SC2086  # JAVA_OPTS and NODE_ENV are lists
env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 GATEWAY_PORT="$GATEWAY_PORT" METRICS_PORT=off \
  DEBUG_PORT="$(free_port $((GATEWAY_PORT + 1)))" LUTHIEN_DATA_DIR="$TMP/data" \
  OPENAI_BASE_URL="http://127.0.0.1:$STATIC_PORT/v1" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" \
  OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf $NODE_ENV java $JAVA_OPTS -jar "$LAUNCHER_JAR" >"$TMP/node.log" 2>&1 &
NODE_PID=$!
PIDS=("$NODE_PID" "${PIDS[@]}")
for _ in $(seq 450); do grep -q "node up" "$TMP/node.log" && break; kill -0 "$NODE_PID" || die "the node died"; sleep 0.2; done
grep -q "node up" "$TMP/node.log" || die "the node did not start in 90 s"

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
