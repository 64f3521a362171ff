/*
 * bench: speed and peak memory of khabar's analysis over a JSON-lines corpus
 * ({"id", "title", "text", "date"} a line), beside a baseline, in one run.
 *
 * usage: bench [--khabar PATH] [--runs N] [--repeat N] [--threads N] CORPUS.jsonl
 *
 * Rows, each measured in a process of its own so that its peak RSS is its
 * own (the parent holds nothing of the corpus):
 *   baseline   every record's title and text split at ASCII whitespace and
 *              every word stemmed by Snowball's Arabic stemmer; the records
 *              are decoded before the clock starts, so only split + stem is
 *              timed (its RSS therefore includes the decoded corpus);
 *   library    what `khabar analyze --jsonl` does for each line — read the
 *              line, khabar_analyze_record, khabar_doc_json — with the JSON
 *              thrown away: the foundation alone (structure, sentences,
 *              tokens: --skip all), without and with "tokens" in the JSON,
 *              then every analysis;
 *   process    the real `khabar analyze --jsonl --skip all` over the file,
 *              output to /dev/null, once and then with the file given
 *              --repeat times in one stream (equal peak RSS shows memory
 *              does not grow with the stream's length); then the real
 *              `khabar analyze --jsonl` with every analysis, on one thread
 *              and on --threads threads (rated over wall time).
 * Speeds are over CPU time (user + system) of the timed part, so that other
 * work on a shared machine disturbs them less; wall time is shown too.
 * MB are 10^6 bytes of article text (title + text, UTF-8, as decoded from
 * the JSON); the JSON-lines bytes are given as well.  Tokens: whitespace
 * words for the baseline, khabar's tokens (words, numbers, punctuation...)
 * for the rest.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libstemmer.h>

#include "khabar.h"
#include "child.h"

typedef struct result {
    int ok;
    char message[256];
    double cpu, wall;         /* seconds of the timed part */
    double load;              /* seconds to load the model (library rows) */
    size_t records, errors;
    size_t tokens;
    size_t article_bytes;     /* title + text bytes (baseline) */
    size_t input_bytes;       /* JSON-lines bytes read */
    size_t output_bytes;      /* JSON produced */
    unsigned long checksum;   /* keeps the compiler from dropping the work */
    long max_rss_kib;
    int exit_status;          /* process rows */
} result;

static void fail(result *r, const char *what)
{
    r->ok = 0;
    snprintf(r->message, sizeof r->message, "%.100s: %s", what, errno ? strerror(errno) : "failed");
}

static size_t strip_line_end(const char *line, size_t n)
{
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    return n;
}

/* ---- baseline: whitespace split + Snowball stem ---- */

typedef struct text_buffer {
    char *data;
    size_t len, cap;
} text_buffer;

static int append(text_buffer *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 20;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) return -1;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len++] = '\n';
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void run_baseline(const char *path, result *r)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fail(r, path); return; }
    text_buffer texts = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0) {
        r->input_bytes += (size_t)got;
        size_t n = strip_line_end(line, (size_t)got);
        json_error_t jerr;
        json_t *rec = json_loadb(line, n, JSON_ALLOW_NUL, &jerr);
        json_t *text = json_object_get(rec, "text");
        json_t *title = json_object_get(rec, "title");
        if (json_is_string(text)) {
            r->records++;
            if (json_is_string(title)) {
                r->article_bytes += json_string_length(title);
                if (append(&texts, json_string_value(title), json_string_length(title))) {
                    fail(r, "baseline: out of memory");
                }
            }
            r->article_bytes += json_string_length(text);
            if (append(&texts, json_string_value(text), json_string_length(text)))
                fail(r, "baseline: out of memory");
        } else {
            r->errors++;
        }
        json_decref(rec);
    }
    free(line);
    fclose(f);

    struct sb_stemmer *stemmer = sb_stemmer_new("arabic", "UTF_8");
    if (!stemmer) { fail(r, "baseline: no Snowball Arabic stemmer"); free(texts.data); return; }
    double wall = bench_wall(), cpu = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
    const unsigned char *s = (const unsigned char *)texts.data;
    for (size_t i = 0; i < texts.len;) {
        while (i < texts.len && is_space(s[i])) i++;
        size_t start = i;
        while (i < texts.len && !is_space(s[i])) i++;
        if (i == start) break;
        const sb_symbol *stem = sb_stemmer_stem(stemmer, s + start, (int)(i - start));
        if (stem) r->checksum += (unsigned long)sb_stemmer_length(stemmer) + stem[0];
        r->tokens++;
    }
    r->cpu = bench_clock(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    r->wall = bench_wall() - wall;
    sb_stemmer_delete(stemmer);
    free(texts.data);
    r->ok = r->message[0] == '\0';
}

