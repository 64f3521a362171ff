/*
 * scaling: whether khabar's time and memory grow linearly with the length
 * of one article, for articles long in different ways.
 *
 * usage: scaling [--corpus FILE.jsonl] [--text FILE]... [--conll FILE]...
 *                [--shapes-file FILE] [--only LIST] [--size BYTES] [--steps N] [--runs N]
 *                [--stages] [--memory] [--check RATIO]
 *
 * Shapes (each an article of SIZE, 2 SIZE, 4 SIZE... bytes, --steps sizes):
 *   news      real articles one after another (--corpus: JSON lines with
 *             "title" and "text", e.g. build/bench/corpus.jsonl; --text:
 *             plain text files; --conll: tokens of CoNLL files, e.g. the
 *             ANT articles of tests/facts), as one article;
 *   para      the same text as one paragraph;
 *   nopunct   the same text as one sentence without punctuation;
 *   lines     the same words, one a line;
 *   and the shapes of --shapes-file (default bench/shapes.txt): a unit
 *   repeated, e.g. "speech", one sentence of reported speech without end.
 * For each size: CPU seconds of khabar_analyze + khabar_doc_json (the best
 * of --runs), and the ratio to the size before.  --stages adds the time of
 * the foundation alone (structure, sentences, tokens) and of each analysis
 * alone on top of it.  --memory adds, measured in a child process of its
 * own, the peak resident memory the analysis added (peak RSS minus the RSS
 * before it, the model already loaded) per input byte.  --check RATIO
 * exits 1 when any ratio of the whole analysis is above RATIO.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <utf8proc.h>

#include "khabar.h"
#include "clock.h"

#define MAX_SHAPES 32
#define MAX_LISTS 32
#define MAX_STEPS 8

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void die(const char *what)
{
    fprintf(stderr, "scaling: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
    exit(2);
}

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + n + 1) cap *= 2;
        char *p = realloc(t->data, cap);
        if (!p) die("out of memory");
        t->data = p;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void puts_text(text *t, const char *s) { put(t, s, strlen(s)); }

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    text t = {0};
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) put(&t, buf, got);
    fclose(f);
    if (!t.data) put(&t, "", 0);
    *len = t.len;
    return t.data;
}

/* ---- the real text: --corpus records and --text files, in turn ---- */

typedef struct pool {
    char **items;
    size_t n, cap;
} pool;

static void pool_add(pool *p, char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->items = realloc(p->items, p->cap * sizeof *p->items);
        if (!p->items) die("out of memory");
    }
    p->items[p->n++] = s;
}

static void read_corpus(pool *p, const char *path, size_t want)
{
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    char *line = NULL;
    size_t cap = 0, total = 0;
    ssize_t got;
    /* enough records for the largest article, not the whole corpus */
    while (total < want && (got = getline(&line, &cap, f)) > 0) {
        json_error_t jerr;
        json_t *rec = json_loadb(line, (size_t)got, 0, &jerr);
        json_t *title = json_object_get(rec, "title"), *body = json_object_get(rec, "text");
        if (json_is_string(body)) {
            text t = {0};
            if (json_is_string(title)) {
                puts_text(&t, json_string_value(title));
                puts_text(&t, "\n");
            }
            puts_text(&t, json_string_value(body));
            puts_text(&t, "\n\n");
            total += t.len;
            pool_add(p, t.data);
        }
        json_decref(rec);
    }
    free(line);
    fclose(f);
}

/* CoNLL files (TOKEN<TAB>TAG a line, a blank line between sentences,
 * -DOCSTART- between articles): each article's tokens joined by spaces, its
 * first sentence a title line. */
static void read_conll(pool *p, const char *path)
{
    size_t len;
    char *data = read_file(path, &len);
    text t = {0};
    int sentences = 0, at_start = 1;
    for (char *line = data; line && *line;) {
        char *end = strchr(line, '\n');
        if (end) *end = '\0';
        char *tab = strpbrk(line, "\t ");
        if (tab) *tab = '\0';
        if (!strcmp(line, "-DOCSTART-")) {
            if (t.len) {
                puts_text(&t, "\n\n");
                pool_add(p, t.data);
                t = (text){0};
            }
            sentences = 0;
            at_start = 1;
        } else if (!*line) {
            if (!at_start && ++sentences == 1) puts_text(&t, "\n");
            at_start = 1;
        } else {
            if (!at_start) puts_text(&t, " ");
            else if (sentences > 1) puts_text(&t, " ");
            puts_text(&t, line);
            at_start = 0;
        }
        line = end ? end + 1 : NULL;
    }
    if (t.len) {
        puts_text(&t, "\n\n");
        pool_add(p, t.data);
    }
    free(data);
}

