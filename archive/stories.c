/* Stories: articles that tell one story, kept up to date as articles come
 * and go.  Each article's MinHash signature (khabar_dedup_signature, the
 * code `khabar dedup` runs) and its LSH band keys are stored; a new
 * article is compared with the articles sharing a band key, linked to
 * those at STORY_THRESHOLD or above, and its story is the union of theirs
 * (an article that links two stories merges them).  A story is named by
 * its smallest article key.  Deleting an article splits its story again
 * along the links that remain.  Schema in docs/archive.md. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "archive_internal.h"

/* Least estimated Jaccard similarity of the word 5-shingles of two
 * articles of one story: most of their text in common (one report
 * rewritten or shortened).  NEAR_DUPLICATE is `khabar dedup`'s default. */
#define STORY_THRESHOLD 0.5
#define NEAR_DUPLICATE 0.8
/* Candidates read from one band bucket at most: a bucket of thousands is
 * boilerplate shared by unrelated articles, not a story. */
#define BUCKET_LIMIT 200

/* Same-event links: articles dated within EVENT_DAYS of each other that
 * share what the analysis found in them (entities and tags, "terms"),
 * each term weighted by how rare it is among the articles of those days
 * (log N/df, N at least WINDOW_LEAST).  A term in more than TERM_CAP of
 * them (السعودية, الرياض on a Saudi site) is too common those days to
 * tell an event and is left out.  Two articles tell one event when they
 * share EVENT_SHARED terms or more, an entity and a tag that names none
 * among them (club names alone tie a round's programme to each of its
 * matches), and the shared weight is EVENT_THRESHOLD of their weights
 * (2S / (Wa + Wb)) or more; each article is linked to its EVENT_LINKS best
 * such articles at most, so that stories do not grow by chains of weak
 * links. */
#define EVENT_DAYS 2
#define TERM_CAP 30
#define EVENT_SHARED 3
#define EVENT_THRESHOLD 0.35
#define EVENT_LINKS 3
/* The least number of articles a window is taken to hold: a term in one
 * other article of a small archive is as rare as in a large one (else the
 * weights of a small archive's terms would all be about log 2). */
#define WINDOW_LEAST 1000
/* Articles added between two counts of a window's articles. */
#define WINDOW_RECOUNT 200


const char kh_schema_3_sql[] =
    "CREATE TABLE entity_keys(\n"
    "  key TEXT NOT NULL,\n"
    "  entity INTEGER NOT NULL,\n"
    "  PRIMARY KEY(key, entity)) WITHOUT ROWID;\n"
    "CREATE INDEX entity_names_entity ON entity_names(entity);\n"
    "ALTER TABLE story_links ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;\n"
    "ALTER TABLE article_stories ADD COLUMN weight REAL;\n"
    "CREATE TABLE story_terms(\n"
    "  term INTEGER NOT NULL,\n"
    "  day INTEGER NOT NULL,\n"
    "  article INTEGER NOT NULL,\n"
    "  PRIMARY KEY(term, day, article)) WITHOUT ROWID;\n"
    "CREATE INDEX story_terms_article ON story_terms(article);\n"
    "CREATE TRIGGER articles_delete_terms AFTER DELETE ON articles BEGIN\n"
    "  DELETE FROM story_terms WHERE article = old.key;\n"
    "END;\n";

enum {
    SS_BUCKET, SS_INSERT, SS_LINK, SS_MERGE, SS_GET, SS_UNBAND, SS_MEMBERS,
    SS_LINKS_OF, SS_SET, SS_DAY, SS_WINDOW, SS_ENTITY_TERMS, SS_TAG_TERMS, SS_TERM_FIND, SS_TERMS_OF,
    SS_WEIGHT_SET, SS_WEIGHT_GET, SS_EVENT_LINK, N_SS
};

static const char *const ss_sql[N_SS] = {
    "SELECT s.article, s.story, s.signature FROM story_bands b"
    " JOIN article_stories s ON s.article = b.article WHERE b.band = ?1 LIMIT " KH_XSTR(BUCKET_LIMIT),
    "INSERT INTO article_stories(article, story, signature) VALUES(?1, ?2, ?3)",
    "INSERT OR REPLACE INTO story_links(a, b, similarity) VALUES(?1, ?2, ?3)",
    "UPDATE article_stories SET story = ?1 WHERE story = ?2",
    "SELECT story, signature FROM article_stories WHERE article = ?1",
    "DELETE FROM story_bands WHERE band = ?1 AND article = ?2",
    "SELECT article FROM article_stories WHERE story = ?1 AND article <> ?2 ORDER BY article",
    "SELECT b FROM story_links WHERE a = ?1 UNION ALL SELECT a FROM story_links WHERE b = ?1",
    "UPDATE article_stories SET story = ?1 WHERE article = ?2",
    "SELECT date, CAST(julianday(date) AS INTEGER) FROM articles WHERE key = ?1 AND date IS NOT NULL",
    "SELECT count(*) FROM articles WHERE date BETWEEN date(?1, '-" KH_XSTR(EVENT_DAYS) " days')"
    " AND date(?1, '+" KH_XSTR(EVENT_DAYS) " days')",
    "SELECT entity FROM article_entities WHERE article = ?1",
    /* tags that are an entity's name are counted once, as the entity */
    "SELECT t.norm FROM article_tags t WHERE t.article = ?1 AND NOT EXISTS"
    " (SELECT 1 FROM article_spellings p WHERE p.article = ?1 AND p.name = t.norm)",
    "SELECT article FROM story_terms WHERE term = ?1 AND day BETWEEN ?2 AND ?3 AND article <> ?4"
    " LIMIT " KH_XSTR(TERM_CAP) " + 1",
    "SELECT term, day FROM story_terms WHERE article = ?1",
    "UPDATE article_stories SET weight = ?2 WHERE article = ?1",
    "SELECT story, weight FROM article_stories WHERE article = ?1",
    "INSERT OR IGNORE INTO story_links(a, b, similarity, kind) VALUES(?1, ?2, ?3, 1)",
};

