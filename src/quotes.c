/* Quotes and attribution.  A quote is anchored on a cue: a reporting verb
 * (قال، أكدت، ويرى), a circumstantial participle (مشيرا إلى أن) or a source
 * phrase (بحسب، وفقا لـ، نقلا عن).  From a verb, the reported content starts
 * at the complementizer (أن، إن، بأن), a colon or an opening quote mark
 * that follows within the clause; the speaker is the noun phrase after the
 * verb, else the one before it (الوزير أكد، الوزير الذي قال), else an earlier
 * speaker or entity (a pronoun subject).  Everything is found in one pass
 * over the sentences, with bounded look-around at each cue, so the cost
 * stays linear in the article. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "doc.h"
#include "entities.h"
#include "facts.h"
#include "quotes.h"

/* ------------------------------------------------------------------ */
/* The word table (data/quotes.txt)                                     */
/* ------------------------------------------------------------------ */

/* Word classes (a word may have several). */
enum {
    QW_VERB = 1u << 0,
    QW_PARTICIPLE = 1u << 1,
    QW_SOURCE = 1u << 2, /* first word of a source phrase */
    QW_COMP = 1u << 3,
    QW_COMP_PRON = 1u << 4,
    QW_NOT_COMP = 1u << 5,
    QW_BOUND = 1u << 6,
    QW_STOP = 1u << 7,
    QW_AUX = 1u << 8,
    QW_REL = 1u << 9,
    QW_RELAY = 1u << 10,
    QW_SAYING = 1u << 11,
    QW_SOURCE_NOUN = 1u << 12,
    QW_WHAT = 1u << 13,
    QW_RELAY_PREP = 1u << 14,
    QW_FROM = 1u << 15,
    QW_JOINER = 1u << 16,
    QW_RELAY_VERB = 1u << 17, /* "عن X قوله" after it names the speaker */
    QW_IMPERSONAL = 1u << 18, /* present m.sg straight before أن: "it is said" */
    QW_AFFIL = 1u << 19,      /* في of "مصدر في الوزارة" */
    QW_PRON_PREP = 1u << 20,  /* له، لها: a preposition with its pronoun, one word */
    QW_NEEDS_FROM = 1u << 21, /* reports only with عن (نقل عن), else "transport" */
    QW_NAMING = 1u << 31      /* بعنوان: a quotation after it is a title, not speech */
};

/* More word classes, in a byte of their own (the 32 bits above are full). */
enum {
    QX_CLAUSE = 1u << 0,       /* بينما، فيما، كما: a reporting verb after it starts a new clause */
    QX_FIRST_PERSON = 1u << 1, /* أنا، نحن: opens direct speech after a saying verb */
    QX_DIRECT = 1u << 2,       /* قال، أضاف: may be followed by direct speech with no marks */
    QX_FROM_PREP = 1u << 3,    /* من: begins no speaker's phrase */
    QX_ASIDE = 1u << 4         /* جهته، جانبه، جهة أخرى: "من جهته" is an aside, not the speaker */
};

/* What a token is, besides its word's classes (per-document marks). */
enum {
    QT_CONJ = 1u << 22,  /* the word matched after a و/ف proclitic */
    QT_OPEN = 1u << 23,  /* an opening quote mark */
    QT_CLOSE = 1u << 24, /* a closing quote mark */
    QT_COMMA = 1u << 25,
    QT_COLON = 1u << 26,
    QT_END = 1u << 27,   /* . ! ? ؟ ؛ … */
    QT_DATE = 1u << 28,  /* a date expression starts here */
    QT_PUNCT = 1u << 29, /* any other punctuation or symbol */
    QT_DQ_LEFT = 1u << 30 /* a “ or „: opening unless placement says otherwise */
};

/* Gender and number of a verb or participle form, in one byte; WASL marks
 * a verb written with a plain alef (اعتقد), whose hamza-alef spelling
 * (أعتقد) is the first person. */
enum { G_M = 1, G_F = 2, WASL = 16 };
#define INFO(g, n) ((uint8_t)((g) | ((n) << 2)))
#define INFO_GENDER(i) ((unsigned)(i) & 3u)

/* Families of quote marks: a closing mark only closes one of its own. */
enum { MARK_DOUBLE = 1, MARK_GUILLEMET = 2, MARK_SINGLE_ANGLE = 3 };

typedef struct qw_slot {
    uint64_t hash;
    uint32_t off, len; /* key in the pool; len 0 = empty */
    uint32_t classes;
    uint8_t info;
    uint8_t xclasses;
} qw_slot;

#define MAX_PHRASES 64
#define MAX_PHRASE_WORDS 4

typedef struct qw_phrase {
    uint32_t word_off[MAX_PHRASE_WORDS], word_len[MAX_PHRASE_WORDS];
    unsigned words;
    unsigned proclitic : 1; /* the last word may be written on the next word */
    unsigned speech : 1;    /* always introduces speech (نقلا عن) */
} qw_phrase;

struct kh_quote_words {
    kh_buf pool;
    qw_slot *slots;
    size_t cap, n;
    qw_phrase phrases[MAX_PHRASES];
    size_t n_phrases;
};

static const qw_slot *find_word(const kh_quote_words *w, const char *s, size_t len)
{
    if (!w->slots || len == 0) return NULL;
    uint64_t h = kh_hash(s, len);
    for (size_t i = (size_t)h & (w->cap - 1);; i = (i + 1) & (w->cap - 1)) {
        const qw_slot *e = &w->slots[i];
        if (!e->len) return NULL;
        if (e->hash == h && e->len == len && memcmp(w->pool.data + e->off, s, len) == 0) return e;
    }
}

static unsigned first_cp(const char *s, size_t n, uint32_t *cp)
{
    *cp = 0;
    if (!n) return 0;
    unsigned k = kh_utf8_decode((const unsigned char *)s, n, cp);
    return k ? k : 1;
}

static int grow(kh_quote_words *w)
{
    size_t cap = w->cap ? w->cap * 2 : 1024;
    qw_slot *s = calloc(cap, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < w->cap; i++) {
        if (!w->slots[i].len) continue;
        size_t j = (size_t)w->slots[i].hash & (cap - 1);
        while (s[j].len) j = (j + 1) & (cap - 1);
        s[j] = w->slots[i];
    }
    free(w->slots);
    w->slots = s;
    w->cap = cap;
    return 0;
}

/* Adds the word at pool[off, pool.len) with its classes, merging with an
 * entry of the same word. */
static int add_word(kh_quote_words *w, size_t off, uint32_t classes, uint8_t info, uint8_t xclasses)
{
    size_t len = w->pool.len - off;
    if (len == 0 || len > UINT32_MAX || off > UINT32_MAX) return 0;
    if ((w->n + 1) * 2 > w->cap && grow(w)) return -1;
    const char *s = w->pool.data + off;
    uint64_t h = kh_hash(s, len);
    size_t i = (size_t)h & (w->cap - 1);
    for (; w->slots[i].len; i = (i + 1) & (w->cap - 1)) {
        qw_slot *e = &w->slots[i];
        if (e->hash == h && e->len == len && memcmp(w->pool.data + e->off, s, len) == 0) {
            e->classes |= classes;
            e->xclasses |= xclasses;
            if (!e->info) e->info = info;
            w->pool.len = off; /* the key is already stored */
            return 0;
        }
    }
    w->slots[i] = (qw_slot){h, (uint32_t)off, (uint32_t)len, classes, info, xclasses};
    w->n++;
    return 0;
}

static const char *next_field(const char **p, const char *end, size_t *len)
{
    const char *s = *p;
    const char *tab = memchr(s, '\t', (size_t)(end - s));
    const char *e = tab ? tab : end;
    *len = (size_t)(e - s);
    *p = tab ? tab + 1 : end;
    return s;
}

static int field_is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

#define MAX_PARADIGMS 8
#define MAX_FORMS 8

typedef struct paradigm {
    char name[24];
    unsigned n;
    char tpl[MAX_FORMS][40];
    uint8_t info[MAX_FORMS];
} paradigm;

static const paradigm *find_paradigm(const paradigm *p, unsigned n, const char *s, size_t len)
{
    for (unsigned i = 0; i < n; i++)
        if (field_is(s, len, p[i].name)) return &p[i];
    return NULL;
}

/* "m.sg" -> INFO(G_M, 1). */
static int parse_info(const char *s, size_t n, uint8_t *out)
{
    unsigned g = 0, num = 0;
    if (n >= 1 && s[0] == 'm') g = G_M;
    else if (n >= 1 && s[0] == 'f') g = G_F;
    if (n == 4 && s[1] == '.' && s[2] == 's' && s[3] == 'g') num = 1;
    else if (n == 4 && s[1] == '.' && s[2] == 'd' && s[3] == 'u') num = 2;
    else if (n == 4 && s[1] == '.' && s[2] == 'p' && s[3] == 'l') num = 3;
    if (!g || !num) return -1;
    *out = INFO(g, num);
    return 0;
}

/* Adds every form of a paradigm filled with `stem`. */
static int add_forms(kh_quote_words *w, const paradigm *p, const char *stem, size_t stem_len,
                     uint32_t classes, uint32_t msg_classes, uint8_t xclasses)
{
    for (unsigned f = 0; f < p->n; f++) {
        char word[128];
        const char *star = strchr(p->tpl[f], '*');
        size_t pre = (size_t)(star - p->tpl[f]), post = strlen(star + 1);
        if (pre + stem_len + post >= sizeof word) return -1;
        memcpy(word, p->tpl[f], pre);
        memcpy(word + pre, stem, stem_len);
        memcpy(word + pre + stem_len, star + 1, post);
        size_t off = w->pool.len;
        if (kh_normalize_append(&w->pool, word, pre + stem_len + post, KHABAR_FOLD_ALL)) return -1;
        uint32_t c = classes, cp;
        if (p->info[f] == INFO(G_M, 1)) c |= msg_classes;
        first_cp(word, pre + stem_len + post, &cp);
        if (add_word(w, off, c, (uint8_t)(p->info[f] | (cp == ALEF ? WASL : 0)), xclasses)) return -1;
    }
    return 0;
}

static const struct {
    const char *name;
    uint32_t cls;
    uint8_t xcls;
} simple_classes[] = {
    {"comp", QW_COMP, 0},       {"comp-pron", QW_COMP_PRON, 0}, {"not-comp", QW_NOT_COMP, 0},
    {"bound", QW_BOUND, 0},     {"stop", QW_STOP, 0},           {"aux", QW_AUX, 0},
    {"rel", QW_REL, 0},         {"relay", QW_RELAY, 0},         {"saying", QW_SAYING, 0},
    {"source-noun", QW_SOURCE_NOUN, 0}, {"what", QW_WHAT, 0},   {"relay-prep", QW_RELAY_PREP, 0},
    {"from", QW_FROM, 0},       {"joiner", QW_JOINER, 0},       {"affil", QW_AFFIL, 0},
    {"pron-prep", QW_PRON_PREP | QW_BOUND, 0}, {"naming", QW_NAMING, 0},
    {"clause", 0, QX_CLAUSE},   {"first-person", 0, QX_FIRST_PERSON},
    {"from-prep", 0, QX_FROM_PREP}, {"aside", 0, QX_ASIDE},
};

