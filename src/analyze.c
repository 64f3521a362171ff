/* The analysis pipeline and the doc's accessors. */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "dedup.h"
#include "entities.h"
#include "facts.h"
#include "ner.h"
#include "quotes.h"
#include "tags.h"

#define DEFAULT_MAX_BYTES ((size_t)256 << 20)

khabar_status khabar_analyzer_new(const khabar_model *model, khabar_analyzer **out,
                                  khabar_error *err)
{
    if (!out || !model)
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_analyzer_new: NULL argument");
    *out = NULL;
    khabar_analyzer *an = calloc(1, sizeof *an);
    if (!an) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    an->model = model;
    an->stemmer = kh_stemmer_new();
    an->words = kh_word_cache_new();
    an->entities = kh_entity_scratch_new();
    if (!an->stemmer || !an->words || !an->entities) {
        khabar_analyzer_free(an);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    *out = an;
    return KHABAR_OK;
}

void khabar_analyzer_free(khabar_analyzer *an)
{
    if (!an) return;
    kh_stemmer_free(an->stemmer);
    kh_word_cache_free(an->words);
    kh_entity_scratch_free(an->entities);
    kh_buf_free(&an->scratch);
    kh_buf_free(&an->scratch2);
    kh_buf_free(&an->record_error);
    kh_record_buffers_free(&an->record);
    free(an->record_id);
    free(an->record_source);
    kh_tag_scratch_free(an->tagging);
    free(an->forms);
    free(an);
}

void khabar_doc_free(khabar_doc *d)
{
    if (!d) return;
    kh_arena_free(&d->arena);
    kh_buf_free(&d->text);
    kh_vec_free(&d->runs);
    kh_vec_free(&d->blocks);
    kh_vec_free(&d->sentences);
    kh_vec_free(&d->tokens);
    kh_vec_free(&d->token_classes);
    kh_vec_free(&d->token_counts);
    kh_vec_free(&d->repairs);
    kh_vec_free(&d->dates);
    kh_vec_free(&d->quantities);
    kh_vec_free(&d->duplicates);
    kh_vec_free(&d->mentions);
    kh_vec_free(&d->entities);
    kh_vec_free(&d->quotes);
    kh_vec_free(&d->tags);
    kh_vec_free(&d->tag_sentences);
    kh_vec_free(&d->summary);
    kh_vec_free(&d->pub_entities);
    kh_vec_free(&d->pub_tags);
    kh_vec_free(&d->pub_mentions);
    kh_vec_free(&d->pub_quantities);
    kh_vec_free(&d->pub_dates);
    kh_vec_free(&d->pub_quotes);
    kh_vec_free(&d->pub_duplicates);
    free(d->id_json);
    free(d->date);
    free(d->author);
    free(d->url);
    free(d->source);
    kh_buf_free(&d->json);
    free(d);
}

_Static_assert((int)KHABAR_ENTITY_PER == (int)KH_ENTITY_PER && (int)KHABAR_ENTITY_ORG == (int)KH_ENTITY_ORG &&
                   (int)KHABAR_ENTITY_LOC == (int)KH_ENTITY_LOC && (int)KHABAR_ENTITY_MISC == (int)KH_ENTITY_MISC,
               "the public entity types are the internal ones");

_Static_assert((int)KHABAR_QUANTITY_MEASURE == (int)KH_QUANTITY_MEASURE && (int)KHABAR_DATE_RANGE == (int)KH_DATE_RANGE,
               "the public quantity and date kinds are the internal ones");

/* The span of tokens [first, last) of one block, the first token's first
 * `skip` bytes left out (a proclitic); absent when the range is empty. */
static khabar_span token_range_span(const khabar_doc *d, size_t first, size_t last, size_t skip)
{
    khabar_span s = {0};
    if (last <= first || last > d->tokens.len) return s;
    const khabar_token *a = &KH_AT(d->tokens, khabar_token, first);
    const khabar_token *b = &KH_AT(d->tokens, khabar_token, last - 1);
    s.text = a->span.text + skip;
    s.text_len = (size_t)(b->span.text + b->span.text_len - s.text);
    s.start = a->span.start + skip;
    s.end = b->span.end;
    return s;
}

/* Fills the public views of the doc's analyses: the accessors only read. */
static khabar_status public_views(khabar_doc *d, khabar_error *err)
{
    for (size_t i = 0; i < d->entities.len; i++) {
        const kh_entity *e = &KH_AT(d->entities, kh_entity, i);
        khabar_entity *p = kh_vec_push(&d->pub_entities, sizeof *p);
        if (!p) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        *p = (khabar_entity){(khabar_entity_type)e->type, e->name, e->en, e->mentions,
                             e->n_variants, e->variants};
    }
    for (size_t i = 0; i < d->tags.len; i++) {
        const kh_tag *t = &KH_AT(d->tags, kh_tag, i);
        khabar_tag *p = kh_vec_push(&d->pub_tags, sizeof *p);
        if (!p) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        *p = (khabar_tag){t->text, t->score, t->entity};
    }
    for (size_t i = 0; i < d->mentions.len; i++) {
        const kh_mention *m = &KH_AT(d->mentions, kh_mention, i);
        khabar_mention *p = kh_vec_push(&d->pub_mentions, sizeof *p);
        if (!p) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        *p = (khabar_mention){(khabar_entity_type)m->type, m->text, m->start, m->end, m->entity,
                              m->sentence == SIZE_MAX ? -1 : (long)m->sentence};
    }
    for (size_t i = 0; i < d->quantities.len; i++) {
        const kh_quantity *q = &KH_AT(d->quantities, kh_quantity, i);
        khabar_quantity *p = kh_vec_push(&d->pub_quantities, sizeof *p);
        if (!p) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        *p = (khabar_quantity){(khabar_quantity_kind)q->kind, token_range_span(d, q->first, q->last, 0),
                               q->value, q->min, q->max, q->has_value, q->has_min, q->has_max, q->approx,
                               token_range_span(d, q->unit.first, q->unit.last, 0), q->unit_code};
    }
    for (size_t i = 0; i < d->dates.len; i++) {
        const kh_date *t = &KH_AT(d->dates, kh_date, i);
        khabar_date *p = kh_vec_push(&d->pub_dates, sizeof *p);
        if (!p) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        *p = (khabar_date){(khabar_date_kind)t->kind, token_range_span(d, t->first, t->last, 0), t->value,
                           kh_date_mod_name(t->mod), t->relative, t->offset[0] ? t->offset : NULL};
    }
    for (size_t i = 0; i < d->quotes.len; i++) {
        const kh_quote *q = &KH_AT(d->quotes, kh_quote, i);
        khabar_quote *p = kh_vec_push(&d->pub_quotes, sizeof *p);
        if (!p) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        *p = (khabar_quote){token_range_span(d, q->text_first, q->text_last, 0),
                            token_range_span(d, q->speaker_first, q->speaker_last, q->speaker_skip),
                            token_range_span(d, q->cue_first, q->cue_last, 0),
                            q->entity == KH_NO_ENTITY ? -1 : (long)q->entity,
                            q->entity == KH_NO_ENTITY ? 0 : q->n_entities ? q->n_entities : 1,
                            q->n_entities ? q->entities : &q->entity, q->direct};
    }
    for (size_t i = 0; i < d->duplicates.len; i++) {
        const kh_sentence_pair *s = &KH_AT(d->duplicates, kh_sentence_pair, i);
        khabar_duplicate *p = kh_vec_push(&d->pub_duplicates, sizeof *p);
        if (!p) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        *p = (khabar_duplicate){s->a, s->b, s->similarity};
    }
    return KHABAR_OK;
}

khabar_status khabar_analyze(khabar_analyzer *an, const char *text, size_t len,
                             const khabar_options *opts, khabar_doc **out, khabar_error *err)
{
    if (!an || !out || (!text && len))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_analyze: NULL argument");
    *out = NULL;
    khabar_options defaults = {0};
    if (!opts) opts = &defaults;
    size_t max = opts->max_bytes ? opts->max_bytes : DEFAULT_MAX_BYTES;
    if (len > max)
        return kh_fail(err, KHABAR_ERROR_TOO_LARGE, max,
                       "the article is %zu bytes, more than the limit of %zu", len, max);
    khabar_doc *d = calloc(1, sizeof *d);
    if (!d) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    d->skip = opts->skip & KHABAR_SKIP_ANALYSES;
    khabar_status st;
    if (opts->date && !khabar_date_valid(opts->date, strlen(opts->date))) {
        khabar_doc_free(d);
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "the date option is not a calendar date YYYY-MM-DD");
    }
    if (opts->source) { /* a file name is bytes: the JSON gets U+FFFD for what is not UTF-8 */
        kh_buf name = {0};
        if (kh_utf8_append_repaired(&name, opts->source, strlen(opts->source)) || kh_buf_putc(&name, '\0')) {
            kh_buf_free(&name);
            khabar_doc_free(d);
            return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        }
        d->source = name.data;
    }
    if ((st = kh_structure(an, d, text ? text : "", len, opts, err)) ||
        (st = kh_sentences(d, err)) || (st = kh_tokens(an, d, err)) ||
        (st = kh_analyses(an, d, opts, err)) || (st = public_views(d, err))) {
        khabar_doc_free(d);
        return st;
    }
    *out = d;
    return KHABAR_OK;
}

