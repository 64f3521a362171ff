#!/bin/sh
# Golden spec files: every tests/spec/NAME.{txt,jsonl} is run through
# `khabar analyze` (with the options in NAME.args, if any) and its standard
# output compared with NAME.expected; NAME.status holds the expected exit
# status when it is not 0.  UPDATE=1 rewrites the expected files (review the
# diff before committing).
# Usage: spec_runner.sh KHABAR_BINARY SPEC_DIR
set -u
khabar=$1
dir=$2
case $khabar in /*) ;; *) khabar=$(pwd)/$khabar ;; esac
pass=0
fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for input in "$dir"/*.txt "$dir"/*.jsonl; do
    [ -e "$input" ] || continue
    base=${input%.*}
    name=$(basename "$base")
    args=""
    [ -f "$base.args" ] && args=$(cat "$base.args")
    case "$input" in *.jsonl) args="--jsonl $args" ;; esac
    # From the spec directory, so that a "file" in an error record is the bare name.
    # shellcheck disable=SC2086
    (cd "$dir" && "$khabar" analyze $args "$(basename "$input")") >"$tmp" 2>/dev/null
    status=$?
    want_status=0
    [ -f "$base.status" ] && want_status=$(cat "$base.status")
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$tmp" "$base.expected"
        if [ "$status" != 0 ]; then echo "$status" >"$base.status"; else rm -f "$base.status"; fi
        echo "updated: $name"
        continue
    fi
    if ! cmp -s "$tmp" "$base.expected"; then
        echo "FAIL: $name: output differs from $name.expected:"
        diff "$base.expected" "$tmp" | head -20
        fail=$((fail + 1))
    elif [ "$status" != "$want_status" ]; then
        echo "FAIL: $name: exit status $status, expected $want_status"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done
[ "${UPDATE:-0}" = 1 ] && exit 0
echo "spec: $pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
