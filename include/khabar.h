/*
 * khabar.h — public API of libkhabar, an engine that turns raw Arabic news
 * articles into clean, structured JSON.
 *
 * Conventions
 * - Text goes in as a pointer and a byte length; it need not be
 *   NUL-terminated and may contain NUL bytes.
 * - Every position the library reports is a byte offset into the caller's
 *   input, as given (for a JSON-lines record: into the record's "text" string
 *   after JSON unescaping).
 * - Functions that can fail return a khabar_status and, when the caller
 *   passes a non-NULL khabar_error, fill it with a code, a message and the
 *   byte offset the error refers to.  Passing NULL for the error is allowed.
 * - Objects come in _new/_free pairs; every _free accepts NULL.
 * - Pointers returned by accessors are borrowed: they stay valid until the
 *   object they came from is freed, and must not be freed by the caller.
 * - The library never calls abort() or exit() and never writes to stdout or
 *   stderr.
 *
 * Threads
 * - A khabar_model is immutable once made: any number of threads may share
 *   one and use it at the same time.
 * - A khabar_analyzer holds scratch memory and caches: use one per thread.
 * - A khabar_doc is read-only once made: any thread may read it, and
 *   several threads may read one doc at the same time.
 * - Functions without an object argument are thread-safe.
 */
#ifndef KHABAR_H
#define KHABAR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KHABAR_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum khabar_status {
    KHABAR_OK = 0,
    KHABAR_ERROR_ARGUMENT,  /* a required argument was NULL or out of range */
    KHABAR_ERROR_MEMORY,    /* an allocation failed */
    KHABAR_ERROR_UTF8,      /* the input is not valid UTF-8 */
    KHABAR_ERROR_EMPTY,     /* the input holds no text to analyse */
    KHABAR_ERROR_TOO_LARGE, /* the input exceeds the configured maximum size */
    KHABAR_ERROR_JSON,      /* a JSON record could not be parsed */
    KHABAR_ERROR_RECORD,    /* a JSON record is valid JSON but lacks a usable "text" */
    KHABAR_ERROR_SPACE,     /* a caller-supplied buffer is too small */
    KHABAR_ERROR_DATA,      /* built-in model data is damaged (a build problem) */
    KHABAR_ERROR_ENCODING,  /* the bytes are in no encoding that can be told, or do not fit the one named */
    KHABAR_ERROR_IO,        /* a file or database could not be opened, read or written */
    KHABAR_ERROR_FORMAT,    /* a file is not what it should be (not a khabar archive, a newer schema) */
    KHABAR_ERROR_QUERY      /* a search query cannot be read */
} khabar_status;

typedef struct khabar_error {
    khabar_status code;
    size_t offset;      /* byte offset the error refers to, 0 when none */
    char message[192];  /* NUL-terminated English sentence */
} khabar_error;

/* A short stable name for a status, e.g. "invalid_utf8".  Never NULL.
 * Thread-safe. */
const char *khabar_status_name(khabar_status status);

/* The library version, KHABAR_VERSION at build time.  Thread-safe. */
const char *khabar_version(void);

/* ------------------------------------------------------------------ */
/* Encodings                                                           */
/* ------------------------------------------------------------------ */

/* Converts `len` bytes at `data` to UTF-8.  `encoding` is an iconv name the
 * caller knows the bytes are in (e.g. "windows-1256"), or NULL to decide:
 * a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides; else valid UTF-8 is
 * UTF-8; else the encoding is detected (Windows-1256, ISO-8859-6, UTF-16
 * without a mark, and Latin encodings such as Windows-1252, by uchardet and
 * a check of how plausible each reading is as Arabic).  A byte-order mark is
 * removed.  On success `*out` is a malloc'd NUL-terminated UTF-8 buffer of
 * `*out_len` bytes, released with khabar_free, and `*used` (may be NULL)
 * points to a static lower-case name of the encoding read ("utf-8",
 * "utf-16le", "windows-1256", ...).
 * Errors: KHABAR_ERROR_ENCODING, with a message naming the likely encodings
 * and the --encoding option, when the encoding cannot be told or the bytes
 * do not fit the named encoding (offset: the first byte that does not fit,
 * when known); KHABAR_ERROR_UTF8 (offset of the first bad byte) when no
 * encoding is named and the bytes are mostly UTF-8 with some invalid
 * sequences (damaged UTF-8, not another encoding), or are undecided and
 * only stray bytes above 0x7F in ASCII; KHABAR_ERROR_ARGUMENT for
 * an encoding iconv does not know or a NULL argument (`data` may be NULL
 * when len is 0; `out`, `out_len` must not be NULL; `err` may be NULL).
 * Thread-safe. */
khabar_status khabar_decode(const char *data, size_t len, const char *encoding, char **out,
                            size_t *out_len, const char **used, khabar_error *err);

/* The offset of the first byte of `text` that is not valid UTF-8 (an
 * overlong form, a surrogate, a code point past U+10FFFF, a truncated
 * sequence), or `len` when all of it is valid.  `text` may be NULL only when
 * len is 0.  Thread-safe. */
size_t khabar_utf8_check(const char *text, size_t len);

/* Releases memory the library handed over (khabar_decode's output); NULL is
 * a no-op.  Thread-safe. */
void khabar_free(void *ptr);

/* ------------------------------------------------------------------ */
/* Normalisation                                                       */
/* ------------------------------------------------------------------ */

