/*
 * khabar_archive.h — the archive: a durable store of articles and their
 * analyses (an SQLite database with FTS5), searched with khabar's own
 * analysis.  docs/archive.md describes the schema and the query language.
 *
 * Conventions are those of khabar.h: text in as pointer and length, byte
 * offsets into the article's text as given, a khabar_status and an optional
 * khabar_error, _free/_close accept NULL, pointers from accessors are
 * borrowed from the object they came from.  The archive never prints and
 * never exits.
 *
 * Threads
 * - A khabar_archive is one connection to the database: use it from one
 *   thread at a time.  Several archives (in threads or processes) may open
 *   one database at once: readers see whole committed articles only, and
 *   may read while one writer writes (SQLite's WAL mode).  The archives of
 *   one process open on the same file share one copy of the facet columns
 *   in memory (under a lock of their own), each counting apart.
 * - A khabar_results is read-only once made: any thread may read it.
 */
#ifndef KHABAR_ARCHIVE_H
#define KHABAR_ARCHIVE_H

#include <stddef.h>

#include "khabar.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version this library writes (PRAGMA user_version). */
#define KHABAR_ARCHIVE_SCHEMA 7

typedef struct khabar_archive khabar_archive;

/* khabar_archive_open flags; combine with |. */
enum {
    KHABAR_ARCHIVE_READONLY = 1u << 0, /* never write; the database must exist */
    KHABAR_ARCHIVE_CREATE   = 1u << 1  /* make the database when the file does not exist */
};

/* Opens (or, with KHABAR_ARCHIVE_CREATE, makes) the archive at `path`.
 * On success `*out` owns it; close it with khabar_archive_close.
 * Errors: KHABAR_ERROR_IO when the file cannot be opened or made;
 * KHABAR_ERROR_FORMAT when it is not a khabar archive (another SQLite
 * database, or not a database at all) or was written by a newer khabar
 * (a newer schema); the message says which.  `path` and `out` must not be
 * NULL; `err` may be NULL.  Thread-safe.  The process's first open turns
 * SQLite's memory statistics off (SQLITE_CONFIG_MEMSTATUS) unless SQLite
 * is initialised already: they take one lock around every allocation, for
 * which threads searching at once contend; sqlite3_memory_used() then
 * gives 0.  It also keeps statement journals in memory
 * (SQLITE_CONFIG_STMTJRNL_SPILL -1) rather than spilling them to
 * temporary files past 64 KiB: a writing statement's copy of the pages it
 * changes, held until it ends, which indexing wrote by the hundred MB. */
khabar_status khabar_archive_open(const char *path, unsigned flags, khabar_archive **out,
                                  khabar_error *err);

/* As khabar_archive_open, with the analysis model (khabar_model_new)
 * borrowed from the caller instead of loaded for this archive: connections
 * of one process (a server's threads, a writer beside the analysing
 * threads) then share one model, about 25 MB each otherwise.  `model` must
 * outlive the archive; NULL makes the archive load its own, as
 * khabar_archive_open does.  Thread-safe (a model is immutable). */
khabar_status khabar_archive_open_with_model(const char *path, unsigned flags, const khabar_model *model,
                                             khabar_archive **out, khabar_error *err);

/* Closes the archive, committing nothing that was not committed (an open
 * batch is rolled back); NULL is a no-op. */
void khabar_archive_close(khabar_archive *ar);

/* One article as given: the fields of a JSON-lines record.  `id` is
 * required (any bytes); `date` is "YYYY-MM-DD" (longer strings are cut to
 * their first ten bytes) or NULL; `title` may be NULL.  Byte offsets the
 * archive reports are into `text`. */
typedef struct khabar_article {
    const char *id;
    size_t id_len;
    const char *title;
    size_t title_len;
    const char *date;
    size_t date_len;
    const char *text;
    size_t text_len;
    /* The doc's JSON, khabar_doc_json(doc, 0), when the caller has it
     * already (rendered on the thread that analysed the article, so that
     * the writer does not), or NULL to have it rendered here. */
    const char *analysis;
    size_t analysis_len;
    /* The analysis packed for storage by khabar_archive_pack (on the
     * thread that analysed the article, so that the writer does not pack
     * it), or NULL to have it packed here.  Opaque: only what
     * khabar_archive_pack made, from that doc's JSON.  A stored article
     * read back has NULL here and the JSON in `analysis`. */
    const void *packed;
    size_t packed_len;
} khabar_article;

