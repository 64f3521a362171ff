/* khabar ner: tags pre-tokenized CoNLL text with entities (PER, ORG, LOC,
 * MISC in BIO), so that annotated corpora (ANERcorp) can be scored. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
static void usage(FILE *out)
{
    fprintf(out,
            "usage: khabar ner --conll [--sentences] [FILE|-]\n"
            "Reads CoNLL (a token first on each line, other columns ignored, a blank line\n"
            "between sentences) and writes TOKEN<TAB>TAG for each token, blank lines kept,\n"
            "with tags B-/I- PER, ORG, LOC, MISC or O: the names `khabar analyze` finds\n"
            "in the tokens read as one article (the tagger, the table of known names, the\n"
            "linking rules).  A line whose token is -DOCSTART- starts a new document.\n"
            "--sentences analyses every sentence on its own instead.\n");
}

int cli_ner(int argc, char **argv)
{
    const char *path = "-";
    int conll = 0, paths = 0, sentences = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--conll")) {
            conll = 1;
        } else if (!strcmp(argv[i], "--sentences")) {
            sentences = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            cli_error("ner: unknown option '%s'", argv[i]);
            usage(stderr);
            return 2;
        } else {
            path = argv[i];
            paths++;
        }
    }
    if (!conll || paths > 1) {
        usage(stderr);
        return 2;
    }
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
    unsigned flags = sentences ? KHABAR_LABEL_SENTENCE_ALONE : 0;
    cli_conll d = {0};
    int rc = 0;
    size_t pos = 0;
    while (pos < len && !rc) {
        size_t a, b; /* the token is the line's first field */
        size_t e = cli_line_first_field(data, len, pos, &a, &b);
        if (b - a == 10 && !memcmp(data + a, "-DOCSTART-", 10)) {
            /* a document boundary: tag what came before on its own */
            rc = cli_conll_flush(&d, an, KHABAR_LABEL_ENTITIES, NULL, flags);
            if (!rc) {
                printf("-DOCSTART-\tO\n");
                if (cli_output_record()) rc = -2;
            }
        } else if (b > a) {
            if (cli_conll_token(&d, data + a, b - a)) rc = -3;
        } else if (cli_conll_blank(&d)) {
            rc = -3;
        }
        pos = e + 1;
    }
    if (!rc) rc = cli_conll_flush(&d, an, KHABAR_LABEL_ENTITIES, NULL, flags);
    cli_conll_free(&d);
    khabar_analyzer_free(an);
    free(data);
    if (rc == -3) cli_error("out of memory");
    return rc ? 2 : 0;
}
