/* Pre-tokenized CoNLL text for `ner` and `tag`: a token first on each
 * line (other columns ignored), a blank line between sentences.  The lines
 * are kept, so that the output has the input's lines, line for line, each
 * token with its label (khabar_label_tokens). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Grows an array of `size`-byte items to hold one more; -1 on no memory. */
static int room(void **items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) return 0;
    size_t c = *cap ? 2 * *cap : 256;
    void *bigger = realloc(*items, c * size);
    if (!bigger) return -1;
    *items = bigger;
    *cap = c;
    return 0;
}

int cli_conll_token(cli_conll *d, const char *w, size_t len)
{
    if (!d->open) {
        if (room((void **)&d->starts, d->n_sentences, &d->sentence_cap, sizeof *d->starts)) return -1;
        d->starts[d->n_sentences++] = d->n;
        d->open = 1;
    }
    if (room((void **)&d->tokens, d->n, &d->token_cap, sizeof *d->tokens) ||
        room((void **)&d->lens, d->n, &d->len_cap, sizeof *d->lens) ||
        room((void **)&d->labels, d->n, &d->label_cap, sizeof *d->labels))
        return -1;
    d->tokens[d->n] = w;
    d->lens[d->n] = len;
    d->n++;
    if (room((void **)&d->lines, d->n_lines, &d->line_cap, sizeof *d->lines)) return -1;
    d->lines[d->n_lines++] = d->n - 1;
    return 0;
}

int cli_conll_blank(cli_conll *d)
{
    d->open = 0;
    if (room((void **)&d->lines, d->n_lines, &d->line_cap, sizeof *d->lines)) return -1;
    d->lines[d->n_lines++] = SIZE_MAX;
    return 0;
}

int cli_conll_flush(cli_conll *d, khabar_analyzer *an, khabar_label_layer layer, const char *date, unsigned flags)
{
    khabar_error err;
    if (khabar_label_tokens(an, d->tokens, d->lens, d->n, d->starts, d->n_sentences, layer, date, flags, d->labels,
                            &err)) {
        cli_error("%s", err.message);
        return -1;
    }
    for (size_t k = 0; k < d->n_lines; k++) {
        size_t t = d->lines[k];
        if (t == SIZE_MAX) {
            putchar('\n');
            continue;
        }
        fwrite(d->tokens[t], 1, d->lens[t], stdout);
        printf("\t%s\n", d->labels[t]);
    }
    d->n = d->n_sentences = d->n_lines = 0;
    d->open = 0;
    return cli_output_record() ? -2 : 0;
}

void cli_conll_free(cli_conll *d)
{
    free(d->tokens);
    free(d->lens);
    free(d->labels);
    free(d->starts);
    free(d->lines);
    memset(d, 0, sizeof *d);
}
