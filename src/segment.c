/* Clitic segmentation: و+ب+ال+كتاب+ه.
 *
 * Every way of reading a word as proclitics (و ف, then ب ك ل س, then the
 * article ال or the ل of لل) + stem + enclitic pronoun that the spelling
 * allows is a candidate, and so is the whole word.  Each candidate gets a
 * few features from the vocabulary's surface counts: how common the stem is
 * as a word of its own (with and without the article), whether the whole
 * word behaves like a lexical word (it takes the article or a preposition
 * itself: الوجود says وجود is one word, while nothing like البسبب exists),
 * whether a name table knows it, which clitics it strips.  A linear score
 * over those features picks the candidate; the weights were fitted on the
 * development half of a treebank (tools/eval_segment.c --fit, see
 * docs/segmentation.md).  A word costs a handful of table lookups and no
 * allocation. */
#include <math.h>
#include <string.h>

#include "arabic.h"
#include "kh.h"

/* Longest word segmented; longer ones are left whole (no Arabic word is). */
#define MAX_WORD_BYTES 160

const char *const kh_seg_feature_names[KH_SEG_FEATURES] = {
#define X(name) #name,
    KH_SEG_FEATURE_LIST(X)
#undef X
};

/* Fitted by tools/eval_segment --fit on the even-numbered sentences of
 * UD Arabic PUD (docs/segmentation.md), which prints this table. */
const float kh_seg_weights[KH_SEG_FEATURES] = {
    [KH_SF_W_LOGC] = 0.829f,
    [KH_SF_W_ZERO] = -0.472f,
    [KH_SF_W_NAME] = 4.175f,
    [KH_SF_P_WA] = 1.413f,
    [KH_SF_P_FA] = -2.898f,
    [KH_SF_P_BI] = 0.802f,
    [KH_SF_P_KA] = -2.344f,
    [KH_SF_P_LI] = 0.710f,
    [KH_SF_P_SA] = 0.255f,
    [KH_SF_E_HU] = 2.004f,
    [KH_SF_E_HA] = 1.830f,
    [KH_SF_E_HUM] = 1.591f,
    [KH_SF_E_HUMA] = 2.107f,
    [KH_SF_E_HUNNA] = 1.574f,
    [KH_SF_E_KA] = -1.174f,
    [KH_SF_E_KUM] = -0.167f,
    [KH_SF_E_KUNNA] = -3.519f,
    [KH_SF_E_I] = -3.743f,
    [KH_SF_E_NI] = -2.718f,
    [KH_SF_E_NA] = -1.206f,
    [KH_SF_X_PRO] = -0.729f,
    [KH_SF_XREL_PRO] = 0.432f,
    [KH_SF_X_ENC] = -2.076f,
    [KH_SF_XREL_ENC] = 0.279f,
    [KH_SF_ONLY] = 0.841f,
    [KH_SF_ONLY_LOGC] = 0.008f,
    [KH_SF_S_LOGF] = 0.897f,
    [KH_SF_S_LOGC] = -0.121f,
    [KH_SF_U_ART] = 1.925f,
    [KH_SF_U_WA] = -0.996f,
    [KH_SF_U_FA] = -0.489f,
    [KH_SF_U_BI] = -2.186f,
    [KH_SF_U_KA] = -0.703f,
    [KH_SF_U_LI] = -1.426f,
    [KH_SF_U_SA] = -0.972f,
    [KH_SF_U_ENC] = -1.024f,
    [KH_SF_U_VERB] = -0.269f,
    [KH_SF_ALT_TM] = 0.711f,
    [KH_SF_ALT_AM] = -1.121f,
    [KH_SF_ALT_HZ] = 1.804f,
    [KH_SF_ALT_PL] = -2.493f,
    [KH_SF_ALT_ART] = 3.375f,
    [KH_SF_SHORT_WA] = -1.641f,
    [KH_SF_SHORT_FA] = 0.916f,
    [KH_SF_SHORT_BI] = -0.700f,
    [KH_SF_SHORT_KA] = -3.598f,
    [KH_SF_SHORT_LI] = -1.878f,
    [KH_SF_SHORT_SA] = -1.610f,
    [KH_SF_SHORT_ENC] = -2.387f,
};

