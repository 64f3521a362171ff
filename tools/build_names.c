/* build_names: proper names that stemming keeps whole, for data/names.txt.
 *
 * Usage: build_names VOCAB.tsv ANERCORP.txt GAZETTEER... > names.txt
 *
 * Candidates are every Arabic word of the gazetteers (country and city
 * names; any file: its runs of Arabic letters are read) and every token the
 * NER corpus tags PERS, LOC or ORG.  A candidate is kept only when it is
 * distinctively a name:
 *   - the NER corpus tags it as an entity at least as often as not;
 *   - the vocabulary does not use it as an ordinary noun: ordinary nouns
 *     take the article (ولاية, الولاية), names do not (تونس, never التونس);
 *     a candidate that carries the article (المتحدة) is ordinary when its
 *     bare form is common too;
 *   - it is not a clitic plus another name or a commoner word (بمشهد,
 *     لليونان).
 * Output: one word a line, normalised with KHABAR_FOLD_ALL, sorted by bytes,
 * at least three letters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "kh.h"
#include "read_stream.h"

#define TOOL_NAME "build_names"
#include "tool.h"

static void read_file(const char *path, kh_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    if (read_stream(f, b)) die("cannot read an input file");
    fclose(f);
    if (kh_utf8_check(b->data, b->len) != b->len) {
        fprintf(stderr, "build_names: %s is not UTF-8\n", path);
        exit(1);
    }
}

static size_t letters_in(const char *w, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)w[i] & 0xC0) != 0x80;
    return k;
}

/* Appends the normalised Arabic word s[0..n) and a newline to `lines`. */
static void add_line(kh_buf *lines, const char *s, size_t n)
{
    size_t at = lines->len;
    if (kh_normalize_append(lines, s, n, KHABAR_FOLD_ALL)) die("out of memory");
    if (lines->len == at) return;
    if (kh_buf_putc(lines, '\n')) die("out of memory");
}

/* Every run of Arabic letters (and marks) in text, one a line. */
static void arabic_runs(const char *text, size_t n, kh_buf *lines)
{
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        size_t start = i;
        int letters = 0;
        while (i < n) {
            uint32_t cp;
            unsigned k = kh_utf8_decode(u + i, n - i, &cp);
            if (!k) break;
            if (kh_is_arabic_letter(cp)) letters = 1;
            else if (!kh_is_arabic_mark(cp) && cp != TATWEEL) break;
            i += k;
        }
        if (i > start && letters) add_line(lines, text + start, i - start);
        if (i == start) i++;
    }
}

static int all_arabic(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode(u + i, n - i, &cp);
        if (!k || !(kh_is_arabic_letter(cp) || kh_is_arabic_mark(cp) || cp == TATWEEL)) return 0;
        i += k;
    }
    return n > 0;
}

static kh_lexicon *vocab, *entity, *other, *candidates;

static uint32_t count(const kh_lexicon *lex, const char *pre, const char *w, size_t n)
{
    char key[512];
    size_t p = strlen(pre);
    if (p + n > sizeof key) return 0;
    memcpy(key, pre, p);
    memcpy(key + p, w, n);
    return kh_lexicon_count(lex, key, p + n);
}

static const char ARTICLE[] = "\xD8\xA7\xD9\x84"; /* ال */

static int ordinary(const char *w, size_t n)
{
    uint32_t e = kh_lexicon_count(entity, w, n), o = kh_lexicon_count(other, w, n);
    if (o > e) return 1;
    uint32_t c = kh_lexicon_count(vocab, w, n);
    if (n > 4 && memcmp(w, ARTICLE, 4) == 0 && letters_in(w, n) > 4) {
        uint32_t bare = kh_lexicon_count(vocab, w + 4, n - 4);
        return bare > 0 && bare * 10.0 >= c;
    }
    uint32_t definite = count(vocab, ARTICLE, w, n);
    return definite > 0 && definite > 0.5 * c;
}

