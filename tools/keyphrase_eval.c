/* keyphrase_eval: measures khabar's tags against gold keyphrases, beside
 * two baselines run on the same words, and fits the tag weights.
 *
 * Usage:
 *   keyphrase_eval [--show N] [--set NAME=VALUE]... [--corpus-df] CORPUS_DIR
 *       precision, recall and F1 at 10 of khabar's tags and of the
 *       baselines on the dev half (even positions of train.ids), the
 *       held-out half (odd positions) and all; --show prints each
 *       system's phrases for the first N dev documents, a * on those in
 *       the gold; --set changes a weight (names as in kh_tag_params,
 *       src/tags.h); --corpus-df pools the documents' own frequencies with
 *       the reference table, as a user's corpus would be.
 *   keyphrase_eval [--set NAME=VALUE]... --tags-of FILE.jsonl
 *       the tags of each JSON-lines record {"id", "title"?, "text"}, one
 *       line each: its line number, a tab, the tags joined by " | ", so
 *       that a rule can be read on a corpus with --set turning it off.
 *   keyphrase_eval --fit CORPUS_DIR
 *       fits the weights on the dev half only (coordinate search on F1@10)
 *       and prints them, then the scores they give.
 *
 * CORPUS_DIR is laid out as the Arabic Keyphrase Extraction Corpus's
 * training part: train.ids (one document id or file name a line), documents/raw/ID.txt
 * (one article, no title line), keyphrases/sort_frequency/pure.txt (lines
 * "ID : phrase,phrase,...").
 *
 * Matching: a phrase's key is its words, each normalised and without its
 * clitics (khabar_segment's stem piece: و ف ب ك ل س, the article and
 * pronoun suffixes off), alef forms folded; gold and output match when
 * their keys are equal.  Per document: P = matches / phrases output (at most
 * 10), R = matches / distinct gold keys, F1 their harmonic mean; averaged
 * over documents.  An output that repeats a key already output counts as
 * a miss.
 *
 * Baselines, on the same content words as the tagger (data/stopwords.txt,
 * kh_tag_word_classify) and the same document frequencies (data/df.tsv):
 *   tfidf     words by count times inverse document frequency.
 *   tfidf-ng  phrases of one to three adjacent content words by count
 *             times the sum of their words' inverse document frequencies
 *             (the phrase's rarity if its words were independent).
 *   textrank  Mihalcea & Tarau (2004): a graph of the content words (by
 *             clitic-free form), an edge between words adjacent in the
 *             sequence of content words (window 2), PageRank (damping 0.85);
 *             the top third of the words are keywords; runs of adjacent
 *             keywords in the text make phrases, scored by the sum of their
 *             words' ranks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "doc.h"
#include "read_stream.h"
#include "tags.h"

#define AT_K 10

/* With --corpus-df: document frequencies of the evaluated documents
 * themselves, as a user's own corpus would give them, pooled with the
 * reference table by the tagger and by the TF-IDF baselines. */
static kh_df_table corpus_df;
static const kh_df_table *user_df;

static void die(const char *what)
{
    fprintf(stderr, "keyphrase_eval: %s\n", what);
    exit(2);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    kh_buf b = {0};
    if (read_stream(f, &b)) die("cannot read a file");
    fclose(f);
    if (kh_buf_putc(&b, '\0')) die("out of memory");
    *len = b.len - 1;
    return b.data;
}

/* ---- string sets ---- */

typedef struct strset {
    char **items;
    size_t len, cap;
} strset;

static int strset_has(const strset *s, const char *x)
{
    for (size_t i = 0; i < s->len; i++)
        if (!strcmp(s->items[i], x)) return 1;
    return 0;
}

/* Adds x unless present; 1 when added. */
static int strset_add(strset *s, const char *x)
{
    if (strset_has(s, x)) return 0;
    if (s->len == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->items = realloc(s->items, s->cap * sizeof *s->items);
        if (!s->items) die("out of memory");
    }
    if (!(s->items[s->len++] = strdup(x))) die("out of memory");
    return 1;
}