const khabar_span *khabar_doc_title(const khabar_doc *d)
{
    return d && d->has_title ? &d->title : NULL;
}

#define ACCESSORS(name, type, field)                                          \
    size_t khabar_doc_##name##_count(const khabar_doc *d)                   \
    {                                                                         \
        return d ? d->field.len : 0;                                          \
    }                                                                         \
    const type *khabar_doc_##name(const khabar_doc *d, size_t i)            \
    {                                                                         \
        return d && i < d->field.len ? &KH_AT(d->field, type, i) : NULL;     \
    }

ACCESSORS(block, khabar_block, blocks)
ACCESSORS(sentence, khabar_sentence, sentences)
ACCESSORS(token, khabar_token, tokens)
ACCESSORS(repair, khabar_repair, repairs)
ACCESSORS(entity, khabar_entity, pub_entities)
ACCESSORS(tag, khabar_tag, pub_tags)
ACCESSORS(mention, khabar_mention, pub_mentions)
ACCESSORS(quantity, khabar_quantity, pub_quantities)
ACCESSORS(date, khabar_date, pub_dates)
ACCESSORS(quote, khabar_quote, pub_quotes)
ACCESSORS(duplicate, khabar_duplicate, pub_duplicates)

size_t khabar_doc_summary_count(const khabar_doc *d) { return d ? d->summary.len : 0; }