/* A clitic (or two) in front of a known name or of a commoner word. */
static int cliticised(const char *w, size_t n)
{
    static const char *const prefixes[] = {
        "\xD9\x88", "\xD9\x81", "\xD8\xA8", "\xD9\x84", "\xD9\x83",             /* و ف ب ل ك */
        "\xD9\x88\xD8\xA8", "\xD9\x88\xD9\x84", "\xD9\x81\xD8\xA8", "\xD9\x81\xD9\x84", /* وب ول فب فل */
        "\xD9\x88\xD9\x83"};                                                   /* وك */
    uint32_t c = kh_lexicon_count(vocab, w, n);
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t p = strlen(prefixes[i]);
        if (n <= p || memcmp(w, prefixes[i], p) != 0) continue;
        const char *r = w + p;
        size_t rn = n - p;
        char alt[512];
        size_t an = 0;
        /* لل: ل + the article with its alef elided */
        if (p >= 2 && memcmp(prefixes[i] + p - 2, "\xD9\x84", 2) == 0 && rn >= 2 &&
            memcmp(r, "\xD9\x84", 2) == 0 && rn + 2 <= sizeof alt) {
            memcpy(alt, "\xD8\xA7", 2);
            memcpy(alt + 2, r, rn);
            an = rn + 2;
        }
        for (int k = 0; k < 2; k++) {
            const char *a = k ? alt : r;
            size_t al = k ? an : rn;
            if (al == 0 || letters_in(a, al) < 3) continue;
            if (kh_lexicon_count(candidates, a, al) && !ordinary(a, al)) return 1;
            if (kh_lexicon_count(vocab, a, al) > c) return 1;
        }
    }
    return 0;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: build_names VOCAB.tsv ANERCORP.txt GAZETTEER... > names.txt\n");
        return 2;
    }
    kh_buf text = {0}, ent = {0}, oth = {0}, cand = {0};
    read_file(argv[1], &text);
    vocab = kh_lexicon_load(text.data, text.len, KHABAR_FOLD_ALL);
    if (!vocab) die("cannot load the vocabulary");

    text.len = 0;
    read_file(argv[2], &text);
    for (size_t i = 0; i < text.len;) { /* "token TAG" lines */
        size_t eol = i;
        while (eol < text.len && text.data[eol] != '\n') eol++;
        size_t sp = i;
        while (sp < eol && text.data[sp] != ' ' && text.data[sp] != '\t') sp++;
        if (sp < eol && all_arabic(text.data + i, sp - i)) {
            const char *tag = text.data + sp + 1;
            size_t tn = eol - sp - 1;
            while (tn && (tag[tn - 1] == '\r' || tag[tn - 1] == ' ')) tn--;
            int named = tn > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-' &&
                        ((tn == 6 && !memcmp(tag + 2, "PERS", 4)) || (tn == 5 && !memcmp(tag + 2, "LOC", 3)) ||
                         (tn == 5 && !memcmp(tag + 2, "ORG", 3)));
            add_line(named ? &ent : &oth, text.data + i, sp - i);
            if (named) add_line(&cand, text.data + i, sp - i);
        }
        i = eol + 1;
    }
    for (int a = 3; a < argc; a++) {
        text.len = 0;
        read_file(argv[a], &text);
        arabic_runs(text.data, text.len, &cand);
    }
    entity = kh_lexicon_load(ent.data, ent.len, KHABAR_FOLD_ALL);
    other = kh_lexicon_load(oth.data, oth.len, KHABAR_FOLD_ALL);
    candidates = kh_lexicon_load(cand.data, cand.len, KHABAR_FOLD_ALL);
    if (!entity || !other || !candidates) die("out of memory");

    /* Unique candidate lines, in byte order. */
    kh_vec list = {0};
    for (size_t i = 0; i < cand.len;) {
        char *eol = memchr(cand.data + i, '\n', cand.len - i);
        *eol = '\0';
        char **slot = kh_vec_push(&list, sizeof *slot);
        if (!slot) die("out of memory");
        *slot = cand.data + i;
        i = (size_t)(eol - cand.data) + 1;
    }
    char **words = list.data;
    qsort(words, list.len, sizeof *words, by_bytes);
    size_t kept = 0, unique = 0;
    for (size_t i = 0; i < list.len; i++) {
        if (i && !strcmp(words[i], words[i - 1])) continue;
        unique++;
        const char *w = words[i];
        size_t n = strlen(w);
        if (letters_in(w, n) < 3 || ordinary(w, n) || cliticised(w, n)) continue;
        printf("%s\n", w);
        kept++;
    }
    fprintf(stderr, "build_names: %zu candidates, kept %zu\n", unique, kept);
    kh_vec_free(&list);
    kh_lexicon_free(vocab);
    kh_lexicon_free(entity);
    kh_lexicon_free(other);
    kh_lexicon_free(candidates);
    kh_buf_free(&text);
    kh_buf_free(&ent);
    kh_buf_free(&oth);
    kh_buf_free(&cand);
    return fflush(stdout) == 0 ? 0 : 1;
}
