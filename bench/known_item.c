/*
 * known_item: known-item search on a news corpus, khabar's archive beside
 * two baselines in the same run (docs/archive.md, issue 12).
 *
 * The articles are indexed without their titles; each sampled article's
 * title (its HTML character references decoded), its words joined by OR,
 * is a query for that article; the score is
 * MRR@100 (1/rank of the article among the first 100 hits, 0 when absent).
 *   khabar     the archive (tokenize='khabar': stems + surface forms, ranked
 *              by khabar_rank, archive/fts5_rank.c)
 *   unicode61  SQLite FTS5 'unicode61 remove_diacritics 2' on the raw text
 *   light      the same over light-stemmed text: Lucene's Arabic normaliser
 *              and light stemmer (prefixes ال وال بال كال فال لل و, suffixes
 *              ها ان ات ون ين يه ية ه ة ي), written here
 * Also the archive's query latency over the same queries, p50 and p99,
 * without and with facets.
 *
 * usage: known_item [--queries N] [--articles N] [--dir DIR] [--keep] [--khabar-only] [--ranks FILE] CORPUS.jsonl
 * --khabar-only: khabar's MRR alone (no baselines, no facet latency), for
 * quick runs over kept indexes while trying a change to the ranking.
 * --ranks FILE: a line per query (its number, the article's id, its rank
 * or 0 when not in the first 100, the ids of the first three hits), to see
 * what the queries that fail lose to.
 * CORPUS.jsonl: {"id", "title", "text", ...} a line (bench/corpus.sh makes
 * it from SaudiNewsNet: build/bench/corpus.jsonl).  Articles are analysed
 * with KHABAR_SKIP_ANALYSES: ranking reads only the tokenizer's terms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "khabar.h"
#include "khabar_archive.h"
#include "clock.h"

#define DEPTH 100

typedef struct article {
    char *id, *title, *text;
} article;

static void die(const char *what, const char *why)
{
    fprintf(stderr, "known_item: %s: %s\n", what, why);
    exit(2);
}

/* ---- UTF-8 code points ---- */

static size_t decode(const char *s, size_t n, unsigned *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        if (i + len > n) len = 1;
        unsigned cp = len == 1 ? c : c & (0x7fu >> len);
        for (size_t j = 1; j < len; j++) cp = cp << 6 | ((unsigned char)s[i + j] & 0x3fu);
        out[k++] = cp;
        i += len;
    }
    return k;
}

static void encode(unsigned cp, char **p)
{
    char *o = *p;
    if (cp < 0x80) *o++ = (char)cp;
    else if (cp < 0x800) { *o++ = (char)(0xc0 | cp >> 6); *o++ = (char)(0x80 | (cp & 0x3f)); }
    else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | cp >> 12); *o++ = (char)(0x80 | ((cp >> 6) & 0x3f)); *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | cp >> 18); *o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f)); *o++ = (char)(0x80 | (cp & 0x3f));
    }
    *p = o;
}

/* ---- the light stemmer (after Lucene's ArabicNormalizer and ArabicStemmer) ---- */

enum {
    HAMZA_ALEF_MADDA = 0x0622, ALEF_HAMZA_ABOVE = 0x0623, ALEF_HAMZA_BELOW = 0x0625, ALEF = 0x0627,
    TEH_MARBUTA = 0x0629, TATWEEL = 0x0640, FATHATAN = 0x064B, SUKUN = 0x0652, SUPERSCRIPT_ALEF = 0x0670,
    ALEF_MAKSURA = 0x0649, YEH = 0x064A, HEH = 0x0647, WAW = 0x0648, BEH = 0x0628, KAF = 0x0643,
    FEH = 0x0641, LAM = 0x0644, NOON = 0x0646, TEH = 0x062A
};

static int is_letter(unsigned c)
{
    return (c >= 0x0621 && c <= 0x064A) || (c >= FATHATAN && c <= SUKUN) || c == SUPERSCRIPT_ALEF ||
           (c >= 0x0671 && c <= 0x06D3) || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || (c >= 0x0660 && c <= 0x0669);
}

