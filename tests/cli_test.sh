#!/bin/sh
# The khabar command line end to end: exit statuses, error reporting, the
# text commands, and the seed article's analysis as EXPECTED.md states it.
# Usage: cli_test.sh KHABAR_BINARY SOURCE_DIR
set -u
k=$1
src=$2
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
status_is() { # WANT COMMAND...
    want=$1; shift
    "$@" >"$tmp/last" 2>"$tmp/lasterr" </dev/null
    [ $? = "$want" ]
}

check "help" sh -c "'$k' --help | grep -q analyze"
check "analyze --help" sh -c "'$k' analyze --help | grep -q -- --jsonl"
check "version" sh -c "'$k' --version | grep -q '^khabar '"
check "--help lists --version" sh -c "'$k' --help | grep -q -- '--version'"
# The man page documents every command --help lists.
for c in $("$k" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 {print $1}'); do
    check "man page documents $c" sh -c "grep -q '^\.B khabar $c' '$src/docs/khabar.1' && grep -qE '^\.B $c( |\$)' '$src/docs/khabar.1'"
done
check "unknown command is a usage error" status_is 2 "$k" frobnicate
check "unknown option is a usage error" status_is 2 "$k" analyze --bogus "$src/examples/article.txt"
check "missing file fails" status_is 1 "$k" analyze "$tmp/nope.txt"

# Plain text from stdin, and a bad file among good ones: the others still come out.
printf 'عنوان\n\nفقرة.\n' >"$tmp/good.txt"
printf 'عنوان\n\nفقرة \377.\n' >"$tmp/bad.txt"
check "stdin" sh -c "'$k' analyze - <'$tmp/good.txt' | grep -q '\"title\":\"عنوان\"'"
check "bad file among good ones" status_is 1 "$k" analyze "$tmp/good.txt" "$tmp/bad.txt" "$tmp/good.txt"
check "  three lines printed" sh -c "[ \$(wc -l <'$tmp/last') = 3 ]"
check "  an error record in the bad file's place" sh -c "sed -n 2p '$tmp/last' | grep -q '^{\"file\":\"$tmp/bad.txt\",\"error\":{\"code\":\"invalid_utf8\"'"
check "  each record names its file" sh -c "[ \$(grep -c '^{\"file\":\"$tmp/good.txt\",\"title\"' '$tmp/last') = 2 ]"
check "  error names file and byte" grep -q 'bad.txt: invalid UTF-8 at byte 21' "$tmp/lasterr"
# --skip leaves analyses (and their fields) out; the structure stays.
check "--skip all" status_is 0 "$k" analyze --skip all "$src/examples/article.txt"
check "  structure kept" contains "$tmp/last" '"sentences":['
check "  no quantities" sh -c "! grep -q '\"quantities\"' '$tmp/last'"
check "  no duplicates" sh -c "! grep -q '\"duplicates\"' '$tmp/last'"
check "--skip facts keeps duplicates" status_is 0 "$k" analyze --skip facts "$src/examples/article.txt"
check "  duplicates kept" contains "$tmp/last" '"duplicates":[{'
check "  dates left out" sh -c "! grep -q '\"dates\"' '$tmp/last'"
check "--skip with an unknown name is a usage error" status_is 2 "$k" analyze --skip facts,bogus "$src/examples/article.txt"
check "  the name is reported" contains "$tmp/lasterr" "unknown analysis 'bogus'"
check "--replace-invalid" status_is 0 "$k" analyze --replace-invalid "$tmp/bad.txt"
check "  repair reported" contains "$tmp/last" '"kind":"invalid_utf8"'
: >"$tmp/empty.txt"
check "empty file is an error" status_is 1 "$k" analyze "$tmp/empty.txt"
check "  and says so" contains "$tmp/lasterr" "has no text"

# JSON lines: one output line per record, in order, errors in place.
printf '{"id":1,"text":"أ."}\nnot json\n{"id":3,"text":"ج."}\n' >"$tmp/in.jsonl"
check "jsonl with a broken line" status_is 1 "$k" analyze --jsonl "$tmp/in.jsonl"
check "  three lines out" sh -c "[ \$(wc -l <'$tmp/last') = 3 ]"
check "  error record in place" sh -c "sed -n 2p '$tmp/last' | grep -q '\"line\":2,\"error\":{\"code\":\"invalid_json\"'"
check "  later records go on" sh -c "sed -n 3p '$tmp/last' | grep -q '\"id\":3'"
check "jsonl from stdin" sh -c "printf '{\"id\":\"s\",\"text\":\"نص.\"}\n' | '$k' analyze --jsonl | grep -q '\"id\":\"s\"'"
check "jsonl all good exits 0" sh -c "printf '{\"id\":1,\"text\":\"نص.\"}\n\n' | '$k' analyze --jsonl >/dev/null"
# --threads: the same lines, in the same order, errors in place, the same status and messages;
# 600 records cross the 256-record batches.
i=0
while [ $i -lt 600 ]; do
    case $i in
        300) echo 'not json' ;;
        301) echo '{"id":301}' ;;
        *) printf '{"id":%d,"text":"قال الوزير إن %d شخصا وصلوا إلى بغداد أمس."}\n' $i $i ;;
    esac
    i=$((i + 1))
