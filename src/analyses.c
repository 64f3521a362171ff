/* The analyses that read tokens: dates and times, numbers and quantities,
 * sentences that repeat one another, then tags and the summary, which read
 * what the others found. */
#include "dedup.h"
#include "doc.h"
#include "facts.h"
#include "tags.h"

khabar_status kh_analyses(khabar_analyzer *an, khabar_doc *d, const khabar_options *opts,
                          khabar_error *err)
{
    const khabar_model *m = an->model;
    const khabar_token *t = d->tokens.data;
    size_t n = d->tokens.len;
    khabar_status st = KHABAR_OK;
    /* Dates first: the numbers inside them are not quantities of their own. */
    if (m->facts && ((st = kh_find_dates(m->facts, t, n, opts->date, &d->dates)) ||
                     (st = kh_find_quantities(m->facts, t, n, &d->dates, &d->quantities))))
        return kh_fail(err, st, 0, "out of memory");
    if ((st = kh_sentence_duplicates(m, d, 0, &d->duplicates, err)) ||
        (st = kh_tags(an, d, NULL, NULL, err)))
        return st;
    size_t n_terms;
    const uint32_t *terms = kh_tag_token_terms(an, &n_terms);
    return kh_summary(d, opts->summary_sentences, terms, n_terms, err);
}
