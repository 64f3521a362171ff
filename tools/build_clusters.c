/* build_clusters: word classes learned from unlabeled text, for the entity
 * tagger's features (src/ner.c).
 *
 * Usage: build_clusters [--min-count N] [--iterations N] [--files-from LIST]
 *                       --sizes C1,C2,... OUT.tsv [FILE...]
 *
 * LIST names more input files, one a line.  Each file is plain text, or an ANT corpus article (a file that starts with
 * <DOC>: only its <TITLE> and <TEXT> parts are read; <ABSTRACT> repeats the
 * text's lead).  Text is split into words and punctuation marks, each
 * normalised with KHABAR_FOLD_ALL; every line ends a sentence.
 *
 * For every size C the words seen at least --min-count times are put into C
 * classes by the exchange algorithm (Kneser & Ney 1993; Martin, Liermann &
 * Ney 1998): each word in turn moves to the class that most raises the
 * likelihood of a class bigram model, until an iteration moves almost no
 * word.  Rarer words share one "rare" item so that their neighbours'
 * statistics stay whole.  Deterministic: no random numbers.
 *
 * Output: "word<TAB>count<TAB>class1<TAB>class2..." lines, most frequent
 * first, after a header line "#clusters<TAB>C1<TAB>C2...". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "kh.h"
#define TOOL_NAME "build_clusters"
#include "tool.h"
#include "corpus_text.h"

#define MAX_SIZES 8

/* ---- vocabulary: normalised word -> id ---- */
typedef struct {
    uint64_t hash;
    uint32_t offset, len, count, id;
} entry;

static entry *table;
static size_t table_mask, n_words;
static kh_buf pool;
static uint32_t *word_of_id; /* id -> table slot */

static void table_grow(void)
{
    size_t old_cap = table ? table_mask + 1 : 0, cap = old_cap ? old_cap * 2 : 1 << 16;
    entry *old = table;
    table = xmalloc(cap * sizeof *table);
    for (size_t i = 0; i < cap; i++) table[i].len = UINT32_MAX;
    table_mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].len == UINT32_MAX) continue;
        size_t j = (size_t)old[i].hash & table_mask;
        while (table[j].len != UINT32_MAX) j = (j + 1) & table_mask;
        table[j] = old[i];
        word_of_id[old[i].id] = (uint32_t)j;
    }
    free(old);
}

static uint32_t word_id(const char *w, size_t n)
{
    if ((n_words + 1) * 2 > (table ? table_mask + 1 : 0)) {
        word_of_id = realloc(word_of_id, (table ? (table_mask + 1) : (1 << 15)) * 2 * sizeof *word_of_id);
        if (!word_of_id) die("out of memory");
        table_grow();
    }
    uint64_t h = kh_hash(w, n);
    size_t i = (size_t)h & table_mask;
    for (;; i = (i + 1) & table_mask) {
        entry *e = &table[i];
        if (e->len == UINT32_MAX) break;
        if (e->hash == h && e->len == n && memcmp(pool.data + e->offset, w, n) == 0) {
            e->count++;
            return e->id;
        }
    }
    entry *e = &table[i];
    e->hash = h;
    e->offset = (uint32_t)pool.len;
    e->len = (uint32_t)n;
    e->count = 1;
    e->id = (uint32_t)n_words;
    if (kh_buf_append(&pool, w, n)) die("out of memory");
    word_of_id[n_words] = (uint32_t)i;
    return (uint32_t)n_words++;
}

/* ---- corpus: a sequence of word ids, UINT32_MAX between sentences ---- */
static uint32_t *corpus;
static size_t corpus_len, corpus_cap;

static void corpus_push(uint32_t id)
{
    if (corpus_len == corpus_cap) {
        corpus_cap = corpus_cap ? corpus_cap * 2 : 1 << 20;
        corpus = realloc(corpus, corpus_cap * sizeof *corpus);
        if (!corpus) die("out of memory");
    }
    corpus[corpus_len++] = id;
}

static kh_buf norm;

