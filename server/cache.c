/* The response cache of the archive's GET endpoints: answers kept by their
 * request (route, path and sorted parameters), least recently used first
 * out, bounded in bytes, shared by the worker threads under one mutex.
 *
 * Staleness is handled by generations: every change to the archive (this
 * server's writes, or another connection's commit noticed through
 * khabar_archive_data_version) empties the cache and bumps the generation;
 * an answer computed while the generation moved is not kept, since it may
 * come from the archive as it was before the change. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "cache.h"

struct srv_cache_entry {
    srv_cache_entry *newer, *older; /* the LRU list */
    srv_cache_entry *next;          /* the hash bucket's chain */
    unsigned long long hash;
    atomic_uint refs;               /* the cache's own (while listed) and each reader's */
    size_t key_len, body_len, cost;
    char data[];                    /* the key, then the body */
};

struct srv_cache {
    pthread_mutex_t lock;
    size_t max_bytes, bytes, entries;
    srv_cache_entry **buckets;
    size_t bucket_count; /* a power of two */
    srv_cache_entry *newest, *oldest;
    atomic_ulong generation;
    atomic_ulong invalidations, evictions;
};

/* An entry larger than this share of the cache is not kept: one huge
 * answer must not push out everything else. */
#define SRV_CACHE_LARGEST_SHARE 8

static unsigned long long hash_of(const char *key, size_t len)
{
    return XXH3_64bits(key, len);
}

srv_cache *srv_cache_new(size_t max_bytes)
{
    if (!max_bytes) return NULL;
    srv_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->bucket_count = 256;
    c->buckets = calloc(c->bucket_count, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void srv_cache_release(srv_cache_entry *e)
{
    if (e && atomic_fetch_sub(&e->refs, 1) == 1) free(e);
}

static void unlist(srv_cache *c, srv_cache_entry *e)
{
    if (e->newer) e->newer->older = e->older;
    else c->newest = e->older;
    if (e->older) e->older->newer = e->newer;
    else c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void list_first(srv_cache *c, srv_cache_entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest) c->newest->newer = e;
    c->newest = e;
    if (!c->oldest) c->oldest = e;
}

/* Takes e out of the cache (list, bucket, counts) and drops the cache's
 * reference; readers still holding it keep it alive. */
static void drop(srv_cache *c, srv_cache_entry *e)
{
    srv_cache_entry **p = &c->buckets[e->hash & (c->bucket_count - 1)];
    while (*p != e) p = &(*p)->next;
    *p = e->next;
    unlist(c, e);
    c->bytes -= e->cost;
    c->entries--;
    srv_cache_release(e);
}

static void drop_all(srv_cache *c)
{
    while (c->oldest) drop(c, c->oldest);
}

void srv_cache_free(srv_cache *c)
{
    if (!c) return;
    drop_all(c);
    free(c->buckets);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

unsigned long srv_cache_generation(srv_cache *c)
{
    return c ? atomic_load(&c->generation) : 0;
}

void srv_cache_invalidate(srv_cache *c)
{
    if (!c) return;
    pthread_mutex_lock(&c->lock);
    atomic_fetch_add(&c->generation, 1);
    atomic_fetch_add(&c->invalidations, 1);
    drop_all(c);
    pthread_mutex_unlock(&c->lock);
}

static srv_cache_entry *find(srv_cache *c, const char *key, size_t len, unsigned long long h)
{
    for (srv_cache_entry *e = c->buckets[h & (c->bucket_count - 1)]; e; e = e->next)
        if (e->hash == h && e->key_len == len && !memcmp(e->data, key, len)) return e;
    return NULL;
}

srv_cache_entry *srv_cache_get(srv_cache *c, const char *key, size_t len)
{
    if (!c) return NULL;
    unsigned long long h = hash_of(key, len);
    pthread_mutex_lock(&c->lock);
    srv_cache_entry *e = find(c, key, len, h);
    if (e) {
        unlist(c, e);
        list_first(c, e);
        atomic_fetch_add(&e->refs, 1);
    }
    pthread_mutex_unlock(&c->lock);
    return e;
}

/* Doubles the buckets when the chains grow long; keeps going with the old
 * ones when memory runs out. */
static void grow(srv_cache *c)
{
    size_t n = c->bucket_count * 2;
    srv_cache_entry **b = calloc(n, sizeof *b);
    if (!b) return;
    for (size_t i = 0; i < c->bucket_count; i++)
        for (srv_cache_entry *e = c->buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    free(c->buckets);
    c->buckets = b;
    c->bucket_count = n;
}

srv_cache_entry *srv_cache_put(srv_cache *c, unsigned long generation, const char *key, size_t key_len,
                               const char *body, size_t body_len)
{
    if (!c) return NULL;
    size_t cost = sizeof(srv_cache_entry) + key_len + body_len;
    if (cost > c->max_bytes / SRV_CACHE_LARGEST_SHARE) return NULL;
    srv_cache_entry *e = malloc(cost);
    if (!e) return NULL;
    memset(e, 0, sizeof *e);
    e->hash = hash_of(key, key_len);
    e->key_len = key_len;
    e->body_len = body_len;
    e->cost = cost;
    memcpy(e->data, key, key_len);
    memcpy(e->data + key_len, body, body_len);
    atomic_init(&e->refs, 2); /* the cache's and the caller's */
    pthread_mutex_lock(&c->lock);
    if (atomic_load(&c->generation) != generation) {
        /* the archive changed while this answer was made */
        pthread_mutex_unlock(&c->lock);
        atomic_store(&e->refs, 1);
        return e;
    }
    srv_cache_entry *old = find(c, key, key_len, e->hash);
    if (old) drop(c, old); /* made twice at once: the newer wins */
    while (c->bytes + cost > c->max_bytes && c->oldest) {
        drop(c, c->oldest);
        atomic_fetch_add(&c->evictions, 1);
    }
    if (c->entries >= c->bucket_count) grow(c);
    srv_cache_entry **b = &c->buckets[e->hash & (c->bucket_count - 1)];
    e->next = *b;
    *b = e;
    list_first(c, e);
    c->bytes += cost;
    c->entries++;
    pthread_mutex_unlock(&c->lock);
    return e;
}

const char *srv_cache_body(const srv_cache_entry *e, size_t *len)
{
    *len = e->body_len;
    return e->data + e->key_len;
}

void srv_cache_stats(srv_cache *c, srv_cache_usage *out)
{
    memset(out, 0, sizeof *out);
    if (!c) return;
    pthread_mutex_lock(&c->lock);
    out->max_bytes = c->max_bytes;
    out->bytes = c->bytes;
    out->entries = c->entries;
    pthread_mutex_unlock(&c->lock);
    out->invalidations = atomic_load(&c->invalidations);
    out->evictions = atomic_load(&c->evictions);
}
