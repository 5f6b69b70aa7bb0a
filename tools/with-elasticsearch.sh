#!/usr/bin/env bash
# Run a command with ELASTICSEARCH_URL pointing at a node (used by `make test` and
# `make relevance`):
# - ELASTICSEARCH_URL already set: the command runs as it is.
# - Otherwise, when a JDK exists, the local node (tools/elasticsearch/es.sh) is started, its
#   URL exported, and the node stopped afterwards unless it was already running (a node the
#   developer started with `make es-up` is left running).
# - No JDK, or the node did not start: the command runs without ELASTICSEARCH_URL, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

started_es=""
# es.sh finds a Java 21+ JDK under /usr/lib/jvm and installs Maven itself (as root), so only
# Java is a precondition.
if [ -z "${ELASTICSEARCH_URL:-}" ] && [ -x tools/elasticsearch/es.sh ] \
   && { command -v java >/dev/null 2>&1 || ls -d /usr/lib/jvm/*/bin/java >/dev/null 2>&1; }; then
  was_running=""
  if tools/elasticsearch/es.sh status >/dev/null 2>&1; then was_running=1; fi
  if url=$(tools/elasticsearch/es.sh up | tail -n 1) && [ -n "$url" ]; then
    export ELASTICSEARCH_URL="$url"
    [ -n "$was_running" ] || started_es=1
  else
    echo "with-elasticsearch: the local node did not start; running without it." >&2
  fi
fi
cleanup() {
  if [ -n "$started_es" ]; then tools/elasticsearch/es.sh down >&2 || true; fi
}
trap cleanup EXIT

"$@"
