#!/usr/bin/env bash
# Benchmarks the gateway against nginx and a direct call to a static nginx upstream, on loopback (issue 17's
# measurement). See bench/README.md.
#
#   bench/run.sh [--build]
#
# Environment overrides (defaults in brackets): ROUNDS [5], DURATION seconds per wrk run [10],
# WARMUP_STEP seconds per warm-up burst [5], WARMUP_MAX seconds of warm-up load per target [60],
# WARMUP_STREAMS streams (chunks not spaced) per target after the warm-up load [2000],
# CONNECTIONS [32], STREAMS per target per round [50], STREAM_CHUNKS [20], STREAM_DELAY_MS [5],
# BASE_PORT first port to try [19000],
# CLUSTER_BASE_PORT first Hazelcast port to try [5801], JAVA_OPTS [-XX:+UseParallelGC -Xms256m -Xmx512m],
# LOG_LEVEL for the JVMs [INFO], KEEP_TMP=1 keeps the temp dir (logs, raw data),
# LAUNCHER_JAR [launcher/target/luthien-vertx.jar], TESTS_JAR [gateway-verticle/target/…-tests.jar]: jars to run.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_PREFIX=bench
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
RESULTS_DIR="$BENCH_DIR/results"

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
WARMUP_STEP=${WARMUP_STEP:-5}
WARMUP_MAX=${WARMUP_MAX:-60}
WARMUP_STREAMS=${WARMUP_STREAMS:-2000}
CONNECTIONS=${CONNECTIONS:-32}
STREAMS=${STREAMS:-50}
STREAM_CHUNKS=${STREAM_CHUNKS:-20}
STREAM_DELAY_MS=${STREAM_DELAY_MS:-5}
BASE_PORT=${BASE_PORT:-19000}
CLUSTER_BASE_PORT=${CLUSTER_BASE_PORT:-5801}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx512m}
LOG_LEVEL=${LOG_LEVEL:-INFO}
KEEP_TMP=${KEEP_TMP:-0}

LAUNCHER_JAR=${LAUNCHER_JAR:-$DEFAULT_LAUNCHER_JAR}
TESTS_JAR=${TESTS_JAR:-$DEFAULT_TESTS_JAR}
STREAM_MODEL=gpt-bench-stream  # routed to the fake upstream; every other model goes to the static nginx
TARGETS=(direct nginx gateway gateway-traced gateway-sampled gateway-unrecorded gateway-clustered)
RECORDING_TARGETS=(gateway gateway-traced gateway-sampled)  # all-in-one, recording into their embedded PostgreSQL

# Every JVM's environment (start_jvm): every node serves /health and /metrics on METRICS_PORT (9464): off unless
# the target sets its own port.
JVM_ENV=(LOG_LEVEL="$LOG_LEVEL" METRICS_PORT=off)
# TMP and CHILD_PIDS (every long-running process this script started, stopped on exit) are lib.sh's.
POSTMASTERS=()     # embedded PostgreSQL postmasters of the all-in-one targets: their JVM stops them, but they
                   # and their backends (forked whenever a connection opens) count as ours
FOREGROUND_PID=""  # the wrk or stream client running now, so an interrupt stops it too
UPSTREAM_PIDS=""   # the static nginx (master + workers) and the fake upstream JVM, space-separated
declare -A PORT         # target -> port of the non-streamed load (wrk)
declare -A STREAM_PORT  # target -> port of the streams
declare -A PROXY_FIXED  # target -> the proxy's own processes but PostgreSQL's (nginx master + workers, JVMs)
declare -A POSTMASTER   # target -> its embedded PostgreSQL's postmaster pid, if it has one
declare -A NODE_PORT    # target -> its node port (/health: the recorder's dropped events), if it has one

# Before lib.sh's cleanup stops the processes. A signal can land while a client's output is redirected to its
# file: report to the real stdout/stderr; and stop the client running now.
cleanup_before_stop() {
  exec 1>&8 2>&9
  if [[ -n $FOREGROUND_PID ]]; then kill "$FOREGROUND_PID" 2>/dev/null || true; fi
}

# Runs a measuring client in the background and waits for it, so that a signal interrupts the wait.
run_client() {
  "$@" &
  FOREGROUND_PID=$!
  local status=0
  wait "$FOREGROUND_PID" || status=$?
  FOREGROUND_PID=""
  return "$status"
}

