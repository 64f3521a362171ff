/* The search query language (docs/archive.md) translated into an FTS5
 * MATCH expression.  Every word and phrase goes to FTS5 as a quoted string,
 * so nothing a user types can be read as FTS5 syntax (column filters,
 * NEAR, ^) or make it fail: the tokenizer decides what the words are. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khabar_archive.h"

#define MAX_DEPTH 32

typedef struct parser {
    const char *s;
    size_t len, pos;
    char *out;
    size_t out_len, out_cap;
    int failed;          /* an error was set */
    khabar_error *err;
} parser;

static void fail(parser *p, khabar_status code, size_t offset, const char *msg)
{
    if (p->failed) return;
    p->failed = 1;
    if (p->err) {
        p->err->code = code;
        p->err->offset = offset;
        snprintf(p->err->message, sizeof p->err->message, "%s", msg);
    }
}

static void put(parser *p, const char *s, size_t n)
{
    if (p->failed) return;
    if (p->out_len + n + 1 > p->out_cap) {
        size_t cap = (p->out_len + n + 1) * 2;
        char *b = realloc(p->out, cap);
        if (!b) { fail(p, KHABAR_ERROR_MEMORY, 0, "out of memory"); return; }
        p->out = b;
        p->out_cap = cap;
    }
    memcpy(p->out + p->out_len, s, n);
    p->out_len += n;
    p->out[p->out_len] = '\0';
}

static void puts_(parser *p, const char *s) { put(p, s, strlen(s)); }

/* A quoted FTS5 string: quotes inside are doubled, and a NUL byte (which
 * would end the string where SQLite reads it) becomes a space. */
static void quoted(parser *p, const char *s, size_t n)
{
    put(p, "\"", 1);
    size_t from = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"' || s[i] == '\0') {
            put(p, s + from, i - from);
            put(p, s[i] == '"' ? "\"\"" : " ", s[i] == '"' ? 2 : 1);
            from = i + 1;
        }
    put(p, s + from, n - from);
    put(p, "\"", 1);
}

static int is_space(char c) { return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static int is_special(char c) { return c == '"' || c == '(' || c == ')'; }

static void skip_space(parser *p)
{
    while (p->pos < p->len && is_space(p->s[p->pos])) p->pos++;
}

/* The word at p->pos: [a, b). */
static void word_at(parser *p, size_t *a, size_t *b)
{
    size_t i = p->pos;
    while (i < p->len && !is_space(p->s[i]) && !is_special(p->s[i])) i++;
    *a = p->pos;
    *b = i;
}

static int is_keyword(parser *p, const char *kw)
{
    size_t a, b, n = strlen(kw);
    word_at(p, &a, &b);
    return b - a == n && memcmp(p->s + a, kw, n) == 0;
}

/* Punctuation outside ASCII that a query may hold around its words. */
enum {
    ARABIC_COMMA = 0x060C, ARABIC_SEMICOLON = 0x061B, ARABIC_QUESTION_MARK = 0x061F,
    ARABIC_PERCENT = 0x066A, ARABIC_FIVE_POINTED_STAR = 0x066D, ARABIC_FULL_STOP = 0x06D4,
    LATIN1_PUNCT_FIRST = 0x00A0, LATIN1_PUNCT_LAST = 0x00BF, /* « » ¡ ¿ and signs */
    GENERAL_PUNCT_FIRST = 0x2000, GENERAL_PUNCT_LAST = 0x206F /* dashes, quotes, … */
};

static int is_punct_cp(unsigned cp)
{
    return cp == ARABIC_COMMA || cp == ARABIC_SEMICOLON || cp == ARABIC_QUESTION_MARK ||
           (cp >= ARABIC_PERCENT && cp <= ARABIC_FIVE_POINTED_STAR) || cp == ARABIC_FULL_STOP ||
           (cp >= LATIN1_PUNCT_FIRST && cp <= LATIN1_PUNCT_LAST) ||
           (cp >= GENERAL_PUNCT_FIRST && cp <= GENERAL_PUNCT_LAST);
}

/* Something to search for: a letter or digit of any script (punctuation
 * alone, such as a lone '-' or '؟', finds nothing).  Bytes that are not
 * UTF-8 count as something: the tokenizer decides. */
static int has_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return 1;
            i++;
            continue;
        }
        size_t k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        if (k == 1 || i + k > n) return 1;
        unsigned cp = c & (0x7fu >> k);
        for (size_t j = 1; j < k; j++) {
            unsigned char cc = (unsigned char)s[i + j];
            if ((cc & 0xc0) != 0x80) return 1;
            cp = cp << 6 | (cc & 0x3fu);
        }
        if (!is_punct_cp(cp)) return 1;
        i += k;
    }
    return 0;
}

static int parse_or(parser *p, int depth);

/* One item: a word, a "phrase" or a (group), written into p->out.
 * Returns 1 when it wrote one, 0 when the item holds nothing to search for. */
