/* The archive: articles and their analyses in SQLite (schema in
 * docs/archive.md), searched through FTS5 with khabar's tokenizer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <zstd.h>

#include "fts5_khabar.h"
#include "archive_internal.h"

/* PRAGMA application_id of a khabar archive: "khbr". */
#define APPLICATION_ID 0x6b686272
#define BUSY_TIMEOUT_MS 10000

static const char schema_sql[] =
    "CREATE TABLE articles(\n"
    "  key INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL UNIQUE,\n"
    "  title TEXT NOT NULL DEFAULT '',\n"
    "  date TEXT,\n"
    "  text TEXT NOT NULL,\n"
    "  analysis BLOB NOT NULL);\n"
    "CREATE INDEX articles_date ON articles(date);\n"
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles',\n"
    "  content_rowid='key', tokenize='khabar');\n"
    "INSERT INTO articles_fts(articles_fts, rank) VALUES('rank', 'bm25(3.0, 1.0)');\n"
    "CREATE TABLE entities(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  type TEXT NOT NULL,\n"
    "  en TEXT,\n"
    "  UNIQUE(name, type));\n"
    "CREATE TABLE entity_names(\n"
    "  name TEXT NOT NULL,\n"
    "  entity INTEGER NOT NULL REFERENCES entities(id),\n"
    "  PRIMARY KEY(name, entity)) WITHOUT ROWID;\n"
    "CREATE TABLE article_entities(\n"
    "  article INTEGER NOT NULL REFERENCES articles(key),\n"
    "  entity INTEGER NOT NULL REFERENCES entities(id),\n"
    "  mentions INTEGER NOT NULL,\n"
    "  PRIMARY KEY(article, entity)) WITHOUT ROWID;\n"
    "CREATE INDEX article_entities_entity ON article_entities(entity, article);\n"
    "CREATE TABLE article_tags(\n"
    "  article INTEGER NOT NULL REFERENCES articles(key),\n"
    "  norm TEXT NOT NULL,\n"
    "  tag TEXT NOT NULL,\n"
    "  score REAL NOT NULL,\n"
    "  PRIMARY KEY(article, norm)) WITHOUT ROWID;\n"
    "CREATE INDEX article_tags_norm ON article_tags(norm, article);\n"
    "CREATE TRIGGER articles_delete AFTER DELETE ON articles BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)\n"
    "    VALUES('delete', old.key, old.title, old.text);\n"
    "  DELETE FROM article_entities WHERE article = old.key;\n"
    "  DELETE FROM article_tags WHERE article = old.key;\n"
    "END;\n"
    "CREATE TRIGGER articles_update AFTER UPDATE OF title, text ON articles BEGIN\n"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)\n"
    "    VALUES('delete', old.key, old.title, old.text);\n"
    "  INSERT INTO articles_fts(rowid, title, text) VALUES(new.key, new.title, new.text);\n"
    "END;\n";

/* Schema 2: stories (archive/stories.c), entities' spellings with their
 * counts, and quotes by speaker.  Story band rows are deleted by the
 * library, which computes their keys; the rest goes with the article. */
static const char stories_sql[] =
    "CREATE TABLE article_spellings(\n"
    "  article INTEGER NOT NULL REFERENCES articles(key),\n"
    "  entity INTEGER NOT NULL REFERENCES entities(id),\n"
    "  name TEXT NOT NULL,\n"
    "  mentions INTEGER NOT NULL,\n"
    "  PRIMARY KEY(article, entity, name)) WITHOUT ROWID;\n"
    "CREATE INDEX article_spellings_entity ON article_spellings(entity, name);\n"
    "CREATE TABLE article_quotes(\n"
    "  article INTEGER NOT NULL REFERENCES articles(key),\n"
    "  n INTEGER NOT NULL,\n"
    "  entity INTEGER NOT NULL REFERENCES entities(id),\n"
    "  start INTEGER NOT NULL,\n"
    "  end INTEGER NOT NULL,\n"
    "  direct INTEGER NOT NULL,\n"
    "  PRIMARY KEY(article, n, entity)) WITHOUT ROWID;\n"
    "CREATE INDEX article_quotes_entity ON article_quotes(entity);\n"
    "CREATE TABLE article_stories(\n"
    "  article INTEGER PRIMARY KEY REFERENCES articles(key),\n"
    "  story INTEGER NOT NULL,\n"
    "  signature BLOB NOT NULL);\n"
    "CREATE INDEX article_stories_story ON article_stories(story);\n"
    "CREATE TABLE story_bands(\n"
    "  band INTEGER NOT NULL,\n"
    "  article INTEGER NOT NULL,\n"
    "  PRIMARY KEY(band, article)) WITHOUT ROWID;\n"
    "CREATE TABLE story_links(\n"
    "  a INTEGER NOT NULL,\n"
    "  b INTEGER NOT NULL,\n"
    "  similarity REAL NOT NULL,\n"
    "  PRIMARY KEY(a, b)) WITHOUT ROWID;\n"
    "CREATE INDEX story_links_b ON story_links(b, a);\n"
    "CREATE TRIGGER articles_delete_story AFTER DELETE ON articles BEGIN\n"
    "  DELETE FROM article_stories WHERE article = old.key;\n"
    "  DELETE FROM story_links WHERE a = old.key OR b = old.key;\n"
    "  DELETE FROM article_spellings WHERE article = old.key;\n"
    "  DELETE FROM article_quotes WHERE article = old.key;\n"
    "END;\n";

/* Schema 4: an article's row in articles_fts is written by the library
 * (flush_fts), no longer by a trigger on articles. */
static const char schema_4_sql[] = "DROP TRIGGER IF EXISTS articles_insert;\n";

/* Schema 5: each article's words' offsets (khabar_offsets), so that a
 * search marks its hits' words without analysing their texts again.  A
 * text changed or deleted takes its offsets with it: khabar_marks then
 * analyses the text. */
static const char schema_5_sql[] =
    "CREATE TABLE article_tokens(\n"
    "  article INTEGER PRIMARY KEY REFERENCES articles(key),\n"
    "  offsets BLOB NOT NULL);\n"
    "CREATE TRIGGER articles_delete_tokens AFTER DELETE ON articles BEGIN\n"
    "  DELETE FROM article_tokens WHERE article = old.key;\n"
    "END;\n"
    "CREATE TRIGGER articles_update_tokens AFTER UPDATE OF text ON articles BEGIN\n"
    "  DELETE FROM article_tokens WHERE article = old.key;\n"
    "END;\n";

/* The upgrade to schema 5: the stored articles' offsets. */
static const char schema_5_fill_sql[] =
    "WITH o AS MATERIALIZED (SELECT key, khabar_offsets(text) AS offsets FROM articles)\n"
    "INSERT INTO article_tokens(article, offsets) SELECT key, offsets FROM o WHERE offsets IS NOT NULL;\n";

/* Schema 7: each spelling as written in the article, beside its normalised
 * key (حركة طالبان, not the key حركه طالبان), to show readers.  Rows of
 * an older schema have none: their key is shown until the article is
 * indexed again. */
static const char schema_7_sql[] = "ALTER TABLE article_spellings ADD COLUMN written TEXT;\n";

enum {
    ST_FIND, ST_DELETE, ST_INSERT, ST_ARTICLE_ENTITY,
    ST_QUOTE, ST_FTS, ST_DATA_VERSION, ST_TOKENS, N_STATEMENTS
};

