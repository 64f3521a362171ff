/* Named-entity tagger: feature extraction, the weight table and Viterbi
 * decoding (see ner.h; the trainer is tools/ner_train.c). */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "ner.h"

#define MAX_CLUSTER_SIZES 4
#define MAX_GAZ_TOKENS 8
#define AFFIX_MAX 4

/* ---- tags ---- */

static const char *const tag_names[KH_NER_TAGS] = {"O",     "B-PER", "I-PER", "B-ORG",  "I-ORG",
                                                   "B-LOC", "I-LOC", "B-MISC", "I-MISC"};
static const char *const type_names[KH_NER_TYPES] = {"PER", "ORG", "LOC", "MISC"};

const char *kh_ner_tag_name(unsigned tag) { return tag < KH_NER_TAGS ? tag_names[tag] : "O"; }

const char *kh_ner_type_name(int type)
{
    return type >= 0 && type < KH_NER_TYPES ? type_names[type] : NULL;
}

int kh_ner_tag_parse(const char *name, size_t len)
{
    if (len == 1 && name[0] == 'O') return KH_NER_O;
    if (len < 3 || name[1] != '-' || (name[0] != 'B' && name[0] != 'I')) return -1;
    const char *t = name + 2;
    size_t tl = len - 2;
    if (tl == 4 && memcmp(t, "PERS", 4) == 0) tl = 3; /* ANERcorp */
    for (int k = 0; k < KH_NER_TYPES; k++)
        if (strlen(type_names[k]) == tl && memcmp(type_names[k], t, tl) == 0)
            return name[0] == 'B' ? KH_NER_B(k) : KH_NER_I(k);
    return -1;
}

/* ---- hashing ---- */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static inline uint64_t combine(uint64_t a, uint64_t b) { return mix64(a * 0x9E3779B97F4A7C15ULL + b); }

/* Values for positions outside the sentence. */
#define BEFORE_START 0x5354415254ULL
#define AFTER_END 0x454e44454eULL

/* ---- word table: corpus counts and classes, from data/ner_clusters.tsv ---- */

typedef struct word_entry {
    uint64_t hash; /* 0: empty slot */
    uint32_t count;
    uint16_t cls[MAX_CLUSTER_SIZES]; /* class + 1 */
} word_entry;

/* ---- gazetteer phrases, from data/gazetteer.tsv ---- */

typedef struct phrase_entry {
    uint64_t hash; /* 0: empty slot */
    uint32_t types; /* bit per gazetteer type for a whole phrase; PHRASE_PREFIX for a proper prefix */
} phrase_entry;

#define PHRASE_PREFIX 0x80000000u

/* Gazetteer types the features know; others in the file are skipped. */
static const char *const gaz_types[] = {"COUNTRY", "CITY", "REGION"};
#define GAZ_TYPES (sizeof gaz_types / sizeof *gaz_types)

/* A feature's weights for each tag, next to its key so that a lookup
 * touches one cache line. */
typedef struct feature_slot {
    uint64_t key; /* 0: empty */
    int16_t weight[KH_NER_TAGS];
    int16_t unused[16 - KH_NER_TAGS];
} feature_slot;

/* One linear model: feature weights and tag transitions. */
typedef struct weight_set {
    unsigned templates;
    size_t n_features;
    feature_slot *slots; /* open addressing, capacity mask + 1 */
    size_t mask;
    /* from tag (row KH_NER_TAGS: the sentence start) to tag; FORBIDDEN
     * where BIO does not allow it, so decoding needs no tests */
    int64_t trans[(KH_NER_TAGS + 1) * KH_NER_TAGS];
} weight_set;

/* Low enough that no path through it ever wins, high enough that adding
 * any path's score cannot overflow. */
#define FORBIDDEN (INT64_MIN / 4)

struct kh_ner_model {
    unsigned templates; /* without weights: what kh_ner_features computes */
    uint64_t resources; /* hash of the clusters and gazetteer texts */
    uint64_t id;        /* unique to this model: whose values a scratch's memo holds */
    unsigned n_stages;  /* 0 (features only), 1, or 2 (the second sees the first's tags) */
    unsigned window;    /* sentences each side that the second stage looks at */
    weight_set stage[2];

    word_entry *words;
    size_t word_mask;
    unsigned n_sizes;

    phrase_entry *phrases;
    size_t phrase_mask;

    /* name-likeness model (no weights: none) */
    int16_t *name_w;
    unsigned name_bits, name_nmax;
    float name_scale, name_bias[KH_NER_NAME_CLASSES];
};

static uint64_t nonzero(uint64_t h) { return h ? h : 1; }

static word_entry *word_slot(word_entry *t, size_t mask, uint64_t h)
{
    size_t i = (size_t)h & mask;
    while (t[i].hash && t[i].hash != h) i = (i + 1) & mask;
    return &t[i];
}

static const word_entry *word_find(const kh_ner_model *m, const char *w, size_t n)
{
    if (!m->words || n == 0) return NULL;
    const word_entry *e = word_slot(m->words, m->word_mask, nonzero(kh_hash(w, n)));
    return e->hash ? e : NULL;
}

static phrase_entry *phrase_slot(phrase_entry *t, size_t mask, uint64_t h)
{
    size_t i = (size_t)h & mask;
    while (t[i].hash && t[i].hash != h) i = (i + 1) & mask;
    return &t[i];
}

static size_t table_capacity(size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    return cap;
}

static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 1;
    for (size_t i = 0; i < n; i++) lines += s[i] == '\n';
    return lines;
}

static unsigned parse_uint(const char **p, const char *end)
{
    unsigned v = 0;
    while (*p < end && **p >= '0' && **p <= '9') v = v * 10 + (unsigned)(*(*p)++ - '0');
    return v;
}

/* "#clusters<TAB>C1<TAB>C2..." then "word<TAB>count<TAB>class1<TAB>class2..." */
static int load_words(kh_ner_model *m, const char *s, size_t n)
{
    size_t cap = table_capacity(count_lines(s, n));
    m->words = calloc(cap, sizeof *m->words);
    if (!m->words) return -1;
    m->word_mask = cap - 1;
    kh_buf norm = {0};
    const char *end = s + n;
    int rc = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        if (*s == '#') {
            if (le - s > 9 && memcmp(s, "#clusters", 9) == 0)
                for (const char *p = s; p < le; p++) m->n_sizes += *p == '\t';
            if (m->n_sizes > MAX_CLUSTER_SIZES) m->n_sizes = MAX_CLUSTER_SIZES;
        } else {
            const char *tab = memchr(s, '\t', (size_t)(le - s));
            if (tab && tab > s) {
                norm.len = 0;
                if (kh_normalize_append(&norm, s, (size_t)(tab - s), KHABAR_FOLD_ALL)) { rc = -1; break; }
                word_entry *e = word_slot(m->words, m->word_mask, nonzero(kh_hash(norm.data, norm.len)));
                const char *p = tab + 1;
                uint32_t count = parse_uint(&p, le);
                if (!e->hash) {
                    e->hash = nonzero(kh_hash(norm.data, norm.len));
                    for (unsigned k = 0; k < m->n_sizes && p < le && *p == '\t'; k++) {
                        p++;
                        e->cls[k] = (uint16_t)(parse_uint(&p, le) + 1);
                    }
                }
                /* two spellings that normalise alike share one entry */
                e->count += count;
            }
        }
        s = nl ? nl + 1 : end;
    }
    kh_buf_free(&norm);
    return rc;
}

/* ---- tokens within a gazetteer name: as the tokenizer splits text ---- */

static int is_token_punct(uint32_t cp)
{
    if (cp < 0x80)
        return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
    return cp == ARABIC_COMMA || cp == ARABIC_SEMICOLON || cp == ARABIC_QUESTION_MARK ||
           cp == ARABIC_FULL_STOP || cp == LEFT_GUILLEMET || cp == RIGHT_GUILLEMET ||
           (cp >= 0x2000 && cp <= 0x206F);
}

/* Splits normalised text at spaces and around punctuation; returns the
 * number of token hashes written (at most max), or max + 1 when longer. */
