/* khabar's analysis as an FTS5 tokenizer.
 *
 * A document's word is indexed twice at one position: its stem (the
 * clitics stripped and Snowball's stemmer applied: الكتاب، وكتابه → كتاب)
 * and, colocated, its surface form, normalised and marked with a leading
 * '=' (=الكتاب).  A query word is looked up by its stem, so every form of
 * a word matches; a query word written =الكتاب looks up the surface form
 * alone.  In a query, a proclitic written apart from its word is left out
 * and a verb in the present tense also asks for its stem without the
 * tense's prefix (docs/archive.md).  Offsets are bytes of the text as
 * given, so FTS5's highlight() and snippet() and khabar_marks() fall on
 * the words as written. */
#include "fts5_khabar.h"

#ifdef KHABAR_SQLITE_EXTENSION
SQLITE_EXTENSION_INIT3
#endif

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The surface form's mark: '=' cannot start a stem (no word has it). */
#define SURFACE_MARK '='

typedef struct tokenizer tokenizer;

typedef struct kh_fts5_registration {
    const khabar_model *model;
    khabar_model *owned;
    const kh_fts5_tokens *tokens;  /* kh_fts5_set_tokens */
    const char *tokens_text;
    size_t tokens_len;
    tokenizer *offsets;            /* kh_fts5_offsets' own, made when first needed */
    /* The phrases of the queries parsed last, as their terms (kh_fts5_query_phrase);
     * kept only when `log_queries`. */
    int log_queries;
    struct logged_phrase {
        char *key;
        size_t len, cap;
        int terms;
    } log[KH_FTS5_LOGGED_PHRASES];
    unsigned log_next, log_n;
    kh_fts5_rows *rows;            /* kh_fts5_gather_rows */
} registration;

/* One indexed word of a prepared text: its stem and its marked surface
 * form, made as tok_tokenize would make them, in `pool`. */
typedef struct prepared {
    int start, end;
    unsigned stem, stem_len, surface, surface_len;
} prepared;

struct kh_fts5_tokens {
    prepared *words;
    size_t n;
    char *pool;
    size_t pool_len;
};

struct tokenizer {
    registration *reg;
    khabar_analyzer *an;
    char *buf;  /* a term being built */
    size_t cap;
};

static int tok_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)argv;
    (void)argc;
    registration *reg = user;
    tokenizer *t = calloc(1, sizeof *t);
    if (!t) return SQLITE_NOMEM;
    t->reg = reg;
    if (khabar_analyzer_new(reg->model, &t->an, NULL) != KHABAR_OK) {
        free(t);
        return SQLITE_NOMEM;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    tokenizer *t = (tokenizer *)p;
    if (!t) return;
    khabar_analyzer_free(t->an);
    free(t->buf);
    free(t);
}

/* Makes t->buf hold `mark` (when not 0) and `s`, ASCII letters lowered
 * (FTS5 matches bytes: Latin words must match in any case). */
