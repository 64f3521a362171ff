/* Internal declarations shared by the library's modules. */
#ifndef KH_INTERNAL_H
#define KH_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "khabar.h"

/* ---- errors ---- */
khabar_status kh_fail(khabar_error *err, khabar_status code, size_t offset,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* ---- growable byte buffer ---- */
typedef struct kh_buf {
    char *data;
    size_t len;
    size_t cap;
    int fixed; /* data is caller-owned storage: never realloc'd; reserve fails when full */
} kh_buf;

int kh_buf_reserve(kh_buf *b, size_t extra); /* 0 on success, -1 on no memory */
int kh_buf_append(kh_buf *b, const void *p, size_t n);
int kh_buf_putc(kh_buf *b, char c);
void kh_buf_free(kh_buf *b);

/* ---- growable array of fixed-size items ---- */
typedef struct kh_vec {
    void *data;
    size_t len;
    size_t cap;
} kh_vec;

/* Whether any of the 8 bytes of v is special inside a JSON string: a
 * control character, '"' or '\\' (the has-zero-byte and has-byte-less-than
 * word tricks, exact as a yes/no answer).  Lets the JSON writer and reader
 * pass over letters eight bytes at a time. */
static inline int kh_json_special8(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = v ^ (ones * '"'), backslash = v ^ (ones * '\\');
    uint64_t control = (v - ones * 0x20) & ~v;
    quote = (quote - ones) & ~quote;
    backslash = (backslash - ones) & ~backslash;
    return ((control | quote | backslash) & highs) != 0;
}

/* Doubles v's capacity: 0, or -1 (memory). */
int kh_vec_grow(kh_vec *v, size_t item_size);

/* A zeroed slot at the end of v, or NULL (memory).  Inline, so that the
 * constant item size of each caller makes the clearing a few stores: a
 * document pushes one token, sentence and run at a time. */
static inline void *kh_vec_push(kh_vec *v, size_t item_size)
{
    if (v->len == v->cap && kh_vec_grow(v, item_size)) return NULL;
    void *slot = (char *)v->data + v->len * item_size;
    memset(slot, 0, item_size);
    v->len++;
    return slot;
}
void kh_vec_free(kh_vec *v);

/* ---- arena: many small allocations freed at once ---- */
typedef struct kh_arena_block kh_arena_block;
typedef struct kh_arena {
    kh_arena_block *head;
    size_t used;      /* in head */
} kh_arena;

void *kh_arena_alloc(kh_arena *a, size_t n); /* 8-byte aligned, or NULL */
char *kh_arena_strndup(kh_arena *a, const char *s, size_t n); /* NUL-terminated copy */
void kh_arena_free(kh_arena *a);

/* ---- UTF-8 ---- */
/* Decodes one well-formed code point at s (n > 0 bytes available); returns
 * its length 1..4, or 0 when the bytes there are not valid UTF-8 (overlong
 * forms, surrogates, values past U+10FFFF and truncated sequences included). */
/* (inline: it is on every hot path) */
static inline unsigned kh_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c < 0xE0 && n >= 2 && (s[1] & 0xC0) == 0x80) { /* Arabic is here */
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c < 0xC2) return 0;
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80) return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
        if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90) return 0; /* past U+10FFFF */
        *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    return 0;
}

/* Encodes cp (must be valid) into out[4]; returns its length. */
unsigned kh_utf8_encode(uint32_t cp, char *out);
/* Offset of the first invalid byte, or len when all of s is valid. */
size_t kh_utf8_check(const char *s, size_t len);
/* Appends s[0, len) to b with each byte that is not part of valid UTF-8
 * replaced by U+FFFD; -1 on no memory. */
int kh_utf8_append_repaired(kh_buf *b, const char *s, size_t len);

/* ---- normalisation (src/normalize.c) ---- */
/* Appends the normalised form of valid UTF-8 text to b; -1 on no memory. */
int kh_normalize_append(kh_buf *b, const char *s, size_t n, unsigned folds);
/* The single-code-point folds of khabar_normalize: the replacement of cp,
 * or UINT32_MAX when the code point is removed. */
uint32_t kh_fold_cp(uint32_t cp, unsigned folds);

