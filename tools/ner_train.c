/* ner_train: trains the entity tagger's weights (data/ner.model) on
 * ANERcorp-style CoNLL with averaged structured perceptrons (Collins 2002)
 * over the features of src/ner.c, decoding with Viterbi under the same BIO
 * constraints as the tagger.
 *
 * Two stages.  The first sees each sentence alone.  The second also sees
 * the first stage's tags of the same words in the sentences around (see
 * src/ner.h); to learn how far to trust them it is trained on first-stage
 * tags that are as wrong as they will be on new text: the training
 * sentences are cut into --folds consecutive runs, and each run is tagged by
 * a first stage trained on the others.
 *
 * Usage: ner_train [options] TRAIN.conll
 *   --clusters FILE     word classes (tools/build_clusters.c)
 *   --gazetteer FILE    place names (tools/build_gazetteer.c)
 *   --names FILE        name-likeness model (tools/build_namelike.c)
 *   --out FILE          write the weights
 *   --dev-percent P     hold out the last P% of sentences (P * N / 100
 *                       rounded down) as the development set; 0 trains on
 *                       everything (default 10)
 *   --dev-fold K/N      instead, hold out the K-th of N equal runs of
 *                       consecutive sentences (K from 0), for cross-validation
 *   --dev-gold FILE     write the dev sentences with their gold tags
 *   --dev-pred FILE     write the dev sentences as tagged by the written
 *                       weights, reloaded and run through kh_ner_tag_doc (so
 *                       what is scored is exactly what ships)
 *   --text-out FILE     write the training sentences' tokens, one sentence
 *                       a line (unlabeled text for build_clusters), and stop
 *   --stages 1|2        (default 2)
 *   --window N          sentences each side the second stage looks at (20)
 *   --folds N           runs for the second stage's training tags (5)
 *   --epochs N          passes over the training sentences (default 20)
 *   --dropout P         ignore each feature occurrence with probability P
 *                       while training (default 0.2): spreads weight over
 *                       features that generalise to unseen words
 *   --min-count N       keep features seen at least N times in training (1)
 *   --prune F           before writing, zero the weights smaller than F times
 *                       the largest (features left all zero are dropped)
 *   --templates HEX     first-stage feature groups (KH_NER_FEAT_*; default
 *                       KH_NER_FEAT_BASE)
 *   --templates2 HEX    the second stage's, besides KH_NER_FEAT_DOC (default
 *                       KH_NER_FEAT_WORD | KH_NER_FEAT_CLUSTER: with the first
 *                       stage's tags as features, the rest add little)
 *   --seed N            sentence order shuffling seed (default 1)
 *   --bags N            average N perceptrons trained with seeds N, N + 1,
 *                       ... (default 1): the mean of their scores, at no
 *                       cost in tagging time
 *
 * Input: one token a line, its tag in the last column, a blank line between
 * sentences; PERS is read as PER.  An I- tag that does not continue an
 * entity of its type is trained as B- (conlleval reads it so). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner.h"
#include "read_stream.h"

#define TOOL_NAME "ner_train"
#include "tool.h"

#define T KH_NER_TAGS

/* ---- corpus ---- */

typedef struct {
    size_t first, n; /* tokens [first, first + n) */
} sentence;

static kh_ner_input *tokens;
static uint8_t *gold;     /* tags as trained (I- repaired) */
static char **gold_names; /* tags as written, for --dev-gold */
static size_t n_tokens;
static sentence *sentences;
static size_t n_sentences;
static kh_buf norm_pool;

static void add_sentence(size_t first)
{
    sentences = xrealloc(sentences, (n_sentences + 1) * sizeof *sentences);
    sentences[n_sentences++] = (sentence){first, n_tokens - first};
}

