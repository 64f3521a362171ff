/* Per-analyzer cache of word analyses.  News text is Zipfian: a few
 * thousand word forms make most tokens, so segmentation and stemming run
 * once per form rather than once per token.  The cache is bounded, so
 * memory stays flat over any stream: when it fills, the forms met again
 * since they were added stay and the others go (a form seen once in a
 * corpus is most forms, and not worth keeping).
 *
 * Layout, for few cache misses on the hot path: a table of 8-byte slots
 * (a hash tag and where the entry is) over one pool of entries, each a
 * header followed by the word as written and its norm, segments and stem,
 * NUL-terminated and adjacent so one copy hands all three out. */
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "kh.h"

#define CACHE_SLOTS (1u << 18)            /* power of two */
#define CACHE_MAX_ENTRIES (CACHE_SLOTS / 2)
#define CACHE_MAX_POOL ((size_t)12 << 20)
#define MAX_KEY 255                       /* longer words are analysed but not kept */

typedef struct slot {
    uint32_t tag; /* high half of the hash */
    uint32_t at;  /* pool offset of the entry + 1; 0 marks an empty slot */
} slot;

typedef struct header {
    uint64_t fact_classes;
    uint32_t vocab_count;
    uint16_t norm_len, seg_len, stem_len;
    uint8_t key_len;
    uint8_t hits;   /* since it was added or last kept, saturating */
    /* then key[key_len], norm[norm_len] '\0', seg[seg_len] '\0', stem[stem_len] '\0' */
} header;

struct kh_word_cache {
    slot *slots;
    size_t entries;
    kh_buf pool;
    kh_buf norm, seg, stem, folded, full;
    kh_buf entry; /* a new entry, built before it is kept */
};

kh_word_cache *kh_word_cache_new(void)
{
    kh_word_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->slots = calloc(CACHE_SLOTS, sizeof *c->slots);
    if (!c->slots) { free(c); return NULL; }
    return c;
}

void kh_word_cache_free(kh_word_cache *c)
{
    if (!c) return;
    free(c->slots);
    kh_buf_free(&c->pool);
    kh_buf_free(&c->norm);
    kh_buf_free(&c->entry);
    kh_buf_free(&c->seg);
    kh_buf_free(&c->stem);
    kh_buf_free(&c->folded);
    kh_buf_free(&c->full);
    free(c);
}

static size_t entry_size(const header *h)
{
    size_t n = sizeof *h + h->key_len + h->norm_len + h->seg_len + h->stem_len + 3u;
    return (n + 7) & ~(size_t)7;
}

static const char *entry_key(const header *h) { return (const char *)(h + 1); }

static void place(kh_word_cache *c, uint64_t hash, uint32_t at)
{
    size_t i = (size_t)hash & (CACHE_SLOTS - 1);
    while (c->slots[i].at) i = (i + 1) & (CACHE_SLOTS - 1);
    c->slots[i].tag = (uint32_t)(hash >> 32);
    c->slots[i].at = at + 1;
}

/* Keeps the entries met at least `min_hits` times since they were added or
 * last kept, doubling `min_hits` until they fit in half the cache, and
 * rebuilds the table.  Entries only move towards the pool's start, so the
 * pool is compacted in place. */
static void evict(kh_word_cache *c)
{
    for (unsigned min_hits = 1; min_hits <= 255; min_hits *= 2) {
        size_t kept = 0, dst = 0;
        for (size_t off = 0; off < c->pool.len;) {
            header *h = (header *)(c->pool.data + off);
            size_t size = entry_size(h);
            if (h->hits >= min_hits) {
                memmove(c->pool.data + dst, h, size);
                dst += size;
                kept++;
            }
            off += size;
        }
        c->pool.len = dst;
        if (kept <= CACHE_MAX_ENTRIES / 2 && dst <= CACHE_MAX_POOL / 2) break;
    }
    if (c->pool.len > CACHE_MAX_POOL / 2) c->pool.len = 0; /* nothing stands out: start over */
    memset(c->slots, 0, CACHE_SLOTS * sizeof *c->slots);
    c->entries = 0;
    for (size_t off = 0; off < c->pool.len;) {
        header *h = (header *)(c->pool.data + off);
        h->hits = 0;
        place(c, kh_hash(entry_key(h), h->key_len), (uint32_t)off);
        c->entries++;
        off += entry_size(h);
    }
}

/* The three strings, NUL-terminated and adjacent as in the cache, in one
 * arena block. */
static khabar_status copy_out(kh_arena *arena, const char *strings, size_t norm_len,
                              size_t seg_len, size_t stem_len, kh_word *out)
{
    size_t n = norm_len + seg_len + stem_len + 3;
    char *p = kh_arena_alloc(arena, n);
    if (!p) return KHABAR_ERROR_MEMORY;
    memcpy(p, strings, n);
    out->norm = p;
    out->segments = p + norm_len + 1;
    out->stem = p + norm_len + 1 + seg_len + 1;
    return KHABAR_OK;
}

