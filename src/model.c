/* The model: every lexicon compiled into the library, parsed once. */
#include <stdlib.h>
#include <string.h>

#include "entities.h"
#include "facts.h"
#include "kh.h"
#include "ner.h"
#include "quotes.h"

static khabar_status load_table(const char *name, unsigned folds, kh_lexicon **out,
                                khabar_error *err)
{
    const kh_blob *b = kh_blob_find(name);
    if (!b) return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data '%s' is missing", name);
    *out = kh_lexicon_load((const char *)b->data, b->len, folds);
    if (!*out) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory loading '%s'", name);
    return KHABAR_OK;
}

khabar_status khabar_model_new(khabar_model **out, khabar_error *err)
{
    if (!out) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_model_new: out is NULL");
    *out = NULL;
    khabar_model *m = calloc(1, sizeof *m);
    if (!m) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    khabar_status st;
    if ((st = load_table("vocab", KHABAR_FOLD_ALL, &m->vocab, err)) ||
        (st = load_table("names", KHABAR_FOLD_ALL, &m->names, err)) ||
        (st = kh_boilerplate_load(m, err)) ||
        (st = kh_facts_load(&m->facts, err)) ||
        (st = kh_ner_model_new(&m->ner, err)) ||
        (st = kh_entity_table_new(m->vocab, &m->entity_table, err)) ||
        (st = kh_quote_words_load(&m->quotes, err))) {
        khabar_model_free(m);
        return st;
    }
    *out = m;
    return KHABAR_OK;
}

void khabar_model_free(khabar_model *m)
{
    if (!m) return;
    kh_lexicon_free(m->vocab);
    kh_lexicon_free(m->names);
    kh_boilerplate_free(m);
    kh_facts_free(m->facts);
    kh_ner_model_free(m->ner);
    kh_entity_table_free(m->entity_table);
    kh_quote_words_free(m->quotes);
    free(m);
}
