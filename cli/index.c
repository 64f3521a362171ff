/* khabar index: articles analysed and stored in an archive (docs/archive.md).
 * Articles are read in batches; each batch is analysed on the threads while
 * one writer thread commits the batch before it, in input order. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "khabar_archive.h"

static const char usage_text[] =
    "usage: khabar index --db FILE [--jsonl | --html] [--threads N] [FILE...]   (FILE '-' is stdin)\n"
    "       khabar index --db FILE --delete ID...\n"
    "\n"
    "Analyses articles and stores each with its analysis in the archive FILE (made\n"
    "when missing).  Plain text: one article per file, its id the file name as\n"
    "given; a file named *.html or *.htm, or any file with --html, is a web page\n"
    "whose article is extracted (khabar extract) and stored with its title and\n"
    "date.  JSON lines: {\"id\", \"title\"?, \"text\", \"date\"?} a line, or \"html\"\n"
    "(a page) instead of \"text\".  An id indexed\n"
    "again replaces the article stored with it.  Articles are committed in batches:\n"
    "an interrupted run loses at most the open batch, and running it again\n"
    "finishes the job.\n"
    "\n"
    "options:\n"
    "  --db FILE       the archive\n"
    "  --jsonl         read JSON lines (stdin when no FILE)\n"
    "  --html          every FILE is an HTML page\n"
    "  --threads N     analyse on N threads (0: one per processor; default 1)\n"
    "  --batch N       articles per commit (default 512)\n"
    "  --delete ID...  remove the articles with these ids\n"
    "\n"
    "Exit status: 0 when every article was stored, 1 when any failed (each failure\n"
    "is reported with its file and line, and the others are stored), 2 on a usage\n"
    "or system error.\n";

typedef struct item {
    const char *path;
    size_t lineno;           /* 0 for a whole file */
    char *input;             /* the line or the file, malloc'd */
    size_t input_len;
    /* the article, filled by the analysis; strings malloc'd */
    char *id, *title, *date, *text;
    size_t id_len, title_len, date_len, text_len;
    khabar_doc *doc;
    void *packed;            /* the doc's JSON rendered and packed by the analysing thread */
    size_t packed_len;
    char *message;           /* why it failed, or a warning, malloc'd */
    int failed;
} item;

typedef struct batch {
    item *items;
    size_t n, cap;
    size_t input;            /* bytes of input its items came from */
} batch;

typedef struct run {
    khabar_archive *ar;
    khabar_analyzer **analyzers;
    unsigned threads;
    int jsonl;
    int html;                /* every file is a page */
    size_t batch_size;
    batch batches[2];
    int filling;             /* the batch being filled and analysed */
    pthread_t writer;
    int writing;             /* a writer thread is running */
    int write_rc;
    int rc;
    size_t stored, bytes;
    size_t written_input;    /* input of the batches written (the writer's) */
    size_t total_input;      /* the input files' size, 0 when unknown (stdin) */
    struct timespec started;
    int progress;            /* stderr is a terminal */
} run;

static char *copy_of(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void set_message(item *it, const char *msg, int failed)
{
    free(it->message);
    it->message = copy_of(msg, strlen(msg));
    it->failed = failed;
}

static void item_clear(item *it)
{
    free(it->input);
    free(it->id);
    free(it->title);
    free(it->date);
    free(it->text);
    free(it->message);
    khabar_doc_free(it->doc);
    khabar_archive_packed_free(it->packed);
    memset(it, 0, sizeof *it);
}

/* A JSON-lines record's string field, copied; 0 when absent. */
static int string_field(json_t *rec, const char *name, char **out, size_t *len, item *it)
{
    json_t *v = json_object_get(rec, name);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) {
        char msg[64];
        snprintf(msg, sizeof msg, "the record's \"%s\" is not a string", name);
        set_message(it, msg, 1);
        return -1;
    }
    *len = json_string_length(v);
    if (!(*out = copy_of(json_string_value(v), *len))) {
        set_message(it, "out of memory", 1);
        return -1;
    }
    return 0;
}

