#!/bin/sh
# Checks that two builds of khabar give byte-identical search answers (hits,
# scores, snippets, marks, facets) on an archive: queries drawn from the
# corpus by bench/search_queries.py (typed, title-OR, every filter, filters
# alone, collapsed, a second page, without facets), run through `khabar
# search --jsonl` on one connection (its facets counted from memory after
# the first), and the first ONE_OFF (default 40) of them again as one-off
# `khabar search --json` runs (a new connection each: facets counted from
# the tables).  Prints the number of answers compared and exits 1 on the
# first difference.  A speed change to the search must leave this silent.
# usage: sh bench/search_same.sh OLD_KHABAR NEW_KHABAR DB CORPUS.jsonl [N]
set -eu
old=${1:?usage: sh bench/search_same.sh OLD_KHABAR NEW_KHABAR DB CORPUS.jsonl [N]}
new=${2:?}
db=${3:?}
corpus=${4:?}
n=${5:-1000}
one_off=${ONE_OFF:-40}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$src/bench/search_queries.py" "$corpus" "$db" "$n" >"$tmp/queries.jsonl"
for b in old new; do
    eval k=\$$b
    "$k" search --db "$db" --jsonl "$tmp/queries.jsonl" >"$tmp/$b.jsonl"
done
if ! cmp -s "$tmp/old.jsonl" "$tmp/new.jsonl"; then
    echo "search_same: the answers differ (--jsonl):" >&2
    diff "$tmp/old.jsonl" "$tmp/new.jsonl" | head -c 2000 >&2
    exit 1
fi
# one-off searches: the same queries as command-line options
python3 - "$tmp/queries.jsonl" "$one_off" >"$tmp/args" <<'PY'
import json, sys
for line in list(open(sys.argv[1], encoding="utf-8"))[:int(sys.argv[2])]:
    q = json.loads(line)
    a = []
    for k in ("type", "tag", "from", "to", "entity", "offset"):
        if k in q: a += ["--" + k, str(q[k])]
    if q.get("collapse"): a.append("--collapse")
    if not q.get("facets"): a.append("--no-facets")
    if "query" in q: a += ["--", q["query"]]
    print("\0".join(a))
PY
count=0
while IFS= read -r line; do
    for b in old new; do
        eval k=\$$b
        printf '%s' "$line" | tr '\0' '\n' >"$tmp/argv"
        # one argument a line (queries hold no newline)
        set --
        while IFS= read -r a; do set -- "$@" "$a"; done <"$tmp/argv"
        "$k" search --db "$db" --json "$@" >"$tmp/$b.json"
    done
    if ! cmp -s "$tmp/old.json" "$tmp/new.json"; then
        echo "search_same: the answers differ (one-off: $(tr '\n' ' ' <"$tmp/argv")):" >&2
        diff "$tmp/old.json" "$tmp/new.json" | head -c 2000 >&2
        exit 1
    fi
    count=$((count + 1))
done <"$tmp/args"
echo "search_same: $(wc -l <"$tmp/queries.jsonl") --jsonl answers and $count one-off answers identical"
