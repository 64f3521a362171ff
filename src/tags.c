/* Tags: the five to ten keywords an editor would put under الكلمات الدالة.
 *
 * Candidates are the article's entities (src/entities.h) and the phrases of
 * its text: runs of one to four content words inside a sentence, a heading
 * or the title, never across punctuation, a function word or a word that
 * carries a conjunction or preposition (وروسيا starts a new phrase); a
 * person's titles beside the name (صاحب السمو الملكي الأمير X ولي ولي العهد)
 * and indefinite accusatives (شوقًا) count as no subject.  Words
 * are matched without their clitics, so لطالبان and طالبان, أفغانستان and
 * افغانستان count as one.  Each candidate is scored by how often the
 * article uses it (an occurrence in the title or a heading counts extra, one
 * as the adjective of the word before or cut off before the word completing
 * it counts less), how rare its words are in a reference news corpus
 * (inverse document frequency, data/df.tsv, pooled with the user's own
 * corpus when one is given), how early it first appears, its length,
 * whether it is an entity, and whether its words look like nouns (a word
 * the reference corpus uses but never with the article or a preposition,
 * or of a verb's shape, is a verb or a particle).  The best are taken
 * greedily, one tag per thing: a phrase that contains a tag already taken,
 * or that a tag taken contains and that rarely occurs outside it, or that
 * is one taken spelt apart (عبد الله، عبدالله), is passed over (two distinct
 * entities are always two things); a word usually part of a longer phrase
 * is shown in that fuller form (عادل → عادل إمام).  Tags come out in a
 * canonical form: clitics removed, the article kept where the text has it,
 * diacritics removed, spelling as written.  Method and measurements:
 * docs/tags.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "doc.h"
#include "entities.h"
#include "facts.h"
#include "tags.h"

enum {
    MAX_WORDS = 4,      /* words of a phrase taken from the text */
    MAX_TERMS = 8,      /* words of an entity's mention kept for comparing */
    MAX_KEY = 160,      /* bytes of a clitic-free word looked up in the tables */
    MIN_LETTERS = 3,    /* shorter Arabic words are function words (في من لم قد) */
    VERB_EVIDENCE = 5,  /* reference-corpus uses a word needs before it can look like a verb */
    NOMINAL_SHARE = 200 /* ... and a verb has fewer than one nominal use in this many */
};

void kh_tag_params_init(kh_tag_params *p)
{
    p->title_weight = 2.0;
    p->heading_weight = 0.5;
    p->lead_weight = 2.0;
    p->length_weight[0] = 3.5;
    p->length_weight[1] = 3.5;
    p->length_weight[2] = 4.5;
    p->name_weight = 3.0;
    p->bare_weight = 0.6;
    p->entity_weight = 1.75;
    p->verb_penalty = 0.1;
    p->attached_weight = 0.7;
    p->truncated_weight = 0.5;
    p->expand_share = 0.14;
    p->branch_share = 0.15;
    p->min_relative = 0.0;
    p->min_phrase_tf = 2;
    p->max_tags = 10;
    p->min_tags = 5;
    p->units_apart = 1;
    p->names_complete = 1;
    p->dates_apart = 1;
    p->fragment_weight = 0.2;
    p->person_titles = 1;
    p->titled_weight = 0;
    p->accusatives_apart = 1;
}

/* ---- words ---- */