static void strset_clear(strset *s)
{
    for (size_t i = 0; i < s->len; i++) free(s->items[i]);
    s->len = 0;
}

static void strset_free(strset *s)
{
    strset_clear(s);
    free(s->items);
    s->items = NULL;
    s->cap = 0;
}

/* ---- matching keys ---- */

static int is_proclitic_piece(const char *s, size_t n)
{
    uint32_t a, b;
    unsigned k = n ? kh_utf8_decode((const unsigned char *)s, n, &a) : 0;
    if (!k) return 0;
    if (k == n) return a == WAW || a == FEH || a == BEH || a == KAF || a == LAM || a == SEEN;
    unsigned k2 = kh_utf8_decode((const unsigned char *)s + k, n - k, &b);
    return k2 && k + k2 == n && a == ALEF && b == LAM;
}

/* Appends the key of one word to out. */
static void word_key(khabar_analyzer *an, const char *w, size_t n, kh_buf *out)
{
    char seg[4096];
    size_t len;
    if (n == 0 || n > 200 || khabar_segment(an, w, n, seg, sizeof seg, &len, NULL) != KHABAR_OK) return;
    size_t at = 0;
    for (;;) {
        const char *plus = memchr(seg + at, '+', len - at);
        if (!plus || !is_proclitic_piece(seg + at, (size_t)(plus - (seg + at)))) break;
        at = (size_t)(plus - seg) + 1;
    }
    const char *plus = memchr(seg + at, '+', len - at);
    size_t end = plus ? (size_t)(plus - seg) : len;
    size_t start = out->len;
    if (kh_buf_append(out, seg + at, end - at)) die("out of memory");
    kh_fold_alef_inplace(out->data + start, end - at);
    for (size_t i = start; i < out->len; i++)
        if (out->data[i] >= 'A' && out->data[i] <= 'Z') out->data[i] = (char)(out->data[i] - 'A' + 'a');
}

/* The key of a phrase: its words' keys joined by one space (NUL-terminated in out). */
static const char *phrase_key(khabar_analyzer *an, const char *s, size_t n, kh_buf *out)
{
    out->len = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
        size_t a = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') i++;
        if (i == a) break;
        size_t before = out->len;
        if (before && kh_buf_putc(out, ' ')) die("out of memory");
        size_t mark = out->len;
        word_key(an, s + a, i - a, out);
        if (out->len == mark) out->len = before;
    }
    if (kh_buf_putc(out, '\0')) die("out of memory");
    out->len--;
    return out->data;
}

/* ---- documents ---- */

typedef struct document {
    char *id;
    khabar_doc *doc;
    strset gold;   /* distinct gold keys */
    int dev;
} document;

/* A system's phrases for one document, best first. */
typedef struct output {
    strset phrases;
} output;

/* ---- baselines ---- */

typedef struct word_stat {
    char *key;          /* clitic-free folded form (the graph's vertex, the unigram's identity) */
    double tf, idf, rank;
    size_t first;       /* first token */
} word_stat;

typedef struct words {
    word_stat *items;
    size_t len, cap;
} words;

static size_t words_find(words *w, const char *key, int add)
{
    for (size_t i = 0; i < w->len; i++)
        if (!strcmp(w->items[i].key, key)) return i;
    if (!add) return SIZE_MAX;
    if (w->len == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->items = realloc(w->items, w->cap * sizeof *w->items);
        if (!w->items) die("out of memory");
    }
    word_stat *x = &w->items[w->len];
    memset(x, 0, sizeof *x);
    if (!(x->key = strdup(key))) die("out of memory");
    return w->len++;
}

static void words_free(words *w)
{
    for (size_t i = 0; i < w->len; i++) free(w->items[i].key);
    free(w->items);
    memset(w, 0, sizeof *w);
}