/* Packs the doc's JSON (`analysis`, khabar_doc_json(doc, 0)) as the archive
 * stores it (compressed: a fifth of its size), into *out, *out_len, for
 * khabar_article.packed; free it with khabar_archive_packed_free.
 * Errors: KHABAR_ERROR_ARGUMENT (NULL), KHABAR_ERROR_MEMORY.  Thread-safe:
 * it touches no archive. */
khabar_status khabar_archive_pack(const char *analysis, size_t len, void **out, size_t *out_len,
                                  khabar_error *err);
/* NULL is a no-op. */
void khabar_archive_packed_free(void *packed);

/* Stores `article` with its analysis `doc` (made by khabar_analyze or
 * khabar_analyze_record from that article's text, so its offsets are
 * into it).  An article with the same id is replaced.  Outside a batch the
 * article is committed at once; inside one (khabar_archive_begin) with the
 * batch.  Either way no reader ever sees part of an article.  The doc is
 * rendered as JSON (khabar_doc_json), so it is not const.
 * Errors: KHABAR_ERROR_ARGUMENT (NULL, empty id, malformed date),
 * KHABAR_ERROR_TOO_LARGE, which leave the batch as it was; KHABAR_ERROR_IO
 * (the database failed: disk full, locked for too long) and
 * KHABAR_ERROR_MEMORY, which inside a batch roll the whole batch back
 * (the message says so): begin again and add its articles again. */
khabar_status khabar_archive_add(khabar_archive *ar, const khabar_article *article,
                                 khabar_doc *doc, khabar_error *err);

/* Removes the article with this id; `*found` (may be NULL) tells whether
 * there was one.  Batching as khabar_archive_add. */
khabar_status khabar_archive_delete(khabar_archive *ar, const char *id, size_t id_len,
                                    int *found, khabar_error *err);

/* A stored article read back (khabar_archive_get). */
typedef struct khabar_stored_article khabar_stored_article;

/* Reads back the article stored with this id.  On success `*out` is the
 * article, owned by the caller (free it with khabar_stored_article_free),
 * or NULL when there is none with this id (not an error).  It holds copies:
 * it does not depend on the archive, which may be closed or changed.
 * Errors: KHABAR_ERROR_ARGUMENT (`ar` or `out` NULL, or `id` NULL with a
 * length), KHABAR_ERROR_MEMORY, KHABAR_ERROR_IO, KHABAR_ERROR_FORMAT (the
 * stored analysis cannot be unpacked: the file was damaged).  Not thread-safe per
 * archive (as every call on one). */
khabar_status khabar_archive_get(khabar_archive *ar, const char *id, size_t id_len,
                                 khabar_stored_article **out, khabar_error *err);

/* The article's fields, borrowed until it is freed, each NUL-terminated:
 * id, title ("" when it had none), date ("YYYY-MM-DD", or NULL with length
 * 0 when undated), text, and `analysis`: its doc's JSON exactly as it was
 * stored (khabar_doc_json, offsets into `text`; the archive keeps it
 * packed and unpacks it here); `packed` is NULL.  Any thread may read a
 * stored article at once (it is read-only). */
const khabar_article *khabar_stored_article_fields(const khabar_stored_article *a);
/* NULL is a no-op. */
void khabar_stored_article_free(khabar_stored_article *a);

/* A batch: the adds and deletes between begin and commit are committed
 * together, which is much faster than one at a time.  The batch's articles
 * are indexed for search at its commit, all together (one FTS5 segment),
 * so a search on the same archive before then does not match their words.
 * Closing the archive with a batch open rolls it back.  A connection that
 * has added 64 articles in batches keeps copies in memory of what it looks
 * up for every article (entities, their names and keys, story bands and
 * terms: up to about 90 MB for 30,000 news articles), used inside batches only
 * and read again after another connection wrote (docs/archive.md). */
khabar_status khabar_archive_begin(khabar_archive *ar, khabar_error *err);
khabar_status khabar_archive_commit(khabar_archive *ar, khabar_error *err);

typedef struct khabar_archive_stats {
    size_t articles;  /* articles stored */
    size_t entities;  /* distinct entities (canonical name and type) in them */
    size_t tags;      /* distinct tags */
    size_t bytes;     /* bytes of article text */
    size_t file_bytes;/* size of the database (pages in use) */
    int schema;       /* schema version of the file */
    char first_date[11], last_date[11]; /* earliest and latest article date, "" when none */
    size_t stories;   /* stories of two articles or more */
} khabar_archive_stats;