static const unsigned prefixes[][3] = {
    {ALEF, LAM, 0}, {WAW, ALEF, LAM}, {BEH, ALEF, LAM}, {KAF, ALEF, LAM}, {FEH, ALEF, LAM}, {LAM, LAM, 0}, {WAW, 0, 0},
};
static const unsigned suffixes[][2] = {
    {HEH, ALEF}, {ALEF, NOON}, {ALEF, TEH}, {WAW, NOON}, {YEH, NOON}, {YEH, HEH}, {YEH, TEH_MARBUTA},
    {HEH, 0}, {TEH_MARBUTA, 0}, {YEH, 0},
};

static size_t plen(const unsigned *p, size_t max)
{
    size_t n = 0;
    while (n < max && p[n]) n++;
    return n;
}

/* Normalises and stems w[0..n) in place; returns the new length. */
static size_t light_stem(unsigned *w, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = w[i];
        if (c == TATWEEL || (c >= FATHATAN && c <= SUKUN) || c == SUPERSCRIPT_ALEF) continue;
        if (c == HAMZA_ALEF_MADDA || c == ALEF_HAMZA_ABOVE || c == ALEF_HAMZA_BELOW) c = ALEF;
        else if (c == ALEF_MAKSURA) c = YEH;
        else if (c == TEH_MARBUTA) c = HEH;
        else if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        w[k++] = c;
    }
    n = k;
    for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; p++) {
        size_t l = plen(prefixes[p], 3);
        if (n > l + 1 && !memcmp(w, prefixes[p], l * sizeof *w)) {
            memmove(w, w + l, (n - l) * sizeof *w);
            n -= l;
            break;
        }
    }
    for (size_t s = 0; s < sizeof suffixes / sizeof *suffixes; s++) {
        size_t l = plen(suffixes[s], 2);
        unsigned want[2] = {suffixes[s][0], suffixes[s][1]};
        if (want[0] == TEH_MARBUTA) want[0] = HEH; /* already normalised */
        if (want[1] == TEH_MARBUTA) want[1] = HEH;
        if (n > l + 1 && !memcmp(w + n - l, want, l * sizeof *w)) n -= l;
    }
    return n;
}

/* The words of s as letter runs, each through `stem` when not NULL,
 * joined by `sep` ("" words dropped).  Returns a malloc'd string. */
static char *words(const char *s, int stem, const char *sep, int quote)
{
    size_t n = strlen(s);
    unsigned *cp = malloc((n + 1) * sizeof *cp);
    char *out = malloc(n * 4 + n * (strlen(sep) + 2) + 16);
    if (!cp || !out) die("words", "out of memory");
    size_t m = decode(s, n, cp);
    char *o = out;
    int first = 1;
    for (size_t i = 0; i < m;) {
        while (i < m && !is_letter(cp[i])) i++;
        size_t a = i;
        while (i < m && is_letter(cp[i])) i++;
        if (a == i) break;
        size_t len = i - a;
        unsigned *w = cp + a;
        if (stem) len = light_stem(w, len);
        if (!len) continue;
        if (!first) { strcpy(o, sep); o += strlen(sep); }
        first = 0;
        if (quote) *o++ = '"';
        for (size_t k = 0; k < len; k++) encode(w[k], &o);
        if (quote) *o++ = '"';
    }
    *o = '\0';
    free(cp);
    return out;
}

/* A title as a query of the archive's language: its words joined by OR,
 * without the characters that are syntax there. */
static char *khabar_query_of(const char *title)
{
    size_t n = strlen(title);
    char *clean = malloc(n + 1), *out = malloc(n * 5 + 16);
    if (!clean || !out) die("query", "out of memory");
    for (size_t i = 0; i <= n; i++) {
        char c = title[i];
        clean[i] = c == '"' || c == '(' || c == ')' || c == '*' || c == '-' || c == '=' ? ' ' : c;
    }
    char *o = out, *save = NULL;
    int first = 1;
    for (char *w = strtok_r(clean, " \t\n\r", &save); w; w = strtok_r(NULL, " \t\n\r", &save)) {
        if (!strcmp(w, "OR") || !strcmp(w, "AND") || !strcmp(w, "NOT")) continue;
        o += sprintf(o, "%s%s", first ? "" : " OR ", w);
        first = 0;
    }
    *o = '\0';
    free(clean);
    return out;
}

