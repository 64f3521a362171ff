#!/bin/bash
# khabar serve through a real HTTP client (curl) and raw sockets (bash's
# /dev/tcp): the API's answers against the command line's, errors and their
# statuses, malformed requests, a slow client, the queue, tokens, metrics,
# the page's files and a graceful stop.  Bash for /dev/tcp.
# Usage: server_test.sh KHABAR_BINARY SOURCE_DIR
set -u
k=$1
src=$2
pass=0
fail=0
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; [ -n "${2:-}" ] && echo "$2" | head -c 600 | sed 's/^/  /' && echo; fail=$((fail + 1)); }
check() { # NAME COMMAND...: the command must succeed
    local name=$1; shift
    if "$@"; then ok; else bad "$name" "$(cat "$tmp/body" 2>/dev/null)"; fi
}

. "$src/tests/start_server.sh"
# start NAME ARGS...: a server on a free port; sets $port, $pid.
start() {
    local name=$1; shift
    start_server "$k" "$tmp/$name.log" "$@" || exit 1
    pid=$server_pid
    port=$server_port
    pids+=("$pid")
}

# req METHOD PATH [CURL ARGS...]: sets $status; body in $tmp/body, headers in $tmp/headers.
req() {
    local method=$1 path=$2; shift 2
    status=$(curl -s -X "$method" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$@" "http://127.0.0.1:$port$path")
}
status_is() { [ "$status" = "$1" ]; }
body_has() { grep -qF -- "$1" "$tmp/body"; }
error_is() { # STATUS CODE
    [ "$status" = "$1" ] && grep -q "^{\"error\":{\"code\":\"$2\"" "$tmp/body"
}
header_has() { grep -qi -- "$1" "$tmp/headers"; }
alive() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" | grep -q 200; }

art=$src/examples/article.txt
start main --threads 2 --timeout 3 --max-body 200000 --queue 64

# ---- the analysis: the same JSON as the command line ----
req GET /healthz
check "healthz" body_has '"status":"ok"'
req POST '/v1/analyze' -H 'Content-Type: text/plain; charset=utf-8' --data-binary @"$art"
"$k" analyze "$art" >"$tmp/cli.json"
check "analyze text: 200" status_is 200
check "analyze text = khabar analyze" cmp -s <(cat "$tmp/body"; echo) "$tmp/cli.json"
check "  JSON content type" header_has '^Content-Type: application/json'
req POST '/v1/analyze?date=2021-09-15&summary=2&skip=quotes,duplicates&tokens=1' -H 'Content-Type: text/plain' --data-binary @"$art"
"$k" analyze --date 2021-09-15 --summary 2 --skip quotes,duplicates --tokens "$art" >"$tmp/cli.json"
check "analyze with options = khabar analyze with them" cmp -s <(cat "$tmp/body"; echo) "$tmp/cli.json"
check "  a date resolved against ?date" body_has '"value":"2021-07"'
printf '{"title":"عنوان","text":"قال الرئيس إن الوضع جيد أمس.","date":"2021-09-15"}' >"$tmp/rec.json"
req POST /v1/analyze -H 'Content-Type: application/json' --data-binary @"$tmp/rec.json"
"$k" analyze --jsonl "$tmp/rec.json" >"$tmp/cli.json"
check "analyze JSON = khabar analyze --jsonl" cmp -s <(cat "$tmp/body"; echo) "$tmp/cli.json"
check "  relative date resolved" body_has '"value":"2021-09-14"'
page=$src/tests/html/wordpress.html
req POST /v1/analyze -H 'Content-Type: text/html' --data-binary @"$page"
"$k" analyze --html "$page" >"$tmp/cli.json"
check "analyze HTML = khabar analyze --html" cmp -s <(cat "$tmp/body"; echo) "$tmp/cli.json"
req POST /v1/extract -H 'Content-Type: text/html' --data-binary @"$page"
"$k" extract "$page" >"$tmp/cli.json"
check "extract = khabar extract" cmp -s <(cat "$tmp/body"; echo) "$tmp/cli.json"
req POST /v1/analyze --data-binary @"$art" -H 'Content-Type:'
check "no Content-Type is plain text" status_is 200
iconv -f utf-8 -t windows-1256 "$art" >"$tmp/cp1256.txt"
req POST /v1/analyze -H 'Content-Type: text/plain; charset=windows-1256' --data-binary @"$tmp/cp1256.txt"
check "a charset is converted" body_has '"kind":"encoding","text":"windows-1256"'

# ---- batch: JSON lines, streamed, in order, errors in place ----
{
    printf '{"id":"a","text":"قال الرئيس إن الوضع جيد."}\n\n{"id":"b"}\nnot json\n'
    printf '{"id":"c","text":"  "}\n{"id":"d","text":"ذهب الوزير إلى القاهرة."}'
} >"$tmp/batch.jsonl"
req POST /v1/analyze/batch -H 'Content-Type: application/x-ndjson' --data-binary @"$tmp/batch.jsonl"
"$k" analyze --jsonl "$tmp/batch.jsonl" >"$tmp/cli.jsonl" 2>/dev/null
check "batch = khabar analyze --jsonl" cmp -s "$tmp/body" "$tmp/cli.jsonl"
check "  chunked" header_has '^Transfer-Encoding: chunked'
check "  5 lines" [ "$(wc -l <"$tmp/body")" = 5 ]
# Streamed: the first line leaves long before the last record is analysed.
python3 - "$art" >"$tmp/seeds.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
for i in range(40):
    print(json.dumps({"id": i, "text": text}, ensure_ascii=False))
PY
times=$(curl -s -N -o "$tmp/seeds.out" -w '%{time_starttransfer} %{time_total}' -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$tmp/seeds.jsonl" "http://127.0.0.1:$port/v1/analyze/batch")
check "batch of 40 articles: 40 lines" [ "$(wc -l <"$tmp/seeds.out")" = 40 ]
check "  the first line before a third of the time (${times})" \
    awk -v t="$times" 'BEGIN { split(t, a, " "); exit !(a[1] < a[2] / 3) }'
req POST /v1/analyze/batch -H 'Content-Type: text/html' --data-binary @"$tmp/batch.jsonl"
check "batch of HTML: 415" error_is 415 unsupported_media_type
# A record that is not UTF-8 is reported by its id and line; the others are analysed.
printf '{"id":"good","text":"قال الرئيس إن الوضع جيد."}\n{"id":"bad","text":"نص \377\376 تالف"}\n{"id":"\300x","text":"x"}\n{"id":"last","text":"ذهب الوزير إلى القاهرة."}\n' >"$tmp/utf8.jsonl"
req POST /v1/analyze/batch -H 'Content-Type: application/x-ndjson' --data-binary @"$tmp/utf8.jsonl"
check "batch with bad UTF-8: 200, 4 lines" [ "$status" = 200 ] && [ "$(wc -l <"$tmp/body")" = 4 ]
check "  the bad record named, with its line and byte" [ "$(sed -n 2p "$tmp/body")" = '{"id":"bad","line":2,"error":{"code":"invalid_utf8","message":"invalid UTF-8 at byte 25","offset":25}}' ]
check "  a bad id: the line" sh -c "sed -n 3p '$tmp/body' | grep -q '\"line\":3,\"error\":{\"code\":\"invalid_utf8\"'"
check "  the records after it analysed" sh -c "sed -n 4p '$tmp/body' | grep -q '^{\"id\":\"last\",\"title\"'"

# ---- errors ----
req GET /v1/analyze
check "GET analyze: 405" error_is 405 method_not_allowed
check "  Allow: POST" header_has '^Allow: POST'
req DELETE /healthz
check "DELETE healthz: 405" error_is 405 method_not_allowed
req GET /v1/nothing
check "unknown endpoint: 404" error_is 404 not_found
req GET /web/nothing.js
check "unknown file: 404" error_is 404 not_found
req POST /v1/analyze -H 'Content-Type: application/json' --data-binary '{"text": "نص", '
check "truncated JSON: 400" error_is 400 invalid_json
req POST /v1/analyze -H 'Content-Type: application/json' --data-binary '[1,2]'
check "JSON not an object: 400" status_is 400
req POST /v1/analyze -H 'Content-Type: application/json' --data-binary '{"title":"x"}'
check "JSON without text: 400" error_is 400 invalid_record
printf 'عنوان\n\nفقرة \377 هنا.\n' >"$tmp/bad.txt"
req POST /v1/analyze -H 'Content-Type: text/plain; charset=utf-8' --data-binary @"$tmp/bad.txt"
check "bad UTF-8: 400 with its offset" error_is 400 invalid_utf8
check "  offset 21" body_has '"offset":21'
req POST '/v1/analyze?replace_invalid=1' -H 'Content-Type: text/plain; charset=utf-8' --data-binary @"$tmp/bad.txt"
check "  replace_invalid=1: 200" status_is 200
req POST /v1/analyze -H 'Content-Type: text/plain' --data-binary '   '
check "empty text: 400" error_is 400 empty
req POST /v1/analyze -H 'Content-Type: image/png' --data-binary @"$art"
check "image/png: 415" error_is 415 unsupported_media_type
req POST /v1/analyze -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$art"
check "a form: 415" error_is 415 unsupported_media_type
req POST '/v1/analyze?skip=everything' -H 'Content-Type: text/plain' --data-binary @"$art"
check "bad ?skip: 400" error_is 400 bad_parameter
req POST '/v1/analyze?summary=0' -H 'Content-Type: text/plain' --data-binary @"$art"
check "bad ?summary: 400" error_is 400 bad_parameter
req POST '/v1/analyze?date=yesterday' -H 'Content-Type: text/plain' --data-binary @"$art"
check "bad ?date: 400" error_is 400 bad_parameter
head -c 300000 /dev/zero | tr '\0' 'a' >"$tmp/big.txt"
req POST /v1/analyze -H 'Content-Type: text/plain' --data-binary @"$tmp/big.txt"
check "over --max-body: 413" error_is 413 too_large
req POST /v1/analyze -H 'Content-Type: text/plain' -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/big.txt"
check "over --max-body, chunked: 413" error_is 413 too_large
check "alive after the errors" alive

# ---- malformed requests on raw sockets: an error status or a closed connection, never a crash ----
trap '' PIPE
raw() { # BYTES (printf format): the first line of the answer, in $tmp/raw
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf "$1" >&3 2>/dev/null
    timeout 5 head -n 1 <&3 >"$tmp/raw" 2>/dev/null
    exec 3<&- 3>&-
}
raw 'GARBAGE\r\n\r\n'
check "garbage: no success, no server error" sh -c "! grep -q '^HTTP/1.1 [235]' '$tmp/raw'"
raw 'GET /\r\n\r\n'
check "request line without version: 400" grep -q '^HTTP/1.1 400' "$tmp/raw"
raw 'BREW /v1/analyze HTTP/1.1\r\nHost: x\r\n\r\n'
check "unknown method: 405" grep -q '^HTTP/1.1 405' "$tmp/raw"
raw 'GET / HTTP/9.9\r\nHost: x\r\n\r\n'
check "unknown HTTP version: an error status" grep -q '^HTTP/1.1 505' "$tmp/raw"
raw 'POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'
check "bad Content-Length: 400" grep -q '^HTTP/1.1 4' "$tmp/raw"
raw 'POST /v1/analyze HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'
check "bad chunk: an error status or closed" sh -c "! grep -q '^HTTP/1.1 [25]' '$tmp/raw'"
big_header=$(head -c 200000 /dev/zero | tr '\0' 'x')
raw "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: $big_header\r\n\r\n"
check "huge header: 431" grep -q '^HTTP/1.1 431' "$tmp/raw"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nabc' >&3
exec 3<&- 3>&-
t0=$(date +%s)
raw 'POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\n{"te'
t1=$(date +%s)
check "truncated body, connection left open: closed after --timeout idle" [ $((t1 - t0)) -le 4 ]
check "alive after malformed requests" alive

# ---- a client sending one byte a second holds up no one ----
(
    trap '' PIPE
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n' >&3
    for _ in 1 2 3 4 5 6 7 8; do printf 'a' >&3 2>/dev/null || break; sleep 1; done
    timeout 5 cat <&3 >"$tmp/slow" 2>/dev/null
) &
slow=$!
sleep 1.5
t0=$(date +%s%N)
req POST /v1/analyze -H 'Content-Type: text/plain' --data-binary @"$art"
t1=$(date +%s%N)
check "others are served during a slow upload" status_is 200
check "  at once (< 1 s)" [ $(((t1 - t0) / 1000000)) -lt 1000 ]
wait "$slow"
check "the slow upload gets 503 past --timeout" grep -q '^HTTP/1.1 503' "$tmp/slow"
check "  with Retry-After" grep -qi '^Retry-After: 1' "$tmp/slow"
check "  and a timeout error" grep -q '"code":"timeout"' "$tmp/slow"

# ---- metrics ----
req GET /metrics
check "metrics: analyze 200 counted" body_has 'khabar_http_requests_total{route="analyze",status="200"}'
check "metrics: 413 counted" body_has 'khabar_http_requests_total{route="analyze",status="413"}'
check "metrics: latency histogram" body_has 'khabar_http_request_duration_seconds_bucket{route="analyze",le="+Inf"}'
check "metrics: bytes analysed" grep -q '^khabar_analysed_bytes_total [1-9]' "$tmp/body"
check "metrics: text format" header_has '^Content-Type: text/plain; version=0.0.4'

# ---- the page ----
req GET /
check "page: 200 HTML" header_has '^Content-Type: text/html'
check "  right to left, Arabic" body_has '<html lang="ar" dir="rtl">'
check "  its scripts from this server only" header_has "^Content-Security-Policy: default-src 'self'"
req GET /entities/طالبان
check "page addresses give the page" body_has 'dir="rtl"'
req GET '/stories?from=2021-09-01'
check "/stories gives the page" body_has 'dir="rtl"'
req GET /web/stories.js
check "stories.js" header_has '^Content-Type: text/javascript'
req GET /web/app.js
check "app.js" header_has '^Content-Type: text/javascript'

# ---- SIGTERM: stop accepting, finish what is in flight, exit 0 ----
for _ in $(seq 150); do printf '{"id":%d,"text":"قال وزير الخارجية إن المحادثات في القاهرة ستستمر حتى يوم الخميس المقبل."}\n' "$_"; done >"$tmp/many.jsonl"
curl -s -o "$tmp/many.out" -H 'Content-Type: application/x-ndjson' --data-binary @"$tmp/many.jsonl" \
    "http://127.0.0.1:$port/v1/analyze/batch" &
client=$!
sleep 0.2
kill -TERM "$pid"
wait "$pid"
code=$?
wait "$client"
check "SIGTERM: exit 0" [ "$code" = 0 ]
check "  the batch in flight finished: 150 lines" [ "$(wc -l <"$tmp/many.out")" = 150 ]
check "  no new connections" sh -c "! curl -s -m 2 http://127.0.0.1:$port/healthz"

# ---- the queue: beyond --queue requests in progress, 503 with Retry-After ----
start queue --threads 1 --queue 1 --timeout 4
exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nab' >&4
sleep 0.3
req GET /healthz
check "queue full: 503" error_is 503 busy
check "  with Retry-After" header_has '^Retry-After: 1'
exec 4<&- 4>&-
sleep 0.3
req GET /healthz
check "  served again once it empties" status_is 200
kill -INT "$pid"; wait "$pid"
check "SIGINT: exit 0" [ $? = 0 ]

# ---- a token for the POST endpoints ----
printf 's3cret-token\n' >"$tmp/token"
start token --token-file "$tmp/token" --threads 1
req POST /v1/analyze -H 'Content-Type: text/plain' --data-binary @"$art"
check "no token: 401" error_is 401 unauthorized
check "  WWW-Authenticate" header_has '^WWW-Authenticate: Bearer'
req POST /v1/analyze -H 'Authorization: Bearer s3cret-tokeN' -H 'Content-Type: text/plain' --data-binary @"$art"
check "wrong token: 401" error_is 401 unauthorized
req POST /v1/analyze -H 'Authorization: Bearer s3cret-token' -H 'Content-Type: text/plain' --data-binary @"$art"
check "right token: 200" status_is 200
req GET /healthz
check "GET needs no token" status_is 200
req GET /v1/search?q=x
check "no --db: the archive's endpoints answer 404" error_is 404 no_archive
kill -TERM "$pid"; wait "$pid"

# ---- the archive (--db): index, search, delete ----
start archive --threads 2 --db "$tmp/news.db" --token-file "$tmp/token"
auth='Authorization: Bearer s3cret-token'
python3 - "$art" >"$tmp/articles.jsonl" <<'PY'
import json, sys
title, text = open(sys.argv[1], encoding="utf-8").read().split("\n", 1)
print(json.dumps({"id": "seed", "title": title, "text": text, "date": "2021-09-15"}, ensure_ascii=False))
print(json.dumps({"id": 2, "title": "عاجل", "date": "2021-09-16",
                  "text": "قال وزير الخارجية المصري سامح شكري أمس في القاهرة إن المحادثات مع طالبان ستستمر."}, ensure_ascii=False))
print('{"text": "بلا معرّف"}')
print('not json')
PY
req POST /v1/articles -H 'Content-Type: application/x-ndjson' --data-binary @"$tmp/articles.jsonl"
check "index without the token: 401" error_is 401 unauthorized
req POST /v1/articles -H "$auth" -H 'Content-Type: application/x-ndjson' --data-binary @"$tmp/articles.jsonl"
check "index JSON lines: 200" status_is 200
check "  2 indexed, 2 failed, each with its line" body_has '{"indexed":2,"failed":2,"errors":[{"line":3,'
printf '{"id":"one","text":"أعلنت وزارة الصحة في عمّان اليوم عن افتتاح مستشفى جديد."}' >"$tmp/one.json"
req POST /v1/articles -H "$auth" -H 'Content-Type: application/json' --data-binary @"$tmp/one.json"
check "index one article: 201" status_is 201
req POST /v1/articles -H "$auth" -H 'Content-Type: text/plain' --data-binary @"$tmp/one.json"
check "index text/plain: 415" error_is 415 unsupported_media_type
req GET "/v1/search?q=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("طالبان"))')"
check "search طالبان: both articles" body_has '"total":2,'
check "  marked snippets" body_has '"marks":[['
check "  facets by type" body_has '"facets":{"entities":{"PER":['
check "  hits per day" body_has '"days":[{"date":"2021-09-15","count":1},{"date":"2021-09-16","count":1}]'
req GET "/v1/search?q=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("طالبان"))')&facets=0"
check "search facets=0: the hits without the facets" sh -c "grep -qF '\"total\":2,' '$tmp/body' && ! grep -qF '\"facets\"' '$tmp/body'"
req GET '/v1/search?q=x&facets=no'
check "facets: 0 or 1, else 400" error_is 400 bad_parameter
req GET "/v1/search?entity=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("سامح شكري"))')"
check "search by entity" body_has '"total":1,'
req GET '/v1/search?q=%22open'
check "a query left open: 400 with its offset" error_is 400 invalid_query
req GET '/v1/search?from=yesterday'
check "a bad date filter: 400" status_is 400
req GET '/v1/search?limit=1000'
check "limit over 100: 400" error_is 400 bad_parameter
req GET /v1/stats
check "stats: 3 articles" body_has '"articles":3,'
req GET '/v1/entities?limit=1'
check "entities: the most named first" body_has '[{"name":"طالبان","type":"ORG","en":"Taliban","articles":2,'
req GET "/v1/entities/$(python3 -c 'import urllib.parse;print(urllib.parse.quote("حركة طالبان"))')"
check "an entity by a spelling: variants, days, company" body_has '"days":[{"date":"2021-09-15","mentions":13},{"date":"2021-09-16","mentions":1}],"with":['
req GET /v1/entities/nobody
check "an unknown entity: 404" error_is 404 not_found
req GET '/v1/entities?type=XYZ'
check "a bad type: 400" status_is 400
req DELETE /v1/articles/one -H "$auth"
check "delete: 200" body_has '"deleted":true'
req DELETE /v1/articles/one -H "$auth"
check "delete again: 404" error_is 404 not_found
req DELETE /v1/articles/seed
check "delete without the token: 401" error_is 401 unauthorized
req PUT /v1/articles/seed -H "$auth"
check "PUT an article: 405, Allow: GET, HEAD, DELETE" header_has '^Allow: GET, HEAD, DELETE'
req GET /metrics
check "metrics: articles indexed" grep -q '^khabar_archive_indexed_articles_total 3' "$tmp/body"
# reading an article back, stories and collapsed search
req GET /v1/articles/seed
check "GET a stored article: 200" status_is 200
check "  its fields as given" python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); title, text = open(sys.argv[2], encoding="utf-8").read().split("\n", 1)
assert (a["id"], a["title"], a["date"], a["text"]) == ("seed", title, "2021-09-15", text), a["id"]
assert any(e["type"] == "PER" for e in a["analysis"]["entities"])
body = [m for m in a["analysis"]["mentions"] if m["sentence"] >= 0]
assert body and all(text.encode()[m["start"]:m["end"]].decode().replace("\"", "") in m["text"] for m in body)
' "$tmp/body" "$art"
req HEAD /v1/articles/seed
check "HEAD a stored article: 200" status_is 200
req GET /v1/articles/one
check "GET a deleted article: 404" error_is 404 not_found
req GET /v1/articles/nothing%20here
check "GET an unknown article: 404" error_is 404 not_found
python3 - "$art" >"$tmp/copies.jsonl" <<'PY'
import json, sys
title, text = open(sys.argv[1], encoding="utf-8").read().split("\n", 1)
print(json.dumps({"id": "seed-copy", "title": title, "text": text, "date": "2021-09-17"}, ensure_ascii=False))
PY
req POST /v1/articles -H "$auth" -H 'Content-Type: application/x-ndjson' --data-binary @"$tmp/copies.jsonl"
check "index a copy of the seed" body_has '{"indexed":1,"failed":0'
req GET /v1/stories
check "stories: the seed and its copy" body_has '"articles":[{"id":"seed","title":'
check "  the copy in it" body_has '{"id":"seed-copy","title":'
req GET '/v1/stories?from=2021-09-16'
check "stories in a period: only its articles (a story of one is none)" body_has '[]'
req GET '/v1/stories?limit=x'
check "stories: a bad limit, 400" error_is 400 bad_parameter
req GET '/v1/stories?article=seed-copy'
check "stories of an article: its story" body_has '[{"size":2,"first":"seed",'
req GET '/v1/stories?article=2&article=nothing'
check "stories of articles in none: []" [ "$(cat "$tmp/body")" = '[]' ]
req GET "/v1/stories?$(for i in $(seq 101); do printf 'article=%s&' "$i"; done)"
check "stories of over 100 articles: 400" error_is 400 bad_parameter
q=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("طالبان"))')
req GET "/v1/search?q=$q"
check "search: the copy is a hit of its own" body_has '"total":3,'
req GET "/v1/search?q=$q&collapse=1"
check "search collapse=1: one hit per story" sh -c "python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))[\"hits\"]; ids=[x[\"id\"] for x in h]; sys.exit(not (len(ids) == 2 and (\"seed\" in ids) != (\"seed-copy\" in ids)))' '$tmp/body'"
req GET "/v1/search?q=$q&collapse=yes"
check "collapse: 0 or 1, else 400" error_is 400 bad_parameter
# Pages: records with "html" are extracted and their article stored, as khabar index --jsonl does.
python3 - "$page" >"$tmp/page.json" <<'PY'
import json, sys
print(json.dumps({"id": "page", "html": open(sys.argv[1], encoding="utf-8").read()}, ensure_ascii=False))
PY
req POST /v1/articles -H "$auth" -H 'Content-Type: application/json' --data-binary @"$tmp/page.json"
check "index one page (\"html\"): 201" status_is 201
"$k" extract "$page" >"$tmp/extract.json"
"$k" index --db "$tmp/cli.db" --jsonl "$tmp/page.json" 2>/dev/null
"$k" search --db "$tmp/cli.db" --json --limit 1 >"$tmp/cli-search.json"
req GET /v1/articles/page
check "  stored: the page's article, title and date, as khabar index --jsonl stores them" python3 -c '
import json, sys
a, page, cli = (json.load(open(f)) for f in sys.argv[1:4])
assert a["text"] == page["text"] and len(a["text"]) > 200, a["text"][:80]
assert a["title"] == page["title"] == cli["hits"][0]["title"], (a["title"], page["title"])
assert a["date"] == cli["hits"][0]["date"] and a["date"], a["date"]
assert a["analysis"]["entities"], "no entities"
' "$tmp/body" "$tmp/extract.json" "$tmp/cli-search.json"
python3 - "$page" >"$tmp/pages.jsonl" <<'PY'
import json, sys
html = open(sys.argv[1], encoding="utf-8").read()
print(json.dumps({"id": "page2", "html": html, "title": "عنوان من السجل", "date": "2022-01-02"}, ensure_ascii=False))
print(json.dumps({"id": "both", "html": html, "text": "نص"}, ensure_ascii=False))
print(json.dumps({"id": "empty-page", "html": "<html><body><nav>القائمة</nav></body></html>"}, ensure_ascii=False))
print(json.dumps({"id": "neither", "title": "عنوان"}, ensure_ascii=False))
PY
printf '{"id":"broken","text":"نص \377 تالف"}\n{"id":"after","text":"أعلنت وزارة الصحة في عمّان اليوم عن افتتاح مستشفى جديد."}\n' >>"$tmp/pages.jsonl"
req POST /v1/articles -H "$auth" -H 'Content-Type: application/x-ndjson' --data-binary @"$tmp/pages.jsonl"
check "index JSON lines of pages and bad records: 2 indexed, 4 failed" body_has '{"indexed":2,"failed":4,"errors":['
check "  text and html both: refused" body_has '{"line":2,"error":{"code":"invalid_record","message":"the record has both \"text\" and \"html\""},"id":"both"}'
check "  a page with no article: refused" body_has '"id":"empty-page"}'
check "  neither text nor html: refused" body_has '"id":"neither"}'
check "  not UTF-8: refused with its line, byte and id" body_has '{"line":5,"error":{"code":"invalid_utf8","message":"invalid UTF-8 at byte 28","offset":28},"id":"broken"}'
req GET /v1/articles/page2
check "  a record's title and date win over the page's" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert (a["title"], a["date"]) == ("عنوان من السجل", "2022-01-02"), (a["title"], a["date"])
' "$tmp/body"
req GET /v1/articles/after
check "  the record after the bad one stored" status_is 200
printf '{"id":"u","text":"\377"}' >"$tmp/bad.json"
req POST /v1/articles -H "$auth" -H 'Content-Type: application/json' --data-binary @"$tmp/bad.json"
check "one article not UTF-8: 400 invalid_utf8 with its offset" body_has '{"error":{"code":"invalid_utf8","message":"invalid UTF-8 at byte 18","offset":18}}'
kill -TERM "$pid"; wait "$pid"
check "SIGTERM with an archive: exit 0" [ $? = 0 ]
printf 'not a database, a text file\n' >"$tmp/text.db"
check "a --db that is no archive: refused, exit 2" sh -c "'$k' serve --port 0 --db '$tmp/text.db' 2>/dev/null; [ \$? = 2 ]"

