/* Entities across the archive: the most named in a period, and one
 * entity's details (spellings, mentions per day, the entities it appears
 * with). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "archive_internal.h"

#define DEFAULT_LIMIT 20
#define WITH_TOP 10

struct khabar_entity_list {
    khabar_entity_stat *items;
    size_t n;
    char **strings;        /* every string the list owns */
    size_t n_strings, cap_strings;
    void **blocks;         /* every array the items point to */
    size_t n_blocks, cap_blocks;
    char *json;
};

static int own(khabar_entity_list *l, void *p, int is_string)
{
    if (!p) return -1;
    void ***arr = is_string ? (void ***)&l->strings : &l->blocks;
    size_t *n = is_string ? &l->n_strings : &l->n_blocks, *cap = is_string ? &l->cap_strings : &l->cap_blocks;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        void **b = realloc(*arr, c * sizeof *b);
        if (!b) { free(p); return -1; }
        *arr = b;
        *cap = c;
    }
    (*arr)[(*n)++] = p;
    return 0;
}

/* A copy of column i owned by the list; NULL for SQL NULL (and *failed set
 * when memory runs out). */
static const char *column(khabar_entity_list *l, sqlite3_stmt *s, int i, int *failed)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t) return NULL;
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    char *c = malloc(n + 1);
    if (c) { memcpy(c, t, n); c[n] = '\0'; }
    if (own(l, c, 1)) { *failed = 1; return NULL; }
    return c;
}

void khabar_entity_list_free(khabar_entity_list *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n_strings; i++) free(l->strings[i]);
    for (size_t i = 0; i < l->n_blocks; i++) free(l->blocks[i]);
    free(l->strings);
    free(l->blocks);
    free(l->items);
    free(l->json);
    free(l);
}

size_t khabar_entity_list_count(const khabar_entity_list *l) { return l ? l->n : 0; }

const khabar_entity_stat *khabar_entity_list_at(const khabar_entity_list *l, size_t i)
{
    return l && i < l->n ? &l->items[i] : NULL;
}

static int known_type(const char *t)
{
    return !strcmp(t, "PER") || !strcmp(t, "ORG") || !strcmp(t, "LOC") || !strcmp(t, "MISC");
}

/* Rows (id, name, type, en, articles, mentions, first, last) into the list;
 * the entity ids into *ids. */
static khabar_status read_stats(khabar_archive *ar, sqlite3_stmt *s, khabar_entity_list *l,
                                sqlite3_int64 **ids, khabar_error *err)
{
    size_t cap = 0;
    int rc, failed = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (l->n == cap) {
            cap = cap ? cap * 2 : 16;
            khabar_entity_stat *b = realloc(l->items, cap * sizeof *b);
            sqlite3_int64 *c = realloc(*ids, cap * sizeof *c);
            if (b) l->items = b;
            if (c) *ids = c;
            if (!b || !c) { failed = 1; break; }
        }
        khabar_entity_stat *e = &l->items[l->n];
        memset(e, 0, sizeof *e);
        (*ids)[l->n] = sqlite3_column_int64(s, 0);
        e->name = column(l, s, 1, &failed);
        e->type = column(l, s, 2, &failed);
        e->en = column(l, s, 3, &failed);
        e->articles = (size_t)sqlite3_column_int64(s, 4);
        e->mentions = (size_t)sqlite3_column_int64(s, 5);
        e->first_seen = column(l, s, 6, &failed);
        e->last_seen = column(l, s, 7, &failed);
        l->n++;
        if (failed) break;
    }
    sqlite3_finalize(s);
    if (failed) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return kh_archive_db_error(ar, err, "cannot read the entities");
    return KHABAR_OK;
}

#define STAT_COLUMNS                                                                     \
    "e.id, e.name, e.type, e.en, count(DISTINCT ae.article), sum(ae.mentions), min(a.date), max(a.date)"

khabar_status khabar_archive_entities(khabar_archive *ar, const khabar_entity_query *q,
                                      khabar_entity_list **out, khabar_error *err)
{
    if (!ar || !out) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_entities: NULL argument");
    *out = NULL;
    khabar_entity_query none = {0};
    if (!q) q = &none;
    if (q->type && !known_type(q->type))
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "unknown entity type '%s' (PER, ORG, LOC or MISC)", q->type);
    const char *bounds[2] = {q->from, q->to};
    for (int b = 0; b < 2; b++)
        if (bounds[b] && (strlen(bounds[b]) != 10 || !kh_archive_is_day(bounds[b], 10)))
            return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "the date '%s' is not YYYY-MM-DD", bounds[b]);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(kh_archive_db(ar),
                           "SELECT " STAT_COLUMNS " FROM article_entities ae"
                           " JOIN entities e ON e.id = ae.entity JOIN articles a ON a.key = ae.article"
                           " WHERE (?1 IS NULL OR e.type = ?1) AND (?2 IS NULL OR a.date >= ?2)"
                           " AND (?3 IS NULL OR a.date <= ?3)"
                           " GROUP BY ae.entity ORDER BY count(DISTINCT ae.article) DESC, sum(ae.mentions) DESC, e.name"
                           " LIMIT ?4",
                           -1, &s, NULL) != SQLITE_OK)
        return kh_archive_db_error(ar, err, "cannot read the entities");
    if (q->type) sqlite3_bind_text(s, 1, q->type, -1, SQLITE_STATIC);
    if (q->from) sqlite3_bind_text(s, 2, q->from, -1, SQLITE_STATIC);
    if (q->to) sqlite3_bind_text(s, 3, q->to, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)(q->limit ? q->limit : DEFAULT_LIMIT));
    khabar_entity_list *l = calloc(1, sizeof *l);
    if (!l) { sqlite3_finalize(s); return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory"); }
    sqlite3_int64 *ids = NULL;
    khabar_status st = read_stats(ar, s, l, &ids, err);
    free(ids);
    if (st) { khabar_entity_list_free(l); return st; }
    *out = l;
    return KHABAR_OK;
}

