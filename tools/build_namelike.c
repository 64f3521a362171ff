/* build_namelike: the entity tagger's name-likeness model (data/ner_names.bin,
 * format in src/ner.h): a multinomial logistic regression over hashed letter
 * n-grams of single words that tells an ordinary word from a word of a
 * person's, an organisation's or a place's name.
 *
 * Usage: build_namelike [options] --ordinary VOCAB.tsv OUT.bin
 *   --anetac FILE       ANETAC's "CLASS English Arabic" lines (CLASS PERSON,
 *                       ORGANIZATION or LOCATION); the Arabic word is used
 *   --list TYPE FILE    a name list, one name a line (PER, ORG or LOC); each
 *                       word of a name counts for the type ("====" lines and
 *                       empty ones are skipped)
 *   --ordinary FILE     "word<TAB>count" lines of unlabeled news text: the
 *                       ordinary words (those seen --min-count times, that
 *                       are no name's word, with or without proclitics)
 *   --min-count N       (default 2)
 *   --bits B            2^B hashed n-gram rows (default 18)
 *   --nmax N            longest letter n-gram (default 5)
 *   --epochs N          passes of AdaGrad over the words (default 8)
 *   --seed N            word order shuffling seed (default 1)
 *
 * Every distinct normalised word (KHABAR_FOLD_ALL) is one example; its target
 * is the share of each class among the lists it is in.  The lists are only
 * learned from: the output holds hashed n-gram weights, not the words.
 * First a tenth of the words is held out and the accuracy on it reported,
 * then the model is trained on all of them and written. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh.h"
#include "ner.h"
#include "read_stream.h"

#define TOOL_NAME "build_namelike"
#include "tool.h"

#define C KH_NER_NAME_CLASSES

/* ---- words: normalised form -> class counts ---- */

typedef struct {
    uint64_t hash;
    size_t offset, len; /* in pool */
    float count[C];
} word;

static word *words;
static size_t words_mask, n_words;
static kh_buf pool;

static word *word_find(const char *w, size_t n, int add)
{
    if (add && (n_words + 1) * 2 > (words ? words_mask + 1 : 0)) {
        size_t old = words ? words_mask + 1 : 0, cap = old ? old * 2 : 1 << 16;
        word *o = words;
        words = xcalloc(cap, sizeof *words);
        words_mask = cap - 1;
        for (size_t i = 0; i < old; i++) {
            if (!o[i].hash) continue;
            size_t j = (size_t)o[i].hash & words_mask;
            while (words[j].hash) j = (j + 1) & words_mask;
            words[j] = o[i];
        }
        free(o);
    }
    if (!words) return NULL;
    uint64_t h = kh_hash(w, n);
    h = h ? h : 1;
    size_t i = (size_t)h & words_mask;
    while (words[i].hash) {
        if (words[i].hash == h && words[i].len == n && !memcmp(pool.data + words[i].offset, w, n))
            return &words[i];
        i = (i + 1) & words_mask;
    }
    if (!add) return NULL;
    words[i].hash = h;
    words[i].offset = pool.len;
    words[i].len = n;
    if (kh_buf_append(&pool, w, n)) die("out of memory");
    n_words++;
    return &words[i];
}

static int is_arabic_word(const char *w, size_t n)
{
    if (!n) return 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)w + i, n - i, &cp);
        if (!k || cp < 0x0621 || cp > 0x064A) return 0;
        i += k;
    }
    return 1;
}

static kh_buf norm;

/* Adds one occurrence of each word of name (n bytes) to class c. */
static void add_name(const char *s, size_t n, int c)
{
    norm.len = 0;
    if (kh_normalize_append(&norm, s, n, KHABAR_FOLD_ALL)) die("out of memory");
    for (size_t i = 0; i < norm.len;) {
        while (i < norm.len && norm.data[i] == ' ') i++;
        size_t j = i;
        while (j < norm.len && norm.data[j] != ' ') j++;
        if (j > i && is_arabic_word(norm.data + i, j - i)) {
            /* norm may move when the pool grows: copy the word first */
            char tmp[256];
            size_t len = j - i < sizeof tmp ? j - i : 0;
            if (len) {
                memcpy(tmp, norm.data + i, len);
                word_find(tmp, len, 1)->count[c] += 1;
            }
        }
        i = j;
    }
}

