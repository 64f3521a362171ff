/* Facts in news text: numbers and quantities (src/numbers.c) and dates and
 * times (src/dates.c), found over an array of tokens: a document's, or a
 * pre-tokenized sentence's (khabar tag --conll).  docs/facts.md describes
 * what is recognised and how it is measured. */
#ifndef KH_FACTS_H
#define KH_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "kh.h"

/* ------------------------------------------------------------------ */
/* Word tables (data/numbers.txt, data/dates.txt)                      */
/* ------------------------------------------------------------------ */

typedef struct kh_facts kh_facts;

/* Loads the embedded word tables; *out owns them (kh_facts_free).  Fails
 * with KHABAR_ERROR_DATA when a table is missing or damaged. */
khabar_status kh_facts_load(kh_facts **out, khabar_error *err);
void kh_facts_free(kh_facts *f);

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

typedef struct kh_token_range {
    size_t first, last; /* tokens [first, last) */
} kh_token_range;

typedef enum kh_quantity_kind {
    KH_QUANTITY_CARDINAL,
    KH_QUANTITY_ORDINAL,
    KH_QUANTITY_PERCENT,
    KH_QUANTITY_MONEY,
    KH_QUANTITY_MEASURE
} kh_quantity_kind;

/* "cardinal", "ordinal", "percent", "money", "measure". */
const char *kh_quantity_kind_name(kh_quantity_kind kind);
/* The Wojood tag: CARDINAL, ORDINAL, PERCENT, MONEY, QUANTITY. */
const char *kh_quantity_tag(kh_quantity_kind kind);

/* One number or quantity.  The expression runs over tokens
 * [first, last) and bytes [start, end) of the input; it includes the
 * approximator (حوالي), the range words (بين ... و، من ... إلى), the
 * currency or measure and the thing counted.  `parts` are the pieces an
 * annotator following Wojood marks: each number with its currency,
 * measure or percent sign, without approximators, range words or the
 * counted noun (a range has two parts). */
typedef struct kh_quantity {
    kh_quantity_kind kind;
    size_t first, last;
    size_t start, end;
    double value;            /* when has_value */
    double min, max;         /* when has_min / has_max */
    unsigned has_value : 1;  /* an exact value (not for ranges, "hundreds", "last") */
    unsigned has_min : 1;
    unsigned has_max : 1;
    unsigned approx : 1;     /* حوالي، نحو، قرابة، عشرات، مئات ... */
    unsigned last_ordinal : 1; /* الأخير، آخر: an ordinal without a number */
    /* The unit: the currency or measure as written, else the counted noun
     * (with one adjective such as أجنبي or آخرين); first == last when none. */
    kh_token_range unit;
    size_t unit_start, unit_end;
    /* Currency code (USD, EUR, or a generic name: dinar, riyal) or measure
     * symbol (km, t, m2), borrowed from the word tables; NULL otherwise. */
    const char *unit_code;
    unsigned n_parts;
    kh_token_range parts[2];
} kh_quantity;

typedef enum kh_date_mod {
    KH_DATE_MOD_NONE,
    KH_DATE_MOD_START,  /* مطلع، بداية، أوائل */
    KH_DATE_MOD_MID,    /* منتصف، أواسط */
    KH_DATE_MOD_END     /* نهاية، أواخر */
} kh_date_mod;

/* "START", "MID", "END", or NULL for none. */
const char *kh_date_mod_name(kh_date_mod mod);

typedef enum kh_date_kind {
    KH_DATE_POINT,     /* a date or time: 2021-07-15, XXXX-07, 2021-W29, 1940s */
    KH_DATE_DURATION,  /* a length of time: P2D, P3Y, PT2H */
    KH_DATE_SET,       /* a frequency: يوميا, شهريا (value P1D, P1M) */
    KH_DATE_RANGE      /* from one point to another: value "A/B" */
} kh_date_kind;

/* "point", "duration", "set", "range". */
const char *kh_date_kind_name(kh_date_kind kind);

/* One date or time expression.  [first, last) / [start, end) is the whole
 * expression, with its preposition (منذ، قبل، بعد مرور) and approximator;
 * `core` is what Wojood marks (the preposition only when it directly
 * precedes the date, no approximator).
 *
 * `value` follows ISO 8601 as TimeML's TIMEX3 uses it: 2021-07-15,
 * 2021-07, 2021, 2021-W29, XXXX-07 (year unknown), XXXX-WXX-2 (a Tuesday),
 * 194X (the 1940s), 19XX (the 20th century), 2021-SU (summer),
 * 2021-07-15T17:00, XXXX-XX-XXTEV (an evening), P2D / P3Y / PT2H / PXY
 * (durations; X = unknown count), PRESENT_REF, PAST_REF, FUTURE_REF, and
 * "A/B" for ranges; "" when the expression names a period without a value
 * (الفترة العثمانية). */