static size_t letters_of(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

/* A proclitic piece of a segmentation: و ف ب ك ل س, or the article ال. */
static int is_proclitic(const char *s, size_t n, int *article, int *future)
{
    *article = *future = 0;
    uint32_t a, b;
    unsigned k = n ? kh_utf8_decode((const unsigned char *)s, n, &a) : 0;
    if (!k) return 0;
    if (k == n) {
        *future = a == SEEN;
        return a == WAW || a == FEH || a == BEH || a == KAF || a == LAM || a == SEEN;
    }
    unsigned k2 = kh_utf8_decode((const unsigned char *)s + k, n - k, &b);
    if (k2 && k + k2 == n && a == ALEF && b == LAM) return *article = 1;
    return 0;
}

/* Whether a word ends in وا, the ending of plural verbs (قتلوا، أن يعودوا). */
static int ends_like_plural_verb(const char *s, size_t n)
{
    char end[8];
    size_t k = kh_utf8_encode(WAW, end);
    k += kh_utf8_encode(ALEF, end + k);
    return n > k + 4 && !memcmp(s + n - k, end, k);
}

/* Writes the article ال into out; returns its length. */
static size_t put_article(char *out)
{
    size_t n = kh_utf8_encode(ALEF, out);
    return n + kh_utf8_encode(LAM, out + n);
}

/* 0 when absent, 1 a stopword, 2 a modifier, 3 a person's title. */
static int stop_kind(const khabar_model *m, const char *w, size_t n)
{
    if (m->stopwords && kh_lexicon_count_normal(m->stopwords, w, n)) return 1;
    if (m->modifiers && kh_lexicon_count_normal(m->modifiers, w, n)) return 2;
    if (m->titles && kh_lexicon_count_normal(m->titles, w, n)) return 3;
    return 0;
}

/* The clitic-free word of a classified token, fully folded, into key
 * (MAX_KEY bytes); its length, or 0 when it does not fit. */
static size_t folded_base(const khabar_token *t, const kh_tag_word *w, char *key)
{
    if (w->base_len == 0 || w->base_len > MAX_KEY) return 0;
    memcpy(key, t->segments + w->base, w->base_len);
    if (t->kind == KHABAR_TOKEN_ARABIC) kh_fold_alef_inplace(key, w->base_len);
    return w->base_len;
}

void kh_tag_word_classify(const khabar_model *m, const khabar_token *t, kh_tag_word *w)
{
    memset(w, 0, sizeof *w);
    w->cls = KH_WORD_BREAK;
    if (t->kind == KHABAR_TOKEN_LATIN) {
        size_t n = strlen(t->segments);
        w->base_len = (unsigned)(n < MAX_KEY ? n : 0);
        w->cls = n >= 2 && w->base_len && !stop_kind(m, t->stem, strlen(t->stem)) ? KH_WORD_CONTENT
                                                                                   : KH_WORD_STOP;
        return;
    }
    if (t->kind != KHABAR_TOKEN_ARABIC) return;
    const char *s = t->segments;
    size_t n = strlen(s), at = 0;
    for (;;) {
        const char *plus = memchr(s + at, '+', n - at);
        int article, future;
        if (!plus || !is_proclitic(s + at, (size_t)(plus - (s + at)), &article, &future)) break;
        if (article) w->article = 1;
        else w->proclitic = 1;
        if (future) w->verbal = 1;
        at = (size_t)(plus - s) + 1;
    }
    const char *plus = memchr(s + at, '+', n - at);
    size_t end = plus ? (size_t)(plus - s) : n;
    w->enclitic = plus != NULL;
    w->base = (unsigned)at;
    w->base_len = (unsigned)(end - at);
    if (!w->enclitic && ends_like_plural_verb(s + at, end - at)) w->verbal = 1;
    w->cls = KH_WORD_STOP;
    if (!w->base_len || w->base_len > MAX_KEY || letters_of(s + at, w->base_len) < MIN_LETTERS) return;
    /* The list keeps hamza (إمام is not أمام), as the segmentation does. */
    int kind = stop_kind(m, s + at, w->base_len);
    if (w->article && kind != 1) {
        char key[MAX_KEY + 8];
        size_t a = put_article(key);
        memcpy(key + a, s + at, w->base_len);
        int article_kind = stop_kind(m, key, a + w->base_len);
        if (article_kind) kind = article_kind;
    }
    w->title = kind == 3;
    w->cls = kind == 1 ? KH_WORD_STOP : kind == 2 ? KH_WORD_MODIFIER : KH_WORD_CONTENT;
}

/* ---- document frequencies ---- */

double kh_idf(const khabar_model *m, const kh_df_table *user, const char *stem, size_t len)
{
    double docs = 0, df = 0;
    if (m && m->df) {
        docs += (double)m->df_documents;
        df += kh_lexicon_count_normal(m->df, stem, len);
    }
    if (user && user->df) {
        docs += (double)user->documents;
        df += kh_lexicon_count_normal(user->df, stem, len);
    }
    if (df > docs) df = docs;
    return log((docs + 1) / (df + 1));
}

khabar_status khabar_df_load(const char *tsv, size_t len, uint64_t documents, khabar_df **out,
                             khabar_error *err)
{
    if (!out || (!tsv && len)) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_df_load: NULL argument");
    *out = NULL;
    size_t bad = tsv ? kh_utf8_check(tsv, len) : len;
    if (bad < len) return kh_fail(err, KHABAR_ERROR_UTF8, bad, "the table is not UTF-8 at byte %zu", bad);
    khabar_df *df = calloc(1, sizeof *df);
    if (!df || !(df->table.df = kh_lexicon_load(tsv ? tsv : "", len, KHABAR_FOLD_ALL))) {
        free(df);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    df->table.documents = documents;
    *out = df;
    return KHABAR_OK;
}

uint64_t khabar_df_documents(const khabar_df *df) { return df ? df->table.documents : 0; }

uint64_t khabar_df_count(const khabar_df *df, const char *stem, size_t len)
{
    if (!df || !df->table.df || (!stem && len)) return 0;
    uint64_t n = kh_lexicon_count(df->table.df, stem ? stem : "", len);
    return n < df->table.documents ? n : df->table.documents;
}

void khabar_df_free(khabar_df *df)
{
    if (!df) return;
    kh_lexicon_free((kh_lexicon *)df->table.df);
    free(df);
}

/* ---- the tagger's working tables, kept in the analyzer between articles ---- */

typedef struct term {
    uint64_t hash;            /* of the clitic-free form, fully folded */
    float idf;
    unsigned char verbish;    /* used like a verb or a particle in the reference corpus */
    unsigned char has_article;/* the article uses it with the article */
    unsigned char named;      /* a known proper name (data/names.txt) */
} term;

/* A candidate; an article of N tokens has up to some N / 4 of them, so the
 * fields are ordered to leave no padding. */
typedef struct cand {
    uint64_t key;
    double score;
    double base;              /* the score before what a branch gains (score()) */
    long entity;              /* -1 for a phrase of the text */
    long last_sentence;
    size_t first_rank;        /* 0 the title, 1 + the sentence index of the first occurrence */
    size_t rep;               /* first token of the occurrence whose spelling is shown */
    uint32_t terms[MAX_TERMS];
    uint32_t body, title, heading; /* occurrences in paragraphs, the title, headings */
    uint32_t attached;        /* occurrences that follow a word of their phrase and carry the
                                 article: an adjective (الفكرية in الكتب الفكرية) */
    uint32_t truncated;       /* occurrences that end on a noun without the article that the
                                 next word, with it, completes (إعلان هيئة | الاتصالات) */
    uint32_t titled;          /* an entity's mentions inside a person's title (person_titles) */
    uint32_t sentences;       /* distinct sentences */
    uint32_t tag;             /* index in d->tags when taken */
    unsigned char n;          /* words */
    unsigned char verbal;     /* has a word that looks like a verb */
    unsigned char rep_in_body;
    unsigned char taken;
} cand;

/* A candidate's occurrence in a sentence (one per distinct pair). */
typedef struct visit {
    uint32_t cand, sentence;
} visit;

typedef struct ranked {
    double score;
    size_t first_rank, rep, cand;
} ranked;

static int by_score(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->first_rank != b->first_rank) return a->first_rank < b->first_rank ? -1 : 1;
    return a->rep < b->rep ? -1 : a->rep > b->rep;
}

/* Moves the `head` best of r[0..n) to its front, in any order (quickselect;
 * linear on average). */
static void partition_best(ranked *r, size_t n, size_t head)
{
    size_t lo = 0, hi = n;
    while (head > lo && head < hi && hi - lo > 1) {
        ranked pivot = r[lo + (hi - lo - 1) / 2], t; /* never the last: j then stays below hi - 1 */
        size_t i = lo, j = hi - 1;
        for (;;) { /* Hoare partition: [lo, j] no worse than the pivot, [j+1, hi) no better */
            while (by_score(&r[i], &pivot) < 0) i++;
            while (by_score(&r[j], &pivot) > 0) j--;
            if (i >= j) break;
            t = r[i], r[i] = r[j], r[j] = t;
            i++, j--;
        }
        if (head <= j) hi = j + 1;
        else lo = j + 1;
    }
}

/* What the tagger knows of a word form, kept across articles: news reuses
 * a few thousand forms, so each is classified and looked up in the
 * reference tables once, not once per token. */
typedef struct word_info {
    uint64_t key;             /* hash of the token's segmentation (stem for Latin); 0 empty */
    uint64_t term;            /* hash of the clitic-free form, fully folded */
    kh_tag_word w;
    float idf;                /* against the reference table alone */
    unsigned char verbish, named;
    unsigned char accusative; /* an indefinite accusative (accusative_form) */
    uint64_t unsplit;         /* a word whole to the segmenter but unknown to the reference
                                 corpus, starting with و ف ب ك ل (لتعقيم): the term hash of
                                 the form without that letter, else 0 */
} word_info;

#define WORD_CACHE_SLOTS (1u << 15)              /* power of two; 1.5 MB */
#define WORD_CACHE_MAX (WORD_CACHE_SLOTS / 4 * 3) /* emptied when this full */

struct kh_tag_scratch {
    word_info *cache;         /* WORD_CACHE_SLOTS */
    size_t cached;
    kh_tag_word *words;       /* per token */
    uint32_t *token_term;     /* per token: term index, or UINT32_MAX */
    unsigned char *in_mention;  /* 1 in an entity's mention, 2 in a person's */
    unsigned char *in_title;    /* in the title phrase of a person's name (person_titles) */
    size_t token_cap;
    kh_vec terms;             /* term */
    uint32_t *term_slots;
    size_t term_mask, term_alloc;
    kh_vec cands;             /* cand */
    uint32_t *cand_slots;
    size_t cand_mask, cand_alloc;
    kh_vec visits;            /* visit */
    kh_vec fuller;            /* size_t: candidates a tag may grow into */
    kh_vec unsplit;           /* size_t: tokens whose word_info has `unsplit` */
    ranked *order;            /* candidates by score */
    size_t order_cap;
    size_t *primary;          /* per entity: its candidate */
    size_t primary_cap;
    kh_buf text;              /* one word as written, normalised */
    kh_buf shown;             /* a candidate's canonical form */
    kh_buf squashed;
};

void kh_tag_scratch_free(kh_tag_scratch *s)
{
    if (!s) return;
    free(s->cache);
    free(s->words);
    free(s->token_term);
    free(s->in_mention);
    free(s->in_title);
    kh_vec_free(&s->terms);
    free(s->term_slots);
    kh_vec_free(&s->cands);
    free(s->cand_slots);
    kh_vec_free(&s->visits);
    kh_vec_free(&s->fuller);
    kh_vec_free(&s->unsplit);
    free(s->order);
    free(s->primary);
    kh_buf_free(&s->text);
    kh_buf_free(&s->shown);
    kh_buf_free(&s->squashed);
    free(s);
}

#define CAND_SLOTS_START 16384 /* candidates the index starts with room for */

static size_t pow2_at_least(size_t n)
{
    size_t p = 64;
    while (p < n) p *= 2;
    return p;
}

/* Empties an open-addressing index, sized for `items` (the memory of a
 * larger one is kept, but only what this article needs is cleared). */
static int reset_slots(uint32_t **slots, size_t *mask, size_t *alloc, size_t items)
{
    size_t cap = pow2_at_least(items * 2 + 1);
    if (cap > *alloc) {
        uint32_t *s = realloc(*slots, cap * sizeof *s);
        if (!s) return -1;
        *slots = s;
        *alloc = cap;
    }
    *mask = cap - 1;
    memset(*slots, 0xff, cap * sizeof **slots);
    return 0;
}

/* Doubles an index and puts every item back (the hash is an item's first field). */
static int grow_slots(uint32_t **slots, size_t *mask, size_t *alloc, const void *items,
                      size_t count, size_t item_size)
{
    size_t cap = (*mask + 1) * 2;
    if (cap > *alloc) {
        uint32_t *s = realloc(*slots, cap * sizeof *s);
        if (!s) return -1;
        *slots = s;
        *alloc = cap;
    }
    uint32_t *s = *slots;
    memset(s, 0xff, cap * sizeof *s);
    for (size_t i = 0; i < count; i++) {
        uint64_t h;
        memcpy(&h, (const char *)items + i * item_size, sizeof h);
        size_t j = (size_t)h & (cap - 1);
        while (s[j] != UINT32_MAX) j = (j + 1) & (cap - 1);
        s[j] = (uint32_t)i;
    }
    *mask = cap - 1;
    return 0;
}

static khabar_status prepare(kh_tag_scratch *s, const khabar_doc *d)
{
    size_t n = d->tokens.len;
    if (n > s->token_cap) {
        size_t cap = pow2_at_least(n);
        kh_tag_word *w = realloc(s->words, cap * sizeof *w);
        if (w) s->words = w;
        uint32_t *t = realloc(s->token_term, cap * sizeof *t);
        if (t) s->token_term = t;
        unsigned char *m = realloc(s->in_mention, cap);
        if (m) s->in_mention = m;
        unsigned char *ti = realloc(s->in_title, cap);
        if (ti) s->in_title = ti;
        if (!w || !t || !m || !ti) return KHABAR_ERROR_MEMORY;
        s->token_cap = cap;
    }
    if (n) memset(s->in_mention, 0, n), memset(s->in_title, 0, n);
    s->terms.len = s->cands.len = s->visits.len = s->unsplit.len = 0;
    if (!s->cache && !(s->cache = calloc(WORD_CACHE_SLOTS, sizeof *s->cache)))
        return KHABAR_ERROR_MEMORY;
    /* the indexes grow as they fill (intern_term, intern_cand): sized for
     * every token of a long article at once they would take more than
     * its candidates do */
    size_t cands = n + d->mentions.len + 16;
    if (reset_slots(&s->term_slots, &s->term_mask, &s->term_alloc, n / 4 + 16) ||
        reset_slots(&s->cand_slots, &s->cand_mask, &s->cand_alloc, cands < CAND_SLOTS_START ? cands : CAND_SLOTS_START))
        return KHABAR_ERROR_MEMORY;
    if (d->entities.len > s->primary_cap) {
        size_t *p = realloc(s->primary, d->entities.len * sizeof *p);
        if (!p) return KHABAR_ERROR_MEMORY;
        s->primary = p;
        s->primary_cap = d->entities.len;
    }
    for (size_t e = 0; e < d->entities.len; e++) s->primary[e] = SIZE_MAX;
    return KHABAR_OK;
}

/* Whether a word has a verb's shape: 2 for the imperfect's ي before four
 * more letters (يستخرج، يحملون), 1 for ي before three, or the past's
 * feminine ت after three (بلغت، استفادت; not the plural ات). */
static int verb_shaped(const char *w, size_t n)
{
    uint32_t cp[3] = {0, 0, 0}; /* first, before last, last */
    size_t letters = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        unsigned k = kh_utf8_decode((const unsigned char *)w + i, n - i, &c);
        if (!k) return 0;
        if (!letters) cp[0] = c;
        cp[1] = cp[2];
        cp[2] = c;
        letters++;
        i += k;
    }
    if (letters >= 5 && cp[0] == YEH) return 2;
    if (letters >= 4 && (cp[0] == TEH || cp[0] == NOON) && cp[2] != TEH_MARBUTA) return 1;
    return letters >= 4 && (cp[0] == YEH || (cp[2] == TEH && cp[1] != ALEF));
}

