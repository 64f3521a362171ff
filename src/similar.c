/* Sentences within an article that say the same thing in other words.
 *
 * Each sentence becomes the set of its content words, matched by stem, by
 * the form left when proclitics are removed (وروسيا meets روسيا even where
 * the stemmer keeps a name whole) and by a long stem less its last letter
 * (endings the stemmer half removes).  A word weighs 1 / (1 + k), k the
 * number of the article's other sentences that use it: words that many
 * sentences share (function words, the story's main actors) say little
 * about whether two sentences make the same claim, words only the two
 * share say much.  When the model has word counts from a reference corpus,
 * a word's weight is also scaled by how rare it is there.
 *
 * Two sentences are compared by the weighted share of each one's words that
 * the other has, combined by their harmonic mean, so that one short
 * sentence inside a long one does not count as a repeat of it.  A pair whose
 * sentences both give figures but share none is discounted by half: two
 * statements of one claim keep its figures, while parallel sentences (one
 * country's figures, then another's) differ in exactly those.  A pair
 * that says the opposite is discounted by half too: one sentence tells of a
 * rise and the other of a fall (ارتفاعا ملحوظا against انخفاضا ملحوظا), or
 * one denies a word the other affirms (لم يعلن against أعلن: the word after
 * لم، لا، لن، ليس; data/polarity.txt).
 *
 * Tuned on SaudiNewsNet records 101-400 (docs/dedup.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "dedup.h"
#include "doc.h"

enum {
    MIN_WORDS = 4,     /* content words a sentence needs to be compared */
    MIN_SHARED = 4,    /* content words two sentences must share */
    MIN_LETTERS = 3,   /* shorter words are function words (في من عن لا ما قد لم) */
    MIN_BASE = 3,      /* letters left after removing proclitics */
    MIN_TRUNCATED = 5  /* letters a stem needs to meet its form without the last */
};

static size_t letters_of(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

/* A node is a distinct word form (a stem) or a proclitic-free form of one. */
typedef struct node {
    uint64_t hash;
    uint32_t parent;      /* union-find: forms that match */
    int seen;             /* a word of the text has this form (not only derived) */
    int number;           /* the form is a number */
    double corpus_weight; /* informativeness in the reference corpus, 0..1 (0 when derived) */
} node;

typedef struct finder {
    kh_vec nodes;     /* node */
    uint32_t *slots;  /* open addressing over nodes by hash; UINT32_MAX empty */
    size_t mask;
} finder;

static uint32_t root(node *n, uint32_t x)
{
    while (n[x].parent != x) {
        n[x].parent = n[n[x].parent].parent;
        x = n[x].parent;
    }
    return x;
}

static int grow(finder *f)
{
    size_t cap = f->mask ? (f->mask + 1) * 2 : 256;
    uint32_t *slots = malloc(cap * sizeof *slots);
    if (!slots) return -1;
    memset(slots, 0xff, cap * sizeof *slots);
    const node *n = f->nodes.data;
    for (size_t i = 0; i < f->nodes.len; i++) {
        size_t s = (size_t)n[i].hash & (cap - 1);
        while (slots[s] != UINT32_MAX) s = (s + 1) & (cap - 1);
        slots[s] = (uint32_t)i;
    }
    free(f->slots);
    f->slots = slots;
    f->mask = cap - 1;
    return 0;
}

/* The node for a hash, made when new; UINT32_MAX on no memory. */
static uint32_t intern(finder *f, uint64_t hash)
{
    if ((f->nodes.len + 1) * 2 > f->mask + 1 && grow(f)) return UINT32_MAX;
    size_t s = (size_t)hash & f->mask;
    node *n = f->nodes.data;
    while (f->slots[s] != UINT32_MAX) {
        if (n[f->slots[s]].hash == hash) return f->slots[s];
        s = (s + 1) & f->mask;
    }
    node *added = kh_vec_push(&f->nodes, sizeof *added);
    if (!added) return UINT32_MAX;
    uint32_t id = (uint32_t)(f->nodes.len - 1);
    added->hash = hash;
    added->parent = id;
    f->slots[s] = id;
    return id;
}

static void join(finder *f, uint32_t x, uint32_t y)
{
    node *n = f->nodes.data;
    uint32_t a = root(n, x), b = root(n, y);
    if (a != b) n[a > b ? a : b].parent = a > b ? b : a;
}

static int is_proclitic_letter(uint32_t cp)
{
    return cp == WAW || cp == FEH || cp == BEH || cp == LAM || cp == KAF;
}

/* Joins a word with the forms left when 1 to 3 leading letters that can
 * only be proclitics are removed (و ف ب ل ك, optionally ending in ال), as
 * long as MIN_BASE letters remain. */
static int join_proclitic_free_forms(finder *f, uint32_t word, const char *key, size_t len)
{
    uint32_t cps[4];
    size_t ends[4];
    size_t i = 0, letters = 0;
    while (i < len && letters < 4) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)key + i, len - i, &cp);
        if (!k) return 0;
        cps[letters] = cp;
        i += k;
        ends[letters++] = i;
    }
    size_t total = letters_of(key, len);
    for (size_t drop = 1; drop <= 3 && drop < letters && total - drop >= MIN_BASE; drop++) {
        int ok = 1;
        int article = drop >= 2 && cps[drop - 2] == ALEF && cps[drop - 1] == LAM;
        for (size_t j = 0; j < drop - (article ? 2 : 0); j++)
            if (!is_proclitic_letter(cps[j])) ok = 0;
        if (!ok) continue;
        uint32_t base = intern(f, kh_hash(key + ends[drop - 1], len - ends[drop - 1]));
        if (base == UINT32_MAX) return -1;
        join(f, word, base);
    }
    return 0;
}