static void read_conll(char *text, size_t len)
{
    size_t cap = 0, first = 0;
    size_t *norm_offsets = NULL;
    char *p = text, *end = text + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl : end;
        *le = '\0';
        if (le > p && le[-1] == '\r') le[-1] = '\0';
        char *save = NULL, *tok = strtok_r(p, " \t", &save);
        if (!tok) {
            if (n_tokens > first) add_sentence(first), first = n_tokens;
        } else {
            char *tag = "O", *t;
            while ((t = strtok_r(NULL, " \t", &save))) tag = t;
            int id = kh_ner_tag_parse(tag, strlen(tag));
            if (id < 0) { fprintf(stderr, "ner_train: unknown tag '%s'\n", tag); exit(1); }
            if (n_tokens == cap) {
                cap = cap ? 2 * cap : 1 << 16;
                tokens = xrealloc(tokens, cap * sizeof *tokens);
                gold = xrealloc(gold, cap);
                gold_names = xrealloc(gold_names, cap * sizeof *gold_names);
                norm_offsets = xrealloc(norm_offsets, cap * sizeof *norm_offsets);
            }
            uint8_t prev = n_tokens > first ? gold[n_tokens - 1] : KH_NER_O;
            if (id != KH_NER_O && !kh_ner_tag_is_begin((unsigned)id) &&
                (prev == KH_NER_O || kh_ner_tag_type(prev) != kh_ner_tag_type((unsigned)id)))
                id = KH_NER_B(kh_ner_tag_type((unsigned)id));
            tokens[n_tokens].text = tok;
            tokens[n_tokens].len = strlen(tok);
            norm_offsets[n_tokens] = norm_pool.len;
            if (kh_normalize_append(&norm_pool, tok, strlen(tok), KHABAR_FOLD_ALL)) die("out of memory");
            tokens[n_tokens].norm_len = norm_pool.len - norm_offsets[n_tokens];
            gold[n_tokens] = (uint8_t)id;
            gold_names[n_tokens] = tag;
            n_tokens++;
        }
        p = nl ? nl + 1 : end;
    }
    if (n_tokens > first) add_sentence(first);
    for (size_t i = 0; i < n_tokens; i++) tokens[i].norm = norm_pool.data + norm_offsets[i];
    free(norm_offsets);
}

static void free_corpus(void)
{
    free(tokens);
    free(gold);
    free(gold_names);
    free(sentences);
    kh_buf_free(&norm_pool);
}

/* A run of sentences tagged as one document (the training part, or dev). */
typedef struct {
    kh_ner_input *tokens;
    uint8_t *gold;
    size_t n;
    size_t *starts;  /* per sentence, into this stream */
    size_t *origin;  /* per sentence, its index in `sentences` */
    size_t n_sentences;
} stream;

static void stream_build(stream *st, size_t lo, size_t hi, int inside)
{
    memset(st, 0, sizeof *st);
    for (size_t s = 0; s < n_sentences; s++) {
        if ((s >= lo && s < hi) != inside) continue;
        st->starts = xrealloc(st->starts, (st->n_sentences + 1) * sizeof *st->starts);
        st->origin = xrealloc(st->origin, (st->n_sentences + 1) * sizeof *st->origin);
        st->tokens = xrealloc(st->tokens, (st->n + sentences[s].n) * sizeof *st->tokens);
        st->gold = xrealloc(st->gold, st->n + sentences[s].n);
        st->starts[st->n_sentences] = st->n;
        st->origin[st->n_sentences++] = s;
        memcpy(st->tokens + st->n, tokens + sentences[s].first, sentences[s].n * sizeof *tokens);
        memcpy(st->gold + st->n, gold + sentences[s].first, sentences[s].n);
        st->n += sentences[s].n;
    }
}

static size_t stream_end(const stream *st, size_t k)
{
    return k + 1 < st->n_sentences ? st->starts[k + 1] : st->n;
}

static void stream_free(stream *st)
{
    free(st->tokens);
    free(st->gold);
    free(st->starts);
    free(st->origin);
}

/* ---- features: 64-bit keys mapped to dense ids ---- */

typedef struct {
    uint64_t key;
    uint32_t id, count;
} fslot;

typedef struct {
    fslot *map;
    size_t mask, used;
    uint64_t *keys; /* id -> key */
    size_t n_ids;
} fmap;