/* Folds alef forms (أ إ آ ٱ) to ا in place.  Every one of them is two
 * bytes in UTF-8, as is ا, so offsets do not move: text normalised with
 * every fold but alef becomes text normalised with all of them. */
void kh_fold_alef_inplace(char *s, size_t n);

/* ---- hashing ---- */
uint64_t kh_hash(const void *p, size_t n);

/* ---- string tables loaded from embedded data (src/lexicon.c) ---- */
typedef struct kh_lexicon kh_lexicon;
/* Parses "word<TAB>count" or "word" lines; counts default to 1.
 * Words are normalised with `folds` as they are loaded. */
kh_lexicon *kh_lexicon_load(const char *data, size_t len, unsigned folds);
void kh_lexicon_free(kh_lexicon *lex);
/* Count of a word, 0 when absent.  Thread-safe. */
uint32_t kh_lexicon_count(const kh_lexicon *lex, const char *w, size_t n);
/* Count of a word already in the table's normal form: no folding, so
 * cheaper; for callers that normalised once and look up many slices. */
uint32_t kh_lexicon_count_normal(const kh_lexicon *lex, const char *w, size_t n);
uint64_t kh_lexicon_total(const kh_lexicon *lex);
size_t kh_lexicon_size(const kh_lexicon *lex);

/* ---- embedded data files (generated by tools/embed.c at build time) ---- */
typedef struct kh_blob {
    const char *name;
    const unsigned char *data;
    size_t len;
} kh_blob;
const kh_blob *kh_blob_find(const char *name);

/* ---- model ---- */
struct khabar_model {
    kh_lexicon *vocab;      /* word counts from a reference news corpus (normalised) */
    kh_lexicon *names;      /* proper names that stemming must keep whole */
    struct kh_pattern *boilerplate; /* scraper boilerplate lines (src/structure.c) */
    size_t boilerplate_count;
    struct kh_facts *facts; /* number and date words (src/numbers.c, src/facts.h) */
    struct kh_ner_model *ner; /* entity tagger (src/ner.h) */
    struct kh_entity_table *entity_table; /* well-known names for linking (src/entities.h) */
    struct kh_quote_words *quotes; /* reporting verbs and source phrases (src/quotes.h) */
    kh_lexicon *df;         /* stem -> documents of the reference corpus containing it (data/df.tsv) */
    uint64_t df_documents;  /* documents of the reference corpus */
    kh_lexicon *stopwords;  /* words never in a tag (data/stopwords.txt), hamza kept */
    kh_lexicon *modifiers;  /* words that may end a tag but never stand alone (same file) */
    kh_lexicon *titles;     /* titles and ranks a person is named with (same file) */
    kh_lexicon *polarity;   /* stem -> KH_POLARITY_* (data/polarity.txt, src/similar.c) */
};

/* The classes of data/polarity.txt: what a sentence says changes or denies. */
enum { KH_POLARITY_RISE = 1, KH_POLARITY_FALL = 2, KH_POLARITY_NEGATION = 3, KH_POLARITY_IDIOM = 4 };

khabar_status kh_boilerplate_load(khabar_model *m, khabar_error *err);
void kh_boilerplate_free(khabar_model *m);

/* ---- segmentation and stemming (src/segment.c, src/stem.c) ---- */
#define KH_MAX_PIECES 8
typedef struct kh_segmentation {
    /* Byte ranges in the normalised word: prefixes, stem, suffix. */
    unsigned n_prefix;
    unsigned prefix_end[4];      /* end offset of each proclitic */
    unsigned article;            /* 1 when ال (or the elided ل of لل) is among the prefixes' last */
    size_t stem_start, stem_end; /* the stem between proclitics and enclitic */
} kh_segmentation;

/* Segments a normalised word (alef fold off, so hamza is kept; see
 * kh_segment_normalize).  No allocation; a handful of table lookups. */
void kh_segment_word(const khabar_model *m, const char *w, size_t n,
                     kh_segmentation *seg);
/* Writes the '+'-joined pieces of a segmentation into b; the article is
 * written ال even where لل elides its alef.  -1 on no memory. */
