#!/bin/sh
# Installs the Debian packages khabar needs to build and test, only those missing.
# Usage (as root): scripts/install-deps.sh [--fuzz | --browser]
# --browser: Debian's Chromium and the page test's playwright-core (npm ci in
# tests/browser), for the browser test of khabar serve's page.
# Python: pytest runs python/tests; Dask and distributed run the Dask job
# (khabar.dask); pandas runs the README's DataFrame tutorial; pip tests
# `pip install ./python`.
set -eu
pkgs="build-essential cmake pkg-config libutf8proc-dev libstemmer-dev libjansson-dev libxxhash-dev libuchardet-dev libcmocka-dev libsqlite3-dev sqlite3 libzstd-dev libxml2-dev zlib1g-dev libmicrohttpd-dev curl unzip python3 python3-pytest python3-dask python3-distributed python3-pip python3-pandas"
case "${1:-}" in
  --fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
  --browser) pkgs="$pkgs chromium nodejs curl" ;;
esac
browser_modules() {
  [ "${1:-}" = --browser ] || return 0
  dir=$(dirname "$0")/../tests/browser
  [ -d "$dir/node_modules/playwright-core" ] && return 0
  (cd "$dir" && npm ci --no-audit --no-fund >/dev/null)
}
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { browser_modules "${1:-}"; exit 0; }
if [ "$(id -u)" != 0 ]; then
  echo "khabar: missing packages:$missing — run as root, or: sudo apt-get install$missing" >&2
  exit 1
fi
echo "khabar: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
browser_modules "${1:-}"
