# The entity tagger's training settings, chosen by cross-validation over the
# training part (docs/ner.md); read by tools/train-ner.sh and tools/ner-cv.sh.
# shellcheck disable=SC2034
SETTINGS="--epochs 20 --dropout 0.2 --stages 2 --window 20 --folds 5 --seed 1 --bags 4 --templates2 421 --prune 0.01"