static int read_record(item *it)
{
    json_error_t jerr;
    json_t *rec = json_loadb(it->input, it->input_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!rec || !json_is_object(rec)) {
        char msg[256];
        snprintf(msg, sizeof msg, "not a JSON object: %s", rec ? "another JSON value" : jerr.text);
        set_message(it, msg, 1);
        json_decref(rec);
        return -1;
    }
    json_t *id = json_object_get(rec, "id");
    int rc = 0;
    if (json_is_string(id)) {
        it->id_len = json_string_length(id);
        it->id = copy_of(json_string_value(id), it->id_len);
    } else if (json_is_integer(id)) {
        char tmp[32];
        it->id_len = (size_t)snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        it->id = copy_of(tmp, it->id_len);
    } else {
        set_message(it, "the record has no \"id\" (a string or an integer)", 1);
        rc = -1;
    }
    if (!rc && (!it->id || it->id_len == 0)) {
        set_message(it, it->id ? "the record's \"id\" is empty" : "out of memory", 1);
        rc = -1;
    }
    char *html = NULL;
    size_t html_len = 0;
    if (!rc && (string_field(rec, "text", &it->text, &it->text_len, it) ||
                string_field(rec, "html", &html, &html_len, it) ||
                string_field(rec, "title", &it->title, &it->title_len, it) ||
                string_field(rec, "date", &it->date, &it->date_len, it)))
        rc = -1;
    if (!rc && !it->text && !html) {
        set_message(it, "the record has no \"text\" (nor \"html\")", 1);
        rc = -1;
    }
    if (!rc && it->text && html) {
        set_message(it, "the record has both \"text\" and \"html\"", 1);
        rc = -1;
    }
    /* a page: kept in `input`, which the record is no longer needed from */
    free(it->input);
    it->input = html;
    it->input_len = html_len;
    json_decref(rec);
    return rc;
}

static int is_day(const char *s, size_t n)
{
    if (n < 10) return 0;
    for (size_t i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return 0;
    return 1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcasecmp(s + n - t, tail);
}

/* The page in it->input: its article is the text, its title and date the
 * article's unless the record gave them (`o` has the record's). */
static void analyze_html(khabar_analyzer *an, item *it, khabar_options *o)
{
    khabar_page *page = NULL;
    khabar_error err;
    char msg[256];
    if (khabar_extract(it->input, it->input_len, NULL, &page, &err) != KHABAR_OK) {
        snprintf(msg, sizeof msg, "not a page khabar can read: %s", err.message);
        set_message(it, msg, 1);
        return;
    }
    size_t n;
    const char *text = khabar_page_get(page, KHABAR_PAGE_TEXT, &n);
    const char *title = it->title ? NULL : khabar_page_get(page, KHABAR_PAGE_TITLE, NULL);
    const char *date = it->date ? NULL : khabar_page_get(page, KHABAR_PAGE_DATE, NULL);
    int failed = !(it->text = copy_of(text, it->text_len = n)) ||
                 (title && !(it->title = copy_of(title, it->title_len = strlen(title))));
    if (!failed && date && is_day(date, strlen(date)))
        failed = !(it->date = copy_of(date, it->date_len = 10));
    if (failed) {
        set_message(it, "out of memory", 1);
    } else if (khabar_analyze_page(an, page, o, &it->doc, &err) != KHABAR_OK) {
        snprintf(msg, sizeof msg, err.code == KHABAR_ERROR_EMPTY ? "the page has no article text"
                                                                 : "%s (byte %zu of the page's text)",
                 err.message, err.offset);
        set_message(it, msg, 1);
    }
    khabar_page_free(page);
}

static void analyze_item(khabar_analyzer *an, int jsonl, int html, item *it)
{
    khabar_options o = {0};
    if (jsonl) {
        if (read_record(it)) return;
        if (it->date && !is_day(it->date, it->date_len)) {
            set_message(it, "the record's \"date\" is not YYYY-MM-DD: stored without a date", 0);
            free(it->date);
            it->date = NULL;
        }
        o.flags = KHABAR_OPTION_NO_TITLE;
        o.title = it->title;
        o.title_len = it->title_len;
        char day[11];
        if (it->date) {
            memcpy(day, it->date, 10);
            day[10] = '\0';
            o.date = day;
        }
        if (!it->text) {
            analyze_html(an, it, &o);
            return;
        }
        khabar_error err;
        if (khabar_analyze(an, it->text, it->text_len, &o, &it->doc, &err) != KHABAR_OK) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s (byte %zu)", err.message, err.offset);
            set_message(it, msg, 1);
        }
        return;
    }
    if (html || ends_with(it->path, ".html") || ends_with(it->path, ".htm")) {
        it->id_len = strlen(it->path);
        if (!(it->id = copy_of(it->path, it->id_len))) { set_message(it, "out of memory", 1); return; }
        analyze_html(an, it, &o);
        return;
    }
    it->text = it->input;
    it->text_len = it->input_len;
    it->input = NULL;
    it->id_len = strlen(it->path);
    it->id = copy_of(it->path, it->id_len);
    khabar_error err;
    if (!it->id) { set_message(it, "out of memory", 1); return; }
    if (khabar_analyze(an, it->text, it->text_len, &o, &it->doc, &err) != KHABAR_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s (byte %zu)", err.message, err.offset);
        set_message(it, msg, 1);
        return;
    }
    const khabar_span *title = khabar_doc_title(it->doc);
    if (title && !(it->title = copy_of(title->text, it->title_len = title->text_len)))
        set_message(it, "out of memory", 1);
}

