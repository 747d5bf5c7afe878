#!/usr/bin/env bash
# One gateway node (every role, recording and telemetry off, so only the API path differs), one fake OpenAI
# upstream, and wrk against the three client APIs in alternating rounds: /v1/chat/completions (no translation),
# /v1/messages (Anthropic client, translated both ways) and /v1/responses (OpenAI Responses, translated both
# ways). Prints req/s and p50/p99 per round and the medians.
# Needs the packaged jars: mvn -B -q -DskipTests package. Overrides: ROUNDS [3], DURATION s [8], CONNECTIONS [32].
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-8} CONNECTIONS=${CONNECTIONS:-32}
JAR=launcher/target/luthien-vertx.jar
TESTS=gateway-verticle/target/gateway-verticle-0.1.0-SNAPSHOT-tests.jar
[[ -f $JAR && -f $TESTS ]] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UPSTREAM=$(free_port) GATEWAY=$(free_port)
java -cp "$TESTS:$JAR" io.luthien.gateway.FakeUpstream "$UPSTREAM" >"$TMP/upstream.log" 2>&1 &
env -i PATH="$PATH" HOME="$TMP" GATEWAY_PORT="$GATEWAY" DEBUG_PORT="$(free_port)" METRICS_PORT=off \
  OTEL_ENABLED=false RECORDING_ENABLED=false LOG_LEVEL=WARN LUTHIEN_DATA_DIR="$TMP/data" \
  OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM/v1" java -jar "$JAR" >"$TMP/gateway.log" 2>&1 &
for _ in $(seq 1 90); do
  curl -sf -m 2 "http://127.0.0.1:$GATEWAY/v1/chat/completions" -H 'Content-Type: application/json' \
    -d '{"model":"gpt-bench","messages":[{"role":"user","content":"up?"}]}' >/dev/null && break
  sleep 1
done
run() {  # run <lua> <path>: prints "req/s p50 p99"; any non-2xx answer or socket error stops the run
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "bench/$1" "http://127.0.0.1:$GATEWAY$2" >"$TMP/wrk.txt"
  if grep -qE 'Non-2xx|Socket errors|BENCH errors_(socket|status) [1-9]' "$TMP/wrk.txt"; then
    echo "errors on $2:" >&2; cat "$TMP/wrk.txt" >&2; exit 1
  fi
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}' "$TMP/wrk.txt"
}
run post.lua /v1/chat/completions >/dev/null   # warm-up, both paths
run messages.lua /v1/messages >/dev/null
run responses.lua /v1/responses >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round openai    $(run post.lua /v1/chat/completions)" | tee -a "$TMP/results"
  echo "round $round anthropic $(run messages.lua /v1/messages)" | tee -a "$TMP/results"
  echo "round $round responses $(run responses.lua /v1/responses)" | tee -a "$TMP/results"
done
for api in openai anthropic responses; do
  awk -v api="$api" '$3 == api {print $4}' "$TMP/results" | sort -n \
    | awk -v api="$api" '{v[NR]=$1} END {printf "median %-9s %.0f req/s\n", api, v[int((NR+1)/2)]}'
done
