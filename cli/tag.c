/* khabar tag: labels pre-tokenized text with the number or date layer in
 * BIO, so that annotated corpora (Wojood) can be scored against it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
static void usage(FILE *out)
{
    fprintf(out,
            "usage: khabar tag --conll --layer numbers|dates [--date YYYY-MM-DD] [FILE|-]\n"
            "Reads CoNLL (a token first on each line, other columns ignored, a blank line\n"
            "between sentences) and writes TOKEN<TAB>TAG in BIO: the numbers layer tags\n"
            "CARDINAL, ORDINAL, PERCENT, MONEY and QUANTITY, the dates layer DATE and TIME,\n"
            "following the Wojood annotation conventions.  --date is the text's date, for\n"
            "relative expressions (it does not change the tags).\n");
}

int cli_tag(int argc, char **argv)
{
    const char *layer = NULL, *path = "-", *doc_date = NULL;
    int conll = 0, paths = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--conll")) {
            conll = 1;
        } else if (!strcmp(argv[i], "--layer") && i + 1 < argc) {
            layer = argv[++i];
        } else if (!strcmp(argv[i], "--date") && i + 1 < argc) {
            doc_date = argv[++i];
            if (!khabar_date_valid(doc_date, strlen(doc_date))) {
                cli_error("tag: --date '%s' is not a calendar date YYYY-MM-DD", doc_date);
                return 2;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            cli_error("tag: unknown option '%s'", argv[i]);
            usage(stderr);
            return 2;
        } else {
            path = argv[i];
            paths++;
        }
    }
    if (!conll || !layer || paths > 1 || (strcmp(layer, "numbers") && strcmp(layer, "dates"))) {
        usage(stderr);
        return 2;
    }
    khabar_label_layer labels = !strcmp(layer, "numbers") ? KHABAR_LABEL_NUMBERS : KHABAR_LABEL_DATES;
    khabar_model *model = cli_model();
    khabar_analyzer *an;
    if (!model || khabar_analyzer_new(model, &an, NULL)) return 2;
    char *data;
    size_t len;
    int read_rc = cli_read_text(path, &data, &len);
    if (read_rc) {
        khabar_analyzer_free(an);
        return read_rc;
    }
    cli_conll d = {0};
    int rc = 0;
    size_t pos = 0;
    while (pos <= len && !rc) {
        size_t a, b; /* the token is the line's first field */
        size_t e = cli_line_first_field(data, len, pos, &a, &b);
        if (b > a) {
            if (cli_conll_token(&d, data + a, b - a)) rc = -3;
        } else if (e < len || pos < e) {
            /* a blank line ends the sentence: its labels go out at once */
            rc = cli_conll_blank(&d) ? -3 : cli_conll_flush(&d, an, labels, doc_date, 0);
        }
        if (e >= len) break;
        pos = e + 1;
    }
    if (!rc && d.n_lines) rc = cli_conll_flush(&d, an, labels, doc_date, 0);
    cli_conll_free(&d);
    khabar_analyzer_free(an);
    free(data);
    if (rc == -3) cli_error("out of memory");
    return rc ? 2 : 0;
}