/* Joins a long stem with itself less its last letter: stemmers leave
 * feminine, dual and plural endings half removed (مفتوحت for مفتوحتين
 * beside مفتوح for مفتوحة). */
static int join_truncated_form(finder *f, uint32_t word, const char *key, size_t len)
{
    if (letters_of(key, len) < MIN_TRUNCATED) return 0;
    size_t cut = len;
    while (cut > 0 && ((unsigned char)key[cut - 1] & 0xC0) == 0x80) cut--;
    if (cut > 0) cut--;
    uint32_t shorter = intern(f, kh_hash(key, cut));
    if (shorter == UINT32_MAX) return -1;
    join(f, word, shorter);
    return 0;
}

static int is_content(const khabar_token *t)
{
    return t->kind == KHABAR_TOKEN_ARABIC || t->kind == KHABAR_TOKEN_LATIN ||
           t->kind == KHABAR_TOKEN_NUMBER;
}

/* 1 for a word absent from the reference corpus (`count` its occurrences
 * there), falling towards 0 for the most frequent; 1 for every word when
 * the model has no counts. */
static double corpus_weight(const khabar_model *m, uint32_t count)
{
    uint64_t total = m && m->vocab ? kh_lexicon_total(m->vocab) : 0;
    if (total < 2) return 1;
    double w = log((double)total / (count + 1.0)) / log((double)total);
    return w < 0.05 ? 0.05 : w > 1 ? 1 : w;
}

