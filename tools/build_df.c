/* build_df: document frequencies of a news corpus, the table behind data/df.tsv.
 *
 * Usage: build_df [--min-df N] < CORPUS > df.tsv
 *
 * CORPUS is the ANT corpus's SGML-like files concatenated (tar -xzOf), one
 * <DOC> ... </DOC> per article.  Each article's <TITLE> and <TEXT> (as a
 * title line and a body) go through khabar_analyze, so the words are keyed
 * exactly as the tag stage keys them at run time: by the token's stem
 * (clitics stripped, Snowball, fully folded; proper names whole).  A stem
 * counts once per article.  Output: a first line "#documents<TAB>N", then
 * "stem<TAB>df" by df descending (ties by bytes) for every stem in at least
 * N articles (default 2): a rarer word is scored as if it were in none,
 * which changes its weight little and keeps the table small. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "read_stream.h"
#include "word_table.h"

#define TOOL_NAME "build_df"
#include "tool.h"

/* The body of <TAG>...</TAG> inside [p, end), or NULL. */
static const char *field(const char *p, const char *end, const char *tag, size_t *len)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    size_t no = strlen(open), nc = strlen(close);
    for (const char *q = p; q + no <= end; q++) {
        if (memcmp(q, open, no) != 0) continue;
        const char *body = q + no;
        for (const char *r = body; r + nc <= end; r++)
            if (memcmp(r, close, nc) == 0) { *len = (size_t)(r - body); return body; }
        *len = (size_t)(end - body);
        return body;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    unsigned long min_df = 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--min-df") && i + 1 < argc) {
            min_df = strtoul(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: build_df [--min-df N] < CORPUS > df.tsv\n");
            return 2;
        }
    }
    kh_buf in = {0};
    if (read_stream(stdin, &in)) die("cannot read the corpus");

    khabar_model *model;
    khabar_analyzer *an;
    khabar_error err;
    if (khabar_model_new(&model, &err) || khabar_analyzer_new(model, &an, &err)) die(err.message);

    word_table t = {0};
    kh_buf article = {0};
    uint32_t docs = 0;
    size_t skipped = 0;
    const char *p = in.data, *end = in.data + in.len;
    static const char open_doc[] = "<DOC>", close_doc[] = "</DOC>";
    while (p && p < end) {
        const char *d = NULL;
        for (const char *q = p; q + sizeof open_doc - 1 <= end; q++)
            if (!memcmp(q, open_doc, sizeof open_doc - 1)) { d = q; break; }
        if (!d) break;
        const char *e = end;
        for (const char *q = d; q + sizeof close_doc - 1 <= end; q++)
            if (!memcmp(q, close_doc, sizeof close_doc - 1)) { e = q; break; }
        p = e + (e < end ? sizeof close_doc - 1 : 0);

        size_t title_len = 0, text_len = 0;
        const char *title = field(d, e, "TITLE", &title_len);
        const char *text = field(d, e, "TEXT", &text_len);
        if (!text) continue;
        article.len = 0;
        if ((title && kh_buf_append(&article, title, title_len)) || kh_buf_append(&article, "\n\n", 2) ||
            kh_buf_append(&article, text, text_len))
            die("out of memory");
        khabar_options opts = {0};
        opts.flags = KHABAR_OPTION_REPLACE_INVALID;
        khabar_doc *doc;
        if (khabar_analyze(an, article.data, article.len, &opts, &doc, &err) != KHABAR_OK) {
            skipped++;
            continue;
        }
        docs++;
        for (size_t i = 0; i < khabar_doc_token_count(doc); i++) {
            const khabar_token *tok = khabar_doc_token(doc, i);
            if (tok->kind != KHABAR_TOKEN_ARABIC && tok->kind != KHABAR_TOKEN_LATIN) continue;
            size_t n = strlen(tok->stem);
            if (!n) continue;
            word_count *e = word_table_get(&t, tok->stem, n);
            if (!e) die("out of memory");
            if (e->last_doc != docs) e->count++, e->last_doc = docs; /* once an article */
        }
        khabar_doc_free(doc);
    }
    if (!docs) die("no articles found (is the corpus on stdin?)");

    size_t n, keep = 0, bytes = 0;
    word_count *all = word_table_sorted(&t, &n);
    if (!all) die("out of memory");
    printf("#documents\t%u\n", docs);
    for (size_t i = 0; i < n && all[i].count >= min_df; i++, keep++) {
        int w = printf("%.*s\t%llu\n", (int)all[i].len, all[i].word, (unsigned long long)all[i].count);
        if (w > 0) bytes += (size_t)w;
    }
    fprintf(stderr, "build_df: %u articles (%zu unreadable), %zu distinct stems, kept %zu (df >= %lu), %zu bytes\n",
            docs, skipped, n, keep, min_df, bytes);

    word_table_free(&t);
    free(all);
    kh_buf_free(&article);
    kh_buf_free(&in);
    khabar_analyzer_free(an);
    khabar_model_free(model);
    return fflush(stdout) == 0 ? 0 : 1;
}