/* Folds applied by khabar_normalize; combine with |. */
enum {
    KHABAR_FOLD_NFKC       = 1u << 0, /* presentation forms (ﻻ ﷲ ﺏ) to plain letters */
    KHABAR_FOLD_DIACRITICS = 1u << 1, /* remove harakat, shadda, sukun, dagger alef */
    KHABAR_FOLD_TATWEEL    = 1u << 2, /* remove tatweel (ـ) */
    KHABAR_FOLD_ALEF       = 1u << 3, /* أ إ آ ٱ to ا */
    KHABAR_FOLD_YEH        = 1u << 4, /* ى to ي */
    KHABAR_FOLD_DIGITS     = 1u << 5, /* Arabic-Indic and Persian digits, ٬ ٫ to ASCII */
    KHABAR_FOLD_ALL        = 0x3fu,
    /* not in KHABAR_FOLD_ALL: ئ to ي and ؤ to و, as names are often written
     * without the hamza (قايد for قائد); entity linking compares names so */
    KHABAR_FOLD_HAMZA_SEAT = 1u << 6
};

/* Normalises `len` bytes of UTF-8 at `text` into `out` (capacity `cap`
 * bytes; no NUL is written).  `*out_len` receives the length the result
 * needs: when it exceeds `cap`, nothing useful is in `out` and the call
 * returns KHABAR_ERROR_SPACE, so a caller may call once with cap 0 to size
 * the buffer.  The result is never longer than 18 times the input (NFKC of
 * U+FDFA), so cap = 18 * len always suffices.
 * `text` may be NULL only when len is 0; `out` may be NULL when cap is 0;
 * `out_len` must not be NULL; `err` may be NULL.
 * Invalid UTF-8 gives KHABAR_ERROR_UTF8 with the offset of the bad byte.
 * Thread-safe. */
khabar_status khabar_normalize(const char *text, size_t len, unsigned folds,
                               char *out, size_t cap, size_t *out_len,
                               khabar_error *err);

/* ------------------------------------------------------------------ */
/* Model: built-in lexicons, loaded once                               */
/* ------------------------------------------------------------------ */

typedef struct khabar_model khabar_model;

/* Loads the lexicons and models compiled into the library.  On success
 * `*out` owns a model to release with khabar_model_free.  `out` must not be
 * NULL; `err` may be NULL.  Thread-safe. */
khabar_status khabar_model_new(khabar_model **out, khabar_error *err);

/* Releases a model; NULL is a no-op.  No analyzer made from it may be used
 * afterwards. */
void khabar_model_free(khabar_model *model);

/* ------------------------------------------------------------------ */
/* Analyzer: per-thread scratch space                                  */
/* ------------------------------------------------------------------ */

typedef struct khabar_analyzer khabar_analyzer;

/* Makes an analyzer that borrows `model` (which must outlive it).  `model`
 * and `out` must not be NULL; `err` may be NULL.  Thread-safe. */
khabar_status khabar_analyzer_new(const khabar_model *model,
                                  khabar_analyzer **out, khabar_error *err);

/* Releases an analyzer; NULL is a no-op.  Docs it made stay valid. */
void khabar_analyzer_free(khabar_analyzer *analyzer);

/* Clitic segmentation of one word.  Writes the pieces, joined by '+', into
 * `out` (capacity `cap`, no NUL written), e.g. والكتابه → و+ال+كتاب+ه, and
 * sets `*out_len` to the length needed (KHABAR_ERROR_SPACE when it exceeds
 * `cap`; cap = 18 * len + 16 always suffices: normalisation can expand
 * a presentation form, up to 18 times for U+FDFA).  The word is normalised first
 * (KHABAR_FOLD_ALL except the alef fold, so the pieces keep hamza).
 * Text with white space is segmented word by word, the results joined by
 * one space (وبالكتاب وبكتابه → و+ب+ال+كتاب و+ب+كتاب+ه).  `analyzer`, `out_len`
 * must not be NULL; `word` may be NULL only when len is 0.  Not thread-safe
 * per analyzer. */
khabar_status khabar_segment(khabar_analyzer *analyzer, const char *word,
                             size_t len, char *out, size_t cap,
                             size_t *out_len, khabar_error *err);

/* Stem of one word: clitics stripped, then Snowball's Arabic stemmer;
 * known proper names are returned normalised but otherwise whole.  Text
 * with white space is stemmed word by word, the stems joined by a space.  Output
 * conventions as khabar_segment (cap = 18 * len + 16 always suffices).  Not
 * thread-safe per analyzer. */
khabar_status khabar_stem(khabar_analyzer *analyzer, const char *word,
                          size_t len, char *out, size_t cap, size_t *out_len,
                          khabar_error *err);

/* ------------------------------------------------------------------ */
/* Analysis                                                            */
/* ------------------------------------------------------------------ */

enum {
    KHABAR_OPTION_REPLACE_INVALID = 1u << 0, /* U+FFFD for invalid UTF-8, reported as a repair */
    KHABAR_OPTION_NO_TITLE        = 1u << 1  /* the text has no title line (a title is given separately) */
};

