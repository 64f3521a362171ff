/* The analysis pipeline and the doc's accessors. */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "entities.h"

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
    free(d->id_json);
    free(d->date);
    kh_buf_free(&d->json);
    free(d);
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
    if ((st = kh_structure(an, d, text ? text : "", len, opts, err)) ||
        (st = kh_sentences(d, err)) || (st = kh_tokens(an, d, err)) ||
        (st = kh_analyses(an, d, opts, err))) {
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

const char *khabar_block_kind_name(khabar_block_kind kind)
{
    return kind == KHABAR_BLOCK_HEADING ? "heading" : "paragraph";
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
    }
    return "unknown";
}
