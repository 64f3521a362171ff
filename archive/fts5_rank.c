/* khabar_rank(): the archive's ranking, an FTS5 auxiliary function.
 *
 * BM25 over the columns (each column's term frequency weighted, and each
 * length normalised against its own average), with two additions that news
 * rewards:
 * - the lead: a word matched among the first words of the text counts more,
 *   since a news article says what it is about in its first sentence;
 * - the opening: each word of the query found among the first words of the
 *   text adds its idf once more, however often it is there: a known item's
 *   first sentence tends to hold most of the words its title has, where an
 *   article that only repeats one of them further on does not;
 * - proximity: two words of the query that follow each other in it and
 *   stand within a few words of each other, in that order, in a document
 *   score as a pair too (a sequential dependence model's ordered window),
 *   so that "وزير الخارجية" ranks the minister above an article with a
 *   minister and a foreign affair apart.
 * Inverse document frequency is Lucene's, log(1 + (N - n + 0.5) / (n + 0.5)),
 * which stays positive for words in most documents.
 *
 *   khabar_rank(w_1, ..., w_ncol)   the columns' weights (default 1 each)
 * The other constants are fixed here: bench/known_item measures them
 * (docs/archive.md#measured). */
#include "fts5_khabar.h"

#ifdef KHABAR_SQLITE_EXTENSION
SQLITE_EXTENSION_INIT3
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define K1 2.0
#define B 0.75
#define MAX_COLUMNS 16

#define LEAD_BOOST 2.5   /* extra term frequency of a match in the lead */
#define LEAD_WORDS 40    /* the lead: this many first words of the last column */
#define PROXIMITY 0.5    /* weight of the ordered pairs against single words */
#define WINDOW 3         /* a pair: the second word 1..WINDOW words after the first */
/* The opening: a query word's idf times OPENING when it is among the first
 * OPENING_WORDS words of the text, once per word (coverage, not frequency).
 * OPENING, OPENING_WORDS and then LEAD_BOOST were chosen on the even half of
 * 3,000 title queries (every other article) over the first 6,000
 * SaudiNewsNet articles (opening 0-0.4 by 15 or 20 words, then the lead 1.5-3:
 * a plateau, 0.3, 15 and 2.5 at its top; k1, b and the pairs swept again
 * raised it by 0.0015 at most), and checked on the other half, the whole
 * corpus and ANT (docs/archive.md#measured).  The coverage of the whole
 * text, tried first (idf-weighted or counted, a factor or a term), never
 * helped: BM25 already rewards it. */
#define OPENING 0.3
#define OPENING_WORDS 15

/* The columns' sizes of each row read so far, by rowid, for a connection
 * whose khabar_rank() ranks one table (the archive's): FTS5 reads a row's
 * sizes from its docsize table, a B-tree lookup per hit ranked, which was
 * about a fifth of a search's time.  Emptied whenever the database may
 * have changed: a commit, this connection's or another's (the pager's data
 * version); while this connection has a write transaction open, it is
 * neither read nor filled, and emptied after. */
#define SIZES_MAX_ROWID (1 << 22) /* 16 MiB for two columns; rows above are not kept */

/* The phrases' document counts too, by their terms (the tokenizer's log
 * of the query's phrases, kh_fts5_query_phrase): FTS5 counts them by
 * walking every row that has the phrase (xQueryPhrase), a quarter of a
 * search's time when a common word is asked; most words are asked again. */
#define COUNTS_MAX 100000 /* phrases kept before the table starts anew */

typedef struct phrase_count {
    char *key;          /* NULL: an empty slot */
    size_t len;
    sqlite3_int64 rows;
} phrase_count;

typedef struct size_cache {
    int *sizes;                 /* n_col a row, -1 when not read */
    sqlite3_int64 rows;         /* rowids below this have room */
    int n_col;
    unsigned data_version;
    int written;                /* a write transaction was seen */
    const kh_fts5_registration *reg;
    phrase_count *counts;       /* open addressing, `counts_cap` slots */
    size_t counts_n, counts_cap;
} size_cache;

static void counts_clear(size_cache *c)
{
    for (size_t i = 0; i < c->counts_cap; i++) sqlite3_free(c->counts[i].key);
    sqlite3_free(c->counts);
    c->counts = NULL;
    c->counts_n = c->counts_cap = 0;
}

