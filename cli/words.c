/* khabar normalize | segment | stem: text tools over stdin. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *option;
    unsigned fold;
} fold_options[] = {
    {"--no-nfkc", KHABAR_FOLD_NFKC},         {"--no-diacritics", KHABAR_FOLD_DIACRITICS},
    {"--no-tatweel", KHABAR_FOLD_TATWEEL},   {"--no-alef", KHABAR_FOLD_ALEF},
    {"--no-yeh", KHABAR_FOLD_YEH},           {"--no-digits", KHABAR_FOLD_DIGITS},
};

/* Each FILE ("-" or none: stdin) in turn: run(ctx, path).  A file that
 * cannot be read is reported and skipped.  Returns the largest status. */
static int each_file(const char *cmd, int nfiles, char **files, int (*run)(void *, const char *), void *ctx)
{
    char stdin_name[] = "-";
    char *only[] = {stdin_name};
    if (nfiles == 0) { files = only; nfiles = 1; }
    int rc = 0;
    for (int i = 0; i < nfiles && rc < 2; i++) {
        int e = cli_unreadable(files[i]);
        int r = 1;
        if (e) cli_error("%s: %s: cannot read the file: %s", cmd, files[i], strerror(e));
        else r = run(ctx, files[i]);
        if (r > rc) rc = r;
    }
    return rc;
}

static int normalize_file(void *ctx, const char *path)
{
    unsigned folds = *(const unsigned *)ctx;
    char *text;
    size_t len;
    const char *used;
    khabar_error err;
    int read_rc = cli_read_decoded(path, &text, &len, &used, &err);
    if (read_rc < 0) { cli_error("normalize: %s: cannot read the file: %m", path); return 1; }
    if (read_rc > 0) { cli_error("normalize: %s: %s", path, err.message); free(text); return 1; }
    size_t need = 0;
    khabar_status st = khabar_normalize(text, len, folds, NULL, 0, &need, &err);
    char *out = NULL;
    if (st == KHABAR_ERROR_SPACE) {
        out = malloc(need ? need : 1);
        st = out ? khabar_normalize(text, len, folds, out, need, &need, &err) : KHABAR_ERROR_MEMORY;
    }
    int rc = 0;
    if (st == KHABAR_OK) {
        fwrite(out, 1, need, stdout);
        rc = cli_output_record();
    } else {
        cli_error("normalize: %s: %s", path, st == KHABAR_ERROR_MEMORY ? "out of memory" : err.message);
        rc = st == KHABAR_ERROR_MEMORY ? 2 : 1;
    }
    free(out);
    free(text);
    return rc;
}

int cli_normalize(int argc, char **argv)
{
    unsigned folds = KHABAR_FOLD_ALL;
    char *files[argc > 0 ? argc : 1];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        size_t k;
        for (k = 0; k < sizeof fold_options / sizeof *fold_options; k++)
            if (strcmp(argv[i], fold_options[k].option) == 0) break;
        if (k < sizeof fold_options / sizeof *fold_options) {
            folds &= ~fold_options[k].fold;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: khabar normalize [--no-nfkc] [--no-diacritics] [--no-tatweel]\n"
                   "                        [--no-alef] [--no-yeh] [--no-digits] [FILE...]\n"
                   "Folds presentation forms (NFKC), removes diacritics and tatweel, writes\n"
                   "أ إ آ ٱ as ا and ى as ي, and Arabic-Indic and Persian digits as ASCII.\n"
                   "Each --no-X option turns one fold off.  Reads each FILE in turn (none or\n"
                   "'-': stdin) and writes the normalised text to stdout.\n");
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            cli_error("normalize: unknown option '%s'", argv[i]);
            return 2;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    return each_file("normalize", nfiles, files, normalize_file, &folds);
}

typedef khabar_status (*word_fn)(khabar_analyzer *, const char *, size_t, char *, size_t,
                                 size_t *, khabar_error *);

typedef struct per_line_run {
    const char *name;
    word_fn fn;
    khabar_analyzer *an;
    char *out;
    size_t out_cap;
} per_line_run;

/* Runs fn over each line of a file, converted to UTF-8 (cli_lines); a line
 * that fails is reported and left empty in the output, so output lines
 * stay aligned with input lines.  Each line is written (and, into a pipe,
 * flushed) as it is read. */
static int per_line_file(void *ctx, const char *path)
{
    per_line_run *r = ctx;
    cli_lines *lines = cli_lines_open(path);
    if (!lines) return 1;
    const char *line;
    size_t len;
    int rc = 0, got_line;
    while (rc < 2 && (got_line = cli_lines_next(lines, &line, &len)) > 0) {
        size_t lineno = cli_lines_number(lines);
        khabar_error err;
        khabar_status st;
        size_t got = 0;
        if (cli_lines_error(lines)) {
            err = *cli_lines_error(lines);
            st = err.code;
        } else {
            st = r->fn(r->an, line, len, r->out, r->out_cap, &got, &err);
            if (st == KHABAR_ERROR_SPACE) { /* sized by the first call */
                char *p = realloc(r->out, got);
                if (!p) { cli_error("out of memory"); rc = 2; break; }
                r->out = p;
                r->out_cap = got;
                st = r->fn(r->an, line, len, r->out, r->out_cap, &got, &err);
            }
        }
        if (st == KHABAR_OK) {
            fwrite(r->out, 1, got, stdout);
        } else {
            cli_error("%s: %s:%zu: %s", r->name, path, lineno, err.message);
            rc = 1;
        }
        putchar('\n');
        if (cli_output_record()) rc = 2;
    }
    if (got_line < 0 && rc < 1) rc = 1;
    cli_lines_close(lines);
    return rc;
}

static int per_line(const char *name, word_fn fn, int argc, char **argv)
{
    char *files[argc > 0 ? argc : 1];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        int help = !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
        if (help || (argv[i][0] == '-' && argv[i][1])) {
            if (!help) cli_error("%s: unknown option '%s'", name, argv[i]);
            fprintf(help ? stdout : stderr,
                    "usage: khabar %s [FILE...]      (none or '-': stdin)\n"
                    "Reads words, one or more a line, and writes for each line the %s\n"
                    "of its words, separated by a space: one output line per input line.\n", name,
                    fn == khabar_segment ? "clitic segmentation (pieces joined by '+')" : "stem");
            return help ? 0 : 2;
        }
        files[nfiles++] = argv[i];
    }
    khabar_model *model = cli_model();
    if (!model) return 2;
    per_line_run r = {name, fn, NULL, NULL, 0};
    khabar_error err;
    if (khabar_analyzer_new(model, &r.an, &err)) { cli_error("%s", err.message); return 2; }
    int rc = each_file(name, nfiles, files, per_line_file, &r);
    free(r.out);
    khabar_analyzer_free(r.an);
    return rc;
}

int cli_segment(int argc, char **argv) { return per_line("segment", khabar_segment, argc, argv); }
int cli_stem(int argc, char **argv) { return per_line("stem", khabar_stem, argc, argv); }
