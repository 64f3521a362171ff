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

int cli_normalize(int argc, char **argv)
{
    unsigned folds = KHABAR_FOLD_ALL;
    for (int i = 1; i < argc; i++) {
        size_t k;
        for (k = 0; k < sizeof fold_options / sizeof *fold_options; k++)
            if (strcmp(argv[i], fold_options[k].option) == 0) break;
        if (k < sizeof fold_options / sizeof *fold_options) {
            folds &= ~fold_options[k].fold;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: khabar normalize [--no-nfkc] [--no-diacritics] [--no-tatweel]\n"
                   "                        [--no-alef] [--no-yeh] [--no-digits] < IN > OUT\n"
                   "Folds presentation forms (NFKC), removes diacritics and tatweel, writes\n"
                   "أ إ آ ٱ as ا and ى as ي, and Arabic-Indic and Persian digits as ASCII.\n"
                   "Each --no-X option turns one fold off.\n");
            return 0;
        } else {
            cli_error("normalize: unknown option '%s'", argv[i]);
            return 2;
        }
    }
    char *text;
    size_t len;
    const char *used;
    khabar_error err;
    int read_rc = cli_read_decoded("-", &text, &len, &used, &err);
    if (read_rc < 0) { cli_error("normalize: cannot read stdin"); return 2; }
    if (read_rc > 0) { cli_error("normalize: %s", err.message); free(text); return 1; }
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
    } else {
        cli_error("normalize: %s", st == KHABAR_ERROR_MEMORY ? "out of memory" : err.message);
        rc = 1;
    }
    free(out);
    free(text);
    return rc;
}

typedef khabar_status (*word_fn)(khabar_analyzer *, const char *, size_t, char *, size_t,
                                 size_t *, khabar_error *);

/* Runs fn over each line of stdin; a line that fails is reported and left
 * empty in the output, so output lines stay aligned with input lines. */
static int per_line(const char *name, word_fn fn, int argc, char **argv)
{
    if (argc > 1) {
        int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
        printf("usage: khabar %s < WORDS\nReads one word a line and writes its %s a line.\n", name,
               fn == khabar_segment ? "clitic segmentation (pieces joined by '+')" : "stem");
        return help ? 0 : 2;
    }
    khabar_model *model = cli_model();
    if (!model) return 2;
    khabar_analyzer *an;
    khabar_error err;
    if (khabar_analyzer_new(model, &an, &err)) { cli_error("%s", err.message); return 2; }
    cli_lines *lines = cli_lines_open("-");
    if (!lines) { khabar_analyzer_free(an); return 2; }
    const char *line;
    char *out = NULL;
    size_t len, out_cap = 0;
    int rc = 0, got_line;
    while ((got_line = cli_lines_next(lines, &line, &len)) > 0) {
        size_t lineno = cli_lines_number(lines);
        if (cli_lines_error(lines)) {
            cli_error("%s: line %zu: %s", name, lineno, cli_lines_error(lines)->message);
            rc = 1;
            putchar('\n');
            continue;
        }
        size_t need = 18 * len + 16;
        if (need > out_cap) {
            char *p = realloc(out, need);
            if (!p) { rc = 2; break; }
            out = p;
            out_cap = need;
        }
        size_t got = 0;
        if (fn(an, line, len, out, out_cap, &got, &err) == KHABAR_OK) {
            fwrite(out, 1, got, stdout);
        } else {
            cli_error("%s: line %zu: %s", name, lineno, err.message);
            rc = 1;
        }
        putchar('\n');
    }
    if (got_line < 0) rc = 2;
    cli_lines_close(lines);
    free(out);
    khabar_analyzer_free(an);
    return rc;
}

int cli_segment(int argc, char **argv) { return per_line("segment", khabar_segment, argc, argv); }
int cli_stem(int argc, char **argv) { return per_line("stem", khabar_stem, argc, argv); }
