/* Per-analyzer cache of word analyses.  News text is Zipfian: a few
 * thousand word forms make most tokens, so segmentation and stemming run
 * once per form rather than once per token.  The cache is bounded (it is
 * emptied when full), so memory stays flat over any stream. */
#include <stdlib.h>
#include <string.h>

#include "kh.h"

#define CACHE_SLOTS (1u << 17)          /* power of two */
#define CACHE_MAX_ENTRIES (CACHE_SLOTS / 2)
#define CACHE_MAX_POOL ((size_t)8 << 20)

typedef struct entry {
    uint64_t hash;
    uint32_t key, key_len;  /* offsets into pool; key_len 0 marks an empty slot */
    uint32_t norm, norm_len;
    uint32_t seg, seg_len;
    uint32_t stem, stem_len;
} entry;

struct kh_word_cache {
    entry *slots;
    size_t entries;
    kh_buf pool;
    kh_buf norm, seg, stem, folded, full;
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
    kh_buf_free(&c->seg);
    kh_buf_free(&c->stem);
    kh_buf_free(&c->folded);
    kh_buf_free(&c->full);
    free(c);
}

static void clear(kh_word_cache *c)
{
    memset(c->slots, 0, CACHE_SLOTS * sizeof *c->slots);
    c->entries = 0;
    c->pool.len = 0;
}

static khabar_status copy_out(kh_arena *arena, const char *s, size_t n, const char **out)
{
    char *p = kh_arena_strndup(arena, s, n);
    if (!p) return KHABAR_ERROR_MEMORY;
    *out = p;
    return KHABAR_OK;
}

khabar_status kh_word_analysis(khabar_analyzer *an, kh_arena *arena, const char *w, size_t n,
                               const char **norm, const char **segments, const char **stem)
{
    kh_word_cache *c = an->words;
    uint64_t h = kh_hash(w, n);
    size_t i = (size_t)h & (CACHE_SLOTS - 1);
    entry *e;
    for (;; i = (i + 1) & (CACHE_SLOTS - 1)) {
        e = &c->slots[i];
        if (!e->key_len) break;
        if (e->hash == h && e->key_len == n && !memcmp(c->pool.data + e->key, w, n)) {
            if (copy_out(arena, c->pool.data + e->norm, e->norm_len, norm) ||
                copy_out(arena, c->pool.data + e->seg, e->seg_len, segments) ||
                copy_out(arena, c->pool.data + e->stem, e->stem_len, stem))
                return KHABAR_ERROR_MEMORY;
            return KHABAR_OK;
        }
    }
    /* Segments keep hamza (alef fold off); stems are fully folded so that
     * spelling variants share one. */
    c->norm.len = c->seg.len = c->stem.len = c->folded.len = c->full.len = 0;
    if (kh_normalize_append(&c->norm, w, n, KHABAR_FOLD_ALL & ~(unsigned)KHABAR_FOLD_ALEF) ||
        kh_normalize_append(&c->full, c->norm.data, c->norm.len, KHABAR_FOLD_ALL))
        return KHABAR_ERROR_MEMORY;
    kh_segmentation seg;
    kh_segment_word(an->model, c->norm.data, c->norm.len, &seg);
    if (kh_segmentation_render(&c->seg, c->norm.data, c->norm.len, &seg) ||
        kh_stem_segmented(an->stemmer, an->model, &c->stem, c->norm.data, c->norm.len, &seg) ||
        kh_normalize_append(&c->folded, c->stem.data, c->stem.len, KHABAR_FOLD_ALL))
        return KHABAR_ERROR_MEMORY;
    if (copy_out(arena, c->full.data, c->full.len, norm) ||
        copy_out(arena, c->seg.data, c->seg.len, segments) ||
        copy_out(arena, c->folded.data, c->folded.len, stem))
        return KHABAR_ERROR_MEMORY;
    if (n == 0 || n > 255) return KHABAR_OK; /* not worth keeping */
    if (c->entries >= CACHE_MAX_ENTRIES ||
        c->pool.len + n + c->full.len + c->seg.len + c->folded.len > CACHE_MAX_POOL) {
        clear(c);
        /* the probe position is stale after a clear */
        i = (size_t)h & (CACHE_SLOTS - 1);
        e = &c->slots[i];
    }
    size_t base = c->pool.len;
    if (kh_buf_append(&c->pool, w, n) || kh_buf_append(&c->pool, c->full.data, c->full.len) ||
        kh_buf_append(&c->pool, c->seg.data, c->seg.len) ||
        kh_buf_append(&c->pool, c->folded.data, c->folded.len))
        return KHABAR_ERROR_MEMORY;
    e->hash = h;
    e->key = (uint32_t)base;
    e->key_len = (uint32_t)n;
    e->norm = (uint32_t)(base + n);
    e->norm_len = (uint32_t)c->full.len;
    e->seg = (uint32_t)(base + n + c->full.len);
    e->seg_len = (uint32_t)c->seg.len;
    e->stem = (uint32_t)(base + n + c->full.len + c->seg.len);
    e->stem_len = (uint32_t)c->folded.len;
    c->entries++;
    return KHABAR_OK;
}
