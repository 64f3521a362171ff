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
        "SELECT n.name, coalesce(sum(s.mentions), 0) AS m FROM entity_names n"
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