/* Two-byte UTF-8 of an Arabic letter, as the byte pair compared below. */
#define AR_HI(cp) ((unsigned char)(0xC0 | ((cp) >> 6)))
#define AR_LO(cp) ((unsigned char)(0x80 | ((cp) & 0x3F)))

static int letter_at(const unsigned char *w, size_t i, unsigned cp)
{
    return w[i] == AR_HI(cp) && w[i + 1] == AR_LO(cp);
}

static unsigned letter(const unsigned char *w, size_t i)
{
    return ((unsigned)(w[i] & 0x1F) << 6) | (w[i + 1] & 0x3Fu);
}

/* 1 when w[0..n) is only two-byte Arabic letters (what can be segmented). */
static int all_arabic_letters(const unsigned char *w, size_t n)
{
    if (n % 2) return 0;
    for (size_t i = 0; i < n; i += 2) {
        if (w[i] < 0xD8 || w[i] > 0xDB || (w[i + 1] & 0xC0) != 0x80) return 0;
        if (!kh_is_arabic_letter(letter(w, i))) return 0;
    }
    return 1;
}

/* Enclitic pronouns, longest first so that هما is tried before ها and ه. */
static const struct {
    unsigned cp[3];
    unsigned letters;
    int feature;
} enclitics[] = {
    {{HEH, MEEM, ALEF}, 3, KH_SF_E_HUMA}, {{KAF, MEEM, ALEF}, 3, KH_SF_E_KUMA},
    {{HEH, ALEF}, 2, KH_SF_E_HA},         {{HEH, MEEM}, 2, KH_SF_E_HUM},
    {{HEH, NOON}, 2, KH_SF_E_HUNNA},      {{KAF, MEEM}, 2, KH_SF_E_KUM},
    {{KAF, NOON}, 2, KH_SF_E_KUNNA},      {{NOON, YEH}, 2, KH_SF_E_NI},
    {{NOON, ALEF}, 2, KH_SF_E_NA},        {{HEH}, 1, KH_SF_E_HU},
    {{KAF}, 1, KH_SF_E_KA},               {{YEH}, 1, KH_SF_E_I},
};
#define N_ENCLITICS (sizeof enclitics / sizeof *enclitics)

/* 1 when w[0..n) is a preposition and a pronoun and nothing else (له بها):
 * clitics with no stem, which a candidate must split rather than keep as
 * its stem. */
static int preposition_pronoun(const unsigned char *w, size_t n)
{
    if (n < 4 || !(letter_at(w, 0, BEH) || letter_at(w, 0, LAM))) return 0;
    for (size_t e = 0; e < N_ENCLITICS; e++) {
        if (2 * (enclitics[e].letters + 1) != n || enclitics[e].feature == KH_SF_E_NI) continue;
        unsigned k = 0;
        while (k < enclitics[e].letters && letter_at(w, 2 + 2 * k, enclitics[e].cp[k])) k++;
        if (k == enclitics[e].letters) return 1;
    }
    return 0;
}

static const unsigned conjunctions[] = {0, WAW, FEH};
static const unsigned prepositions[] = {0, BEH, KAF, LAM, SEEN};

static int prefix_feature(unsigned cp)
{
    switch (cp) {
    case WAW: return KH_SF_P_WA;
    case FEH: return KH_SF_P_FA;
    case BEH: return KH_SF_P_BI;
    case KAF: return KH_SF_P_KA;
    case LAM: return KH_SF_P_LI;
    default: return KH_SF_P_SA;
    }
}

static int clitic_index(unsigned cp)
{
    switch (cp) {
    case WAW: return 0;
    case FEH: return 1;
    case BEH: return 2;
    case KAF: return 3;
    case LAM: return 4;
    default: return 5; /* SEEN */
    }
}

/* ---- counts ---- */

typedef struct lookup {
    const khabar_model *m;
    char key[MAX_WORD_BYTES + 8];
} lookup;