done >"$tmp/many.jsonl"
check "--threads 1" status_is 1 "$k" analyze --jsonl --date 2021-05-05 "$tmp/many.jsonl"
mv "$tmp/last" "$tmp/one.out"; mv "$tmp/lasterr" "$tmp/one.err"
check "--threads 3" status_is 1 "$k" analyze --jsonl --threads 3 --date 2021-05-05 "$tmp/many.jsonl"
check "  same output in the same order" cmp "$tmp/last" "$tmp/one.out"
check "  same messages" cmp "$tmp/lasterr" "$tmp/one.err"
check "  600 lines" sh -c "[ \$(wc -l <'$tmp/last') = 600 ]"
check "--threads 0 (one per processor)" sh -c "'$k' analyze --jsonl --threads 0 --date 2021-05-05 '$tmp/many.jsonl' 2>/dev/null | cmp - '$tmp/one.out'"
check "--threads needs a number" status_is 2 "$k" analyze --jsonl --threads many "$tmp/many.jsonl"

# Text commands.
check "normalize" sh -c "printf 'أَفْغانِسْتان ١٠٬٠٠٠' | '$k' normalize | grep -qx 'افغانستان 10,000'"
check "normalize --no-alef" sh -c "printf 'أفغانستان' | '$k' normalize --no-alef | grep -qx 'أفغانستان'"
check "normalize --no-digits" sh -c "printf '١٠' | '$k' normalize --no-digits | grep -qx '١٠'"
check "segment" sh -c "printf 'وبالكتاب\nوبكتابه\n' | '$k' segment | tr '\\n' ' ' | grep -qx 'و+ب+ال+كتاب و+ب+كتاب+ه '"
check "stem shares one stem" sh -c "[ \$(printf 'والكتاب\nالكتاب\nبالكتاب\nللكتاب\nكتاب\n' | '$k' stem | sort -u | wc -l) = 1 ]"
check "stem keeps names whole" sh -c "printf 'أفغانستان\n' | '$k' stem | grep -qx 'افغانستان'"

# CoNLL commands: one output line per input line, blank lines kept.
printf 'أعلن\nاتحاد\nفي\nألمانيا\n\nقتل\n500\nمقاتل\n' >"$tmp/in.conll"
check "ner --conll" sh -c "'$k' ner --conll '$tmp/in.conll' >'$tmp/ner.out' && [ \$(wc -l <'$tmp/ner.out') = 8 ] && grep -qx 'ألمانيا	B-LOC' '$tmp/ner.out'"
check "tag --conll numbers" sh -c "'$k' tag --conll --layer numbers '$tmp/in.conll' | grep -qx '500	B-CARDINAL'"
check "tag --conll needs a layer" status_is 2 "$k" tag --conll "$tmp/in.conll"
check "ner refuses invalid UTF-8" sh -c "printf 'x\\377\\n' | '$k' ner --conll - ; [ \$? = 1 ]"

