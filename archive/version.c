/* The archive's data version: how a process that keeps answers drawn from
 * the archive (khabar serve's response cache) learns that they went stale. */
#include "archive_internal.h"

khabar_status khabar_archive_data_version(khabar_archive *ar, unsigned long long *out, khabar_error *err)
{
    if (!ar || !out) return kh_archive_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_archive_data_version: NULL argument");
    sqlite3 *db = kh_archive_db(ar);
    /* The pragma opens (and ends) a read transaction, which brings the
     * pager's own counter up to date with other connections' commits; the
     * file control's counter then also counts this connection's own. */
    sqlite3_stmt *s = kh_archive_kept_statement(ar, "PRAGMA main.data_version");
    if (!s) return kh_archive_db_error(ar, err, "cannot read the data version");
    int rc = sqlite3_step(s);
    sqlite3_int64 others = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) return kh_archive_db_error(ar, err, "cannot read the data version");
    unsigned int pager = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &pager) != SQLITE_OK)
        return kh_archive_db_error(ar, err, "cannot read the data version");
    *out = ((unsigned long long)(sqlite3_uint64)others << 32) ^ pager;
    return KHABAR_OK;
}
