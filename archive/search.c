/* Searching the archive: hits ranked by BM25, snippets with the matched
 * words' offsets, facets over all hits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "archive_internal.h"
#include "fts5_khabar.h"

/* Snippets: about this many bytes of text, from a little before the
 * matched words. */
#define SNIPPET_BYTES 240
#define SNIPPET_LEAD 60
#define MAX_FILTERS 64

struct khabar_results {
    size_t total;
    khabar_hit *hits;
    size_t n_hits;
    khabar_facet *facets;
    size_t n_facets, facets_cap;
    int has_facets;
    char *json;
};

/* ---- the SQL of a search ---- */

typedef struct sql_text {
    char *s;
    size_t len, cap;
    int failed;
    const char *params[MAX_FILTERS]; /* bound in order as ?1, ?2 ... */
    size_t param_len[MAX_FILTERS];
    int n_params;
    const char *key;    /* the hit's key in the statement: f.rowid or a.key */
} sql_text;

static void add(sql_text *q, const char *s)
{
    size_t n = strlen(s);
    if (q->failed) return;
    if (q->len + n + 1 > q->cap) {
        size_t cap = (q->len + n + 1) * 2 + 256;
        char *b = realloc(q->s, cap);
        if (!b) { q->failed = 1; return; }
        q->s = b;
        q->cap = cap;
    }
    memcpy(q->s + q->len, s, n + 1);
    q->len += n;
}

/* Appends "?N" for a new parameter holding s[0..n). */
static void param(sql_text *q, const char *s, size_t n)
{
    if (q->n_params >= MAX_FILTERS) { q->failed = 1; return; }
    q->params[q->n_params] = s;
    q->param_len[q->n_params] = n;
    char tmp[16];
    snprintf(tmp, sizeof tmp, "?%d", ++q->n_params);
    add(q, tmp);
}

static int bind_params(sqlite3_stmt *s, const sql_text *q)
{
    for (int i = 0; i < q->n_params; i++)
        if (sqlite3_bind_text(s, i + 1, q->params[i], (int)q->param_len[i], SQLITE_TRANSIENT) != SQLITE_OK)
            return -1;
    return 0;
}

static int known_type(const char *t)
{
    return !strcmp(t, "PER") || !strcmp(t, "ORG") || !strcmp(t, "LOC") || !strcmp(t, "MISC");
}

/* Normalised copies of the names filtered on, kept for the statement. */
typedef struct names {
    char *s[2 * MAX_FILTERS];
    size_t n;
} names;

static void names_free(names *nm)
{
    for (size_t i = 0; i < nm->n; i++) free(nm->s[i]);
}

static char *keep_normalized(khabar_archive *ar, names *nm, const char *s)
{
    size_t len;
    const char *norm = kh_archive_normalized(ar, s, strlen(s), &len);
    if (!norm || nm->n >= 2 * MAX_FILTERS) return NULL;
    char *copy = malloc(len + 1);
    if (!copy) return NULL;
    memcpy(copy, norm, len);
    copy[len] = '\0';
    return nm->s[nm->n++] = copy;
}

/* "FROM ... WHERE ..." of the hits: the FTS match (when there is a query)
 * and every filter.  The articles table is joined when the caller reads it
 * (`with_articles`) or a date filters: counting the hits of a query then
 * reads the FTS index alone, not a row of every hit.
 * With a query, a filter's articles are never handed to FTS5 as rowids to
 * look up one by one (`+` keeps the IN from the virtual table's plan): FTS5
 * finds a query's hits in one scan, but each rowid it is asked for costs a
 * lookup of every query word, and an entity or a type is in thousands of
 * articles (a type filter took 1.3 s that way).  An entity type is checked
 * hit by hit instead (EXISTS), since its articles are most of the archive. */
