#!/usr/bin/env bash
# Make sure Debian's Chromium (driven by Playwright through executable_path) is installed.
# Playwright never downloads a browser here. Without root, say how to install it.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "browser tests: Chromium is missing; install it with: sudo apt-get install chromium" >&2
  exit 0
fi
echo "browser tests: installing Debian's chromium package" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
