#!/usr/bin/env bash
# System packages the tests and drills need, from Debian: Chromium for the Playwright browser
# tests, nginx and wrk for bench/cluster_drill.py (a load balancer and a load generator).
# Installs whichever of them is missing; does nothing when all are there.
set -euo pipefail
declare -A wanted=([chromium]=/usr/bin/chromium [nginx]=/usr/sbin/nginx [wrk]=/usr/bin/wrk)
missing=()
for package in "${!wanted[@]}"; do
  [ -x "${wanted[$package]}" ] || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "spec-review: missing Debian packages: ${missing[*]}; install them (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "spec-review: installing Debian's ${missing[*]} …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