static khabar_status hits_from(khabar_archive *ar, const khabar_query *q, const char *match,
                               int with_articles, sql_text *out, names *nm, khabar_error *err)
{
    int join = !match || with_articles || q->from || q->to;
    out->key = match ? "f.rowid" : "a.key";
    const char *filter_key = match ? "+f.rowid" : "a.key";
    if (match) {
        add(out, join ? " FROM articles_fts f JOIN articles a ON a.key = f.rowid WHERE articles_fts MATCH "
                      : " FROM articles_fts f WHERE articles_fts MATCH ");
        param(out, match, strlen(match));
        /* the hits' order: khabar_rank (archive/fts5_rank.c), the title's
         * words weighted three times the text's */
        if (with_articles) add(out, " AND f.rank MATCH 'khabar_rank(3.0, 1.0)'");
    } else {
        add(out, " FROM articles a WHERE 1");
    }
    if (q->type && !known_type(q->type))
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "unknown entity type '%s' (PER, ORG, LOC or MISC)", q->type);
    for (size_t i = 0; i < q->entity_count; i++) {
        const char *norm = q->entities[i] ? keep_normalized(ar, nm, q->entities[i]) : NULL;
        if (!norm) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "bad entity filter");
        add(out, " AND ");
        add(out, filter_key);
        add(out, " IN (SELECT ae.article FROM entity_names n"
                 " JOIN article_entities ae ON ae.entity = n.entity");
        if (q->type) add(out, " JOIN entities e ON e.id = n.entity");
        add(out, " WHERE n.name = ");
        param(out, norm, strlen(norm));
        if (q->type) {
            add(out, " AND e.type = ");
            param(out, q->type, strlen(q->type));
        }
        add(out, ")");
    }
    if (q->type && q->entity_count == 0) {
        if (match) {
            add(out, " AND EXISTS (SELECT 1 FROM article_entities ae JOIN entities e ON e.id = ae.entity"
                     " WHERE ae.article = f.rowid AND e.type = ");
        } else {
            add(out, " AND a.key IN (SELECT ae.article FROM entities e"
                     " JOIN article_entities ae ON ae.entity = e.id WHERE e.type = ");
        }
        param(out, q->type, strlen(q->type));
        add(out, ")");
    }
    if (q->tag) {
        const char *norm = keep_normalized(ar, nm, q->tag);
        if (!norm) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        add(out, " AND ");
        add(out, filter_key);
        add(out, " IN (SELECT article FROM article_tags WHERE norm = ");
        param(out, norm, strlen(norm));
        add(out, ")");
    }
    const char *bounds[2] = {q->from, q->to};
    for (int b = 0; b < 2; b++) {
        if (!bounds[b]) continue;
        if (strlen(bounds[b]) != 10 || !kh_archive_is_day(bounds[b], 10))
            return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "the date '%s' is not YYYY-MM-DD", bounds[b]);
        add(out, b == 0 ? " AND a.date >= " : " AND a.date <= ");
        param(out, bounds[b], 10);
    }
    if (out->failed) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory or too many filters");
    return KHABAR_OK;
}

/* The last few statements of searches by their SQL (the filters' values
 * are parameters, so most searches share a few forms), the least recently
 * used replaced. */
#define KEPT_STATEMENTS 8

struct kh_search_statements {
    struct kept {
        char *sql;
        sqlite3_stmt *st;
        unsigned long long used;
    } kept[KEPT_STATEMENTS];
    unsigned long long clock;
    int hits_table; /* temp.khabar_hits made */
};

void kh_search_statements_free(kh_search_statements *s)
{
    if (!s) return;
    for (int i = 0; i < KEPT_STATEMENTS; i++) {
        free(s->kept[i].sql);
        sqlite3_finalize(s->kept[i].st);
    }
    free(s);
}

static kh_search_statements *statements_of(khabar_archive *ar)
{
    kh_search_statements **s = kh_archive_search_statements(ar);
    if (!*s) *s = calloc(1, sizeof **s);
    return *s;
}

