/* build_df: document frequencies of a news corpus, the table behind data/df.tsv.
 *
 * Usage: build_df [--min-df N] < CORPUS > df.tsv
 *
 * CORPUS is the ANT corpus's SGML-like files concatenated (tar -xzOf), one
 * <DOC> ... </DOC> per article.  Each article's <TITLE> and <TEXT> (as a
 * title line and a body) go through khabar_analyze, so the words are keyed
 * exactly as the tag stage keys them at run time: by the token's stem
 * (clitics stripped, Snowball, fully folded; proper names whole).  A stem
 * counts once per article.  Output: a first line "#documents<TAB>N", then
 * "stem<TAB>df" by df descending (ties by bytes) for every stem in at least
 * N articles (default 2): a rarer word is scored as if it were in none,
 * which changes its weight little and keeps the table small. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"

typedef struct entry {
    char *word;
    size_t len;
    uint64_t hash;
    uint32_t df;
    uint32_t last_doc; /* the article that last counted it, plus one */
} entry;

typedef struct table {
    entry *slots;
    size_t mask;
    size_t size;
} table;

static void die(const char *what)
{
    fprintf(stderr, "build_df: %s\n", what);
    exit(1);
}

static void table_grow(table *t)
{
    size_t cap = t->slots ? (t->mask + 1) * 2 : 1u << 16;
    entry *slots = calloc(cap, sizeof *slots);
    if (!slots) die("out of memory");
    for (size_t i = 0; t->slots && i <= t->mask; i++) {
        if (!t->slots[i].word) continue;
        size_t j = (size_t)t->slots[i].hash & (cap - 1);
        while (slots[j].word) j = (j + 1) & (cap - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->mask = cap - 1;
}

/* Counts w for article `doc` (numbered from 1), once. */
static void table_add(table *t, const char *w, size_t n, uint32_t doc)
{
    if (!t->slots || (t->size + 1) * 2 > t->mask + 1) table_grow(t);
    uint64_t h = kh_hash(w, n);
    size_t i = (size_t)h & t->mask;
    while (t->slots[i].word) {
        entry *e = &t->slots[i];
        if (e->hash == h && e->len == n && memcmp(e->word, w, n) == 0) {
            if (e->last_doc != doc) e->df++, e->last_doc = doc;
            return;
        }
        i = (i + 1) & t->mask;
    }
    entry *e = &t->slots[i];
    e->word = malloc(n);
    if (!e->word) die("out of memory");
    memcpy(e->word, w, n);
    e->len = n;
    e->hash = h;
    e->df = 1;
    e->last_doc = doc;
    t->size++;
}

/* The body of <TAG>...</TAG> inside [p, end), or NULL. */
static const char *field(const char *p, const char *end, const char *tag, size_t *len)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    size_t no = strlen(open), nc = strlen(close);
    for (const char *q = p; q + no <= end; q++) {
        if (memcmp(q, open, no) != 0) continue;
        const char *body = q + no;
        for (const char *r = body; r + nc <= end; r++)
            if (memcmp(r, close, nc) == 0) { *len = (size_t)(r - body); return body; }
        *len = (size_t)(end - body);
        return body;
    }
    return NULL;
}

static int by_df(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->df != y->df) return x->df > y->df ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->word, y->word, n);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

int main(int argc, char **argv)
{
    unsigned long min_df = 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--min-df") && i + 1 < argc) {
            min_df = strtoul(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: build_df [--min-df N] < CORPUS > df.tsv\n");
            return 2;
        }
    }
    kh_buf in = {0};
    char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        if (kh_buf_append(&in, chunk, got)) die("out of memory");
    if (ferror(stdin)) die("cannot read the corpus");

    khabar_model *model;
    khabar_analyzer *an;
    khabar_error err;
    if (khabar_model_new(&model, &err) || khabar_analyzer_new(model, &an, &err)) die(err.message);

    table t = {0};
    kh_buf article = {0};
    uint32_t docs = 0;
    size_t skipped = 0;
    const char *p = in.data, *end = in.data + in.len;
    static const char open_doc[] = "<DOC>", close_doc[] = "</DOC>";
    while (p && p < end) {
        const char *d = NULL;
        for (const char *q = p; q + sizeof open_doc - 1 <= end; q++)
            if (!memcmp(q, open_doc, sizeof open_doc - 1)) { d = q; break; }
        if (!d) break;
        const char *e = end;
        for (const char *q = d; q + sizeof close_doc - 1 <= end; q++)
            if (!memcmp(q, close_doc, sizeof close_doc - 1)) { e = q; break; }
        p = e + (e < end ? sizeof close_doc - 1 : 0);

        size_t title_len = 0, text_len = 0;
        const char *title = field(d, e, "TITLE", &title_len);
        const char *text = field(d, e, "TEXT", &text_len);
        if (!text) continue;
        article.len = 0;
        if ((title && kh_buf_append(&article, title, title_len)) || kh_buf_append(&article, "\n\n", 2) ||
            kh_buf_append(&article, text, text_len))
            die("out of memory");
        khabar_options opts = {0};
        opts.flags = KHABAR_OPTION_REPLACE_INVALID;
        khabar_doc *doc;
        if (khabar_analyze(an, article.data, article.len, &opts, &doc, &err) != KHABAR_OK) {
            skipped++;
            continue;
        }
        docs++;
        for (size_t i = 0; i < khabar_doc_token_count(doc); i++) {
            const khabar_token *tok = khabar_doc_token(doc, i);
            if (tok->kind != KHABAR_TOKEN_ARABIC && tok->kind != KHABAR_TOKEN_LATIN) continue;
            size_t n = strlen(tok->stem);
            if (n) table_add(&t, tok->stem, n, docs);
        }
        khabar_doc_free(doc);
    }
    if (!docs) die("no articles found (is the corpus on stdin?)");

    entry *all = malloc(t.size * sizeof *all);
    if (!all) die("out of memory");
    size_t n = 0, keep = 0, bytes = 0;
    for (size_t i = 0; i <= t.mask; i++)
        if (t.slots[i].word) all[n++] = t.slots[i];
    qsort(all, n, sizeof *all, by_df);
    printf("#documents\t%u\n", docs);
    for (size_t i = 0; i < n && all[i].df >= min_df; i++, keep++) {
        int w = printf("%.*s\t%u\n", (int)all[i].len, all[i].word, all[i].df);
        if (w > 0) bytes += (size_t)w;
    }
    fprintf(stderr, "build_df: %u articles (%zu unreadable), %zu distinct stems, kept %zu (df >= %lu), %zu bytes\n",
            docs, skipped, n, keep, min_df, bytes);

    for (size_t i = 0; i <= t.mask; i++) free(t.slots[i].word);
    free(t.slots);
    free(all);
    kh_buf_free(&article);
    kh_buf_free(&in);
    khabar_analyzer_free(an);
    khabar_model_free(model);
    return fflush(stdout) == 0 ? 0 : 1;
}
