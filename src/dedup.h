/* Near-duplicate detection (internal).
 *
 * Across a corpus (src/dedup.c): MinHash signatures over hashed word
 * shingles, LSH banding for candidate pairs, candidates kept when their
 * estimated Jaccard similarity reaches a threshold, union-find clusters.
 * Only signatures are kept, never texts, so memory grows with the number of
 * documents times the signature length.
 *
 * Within an article (src/similar.c): pairs of sentences that say the same
 * thing in other words. */
#ifndef KH_DEDUP_H
#define KH_DEDUP_H

#include "kh.h"

/* ---- across a corpus ---- */

typedef struct kh_dedup_params {
    unsigned shingle;  /* words per shingle */
    unsigned perms;    /* signature positions (MinHash bins) */
    unsigned bands;    /* LSH bands; 0 chooses them for the threshold */
    unsigned rows;     /* signature values per band; 0 is perms / bands */
    double threshold;  /* least estimated Jaccard similarity that joins two documents */
} kh_dedup_params;

#define KH_DEDUP_MAX_SHINGLE 32u
#define KH_DEDUP_MAX_PERMS 1024u

/* Defaults: 5-word shingles, 256 positions, threshold 0.8, bands chosen. */
void kh_dedup_params_init(kh_dedup_params *p);

/* Checks the ranges and fills in bands and rows when they are 0: the most
 * rows r (with bands = perms / r) for which a pair at the threshold shares
 * a band with probability at least 0.99. */
khabar_status kh_dedup_params_resolve(kh_dedup_params *p, khabar_error *err);

/* Probability that two documents of Jaccard similarity s share a band. */
double kh_dedup_candidate_probability(unsigned bands, unsigned rows, double s);

/* The words of valid UTF-8 text as the dedup sees them, one 64-bit hash a
 * word appended to `words` (uint64_t items): normalised (KHABAR_FOLD_ALL),
 * runs of letters, marks and digits, ASCII lower-cased, a final teh
 * marbuta read as heh.  `scratch` is working space.  -1 on no memory. */
int kh_dedup_words(kh_buf *scratch, kh_vec *words, const char *text, size_t len);

/* One position of a signature: 16 bits of a hash of the position's
 * minimum and its number (see kh_minhash in src/dedup.c). */
typedef uint16_t kh_minhash_value;

/* One-permutation MinHash signature with densification (p->perms values)
 * of the shingles of `n` word hashes;
 * a text shorter than one shingle is one shingle of all its words.
 * Returns the number of shingles, 0 when n is 0 (sig is then all ones). */
size_t kh_minhash(const kh_dedup_params *p, const uint64_t *words, size_t n, kh_minhash_value *sig);

/* The LSH key of band `band` of a signature: what puts two documents in
 * one bucket (the corpus clustering and the archive use it alike). */
uint64_t kh_dedup_band_key(const kh_dedup_params *p, const kh_minhash_value *sig, unsigned band);

/* The signature of a text (kh_dedup_words, then kh_minhash); `scratch`
 * and `words` are working space.  KHABAR_ERROR_UTF8, KHABAR_ERROR_EMPTY
 * when it has no words, KHABAR_ERROR_MEMORY. */
khabar_status kh_dedup_text_signature(const kh_dedup_params *p, kh_buf *scratch, kh_vec *words,
                                      const char *text, size_t len, kh_minhash_value *sig,
                                      khabar_error *err);

/* Fraction of equal positions: the estimate of Jaccard similarity. */
double kh_minhash_similarity(const kh_minhash_value *a, const kh_minhash_value *b, unsigned perms);

/* The "id" and "text" of one JSON-lines record, read without building a
 * JSON tree (the dedup reads a whole corpus; a tree per line would cost
 * more than the signatures).  The line must be one complete JSON object;
 * other members are checked for syntax and skipped; a repeated member
 * counts once, the last time. */