/* ---- library: what `khabar analyze --jsonl` does, output discarded ---- */

static void run_library(const char *path, unsigned json_flags, unsigned skip, result *r)
{
    khabar_options opts = {0};
    opts.skip = skip;
    double load = bench_wall();
    khabar_model *model;
    khabar_analyzer *an;
    khabar_error err;
    if (khabar_model_new(&model, &err)) { snprintf(r->message, sizeof r->message, "model: %s", err.message); return; }
    if (khabar_analyzer_new(model, &an, &err)) {
        snprintf(r->message, sizeof r->message, "analyzer: %s", err.message);
        khabar_model_free(model);
        return;
    }
    r->load = bench_wall() - load;
    FILE *f = fopen(path, "rb");
    if (!f) { fail(r, path); khabar_analyzer_free(an); khabar_model_free(model); return; }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    double wall = bench_wall(), cpu = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        r->input_bytes += (size_t)got;
        size_t n = strip_line_end(line, (size_t)got);
        if (n == 0) continue;
        khabar_doc *doc;
        size_t len = 0;
        if (khabar_analyze_record(an, line, n, &opts, &doc, &err) == KHABAR_OK) {
            r->records++;
            r->tokens += khabar_doc_token_count(doc);
            const char *json = khabar_doc_json(doc, json_flags, &len);
            if (json) r->checksum += (unsigned char)json[len / 2];
            khabar_doc_free(doc);
        } else {
            r->errors++;
            khabar_record_error_json(an, &err, lineno, &len);
        }
        r->output_bytes += len + 1;
    }
    r->cpu = bench_clock(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    r->wall = bench_wall() - wall;
    free(line);
    fclose(f);
    khabar_analyzer_free(an);
    khabar_model_free(model);
    r->ok = 1;
}

/* ---- running rows in processes of their own ---- */

typedef enum row_kind {
    ROW_BASELINE,
    ROW_STRUCTURE,        /* --skip all: structure, sentences, tokens (the foundation) */
    ROW_STRUCTURE_TOKENS, /* the same, JSON with tokens */
    ROW_FULL              /* every analysis */
} row_kind;

static int run_in_child(row_kind kind, const char *path, result *out)
{
    int fds[2];
    if (pipe(fds)) return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) { close(fds[0]); close(fds[1]); return -1; }
    if (pid == 0) {
        close(fds[0]);
        result r = {0};
        switch (kind) {
        case ROW_BASELINE: run_baseline(path, &r); break;
        case ROW_STRUCTURE: run_library(path, 0, KHABAR_SKIP_ANALYSES, &r); break;
        case ROW_STRUCTURE_TOKENS: run_library(path, KHABAR_JSON_TOKENS, KHABAR_SKIP_ANALYSES, &r); break;
        case ROW_FULL: run_library(path, 0, 0, &r); break;
        }
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        r.max_rss_kib = ru.ru_maxrss;
        ssize_t w = write(fds[1], &r, sizeof r);
        _exit(w == (ssize_t)sizeof r ? 0 : 1);
    }
    close(fds[1]);
    memset(out, 0, sizeof *out);
    size_t have = 0;
    while (have < sizeof *out) {
        ssize_t n = read(fds[0], (char *)out + have, sizeof *out - have);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        have += (size_t)n;
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (have != sizeof *out) {
        out->ok = 0;
        snprintf(out->message, sizeof out->message, "the measuring process died (status %d)", status);
    }
    return 0;
}

static int run_process(const char *khabar, const char *path, int repeat, int structure_only,
                       int threads, result *r)
{
    memset(r, 0, sizeof *r);
    char *argv[7 + 64 + 1];
    char nthreads[16];
    int argc = 0;
    argv[argc++] = (char *)khabar;
    argv[argc++] = (char *)"analyze";
    argv[argc++] = (char *)"--jsonl";
    if (structure_only) {
        argv[argc++] = (char *)"--skip";
        argv[argc++] = (char *)"all";
    }
    if (threads > 1) {
        snprintf(nthreads, sizeof nthreads, "%d", threads);
        argv[argc++] = (char *)"--threads";
        argv[argc++] = nthreads;
    }
    for (int i = 0; i < repeat; i++) argv[argc++] = (char *)path;
    argv[argc] = NULL;
    int status;
    struct rusage ru;
    double wall = bench_run_child(khabar, argv, &status, &ru);
    if (wall < 0) return -1;
    r->wall = wall;
    r->cpu = bench_rusage_cpu(&ru);
    r->max_rss_kib = ru.ru_maxrss;
    r->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    /* 0: all records analysed; 1: some records failed, which the library
     * rows count too; anything else means the run itself failed. */
    r->ok = WIFEXITED(status) && r->exit_status <= 1;
    if (!r->ok)
        snprintf(r->message, sizeof r->message, "khabar exited with status %d", r->exit_status);
    return 0;
}

