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
  if [ "$PG_STARTED_HERE" = 1 ]; then trap 'pg_stop "$PG_DIR"' EXIT; fi
  pg_create_database "$PG_PORT" evidence
  export ConnectionStrings__Evidence="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=evidence"
  echo "PostgreSQL: 127.0.0.1:$PG_PORT (data in $PG_DIR)"
fi

dotnet build src/EvidenceApi -c Release -v quiet -nologo
echo "Swagger UI: $URL/swagger"
dotnet run --project src/EvidenceApi -c Release --no-build -- --urls "$URL"