/* The details of entity `id` into e. */
static khabar_status details(khabar_archive *ar, khabar_entity_list *l, khabar_entity_stat *e,
                             sqlite3_int64 id, khabar_error *err)
{
    static const char *const sql[4] = {
        /* each spelling as most often written (its key when no row says) */
        "SELECT coalesce((SELECT w.written FROM article_spellings w WHERE w.entity = n.entity AND w.name = n.name"
        " AND w.written IS NOT NULL GROUP BY w.written ORDER BY sum(w.mentions) DESC, w.written LIMIT 1), n.name),"
        " coalesce(sum(s.mentions), 0) AS m FROM entity_names n"
        " LEFT JOIN article_spellings s ON s.entity = n.entity AND s.name = n.name"
        " WHERE n.entity = ?1 GROUP BY n.name ORDER BY m DESC, n.name",
        "SELECT a.date, sum(ae.mentions) FROM article_entities ae JOIN articles a ON a.key = ae.article"
        " WHERE ae.entity = ?1 AND a.date IS NOT NULL GROUP BY a.date ORDER BY a.date",
        "SELECT e.name, e.type, count(*) AS n FROM article_entities x"
        " JOIN article_entities y ON y.article = x.article AND y.entity != x.entity"
        " JOIN entities e ON e.id = y.entity WHERE x.entity = ?1"
        " GROUP BY y.entity ORDER BY n DESC, e.name LIMIT 10",
        "SELECT a.id, a.date, CAST(substr(CAST(a.text AS BLOB), q.start + 1, q.end - q.start) AS TEXT),"
        " q.start, q.end, q.direct FROM article_quotes q JOIN articles a ON a.key = q.article"
        " WHERE q.entity = ?1 ORDER BY a.date IS NULL, a.date DESC, a.key DESC, q.n LIMIT 20",
    };
    static const size_t sizes[4] = {sizeof(char *), sizeof(khabar_entity_day), sizeof(khabar_entity_ref),
                                    sizeof(khabar_entity_quote)};
    int failed = 0;
    size_t *counts = NULL;
    for (int k = 0; k < 4 && !failed; k++) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(kh_archive_db(ar), sql[k], -1, &s, NULL) != SQLITE_OK)
            return kh_archive_db_error(ar, err, "cannot read the entity");
        sqlite3_bind_int64(s, 1, id);
        size_t n = 0, cap = 0;
        void *arr = NULL;
        size_t size = sizes[k];
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                void *b = realloc(arr, cap * size);
                size_t *c = k == 0 ? realloc(counts, cap * sizeof *c) : counts;
                if (b) arr = b;
                if (c) counts = c;
                if (!b || (k == 0 && !c)) { failed = 1; break; }
            }
            if (k == 0) {
                ((const char **)arr)[n] = column(l, s, 0, &failed);
                counts[n] = (size_t)sqlite3_column_int64(s, 1);
            } else if (k == 3)
                ((khabar_entity_quote *)arr)[n] = (khabar_entity_quote){
                    column(l, s, 0, &failed), column(l, s, 1, &failed), column(l, s, 2, &failed),
                    (size_t)sqlite3_column_int64(s, 3), (size_t)sqlite3_column_int64(s, 4),
                    sqlite3_column_int(s, 5)};
            else if (k == 1)
                ((khabar_entity_day *)arr)[n] = (khabar_entity_day){column(l, s, 0, &failed),
                                                                     (size_t)sqlite3_column_int64(s, 1)};
            else
                ((khabar_entity_ref *)arr)[n] = (khabar_entity_ref){column(l, s, 0, &failed), column(l, s, 1, &failed),
                                                                     (size_t)sqlite3_column_int64(s, 2)};
            n++;
        }
        sqlite3_finalize(s);
        if (arr && own(l, arr, 0)) failed = 1;
        if (failed) break;
        if (rc != SQLITE_DONE) return kh_archive_db_error(ar, err, "cannot read the entity");
        if (k == 0) {
            e->variants = arr;
            e->variant_count = n;
            size_t *c = counts;
            counts = NULL;
            if (c && own(l, c, 0)) failed = 1;
            else e->variant_mentions = c;
        }
        else if (k == 1) { e->days = arr; e->day_count = n; }
        else if (k == 2) { e->with = arr; e->with_count = n; }
        else { e->quotes = arr; e->quote_count = n; }
    }
    free(counts);
    return failed ? kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory") : KHABAR_OK;
}

khabar_status khabar_archive_entity(khabar_archive *ar, const char *name, const char *type,
                                    khabar_entity_list **out, khabar_error *err)
{
    if (!ar || !name || !out) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_entity: NULL argument");
    *out = NULL;
    if (type && !known_type(type))
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "unknown entity type '%s' (PER, ORG, LOC or MISC)", type);
    size_t len;
    const char *norm = kh_archive_normalized(ar, name, strlen(name), &len);
    if (!norm) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(kh_archive_db(ar),
                           "SELECT " STAT_COLUMNS " FROM entity_names n JOIN entities e ON e.id = n.entity"
                           " JOIN article_entities ae ON ae.entity = e.id JOIN articles a ON a.key = ae.article"
                           " WHERE n.name = ?1 AND (?2 IS NULL OR e.type = ?2)"
                           " GROUP BY e.id ORDER BY count(DISTINCT ae.article) DESC, e.name",
                           -1, &s, NULL) != SQLITE_OK)
        return kh_archive_db_error(ar, err, "cannot read the entity");
    sqlite3_bind_text(s, 1, norm, (int)len, SQLITE_TRANSIENT);
    if (type) sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
    khabar_entity_list *l = calloc(1, sizeof *l);
    if (!l) { sqlite3_finalize(s); return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory"); }
    sqlite3_int64 *ids = NULL;
    khabar_status st = read_stats(ar, s, l, &ids, err);
    for (size_t i = 0; !st && i < l->n; i++) st = details(ar, l, &l->items[i], ids[i], err);
    free(ids);
    if (st) { khabar_entity_list_free(l); return st; }
    *out = l;
    return KHABAR_OK;
}

