#!/usr/bin/env bash
# The history API over many recorded calls (issue 16). See bench/README.md, section "History".
#
# 1. Creates a throwaway database on the local PostgreSQL and fills it in SQL (generate_series): CALLS recorded
#    calls in SESSIONS sessions of USERS users, each call with a request and a response event, 1 in 20 flagged
#    as a policy intervention, 1 in 10 with a judge's child call (not a turn), and a search_text of a few words,
#    one of them rare ("quokka<n>" in one call of 500).
# 2. Starts one node with the debug role only on that database (the API on its debug port, admin key set).
# 3. Times REQUESTS sequential requests of each kind with curl (one at a time, keep-alive off, so each is a
#    whole request): the first page of sessions (limit 50), a late page (offset 1000), a full-text search for a
#    common and a rare word, the policy_intervention and user_id filters, and one session's detail; prints p50
#    and p99 per kind, and drops the database.
#
#   bench/history.sh
#
# Needs the packaged jar (./mvnw -B -ntp -o -q package -DskipTests), psql and curl, PostgreSQL on
# 127.0.0.1:5432 as user postgres (PGURL overrides: the server's URL without a database). Overrides: CALLS
# [100000], SESSIONS [3000], USERS [20], REQUESTS per kind [200], KEEP_DB=1 keeps the database.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_PREFIX=history
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
CALLS=${CALLS:-100000}
SESSIONS=${SESSIONS:-3000}
USERS=${USERS:-20}
REQUESTS=${REQUESTS:-200}
KEEP_DB=${KEEP_DB:-0}
PGURL=${PGURL:-postgresql://postgres@127.0.0.1:5432}
JAR=$DEFAULT_LAUNCHER_JAR
ADMIN_KEY=bench-admin-key
DB="luthien_bench_history_$$"

[[ -f $JAR ]] || { echo "build first: ./mvnw -B -ntp -o -q package -DskipTests" >&2; exit 1; }

make_tmp history
# lib.sh's cleanup: once the node is stopped, the database goes
cleanup_after_stop() {
  if ((KEEP_DB == 0)); then psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true; fi
}
install_cleanup

psql "$PGURL/postgres" -qc "CREATE DATABASE $DB" >/dev/null
free_port
PORT=$FREE_PORT
log "node (debug role) on :$PORT, database $DB"
DATABASE_URL="$PGURL/$DB" DEBUG_PORT=$PORT ADMIN_API_KEY=$ADMIN_KEY HOST=127.0.0.1 LUTHIEN_DATA_DIR="$TMP/data" \
  java -XX:+UseParallelGC -Xms256m -Xmx512m -jar "$JAR" --roles debug >"$TMP/node.log" 2>&1 &
NODE_PID=$!
CHILD_PIDS+=("$NODE_PID")
for _ in $(seq 300); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$TMP/node.log" >&2; exit 1; }
  sleep 0.2
done

log "inserting $CALLS calls in $SESSIONS sessions (the node migrated the schema)"
started=$(date +%s)
psql "$PGURL/$DB" -q -v ON_ERROR_STOP=1 \
  -v calls="$CALLS" -v sessions="$SESSIONS" -v users="$USERS" <<'SQL'
INSERT INTO conversation_calls (call_id, model, provider, api, stream, status, created_at, completed_at,
                                session_id, user_id, policy_changed, policy_blocked, policy_judged, search_text)
SELECT md5('call' || i)::uuid,
       (ARRAY['claude-sonnet-4-5', 'claude-opus-4', 'gpt-4o'])[1 + i % 3],
       'anthropic', 'anthropic', i % 2 = 0, CASE WHEN i % 40 = 0 THEN 403 ELSE 200 END,
       timestamptz '2026-01-01' + i * interval '7 seconds',
       timestamptz '2026-01-01' + i * interval '7 seconds' + interval '2 seconds',
       'session-' || (i % :sessions), 'key-' || lpad(to_hex(i % :sessions % :users), 12, '0'),
       i % 20 = 0, i % 40 = 0, i % 10 = 0,
       to_tsvector('english', 'please refactor module ' || (i % 97) || ' and run the tests '
                   || CASE WHEN i % 500 = 0 THEN 'quokka' || i ELSE 'build' END)
  FROM generate_series(1, :calls) AS i;
INSERT INTO conversation_calls (call_id, model, provider, api, stream, status, created_at, completed_at,
                                parent_call_id)
SELECT md5('judge' || i)::uuid, 'judge-model', 'openai', 'openai', false, 200,
       timestamptz '2026-01-01' + i * interval '7 seconds' + interval '1 second',
       timestamptz '2026-01-01' + i * interval '7 seconds' + interval '2 seconds', md5('call' || i)::uuid
  FROM generate_series(10, :calls, 10) AS i;
INSERT INTO conversation_events (call_id, event_type, sequence, payload, created_at)
SELECT md5('call' || i)::uuid, 'request', 0,
       jsonb_build_object('original', r, 'final', CASE WHEN i % 40 = 0 THEN NULL ELSE r END),
       timestamptz '2026-01-01' + i * interval '7 seconds'
  FROM generate_series(1, :calls) AS i,
       LATERAL (SELECT jsonb_build_object('model', 'claude-sonnet-4-5', 'max_tokens', 4096, 'messages',
                  jsonb_build_array(jsonb_build_object('role', 'user', 'content',
                    'please refactor module ' || (i % 97) || ' and run the tests')))) AS q(r);
INSERT INTO conversation_events (call_id, event_type, sequence, payload, created_at)
SELECT md5('call' || i)::uuid, 'response', 1,
       jsonb_build_object('original', a, 'final', a, 'status', 200),
       timestamptz '2026-01-01' + i * interval '7 seconds' + interval '2 seconds'
  FROM generate_series(1, :calls) AS i,
       LATERAL (SELECT jsonb_build_object('type', 'message', 'role', 'assistant', 'content',
                  jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'Done with module ' || (i % 97))))) AS q(a)
 WHERE i % 40 <> 0;
ANALYZE conversation_calls;
ANALYZE conversation_events;
SQL
log "inserted in $(($(date +%s) - started)) s"

# p50 and p99 in ms of REQUESTS sequential requests to one URI
measure() {
  local name=$1 uri=$2 times="$TMP/$1.times"
  for _ in $(seq 5); do curl -fs -o /dev/null -H "x-api-key: $ADMIN_KEY" "http://127.0.0.1:$PORT$uri"; done
  : >"$times"
  for _ in $(seq "$REQUESTS"); do
    curl -fs -o /dev/null -H "x-api-key: $ADMIN_KEY" -w '%{time_total}\n' "http://127.0.0.1:$PORT$uri" >>"$times"
  done
  python3 - "$name" "$uri" "$times" <<'PY'
import sys
name, uri, path = sys.argv[1:4]
times = sorted(float(line) * 1000 for line in open(path) if line.strip())
def pct(p):
    return times[min(len(times) - 1, int(round(p / 100 * (len(times) - 1))))]
print(f"| {name} | `{uri}` | {pct(50):.1f} | {pct(99):.1f} |")
PY
}

echo "| request | URI | p50 ms | p99 ms |"
echo "|---|---|---|---|"
measure list "/api/history/sessions?limit=50"
measure list-late-page "/api/history/sessions?limit=50&offset=1000"
measure search-common "/api/history/sessions?q=refactor"
measure search-rare "/api/history/sessions?q=quokka500"
measure interventions "/api/history/sessions?policy_intervention=true"
measure one-user "/api/history/sessions?user_id=key-000000000007"
measure detail "/api/history/sessions/session-7"