static const char *const statement_sql[N_STATEMENTS] = {
    "SELECT key FROM articles WHERE id = ?1",
    "DELETE FROM articles WHERE key = ?1",
    "INSERT INTO articles(id, title, date, text, analysis) VALUES(?1, ?2, ?3, ?4, ?5)",
    /* parenthesised: clang's -Wstring-concatenation takes two adjacent
     * literals in an array's initialiser for a missing comma */
    ("INSERT INTO article_entities(article, entity, mentions) VALUES(?1, ?2, ?3)"
     " ON CONFLICT(article, entity) DO UPDATE SET mentions = mentions + excluded.mentions"),
    "INSERT OR IGNORE INTO article_quotes(article, n, entity, start, end, direct) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO articles_fts(rowid, title, text) VALUES(?1, ?2, ?3)",
    "PRAGMA data_version",
    "INSERT INTO article_tokens(article, offsets) VALUES(?1, ?2)",
};

/* Articles a connection adds in batches, since it last dropped its copies
 * (or opened), before it keeps copies in memory of what the writer looks
 * up for every article (kh_linker_use_memory, kh_stories_use_memory):
 * reading them costs more than many articles' lookups in SQLite, so a
 * connection that adds a few articles at a time, or takes turns with
 * another writer, goes on asking SQLite. */
#define MEMORY_AFTER 64

/* An article stored in the open batch whose row in articles_fts is not
 * written yet. */
typedef struct pending_fts {
    sqlite3_int64 key;
    char *title, *text;   /* copies */
    size_t title_len, text_len;
    kh_fts5_tokens *tokens; /* the text's terms, or NULL to analyse it */
} pending_fts;

struct khabar_archive {
    sqlite3 *db;
    const khabar_model *model;
    khabar_model *own_model; /* model when this archive loaded it, else NULL */
    sqlite3_stmt *st[N_STATEMENTS];
    int in_batch;
    size_t added;          /* articles added in batches since the copies were last dropped */
    sqlite3_int64 data_version; /* at the last batch's begin, -1 unknown */
    kh_stories *stories;
    kh_facets *facets;
    kh_linker *linker;
    kh_fts5_registration *fts5;
    kh_search_statements *search_statements;
    char *norm;         /* khabar_normalize output */
    size_t norm_cap;
    /* FTS5 writes the terms it holds as a new segment whenever a statement
     * of the transaction ends that had a statement journal (any with a
     * trigger that may fail, as a DELETE of articles has): a segment per
     * article, costing more than the article, when its rows are written
     * with the rest of it.  So a batch's rows in articles_fts are written
     * together at its commit, one statement each, none with a journal. */
    pending_fts *pending;
    size_t n_pending, pending_cap;
    /* The article's names stored so far (entity, normalised name), with
     * how many of its mentions are written so: each is stored once. */
    struct article_name {
        sqlite3_int64 entity;
        size_t at, len; /* in names_pool */
        size_t written_at, written_len; /* as first met, in names_pool */
        size_t mentions;
    } *names;
    size_t n_names, names_cap;
    char *names_pool;
    size_t names_pool_len, names_pool_cap;
    kh_rows spellings_insert, tags_insert;
    size_t *tag_ends;   /* the doc's tags' normal forms, in tags_pool */
    size_t tag_ends_cap;
    char *tags_pool;
    size_t tags_pool_cap;
};

