/* khabar: Arabic news articles in, clean structured JSON out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"analyze", cli_analyze, "analyse articles (plain text files or JSON lines) into JSON"},
    {"normalize", cli_normalize, "normalise Arabic text from stdin to stdout"},
    {"segment", cli_segment, "clitic segmentation, one word a line: و+ب+ال+كتاب+ه"},
    {"stem", cli_stem, "stems, one word a line"},
    {"tag", cli_tag, "label pre-tokenized CoNLL text with numbers or dates, for scoring"},
    {"dedup", cli_dedup, "clusters of near-duplicate articles in JSON lines"},
    {"ner", cli_ner, "tag people, organisations and places in pre-tokenized CoNLL text"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: khabar COMMAND [OPTIONS] [FILE...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'khabar COMMAND --help' describes a command; 'man khabar' has the details.\n");
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

int cli_read_file(const char *path, char **data, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) { free(buf); buf = NULL; break; }
        buf = bigger;
        cap *= 2;
    }
    int failed = !buf || ferror(f);
    if (f != stdin) fclose(f);
    if (failed) { free(buf); return -1; }
    *data = buf;
    *len = n;
    return 0;
}

int cli_read_text(const char *path, char **data, size_t *len)
{
    if (cli_read_file(path, data, len)) {
        cli_error("cannot read %s", path);
        return 2;
    }
    size_t bad = 0;
    khabar_error err;
    if (khabar_normalize(*data, *len, 0, NULL, 0, &bad, &err) == KHABAR_ERROR_UTF8) {
        cli_error("%s is not valid UTF-8 (byte %zu)", path, err.offset);
        free(*data);
        return 1;
    }
    return 0;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

int cli_each_line(const char *path, int (*each)(void *ctx, size_t lineno, const char *line, size_t len),
                  void *ctx)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error("%s: cannot read: %m", path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;
    while (rc < 2 && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        size_t blank = 0;
        while (blank < len && (line[blank] == ' ' || line[blank] == '\t')) blank++;
        if (blank == len) continue; /* empty lines carry no record */
        int r = each(ctx, lineno, line, len);
        if (r > rc) rc = r;
    }
    if (ferror(f)) {
        cli_error("%s: read error", path);
        rc = 2;
    }
    free(line);
    if (f != stdin) fclose(f);
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

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("khabar %s\n", khabar_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'", argv[1]);
    usage(stderr);
    return 2;
}