sqlite3_stmt *kh_archive_kept_statement(khabar_archive *ar, const char *sql)
{
    kh_search_statements *s = statements_of(ar);
    if (!s) return NULL;
    struct kept *k = &s->kept[0];
    for (int i = 0; i < KEPT_STATEMENTS; i++) {
        struct kept *c = &s->kept[i];
        if (c->sql && !strcmp(c->sql, sql)) {
            c->used = ++s->clock;
            sqlite3_clear_bindings(c->st);
            return c->st;
        }
        if (c->used < k->used) k = c;
    }
    size_t n = strlen(sql);
    char *copy = malloc(n + 1);
    sqlite3_stmt *st = NULL;
    if (!copy || sqlite3_prepare_v3(kh_archive_db(ar), sql, (int)n, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        free(copy);
        return NULL;
    }
    memcpy(copy, sql, n + 1);
    free(k->sql);
    sqlite3_finalize(k->st);
    *k = (struct kept){copy, st, ++s->clock};
    return st;
}

/* A kept statement used: reset, so that it holds no transaction open. */
static void done(sqlite3_stmt *st)
{
    if (st) sqlite3_reset(st);
}

/* Runs the kept statement of `sql` (no parameters, no rows): 0 or -1. */
static int run_kept(khabar_archive *ar, const char *sql)
{
    sqlite3_stmt *st = kh_archive_kept_statement(ar, sql);
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static sqlite3_stmt *prepare(khabar_archive *ar, const sql_text *q)
{
    sqlite3_stmt *s = kh_archive_kept_statement(ar, q->s);
    if (!s) return NULL;
    if (bind_params(s, q)) {
        done(s);
        return NULL;
    }
    return s;
}

/* Prepares head + the hits' FROM/WHERE + tail, with the hits' parameters
 * bound; NULL on failure (no memory or an SQL error). */
static sqlite3_stmt *prepare_around(khabar_archive *ar, const char *head, const sql_text *from,
                                    const char *tail)
{
    sql_text s = {0};
    add(&s, head);
    add(&s, from->s);
    add(&s, tail);
    if (s.failed) { free(s.s); return NULL; }
    memcpy(s.params, from->params, sizeof s.params);
    memcpy(s.param_len, from->param_len, sizeof s.param_len);
    s.n_params = from->n_params;
    sqlite3_stmt *st = prepare(ar, &s);
    free(s.s);
    return st;
}

/* ---- results ---- */

static char *dup_text(const unsigned char *s)
{
    if (!s) return NULL;
    size_t n = strlen((const char *)s);
    char *c = malloc(n + 1);
    if (c) memcpy(c, s, n + 1);
    return c;
}

static int utf8_start(const char *t, size_t i) { return ((unsigned char)t[i] & 0xc0) != 0x80; }

/* The snippet's window: SNIPPET_BYTES of text around the most matched
 * words, cut at spaces (or at least at character boundaries). */
static void snippet_window(const char *text, size_t len, const khabar_mark *m, size_t n,
                           size_t *a, size_t *b)
{
    size_t best = 0, best_count = 0, start = 0;
    for (size_t i = 0; i < n; i++) {
        size_t from = m[i].start > SNIPPET_LEAD ? m[i].start - SNIPPET_LEAD : 0, count = 0;
        for (size_t k = i; k < n && m[k].end <= from + SNIPPET_BYTES; k++) count++;
        if (count > best_count) { best_count = count; best = i; }
    }
    if (n) start = m[best].start > SNIPPET_LEAD ? m[best].start - SNIPPET_LEAD : 0;
    size_t end = start + SNIPPET_BYTES < len ? start + SNIPPET_BYTES : len;
    /* begin after a space within the lead, end before one */
    if (start > 0) {
        size_t s = start, limit = n ? m[best].start : end;
        while (s < limit && text[s] != ' ' && text[s] != '\n') s++;
        start = s < limit ? s + 1 : start;
        while (start < len && !utf8_start(text, start)) start++;
    }
    if (end < len) {
        size_t e = end;
        size_t floor = n ? m[best].end : start;
        while (e > floor && text[e] != ' ' && text[e] != '\n') e--;
        end = e > floor ? e : end;
        while (end > start && end < len && !utf8_start(text, end)) end--;
    }
    *a = start;
    *b = end;
}

/* The hit's marks from khabar_marks()'s "start end ..." and its snippet. */
static int fill_hit(khabar_hit *h, const char *text, size_t len, const char *marks)
{
    size_t n = 0, cap = 0;
    khabar_mark *m = NULL;
    const char *p = marks;
    while (p && *p) {
        char *end;
        unsigned long long s = strtoull(p, &end, 10);
        if (end == p) break;
        unsigned long long e = strtoull(end, &end, 10);
        p = end;
        if (s >= e || e > len) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            khabar_mark *b = realloc(m, cap * sizeof *m);
            if (!b) { free(m); return -1; }
            m = b;
        }
        m[n++] = (khabar_mark){(size_t)s, (size_t)e};
    }
    size_t a, b;
    snippet_window(text, len, m, n, &a, &b);
    /* keep the marks inside the snippet */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (m[i].start >= a && m[i].end <= b) m[k++] = m[i];
    h->marks = m;
    h->mark_count = k;
    h->snippet_start = a;
    h->snippet_len = b - a;
    char *s = malloc(b - a + 1);
    if (!s) return -1;
    memcpy(s, text + a, b - a);
    s[b - a] = '\0';
    h->snippet = s;
    return 0;
}

static int push_facet(khabar_results *r, khabar_facet_kind kind, const unsigned char *value,
                      const unsigned char *type, sqlite3_int64 count)
{
    if (r->n_facets == r->facets_cap) {
        size_t cap = r->facets_cap ? r->facets_cap * 2 : 32;
        khabar_facet *b = realloc(r->facets, cap * sizeof *b);
        if (!b) return -1;
        r->facets = b;
        r->facets_cap = cap;
    }
    khabar_facet *f = &r->facets[r->n_facets];
    f->kind = kind;
    f->value = dup_text(value ? value : (const unsigned char *)"");
    f->type = type ? dup_text(type) : NULL;
    f->count = (size_t)count;
    if (!f->value || (type && !f->type)) {
        free((char *)f->value);
        free((char *)f->type);
        return -1;
    }
    r->n_facets++;
    return 0;
}

static int emit_facet(void *ctx, const char *value, const char *type, size_t count)
{
    return push_facet(ctx, type ? KHABAR_FACET_ENTITY : KHABAR_FACET_TAG, (const unsigned char *)value,
                      (const unsigned char *)type, (sqlite3_int64)count);
}

static int emit_day(void *ctx, const char *value, const char *type, size_t count)
{
    (void)type;
    return push_facet(ctx, KHABAR_FACET_DAY, (const unsigned char *)value, NULL, (sqlite3_int64)count);
}

static khabar_status facets(khabar_archive *ar, const sqlite3_int64 *keys, size_t n_keys, khabar_results *r,
                            khabar_error *err)
{
    int counted = kh_facets_count(kh_archive_facets(ar), keys, n_keys, emit_facet, emit_facet, emit_day, r);
    if (counted == -2) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    if (counted) return kh_archive_db_error(ar, err, "cannot count the facets");
    r->has_facets = 1;
    return KHABAR_OK;
}

/* Reads the hits' keys into *keys (*n of them). */
static int read_keys(sqlite3_stmt *st, sqlite3_int64 **keys, size_t *n)
{
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 1024;
            sqlite3_int64 *b = realloc(*keys, cap * sizeof *b);
            if (!b) return SQLITE_NOMEM;
            *keys = b;
        }
        (*keys)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    return rc;
}