static fslot *fmap_find(const fmap *m, uint64_t key)
{
    size_t i = (size_t)key & m->mask;
    while (m->map[i].key && m->map[i].key != key) i = (i + 1) & m->mask;
    return &m->map[i];
}

static void fmap_count(fmap *m, uint64_t key)
{
    if ((m->used + 1) * 2 > (m->map ? m->mask + 1 : 0)) {
        size_t old_cap = m->map ? m->mask + 1 : 0, cap = old_cap ? old_cap * 2 : 1 << 20;
        fslot *old = m->map;
        m->map = xcalloc(cap, sizeof *m->map);
        m->mask = cap - 1;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].key) *fmap_find(m, old[i].key) = old[i];
        free(old);
    }
    fslot *s = fmap_find(m, key);
    if (!s->key) s->key = key, s->id = UINT32_MAX, m->used++;
    s->count++;
}

static void fmap_assign(fmap *m, unsigned min_count)
{
    m->keys = xrealloc(NULL, m->used * sizeof *m->keys);
    for (size_t i = 0; m->map && i <= m->mask; i++)
        if (m->map[i].key && m->map[i].count >= min_count)
            m->map[i].id = (uint32_t)m->n_ids, m->keys[m->n_ids++] = m->map[i].key;
}

/* Each token's feature ids (those the map kept). */
typedef struct {
    uint32_t *ids;
    size_t *start; /* per token, n + 1 */
} featlist;

static kh_ner_model *extractor;
static kh_ner_scratch *scratch;

static void features(const stream *st, unsigned templates, const uint8_t *first, unsigned window,
                     fmap *count_into, const fmap *map, featlist *out)
{
    const uint64_t *keys;
    const uint32_t *off;
    if (kh_ner_features(extractor, templates, st->tokens, st->n, st->starts, st->n_sentences, first,
                        window, scratch, &keys, NULL, &off))
        die("out of memory");
    if (count_into) {
        for (uint32_t k = 0; k < off[st->n]; k++) fmap_count(count_into, keys[k]);
        return;
    }
    out->start = xrealloc(NULL, (st->n + 1) * sizeof *out->start);
    out->ids = xrealloc(NULL, ((size_t)off[st->n] + 1) * sizeof *out->ids);
    size_t used = 0;
    for (size_t i = 0; i < st->n; i++) {
        out->start[i] = used;
        for (uint32_t k = off[i]; k < off[i + 1]; k++) {
            const fslot *f = fmap_find(map, keys[k]);
            if (f->key && f->id != UINT32_MAX) out->ids[used++] = f->id;
        }
    }
    out->start[st->n] = used;
}

/* ---- perceptron ---- */

typedef struct {
    float *w;  /* n_ids * T, then the transitions */
    double *u; /* update-time sums, for the average */
    size_t n_ids;
    double step;
} perceptron;

static uint64_t rng_state;
static uint64_t rng(void) { return xorshift64(&rng_state); }

static double uniform(void) { return (double)(rng() >> 11) * 0x1p-53; }

static uint8_t *dropped; /* per feature occurrence of the sentence being trained */

static float *sc;     /* Viterbi scores, cap * T */
static uint8_t *back; /* and back pointers */
static size_t cap;