khabar_status kh_archive_fail(khabar_error *err, khabar_status code, size_t offset,
                               const char *fmt, ...)
{
    if (err) {
        err->code = code;
        err->offset = offset;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

khabar_status kh_archive_db_error(khabar_archive *ar, khabar_error *err, const char *doing)
{
    int code = sqlite3_errcode(ar->db);
    khabar_status st = code == SQLITE_NOMEM ? KHABAR_ERROR_MEMORY
                     : code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? KHABAR_ERROR_FORMAT
                     : KHABAR_ERROR_IO;
    return kh_archive_fail(err, st, 0, "%s: %s", doing, sqlite3_errmsg(ar->db));
}

sqlite3 *kh_archive_db(khabar_archive *ar) { return ar->db; }
kh_fts5_registration *kh_archive_fts5(khabar_archive *ar) { return ar->fts5; }
kh_facets *kh_archive_facets(khabar_archive *ar) { return ar->facets; }
kh_search_statements **kh_archive_search_statements(khabar_archive *ar) { return &ar->search_statements; }

const khabar_model *kh_archive_model(khabar_archive *ar) { return ar->model; }

static int exec(khabar_archive *ar, const char *sql)
{
    return sqlite3_exec(ar->db, sql, NULL, NULL, NULL);
}

/* One integer from a statement with no parameters; -1 on failure. */
static long long query_int(khabar_archive *ar, const char *sql)
{
    sqlite3_stmt *s;
    long long v = -1;
    if (sqlite3_prepare_v2(ar->db, sql, -1, &s, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static sqlite3_stmt *statement(khabar_archive *ar, int which)
{
    if (!ar->st[which] &&
        sqlite3_prepare_v3(ar->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &ar->st[which], NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(ar->st[which]);
    sqlite3_clear_bindings(ar->st[which]);
    return ar->st[which];
}

/* Schema 6 stores each article's analysis JSON compressed by zstd, one
 * frame (its size in the header): 4.8 times smaller on SaudiNewsNet's, for
 * about 50 µs of CPU an article on the thread that analysed it.  Level 1:
 * level 3 was 5.0 times smaller and up to a fifth slower to pack. */
#define PACK_LEVEL 1

static khabar_status pack_with(ZSTD_CCtx *cx, const char *json, size_t len, void **out, size_t *out_len,
                               khabar_error *err)
{
    size_t cap = ZSTD_compressBound(len);
    void *buf = malloc(cap ? cap : 1);
    if (!buf) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    size_t n = cx ? ZSTD_compressCCtx(cx, buf, cap, json, len, PACK_LEVEL) : ZSTD_compress(buf, cap, json, len, PACK_LEVEL);
    if (ZSTD_isError(n)) { /* only when memory runs out: the bound fits any input */
        free(buf);
        return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "cannot pack the analysis: %s", ZSTD_getErrorName(n));
    }
    /* the bound is the JSON's size and more, the frame about a fifth of it:
     * an indexing batch holds 512 of these */
    void *fit = realloc(buf, n ? n : 1);
    *out = fit ? fit : buf;
    *out_len = n;
    return KHABAR_OK;
}

/* Each thread that packs keeps one compression context, freed when the
 * thread ends: ZSTD_compress() makes and frees one at every call, and its
 * tables (hundreds of KiB, allocated fresh) cost as many page faults as the
 * packing itself (index_speed: 150 µs an article, half of it the kernel's
 * clearing of new pages). */
static pthread_once_t pack_key_made = PTHREAD_ONCE_INIT;
static pthread_key_t pack_key;
static int pack_key_ok;

static void free_pack_context(void *cx) { ZSTD_freeCCtx(cx); }

static void make_pack_key(void) { pack_key_ok = pthread_key_create(&pack_key, free_pack_context) == 0; }

/* The calling thread's context, NULL when it cannot be made (ZSTD_compress
 * then makes one for the call). */
static ZSTD_CCtx *pack_context(void)
{
    pthread_once(&pack_key_made, make_pack_key);
    if (!pack_key_ok) return NULL;
    ZSTD_CCtx *cx = pthread_getspecific(pack_key);
    if (cx) return cx;
    if (!(cx = ZSTD_createCCtx())) return NULL;
    if (pthread_setspecific(pack_key, cx)) {
        ZSTD_freeCCtx(cx);
        return NULL;
    }
    return cx;
}

khabar_status khabar_archive_pack(const char *analysis, size_t len, void **out, size_t *out_len, khabar_error *err)
{
    if (!out || !out_len || (!analysis && len))
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_pack: NULL argument");
    *out = NULL;
    *out_len = 0;
    return pack_with(pack_context(), analysis ? analysis : "", len, out, out_len, err);
}

void khabar_archive_packed_free(void *packed) { free(packed); }

/* The analysis JSON of a stored value: unpacked (schema 6's blobs) or as
 * it is (text), NUL-terminated, malloc'd; NULL on no memory (*bad 0) or a
 * blob that is not a whole frame (*bad 1). */
static char *unpack(const void *v, size_t n, int is_blob, size_t *len, int *bad)
{
    *bad = 0;
    unsigned long long size = is_blob ? ZSTD_getFrameContentSize(v, n) : n;
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size >= INT32_MAX) {
        *bad = 1;
        return NULL;
    }
    char *json = malloc((size_t)size + 1);
    if (!json) return NULL;
    if (!is_blob) {
        if (n) memcpy(json, v, n);
    } else if (ZSTD_decompress(json, (size_t)size, v, n) != size) {
        free(json);
        *bad = 1;
        return NULL;
    }
    json[size] = '\0';
    *len = (size_t)size;
    return json;
}

/* The upgrade to schema 6: every analysis stored as text is packed. */
static int pack_analyses(khabar_archive *ar)
{
    sqlite3_stmt *get = NULL, *put = NULL;
    ZSTD_CCtx *cx = ZSTD_createCCtx();
    int rc = !cx ||
             sqlite3_prepare_v2(ar->db, "SELECT key, analysis FROM articles WHERE typeof(analysis) = 'text'", -1, &get,
                                NULL) != SQLITE_OK ||
             sqlite3_prepare_v2(ar->db, "UPDATE articles SET analysis = ?2 WHERE key = ?1", -1, &put, NULL) != SQLITE_OK;
    /* a row updated is a blob: met again, the scan passes it over */
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(get)) == SQLITE_ROW) {
        void *packed;
        size_t len;
        const char *json = (const char *)sqlite3_column_text(get, 1);
        rc = !json || sqlite3_bind_int64(put, 1, sqlite3_column_int64(get, 0)) != SQLITE_OK ||
             pack_with(cx, json, (size_t)sqlite3_column_bytes(get, 1), &packed, &len, NULL) ||
             sqlite3_bind_blob64(put, 2, packed, len, free) != SQLITE_OK || sqlite3_step(put) != SQLITE_DONE;
        sqlite3_reset(put);
    }
    rc = rc || step != SQLITE_DONE;
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    ZSTD_freeCCtx(cx);
    return rc ? -1 : 0;
}

/* Checks that the file is a khabar archive of a schema this library reads,
 * or makes one of an empty database. */
/* Schema 1 had no stories, schema 2 neither entities linked across
 * articles nor same-event stories: make the tables missing, index the
 * stored entities' names, and put every article in its story (schema 1)
 * or link it to those that tell the same event (schema 2), in one
 * transaction.  Entities stored before are not joined: that needs the
 * articles indexed again.  Schema 3 had the trigger that schema 4 drops;
 * schema 4 had no stored offsets (schema 5's, made from the texts);
 * schema 5 stored the analysis as JSON text (schema 6 packs it); schema 6
 * kept spellings normalised only (schema 7 adds them as written). */
/* Schema 7's column, unless the file has it (a file marked older by hand
 * keeps its columns): 0, or -1 when it cannot be told or added. */
static int add_written_column(khabar_archive *ar)
{
    long long has = query_int(ar, "SELECT count(*) FROM pragma_table_info('article_spellings') WHERE name = 'written'");
    return has < 0 || (has == 0 && exec(ar, schema_7_sql) != SQLITE_OK) ? -1 : 0;
}

static khabar_status upgrade(khabar_archive *ar, const char *path, long long from, khabar_error *err)
{
    if (exec(ar, "BEGIN IMMEDIATE") != SQLITE_OK) return kh_archive_db_error(ar, err, path);
    int failed = query_int(ar, "PRAGMA user_version") != from; /* another process upgraded it */
    if (failed) {
        exec(ar, "ROLLBACK");
        return KHABAR_OK;
    }
    char version[40];
    snprintf(version, sizeof version, "PRAGMA user_version = %d", KHABAR_ARCHIVE_SCHEMA);
    sqlite3_stmt *s = NULL;
    failed = (from < 2 && exec(ar, stories_sql) != SQLITE_OK) ||
             (from < 3 && (exec(ar, kh_schema_3_sql) != SQLITE_OK || kh_linker_index_all(ar->linker) ||
                           sqlite3_prepare_v2(ar->db, "SELECT key, text FROM articles ORDER BY key", -1, &s, NULL) !=
                               SQLITE_OK));
    int rc = SQLITE_DONE;
    while (!failed && s && (rc = sqlite3_step(s)) == SQLITE_ROW)
        failed = (from < 2 ? kh_stories_add(ar->stories, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
                                            (size_t)sqlite3_column_bytes(s, 1))
                           : kh_stories_add_events(ar->stories, sqlite3_column_int64(s, 0))) != 0;
    sqlite3_finalize(s);
    failed = failed || rc != SQLITE_DONE || (from < 4 && exec(ar, schema_4_sql) != SQLITE_OK) ||
             (from < 5 && (exec(ar, schema_5_sql) != SQLITE_OK || exec(ar, schema_5_fill_sql) != SQLITE_OK)) ||
             (from < 6 && pack_analyses(ar)) || (from < 7 && add_written_column(ar)) ||
             exec(ar, version) != SQLITE_OK;
    khabar_status st = failed ? kh_archive_fail(err, KHABAR_ERROR_IO, 0, "cannot upgrade the archive to schema %d: %s",
                                                KHABAR_ARCHIVE_SCHEMA, sqlite3_errmsg(ar->db))
                              : KHABAR_OK;
    kh_stories_reset(ar->stories);
    kh_linker_reset(ar->linker);
    exec(ar, failed ? "ROLLBACK" : "COMMIT");
    return st;
}

static khabar_status check_schema(khabar_archive *ar, const char *path, unsigned flags,
                                  khabar_error *err)
{
    long long app = query_int(ar, "PRAGMA application_id");
    if (app < 0) {
        if (sqlite3_errcode(ar->db) == SQLITE_NOTADB)
            return kh_archive_fail(err, KHABAR_ERROR_FORMAT, 0, "%s is not a khabar archive (not an SQLite database)", path);
        return kh_archive_db_error(ar, err, path);
    }
    long long version = query_int(ar, "PRAGMA user_version");
    long long objects = query_int(ar, "SELECT count(*) FROM sqlite_schema");
    if (app == APPLICATION_ID) {
        if (version > KHABAR_ARCHIVE_SCHEMA)
            return kh_archive_fail(err, KHABAR_ERROR_FORMAT, 0,
                             "%s has archive schema %lld, newer than this khabar reads (%d): upgrade khabar",
                             path, version, KHABAR_ARCHIVE_SCHEMA);
        if (version < 1)
            return kh_archive_fail(err, KHABAR_ERROR_FORMAT, 0, "%s is a khabar archive with no schema version", path);
        if (version < KHABAR_ARCHIVE_SCHEMA && (flags & KHABAR_ARCHIVE_READONLY))
            return kh_archive_fail(err, KHABAR_ERROR_FORMAT, 0,
                                   "%s has archive schema %lld, older than this khabar reads (%d): open it once"
                                   " for writing (khabar index --db %s) to upgrade it",
                                   path, version, KHABAR_ARCHIVE_SCHEMA, path);
        if (version < KHABAR_ARCHIVE_SCHEMA) return upgrade(ar, path, version, err);
        return KHABAR_OK;
    }
    if (app != 0 || objects != 0)
        return kh_archive_fail(err, KHABAR_ERROR_FORMAT, 0,
                         "%s is an SQLite database but not a khabar archive", path);
    if (flags & KHABAR_ARCHIVE_READONLY)
        return kh_archive_fail(err, KHABAR_ERROR_FORMAT, 0, "%s is an empty database, not a khabar archive", path);
    char pragmas[96];
    snprintf(pragmas, sizeof pragmas, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
             APPLICATION_ID, KHABAR_ARCHIVE_SCHEMA);
    /* 8 KiB pages rather than 4: an article's row (its text and analysis
     * JSON, about 20 KiB) in half as many overflow pages; the writer's CPU
     * about 12% less for 2% more file (16 KiB: the same CPU, 7% more file) */
    exec(ar, "PRAGMA page_size = 8192");
    if (exec(ar, "BEGIN IMMEDIATE") != SQLITE_OK) return kh_archive_db_error(ar, err, path);
    /* another process may have made it meanwhile */
    if (query_int(ar, "SELECT count(*) FROM sqlite_schema") == 0 &&
        (exec(ar, schema_sql) != SQLITE_OK || exec(ar, stories_sql) != SQLITE_OK ||
         exec(ar, kh_schema_3_sql) != SQLITE_OK || exec(ar, schema_4_sql) != SQLITE_OK ||
         exec(ar, schema_5_sql) != SQLITE_OK || exec(ar, schema_7_sql) != SQLITE_OK || exec(ar, pragmas) != SQLITE_OK)) {
        khabar_status st = kh_archive_db_error(ar, err, "cannot make the archive");
        exec(ar, "ROLLBACK");
        return st;
    }
    if (exec(ar, "COMMIT") != SQLITE_OK) return kh_archive_db_error(ar, err, path);
    return check_schema(ar, path, flags | KHABAR_ARCHIVE_READONLY, err);
}

khabar_status khabar_archive_open(const char *path, unsigned flags, khabar_archive **out,
                                  khabar_error *err)
{
    return khabar_archive_open_with_model(path, flags, NULL, out, err);
}

/* SQLite's memory statistics take a global lock around every allocation:
 * with two threads searching, a tenth of the server's time went to waiting
 * for it.  And statement journals kept in memory: inside a batch each
 * statement that writes keeps the pages it changes, for its own rollback,
 * in a journal that SQLite spills past 64 KiB to a temporary file; indexing
 * 2,000 SaudiNewsNet articles wrote 371 MB to such files (the database
 * and its WAL: 160 MB), a system call and a copy each 4 KiB.  A statement's
 * journal is dropped when it ends, so memory holds one statement's pages.
 * Set before SQLite initialises (a process that initialised it first keeps
 * its own settings: SQLITE_MISUSE, ignored). */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;

static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
}

khabar_status khabar_archive_open_with_model(const char *path, unsigned flags, const khabar_model *model,
                                             khabar_archive **out, khabar_error *err)
{
    if (!path || !out) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_open: NULL argument");
    pthread_once(&sqlite_configured, configure_sqlite);
    *out = NULL;
    khabar_archive *ar = calloc(1, sizeof *ar);
    if (!ar) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    khabar_status st = KHABAR_OK;
    if (model) {
        ar->model = model;
    } else {
        if ((st = khabar_model_new(&ar->own_model, err))) { free(ar); return st; }
        ar->model = ar->own_model;
    }
    int oflags = (flags & KHABAR_ARCHIVE_READONLY) ? SQLITE_OPEN_READONLY
               : SQLITE_OPEN_READWRITE | ((flags & KHABAR_ARCHIVE_CREATE) ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &ar->db, oflags, NULL) != SQLITE_OK) {
        st = kh_archive_fail(err, KHABAR_ERROR_IO, 0, "cannot open %s: %s", path,
                       ar->db ? sqlite3_errmsg(ar->db) : "out of memory");
        khabar_archive_close(ar);
        return st;
    }
    sqlite3_extended_result_codes(ar->db, 0);
    sqlite3_busy_timeout(ar->db, BUSY_TIMEOUT_MS);
    if (kh_fts5_register_for(ar->db, ar->model, &ar->fts5) != SQLITE_OK) {
        st = kh_archive_fail(err, KHABAR_ERROR_IO, 0, "this SQLite has no FTS5");
        khabar_archive_close(ar);
        return st;
    }
    ar->data_version = -1;
    ar->spellings_insert = (kh_rows){"INSERT INTO article_spellings(article, entity, name, mentions, written) VALUES", 5,
                                     "ON CONFLICT(article, entity, name) DO UPDATE SET mentions = mentions + "
                                     "excluded.mentions", {NULL}};
    ar->tags_insert = (kh_rows){"INSERT OR IGNORE INTO article_tags(article, norm, tag, score) VALUES", 4, NULL,
                                {NULL}};
    ar->stories = kh_stories_new(ar->db);
    ar->facets = kh_facets_new(ar->db);
    ar->linker = kh_linker_new(ar);
    if (!ar->stories || !ar->facets || !ar->linker) {
        st = kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        khabar_archive_close(ar);
        return st;
    }
    /* a larger page cache than SQLite's 2 MB default: searches read the
     * same index pages again and again */
    exec(ar, "PRAGMA cache_size = -32768");
    /* and pages read in place from the file's mapping, not copied by a
     * read() each: a search with facets touches thousands of pages */
    exec(ar, "PRAGMA mmap_size = 1073741824");
    if ((st = check_schema(ar, path, flags, err))) {
        khabar_archive_close(ar);
        return st;
    }
    /* WAL: readers go on while one writer writes, and a crash loses at most
     * the open transaction.  NORMAL is durable across process crashes. */
    if (!(flags & KHABAR_ARCHIVE_READONLY) &&
        (exec(ar, "PRAGMA journal_mode = WAL") != SQLITE_OK ||
         exec(ar, "PRAGMA synchronous = NORMAL") != SQLITE_OK)) {
        st = kh_archive_db_error(ar, err, path);
        khabar_archive_close(ar);
        return st;
    }
    *out = ar;
    return KHABAR_OK;
}

/* The writer's copies in memory dropped and left unused until the
 * connection has added MEMORY_AFTER articles in batches again. */
static void drop_copies(khabar_archive *ar)
{
    kh_linker_use_memory(ar->linker, 0);
    kh_stories_use_memory(ar->stories, 0);
    ar->added = 0;
}

static void drop_pending(khabar_archive *ar)
{
    for (size_t i = 0; i < ar->n_pending; i++) {
        free(ar->pending[i].title);
        free(ar->pending[i].text);
        kh_fts5_tokens_free(ar->pending[i].tokens);
    }
    ar->n_pending = 0;
}

/* Writes the pending rows of articles_fts.  0 or -1 (the database's
 * error); the rows are dropped either way (a failure rolls back). */
static int flush_fts(khabar_archive *ar)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < ar->n_pending; i++) {
        const pending_fts *p = &ar->pending[i];
        sqlite3_stmt *s = statement(ar, ST_FTS);
        if (!s) { rc = -1; break; }
        sqlite3_bind_int64(s, 1, p->key);
        sqlite3_bind_text(s, 2, p->title, (int)p->title_len, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, p->text, (int)p->text_len, SQLITE_STATIC);
        kh_fts5_set_tokens(ar->fts5, p->tokens, p->text, p->text_len);
        rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
        kh_fts5_set_tokens(ar->fts5, NULL, NULL, 0);
        sqlite3_reset(s);
    }
    drop_pending(ar);
    return rc;
}

