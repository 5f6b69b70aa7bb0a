#!/usr/bin/env bash
# Serve the development site (called by `make run`): the django-tasks worker in the
# background (emails, index updates) and the development server on 127.0.0.1:${PORT:-8000}.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
.venv/bin/python manage.py db_worker --queue-name '*' >var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Background worker running (log: var/worker.log)."
echo "Serving the PCC Knowledge Hub on http://127.0.0.1:$PORT/ (Ctrl-C to stop)."
.venv/bin/python manage.py runserver "127.0.0.1:$PORT"