static uint32_t count_of(lookup *lk, const char *pre, size_t pre_n, const char *w, size_t n,
                         const char *post, size_t post_n)
{
    if (!lk->m->vocab || pre_n + n + post_n > sizeof lk->key) return 0;
    memcpy(lk->key, pre, pre_n);
    memcpy(lk->key + pre_n, w, n);
    memcpy(lk->key + pre_n + n, post, post_n);
    /* The pieces are normalised but for the alef fold, which the tables
     * have: add it here and look up without normalising again. */
    kh_fold_alef_inplace(lk->key, pre_n + n + post_n);
    return kh_lexicon_count_normal(lk->m->vocab, lk->key, pre_n + n + post_n);
}

static int is_name(lookup *lk, const char *w, size_t n)
{
    if (!lk->m->names || n > sizeof lk->key) return 0;
    memcpy(lk->key, w, n);
    kh_fold_alef_inplace(lk->key, n);
    return kh_lexicon_count_normal(lk->m->names, lk->key, n) > 0;
}

static const char ARTICLE[] = {KH_UTF8_LETTER(ALEF), KH_UTF8_LETTER(LAM), '\0'};
static const char ALEF_S[] = {KH_UTF8_LETTER(ALEF), '\0'};
static const char BEH_S[] = {KH_UTF8_LETTER(BEH), '\0'};
static const char LAM_S[] = {KH_UTF8_LETTER(LAM), '\0'};
static const char WAW_S[] = {KH_UTF8_LETTER(WAW), '\0'};

static int starts_with_article(const unsigned char *w, size_t n)
{
    return n >= 4 && letter_at(w, 0, ALEF) && letter_at(w, 2, LAM);
}

/* Count of a word plus, weighted by half, the count of its form with the
 * article toggled (كتاب ↔ الكتاب): a noun is counted as one word whether or
 * not it is definite.  Short forms are not toggled: ال+ات reads as آلات. */
typedef struct stem_counts {
    uint32_t count;  /* the form itself */
    uint32_t toggled;
} stem_counts;

static stem_counts stem_lookup(lookup *lk, const char *s, size_t n, const char *post, size_t post_n)
{
    stem_counts c = {0, 0};
    size_t letters = (n + post_n) / 2;
    c.count = count_of(lk, "", 0, s, n, post, post_n);
    if (starts_with_article((const unsigned char *)s, n) && letters >= 5)
        c.toggled = count_of(lk, "", 0, s + 4, n - 4, post, post_n);
    else if (letters >= 3)
        c.toggled = count_of(lk, ARTICLE, 4, s, n, post, post_n);
    return c;
}

static float log_1p(double x) { return (float)log(1.0 + x); }

/* ---- candidates ---- */

/* Counts about the whole word, each looked up once and only when a
 * candidate needs it. */
typedef struct word_facts {
    int known, known_preposition, known_conjunction;
    uint32_t count; /* the whole word */
    uint32_t with_article, with_preposition, with_conjunction;
    int name;
} word_facts;

static void whole_word_facts(lookup *lk, const char *w, size_t n, word_facts *f)
{
    f->known = 1;
    f->count = count_of(lk, "", 0, w, n, "", 0);
    f->with_article =
        starts_with_article((const unsigned char *)w, n) ? 0 : count_of(lk, ARTICLE, 4, w, n, "", 0);
    f->name = is_name(lk, w, n);
}

static uint32_t with_preposition(lookup *lk, const char *w, size_t n, word_facts *f)
{
    if (!f->known_preposition) {
        f->known_preposition = 1;
        /* ل+w where w starts with ل spells ل+ال+..., which says nothing about w. */
        f->with_preposition =
            count_of(lk, BEH_S, 2, w, n, "", 0) +
            (letter_at((const unsigned char *)w, 0, LAM) ? 0 : count_of(lk, LAM_S, 2, w, n, "", 0));
    }
    return f->with_preposition;
}

static uint32_t with_conjunction(lookup *lk, const char *w, size_t n, word_facts *f)
{
    if (!f->known_conjunction) {
        f->known_conjunction = 1;
        f->with_conjunction = count_of(lk, WAW_S, 2, w, n, "", 0);
    }
    return f->with_conjunction;
}