/* The offsets of the words of the article stored as `key` (schema 5), from
 * the terms queued for it. */
static int add_offsets(khabar_archive *ar, sqlite3_int64 key, const pending_fts *p)
{
    unsigned char *offsets;
    size_t len;
    if (kh_fts5_offsets(ar->fts5, p->tokens, p->text, p->text_len, &offsets, &len) != SQLITE_OK) return -1;
    if (!offsets) return 0; /* no words */
    sqlite3_stmt *s = statement(ar, ST_TOKENS);
    int rc = s && sqlite3_bind_int64(s, 1, key) == SQLITE_OK &&
                     sqlite3_bind_blob64(s, 2, offsets, len, sqlite3_free) == SQLITE_OK &&
                     sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
    if (!s) sqlite3_free(offsets);
    return rc;
}

/* Queues the article stored as `key` for flush_fts. */
static int add_pending(khabar_archive *ar, sqlite3_int64 key, const khabar_article *a, const khabar_doc *doc)
{
    pending_fts *grown = kh_room(ar->pending, ar->n_pending, &ar->pending_cap, sizeof *grown, 64);
    if (!grown) return -1;
    ar->pending = grown;
    pending_fts *p = &ar->pending[ar->n_pending];
    p->key = key;
    p->title_len = a->title ? a->title_len : 0;
    p->text_len = a->text_len;
    p->title = malloc(p->title_len + 1);
    p->text = malloc(p->text_len + 1);
    p->tokens = kh_fts5_tokens_new(doc, a->text ? a->text : "", a->text_len);
    if (!p->title || !p->text) {
        free(p->title);
        free(p->text);
        kh_fts5_tokens_free(p->tokens);
        return -1;
    }
    if (p->title_len) memcpy(p->title, a->title, p->title_len);
    if (p->text_len) memcpy(p->text, a->text, p->text_len);
    ar->n_pending++;
    return add_offsets(ar, key, p);
}