typedef struct khabar_options {
    unsigned flags;       /* KHABAR_OPTION_* */
    size_t max_bytes;     /* largest input accepted; 0 means the default, 256 MiB */
    const char *title;    /* optional title given apart from the text (JSONL "title"); borrowed */
    size_t title_len;
    const char *date;     /* the article's date, "YYYY-MM-DD" (NUL-terminated, borrowed) or NULL:
                             relative dates resolve against it; a JSONL "date" overrides it */
    unsigned skip;        /* KHABAR_SKIP_* bits: analyses not to run (their fields are left out
                             of the JSON); 0 runs them all */
    size_t summary_sentences; /* sentences in the doc's "summary" (docs/json.md): 0 means the
                                 default, 3; at most 64.  Zeroed by code written before it, it
                                 gives the default */
    const char *source_encoding; /* the encoding the text was converted from (khabar_decode's
                                    `used`), NUL-terminated, borrowed, or NULL: when it names one
                                    other than UTF-8, the doc's first repair is
                                    {"kind": "encoding", "text": NAME} spanning the whole input */
    const char *source;   /* the input's name (a file name), NUL-terminated, borrowed, or NULL:
                             written first in the doc's JSON, and in error records, as "file" */
    const struct khabar_df *df; /* document frequencies of the user's own corpus (khabar_df_load,
                                   khabar_archive_df), borrowed, or NULL: the tags' word rarity
                                   pools them with the built-in reference corpus's */
} khabar_options;

/* ------------------------------------------------------------------ */
/* Document frequencies of the user's corpus, for the tags             */
/* ------------------------------------------------------------------ */

/* How many documents of a corpus contain each word stem (khabar_stem's
 * output, as the archive's index holds it).  The tags rank a word by its
 * rarity over the built-in reference corpus and this table pooled: with
 * N documents and d of them holding the stem in each, log((N + 1) / (d + 1))
 * over the summed counts (docs/tags.md), so that a word common in the
 * user's news (a finance outlet's دولار) says less of any one article.
 * Read-only once made: any number of threads and analyzers may use one. */
typedef struct khabar_df khabar_df;

/* Makes a table of a corpus of `documents` documents from `tsv`, lines
 * "STEM<TAB>COUNT" (the format of data/df.tsv; a line starting with '#'
 * is a comment).  Stems are normalised as khabar_stem's output is; a
 * count above `documents` is read as `documents`, a line without a count
 * as 1.  `tsv` may be NULL when len is 0 (an empty corpus); `out` must not
 * be NULL; `err` may be NULL.  Errors: KHABAR_ERROR_ARGUMENT,
 * KHABAR_ERROR_UTF8 (with the offset of the first bad byte),
 * KHABAR_ERROR_MEMORY.  Thread-safe. */
khabar_status khabar_df_load(const char *tsv, size_t len, uint64_t documents, khabar_df **out,
                             khabar_error *err);

/* Documents of the corpus, and how many of them hold `stem` (0 when
 * absent or `df` is NULL).  Thread-safe. */
uint64_t khabar_df_documents(const khabar_df *df);
uint64_t khabar_df_count(const khabar_df *df, const char *stem, size_t len);

/* NULL is a no-op.  No analysis may be using it. */
void khabar_df_free(khabar_df *df);

/* 1 when text[0, len) is a calendar date YYYY-MM-DD (years 0001 to 9999):
 * 2020-02-29 is one, 2020-13-45, 2021-02-29 and 01/03/2020 are not.
 * khabar_options.date and a record's "date" must be one (a record's may
 * go on with a time, "T..." or " ...", which is not read).  Thread-safe. */
int khabar_date_valid(const char *text, size_t len);

/* Analyses that khabar_options.skip can leave out.  Structure, sentences
 * and tokens always run; the rest read them. */
enum {
    KHABAR_SKIP_FACTS      = 1u << 0, /* "quantities" and "dates" */
    KHABAR_SKIP_DUPLICATES = 1u << 1, /* "duplicates": sentences that repeat each other */
    KHABAR_SKIP_ENTITIES   = 1u << 2, /* "mentions" and "entities" */
    KHABAR_SKIP_QUOTES     = 1u << 3, /* "quotes" */
    KHABAR_SKIP_TAGS       = 1u << 4, /* "tags" */
    KHABAR_SKIP_SUMMARY    = 1u << 5, /* "summary" */
    KHABAR_SKIP_ANALYSES   = (1u << 6) - 1 /* all of them: the article's structure alone */
};

typedef struct khabar_doc khabar_doc;

/* Analyses one article of `len` bytes at `text`.  On success `*out` owns a
 * doc to release with khabar_doc_free; the doc copies what it needs, so
 * `text` may be freed afterwards.  `opts` may be NULL for defaults.
 * Errors: KHABAR_ERROR_UTF8 (offset of the first bad byte) unless
 * KHABAR_OPTION_REPLACE_INVALID; KHABAR_ERROR_EMPTY when there is no text
 * once whitespace and boilerplate are gone; KHABAR_ERROR_TOO_LARGE.
 * Not thread-safe per analyzer. */
khabar_status khabar_analyze(khabar_analyzer *analyzer, const char *text,
                             size_t len, const khabar_options *opts,
                             khabar_doc **out, khabar_error *err);

/* Parses one JSON-lines record {"id", "title"?, "text", "date"?} and
 * analyses its text.  On success as khabar_analyze; the doc carries the
 * record's id (any JSON value, objects and arrays written compact, members
 * in their order) and date into its JSON.  A "date" that is not null must
 * be a string that khabar_date_valid accepts (else KHABAR_ERROR_RECORD).
 * With KHABAR_OPTION_REPLACE_INVALID, invalid UTF-8 in the record's text is
 * repaired by the analysis and reported as repairs (offsets in the decoded
 * text); elsewhere in the record it is replaced silently.  On failure, when the record's id
 * could be read, `*out` is still NULL but khabar_record_error_json (below)
 * can render the error with the id.  Not thread-safe per analyzer. */