struct kh_stories {
    sqlite3 *db;
    khabar_dedup *dedup;
    sqlite3_stmt *st[N_SS];
    size_t perms, bands;
    uint16_t *sig, *other;
    uint64_t *keys;
    sqlite3_int64 *cand;   /* candidates seen for the article being added */
    size_t n_cand, cap_cand;
    sqlite3_int64 *merge;  /* the stories it links to */
    size_t n_merge, cap_merge;
    sqlite3_int64 *terms;  /* the article's terms (same-event links) */
    size_t n_terms, cap_terms;
    struct shared *shared; /* (article, weight) of each term another article shares */
    size_t n_shared, cap_shared;
    sqlite3_int64 window_day; /* the day whose window was counted last */
    double window;            /* its articles then */
    unsigned window_uses;
    /* Copies in memory, used as kh_linker's copy is (archive_internal.h).
     * The band keys in story_bands, as a Bloom filter: most of an
     * article's bands are in no other article, and the filter says so
     * without a search of story_bands (a key it has may still be in none:
     * then the search says so). */
    int use_memory;
    uint64_t *filter;         /* NULL: to be read */
    size_t filter_bits;       /* a power of two */
    size_t filter_keys, filter_room; /* keys added; keys it holds well */
    sqlite3_stmt *bands_insert;  /* every band row of an article in one statement */
    kh_idmap *term_days;         /* story_terms: (term, day) to articles; NULL: to be read */
    kh_idmap *kept_bands;        /* band rows of the open batch, not inserted yet; NULL: none kept */
    kh_rows bands_rows;          /* their insert at the commit */
    kh_rows terms_insert;        /* an article's story_terms */
};

kh_stories *kh_stories_new(sqlite3 *db)
{
    kh_stories *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->db = db;
    s->bands_rows = (kh_rows){"INSERT OR IGNORE INTO story_bands(band, article) VALUES", 2, NULL, {NULL}};
    s->terms_insert = (kh_rows){"INSERT OR IGNORE INTO story_terms(term, day, article) VALUES", 3, NULL, {NULL}};
    khabar_dedup_options o = {STORY_THRESHOLD, 0, 0, 0, 0};
    if (khabar_dedup_new(&o, &s->dedup, NULL)) { free(s); return NULL; }
    s->perms = khabar_dedup_signature_length(s->dedup);
    s->bands = khabar_dedup_band_count(s->dedup);
    s->sig = malloc(s->perms * sizeof *s->sig);
    s->other = malloc(s->perms * sizeof *s->other);
    s->keys = malloc(s->bands * sizeof *s->keys);
    if (!s->sig || !s->other || !s->keys) { kh_stories_free(s); return NULL; }
    return s;
}

static void filter_drop(kh_stories *s)
{
    free(s->filter);
    s->filter = NULL;
}

static void terms_drop(kh_stories *s)
{
    kh_idmap_free(s->term_days);
    s->term_days = NULL;
}

void kh_stories_forget(kh_stories *s)
{
    if (!s) return;
    filter_drop(s);
    terms_drop(s);
}

/* The key of (term, day) in s->terms. */
static void term_key(sqlite3_int64 term, sqlite3_int64 day, unsigned char key[16])
{
    memcpy(key, &term, 8);
    memcpy(key + 8, &day, 8);
}

/* story_terms in memory (in the caller's transaction); NULL when they are
 * not to be used or cannot be read. */
static kh_idmap *terms_of(kh_stories *s)
{
    if (!s->use_memory || s->term_days) return s->term_days;
    sqlite3_stmt *q;
    if (!(s->term_days = kh_idmap_new())) return NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT term, day, article FROM story_terms ORDER BY term, day, article", -1, &q,
                           NULL) != SQLITE_OK) {
        terms_drop(s);
        return NULL;
    }
    int rc;
    unsigned char key[16];
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        term_key(sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), key);
        if (kh_idmap_add(s->term_days, (const char *)key, 16, sqlite3_column_int64(q, 2), NULL) < 0) break;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) terms_drop(s);
    return s->term_days;
}

void kh_stories_use_memory(kh_stories *s, int on)
{
    if (!s) return;
    if (!on) kh_stories_forget(s);
    s->use_memory = on;
}

/* The filter's bits for a band key: three from the key's own bits (band
 * keys are hashes already). */
static void filter_bits(const kh_stories *s, uint64_t key, size_t bit[3])
{
    uint64_t h2 = (key >> 32 | key << 32) | 1;
    for (int i = 0; i < 3; i++) bit[i] = (size_t)(key + (uint64_t)i * h2) & (s->filter_bits - 1);
}

static void filter_add(kh_stories *s, uint64_t key)
{
    size_t bit[3];
    filter_bits(s, key, bit);
    for (int i = 0; i < 3; i++) s->filter[bit[i] / 64] |= 1ULL << (bit[i] % 64);
    s->filter_keys++;
}

/* Reads the filter from story_bands (in the caller's transaction): room
 * for twice the keys there are, 8 bits a key.  -1 on failure (no filter). */