typedef struct kh_dedup_record {
    const char *id;     /* the id as JSON text (kh_record) */
    size_t id_len;
    const char *text;   /* the text unescaped, in the buffers */
    size_t text_len;
} kh_dedup_record;

/* Reads a record with kh_record_read (src/kh.h), the reader of
 * khabar_analyze_record: the same errors, plus KHABAR_ERROR_RECORD when the
 * id is absent (any JSON value is an id, as in analyze). */
khabar_status kh_dedup_parse_record(const char *line, size_t len, kh_record_buffers *bufs,
                                    kh_dedup_record *rec, khabar_error *err);

typedef struct kh_dedup kh_dedup;

typedef struct kh_dedup_cluster {
    const uint32_t *members; /* document numbers, ascending */
    size_t count;            /* at least 2 */
    double similarity;       /* mean estimated similarity of its pairs (of a
                                spread sample of 64 members in larger clusters) */
    double min_similarity;   /* least estimated similarity among those pairs */
} kh_dedup_cluster;

typedef struct kh_dedup_stats {
    size_t documents;   /* signatures held */
    size_t compared;    /* candidate pairs whose signatures were compared */
    size_t joined;      /* compared pairs at or above the threshold */
} kh_dedup_stats;

/* `p` is resolved (kh_dedup_params_resolve) and copied. */
khabar_status kh_dedup_new(const kh_dedup_params *p, kh_dedup **out, khabar_error *err);
void kh_dedup_free(kh_dedup *d);

/* Adds one document: its signature and a copy of `key` (the caller's name
 * for it, e.g. the record's id as JSON).  Documents are numbered from 0 in
 * the order added.  KHABAR_ERROR_EMPTY when the text has no words (nothing
 * is added); KHABAR_ERROR_UTF8 when it is not valid UTF-8. */
khabar_status kh_dedup_add(kh_dedup *d, const char *key, size_t key_len,
                           const char *text, size_t len, khabar_error *err);

/* Adds a document whose word hashes (kh_dedup_words) are already known. */
khabar_status kh_dedup_add_words(kh_dedup *d, const char *key, size_t key_len,
                                 const uint64_t *words, size_t n, khabar_error *err);

size_t kh_dedup_count(const kh_dedup *d);
const char *kh_dedup_key(const kh_dedup *d, size_t doc, size_t *len);
const kh_minhash_value *kh_dedup_signature(const kh_dedup *d, size_t doc);

/* Finds the clusters of two or more among the documents added so far,
 * ordered by their first member.  May be called again after more adds. */
khabar_status kh_dedup_cluster_all(kh_dedup *d, khabar_error *err);
size_t kh_dedup_cluster_count(const kh_dedup *d);
const kh_dedup_cluster *kh_dedup_cluster_at(const kh_dedup *d, size_t i);
/* Cluster number of a document, or SIZE_MAX when it has no near-duplicate. */
size_t kh_dedup_cluster_of(const kh_dedup *d, size_t doc);
const kh_dedup_stats *kh_dedup_get_stats(const kh_dedup *d);

/* ---- within an article ---- */

typedef struct kh_sentence_pair {
    size_t a, b;        /* sentence indexes, a < b */
    double similarity;  /* 0..1 */
} kh_sentence_pair;

/* Default least similarity of a reported pair. */
#define KH_SENTENCE_DUPLICATE_THRESHOLD 0.5

/* Pairs of sentences of `doc` that say the same thing, possibly in other
 * words, with similarity >= threshold (pass 0 for the default), appended
 * to `pairs` (kh_sentence_pair items) ordered by a then b.  `model` gives
 * word frequencies from a reference corpus when it has them.  Read-only on
 * the doc; thread-safe for distinct `pairs`. */
khabar_status kh_sentence_duplicates(const khabar_model *model, const khabar_doc *doc,
                                     double threshold, kh_vec *pairs, khabar_error *err);

#endif
