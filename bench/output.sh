#!/usr/bin/env bash
# Output flushing: `khabar analyze --jsonl` flushes after every record when
# its standard output is not a regular file (a pipe, a terminal, a socket,
# /dev/null), and writes 64 KiB blocks into a regular file.  This runs the
# same records into a file, into a pipe and into /dev/null, best of three
# each, in one run, to show what the per-record flush costs and that
# writing into a file has not become slower.  CPU time (user + system, of
# the whole pipeline) is the measure to trust on a shared machine; wall
# time is shown beside it.  With --skip all the analysis
# is cheapest, so the output's share of the time is largest.
# BASELINE, another khabar binary (an older build), is run into a file
# beside it, interleaved, as the baseline.
# usage: bash bench/output.sh BUILD_DIR [CORPUS_DIR [RECORDS [BASELINE]]]
set -eu
build=${1:?usage: bash bench/output.sh BUILD_DIR [CORPUS_DIR [RECORDS [BASELINE]]]}
corpus=${2:-../shared/data/corpus/saudinewsnet/dataset}
records=${3:-3000}
baseline=${4:-}
k=$build/khabar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
z=$(ls "$corpus"/*.zip | head -1)
unzip -p "$z" | "$build/bench/news_jsonl" "$(basename "$z" .zip)" | head -n "$records" >"$tmp/in.jsonl"
n=$(wc -l <"$tmp/in.jsonl")
best() { # LABEL COMMAND: the best of three CPU and wall-clock times
    cpu="" wall=""
    for _ in 1 2 3; do
        t=$( { TIMEFORMAT='%U %S %R'; time bash -c "$2"; } 2>&1 )
        cpu=$(echo "$t ${cpu:-1e9}" | awk '{c = $1 + $2; print (c < $4 ? c : $4)}')
        wall=$(echo "$t ${wall:-1e9}" | awk '{print ($3 < $4 ? $3 : $4)}')
    done
    echo "$cpu $wall" | awk -v l="$1" -v n="$n" \
        '{printf "%-30s cpu %6.3f s (%6.0f records/s)   wall %6.3f s\n", l, $1, n / $1, $2}'
}
echo "output.sh: $n records of $(basename "$z"), khabar analyze --jsonl --skip all"
for skip in "--skip all" ""; do
    [ -n "$skip" ] || echo "output.sh: the full analysis"
    [ -z "$baseline" ] || best "baseline into a regular file" "'$baseline' analyze --jsonl $skip '$tmp/in.jsonl' >'$tmp/out'"
    best "into a regular file" "'$k' analyze --jsonl $skip '$tmp/in.jsonl' >'$tmp/out'"
    [ -z "$baseline" ] || best "baseline into a regular file" "'$baseline' analyze --jsonl $skip '$tmp/in.jsonl' >'$tmp/out'"
    best "into a pipe (flush each)" "'$k' analyze --jsonl $skip '$tmp/in.jsonl' | cat >/dev/null"
    best "into /dev/null (flush each)" "'$k' analyze --jsonl $skip '$tmp/in.jsonl' >/dev/null"
done
echo "output.sh: $(wc -c <"$tmp/out") bytes of output"
