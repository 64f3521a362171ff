#!/bin/sh
# Builds the encoding test set and runs tools/encoding_eval over it:
# every 20th ANT article (Arabic news, Apache-2.0) whole ("long"), its first
# line cut to 100 bytes ("short", about eight words), its first three words
# ("words3") and its first word ("word1"), converted with iconv to
# windows-1256, iso-8859-6 and (long only) utf-16le and utf-16be without a
# byte-order mark; and, as the Latin distractor, the French translations of
# the system's programs (gettext catalogues under /usr/share/locale/fr) in
# windows-1252.  Characters an encoding lacks are dropped (iconv -c).
# usage: sh tools/encoding-eval.sh BUILD_DIR [SHARED_DATA_DIR [SET_DIR]]
# SET_DIR keeps the set (and is reused when it exists) instead of a
# temporary directory.
set -eu
build=$1
shared=${2:-../shared/data}
if [ $# -ge 3 ]; then
  tmp=$3
  if [ -d "$tmp/long" ]; then
    exec "$build/tools/encoding_eval" "$tmp"/long/* "$tmp"/short/* "$tmp"/words3/* "$tmp"/word1/*
  fi
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi
mkdir -p "$tmp/ant"
tar -xzf "$shared/topics/ant/ant-train.tar.gz" -C "$tmp/ant"
for set in long short words3 word1; do
  for enc in windows-1256 iso-8859-6; do mkdir -p "$tmp/$set/$enc"; done
done
mkdir -p "$tmp/long/utf-16le" "$tmp/long/utf-16be" "$tmp/long/windows-1252"
n=0
find "$tmp/ant" -name '*.txt' | LC_ALL=C sort | awk 'NR % 20 == 0' > "$tmp/list"
while read -r f; do
  n=$((n + 1))
  sed -n '/<TEXT>/,/<\/TEXT>/p' "$f" | grep -v '^</\?TEXT>' > "$tmp/text" || true
  [ -s "$tmp/text" ] || continue
  grep -m1 '[^[:space:]]' "$tmp/text" | head -c 100 | iconv -c -f utf-8 -t utf-8 | sed 's/ [^ ]*$//' > "$tmp/cut-short"
  awk 'NF >= 3 { print $1, $2, $3; exit }' "$tmp/text" > "$tmp/cut-words3"
  awk 'NF >= 1 { for (i = 1; i <= NF; i++) if ($i ~ /[^ -~]/) { print $i; exit } }' "$tmp/text" > "$tmp/cut-word1"
  for enc in windows-1256 iso-8859-6; do
    iconv -c -f utf-8 -t $enc "$tmp/text" > "$tmp/long/$enc/$n"
    for set in short words3 word1; do iconv -c -f utf-8 -t $enc "$tmp/cut-$set" > "$tmp/$set/$enc/$n"; done
  done
  iconv -c -f utf-8 -t utf-16le "$tmp/text" > "$tmp/long/utf-16le/$n"
  iconv -c -f utf-8 -t utf-16be "$tmp/text" > "$tmp/long/utf-16be/$n"
done < "$tmp/list"
for mo in /usr/share/locale/fr/LC_MESSAGES/*.mo; do
  [ -f "$mo" ] || continue
  msgunfmt "$mo" 2>/dev/null | sed -n 's/^msgstr "\(.*\)"$/\1/p' | sed 's/\\n/\n/g' |
    iconv -c -f utf-8 -t windows-1252 > "$tmp/long/windows-1252/$(basename "$mo" .mo)" || true
done
# Text with no byte above 0x7F is ASCII (valid UTF-8): not a detection case.
for f in "$tmp"/*/*/*; do LC_ALL=C grep -q '[^ -~]' "$f" 2>/dev/null || rm -f "$f"; done
"$build/tools/encoding_eval" "$tmp"/long/* "$tmp"/short/* "$tmp"/words3/* "$tmp"/word1/*
