/* khabar's analysis as an SQLite FTS5 tokenizer, tokenize='khabar'
 * (docs/archive.md says what it indexes).  Built into the archive and into
 * the loadable extension (archive/extension.c). */
#ifndef KHABAR_FTS5_KHABAR_H
#define KHABAR_FTS5_KHABAR_H

#ifdef KHABAR_SQLITE_EXTENSION
#include <sqlite3ext.h>
#else
#include <sqlite3.h>
#endif

#include "khabar.h"

/* Registers the tokenizer 'khabar' and the auxiliary function
 * khabar_marks() with the FTS5 of connection `db`.  `model` is borrowed and
 * must outlive the connection; NULL makes the registration load a model of
 * its own, freed with the connection.  Returns an SQLite result code. */
int kh_fts5_register(sqlite3 *db, const khabar_model *model);

#endif