khabar_status khabar_analyze_record(khabar_analyzer *analyzer,
                                    const char *line, size_t len,
                                    const khabar_options *opts,
                                    khabar_doc **out, khabar_error *err);

/* Renders the error record of the last failed khabar_analyze_record call on
 * this analyzer: {"file": ..., "id": ..., "line": line_number, "error":
 * {...}}, with "id" present only when it was read and "file" only when the
 * call's options named a source.  The string is borrowed from the
 * analyzer until its next call.  Not thread-safe per analyzer. */
const char *khabar_record_error_json(khabar_analyzer *analyzer,
                                     const khabar_error *err,
                                     size_t line_number, size_t *len);

/* Renders an error that concerns a whole input rather than a record (a
 * file that cannot be read, an article that fails): {"file": source,
 * "error": {"code", "message", "offset"}}, "file" present when `source` is
 * not NULL.  The string is borrowed from the analyzer until its next call;
 * NULL when memory runs out.  Not thread-safe per analyzer. */
const char *khabar_error_json(khabar_analyzer *analyzer, const khabar_error *err,
                              const char *source, size_t *len);

/* Releases a doc; NULL is a no-op. */
void khabar_doc_free(khabar_doc *doc);

typedef enum khabar_block_kind {
    KHABAR_BLOCK_HEADING,
    KHABAR_BLOCK_PARAGRAPH,
    KHABAR_BLOCK_QUOTE,     /* a block quotation of a page (khabar_extract only) */
    KHABAR_BLOCK_LIST_ITEM  /* an item of a list on a page (khabar_extract only) */
} khabar_block_kind;

typedef enum khabar_token_kind {
    KHABAR_TOKEN_ARABIC,   /* an Arabic word */
    KHABAR_TOKEN_LATIN,    /* a word in Latin (or other non-Arabic) letters */
    KHABAR_TOKEN_NUMBER,   /* digits in any script, with separators: 10.000 ٣٫٥ */
    KHABAR_TOKEN_PUNCT,
    KHABAR_TOKEN_SYMBOL,   /* % $ + and other symbols */
    KHABAR_TOKEN_URL,
    KHABAR_TOKEN_EMAIL,
    KHABAR_TOKEN_HASHTAG,
    KHABAR_TOKEN_MENTION
} khabar_token_kind;

typedef enum khabar_repair_kind {
    KHABAR_REPAIR_JOINED_WORD,     /* a word broken across two lines, joined */
    KHABAR_REPAIR_BOILERPLATE,     /* scraper boilerplate removed */
    KHABAR_REPAIR_INVALID_UTF8,    /* invalid bytes replaced by U+FFFD */
    KHABAR_REPAIR_CONTROL,         /* NUL and other control characters removed */
    KHABAR_REPAIR_ENCODING         /* the input was converted to UTF-8 from another encoding
                                      (khabar_options.source_encoding): text is the encoding's
                                      name, the span the whole input */
} khabar_repair_kind;

/* A piece of text with its span in the input.  `text` is the cleaned text
 * (repairs applied), borrowed from the doc, not NUL-terminated.  The title
 * and its tokens, when the title was given apart from the text
 * (khabar_options.title), have their span in that title instead. */
typedef struct khabar_span {
    const char *text;
    size_t text_len;
    size_t start;   /* byte offset in the input */
    size_t end;     /* one past the last byte */
} khabar_span;

typedef struct khabar_block {
    khabar_block_kind kind;
    khabar_span span;
    size_t first_sentence; /* sentences [first_sentence, first_sentence + sentence_count) */
    size_t sentence_count; /* 0 for headings */
} khabar_block;

typedef struct khabar_sentence {
    khabar_span span;
    size_t block;
    size_t first_token;
    size_t token_count;
} khabar_sentence;

typedef struct khabar_token {
    khabar_token_kind kind;
    khabar_span span;      /* the token as cleaned */
    const char *norm;      /* normalised form (KHABAR_FOLD_ALL), NUL-terminated */
    const char *stem;      /* stem (khabar_stem), NUL-terminated */
    const char *segments;  /* clitic segmentation joined by '+', NUL-terminated */
    long block;            /* block index, -1 for the title */
    long sentence;         /* sentence index, -1 in the title and headings */
} khabar_token;

typedef struct khabar_repair {
    khabar_repair_kind kind;
    khabar_span span;      /* text: what was there, or the joined word */
} khabar_repair;

/* Accessors.  Indexes out of range give NULL; `doc` must not be NULL.
 * Thread-safe for concurrent readers. */
const khabar_span *khabar_doc_title(const khabar_doc *doc); /* NULL when the article has none */
size_t khabar_doc_block_count(const khabar_doc *doc);
const khabar_block *khabar_doc_block(const khabar_doc *doc, size_t i);
size_t khabar_doc_sentence_count(const khabar_doc *doc);
const khabar_sentence *khabar_doc_sentence(const khabar_doc *doc, size_t i);
size_t khabar_doc_token_count(const khabar_doc *doc);
const khabar_token *khabar_doc_token(const khabar_doc *doc, size_t i);
size_t khabar_doc_repair_count(const khabar_doc *doc);
const khabar_repair *khabar_doc_repair(const khabar_doc *doc, size_t i);

/* Entity types, as in the JSON's "type": "PER", "ORG", "LOC", "MISC". */
typedef enum khabar_entity_type {
    KHABAR_ENTITY_PER,
    KHABAR_ENTITY_ORG,
    KHABAR_ENTITY_LOC,
    KHABAR_ENTITY_MISC
} khabar_entity_type;

