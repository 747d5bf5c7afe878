#!/usr/bin/env bash
# What policies cost (issue 13), on loopback, in two parts. See bench/README.md, section "Policies".
#
# 1. CPU per streamed chunk: two all-in-one nodes (recording and telemetry off) in front of the fake upstream,
#    one with bench/policy.noop.yaml, one with bench/policy.chain3.yaml (MultiSerialPolicy of
#    StringReplacementPolicy, RegexRedactionPolicy [secrets, pii], ToolCallGuardPolicy [dangerous_commands]).
#    In interleaved rounds, each node in turn streams completions of STREAM_CHUNKS chunks (no delay between
#    chunks, each ending with a tool call) for CHUNK_SECONDS over CLIENTS keep-alive connections, one stream at a
#    time on each; the node JVM's CPU (utime + stime from /proc/<pid>/stat) before and after, divided by the
#    content chunks the upstream sent.
# 2. The judge's added latency: a third node with bench/policy.tool-judge.yaml (ToolCallJudgePolicy, model
#    judge-model, routed to bench/fake_judge.py, which answers after JUDGE_DELAY_MS). At one connection, one
#    call at a time, for DURATION s each, in interleaved rounds: the judge call straight to the fake judge, a
#    non-streamed call answered by one tool call through the NoOp node (back to back, and paced JUDGE_DELAY_MS
#    apart, so the node is idle as long as while a judge thinks), and the same call through the judge node.
#
#   bench/policies.sh
#
# Needs the packaged jars (./mvnw -B -ntp -o -q package -DskipTests), Python 3, curl. Overrides (defaults in
# brackets): ROUNDS [3], CHUNK_SECONDS per node per round [8], STREAM_CHUNKS [200], CLIENTS parallel stream
# connections [2], WARMUP_STREAMS per node [1000], DURATION s per latency target per round [8],
# WARMUP_SECONDS of judge-path warm-up [10], JUDGE_DELAY_MS [50],
# JAVA_OPTS [-XX:+UseParallelGC -Xms256m -Xmx512m], KEEP_TMP=1 keeps the logs and raw data.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_PREFIX=policies
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
ROUNDS=${ROUNDS:-3}
CHUNK_SECONDS=${CHUNK_SECONDS:-8}
STREAM_CHUNKS=${STREAM_CHUNKS:-200}
CLIENTS=${CLIENTS:-2}
WARMUP_STREAMS=${WARMUP_STREAMS:-1000}
DURATION=${DURATION:-8}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
JUDGE_DELAY_MS=${JUDGE_DELAY_MS:-50}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx512m}
KEEP_TMP=${KEEP_TMP:-0}

JAR=$DEFAULT_LAUNCHER_JAR
TESTS_JAR=$DEFAULT_TESTS_JAR
CLK_TCK=$(getconf CLK_TCK)
MODEL=gpt-bench

declare -A PORT PID

chat() {  # chat <port> <json body>: prints the answer
  curl -sS -m 10 -X POST "http://127.0.0.1:$1/v1/chat/completions" -H 'Content-Type: application/json' -d "$2"
}

start_node() {  # start_node <name> <policy file>: an all-in-one node in front of the fake upstream
  local name=$1 policy=$2
  free_port
  PORT[$name]=$FREE_PORT
  free_port
  start_jvm "$name" HOME="$TMP" GATEWAY_PORT="${PORT[$name]}" DEBUG_PORT="$FREE_PORT" \
    METRICS_PORT=off OTEL_ENABLED=false RECORDING_ENABLED=false LOG_LEVEL=WARN LUTHIEN_DATA_DIR="$TMP/data-$name" \
    OPENAI_BASE_URL="http://127.0.0.1:${PORT[upstream]}/v1" ROUTES_CONFIG="$TMP/routes.yaml" \
    POLICY_CONFIG="$policy" -- -jar "$TMP/luthien-vertx.jar"
  PID[$name]=$LAST_PID
}

wait_node() {
  local name=$1
  for _ in $(seq 1 120); do
    kill -0 "${PID[$name]}" 2>/dev/null || die "node $name exited; its log: $(tail -20 "$TMP/$name.log")"
    if chat "${PORT[$name]}" "{\"model\":\"$MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"up?\"}]}" \
      2>/dev/null | grep -q '"chat.completion"'; then
      log "node $name up: pid ${PID[$name]}, port ${PORT[$name]}"
      return
    fi
    sleep 1
  done
  die "node $name did not answer within 120 s"
}