static int filter_build(kh_stories *s)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "SELECT band FROM story_bands", -1, &q, NULL) != SQLITE_OK) return -1;
    sqlite3_int64 rows = 0;
    sqlite3_stmt *c;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM story_bands", -1, &c, NULL) == SQLITE_OK &&
        sqlite3_step(c) == SQLITE_ROW)
        rows = sqlite3_column_int64(c, 0);
    sqlite3_finalize(c);
    size_t bits = 1u << 16;
    while (bits < 16 * (size_t)rows) bits *= 2;
    s->filter = calloc(bits / 64, sizeof *s->filter);
    if (!s->filter) { sqlite3_finalize(q); return -1; }
    s->filter_bits = bits;
    s->filter_keys = 0;
    s->filter_room = bits / 8;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) filter_add(s, (uint64_t)sqlite3_column_int64(q, 0));
    /* and the batch's rows not inserted yet */
    for (size_t e = 0; s->kept_bands && e < kh_idmap_size(s->kept_bands); e++) {
        size_t len;
        uint64_t band;
        memcpy(&band, kh_idmap_key(s->kept_bands, e, &len), sizeof band);
        filter_add(s, band);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) filter_drop(s);
    return s->filter ? 0 : -1;
}

/* 0 when no article has this band key, 1 when one may have. */
static int band_may_be(kh_stories *s, uint64_t key)
{
    if (!s->use_memory || (!s->filter && filter_build(s))) return 1;
    size_t bit[3];
    filter_bits(s, key, bit);
    for (int i = 0; i < 3; i++)
        if (!(s->filter[bit[i] / 64] & (1ULL << (bit[i] % 64)))) return 0;
    return 1;
}

/* A band key stored: in the filter too (read again, larger, when full). */
static void band_stored(kh_stories *s, uint64_t key)
{
    if (!s->filter) return;
    if (s->filter_keys >= s->filter_room) filter_drop(s);
    else filter_add(s, key);
}

void kh_stories_free(kh_stories *s)
{
    if (!s) return;
    free(s->filter);
    for (int i = 0; i < N_SS; i++) sqlite3_finalize(s->st[i]);
    sqlite3_finalize(s->bands_insert);
    kh_rows_finalize(&s->terms_insert);
    kh_rows_finalize(&s->bands_rows);
    kh_idmap_free(s->kept_bands);
    terms_drop(s);
    khabar_dedup_free(s->dedup);
    free(s->sig);
    free(s->other);
    free(s->keys);
    free(s->cand);
    free(s->merge);
    free(s->terms);
    free(s->shared);
    free(s);
}

void kh_stories_reset(kh_stories *s)
{
    if (!s) return;
    for (int i = 0; i < N_SS; i++)
        if (s->st[i]) sqlite3_reset(s->st[i]);
    if (s->bands_insert) sqlite3_reset(s->bands_insert);
    kh_rows_reset(&s->terms_insert);
    kh_rows_reset(&s->bands_rows);
}

sqlite3_stmt *kh_cached_statement(sqlite3 *db, sqlite3_stmt **cache, const char *sql)
{
    if (!*cache && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, cache, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(*cache);
    sqlite3_clear_bindings(*cache);
    return *cache;
}

static sqlite3_stmt *ss(kh_stories *s, int which)
{
    return kh_cached_statement(s->db, &s->st[which], ss_sql[which]);
}

static int done(sqlite3_stmt *st) { return st && sqlite3_step(st) == SQLITE_DONE; }

/* Signatures are stored little-endian, whatever the machine. */
static void sig_to_blob(const uint16_t *sig, size_t n, unsigned char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = (unsigned char)(sig[i] & 0xff);
        out[2 * i + 1] = (unsigned char)(sig[i] >> 8);
    }
}

static int blob_to_sig(const void *blob, int bytes, uint16_t *sig, size_t n)
{
    if (!blob || (size_t)bytes != 2 * n) return -1;
    const unsigned char *b = blob;
    for (size_t i = 0; i < n; i++) sig[i] = (uint16_t)(b[2 * i] | (b[2 * i + 1] << 8));
    return 0;
}

/* Appends k to the set (v, n, cap) unless there: 1 when it was there, 0
 * when added, -1 on no memory. */
static int put(sqlite3_int64 **v, size_t *n, size_t *cap, sqlite3_int64 k)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i] == k) return 1;
    sqlite3_int64 *b = kh_room(*v, *n, cap, sizeof *b, 64);
    if (!b) return -1;
    *v = b;
    (*v)[(*n)++] = k;
    return 0;
}

/* An article's band rows, all in one statement: the statement's own cost
 * is about that of one row, and an article has 85 of them. */
static int insert_bands(kh_stories *s, sqlite3_int64 key)
{
    if (s->kept_bands) {
        for (size_t b = 0; b < s->bands; b++) {
            if (kh_idmap_add(s->kept_bands, (const char *)&s->keys[b], sizeof s->keys[b], key, NULL) < 0) return -1;
            band_stored(s, s->keys[b]);
        }
        return 0;
    }
    if (!s->bands_insert) {
        size_t cap = 80 + 12 * s->bands;
        char *sql = malloc(cap);
        if (!sql) return -1;
        size_t at = (size_t)snprintf(sql, cap, "INSERT OR IGNORE INTO story_bands(band, article) VALUES");
        for (size_t b = 0; b < s->bands; b++)
            at += (size_t)snprintf(sql + at, cap - at, "%s(?%zu,?1)", b ? "," : "", b + 2);
        int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->bands_insert, NULL);
        free(sql);
        if (rc != SQLITE_OK) return -1;
    }
    sqlite3_stmt *q = s->bands_insert;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, key);
    for (size_t b = 0; b < s->bands; b++) sqlite3_bind_int64(q, (int)b + 2, (sqlite3_int64)s->keys[b]);
    if (!done(q)) return -1;
    for (size_t b = 0; b < s->bands; b++) band_stored(s, s->keys[b]);
    return 0;
}

/* A row of a band bucket: article `other` of story `their` with this
 * signature, linked to `key` and its story merged into *story when they
 * are alike.  0 or -1. */
