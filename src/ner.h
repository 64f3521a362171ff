/* Named-entity tagger: linear sequence models (averaged structured
 * perceptron, tools/ner_train.c) over hashed features of each token and its
 * neighbours, decoded by Viterbi under BIO constraints.  Two stages: the
 * first tags each sentence alone; the second sees the same features plus
 * how the first tagged the same words in nearby sentences of the document
 * (a name written in an easy context helps its other mentions).
 * docs/ner.md has the features, the training command and the accuracy.
 *
 * Typical use (one model per process, one scratch per thread):
 *
 *     kh_ner_model *m;                          // once; immutable afterwards
 *     kh_ner_model_new(&m, &err);
 *     kh_ner_scratch *s = kh_ner_scratch_new(); // per thread
 *     kh_ner_input in[n];                       // an article's tokens
 *     size_t starts[n_sentences];               // where each sentence starts
 *     uint8_t tags[n];
 *     if (kh_ner_tag_doc(m, in, n, starts, n_sentences, tags, s)) ...
 *     // tags[i] is a tag value: KH_NER_O, KH_NER_B(KH_NER_LOC), ...
 *
 * Time is linear in n; a call fails only for memory (or bad arguments). */
#ifndef KH_NER_H
#define KH_NER_H

#include <stddef.h>
#include <stdint.h>

#include "kh.h"

/* Entity types, in the order the model's tags use them. */
enum { KH_NER_PER, KH_NER_ORG, KH_NER_LOC, KH_NER_MISC, KH_NER_TYPES };

/* Tags: 0 is O; B-type is 1 + 2 * type, I-type is 2 + 2 * type. */
enum {
    KH_NER_O = 0,
    KH_NER_TAGS = 1 + 2 * KH_NER_TYPES
};
#define KH_NER_B(type) ((uint8_t)(1 + 2 * (type)))
#define KH_NER_I(type) ((uint8_t)(2 + 2 * (type)))
/* Type of a B or I tag; -1 for O. */
static inline int kh_ner_tag_type(unsigned tag) { return tag ? (int)(tag - 1) / 2 : -1; }
static inline int kh_ner_tag_is_begin(unsigned tag) { return tag && (tag - 1) % 2 == 0; }

/* "O", "B-PER", "I-PER", "B-ORG", ... ; "O" for out-of-range values. */
const char *kh_ner_tag_name(unsigned tag);
/* "PER", "ORG", "LOC", "MISC"; NULL for out-of-range values. */
const char *kh_ner_type_name(int type);
/* Tag for a name such as "B-LOC" or "I-PERS" (ANERcorp's spelling of PER
 * is accepted); -1 when the name is not a tag. */
int kh_ner_tag_parse(const char *name, size_t len);

/* One token of a sentence.  `text` is the token as written (UTF-8) and
 * `norm` its normalised form: kh_normalize_append(..., KHABAR_FOLD_ALL) of
 * the same bytes.  Neither needs a terminating NUL; both are only read
 * during the call. */
typedef struct kh_ner_input {
    const char *text;
    size_t len;
    const char *norm;
    size_t norm_len;
} kh_ner_input;

typedef struct kh_ner_model kh_ner_model;
typedef struct kh_ner_scratch kh_ner_scratch;

/* Loads the tagger from the data compiled into the library (blobs "ner",
 * "ner_clusters", "gazetteer", "ner_names").  KHABAR_ERROR_DATA when they are missing
 * or damaged.  The model is immutable: threads may share it. */
khabar_status kh_ner_model_new(kh_ner_model **out, khabar_error *err);

/* The data files a tagger's features read besides its weights; any may be
 * empty (NULL, 0), its features then constant. */
typedef struct kh_ner_resources {
    const char *clusters;  /* data/ner_clusters.tsv: word counts and classes */
    size_t clen;
    const char *gazetteer; /* data/gazetteer.tsv: place names */
    size_t glen;
    const void *names;     /* data/ner_names.bin: the name-likeness model */
    size_t nlen;
} kh_ner_resources;