static void viterbi(const float *w, size_t n_ids, const featlist *fl, size_t first, size_t n,
                    const uint8_t *drop, uint8_t *out)
{
    if (n > cap) {
        cap = n;
        sc = xrealloc(sc, cap * T * sizeof *sc);
        back = xrealloc(back, cap * T);
    }
    const float *tw = w + n_ids * T;
    for (size_t i = 0; i < n; i++) {
        float *row = sc + i * T;
        for (int t = 0; t < T; t++) row[t] = 0;
        size_t base = fl->start[first];
        for (size_t k = fl->start[first + i]; k < fl->start[first + i + 1]; k++) {
            if (drop && drop[k - base]) continue;
            const float *fw = w + (size_t)fl->ids[k] * T;
            for (int t = 0; t < T; t++) row[t] += fw[t];
        }
    }
    for (int t = 0; t < T; t++)
        sc[t] = kh_ner_transition_ok(T, (unsigned)t) ? sc[t] + tw[T * T + t] : -1e30f;
    for (size_t i = 1; i < n; i++) {
        float *prev = sc + (i - 1) * T, *cur = sc + i * T;
        for (int t = 0; t < T; t++) {
            float best = -3e38f;
            uint8_t arg = 0;
            for (int p = 0; p < T; p++) {
                if (!kh_ner_transition_ok((unsigned)p, (unsigned)t)) continue;
                float v = prev[p] + tw[p * T + t];
                if (v > best) best = v, arg = (uint8_t)p;
            }
            cur[t] += best;
            back[i * T + (size_t)t] = arg;
        }
    }
    uint8_t t = 0;
    for (int k = 1; k < T; k++)
        if (sc[(n - 1) * T + (size_t)k] > sc[(n - 1) * T + t]) t = (uint8_t)k;
    for (size_t i = n; i-- > 0;) {
        out[i] = t;
        if (i) t = back[i * T + t];
    }
}

static void update(perceptron *p, size_t j, float d)
{
    p->w[j] += d;
    p->u[j] += p->step * d;
}

static void update_token(perceptron *p, const featlist *fl, size_t tok, size_t base, int tag, float d)
{
    for (size_t k = fl->start[tok]; k < fl->start[tok + 1]; k++)
        if (!dropped[k - base]) update(p, (size_t)fl->ids[k] * T + (size_t)tag, d);
}

typedef struct {
    int epochs;
    double dropout;
    unsigned long seed;
    int bags; /* perceptrons averaged, each with its own seed */
} train_options;

/* Trains on the stream's sentences for which use[k] is set; returns the
 * averaged weights (n_ids * T, then the transitions). */
static float *train_one(const stream *st, const featlist *fl, size_t n_ids, const uint8_t *use,
                        const train_options *o)
{
    size_t nw = n_ids * T + (T + 1) * T;
    perceptron p = {xcalloc(nw, sizeof(float)), xcalloc(nw, sizeof(double)), n_ids, 1};
    size_t *order = xrealloc(NULL, (st->n_sentences + 1) * sizeof *order), n_train = 0;
    for (size_t k = 0; k < st->n_sentences; k++)
        if (use[k]) order[n_train++] = k;
    uint8_t *pred = NULL;
    size_t pred_cap = 0;
    rng_state = o->seed * 0x9E3779B97F4A7C15ULL + 1;
    for (int e = 0; e < o->epochs; e++) {
        for (size_t s = n_train; s > 1; s--) {
            size_t j = (size_t)(rng() % s), tmp = order[s - 1];
            order[s - 1] = order[j], order[j] = tmp;
        }
        for (size_t k = 0; k < n_train; k++) {
            size_t first = st->starts[order[k]], n = stream_end(st, order[k]) - first;
            if (!n) continue;
            if (n > pred_cap) pred_cap = n, pred = xrealloc(pred, n);
            size_t base = fl->start[first], occ = fl->start[first + n] - base;
            dropped = xrealloc(dropped, occ + 1);
            for (size_t q = 0; q < occ; q++) dropped[q] = o->dropout > 0 && uniform() < o->dropout;
            viterbi(p.w, n_ids, fl, first, n, dropped, pred);
            const uint8_t *g = st->gold + first;
            for (size_t i = 0; i < n; i++) {
                int gp = i ? g[i - 1] : T, pp = i ? pred[i - 1] : T;
                if (g[i] != pred[i]) {
                    update_token(&p, fl, first + i, base, g[i], 1);
                    update_token(&p, fl, first + i, base, pred[i], -1);
                }
                if (g[i] != pred[i] || gp != pp) {
                    update(&p, n_ids * T + (size_t)gp * T + g[i], 1);
                    update(&p, n_ids * T + (size_t)pp * T + pred[i], -1);
                }
            }
            p.step++;
        }
    }
    for (size_t j = 0; j < nw; j++) p.w[j] = (float)(p.w[j] - p.u[j] / p.step);
    free(p.u);
    free(order);
    free(pred);
    return p.w;
}