static int term(tokenizer *t, char mark, const char *s, size_t n, size_t *len)
{
    size_t need = n + 1;
    if (need > t->cap) {
        char *b = realloc(t->buf, need * 2);
        if (!b) return SQLITE_NOMEM;
        t->buf = b;
        t->cap = need * 2;
    }
    size_t k = 0;
    if (mark) t->buf[k++] = mark;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        t->buf[k++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    *len = k;
    return SQLITE_OK;
}

typedef int (*token_fn)(void *, int, const char *, int, int, int);

static int emit(tokenizer *t, void *ctx, token_fn x, int flags, char mark, const char *s,
                size_t start, size_t end)
{
    size_t len;
    int rc = term(t, mark, s, strlen(s), &len);
    if (rc) return rc;
    if (len == 0 || len > INT_MAX || end > INT_MAX) return SQLITE_OK;
    return x(ctx, flags, t->buf, (int)len, (int)start, (int)end);
}

/* A query phrase being tokenized, its terms appended to its key. */
typedef struct logging {
    void *ctx;
    token_fn x;
    struct logged_phrase *p;
    int failed;
} logging;

static void log_bytes(logging *g, const void *b, size_t n)
{
    struct logged_phrase *p = g->p;
    if (g->failed) return;
    if (p->len + n > p->cap) {
        size_t cap = 2 * (p->len + n) + 32;
        char *k = realloc(p->key, cap);
        if (!k) { g->failed = 1; return; }
        p->key = k;
        p->cap = cap;
    }
    memcpy(p->key + p->len, b, n);
    p->len += n;
}

static int log_token(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
    logging *g = ctx;
    uint32_t n = (uint32_t)ntok;
    unsigned char colocated = (tflags & FTS5_TOKEN_COLOCATED) != 0;
    log_bytes(g, &colocated, 1);
    log_bytes(g, &n, sizeof n);
    log_bytes(g, tok, n);
    if (!colocated) g->p->terms++;
    return g->x(g->ctx, tflags, tok, ntok, start, end);
}

int kh_fts5_query_phrase(const kh_fts5_registration *reg, unsigned back, const char **key, size_t *len, int *terms)
{
    if (!reg || back >= reg->log_n) return 0;
    const struct logged_phrase *p = &reg->log[(reg->log_next + KH_FTS5_LOGGED_PHRASES - 1 - back) % KH_FTS5_LOGGED_PHRASES];
    if (!p->key) return 0;
    *key = p->key;
    *len = p->len;
    *terms = p->terms;
    return 1;
}

void kh_fts5_gather_rows(kh_fts5_registration *reg, kh_fts5_rows *rows)
{
    if (reg) reg->rows = rows;
}

kh_fts5_rows *kh_fts5_gathering(const kh_fts5_registration *reg)
{
    return reg ? reg->rows : NULL;
}

static int indexed_kind(khabar_token_kind kind)
{
    return kind != KHABAR_TOKEN_PUNCT && kind != KHABAR_TOKEN_SYMBOL;
}

enum {
    TEH_MARBUTA = 0x0629, ALEF = 0x0627, BEH = 0x0628, TEH = 0x062A, FEH = 0x0641, KAF = 0x0643, LAM = 0x0644,
    HEH = 0x0647, WAW = 0x0648, YEH = 0x064A
};

/* The two-byte letter at s (a code point of U+0080..U+07FF), else 0. */
static unsigned letter_at(const char *s, size_t n)
{
    if (n < 2 || ((unsigned char)s[0] & 0xE0) != 0xC0) return 0;
    return ((unsigned char)s[0] & 0x1Fu) << 6 | ((unsigned char)s[1] & 0x3Fu);
}

/* Whether a normalised token is one of the one-letter proclitics alone. */
static int lone_proclitic(const char *norm)
{
    static const unsigned proclitics[] = {BEH, FEH, KAF, LAM, WAW};
    if (strlen(norm) != 2) return 0;
    unsigned cp = letter_at(norm, 2);
    for (size_t k = 0; k < sizeof proclitics / sizeof *proclitics; k++)
        if (cp == proclitics[k]) return 1;
    return 0;
}

/* Whether token i is a proclitic written apart from the word it belongs
 * to, with no space between them (بـ«الصوت», لـ"داعش", و«السيلفي»).  A
 * query leaves it out: else the word would be a phrase of two terms, the
 * clitic then the word, which a text writing بالصوت or لداعش (one term)
 * does not match. */
static int attached_proclitic(const khabar_doc *doc, size_t i, const char *text)
{
    const khabar_token *tk = khabar_doc_token(doc, i);
    if (!lone_proclitic(tk->norm)) return 0;
    for (size_t j = i + 1; j < khabar_doc_token_count(doc); j++) {
        const khabar_token *next = khabar_doc_token(doc, j);
        if (!indexed_kind(next->kind)) continue;
        for (size_t k = tk->span.end; k < next->span.start; k++)
            if (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r') return 0;
        return 1;
    }
    return 0;
}

/* Whether a word as written (normalised, clitics and all) can be a verb in
 * the present tense: ي or ت first, after و or ف at most (no article, no
 * preposition), and no ة or ات last, which only nouns end with. */
static int present_verb_like(const char *norm)
{
    size_t n = strlen(norm);
    unsigned c = letter_at(norm, n);
    if ((c == WAW || c == FEH) && n >= 8) {
        norm += 2;
        n -= 2;
        c = letter_at(norm, n);
    }
    if ((c != YEH && c != TEH) || n < 6) return 0;
    unsigned last = letter_at(norm + n - 2, 2);
    if (last == TEH_MARBUTA || last == HEH) return 0;
    return !(last == TEH && letter_at(norm + n - 4, 2) == ALEF);
}

/* A verb in the present tense, in a query, also asks for its stem without
 * the tense's prefix: Snowball keeps it (يهاجم and تهاجم stem to
 * themselves, هاجم and هاجمت to هاجم), and a title tells in the present
 * what its text tells in the past (تهاجم / هاجمت) or names (يتحدث /
 * تحدث).  A colocated token of a query is an alternative for FTS5: a
 * document with either form matches the word. */
static int emit_without_tense(tokenizer *t, void *ctx, token_fn x, const char *stem, size_t start, size_t end)
{
    size_t n = strlen(stem);
    unsigned c = letter_at(stem, n);
    if ((c != YEH && c != TEH) || n < 8) return SQLITE_OK; /* 4 letters or more */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)stem[i] < 0x80) return SQLITE_OK;
    char out[512];
    size_t len = 0;
    if (18 * (n - 2) + 16 > sizeof out ||
        khabar_stem(t->an, stem + 2, n - 2, out, sizeof out, &len, NULL) != KHABAR_OK || len < 6 || len >= sizeof out)
        return SQLITE_OK;
    out[len] = '\0';
    if (!strcmp(out, stem) || strchr(out, ' ')) return SQLITE_OK;
    return emit(t, ctx, x, FTS5_TOKEN_COLOCATED, 0, out, start, end);
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        token_fn x)
{
    tokenizer *t = (tokenizer *)p;
    int query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    int prefix = (flags & FTS5_TOKENIZE_PREFIX) != 0;
    registration *r = t->reg;
    if (query && r->log_queries) {
        /* the phrase's key: whether a prefix, then its tokens */
        struct logged_phrase *lp = &r->log[r->log_next];
        r->log_next = (r->log_next + 1) % KH_FTS5_LOGGED_PHRASES;
        if (r->log_n < KH_FTS5_LOGGED_PHRASES) r->log_n++;
        lp->len = 0;
        lp->terms = 0;
        logging g = {ctx, x, lp, 0};
        unsigned char kind = (unsigned char)prefix;
        log_bytes(&g, &kind, 1);
        r->log_queries = 0; /* not again inside */
        int rc = tok_tokenize(p, &g, flags, text, n, log_token);
        r->log_queries = 1;
        if (g.failed) {
            free(lp->key);
            *lp = (struct logged_phrase){0};
        }
        return rc;
    }
    if (n <= 0) return SQLITE_OK;
    size_t len = (size_t)n;
    /* A query word written =word asks for that surface form alone. */
    size_t skip = 0;
    if (query && text[0] == SURFACE_MARK) skip = 1;
    int surface_only = skip || prefix;
    const registration *reg = t->reg;
    if (!query && reg->tokens && reg->tokens_len == len && !memcmp(reg->tokens_text, text, len)) {
        const kh_fts5_tokens *tk = reg->tokens;
        int rc = SQLITE_OK;
        for (size_t i = 0; rc == SQLITE_OK && i < tk->n; i++) {
            const prepared *w = &tk->words[i];
            /* an empty stem is no term (emit) */
            if (w->stem_len) rc = x(ctx, 0, tk->pool + w->stem, (int)w->stem_len, w->start, w->end);
            if (rc == SQLITE_OK)
                rc = x(ctx, FTS5_TOKEN_COLOCATED, tk->pool + w->surface, (int)w->surface_len, w->start, w->end);
        }
        return rc;
    }
    khabar_doc *d = NULL;
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_NO_TITLE | KHABAR_OPTION_REPLACE_INVALID;
    o.skip = KHABAR_SKIP_ANALYSES;
    o.max_bytes = len;
    khabar_status st = khabar_analyze(t->an, text + skip, len - skip, &o, &d, NULL);
    if (st == KHABAR_ERROR_EMPTY) return SQLITE_OK;
    if (st == KHABAR_ERROR_MEMORY) return SQLITE_NOMEM;
    if (st) return SQLITE_ERROR;
    const khabar_doc *doc = d;
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < khabar_doc_token_count(doc); i++) {
        const khabar_token *tk = khabar_doc_token(doc, i);
        if (!indexed_kind(tk->kind)) continue;
        if (query && attached_proclitic(doc, i, text + skip)) continue;
        size_t start = tk->span.start + skip, end = tk->span.end + skip;
        if (surface_only) {
            rc = emit(t, ctx, x, 0, SURFACE_MARK, tk->norm, start, end);
            continue;
        }
        const char *stem = tk->stem && *tk->stem ? tk->stem : tk->norm;
        rc = emit(t, ctx, x, 0, 0, stem, start, end);
        if (rc == SQLITE_OK && query && present_verb_like(tk->norm)) rc = emit_without_tense(t, ctx, x, stem, start, end);
        if (rc == SQLITE_OK && !query)
            rc = emit(t, ctx, x, FTS5_TOKEN_COLOCATED, SURFACE_MARK, tk->norm, start, end);
    }
    khabar_doc_free(d);
    return rc;
}

