#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL and ends with "N passed, N failed" on a line of its own.
# EVIDENCE_TEST_CONNECTION (a server connection string) wins when set; else Testcontainers starts PostgreSQL
# where a Docker engine answers; else this script starts a private server of its own and stops it afterwards.
set -uo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/postgres.sh
# The outage and shutdown tests start and stop PostgreSQL servers of their own, whatever else runs the suite.
pg_install_if_missing
export EVIDENCE_PG_BIN="$PG_BIN"

# The review page's test drives Debian's headless Chromium (no browser download: the package is the browser).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Chromium not found: installing it with apt-get for the review page's browser test." >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ -z "${EVIDENCE_TEST_CONNECTION:-}" ]; then
  if docker info >/dev/null 2>&1; then
    echo "Docker answers: the tests start PostgreSQL with Testcontainers."
  else
    PG_DIR=$(mktemp -d /tmp/evidenceapi-test-XXXXXX)
    chmod 755 "$PG_DIR"
    PG_PORT=$(pg_free_port)
    pg_start "$PG_DIR" "$PG_PORT" || { echo "0 passed, 1 failed"; exit 1; }
    trap 'pg_stop "$PG_DIR"; rm -rf "$PG_DIR"' EXIT
    export EVIDENCE_TEST_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
    echo "No Docker engine: testing against a private PostgreSQL on 127.0.0.1:$PG_PORT."
  fi
fi

RESULTS=TestResults
rm -rf "$RESULTS"
# Both projects: the fast unit tests (no database) and the HTTP tests against PostgreSQL; a results file each.
dotnet test EvidenceApi.sln -c Release --logger "trx;LogFilePrefix=results" --results-directory "$RESULTS" "$@"
status=$?

# CI reads this line, not dotnet test's own summary: the counters of every results file, added up.
trx=$(ls "$RESULTS"/*.trx 2>/dev/null)
if [ -n "$trx" ]; then
  count() { cat $trx | grep -o '<Counters [^>]*>' | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{ sum += $1 } END { print sum + 0 }'; }
  passed=$(count passed); failed=$(count failed); total=$(count total); executed=$(count executed)
  skipped=$((total - executed))
  # a build that fails, or a test host that crashes, is a failure even when no test result says so
  [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "0 passed, 1 failed"
  [ "$status" -eq 0 ] && status=1
fi
exit $status
