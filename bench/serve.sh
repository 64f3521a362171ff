#!/bin/sh
# Load on khabar serve with wrk (Debian's), CONNECTIONS connections for
# SECONDS seconds each, printing requests/s, p50/p99 latency, errors and the
# server's resident memory before and after:
#  - analyse: POST /v1/analyze of the seed article, beside two baselines in
#    the same run: GET /healthz (the HTTP layer alone) and `khabar analyze
#    --jsonl --threads N` on the same article repeated (the analysis alone);
#  - search: GET /v1/search over an index of SaudiNewsNet, queries of 1 to 3
#    words taken from the corpus's titles, in two mixes:
#    (a) repeats: 1,000 queries in turn, from a server just started (the
#        response cache fills in the first pass, then answers: a desk polling
#        the same searches, a page asked again on a facet click), then once
#        more with the cache warm;
#    (b) distinct: DISTINCT_QUERIES (default 100,000) other queries, none asked twice
#        in the run, so that the cache never answers (every search cold);
#    each with the facets (as the page asks) and with facets=0, and mix (a)
#    again on a server with --cache-mb 0; beside the first BASELINE (default
#    50) queries through `khabar search --jsonl` (the archive alone, no
#    HTTP, facets on).  wrk waits up to 60 s for an answer, so slow answers
#    count in the latency rather than as wrk timeouts.
#    The index is SEARCH_DB (default BUILD_DIR/bench/serve-corpus.db), made
#    once from BUILD_DIR/bench/corpus.jsonl (bench/corpus.sh converts the
#    corpus) by `khabar index --threads 2`: several minutes; later runs reuse
#    it.  The server only reads it.
# Memory is printed at the start, after each load, and after the last
# load of each server and IDLE_PAUSE seconds without a request (default
# RELEASE_IDLE + 2), the servers given --release-idle RELEASE_IDLE
# (default 5; empty: the option is not given, for a khabar without it),
# with the parts /metrics tells: the readers' facet columns and the
# response cache.
# PARTS="analyse search" (the default) says which to run.  Not part of make test.
# usage: sh bench/serve.sh BUILD_DIR [SECONDS [CONNECTIONS [THREADS]]]
set -eu
build=${1:?usage: sh bench/serve.sh BUILD_DIR [SECONDS [CONNECTIONS [THREADS]]]}
seconds=${2:-30}
conns=${3:-64}
threads=${4:-$(nproc)}
parts=${PARTS:-analyse search}
src=$(cd "$(dirname "$0")/.." && pwd)
article=$src/examples/article.txt
k=$build/khabar
db=${SEARCH_DB:-$build/bench/serve-corpus.db}
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
tmp=$(mktemp -d)
. "$src/tests/start_server.sh"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
# Resident memory, and of it the process's own (anonymous) memory: the
# archive maps its database file, whose pages count in RSS but are the
# kernel's page cache, given back under pressure.
rss() {
    awk '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} END {printf "%.1f MiB (%.1f MiB its own", r / 1024, a / 1024}' "/proc/$pid/status"
    curl -s "$url/metrics" | awk '/^khabar_archive_facets_bytes/ {f = $2; seen = 1} /^khabar_cache_bytes/ {c = $2}
        END {if (seen) printf "; of it the facet columns %.1f MiB, the response cache %.1f MiB", f / 1048576, c / 1048576}'
    echo ")"
}
release_idle=${RELEASE_IDLE-5}
idle_pause=${IDLE_PAUSE:-$((${release_idle:-0} + 2))}
# idle: the memory after idle_pause seconds without a request.
idle() {
    sleep "$idle_pause"
    echo "RSS after $idle_pause s idle: $(rss)"
}
# CPU seconds the server has used (user + system): on a shared machine a
# steadier measure than requests per second.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat"; }
# serve [OPTIONS...]: a server on a free port; sets $pid and $url.
serve() {
    start_server "$k" "$tmp/log" --threads "$threads" --queue 4096 ${release_idle:+--release-idle "$release_idle"} "$@" || exit 1
    pid=$server_pid
    url=http://127.0.0.1:$server_port
}
# load NAME PATH [ENV=VALUE...]: wrk against PATH; prints its RESULT line
# and the server's CPU time a request.
load() {
    name=$1 path=$2
    shift 2
    cpu0=$(cpu)
    env "$@" wrk -t 2 -c "$conns" -d "${seconds}s" --timeout 60s --latency -s "$src/bench/serve.lua" "$url$path" >"$tmp/wrk.out"
    cpu1=$(cpu)
    printf '%s: ' "$name"
    sed -n 's/^RESULT //p; /^WARNING/p' "$tmp/wrk.out"
    requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$tmp/wrk.out")
    [ "$requests" -gt 0 ] &&
        echo "server CPU: $(echo "($cpu1 - $cpu0) * 1000 / $requests" | bc -l | xargs printf '%.2f') ms a request"
    drain
    cache_usage
}
# The response cache's counts so far (the server's /metrics), when it has one.
cache_usage() {
    curl -s "$url/metrics" >"$tmp/metrics"
    max=$(sed -n 's/^khabar_cache_max_bytes //p' "$tmp/metrics")
    [ -n "$max" ] && [ "$max" != 0 ] || return 0
    awk '/^khabar_cache_requests_total/ && /result="hit"/ {h += $2} /^khabar_cache_requests_total/ && /result="miss"/ {m += $2}
         /^khabar_cache_bytes/ {b = $2} /^khabar_cache_entries/ {e = $2} /^khabar_cache_evictions_total/ {v = $2}
         END {printf "cache since the start: %d hits, %d misses, %d answers in %.1f MiB, %d let go\n", h, m, e, b / 1048576, v}' "$tmp/metrics"
}
# Waits for the requests wrk left behind (the server finishes them after
# their clients have gone), so that the next measure starts from an idle
# server; says how long that took when it took long.
drain() {
    t0=$(date +%s)
    while [ "$(curl -s -m 10 "$url/metrics" | sed -n 's/^khabar_http_requests_in_progress //p')" != 1 ]; do
        [ $(($(date +%s) - t0)) -gt 600 ] && { echo "bench: the server is still busy after 600 s" >&2; exit 1; }
        sleep 1
    done
    [ $(($(date +%s) - t0)) -gt 1 ] && echo "(the requests left behind took $(($(date +%s) - t0)) s to finish)"
    return 0
}
stop() {
    kill -TERM $pid
    wait $pid && echo "server stopped with status 0"
    pid=
}
echo "khabar serve: $threads threads${release_idle:+, --release-idle $release_idle}, wrk: $conns connections, ${seconds} s, $(nproc) processors"