/* A token, or (NULL, 0) at a line's end, which ends a sentence. */
static void add_token(void *arg, const char *s, size_t n)
{
    (void)arg;
    if (!s) {
        if (corpus_len && corpus[corpus_len - 1] != UINT32_MAX) corpus_push(UINT32_MAX);
        return;
    }
    norm.len = 0;
    if (kh_normalize_append(&norm, s, n, KHABAR_FOLD_ALL)) die("out of memory");
    if (norm.len == 0) return;
    corpus_push(word_id(norm.data, norm.len));
}

/* ---- exchange clustering ---- */

/* Neighbour lists: for item w, (other item, count) pairs. */
typedef struct {
    uint32_t *start; /* n_items + 1 offsets */
    uint32_t *other;
    uint32_t *count;
} adjacency;

static uint32_t n_items;     /* frequent words, then the rare item, then the boundary item */
static uint32_t *item_count; /* occurrences */
static adjacency right_of, left_of;
static double *xlogx_table;
static size_t xlogx_size;

static double xlogx(int64_t x)
{
    if (x <= 0) return 0;
    if ((size_t)x < xlogx_size) return xlogx_table[x];
    return (double)x * log((double)x);
}

typedef struct {
    uint64_t key; /* a << 32 | b */
    uint32_t count;
} pair;

static int cmp_pair(const void *x, const void *y)
{
    uint64_t a = ((const pair *)x)->key, b = ((const pair *)y)->key;
    return a < b ? -1 : a > b;
}

static void build_adjacency(adjacency *adj, pair *pairs, size_t n, int swap)
{
    for (size_t i = 0; i < n; i++)
        if (swap) pairs[i].key = (pairs[i].key << 32) | (pairs[i].key >> 32);
    qsort(pairs, n, sizeof *pairs, cmp_pair);
    adj->start = xcalloc(n_items + 1, sizeof *adj->start);
    adj->other = xmalloc(n * sizeof *adj->other);
    adj->count = xmalloc(n * sizeof *adj->count);
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        uint32_t c = 0;
        while (j < n && pairs[j].key == pairs[i].key) c += pairs[j].count, j++;
        uint32_t a = (uint32_t)(pairs[i].key >> 32);
        adj->other[m] = (uint32_t)pairs[i].key;
        adj->count[m] = c;
        adj->start[a + 1]++;
        m++;
        i = j;
    }
    for (uint32_t a = 0; a < n_items; a++) adj->start[a + 1] += adj->start[a];
}

