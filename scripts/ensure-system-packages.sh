#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium for the Playwright browser tests.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "spec-review: /usr/bin/chromium is missing; install Debian's 'chromium' package" >&2
  exit 1
fi
echo "spec-review: installing Debian's chromium for the browser tests…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
