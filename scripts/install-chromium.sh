#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver (/usr/bin/chromium,
# /usr/bin/chromedriver) for the browser test of the axum example, when missing.
# Needs root and Debian's package archive; a machine that has both does nothing.
set -euo pipefail

if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "install-chromium.sh: chromium and chromedriver are missing; run as root to install them" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
chromium --version
chromedriver --version
