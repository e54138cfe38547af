#!/usr/bin/env bash
# Install Debian packages by name: `scripts/apt-install.sh chromium`.
# As root it runs apt-get directly; otherwise through sudo when sudo is there; otherwise it
# says what to run and fails.  Called by the Makefile only when something is missing.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PACKAGE..." >&2
    exit 2
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "error: these Debian packages are needed: $*" >&2
    echo "       run as root:  apt-get update && apt-get install -y $*" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo ">>> apt-get install $* (needed by Pledgebook)"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y "$@"
