#!/usr/bin/env bash
# Load that must hold (issue 12): the all-in-one gateway (embedded PostgreSQL, recording on, telemetry off) in
# front of the fake upstream, through four load phases one after another, each while probe calls (non-streamed
# chat completions, model gpt-4o-mini, each on a fresh connection, from a process of their own) measure p50/p99
# latency. See bench/README.md.
#
#   bench/hardening.sh
#
# Needs the packaged jars (./mvnw -B -ntp -o -q -DskipTests package), Python 3, curl and psql.
# Environment overrides (defaults in brackets):
#   PROBE_RATE probes per second [20]; WARMUP_CALLS small calls to warm the JVM first [5000];
#   BASELINE_SECONDS probes alone before the load [10]
#   STREAMS concurrent streams [500], STREAM_CHUNKS [20], STREAM_DELAY_MS [500] (20 x 500 ms = ~10 s a stream)
#   IDLE_CONNECTIONS [2000], IDLE_SECONDS [20]
#   SLOW_READERS [300], SLOW_BYTES per second each [8], SLOW_CHUNKS [2000], SLOW_DELAY_MS [5],
#   SMALL_CALLS [5000], SMALL_CONCURRENCY [20]
#   BODY_BYTES [10485760 - 1024, just under the default MAX_REQUEST_BYTES of 10 MiB], BODY_RATE per s [2],
#   BODY_SECONDS [20]
#   JAVA_OPTS [-XX:+UseParallelGC -Xms256m -Xmx512m], LOG_LEVEL [INFO], KEEP_TMP=1 keeps logs and raw data.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_PREFIX=hardening
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
RESULTS_DIR="$BENCH_DIR/results"

PROBE_RATE=${PROBE_RATE:-20}
BASELINE_SECONDS=${BASELINE_SECONDS:-10}
WARMUP_CALLS=${WARMUP_CALLS:-5000}
STREAMS=${STREAMS:-500}
STREAM_CHUNKS=${STREAM_CHUNKS:-20}
STREAM_DELAY_MS=${STREAM_DELAY_MS:-500}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-2000}
IDLE_SECONDS=${IDLE_SECONDS:-20}
SLOW_READERS=${SLOW_READERS:-300}
SLOW_BYTES=${SLOW_BYTES:-8}
SLOW_CHUNKS=${SLOW_CHUNKS:-2000}
SLOW_DELAY_MS=${SLOW_DELAY_MS:-5}
SMALL_CALLS=${SMALL_CALLS:-5000}
SMALL_CONCURRENCY=${SMALL_CONCURRENCY:-20}
BODY_BYTES=${BODY_BYTES:-$((10 * 1024 * 1024 - 1024))}
BODY_RATE=${BODY_RATE:-2}
BODY_SECONDS=${BODY_SECONDS:-20}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx512m}
LOG_LEVEL=${LOG_LEVEL:-INFO}
KEEP_TMP=${KEEP_TMP:-0}

LAUNCHER_JAR=$DEFAULT_LAUNCHER_JAR
TESTS_JAR=$DEFAULT_TESTS_JAR

chat_ok() {
  local body
  body=$(curl -sf -m 5 -X POST "http://127.0.0.1:$1/v1/chat/completions" -H 'Content-Type: application/json' \
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"ping"}]}') || return 1
  [[ $body == *'"chat.completion"'* ]]
}

PG_PORT=""
recorded() {  # recorded [where]: rows in conversation_calls (where: an SQL condition)
  PGPASSWORD=$(<"$TMP/data/postgres-superuser.password") psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -Atc "SELECT count(*) FROM conversation_calls${1:+ WHERE $1}"
}

recorded_settled() {  # the count once the recorder has caught up: the same twice 3 s apart (at most 120 s)
  local previous=-1 now deadline=$((SECONDS + 120))
  while :; do
    now=$(recorded)
    if [[ $now == "$previous" ]] || ((SECONDS >= deadline)); then echo "$now"; return; fi
    previous=$now
    sleep 3
  done
}