khabar_status khabar_archive_stats_get(khabar_archive *ar, khabar_archive_stats *out,
                                       khabar_error *err);

/* The archive's data version: a number that changes whenever a change to
 * the archive is committed, through this archive or any other connection
 * to its file (another thread's archive, another process), and stays the
 * same while nothing changes.  Compare values from one archive only (each
 * connection counts its own way).  For callers that keep answers drawn
 * from the archive: a changed number means they may be stale.  It reads
 * the database (a short read transaction), microseconds.
 * Errors: KHABAR_ERROR_ARGUMENT, KHABAR_ERROR_IO.  Not thread-safe per
 * archive. */
khabar_status khabar_archive_data_version(khabar_archive *ar, unsigned long long *out,
                                          khabar_error *err);

/* What an archive keeps in memory between calls to answer faster. */
typedef struct khabar_archive_memory {
    size_t facets;              /* bytes of the facets' counts kept between searches */
    size_t page_cache;          /* bytes of SQLite's page cache of this connection */
    size_t facet_columns;       /* bytes of the copy of the facet columns it counts with (read at
                                 * the first searches with facets: about 9 MB for 31,000 news
                                 * articles), shared by the process's archives open on the same
                                 * file while their database is the one read; 0: none */
    size_t facet_columns_users; /* archives holding that copy (so its bytes are counted once
                                 * when each one's facet_columns is divided by this) */
} khabar_archive_memory;

/* What the archive keeps in memory now, in *out.  Microseconds.
 * Errors: KHABAR_ERROR_ARGUMENT.  Not thread-safe per archive. */
khabar_status khabar_archive_memory_get(khabar_archive *ar, khabar_archive_memory *out, khabar_error *err);

/* Gives back what the archive keeps in memory between calls: its hold on
 * the copy of the facet columns (freed once no other archive of the
 * process holds it; read again at the next search with facets: a fraction
 * of a second for a large archive), the facets' counts, the writer's
 * copies of the entities and the stories' signatures (outside a batch),
 * the unused part of SQLite's page cache, and the calling thread's
 * packing context (khabar_archive_pack's, made again when it next packs).  For a long-lived caller
 * gone idle (khabar serve calls it on its reader connections after
 * --release-idle seconds without a request); answers are the same before
 * and after.  The memory goes back to the allocator: whether the allocator
 * gives it to the system is its own affair (glibc's malloc_trim).
 * Errors: KHABAR_ERROR_ARGUMENT.  Not thread-safe per archive. */
khabar_status khabar_archive_release_memory(khabar_archive *ar, khabar_error *err);

/* The archive's document frequencies, for the tags of articles analysed
 * beside it (khabar_options.df): how many of its articles hold each word
 * stem, read from the full-text index.  The table is the caller's (free it
 * with khabar_df_free) and does not change with the archive.  It takes a
 * pass over the index's vocabulary: make it once per run, not per article.
 * Errors: KHABAR_ERROR_ARGUMENT, KHABAR_ERROR_MEMORY, KHABAR_ERROR_IO. */
khabar_status khabar_archive_df(khabar_archive *ar, khabar_df **out, khabar_error *err);

/* ---- search ---- */

/* A search.  `text` is a query in the language of docs/archive.md (words,
 * "phrases", OR, NOT or -word, (groups), =exact forms, prefix*), or NULL or
 * empty for filters alone (hits then come newest first).  Every filter
 * given must hold: each of `entities` (any spelling the archive has seen,
 * of type `type` when given), an entity of type `type` when no entity is
 * named, the tag `tag`, a date in [from, to] ("YYYY-MM-DD", inclusive).
 * All strings NUL-terminated and borrowed for the call. */
typedef struct khabar_query {
    const char *text;
    size_t limit;               /* hits to return; 0 means 10 */
    size_t offset;              /* hits to skip */
    const char *const *entities;
    size_t entity_count;
    const char *type;           /* "PER", "ORG", "LOC", "MISC" or NULL */
    const char *tag;
    const char *from, *to;
    unsigned flags;             /* KHABAR_QUERY_* */
} khabar_query;

enum {
    KHABAR_QUERY_FACETS      = 1u << 0, /* count facets over all hits (khabar_results_facet) */
    KHABAR_QUERY_NO_SNIPPETS = 1u << 1, /* hits without snippets or marks (faster: the hits'
                                           texts are not read again) */
    KHABAR_QUERY_COLLAPSE    = 1u << 2  /* one hit per story (khabar_archive_stories): the
                                           best of each; limit and offset count stories */
};