/* How often the reference corpus uses a word with the article or a
 * preposition only nouns take (ال، ب، بال، لل، وال). */
static uint64_t nominal_uses(const khabar_model *m, const char *base, size_t n)
{
    static const uint32_t nominal[][3] = {
        {ALEF, LAM, 0}, {BEH, 0, 0}, {BEH, ALEF, LAM}, {LAM, LAM, 0}, {WAW, ALEF, LAM}};
    char key[MAX_KEY + 16];
    uint64_t uses = 0;
    for (size_t p = 0; p < sizeof nominal / sizeof nominal[0]; p++) {
        size_t k = 0;
        for (size_t c = 0; c < 3 && nominal[p][c]; c++) k += kh_utf8_encode(nominal[p][c], key + k);
        memcpy(key + k, base, n);
        uses += kh_lexicon_count_normal(m->vocab, key, k + n);
    }
    return uses;
}

/* Whether a word ends in the alef of the indefinite accusative (نفطا،
 * شوقا، تقديرا): a form never used with the article or a noun's
 * preposition, whose form without the alef is. */
static int accusative_form(const khabar_model *m, const char *base, size_t n)
{
    char end[4];
    size_t alef = kh_utf8_encode(ALEF, end);
    return m->vocab && n >= alef + 6 && !memcmp(base + n - alef, end, alef) &&
           nominal_uses(m, base, n) == 0 && nominal_uses(m, base, n - alef) > 0;
}

/* Whether a word as written ends in the accusative's tanween (شوقًا، شوقاً,
 * the alef before or after the mark): the indefinite accusative, however
 * rare the word (the reference corpus may not know it). */
static int ends_in_tanween_fath(const khabar_token *t)
{
    /* the last two letters, as bytes: both are two-byte code points */
    static const char fathatan_alef[] = {KH_UTF8_LETTER(FATHATAN), KH_UTF8_LETTER(ALEF)},
                      alef_fathatan[] = {KH_UTF8_LETTER(ALEF), KH_UTF8_LETTER(FATHATAN)};
    size_t n = t->span.text_len;
    if (n < 4) return 0;
    const char *tail = t->span.text + n - 4;
    return !memcmp(tail, fathatan_alef, 4) || !memcmp(tail, alef_fathatan, 4);
}

/* Whether the reference corpus uses a word (not a known name) like a verb or a particle: never
 * or almost never with the article or a preposition only nouns take, and
 * often (for a word of a verb's shape, once is enough; for a long one with
 * the imperfect's ي, not at all). */