/* One real-world thing the article names, its mentions linked (the JSON's
 * "entities", docs/json.md).  Strings are NUL-terminated and borrowed from
 * the doc.  Empty when the analysis skipped entities (KHABAR_SKIP_ENTITIES). */
typedef struct khabar_entity {
    khabar_entity_type type;
    const char *name;            /* canonical Arabic form */
    const char *en;              /* English name when a gazetteer knows it, else NULL */
    size_t mentions;             /* how many times the article mentions it */
    size_t variant_count;
    const char *const *variants; /* distinct forms as written, first seen first */
} khabar_entity;

/* One tag (the JSON's "tags"), best first.  `text` is NUL-terminated and
 * borrowed from the doc.  Empty when the analysis skipped tags. */
typedef struct khabar_tag {
    const char *text;   /* canonical form */
    double score;       /* relative to the best tag's, which is 1 */
    long entity;        /* index for khabar_doc_entity when the tag is an entity, else -1 */
} khabar_tag;

/* The article's entities and tags, with the accessors' conventions above
 * (NULL out of range; borrowed; thread-safe for concurrent readers). */
size_t khabar_doc_entity_count(const khabar_doc *doc);
const khabar_entity *khabar_doc_entity(const khabar_doc *doc, size_t i);
size_t khabar_doc_tag_count(const khabar_doc *doc);
const khabar_tag *khabar_doc_tag(const khabar_doc *doc, size_t i);

/* "PER", "ORG", "LOC", "MISC". */
const char *khabar_entity_type_name(khabar_entity_type type);

/* How two names of entities of one type relate by the rules that link the
 * mentions of one article (docs/ner.md, "Linking"): for programs that keep
 * entities across articles (the archive).  Names are compared by their
 * normal forms (KHABAR_FOLD_ALL, a final ة read as ه). */
typedef enum khabar_name_relation {
    KHABAR_NAMES_DIFFERENT = 0, /* not one thing (two people's names told apart by
                                   name-like words: هيلاري كلينتون, بيل كلينتون) */
    KHABAR_NAMES_SAME,          /* one thing: one key, or one known name (aliases, nisba
                                   adjectives) */
    KHABAR_NAMES_SHORTER,       /* a is a shortened form of the person b: b's last words, one
                                   word of b not after a kinship word (بن سلمان: the father),
                                   or b's first words before its lineage (محمد بن سلمان of
                                   محمد بن سلمان بن عبد العزيز) */
    KHABAR_NAMES_LONGER,        /* b is a shortened form of a */
    KHABAR_NAMES_UNTOLD,        /* two persons' names neither within the other, but the words
                                   that differ read as ordinary words (أمام السيسي, عبد الفتاح
                                   السيسي): not linked by this alone, not told apart either */
    KHABAR_NAMES_MISSPELLED     /* one thing misspelled: a letter inserted or dropped in a name
                                   of 8 letters or more (شوارزنيغر, شوارتزنيغر) */
} khabar_name_relation;

/* Writes the relation of names a and b (UTF-8, as an entity's name or
 * variant) of entities of type `type` into *out.  Shortened forms are a
 * person's only.  KHABAR_ERROR_ARGUMENT (a NULL argument) or
 * KHABAR_ERROR_MEMORY.  Thread-safe (the model is only read). */
khabar_status khabar_entity_names_relate(const khabar_model *model, khabar_entity_type type,
                                         const char *a, size_t a_len, const char *b, size_t b_len,
                                         khabar_name_relation *out, khabar_error *err);

/* The analyses below are the JSON's (docs/json.md), field for field.  A
 * `khabar_span` of a token range holds the cleaned text (borrowed from the
 * doc, not NUL-terminated) and the input offsets; in a title given apart
 * from the text its offsets are in that title, as a token's.  An absent
 * span (no speaker, no unit) has text NULL and length 0.  Each list is
 * empty when the analysis was skipped (khabar_options.skip).  Accessors:
 * NULL (or SIZE_MAX) out of range; thread-safe for concurrent readers. */

/* One name as written (the JSON's "mentions"). */
typedef struct khabar_mention {
    khabar_entity_type type;
    const char *text;   /* as written, clitics removed; NUL-terminated, borrowed */
    size_t start, end;  /* input offsets of the name, clitics included */
    size_t entity;      /* index for khabar_doc_entity */
    long sentence;      /* index for khabar_doc_sentence; -1 in the title and headings */
} khabar_mention;

typedef enum khabar_quantity_kind {
    KHABAR_QUANTITY_CARDINAL,
    KHABAR_QUANTITY_ORDINAL,
    KHABAR_QUANTITY_PERCENT,
    KHABAR_QUANTITY_MONEY,
    KHABAR_QUANTITY_MEASURE
} khabar_quantity_kind;

/* A number or quantity (the JSON's "quantities"): a value, or a range
 * (min and max), with the approximation and the unit as written. */
typedef struct khabar_quantity {
    khabar_quantity_kind kind;
    khabar_span span;       /* the whole expression (approximator, range words, unit) */
    double value, min, max; /* each meaningful only when its has_ flag is set */
    int has_value, has_min, has_max;
    int approx;             /* حوالي، نحو، عشرات ... */
    khabar_span unit;       /* the currency, measure or thing counted; absent when none */
    const char *unit_code;  /* "USD", "km" ... (NUL-terminated, static) or NULL */
} khabar_quantity;