static int cmp_u32(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

/* Pairs in order of a, then b. */
static int cmp_pair(const void *pa, const void *pb)
{
    const kh_sentence_pair *x = pa, *y = pb;
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    return x->b < y->b ? -1 : x->b > y->b;
}

/* How far back a sentence looks for one it repeats. */
#define SENTENCE_WINDOW 256

/* Weight of a word that `others` other sentences of the article use. */
static double rarity(uint32_t others) { return 1.0 / (1.0 + others); }

/* What a sentence shares with an earlier one, summed over their common words. */
typedef struct pair_acc {
    size_t words, numbers;
    double shared;  /* weights of the shared words (w2) */
    double shared1; /* the same words weighed as if unshared (w1) */
} pair_acc;

/* What is left of a pair's similarity when both give figures and share none. */
#define FIGURES_DIFFER 0.5
/* What is left of it when the two sentences say the opposite. */
#define SAYS_OPPOSITE 0.5

enum { TELLS_RISE = 1, TELLS_FALL = 2 };

/* The polarity class of a token (KH_POLARITY_*), 0 for none: a change by
 * its stem (انخفاضا → انخفاض), a particle as written, with و or ف at most
 * (ولم; the stem of لنك is لن too).  Norms and stems are already in the
 * table's normal form (KHABAR_FOLD_ALL). */
static uint32_t polarity_of(const khabar_model *m, const khabar_token *tok)
{
    if (!m || !m->polarity || tok->kind != KHABAR_TOKEN_ARABIC) return 0;
    const char *key = tok->stem && *tok->stem ? tok->stem : tok->norm;
    uint32_t c = kh_lexicon_count_normal(m->polarity, key, strlen(key));
    if (c == KH_POLARITY_RISE || c == KH_POLARITY_FALL) return c;
    const char *s = tok->norm;
    size_t n = strlen(s);
    c = kh_lexicon_count_normal(m->polarity, s, n);
    uint32_t cp;
    unsigned k = n ? kh_utf8_decode((const unsigned char *)s, n, &cp) : 0;
    if (!c && k && (cp == WAW || cp == FEH)) c = kh_lexicon_count_normal(m->polarity, s + k, n - k);
    return c == KH_POLARITY_NEGATION || c == KH_POLARITY_IDIOM ? c : 0;
}

/* The number of x in the sorted g[0..n). */
static size_t group_count(const uint32_t *g, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    size_t first = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g[mid] <= x) lo = mid + 1;
        else hi = mid;
    }
    return lo - first;
}

/* Whether sentence a denies a word that sentence b has and does not deny;
 * the denied words of s are denied[dstart[s], dstart[s + 1]), sorted and
 * distinct, as a sentence's words w[start[s], start[s] + count[s]) are. */
static int denies_what_other_says(const uint32_t *denied, const size_t *dstart, const uint32_t *w,
                                  const size_t *start, const size_t *count, size_t a, size_t b)
{
    for (size_t i = dstart[a]; i < dstart[a + 1]; i++) {
        uint32_t g = denied[i];
        if (group_count(w + start[b], count[b], g) &&
            !group_count(denied + dstart[b], dstart[b + 1] - dstart[b], g))
            return 1;
    }
    return 0;
}

/* A token's count in the reference vocabulary: as the tokenizer noted it,
 * or, once a long article has given those back (src/analyses.c), looked up
 * again the same way. */
static uint32_t vocab_count(const khabar_model *m, const khabar_doc *doc, size_t t)
{
    if (t < doc->token_counts.len) return KH_AT(doc->token_counts, uint32_t, t);
    const khabar_token *tok = &KH_AT(doc->tokens, khabar_token, t);
    if (!m->vocab || tok->kind == KHABAR_TOKEN_PUNCT) return 0;
    return (uint32_t)kh_lexicon_count_normal(m->vocab, tok->norm, strlen(tok->norm));
}