case " $parts " in *" analyse "*)
serve
echo "== analyse"
echo "RSS at start: $(rss)"
load "POST /v1/analyze" /v1/analyze ARTICLE="$article"
echo "RSS after the load: $(rss)"
idle

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
stop
;; esac

case " $parts " in *" search "*)
echo "== search"
corpus=$build/bench/corpus.jsonl
if [ ! -s "$db" ]; then
    [ -s "$corpus" ] || CONVERT_ONLY=1 sh "$src/bench/corpus.sh" "$build" ${CORPUS:+"$CORPUS"}
    echo "bench: indexing $corpus into $db (once; several minutes)" >&2
    /usr/bin/time -f '%e s, %M KiB' -o "$tmp/index.time" "$k" index --db "$db.tmp" --jsonl --threads 2 "$corpus"
    mv "$db.tmp" "$db"
    rm -f "$db.tmp-wal" "$db.tmp-shm"
    echo "indexed in $(cat "$tmp/index.time")"
fi
[ -s "$corpus" ] || { echo "bench: $corpus is missing (sh bench/corpus.sh $build)" >&2; exit 1; }
# 1,000 queries: 1 to 3 consecutive words (Arabic letters, two or more) of
# titles drawn at random with a fixed seed, as URL paths for wrk and as
# JSON lines for khabar search (facets on, as the server asks for them);
# then DISTINCT_QUERIES other queries drawn likewise, none among the 1,000.
distinct=${DISTINCT_QUERIES:-100000}
python3 - "$corpus" "$tmp/queries.txt" "$tmp/queries.jsonl" "$tmp/distinct.txt" "$distinct" <<'PY'
import json, random, re, sys, urllib.parse
titles = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        words = [w for w in re.findall("[\u0621-\u064a]+", json.loads(line).get("title") or "") if len(w) > 1]
        if words:
            titles.append(words)
