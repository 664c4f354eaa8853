#!/usr/bin/env bash
# Installs the Debian packages Samiksha needs when they are missing:
# chromium (browser tests, chart images) and fonts-noto-core (Hindi in browsers and images).
set -euo pipefail
needed=()
for pkg in chromium fonts-noto-core; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || needed+=("$pkg")
done
[ ${#needed[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${needed[*]}"
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
if ! run apt-get install -y -q --no-install-recommends "${needed[@]}"; then
    run apt-get update -q
    run apt-get install -y -q --no-install-recommends "${needed[@]}"
fi
