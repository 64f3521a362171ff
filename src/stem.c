/* Stemming: our clitic segmentation, then Snowball's Arabic stemmer on the
 * stem it leaves, so والكتاب, بالكتاب, للكتاب and كتاب share one stem.
 * Known proper names come back whole: Snowball would make افغانستان of
 * افغانست. */
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "arabic.h"
#include "kh.h"

struct kh_stemmer {
    struct sb_stemmer *snowball;
    kh_buf norm;    /* the stem, every fold applied */
    kh_buf guarded; /* the same behind a guard letter (see snowball_suffixes) */
};

kh_stemmer *kh_stemmer_new(void)
{
    kh_stemmer *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->snowball = sb_stemmer_new("arabic", "UTF_8");
    if (!s->snowball) {
        free(s);
        return NULL;
    }
    return s;
}

void kh_stemmer_free(kh_stemmer *s)
{
    if (!s) return;
    sb_stemmer_delete(s->snowball);
    kh_buf_free(&s->norm);
    kh_buf_free(&s->guarded);
    free(s);
}

/* w is normalised but for the alef fold (kh_segment_normalize). */
static int is_name(const khabar_model *m, const char *w, size_t n)
{
    char key[256];
    if (!m->names || n > sizeof key) return 0;
    memcpy(key, w, n);
    kh_fold_alef_inplace(key, n);
    return kh_lexicon_count_normal(m->names, key, n) > 0;
}

/* Snowball's suffix rules on a stem whose clitics are already gone.  Its
 * own prefix rules would strip again what the segmenter judged to be part
 * of the word (وزير → زير, بريطانيا → ريطاني); when they fire, the stem is
 * stemmed again behind a Latin letter, which no Arabic prefix rule matches.
 * Only then, because the extra letter also lengthens the word by one for
 * Snowball's length tests, which matters for short words (بيت → بي). */
static int snowball_suffixes(kh_stemmer *s, kh_buf *b)
{
    const char *w = s->norm.data;
    int n = (int)s->norm.len;
    const sb_symbol *r = sb_stemmer_stem(s->snowball, (const sb_symbol *)w, n);
    if (!r) return -1; /* Snowball ran out of memory */
    int rn = sb_stemmer_length(s->snowball);
    if (rn > 0 && rn <= n && memcmp(r, w, (size_t)rn) == 0) return kh_buf_append(b, r, (size_t)rn);
    s->guarded.len = 0;
    if (kh_buf_putc(&s->guarded, 'x') || kh_buf_append(&s->guarded, w, (size_t)n)) return -1;
    r = sb_stemmer_stem(s->snowball, (const sb_symbol *)s->guarded.data, n + 1);
    if (!r) return -1;
    rn = sb_stemmer_length(s->snowball);
    if (rn > 1 && r[0] == 'x') return kh_buf_append(b, r + 1, (size_t)rn - 1);
    return kh_buf_append(b, w, (size_t)n);
}

int kh_stem_append(kh_stemmer *s, const khabar_model *m, kh_buf *b, const char *w, size_t n)
{
    kh_segmentation seg;
    kh_segment_word(m, w, n, &seg);
    return kh_stem_segmented(s, m, b, w, n, &seg);
}

int kh_stem_segmented(kh_stemmer *s, const khabar_model *m, kh_buf *b, const char *w, size_t n,
                      const kh_segmentation *segmentation)
{
    if (n == 0) return 0;
    s->norm.len = 0;
    if (is_name(m, w, n)) return kh_normalize_append(b, w, n, KHABAR_FOLD_ALL);
    kh_segmentation seg = *segmentation;
    const char *stem = w + seg.stem_start;
    size_t stem_n = seg.stem_end - seg.stem_start;
    /* A preposition with a pronoun (له) has no stem: the word is its own. */
    if (stem_n == 0) stem = w, stem_n = n;
    if (kh_normalize_append(&s->norm, stem, stem_n, KHABAR_FOLD_ALL)) return -1;
    const unsigned char *u = (const unsigned char *)s->norm.data;
    int arabic = s->norm.len > 0;
    for (size_t i = 0; i < s->norm.len && arabic;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode(u + i, s->norm.len - i, &cp);
        arabic = k && kh_is_arabic_letter(cp);
        i += k ? k : 1;
    }
    /* Latin, digits and mixed tokens pass through; so do names. */
    if (!arabic || is_name(m, s->norm.data, s->norm.len))
        return kh_buf_append(b, s->norm.data, s->norm.len);
    return snowball_suffixes(s, b);
}

static int render_stem(khabar_analyzer *an, kh_buf *out, const char *w, size_t n)
{
    return kh_stem_append(an->stemmer, an->model, out, w, n);
}

khabar_status khabar_stem(khabar_analyzer *an, const char *word, size_t len, char *out,
                          size_t cap, size_t *out_len, khabar_error *err)
{
    return kh_each_word(an, word, len, "khabar_stem", render_stem, out, cap, out_len, err);
}
