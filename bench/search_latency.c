/*
 * search_latency: the archive's query latency on an index of a whole
 * corpus (issue 12), over two sets of queries drawn from its titles:
 *   typed     1 to 3 consecutive words of a title, as a user types them
 *             (all required, the query language's default)
 *   title-OR  a whole title, its words joined by OR (the known-item
 *             queries of bench/known_item: the worst case, since most of
 *             the corpus matches)
 * each run as the web page asks (top 10 with snippets), and again with
 * facets, on one connection (a server's) and on a new connection for each
 * query (the CLI's); p50, p90, p99 and the mean, in milliseconds of CPU
 * time.
 *
 * usage: search_latency --db FILE [--queries N] [--seed S] [--print-queries]
 *                       [--one-connection] CORPUS.jsonl
 * The database is an archive of that corpus (`khabar index --db FILE
 * --jsonl CORPUS.jsonl`).  --print-queries writes the typed queries, one a
 * line, and stops (bench/serve.sh feeds them to wrk).  --one-connection
 * leaves out the sets on a new connection for each query (the longest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "khabar.h"
#include "khabar_archive.h"
#include "clock.h"

/* Times are CPU time of this thread: on a machine shared with other jobs,
 * wall time measures the others too.  The database is read from the page
 * cache (the typed set runs once before). */
static void die(const char *what, const char *why)
{
    fprintf(stderr, "search_latency: %s: %s\n", what, why);
    exit(2);
}

/* Short function words a user does not type alone. */
static const char *const function_words[] = {
    "في", "من", "على", "إلى", "الى", "عن", "أن", "ان", "إن", "ما", "لا", "مع", "و", "أو", "او",
    "ل", "ب", "هذا", "هذه", "التي", "الذي", "بعد", "قبل", "خلال", "حول", "عبر", "منذ", "بين", NULL};

static int typable(const char *w)
{
    if (strlen(w) < 4) return 0; /* two Arabic letters or fewer */
    for (const char *const *f = function_words; *f; f++)
        if (!strcmp(w, *f)) return 0;
    for (const char *p = w; *p; p++)
        if (strchr("\"()*-=:|.,;!?'", *p)) return 0;
    return 1;
}

static unsigned long long rng_state;
static unsigned long long rng(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng_state >> 33;
}

typedef struct query_set {
    char **q;
    size_t n, cap;
} query_set;

static void push(query_set *s, char *q)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 1024;
        s->q = realloc(s->q, s->cap * sizeof *s->q);
        if (!s->q) die("queries", "out of memory");
    }
    s->q[s->n++] = q;
}

/* The two queries of one title: typed (NULL when it has no typable word)
 * and title-OR. */