static void whole_features(const word_facts *f, float *x)
{
    memset(x, 0, KH_SEG_FEATURES * sizeof *x);
    x[KH_SF_W_LOGC] = log_1p(f->count);
    x[KH_SF_W_ZERO] = f->count == 0;
    x[KH_SF_W_NAME] = (float)f->name;
}

/* Features of one split candidate: proclitics c1 (conjunction) and c2
 * (preposition or future س), 0 when absent; the core w[cs..ce) (which
 * may still begin with the article); enclitic index e or -1. */
static void split_features(lookup *lk, const char *w, size_t wn, word_facts *f, unsigned c1,
                           unsigned c2, size_t cs, size_t ce, int e, float *x, int *elided)
{
    const unsigned char *u = (const unsigned char *)w;
    memset(x, 0, KH_SEG_FEATURES * sizeof *x);
    *elided = 0;
    if (c1) x[prefix_feature(c1)] = 1;
    if (c2) x[prefix_feature(c2)] = 1;
    if (e >= 0) x[enclitics[e].feature] = 1;

    /* Evidence that the whole word is one lexical word, which each split
     * has to overcome: forms that could not exist if it were clitics. */
    double evidence;
    if (c1 || c2) {
        evidence = (double)f->with_article + with_preposition(lk, w, wn, f) +
                   (c1 ? with_conjunction(lk, w, wn, f) : 0);
        x[KH_SF_X_PRO] = log_1p(evidence);
        x[KH_SF_XREL_PRO] = (float)log((f->count + 1.0) / (evidence + 1.0));
    } else {
        evidence = f->with_article;
        x[KH_SF_X_ENC] = log_1p(evidence);
        x[KH_SF_XREL_ENC] = (float)log((f->count + 1.0) / (evidence + 1.0));
    }
    if (ce == cs) { /* a preposition and a pronoun, nothing between: له */
        x[KH_SF_ONLY] = 1;
        x[KH_SF_ONLY_LOGC] = log_1p(f->count);
        return;
    }

    /* The stem's spelling before an enclitic differs from its own:
     * حياة → حياتي, مستوى → مستواه, أعداء → أعدائه, موظفون → موظفوه. */
    const char *core = w + cs;
    size_t n = ce - cs, letters = n / 2;
    stem_counts best = stem_lookup(lk, core, n, "", 0);
    int best_kind = -1;
    if (c2 == LAM && letter_at(u, cs, LAM)) { /* لل: ل + الكتاب with the alef elided */
        char alt[MAX_WORD_BYTES + 2];
        memcpy(alt, ALEF_S, 2);
        memcpy(alt + 2, core, n);
        stem_counts c = stem_lookup(lk, alt, n + 2, "", 0);
        if ((double)c.count + c.toggled > (double)best.count + best.toggled) {
            best = c;
            best_kind = KH_SF_ALT_ART;
            *elided = 1;
        }
    } else if (e >= 0) {
        unsigned last = letter(u, ce - 2);
        const char *post = NULL;
        size_t keep = n, post_n = 0;
        int kind = -1;
        static const char teh_marbuta[] = {KH_UTF8_LETTER(TEH_MARBUTA), '\0'}, yeh[] = {KH_UTF8_LETTER(YEH), '\0'},
                          hamza[] = {KH_UTF8_LETTER(HAMZA), '\0'}, noon[] = {KH_UTF8_LETTER(NOON), '\0'},
                          alef[] = {KH_UTF8_LETTER(ALEF), '\0'};
        const char *post2 = NULL;
        if (last == TEH) post = teh_marbuta, keep = n - 2, post_n = 2, kind = KH_SF_ALT_TM;
        else if (last == ALEF) post = yeh, keep = n - 2, post_n = 2, kind = KH_SF_ALT_AM;
        else if (last == YEH_HAMZA_ABOVE || last == WAW_HAMZA_ABOVE)
            post = hamza, keep = n - 2, post_n = 2, kind = KH_SF_ALT_HZ;
        else if (last == WAW) post = noon, post_n = 2, post2 = alef, kind = KH_SF_ALT_PL;
        else if (last == YEH) post = noon, post_n = 2, kind = KH_SF_ALT_PL;
        for (int k = 0; k < 2 && post; k++) {
            const char *p = k == 0 ? post : post2;
            if (!p) break;
            stem_counts c = stem_lookup(lk, core, keep, p, post_n);
            if ((double)c.count + c.toggled > (double)best.count + best.toggled) {
                best = c;
                best_kind = kind;
            }
        }
    }
    double fam = best.count + 0.5 * best.toggled;
    x[KH_SF_S_LOGF] = log_1p(fam);
    x[KH_SF_S_LOGC] = log_1p(best.count);
    if (best_kind >= 0) x[best_kind] = 1;
    if (fam == 0) {
        if (starts_with_article(u + cs, n) || *elided || (c2 == LAM && letter_at(u, cs, LAM)))
            x[KH_SF_U_ART] = 1;
        else if (c1 || c2)
            x[KH_SF_U_WA + clitic_index(c2 ? c2 : c1)] = 1;
        else
            x[KH_SF_U_ENC] = 1;
        unsigned first = letter(u, cs);
        if ((c1 || c2) && (first == YEH || first == TEH || first == NOON || first == ALEF_HAMZA_ABOVE))
            x[KH_SF_U_VERB] = 1;
    }
    if (letters == 2) {
        if (c1 || c2) x[KH_SF_SHORT_WA + clitic_index(c2 ? c2 : c1)] = 1;
        else x[KH_SF_SHORT_ENC] = 1;
    }
}