/* Decodes the HTML character references of s in place (&quot;, &amp;,
 * &#8220;...): SaudiNewsNet keeps them in 232 of its titles (and one of
 * its texts), and no one searching types them.  Each is longer than what
 * it stands for, so the text only shrinks. */
static void decode_references(char *s)
{
    static const struct { const char *name; unsigned cp; } named[] = {
        {"quot", '"'}, {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"apos", '\''}, {"nbsp", 0xA0},
    };
    char *o = s;
    for (char *p = s; *p;) {
        char *semi = *p == '&' ? strchr(p, ';') : NULL;
        unsigned cp = 0;
        if (semi && semi - p <= 10) {
            int hex = p[1] == '#' && (p[2] == 'x' || p[2] == 'X');
            if (p[1] == '#') cp = (unsigned)strtoul(p + 2 + hex, NULL, hex ? 16 : 10);
            else
                for (size_t k = 0; k < sizeof named / sizeof *named; k++)
                    if ((size_t)(semi - p - 1) == strlen(named[k].name) && !memcmp(p + 1, named[k].name, strlen(named[k].name)))
                        cp = named[k].cp;
        }
        if (cp && cp <= 0x10FFFF) {
            encode(cp, &o);
            p = semi + 1;
        } else
            *o++ = *p++;
    }
    *o = '\0';
}

/* ---- the runs ---- */

static size_t load(const char *path, size_t max, article **out)
{
    FILE *f = fopen(path, "rb");
    if (!f) die(path, "cannot read");
    size_t n = 0, cap = 1024;
    article *a = malloc(cap * sizeof *a);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0 && (!max || n < max)) {
        json_t *o = json_loadb(line, (size_t)len, 0, NULL);
        json_t *id = json_object_get(o, "id"), *title = json_object_get(o, "title"), *text = json_object_get(o, "text");
        if (json_is_string(id) && json_is_string(title) && json_is_string(text)) {
            if (n == cap) a = realloc(a, (cap *= 2) * sizeof *a);
            if (!a) die("load", "out of memory");
            a[n].id = strdup(json_string_value(id));
            a[n].title = strdup(json_string_value(title));
            if (a[n].title) decode_references(a[n].title);
            a[n].text = strdup(json_string_value(text));
            n++;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    *out = a;
    return n;
}

static double index_khabar(const char *db, article *a, size_t n)
{
    khabar_model *model;
    khabar_analyzer *an;
    khabar_archive *ar;
    khabar_error err;
    if (khabar_model_new(&model, &err) || khabar_analyzer_new(model, &an, &err)) die("model", err.message);
    if (khabar_archive_open(db, KHABAR_ARCHIVE_CREATE, &ar, &err)) die(db, err.message);
    double t0 = bench_wall();
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_NO_TITLE | KHABAR_OPTION_REPLACE_INVALID;
    o.skip = KHABAR_SKIP_ANALYSES;
    khabar_archive_begin(ar, &err);
    for (size_t i = 0; i < n; i++) {
        khabar_doc *d = NULL;
        if (khabar_analyze(an, a[i].text, strlen(a[i].text), &o, &d, &err)) continue;
        khabar_article art = {a[i].id, strlen(a[i].id), NULL, 0, NULL, 0, a[i].text, strlen(a[i].text), NULL, 0, NULL, 0};
        if (khabar_archive_add(ar, &art, d, &err)) die("add", err.message);
        khabar_doc_free(d);
        if (i % 2000 == 1999) {
            khabar_archive_commit(ar, &err);
            khabar_archive_begin(ar, &err);
        }
    }
    if (khabar_archive_commit(ar, &err)) die("commit", err.message);
    double t = bench_wall() - t0;
    khabar_archive_close(ar);
    khabar_analyzer_free(an);
    khabar_model_free(model);
    return t;
}

static void exec_sql(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) die(sql, msg ? msg : "?");
}

