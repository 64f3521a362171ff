/* The archive's query language (khabar_archive_fts5_query): whatever a user
 * types either gives a query error with an offset inside the query, or an
 * FTS5 expression that FTS5 accepts and runs with khabar's tokenizer
 * (never an SQL error), and khabar_marks() over its hits stays in range,
 * the same from the text's stored offsets (khabar_offsets) as from its
 * analysis; offsets that are not the text's (the input's bytes) may give
 * other marks, never a crash. */
#include <string.h>

#include <sqlite3.h>

#include "fuzz.h"
#include "fts5_khabar.h"
#include "khabar_archive.h"

static sqlite3 *db;
static sqlite3_stmt *match;

static const char *const rows[] = {
    "قال وزير الخارجية إن الكتاب الجديد يصدر غداً في الرياض.",
    "The Books, وكتابه الأول: 10.000 دولار و 25% في \"جنيف\" #خبر @user http://x.y",
};

static void set_up(void)
{
    FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    FUZZ_CHECK(kh_fts5_register(db, fuzz_model) == SQLITE_OK);
    FUZZ_CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='khabar')",
                            NULL, NULL, NULL) == SQLITE_OK);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char *sql = sqlite3_mprintf("INSERT INTO t VALUES('خبر', %Q)", rows[i]);
        FUZZ_CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
        sqlite3_free(sql);
    }
    FUZZ_CHECK(sqlite3_prepare_v2(db, "SELECT rowid, khabar_marks(t, 1), length(CAST(body AS BLOB)),"
                                      " khabar_marks(t, 1, khabar_offsets(body)), khabar_marks(t, 1, ?2)"
                                      " FROM t WHERE t MATCH ?1 ORDER BY rank",
                                  -1, &match, NULL) == SQLITE_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024) return 0;
    if (!db) set_up();
    const char *query = (const char *)data;
    khabar_error err;
    char *fts = khabar_archive_fts5_query(query, size, &err);
    if (!fts) {
        FUZZ_CHECK(err.code == KHABAR_ERROR_QUERY);
        FUZZ_CHECK(err.offset <= size);
        return 0;
    }
    sqlite3_reset(match);
    sqlite3_bind_text(match, 1, fts, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(match, 2, data, (int)size, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(match)) == SQLITE_ROW) {
        const char *marks = (const char *)sqlite3_column_text(match, 1);
        const char *stored = (const char *)sqlite3_column_text(match, 3);
        FUZZ_CHECK(!marks == !stored && (!marks || !strcmp(marks, stored)));
        long long len = sqlite3_column_int64(match, 2);
        for (const char *p = marks; p && *p;) {
            char *end;
            long long a = strtoll(p, &end, 10);
            long long b = strtoll(end, &end, 10);
            FUZZ_CHECK(0 <= a && a < b && b <= len);
            p = end;
        }
    }
    if (rc != SQLITE_DONE) fprintf(stderr, "query %s: %s\n", fts, sqlite3_errmsg(db));
    FUZZ_CHECK(rc == SQLITE_DONE);
    free(fts);
    return 0;
}