/* A source phrase: its words normalised into the pool, the first also in
 * the table as QW_SOURCE. */
static int add_phrase(kh_quote_words *w, const char *s, size_t n, int speech)
{
    if (w->n_phrases >= MAX_PHRASES) return -2;
    qw_phrase *ph = &w->phrases[w->n_phrases];
    memset(ph, 0, sizeof *ph);
    ph->speech = speech != 0;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ') i++;
        size_t j = i;
        while (j < n && s[j] != ' ') j++;
        if (j == i) break;
        if (ph->words >= MAX_PHRASE_WORDS) return -2;
        size_t len = j - i;
        if (s[j - 1] == '+') {
            if (j < n) return -2; /* only the last word may be a proclitic */
            ph->proclitic = 1;
            len--;
        }
        size_t off = w->pool.len;
        if (kh_normalize_append(&w->pool, s + i, len, KHABAR_FOLD_ALL)) return -1;
        ph->word_off[ph->words] = (uint32_t)off;
        ph->word_len[ph->words] = (uint32_t)(w->pool.len - off);
        if (ph->words == 0) {
            /* the head also goes into the table (as a copy: add_word may reuse the key) */
            size_t off2 = w->pool.len;
            if (kh_buf_append(&w->pool, w->pool.data + off, w->pool.len - off) ||
                add_word(w, off2, QW_SOURCE, 0, 0))
                return -1;
        }
        ph->words++;
        i = j;
    }
    if (!ph->words) return -2;
    w->n_phrases++;
    return 0;
}

static khabar_status load_words(kh_quote_words *w, khabar_error *err)
{
    const kh_blob *b = kh_blob_find("quotes");
    if (!b) return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data 'quotes' is missing");
    paradigm par[MAX_PARADIGMS];
    unsigned n_par = 0;
    const char *s = (const char *)b->data, *end = s + b->len;
    size_t line_no = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end, *next = nl ? nl + 1 : end;
        line_no++;
        if (le > s && le[-1] == '\r') le--;
        if (le == s || *s == '#') { s = next; continue; }
        const char *p = s;
        size_t cl;
        const char *c = next_field(&p, le, &cl);
        int bad = 0, nomem = 0;
        if (field_is(c, cl, "form")) {
            size_t nl2;
            const char *name = next_field(&p, le, &nl2);
            if (n_par >= MAX_PARADIGMS || nl2 == 0 || nl2 >= sizeof par[0].name) { bad = 1; goto done; }
            paradigm *pd = &par[n_par++];
            memset(pd, 0, sizeof *pd);
            memcpy(pd->name, name, nl2);
            while (p < le) {
                size_t tl;
                const char *tpl = next_field(&p, le, &tl);
                const char *colon = memchr(tpl, ':', tl);
                if (!colon || pd->n >= MAX_FORMS) { bad = 1; goto done; }
                size_t wl = (size_t)(colon - tpl);
                if (wl >= sizeof pd->tpl[0] || !memchr(tpl, '*', wl) ||
                    parse_info(colon + 1, tl - wl - 1, &pd->info[pd->n])) { bad = 1; goto done; }
                memcpy(pd->tpl[pd->n], tpl, wl);
                pd->tpl[pd->n][wl] = '\0';
                pd->n++;
            }
            if (!pd->n) bad = 1;
        } else if (field_is(c, cl, "verb")) {
            size_t l1, l2, l3, l4, l5, l6;
            const char *pp = next_field(&p, le, &l1);
            const char *ps = next_field(&p, le, &l2);
            const char *rp = next_field(&p, le, &l3);
            const char *rs = next_field(&p, le, &l4);
            next_field(&p, le, &l5); /* the lemma, for people reading the file */
            uint32_t flags = 0, msg_flags = 0;
            uint8_t xflags = 0;
            while (p < le) {
                const char *f = next_field(&p, le, &l6);
                if (field_is(f, l6, "relay")) flags |= QW_RELAY_VERB;
                else if (field_is(f, l6, "needs-from")) flags |= QW_NEEDS_FROM;
                else if (field_is(f, l6, "impersonal")) msg_flags |= QW_IMPERSONAL;
                else if (field_is(f, l6, "direct")) xflags |= QX_DIRECT;
                else { bad = 1; goto done; }
            }
            /* "-" for a tense left out (يدعى "is called" spells يدعي "claims") */
            int no_present = field_is(rp, l3, "-");
            const paradigm *past = find_paradigm(par, n_par, pp, l1);
            const paradigm *pres = no_present ? NULL : find_paradigm(par, n_par, rp, l3);
            if (!past || (!pres && !no_present) || !l2 || (!l4 && !no_present) || !l5) { bad = 1; goto done; }
            if (add_forms(w, past, ps, l2, QW_VERB | flags, 0, xflags) ||
                (pres && add_forms(w, pres, rs, l4, QW_VERB | flags, msg_flags, xflags)))
                nomem = 1;
        } else if (field_is(c, cl, "participle")) {
            size_t l1, l2;
            const char *pn = next_field(&p, le, &l1);
            const char *st = next_field(&p, le, &l2);
            const paradigm *pd = find_paradigm(par, n_par, pn, l1);
            if (!pd || !l2) { bad = 1; goto done; }
            if (add_forms(w, pd, st, l2, QW_PARTICIPLE, 0, 0)) nomem = 1;
        } else if (field_is(c, cl, "source") || field_is(c, cl, "speech")) {
            int speech = field_is(c, cl, "speech");
            while (p < le && !nomem && !bad) {
                size_t l1;
                const char *ph = next_field(&p, le, &l1);
                int r = add_phrase(w, ph, l1, speech);
                if (r == -1) nomem = 1;
                else if (r) bad = 1;
            }
        } else {
            uint32_t cls = 0;
            uint8_t xcls = 0;
            for (size_t k = 0; k < sizeof simple_classes / sizeof *simple_classes; k++)
                if (field_is(c, cl, simple_classes[k].name)) {
                    cls = simple_classes[k].cls;
                    xcls = simple_classes[k].xcls;
                }
            if (!cls && !xcls) { bad = 1; goto done; }
            while (p < le && !nomem) {
                size_t l1;
                const char *word = next_field(&p, le, &l1);
                if (!l1) continue;
                if (memchr(word, ' ', l1)) { bad = 1; goto done; }
                size_t off = w->pool.len;
                if (kh_normalize_append(&w->pool, word, l1, KHABAR_FOLD_ALL) || add_word(w, off, cls, 0, xcls))
                    nomem = 1;
            }
        }
    done:
        if (nomem) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory loading 'quotes'");
        if (bad)
            return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data 'quotes' line %zu is damaged", line_no);
        s = next;
    }
    return KHABAR_OK;
}

khabar_status kh_quote_words_load(kh_quote_words **out, khabar_error *err)
{
    *out = NULL;
    kh_quote_words *w = calloc(1, sizeof *w);
    if (!w) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    khabar_status st = load_words(w, err);
    if (st) {
        kh_quote_words_free(w);
        return st;
    }
    *out = w;
    return KHABAR_OK;
}

void kh_quote_words_free(kh_quote_words *w)
{
    if (!w) return;
    kh_buf_free(&w->pool);
    free(w->slots);
    free(w);
}

size_t kh_quote_words_size(const kh_quote_words *w) { return w ? w->n : 0; }

/* ------------------------------------------------------------------ */
/* Per-document view                                                    */
/* ------------------------------------------------------------------ */

/* How far the searches around a cue look, in tokens. */
#define MIDDLE_MAX 30     /* from the verb to the complementizer */
#define NP_MAX 14         /* a speaker's noun phrase (titles and names run long) */
#define APPOSITION_MAX 12 /* "، رئيس التحرير الإداري لصحيفة «ذا صن»، إن" */
#define SPEAKER_GAP_MAX 8 /* "مسؤول (بارع) في الأحساء محمد العويفير": to the name's end */
#define BACK_MAX 64       /* back in the sentence for an antecedent */
#define TITLE_MAX 12       /* words of a quoted title (بعنوان «...») */
#define PREV_QUOTES 8     /* earlier quotes looked at for a pronoun's speaker */
#define PREV_SENTENCES 2  /* how many sentences back a pronoun may reach */
#define NOUN_MENTIONS 200 /* mentions looked at for a definite noun's antecedent */
#define MARK_STACK 32
#define MARK_SENTENCES 4  /* « may close this many sentences later */

typedef struct qctx {
    const kh_quote_words *w;
    const khabar_doc *d;
    const khabar_token *t;
    size_t n;
    uint32_t *cls;
    uint8_t *info;
    uint8_t *xcls;        /* QX_ classes */
    int32_t *pair;        /* quote marks: the partner mark, -1 */
    int32_t *men;         /* the mention covering the token, -1 (NULL: no mentions) */
    int32_t *cut;         /* the next "، وأضاف" at or after the token in its sentence */
    const kh_mention *mentions;
    size_t n_mentions, n_entities;
    kh_vec *out;
    size_t sent_first;    /* first quote of the current sentence in out */
    /* Of the current sentence, so that no cue looks through all its
     * quotes or all its words (a sentence may hold thousands of them): */
    size_t lead;          /* its first token that is not a joining word or punctuation */
    size_t verb_cue;      /* the first token of it that cued a quote as a verb, or SIZE_MAX */
    kh_vec clause_cues;   /* cue_at: its quotes that start a clause (finish_sentence) */
    kh_vec seen;          /* size_t: the spans kept, a set (finish_sentence) */
    kh_vec order;         /* cue_at: its kept quotes by start (finish_sentence) */
    kh_vec moved;         /* kh_quote (finish_sentence) */
} qctx;

/* A quote of the sentence, by a token (or a byte offset) and its place. */
typedef struct cue_at {
    size_t at, quote;
} cue_at;

static int by_place(const void *pa, const void *pb)
{
    const cue_at *a = pa, *b = pb;
    if (a->at != b->at) return a->at < b->at ? -1 : 1;
    return a->quote < b->quote ? -1 : a->quote > b->quote;
}


static int attached(const khabar_token *a, const khabar_token *b)
{
    return a->span.text + a->span.text_len == b->span.text;
}

/* The token's segments without its proclitics: the stem piece onwards,
 * alef folded, into buf.  Returns its length. */
