/* build_vocab: word counts of a news corpus, the table behind data/vocab.tsv.
 *
 * Usage: build_vocab [--max-bytes N] < CORPUS > vocab.tsv
 *
 * CORPUS is the ANT corpus's SGML-like files concatenated (tar -xzOf): only
 * the text inside <TITLE> and <TEXT> is read (<ABSTRACT> repeats the lead of
 * <TEXT> and would count it twice).  Every run of Arabic letters is a word;
 * words are normalised with KHABAR_FOLD_ALL and counted as written, clitics
 * and all, since both the segmenter and the line-break joiner ask how often a
 * surface form occurs.  Output is "word<TAB>count" by count descending (ties
 * by bytes), dropping the rarest counts until the file fits in N bytes
 * (default 3,000,000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "kh.h"
#include "read_stream.h"
#include "word_table.h"

#define TOOL_NAME "build_vocab"
#include "tool.h"

/* Counts the Arabic words of s[0..n). */
static void count_words(word_table *t, const char *s, size_t n, kh_buf *norm)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t start = i, end = i;
        int letters = 0;
        while (i < n) {
            uint32_t cp;
            unsigned k = kh_utf8_decode(u + i, n - i, &cp);
            if (!k) break;
            if (kh_is_arabic_letter(cp)) letters = 1;
            else if (!kh_is_arabic_mark(cp) && cp != TATWEEL) break;
            i += k;
            end = i;
        }
        if (end > start && letters) {
            norm->len = 0;
            if (kh_normalize_append(norm, s + start, end - start, KHABAR_FOLD_ALL)) die("out of memory");
            if (norm->len) {
                word_count *e = word_table_get(t, norm->data, norm->len);
                if (!e) die("out of memory");
                e->count++;
            }
        }
        if (i == start) i++; /* not part of a word: skip one byte */
    }
}

/* Finds the body of the next <TAG>...</TAG> for TITLE or TEXT. */
static const char *next_field(const char *p, const char *end, const char **body_end)
{
    static const char *const tags[][2] = {{"<TITLE>", "</TITLE>"}, {"<TEXT>", "</TEXT>"}};
    for (;;) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) return NULL;
        for (size_t k = 0; k < 2; k++) {
            size_t open = strlen(tags[k][0]);
            if ((size_t)(end - lt) >= open && memcmp(lt, tags[k][0], open) == 0) {
                const char *body = lt + open;
                size_t close = strlen(tags[k][1]);
                const char *q = body;
                while (q + close <= end && memcmp(q, tags[k][1], close) != 0) q++;
                if (q + close > end) q = end;
                *body_end = q;
                return body;
            }
        }
        p = lt + 1;
    }
}

static size_t line_bytes(const word_count *e)
{
    char digits[32];
    return e->len + 2 + (size_t)snprintf(digits, sizeof digits, "%llu", (unsigned long long)e->count);
}

int main(int argc, char **argv)
{
    size_t max_bytes = 3000000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--max-bytes") && i + 1 < argc) {
            max_bytes = (size_t)strtoull(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: build_vocab [--max-bytes N] < CORPUS > vocab.tsv\n");
            return 2;
        }
    }
    kh_buf in = {0};
    if (read_stream(stdin, &in)) die("cannot read the corpus");

    word_table t = {0};
    kh_buf norm = {0};
    const char *p = in.data, *end = in.data + in.len;
    const char *body, *body_end;
    size_t fields = 0;
    while (p && p < end && (body = next_field(p, end, &body_end)) != NULL) {
        if (kh_utf8_check(body, (size_t)(body_end - body)) == (size_t)(body_end - body))
            count_words(&t, body, (size_t)(body_end - body), &norm);
        fields++;
        p = body_end;
    }
    if (!t.size) die("no words found (is the corpus on stdin?)");

    size_t n;
    word_count *all = word_table_sorted(&t, &n);
    if (!all) die("out of memory");
    uint64_t tokens = 0;
    for (size_t i = 0; i < n; i++) tokens += all[i].count;

    /* Keep whole count classes: the smallest minimum count that fits. */
    size_t keep = n, bytes = 0;
    for (size_t i = 0; i < n; i++) bytes += line_bytes(&all[i]);
    while (keep > 0 && bytes > max_bytes) {
        uint64_t c = all[keep - 1].count;
        while (keep > 0 && all[keep - 1].count == c) bytes -= line_bytes(&all[--keep]);
    }
    for (size_t i = 0; i < keep; i++)
        printf("%.*s\t%llu\n", (int)all[i].len, all[i].word, (unsigned long long)all[i].count);
    fprintf(stderr, "build_vocab: %zu fields, %llu tokens, %zu distinct words, kept %zu (count >= %llu), %zu bytes\n",
            fields, (unsigned long long)tokens, n, keep,
            (unsigned long long)(keep ? all[keep - 1].count : 0), bytes);

    word_table_free(&t);
    free(all);
    kh_buf_free(&norm);
    kh_buf_free(&in);
    return fflush(stdout) == 0 ? 0 : 1;
}
