/* Facets over all hits: the hits' entities and tags counted in C.
 *
 * The hits' rows of article_entities and article_tags are read by SQLite
 * (a scan from each hit's key) and handed to khabar_tally(), an aggregate
 * function whose state is this module's table: counting there costs a hash
 * probe a row, where SQL's GROUP BY would sort every row in a temporary
 * b-tree and join each to its entity.  Only the few entities that can be
 * in a facet's top ten are then read by name. */
#include <stdlib.h>
#include <string.h>

#include "archive_internal.h"

#define FACET_TOP 10

typedef struct tally_entry {
    sqlite3_int64 key;  /* an entity id, or the index of `text` in the arena */
    const char *text;   /* a tag's norm, or NULL */
    size_t len;         /* its length */
    const char *shown;  /* the smallest spelling seen of that norm */
    size_t count;
    int used;
} tally_entry;

struct kh_facets {
    sqlite3 *db;
    tally_entry *slots;
    size_t cap, n;
    int texts;          /* keyed by text */
    int failed;
    char **arena;       /* strings kept for the tally */
    size_t arena_n, arena_cap;
    unsigned char *types; /* entity id -> its type + 1 (0: not loaded) */
    size_t types_cap;
    sqlite3_int64 types_max; /* the largest id loaded */
    sqlite3_stmt *name_of;
    sqlite3_stmt *types_after;
};

static const char *const type_names[4] = {"PER", "ORG", "LOC", "MISC"};

static size_t hash_int(sqlite3_int64 k)
{
    unsigned long long x = (unsigned long long)k * 0x9E3779B97F4A7C15ULL;
    return (size_t)(x ^ (x >> 29));
}

static size_t hash_text(const char *s, size_t n)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)h;
}

static char *keep(kh_facets *f, const char *s, size_t n)
{
    if (f->arena_n == f->arena_cap) {
        size_t cap = f->arena_cap ? 2 * f->arena_cap : 256;
        char **b = realloc(f->arena, cap * sizeof *b);
        if (!b) return NULL;
        f->arena = b;
        f->arena_cap = cap;
    }
    char *c = malloc(n + 1);
    if (!c) return NULL;
    memcpy(c, s, n);
    c[n] = '\0';
    return f->arena[f->arena_n++] = c;
}

static void tally_clear(kh_facets *f, int texts)
{
    for (size_t i = 0; i < f->arena_n; i++) free(f->arena[i]);
    f->arena_n = 0;
    if (f->cap > 65536) { /* a large tally's table is not kept for the next */
        free(f->slots);
        f->slots = NULL;
        f->cap = 0;
    }
    if (f->slots) memset(f->slots, 0, f->cap * sizeof *f->slots);
    f->n = 0;
    f->texts = texts;
    f->failed = 0;
}

static int grow(kh_facets *f)
{
    size_t cap = f->cap ? 2 * f->cap : 1024;
    tally_entry *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < f->cap; i++) {
        if (!f->slots[i].used) continue;
        const tally_entry *e = &f->slots[i];
        size_t h = (e->text ? hash_text(e->text, e->len) : hash_int(e->key)) & (cap - 1);
        while (slots[h].used) h = (h + 1) & (cap - 1);
        slots[h] = *e;
    }
    free(f->slots);
    f->slots = slots;
    f->cap = cap;
    return 0;
}

/* khabar_tally(entity) or khabar_tally(norm, spelling): counts into the
 * module's table; returns NULL. */
