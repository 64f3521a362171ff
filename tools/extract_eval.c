/* Scores HTML article extraction on the scrapinghub article-extraction
 * benchmark (../shared/data/html/scrapinghub), khabar beside trafilatura
 * and Readability.js, with the benchmark's own metric:
 *   - words are \w+ runs (Python's: letters, digits and '_' of any script);
 *   - a page's shingles are its word 4-grams (its whole word list when it
 *     has fewer than four), with counts; tp = sum of min(gold, predicted),
 *     fp and fn the excess on each side, then tp, fp, fn over their sum;
 *   - precision = mean over pages of tp / (tp + fp) (pages with a
 *     prediction), recall likewise with fn; a page with fp = fn = 0 scores 1;
 *     F1 from the two means.
 * Pages are split before any development by the first hex digit of their
 * name: c-f held out (48 pages), the rest for development (83 pages).
 *
 * usage: extract_eval DIR                 the table (dev, held-out, both)
 *        extract_eval DIR --pages         dev pages, worst first, for reading errors
 *        extract_eval DIR --show NAME     khabar's text of a dev page
 *        extract_eval DIR --gold NAME     the gold text of a dev page */
#define TOOL_NAME "extract_eval"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <utf8proc.h>
#include <xxhash.h>
#include <zlib.h>

#include "khabar.h"
#include "tool.h"

static int held_out(const char *name) { return name[0] >= 'c' && name[0] <= 'f'; }

