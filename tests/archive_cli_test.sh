#!/bin/sh
# The archive from the command line: khabar index, search, stats; the
# loadable extension through the sqlite3 shell (examples/fts5_khabar.sql).
# Usage: archive_cli_test.sh KHABAR_BINARY SOURCE_DIR EXTENSION
set -u
k=$1
src=$2
ext=$3
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # NAME COMMAND...: the command must succeed
    name=$1; shift
    if "$@" >"$tmp/out" 2>"$tmp/err"; then pass=$((pass + 1)); else
        echo "FAIL: $name"; sed 's/^/  /' "$tmp/err" | head -5; fail=$((fail + 1)); fi
}
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
status_is() { # WANT COMMAND...
    want=$1; shift
    "$@" >"$tmp/last" 2>"$tmp/lasterr" </dev/null
    [ $? = "$want" ]
}
db=$tmp/a.db
# Debian's sqlite3 shell, with the sanitizer runtimes preloaded when the
# extension was built with them (scripts/sanitize.sh): reports still go to
# its logs, but the shell's own allocations are not leak-checked.
sqlite() {
    runtimes=$(ldd "$ext" 2>/dev/null | awk '/lib(asan|ubsan)\.so/ {print $3}' | tr '\n' ' ')
    if [ -n "$runtimes" ]; then
        LD_PRELOAD="$runtimes" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" sqlite3 "$@"
    else
        sqlite3 "$@"
    fi
}

cat >"$tmp/in.jsonl" <<'JSONL'
{"id":"a1","title":"كتاب جديد","date":"2024-01-10","text":"قال وزير الخارجية السعودي إن الكتاب الجديد يصدر غداً في الرياض."}
{"id":"a2","title":"الثقافة تنشر","date":"2024-01-12","text":"ونشرت وزارة الثقافة كتابه الأول عن تاريخ الرياض القديم."}
not json
{"id":3,"title":"مؤتمر جنيف","date":"2024-02-01","text":"أعلنت الأمم المتحدة عن مؤتمر في جنيف يحضره وزراء الخارجية."}
{"id":"a4","text":"خبر بلا تاريخ صحيح عن جنيف.","date":"yesterday"}
{"title":"بلا معرف","text":"نص."}
JSONL
check "index help" sh -c "'$k' index --help | grep -q -- --delete"
check "index without --db is a usage error" status_is 2 "$k" index --jsonl "$tmp/in.jsonl"
check "index with bad records" status_is 1 "$k" index --db "$db" --jsonl --threads 2 --batch 2 "$tmp/in.jsonl"
check "  the broken line is reported" contains "$tmp/lasterr" "in.jsonl:3: not a JSON object"
check "  the record without an id is reported" contains "$tmp/lasterr" "in.jsonl:6: the record has no \"id\""
check "  a bad date is a warning" contains "$tmp/lasterr" "in.jsonl:5: the record's \"date\" is not YYYY-MM-DD"
check "stats" status_is 0 "$k" stats --db "$db"
check "  four articles" contains "$tmp/last" '"articles":4,'
check "  dates" contains "$tmp/last" '"first_date":"2024-01-10","last_date":"2024-02-01","schema":7,"stories":0}'

check "search, stems" status_is 0 "$k" search --db "$db" --json كتاب
check "  two hits" contains "$tmp/last" '{"total":2,"hits":[{"id":"a1","title":"كتاب جديد","date":"2024-01-10"'
check "  marks of the word as written" contains "$tmp/last" '"marks":[[53,65]]'
check "  facets" contains "$tmp/last" '"facets":{"entities":{'
check "an integer id is stored as text" status_is 0 "$k" search --db "$db" --json --no-facets جنيف -خبر
check "  id 3" contains "$tmp/last" '"hits":[{"id":"3",'
check "  no facets" lacks "$tmp/last" '"facets"'
check "filters alone, newest first" status_is 0 "$k" search --db "$db" --json --from 2024-01-11 --to 2024-12-31
check "  a2 then 3" sh -c "grep -o '\"id\":\"[^\"]*\"' '$tmp/last' | tr '\n' ' ' | grep -qx '\"id\":\"3\" \"id\":\"a2\" '"
check "entity filter, any spelling" status_is 0 "$k" search --db "$db" --json --entity جنيف
check "  finds 3 and a4" contains "$tmp/last" '"total":2'
check "table" status_is 0 "$k" search --db "$db" --table "وزير الخارجية"
check "  the hit marked" contains "$tmp/last" "[وزير] [الخارجية]"
check "a bad query is an error" status_is 1 "$k" search --db "$db" '"unclosed'
check "  says where" contains "$tmp/lasterr" "a quote is not closed (at byte 0 of the query)"
check "a bad date filter is an error" status_is 1 "$k" search --db "$db" --from 2024
printf '{"id":"q1","query":"الرياض","limit":1}\n{"id":"q2","query":"(","limit":1}\n{"id":"q3","entity":["جنيف"],"facets":true}\n' >"$tmp/q.jsonl"
check "batch queries" status_is 1 "$k" search --db "$db" --jsonl "$tmp/q.jsonl"
check "  three lines" sh -c "[ \$(wc -l <'$tmp/last') = 3 ]"
check "  the first" sh -c "sed -n 1p '$tmp/last' | grep -q '^{\"id\":\"q1\",\"total\":2,\"hits\":\\[{\"id\":\"a\\(1\\|2\\)\"'"
check "  the error in place" sh -c "sed -n 2p '$tmp/last' | grep -q '^{\"id\":\"q2\",\"line\":2,\"error\":{\"code\":\"invalid_query\"'"
check "  facets when asked" sh -c "sed -n 3p '$tmp/last' | grep -q '\"facets\":'"

