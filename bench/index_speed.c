/*
 * index_speed: indexing throughput as a share of analysis (issue 12), in
 * one run on the same input:
 *   analyze   `khabar analyze --jsonl --threads N FILE` (output to /dev/null)
 *   index     `khabar index --db TMP --jsonl --threads N FILE`, a new archive
 *   writer    in this process: each batch of 512 records analysed as the CLI's
 *             analysing threads do (parsed, analysed, rendered, packed: timed
 *             apart, on one thread), then stored (khabar_archive_add, commit):
 *             the single writer's own CPU time, which bounds indexing
 *   bare FTS5 in this process: the same titles and texts in a plain FTS5
 *             table (unicode61 remove_diacritics 2, content stored), in the
 *             same batches: a full-text index with no analysis at all, whose
 *             cost added to analyze's is the ceiling of the share
 * Wall and CPU seconds of each, the share (analyze's time / index's: 1.0 is
 * as fast as analysis alone), and the archive's size per byte of article
 * text.  The machine may be shared: the CPU share is the steadier number.
 *
 * usage: index_speed [--khabar PATH] [--baseline PATH] [--threads N] [--repeat N] [--dir DIR]
 *                    [--no-writer | --writer-only] CORPUS.jsonl
 * --baseline PATH: another khabar (an older build) indexing the same input
 * in turn with this one, for the change between them.  --repeat N: each
 * run N times in turn, its least wall and least CPU time kept.
 * CORPUS.jsonl: {"id", "title"?, "text", "date"?} a line (bench/corpus.sh
 * makes one from SaudiNewsNet; `head -n 2000` of it for a quick run).
 */
#define _GNU_SOURCE /* wait4 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "khabar.h"
#include "khabar_archive.h"
#include "child.h"
#include "clock.h"

#define BATCH 512

typedef struct timing {
    double wall, cpu;
} timing;

static void die(const char *what, const char *why)
{
    fprintf(stderr, "index_speed: %s: %s\n", what, why);
    exit(2);
}

/* Runs khabar with argv, stdout and stderr to /dev/null. */
static timing run_khabar(const char *khabar, char **argv)
{
    int status;
    struct rusage ru;
    double wall = bench_run_child(khabar, argv, &status, &ru);
    if (wall < 0) die("fork or wait", strerror(errno));
    timing t = {wall, bench_rusage_cpu(&ru)};
    /* 1: some records failed, as they do for analyze too */
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) die(argv[1], "khabar failed");
    return t;
}

static timing clock_now(void) { return (timing){bench_wall(), bench_clock(CLOCK_PROCESS_CPUTIME_ID)}; }

/* Adds the wall and CPU time since t0 (clock_now) to *t. */
static void add_since(timing *t, timing t0)
{
    t->wall += bench_wall() - t0.wall;
    t->cpu += bench_clock(CLOCK_PROCESS_CPUTIME_ID) - t0.cpu;
}

static void least(timing *t, timing x)
{
    if (x.wall < t->wall) t->wall = x.wall;
    if (x.cpu < t->cpu) t->cpu = x.cpu;
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) ? 0 : (long long)st.st_size;
}

static void remove_db(const char *db)
{
    char p[4300];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
}

typedef struct record {
    char *id, *title, *date, *text;
    khabar_doc *doc;
    void *packed; /* the analysis packed, as the CLI's analysing threads do */
    size_t packed_len;
} record;