/* The mean of o->bags perceptrons trained with seeds seed, seed + 1, ...:
 * a linear model whose scores are the mean of theirs. */
static float *train(const stream *st, const featlist *fl, size_t n_ids, const uint8_t *use,
                    const train_options *o)
{
    float *sum = train_one(st, fl, n_ids, use, o);
    size_t nw = n_ids * T + (T + 1) * T;
    for (int b = 1; b < o->bags; b++) {
        train_options ob = *o;
        ob.seed = o->seed + (unsigned long)b;
        float *w = train_one(st, fl, n_ids, use, &ob);
        for (size_t j = 0; j < nw; j++) sum[j] += w[j];
        free(w);
    }
    for (size_t j = 0; o->bags > 1 && j < nw; j++) sum[j] /= (float)o->bags;
    return sum;
}

static void decode(const stream *st, const featlist *fl, size_t n_ids, const float *w,
                   const uint8_t *which, uint8_t *tags)
{
    for (size_t k = 0; k < st->n_sentences; k++) {
        size_t first = st->starts[k], n = stream_end(st, k) - first;
        if ((!which || which[k]) && n) viterbi(w, n_ids, fl, first, n, NULL, tags + first);
    }
}

/* Zeroes feature weights smaller than `fraction` of the largest: the
 * features whose rows become all zero are left out of the model. */
static void prune_weights(float *w, size_t n_ids, double fraction)
{
    float max = 0;
    for (size_t j = 0; j < n_ids * T; j++) {
        float a = w[j] < 0 ? -w[j] : w[j];
        if (a > max) max = a;
    }
    float limit = (float)(fraction * max);
    for (size_t j = 0; j < n_ids * T; j++)
        if (w[j] < limit && w[j] > -limit) w[j] = 0;
}

/* ---- scoring: entity-level exact match, conlleval chunks ---- */

typedef struct {
    long gold[KH_NER_TYPES], pred[KH_NER_TYPES], correct[KH_NER_TYPES];
} counts;

static size_t chunks(const uint8_t *tags, size_t n, size_t *start, size_t *end, int *type)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned t = tags[i];
        if (t == KH_NER_O) continue;
        int ty = kh_ner_tag_type(t);
        if (!kh_ner_tag_is_begin(t) && m && end[m - 1] == i && type[m - 1] == ty) {
            end[m - 1] = i + 1;
            continue;
        }
        start[m] = i, end[m] = i + 1, type[m] = ty, m++;
    }
    return m;
}

static void score_sentence(counts *c, const uint8_t *g, const uint8_t *p, size_t n)
{
    size_t *gs = xcalloc(4 * n + 1, sizeof *gs), *ge = gs + n, *ps = gs + 2 * n, *pe = gs + 3 * n;
    int *gt = xcalloc(2 * n + 1, sizeof *gt), *pt = gt + n;
    size_t gm = chunks(g, n, gs, ge, gt), pm = chunks(p, n, ps, pe, pt);
    for (size_t a = 0; a < gm; a++) c->gold[gt[a]]++;
    for (size_t b = 0; b < pm; b++) c->pred[pt[b]]++;
    for (size_t a = 0, b = 0; a < gm && b < pm;) {
        if (gs[a] < ps[b]) { a++; continue; }
        if (ps[b] < gs[a]) { b++; continue; }
        if (ge[a] == pe[b] && gt[a] == pt[b]) c->correct[gt[a]]++;
        a++, b++;
    }
    free(gs);
    free(gt);
}

static double f1(long g, long p, long c)
{
    double P = p ? (double)c / (double)p : 0, R = g ? (double)c / (double)g : 0;
    return P + R > 0 ? 200 * P * R / (P + R) : 0;
}