static int looks_verbal(const khabar_model *m, const char *base, size_t n)
{
    if (!m->vocab) return 0;
    uint64_t uses = kh_lexicon_count_normal(m->vocab, base, n), nominal = nominal_uses(m, base, n);
    /* a noun or adjective in the accusative, its indefinite ending
     * written with alef (نفطا، وراثيا), never takes the article in that
     * form: its nominal uses are those of the word without it */
    char end[4];
    size_t alef = kh_utf8_encode(ALEF, end);
    if (nominal == 0 && n > alef + 6 && !memcmp(base + n - alef, end, alef))
        nominal = nominal_uses(m, base, n - alef);
    uses += nominal;
    int shape = verb_shaped(base, n);
    if (shape) return uses >= (shape == 2 ? 0u : 1u) && nominal == 0;
    return uses >= VERB_EVIDENCE && nominal * NOMINAL_SHARE < uses;
}

/* The word form of a token: classified, with its term's hash and what the
 * reference tables say of it, from the cache or made now. */
static const word_info *word_of(kh_tag_scratch *s, const khabar_model *m, const khabar_token *t)
{
    /* An Arabic word is known by its segments (its stem follows from them),
     * another token by its stem; the kind is in the key, so that a form seen
     * first as one kind of token is never taken for another. */
    const char *keyed = t->kind == KHABAR_TOKEN_ARABIC ? t->segments : t->stem;
    uint64_t h = kh_hash(keyed, strlen(keyed)) ^ ((uint64_t)t->kind << 56);
    if (!h) h = 1;
    size_t i = (size_t)h & (WORD_CACHE_SLOTS - 1);
    while (s->cache[i].key && s->cache[i].key != h) i = (i + 1) & (WORD_CACHE_SLOTS - 1);
    word_info *x = &s->cache[i];
    if (x->key) return x;
    if (s->cached >= WORD_CACHE_MAX) {
        memset(s->cache, 0, WORD_CACHE_SLOTS * sizeof *s->cache);
        s->cached = 0;
        i = (size_t)h & (WORD_CACHE_SLOTS - 1);
        x = &s->cache[i];
    }
    x->key = h;
    s->cached++;
    kh_tag_word_classify(m, t, &x->w);
    char key[MAX_KEY];
    size_t k = t->kind == KHABAR_TOKEN_ARABIC ? folded_base(t, &x->w, key) : 0;
    x->term = k ? kh_hash(key, k) : kh_hash(t->stem, strlen(t->stem));
    x->idf = 0;
    x->named = x->verbish = x->accusative = 0;
    x->unsplit = 0;
    if (x->w.cls != KH_WORD_CONTENT && x->w.cls != KH_WORD_MODIFIER) return x; /* never in a term */
    x->idf = (float)kh_idf(m, NULL, t->stem, strlen(t->stem));
    uint32_t first;
    if (k && !x->w.proclitic && !x->w.article && letters_of(key, k) >= 5 &&
        kh_utf8_decode((const unsigned char *)key, k, &first) == 2 &&
        (first == WAW || first == FEH || first == BEH || first == KAF || first == LAM) &&
        m->vocab && !kh_lexicon_count_normal(m->vocab, key, k))
        x->unsplit = kh_hash(key + 2, k - 2);
    /* with the article, the form is a noun's: neither a verb nor a bare name */
    if (x->w.article) return x;
    x->named = k && m->names && kh_lexicon_count_normal(m->names, key, k) > 0;
    x->verbish = x->w.verbal || (k && !x->named && looks_verbal(m, key, k));
    x->accusative = k && !x->named && !x->w.title && accusative_form(m, key, k);
    return x;
}

/* The term of a hash, or UINT32_MAX when the article has none. */
static uint32_t find_term(const kh_tag_scratch *s, uint64_t h)
{
    const term *terms = s->terms.data;
    for (size_t i = (size_t)h & s->term_mask; s->term_slots[i] != UINT32_MAX; i = (i + 1) & s->term_mask)
        if (terms[s->term_slots[i]].hash == h) return s->term_slots[i];
    return UINT32_MAX;
}

/* The term of a word, made on first sight; UINT32_MAX on no memory.  A
 * term is a word form without its clitics (لطالبان and طالبان, أفغانستان
 * and افغانستان are one); its rarity is its stem's. */
static uint32_t intern_term(kh_tag_scratch *s, const khabar_model *m, const kh_df_table *user,
                            const khabar_token *t, const word_info *info)
{
    uint64_t h = info->term;
    if ((s->terms.len + 1) * 2 > s->term_mask + 1 &&
        grow_slots(&s->term_slots, &s->term_mask, &s->term_alloc, s->terms.data, s->terms.len,
                   sizeof(term)))
        return UINT32_MAX;
    size_t i = (size_t)h & s->term_mask;
    term *terms = s->terms.data;
    while (s->term_slots[i] != UINT32_MAX) {
        term *x = &terms[s->term_slots[i]];
        if (x->hash == h) {
            if (info->w.article) x->has_article = 1;
            if (info->verbish) x->verbish = 1;
            return s->term_slots[i];
        }
        i = (i + 1) & s->term_mask;
    }
    term *x = kh_vec_push(&s->terms, sizeof *x);
    if (!x) return UINT32_MAX;
    x->hash = h;
    x->idf = user ? (float)kh_idf(m, user, t->stem, strlen(t->stem)) : info->idf;
    x->has_article = info->w.article;
    x->named = info->named;
    x->verbish = info->verbish;
    uint32_t id = (uint32_t)(s->terms.len - 1);
    s->term_slots[i] = id;
    return id;
}

/* The hash of a sequence of terms: a few multiplications, as this runs for
 * every phrase of the text. */
static uint64_t terms_hash(const uint32_t *terms, unsigned n)
{
    uint64_t h = 0x9E3779B97F4A7C15u * (n + 1);
    for (unsigned i = 0; i < n; i++) {
        h = (h ^ terms[i]) * 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
    }
    return h;
}

/* The candidate of a sequence of terms, or SIZE_MAX when there is none. */
static size_t find_cand(const kh_tag_scratch *s, const uint32_t *terms, unsigned n)
{
    uint64_t h = terms_hash(terms, n);
    const cand *c = s->cands.data;
    for (size_t i = (size_t)h & s->cand_mask; s->cand_slots[i] != UINT32_MAX; i = (i + 1) & s->cand_mask) {
        const cand *x = &c[s->cand_slots[i]];
        if (x->key == h && x->n == n && !memcmp(x->terms, terms, n * sizeof *terms))
            return s->cand_slots[i];
    }
    return SIZE_MAX;
}

/* The candidate of a sequence of terms, made when new; SIZE_MAX on no memory. */
static size_t intern_cand(kh_tag_scratch *s, const uint32_t *terms, unsigned n, int *made)
{
    uint64_t h = terms_hash(terms, n);
    *made = 0;
    if ((s->cands.len + 1) * 2 > s->cand_mask + 1 &&
        grow_slots(&s->cand_slots, &s->cand_mask, &s->cand_alloc, s->cands.data, s->cands.len,
                   sizeof(cand)))
        return SIZE_MAX;
    size_t i = (size_t)h & s->cand_mask;
    cand *c = s->cands.data;
    while (s->cand_slots[i] != UINT32_MAX) {
        cand *x = &c[s->cand_slots[i]];
        if (x->key == h && x->n == n && !memcmp(x->terms, terms, n * sizeof *terms))
            return s->cand_slots[i];
        i = (i + 1) & s->cand_mask;
    }
    cand *x = kh_vec_push(&s->cands, sizeof *x);
    if (!x) return SIZE_MAX;
    x->key = h;
    memcpy(x->terms, terms, n * sizeof *terms);
    x->n = (unsigned char)n;
    x->entity = -1;
    x->last_sentence = -2;
    x->first_rank = SIZE_MAX;
    x->rep = SIZE_MAX;
    s->cand_slots[i] = (uint32_t)(s->cands.len - 1);
    *made = 1;
    return s->cands.len - 1;
}

