/* Reading unlabeled news for the programs that learn from it
 * (tools/build_clusters.c, tools/build_places.c): plain text, or ANT corpus
 * articles (a file that starts with <DOC>: only its <TITLE> and <TEXT>
 * parts are read; <ABSTRACT> repeats the text's lead), split into words and
 * punctuation marks as ANERcorp splits them.  Header only: each tool is one
 * program; define TOOL_NAME and include tool.h first. */
#ifndef KH_TOOLS_CORPUS_TEXT_H
#define KH_TOOLS_CORPUS_TEXT_H

#include <stdio.h>
#include <string.h>

#include "arabic.h"
#include "kh.h"
#include "read_stream.h"

/* Called for each token of a line, then with (NULL, 0) at the line's end. */
typedef void (*corpus_token_fn)(void *arg, const char *s, size_t n);

static inline int corpus_is_word_cp(uint32_t cp)
{
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp == ARABIC_COMMA || cp == ARABIC_SEMICOLON || cp == ARABIC_QUESTION_MARK ||
        cp == ARABIC_FULL_STOP || cp == ARABIC_PERCENT || cp == LEFT_GUILLEMET ||
        cp == RIGHT_GUILLEMET || cp == NO_BREAK_SPACE || cp == BYTE_ORDER_MARK ||
        (cp >= 0x2000 && cp <= 0x206F))
        return 0;
    return 1;
}

static inline int corpus_is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == NO_BREAK_SPACE ||
           cp == BYTE_ORDER_MARK || cp == ZERO_WIDTH_NON_JOINER || cp == ZERO_WIDTH_JOINER ||
           cp == LEFT_TO_RIGHT_MARK || cp == RIGHT_TO_LEFT_MARK || (cp >= 0x2000 && cp <= 0x200B);
}

/* Splits a line into words (letters, marks and digits, with '.' or ','
 * between digits kept) and single punctuation marks. */
static inline void corpus_line(const char *s, size_t n, corpus_token_fn fn, void *arg)
{
    size_t i = 0, start = 0;
    int in_word = 0;
    while (i < n) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!k) { cp = REPLACEMENT_CHARACTER; k = 1; }
        int word = corpus_is_word_cp(cp) && !corpus_is_space_cp(cp);
        if (!word && in_word && (cp == '.' || cp == ',') && i > 0 && s[i - 1] >= '0' &&
            s[i - 1] <= '9' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
            word = 1;
        if (word) {
            if (!in_word) start = i, in_word = 1;
        } else {
            if (in_word) fn(arg, s + start, i - start), in_word = 0;
            if (!corpus_is_space_cp(cp)) fn(arg, s + i, k);
        }
        i += k;
    }
    if (in_word) fn(arg, s + start, n - start);
    fn(arg, NULL, 0);
}

/* Each line of s[0..n) through corpus_line. */
static inline void corpus_lines(const char *s, size_t n, corpus_token_fn fn, void *arg)
{
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        corpus_line(s + i, e - i, fn, arg);
        i = e + 1;
    }
}

static inline const char *corpus_find(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, k) == 0) return s + i;
    return NULL;
}

static inline void corpus_element(const char *s, size_t n, const char *open, const char *close,
                                  corpus_token_fn fn, void *arg)
{
    const char *a = corpus_find(s, n, open);
    if (!a) return;
    a += strlen(open);
    const char *b = corpus_find(a, n - (size_t)(a - s), close);
    if (!b) return;
    corpus_lines(a, (size_t)(b - a), fn, arg);
}

/* Every token of the file at path (an ANT article's title and text, or all
 * of a plain file); ends the program when it cannot be read. */
static inline void corpus_file(const char *path, corpus_token_fn fn, void *arg)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    kh_buf b = {0};
    if (read_stream(f, &b)) die("cannot read a corpus file");
    fclose(f);
    if (b.len >= 5 && memcmp(b.data, "<DOC>", 5) == 0) {
        corpus_element(b.data, b.len, "<TITLE>", "</TITLE>", fn, arg);
        corpus_element(b.data, b.len, "<TEXT>", "</TEXT>", fn, arg);
    } else {
        corpus_lines(b.data, b.len, fn, arg);
    }
    kh_buf_free(&b);
}

/* corpus_file for every path named in the file list_path, one a line;
 * with skip, not the paths for which skip(path, skip_arg) is true. */
static inline void corpus_files_from(const char *list_path, corpus_token_fn fn, void *arg,
                                     int (*skip)(const char *path, void *skip_arg), void *skip_arg)
{
    FILE *list = fopen(list_path, "r");
    if (!list) { perror(list_path); exit(1); }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, list)) > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (*line && !(skip && skip(line, skip_arg))) corpus_file(line, fn, arg);
    }
    free(line);
    fclose(list);
}

#endif