typedef struct khabar_results khabar_results;

/* A matched word: bytes [start, end) of the article's text. */
typedef struct khabar_mark {
    size_t start, end;
} khabar_mark;

typedef struct khabar_hit {
    const char *id;         /* NUL-terminated; borrowed from the results */
    const char *title;      /* "" when none */
    const char *date;       /* "YYYY-MM-DD" or NULL */
    double score;           /* BM25, higher is better (0 without a query) */
    size_t snippet_start;   /* the snippet is text[snippet_start, +snippet_len) */
    size_t snippet_len;
    const char *snippet;    /* that text, NUL-terminated */
    size_t mark_count;      /* matched words inside the snippet, in text order */
    const khabar_mark *marks; /* offsets into the article's text */
} khabar_hit;

typedef enum khabar_facet_kind {
    KHABAR_FACET_ENTITY, /* value: canonical name; type: its type */
    KHABAR_FACET_TAG,
    KHABAR_FACET_DAY     /* value: "YYYY-MM-DD" */
} khabar_facet_kind;

typedef struct khabar_facet {
    khabar_facet_kind kind;
    const char *value;
    const char *type;    /* entity type, NULL for the other kinds */
    size_t count;        /* hits with it */
} khabar_facet;

/* Runs `q`.  Errors: KHABAR_ERROR_QUERY for a query that cannot be read
 * (the offset is where), KHABAR_ERROR_ARGUMENT for a bad filter (a date that
 * is not YYYY-MM-DD, an unknown type), KHABAR_ERROR_IO.  Not thread-safe per
 * archive. */
khabar_status khabar_archive_search(khabar_archive *ar, const khabar_query *q,
                                    khabar_results **out, khabar_error *err);
void khabar_results_free(khabar_results *r);

/* All hits of the query (not only those returned). */
size_t khabar_results_total(const khabar_results *r);
size_t khabar_results_hit_count(const khabar_results *r);
const khabar_hit *khabar_results_hit(const khabar_results *r, size_t i);
/* Facets, when asked for: the top entities of each type (up to 10 each,
 * most hits first), the top tags (up to 10), then hits per day in date
 * order. */
size_t khabar_results_facet_count(const khabar_results *r);
const khabar_facet *khabar_results_facet(const khabar_results *r, size_t i);

/* The results as one JSON object (docs/archive.md), NUL-terminated,
 * borrowed from the results until they are freed.  NULL when memory runs
 * out.  Not thread-safe per results (it keeps the string). */
const char *khabar_results_json(khabar_results *r, size_t *len);

/* ---- entities across the archive ---- */

/* An entity is one (canonical name, type) across the archive. */
typedef struct khabar_entity_day {
    const char *date;     /* "YYYY-MM-DD" */
    size_t mentions;
} khabar_entity_day;

typedef struct khabar_entity_ref {
    const char *name;
    const char *type;
    size_t articles;      /* articles naming both */
} khabar_entity_ref;

/* A quotation of an entity as its speaker. */
typedef struct khabar_entity_quote {
    const char *article;  /* the article's id */
    const char *date;     /* its date, or NULL */
    const char *text;     /* what was said: text[start, end) of the article */
    size_t start, end;
    int direct;           /* between quote marks (else reported speech) */
} khabar_entity_quote;

typedef struct khabar_entity_stat {
    const char *name;     /* canonical name */
    const char *type;     /* "PER", "ORG", "LOC", "MISC" */
    const char *en;       /* English name, or NULL */
    size_t articles;      /* articles naming it (in the period asked for) */
    size_t mentions;      /* its mentions in them */
    const char *first_seen, *last_seen; /* article dates, "YYYY-MM-DD", or NULL */
    /* Filled by khabar_archive_entity only (0 and NULL otherwise): */
    size_t variant_count;
    const char *const *variants;   /* the spellings seen, one for each normalised form (khabar_normalize,
                                      every fold), as most often written (حركة طالبان); the normalised
                                      form (حركه طالبان) for spellings stored before schema 7 */
    size_t day_count;
    const khabar_entity_day *days; /* mentions per day, in date order */
    size_t with_count;
    const khabar_entity_ref *with; /* the entities it appears with most (up to 10) */
    const size_t *variant_mentions; /* mentions written in each spelling, parallel to variants
                                       (0 for an article indexed before schema 2) */
    size_t quote_count;
    const khabar_entity_quote *quotes; /* its quotes as speaker, newest first (up to 20) */
} khabar_entity_stat;

