/* A table counting words, for the programs that build data/ from corpora
 * (tools/build_vocab.c: occurrences; tools/build_df.c: articles).  Header
 * only: each tool is one program. */
#ifndef KH_TOOLS_WORD_TABLE_H
#define KH_TOOLS_WORD_TABLE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"

typedef struct word_count {
    char *word;        /* not NUL-terminated; NULL marks an empty slot */
    size_t len;
    uint64_t hash;
    uint64_t count;
    uint32_t last_doc; /* for counting once per article: the last one that counted it */
} word_count;

typedef struct word_table {
    word_count *slots;
    size_t mask, size;
} word_table;

static int word_table_grow(word_table *t)
{
    size_t cap = t->slots ? (t->mask + 1) * 2 : (size_t)1 << 16;
    word_count *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; t->slots && i <= t->mask; i++) {
        if (!t->slots[i].word) continue;
        size_t j = (size_t)t->slots[i].hash & (cap - 1);
        while (slots[j].word) j = (j + 1) & (cap - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->mask = cap - 1;
    return 0;
}

/* The entry of w[0..n), or NULL when the table has none. */
static inline word_count *word_table_find(const word_table *t, const char *w, size_t n)
{
    if (!t->slots) return NULL;
    uint64_t h = kh_hash(w, n);
    for (size_t i = (size_t)h & t->mask; t->slots[i].word; i = (i + 1) & t->mask) {
        word_count *e = &t->slots[i];
        if (e->hash == h && e->len == n && memcmp(e->word, w, n) == 0) return e;
    }
    return NULL;
}

/* The entry of w[0..n), added with count 0 when new; NULL on no memory. */
static word_count *word_table_get(word_table *t, const char *w, size_t n)
{
    if ((!t->slots || (t->size + 1) * 2 > t->mask + 1) && word_table_grow(t)) return NULL;
    uint64_t h = kh_hash(w, n);
    size_t i = (size_t)h & t->mask;
    while (t->slots[i].word) {
        word_count *e = &t->slots[i];
        if (e->hash == h && e->len == n && memcmp(e->word, w, n) == 0) return e;
        i = (i + 1) & t->mask;
    }
    word_count *e = &t->slots[i];
    if (!(e->word = malloc(n ? n : 1))) return NULL;
    memcpy(e->word, w, n);
    e->len = n;
    e->hash = h;
    e->count = 0;
    e->last_doc = 0;
    t->size++;
    return e;
}

/* By count descending, ties by bytes: the order of the data files. */
static int word_count_order(const void *a, const void *b)
{
    const word_count *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->word, y->word, n);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* The entries in word_count_order, in a new array of *n (free it; the
 * words stay the table's); NULL on no memory. */
static word_count *word_table_sorted(const word_table *t, size_t *n)
{
    word_count *all = malloc((t->size ? t->size : 1) * sizeof *all);
    if (!all) return NULL;
    *n = 0;
    for (size_t i = 0; t->slots && i <= t->mask; i++)
        if (t->slots[i].word) all[(*n)++] = t->slots[i];
    qsort(all, *n, sizeof *all, word_count_order);
    return all;
}

static void word_table_free(word_table *t)
{
    for (size_t i = 0; t->slots && i <= t->mask; i++) free(t->slots[i].word);
    free(t->slots);
    t->slots = NULL;
    t->mask = t->size = 0;
}

#endif