static int candidate(kh_stories *s, sqlite3_int64 key, sqlite3_int64 other, sqlite3_int64 their, const void *blob,
                     int bytes, sqlite3_int64 *story)
{
    int was = put(&s->cand, &s->n_cand, &s->cap_cand, other);
    if (was < 0) return -1;
    if (was || other == key || blob_to_sig(blob, bytes, s->other, s->perms)) return 0;
    double sim = khabar_dedup_signature_similarity(s->dedup, s->sig, s->other);
    if (sim < STORY_THRESHOLD) return 0;
    sqlite3_stmt *l = ss(s, SS_LINK);
    if (!l) return -1;
    sqlite3_bind_int64(l, 1, other < key ? other : key);
    sqlite3_bind_int64(l, 2, other < key ? key : other);
    sqlite3_bind_double(l, 3, sim);
    if (!done(l)) return -1;
    if (put(&s->merge, &s->n_merge, &s->cap_merge, their) < 0) return -1;
    if (their < *story) *story = their;
    return 0;
}

void kh_stories_keep_bands(kh_stories *s)
{
    if (!s->kept_bands) s->kept_bands = kh_idmap_new(); /* NULL: inserted at once, as outside a batch */
}

void kh_stories_drop_bands(kh_stories *s)
{
    if (!s) return;
    kh_idmap_free(s->kept_bands);
    s->kept_bands = NULL;
}

typedef struct band_row {
    uint64_t band;
    sqlite3_int64 article;
} band_row;

static int by_band(const void *pa, const void *pb)
{
    const band_row *a = pa, *b = pb;
    /* as SQLite orders the signed keys */
    sqlite3_int64 x = (sqlite3_int64)a->band, y = (sqlite3_int64)b->band;
    if (x != y) return (x > y) - (x < y);
    return (a->article > b->article) - (a->article < b->article);
}

int kh_stories_flush(kh_stories *s)
{
    kh_idmap *m = s->kept_bands;
    if (!m) return 0;
    s->kept_bands = NULL;
    size_t n = 0, count;
    for (size_t e = 0; e < kh_idmap_size(m); e++) {
        kh_idmap_ids(m, e, &count);
        n += count;
    }
    band_row *rows = malloc((n ? n : 1) * sizeof *rows);
    if (!rows) { kh_idmap_free(m); return -1; }
    n = 0;
    for (size_t e = 0; e < kh_idmap_size(m); e++) {
        size_t len;
        const sqlite3_int64 *ids = kh_idmap_ids(m, e, &count);
        uint64_t band;
        memcpy(&band, kh_idmap_key(m, e, &len), sizeof band);
        for (size_t i = 0; i < count; i++) rows[n++] = (band_row){band, ids[i]};
    }
    kh_idmap_free(m);
    qsort(rows, n, sizeof *rows, by_band);
    int failed = 0;
    for (size_t r = 0; r < n && !failed;) {
        unsigned k = kh_rows_fit(n - r);
        sqlite3_stmt *q = kh_rows_statement(s->db, &s->bands_rows, k);
        if (!q) { failed = 1; break; }
        for (size_t i = 0; i < (size_t)1 << k; i++, r++) {
            sqlite3_bind_int64(q, (int)(2 * i + 1), (sqlite3_int64)rows[r].band);
            sqlite3_bind_int64(q, (int)(2 * i + 2), rows[r].article);
        }
        failed = !done(q);
    }
    free(rows);
    return failed ? -1 : 0;
}

int kh_stories_add(kh_stories *s, sqlite3_int64 key, const char *text, size_t len)
{
    khabar_status st = khabar_dedup_signature(s->dedup, text, len, s->sig, NULL);
    if (st == KHABAR_ERROR_EMPTY || st == KHABAR_ERROR_UTF8) return 0; /* a story of its own */
    if (st) return -1;
    khabar_dedup_band_keys(s->dedup, s->sig, s->keys);
    sqlite3_int64 story = key;
    s->n_cand = s->n_merge = 0;
    for (size_t b = 0; b < s->bands; b++) {
        if (!band_may_be(s, s->keys[b])) continue;
        sqlite3_stmt *q = ss(s, SS_BUCKET);
        if (!q) return -1;
        sqlite3_bind_int64(q, 1, (sqlite3_int64)s->keys[b]);
        int rc;
        size_t rows = 0;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            rows++;
            if (candidate(s, key, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), sqlite3_column_blob(q, 2),
                          sqlite3_column_bytes(q, 2), &story))
                return sqlite3_reset(q), -1;
        }
        if (rc != SQLITE_DONE) return -1;
        /* then the batch's kept rows: their articles' keys are above every
         * stored one's, so they come last in the table's order too */
        size_t count;
        const sqlite3_int64 *kept =
            s->kept_bands ? kh_idmap_get(s->kept_bands, (const char *)&s->keys[b], sizeof s->keys[b], &count) : NULL;
        for (size_t i = 0; kept && i < count && rows < BUCKET_LIMIT; i++, rows++) {
            sqlite3_stmt *g = ss(s, SS_GET);
            if (!g) return -1;
            sqlite3_bind_int64(g, 1, kept[i]);
            if (sqlite3_step(g) != SQLITE_ROW) return sqlite3_reset(g), -1;
            /* kept[] stays valid: candidate() changes no kept row */
            int failed = candidate(s, key, kept[i], sqlite3_column_int64(g, 0), sqlite3_column_blob(g, 1),
                                   sqlite3_column_bytes(g, 1), &story);
            sqlite3_reset(g);
            if (failed) return -1;
        }
    }
    for (size_t i = 0; i < s->n_merge; i++) {
        if (s->merge[i] == story) continue;
        sqlite3_stmt *m = ss(s, SS_MERGE);
        if (!m) return -1;
        sqlite3_bind_int64(m, 1, story);
        sqlite3_bind_int64(m, 2, s->merge[i]);
        if (!done(m)) return -1;
    }
    unsigned char blob[2 * 1024];
    sig_to_blob(s->sig, s->perms, blob);
    sqlite3_stmt *ins = ss(s, SS_INSERT);
    if (!ins) return -1;
    sqlite3_bind_int64(ins, 1, key);
    sqlite3_bind_int64(ins, 2, story);
    sqlite3_bind_blob(ins, 3, blob, (int)(2 * s->perms), SQLITE_STATIC);
    if (!done(ins)) return -1;
    if (insert_bands(s, key)) return -1;
    return kh_stories_add_events(s, key);
}

