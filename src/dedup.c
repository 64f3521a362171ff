/* Near-duplicate documents across a corpus: MinHash + LSH + union-find. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "arabic.h"
#include "dedup.h"

void kh_dedup_params_init(kh_dedup_params *p)
{
    p->shingle = 5;
    p->perms = 256;
    p->bands = 0;
    p->rows = 0;
    p->threshold = 0.8;
}

double kh_dedup_candidate_probability(unsigned bands, unsigned rows, double s)
{
    return 1.0 - pow(1.0 - pow(s, (double)rows), (double)bands);
}

khabar_status kh_dedup_params_resolve(kh_dedup_params *p, khabar_error *err)
{
    if (p->shingle < 1 || p->shingle > KH_DEDUP_MAX_SHINGLE)
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "shingle size must be 1 to %u words",
                       KH_DEDUP_MAX_SHINGLE);
    if (p->perms < 2 || p->perms > KH_DEDUP_MAX_PERMS)
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "the number of permutations must be 2 to %u",
                       KH_DEDUP_MAX_PERMS);
    if (!(p->threshold > 0 && p->threshold <= 1))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "the threshold must be above 0 and at most 1");
    if (p->bands && !p->rows) p->rows = p->perms / p->bands;
    else if (p->rows && !p->bands) p->bands = p->perms / p->rows;
    if (p->bands && p->rows) {
        if ((unsigned long)p->bands * p->rows > p->perms)
            return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0,
                           "bands x rows (%u x %u) exceeds the %u permutations", p->bands,
                           p->rows, p->perms);
        return KHABAR_OK;
    }
    if (p->bands || p->rows)
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "more bands or rows than permutations");
    /* More rows a band make chance candidates rarer; fewer make a pair at
     * the threshold likelier to be a candidate.  Take the most rows that
     * still find such a pair 99 times in 100: misses cannot be recovered,
     * while a chance candidate only costs one signature comparison. */
    p->rows = 1;
    p->bands = p->perms;
    for (unsigned r = 2; r <= p->perms; r++) {
        if (kh_dedup_candidate_probability(p->perms / r, r, p->threshold) < 0.99) break;
        p->rows = r;
        p->bands = p->perms / r;
    }
    return KHABAR_OK;
}

/* ---- words and signatures ---- */

static int is_word_char(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (kh_is_arabic_letter(cp)) return 1;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

static int push_word(kh_vec *words, char *w, size_t n)
{
    /* ة and ه are interchanged at the end of words in informal spelling */
    enum { TEH_MARBUTA_LEAD = 0xC0 | (TEH_MARBUTA >> 6), TEH_MARBUTA_TAIL = 0x80 | (TEH_MARBUTA & 0x3F),
           HEH_LEAD = 0xC0 | (HEH >> 6), HEH_TAIL = 0x80 | (HEH & 0x3F) };
    if (n >= 2 && (unsigned char)w[n - 2] == TEH_MARBUTA_LEAD &&
        (unsigned char)w[n - 1] == TEH_MARBUTA_TAIL) {
        w[n - 2] = (char)HEH_LEAD;
        w[n - 1] = (char)HEH_TAIL;
    }
    uint64_t *slot = kh_vec_push(words, sizeof *slot);
    if (!slot) return -1;
    *slot = kh_hash(w, n);
    return 0;
}

int kh_dedup_words(kh_buf *scratch, kh_vec *words, const char *text, size_t len)
{
    scratch->len = 0;
    if (kh_normalize_append(scratch, text, len, KHABAR_FOLD_ALL)) return -1;
    /* The word being collected is written back over the normalised text,
     * which is never shorter than it. */
    char *s = scratch->data;
    size_t n = scratch->len, i = 0, w = 0, start = 0;
    int in_word = 0;
    while (i < n) {
        uint32_t cp;
        unsigned k;
        if ((unsigned char)s[i] < 0x80) { cp = (unsigned char)s[i]; k = 1; }
        else if (!(k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp))) { cp = REPLACEMENT_CHARACTER; k = 1; }
        if (cp == ZERO_WIDTH_NON_JOINER || cp == ZERO_WIDTH_JOINER) { i += k; continue; }
        if (is_word_char(cp)) {
            if (!in_word) { in_word = 1; start = w; }
            if (cp >= 'A' && cp <= 'Z') s[w++] = (char)(cp - 'A' + 'a');
            else for (unsigned b = 0; b < k; b++) s[w++] = s[i + b];
        } else if (in_word) {
            in_word = 0;
            if (push_word(words, s + start, w - start)) return -1;
            w = start;
        }
        i += k;
    }
    if (in_word && push_word(words, s + start, w - start)) return -1;
    return 0;
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    return x ^ (x >> 31);
}