static size_t bare_form(const khabar_token *tk, char *buf, size_t cap, int *article)
{
    const char *s = tk->segments;
    size_t n = strlen(s), a = 0;
    *article = 0;
    for (;;) {
        const char *plus = memchr(s + a, '+', n - a);
        if (!plus) break;
        size_t len = (size_t)(plus - (s + a));
        uint32_t cp, cp2;
        unsigned k = first_cp(s + a, len, &cp);
        int proclitic = 0;
        if (k == len) proclitic = cp == WAW || cp == FEH || cp == BEH || cp == LAM || cp == KAF || cp == SEEN;
        else if (len == 4 && k == 2) {
            first_cp(s + a + 2, 2, &cp2);
            if (cp == ALEF && cp2 == LAM) proclitic = *article = 1;
        }
        if (!proclitic) break;
        a += len + 1;
    }
    size_t len = n - a;
    if (len >= cap) len = cap - 1;
    memcpy(buf, s + a, len);
    buf[len] = '\0';
    kh_fold_alef_inplace(buf, len);
    /* what follows the stem is an enclitic: cut it */
    char *plus = memchr(buf, '+', len);
    if (plus) { *plus = '\0'; len = (size_t)(plus - buf); }
    return len;
}

/* The token starts with the proclitic و (و+..., or a lone و). */
static int starts_with_and(const khabar_token *tk)
{
    uint32_t cp;
    size_t n = strlen(tk->segments);
    unsigned k = first_cp(tk->segments, n, &cp);
    return cp == WAW && (k == n || tk->segments[k] == '+');
}

/* لوكالة: the preposition ل on an indefinite noun, which ends a speaker
 * (قال الوزير لوكالة ...); للأمم (with the article) does not. */
static int lam_indefinite(const khabar_token *tk)
{
    const char *s = tk->segments;
    size_t n = strlen(s);
    uint32_t cp, cp2;
    unsigned k = first_cp(s, n, &cp);
    if (cp != LAM || k >= n || s[k] != '+') return 0;
    if (n - k - 1 >= 5) {
        first_cp(s + k + 1, n - k - 1, &cp);
        first_cp(s + k + 3, n - k - 3, &cp2);
        if (cp == ALEF && cp2 == LAM && s[k + 5] == '+') return 0;
    }
    return 1;
}

/* The token ends with a pronoun (أصدرته، مقتله). */
static int has_enclitic(const khabar_token *tk) { return kh_segments_end_in_pronoun(tk->segments); }

static int is_word(const khabar_token *tk)
{
    return tk->kind == KHABAR_TOKEN_ARABIC || tk->kind == KHABAR_TOKEN_LATIN ||
           tk->kind == KHABAR_TOKEN_NUMBER;
}

static void classify(qctx *c, size_t i)
{
    const khabar_token *tk = &c->t[i];
    uint32_t cls = 0;
    uint8_t info = 0, xcls = 0;
    if (tk->kind == KHABAR_TOKEN_PUNCT || tk->kind == KHABAR_TOKEN_SYMBOL) {
        uint32_t cp;
        unsigned k = first_cp(tk->span.text, tk->span.text_len, &cp);
        int single = k == tk->span.text_len;
        if (cp == ARABIC_COMMA || cp == ',') cls = QT_COMMA;
        else if (cp == ':') cls = QT_COLON;
        else if (cp == '.' || cp == '!' || cp == '?' || cp == ARABIC_QUESTION_MARK ||
                 cp == ARABIC_SEMICOLON || cp == HORIZONTAL_ELLIPSIS || cp == ARABIC_FULL_STOP)
            cls = QT_END;
        else if (single && (cp == LEFT_GUILLEMET || cp == SINGLE_LEFT_ANGLE_QUOTE)) {
            cls = QT_OPEN;
            info = cp == LEFT_GUILLEMET ? MARK_GUILLEMET : MARK_SINGLE_ANGLE;
        } else if (single && (cp == RIGHT_GUILLEMET || cp == SINGLE_RIGHT_ANGLE_QUOTE)) {
            cls = QT_CLOSE;
            info = cp == RIGHT_GUILLEMET ? MARK_GUILLEMET : MARK_SINGLE_ANGLE;
        } else if (single && (cp == '"' || cp == LEFT_DOUBLE_QUOTE || cp == RIGHT_DOUBLE_QUOTE ||
                              cp == DOUBLE_LOW_9_QUOTE)) {
            /* Which way a double mark faces is read from its placement:
             * scraped text swaps “ and ”, and " faces both ways. */
            info = MARK_DOUBLE;
            int before = i > 0 && attached(&c->t[i - 1], tk);
            int after = i + 1 < c->n && attached(tk, &c->t[i + 1]);
            if (after && !before) cls = QT_OPEN;
            else if (before && !after) cls = QT_CLOSE;
            else if (before && after) {
                /* بـ"تخليص: after a lone proclitic it opens; after a word it closes;
                 * after a full stop (أقل."وتابع) it closes a quotation still
                 * open, else opens one (decided when pairing) */
                const khabar_token *p = &c->t[i - 1];
                uint32_t pc;
                first_cp(p->span.text, p->span.text_len, &pc);
                if (p->kind == KHABAR_TOKEN_PUNCT && (pc == '.' || pc == '!' || pc == '?' ||
                                                      pc == ARABIC_QUESTION_MARK || pc == HORIZONTAL_ELLIPSIS))
                    cls = QT_OPEN | QT_CLOSE;
                else
                    cls = (p->kind == KHABAR_TOKEN_ARABIC && strlen(p->norm) <= 2) ||
                                  p->kind == KHABAR_TOKEN_PUNCT
                              ? QT_OPEN
                              : QT_CLOSE;
            } else {
                cls = QT_OPEN | QT_CLOSE; /* spaced: decided when pairing */
                if (cp == LEFT_DOUBLE_QUOTE || cp == DOUBLE_LOW_9_QUOTE) cls |= QT_DQ_LEFT;
            }
        } else cls = QT_PUNCT;
    } else if (tk->kind == KHABAR_TOKEN_ARABIC) {
        size_t len = strlen(tk->norm);
        const qw_slot *e = find_word(c->w, tk->norm, len);
        if (e) { cls = e->classes; info = e->info; xcls = e->xclasses; }
        uint32_t cp;
        unsigned k = first_cp(tk->norm, len, &cp);
        if ((cp == WAW || cp == FEH) && len > k + 2) {
            const qw_slot *e2 = find_word(c->w, tk->norm + k, len - k);
            uint32_t allow = QW_VERB | QW_RELAY_VERB | QW_NEEDS_FROM | QW_IMPERSONAL | QW_BOUND | QW_AUX | QW_REL |
                             QW_STOP | QW_JOINER | (cp == WAW ? QW_SOURCE : 0);
            if (e2 && (e2->classes & allow)) {
                cls |= (e2->classes & allow) | QT_CONJ;
                if (!info) info = e2->info;
            }
            if (e2) xcls |= e2->xclasses & (QX_CLAUSE | QX_DIRECT); /* وبينما، وقال */
        }
        char bare[128];
        int art;
        if ((cls & QW_VERB) && (info & WASL)) {
            /* أعتقد is "I think", not اعتقد "he thought" (segments keep hamza) */
            const char *seg = tk->segments, *plus = strchr(seg, '+');
            const char *word = (cls & QT_CONJ) && plus ? plus + 1 : seg;
            uint32_t first;
            first_cp(word, strlen(word), &first);
            if (first == ALEF_HAMZA_ABOVE) cls &= ~(uint32_t)(QW_VERB | QW_RELAY_VERB | QW_IMPERSONAL);
        }
        /* فيها، عنه، حينها: still a preposition (short words only: cheap) */
        if (!(cls & QW_BOUND) && len <= 14 && has_enclitic(tk)) {
            size_t bl = bare_form(tk, bare, sizeof bare, &art);
            const qw_slot *e3 = bl ? find_word(c->w, bare, bl) : NULL;
            if (e3 && (e3->classes & (QW_BOUND | QW_STOP))) cls |= QW_BOUND;
        }
    } else if (tk->kind != KHABAR_TOKEN_LATIN && tk->kind != KHABAR_TOKEN_NUMBER) {
        cls = QT_PUNCT;
    }
    c->cls[i] = cls;
    c->info[i] = info;
    c->xcls[i] = xcls;
}

/* Pairs the quote marks of the sentences of one block, [s0, s1).  Straight
 * marks pair within a sentence; « and “ may close a few sentences later,
 * as long quotations run over sentence ends. */
static void pair_marks(qctx *c, size_t s0, size_t s1)
{
    size_t stack[MARK_STACK];
    size_t sent_of[MARK_STACK];
    size_t top = 0;
    for (size_t s = s0; s < s1; s++) {
        const khabar_sentence *sen = &KH_AT(c->d->sentences, khabar_sentence, s);
        /* marks that cannot reach this sentence stay unclosed */
        size_t keep = 0;
        for (size_t k = 0; k < top; k++) {
            const khabar_token *tk = &c->t[stack[k]];
            uint32_t cp;
            first_cp(tk->span.text, tk->span.text_len, &cp);
            int typed = cp != '"' && c->info[stack[k]] != 0;
            if (typed && s - sent_of[k] < MARK_SENTENCES) {
                stack[keep] = stack[k];
                sent_of[keep] = sent_of[k];
                keep++;
            }
        }
        top = keep;
        for (size_t i = sen->first_token; i < sen->first_token + sen->token_count; i++) {
            uint32_t u = c->cls[i];
            if (!(u & (QT_OPEN | QT_CLOSE))) continue;
            unsigned fam = c->info[i];
            int open = (u & QT_OPEN) != 0, close = (u & QT_CLOSE) != 0;
            size_t match = top;
            for (size_t k = top; k-- > 0 && top - k <= 4;)
                if (c->info[stack[k]] == fam) { match = k; break; }
            if (open && close) { /* a spaced double mark */
                if (match < top && !(u & QT_DQ_LEFT)) open = 0;
                else close = 0;
                c->cls[i] = (u & ~(uint32_t)(QT_OPEN | QT_CLOSE | QT_DQ_LEFT)) | (open ? QT_OPEN : QT_CLOSE);
            }
            if (close) {
                if (match < top) {
                    c->pair[i] = (int32_t)stack[match];
                    c->pair[stack[match]] = (int32_t)i;
                    top = match;
                }
                continue;
            }
            if (top == MARK_STACK) { /* too deep to be quotation: forget the oldest */
                memmove(stack, stack + 1, (MARK_STACK - 1) * sizeof *stack);
                memmove(sent_of, sent_of + 1, (MARK_STACK - 1) * sizeof *sent_of);
                top--;
            }
            stack[top] = i;
            sent_of[top] = s;
            top++;
        }
    }
}

static size_t sentence_end(const khabar_sentence *s) { return s->first_token + s->token_count; }

/* An opening mark at k begins quoted speech rather than a quoted name:
 * unclosed, or three words or more; where speech is expected (after a
 * colon or a complementizer), also a shorter quotation that ends the
 * sentence.  After a word that names what follows (بعنوان، فيلم), only a
 * passage longer than a title (في كتابه «...» quotes the book). */
static int speech_mark(const qctx *c, size_t k, size_t b, int expected)
{
    if (!(c->cls[k] & QT_OPEN)) return 0;
    int32_t p = c->pair[k];
    if (k > 0 && (c->cls[k - 1] & QW_NAMING) && (p < 0 || (size_t)p - k - 1 <= TITLE_MAX)) return 0;
    if (p < 0) return 1;
    size_t q = (size_t)p;
    if (q < k) return 0;
    if (q - k - 1 >= 3) return 1;
    return expected && (q + 1 >= b || (c->cls[q + 1] & QT_END));
}