static void report(const char *what, const stream *st, const uint8_t *tags)
{
    counts c = {0};
    for (size_t k = 0; k < st->n_sentences; k++)
        score_sentence(&c, st->gold + st->starts[k], tags + st->starts[k], stream_end(st, k) - st->starts[k]);
    long g = 0, p = 0, k = 0;
    fprintf(stderr, "%s:", what);
    for (int t = 0; t < KH_NER_TYPES; t++) {
        fprintf(stderr, " %s %.2f", kh_ner_type_name(t), f1(c.gold[t], c.pred[t], c.correct[t]));
        g += c.gold[t], p += c.pred[t], k += c.correct[t];
    }
    fprintf(stderr, " | P %.2f R %.2f F1 %.2f\n", p ? 100.0 * (double)k / (double)p : 0,
            g ? 100.0 * (double)k / (double)g : 0, f1(g, p, k));
    fprintf(stderr, "counts %s", what);
    for (int t = 0; t < KH_NER_TYPES; t++)
        fprintf(stderr, " %s %ld %ld %ld", kh_ner_type_name(t), c.gold[t], c.pred[t], c.correct[t]);
    fputc('\n', stderr);
}

/* Builds the feature map on the training stream and both streams' lists. */
static void featurize(const stream *tr, const stream *dev, unsigned templates, const uint8_t *tr_first,
                      const uint8_t *dev_first, unsigned window, unsigned min_count, fmap *map,
                      featlist *tr_fl, featlist *dev_fl)
{
    memset(map, 0, sizeof *map);
    features(tr, templates, tr_first, window, map, NULL, NULL);
    fmap_assign(map, min_count);
    features(tr, templates, tr_first, window, NULL, map, tr_fl);
    features(dev, templates, dev_first, window, NULL, map, dev_fl);
    fprintf(stderr, "ner_train: templates %#x: %zu features, %zu kept\n", templates, map->used, map->n_ids);
}