size_t khabar_doc_summary(const khabar_doc *d, size_t i)
{
    return d && i < d->summary.len ? KH_AT(d->summary, size_t, i) : SIZE_MAX;
}

const char *khabar_quantity_kind_name(khabar_quantity_kind kind) { return kh_quantity_kind_name((kh_quantity_kind)kind); }
const char *khabar_date_kind_name(khabar_date_kind kind) { return kh_date_kind_name((kh_date_kind)kind); }

const char *khabar_entity_type_name(khabar_entity_type type)
{
    return kh_entity_type_name((kh_entity_type)type);
}

const char *khabar_block_kind_name(khabar_block_kind kind)
{
    switch (kind) {
    case KHABAR_BLOCK_HEADING: return "heading";
    case KHABAR_BLOCK_PARAGRAPH: return "paragraph";
    case KHABAR_BLOCK_QUOTE: return "quote";
    case KHABAR_BLOCK_LIST_ITEM: return "list_item";
    }
    return "unknown";
}

const char *khabar_token_kind_name(khabar_token_kind kind)
{
    switch (kind) {
    case KHABAR_TOKEN_ARABIC: return "arabic";
    case KHABAR_TOKEN_LATIN: return "latin";
    case KHABAR_TOKEN_NUMBER: return "number";
    case KHABAR_TOKEN_PUNCT: return "punct";
    case KHABAR_TOKEN_SYMBOL: return "symbol";
    case KHABAR_TOKEN_URL: return "url";
    case KHABAR_TOKEN_EMAIL: return "email";
    case KHABAR_TOKEN_HASHTAG: return "hashtag";
    case KHABAR_TOKEN_MENTION: return "mention";
    }
    return "unknown";
}

const char *khabar_repair_kind_name(khabar_repair_kind kind)
{
    switch (kind) {
    case KHABAR_REPAIR_JOINED_WORD: return "joined_word";
    case KHABAR_REPAIR_BOILERPLATE: return "boilerplate";
    case KHABAR_REPAIR_INVALID_UTF8: return "invalid_utf8";
    case KHABAR_REPAIR_CONTROL: return "control_character";
    case KHABAR_REPAIR_ENCODING: return "encoding";
    }
    return "unknown";
}

/* A copy of a page's field, or NULL when the page has none; sets *failed
 * when memory runs out. */
static char *page_field(const khabar_page *page, khabar_page_field f, int *failed)
{
    size_t n;
    const char *v = khabar_page_get(page, f, &n);
    if (!v) return NULL;
    char *copy = strndup(v, n);
    if (!copy) *failed = 1;
    return copy;
}

khabar_status khabar_analyze_page(khabar_analyzer *an, const khabar_page *page, const khabar_options *opts,
                                  khabar_doc **out, khabar_error *err)
{
    if (!an || !page || !out) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_analyze_page: NULL argument");
    *out = NULL;
    khabar_options o = {0};
    if (opts) o = *opts;
    size_t text_len, title_len, date_len;
    const char *text = khabar_page_get(page, KHABAR_PAGE_TEXT, &text_len);
    const char *title = khabar_page_get(page, KHABAR_PAGE_TITLE, &title_len);
    const char *date = khabar_page_get(page, KHABAR_PAGE_DATE, &date_len);
    if (!text_len) return kh_fail(err, KHABAR_ERROR_EMPTY, 0, "the page has no article text");
    /* The page's text is the body; its title comes apart, and its date is
     * the article's unless the caller gives one. */
    o.flags |= KHABAR_OPTION_NO_TITLE;
    if (!o.title) {
        o.title = title;
        o.title_len = title ? title_len : 0;
    }
    char day[11];
    if (!o.date && date && date_len >= 10) {
        memcpy(day, date, 10);
        day[10] = '\0';
        o.date = day;
    }
    khabar_doc *d;
    khabar_status st = khabar_analyze(an, text, text_len, &o, &d, err);
    if (st) return st;
    int failed = 0;
    d->date = page_field(page, KHABAR_PAGE_DATE, &failed);
    d->author = page_field(page, KHABAR_PAGE_AUTHOR, &failed);
    d->url = page_field(page, KHABAR_PAGE_URL, &failed);
    if (failed) {
        khabar_doc_free(d);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    *out = d;
    return KHABAR_OK;
}