/* ---- the words' offsets, stored so that marks need no analysis ---- */

/* The offsets of a text's words are what the tokenizer gives for its
 * positions (the tokens not colocated), in order, as pairs of unsigned
 * LEB128 varints: the word's start less the previous word's start, then
 * its length in bytes.  About two bytes a word. */
typedef struct offsets_buf {
    unsigned char *b;
    size_t len, cap;
    int last_start, failed;
} offsets_buf;

static void put_varint(offsets_buf *o, unsigned v)
{
    if (o->len + 5 > o->cap) {
        size_t cap = 2 * o->cap + 64;
        unsigned char *b = sqlite3_realloc64(o->b, cap);
        if (!b) { o->failed = 1; return; }
        o->b = b;
        o->cap = cap;
    }
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        o->b[o->len++] = (unsigned char)(c | (v ? 0x80 : 0));
    } while (v);
}

static int offsets_token(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
    (void)tok;
    (void)ntok;
    offsets_buf *o = ctx;
    if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    /* words out of order cannot be delta-coded: no offsets (marks then
     * analyse the text) */
    if (start < o->last_start || end < start) { o->failed = 1; return SQLITE_DONE; }
    put_varint(o, (unsigned)(start - o->last_start));
    put_varint(o, (unsigned)(end - start));
    o->last_start = start;
    return o->failed ? SQLITE_NOMEM : SQLITE_OK;
}

