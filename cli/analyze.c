/* khabar analyze: articles in, one JSON object per article out. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "khabar_archive.h"

static const char usage_text[] =
    "usage: khabar analyze [OPTIONS] FILE...      (FILE '-' is stdin)\n"
    "       khabar analyze --jsonl [OPTIONS] [FILE...]\n"
    "\n"
    "Plain text: one article per file, the first non-empty line its title.\n"
    "HTML: one page per file; its title, date, author and url come with it.\n"
    "JSON lines: one record a line, {\"id\", \"title\"?, \"text\", \"date\"?}; one JSON\n"
    "line out per record, in order, with the same id (any JSON value).  A record\n"
    "that fails gives {\"id\", \"line\", \"error\": {\"code\", \"message\", \"offset\"}}\n"
    "in its place; an article or a file that fails (missing, a directory) gives\n"
    "{\"file\", \"error\": {...}} in its place, and the run goes on.  With several\n"
    "FILEs every output line carries \"file\".  Into a pipe or a terminal each line\n"
    "is flushed as soon as it is written.\n"
    "\n"
    "options:\n"
    "  --jsonl            read JSON lines (stdin when no FILE)\n"
    "  --html             the files are HTML pages: their articles are analysed\n"
    "                     (khabar extract), offsets pointing into the extracted\n"
    "                     text; automatic for FILE.html, FILE.htm and a file that\n"
    "                     starts with <!DOCTYPE or <html\n"
    "  --tokens           include \"tokens\" (text, norm, stem, kind, segments, offsets)\n"
    "  --pretty           indent the JSON\n"
    "  --replace-invalid  replace invalid UTF-8 by U+FFFD (reported as a repair)\n"
    "                     instead of failing the article (text whose encoding cannot\n"
    "                     be told, too)\n"
    "  --encoding NAME    the input's encoding (windows-1256, iso-8859-6, utf-16...);\n"
    "                     without it, text that is not UTF-8 is detected, converted\n"
    "                     and reported as an \"encoding\" repair\n"
    "  --no-title         plain text: the first line is text, not a title\n"
    "  --date YYYY-MM-DD  the articles' date: relative dates (أمس، قبل يومين) resolve\n"
    "                     against it (a JSON-lines \"date\" overrides it); a calendar\n"
    "                     date, checked like a record's \"date\"\n"
    "  --max-bytes N      largest article accepted (default 268435456)\n"
    "  --skip LIST        analyses to leave out, comma-separated: facts (quantities\n"
    "                     and dates), duplicates, entities, quotes, tags, summary;\n"
    "                     \"all\" leaves the structure, sentences (and tokens) alone\n"
    "  --summary N        sentences in \"summary\" (default 3)\n"
    "  --db FILE          a khabar archive (khabar index): the tags weigh a word's\n"
    "                     rarity in its articles with the built-in reference\n"
    "                     corpus's, so that the words of the archive's usual\n"
    "                     subjects rank lower\n"
    "  --threads N        JSON lines: analyse on N threads (0: one per processor;\n"
    "                     default 1); the output keeps the input's order, and comes\n"
    "                     in batches of 256 records (use 1 thread for a dialogue)\n"
    "\n"
    "Exit status: 0 when every article was analysed, 1 when any failed, 2 on a\n"
    "usage or system error.  Offsets are bytes into the input as given (into\n"
    "its UTF-8 conversion when it was in another encoding).\n";

typedef struct settings {
    unsigned json_flags;
    khabar_options opts;
    int jsonl;
    int html; /* --html: every file is an HTML page */
    unsigned threads;
} settings;

/* Returns 0, or 2 when memory ran out or the output failed. */
static int emit(khabar_doc *doc, unsigned flags)
{
    size_t len;
    const char *json = khabar_doc_json(doc, flags, &len);
    if (!json) { cli_error("out of memory writing JSON"); return 2; }
    fwrite(json, 1, len, stdout);
    putchar('\n');
    return cli_output_record();
}

/* A file that cannot be read gives an error record in its place: the run
 * goes on.  Returns 1, or 2 when the output failed. */