typedef enum khabar_date_kind {
    KHABAR_DATE_POINT,    /* a date or time: 2021-07-15, XXXX-07, 2021-W29 */
    KHABAR_DATE_DURATION, /* a length of time: P2D, PT2H */
    KHABAR_DATE_SET,      /* a frequency: يوميا = P1D */
    KHABAR_DATE_RANGE     /* from one point to another: "A/B" */
} khabar_date_kind;

/* A date, time, duration or frequency (the JSON's "dates"). */
typedef struct khabar_date {
    khabar_date_kind kind;
    khabar_span span;
    const char *value;  /* ISO 8601 / TIMEX3-like value, NUL-terminated, borrowed; X for unknown digits */
    const char *mod;    /* "START", "MID", "END", or NULL */
    int relative;       /* resolved against the article's date or an event */
    const char *offset; /* for a relative expression, the signed duration from its anchor ("-P2D"), else NULL */
} khabar_date;

/* A quotation or reported speech (the JSON's "quotes"). */
typedef struct khabar_quote {
    khabar_span text;      /* what was said, without quote marks */
    khabar_span speaker;   /* the speaker's phrase as the text names it; absent when unknown */
    khabar_span cue;       /* the reporting verb or source phrase (قال، بحسب); absent when none */
    long entity;           /* the speaker's entity (khabar_doc_entity), -1 when none */
    size_t entity_count;   /* coordinated speakers' entities (روسيا والصين وإيران) */
    const size_t *entities; /* borrowed; entity_count of them */
    int direct;            /* the text stood between quote marks */
} khabar_quote;

/* Two sentences that say the same thing (the JSON's "duplicates"). */
typedef struct khabar_duplicate {
    size_t a, b;        /* sentence indexes, a < b */
    double similarity;  /* 0..1 */
} khabar_duplicate;

size_t khabar_doc_mention_count(const khabar_doc *doc);
const khabar_mention *khabar_doc_mention(const khabar_doc *doc, size_t i);
size_t khabar_doc_quantity_count(const khabar_doc *doc);
const khabar_quantity *khabar_doc_quantity(const khabar_doc *doc, size_t i);
size_t khabar_doc_date_count(const khabar_doc *doc);
const khabar_date *khabar_doc_date(const khabar_doc *doc, size_t i);
size_t khabar_doc_quote_count(const khabar_doc *doc);
const khabar_quote *khabar_doc_quote(const khabar_doc *doc, size_t i);
size_t khabar_doc_duplicate_count(const khabar_doc *doc);
const khabar_duplicate *khabar_doc_duplicate(const khabar_doc *doc, size_t i);
/* The summary's sentences (the JSON's "summary"): the lead claim first.
 * khabar_doc_summary gives a sentence index, or SIZE_MAX out of range. */
size_t khabar_doc_summary_count(const khabar_doc *doc);
size_t khabar_doc_summary(const khabar_doc *doc, size_t i);

/* "cardinal", "ordinal", "percent", "money", "measure"; "point",
 * "duration", "set", "range". */
const char *khabar_quantity_kind_name(khabar_quantity_kind kind);
const char *khabar_date_kind_name(khabar_date_kind kind);

/* Short names used in JSON: "heading", "arabic", "joined_word", ... */
const char *khabar_block_kind_name(khabar_block_kind kind);
const char *khabar_token_kind_name(khabar_token_kind kind);
const char *khabar_repair_kind_name(khabar_repair_kind kind);

enum {
    KHABAR_JSON_TOKENS = 1u << 0, /* include "tokens" (the other fields are always there) */
    KHABAR_JSON_PRETTY = 1u << 1  /* indent (otherwise one line) */
};

/* Renders the doc as one JSON object (docs/json.md), without a trailing
 * newline.  The string is NUL-terminated and borrowed from the doc: it is
 * valid until the doc is freed or this function is called again on it.
 * Returns NULL only when memory runs out.  Not thread-safe per doc (it
 * writes the doc's output buffer). */
const char *khabar_doc_json(khabar_doc *doc, unsigned flags, size_t *len);

/* ------------------------------------------------------------------ */
/* Labels for pre-tokenized text (for scoring against annotated corpora) */
/* ------------------------------------------------------------------ */

typedef enum khabar_label_layer {
    KHABAR_LABEL_ENTITIES, /* PER, ORG, LOC, MISC, as ANERcorp marks them: the names khabar_analyze
                              finds (the tagger and the linking rules), descriptions left O */
    KHABAR_LABEL_NUMBERS,  /* CARDINAL, ORDINAL, PERCENT, MONEY, QUANTITY, as Wojood marks them */
    KHABAR_LABEL_DATES     /* DATE, TIME, as Wojood marks them */
} khabar_label_layer;

enum {
    KHABAR_LABEL_SENTENCE_ALONE = 1u << 0 /* entities: analyse each sentence apart, without the
                                             document's other sentences */
};

/* Labels `n` tokens (token i is lens[i] bytes of UTF-8 at tokens[i]) in BIO
 * as annotated corpora are: labels[i] receives "O", "B-PER", "I-MONEY" ...
 * (static strings).  The tokens form one document of `n_sentences`
 * sentences, sentence k starting at token sentence_starts[k] (the first at
 * 0, never decreasing).  `date` ("YYYY-MM-DD" or NULL) resolves relative
 * dates; `flags` is KHABAR_LABEL_*.  What `khabar ner --conll` and
 * `khabar tag --conll` write.  KHABAR_ERROR_UTF8 for a token that is not
 * UTF-8 (offset: the token's index); KHABAR_ERROR_ARGUMENT for malformed
 * sentences.  Not thread-safe per analyzer. */