typedef struct khabar_entity_query {
    const char *type;     /* only this type, or NULL */
    const char *from, *to;/* article dates, "YYYY-MM-DD", inclusive, or NULL */
    size_t limit;         /* 0 means 20 */
} khabar_entity_query;

typedef struct khabar_entity_list khabar_entity_list;

/* The entities named in the most articles of a period (what is in the
 * news), most first.  Errors: KHABAR_ERROR_ARGUMENT for a bad type or date,
 * KHABAR_ERROR_IO.  Not thread-safe per archive. */
khabar_status khabar_archive_entities(khabar_archive *ar, const khabar_entity_query *q,
                                      khabar_entity_list **out, khabar_error *err);

/* Every entity one of whose spellings seen is `name` (normalised before
 * the lookup, so hamza forms and ة/ه do not matter), of type `type` when
 * not NULL, with its details; most articles first.  An empty list when
 * none.  Not thread-safe per archive. */
khabar_status khabar_archive_entity(khabar_archive *ar, const char *name, const char *type,
                                    khabar_entity_list **out, khabar_error *err);

size_t khabar_entity_list_count(const khabar_entity_list *l);
const khabar_entity_stat *khabar_entity_list_at(const khabar_entity_list *l, size_t i);
/* The list as a JSON array (docs/archive.md), borrowed until the list is
 * freed; NULL when memory runs out.  Not thread-safe per list. */
const char *khabar_entity_list_json(khabar_entity_list *l, size_t *len);
void khabar_entity_list_free(khabar_entity_list *l);

/* ---- stories ---- */

/* A story: articles that share most of their text (estimated Jaccard
 * similarity of their word 5-shingles at least 0.5: one report copied,
 * rewritten or shortened), found as articles are indexed with the
 * signatures of khabar_dedup_signature.  Pairs at 0.8 or above are near
 * duplicates (what `khabar dedup` reports at its defaults). */
typedef struct khabar_story_article {
    const char *id;
    const char *title;    /* "" when none */
    const char *date;     /* "YYYY-MM-DD" or NULL */
} khabar_story_article;

typedef struct khabar_story {
    size_t size;          /* its articles (in the period asked for) */
    const char *first_date, *last_date; /* NULL when none is dated */
    double similarity;    /* mean estimated text similarity of its pairs linked by text */
    size_t near_duplicates; /* linked pairs at 0.8 or above */
    size_t article_count;
    const khabar_story_article *articles; /* oldest first (date, then order indexed):
                                             articles[0] is the first article */
    size_t same_event_links; /* pairs linked as one event (shared entities and tags, dates
                                within a few days) rather than by their text */
} khabar_story;

typedef struct khabar_story_query {
    const char *from, *to;/* article dates, "YYYY-MM-DD", inclusive, or NULL */
    size_t limit;         /* stories to return, largest first; 0 means 20 */
    size_t min_size;      /* least articles; 0 means 2 */
    const char *const *articles; /* article ids (NUL-terminated, borrowed): only the stories
                                    holding one of them; NULL (or a count of 0) for any */
    size_t article_count;
} khabar_story_query;

typedef struct khabar_story_list khabar_story_list;

/* The largest stories of a period (only their articles in the period),
 * then the latest; with `articles`, only the stories of those articles (an
 * article in no story gives none).  Errors: KHABAR_ERROR_ARGUMENT for a bad date,
 * KHABAR_ERROR_IO.  Not thread-safe per archive. */
khabar_status khabar_archive_stories(khabar_archive *ar, const khabar_story_query *q,
                                     khabar_story_list **out, khabar_error *err);
size_t khabar_story_list_count(const khabar_story_list *l);
const khabar_story *khabar_story_list_at(const khabar_story_list *l, size_t i);
/* The list as a JSON array (docs/archive.md), borrowed until the list is
 * freed; NULL when memory runs out.  Not thread-safe per list. */
const char *khabar_story_list_json(khabar_story_list *l, size_t *len);
void khabar_story_list_free(khabar_story_list *l);

/* Translates a query of the language above into an FTS5 MATCH expression,
 * for programs that query the database themselves.  Returns a malloc'd
 * NUL-terminated string (free it with free()), or NULL with err filled
 * (KHABAR_ERROR_QUERY and the offset of the problem, or
 * KHABAR_ERROR_MEMORY).  Thread-safe. */
char *khabar_archive_fts5_query(const char *query, size_t len, khabar_error *err);

#ifdef __cplusplus
}
#endif
#endif