typedef struct batch_run {
    run *r;
    batch *b;
} batch_run;

static void index_item(void *ctx, khabar_analyzer *an, size_t i)
{
    const batch_run *br = ctx;
    item *it = &br->b->items[i];
    analyze_item(an, br->r->jsonl, br->r->html, it);
    /* rendered and packed here, on N threads, rather than by the one writer
     * (a failure leaves it to the writer, which reports it) */
    size_t json_len;
    const char *json = it->doc && !it->failed ? khabar_doc_json(it->doc, 0, &json_len) : NULL;
    if (json && khabar_archive_pack(json, json_len, &it->packed, &it->packed_len, NULL)) it->packed = NULL;
}

static void analyze_batch(run *r, batch *b)
{
    batch_run br = {r, b};
    cli_parallel_each(r->analyzers, r->threads, b->n, index_item, &br);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The writer: one batch, one transaction, in input order. */
static void *write_batch(void *arg)
{
    run *r = arg;
    batch *b = &r->batches[!r->filling];
    khabar_error err;
    int rc = 0;
    if (khabar_archive_begin(r->ar, &err)) {
        cli_error("%s", err.message);
        r->write_rc = 2;
        return NULL;
    }
    for (size_t i = 0; i < b->n; i++) {
        item *it = &b->items[i];
        char where[64] = "";
        if (it->lineno) snprintf(where, sizeof where, ":%zu", it->lineno);
        if (it->message) cli_error("%s%s: %s", it->path, where, it->message);
        if (it->failed) {
            rc = 1;
            continue;
        }
        khabar_article a = {it->id, it->id_len, it->title, it->title_len,
                            it->date, it->date_len, it->text, it->text_len, NULL, 0, it->packed, it->packed_len};
        if (khabar_archive_add(r->ar, &a, it->doc, &err)) {
            cli_error("%s%s: %s", it->path, where, err.message);
            rc = err.code == KHABAR_ERROR_IO || err.code == KHABAR_ERROR_MEMORY ? 2 : 1;
            if (rc == 2) break;
            continue;
        }
        r->stored++;
        r->bytes += it->text_len;
    }
    if (rc < 2 && khabar_archive_commit(r->ar, &err)) {
        cli_error("%s", err.message);
        rc = 2;
    }
    if (rc > r->write_rc) r->write_rc = rc;
    for (size_t i = 0; i < b->n; i++) item_clear(&b->items[i]);
    b->n = 0;
    size_t input = b->input;
    b->input = 0;
    if (r->progress) {
        double s = seconds_since(&r->started);
        r->written_input += input;
        fprintf(stderr, "\r%zu articles, %.1f MB, %.0f articles/s", r->stored,
                (double)r->bytes / 1e6, s > 0 ? (double)r->stored / s : 0.0);
        if (r->total_input && r->written_input && r->written_input < r->total_input)
            fprintf(stderr, ", %.0f s left",
                    s * (double)(r->total_input - r->written_input) / (double)r->written_input);
        fputs("   ", stderr);
    }
    return NULL;
}

static int wait_writer(run *r)
{
    if (r->writing) {
        pthread_join(r->writer, NULL);
        r->writing = 0;
    }
    return r->write_rc;
}

/* Analyses the batch being filled, then hands it to the writer once the
 * writer is done with the previous one. */
static int flush(run *r)
{
    batch *b = &r->batches[r->filling];
    if (!b->n) return 0;
    analyze_batch(r, b);
    if (wait_writer(r) >= 2) return 2;
    r->filling = !r->filling;
    if (pthread_create(&r->writer, NULL, write_batch, r)) {
        write_batch(r);
        return r->write_rc >= 2 ? 2 : 0;
    }
    r->writing = 1;
    return 0;
}

static item *new_item(run *r, const char *path, size_t lineno)
{
    batch *b = &r->batches[r->filling];
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        item *p = realloc(b->items, cap * sizeof *p);
        if (!p) return NULL;
        b->items = p;
        b->cap = cap;
    }
    item *it = &b->items[b->n++];
    memset(it, 0, sizeof *it);
    it->path = path;
    it->lineno = lineno;
    return it;
}