/* Where an occurrence is: its block kind and its sentence's rank. */
typedef struct place {
    int title, heading;
    long sentence;  /* -1 outside paragraphs */
    size_t rank;    /* 0 the title, else 1 + the index of the sentence it is in or comes before */
} place;

static khabar_status count_occurrence(kh_tag_scratch *s, size_t ci, size_t first_token,
                                      const place *at, int attached, int truncated, int titled)
{
    cand *c = (cand *)s->cands.data + ci;
    c->titled += titled != 0;
    c->attached += attached != 0;
    c->truncated += truncated != 0;
    if (at->title) c->title++;
    else if (at->heading) c->heading++;
    else c->body++;
    if (at->rank < c->first_rank) c->first_rank = at->rank;
    int in_body = at->sentence >= 0;
    if (c->rep == SIZE_MAX || (in_body && !c->rep_in_body)) {
        c->rep = first_token;
        c->rep_in_body = in_body != 0;
    }
    if (at->sentence >= 0 && c->last_sentence != at->sentence) {
        c->last_sentence = at->sentence;
        c->sentences++;
        if (at->sentence > (long)UINT32_MAX) return KHABAR_OK; /* past what a visit holds */
        visit *v = kh_vec_push(&s->visits, sizeof *v);
        if (!v) return KHABAR_ERROR_MEMORY;
        v->cand = (uint32_t)ci;
        v->sentence = (uint32_t)at->sentence;
    }
    return KHABAR_OK;
}

static void place_of(const khabar_token *t, size_t *next_rank, place *at)
{
    at->title = t->block < 0;
    at->heading = !at->title && t->sentence < 0;
    at->sentence = t->sentence;
    if (t->sentence >= 0) *next_rank = (size_t)t->sentence + 1;
    at->rank = at->title ? 0 : t->sentence >= 0 ? (size_t)t->sentence + 1 : *next_rank;
}

/* Entities: every mention's words as a candidate key pointing to its
 * entity, and the mentions counted on the entity's first key. */
static khabar_status add_entities(kh_tag_scratch *s, const khabar_model *m, const kh_df_table *user,
                                  const khabar_doc *d)
{
    const kh_mention *mentions = d->mentions.data;
    size_t next_rank = 1;
    for (size_t k = 0; k < d->mentions.len; k++) {
        const kh_mention *mn = &mentions[k];
        if (mn->entity >= d->entities.len || mn->first >= mn->last || mn->last > d->tokens.len)
            continue;
        /* an institution in a person's title (النائب الثاني لرئيس مجلس الوزراء)
         * is how the person is named; a place in one (أمير منطقة مكة المكرمة،
         * وزير الخارجية الأمريكي) still says where */
        int titled = s->in_title[mn->first] && mn->type != KH_ENTITY_LOC;
        /* one word that never stands alone as a tag is no tag as a name
         * either: God's name in formulae (حفظه الله، رضي الله عنه), a word
         * written with the accusative's tanween the tagger took for a name
         * (يمنح الجندي شوقًا); a name the reference corpus never uses with
         * a preposition (تنزانيا) stays one */
        const khabar_token *one = &KH_AT(d->tokens, khabar_token, mn->first);
        int apart = mn->last == mn->first + 1 &&
                    (one->kind == KHABAR_TOKEN_ARABIC || one->kind == KHABAR_TOKEN_LATIN) &&
                    (word_of(s, m, one)->w.cls == KH_WORD_MODIFIER ||
                     (s->words[mn->first].cls == KH_WORD_MODIFIER && ends_in_tanween_fath(one)));
        uint32_t terms[MAX_TERMS];
        unsigned n = 0;
        for (size_t i = mn->first; i < mn->last; i++) {
            s->in_mention[i] = 1;
            const khabar_token *t = &KH_AT(d->tokens, khabar_token, i);
            if (t->kind != KHABAR_TOKEN_ARABIC && t->kind != KHABAR_TOKEN_LATIN) continue;
            uint32_t id = s->token_term[i];
            if (id == UINT32_MAX && (id = intern_term(s, m, user, t, word_of(s, m, t))) == UINT32_MAX)
                return KHABAR_ERROR_MEMORY;
            if (n < MAX_TERMS) terms[n++] = id;
        }
        if (!n) continue;
        int made;
        size_t ci = intern_cand(s, terms, n, &made);
        if (ci == SIZE_MAX) return KHABAR_ERROR_MEMORY;
        cand *c = (cand *)s->cands.data + ci;
        if (made) c->entity = (long)mn->entity;
        if (c->entity < 0 || apart) continue;
        size_t *primary = &s->primary[c->entity];
        if (*primary == SIZE_MAX) *primary = ci;
        place at;
        place_of(&KH_AT(d->tokens, khabar_token, mn->first), &next_rank, &at);
        khabar_status st = count_occurrence(s, *primary, mn->first, &at, 0, 0, titled);
        if (st) return st;
    }
    return KHABAR_OK;
}

/* The currency or measure of an amount (مليار و286 مليون دولار, 20 كيلومترا)
 * says what the number counts, not what the article is about: it joins no
 * phrase (the same word elsewhere, سعر الدولار, still does). */
static void units_apart(kh_tag_scratch *s, const khabar_doc *d, const kh_tag_params *p)
{
    const kh_quantity *q = d->quantities.data;
    for (size_t k = 0; p->units_apart && k < d->quantities.len; k++) {
        if (!q[k].unit_code) continue;
        for (size_t i = q[k].unit.first; i < q[k].unit.last && i < d->tokens.len; i++)
            s->words[i].cls = KH_WORD_BREAK;
    }
    const kh_date *dt = d->dates.data;
    for (size_t k = 0; p->dates_apart && k < d->dates.len; k++)
        for (size_t i = dt[k].first; i < dt[k].last && i < d->tokens.len; i++)
            s->words[i].cls = KH_WORD_BREAK;
}

enum {
    TITLE_BEFORE = 6, /* words before a person's name searched for a title (صاحب السمو الملكي الأمير) */
    TITLE_AFTER = 10  /* words of a title after it (ولي ولي العهد النائب الثاني لرئيس مجلس الوزراء) */
};

/* Whether token j may belong to the title phrase of a name in token at's
 * sentence: a word of a phrase or of another thing's name (مجلس الوزراء,
 * السعودي), not of a person's. */
static int title_word(const kh_tag_scratch *s, const khabar_doc *d, size_t j, size_t at)
{
    const khabar_token *t = &KH_AT(d->tokens, khabar_token, j), *a = &KH_AT(d->tokens, khabar_token, at);
    const kh_tag_word *w = &s->words[j];
    return s->in_mention[j] != 2 && t->sentence == a->sentence && t->block == a->block &&
           (s->in_mention[j] || w->cls == KH_WORD_CONTENT || w->cls == KH_WORD_MODIFIER);
}

