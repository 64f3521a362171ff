#!/bin/sh
# Runs every `curl ... # STATUS` line of docs/api.md against a fresh khabar
# serve, from the source directory, and checks each answers that status.
# Usage: api_doc_test.sh KHABAR_BINARY SOURCE_DIR
set -u
k=$1
src=$2
tmp=$(mktemp -d)
. "$src/tests/start_server.sh"
start_server "$k" "$tmp/log" --threads 1 --db "$tmp/news.db" || exit 1
port=$server_port
trap 'kill $server_pid 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$src"
grep -E "curl .*# [0-9]{3}$" docs/api.md >"$tmp/examples"
pass=0
fail=0
while IFS= read -r line; do
    want=${line##*# }
    cmd=$(printf '%s' "${line% \# *}" | sed "s/127\.0\.0\.1:8080/127.0.0.1:$port/g; s/curl -s /curl -s -o $(printf '%s' "$tmp/body" | sed 's/[\/&]/\\&/g') -w '%{http_code}' /")
    got=$(sh -c "$cmd")
    if [ "$got" = "$want" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL ($got, not $want): $line"; head -c 300 "$tmp/body"; echo; fi
done <"$tmp/examples"
echo "api.md: $pass examples passed, $fail failed"
[ "$pass" -gt 0 ] && [ "$fail" = 0 ]