void khabar_archive_close(khabar_archive *ar)
{
    if (!ar) return;
    for (int i = 0; i < N_STATEMENTS; i++) sqlite3_finalize(ar->st[i]);
    kh_rows_finalize(&ar->spellings_insert);
    kh_rows_finalize(&ar->tags_insert);
    free(ar->tag_ends);
    free(ar->tags_pool);
    kh_search_statements_free(ar->search_statements);
    kh_stories_free(ar->stories);
    kh_facets_free(ar->facets);
    kh_linker_free(ar->linker);
    if (ar->db && ar->in_batch) exec(ar, "ROLLBACK");
    drop_pending(ar);
    free(ar->pending);
    free(ar->names);
    free(ar->names_pool);
    sqlite3_close_v2(ar->db);
    khabar_model_free(ar->own_model);
    free(ar->norm);
    free(ar);
}

khabar_status khabar_archive_memory_get(khabar_archive *ar, khabar_archive_memory *out, khabar_error *err)
{
    if (!ar || !out)
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_memory_get: NULL %s",
                               ar ? "output" : "archive");
    int cur = 0, high = 0;
    out->facets = kh_facets_memory(ar->facets, &out->facet_columns, &out->facet_columns_users);
    out->page_cache = sqlite3_db_status(ar->db, SQLITE_DBSTATUS_CACHE_USED, &cur, &high, 0) == SQLITE_OK && cur > 0
                          ? (size_t)cur
                          : 0;
    return KHABAR_OK;
}

khabar_status khabar_archive_release_memory(khabar_archive *ar, khabar_error *err)
{
    if (!ar) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_release_memory: NULL archive");
    kh_facets_release(ar->facets);
    if (!ar->in_batch) drop_copies(ar);
    sqlite3_db_release_memory(ar->db);
    /* the calling thread's packing context, made again at its next pack */
    pthread_once(&pack_key_made, make_pack_key);
    ZSTD_CCtx *cx = pack_key_ok ? pthread_getspecific(pack_key) : NULL;
    if (cx && !pthread_setspecific(pack_key, NULL)) ZSTD_freeCCtx(cx);
    return KHABAR_OK;
}

khabar_status khabar_archive_begin(khabar_archive *ar, khabar_error *err)
{
    if (!ar) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_begin: NULL archive");
    if (ar->in_batch) return KHABAR_OK;
    if (exec(ar, "BEGIN IMMEDIATE") != SQLITE_OK) return kh_archive_db_error(ar, err, "cannot begin a batch");
    ar->in_batch = 1;
    /* the copies in memory hold while no other connection wrote; this
     * batch holds the write lock, so none will until it ends */
    sqlite3_stmt *s = statement(ar, ST_DATA_VERSION);
    sqlite3_int64 v = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    if (s) sqlite3_reset(s);
    if (v < 0 || v != ar->data_version) drop_copies(ar);
    ar->data_version = v;
    kh_stories_keep_bands(ar->stories);
    return KHABAR_OK;
}

static void forget_failed_work(khabar_archive *ar);

khabar_status khabar_archive_commit(khabar_archive *ar, khabar_error *err)
{
    if (!ar) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_commit: NULL archive");
    if (!ar->in_batch) return KHABAR_OK;
    if (kh_stories_flush(ar->stories) || flush_fts(ar) || exec(ar, "COMMIT") != SQLITE_OK) {
        khabar_status st = kh_archive_db_error(ar, err, "cannot commit the batch");
        forget_failed_work(ar); /* the batch's FTS5 rows too: never written after the rollback */
        exec(ar, "ROLLBACK");
        ar->in_batch = 0;
        return st;
    }
    ar->in_batch = 0;
    return KHABAR_OK;
}

/* TEH MARBUTA (U+0629) and HEH (U+0647) in UTF-8: both two bytes, so the
 * fold below is done in place. */
static const char TEH_MARBUTA_UTF8[2] = {(char)0xD8, (char)0xA9};
static const char HEH_UTF8[2] = {(char)0xD9, (char)0x87};

/* The form names are looked up by: khabar_normalize with every fold, and
 * ة read as ه (المتحده is how many type المتحدة). */
const char *kh_archive_normalized(khabar_archive *ar, const char *s, size_t n, size_t *len)
{
    size_t need = 18 * n + 1;
    if (need > ar->norm_cap) {
        char *b = realloc(ar->norm, need);
        if (!b) return NULL;
        ar->norm = b;
        ar->norm_cap = need;
    }
    if (khabar_normalize(s, n, KHABAR_FOLD_ALL, ar->norm, ar->norm_cap, len, NULL) != KHABAR_OK) {
        /* invalid UTF-8 cannot come from a doc; keep the bytes as they are */
        memcpy(ar->norm, s, n);
        *len = n;
    }
    for (size_t i = 0; i + 1 < *len; i++)
        if (!memcmp(ar->norm + i, TEH_MARBUTA_UTF8, 2)) memcpy(ar->norm + i, HEH_UTF8, 2);
    return ar->norm;
}