/* Words that cannot be part of a speaker's noun phrase. */
#define NOT_NP (QW_VERB | QW_PARTICIPLE | QW_SOURCE | QW_COMP | QW_COMP_PRON | QW_BOUND | QW_STOP | \
                QW_REL | QW_AUX | QW_JOINER | QW_SAYING | QT_COMMA | QT_COLON | QT_END | QT_PUNCT | QT_CLOSE)

/* A phrase at f that begins with من: past an aside (من جهته، من جهة أخرى)
 * to what follows it, else SIZE_MAX: من العمر، من ضمن الصعوبات name no one
 * (يبلغ من العمر "is aged", يعتبر من "is among").  f when it is no من. */
static size_t past_aside(const qctx *c, size_t f, size_t lim)
{
    if (f >= lim || !(c->xcls[f] & QX_FROM_PREP)) return f;
    size_t k = f + 1;
    while (k < lim && k < f + 3 && (c->xcls[k] & QX_ASIDE)) k++;
    if (k == f + 1) return SIZE_MAX;
    if (k < lim && (c->cls[k] & QT_COMMA)) k++;
    return k;
}

/* A speaker's noun phrase starting at p (within [p, lim)): returns its end.
 * Quoted names inside are kept (حركة "حماس"). */
static size_t np_forward(const qctx *c, size_t p, size_t lim, int source)
{
    size_t start = p;
    while (p < lim && p - start < NP_MAX) {
        uint32_t u = c->cls[p];
        if (u & QT_OPEN) {
            /* a quoted name of a few words, closed before the phrase ends */
            if (c->pair[p] < 0 || (size_t)c->pair[p] >= lim || (size_t)c->pair[p] - p - 1 > 6) break;
            p = (size_t)c->pair[p] + 1;
            continue;
        }
        if (p > start && (u & QT_DATE)) break;
        if ((u & NOT_NP) || !is_word(&c->t[p])) break;
        if (p > start && (c->xcls[p] & QX_FROM_PREP) && p + 1 < lim && (c->xcls[p + 1] & QX_ASIDE)) break;
        if (p > start && lam_indefinite(&c->t[p])) break;
        /* a source's phrase ends at a verb with its object pronoun: تقرير
         * للأمم المتحدة أصدرته (a person's name may end like one: بيرك) */
        if (source && p > start + 1 && has_enclitic(&c->t[p])) {
            uint32_t cp;
            const char *plus = strrchr(c->t[p].segments, '+');
            first_cp(plus + 1, strlen(plus + 1), &cp);
            if (cp == HEH) break;
        }
        p++;
    }
    /* مصدر في الوزارة: a source noun alone takes its "في X" */
    if (p == start + 1 && p + 1 < lim && (c->cls[start] & QW_SOURCE_NOUN) && (c->cls[p] & QW_AFFIL) &&
        !(c->cls[p] & QT_CONJ) && is_word(&c->t[p + 1]) && !(c->cls[p + 1] & NOT_NP)) {
        size_t q = p + 1;
        while (q < lim && q - start < NP_MAX && is_word(&c->t[q]) && !(c->cls[q] & NOT_NP) &&
               !(c->cls[q] & QT_DATE))
            q++;
        p = q;
    }
    return p;
}

/* The subject alone at the start of [f, e), a verb's noun phrase that may
 * run on into its object when no complementizer closes it (أعلن الجيش مقتل
 * ...): up to the end of the first person named, else of a name in its
 * first words, else up to an indefinite word after a definite one. */
static size_t np_subject(const qctx *c, size_t f, size_t e)
{
    if (c->men) {
        size_t first_end = 0;
        for (size_t k = f; k < e; k++) {
            if (c->men[k] < 0) continue;
            const kh_mention *m = &c->mentions[c->men[k]];
            size_t end = m->last < e ? m->last : e;
            if (m->type == KH_ENTITY_PER) return end;
            if (!first_end && k < f + 3) first_end = end;
        }
        if (first_end) return first_end;
    }
    int definite = 0;
    for (size_t k = f; k < e; k++) {
        char buf[128];
        int art;
        bare_form(&c->t[k], buf, sizeof buf, &art);
        if (definite && !art && c->t[k].kind == KHABAR_TOKEN_ARABIC) return k;
        definite |= art;
    }
    return e;
}

/* ------------------------------------------------------------------ */
/* Speakers and entities                                                */
/* ------------------------------------------------------------------ */

static const kh_mention *mention_at(const qctx *c, size_t k)
{
    if (!c->men || c->men[k] < 0) return NULL;
    return &c->mentions[c->men[k]];
}

static int entity_ok(const qctx *c, size_t e) { return e < c->n_entities; }

/* How well a mention in a speaker's part starting at `part` names who
 * speaks: a person, then an organisation, then anything else; a place only
 * when it heads the part (أعلنت مصر), never from inside a role or a
 * description (مدير المستشفى الجهوي ببن قردان، الصحيفة البريطانية). */
static int speaker_rank(const kh_mention *m, size_t part)
{
    switch (m->type) {
    case KH_ENTITY_PER: return 3;
    case KH_ENTITY_ORG: return 2;
    case KH_ENTITY_LOC: return m->first == part;
    default: return 1;
    }
}

/* Entities of the speaker phrase [f, e): one per coordinated part (split at
 * و), each the part's person if it names one (a title and role before a
 * name belong to the name), else its organisation, else its first other
 * mention (a place only at the part's head). */
static void resolve_entities(const qctx *c, size_t f, size_t e, kh_quote *q)
{
    q->entity = KH_NO_ENTITY;
    q->n_entities = 0;
    if (!c->men) return;
    const kh_mention *best = NULL;
    size_t part = f;
    for (size_t k = f; k <= e; k++) {
        int split = k == e || (k > f && starts_with_and(&c->t[k]));
        if (split) part = k;
        if (split && best) {
            size_t ent = best->entity;
            int seen = 0;
            for (size_t j = 0; j < q->n_entities; j++) seen |= q->entities[j] == ent;
            if (!seen && entity_ok(c, ent) && q->n_entities < KH_QUOTE_MAX_ENTITIES)
                q->entities[q->n_entities++] = ent;
            best = NULL;
        }
        if (k == e) break;
        const kh_mention *m = mention_at(c, k);
        if (m && m->first == k && speaker_rank(m, part) > (best ? speaker_rank(best, part) : 0)) best = m;
    }
    if (q->n_entities) q->entity = q->entities[0];
}

/* Byte length, in the token as written, of a proclitic whose normal form
 * is `norm_len` bytes (one letter plus any marks or tatweel after it). */
static size_t written_prefix(const khabar_token *tk, size_t norm_len)
{
    const unsigned char *s = (const unsigned char *)tk->span.text;
    size_t n = tk->span.text_len, i = 0, seen = 0;
    while (i < n && seen < norm_len) {
        uint32_t cp;
        unsigned k = kh_utf8_decode(s + i, n - i, &cp);
        if (!k) return 0;
        i += k;
        if (!kh_is_arabic_mark(cp) && cp != TATWEEL) seen += k;
    }
    while (i < n) {
        uint32_t cp;
        unsigned k = kh_utf8_decode(s + i, n - i, &cp);
        if (!k || (!kh_is_arabic_mark(cp) && cp != TATWEEL)) break;
        i += k;
    }
    return i;
}

/* Bytes of a ب، ك or ل written on the word (بالخبير), which are not part
 * of a speaker's name; 0 for للمجلة, whose article lost its alef. */
static size_t preposition_skip(const khabar_token *tk)
{
    const char *s = tk->segments;
    size_t n = strlen(s);
    uint32_t cp, cp2;
    unsigned k = first_cp(s, n, &cp);
    if ((cp != BEH && cp != KAF && cp != LAM) || k >= n || s[k] != '+' || strlen(tk->norm) <= k) return 0;
    first_cp(tk->norm + k, strlen(tk->norm) - k, &cp2);
    if (cp == LAM && cp2 == LAM) return 0;
    return written_prefix(tk, k);
}

static void set_speaker(const qctx *c, kh_quote *q, size_t f, size_t e, size_t skip)
{
    q->speaker_first = f;
    q->speaker_last = e;
    q->speaker_skip = skip;
    if (f >= e) return;
    const khabar_token *a = &c->t[f];
    if (skip > a->span.text_len) skip = a->span.text_len;
    q->speaker_skip = skip;
    q->speaker_start = kh_doc_input_start(c->d, (size_t)(a->span.text - c->d->text.data) + skip);
    q->speaker_end = c->t[e - 1].span.end;
}

/* The speaker is mention m (a pronoun's antecedent). */
static void speaker_from_mention(const qctx *c, kh_quote *q, const kh_mention *m)
{
    size_t skip = 0;
    const khabar_token *a = &c->t[m->first];
    if (m->start > a->span.start && m->start - a->span.start < a->span.text_len)
        skip = m->start - a->span.start;
    set_speaker(c, q, m->first, m->last, skip);
    q->entity = KH_NO_ENTITY;
    q->n_entities = 0;
    if (entity_ok(c, m->entity)) {
        q->entity = m->entity;
        q->entities[0] = m->entity;
        q->n_entities = 1;
    }
    q->anaphoric = 1;
}

static void speaker_from_quote(kh_quote *q, const kh_quote *p)
{
    q->speaker_first = p->speaker_first;
    q->speaker_last = p->speaker_last;
    q->speaker_skip = p->speaker_skip;
    q->speaker_start = p->speaker_start;
    q->speaker_end = p->speaker_end;
    q->entity = p->entity;
    q->n_entities = p->n_entities;
    memcpy(q->entities, p->entities, sizeof q->entities);
    q->anaphoric = 1;
}

static long sentence_of(const qctx *c, size_t tok) { return c->t[tok].sentence; }

enum { UP_TO_HERE, SAME_SENTENCE, EARLIER_SENTENCES };

/* The latest quote with a speaker within PREV_SENTENCES sentences before
 * sentence `s` (or earlier in it), of a compatible gender. */
static const kh_quote *previous_speaker(const qctx *c, long s, unsigned gender, int which)
{
    const kh_quote *qs = c->out->data;
    size_t n = c->out->len, seen = 0;
    for (size_t i = n; i-- > 0 && seen < PREV_QUOTES; seen++) {
        const kh_quote *p = &qs[i];
        if (p->speaker_first >= p->speaker_last) continue;
        size_t anchor = p->cue_first < p->cue_last ? p->cue_first : p->text_first;
        long ps = sentence_of(c, anchor);
        if (ps > s || (which == EARLIER_SENTENCES && ps == s)) continue;
        if (s - ps > (which == SAME_SENTENCE ? 0 : PREV_SENTENCES)) break;
        if (gender && p->gender && gender != p->gender) continue;
        return p;
    }
    return NULL;
}

