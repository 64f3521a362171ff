/* khabar: Arabic news articles in, clean structured JSON out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iconv.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"analyze", cli_analyze, "analyse articles (plain text files or JSON lines) into JSON"},
    {"extract", cli_extract, "the article of HTML pages: title, date, author, text, blocks"},
    {"normalize", cli_normalize, "normalise Arabic text (files or stdin) to stdout"},
    {"segment", cli_segment, "clitic segmentation of each word: و+ب+ال+كتاب+ه"},
    {"stem", cli_stem, "the stem of each word"},
    {"tag", cli_tag, "label pre-tokenized CoNLL text with numbers or dates, for scoring"},
    {"dedup", cli_dedup, "clusters of near-duplicate articles in JSON lines"},
    {"ner", cli_ner, "tag people, organisations and places in pre-tokenized CoNLL text"},
    {"index", cli_index, "analyse articles into an archive (an SQLite database), or delete them"},
    {"search", cli_search, "search an archive: ranked hits, snippets, facets"},
    {"stats", cli_stats, "what an archive holds, as JSON"},
    {"entity", cli_entity, "one entity across an archive: spellings, articles, days, company"},
    {"entities", cli_entities, "the entities named in the most articles of a period"},
    {"stories", cli_stories, "the largest stories of a period: articles that share most of their text"},
    {"serve", cli_serve, "an HTTP API and a web page: khabar serve --port 8080"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: khabar COMMAND [OPTIONS] [FILE...]\n       khabar --version | --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\noptions for every command:\n"
                 "  --encoding NAME  the input's encoding (an iconv name: windows-1256,\n"
                 "                   iso-8859-6, utf-16...); without it, a byte-order mark or\n"
                 "                   valid UTF-8 decides, else the encoding is detected\n"
                 "\nother options:\n  --version  the version\n  --help     this text\n"
                 "\n'khabar COMMAND --help' describes a command; 'man khabar' has the details.\n");
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("khabar: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Reads the rest of f into a malloc'd buffer, after `first_len` bytes of
 * `first` already read; 0, or -1 (memory or read error). */
static int read_all(FILE *f, char **data, size_t *len, const char *first, size_t first_len)
{
    size_t cap = (size_t)1 << 16, n = first_len;
    while (cap < first_len + 1) cap *= 2;
    char *buf = malloc(cap);
    if (buf && first_len) memcpy(buf, first, first_len);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) { free(buf); buf = NULL; break; }
        buf = bigger;
        cap *= 2;
    }
    if (!buf || ferror(f)) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

int cli_read_file(const char *path, char **data, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return -1;
    int rc = read_all(f, data, len, NULL, 0);
    if (f != stdin) fclose(f);
    return rc;
}

const char *cli_encoding;

/* --encoding utf-8 converts nothing: damaged UTF-8 goes on to the analysis,
 * which reports it or, with --replace-invalid, replaces it. */
static int named_utf8(void)
{
    return cli_encoding && (!strcasecmp(cli_encoding, "utf-8") || !strcasecmp(cli_encoding, "utf8"));
}

int cli_decode(char **data, size_t *len, const char **used, khabar_error *err)
{
    char *out;
    size_t out_len;
    *used = NULL;
    if (named_utf8()) return 0;
    khabar_status st = khabar_decode(*data, *len, cli_encoding, &out, &out_len, used, err);
    if (st == KHABAR_ERROR_UTF8) return 0; /* damaged UTF-8: the analysis reports or replaces it */
    if (st) return -1;
    if (!strcmp(*used, "utf-8")) {
        /* The bytes as given: offsets into UTF-8 input count its byte-order
         * mark (docs/json.md). */
        khabar_free(out);
        *used = NULL;
        return 0;
    }
    free(*data);
    *data = out;
    *len = out_len;
    return 0;
}

int cli_read_decoded(const char *path, char **data, size_t *len, const char **used, khabar_error *err)
{
    *used = NULL;
    if (cli_read_file(path, data, len)) return -1;
    return cli_decode(data, len, used, err) ? 1 : 0;
}

int cli_read_text(const char *path, char **data, size_t *len)
{
    const char *used;
    khabar_error err;
    int rc = cli_read_decoded(path, data, len, &used, &err);
    if (rc < 0) {
        cli_error("cannot read %s", path);
        return 2;
    }
    if (rc > 0) {
        cli_error("%s: %s", path, err.message);
        free(*data);
        return 1;
    }
    if (*len >= 3 && !memcmp(*data, "\xEF\xBB\xBF", 3)) { /* not part of the first token */
        memmove(*data, *data + 3, *len - 3);
        *len -= 3;
    }
    size_t bad = 0;
    if (khabar_normalize(*data, *len, 0, NULL, 0, &bad, &err) == KHABAR_ERROR_UTF8) {
        cli_error("%s is not valid UTF-8 (byte %zu)", path, err.offset);
        free(*data);
        return 1;
    }
    return 0;
}

