#!/bin/sh
# Converts Wojood's nested CoNLL (token, then one tag per layer, e.g.
# "الأسد I-ORG B-PERS") into flat ANERcorp-style "token TAG" lines for an
# out-of-domain measurement of the entity tagger (docs/ner.md): PERS -> PER,
# ORG -> ORG, GPE and LOC -> LOC, every other type O; of nested or
# overlapping spans of these types the outermost (longest) is kept.  The
# "$#$" end-of-passage tokens are dropped.
# usage: sh tools/wojood-to-conll.sh FILE... > out.conll
set -eu
awk 'BEGIN { n = 0; ns = 0 }
function flush(   i, j, k, best, bl, used) {
    # spans s_start[k], s_end[k] (exclusive), s_type[k]; keep the longest first
    for (i = 0; i < n; i++) { out[i] = "O"; taken[i] = 0 }
    for (k = 0; k < ns; k++) used[k] = 0
    while (1) {
        best = -1; bl = 0
        for (k = 0; k < ns; k++)
            if (!used[k] && s_end[k] - s_start[k] > bl) { best = k; bl = s_end[k] - s_start[k] }
        if (best < 0) break
        used[best] = 1
        for (i = s_start[best]; i < s_end[best]; i++) if (taken[i]) break
        if (i < s_end[best]) continue
        for (i = s_start[best]; i < s_end[best]; i++) {
            taken[i] = 1
            out[i] = (i == s_start[best] ? "B-" : "I-") s_type[best]
        }
    }
    for (i = 0; i < n; i++) print tok[i], out[i]
    if (n) print ""
    n = 0; ns = 0
    for (j in open) delete open[j]
}
function map(t) {
    if (t == "PERS") return "PER"
    if (t == "ORG") return "ORG"
    if (t == "GPE" || t == "LOC") return "LOC"
    return ""
}
NF == 0 { flush(); next }
$1 == "$#$" { next }
{
    tok[n] = $1
    seen_i = ""
    for (f = 2; f <= NF; f++) {
        split($f, a, "-"); bio = a[1]; ty = map(a[2])
        if (ty == "") continue
        if (bio == "I" && (ty in open) && !(ty in cont)) {
            s_end[open[ty]] = n + 1; cont[ty] = 1
        } else if (bio == "B" || bio == "I") {
            s_start[ns] = n; s_end[ns] = n + 1; s_type[ns] = ty; open[ty] = ns; ns++; cont[ty] = 1
        }
    }
    # a type not continued on this token closes
    for (ty in open) if (!(ty in cont)) delete open[ty]
    for (ty in cont) delete cont[ty]
    n++
}
END { flush() }
' "$@"
