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

/* data/df.tsv: "#documents<TAB>N", then "stem<TAB>df" lines. */
static khabar_status load_df(khabar_model *m, khabar_error *err)
{
    khabar_status st = load_table("df", KHABAR_FOLD_ALL, &m->df, err);
    if (st) return st;
    const kh_blob *b = kh_blob_find("df");
    static const char header[] = "#documents\t";
    size_t n = sizeof header - 1;
    if (b->len <= n || memcmp(b->data, header, n) != 0)
        return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data 'df' has no document count");
    uint64_t docs = 0;
    for (size_t i = n; i < b->len && b->data[i] >= '0' && b->data[i] <= '9'; i++)
        docs = docs * 10 + (uint64_t)(b->data[i] - '0');
    if (!docs) return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data 'df' has no document count");
    m->df_documents = docs;
    return KHABAR_OK;
}

/* data/stopwords.txt: a word a line; "word<TAB>modifier" lines are modifiers,
 * "word<TAB>title" lines the titles and ranks a person is named with. */
static khabar_status load_stopwords(khabar_model *m, khabar_error *err)
{
    const kh_blob *b = kh_blob_find("stopwords");
    if (!b) return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data 'stopwords' is missing");
    kh_buf stop = {0}, mod = {0}, title = {0};
    const char *s = (const char *)b->data;
    int failed = 0;
    for (size_t i = 0; i < b->len && !failed;) {
        size_t eol = i;
        while (eol < b->len && s[eol] != '\n') eol++;
        const char *tab = memchr(s + i, '\t', eol - i);
        static const char title_class[] = "\ttitle";
        size_t title_len = sizeof title_class - 1;
        kh_buf *into = tab && (size_t)(eol - (size_t)(tab - s)) == title_len &&
                               !memcmp(tab, title_class, title_len) ? &title : &mod;
        if (tab) failed = kh_buf_append(into, s + i, (size_t)(tab - (s + i))) || kh_buf_putc(into, '\n');
        else failed = kh_buf_append(&stop, s + i, eol - i) || kh_buf_putc(&stop, '\n');
        i = eol + 1;
    }
    if (!failed) {
        /* hamza kept, as in token segmentations */
        unsigned folds = KHABAR_FOLD_ALL & ~(unsigned)KHABAR_FOLD_ALEF;
        m->stopwords = kh_lexicon_load(stop.data ? stop.data : "", stop.len, folds);
        m->modifiers = kh_lexicon_load(mod.data ? mod.data : "", mod.len, folds);
        m->titles = kh_lexicon_load(title.data ? title.data : "", title.len, folds);
    }
    kh_buf_free(&stop);
    kh_buf_free(&mod);
    kh_buf_free(&title);
    if (failed || !m->stopwords || !m->modifiers || !m->titles)
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory loading 'stopwords'");
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
        (st = kh_quote_words_load(&m->quotes, err)) ||
        (st = load_df(m, err)) ||
        (st = load_stopwords(m, err)) ||
        (st = load_table("polarity", KHABAR_FOLD_ALL, &m->polarity, err))) {
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
    kh_lexicon_free(m->df);
    kh_lexicon_free(m->stopwords);
    kh_lexicon_free(m->modifiers);
    kh_lexicon_free(m->titles);
    kh_lexicon_free(m->polarity);
    free(m);
}
