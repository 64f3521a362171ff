/* dedup_eval: measures khabar's near-duplicate clustering on a JSON-lines
 * corpus against two references computed here without MinHash:
 *
 * - exact duplicates: records whose texts are equal once normalised
 *   (khabar_normalize, KHABAR_FOLD_ALL) with whitespace runs made one
 *   space; every such group must land in one cluster;
 * - near duplicates: pairs whose exact Jaccard similarity of word-shingle
 *   sets reaches the threshold.  Pairs are gathered with a deliberately
 *   loose LSH (2 rows a band: any pair above 0.5 is a candidate with
 *   probability over 0.999) and their Jaccard similarity computed exactly.
 *
 * It prints pair precision, recall and F1 against the second reference, the
 * recall of the first, and a seeded random sample of found pairs that are
 * not exact duplicates, with their texts' openings and the words only one
 * side has, for checking by reading.
 *
 * usage: dedup_eval [--threshold T] [--shingle K] [--perms N] [--bands B]
 *                   [--rows R] [--sample N] [--sample-below J] [--seed S]
 *                   FILE.jsonl
 * --sample-below J samples only found pairs whose exact Jaccard is below J.
 *
 *        dedup_eval --sentences [--sentence-threshold T] [--skip K] [--limit N]
 *                   FILE.jsonl | ARTICLE.txt
 * prints the sentence pairs kh_sentence_duplicates flags in each article
 * (records K+1 to K+N of a JSON-lines file), for reading, with counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"

typedef struct corpus {
    kh_vec texts;    /* char * (normalised, for display) */
    kh_vec ids;      /* char * (JSON) */
    kh_vec shingles; /* kh_vec of uint64_t, sorted unique */
    kh_vec exact;    /* uint64_t: hash of whitespace-collapsed normalised text */
} corpus;

typedef struct pair {
    uint32_t a, b;
    double jaccard;
} pair;

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

static int cmp_pair(const void *pa, const void *pb)
{
    const pair *a = pa, *b = pb;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static double jaccard(const kh_vec *x, const kh_vec *y)
{
    const uint64_t *a = x->data, *b = y->data;
    size_t i = 0, j = 0, both = 0;
    while (i < x->len && j < y->len) {
        if (a[i] == b[j]) { both++; i++; j++; }
        else if (a[i] < b[j]) i++;
        else j++;
    }
    size_t either = x->len + y->len - both;
    return either ? (double)both / (double)either : 0;
}

/* The text with whitespace runs made one space, trimmed. */
static char *collapse(const char *s, size_t n, size_t *out_len)
{
    char *o = malloc(n + 1);
    if (!o) return NULL;
    size_t k = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') { space = 1; continue; }
        if (space && k) o[k++] = ' ';
        space = 0;
        o[k++] = c;
    }
    o[k] = '\0';
    *out_len = k;
    return o;
}

static uint64_t rng_state;
static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Words (by whitespace) of one text that the other lacks, up to `max`. */
static void print_only_in(const char *label, const char *x, const char *y, int max)
{
    printf("    only in %s:", label);
    int shown = 0;
    const char *p = x;
    while (*p && shown < max) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ' ') e++;
        if (e == p) break;
        size_t n = (size_t)(e - p);
        int found = 0;
        for (const char *q = y; *q && !found;) {
            while (*q == ' ') q++;
            const char *f = q;
            while (*f && *f != ' ') f++;
            if ((size_t)(f - q) == n && memcmp(p, q, n) == 0) found = 1;
            q = f;
        }
        if (!found) { printf(" %.*s", (int)n, p); shown++; }
        p = e;
    }
    putchar('\n');
}

static void print_opening(const char *label, const char *t, size_t max_bytes)
{
    size_t n = strlen(t);
    if (n > max_bytes) {
        n = max_bytes;
        while (n && ((unsigned char)t[n] & 0xC0) == 0x80) n--; /* whole code points */
    }
    printf("    %s: %.*s%s\n", label, (int)n, t, strlen(t) > n ? " ..." : "");
}