static void tally_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    kh_facets *f = sqlite3_user_data(ctx);
    if (f->failed || argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    if (2 * (f->n + 1) > f->cap && grow(f)) {
        f->failed = 1;
        return;
    }
    size_t h, mask = f->cap - 1;
    if (!f->texts) {
        sqlite3_int64 k = sqlite3_value_int64(argv[0]);
        for (h = hash_int(k) & mask; f->slots[h].used && f->slots[h].key != k; h = (h + 1) & mask) {}
        if (!f->slots[h].used) {
            f->slots[h] = (tally_entry){k, NULL, 0, NULL, 0, 1};
            f->n++;
        }
        f->slots[h].count++;
        return;
    }
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    if (!s) return;
    for (h = hash_text(s, n) & mask;
         f->slots[h].used && (f->slots[h].len != n || memcmp(f->slots[h].text, s, n));
         h = (h + 1) & mask) {}
    tally_entry *e = &f->slots[h];
    if (!e->used) {
        char *text = keep(f, s, n);
        if (!text) { f->failed = 1; return; }
        *e = (tally_entry){0, text, n, NULL, 0, 1};
        f->n++;
    }
    e->count++;
    const char *shown = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
    if (shown && (!e->shown || strcmp(shown, e->shown) < 0)) {
        char *c = keep(f, shown, strlen(shown));
        if (!c) { f->failed = 1; return; }
        e->shown = c;
    }
}

static void tally_final(sqlite3_context *ctx) { sqlite3_result_null(ctx); }

kh_facets *kh_facets_new(sqlite3 *db)
{
    kh_facets *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->db = db;
    if (sqlite3_create_function(db, "khabar_tally", -1, SQLITE_UTF8, f, NULL, tally_step, tally_final) != SQLITE_OK) {
        free(f);
        return NULL;
    }
    return f;
}

void kh_facets_free(kh_facets *f)
{
    if (!f) return;
    tally_clear(f, 0);
    free(f->slots);
    free(f->arena);
    free(f->types);
    sqlite3_finalize(f->name_of);
    sqlite3_finalize(f->types_after);
    free(f);
}

static int run_tally(kh_facets *f, const char *sql, int texts)
{
    tally_clear(f, texts);
    int rc = sqlite3_exec(f->db, sql, NULL, NULL, NULL);
    return f->failed ? -2 : rc != SQLITE_OK ? -1 : 0;
}

/* Loads the types of entities with ids up to `max` (entities are only
 * ever added: an id keeps its type). */
