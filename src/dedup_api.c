/* The public face of the corpus dedup (khabar_dedup_*): the internal
 * kh_dedup with the buffers a record's reading needs. */
#include <stdlib.h>

#include "dedup.h"

_Static_assert(sizeof(khabar_dedup_cluster) == sizeof(kh_dedup_cluster), "one cluster layout");

_Static_assert(sizeof(khabar_dedup_stats) == sizeof(kh_dedup_stats), "one stats layout");

struct khabar_dedup {
    kh_dedup *dedup;
    kh_dedup_params params;
    khabar_dedup_options options; /* params as the caller sees them */
    kh_record_buffers record;
    kh_buf scratch;     /* khabar_dedup_signature's working space */
    kh_vec words;
};

khabar_status khabar_dedup_new(const khabar_dedup_options *opts, khabar_dedup **out, khabar_error *err)
{
    if (!out) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_dedup_new: NULL argument");
    *out = NULL;
    khabar_dedup *d = calloc(1, sizeof *d);
    if (!d) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    kh_dedup_params_init(&d->params);
    if (opts) {
        if (opts->threshold != 0) d->params.threshold = opts->threshold;
        if (opts->shingle) d->params.shingle = opts->shingle;
        if (opts->perms) d->params.perms = opts->perms;
        d->params.bands = opts->bands;
        d->params.rows = opts->rows;
    }
    khabar_status st = kh_dedup_params_resolve(&d->params, err);
    if (!st) st = kh_dedup_new(&d->params, &d->dedup, err);
    d->options = (khabar_dedup_options){d->params.threshold, d->params.shingle, d->params.perms, d->params.bands,
                                        d->params.rows};
    if (st) {
        free(d);
        return st;
    }
    *out = d;
    return KHABAR_OK;
}

void khabar_dedup_free(khabar_dedup *d)
{
    if (!d) return;
    kh_dedup_free(d->dedup);
    kh_record_buffers_free(&d->record);
    kh_buf_free(&d->scratch);
    kh_vec_free(&d->words);
    free(d);
}

khabar_status khabar_dedup_add(khabar_dedup *d, const char *key, size_t key_len, const char *text, size_t len,
                               khabar_error *err)
{
    if (!d || (!key && key_len) || (!text && len))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_dedup_add: NULL argument");
    return kh_dedup_add(d->dedup, key ? key : "", key_len, text ? text : "", len, err);
}

khabar_status khabar_dedup_add_record(khabar_dedup *d, const char *line, size_t len, khabar_error *err)
{
    if (!d || (!line && len)) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_dedup_add_record: NULL argument");
    kh_dedup_record rec;
    khabar_status st = kh_dedup_parse_record(line ? line : "", len, &d->record, &rec, err);
    if (st) return st;
    return kh_dedup_add(d->dedup, rec.id, rec.id_len, rec.text, rec.text_len, err);
}

khabar_status khabar_dedup_cluster_all(khabar_dedup *d, khabar_error *err)
{
    if (!d) return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_dedup_cluster_all: NULL argument");
    return kh_dedup_cluster_all(d->dedup, err);
}

size_t khabar_dedup_count(const khabar_dedup *d) { return d ? kh_dedup_count(d->dedup) : 0; }

const char *khabar_dedup_key(const khabar_dedup *d, size_t i, size_t *len)
{
    if (!d || i >= kh_dedup_count(d->dedup)) {
        if (len) *len = 0;
        return NULL;
    }
    size_t n;
    const char *k = kh_dedup_key(d->dedup, i, &n);
    if (len) *len = n;
    return k;
}

size_t khabar_dedup_cluster_count(const khabar_dedup *d) { return d ? kh_dedup_cluster_count(d->dedup) : 0; }

const khabar_dedup_cluster *khabar_dedup_cluster_at(const khabar_dedup *d, size_t i)
{
    if (!d || i >= kh_dedup_cluster_count(d->dedup)) return NULL;
    return (const khabar_dedup_cluster *)kh_dedup_cluster_at(d->dedup, i);
}

size_t khabar_dedup_cluster_of(const khabar_dedup *d, size_t i)
{
    return d && i < kh_dedup_count(d->dedup) ? kh_dedup_cluster_of(d->dedup, i) : SIZE_MAX;
}

double khabar_dedup_similarity(const khabar_dedup *d, size_t i, size_t j)
{
    if (!d || i >= kh_dedup_count(d->dedup) || j >= kh_dedup_count(d->dedup)) return -1;
    return kh_minhash_similarity(kh_dedup_signature(d->dedup, i), kh_dedup_signature(d->dedup, j), d->params.perms);
}

const khabar_dedup_stats *khabar_dedup_get_stats(const khabar_dedup *d)
{
    return d ? (const khabar_dedup_stats *)kh_dedup_get_stats(d->dedup) : NULL;
}

const khabar_dedup_options *khabar_dedup_get_options(const khabar_dedup *d) { return d ? &d->options : NULL; }

size_t khabar_dedup_signature_length(const khabar_dedup *d) { return d ? d->params.perms : 0; }
size_t khabar_dedup_band_count(const khabar_dedup *d) { return d ? d->params.bands : 0; }
double khabar_dedup_threshold(const khabar_dedup *d) { return d ? d->params.threshold : 0; }

khabar_status khabar_dedup_signature(khabar_dedup *d, const char *text, size_t len, uint16_t *sig,
                                     khabar_error *err)
{
    if (!d || !sig || (!text && len))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_dedup_signature: NULL argument");
    return kh_dedup_text_signature(&d->params, &d->scratch, &d->words, text, len, sig, err);
}

void khabar_dedup_band_keys(const khabar_dedup *d, const uint16_t *sig, uint64_t *keys)
{
    if (!d || !sig || !keys) return;
    for (unsigned b = 0; b < d->params.bands; b++) keys[b] = kh_dedup_band_key(&d->params, sig, b);
}

double khabar_dedup_signature_similarity(const khabar_dedup *d, const uint16_t *a, const uint16_t *b)
{
    if (!d || !a || !b) return -1;
    return kh_minhash_similarity(a, b, d->params.perms);
}