/* Counts every hit; with facets, gives their keys to the facets: read into
 * memory when the facets count from memory (`in_memory`, as
 * kh_facets_in_memory said), else kept in temp.khabar_hits for their SQL. */
static khabar_status count_hits(khabar_archive *ar, const khabar_query *q, const sql_text *from, int in_memory,
                                khabar_results *r, khabar_error *err)
{
    sqlite3 *db = kh_archive_db(ar);
    int want_facets = (q->flags & KHABAR_QUERY_FACETS) != 0;
    int keep = want_facets && !in_memory;
    kh_search_statements *kept = statements_of(ar);
    if (!kept) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    if (keep && !kept->hits_table) {
        if (sqlite3_exec(db, "CREATE TEMP TABLE IF NOT EXISTS khabar_hits(key INTEGER PRIMARY KEY)", NULL, NULL,
                         NULL) != SQLITE_OK)
            return kh_archive_db_error(ar, err, "cannot keep the hits");
        kept->hits_table = 1;
    }
    if (keep && run_kept(ar, "DELETE FROM temp.khabar_hits")) return kh_archive_db_error(ar, err, "cannot keep the hits");
    char head[64];
    snprintf(head, sizeof head, "%s%s", keep ? "INSERT INTO temp.khabar_hits SELECT " : in_memory ? "SELECT " : "SELECT count(*)",
             want_facets ? from->key : "");
    sqlite3_stmt *st = prepare_around(ar, head, from, "");
    if (!st) return kh_archive_db_error(ar, err, "cannot count the hits");
    sqlite3_int64 *keys = NULL;
    size_t n_keys = 0;
    int rc = in_memory ? read_keys(st, &keys, &n_keys) : sqlite3_step(st);
    if (!want_facets && rc == SQLITE_ROW) r->total = (size_t)sqlite3_column_int64(st, 0);
    if (keep && rc == SQLITE_DONE) r->total = (size_t)sqlite3_changes64(db);
    if (in_memory && rc == SQLITE_DONE) r->total = n_keys;
    done(st);
    khabar_status status = KHABAR_OK;
    if (rc == SQLITE_NOMEM) status = kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE) status = kh_archive_db_error(ar, err, "cannot count the hits");
    else if (want_facets) {
        static const sqlite3_int64 no_hits[1];
        status = facets(ar, !in_memory ? NULL : keys ? keys : no_hits, n_keys, r, err);
    }
    free(keys);
    return status;
}