/* Reads a varint at *p (before `end`) into *v; 0 when the bytes run out. */
static int get_varint(const unsigned char **p, const unsigned char *end, unsigned *v)
{
    unsigned x = 0;
    for (int shift = 0; *p < end && shift < 35; shift += 7) {
        unsigned char c = *(*p)++;
        x |= (unsigned)(c & 0x7f) << shift;
        if (!(c & 0x80)) { *v = x; return 1; }
    }
    return 0;
}

static int offsets_of(registration *reg, const char *text, size_t len, offsets_buf *o)
{
    if (!reg->offsets) {
        Fts5Tokenizer *t;
        int rc = tok_create(reg, NULL, 0, &t);
        if (rc) return rc;
        reg->offsets = (tokenizer *)t;
    }
    if (len > INT_MAX) return SQLITE_TOOBIG;
    int rc = tok_tokenize((Fts5Tokenizer *)reg->offsets, o, FTS5_TOKENIZE_DOCUMENT, text, (int)len, offsets_token);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    if (!rc && o->failed) rc = SQLITE_NOMEM;
    return rc;
}

int kh_fts5_offsets(kh_fts5_registration *reg, const kh_fts5_tokens *tokens, const char *text, size_t len,
                    unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (!reg) return SQLITE_MISUSE;
    const kh_fts5_tokens *was = reg->tokens;
    const char *was_text = reg->tokens_text;
    size_t was_len = reg->tokens_len;
    kh_fts5_set_tokens(reg, tokens, text, len);
    offsets_buf o = {0};
    int rc = offsets_of(reg, text, len, &o);
    reg->tokens = was;
    reg->tokens_text = was_text;
    reg->tokens_len = was_len;
    if (rc || o.failed) {
        sqlite3_free(o.b);
        return rc ? rc : SQLITE_OK; /* out of order: no offsets */
    }
    *out = o.b;
    *out_len = o.len;
    return SQLITE_OK;
}