static int type_fits(kh_entity_type type, unsigned gender)
{
    if (gender == G_F) return type == KH_ENTITY_PER || type == KH_ENTITY_ORG || type == KH_ENTITY_LOC;
    return type == KH_ENTITY_PER;
}

/* The nearest mention before token `to`, back to token `from`, that could
 * be the subject of a verb of this gender. */
static const kh_mention *mention_before(const qctx *c, size_t from, size_t to, unsigned gender)
{
    if (!c->men) return NULL;
    size_t lim = to > from + BACK_MAX ? to - BACK_MAX : from;
    for (size_t k = to; k-- > lim;) {
        const kh_mention *m = mention_at(c, k);
        if (m && type_fits(m->type, gender)) return m;
    }
    return NULL;
}

/* A pronoun subject: an earlier speaker, or a person (an organisation or
 * place for a feminine verb) named just before. */
static void resolve_pronoun(const qctx *c, kh_quote *q, size_t cue, size_t a, unsigned gender)
{
    long s = sentence_of(c, cue);
    const kh_quote *p = previous_speaker(c, s, gender, UP_TO_HERE);
    if (p) { speaker_from_quote(q, p); return; }
    const kh_mention *m = mention_before(c, a, cue, gender);
    if (!m) {
        /* the previous sentences of the paragraph */
        const khabar_sentence *sens = c->d->sentences.data;
        size_t si = (size_t)s;
        for (size_t back = 1; back <= PREV_SENTENCES && back <= si && !m; back++) {
            const khabar_sentence *ps = &sens[si - back];
            if (ps->block != sens[si].block) break;
            m = mention_before(c, ps->first_token, sentence_end(ps), gender);
        }
    }
    if (m) speaker_from_mention(c, q, m);
}

/* A definite noun as speaker (الصحيفة، الحركة، الوزارة) refers to the
 * nearest entity introduced with that noun earlier (صحيفة "X"، وزارة X). */
static void resolve_definite_noun(const qctx *c, kh_quote *q, size_t f, size_t e)
{
    if (!c->men || e - f > 2 || q->n_entities) return;
    char head[128];
    int art;
    size_t hl = bare_form(&c->t[f], head, sizeof head, &art);
    if (!art || !hl) return;
    const char *hstem = c->t[f].stem;
    /* mentions before the phrase (they are in text order), nearest first */
    size_t lo = 0, hi = c->n_mentions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->mentions[mid].first < f) lo = mid + 1;
        else hi = mid;
    }
    size_t mi = lo, looked = 0;
    for (size_t j = mi; j-- > 0 && looked < NOUN_MENTIONS; looked++) {
        const kh_mention *m = &c->mentions[j];
        if (m->first >= f) continue;
        /* the noun is the mention's first word or up to three words before it */
        size_t k = m->first + 1, steps = 0;
        while (k-- > 0 && steps <= 3) {
            if (k < m->first && c->t[k].sentence != c->t[m->first].sentence) break;
            if (c->cls[k] & (QT_OPEN | QT_CLOSE)) continue;
            if (!is_word(&c->t[k])) break;
            steps++;
            if (!strcmp(c->t[k].stem, hstem)) {
                /* صحيفة "X" البريطانية: the newspaper, not its country (a
                 * nearer mention of it, or none) */
                if (m->type == KH_ENTITY_LOC && k < m->first) break;
                if (entity_ok(c, m->entity)) {
                    q->entity = m->entity;
                    q->entities[0] = m->entity;
                    q->n_entities = 1;
                    q->anaphoric = 1;
                }
                return;
            }
        }
    }
}

/* A speaker's noun phrase that ends right before the verb at the start of
 * its clause (الوزير أكد، وكان الوزير قد أعلن، الوزير الذي قال، ...،
 * والمعارضة تقول). */
static int np_before(const qctx *c, size_t cue, size_t a, size_t *f_out, size_t *e_out)
{
    size_t j = cue;
    while (j > a && (c->cls[j - 1] & QW_AUX) && !(c->cls[j - 1] & QW_BOUND)) j--;
    int relative = j > a && (c->cls[j - 1] & QW_REL);
    size_t e = relative ? j - 1 : j, f = e;
    if (relative) {
        /* the antecedent: the name that ends there, else the word */
        if (e <= a || !is_word(&c->t[e - 1]) || (c->cls[e - 1] & NOT_NP)) return 0;
        const kh_mention *m = mention_at(c, e - 1);
        *f_out = m && m->last == e && m->first >= a ? m->first : e - 1;
        *e_out = e;
        return 1;
    }
    while (f > a && e - f < NP_MAX) {
        size_t k = f - 1;
        uint32_t u = c->cls[k];
        if ((u & QT_CLOSE) && c->pair[k] >= 0 && (size_t)c->pair[k] >= a && (size_t)c->pair[k] < k) {
            f = (size_t)c->pair[k];
            continue;
        }
        if ((u & (NOT_NP | QT_OPEN | QT_DATE)) || !is_word(&c->t[k])) break;
        f = k;
    }
    if (f == e) return 0;
    /* "من جهتها بطلة الفيلم الممثلة أنيسة داود قالت": past the aside */
    size_t g = past_aside(c, f, e);
    if (g == SIZE_MAX || g >= e) return 0;
    /* the phrase must open its clause: the sentence, or reported content
     * (أكد أن الحكومة قالت) */
    size_t s0 = f, a0 = a, start = f;
    f = g;
    while (a0 < f && (c->cls[a0] & (QT_OPEN | QT_PUNCT | QW_JOINER))) a0++; /* «النظام نفسه يقول */
    if (s0 > a0 && (c->cls[s0 - 1] & QW_AUX)) s0--;
    if (s0 != a0 && !(c->cls[s0 - 1] & (QW_COMP | QW_COMP_PRON))) {
        /* or a clause of its own (بينما الدكتور X يرى), its subject a
         * definite noun or a name: not a verb (كما ابتسم ثم قال) */
        int opens = (c->xcls[s0 - 1] & QX_CLAUSE) || ((c->cls[s0 - 1] & QT_COMMA) && starts_with_and(&c->t[start]));
        if (!opens || s0 != start) return 0;
        char buf[128];
        int art;
        bare_form(&c->t[f], buf, sizeof buf, &art);
        const kh_mention *m = mention_at(c, f);
        if (!art && !(m && m->first == f)) return 0;
    }
    *f_out = f;
    *e_out = e;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Cues                                                                 */
/* ------------------------------------------------------------------ */

enum { ANCHOR_NONE, ANCHOR_COMP, ANCHOR_COLON, ANCHOR_OPEN, ANCHOR_FIRST_PERSON };

/* Where the reported content of the cue at i begins: the complementizer,
 * colon or opening mark of its clause. */
static int find_anchor(const qctx *c, size_t i, size_t b, size_t window, size_t *at)
{
    size_t lim = i + 1 + window < b ? i + 1 + window : b;
    unsigned commas = 0;
    for (size_t k = i + 1; k < lim; k++) {
        uint32_t u = c->cls[k];
        /* "وقال انا مع ...": direct speech with no marks after a verb of
         * saying, opened by a first-person word (not a name: أنا ماري) */
        if ((c->xcls[k] & QX_FIRST_PERSON) && (c->xcls[i] & QX_DIRECT) && !(c->cls[k] & QT_CONJ) &&
            !mention_at(c, k) && !(k + 1 < lim && mention_at(c, k + 1) && mention_at(c, k + 1)->first == k + 1 &&
                                   mention_at(c, k + 1)->type == KH_ENTITY_PER)) {
            *at = k;
            return ANCHOR_FIRST_PERSON;
        }
        if (u & (QW_COMP | QW_COMP_PRON)) {
            if (k > i + 1 && (c->cls[k - 1] & QW_NOT_COMP)) return ANCHOR_NONE;
            *at = k;
            return ANCHOR_COMP;
        }
        if (u & QT_COLON) { *at = k; return ANCHOR_COLON; }
        if (u & QT_OPEN) {
            /* speech, not a name in quotes (أكدت شركة «X» في تقرير): long,
             * unclosed, or closing its clause */
            int32_t p = c->pair[k];
            /* لـ«المجلس الإسلامي»: after a preposition it is a name */
            int named = k > i + 1 && (c->cls[k - 1] & QW_BOUND);
            if (!named && speech_mark(c, k, b, 0) &&
                (p < 0 || (size_t)p - k - 1 >= 8 || (size_t)p + 1 >= b ||
                 (c->cls[p + 1] & (QT_END | QT_COMMA | QT_COLON | QW_PARTICIPLE)))) {
                *at = k;
                return ANCHOR_OPEN;
            }
            if (p > (int32_t)k) k = (size_t)p;
            continue;
        }
        if (u & (QT_END | QW_STOP | QW_VERB)) return ANCHOR_NONE;
        /* مصادر متابعة: after a noun without a comma, an adjective */
        if ((u & QW_PARTICIPLE) && (c->cls[k - 1] & QT_COMMA)) return ANCHOR_NONE;
        if (u & QT_COMMA) {
            uint32_t v = k + 1 < b ? c->cls[k + 1] : 0;
            if (v & (QW_COMP | QW_COMP_PRON | QT_COLON | QT_OPEN | QW_BOUND | QT_DATE)) continue;
            /* otherwise only an apposition: "، راجح بادي، إن" */
            if (++commas > 2) return ANCHOR_NONE;
            size_t j = k + 1;
            while (j < lim && j < k + APPOSITION_MAX &&
                   !(c->cls[j] & (QT_COMMA | QW_COMP | QW_COMP_PRON | QT_COLON | QT_END | QW_STOP | QW_VERB |
                                  QW_PARTICIPLE)))
                j++;
            if (j >= lim || j >= k + APPOSITION_MAX ||
                (c->cls[j] & (QT_END | QW_STOP | QW_VERB | QW_PARTICIPLE)))
                return ANCHOR_NONE;
            /* without a comma to close it, only a name or a short title */
            if (!(c->cls[j] & QT_COMMA) && j - k - 1 > 3) return ANCHOR_NONE;
            k = j - 1;
        }
    }
    return ANCHOR_NONE;
}

/* Sets the text of a quote whose content begins at anchor `at`: a quoted
 * span when a mark opens it, else the clause to be cut at the next
 * attribution (text_last = 0 until then). */
static void set_content(const qctx *c, kh_quote *q, int kind, size_t at, size_t b)
{
    size_t k = at;
    if ((kind == ANCHOR_COMP && (c->cls[at] & QW_COMP_PRON)) || kind == ANCHOR_FIRST_PERSON)
        k = at; /* أنها تعتبر، وقال انا مع: keep the subject */
    else if (kind != ANCHOR_OPEN) k = at + 1;
    if (kind != ANCHOR_OPEN && k < b && speech_mark(c, k, b, 1)) kind = ANCHOR_OPEN;
    if (kind == ANCHOR_OPEN) {
        size_t open = k < b && (c->cls[k] & QT_OPEN) ? k : at;
        q->direct = 1;
        q->text_first = open + 1;
        q->text_last = c->pair[open] > (int32_t)open ? (size_t)c->pair[open] : b;
        return;
    }
    q->text_first = k;
    q->text_last = 0;
}

static int is_trimmable_end(const qctx *c, size_t k, size_t first)
{
    uint32_t u = c->cls[k];
    if (u & (QT_COMMA | QT_COLON | QT_END)) return 1;
    if ((u & QT_CLOSE) && (c->pair[k] < 0 || (size_t)c->pair[k] < first)) return 1;
    if ((u & QT_OPEN) && (c->pair[k] < 0 || (size_t)c->pair[k] > k)) return 1;
    return 0;
}

static kh_quote *push_quote(qctx *c)
{
    kh_quote *q = kh_vec_push(c->out, sizeof *q);
    if (!q) return NULL;
    q->entity = KH_NO_ENTITY;
    return q;
}

/* Where a quote starts a new clause of attribution, which ends the
 * reported content of the quote before it: at its cue (وأضاف، مشيرا،
 * "، قال", and after a word that opens a clause: بينما يرى، كما أكد), or at
 * its speaker when the phrase comes first (بينما الدكتور X يرى); SIZE_MAX
 * when it starts none. */
static size_t clause_start(const qctx *c, const kh_quote *q, size_t a)
{
    if (q->cue_first >= q->cue_last) return SIZE_MAX;
    size_t k = q->cue_first;
    if ((c->cls[k] & (QT_CONJ | QW_PARTICIPLE | QW_SOURCE)) || (k > a && (c->cls[k - 1] & QT_COMMA))) return k;
    if (k > a && (c->xcls[k - 1] & QX_CLAUSE)) return k;
    size_t f = q->speaker_first, e = q->speaker_last;
    if (q->anaphoric || f >= e || f <= a || e > k || k - e > 2) return SIZE_MAX;
    /* بينما الدكتور X يرى، والمعارضة تقول، إلا أن المنتقدين يرون */
    if ((c->xcls[f - 1] & QX_CLAUSE) || ((c->cls[f - 1] & QT_COMMA) && starts_with_and(&c->t[f]))) return f;
    if (f - 1 > a && (c->cls[f - 1] & QW_COMP) && (c->xcls[f - 2] & QX_CLAUSE)) return f - 1;
    return SIZE_MAX;
}

/* Whether quote qs[at] has the span of a quote in the set (open
 * addressing over a power-of-two table of quote places plus one, 0 the
 * empty slot); adds it when not. */
static int seen_before(size_t *set, size_t mask, const kh_quote *qs, size_t at)
{
    size_t span[2] = {qs[at].start, qs[at].end};
    size_t i = (size_t)kh_hash(span, sizeof span) & mask;
    for (; set[i]; i = (i + 1) & mask)
        if (qs[set[i] - 1].start == span[0] && qs[set[i] - 1].end == span[1]) return 1;
    set[i] = at + 1;
    return 0;
}

static int finish_sentence(qctx *c, size_t a, size_t b)
{
    kh_quote *qs = c->out->data;
    size_t n = c->out->len;
    /* the cues that start a clause, in text order: a reported content ends
     * at the first after it */
    kh_vec *cues = &c->clause_cues;
    cues->len = 0;
    for (size_t k = c->sent_first; k < n; k++) {
        size_t at = clause_start(c, &qs[k], a);
        if (at == SIZE_MAX) continue;
        cue_at *x = kh_vec_push(cues, sizeof *x);
        if (!x) return -1;
        *x = (cue_at){at, k};
    }
    cue_at *cs = cues->data;
    if (cues->len > 1) qsort(cs, cues->len, sizeof *cs, by_place);
    for (size_t j = c->sent_first; j < n; j++) {
        kh_quote *q = &qs[j];
        if (q->text_last == 0) {
            size_t end = q->text_first < b ? (size_t)c->cut[q->text_first] : b;
            size_t lo = 0, hi = cues->len;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (cs[mid].at <= q->text_first) lo = mid + 1;
                else hi = mid;
            }
            while (lo < cues->len && cs[lo].quote == j) lo++;
            int by_cue = lo < cues->len && cs[lo].at < end;
            if (by_cue) end = cs[lo].at;
            /* ... وذلك بحسب، ... في حين يرى: the joining words go with the attribution */
            while (end > q->text_first && (is_trimmable_end(c, end - 1, q->text_first) ||
                                            (end < b && (c->cls[end - 1] & QW_JOINER)) ||
                                            (by_cue && (c->xcls[end - 1] & QX_CLAUSE)) ||
                                            (by_cue && (c->xcls[end] & QX_CLAUSE) && (c->cls[end - 1] & QW_AFFIL))))
                end--;
            q->text_last = end;
        } else {
            while (q->text_last > q->text_first && is_trimmable_end(c, q->text_last - 1, q->text_first))
                q->text_last--;
        }
        while (q->text_first < q->text_last &&
               ((c->cls[q->text_first] & (QT_COMMA | QT_COLON)) ||
                ((c->cls[q->text_first] & QT_CLOSE) &&
                 (c->pair[q->text_first] < 0 || (size_t)c->pair[q->text_first] < q->text_first))))
            q->text_first++;
    }
    /* drop empty ones and repeats of the same text (the first is kept),
     * then order by start, quotes of one start as they came */
    size_t mask = 0, *set = NULL;
    if (n > c->sent_first) {
        size_t cap = 16;
        while (cap < 2 * (n - c->sent_first)) cap *= 2;
        c->seen.len = 0;
        while (c->seen.cap < cap)
            if (kh_vec_grow(&c->seen, sizeof *set)) return -1;
        set = c->seen.data;
        memset(set, 0, cap * sizeof *set);
        mask = cap - 1;
    }
    size_t w = c->sent_first;
    int sorted = 1;
    for (size_t j = c->sent_first; j < n; j++) {
        kh_quote *q = &qs[j];
        if (q->text_first >= q->text_last) continue;
        q->start = c->t[q->text_first].span.start;
        q->end = c->t[q->text_last - 1].span.end;
        if (w != j) qs[w] = *q;
        if (seen_before(set, mask, qs, w)) continue;
        if (w > c->sent_first && qs[w - 1].start > qs[w].start) sorted = 0;
        w++;
    }
    c->out->len = w;
    if (sorted) return 0;
    size_t kept = w - c->sent_first;
    c->order.len = c->moved.len = 0;
    while (c->order.cap < kept)
        if (kh_vec_grow(&c->order, sizeof(cue_at))) return -1;
    while (c->moved.cap < kept)
        if (kh_vec_grow(&c->moved, sizeof(kh_quote))) return -1;
    cue_at *order = c->order.data;
    kh_quote *moved = c->moved.data;
    for (size_t k = 0; k < kept; k++) order[k] = (cue_at){qs[c->sent_first + k].start, k};
    qsort(order, kept, sizeof *order, by_place);
    for (size_t k = 0; k < kept; k++) moved[k] = qs[c->sent_first + order[k].quote];
    memcpy(qs + c->sent_first, moved, kept * sizeof *moved);
    return 0;
}