void *kh_room(void *items, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap) return items;
    size_t c = *cap ? 2 * *cap : first;
    void *b = realloc(items, c * size);
    if (b) *cap = c;
    return b;
}

int kh_archive_is_day(const char *s, size_t n)
{
    if (n < 10) return 0;
    for (size_t i = 0; i < 10; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if ((i == 4 || i == 7) ? s[i] != '-' : !digit) return 0;
    }
    return 1;
}

static int step_done(sqlite3_stmt *s) { return s && sqlite3_step(s) == SQLITE_DONE; }

/* Deletes the article with this id, if any.  0 on success, -1 on failure. */
static int delete_id(khabar_archive *ar, const char *id, size_t id_len, int *found)
{
    sqlite3_stmt *s = statement(ar, ST_FIND);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, id, (int)id_len, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) { *found = 0; return 0; }
    if (rc != SQLITE_ROW) return -1;
    sqlite3_int64 key = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    *found = 1;
    /* the trigger takes the article out of articles_fts: it must be there */
    for (size_t i = 0; i < ar->n_pending; i++)
        if (ar->pending[i].key == key) {
            if (flush_fts(ar)) return -1;
            break;
        }
    if (kh_stories_remove(ar->stories, key) || kh_linker_uncount(ar->linker, key)) return -1;
    sqlite3_stmt *d = statement(ar, ST_DELETE);
    if (!d) return -1;
    sqlite3_bind_int64(d, 1, key);
    return step_done(d) ? 0 : -1;
}

static int add_entities(khabar_archive *ar, sqlite3_int64 key, const khabar_doc *doc, sqlite3_int64 *ids);

/* A spelling of the entity, normalised, for lookups by name, with the form
 * it was first met in (what a reader is shown): stored once an article;
 * *name is its place in ar->names.  0 or -1. */
static int add_names(khabar_archive *ar, sqlite3_int64 entity, const char *form, size_t *name)
{
    size_t len;
    const char *norm = kh_archive_normalized(ar, form, strlen(form), &len);
    if (!norm) return -1;
    for (size_t i = 0; i < ar->n_names; i++) {
        const struct article_name *n = &ar->names[i];
        if (n->entity == entity && n->len == len && !memcmp(ar->names_pool + n->at, norm, len)) {
            *name = i;
            return 0;
        }
    }
    struct article_name *p = kh_room(ar->names, ar->n_names, &ar->names_cap, sizeof *p, 32);
    if (!p) return -1;
    ar->names = p;
    size_t written_len = strlen(form);
    if (ar->names_pool_len + len + written_len > ar->names_pool_cap) {
        size_t cap = 2 * (ar->names_pool_len + len + written_len) + 256;
        char *p = realloc(ar->names_pool, cap);
        if (!p) return -1;
        ar->names_pool = p;
        ar->names_pool_cap = cap;
    }
    size_t at = ar->names_pool_len;
    memcpy(ar->names_pool + at, norm, len);
    memcpy(ar->names_pool + at + len, form, written_len);
    ar->names[ar->n_names] = (struct article_name){entity, at, len, at + len, written_len, 0};
    ar->names_pool_len += len + written_len;
    *name = ar->n_names++;
    return kh_linker_add_name(ar->linker, entity, ar->names_pool + at, len);
}

/* Each mention's spelling, counted, and the quotes with their speakers'
 * entities (`ids`: the archive's id of each of the doc's entities). */
static int add_mentions_and_quotes(khabar_archive *ar, sqlite3_int64 key, const khabar_doc *doc,
                                   const sqlite3_int64 *ids, size_t n_ids)
{
    for (size_t i = 0; i < khabar_doc_mention_count(doc); i++) {
        const khabar_mention *m = khabar_doc_mention(doc, i);
        size_t name;
        if (m->entity >= n_ids) continue;
        if (add_names(ar, ids[m->entity], m->text, &name)) return -1;
        ar->names[name].mentions++;
    }
    size_t spelled = 0;
    for (size_t i = 0; i < ar->n_names; i++) spelled += ar->names[i].mentions > 0;
    for (size_t i = 0; spelled;) {
        unsigned k = kh_rows_fit(spelled);
        sqlite3_stmt *s = kh_rows_statement(ar->db, &ar->spellings_insert, k);
        if (!s) return -1;
        for (int row = 0; row < 1 << k; i++) {
            const struct article_name *n = &ar->names[i];
            if (!n->mentions) continue;
            sqlite3_bind_int64(s, 5 * row + 1, key);
            sqlite3_bind_int64(s, 5 * row + 2, n->entity);
            sqlite3_bind_text(s, 5 * row + 3, ar->names_pool + n->at, (int)n->len, SQLITE_STATIC);
            sqlite3_bind_int64(s, 5 * row + 4, (sqlite3_int64)n->mentions);
            sqlite3_bind_text(s, 5 * row + 5, ar->names_pool + n->written_at, (int)n->written_len, SQLITE_STATIC);
            row++;
        }
        if (!step_done(s)) return -1;
        spelled -= (size_t)1 << k;
    }
    for (size_t i = 0; i < khabar_doc_quote_count(doc); i++) {
        const khabar_quote *q = khabar_doc_quote(doc, i);
        for (size_t k = 0; k <= q->entity_count; k++) {
            long e = k == 0 ? q->entity : (long)q->entities[k - 1];
            if (e < 0 || (size_t)e >= n_ids) continue;
            sqlite3_stmt *s = statement(ar, ST_QUOTE);
            if (!s) return -1;
            sqlite3_bind_int64(s, 1, key);
            sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
            sqlite3_bind_int64(s, 3, ids[e]);
            sqlite3_bind_int64(s, 4, (sqlite3_int64)q->text.start);
            sqlite3_bind_int64(s, 5, (sqlite3_int64)q->text.end);
            sqlite3_bind_int(s, 6, q->direct != 0);
            if (!step_done(s)) return -1;
        }
    }
    return 0;
}

/* The entities, tags, spellings and quotes of the doc, for the article
 * stored as `key`. */
static int add_analysis(khabar_archive *ar, sqlite3_int64 key, const khabar_doc *doc)
{
    size_t n_entities = khabar_doc_entity_count(doc);
    sqlite3_int64 *ids = malloc((n_entities ? n_entities : 1) * sizeof *ids);
    if (!ids) return -1;
    ar->n_names = ar->names_pool_len = 0;
    int rc = add_entities(ar, key, doc, ids);
    if (!rc) rc = add_mentions_and_quotes(ar, key, doc, ids, n_entities);
    free(ids);
    return rc;
}

