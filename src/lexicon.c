/* Read-only word tables (vocabulary counts, name lists) built once from the
 * data files embedded in the library: open addressing over 16-byte slots.
 * A word is known by its 64-bit hash and its length, not by its letters:
 * comparing the letters would cost a second memory access a lookup, and
 * the segmenter makes dozens a word; with tables of 10^5 words, a false
 * match is expected once in some 10^14 lookups. */
#include <stdlib.h>
#include <string.h>

#include "kh.h"

typedef struct slot {
    uint64_t hash;
    uint32_t len;   /* 0 marks an empty slot */
    uint32_t count;
} slot;

struct kh_lexicon {
    slot *slots;
    size_t mask;
    size_t size;
    uint64_t total;
    unsigned folds;
    /* A Bloom filter over the words' hashes, small enough to stay in the
     * processor's cache: most lookups (the segmenter tries many readings
     * of a word) are of absent words, and it answers those without
     * touching the table. */
    uint64_t *filter;
    size_t filter_mask; /* bits - 1 */
};

static int filter_has(const kh_lexicon *lex, uint64_t h)
{
    size_t a = (size_t)h & lex->filter_mask, b = (size_t)(h >> 40) & lex->filter_mask;
    return ((lex->filter[a >> 6] >> (a & 63)) & (lex->filter[b >> 6] >> (b & 63)) & 1) != 0;
}

/* 32 bits a word (two of them set): about 1 in 250 absent words passes. */
static int build_filter(kh_lexicon *lex)
{
    size_t bits = 1024;
    while (bits < lex->size * 32) bits *= 2;
    lex->filter = calloc(bits / 64, sizeof *lex->filter);
    if (!lex->filter) return -1;
    lex->filter_mask = bits - 1;
    for (size_t i = 0; i <= lex->mask; i++) {
        if (!lex->slots[i].len) continue;
        uint64_t h = lex->slots[i].hash;
        size_t a = (size_t)h & lex->filter_mask, b = (size_t)(h >> 40) & lex->filter_mask;
        lex->filter[a >> 6] |= (uint64_t)1 << (a & 63);
        lex->filter[b >> 6] |= (uint64_t)1 << (b & 63);
    }
    return 0;
}

static slot *find(const kh_lexicon *lex, size_t n, uint64_t h)
{
    size_t i = (size_t)h & lex->mask;
    for (;;) {
        slot *s = &lex->slots[i];
        if (!s->len || (s->hash == h && s->len == n)) return s;
        i = (i + 1) & lex->mask;
    }
}

static int grow(kh_lexicon *lex)
{
    size_t cap = (lex->mask + 1) * 2;
    slot *old = lex->slots;
    size_t old_cap = lex->mask + 1;
    lex->slots = malloc(cap * sizeof *lex->slots);
    if (!lex->slots) { lex->slots = old; return -1; }
    memset(lex->slots, 0, cap * sizeof *lex->slots);
    lex->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].len) continue;
        size_t j = (size_t)old[i].hash & lex->mask;
        while (lex->slots[j].len) j = (j + 1) & lex->mask;
        lex->slots[j] = old[i];
    }
    free(old);
    return 0;
}

static int add(kh_lexicon *lex, const char *w, size_t n, uint32_t count)
{
    if (n == 0 || n > 1024) return 0;
    /* at most 2/3 full: the table stays small enough for the cache */
    if ((lex->size + 1) * 3 > (lex->mask + 1) * 2 && grow(lex)) return -1;
    uint64_t h = kh_hash(w, n);
    slot *s = find(lex, n, h);
    if (!s->len) {
        s->hash = h;
        s->len = (uint32_t)n;
        s->count = 0;
        lex->size++;
    }
    uint64_t c = (uint64_t)s->count + count;
    s->count = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
    lex->total += count;
    return 0;
}

kh_lexicon *kh_lexicon_load(const char *data, size_t len, unsigned folds)
{
    kh_lexicon *lex = calloc(1, sizeof *lex);
    if (!lex) return NULL;
    lex->folds = folds;
    lex->mask = 1023;
    lex->slots = malloc(1024 * sizeof *lex->slots);
    if (!lex->slots) { free(lex); return NULL; }
    memset(lex->slots, 0, 1024 * sizeof *lex->slots);
    kh_buf norm = {0};
    size_t i = 0;
    while (i < len) {
        size_t eol = i;
        while (eol < len && data[eol] != '\n') eol++;
        size_t end = eol, tab = i;
        while (tab < end && data[tab] != '\t') tab++;
        uint32_t count = 1;
        if (tab < end) {
            count = (uint32_t)strtoul(data + tab + 1, NULL, 10);
            end = tab;
        }
        if (end > i && data[i] != '#') {
            norm.len = 0;
            if (kh_normalize_append(&norm, data + i, end - i, folds) ||
                add(lex, norm.data, norm.len, count)) {
                kh_buf_free(&norm);
                kh_lexicon_free(lex);
                return NULL;
            }
        }
        i = eol + 1;
    }
    kh_buf_free(&norm);
    if (build_filter(lex)) {
        kh_lexicon_free(lex);
        return NULL;
    }
    return lex;
}

void kh_lexicon_free(kh_lexicon *lex)
{
    if (!lex) return;
    free(lex->slots);
    free(lex->filter);
    free(lex);
}

uint32_t kh_lexicon_count(const kh_lexicon *lex, const char *w, size_t n)
{
    if (!lex || n == 0) return 0;
    /* Keys arrive partly normalised; apply this table's folds.  Words longer
     * than the stack buffer are not in any table. */
    char tmp[256];
    kh_buf b = {tmp, 0, sizeof tmp, 1};
    if (kh_normalize_append(&b, w, n, lex->folds)) return 0;
    uint64_t h = kh_hash(tmp, b.len);
    if (!filter_has(lex, h)) return 0;
    const slot *s = find(lex, b.len, h);
    return s->len ? s->count : 0;
}

uint32_t kh_lexicon_count_normal(const kh_lexicon *lex, const char *w, size_t n)
{
    if (!lex || n == 0) return 0;
    uint64_t h = kh_hash(w, n);
    if (!filter_has(lex, h)) return 0;
    const slot *s = find(lex, n, h);
    return s->len ? s->count : 0;
}

uint64_t kh_lexicon_total(const kh_lexicon *lex) { return lex ? lex->total : 0; }
size_t kh_lexicon_size(const kh_lexicon *lex) { return lex ? lex->size : 0; }