/* Builds a tagger from data in memory.  `weights` may be NULL (wlen 0) for
 * a model with no weights that only extracts features, as the trainer
 * needs; `templates` then chooses the feature templates (KH_NER_FEAT_*
 * bits; 0 means all).  With weights, the set stored in them is used and
 * `templates` is ignored; the weights must have been trained with the same
 * resources. */
khabar_status kh_ner_model_from(const void *weights, size_t wlen, const kh_ner_resources *res,
                                unsigned templates, kh_ner_model **out, khabar_error *err);
void kh_ner_model_free(kh_ner_model *m);

/* Per-thread working memory, grown as sentences need; NULL on no memory. */
kh_ner_scratch *kh_ner_scratch_new(void);
void kh_ner_scratch_free(kh_ner_scratch *s);

/* Tags a document of n tokens in n_sentences sentences: sentence k is
 * tokens [starts[k], starts[k + 1]) (the last one ends at n); starts[0]
 * is 0 and starts never decrease (empty sentences are allowed).  Features
 * never cross a sentence boundary; the second stage looks at the tags of
 * the model's window of sentences on each side.  Writes n tags, each
 * sentence a valid BIO sequence (an I- tag only after B- or I- of its
 * type).  n may be 0.  Returns 0, or -1 when memory runs out or the
 * sentences are malformed (tags then unspecified). */
int kh_ner_tag_doc(const kh_ner_model *m, const kh_ner_input *tokens, size_t n,
                   const size_t *starts, size_t n_sentences, uint8_t *tags, kh_ner_scratch *s);

/* Tags n tokens as a one-sentence document: with no sentences around,
 * only the first stage runs (as for any one-sentence document). */
int kh_ner_tag(const kh_ner_model *m, const kh_ner_input *tokens, size_t n, uint8_t *tags,
               kh_ner_scratch *s);

/* ---- for the trainer (tools/ner_train.c) ---- */

/* Feature template groups; a model records which ones it was trained with. */
enum {
    KH_NER_FEAT_WORD     = 1u << 0, /* the word and its neighbours (+-2) */
    KH_NER_FEAT_BIGRAM   = 1u << 1, /* word pairs (-1,0) and (0,+1) */
    KH_NER_FEAT_STEM     = 1u << 2, /* the most frequent clitic-stripped form (+-1) */
    KH_NER_FEAT_AFFIX    = 1u << 3, /* first 1-4 letters of that form, last 1-4 of the word */
    KH_NER_FEAT_SHAPE    = 1u << 4, /* script, length, definiteness (+-1) */
    KH_NER_FEAT_CLUSTER  = 1u << 5, /* word classes at each granularity (+-1) */
    KH_NER_FEAT_GAZ      = 1u << 6, /* gazetteer phrase matches (+-1) */
    KH_NER_FEAT_AFFIXCTX = 1u << 7, /* the neighbours' last two letters */
    KH_NER_FEAT_CLITIC   = 1u << 8, /* the proclitics removed (و ب ال ...) */
    KH_NER_FEAT_DOC      = 1u << 9, /* the first stage's tags, here and nearby (second stage) */
    KH_NER_FEAT_NAME     = 1u << 10, /* how name-like the word looks (+-1) */
    KH_NER_FEAT_BASE     = ((1u << 9) - 1) | KH_NER_FEAT_NAME,
    KH_NER_FEAT_ALL      = (1u << 11) - 1
};

/* Computes the feature keys (64-bit hashes of template and value) of
 * every token of a document (sentences as kh_ner_tag_doc) for the template
 * set `templates` (0: the model's): token i's are (*keys)[(*offsets)[i] ..
 * (*offsets)[i + 1]), and when `tmpl` is not NULL, (*tmpl)[k] is key k's
 * template id.  With KH_NER_FEAT_DOC, `first` gives the first stage's n
 * tags and `window` the sentences each side to look at.  The arrays live
 * in the scratch until its next use.  Returns 0, or -1 when memory runs
 * out or the arguments are malformed. */