# ---- the response cache of the archive's GETs ----
# A 1 MiB cache over an archive indexed by the command line.
"$k" index --db "$tmp/cache.db" --jsonl "$tmp/articles.jsonl" 2>/dev/null
start cache --threads 2 --db "$tmp/cache.db" --cache-mb 1
metric() { curl -s "http://127.0.0.1:$port/metrics" | sed -n "s/^$1 //p"; }
total() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$tmp/body"; }
req GET "/v1/search?q=$q&limit=5"
cp "$tmp/body" "$tmp/first"
check "cache: a first search is a miss" header_has '^X-Cache: miss'
req GET "/v1/search?q=$q&limit=5"
check "  the same search again: a hit" header_has '^X-Cache: hit'
check "  the same body" cmp -s "$tmp/body" "$tmp/first"
req GET "/v1/search?limit=5&q=$q"
check "  its parameters in another order: a hit" header_has '^X-Cache: hit'
check "  metrics: 2 hits, 1 miss" [ "$(metric 'khabar_cache_requests_total{route="search",result="hit"}')/$(metric 'khabar_cache_requests_total{route="search",result="miss"}')" = 2/1 ]
req GET "/v1/search?q=$q&limit=5&facets=0"
check "  other parameters: a miss" header_has '^X-Cache: miss'
req GET /v1/stats
req GET /v1/stats
check "  stats cached too" header_has '^X-Cache: hit'
req GET "/v1/search?q=%22open"
req GET "/v1/search?q=%22open"
check "  an error is not kept" sh -c "[ '$status' = 400 ] && ! grep -qi '^X-Cache' '$tmp/headers'"
req GET "/v1/search?q=$q&limit=5"
before=$(total)
printf '{"id":"posted","date":"2021-09-18","text":"قالت حركة طالبان في بيان إن الوفد سيصل إلى الدوحة غدا."}' >"$tmp/posted.json"
req POST /v1/articles -H 'Content-Type: application/json' --data-binary @"$tmp/posted.json"
check "cache: POST an article" status_is 201
req GET "/v1/search?q=$q&limit=5"
check "  the search after it: a miss, with the new article" sh -c "grep -qi '^X-Cache: miss' '$tmp/headers' && [ $(total) = $((before + 1)) ]"
req GET "/v1/search?q=$q&limit=5"
check "  then a hit again" header_has '^X-Cache: hit'
req DELETE /v1/articles/posted
req GET "/v1/search?q=$q&limit=5"
check "  after DELETE: a miss, without it" sh -c "grep -qi '^X-Cache: miss' '$tmp/headers' && [ $(total) = $before ]"
req GET /v1/articles/seed
req GET /v1/articles/seed
check "  an article read back: a hit" header_has '^X-Cache: hit'
printf '{"id":"cli","date":"2021-09-19","text":"وصل وفد حركة طالبان إلى الدوحة اليوم لاستئناف المحادثات."}\n' >"$tmp/cli.jsonl"
"$k" index --db "$tmp/cache.db" --jsonl "$tmp/cli.jsonl" 2>/dev/null
req GET "/v1/search?q=$q&limit=5"
check "  another process's write (khabar index) is seen" sh -c "grep -qi '^X-Cache: miss' '$tmp/headers' && [ $(total) = $((before + 1)) ]"
check "  on the other worker thread too" sh -c "for i in 1 2 3 4; do curl -s 'http://127.0.0.1:$port/v1/search?q=$q&limit=5' | grep -q '\"total\":$((before + 1)),' || exit 1; done"
check "  metrics: invalidations counted" [ "$(metric khabar_cache_invalidations_total)" -ge 3 ]
# The bound: answers of tens of KB (the seed read back), each its own key
# (a parameter the endpoint ignores), past 1 MiB.
size=$(curl -s "http://127.0.0.1:$port/v1/articles/seed" | wc -c)
n=$((2 * 1048576 / size + 2))
for i in $(seq "$n"); do curl -s -o /dev/null "http://127.0.0.1:$port/v1/articles/seed?n=$i"; done
check "cache: $n answers of $size bytes stay within 1 MiB" [ "$(metric khabar_cache_bytes)" -le 1048576 ]
check "  the least recently used let go" [ "$(metric khabar_cache_evictions_total)" -gt 0 ]
req GET "/v1/articles/seed?n=$n"
check "  the newest kept" header_has '^X-Cache: hit'
req GET "/v1/articles/seed?n=1"
check "  the oldest gone" header_has '^X-Cache: miss'
kill -TERM "$pid"; wait "$pid"
start nocache --threads 1 --db "$tmp/cache.db" --cache-mb 0
req GET "/v1/search?q=$q&limit=5"
req GET "/v1/search?q=$q&limit=5"
check "--cache-mb 0: no cache" sh -c "[ '$status' = 200 ] && ! grep -qi '^X-Cache' '$tmp/headers' && [ \"\$(curl -s http://127.0.0.1:$port/metrics | sed -n 's/^khabar_cache_max_bytes //p')\" = 0 ]"
kill -TERM "$pid"; wait "$pid"
check "bad --cache-mb" sh -c "'$k' serve --cache-mb x 2>/dev/null; [ \$? = 2 ]"
# The same search asked 24 times at once, one reader: made once, the 23 others
# answered from the cache once their turn comes (or at once, if it is there).
start coalesce --threads 1 --db "$tmp/cache.db"
same=()
for i in $(seq 24); do same+=(-o "$tmp/same.$i" "http://127.0.0.1:$port/v1/search?q=$q&limit=7"); done
curl -s --parallel --parallel-immediate --parallel-max 24 -w '%{http_code}\n' "${same[@]}" >"$tmp/same-status"
check "the same search 24 times at once: made once, 23 from the cache" [ "$(metric 'khabar_cache_requests_total{route="search",result="miss"}')/$(metric 'khabar_cache_requests_total{route="search",result="hit"}')" = 1/23 ]
check "  24 answers of 200, the same" sh -c "[ \"\$(grep -c '^200\$' '$tmp/same-status')\" = 24 ] && for i in \$(seq 2 24); do cmp -s '$tmp/same.1' '$tmp/same.'\$i || exit 1; done"
kill -TERM "$pid"; wait "$pid"