# Issue 11, what a newcomer's trial found.
# Several files: each record names its file; a missing file or a directory gives an error record in its place.
printf '{"id":1,"text":"نص."}\n' >"$tmp/one.jsonl"
mkdir "$tmp/adir"
for threads in 1 2; do
check "jsonl, several files, --threads $threads" status_is 1 "$k" analyze --jsonl --threads $threads "$tmp/one.jsonl" "$tmp/nope.jsonl" "$tmp/adir" "$tmp/one.jsonl"
check "  four lines" sh -c "[ \$(wc -l <'$tmp/last') = 4 ]"
check "  records carry file" sh -c "sed -n 1p '$tmp/last' | grep -q '^{\"file\":\"$tmp/one.jsonl\",\"id\":1,'"
check "  missing file: error record" sh -c "sed -n 2p '$tmp/last' | grep -q '^{\"file\":\"$tmp/nope.jsonl\",\"error\":{\"code\":\"io_error\",\"message\":\"cannot read the file: No such file or directory\"'"
check "  directory: error record" sh -c "sed -n 3p '$tmp/last' | grep -q '^{\"file\":\"$tmp/adir\",\"error\":{\"code\":\"io_error\"'"
check "  the run goes on" sh -c "sed -n 4p '$tmp/last' | grep -q '^{\"file\":\"$tmp/one.jsonl\",\"id\":1,'"
done
check "plain text: a directory among files" status_is 1 "$k" analyze "$tmp/good.txt" "$tmp/adir" "$tmp/good.txt"
check "  error record in its place" sh -c "sed -n 2p '$tmp/last' | grep -q '^{\"file\":\"$tmp/adir\",\"error\":{\"code\":\"io_error\"'"
check "  one file: no \"file\"" sh -c "'$k' analyze '$tmp/good.txt' | grep -q '^{\"title\"'"
# dedup: the same for files; ids may repeat across files, so clusters name them.
txt="قال الوزير إن الحكومة ستعمل على تحسين الخدمات العامة في جميع المدن خلال العام المقبل بعد الاجتماع"
printf '{"id":{"site":"a","n":1},"text":"%s"}\n' "$txt" >"$tmp/d1.jsonl"
printf '{"id":null,"text":"%s"}\n' "$txt" >"$tmp/d2.jsonl"
check "dedup: a missing file and a directory" status_is 1 "$k" dedup "$tmp/d1.jsonl" "$tmp/nope.jsonl" "$tmp/adir" "$tmp/d2.jsonl"
check "  error records" sh -c "[ \$(grep -c '\"error\":{\"code\":\"io_error\"' '$tmp/last') = 2 ]"
check "  the cluster across files, ids of any kind" contains "$tmp/last" '{"ids":[{"site":"a","n":1},null],"files":["'"$tmp/d1.jsonl"'","'"$tmp/d2.jsonl"'"],"similarity":1.000}'
# An id that is an object, an array or null: echoed by analyze as dedup does.
printf '{"id":{"a": [1, 2]},"text":"نص."}\n{"id":[1],"text":"نص."}\n{"id":null,"text":"نص."}\n' >"$tmp/ids.jsonl"
check "analyze: object, array and null ids" status_is 0 "$k" analyze --jsonl "$tmp/ids.jsonl"
check "  echoed, compact" sh -c "grep -c '^{\"id\":{\"a\":\[1,2\]},\"title\"' '$tmp/last' && grep -c '^{\"id\":\[1\],\"title\"' '$tmp/last' && grep -c '^{\"id\":null,\"title\"' '$tmp/last'"
# --date, a record's "date" and --max-bytes are checked.
for d in 2020-13-45 2020-02-30 01/03/2020; do
check "--date $d refused" status_is 2 "$k" analyze --date $d "$tmp/good.txt"
check "  names the option" contains "$tmp/lasterr" "--date '$d' is not a calendar date"
printf '{"id":"d","text":"نص.","date":"%s"}\n' $d >"$tmp/date.jsonl"
check "record date $d: an error record" status_is 1 "$k" analyze --jsonl "$tmp/date.jsonl"
check "  naming the field" contains "$tmp/last" '{"id":"d","line":1,"error":{"code":"invalid_record","message":"the record'"'"'s \"date\" is not a calendar date'
done
check "--date 2020-02-29 accepted" status_is 0 "$k" analyze --date 2020-02-29 "$tmp/good.txt"
for m in -1 abc 12x 0 ''; do
check "--max-bytes '$m' refused" status_is 2 "$k" analyze --max-bytes "$m" "$tmp/good.txt"
done
# --replace-invalid in JSON lines reports what it replaced.
printf '{"id":"r","text":"\\n\331\206\377\330\265."}\n' >"$tmp/bad.jsonl"
check "jsonl --replace-invalid" status_is 0 "$k" analyze --jsonl --replace-invalid "$tmp/bad.jsonl"
check "  the repair is reported" contains "$tmp/last" '"repairs":[{"kind":"invalid_utf8","text":"�","start":3,"end":4}]'
# --no-title: the first line is text.
check "--no-title" sh -c "'$k' analyze --no-title '$tmp/good.txt' | grep -q '^{\"title\":null,.*\"blocks\":\[{\"kind\":\"paragraph\",\"text\":\"عنوان\"'"
# Line ends other than LF.
printf 'عنوان\r\rقال إن الوضع جيد.\rوأضاف أنه سيعود.\342\200\250ثم غادر.\302\205وانتهى.\fصفحة.\vسطر.\342\200\251فقرة.' >"$tmp/cr.txt"
check "a lone CR, U+2028, NEL, FF, VT and U+2029 end lines" sh -c "'$k' analyze '$tmp/cr.txt' >'$tmp/cr.json' && grep -q '\"title\":\"عنوان\"' '$tmp/cr.json' && [ \$(grep -o '\"kind\":\"paragraph\"' '$tmp/cr.json' | wc -l) = 7 ]"
check "  sentences are not glued" contains "$tmp/cr.json" '{"text":"وأضاف أنه سيعود.","start":43,"end":72'
# A number too large for a double: null, never inf.
printf 'عنوان\n\nبلغ الدين 1%0400d دولار.\n' 0 >"$tmp/inf.txt"
check "a number too large for a double is null" sh -c "'$k' analyze '$tmp/inf.txt' >'$tmp/inf.json' && grep -q '\"value\":null' '$tmp/inf.json' && ! grep -q 'inf' '$tmp/inf.json'"
# Word tools: each word of a line; FILE arguments; a missing file reported, the others still done.
printf 'وبالكتاب  وبكتابه\n' >"$tmp/words.txt"
check "segment: each word of a line" sh -c "'$k' segment '$tmp/words.txt' | grep -qx 'و+ب+ال+كتاب و+ب+كتاب+ه'"
check "stem: each word of a line" sh -c "'$k' stem '$tmp/words.txt' | grep -qx 'كتاب كتاب'"
check "segment: several files, one missing" status_is 1 "$k" segment "$tmp/words.txt" "$tmp/nope.txt" - 
check "  the others done" sh -c "[ \$(wc -l <'$tmp/last') = 1 ] && grep -q 'nope.txt: cannot read' '$tmp/lasterr'"
check "normalize FILE..." sh -c "printf 'أَ' >'$tmp/n1' && printf 'ى' >'$tmp/n2' && '$k' normalize '$tmp/n1' '$tmp/n2' | grep -qx 'اي'"
# A write error (a full disk) fails every command with a message.
if [ -w /dev/full ]; then
printf 'أعلن\nاتحاد\n\n500\nمقاتل\n' >"$tmp/full.conll"
for cmd in "normalize $tmp/words.txt" "segment $tmp/words.txt" "stem $tmp/words.txt" "ner --conll $tmp/full.conll" \
           "tag --conll --layer numbers $tmp/full.conll" "analyze $tmp/good.txt" "analyze --jsonl $tmp/one.jsonl" \
           "analyze --jsonl --threads 2 $tmp/one.jsonl" "dedup $tmp/d1.jsonl $tmp/d2.jsonl" "--version" \
           "extract $src/tests/html/$(ls "$src/tests/html" 2>/dev/null | grep -m1 '\.html$')"; do
    # shellcheck disable=SC2086
    check "write error: $cmd" sh -c "'$k' $cmd >/dev/full 2>'$tmp/fullerr'; [ \$? = 2 ] && grep -q 'cannot write the output' '$tmp/fullerr'"