int kh_segmentation_render(kh_buf *b, const char *w, size_t n,
                           const kh_segmentation *seg);
/* Appends the normal form kh_segment_word expects (every fold but alef). */
int kh_segment_normalize(kh_buf *b, const char *w, size_t n);
/* khabar_segment and khabar_stem: the text normalised as one, then each
 * white-space delimited word rendered (appended to out) on its own, the
 * results joined by one space; `name` is for the NULL-argument message. */
typedef int (*kh_word_renderer)(khabar_analyzer *an, kh_buf *out, const char *w, size_t n);
khabar_status kh_each_word(khabar_analyzer *an, const char *text, size_t len, const char *name,
                           kh_word_renderer render, char *out, size_t cap, size_t *out_len,
                           khabar_error *err);
/* Whether a '+'-joined segmentation (a token's `segments`) ends in an
 * enclitic pronoun: its last piece is one of ه ها هم هما هن ك كم كما كن نا
 * ني ي (أصدرت+ه، مقتل+ه).  0 for NULL. */
int kh_segments_end_in_pronoun(const char *segments);

/* The segmenter's parts, for tools/eval_segment (measuring and fitting):
 * each candidate reading of a word has a feature vector, and the reading
 * with the highest weighted sum wins (the whole word on ties). */
#define KH_SEG_FEATURE_LIST(X)                                                  \
    X(W_LOGC) X(W_ZERO) X(W_NAME)                                               \
    X(P_WA) X(P_FA) X(P_BI) X(P_KA) X(P_LI) X(P_SA)                             \
    X(E_HU) X(E_HA) X(E_HUM) X(E_HUMA) X(E_HUNNA) X(E_KA) X(E_KUM) X(E_KUMA)    \
    X(E_KUNNA) X(E_I) X(E_NI) X(E_NA)                                           \
    X(X_PRO) X(XREL_PRO) X(X_ENC) X(XREL_ENC) X(ONLY) X(ONLY_LOGC)              \
    X(S_LOGF) X(S_LOGC)                                                         \
    X(U_ART) X(U_WA) X(U_FA) X(U_BI) X(U_KA) X(U_LI) X(U_SA) X(U_ENC) X(U_VERB) \
    X(ALT_TM) X(ALT_AM) X(ALT_HZ) X(ALT_PL) X(ALT_ART)                          \
    X(SHORT_WA) X(SHORT_FA) X(SHORT_BI) X(SHORT_KA) X(SHORT_LI) X(SHORT_SA)     \
    X(SHORT_ENC)
enum {
#define KH_SF_ENUM(name) KH_SF_##name,
    KH_SEG_FEATURE_LIST(KH_SF_ENUM)
#undef KH_SF_ENUM
    KH_SEG_FEATURES
};
#define KH_SEG_MAX_CANDIDATES 32
typedef struct kh_seg_candidate {
    kh_segmentation seg; /* article not yet decided: see kh_segment_finish */
    float features[KH_SEG_FEATURES];
} kh_seg_candidate;
extern const char *const kh_seg_feature_names[KH_SEG_FEATURES];
extern const float kh_seg_weights[KH_SEG_FEATURES];
/* Fills out[0..cap) with the candidates of a normalised word, the whole
 * word first; returns how many. */
size_t kh_segment_candidates(const khabar_model *m, const char *w, size_t n,
                             kh_seg_candidate *out, size_t cap);
float kh_seg_score(const float *weights, const float *features);
/* Decides whether the chosen stem begins with an article to split off. */
void kh_segment_finish(const khabar_model *m, const char *w, size_t n, kh_segmentation *seg);

typedef struct kh_stemmer kh_stemmer;
kh_stemmer *kh_stemmer_new(void);
void kh_stemmer_free(kh_stemmer *s);
/* Stem of a normalised word, appended to b. */
int kh_stem_append(kh_stemmer *s, const khabar_model *m, kh_buf *b,
                   const char *w, size_t n);
/* The same for a word already segmented by kh_segment_word. */
int kh_stem_segmented(kh_stemmer *s, const khabar_model *m, kh_buf *b, const char *w, size_t n,
                      const kh_segmentation *seg);


