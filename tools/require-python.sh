#!/usr/bin/env bash
# Print the path of a Python 3.11+ interpreter, or explain what is missing and fail.
# Used by the Makefile before it creates the virtualenv.
set -euo pipefail
for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    if ! "$candidate" -c 'import venv, ensurepip' >/dev/null 2>&1; then
      echo "error: $candidate has no venv/ensurepip module. On Debian/Ubuntu: apt-get install python3-venv" >&2
      exit 1
    fi
    command -v "$candidate"
    exit 0
  fi
done
if command -v python3 >/dev/null 2>&1; then
  found=$(python3 --version 2>&1 || true)
else
  found="no python3 on PATH"
fi
echo "error: the PCC Knowledge Hub needs Python 3.11 or newer (found: $found)." >&2
echo "Install it (e.g. apt-get install python3.11 python3.11-venv, or pyenv install 3.11) or set PYTHON=/path/to/python3.11." >&2
exit 1