static size_t phrase_tokens(const char *s, size_t n, uint64_t *out, size_t max)
{
    size_t count = 0, i = 0, start = 0;
    int in_word = 0;
    while (i <= n) {
        uint32_t cp = ' ';
        unsigned k = 1;
        if (i < n) {
            k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
            if (!k) k = 1, cp = REPLACEMENT_CHARACTER;
        }
        int space = cp == ' ' || cp == '\t' || cp == NO_BREAK_SPACE;
        int punct = !space && is_token_punct(cp);
        if (in_word && (space || punct)) {
            if (count == max) return max + 1;
            out[count++] = nonzero(kh_hash(s + start, i - start));
            in_word = 0;
        }
        if (punct) {
            if (count == max) return max + 1;
            out[count++] = nonzero(kh_hash(s + i, k));
        } else if (!space && !in_word) {
            in_word = 1;
            start = i;
        }
        i += k;
    }
    return count;
}

static uint64_t phrase_step(uint64_t h, uint64_t token) { return nonzero(combine(h ^ 0x70687261ULL, token)); }

/* "name<TAB>TYPE[<TAB>anything]" */
static int load_gazetteer(kh_ner_model *m, const char *s, size_t n)
{
    size_t cap = table_capacity(count_lines(s, n) * 3);
    m->phrases = calloc(cap, sizeof *m->phrases);
    if (!m->phrases) return -1;
    m->phrase_mask = cap - 1;
    size_t used = 0;
    kh_buf norm = {0};
    const char *end = s + n;
    int rc = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        const char *tab = memchr(s, '\t', (size_t)(le - s));
        if (*s != '#' && tab && tab > s) {
            const char *type = tab + 1, *te = memchr(type, '\t', (size_t)(le - type));
            if (!te) te = le;
            unsigned bit = 0;
            for (unsigned k = 0; k < GAZ_TYPES; k++)
                if (strlen(gaz_types[k]) == (size_t)(te - type) &&
                    memcmp(gaz_types[k], type, (size_t)(te - type)) == 0)
                    bit = 1u << k;
            norm.len = 0;
            if (kh_normalize_append(&norm, s, (size_t)(tab - s), KHABAR_FOLD_ALL)) { rc = -1; break; }
            uint64_t toks[MAX_GAZ_TOKENS];
            size_t nt = phrase_tokens(norm.data, norm.len, toks, MAX_GAZ_TOKENS);
            if (bit && nt > 0 && nt <= MAX_GAZ_TOKENS) {
                uint64_t h = 0;
                for (size_t k = 0; k < nt; k++) {
                    h = phrase_step(h, toks[k]);
                    if (used * 2 >= cap) break; /* sized for 3 slots a line: never */
                    phrase_entry *e = phrase_slot(m->phrases, m->phrase_mask, h);
                    if (!e->hash) e->hash = h, used++;
                    e->types |= k + 1 == nt ? bit : PHRASE_PREFIX;
                }
            }
        }
        s = nl ? nl + 1 : end;
    }
    kh_buf_free(&norm);
    return rc;
}

/* ---- name-likeness: letter n-grams, from data/ner_names.bin ---- */

#define NAME_HEADER_BYTES (8 + 4 + 4 + 4 + 4 * KH_NER_NAME_CLASSES)
#define NAME_START 0x02u /* marks framing the word */
#define NAME_END 0x03u

size_t kh_ner_name_ngrams(const char *w, size_t n, unsigned nmax, unsigned bits, uint32_t *out)
{
    uint32_t cps[KH_NER_NAME_MAX_LETTERS + 2];
    size_t len = 0;
    cps[len++] = NAME_START;
    for (size_t i = 0; i < n && len <= KH_NER_NAME_MAX_LETTERS;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)w + i, n - i, &cp);
        if (!k) k = 1, cp = REPLACEMENT_CHARACTER;
        cps[len++] = cp;
        i += k;
    }
    cps[len++] = NAME_END;
    uint64_t mask = bits >= 32 ? UINT32_MAX : ((uint64_t)1 << bits) - 1;
    size_t count = 0;
    for (size_t i = 0; i < len; i++) {
        uint64_t h = 0x6e616d65ULL;
        for (unsigned g = 0; g < nmax && i + g < len; g++) {
            h = mix64(h * 0x9E3779B97F4A7C15ULL + cps[i + g] + 1);
            if (g == 0 && (cps[i] == NAME_START || cps[i] == NAME_END)) continue; /* the marks alone say nothing */
            out[count++] = (uint32_t)(h & mask);
        }
    }
    return count;
}

int kh_ner_name_probs(const kh_ner_model *m, const char *w, size_t n, float p[KH_NER_NAME_CLASSES])
{
    if (!m->name_w) return -1;
    uint32_t idx[(KH_NER_NAME_MAX_LETTERS + 2) * 8];
    size_t k = kh_ner_name_ngrams(w, n, m->name_nmax, m->name_bits, idx);
    int32_t acc[KH_NER_NAME_CLASSES] = {0};
    for (size_t j = 0; j < k; j++) {
        const int16_t *row = m->name_w + (size_t)idx[j] * KH_NER_NAME_CLASSES;
        for (int c = 0; c < KH_NER_NAME_CLASSES; c++) acc[c] += row[c];
    }
    float z[KH_NER_NAME_CLASSES], top = -1e30f, sum = 0;
    for (int c = 0; c < KH_NER_NAME_CLASSES; c++) {
        z[c] = m->name_bias[c] + (float)acc[c] / m->name_scale;
        if (z[c] > top) top = z[c];
    }
    for (int c = 0; c < KH_NER_NAME_CLASSES; c++) sum += p[c] = expf(z[c] - top);
    for (int c = 0; c < KH_NER_NAME_CLASSES; c++) p[c] /= sum;
    return 0;
}

static float get_f32(const unsigned char *p)
{
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Returns 0, -1 when damaged, -3 on no memory. */
static int load_names(kh_ner_model *m, const unsigned char *p, size_t n)
{
    if (n < NAME_HEADER_BYTES || memcmp(p, KH_NER_NAME_MAGIC, 8) != 0) return -1;
    unsigned bits = (unsigned)p[8] | (unsigned)p[9] << 8, nmax = (unsigned)p[12] | (unsigned)p[13] << 8;
    if (p[10] || p[11] || p[14] || p[15] || bits < 4 || bits > 24 || nmax < 1 || nmax > 8) return -1;
    size_t rows = (size_t)1 << bits;
    if (n != NAME_HEADER_BYTES + rows * KH_NER_NAME_CLASSES * 2) return -1;
    m->name_scale = get_f32(p + 16);
    if (!(m->name_scale > 0)) return -1;
    for (int c = 0; c < KH_NER_NAME_CLASSES; c++) m->name_bias[c] = get_f32(p + 20 + 4 * c);
    m->name_w = malloc(rows * KH_NER_NAME_CLASSES * sizeof *m->name_w);
    if (!m->name_w) return -3;
    const unsigned char *w = p + NAME_HEADER_BYTES;
    for (size_t i = 0; i < rows * KH_NER_NAME_CLASSES; i++, w += 2)
        m->name_w[i] = (int16_t)(uint16_t)(w[0] | w[1] << 8);
    m->name_bits = bits;
    m->name_nmax = nmax;
    return 0;
}

/* ---- weights ---- */

#define WEIGHTS_MAGIC "KHNERW02"
#define HEADER_BYTES 40
#define TRANS_COUNT ((KH_NER_TAGS + 1) * KH_NER_TAGS)

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p) { return get_u32(p) | (uint64_t)get_u32(p + 4) << 32; }

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
    put_u32(p, (uint32_t)v);
    put_u32(p + 4, (uint32_t)(v >> 32));
}

/* Layout (little-endian): magic[8], u32 stages, u32 tags, u64 resources
 * hash, u32 window, u32 reserved[3]; then per stage: u32 templates,
 * u32 n_features, i32 transitions[(tags+1)*tags], u64 keys[n],
 * i16 weights[n*tags].  A stage's scores are sums of its integers.
 * Returns 0, -1 when damaged, -2 for other resources, -3 on no memory. */
