#!/bin/sh
# Checks that two builds of khabar give byte-identical search answers (hits,
# scores, snippets, marks, facets) on an archive: queries drawn from the
# corpus by bench/search_queries.py (typed, title-OR, every filter, filters
# alone, collapsed, a second page, without facets), run through `khabar
# search --jsonl` on one connection (its facets counted from memory after
# the first), and ONE_OFF (default 40) of them, spread over the set, as one-off
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
# one-off searches: queries spread evenly over the set (every kind of
# filter, collapse, paging), given as command-line options, each answer
# compared byte for byte
count=$(python3 - "$tmp/queries.jsonl" "$one_off" "$old" "$new" "$db" <<'PY'
import json, subprocess, sys
path, n, old, new, db = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
queries = [json.loads(line) for line in open(path, encoding="utf-8")]
step = max(1, len(queries) // max(n, 1))
count = 0
for q in queries[::step][:n]:
    a = []
    for k in ("type", "tag", "from", "to", "entity", "offset"):
        if k in q: a += ["--" + k, str(q[k])]
    if q.get("collapse"): a.append("--collapse")
    if not q.get("facets"): a.append("--no-facets")
    if "query" in q: a.append(q["query"])  # titles' words: none begins with --
    answers = [subprocess.run([k, "search", "--db", db, "--json", *a], capture_output=True) for k in (old, new)]
    if answers[0].stdout != answers[1].stdout or answers[0].returncode != answers[1].returncode:
        sys.stderr.write("search_same: the answers differ (one-off: %s)\n" % " ".join(a))
        sys.exit(1)
    if not answers[0].stdout.strip():
        sys.stderr.write("search_same: no answer to check (one-off: %s): %s\n" % (" ".join(a), answers[0].stderr.decode()))
        sys.exit(1)
    count += 1
print(count)
PY
) || exit 1
echo "search_same: $(wc -l <"$tmp/queries.jsonl") --jsonl answers and $count one-off answers identical"
