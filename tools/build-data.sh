#!/bin/sh
# Rebuilds the data files of segmentation and stemming from the shared data:
#   data/vocab.tsv  word counts of the ANT corpus (tools/build_vocab.c)
#   data/names.txt  proper names kept whole by stemming (tools/build_names.c)
#   data/learned.tsv towns named after ولاية، معتمدية ... and organisations after حركة، قناة ...
#                   in the ANT corpus, the articles of the hand-tagged sets tests/ner/*.conll (and
#                   of the CoNLL files in $NER_EXCLUDE) left out (tools/build_places.c)
#   data/df.tsv     document frequencies of stems in the ANT corpus (tools/build_df.c); it
#                   keys words as the library built in BUILD_DIR stems them, so rebuild the
#                   library after the two files above change, then run this script again
# Usage: sh tools/build-data.sh [BUILD_DIR]   (default: build; its tools/ must be built)
# The shared data folder is ../shared/data beside the project, or $KHABAR_SHARED_DATA.
# The segmenter's weights were fitted with these files: after a rebuild, refit them
# (see docs/segmentation.md).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shared=${KHABAR_SHARED_DATA:-$root/../shared/data}
for tool in build_vocab build_names build_df build_places; do
    if [ ! -x "$build/tools/$tool" ]; then
        echo "build-data.sh: $build/tools/$tool is missing: build the project first" >&2
        exit 1
    fi
done
tar -xzOf "$shared/topics/ant/ant-train.tar.gz" | "$build/tools/build_vocab" > "$root/data/vocab.tsv.new"
mv "$root/data/vocab.tsv.new" "$root/data/vocab.tsv"
"$build/tools/build_names" "$root/data/vocab.tsv" \
    "$shared/ner/anercorp/ANERCorp_CamelLab_train.txt" \
    "$shared/gazetteers/i18n-iso-countries_ar.json" \
    "$shared/gazetteers/world-cities_ar_en.csv" > "$root/data/names.txt.new"
mv "$root/data/names.txt.new" "$root/data/names.txt"
tar -xzOf "$shared/topics/ant/ant-train.tar.gz" | "$build/tools/build_df" > "$root/data/df.tsv.new"
mv "$root/data/df.tsv.new" "$root/data/df.tsv"
# Names learned from the ANT corpus (tools/build_places.c): towns after the words with which news
# names a town (names begun by the --prefix words keep their next words), then organisations after
# a party's, a medium's, a company's or a club's noun, more strictly (half of all their occurrences).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$shared/topics/ant/ant-train.tar.gz" -C "$tmp"
find "$tmp" -type f | LC_ALL=C sort > "$tmp.files"
set --
for f in "$root"/tests/ner/*.conll ${NER_EXCLUDE:-}; do set -- "$@" --exclude "$f"; done
set -- "$@" --files-from "$tmp.files"
towns=
for w in ولاية ولايات معتمدية معتمديات مدينة بلدية منطقة عمادة قرية بلدة; do towns="$towns --word $w"; done
for w in سيدي بن بو عبد عين بئر حمام حاجب حي وادي واد منزل قصر قلعة غار جبل شط دوار أولاد اولاد \
         بني برج باب سوق حاسي حلق ساقية عقلة أم دير بيت رأس راس كفر تل خربة دار هنشير مرسى \
         خان سان سانت سانتا; do
    towns="$towns --prefix $w"
done
orgs=
for w in حركة حزب جمعية نقابة إذاعة قناة صحيفة جريدة شركة فريق نادي وكالة; do orgs="$orgs --word $w"; done
# shellcheck disable=SC2086
{
    "$build/tools/build_places" --type TOWN --min-count 2 --min-share 0.1 $towns "$@"
    "$build/tools/build_places" --type ORG --min-count 5 --min-share 0.5 $orgs "$@"
} > "$root/data/learned.tsv.new"
rm -f "$tmp.files"
mv "$root/data/learned.tsv.new" "$root/data/learned.tsv"