static int load_stage(weight_set *ws, const unsigned char **pp, const unsigned char *end)
{
    const unsigned char *p = *pp;
    if ((size_t)(end - p) < 8 + TRANS_COUNT * 4) return -1;
    ws->templates = get_u32(p);
    size_t nf = get_u32(p + 4);
    p += 8;
    if ((size_t)(end - p) < TRANS_COUNT * 4 + nf * (8 + 2 * KH_NER_TAGS)) return -1;
    for (size_t i = 0; i < TRANS_COUNT; i++, p += 4)
        ws->trans[i] = kh_ner_transition_ok((unsigned)(i / KH_NER_TAGS), (unsigned)(i % KH_NER_TAGS))
                           ? (int32_t)get_u32(p)
                           : FORBIDDEN;
    /* at most two thirds full: probes stay short */
    size_t cap = 16;
    while (cap < nf + nf / 2) cap *= 2;
    ws->slots = aligned_alloc(64, cap * sizeof *ws->slots);
    if (!ws->slots) return -3;
    memset(ws->slots, 0, cap * sizeof *ws->slots);
    ws->mask = cap - 1;
    const unsigned char *w = p + nf * 8;
    for (size_t f = 0; f < nf; f++, p += 8, w += 2 * KH_NER_TAGS) {
        uint64_t key = get_u64(p);
        size_t i = (size_t)key & ws->mask;
        if (!key) return -1;
        while (ws->slots[i].key) {
            if (ws->slots[i].key == key) return -1;
            i = (i + 1) & ws->mask;
        }
        ws->slots[i].key = key;
        for (size_t t = 0; t < KH_NER_TAGS; t++)
            ws->slots[i].weight[t] = (int16_t)(uint16_t)(w[2 * t] | w[2 * t + 1] << 8);
    }
    p = w;
    ws->n_features = nf;
    *pp = p;
    return 0;
}

static int load_weights(kh_ner_model *m, const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    if (n < HEADER_BYTES || memcmp(p, WEIGHTS_MAGIC, 8) != 0) return -1;
    unsigned stages = get_u32(p + 8);
    if (stages < 1 || stages > 2 || get_u32(p + 12) != KH_NER_TAGS) return -1;
    if (get_u64(p + 16) != m->resources) return -2;
    m->window = get_u32(p + 24);
    p += HEADER_BYTES;
    for (unsigned k = 0; k < stages; k++) {
        int rc = load_stage(&m->stage[k], &p, end);
        if (rc) return rc;
    }
    if (p != end) return -1;
    /* the first stage cannot use tags it has not made yet */
    if (m->stage[0].templates & KH_NER_FEAT_DOC) return -1;
    m->n_stages = stages;
    m->templates = m->stage[stages - 1].templates;
    return 0;
}

static int16_t quantise(float v)
{
    float r = v < 0 ? v - 0.5f : v + 0.5f;
    if (r > 32767.0f) r = 32767.0f;
    if (r < -32767.0f) r = -32767.0f;
    return (int16_t)r;
}

int kh_ner_weights_write(kh_buf *out, const kh_ner_stage_weights *stages, unsigned n_stages,
                         unsigned window, uint64_t resources)
{
    if (n_stages < 1 || n_stages > 2) return -1;
    unsigned char hdr[HEADER_BYTES] = {0};
    memcpy(hdr, WEIGHTS_MAGIC, 8);
    put_u32(hdr + 8, n_stages);
    put_u32(hdr + 12, KH_NER_TAGS);
    put_u64(hdr + 16, resources);
    put_u32(hdr + 24, window);
    if (kh_buf_append(out, hdr, sizeof hdr)) return -1;
    for (unsigned k = 0; k < n_stages; k++) {
        const kh_ner_stage_weights *st = &stages[k];
        /* Scores only compete within a stage, so each has its own scale:
         * the largest weight becomes 32767. */
        float max = 0;
        for (size_t i = 0; i < st->n_features * KH_NER_TAGS; i++) {
            float a = st->weights[i] < 0 ? -st->weights[i] : st->weights[i];
            if (a > max) max = a;
        }
        float scale = max > 0 ? 32767.0f / max : 1.0f;
        size_t kept = 0;
        for (size_t f = 0; f < st->n_features; f++) {
            int any = 0;
            for (size_t t = 0; t < KH_NER_TAGS; t++) any |= quantise(st->weights[f * KH_NER_TAGS + t] * scale) != 0;
            kept += (size_t)any;
        }
        size_t size = 8 + TRANS_COUNT * 4 + kept * (8 + 2 * KH_NER_TAGS);
        if (kh_buf_reserve(out, size)) return -1;
        unsigned char *p = (unsigned char *)out->data + out->len, *keys = p + 8 + TRANS_COUNT * 4,
                      *w = keys + kept * 8;
        put_u32(p, st->templates);
        put_u32(p + 4, (uint32_t)kept);
        p += 8;
        for (size_t i = 0; i < TRANS_COUNT; i++, p += 4) {
            float v = st->transitions[i] * scale;
            put_u32(p, (uint32_t)(int32_t)(v < 0 ? v - 0.5f : v + 0.5f));
        }
        for (size_t f = 0; f < st->n_features; f++) {
            int16_t q[KH_NER_TAGS];
            int any = 0;
            for (size_t t = 0; t < KH_NER_TAGS; t++) {
                q[t] = quantise(st->weights[f * KH_NER_TAGS + t] * scale);
                any |= q[t] != 0;
            }
            if (!any) continue;
            put_u64(keys, st->keys[f]);
            keys += 8;
            for (size_t t = 0; t < KH_NER_TAGS; t++, w += 2) {
                w[0] = (unsigned char)(uint16_t)q[t];
                w[1] = (unsigned char)((uint16_t)q[t] >> 8);
            }
        }
        out->len += size;
    }
    return 0;
}

/* ---- model ---- */

void kh_ner_model_free(kh_ner_model *m)
{
    if (!m) return;
    for (unsigned k = 0; k < 2; k++) free(m->stage[k].slots);
    free(m->words);
    free(m->phrases);
    free(m->name_w);
    free(m);
}

uint64_t kh_ner_resources_hash(const kh_ner_resources *r)
{
    uint64_t h = combine(kh_hash(r->clen ? r->clusters : "", r->clen), kh_hash(r->glen ? r->gazetteer : "", r->glen));
    if (r->nlen) h = combine(h, kh_hash(r->names, r->nlen));
    return h;
}

/* Ids for models: a scratch's memo knows whose values it holds. */
static atomic_uint_fast64_t next_model_id = 1;

khabar_status kh_ner_model_from(const void *weights, size_t wlen, const kh_ner_resources *res,
                                unsigned templates, kh_ner_model **out, khabar_error *err)
{
    if (!out || !res || (!res->clusters && res->clen) || (!res->gazetteer && res->glen) ||
        (!weights && wlen) || (!res->names && res->nlen))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "kh_ner_model_from: NULL argument");
    *out = NULL;
    kh_ner_model *m = calloc(1, sizeof *m);
    if (!m) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");

    m->templates = templates ? templates : KH_NER_FEAT_ALL;
    m->resources = kh_ner_resources_hash(res);
    m->id = (uint64_t)atomic_fetch_add(&next_model_id, 1);
    if (load_words(m, res->clen ? res->clusters : "", res->clen) ||
        load_gazetteer(m, res->glen ? res->gazetteer : "", res->glen)) {
        kh_ner_model_free(m);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory loading the entity tagger");
    }
    if (res->nlen) {
        int rc = load_names(m, res->names, res->nlen);
        if (rc) {
            kh_ner_model_free(m);
            return rc == -3 ? kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory loading the entity tagger")
                            : kh_fail(err, KHABAR_ERROR_DATA, 0, "entity tagger name model is damaged");
        }
    }
    if (weights) {
        int rc = load_weights(m, weights, wlen);
        if (rc) {
            kh_ner_model_free(m);
            if (rc == -3) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory loading the entity tagger");
            return kh_fail(err, KHABAR_ERROR_DATA, 0,
                           rc == -2 ? "entity tagger weights were trained with other clusters or gazetteer"
                                    : "entity tagger weights are damaged");
        }
    }
    *out = m;
    return KHABAR_OK;
}

khabar_status kh_ner_model_new(kh_ner_model **out, khabar_error *err)
{
    const kh_blob *w = kh_blob_find("ner"), *c = kh_blob_find("ner_clusters"),
                  *g = kh_blob_find("gazetteer"), *nm = kh_blob_find("ner_names");
    if (!w || !c || !g || !nm)
        return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in entity tagger data is missing");
    kh_ner_resources r = {(const char *)c->data, c->len, (const char *)g->data, g->len,
                          nm->data, nm->len};
    return kh_ner_model_from(w->data, w->len, &r, 0, out, err);
}