int cli_is_html(const char *path, const char *data, size_t len)
{
    size_t n = strlen(path);
    if ((n > 5 && !strcasecmp(path + n - 5, ".html")) || (n > 4 && !strcasecmp(path + n - 4, ".htm"))) return 1;
    size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    return (len - i >= 9 && !strncasecmp(data + i, "<!DOCTYPE", 9)) || (len - i >= 5 && !strncasecmp(data + i, "<html", 5));
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* ---- lines in any encoding ----
 * A line is converted on its own when the encoding keeps '\n' a byte of
 * its own (UTF-8, the single-byte encodings, ...): the stream is read as it
 * comes, a line at a time, so a program can write a record and wait for
 * its answer.  UTF-16 (a byte-order mark, or named) is converted whole,
 * then split.  Without a name, a line that is not UTF-8 is detected; the
 * first encoding told is kept for the later lines that are not UTF-8 (a
 * short line says too little on its own). */
struct cli_lines {
    FILE *f;
    const char *path;
    char *raw;          /* getline's buffer */
    size_t raw_cap;
    char *converted;    /* the line converted, or the whole stream (UTF-16) */
    size_t converted_len;
    size_t pos;         /* whole-stream mode: the next line in converted */
    int whole;
    const char *stream_encoding; /* the encoding lines that are not UTF-8 are in */
    const char *encoding;        /* the current line's, NULL for UTF-8 */
    khabar_error error;
    int failed;                  /* the current line could not be converted */
    size_t lineno;
};

/* Whether the encoding writes '\n' as the byte 0x0A (so lines can be split
 * before converting). */
static int splits_on_newline(const char *encoding)
{
    iconv_t cd = iconv_open(encoding, "UTF-8");
    if (cd == (iconv_t)-1) return 0;
    char nl[] = "\n", out[8];
    char *in = nl, *o = out;
    size_t in_left = 1, out_left = sizeof out;
    size_t r = iconv(cd, &in, &in_left, &o, &out_left);
    iconv_close(cd);
    return r != (size_t)-1 && sizeof out - out_left == 1 && out[0] == '\n';
}

cli_lines *cli_lines_open(const char *path)
{
    cli_lines *r = calloc(1, sizeof *r);
    if (!r) {
        cli_error("out of memory");
        return NULL;
    }
    r->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!r->f) {
        cli_error("%s: cannot read: %m", path);
        free(r);
        return NULL;
    }
    r->path = path;
    return r;
}

/* Reads the rest of the stream after the first line and converts it all. */
static int read_whole(cli_lines *r, size_t first_len)
{
    char *data;
    size_t len;
    if (read_all(r->f, &data, &len, r->raw, first_len)) {
        cli_error("%s: read error", r->path);
        return -1;
    }
    const char *used;
    khabar_error err;
    if (cli_decode(&data, &len, &used, &err)) {
        cli_error("%s: %s", r->path, err.message);
        free(data);
        return -1;
    }
    r->whole = 1;
    r->converted = data;
    r->converted_len = len;
    r->stream_encoding = used;
    return 0;
}

/* Converts the line in r->raw, setting r->encoding or r->failed. */
static void convert_line(cli_lines *r, const char **line, size_t *len)
{
    const char *name = cli_encoding;
    if (named_utf8() || (!name && khabar_utf8_check(*line, *len) == *len)) return;
    if (!name) name = r->stream_encoding; /* NULL: detect */
    char *out;
    size_t out_len;
    const char *used;
    khabar_status st = khabar_decode(*line, *len, name, &out, &out_len, &used, &r->error);
    if (st && name && !cli_encoding) /* the stream's encoding does not fit this line */
        st = khabar_decode(*line, *len, NULL, &out, &out_len, &used, &r->error);
    if (st == KHABAR_ERROR_UTF8) return;
    if (st) {
        r->failed = 1;
        return;
    }
    free(r->converted);
    r->converted = out;
    r->converted_len = out_len;
    if (strcmp(used, "utf-8")) {
        r->encoding = used;
        if (!cli_encoding) r->stream_encoding = used;
    }
    *line = out;
    *len = out_len;
}

int cli_lines_next(cli_lines *r, const char **line, size_t *len)
{
    r->encoding = NULL;
    r->failed = 0;
    if (r->whole) {
        if (r->pos >= r->converted_len) return 0;
        const char *s = r->converted + r->pos;
        const char *nl = memchr(s, '\n', r->converted_len - r->pos);
        size_t n = nl ? (size_t)(nl - s) : r->converted_len - r->pos;
        r->pos += n + 1;
        r->lineno++;
        while (n && s[n - 1] == '\r') n--;
        *line = s;
        *len = n;
        r->encoding = r->stream_encoding;
        return 1;
    }
    ssize_t got = getline(&r->raw, &r->raw_cap, r->f);
    if (got < 0) {
        if (ferror(r->f)) {
            cli_error("%s: read error", r->path);
            return -1;
        }
        return 0;
    }
    size_t n = (size_t)got;
    if (r->lineno == 0) {
        const unsigned char *u = (const unsigned char *)r->raw;
        int utf16_mark = n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
        if ((!cli_encoding && utf16_mark) || (cli_encoding && !splits_on_newline(cli_encoding))) {
            if (read_whole(r, n)) return -1;
            return cli_lines_next(r, line, len);
        }
        if (n >= 3 && !memcmp(r->raw, "\xEF\xBB\xBF", 3) && (!cli_encoding || named_utf8())) {
            memmove(r->raw, r->raw + 3, n - 3); /* a UTF-8 byte-order mark */
            n -= 3;
        }
    }
    r->lineno++;
    while (n && (r->raw[n - 1] == '\n' || r->raw[n - 1] == '\r')) n--;
    *line = r->raw;
    *len = n;
    convert_line(r, line, len);
    return 1;
}

