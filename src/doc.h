/* The analysed document as the stages build it (internal). */
#ifndef KH_DOC_H
#define KH_DOC_H

#include "kh.h"

/* A run of the cleaned text and where it came from in the input.  Copied
 * runs have clean_len == input_len and map byte for byte; a replacement
 * (U+FFFD for an invalid byte) maps as a whole. */
typedef struct kh_run {
    size_t clean, input, clean_len, input_len;
} kh_run;

struct khabar_doc {
    kh_arena arena;     /* strings: token norms, stems, segments, repair texts */
    size_t input_len;

    /* Cleaned text: title then every block, each followed by '\n'.  Spans'
     * text pointers point into it. */
    kh_buf text;
    kh_vec runs;        /* kh_run, ordered by clean offset */

    int has_title;
    int title_given;    /* the title came from the record, not the text: no input span */
    size_t title_skip;  /* white space trimmed from the front of a given title */
    khabar_span title;
    kh_vec blocks;      /* khabar_block */
    kh_vec sentences;   /* khabar_sentence */
    kh_vec tokens;      /* khabar_token */
    /* Parallel to tokens, what the tokenizer learnt of each for the later
     * stages (src/words.c): its number/date word classes and its count in
     * the reference vocabulary.  Empty after kh_analyses for an article of
     * many tokens (src/analyses.c), which needs the memory more. */
    kh_vec token_classes; /* uint64_t */
    kh_vec token_counts;  /* uint32_t */
    kh_vec repairs;     /* khabar_repair */
    kh_vec dates;       /* kh_date (src/facts.h) */
    kh_vec quantities;  /* kh_quantity */
    kh_vec duplicates;  /* kh_sentence_pair (src/dedup.h) */
    kh_vec mentions;    /* kh_mention (src/entities.h) */
    kh_vec entities;    /* kh_entity */
    kh_vec quotes;      /* kh_quote (src/quotes.h) */
    kh_vec tags;        /* kh_tag (src/tags.h), best first */
    kh_vec tag_sentences; /* kh_tag_sentence: which sentences mention which tag */
    kh_vec summary;     /* size_t sentence indexes, the lead claim first */
    /* The public views of entities and tags (khabar_entity, khabar_tag),
     * made once the analyses are done so the accessors only read. */
    kh_vec pub_entities;
    kh_vec pub_tags;
    kh_vec pub_mentions;   /* khabar_mention ... : the public views of the analyses */
    kh_vec pub_quantities;
    kh_vec pub_dates;
    kh_vec pub_quotes;
    kh_vec pub_duplicates;

    unsigned skip;      /* KHABAR_SKIP_*: analyses not run */
    char *id_json;      /* JSONL record id as JSON text, or NULL */
    char *date;         /* JSONL record date, or the page's date, or NULL */
    char *author;       /* the page's author (khabar_analyze_page), or NULL */
    char *url;          /* the page's canonical address, or NULL */
    char *source;       /* khabar_options.source, copied, or NULL */
    kh_buf json;        /* khabar_doc_json output */
};

#define KH_AT(vec, type, i) (((type *)(vec).data)[i])

/* Input offsets of a cleaned-text range [a, b). */
/* The input offset of a cleaned-text offset.  A title given apart from the
 * text (khabar_options.title) comes first in the cleaned text; offsets in it
 * map to offsets in that title. */
size_t kh_doc_input_start(const khabar_doc *d, size_t clean);
size_t kh_doc_input_end(const khabar_doc *d, size_t clean);

/* The first line break in text[i, len): returns where it starts (len when
 * none) and sets *brk to its length in bytes.  A line ends at LF, CR LF, a
 * lone CR, VT, NEL (U+0085), U+2028 or U+2029 and a form feed; *paragraph
 * is 1 for the last two (a new paragraph: a blank line would follow). */
size_t kh_line_break(const char *text, size_t i, size_t len, size_t *brk, size_t *paragraph);

/* Stages, in order.  Each returns KHABAR_OK or fills err. */
khabar_status kh_structure(khabar_analyzer *an, khabar_doc *d, const char *input,
                           size_t len, const khabar_options *opts, khabar_error *err);
khabar_status kh_sentences(khabar_doc *d, khabar_error *err);
khabar_status kh_tokens(khabar_analyzer *an, khabar_doc *d, khabar_error *err);
/* Named entities, numbers, dates, repeated sentences, quotes, tags and the
 * summary (src/analyses.c). */
khabar_status kh_analyses(khabar_analyzer *an, khabar_doc *d, const khabar_options *opts,
                          khabar_error *err);

#endif