phase() {  # phase <name> <hardening_load.py args...>: the load in one process, the probes in another
  local name=$1
  shift
  log "phase $name: $*"
  local stop="$TMP/phase-$name.stop"
  python3 "$BENCH_DIR/hardening_load.py" --port "$GATEWAY_PORT" --pid "$GATEWAY_PID" --probe-rate "$PROBE_RATE" \
    --phase baseline --until-file "$stop" >"$TMP/phase-$name.probes.json" 2>"$TMP/phase-$name.probes.err" &
  local probes=$!
  CHILD_PIDS+=("$probes")
  local ok=1
  python3 "$BENCH_DIR/hardening_load.py" --port "$GATEWAY_PORT" --pid "$GATEWAY_PID" --probe-rate 0 \
    --phase "$@" >"$TMP/phase-$name.load.json" 2>"$TMP/phase-$name.load.err" || ok=0
  touch "$stop"
  wait "$probes" || die "the probes of phase $name failed: $(cat "$TMP/phase-$name.probes.err")"
  unset 'CHILD_PIDS[-1]'  # the probe process, ended
  ((ok)) || die "phase $name failed: $(cat "$TMP/phase-$name.load.err")"
  kill -0 "$GATEWAY_PID" 2>/dev/null || die "the gateway died in phase $name"
  python3 - "$name" "$TMP/phase-$name.load.json" "$TMP/phase-$name.probes.json" >>"$TMP/phases.jsonl" <<'EOF'
import json, sys
name, load, probes = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
r = dict(load)
for k in ("probes", "probe_p50_ms", "probe_p99_ms", "probe_max_ms", "probe_status", "rss_last_kb", "fds_last"):
    r[k] = probes[k]
r["errors"] = {**load["errors"], **probes["errors"]}
r["answered"] = load["answered"] + probes["answered"]
r["rss_max_kb"] = max(load["rss_max_kb"], probes["rss_max_kb"])
r["fds_max"] = max(load["fds_max"], probes["fds_max"])
print(json.dumps({"name": name, "result": r}))
EOF
  tail -1 "$TMP/phases.jsonl" >&2
}