static void size_cache_free(void *p)
{
    size_cache *c = p;
    if (!c) return;
    sqlite3_free(c->sizes);
    counts_clear(c);
    sqlite3_free(c);
}

static size_t hash_key(const char *k, size_t n)
{
    return (size_t)XXH3_64bits(k, n);
}

/* The slot of `key`: its own, or the empty one where it would go. */
static phrase_count *count_slot(size_cache *c, const char *key, size_t len)
{
    size_t i = hash_key(key, len) & (c->counts_cap - 1);
    while (c->counts[i].key && (c->counts[i].len != len || memcmp(c->counts[i].key, key, len)))
        i = (i + 1) & (c->counts_cap - 1);
    return &c->counts[i];
}

static void count_keep(size_cache *c, const char *key, size_t len, sqlite3_int64 rows)
{
    if (c->counts_n >= COUNTS_MAX) counts_clear(c);
    if (2 * (c->counts_n + 1) > c->counts_cap) {
        size_t cap = c->counts_cap ? 2 * c->counts_cap : 1024;
        phrase_count *old = c->counts, *b = sqlite3_malloc64(cap * sizeof *b);
        if (!b) return; /* only not kept */
        memset(b, 0, cap * sizeof *b);
        size_t old_cap = c->counts_cap;
        c->counts = b;
        c->counts_cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].key) *count_slot(c, old[i].key, old[i].len) = old[i];
        sqlite3_free(old);
    }
    phrase_count *slot = count_slot(c, key, len);
    if (slot->key) return;
    if (!(slot->key = sqlite3_malloc64(len ? len : 1))) return;
    memcpy(slot->key, key, len);
    slot->len = len;
    slot->rows = rows;
    c->counts_n++;
}

/* The cache for this query (called once a query, inside its transaction),
 * emptied when the database may have changed since it was filled; NULL
 * when this connection is writing. */
static size_cache *size_cache_check(size_cache *c, sqlite3 *db, int n_col)
{
    unsigned version = 0;
    int writing = sqlite3_txn_state(db, "main") == SQLITE_TXN_WRITE;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK) writing = 1;
    if (!writing && !c->written && version == c->data_version && n_col == c->n_col) return c;
    if (c->sizes) memset(c->sizes, 0xff, (size_t)c->rows * (size_t)c->n_col * sizeof *c->sizes);
    counts_clear(c);
    if (n_col != c->n_col) {
        sqlite3_free(c->sizes);
        c->sizes = NULL;
        c->rows = 0;
    }
    c->n_col = n_col;
    c->data_version = version;
    c->written = writing;
    return writing ? NULL : c;
}

/* The row's column sizes into len[], from the cache when it has them. */
static int column_sizes(const Fts5ExtensionApi *api, Fts5Context *fts, size_cache *c, int n_col, int *len)
{
    sqlite3_int64 row = c ? api->xRowid(fts) : -1;
    if (row >= 0 && row < c->rows && c->sizes[row * n_col] >= 0) {
        memcpy(len, &c->sizes[row * n_col], (size_t)n_col * sizeof *len);
        return SQLITE_OK;
    }
    for (int k = 0; k < n_col; k++) {
        int rc = api->xColumnSize(fts, k, &len[k]);
        if (rc) return rc;
    }
    if (row < 0 || row >= SIZES_MAX_ROWID) return SQLITE_OK;
    if (row >= c->rows) {
        sqlite3_int64 rows = row + 1 > 2 * c->rows ? row + 1 : 2 * c->rows;
        if (rows > SIZES_MAX_ROWID) rows = SIZES_MAX_ROWID;
        int *b = sqlite3_realloc64(c->sizes, (sqlite3_uint64)rows * (sqlite3_uint64)n_col * sizeof *b);
        if (!b) return SQLITE_OK; /* only not kept */
        memset(b + c->rows * n_col, 0xff, (size_t)(rows - c->rows) * (size_t)n_col * sizeof *b);
        c->sizes = b;
        c->rows = rows;
    }
    memcpy(&c->sizes[row * n_col], len, (size_t)n_col * sizeof *len);
    return SQLITE_OK;
}