# ---------------------------------------------------------------------------------------------------------
# Setup

check_quiet() {  # the figures mean little if something else keeps the CPUs busy
  local a b busy
  read -r -a a < <(machine_ticks)
  sleep 2
  read -r -a b < <(machine_ticks)
  busy=$(((b[0] - a[0]) * 100 / (b[2] - a[2] > 0 ? b[2] - a[2] : 1)))
  if ((busy > 10)); then
    log "WARNING: the machine is already ${busy}% busy before the benchmark starts; results will be disturbed"
  fi
}

apt_install() {
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  log "installing $*"
  "${sudo[@]}" apt-get install -y -q "$@" >/dev/null 2>&1 \
    || { "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" apt-get install -y -q "$@" >/dev/null; }
}

ensure_tools() {
  command -v wrk >/dev/null || apt_install wrk
  find_nginx || { apt_install nginx-light || apt_install nginx; NGINX=/usr/sbin/nginx; }
  command -v python3 >/dev/null || die "python3 is required"
  command -v javac >/dev/null || die "a JDK 17 (java and javac) is required"
}

ensure_jars() {
  local build=$1
  if ((build)) || [[ ! -f $LAUNCHER_JAR || ! -f $TESTS_JAR ]]; then
    [[ $LAUNCHER_JAR == "$DEFAULT_LAUNCHER_JAR" && $TESTS_JAR == "$DEFAULT_TESTS_JAR" ]] \
      || die "--build or a missing jar builds this repo's jars, not LAUNCHER_JAR=$LAUNCHER_JAR TESTS_JAR=$TESTS_JAR"
    log "building the jars (mvn install -DskipTests)"
    (cd "$REPO_DIR" && mvn -q -B install -DskipTests) || die "the build failed"
  fi
  [[ -f $LAUNCHER_JAR ]] || die "no $LAUNCHER_JAR"
  [[ -f $TESTS_JAR ]] || die "no $TESTS_JAR"
  copy_jars "$LAUNCHER_JAR" "$TESTS_JAR"
}

# Hazelcast needs two consecutive free ports (policy node first, gateway node on the next).
free_port_pair() {
  local port=$1
  while port_in_use "$port" || port_in_use $((port + 1)) || port_in_use $((port + 2)); do
    port=$((port + 1))
  done
  echo "$port"
}

stream_ok() {  # a streamed completion of the stream model comes from the fake upstream: its chunks, then [DONE]
  local body
  body=$(curl -sfN -m 5 -X POST "http://127.0.0.1:$1/v1/chat/completions" -H 'Content-Type: application/json' \
    -d '{"model":"'"$STREAM_MODEL"'","stream":true,"fake_chunks":2,"messages":[{"role":"user","content":"ping"}]}') \
    || return 1
  [[ $body == *'part1 '* && $body == *'[DONE]'* ]]
}

start_upstream() {
  free_port "$BASE_PORT"
  FAKE_PORT=$FREE_PORT
  start_fake_upstream "$FAKE_PORT"
  wait_until 15 "the fake upstream to stream" "$FAKE_PID" stream_ok "$FAKE_PORT"
  STREAM_PORT[direct]=$FAKE_PORT
  log "fake upstream (streams): pid $FAKE_PID, port $FAKE_PORT"
}

start_static() {  # the upstream of the non-streamed load, and the direct target
  free_port "$BASE_PORT"
  STATIC_PORT=$FREE_PORT
  start_nginx_instance nginx-static nginx-static.conf.template "$STATIC_PORT" "s|@STATIC_PORT@|$STATIC_PORT|g"
  PORT[direct]=$STATIC_PORT
  PROXY_FIXED[direct]=""
  UPSTREAM_PIDS="$NGINX_PIDS $FAKE_PID"
  log "static nginx upstream: pids $NGINX_PIDS, port $STATIC_PORT"
}