done
fi
# A program that writes one record and waits gets its answer at once: output into a pipe is flushed per record.
dialogue() { # COMMAND LINE EXPECTED: one line to the command, its answer read within 20 s while its input stays open
    mkfifo "$tmp/fin" "$tmp/fout"
    # shellcheck disable=SC2086
    "$k" $1 <"$tmp/fin" >"$tmp/fout" 2>/dev/null &
    pid=$!
    exec 3>"$tmp/fin"
    printf '%s\n' "$2" >&3
    timeout 20 head -n 1 "$tmp/fout" >"$tmp/answer"
    exec 3>&-
    wait $pid
    rm -f "$tmp/fin" "$tmp/fout"
    grep -qF -- "$3" "$tmp/answer"
}
check "dialogue: analyze --jsonl answers one record" dialogue "analyze --jsonl" '{"id":"q","text":"نص."}' '{"id":"q",'
check "dialogue: segment answers one line" dialogue "segment" 'وبالكتاب' 'و+ب+ال+كتاب'

# The seed article (../shared/seed/EXPECTED.md): structure and repairs.
"$k" analyze "$src/examples/article.txt" >"$tmp/seed.json"
check "seed: title" contains "$tmp/seed.json" '"title":"بعد مضي شهر ... طالبان تعترف بقتلها زعيم داعش في افغانستان"'
check "seed: heading 1" contains "$tmp/seed.json" '{"kind":"heading","text":"صراع طالبان - داعش"'
check "seed: heading 2" contains "$tmp/seed.json" '{"kind":"heading","text":"وجود داعش"'
check "seed: two headings" sh -c "[ \$(grep -o '\"kind\":\"heading\"' '$tmp/seed.json' | wc -l) = 2 ]"
check "seed: seven paragraphs" sh -c "[ \$(grep -o '\"kind\":\"paragraph\"' '$tmp/seed.json' | wc -l) = 7 ]"
check "seed: twelve sentences" sh -c "[ \$(grep -o '\"block\":[0-9]*}' '$tmp/seed.json' | wc -l) = 12 ]"
check "seed: joined word" contains "$tmp/seed.json" '{"kind":"joined_word","text":"وترى"'
check "seed: joined sentence" contains "$tmp/seed.json" '{"text":"وترى الصحيفة أن وجود تنظيم'
check "seed: boilerplate removed" contains "$tmp/seed.json" '{"kind":"boilerplate","text":"الكلمات الدالة"'
check "seed: boilerplate not in any block" sh -c "! grep -o '\"blocks\":.*\"sentences\"' '$tmp/seed.json' | grep -q 'الكلمات الدالة'"