/* Per query: what does not change from row to row. */
typedef struct rank_data {
    int n_phrase, n_col;
    double *idf;            /* n_phrase */
    double avgdl[MAX_COLUMNS];
    double *tf;             /* n_phrase, per row */
    double *pairs;          /* n_phrase: pairs ending at phrase i, per row */
    int *last;              /* n_phrase: last offset of each phrase in the column read */
    unsigned char *opening; /* n_phrase: whether the phrase is in the text's opening, per row */
    size_cache *sizes;      /* the rows' sizes kept, or NULL */
} rank_data;

static int count_rows(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)ctx)++;
    return SQLITE_OK;
}

static void rank_data_free(void *p)
{
    rank_data *d = p;
    if (!d) return;
    sqlite3_free(d->idf);
    sqlite3_free(d);
}

static int rank_data_of(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sql, rank_data **out)
{
    rank_data *d = api->xGetAuxdata(fts, 0);
    if (d) {
        *out = d;
        return SQLITE_OK;
    }
    int n_phrase = api->xPhraseCount(fts), n_col = api->xColumnCount(fts);
    if (n_col > MAX_COLUMNS) n_col = MAX_COLUMNS;
    size_cache *sizes = api->xUserData(fts);
    if (sizes) sizes = size_cache_check(sizes, sqlite3_context_db_handle(sql), n_col);
    d = sqlite3_malloc64(sizeof *d);
    if (!d) return SQLITE_NOMEM;
    memset(d, 0, sizeof *d);
    size_t n = n_phrase > 0 ? (size_t)n_phrase : 1;
    d->idf = sqlite3_malloc64(n * (3 * sizeof(double) + sizeof(int) + 1));
    if (!d->idf) {
        sqlite3_free(d);
        return SQLITE_NOMEM;
    }
    d->tf = d->idf + n;
    d->pairs = d->tf + n;
    d->last = (int *)(d->pairs + n);
    d->opening = (unsigned char *)(d->last + n);
    d->n_phrase = n_phrase;
    d->n_col = n_col;
    d->sizes = sizes;
    sqlite3_int64 rows = 0;
    int rc = api->xRowCount(fts, &rows);
    for (int c = 0; rc == SQLITE_OK && c < n_col; c++) {
        sqlite3_int64 total = 0;
        rc = api->xColumnTotalSize(fts, c, &total);
        d->avgdl[c] = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
    }
    /* the query's phrases as the tokenizer logged them, the last n_phrase
     * (FTS5 parses them in order); when their number of terms differ from
     * FTS5's, they are not this query's and are not used */
    int logged = sizes && n_phrase > 0 && n_phrase <= KH_FTS5_LOGGED_PHRASES;
    for (int i = 0; logged && i < n_phrase; i++) {
        const char *key;
        size_t len;
        int terms;
        logged = kh_fts5_query_phrase(sizes->reg, (unsigned)(n_phrase - 1 - i), &key, &len, &terms) &&
                 terms == api->xPhraseSize(fts, i);
    }
    for (int i = 0; rc == SQLITE_OK && i < n_phrase; i++) {
        sqlite3_int64 hits = 0;
        const char *key = NULL;
        size_t len = 0;
        int terms;
        phrase_count *known = NULL;
        if (logged && kh_fts5_query_phrase(sizes->reg, (unsigned)(n_phrase - 1 - i), &key, &len, &terms) &&
            sizes->counts_cap) {
            known = count_slot(sizes, key, len);
            if (!known->key) known = NULL;
        }
        if (known) {
            hits = known->rows;
        } else {
            rc = api->xQueryPhrase(fts, i, &hits, count_rows);
            if (rc == SQLITE_OK && key) count_keep(sizes, key, len, hits);
        }
        double nr = (double)rows, nh = (double)hits;
        d->idf[i] = log(1.0 + (nr - nh + 0.5) / (nh + 0.5));
    }
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, d, rank_data_free);
    else rank_data_free(d);
    if (rc == SQLITE_OK) *out = d;
    return rc;
}

static double saturate(double tf, double dl, double avgdl)
{
    return tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * dl / avgdl));
}

/* Adds the row to the rows gathered (kh_fts5_gather_rows), when it is
 * new: above the last one. */