static uint32_t *cluster(uint32_t C, uint32_t clustered, int max_iter)
{
    /* Items [0, clustered) move; the rare and boundary items keep classes
     * of their own (C and C + 1), so the matrix is (C + 2)^2. */
    uint32_t K = C + 2;
    uint32_t *cls = xmalloc(n_items * sizeof *cls);
    for (uint32_t w = 0; w < clustered; w++) cls[w] = w % C;
    for (uint32_t w = clustered; w < n_items; w++) cls[w] = C + (w - clustered);
    int64_t *M = xcalloc((size_t)K * K, sizeof *M);
    int64_t *N = xcalloc(K, sizeof *N);
    for (uint32_t a = 0; a < n_items; a++) {
        N[cls[a]] += item_count[a];
        for (uint32_t k = right_of.start[a]; k < right_of.start[a + 1]; k++)
            M[(size_t)cls[a] * K + cls[right_of.other[k]]] += right_of.count[k];
    }
    int64_t *L = xcalloc(K, sizeof *L), *R = xcalloc(K, sizeof *R);
    uint32_t *nzl = xmalloc(K * sizeof *nzl), *nzr = xmalloc(K * sizeof *nzr);
    for (int iter = 0; iter < max_iter; iter++) {
        uint32_t moved = 0;
        for (uint32_t w = 0; w < clustered; w++) {
            uint32_t nl = 0, nr = 0;
            int64_t self = 0;
            for (uint32_t k = left_of.start[w]; k < left_of.start[w + 1]; k++) {
                uint32_t o = left_of.other[k];
                if (o == w) { self = left_of.count[k]; continue; }
                uint32_t c = cls[o];
                if (!L[c]) nzl[nl++] = c;
                L[c] += left_of.count[k];
            }
            for (uint32_t k = right_of.start[w]; k < right_of.start[w + 1]; k++) {
                uint32_t o = right_of.other[k];
                if (o == w) continue;
                uint32_t c = cls[o];
                if (!R[c]) nzr[nr++] = c;
                R[c] += right_of.count[k];
            }
            uint32_t from = cls[w];
            int64_t n = item_count[w];
            /* take w out of its class */
            for (uint32_t i = 0; i < nl; i++) M[(size_t)nzl[i] * K + from] -= L[nzl[i]];
            for (uint32_t i = 0; i < nr; i++) M[(size_t)from * K + nzr[i]] -= R[nzr[i]];
            M[(size_t)from * K + from] -= self;
            N[from] -= n;
            double best = -INFINITY;
            uint32_t best_c = from;
            for (uint32_t c = 0; c < C; c++) {
                double d = 0;
                for (uint32_t i = 0; i < nl; i++) {
                    uint32_t e = nzl[i];
                    if (e == c) continue;
                    int64_t m = M[(size_t)e * K + c];
                    d += xlogx(m + L[e]) - xlogx(m);
                }
                for (uint32_t i = 0; i < nr; i++) {
                    uint32_t e = nzr[i];
                    if (e == c) continue;
                    int64_t m = M[(size_t)c * K + e];
                    d += xlogx(m + R[e]) - xlogx(m);
                }
                int64_t mcc = M[(size_t)c * K + c];
                d += xlogx(mcc + L[c] + R[c] + self) - xlogx(mcc);
                d -= 2 * (xlogx(N[c] + n) - xlogx(N[c]));
                /* ties keep the word where it was */
                if (d > best + 1e-9 || (c == from && d >= best - 1e-9)) best = d, best_c = c;
            }
            uint32_t to = best_c;
            for (uint32_t i = 0; i < nl; i++) M[(size_t)nzl[i] * K + to] += L[nzl[i]];
            for (uint32_t i = 0; i < nr; i++) M[(size_t)to * K + nzr[i]] += R[nzr[i]];
            /* L and R counted neighbours in `to` as if w were elsewhere: the
             * cell (to, to) got L[to] and R[to] above, which is right, since
             * those neighbours are in `to` and so is w now. */
            M[(size_t)to * K + to] += self;
            N[to] += n;
            if (to != from) cls[w] = to, moved++;
            for (uint32_t i = 0; i < nl; i++) L[nzl[i]] = 0;
            for (uint32_t i = 0; i < nr; i++) R[nzr[i]] = 0;
        }
        double ll = 0;
        for (size_t i = 0; i < (size_t)K * K; i++) ll += xlogx(M[i]);
        for (uint32_t c = 0; c < K; c++) ll -= 2 * xlogx(N[c]);
        fprintf(stderr, "build_clusters: C=%u iteration %d: %u moved, objective %.6g\n", C, iter + 1,
                moved, ll);
        if (moved * 1000u < clustered) break;
    }
    free(M); free(N); free(L); free(R); free(nzl); free(nzr);
    return cls;
}