static void queries_of(const char *title, char **typed, char **title_or)
{
    size_t n = strlen(title);
    char *clean = malloc(n + 1), *all = malloc(n * 5 + 16), *some = malloc(n + 16);
    char *words[256];
    size_t count = 0;
    if (!clean || !all || !some) die("queries", "out of memory");
    memcpy(clean, title, n + 1);
    char *o = all, *save = NULL;
    for (char *w = strtok_r(clean, " \t\n\r", &save); w && count < 256; w = strtok_r(NULL, " \t\n\r", &save)) {
        if (!strcmp(w, "OR") || !strcmp(w, "AND") || !strcmp(w, "NOT")) continue;
        for (char *p = w; *p; p++)
            if (strchr("\"()*=", *p) || (*p == '-' && p == w)) *p = ' ';
        o += sprintf(o, "%s%s", o == all ? "" : " OR ", w);
        words[count++] = w;
    }
    *o = '\0';
    *title_or = all;
    /* a run of 1-3 typable words from a random start */
    size_t want = 1 + rng() % 3, start = count ? rng() % count : 0, k = 0;
    some[0] = '\0';
    for (size_t i = 0; i < count && k < want; i++) {
        const char *w = words[(start + i) % count];
        if (!typable(w)) {
            if (k) break;
            continue;
        }
        if (k) strcat(some, " ");
        strcat(some, w);
        k++;
    }
    if (k) *typed = some;
    else {
        *typed = NULL;
        free(some);
    }
    free(clean);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs the set on `ar`, or with `ar` NULL on a new connection to `db` for
 * each query (as the CLI searches: the facets then come from the tables,
 * since a connection reads the facet columns into memory only when it
 * asks for facets again). */
static void run(khabar_archive *ar, const char *db, const char *name, const query_set *s, unsigned flags, int quiet)
{
    double *lat = malloc(s->n * sizeof *lat), sum = 0;
    size_t failed = 0, hits = 0;
    if (!lat) die("run", "out of memory");
    for (size_t i = 0; i < s->n; i++) {
        khabar_query q = {0};
        q.text = s->q[i];
        q.limit = 10;
        q.flags = flags;
        khabar_results *r = NULL;
        khabar_error err;
        khabar_archive *fresh = NULL;
        if (!ar && khabar_archive_open(db, KHABAR_ARCHIVE_READONLY, &fresh, &err)) die(db, err.message);
        double t0 = bench_clock(CLOCK_THREAD_CPUTIME_ID);
        if (khabar_archive_search(ar ? ar : fresh, &q, &r, &err)) {
            if (failed++ < 3) fprintf(stderr, "search_latency: '%s': %s\n", s->q[i], err.message);
        } else {
            hits += khabar_results_total(r);
        }
        lat[i] = bench_clock(CLOCK_THREAD_CPUTIME_ID) - t0;
        sum += lat[i];
        khabar_results_free(r);
        khabar_archive_close(fresh);
    }
    qsort(lat, s->n, sizeof *lat, cmp_double);
    if (quiet) {
        free(lat);
        return;
    }
    printf("| %s | %s%s | %.1f | %.1f | %.1f | %.1f | %zu |\n", name,
           flags & KHABAR_QUERY_FACETS ? "top 10, snippets, facets" : "top 10, snippets",
           ar ? "" : ", a new connection each",
           1e3 * lat[s->n / 2], 1e3 * lat[s->n * 9 / 10], 1e3 * lat[s->n * 99 / 100], 1e3 * sum / (double)s->n,
           hits / s->n);
    if (failed) printf("%zu queries failed\n", failed);
    fflush(stdout);
    free(lat);
}

int main(int argc, char **argv)
{
    size_t want = 1000;
    const char *db = NULL, *corpus = NULL;
    int print = 0, one_connection = 0;
    rng_state = 12;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--queries") && i + 1 < argc) want = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) rng_state = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--print-queries")) print = 1;
        else if (!strcmp(argv[i], "--one-connection")) one_connection = 1;
        else corpus = argv[i];
    }
    if (!corpus || !want || (!db && !print)) {
        fprintf(stderr, "usage: search_latency --db FILE [--queries N] [--seed S] [--print-queries] [--one-connection]"
                        " CORPUS.jsonl\n");
        return 2;
    }
    /* titles spread evenly over the corpus */
    FILE *f = fopen(corpus, "rb");
    if (!f) die(corpus, "cannot read");
    size_t lines = 0;
    for (int c; (c = getc(f)) != EOF;) lines += c == '\n';
    rewind(f);
    size_t step = lines / want ? lines / want : 1;
    query_set typed = {0}, title_or = {0};
    char *line = NULL;
    size_t cap = 0;
    for (size_t i = 0; getline(&line, &cap, f) > 0 && typed.n < want; i++) {
        if (i % step) continue;
        json_t *o = json_loads(line, 0, NULL);
        const char *title = json_string_value(json_object_get(o, "title"));
        if (title && *title) {
            char *t, *all;
            queries_of(title, &t, &all);
            if (t && *all) {
                push(&typed, t);
                push(&title_or, all);
            } else {
                free(t);
                free(all);
            }
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    if (print) {
        for (size_t i = 0; i < typed.n; i++) puts(typed.q[i]);
    } else {
        khabar_archive *ar;
        khabar_error err;
        if (khabar_archive_open(db, KHABAR_ARCHIVE_READONLY, &ar, &err)) die(db, err.message);
        printf("query latency, %zu queries of each set, in ms of CPU time (p50, p90, p99, mean) and mean total hits\n", typed.n);
        printf("| queries | asking for | p50 | p90 | p99 | mean | hits |\n|---|---|---:|---:|---:|---:|---:|\n");
        static const unsigned flags[2] = {0, KHABAR_QUERY_FACETS};
        run(ar, db, "typed", &typed, 0, 1); /* the page cache warmed */
        run(ar, db, "typed", &typed, 0, 0);
        /* the facet columns read into memory, on the connection's second
         * facet search */
        khabar_query q = {0};
        q.text = typed.q[0];
        q.flags = KHABAR_QUERY_FACETS;
        double read = 0;
        for (int i = 0; i < 2; i++) {
            khabar_results *r = NULL;
            double t0 = bench_clock(CLOCK_THREAD_CPUTIME_ID);
            if (khabar_archive_search(ar, &q, &r, &err)) die("search", err.message);
            read = bench_clock(CLOCK_THREAD_CPUTIME_ID) - t0;
            khabar_results_free(r);
        }
        run(ar, db, "typed", &typed, KHABAR_QUERY_FACETS, 0);
        if (!one_connection) run(NULL, db, "typed", &typed, KHABAR_QUERY_FACETS, 0);
        for (int f = 0; f < 2; f++) run(ar, db, "title-OR", &title_or, flags[f], 0);
        if (!one_connection) run(NULL, db, "title-OR", &title_or, KHABAR_QUERY_FACETS, 0);
        printf("a connection's second facet search, which reads the facet columns into memory: %.1f ms\n", 1e3 * read);
        khabar_archive_close(ar);
    }
    for (size_t i = 0; i < typed.n; i++) free(typed.q[i]);
    for (size_t i = 0; i < title_or.n; i++) free(title_or.q[i]);
    free(typed.q);
    free(title_or.q);
    return 0;
}