typedef struct line_ctx {
    run *r;
    const char *path;
} line_ctx;

static int collect_line(void *ctx, size_t lineno, const char *line, size_t len)
{
    line_ctx *c = ctx;
    item *it = new_item(c->r, c->path, lineno);
    if (!it || !(it->input = copy_of(line, len))) {
        cli_error("%s:%zu: out of memory", c->path, lineno);
        return 2;
    }
    it->input_len = len;
    c->r->batches[c->r->filling].input += len + 1;
    if (c->r->batches[c->r->filling].n >= c->r->batch_size) return flush(c->r);
    return 0;
}

static int collect_file(run *r, const char *path)
{
    item *it = new_item(r, path, 0);
    if (!it) { cli_error("out of memory"); return 2; }
    if (cli_read_file(path, &it->input, &it->input_len)) {
        cli_error("%s: cannot read: %m", path);
        r->batches[r->filling].n--;
        return 1;
    }
    r->batches[r->filling].input += it->input_len;
    if (r->batches[r->filling].n >= r->batch_size) return flush(r);
    return 0;
}

/* The inputs' total size for the time left, 0 when one is not a regular
 * file (stdin, a pipe). */
static size_t total_size(const char **inputs, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (!strcmp(inputs[i], "-") || stat(inputs[i], &st) || !S_ISREG(st.st_mode)) return 0;
        total += (size_t)st.st_size;
    }
    return total;
}

static int delete_ids(khabar_archive *ar, char **ids, int n)
{
    khabar_error err;
    int rc = 0;
    if (khabar_archive_begin(ar, &err)) {
        cli_error("%s", err.message);
        return 2;
    }
    size_t deleted = 0;
    for (int i = 0; i < n; i++) {
        int found;
        if (khabar_archive_delete(ar, ids[i], strlen(ids[i]), &found, &err)) {
            cli_error("%s", err.message);
            return 2;
        }
        if (found) deleted++;
        else {
            cli_error("no article with id '%s'", ids[i]);
            rc = 1;
        }
    }
    if (khabar_archive_commit(ar, &err)) {
        cli_error("%s", err.message);
        return 2;
    }
    fprintf(stderr, "khabar: deleted %zu article%s\n", deleted, deleted == 1 ? "" : "s");
    return rc;
}