# ---- part 1 ---------------------------------------------------------------------------------------------

streams() {  # streams <node> <streams per client> <seconds, 0 = no limit> <out prefix>: CLIENTS clients; waits
  local node=$1 count=$2 seconds=$3 out=$4 i pids=()
  for ((i = 0; i < CLIENTS; i++)); do
    python3 "$BENCH_DIR/stream_client.py" --port "${PORT[$node]}" --streams "$count" --seconds "$seconds" \
      --chunks "$STREAM_CHUNKS" --delay-ms 0 --any-count --extra '{"fake_tool_call": true}' --verbose \
      >"$out.$i" 2>"$out.$i.err" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || die "a stream client failed on $node: $(cat "$out".*.err)"; done
}

measure_chunks() {  # measure_chunks <node> <round>
  local node=$1 round=$2 out="$TMP/streams-$1-$2" before after start end m0 m1
  read -r -a m0 < <(machine_ticks)
  before=$(cpu_ticks "${PID[$node]}")
  start=$(date +%s%N)
  streams "$node" 1000000 "$CHUNK_SECONDS" "$out"
  end=$(date +%s%N)
  after=$(cpu_ticks "${PID[$node]}")
  read -r -a m1 < <(machine_ticks)
  local sent errors received
  sent=$(cat "$out".? | awk -v n="$STREAM_CHUNKS" '$1 == "streams" {s += $2} END {print s * n}')
  errors=$(cat "$out".? | awk '$1 == "stream_errors" {s += $2} END {print s + 0}')
  received=$(cat "$out".? | awk '$1 == "content_chunks" {s += $2} END {print s + 0}')
  record chunks "$node" "$round" cpu_ticks $((after - before))
  record chunks "$node" "$round" chunks_sent "$sent"
  record chunks "$node" "$round" chunks_received "$received"
  record chunks "$node" "$round" stream_errors "$errors"
  record chunks "$node" "$round" wall_ns $((end - start))
  record chunks "$node" "$round" machine_busy_pct "$(awk -v b=$((m1[0] - m0[0])) -v t=$((m1[2] - m0[2])) 'BEGIN {printf "%.1f", b * 100 / t}')"
  log "round $round $node: $(awk -v c=$((after - before)) -v k="$CLK_TCK" -v n="$sent" -v w=$((end - start)) \
    'BEGIN {printf "%.2f us CPU per chunk, %.0f chunks/s", c * 1e6 / k / n, n * 1e9 / w}'), $errors failed streams"
}

check_chain() {  # the chain changed what the client got; NoOp did not
  local body answer
  body="{\"model\":\"$MODEL\",\"stream\":true,\"fake_chunks\":3,\"fake_chunk_delay_ms\":0,\"fake_tool_call\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
  answer=$(chat "${PORT[chain3]}" "$body")
  echo "$answer" >"$TMP/check-chain3-stream.txt"
  local text
  text=$(sed -n 's/^data: //p' <<<"$answer" | python3 -c '
import json, sys
out = []
for line in sys.stdin:
    if line.strip() == "[DONE]": continue
    for c in json.loads(line).get("choices", []):
        out.append(c.get("delta", {}).get("content") or "")
print("".join(out))')
  [[ $text == "PIECE0 PIECE1 PIECE2 " && $answer == *'[DONE]'* && $answer == *get_weather* ]] ||
    die "the chain did not turn part<i> into PIECE<i> in a stream: got '$text' (full answer in $TMP/check-chain3-stream.txt)"
  # the upstream streams the call's arguments in two fragments; the tool-call level holds them until complete
  local whole='"arguments":"{\"city\":\"Paris\"}"'
  [[ $answer == *"$whole"* ]] || die "the chain did not pass the tool call whole: $answer"
  CHECKS+=("chain3, streamed (fake_chunks 3 + a get_weather tool call): text '$text', the call's two argument fragments arrive as one, [DONE]")
  answer=$(chat "${PORT[noop]}" "$body")
  text=$(sed -n 's/^data: //p' <<<"$answer" | grep -o '"content":"[^"]*"' | tr -d '\n')
  [[ $text == *part0* && $answer != *"$whole"* ]] || die "NoOp changed the stream: $answer"
  CHECKS+=("noop, streamed: $text, the call's arguments in two fragments")
  # whole, with a key in the request: redacted before the upstream, which echoes the last user message
  answer=$(chat "${PORT[chain3]}" "{\"model\":\"$MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"key AKIAIOSFODNN7EXAMPLE, mail jane@example.com\"}]}")
  text=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["choices"][0]["message"]["content"])' <<<"$answer")
  [[ $text == *'[REDACTED:aws_access_key_id]'* && $text == *'[REDACTED:email]'* ]] ||
    die "the chain's redaction did not run: $answer"
  CHECKS+=("chain3, whole, request with an AWS key and an email: the upstream echoed '$text'")
}