/* ---- tokens (src/token.c) ---- */
/* Kind of a single token's text, as the tokenizer would classify it
 * (used by readers of pre-tokenized input such as CoNLL). */
khabar_token_kind kh_token_kind(const char *s, size_t n);

/* ---- word analysis with a per-analyzer cache (src/words.c) ---- */
/* What the stages need of a word form, worked out once per distinct form:
 * normal form (KHABAR_FOLD_ALL), segmentation ('+'-joined), stem, the
 * number/date word classes of its forms (kh_facts_classes) and its count in
 * the reference vocabulary.  The strings are copied into the caller's arena. */
typedef struct kh_word {
    const char *norm, *segments, *stem;
    uint64_t fact_classes;
    uint32_t vocab_count;
} kh_word;
typedef struct kh_word_cache kh_word_cache;
kh_word_cache *kh_word_cache_new(void);
void kh_word_cache_free(kh_word_cache *c);
/* For an Arabic word as written; `hash` is kh_hash(w, n). */
khabar_status kh_word_analysis(khabar_analyzer *an, kh_arena *arena, const char *w, size_t n,
                               uint64_t hash, kh_word *out);
/* Hints that kh_word_analysis of the word with this hash comes soon, so
 * that the memory it reads is fetched meanwhile: first its table slot,
 * then (a few words later, once the slot has arrived) its entry.  They
 * change nothing: skipping them gives the same results, only slower. */
void kh_word_prefetch_slot(const kh_word_cache *c, uint64_t hash);
void kh_word_prefetch_entry(const kh_word_cache *c, uint64_t hash);

/* ---- JSON-lines records (src/record.c) ---- */
typedef struct kh_record_buffers {
    kh_buf text, title, date, id, html, url;
} kh_record_buffers;
void kh_record_buffers_free(kh_record_buffers *b);

/* A record's fields, decoded.  Pointers are borrowed from the line or from
 * the buffers, valid until either changes; NULL when a field is absent (or,
 * for title and date, not a string).  The id is any JSON value, objects
 * and arrays written compact. */
typedef struct kh_record {
    const char *id;    /* the id as JSON text */
    size_t id_len;
    const char *text, *title, *date;
    size_t text_len, title_len, date_len;
    const char *html, *url; /* a page instead of a text: {"html", "url"?} */
    size_t html_len, url_len;
    int date_not_string; /* "date" is there, neither a string nor null */
} kh_record;

/* Reads {"id", "title"?, "text" | "html", "date"?, "url"?}: a strict fast scanner for
 * well-formed records, jansson for everything else and for every error.
 * Errors: KHABAR_ERROR_UTF8 (unless replace_invalid: U+FFFD), _JSON (offset
 * of the offending token), _RECORD (not an object, no string "text").  The
 * id is filled whenever it could be read, failures included. */
khabar_status kh_record_read(kh_record_buffers *b, const char *line, size_t len,
                             int replace_invalid, kh_record *rec, khabar_error *err);

/* ---- the tagger's per-analyzer tables (src/tags.c) ---- */
typedef struct kh_tag_scratch kh_tag_scratch;
void kh_tag_scratch_free(kh_tag_scratch *s);

/* ---- analyzer: per-thread scratch (src/analyze.c) ---- */
struct khabar_analyzer {
    const khabar_model *model;
    kh_stemmer *stemmer;
    kh_word_cache *words;
    struct kh_entity_scratch *entities; /* the entity stage's, the tagger's included */
    kh_buf scratch;   /* free for any single call to use; contents not kept */
    kh_buf scratch2;
    kh_buf record_error; /* khabar_record_error_json output */
    kh_record_buffers record; /* the last record's decoded fields */
    char *record_id;     /* JSON text of the last record's id, or NULL */
    char *record_source; /* the last record's khabar_options.source, copied, or NULL */
    kh_tag_scratch *tagging; /* made on first use */
    /* The tokenizer's index of the article's word forms (src/token.c): a
     * slot is a form's hash (high 32 bits) and its first token + 1 (low
     * 32), 0 when empty; a power of two slots, at most half full. */
    uint64_t *forms;
    size_t forms_cap, forms_used;
};

#endif
