/* Pre-tokenized CoNLL text, as `khabar tag --conll` and `khabar ner --conll`
 * read it: a token first on each line, a blank line between sentences.  The
 * tokens are whatever the file holds between white space (not what the
 * tokenizer would make: "8الى", "/", "111947"), so the number and date
 * finders and the entity tagger each meet words no article gives them.
 * Checks that every span stays inside the sentence's tokens and that the
 * tagger's output, and the labels khabar_label_tokens gives (what `analyze`
 * finds in the tokens read as text), are valid BIO sequences.  Input that is not UTF-8 is
 * refused by the CLI before it gets here, so it is skipped. */
#include <string.h>

#include "fuzz.h"
#include "facts.h"
#include "kh.h"
#include "ner.h"

#define MAX_TOKENS 2048

static khabar_token tokens[MAX_TOKENS];
static kh_ner_input inputs[MAX_TOKENS];
static size_t norm_off[MAX_TOKENS];
static size_t starts[MAX_TOKENS];
static uint8_t tags[MAX_TOKENS];
static const char *words[MAX_TOKENS];
static size_t lens[MAX_TOKENS];
static const char *labels[MAX_TOKENS];

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static void check_range(size_t first, size_t last, size_t n)
{
    FUZZ_CHECK(first <= last);
    FUZZ_CHECK(last <= n);
}

/* Numbers and dates of one sentence, as `khabar tag` finds them. */
static void facts(size_t first, size_t n)
{
    const kh_facts *f = fuzz_model->facts;
    kh_vec dates = {0}, quantities = {0};
    const khabar_token *t = tokens + first;
    if (kh_find_dates(f, t, n, NULL, "2021-07-15", &dates) == KHABAR_OK &&
        kh_find_quantities(f, t, n, NULL, &dates, &quantities) == KHABAR_OK) {
        const kh_date *d = dates.data;
        for (size_t i = 0; i < dates.len; i++) {
            check_range(d[i].first, d[i].last, n);
            check_range(d[i].core.first, d[i].core.last, n);
            FUZZ_CHECK(d[i].first <= d[i].core.first && d[i].core.last <= d[i].last);
            FUZZ_CHECK(d[i].start <= d[i].end);
        }
        const kh_quantity *q = quantities.data;
        for (size_t i = 0; i < quantities.len; i++) {
            check_range(q[i].first, q[i].last, n);
            FUZZ_CHECK(q[i].n_parts <= 2);
            for (unsigned p = 0; p < q[i].n_parts; p++) check_range(q[i].parts[p].first, q[i].parts[p].last, n);
            FUZZ_CHECK(q[i].start <= q[i].end);
        }
    }
    kh_vec_free(&dates);
    kh_vec_free(&quantities);
}

/* I- only continues a name of its own type. */
static void check_bio(size_t first, size_t end)
{
    for (size_t i = first; i < end; i++) {
        FUZZ_CHECK(tags[i] < KH_NER_TAGS);
        if (tags[i] && !(tags[i] & 1))
            FUZZ_CHECK(i > first && (tags[i - 1] == tags[i] || tags[i - 1] == tags[i] - 1));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    if (kh_utf8_check(s, size) != size) return 0;
    static kh_buf norms;
    static kh_ner_scratch *scratch;
    if (!scratch && !(scratch = kh_ner_scratch_new())) abort();
    norms.len = 0;
    size_t n = 0, n_sentences = 0;
    int open = 0;
    for (size_t pos = 0; pos <= size && n < MAX_TOKENS;) {
        const char *nl = pos < size ? memchr(s + pos, '\n', size - pos) : NULL;
        size_t e = nl ? (size_t)(nl - s) : size, a = pos;
        while (a < e && blank(s[a])) a++;
        size_t b = a;
        while (b < e && !blank(s[b])) b++;
        if (b > a) {
            if (!open) starts[n_sentences++] = n;
            open = 1;
            khabar_token *t = &tokens[n];
            memset(t, 0, sizeof *t);
            t->span.text = s + a;
            t->span.text_len = b - a;
            t->span.start = a;
            t->span.end = b;
            t->kind = kh_token_kind(s + a, b - a);
            t->sentence = (long)n_sentences - 1;
            norm_off[n] = norms.len;
            if (kh_normalize_append(&norms, s + a, b - a, KHABAR_FOLD_ALL) || kh_buf_putc(&norms, '\0'))
                abort();
            inputs[n].text = words[n] = s + a;
            inputs[n].len = lens[n] = b - a;
            inputs[n].norm_len = norms.len - 1 - norm_off[n];
            n++;
        } else {
            open = 0;
        }
        pos = e + 1;
    }
    for (size_t i = 0; i < n; i++) {
        tokens[i].norm = norms.data + norm_off[i];
        inputs[i].norm = norms.data + norm_off[i];
    }
    for (size_t k = 0; k < n_sentences; k++) {
        size_t end = k + 1 < n_sentences ? starts[k + 1] : n;
        facts(starts[k], end - starts[k]);
        FUZZ_CHECK(kh_ner_tag(fuzz_model->ner, inputs + starts[k], end - starts[k], tags + starts[k],
                              scratch) == 0);
        check_bio(starts[k], end);
    }
    if (n) {
        FUZZ_CHECK(kh_ner_tag_doc(fuzz_model->ner, inputs, n, starts, n_sentences, tags, scratch) == 0);
        for (size_t k = 0; k < n_sentences; k++) check_bio(starts[k], k + 1 < n_sentences ? starts[k + 1] : n);
    }
    for (unsigned flags = 0; flags < 2; flags++) {
        khabar_error err;
        if (khabar_label_tokens(fuzz_analyzer, words, lens, n, starts, n_sentences, KHABAR_LABEL_ENTITIES, NULL,
                                flags, labels, &err) != KHABAR_OK)
            continue; /* a token the analysis cannot take (memory only) */
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(!strcmp(labels[i], "O") || labels[i][1] == '-');
            if (labels[i][0] == 'I')
                FUZZ_CHECK(i > 0 && labels[i - 1][0] != 'O' && !strcmp(labels[i - 1] + 2, labels[i] + 2));
        }
    }
    return 0;
}
