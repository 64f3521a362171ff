#!/bin/sh
# 5-fold cross-validation of what `khabar ner --conll` finds (the tagger and
# the rules of src/entities.c) on ANERcorp's training part: for each fold, a
# tagger trained on the other four with tools/train-ner.sh's settings and the
# data/ files as they are, built into a library (BUILD_DIR-cv) that labels
# the held-out fold; the folds pooled and scored, the pipeline and the
# tagger alone.  The fold models are kept in BUILD_DIR-cv and trained again
# only when the training data, the settings or the files they read change,
# so after a change of the rules alone a run takes a few minutes.
#
# usage: tools/ner-cv.sh [BUILD_DIR]     (its tools must be built)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
SHARED=${KHABAR_DATA_DIR:-$ROOT/../shared/data}
ANER=$SHARED/ner/anercorp/ANERCorp_CamelLab_train.txt
[ -f "$ANER" ] || { echo "ner-cv.sh: no $ANER (set KHABAR_DATA_DIR)" >&2; exit 2; }
TOOLS=$BUILD/tools
for t in ner_train conll_score; do
    [ -x "$TOOLS/$t" ] || { echo "ner-cv.sh: build $TOOLS/$t first" >&2; exit 2; }
done
# shellcheck disable=SC1091
. "$ROOT/tools/ner-settings.sh"
CV=$BUILD-cv
mkdir -p "$CV"
# The tagger's code and inputs: the trainer's binary links all of libkhabar
# and so changes with every rule.
STAMP=$(cat "$ANER" "$ROOT/data/ner_clusters.tsv" "$ROOT/data/gazetteer.tsv" "$ROOT/data/ner_names.bin" \
    "$ROOT/tools/ner_train.c" "$ROOT/src/ner.c" "$ROOT/src/ner.h" | sha256sum | cut -c1-16)-$(echo "$SETTINGS" | sha256sum | cut -c1-16)
: > "$CV/gold.conll"
: > "$CV/pipeline.conll"
: > "$CV/tagger.conll"
for k in 0 1 2 3 4; do
    if [ "$(cat "$CV/fold$k.stamp" 2>/dev/null)" != "$STAMP" ]; then
        echo "== fold $k: training" >&2
        # shellcheck disable=SC2086
        "$TOOLS/ner_train" $SETTINGS --dev-fold "$k/5" \
            --clusters "$ROOT/data/ner_clusters.tsv" --gazetteer "$ROOT/data/gazetteer.tsv" \
            --names "$ROOT/data/ner_names.bin" --out "$CV/fold$k.model" \
            --dev-gold "$CV/fold$k.gold" --dev-pred "$CV/fold$k.pred" "$ANER" >/dev/null
        echo "$STAMP" > "$CV/fold$k.stamp"
    fi
    echo "== fold $k: ner --conll" >&2
    cmake -S "$ROOT" -B "$CV/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKHABAR_NER_MODEL="$CV/fold$k.model" >/dev/null
    cmake --build "$CV/build" --target khabar -j 2 >/dev/null
    "$CV/build/khabar" ner --conll "$CV/fold$k.gold" >> "$CV/pipeline.conll"
    cat "$CV/fold$k.gold" >> "$CV/gold.conll"
    cat "$CV/fold$k.pred" >> "$CV/tagger.conll"
done
echo "== the tagger alone, 5 folds pooled" >&2
"$TOOLS/conll_score" "$CV/gold.conll" "$CV/tagger.conll"
echo "== ner --conll (the tagger and the rules), 5 folds pooled" >&2
"$TOOLS/conll_score" "$CV/gold.conll" "$CV/pipeline.conll"