/* ---- same-event links ---- */

typedef struct shared {
    sqlite3_int64 article;
    double weight;
    int entity;
} shared;

/* A tag's term: a negative number from its normal form (entities' terms
 * are their ids, positive). */
static sqlite3_int64 tag_term(const unsigned char *t, int n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (int i = 0; i < n; i++) h = (h ^ t[i]) * 1099511628211ULL;
    return -(sqlite3_int64)(h >> 2) - 1;
}

static int push_term(kh_stories *s, sqlite3_int64 t)
{
    sqlite3_int64 *b = kh_room(s->terms, s->n_terms, &s->cap_terms, sizeof *b, 64);
    if (!b) return -1;
    s->terms = b;
    s->terms[s->n_terms++] = t;
    return 0;
}

/* The article's terms: its entities, then its tags that name none. */
static int read_terms(kh_stories *s, sqlite3_int64 key)
{
    s->n_terms = 0;
    for (int which = SS_ENTITY_TERMS; which <= SS_TAG_TERMS; which++) {
        sqlite3_stmt *q = ss(s, which);
        if (!q) return -1;
        sqlite3_bind_int64(q, 1, key);
        int rc;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            sqlite3_int64 t = which == SS_ENTITY_TERMS
                                  ? sqlite3_column_int64(q, 0)
                                  : tag_term(sqlite3_column_text(q, 0), sqlite3_column_bytes(q, 0));
            if (push_term(s, t)) return sqlite3_reset(q), -1;
        }
        if (rc != SQLITE_DONE) return -1;
    }
    return 0;
}

static int by_article(const void *pa, const void *pb)
{
    const shared *a = pa, *b = pb;
    return (a->article > b->article) - (a->article < b->article);
}

typedef struct event_link {
    sqlite3_int64 article;
    double similarity;
} event_link;

/* Links `key` to `other` as one event and merges their stories. */
static int join_event(kh_stories *s, sqlite3_int64 key, sqlite3_int64 other, double similarity)
{
    sqlite3_stmt *l = ss(s, SS_EVENT_LINK);
    if (!l) return -1;
    sqlite3_bind_int64(l, 1, other < key ? other : key);
    sqlite3_bind_int64(l, 2, other < key ? key : other);
    sqlite3_bind_double(l, 3, similarity);
    if (!done(l)) return -1;
    sqlite3_int64 story[2];
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *g = ss(s, SS_GET);
        if (!g) return -1;
        sqlite3_bind_int64(g, 1, i ? other : key);
        if (sqlite3_step(g) != SQLITE_ROW) return sqlite3_reset(g), -1;
        story[i] = sqlite3_column_int64(g, 0);
        sqlite3_reset(g);
    }
    if (story[0] == story[1]) return 0;
    sqlite3_stmt *m = ss(s, SS_MERGE);
    if (!m) return -1;
    sqlite3_bind_int64(m, 1, story[0] < story[1] ? story[0] : story[1]);
    sqlite3_bind_int64(m, 2, story[0] < story[1] ? story[1] : story[0]);
    return done(m) ? 0 : -1;
}

/* The shared terms, summed per article, into links to the best
 * EVENT_LINKS articles that tell one event with `key` (weight w). */
