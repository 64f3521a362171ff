/* Facets over all hits: the hits' entities and tags counted in C.
 *
 * The hits' rows of article_entities and article_tags are read by SQLite
 * (a scan from each hit's key) and handed to khabar_tally(), an aggregate
 * function whose state is this module: counting there costs an array
 * increment a row, where SQL's GROUP BY would sort every row in a
 * temporary b-tree and join each to its entity.
 *
 * Entities are counted in an array indexed by their id (ids are small and
 * dense: INTEGER PRIMARY KEY), so a row touches four bytes instead of a
 * hash slot in a table as large as the archive's entities.  Tags have no
 * id in the schema, so each (norm, spelling) pair read is interned once
 * for the life of the connection and counted by its index; the table of
 * interned pairs is kept across searches, as the entity types are.  Only
 * the ids touched by a search are visited to rank them, and only the few
 * entities that can be in a facet's top ten are read by name. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <xxhash.h>

#include "archive_internal.h"

#define FACET_TOP 10
/* Entity ids above this are not counted in an array (an archive would
 * need this many entities); the search fails with an out-of-memory error. */
#define ENTITY_ID_MAX ((sqlite3_int64)1 << 28)
/* Interned tag spellings kept before the table starts anew: a bound on
 * the memory a long-lived connection gives them. */
#define SPELLINGS_MAX 1000000u
/* Facet searches on one version of the database before it is read into
 * memory: a one-off search (the CLI) does not pay for the reading. */
#define CACHE_AFTER 2
/* A stale copy is read anew only when the last reading took under this
 * share of the time since. */
#define CACHE_RELOAD_SHARE 10.0

/* A tag's norm, interned. */
typedef struct norm_entry {
    size_t at;          /* its text in the arena */
    uint32_t len;
    uint32_t count;     /* in the current tally */
    uint32_t shown;     /* the spelling shown: the smallest seen in the tally */
} norm_entry;

/* A (norm, spelling) pair as article_tags has it, interned. */
typedef struct spelling_entry {
    size_t at;          /* the spelling's text in the arena */
    uint32_t len;
    uint32_t norm;      /* index in norms */
    uint32_t count;     /* in the current tally */
} spelling_entry;

/* Open addressing over indexes + 1 (0: empty). */
typedef struct index_table {
    uint32_t *slots;
    size_t cap;
} index_table;

/* The archive's facet columns in memory, by article key (CSR arrays: the
 * entities of article k are entities[entity_at[k] .. entity_at[k + 1])).
 * Entities and tags are numbered anew, the most frequent first, and
 * counted in arrays of their own (a facet_tally): the counts a search
 * touches most then share a few cache lines, where counting by id or in
 * the interned spellings' records missed the processor's cache on most
 * rows.  Entities of no known type, which no facet shows, are left out.
 * Read by one connection, then never changed: shared by the process's
 * connections to the same file while its database is the one read (see
 * facet_share), freed when the last lets it go. */
typedef struct facet_cache {
    size_t refs;                     /* connections holding it, under shares_lock */
    unsigned long long epoch;        /* its share's epoch when it was read */
    size_t bytes;                    /* its arrays' sizes */
    sqlite3_int64 max_key;
    uint32_t *entity_at, *entities;  /* entity indexes */
    uint32_t *tag_at, *tags;         /* tag indexes */
    uint32_t *day_of;                /* article key -> day index + 1 (0: no date) */
    char **days;                     /* the days, in order */
    size_t n_days;
    /* entities by index: type (0..3), name (in `names`), the name's rank
     * in strcmp's order (ties are told apart without reading the names) */
    size_t n_entities;
    unsigned char *entity_type;
    size_t *entity_name;
    uint32_t *entity_rank;
    char *names;
    size_t names_n, names_cap;
    uint32_t *index_of_id;           /* while reading: entity id -> index + 1 */
    size_t index_of_cap;
    /* tags by index: their spelling (in `tag_texts`), their norm's index;
     * norms by index: the rank of their text */
    size_t n_tags, n_norms;
    size_t *tag_text;
    char *tag_texts;
    uint32_t *tag_norm, *norm_rank;
    uint32_t *tag_spelling, *norm_interned; /* while reading: the interned spelling, norm */
} facet_cache;

/* A connection's counts over a copy's indexes, zeroed after each search
 * (only what was touched). */
typedef struct facet_tally {
    size_t n_entities, n_tags, n_norms, n_days; /* the copy they were made for */
    uint32_t *entity_count, *entity_touched;
    size_t entity_touched_n;
    uint32_t *tag_count, *tag_touched;
    size_t tag_touched_n;
    uint32_t *norm_count, *norm_shown, *norm_touched; /* shown: a tag index */
    size_t norm_touched_n;
    uint32_t *day_count;
} facet_tally;

/* The process's connections to one database file (its device and inode)
 * share a copy of its facet columns.  Whether a copy is the database a
 * connection reads cannot be told from PRAGMA data_version, each
 * connection's own count, so the share keeps an epoch: a connection that
 * finds, in its read transaction, that the database changed since its last
 * look (its data_version moved, or it wrote) moves the epoch on, and a copy
 * serves the epoch it was read in.  Any commit between two snapshots is
 * seen, by one of the two connections or by the one that read the copy,
 * after the earlier snapshot was taken and before the later one's look:
 * a copy and a reader of the same epoch read the same database.  A
 * connection's first look counts as a change (it cannot tell), and a
 * commit moves the epoch once for each connection that sees it, each
 * making the copies read before stale. */
typedef struct facet_share {
    dev_t dev;
    ino_t ino;
    size_t users;                    /* connections attached */
    unsigned long long epoch;
    facet_cache *copy;               /* the newest copy read, while some connection holds it */
    int reading;                     /* a connection is reading one */
    double read_at, read_seconds;    /* monotonic time of the last reading, its length */
    struct facet_share *next;
} facet_share;

static pthread_mutex_t shares_lock = PTHREAD_MUTEX_INITIALIZER;
static facet_share *shares;

struct kh_facets {
    sqlite3 *db;
    int texts;              /* the tally counts tags */
    int failed;
    unsigned long long writes; /* kh_facets_stale calls */
    /* entities: counts by id, and the ids counted */
    uint32_t *entity_count;
    size_t entity_cap;
    sqlite3_int64 *touched;
    size_t touched_n, touched_cap;
    unsigned char *types;   /* entity id -> its type + 1 (0: not loaded) */
    size_t types_cap;
    sqlite3_int64 types_max; /* the largest id loaded */
    /* tags: interned norms and spellings, and the spellings counted */
    char *arena;
    size_t arena_n, arena_cap;
    norm_entry *norms;
    size_t norms_n, norms_cap;
    spelling_entry *spellings;
    size_t spellings_n, spellings_cap;
    index_table norm_index, spelling_index;
    uint32_t *counted;       /* spellings counted in the tally */
    size_t counted_n, counted_cap;
    uint32_t *ranked;        /* their norms, as top_tags sums them */
    size_t ranked_n, ranked_cap;
    sqlite3_stmt *name_of;
    sqlite3_stmt *types_after;
    /* the facet columns in memory: the copy this connection counts with
     * (a reference held), the one it is reading, its counts over them */
    facet_share *share;      /* NULL until the first facet search */
    facet_cache *copy, *building;
    facet_tally tally;
    int looked;              /* seen_* hold the last look's */
    sqlite3_int64 seen_version;
    unsigned long long seen_writes;
    size_t uses_stale;       /* facet searches without a copy since the last reading */
    sqlite3_stmt *version, *hits;
    int decided;             /* kh_facets_in_memory's answer + 1, for the next count; 0: none */
};