# The seed's numbers, dates and repeated pair (EXPECTED.md).
check "seed: 8 members" contains "$tmp/seed.json" '"value":8,"approx":false,"unit":"أعضاء آخرين"'
check "seed: hundreds of prisoners" contains "$tmp/seed.json" '"text":"مئات السجناء","kind":"cardinal","min":200,"max":999,"approx":true'
check "seed: range 500-1500" contains "$tmp/seed.json" '"min":500,"max":1500,"approx":false,"unit":"مقاتل"'
check "seed: range 8000-10000" contains "$tmp/seed.json" '"min":8000,"max":10000,"approx":false,"unit":"مقاتل أجنبي"'
check "seed: mid-July" contains "$tmp/seed.json" '"value":"XXXX-07","mod":"MID"'
check "seed: early June" contains "$tmp/seed.json" '"value":"XXXX-06","mod":"START"'
check "seed: two days before" contains "$tmp/seed.json" '"offset":"-P2D"'
check "seed: repeated pair" contains "$tmp/seed.json" '"duplicates":[{"a":6,"b":9,'
# The seed's entities (EXPECTED.md, "Entities"): each with its type, and the forms linked to it.
entity() { # NAME TYPE [VARIANT...]: one entity NAME of TYPE, written each VARIANT way
    name=$1 type=$2
    shift 2
    e=$(grep -o "{\"name\":\"$name\",\"type\":\"$type\",\"mentions\":[0-9]*,\"variants\":\[[^]]*\]" "$tmp/seed.json")
    [ -n "$e" ] || return 1
    [ "$(printf '%s\n' "$e" | wc -l)" = 1 ] || return 1
    for v in "$@"; do printf '%s' "$e" | grep -qF "\"$v\"" || return 1; done
}
check "seed: PER أبو عمر خراساني (and خراساني)" entity "أبو عمر خراساني" PER "خراساني"
check "seed: PER فرانك ماكنزي" entity "فرانك ماكنزي" PER
check "seed: ORG طالبان (and حركة طالبان)" entity "طالبان" ORG "حركة طالبان"
check "seed: ORG داعش (and تنظيم الدولة)" entity "داعش" ORG "تنظيم الدولة"
check "seed: ORG داعش خراسان" entity "داعش خراسان" ORG
check "seed: ORG القاعدة" entity "القاعدة" ORG
check "seed: ORG الأمم المتحدة" entity "الأمم المتحدة" ORG
check "seed: ORG القيادة المركزية الأميركية" entity "القيادة المركزية الأميركية" ORG
check "seed: ORG وول ستريت جورنال (misspelt)" entity "وول ستريت جورنال" ORG "اوول ستريت جورنال"
check "seed: LOC أفغانستان (and افغانستان)" entity "أفغانستان" LOC "افغانستان"
check "seed: LOC كابول" entity "كابول" LOC
check "seed: LOC جنوب آسيا" entity "جنوب آسيا" LOC
check "seed: LOC الشرق الأوسط" entity "الشرق الأوسط" LOC
check "seed: LOC الصين" entity "الصين" LOC
check "seed: LOC روسيا" entity "روسيا" LOC
check "seed: LOC إيران" entity "إيران" LOC
check "seed: LOC الولايات المتحدة (and أمريكا, الأميركية, الأمريكي)" entity "الولايات المتحدة" LOC "أمريكا" "الأميركية" "الأمريكي"
check "seed: 17 entities" sh -c "[ \$(grep -o '{\"name\":' '$tmp/seed.json' | wc -l) = 17 ]"
check "seed: English names" contains "$tmp/seed.json" '"name":"وول ستريت جورنال","type":"ORG","mentions":1,"variants":["اوول ستريت جورنال"],"en":"The Wall Street Journal"}'
check "seed: mention of the country inside the command" contains "$tmp/seed.json" '{"text":"القيادة المركزية الأميركية","type":"ORG","entity":14,"sentence":10,"start":3025,"end":3075},{"text":"الأميركية","type":"LOC","entity":7,"sentence":10,"start":3057,"end":3075}'
check "seed: clitics off (للأمم)" contains "$tmp/seed.json" '{"text":"الأمم المتحدة","type":"ORG","entity":16,"sentence":11,"start":3362,'
# The editor's entity errors (issue 15), through the whole analysis, tagger included.
printf '%s\n' "قال الناشط الحقوقي بهي الدين حسن إن الحكومة المصرية تضع المعارضة بين نارين. وأضاف بهي الدين حسن أن الوضع صعب." \
    "سقطت قذيفة على حي كفر سوسة في دمشق. وقالت مصادر إن الانفجار وقع قرب مبنى في كفر سوسة." \
    "يعود تاريخ المسرح إلى العهد الروماني. وقال انا مع الحكومة في هذا القرار." >"$tmp/editor.txt"