/* The text quoted before the verb (“...”، قال الوزير): the mark pair that
 * closes just before it. */
static int quote_before(const qctx *c, size_t i, size_t a, size_t *open, size_t *close)
{
    size_t k = i;
    if (k > a && (c->cls[k - 1] & QT_COMMA)) k--;
    if (k == 0 || !(c->cls[k - 1] & QT_CLOSE) || c->pair[k - 1] < 0) return 0;
    size_t o = (size_t)c->pair[k - 1];
    if (o >= k - 1 || k - 1 - o - 1 < 3) return 0;
    *open = o;
    *close = k - 1;
    return 1;
}

/* The sentence's quote cued at token k, or NULL.  While the sentence's
 * cues are read, its quotes are in the order of their cues, one a token
 * (kh_find_quotes), so a binary search finds it. */
static const kh_quote *quote_cued_at(const qctx *c, size_t k)
{
    const kh_quote *qs = c->out->data;
    size_t lo = c->sent_first, hi = c->out->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (qs[mid].cue_first < k) lo = mid + 1;
        else hi = mid;
    }
    return lo < c->out->len && qs[lo].cue_first == k ? &qs[lo] : NULL;
}

/* The subject of the nearest reporting verb before the cue in its
 * sentence, for a participle or a verb without one (أعلن الجيش ...، مؤكدا
 * أن; ونفت الوزيرة ...، وقالت). */
static int subject_of_verb_before(const qctx *c, kh_quote *q, size_t i, size_t a)
{
    size_t lim = i > a + BACK_MAX ? i - BACK_MAX : a;
    unsigned g = INFO_GENDER(c->info[i]);
    for (size_t k = i; k-- > lim;) {
        if (!(c->cls[k] & QW_VERB)) continue;
        unsigned gk = INFO_GENDER(c->info[k]);
        if (g && gk && g != gk) continue;
        /* that verb's own quote knows its speaker best (its phrase ran to
         * the complementizer) */
        const kh_quote *own = quote_cued_at(c, k);
        if (own && own != q && own->speaker_first < own->speaker_last) {
            speaker_from_quote(q, own);
            return 1;
        }
        /* "تفريغ ونقل البضائع": نقل without a quote of its own is "transport" */
        if (!own && (c->cls[k] & QW_NEEDS_FROM)) continue;
        size_t f = past_aside(c, k + 1, i);
        if (f == SIZE_MAX) return 0;
        if (f < i && lam_indefinite(&c->t[f])) return 0;
        size_t e = np_subject(c, f, np_forward(c, f, i, 0));
        if (e <= f) return 0;
        set_speaker(c, q, f, e, 0);
        resolve_entities(c, f, e, q);
        resolve_definite_noun(c, q, f, e);
        q->anaphoric = 1;
        return 1;
    }
    return 0;
}

/* Whether a word carries the preposition ب or ل (بالرئيس، وللوزير). */
static int has_preposition(const khabar_token *tk)
{
    if (tk->kind != KHABAR_TOKEN_ARABIC || !tk->segments) return 0;
    for (const char *p = tk->segments;;) {
        const char *plus = strchr(p, '+');
        uint32_t cp;
        if (!plus || first_cp(p, (size_t)(plus - p), &cp) != (unsigned)(plus - p)) return 0;
        if (cp == BEH || cp == LAM) return 1;
        if (cp != WAW && cp != FEH) return 0;
        p = plus + 1;
    }
}

/* The end of a verb's subject phrase [f, e) that names no person, when a
 * person's name ends right at the anchor `at` (or at a comma before it)
 * within a few words, with no verb, quotation, source phrase or sentence
 * break before it and not as a preposition's object (قال الوزير خلال
 * لقائه بالرئيس محمد مرسي إن: the minister speaks): the name's end, else e
 * unchanged. */