/* ---- shapes of the shapes file ---- */

typedef struct list {
    char name[32];
    char **items;
    size_t n, next;
} list;

typedef struct shape {
    char name[32];
    char *unit; /* NULL: built from the real text */
} shape;

static list lists[MAX_LISTS];
static size_t n_lists;
static shape shapes[MAX_SHAPES];
static size_t n_shapes;

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) die("out of memory");
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void read_shapes(const char *path)
{
    size_t len;
    char *data = read_file(path, &len);
    for (char *line = data; line && *line;) {
        char *end = strchr(line, '\n');
        if (end) *end = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] != '#' && tab) {
            *tab = '\0';
            const char *value = tab + 1;
            if (!strncmp(line, "list ", 5) && n_lists < MAX_LISTS) {
                list *l = &lists[n_lists++];
                snprintf(l->name, sizeof l->name, "%s", line + 5);
                for (const char *s = value;;) {
                    const char *bar = strchr(s, '|');
                    size_t n = bar ? (size_t)(bar - s) : strlen(s);
                    l->items = realloc(l->items, (l->n + 1) * sizeof *l->items);
                    if (!l->items) die("out of memory");
                    l->items[l->n++] = dup_n(s, n);
                    if (!bar) break;
                    s = bar + 1;
                }
            } else if (!strncmp(line, "shape ", 6) && n_shapes < MAX_SHAPES) {
                shape *sh = &shapes[n_shapes++];
                snprintf(sh->name, sizeof sh->name, "%s", line + 6);
                sh->unit = dup_n(value, strlen(value));
            }
        }
        line = end ? end + 1 : NULL;
    }
    free(data);
}

static list *find_list(const char *name, size_t n)
{
    for (size_t i = 0; i < n_lists; i++)
        if (strlen(lists[i].name) == n && !memcmp(lists[i].name, name, n)) return &lists[i];
    return NULL;
}

/* One unit with its {list} and {#} filled in. */
static void put_unit(text *t, const char *unit, unsigned long *counter)
{
    for (const char *s = unit; *s;) {
        const char *close = *s == '{' ? strchr(s, '}') : NULL;
        if (!close) {
            put(t, s, 1);
            s++;
            continue;
        }
        char num[32];
        if (close == s + 2 && s[1] == '#') {
            snprintf(num, sizeof num, "%lu", ++*counter);
            puts_text(t, num);
        } else {
            list *l = find_list(s + 1, (size_t)(close - s - 1));
            if (l && l->n) puts_text(t, l->items[l->next++ % l->n]);
        }
        s = close + 1;
    }
}

/* The real text reshaped: one paragraph, one sentence without punctuation,
 * or one word a line. */
static void put_reshaped(text *t, const char *s, const char *how)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s);
    int space = 0;
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, n, &cp);
        if (k <= 0) k = 1, cp = ' ';
        utf8proc_category_t cat = utf8proc_category(cp);
        int is_space = cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' || cat == UTF8PROC_CATEGORY_ZS;
        int is_punct = cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
        if (is_space || (!strcmp(how, "nopunct") && is_punct)) {
            space = 1;
        } else {
            if (space && t->len) puts_text(t, !strcmp(how, "lines") ? "\n" : " ");
            space = 0;
            put(t, (const char *)p, (size_t)k);
        }
        p += k;
        n -= k;
    }
    space = 1;
    puts_text(t, !strcmp(how, "lines") ? "\n" : " ");
}

/* An article of shape `name`, at least `size` bytes. */
static void build(text *t, const char *name, const pool *real, size_t size)
{
    t->len = 0;
    unsigned long counter = 0;
    for (size_t i = 0; i < n_lists; i++) lists[i].next = 0;
    const shape *sh = NULL;
    for (size_t i = 0; i < n_shapes; i++)
        if (!strcmp(shapes[i].name, name)) sh = &shapes[i];
    if (strcmp(name, "news") && strcmp(name, "lines")) {
        /* a title line of its own: the rest is all body */
        list *title = find_list("title", 5);
        puts_text(t, title && title->n ? title->items[0] : "title");
        puts_text(t, "\n");
    }
    for (size_t k = 0; t->len < size; k++) {
        if (sh) put_unit(t, sh->unit, &counter);
        else if (!strcmp(name, "news")) puts_text(t, real->items[k % real->n]);
        else put_reshaped(t, real->items[k % real->n], name);
    }
}