/* khabar_offsets(text): the stored form of the text's words' offsets, for
 * khabar_marks()'s third argument; NULL for a text with no words. */
static void offsets_function(sqlite3_context *sql, int argc, sqlite3_value **argv)
{
    if (argc != 1) {
        sqlite3_result_error(sql, "khabar_offsets(text): wrong number of arguments", -1);
        return;
    }
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    int len = sqlite3_value_bytes(argv[0]);
    if (!text) {
        sqlite3_result_null(sql);
        return;
    }
    unsigned char *b;
    size_t n;
    int rc = kh_fts5_offsets(sqlite3_user_data(sql), NULL, text, (size_t)len, &b, &n);
    if (rc) sqlite3_result_error_code(sql, rc);
    else if (!b) sqlite3_result_null(sql);
    else sqlite3_result_blob64(sql, b, n, sqlite3_free);
}

/* ---- khabar_marks(table, column): the matched words' byte offsets ---- */

typedef struct marks_walk {
    int *wanted;        /* token positions matched, sorted */
    int n_wanted, next; /* next wanted position to find */
    int position;       /* position of the token being read */
    sqlite3_str *out;
    int written;
} marks_walk;

static int marks_token(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
    (void)tok;
    (void)ntok;
    marks_walk *w = ctx;
    if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    int pos = w->position++;
    while (w->next < w->n_wanted && w->wanted[w->next] < pos) w->next++;
    if (w->next < w->n_wanted && w->wanted[w->next] == pos) {
        sqlite3_str_appendf(w->out, "%s%d %d", w->written++ ? " " : "", start, end);
        w->next++;
    }
    return w->next < w->n_wanted ? SQLITE_OK : SQLITE_DONE;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The wanted positions' offsets read from stored offsets (khabar_offsets)
 * into w; 0 when the offsets end before the last wanted position (they are
 * not this text's: it is analysed instead). */
static int stored_marks(const unsigned char *p, size_t n, marks_walk *w)
{
    const unsigned char *end = p + n;
    unsigned start = 0, delta, len;
    for (int pos = 0; w->next < w->n_wanted; pos++) {
        if (!get_varint(&p, end, &delta) || !get_varint(&p, end, &len)) return 0;
        start += delta;
        if (start > INT_MAX || len > INT_MAX - start) return 0;
        while (w->next < w->n_wanted && w->wanted[w->next] < pos) w->next++;
        if (w->next < w->n_wanted && w->wanted[w->next] == pos) {
            sqlite3_str_appendf(w->out, "%s%u %u", w->written++ ? " " : "", start, start + len);
            w->next++;
        }
    }
    return 1;
}

/* khabar_marks(table, column [, offsets]): "start end start end ..." for
 * the words of column `col` that matched the query, in text order; NULL
 * when none did.  With the column's offsets as khabar_offsets() made them,
 * the text is not analysed again. */
static void marks_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sql,
                           int argc, sqlite3_value **argv)
{
    if (argc != 1 && argc != 2) {
        sqlite3_result_error(sql, "khabar_marks(table, column [, offsets]): wrong number of arguments", -1);
        return;
    }
    int col = sqlite3_value_int(argv[0]);
    int count = 0, rc = api->xInstCount(fts, &count);
    if (rc) { sqlite3_result_error_code(sql, rc); return; }
    /* a phrase of k words marks its k positions */
    sqlite3_int64 total = 0;
    for (int i = 0; i < count && rc == SQLITE_OK; i++) {
        int phrase, icol, off;
        rc = api->xInst(fts, i, &phrase, &icol, &off);
        if (rc == SQLITE_OK && icol == col) total += api->xPhraseSize(fts, phrase);
    }
    if (rc || total == 0 || total > INT_MAX) {
        if (rc) sqlite3_result_error_code(sql, rc);
        else sqlite3_result_null(sql);
        return;
    }
    int *wanted = sqlite3_malloc64((sqlite3_uint64)total * sizeof *wanted);
    if (!wanted) { sqlite3_result_error_nomem(sql); return; }
    int n = 0;
    for (int i = 0; i < count && rc == SQLITE_OK; i++) {
        int phrase, icol, off;
        rc = api->xInst(fts, i, &phrase, &icol, &off);
        if (rc || icol != col) continue;
        int size = api->xPhraseSize(fts, phrase);
        for (int k = 0; k < size && n < total; k++) wanted[n++] = off + k;
    }
    if (rc) {
        sqlite3_free(wanted);
        sqlite3_result_error_code(sql, rc);
        return;
    }
    qsort(wanted, (size_t)n, sizeof *wanted, cmp_int);
    marks_walk w = {wanted, n, 0, 0, sqlite3_str_new(NULL), 0};
    const unsigned char *stored = argc == 2 ? sqlite3_value_blob(argv[1]) : NULL;
    if (!stored || !stored_marks(stored, (size_t)sqlite3_value_bytes(argv[1]), &w)) {
        sqlite3_str_reset(w.out);
        w.next = w.position = w.written = 0;
        const char *text;
        int len;
        if ((rc = api->xColumnText(fts, col, &text, &len)) == SQLITE_OK)
            rc = api->xTokenize(fts, text, len, &w, marks_token);
    }
    sqlite3_free(wanted);
    if (rc && rc != SQLITE_DONE) {
        sqlite3_free(sqlite3_str_finish(w.out));
        sqlite3_result_error_code(sql, rc);
        return;
    }
    int out_len = sqlite3_str_length(w.out);
    char *s = sqlite3_str_finish(w.out);
    if (!s && out_len) { sqlite3_result_error_nomem(sql); return; }
    if (s) sqlite3_result_text(sql, s, out_len, sqlite3_free);
    else sqlite3_result_null(sql);
}

/* ---- registration ---- */

static void registration_free(void *p)
{
    registration *reg = p;
    if (!reg) return;
    tok_delete((Fts5Tokenizer *)reg->offsets);
    for (int i = 0; i < KH_FTS5_LOGGED_PHRASES; i++) free(reg->log[i].key);
    khabar_model_free(reg->owned);
    free(reg);
}

static fts5_api *fts5_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

/* Whether the first `n` tokens are the bytes of `text` at their offsets. */
static int title_in_text(const khabar_doc *doc, size_t n, const char *text, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        const khabar_span *sp = &khabar_doc_token(doc, i)->span;
        if (sp->end > len || sp->end - sp->start != sp->text_len || memcmp(text + sp->start, sp->text, sp->text_len))
            return 0;
    }
    return 1;
}

