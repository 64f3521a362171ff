/* The response cache of the archive's GET endpoints (cache.c).  Every
 * function takes NULL for a cache (the cache turned off) and then keeps
 * nothing.  Thread-safe. */
#ifndef KHABAR_SERVER_CACHE_H
#define KHABAR_SERVER_CACHE_H

#include <pthread.h>
#include <stddef.h>

typedef struct srv_cache srv_cache;
/* One kept answer, reference-counted: valid until released, even once the
 * cache has let it go. */
typedef struct srv_cache_entry srv_cache_entry;

/* A cache of at most max_bytes (keys, bodies and bookkeeping); NULL when 0
 * or out of memory. */
srv_cache *srv_cache_new(size_t max_bytes);
void srv_cache_free(srv_cache *c);

/* The generation: read it before making an answer, give it to put. */
unsigned long srv_cache_generation(srv_cache *c);
/* The archive changed: everything kept goes, the generation moves on. */
void srv_cache_invalidate(srv_cache *c);

/* The answer kept for this key, or NULL; release it when done. */
srv_cache_entry *srv_cache_get(srv_cache *c, const char *key, size_t len);
/* Keeps a copy of body under key unless the generation moved since it was
 * read (the answer may then be stale, and is only given back).  Returns
 * the entry holding the copy, for the caller to answer from and release,
 * or NULL when nothing was kept (too large, no memory, no cache). */
srv_cache_entry *srv_cache_put(srv_cache *c, unsigned long generation, const char *key, size_t key_len,
                               const char *body, size_t body_len);
const char *srv_cache_body(const srv_cache_entry *e, size_t *len);
void srv_cache_release(srv_cache_entry *e);

typedef struct srv_cache_usage {
    size_t max_bytes, bytes, entries;
    unsigned long invalidations, evictions;
} srv_cache_usage;
void srv_cache_stats(srv_cache *c, srv_cache_usage *out);

#endif