static int unreadable(khabar_analyzer *an, const char *path, int errnum)
{
    khabar_error err = {.code = KHABAR_ERROR_IO};
    snprintf(err.message, sizeof err.message, "cannot read the file: %s",
             errnum ? strerror(errnum) : "read error");
    return cli_file_error(an, path, &err) ? 2 : 1;
}

static int analyze_file(khabar_analyzer *an, const char *path, const settings *s)
{
    char *text;
    size_t len;
    int e = cli_unreadable(path);
    if (e || cli_read_file(path, &text, &len)) return unreadable(an, path, e ? e : errno);
    khabar_options opts = s->opts;
    khabar_error err;
    khabar_doc *doc = NULL;
    khabar_status st;
    int rc = 0;
    if (s->html || cli_is_html(path, text, len)) {
        /* a page reads its own encoding (<meta charset>) */
        khabar_page *page = NULL;
        khabar_extract_options eo = {.max_bytes = opts.max_bytes, .encoding = cli_encoding};
        st = khabar_extract(text, len, &eo, &page, &err);
        if (st == KHABAR_OK) {
            opts.source_encoding = khabar_page_get(page, KHABAR_PAGE_ENCODING, NULL);
            st = khabar_analyze_page(an, page, &opts, &doc, &err);
        }
        khabar_page_free(page);
    } else if (cli_decode(&text, &len, &opts.source_encoding, &err) &&
               !(opts.flags & KHABAR_OPTION_REPLACE_INVALID)) {
        st = err.code;
    } else {
        /* With --replace-invalid, text whose encoding cannot be told is
         * read as it is, its invalid UTF-8 replaced. */
        st = khabar_analyze(an, text, len, &opts, &doc, &err);
    }
    if (st == KHABAR_OK) {
        rc = emit(doc, s->json_flags);
        khabar_doc_free(doc);
    } else {
        rc = cli_file_error(an, path, &err) ? 2 : 1;
    }
    free(text);
    return rc;
}

/* Where one record's output goes: its line (the document's JSON, or an
 * error record in its place; NULL when memory ran out) and, when the record
 * failed, the message for stderr (else NULL).  Both are borrowed: valid
 * during the call only.  Returns 0, or -1 when it could not keep them. */
typedef int record_sink(void *ctx, size_t lineno, const char *out, size_t out_len, const char *message);

/* Analyses one JSON-lines record, converted from `encoding` (NULL: it was
 * UTF-8) or, when it could not be (`undecoded`), failed with that error,
 * and hands its output to `sink`.  Returns 0, 1 when the record failed, 2
 * when memory ran out. */
static int analyze_one(khabar_analyzer *an, const settings *s, const char *line, size_t len, size_t lineno,
                       const char *encoding, const khabar_error *undecoded, record_sink *sink, void *ctx)
{
    khabar_doc *doc;
    khabar_error err;
    size_t n = 0;
    khabar_options opts = s->opts;
    opts.source_encoding = encoding;
    /* With --replace-invalid, a record that cannot be converted is read as
     * UTF-8, its invalid bytes replaced; else it is an error record. */
    if (undecoded && !(opts.flags & KHABAR_OPTION_REPLACE_INVALID)) {
        /* Read as it is only for its id: the error is the encoding's. */
        opts.flags &= ~(unsigned)KHABAR_OPTION_REPLACE_INVALID;
        if (khabar_analyze_record(an, line, len, &opts, &doc, &err) == KHABAR_OK) khabar_doc_free(doc);
        const char *rec = khabar_record_error_json(an, undecoded, lineno, &n);
        return sink(ctx, lineno, rec, n, undecoded->message) ? 2 : 1;
    }
    if (khabar_analyze_record(an, line, len, &opts, &doc, &err) == KHABAR_OK) {
        const char *json = khabar_doc_json(doc, s->json_flags & ~(unsigned)KHABAR_JSON_PRETTY, &n);
        int rc = sink(ctx, lineno, json, n, json ? NULL : "out of memory writing JSON") || !json ? 2 : 0;
        khabar_doc_free(doc);
        return rc;
    }
    const char *rec = khabar_record_error_json(an, &err, lineno, &n);
    return sink(ctx, lineno, rec, n, err.message) ? 2 : 1;
}