const char *khabar_entity_list_json(khabar_entity_list *l, size_t *len)
{
    if (!l) return NULL;
    if (!l->json) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
            const khabar_entity_stat *e = &l->items[i];
            json_t *o = json_object();
            if (!o) continue;
            json_object_set_new(o, "name", json_string(e->name));
            json_object_set_new(o, "type", json_string(e->type));
            json_object_set_new(o, "en", e->en ? json_string(e->en) : json_null());
            json_object_set_new(o, "articles", json_integer((json_int_t)e->articles));
            json_object_set_new(o, "mentions", json_integer((json_int_t)e->mentions));
            json_object_set_new(o, "first_seen", e->first_seen ? json_string(e->first_seen) : json_null());
            json_object_set_new(o, "last_seen", e->last_seen ? json_string(e->last_seen) : json_null());
            if (e->variants || e->days || e->with) {
                json_t *v = json_array(), *d = json_array(), *w = json_array();
                for (size_t k = 0; k < e->variant_count; k++)
                    json_array_append_new(v, json_pack("{sssI}", "name", e->variants[k], "mentions",
                                                       (json_int_t)e->variant_mentions[k]));
                for (size_t k = 0; k < e->day_count; k++)
                    json_array_append_new(d, json_pack("{sssI}", "date", e->days[k].date, "mentions",
                                                       (json_int_t)e->days[k].mentions));
                for (size_t k = 0; k < e->with_count; k++)
                    json_array_append_new(w, json_pack("{sssssI}", "name", e->with[k].name, "type", e->with[k].type,
                                                       "articles", (json_int_t)e->with[k].articles));
                json_object_set_new(o, "variants", v);
                json_object_set_new(o, "days", d);
                json_object_set_new(o, "with", w);
                json_t *qs = json_array();
                for (size_t k = 0; k < e->quote_count; k++) {
                    const khabar_entity_quote *q = &e->quotes[k];
                    json_array_append_new(qs, json_pack("{ssss?sssIsIsb}", "article", q->article, "date", q->date,
                                                        "text", q->text ? q->text : "", "start", (json_int_t)q->start,
                                                        "end", (json_int_t)q->end, "direct", q->direct));
                }
                json_object_set_new(o, "quotes", qs);
            }
            json_array_append_new(arr, o);
        }
        l->json = arr ? json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(arr);
        if (!l->json) return NULL;
    }
    if (len) *len = strlen(l->json);
    return l->json;
}

/* ---- linking an article's entities to the archive's ---- */

/* Candidates read for one key at most: a first name shared by thousands
 * of people's names (محمد) says little about which one is meant. */
#define KEY_CANDIDATES 200
/* Spellings of a candidate checked against the new name, at most. */
#define SPELLINGS_CHECKED 40
/* Names longer than this (bytes) get no one-letter-off keys (their cost
 * grows with the length squared). */
#define MISSPELLING_MAX_BYTES 160
#define MISSPELLING_LETTERS 8
/* Letters of a word a letter more or less may be a misspelling in. */
#define MISSPELLED_WORD 6
/* A word that begins this many persons' names is a first name. */
#define FIRST_NAME_USES 2

enum {
    LK_EXACT, LK_BY_NAME, LK_BY_KEY, LK_NAME_OF, LK_SPELLINGS, LK_ARTICLES, LK_NEW,
    LK_RENAME, LK_EN, LK_FIRST_NAMES, LK_NAME_ADD, LK_UNCOUNT, N_LK
};

static const char *const lk_sql[N_LK] = {
    "SELECT id FROM entities WHERE name = ?1 AND type = ?2",
    "SELECT n.entity FROM entity_names n JOIN entities e ON e.id = n.entity WHERE n.name = ?1 AND e.type = ?2",
    ("SELECT k.entity FROM entity_keys k JOIN entities e ON e.id = k.entity WHERE k.key = ?1 AND e.type = ?2"
     " LIMIT " KH_XSTR(KEY_CANDIDATES)),
    "SELECT name FROM entities WHERE id = ?1",
    ("SELECT name FROM entity_names WHERE entity = ?1 LIMIT " KH_XSTR(SPELLINGS_CHECKED)),
    "SELECT count(*) FROM article_entities WHERE entity = ?1",
    "INSERT INTO entities(name, type, en) VALUES(?1, ?2, ?3) RETURNING id",
    "UPDATE entities SET name = ?2 WHERE id = ?1",
    "UPDATE entities SET en = ?2 WHERE id = ?1 AND en IS NULL",
    "SELECT count(*) FROM entity_keys WHERE key = ?1",
    "INSERT OR IGNORE INTO entity_names(name, entity) VALUES(?1, ?2)",
    "SELECT entity FROM article_entities WHERE article = ?1",
};

/* Ids of entities above this (and above 4 times their number) are not
 * kept in memory: the copy is an array indexed by id. */
#define MEMORY_IDS 50000000
#define MEMORY_TYPES 16

typedef struct mem_entity {
    size_t name_at, name_len;  /* entities.name, in the copy's pool */
    int type;                  /* in types[]; -1: no such entity */
    int en;                    /* entities.en is set */
    sqlite3_int64 articles;    /* its rows in article_entities */
    uint32_t *spellings;       /* its entity_names, entries of `names`, in SQLite's order of names */
    uint32_t n_spellings, cap_spellings;
} mem_entity;

/* The writer's copy of what the linker looks up for every name:
 * entities, entity_names and entity_keys, and articles per entity. */
typedef struct linker_memory {
    kh_idmap *exact;           /* type, NUL, name: entities' UNIQUE(name, type) */
    kh_idmap *names;           /* entity_names */
    kh_idmap *keys;            /* entity_keys */
    mem_entity *ents;          /* by id */
    size_t n_ents;
    char *pool;
    size_t pool_len, pool_cap;
    char types[MEMORY_TYPES][16];
    int n_types;
} linker_memory;

typedef struct link_cand {
    sqlite3_int64 id;
    khabar_name_relation rel;
} link_cand;

struct kh_linker {
    khabar_archive *ar;
    sqlite3 *db;
    const khabar_model *model;
    sqlite3_stmt *st[N_LK];
    link_cand *cands;
    size_t n_cands, cap_cands;
    char *key, *form;        /* the name's normal form; a form made from it */
    size_t key_cap, form_cap;
    int use_memory;
    linker_memory *mem;      /* built at the first lookup when use_memory */
    int mem_failed;          /* the build failed: lookups go to SQL until the next forget */
    char *exact_key;         /* type, NUL, name */
    size_t exact_cap;
    /* the forms of a name being indexed, stored together */
    char *forms;
    size_t forms_len, forms_cap;
    size_t *form_ends;
    size_t n_forms, cap_forms;
    kh_rows keys_insert;
};