unsigned kh_ner_model_templates(const kh_ner_model *m) { return m->templates; }

/* ---- scratch ---- */

typedef struct token_info {
    uint64_t word, stem, proclitic;
    uint64_t prefix[AFFIX_MAX], suffix[AFFIX_MAX];
    uint32_t shape, gaz;
    uint32_t name; /* name-likeness: 0 none, else bins (name_code) */
    uint32_t cls[MAX_CLUSTER_SIZES];
    /* from the first stage's tags (second stage only) */
    uint32_t first_tag;  /* the token's own */
    uint32_t doc_stem;   /* how the stem was tagged in nearby sentences */
    uint32_t doc_phrase; /* a nearby entity's words cover this token */
    uint64_t memo;       /* its word's key in the scratch's memo (0: none) */
} token_info;

/* What the tagger works out of a word form alone, kept per thread for the
 * forms met most recently: its values, and for each stage the summed
 * weights of every feature that reads only this token at its offset (-1,
 * 0, +1) from the token tagged.  Half of a token's features are of that
 * kind, and news repeats its words, so most lookups in the large weight
 * tables become one lookup here.  Direct-mapped: a form evicts whatever
 * form shared its slot; a token whose slot was taken meanwhile has its
 * sums worked out again, the same. */
#define MEMO_SLOTS 8192 /* power of two */
typedef struct word_memo {
    uint64_t key; /* 0: empty */
    token_info info;
    uint8_t have[2]; /* the stage's sums are filled */
    int32_t sums[2][3][KH_NER_TAGS]; /* stage, offset + 1, tag */
} word_memo;

/* Counts of first-stage tags by key (a stem, or an entity's words) over
 * the sentences near the one being tagged. */
typedef struct doc_slot {
    uint64_t key; /* 0: empty */
    int32_t count[1 + KH_NER_TYPES]; /* O, then each type */
} doc_slot;

struct kh_ner_scratch {
    token_info *info; /* per sentence: two outside markers, its tokens, two more */
    size_t info_cap;
    uint64_t *keys;
    size_t keys_cap;
    uint8_t *tmpl; /* template of each key (kh_ner_features) */
    size_t tmpl_cap;
    uint32_t *offsets;
    size_t offsets_cap;
    int64_t *scores; /* longest sentence * KH_NER_TAGS */
    size_t scores_cap;
    uint8_t *back;
    size_t back_cap;
    char *buf; /* a stripped form */
    size_t buf_cap;
    uint8_t *first; /* first-stage tags */
    size_t first_cap;
    doc_slot *doc;
    size_t doc_cap, doc_used;
    uint64_t *stems; /* per token of the document: its stem's key (the document values) */
    size_t stems_cap;
    word_memo *memo; /* MEMO_SLOTS, made at first use */
    uint64_t memo_model; /* the id of the model whose values the memo holds */
};

kh_ner_scratch *kh_ner_scratch_new(void) { return calloc(1, sizeof(kh_ner_scratch)); }

void kh_ner_scratch_free(kh_ner_scratch *s)
{
    if (!s) return;
    free(s->info);
    free(s->stems);
    free(s->keys);
    free(s->tmpl);
    free(s->offsets);
    free(s->scores);
    free(s->back);
    free(s->buf);
    free(s->first);
    free(s->doc);
    free(s->memo);
    free(s);
}

static int grow(void **p, size_t *cap, size_t need, size_t item)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    if (c > SIZE_MAX / item) return -1;
    void *q = realloc(*p, c * item);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* ---- per-token values ---- */

enum { KIND_ARABIC, KIND_LATIN, KIND_NUMBER, KIND_PUNCT, KIND_MIXED };

static unsigned token_kind(const char *s, size_t n)
{
    unsigned arabic = 0, latin = 0, digit = 0, other = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!k) k = 1, cp = REPLACEMENT_CHARACTER;
        i += k;
        if (kh_is_arabic_letter(cp) || kh_is_arabic_mark(cp) || cp == TATWEEL) arabic++;
        else if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp < 0x250)) latin++;
        else if ((cp >= '0' && cp <= '9') || kh_digit_value(cp) >= 0) digit++;
        else other++;
    }
    if (arabic && !latin && !digit && !other) return KIND_ARABIC;
    if (latin && !arabic && !digit) return KIND_LATIN;
    if (digit && !arabic && !latin) return KIND_NUMBER;
    if (!arabic && !latin && !digit) return KIND_PUNCT;
    return KIND_MIXED;
}

/* Code point at s[i] (n bytes), or 0 past the end; *k gets its length. */
static uint32_t cp_at(const char *s, size_t n, size_t i, unsigned *k)
{
    uint32_t cp = 0;
    *k = i < n ? kh_utf8_decode((const unsigned char *)s + i, n - i, &cp) : 0;
    if (i < n && !*k) *k = 1, cp = REPLACEMENT_CHARACTER;
    return cp;
}

static uint32_t word_count(const kh_ner_model *m, const char *w, size_t n)
{
    const word_entry *e = word_find(m, w, n);
    return e ? e->count : 0;
}

/* The clitic-stripped form of a normalised word: the proclitics و ف, then
 * ب ل ك, then ال are candidates for removal (لل is ل + ال with the alef
 * elided), and the form the unlabeled corpus saw most often wins, the
 * whole word on ties.  Writes it to out (room for n + 4 bytes) and returns
 * its length; *skipped gets the number of leading bytes removed (the
 * proclitics), 0 when the form is the word itself. */
static size_t strip_clitics(const kh_ner_model *m, const char *w, size_t n, char *out,
                            size_t *skipped)
{
    enum { MIN_REST = 4 }; /* bytes: two Arabic letters must remain */
    size_t starts[3], n_starts = 0;
    int after_lam[3];
    starts[n_starts] = 0, after_lam[n_starts++] = 0;
    unsigned k;
    uint32_t c = cp_at(w, n, 0, &k);
    if ((c == WAW || c == FEH) && n >= k + MIN_REST) starts[n_starts] = k, after_lam[n_starts++] = 0;
    for (size_t s = 0, base = n_starts; s < base; s++) {
        c = cp_at(w, n, starts[s], &k);
        if ((c == BEH || c == LAM || c == KAF) && n >= starts[s] + k + MIN_REST)
            starts[n_starts] = starts[s] + k, after_lam[n_starts++] = c == LAM;
    }
    uint32_t best_count = word_count(m, w, n);
    size_t best_skip = 0;
    int best_article = 0;
    char article[8];
    size_t al = kh_utf8_encode(ALEF, article);
    al += kh_utf8_encode(LAM, article + al);
    for (size_t s = 0; s < n_starts; s++) {
        size_t from = starts[s];
        for (int form = 0; form < 3; form++) {
            size_t skip = from;
            int add_article = 0;
            unsigned ka, kl;
            uint32_t c1 = cp_at(w, n, from, &ka), c2 = cp_at(w, n, from + ka, &kl);
            if (form == 0 && from == 0) continue;
            if (form == 1) { /* without ال */
                if (c1 != ALEF || c2 != LAM || n < from + ka + kl + MIN_REST) continue;
                skip = from + ka + kl;
            }
            if (form == 2) { /* لل: the elided alef restored */
                if (!after_lam[s] || c1 != LAM || n < from + ka + MIN_REST) continue;
                skip = from + ka;
                add_article = 1;
            }
            if (add_article) {
                memcpy(out, article, al);
                memcpy(out + al, w + skip, n - skip);
            }
            uint32_t count = add_article ? word_count(m, out, al + n - skip)
                                         : word_count(m, w + skip, n - skip);
            if (count > best_count) best_count = count, best_skip = skip, best_article = add_article;
        }
    }
    *skipped = best_skip;
    if (best_article) {
        memcpy(out, article, al);
        memcpy(out + al, w + best_skip, n - best_skip);
        return al + n - best_skip;
    }
    memcpy(out, w + best_skip, n - best_skip);
    return n - best_skip;
}

/* Hash of the first (or last) `letters` code points of s, 0 when s is
 * shorter than that. */