static int parse_item(parser *p, int depth)
{
    char c = p->s[p->pos];
    if (c == '"') {
        size_t open = p->pos++;
        const char *end = memchr(p->s + p->pos, '"', p->len - p->pos);
        if (!end) { fail(p, KHABAR_ERROR_QUERY, open, "a quote is not closed"); return 0; }
        size_t a = p->pos, b = (size_t)(end - p->s);
        p->pos = b + 1;
        if (!has_word(p->s + a, b - a)) return 0;
        quoted(p, p->s + a, b - a);
        return 1;
    }
    if (c == '(') {
        size_t open = p->pos++;
        if (depth >= MAX_DEPTH) { fail(p, KHABAR_ERROR_QUERY, open, "parentheses nested too deep"); return 0; }
        size_t mark = p->out_len;
        put(p, "(", 1);
        int wrote = parse_or(p, depth + 1);
        skip_space(p);
        if (p->pos >= p->len || p->s[p->pos] != ')') {
            fail(p, KHABAR_ERROR_QUERY, open, "a parenthesis is not closed");
            return 0;
        }
        p->pos++;
        if (!wrote) { p->out_len = mark; if (p->out) p->out[mark] = '\0'; return 0; }
        put(p, ")", 1);
        return 1;
    }
    if (c == ')') { fail(p, KHABAR_ERROR_QUERY, p->pos, "a closing parenthesis with no opening one"); return 0; }
    size_t a, b;
    word_at(p, &a, &b);
    p->pos = b;
    int prefix = b > a && p->s[b - 1] == '*';
    if (prefix) b--;
    if (!has_word(p->s + a, b - a)) return 0;
    quoted(p, p->s + a, b - a);
    if (prefix) put(p, " *", 2);
    return 1;
}

/* Items side by side, all required; those after NOT or '-' excluded. */
static int parse_and(parser *p, int depth)
{
    size_t start = p->out_len, first = p->pos;
    int positives = 0, negatives = 0;
    /* excluded items are collected apart and appended after the others */
    char *neg = NULL;
    size_t neg_len = 0;
    for (;;) {
        skip_space(p);
        if (p->failed || p->pos >= p->len || p->s[p->pos] == ')' || is_keyword(p, "OR")) break;
        int negate = 0;
        if (is_keyword(p, "NOT")) {
            size_t at = p->pos;
            p->pos += 3;
            skip_space(p);
            if (p->pos >= p->len || p->s[p->pos] == ')' || is_keyword(p, "OR")) {
                fail(p, KHABAR_ERROR_QUERY, at, "NOT needs something after it");
                break;
            }
            negate = 1;
        } else if (is_keyword(p, "AND")) {
            p->pos += 3;
            continue;
        } else if (p->s[p->pos] == '-' && p->pos + 1 < p->len && !is_space(p->s[p->pos + 1])) {
            p->pos++;
            negate = 1;
        }
        size_t mark = p->out_len;
        if (!negate && positives) puts_(p, " AND ");
        size_t item = p->out_len;
        int wrote = parse_item(p, depth);
        if (p->failed) break;
        if (!wrote) {
            p->out_len = mark;
            if (p->out) p->out[mark] = '\0';
            continue;
        }
        if (!negate) { positives++; continue; }
        /* move the excluded item from the output to neg */
        size_t n = p->out_len - item;
        char *b = realloc(neg, neg_len + n + 6);
        if (!b) { fail(p, KHABAR_ERROR_MEMORY, 0, "out of memory"); break; }
        neg = b;
        memcpy(neg + neg_len, " NOT ", 5);
        memcpy(neg + neg_len + 5, p->out + item, n);
        neg_len += n + 5;
        p->out_len = mark;
        p->out[mark] = '\0';
        negatives++;
    }
    if (!p->failed && negatives && !positives)
        fail(p, KHABAR_ERROR_QUERY, first, "a query cannot only exclude: it needs a word to find");
    if (!p->failed && negatives) {
        /* (a AND b) NOT c NOT d */
        put(p, "", 0);
        size_t body = p->out_len - start;
        char *copy = malloc(body + 1);
        if (!copy) fail(p, KHABAR_ERROR_MEMORY, 0, "out of memory");
        else {
            memcpy(copy, p->out + start, body);
            p->out_len = start;
            put(p, "(", 1);
            put(p, copy, body);
            put(p, ")", 1);
            put(p, neg, neg_len);
            free(copy);
        }
    }
    free(neg);
    return positives > 0;
}

/* Groups joined by OR.  A group that holds only punctuation (the '%' of
 * "a OR % OR b") is left out with its OR; an OR with nothing written on a
 * side is an error. */
static int parse_or(parser *p, int depth)
{
    int any = 0;
    for (;;) {
        size_t mark = p->out_len;
        skip_space(p);
        size_t at = p->pos;
        if (any) puts_(p, " OR ");
        int wrote = parse_and(p, depth);
        if (p->failed) return 0;
        int typed = p->pos > at;
        if (!wrote) {
            p->out_len = mark;
            if (p->out) p->out[mark] = '\0';
        }
        any |= wrote;
        skip_space(p);
        if (p->pos < p->len && is_keyword(p, "OR")) {
            if (!typed) { fail(p, KHABAR_ERROR_QUERY, p->pos, "OR needs something on each side"); return 0; }
            size_t or_at = p->pos;
            p->pos += 2;
            skip_space(p);
            if (p->pos >= p->len || p->s[p->pos] == ')') {
                fail(p, KHABAR_ERROR_QUERY, or_at, "OR needs something on each side");
                return 0;
            }
            continue;
        }
        return any;
    }
}

char *khabar_archive_fts5_query(const char *query, size_t len, khabar_error *err)
{
    parser p = {query ? query : "", query ? len : 0, 0, NULL, 0, 0, 0, err};
    int wrote = parse_or(&p, 0);
    skip_space(&p);
    if (!p.failed && p.pos < p.len)
        fail(&p, KHABAR_ERROR_QUERY, p.pos, "a closing parenthesis with no opening one");
    if (!p.failed && !wrote) fail(&p, KHABAR_ERROR_QUERY, 0, "the query has no words to search for");
    if (p.failed) {
        free(p.out);
        return NULL;
    }
    return p.out;
}
