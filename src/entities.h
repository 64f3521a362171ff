/* Named entities of an article: mentions found by the tagger (src/ner.c),
 * linked within the article into entities (one per real-world thing:
 * spelling variants, clitic-attached forms, shortened names, nisba
 * adjectives, known aliases, near-misspellings).  Later analyses (quotes,
 * tags, summary) read these; they never re-run the tagger. */
#ifndef KH_ENTITIES_H
#define KH_ENTITIES_H

#include <stddef.h>

#include "kh.h"

/* Entity types; the same order as the tagger's (KH_NER_PER ...). */
typedef enum kh_entity_type {
    KH_ENTITY_PER, KH_ENTITY_ORG, KH_ENTITY_LOC, KH_ENTITY_MISC
} kh_entity_type;

/* "PER", "ORG", "LOC", "MISC". */
const char *kh_entity_type_name(kh_entity_type type);

/* One mention: tokens [first, last) of the doc, bytes [start, end) of the
 * input, without the clitics the first token carries (لطالبان: the
 * mention is طالبان); in sentence `sentence`; of entity `entity` (an index
 * into the doc's entities). */
typedef struct kh_mention {
    kh_entity_type type;
    size_t first, last;
    size_t start, end;
    size_t sentence;
    size_t entity;
    const char *text;   /* the mention as written, clitics removed (doc arena) */
} kh_mention;

/* One real-world thing.  `name` is the canonical Arabic form (the fullest
 * form the article uses, or the gazetteer's); `en` the English name when a
 * gazetteer knows it, else NULL.  Strings live in the doc's arena. */
typedef struct kh_entity {
    kh_entity_type type;
    const char *name;
    const char *en;
    size_t mentions;        /* how many mentions */
    size_t first_mention;   /* index of its first mention */
    size_t n_variants;
    const char **variants;  /* distinct forms as written, first seen first */
} kh_entity;

#endif