kh_linker *kh_linker_new(khabar_archive *ar)
{
    kh_linker *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->ar = ar;
    l->db = kh_archive_db(ar);
    l->model = kh_archive_model(ar);
    l->keys_insert = (kh_rows){"INSERT OR IGNORE INTO entity_keys(key, entity) VALUES", 2, NULL, {NULL}};
    return l;
}

static void memory_free(linker_memory *m)
{
    if (!m) return;
    kh_idmap_free(m->exact);
    kh_idmap_free(m->names);
    kh_idmap_free(m->keys);
    for (size_t i = 0; i < m->n_ents; i++) free(m->ents[i].spellings);
    free(m->ents);
    free(m->pool);
    free(m);
}

void kh_linker_forget(kh_linker *l)
{
    if (!l) return;
    memory_free(l->mem);
    l->mem = NULL;
    l->mem_failed = 0;
}

void kh_linker_use_memory(kh_linker *l, int on)
{
    if (!l) return;
    if (!on) kh_linker_forget(l);
    l->use_memory = on;
}

void kh_linker_free(kh_linker *l)
{
    if (!l) return;
    kh_linker_forget(l);
    kh_rows_finalize(&l->keys_insert);
    free(l->forms);
    free(l->form_ends);
    free(l->exact_key);
    for (int i = 0; i < N_LK; i++) sqlite3_finalize(l->st[i]);
    free(l->cands);
    free(l->key);
    free(l->form);
    free(l);
}

void kh_linker_reset(kh_linker *l)
{
    if (!l) return;
    for (int i = 0; i < N_LK; i++)
        if (l->st[i]) sqlite3_reset(l->st[i]);
    kh_rows_reset(&l->keys_insert);
}

static sqlite3_stmt *lk(kh_linker *l, int which)
{
    return kh_cached_statement(l->db, &l->st[which], lk_sql[which]);
}

static int grow(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap) return 0;
    char *b = realloc(*buf, need);
    if (!b) return -1;
    *buf = b;
    *cap = need;
    return 0;
}

/* ---- the linker's copy in memory ---- */

static mem_entity *mem_entity_of(linker_memory *m, sqlite3_int64 id)
{
    return id >= 0 && (size_t)id < m->n_ents && m->ents[id].type >= 0 ? &m->ents[id] : NULL;
}

/* Makes room for entity `id`; 0 or -1. */
static int mem_room(linker_memory *m, sqlite3_int64 id)
{
    if (id < 0 || id > MEMORY_IDS) return -1;
    if ((size_t)id < m->n_ents) return 0;
    size_t n = 2 * (size_t)id + 1024;
    mem_entity *b = realloc(m->ents, n * sizeof *b);
    if (!b) return -1;
    for (size_t i = m->n_ents; i < n; i++) b[i] = (mem_entity){0, 0, -1, 0, 0, NULL, 0, 0};
    m->ents = b;
    m->n_ents = n;
    return 0;
}

static int mem_type(linker_memory *m, const char *type)
{
    for (int i = 0; i < m->n_types; i++)
        if (!strcmp(m->types[i], type)) return i;
    if (m->n_types == MEMORY_TYPES || strlen(type) >= sizeof m->types[0]) return -1;
    strcpy(m->types[m->n_types], type);
    return m->n_types++;
}

static int mem_set_name(linker_memory *m, mem_entity *e, const char *name, size_t n)
{
    if (m->pool_len + n > m->pool_cap && grow(&m->pool, &m->pool_cap, 2 * (m->pool_len + n) + 4096)) return -1;
    memcpy(m->pool + m->pool_len, name, n);
    e->name_at = m->pool_len;
    e->name_len = n;
    m->pool_len += n;
    return 0;
}

/* type, NUL, name into l->exact_key: the key of `exact`. */
static const char *exact_key(kh_linker *l, const char *type, const char *name, size_t n, size_t *len)
{
    size_t t = strlen(type);
    if (grow(&l->exact_key, &l->exact_cap, t + 1 + n)) return NULL;
    memcpy(l->exact_key, type, t + 1);
    memcpy(l->exact_key + t + 1, name, n);
    *len = t + 1 + n;
    return l->exact_key;
}

/* SQLite's BINARY order of two texts. */
static int binary_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

/* The spelling (entry of `names`) among the entity's, in order. */
static int mem_add_spelling(linker_memory *m, mem_entity *e, size_t entry)
{
    if (e->n_spellings == e->cap_spellings) {
        uint32_t c = e->cap_spellings ? 2 * e->cap_spellings : 4;
        uint32_t *b = realloc(e->spellings, c * sizeof *b);
        if (!b) return -1;
        e->spellings = b;
        e->cap_spellings = c;
    }
    size_t n, at = e->n_spellings;
    const char *x = kh_idmap_key(m->names, entry, &n);
    while (at > 0) {
        size_t yn;
        const char *y = kh_idmap_key(m->names, e->spellings[at - 1], &yn);
        if (binary_cmp(y, yn, x, n) <= 0) break;
        at--;
    }
    memmove(e->spellings + at + 1, e->spellings + at, (e->n_spellings - at) * sizeof *e->spellings);
    e->spellings[at] = (uint32_t)entry;
    e->n_spellings++;
    return 0;
}

/* Reads the copy from the database (in the caller's transaction, so with
 * its own writes); NULL on failure (the linker then asks SQLite). */