static uint64_t affix_hash(const char *s, size_t n, unsigned letters, int from_end)
{
    size_t i;
    unsigned seen = 0;
    if (!from_end) {
        for (i = 0; i < n && seen < letters; seen++) {
            i++;
            while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        }
        if (seen < letters) return 0;
        return nonzero(kh_hash(s, i) ^ 0x707265ULL);
    }
    for (i = n; i > 0 && seen < letters; seen++) {
        i--;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    }
    if (seen < letters) return 0;
    return nonzero(kh_hash(s + i, n - i) ^ 0x737566ULL);
}

static size_t letter_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static void outside_info(token_info *t, uint64_t marker)
{
    memset(t, 0, sizeof *t);
    t->word = t->stem = marker;
    t->shape = (uint32_t)marker & 0xffff;
}

/* The name-likeness of a word as a small number: 1 + the bin of the chance
 * that it is part of a name (8 bins) * 16 + the likeliest type * 4 + the
 * bin of that type's share; 0 without a model. */
static uint32_t name_code(const kh_ner_model *m, const char *w, size_t n)
{
    float p[KH_NER_NAME_CLASSES];
    if (kh_ner_name_probs(m, w, n, p)) return 0;
    static const float edges[] = {0.05f, 0.15f, 0.3f, 0.5f, 0.7f, 0.85f, 0.95f};
    float named = 1 - p[0];
    uint32_t bin = 0;
    while (bin < sizeof edges / sizeof *edges && named >= edges[bin]) bin++;
    int type = 1;
    for (int c = 2; c < KH_NER_NAME_CLASSES; c++)
        if (p[c] > p[type]) type = c;
    float share = named > 0 ? p[type] / named : 0;
    uint32_t sbin = share < 0.5f ? 0 : share < 0.8f ? 1 : 2;
    return 1 + bin * 16 + (uint32_t)(type - 1) * 4 + sbin;
}

static uint32_t name_bin(uint32_t code) { return code ? 1 + (code - 1) / 16 : 0; }

static void fill_info(const kh_ner_model *m, const kh_ner_input *in, token_info *t, char *buf)
{
    memset(t, 0, sizeof *t);
    const char *w = in->norm;
    size_t n = in->norm_len;
    t->word = nonzero(kh_hash(w, n));
    unsigned kind = token_kind(in->text, in->len);
    size_t skipped = 0;
    size_t sl = kind == KIND_ARABIC ? strip_clitics(m, w, n, buf, &skipped) : 0;
    int stripped = skipped != 0;
    t->proclitic = stripped ? nonzero(kh_hash(w, skipped)) : 0;
    const char *stem = buf;
    if (kind != KIND_ARABIC) stem = w, sl = n;
    t->stem = stripped ? nonzero(kh_hash(stem, sl)) : t->word;
    for (unsigned k = 0; k < AFFIX_MAX; k++) {
        t->prefix[k] = affix_hash(stem, sl, k + 1, 0);
        t->suffix[k] = affix_hash(w, n, k + 1, 1);
    }
    size_t letters = letter_count(stem, sl);
    unsigned ca, cl;
    int definite = kind == KIND_ARABIC && cp_at(stem, sl, 0, &ca) == ALEF && cp_at(stem, sl, ca, &cl) == LAM;
    t->shape = kind | (uint32_t)(letters < 9 ? letters : 9) << 3 | (uint32_t)definite << 7 |
               (uint32_t)stripped << 8;
    const word_entry *e = word_find(m, w, n);
    if (!e && stripped) e = word_find(m, stem, sl);
    if (e)
        for (unsigned k = 0; k < m->n_sizes; k++) t->cls[k] = e->cls[k];
    if (kind == KIND_ARABIC) t->name = name_code(m, stem, sl);
}

/* Marks gazetteer phrases: B bits in the low byte, I bits in the next. */
static void mark_gazetteer(const kh_ner_model *m, token_info *info, size_t n,
                           const uint64_t *stems)
{
    if (!m->phrases) return;
    for (size_t i = 0; i < n; i++) {
        for (int alt = 0; alt < 2; alt++) {
            uint64_t first = alt ? stems[i] : info[i].word;
            if (alt && first == info[i].word) break;
            uint64_t h = 0;
            for (size_t j = i; j < n && j < i + MAX_GAZ_TOKENS; j++) {
                h = phrase_step(h, j == i ? first : info[j].word);
                const phrase_entry *e = phrase_slot(m->phrases, m->phrase_mask, h);
                if (!e->hash) break;
                uint32_t types = e->types & ~PHRASE_PREFIX;
                if (types) {
                    info[i].gaz |= types;
                    for (size_t k = i + 1; k <= j; k++) info[k].gaz |= types << 8;
                }
                if (!(e->types & PHRASE_PREFIX)) break;
            }
        }
    }
}

/* Template ids: a feature's key hashes its template with its value. */
enum {
    T_BIAS = 1, T_W0, T_WM1, T_WP1, T_WM2, T_WP2, T_WM1_0, T_W0_P1, T_S0, T_SM1, T_SP1,
    T_PRE, T_SUF = T_PRE + AFFIX_MAX, T_SH0 = T_SUF + AFFIX_MAX, T_SHM1, T_SHP1, T_SH3,
    T_G0, T_GM1, T_GP1, T_SUFM1, T_SUFP1, T_CLITIC, T_CLITIC_M1,
    T_FIRST, T_FIRST_M1, T_FIRST_P1, T_DOC_STEM, T_DOC_STEM_FIRST, T_DOC_PHRASE, T_DOC_PHRASE_FIRST,
    T_DOC_STEM_M1, T_DOC_STEM_P1, T_NAME0, T_NAMEB0, T_NAMEM1, T_NAMEP1,
    T_C0 = 64, T_CM1 = T_C0 + MAX_CLUSTER_SIZES, T_CP1 = T_CM1 + MAX_CLUSTER_SIZES,
    T_END = T_CP1 + MAX_CLUSTER_SIZES
};

#define MAX_KEYS_PER_TOKEN 64

static inline uint64_t fkey(unsigned tmpl, uint64_t value)
{
    return nonzero(mix64(value + (uint64_t)tmpl * 0x9E3779B97F4A7C15ULL));
}

#define EMIT(tp, v)                                                                      \
    do {                                                                                 \
        unsigned tp_ = (tp);                                                             \
        out[n] = fkey(tp_, (v));                                                         \
        if (tmpl) tmpl[n] = (uint8_t)tp_;                                                \
        n++;                                                                             \
    } while (0)

int kh_ner_template_is_lexical(unsigned tmpl)
{
    return tmpl == T_W0 || tmpl == T_S0 || tmpl == T_WM1_0 || tmpl == T_W0_P1;
}

static size_t single_keys(const kh_ner_model *m, unsigned f, int offset, const token_info *t,
                          uint64_t *out, uint8_t *tmpl)
{
    size_t n = 0;
    if (offset == 0) {
        EMIT(T_BIAS, 0);
        if (f & KH_NER_FEAT_WORD) EMIT(T_W0, t->word);
        if (f & KH_NER_FEAT_STEM) EMIT(T_S0, t->stem);
        if (f & KH_NER_FEAT_AFFIX)
            for (unsigned k = 0; k < AFFIX_MAX; k++) {
                if (t->prefix[k]) EMIT(T_PRE + k, t->prefix[k]);
                if (t->suffix[k]) EMIT(T_SUF + k, t->suffix[k]);
            }
        if (f & KH_NER_FEAT_CLITIC) EMIT(T_CLITIC, t->proclitic);
        if (f & KH_NER_FEAT_SHAPE) EMIT(T_SH0, t->shape);
        if (f & KH_NER_FEAT_CLUSTER)
            for (unsigned k = 0; k < m->n_sizes; k++) EMIT(T_C0 + k, t->cls[k]);
        if (f & KH_NER_FEAT_NAME) {
            EMIT(T_NAME0, t->name);
            EMIT(T_NAMEB0, name_bin(t->name));
        }
    } else {
        int before = offset < 0;
        if (f & KH_NER_FEAT_WORD) EMIT(before ? T_WM1 : T_WP1, t->word);
        if (f & KH_NER_FEAT_STEM) EMIT(before ? T_SM1 : T_SP1, t->stem);
        if (f & KH_NER_FEAT_AFFIXCTX) EMIT(before ? T_SUFM1 : T_SUFP1, t->suffix[1] ? t->suffix[1] : t->word);
        if (f & KH_NER_FEAT_SHAPE) EMIT(before ? T_SHM1 : T_SHP1, t->shape);
        if (f & KH_NER_FEAT_CLUSTER)
            for (unsigned k = 0; k < m->n_sizes; k++)
                EMIT((before ? T_CM1 : T_CP1) + k, t->cls[k] ? t->cls[k] : t->word);
        if (f & KH_NER_FEAT_NAME) EMIT(before ? T_NAMEM1 : T_NAMEP1, name_bin(t->name));
    }
    return n;
}

