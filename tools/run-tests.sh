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

# Elasticsearch: tools/with-elasticsearch.sh starts the local node when ELASTICSEARCH_URL is
# unset (and stops it afterwards); without a JDK its tests skip (and fail in CI).
if [ -z "${PCC_WITH_ELASTICSEARCH:-}" ]; then
  PCC_WITH_ELASTICSEARCH=1 exec tools/with-elasticsearch.sh tools/run-tests.sh "$@"
fi

echo "run-tests: database=${DATABASE_URL:-sqlite (default)} elasticsearch=${ELASTICSEARCH_URL:-none} strict=${PCC_REQUIRE_SERVICES:-0}" >&2
.venv/bin/pytest "$@"
