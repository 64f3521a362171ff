/* The archive's document frequencies for the tags (khabar_archive_df):
 * read from the full-text index itself, which holds every article's word
 * stems (archive/fts5_khabar.c), through FTS5's vocabulary table, so that
 * nothing more is stored or kept up to date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_internal.h"

/* The index's surface forms start with this mark (fts5_khabar.c); the rest
 * are stems. */
#define SURFACE_MARK '='

khabar_status khabar_archive_df(khabar_archive *ar, khabar_df **out, khabar_error *err)
{
    if (!ar || !out) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_df: NULL argument");
    *out = NULL;
    sqlite3 *db = kh_archive_db(ar);
    /* a temporary table: made on a read-only archive too, gone with the connection */
    if (sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE IF NOT EXISTS temp.khabar_df_terms"
                     " USING fts5vocab(main, articles_fts, row)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return kh_archive_db_error(ar, err, "document frequencies");
    sqlite3_stmt *count = NULL, *terms = NULL;
    sqlite3_str *tsv = sqlite3_str_new(db);
    khabar_status st = KHABAR_OK;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM articles", -1, &count, NULL) != SQLITE_OK ||
        sqlite3_step(count) != SQLITE_ROW ||
        sqlite3_prepare_v2(db, "SELECT term, doc FROM temp.khabar_df_terms", -1, &terms, NULL) != SQLITE_OK) {
        st = kh_archive_db_error(ar, err, "document frequencies");
        goto done;
    }
    sqlite3_int64 documents = sqlite3_column_int64(count, 0);
    int rc;
    while ((rc = sqlite3_step(terms)) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(terms, 0);
        int n = sqlite3_column_bytes(terms, 0);
        /* a stem with a tab or line break could not be one line of the table */
        if (!term || n <= 0 || term[0] == SURFACE_MARK || memchr(term, '\t', (size_t)n) ||
            memchr(term, '\n', (size_t)n))
            continue;
        sqlite3_str_appendf(tsv, "%.*s\t%lld\n", n, term, sqlite3_column_int64(terms, 1));
    }
    if (rc != SQLITE_DONE || sqlite3_str_errcode(tsv) != SQLITE_OK) {
        st = rc != SQLITE_DONE ? kh_archive_db_error(ar, err, "document frequencies")
                               : kh_archive_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        goto done;
    }
    st = khabar_df_load(sqlite3_str_value(tsv), (size_t)sqlite3_str_length(tsv),
                        documents > 0 ? (uint64_t)documents : 0, out, err);
done:
    sqlite3_finalize(count);
    sqlite3_finalize(terms);
    sqlite3_free(sqlite3_str_finish(tsv));
    return st;
}
