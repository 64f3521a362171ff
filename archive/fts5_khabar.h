/* khabar's analysis as an SQLite FTS5 tokenizer, tokenize='khabar'
 * (docs/archive.md says what it indexes).  Built into the archive and into
 * the loadable extension (archive/extension.c). */
#ifndef KHABAR_FTS5_KHABAR_H
#define KHABAR_FTS5_KHABAR_H

#ifdef KHABAR_SQLITE_EXTENSION
#include <sqlite3ext.h>
#else
#include <sqlite3.h>
typedef struct kh_fts5_registration kh_fts5_registration;
/* Registers the auxiliary function khabar_rank() (archive/fts5_rank.c) with
 * FTS5.  With `archive` (the archive's connection, ranking one FTS5 table
 * whose queries' phrases the registration logs), khabar_rank() keeps its
 * rows' sizes and its phrases' document counts in memory.  Returns an
 * SQLite result code. */
int kh_fts5_register_rank(fts5_api *api, const kh_fts5_registration *archive);

#endif

#include "khabar.h"

/* Registers the tokenizer 'khabar' and the auxiliary function
 * khabar_marks() with the FTS5 of connection `db`.  `model` is borrowed and
 * must outlive the connection; NULL makes the registration load a model of
 * its own, freed with the connection.  Returns an SQLite result code. */
int kh_fts5_register(sqlite3 *db, const khabar_model *model);

/* The same, giving the registration (owned by the connection) for
 * kh_fts5_set_tokens and kh_fts5_offsets: for the archive's connection,
 * whose one FTS5 table khabar_rank() ranks (it keeps the rows' sizes). */
typedef struct kh_fts5_registration kh_fts5_registration;
int kh_fts5_register_for(sqlite3 *db, const khabar_model *model, kh_fts5_registration **out);

/* The terms the tokenizer makes of a text, made ready from a doc already
 * analysed from `text` (its tokens' offsets into it), so that the
 * archive's single writer is spared an analysis per article.  The doc's
 * tokens are those a fresh analysis gives (khabar's tokens do not depend
 * on the analyses after them), so the index is the same.  NULL when they
 * cannot be told apart from a title's, or on no memory: the text is then
 * analysed.  The result borrows neither the doc nor the text. */
typedef struct kh_fts5_tokens kh_fts5_tokens;
kh_fts5_tokens *kh_fts5_tokens_new(const khabar_doc *doc, const char *text, size_t len);
void kh_fts5_tokens_free(kh_fts5_tokens *tokens);

/* While set, a document whose text is these bytes is tokenized from
 * `tokens` instead of being analysed.  NULL clears it.  Borrowed until
 * cleared. */
void kh_fts5_set_tokens(kh_fts5_registration *reg, const kh_fts5_tokens *tokens, const char *text, size_t len);

/* The offsets of a text's words, as the tokenizer gives them for its
 * positions, in the form khabar_offsets() stores and khabar_marks() reads:
 * from `tokens` when not NULL (kh_fts5_tokens_new of this text), else by
 * analysing the text.  *out (sqlite3_malloc'd, the caller frees it with
 * sqlite3_free) is NULL when the text has no words.  An SQLite result code.
 * Uses the registration's own analyser: one thread at a time, as its
 * connection. */
int kh_fts5_offsets(kh_fts5_registration *reg, const kh_fts5_tokens *tokens, const char *text, size_t len,
                    unsigned char **out, size_t *out_len);

/* Registers the auxiliary function khabar_rank() (archive/fts5_rank.c) with
 * FTS5.  With `archive` (the archive's connection, ranking one FTS5 table
 * whose queries' phrases the registration logs), khabar_rank() keeps its
 * rows' sizes and its phrases' document counts in memory.  Returns an
 * SQLite result code. */
int kh_fts5_register_rank(fts5_api *api, const kh_fts5_registration *archive);

/* The phrases of the queries this connection parsed last, as the
 * tokenizer gave them (the latest is `back` 0), when the registration logs
 * them (the archive's): its key (whether a prefix, then its tokens: equal
 * keys match the same rows) and its number of terms.  0 when not kept. */
#define KH_FTS5_LOGGED_PHRASES 64
int kh_fts5_query_phrase(const kh_fts5_registration *reg, unsigned back, const char **key, size_t *len, int *terms);

/* The rows khabar_rank() ranks, gathered for the archive's search, which
 * then need not ask FTS5 for its hits a second time to count them: while
 * `rows` is set (NULL clears it; borrowed until cleared), each row ranked
 * for the first time in the query is added.  FTS5 ranks the rows of a
 * query in rowid order, then ranks the rows it returns once more, so a
 * rowid not above the last one gathered is not gathered again.  `failed`:
 * memory ran out (the rows are then not all there). */
typedef struct kh_fts5_rows {
    sqlite3_int64 *rowid;
    size_t n, cap;
    int failed;
} kh_fts5_rows;
void kh_fts5_gather_rows(kh_fts5_registration *reg, kh_fts5_rows *rows);
kh_fts5_rows *kh_fts5_gathering(const kh_fts5_registration *reg);

#endif
