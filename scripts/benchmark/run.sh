#!/usr/bin/env bash
# The benchmark: a private PostgreSQL, the API in Release on loopback, 1,000,000 synthetic claims, then wrk and
# pgbench at 16 and 64 connections (10 s runs, 3 times each, median reported). Writes results.md, results.json
# and explain/*.txt beside this script. Not part of the test suite. Takes about 20 minutes.
#   CLAIMS=1000000 DURATION=10 REPEATS=3 bash scripts/benchmark/run.sh
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
ROOT=$(cd ../.. && pwd)
CLAIMS=${CLAIMS:-1000000}
DURATION=${DURATION:-10}
REPEATS=${REPEATS:-3}
CONNECTIONS=(16 64)
PG_PORT=${BENCH_PG_PORT:-56500}
API_URL=http://127.0.0.1:${BENCH_API_PORT:-5099}
# A second instance that keeps no results (ResultCache__Size=0): the -cold rows measure what requests cost without them.
COLD_URL=http://127.0.0.1:${BENCH_COLD_API_PORT:-5098}
PEER_URL=http://127.0.0.1:${BENCH_PEER_PORT:-5097}
WORK=$(mktemp -d /tmp/evidenceapi-bench-XXXXXX)
chmod 755 "$WORK"

source "$ROOT/scripts/lib/postgres.sh"
pg_install_if_missing
need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need python3 python3
PGBENCH=$(command -v pgbench || echo "$PG_BIN/pgbench")
PSQL="$PG_BIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -d bench -v ON_ERROR_STOP=1 -qAt"