typedef struct kh_date {
    kh_date_kind kind;
    unsigned is_time : 1;   /* Wojood's TIME (times of day, hours, الآن) rather than DATE */
    unsigned relative : 1;  /* resolved against the document date or an event */
    unsigned event_anchor : 1; /* counted from an event in the text (قبل يومين من إعدامه,
                                  بعد مرور شهر), not from the document date */
    unsigned approx : 1;    /* حوالي، نحو */
    unsigned hijri : 1;     /* written in the Hijri calendar (value converted) */
    kh_date_mod mod;
    size_t first, last;
    size_t start, end;
    kh_token_range core;
    char value[48];
    char offset[24];        /* for relative expressions: the signed duration from the
                               anchor (-P2D, +P1M, P0D), else "" */
    char hijri_value[24];   /* the Hijri date as written (1441-09), else "" */
} kh_date;

/* ------------------------------------------------------------------ */
/* Finding them                                                        */
/* ------------------------------------------------------------------ */

/* Appends to `out` (a kh_vec of kh_date) the dates and times in tokens
 * [0, n), in text order, without overlaps.  `doc_date` is the article's
 * date as yyyy-mm-dd, or NULL: relative expressions resolve against it,
 * and without it their unknown parts stay X.  Tokens need `norm` and
 * `span`; a `sentence` change starts a new sentence.  `classes` is each
 * token's kh_facts_classes when the caller knows them (the analyzer's word
 * cache does), else NULL.  Returns KHABAR_OK or KHABAR_ERROR_MEMORY. */
khabar_status kh_find_dates(const kh_facts *f, const khabar_token *t, size_t n,
                            const uint64_t *classes, const char *doc_date, kh_vec *out);

/* Appends to `out` (a kh_vec of kh_quantity) the numbers and quantities in
 * tokens [0, n), in text order, without overlaps.  `dates` (kh_date, from
 * kh_find_dates over the same tokens) may be NULL; numbers inside a date
 * (the year of عام 2021, the 3 of ثلاث سنوات) are then left out.
 * Returns KHABAR_OK or KHABAR_ERROR_MEMORY. */
khabar_status kh_find_quantities(const kh_facts *f, const khabar_token *t, size_t n,
                                 const uint64_t *classes, const kh_vec *dates, kh_vec *out);

/* ------------------------------------------------------------------ */
/* Shared by numbers.c and dates.c                                     */
/* ------------------------------------------------------------------ */

/* Word classes of the tables; docs in data/numbers.txt and data/dates.txt. */
typedef enum kh_fact_class {
    KH_F_NUM, KH_F_SCALE, KH_F_DUAL, KH_F_FRAC, KH_F_APL, KH_F_FEW,
    KH_F_ORD, KH_F_ORDADV, KH_F_CUR, KH_F_CURADJ, KH_F_MEAS, KH_F_MEASADJ,
    KH_F_PCT, KH_F_APPROX, KH_F_APPROXP, KH_F_MORE, KH_F_LESS, KH_F_BETWEEN,
    KH_F_FROM, KH_F_TO, KH_F_REF, KH_F_STOP,
    KH_F_MONTH, KH_F_HMONTH, KH_F_WDAY, KH_F_RELDAY, KH_F_TUNIT, KH_F_RELMOD,
    KH_F_THIS, KH_F_PART, KH_F_PREP, KH_F_ELAPSE, KH_F_YEARKW, KH_F_DAYKW,
    KH_F_MONTHKW, KH_F_HONOR, KH_F_LINK, KH_F_ERA, KH_F_TOD, KH_F_HOURKW,
    KH_F_SEASON, KH_F_SEASONKW, KH_F_FREQ, KH_F_NOW, KH_F_DECADE, KH_F_CENTKW,
    KH_F_PERIODKW, KH_F_INPREP, KH_F_SEVERAL, KH_F_FROMDATE, KH_F_QUARTERKW, KH_F_ANCHOR,
    KH_F_AGE, KH_F_SERIES, KH_F_SAME, KH_F_INROW, KH_F_MINUS, KH_F_SCORE,
    KH_F_CUE,
    KH_F_PHRASE, /* internal: the first word of a phrase; value = longest phrase */
    KH_F_DATE_PHRASE, /* internal: the first word of a phrase that can begin a date
                         (of a class outside KH_F_NEVER_DATE_FIRST) */
    KH_F_DIGITS, /* internal: the word has a digit (norms write every digit in ASCII):
                    kh_fx_digits and the finders' first tests read it */
    KH_F_CLASS_COUNT
} kh_fact_class;