start_nginx() {
  free_port "$BASE_PORT"
  PORT[nginx]=$FREE_PORT
  free_port "$BASE_PORT"
  STREAM_PORT[nginx]=$FREE_PORT
  free_port "$((BASE_PORT + 700))"
  OTLP_PORT=$FREE_PORT
  start_nginx_instance nginx nginx.conf.template "${PORT[nginx]}" "s|@NGINX_PORT@|${PORT[nginx]}|g" \
    "s|@NGINX_STREAM_PORT@|${STREAM_PORT[nginx]}|g" "s|@STATIC_PORT@|$STATIC_PORT|g" "s|@FAKE_PORT@|$FAKE_PORT|g" \
    "s|@OTLP_PORT@|$OTLP_PORT|g"
  wait_until 15 "nginx to stream" "${NGINX_PIDS%% *}" stream_ok "${STREAM_PORT[nginx]}"
  PROXY_FIXED[nginx]=$NGINX_PIDS
  log "nginx: pids $NGINX_PIDS, port ${PORT[nginx]} (streams ${STREAM_PORT[nginx]})"
}

write_routes() {  # the gateways' routes: the stream model to the fake upstream, every other to the static nginx
  ROUTES="$TMP/routes.yaml"
  cat >"$ROUTES" <<EOF
providers:
  static: {base_url: "http://127.0.0.1:$STATIC_PORT/v1"}
  fake: {base_url: "http://127.0.0.1:$FAKE_PORT/v1"}
routes:
  - {model: $STREAM_MODEL, provider: fake}
  - {model: "*", provider: static}
EOF
}

start_gateway() {  # start_gateway <target> <extra env assignments...>: every role in one JVM, the embedded default
  local target=$1
  shift
  free_port "$BASE_PORT"
  PORT[$target]=$FREE_PORT
  STREAM_PORT[$target]=${PORT[$target]}
  # Its node port serves /health, which counts the recorder's dropped events (and /metrics with telemetry on).
  free_port "$((BASE_PORT + 800))"
  NODE_PORT[$target]=$FREE_PORT
  free_port "$((BASE_PORT + 500))"
  local debug_port=$FREE_PORT
  # its own embedded PostgreSQL data directory and debug port, so two all-in-one targets can run side by side
  start_jvm "$target" GATEWAY_PORT="${PORT[$target]}" ROUTES_CONFIG="$ROUTES" METRICS_PORT="${NODE_PORT[$target]}" \
    LUTHIEN_DATA_DIR="$TMP/data-$target" DEBUG_PORT="$debug_port" "$@" \
    -- -jar "$TMP/luthien-vertx.jar"
  local pid=$LAST_PID
  wait_until 90 "the $target node" "$pid" grep -q "node up" "$TMP/$target.log"
  wait_until 60 "the $target node to answer 200" "$pid" static_chat_ok "${PORT[$target]}"
  wait_until 30 "the $target node to stream" "$pid" stream_ok "${PORT[$target]}"
  sleep 1
  # PostgreSQL runs in processes of its own: its postmaster and backends count as this target's CPU too. The
  # backends are read again at every measurement (pg_ticks), as new connections fork new ones.
  local postmaster
  postmaster=$(head -1 "$TMP/data-$target/postgres/postmaster.pid")
  [[ -r /proc/$postmaster/stat ]] || die "$target: no PostgreSQL process $postmaster"
  POSTMASTERS+=("$postmaster")
  POSTMASTER[$target]=$postmaster
  PROXY_FIXED[$target]=$pid
  log "$target (all-in-one): pid $pid, PostgreSQL postmaster $postmaster, port ${PORT[$target]}"
}

start_gateway_clustered() {
  free_port "$BASE_PORT"
  PORT[gateway-clustered]=$FREE_PORT
  local hz members
  hz=$(free_port_pair "$CLUSTER_BASE_PORT")
  members="127.0.0.1:$hz,127.0.0.1:$((hz + 1))"
  # A cluster name of our own, so this pair never joins another luthien cluster on the machine.
  local cluster=(CLUSTER_NAME="luthien-bench-$$" CLUSTER_MEMBERS="$members" CLUSTER_PORT="$hz" CLUSTER_HOST=127.0.0.1)
  start_jvm policy "${cluster[@]}" OTEL_ENABLED=false -- -jar "$TMP/luthien-vertx.jar" --roles policy
  local policy_pid=$LAST_PID
  wait_until 90 "the policy node" "$policy_pid" grep -q "node up" "$TMP/policy.log"
  # The gateway role reads ROUTES_CONFIG (docs/configuration.md); the policy node calls no provider.
  start_jvm gateway-clustered "${cluster[@]}" OTEL_ENABLED=false GATEWAY_PORT="${PORT[gateway-clustered]}" \
    ROUTES_CONFIG="$ROUTES" -- -jar "$TMP/luthien-vertx.jar" --roles gateway
  local gateway_pid=$LAST_PID
  wait_until 90 "the clustered gateway node" "$gateway_pid" grep -q "node up" "$TMP/gateway-clustered.log"
  wait_until 60 "the clustered gateway to answer 200" "$gateway_pid" static_chat_ok "${PORT[gateway-clustered]}"
  wait_until 30 "the clustered gateway to stream" "$gateway_pid" stream_ok "${PORT[gateway-clustered]}"
  STREAM_PORT[gateway-clustered]=${PORT[gateway-clustered]}
  PROXY_FIXED[gateway-clustered]="$gateway_pid $policy_pid"
  log "gateway + policy clustered: gateway pid $gateway_pid, policy pid $policy_pid, port ${PORT[gateway-clustered]}, hazelcast $members"
}