/* --sentences: the in-article pairs of each article (a JSON-lines file, or
 * one plain-text article), printed for reading, with counts. */
static void print_sentence(const khabar_doc *d, size_t i)
{
    const khabar_sentence *s = khabar_doc_sentence(d, i);
    printf("    %zu: %.*s\n", i, (int)s->span.text_len, s->span.text);
}

static int eval_sentences(const char *path, double threshold, size_t skip, size_t limit)
{
    khabar_model *model;
    khabar_analyzer *an;
    if (khabar_model_new(&model, NULL) || khabar_analyzer_new(model, &an, NULL)) return 2;
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return 2; }
    size_t plen = strlen(path);
    int jsonl = plen > 6 && !strcmp(path + plen - 6, ".jsonl");
    char *line = NULL;
    size_t cap = 0, articles = 0, seen = 0, sentences = 0, compared = 0, flagged = 0, with_pairs = 0;
    ssize_t got;
    kh_vec pairs = {0};
    for (;;) {
        khabar_doc *d = NULL;
        if (jsonl) {
            if ((got = getline(&line, &cap, f)) < 0) break;
            size_t len = (size_t)got;
            while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
            if (khabar_analyze_record(an, line, len, NULL, &d, NULL)) continue;
            if (seen++ < skip) { khabar_doc_free(d); continue; }
        } else {
            size_t len = 0;
            cap = 1 << 20;
            line = malloc(cap);
            if (!line) return 2;
            len = fread(line, 1, cap, f);
            if (khabar_analyze(an, line, len, NULL, &d, NULL)) return 2;
        }
        articles++;
        size_t ns = khabar_doc_sentence_count(d);
        sentences += ns;
        compared += ns * (ns - (ns > 0)) / 2;
        pairs.len = 0;
        if (kh_sentence_duplicates(model, d, threshold, &pairs, NULL)) return 2;
        const kh_sentence_pair *p = pairs.data;
        if (pairs.len) {
            with_pairs++;
            /* the record's id, as the doc's JSON begins with it */
            const char *json = khabar_doc_json(d, 0, NULL);
            const char *id = json ? strstr(json, "\"id\":") : NULL;
            int id_len = 0;
            if (id) {
                id += 5;
                while (id[id_len] && id[id_len] != ',') id_len++;
            }
            printf("\n== article %zu %.*s\n", articles, id_len, id ? id : "");
        }
        for (size_t i = 0; i < pairs.len; i++) {
            printf("  [%zu] similarity %.3f\n", ++flagged, p[i].similarity);
            print_sentence(d, p[i].a);
            print_sentence(d, p[i].b);
        }
        khabar_doc_free(d);
        if (!jsonl || articles == limit) break;
    }
    printf("\n%zu articles, %zu sentences, %zu sentence pairs; %zu pairs flagged in %zu articles "
           "(threshold %.2f)\n", articles, sentences, compared, flagged, with_pairs, threshold);
    kh_vec_free(&pairs);
    free(line);
    fclose(f);
    khabar_analyzer_free(an);
    khabar_model_free(model);
    return 0;
}

