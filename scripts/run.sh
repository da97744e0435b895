#!/usr/bin/env bash
# Runs the API with the seeded catalogue.
# With ConnectionStrings__Evidence set it uses that database; otherwise it starts a private PostgreSQL
# whose data lives in .local/ (ignored by git), installing the server with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

URL=${EVIDENCE_URL:-http://127.0.0.1:5080}
PG_PORT=${EVIDENCE_PG_PORT:-55432}

if [ -z "${ConnectionStrings__Evidence:-}" ]; then
  source scripts/lib/postgres.sh
  # one server per port: a second copy on another port gets a server (and data) of its own
  if [ "$PG_PORT" = 55432 ]; then PG_DATA="$PWD/.local/postgres"; else PG_DATA="$PWD/.local/postgres-$PG_PORT"; fi
  PG_DIR=$(pg_usable_dir "$PG_DATA")
  pg_start "$PG_DIR" "$PG_PORT"
  pg_create_database "$PG_PORT" evidence
  export ConnectionStrings__Evidence="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=evidence"
  echo "PostgreSQL: 127.0.0.1:$PG_PORT (data in $PG_DIR)"
fi

# a build per address, so that a second copy does not overwrite the files the first one runs
OUT="$PWD/.local/build"
[ "$URL" = http://127.0.0.1:5080 ] || OUT="$PWD/.local/build-$(echo "$URL" | tr -c 'a-zA-Z0-9' '-')"
dotnet publish src/EvidenceApi -c Release -o "$OUT" -v quiet -nologo

# Stop the API, and the PostgreSQL this script started, however the script ends.
cleanup() {
  [ -n "${API_PID:-}" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
  [ "${PG_STARTED_HERE:-0}" = 1 ] && pg_stop "$PG_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
(cd "$OUT" && exec dotnet EvidenceApi.dll --urls "$URL") &
API_PID=$!

# Whether the API answers at $URL (curl when there is one, else bash's own /dev/tcp).
api_answers() {
  if command -v curl >/dev/null; then curl -fs -o /dev/null "$URL/health/live" 2>/dev/null; return; fi
  local hostport=${URL#*://}
  hostport=${hostport%%/*}
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" 2>/dev/null || return 1
  printf 'GET /health/live HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&3
  local status
  status=$(head -1 <&3)
  exec 3>&-
  [[ $status == *" 200 "* ]]
}

# Say where it is only once it answers (migrations and the seed run first).
for _ in $(seq 1 120); do
  if api_answers; then
    echo "Swagger UI: $URL/swagger"
    break
  fi
  kill -0 "$API_PID" 2>/dev/null || break
  sleep 0.5
done
wait "$API_PID"
