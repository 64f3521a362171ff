/* Shared by test_numbers.c and test_dates.c: tokens of a sentence, by the
 * library's tokenizer or split at spaces as pre-tokenized text comes. */
#ifndef KHABAR_TEST_FACTS_HELPERS_H
#define KHABAR_TEST_FACTS_HELPERS_H

#include "helpers.h"
#include "facts.h"
#include "kh.h"

#define MAX_TEST_TOKENS 256

typedef struct test_tokens {
    const char *text;  /* what spans point into */
    char owned[4096];
    khabar_token t[MAX_TEST_TOKENS];
    char norm[MAX_TEST_TOKENS][128];
    size_t n;
    khabar_doc *doc;
} test_tokens;

static inline void set_norm(test_tokens *tk, size_t i)
{
    size_t len = 0;
    khabar_token *t = &tk->t[i];
    if (khabar_normalize(t->span.text, t->span.text_len, KHABAR_FOLD_ALL, tk->norm[i],
                         sizeof tk->norm[i] - 1, &len, NULL) != KHABAR_OK)
        fail_msg("cannot normalise token %zu", i);
    tk->norm[i][len] = '\0';
    t->norm = tk->norm[i];
}

/* Tokens as khabar_analyze makes them (the sentence goes after a title
 * line, whose token is dropped).  Norms are the token's text normalised
 * with KHABAR_FOLD_ALL, as khabar.h promises of `norm`. */
static inline void tokens_of_text(test_tokens *tk, const char *sentence)
{
    memset(tk, 0, sizeof *tk);
    snprintf(tk->owned, sizeof tk->owned, "عنوان\n\n%s", sentence);
    tk->text = tk->owned;
    tk->doc = analyze_ok(tk->owned, 0);
    size_t n = khabar_doc_token_count(tk->doc);
    assert_true(n >= 1 && n - 1 <= MAX_TEST_TOKENS);
    for (size_t i = 1; i < n; i++) {
        tk->t[i - 1] = *khabar_doc_token(tk->doc, i);
        set_norm(tk, i - 1);
    }
    tk->n = n - 1;
}

/* Tokens split at spaces, as a CoNLL reader gets them. */
static inline void tokens_of_conll(test_tokens *tk, const char *sentence)
{
    memset(tk, 0, sizeof *tk);
    snprintf(tk->owned, sizeof tk->owned, "%s", sentence);
    tk->text = tk->owned;
    size_t len = strlen(tk->owned), i = 0;
    while (i < len) {
        while (i < len && tk->owned[i] == ' ') i++;
        size_t j = i;
        while (j < len && tk->owned[j] != ' ') j++;
        if (j == i) break;
        assert_true(tk->n < MAX_TEST_TOKENS);
        khabar_token *t = &tk->t[tk->n];
        t->span.text = tk->owned + i;
        t->span.text_len = j - i;
        t->span.start = i;
        t->span.end = j;
        t->kind = kh_token_kind(tk->owned + i, j - i);
        set_norm(tk, tk->n);
        tk->n++;
        i = j;
    }
}

static inline void tokens_free(test_tokens *tk)
{
    khabar_doc_free(tk->doc);
    tk->doc = NULL;
}

/* The input text of tokens [first, last). */
static inline void range_text(const test_tokens *tk, size_t first, size_t last, char *out, size_t cap)
{
    if (first >= last) { out[0] = '\0'; return; }
    size_t a = tk->t[first].span.start, b = tk->t[last - 1].span.end;
    snprintf(out, cap, "%.*s", (int)(b - a), tk->text + a);
}

static inline void bytes_text(const test_tokens *tk, size_t a, size_t b, char *out, size_t cap)
{
    snprintf(out, cap, "%.*s", (int)(b - a), tk->text + a);
}

#endif