"$k" analyze "$tmp/editor.txt" >"$tmp/editor.json" 2>/dev/null
check "editor: بهي الدين حسن keeps its ب" contains "$tmp/editor.json" '{"text":"بهي الدين حسن","type":"PER"'
check "editor: no هي الدين حسن" sh -c "! grep -qF '\"هي الدين حسن\"' '$tmp/editor.json'"
check "editor: كفر سوسة is no Sousse" sh -c "grep -qF '{\"text\":\"كفر سوسة\",\"type\":\"LOC\"' '$tmp/editor.json' && ! grep -qF '\"Sousse\"' '$tmp/editor.json'"
check "editor: العهد الروماني is no Romania" sh -c "! grep -qF '\"Romania\"' '$tmp/editor.json'"
check "editor: انا is no name" sh -c "! grep -qF '{\"text\":\"انا\"' '$tmp/editor.json'"
# The seed's quotes and who said them (EXPECTED.md).  Entities are matched
# by any value: they come from the entity stage.
q() { grep -qE -- "$1" "$tmp/seed.json"; }
check "seed: كشف (Khorasani, in interviews)" q '"cue":"كشف","text":"\\"داعش\\" وضع أهدافاً عالمية'
check "seed: صرح خراساني, direct" q '"speaker":"خراساني","entity":[0-9a-z]+,"cue":"وصرح","text":"الحركة ستطلق سراحه إذا كانت من المسلمين الصالحين","direct":true'
check "seed: بحسب ما جاء في صحيفة" q '"speaker":"صحيفة \\"اوول ستريت جورنال\\" الأميركية","entity":[0-9a-z]+,"cue":"بحسب","text":"كان أبو عمر خراساني،'
check "seed: وترى الصحيفة" q '"speaker":"الصحيفة","entity":[0-9a-z]+,"cue":"وترى","text":"وجود تنظيم'
check "seed: روسيا والصين وإيران" q '"speaker":"روسيا والصين وإيران","entity":[0-9a-z]+,("entities":\[[0-9,]+\],)?"cue":"وأكدت","text":"أنها تعتبر'
check "seed: ماكنزي with title and role" q '"speaker":"قائد القيادة المركزية الأميركية الجنرال فرانك ماكنزي","entity":[0-9a-z]+,"cue":"أعلن","text":"الولايات المتحدة كانت تعتمد'
check "seed: تقرير للأمم المتحدة" q '"speaker":"تقرير للأمم المتحدة","entity":[0-9a-z]+,"cue":"وبحسب","text":"يستند تنظيم'

# The seed's tags and summary (EXPECTED.md): led by طالبان، داعش، أفغانستان; the lead claim first.
check "seed: tags led by the three actors" sh -c "grep -o '\"tags\":\[[^]]*\]' '$tmp/seed.json' | grep -o '\"text\":\"[^\"]*\"' | head -3 | sort | tr '\n' ' ' | grep -qx '\"text\":\"أفغانستان\" \"text\":\"داعش\" \"text\":\"طالبان\" '"
check "seed: tag أبو عمر خراساني" contains "$tmp/seed.json" '{"text":"أبو عمر خراساني","score":'
check "seed: tag كابول" contains "$tmp/seed.json" '{"text":"كابول","score":'
check "seed: tag داعش خراسان (a branch of داعش)" contains "$tmp/seed.json" '{"text":"داعش خراسان","score":'
check "seed: 5 to 10 tags" sh -c "n=\$(grep -o '\"tags\":\[[^]]*\]' '$tmp/seed.json' | grep -o '\"score\"' | wc -l); [ \$n -ge 5 ] && [ \$n -le 10 ]"
check "seed: no stopword tags" sh -c "! grep -o '\"tags\":\[[^]]*\]' '$tmp/seed.json' | grep -qE '\"text\":\"(في|من|على|أن|التي)\"'"
check "seed: summary of three, the lead first" contains "$tmp/seed.json" '"summary":[0,'
check "seed: summary has three sentences" sh -c "grep -qE '\"summary\":\[0,[0-9]+,[0-9]+\]' '$tmp/seed.json'"
check "seed: summary never both of the repeated pair" sh -c "! grep -qE '\"summary\":\[[0-9,]*\b6\b[0-9,]*\b9\b' '$tmp/seed.json'"
check "--summary 1" sh -c "'$k' analyze --summary 1 '$src/examples/article.txt' | grep -q '\"summary\":\[0\]'"
check "--summary 0 is a usage error" status_is 2 "$k" analyze --summary 0 "$src/examples/article.txt"
check "--date resolves relative dates" sh -c "printf 'عنوان\n\nوصل أمس.\n' | '$k' analyze --date 2021-09-20 - | grep -q '\"value\":\"2021-09-19\"'"
check "jsonl date resolves relative dates" sh -c "printf '{\"id\":1,\"text\":\"وصل أمس.\",\"date\":\"2021-03-01\"}\n' | '$k' analyze --jsonl | grep -q '\"value\":\"2021-02-28\"'"