static int best_events(kh_stories *s, sqlite3_int64 key, double w)
{
    if (!s->n_shared) return 0;
    qsort(s->shared, s->n_shared, sizeof *s->shared, by_article);
    event_link best[EVENT_LINKS];
    size_t n_best = 0;
    for (size_t i = 0, j; i < s->n_shared; i = j) {
        double sum = 0;
        int entities = 0;
        for (j = i; j < s->n_shared && s->shared[j].article == s->shared[i].article; j++) {
            sum += s->shared[j].weight;
            entities += s->shared[j].entity;
        }
        if (j - i < EVENT_SHARED || !entities || (size_t)entities == j - i) continue;
        sqlite3_stmt *g = ss(s, SS_WEIGHT_GET);
        if (!g) return -1;
        sqlite3_bind_int64(g, 1, s->shared[i].article);
        double other = sqlite3_step(g) == SQLITE_ROW ? sqlite3_column_double(g, 1) : 0;
        sqlite3_reset(g);
        double sim = other + w > 0 ? 2 * sum / (other + w) : 0;
        if (sim < EVENT_THRESHOLD) continue;
        size_t at = n_best < EVENT_LINKS ? n_best++ : EVENT_LINKS;
        if (at == EVENT_LINKS) {
            if (sim <= best[EVENT_LINKS - 1].similarity) continue;
            at = EVENT_LINKS - 1;
        }
        while (at > 0 && best[at - 1].similarity < sim) {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = (event_link){s->shared[i].article, sim};
    }
    for (size_t i = 0; i < n_best; i++)
        if (join_event(s, key, best[i].article, best[i].similarity)) return -1;
    return 0;
}

/* Another article shares a term: 0 or -1. */
static int share(kh_stories *s, sqlite3_int64 article, int entity)
{
    shared *b = kh_room(s->shared, s->n_shared, &s->cap_shared, sizeof *b, 256);
    if (!b) return -1;
    s->shared = b;
    s->shared[s->n_shared++] = (shared){article, 0, entity};
    return 0;
}

int kh_stories_add_events(kh_stories *s, sqlite3_int64 key)
{
    sqlite3_stmt *d = ss(s, SS_DAY);
    if (!d) return -1;
    sqlite3_bind_int64(d, 1, key);
    int rc = sqlite3_step(d);
    if (rc == SQLITE_DONE) return 0; /* undated: no event to place it in */
    if (rc != SQLITE_ROW) return -1;
    sqlite3_int64 day = sqlite3_column_int64(d, 1);
    /* the articles of those days, counted again only now and then (a
     * count reads them all) */
    if (day != s->window_day || ++s->window_uses > WINDOW_RECOUNT) {
        sqlite3_stmt *n = ss(s, SS_WINDOW);
        if (!n) return sqlite3_reset(d), -1;
        sqlite3_bind_value(n, 1, sqlite3_column_value(d, 0));
        s->window = sqlite3_step(n) == SQLITE_ROW ? (double)sqlite3_column_int64(n, 0) : 1;
        sqlite3_reset(n);
        s->window_day = day;
        s->window_uses = 0;
    }
    double window = s->window;
    sqlite3_reset(d);
    if (read_terms(s, key)) return -1;
    s->n_shared = 0;
    double w = 0;
    kh_idmap *memory = terms_of(s);
    for (size_t t = 0; t < s->n_terms; t++) {
        size_t first = s->n_shared;
        if (memory) {
            /* as the statement gives them: by day, then article */
            for (sqlite3_int64 d = day - EVENT_DAYS; d <= day + EVENT_DAYS && s->n_shared - first <= TERM_CAP; d++) {
                unsigned char k[16];
                size_t count;
                term_key(s->terms[t], d, k);
                const sqlite3_int64 *ids = kh_idmap_get(memory, (const char *)k, 16, &count);
                for (size_t i = 0; i < count && s->n_shared - first <= TERM_CAP; i++)
                    if (ids[i] != key && share(s, ids[i], s->terms[t] > 0)) return -1;
            }
        } else {
            sqlite3_stmt *f = ss(s, SS_TERM_FIND);
            if (!f) return -1;
            sqlite3_bind_int64(f, 1, s->terms[t]);
            sqlite3_bind_int64(f, 2, day - EVENT_DAYS);
            sqlite3_bind_int64(f, 3, day + EVENT_DAYS);
            sqlite3_bind_int64(f, 4, key);
            while ((rc = sqlite3_step(f)) == SQLITE_ROW)
                if (share(s, sqlite3_column_int64(f, 0), s->terms[t] > 0)) return sqlite3_reset(f), -1;
            if (rc != SQLITE_DONE) return -1;
        }
        size_t df = s->n_shared - first;
        if (df > TERM_CAP) { /* too common these days */
            s->n_shared = first;
            continue;
        }
        double idf = log(((window > WINDOW_LEAST ? window : WINDOW_LEAST) + 1) / ((double)df + 1));
        if (idf < 0) idf = 0;
        w += idf;
        for (size_t k = first; k < s->n_shared; k++) s->shared[k].weight = idf;
    }
    /* the article's terms, stored after the lookups (which pass over its
     * own rows) */
    for (size_t t = 0; t < s->n_terms;) {
        unsigned k = kh_rows_fit(s->n_terms - t);
        sqlite3_stmt *a = kh_rows_statement(s->db, &s->terms_insert, k);
        if (!a) return -1;
        for (size_t i = 0; i < (size_t)1 << k; i++, t++) {
            sqlite3_bind_int64(a, (int)(3 * i + 1), s->terms[t]);
            sqlite3_bind_int64(a, (int)(3 * i + 2), day);
            sqlite3_bind_int64(a, (int)(3 * i + 3), key);
        }
        if (!done(a)) return -1;
    }
    for (size_t t = 0; s->term_days && t < s->n_terms; t++) {
        unsigned char k[16];
        term_key(s->terms[t], day, k);
        if (kh_idmap_add(s->term_days, (const char *)k, 16, key, NULL) < 0) terms_drop(s);
    }
    sqlite3_stmt *u = ss(s, SS_WEIGHT_SET);
    if (!u) return -1;
    sqlite3_bind_int64(u, 1, key);
    sqlite3_bind_double(u, 2, w);
    if (!done(u)) return -1;
    return best_events(s, key, w);
}

static size_t find_key(const sqlite3_int64 *keys, size_t n, sqlite3_int64 k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid] < k) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && keys[lo] == k ? lo : SIZE_MAX;
}