/* A value in [0, range) from the high half of a 64-bit hash. */
static unsigned reduce(uint64_t h, unsigned range)
{
    return (unsigned)(((h >> 32) * range) >> 32);
}

/* One-permutation MinHash with optimal densification (Shrivastava, ICML
 * 2017): one hash a shingle picks a bin from its high bits and competes
 * for the bin's minimum with its low bits; an empty bin then copies the
 * first non-empty bin along its own fixed probe sequence.  The chance that
 * two documents agree in a bin is their Jaccard similarity, as with one
 * hash function per position, at a cost of one hash a shingle instead of
 * `perms`.  The probe sequence depends only on the bin, so identical texts
 * get identical signatures. */
size_t kh_minhash(const kh_dedup_params *p, const uint64_t *words, size_t n, kh_minhash_value *sig)
{
    unsigned perms = p->perms;
    unsigned char filled[KH_DEDUP_MAX_PERMS];
    uint32_t least[KH_DEDUP_MAX_PERMS];
    memset(filled, 0, perms);
    for (unsigned j = 0; j < perms; j++) sig[j] = (kh_minhash_value)-1;
    if (n == 0) return 0;
    size_t k = n < p->shingle ? n : p->shingle, count = n - k + 1;
    for (size_t i = 0; i < count; i++) {
        uint64_t x = kh_hash(words + i, k * sizeof *words);
        unsigned bin = reduce(x, perms);
        uint32_t v = (uint32_t)x;
        if (!filled[bin] || v < least[bin]) least[bin] = v;
        filled[bin] = 1;
    }
    /* Each position keeps 16 bits of a hash of its minimum and its own
     * number (b-bit minwise hashing, Li and Koenig 2010): unequal minima
     * then agree by chance once in 65,536, independently at each position
     * even when densification copied one minimum into all of them, a bias
     * far below the estimate's own error, for half the memory. */
    for (unsigned j = 0; j < perms; j++) {
        unsigned from = j;
        for (uint64_t attempt = 1; !filled[from]; attempt++)
            from = reduce(splitmix64(((uint64_t)j << 32) ^ attempt), perms);
        sig[j] = (kh_minhash_value)(splitmix64(((uint64_t)j << 32) | least[from]) >> 48);
    }
    return count;
}

double kh_minhash_similarity(const kh_minhash_value *a, const kh_minhash_value *b, unsigned perms)
{
    unsigned same = 0;
    for (unsigned j = 0; j < perms; j++) same += a[j] == b[j];
    return (double)same / perms;
}

/* ---- the collection ---- */

struct kh_dedup {
    kh_dedup_params p;
    kh_minhash_value *sigs; /* n signatures of p.perms values */
    size_t n, cap;
    kh_buf keys;         /* all keys, back to back */
    size_t *key_end;     /* end of key i in keys; key i starts at key_end[i - 1] */
    kh_buf scratch;
    kh_vec words;

    uint32_t *parent;    /* union-find over documents */
    uint32_t *members;   /* cluster members, cluster after cluster */
    kh_dedup_cluster *clusters;
    size_t cluster_count;
    uint32_t *cluster_of; /* UINT32_MAX when alone */
    size_t clustered;     /* documents the clusters cover */
    kh_dedup_stats stats;
};

khabar_status kh_dedup_new(const kh_dedup_params *p, kh_dedup **out, khabar_error *err)
{
    if (!p || !out) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "kh_dedup_new: NULL argument");
    *out = NULL;
    kh_dedup_params q = *p;
    khabar_status st = kh_dedup_params_resolve(&q, err);
    if (st) return st;
    kh_dedup *d = calloc(1, sizeof *d);
    if (!d) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    d->p = q;
    *out = d;
    return KHABAR_OK;
}

static void forget_clusters(kh_dedup *d)
{
    free(d->parent);
    free(d->members);
    free(d->clusters);
    free(d->cluster_of);
    d->parent = d->members = d->cluster_of = NULL;
    d->clusters = NULL;
    d->cluster_count = 0;
    d->clustered = 0;
}

void kh_dedup_free(kh_dedup *d)
{
    if (!d) return;
    forget_clusters(d);
    free(d->sigs);
    free(d->key_end);
    kh_buf_free(&d->keys);
    kh_buf_free(&d->scratch);
    kh_vec_free(&d->words);
    free(d);
}