/* Fetches the hits; with `gathered`, gathers there every row that the
 * query's ranking ranks (kh_fts5_gather_rows): FTS5 ranks them all before
 * it gives the first. */
static khabar_status fetch_hits(khabar_archive *ar, const khabar_query *q, const char *match,
                                const sql_text *from, kh_fts5_rows *gathered, khabar_results *r, khabar_error *err)
{
    int snippets = !(q->flags & KHABAR_QUERY_NO_SNIPPETS);
    /* khabar_marks() is computed for the rows returned only: FTS5 orders
     * by rank itself and the LIMIT stops it.  It reads the words' stored
     * offsets (schema 5) rather than analyse the text again. */
    int collapse = (q->flags & KHABAR_QUERY_COLLAPSE) != 0;
    size_t limit = q->limit ? q->limit : 10;
    char head[512], tail[96];
    snprintf(head, sizeof head, "SELECT a.key, a.id, a.title, a.date, %s, %s%s",
             snippets ? "a.text" : "NULL",
             !match      ? "0.0, NULL"
             : snippets  ? "-f.rank, khabar_marks(articles_fts, 1,"
                           " (SELECT offsets FROM article_tokens WHERE article = f.rowid))"
                         : "-f.rank, NULL",
             collapse ? ", coalesce((SELECT story FROM article_stories WHERE article = a.key), a.key)" : "");
    /* collapsed, the hits are read in order until enough stories are seen */
    int n = snprintf(tail, sizeof tail, " ORDER BY %s", match ? "f.rank" : "a.date DESC, a.key DESC");
    if (!collapse) snprintf(tail + n, sizeof tail - (size_t)n, " LIMIT %zu OFFSET %zu", limit, q->offset);
    sqlite3_stmt *st = prepare_around(ar, head, from, tail);
    if (!st) return kh_archive_db_error(ar, err, "cannot search");
    size_t cap = 0, n_stories = 0, stories_cap = 0;
    sqlite3_int64 *stories = NULL;
    int rc;
    khabar_status status = KHABAR_OK;
    kh_fts5_registration *reg = kh_archive_fts5(ar);
    if (gathered) kh_fts5_gather_rows(reg, gathered);
    rc = sqlite3_step(st);
    if (gathered) kh_fts5_gather_rows(reg, NULL);
    for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
        if (collapse) {
            sqlite3_int64 story = sqlite3_column_int64(st, 7);
            size_t k = 0;
            while (k < n_stories && stories[k] != story) k++;
            if (k < n_stories) continue;
            if (n_stories == stories_cap) {
                stories_cap = stories_cap ? 2 * stories_cap : 32;
                sqlite3_int64 *b = realloc(stories, stories_cap * sizeof *b);
                if (!b) { status = KHABAR_ERROR_MEMORY; break; }
                stories = b;
            }
            stories[n_stories++] = story;
            if (n_stories <= q->offset) continue;
            if (r->n_hits >= limit) break;
        }
        if (r->n_hits == cap) {
            cap = cap ? cap * 2 : 16;
            khabar_hit *b = realloc(r->hits, cap * sizeof *b);
            if (!b) { status = KHABAR_ERROR_MEMORY; break; }
            r->hits = b;
        }
        khabar_hit *h = &r->hits[r->n_hits];
        memset(h, 0, sizeof *h);
        r->n_hits++;
        h->id = dup_text(sqlite3_column_text(st, 1));
        h->title = dup_text(sqlite3_column_text(st, 2));
        h->date = dup_text(sqlite3_column_text(st, 3));
        h->score = sqlite3_column_double(st, 5);
        const char *text = (const char *)sqlite3_column_text(st, 4);
        size_t len = (size_t)sqlite3_column_bytes(st, 4);
        int failed = fill_hit(h, text ? text : "", len, (const char *)sqlite3_column_text(st, 6));
        if (failed || !h->id || !h->title) { status = KHABAR_ERROR_MEMORY; break; }
    }
    done(st);
    free(stories);
    if (status) return kh_archive_fail(err, status, 0, "out of memory");
    if (rc != SQLITE_DONE && !(collapse && rc == SQLITE_ROW)) return kh_archive_db_error(ar, err, "cannot search");
    return KHABAR_OK;
}