/* ---- measuring ---- */

static double analyze_once(khabar_analyzer *an, const text *t, unsigned skip)
{
    khabar_options opts = {0};
    opts.skip = skip;
    opts.max_bytes = t->len + 1;
    khabar_doc *doc;
    khabar_error err;
    double t0 = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
    if (khabar_analyze(an, t->data, t->len, &opts, &doc, &err) != KHABAR_OK) {
        fprintf(stderr, "scaling: %s\n", err.message);
        exit(2);
    }
    size_t len;
    if (!khabar_doc_json(doc, 0, &len)) die("out of memory writing JSON");
    khabar_doc_free(doc);
    return bench_clock(CLOCK_PROCESS_CPUTIME_ID) - t0;
}

static double best_of(khabar_analyzer *an, const text *t, unsigned skip, int runs)
{
    double best = 0;
    for (int r = 0; r < runs; r++) {
        double s = analyze_once(an, t, skip);
        if (r == 0 || s < best) best = s;
    }
    return best;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Bytes of peak memory the analysis of t adds, per input byte, measured in
 * a child (its peak is its own) of a process that has analysed nothing
 * yet; the child first analyses a one-line article, so that what every
 * article needs (the word caches) is in the baseline.  -1 when it could
 * not be measured. */
static double memory_per_byte(khabar_analyzer *an, const text *t)
{
    int fd[2];
    if (pipe(fd)) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fd[0]);
        text tiny = {0};
        puts_text(&tiny, "x");
        analyze_once(an, &tiny, 0);
        long before = rss_kib();
        analyze_once(an, t, 0);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double per = (double)(ru.ru_maxrss - before) * 1024.0 / (double)t->len;
        ssize_t w = write(fd[1], &per, sizeof per);
        _exit(w == (ssize_t)sizeof per ? 0 : 1);
    }
    close(fd[1]);
    double per = -1;
    if (read(fd[0], &per, sizeof per) != (ssize_t)sizeof per) per = -1;
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    return per;
}

static const struct {
    const char *name;
    unsigned bit;
} stages[] = {
    {"entities", KHABAR_SKIP_ENTITIES}, {"facts", KHABAR_SKIP_FACTS},
    {"duplicates", KHABAR_SKIP_DUPLICATES}, {"quotes", KHABAR_SKIP_QUOTES},
    {"tags", KHABAR_SKIP_TAGS}, {"summary", KHABAR_SKIP_SUMMARY},
};
#define N_STAGES (sizeof stages / sizeof stages[0])