/* Appends `mark` (when not 0) and `s`, ASCII letters lowered, as term()
 * makes a term; its offset and length into *off, *len. */
static int pool_term(kh_fts5_tokens *tk, size_t *cap, char mark, const char *s, unsigned *off, unsigned *len)
{
    size_t n = strlen(s);
    if (tk->pool_len + n + 2 > *cap) {
        size_t c = (tk->pool_len + n + 2) * 2;
        char *p = realloc(tk->pool, c);
        if (!p) return -1;
        tk->pool = p;
        *cap = c;
    }
    if (tk->pool_len > UINT_MAX / 2) return -1;
    *off = (unsigned)tk->pool_len;
    char *o = tk->pool + tk->pool_len;
    size_t k = 0;
    if (mark) o[k++] = mark;
    for (size_t i = 0; i < n; i++) o[k++] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    *len = (unsigned)k;
    tk->pool_len += k;
    return 0;
}

kh_fts5_tokens *kh_fts5_tokens_new(const khabar_doc *doc, const char *text, size_t len)
{
    /* A title given apart from the text (KHABAR_OPTION_NO_TITLE) has its
     * tokens first, their offsets into the title: the text's own tokens
     * then start again before the title's end.  A title that is the text's
     * first line is part of the text, its offsets in order and its tokens
     * the text's bytes there.  When this cannot be told (no tokens after
     * the title, or a cleaned title token), the text is analysed. */
    size_t n = doc ? khabar_doc_token_count(doc) : 0, first = 0;
    if (!doc || len > INT_MAX) return NULL;
    while (first < n && khabar_doc_token(doc, first)->block == -1) first++;
    if (first > 0) {
        if (first == n) return NULL;
        if (khabar_doc_token(doc, first)->span.start >= khabar_doc_token(doc, first - 1)->span.end) {
            if (!title_in_text(doc, first, text, len)) return NULL;
            first = 0;
        }
    }
    kh_fts5_tokens *tk = calloc(1, sizeof *tk);
    size_t cap = 0;
    if (!tk || !(tk->words = malloc((n - first + 1) * sizeof *tk->words))) goto fail;
    for (size_t i = first; i < n; i++) {
        const khabar_token *t = khabar_doc_token(doc, i);
        if (!indexed_kind(t->kind)) continue;
        if (t->span.end > len) goto fail;
        prepared *w = &tk->words[tk->n];
        w->start = (int)t->span.start;
        w->end = (int)t->span.end;
        const char *stem = t->stem && *t->stem ? t->stem : t->norm;
        if (pool_term(tk, &cap, 0, stem, &w->stem, &w->stem_len) ||
            pool_term(tk, &cap, SURFACE_MARK, t->norm, &w->surface, &w->surface_len))
            goto fail;
        tk->n++;
    }
    return tk;
fail:
    kh_fts5_tokens_free(tk);
    return NULL;
}