size_t cli_lines_number(const cli_lines *r) { return r->lineno; }
const char *cli_lines_encoding(const cli_lines *r) { return r->encoding; }
const khabar_error *cli_lines_error(const cli_lines *r) { return r->failed ? &r->error : NULL; }

void cli_lines_close(cli_lines *r)
{
    if (!r) return;
    if (r->f && r->f != stdin) fclose(r->f);
    free(r->raw);
    free(r->converted);
    free(r);
}

static const char *line_encoding;
static const khabar_error *line_error;

const char *cli_line_encoding(void) { return line_encoding; }
const khabar_error *cli_line_error(void) { return line_error; }

int cli_each_line(const char *path, int (*each)(void *ctx, size_t lineno, const char *line, size_t len),
                  void *ctx)
{
    cli_lines *r = cli_lines_open(path);
    if (!r) return -1;
    const char *line;
    size_t len;
    int rc = 0, got;
    while (rc < 2 && (got = cli_lines_next(r, &line, &len)) > 0) {
        size_t blank = 0;
        while (blank < len && (line[blank] == ' ' || line[blank] == '\t')) blank++;
        if (blank == len) continue; /* empty lines carry no record */
        line_encoding = cli_lines_encoding(r);
        line_error = cli_lines_error(r);
        int x = each(ctx, cli_lines_number(r), line, len);
        if (x > rc) rc = x;
    }
    line_encoding = NULL;
    line_error = NULL;
    if (got < 0) rc = -1;
    cli_lines_close(r);
    return rc;
}

size_t cli_line_first_field(const char *data, size_t len, size_t pos, size_t *a, size_t *b)
{
    const char *nl = pos < len ? memchr(data + pos, '\n', len - pos) : NULL;
    size_t e = nl ? (size_t)(nl - data) : len;
    size_t i = pos;
    while (i < e && is_blank(data[i])) i++;
    *a = i;
    while (i < e && !is_blank(data[i])) i++;
    *b = i;
    return e;
}

static khabar_model *shared_model;

static void free_model(void) { khabar_model_free(shared_model); }

khabar_model *cli_model(void)
{
    if (shared_model) return shared_model;
    khabar_error err;
    if (khabar_model_new(&shared_model, &err) != KHABAR_OK) {
        cli_error("cannot load the built-in model: %s", err.message);
        return NULL;
    }
    atexit(free_model);
    return shared_model;
}

/* Takes "--encoding NAME" (or --encoding=NAME) out of the command's
 * arguments, for every command reads through the same layer; 0, or -1
 * (reported) when the name is missing or iconv does not know it. */
static int take_encoding(int *argc, char **argv)
{
    int kept = 2;
    for (int i = 2; i < *argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) { /* the rest are files */
            while (i < *argc) argv[kept++] = argv[i++];
            break;
        }
        if (!strcmp(a, "--encoding") || !strncmp(a, "--encoding=", 11)) {
            const char *name = a[10] == '=' ? a + 11 : i + 1 < *argc ? argv[++i] : NULL;
            char *out;
            size_t len;
            khabar_error err;
            if (!name || !*name) {
                cli_error("%s: --encoding needs a name (windows-1256, iso-8859-6, utf-16...)", argv[1]);
                return -1;
            }
            if (khabar_decode("", 0, name, &out, &len, NULL, &err) != KHABAR_OK) {
                cli_error("%s: --encoding: %s", argv[1], err.message);
                return -1;
            }
            khabar_free(out);
            cli_encoding = name;
            continue;
        }
        argv[kept++] = argv[i];
    }
    *argc = kept;
    argv[kept] = NULL;
    return 0;
}

int main(int argc, char **argv)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
    /* glibc raises its threshold for giving large blocks their own mapping
     * each time one is freed (up to 32 MB), after which a long article's
     * growing arrays are copied within the heap, whose freed space stays
     * resident: a fixed threshold keeps one 10 MB article's peak 2 bytes a
     * byte lower (docs/bench.md), a stream of news as fast. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    if (argc < 2) { usage(stderr); return 2; }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return cli_output_end();
    }
    if (!strcmp(argv[1], "--version")) {
        printf("khabar %s\n", khabar_version());
        return cli_output_end();
    }
    if (take_encoding(&argc, argv)) return 2;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(argv[1], commands[i].name)) continue;
        cli_output_start();
        int rc = commands[i].run(argc - 1, argv + 1);
        return cli_output_end() ? 2 : rc;
    }
    cli_error("unknown command '%s'", argv[1]);
    usage(stderr);
    return 2;
}
