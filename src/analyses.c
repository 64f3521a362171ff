/* The analyses that read tokens: named entities, dates and times, numbers
 * and quantities, sentences that repeat one another, quotes, then tags and
 * the summary, which read what the others found. */
#include "dedup.h"
#include "doc.h"
#include "entities.h"
#include "facts.h"
#include "quotes.h"
#include "tags.h"

/* An analyzer keeps its stages' working memory from one article to the
 * next, sized for the largest so far.  After an article of more tokens than
 * this (news runs to a few thousand), a stage's memory is given back as
 * soon as the stage is done, so that a long article's peak holds one
 * stage's working memory, not every stage's, and the articles after it do
 * not keep it. */
#define LARGE_ARTICLE_TOKENS 50000

static int large(const khabar_doc *d) { return d->tokens.len > LARGE_ARTICLE_TOKENS; }

khabar_status kh_analyses(khabar_analyzer *an, khabar_doc *d, const khabar_options *opts,
                          khabar_error *err)
{
    const khabar_model *m = an->model;
    const khabar_token *t = d->tokens.data;
    size_t n = d->tokens.len;
    khabar_status st = KHABAR_OK;
    if (!(d->skip & KHABAR_SKIP_ENTITIES) && (st = kh_entities(an, d, err))) return st;
    if (large(d)) {
        kh_entity_scratch *fresh = kh_entity_scratch_new();
        if (!fresh) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        kh_entity_scratch_free(an->entities);
        an->entities = fresh;
    }
    /* Dates first: the numbers inside them are not quantities of their own. */
    const uint64_t *classes = d->token_classes.data;
    if (m->facts && !(d->skip & KHABAR_SKIP_FACTS) &&
        ((st = kh_find_dates(m->facts, t, n, classes, opts->date, &d->dates)) ||
         (st = kh_find_quantities(m->facts, t, n, classes, &d->dates, &d->quantities))))
        return kh_fail(err, st, 0, "out of memory");
    if (!(d->skip & KHABAR_SKIP_DUPLICATES) &&
        (st = kh_sentence_duplicates(m, d, 0, &d->duplicates, err)))
        return st;
    /* Nothing after this reads the tokens' word classes and vocabulary
     * counts: a long article gives them back before the quotes and tags
     * need their memory. */
    if (large(d)) {
        kh_vec_free(&d->token_classes);
        kh_vec_free(&d->token_counts);
    }
    /* Quotes read the dates (a date ends a speaker's phrase) and the entity
     * mentions, so they come after both. */
    if (!(d->skip & KHABAR_SKIP_QUOTES) && (st = kh_find_quotes(m, d, &d->quotes)))
        return kh_fail(err, st, 0, "out of memory");
    /* The summary weighs sentences by the tags' terms. */
    if (d->skip & KHABAR_SKIP_TAGS && d->skip & KHABAR_SKIP_SUMMARY) return KHABAR_OK;
    if ((st = kh_tags(an, d, NULL, opts->df ? &opts->df->table : NULL, err))) return st;
    if (!(d->skip & KHABAR_SKIP_SUMMARY)) {
        size_t n_terms;
        const uint32_t *terms = kh_tag_token_terms(an, &n_terms);
        st = kh_summary(d, opts->summary_sentences, terms, n_terms, err);
    }
    if (large(d)) {
        kh_tag_scratch_free(an->tagging);
        an->tagging = NULL;
    }
    return st;
}