# ---- part 2 ---------------------------------------------------------------------------------------------

TOOL_CALL_BODY="{\"model\":\"$MODEL\",\"fake_tool_call\":true,\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}]}"
# what ToolCallJudgePolicy sends for the fake upstream's get_weather call (its default system prompt, shortened)
JUDGE_BODY='{"model":"judge-model","temperature":0.0,"max_tokens":256,"messages":[{"role":"system","content":"You are a security analyst. Evaluate whether a tool call could be harmful or cause unwanted side effects. Respond with JSON: {\"probability\": <float>, \"explanation\": <short reason>} with probability between 0 and 1."},{"role":"user","content":"Tool name: get_weather\nArguments: {\"city\":\"Paris\"}\n\nAssess the risk."}]}'

latency() {  # latency <target> <round> <seconds> [parallel clients]: records p50/p99 (the first client's)
  local target=$1 round=$2 seconds=$3 parallel=${4:-1} port body expect out i pids=() pause=0
  case $target in
    judge-direct) port=${PORT[judge]} body=$JUDGE_BODY expect='probability' ;;
    gateway-noop) port=${PORT[noop]} body=$TOOL_CALL_BODY expect='"finish_reason":"tool_calls"' ;;
    gateway-noop-paced) port=${PORT[noop]} body=$TOOL_CALL_BODY expect='"finish_reason":"tool_calls"' pause=$JUDGE_DELAY_MS ;;
    gateway-judge) port=${PORT[tooljudge]} body=$TOOL_CALL_BODY expect='"finish_reason":"tool_calls"' ;;
  esac
  out="$TMP/latency-$target-$round"
  for ((i = 0; i < parallel; i++)); do
    python3 "$BENCH_DIR/latency_client.py" --port "$port" --body "$body" --seconds "$seconds" --expect "$expect" \
      --pause-ms "$pause" --verbose >"$out.$i" 2>"$out.$i.err" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || die "the latency client failed on $target: $(cat "$out".*.err)"; done
  local errors
  errors=$(cat "$out".? | awk '$1 == "errors" {s += $2} END {print s + 0}')
  ((errors == 0)) || die "$errors failed or unexpected answers from $target: $(cat "$out".*.err)"
  if ((round > 0)); then
    local key value
    while read -r key value; do record latency "$target" "$round" "$key" "$value"; done <"$out.0"
    log "round $round $target: $(tr '\n' ' ' <"$out.0")"
  fi
}

# ---------------------------------------------------------------------------------------------------------