int kh_ner_features(const kh_ner_model *m, unsigned templates, const kh_ner_input *tokens,
                    size_t n, const size_t *starts, size_t n_sentences, const uint8_t *first,
                    unsigned window, kh_ner_scratch *s, const uint64_t **keys,
                    const uint8_t **tmpl, const uint32_t **offsets);
/* Whether a template id names the token itself (its word, stem, or a word
 * pair with it): the trainer hides these at times to mimic unseen words. */
int kh_ner_template_is_lexical(unsigned tmpl);

/* Feature templates a model uses. */
unsigned kh_ner_model_templates(const kh_ner_model *m);

/* One stage's trained weights: `weights` holds n_features rows of
 * KH_NER_TAGS floats, one row per key; `transitions` (KH_NER_TAGS + 1) rows
 * of KH_NER_TAGS (the last row scores the first tag of a sentence). */
typedef struct kh_ner_stage_weights {
    unsigned templates;
    size_t n_features;
    const uint64_t *keys;
    const float *weights;
    const float *transitions;
} kh_ner_stage_weights;

/* Appends the binary weights file kh_ner_model_from reads: one or two
 * stages (the first must not use KH_NER_FEAT_DOC), the second stage's
 * window, and the resources hash.  Rows that quantise to all zeros are
 * dropped; the rest are stored as 16-bit integers.  Returns 0, or -1 on no
 * memory or bad arguments. */
int kh_ner_weights_write(kh_buf *out, const kh_ner_stage_weights *stages, unsigned n_stages,
                         unsigned window, uint64_t resources);

/* Identifies the clusters and gazetteer texts a model's features came
 * from; weights record it, and loading them with other texts fails. */
uint64_t kh_ner_resources_hash(const kh_ner_resources *res);

/* ---- name-likeness (data/ner_names.bin, built by tools/build_namelike.c) ----
 * A multinomial logistic model of how a single word looks: an ordinary
 * word, or part of a person's, an organisation's or a place's name, from
 * hashed letter n-grams of the word framed by start and end marks.  File
 * (little-endian): magic "KHNAME01", u32 bits, u32 longest n-gram, f32
 * scale, f32 bias[KH_NER_NAME_CLASSES], then i16 weights[2^bits *
 * KH_NER_NAME_CLASSES]; a class's score is bias + sum(weights) / scale. */
enum { KH_NER_NAME_CLASSES = 4 }; /* ordinary, PER, ORG, LOC */
#define KH_NER_NAME_MAGIC "KHNAME01"
#define KH_NER_NAME_MAX_LETTERS 30 /* letters past this are ignored */
/* Writes the n-gram buckets (each < 2^bits) of the normalised word w, n-grams
 * of 1 .. nmax letters; returns how many (at most
 * (KH_NER_NAME_MAX_LETTERS + 2) * nmax). */
size_t kh_ner_name_ngrams(const char *w, size_t n, unsigned nmax, unsigned bits, uint32_t *out);
/* The model's class probabilities for the normalised word w; -1 (p
 * untouched) when the tagger has no name model. */
int kh_ner_name_probs(const kh_ner_model *m, const char *w, size_t n, float p[KH_NER_NAME_CLASSES]);

/* Whether `prev` may be followed by `next` (KH_NER_TAGS as prev: the
 * sentence start). */
static inline int kh_ner_transition_ok(unsigned prev, unsigned next)
{
    if (next == 0 || kh_ner_tag_is_begin(next)) return 1;
    return prev != KH_NER_TAGS && prev != 0 && kh_ner_tag_type(prev) == kh_ner_tag_type(next);
}

#endif