void kh_word_prefetch_slot(const kh_word_cache *c, uint64_t hash)
{
#if defined(__GNUC__)
    __builtin_prefetch(&c->slots[(size_t)hash & (CACHE_SLOTS - 1)]);
#else
    (void)c;
    (void)hash;
#endif
}

void kh_word_prefetch_entry(const kh_word_cache *c, uint64_t hash)
{
#if defined(__GNUC__)
    const slot *sl = &c->slots[(size_t)hash & (CACHE_SLOTS - 1)];
    if (sl->at && sl->tag == (uint32_t)(hash >> 32)) __builtin_prefetch(c->pool.data + sl->at - 1);
#else
    (void)c;
    (void)hash;
#endif
}

khabar_status kh_word_analysis(khabar_analyzer *an, kh_arena *arena, const char *w, size_t n,
                               uint64_t h, kh_word *out)
{
    kh_word_cache *c = an->words;
    const khabar_model *m = an->model;
    uint32_t tag = (uint32_t)(h >> 32);
    if (n <= MAX_KEY) {
        for (size_t i = (size_t)h & (CACHE_SLOTS - 1); c->slots[i].at; i = (i + 1) & (CACHE_SLOTS - 1)) {
            if (c->slots[i].tag != tag) continue;
            header *e = (header *)(c->pool.data + c->slots[i].at - 1);
            const char *key = entry_key(e);
            if (e->key_len != n || memcmp(key, w, n)) continue;
            if (e->hits < 255) e->hits++;
            out->fact_classes = e->fact_classes;
            out->vocab_count = e->vocab_count;
            return copy_out(arena, key + n, e->norm_len, e->seg_len, e->stem_len, out);
        }
    }
    /* Segments keep hamza (alef fold off); stems are fully folded so that
     * spelling variants share one. */
    c->norm.len = c->seg.len = c->stem.len = c->folded.len = c->full.len = 0;
    if (kh_normalize_append(&c->norm, w, n, KHABAR_FOLD_ALL & ~(unsigned)KHABAR_FOLD_ALEF) ||
        kh_normalize_append(&c->full, c->norm.data, c->norm.len, KHABAR_FOLD_ALL))
        return KHABAR_ERROR_MEMORY;
    kh_segmentation seg;
    kh_segment_word(m, c->norm.data, c->norm.len, &seg);
    if (kh_segmentation_render(&c->seg, c->norm.data, c->norm.len, &seg) ||
        kh_stem_segmented(an->stemmer, m, &c->stem, c->norm.data, c->norm.len, &seg) ||
        kh_normalize_append(&c->folded, c->stem.data, c->stem.len, KHABAR_FOLD_ALL))
        return KHABAR_ERROR_MEMORY;
    header hd = {0};
    hd.fact_classes = out->fact_classes = kh_facts_classes(m->facts, c->full.data, c->full.len);
    hd.vocab_count = out->vocab_count =
        m->vocab ? kh_lexicon_count_normal(m->vocab, c->full.data, c->full.len) : 0;
    kh_buf *e = &c->entry;
    e->len = 0;
    if (kh_buf_append(e, &hd, sizeof hd) || kh_buf_append(e, w, n) ||
        kh_buf_append(e, c->full.data, c->full.len) || kh_buf_putc(e, '\0') ||
        kh_buf_append(e, c->seg.data, c->seg.len) || kh_buf_putc(e, '\0') ||
        kh_buf_append(e, c->folded.data, c->folded.len) || kh_buf_putc(e, '\0') ||
        kh_buf_append(e, "\0\0\0\0\0\0\0", 7))
        return KHABAR_ERROR_MEMORY;
    if (copy_out(arena, e->data + sizeof hd + n, c->full.len, c->seg.len, c->folded.len, out))
        return KHABAR_ERROR_MEMORY;
    if (n == 0 || n > MAX_KEY || c->full.len > UINT16_MAX || c->seg.len > UINT16_MAX ||
        c->folded.len > UINT16_MAX)
        return KHABAR_OK; /* not worth keeping, or too long for the header */
    header *eh = (header *)e->data;
    eh->key_len = (uint8_t)n;
    eh->norm_len = (uint16_t)c->full.len;
    eh->seg_len = (uint16_t)c->seg.len;
    eh->stem_len = (uint16_t)c->folded.len;
    size_t size = entry_size(eh);
    if (c->entries >= CACHE_MAX_ENTRIES || c->pool.len + size > CACHE_MAX_POOL) evict(c);
    size_t at = c->pool.len;
    if (kh_buf_append(&c->pool, e->data, size)) return KHABAR_ERROR_MEMORY;
    place(c, h, (uint32_t)at);
    c->entries++;
    return KHABAR_OK;
}