static linker_memory *memory_build(kh_linker *l)
{
    linker_memory *m = calloc(1, sizeof *m);
    if (!m || !(m->exact = kh_idmap_new()) || !(m->names = kh_idmap_new()) || !(m->keys = kh_idmap_new())) {
        memory_free(m);
        return NULL;
    }
    static const char *const sql[4] = {
        "SELECT id, name, type, en IS NOT NULL FROM entities",
        "SELECT name, entity FROM entity_names ORDER BY name, entity",
        "SELECT key, entity FROM entity_keys ORDER BY key, entity",
        "SELECT entity, count(*) FROM article_entities GROUP BY entity",
    };
    int failed = 0;
    for (int q = 0; q < 4 && !failed; q++) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(l->db, sql[q], -1, &s, NULL) != SQLITE_OK) { failed = 1; break; }
        int rc;
        while (!failed && (rc = sqlite3_step(s)) == SQLITE_ROW) {
            int name_col = q == 0 ? 1 : 0; /* and the entity's: q == 0 ? 0 : 1 */
            const char *text = q == 3 ? NULL : (const char *)sqlite3_column_text(s, name_col);
            size_t n = (size_t)sqlite3_column_bytes(s, name_col);
            sqlite3_int64 id = sqlite3_column_int64(s, !name_col);
            if (q == 0) {
                const char *type = (const char *)sqlite3_column_text(s, 2);
                size_t len;
                const char *k;
                int t = type ? mem_type(m, type) : -1;
                if (!text || t < 0 || mem_room(m, id) || mem_set_name(m, &m->ents[id], text, n) ||
                    !(k = exact_key(l, type, text, n, &len)) || kh_idmap_add(m->exact, k, len, id, NULL) < 0) {
                    failed = 1;
                    break;
                }
                m->ents[id].type = t;
                m->ents[id].en = sqlite3_column_int(s, 3);
            } else if (q == 3) {
                mem_entity *e = mem_entity_of(m, sqlite3_column_int64(s, 0));
                if (e) e->articles = sqlite3_column_int64(s, 1);
            } else {
                size_t entry;
                if (!text || kh_idmap_add(q == 1 ? m->names : m->keys, text, n, id, &entry) < 0) { failed = 1; break; }
                mem_entity *e = q == 1 ? mem_entity_of(m, id) : NULL;
                if (e && mem_add_spelling(m, e, entry)) failed = 1;
            }
        }
        if (!failed && rc != SQLITE_DONE) failed = 1;
        sqlite3_finalize(s);
    }
    if (failed) {
        memory_free(m);
        return NULL;
    }
    return m;
}

/* The copy when it is to be used (built now if need be), else NULL. */
static linker_memory *memory(kh_linker *l)
{
    if (!l->use_memory || l->mem_failed) return NULL;
    /* a build that failed (no memory, an id too large for the copy) is not
     * tried again at every lookup: each try reads every entity */
    if (!l->mem && !(l->mem = memory_build(l))) l->mem_failed = 1;
    return l->mem;
}

/* After a change to the database that the copy could not follow (no
 * memory): it is read again at the next lookup. */
static void memory_lost(kh_linker *l) { kh_linker_forget(l); }

/* The normal form of s (as entity_names holds names) into l->key. */
static int normal_key(kh_linker *l, const char *s, size_t *len)
{
    size_t n;
    const char *norm = kh_archive_normalized(l->ar, s, strlen(s), &n);
    if (!norm || grow(&l->key, &l->key_cap, n + 1)) return -1;
    memcpy(l->key, norm, n);
    l->key[n] = '\0';
    *len = n;
    return 0;
}

/* Adds id as a candidate unless it is one: 0 or -1. */
static int add_candidate(kh_linker *l, sqlite3_int64 id)
{
    for (size_t i = 0; i < l->n_cands; i++)
        if (l->cands[i].id == id) return 0;
    link_cand *b = kh_room(l->cands, l->n_cands, &l->cap_cands, sizeof *b, 32);
    if (!b) return -1;
    l->cands = b;
    l->cands[l->n_cands++] = (link_cand){id, KHABAR_NAMES_DIFFERENT};
    return 0;
}

/* Adds the entities a statement gives (its first column) as candidates. */
static int take_candidates(kh_linker *l, sqlite3_stmt *s)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (add_candidate(l, sqlite3_column_int64(s, 0))) return sqlite3_reset(s), -1;
    return rc == SQLITE_DONE ? 0 : -1;
}

static int lookup(kh_linker *l, int which, const char *key, size_t n, const char *type)
{
    linker_memory *m = memory(l);
    if (m) {
        /* as the statements give them: ascending ids of entities of the
         * type, at most KEY_CANDIDATES of them by a key */
        size_t count, taken = 0, most = which == LK_BY_KEY ? (size_t)KEY_CANDIDATES : SIZE_MAX;
        const sqlite3_int64 *ids = kh_idmap_get(which == LK_BY_KEY ? m->keys : m->names, key, n, &count);
        int t = mem_type(m, type);
        for (size_t i = 0; i < count && taken < most; i++) {
            const mem_entity *e = mem_entity_of(m, ids[i]);
            if (!e || e->type != t) continue;
            taken++;
            if (add_candidate(l, ids[i])) return -1;
        }
        return 0;
    }
    sqlite3_stmt *s = lk(l, which);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, key, (int)n, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
    return take_candidates(l, s);
}

/* Calls f with each form made from the key: the key with ئ written ي and
 * ؤ written و (قائد السبسي, قايد السبسي: khabar_entity_names_relate
 * tells whether they are one); for a name of several words its last
 * words, each word and its first words; for a long name, the name less
 * one letter (a misspelling of it, or it of another). */
static int each_form(kh_linker *l, const char *key, size_t n, int person,
                     int (*f)(kh_linker *, const char *, size_t, void *), void *ctx)
{
    if (grow(&l->form, &l->form_cap, n + 1)) return -1;
    size_t len = 0;
    if (khabar_normalize(key, n, KHABAR_FOLD_HAMZA_SEAT, l->form, n, &len, NULL) == KHABAR_OK && len == n &&
        memcmp(l->form, key, n) && f(l, l->form, n, ctx))
        return -1;
    if (person && memchr(key, ' ', n)) {
        for (size_t i = 0; i < n;) {
            size_t e = i;
            while (e < n && key[e] != ' ') e++;
            if (f(l, key + i, e - i, ctx)) return -1;           /* a word */
            if (!i && f(l, key, e + 1, ctx)) return -1;         /* the first, and a space */
            if (i && f(l, key + i, n - i, ctx)) return -1;      /* the last words */
            if (e < n && i && f(l, key, e, ctx)) return -1;    /* the first words */
            i = e + 1;
        }
    }
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) letters += ((unsigned char)key[i] & 0xC0) != 0x80 && key[i] != ' ';
    if (n > MISSPELLING_MAX_BYTES || letters < MISSPELLING_LETTERS) return 0;
    for (size_t i = 0; i < n;) {
        size_t k = 1;
        while (i + k < n && ((unsigned char)key[i + k] & 0xC0) == 0x80) k++;
        if (key[i] != ' ') {
            memcpy(l->form, key, i);
            memcpy(l->form + i, key + i + k, n - i - k);
            if (f(l, l->form, n - k, ctx)) return -1;
        }
        i += k;
    }
    return 0;
}