/* The other keys: features that read two tokens or more, the words two
 * away, the gazetteer marks (which depend on the neighbours) and the
 * document's values; t points at the token tagged, t[-2 .. 2] valid. */
static size_t context_keys(unsigned f, const token_info *t, uint64_t *out, uint8_t *tmpl)
{
    size_t n = 0;
    if (f & KH_NER_FEAT_WORD) {
        EMIT(T_WM2, t[-2].word);
        EMIT(T_WP2, t[2].word);
    }
    if (f & KH_NER_FEAT_BIGRAM) {
        EMIT(T_WM1_0, combine(t[-1].word, t[0].word));
        EMIT(T_W0_P1, combine(t[0].word, t[1].word));
    }
    if (f & KH_NER_FEAT_CLITIC) EMIT(T_CLITIC_M1, combine(t[0].proclitic, t[-1].shape));
    if (f & KH_NER_FEAT_SHAPE) EMIT(T_SH3, combine(combine(t[-1].shape, t[0].shape), t[1].shape));
    if (f & KH_NER_FEAT_GAZ) {
        EMIT(T_G0, t[0].gaz);
        EMIT(T_GM1, t[-1].gaz);
        EMIT(T_GP1, t[1].gaz);
    }
    if (f & KH_NER_FEAT_DOC) {
        EMIT(T_FIRST, t[0].first_tag);
        EMIT(T_FIRST_M1, combine(t[-1].first_tag, t[0].first_tag));
        EMIT(T_FIRST_P1, combine(t[0].first_tag, t[1].first_tag));
        EMIT(T_DOC_STEM, t[0].doc_stem);
        EMIT(T_DOC_STEM_FIRST, combine(t[0].doc_stem, t[0].first_tag));
        EMIT(T_DOC_PHRASE, t[0].doc_phrase);
        EMIT(T_DOC_PHRASE_FIRST, combine(t[0].doc_phrase, t[0].first_tag));
        EMIT(T_DOC_STEM_M1, t[-1].doc_stem);
        EMIT(T_DOC_STEM_P1, t[1].doc_stem);
    }
    return n;
}

/* Writes the keys of the token t points at (t[-2 .. 2] valid) and, when
 * tmpl is not NULL, their templates: what the trainer sees. */
static size_t token_keys(const kh_ner_model *m, unsigned f, const token_info *t, uint64_t *out,
                         uint8_t *tmpl)
{
    static const int offsets[3] = {0, -1, 1}; /* the bias first */
    size_t n = 0;
    for (int k = 0; k < 3; k++)
        n += single_keys(m, f, offsets[k], t + offsets[k], out + n, tmpl ? tmpl + n : NULL);
    return n + context_keys(f, t, out + n, tmpl ? tmpl + n : NULL);
}

/* ---- a document: sentences, their token values, both stages ---- */

typedef struct doc_view {
    const kh_ner_input *tokens;
    size_t n;
    const size_t *starts;
    size_t n_sentences;
} doc_view;

static size_t sentence_end(const doc_view *d, size_t k)
{
    return k + 1 < d->n_sentences ? d->starts[k + 1] : d->n;
}

/* Index in s->info of token i of sentence k. */
static size_t info_index(const doc_view *d, size_t k, size_t i) { return d->starts[k] + 4 * k + 2 + i; }

static int check_doc(const doc_view *d)
{
    for (size_t k = 0; k < d->n_sentences; k++)
        if (d->starts[k] > sentence_end(d, k) || (k == 0 && d->starts[0] != 0)) return -1;
    return 0;
}

/* fill_info through the memo (when it could be made). */
static void fill_info_memo(const kh_ner_model *m, const kh_ner_input *in, token_info *t,
                           kh_ner_scratch *s)
{
    if (!s->memo) {
        fill_info(m, in, t, s->buf);
        return;
    }
    uint64_t key = nonzero(combine(kh_hash(in->norm, in->norm_len), token_kind(in->text, in->len)));
    word_memo *e = &s->memo[key & (MEMO_SLOTS - 1)];
    if (e->key != key) {
        fill_info(m, in, &e->info, s->buf);
        e->key = key;
        e->have[0] = e->have[1] = 0;
    }
    *t = e->info;
    t->memo = key;
}

/* Fills the values of sentence k's tokens into info[0, n), framed by
 * outside markers at info[-2, 0) and info[n, n + 2), and their stems into
 * s->stems. */
static void fill_sentence(const kh_ner_model *m, const doc_view *d, size_t k, token_info *info,
                          kh_ner_scratch *s)
{
    size_t first = d->starts[k], n = sentence_end(d, k) - first;
    outside_info(&info[-2], BEFORE_START);
    outside_info(&info[-1], BEFORE_START);
    outside_info(&info[n], AFTER_END);
    outside_info(&info[n + 1], AFTER_END);
    for (size_t i = 0; i < n; i++) {
        fill_info_memo(m, &d->tokens[first + i], &info[i], s);
        s->stems[first + i] = info[i].stem;
    }
    mark_gazetteer(m, info, n, s->stems + first);
}

/* Makes the scratch ready for a document: the memo, the stems, room for
 * the values of every token (`whole`) or of its longest sentence. */
static int prepare(const kh_ner_model *m, const doc_view *d, int whole, kh_ner_scratch *s)
{
    /* the memo holds one model's values: another model starts it afresh */
    if (!s->memo) {
        s->memo = calloc(MEMO_SLOTS, sizeof *s->memo);
    } else if (s->memo_model != m->id) {
        memset(s->memo, 0, MEMO_SLOTS * sizeof *s->memo);
    }
    s->memo_model = m->id;
    size_t longest = 0, longest_sentence = 1;
    for (size_t i = 0; i < d->n; i++)
        if (d->tokens[i].norm_len > longest) longest = d->tokens[i].norm_len;
    for (size_t k = 0; k < d->n_sentences; k++)
        if (sentence_end(d, k) - d->starts[k] > longest_sentence) longest_sentence = sentence_end(d, k) - d->starts[k];
    if (grow((void **)&s->info, &s->info_cap, whole ? d->n + 4 * d->n_sentences + 1 : longest_sentence + 5,
             sizeof *s->info) ||
        grow((void **)&s->stems, &s->stems_cap, d->n + 1, sizeof *s->stems) ||
        grow((void **)&s->buf, &s->buf_cap, longest + 8, 1))
        return -1;
    if (whole)
        for (size_t k = 0; k < d->n_sentences; k++) fill_sentence(m, d, k, s->info + info_index(d, k, 0), s);
    return 0;
}

static doc_slot *doc_find(kh_ner_scratch *s, uint64_t key)
{
    size_t mask = s->doc_cap - 1, i = (size_t)key & mask;
    while (s->doc[i].key && s->doc[i].key != key) i = (i + 1) & mask;
    return &s->doc[i];
}

#define DOC_STEM_SALT 0x7374656dULL
#define DOC_PHRASE_SALT 0x70687261ULL
#define DOC_PHRASE_MAX 4
#define DOC_TABLE_TOKENS 4096 /* the document table starts with room for this many tokens */
#define DECODE_CHUNK 1024     /* tokens whose scores are worked out at once */

/* The slot of a key, made when new; NULL on no memory.  The table grows
 * with what it holds (a key stays once counted, its counts going to zero),
 * at most half full, rather than being made for every token of the
 * document at once: a large document repeats its words. */
static doc_slot *doc_slot_of(kh_ner_scratch *s, uint64_t key)
{
    doc_slot *e = doc_find(s, key);
    if (e->key) return e;
    if ((s->doc_used + 1) * 2 > s->doc_cap) {
        size_t cap = s->doc_cap * 2;
        doc_slot *t = calloc(cap, sizeof *t);
        if (!t) return NULL;
        for (size_t i = 0; i < s->doc_cap; i++) {
            if (!s->doc[i].key) continue;
            size_t j = (size_t)s->doc[i].key & (cap - 1);
            while (t[j].key) j = (j + 1) & (cap - 1);
            t[j] = s->doc[i];
        }
        free(s->doc);
        s->doc = t;
        s->doc_cap = cap;
        e = doc_find(s, key);
    }
    e->key = key;
    s->doc_used++;
    return e;
}