size_t kh_segment_candidates(const khabar_model *m, const char *w, size_t n,
                             kh_seg_candidate *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)w;
    if (cap == 0) return 0;
    kh_seg_candidate *whole = &out[0];
    memset(&whole->seg, 0, sizeof whole->seg);
    whole->seg.stem_end = n;
    memset(whole->features, 0, sizeof whole->features);
    size_t count = 1;
    if (n < 4 || n > MAX_WORD_BYTES || !all_arabic_letters(u, n)) return count;

    lookup lk;
    lk.m = m;
    word_facts facts = {0};
    for (size_t i = 0; i < sizeof conjunctions / sizeof *conjunctions; i++) {
        unsigned c1 = conjunctions[i];
        size_t p1 = c1 ? 2 : 0;
        if (c1 && !letter_at(u, 0, c1)) continue;
        for (size_t j = 0; j < sizeof prepositions / sizeof *prepositions; j++) {
            unsigned c2 = prepositions[j];
            size_t p2 = p1 + (c2 ? 2 : 0);
            if (c2 && (p2 > n || !letter_at(u, p1, c2))) continue;
            for (int e = -1; e < (int)N_ENCLITICS; e++) {
                if (!c1 && !c2 && e < 0) continue; /* the whole word, already there */
                size_t ce = n;
                if (e >= 0) {
                    size_t elen = 2 * enclitics[e].letters;
                    if (elen > n - p2) continue;
                    ce = n - elen;
                    int match = 1;
                    for (unsigned k = 0; k < enclitics[e].letters && match; k++)
                        match = letter_at(u, ce + 2 * k, enclitics[e].cp[k]);
                    if (!match) continue;
                }
                size_t core = ce - p2;
                if (!c2 && e < 0 && preposition_pronoun(u + p2, core)) continue;
                /* A definite noun takes no possessive pronoun. */
                if (e >= 0 && starts_with_article(u + p2, core)) continue;
                if (c2 == SEEN) { /* future س only before an imperfect verb */
                    if (core < 2) continue;
                    unsigned first = letter(u, p2);
                    if (first != YEH && first != TEH && first != NOON && first != ALEF_HAMZA_ABOVE)
                        continue;
                }
                if (core < 4) {
                    /* Only a preposition with a pronoun may leave no stem (له, بها);
                     * ني attaches to verbs. */
                    if (!(core == 0 && (c2 == BEH || c2 == LAM) && e >= 0 &&
                          enclitics[e].feature != KH_SF_E_NI))
                        continue;
                }
                if (count == cap) return count;
                if (!facts.known) {
                    whole_word_facts(&lk, w, n, &facts);
                    whole_features(&facts, whole->features);
                }
                kh_seg_candidate *c = &out[count++];
                int elided;
                split_features(&lk, w, n, &facts, c1, c2, p2, ce, e, c->features, &elided);
                kh_segmentation *s = &c->seg;
                memset(s, 0, sizeof *s);
                if (c1) s->prefix_end[s->n_prefix++] = (unsigned)p1;
                if (c2) s->prefix_end[s->n_prefix++] = (unsigned)p2;
                s->stem_start = p2;
                s->stem_end = ce;
                s->article = (unsigned)elided; /* refined by the caller */
            }
        }
    }
    return count;
}

