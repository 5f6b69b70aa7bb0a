#!/usr/bin/env bash
# Serve the development site (called by `make run`): the django-tasks worker in the
# background (emails, index updates) and the development server on 127.0.0.1:${PORT:-8000},
# both writing to this terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
mkdir -p var
# The worker sends the email (in development the console backend prints it, verification
# links included): show its output in this terminal, each line marked "worker |", and keep a
# copy in var/worker.log. $! is the worker itself, not the pipe that labels its lines.
PYTHONUNBUFFERED=1 .venv/bin/python manage.py db_worker --queue-name '*' \
  > >(tee var/worker.log | awk '{ print "worker | " $0; fflush() }') 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Background worker running: its output, including every email sent, appears below as"
echo "'worker | ...' lines (a copy is kept in var/worker.log)."
echo "Serving the PCC Knowledge Hub on http://127.0.0.1:$PORT/ (Ctrl-C to stop)."
.venv/bin/python manage.py runserver "127.0.0.1:$PORT"