static size_t speaker_named_later(const qctx *c, size_t f, size_t e, size_t at)
{
    if (at - e > SPEAKER_GAP_MAX) return e;
    for (size_t k = f; k < e; k++) {
        const kh_mention *m = mention_at(c, k);
        if (m && m->type == KH_ENTITY_PER) return e;
    }
    /* the name set off by commas: "مفوضة الشرطة في مدريد، كونثيبثيون دانكاوسا، بأن" */
    size_t end = at - 1 > e && (c->cls[at - 1] & QT_COMMA) ? at - 1 : at;
    const kh_mention *m = mention_at(c, end - 1);
    if (!m || m->type != KH_ENTITY_PER || m->last != end || m->first <= e) return e;
    for (size_t k = e; k < m->first; k++) {
        uint32_t u = c->cls[k];
        if ((u & QT_OPEN) && c->pair[k] >= 0 && (size_t)c->pair[k] < m->first) continue; /* (بارع) */
        if ((u & QW_BOUND) && (u & QW_AFFIL)) continue; /* في الأحساء */
        if (u & (QW_VERB | QW_PARTICIPLE | QW_SAYING | QW_COMP | QW_COMP_PRON | QW_REL | QW_AUX | QW_BOUND |
                 QW_SOURCE | QT_END | QT_COLON | QT_OPEN | QT_DATE))
            return e;
    }
    if (has_preposition(&c->t[m->first - 1]) || has_preposition(&c->t[m->first])) return e;
    return end;
}

/* The end of a subject phrase [f, e) that runs on past a person's name
 * into a preposition's phrase (قال القصبي بتأثر كبير إنها, قال الوزير
 * أحمد لقناة العربية إن): the name's end, else e. */
static size_t speaker_ends_at_name(const qctx *c, size_t f, size_t e)
{
    size_t open_until = 0; /* a bracket or quotation opened and not yet closed */
    for (size_t k = f; k < e; k++) {
        if ((c->cls[k] & QT_OPEN) && c->pair[k] >= 0 && (size_t)c->pair[k] > open_until)
            open_until = (size_t)c->pair[k];
        const kh_mention *m = mention_at(c, k);
        if (!m || m->type != KH_ENTITY_PER) continue;
        if (m->last < e && m->last > f && m->last > open_until && has_preposition(&c->t[m->last]))
            return m->last;
        if (m->last > k) k = m->last - 1;
    }
    return e;
}

static int verb_cue(qctx *c, size_t i, size_t a, size_t b)
{
    size_t at = 0;
    unsigned gender = INFO_GENDER(c->info[i]);
    int kind = find_anchor(c, i, b, MIDDLE_MAX, &at);
    size_t open = 0, close = 0;
    int before = 0;
    if (kind == ANCHOR_NONE) {
        if (!quote_before(c, i, a, &open, &close)) return 0;
        before = 1;
    } else if ((c->cls[i] & QW_IMPERSONAL) && kind == ANCHOR_COMP &&
               (at == i + 1 || (at <= i + 3 && (c->cls[i + 1] & (QW_JOINER | QW_BOUND)) &&
                                (c->cls[at - 1] & (QW_JOINER | QW_BOUND))))) {
        return 0; /* ويذكر أن، يذكر هنا أن: "it is worth mentioning" */
    } else if (c->cls[i] & QW_NEEDS_FROM) {
        size_t k = i + 1;
        while (k < at && !(c->cls[k] & QW_FROM)) k++;
        /* ونقلوا إلى المستشفى: carried, not quoted; نقلت رويترز أن: quoted */
        if (k == at && at - i > 5) return 0;
    }
    kh_quote *q = push_quote(c);
    if (!q) return -1;
    q->cue_first = i;
    q->cue_last = i + 1;
    q->gender = gender & 3u;
    if (before) {
        q->direct = 1;
        q->text_first = open + 1;
        q->text_last = close;
    } else {
        set_content(c, q, kind, at, b);
    }
    size_t lim = before ? b : at;
    size_t f = i + 1;
    /* "أعلن فيه رئيس الحكومة، قال له القذافي": a pronoun's preposition
     * before the subject */
    if (f < lim && (c->cls[f] & QW_BOUND) && ((c->cls[f] & QW_PRON_PREP) || has_enclitic(&c->t[f]))) f++;
    /* "وقال من جهته الوزير": past the aside; "يبلغ من العمر": no subject */
    size_t g = past_aside(c, f, lim);
    int no_subject = g == SIZE_MAX;
    if (!no_subject) f = g;
    /* "وأضاف لقناة X أنه": no subject, a preposition's phrase */
    size_t e = no_subject || (f < lim && lam_indefinite(&c->t[f])) ? f : np_forward(c, f, lim, 0);
    /* an apposition: "قال المتحدث باسم الحكومة، راجح بادي، إن" */
    if (!before && e > f && e < at && (c->cls[e] & QT_COMMA)) {
        size_t e2 = np_forward(c, e + 1, at, 0);
        if (e2 > e + 1 && e2 - e - 1 < APPOSITION_MAX && (e2 == at || ((c->cls[e2] & QT_COMMA) && e2 + 1 == at)))
            e = e2;
    }
    /* "وأكد مسؤول (بارع) في الأحساء محمد العويفير أن": a bracket or a
     * place cut the subject's phrase short of the person it names */
    if (!before && e > f && e < at) e = speaker_named_later(c, f, e, at);
    if (e > f) e = speaker_ends_at_name(c, f, e);
    /* نقلت الوكالة عن مسؤول قوله: the one quoted is after عن */
    if (!before && (c->cls[i] & QW_RELAY_VERB)) {
        for (size_t k = e; k < at; k++) {
            if (!(c->cls[k] & QW_FROM)) continue;
            size_t e2 = np_forward(c, k + 1, at, 0);
            if (e2 > k + 1 && (e2 == at || (c->cls[e2] & QW_SAYING))) { f = k + 1; e = e2; }
            break;
        }
    }
    if (e > f) {
        set_speaker(c, q, f, e, 0);
        resolve_entities(c, f, e, q);
        resolve_definite_noun(c, q, f, e);
    } else if (np_before(c, i, a, &f, &e)) {
        set_speaker(c, q, f, e, preposition_skip(&c->t[f]));
        resolve_entities(c, f, e, q);
        resolve_definite_noun(c, q, f, e);
    } else if (!subject_of_verb_before(c, q, i, a)) {
        resolve_pronoun(c, q, i, a, gender);
    }
    return 0;
}

/* A participle's speaker: the subject of the verb before it, else the
 * speaker of the sentence's quote before it, else its first name. */
static int participle_cue(qctx *c, size_t i, size_t a, size_t b)
{
    size_t at = 0;
    int kind = find_anchor(c, i, b, 3, &at);
    if (kind == ANCHOR_NONE) return 0;
    unsigned gender = INFO_GENDER(c->info[i]);
    kh_quote *q = push_quote(c);
    if (!q) return -1;
    q->cue_first = i;
    q->cue_last = i + 1;
    q->gender = gender & 3u;
    set_content(c, q, kind, at, b);
    if (subject_of_verb_before(c, q, i, a)) return 0;
    const kh_quote *p = previous_speaker(c, sentence_of(c, i), 0, SAME_SENTENCE);
    if (p && p != q) { speaker_from_quote(q, p); return 0; }
    /* the sentence's first person, else its first organisation or place:
     * the subject of a verb that opened it */
    const kh_mention *m = NULL;
    if (c->men) {
        for (size_t k = a; k < i && k < a + BACK_MAX; k++) {
            const kh_mention *x = mention_at(c, k);
            if (!x) continue;
            if (x->type == KH_ENTITY_PER) { m = x; break; }
            if (!m && x->type != KH_ENTITY_MISC) m = x;
        }
    }
    if (m) { speaker_from_mention(c, q, m); return 0; }
    resolve_pronoun(c, q, i, a, gender);
    return 0;
}

/* Matches a source phrase at token i.  Returns the token where its source
 * begins (and the proclitic bytes to skip in it), or 0. */
static size_t match_source(const qctx *c, size_t i, size_t b, size_t *skip, int *speech, size_t *cue_end)
{
    const kh_quote_words *w = c->w;
    size_t best = 0;
    for (size_t p = 0; p < w->n_phrases; p++) {
        const qw_phrase *ph = &w->phrases[p];
        size_t k = i, sk = 0;
        int ok = 1;
        for (unsigned j = 0; j < ph->words && ok; j++) {
            if (k >= b || c->t[k].kind != KHABAR_TOKEN_ARABIC) { ok = 0; break; }
            const char *wd = w->pool.data + ph->word_off[j];
            size_t wl = ph->word_len[j];
            const char *nm = c->t[k].norm;
            size_t nl = strlen(nm);
            if (j == 0 && (c->cls[k] & QT_CONJ)) { /* وبحسب */
                uint32_t cp;
                unsigned cl = first_cp(nm, nl, &cp);
                if (!(nl == wl && !memcmp(nm, wd, wl))) { nm += cl; nl -= cl; }
            }
            if (nl == wl && !memcmp(nm, wd, wl)) { k++; continue; }
            if (j + 1 == ph->words && ph->proclitic && nl > wl && !memcmp(nm, wd, wl)) {
                sk = wl; /* وفقا لوكالة: the source starts inside the token */
                continue;
            }
            ok = 0;
        }
        if (!ok) continue;
        size_t src = k;
        if (!best || src > best || (src == best && sk < *skip)) {
            best = src;
            *skip = sk;
            *speech = ph->speech;
            *cue_end = k;
        }
    }
    return best;
}

static int has_verb_quote_before(const qctx *c, size_t i)
{
    return c->verb_cue < i;
}

