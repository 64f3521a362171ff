/* What the archive's files share (internal). */
#ifndef KHABAR_ARCHIVE_INTERNAL_H
#define KHABAR_ARCHIVE_INTERNAL_H

#include <sqlite3.h>

#include "khabar_archive.h"

sqlite3 *kh_archive_db(khabar_archive *ar);
/* The connection's registration of the tokenizer and khabar_rank()
 * (archive/fts5_khabar.h). */
struct kh_fts5_registration *kh_archive_fts5(khabar_archive *ar);
const khabar_model *kh_archive_model(khabar_archive *ar);
khabar_status kh_archive_fail(khabar_error *err, khabar_status code, size_t offset, const char *fmt, ...);
khabar_status kh_archive_db_error(khabar_archive *ar, khabar_error *err, const char *doing);
/* khabar_normalize with every fold, into the archive's buffer (valid until
 * the next call); NULL on no memory. */
const char *kh_archive_normalized(khabar_archive *ar, const char *s, size_t n, size_t *len);
int kh_archive_is_day(const char *s, size_t n);

/* Room for item n of an array of *cap items of `size` bytes (n <= *cap):
 * the array as it is when there is, else reallocated to twice *cap (`first`
 * when empty) and *cap updated; NULL out of memory, the array left as it
 * was.  The one array growth of the archive's writers. */
void *kh_room(void *items, size_t n, size_t *cap, size_t size, size_t first);

/* The statement `sql` prepared once into *cache (persistent), reset and
 * its bindings cleared; NULL when it cannot be prepared. */
sqlite3_stmt *kh_cached_statement(sqlite3 *db, sqlite3_stmt **cache, const char *sql);

/* Rows inserted several at a time: a statement's own cost is about that of
 * a row.  The statement for 2^k rows (k < KH_ROWS_SIZES) binds row i's
 * values to ?(i * cols + 1) and on, prepared once into r->st[k]. */
#define KH_ROWS_SIZES 6
typedef struct kh_rows {
    const char *head; /* "INSERT OR IGNORE INTO t(a, b) VALUES" */
    int cols;
    const char *tail; /* after the rows ("ON CONFLICT ..."), or NULL */
    sqlite3_stmt *st[KH_ROWS_SIZES];
} kh_rows;
sqlite3_stmt *kh_rows_statement(sqlite3 *db, kh_rows *r, unsigned k);
/* The largest k for which 2^k rows of the n left fit. */
unsigned kh_rows_fit(size_t n);
void kh_rows_reset(kh_rows *r);
void kh_rows_finalize(kh_rows *r);

/* The statements of searches (and of the data version), kept prepared by
 * their SQL (archive/search.c):
 * a connection that searches again and again parses each form once. */
typedef struct kh_search_statements kh_search_statements;
kh_search_statements **kh_archive_search_statements(khabar_archive *ar);
void kh_search_statements_free(kh_search_statements *s);
/* The statement of `sql`, prepared once for the connection (among the last
 * few kept), its bindings cleared; NULL on failure.  The caller resets it
 * when done, so that it holds no transaction open. */
sqlite3_stmt *kh_archive_kept_statement(khabar_archive *ar, const char *sql);

/* Stories kept up to date (archive/stories.c), on the archive's connection. */
typedef struct kh_stories kh_stories;
kh_stories *kh_stories_new(sqlite3 *db);
void kh_stories_free(kh_stories *s);
/* After a failed statement: resets the module's statements. */
void kh_stories_reset(kh_stories *s);
/* Adds the article stored as `key` with this text to its story.  0 or -1
 * (the database's error). */
int kh_stories_add(kh_stories *s, sqlite3_int64 key, const char *text, size_t len);
/* Takes the article out of its story (before its rows are deleted). */
int kh_stories_remove(kh_stories *s, sqlite3_int64 key);

/* Facets over the hits in temp.khabar_hits (archive/facets.c). */
typedef struct kh_facets kh_facets;
kh_facets *kh_facets_new(sqlite3 *db);
void kh_facets_free(kh_facets *f);
kh_facets *kh_archive_facets(khabar_archive *ar);
/* Receives a facet: its value, its type (an entity's) or NULL, its count.
 * Returns 0 to go on. */
typedef int (*kh_facet_emit)(void *ctx, const char *value, const char *type, size_t count);
/* Whether the next kh_facets_count, in the same read transaction, counts
 * from the facet columns in memory (1; reading them when it is time) or
 * from the tables (0), which need the hits in temp.khabar_hits; -1 on the
 * database's error, -2 when memory runs out. */
int kh_facets_in_memory(kh_facets *f);
/* Gives the top entities of each type (PER, ORG, LOC, MISC), then the top
 * tags, then the hits per day in date order, for the hits `keys` (when
 * kh_facets_in_memory said 1) or those in temp.khabar_hits (keys NULL),
 * inside the caller's read transaction.  0, -1 on the database's error, -2
 * when memory runs out. */