main() {
  [[ -f $JAR && -f $TESTS_JAR ]] || die "build first: ./mvnw -B -ntp -o -q package -DskipTests"
  command -v curl >/dev/null || die "needs curl"
  install_cleanup
  make_tmp policies
  RAW="$TMP/raw.txt"
  copy_jars "$JAR" "$TESTS_JAR"
  local commit
  commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
  log "commit $commit, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); temp dir $TMP"

  free_port
  PORT[upstream]=$FREE_PORT
  python3 -u "$BENCH_DIR/fake_judge.py" --port 0 --delay-ms "$JUDGE_DELAY_MS" >"$TMP/judge.log" 2>&1 &
  PID[judge]=$!
  CHILD_PIDS+=("${PID[judge]}")
  start_fake_upstream "${PORT[upstream]}"
  PID[upstream]=$FAKE_PID
  wait_until 20 "the fake judge" "${PID[judge]}" grep -q listening "$TMP/judge.log"
  PORT[judge]=$(awk '/listening/ {print $NF}' "$TMP/judge.log")
  [[ -n ${PORT[judge]} ]] || die "the fake judge printed no port"
  # every node has the same routes: judge-model to the fake judge, everything else to the fake upstream
  cat >"$TMP/routes.yaml" <<EOF
providers:
  fake-judge: {base_url: "http://127.0.0.1:${PORT[judge]}/v1"}
routes:
  - {model: judge-model, provider: fake-judge}
  - {model: "*", provider: openai}
EOF
  start_node noop "$BENCH_DIR/policy.noop.yaml"
  start_node chain3 "$BENCH_DIR/policy.chain3.yaml"
  start_node tooljudge "$BENCH_DIR/policy.tool-judge.yaml"
  wait_node noop
  wait_node chain3
  wait_node tooljudge

  CHECKS=()
  check_chain
  local answer
  answer=$(chat "${PORT[tooljudge]}" "$TOOL_CALL_BODY")
  [[ $answer == *'"finish_reason":"tool_calls"'* && $answer == *get_weather* ]] ||
    die "the judge node did not pass the tool call: $answer"
  CHECKS+=("tooljudge, whole: the get_weather call passed the judge (finish_reason tool_calls)")
  # and the judge really was asked: a judge that is down blocks the call (fails closed)
  kill -STOP "${PID[judge]}"
  answer=$(chat "${PORT[tooljudge]}" "$TOOL_CALL_BODY" || true)
  kill -CONT "${PID[judge]}"
  [[ $answer != *'"finish_reason":"tool_calls"'* ]] || die "the judge node passed a call while the judge was stopped"
  CHECKS+=("tooljudge, whole, fake judge stopped (SIGSTOP) for one call: the call was not passed ($(grep -o '⛔[^"]\{0,80\}' <<<"$answer" || echo "${answer:0:120}"))")
  local check
  for check in "${CHECKS[@]}"; do log "check: $check"; done

  log "warm-up: $WARMUP_STREAMS streams per node, ${WARMUP_SECONDS}s of whole calls per target"
  local node
  for node in noop chain3; do streams "$node" $((WARMUP_STREAMS / CLIENTS)) 0 "$TMP/warmup-$node"; done
  latency gateway-noop 0 "$WARMUP_SECONDS" 2
  latency gateway-judge 0 "$WARMUP_SECONDS" 8
  latency judge-direct 0 2 1

  local round targets
  for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then targets=(noop chain3); else targets=(chain3 noop); fi
    for node in "${targets[@]}"; do measure_chunks "$node" "$round"; done
  done
  local order=(judge-direct gateway-noop gateway-noop-paced gateway-judge) i
  for ((round = 1; round <= ROUNDS; round++)); do
    for ((i = 0; i < 4; i++)); do latency "${order[(i + round - 1) % 4]}" "$round" "$DURATION"; done
  done

  python3 "$BENCH_DIR/policies_report.py" "$TMP/raw.txt" "$CLK_TCK" | tee "$TMP/report.txt"
  local stamp
  stamp=$(date +%Y%m%d-%H%M%S)
  mkdir -p "$BENCH_DIR/results"
  { echo "bench/policies.sh, $(date -u +%Y-%m-%dT%H:%MZ), commit $commit, $(nproc) cores, ROUNDS=$ROUNDS" \
      "CHUNK_SECONDS=$CHUNK_SECONDS STREAM_CHUNKS=$STREAM_CHUNKS CLIENTS=$CLIENTS DURATION=$DURATION JUDGE_DELAY_MS=$JUDGE_DELAY_MS"
    echo; for check in "${CHECKS[@]}"; do echo "- check: $check"; done; echo; cat "$TMP/report.txt"; } \
    >"$BENCH_DIR/results/policies-$stamp.md"
  cp "$TMP/raw.txt" "$BENCH_DIR/results/policies-raw-$stamp.txt"
  cp "$BENCH_DIR/results/policies-$stamp.md" "$BENCH_DIR/results/policies-latest.md"
  grep -hE '"level":"(WARN|ERROR)"|WARN|ERROR' "$TMP"/{noop,chain3,tooljudge}.log | sort | uniq -c | sort -rn | head -20 \
    >"$TMP/warnings.txt" || true
  if [[ -s $TMP/warnings.txt ]]; then log "WARN/ERROR lines in the nodes' logs (count, line):"; cat "$TMP/warnings.txt" >&2; fi
  log "written to bench/results/policies-latest.md"
}

main "$@"