#define KH_F(c) ((uint64_t)1 << (c))
_Static_assert(KH_F_CLASS_COUNT <= 64, "a word's classes are one 64-bit mask");

/* Classes of words that never begin the core of a date (the part after a
 * preposition and an approximator): those, units of money and measure,
 * and words that only join or follow a date. */
#define KH_F_NEVER_DATE_FIRST                                                                      \
    (KH_F(KH_F_STOP) | KH_F(KH_F_PHRASE) | KH_F(KH_F_FROM) | KH_F(KH_F_BETWEEN) | KH_F(KH_F_TO) | \
     KH_F(KH_F_INPREP) | KH_F(KH_F_PREP) | KH_F(KH_F_APPROX) | KH_F(KH_F_APPROXP) |              \
     KH_F(KH_F_MORE) | KH_F(KH_F_LESS) | KH_F(KH_F_REF) | KH_F(KH_F_LINK) | KH_F(KH_F_ERA) |      \
     KH_F(KH_F_HONOR) | KH_F(KH_F_ELAPSE) | KH_F(KH_F_CUR) | KH_F(KH_F_CURADJ) |                 \
     KH_F(KH_F_MEAS) | KH_F(KH_F_MEASADJ) | KH_F(KH_F_PCT) | KH_F(KH_F_ANCHOR) |                 \
     KH_F(KH_F_FROMDATE) | KH_F(KH_F_SERIES) | KH_F(KH_F_INROW) | KH_F(KH_F_MINUS) |               \
     KH_F(KH_F_SCORE) | KH_F(KH_F_CUE))

/* Entry flags (the FLAGS column). */
enum {
    KH_FF_TEEN = 1u << 0,  /* teen */
    KH_FF_ALONE = 1u << 1, /* alone */
    KH_FF_PL = 1u << 2,    /* pl */
    KH_FF_DUAL = 1u << 3,  /* dual */
    KH_FF_ACC = 1u << 4,   /* acc */
    KH_FF_WEAK = 1u << 5,  /* weak */
    KH_FF_IN = 1u << 6,    /* in */
    KH_FF_BARE = 1u << 7,  /* bare */
    KH_FF_ADV = 1u << 8,   /* adv */
    KH_FF_NOUN = 1u << 9,  /* noun */
    KH_FF_COND = 1u << 10, /* cond */
    KH_FF_NOYEAR = 1u << 11,  /* noyear */
    KH_FF_DIRECT = 1u << 12,  /* direct */
    KH_FF_MILLION = 1u << 13, /* million */
    KH_FF_THOUSAND = 1u << 14, /* thousand */
    KH_FF_COUNTS = 1u << 15,   /* counts */
    KH_FF_MILLIMES = 1u << 16, /* millimes */
    KH_FF_MILLIME_ABBREV = 1u << 17, /* millime_abbrev */
    KH_FF_OPENS_ANOTHER = 1u << 18,  /* opens_another */
    KH_FF_BEFORE_LAST = 1u << 19     /* before_last */
};

typedef struct kh_fact {
    kh_fact_class cls;
    unsigned flags;
    unsigned words;    /* tokens in the entry's phrase */
    double value;      /* VALUE read as a number (0 when it is not one) */
    const char *code;  /* VALUE as written, NUL-terminated */
    int32_t next;      /* next entry of the same word, -1 at the end */
} kh_fact;

/* Clitics a lookup may strip from the front of a word. */
enum {
    KH_CL_CONJ = 1u << 0, /* و ف */
    KH_CL_PREP = 1u << 1, /* ب ل ك */
    KH_CL_ART = 1u << 2   /* ال (and the ل of لل) */
};

/* Every class of the tables that the normalised word w[0..len) has, alone
 * or with its proclitics (و ف ب ل ك ال) stripped, and KH_F_DIGITS when it
 * has a digit: KH_F() bits. */
uint64_t kh_facts_classes(const kh_facts *f, const char *w, size_t len);

/* A view of tokens for the matchers. */
typedef struct kh_fx {
    const kh_facts *f;
    const khabar_token *t;
    size_t n;
    const uint64_t *classes; /* per token, kh_facts_classes of its norm, or NULL */
    uint64_t *owned;         /* classes when kh_fx_prepare made them */
} kh_fx;

