/* BIO labels for pre-tokenized text (khabar_label_tokens): the layers that
 * annotated corpora mark, on their tokens, so that what khabar finds can be
 * scored against them (tools/conll_score). */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "entities.h"
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

/* Mentions by start, the longest first, so that an outer name is met
 * before the names nested in it. */
static int outer_first(const void *pa, const void *pb)
{
    const kh_mention *a = *(const kh_mention *const *)pa, *b = *(const kh_mention *const *)pb;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end > b->end ? -1 : 1;
    return 0;
}

/* The entity labels of one document, tokens [0, n), as `analyze` finds
 * them: the tokens are written out as text (a space between tokens, a
 * blank line after each sentence, so that every sentence is a paragraph
 * of its own), the text is analysed with entities alone, and each token
 * takes the label of the outermost mention that covers it.  So the
 * tagger, the completion from the table of known names and the gazetteer,
 * and the correction rules of src/entities.c all count: what is scored is
 * what a user gets.  A description is an entity's mention but no name
 * (ANERcorp leaves الأمريكية and الحكومة السودانية O): it labels nothing. */
static khabar_status label_document(khabar_analyzer *an, const char *const *tokens, const size_t *lens, size_t n,
                                    const size_t *starts, size_t n_sentences, const char **labels,
                                    khabar_error *err)
{
    for (size_t i = 0; i < n; i++) labels[i] = "O";
    if (!n) return KHABAR_OK;
    kh_buf text = {0};
    size_t *at = malloc(n * sizeof *at);
    char *taken = calloc(n, 1); /* tokens an outer mention holds */
    khabar_doc *doc = NULL;
    khabar_status st = KHABAR_OK;
    if (!at || !taken) goto memory;
    for (size_t k = 0, i = 0; k < n_sentences; k++) {
        size_t end = k + 1 < n_sentences ? starts[k + 1] : n;
        if (k && kh_buf_append(&text, "\n\n", 2)) goto memory;
        for (; i < end; i++) {
            if (i > starts[k] && kh_buf_putc(&text, ' ')) goto memory;
            at[i] = text.len;
            if (kh_buf_append(&text, tokens[i], lens[i])) goto memory;
        }
    }
    khabar_options opts = {0};
    opts.flags = KHABAR_OPTION_NO_TITLE; /* the first sentence is text like the others */
    opts.skip = KHABAR_SKIP_ANALYSES & ~(unsigned)KHABAR_SKIP_ENTITIES;
    opts.max_bytes = text.len + 1;
    if ((st = khabar_analyze(an, text.data, text.len, &opts, &doc, err))) {
        /* all of it boilerplate or marks (a sentence "- ." alone): no names */
        if (st == KHABAR_ERROR_EMPTY) st = KHABAR_OK;
        goto done;
    }
    /* outermost first: by start, then the longest */
    size_t nm = 0;
    const kh_mention **order = malloc((doc->mentions.len ? doc->mentions.len : 1) * sizeof *order);
    if (!order) goto memory;
    for (size_t k = 0; k < doc->mentions.len; k++) {
        const kh_mention *m = &KH_AT(doc->mentions, kh_mention, k);
        if (!m->description) order[nm++] = m;
    }
    qsort(order, nm, sizeof *order, outer_first);
    for (size_t k = 0, i = 0; k < nm; k++) {
        const kh_mention *m = order[k];
        while (i > 0 && at[i - 1] + lens[i - 1] > m->start) i--;
        while (i < n && at[i] + lens[i] <= m->start) i++;
        size_t first = i, last = i;
        while (last < n && at[last] < m->end) last++;
        if (first == last) continue;
        int overlaps = 0;
        for (size_t j = first; j < last; j++) overlaps |= taken[j];
        if (overlaps) continue;
        memset(taken + first, 1, last - first);
        /* its name proper is labelled, the descriptor around it left O */
        while (first < last && at[first] + lens[first] <= m->name_start) first++;
        while (last > first && at[last - 1] >= m->name_end) last--;
        for (size_t j = first; j < last; j++)
            labels[j] = kh_ner_tag_name(j == first ? KH_NER_B(m->type) : KH_NER_I(m->type));
    }
    free(order);
    goto done;
memory:
    st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
done:
    khabar_doc_free(doc);
    kh_buf_free(&text);
    free(at);
    free(taken);
    return st;
}

static khabar_status label_entities(khabar_analyzer *an, const char *const *tokens, const size_t *lens, size_t n,
                                    const size_t *starts, size_t n_sentences, unsigned flags, const char **labels,
                                    khabar_error *err)
{
    if (!(flags & KHABAR_LABEL_SENTENCE_ALONE))
        return label_document(an, tokens, lens, n, starts, n_sentences, labels, err);
    for (size_t k = 0; k < n_sentences; k++) {
        size_t end = k + 1 < n_sentences ? starts[k + 1] : n, zero = 0;
        khabar_status st = label_document(an, tokens + starts[k], lens + starts[k], end - starts[k], &zero, 1,
                                          labels + starts[k], err);
        if (st) return st;
    }
    return KHABAR_OK;
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