/* Whether a word starts with the conjunction و: it begins the next item of a list. */
static int starts_with_waw(const khabar_token *t)
{
    uint32_t c;
    size_t n = strlen(t->segments);
    return n > 2 && kh_utf8_decode((const unsigned char *)t->segments, n, &c) == 2 && c == WAW &&
           t->segments[2] == '+';
}

/* A person's titles, ranks and honorifics beside the name (صاحب السمو
 * الملكي الأمير محمد بن سلمان ولي ولي العهد النائب الثاني لرئيس مجلس
 * الوزراء، العميد الطيار الركن صالح بن طالب) say how the person is named,
 * not what the article is about: from the first title word of the run of
 * words before the name, and from a title word right after it to the end
 * of its phrase, they join no phrase.  The same words elsewhere (a
 * sentence on مجلس الوزراء) still count. */
static void person_titles(kh_tag_scratch *s, const khabar_doc *d, const kh_tag_params *p)
{
    const kh_mention *mentions = d->mentions.data;
    size_t n = d->tokens.len;
    if (!p->person_titles) return;
    for (size_t k = 0; k < d->mentions.len; k++)
        for (size_t i = mentions[k].first; i < mentions[k].last && i < n; i++)
            if (s->in_mention[i] != 2) s->in_mention[i] = mentions[k].type == KH_ENTITY_PER ? 2 : 1;
    for (size_t k = 0; k < d->mentions.len; k++) {
        const kh_mention *mn = &mentions[k];
        if (mn->type != KH_ENTITY_PER || mn->first >= mn->last || mn->last > n) continue;
        size_t from = mn->first;
        for (size_t back = 1; back <= TITLE_BEFORE && back <= mn->first; back++) {
            size_t j = mn->first - back;
            if (!title_word(s, d, j, mn->first)) break;
            if (s->words[j].title && !s->in_mention[j]) from = j;
            if (s->words[j].proclitic) break;
        }
        for (size_t j = from; j < mn->first; j++) s->in_title[j] = 1;
        /* after the name, a title and the rest of its phrase, through a
         * function word when another title follows (وزير الدولة عضو مجلس
         * الوزراء), up to the next item of a list (، وعادل الجبير) */
        size_t j = mn->last, end = mn->last + TITLE_AFTER;
        while (j < n && j < end && !s->in_mention[j] && s->words[j].title &&
               title_word(s, d, j, mn->first) && !starts_with_waw(&KH_AT(d->tokens, khabar_token, j))) {
            while (j < n && j < end && title_word(s, d, j, mn->first) &&
                   !starts_with_waw(&KH_AT(d->tokens, khabar_token, j)))
                s->in_title[j++] = 1;
            if (j + 1 < n && s->words[j].cls == KH_WORD_STOP) j++;
        }
    }
}

/* Phrases of the text: every run of one to MAX_WORDS eligible words. */
static khabar_status add_phrases(kh_tag_scratch *s, const khabar_doc *d, const kh_tag_params *p)
{
    const khabar_token *tokens = d->tokens.data;
    size_t n = d->tokens.len, next_rank = 1;
    for (size_t i = 0; i < n; i++) {
        const kh_tag_word *w = &s->words[i];
        if (w->cls != KH_WORD_CONTENT || s->in_mention[i]) continue;
        place at;
        place_of(&tokens[i], &next_rank, &at);
        /* an adjective: the article, right after a word its phrase could start with */
        int attached = w->article && !w->proclitic && i > 0 && !s->in_mention[i - 1] &&
                       (s->words[i - 1].cls == KH_WORD_CONTENT || s->words[i - 1].cls == KH_WORD_MODIFIER) &&
                       tokens[i - 1].sentence == tokens[i].sentence && tokens[i - 1].block == tokens[i].block;
        uint32_t terms[MAX_WORDS];
        int titled = 0;
        for (unsigned len = 0; len < MAX_WORDS && i + len < n; len++) {
            size_t j = i + len;
            const kh_tag_word *x = &s->words[j];
            if (len && (x->proclitic || tokens[j].block != tokens[i].block ||
                        tokens[j].sentence != tokens[i].sentence))
                break;
            if (s->in_mention[j] || (x->cls != KH_WORD_CONTENT && x->cls != KH_WORD_MODIFIER)) break;
            terms[len] = s->token_term[j]; /* every content word and modifier has one */
            titled |= s->in_title[j];
            /* a title never ends a phrase: alone (الأمير، السمو، سموه) it says
             * how someone is named, in construct (ولي ولي | العهد، رئيس هيئة |
             * الأركان، معالي وزير) it is cut off before what it is the title of */
            if (p->person_titles && x->title) continue;
            int made;
            size_t ci = intern_cand(s, terms, len + 1, &made);
            if (ci == SIZE_MAX) return KHABAR_ERROR_MEMORY;
            cand *c = (cand *)s->cands.data + ci;
            if (c->entity >= 0 && s->primary[c->entity] != SIZE_MAX) ci = s->primary[c->entity];
            size_t after = j + 1;
            int truncated = !x->article && after < n && tokens[after].sentence == tokens[i].sentence &&
                            tokens[after].block == tokens[i].block && !s->words[after].proclitic &&
                            (s->in_mention[after] ? p->names_complete != 0
                                                  : s->words[after].cls == KH_WORD_CONTENT && s->words[after].article);
            khabar_status st = count_occurrence(s, ci, i, &at, attached, truncated, titled);
            if (st) return st;
        }
    }
    return KHABAR_OK;
}

static size_t occurrences(const cand *c) { return c->body + c->title + c->heading; }

static void score(kh_tag_scratch *s, const kh_tag_params *p)
{
    cand *c = s->cands.data;
    const term *terms = s->terms.data;
    for (size_t i = 0; i < s->cands.len; i++) {
        cand *x = &c[i];
        x->score = x->base = 0;
        int is_entity = x->entity >= 0;
        if (is_entity && s->primary[x->entity] != i) continue; /* counted on the entity's first key */
        /* a tag is what the article is about, not a word of its headline alone */
        if (!x->body && !x->heading) continue;
        if (!is_entity && x->n > 1 && occurrences(x) < p->min_phrase_tf) continue;
        /* used only in people's titles: how they are named, not a subject */
        if (x->titled >= occurrences(x)) continue;
        double idf = 0, noun = 1;
        for (unsigned k = 0; k < x->n; k++) {
            const term *t = &terms[x->terms[k]];
            idf += t->idf;
            if (t->verbish && !t->has_article) noun = p->verb_penalty, x->verbal = 1;
        }
        idf /= x->n;
        if (x->verbal && x->n == 1 && !is_entity) continue; /* a verb alone is never a tag */
        double tf = x->body + x->title + x->heading + p->title_weight * x->title +
                    p->heading_weight * x->heading - (1 - p->attached_weight) * x->attached -
                    (1 - p->truncated_weight) * x->truncated - (1 - p->titled_weight) * x->titled;
        double lead = 1 + p->lead_weight / (1.0 + (double)x->first_rank);
        /* an entity's name is one thing however many words it takes: a name of
         * two words or more has a factor of its own */
        unsigned words = is_entity && x->n > 2 ? 2 : x->n;
        double length = words < 2 ? 1 : is_entity ? p->name_weight : p->length_weight[words > 4 ? 2 : words - 2];
        if (x->n == 1 && !is_entity && !terms[x->terms[0]].has_article && !terms[x->terms[0]].named)
            length = p->bare_weight;
        if (tf <= 0) continue;
        if (!is_entity && x->truncated >= occurrences(x)) length *= p->fragment_weight;
        x->score = x->base = tf * idf * lead * length * (is_entity ? p->entity_weight : noun);
    }
    /* A branch or part of a thing the article is about is what an editor
     * tags too, however rarely it is named: it gains a share of the score
     * of the entity its name begins with (the base scores, not the raised).
     * A sequence of terms is one candidate, so the entities a name begins
     * with are found by looking up its shorter beginnings, not by going
     * through every candidate for every entity. */
    if (p->branch_share <= 0) return;
    for (size_t i = 0; i < s->cands.len; i++) {
        cand *x = &c[i];
        if (x->entity < 0 || s->primary[x->entity] != i || x->score <= 0) continue;
        double best = 0;
        for (unsigned len = 1; len < x->n; len++) {
            size_t j = find_cand(s, x->terms, len);
            if (j == SIZE_MAX) continue;
            const cand *y = &c[j];
            if (y->entity < 0 || y->entity == x->entity || s->primary[y->entity] != j) continue;
            if (y->base > best) best = y->base;
        }
        x->score += p->branch_share * best;
    }
}

