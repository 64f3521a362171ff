/* Named entities of an article: mentions found by the tagger (src/ner.c),
 * linked within the article into entities (one per real-world thing:
 * spelling variants, clitic-attached forms, shortened names, nisba
 * adjectives, known aliases, near-misspellings).  Later analyses (quotes,
 * tags, summary) read these; they never re-run the tagger. */
#ifndef KH_ENTITIES_H
#define KH_ENTITIES_H

#include <stddef.h>
#include <stdint.h>

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
    /* a nationality adjective (الأمريكية, its country's mention) or an
     * institution named by one (الحكومة السودانية): a description, not a
     * name as annotated corpora mark names (khabar_label_tokens) */
    int description;
    /* the name proper as annotated corpora mark it, input offsets: the whole
     * mention, or, when the table's longer form of a thing took in the
     * tagger's own name of it, that name (حركة طالبان: طالبان; حزب الله
     * اللبناني: حزب الله), the rest a descriptor (khabar_label_tokens) */
    size_t name_start, name_end;
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

/* ---- the stage (src/entities.c) ---- */

/* Tags the doc's tokens (one tagger sentence per sentence, the title and
 * each heading on their own) and fills d->mentions and d->entities.  Runs
 * before the other analyses, which may read them.  KHABAR_ERROR_MEMORY
 * only. */
khabar_status kh_entities(khabar_analyzer *an, khabar_doc *d, khabar_error *err);

/* The same from given tags (one per token, as kh_ner_tag_doc writes them):
 * the linking rules alone, for tests. */
khabar_status kh_entities_from_tags(khabar_analyzer *an, khabar_doc *d, const uint8_t *tags,
                                    khabar_error *err);

/* Well-known names (data/entities.txt) and places (data/gazetteer.tsv), and
 * the towns and organisations learned from news (data/learned.tsv), loaded
 * once into the model; immutable.  `vocab` (word counts of news
 * text, may be NULL) tells which city names are also common nouns. */
typedef struct kh_entity_table kh_entity_table;
khabar_status kh_entity_table_new(const kh_lexicon *vocab, kh_entity_table **out,
                                  khabar_error *err);
/* The same from texts in memory, in those files' formats. */
khabar_status kh_entity_table_from(const char *table, size_t tlen, const char *gazetteer,
                                   size_t glen, const char *learned, size_t llen,
                                   const kh_lexicon *vocab, kh_entity_table **out,
                                   khabar_error *err);
void kh_entity_table_free(kh_entity_table *t);

/* Per-analyzer working memory (the tagger's included); NULL on no memory. */
typedef struct kh_entity_scratch kh_entity_scratch;
kh_entity_scratch *kh_entity_scratch_new(void);
void kh_entity_scratch_free(kh_entity_scratch *s);

#endif