def draw(rng):
    words = rng.choice(titles)
    n = min(rng.randint(1, 3), len(words))
    at = rng.randrange(len(words) - n + 1)
    return " ".join(words[at:at + n])
rng = random.Random(13)
seen = set()
with open(sys.argv[2], "w") as paths, open(sys.argv[3], "w", encoding="utf-8") as lines:
    for i in range(1000):
        q = draw(rng)
        seen.add(q)
        print("/v1/search?q=" + urllib.parse.quote(q), file=paths)
        print(json.dumps({"id": i, "query": q, "facets": True}, ensure_ascii=False), file=lines)
rng = random.Random(14)
want, tries, n = int(sys.argv[5]), 0, 0
with open(sys.argv[4], "w") as paths:
    while n < want and tries < 50 * want:
        tries += 1
        q = draw(rng)
        if q not in seen:
            seen.add(q)
            n += 1
            print("/v1/search?q=" + urllib.parse.quote(q), file=paths)
PY
echo "index: $(du -m "$db" | cut -f1) MB, $("$k" stats --db "$db" | sed -n 's/^{"articles":\([0-9]*\).*/\1/p') articles; 1,000 queries, e.g. $(sed -n '1p;2p;3p' "$tmp/queries.jsonl" | sed 's/.*"query": "\([^"]*\)".*/\1/' | paste -sd '|'); $(wc -l <"$tmp/distinct.txt") distinct others"
# The archive alone first (which also brings the index into the page cache).
baseline=${BASELINE:-50}
head -n "$baseline" "$tmp/queries.jsonl" >"$tmp/baseline.jsonl"
/usr/bin/time -f '%e %U %S' -o "$tmp/time" "$k" search --db "$db" --jsonl "$tmp/baseline.jsonl" >"$tmp/search.out"
read -r wall user sys <"$tmp/time"
echo "khabar search --jsonl, the first $baseline queries, one thread, facets (no HTTP): $(echo "$wall * 1000 / $baseline" | bc -l | xargs printf '%.1f') ms a query, $(grep -c '"error"' "$tmp/search.out" || true) errors"
sed 's/$/\&facets=0/' "$tmp/queries.txt" >"$tmp/queries-nofacets.txt"
sed 's/$/\&facets=0/' "$tmp/distinct.txt" >"$tmp/distinct-nofacets.txt"
serve --db "$db"
echo "-- with the response cache (the default, 32 MiB)"
echo "RSS at start: $(rss)"
load "(a) repeats, facets, from a cold cache" /v1/search QUERIES="$tmp/queries.txt"
load "(a) repeats, facets=0, from a cold cache" /v1/search QUERIES="$tmp/queries-nofacets.txt"
load "(a) repeats, facets, the cache warm" /v1/search QUERIES="$tmp/queries.txt"
echo "RSS after the repeats: $(rss)"
load "(b) distinct, facets" /v1/search QUERIES="$tmp/distinct.txt" DISTINCT=1 WRK_THREADS=2
load "(b) distinct, facets=0" /v1/search QUERIES="$tmp/distinct-nofacets.txt" DISTINCT=1 WRK_THREADS=2
echo "RSS after the load: $(rss)"
idle
stop
serve --db "$db" --cache-mb 0
echo "-- without the cache (--cache-mb 0)"
echo "RSS at start: $(rss)"
load "(a) repeats, facets" /v1/search QUERIES="$tmp/queries.txt"
echo "RSS after the load: $(rss)"
load "(a) repeats, facets=0" /v1/search QUERIES="$tmp/queries-nofacets.txt"
echo "RSS after the load: $(rss)"
idle
stop
;; esac