/* The doc's entities and tags; each entity's id into ids. */
static int add_entities(khabar_archive *ar, sqlite3_int64 key, const khabar_doc *doc, sqlite3_int64 *ids)
{
    for (size_t i = 0; i < khabar_doc_entity_count(doc); i++) {
        const khabar_entity *e = khabar_doc_entity(doc, i);
        if (kh_linker_entity(ar->linker, e, &ids[i])) return -1;
        sqlite3_int64 entity = ids[i];
        size_t name;
        for (size_t v = 0; v <= e->variant_count; v++)
            if (add_names(ar, entity, v == 0 ? e->name : e->variants[v - 1], &name)) return -1;
        sqlite3_stmt *a = statement(ar, ST_ARTICLE_ENTITY);
        if (!a) return -1;
        sqlite3_bind_int64(a, 1, key);
        sqlite3_bind_int64(a, 2, entity);
        sqlite3_bind_int64(a, 3, (sqlite3_int64)e->mentions);
        if (!step_done(a)) return -1;
        size_t first = 0;
        while (ids[first] != entity) first++;
        if (first == i) kh_linker_counted(ar->linker, entity); /* its row is new */
    }
    size_t n_tags = khabar_doc_tag_count(doc), pooled = 0;
    if (n_tags > ar->tag_ends_cap) {
        size_t *b = realloc(ar->tag_ends, n_tags * sizeof *b);
        if (!b) return -1;
        ar->tag_ends = b;
        ar->tag_ends_cap = n_tags;
    }
    for (size_t i = 0; i < n_tags; i++) {
        const khabar_tag *t = khabar_doc_tag(doc, i);
        size_t len;
        const char *norm = kh_archive_normalized(ar, t->text, strlen(t->text), &len);
        if (!norm) return -1;
        if (pooled + len > ar->tags_pool_cap) {
            size_t cap = 2 * (pooled + len) + 256;
            char *b = realloc(ar->tags_pool, cap);
            if (!b) return -1;
            ar->tags_pool = b;
            ar->tags_pool_cap = cap;
        }
        memcpy(ar->tags_pool + pooled, norm, len);
        ar->tag_ends[i] = pooled += len;
    }
    for (size_t i = 0; i < n_tags;) {
        unsigned k = kh_rows_fit(n_tags - i);
        sqlite3_stmt *s = kh_rows_statement(ar->db, &ar->tags_insert, k);
        if (!s) return -1;
        for (int row = 0; row < 1 << k; row++, i++) {
            const khabar_tag *t = khabar_doc_tag(doc, i);
            size_t start = i ? ar->tag_ends[i - 1] : 0;
            sqlite3_bind_int64(s, 4 * row + 1, key);
            sqlite3_bind_text(s, 4 * row + 2, ar->tags_pool + start, (int)(ar->tag_ends[i] - start), SQLITE_STATIC);
            sqlite3_bind_text(s, 4 * row + 3, t->text, -1, SQLITE_STATIC);
            sqlite3_bind_double(s, 4 * row + 4, t->score);
        }
        if (!step_done(s)) return -1;
    }
    return 0;
}

/* After work that failed: the statements reset and what the modules and the
 * pending index rows hold of it dropped, before the rollback. */
static void forget_failed_work(khabar_archive *ar)
{
    for (int i = 0; i < N_STATEMENTS; i++)
        if (ar->st[i]) sqlite3_reset(ar->st[i]);
    kh_rows_reset(&ar->spellings_insert);
    kh_rows_reset(&ar->tags_insert);
    kh_stories_reset(ar->stories);
    kh_linker_reset(ar->linker);
    drop_copies(ar);
    drop_pending(ar);
    kh_stories_drop_bands(ar->stories);
}

/* Runs `work` inside a savepoint: all of it or none of it. */
static khabar_status in_savepoint(khabar_archive *ar, khabar_error *err, const char *doing,
                                  int (*work)(khabar_archive *, void *), void *ctx)
{
    /* outside a batch another connection may write between two calls */
    if (!ar->in_batch) drop_copies(ar);
    if (exec(ar, "SAVEPOINT khabar_article") != SQLITE_OK) return kh_archive_db_error(ar, err, doing);
    if (work(ar, ctx)) {
        khabar_status st = kh_archive_db_error(ar, err, doing);
        forget_failed_work(ar);
        exec(ar, "ROLLBACK TO khabar_article");
        exec(ar, "RELEASE khabar_article");
        return st;
    }
    if (exec(ar, "RELEASE khabar_article") != SQLITE_OK) return kh_archive_db_error(ar, err, doing);
    return KHABAR_OK;
}

/* Runs `work` inside the open batch.  A savepoint per article would cost
 * more than the article: FTS5 writes its pending terms out as a segment of
 * their own at every savepoint.  The statements can only fail on the
 * database's errors (the article was checked before), and then the whole
 * batch is rolled back, so that no part of an article is ever kept. */
static khabar_status in_batch(khabar_archive *ar, khabar_error *err, const char *doing,
                              int (*work)(khabar_archive *, void *), void *ctx)
{
    if (!work(ar, ctx)) return KHABAR_OK;
    khabar_status st = kh_archive_db_error(ar, err, doing);
    forget_failed_work(ar);
    exec(ar, "ROLLBACK");
    ar->in_batch = 0;
    if (err) {
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n, "%s", "; the batch was rolled back");
    }
    return st == KHABAR_ERROR_MEMORY ? st : KHABAR_ERROR_IO;
}

typedef struct adding {
    const khabar_article *a;
    const void *packed;
    size_t packed_len;
    const khabar_doc *doc;
} adding;

static int add_work(khabar_archive *ar, void *ctx)
{
    const adding *x = ctx;
    const khabar_article *a = x->a;
    int found;
    kh_facets_stale(ar->facets);
    if (ar->in_batch && ar->data_version >= 0 && ar->added >= MEMORY_AFTER) {
        kh_linker_use_memory(ar->linker, 1);
        kh_stories_use_memory(ar->stories, 1);
    }
    if (delete_id(ar, a->id, a->id_len, &found)) return -1;
    sqlite3_stmt *s = statement(ar, ST_INSERT);
    if (!s) return -1;
    sqlite3_bind_text(s, 1, a->id, (int)a->id_len, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, a->title ? a->title : "", a->title ? (int)a->title_len : 0, SQLITE_STATIC);
    if (a->date) sqlite3_bind_text(s, 3, a->date, 10, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, a->text ? a->text : "", (int)a->text_len, SQLITE_STATIC);
    sqlite3_bind_blob64(s, 5, x->packed, x->packed_len, SQLITE_STATIC);
    if (!step_done(s)) return -1;
    sqlite3_int64 key = sqlite3_last_insert_rowid(ar->db);
    if (ar->in_batch) ar->added++;
    if (add_analysis(ar, key, x->doc) || kh_stories_add(ar->stories, key, a->text ? a->text : "", a->text_len) ||
        add_pending(ar, key, a, x->doc))
        return -1;
    /* outside a batch the article is all written in its savepoint */
    return ar->in_batch ? 0 : flush_fts(ar);
}

khabar_status khabar_archive_add(khabar_archive *ar, const khabar_article *a, khabar_doc *doc,
                                 khabar_error *err)
{
    if (!ar || !a || !doc || !a->id || (!a->text && a->text_len) || (!a->title && a->title_len))
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_add: NULL argument");
    if (a->id_len == 0) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "an article needs an id");
    if (a->id_len > INT32_MAX / 2 || a->text_len > INT32_MAX / 2 || a->title_len > INT32_MAX / 2)
        return kh_archive_fail(err, KHABAR_ERROR_TOO_LARGE, 0, "the article is too large for the archive");
    if (a->date && !kh_archive_is_day(a->date, a->date_len))
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "the date is not YYYY-MM-DD");
    if (a->packed && ZSTD_getFrameContentSize(a->packed, a->packed_len) >= ZSTD_CONTENTSIZE_ERROR)
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "the packed analysis is not khabar_archive_pack's");
    adding x = {a, a->packed, a->packed_len, doc};
    void *packed = NULL;
    if (!a->packed) {
        size_t json_len = a->analysis_len;
        const char *json = a->analysis ? a->analysis : khabar_doc_json(doc, 0, &json_len);
        if (!json) return kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        khabar_status st = pack_with(pack_context(), json, json_len, &packed, &x.packed_len, err);
        if (st) return st;
        x.packed = packed;
    }
    khabar_status st = ar->in_batch ? in_batch(ar, err, "cannot store the article", add_work, &x)
                                    : in_savepoint(ar, err, "cannot store the article", add_work, &x);
    free(packed);
    return st;
}