int main(int argc, char **argv)
{
    const char *clusters_path = NULL, *gaz_path = NULL, *names_path = NULL, *out_path = NULL, *dev_gold = NULL,
               *dev_pred = NULL, *text_out = NULL;
    int dev_percent = 10, fold = -1, folds = 0, stages = 2, jack = 5;
    unsigned min_count = 1, templates = KH_NER_FEAT_BASE, window = 20;
    unsigned templates2 = KH_NER_FEAT_WORD | KH_NER_FEAT_CLUSTER;
    double prune = 0;
    train_options opt = {20, 0.2, 1, 1};
    int argi = 1;
    for (; argi + 1 < argc && !strncmp(argv[argi], "--", 2); argi += 2) {
        const char *o = argv[argi], *v = argv[argi + 1];
        if (!strcmp(o, "--clusters")) clusters_path = v;
        else if (!strcmp(o, "--gazetteer")) gaz_path = v;
        else if (!strcmp(o, "--names")) names_path = v;
        else if (!strcmp(o, "--out")) out_path = v;
        else if (!strcmp(o, "--dev-gold")) dev_gold = v;
        else if (!strcmp(o, "--dev-pred")) dev_pred = v;
        else if (!strcmp(o, "--text-out")) text_out = v;
        else if (!strcmp(o, "--epochs")) opt.epochs = atoi(v);
        else if (!strcmp(o, "--dropout")) opt.dropout = atof(v);
        else if (!strcmp(o, "--seed")) opt.seed = strtoul(v, NULL, 10);
        else if (!strcmp(o, "--bags")) opt.bags = atoi(v);
        else if (!strcmp(o, "--dev-percent")) dev_percent = atoi(v);
        else if (!strcmp(o, "--stages")) stages = atoi(v);
        else if (!strcmp(o, "--window")) window = (unsigned)atoi(v);
        else if (!strcmp(o, "--folds")) jack = atoi(v);
        else if (!strcmp(o, "--min-count")) min_count = (unsigned)atoi(v);
        else if (!strcmp(o, "--prune")) prune = atof(v);
        else if (!strcmp(o, "--templates")) templates = (unsigned)strtoul(v, NULL, 16) & KH_NER_FEAT_BASE;
        else if (!strcmp(o, "--templates2")) templates2 = (unsigned)strtoul(v, NULL, 16) & KH_NER_FEAT_BASE;
        else if (!strcmp(o, "--dev-fold")) {
            if (sscanf(v, "%d/%d", &fold, &folds) != 2 || fold < 0 || folds < 2 || fold >= folds)
                die("--dev-fold wants K/N with 0 <= K < N");
        } else {
            fprintf(stderr, "ner_train: unknown option %s\n", o);
            return 2;
        }
    }
    if (argc - argi != 1 || dev_percent < 0 || dev_percent > 90 || opt.epochs < 1 || opt.bags < 1 ||
        stages < 1 || stages > 2 || jack < 2) {
        fprintf(stderr, "usage: ner_train [options] TRAIN.conll (see the source's header)\n");
        return 2;
    }
    size_t len;
    char *text = read_all(argv[argi], &len);
    read_conll(text, len);
    size_t dev_lo = n_sentences - n_sentences * (size_t)dev_percent / 100, dev_hi = n_sentences;
    if (folds) {
        dev_lo = n_sentences * (size_t)fold / (size_t)folds;
        dev_hi = n_sentences * (size_t)(fold + 1) / (size_t)folds;
    }
    stream tr, dev;
    stream_build(&tr, dev_lo, dev_hi, 0);
    stream_build(&dev, dev_lo, dev_hi, 1);
    if (dev.n_sentences)
        fprintf(stderr, "ner_train: %zu sentences, %zu tokens; dev: sentences %zu to %zu (from 0; %zu tokens)\n",
                n_sentences, n_tokens, dev_lo, dev_hi - 1, dev.n);
    else
        fprintf(stderr, "ner_train: %zu sentences, %zu tokens, all for training\n", n_sentences, n_tokens);
    if (text_out) {
        FILE *f = fopen(text_out, "w");
        if (!f) { perror(text_out); return 1; }
        for (size_t k = 0; k < tr.n_sentences; k++) {
            for (size_t i = tr.starts[k]; i < stream_end(&tr, k); i++)
                fprintf(f, "%s%.*s", i > tr.starts[k] ? " " : "", (int)tr.tokens[i].len, tr.tokens[i].text);
            fputc('\n', f);
        }
        int rc = fclose(f) ? 1 : 0;
        stream_free(&tr);
        stream_free(&dev);
        free_corpus();
        free(text);
        return rc;
    }

    size_t clen = 0, glen = 0, nlen = 0;
    char *clusters = clusters_path ? read_all(clusters_path, &clen) : NULL;
    char *gaz = gaz_path ? read_all(gaz_path, &glen) : NULL;
    char *names = names_path ? read_all(names_path, &nlen) : NULL;
    khabar_error err;
    kh_ner_resources res = {clusters, clen, gaz, glen, names, nlen};
    if (kh_ner_model_from(NULL, 0, &res, KH_NER_FEAT_ALL, &extractor, &err))
        die(err.message);
    scratch = kh_ner_scratch_new();
    if (!scratch) die("out of memory");

    /* Stage one. */
    fmap map1;
    featlist tr1, dev1;
    featurize(&tr, &dev, templates, NULL, NULL, 0, min_count, &map1, &tr1, &dev1);
    uint8_t *use = xcalloc(tr.n_sentences, 1);
    uint8_t *tr_first = xcalloc(tr.n + 1, 1), *dev_first = xcalloc(dev.n + 1, 1);
    if (stages == 2) {
        for (int j = 0; j < jack; j++) {
            size_t lo = tr.n_sentences * (size_t)j / (size_t)jack, hi = tr.n_sentences * (size_t)(j + 1) / (size_t)jack;
            for (size_t k = 0; k < tr.n_sentences; k++) use[k] = k < lo || k >= hi;
            float *w = train(&tr, &tr1, map1.n_ids, use, &opt);
            for (size_t k = 0; k < tr.n_sentences; k++) use[k] = !use[k];
            decode(&tr, &tr1, map1.n_ids, w, use, tr_first);
            free(w);
            fprintf(stderr, "ner_train: first-stage tags of training run %d of %d done\n", j + 1, jack);
        }
        report("training (first stage, held-out runs)", &tr, tr_first);
    }
    memset(use, 1, tr.n_sentences);
    float *w1 = train(&tr, &tr1, map1.n_ids, use, &opt);
    decode(&dev, &dev1, map1.n_ids, w1, NULL, dev_first);
    if (dev.n) report("dev (first stage)", &dev, dev_first);

    /* Stage two. */
    fmap map2 = {0};
    featlist tr2 = {0}, dev2 = {0};
    float *w2 = NULL;
    if (stages == 2) {
        featurize(&tr, &dev, templates2 | KH_NER_FEAT_DOC, tr_first, dev_first, window, min_count,
                  &map2, &tr2, &dev2);
        w2 = train(&tr, &tr2, map2.n_ids, use, &opt);
        uint8_t *dev_tags = xcalloc(dev.n + 1, 1);
        decode(&dev, &dev2, map2.n_ids, w2, NULL, dev_tags);
        if (dev.n) report("dev (second stage)", &dev, dev_tags);
        free(dev_tags);
    }

    if (prune > 0) {
        prune_weights(w1, map1.n_ids, prune);
        if (w2) prune_weights(w2, map2.n_ids, prune);
    }
    if (out_path) {
        kh_buf model = {0};
        kh_ner_stage_weights st[2] = {
            {templates, map1.n_ids, map1.keys, w1, w1 + map1.n_ids * T},
            {templates2 | KH_NER_FEAT_DOC, map2.n_ids, map2.keys, w2, w2 ? w2 + map2.n_ids * T : NULL},
        };
        if (kh_ner_weights_write(&model, st, (unsigned)stages, window, kh_ner_resources_hash(&res)))
            die("out of memory");
        FILE *f = fopen(out_path, "wb");
        if (!f || fwrite(model.data, 1, model.len, f) != model.len || fclose(f)) { perror(out_path); return 1; }
        fprintf(stderr, "ner_train: wrote %s (%zu bytes)\n", out_path, model.len);
        if (dev.n && (dev_pred || dev_gold)) {
            kh_ner_model *m;
            if (kh_ner_model_from(model.data, model.len, &res, 0, &m, &err))
                die(err.message);
            uint8_t *tags = xcalloc(dev.n + 1, 1);
            if (kh_ner_tag_doc(m, dev.tokens, dev.n, dev.starts, dev.n_sentences, tags, scratch))
                die("out of memory");
            report("dev (written model)", &dev, tags);
            FILE *gp = dev_gold ? fopen(dev_gold, "w") : NULL, *pp = dev_pred ? fopen(dev_pred, "w") : NULL;
            if ((dev_gold && !gp) || (dev_pred && !pp)) die("cannot write the dev files");
            for (size_t k = 0; k < dev.n_sentences; k++) {
                const sentence *se = &sentences[dev.origin[k]];
                for (size_t i = 0; i < se->n; i++) {
                    const kh_ner_input *t = &tokens[se->first + i];
                    if (gp) fprintf(gp, "%.*s %s\n", (int)t->len, t->text, gold_names[se->first + i]);
                    if (pp) fprintf(pp, "%.*s\t%s\n", (int)t->len, t->text, kh_ner_tag_name(tags[dev.starts[k] + i]));
                }
                if (gp) fputc('\n', gp);
                if (pp) fputc('\n', pp);
            }
            if ((gp && fclose(gp)) || (pp && fclose(pp))) die("cannot write the dev files");
            kh_ner_model_free(m);
            free(tags);
        }
        kh_buf_free(&model);
    }
    free(w1); free(w2); free(use); free(tr_first); free(dev_first); free(dropped); free(sc); free(back);
    free(map1.map); free(map1.keys); free(map2.map); free(map2.keys);
    free(tr1.ids); free(tr1.start); free(dev1.ids); free(dev1.start);
    free(tr2.ids); free(tr2.start); free(dev2.ids); free(dev2.start);
    stream_free(&tr);
    stream_free(&dev);
    free_corpus();
    kh_ner_scratch_free(scratch);
    kh_ner_model_free(extractor);
    free(clusters); free(gaz); free(names); free(text);
    return 0;
}