static const char *const type_names[4] = {"PER", "ORG", "LOC", "MISC"};

static void copy_free(facet_cache *c);
static void let_go(kh_facets *f);
static void detach(kh_facets *f);
static void forget_tables(kh_facets *f);

static size_t hash_bytes(size_t h, const char *s, size_t n)
{
    return (size_t)XXH3_64bits_withSeed(s, n, h);
}

static const size_t HASH_SEED = 0;

/* Grows `*a` (of `*cap` items of `size` bytes) to hold `need`; 0 or -1. */
static int reserve(void **a, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need) c *= 2;
    void *b = realloc(*a, c * size);
    if (!b) return -1;
    *a = b;
    *cap = c;
    return 0;
}

static int push_id(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
    if (reserve((void **)a, cap, *n + 1, sizeof **a)) return -1;
    (*a)[(*n)++] = v;
    return 0;
}

static size_t keep_text(kh_facets *f, const char *s, size_t n)
{
    if (reserve((void **)&f->arena, &f->arena_cap, f->arena_n + n + 1, 1)) return SIZE_MAX;
    size_t at = f->arena_n;
    memcpy(f->arena + at, s, n);
    f->arena[at + n] = '\0';
    f->arena_n += n + 1;
    return at;
}

/* Rebuilds `t` with `cap` slots over `n` entries whose hashes `hash_of` gives. */
static int rehash(index_table *t, size_t cap, size_t n, size_t (*hash_of)(const kh_facets *, uint32_t),
                  const kh_facets *f)
{
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (uint32_t i = 0; i < n; i++) {
        size_t h = hash_of(f, i) & (cap - 1);
        while (slots[h]) h = (h + 1) & (cap - 1);
        slots[h] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

static size_t norm_hash(const kh_facets *f, uint32_t i)
{
    return hash_bytes(HASH_SEED, f->arena + f->norms[i].at, f->norms[i].len);
}

static size_t spelling_hash(const kh_facets *f, uint32_t i)
{
    const norm_entry *n = &f->norms[f->spellings[i].norm];
    size_t h = hash_bytes(HASH_SEED, f->arena + n->at, n->len);
    return hash_bytes(h * 31 + 1, f->arena + f->spellings[i].at, f->spellings[i].len);
}

/* The interned tables are dropped (between tallies only; a copy in
 * memory keeps its tags' texts). */
static void forget_tags(kh_facets *f)
{
    f->arena_n = f->norms_n = f->spellings_n = 0;
    if (f->norm_index.slots) memset(f->norm_index.slots, 0, f->norm_index.cap * sizeof *f->norm_index.slots);
    if (f->spelling_index.slots)
        memset(f->spelling_index.slots, 0, f->spelling_index.cap * sizeof *f->spelling_index.slots);
}

/* The norm's index, interned if new; UINT32_MAX when memory runs out. */
static uint32_t intern_norm(kh_facets *f, const char *s, size_t n, size_t h)
{
    index_table *t = &f->norm_index;
    if (2 * (f->norms_n + 1) > t->cap &&
        rehash(t, t->cap ? 2 * t->cap : 1024, f->norms_n, norm_hash, f))
        return UINT32_MAX;
    size_t i = h & (t->cap - 1);
    for (; t->slots[i]; i = (i + 1) & (t->cap - 1)) {
        const norm_entry *e = &f->norms[t->slots[i] - 1];
        if (e->len == n && !memcmp(f->arena + e->at, s, n)) return t->slots[i] - 1;
    }
    if (reserve((void **)&f->norms, &f->norms_cap, f->norms_n + 1, sizeof *f->norms)) return UINT32_MAX;
    size_t at = keep_text(f, s, n);
    if (at == SIZE_MAX) return UINT32_MAX;
    f->norms[f->norms_n] = (norm_entry){at, (uint32_t)n, 0, 0};
    t->slots[i] = (uint32_t)++f->norms_n;
    return (uint32_t)(f->norms_n - 1);
}

/* The (norm, spelling) pair's index, interned if new; UINT32_MAX when
 * memory runs out. */
static uint32_t intern_spelling(kh_facets *f, const char *norm, size_t norm_len, const char *s, size_t n)
{
    index_table *t = &f->spelling_index;
    if (2 * (f->spellings_n + 1) > t->cap &&
        rehash(t, t->cap ? 2 * t->cap : 1024, f->spellings_n, spelling_hash, f))
        return UINT32_MAX;
    size_t norm_h = hash_bytes(HASH_SEED, norm, norm_len);
    size_t i = hash_bytes(norm_h * 31 + 1, s, n) & (t->cap - 1);
    for (; t->slots[i]; i = (i + 1) & (t->cap - 1)) {
        const spelling_entry *e = &f->spellings[t->slots[i] - 1];
        const norm_entry *m = &f->norms[e->norm];
        if (e->len == n && m->len == norm_len && !memcmp(f->arena + e->at, s, n) &&
            !memcmp(f->arena + m->at, norm, norm_len))
            return t->slots[i] - 1;
    }
    uint32_t k = intern_norm(f, norm, norm_len, norm_h);
    if (k == UINT32_MAX ||
        reserve((void **)&f->spellings, &f->spellings_cap, f->spellings_n + 1, sizeof *f->spellings))
        return UINT32_MAX;
    size_t at = keep_text(f, s, n);
    if (at == SIZE_MAX) return UINT32_MAX;
    f->spellings[f->spellings_n] = (spelling_entry){at, (uint32_t)n, k, 0};
    t->slots[i] = (uint32_t)++f->spellings_n;
    return (uint32_t)(f->spellings_n - 1);
}

static void count_entity(kh_facets *f, sqlite3_int64 id)
{
    if (id < 0 || id >= ENTITY_ID_MAX) {
        f->failed = 1;
        return;
    }
    size_t k = (size_t)id;
    if (k >= f->entity_cap) {
        size_t old = f->entity_cap;
        if (reserve((void **)&f->entity_count, &f->entity_cap, k + 1, sizeof *f->entity_count)) {
            f->failed = 1;
            return;
        }
        memset(f->entity_count + old, 0, (f->entity_cap - old) * sizeof *f->entity_count);
    }
    if (!f->entity_count[k]++) {
        if (reserve((void **)&f->touched, &f->touched_cap, f->touched_n + 1, sizeof *f->touched)) {
            f->failed = 1;
            return;
        }
        f->touched[f->touched_n++] = id;
    }
}

/* khabar_tally(entity) or khabar_tally(norm, spelling): counts into the
 * module's tables; returns NULL. */
static void tally_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    kh_facets *f = sqlite3_user_data(ctx);
    if (f->failed || argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    if (!f->texts) {
        count_entity(f, sqlite3_value_int64(argv[0]));
        return;
    }
    const char *norm = (const char *)sqlite3_value_text(argv[0]);
    size_t norm_len = (size_t)sqlite3_value_bytes(argv[0]);
    const char *s = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
    size_t n = s ? (size_t)sqlite3_value_bytes(argv[1]) : 0;
    if (!norm) return;
    if (!s) {
        s = norm;
        n = norm_len;
    }
    uint32_t k = intern_spelling(f, norm, norm_len, s, n);
    if (k == UINT32_MAX) {
        f->failed = 1;
        return;
    }
    if (!f->spellings[k].count++ && push_id(&f->counted, &f->counted_n, &f->counted_cap, k)) f->failed = 1;
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

static void copy_free(facet_cache *c)
{
    if (!c) return;
    free(c->entity_at);
    free(c->entities);
    free(c->tag_at);
    free(c->tags);
    free(c->day_of);
    for (size_t i = 0; i < c->n_days; i++) free(c->days[i]);
    free(c->days);
    free(c->entity_type);
    free(c->entity_name);
    free(c->entity_rank);
    free(c->names);
    free(c->index_of_id);
    free(c->tag_text);
    free(c->tag_texts);
    free(c->tag_norm);
    free(c->norm_rank);
    free(c->tag_spelling);
    free(c->norm_interned);
    free(c);
}

static void tally_free(facet_tally *t)
{
    free(t->entity_count);
    free(t->entity_touched);
    free(t->tag_count);
    free(t->tag_touched);
    free(t->norm_count);
    free(t->norm_shown);
    free(t->norm_touched);
    free(t->day_count);
    *t = (facet_tally){0};
}

/* Counts sized for the copy `c` (zeroed), made anew when the last were for
 * other sizes.  0 or -2. */
static int tally_for(facet_tally *t, const facet_cache *c)
{
    if (t->entity_count && t->n_entities == c->n_entities && t->n_tags == c->n_tags && t->n_norms == c->n_norms &&
        t->n_days == c->n_days)
        return 0;
    tally_free(t);
    size_t entities = c->n_entities ? c->n_entities : 1, tags = c->n_tags ? c->n_tags : 1;
    size_t norms = c->n_norms ? c->n_norms : 1;
    t->entity_count = calloc(entities, sizeof *t->entity_count);
    t->entity_touched = malloc((entities + 1) * sizeof *t->entity_touched);
    t->tag_count = calloc(tags, sizeof *t->tag_count);
    t->tag_touched = malloc((tags + 1) * sizeof *t->tag_touched);
    t->norm_count = calloc(norms, sizeof *t->norm_count);
    t->norm_shown = malloc(norms * sizeof *t->norm_shown);
    t->norm_touched = malloc((norms + 1) * sizeof *t->norm_touched);
    t->day_count = calloc(c->n_days + 1, sizeof *t->day_count);
    if (!t->entity_count || !t->entity_touched || !t->tag_count || !t->tag_touched || !t->norm_count ||
        !t->norm_shown || !t->norm_touched || !t->day_count) {
        tally_free(t);
        return -2;
    }
    t->n_entities = c->n_entities;
    t->n_tags = c->n_tags;
    t->n_norms = c->n_norms;
    t->n_days = c->n_days;
    return 0;
}

static size_t tally_bytes(const facet_tally *t)
{
    if (!t->entity_count) return 0;
    return sizeof(uint32_t) * (2 * t->n_entities + 2 * t->n_tags + 3 * t->n_norms + t->n_days + 4);
}

/* The bytes this connection keeps between searches, the copy it holds
 * aside: the interned tags, the tables' tally, its counts over the copy. */
size_t kh_facets_memory(const kh_facets *f, size_t *copy, size_t *copy_users)
{
    *copy = *copy_users = 0;
    if (!f) return 0;
    if (f->copy) {
        pthread_mutex_lock(&shares_lock);
        *copy = f->copy->bytes;
        *copy_users = f->copy->refs;
        pthread_mutex_unlock(&shares_lock);
    }
    return f->arena_cap + f->norms_cap * sizeof *f->norms + f->spellings_cap * sizeof *f->spellings +
           (f->norm_index.cap + f->spelling_index.cap) * sizeof(uint32_t) +
           (f->counted_cap + f->ranked_cap) * sizeof(uint32_t) + f->entity_cap * sizeof *f->entity_count +
           f->touched_cap * sizeof *f->touched + f->types_cap + tally_bytes(&f->tally);
}

/* Everything kept between searches is freed, the copy let go (freed when
 * no other connection holds it); a connection that had a copy reads one
 * at its next search with facets when there is none to share (it was
 * worth reading once), not after CACHE_AFTER more. */
void kh_facets_release(kh_facets *f)
{
    if (!f) return;
    int had_copy = f->copy != NULL;
    let_go(f);
    tally_free(&f->tally);
    forget_tables(f);
    if (had_copy) f->uses_stale = CACHE_AFTER - 1;
    if (had_copy && f->share) {
        /* the pace of reading a stale copy again (use_cache) is for a
         * database that changes, not for a copy given back */
        pthread_mutex_lock(&shares_lock);
        f->share->read_at = 0;
        pthread_mutex_unlock(&shares_lock);
    }
}

/* What counting from the tables keeps (the interned tags, the counts by
 * entity id, the types) is freed: for a connection that counts with a
 * copy, whose tags are texts of its own. */
static void forget_tables(kh_facets *f)
{
    free(f->entity_count);
    free(f->touched);
    free(f->types);
    free(f->arena);
    free(f->norms);
    free(f->spellings);
    free(f->norm_index.slots);
    free(f->spelling_index.slots);
    free(f->counted);
    free(f->ranked);
    f->entity_count = NULL;
    f->touched = NULL;
    f->types = NULL;
    f->arena = NULL;
    f->norms = NULL;
    f->spellings = NULL;
    f->norm_index = f->spelling_index = (index_table){NULL, 0};
    f->counted = f->ranked = NULL;
    f->entity_cap = f->touched_n = f->touched_cap = f->types_cap = 0;
    f->types_max = 0;
    f->arena_n = f->arena_cap = f->norms_n = f->norms_cap = f->spellings_n = f->spellings_cap = 0;
    f->counted_n = f->counted_cap = f->ranked_n = f->ranked_cap = 0;
    f->texts = 0;
}

void kh_facets_free(kh_facets *f)
{
    if (!f) return;
    kh_facets_release(f);
    detach(f);
    sqlite3_finalize(f->version);
    sqlite3_finalize(f->hits);
    sqlite3_finalize(f->name_of);
    sqlite3_finalize(f->types_after);
    free(f);
}

/* Zeroes what the last tally counted. */
static void tally_clear(kh_facets *f, int texts)
{
    for (size_t i = 0; i < f->touched_n; i++) f->entity_count[f->touched[i]] = 0;
    f->touched_n = 0;
    if (f->texts) {
        for (size_t i = 0; i < f->counted_n; i++) f->spellings[f->counted[i]].count = 0;
        for (size_t i = 0; i < f->ranked_n; i++) f->norms[f->ranked[i]].count = 0;
    }
    f->counted_n = f->ranked_n = 0;
    if (texts && f->spellings_n > SPELLINGS_MAX) forget_tags(f);
    f->texts = texts;
    f->failed = 0;
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
        if (id < 0 || id >= ENTITY_ID_MAX) continue;
        if ((size_t)id >= f->types_cap) {
            size_t old = f->types_cap;
            if (reserve((void **)&f->types, &f->types_cap, (size_t)id + 1, 1)) {
                sqlite3_reset(f->types_after);
                return -1;
            }
            memset(f->types + old, 0, f->types_cap - old);
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

/* Keeps the FACET_TOP largest counts seen, largest first. */
static void keep_top(size_t top[FACET_TOP], size_t count)
{
    if (count <= top[FACET_TOP - 1]) return;
    size_t k = FACET_TOP - 1;
    while (k > 0 && top[k - 1] < count) {
        top[k] = top[k - 1];
        k--;
    }
    top[k] = count;
}

typedef struct candidate {
    size_t count;
    char *name;     /* an entity's name (owned, but for memory's copy), or the tag's norm */
    const char *shown;
    uint32_t rank;  /* in memory's copy: the name's rank in strcmp's order */
} candidate;

static int by_count_then_name(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->name ? x->name : "", y->name ? y->name : "");
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

/* Sorts the candidates, gives the first FACET_TOP to `emit`, frees the
 * entities' names. */
static int emit_top(candidate *c, size_t n, const char *type, kh_facet_emit emit, void *ctx)
{
    if (n) qsort(c, n, sizeof *c, by_count_then_name);
    int failed = 0;
    for (size_t i = 0; i < n && i < FACET_TOP && !failed; i++)
        failed = emit(ctx, type ? c[i].name : c[i].shown, type, c[i].count) != 0;
    for (size_t i = 0; i < n && type; i++) free(c[i].name);
    free(c);
    return failed ? -2 : 0;
}

static int entity_type_is(const kh_facets *f, sqlite3_int64 id, int type)
{
    return (size_t)id < f->types_cap && f->types[id] == type + 1;
}

/* The top FACET_TOP entities of one type, most counted first, ties by name:
 * every entity whose count reaches the tenth largest is read by name. */
static int top_entities(kh_facets *f, int type, kh_facet_emit emit, void *ctx)
{
    size_t top[FACET_TOP] = {0};
    for (size_t i = 0; i < f->touched_n; i++)
        if (entity_type_is(f, f->touched[i], type)) keep_top(top, f->entity_count[f->touched[i]]);
    size_t floor = top[FACET_TOP - 1] ? top[FACET_TOP - 1] : 1, n = 0, cap = 0;
    candidate *c = NULL;
    for (size_t i = 0; i < f->touched_n; i++) {
        sqlite3_int64 id = f->touched[i];
        size_t count = f->entity_count[id];
        if (count < floor || !entity_type_is(f, id, type)) continue;
        if (reserve((void **)&c, &cap, n + 1, sizeof *c)) goto fail;
        c[n].count = count;
        c[n].shown = NULL;
        if (!(c[n].name = entity_name(f, id))) goto fail;
        n++;
    }
    return emit_top(c, n, type_names[type], emit, ctx);
fail:
    for (size_t i = 0; i < n; i++) free(c[i].name);
    free(c);
    return -2;
}

/* The top FACET_TOP tags, each norm shown in its smallest spelling among
 * the hits. */
static int top_tags(kh_facets *f, kh_facet_emit emit, void *ctx)
{
    for (size_t i = 0; i < f->counted_n; i++) {
        const spelling_entry *s = &f->spellings[f->counted[i]];
        norm_entry *m = &f->norms[s->norm];
        if (!m->count) {
            m->shown = f->counted[i];
            if (push_id(&f->ranked, &f->ranked_n, &f->ranked_cap, s->norm)) return -2;
        } else if (strcmp(f->arena + s->at, f->arena + f->spellings[m->shown].at) < 0) {
            m->shown = f->counted[i];
        }
        m->count += s->count;
    }
    size_t top[FACET_TOP] = {0};
    for (size_t i = 0; i < f->ranked_n; i++) keep_top(top, f->norms[f->ranked[i]].count);
    size_t floor = top[FACET_TOP - 1] ? top[FACET_TOP - 1] : 1, n = 0, cap = 0;
    candidate *c = NULL;
    for (size_t i = 0; i < f->ranked_n; i++) {
        const norm_entry *m = &f->norms[f->ranked[i]];
        if (m->count < floor) continue;
        if (reserve((void **)&c, &cap, n + 1, sizeof *c)) {
            free(c);
            return -2;
        }
        c[n++] = (candidate){m->count, f->arena + m->at, f->arena + f->spellings[m->shown].at, 0};
    }
    return emit_top(c, n, NULL, emit, ctx);
}

void kh_facets_stale(kh_facets *f)
{
    if (f) f->writes++;
}

static double monotonic_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int prepare_once(kh_facets *f, sqlite3_stmt **s, const char *sql)
{
    if (!*s && sqlite3_prepare_v3(f->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL) != SQLITE_OK) return -1;
    sqlite3_reset(*s);
    return 0;
}

/* The database's data_version in *v (in the caller's read transaction). */
static int data_version(kh_facets *f, sqlite3_int64 *v)
{
    if (prepare_once(f, &f->version, "PRAGMA data_version")) return -1;
    int rc = sqlite3_step(f->version);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(f->version, 0) : 0;
    sqlite3_reset(f->version);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Reads rows (key, value...) in key order into CSR arrays over keys
 * 0..max_key: `at` (max_key + 2 offsets) and `values`; `value_of` turns a
 * row into its value (UINT32_MAX: out of memory; UINT32_MAX - 1: skip). */
static int read_csr(kh_facets *f, const char *sql, sqlite3_int64 max_key, uint32_t **at, uint32_t **values,
                    uint32_t (*value_of)(kh_facets *, sqlite3_stmt *))
{
    size_t keys = (size_t)max_key + 2, n = 0, cap = 0;
    *at = calloc(keys, sizeof **at);
    *values = NULL;
    sqlite3_stmt *st = NULL;
    if (!*at || sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return *at ? -1 : -2;
    }
    sqlite3_int64 key = 0; /* offsets are set up to and including this key */
    int rc, failed = 0;
    while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 k = sqlite3_column_int64(st, 0);
        if (k < key || k > max_key) continue; /* ORDER BY article: cannot be */
        uint32_t v = value_of(f, st);
        if (v == UINT32_MAX || n >= UINT32_MAX - 2 || reserve((void **)values, &cap, n + 1, sizeof **values)) {
            failed = 1;
            break;
        }
        if (v == UINT32_MAX - 1) continue;
        while (key < k) (*at)[++key] = (uint32_t)n;
        (*values)[n++] = v;
    }
    sqlite3_finalize(st);
    if (failed) return -2;
    if (rc != SQLITE_DONE) return -1;
    while ((size_t)key + 1 < keys) (*at)[++key] = (uint32_t)n;
    uint32_t *fit = n && n < cap ? realloc(*values, n * sizeof **values) : NULL; /* kept for the connection's life */
    if (fit) *values = fit;
    return 0;
}

/* An article's entity: its index read with the entities (read_entities),
 * or skipped when it has none (no such entity, or of no known type). */
static uint32_t entity_value(kh_facets *f, sqlite3_stmt *st)
{
    const facet_cache *c = f->building;
    sqlite3_int64 id = sqlite3_column_int64(st, 1);
    if (id < 0 || (size_t)id >= c->index_of_cap || !c->index_of_id[id]) return UINT32_MAX - 1;
    return c->index_of_id[id] - 1;
}

static int type_of(const char *type)
{
    for (int k = 0; k < 4 && type; k++)
        if (!strcmp(type, type_names[k])) return k;
    return -1;
}

typedef struct ranked_text {
    uint64_t prefix;    /* the first 8 bytes, big-endian, 0 after the end */
    const char *text;
    uint32_t at;
} ranked_text;

/* strcmp's order, told by the prefixes alone when they differ */
static int by_text(const void *a, const void *b)
{
    const ranked_text *x = a, *y = b;
    if (x->prefix != y->prefix) return x->prefix < y->prefix ? -1 : 1;
    return strcmp(x->text, y->text);
}

/* rank[i]: the place of texts[i] (of n) in strcmp's order (equal texts in
 * any order).  Texts that come in SQL's order of them (BINARY, memcmp's:
 * strcmp's for texts without a NUL) are only checked.  NULL when memory
 * runs out. */
static uint32_t *text_ranks(const char *const *texts, size_t n)
{
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank);
    if (!rank) return NULL;
    size_t in_order = 1;
    while (in_order < n && strcmp(texts[in_order - 1], texts[in_order]) <= 0) in_order++;
    if (in_order >= n) {
        for (size_t k = 0; k < n; k++) rank[k] = (uint32_t)k;
        return rank;
    }
    ranked_text *r = malloc(n * sizeof *r);
    if (!r) {
        free(rank);
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        uint64_t prefix = 0;
        const unsigned char *t = (const unsigned char *)texts[k];
        for (int i = 0; i < 8; i++) prefix = prefix << 8 | (*t ? *t++ : 0);
        r[k] = (ranked_text){prefix, texts[k], (uint32_t)k};
    }
    if (n) qsort(r, n, sizeof *r, by_text);
    for (size_t k = 0; k < n; k++) rank[r[k].at] = (uint32_t)k;
    free(r);
    return rank;
}

/* Reads the entities of a known type: their types, their names (in the
 * order of the names' index: their ranks come checked, not sorted) and an
 * index for each id (renumbered by order_entities). */
static int read_entities(kh_facets *f)
{
    facet_cache *c = f->building;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(f->db, "SELECT id, name, type FROM entities ORDER BY name", -1, &st, NULL) != SQLITE_OK)
        return -1;
    size_t cap = 0, name_cap = 0;
    int rc, failed = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        int type = type_of((const char *)sqlite3_column_text(st, 2));
        if (id < 0 || id >= ENTITY_ID_MAX || type < 0) continue;
        const char *name = (const char *)sqlite3_column_text(st, 1);
        size_t len = name ? strlen(name) : 0; /* as entity_name() reads it */
        size_t old = c->index_of_cap;
        if (reserve((void **)&c->index_of_id, &c->index_of_cap, (size_t)id + 1, sizeof *c->index_of_id) ||
            reserve((void **)&c->entity_type, &cap, c->n_entities + 1, 1) ||
            reserve((void **)&c->entity_name, &name_cap, c->n_entities + 1, sizeof *c->entity_name) ||
            reserve((void **)&c->names, &c->names_cap, c->names_n + len + 1, 1)) {
            failed = 1;
            break;
        }
        if (c->index_of_cap > old) memset(c->index_of_id + old, 0, (c->index_of_cap - old) * sizeof *c->index_of_id);
        memcpy(c->names + c->names_n, name ? name : "", len + 1);
        c->entity_name[c->n_entities] = c->names_n;
        c->names_n += len + 1;
        c->entity_type[c->n_entities] = (unsigned char)type;
        c->index_of_id[id] = (uint32_t)++c->n_entities;
    }
    sqlite3_finalize(st);
    if (failed || c->n_entities >= UINT32_MAX - 2) return -2;
    if (rc != SQLITE_DONE) return -1;
    const char **texts = malloc((c->n_entities ? c->n_entities : 1) * sizeof *texts);
    if (!texts) return -2;
    for (size_t e = 0; e < c->n_entities; e++) texts[e] = c->names + c->entity_name[e];
    c->entity_rank = text_ranks(texts, c->n_entities);
    free(texts);
    return c->entity_rank ? 0 : -2;
}

/* new_of[i]: the rank of item i (of n) by its count, the largest first,
 * ties in index order (a counting sort).  NULL when memory runs out. */
static uint32_t *order_by_count(const uint32_t *count, size_t n)
{
    uint32_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (count[i] > max) max = count[i];
    size_t *start = calloc((size_t)max + 2, sizeof *start);
    uint32_t *new_of = malloc((n ? n : 1) * sizeof *new_of);
    if (!start || !new_of) {
        free(start);
        free(new_of);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) start[max - count[i] + 1]++;
    for (size_t b = 1; b <= (size_t)max + 1; b++) start[b] += start[b - 1];
    for (size_t i = 0; i < n; i++) new_of[i] = (uint32_t)start[max - count[i]]++;
    free(start);
    return new_of;
}

/* Counts each value of values[0..n) below `range` into a new array. */
static uint32_t *value_counts(const uint32_t *values, size_t n, size_t range)
{
    uint32_t *count = calloc(range ? range : 1, sizeof *count);
    if (count)
        for (size_t i = 0; i < n; i++) count[values[i]]++;
    return count;
}

/* Renumbers the entities read, the most frequent first, and makes their
 * tally's arrays. */
static int order_entities(facet_cache *c, size_t rows)
{
    uint32_t *count = value_counts(c->entities, rows, c->n_entities);
    uint32_t *new_of = count ? order_by_count(count, c->n_entities) : NULL;
    size_t n = c->n_entities ? c->n_entities : 1;
    unsigned char *type = malloc(n);
    size_t *name = malloc(n * sizeof *name);
    uint32_t *rank = malloc(n * sizeof *rank);
    int failed = !new_of || !type || !name || !rank;
    if (!failed) {
        for (size_t i = 0; i < rows; i++) c->entities[i] = new_of[c->entities[i]];
        for (size_t e = 0; e < c->n_entities; e++) {
            type[new_of[e]] = c->entity_type[e];
            name[new_of[e]] = c->entity_name[e];
            rank[new_of[e]] = c->entity_rank[e];
        }
        free(c->entity_type);
        free(c->entity_name);
        free(c->entity_rank);
        c->entity_type = type;
        c->entity_name = name;
        c->entity_rank = rank;
        type = NULL;
        name = NULL;
        rank = NULL;
    }
    free(type);
    free(name);
    free(rank);
    free(count);
    free(new_of);
    free(c->index_of_id);
    c->index_of_id = NULL;
    c->index_of_cap = 0;
    return failed ? -2 : 0;
}

/* Numbers the tags read (interned spellings) and their norms anew, the
 * most frequent first, and makes their tally's arrays. */
static int order_tags(kh_facets *f, size_t rows)
{
    facet_cache *c = f->building;
    size_t n_spellings = f->spellings_n, n_norms = f->norms_n;
    uint32_t *count = value_counts(c->tags, rows, n_spellings), *norm_count = calloc(n_norms ? n_norms : 1, sizeof *norm_count);
    uint32_t *tag_of = NULL, *norm_of = NULL;
    int failed = !count || !norm_count;
    if (!failed) {
        for (size_t s = 0; s < n_spellings; s++) {
            norm_count[f->spellings[s].norm] += count[s];
            c->n_tags += count[s] > 0;
        }
        for (size_t m = 0; m < n_norms; m++) c->n_norms += norm_count[m] > 0;
        tag_of = order_by_count(count, n_spellings);
        norm_of = order_by_count(norm_count, n_norms);
    }
    size_t tags = c->n_tags ? c->n_tags : 1, norms = c->n_norms ? c->n_norms : 1;
    c->tag_spelling = malloc(tags * sizeof *c->tag_spelling);
    c->tag_norm = malloc(tags * sizeof *c->tag_norm);
    c->norm_interned = malloc(norms * sizeof *c->norm_interned);
    failed = failed || !tag_of || !norm_of || !c->tag_spelling || !c->tag_norm || !c->norm_interned;
    if (!failed) {
        /* the tags counted come first: ranks below n_tags */
        for (size_t s = 0; s < n_spellings; s++) {
            if (!count[s]) continue;
            c->tag_spelling[tag_of[s]] = (uint32_t)s;
            c->tag_norm[tag_of[s]] = norm_of[f->spellings[s].norm];
        }
        for (size_t m = 0; m < n_norms; m++)
            if (norm_count[m]) c->norm_interned[norm_of[m]] = (uint32_t)m;
        for (size_t i = 0; i < rows; i++) c->tags[i] = tag_of[c->tags[i]];
    }
    free(count);
    free(norm_count);
    free(tag_of);
    free(norm_of);
    return failed ? -2 : 0;
}

static uint32_t tag_value(kh_facets *f, sqlite3_stmt *st)
{
    const char *norm = (const char *)sqlite3_column_text(st, 1);
    size_t norm_len = (size_t)sqlite3_column_bytes(st, 1);
    const char *tag = (const char *)sqlite3_column_text(st, 2);
    size_t len = (size_t)sqlite3_column_bytes(st, 2);
    if (!norm) return UINT32_MAX - 1;
    return intern_spelling(f, norm, norm_len, tag ? tag : norm, tag ? len : norm_len);
}

/* The ranks of the norms counted, in strcmp's order, and the tags'
 * spellings copied from the connection's interned ones: the copy is then
 * the connection's no more. */
static int rank_norms(kh_facets *f)
{
    facet_cache *c = f->building;
    const char **texts = malloc((c->n_norms ? c->n_norms : 1) * sizeof *texts);
    if (!texts) return -2;
    for (size_t m = 0; m < c->n_norms; m++) texts[m] = f->arena + f->norms[c->norm_interned[m]].at;
    c->norm_rank = text_ranks(texts, c->n_norms);
    free(texts);
    if (!c->norm_rank) return -2;
    size_t n = 0;
    for (size_t t = 0; t < c->n_tags; t++) n += f->spellings[c->tag_spelling[t]].len + 1;
    c->tag_text = malloc((c->n_tags ? c->n_tags : 1) * sizeof *c->tag_text);
    c->tag_texts = malloc(n ? n : 1);
    if (!c->tag_text || !c->tag_texts) return -2;
    n = 0;
    for (size_t t = 0; t < c->n_tags; t++) {
        const spelling_entry *e = &f->spellings[c->tag_spelling[t]];
        memcpy(c->tag_texts + n, f->arena + e->at, e->len + 1);
        c->tag_text[t] = n;
        n += e->len + 1;
    }
    c->bytes += n;
    free(c->tag_spelling);
    free(c->norm_interned);
    c->tag_spelling = c->norm_interned = NULL;
    return 0;
}

/* Reads the facet columns of the whole archive into f->building. */
static int read_copy(kh_facets *f)
{
    facet_cache *c = f->building;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(f->db, "SELECT coalesce(max(key), 0) FROM articles", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    c->max_key = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (c->max_key < 0) return -1;
    if (c->max_key >= ENTITY_ID_MAX) return -2;
    if (f->spellings_n > SPELLINGS_MAX / 2) forget_tags(f);
    int r = read_entities(f);
    if (!r)
        r = read_csr(f, "SELECT article, entity FROM article_entities ORDER BY article", c->max_key, &c->entity_at,
                     &c->entities, entity_value);
    if (!r) r = order_entities(c, c->entity_at[c->max_key + 1]);
    if (!r)
        r = read_csr(f, "SELECT article, norm, tag FROM article_tags ORDER BY article", c->max_key, &c->tag_at, &c->tags, tag_value);
    if (!r) r = order_tags(f, c->tag_at[c->max_key + 1]);
    if (!r) r = rank_norms(f);
    if (!r) {
        size_t keys = (size_t)c->max_key + 1, cap = 0;
        if (!(c->day_of = calloc(keys, sizeof *c->day_of))) r = -2;
        /* the date index gives the days in order, without the articles' rows */
        if (!r && sqlite3_prepare_v2(f->db, "SELECT date, key FROM articles WHERE date IS NOT NULL ORDER BY date",
                                     -1, &st, NULL) != SQLITE_OK)
            r = -1;
        while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *day = (const char *)sqlite3_column_text(st, 0);
            sqlite3_int64 k = sqlite3_column_int64(st, 1);
            if (!day || k < 0 || k > c->max_key) continue;
            if (!c->n_days || strcmp(c->days[c->n_days - 1], day)) {
                if (reserve((void **)&c->days, &cap, c->n_days + 1, sizeof *c->days) ||
                    !(c->days[c->n_days] = strdup(day))) {
                    r = -2;
                    break;
                }
                c->n_days++;
            }
            c->day_of[k] = (uint32_t)c->n_days;
        }
        if (!r) {
            if (rc != SQLITE_DONE) r = -1;
            sqlite3_finalize(st);
        } else if (r == -2) {
            sqlite3_finalize(st);
        }
    }
    if (r) return r;
    size_t keys = (size_t)c->max_key + 2;
    c->bytes += sizeof(uint32_t) * (3 * keys + c->entity_at[c->max_key + 1] + c->tag_at[c->max_key + 1]) +
                c->n_days * (sizeof *c->days + 11) + c->names_cap +
                c->n_entities * (1 + sizeof *c->entity_name + sizeof(uint32_t)) +
                c->n_tags * (sizeof *c->tag_text + sizeof(uint32_t)) + c->n_norms * sizeof(uint32_t);
    return 0;
}

/* Reads the facet columns of the whole archive into `c`: 0, -1 on the
 * database's error, -2 when memory runs out. */
static int cache_read(kh_facets *f, facet_cache *c)
{
    f->building = c;
    int rc = read_copy(f);
    f->building = NULL;
    return rc;
}

/* The connection lets its copy go, freed when no other holds it. */
static void let_go(kh_facets *f)
{
    facet_cache *c = f->copy, *gone = NULL;
    if (!c) return;
    pthread_mutex_lock(&shares_lock);
    if (!--c->refs) {
        if (f->share && f->share->copy == c) f->share->copy = NULL;
        gone = c;
    }
    pthread_mutex_unlock(&shares_lock);
    f->copy = NULL;
    copy_free(gone);
}

/* The share of the connection's file, found or made; one of its own when
 * the database has no file (in memory, temporary) or cannot be read.
 * Under shares_lock.  NULL when memory runs out. */
static facet_share *share_of(sqlite3 *db)
{
    const char *path = sqlite3_db_filename(db, "main");
    struct stat st;
    int known = path && *path && !stat(path, &st);
    for (facet_share *sh = known ? shares : NULL; sh; sh = sh->next)
        if (sh->dev == st.st_dev && sh->ino == st.st_ino) return sh;
    facet_share *sh = calloc(1, sizeof *sh);
    if (!sh) return NULL;
    if (known) {
        sh->dev = st.st_dev;
        sh->ino = st.st_ino;
        sh->next = shares;
        shares = sh;
    }
    return sh;
}

static void detach(kh_facets *f)
{
    if (!f->share) return;
    let_go(f);
    pthread_mutex_lock(&shares_lock);
    facet_share *sh = f->share;
    if (!--sh->users) {
        for (facet_share **p = &shares; *p; p = &(*p)->next)
            if (*p == sh) {
                *p = sh->next;
                break;
            }
        free(sh);
    }
    pthread_mutex_unlock(&shares_lock);
    f->share = NULL;
}

/* Whether to count from memory: a copy of the database this connection
 * reads is there (read by it or by another connection to the file), or
 * was read anew.  Never inside a write transaction: its database is not
 * yet the others'. */
static int use_cache(kh_facets *f, int *use)
{
    sqlite3_int64 v;
    *use = 0;
    if (sqlite3_txn_state(f->db, "main") == SQLITE_TXN_WRITE) return 0;
    if (data_version(f, &v)) return -1;
    pthread_mutex_lock(&shares_lock);
    if (!f->share) {
        if (!(f->share = share_of(f->db))) {
            pthread_mutex_unlock(&shares_lock);
            return -2;
        }
        f->share->users++;
    }
    facet_share *sh = f->share;
    if (!f->looked || v != f->seen_version || f->writes != f->seen_writes) {
        sh->epoch++;
        f->looked = 1;
        f->seen_version = v;
        f->seen_writes = f->writes;
    }
    unsigned long long epoch = sh->epoch;
    facet_cache *current = sh->copy && sh->copy->epoch == epoch ? sh->copy : NULL;
    if (current && current != f->copy) current->refs++;
    int read = 0;
    if (!current && ++f->uses_stale >= CACHE_AFTER && !sh->reading &&
        !(sh->read_at > 0 && monotonic_seconds() - sh->read_at < CACHE_RELOAD_SHARE * sh->read_seconds))
        read = sh->reading = 1;
    pthread_mutex_unlock(&shares_lock);
    if (current != f->copy) {
        let_go(f);
        f->copy = current;
    }
    if (read) {
        facet_cache *c = calloc(1, sizeof *c);
        double t0 = monotonic_seconds();
        int rc = c ? cache_read(f, c) : -2;
        pthread_mutex_lock(&shares_lock);
        sh->reading = 0;
        sh->read_at = monotonic_seconds();
        sh->read_seconds = sh->read_at - t0;
        if (!rc) {
            c->epoch = epoch;
            c->refs = 1;
            /* the copy it replaces lives on while a connection holds it */
            if (!sh->copy || sh->copy->epoch <= epoch) sh->copy = c;
        }
        pthread_mutex_unlock(&shares_lock);
        if (rc) {
            copy_free(c);
            if (rc == -2) return -2;
            return 0; /* a database error here leaves the tables to count from */
        }
        f->copy = c;
    }
    if (!f->copy) return 0;
    if (tally_for(&f->tally, f->copy)) return -2;
    if (f->arena || f->entity_count) forget_tables(f);
    f->uses_stale = 0;
    *use = 1;
    return 0;
}

/* Zeroes what the last count from memory counted. */
static void cache_clear(facet_tally *t)
{
    for (size_t i = 0; i < t->entity_touched_n; i++) t->entity_count[t->entity_touched[i]] = 0;
    for (size_t i = 0; i < t->tag_touched_n; i++) t->tag_count[t->tag_touched[i]] = 0;
    for (size_t i = 0; i < t->norm_touched_n; i++) t->norm_count[t->norm_touched[i]] = 0;
    t->entity_touched_n = t->tag_touched_n = t->norm_touched_n = 0;
}

/* Counts one hit's entities, tags and day from the copy in memory.  The
 * touched arrays have room for every index, each entered once: the store
 * needs no test. */
static void count_key(const facet_cache *c, facet_tally *t, sqlite3_int64 k)
{
    if (k < 0 || k > c->max_key) return;
    size_t n = t->entity_touched_n;
    for (uint32_t i = c->entity_at[k]; i < c->entity_at[k + 1]; i++) {
        uint32_t e = c->entities[i], before = t->entity_count[e]++;
        t->entity_touched[n] = e;
        n += before == 0;
    }
    t->entity_touched_n = n;
    n = t->tag_touched_n;
    for (uint32_t i = c->tag_at[k]; i < c->tag_at[k + 1]; i++) {
        uint32_t g = c->tags[i], before = t->tag_count[g]++;
        t->tag_touched[n] = g;
        n += before == 0;
    }
    t->tag_touched_n = n;
    t->day_count[c->day_of[k]]++;
}

/* Counts the hits (`keys`, or those in temp.khabar_hits) from the copy in
 * memory. */
static int count_from_cache(kh_facets *f, const sqlite3_int64 *keys, size_t n_keys)
{
    const facet_cache *c = f->copy;
    facet_tally *t = &f->tally;
    cache_clear(t);
    if (keys) {
        for (size_t i = 0; i < n_keys; i++) count_key(c, t, keys[i]);
        return 0;
    }
    if (prepare_once(f, &f->hits, "SELECT key FROM temp.khabar_hits")) return -1;
    int rc;
    while ((rc = sqlite3_step(f->hits)) == SQLITE_ROW) count_key(c, t, sqlite3_column_int64(f->hits, 0));
    sqlite3_reset(f->hits);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The first FACET_TOP of the candidates offered, in by_count_then_name's
 * order: what sorting them all and taking the first would give (no two
 * candidates compare equal: an entity's name is unique within its type, a
 * tag's norm is unique), at a comparison or two a candidate. */
typedef struct best_list {
    candidate c[FACET_TOP];
    size_t n;
} best_list;

/* by_count_then_name's order, the names compared by their ranks */
static int by_count_then_rank(const candidate *x, const candidate *y)
{
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static void best_offer(best_list *b, candidate x)
{
    if (b->n == FACET_TOP && by_count_then_rank(&x, &b->c[FACET_TOP - 1]) >= 0) return;
    size_t k = b->n < FACET_TOP ? b->n++ : FACET_TOP - 1;
    while (k > 0 && by_count_then_rank(&x, &b->c[k - 1]) < 0) {
        b->c[k] = b->c[k - 1];
        k--;
    }
    b->c[k] = x;
}

/* Whether a candidate counted `count` cannot enter the list (its name not
 * needed to tell). */
static int best_below(const best_list *b, size_t count)
{
    return b->n == FACET_TOP && count < b->c[FACET_TOP - 1].count;
}

static int best_emit(const best_list *b, const char *type, kh_facet_emit emit, void *ctx)
{
    for (size_t i = 0; i < b->n; i++)
        if (emit(ctx, type ? b->c[i].name : b->c[i].shown, type, b->c[i].count)) return -2;
    return 0;
}

/* The top FACET_TOP entities of each type, as top_entities gives them,
 * from the counts in memory, in one pass. */
static int cached_top_entities(const facet_cache *c, const facet_tally *tally, kh_facet_emit emit, void *ctx)
{
    best_list best[4];
    for (int t = 0; t < 4; t++) best[t].n = 0;
    for (size_t i = 0; i < tally->entity_touched_n; i++) {
        uint32_t e = tally->entity_touched[i];
        best_list *b = &best[c->entity_type[e]];
        if (!best_below(b, tally->entity_count[e]))
            best_offer(b, (candidate){tally->entity_count[e], c->names + c->entity_name[e], NULL, c->entity_rank[e]});
    }
    for (int t = 0; t < 4; t++)
        if (best_emit(&best[t], type_names[t], emit, ctx)) return -2;
    return 0;
}

static const char *tag_text(const facet_cache *c, uint32_t t)
{
    return c->tag_texts + c->tag_text[t];
}

/* The top FACET_TOP tags, as top_tags gives them, from the counts in
 * memory. */
static int cached_top_tags(const facet_cache *c, facet_tally *tally, kh_facet_emit emit, void *ctx)
{
    for (size_t i = 0; i < tally->tag_touched_n; i++) {
        uint32_t t = tally->tag_touched[i], m = c->tag_norm[t];
        if (!tally->norm_count[m]) {
            tally->norm_shown[m] = t;
            tally->norm_touched[tally->norm_touched_n++] = m;
        } else if (strcmp(tag_text(c, t), tag_text(c, tally->norm_shown[m])) < 0) {
            tally->norm_shown[m] = t;
        }
        tally->norm_count[m] += tally->tag_count[t];
    }
    best_list best = {.n = 0};
    for (size_t i = 0; i < tally->norm_touched_n; i++) {
        uint32_t m = tally->norm_touched[i];
        if (!best_below(&best, tally->norm_count[m]))
            best_offer(&best,
                       (candidate){tally->norm_count[m], NULL, tag_text(c, tally->norm_shown[m]), c->norm_rank[m]});
    }
    return best_emit(&best, NULL, emit, ctx);
}

/* The hits per day, from memory or from the tables. */
static int count_days(kh_facets *f, int cached, kh_facet_emit day, void *ctx)
{
    if (cached) {
        const facet_cache *c = f->copy;
        uint32_t *count = f->tally.day_count;
        int failed = 0;
        for (size_t i = 1; i <= c->n_days; i++) {
            if (count[i] && day && !failed) failed = day(ctx, c->days[i - 1], NULL, count[i]) != 0;
            count[i] = 0;
        }
        count[0] = 0;
        return failed ? -2 : 0;
    }
    /* CROSS JOIN walks the hits first: the planner, knowing nothing of the
     * temp table, would otherwise read every article and look it up */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(f->db,
                           "SELECT a.date, count(*) FROM temp.khabar_hits h CROSS JOIN articles a ON a.key = h.key"
                           " WHERE a.date IS NOT NULL GROUP BY a.date ORDER BY a.date",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc, failed = 0;
    while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW)
        failed = day(ctx, (const char *)sqlite3_column_text(st, 0), NULL, (size_t)sqlite3_column_int64(st, 1)) != 0;
    sqlite3_finalize(st);
    return failed ? -2 : rc == SQLITE_DONE ? 0 : -1;
}

int kh_facets_in_memory(kh_facets *f)
{
    int use, rc = use_cache(f, &use);
    if (rc) return rc;
    f->decided = use + 1;
    return use;
}

int kh_facets_count(kh_facets *f, const sqlite3_int64 *keys, size_t n_keys, kh_facet_emit entity, kh_facet_emit tag,
                    kh_facet_emit day, void *ctx)
{
    int cached = f->decided - 1, rc = 0;
    f->decided = 0;
    if (cached < 0 && (rc = use_cache(f, &cached))) return rc;
    if (keys && !cached) return -1; /* the caller was told to keep the hits in the table */
    if (cached) {
        if ((rc = count_from_cache(f, keys, n_keys))) return rc;
        rc = cached_top_entities(f->copy, &f->tally, entity, ctx);
        if (!rc) rc = cached_top_tags(f->copy, &f->tally, tag, ctx);
        /* the days are counted and cleared even when a list failed: left
         * counted, they would be added to the next search's */
        int days = count_days(f, 1, rc ? NULL : day, ctx);
        return rc ? rc : days;
    }
    if ((rc = run_tally(f, "SELECT khabar_tally(ae.entity) FROM temp.khabar_hits h"
                           " CROSS JOIN article_entities ae ON ae.article = h.key", 0)))
        return rc;
    sqlite3_int64 max = 0;
    for (size_t i = 0; i < f->touched_n; i++)
        if (f->touched[i] > max) max = f->touched[i];
    if (load_types(f, max)) return -1;
    for (int t = 0; t < 4; t++)
        if ((rc = top_entities(f, t, entity, ctx))) return rc;
    if ((rc = run_tally(f, "SELECT khabar_tally(t.norm, t.tag) FROM temp.khabar_hits h"
                           " CROSS JOIN article_tags t ON t.article = h.key", 1)))
        return rc;
    if ((rc = top_tags(f, tag, ctx))) return rc;
    return count_days(f, 0, day, ctx);
}