static size_t root(size_t *parent, size_t x)
{
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

/* The story of `key` without it: its other members split along the links
 * that remain, each part named by its smallest key. */
static int split(kh_stories *s, sqlite3_int64 key, sqlite3_int64 story)
{
    sqlite3_int64 *members = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *q = ss(s, SS_MEMBERS);
    if (!q) return -1;
    sqlite3_bind_int64(q, 1, story);
    sqlite3_bind_int64(q, 2, key);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            sqlite3_int64 *b = realloc(members, cap * sizeof *b);
            if (!b) { free(members); return -1; }
            members = b;
        }
        members[n++] = sqlite3_column_int64(q, 0);
    }
    if (rc != SQLITE_DONE) { free(members); return -1; }
    if (n == 0) return 0;
    size_t *parent = malloc(n * sizeof *parent);
    if (!parent) { free(members); return -1; }
    for (size_t i = 0; i < n; i++) parent[i] = i;
    int failed = 0;
    for (size_t i = 0; i < n && !failed; i++) {
        sqlite3_stmt *l = ss(s, SS_LINKS_OF);
        if (!l) { failed = 1; break; }
        sqlite3_bind_int64(l, 1, members[i]);
        while ((rc = sqlite3_step(l)) == SQLITE_ROW) {
            size_t j = find_key(members, n, sqlite3_column_int64(l, 0));
            if (j == SIZE_MAX) continue; /* the article going away */
            size_t a = root(parent, i), b = root(parent, j);
            /* the smaller index (so the smaller key) is the root */
            if (a < b) parent[b] = a;
            else if (b < a) parent[a] = b;
        }
        if (rc != SQLITE_DONE) failed = 1;
    }
    for (size_t i = 0; i < n && !failed; i++) {
        sqlite3_int64 name = members[root(parent, i)];
        if (name == story) continue;
        sqlite3_stmt *u = ss(s, SS_SET);
        if (!u) { failed = 1; break; }
        sqlite3_bind_int64(u, 1, name);
        sqlite3_bind_int64(u, 2, members[i]);
        if (!done(u)) failed = 1;
    }
    free(parent);
    free(members);
    return failed ? -1 : 0;
}

int kh_stories_remove(kh_stories *s, sqlite3_int64 key)
{
    if (s->term_days) { /* its rows go with it (the delete trigger) */
        sqlite3_stmt *t = ss(s, SS_TERMS_OF);
        if (!t) return -1;
        sqlite3_bind_int64(t, 1, key);
        int rc;
        while ((rc = sqlite3_step(t)) == SQLITE_ROW) {
            unsigned char k[16];
            term_key(sqlite3_column_int64(t, 0), sqlite3_column_int64(t, 1), k);
            kh_idmap_remove(s->term_days, (const char *)k, 16, key);
        }
        if (rc != SQLITE_DONE) return -1;
    }
    sqlite3_stmt *g = ss(s, SS_GET);
    if (!g) return -1;
    sqlite3_bind_int64(g, 1, key);
    int rc = sqlite3_step(g);
    if (rc == SQLITE_DONE) return 0;
    if (rc != SQLITE_ROW) return -1;
    sqlite3_int64 story = sqlite3_column_int64(g, 0);
    int bad = blob_to_sig(sqlite3_column_blob(g, 1), sqlite3_column_bytes(g, 1), s->sig, s->perms);
    sqlite3_reset(g);
    if (!bad) {
        khabar_dedup_band_keys(s->dedup, s->sig, s->keys);
        for (size_t b = 0; s->kept_bands && b < s->bands; b++)
            kh_idmap_remove(s->kept_bands, (const char *)&s->keys[b], sizeof s->keys[b], key);
        for (size_t b = 0; b < s->bands; b++) {
            sqlite3_stmt *d = ss(s, SS_UNBAND);
            if (!d) return -1;
            sqlite3_bind_int64(d, 1, (sqlite3_int64)s->keys[b]);
            sqlite3_bind_int64(d, 2, key);
            if (!done(d)) return -1;
        }
    }
    /* the article's own rows and links go with it (the delete trigger) */
    return split(s, key, story);
}

/* ---- listing ---- */

struct khabar_story_list {
    khabar_story *stories;
    size_t n;
    char *json;
};

static char *dup_column(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t) return NULL;
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    char *c = malloc(n + 1);
    if (c) { memcpy(c, t, n); c[n] = '\0'; }
    return c;
}

