#!/bin/sh
# HTML pages through the command line: khabar extract (plain and JSON
# lines), analyze with --html, by a page's name or its first bytes, and
# JSON-lines records that carry "html".
# Usage: html_cli_test.sh KHABAR_BINARY SOURCE_DIR
set -u
k=$1
src=$2
pages=$src/tests/html
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # NAME COMMAND...: the command must succeed
    name=$1; shift
    if "$@" >"$tmp/out" 2>"$tmp/err"; then pass=$((pass + 1)); else
        echo "FAIL: $name"; sed 's/^/  /' "$tmp/err" | head -5; fail=$((fail + 1)); fi
}
status_is() { # WANT COMMAND...
    want=$1; shift
    "$@" >"$tmp/last" 2>"$tmp/lasterr" </dev/null
    [ $? = "$want" ]
}
# JSON-aware checks in the test's own language would need a JSON tool; the
# JSON is compact and its keys are known, so fixed strings do.
has() { grep -qF -- "$2" "$1"; }

check "extract --help" sh -c "'$k' extract --help | grep -q -- --jsonl"
check "extract is listed" sh -c "'$k' --help | grep -q extract"
check "extract a page" status_is 0 "$k" extract "$pages/wordpress.html"
check "  title" has "$tmp/last" '"title":"رسمي : تركيبة حكومة الوحدة الوطنية"'
check "  date from the byline" has "$tmp/last" '"date":"2016-08-20"'
check "  author" has "$tmp/last" '"author":"أسماء بن عمر"'
check "  lang" has "$tmp/last" '"lang":"ar"'
check "  blocks" has "$tmp/last" '"blocks":[{"kind":"paragraph","text":"أعلن رئيس الحكومة'
check "  no menu, share bar, read-also box or comments" sh -c "! grep -qE 'الرئيسية|شارك|اقرأ أيضا|التعليقات|جميع الحقوق' '$tmp/last'"
check "extract from stdin" sh -c "'$k' extract <'$pages/semantic_jsonld.html' | grep -qF '\"date\":\"2017-02-27T10:30:00+01:00\"'"
check "extract a windows-1256 page" sh -c "'$k' extract '$pages/table_cp1256.html' | grep -qF '\"repairs\":[{\"kind\":\"encoding\",\"text\":\"windows-1256\"}]'"
check "--encoding names the page's encoding" sh -c "'$k' extract --encoding windows-1256 <'$pages/table_cp1256.html' | grep -qF 'غدوة حيّ'"
check "--pretty" sh -c "'$k' extract --pretty '$pages/bare_markup.html' | grep -q '^  \"title\"'"

# Several files: each record names its file; a missing one is an error
# record in its place, and the run goes on.
check "several pages, one missing" status_is 1 "$k" extract "$pages/wordpress.html" "$tmp/nope.html" "$pages/br_lines.html"
check "  three lines" sh -c "[ \$(wc -l <'$tmp/last') = 3 ]"
check "  each names its file" sh -c "grep -c '\"file\":' '$tmp/last' | grep -qx 3"
check "  the missing one is an error record" sh -c "sed -n 2p '$tmp/last' | grep -qF '\"error\":{'"

# JSON lines: {"id", "html", "url"?} in, one line out a record, in order.
python_free_jsonl() { # ID FILE: a JSON-lines record holding the page (the page has no newline-free form: escape it)
    printf '{"id":%s,"html":"' "$1"
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' "$2" | awk 'BEGIN{ORS="\\n"} {print}'
    printf '"}\n'
}
{ python_free_jsonl '"a"' "$pages/wordpress.html"; printf '{"id":"b","html":5}\n'; printf 'not json\n'; python_free_jsonl 7 "$pages/bare_markup.html"; } >"$tmp/pages.jsonl"
check "extract --jsonl" status_is 1 "$k" extract --jsonl "$tmp/pages.jsonl"
check "  four lines in order" sh -c "[ \$(wc -l <'$tmp/last') = 4 ] && head -1 '$tmp/last' | grep -qF '{\"id\":\"a\",\"title\"' && tail -1 '$tmp/last' | grep -qF '{\"id\":7,'"
check "  a record without html" sh -c "sed -n 2p '$tmp/last' | grep -qF '{\"id\":\"b\",\"line\":2,\"error\":{\"code\":\"invalid_record\"'"
check "  a line that is no JSON" sh -c "sed -n 3p '$tmp/last' | grep -qF '\"line\":3,\"error\":{\"code\":\"invalid_json\"'"

# analyze: pages by name, by content, and with --html; the page's date
# resolves relative dates and comes out with its author and address.
check "analyze a .html file" sh -c "'$k' analyze --skip all '$pages/wordpress.html' | grep -qF '\"author\":\"أسماء بن عمر\",\"url\":\"http://www.jawharafm.net/ar/article/'"
cp "$pages/br_lines.html" "$tmp/page.txt"
check "analyze a page named .txt that starts <!DOCTYPE" sh -c "'$k' analyze --skip all '$tmp/page.txt' | grep -qF '\"title\":\"'\"\$(sed -n 's/.*<h1>\\([^<]*\\)<.*/\\1/p' '$pages/br_lines.html')\"'\"'"
printf '<div class="content"><p>افتتح الوزير أمس المستشفى الجديد بحضور عدد من المسؤولين، وأكد أن الخدمات ستبدأ فورا في كل الأقسام.</p></div><span class="date">نشر في 12 يوليو 2021</span>\n' >"$tmp/fragment"
check "analyze --html (no doctype)" sh -c "'$k' analyze --html '$tmp/fragment' | grep -qF '\"value\":\"2021-07-11\"'"
check "  without --html it is text" sh -c "! '$k' analyze '$tmp/fragment' | grep -qF '\"value\":\"2021-07-11\"'"
check "  offsets point into the extracted text" sh -c "'$k' analyze --html '$tmp/fragment' | grep -qF '\"sentences\":[{\"text\":\"افتتح الوزير أمس المستشفى الجديد بحضور عدد من المسؤولين، وأكد أن الخدمات ستبدأ فورا في كل الأقسام.\",\"start\":0,'"
{ python_free_jsonl 1 "$pages/wordpress.html"; printf '{"id":2,"text":"نص."}\n'; } >"$tmp/mixed.jsonl"
check "analyze --jsonl with an html record" sh -c "'$k' analyze --jsonl --skip all '$tmp/mixed.jsonl' | head -1 | grep -qF '{\"id\":1,\"date\":\"2016-08-20\",\"author\":'"
check "  a page without article text is an error record" sh -c "printf '{\"id\":9,\"html\":\"<nav><a href=x>home</a></nav>\"}\n' | '$k' analyze --jsonl | grep -qF '{\"id\":9,\"line\":1,\"error\":{\"code\":\"empty\"'"

echo "html_cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