int main(int argc, char **argv)
{
    kh_dedup_params p;
    kh_dedup_params_init(&p);
    size_t sample = 40;
    double sample_below = 2; /* sample only pairs with exact Jaccard below this */
    uint64_t seed = 1;
    const char *path = NULL;
    int sentences_mode = 0;
    double sentence_threshold = KH_SENTENCE_DUPLICATE_THRESHOLD;
    size_t skip = 0, limit = 300;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 < argc && !strcmp(a, "--threshold")) p.threshold = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--shingle")) p.shingle = (unsigned)atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--perms")) p.perms = (unsigned)atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--bands")) p.bands = (unsigned)atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--rows")) p.rows = (unsigned)atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--sample")) sample = (size_t)atol(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--sample-below")) sample_below = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--seed")) seed = (uint64_t)atoll(argv[++i]);
        else if (!strcmp(a, "--sentences")) sentences_mode = 1;
        else if (i + 1 < argc && !strcmp(a, "--sentence-threshold")) sentence_threshold = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--skip")) skip = (size_t)atol(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--limit")) limit = (size_t)atol(argv[++i]);
        else if (a[0] != '-' && !path) path = a;
        else { fprintf(stderr, "usage: dedup_eval [OPTIONS] FILE.jsonl (see the source)\n"); return 2; }
    }
    if (!path) { fprintf(stderr, "usage: dedup_eval [OPTIONS] FILE.jsonl\n"); return 2; }
    if (sentences_mode) return eval_sentences(path, sentence_threshold, skip, limit);
    rng_state = seed;
    khabar_error err;
    kh_dedup *d;
    if (kh_dedup_new(&p, &d, &err) || kh_dedup_params_resolve(&p, &err)) {
        fprintf(stderr, "dedup_eval: %s\n", err.message);
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return 2; }

    corpus c = {0};
    kh_record_buffers text = {0};
    kh_buf scratch = {0}, norm = {0};
    kh_vec words = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        kh_dedup_record rec;
        if (kh_dedup_parse_record(line, len, &text, &rec, &err)) continue;
        words.len = 0;
        if (kh_dedup_words(&scratch, &words, rec.text, rec.text_len)) return 2;
        if (kh_dedup_add_words(d, rec.id, rec.id_len, words.data, words.len, &err)) continue;
        /* the same document number in both */
        norm.len = 0;
        if (kh_normalize_append(&norm, rec.text, rec.text_len, KHABAR_FOLD_ALL)) return 2;
        size_t clen = 0;
        char *collapsed = collapse(norm.data ? norm.data : "", norm.len, &clen);
        char *id = strndup(rec.id, rec.id_len);
        kh_vec sh = {0};
        const uint64_t *w = words.data;
        size_t k = words.len < p.shingle ? words.len : p.shingle;
        for (size_t i = 0; i + k <= words.len; i++) {
            uint64_t *slot = kh_vec_push(&sh, sizeof *slot);
            if (!slot) return 2;
            *slot = kh_hash(w + i, k * sizeof *w);
        }
        qsort(sh.data, sh.len, sizeof(uint64_t), cmp_u64);
        size_t u = 0;
        for (size_t i = 0; i < sh.len; i++)
            if (!u || ((uint64_t *)sh.data)[u - 1] != ((uint64_t *)sh.data)[i])
                ((uint64_t *)sh.data)[u++] = ((uint64_t *)sh.data)[i];
        sh.len = u;
        char **tslot = kh_vec_push(&c.texts, sizeof(char *));
        char **islot = kh_vec_push(&c.ids, sizeof(char *));
        kh_vec *sslot = kh_vec_push(&c.shingles, sizeof(kh_vec));
        uint64_t *eslot = kh_vec_push(&c.exact, sizeof(uint64_t));
        if (!collapsed || !id || !tslot || !islot || !sslot || !eslot) return 2;
        *tslot = collapsed;
        *islot = id;
        *sslot = sh;
        *eslot = kh_hash(collapsed, clen) ^ (uint64_t)clen; /* length too: two ways to collide */
    }
    fclose(f);
    free(line);
    size_t n = c.texts.len;
    if (kh_dedup_cluster_all(d, &err)) { fprintf(stderr, "dedup_eval: %s\n", err.message); return 2; }
    char **texts = c.texts.data, **ids = c.ids.data;
    kh_vec *shingles = c.shingles.data;
    uint64_t *exact = c.exact.data;

    /* Exact-duplicate groups: sort document numbers by text hash. */
    uint64_t *order = malloc((n ? n : 1) * 2 * sizeof *order);
    if (!order) return 2;
    size_t groups = 0, grouped_docs = 0, groups_whole = 0, exact_pairs = 0, exact_pairs_found = 0;
    {
        /* (hash, doc) pairs sorted by hash then doc */
        typedef struct { uint64_t h; uint64_t doc; } hd;
        hd *v = (hd *)order;
        for (size_t i = 0; i < n; i++) { v[i].h = exact[i]; v[i].doc = i; }
        qsort(v, n, sizeof *v, cmp_u64); /* compares h only: ties in any order */
        for (size_t s = 0, e; s < n; s = e) {
            for (e = s + 1; e < n && v[e].h == v[s].h; e++) {}
            if (e - s < 2) continue;
            groups++;
            grouped_docs += e - s;
            size_t cl = kh_dedup_cluster_of(d, v[s].doc);
            int whole = cl != SIZE_MAX;
            for (size_t i = s; i < e; i++) {
                if (kh_dedup_cluster_of(d, v[i].doc) != cl) whole = 0;
                for (size_t j = i + 1; j < e; j++) {
                    exact_pairs++;
                    size_t ci = kh_dedup_cluster_of(d, v[i].doc);
                    if (ci != SIZE_MAX && ci == kh_dedup_cluster_of(d, v[j].doc)) exact_pairs_found++;
                }
            }
            if (whole) groups_whole++;
        }
    }
    free(order);

    /* Reference near-duplicate pairs via a loose LSH over the signatures. */
    kh_vec cand = {0};
    size_t skipped_buckets = 0;
    {
        typedef struct { uint64_t key; uint32_t doc; } entry;
        entry *e = malloc((n ? n : 1) * sizeof *e);
        if (!e) return 2;
        unsigned rows = 2, bands = p.perms / rows;
        for (unsigned band = 0; band < bands; band++) {
            for (size_t i = 0; i < n; i++) {
                e[i].key = kh_hash(kh_dedup_signature(d, i) + band * rows, rows * sizeof(kh_minhash_value));
                e[i].doc = (uint32_t)i;
            }
            qsort(e, n, sizeof *e, cmp_u64);
            for (size_t s = 0, t; s < n; s = t) {
                for (t = s + 1; t < n && e[t].key == e[s].key; t++) {}
                if (t - s > 400) { skipped_buckets++; continue; } /* reported below */
                for (size_t i = s; i < t; i++)
                    for (size_t j = i + 1; j < t; j++) {
                        pair *q = kh_vec_push(&cand, sizeof *q);
                        if (!q) return 2;
                        q->a = e[i].doc < e[j].doc ? e[i].doc : e[j].doc;
                        q->b = e[i].doc < e[j].doc ? e[j].doc : e[i].doc;
                    }
            }
        }
        free(e);
    }
    pair *cp = cand.data;
    qsort(cp, cand.len, sizeof *cp, cmp_pair);
    size_t u = 0;
    for (size_t i = 0; i < cand.len; i++)
        if (!u || cp[u - 1].a != cp[i].a || cp[u - 1].b != cp[i].b) cp[u++] = cp[i];
    cand.len = u;
    size_t truth = 0, truth_found = 0;
    for (size_t i = 0; i < cand.len; i++) {
        cp[i].jaccard = jaccard(&shingles[cp[i].a], &shingles[cp[i].b]);
        if (cp[i].jaccard + 1e-12 < p.threshold) continue;
        truth++;
        size_t ca = kh_dedup_cluster_of(d, cp[i].a);
        if (ca != SIZE_MAX && ca == kh_dedup_cluster_of(d, cp[i].b)) truth_found++;
    }

    /* Found pairs: every pair inside a cluster. */
    size_t found = 0, found_true = 0, found_chained = 0, found_near = 0, found_exact = 0;
    kh_vec inexact = {0};
    for (size_t i = 0; i < kh_dedup_cluster_count(d); i++) {
        const kh_dedup_cluster *cl = kh_dedup_cluster_at(d, i);
        for (size_t x = 0; x < cl->count; x++)
            for (size_t y = x + 1; y < cl->count; y++) {
                uint32_t a = cl->members[x], b = cl->members[y];
                double j = jaccard(&shingles[a], &shingles[b]);
                found++;
                if (j + 1e-12 >= p.threshold) found_true++;
                else if (kh_minhash_similarity(kh_dedup_signature(d, a), kh_dedup_signature(d, b), p.perms) + 1e-9 < p.threshold) found_chained++;
                if (j + 1e-12 >= p.threshold - 0.1) found_near++;
                if (exact[a] == exact[b]) { found_exact++; continue; }
                if (j >= sample_below) continue;
                pair *q = kh_vec_push(&inexact, sizeof *q);
                if (!q) return 2;
                q->a = a; q->b = b; q->jaccard = j;
            }
    }
    double prec = found ? (double)found_true / (double)found : 1;
    double rec = truth ? (double)truth_found / (double)truth : 1;
    const kh_dedup_stats *st = kh_dedup_get_stats(d);
    printf("corpus: %zu records with words; shingle %u, %u perms, %u bands x %u rows, threshold %.2f\n",
           n, p.shingle, p.perms, p.bands, p.rows, p.threshold);
    printf("clusters: %zu holding %zu pairs (%zu exact duplicates); %zu comparisons\n",
           kh_dedup_cluster_count(d), found, found_exact, st->compared);
    printf("exact duplicates: %zu groups of %zu records; %zu groups (%.4f) wholly in one cluster; "
           "pairs recovered %zu/%zu (%.4f)\n",
           groups, grouped_docs, groups_whole, groups ? (double)groups_whole / (double)groups : 1,
           exact_pairs_found, exact_pairs, exact_pairs ? (double)exact_pairs_found / (double)exact_pairs : 1);
    printf("vs exact shingle Jaccard >= %.2f: %zu reference pairs (from %zu loose candidates)\n",
           p.threshold, truth, cand.len);
    if (skipped_buckets) printf("  (%zu loose buckets over 400 records skipped: the reference misses their pairs)\n", skipped_buckets);
    printf("  precision %.4f (%zu/%zu)  recall %.4f (%zu/%zu)  F1 %.4f\n", prec, found_true, found, rec,
           truth_found, truth, prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0);
    printf("  of the %zu found pairs below the threshold, %zu are below it by their own estimate (joined through others)\n",
           found - found_true, found_chained);
    printf("  found pairs with exact Jaccard >= %.2f: %.4f\n", p.threshold - 0.1,
           found ? (double)found_near / (double)found : 1);

    pair *ip = inexact.data;
    size_t m = inexact.len, show = sample < m ? sample : m;
    printf("\nsample: %zu of %zu found pairs that are not exact duplicates (seed %llu)\n", show, m,
           (unsigned long long)seed);
    for (size_t i = 0; i < show; i++) { /* partial Fisher-Yates */
        size_t j = i + (size_t)(rng() % (m - i));
        pair t = ip[i]; ip[i] = ip[j]; ip[j] = t;
        const kh_minhash_value *sa = kh_dedup_signature(d, ip[i].a), *sb = kh_dedup_signature(d, ip[i].b);
        printf("\n[%zu] %s %s  estimated %.3f  exact %.3f\n", i + 1, ids[ip[i].a], ids[ip[i].b],
               kh_minhash_similarity(sa, sb, p.perms), ip[i].jaccard);
        print_opening("A", texts[ip[i].a], 400);
        print_opening("B", texts[ip[i].b], 400);
        print_only_in("A", texts[ip[i].a], texts[ip[i].b], 25);
        print_only_in("B", texts[ip[i].b], texts[ip[i].a], 25);
    }

    for (size_t i = 0; i < n; i++) { free(texts[i]); free(ids[i]); kh_vec_free(&shingles[i]); }
    kh_vec_free(&c.texts); kh_vec_free(&c.ids); kh_vec_free(&c.shingles); kh_vec_free(&c.exact);
    kh_vec_free(&cand); kh_vec_free(&inexact); kh_vec_free(&words);
    kh_record_buffers_free(&text); kh_buf_free(&scratch); kh_buf_free(&norm);
    kh_dedup_free(d);
    return 0;
}