void kh_fts5_tokens_free(kh_fts5_tokens *tk)
{
    if (!tk) return;
    free(tk->words);
    free(tk->pool);
    free(tk);
}

void kh_fts5_set_tokens(registration *reg, const kh_fts5_tokens *tokens, const char *text, size_t len)
{
    if (!reg) return;
    reg->tokens = tokens;
    reg->tokens_text = text;
    reg->tokens_len = tokens ? len : 0;
}

int kh_fts5_register(sqlite3 *db, const khabar_model *model)
{
    return kh_fts5_register_for(db, model, NULL);
}

int kh_fts5_register_for(sqlite3 *db, const khabar_model *model, registration **out)
{
    fts5_api *api = fts5_of(db);
    if (!api || api->iVersion < 2) return SQLITE_ERROR;
    registration *reg = calloc(1, sizeof *reg);
    if (!reg) return SQLITE_NOMEM;
    if (!model) {
        if (khabar_model_new(&reg->owned, NULL) != KHABAR_OK) {
            free(reg);
            return SQLITE_NOMEM;
        }
        model = reg->owned;
    }
    reg->model = model;
    fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    int rc = api->xCreateTokenizer(api, "khabar", reg, &tok, registration_free);
    if (rc) {
        registration_free(reg);
        return rc;
    }
    if (out) *out = reg;
    rc = api->xCreateFunction(api, "khabar_marks", NULL, marks_function, NULL);
    if (!rc)
        rc = sqlite3_create_function(db, "khabar_offsets", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, reg,
                                     offsets_function, NULL, NULL);
    /* the archive's connection (the registration asked for) has one table,
     * whose queries' phrases are logged for khabar_rank */
    if (out) reg->log_queries = 1;
    return rc ? rc : kh_fts5_register_rank(api, out ? reg : NULL);
}