khabar_status khabar_label_tokens(khabar_analyzer *analyzer, const char *const *tokens, const size_t *lens,
                                  size_t n, const size_t *sentence_starts, size_t n_sentences,
                                  khabar_label_layer layer, const char *date, unsigned flags,
                                  const char **labels, khabar_error *err);

/* ------------------------------------------------------------------ */
/* Near-duplicate articles across a corpus                             */
/* ------------------------------------------------------------------ */

/* MinHash signatures over normalised word shingles, LSH banding, and
 * union-find clusters (docs/dedup.md): only signatures are kept, never
 * texts, so memory grows with the number of articles (about 600 bytes
 * each at the defaults).  What `khabar dedup` runs. */
typedef struct khabar_dedup khabar_dedup;

typedef struct khabar_dedup_options {
    double threshold; /* least estimated Jaccard similarity that joins two articles; 0: 0.8 */
    unsigned shingle; /* words per shingle, 1 to 32; 0: 5 */
    unsigned perms;   /* signature positions, 2 to 1024; 0: 256 */
    unsigned bands;   /* LSH bands; 0 chooses them for the threshold */
    unsigned rows;    /* signature values per band; 0: perms / bands */
} khabar_dedup_options;

typedef struct khabar_dedup_cluster {
    const uint32_t *members; /* article numbers (in the order added), ascending; borrowed */
    size_t count;            /* at least 2 */
    double similarity;       /* mean estimated similarity of its pairs (a sample of 64 members in larger ones) */
    double min_similarity;   /* least estimated similarity among those pairs */
} khabar_dedup_cluster;

/* Makes an empty corpus.  `opts` may be NULL for the defaults;
 * KHABAR_ERROR_ARGUMENT for an option out of range.  Thread-safe; a corpus
 * is then used by one thread at a time. */
khabar_status khabar_dedup_new(const khabar_dedup_options *opts, khabar_dedup **out, khabar_error *err);
/* Releases a corpus; NULL is a no-op. */
void khabar_dedup_free(khabar_dedup *dedup);

/* Adds an article: its signature and a copy of `key` (the caller's name for
 * it: the CLI uses the record's id as JSON text).  Articles are numbered
 * from 0 in the order added.  KHABAR_ERROR_EMPTY when the text has no words
 * (nothing is added); KHABAR_ERROR_UTF8 when it is not valid UTF-8. */
khabar_status khabar_dedup_add(khabar_dedup *dedup, const char *key, size_t key_len,
                               const char *text, size_t len, khabar_error *err);
/* Adds a JSON-lines record {"id", "text"}, read as khabar_analyze_record
 * reads it, its id (as JSON text) the key: the same errors, and
 * KHABAR_ERROR_RECORD when the id is absent, null, an object or an array. */
khabar_status khabar_dedup_add_record(khabar_dedup *dedup, const char *line, size_t len, khabar_error *err);

/* Finds the clusters of two or more among the articles added so far,
 * ordered by their first member; may be called again after more adds. */
khabar_status khabar_dedup_cluster_all(khabar_dedup *dedup, khabar_error *err);
size_t khabar_dedup_count(const khabar_dedup *dedup);
/* The key of article `i` (borrowed, not NUL-terminated), or NULL. */
const char *khabar_dedup_key(const khabar_dedup *dedup, size_t i, size_t *len);
size_t khabar_dedup_cluster_count(const khabar_dedup *dedup);
const khabar_dedup_cluster *khabar_dedup_cluster_at(const khabar_dedup *dedup, size_t i);
/* The cluster of article `i`, or SIZE_MAX when it has no near-duplicate. */
size_t khabar_dedup_cluster_of(const khabar_dedup *dedup, size_t i);
/* Estimated Jaccard similarity of articles i and j (0..1), or -1 when one
 * is out of range. */
double khabar_dedup_similarity(const khabar_dedup *dedup, size_t i, size_t j);

typedef struct khabar_dedup_stats {
    size_t documents; /* articles added */
    size_t compared;  /* candidate pairs whose signatures were compared */
    size_t joined;    /* compared pairs at or above the threshold */
} khabar_dedup_stats;

/* What the last khabar_dedup_cluster_all did, and the options in force
 * (bands and rows as chosen); both borrowed from the corpus, NULL for a
 * NULL corpus. */
const khabar_dedup_stats *khabar_dedup_get_stats(const khabar_dedup *dedup);
const khabar_dedup_options *khabar_dedup_get_options(const khabar_dedup *dedup);

/* Signatures for callers that keep them themselves (the archive stores
 * them in its database): the same words, shingles and MinHash as
 * khabar_dedup_add, with the corpus's options; nothing is added to it.
 * The signature has khabar_dedup_signature_length() values; LSH puts two
 * articles that share any of the khabar_dedup_band_count() band keys in
 * one bucket, the candidates whose similarity is then compared with the
 * threshold (khabar_dedup_threshold). */
size_t khabar_dedup_signature_length(const khabar_dedup *dedup);
size_t khabar_dedup_band_count(const khabar_dedup *dedup);
double khabar_dedup_threshold(const khabar_dedup *dedup);
/* Fills `sig` (signature_length values).  Errors as khabar_dedup_add
 * (KHABAR_ERROR_EMPTY when the text has no words, KHABAR_ERROR_UTF8).
 * Uses the corpus's working space: one thread at a time per corpus. */
