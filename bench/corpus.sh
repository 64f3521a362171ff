#!/bin/sh
# The benchmark on the SaudiNewsNet corpus: converts the corpus's zip files
# into JSON lines under the build directory (once; never committed: the
# corpus is CC BY-NC-SA), then runs BUILD_DIR/bench/bench over them.
# usage: sh bench/corpus.sh BUILD_DIR [CORPUS_DIR [bench options...]]
# With CONVERT_ONLY=1 in the environment it converts and stops (other
# benchmarks read BUILD_DIR/bench/corpus.jsonl).
set -eu
if [ $# -lt 1 ]; then
  echo "usage: sh bench/corpus.sh BUILD_DIR [CORPUS_DIR [bench options...]]" >&2
  exit 2
fi
build=$1
corpus=${2:-../shared/data/corpus/saudinewsnet/dataset}
shift
[ $# -ge 1 ] && shift
convert=$build/bench/news_jsonl
jsonl=$build/bench/corpus.jsonl

found=0
for z in "$corpus"/*.zip; do [ -f "$z" ] && found=1; done
if [ $found = 0 ]; then
  echo "bench: no SaudiNewsNet zip files in $corpus (make bench CORPUS=DIR)" >&2
  exit 1
fi
# Convert when the JSON lines are missing or older than a zip or the converter.
stale=0
[ -s "$jsonl" ] || stale=1
for f in "$corpus"/*.zip "$convert"; do
  [ "$f" -nt "$jsonl" ] && stale=1
done
if [ $stale = 1 ]; then
  echo "bench: converting $corpus into $jsonl" >&2
  : > "$jsonl.tmp"
  for z in "$corpus"/*.zip; do
    unzip -p "$z" | "$convert" "$(basename "$z" .zip)" >> "$jsonl.tmp"
  done
  mv "$jsonl.tmp" "$jsonl"
fi
[ "${CONVERT_ONLY:-}" = 1 ] && exit 0

echo "bench: khabar $(git -C "$(dirname "$0")/.." describe --always --dirty 2>/dev/null || echo '(no git)'), built in $build" >&2
exec "$build/bench/bench" --khabar "$build/khabar" "$@" "$jsonl"