static int look_up_form(kh_linker *l, const char *form, size_t n, void *ctx)
{
    return lookup(l, LK_BY_NAME, form, n, ctx); /* ctx: the type's name */
}

/* Keeps a form for store_forms. */
static int keep_form(kh_linker *l, const char *form, size_t n, void *ctx)
{
    (void)ctx;
    size_t *b = kh_room(l->form_ends, l->n_forms, &l->cap_forms, sizeof *b, 64);
    if (!b) return -1;
    l->form_ends = b;
    if (l->forms_len + n > l->forms_cap && grow(&l->forms, &l->forms_cap, 2 * (l->forms_len + n) + 256)) return -1;
    memcpy(l->forms + l->forms_len, form, n);
    l->forms_len += n;
    l->form_ends[l->n_forms++] = l->forms_len;
    return 0;
}

/* The kept forms as the entity's keys. */
static int store_forms(kh_linker *l, sqlite3_int64 entity)
{
    for (size_t f = 0; f < l->n_forms;) {
        unsigned k = kh_rows_fit(l->n_forms - f);
        sqlite3_stmt *s = kh_rows_statement(l->db, &l->keys_insert, k);
        if (!s) return -1;
        for (size_t i = 0; i < (size_t)1 << k; i++, f++) {
            size_t start = f ? l->form_ends[f - 1] : 0;
            sqlite3_bind_text(s, (int)(2 * i + 1), l->forms + start, (int)(l->form_ends[f] - start), SQLITE_STATIC);
            sqlite3_bind_int64(s, (int)(2 * i + 2), entity);
            if (l->mem && kh_idmap_add(l->mem->keys, l->forms + start, l->form_ends[f] - start, entity, NULL) < 0)
                memory_lost(l);
        }
        if (sqlite3_step(s) != SQLITE_DONE) return -1;
    }
    return 0;
}

/* The forms of an entity's name by which later names find it. */
static int index_name(kh_linker *l, sqlite3_int64 entity, const char *name, khabar_entity_type type)
{
    size_t n;
    if (normal_key(l, name, &n)) return -1;
    l->n_forms = l->forms_len = 0;
    return each_form(l, l->key, n, type == KHABAR_ENTITY_PER, keep_form, NULL) || store_forms(l, entity) ? -1 : 0;
}

static sqlite3_int64 int_of(kh_linker *l, int which, sqlite3_int64 id)
{
    linker_memory *m = which == LK_ARTICLES ? memory(l) : NULL;
    if (m) {
        const mem_entity *e = mem_entity_of(m, id);
        return e ? e->articles : 0;
    }
    sqlite3_stmt *s = lk(l, which);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_int64 v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    return v;
}

static int words(const char *s)
{
    int n = 1;
    for (; *s; s++) n += *s == ' ';
    return n;
}

/* Where the shorter of two names stands in the longer: 1 when it is its
 * first words before the lineage (محمد بن سلمان of محمد بن سلمان بن عبد
 * العزيز), 2 when its last words (أوباما، قايد السبسي), 0 when neither
 * (within an article any one word of a name may stand for it; across
 * articles a first name alone is too many people's). */
static int shortened_where(const char *a, size_t an, const char *b, size_t bn)
{
    if (an > bn) return shortened_where(b, bn, a, an);
    if (an + 1 >= bn) return 0;
    if (b[an] == ' ' && !memcmp(a, b, an) && memchr(a, ' ', an)) return 1;
    return b[bn - an - 1] == ' ' && !memcmp(a, b + bn - an, an) ? 2 : 0;
}

/* Whether the word in which two names one letter apart differ has
 * MISSPELLED_WORD letters or more in the shorter name: across articles a
 * letter more or less in a short word is most often another name (محمد
 * and حمد المغلوث, جامعة and جامع الملك فهد, الفرج and المفرج). */
static int misspelled_long_word(const char *a, size_t an, const char *b, size_t bn)
{
    if (an > bn) return misspelled_long_word(b, bn, a, an);
    size_t i = 0;
    while (i < an && a[i] == b[i]) i++;
    size_t start = i;
    while (start > 0 && a[start - 1] != ' ') start--;
    size_t end = start;
    while (end < an && a[end] != ' ') end++;
    size_t letters = 0;
    for (size_t k = start; k < end; k++) letters += ((unsigned char)a[k] & 0xC0) != 0x80;
    return letters >= MISSPELLED_WORD;
}

/* Person's names that begin with this word (stored as the word and a
 * space): a word that is the first name of several (محمد، يوسف، سليمان)
 * is no family name to link a name to across articles. */
static sqlite3_int64 first_name_uses(kh_linker *l, const char *w, size_t n)
{
    if (grow(&l->form, &l->form_cap, n + 2)) return -1;
    memcpy(l->form, w, n);
    l->form[n] = ' ';
    linker_memory *m = memory(l);
    if (m) {
        size_t count;
        kh_idmap_get(m->keys, l->form, n + 1, &count);
        return (sqlite3_int64)count;
    }
    sqlite3_stmt *s = lk(l, LK_FIRST_NAMES);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, l->form, (int)n + 1, SQLITE_STATIC);
    sqlite3_int64 v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    return v;
}

/* One of a candidate's spellings, x, against the new name: 1 when it
 * decides *rel, 0 to go on, -1 on failure. */