main() {
  install_cleanup
  [[ -f $LAUNCHER_JAR && -f $TESTS_JAR ]] || die "build the jars first: ./mvnw -B -ntp -o -q -DskipTests package"
  command -v psql >/dev/null || die "psql is needed to count the recorded calls"
  make_tmp hardening
  copy_jars "$LAUNCHER_JAR" "$TESTS_JAR"
  mkdir -p "$RESULTS_DIR"

  local upstream_port
  free_port
  upstream_port=$FREE_PORT
  start_fake_upstream "$upstream_port"
  log "fake upstream: pid $FAKE_PID, port $upstream_port"

  free_port
  GATEWAY_PORT=$FREE_PORT
  free_port
  start_jvm gateway LOG_LEVEL="$LOG_LEVEL" METRICS_PORT=off OTEL_ENABLED=false GATEWAY_PORT="$GATEWAY_PORT" \
    OPENAI_BASE_URL="http://127.0.0.1:$upstream_port/v1" LUTHIEN_DATA_DIR="$TMP/data" DEBUG_PORT="$FREE_PORT" \
    -- -jar "$TMP/luthien-vertx.jar"
  GATEWAY_PID=$LAST_PID
  wait_until 120 "the gateway" "$GATEWAY_PID" grep -q "node up" "$TMP/gateway.log"
  wait_until 60 "the gateway to answer 200" "$GATEWAY_PID" chat_ok "$GATEWAY_PORT"
  PG_PORT=$(sed -n 4p "$TMP/data/postgres/postmaster.pid")
  log "gateway: pid $GATEWAY_PID, port $GATEWAY_PORT, embedded PostgreSQL on $PG_PORT, fd limit $(awk '/open files/ {print $4}' /proc/$GATEWAY_PID/limits)"
  local rows_before
  rows_before=$(recorded_settled)
  log "recorded before the phases: $rows_before"

  local started=$SECONDS
  # JIT warm-up: small calls (the slow phase with no slow readers), probes measured but not the point
  phase warmup slow --count 0 --calls "$WARMUP_CALLS" --concurrency "$SMALL_CONCURRENCY"
  phase baseline baseline --seconds "$BASELINE_SECONDS"
  phase streams streams --count "$STREAMS" --stream-chunks "$STREAM_CHUNKS" --stream-delay-ms "$STREAM_DELAY_MS"
  phase idle idle --count "$IDLE_CONNECTIONS" --seconds "$IDLE_SECONDS"
  phase slow slow --count "$SLOW_READERS" --slow-bytes "$SLOW_BYTES" --stream-chunks "$SLOW_CHUNKS" \
    --stream-delay-ms "$SLOW_DELAY_MS" --calls "$SMALL_CALLS" --concurrency "$SMALL_CONCURRENCY"
  phase bodies bodies --body-bytes "$BODY_BYTES" --rate "$BODY_RATE" --seconds "$BODY_SECONDS"
  log "phases done in $((SECONDS - started))s; waiting for the recorder to catch up"
  local rows_after by_status after_rss after_fds
  rows_after=$(recorded_settled)
  by_status=$(PGPASSWORD=$(<"$TMP/data/postgres-superuser.password") psql -h 127.0.0.1 -p "$PG_PORT" -U postgres \
    -d postgres -Atc "SELECT coalesce(status::text, 'null') || '=' || count(*) FROM conversation_calls GROUP BY status ORDER BY status" | tr '\n' ' ')
  after_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$GATEWAY_PID/status")
  after_fds=$(ls "/proc/$GATEWAY_PID/fd" | wc -l)
  grep -cE '"level":"(WARN|ERROR)"' "$TMP/gateway.log" >"$TMP/warn-count" || true
  grep -hE '"level":"(WARN|ERROR)"' "$TMP/gateway.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -15 >"$TMP/warnings.txt" || true

  local stamp
  stamp=$(date +%Y%m%d-%H%M%S)
  python3 - "$TMP/phases.jsonl" "$rows_before" "$rows_after" "$by_status" "$after_rss" "$after_fds" \
    "$(cat "$TMP/warn-count")" "$TMP/warnings.txt" \
    "date=$(date -u +%Y-%m-%dT%H:%MZ) commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown) cores=$(nproc) java_opts='$JAVA_OPTS' probe_rate=$PROBE_RATE streams=$STREAMS x ${STREAM_CHUNKS}x${STREAM_DELAY_MS}ms idle=$IDLE_CONNECTIONS for ${IDLE_SECONDS}s slow=$SLOW_READERS at ${SLOW_BYTES}B/s (${SLOW_CHUNKS}x${SLOW_DELAY_MS}ms) small_calls=$SMALL_CALLS@$SMALL_CONCURRENCY bodies=${BODY_BYTES}B at ${BODY_RATE}/s for ${BODY_SECONDS}s" \
    >"$RESULTS_DIR/hardening-$stamp.md" <<'EOF'
import json, sys
phases = [json.loads(l) for l in open(sys.argv[1])]
before, after, by_status, rss, fds, warns, warn_file, config = sys.argv[2:10]
def fmt(d):
    return ", ".join(f"{k}: {v}" for k, v in sorted(d.items())) or "none"
print(f"# Hardening run\n\n{config}\n")
print("| phase | probes | probe p50 ms | probe p99 ms | probe max ms | probe non-200 / errors | load statuses | load errors | RSS max / end MB | fds max / end | notes |")
print("|---|---:|---:|---:|---:|---|---|---|---:|---:|---|")
answered = 0
for p in phases:
    r = p["result"]
    answered += r["answered"]
    probe_bad = {k: v for k, v in r["probe_status"].items() if k != "200"}
    probe_err = {k: v for k, v in r["errors"].items() if k.startswith("probe")}
    load_err = {k: v for k, v in r["errors"].items() if not k.startswith("probe")}
    notes = []
    for key in ("stream_seconds", "small_ms", "body_ms", "slow_bytes_read"):
        if key in r:
            s = r[key]
            notes.append(f"{key} n={s['n']} p50={s['p50']} p99={s['p99']} max={s['max']}")
    for key in ("stream_incomplete", "idle_connected", "idle_closed_by_server", "slow_ended_by_server", "small_calls_seconds", "body_bytes"):
        if key in r:
            notes.append(f"{key}={r[key]}")
    notes.append(f"{r['seconds']} s")
    print(f"| {p['name']} | {r['probes']} | {r['probe_p50_ms']} | {r['probe_p99_ms']} | {r['probe_max_ms']} | "
          f"{fmt(probe_bad)}; {fmt(probe_err)} | {fmt(r['load_status'])} | {fmt(load_err)} | "
          f"{r['rss_max_kb'] // 1024} / {r['rss_last_kb'] // 1024} | {r['fds_max']} / {r['fds_last']} | {'; '.join(notes)} |")
recorded = int(after) - int(before)
print(f"\nAfter the phases: RSS {int(rss) // 1024} MB, {fds} fds.\n")
no_status = sum(int(x.split("=")[1]) for x in by_status.split() if x.startswith("null="))
print(f"**Recorded = answered: {'yes' if recorded == answered else 'NO'}** — responses the clients got (any status) "
      f"{answered}, calls recorded during the phases {recorded} (conversation_calls {before} before, {after} after; by status: {by_status.strip()}).\n")
print(f"**Calls recorded without a final status (their response event lost): {no_status}**\n")
print(f"Gateway WARN/ERROR log lines: {warns}\n")
w = open(warn_file).read().strip()
if w:
    print("```\n" + w + "\n```")
EOF
  cp "$RESULTS_DIR/hardening-$stamp.md" "$RESULTS_DIR/hardening-latest.md"
  cp "$TMP/phases.jsonl" "$RESULTS_DIR/hardening-raw-$stamp.jsonl"
  cat "$RESULTS_DIR/hardening-latest.md"
  log "written to bench/results/hardening-latest.md"
}

main "$@"
