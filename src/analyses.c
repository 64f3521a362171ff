/* The analyses that read tokens: named entities, dates and times, numbers
 * and quantities, and sentences that repeat one another. */
#include "dedup.h"
#include "doc.h"
#include "entities.h"
#include "facts.h"

khabar_status kh_analyses(khabar_analyzer *an, khabar_doc *d, const char *date, khabar_error *err)
{
    const khabar_model *m = an->model;
    const khabar_token *t = d->tokens.data;
    size_t n = d->tokens.len;
    khabar_status st = KHABAR_OK;
    if (!(d->skip & KHABAR_SKIP_ENTITIES) && (st = kh_entities(an, d, err))) return st;
    /* Dates first: the numbers inside them are not quantities of their own. */
    const uint64_t *classes = d->token_classes.data;
    if (m->facts && !(d->skip & KHABAR_SKIP_FACTS) &&
        ((st = kh_find_dates(m->facts, t, n, classes, date, &d->dates)) ||
         (st = kh_find_quantities(m->facts, t, n, classes, &d->dates, &d->quantities))))
        return kh_fail(err, st, 0, "out of memory");
    if (!(d->skip & KHABAR_SKIP_DUPLICATES))
        st = kh_sentence_duplicates(m, d, 0, &d->duplicates, err);
    return st;
}
