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

/* Per query: what does not change from row to row. */
typedef struct rank_data {
    int n_phrase, n_col;
    double *idf;            /* n_phrase */
    double avgdl[MAX_COLUMNS];
    double *tf;             /* n_phrase, per row */
    double *pairs;          /* n_phrase: pairs ending at phrase i, per row */
    int *last;              /* n_phrase: last offset of each phrase in the column read */
    unsigned char *opening; /* n_phrase: whether the phrase is in the text's opening, per row */
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

static int rank_data_of(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data **out)
{
    rank_data *d = api->xGetAuxdata(fts, 0);
    if (d) {
        *out = d;
        return SQLITE_OK;
    }
    int n_phrase = api->xPhraseCount(fts), n_col = api->xColumnCount(fts);
    if (n_col > MAX_COLUMNS) n_col = MAX_COLUMNS;
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
    sqlite3_int64 rows = 0;
    int rc = api->xRowCount(fts, &rows);
    for (int c = 0; rc == SQLITE_OK && c < n_col; c++) {
        sqlite3_int64 total = 0;
        rc = api->xColumnTotalSize(fts, c, &total);
        d->avgdl[c] = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
    }
    for (int i = 0; rc == SQLITE_OK && i < n_phrase; i++) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, i, &hits, count_rows);
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

static void rank_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sql, int argc,
                          sqlite3_value **argv)
{
    rank_data *d;
    int rc = rank_data_of(api, fts, &d);
    if (rc) {
        sqlite3_result_error_code(sql, rc);
        return;
    }
    double weight[MAX_COLUMNS], dl_norm = 0;
    int last_col = d->n_col - 1;
    /* The length that normalises: each column's length against its
     * average, weighted as its words are (BM25F). */
    double weight_sum = 0;
    for (int c = 0; c < d->n_col; c++) {
        weight[c] = c < argc ? sqlite3_value_double(argv[c]) : 1.0;
        int len = 0;
        if ((rc = api->xColumnSize(fts, c, &len))) {
            sqlite3_result_error_code(sql, rc);
            return;
        }
        dl_norm += weight[c] * (double)len / d->avgdl[c];
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

int kh_fts5_register_rank(fts5_api *api)
{
    return api->xCreateFunction(api, "khabar_rank", NULL, rank_function, NULL);
}
