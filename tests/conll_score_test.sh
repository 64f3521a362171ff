#!/bin/sh
# tools/conll_score: conlleval's chunk semantics, ANERcorp's PERS, and a
# -DOCSTART- line that is no entity whatever follows it on the line.
# Usage: conll_score_test.sh CONLL_SCORE_BINARY
set -u
score=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' '-DOCSTART- politic/JA-politic-98.txt' '' 'قال O' 'ميشال B-PERS' 'عون I-PERS' 'في O' \
    'بيروت B-LOC' '' '-DOCSTART- sport/JA-sport-1.txt' '' 'فاز O' 'الأهلي B-ORG' > "$tmp/gold"
printf '%s\t%s\n' '-DOCSTART-' O > "$tmp/pred"
printf '\n' >> "$tmp/pred"
printf '%s\t%s\n' 'قال' O 'ميشال' B-PER 'عون' I-PER 'في' O 'بيروت' I-LOC >> "$tmp/pred"
printf '\n%s\t%s\n\n' '-DOCSTART-' O >> "$tmp/pred"
printf '%s\t%s\n' 'فاز' O 'الأهلي' B-LOC >> "$tmp/pred"
"$score" "$tmp/gold" "$tmp/pred" > "$tmp/out" || { echo "FAIL: conll_score exited $?"; exit 1; }
# 3 gold entities (the document marks are none), 3 predicted, 2 right: F1 66.67
grep -q '^overall *66\.67 *66\.67 *66\.67 *3 *3$' "$tmp/out" || { echo "FAIL: scores"; cat "$tmp/out"; exit 1; }
grep -q '^PER *100\.00' "$tmp/out" || { echo "FAIL: PERS read as PER"; cat "$tmp/out"; exit 1; }
echo "conll_score: ok"