/* Whether terms a[0..na) occur as a contiguous run inside b[0..nb). */
static int inside(const uint32_t *a, unsigned na, const uint32_t *b, unsigned nb)
{
    for (unsigned i = 0; na && i + na <= nb; i++)
        if (!memcmp(a, b + i, na * sizeof *a)) return 1;
    return 0;
}

static int same_words(const cand *a, const cand *b)
{
    if (a->n != b->n) return 0;
    for (unsigned i = 0; i < a->n; i++) {
        unsigned k = 0;
        while (k < b->n && b->terms[k] != a->terms[i]) k++;
        if (k == b->n) return 0;
    }
    return 1;
}

/* Whether candidate x says the same thing as a tag already taken. */
static int repeats(const cand *x, const cand *const *taken, size_t n_taken)
{
    for (size_t i = 0; i < n_taken; i++) {
        const cand *t = taken[i];
        if (x->entity >= 0 && t->entity >= 0) continue; /* the linker told them apart */
        if (same_words(x, t)) return 1;
        if (inside(t->terms, t->n, x->terms, x->n)) return 1;
        /* a part of a tag taken is a thing of its own only when it also
         * stands apart from it, at least as often as the tag occurs */
        if (inside(x->terms, x->n, t->terms, t->n)) {
            size_t outside = occurrences(x) > occurrences(t) ? occurrences(x) - occurrences(t) : 0;
            if (outside < 2 || outside < occurrences(t)) return 1;
        }
    }
    return 0;
}

/* Appends the canonical form of one word token to b. */
static int put_word(kh_tag_scratch *s, const khabar_model *m, kh_buf *b, const khabar_token *t,
                    const kh_tag_word *w)
{
    if (t->kind != KHABAR_TOKEN_ARABIC) return kh_buf_append(b, t->span.text, t->span.text_len);
    if (w->article) {
        char art[8];
        if (kh_buf_append(b, art, put_article(art))) return -1;
    }
    /* The written word, with the letters of its clitics cut off both ends:
     * keeps the spelling as written (hamza, alef maqsura), which the
     * segmentation's normal form does not. */
    kh_buf *tmp = &s->text;
    tmp->len = 0;
    if (kh_normalize_append(tmp, t->span.text, t->span.text_len,
                            KHABAR_FOLD_NFKC | KHABAR_FOLD_DIACRITICS | KHABAR_FOLD_TATWEEL))
        return -1;
    const char *seg = t->segments;
    size_t seg_len = strlen(seg);
    size_t stem_letters = letters_of(seg + w->base, w->base_len), after = 0;
    for (size_t i = w->base + w->base_len; i < seg_len; i++)
        after += seg[i] != '+' && ((unsigned char)seg[i] & 0xC0) != 0x80;
    /* A pronoun suffix stays when the word without it is unknown to the
     * reference corpus: more likely a name's last letter (أربيه) than a
     * pronoun on a word never seen bare. */
    char key[MAX_KEY];
    size_t k = after ? folded_base(t, w, key) : 0;
    if (k && m->vocab && !kh_lexicon_count_normal(m->vocab, key, k)) stem_letters += after, after = 0;
    size_t total = letters_of(tmp->data, tmp->len);
    if (total < stem_letters + after) return kh_buf_append(b, seg + w->base, w->base_len);
    size_t skip = total - stem_letters - after, i = 0, letter = 0, start = 0;
    for (; i < tmp->len; i++) {
        if (((unsigned char)tmp->data[i] & 0xC0) == 0x80) continue;
        if (letter == skip) start = i;
        if (letter == skip + stem_letters) break;
        letter++;
    }
    return kh_buf_append(b, tmp->data + start, i - start);
}

/* The canonical form of a candidate into s->shown (NUL-terminated). */
static int render(kh_tag_scratch *s, const khabar_model *m, const khabar_doc *d, const cand *c)
{
    kh_buf *b = &s->shown;
    b->len = 0;
    const kh_entity *e = c->entity >= 0 ? &KH_AT(d->entities, kh_entity, (size_t)c->entity) : NULL;
    if (e && e->name && *e->name) {
        if (kh_buf_append(b, e->name, strlen(e->name))) return -1;
    } else {
        for (unsigned k = 0, words = 0; c->rep + k < d->tokens.len && words < c->n; k++) {
            const khabar_token *t = &KH_AT(d->tokens, khabar_token, c->rep + k);
            if (t->kind != KHABAR_TOKEN_ARABIC && t->kind != KHABAR_TOKEN_LATIN) continue;
            if ((words && kh_buf_putc(b, ' ')) || put_word(s, m, b, t, &s->words[c->rep + k]))
                return -1;
            words++;
        }
    }
    if (kh_buf_putc(b, '\0')) return -1;
    b->len--;
    return 0;
}

/* Hash of a canonical form with its spaces and the article left out and
 * alef forms folded: عبد الله and عبدالله, الأوسكار and أوسكار are one thing. */
static uint64_t squashed_hash(kh_buf *tmp, const char *text, size_t n)
{
    tmp->len = 0;
    if (kh_normalize_append(tmp, text, n, KHABAR_FOLD_ALL)) return kh_hash(text, n);
    char article[8];
    size_t a = put_article(article), out = 0;
    for (size_t i = 0; i < tmp->len;) {
        size_t word = i;
        while (i < tmp->len && tmp->data[i] != ' ') i++;
        size_t from = word;
        if (i - word > a + 4 && !memcmp(tmp->data + word, article, a)) from += a;
        memmove(tmp->data + out, tmp->data + from, i - from);
        out += i - from;
        while (i < tmp->len && tmp->data[i] == ' ') i++;
    }
    return kh_hash(tmp->data, out);
}

static int by_tag_sentence(const void *pa, const void *pb)
{
    const kh_tag_sentence *a = pa, *b = pb;
    if (a->tag != b->tag) return a->tag < b->tag ? -1 : 1;
    return a->sentence < b->sentence ? -1 : a->sentence > b->sentence;
}

/* The fuller form x is usually part of: a name's (عادل إمام for عادل), a
 * term's (المياه الجوفية for الجوفية).  Grows x one word at a time, each
 * time into the commonest phrase one word longer that contains it, while
 * that phrase occurs at least twice and has at least p->expand_share of the
 * occurrences of the form before it.  NULL when x does not grow. */
