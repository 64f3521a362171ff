/* What the single writer keeps to spare SQLite work per article: a map
 * from byte strings to sorted sets of ids, in memory (its copy of an index
 * of the archive that it would otherwise search for every article), and
 * statements that insert several rows at once. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "archive_internal.h"

typedef struct idmap_entry {
    uint64_t hash;
    size_t key_at, key_len;   /* in the pool */
    sqlite3_int64 *ids;       /* ascending; the first inline when n == 1 */
    sqlite3_int64 one;
    uint32_t n, cap;
} idmap_entry;

struct kh_idmap {
    uint32_t *slots;          /* entry index + 1, 0 for empty */
    size_t n_slots;           /* a power of two */
    idmap_entry *entries;
    size_t n_entries, cap_entries;
    char *pool;
    size_t pool_len, pool_cap;
};

static uint64_t hash_of(const char *s, size_t n)
{
    return XXH3_64bits(s, n);
}

kh_idmap *kh_idmap_new(void)
{
    kh_idmap *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->n_slots = 1024;
    m->slots = calloc(m->n_slots, sizeof *m->slots);
    if (!m->slots) { free(m); return NULL; }
    return m;
}

void kh_idmap_free(kh_idmap *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n_entries; i++) free(m->entries[i].ids);
    free(m->entries);
    free(m->slots);
    free(m->pool);
    free(m);
}

static const sqlite3_int64 *ids_of(const idmap_entry *e) { return e->cap ? e->ids : &e->one; }

/* The slot of key (holding it, or the empty one where it would go). */
static size_t slot_of(const kh_idmap *m, const char *key, size_t n, uint64_t h)
{
    size_t mask = m->n_slots - 1, i = (size_t)h & mask;
    for (;;) {
        uint32_t s = m->slots[i];
        if (!s) return i;
        const idmap_entry *e = &m->entries[s - 1];
        if (e->hash == h && e->key_len == n && !memcmp(m->pool + e->key_at, key, n)) return i;
        i = (i + 1) & mask;
    }
}

static int grow_slots(kh_idmap *m)
{
    size_t n = m->n_slots * 2;
    uint32_t *s = calloc(n, sizeof *s);
    if (!s) return -1;
    for (size_t k = 0; k < m->n_entries; k++) {
        size_t i = (size_t)m->entries[k].hash & (n - 1);
        while (s[i]) i = (i + 1) & (n - 1);
        s[i] = (uint32_t)(k + 1);
    }
    free(m->slots);
    m->slots = s;
    m->n_slots = n;
    return 0;
}

/* The entry of key, made (with no ids) when `make`; SIZE_MAX when absent
 * or on no memory. */
static size_t entry_of(kh_idmap *m, const char *key, size_t n, int make)
{
    uint64_t h = hash_of(key, n);
    size_t i = slot_of(m, key, n, h);
    if (m->slots[i]) return m->slots[i] - 1;
    if (!make || m->n_entries >= UINT32_MAX - 1) return SIZE_MAX;
    if (2 * (m->n_entries + 1) > m->n_slots) {
        if (grow_slots(m)) return SIZE_MAX;
        i = slot_of(m, key, n, h);
    }
    idmap_entry *b = kh_room(m->entries, m->n_entries, &m->cap_entries, sizeof *b, 256);
    if (!b) return SIZE_MAX;
    m->entries = b;
    if (m->pool_len + n > m->pool_cap) {
        size_t c = 2 * (m->pool_len + n) + 4096;
        char *b = realloc(m->pool, c);
        if (!b) return SIZE_MAX;
        m->pool = b;
        m->pool_cap = c;
    }
    if (n) memcpy(m->pool + m->pool_len, key, n);
    m->entries[m->n_entries] = (idmap_entry){h, m->pool_len, n, NULL, 0, 0, 0};
    m->pool_len += n;
    m->slots[i] = (uint32_t)(m->n_entries + 1);
    return m->n_entries++;
}

const sqlite3_int64 *kh_idmap_get(const kh_idmap *m, const char *key, size_t n, size_t *count)
{
    size_t i = slot_of(m, key, n, hash_of(key, n));
    if (!m->slots[i]) {
        *count = 0;
        return NULL;
    }
    const idmap_entry *e = &m->entries[m->slots[i] - 1];
    *count = e->n;
    return ids_of(e);
}

