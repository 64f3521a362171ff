#!/bin/sh
# The web page in headless Chromium (tests/browser/page_test.mjs): starts
# khabar serve on a free port, runs the page test against it and leaves the
# screenshots in SHOTS.  Needs Debian's chromium and tests/browser's
# node_modules (scripts/install-deps.sh --browser); without them, skipped
# (status 77).
# Usage: browser_test.sh KHABAR_BINARY SOURCE_DIR SHOTS
set -u
k=$1
src=$(cd "$2" && pwd)
shots=$3
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ] || [ ! -d "$src/tests/browser/node_modules/playwright-core" ] || ! command -v node >/dev/null; then
    echo "browser: skipped: run scripts/install-deps.sh --browser (chromium, node, playwright-core)"
    exit 77
fi
log=$(mktemp)
. "$src/tests/start_server.sh"
db=$(mktemp -u)
start_server "$k" "$log" --threads 2 --db "$db" || exit 1
port=$server_port
trap 'kill $server_pid 2>/dev/null; rm -f "$log" "$db" "$db-wal" "$db-shm"' EXIT
cd "$src/tests/browser" && CHROMIUM=$chromium node page_test.mjs "http://127.0.0.1:$port" "$src/examples/article.txt" "$shots"
