#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through its ChromeDriver. Installs both from Debian's packages when
# they are missing (as root, or through sudo); does nothing when they are there.
set -euo pipefail

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "The browser tests need /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and" \
       "chromium-driver), and this machine has no apt-get to install them." >&2
  exit 1
fi
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null; then
    echo "Installing chromium and chromium-driver needs root, or sudo." >&2
    exit 1
  fi
  as_root=(sudo)
fi
echo "Installing Debian's chromium and chromium-driver for the browser tests"
"${as_root[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q chromium chromium-driver