/* ---- report ---- */

static const char *human(double v, char *buf, size_t n)
{
    if (v >= 1e6) snprintf(buf, n, "%.2f M", v / 1e6);
    else if (v >= 1e3) snprintf(buf, n, "%.1f k", v / 1e3);
    else snprintf(buf, n, "%.0f", v);
    return buf;
}

static void print_row(const char *name, const result *r, double article_mb, double input_mb,
                      size_t tokens)
{
    if (!r->ok) {
        printf("| %s | failed: %s | | | | |\n", name, r->message);
        return;
    }
    char t[32];
    printf("| %s | %.1f | %.1f | %s | %.1f MiB | %.2f s (wall %.2f s) |\n", name,
           article_mb / r->cpu, input_mb / r->cpu, human((double)tokens / r->cpu, t, sizeof t),
           (double)r->max_rss_kib / 1024.0, r->cpu, r->wall);
}

static void cpu_model(char *buf, size_t n)
{
    snprintf(buf, n, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *v = strchr(line, ':');
            if (v) {
                v++;
                while (*v == ' ') v++;
                snprintf(buf, n, "%.*s", (int)strcspn(v, "\n"), v);
            }
            break;
        }
    }
    fclose(f);
}

static void keep_best(result *best, const result *r, int first)
{
    long rss = best->max_rss_kib > r->max_rss_kib ? best->max_rss_kib : r->max_rss_kib;
    if (first || !best->ok || (r->ok && r->cpu < best->cpu)) *best = *r;
    if (!first) best->max_rss_kib = rss;
}

static void usage(FILE *out)
{
    fputs("usage: bench [--khabar PATH] [--runs N] [--repeat N] [--threads N] CORPUS.jsonl\n"
          "  --khabar PATH  the khabar program (default: ../khabar beside this program)\n"
          "  --runs N       measure each row N times, keep the fastest (default 1)\n"
          "  --repeat N     the long-stream row feeds the corpus N times (default 3)\n"
          "  --threads N    a last row runs every analysis on N threads (default: one per\n"
          "                 processor; 1 leaves the row out)\n",
          out);
}

