#!/bin/sh
# tools/build_places: towns named after a place word are listed, common
# words and adjectives after one are not, names that begin with a --prefix
# word keep their next word, articles named in an --exclude file are not
# read.
# Usage: build_places_test.sh BUILD_PLACES
set -u
places=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/local"
# ANT articles: only <TITLE> and <TEXT> are read.
doc() {
    printf '<DOC>\n<TITLE>%s</TITLE>\n<ABSTRACT>\nبولاية قرقنة\n</ABSTRACT>\n<TEXT>\n%s\n</TEXT>\n' "$2" "$3" > "$tmp/local/$1"
}
doc a.txt 'أمطار بولاية تستور' 'نزلت أمطار بمعتمدية تستور وفي ولاية سيدي بوزيد. وقال سكان تستور إن منطقة صناعية جديدة تفتح.'
doc b.txt 'منطقة الأمن' 'أعلنت منطقة الأمن الوطني بمعتمدية تستور أن الأمن مستتب والأمن عاد إلى ولاية سيدي بوزيد.'
doc c.txt 'الصناعية' "منطقة صناعية والمنطقة الصناعية والمنطقة الصناعية الجديدة $(printf 'الأمن %.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)"

doc d.txt 'عاجل' 'حريق في ولاية جرجيس ومعتمدية جرجيس ومدينة جرجيس.'
find "$tmp/local" -type f | LC_ALL=C sort > "$tmp/files"
printf '%s\n' '-DOCSTART- local/d.txt' '' 'حريق O' > "$tmp/test.conll"
"$places" --word ولاية --word معتمدية --word منطقة --word مدينة --prefix سيدي --min-count 2 \
    --exclude "$tmp/test.conll" --files-from "$tmp/files" > "$tmp/out" 2> "$tmp/err" ||
    { echo "FAIL: build_places exited $?"; cat "$tmp/err"; exit 1; }
fail=0
grep -q "^تستور	TOWN	3	4$" "$tmp/out" || { echo "FAIL: تستور (3 after a place word of 4)"; fail=1; }
grep -q "^سيدي بوزيد	TOWN	2	2$" "$tmp/out" || { echo "FAIL: سيدي بوزيد, two words"; fail=1; }
grep -q "الأمن\|الامن" "$tmp/out" && { echo "FAIL: الأمن, a common word"; fail=1; }
grep -q "صناعية" "$tmp/out" && { echo "FAIL: صناعية, an adjective"; fail=1; }
grep -q "جرجيس" "$tmp/out" && { echo "FAIL: an excluded article was read"; fail=1; }
grep -q "قرقنة" "$tmp/out" && { echo "FAIL: <ABSTRACT> was read"; fail=1; }
grep -q "1 documents left out" "$tmp/err" || { echo "FAIL: the excluded article not counted"; fail=1; }
[ "$fail" = 0 ] || { cat "$tmp/out"; exit 1; }
echo "build_places: ok"