float kh_seg_score(const float *weights, const float *features)
{
    float s = 0;
    for (int i = 0; i < KH_SEG_FEATURES; i++) s += weights[i] * features[i];
    return s;
}

/* Splits the article off the chosen stem when it reads as one: الكتاب →
 * ال+كتاب, but not التي or الذي, whose remainder is no word of its own (the
 * definite form is many times commoner than everything the remainder is
 * seen as; even nouns nearly always definite stay well under that). */
#define ARTICLE_FROZEN_RATIO 50.0
/* Frozen forms are short (التي الذي الذين); longer remainders are nouns. */
#define ARTICLE_FROZEN_MAX_LETTERS 3

void kh_segment_finish(const khabar_model *m, const char *w, size_t n, kh_segmentation *seg)
{
    const unsigned char *u = (const unsigned char *)w;
    size_t s = seg->stem_start, e = seg->stem_end;
    lookup lk;
    lk.m = m;
    (void)n;
    if (seg->article) { /* elided: the stem begins with the article's ل */
        seg->prefix_end[seg->n_prefix++] = (unsigned)(s + 2);
        seg->stem_start = s + 2;
        return;
    }
    if (e - s < 8 || !starts_with_article(u + s, e - s) || seg->n_prefix >= 3) return;
    /* The remainder must be a stem, not a preposition and pronoun (الله). */
    size_t r = s + 4, rn = e - r;
    if (preposition_pronoun(u + r, rn)) return;
    if (rn <= 2 * ARTICLE_FROZEN_MAX_LETTERS) {
        double whole = count_of(&lk, "", 0, w + s, e - s, "", 0);
        double rest = count_of(&lk, "", 0, w + r, rn, "", 0);
        if (whole > ARTICLE_FROZEN_RATIO * (rest + 1.0)) return;
    }
    seg->prefix_end[seg->n_prefix++] = (unsigned)r;
    seg->stem_start = r;
    seg->article = 1;
}

void kh_segment_word(const khabar_model *m, const char *w, size_t n, kh_segmentation *seg)
{
    kh_seg_candidate cands[KH_SEG_MAX_CANDIDATES];
    size_t count = kh_segment_candidates(m, w, n, cands, KH_SEG_MAX_CANDIDATES);
    size_t best = 0;
    float best_score = count > 1 ? kh_seg_score(kh_seg_weights, cands[0].features) : 0;
    for (size_t i = 1; i < count; i++) {
        float sc = kh_seg_score(kh_seg_weights, cands[i].features);
        if (sc > best_score) best_score = sc, best = i;
    }
    *seg = cands[best].seg;
    kh_segment_finish(m, w, n, seg);
}

int kh_segmentation_render(kh_buf *b, const char *w, size_t n, const kh_segmentation *seg)
{
    size_t at = 0;
    for (unsigned i = 0; i < seg->n_prefix; i++) {
        size_t end = seg->prefix_end[i];
        if (seg->article && i + 1 == seg->n_prefix) {
            /* The article is written ال even where لل elides its alef. */
            if (kh_buf_append(b, ARTICLE, 4)) return -1;
        } else if (kh_buf_append(b, w + at, end - at)) {
            return -1;
        }
        if (kh_buf_putc(b, '+')) return -1;
        at = end;
    }
    if (seg->stem_end > seg->stem_start) {
        if (kh_buf_append(b, w + seg->stem_start, seg->stem_end - seg->stem_start)) return -1;
    } else if (seg->n_prefix) {
        b->len--; /* no stem (له): drop the '+' before it, the pronoun adds its own */
    }
    if (seg->stem_end < n) {
        if (kh_buf_putc(b, '+') || kh_buf_append(b, w + seg->stem_end, n - seg->stem_end))
            return -1;
    }
    return 0;
}

