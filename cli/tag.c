/* khabar tag: labels pre-tokenized text with the number or date layer in
 * BIO, so that annotated corpora (Wojood) can be scored against it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
/* The facts API is internal to the library; the CLI reaches it the way
 * the tools in tools/ do, through the source tree. */
#include "../src/facts.h"

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

typedef struct sentence {
    kh_vec tokens;   /* khabar_token */
    kh_vec words;    /* const char * (token text in the input, NUL-terminated) */
    kh_buf text;     /* the tokens joined by spaces, the tokens' span text */
    kh_buf norms;    /* normalised tokens, NUL-separated */
    kh_vec norm_off; /* size_t offsets into norms */
    kh_vec tags;     /* const char * type per token, NULL for O */
    kh_vec begins;   /* unsigned char: 1 where a tagged span begins */
} sentence;

static void sentence_free(sentence *s)
{
    kh_vec_free(&s->tokens);
    kh_vec_free(&s->words);
    kh_buf_free(&s->text);
    kh_buf_free(&s->norms);
    kh_vec_free(&s->norm_off);
    kh_vec_free(&s->tags);
    kh_vec_free(&s->begins);
}

static void sentence_clear(sentence *s)
{
    s->tokens.len = s->words.len = s->text.len = s->norms.len = s->norm_off.len = 0;
    s->tags.len = s->begins.len = 0;
}

static int add_token(sentence *s, const char *w)
{
    size_t len = strlen(w);
    const char **slot = kh_vec_push(&s->words, sizeof *slot);
    size_t *off = kh_vec_push(&s->norm_off, sizeof *off);
    khabar_token *t = kh_vec_push(&s->tokens, sizeof *t);
    if (!slot || !off || !t) return -1;
    *slot = w;
    if (s->text.len && kh_buf_putc(&s->text, ' ')) return -1;
    t->span.start = s->text.len;
    t->span.end = s->text.len + len;
    t->span.text_len = len;
    t->kind = kh_token_kind(w, len);
    t->sentence = 0;
    t->block = 0;
    if (kh_buf_append(&s->text, w, len)) return -1;
    *off = s->norms.len;
    if (kh_normalize_append(&s->norms, w, len, KHABAR_FOLD_ALL) || kh_buf_putc(&s->norms, '\0'))
        return -1;
    return 0;
}

static void mark(sentence *s, size_t first, size_t last, const char *type)
{
    const char **tags = s->tags.data;
    unsigned char *begins = s->begins.data;
    if (first >= last || last > s->tags.len) return;
    for (size_t i = first; i < last; i++)
        if (tags[i]) return; /* an earlier span holds it */
    for (size_t i = first; i < last; i++) {
        tags[i] = type;
        begins[i] = i == first;
    }
}

/* Tags one sentence and writes its lines.  Returns 0, -1 when memory runs
 * out, -2 when the output failed (reported). */
static int tag_sentence(const kh_facts *facts, sentence *s, int numbers, const char *doc_date,
                        FILE *out)
{
    size_t n = s->tokens.len;
    if (!n) return 0;
    khabar_token *t = s->tokens.data;
    const size_t *off = s->norm_off.data;
    const char *const *words = s->words.data;
    for (size_t i = 0; i < n; i++) {
        t[i].norm = s->norms.data + off[i];
        t[i].span.text = s->text.data + t[i].span.start;
    }
    for (size_t i = 0; i < n; i++) {
        if (!kh_vec_push(&s->tags, sizeof(const char *)) || !kh_vec_push(&s->begins, 1)) return -1;
    }
    kh_vec dates = {0}, quantities = {0};
    int rc = 0;
    if (kh_find_dates(facts, t, n, NULL, doc_date, &dates) != KHABAR_OK) rc = -1;
    if (!rc && numbers && kh_find_quantities(facts, t, n, NULL, &dates, &quantities) != KHABAR_OK) rc = -1;
    if (!rc && numbers) {
        const kh_quantity *q = quantities.data;
        for (size_t i = 0; i < quantities.len; i++)
            for (unsigned p = 0; p < q[i].n_parts; p++)
                mark(s, q[i].parts[p].first, q[i].parts[p].last, kh_quantity_tag(q[i].kind));
    } else if (!rc) {
        const kh_date *d = dates.data;
        for (size_t i = 0; i < dates.len; i++)
            mark(s, d[i].core.first, d[i].core.last, d[i].is_time ? "TIME" : "DATE");
    }
    kh_vec_free(&dates);
    kh_vec_free(&quantities);
    if (rc) return rc;
    const char *const *tags = s->tags.data;
    const unsigned char *begins = s->begins.data;
    for (size_t i = 0; i < n; i++) {
        if (tags[i]) fprintf(out, "%s\t%c-%s\n", words[i], begins[i] ? 'B' : 'I', tags[i]);
        else fprintf(out, "%s\tO\n", words[i]);
    }
    return cli_output_record() ? -2 : 0;
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
    int numbers = !strcmp(layer, "numbers");
    khabar_model *model = cli_model();
    if (!model) return 2;
    char *data;
    size_t len;
    int read_rc = cli_read_text(path, &data, &len);
    if (read_rc) return read_rc;
    sentence s = {0};
    int rc = 0;
    size_t pos = 0;
    while (pos <= len && !rc) {
        size_t a, b; /* the token is the line's first field */
        size_t e = cli_line_first_field(data, len, pos, &a, &b);
        if (b > a) {
            data[b] = '\0'; /* the rest of the line is ignored */
            if (add_token(&s, data + a)) rc = -1;
        } else if (e < len || pos < e) {
            /* a blank line (the output keeps the input's lines, line for line) */
            if (s.tokens.len) rc = tag_sentence(model->facts, &s, numbers, doc_date, stdout);
            sentence_clear(&s);
            putchar('\n');
        }
        if (e >= len) break;
        pos = e + 1;
    }
    if (!rc && s.tokens.len) rc = tag_sentence(model->facts, &s, numbers, doc_date, stdout);
    sentence_free(&s);
    free(data);
    if (rc == -1) cli_error("out of memory");
    return rc ? 2 : 0;
}