# An article's analysis does not depend on the articles analysed before it
# (regression: a word seen first in presentation forms, ﺍﻟ, was read as a
# Latin word, and the tag cache then gave الـ28's ال its class). And the
# threads give what one thread gives.
printf '%s\n' '{"id":"a","text":"ﺍﻟ ﺍﻟ ﻓﻲ ﺍﻟﻤﺪﻳﻨﺔ ﺍﻟ ﺍﻟﻜﺒﻴﺮﺓ."}' >"$tmp/ab.jsonl"
printf '%s\n' '{"id":"b","text":"اجتمع وزراء خارجية الدول الـ28 الأعضاء في بروكسل. وقال وزراء خارجية الدول الـ28 إن الاتفاق مهم. وأكد وزراء خارجية الدول الـ28 دعمهم."}' >"$tmp/b.jsonl"
cat "$tmp/b.jsonl" >>"$tmp/ab.jsonl"
check "an article's result does not depend on the one before" sh -c "'$k' analyze --jsonl '$tmp/ab.jsonl' | tail -1 >'$tmp/ab.out' && '$k' analyze --jsonl '$tmp/b.jsonl' | cmp -s - '$tmp/ab.out'"
check "presentation forms are Arabic words" sh -c "printf 'عنوان\n\nﻗﺎﻝ ﺍﻟﺮﺋﻴﺲ ﺇﻥ ﺍﻟﺤﻜﻮﻣﺔ ﻻ ﺗﻘﺒﻞ ﺍﻟﺸﺮﻭﻁ.\n' | '$k' analyze - | grep -q '\"cue\":\"ﻗﺎﻝ\"'"
check "--threads 2 gives what one thread gives" sh -c "cat '$tmp/ab.jsonl' '$tmp/ab.jsonl' '$tmp/b.jsonl' >'$tmp/abab.jsonl' && '$k' analyze --jsonl '$tmp/abab.jsonl' >'$tmp/t1' && '$k' analyze --jsonl --threads 2 '$tmp/abab.jsonl' | cmp -s - '$tmp/t1'"

# Encodings (issue 11): detected, named with --encoding for every command, and
# a UTF-8 byte-order mark skipped at the start of JSON lines and CoNLL.
to() { iconv -f utf-8 -t "$1"; }
printf 'الحكومة تعلن خطة جديدة\n\nقال وزير الخارجية في مؤتمر صحفي اليوم إن المفاوضات ستستأنف الأسبوع المقبل في تونس.\n' >"$tmp/ar.txt"
to windows-1256 <"$tmp/ar.txt" >"$tmp/ar-1256.txt"
to iso-8859-6 <"$tmp/ar.txt" >"$tmp/ar-iso.txt"
{ printf '\377\376'; to utf-16le <"$tmp/ar.txt"; } >"$tmp/ar-16le.txt"
to utf-16be <"$tmp/ar.txt" >"$tmp/ar-16be.txt"
check "windows-1256 detected" status_is 0 "$k" analyze "$tmp/ar-1256.txt"
check "  title converted" contains "$tmp/last" '"title":"الحكومة تعلن خطة جديدة"'
check "  encoding repair" contains "$tmp/last" '"repairs":[{"kind":"encoding","text":"windows-1256","start":0,'
check "iso-8859-6 detected" status_is 0 "$k" analyze "$tmp/ar-iso.txt"
check "  encoding repair" contains "$tmp/last" '{"kind":"encoding","text":"iso-8859-6","start":0,'
check "utf-16le by its byte-order mark" status_is 0 "$k" analyze "$tmp/ar-16le.txt"
check "  converted" contains "$tmp/last" '"title":"الحكومة تعلن خطة جديدة"'
check "utf-16be named" status_is 0 "$k" analyze --encoding utf-16be "$tmp/ar-16be.txt"
check "  converted" contains "$tmp/last" '{"kind":"encoding","text":"utf-16be","start":0,'
check "--encoding=NAME, any place" status_is 0 "$k" analyze "$tmp/ar-1256.txt" --encoding=windows-1256
check "  converted" contains "$tmp/last" '"title":"الحكومة تعلن خطة جديدة"'
check "UTF-8 is no repair" status_is 0 "$k" analyze "$tmp/ar.txt"
check "  none" contains "$tmp/last" '"repairs":[]'
check "a named encoding that does not fit" status_is 1 "$k" analyze --encoding utf-8 "$tmp/ar-1256.txt"
check "an unknown encoding is a usage error" status_is 2 "$k" analyze --encoding no-such "$tmp/ar.txt"
check "  named" contains "$tmp/lasterr" "unknown encoding 'no-such'"
check "--encoding without a name is a usage error" status_is 2 "$k" normalize --encoding
printf '\343\344\n' >"$tmp/doubt.txt"
check "an encoding that cannot be told" status_is 1 "$k" analyze "$tmp/doubt.txt"
check "  names the likely ones and the option" contains "$tmp/lasterr" "(likely windows-1256 or iso-8859-6): name it with --encoding (invalid_encoding"
check "  --replace-invalid reads it as UTF-8, replaced" status_is 0 "$k" analyze --replace-invalid "$tmp/doubt.txt"
check "  the repair" contains "$tmp/last" '"kind":"invalid_utf8"'
check "  and in JSON lines" sh -c "printf '{\"id\":1,\"text\":\"\343\344\"}\n' | '$k' analyze --jsonl --replace-invalid | grep -qF '\"text\":\"��\"'"
check "  read as named" status_is 0 "$k" analyze --encoding windows-1256 "$tmp/doubt.txt"
check "  converted" contains "$tmp/last" '"title":"من"'
check "a UTF-8 file's byte-order mark still counts in offsets" sh -c "printf '\357\273\277عنوان\n\nفقرة.\n' | '$k' analyze - | grep -q '\"title\":\"عنوان\",\"title_start\":3,'"
check "damaged UTF-8 stays an invalid_utf8 error" status_is 1 "$k" analyze "$tmp/bad.txt"
check "  and says so" contains "$tmp/lasterr" 'invalid UTF-8 at byte 21'
# JSON lines: a byte-order mark first, a record whose encoding cannot be told,
# one in windows-1256, and then the one before read again: the stream's
# encoding, once told, reads the short lines after it.
{ printf '\357\273\277{"id":"bom","text":"قال الوزير إن الحكومة ستعلن خطة جديدة."}\n'
  printf '{"id":"z","text":"\343\344"}\n'
  printf '{"id":"w","text":"قال وزير الخارجية إن المفاوضات ستستأنف في تونس."}\n' | to windows-1256
  printf '{"id":"z2","text":"\343\344"}\n'; } >"$tmp/enc.jsonl"