static char *string_of(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

/* Reads up to BATCH records, each analysed, rendered and packed (the
 * packing's CPU seconds added to *pack_cpu); returns how many. */
static size_t read_batch(FILE *f, record *r, khabar_analyzer *an, size_t *text_bytes, double *pack_cpu)
{
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    while (n < BATCH && (len = getline(&line, &cap, f)) > 0) {
        json_t *o = json_loadb(line, (size_t)len, 0, NULL);
        json_t *id = json_object_get(o, "id");
        record *x = &r[n];
        memset(x, 0, sizeof *x);
        x->text = string_of(o, "text");
        x->title = string_of(o, "title");
        x->date = string_of(o, "date");
        if (x->date && strlen(x->date) < 10) { free(x->date); x->date = NULL; }
        char num[32];
        if (json_is_integer(id)) snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        x->id = json_is_string(id) ? strdup(json_string_value(id)) : json_is_integer(id) ? strdup(num) : NULL;
        json_decref(o);
        khabar_options opt = {0};
        opt.flags = KHABAR_OPTION_NO_TITLE;
        opt.title = x->title;
        opt.title_len = x->title ? strlen(x->title) : 0;
        char day[11];
        if (x->date) {
            memcpy(day, x->date, 10);
            day[10] = '\0';
            opt.date = day;
        }
        const char *json;
        size_t json_len;
        double c0 = 0;
        int failed = !x->id || !x->text || khabar_analyze(an, x->text, strlen(x->text), &opt, &x->doc, NULL) ||
                     !(json = khabar_doc_json(x->doc, 0, &json_len));
        if (!failed) {
            c0 = bench_clock(CLOCK_THREAD_CPUTIME_ID);
            failed = khabar_archive_pack(json, json_len, &x->packed, &x->packed_len, NULL) != KHABAR_OK;
            *pack_cpu += bench_clock(CLOCK_THREAD_CPUTIME_ID) - c0;
        }
        if (failed) {
            khabar_doc_free(x->doc);
            free(x->id); free(x->title); free(x->date); free(x->text);
            continue;
        }
        *text_bytes += strlen(x->text);
        n++;
    }
    free(line);
    return n;
}

/* The writer alone: CPU seconds spent storing (analysis excluded); the
 * analysis before it (what the CLI's analysing threads do) in *analysing. */
static timing writer_only(const char *corpus, const char *db, size_t *articles, timing *analysing, double *pack_cpu)
{
    khabar_model *model;
    khabar_analyzer *an;
    khabar_archive *ar;
    khabar_error err;
    if (khabar_model_new(&model, &err) || khabar_analyzer_new(model, &an, &err)) die("model", err.message);
    remove_db(db);
    if (khabar_archive_open(db, KHABAR_ARCHIVE_CREATE, &ar, &err)) die(db, err.message);
    FILE *f = fopen(corpus, "rb");
    if (!f) die(corpus, strerror(errno));
    record *r = malloc(BATCH * sizeof *r);
    if (!r) die("writer", "out of memory");
    timing t = {0, 0};
    size_t n, bytes = 0;
    *articles = 0;
    *analysing = (timing){0, 0};
    *pack_cpu = 0;
    for (;;) {
        timing a0 = clock_now();
        n = read_batch(f, r, an, &bytes, pack_cpu);
        add_since(analysing, a0);
        if (!n) break;
        timing t0 = clock_now();
        if (khabar_archive_begin(ar, &err)) die("begin", err.message);
        for (size_t i = 0; i < n; i++) {
            record *x = &r[i];
            khabar_article a = {x->id, strlen(x->id), x->title, x->title ? strlen(x->title) : 0,
                                x->date, x->date ? 10 : 0, x->text, strlen(x->text), NULL, 0, x->packed, x->packed_len};
            if (khabar_archive_add(ar, &a, x->doc, &err)) die(x->id, err.message);
        }
        if (khabar_archive_commit(ar, &err)) die("commit", err.message);
        add_since(&t, t0);
        *articles += n;
        for (size_t i = 0; i < n; i++) {
            khabar_doc_free(r[i].doc);
            khabar_archive_packed_free(r[i].packed);
            free(r[i].id); free(r[i].title); free(r[i].date); free(r[i].text);
        }
    }
    timing t0 = clock_now();
    khabar_archive_close(ar); /* the last checkpoint */
    add_since(&t, t0);
    free(r);
    fclose(f);
    khabar_analyzer_free(an);
    khabar_model_free(model);
    return t;
}

static void exec_or_die(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) die(sql, sqlite3_errmsg(db));
}

/* The anchor: the same titles and texts in a plain FTS5 table, set up as
 * the archive's database is (8 KiB pages, WAL, synchronous NORMAL), in
 * batches of BATCH a transaction.  CPU seconds of the inserts, commits and
 * the last checkpoint (reading the JSON excluded: analyze does it too). */