khabar_status kh_sentence_duplicates(const khabar_model *model, const khabar_doc *doc,
                                     double threshold, kh_vec *pairs, khabar_error *err)
{
    size_t first_pair = pairs ? pairs->len : 0;
    if (!doc || !pairs) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "kh_sentence_duplicates: NULL argument");
    if (threshold <= 0) threshold = KH_SENTENCE_DUPLICATE_THRESHOLD;
    size_t sentences = khabar_doc_sentence_count(doc);
    if (sentences < 2) return KHABAR_OK;
    if (sentences >= UINT32_MAX) return kh_fail(err, KHABAR_ERROR_TOO_LARGE, 0, "too many sentences");

    finder f = {0};
    kh_vec words = {0};  /* uint32_t node of each content word, sentence after sentence */
    size_t *start = calloc(sentences + 1, sizeof *start); /* sentence s: words [start[s], start[s+1]) */
    size_t *count = calloc(sentences, sizeof *count);     /* its distinct groups, at words[start[s]] */
    uint32_t *df = NULL;
    double *weight = NULL;
    unsigned char *is_number = NULL;
    double *w1 = NULL, *w2 = NULL, *total1 = NULL;
    unsigned *polarity = NULL; /* TELLS_RISE, TELLS_FALL of each sentence */
    kh_vec denied = {0};       /* uint32_t node of each word after a negation */
    size_t *dstart = NULL;     /* sentence s: denied [dstart[s], dstart[s+1]) */
    size_t *numbers = NULL, *post_start = NULL, *post_pos = NULL;
    uint32_t *postings = NULL, *touched = NULL;
    pair_acc *acc = NULL;
    khabar_status st = KHABAR_OK;
    polarity = calloc(sentences, sizeof *polarity);
    dstart = calloc(sentences + 1, sizeof *dstart);
    if (!start || !count || !polarity || !dstart) goto no_memory;

    for (size_t s = 0; s < sentences; s++) {
        const khabar_sentence *sent = khabar_doc_sentence(doc, s);
        start[s] = words.len;
        dstart[s] = denied.len;
        int negated = 0; /* the token before denies this one */
        for (size_t t = sent->first_token; t < sent->first_token + sent->token_count; t++) {
            const khabar_token *tok = khabar_doc_token(doc, t);
            uint32_t pol = polarity_of(model, tok);
            if (pol == KH_POLARITY_RISE) polarity[s] |= TELLS_RISE;
            else if (pol == KH_POLARITY_FALL) polarity[s] |= TELLS_FALL;
            /* the word right after the particle, unless the two are an idiom
             * that affirms (لا يزال "still", لا سيما; لا شك and لا بد deny a
             * word too short to compare) */
            int denied_here = negated && pol != KH_POLARITY_NEGATION && pol != KH_POLARITY_IDIOM;
            negated = pol == KH_POLARITY_NEGATION;
            if (!is_content(tok)) continue;
            const char *key = tok->stem && *tok->stem ? tok->stem : tok->norm;
            size_t len = strlen(key);
            if (tok->kind != KHABAR_TOKEN_NUMBER && letters_of(key, len) < MIN_LETTERS) continue;
            uint32_t id = intern(&f, kh_hash(key, len));
            if (id == UINT32_MAX) goto no_memory;
            node *n = f.nodes.data;
            if (!n[id].seen) {
                /* looked up once a form: the first spelling stands for the others */
                /* the tokenizer noted each token's count in the vocabulary */
                n[id].corpus_weight = corpus_weight(model, vocab_count(model, doc, t));
                n[id].seen = 1;
                n[id].number = tok->kind == KHABAR_TOKEN_NUMBER;
                if (!n[id].number && (join_proclitic_free_forms(&f, id, key, len) ||
                                      join_truncated_form(&f, id, key, len)))
                    goto no_memory;
            }
            uint32_t *w = kh_vec_push(&words, sizeof *w);
            if (!w) goto no_memory;
            *w = id;
            if (denied_here) {
                uint32_t *d = kh_vec_push(&denied, sizeof *d);
                if (!d) goto no_memory;
                *d = id;
            }
        }
    }
    start[sentences] = words.len;
    dstart[sentences] = denied.len;

    /* Words to matching groups (union-find roots), each once a sentence;
     * a group's corpus weight is its most informative form's. */
    node *n = f.nodes.data;
    uint32_t *w = words.data;
    size_t nodes = f.nodes.len;
    df = calloc(nodes ? nodes : 1, sizeof *df);
    weight = calloc(nodes ? nodes : 1, sizeof *weight);
    is_number = calloc(nodes ? nodes : 1, 1);
    if (!df || !weight || !is_number) goto no_memory;
    for (size_t i = 0; i < nodes; i++) {
        uint32_t r = root(n, (uint32_t)i);
        if (n[i].corpus_weight > weight[r]) weight[r] = n[i].corpus_weight;
        if (n[i].number) is_number[r] = 1;
    }
    size_t kept = 0; /* denied words kept, over the sentences so far */
    for (size_t s = 0; s < sentences; s++) {
        uint32_t *g = w ? w + start[s] : NULL; /* no content words at all: w is NULL */
        size_t k = start[s + 1] - start[s], u = 0;
        for (size_t i = 0; i < k; i++) g[i] = root(n, g[i]);
        if (k > 1) qsort(g, k, sizeof *g, cmp_u32); /* g may be NULL when k is 0 */
        /* a word the sentence both denies and says is not denied (تخدم
         * شعبها ... التي لا تخدم شعبها): it comes no more often than it is
         * denied */
        size_t from = dstart[s], to = dstart[s + 1];
        if (to > from) { /* denied.data is NULL while nothing is denied */
            uint32_t *dv = (uint32_t *)denied.data + from;
            for (size_t i = 0; i < to - from; i++) dv[i] = root(n, dv[i]);
            qsort(dv, to - from, sizeof *dv, cmp_u32);
        }
        dstart[s] = kept;
        for (size_t i = from; i < to;) {
            uint32_t d = KH_AT(denied, uint32_t, i);
            size_t denials = 0;
            while (i < to && KH_AT(denied, uint32_t, i) == d) { denials++; i++; }
            if (group_count(g, k, d) <= denials) KH_AT(denied, uint32_t, kept++) = d;
        }
        for (size_t i = 0; i < k; i++)
            if (!u || g[u - 1] != g[i]) g[u++] = g[i];
        count[s] = u;
        for (size_t i = 0; i < u; i++) df[g[i]]++;
    }
    dstart[sentences] = kept;


    /* A word's weight in a pair: its corpus weight times its rarity among
     * the article's other sentences (those not in the pair): w1 when only
     * one sentence of the pair has it, w2 when both do. */
    w1 = malloc((nodes ? nodes : 1) * sizeof *w1);
    w2 = malloc((nodes ? nodes : 1) * sizeof *w2);
    total1 = calloc(sentences, sizeof *total1);
    numbers = calloc(sentences, sizeof *numbers);
    post_start = calloc(nodes + 1, sizeof *post_start);
    post_pos = calloc(nodes ? nodes : 1, sizeof *post_pos);
    acc = calloc(sentences, sizeof *acc);
    touched = malloc(sentences * sizeof *touched);
    if (!w1 || !w2 || !total1 || !numbers || !post_start || !post_pos || !acc || !touched)
        goto no_memory;
    for (size_t g = 0; g < nodes; g++) {
        w1[g] = df[g] ? weight[g] * rarity(df[g] - 1) : 0;
        w2[g] = df[g] > 1 ? weight[g] * rarity(df[g] - 2) : 0;
    }
    /* Postings: the comparable sentences of each group, in order. */
    for (size_t s = 0; s < sentences; s++) {
        if (!count[s]) continue; /* w is NULL when no sentence has a content word */
        const uint32_t *g = w + start[s];
        for (size_t i = 0; i < count[s]; i++) {
            total1[s] += w1[g[i]];
            numbers[s] += is_number[g[i]];
            if (count[s] >= MIN_WORDS) post_start[g[i] + 1]++;
        }
    }
    for (size_t g = 0; g < nodes; g++) post_start[g + 1] += post_start[g];
    postings = malloc((post_start[nodes] ? post_start[nodes] : 1) * sizeof *postings);
    if (!postings) goto no_memory;
    memcpy(post_pos, post_start, nodes * sizeof *post_pos);
    for (size_t s = 0; s < sentences; s++) {
        if (count[s] < MIN_WORDS) continue;
        const uint32_t *g = w + start[s];
        for (size_t i = 0; i < count[s]; i++) postings[post_pos[g[i]]++] = (uint32_t)s;
    }
    memcpy(post_pos, post_start, nodes * sizeof *post_pos);

    /* Each sentence is compared with the SENTENCE_WINDOW sentences before it
     * and reported with its best match only: work and output stay linear in
     * the article's length (an article of one sentence repeated thousands of
     * times, or of 50 MB, would otherwise take quadratic time and space).
     * Only sentences sharing a word with it are visited, through the
     * postings; the sums over the words a pair does not share are the
     * sentences' totals less what the pair shares. */
    for (size_t b = 0; b < sentences; b++) {
        if (count[b] < MIN_WORDS) continue;
        size_t lo = b > SENTENCE_WINDOW ? b - SENTENCE_WINDOW : 0;
        size_t n_touched = 0;
        const uint32_t *gb = w + start[b];
        for (size_t i = 0; i < count[b]; i++) {
            uint32_t g = gb[i];
            size_t p = post_pos[g];
            while (p < post_start[g + 1] && postings[p] < lo) p++;
            post_pos[g] = p;
            for (; p < post_start[g + 1] && postings[p] < b; p++) {
                pair_acc *x = &acc[postings[p]];
                if (!x->words) touched[n_touched++] = postings[p];
                x->words++;
                x->shared += w2[g];
                x->shared1 += w1[g];
                x->numbers += is_number[g];
            }
        }
        size_t best_a = SIZE_MAX;
        double best = 0;
        for (size_t k = 0; k < n_touched; k++) {
            size_t a = touched[k];
            pair_acc x = acc[a];
            acc[a] = (pair_acc){0};
            if (x.words < MIN_SHARED || x.shared <= 0) continue;
            double only_a = total1[a] - x.shared1, only_b = total1[b] - x.shared1;
            if (only_a < 0) only_a = 0;
            if (only_b < 0) only_b = 0;
            double in_a = x.shared / (x.shared + only_a), in_b = x.shared / (x.shared + only_b);
            double sim = 2 * in_a * in_b / (in_a + in_b);
            if (numbers[a] - x.numbers > x.numbers && numbers[b] - x.numbers > x.numbers)
                sim *= FIGURES_DIFFER;
            if (sim + 1e-12 < threshold) continue;
            unsigned pa = polarity[a], pb = polarity[b];
            if ((pa == TELLS_RISE && pb == TELLS_FALL) || (pa == TELLS_FALL && pb == TELLS_RISE) ||
                denies_what_other_says(denied.data, dstart, w, start, count, a, b) ||
                denies_what_other_says(denied.data, dstart, w, start, count, b, a))
                sim *= SAYS_OPPOSITE;
            if (sim + 1e-12 < threshold) continue;
            /* the best; of equals, the earliest */
            if (sim > best || (sim == best && a < best_a)) {
                best = sim;
                best_a = a;
            }
        }
        if (best_a == SIZE_MAX) continue;
        kh_sentence_pair *p = kh_vec_push(pairs, sizeof *p);
        if (!p) goto no_memory;
        p->a = best_a;
        p->b = b;
        p->similarity = best;
    }
    if (pairs->len > first_pair + 1)
        qsort((kh_sentence_pair *)pairs->data + first_pair, pairs->len - first_pair,
              sizeof(kh_sentence_pair), cmp_pair);
    goto done;
no_memory:
    st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
done:
    free(start);
    free(count);
    free(polarity);
    free(dstart);
    kh_vec_free(&denied);
    free(df);
    free(weight);
    free(is_number);
    free(w1);
    free(w2);
    free(total1);
    free(numbers);
    free(post_start);
    free(post_pos);
    free(postings);
    free(touched);
    free(acc);
    free(f.slots);
    kh_vec_free(&f.nodes);
    kh_vec_free(&words);
    return st;
}