khabar_status kh_dedup_add_words(kh_dedup *d, const char *key, size_t key_len,
                                 const uint64_t *words, size_t n, khabar_error *err)
{
    if (!d || (!key && key_len) || (!words && n))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "kh_dedup_add: NULL argument");
    if (n == 0) return kh_fail(err, KHABAR_ERROR_EMPTY, 0, "the text has no words");
    if (d->n >= UINT32_MAX - 1)
        return kh_fail(err, KHABAR_ERROR_TOO_LARGE, 0, "more documents than a collection holds");
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        kh_minhash_value *sigs = realloc(d->sigs, cap * d->p.perms * sizeof *sigs);
        if (!sigs) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        d->sigs = sigs;
        size_t *ends = realloc(d->key_end, cap * sizeof *ends);
        if (!ends) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        d->key_end = ends;
        d->cap = cap;
    }
    if (kh_buf_append(&d->keys, key, key_len))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    kh_minhash(&d->p, words, n, d->sigs + d->n * d->p.perms);
    d->key_end[d->n] = d->keys.len;
    d->n++;
    return KHABAR_OK;
}

/* The words of a text into `words`: 0, or a failure status. */
static khabar_status text_words(kh_buf *scratch, kh_vec *words, const char *text, size_t len,
                                khabar_error *err)
{
    size_t bad = kh_utf8_check(text ? text : "", len);
    if (bad != len) return kh_fail(err, KHABAR_ERROR_UTF8, bad, "invalid UTF-8 at byte %zu", bad);
    words->len = 0;
    if (kh_dedup_words(scratch, words, text ? text : "", len))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    return KHABAR_OK;
}

khabar_status kh_dedup_text_signature(const kh_dedup_params *p, kh_buf *scratch, kh_vec *words,
                                      const char *text, size_t len, kh_minhash_value *sig,
                                      khabar_error *err)
{
    khabar_status st = text_words(scratch, words, text, len, err);
    if (st) return st;
    if (words->len == 0) return kh_fail(err, KHABAR_ERROR_EMPTY, 0, "the text has no words");
    kh_minhash(p, words->data, words->len, sig);
    return KHABAR_OK;
}

uint64_t kh_dedup_band_key(const kh_dedup_params *p, const kh_minhash_value *sig, unsigned band)
{
    return kh_hash(sig + band * p->rows, p->rows * sizeof *sig);
}

khabar_status kh_dedup_add(kh_dedup *d, const char *key, size_t key_len, const char *text,
                           size_t len, khabar_error *err)
{
    if (!d || (!text && len)) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "kh_dedup_add: NULL argument");
    khabar_status st = text_words(&d->scratch, &d->words, text, len, err);
    if (st) return st;
    return kh_dedup_add_words(d, key, key_len, d->words.data, d->words.len, err);
}

size_t kh_dedup_count(const kh_dedup *d) { return d ? d->n : 0; }

const char *kh_dedup_key(const kh_dedup *d, size_t doc, size_t *len)
{
    if (!d || doc >= d->n) return NULL;
    size_t start = doc ? d->key_end[doc - 1] : 0;
    if (len) *len = d->key_end[doc] - start;
    return d->keys.data ? d->keys.data + start : "";
}

const kh_minhash_value *kh_dedup_signature(const kh_dedup *d, size_t doc)
{
    return d && doc < d->n ? d->sigs + doc * d->p.perms : NULL;
}

static uint32_t find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

typedef struct band_entry {
    uint64_t key;
    uint32_t doc;
} band_entry;

static int by_key_then_doc(const void *pa, const void *pb)
{
    const band_entry *a = pa, *b = pb;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* Joins the documents of one bucket: each is compared with those before it
 * that are not yet in its cluster. */
static void join_bucket(kh_dedup *d, const band_entry *e, size_t count)
{
    unsigned perms = d->p.perms;
    for (size_t i = 1; i < count; i++) {
        uint32_t m = e[i].doc;
        for (size_t j = 0; j < i; j++) {
            uint32_t q = e[j].doc, rm = find(d->parent, m), rq = find(d->parent, q);
            if (rm == rq) continue;
            d->stats.compared++;
            double s = kh_minhash_similarity(d->sigs + (size_t)m * perms, d->sigs + (size_t)q * perms, perms);
            if (s + 1e-9 >= d->p.threshold) {
                d->stats.joined++;
                /* the earlier document becomes the root: deterministic, and roots stay small */
                if (rm < rq) d->parent[rq] = rm;
                else d->parent[rm] = rq;
            }
        }
    }
}

/* Mean and least pairwise similarity of a cluster, over a spread sample of
 * at most 64 members so that a huge cluster costs no more than a small one. */
static void cluster_similarity(const kh_dedup *d, kh_dedup_cluster *c)
{
    enum { SAMPLE = 64 };
    uint32_t pick[SAMPLE];
    size_t k = c->count < SAMPLE ? c->count : SAMPLE;
    for (size_t i = 0; i < k; i++) pick[i] = c->members[i * c->count / k];
    double sum = 0, least = 1;
    size_t pairs = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++) {
            double s = kh_minhash_similarity(d->sigs + (size_t)pick[i] * d->p.perms,
                                             d->sigs + (size_t)pick[j] * d->p.perms, d->p.perms);
            sum += s;
            least = s < least ? s : least;
            pairs++;
        }
    c->similarity = pairs ? sum / (double)pairs : 1;
    c->min_similarity = least;
}

