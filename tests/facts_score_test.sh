#!/bin/sh
# The number and date layers on the ANT development sets (tests/facts): the
# overall span F1 of each must stay at or above its floor, a little under
# what the layers score now (docs/facts.md), so that a rule that breaks a
# kind of expression fails here.
# Usage: facts_score_test.sh KHABAR_BINARY CONLL_SCORE_BINARY SOURCE_DIR
set -u
khabar=$1
score=$2
dir=$3/tests/facts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
check() { # set layer types floor
    gold="$dir/ant-$1-$2.conll"
    "$khabar" tag --conll --layer "$2" "$gold" > "$tmp/$1.$2" || { echo "FAIL: khabar tag $1 $2"; exit 1; }
    "$score" --types "$3" "$gold" "$tmp/$1.$2" > "$tmp/$1.$2.score" || { echo "FAIL: conll_score $1 $2"; exit 1; }
    f1=$(awk '$1 == "overall" { print $4 }' "$tmp/$1.$2.score")
    if awk -v f="$f1" -v floor="$4" 'BEGIN { exit !(f + 0 >= floor + 0) }'; then
        echo "$1 $2: F1 $f1 (floor $4)"
    else
        echo "FAIL: $1 $2 F1 $f1 is under its floor $4"
        cat "$tmp/$1.$2.score"
        status=1
    fi
}
check dev numbers CARDINAL,ORDINAL,PERCENT,MONEY,QUANTITY 97
check dev dates DATE,TIME 94
check dev2 numbers CARDINAL,ORDINAL,PERCENT,MONEY,QUANTITY 94
check dev2 dates DATE,TIME 87
exit $status