static int cmp_by_count(const void *x, const void *y)
{
    const entry *a = &table[*(const uint32_t *)x], *b = &table[*(const uint32_t *)y];
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(pool.data + a->offset, pool.data + b->offset, n);
    if (c) return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

int main(int argc, char **argv)
{
    uint32_t min_count = 3, sizes[MAX_SIZES];
    const char *files_from = NULL;
    int n_sizes = 0, max_iter = 20, argi = 1;
    for (; argi < argc && argv[argi][0] == '-' && argv[argi][1] == '-'; argi++) {
        if (argi + 1 >= argc) die("option needs a value");
        if (!strcmp(argv[argi], "--min-count")) min_count = (uint32_t)atoi(argv[++argi]);
        else if (!strcmp(argv[argi], "--iterations")) max_iter = atoi(argv[++argi]);
        else if (!strcmp(argv[argi], "--files-from")) files_from = argv[++argi];
        else if (!strcmp(argv[argi], "--sizes")) {
            char *list = argv[++argi];
            for (char *t = strtok(list, ","); t && n_sizes < MAX_SIZES; t = strtok(NULL, ","))
                sizes[n_sizes++] = (uint32_t)atoi(t);
        } else die("unknown option");
    }
    if (argc - argi < 1 || n_sizes == 0) {
        fprintf(stderr, "usage: build_clusters [--min-count N] [--iterations N] [--files-from LIST] "
                        "--sizes C1,C2,... OUT.tsv [FILE...]\n");
        return 2;
    }
    const char *out_path = argv[argi++];
    for (; argi < argc; argi++) corpus_file(argv[argi], add_token, NULL);
    if (files_from) corpus_files_from(files_from, add_token, NULL, NULL, NULL);
    fprintf(stderr, "build_clusters: %zu tokens, %zu distinct words\n", corpus_len, n_words);

    /* Items: frequent words by falling count, then "rare", then "boundary". */
    uint32_t *by_count = xmalloc(n_words * sizeof *by_count);
    for (size_t i = 0; i < n_words; i++) by_count[i] = word_of_id[i];
    qsort(by_count, n_words, sizeof *by_count, cmp_by_count);
    uint32_t *item_of = xmalloc(n_words * sizeof *item_of);
    uint32_t clustered = 0;
    for (size_t i = 0; i < n_words; i++) {
        entry *e = &table[by_count[i]];
        if (e->count >= min_count) item_of[e->id] = clustered++;
    }
    uint32_t rare = clustered, boundary = clustered + 1;
    n_items = clustered + 2;
    for (size_t i = 0; i < n_words; i++) {
        entry *e = &table[by_count[i]];
        if (e->count < min_count) item_of[e->id] = rare;
    }
    item_count = xcalloc(n_items, sizeof *item_count);
    pair *pairs = xmalloc(corpus_len * sizeof *pairs);
    size_t n_pairs = 0;
    uint32_t prev = boundary;
    for (size_t i = 0; i < corpus_len; i++) {
        uint32_t cur = corpus[i] == UINT32_MAX ? boundary : item_of[corpus[i]];
        item_count[cur]++;
        if (!(cur == boundary && prev == boundary)) {
            pairs[n_pairs].key = (uint64_t)prev << 32 | cur;
            pairs[n_pairs].count = 1;
            n_pairs++;
        }
        prev = cur;
    }
    fprintf(stderr, "build_clusters: clustering %u words seen at least %u times\n", clustered,
            min_count);
    build_adjacency(&right_of, pairs, n_pairs, 0);
    build_adjacency(&left_of, pairs, n_pairs, 1);
    free(pairs);
    xlogx_size = corpus_len + 2;
    if (xlogx_size > (1u << 24)) xlogx_size = 1u << 24;
    xlogx_table = xmalloc(xlogx_size * sizeof *xlogx_table);
    xlogx_table[0] = 0;
    for (size_t i = 1; i < xlogx_size; i++) xlogx_table[i] = (double)i * log((double)i);

    uint32_t *classes[MAX_SIZES];
    for (int s = 0; s < n_sizes; s++) classes[s] = cluster(sizes[s], clustered, max_iter);

    FILE *out = fopen(out_path, "w");
    if (!out) { perror(out_path); return 1; }
    fprintf(out, "#clusters");
    for (int s = 0; s < n_sizes; s++) fprintf(out, "\t%u", sizes[s]);
    fputc('\n', out);
    for (size_t i = 0; i < n_words; i++) {
        entry *e = &table[by_count[i]];
        if (e->count < min_count) break;
        /* tabs and newlines never occur inside a token */
        fprintf(out, "%.*s\t%u", (int)e->len, pool.data + e->offset, e->count);
        for (int s = 0; s < n_sizes; s++) fprintf(out, "\t%u", classes[s][item_of[e->id]]);
        fputc('\n', out);
    }
    if (fclose(out)) { perror(out_path); return 1; }
    for (int s = 0; s < n_sizes; s++) free(classes[s]);
    free(by_count); free(item_of); free(item_count); free(corpus); free(table); free(word_of_id);
    free(right_of.start); free(right_of.other); free(right_of.count);
    free(left_of.start); free(left_of.other); free(left_of.count);
    free(xlogx_table); kh_buf_free(&pool); kh_buf_free(&norm);
    return 0;
}