khabar_status kh_dedup_cluster_all(kh_dedup *d, khabar_error *err)
{
    if (!d) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "kh_dedup_cluster_all: NULL argument");
    forget_clusters(d);
    memset(&d->stats, 0, sizeof d->stats);
    size_t n = d->n;
    d->stats.documents = n;
    d->parent = malloc((n ? n : 1) * sizeof *d->parent);
    d->cluster_of = malloc((n ? n : 1) * sizeof *d->cluster_of);
    band_entry *entries = malloc((n ? n : 1) * sizeof *entries);
    if (!d->parent || !d->cluster_of || !entries) {
        free(entries);
        forget_clusters(d);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) d->parent[i] = (uint32_t)i;
    unsigned perms = d->p.perms;
    for (unsigned band = 0; band < d->p.bands; band++) {
        for (size_t i = 0; i < n; i++) {
            entries[i].key = kh_dedup_band_key(&d->p, d->sigs + i * perms, band);
            entries[i].doc = (uint32_t)i;
        }
        qsort(entries, n, sizeof *entries, by_key_then_doc);
        for (size_t s = 0, e; s < n; s = e) {
            for (e = s + 1; e < n && entries[e].key == entries[s].key; e++) {}
            if (e - s > 1) join_bucket(d, entries + s, e - s);
        }
    }
    free(entries);

    /* Number clusters by first member; count members into cluster_of. */
    size_t *sizes = calloc(n ? n : 1, sizeof *sizes);
    if (!sizes) { forget_clusters(d); return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory"); }
    for (size_t i = 0; i < n; i++) sizes[find(d->parent, (uint32_t)i)]++;
    size_t clusters = 0, in_clusters = 0;
    for (size_t i = 0; i < n; i++)
        if (d->parent[i] == i && sizes[i] > 1) { clusters++; in_clusters += sizes[i]; }
    d->clusters = calloc(clusters ? clusters : 1, sizeof *d->clusters);
    d->members = malloc((in_clusters ? in_clusters : 1) * sizeof *d->members);
    if (!d->clusters || !d->members) {
        free(sizes);
        forget_clusters(d);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    /* Roots are their clusters' first members, so walking documents in
     * order meets each root before its other members. */
    size_t next = 0, fill = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = find(d->parent, (uint32_t)i);
        if (sizes[r] < 2) { d->cluster_of[i] = UINT32_MAX; continue; }
        if (r == i) {
            d->clusters[next].members = d->members + fill;
            fill += sizes[r];
            d->cluster_of[i] = (uint32_t)next++;
        } else d->cluster_of[i] = d->cluster_of[r];
        kh_dedup_cluster *c = &d->clusters[d->cluster_of[i]];
        d->members[(size_t)(c->members - d->members) + c->count++] = (uint32_t)i;
    }
    free(sizes);
    d->cluster_count = clusters;
    d->clustered = n;
    for (size_t i = 0; i < clusters; i++) cluster_similarity(d, &d->clusters[i]);
    return KHABAR_OK;
}

size_t kh_dedup_cluster_count(const kh_dedup *d) { return d ? d->cluster_count : 0; }

const kh_dedup_cluster *kh_dedup_cluster_at(const kh_dedup *d, size_t i)
{
    return d && i < d->cluster_count ? &d->clusters[i] : NULL;
}

size_t kh_dedup_cluster_of(const kh_dedup *d, size_t doc)
{
    if (!d || !d->cluster_of || doc >= d->clustered || d->cluster_of[doc] == UINT32_MAX) return SIZE_MAX;
    return d->cluster_of[doc];
}

const kh_dedup_stats *kh_dedup_get_stats(const kh_dedup *d) { return d ? &d->stats : NULL; }

/* ---- JSON-lines records: read as khabar_analyze_record reads them ---- */

khabar_status kh_dedup_parse_record(const char *line, size_t len, kh_record_buffers *bufs,
                                    kh_dedup_record *rec, khabar_error *err)
{
    if (!rec || !bufs || (!line && len))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "kh_dedup_parse_record: NULL argument");
    memset(rec, 0, sizeof *rec);
    kh_record r;
    khabar_status st = kh_record_read(bufs, line, len, 0, &r, err);
    if (st) return st;
    /* Clusters name their records by id: one is required.  Any JSON value
     * is one, as in analyze (null, objects and arrays included). */
    if (!r.id) return kh_fail(err, KHABAR_ERROR_RECORD, 0, "the record has no \"id\"");
    rec->id = r.id;
    rec->id_len = r.id_len;
    rec->text = r.text;
    rec->text_len = r.text_len;
    return KHABAR_OK;
}