# ---------------------------------------------------------------------------------------------------------
# Measurements: each writes "<target> <round> <key> <value>" lines to $RAW.

proxy_pids() {  # the proxy processes of a target now: nginx master + workers, JVM(s), PostgreSQL with its backends
  local target=$1
  echo "${PROXY_FIXED[$target]}${POSTMASTER[$target]:+ ${POSTMASTER[$target]} $(pg_backends "${POSTMASTER[$target]}")}"
}

proxy_ticks() {  # CPU of the proxy processes only: what issue 17 calls the gateway's CPU
  local target=$1 total
  # shellcheck disable=SC2086  # pid lists are space-separated on purpose
  total=$(cpu_ticks ${PROXY_FIXED[$target]})
  if [[ -n ${POSTMASTER[$target]:-} ]]; then total=$((total + $(pg_ticks "${POSTMASTER[$target]}"))); fi
  echo "$total"
}

server_ticks() {  # every server-side process of a target: the upstreams (static nginx, fake upstream) and the proxy
  # shellcheck disable=SC2086
  echo $(($(cpu_ticks $UPSTREAM_PIDS) + $(proxy_ticks "$1")))
}

ours_ticks() {  # every process of the benchmark's but the clients
  local total pm
  total=$(cpu_ticks "${CHILD_PIDS[@]}")
  for pm in "${POSTMASTERS[@]}"; do total=$((total + $(pg_ticks "$pm"))); done
  echo "$total"
}

