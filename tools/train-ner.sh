#!/bin/sh
# Rebuilds the entity tagger's data from the shared corpora, reproducibly:
#   data/gazetteer.tsv     place names (tools/build_gazetteer.c)
#   data/ner_clusters.tsv  word classes from unlabeled news (tools/build_clusters.c)
#   data/ner_names.bin     name-likeness of a word from its letters (tools/build_namelike.c)
#   data/ner.model         the tagger's weights (tools/ner_train.c)
# and reports the development-set scores of a model trained without the
# development sentences (the last 10% of ANERcorp's training part).
#
# usage: tools/train-ner.sh [BUILD_DIR] [--skip-clusters] [--pipeline]
#   BUILD_DIR defaults to ./build; its tools must be built.  The tagger
#   strips clitics on its own (by the clusters' word counts), so it does not
#   depend on data/vocab.tsv or data/names.txt; rebuild the library after
#   retraining: the model is compiled into it.
#   --skip-clusters keeps data/ner_clusters.tsv (building it takes about 7
#   minutes on one core; everything else about 2).
#   --pipeline also scores what `khabar ner --conll` (= `analyze`: the tagger
#   and the rules of src/entities.c) finds on the dev split with the model
#   trained without it: a second library is built with that model embedded
#   (BUILD_DIR-dev, about 2 minutes).
# The shared data is found at $KHABAR_DATA_DIR, default ../shared/data.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
SKIP_CLUSTERS=0
PIPELINE=0
for arg in "$@"; do
    case $arg in
    --skip-clusters) SKIP_CLUSTERS=1 ;;
    --pipeline) PIPELINE=1 ;;
    -*) echo "train-ner.sh: unknown option $arg" >&2; exit 2 ;;
    *) BUILD=$(cd "$arg" && pwd) ;;
    esac
done
SHARED=${KHABAR_DATA_DIR:-$ROOT/../shared/data}
ANER=$SHARED/ner/anercorp/ANERCorp_CamelLab_train.txt
[ -f "$ANER" ] || { echo "train-ner.sh: no $ANER (set KHABAR_DATA_DIR)" >&2; exit 2; }
TOOLS=$BUILD/tools
for t in build_gazetteer build_clusters build_namelike ner_train conll_score; do
    [ -x "$TOOLS/$t" ] || { echo "train-ner.sh: build $TOOLS/$t first" >&2; exit 2; }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# shellcheck disable=SC1091
. "$ROOT/tools/ner-settings.sh"

echo "== gazetteer" >&2
# A city named with one of these words first is listed without it too.
"$TOOLS/build_gazetteer" \
    --admin محافظة --admin مقاطعة --admin ولاية --admin بلدية --admin إقليم \
    --admin منطقة --admin مدينة --admin مديرية --admin إدارة \
    "$SHARED/gazetteers/i18n-iso-countries_ar.json" "$SHARED/gazetteers/world-cities_ar_en.csv" \
    > "$TMP/gazetteer.tsv"
mv "$TMP/gazetteer.tsv" "$ROOT/data/gazetteer.tsv"

echo "== name-likeness (ANETAC and ANERGazet names against the ANT corpus's other words)" >&2
# Learned from the name lists, which may not be shipped: the output holds
# hashed letter n-gram weights, none of their entries (data/SOURCES.md).
GAZ=$SHARED/gazetteers
"$TOOLS/build_namelike" --anetac "$GAZ/anetac/EN-AR_named_entities.txt" \
    --list PER "$GAZ/anergazet/persons.txt" --list LOC "$GAZ/anergazet/locations.txt" \
    --list ORG "$GAZ/anergazet/organizations.txt" \
    --ordinary "$ROOT/data/vocab.tsv" --min-count 1 --bits 18 --nmax 5 --epochs 8 \
    "$TMP/ner_names.bin"
mv "$TMP/ner_names.bin" "$ROOT/data/ner_names.bin"

if [ "$SKIP_CLUSTERS" = 0 ]; then
    echo "== word clusters (ANT corpus + ANERcorp training sentences, dev excluded)" >&2
    "$TOOLS/ner_train" --dev-percent 10 --text-out "$TMP/anercorp.txt" "$ANER"
    mkdir "$TMP/ant"
    tar -xzf "$SHARED/topics/ant/ant-train.tar.gz" -C "$TMP/ant"
    find "$TMP/ant" -type f | LC_ALL=C sort > "$TMP/ant-files"
    "$TOOLS/build_clusters" --min-count 3 --sizes 64,256,1024 --files-from "$TMP/ant-files" \
        "$TMP/ner_clusters.tsv" "$TMP/anercorp.txt"
    mv "$TMP/ner_clusters.tsv" "$ROOT/data/ner_clusters.tsv"
fi

echo "== development run: trained on the first 90% of the sentences" >&2
# shellcheck disable=SC2086
"$TOOLS/ner_train" $SETTINGS --dev-percent 10 \
    --clusters "$ROOT/data/ner_clusters.tsv" --gazetteer "$ROOT/data/gazetteer.tsv" \
    --names "$ROOT/data/ner_names.bin" \
    --out "$TMP/dev.model" --dev-gold "$TMP/dev.gold" --dev-pred "$TMP/dev.pred" "$ANER"
"$TOOLS/conll_score" "$TMP/dev.gold" "$TMP/dev.pred"
if [ "$PIPELINE" = 1 ]; then
    echo "== development run: ner --conll, the tagger and the rules (a library with the dev model)" >&2
    mkdir -p "$BUILD-dev" && cp "$TMP/dev.model" "$BUILD-dev/dev.model"
    cmake -S "$ROOT" -B "$BUILD-dev" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKHABAR_NER_MODEL="$BUILD-dev/dev.model" >/dev/null
    cmake --build "$BUILD-dev" --target khabar -j 2 >/dev/null
    "$BUILD-dev/khabar" ner --conll "$TMP/dev.gold" > "$TMP/dev.pipeline"
    "$TOOLS/conll_score" "$TMP/dev.gold" "$TMP/dev.pipeline"
fi

echo "== final model: all training sentences" >&2
# shellcheck disable=SC2086
"$TOOLS/ner_train" $SETTINGS --dev-percent 0 \
    --clusters "$ROOT/data/ner_clusters.tsv" --gazetteer "$ROOT/data/gazetteer.tsv" \
    --names "$ROOT/data/ner_names.bin" \
    --out "$TMP/ner.model" "$ANER"
mv "$TMP/ner.model" "$ROOT/data/ner.model"
ls -l "$ROOT/data/ner.model" "$ROOT/data/ner_clusters.tsv" "$ROOT/data/gazetteer.tsv" \
    "$ROOT/data/ner_names.bin" >&2