static cand *expansion(kh_tag_scratch *s, cand *x, const kh_tag_params *p)
{
    if (x->entity >= 0) return NULL;
    cand *c = s->cands.data, *at = x;
    const size_t *fuller = s->fuller.data;
    for (;;) {
        cand *best = NULL;
        for (size_t i = 0; i < s->fuller.len; i++) {
            cand *y = &c[fuller[i]];
            if (y->n != at->n + 1 || y->taken ||
                (double)occurrences(y) < p->expand_share * (double)occurrences(at) ||
                !inside(at->terms, at->n, y->terms, y->n))
                continue;
            if (!best || occurrences(y) > occurrences(best)) best = y;
        }
        if (!best) break;
        at = best;
    }
    return at == x ? NULL : at;
}

static khabar_status select_tags(kh_tag_scratch *s, const khabar_model *mo, khabar_doc *d,
                                 const kh_tag_params *p)
{
    size_t n = s->cands.len;
    if (n > s->order_cap) {
        ranked *o = realloc(s->order, n * sizeof *o);
        if (!o) return KHABAR_ERROR_MEMORY;
        s->order = o;
        s->order_cap = n;
    }
    cand *c = s->cands.data;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].score > 0)
            s->order[m++] = (ranked){c[i].score, c[i].first_rank, c[i].rep, i};
    /* Tags come from the head of the ranking: sort the best few, the rest
     * only if the head runs out. */
    size_t head = m < 4 * (size_t)p->max_tags + 16 ? m : 4 * (size_t)p->max_tags + 16;
    if (head > 1) { /* no candidates: no order array either */
        partition_best(s->order, m, head);
        qsort(s->order, head, sizeof *s->order, by_score);
    }
    /* the phrases a tag may grow into (expansion) */
    s->fuller.len = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i].entity >= 0 || c[i].n < 2 || c[i].verbal || c[i].score <= 0 || occurrences(&c[i]) < 2)
            continue;
        size_t *f = kh_vec_push(&s->fuller, sizeof *f);
        if (!f) return KHABAR_ERROR_MEMORY;
        *f = i;
    }

    const cand *taken[64];
    uint64_t taken_forms[64];
    size_t max = p->max_tags < 64 ? p->max_tags : 64, n_taken = 0;
    double best = m ? s->order[0].score : 0;
    for (size_t k = 0; k < m && n_taken < max; k++) {
        if (k == head) qsort(s->order + head, m - head, sizeof *s->order, by_score);
        cand *x = &c[s->order[k].cand];
        if (n_taken >= p->min_tags && x->score < p->min_relative * best) break;
        if (x->taken || repeats(x, taken, n_taken)) continue;
        cand *longer = expansion(s, x, p);
        if (longer && !repeats(longer, taken, n_taken)) {
            longer->score = x->score;
            x = longer;
        }
        if (render(s, mo, d, x)) return KHABAR_ERROR_MEMORY;
        uint64_t form = squashed_hash(&s->squashed, s->shown.data, s->shown.len);
        size_t same = 0;
        while (same < n_taken && taken_forms[same] != form) same++;
        if (same < n_taken) continue;
        kh_tag *tag = kh_vec_push(&d->tags, sizeof *tag);
        if (!tag) return KHABAR_ERROR_MEMORY;
        if (!(tag->text = kh_arena_strndup(&d->arena, s->shown.data, s->shown.len)))
            return KHABAR_ERROR_MEMORY;
        tag->score = x->score / best;
        tag->entity = x->entity;
        x->taken = 1;
        x->tag = (uint32_t)n_taken;
        taken_forms[n_taken] = form;
        taken[n_taken++] = x;
    }
    const visit *v = s->visits.data;
    for (size_t i = 0; i < s->visits.len; i++) {
        if (!c[v[i].cand].taken) continue;
        kh_tag_sentence *out = kh_vec_push(&d->tag_sentences, sizeof *out);
        if (!out) return KHABAR_ERROR_MEMORY;
        out->tag = c[v[i].cand].tag;
        out->sentence = v[i].sentence;
    }
    if (d->tag_sentences.len > 1)
        qsort(d->tag_sentences.data, d->tag_sentences.len, sizeof(kh_tag_sentence), by_tag_sentence);
    return KHABAR_OK;
}

const uint32_t *kh_tag_token_terms(const khabar_analyzer *an, size_t *n_terms)
{
    const kh_tag_scratch *s = an ? an->tagging : NULL;
    if (n_terms) *n_terms = s ? s->terms.len : 0;
    return s ? s->token_term : NULL;
}

khabar_status kh_tags(khabar_analyzer *an, khabar_doc *d, const kh_tag_params *p,
                      const kh_df_table *user, khabar_error *err)
{
    if (!an || !d) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "kh_tags: NULL argument");
    kh_tag_params defaults;
    if (!p) {
        kh_tag_params_init(&defaults);
        p = &defaults;
    }
    const khabar_model *m = an->model;
    if (!an->tagging && !(an->tagging = calloc(1, sizeof *an->tagging)))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    kh_tag_scratch *s = an->tagging;
    khabar_status st = prepare(s, d);
    if (st) return kh_fail(err, st, 0, "out of memory");
    const khabar_token *tokens = d->tokens.data;
    for (size_t i = 0; i < d->tokens.len; i++) {
        s->token_term[i] = UINT32_MAX;
        if (tokens[i].kind != KHABAR_TOKEN_ARABIC && tokens[i].kind != KHABAR_TOKEN_LATIN) {
            memset(&s->words[i], 0, sizeof s->words[i]);
            s->words[i].cls = KH_WORD_BREAK;
            continue;
        }
        const word_info *info = word_of(s, m, &tokens[i]);
        s->words[i] = info->w;
        /* an indefinite accusative (يمنح الجندي شوقًا، تقديرًا لتضحياتهم) is
         * an adverb or an object, not what the article is about: it may end a
         * phrase (معدلة وراثيا) but neither starts one nor stands alone */
        if (p->accusatives_apart && info->w.cls == KH_WORD_CONTENT &&
            (info->accusative || ends_in_tanween_fath(&tokens[i])))
            s->words[i].cls = KH_WORD_MODIFIER;
        if ((info->w.cls == KH_WORD_CONTENT || info->w.cls == KH_WORD_MODIFIER) &&
            (s->token_term[i] = intern_term(s, m, user, &tokens[i], info)) == UINT32_MAX)
            return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        size_t *u = info->unsplit ? kh_vec_push(&s->unsplit, sizeof *u) : NULL;
        if (info->unsplit && !u) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        if (u) *u = i;
    }
    /* A conjunction or preposition the segmenter left on a word it did not
     * know comes off when the article also uses the word without it. */
    const size_t *unsplit = s->unsplit.data;
    for (size_t k = 0; k < s->unsplit.len; k++) {
        size_t i = unsplit[k];
        const word_info *info = word_of(s, m, &tokens[i]);
        uint32_t bare = find_term(s, info->unsplit);
        if (bare == UINT32_MAX || bare == s->token_term[i]) continue;
        s->token_term[i] = bare;
        s->words[i].proclitic = 1;
        s->words[i].base += 2; /* the letter's two bytes */
        s->words[i].base_len -= 2;
    }
    units_apart(s, d, p);
    person_titles(s, d, p);
    if ((st = add_entities(s, m, user, d)) || (st = add_phrases(s, d, p)))
        return kh_fail(err, st, 0, "out of memory");
    score(s, p);
    if ((st = select_tags(s, m, d, p))) return kh_fail(err, st, 0, "out of memory");
    return KHABAR_OK;
}