# An id indexed again replaces the article; --delete removes it.
printf '{"id":"a1","title":"خبر","text":"انتهى المؤتمر في باريس."}\n' >"$tmp/again.jsonl"
check "index again" status_is 0 "$k" index --db "$db" --jsonl "$tmp/again.jsonl"
check "  still four" sh -c "'$k' stats --db '$db' | grep -q '\"articles\":4,'"
check "  the old text is gone" sh -c "'$k' search --db '$db' --json السعودي | grep -q '\"total\":0'"
check "  the new one is found" sh -c "'$k' search --db '$db' --json باريس | grep -q '\"id\":\"a1\"'"
check "delete" status_is 1 "$k" index --db "$db" --delete a1 nope
check "  reports the missing id" contains "$tmp/lasterr" "no article with id 'nope'"
check "  three left" sh -c "'$k' stats --db '$db' | grep -q '\"articles\":3,'"

# Plain text files: the file name is the id, the first line the title.
check "index a text file" status_is 0 "$k" index --db "$db" "$src/examples/article.txt"
check "  found by its title's words" sh -c "'$k' search --db '$db' --json --tag طالبان | grep -q '\"title\":\"بعد مضي شهر'"

# Entities across the archive.
check "entities" status_is 0 "$k" entities --db "$db" --type LOC --from 2024-01-01 --to 2024-12-31
check "  جنيف first (a dated article: title and text)" sh -c "grep -q '^\[{\"name\":\"جنيف\",\"type\":\"LOC\",\"en\":\"Geneva\",\"articles\":1,\"mentions\":2,' '$tmp/last'"
check "entity in another spelling" status_is 0 "$k" entity --db "$db" 'الامم المتحده'
check "  its details" contains "$tmp/last" '"name":"الأمم المتحدة","type":"ORG"'
check "  days" contains "$tmp/last" '"days":[{"date":"2024-02-01","mentions":1}]'
check "  spellings with their counts" contains "$tmp/last" '"variants":[{"name":"الأمم المتحدة","mentions":3}'
check "  quotes as speaker, newest first" contains "$tmp/last" '"quotes":[{"article":"'
check "the seed article's speaker" sh -c "'$k' index --db '$tmp/seed.db' '$src/examples/article.txt' 2>/dev/null && '$k' entity --db '$tmp/seed.db' خراساني >'$tmp/seed.json'"
check "  quotes as speaker" sh -c "grep -q '\"quotes\":\[{\"article\":\"$src/examples/article.txt\",\"date\":null,\"text\":\"[^\"]' '$tmp/seed.json'"
check "  a direct quote" contains "$tmp/seed.json" '"direct":true'
check "  spellings counted" contains "$tmp/seed.json" '{"name":"خراساني","mentions":3}'
check "an unknown entity" status_is 1 "$k" entity --db "$db" 'لا أحد'
check "  says so" contains "$tmp/lasterr" "no entity named"