/* Adds (sign 1) or removes (sign -1) sentence k's first-stage tags. */
static int doc_count(kh_ner_scratch *s, const doc_view *d, size_t k, int sign)
{
    const uint64_t *stems = s->stems + d->starts[k];
    const uint8_t *tags = s->first + d->starts[k];
    size_t n = sentence_end(d, k) - d->starts[k];
    for (size_t i = 0; i < n; i++) {
        doc_slot *e = doc_slot_of(s, nonzero(combine(stems[i], DOC_STEM_SALT)));
        if (!e) return -1;
        e->count[tags[i] ? 1 + kh_ner_tag_type(tags[i]) : 0] += sign;
    }
    for (size_t i = 0; i < n;) {
        if (!tags[i]) { i++; continue; }
        int type = kh_ner_tag_type(tags[i]);
        size_t j = i + 1;
        while (j < n && tags[j] == KH_NER_I(type)) j++;
        if (j - i <= DOC_PHRASE_MAX) {
            uint64_t h = DOC_PHRASE_SALT;
            for (size_t q = i; q < j; q++) h = phrase_step(h, stems[q]);
            doc_slot *e = doc_slot_of(s, h);
            if (!e) return -1;
            e->count[1 + type] += sign;
        }
        i = j;
    }
    return 0;
}

/* Strongest entity type among counts, or -1 when none. */
static int majority_type(const int32_t *count)
{
    int best = -1;
    for (int t = 0; t < KH_NER_TYPES; t++)
        if (count[1 + t] > 0 && (best < 0 || count[1 + t] > count[1 + best])) best = t;
    return best;
}

/* Sets the document values of sentence k's tokens from the counts (which
 * must not include sentence k). */
static void doc_values(kh_ner_scratch *s, const doc_view *d, size_t k, token_info *info)
{
    const uint8_t *tags = s->first + d->starts[k];
    size_t n = sentence_end(d, k) - d->starts[k];
    for (size_t i = 0; i < n; i++) {
        info[i].first_tag = tags[i] + 1;
        const doc_slot *e = doc_find(s, nonzero(combine(info[i].stem, DOC_STEM_SALT)));
        uint32_t v = 1; /* not seen nearby */
        if (e->key) {
            int32_t total = 0;
            for (int t = 0; t <= KH_NER_TYPES; t++) total += e->count[t];
            int type = majority_type(e->count);
            if (total > 0) {
                int32_t named = total - e->count[0];
                uint32_t share = named == 0 ? 0 : named * 3 < total ? 1 : named * 3 < 2 * total ? 2 : 3;
                v = 2 + (uint32_t)(type + 1) * 16 + share * 2 + (total >= 3);
            }
        }
        info[i].doc_stem = v;
        info[i].doc_phrase = 0;
    }
    /* the longest nearby entity covering each token wins */
    for (size_t len = DOC_PHRASE_MAX; len > 0; len--)
        for (size_t i = 0; i + len <= n; i++) {
            uint64_t h = DOC_PHRASE_SALT;
            for (size_t q = i; q < i + len; q++) h = phrase_step(h, info[q].stem);
            const doc_slot *e = doc_find(s, h);
            if (!e->key) continue;
            int type = majority_type(e->count);
            if (type < 0) continue;
            for (size_t q = i; q < i + len; q++)
                if (!info[q].doc_phrase)
                    info[q].doc_phrase = 1 + (uint32_t)type * 8 + (q == i ? 0u : q + 1 == i + len ? 4u : 2u) + (len > 1);
        }
}

static void decode_sentence(const kh_ner_model *m, int stage, const token_info *info, size_t n,
                            uint8_t *tags, kh_ner_scratch *s);

/* Computes the document values of every sentence over a sliding window of
 * sentences around it: into the values of every token (prepare's `whole`),
 * or, when `tags` is not NULL, into the values of each sentence in turn,
 * filled again, which it then tags with the second stage. */