int main(int argc, char **argv)
{
    const char *khabar = NULL, *path = NULL;
    int runs = 1, repeat = 3;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = online > 1 ? (int)online : 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--khabar") && i + 1 < argc) khabar = argv[++i];
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--help")) { usage(stdout); return 0; }
        else if (argv[i][0] == '-' || path) { usage(stderr); return 2; }
        else path = argv[i];
    }
    if (!path || runs < 1 || repeat < 1 || repeat > 64) { usage(stderr); return 2; }
    char self_dir[PATH_MAX], default_khabar[PATH_MAX + 16];
    if (!khabar) {
        ssize_t n = readlink("/proc/self/exe", self_dir, sizeof self_dir - 1);
        if (n <= 0) { fputs("bench: cannot find myself; give --khabar\n", stderr); return 2; }
        self_dir[n] = '\0';
        char *slash = strrchr(self_dir, '/');
        if (slash) *slash = '\0';
        snprintf(default_khabar, sizeof default_khabar, "%s/../khabar", self_dir);
        khabar = default_khabar;
    }
    if (access(khabar, X_OK)) { fprintf(stderr, "bench: %s: not executable\n", khabar); return 2; }
    struct stat st;
    if (stat(path, &st)) { fprintf(stderr, "bench: %s: %s\n", path, strerror(errno)); return 2; }

    static const struct { row_kind kind; const char *name; } rows[] = {
        {ROW_BASELINE, "baseline: whitespace split + Snowball stem"},
        {ROW_STRUCTURE, "library, structure (`--skip all`): record + analyze + JSON"},
        {ROW_STRUCTURE_TOKENS, "library, structure, JSON with tokens"},
        {ROW_FULL, "library, every analysis: record + analyze + JSON"},
    };
    enum { ROWS = sizeof rows / sizeof rows[0] };
    result res[ROWS], proc[4];
    for (size_t k = 0; k < ROWS; k++) {
        fprintf(stderr, "bench: %s...\n", rows[k].name);
        for (int i = 0; i < runs; i++) {
            result r;
            if (run_in_child(rows[k].kind, path, &r)) { perror("bench: fork"); return 2; }
            keep_best(&res[k], &r, i == 0);
        }
    }
    /* the foundation once and streamed `repeat` times, then everything, on
     * one thread and then on every processor */
    static const struct { int structure_only, repeated, threaded; const char *args; } procs[4] = {
        {1, 0, 0, "--skip all"}, {1, 1, 0, "--skip all"}, {0, 0, 0, ""}, {0, 0, 1, "--threads"}};
    int nprocs = threads > 1 ? 4 : 3;
    for (int k = 0; k < nprocs; k++) {
        int reps = procs[k].repeated ? repeat : 1;
        fprintf(stderr, "bench: khabar analyze --jsonl %s, corpus x%d...\n", procs[k].args, reps);
        for (int i = 0; i < runs; i++) {
            result r;
            if (run_process(khabar, path, reps, procs[k].structure_only, procs[k].threaded ? threads : 1, &r)) {
                perror("bench: fork");
                return 2;
            }
            keep_best(&proc[k], &r, i == 0);
        }
    }

    const result *base = &res[0];
    double article_mb = (double)base->article_bytes / 1e6;
    double input_mb = (double)st.st_size / 1e6;
    size_t tokens = res[1].tokens;
    char cpu[128];
    cpu_model(cpu, sizeof cpu);
    printf("Corpus: %s, %zu records, %.1f MB of article text, %.1f MB of JSON lines; "
           "%zu khabar tokens, %zu whitespace words.\n",
           path, base->records, article_mb, input_mb, tokens, base->tokens);
    printf("Machine: %s, one thread; khabar %s.\n\n", cpu, khabar_version());
    printf("| run | MB/s (article text) | MB/s (JSON lines) | tokens/s | peak RSS | CPU time |\n");
    printf("|---|---:|---:|---:|---:|---:|\n");
    print_row(rows[0].name, &res[0], article_mb, input_mb, base->tokens);
    for (size_t k = 1; k < ROWS; k++) print_row(rows[k].name, &res[k], article_mb, input_mb, tokens);
    char name[96];
    snprintf(name, sizeof name, "`khabar analyze --jsonl --skip all` process");
    print_row(name, &proc[0], article_mb, input_mb, tokens);
    snprintf(name, sizeof name, "same, corpus streamed %d times", repeat);
    print_row(name, &proc[1], article_mb * repeat, input_mb * repeat, tokens * (size_t)repeat);
    snprintf(name, sizeof name, "`khabar analyze --jsonl` process (every analysis)");
    print_row(name, &proc[2], article_mb, input_mb, tokens);
    if (nprocs > 3) {
        /* several threads: rates over wall time (their CPU times add up) */
        const result *w = &proc[3];
        char t[32];
        if (!w->ok)
            printf("| same, `--threads %d` | failed: %s | | | | |\n", threads, w->message);
        else
            printf("| same, `--threads %d`, rates over wall time | %.1f | %.1f | %s | %.1f MiB | wall %.2f s (CPU %.2f s) |\n",
                   threads, article_mb / w->wall, input_mb / w->wall, human((double)tokens / w->wall, t, sizeof t),
                   (double)w->max_rss_kib / 1024.0, w->wall, w->cpu);
    }
    printf("\n");
    if (res[1].ok)
        printf("Records: %zu analysed, %zu failed; model loaded in %.0f ms (not in the times above).\n",
               res[1].records, res[1].errors, res[1].load * 1e3);

    int all_ok = base->ok && proc[0].ok && proc[1].ok && proc[2].ok && (nprocs < 4 || proc[3].ok);
    for (size_t k = 1; k < ROWS; k++) all_ok = all_ok && res[k].ok;
    if (!all_ok) { printf("Some runs failed: no verdict.\n"); return 1; }
    double found_mbs = article_mb / proc[0].cpu, base_mbs = article_mb / base->cpu;
    double full_mbs = article_mb / proc[2].cpu;
    long rss = proc[0].max_rss_kib;
    for (int k = 1; k < 3; k++)
        if (proc[k].max_rss_kib > rss) rss = proc[k].max_rss_kib;
    printf("Goals for the foundation (structure, sentences, tokens: `--skip all`): >= 20 MB/s: %s (%.1f); "
           ">= half the baseline: %s (%.0f%%); peak RSS < 64 MiB (every row): %s (%.1f MiB).\n",
           found_mbs >= 20 ? "met" : "NOT met", found_mbs,
           found_mbs * 2 >= base_mbs ? "met" : "NOT met", 100 * found_mbs / base_mbs,
           rss < 64 * 1024 ? "met" : "NOT met", (double)rss / 1024.0);
    printf("Every analysis: %.1f MB/s (%.0f%% of the baseline).\n", full_mbs, 100 * full_mbs / base_mbs);
    return 0;
}