khabar_status khabar_archive_search(khabar_archive *ar, const khabar_query *q, khabar_results **out,
                                    khabar_error *err)
{
    if (!ar || !q || !out || (q->entity_count && !q->entities))
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_search: NULL argument");
    *out = NULL;
    char *match = NULL;
    if (q->text && *q->text) {
        match = khabar_archive_fts5_query(q->text, strlen(q->text), err);
        if (!match) return err ? err->code : KHABAR_ERROR_QUERY;
    }
    khabar_results *r = calloc(1, sizeof *r);
    if (!r) { free(match); return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory"); }
    sql_text from = {0}, from_articles = {0};
    names nm = {0};
    sqlite3 *db = kh_archive_db(ar);
    /* one read transaction: the count, facets and hits see the same articles */
    int began = sqlite3_get_autocommit(db) && run_kept(ar, "BEGIN") == 0;
    khabar_status st = hits_from(ar, q, match, 0, &from, &nm, err);
    if (!st) st = hits_from(ar, q, match, 1, &from_articles, &nm, err);
    int want_facets = (q->flags & KHABAR_QUERY_FACETS) != 0, in_memory = 0;
    if (!st && want_facets) {
        in_memory = kh_facets_in_memory(kh_archive_facets(ar));
        if (in_memory == -2) st = kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        else if (in_memory < 0) st = kh_archive_db_error(ar, err, "cannot count the facets");
    }
    /* A query with no filter: its hits are the rows its ranking ranks, so
     * they are gathered while the hits are fetched, not asked of FTS5 a
     * second time (unless the facets count from the tables, which need
     * them in temp.khabar_hits). */
    int one_pass = match && !q->entity_count && !q->type && !q->tag && !q->from && !q->to &&
                   (!want_facets || in_memory);
    if (!st && one_pass) {
        kh_fts5_rows rows = {0};
        st = fetch_hits(ar, q, match, &from_articles, &rows, r, err);
        if (!st && rows.failed) st = kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        r->total = rows.n;
        static const sqlite3_int64 no_hits[1];
        if (!st && want_facets) st = facets(ar, rows.rowid ? rows.rowid : no_hits, rows.n, r, err);
        sqlite3_free(rows.rowid);
    } else {
        if (!st) st = count_hits(ar, q, &from, in_memory, r, err);
        if (!st) st = fetch_hits(ar, q, match, &from_articles, NULL, r, err);
    }
    if (began) run_kept(ar, "COMMIT");
    names_free(&nm);
    free(from.s);
    free(from_articles.s);
    free(match);
    if (st) {
        khabar_results_free(r);
        return st;
    }
    *out = r;
    return KHABAR_OK;
}

void khabar_results_free(khabar_results *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_hits; i++) {
        khabar_hit *h = &r->hits[i];
        free((char *)h->id);
        free((char *)h->title);
        free((char *)h->date);
        free((char *)h->snippet);
        free((khabar_mark *)h->marks);
    }
    for (size_t i = 0; i < r->n_facets; i++) {
        free((char *)r->facets[i].value);
        free((char *)r->facets[i].type);
    }
    free(r->hits);
    free(r->facets);
    free(r->json);
    free(r);
}