static int class_of(const char *type)
{
    if (!strcmp(type, "PER") || !strcmp(type, "PERSON")) return 1;
    if (!strcmp(type, "ORG") || !strcmp(type, "ORGANIZATION")) return 2;
    if (!strcmp(type, "LOC") || !strcmp(type, "LOCATION")) return 3;
    return -1;
}

static void read_anetac(const char *path)
{
    size_t len;
    char *text = read_all(path, &len);
    for (char *p = text, *end = text + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
        *le = '\0';
        char *save = NULL, *cls = strtok_r(p, " \t\r", &save), *en = strtok_r(NULL, " \t\r", &save),
             *ar = strtok_r(NULL, "\t\r", &save);
        int c = cls ? class_of(cls) : -1;
        if (c > 0 && en && ar) add_name(ar, strlen(ar), c);
        p = nl ? nl + 1 : end;
    }
    free(text);
}

static void read_list(const char *path, int c)
{
    size_t len;
    char *text = read_all(path, &len);
    for (char *p = text, *end = text + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
        if (le > p && le[-1] == '\r') le--;
        if (le > p && strncmp(p, "====", 4) != 0) add_name(p, (size_t)(le - p), c);
        p = nl ? nl + 1 : end;
    }
    free(text);
}

/* Proclitic sequences a name may carry in running text. */
static const char *const proclitics[] = {"و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال",
                                         "وب", "ول", "فب", "فل", "وبال", "وكال", "فبال"};

/* Whether w is a name's word behind proclitics (لل read as ل + ال). */
static int is_clitic_name(const char *w, size_t n)
{
    for (size_t k = 0; k < sizeof proclitics / sizeof *proclitics; k++) {
        size_t pl = strlen(proclitics[k]);
        if (n > pl + 2 && !memcmp(w, proclitics[k], pl)) {
            const word *e = word_find(w + pl, n - pl, 0);
            if (e && (e->count[1] + e->count[2] + e->count[3]) > 0) return 1;
        }
    }
    static const char lil[] = "لل", al[] = "ال";
    if (n > 6 && !memcmp(w, lil, 4)) {
        char tmp[256];
        if (n + 2 <= sizeof tmp) {
            memcpy(tmp, al, 4);
            memcpy(tmp + 4, w + 4, n - 4);
            const word *e = word_find(tmp, n, 0);
            if (e && (e->count[1] + e->count[2] + e->count[3]) > 0) return 1;
        }
    }
    return 0;
}

static size_t n_ordinary;

static void read_ordinary(const char *path, unsigned min_count)
{
    size_t len;
    char *text = read_all(path, &len);
    /* collect first, add after: the check must see the name lists only */
    size_t *keep = NULL, n_keep = 0, cap = 0;
    for (char *p = text, *end = text + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
        char *tab = memchr(p, '\t', (size_t)(le - p));
        if (tab && (unsigned)strtoul(tab + 1, NULL, 10) >= min_count) {
            norm.len = 0;
            if (kh_normalize_append(&norm, p, (size_t)(tab - p), KHABAR_FOLD_ALL)) die("out of memory");
            if (is_arabic_word(norm.data, norm.len) && norm.len < 250 && !word_find(norm.data, norm.len, 0) &&
                !is_clitic_name(norm.data, norm.len)) {
                if (n_keep == cap) {
                    cap = cap ? 2 * cap : 1024;
                    keep = realloc(keep, cap * sizeof *keep);
                    if (!keep) die("out of memory");
                }
                keep[n_keep++] = (size_t)(p - text);
            }
        }
        p = nl ? nl + 1 : end;
    }
    for (size_t k = 0; k < n_keep; k++) {
        const char *p = text + keep[k], *tab = strchr(p, '\t');
        norm.len = 0;
        if (kh_normalize_append(&norm, p, (size_t)(tab - p), KHABAR_FOLD_ALL)) die("out of memory");
        char tmp[256];
        memcpy(tmp, norm.data, norm.len);
        word *e = word_find(tmp, norm.len, 1);
        if (e->count[0] == 0) n_ordinary++;
        e->count[0] = 1;
    }
    free(keep);
    free(text);
}

/* ---- the model ---- */

static uint64_t rng_state;
static uint64_t rng(void) { return xorshift64(&rng_state); }

typedef struct {
    unsigned bits, nmax;
    float *w, *g2; /* rows * C: weights, AdaGrad's summed squared gradients */
    float bias[C], bg2[C];
} model;

