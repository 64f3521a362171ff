#!/bin/sh
# Draws the articles of the entity tagger's ANT dev set (tests/ner/ant-dev.conll)
# and writes them as CoNLL lines with every tag O, the tokens exactly as
# `khabar analyze --tokens` gives them: the tags were then written by hand.
#
# Draw: in each of ANT's 9 categories, the articles whose <TEXT> has 600
# characters or more (wc -m, UTF-8) and that are not one of the test set's
# (tests/ner/ant-ood.conll's -DOCSTART- lines), ordered by the SHA-256 of
# "SEED category/file" (a shuffle that needs no particular shuf or awk); the
# first 3 of each. Of each article (its <TEXT> only, no title), the first four
# sentences of 5 to 60 tokens; a `-DOCSTART- category/file` line before it.
# Only the segmentation and tokenisation are analysed (--skip all): the
# tagger's entities are never computed, so they cannot leak into the tags.
#
# usage: sh tools/ant-dev-select.sh BUILD_DIR [SHARED_DATA_DIR [SEED]] > skeleton.conll
#   (from the repository's root; defaults ../shared/data and 20261205)
set -eu
command -v jq >/dev/null || { echo "ant-dev-select: needs jq (apt-get install jq)" >&2; exit 1; }
build=$1
shared=${2:-../shared/data}
seed=${3:-20261205}
test_set=tests/ner/ant-ood.conll
export LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$shared/topics/ant/ant-train.tar.gz" -C "$tmp"
sed -n 's/^-DOCSTART- //p' "$test_set" > "$tmp/test-files"

body() {
  sed -n '/<TEXT>/,/<\/TEXT>/p' "$1" | grep -v '^</\?TEXT>' || true
}

for dir in "$tmp"/*/; do
  category=$(basename "$dir")
  for f in "$dir"*.txt; do
    name=$category/$(basename "$f")
    grep -qxF "$name" "$tmp/test-files" && continue
    [ "$(body "$f" | wc -m)" -ge 600 ] || continue
    key=$(printf '%s %s' "$seed" "$name" | sha256sum | cut -d' ' -f1)
    printf '%s %s\n' "$key" "$name"
  done | sort | head -n 3 | cut -d' ' -f2
done | LC_ALL=C sort > "$tmp/drawn"

while read -r name; do
  body "$tmp/$name" > "$tmp/text"
  printf -- '-DOCSTART- %s\n\n' "$name"
  "$build/khabar" analyze --no-title --tokens --skip all "$tmp/text" |
    jq -r '[.tokens | group_by(.sentence)[] | select(length >= 5 and length <= 60)][:4][]
           | (map(.text + "\tO") | join("\n")) + "\n"'
done < "$tmp/drawn"