/* Notes each token's classes once (unless x->classes is already given), so
 * that lookups of absent classes cost nothing.  -1 when memory runs out
 * (the view still works, slower). */
int kh_fx_prepare(kh_fx *x);
void kh_fx_release(kh_fx *x);

/* The entry of a class in `mask` for the normalised word w[0..len), or NULL. */
const kh_fact *kh_facts_find(const kh_facts *f, const char *w, size_t len, uint64_t mask);

/* The entry of a class in `mask` for token i, stripping clitics as `allow`
 * permits; *stripped (may be NULL) receives the clitics removed. */
const kh_fact *kh_fx_word(const kh_fx *x, size_t i, uint64_t mask, unsigned allow,
                          unsigned *stripped);

/* The longest entry of a class in `mask` spelled by tokens i, i+1, ...
 * (clitics on the first token as `allow` permits).  Returns its token
 * count and sets *e, or returns 0. */
size_t kh_fx_phrase(const kh_fx *x, size_t i, uint64_t mask, unsigned allow,
                    const kh_fact **e, unsigned *stripped);

/* Token i's normalised text is exactly s. */
int kh_fx_is(const kh_fx *x, size_t i, const char *s);
/* Token i is the single code point cp. */
int kh_fx_is_cp(const kh_fx *x, size_t i, unsigned cp);
/* Token i starts with an Arabic letter. */
int kh_fx_arabic(const kh_fx *x, size_t i);
/* Token i starts with the article ال (and is longer than it). */
int kh_fx_article(const kh_fx *x, size_t i);
/* Token i's normal form ends with the code points cps[0..k) and has more
 * before them. */
int kh_fx_ends_with(const kh_fx *x, size_t i, const unsigned *cps, size_t k);
/* Token i is a nisba adjective, of four letters or more and no function
 * word: أجنبي، أمريكية، سوريين، عراقيون، الوطني، العثمانية. */
int kh_fx_nisba(const kh_fx *x, size_t i);

/* A number written in digits in token i: optional clitics (و ف ب ل ك ال),
 * digits with thousands or decimal separators (10.000 = ten thousand by
 * the group-of-three rule, 3.5, 1,234.5), optional % or letters after. */
typedef struct kh_digits {
    double value;
    unsigned ndigits;     /* digits in all */
    unsigned plain : 1;   /* digits only: no separator, clitic or suffix */
    unsigned integer : 1; /* no decimal part */
    unsigned percent : 1; /* ends with % */
    unsigned clitic;      /* KH_CL_* before the digits */
    size_t suffix;        /* offset in norm of letters after the digits, 0 when none */
} kh_digits;

int kh_fx_digits(const kh_fx *x, size_t i, kh_digits *d);

/* A cardinal number in tokens starting at i, not reaching `limit`: digits
 * (joined across "10 , 000" as pre-tokenized text splits them), words
 * (ثلاثة وأربعين مليون), scales (3 آلاف، 2.5 مليون), fractions (نصف مليون),
 * approximate plurals (عشرات، مئات الآلاف).  `allow` says which clitics the
 * first token may carry. */
typedef struct kh_number {
    size_t first, last;
    double value;         /* exact value when !plural */
    double min, max;      /* for approximate plurals */
    double scale;         /* the last scale word's value (ألف 1000), 0 when none */
    unsigned plural : 1;  /* عشرات، مئات، آلاف، بضعة */
    unsigned words : 1;   /* spelled (at least partly) in words */
    unsigned percent : 1; /* a % in the digit token */
    unsigned article : 1; /* the first word carries ال (الثلاث) */
    unsigned single_unit_word : 1; /* one word from واحد..عشرة (ordinal-like when with ال) */
    unsigned alone_word : 1; /* just واحد/واحدة: a number only after a noun */
    unsigned clitic;      /* clitics on the first token */
} kh_number;

size_t kh_fx_number(const kh_fx *x, size_t i, size_t limit, unsigned allow, kh_number *num);

/* An ordinal adjective at i with what completes it (الرابع، الرابعة عشرة،
 * الخامس والعشرون), clitics as `allow` lets: its length in tokens, 0 when
 * none (or "last", which has no value); *value its value, *st the clitics
 * stripped from its first word. */
size_t kh_fx_ordinal(const kh_fx *x, size_t i, size_t limit, unsigned allow, double *value, unsigned *st);

/* Code point helpers over normalised UTF-8. */
size_t kh_fx_chars(const char *s, size_t len);

#endif