#define MAX_NGRAMS ((KH_NER_NAME_MAX_LETTERS + 2) * 8)

static void predict(const model *m, const uint32_t *idx, size_t k, float *p)
{
    float z[C], top = -1e30f, sum = 0;
    for (int c = 0; c < C; c++) z[c] = m->bias[c];
    for (size_t j = 0; j < k; j++)
        for (int c = 0; c < C; c++) z[c] += m->w[(size_t)idx[j] * C + (size_t)c];
    for (int c = 0; c < C; c++) top = z[c] > top ? z[c] : top;
    for (int c = 0; c < C; c++) sum += p[c] = expf(z[c] - top);
    for (int c = 0; c < C; c++) p[c] /= sum;
}

static void target(const word *e, float *t)
{
    float sum = 0;
    for (int c = 0; c < C; c++) sum += e->count[c];
    for (int c = 0; c < C; c++) t[c] = e->count[c] / sum;
}

/* Trains on the words for which held[k] is 0 (all when held is NULL). */
static void train(model *m, word **ex, size_t n, const uint8_t *held, int epochs, unsigned long seed)
{
    const float lr = 0.1f;
    size_t rows = (size_t)1 << m->bits;
    m->w = xcalloc(rows * C, sizeof *m->w);
    m->g2 = xcalloc(rows * C, sizeof *m->g2);
    memset(m->bias, 0, sizeof m->bias);
    memset(m->bg2, 0, sizeof m->bg2);
    size_t *order = xcalloc(n, sizeof *order), n_train = 0;
    for (size_t k = 0; k < n; k++)
        if (!held || !held[k]) order[n_train++] = k;
    rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
    uint32_t idx[MAX_NGRAMS];
    for (int e = 0; e < epochs; e++) {
        for (size_t s = n_train; s > 1; s--) {
            size_t j = (size_t)(rng() % s), tmp = order[s - 1];
            order[s - 1] = order[j], order[j] = tmp;
        }
        double loss = 0;
        for (size_t q = 0; q < n_train; q++) {
            const word *x = ex[order[q]];
            size_t k = kh_ner_name_ngrams(pool.data + x->offset, x->len, m->nmax, m->bits, idx);
            float p[C], t[C];
            predict(m, idx, k, p);
            target(x, t);
            for (int c = 0; c < C; c++) {
                float g = p[c] - t[c];
                if (t[c] > 0) loss -= t[c] * log(p[c] > 1e-30f ? p[c] : 1e-30f);
                if (g == 0) continue;
                m->bg2[c] += g * g;
                m->bias[c] -= lr * g / sqrtf(m->bg2[c]);
                for (size_t j = 0; j < k; j++) {
                    size_t r = (size_t)idx[j] * C + (size_t)c;
                    m->g2[r] += g * g;
                    m->w[r] -= lr * g / sqrtf(m->g2[r]);
                }
            }
        }
        fprintf(stderr, "build_namelike: epoch %d, mean loss %.4f\n", e + 1, loss / (double)n_train);
    }
    free(order);
}

static void evaluate(const model *m, word **ex, size_t n, const uint8_t *held)
{
    long total = 0, right_named = 0, named = 0, right_type = 0;
    long conf[2][2] = {{0}};
    uint32_t idx[MAX_NGRAMS];
    for (size_t q = 0; q < n; q++) {
        if (!held[q]) continue;
        const word *x = ex[q];
        size_t k = kh_ner_name_ngrams(pool.data + x->offset, x->len, m->nmax, m->bits, idx);
        float p[C], t[C];
        predict(m, idx, k, p);
        target(x, t);
        int gold_named = t[0] < 0.5f, pred_named = p[0] < 0.5f;
        total++;
        right_named += gold_named == pred_named;
        conf[gold_named][pred_named]++;
        if (gold_named) {
            named++;
            int gt = 1, pt = 1;
            for (int c = 2; c < C; c++) {
                if (t[c] > t[gt]) gt = c;
                if (p[c] > p[pt]) pt = c;
            }
            right_type += gt == pt;
        }
    }
    fprintf(stderr,
            "build_namelike: held-out words %ld: name or not %.2f%% right (ordinary words called "
            "names %ld of %ld, names called ordinary %ld of %ld); type of names %.2f%% right\n",
            total, 100.0 * (double)right_named / (double)(total ? total : 1), conf[0][1],
            conf[0][0] + conf[0][1], conf[1][0], conf[1][0] + conf[1][1],
            100.0 * (double)right_type / (double)(named ? named : 1));
}