typedef struct jsonl_run {
    khabar_analyzer *an;
    const settings *s;
    const char *path;
} jsonl_run;

/* One thread: each record's output is written as it comes. */
static int write_output(void *ctx, size_t lineno, const char *out, size_t out_len, const char *message)
{
    const jsonl_run *r = ctx;
    if (message) cli_error("%s:%zu: %s", r->path, lineno, message);
    if (out) {
        fwrite(out, 1, out_len, stdout);
        putchar('\n');
        if (cli_output_record()) return -1;
    }
    return 0;
}

static int analyze_record(void *ctx, size_t lineno, const char *line, size_t len)
{
    const jsonl_run *r = ctx;
    return analyze_one(r->an, r->s, line, len, lineno, cli_line_encoding(), cli_line_error(), write_output,
                       ctx);
}

static int analyze_jsonl(khabar_analyzer *an, const char *path, const settings *s)
{
    jsonl_run r = {an, s, path};
    int e = cli_unreadable(path);
    if (e) return unreadable(an, path, e);
    int rc = cli_each_line(path, analyze_record, &r);
    return rc < 0 ? unreadable(an, path, 0) : rc;
}

/* ---- JSON lines on several threads ----
 * Records are read in batches; the threads (the reading one among them)
 * take the batch's records in turn, each with an analyzer of its own, and
 * keep each result; the reading thread then writes them in input order.
 * Memory stays bounded by the batch. */

#define BATCH_RECORDS 256
#define BATCH_BYTES ((size_t)8 << 20)

typedef struct result {
    size_t lineno;
    size_t start, len; /* the record in batch->text */
    char *out;         /* its JSON line (or error record), malloc'd; NULL when none */
    size_t out_len;
    char *message;     /* the failure for stderr, malloc'd, or NULL */
    int rc;
    const char *encoding;  /* cli_line_encoding() of the record (static) */
    khabar_error undecoded; /* cli_line_error() of the record, when failed */
    int failed;
} result;

typedef struct batch {
    const settings *s;
    const char *path;
    char *text;
    size_t text_len, text_cap;
    result items[BATCH_RECORDS];
    size_t n;
} batch;

