/* khabar ner: tags pre-tokenized CoNLL text with entities (PER, ORG, LOC,
 * MISC in BIO), so that annotated corpora (ANERcorp) can be scored. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
/* The tagger's API is internal to the library; the CLI reaches it the way
 * the tools in tools/ do, through the source tree. */
#include "../src/ner.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: khabar ner --conll [--sentences] [FILE|-]\n"
            "Reads CoNLL (a token first on each line, other columns ignored, a blank line\n"
            "between sentences) and writes TOKEN<TAB>TAG for each token, blank lines kept,\n"
            "with tags B-/I- PER, ORG, LOC, MISC or O.  The input is read as running text:\n"
            "the tagger uses how names were tagged in nearby sentences; a line whose token\n"
            "is -DOCSTART- starts a new document.  --sentences tags every sentence on its\n"
            "own instead.\n");
}

typedef struct doc {
    kh_vec inputs; /* kh_ner_input */
    kh_vec starts; /* size_t, a sentence's first token */
    kh_buf norms;  /* normalised tokens; inputs point into it once the document is complete */
    kh_vec norm_off;
    kh_vec lines;  /* size_t per output line: a token index, or SIZE_MAX for a blank line */
    kh_vec tags;   /* uint8_t */
    int open;      /* a sentence has tokens and no blank line yet */
} doc;

static void doc_clear(doc *d)
{
    d->inputs.len = d->starts.len = d->norms.len = d->norm_off.len = d->lines.len = 0;
    d->open = 0;
}

static void doc_free(doc *d)
{
    kh_vec_free(&d->inputs);
    kh_vec_free(&d->starts);
    kh_buf_free(&d->norms);
    kh_vec_free(&d->norm_off);
    kh_vec_free(&d->lines);
    kh_vec_free(&d->tags);
}

static int add_line(doc *d, size_t token)
{
    size_t *l = kh_vec_push(&d->lines, sizeof *l);
    if (!l) return -1;
    *l = token;
    return 0;
}

static int add_token(doc *d, const char *w, size_t len)
{
    if (!d->open) {
        size_t *s = kh_vec_push(&d->starts, sizeof *s);
        if (!s) return -1;
        *s = d->inputs.len;
        d->open = 1;
    }
    kh_ner_input *in = kh_vec_push(&d->inputs, sizeof *in);
    size_t *off = kh_vec_push(&d->norm_off, sizeof *off);
    if (!in || !off) return -1;
    in->text = w;
    in->len = len;
    *off = d->norms.len;
    if (kh_normalize_append(&d->norms, w, len, KHABAR_FOLD_ALL)) return -1;
    in->norm_len = d->norms.len - *off;
    return add_line(d, d->inputs.len - 1);
}

/* Tags the document and writes its lines: 0, -1 when memory runs out, -2
 * when the output failed (reported). */
static int flush(const kh_ner_model *m, doc *d, int sentences, kh_ner_scratch *s, FILE *out)
{
    size_t n = d->inputs.len;
    kh_ner_input *in = d->inputs.data;
    const size_t *off = d->norm_off.data, *starts = d->starts.data;
    for (size_t i = 0; i < n; i++) in[i].norm = d->norms.data + off[i];
    d->tags.len = 0;
    for (size_t i = 0; i < n; i++)
        if (!kh_vec_push(&d->tags, 1)) return -1;
    uint8_t *tags = d->tags.data;
    if (sentences) {
        for (size_t k = 0; k < d->starts.len; k++) {
            size_t end = k + 1 < d->starts.len ? starts[k + 1] : n;
            if (kh_ner_tag(m, in + starts[k], end - starts[k], tags + starts[k], s)) return -1;
        }
    } else if (kh_ner_tag_doc(m, in, n, starts, d->starts.len, tags, s)) {
        return -1;
    }
    const size_t *lines = d->lines.data;
    for (size_t k = 0; k < d->lines.len; k++) {
        if (lines[k] == SIZE_MAX) {
            fputc('\n', out);
            continue;
        }
        const kh_ner_input *t = &in[lines[k]];
        fwrite(t->text, 1, t->len, out);
        fprintf(out, "\t%s\n", kh_ner_tag_name(tags[lines[k]]));
    }
    doc_clear(d);
    return cli_output_record() ? -2 : 0;
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
    if (!model) return 2;
    char *data;
    size_t len;
    int read_rc = cli_read_text(path, &data, &len);
    if (read_rc) return read_rc;
    kh_ner_scratch *scratch = kh_ner_scratch_new();
    doc d = {0};
    int rc = scratch ? 0 : -1;
    size_t pos = 0;
    while (pos < len && !rc) {
        size_t a, b; /* the token is the line's first field */
        size_t e = cli_line_first_field(data, len, pos, &a, &b);
        if (b - a == 10 && !memcmp(data + a, "-DOCSTART-", 10)) {
            /* a document boundary: tag what came before on its own */
            rc = flush(model->ner, &d, sentences, scratch, stdout);
            if (!rc) {
                printf("-DOCSTART-\tO\n");
                if (cli_output_record()) rc = -2;
            }
        } else if (b > a) {
            rc = add_token(&d, data + a, b - a);
        } else {
            d.open = 0;
            rc = add_line(&d, SIZE_MAX);
        }
        pos = e + 1;
    }
    if (!rc) rc = flush(model->ner, &d, sentences, scratch, stdout);
    doc_free(&d);
    kh_ner_scratch_free(scratch);
    free(data);
    if (rc == -1) cli_error("out of memory");
    return rc ? 2 : 0;
}