static int source_cue(qctx *c, size_t i, size_t a, size_t b)
{
    size_t skip = 0, cue_end = 0;
    int speech = 0;
    size_t p = match_source(c, i, b, &skip, &speech, &cue_end);
    if (!p || p >= b) return 0;
    /* بحسب ما جاء في، وفقا لما ذكرته، حسبما أفادت به */
    if (skip) {
        const char *rest = c->t[p].norm + skip;
        const qw_slot *e = find_word(c->w, rest, strlen(rest));
        uint32_t cp;
        first_cp(rest, strlen(rest), &cp);
        if (e && (e->classes & QW_WHAT)) { p++; skip = 0; }
        else if (cp == LAM) skip = 0; /* للمجلة: the article's alef is elided, keep the word whole */
    } else if (c->cls[p] & QW_WHAT) {
        p++;
    }
    if (!skip && p < b && (c->cls[p] & (QW_RELAY | QW_VERB))) {
        p++;
        if (p < b && (c->cls[p] & QW_RELAY_PREP)) p++;
    }
    if (p >= b) return 0;
    size_t e = np_forward(c, p, b, 1);
    if (e <= p) return 0;
    /* attribution, not "according to the law": a source noun or a name */
    if (!speech) {
        char head[128];
        int art;
        size_t hl = bare_form(&c->t[p], head, sizeof head, &art);
        const qw_slot *hw = hl ? find_word(c->w, head, hl) : NULL;
        int named = (c->cls[p] & QT_OPEN) != 0; /* a name in quotes: وفقا لـ"رويترز" */
        for (size_t k = p; k < e && c->men; k++) named |= c->men[k] >= 0;
        if (!named && !(c->cls[p] & QW_SOURCE_NOUN) && !(hw && (hw->classes & QW_SOURCE_NOUN))) return 0;
    }
    /* where the attributed clause is: before the phrase or after it */
    size_t lead = c->lead < i ? c->lead : i;
    size_t rest = e;
    while (rest < b && (c->cls[rest] & (QT_END | QT_CLOSE | QT_COMMA | QT_PUNCT))) rest++;
    size_t text_first, text_last = 0;
    int direct = 0;
    if (lead == i) { /* وبحسب X (أصدرته في يوليو)، ... */
        text_first = e < b && (c->cls[e] & QW_COMP) ? e + 1 : e; /* ووفق التقرير فإن ... */
        for (size_t k = e; k < b && k < e + NP_MAX; k++) {
            if (c->cls[k] & (QT_END | QW_COMP | QW_COMP_PRON | QW_VERB | QT_OPEN)) break;
            if (c->cls[k] & QT_COMMA) { text_first = k + 1; break; }
        }
    } else if (rest == b) { /* ...، وذلك بحسب X. */
        if (has_verb_quote_before(c, i)) return 0;
        text_first = a;
        size_t end = i;
        while (end > a && (is_trimmable_end(c, end - 1, a) || (c->cls[end - 1] & QW_JOINER))) end--;
        text_last = end;
        /* a quotation that opens the clause and runs to the phrase */
        for (size_t k = a; k < end; k++) {
            if (!(c->cls[k] & QT_OPEN)) continue;
            if (speech_mark(c, k, b, 0) && (c->pair[k] < 0 || (size_t)c->pair[k] + 1 >= end)) {
                text_first = k + 1;
                if (c->pair[k] >= 0 && (size_t)c->pair[k] < end) text_last = (size_t)c->pair[k];
                direct = 1;
            }
            break;
        }
        if (text_last < text_first + 3) return 0;
    } else {
        return 0; /* a source in the middle of someone's words */
    }
    kh_quote *q = push_quote(c);
    if (!q) return -1;
    q->cue_first = i;
    q->cue_last = cue_end > i ? cue_end : i + 1;
    q->text_first = text_first;
    q->text_last = text_last;
    q->direct = direct != 0;
    size_t sk = skip ? written_prefix(&c->t[p], skip) : 0;
    set_speaker(c, q, p, e, sk);
    resolve_entities(c, p, e, q);
    resolve_definite_noun(c, q, p, e);
    return 0;
}

/* A quotation that opens a sentence without a cue: the words of the
 * speaker quoted just before. */
static int bare_quotes(qctx *c, size_t a, size_t b)
{
    size_t k = a;
    while (k < b && (c->cls[k] & (QW_JOINER | QT_COLON | QT_PUNCT))) k++;
    if (k >= b || !speech_mark(c, k, b, 0)) return 0;
    size_t close = c->pair[k] > (int32_t)k ? (size_t)c->pair[k] : b;
    if (close - k - 1 < 3) return 0;
    const kh_quote *qs = c->out->data;
    for (size_t j = c->sent_first; j < c->out->len; j++)
        if (qs[j].text_first <= k + 1 && (qs[j].text_last == 0 || qs[j].text_last >= k + 1)) return 0;
    kh_quote *q = push_quote(c);
    if (!q) return -1;
    q->direct = 1;
    q->text_first = k + 1;
    q->text_last = close;
    q->cue_first = q->cue_last = k;
    const kh_quote *p = previous_speaker(c, sentence_of(c, k), 0, EARLIER_SENTENCES);
    if (p && p != q) speaker_from_quote(q, p);
    return 0;
}

/* Whether the verb cue just pushed is part of what the quote before it in
 * the sentence reports (وأضاف أن الشرطة تعتقد أن، قال إنها تعتقد أن): inside
 * its open-ended text, reported (not direct speech after a colon or a
 * quote mark: أفاد البيان أن سموه قال: ...), starting no clause of its own
 * and with no clause boundary between (، وعن معسكر الفريق أوضح) nor a
 * relative pronoun before it (موغيريني، التي أضافت أن).  What a source
 * phrase attributes or a verb of passing on relays may hold a verb with
 * its own speaker (وبحسب "رويترز"، فقد ذكرت الوزارة أن؛ ونقلت تقارير أن
 * شيرمان قالت). */
static int embedded(const qctx *c, size_t a)
{
    const kh_quote *qs = c->out->data;
    size_t n = c->out->len;
    if (n < c->sent_first + 2) return 0;
    const kh_quote *q = &qs[n - 1], *p = &qs[n - 2];
    int open_ended = p->text_last == 0 || (p->direct && p->text_first > 0 && c->pair[p->text_first - 1] < 0);
    if (!open_ended || p->text_first > q->cue_first || q->cue_first >= (size_t)c->cut[p->text_first]) return 0;
    if (c->cls[p->cue_first] & (QW_SOURCE | QW_RELAY_VERB)) return 0;
    if (q->cue_first > a && (c->cls[q->cue_first - 1] & QW_REL)) return 0;
    if (q->direct || (q->text_first > 0 && (c->cls[q->text_first - 1] & QT_COLON))) return 0;
    if (clause_start(c, q, a) != SIZE_MAX) return 0;
    size_t from = q->cue_first - p->text_first > BACK_MAX ? q->cue_first - BACK_MAX : p->text_first;
    if (from != p->text_first) return 0; /* far from its anchor: not known */
    for (size_t k = from + 1; k < q->cue_first; k++) {
        if (!(c->cls[k - 1] & QT_COMMA)) continue;
        /* "، وعن المعسكر أوضح"، "، من جهته قال" */
        if (starts_with_and(&c->t[k]) || (c->xcls[k] & QX_CLAUSE) || q->cue_first - k <= 2) return 0;
    }
    /* a person named as the speaker is quoted through the other
     * (قالت الوكالة أن المفتي الشيخ محمد حسين أعلن أن) */
    for (size_t k = q->speaker_first; k < q->speaker_last && !q->anaphoric; k++) {
        const kh_mention *m = mention_at(c, k);
        if (m && m->type == KH_ENTITY_PER && m->entity != p->entity) return 0;
    }
    return 1;
}

khabar_status kh_find_quotes(const khabar_model *m, const khabar_doc *d, kh_vec *out)
{
    if (!m->quotes || !d->tokens.len || !d->sentences.len) return KHABAR_OK;
    qctx c = {0};
    c.w = m->quotes;
    c.d = d;
    c.t = d->tokens.data;
    c.n = d->tokens.len;
    c.out = out;
    c.mentions = d->mentions.data;
    c.n_mentions = d->mentions.len;
    c.n_entities = d->entities.len;
    if (c.n > INT32_MAX) return KHABAR_OK;
    size_t per = sizeof(uint32_t) + 2 * sizeof(int32_t) + (c.n_mentions ? sizeof(int32_t) : 0) + 2;
    unsigned char *mem = malloc(c.n * per);
    if (!mem) return KHABAR_ERROR_MEMORY;
    c.cls = (uint32_t *)mem;
    c.pair = (int32_t *)(mem + c.n * sizeof(uint32_t));
    c.cut = (int32_t *)(mem + c.n * (sizeof(uint32_t) + sizeof(int32_t)));
    c.men = c.n_mentions ? (int32_t *)(mem + c.n * (sizeof(uint32_t) + 2 * sizeof(int32_t))) : NULL;
    c.info = mem + c.n * (per - 2);
    c.xcls = mem + c.n * (per - 1);
    for (size_t i = 0; i < c.n; i++) {
        c.pair[i] = -1;
        if (c.men) c.men[i] = -1;
        classify(&c, i);
    }
    for (size_t j = 0; j < c.n_mentions; j++) {
        const kh_mention *mn = &c.mentions[j];
        for (size_t k = mn->first; k < mn->last && k < c.n; k++) c.men[k] = (int32_t)j;
    }
    for (size_t j = 0; j < d->dates.len; j++) {
        const kh_date *dt = &KH_AT(d->dates, kh_date, j);
        if (dt->first < c.n) c.cls[dt->first] |= QT_DATE;
    }
    const khabar_sentence *sens = d->sentences.data;
    size_t ns = d->sentences.len;
    khabar_status st = KHABAR_OK;
    size_t inside_until = 0; /* a quotation of speech is open up to this token */
    for (size_t s0 = 0; s0 < ns;) {
        size_t s1 = s0 + 1;
        while (s1 < ns && sens[s1].block == sens[s0].block) s1++;
        pair_marks(&c, s0, s1);
        for (size_t s = s0; s < s1 && !st; s++) {
            size_t a = sens[s].first_token, b = sentence_end(&sens[s]);
            c.sent_first = out->len;
            c.verb_cue = SIZE_MAX;
            c.lead = a;
            while (c.lead < b && (c.cls[c.lead] & (QW_JOINER | QT_PUNCT | QT_COMMA))) c.lead++;
            /* "، وأضاف": a new clause of attribution, which ends reported content */
            int32_t next = (int32_t)b;
            for (size_t i = b; i-- > a;) {
                if ((c.cls[i] & QW_VERB) && (c.cls[i] & QT_CONJ) && i > a && (c.cls[i - 1] & QT_COMMA))
                    next = (int32_t)i;
                c.cut[i] = next;
            }
            for (size_t i = a; i < b && !st; i++) {
                uint32_t u = c.cls[i];
                int r = 0;
                size_t had = out->len;
                /* a verb inside someone's quotation is part of what they said */
                if ((u & QT_OPEN) && c.pair[i] > (int32_t)i && (size_t)c.pair[i] > inside_until &&
                    speech_mark(&c, i, b, 0))
                    inside_until = (size_t)c.pair[i];
                if (i < inside_until) continue;
                /* a whole source phrase before a verb form it starts with (ونقلا عن) */
                if (u & QW_SOURCE) r = source_cue(&c, i, a, b);
                if (!r && out->len == had && (u & QW_VERB)) {
                    r = verb_cue(&c, i, a, b);
                    if (!r && out->len > had && embedded(&c, a)) out->len--;
                }
                if (!r && out->len == had && (u & QW_PARTICIPLE)) r = participle_cue(&c, i, a, b);
                if (r) st = KHABAR_ERROR_MEMORY;
                if (out->len > had && (u & QW_VERB) && c.verb_cue == SIZE_MAX) c.verb_cue = i;
            }
            if (!st && bare_quotes(&c, a, b)) st = KHABAR_ERROR_MEMORY;
            if (!st && finish_sentence(&c, a, b)) st = KHABAR_ERROR_MEMORY;
        }
        s0 = s1;
    }
    free(mem);
    kh_vec_free(&c.clause_cues);
    kh_vec_free(&c.seen);
    kh_vec_free(&c.order);
    kh_vec_free(&c.moved);
    return st;
}