check "jsonl in several encodings" status_is 1 "$k" analyze --jsonl --skip all "$tmp/enc.jsonl"
check "  a byte-order mark is skipped" sh -c "sed -n 1p '$tmp/last' | grep -q '^{\"id\":\"bom\",.*\"repairs\":\[\]'"
check "  a record that cannot be told: its error record" sh -c "sed -n 2p '$tmp/last' | grep -q '^{\"id\":\"z\",\"line\":2,\"error\":{\"code\":\"invalid_encoding\"'"
check "  a windows-1256 record converted" sh -c "sed -n 3p '$tmp/last' | grep -q '\"text\":\"قال وزير الخارجية.*{\"kind\":\"encoding\",\"text\":\"windows-1256\"'"
check "  then the stream's encoding reads a short record" sh -c "sed -n 4p '$tmp/last' | grep -q '^{\"id\":\"z2\",.*\"text\":\"من\"'"
check "  --threads 2 the same" sh -c "'$k' analyze --jsonl --skip all --threads 2 '$tmp/enc.jsonl' | cmp -s - '$tmp/last'"
check "jsonl named encoding" sh -c "printf '{\"id\":1,\"text\":\"من.\"}\n' | iconv -t windows-1256 | '$k' analyze --jsonl --encoding windows-1256 | grep -q '\"text\":\"من.\"'"
check "jsonl in utf-16 with a byte-order mark" sh -c "{ printf '\377\376'; printf '{\"id\":1,\"text\":\"خطة.\"}\n{\"id\":2,\"text\":\"من.\"}\n' | iconv -t utf-16le; } | '$k' analyze --jsonl --skip all | sed -n 2p | grep -q '^{\"id\":2,.*\"text\":\"من.\"'"
printf '\357\273\277{"id":"a","text":"قال الوزير إن الحكومة ستعلن خطة جديدة للتشغيل في تونس اليوم"}\n{"id":"b","text":"قال الوزير إن الحكومة ستعلن خطة جديدة للتشغيل في تونس اليوم"}\n' >"$tmp/bom.jsonl"
check "dedup skips a byte-order mark" status_is 0 "$k" dedup "$tmp/bom.jsonl"
check "  both records clustered" contains "$tmp/last" '{"ids":["a","b"]'
# CoNLL: a byte-order mark is not part of the first token.
printf '\357\273\277قال\nمحمد\n' >"$tmp/bom.conll"
check "ner skips a byte-order mark" status_is 0 "$k" ner --conll "$tmp/bom.conll"
check "  first token clean" sh -c "head -1 '$tmp/last' | grep -q '^قال	'"
printf '\357\273\277ثلاثة\nأيام\n' >"$tmp/bom2.conll"
check "tag skips a byte-order mark" status_is 0 "$k" tag --conll --layer numbers "$tmp/bom2.conll"
check "  first token clean" sh -c "head -1 '$tmp/last' | grep -q '^ثلاثة	'"
check "ner with --encoding" sh -c "printf 'قال\nمحمد\n' | iconv -t windows-1256 | '$k' ner --conll --encoding windows-1256 | head -1 | grep -q '^قال	'"
# The word tools.
check "segment with --encoding" sh -c "printf 'للحكومة\n' | iconv -t windows-1256 | '$k' segment --encoding windows-1256 | grep -qx 'ل+ال+حكومة'"
check "stem skips a byte-order mark" sh -c "printf '\357\273\277للحكومة\n' | '$k' stem | grep -qvF \"\$(printf '\357\273\277')\""
check "normalize detects windows-1256" sh -c "iconv -t windows-1256 <'$tmp/ar.txt' | '$k' normalize | grep -q 'وزير الخارجية'"
check "segment: a word that cannot be told is reported" status_is 1 sh -c "printf '\343\344\n' | '$k' segment"

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