static int wanted(const char *only, const char *name)
{
    if (!only) return 1;
    size_t n = strlen(name);
    for (const char *s = only; *s;) {
        const char *comma = strchr(s, ',');
        size_t k = comma ? (size_t)(comma - s) : strlen(s);
        if (k == n && !memcmp(s, name, n)) return 1;
        if (!comma) break;
        s = comma + 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *corpus = NULL, *shapes_file = "bench/shapes.txt", *only = NULL;
    const char *texts[16], *conll[16];
    size_t n_texts = 0, n_conll = 0, size = 1 << 20;
    int steps = 3, runs = 3, show_stages = 0, show_memory = 0;
    double check = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--corpus") && v) corpus = v, i++;
        else if (!strcmp(a, "--text") && v && n_texts < 16) texts[n_texts++] = v, i++;
        else if (!strcmp(a, "--conll") && v && n_conll < 16) conll[n_conll++] = v, i++;
        else if (!strcmp(a, "--shapes-file") && v) shapes_file = v, i++;
        else if (!strcmp(a, "--only") && v) only = v, i++;
        else if (!strcmp(a, "--size") && v) size = strtoul(v, NULL, 10), i++;
        else if (!strcmp(a, "--steps") && v) steps = atoi(v), i++;
        else if (!strcmp(a, "--runs") && v) runs = atoi(v), i++;
        else if (!strcmp(a, "--check") && v) check = atof(v), i++;
        else if (!strcmp(a, "--stages")) show_stages = 1;
        else if (!strcmp(a, "--memory")) show_memory = 1;
        else {
            fprintf(stderr, "usage: scaling [--corpus FILE.jsonl] [--text FILE]... [--conll FILE]...\n"
                            "               [--shapes-file FILE]\n"
                            "               [--only LIST] [--size BYTES] [--steps N] [--runs N]\n"
                            "               [--stages] [--memory] [--check RATIO]\n");
            return 2;
        }
    }
    if (steps < 2 || steps > MAX_STEPS || runs < 1 || size < 1024) {
        fprintf(stderr, "scaling: --steps 2..%d, --runs 1 or more, --size 1024 or more\n", MAX_STEPS);
        return 2;
    }
    read_shapes(shapes_file);
    size_t largest = size << (steps - 1);
    pool real = {0};
    if (corpus) read_corpus(&real, corpus, largest);
    for (size_t i = 0; i < n_texts; i++) {
        size_t len;
        pool_add(&real, read_file(texts[i], &len));
    }
    for (size_t i = 0; i < n_conll; i++) read_conll(&real, conll[i]);
    khabar_model *model;
    khabar_analyzer *an;
    khabar_error err;
    if (khabar_model_new(&model, &err) != KHABAR_OK || khabar_analyzer_new(model, &an, &err) != KHABAR_OK) {
        fprintf(stderr, "scaling: %s\n", err.message);
        return 2;
    }
    const char *builtin[] = {"news", "para", "nopunct", "lines"};
    const char *names[MAX_SHAPES + 4];
    size_t n_names = 0;
    for (size_t i = 0; i < 4; i++)
        if (real.n) names[n_names++] = builtin[i];
    for (size_t i = 0; i < n_shapes; i++) names[n_names++] = shapes[i].name;

    printf("%-9s %10s %9s %6s", "shape", "bytes", "cpu s", "ratio");
    if (show_memory) printf(" %8s", "mem B/B");
    if (show_stages) {
        printf(" %9s", "base s");
        for (size_t k = 0; k < N_STAGES; k++) printf(" %10s", stages[k].name);
    }
    printf("\n");
    double worst = 0;
    const char *worst_shape = "";
    text t = {0};
    /* memory first, while this process has analysed nothing */
    static double memory[MAX_SHAPES + 4][MAX_STEPS];
    for (size_t s = 0; s < n_names && show_memory; s++)
        for (int step = 0; step < steps && wanted(only, names[s]); step++) {
            build(&t, names[s], &real, size << step);
            memory[s][step] = memory_per_byte(an, &t);
        }
    for (size_t s = 0; s < n_names; s++) {
        if (!wanted(only, names[s])) continue;
        double prev = 0;
        for (int step = 0; step < steps; step++) {
            build(&t, names[s], &real, size << step);
            analyze_once(an, &t, 0); /* the word caches warm, as in a stream of articles */
            double sec = best_of(an, &t, 0, runs);
            double ratio = step ? sec / prev : 0;
            if (step && ratio > worst) worst = ratio, worst_shape = names[s];
            printf("%-9s %10zu %9.3f ", names[s], t.len, sec);
            if (step) printf("%6.2f", ratio);
            else printf("%6s", "-");
            if (show_memory) printf(" %8.1f", memory[s][step]);
            if (show_stages) {
                double base = best_of(an, &t, KHABAR_SKIP_ANALYSES, runs);
                printf(" %9.3f", base);
                for (size_t k = 0; k < N_STAGES; k++) {
                    /* an analysis with what it reads (tags read the entities,
                     * the summary the tags), less the time of those */
                    unsigned needs = stages[k].bit == KHABAR_SKIP_TAGS      ? KHABAR_SKIP_ENTITIES
                                     : stages[k].bit == KHABAR_SKIP_SUMMARY ? KHABAR_SKIP_ENTITIES | KHABAR_SKIP_TAGS
                                                                            : 0;
                    double with = best_of(an, &t, KHABAR_SKIP_ANALYSES & ~(needs | stages[k].bit), runs);
                    double without = needs ? best_of(an, &t, KHABAR_SKIP_ANALYSES & ~needs, runs) : base;
                    printf(" %10.3f", with - without);
                }
            }
            printf("\n");
            fflush(stdout);
            prev = sec;
        }
    }
    printf("worst ratio of time for twice the bytes: %.2f (%s)\n", worst, worst_shape);
    khabar_analyzer_free(an);
    khabar_model_free(model);
    free(t.data);
    for (size_t i = 0; i < real.n; i++) free(real.items[i]);
    free(real.items);
    for (size_t i = 0; i < n_lists; i++) {
        for (size_t k = 0; k < lists[i].n; k++) free(lists[i].items[k]);
        free(lists[i].items);
    }
    for (size_t i = 0; i < n_shapes; i++) free(shapes[i].unit);
    if (check > 0 && worst > check) {
        fprintf(stderr, "scaling: time grows faster than the article: %.2f times for twice the bytes (%s), "
                        "more than %.2f\n", worst, worst_shape, check);
        return 1;
    }
    return 0;
}
