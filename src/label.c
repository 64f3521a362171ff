/* BIO labels for pre-tokenized text (khabar_label_tokens): the layers that
 * annotated corpora mark, on their tokens, so that what khabar finds can be
 * scored against them (tools/conll_score). */
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "ner.h"

/* "B-X" and "I-X" for every type a layer marks: labels are static strings. */
static const char *const number_types[] = {"CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY", "DATE", "TIME"};
static const char *const begin_labels[] = {"B-CARDINAL", "B-ORDINAL", "B-PERCENT", "B-MONEY",
                                           "B-QUANTITY", "B-DATE",    "B-TIME"};
static const char *const inside_labels[] = {"I-CARDINAL", "I-ORDINAL", "I-PERCENT", "I-MONEY",
                                            "I-QUANTITY", "I-DATE",    "I-TIME"};

static size_t type_index(const char *type)
{
    for (size_t k = 0; k < sizeof number_types / sizeof *number_types; k++)
        if (!strcmp(type, number_types[k])) return k;
    return 0;
}

/* Marks tokens [first, last) of a sentence with a type, unless an earlier
 * span holds one of them. */
static void mark(const char **labels, size_t n, size_t first, size_t last, const char *type)
{
    if (first >= last || last > n) return;
    for (size_t i = first; i < last; i++)
        if (strcmp(labels[i], "O")) return;
    size_t k = type_index(type);
    for (size_t i = first; i < last; i++) labels[i] = i == first ? begin_labels[k] : inside_labels[k];
}

/* Numbers or dates of one sentence, as tokens [0, n) joined by spaces. */
static khabar_status label_facts(const khabar_model *m, const char *const *tokens, const size_t *lens, size_t n,
                                 int numbers, const char *date, const char **labels, khabar_error *err)
{
    kh_buf text = {0}, norms = {0};
    kh_vec toks = {0}, norm_off = {0}, dates = {0}, quantities = {0};
    khabar_status st = KHABAR_OK;
    for (size_t i = 0; i < n && !st; i++) {
        khabar_token *t = kh_vec_push(&toks, sizeof *t);
        size_t *off = kh_vec_push(&norm_off, sizeof *off);
        if (!t || !off || (text.len && kh_buf_putc(&text, ' '))) goto memory;
        t->span.start = text.len;
        t->span.end = text.len + lens[i];
        t->span.text_len = lens[i];
        t->kind = kh_token_kind(tokens[i], lens[i]);
        *off = norms.len;
        if (kh_buf_append(&text, tokens[i], lens[i]) ||
            kh_normalize_append(&norms, tokens[i], lens[i], KHABAR_FOLD_ALL) || kh_buf_putc(&norms, '\0'))
            goto memory;
        labels[i] = "O";
    }
    khabar_token *t = toks.data;
    for (size_t i = 0; i < n; i++) {
        t[i].norm = norms.data + ((size_t *)norm_off.data)[i];
        t[i].span.text = text.data + t[i].span.start;
    }
    if ((st = kh_find_dates(m->facts, t, n, NULL, date, &dates))) goto done;
    if (numbers) {
        if ((st = kh_find_quantities(m->facts, t, n, NULL, &dates, &quantities))) goto done;
        const kh_quantity *q = quantities.data;
        for (size_t i = 0; i < quantities.len; i++)
            for (unsigned p = 0; p < q[i].n_parts; p++)
                mark(labels, n, q[i].parts[p].first, q[i].parts[p].last, kh_quantity_tag(q[i].kind));
    } else {
        const kh_date *d = dates.data;
        for (size_t i = 0; i < dates.len; i++)
            mark(labels, n, d[i].core.first, d[i].core.last, d[i].is_time ? "TIME" : "DATE");
    }
    goto done;
memory:
    st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
done:
    kh_buf_free(&text);
    kh_buf_free(&norms);
    kh_vec_free(&toks);
    kh_vec_free(&norm_off);
    kh_vec_free(&dates);
    kh_vec_free(&quantities);
    return st;
}

static khabar_status label_entities(khabar_analyzer *an, const char *const *tokens, const size_t *lens, size_t n,
                                    const size_t *starts, size_t n_sentences, unsigned flags, const char **labels,
                                    khabar_error *err)
{
    if (!an->labelling && !(an->labelling = kh_ner_scratch_new()))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    kh_buf norms = {0};
    size_t *off = malloc((n ? n : 1) * sizeof *off);
    kh_ner_input *in = malloc((n ? n : 1) * sizeof *in);
    uint8_t *tags = malloc(n ? n : 1);
    khabar_status st = KHABAR_OK;
    if (!off || !in || !tags) goto memory;
    for (size_t i = 0; i < n; i++) {
        off[i] = norms.len;
        if (kh_normalize_append(&norms, tokens[i], lens[i], KHABAR_FOLD_ALL)) goto memory;
        in[i] = (kh_ner_input){tokens[i], lens[i], NULL, norms.len - off[i]};
    }
    for (size_t i = 0; i < n; i++) in[i].norm = norms.data + off[i];
    const kh_ner_model *m = an->model->ner;
    if (flags & KHABAR_LABEL_SENTENCE_ALONE) {
        for (size_t k = 0; k < n_sentences; k++) {
            size_t end = k + 1 < n_sentences ? starts[k + 1] : n;
            if (kh_ner_tag(m, in + starts[k], end - starts[k], tags + starts[k], an->labelling)) goto memory;
        }
    } else if (kh_ner_tag_doc(m, in, n, starts, n_sentences, tags, an->labelling)) {
        goto memory;
    }
    for (size_t i = 0; i < n; i++) labels[i] = kh_ner_tag_name(tags[i]);
    goto done;
memory:
    st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
done:
    kh_buf_free(&norms);
    free(off);
    free(in);
    free(tags);
    return st;
}

khabar_status khabar_label_tokens(khabar_analyzer *an, const char *const *tokens, const size_t *lens, size_t n,
                                  const size_t *starts, size_t n_sentences, khabar_label_layer layer,
                                  const char *date, unsigned flags, const char **labels, khabar_error *err)
{
    if (!an || (n && (!tokens || !lens || !labels)) || (n_sentences && !starts))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_label_tokens: NULL argument");
    for (size_t k = 0; k < n_sentences; k++)
        if ((k == 0 && starts[0] != 0) || (k && starts[k] < starts[k - 1]) || starts[k] > n)
            return kh_fail(err, KHABAR_ERROR_ARGUMENT, k, "khabar_label_tokens: sentence %zu is malformed", k);
    if (n && !n_sentences)
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_label_tokens: tokens without a sentence");
    for (size_t i = 0; i < n; i++)
        if (!tokens[i] || kh_utf8_check(tokens[i], lens[i]) != lens[i])
            return kh_fail(err, KHABAR_ERROR_UTF8, i, "token %zu is not valid UTF-8", i);
    if (layer == KHABAR_LABEL_ENTITIES) return label_entities(an, tokens, lens, n, starts, n_sentences, flags, labels, err);
    if (layer != KHABAR_LABEL_NUMBERS && layer != KHABAR_LABEL_DATES)
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_label_tokens: no such layer");
    /* numbers and dates are found sentence by sentence */
    for (size_t k = 0; k < n_sentences; k++) {
        size_t end = k + 1 < n_sentences ? starts[k + 1] : n;
        khabar_status st = label_facts(an->model, tokens + starts[k], lens + starts[k], end - starts[k],
                                       layer == KHABAR_LABEL_NUMBERS, date, labels + starts[k], err);
        if (st) return st;
    }
    return KHABAR_OK;
}