# ---- memory given back by idle reader threads (--release-idle) ----
start idle --threads 2 --db "$tmp/cache.db" --cache-mb 0 --release-idle 1
for i in 1 2 3 4 5 6; do curl -s -o "$tmp/idle.$i" "http://127.0.0.1:$port/v1/search?q=$q&limit=5"; done
check "idle: searches with facets keep counts in memory" [ "$(metric khabar_archive_facets_bytes)" -gt 0 ]
if [ -r /proc/self/status ]; then
    check "  the process's own memory in the metrics" [ "$(metric khabar_process_anonymous_memory_bytes)" -gt 1000000 ]
fi
given_back() {
    for _ in $(seq 50); do [ "$(metric khabar_archive_facets_bytes)" = 0 ] && return 0; sleep 0.2; done
    return 1
}
check "  a second without a request: given back" given_back
check "  by both readers" [ "$(metric khabar_memory_releases_total)" -ge 2 ]
req GET "/v1/search?q=$q&limit=5"
check "  the same search after: the same answer" cmp -s "$tmp/body" "$tmp/idle.1"
before=$(total)
printf '{"id":"idle","date":"2021-09-20","text":"قالت حركة طالبان إن وفدها عاد من الدوحة."}' >"$tmp/idle.json"
req POST /v1/articles -H 'Content-Type: application/json' --data-binary @"$tmp/idle.json"
check "  a write after: seen by every search" sh -c "for i in 1 2 3 4 5 6; do curl -s 'http://127.0.0.1:$port/v1/search?q=$q&limit=5' | grep -q '\"total\":$((before + 1)),' || exit 1; done"
check "  given back again" given_back
check "  and the write still seen" sh -c "for i in 1 2 3 4; do curl -s 'http://127.0.0.1:$port/v1/search?q=$q&limit=5' | grep -q '\"total\":$((before + 1)),' || exit 1; done"
kill -TERM "$pid"; wait "$pid"
check "bad --release-idle" sh -c "'$k' serve --release-idle x 2>/dev/null; [ \$? = 2 ]"

# ---- usage errors ----
check "bad --port" sh -c "'$k' serve --port 70000 2>/dev/null; [ \$? = 2 ]"
check "bad --threads" sh -c "'$k' serve --threads 0 2>/dev/null; [ \$? = 2 ]"
check "missing token file" sh -c "'$k' serve --token-file '$tmp/none' 2>/dev/null; [ \$? = 2 ]"
check "serve --help" sh -c "'$k' serve --help | grep -q -- --token-file"

echo "server: $pass passed, $fail failed"
[ "$fail" = 0 ]
