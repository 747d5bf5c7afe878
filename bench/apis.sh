#!/usr/bin/env bash
# One gateway node (every role, recording and telemetry off, so only the API path differs), one fake OpenAI
# upstream, and wrk against the three client APIs in alternating rounds: /v1/chat/completions (no translation),
# /v1/messages (Anthropic client, translated both ways) and /v1/responses (OpenAI Responses, translated both
# ways). Prints req/s and p50/p99 per round and the medians.
# Needs the packaged jars: mvn -B -q -DskipTests package. Overrides: ROUNDS [3], DURATION s [8], CONNECTIONS [32].
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=$PWD/bench
LOG_PREFIX=apis
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-8} CONNECTIONS=${CONNECTIONS:-32}
JAR=$DEFAULT_LAUNCHER_JAR
TESTS=$DEFAULT_TESTS_JAR
[[ -f $JAR && -f $TESTS ]] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
make_tmp apis
install_cleanup

free_port
UPSTREAM=$FREE_PORT
free_port
GATEWAY=$FREE_PORT
# not lib.sh's start_jvm: these JVMs run without JAVA_OPTS, and the upstream with the caller's environment
java -cp "$TESTS:$JAR" io.luthien.gateway.FakeUpstream "$UPSTREAM" >"$TMP/upstream.log" 2>&1 &
CHILD_PIDS+=("$!")
free_port
env -i PATH="$PATH" HOME="$TMP" GATEWAY_PORT="$GATEWAY" DEBUG_PORT="$FREE_PORT" METRICS_PORT=off \
  OTEL_ENABLED=false RECORDING_ENABLED=false LOG_LEVEL=WARN LUTHIEN_DATA_DIR="$TMP/data" \
  OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM/v1" java -jar "$JAR" >"$TMP/gateway.log" 2>&1 &
CHILD_PIDS+=("$!")
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