static int parse_count(const char *opt, const char *v, long max, long *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end || n < 0 || n > max) {
        cli_error("index: %s needs a number from 0 to %ld", opt, max);
        return -1;
    }
    *out = n;
    return 0;
}

int cli_index(int argc, char **argv)
{
    const char *db = NULL;
    int jsonl = 0, del = 0, html = 0;
    long threads = 1, batch_size = 512;
    char **files = malloc((size_t)argc * sizeof *files);
    int nfiles = 0;
    if (!files) return 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage_text, stdout); free(files); return 0; }
        else if (!strcmp(a, "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(a, "--jsonl")) jsonl = 1;
        else if (!strcmp(a, "--html")) html = 1;
        else if (!strcmp(a, "--delete")) del = 1;
        else if (!strcmp(a, "--threads") && i + 1 < argc) {
            if (parse_count(a, argv[++i], 256, &threads)) { free(files); return 2; }
        } else if (!strcmp(a, "--batch") && i + 1 < argc) {
            if (parse_count(a, argv[++i], 1000000, &batch_size)) { free(files); return 2; }
            if (batch_size == 0) batch_size = 1;
        } else if (a[0] == '-' && a[1] != '\0' && !del) {
            cli_error("index: unknown option '%s'", a);
            fputs(usage_text, stderr);
            free(files);
            return 2;
        } else files[nfiles++] = argv[i];
    }
    if (!db || (del && nfiles == 0) || (!del && !jsonl && nfiles == 0) || (jsonl && html)) {
        fputs(usage_text, stderr);
        free(files);
        return 2;
    }
    khabar_archive *ar;
    khabar_error err;
    if (khabar_archive_open_with_model(db, del ? 0 : KHABAR_ARCHIVE_CREATE, cli_model(), &ar, &err)) {
        cli_error("%s", err.message);
        free(files);
        return 2;
    }
    if (del) {
        int rc = delete_ids(ar, files, nfiles);
        khabar_archive_close(ar);
        free(files);
        return rc;
    }
    if (threads == 0) threads = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
    khabar_model *model = cli_model();
    run r = {0};
    r.ar = ar;
    r.jsonl = jsonl;
    r.html = html;
    r.threads = (unsigned)threads;
    r.batch_size = (size_t)batch_size;
    r.progress = isatty(2);
    clock_gettime(CLOCK_MONOTONIC, &r.started);
    r.analyzers = calloc(r.threads, sizeof *r.analyzers);
    int rc = model && r.analyzers ? 0 : 2;
    for (unsigned t = 0; !rc && t < r.threads; t++)
        if (khabar_analyzer_new(model, &r.analyzers[t], &err)) {
            cli_error("%s", err.message);
            rc = 2;
        }
    const char *stdin_only[] = {"-"};
    const char **inputs = nfiles ? (const char **)files : stdin_only;
    int n_inputs = nfiles ? nfiles : 1;
    if (r.progress) r.total_input = total_size(inputs, n_inputs);
    for (int i = 0; rc < 2 && i < n_inputs; i++) {
        int frc;
        if (jsonl) {
            line_ctx c = {&r, inputs[i]};
            frc = cli_each_line(inputs[i], collect_line, &c);
            if (frc < 0) frc = 1;
        } else {
            frc = collect_file(&r, inputs[i]);
        }
        if (frc > rc) rc = frc;
    }
    if (rc < 2) {
        int frc = flush(&r);
        if (frc > rc) rc = frc;
    }
    int wrc = wait_writer(&r);
    if (wrc > rc) rc = wrc;
    /* a batch left unwritten after a failure */
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < r.batches[k].n; i++) item_clear(&r.batches[k].items[i]);
        free(r.batches[k].items);
    }
    if (r.progress) fputc('\n', stderr);
    for (unsigned t = 0; r.analyzers && t < r.threads; t++) khabar_analyzer_free(r.analyzers[t]);
    free(r.analyzers);
    khabar_archive_close(ar);
    free(files);
    return rc;
}