/* A baseline: FTS5 unicode61 over the raw (stem 0) or light-stemmed text. */
static sqlite3 *index_baseline(const char *path, article *a, size_t n, int stem, double *seconds)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) die(path, "cannot open");
    double t0 = bench_wall();
    exec_sql(db, "PRAGMA journal_mode = WAL; CREATE VIRTUAL TABLE docs USING fts5(body,"
                 " tokenize = 'unicode61 remove_diacritics 2'); BEGIN");
    sqlite3_stmt *ins;
    sqlite3_prepare_v2(db, "INSERT INTO docs(rowid, body) VALUES(?1, ?2)", -1, &ins, NULL);
    for (size_t i = 0; i < n; i++) {
        char *body = stem ? words(a[i].text, 1, " ", 0) : NULL;
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)i);
        sqlite3_bind_text(ins, 2, body ? body : a[i].text, -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) die("insert", sqlite3_errmsg(db));
        sqlite3_reset(ins);
        free(body);
    }
    sqlite3_finalize(ins);
    exec_sql(db, "COMMIT");
    *seconds = bench_wall() - t0;
    return db;
}

static sqlite3 *open_baseline(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die(path, "cannot open");
    return db;
}

static double reciprocal_rank_baseline(sqlite3 *db, const char *match, size_t want)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 100", -1, &s,
                           NULL) != SQLITE_OK)
        die("baseline query", sqlite3_errmsg(db));
    sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
    double rr = 0;
    for (int rank = 1; sqlite3_step(s) == SQLITE_ROW; rank++)
        if ((size_t)sqlite3_column_int64(s, 0) == want) { rr = 1.0 / rank; break; }
    sqlite3_finalize(s);
    return rr;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    size_t want_queries = 1000, max_articles = 0;
    const char *dir = "/tmp", *corpus = NULL;
    int keep = 0; /* keep the indexes in DIR and use them again when there */
    int khabar_only = 0;
    const char *ranks_path = NULL; /* each query's article and rank (0: not in the first 100), for diagnosis */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--queries") && i + 1 < argc) want_queries = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--articles") && i + 1 < argc) max_articles = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--keep")) keep = 1;
        else if (!strcmp(argv[i], "--khabar-only")) khabar_only = 1;
        else if (!strcmp(argv[i], "--ranks") && i + 1 < argc) ranks_path = argv[++i];
        else corpus = argv[i];
    }
    if (!corpus || !want_queries) {
        fprintf(stderr, "usage: known_item [--queries N] [--articles N] [--dir DIR] [--keep] [--khabar-only] [--ranks FILE] CORPUS.jsonl\n");
        return 2;
    }
    article *a;
    size_t n = load(corpus, max_articles, &a);
    if (n == 0) die(corpus, "no articles");
    char paths[3][512];
    const char *names[3] = {"khabar.db", "unicode61.db", "light.db"};
    for (int k = 0; k < 3; k++) {
        snprintf(paths[k], sizeof paths[k], "%s/known-item-%d-%s", dir, keep ? 0 : (int)getpid(), names[k]);
        if (!keep) unlink(paths[k]);
    }
    fprintf(stderr, "known_item: %zu articles; indexing\n", n);
    int reuse = keep && access(paths[0], R_OK) == 0 && access(paths[1], R_OK) == 0 && access(paths[2], R_OK) == 0;
    double t_khabar = reuse ? 0 : index_khabar(paths[0], a, n), t_raw = 0, t_light = 0;
    sqlite3 *raw = reuse ? open_baseline(paths[1]) : index_baseline(paths[1], a, n, 0, &t_raw);
    sqlite3 *light = reuse ? open_baseline(paths[2]) : index_baseline(paths[2], a, n, 1, &t_light);

    khabar_archive *ar;
    khabar_error err;
    if (khabar_archive_open(paths[0], KHABAR_ARCHIVE_READONLY, &ar, &err)) die(paths[0], err.message);
    size_t step = n / want_queries ? n / want_queries : 1, queries = 0;
    double mrr[3] = {0, 0, 0}, mrr_a = 0; /* mrr_a: khabar's on the even queries (the tuning half) */
    double *lat = malloc(3 * (n / step + 1) * sizeof *lat), *lat_f = lat + n / step + 1,
           *lat_b = lat_f + n / step + 1;
    size_t failed = 0;
    FILE *ranks = ranks_path ? fopen(ranks_path, "w") : NULL;
    if (ranks_path && !ranks) die(ranks_path, "cannot write");
    for (size_t i = 0; i < n && queries < want_queries; i += step) {
        char *kq = khabar_query_of(a[i].title);
        char *rq = words(a[i].title, 0, " OR ", 1), *lq = words(a[i].title, 1, " OR ", 1);
        if (!*rq || !*lq) { free(kq); free(rq); free(lq); continue; }
        khabar_query q = {0};
        q.text = kq;
        q.limit = DEPTH;
        q.flags = KHABAR_QUERY_NO_SNIPPETS;
        khabar_results *r = NULL;
        double t0 = bench_wall();
        if (khabar_archive_search(ar, &q, &r, &err)) {
            if (failed++ < 5) fprintf(stderr, "known_item: query '%s': %s\n", kq, err.message);
        }
        lat[queries] = bench_wall() - t0;
        size_t found = 0;
        for (size_t h = 0; h < khabar_results_hit_count(r); h++)
            if (!strcmp(khabar_results_hit(r, h)->id, a[i].id)) {
                mrr[0] += 1.0 / (double)(h + 1);
                if (queries % 2 == 0) mrr_a += 1.0 / (double)(h + 1);
                found = h + 1;
                break;
            }
        if (ranks) {
            fprintf(ranks, "%zu\t%s\t%zu", queries, a[i].id, found);
            for (size_t h = 0; h < khabar_results_hit_count(r) && h < 3; h++)
                fprintf(ranks, "\t%s", khabar_results_hit(r, h)->id);
            fputc('\n', ranks);
        }
        khabar_results_free(r);
        if (!khabar_only) {
            q.flags = KHABAR_QUERY_FACETS;
            q.limit = 10;
            t0 = bench_wall();
            if (khabar_archive_search(ar, &q, &r, &err) == KHABAR_OK) khabar_results_free(r);
            lat_f[queries] = bench_wall() - t0;
            t0 = bench_wall();
            mrr[1] += reciprocal_rank_baseline(raw, rq, i);
            lat_b[queries] = bench_wall() - t0;
            mrr[2] += reciprocal_rank_baseline(light, lq, i);
        }
        queries++;
        free(kq); free(rq); free(lq);
    }
    qsort(lat, queries, sizeof *lat, cmp_double);
    qsort(lat_f, queries, sizeof *lat_f, cmp_double);
    qsort(lat_b, queries, sizeof *lat_b, cmp_double);
    printf("known-item search, %zu articles without titles, %zu title queries (MRR@%d)\n", n, queries, DEPTH);
    printf("| index | MRR@%d | indexing s |\n|---|---|---|\n", DEPTH);
    printf("| khabar (stems + surface forms, khabar_rank) | %.3f | %.1f |\n", mrr[0] / (double)queries, t_khabar);
    if (!khabar_only) {
        printf("| FTS5 unicode61 remove_diacritics 2 | %.3f | %.1f |\n", mrr[1] / (double)queries, t_raw);
        printf("| FTS5 over light-stemmed text | %.3f | %.1f |\n", mrr[2] / (double)queries, t_light);
    }
    printf("khabar: tuning half (even queries) %.4f, other half %.4f\n", mrr_a / (double)((queries + 1) / 2),
           (mrr[0] - mrr_a) / (double)(queries / 2));
    printf("archive query latency (top %d ids, no snippets or facets): p50 %.1f ms, p99 %.1f ms\n", DEPTH,
           1e3 * lat[queries / 2], 1e3 * lat[queries * 99 / 100]);
    if (!khabar_only) {
        printf("archive query latency (top 10 with snippets and facets): p50 %.1f ms, p99 %.1f ms\n",
               1e3 * lat_f[queries / 2], 1e3 * lat_f[queries * 99 / 100]);
        printf("baseline query latency (unicode61, top %d ids): p50 %.1f ms, p99 %.1f ms\n", DEPTH,
               1e3 * lat_b[queries / 2], 1e3 * lat_b[queries * 99 / 100]);
    }
    if (failed) printf("%zu queries failed\n", failed);
    if (ranks) fclose(ranks);
    khabar_archive_close(ar);
    sqlite3_close(raw);
    sqlite3_close(light);
    for (int k = 0; k < 3 && !keep; k++) {
        char wal[2048];
        unlink(paths[k]);
        snprintf(wal, sizeof wal, "%s-wal", paths[k]); unlink(wal);
        snprintf(wal, sizeof wal, "%s-shm", paths[k]); unlink(wal);
    }
    for (size_t i = 0; i < n; i++) { free(a[i].id); free(a[i].title); free(a[i].text); }
    free(a);
    free(lat);
    return 0;
}