static int load_types(kh_facets *f, sqlite3_int64 max)
{
    if (max <= f->types_max) return 0;
    if (!f->types_after &&
        sqlite3_prepare_v3(f->db, "SELECT id, type FROM entities WHERE id > ?1 ORDER BY id", -1,
                           SQLITE_PREPARE_PERSISTENT, &f->types_after, NULL) != SQLITE_OK)
        return -1;
    sqlite3_reset(f->types_after);
    sqlite3_bind_int64(f->types_after, 1, f->types_max);
    int rc;
    while ((rc = sqlite3_step(f->types_after)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(f->types_after, 0);
        const char *type = (const char *)sqlite3_column_text(f->types_after, 1);
        if (id < 0) continue;
        if ((size_t)id >= f->types_cap) {
            size_t cap = f->types_cap ? f->types_cap : 4096;
            while (cap <= (size_t)id) cap *= 2;
            unsigned char *b = realloc(f->types, cap);
            if (!b) { sqlite3_reset(f->types_after); return -1; }
            memset(b + f->types_cap, 0, cap - f->types_cap);
            f->types = b;
            f->types_cap = cap;
        }
        unsigned char t = 0;
        for (int k = 0; k < 4 && type; k++)
            if (!strcmp(type, type_names[k])) t = (unsigned char)(k + 1);
        f->types[id] = t;
        if (id > f->types_max) f->types_max = id;
    }
    sqlite3_reset(f->types_after);
    return rc == SQLITE_DONE ? 0 : -1;
}

typedef struct candidate {
    const tally_entry *e;
    char *name;     /* an entity's name (owned), or the tag's norm */
} candidate;

static int by_count_then_name(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->e->count != y->e->count) return x->e->count > y->e->count ? -1 : 1;
    return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

/* The smallest count among the FACET_TOP largest entries of an entity
 * type (or, with type -1, of the tags); 0 when there are fewer. */
static size_t tenth_count(const kh_facets *f, int type)
{
    size_t top[FACET_TOP] = {0};
    for (size_t i = 0; i < f->cap; i++) {
        const tally_entry *e = &f->slots[i];
        if (!e->used) continue;
        if (type >= 0 && ((size_t)e->key >= f->types_cap || f->types[e->key] != type + 1)) continue;
        if (e->count <= top[FACET_TOP - 1]) continue;
        size_t k = FACET_TOP - 1;
        while (k > 0 && top[k - 1] < e->count) {
            top[k] = top[k - 1];
            k--;
        }
        top[k] = e->count;
    }
    return top[FACET_TOP - 1];
}

static char *entity_name(kh_facets *f, sqlite3_int64 id)
{
    if (!f->name_of &&
        sqlite3_prepare_v3(f->db, "SELECT name FROM entities WHERE id = ?1", -1, SQLITE_PREPARE_PERSISTENT,
                           &f->name_of, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(f->name_of);
    sqlite3_bind_int64(f->name_of, 1, id);
    char *name = NULL;
    if (sqlite3_step(f->name_of) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(f->name_of, 0);
        if (s) name = strdup(s);
    } else {
        name = strdup("");
    }
    sqlite3_reset(f->name_of);
    return name;
}

/* The top FACET_TOP of the tally (of one entity type, or tags when type
 * is -1), most counted first, ties by name; each given to `emit`. */
static int top_of(kh_facets *f, int type, kh_facet_emit emit, void *ctx)
{
    size_t floor = tenth_count(f, type), n = 0, cap = 16;
    candidate *c = malloc(cap * sizeof *c);
    if (!c) return -2;
    int failed = 0;
    for (size_t i = 0; i < f->cap && !failed; i++) {
        const tally_entry *e = &f->slots[i];
        if (!e->used || e->count < floor || e->count == 0) continue;
        if (type >= 0 && ((size_t)e->key >= f->types_cap || f->types[e->key] != type + 1)) continue;
        if (n == cap) {
            candidate *b = realloc(c, (cap *= 2) * sizeof *c);
            if (!b) { failed = 1; break; }
            c = b;
        }
        c[n].e = e;
        c[n].name = type >= 0 ? entity_name(f, e->key) : NULL;
        if (type >= 0 && !c[n].name) failed = 1;
        n++;
    }
    if (!failed) {
        for (size_t i = 0; i < n && type < 0; i++) c[i].name = (char *)c[i].e->text;
        qsort(c, n, sizeof *c, by_count_then_name);
        for (size_t i = 0; i < n && i < FACET_TOP && !failed; i++)
            failed = emit(ctx, type >= 0 ? c[i].name : (c[i].e->shown ? c[i].e->shown : c[i].e->text),
                          type >= 0 ? type_names[type] : NULL, c[i].e->count) != 0;
    }
    for (size_t i = 0; i < n && type >= 0; i++) free(c[i].name);
    free(c);
    return failed ? -2 : 0;
}

int kh_facets_count(kh_facets *f, kh_facet_emit entity, kh_facet_emit tag, void *ctx)
{
    int rc = run_tally(f, "SELECT khabar_tally(ae.entity) FROM temp.khabar_hits h"
                          " CROSS JOIN article_entities ae ON ae.article = h.key", 0);
    if (rc) return rc;
    sqlite3_int64 max = 0;
    for (size_t i = 0; i < f->cap; i++)
        if (f->slots[i].used && f->slots[i].key > max) max = f->slots[i].key;
    if (load_types(f, max)) return -1;
    for (int t = 0; t < 4; t++)
        if ((rc = top_of(f, t, entity, ctx))) return rc;
    rc = run_tally(f, "SELECT khabar_tally(t.norm, t.tag) FROM temp.khabar_hits h"
                      " CROSS JOIN article_tags t ON t.article = h.key", 1);
    return rc ? rc : top_of(f, -1, tag, ctx);
}