# every step may fail (a process already gone answers wait with its signal): the server must be stopped whatever happened
cleanup() {
  set +e
  [ -n "${API_PID:-}" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
  [ -n "${COLD_PID:-}" ] && kill "$COLD_PID" 2>/dev/null && wait "$COLD_PID" 2>/dev/null
  [ -n "${PEER_PID:-}" ] && kill "$PEER_PID" 2>/dev/null && wait "$PEER_PID" 2>/dev/null
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT"
mkdir -p "$WORK/pg"
pg_start "$WORK/pg" "$PG_PORT"
$PG_BIN/psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "alter system set shared_buffers = '2GB'" \
  -c "alter system set max_wal_size = '8GB'" -c "alter system set checkpoint_timeout = '30min'" \
  -c "alter system set maintenance_work_mem = '1GB'" -c "alter system set work_mem = '32MB'" \
  -c "alter system set effective_cache_size = '8GB'" -c "alter system set random_page_cost = 1.1"
pg_stop "$WORK/pg" && pg_start "$WORK/pg" "$PG_PORT"
pg_create_database "$PG_PORT" bench
# A pool of twice the database's cores: more connections than that only make PostgreSQL's backends take turns on
# the same cores, which shows up as tail latency (measured: p99 ~100-250 ms with 128 connections, ~20 ms with 4).
POOL=${POOL:-$(( $(nproc) * 2 ))}
# With 64 connections sharing 4, a request can wait for a connection longer than the API's 3 s default, and would be
# shed with 503; the benchmark measures throughput at saturation, so it lets requests wait.
export ConnectionStrings__Evidence="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench;Maximum Pool Size=$POOL;Timeout=30;Command Timeout=30"

echo "== Build (Release)"
dotnet publish "$ROOT/src/EvidenceApi" -c Release -o "$WORK/api" -v quiet -nologo
API="dotnet $WORK/api/EvidenceApi.dll"
$API migrate >/dev/null

echo "== Load $CLAIMS synthetic claims"
LOAD_START=$(date +%s.%N)
$API seed-synthetic --claims "$CLAIMS" --seed 1 | tail -1
LOAD_SECONDS=$(python3 -c "import time; print(round(time.time() - $LOAD_START, 1))")
# Measure the catalogue at rest: otherwise autovacuum's first pass over a million new rows runs during the load runs.
$PG_BIN/psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d bench -qc "vacuum (analyze)" -c "checkpoint"

echo "== API on $API_URL"
(cd "$WORK/api" && exec env RateLimiting__Enabled=false Logging__LogLevel__Default=Warning \
  "Logging__LogLevel__Microsoft.AspNetCore.HttpLogging=Warning" dotnet EvidenceApi.dll --urls "$API_URL") &
API_PID=$!
# the cold instance keeps nothing and lets a request take as long as it needs: its rows measure the cost, not the shedding
(cd "$WORK/api" && exec env RateLimiting__Enabled=false ResultCache__Size=0 Limits__AnonymousRequestSeconds=60 Logging__LogLevel__Default=Warning \
  "Logging__LogLevel__Microsoft.AspNetCore.HttpLogging=Warning" dotnet EvidenceApi.dll --urls "$COLD_URL") &
COLD_PID=$!
until curl -sf "$API_URL/health/ready" >/dev/null && curl -sf "$COLD_URL/health/ready" >/dev/null; do sleep 0.5; done

# The peer: PostGraphile over the same database, with the same pool, serving the list's page (peer.lua) as GraphQL.
# v4, because v5 needs Node.js 22; installed from npm into the run's folder, skipped with a note without Node.js or npm.
PEER_NOTE=""
if command -v node >/dev/null && command -v npm >/dev/null; then
  if npm install --prefix "$WORK/peer" --no-audit --no-fund --silent postgraphile@4 \
       postgraphile-plugin-connection-filter@2 >"$WORK/peer-install.log" 2>&1; then
    # the link tables' types would take the name of the claims' `condition` argument type: rename them for PostGraphile
    $PSQL -c "comment on table claim_conditions is E'@name claim_condition_links'" \
      -c "comment on table claim_cannabinoids is E'@name claim_cannabinoid_links'"
    "$WORK/peer/node_modules/.bin/postgraphile" -c "postgres://postgres@127.0.0.1:$PG_PORT/bench" --schema public \
      --host 127.0.0.1 --port "${PEER_URL##*:}" --max-pool-size "$POOL" --disable-graphiql --disable-query-log \
      --append-plugins postgraphile-plugin-connection-filter >"$WORK/peer.log" 2>&1 &
    PEER_PID=$!
    for _ in $(seq 120); do curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' "$PEER_URL/graphql" && break; sleep 0.5; done
    PEER_PAGE=$(lua_body=$(sed -n 's/^local query = \[\[\(.*\)\]\]$/\1/p' "$HERE/peer.lua"); curl -s -H 'Content-Type: application/json' \
      -d "$(python3 -c "import json,sys; print(json.dumps({'query': sys.argv[1]}))" "$lua_body")" "$PEER_URL/graphql" \
      | python3 -c "import json,sys; print(len(json.load(sys.stdin)['data']['allClaims']['nodes']))" 2>/dev/null || echo 0)
    [ "$PEER_PAGE" = 50 ] || { PEER_NOTE="PostGraphile did not serve the page (see its log); the peer row is left out."; kill "$PEER_PID"; PEER_PID=; }
  else
    PEER_NOTE="npm could not install postgraphile@4 ($(tail -1 "$WORK/peer-install.log")); the peer row is left out."
  fi
else
  PEER_NOTE="No Node.js or npm on this machine: the PostGraphile peer row is left out."
fi
[ -n "$PEER_NOTE" ] && echo "$PEER_NOTE" >&2
export PEER_NOTE

# Inputs: random ids and a cursor 90 % deep (900,000 claims of 1,000,000).
$PSQL -c "select id from claims tablesample bernoulli (1) limit 10000" > "$WORK/ids.txt"
LIST="/v1/claims?condition=fibromyalgia&status=needs-citation&limit=50"
read -r DEEP_TIME DEEP_ID <<<"$($PSQL -F ' ' -c "select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), id from claims order by created_at, id offset $((CLAIMS * 9 / 10 - 1)) limit 1")"
# the cursor every list issues (Infrastructure/Http/Paging.cs): base64url JSON of the order and the last item's key
DEEP_CURSOR=$(printf '{"o":"createdAt","k":["%s","%s"]}' "$DEEP_TIME" "$DEEP_ID" | base64 -w0 | tr '+/' '-_' | tr -d '=')
curl -sf "$API_URL$LIST&cursor=$DEEP_CURSOR" | python3 -c "import json,sys; assert json.load(sys.stdin)['items'], 'deep page is empty'"
CLAIM_ID=$(head -1 "$WORK/ids.txt")

peak_reset() { echo 5 > /proc/${PID:-$API_PID}/clear_refs; }
peak_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' /proc/${PID:-$API_PID}/status; }
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; printf "%.2f", v }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# The cold instance finishes what wrk left in flight (it lets requests run long): each run starts once PostgreSQL is idle.
wait_idle() {
  for _ in $(seq 180); do
    [ "$($PSQL -c "select count(*) from pg_stat_activity where datname = 'bench' and state = 'active' and pid <> pg_backend_pid()")" = 0 ] && return
    sleep 0.5
  done
}

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
run_wrk() { # name connections path-or-script
  local name=$1 c=$2 target=$3 rps=() p50=() p99=() args=()
  local url=${URL:-$API_URL}
  if [[ $target == *.lua ]]; then args=(-s "$HERE/$target" "$url"); else args=("$url$target"); fi
  peak_reset
  for _ in $(seq "$REPEATS"); do
    wait_idle
    out=$(IDS_FILE="$WORK/ids.txt" wrk -t2 -c"$c" -d"${DURATION}s" --timeout 30s --latency "${args[@]}")
    if echo "$out" | grep -q "Non-2xx"; then echo "$out" >&2; echo "non-2xx answers in $name" >&2; exit 1; fi
    if echo "$out" | grep -q "Socket errors.*timeout [1-9]"; then echo "$out" | grep "Socket errors" >&2; fi
    rps+=("$(echo "$out" | awk '/Requests\/sec/ { print $2 }')")
    p50+=("$(echo "$out" | awk '$1 == "50%" { print $2 }' | to_ms)")
    p99+=("$(echo "$out" | awk '$1 == "99%" { print $2 }' | to_ms)")
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$c" "$(printf '%s\n' "${rps[@]}" | median)" \
    "$(printf '%s\n' "${p50[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)" "$(peak_mb)" | tee -a "$RESULTS"
}
run_pgbench() { # name connections sql [pgbench options]
  local name=$1 c=$2 sql=$3 tps=() p50=() p99=()
  shift 3
  for _ in $(seq "$REPEATS"); do
    wait_idle
    rm -f "$WORK"/pgbench_log.*
    out=$(cd "$WORK" && "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c "$c" -j 2 -T "$DURATION" -l \
      "$@" -f "$HERE/sql/$sql" bench)
    tps+=("$(echo "$out" | awk '/^tps/ { print $3; exit }')")
    cat "$WORK"/pgbench_log.* | awk '{ print $3 / 1000 }' | sort -g > "$WORK/latencies"
    n=$(wc -l < "$WORK/latencies")
    p50+=("$(sed -n "$(( (n + 1) / 2 ))p" "$WORK/latencies")")
    p99+=("$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$WORK/latencies")")
  done
  printf '%s\t%s\t%s\t%s\t%s\t\n' "$name" "$c" "$(printf '%s\n' "${tps[@]}" | median)" \
    "$(printf '%s\n' "${p50[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)" | tee -a "$RESULTS"
}

# `search` measures queries asked before: their kept rankings are computed once first, one at a time (16 connections
# computing six rankings of a million claims at once cross the 3 s deadline). `search-cold` measures the other case.
for q in $(sed -n 's/^local queries = { \(.*\) }$/\1/p' "$HERE/search.lua" | tr -d '",'); do
  curl -s -o /dev/null --max-time 30 "$API_URL/v1/claims?limit=50&q=$q"
done

echo "== Load runs (${DURATION}s x $REPEATS, median)"
printf 'name\tconnections\trps\tp50Ms\tp99Ms\tpeakRssMb\n'
for c in "${CONNECTIONS[@]}"; do
  run_pgbench pgbench-list "$c" list.sql
  # the API sends it as a prepared statement: the database's ceiling without parsing and planning each time
  run_pgbench pgbench-list-prepared "$c" list.sql -M prepared
  run_wrk list-first "$c" "$LIST"
  run_wrk list-deep "$c" "$LIST&cursor=$DEEP_CURSOR"
  [ -n "${PEER_PID:-}" ] && URL="$PEER_URL/graphql" PID=$PEER_PID run_wrk peer-postgraphile-list "$c" peer.lua
  run_wrk claim-by-id "$c" ids.lua
  run_wrk facets-all "$c" "/v1/claims/facets?by=condition,status"
  run_wrk facets-filtered "$c" "/v1/claims/facets?by=condition,status&condition=fibromyalgia&cannabinoid=terpenes&population=older-adults"
  run_wrk search "$c" search.lua
  # the same two questions, of the instance that keeps nothing: what a request costs without kept results
  URL=$COLD_URL PID=$COLD_PID run_wrk facets-filtered-cold "$c" facets-cold.lua
  URL=$COLD_URL PID=$COLD_PID run_wrk search-cold "$c" search-cold.lua
done

echo "== Export of every claim as CSV"
wait_idle
peak_reset
EXPORT=$(curl -s -o "$WORK/export.csv" -w '%{time_total}' "$API_URL/v1/claims/export?format=csv")
ROWS=$(( $(python3 -c "import csv,sys; csv.field_size_limit(10**7); print(sum(1 for _ in csv.reader(open('$WORK/export.csv', newline=''))))") - 1 ))
printf 'export-csv\t1\t%s\t\t\t%s\n' "$(python3 -c "print(round($ROWS / $EXPORT))")" "$(peak_mb)" | tee -a "$RESULTS"

echo "== EXPLAIN (ANALYZE, BUFFERS) of each benchmarked query"
PAGE_IDS=$($PSQL -c "select 'array[' || string_agg(quote_literal(id::text), ',') || ']::uuid[]' from (select id from claims, websearch_to_tsquery('english', 'reduces pain') q where search @@ q and retired_at is null order by ts_rank(search, q) desc, id desc limit 50) t")
mkdir -p "$HERE/explain"
for sql in list list-deep claim facets facets-filtered search; do
  { echo "-- $(head -1 "$HERE/sql/$sql.sql" | sed 's/^-- //')"; echo "-- $CLAIMS claims, $(date -u +%Y-%m-%d)"; } > "$HERE/explain/$sql.txt"
  sed -e "s/:deep_time/'$DEEP_TIME'::timestamptz/" -e "s/:deep_id/'$DEEP_ID'::uuid/" \
      -e "s/:claim_id/'$CLAIM_ID'::uuid/" -e "s/:page_ids/$PAGE_IDS/" "$HERE/sql/$sql.sql" \
    | python3 -c "import sys,re; sql=re.sub(r'^--.*\n', '', sys.stdin.read(), flags=re.M); print(';\n'.join('explain (analyze, buffers) ' + s.strip() for s in sql.split(';') if s.strip()) + ';')" \
    | $PSQL >> "$HERE/explain/$sql.txt"
done

python3 "$HERE/report.py" "$RESULTS" "$HERE" "$CLAIMS" "$LOAD_SECONDS"