size_t khabar_results_total(const khabar_results *r) { return r ? r->total : 0; }
size_t khabar_results_hit_count(const khabar_results *r) { return r ? r->n_hits : 0; }
const khabar_hit *khabar_results_hit(const khabar_results *r, size_t i)
{
    return r && i < r->n_hits ? &r->hits[i] : NULL;
}
size_t khabar_results_facet_count(const khabar_results *r) { return r ? r->n_facets : 0; }
const khabar_facet *khabar_results_facet(const khabar_results *r, size_t i)
{
    return r && i < r->n_facets ? &r->facets[i] : NULL;
}

static json_t *facets_json(const khabar_results *r)
{
    json_t *o = json_object(), *ents = json_object(), *tags = json_array(), *days = json_array();
    if (!o || !ents || !tags || !days) {
        json_decref(o); json_decref(ents); json_decref(tags); json_decref(days);
        return NULL;
    }
    json_object_set_new(o, "entities", ents);
    json_object_set_new(o, "tags", tags);
    json_object_set_new(o, "days", days);
    for (size_t i = 0; i < r->n_facets; i++) {
        const khabar_facet *f = &r->facets[i];
        json_t *item = json_object();
        json_object_set_new(item, f->kind == KHABAR_FACET_ENTITY ? "name"
                                : f->kind == KHABAR_FACET_TAG    ? "tag" : "date",
                            json_string(f->value));
        json_object_set_new(item, "count", json_integer((json_int_t)f->count));
        if (f->kind == KHABAR_FACET_ENTITY) {
            json_t *list = json_object_get(ents, f->type);
            if (!list) json_object_set_new(ents, f->type, list = json_array());
            json_array_append_new(list, item);
        } else {
            json_array_append_new(f->kind == KHABAR_FACET_TAG ? tags : days, item);
        }
    }
    return o;
}

const char *khabar_results_json(khabar_results *r, size_t *len)
{
    if (!r) return NULL;
    if (!r->json) {
        json_t *o = json_object(), *hits = json_array();
        if (!o || !hits) { json_decref(o); json_decref(hits); return NULL; }
        json_object_set_new(o, "total", json_integer((json_int_t)r->total));
        json_object_set_new(o, "hits", hits);
        for (size_t i = 0; i < r->n_hits; i++) {
            const khabar_hit *h = &r->hits[i];
            json_t *hit = json_object(), *marks = json_array();
            json_object_set_new(hit, "id", json_string(h->id));
            json_object_set_new(hit, "title", json_string(h->title));
            json_object_set_new(hit, "date", h->date ? json_string(h->date) : json_null());
            json_object_set_new(hit, "score", json_real(h->score));
            json_object_set_new(hit, "snippet", json_string(h->snippet));
            json_object_set_new(hit, "snippet_start", json_integer((json_int_t)h->snippet_start));
            for (size_t k = 0; k < h->mark_count; k++)
                json_array_append_new(marks, json_pack("[II]", (json_int_t)h->marks[k].start,
                                                       (json_int_t)h->marks[k].end));
            json_object_set_new(hit, "marks", marks);
            json_array_append_new(hits, hit);
        }
        if (r->has_facets) json_object_set_new(o, "facets", facets_json(r));
        r->json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        json_decref(o);
        if (!r->json) return NULL;
    }
    if (len) *len = strlen(r->json);
    return r->json;
}