# Files that are not archives: a clear error, never a crash, nothing written.
printf 'not a database at all, but long enough to be read as a header by SQLite......\n' >"$tmp/text.db"
check "a text file as --db" status_is 2 "$k" search --db "$tmp/text.db" كتاب
check "  says so" contains "$tmp/lasterr" "is not a khabar archive"
check "  and index refuses it too" status_is 2 "$k" index --db "$tmp/text.db" --jsonl "$tmp/in.jsonl"
check "  left as it was" grep -q "^not a database at all" "$tmp/text.db"
sqlite "$tmp/newer.db" "CREATE TABLE x(y); PRAGMA application_id = 1802003058; PRAGMA user_version = 99;"
check "a newer schema" status_is 2 "$k" stats --db "$tmp/newer.db"
check "  says so" contains "$tmp/lasterr" "newer than this khabar reads"
check "a missing archive" status_is 2 "$k" search --db "$tmp/missing.db" كتاب
check "  is not made by search" sh -c "[ ! -e '$tmp/missing.db' ]"
check "the archive passes integrity_check" sh -c "sqlite3 '$db' 'PRAGMA integrity_check' | grep -qx ok"
check "  and FTS5's own check" sqlite -cmd ".load $ext" "$db" "INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')"

# Stories: two copies of a report (one shortened) and an unrelated article.
report="أعلنت وزارة النقل عن خطة جديدة لتطوير شبكة الطرق في المناطق الشمالية خلال السنوات الخمس المقبلة. وتشمل الخطة إنشاء ثلاثة جسور كبيرة وتوسعة الطريق السريع الذي يربط المدن الرئيسية بالموانئ. وقال الوزير إن التمويل سيأتي من الميزانية العامة ومن شراكات مع القطاع الخاص."
sdb=$tmp/stories.db
printf '{"id":"r1","date":"2024-05-01","text":"%s"}\n{"id":"r2","date":"2024-05-02","text":"%s وأضاف أن العمل يبدأ الشهر المقبل."}\n{"id":"x","date":"2024-05-02","text":"فاز الفريق الأول بالمباراة النهائية أمس في ملعب المدينة أمام جمهور كبير."}\n' \
    "$report" "$report" >"$tmp/stories.jsonl"
check "index stories" "$k" index --db "$sdb" --jsonl "$tmp/stories.jsonl"
check "stats counts the story" sh -c "'$k' stats --db '$sdb' | grep -q '\"stories\":1}'"
check "stories" sh -c "'$k' stories --db '$sdb' >'$tmp/st.json'"
check "  r1 first, two articles" contains "$tmp/st.json" '"size":2,"first":"r1"'
check "  near duplicates" contains "$tmp/st.json" '"near_duplicates":1'
check "  not the match report" lacks "$tmp/st.json" '"id":"x"'
check "stories --from leaves r1 out" sh -c "'$k' stories --db '$sdb' --from 2024-05-02 | grep -qx '\[\]'"
check "stories bad date" status_is 1 "$k" stories --db "$sdb" --from 2024-5-2
check "stories without --db" status_is 2 "$k" stories
check "search --collapse: one hit per story" sh -c "'$k' search --db '$sdb' --json --no-facets --collapse | grep -o '\"id\":\"[a-z0-9]*\"' | tr '\n' ' ' | grep -qx '\"id\":\"x\" \"id\":\"r2\" '"
check "search without --collapse: three" sh -c "'$k' search --db '$sdb' --json --no-facets | grep -q '\"id\":\"r1\"'"
check "search --jsonl collapse" sh -c "echo '{\"id\":1,\"query\":\"الوزير\",\"collapse\":true}' | '$k' search --db '$sdb' --jsonl | grep -q '\"hits\":\[{\"id\":\"r[12]\"[^]]*\]'"
check "delete r2: no story left" sh -c "'$k' index --db '$sdb' --delete r2 2>/dev/null && '$k' stories --db '$sdb' | grep -qx '\[\]'"