int kh_idmap_add(kh_idmap *m, const char *key, size_t n, sqlite3_int64 id, size_t *entry)
{
    size_t k = entry_of(m, key, n, 1);
    if (k == SIZE_MAX) return -1;
    if (entry) *entry = k;
    idmap_entry *e = &m->entries[k];
    const sqlite3_int64 *v = ids_of(e);
    size_t at = e->n;
    while (at > 0 && v[at - 1] > id) at--;
    if (at > 0 && v[at - 1] == id) return 1;
    if (e->n == 0 && !e->cap) {
        e->one = id;
        e->n = 1;
        return 0;
    }
    if (!e->cap || e->n == e->cap) {
        uint32_t c = e->cap ? 2 * e->cap : 4;
        sqlite3_int64 *b = realloc(e->cap ? e->ids : NULL, c * sizeof *b);
        if (!b) return -1;
        if (!e->cap) b[0] = e->one;
        e->ids = b;
        e->cap = c;
    }
    memmove(e->ids + at + 1, e->ids + at, (e->n - at) * sizeof *e->ids);
    e->ids[at] = id;
    e->n++;
    return 0;
}

void kh_idmap_remove(kh_idmap *m, const char *key, size_t n, sqlite3_int64 id)
{
    size_t k = entry_of(m, key, n, 0);
    if (k == SIZE_MAX) return;
    idmap_entry *e = &m->entries[k];
    sqlite3_int64 *v = e->cap ? e->ids : &e->one;
    for (size_t i = 0; i < e->n; i++)
        if (v[i] == id) {
            memmove(v + i, v + i + 1, (e->n - i - 1) * sizeof *v);
            e->n--;
            return;
        }
}

size_t kh_idmap_size(const kh_idmap *m) { return m->n_entries; }

const sqlite3_int64 *kh_idmap_ids(const kh_idmap *m, size_t entry, size_t *count)
{
    *count = m->entries[entry].n;
    return ids_of(&m->entries[entry]);
}

const char *kh_idmap_key(const kh_idmap *m, size_t entry, size_t *len)
{
    *len = m->entries[entry].key_len;
    return m->pool + m->entries[entry].key_at;
}

sqlite3_stmt *kh_rows_statement(sqlite3 *db, kh_rows *r, unsigned k)
{
    if (k >= KH_ROWS_SIZES) return NULL;
    if (!r->st[k]) {
        size_t rows = (size_t)1 << k,
               cap = strlen(r->head) + rows * (size_t)r->cols * 12 + (r->tail ? strlen(r->tail) : 0) + 16;
        char *sql = malloc(cap);
        if (!sql) return NULL;
        size_t at = (size_t)snprintf(sql, cap, "%s", r->head);
        for (size_t i = 0; i < rows; i++)
            for (int c = 0; c < r->cols; c++)
                at += (size_t)snprintf(sql + at, cap - at, "%s?%zu%s", c ? "," : i ? ",(" : "(",
                                       i * (size_t)r->cols + (size_t)c + 1, c + 1 == r->cols ? ")" : "");
        if (r->tail) snprintf(sql + at, cap - at, " %s", r->tail);
        int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &r->st[k], NULL);
        free(sql);
        if (rc != SQLITE_OK) return NULL;
    }
    sqlite3_reset(r->st[k]);
    return r->st[k];
}

unsigned kh_rows_fit(size_t n)
{
    unsigned k = KH_ROWS_SIZES - 1;
    while (k > 0 && ((size_t)1 << k) > n) k--;
    return k;
}

void kh_rows_reset(kh_rows *r)
{
    for (int k = 0; k < KH_ROWS_SIZES; k++)
        if (r->st[k]) sqlite3_reset(r->st[k]);
}

void kh_rows_finalize(kh_rows *r)
{
    for (int k = 0; k < KH_ROWS_SIZES; k++) {
        sqlite3_finalize(r->st[k]);
        r->st[k] = NULL;
    }
}