/* The clitic-free folded form of a content token. */
static const char *token_key(const khabar_token *t, const kh_tag_word *w, kh_buf *b)
{
    b->len = 0;
    if (kh_buf_append(b, t->segments + w->base, w->base_len) || kh_buf_putc(b, '\0')) die("out of memory");
    if (t->kind == KHABAR_TOKEN_ARABIC) kh_fold_alef_inplace(b->data, w->base_len);
    for (char *p = b->data; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return b->data;
}

/* The text of tokens [a, b) with diacritics removed. */
static void span_text(const khabar_doc *d, size_t a, size_t b, kh_buf *out)
{
    out->len = 0;
    for (size_t i = a; i < b; i++) {
        const khabar_token *t = &KH_AT(d->tokens, khabar_token, i);
        if (i > a && kh_buf_putc(out, ' ')) die("out of memory");
        if (kh_normalize_append(out, t->span.text, t->span.text_len,
                                KHABAR_FOLD_NFKC | KHABAR_FOLD_DIACRITICS | KHABAR_FOLD_TATWEEL))
            die("out of memory");
    }
    if (kh_buf_putc(out, '\0')) die("out of memory");
}

typedef struct scored {
    double score;
    size_t first, a, b; /* first occurrence: tokens [a, b) */
    char *key;
} scored;

static int by_scored(const void *pa, const void *pb)
{
    const scored *x = pa, *y = pb;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

typedef struct phrases {
    scored *items;
    size_t len, cap;
} phrases;

static size_t phrases_find(phrases *p, const char *key, size_t a, size_t b)
{
    for (size_t i = 0; i < p->len; i++)
        if (!strcmp(p->items[i].key, key)) return i;
    if (p->len == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->items = realloc(p->items, p->cap * sizeof *p->items);
        if (!p->items) die("out of memory");
    }
    scored *x = &p->items[p->len];
    memset(x, 0, sizeof *x);
    if (!(x->key = strdup(key))) die("out of memory");
    x->first = a;
    x->a = a;
    x->b = b;
    return p->len++;
}

static void phrases_free(phrases *p)
{
    for (size_t i = 0; i < p->len; i++) free(p->items[i].key);
    free(p->items);
    memset(p, 0, sizeof *p);
}

static void emit_top(const khabar_doc *d, phrases *p, output *out)
{
    qsort(p->items, p->len, sizeof *p->items, by_scored);
    kh_buf text = {0};
    for (size_t i = 0; i < p->len && out->phrases.len < AT_K; i++) {
        span_text(d, p->items[i].a, p->items[i].b, &text);
        strset_add(&out->phrases, text.data);
    }
    kh_buf_free(&text);
}

static void classify_all(const khabar_model *m, const khabar_doc *d, kh_tag_word *w)
{
    for (size_t i = 0; i < d->tokens.len; i++)
        kh_tag_word_classify(m, &KH_AT(d->tokens, khabar_token, i), &w[i]);
}

static void tfidf(const khabar_model *m, const khabar_doc *d, int max_n, output *out)
{
    size_t n = d->tokens.len;
    kh_tag_word *w = malloc((n ? n : 1) * sizeof *w);
    if (!w) die("out of memory");
    classify_all(m, d, w);
    phrases p = {0};
    kh_buf key = {0}, part = {0};
    for (size_t i = 0; i < n; i++) {
        double idf = 0;
        key.len = 0;
        for (int len = 0; len < max_n && i + (size_t)len < n; len++) {
            size_t j = i + (size_t)len;
            const khabar_token *t = &KH_AT(d->tokens, khabar_token, j);
            if (w[j].cls != KH_WORD_CONTENT) break;
            if (len && (t->sentence != KH_AT(d->tokens, khabar_token, i).sentence ||
                        t->block != KH_AT(d->tokens, khabar_token, i).block))
                break;
            if (len && kh_buf_putc(&key, ' ')) die("out of memory");
            token_key(t, &w[j], &part);
            if (kh_buf_append(&key, part.data, strlen(part.data))) die("out of memory");
            if (kh_buf_putc(&key, '\0')) die("out of memory");
            key.len--;
            idf += kh_idf(m, user_df, t->stem, strlen(t->stem));
            size_t k = phrases_find(&p, key.data, i, j + 1);
            p.items[k].score += idf; /* count times the sum of idfs, one occurrence at a time */
        }
    }
    emit_top(d, &p, out);
    phrases_free(&p);
    kh_buf_free(&key);
    kh_buf_free(&part);
    free(w);
}

static void textrank(const khabar_model *m, const khabar_doc *d, output *out)
{
    size_t n = d->tokens.len;
    kh_tag_word *w = malloc((n ? n : 1) * sizeof *w);
    size_t *vertex = malloc((n ? n : 1) * sizeof *vertex);
    if (!w || !vertex) die("out of memory");
    classify_all(m, d, w);
    words v = {0};
    kh_buf key = {0};
    for (size_t i = 0; i < n; i++) {
        vertex[i] = SIZE_MAX;
        if (w[i].cls != KH_WORD_CONTENT) continue;
        vertex[i] = words_find(&v, token_key(&KH_AT(d->tokens, khabar_token, i), &w[i], &key), 1);
    }
    size_t nv = v.len;
    unsigned char *adj = calloc(nv ? nv * nv : 1, 1);
    size_t *degree = calloc(nv ? nv : 1, sizeof *degree);
    double *rank = malloc((nv ? nv : 1) * sizeof *rank), *next = malloc((nv ? nv : 1) * sizeof *next);
    if (!adj || !degree || !rank || !next) die("out of memory");
    size_t prev = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (vertex[i] == SIZE_MAX) continue;
        size_t a = vertex[i];
        if (prev != SIZE_MAX && prev != a && !adj[a * nv + prev]) {
            adj[a * nv + prev] = adj[prev * nv + a] = 1;
            degree[a]++;
            degree[prev]++;
        }
        prev = a;
    }
    for (size_t i = 0; i < nv; i++) rank[i] = 1.0 / (double)nv;
    for (int iter = 0; iter < 100; iter++) {
        double change = 0;
        for (size_t a = 0; a < nv; a++) {
            double sum = 0;
            for (size_t b = 0; b < nv; b++)
                if (adj[a * nv + b]) sum += rank[b] / (double)degree[b];
            next[a] = 0.15 / (double)nv + 0.85 * sum;
            change += fabs(next[a] - rank[a]);
        }
        memcpy(rank, next, nv * sizeof *rank);
        if (change < 1e-9) break;
    }
    for (size_t i = 0; i < nv; i++) v.items[i].rank = rank[i];
    /* keywords: the top third by rank */
    double *sorted = malloc((nv ? nv : 1) * sizeof *sorted);
    if (!sorted) die("out of memory");
    memcpy(sorted, rank, nv * sizeof *rank);
    for (size_t i = 1; i < nv; i++) /* insertion sort, descending */
        for (size_t j = i; j > 0 && sorted[j] > sorted[j - 1]; j--) {
            double t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t;
        }
    size_t top = nv / 3 ? nv / 3 : nv;
    double cut = nv ? sorted[top - 1] : 0;
    phrases p = {0};
    kh_buf phrase = {0};
    for (size_t i = 0; i < n;) {
        if (vertex[i] == SIZE_MAX || rank[vertex[i]] < cut) { i++; continue; }
        size_t j = i;
        double score = 0;
        phrase.len = 0;
        while (j < n && vertex[j] != SIZE_MAX && rank[vertex[j]] >= cut &&
               KH_AT(d->tokens, khabar_token, j).sentence == KH_AT(d->tokens, khabar_token, i).sentence) {
            if (j > i && kh_buf_putc(&phrase, ' ')) die("out of memory");
            const char *k = v.items[vertex[j]].key;
            if (kh_buf_append(&phrase, k, strlen(k))) die("out of memory");
            score += rank[vertex[j]];
            j++;
        }
        if (kh_buf_putc(&phrase, '\0')) die("out of memory");
        size_t k = phrases_find(&p, phrase.data, i, j);
        p.items[k].score = score;
        i = j;
    }
    emit_top(d, &p, out);
    phrases_free(&p);
    kh_buf_free(&phrase);
    kh_buf_free(&key);
    words_free(&v);
    free(adj);
    free(degree);
    free(rank);
    free(next);
    free(sorted);
    free(vertex);
    free(w);
}

static void khabar_tags(khabar_analyzer *an, khabar_doc *d, const kh_tag_params *p, output *out)
{
    d->tags.len = d->tag_sentences.len = 0;
    khabar_error err;
    if (kh_tags(an, d, p, user_df, &err) != KHABAR_OK) die(err.message);
    for (size_t i = 0; i < d->tags.len && out->phrases.len < AT_K; i++)
        strset_add(&out->phrases, KH_AT(d->tags, kh_tag, i).text);
}

/* ---- scoring ---- */

enum { SYS_KHABAR, SYS_TFIDF, SYS_TFIDF_NG, SYS_TEXTRANK, SYSTEMS };
static const char *const system_names[SYSTEMS] = {"khabar tags", "tfidf", "tfidf-ng", "textrank"};

typedef struct totals {
    double p, r, f;
    size_t docs;
} totals;

static void score_output(khabar_analyzer *an, const document *doc, const output *out, totals *t)
{
    strset seen = {0};
    kh_buf key = {0};
    size_t matched = 0, returned = 0;
    for (size_t i = 0; i < out->phrases.len && returned < AT_K; i++) {
        const char *s = out->phrases.items[i];
        phrase_key(an, s, strlen(s), &key);
        returned++;
        if (!key.len || !strset_add(&seen, key.data)) continue;
        if (strset_has(&doc->gold, key.data)) matched++;
    }
    double p = returned ? (double)matched / (double)returned : 0;
    double r = doc->gold.len ? (double)matched / (double)doc->gold.len : 0;
    t->p += p;
    t->r += r;
    t->f += p + r > 0 ? 2 * p * r / (p + r) : 0;
    t->docs++;
    strset_free(&seen);
    kh_buf_free(&key);
}

static void run_system(khabar_analyzer *an, int sys, const kh_tag_params *params, document *docs,
                       size_t n, totals split[3], int show)
{
    memset(split, 0, 3 * sizeof *split);
    for (size_t i = 0; i < n; i++) {
        output out = {0};
        khabar_doc *d = docs[i].doc;
        switch (sys) {
        case SYS_KHABAR: khabar_tags(an, d, params, &out); break;
        case SYS_TFIDF: tfidf(an->model, d, 1, &out); break;
        case SYS_TFIDF_NG: tfidf(an->model, d, 3, &out); break;
        default: textrank(an->model, d, &out); break;
        }
        score_output(an, &docs[i], &out, &split[docs[i].dev ? 0 : 1]);
        score_output(an, &docs[i], &out, &split[2]);
        if (show > 0 && docs[i].dev && (size_t)show > i / 2) {
            printf("%s [%s]:", docs[i].id, system_names[sys]);
            kh_buf key = {0};
            for (size_t k = 0; k < out.phrases.len; k++) {
                phrase_key(an, out.phrases.items[k], strlen(out.phrases.items[k]), &key);
                printf(" %s%s", out.phrases.items[k], strset_has(&docs[i].gold, key.data) ? "*" : "");
                printf(k + 1 < out.phrases.len ? "," : "\n");
            }
            kh_buf_free(&key);
        }
        strset_free(&out.phrases);
    }
}

static double dev_f1(khabar_analyzer *an, const kh_tag_params *p, document *docs, size_t n)
{
    totals t[3];
    run_system(an, SYS_KHABAR, p, docs, n, t, 0);
    return t[0].docs ? t[0].f / (double)t[0].docs : 0;
}

/* ---- parameters by name ---- */

typedef struct param_ref {
    const char *name;
    double *d;
    unsigned *u;
    double step;
} param_ref;

#define KH_PARAMS_MAX 32

static size_t param_refs(kh_tag_params *p, param_ref *out)
{
    param_ref refs[] = {
        {"title_weight", &p->title_weight, NULL, 0.5},
        {"heading_weight", &p->heading_weight, NULL, 0.5},
        {"lead_weight", &p->lead_weight, NULL, 0.5},
        {"length2_weight", &p->length_weight[0], NULL, 0.25},
        {"length3_weight", &p->length_weight[1], NULL, 0.25},
        {"length4_weight", &p->length_weight[2], NULL, 0.25},
        {"name_weight", &p->name_weight, NULL, 0.25},
        {"bare_weight", &p->bare_weight, NULL, 0.1},
        {"entity_weight", &p->entity_weight, NULL, 0.25},
        {"verb_penalty", &p->verb_penalty, NULL, 0.1},
        {"attached_weight", &p->attached_weight, NULL, 0.1},
        {"truncated_weight", &p->truncated_weight, NULL, 0.1},
        {"expand_share", &p->expand_share, NULL, 0.1},
        {"branch_share", &p->branch_share, NULL, 0.05},
        {"min_relative", &p->min_relative, NULL, 0.05},
        {"min_phrase_tf", NULL, &p->min_phrase_tf, 1},
        {"max_tags", NULL, &p->max_tags, 1},
        {"min_tags", NULL, &p->min_tags, 1},
        {"units_apart", NULL, &p->units_apart, 1},
        {"names_complete", NULL, &p->names_complete, 1},
        {"fragment_weight", &p->fragment_weight, NULL, 0.1},
        {"dates_apart", NULL, &p->dates_apart, 1},
        {"person_titles", NULL, &p->person_titles, 1},
        {"titled_weight", &p->titled_weight, NULL, 0.1},
        {"accusatives_apart", NULL, &p->accusatives_apart, 1},
    };
    _Static_assert(sizeof refs / sizeof refs[0] <= KH_PARAMS_MAX, "too many weights");
    memcpy(out, refs, sizeof refs);
    return sizeof refs / sizeof refs[0];
}

static void print_params(kh_tag_params *p)
{
    param_ref refs[KH_PARAMS_MAX];
    size_t n = param_refs(p, refs);
    for (size_t i = 0; i < n; i++) {
        if (refs[i].d) printf("    p->%s = %g;\n", refs[i].name, *refs[i].d);
        else printf("    p->%s = %u;\n", refs[i].name, *refs[i].u);
    }
}

static void fit(khabar_analyzer *an, kh_tag_params *p, document *docs, size_t n)
{
    param_ref refs[KH_PARAMS_MAX];
    size_t nr = param_refs(p, refs);
    double best = dev_f1(an, p, docs, n);
    fprintf(stderr, "fit: start F1@10 %.4f\n", best);
    for (int round = 0; round < 4; round++) {
        int improved = 0;
        for (size_t i = 0; i < nr; i++) {
            /* fixed by the product: ten tags, the rules that say what a tag is not and
             * the share a branch gains */
            if (!strcmp(refs[i].name, "max_tags") || !strcmp(refs[i].name, "units_apart") ||
                !strcmp(refs[i].name, "branch_share") || !strcmp(refs[i].name, "names_complete") ||
                !strcmp(refs[i].name, "dates_apart") || !strcmp(refs[i].name, "person_titles") ||
                !strcmp(refs[i].name, "accusatives_apart"))
                continue;
            for (int dir = -1; dir <= 1; dir += 2) {
                for (;;) {
                    double old = refs[i].d ? *refs[i].d : (double)*refs[i].u;
                    double val = old + dir * refs[i].step;
                    if (val < 0) break;
                    if (refs[i].d) *refs[i].d = val;
                    else *refs[i].u = (unsigned)val;
                    double f = dev_f1(an, p, docs, n);
                    if (f > best + 1e-9) {
                        best = f;
                        improved = 1;
                        fprintf(stderr, "fit: %s = %g: F1@10 %.4f\n", refs[i].name, val, f);
                        continue;
                    }
                    if (refs[i].d) *refs[i].d = old;
                    else *refs[i].u = (unsigned)old;
                    break;
                }
            }
        }
        if (!improved) break;
    }
    printf("/* fitted on the dev half: F1@10 %.4f */\n", best);
    print_params(p);
}

/* --tags-of: every record's tags with the weights given. */
static int tags_of(const char *path, const kh_tag_params *p)
{
    size_t len;
    char *data = read_file(path, &len);
    if (!data) die("cannot read the records");
    khabar_model *m;
    khabar_analyzer *an;
    khabar_error err;
    if (khabar_model_new(&m, &err) || khabar_analyzer_new(m, &an, &err)) die(err.message);
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_REPLACE_INVALID;
    size_t line = 0;
    for (char *at = data; *at;) {
        char *eol = strchr(at, '\n');
        size_t n = eol ? (size_t)(eol - at) : strlen(at);
        line++;
        khabar_doc *d = NULL;
        if (n && khabar_analyze_record(an, at, n, &o, &d, &err) == KHABAR_OK) {
            d->tags.len = d->tag_sentences.len = 0;
            if (kh_tags(an, d, p, NULL, &err) != KHABAR_OK) die(err.message);
            printf("%zu\t", line);
            for (size_t i = 0; i < d->tags.len; i++)
                printf("%s%s", i ? " | " : "", KH_AT(d->tags, kh_tag, i).text);
            putchar('\n');
        }
        khabar_doc_free(d);
        at = eol ? eol + 1 : at + n;
    }
    khabar_analyzer_free(an);
    khabar_model_free(m);
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    int fit_mode = 0, show = 0, use_corpus_df = 0;
    const char *dir = NULL;
    kh_tag_params params;
    kh_tag_params_init(&params);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--fit")) fit_mode = 1;
        else if (!strcmp(argv[i], "--corpus-df")) use_corpus_df = 1;
        else if (!strcmp(argv[i], "--show") && i + 1 < argc) show = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            char name[64];
            double val;
            if (sscanf(argv[++i], "%63[^=]=%lf", name, &val) != 2) die("--set needs NAME=VALUE");
            param_ref refs[KH_PARAMS_MAX];
            size_t nr = param_refs(&params, refs), k = 0;
            while (k < nr && strcmp(refs[k].name, name)) k++;
            if (k == nr) die("--set: unknown weight");
            if (refs[k].d) *refs[k].d = val;
            else *refs[k].u = (unsigned)val;
        } else if (!strcmp(argv[i], "--tags-of") && i + 1 < argc) {
            return tags_of(argv[++i], &params);
        } else if (argv[i][0] != '-' && !dir) dir = argv[i];
        else dir = NULL, i = argc;
    }
    if (!dir) {
        fprintf(stderr, "usage: keyphrase_eval [--fit] [--show N] [--set NAME=VALUE]... [--corpus-df] CORPUS_DIR\n");
        return 2;
    }
    khabar_model *m;
    khabar_analyzer *an;
    khabar_error err;
    if (khabar_model_new(&m, &err) || khabar_analyzer_new(m, &an, &err)) die(err.message);

    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/keyphrases/sort_frequency/pure.txt", dir);
    char *gold = read_file(path, &len);
    snprintf(path, sizeof path, "%s/train.ids", dir);
    char *ids = read_file(path, &len);
    if (!gold || !ids) die("cannot read train.ids or keyphrases/sort_frequency/pure.txt");

    document *docs = NULL;
    size_t n = 0, cap = 0;
    kh_buf key = {0};
    for (char *line = strtok(ids, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        if (!*line) continue;
        size_t l = strlen(line);
        if (l > 4 && !strcmp(line + l - 4, ".txt")) line[l - 4] = '\0'; /* ids may be file names */
        if (n == cap) {
            cap = cap ? cap * 2 : 128;
            docs = realloc(docs, cap * sizeof *docs);
            if (!docs) die("out of memory");
        }
        document *doc = &docs[n];
        memset(doc, 0, sizeof *doc);
        if (!(doc->id = strdup(line))) die("out of memory");
        doc->dev = n % 2 == 0;
        snprintf(path, sizeof path, "%s/documents/raw/%s.txt", dir, line);
        char *text = read_file(path, &len);
        if (!text) die("cannot read a document");
        khabar_options o = {0};
        o.flags = KHABAR_OPTION_NO_TITLE | KHABAR_OPTION_REPLACE_INVALID;
        if (khabar_analyze(an, text, len, &o, &doc->doc, &err)) die(err.message);
        free(text);
        n++;
    }
    /* gold lines: "ID : a,b,c" */
    for (char *p = gold; *p;) {
        char *eol = strchr(p, '\n');
        if (eol) *eol = '\0';
        char *sep = strstr(p, " : ");
        if (sep) {
            *sep = '\0';
            for (size_t i = 0; i < n; i++) {
                if (strcmp(docs[i].id, p)) continue;
                char *q = sep + 3;
                while (*q) {
                    char *comma = strchr(q, ',');
                    size_t l = comma ? (size_t)(comma - q) : strlen(q);
                    while (l && (q[l - 1] == '\r' || q[l - 1] == ' ')) l--;
                    phrase_key(an, q, l, &key);
                    if (key.len) strset_add(&docs[i].gold, key.data);
                    q = comma ? comma + 1 : q + strlen(q);
                }
            }
        }
        p = eol ? eol + 1 : p + strlen(p);
    }
    for (size_t i = 0; i < n; i++)
        if (!docs[i].gold.len) fprintf(stderr, "keyphrase_eval: %s has no gold keyphrases\n", docs[i].id);

    if (use_corpus_df) {
        kh_buf lines = {0};
        strset stems = {0};
        for (size_t i = 0; i < n; i++) {
            for (size_t t = 0; t < docs[i].doc->tokens.len; t++) {
                const khabar_token *tok = &KH_AT(docs[i].doc->tokens, khabar_token, t);
                if (tok->kind != KHABAR_TOKEN_ARABIC && tok->kind != KHABAR_TOKEN_LATIN) continue;
                if (!*tok->stem || !strset_add(&stems, tok->stem)) continue;
                if (kh_buf_append(&lines, tok->stem, strlen(tok->stem)) || kh_buf_append(&lines, "\t1\n", 3))
                    die("out of memory");
            }
            strset_clear(&stems);
        }
        strset_free(&stems);
        corpus_df.df = kh_lexicon_load(lines.data ? lines.data : "", lines.len, KHABAR_FOLD_ALL);
        if (!corpus_df.df) die("out of memory");
        corpus_df.documents = n;
        user_df = &corpus_df;
        kh_buf_free(&lines);
    }
    if (fit_mode) fit(an, &params, docs, n);

    printf("%-12s %-9s %5s %7s %7s %7s\n", "system", "split", "docs", "P@10", "R@10", "F1@10");
    for (int sys = 0; sys < SYSTEMS; sys++) {
        totals t[3];
        run_system(an, sys, &params, docs, n, t, show);
        static const char *const split_names[3] = {"dev", "held-out", "all"};
        for (int s = 0; s < 3; s++) {
            double k = t[s].docs ? (double)t[s].docs : 1;
            printf("%-12s %-9s %5zu %7.4f %7.4f %7.4f\n", system_names[sys], split_names[s], t[s].docs,
                   t[s].p / k, t[s].r / k, t[s].f / k);
        }
    }
    for (size_t i = 0; i < n; i++) {
        khabar_doc_free(docs[i].doc);
        strset_free(&docs[i].gold);
        free(docs[i].id);
    }
    free(docs);
    free(gold);
    free(ids);
    kh_buf_free(&key);
    kh_lexicon_free((kh_lexicon *)corpus_df.df);
    khabar_analyzer_free(an);
    khabar_model_free(m);
    return 0;
}