# Entities and stories across real articles (tests/archive/ant-linking.jsonl:
# eleven ANT articles, Apache-2.0): the president الباجي قايد السبسي in seven,
# once as قايد السبسي alone, in two also as قائد السبسي (his quotes there are
# his); his son حافظ قايد السبسي in two; two events each
# told by two articles in their own words: Trump's call (2017-02-17 and 19),
# linked, and a verdict in Sousse (2017-01-23), which shares four terms of
# twenty and is not (0.349, below 0.35).
adb=$tmp/ant.db
check "index ANT articles" "$k" index --db "$adb" --jsonl "$src/tests/archive/ant-linking.jsonl"
check "entity السبسي: the president first, then his son" status_is 0 "$k" entity --db "$adb" السبسي
check "  the president with his seven articles" sh -c "grep -q '^\[{\"name\":\"الباجي قايد السبسي\",\"type\":\"PER\",\"en\":null,\"articles\":7,' '$tmp/last'"
check "  his shortened names among his spellings" contains "$tmp/last" '{"name":"قايد السبسي","mentions":2}'
check "  his quotes, also where he is قايد السبسي alone" sh -c "grep -o '\"quotes\":\[[^]]*' '$tmp/last' | head -1 | grep -o '\"article\":\"[^\"]*' | tr '\n' ' ' | grep -qx '\"article\":\"JA-politic-457-20170520 \"article\":\"JA-localNews-4474-20170510 \"article\":\"JA-localNews-4474-20170510 \"article\":\"JA-localNews-1411-20170217 \"article\":\"JA-localNews-1716-20161122 \"article\":\"JA-localNews-1716-20161122 \"article\":\"JA-localNews-1716-20161122 '"
check "  and where he is قائد السبسي (the hamza on its seat)" contains "$tmp/last" '{"name":"الباجي قائد السبسي","mentions":2}'
check "  the son apart" contains "$tmp/last" '{"name":"حافظ قايد السبسي","type":"PER","en":null,"articles":2,'
check "entity قايد السبسي: one, the president" sh -c "'$k' entity --db '$adb' 'قايد السبسي' >'$tmp/e1.json' && grep -o first_seen '$tmp/e1.json' | wc -l | grep -qx 1"
check "  with his seven articles" contains "$tmp/e1.json" '[{"name":"الباجي قايد السبسي","type":"PER","en":null,"articles":7,'
check "entity حافظ قايد السبسي: one, the son" sh -c "'$k' entity --db '$adb' 'حافظ قايد السبسي' >'$tmp/e2.json' && grep -o first_seen '$tmp/e2.json' | wc -l | grep -qx 1"
check "  with his two articles" contains "$tmp/e2.json" '[{"name":"حافظ قايد السبسي","type":"PER","en":null,"articles":2,'
check "stories: one event" status_is 0 "$k" stories --db "$adb"
check "  Trump's call" contains "$tmp/last" '"articles":[{"id":"JA-localNews-1411-20170217"'
check "  linked as one event, not by text" contains "$tmp/last" '"near_duplicates":0,"same_event_links":1'
check "  no other" sh -c "grep -o '\"size\":' '$tmp/last' | wc -l | grep -qx 1"
check "delete one of the call's articles: no story left" sh -c "'$k' index --db '$adb' --delete JA-politic-138-20170219 2>/dev/null && '$k' stories --db '$adb' | grep -qx '\[\]'"

# HTML: a .html file, --html on any name, and JSON-lines records with "html".
hdb=$tmp/html.db
cp "$src/tests/html/wordpress.html" "$tmp/wp.html"
cp "$src/tests/html/semantic_jsonld.html" "$tmp/page.txt"
check "index a .html file" "$k" index --db "$hdb" "$tmp/wp.html"
check "  its title and date from the page" sh -c "sqlite3 '$hdb' \"SELECT title || '|' || date FROM articles\" | grep -qx 'رسمي : تركيبة حكومة الوحدة الوطنية|2016-08-20'"
check "  the article's text, not the menus" sh -c "sqlite3 '$hdb' 'SELECT text FROM articles' | head -1 | grep -q '^أعلن رئيس الحكومة المكلف يوسف الشاهد'"
check "  found, the marks on the words" sh -c "'$k' search --db '$hdb' --json --no-facets الشاهد | grep -q '\"id\":\"$tmp/wp.html\"'"
check "  its entities" sh -c "'$k' search --db '$hdb' --json --no-facets --entity 'يوسف الشاهد' | grep -q '\"total\":1,'"
check "index --html page.txt" "$k" index --db "$hdb" --html "$tmp/page.txt"
check "  a page, not text" sh -c "sqlite3 '$hdb' \"SELECT date FROM articles WHERE id = '$tmp/page.txt'\" | grep -qx 2017-02-27"
check "without --html, page.txt is text" sh -c "'$k' index --db '$tmp/plain.db' '$tmp/page.txt' && sqlite3 '$tmp/plain.db' 'SELECT text FROM articles' | grep -q '<'"
# the page as a JSON string (it has no backslashes): quotes, tabs and newlines escaped
page_json=$(awk '{ gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/\r/, ""); printf "%s\\n", $0 }' "$src/tests/html/bare_markup.html")
{
    printf '{"id":"j1","html":"%s","title":"عنوان السجل"}\n' "$page_json"
    printf '{"id":"j2","html":"<html><body><nav>قائمة</nav></body></html>"}\n'
    printf '{"id":"j3","html":"<p>نص</p>","text":"نص"}\n'
} >"$tmp/html.jsonl"
check "JSON lines with html" status_is 1 "$k" index --db "$hdb" --jsonl "$tmp/html.jsonl"
check "  a page with no article is reported" contains "$tmp/lasterr" "html.jsonl:2: the page has no article text"
check "  text and html both: an error" contains "$tmp/lasterr" 'html.jsonl:3: the record has both "text" and "html"'
check "  the record's title wins, the page's date" sh -c "sqlite3 '$hdb' \"SELECT title || '|' || date FROM articles WHERE id = 'j1'\" | grep -qx 'عنوان السجل|2017-02-15'"
check "--html with --jsonl is a usage error" status_is 2 "$k" index --db "$hdb" --html --jsonl "$tmp/html.jsonl"

