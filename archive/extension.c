/* khabar's tokenizer as a loadable SQLite extension: in any SQLite with
 * FTS5 (the sqlite3 shell: .load ./khabar), tables of one's own can use
 * fts5(..., tokenize='khabar') and khabar_marks().  docs/archive.md. */
#include "fts5_khabar.h"

SQLITE_EXTENSION_INIT1

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_extension_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api);

int sqlite3_extension_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    int rc = kh_fts5_register(db, NULL);
    if (rc != SQLITE_OK && errmsg)
        *errmsg = sqlite3_mprintf("khabar: cannot register the tokenizer (does this SQLite have FTS5?)");
    return rc;
}
