/* The analyses that read tokens: named entities, dates and times, numbers
 * and quantities, sentences that repeat one another, and quotes. */
#include "dedup.h"
#include "doc.h"
#include "entities.h"
#include "facts.h"
#include "quotes.h"

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
    if (!(d->skip & KHABAR_SKIP_DUPLICATES) &&
        (st = kh_sentence_duplicates(m, d, 0, &d->duplicates, err)))
        return st;
    /* Quotes read the dates (a date ends a speaker's phrase) and the entity
     * mentions, so they come after both. */
    if (!(d->skip & KHABAR_SKIP_QUOTES) && (st = kh_find_quotes(m, d, &d->quotes)))
        return kh_fail(err, st, 0, "out of memory");
    return KHABAR_OK;
}
