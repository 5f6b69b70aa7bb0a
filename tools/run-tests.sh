#!/usr/bin/env bash
# Run the whole pytest suite (called by `make test`; extra arguments go to pytest).
#
# - Elasticsearch: when ELASTICSEARCH_URL is unset and a JDK exists, start the local node
#   (tools/elasticsearch/es.sh), export its URL to pytest and stop it afterwards.
# - Under CI=true, PCC_REQUIRE_SERVICES=1 makes every skipped test a failure, so a missing
#   PostgreSQL, Elasticsearch or Chromium cannot pass silently.
# - DATABASE_URL selects the database (SQLite by default; .ci/run also runs PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${CI:-}" = "true" ]; then
  export PCC_REQUIRE_SERVICES=1
fi

started_es=""
# es.sh finds a Java 21+ JDK under /usr/lib/jvm and installs Maven itself (as root), so only
# Java is a precondition. A node the developer started with `make es-up` is left running.
if [ -z "${ELASTICSEARCH_URL:-}" ] && [ -x tools/elasticsearch/es.sh ] \
   && { command -v java >/dev/null 2>&1 || ls -d /usr/lib/jvm/*/bin/java >/dev/null 2>&1; }; then
  was_running=""
  if tools/elasticsearch/es.sh status >/dev/null 2>&1; then was_running=1; fi
  if url=$(tools/elasticsearch/es.sh up | tail -n 1) && [ -n "$url" ]; then
    export ELASTICSEARCH_URL="$url"
    [ -n "$was_running" ] || started_es=1
  else
    echo "run-tests: the local Elasticsearch node did not start; its tests will skip (fail in CI)." >&2
  fi
fi
cleanup() {
  if [ -n "$started_es" ]; then tools/elasticsearch/es.sh down >&2 || true; fi
}
trap cleanup EXIT

echo "run-tests: database=${DATABASE_URL:-sqlite (default)} elasticsearch=${ELASTICSEARCH_URL:-none} strict=${PCC_REQUIRE_SERVICES:-0}" >&2
.venv/bin/pytest "$@"