static int word_char(uint32_t cp)
{
    if (cp == '_') return 1;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

typedef struct words {
    size_t *start, *len, n, cap;
} words;

static void tokenize(const char *s, size_t n, words *w)
{
    w->n = 0;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { i++; continue; }
        if (!word_char((uint32_t)cp)) { i += (size_t)k; continue; }
        size_t a = i;
        while (i < n) {
            k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
            if (k <= 0 || !word_char((uint32_t)cp)) break;
            i += (size_t)k;
        }
        if (w->n == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 256;
            w->start = xrealloc(w->start, w->cap * sizeof *w->start);
            w->len = xrealloc(w->len, w->cap * sizeof *w->len);
        }
        w->start[w->n] = a;
        w->len[w->n++] = i - a;
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The sorted hashes of a text's shingles. */
static uint64_t *shingles(const char *s, size_t n, size_t *count)
{
    static words w;
    tokenize(s, n, &w);
    size_t k = w.n == 0 ? 0 : w.n < 4 ? 1 : w.n - 3;
    uint64_t *h = xmalloc((k ? k : 1) * sizeof *h);
    for (size_t i = 0; i < k; i++) {
        XXH64_state_t *st = XXH64_createState();
        XXH64_reset(st, 0);
        for (size_t j = i; j < i + 4 && j < w.n; j++) {
            XXH64_update(st, s + w.start[j], w.len[j]);
            XXH64_update(st, "\x1f", 1);
        }
        h[i] = XXH64_digest(st);
        XXH64_freeState(st);
    }
    qsort(h, k, sizeof *h, cmp_u64);
    *count = k;
    return h;
}

typedef struct score {
    double tp, fp, fn;
} score;

static score match(const char *gold, const char *pred)
{
    size_t ng, np;
    uint64_t *g = shingles(gold, strlen(gold), &ng), *p = shingles(pred, strlen(pred), &np);
    double tp = 0, fp = 0, fn = 0;
    size_t i = 0, j = 0;
    while (i < ng || j < np) {
        if (j == np || (i < ng && g[i] < p[j])) { fn++; i++; }
        else if (i == ng || p[j] < g[i]) { fp++; j++; }
        else { tp++; i++; j++; }
    }
    free(g);
    free(p);
    score s = {tp, fp, fn};
    double sum = tp + fp + fn;
    if (sum > 0) { s.tp /= sum; s.fp /= sum; s.fn /= sum; }
    return s;
}

static double precision_of(score s) { return s.fp == 0 && s.fn == 0 ? 1 : s.tp == 0 && s.fp == 0 ? 0 : s.tp / (s.tp + s.fp); }
static double recall_of(score s) { return s.fp == 0 && s.fn == 0 ? 1 : s.tp == 0 && s.fn == 0 ? 0 : s.tp / (s.tp + s.fn); }

typedef struct tally {
    double p, r;
    size_t np, nr;
} tally;

static void add(tally *t, score s)
{
    if (s.tp + s.fp > 0) { t->p += precision_of(s); t->np++; }
    if (s.tp + s.fn > 0) { t->r += recall_of(s); t->nr++; }
}

static void print_cell(const tally *t)
{
    double p = t->np ? t->p / (double)t->np : 0, r = t->nr ? t->r / (double)t->nr : 0;
    printf(" %.3f | %.3f | **%.3f** |", p, r, p + r > 0 ? 2 * p * r / (p + r) : 0);
}

static char *read_gz(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = xmalloc(cap);
    int got;
    while ((got = gzread(f, buf + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)got;
        if (n == cap) buf = xrealloc(buf, cap *= 2);
    }
    gzclose(f);
    *len = n;
    return buf;
}

static const char *body_of(json_t *outputs, const char *name)
{
    const char *s = json_string_value(json_object_get(json_object_get(outputs, name), "articleBody"));
    return s ? s : "";
}

static json_t *load(const char *dir, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j) { fprintf(stderr, TOOL_NAME ": %s: %s\n", path, e.text); exit(1); }
    return j;
}

/* khabar's text of a page, malloc'd; adds the CPU time to *seconds. */
static char *extract(const char *dir, const char *name, double *seconds, size_t *bytes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/html/%s.html.gz", dir, name);
    size_t len;
    char *html = read_gz(path, &len);
    if (!html) { fprintf(stderr, TOOL_NAME ": cannot read %s\n", path); exit(1); }
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    khabar_page *page;
    khabar_error err;
    char *text;
    if (khabar_extract(html, len, NULL, &page, &err) == KHABAR_OK) {
        size_t n;
        const char *t = khabar_page_get(page, KHABAR_PAGE_TEXT, &n);
        text = xmalloc(n + 1);
        memcpy(text, t, n);
        text[n] = '\0';
        khabar_page_free(page);
    } else {
        fprintf(stderr, TOOL_NAME ": %s: %s\n", name, err.message);
        text = xcalloc(1, 1);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    *seconds += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    *bytes += len;
    free(html);
    return text;
}

typedef struct row {
    const char *name;
    double f1;
} row;

static int by_f1(const void *a, const void *b)
{
    double x = ((const row *)a)->f1, y = ((const row *)b)->f1;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 2) die("usage: extract_eval DIR [--pages | --show NAME | --gold NAME]");
    const char *dir = argv[1];
    json_t *gold = load(dir, "ground-truth.json");
    if (argc >= 4 && (!strcmp(argv[2], "--show") || !strcmp(argv[2], "--gold"))) {
        if (held_out(argv[3])) die("that page is held out: it is scored, never read");
        if (!json_object_get(gold, argv[3])) die("no such page");
        double sec = 0;
        size_t bytes = 0;
        if (!strcmp(argv[2], "--gold")) puts(body_of(gold, argv[3]));
        else { char *t = extract(dir, argv[3], &sec, &bytes); puts(t); free(t); }
        json_decref(gold);
        return 0;
    }
    int pages = argc >= 3 && !strcmp(argv[2], "--pages");
    static const char *const systems[] = {"khabar", "trafilatura", "readability_js"};
    json_t *outputs[3] = {NULL, load(dir, "output/trafilatura.json"), load(dir, "output/readability_js.json")};
    tally t[3][3] = {{{0}}}; /* system × (dev, held-out, all) */
    double seconds = 0;
    size_t bytes = 0, count = 0, ndev = 0, nheld = 0;
    row *rows = xcalloc(json_object_size(gold), sizeof *rows);
    size_t nrows = 0;
    const char *name;
    json_t *g;
    json_object_foreach(gold, name, g) {
        const char *truth = body_of(gold, name);
        int split = held_out(name);
        if (split) nheld++; else ndev++;
        for (int s = 0; s < 3; s++) {
            char *mine = s == 0 ? extract(dir, name, &seconds, &bytes) : NULL;
            score sc = match(truth, s == 0 ? mine : body_of(outputs[s], name));
            add(&t[s][split], sc);
            add(&t[s][2], sc);
            if (s == 0 && !split) {
                double p = precision_of(sc), r = recall_of(sc);
                rows[nrows].name = name;
                rows[nrows++].f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
            }
            free(mine);
        }
        count++;
    }
    if (pages) {
        qsort(rows, nrows, sizeof *rows, by_f1);
        for (size_t i = 0; i < nrows; i++) printf("%.3f %s\n", rows[i].f1, rows[i].name);
    } else {
        printf("| system | dev P (%zu pages) | dev R | dev F1 | held-out P (%zu pages) | held-out R | held-out F1 | all P | all R | all F1 |\n",
               ndev, nheld);
        printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int s = 0; s < 3; s++) {
            printf("| %s |", systems[s]);
            for (int split = 0; split < 3; split++) print_cell(&t[s][split]);
            printf("\n");
        }
        printf("\nkhabar: %zu pages, %.1f MB of HTML in %.2f s of CPU: %.0f pages/s, %.1f MB/s\n", count,
               (double)bytes / 1e6, seconds, (double)count / seconds, (double)bytes / 1e6 / seconds);
    }
    free(rows);
    json_decref(gold);
    json_decref(outputs[1]);
    json_decref(outputs[2]);
    return 0;
}