static void gather(kh_fts5_rows *rows, sqlite3_int64 rowid)
{
    if (rows->failed || (rows->n && rowid <= rows->rowid[rows->n - 1])) return;
    if (rows->n == rows->cap) {
        size_t cap = rows->cap ? 2 * rows->cap : 1024;
        sqlite3_int64 *b = sqlite3_realloc64(rows->rowid, cap * sizeof *b);
        if (!b) {
            rows->failed = 1;
            return;
        }
        rows->rowid = b;
        rows->cap = cap;
    }
    rows->rowid[rows->n++] = rowid;
}

static void rank_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sql, int argc,
                          sqlite3_value **argv)
{
    size_cache *archive = api->xUserData(fts);
    kh_fts5_rows *rows = archive ? kh_fts5_gathering(archive->reg) : NULL;
    if (rows) gather(rows, api->xRowid(fts));
    rank_data *d;
    int rc = rank_data_of(api, fts, sql, &d);
    if (rc) {
        sqlite3_result_error_code(sql, rc);
        return;
    }
    double weight[MAX_COLUMNS], dl_norm = 0;
    int last_col = d->n_col - 1;
    /* The length that normalises: each column's length against its
     * average, weighted as its words are (BM25F). */
    double weight_sum = 0;
    int len[MAX_COLUMNS];
    if ((rc = column_sizes(api, fts, d->sizes, d->n_col, len))) {
        sqlite3_result_error_code(sql, rc);
        return;
    }
    for (int c = 0; c < d->n_col; c++) {
        weight[c] = c < argc ? sqlite3_value_double(argv[c]) : 1.0;
        dl_norm += weight[c] * (double)len[c] / d->avgdl[c];
        weight_sum += weight[c];
    }
    dl_norm = weight_sum > 0 ? dl_norm / weight_sum : 1.0;
    for (int i = 0; i < d->n_phrase; i++) {
        d->tf[i] = d->pairs[i] = 0;
        d->last[i] = -1 - WINDOW;
        d->opening[i] = 0;
    }
    int count = 0, col = -1;
    if ((rc = api->xInstCount(fts, &count))) {
        sqlite3_result_error_code(sql, rc);
        return;
    }
    /* instances come in column and offset order */
    for (int k = 0; k < count; k++) {
        int phrase, icol, off;
        if ((rc = api->xInst(fts, k, &phrase, &icol, &off))) {
            sqlite3_result_error_code(sql, rc);
            return;
        }
        if (phrase < 0 || phrase >= d->n_phrase || icol < 0 || icol >= d->n_col) continue;
        if (icol != col) {
            for (int i = 0; i < d->n_phrase; i++) d->last[i] = -1 - WINDOW;
            col = icol;
        }
        double w = weight[icol];
        if (icol == last_col && off < LEAD_WORDS) w += LEAD_BOOST * weight[icol];
        if (icol == last_col && off < OPENING_WORDS) d->opening[phrase] = 1;
        d->tf[phrase] += w;
        if (phrase > 0 && off - d->last[phrase - 1] >= 1 && off - d->last[phrase - 1] <= WINDOW)
            d->pairs[phrase] += w;
        d->last[phrase] = off;
    }
    double score = 0;
    for (int i = 0; i < d->n_phrase; i++) {
        if (d->tf[i] > 0) score += d->idf[i] * saturate(d->tf[i], dl_norm, 1.0);
        if (d->pairs[i] > 0)
            score += PROXIMITY * 0.5 * (d->idf[i - 1] + d->idf[i]) * saturate(d->pairs[i], dl_norm, 1.0);
        if (d->opening[i]) score += OPENING * d->idf[i];
    }
    /* FTS5 orders by rank ascending: the best first */
    sqlite3_result_double(sql, -score);
}

int kh_fts5_register_rank(fts5_api *api, const kh_fts5_registration *archive)
{
    size_cache *c = NULL;
    if (archive) {
        if (!(c = sqlite3_malloc64(sizeof *c))) return SQLITE_NOMEM;
        memset(c, 0, sizeof *c);
        c->reg = archive;
    }
    return api->xCreateFunction(api, "khabar_rank", c, rank_function, size_cache_free);
}