khabar_status khabar_dedup_signature(khabar_dedup *dedup, const char *text, size_t len,
                                     uint16_t *sig, khabar_error *err);
/* Fills `keys` (band_count values) from a signature.  Thread-safe. */
void khabar_dedup_band_keys(const khabar_dedup *dedup, const uint16_t *sig, uint64_t *keys);
/* Estimated Jaccard similarity (0..1) of two signatures.  Thread-safe. */
double khabar_dedup_signature_similarity(const khabar_dedup *dedup, const uint16_t *a, const uint16_t *b);

/* ------------------------------------------------------------------ */
/* HTML pages: the article in a page                                   */
/* ------------------------------------------------------------------ */

typedef struct khabar_page khabar_page;

typedef struct khabar_extract_options {
    unsigned flags;         /* none yet: 0 */
    size_t max_bytes;       /* largest page accepted; 0 means the default, 256 MiB */
    const char *url;        /* the page's address (NUL-terminated, borrowed) or NULL */
    const char *encoding;   /* an iconv name the bytes are in (NUL-terminated, borrowed), or NULL
                               to decide: a byte-order mark, the page's <meta charset> or
                               http-equiv, valid UTF-8, then detection (khabar_decode) */
} khabar_extract_options;

/* Finds the article in an HTML page of `len` bytes at `html`: its title,
 * date, author, language, canonical address and body, as headings,
 * paragraphs, quotes and list items (docs/html.md).  Menus, headers and
 * footers, related and most-read lists, comments, share buttons, ads,
 * captions, cookie notices, scripts and styles are left out.  The page is
 * parsed by libxml2's HTML parser, which recovers from any markup: broken
 * HTML is no error.  On success `*out` owns a page to release with
 * khabar_page_free; a page with no article text has an empty text and no
 * blocks.  `opts` may be NULL for defaults; `err` may be NULL.
 * Errors: KHABAR_ERROR_TOO_LARGE; KHABAR_ERROR_ENCODING when the bytes'
 * encoding cannot be told (khabar_decode); KHABAR_ERROR_MEMORY.
 * Thread-safe: pages may be extracted on any number of threads at once. */
khabar_status khabar_extract(const char *html, size_t len,
                             const khabar_extract_options *opts,
                             khabar_page **out, khabar_error *err);

/* Releases a page; NULL is a no-op. */
void khabar_page_free(khabar_page *page);

typedef enum khabar_page_field {
    KHABAR_PAGE_TITLE,    /* og:title, JSON-LD headline, <h1>, or <title> without the site's name */
    KHABAR_PAGE_DATE,     /* publication date, ISO 8601: "2021-07-12" or "2021-07-12T10:30:00+03:00" */
    KHABAR_PAGE_AUTHOR,
    KHABAR_PAGE_LANG,     /* as the page declares it: "ar", "en-US" */
    KHABAR_PAGE_URL,      /* canonical address, as the page gives it */
    KHABAR_PAGE_TEXT,     /* the article body: the blocks' texts, a blank line between two */
    KHABAR_PAGE_ENCODING, /* the encoding the page was converted from; NULL when it was UTF-8 */
    KHABAR_PAGE_FIELD_COUNT
} khabar_page_field;

/* A field of the page: a NUL-terminated UTF-8 string borrowed from the
 * page, its length in *len (len may be NULL), or NULL (and *len 0) when
 * the page does not give it.  KHABAR_PAGE_TEXT is never NULL for a page.
 * Thread-safe for concurrent readers. */
const char *khabar_page_get(const khabar_page *page, khabar_page_field field, size_t *len);

typedef struct khabar_html_block {
    khabar_block_kind kind;  /* HEADING, PARAGRAPH, QUOTE or LIST_ITEM */
    const char *text;        /* borrowed from the page, inside the page's text; not NUL-terminated */
    size_t text_len;
    size_t start, end;       /* byte offsets of the block in the page's text */
} khabar_html_block;

/* The page's blocks in document order; an index out of range, or a NULL
 * page, gives NULL (count 0).  Thread-safe for concurrent readers. */
size_t khabar_page_block_count(const khabar_page *page);
const khabar_html_block *khabar_page_block(const khabar_page *page, size_t i);

/* Analyses the article of a page: its text as the body (offsets in the
 * doc point into khabar_page_get(page, KHABAR_PAGE_TEXT)), its title as
 * the title (unless opts->title is set), and its date as the article's date
 * for relative dates (unless opts->date is set).  The doc's JSON carries
 * the page's "date" (as the page gives it), "author" and "url".  `page` is only read: the doc
 * copies what it needs.  KHABAR_ERROR_EMPTY when the page has no article
 * text; otherwise as khabar_analyze.  Not thread-safe per analyzer. */
khabar_status khabar_analyze_page(khabar_analyzer *analyzer, const khabar_page *page,
                                  const khabar_options *opts, khabar_doc **out,
                                  khabar_error *err);

/* The page as one JSON object {"title", "date", "author", "lang", "url",
 * "text", "blocks": [{"kind", "text"}], "repairs"?} (docs/json.md), fields
 * the page does not give as null; KHABAR_JSON_PRETTY indents it.  The
 * string is borrowed from the page until it is freed or this is called
 * again.  NULL only when memory runs out.  Not thread-safe per page. */
const char *khabar_page_json(khabar_page *page, unsigned flags, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