static khabar_status story_articles(khabar_archive *ar, sqlite3_int64 story, const khabar_story_query *q,
                                    khabar_story *out, khabar_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(kh_archive_db(ar),
                           "SELECT a.id, a.title, a.date FROM article_stories s JOIN articles a"
                           " ON a.key = s.article WHERE s.story = ?1"
                           " AND (?2 IS NULL OR a.date >= ?2) AND (?3 IS NULL OR a.date <= ?3)"
                           " ORDER BY a.date IS NULL, a.date, a.key", -1, &st, NULL) != SQLITE_OK)
        return kh_archive_db_error(ar, err, "cannot read the story");
    sqlite3_bind_int64(st, 1, story);
    if (q->from) sqlite3_bind_text(st, 2, q->from, -1, SQLITE_STATIC);
    if (q->to) sqlite3_bind_text(st, 3, q->to, -1, SQLITE_STATIC);
    size_t cap = 0;
    khabar_story_article *v = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->article_count == cap) {
            cap = cap ? 2 * cap : 8;
            khabar_story_article *b = realloc(v, cap * sizeof *b);
            if (!b) break;
            v = b;
            out->articles = v;
        }
        khabar_story_article *a = &v[out->article_count++];
        a->id = dup_column(st, 0);
        a->title = dup_column(st, 1);
        a->date = dup_column(st, 2);
        if (!a->id || !a->title) break;
    }
    out->articles = v;
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    if (rc != SQLITE_DONE) return kh_archive_db_error(ar, err, "cannot read the story");
    if (sqlite3_prepare_v2(kh_archive_db(ar),
                           "SELECT avg(CASE WHEN l.kind = 0 THEN l.similarity END),"
                           " coalesce(sum(l.kind = 0 AND l.similarity >= ?2), 0), coalesce(sum(l.kind = 1), 0)"
                           " FROM article_stories s JOIN story_links l ON l.a = s.article WHERE s.story = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return kh_archive_db_error(ar, err, "cannot read the story");
    sqlite3_bind_int64(st, 1, story);
    sqlite3_bind_double(st, 2, NEAR_DUPLICATE);
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->similarity = sqlite3_column_double(st, 0);
        out->near_duplicates = (size_t)sqlite3_column_int64(st, 1);
        out->same_event_links = (size_t)sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return KHABAR_OK;
}

khabar_status khabar_archive_stories(khabar_archive *ar, const khabar_story_query *q,
                                     khabar_story_list **out, khabar_error *err)
{
    if (!ar || !q || !out) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_stories: NULL argument");
    *out = NULL;
    const char *bounds[2] = {q->from, q->to};
    for (int b = 0; b < 2; b++)
        if (bounds[b] && (strlen(bounds[b]) != 10 || !kh_archive_is_day(bounds[b], 10)))
            return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "the date '%s' is not YYYY-MM-DD", bounds[b]);
    /* the ids as a JSON array, which SQLite's json_each reads as rows */
    char *ids = NULL;
    if (q->article_count) {
        json_t *arr = q->articles ? json_array() : NULL;
        for (size_t i = 0; arr && i < q->article_count; i++)
            if (!q->articles[i] || json_array_append_new(arr, json_string(q->articles[i]))) {
                json_decref(arr);
                return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "an article id is NULL or not UTF-8");
            }
        ids = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
        json_decref(arr);
        if (!ids) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_stories: no article ids");
    }
    khabar_story_list *l = calloc(1, sizeof *l);
    if (!l) {
        free(ids);
        return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    sqlite3 *db = kh_archive_db(ar);
    int began = sqlite3_get_autocommit(db) && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_stmt *st;
    khabar_status status = KHABAR_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT s.story, count(*) AS n, min(a.date), max(a.date) FROM article_stories s"
                           " JOIN articles a ON a.key = s.article"
                           " WHERE (?1 IS NULL OR a.date >= ?1) AND (?2 IS NULL OR a.date <= ?2)"
                           " AND (?5 IS NULL OR s.story IN (SELECT t.story FROM json_each(?5) j"
                           " JOIN articles b ON b.id = j.value JOIN article_stories t ON t.article = b.key))"
                           " GROUP BY s.story HAVING n >= ?3 ORDER BY n DESC, max(a.date) DESC, s.story"
                           " LIMIT ?4", -1, &st, NULL) != SQLITE_OK) {
        status = kh_archive_db_error(ar, err, "cannot read the stories");
        goto out;
    }
    if (q->from) sqlite3_bind_text(st, 1, q->from, -1, SQLITE_STATIC);
    if (q->to) sqlite3_bind_text(st, 2, q->to, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)(q->min_size ? q->min_size : 2));
    sqlite3_bind_int64(st, 4, (sqlite3_int64)(q->limit ? q->limit : 20));
    if (ids) sqlite3_bind_text(st, 5, ids, -1, SQLITE_STATIC);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (l->n == cap) {
            cap = cap ? 2 * cap : 16;
            khabar_story *b = realloc(l->stories, cap * sizeof *b);
            if (!b) { status = kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory"); break; }
            l->stories = b;
        }
        khabar_story *s = &l->stories[l->n++];
        memset(s, 0, sizeof *s);
        s->size = (size_t)sqlite3_column_int64(st, 1);
        s->first_date = dup_column(st, 2);
        s->last_date = dup_column(st, 3);
        if ((status = story_articles(ar, sqlite3_column_int64(st, 0), q, s, err))) break;
    }
    if (!status && rc != SQLITE_DONE) status = kh_archive_db_error(ar, err, "cannot read the stories");
    sqlite3_finalize(st);
out:
    if (began) sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    free(ids);
    if (status) {
        khabar_story_list_free(l);
        return status;
    }
    *out = l;
    return KHABAR_OK;
}

size_t khabar_story_list_count(const khabar_story_list *l) { return l ? l->n : 0; }

const khabar_story *khabar_story_list_at(const khabar_story_list *l, size_t i)
{
    return l && i < l->n ? &l->stories[i] : NULL;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

const char *khabar_story_list_json(khabar_story_list *l, size_t *len)
{
    if (!l) return NULL;
    if (!l->json) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < l->n; i++) {
            const khabar_story *s = &l->stories[i];
            json_t *o = json_object(), *members = json_array();
            for (size_t k = 0; k < s->article_count; k++) {
                const khabar_story_article *a = &s->articles[k];
                json_t *m = json_object();
                json_object_set_new(m, "id", json_string(a->id));
                json_object_set_new(m, "title", json_string(a->title));
                json_object_set_new(m, "date", str_or_null(a->date));
                json_array_append_new(members, m);
            }
            json_object_set_new(o, "size", json_integer((json_int_t)s->size));
            json_object_set_new(o, "first", s->article_count ? json_string(s->articles[0].id) : json_null());
            json_object_set_new(o, "first_date", str_or_null(s->first_date));
            json_object_set_new(o, "last_date", str_or_null(s->last_date));
            json_object_set_new(o, "similarity", json_real(s->similarity));
            json_object_set_new(o, "near_duplicates", json_integer((json_int_t)s->near_duplicates));
            json_object_set_new(o, "same_event_links", json_integer((json_int_t)s->same_event_links));
            json_object_set_new(o, "articles", members);
            json_array_append_new(arr, o);
        }
        l->json = arr ? json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4)) : NULL;
        json_decref(arr);
        if (!l->json) return NULL;
    }
    if (len) *len = strlen(l->json);
    return l->json;
}

void khabar_story_list_free(khabar_story_list *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n; i++) {
        khabar_story *s = &l->stories[i];
        for (size_t k = 0; k < s->article_count; k++) {
            free((char *)s->articles[k].id);
            free((char *)s->articles[k].title);
            free((char *)s->articles[k].date);
        }
        free((khabar_story_article *)s->articles);
        free((char *)s->first_date);
        free((char *)s->last_date);
    }
    free(l->stories);
    free(l->json);
    free(l);
}