static int doc_prepare(const kh_ner_model *m, const doc_view *d, unsigned window, kh_ner_scratch *s,
                       uint8_t *tags)
{
    /* room for an article's words at once; a longer one grows the table */
    size_t start = d->n < DOC_TABLE_TOKENS ? d->n : DOC_TABLE_TOKENS;
    size_t need = table_capacity(2 * start + 16);
    if (need > s->doc_cap || s->doc_cap > 4 * need) {
        free(s->doc);
        s->doc = NULL;
        s->doc_cap = 0;
        s->doc = malloc(need * sizeof *s->doc);
        if (!s->doc) return -1;
        s->doc_cap = need;
    }
    memset(s->doc, 0, s->doc_cap * sizeof *s->doc);
    s->doc_used = 0;
    size_t ns = d->n_sentences;
    /* window [lo, hi) minus the sentence itself */
    size_t lo = 0, hi = 0;
    for (size_t k = 0; k < ns; k++) {
        size_t want_lo = k > window ? k - window : 0, want_hi = k + window + 1 < ns ? k + window + 1 : ns;
        while (hi < want_hi)
            if (doc_count(s, d, hi++, 1)) return -1;
        while (lo < want_lo)
            if (doc_count(s, d, lo++, -1)) return -1;
        if (doc_count(s, d, k, -1)) return -1;
        token_info *info = tags ? s->info + 2 : s->info + info_index(d, k, 0);
        if (tags) fill_sentence(m, d, k, info, s);
        doc_values(s, d, k, info);
        if (doc_count(s, d, k, 1)) return -1;
        if (tags) decode_sentence(m, 1, info, sentence_end(d, k) - d->starts[k], tags + d->starts[k], s);
    }
    return 0;
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* How many keys ahead lookups are started: the tables are larger than the
 * caches, so each lookup is a memory access worth overlapping. */
#define LOOKAHEAD 12

/* Adds the weights of keys[0 .. nk) into out[token * KH_NER_TAGS + tag],
 * token i's keys being keys[offsets[i] .. offsets[i + 1]). */
static void score_keys(const weight_set *ws, const uint64_t *keys, const uint32_t *offsets,
                       size_t n, int64_t *out)
{
    size_t nk = offsets[n];
    for (size_t j = 0; j < LOOKAHEAD && j < nk; j++) PREFETCH(&ws->slots[keys[j] & ws->mask]);
    for (size_t tok = 0, j = 0; tok < n; tok++) {
        int32_t acc[KH_NER_TAGS] = {0};
        for (; j < offsets[tok + 1]; j++) {
            if (j + LOOKAHEAD < nk) PREFETCH(&ws->slots[keys[j + LOOKAHEAD] & ws->mask]);
            uint64_t key = keys[j];
            for (size_t i = (size_t)key & ws->mask;; i = (i + 1) & ws->mask) {
                const feature_slot *sl = &ws->slots[i];
                if (sl->key == key) {
                    for (int t = 0; t < KH_NER_TAGS; t++) acc[t] += sl->weight[t];
                    break;
                }
                if (!sl->key) break;
            }
        }
        for (int t = 0; t < KH_NER_TAGS; t++) out[tok * KH_NER_TAGS + (size_t)t] += acc[t];
    }
}

/* The sums of the features that read only token t, at each offset (-1,
 * 0, +1) from the token tagged, under one stage: their keys all made and
 * fetched at once, the lookups overlapping. */
static void single_sums(const kh_ner_model *m, const weight_set *ws, const token_info *t,
                        int32_t sums[3][KH_NER_TAGS])
{
    uint64_t keys[3 * MAX_KEYS_PER_TOKEN];
    size_t end[3], nk = 0;
    for (int offset = -1; offset <= 1; offset++) {
        nk += single_keys(m, ws->templates, offset, t, keys + nk, NULL);
        end[offset + 1] = nk;
    }
    for (size_t j = 0; j < nk; j++) PREFETCH(&ws->slots[keys[j] & ws->mask]);
    for (size_t o = 0, j = 0; o < 3; o++) {
        for (int k = 0; k < KH_NER_TAGS; k++) sums[o][k] = 0;
        for (; j < end[o]; j++)
            for (size_t i = (size_t)keys[j] & ws->mask;; i = (i + 1) & ws->mask) {
                const feature_slot *sl = &ws->slots[i];
                if (sl->key == keys[j]) {
                    for (int k = 0; k < KH_NER_TAGS; k++) sums[o][k] += sl->weight[k];
                    break;
                }
                if (!sl->key) break;
            }
    }
}

/* Adds to acc the weights of the features that read only token t, at
 * `offset` from the token tagged, under stage `stage`: from the memo,
 * filled for all three offsets at the first need. */
static void add_single(const kh_ner_model *m, int stage, int offset, const token_info *t,
                       kh_ner_scratch *s, int64_t *acc)
{
    const weight_set *ws = &m->stage[stage];
    word_memo *e = t->memo && s->memo ? &s->memo[t->memo & (MEMO_SLOTS - 1)] : NULL;
    if (e && e->key != t->memo) e = NULL; /* its slot went to another word meanwhile */
    int32_t local[3][KH_NER_TAGS];
    int32_t (*sums)[KH_NER_TAGS] = e ? e->sums[stage] : local;
    if (!e || !e->have[stage]) {
        single_sums(m, ws, t, sums);
        if (e) e->have[stage] = 1;
    }
    for (int k = 0; k < KH_NER_TAGS; k++) acc[k] += sums[offset + 1][k];
}

/* Best valid tag sequence for one sentence under one stage's weights.  The
 * tokens' scores are worked out DECODE_CHUNK tokens at a time, each chunk
 * then taken into the Viterbi recursion, so that a sentence of any length
 * needs only its back pointers (KH_NER_TAGS bytes a token) besides. */
static void decode_sentence(const kh_ner_model *m, int stage, const token_info *info, size_t n,
                            uint8_t *tags, kh_ner_scratch *s)
{
    if (n == 0) return;
    const weight_set *ws = &m->stage[stage];
    int64_t prev[KH_NER_TAGS];
    for (size_t c0 = 0; c0 < n; c0 += DECODE_CHUNK) {
        size_t cn = n - c0 < DECODE_CHUNK ? n - c0 : DECODE_CHUNK, nk = 0;
        s->offsets[0] = 0;
        for (size_t i = 0; i < cn; i++) {
            int64_t *acc = s->scores + i * KH_NER_TAGS;
            for (int t = 0; t < KH_NER_TAGS; t++) acc[t] = 0;
            for (int offset = -1; offset <= 1; offset++)
                add_single(m, stage, offset, info + c0 + i + offset, s, acc);
            nk += context_keys(ws->templates, info + c0 + i, s->keys + nk, NULL);
            s->offsets[i + 1] = (uint32_t)nk;
        }
        score_keys(ws, s->keys, s->offsets, cn, s->scores);
        /* Viterbi: each token's row becomes the best path score ending in each tag. */
        for (size_t i = 0; i < cn; i++) {
            int64_t *cur = s->scores + i * KH_NER_TAGS;
            if (c0 + i == 0) {
                for (int t = 0; t < KH_NER_TAGS; t++) cur[t] += ws->trans[KH_NER_TAGS * KH_NER_TAGS + t];
            } else {
                uint8_t *bp = s->back + (c0 + i) * KH_NER_TAGS;
                for (int t = 0; t < KH_NER_TAGS; t++) {
                    int64_t best = prev[0] + ws->trans[t];
                    uint8_t arg = 0;
                    for (int p = 1; p < KH_NER_TAGS; p++) {
                        int64_t v = prev[p] + ws->trans[p * KH_NER_TAGS + t];
                        if (v > best) best = v, arg = (uint8_t)p;
                    }
                    cur[t] += best;
                    bp[t] = arg;
                }
            }
            memcpy(prev, cur, sizeof prev);
        }
    }
    uint8_t t = 0;
    for (int k = 1; k < KH_NER_TAGS; k++)
        if (prev[k] > prev[t]) t = (uint8_t)k;
    for (size_t i = n; i-- > 0;) {
        tags[i] = t;
        if (i) t = s->back[i * KH_NER_TAGS + t];
    }
}

int kh_ner_features(const kh_ner_model *m, unsigned templates, const kh_ner_input *tokens,
                    size_t n, const size_t *starts, size_t n_sentences, const uint8_t *first,
                    unsigned window, kh_ner_scratch *s, const uint64_t **keys,
                    const uint8_t **tmpl, const uint32_t **offsets)
{
    doc_view d = {tokens, n, starts, n_sentences};
    if ((n && !n_sentences) || check_doc(&d)) return -1;
    if (!templates) templates = m->templates;
    if ((templates & KH_NER_FEAT_DOC) && !first) return -1;
    if (prepare(m, &d, 1, s)) return -1;
    if (templates & KH_NER_FEAT_DOC) {
        if (grow((void **)&s->first, &s->first_cap, n + 1, 1)) return -1;
        memcpy(s->first, first, n);
        if (doc_prepare(m, &d, window, s, NULL)) return -1;
    }
    if (grow((void **)&s->keys, &s->keys_cap, n * MAX_KEYS_PER_TOKEN + 1, sizeof *s->keys) ||
        grow((void **)&s->tmpl, &s->tmpl_cap, n * MAX_KEYS_PER_TOKEN + 1, 1) ||
        grow((void **)&s->offsets, &s->offsets_cap, n + 1, sizeof *s->offsets))
        return -1;
    size_t k = 0;
    s->offsets[0] = 0;
    for (size_t q = 0; q < n_sentences; q++)
        for (size_t i = starts[q]; i < sentence_end(&d, q); i++) {
            k += token_keys(m, templates, s->info + info_index(&d, q, i - starts[q]), s->keys + k,
                            s->tmpl + k);
            s->offsets[i + 1] = (uint32_t)k;
        }
    *keys = s->keys;
    if (tmpl) *tmpl = s->tmpl;
    *offsets = s->offsets;
    return 0;
}

int kh_ner_tag_doc(const kh_ner_model *m, const kh_ner_input *tokens, size_t n,
                   const size_t *starts, size_t n_sentences, uint8_t *tags, kh_ner_scratch *s)
{
    doc_view d = {tokens, n, starts, n_sentences};
    if (n == 0) return 0;
    if (!n_sentences || check_doc(&d)) return -1;
    if (m->n_stages == 0) {
        memset(tags, KH_NER_O, n);
        return 0;
    }
    size_t longest = 1;
    for (size_t k = 0; k < n_sentences; k++)
        if (sentence_end(&d, k) - starts[k] > longest) longest = sentence_end(&d, k) - starts[k];
    size_t chunk = longest < DECODE_CHUNK ? longest : DECODE_CHUNK;
    if (prepare(m, &d, 0, s) ||
        grow((void **)&s->scores, &s->scores_cap, chunk * KH_NER_TAGS, sizeof *s->scores) ||
        grow((void **)&s->back, &s->back_cap, longest * KH_NER_TAGS, 1) ||
        grow((void **)&s->keys, &s->keys_cap, chunk * MAX_KEYS_PER_TOKEN, sizeof *s->keys) ||
        grow((void **)&s->offsets, &s->offsets_cap, chunk + 1, sizeof *s->offsets))
        return -1;
    /* A lone sentence has no nearby sentences for the second stage to
     * read; it was trained with them, so the first stage does better. */
    int stages = n_sentences > 1 ? (int)m->n_stages : 1;
    uint8_t *out = tags;
    if (stages == 2) {
        if (grow((void **)&s->first, &s->first_cap, n, 1)) return -1;
        out = s->first;
    }
    /* one sentence's values at a time (the stems of all are kept for the
     * document values), filled again for the second stage */
    for (size_t k = 0; k < n_sentences; k++) {
        fill_sentence(m, &d, k, s->info + 2, s);
        decode_sentence(m, 0, s->info + 2, sentence_end(&d, k) - starts[k], out + starts[k], s);
    }
    if (stages == 1) return 0;
    return doc_prepare(m, &d, m->window, s, tags);
}

int kh_ner_tag(const kh_ner_model *m, const kh_ner_input *tokens, size_t n, uint8_t *tags,
               kh_ner_scratch *s)
{
    size_t start = 0;
    return kh_ner_tag_doc(m, tokens, n, &start, n ? 1 : 0, tags, s);
}