typedef struct deleting {
    const char *id;
    size_t len;
    int found;
} deleting;

static int flush_work(khabar_archive *ar, void *ctx)
{
    (void)ctx;
    /* the band rows first: FTS5 writes its terms out as a segment at the
     * end of a statement with a journal, as a multi-row insert has */
    if (kh_stories_flush(ar->stories) || flush_fts(ar)) return -1;
    kh_stories_keep_bands(ar->stories);
    return 0;
}

static int delete_work(khabar_archive *ar, void *ctx)
{
    deleting *x = ctx;
    kh_facets_stale(ar->facets);
    return delete_id(ar, x->id, x->len, &x->found);
}

khabar_status khabar_archive_delete(khabar_archive *ar, const char *id, size_t id_len, int *found,
                                    khabar_error *err)
{
    if (!ar || (!id && id_len)) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_delete: NULL argument");
    deleting x = {id ? id : "", id_len, 0};
    /* the batch's index rows first, so that rolling the delete back to its
     * savepoint cannot take them */
    khabar_status st = ar->in_batch ? in_batch(ar, err, "cannot delete the article", flush_work, NULL) : KHABAR_OK;
    if (st) return st;
    st = in_savepoint(ar, err, "cannot delete the article", delete_work, &x);
    if (found) *found = x.found;
    return st;
}

struct khabar_stored_article {
    khabar_article fields;
    char *text[5]; /* id, title, date, text, analysis: their own copies */
};

void khabar_stored_article_free(khabar_stored_article *a)
{
    if (!a) return;
    for (size_t i = 0; i < 5; i++) free(a->text[i]);
    free(a);
}

const khabar_article *khabar_stored_article_fields(const khabar_stored_article *a)
{
    return a ? &a->fields : NULL;
}

/* A copy of column `col`, NUL-terminated; NULL for SQL NULL or no memory
 * (*oom says which). */
static char *column_copy(sqlite3_stmt *s, int col, size_t *len, int *oom)
{
    const unsigned char *v = sqlite3_column_text(s, col);
    *len = (size_t)sqlite3_column_bytes(s, col);
    if (!v) {
        if (sqlite3_errcode(sqlite3_db_handle(s)) == SQLITE_NOMEM) *oom = 1;
        *len = 0;
        return NULL;
    }
    char *copy = malloc(*len + 1);
    if (!copy) { *oom = 1; return NULL; }
    memcpy(copy, v, *len);
    copy[*len] = '\0';
    return copy;
}

khabar_status khabar_archive_get(khabar_archive *ar, const char *id, size_t id_len,
                                 khabar_stored_article **out, khabar_error *err)
{
    if (!ar || !out || (!id && id_len))
        return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_get: NULL argument");
    *out = NULL;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ar->db, "SELECT id, title, date, text, analysis FROM articles WHERE id = ?1", -1, &s,
                           NULL) != SQLITE_OK)
        return kh_archive_db_error(ar, err, "cannot read the article");
    sqlite3_bind_text(s, 1, id ? id : "", (int)id_len, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    khabar_status st = KHABAR_OK;
    if (rc == SQLITE_ROW) {
        khabar_stored_article *a = calloc(1, sizeof *a);
        int oom = !a;
        size_t len[5] = {0};
        for (int i = 0; a && i < 4; i++) a->text[i] = column_copy(s, i, &len[i], &oom);
        int bad = 0;
        if (a && !oom) {
            int is_blob = sqlite3_column_type(s, 4) == SQLITE_BLOB;
            const void *v = is_blob ? sqlite3_column_blob(s, 4) : (const void *)sqlite3_column_text(s, 4);
            size_t n = (size_t)sqlite3_column_bytes(s, 4);
            a->text[4] = v || !n ? unpack(v ? v : "", n, is_blob, &len[4], &bad) : NULL;
        }
        if (!oom && a && (!a->text[0] || !a->text[3] || !a->text[4]) && !bad) oom = 1; /* NOT NULL columns */
        if (!oom && a && !a->text[1]) a->text[1] = calloc(1, 1);
        if (bad) {
            khabar_stored_article_free(a);
            st = kh_archive_fail(err, KHABAR_ERROR_FORMAT, 0, "the stored analysis of %.*s cannot be unpacked",
                                 (int)(id_len > 200 ? 200 : id_len), id);
        } else if (oom || !a || !a->text[1]) {
            khabar_stored_article_free(a);
            st = kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory reading the article");
        } else {
            a->fields = (khabar_article){a->text[0], len[0], a->text[1], len[1], a->text[2], len[2],
                                         a->text[3], len[3], a->text[4], len[4], NULL, 0};
            *out = a;
        }
    } else if (rc != SQLITE_DONE) {
        st = kh_archive_db_error(ar, err, "cannot read the article");
    }
    sqlite3_finalize(s);
    return st;
}

khabar_status khabar_archive_stats_get(khabar_archive *ar, khabar_archive_stats *out, khabar_error *err)
{
    if (!ar || !out) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_stats_get: NULL argument");
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ar->db,
                           "SELECT (SELECT count(*) FROM articles),"
                           " (SELECT count(DISTINCT entity) FROM article_entities),"
                           " (SELECT count(DISTINCT norm) FROM article_tags),"
                           " (SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM articles),"
                           " (SELECT min(date) FROM articles), (SELECT max(date) FROM articles),"
                           " (SELECT page_count - freelist_count FROM pragma_page_count, pragma_freelist_count)"
                           "   * (SELECT page_size FROM pragma_page_size),"
                           " (SELECT user_version FROM pragma_user_version),"
                           " (SELECT count(*) FROM (SELECT story FROM article_stories"
                           "   GROUP BY story HAVING count(*) > 1))",
                           -1, &s, NULL) != SQLITE_OK)
        return kh_archive_db_error(ar, err, "cannot read the statistics");
    khabar_status st = KHABAR_OK;
    if (sqlite3_step(s) == SQLITE_ROW) {
        out->articles = (size_t)sqlite3_column_int64(s, 0);
        out->entities = (size_t)sqlite3_column_int64(s, 1);
        out->tags = (size_t)sqlite3_column_int64(s, 2);
        out->bytes = (size_t)sqlite3_column_int64(s, 3);
        const unsigned char *first = sqlite3_column_text(s, 4), *last = sqlite3_column_text(s, 5);
        if (first) snprintf(out->first_date, sizeof out->first_date, "%s", (const char *)first);
        if (last) snprintf(out->last_date, sizeof out->last_date, "%s", (const char *)last);
        out->file_bytes = (size_t)sqlite3_column_int64(s, 6);
        out->schema = sqlite3_column_int(s, 7);
        out->stories = (size_t)sqlite3_column_int64(s, 8);
    } else {
        st = kh_archive_db_error(ar, err, "cannot read the statistics");
    }
    sqlite3_finalize(s);
    return st;
}