static char *copy_of(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Several threads: each record's output is kept for the reading thread
 * to write in input order. */
static int keep_output(void *ctx, size_t lineno, const char *out, size_t out_len, const char *message)
{
    result *r = ctx;
    (void)lineno;
    r->out = out ? copy_of(out, out_len) : NULL;
    r->out_len = out_len;
    r->message = message ? copy_of(message, strlen(message)) : NULL;
    return (out && !r->out) || (message && !r->message) ? -1 : 0;
}

static void analyze_item(void *ctx, khabar_analyzer *an, size_t i)
{
    batch *b = ctx;
    result *r = &b->items[i];
    r->rc = analyze_one(an, b->s, b->text + r->start, r->len, r->lineno, r->encoding,
                        r->failed ? &r->undecoded : NULL, keep_output, r);
    if (r->rc == 2 && !r->message) r->message = copy_of("out of memory", strlen("out of memory"));
}

typedef struct pool {
    batch b;
    khabar_analyzer **analyzers; /* analyzers[0] is the reading thread's */
    unsigned n;
    int rc;
} pool;

/* Analyses the batch on every thread and writes its results in order. */
static int run_batch(pool *p)
{
    batch *b = &p->b;
    if (!b->n) return p->rc;
    cli_parallel_each(p->analyzers, p->n, b->n, analyze_item, b);
    for (size_t i = 0; i < b->n; i++) {
        result *r = &b->items[i];
        if (r->message && p->rc < 2) cli_error("%s:%zu: %s", b->path, r->lineno, r->message);
        if (r->out && p->rc < 2) {
            fwrite(r->out, 1, r->out_len, stdout);
            putchar('\n');
            if (cli_output_record()) p->rc = 2;
        }
        if (r->rc > p->rc) p->rc = r->rc;
        free(r->out);
        free(r->message);
    }
    b->n = 0;
    b->text_len = 0;
    return p->rc;
}

static int collect_record(void *ctx, size_t lineno, const char *line, size_t len)
{
    pool *p = ctx;
    batch *b = &p->b;
    if (b->text_len + len > b->text_cap) {
        size_t cap = b->text_cap ? b->text_cap : 1 << 20;
        while (cap < b->text_len + len) cap *= 2;
        char *t = realloc(b->text, cap);
        if (!t) {
            cli_error("%s:%zu: out of memory", b->path, lineno);
            return 2;
        }
        b->text = t;
        b->text_cap = cap;
    }
    memcpy(b->text + b->text_len, line, len);
    result *r = &b->items[b->n++];
    memset(r, 0, sizeof *r);
    r->lineno = lineno;
    r->start = b->text_len;
    r->len = len;
    r->encoding = cli_line_encoding();
    if (cli_line_error()) {
        r->undecoded = *cli_line_error();
        r->failed = 1;
    }
    b->text_len += len;
    if (b->n == BATCH_RECORDS || b->text_len >= BATCH_BYTES) return run_batch(p) >= 2 ? 2 : 0;
    return 0;
}

/* --jsonl with --threads: as analyze_jsonl, on p->n threads. */
static int analyze_jsonl_threads(pool *p, const char *path)
{
    p->b.path = path;
    p->rc = 0;
    int e = cli_unreadable(path);
    if (e) return unreadable(p->analyzers[0], path, e);
    int rc = cli_each_line(path, collect_record, p);
    int brc = run_batch(p);
    if (rc < 0) rc = brc < 2 ? unreadable(p->analyzers[0], path, 0) : 2;
    return rc > brc ? rc : brc;
}

/* "facts,duplicates" → KHABAR_SKIP_FACTS | KHABAR_SKIP_DUPLICATES. */
static int parse_skip(const char *list, unsigned *skip)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        {"facts", KHABAR_SKIP_FACTS},       {"duplicates", KHABAR_SKIP_DUPLICATES},
        {"entities", KHABAR_SKIP_ENTITIES}, {"quotes", KHABAR_SKIP_QUOTES},
        {"tags", KHABAR_SKIP_TAGS},         {"summary", KHABAR_SKIP_SUMMARY},
        {"all", KHABAR_SKIP_ANALYSES}};
    for (const char *p = list;;) {
        size_t n = strcspn(p, ",");
        size_t k = 0;
        while (k < sizeof names / sizeof names[0] &&
               (strlen(names[k].name) != n || strncmp(names[k].name, p, n)))
            k++;
        if (k == sizeof names / sizeof names[0]) {
            cli_error("analyze: --skip: unknown analysis '%.*s' (facts, duplicates, entities, "
                      "quotes, tags, summary, all)", (int)n, p);
            return 2;
        }
        *skip |= names[k].bit;
        if (!p[n]) return 0;
        p += n + 1;
    }
}

/* The document frequencies of the archive at `path`, read once for the run. */
static int archive_df(const char *path, khabar_df **out)
{
    khabar_archive *ar = NULL;
    khabar_error err;
    if (khabar_archive_open_with_model(path, KHABAR_ARCHIVE_READONLY, cli_model(), &ar, &err) ||
        khabar_archive_df(ar, out, &err)) {
        cli_error("analyze: --db %s: %s", path, err.message);
        khabar_archive_close(ar);
        return 2;
    }
    khabar_archive_close(ar);
    return 0;
}

