#!/bin/sh
# Load on khabar serve with wrk (Debian's): POST /v1/analyze of the seed
# article over CONNECTIONS connections for SECONDS seconds, beside two
# baselines in the same run: GET /healthz (the HTTP layer alone) and
# `khabar analyze --jsonl --threads N` on the same article repeated (the
# analysis alone, no HTTP).  Prints requests/s, p50/p99 latency, errors and
# the server's resident memory before and after.  Not part of make test.
# usage: sh bench/serve.sh BUILD_DIR [SECONDS [CONNECTIONS [THREADS]]]
set -eu
build=${1:?usage: sh bench/serve.sh BUILD_DIR [SECONDS [CONNECTIONS [THREADS]]]}
seconds=${2:-30}
conns=${3:-64}
threads=${4:-$(nproc)}
src=$(cd "$(dirname "$0")/.." && pwd)
article=$src/examples/article.txt
k=$build/khabar
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
tmp=$(mktemp -d)
. "$src/tests/start_server.sh"
start_server "$k" "$tmp/log" --threads "$threads" --queue 4096 || exit 1
pid=$server_pid
port=$server_port
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
rss() { awk '/^VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status"; }
# CPU seconds the server has used (user + system): on a shared machine a
# steadier measure than requests per second.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat"; }
echo "khabar serve: $threads threads, wrk: $conns connections, ${seconds} s, $(nproc) processors"
echo "RSS at start: $(rss)"

url=http://127.0.0.1:$port
cpu0=$(cpu)
ARTICLE=$article wrk -t 2 -c "$conns" -d "${seconds}s" --latency -s "$src/bench/analyze.lua" "$url/v1/analyze" >"$tmp/analyze.out"
echo "RSS after analyze load: $(rss)"
cpu1=$(cpu)
sed -n 's/^RESULT /POST \/v1\/analyze: /p' "$tmp/analyze.out"
requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$tmp/analyze.out")
echo "server CPU: $(echo "($cpu1 - $cpu0) * 1000 / $requests" | bc -l | xargs printf '%.2f') ms a request"
sleep 2
echo "RSS 2 s later: $(rss)"

wrk -t 2 -c "$conns" -d 10s --latency "$url/healthz" >"$tmp/healthz.out"
printf 'GET /healthz (HTTP alone, 10 s): '
awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "rps=%s p50=%s p99=%s\n", rps, p50, p99}' "$tmp/healthz.out"

# The analysis alone: the article as 2,000 JSON-lines records, on the same threads.
python3 - "$article" >"$tmp/many.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
for i in range(2000):
    print(json.dumps({"id": i, "text": text}, ensure_ascii=False))
PY
/usr/bin/time -f '%e %U %S' -o "$tmp/time" "$k" analyze --jsonl --threads "$threads" "$tmp/many.jsonl" >/dev/null
read -r wall user sys <"$tmp/time"
echo "khabar analyze --jsonl --threads $threads (no HTTP): $(echo "2000 / $wall" | bc -l | xargs printf '%.1f') articles/s, CPU $(echo "($user + $sys) * 1000 / 2000" | bc -l | xargs printf '%.2f') ms an article"
kill -TERM $pid
wait $pid && echo "server stopped with status 0"
trap 'rm -rf "$tmp"' EXIT