static timing bare_fts5(const char *corpus, const char *db, size_t *articles)
{
    sqlite3 *d;
    sqlite3_stmt *ins;
    remove_db(db);
    if (sqlite3_open(db, &d) != SQLITE_OK) die(db, sqlite3_errmsg(d));
    exec_or_die(d, "PRAGMA page_size = 8192");
    exec_or_die(d, "PRAGMA journal_mode = WAL");
    exec_or_die(d, "PRAGMA synchronous = NORMAL");
    exec_or_die(d, "CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')");
    if (sqlite3_prepare_v2(d, "INSERT INTO t(title, text) VALUES (?, ?)", -1, &ins, NULL) != SQLITE_OK)
        die(db, sqlite3_errmsg(d));
    FILE *f = fopen(corpus, "rb");
    if (!f) die(corpus, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    json_t **batch = malloc(BATCH * sizeof *batch);
    if (!batch) die("bare FTS5", "out of memory");
    timing t = {0, 0};
    *articles = 0;
    for (int more = 1; more;) {
        size_t n = 0;
        while (n < BATCH && (more = (len = getline(&line, &cap, f)) > 0)) {
            json_t *o = json_loadb(line, (size_t)len, 0, NULL);
            if (json_is_string(json_object_get(o, "text"))) batch[n++] = o;
            else json_decref(o);
        }
        timing t0 = clock_now();
        exec_or_die(d, "BEGIN");
        for (size_t i = 0; i < n; i++) {
            json_t *title = json_object_get(batch[i], "title"), *text = json_object_get(batch[i], "text");
            sqlite3_reset(ins);
            if (json_is_string(title))
                sqlite3_bind_text(ins, 1, json_string_value(title), (int)json_string_length(title), SQLITE_STATIC);
            else sqlite3_bind_null(ins, 1);
            sqlite3_bind_text(ins, 2, json_string_value(text), (int)json_string_length(text), SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE) die(db, sqlite3_errmsg(d));
        }
        exec_or_die(d, "COMMIT");
        add_since(&t, t0);
        for (size_t i = 0; i < n; i++) json_decref(batch[i]);
        *articles += n;
    }
    timing t0 = clock_now();
    sqlite3_finalize(ins);
    sqlite3_close(d);
    add_since(&t, t0);
    free(batch);
    free(line);
    fclose(f);
    remove_db(db);
    return t;
}

int main(int argc, char **argv)
{
    const char *khabar = "build/khabar", *dir = NULL, *corpus = NULL, *baseline = NULL;
    int threads = 2, writer = 1, repeat = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--khabar") && i + 1 < argc) khabar = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--baseline") && i + 1 < argc) baseline = argv[++i];
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-writer")) writer = 0;
        else if (!strcmp(argv[i], "--writer-only")) writer = 2;
        else if (argv[i][0] == '-') die(argv[i], "unknown option");
        else corpus = argv[i];
    }
    if (!corpus || threads < 1 || repeat < 1) {
        fputs("usage: index_speed [--khabar PATH] [--baseline PATH] [--threads N] [--repeat N] [--dir DIR] "
              "[--no-writer | --writer-only] CORPUS.jsonl\n", stderr);
        return 2;
    }
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/index_speed.XXXXXX", dir ? dir : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp"));
    if (!mkdtemp(tmpl)) die(tmpl, strerror(errno));
    char db[4200];
    snprintf(db, sizeof db, "%s/archive.db", tmpl);
    char nthreads[16];
    snprintf(nthreads, sizeof nthreads, "%d", threads);

    if (writer == 2) { /* --writer-only: for a profiler */
        size_t articles;
        double pack;
        timing a, w = writer_only(corpus, db, &articles, &a, &pack);
        printf("the writer alone: %zu articles, %.2f s wall, %.2f s CPU (their analysis before it: %.2f s CPU, "
               "of which packing %.2f s)\n", articles, w.wall, w.cpu, a.cpu, pack);
        remove_db(db);
        rmdir(tmpl);
        return 0;
    }
    char *analyze_argv[] = {(char *)"khabar", (char *)"analyze", (char *)"--jsonl", (char *)"--threads", nthreads,
                            (char *)corpus, NULL};
    char *index_argv[] = {(char *)"khabar", (char *)"index", (char *)"--db", db, (char *)"--jsonl",
                          (char *)"--threads", nthreads, (char *)corpus, NULL};
    /* each run `repeat` times, in turn, its least time kept: on a shared
     * machine the others' jobs only ever add to a run's CPU time */
    timing analyze = {INFINITY, INFINITY}, index = analyze, base = analyze, w = analyze, a = analyze, bare = analyze;
    double pack = INFINITY;
    size_t articles = 0, bare_articles = 0;
    khabar_archive_stats st;
    long long db_bytes = 0, wal_bytes = 0;
    for (int round = 0; round < repeat; round++) {
        least(&analyze, run_khabar(khabar, analyze_argv));
        if (baseline) {
            remove_db(db);
            least(&base, run_khabar(baseline, index_argv));
        }
        remove_db(db);
        least(&index, run_khabar(khabar, index_argv));
        if (round == 0) {
            khabar_archive *ar;
            khabar_error err;
            /* sizes first: opening may upgrade an older khabar's archive */
            char wal[4300];
            snprintf(wal, sizeof wal, "%s-wal", db);
            db_bytes = file_size(db);
            wal_bytes = file_size(wal);
            if (khabar_archive_open(db, 0, &ar, &err)) die(db, err.message);
            if (khabar_archive_stats_get(ar, &st, &err)) die(db, err.message);
            khabar_archive_close(ar);
        }
        if (writer) {
            timing wa;
            double p;
            least(&w, writer_only(corpus, db, &articles, &wa, &p));
            least(&a, wa);
            if (p < pack) pack = p;
        }
        least(&bare, bare_fts5(corpus, db, &bare_articles));
    }
    remove_db(db);
    rmdir(tmpl);

    double mb = (double)st.bytes / 1e6;
    printf("index_speed: %s, %zu articles stored, %.1f MB of article text, --threads %d, least of %d run%s\n",
           corpus, st.articles, mb, threads, repeat, repeat == 1 ? "" : "s");
    printf("| run | wall s | CPU s | MB/s (wall) | MB/s (CPU) |\n|---|---:|---:|---:|---:|\n");
    printf("| khabar analyze --jsonl | %.2f | %.2f | %.2f | %.2f |\n", analyze.wall, analyze.cpu,
           mb / analyze.wall, mb / analyze.cpu);
    printf("| khabar index --jsonl | %.2f | %.2f | %.2f | %.2f |\n", index.wall, index.cpu, mb / index.wall,
           mb / index.cpu);
    if (baseline)
        printf("| the baseline's index (%s) | %.2f | %.2f | %.2f | %.2f |\n", baseline, base.wall, base.cpu,
               mb / base.wall, mb / base.cpu);
    if (writer) {
        printf("| the writer alone (%zu articles stored in-process) | %.2f | %.2f | %.2f | %.2f |\n", articles,
               w.wall, w.cpu, mb / w.wall, mb / w.cpu);
        printf("| their analysis, rendering and packing (in-process, one thread) | %.2f | %.2f | %.2f | %.2f |\n",
               a.wall, a.cpu, mb / a.wall, mb / a.cpu);
        printf("| of which the packing (khabar_archive_pack) | | %.2f | | %.2f |\n", pack, mb / pack);
    }
    printf("| a bare FTS5 index (unicode61, %zu articles in-process) | %.2f | %.2f | %.2f | %.2f |\n", bare_articles,
           bare.wall, bare.cpu, mb / bare.wall, mb / bare.cpu);
    printf("share of analyze's rate: %.0f%% (wall), %.0f%% (CPU)\n", 100 * analyze.wall / index.wall,
           100 * analyze.cpu / index.cpu);
    if (baseline)
        /* against this build's analyze: right when the change left the
         * analysis alone, as the archive's changes do */
        printf("the baseline's index against this analyze: %.0f%% (wall), %.0f%% (CPU)\n",
               100 * analyze.wall / base.wall, 100 * analyze.cpu / base.cpu);
    printf("ceiling, analyze + a bare FTS5 index: %.0f%% (CPU)\n", 100 * analyze.cpu / (analyze.cpu + bare.cpu));
    if (writer)
        printf("index's CPU: %.2f s, estimated as the writer %.2f s (%.0f%%, measured apart) + the analysing "
               "threads and the rest %.2f s (analyze's %.2f s + %.2f s)\n",
               index.cpu, w.cpu, 100 * w.cpu / index.cpu, index.cpu - w.cpu, analyze.cpu,
               index.cpu - w.cpu - analyze.cpu);
    printf("archive: %.1f MB (+ %.1f MB WAL), %.2f bytes per byte of text\n", (double)db_bytes / 1e6,
           (double)wal_bytes / 1e6, (double)(db_bytes + wal_bytes) / (double)(st.bytes ? st.bytes : 1));
    return 0;
}