# The index agrees with the stored texts tokenized afresh (rank 1: against
# the content): the writer indexes a doc's own tokens instead of analysing
# again, and this checks they are the same, with titles apart or in the text.
for d in "$db" "$hdb" "$sdb" "$tmp/seed.db"; do
    check "index consistent with the texts: $(basename "$d")" sqlite -cmd ".load $ext" "$d" "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)"
done

# kill -9 while indexing: the database stays whole, searches work meanwhile,
# and the same command again stores every article once.
awk 'BEGIN { for (i = 1; i <= 30000; i++)
  printf "{\"id\":\"k%d\",\"title\":\"خبر رقم %d\",\"text\":\"قال الوزير في الرياض إن المشروع %d سيبدأ غداً.\"}\n", i, i, i }' >"$tmp/many.jsonl"
kdb=$tmp/kill.db
"$k" index --db "$kdb" --jsonl --batch 100 "$tmp/many.jsonl" 2>/dev/null &
pid=$!
# wait for the first batches to be committed, then kill it part way
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    n=$(sqlite3 "$kdb" 'SELECT count(*) FROM articles' 2>/dev/null || echo 0)
    [ "${n:-0}" -gt 0 ] && break
    sleep 0.25
done
check "search while indexing" sh -c "'$k' search --db '$kdb' --json --no-facets الوزير | grep -q '\"total\":[1-9]'"
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
check "after kill -9: integrity_check" sh -c "sqlite3 '$kdb' 'PRAGMA integrity_check' | grep -qx ok"
check "  FTS5 integrity-check" sqlite -cmd ".load $ext" "$kdb" "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)"
check "  killed part way" sh -c "n=\$(sqlite3 '$kdb' 'SELECT count(*) FROM articles'); [ \$n -gt 0 ] && [ \$n -lt 30000 ]"
check "  run again" status_is 0 "$k" index --db "$kdb" --jsonl --threads 2 "$tmp/many.jsonl"
check "  every article once" sh -c "[ \$(sqlite3 '$kdb' 'SELECT count(*), count(DISTINCT id) FROM articles') = '30000|30000' ]"
check "  found once" sh -c "'$k' search --db '$kdb' --json '\"المشروع 4321\"' | grep -q '\"total\":1,'"

# Tags weigh a word's rarity in the archive given with analyze --db: in an
# archive whose articles are about Afghanistan, أفغانستان says less of the
# seed article (which is about Taliban and ISIS there) than it does over
# the reference corpus alone.
i=0
while [ $i -lt 400 ]; do
    echo "{\"id\":\"af$i\",\"text\":\"قالت الأمم المتحدة إن الوضع الإنساني في أفغانستان يزداد سوءاً في الشهر $i.\"}"
    i=$((i + 1))
done >"$tmp/afghan.jsonl"
adb=$tmp/afghan.db
tag_rank() { # [--db DB]: the rank of أفغانستان among the seed's tags (1 first, 99 none)
    r=$("$k" analyze "$@" "$src/examples/article.txt" | grep -o '"tags":\[[^]]*\]' |
        grep -o '"text":"[^"]*"' | grep -nx '"text":"أفغانستان"' | cut -d: -f1)
    echo "${r:-99}"
}
check "index an archive about Afghanistan" status_is 0 "$k" index --db "$adb" --jsonl "$tmp/afghan.jsonl"
without=$(tag_rank)
with=$(tag_rank --db "$adb")
check "analyze --db: a word frequent in the archive ranks lower ($without, $with)" [ "$with" -gt "$without" ]
check "  without the archive, among the first three" [ "$without" -le 3 ]
check "analyze --db with no archive is a usage error" status_is 2 "$k" analyze --db "$tmp/none.db" "$src/examples/article.txt"
check "  saying which" contains "$tmp/lasterr" "none.db"

# The loadable extension, through the documented example.
run_example() { (cd "$src" && sqlite -cmd ".load $ext" :memory: <examples/fts5_khabar.sql >"$tmp/ext.out"); }
check "extension example" run_example
check "  gives the documented output" cmp "$tmp/ext.out" "$src/examples/fts5_khabar.out"

echo "archive cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