static int judge_spelling(kh_linker *l, const khabar_entity *e, const char *key, size_t kn, const char *x, size_t xn,
                          khabar_name_relation *rel)
{
    khabar_name_relation r = KHABAR_NAMES_SAME;
    if ((xn != kn || memcmp(x, key, kn)) && khabar_entity_names_relate(l->model, e->type, key, kn, x, xn, &r, NULL))
        return -1;
    if (r == KHABAR_NAMES_MISSPELLED && misspelled_long_word(key, kn, x, xn)) r = KHABAR_NAMES_SAME;
    if (e->type == KHABAR_ENTITY_PER) {
        if (r == KHABAR_NAMES_DIFFERENT && memchr(x, ' ', xn)) {
            *rel = KHABAR_NAMES_DIFFERENT; /* هيلاري كلينتون is not بيل كلينتون */
            return 1;
        }
    } else if (r == KHABAR_NAMES_SAME) {
        *rel = r;
        return 1;
    }
    return 0;
}

/* How the new name (`key`, its normal form) relates to candidate `id`.
 * A person's name is judged against the entity's name (its spellings
 * include shortened forms, which say nothing of other people), and is
 * never linked to an entity it is told apart from by one of its full
 * names; other names against every spelling. */
static int relate(kh_linker *l, const khabar_entity *e, const char *key, size_t kn, sqlite3_int64 id,
                  khabar_name_relation *rel)
{
    int person = e->type == KHABAR_ENTITY_PER, several = memchr(key, ' ', kn) != NULL;
    *rel = KHABAR_NAMES_DIFFERENT;
    linker_memory *m = memory(l);
    if (person) {
        sqlite3_stmt *s = NULL;
        const char *name;
        size_t name_len;
        const mem_entity *me = m ? mem_entity_of(m, id) : NULL;
        if (m) {
            if (!me) return -1;
            name = m->pool + me->name_at;
            name_len = me->name_len;
        } else {
            if (!(s = lk(l, LK_NAME_OF))) return -1;
            sqlite3_bind_int64(s, 1, id);
            if (sqlite3_step(s) != SQLITE_ROW) return sqlite3_reset(s), -1;
            name = (const char *)sqlite3_column_text(s, 0);
            name_len = (size_t)sqlite3_column_bytes(s, 0);
        }
        size_t xn;
        const char *x = kh_archive_normalized(l->ar, name, name_len, &xn);
        khabar_status st = x ? khabar_entity_names_relate(l->model, e->type, key, kn, x, xn, rel, NULL)
                             : KHABAR_ERROR_MEMORY;
        if (!st && *rel == KHABAR_NAMES_MISSPELLED)
            *rel = misspelled_long_word(key, kn, x, xn) ? KHABAR_NAMES_SAME : KHABAR_NAMES_UNTOLD;
        if (s) sqlite3_reset(s);
        if (st) return -1;
        if (*rel == KHABAR_NAMES_SHORTER || *rel == KHABAR_NAMES_LONGER) {
            const char *shorter = *rel == KHABAR_NAMES_SHORTER ? key : x;
            size_t sn = *rel == KHABAR_NAMES_SHORTER ? kn : xn;
            int where = shortened_where(key, kn, x, xn);
            if (!where) *rel = KHABAR_NAMES_UNTOLD;
            else if (where == 2) {
                /* the last words of a name that begin with a first name
                 * (محمد حسين of فاتن محمد حسين) are another's name */
                const char *sp = memchr(shorter, ' ', sn);
                sqlite3_int64 uses = first_name_uses(l, shorter, sp ? (size_t)(sp - shorter) : sn);
                if (uses < 0) return -1;
                if (uses >= FIRST_NAME_USES) *rel = KHABAR_NAMES_UNTOLD;
            }
        }
        if (*rel == KHABAR_NAMES_DIFFERENT || *rel == KHABAR_NAMES_UNTOLD || !several) return 0;
    }
    if (m) {
        const mem_entity *me = mem_entity_of(m, id);
        size_t most = (size_t)SPELLINGS_CHECKED;
        for (size_t i = 0; me && i < me->n_spellings && i < most; i++) {
            size_t xn;
            const char *x = kh_idmap_key(m->names, me->spellings[i], &xn);
            int j = judge_spelling(l, e, key, kn, x, xn, rel);
            if (j) return j < 0 ? -1 : 0;
        }
        return 0;
    }
    sqlite3_stmt *s = lk(l, LK_SPELLINGS);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc = SQLITE_DONE, j = 0;
    while (!j && (rc = sqlite3_step(s)) == SQLITE_ROW)
        j = judge_spelling(l, e, key, kn, (const char *)sqlite3_column_text(s, 0), (size_t)sqlite3_column_bytes(s, 0),
                           rel);
    sqlite3_reset(s);
    return j < 0 || (!j && rc != SQLITE_DONE) ? -1 : 0;
}