int cli_analyze(int argc, char **argv)
{
    settings s = {0};
    const char *db = NULL;
    const char *files[argc > 0 ? argc : 1];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage_text, stdout); return 0; }
        else if (!strcmp(a, "--jsonl")) s.jsonl = 1;
        else if (!strcmp(a, "--html")) s.html = 1;
        else if (!strcmp(a, "--tokens")) s.json_flags |= KHABAR_JSON_TOKENS;
        else if (!strcmp(a, "--pretty")) s.json_flags |= KHABAR_JSON_PRETTY;
        else if (!strcmp(a, "--replace-invalid")) s.opts.flags |= KHABAR_OPTION_REPLACE_INVALID;
        else if (!strcmp(a, "--no-title")) s.opts.flags |= KHABAR_OPTION_NO_TITLE;
        else if (!strcmp(a, "--date") && i + 1 < argc) {
            const char *v = argv[++i];
            if (!khabar_date_valid(v, strlen(v))) {
                cli_error("analyze: --date '%s' is not a calendar date YYYY-MM-DD", v);
                return 2;
            }
            s.opts.date = v;
        } else if (!strcmp(a, "--max-bytes") && i + 1 < argc) {
            unsigned long long v;
            if (cli_count(argv[++i], SIZE_MAX, &v) || v == 0) {
                cli_error("analyze: --max-bytes needs a positive whole number of bytes, not '%s'", argv[i]);
                return 2;
            }
            s.opts.max_bytes = (size_t)v;
        } else if (!strcmp(a, "--skip") && i + 1 < argc) {
            if (parse_skip(argv[++i], &s.opts.skip)) return 2;
        } else if (!strcmp(a, "--threads") && i + 1 < argc) {
            unsigned long long v;
            if (cli_count(argv[++i], 256, &v)) { cli_error("analyze: --threads needs a number from 0 to 256"); return 2; }
            if (v == 0) {
                long cpus = sysconf(_SC_NPROCESSORS_ONLN);
                v = cpus > 0 ? (unsigned long long)cpus : 1;
            }
            s.threads = (unsigned)v;
        } else if (!strcmp(a, "--summary") && i + 1 < argc) {
            unsigned long long v;
            if (cli_count(argv[++i], 64, &v) || v == 0) { cli_error("analyze: --summary needs a number from 1 to 64"); return 2; }
            s.opts.summary_sentences = (size_t)v;
        } else if (!strcmp(a, "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (a[0] == '-' && a[1] == '-' && !a[2]) {
            while (++i < argc) files[nfiles++] = argv[i]; /* "--": the rest are files */
        } else if (a[0] == '-' && a[1]) {
            if (!strcmp(a, "--date") || !strcmp(a, "--max-bytes") || !strcmp(a, "--skip") ||
                !strcmp(a, "--threads") || !strcmp(a, "--summary") || !strcmp(a, "--db")) {
                cli_error("analyze: %s needs a value", a);
                return 2;
            }
            cli_error("analyze: unknown option '%s' (see khabar analyze --help)", a);
            return 2;
        } else files[nfiles++] = a;
    }
    if (nfiles == 0) {
        if (!s.jsonl) { fputs(usage_text, stderr); return 2; }
        files[nfiles++] = "-";
    }
    khabar_model *model = cli_model();
    if (!model) return 2;
    khabar_df *df = NULL;
    if (db && archive_df(db, &df)) return 2;
    s.opts.df = df;
    unsigned nthreads = s.jsonl && s.threads > 1 ? s.threads : 1;
    khabar_analyzer *analyzers[nthreads];
    khabar_error err;
    for (unsigned t = 0; t < nthreads; t++) {
        if (khabar_analyzer_new(model, &analyzers[t], &err)) {
            cli_error("%s", err.message);
            while (t--) khabar_analyzer_free(analyzers[t]);
            khabar_df_free(df);
            return 2;
        }
    }
    int rc = 0;
    if (nthreads > 1) {
        pool *p = calloc(1, sizeof *p);
        if (!p) { cli_error("out of memory"); rc = 2; }
        else {
            p->b.s = &s;
            p->analyzers = analyzers;
            p->n = nthreads;
            for (int i = 0; i < nfiles && rc < 2; i++) {
                s.opts.source = nfiles > 1 ? files[i] : NULL;
                int r = analyze_jsonl_threads(p, files[i]);
                if (r > rc) rc = r;
            }
            free(p->b.text);
            free(p);
        }
    } else {
        for (int i = 0; i < nfiles && rc < 2; i++) {
            s.opts.source = nfiles > 1 ? files[i] : NULL;
            int r = s.jsonl ? analyze_jsonl(analyzers[0], files[i], &s) : analyze_file(analyzers[0], files[i], &s);
            if (r > rc) rc = r;
        }
    }
    for (unsigned t = 0; t < nthreads; t++) khabar_analyzer_free(analyzers[t]);
    khabar_df_free(df);
    return rc;
}