/* The normal form the segmenter reads: every fold but the alef one. */
#define SEGMENT_FOLDS (KHABAR_FOLD_ALL & ~(unsigned)KHABAR_FOLD_ALEF)

int kh_segment_normalize(kh_buf *b, const char *w, size_t n)
{
    return kh_normalize_append(b, w, n, SEGMENT_FOLDS);
}

/* White space between words, in normalised text (where NFKC has made
 * most Unicode spaces ASCII). */
static unsigned space_at(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    uint32_t cp;
    unsigned k = c >= 0x80 ? kh_utf8_decode((const unsigned char *)s + i, n - i, &cp) : 0;
    return k && (cp == NO_BREAK_SPACE || cp == NEXT_LINE || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) ||
                 cp == LINE_SEPARATOR || cp == PARAGRAPH_SEPARATOR || cp == 0x202F || cp == 0x205F) ? k : 0;
}

khabar_status kh_each_word(khabar_analyzer *an, const char *text, size_t len, const char *name,
                           kh_word_renderer render, char *out, size_t cap, size_t *out_len,
                           khabar_error *err)
{
    if (!an || !out_len || (!text && len) || (!out && cap))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "%s: NULL argument", name);
    *out_len = 0;
    size_t bad = kh_utf8_check(text, len);
    if (bad != len) return kh_fail(err, KHABAR_ERROR_UTF8, bad, "invalid UTF-8 at byte %zu", bad);
    an->scratch.len = 0;
    an->scratch2.len = 0;
    if (kh_segment_normalize(&an->scratch, text, len))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    const char *s = an->scratch.data;
    size_t n = an->scratch.len;
    for (size_t i = 0; i < n;) {
        unsigned k = space_at(s, i, n);
        if (k) { i += k; continue; }
        size_t e = i;
        while (e < n && !space_at(s, e, n)) e++;
        if ((an->scratch2.len && kh_buf_putc(&an->scratch2, ' ')) || render(an, &an->scratch2, s + i, e - i))
            return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        i = e;
    }
    *out_len = an->scratch2.len;
    if (an->scratch2.len > cap)
        return kh_fail(err, KHABAR_ERROR_SPACE, 0, "output needs %zu bytes", *out_len);
    if (an->scratch2.len) memcpy(out, an->scratch2.data, an->scratch2.len);
    return KHABAR_OK;
}

static int render_segments(khabar_analyzer *an, kh_buf *out, const char *w, size_t n)
{
    kh_segmentation seg;
    kh_segment_word(an->model, w, n, &seg);
    return kh_segmentation_render(out, w, n, &seg);
}

khabar_status khabar_segment(khabar_analyzer *an, const char *word, size_t len, char *out,
                             size_t cap, size_t *out_len, khabar_error *err)
{
    return kh_each_word(an, word, len, "khabar_segment", render_segments, out, cap, out_len, err);
}

int kh_segments_end_in_pronoun(const char *segments)
{
    const char *plus = segments ? strrchr(segments, '+') : NULL;
    if (!plus) return 0;
    uint32_t cp[4] = {0, 0, 0, 0};
    size_t n = strlen(plus + 1), i = 0, count = 0;
    while (i < n && count < 4) {
        unsigned k = kh_utf8_decode((const unsigned char *)plus + 1 + i, n - i, &cp[count++]);
        if (!k) return 0;
        i += k;
    }
    if (i < n || count == 0 || count > 3) return 0;
    uint32_t a = cp[0], b = cp[1], c = cp[2];
    if (a == HEH || a == KAF) {
        if (count == 1) return 1;
        if (count == 2) return b == MEEM || b == NOON || (a == HEH && b == ALEF);
        return b == MEEM && c == ALEF;
    }
    if (a == NOON) return count == 2 && (b == ALEF || b == YEH);
    return a == YEH && count == 1;
}
