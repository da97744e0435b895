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
  PG_DIR=$(pg_usable_dir "$PWD/.local/postgres")
  pg_start "$PG_DIR" "$PG_PORT"
  pg_create_database "$PG_PORT" evidence
  export ConnectionStrings__Evidence="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=evidence"
  echo "PostgreSQL: 127.0.0.1:$PG_PORT (data in $PG_DIR)"
fi

OUT="$PWD/.local/build"
dotnet publish src/EvidenceApi -c Release -o "$OUT" -v quiet -nologo
echo "Swagger UI: $URL/swagger"

# Stop the API, and the PostgreSQL this script started, however the script ends.
cleanup() {
  [ -n "${API_PID:-}" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
  [ "${PG_STARTED_HERE:-0}" = 1 ] && pg_stop "$PG_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
(cd "$OUT" && exec dotnet EvidenceApi.dll --urls "$URL") &
API_PID=$!
wait "$API_PID"
