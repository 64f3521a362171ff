/* Tags (the keywords an editor puts under الكلمات الدالة) and the summary
 * (internal).  Method: docs/tags.md. */
#ifndef KH_TAGS_H
#define KH_TAGS_H

#include "kh.h"

/* ---- the words of an article as the tagger sees them ---- */

typedef enum kh_word_class {
    KH_WORD_BREAK,    /* not a word: punctuation, numbers, symbols, URLs; ends a phrase */
    KH_WORD_STOP,     /* a function word, or too short to mean much: never in a tag */
    KH_WORD_MODIFIER, /* may end a phrase, never starts one nor stands alone (الثانية) */
    KH_WORD_CONTENT   /* may be a tag or part of one */
} kh_word_class;

typedef struct kh_tag_word {
    kh_word_class cls;
    unsigned char proclitic; /* a conjunction or preposition is attached (و ف ب ك ل س) */
    unsigned char article;   /* the article is attached (ال, or the ل of لل) */
    unsigned char enclitic;  /* a pronoun is attached */
    unsigned char verbal;    /* its form is a verb's: the future's س, or the plural ending وا */
    unsigned char title;     /* a title or rank a person is named with (وزير، الأمير، الفريق) */
    unsigned base;           /* the word without its clitics: token->segments[base, base + base_len) */
    unsigned base_len;
} kh_tag_word;

/* Classifies one token with the model's stopword list (data/stopwords.txt). */
void kh_tag_word_classify(const khabar_model *m, const khabar_token *t, kh_tag_word *w);

/* ---- document frequencies ---- */

/* A table of document frequencies: the number of documents of a corpus
 * that contain a stem (token->stem), and how many documents it has. */
typedef struct kh_df_table {
    const kh_lexicon *df;
    uint64_t documents;
} kh_df_table;

/* The public table (khabar_df_load) is one of these, its lexicon owned. */
struct khabar_df {
    kh_df_table table;
};

/* Inverse document frequency of a stem over the model's reference table
 * and, when `user` is not NULL, a table of the user's own corpus, pooled:
 * log((N + 1) / (df + 1)) with N and df summed over the tables. */
double kh_idf(const khabar_model *m, const kh_df_table *user, const char *stem, size_t len);

/* ---- tags ---- */

typedef struct kh_tag {
    const char *text;  /* canonical form, in the doc's arena */
    double score;      /* relative to the best tag's, which is 1 */
    long entity;       /* index into the doc's entities, or -1 for a phrase of the text */
} kh_tag;

/* A sentence that mentions a tag. */
typedef struct kh_tag_sentence {
    size_t tag, sentence;
} kh_tag_sentence;

/* The weights of the tag scoring (docs/tags.md); tools/keyphrase_eval
 * tunes them. */
typedef struct kh_tag_params {
    double title_weight;    /* extra count of an occurrence in the title */
    double heading_weight;  /* extra count of an occurrence in a heading */
    double lead_weight;     /* bonus of a first occurrence in the lead, fading with position */
    double length_weight[3]; /* factors of a phrase of two, three, four words */
    double name_weight;     /* factor of an entity's name of two words or more */
    double bare_weight;     /* factor of a single word never used with the article, not a known name */
    double entity_weight;   /* factor of an entity the tagger found */
    double verb_penalty;    /* factor of a phrase with a word that looks like a verb */
    double attached_weight; /* what an occurrence as an adjective of the word before counts */
    double truncated_weight; /* what an occurrence cut off before the word completing it counts */
    double expand_share;    /* a tag is shown in a longer form that has this share of its occurrences */
    double branch_share;    /* an entity whose name begins with another entity's (داعش خراسان after
                               داعش: a branch, a part) gains this share of that one's score */
    double min_relative;    /* tags scoring less than this fraction of the best are left out */
    unsigned min_phrase_tf; /* occurrences a phrase of two or more words needs */
    unsigned max_tags;
    unsigned min_tags;      /* kept whatever their score, when there are that many candidates */
    unsigned units_apart;   /* 1: the currency or measure of an amount (286 مليون دولار) is
                               part of the amount, never of a phrase */
    unsigned names_complete; /* 1: a phrase ending on a noun without the article that a name
                                right after completes (حركة نداء | تونس) counts as cut off */
    unsigned dates_apart;   /* 1: the words of a date (القرن التاسع عشر، بداية القرن) join no phrase */
    double fragment_weight;
    unsigned person_titles; /* 1: a person's titles and the words of their phrase next to the
                               name (صاحب السمو الملكي الأمير X ولي ولي العهد) join no phrase */
    double titled_weight;   /* what a mention of an institution inside a person's title
                               (لرئيس مجلس الوزراء) counts */
    unsigned accusatives_apart; /* 1: an indefinite accusative (شوقًا، تقديرًا) joins no phrase */
} kh_tag_params;

void kh_tag_params_init(kh_tag_params *p);

/* Finds the doc's tags, best first, into d->tags (kh_tag), and the
 * sentences that mention each into d->tag_sentences (kh_tag_sentence,
 * ordered by tag then sentence).  Reads the tokens and the entities.
 * `p` NULL means the defaults; `user` NULL means the reference corpus only. */
khabar_status kh_tags(khabar_analyzer *an, khabar_doc *d, const kh_tag_params *p,
                      const kh_df_table *user, khabar_error *err);

/* After kh_tags on a doc: per token, the term (a clitic-free word form)
 * of each content word and modifier, UINT32_MAX for the other tokens;
 * `n_terms` receives the number of terms.  Borrowed from the analyzer
 * until its next kh_tags. */
const uint32_t *kh_tag_token_terms(const khabar_analyzer *an, size_t *n_terms);

/* ---- summary ---- */

#define KH_SUMMARY_DEFAULT 3

/* Chooses up to `n` sentences (0 means KH_SUMMARY_DEFAULT) into
 * d->summary (size_t sentence indexes): the lead claim first, then the
 * sentences that best cover the tags not yet covered, never one that
 * repeats a chosen one; after the lead, in the article's order.  Reads the
 * tags and the words' terms, so runs after kh_tags with what
 * kh_tag_token_terms gives then. */
khabar_status kh_summary(khabar_doc *d, size_t n, const uint32_t *token_terms, size_t n_terms,
                         khabar_error *err);

#endif