int kh_linker_entity(kh_linker *l, const khabar_entity *e, sqlite3_int64 *id)
{
    const char *type = khabar_entity_type_name(e->type);
    linker_memory *m = memory(l);
    sqlite3_stmt *s;
    int rc;
    if (m) {
        size_t kl = 0, count;
        const char *k = exact_key(l, type, e->name, strlen(e->name), &kl);
        if (!k) return -1;
        const sqlite3_int64 *ids = kh_idmap_get(m->exact, k, kl, &count);
        if (count) {
            *id = ids[0];
            goto found;
        }
    } else {
        if (!(s = lk(l, LK_EXACT))) return -1;
        sqlite3_bind_text(s, 1, e->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *id = sqlite3_column_int64(s, 0);
            sqlite3_reset(s);
            goto found;
        }
        if (rc != SQLITE_DONE) return -1;
    }
    /* candidates: entities seen under one of its spellings, under a form of
     * its name, or having its name as a form of theirs */
    l->n_cands = 0;
    size_t n;
    for (size_t v = 0; v <= e->variant_count; v++) {
        if (normal_key(l, v ? e->variants[v - 1] : e->name, &n) || lookup(l, LK_BY_NAME, l->key, n, type))
            return -1;
    }
    if (normal_key(l, e->name, &n) || lookup(l, LK_BY_KEY, l->key, n, type) ||
        each_form(l, l->key, n, e->type == KHABAR_ENTITY_PER, look_up_form, (void *)type))
        return -1;
    sqlite3_int64 best = 0, best_articles = -1;
    khabar_name_relation best_rel = KHABAR_NAMES_DIFFERENT;
    for (size_t i = 0; i < l->n_cands; i++) {
        khabar_name_relation r;
        if (relate(l, e, l->key, n, l->cands[i].id, &r)) return -1;
        if (r == KHABAR_NAMES_DIFFERENT || r == KHABAR_NAMES_UNTOLD) continue;
        sqlite3_int64 articles = int_of(l, LK_ARTICLES, l->cands[i].id);
        if (articles > best_articles) {
            best = l->cands[i].id;
            best_articles = articles;
            best_rel = r;
        }
    }
    if (best_articles >= 0) {
        *id = best;
        /* the entity is named by the fullest form of a person's name */
        if (best_rel == KHABAR_NAMES_LONGER) {
            int rename;
            mem_entity *me = m ? mem_entity_of(m, best) : NULL;
            size_t old_len = 0;
            if (m) {
                /* the old name, NUL-terminated in the pool's spare room */
                if (!me || grow(&m->pool, &m->pool_cap, m->pool_len + me->name_len + 1)) return -1;
                old_len = me->name_len;
                memcpy(m->pool + m->pool_len, m->pool + me->name_at, old_len);
                m->pool[m->pool_len + old_len] = '\0';
                rename = words(e->name) > words(m->pool + m->pool_len);
            } else {
                if (!(s = lk(l, LK_NAME_OF))) return -1;
                sqlite3_bind_int64(s, 1, best);
                rename = sqlite3_step(s) == SQLITE_ROW && words(e->name) > words((const char *)sqlite3_column_text(s, 0));
                sqlite3_reset(s);
            }
            if (rename) {
                s = lk(l, LK_RENAME);
                if (!s) return -1;
                sqlite3_bind_int64(s, 1, best);
                sqlite3_bind_text(s, 2, e->name, -1, SQLITE_STATIC);
                rc = sqlite3_step(s);
                /* another entity has that name and type: keep this one's */
                if (rc != SQLITE_DONE && sqlite3_errcode(l->db) != SQLITE_CONSTRAINT) return -1;
                if (rc == SQLITE_DONE && l->mem) {
                    size_t kl = 0;
                    const char *k = exact_key(l, type, m->pool + me->name_at, old_len, &kl);
                    if (!k) return -1;
                    kh_idmap_remove(m->exact, k, kl, best);
                    if (!(k = exact_key(l, type, e->name, strlen(e->name), &kl)) ||
                        kh_idmap_add(m->exact, k, kl, best, NULL) < 0 || mem_set_name(m, me, e->name, strlen(e->name)))
                        memory_lost(l);
                }
                if (rc == SQLITE_DONE && index_name(l, best, e->name, e->type)) return -1;
            }
        }
        goto found;
    }
    s = lk(l, LK_NEW);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
    if (e->en) sqlite3_bind_text(s, 3, e->en, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) return -1;
    *id = sqlite3_column_int64(s, 0);
    if (sqlite3_step(s) != SQLITE_DONE) return -1;
    if (l->mem) {
        size_t kl = 0;
        const char *k = exact_key(l, type, e->name, strlen(e->name), &kl);
        int t = mem_type(m, type);
        if (!k || t < 0 || mem_room(m, *id) || kh_idmap_add(m->exact, k, kl, *id, NULL) < 0 ||
            mem_set_name(m, &m->ents[*id], e->name, strlen(e->name)))
            memory_lost(l);
        else
            m->ents[*id] = (mem_entity){m->ents[*id].name_at, m->ents[*id].name_len, t, e->en != NULL, 0, NULL, 0, 0};
    }
    return index_name(l, *id, e->name, e->type);
found:
    if (!e->en) return 0;
    mem_entity *me = l->mem ? mem_entity_of(l->mem, *id) : NULL;
    if (me && me->en) return 0; /* the statement would change nothing */
    s = lk(l, LK_EN);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, *id);
    sqlite3_bind_text(s, 2, e->en, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) return -1;
    if (me) me->en = 1;
    return 0;
}

int kh_linker_add_name(kh_linker *l, sqlite3_int64 entity, const char *norm, size_t len)
{
    linker_memory *m = memory(l);
    if (m) {
        size_t count;
        const sqlite3_int64 *ids = kh_idmap_get(m->names, norm, len, &count);
        for (size_t i = 0; i < count; i++)
            if (ids[i] == entity) return 0; /* stored: INSERT OR IGNORE would do nothing */
    }
    sqlite3_stmt *s = lk(l, LK_NAME_ADD);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, norm, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, entity);
    if (sqlite3_step(s) != SQLITE_DONE) return -1;
    if (l->mem) {
        size_t entry;
        mem_entity *e = mem_entity_of(m, entity);
        int added = kh_idmap_add(m->names, norm, len, entity, &entry);
        if (added < 0 || (added == 0 && e && mem_add_spelling(m, e, entry))) memory_lost(l);
    }
    return 0;
}

void kh_linker_counted(kh_linker *l, sqlite3_int64 entity)
{
    mem_entity *e = l->mem ? mem_entity_of(l->mem, entity) : NULL;
    if (e) e->articles++;
}

int kh_linker_uncount(kh_linker *l, sqlite3_int64 key)
{
    if (!l->mem) return 0;
    sqlite3_stmt *s = lk(l, LK_UNCOUNT);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, key);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        mem_entity *e = mem_entity_of(l->mem, sqlite3_column_int64(s, 0));
        if (e) e->articles--;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

int kh_linker_index_all(kh_linker *l)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(l->db, "SELECT id, name, type FROM entities ORDER BY id", -1, &s, NULL) != SQLITE_OK)
        return -1;
    int rc, failed = 0;
    while (!failed && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 2);
        failed = index_name(l, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
                            t && !strcmp(t, "PER") ? KHABAR_ENTITY_PER : KHABAR_ENTITY_MISC) != 0;
    }
    sqlite3_finalize(s);
    return failed || rc != SQLITE_DONE ? -1 : 0;
}