static int by_offset(const void *a, const void *b)
{
    size_t x = (*(word *const *)a)->offset, y = (*(word *const *)b)->offset;
    return x < y ? -1 : x > y;
}

static void put_u32(FILE *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    fwrite(b, 1, 4, f);
}

static void put_f32(FILE *f, float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    put_u32(f, u);
}

static int write_model(const model *m, const char *path)
{
    size_t rows = (size_t)1 << m->bits;
    float max = 0;
    for (size_t i = 0; i < rows * C; i++) max = fabsf(m->w[i]) > max ? fabsf(m->w[i]) : max;
    float scale = max > 0 ? 32767.0f / max : 1.0f;
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fwrite(KH_NER_NAME_MAGIC, 1, 8, f);
    put_u32(f, m->bits);
    put_u32(f, m->nmax);
    put_f32(f, scale);
    for (int c = 0; c < C; c++) put_f32(f, m->bias[c]);
    for (size_t i = 0; i < rows * C; i++) {
        float r = m->w[i] * scale;
        r = r < 0 ? r - 0.5f : r + 0.5f;
        int16_t q = (int16_t)(r > 32767 ? 32767 : r < -32767 ? -32767 : r);
        unsigned char b[2] = {(unsigned char)(uint16_t)q, (unsigned char)((uint16_t)q >> 8)};
        fwrite(b, 1, 2, f);
    }
    return fclose(f);
}

int main(int argc, char **argv)
{
    const char *ordinary = NULL;
    unsigned min_count = 2;
    model m = {18, 5, NULL, NULL, {0}, {0}};
    int epochs = 8;
    unsigned long seed = 1;
    int argi = 1, lists = 0;
    for (; argi < argc && !strncmp(argv[argi], "--", 2); argi++) {
        const char *o = argv[argi];
        if (argi + 1 >= argc) die("an option lacks its value");
        const char *v = argv[++argi];
        if (!strcmp(o, "--anetac")) read_anetac(v), lists++;
        else if (!strcmp(o, "--list")) {
            int c = class_of(v);
            if (c < 0 || argi + 1 >= argc) die("--list wants PER, ORG or LOC and a file");
            read_list(argv[++argi], c);
            lists++;
        } else if (!strcmp(o, "--ordinary")) ordinary = v;
        else if (!strcmp(o, "--min-count")) min_count = (unsigned)atoi(v);
        else if (!strcmp(o, "--bits")) m.bits = (unsigned)atoi(v);
        else if (!strcmp(o, "--nmax")) m.nmax = (unsigned)atoi(v);
        else if (!strcmp(o, "--epochs")) epochs = atoi(v);
        else if (!strcmp(o, "--seed")) seed = strtoul(v, NULL, 10);
        else die("unknown option (see the source's header)");
    }
    if (argc - argi != 1 || !ordinary || !lists || m.bits < 4 || m.bits > 24 || m.nmax < 1 || m.nmax > 8 ||
        epochs < 1)
        die("usage: build_namelike [options] --ordinary VOCAB.tsv OUT.bin (see the source's header)");
    size_t n_names = n_words;
    read_ordinary(ordinary, min_count);
    fprintf(stderr, "build_namelike: %zu name words, %zu ordinary words\n", n_names, n_ordinary);

    /* the examples in a fixed order: by their place in the pool */
    word **ex = xcalloc(n_words, sizeof *ex);
    size_t n = 0;
    for (size_t i = 0; i <= words_mask; i++)
        if (words[i].hash) ex[n++] = &words[i];
    qsort(ex, n, sizeof *ex, by_offset);
    uint8_t *held = xcalloc(n, 1);
    rng_state = 0x5eedULL;
    for (size_t k = 0; k < n; k++) held[k] = rng() % 10 == 0;
    train(&m, ex, n, held, epochs, seed);
    evaluate(&m, ex, n, held);
    free(m.w);
    free(m.g2);
    train(&m, ex, n, NULL, epochs, seed);
    if (write_model(&m, argv[argi])) { perror(argv[argi]); return 1; }
    fprintf(stderr, "build_namelike: wrote %s\n", argv[argi]);
    free(m.w);
    free(m.g2);
    free(held);
    free(ex);
    free(words);
    kh_buf_free(&pool);
    kh_buf_free(&norm);
    return 0;
}