int kh_facets_count(kh_facets *f, const sqlite3_int64 *keys, size_t n_keys, kh_facet_emit entity, kh_facet_emit tag,
                    kh_facet_emit day, void *ctx);
/* This connection is changing the archive's articles: a copy of the facet
 * columns read before is stale. */
void kh_facets_stale(kh_facets *f);
/* The bytes the connection keeps between searches (the interned tags, the
 * tallies' counts), and in *copy those of the copy of the facet columns it
 * holds, shared by *copy_users connections of the process. */
size_t kh_facets_memory(const kh_facets *f, size_t *copy, size_t *copy_users);
/* Frees what it keeps between searches and lets its copy of the facet
 * columns go; one is read again at the next search with facets. */
void kh_facets_release(kh_facets *f);
/* Entities linked across articles (archive/entities.c): an article's
 * entity joins the archive's entity that the within-article rules say it
 * is (khabar_entity_names_relate), else a new one. */
typedef struct kh_linker kh_linker;
kh_linker *kh_linker_new(khabar_archive *ar);
void kh_linker_free(kh_linker *l);
void kh_linker_reset(kh_linker *l);
/* The archive's entity for the doc's entity e into *id.  0 or -1 (the
 * database's error, or no memory). */
int kh_linker_entity(kh_linker *l, const khabar_entity *e, sqlite3_int64 *id);
/* Indexes the names of every stored entity (the upgrade to schema 3). */
int kh_linker_index_all(kh_linker *l);

/* Schema 3's tables (entity_keys, story_terms) and columns (story_links.kind,
 * article_stories.weight), for a new archive and the upgrade from 2. */
extern const char kh_schema_3_sql[];
/* Links the stored article `key` to the articles that tell the same event
 * (shared entities and tags, dates within a few days; archive/stories.c).
 * Called by kh_stories_add; alone by the upgrade to schema 3.  0 or -1. */
int kh_stories_add_events(kh_stories *s, sqlite3_int64 key);

/* A map from byte strings to ascending sets of ids, in memory
 * (archive/idmap.c): the single writer's copy of an index it would
 * otherwise search in SQLite for every article. */
typedef struct kh_idmap kh_idmap;
kh_idmap *kh_idmap_new(void);
void kh_idmap_free(kh_idmap *m);
/* The ids of key (ascending), *count of them; NULL when none.  Valid
 * until the map changes. */
const sqlite3_int64 *kh_idmap_get(const kh_idmap *m, const char *key, size_t n, size_t *count);
/* Adds id to key's set: 0 when added, 1 when it was there, -1 on no
 * memory.  *entry (may be NULL) is the key's entry, for kh_idmap_key. */
int kh_idmap_add(kh_idmap *m, const char *key, size_t n, sqlite3_int64 id, size_t *entry);
void kh_idmap_remove(kh_idmap *m, const char *key, size_t n, sqlite3_int64 id);
/* Its entries (0 to size - 1; an entry may have no ids left): their ids
 * and their keys (borrowed until the map changes). */
size_t kh_idmap_size(const kh_idmap *m);
const sqlite3_int64 *kh_idmap_ids(const kh_idmap *m, size_t entry, size_t *count);
const char *kh_idmap_key(const kh_idmap *m, size_t entry, size_t *len);

/* The writer's in-memory copies (the linker's, the stories') are trusted
 * only inside a batch on a connection that has written enough articles,
 * and only while no other connection wrote (PRAGMA data_version); they are
 * dropped on any failure and rebuilt from the database when next needed. */
void kh_linker_forget(kh_linker *l);
void kh_stories_forget(kh_stories *s);
/* Inside a batch the articles' band rows are kept until kh_stories_flush
 * (at the commit), then inserted in key order: each B-tree page touched
 * once a batch rather than once an article.  The kept rows are found as
 * the table's are.  kh_stories_drop_bands forgets them (a rollback). */
void kh_stories_keep_bands(kh_stories *s);
int kh_stories_flush(kh_stories *s);
void kh_stories_drop_bands(kh_stories *s);
void kh_stories_use_memory(kh_stories *s, int on);
/* Uses the copy from now on (building it at the first lookup) when `on`. */
void kh_linker_use_memory(kh_linker *l, int on);
/* A spelling (normalised) of the entity: stored unless it is already. */
int kh_linker_add_name(kh_linker *l, sqlite3_int64 entity, const char *norm, size_t len);
/* The article being added is counted among the entity's articles (its
 * first row in article_entities for it). */
void kh_linker_counted(kh_linker *l, sqlite3_int64 entity);
/* Before the article `key` is deleted: its entities lose an article. */
int kh_linker_uncount(kh_linker *l, sqlite3_int64 key);

/* A numeric macro as text, for the limits written into SQL. */
#define KH_STR(x) #x
#define KH_XSTR(x) KH_STR(x)

#endif