rss_kb() {  # a process that has ended since its pid was read counts 0
  local total=0 pid kb
  for pid in "$@"; do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || kb=0
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

recorder_dropped() {  # recorder_dropped <target> <key suffix>: the recorder's dropped events and more, from /health
  local target=$1 suffix=$2 health key value
  if health=$(curl -sf -m 5 "http://127.0.0.1:${NODE_PORT[$target]}/health"); then
    while read -r key value; do
      record "$target" 0 "recorder_${key}_$suffix" "$value"
    done < <(python3 -c 'import json, sys
r = json.load(sys.stdin).get("recorder") or {}
for k in ("dropped_events", "written_events", "queued_events"):
    if k in r: print(k, r[k])' <<<"$health")
  else
    log "WARNING: $target answered no /health on port ${NODE_PORT[$target]}: its dropped events are unknown"
  fi
  # The recorder also logs its drops (at most one line per 5 s, each with the running total): a cross-check.
  local logged
  logged=$({ grep -o 'dropped recorder events[^:]*: [0-9]* in total' "$TMP/$target.log" || true; } \
    | awk '{ n = $(NF - 2) + 0; if (n > max) max = n } END { print max + 0 }')
  record "$target" 0 "recorder_logged_dropped_$suffix" "$logged"
}

children_ticks() {  # CPU of this script's finished children (wrk, the stream client): cutime + cstime
  local stat fields
  stat=$(<"/proc/$$/stat")
  read -ra fields <<<"${stat##*) }"
  echo $((fields[13] + fields[14]))
}

wrk_run() {  # wrk_run <target> <round> <threads> <connections> <seconds> <key prefix>
  local target=$1 round=$2 threads=$3 conns=$4 seconds=$5 prefix=$6 out
  out="$TMP/wrk-$target-$round-$prefix.txt"
  run_client wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency -s "$BENCH_DIR/post.lua" \
    "http://127.0.0.1:${PORT[$target]}/v1/chat/completions" >"$out" 2>&1 || die "wrk failed on $target: $(cat "$out")"
  grep -q '^BENCH ' "$out" || die "wrk printed no summary on $target: $(cat "$out")"
  local key value
  while read -r _ key value; do
    record "$target" "$round" "${prefix}_$key" "$value"
  done < <(grep '^BENCH ' "$out")
}

stream_run() {  # stream_run <target> <round> <streams> <chunk delay ms> <key prefix>
  local target=$1 round=$2 prefix=$5 out key value
  out="$TMP/$prefix-$target-$round.txt"
  run_client python3 "$BENCH_DIR/stream_client.py" --port "${STREAM_PORT[$target]}" --streams "$3" \
    --model "$STREAM_MODEL" --chunks "$STREAM_CHUNKS" --delay-ms "$4" --verbose >"$out" 2>"$out.err" \
    || die "the stream client failed on $target: $(cat "$out.err")"
  if ((round > 0)); then sed "s/^/$target round $round: /" "$out.err" >>"$TMP/stream-notes.txt"; fi
  while read -r key value; do
    record "$target" "$round" "${prefix}_$key" "$value"
  done <"$out"
}

measure() {  # one round of one target
  local target=$1 round=$2 before after proxy_before proxy_after start_machine start_children start_ours
  # The machine's CPU that neither the servers nor our clients used shows whether something else ran
  # (softirq time is charged to the running task's stime on this kernel, so it is not "other").
  read -r -a start_machine < <(machine_ticks)
  start_children=$(children_ticks)
  start_ours=$(ours_ticks)
  before=$(server_ticks "$target")
  proxy_before=$(proxy_ticks "$target")
  wrk_run "$target" "$round" 2 "$CONNECTIONS" "$DURATION" c32
  proxy_after=$(proxy_ticks "$target")
  after=$(server_ticks "$target")
  record "$target" "$round" c32_cpu_ticks $((after - before))
  if [[ $target != direct ]]; then record "$target" "$round" c32_proxy_cpu_ticks $((proxy_after - proxy_before)); fi
  wrk_run "$target" "$round" 1 1 "$DURATION" c1
  proxy_before=$(proxy_ticks "$target")
  stream_run "$target" "$round" "$STREAMS" "$STREAM_DELAY_MS" stream
  proxy_after=$(proxy_ticks "$target")
  if [[ $target != direct ]]; then
    record "$target" "$round" stream_proxy_cpu_ticks $((proxy_after - proxy_before))
    local pids parts="" pid
    pids=$(proxy_pids "$target")
    # shellcheck disable=SC2086  # pid lists are space-separated on purpose
    record "$target" "$round" rss_kb "$(rss_kb $pids)"
    for pid in $pids; do parts+="$(rss_kb "$pid"),"; done
    record "$target" "$round" rss_parts_kb "${parts%,}"
  fi
  local end_machine end_servers end_ours others idle_targets
  read -r -a end_machine < <(machine_ticks)
  end_servers=$(server_ticks "$target")
  end_ours=$(ours_ticks)
  others=$((end_machine[0] - start_machine[0] - (end_ours - start_ours) - ($(children_ticks) - start_children)))
  idle_targets=$((end_ours - start_ours - (end_servers - before)))
  local total=$((end_machine[2] - start_machine[2]))
  record "$target" "$round" idle_targets_cpu_pct "$(awk -v o="$idle_targets" -v t="$total" 'BEGIN { printf "%.1f", o * 100 / t }')"
  record "$target" "$round" background_cpu_pct "$(awk -v o="$others" -v t="$total" 'BEGIN { printf "%.1f", (o < 0 ? 0 : o) * 100 / t }')"
  record "$target" "$round" steal_cpu_pct "$(awk -v o="$((end_machine[1] - start_machine[1]))" -v t="$total" 'BEGIN { printf "%.1f", o * 100 / t }')"
}

# JIT warm-up: bursts of load until two bursts in a row agree within 10% on req/s (the gateway's JVMs
# need tens of seconds on two cores), then streams back to back (the streaming path is other code: without
# this its time to first chunk is still falling after hundreds of streams).
warm_up() {
  local target burst rps previous=0 seconds
  for target in "${TARGETS[@]}"; do
    seconds=0
    previous=0
    for ((burst = 1; ; burst++)); do
      wrk_run "$target" 0 2 "$CONNECTIONS" "$WARMUP_STEP" "warmup$burst"
      rps=$(awk -v t="$target" -v k="warmup${burst}_requests" -v k2="warmup${burst}_duration_us" \
        '$1 == t && $2 == 0 && $3 == k { r = $4 } $1 == t && $2 == 0 && $3 == k2 { d = $4 } END { printf "%d", r * 1e6 / d }' "$RAW")
      seconds=$((seconds + WARMUP_STEP))
      if ((burst > 1 && rps * 10 >= previous * 9 && rps * 10 <= previous * 11)) || ((seconds >= WARMUP_MAX)); then
        break
      fi
      previous=$rps
    done
    record "$target" 0 warmup_seconds "$seconds"
    log "warm-up: $target warmed with ${seconds}s of load (last burst $rps req/s), now $WARMUP_STREAMS streams"
    stream_run "$target" 0 "$WARMUP_STREAMS" 0 warmupstream
  done
}

# ---------------------------------------------------------------------------------------------------------

main() {
  local build=0
  for arg in "$@"; do
    case $arg in
      --build) build=1 ;;
      -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown argument '$arg' (try --help)" ;;
    esac
  done
  exec 8>&1 9>&2
  install_cleanup
  check_quiet

  make_tmp bench
  RAW="$TMP/raw.txt"
  mkdir -p "$RESULTS_DIR"
  ensure_tools
  ensure_jars "$build"

  start_upstream
  start_static
  start_nginx
  write_routes
  # Telemetry is off everywhere but in gateway-traced and gateway-sampled. gateway-traced: 100 % sampling (the
  # SDK's default sampler), spans, metrics and logs exported over OTLP/HTTP to nginx's sink, /metrics served.
  start_gateway gateway OTEL_ENABLED=false
  start_gateway gateway-traced OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
  # gateway-sampled: the same with 10 % of calls traced (metrics and logs unchanged), what production would run
  start_gateway gateway-sampled OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
    OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1
  start_gateway gateway-unrecorded RECORDING_ENABLED=false OTEL_ENABLED=false
  start_gateway_clustered

  local started=$SECONDS target
  warm_up
  for target in "${RECORDING_TARGETS[@]}"; do recorder_dropped "$target" warmup; done
  local round i n=${#TARGETS[@]}
  for ((round = 1; round <= ROUNDS; round++)); do
    # Each round starts one target later, so no target always runs right after the same neighbour.
    for ((i = 0; i < n; i++)); do
      local target=${TARGETS[(i + round - 1) % n]}
      log "round $round/$ROUNDS: $target"
      measure "$target" "$round"
    done
  done
  log "measured in $((SECONDS - started))s"
  for target in "${RECORDING_TARGETS[@]}"; do recorder_dropped "$target" total; done

  local stamp
  stamp=$(date +%Y%m%d-%H%M%S)
  cp "$RAW" "$RESULTS_DIR/raw-$stamp.txt"
  grep -hE '"level":"(WARN|ERROR)"' "$TMP"/{gateway,gateway-traced,gateway-sampled,gateway-unrecorded,gateway-clustered,policy}.log >"$TMP/jvm-warnings.txt" || true
  touch "$TMP/stream-notes.txt"
  python3 "$BENCH_DIR/report.py" --raw "$RAW" --clk-tck "$(getconf CLK_TCK)" --warnings "$TMP/jvm-warnings.txt" \
    --stream-notes "$TMP/stream-notes.txt" \
    --config "date=$(date -u +%Y-%m-%dT%H:%MZ) upstream=static-nginx(streams:FakeUpstream) rounds=$ROUNDS duration=${DURATION}s warmup=${WARMUP_STEP}s-bursts,max${WARMUP_MAX}s/target connections=$CONNECTIONS streams=$STREAMS chunks=$STREAM_CHUNKS delay=${STREAM_DELAY_MS}ms java_opts='$JAVA_OPTS' commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown) cores=$(nproc)" \
    >"$RESULTS_DIR/results-$stamp.md"
  cp "$RESULTS_DIR/results-$stamp.md" "$RESULTS_DIR/latest.md"
  cat "$RESULTS_DIR/latest.md"
  log "written to bench/results/latest.md (raw data: bench/results/raw-$stamp.txt)"
}

main "$@"
