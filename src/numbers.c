/* Numbers and quantities in news text: digits in any script with either
 * separator convention, number words in their gender and case forms,
 * ranges, approximations, percentages, money, measures and ordinals; and
 * the word tables and token helpers the date finder shares. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "facts.h"

/* ------------------------------------------------------------------ */
/* Word tables                                                         */
/* ------------------------------------------------------------------ */

typedef struct fact_key {
    uint64_t hash;
    uint32_t off, len; /* the word in pool */
    int32_t first;     /* first entry, -1 for an empty slot */
} fact_key;

struct kh_facts {
    kh_fact *entries;
    size_t n_entries, cap_entries;
    fact_key *keys;
    size_t mask, n_keys;
    kh_buf pool;
};

static const char *const class_names[KH_F_CLASS_COUNT] = {
    "NUM", "SCALE", "DUAL", "FRAC", "APL", "FEW",
    "ORD", "ORDADV", "CUR", "CURADJ", "MEAS", "MEASADJ",
    "PCT", "APPROX", "APPROXP", "MORE", "LESS", "BETWEEN",
    "FROM", "TO", "REF", "STOP",
    "MONTH", "HMONTH", "WDAY", "RELDAY", "TUNIT", "RELMOD",
    "THIS", "PART", "PREP", "ELAPSE", "YEARKW", "DAYKW",
    "MONTHKW", "HONOR", "LINK", "ERA", "TOD", "HOURKW",
    "SEASON", "SEASONKW", "FREQ", "NOW", "DECADE", "CENTKW",
    "PERIODKW", "INPREP", "SEVERAL", "FROMDATE", "QUARTERKW", "ANCHOR", "AGE", "SERIES", "SAME", "INROW", "MINUS", "SCORE", "CUE", "(phrase)",
    "(date phrase)", "(digits)"};

static const struct {
    const char *name;
    unsigned flag;
} flag_names[] = {
    {"teen", KH_FF_TEEN}, {"alone", KH_FF_ALONE}, {"pl", KH_FF_PL},
    {"dual", KH_FF_DUAL}, {"acc", KH_FF_ACC},     {"weak", KH_FF_WEAK},
    {"in", KH_FF_IN},     {"bare", KH_FF_BARE},   {"adv", KH_FF_ADV},
    {"noun", KH_FF_NOUN}, {"cond", KH_FF_COND}, {"noyear", KH_FF_NOYEAR},
    {"direct", KH_FF_DIRECT}, {"million", KH_FF_MILLION}, {"thousand", KH_FF_THOUSAND}, {"counts", KH_FF_COUNTS},
    {"millimes", KH_FF_MILLIMES}, {"millime_abbrev", KH_FF_MILLIME_ABBREV},
    {"opens_another", KH_FF_OPENS_ANOTHER}, {"before_last", KH_FF_BEFORE_LAST},
};

static fact_key *key_slot(const kh_facts *f, const char *w, size_t n, uint64_t h)
{
    size_t i = (size_t)h & f->mask;
    for (;;) {
        fact_key *k = &f->keys[i];
        if (k->first < 0) return k;
        if (k->hash == h && k->len == n && memcmp(f->pool.data + k->off, w, n) == 0) return k;
        i = (i + 1) & f->mask;
    }
}

static int grow_keys(kh_facts *f)
{
    size_t cap = f->keys ? (f->mask + 1) * 2 : 512;
    fact_key *old = f->keys;
    size_t old_cap = f->keys ? f->mask + 1 : 0;
    fact_key *keys = malloc(cap * sizeof *keys);
    if (!keys) return -1;
    for (size_t i = 0; i < cap; i++) keys[i].first = -1;
    f->keys = keys;
    f->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].first < 0) continue;
        size_t j = (size_t)old[i].hash & f->mask;
        while (keys[j].first >= 0) j = (j + 1) & f->mask;
        keys[j] = old[i];
    }
    free(old);
    return 0;
}

/* Adds entry `e` under the word pool[off, off+len); keeps file order in
 * the chain so the first listed meaning of a word comes first. */
static int add_entry(kh_facts *f, uint32_t off, uint32_t len, const kh_fact *e)
{
    if ((f->n_keys + 1) * 2 > (f->keys ? f->mask + 1 : 0) && grow_keys(f)) return -1;
    if (f->n_entries == f->cap_entries) {
        size_t cap = f->cap_entries ? f->cap_entries * 2 : 512;
        kh_fact *p = realloc(f->entries, cap * sizeof *p);
        if (!p) return -1;
        f->entries = p;
        f->cap_entries = cap;
    }
    int32_t idx = (int32_t)f->n_entries;
    f->entries[f->n_entries++] = *e;
    f->entries[idx].next = -1;
    const char *w = f->pool.data + off;
    uint64_t h = kh_hash(w, len);
    fact_key *k = key_slot(f, w, len, h);
    if (k->first < 0) {
        k->hash = h;
        k->off = off;
        k->len = len;
        k->first = idx;
        f->n_keys++;
        return 0;
    }
    int32_t j = k->first;
    while (f->entries[j].next >= 0) j = f->entries[j].next;
    f->entries[j].next = idx;
    return 0;
}

/* Splits off the next TAB-separated field of [*p, end). */
static const char *field(const char **p, const char *end, size_t *len)
{
    const char *s = *p;
    const char *tab = memchr(s, '\t', (size_t)(end - s));
    const char *e = tab ? tab : end;
    *len = (size_t)(e - s);
    *p = tab ? tab + 1 : end;
    return s;
}

static khabar_status load_table(kh_facts *f, const char *name, kh_buf *codes,
                                khabar_error *err)
{
    const kh_blob *b = kh_blob_find(name);
    if (!b) return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data '%s' is missing", name);
    const char *s = (const char *)b->data, *end = s + b->len;
    size_t line_no = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        line_no++;
        if (le > s && le[-1] == '\r') le--;
        if (le == s || *s == '#') { s = next; continue; }
        const char *p = s;
        size_t wl, cl, vl, fl;
        const char *w = field(&p, le, &wl);
        const char *c = field(&p, le, &cl);
        const char *v = field(&p, le, &vl);
        const char *fs = field(&p, le, &fl);
        kh_fact e = {0};
        e.cls = KH_F_CLASS_COUNT;
        for (int k = 0; k < KH_F_PHRASE; k++)
            if (strlen(class_names[k]) == cl && memcmp(class_names[k], c, cl) == 0) e.cls = (kh_fact_class)k;
        if (wl == 0 || vl == 0 || e.cls == KH_F_CLASS_COUNT)
            return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data '%s' line %zu is damaged", name, line_no);
        /* FLAGS: names separated by commas */
        for (const char *f0 = fs, *fe = fs + fl; f0 < fe;) {
            const char *comma = memchr(f0, ',', (size_t)(fe - f0));
            size_t len1 = (size_t)((comma ? comma : fe) - f0);
            unsigned flag = 0;
            for (size_t k = 0; k < sizeof flag_names / sizeof *flag_names; k++)
                if (strlen(flag_names[k].name) == len1 && memcmp(flag_names[k].name, f0, len1) == 0)
                    flag = flag_names[k].flag;
            if (!flag)
                return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data '%s' line %zu has an unknown flag",
                               name, line_no);
            e.flags |= flag;
            f0 = comma ? comma + 1 : fe;
        }
        char num[64];
        size_t nl2 = vl < sizeof num - 1 ? vl : sizeof num - 1;
        memcpy(num, v, nl2);
        num[nl2] = '\0';
        char *num_end;
        double value = strtod(num, &num_end);
        e.value = num_end == num ? 0 : value;
        /* The code's offset in `codes` travels in the pointer field until
         * loading ends and the buffer stops moving. */
        e.code = (const char *)(uintptr_t)codes->len;
        if (kh_buf_append(codes, v, vl) || kh_buf_putc(codes, '\0')) goto no_memory;
        size_t off = f->pool.len;
        if (kh_normalize_append(&f->pool, w, wl, KHABAR_FOLD_ALL)) goto no_memory;
        size_t len = f->pool.len - off;
        if (len == 0 || len > 200) { s = next; continue; }
        e.words = 1;
        for (size_t k = off; k < f->pool.len; k++) if (f->pool.data[k] == ' ') e.words++;
        if (add_entry(f, (uint32_t)off, (uint32_t)len, &e)) goto no_memory;
        if (e.words > 1) {
            /* Mark the first word so phrase lookups know where to look. */
            size_t head = (size_t)((const char *)memchr(f->pool.data + off, ' ', len) - (f->pool.data + off));
            const kh_fact *old = kh_facts_find(f, f->pool.data + off, head, KH_F(KH_F_PHRASE));
            if (old) {
                kh_fact *m = &f->entries[old - f->entries];
                if (m->value < e.words) m->value = e.words;
            } else {
                kh_fact ph = {0};
                ph.cls = KH_F_PHRASE;
                ph.value = e.words;
                ph.words = 1;
                ph.code = (const char *)(uintptr_t)0;
                if (add_entry(f, (uint32_t)off, (uint32_t)head, &ph)) goto no_memory;
            }
            if (!(KH_F(e.cls) & KH_F_NEVER_DATE_FIRST) &&
                !kh_facts_find(f, f->pool.data + off, head, KH_F(KH_F_DATE_PHRASE))) {
                kh_fact dp = {0};
                dp.cls = KH_F_DATE_PHRASE;
                dp.words = 1;
                dp.code = (const char *)(uintptr_t)0;
                if (add_entry(f, (uint32_t)off, (uint32_t)head, &dp)) goto no_memory;
            }
        }
        s = next;
    }
    return KHABAR_OK;
no_memory:
    return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory loading '%s'", name);
}

khabar_status kh_facts_load(kh_facts **out, khabar_error *err)
{
    *out = NULL;
    kh_facts *f = calloc(1, sizeof *f);
    if (!f) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    kh_buf codes = {0};
    khabar_status st;
    if ((st = load_table(f, "numbers", &codes, err)) || (st = load_table(f, "dates", &codes, err))) {
        kh_buf_free(&codes);
        kh_facts_free(f);
        return st;
    }
    /* Codes live after the words in one pool; now that it stops growing,
     * turn their offsets into pointers. */
    size_t base = f->pool.len;
    if (kh_buf_append(&f->pool, codes.data, codes.len) || kh_buf_putc(&f->pool, '\0')) {
        kh_buf_free(&codes);
        kh_facts_free(f);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    kh_buf_free(&codes);
    for (size_t i = 0; i < f->n_entries; i++) {
        size_t off = (size_t)(uintptr_t)f->entries[i].code;
        f->entries[i].code = f->entries[i].cls == KH_F_PHRASE ? f->pool.data + f->pool.len - 1
                                                               : f->pool.data + base + off;
    }
    *out = f;
    return KHABAR_OK;
}

void kh_facts_free(kh_facts *f)
{
    if (!f) return;
    free(f->entries);
    free(f->keys);
    kh_buf_free(&f->pool);
    free(f);
}

const kh_fact *kh_facts_find(const kh_facts *f, const char *w, size_t len, uint64_t mask)
{
    if (!f->keys || len == 0) return NULL;
    const fact_key *k = key_slot(f, w, len, kh_hash(w, len));
    for (int32_t j = k->first; j >= 0; j = f->entries[j].next)
        if (mask & KH_F(f->entries[j].cls)) return &f->entries[j];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Token helpers                                                       */
/* ------------------------------------------------------------------ */

size_t kh_fx_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

static unsigned first_cp(const char *s, size_t len, unsigned *cp_len)
{
    uint32_t cp = 0;
    unsigned k = len ? kh_utf8_decode((const unsigned char *)s, len, &cp) : 0;
    *cp_len = k;
    return k ? cp : 0;
}

int kh_fx_is(const kh_fx *x, size_t i, const char *s)
{
    return i < x->n && x->t[i].norm && strcmp(x->t[i].norm, s) == 0;
}

int kh_fx_is_cp(const kh_fx *x, size_t i, unsigned cp)
{
    if (i >= x->n || !x->t[i].norm) return 0;
    const char *s = x->t[i].norm;
    size_t n = strlen(s);
    unsigned len;
    return first_cp(s, n, &len) == cp && len == n;
}

int kh_fx_article(const kh_fx *x, size_t i)
{
    if (i >= x->n || !x->t[i].norm) return 0;
    const char *s = x->t[i].norm;
    size_t n = strlen(s);
    unsigned l1, l2;
    if (!(first_cp(s, n, &l1) == ALEF && first_cp(s + l1, n - l1, &l2) == LAM && kh_fx_chars(s, n) > 3))
        return 0;
    /* أل and آل as written are a word's own letters (ألمانيا، ألعاب، آلية) */
    const khabar_span *w = &x->t[i].span;
    uint32_t written = w->text && w->text_len ? first_cp(w->text, w->text_len, &l1) : 0;
    return written != ALEF_HAMZA_ABOVE && written != ALEF_MADDA_ABOVE && written != ALEF_HAMZA_BELOW;
}

int kh_fx_arabic(const kh_fx *x, size_t i)
{
    if (i >= x->n || !x->t[i].norm) return 0;
    const char *s = x->t[i].norm;
    unsigned len;
    return kh_is_arabic_letter(first_cp(s, strlen(s), &len));
}

typedef struct word_form {
    const char *s;
    size_t len;
    unsigned stripped;
} word_form;

#define MAX_FORMS 12

/* The spellings of a word with its proclitics stripped as `allow`
 * permits, fewest stripped first.  `buf` holds a rebuilt form (لل → ال). */
static size_t word_forms(const char *w, size_t n, unsigned allow, word_form *forms, char *buf,
                         size_t buf_cap)
{
    size_t k = 0;
    forms[k++] = (word_form){w, n, 0};
    unsigned len;
    unsigned cp = first_cp(w, n, &len);
    if ((allow & KH_CL_CONJ) && (cp == WAW || cp == FEH) && kh_fx_chars(w + len, n - len) >= 2)
        forms[k++] = (word_form){w + len, n - len, KH_CL_CONJ};
    size_t bases = k;
    for (size_t b = 0; b < bases && (allow & KH_CL_PREP); b++) {
        cp = first_cp(forms[b].s, forms[b].len, &len);
        /* three letters must remain: لست is "I am not", not ل + ست */
        if ((cp == BEH || cp == LAM || cp == KAF) && kh_fx_chars(forms[b].s + len, forms[b].len - len) >= 3) {
            forms[k++] = (word_form){forms[b].s + len, forms[b].len - len, forms[b].stripped | KH_CL_PREP};
            unsigned len2;
            /* لل: the preposition ل on a word with ال, whose alef is dropped. */
            if (cp == LAM && first_cp(forms[b].s + len, forms[b].len - len, &len2) == LAM) {
                const char *rest = forms[b].s + len;
                size_t rest_len = forms[b].len - len;
                if ((allow & KH_CL_ART) && kh_fx_chars(rest + len2, rest_len - len2) >= 2)
                    forms[k++] = (word_form){rest + len2, rest_len - len2,
                                             forms[b].stripped | KH_CL_PREP | KH_CL_ART};
                char alef[4];
                unsigned alen = kh_utf8_encode(ALEF, alef);
                if (rest_len + alen <= buf_cap && k < MAX_FORMS) {
                    memcpy(buf, alef, alen);
                    memcpy(buf + alen, rest, rest_len);
                    forms[k++] = (word_form){buf, rest_len + alen, forms[b].stripped | KH_CL_PREP};
                    buf_cap = 0; /* one rebuilt form at most */
                }
            }
        }
    }
    size_t with_prep = k;
    for (size_t b = 0; b < with_prep && (allow & KH_CL_ART) && k < MAX_FORMS; b++) {
        if (forms[b].stripped & KH_CL_ART) continue;
        unsigned l1, l2;
        if (first_cp(forms[b].s, forms[b].len, &l1) == ALEF &&
            first_cp(forms[b].s + l1, forms[b].len - l1, &l2) == LAM &&
            kh_fx_chars(forms[b].s + l1 + l2, forms[b].len - l1 - l2) >= 2)
            forms[k++] = (word_form){forms[b].s + l1 + l2, forms[b].len - l1 - l2,
                                     forms[b].stripped | KH_CL_ART};
    }
    return k;
}

uint64_t kh_facts_classes(const kh_facts *f, const char *w, size_t len)
{
    uint64_t m = 0;
    for (size_t i = 0; i < len; i++)
        if (w[i] >= '0' && w[i] <= '9') { m = KH_F(KH_F_DIGITS); break; }
    if (!f || !f->keys || !len) return m;
    word_form forms[MAX_FORMS];
    char buf[128];
    size_t k = word_forms(w, len, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, forms, buf, sizeof buf);
    for (size_t j = 0; j < k; j++) {
        const fact_key *key = key_slot(f, forms[j].s, forms[j].len, kh_hash(forms[j].s, forms[j].len));
        for (int32_t e = key->first; e >= 0; e = f->entries[e].next) m |= KH_F(f->entries[e].cls);
    }
    return m;
}

int kh_fx_prepare(kh_fx *x)
{
    x->owned = NULL;
    if (x->classes || !x->n) return 0;
    uint64_t *classes = malloc(x->n * sizeof *classes);
    if (!classes) return -1;
    for (size_t i = 0; i < x->n; i++) {
        const char *w = x->t[i].norm;
        classes[i] = w ? kh_facts_classes(x->f, w, strlen(w)) : 0;
    }
    x->classes = x->owned = classes;
    return 0;
}

void kh_fx_release(kh_fx *x)
{
    free(x->owned);
    x->owned = NULL;
    x->classes = NULL;
}

const kh_fact *kh_fx_word(const kh_fx *x, size_t i, uint64_t mask, unsigned allow,
                          unsigned *stripped)
{
    if (i >= x->n || !x->t[i].norm) return NULL;
    if (x->classes && !(x->classes[i] & mask)) return NULL;
    const char *w = x->t[i].norm;
    word_form forms[MAX_FORMS];
    char buf[128];
    size_t k = word_forms(w, strlen(w), allow, forms, buf, sizeof buf);
    for (size_t j = 0; j < k; j++) {
        const kh_fact *e = kh_facts_find(x->f, forms[j].s, forms[j].len, mask);
        if (e) {
            if (stripped) *stripped = forms[j].stripped;
            return e;
        }
    }
    return NULL;
}

#define MAX_PHRASE 4

size_t kh_fx_phrase(const kh_fx *x, size_t i, uint64_t mask, unsigned allow,
                    const kh_fact **out, unsigned *stripped)
{
    if (i >= x->n || !x->t[i].norm) return 0;
    /* The classes tell whether the word can stand alone with a class of
     * the mask and whether it can begin a phrase: look up only that. */
    uint64_t cls = x->classes ? x->classes[i] : ~(uint64_t)0;
    int single = (cls & mask) != 0, multi = (cls & KH_F(KH_F_PHRASE)) != 0;
    if (!single && !multi) return 0;
    const char *w = x->t[i].norm;
    word_form forms[MAX_FORMS];
    char buf[128];
    size_t nf = word_forms(w, strlen(w), allow, forms, buf, sizeof buf);
    size_t longest[MAX_FORMS] = {0}; /* words in the longest phrase each form begins */
    size_t most = 1;
    if (multi) {
        for (size_t j = 0; j < nf; j++) {
            const kh_fact *head = kh_facts_find(x->f, forms[j].s, forms[j].len, KH_F(KH_F_PHRASE));
            longest[j] = head ? (size_t)head->value : 0;
            if (longest[j] > most) most = longest[j];
        }
    }
    if (most > MAX_PHRASE) most = MAX_PHRASE;
    char joined[512];
    for (size_t words = most; words >= 1; words--) {
        if (i + words > x->n) continue;
        if (words == 1 && !single) break;
        for (size_t j = 0; j < nf; j++) {
            const kh_fact *e;
            if (words == 1) {
                e = kh_facts_find(x->f, forms[j].s, forms[j].len, mask);
            } else {
                if (longest[j] < words) continue;
                size_t len = 0;
                int fits = forms[j].len < sizeof joined;
                if (fits) { memcpy(joined, forms[j].s, forms[j].len); len = forms[j].len; }
                for (size_t k = 1; k < words && fits; k++) {
                    const char *nx = x->t[i + k].norm;
                    size_t nl = nx ? strlen(nx) : 0;
                    if (!nl || len + 1 + nl >= sizeof joined) { fits = 0; break; }
                    joined[len++] = ' ';
                    memcpy(joined + len, nx, nl);
                    len += nl;
                }
                if (!fits) continue;
                e = kh_facts_find(x->f, joined, len, mask);
            }
            if (e) {
                if (out) *out = e;
                if (stripped) *stripped = forms[j].stripped;
                return words;
            }
        }
    }
    return 0;
}

/* Reads digits with separators in s[*pos, n): the group-of-three rule
 * tells a thousands separator (10.000, 10,000) from a decimal point (3.5);
 * with both kinds, the last one is the decimal point (1,234.5, 1.234,5).
 * Returns the number of digits read (0: none). */
static unsigned read_digit_groups(const char *s, size_t n, size_t *pos, double *value, int *integer)
{
    size_t i = *pos;
    size_t group_start[32], group_len[32];
    char sep[32];
    size_t groups = 0;
    unsigned digits = 0;
    while (i < n && groups < 32) {
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9') j++;
        if (j == i) break;
        group_start[groups] = i;
        group_len[groups] = j - i;
        sep[groups] = 0;
        digits += (unsigned)(j - i);
        groups++;
        i = j;
        if (i + 1 < n && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9') {
            sep[groups - 1] = s[i];
            i++;
        } else {
            break;
        }
    }
    if (!groups) return 0;
    *pos = i;
    /* Which separator, if any, is the decimal point? */
    char decimal = 0;
    size_t n_sep = groups - 1;
    if (n_sep > 0) {
        char last = sep[n_sep - 1];
        int mixed = 0;
        for (size_t g = 0; g + 1 < n_sep; g++) if (sep[g] != last) mixed = 1;
        if (mixed) {
            decimal = last;
        } else if (n_sep == 1 && !(group_len[0] <= 3 && group_len[1] == 3)) {
            decimal = last;
        }
    }
    double v = 0;
    size_t g = 0;
    for (; g < groups; g++) {
        if (g > 0 && sep[g - 1] == decimal && decimal) break;
        for (size_t k = 0; k < group_len[g]; k++) v = v * 10 + (s[group_start[g] + k] - '0');
    }
    *integer = 1;
    if (g < groups) {
        double scale = 0.1;
        for (size_t k = 0; k < group_len[g]; k++, scale /= 10) v += (s[group_start[g] + k] - '0') * scale;
        *integer = 0;
    }
    *value = v;
    return digits;
}

/* Proclitics before digits: و ف, then ب ل ك, then ال (والـ20، بـ500). */
static size_t digit_prefix(const char *s, size_t n, unsigned *clitic)
{
    size_t i = 0;
    unsigned len;
    *clitic = 0;
    unsigned cp = first_cp(s, n, &len);
    if (cp == WAW || cp == FEH) { i += len; *clitic |= KH_CL_CONJ; cp = first_cp(s + i, n - i, &len); }
    if (cp == BEH || cp == LAM || cp == KAF) {
        unsigned l2;
        /* ل before ال is the article's own lam only in لل */
        if (!(cp == LAM && first_cp(s + i + len, n - i - len, &l2) == LAM)) {
            i += len;
            *clitic |= KH_CL_PREP;
            cp = first_cp(s + i, n - i, &len);
        }
    }
    if (cp == ALEF) {
        unsigned l2;
        if (first_cp(s + i + len, n - i - len, &l2) == LAM) { i += len + l2; *clitic |= KH_CL_ART; }
    } else if (cp == LAM) {
        unsigned l2;
        if (first_cp(s + i + len, n - i - len, &l2) == LAM) { i += len + l2; *clitic |= KH_CL_PREP | KH_CL_ART; }
    }
    return i;
}

int kh_fx_digits(const kh_fx *x, size_t i, kh_digits *d)
{
    memset(d, 0, sizeof *d);
    if (i >= x->n || !x->t[i].norm) return 0;
    if (x->classes && !(x->classes[i] & KH_F(KH_F_DIGITS))) return 0;
    const char *s = x->t[i].norm;
    size_t n = strlen(s);
    size_t p = digit_prefix(s, n, &d->clitic);
    if (p >= n || s[p] < '0' || s[p] > '9') return 0;
    int integer = 1;
    d->ndigits = read_digit_groups(s, n, &p, &d->value, &integer);
    d->integer = integer ? 1 : 0;
    if (p < n) {
        if (s[p] == '%' && p + 1 == n) {
            d->percent = 1;
        } else if ((unsigned char)s[p] >= 0x80) {
            /* letters after the digits: 2021م، 1441هـ، 5كم */
            unsigned len;
            unsigned cp = first_cp(s + p, n - p, &len);
            if (!kh_is_arabic_letter(cp)) return 0;
            d->suffix = p;
        } else {
            return 0; /* 12/4/1995, 10:30, 500-1500: dates, times and ranges */
        }
    }
    d->plain = d->clitic == 0 && p == n && !d->percent && strspn(s, "0123456789") == n;
    return 1;
}

/* The value of a plain digit token (no separators, clitics, suffix), or -1. */
static double plain_value(const kh_fx *x, size_t i, size_t *ndigits)
{
    kh_digits d;
    if (!kh_fx_digits(x, i, &d) || !d.plain) return -1;
    if (ndigits) *ndigits = d.ndigits;
    return d.value;
}

/* ------------------------------------------------------------------ */
/* Cardinal numbers                                                    */
/* ------------------------------------------------------------------ */

enum { P_NONE, P_DIGIT, P_UNIT, P_TEEN, P_TEN, P_HUNDRED, P_SCALE, P_FRAC };

static int magnitude_kind(double v)
{
    return v < 10 ? P_UNIT : v < 100 ? P_TEN : P_HUNDRED;
}

/* The "عشر/عشرة" of a teen: the word for ten with no clitic. */
static int is_teen_ten(const kh_fx *x, size_t i)
{
    unsigned st = 0;
    const kh_fact *e = kh_fx_word(x, i, KH_F(KH_F_NUM), 0, &st);
    return e && e->value == 10;
}

/* Whether a percent, scale, currency or measure word begins at token i
 * (before `limit`): what a number written with a doubtful separator
 * measures (20 ، 3 بالمائة، 6 ر 4 بالمائة). */
static int measure_follows(const kh_fx *x, size_t i, size_t limit)
{
    return i < limit && kh_fx_phrase(x, i, KH_F(KH_F_PCT) | KH_F(KH_F_SCALE) | KH_F(KH_F_CUR) | KH_F(KH_F_MEAS),
                                     KH_CL_PREP, NULL, NULL);
}

/* Whether token i is written with FATHATAN (ملياراً), which its norm
 * drops: the singular's accusative, where the bare spelling may be a dual. */
static int has_fathatan(const kh_fx *x, size_t i)
{
    const khabar_span *sp = &x->t[i].span;
    unsigned len = 0;
    for (size_t p = 0; sp->text && p < sp->text_len; p += len ? len : 1)
        if (first_cp(sp->text + p, sp->text_len - p, &len) == FATHATAN) return 1;
    return 0;
}

/* Whether token i is REH alone. */
static int is_reh(const kh_fx *x, size_t i)
{
    const char *s = x->t[i].norm;
    unsigned len;
    return s && first_cp(s, strlen(s), &len) == REH && !s[len];
}

size_t kh_fx_number(const kh_fx *x, size_t i, size_t limit, unsigned allow, kh_number *num)
{
    memset(num, 0, sizeof *num);
    num->first = i;
    if (limit > x->n) limit = x->n;
    double total = 0, cur = 0, last_scale = 0;
    int prev = P_NONE, first_alone = 0;
    size_t words = 0;
    size_t j = i;
    /* a part joined by و after a scale (مليار و286 مليون): where it starts,
     * the value and scale before it; the part must be smaller than that
     * scale, else two numbers were listed (5 آلاف و10 آلاف) */
    size_t join_at = 0;
    double join_total = 0, join_scale = 0;
    const uint64_t number_words = KH_F(KH_F_NUM) | KH_F(KH_F_SCALE) | KH_F(KH_F_DUAL) |
                                  KH_F(KH_F_FRAC) | KH_F(KH_F_APL) | KH_F(KH_F_FEW);
    while (j < limit) {
        kh_digits d;
        int digits = kh_fx_digits(x, j, &d);
        /* و written apart from its digits, as the tokenizer splits و286 */
        int waw_apart = !digits && prev == P_SCALE && j + 1 < limit && kh_fx_is_cp(x, j, WAW) &&
                        kh_fx_digits(x, j + 1, &d) && d.clitic == 0;
        if (waw_apart || (digits && prev == P_SCALE && d.clitic == KH_CL_CONJ)) {
            join_at = j;
            join_total = total + cur;
            join_scale = last_scale;
        }
        if (waw_apart) {
            j++;
            d.clitic = KH_CL_CONJ;
            digits = 1;
        }
        if (digits) {
            /* الـ30 في المئة: a definite percentage; الـ20 alone is an ordinal */
            if ((d.clitic & KH_CL_ART) &&
                !(j == i && (allow & KH_CL_ART) && j + 1 < limit &&
                  kh_fx_phrase(x, j + 1, KH_F(KH_F_PCT), KH_CL_PREP, NULL, NULL)))
                break;
            if (prev == P_NONE && j == i) {
                if (d.clitic & ~allow) break;
                num->clitic = d.clitic;
            } else if (!(prev == P_SCALE && d.clitic == KH_CL_CONJ)) {
                break;
            }
            cur = d.value;
            j++;
            /* "10 , 000": a separator split off by tokenization; the Arabic
             * comma too, as Maghrebi papers write decimals (20 ، 3 بالمائة),
             * when what it measures follows (else 3، 4 و5 is a list) */
            while (prev == P_NONE && d.integer && !d.suffix && !d.percent && j + 1 < limit &&
                   (kh_fx_is(x, j, ",") || (kh_fx_is_cp(x, j, ARABIC_COMMA) && measure_follows(x, j + 2, limit)))) {
                size_t nd = 0;
                double g = plain_value(x, j + 1, &nd);
                if (g < 0) break;
                cur = nd == 3 ? cur * 1000 + g : cur + g / pow(10, (double)nd);
                j += 2;
            }
            /* "935ر6": 6.935 as some Arab papers write it, the decimals first
             * and REH for the point (or for thousands), in one word, or
             * spaced when what it measures follows (6 ر 4 بالمائة) */
            double whole;
            if (prev == P_NONE && j == i + 1 && d.integer && !d.suffix && !d.percent && j + 1 < limit &&
                is_reh(x, j) && (whole = plain_value(x, j + 1, NULL)) >= 0 &&
                ((x->t[j - 1].span.end == x->t[j].span.start && x->t[j].span.end == x->t[j + 1].span.start) ||
                 measure_follows(x, j + 2, limit))) {
                /* three digits are thousands (000ر59 متر مربع: 59,000), but
                 * before a scale word (935ر6 مليون: 6.935 million) */
                int thousands = d.ndigits == 3 &&
                                (cur == 0 || !(j + 2 < limit && kh_fx_phrase(x, j + 2, KH_F(KH_F_SCALE) | KH_F(KH_F_PCT),
                                                                             KH_CL_PREP, NULL, NULL)));
                cur = thousands ? whole * 1000 + cur : whole + cur / pow(10, (double)d.ndigits);
                j += 2;
            }
            prev = P_DIGIT;
            if (d.percent) { num->percent = 1; break; }
            if (d.suffix) break;
            continue;
        }
        unsigned st = 0;
        /* a definite compound is definite throughout: الأربع والعشرين */
        unsigned later = num->article ? KH_CL_CONJ | KH_CL_ART : KH_CL_CONJ;
        unsigned may = j == i ? allow : later;
        const kh_fact *e = kh_fx_word(x, j, number_words, may, &st);
        if (!e) break;
        int conj = (st & KH_CL_CONJ) != 0;
        if (j == i) {
            num->clitic = st;
            num->article = (st & KH_CL_ART) != 0;
        }
        if (e->cls == KH_F_NUM) {
            double v = e->value;
            if (prev == P_UNIT && v == 10 && !conj) {
                cur += 10;
                prev = P_TEEN;
            } else if (prev == P_UNIT && v == 100 && !conj && cur < 10) {
                cur *= 100;
                prev = P_HUNDRED;
            } else if (prev == P_NONE) {
                if ((e->flags & KH_FF_TEEN) && !is_teen_ten(x, j + 1)) break;
                cur = v;
                prev = magnitude_kind(v);
                first_alone = (e->flags & KH_FF_ALONE) != 0;
            } else {
                if (!conj || (st & ~later)) break;
                int kind = magnitude_kind(v);
                int fits = (prev == P_UNIT && kind == P_TEN) || (prev == P_HUNDRED && v < 100) ||
                           prev == P_SCALE;
                if (!fits) break;
                if ((e->flags & KH_FF_TEEN) && !is_teen_ten(x, j + 1)) break;
                cur += v;
                prev = kind;
            }
        } else if (e->cls == KH_F_SCALE) {
            if (j > i && (conj || (st & KH_CL_ART))) break;
            if (prev == P_NONE && (e->flags & KH_FF_PL)) {
                /* آلاف، ملايين alone: thousands, millions */
                num->plural = 1;
                num->min = 2 * e->value;
                num->max = 10 * e->value - 1;
                last_scale = e->value;
                prev = P_SCALE;
                j++;
                words++;
                break;
            }
            if (prev == P_SCALE) break;
            total += (prev == P_NONE ? 1 : cur) * e->value;
            cur = 0;
            last_scale = e->value;
            prev = P_SCALE;
        } else if (e->cls == KH_F_DUAL && (e->flags & KH_FF_ACC) && !conj &&
                   (prev == P_DIGIT || prev == P_TEN || prev == P_TEEN || prev == P_HUNDRED || prev == P_UNIT)) {
            /* 25 مليونا: the singular's accusative after 11-99, a scale, not
             * the dual it is spelled like (مليونا دولار) */
            total += cur * e->value / 2;
            cur = 0;
            last_scale = e->value / 2;
            prev = P_SCALE;
        } else if (e->cls == KH_F_DUAL) {
            if (!(prev == P_NONE || (conj && prev == P_SCALE && e->value < last_scale))) break;
            if ((e->flags & KH_FF_ACC) && prev == P_NONE && has_fathatan(x, j)) {
                /* ملياراً with its tanween: one billion, not two */
                total += e->value / 2;
                last_scale = e->value / 2;
                prev = P_SCALE;
                j++;
                words++;
                continue;
            }
            if (e->value < 1000) {
                cur += e->value;
                prev = P_HUNDRED;
            } else {
                total += e->value;
                last_scale = e->value / 2;
                prev = P_SCALE;
            }
        } else if (e->cls == KH_F_FRAC) {
            if (prev == P_NONE) {
                cur = e->value;
                prev = P_FRAC;
            } else if (conj && prev == P_SCALE) {
                total += e->value * last_scale;
                j++;
                words++;
                /* مليونين ونصف المليون */
                unsigned st2 = 0;
                const kh_fact *same = kh_fx_word(x, j, KH_F(KH_F_SCALE), KH_CL_ART, &st2);
                if (j < limit && same && st2 == KH_CL_ART && same->value == last_scale) {
                    j++;
                    words++;
                }
                break;
            } else if (conj && (prev == P_UNIT || prev == P_TEN || prev == P_TEEN || prev == P_DIGIT)) {
                cur += e->value;
                j++;
                words++;
                break;
            } else {
                break;
            }
        } else if (e->cls == KH_F_APL || e->cls == KH_F_FEW) {
            if (prev != P_NONE) break;
            double base = e->cls == KH_F_FEW ? 1 : e->value;
            j++;
            words++;
            /* عشرات الآلاف، مئات الملايين، بضعة آلاف */
            unsigned st2 = 0;
            const kh_fact *s2 = kh_fx_word(x, j, KH_F(KH_F_SCALE), KH_CL_ART, &st2);
            if (j < limit && s2 && (s2->flags & KH_FF_PL)) {
                base *= s2->value;
                j++;
                words++;
            }
            num->plural = 1;
            if (e->cls == KH_F_FEW) {
                num->min = 3 * base;
                num->max = 9 * base;
            } else {
                num->min = 2 * base;
                num->max = 10 * base - 1;
            }
            last_scale = base;
            prev = P_SCALE;
            break;
        } else {
            break;
        }
        j++;
        words++;
    }
    if (j == i || prev == P_NONE) return 0;
    if (join_at && !num->plural && total + cur - join_total >= join_scale) {
        j = join_at;
        total = join_total;
        cur = 0;
        last_scale = join_scale;
    }
    num->last = j;
    num->words = words > 0;
    if (!num->plural) num->value = total + cur;
    num->scale = last_scale;
    num->alone_word = first_alone && j == i + 1;
    num->single_unit_word = words == 1 && j == i + 1 && !num->plural && num->value >= 1 &&
                            num->value <= 10;
    return j - i;
}

/* ------------------------------------------------------------------ */
/* Quantities                                                          */
/* ------------------------------------------------------------------ */

const char *kh_quantity_kind_name(kh_quantity_kind kind)
{
    switch (kind) {
    case KH_QUANTITY_CARDINAL: return "cardinal";
    case KH_QUANTITY_ORDINAL: return "ordinal";
    case KH_QUANTITY_PERCENT: return "percent";
    case KH_QUANTITY_MONEY: return "money";
    case KH_QUANTITY_MEASURE: return "measure";
    }
    return "cardinal";
}

const char *kh_quantity_tag(kh_quantity_kind kind)
{
    switch (kind) {
    case KH_QUANTITY_CARDINAL: return "CARDINAL";
    case KH_QUANTITY_ORDINAL: return "ORDINAL";
    case KH_QUANTITY_PERCENT: return "PERCENT";
    case KH_QUANTITY_MONEY: return "MONEY";
    case KH_QUANTITY_MEASURE: return "QUANTITY";
    }
    return "CARDINAL";
}

static int is_stop(const kh_fx *x, size_t i)
{
    return kh_fx_word(x, i, KH_F(KH_F_STOP), KH_CL_CONJ, NULL) != NULL;
}

/* Ends with one of the code point sequences (a nisba adjective: أجنبي،
 * أمريكية، سوريين، عراقيون). */
static int ends_with_cps(const char *s, size_t n, const unsigned *cps, size_t k)
{
    size_t pos = n;
    for (size_t j = k; j-- > 0;) {
        char enc[4];
        unsigned len = kh_utf8_encode(cps[j], enc);
        if (pos < len || memcmp(s + pos - len, enc, len) != 0) return 0;
        pos -= len;
    }
    return pos > 0;
}

int kh_fx_ends_with(const kh_fx *x, size_t i, const unsigned *cps, size_t k)
{
    const char *s = i < x->n ? x->t[i].norm : NULL;
    return s && ends_with_cps(s, strlen(s), cps, k);
}

int kh_fx_nisba(const kh_fx *x, size_t i)
{
    if (!kh_fx_arabic(x, i) || is_stop(x, i)) return 0;
    const char *s = x->t[i].norm;
    size_t n = strlen(s);
    if (kh_fx_chars(s, n) < 4) return 0;
    static const unsigned yeh[] = {YEH};
    static const unsigned yeh_teh[] = {YEH, TEH_MARBUTA};
    static const unsigned yeen[] = {YEH, YEH, NOON};
    static const unsigned yoon[] = {YEH, WAW, NOON};
    return ends_with_cps(s, n, yeh, 1) || ends_with_cps(s, n, yeh_teh, 2) ||
           ends_with_cps(s, n, yeen, 3) || ends_with_cps(s, n, yoon, 3);
}

/* آخرين، آخرون، أخرى، آخر after a counted noun: "others". */
static int is_other(const kh_fx *x, size_t i)
{
    if (!kh_fx_arabic(x, i)) return 0;
    const char *s = x->t[i].norm;
    size_t n = strlen(s);
    static const unsigned akhar[] = {ALEF, KHAH, REH};
    static const unsigned akhari[] = {ALEF, KHAH, REH, YEH};
    static const unsigned akharin[] = {ALEF, KHAH, REH, YEH, NOON};
    static const unsigned akharun[] = {ALEF, KHAH, REH, WAW, NOON};
    char enc[32];
    const unsigned *forms[] = {akhar, akhari, akharin, akharun};
    const size_t lens[] = {3, 4, 5, 5};
    for (size_t f = 0; f < 4; f++) {
        size_t len = 0;
        for (size_t k = 0; k < lens[f]; k++) len += kh_utf8_encode(forms[f][k], enc + len);
        if (len == n && memcmp(enc, s, n) == 0) return 1;
    }
    return 0;
}

/* Ends with an attached pronoun (ـه، ـها، ـهم، ـهما): قيمته. */
static int has_pronoun_suffix(const kh_fx *x, size_t i)
{
    const char *s = x->t[i].norm;
    size_t n = strlen(s);
    static const unsigned heh[] = {HEH};
    static const unsigned ha[] = {HEH, ALEF};
    static const unsigned hum[] = {HEH, MEEM};
    return kh_fx_chars(s, n) > 3 &&
           (ends_with_cps(s, n, heh, 1) || ends_with_cps(s, n, ha, 2) || ends_with_cps(s, n, hum, 2));
}

/* The adjective of a currency, in any case: دولار أمريكي، ريالا سعوديا */
static const kh_fact *currency_adjective(const kh_fx *x, size_t i)
{
    const kh_fact *e = kh_fx_word(x, i, KH_F(KH_F_CURADJ), KH_CL_ART, NULL);
    if (e || !kh_fx_arabic(x, i)) return e;
    const char *s = x->t[i].norm;
    size_t n = strlen(s);
    char alef[4];
    unsigned len = kh_utf8_encode(ALEF, alef);
    if (n > len && memcmp(s + n - len, alef, len) == 0)
        return kh_facts_find(x->f, s, n - len, KH_F(KH_F_CURADJ));
    return NULL;
}

typedef struct unit_match {
    kh_quantity_kind kind; /* CARDINAL when no unit */
    size_t first, last;    /* the unit's tokens */
    const char *code;
    double scale;          /* what the number is multiplied by: 1e6 for م د (million dinars) */
    int time_unit;         /* a unit of time: a duration, the date finder's */
    int millimes;          /* three decimals after a separator (20.370 د = 20.37 dinars) */
    size_t amount_end;     /* the amount's end: after its millimes when they follow (21 دينارا و800 مليم) */
    double minor;          /* those millimes, in dinars (0.8) */
} unit_match;

/* Where an amount's units end: its unit's last token, or its millimes'. */
static size_t amount_end(const unit_match *u)
{
    return u->amount_end > u->last ? u->amount_end : u->last;
}

/* Token i, with the clitics `allow` permits stripped, is a CUE word of
 * data/numbers.txt in `role` (a KH_FF_ flag). */
static int cue(const kh_fx *x, size_t i, unsigned role, unsigned allow)
{
    const kh_fact *e = kh_fx_word(x, i, KH_F(KH_F_CUE), allow, NULL);
    return e && (e->flags & role);
}

/* Millimes after an amount in dinars (21 دينارا و800 مليم، 1 د 600 مي): the
 * token after them, 0 when none; *value their worth in dinars. */
static size_t millimes_after(const kh_fx *x, size_t j, size_t limit, double *value)
{
    size_t k = j;
    int waw = kh_fx_is_cp(x, k, WAW);
    if (waw) k++;
    kh_digits d;
    if (k + 1 >= limit || !kh_fx_digits(x, k, &d) || !d.integer || d.suffix || d.percent || d.value >= 1000 ||
        (d.clitic & ~(waw ? 0u : (unsigned)KH_CL_CONJ)))
        return 0;
    const kh_fact *e = kh_fx_word(x, k + 1, KH_F(KH_F_CUR), 0, NULL);
    if (!(e && !strcmp(e->code, "millime")) && !cue(x, k + 1, KH_FF_MILLIME_ABBREV, 0)) return 0;
    *value = d.value / 1000;
    return k + 2;
}

/* A percent sign or word, a currency, a measure, or a unit of time at j. */
static size_t match_unit(const kh_fx *x, size_t j, size_t limit, const kh_number *num,
                         unit_match *u)
{
    memset(u, 0, sizeof *u);
    u->kind = KH_QUANTITY_CARDINAL;
    u->first = u->last = u->amount_end = j;
    u->scale = 1;
    if (num->percent) { u->kind = KH_QUANTITY_PERCENT; u->code = "%"; return 0; }
    if (j >= limit) return 0;
    const kh_fact *e;
    size_t k = kh_fx_phrase(x, j, KH_F(KH_F_PCT), 0, &e, NULL);
    if (k && j + k <= limit) {
        u->kind = KH_QUANTITY_PERCENT;
        u->code = e->code;
        u->last = j + k;
        return k;
    }
    unsigned st = 0;
    /* ملايين من الدولارات، آلاف الأطنان: after an approximate plural the
     * unit is definite, or comes after من */
    if (num->plural && j + 1 < limit && kh_fx_word(x, j, KH_F(KH_F_FROM), 0, NULL) &&
        kh_fx_word(x, j + 1, KH_F(KH_F_CUR) | KH_F(KH_F_MEAS), KH_CL_ART, &st)) {
        unit_match inner;
        if (match_unit(x, j + 1, limit, num, &inner) && inner.kind != KH_QUANTITY_CARDINAL) {
            *u = inner;
            u->first = j + 1;
            return u->last - j;
        }
    }
    k = kh_fx_phrase(x, j, KH_F(KH_F_CUR), KH_CL_ART, &e, &st);
    if (k && j + k <= limit) {
        u->kind = KH_QUANTITY_MONEY;
        u->code = e->code;
        u->last = j + k;
        /* م د، أ د: million and thousand dinars, as Tunisian papers write them */
        if (e->flags & KH_FF_MILLION) u->scale = 1e6;
        if (e->flags & KH_FF_THOUSAND) u->scale = 1e3;
        u->millimes = (e->flags & KH_FF_MILLIMES) != 0;
        const kh_fact *adj = u->last < limit ? currency_adjective(x, u->last) : NULL;
        if (adj) {
            u->last++;
            if (strcmp(e->code, "USD") != 0 && strcmp(e->code, "GBP") != 0 && strcmp(adj->code, "new") != 0)
                u->code = adj->code; /* دينار ليبي → LYD */
        }
        u->amount_end = u->last;
        size_t sub;
        if (!strcmp(u->code, "dinar") && u->scale == 1 && !num->plural && !num->words &&
            (sub = millimes_after(x, u->last, limit, &u->minor)))
            u->amount_end = sub;
        return u->amount_end - j;
    }
    k = kh_fx_phrase(x, j, KH_F(KH_F_MEAS), num->plural ? KH_CL_ART : 0, &e, NULL);
    if (k && j + k <= limit) {
        u->kind = KH_QUANTITY_MEASURE;
        u->code = e->code;
        u->last = j + k;
        if (j + k < limit && kh_fx_word(x, j + k, KH_F(KH_F_MEASADJ), 0, NULL)) u->last++;
        return u->last - j;
    }
    /* ثلاث سنوات; نصف السنة */
    if (kh_fx_word(x, j, KH_F(KH_F_TUNIT), num->words && num->value < 1 ? KH_CL_ART : 0, NULL))
        u->time_unit = 1;
    return 0;
}

/* Keeps a quantity's unit code when a squared or cubed unit changes it. */
static const char *measure_code(const kh_fx *x, const unit_match *u)
{
    if (u->kind != KH_QUANTITY_MEASURE || u->last - u->first < 2) return u->code;
    const kh_fact *adj = kh_fx_word(x, u->last - 1, KH_F(KH_F_MEASADJ), 0, NULL);
    if (!adj) return u->code;
    static const struct { const char *base, *adj, *code; } squared[] = {
        {"m", "2", "m2"}, {"km", "2", "km2"}, {"cm", "2", "cm2"}, {"m", "3", "m3"},
        {"cm", "3", "cm3"}, {"deg", "C", "degC"}};
    for (size_t i = 0; i < sizeof squared / sizeof *squared; i++)
        if (!strcmp(squared[i].base, u->code) && !strcmp(squared[i].adj, adj->code)) return squared[i].code;
    return u->code;
}

static void set_span(const kh_fx *x, kh_quantity *q)
{
    q->start = x->t[q->first].span.start;
    q->end = x->t[q->last - 1].span.end;
    if (q->unit.last > q->unit.first) {
        q->unit_start = x->t[q->unit.first].span.start;
        q->unit_end = x->t[q->unit.last - 1].span.end;
    }
}

/* The thing counted after a cardinal at j: a noun, or من + a definite
 * noun, with one adjective (أجنبي، آخرين); a definite noun right after
 * the number when definite_ok (after مئات، نصف، أحد: not after digits,
 * الرحلة 111 المتجهة). */
static int definite(const kh_fx *x, size_t i);

static void counted_noun(const kh_fx *x, size_t j, size_t limit, int definite_ok, kh_quantity *q)
{
    if (j >= limit) return;
    size_t noun = j;
    if (kh_fx_word(x, j, KH_F(KH_F_FROM), 0, NULL)) {
        /* ثلاثة من الجنود */
        if (j + 1 >= limit || !kh_fx_article(x, j + 1)) return;
        noun = j + 1;
    }
    if (!kh_fx_arabic(x, noun) || is_stop(x, noun)) return;
    if (noun == j && !definite_ok && definite(x, noun)) return;
    /* a word, not a letter (935 ر 6) */
    if (!x->t[noun].norm || kh_fx_chars(x->t[noun].norm, strlen(x->t[noun].norm)) < 2) return;
    kh_number other;
    if (kh_fx_number(x, noun, limit, KH_CL_CONJ | KH_CL_PREP, &other)) return;
    if (kh_fx_word(x, noun, KH_F(KH_F_TUNIT) | KH_F(KH_F_MONTH) | KH_F(KH_F_REF), KH_CL_ART, NULL)) return;
    q->unit.first = noun;
    q->unit.last = noun + 1;
    if (noun + 1 < limit && (kh_fx_nisba(x, noun + 1) || is_other(x, noun + 1))) q->unit.last++;
    q->last = q->unit.last;
}

static int sentence_start(const kh_fx *x, size_t i)
{
    return i == 0 || x->t[i - 1].sentence != x->t[i].sentence || x->t[i - 1].block != x->t[i].block ||
           kh_fx_is(x, i - 1, ".");
}

/* Tokens that may stand between a designator and its number: ( " : . */
static int is_ref_filler(const kh_fx *x, size_t i)
{
    static const unsigned fillers[] = {'(', '"', ':', '.', '\'', '[', LEFT_GUILLEMET,
                                       RIGHT_GUILLEMET, LEFT_DOUBLE_QUOTE, RIGHT_DOUBLE_QUOTE};
    for (size_t k = 0; k < sizeof fillers / sizeof *fillers; k++)
        if (kh_fx_is_cp(x, i, fillers[k])) return 1;
    return 0;
}

/* A label after a designator: رقم 40، المادة ( 14 / 24 )، ص . 2 - 3. */
static size_t label_number(const kh_fx *x, size_t j, size_t limit, kh_quantity *q)
{
    double v = plain_value(x, j, NULL);
    if (v < 0 || j >= limit) return 0;
    size_t e = j + 1;
    while (e + 1 < limit && (kh_fx_is(x, e, "/") || kh_fx_is(x, e, "-")) && plain_value(x, e + 1, NULL) >= 0)
        e += 2;
    memset(q, 0, sizeof *q);
    q->kind = KH_QUANTITY_ORDINAL;
    q->first = j;
    q->last = e;
    q->value = v;
    q->has_value = 1;
    q->n_parts = 1;
    q->parts[0] = (kh_token_range){j, e};
    set_span(x, q);
    return e - j;
}

/* A designator and the digits of its label in one token (ص140). */
static int attached_label(const kh_fx *x, size_t i, kh_quantity *q)
{
    if (!x->classes || !(x->classes[i] & KH_F(KH_F_DIGITS))) return 0;
    const char *s = x->t[i].norm;
    size_t n = strlen(s), p = n;
    while (p > 0 && s[p - 1] >= '0' && s[p - 1] <= '9') p--;
    if (p == 0 || p == n || n - p > 9 || s[p - 1] == '.' || s[p - 1] == ',') return 0;
    if (!kh_facts_find(x->f, s, p, KH_F(KH_F_REF))) return 0;
    memset(q, 0, sizeof *q);
    q->kind = KH_QUANTITY_ORDINAL;
    q->first = i;
    q->last = i + 1;
    q->value = strtod(s + p, NULL);
    q->has_value = 1;
    q->n_parts = 1;
    q->parts[0] = (kh_token_range){i, i + 1};
    set_span(x, q);
    return 1;
}

/* A definite word, with or without a clitic before its article: الأمم،
 * للأمم، بالأمم، والأمم. */
static int definite(const kh_fx *x, size_t i)
{
    if (kh_fx_article(x, i)) return 1;
    const char *s = x->t[i].norm;
    size_t n = strlen(s), p = 0;
    unsigned len, len2;
    unsigned cp = first_cp(s, n, &len);
    if (cp == WAW || cp == FEH) { p += len; cp = first_cp(s + p, n - p, &len); }
    if (cp == BEH || cp == KAF) { p += len; cp = first_cp(s + p, n - p, &len); }
    if (cp == LAM && first_cp(s + p + len, n - p - len, &len2) == LAM) return 1;
    return cp == ALEF && first_cp(s + p + len, n - p - len, &len2) == LAM && p > 0;
}

static int is_latin(const kh_fx *x, size_t i)
{
    return i < x->n && x->t[i].kind == KHABAR_TOKEN_LATIN;
}

/* A one-character token that is neither a letter nor a digit: $ € £ ¥ */
static int is_symbol(const kh_fx *x, size_t i)
{
    if (i >= x->n || !x->t[i].norm) return 0;
    const char *s = x->t[i].norm;
    size_t n = strlen(s);
    unsigned len;
    unsigned cp = first_cp(s, n, &len);
    if (len != n || !cp) return 0;
    return !kh_is_arabic_letter(cp) && !(cp < 0x80 && ((cp | 0x20) - 'a' < 26 || cp - '0' < 10));
}

/* The article written apart from digits: الـ 20 */
static int is_article_alone(const kh_fx *x, size_t i)
{
    if (i >= x->n || !x->t[i].norm) return 0;
    const char *s = x->t[i].norm;
    size_t n = strlen(s);
    unsigned l1, l2;
    return first_cp(s, n, &l1) == ALEF && first_cp(s + l1, n - l1, &l2) == LAM && l1 + l2 == n;
}

/* The words that complete an ordinal of value *v whose first word ends
 * before `end`: the عشر/عشرة of a teen (الرابعة عشرة), or و + a tens word
 * (الخامس والعشرون).  Returns the new end. */
static size_t ordinal_tail(const kh_fx *x, size_t end, size_t limit, double *v)
{
    if (end >= limit || *v <= 0 || *v >= 10) return end;
    if (is_teen_ten(x, end)) {
        *v += 10;
        return end + 1;
    }
    unsigned st = 0;
    const kh_fact *t = kh_fx_word(x, end, KH_F(KH_F_NUM), KH_CL_CONJ | KH_CL_ART, &st);
    if (t && (st & KH_CL_CONJ) && t->value >= 20 && t->value < 100) {
        *v += t->value;
        return end + 1;
    }
    return end;
}

size_t kh_fx_ordinal(const kh_fx *x, size_t i, size_t limit, unsigned allow, double *value, unsigned *st)
{
    if (i >= limit) return 0;
    const kh_fact *e = kh_fx_word(x, i, KH_F(KH_F_ORD), allow, st);
    if (!e || e->value <= 0) return 0;
    *value = e->value;
    size_t end = ordinal_tail(x, i + 1, limit, value);
    /* الحادي stands only in a compound: الحادي عشر، الحادي والعشرون */
    if ((e->flags & KH_FF_TEEN) && end == i + 1) return 0;
    return end - i;
}

/* The feminine sound plural's ending: التعديلات */
static const unsigned alef_teh[] = {ALEF, TEH};

/* An indefinite accusative noun and its nisba adjective before token i
 * (مواطنا أمريكيا آخر): آخر there is "another". */
static int after_accusative_nisba(const kh_fx *x, size_t i)
{
    static const unsigned yeh_alef[] = {YEH, ALEF};
    static const unsigned alef[] = {ALEF};
    return i > 1 && kh_fx_arabic(x, i - 1) && !definite(x, i - 1) && kh_fx_ends_with(x, i - 1, yeh_alef, 2) &&
           kh_fx_chars(x->t[i - 1].norm, strlen(x->t[i - 1].norm)) >= 5 && kh_fx_arabic(x, i - 2) &&
           !definite(x, i - 2) && kh_fx_ends_with(x, i - 2, alef, 1) && !is_stop(x, i - 2);
}

static unsigned first_letter(const kh_fx *x, size_t i)
{
    unsigned len;
    return i < x->n && x->t[i].norm ? first_cp(x->t[i].norm, strlen(x->t[i].norm), &len) : 0;
}

/* آخر after an indefinite noun is its adjective, "another", when what
 * follows cannot be the noun of "the last ...": a verb in the present or a
 * word with و or ب (شخص آخر يدعى، تحويل آخر بقيمة، ساق أخر ووقوع), or when
 * a preposition opens the phrase (من جانب آخر، في سياق آخر).  The noun is an Arabic word of three letters or
 * more with no article or pronoun, not a function word, a number or a word
 * of time (15 جوان آخر أجل); a verb looks the same (سجلت آخر حالة), hence
 * the signs after it. */
static int another_after_noun(const kh_fx *x, size_t i)
{
    if (i < 2 || !kh_fx_arabic(x, i - 1) || i + 1 >= x->n) return 0;
    const char *s = x->t[i - 1].norm;
    if (kh_fx_chars(s, strlen(s)) < 3 || definite(x, i - 1) || has_pronoun_suffix(x, i - 1)) return 0;
    const uint64_t not_nouns = KH_F(KH_F_STOP) | KH_F(KH_F_NUM) | KH_F(KH_F_ORD) | KH_F(KH_F_SCALE) |
                               KH_F(KH_F_MONTH) | KH_F(KH_F_WDAY) | KH_F(KH_F_TUNIT) | KH_F(KH_F_APPROX) |
                               KH_F(KH_F_MORE) | KH_F(KH_F_LESS) | KH_F(KH_F_TO) | KH_F(KH_F_FROM);
    if (kh_fx_word(x, i - 1, not_nouns, KH_CL_CONJ | KH_CL_PREP, NULL)) return 0;
    if (cue(x, i - 2, KH_FF_OPENS_ANOTHER, 0)) return 1;
    size_t nx = i + 1;
    const char *n = x->t[nx].norm;
    if (!kh_fx_arabic(x, nx) || kh_fx_word(x, nx, KH_F(KH_F_TUNIT), KH_CL_ART, NULL)) return 0;
    unsigned c = first_letter(x, nx);
    return c == YEH || ((c == WAW || c == BEH) && kh_fx_chars(n, strlen(n)) >= 4);
}

/* Whether the word before token i, which الأخيرة qualifies, is a plural: a
 * feminine sound plural, with or without its pronoun (التعديلات، قراراته),
 * or a noun with no feminine ending that takes a feminine adjective, as a
 * broken plural of things does (الأحداث الأخيرة، الدقائق الأخيرة, against
 * الجولة الأخيرة, الثالثة والأخيرة, القبل الأخيرة "the one before last"). */
static int after_plural(const kh_fx *x, size_t i)
{
    static const unsigned teh_marbuta[] = {TEH_MARBUTA};
    static const unsigned alef_teh_heh[] = {ALEF, TEH, HEH};
    static const unsigned alef_teh_ha[] = {ALEF, TEH, HEH, ALEF};
    static const unsigned alef_teh_hum[] = {ALEF, TEH, HEH, MEEM};
    if (kh_fx_ends_with(x, i - 1, alef_teh, 2) || kh_fx_ends_with(x, i - 1, alef_teh_heh, 3) ||
        kh_fx_ends_with(x, i - 1, alef_teh_ha, 4) || kh_fx_ends_with(x, i - 1, alef_teh_hum, 4))
        return 1;
    return kh_fx_ends_with(x, i, teh_marbuta, 1) && kh_fx_article(x, i - 1) &&
           !kh_fx_ends_with(x, i - 1, teh_marbuta, 1) && !kh_fx_nisba(x, i - 1) &&
           !cue(x, i - 1, KH_FF_BEFORE_LAST, KH_CL_ART) &&
           !kh_fx_word(x, i - 1, KH_F(KH_F_ORD) | KH_F(KH_F_NUM), KH_CL_CONJ | KH_CL_ART, NULL);
}

/* Whether the word before token i takes الأخير as its adjective: a definite
 * word or number, a unit of time (6 أشهر الأخيرة), or قبل (قبل الأخيرة "the
 * one before last"), not a function word (هذا، لهذه، أن، في). */
static int last_follows_noun(const kh_fx *x, size_t i)
{
    kh_digits d;
    if (i > 0 && kh_fx_digits(x, i - 1, &d)) return 1; /* الجولة الـ30 والأخيرة */
    if (i == 0 || !kh_fx_arabic(x, i - 1)) return 0;
    /* قبل الأخيرة; 6 أشهر الأخيرة, as some write "the last six months" */
    if (cue(x, i - 1, KH_FF_BEFORE_LAST, 0) || kh_fx_word(x, i - 1, KH_F(KH_F_TUNIT), 0, NULL)) return 1;
    if (kh_fx_word(x, i - 1, KH_F(KH_F_STOP), KH_CL_CONJ | KH_CL_PREP, NULL)) return 0;
    return definite(x, i - 1) || has_pronoun_suffix(x, i - 1);
}

static size_t match_ordinal_word(const kh_fx *x, size_t i, size_t limit, kh_quantity *q)
{
    unsigned st = 0;
    const kh_fact *e = kh_fx_word(x, i, KH_F(KH_F_ORD) | KH_F(KH_F_ORDADV), KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, &st);
    if (!e) return 0;
    memset(q, 0, sizeof *q);
    size_t end = i + 1;
    double v = e->value;
    if (e->cls == KH_F_ORD) {
        end = ordinal_tail(x, end, limit, &v);
        /* الحادي stands only in a compound */
        if ((e->flags & KH_FF_TEEN) && end == i + 1) return 0;
        /* آخر: "last" before an indefinite noun (آخر حالة), "another"
         * after one (مبلغ آخر، بآخر التحديثات "the latest") or after an
         * indefinite adjective (جندي أمريكي آخر) */
        if ((e->flags & KH_FF_COND) &&
            (st || i + 1 >= limit || !kh_fx_arabic(x, i + 1) || is_stop(x, i + 1) ||
             has_pronoun_suffix(x, i + 1) || definite(x, i + 1) ||
             (i > 0 && kh_fx_nisba(x, i - 1) && !definite(x, i - 1)) || after_accusative_nisba(x, i) ||
             another_after_noun(x, i)))
            return 0;
        /* الأخيرة after a plural is "recent" (التعديلات الأخيرة), not the last
         * of a series (القسم الأخير) */
        if (v == 0 && (st & KH_CL_ART) && i > 0 && definite(x, i - 1) && after_plural(x, i)) return 0;
        /* الأخير with its article is an adjective only after a definite word
         * (الجولة الأخيرة، زيارته الأخيرة، الثالثة والأخيرة) or قبل (قبل الأخيرة,
         * the one before last); elsewhere it stands for a noun, "the latter"
         * (هذا الأخير، تلبية الأخيرة لدعوة، أن الأخير) or "at last" (في الأخير) */
        if (v == 0 && !(e->flags & KH_FF_COND) && (st & KH_CL_ART) && !last_follows_noun(x, i)) return 0;
        if (v == 0) q->last_ordinal = 1;
        /* أول ما "as soon as", أول من "the first who" */
        if (v == 1 && !(st & KH_CL_ART) && !has_pronoun_suffix(x, i) && is_stop(x, i + 1)) return 0;
    }
    q->kind = KH_QUANTITY_ORDINAL;
    q->first = i;
    q->last = end;
    q->value = v;
    q->has_value = !q->last_ordinal;
    q->n_parts = 1;
    q->parts[0] = (kh_token_range){i, end};
    set_span(x, q);
    return end - i;
}

/* Digits that make a bare number after a code mark an identifier. */
#define IDENTIFIER_DIGITS 5

/* Whether token i is what comes before an identifier: a Latin word, a
 * slash, a hash mark or what starts with one, =, or :. */
static int after_code_mark(const kh_fx *x, size_t i)
{
    if (is_latin(x, i) || x->t[i].kind == KHABAR_TOKEN_HASHTAG || x->t[i].kind == KHABAR_TOKEN_URL) return 1;
    const char *s = x->t[i].norm;
    return s && (s[0] == '#' || ((s[0] == '/' || s[0] == '=' || s[0] == ':') && !s[1]));
}

/* Punctuation that ends a phrase: . ، , ؛ ; : ) ? ! */
static int is_clause_mark(const kh_fx *x, size_t i)
{
    static const unsigned marks[] = {'.', ',', ARABIC_COMMA, ARABIC_SEMICOLON, ';', ':', ')', '?', '!',
                                     ARABIC_QUESTION_MARK};
    for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
        if (kh_fx_is_cp(x, i, marks[k])) return 1;
    return 0;
}

/* Words that may name the place of a meeting or an agreement between its
 * designator and its number: not a number, a function word or punctuation. */
static int series_name_word(const kh_fx *x, size_t i)
{
    if (!(kh_fx_arabic(x, i) || is_latin(x, i)) || is_stop(x, i)) return 0;
    return !(x->classes && (x->classes[i] & KH_F(KH_F_DIGITS))) &&
           !kh_fx_word(x, i, KH_F(KH_F_NUM) | KH_F(KH_F_ORD) | KH_F(KH_F_SCALE),
                               KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, NULL);
}

/* A small number after a meeting's or an agreement's name numbers it in its
 * series: اتفاقية أوسلو 1، مؤتمر جنيف 2.  A count is followed by what it
 * counts, and a score by its other half (قمة برشلونة 2 - 1), so the number
 * must end its phrase. */
static int series_number(const kh_fx *x, size_t i, size_t limit)
{
    size_t ndigits = 0;
    double v = plain_value(x, i, &ndigits);
    if (v < 1 || ndigits > 2 || i < 2) return 0;
    if (i + 1 < limit) {
        size_t nx = i + 1;
        if (kh_fx_arabic(x, nx) || is_latin(x, nx)) {
            if (!is_stop(x, nx) || kh_fx_phrase(x, nx, KH_F(KH_F_PCT), 0, NULL, NULL)) return 0;
        } else if (!is_clause_mark(x, nx)) {
            return 0;
        }
    }
    for (size_t words = 1; words <= 2 && words < i; words++) {
        size_t d = i - 1 - words;
        if (!series_name_word(x, i - words) || x->t[d].sentence != x->t[i].sentence) return 0;
        if (kh_fx_word(x, d, KH_F(KH_F_SERIES), KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, NULL)) return 1;
    }
    return 0;
}

/* A bare number that names a thing rather than counting it, as a model, a
 * list, a channel or a speaker is named: هاتف 3310 الجديد، قائمة 64 "،
 * قناة " تي إف 1 "، رجل 1 :، شبكة 2 G.  Arabic counts what follows a number
 * in digits with an indefinite noun (3 أهداف), so a number right after a
 * word that is no part of a quantity, and followed by a definite word with
 * no proclitic (an adjective or a relative: الجديد، الذي), a closing
 * quotation mark, a colon or a lone Latin letter, is the name's.  Not a
 * year (يورو 2016), not after a function word or a letter (من 42 الى، س 17
 * :), not a time (14:45). */
static int named_number(const kh_fx *x, size_t i, size_t limit)
{
    size_t ndigits = 0;
    double v = plain_value(x, i, &ndigits);
    if (v < 0 || ndigits > 6 || (v >= 1900 && v < 2100) || sentence_start(x, i) || i + 1 >= limit) return 0;
    size_t w = i - 1, nx = i + 1;
    if (!(kh_fx_arabic(x, w) || is_latin(x, w)) || is_stop(x, w) ||
        kh_fx_chars(x->t[w].norm, strlen(x->t[w].norm)) < 2 || has_pronoun_suffix(x, w))
        return 0;
    const uint64_t quantity_words = KH_F(KH_F_NUM) | KH_F(KH_F_SCALE) | KH_F(KH_F_DUAL) | KH_F(KH_F_FRAC) |
                                    KH_F(KH_F_APL) | KH_F(KH_F_FEW) | KH_F(KH_F_ORD) | KH_F(KH_F_CUR) |
                                    KH_F(KH_F_MEAS) | KH_F(KH_F_MEASADJ) | KH_F(KH_F_PCT) | KH_F(KH_F_APPROX) |
                                    KH_F(KH_F_MORE) | KH_F(KH_F_LESS) | KH_F(KH_F_BETWEEN) | KH_F(KH_F_FROM) |
                                    KH_F(KH_F_TO) | KH_F(KH_F_SCORE) | KH_F(KH_F_TUNIT) | KH_F(KH_F_MONTH) |
                                    KH_F(KH_F_WDAY);
    if (kh_fx_word(x, w, quantity_words, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, NULL)) return 0;
    if (kh_fx_is_cp(x, nx, RIGHT_GUILLEMET) || kh_fx_is_cp(x, nx, RIGHT_DOUBLE_QUOTE) || kh_fx_is_cp(x, nx, '"'))
        return 1;
    /* a speaker's label (رجل 1 :), not a time (بولونيا 14:45) */
    if (kh_fx_is_cp(x, nx, ':')) return nx + 1 >= x->n || !kh_fx_digits(x, nx + 1, &(kh_digits){0});
    if (is_latin(x, nx)) return kh_fx_chars(x->t[nx].norm, strlen(x->t[nx].norm)) == 1;
    /* an adjective or a relative with its article and nothing before it
     * (not بالمرتفعات: a place; not a unit, a scale or a time) */
    return kh_fx_article(x, nx) && !kh_fx_word(x, nx, quantity_words, KH_CL_ART, NULL);
}

/* Whether tokens [first, last) write a number as 1 to 3 digits, a point,
 * a comma or an Arabic comma, and 3 digits: 20.370، 2 ، 473. */
static int millimes_written(const kh_fx *x, size_t first, size_t last)
{
    char buf[64];
    size_t n = 0;
    for (size_t k = first; k < last; k++) {
        const char *s = x->t[k].norm;
        size_t len = s ? strlen(s) : 0;
        if (n + len >= sizeof buf) return 0;
        memcpy(buf + n, s, len);
        n += len;
    }
    size_t a = 0;
    while (a < n && buf[a] >= '0' && buf[a] <= '9') a++;
    size_t sep = a < n && (buf[a] == '.' || buf[a] == ',') ? 1 : 0;
    if (!sep && a + 1 < n && (unsigned char)buf[a] == 0xD8 && (unsigned char)buf[a + 1] == 0x8C) sep = 2;
    if (a < 1 || a > 3 || !sep || n != a + sep + 3) return 0;
    for (size_t k = a + sep; k < n; k++)
        if (buf[k] < '0' || buf[k] > '9') return 0;
    return 1;
}

/* Whether two numbers with their units can be the ends of one range: units
 * of two kinds never are, nor a percentage and an amount with a scale word
 * (12 في المئة الى 255.3 مليون: a rise and the total it reached). */
static int range_kinds_agree(const kh_number *n1, const unit_match *u1, const kh_number *n2,
                             const unit_match *u2)
{
    if (u1->kind != KH_QUANTITY_CARDINAL && u2->kind != KH_QUANTITY_CARDINAL) return u1->kind == u2->kind;
    if (u1->kind == KH_QUANTITY_PERCENT) return u2->kind == KH_QUANTITY_PERCENT || n2->scale == 0;
    if (u2->kind == KH_QUANTITY_PERCENT) return n1->scale == 0;
    return 1;
}

static size_t match_quantity(const kh_fx *x, size_t i, size_t limit, kh_quantity *q, int *label)
{
    memset(q, 0, sizeof *q);
    const kh_fact *e;
    unsigned st = 0;
    *label = 0;

    /* Designators: رقم 40 → an ordinal label */
    size_t k = kh_fx_phrase(x, i, KH_F(KH_F_REF), KH_CL_CONJ | KH_CL_PREP, &e, &st);
    if (k) {
        size_t j = i + k;
        for (int f = 0; f < 2 && j < limit && !(e->flags & KH_FF_DIRECT) && is_ref_filler(x, j); f++) j++;
        /* ذكرى 1948 remembers a year; الذكرى 58 is the 58th */
        double year = (e->flags & KH_FF_NOYEAR) && j < limit ? plain_value(x, j, NULL) : -1;
        int remembers_year = year >= 1000 && year < 3000;
        /* بعدد 7950 حالة: "a number of", when what it counts follows */
        int counts = (e->flags & KH_FF_COUNTS) && j + 1 < limit && plain_value(x, j, NULL) >= 0 &&
                     kh_fx_arabic(x, j + 1) && !is_stop(x, j + 1) && !definite(x, j + 1);
        if (!counts && !remembers_year && label_number(x, j, limit, q)) {
            *label = 1;
            return q->last - i;
        }
        /* رقم واحد: a label spelled out */
        kh_number word_label;
        if (j == i + k && kh_fx_number(x, j, limit, 0, &word_label) && word_label.words && !word_label.plural &&
            word_label.last == j + 1 && word_label.value >= 1 && word_label.value == floor(word_label.value)) {
            /* (not a fraction: والمواد نصف المصنعة "semi-finished goods") */
            memset(q, 0, sizeof *q);
            q->kind = KH_QUANTITY_ORDINAL;
            q->first = j;
            q->last = j + 1;
            q->value = word_label.value;
            q->has_value = 1;
            q->n_parts = 1;
            q->parts[0] = (kh_token_range){j, j + 1};
            set_span(x, q);
            return q->last - i;
        }
    }

    /* A designator written onto its number: ص140 */
    if (attached_label(x, i, q)) return 1;

    /* A model's or a disease's number: إف-16، كوفيد-19 */
    if (i >= 2 && plain_value(x, i, NULL) >= 0 && (kh_fx_is(x, i - 1, "-") || kh_fx_is_cp(x, i - 1, EN_DASH)) &&
        (kh_fx_arabic(x, i - 2) || is_latin(x, i - 2)) && !is_stop(x, i - 2) &&
        !kh_fx_number(x, i - 2, i - 1, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, &(kh_number){0}))
        return label_number(x, i, i + 1, q);

    /* An identifier in a web address or a code, not a count: monographs /
     * 200408، id #ERROR! 6514773 */
    size_t ndigits = 0;
    if (i > 0 && plain_value(x, i, &ndigits) >= 0 && ndigits >= IDENTIFIER_DIGITS && after_code_mark(x, i - 1))
        return label_number(x, i, i + 1, q);

    /* A meeting's number in its series: اتفاقية أوسلو 1 */
    if (series_number(x, i, limit)) return label_number(x, i, i + 1, q);

    /* A model's, a list's or a speaker's number: هاتف 3310 الجديد */
    if (named_number(x, i, limit)) return label_number(x, i, i + 1, q);

    /* A note's number at the start of a sentence: 54 المرجع نفسه، 103 " نقل ...
     * (a number that counts is followed by what it counts, indefinite). */
    if (sentence_start(x, i) && plain_value(x, i, NULL) >= 0 && i + 1 < limit) {
        unit_match un;
        kh_number none;
        memset(&none, 0, sizeof none);
        size_t nx = i + 1;
        int counted = match_unit(x, nx, limit, &none, &un) || un.time_unit ||
                      kh_fx_word(x, nx, KH_F(KH_F_SCALE) | KH_F(KH_F_NUM), KH_CL_ART, NULL);
        int mark = kh_fx_is_cp(x, nx, '"') || kh_fx_is_cp(x, nx, LEFT_GUILLEMET) ||
                   kh_fx_is_cp(x, nx, LEFT_DOUBLE_QUOTE) || x->t[nx].kind == KHABAR_TOKEN_SYMBOL;
        /* 1 تكثيف المراقبة، 2 تكليف اللجنة: a list's first items, since
         * Arabic counts one or two things with words (رجل واحد، رجلان) */
        double first = plain_value(x, i, NULL);
        int list_item = (first == 1 || first == 2) && kh_fx_arabic(x, nx) && !is_stop(x, nx);
        if (!counted && (mark || kh_fx_article(x, nx) || list_item)) return label_number(x, i, i + 1, q);
    }

    /* A list item's number at the start of a sentence: "2 - يعاقب ..." */
    if (sentence_start(x, i) && plain_value(x, i, NULL) >= 0 && i + 2 < limit &&
        (kh_fx_is(x, i + 1, "-") || kh_fx_is(x, i + 1, ".") || kh_fx_is(x, i + 1, ")")) &&
        kh_fx_arabic(x, i + 2))
        return label_number(x, i, i + 1, q);

    /* الـ20 (one token, or ال then 20): an ordinal in digits */
    kh_digits d;
    size_t al = 0;
    if (kh_fx_digits(x, i, &d) && (d.clitic & KH_CL_ART) && d.integer && !d.percent) al = 1;
    else if (i + 1 < limit && is_article_alone(x, i) && plain_value(x, i + 1, NULL) >= 0) al = 2;
    /* الـ30 في المئة is a percentage, read from its digits on */
    if (al && i + al < limit && kh_fx_phrase(x, i + al, KH_F(KH_F_PCT), KH_CL_PREP, NULL, NULL)) {
        if (al == 2) return 0;
        al = 0;
    }
    if (al) {
        kh_fx_digits(x, i + al - 1, &d);
        memset(q, 0, sizeof *q);
        q->kind = KH_QUANTITY_ORDINAL;
        q->first = i;
        q->last = i + al;
        q->value = d.value;
        q->has_value = 1;
        q->n_parts = 1;
        /* an article written apart is no part of the number's span (الـ [35]) */
        q->parts[0] = (kh_token_range){i + al - 1, i + al};
        set_span(x, q);
        return al;
    }

    if (match_ordinal_word(x, i, limit, q)) return q->last - i;

    /* Cardinals, percentages, money, measures, with approximators and ranges. */
    memset(q, 0, sizeof *q);
    size_t j = i;
    int approx = 0, more = 0, less = 0;
    k = kh_fx_phrase(x, j, KH_F(KH_F_APPROX) | KH_F(KH_F_MORE) | KH_F(KH_F_LESS), KH_CL_CONJ | KH_CL_PREP, &e, &st);
    if (k) {
        if (e->cls == KH_F_APPROX) approx = 1;
        else if (e->cls == KH_F_MORE) more = 1;
        else less = 1;
        j += k;
    }
    enum { R_NONE, R_BETWEEN, R_FROM } range = R_NONE;
    k = kh_fx_phrase(x, j, KH_F(KH_F_BETWEEN) | KH_F(KH_F_FROM), KH_CL_CONJ, &e, &st);
    if (k) {
        range = e->cls == KH_F_BETWEEN ? R_BETWEEN : R_FROM;
        j += k;
    }
    /* $ 100, % 4,75: a currency or percent sign before the number (a word
     * there is not its unit); a percent sign only when no number before it
     * owns it */
    const kh_fact *sign = NULL;
    kh_digits before;
    if (j + 1 < limit && is_symbol(x, j) && kh_fx_digits(x, j + 1, &d)) {
        sign = kh_fx_word(x, j, KH_F(KH_F_CUR) | KH_F(KH_F_PCT), 0, NULL);
        if (sign && sign->cls == KH_F_PCT && (d.percent || (j > 0 && kh_fx_digits(x, j - 1, &before)))) sign = NULL;
        if (sign) j++;
    }
    kh_number n1;
    if (!kh_fx_number(x, j, limit, KH_CL_CONJ | KH_CL_PREP | KH_CL_ART, &n1)) return 0;
    size_t num_start = j;
    if (n1.alone_word) {
        /* واحد: a number after the noun it counts (شخص واحد), else "one (of)" */
        if (num_start == 0 || !kh_fx_arabic(x, num_start - 1) || is_stop(x, num_start - 1) ||
            kh_fx_word(x, n1.last, KH_F(KH_F_FROM), 0, NULL) || n1.clitic)
            return 0;
        /* كيلوغرام واحد، دولار واحد: one of a measure or a currency, the
         * unit before its number */
        unsigned ust = 0;
        const kh_fact *unit = kh_fx_word(x, num_start - 1, KH_F(KH_F_CUR) | KH_F(KH_F_MEAS),
                                         KH_CL_CONJ | KH_CL_PREP, &ust);
        /* (a clitic on a short unit is a word of its own: وطن "homeland") */
        const char *un = x->t[num_start - 1].norm;
        if (unit && ((ust && kh_fx_chars(un, strlen(un)) <= 3) || (unit->flags & KH_FF_WEAK))) unit = NULL;
        if (unit && i == num_start) {
            q->kind = unit->cls == KH_F_CUR ? KH_QUANTITY_MONEY : KH_QUANTITY_MEASURE;
            q->unit_code = unit->code;
            q->unit = (kh_token_range){num_start - 1, num_start};
            q->first = num_start - 1;
            q->last = n1.last;
            q->value = 1;
            q->has_value = 1;
            q->n_parts = 1;
            q->parts[0] = (kh_token_range){num_start - 1, n1.last};
            set_span(x, q);
            return q->last - i;
        }
    }
    unit_match u1, u2;
    memset(&u2, 0, sizeof u2);
    j = n1.last;
    j += match_unit(x, j, limit, &n1, &u1);
    if (u1.time_unit) return 0;
    kh_number n2;
    int ranged = 0;
    size_t second_start = j;
    if (range == R_BETWEEN) {
        size_t s = j;
        if (kh_fx_is_cp(x, s, WAW)) s++;
        if (kh_fx_number(x, s, limit, KH_CL_CONJ, &n2) && (s > j || (n2.clitic & KH_CL_CONJ))) {
            ranged = 1;
            second_start = s;
        }
    } else if (j < limit) {
        size_t tk = kh_fx_phrase(x, j, KH_F(KH_F_TO), KH_CL_CONJ, &e, &st);
        /* 2 - 1 with a dash and the larger number first is a score, not a range */
        int dash = kh_fx_is(x, j, "-") || kh_fx_is_cp(x, j, EN_DASH);
        if (tk && kh_fx_number(x, j + tk, limit, KH_CL_CONJ, &n2) &&
            !(dash && !n1.plural && !n2.plural && n1.value >= n2.value)) {
            ranged = 1;
            second_start = j + tk;
        }
    }
    /* بنتيجة 2 - 0: a match's score, one number of two figures (Wojood has
     * no score; the ANT sets mark it as one CARDINAL) */
    if (!ranged && range == R_NONE && !sign && u1.kind == KH_QUANTITY_CARDINAL && !n1.words && j + 1 < limit &&
        (kh_fx_is(x, j, "-") || kh_fx_is_cp(x, j, EN_DASH)) && num_start > 0 &&
        kh_fx_word(x, num_start - 1, KH_F(KH_F_SCORE), KH_CL_PREP | KH_CL_ART, NULL) &&
        kh_fx_number(x, j + 1, limit, 0, &n2) && !n2.words && n2.last == j + 2) {
        q->kind = KH_QUANTITY_CARDINAL;
        q->first = i;
        q->last = n2.last;
        q->n_parts = 1;
        q->parts[0] = (kh_token_range){num_start, n2.last};
        set_span(x, q);
        return q->last - i;
    }
    if (ranged) {
        size_t end2 = n2.last + match_unit(x, n2.last, limit, &n2, &u2);
        if (u2.time_unit) return 0;
        if (range_kinds_agree(&n1, &u1, &n2, &u2)) {
            j = end2;
        } else {
            /* 2,3 في المئة الى مليار دولار: a change and where it led, two
             * quantities */
            ranged = 0;
            memset(&u2, 0, sizeof u2);
            if (range != R_NONE) return 0;
        }
    } else if (range != R_NONE) {
        return 0; /* من/بين without a second number: the number alone, found from the next token */
    }

    q->first = i;
    q->kind = ranged && u2.kind != KH_QUANTITY_CARDINAL ? u2.kind : u1.kind;
    const unit_match *u = ranged && u2.kind != KH_QUANTITY_CARDINAL ? &u2 : &u1;
    /* the sign is the unit: a currency's always, a percent's when no other follows */
    int sign_unit = sign && (sign->cls == KH_F_CUR || (u->kind == KH_QUANTITY_CARDINAL && !ranged));
    if (sign_unit) {
        q->kind = sign->cls == KH_F_CUR ? KH_QUANTITY_MONEY : KH_QUANTITY_PERCENT;
        q->unit_code = sign->code;
        q->unit = (kh_token_range){num_start - 1, num_start};
    } else if (u->kind != KH_QUANTITY_CARDINAL) {
        q->unit_code = measure_code(x, u);
        q->unit = (kh_token_range){u->first, u->last};
    }
    /* A single word with ال: الثلاث (the three) counts after a definite noun
     * (الديانات الثلاث), العشرين (the twentieth) ranks */
    if (!ranged && q->kind == KH_QUANTITY_CARDINAL && n1.article && n1.words && !n1.plural &&
        n1.last == num_start + 1) {
        if (n1.value >= 20 && n1.value < 100) q->kind = KH_QUANTITY_ORDINAL;
        else if (num_start == 0 || !kh_fx_article(x, num_start - 1)) return 0;
    }

    if (ranged) {
        double a = n1.plural ? n1.min : n1.value;
        double b = n2.plural ? n2.max : n2.value;
        /* بين 5 و10 ملايين: the scale of the second end applies to the first */
        if (a < b / 1000 && b >= 1e6 && a < 1000 && isfinite(b)) { /* inf: the loop below would not end */
            double scale = 1e6;
            while (scale * 1000 <= b) scale *= 1000;
            a *= scale;
        } else if (!n1.plural && !n2.plural && n1.scale == 0 && n2.scale > 0 && a * n2.scale <= b) {
            a *= n2.scale; /* بين 45 و50 ألفا: thousands too */
        }
        q->min = a;
        q->max = b;
        q->has_min = q->has_max = 1;
        q->approx = approx || n1.plural || n2.plural ? 1 : 0;
        q->n_parts = 2;
        q->parts[0] = (kh_token_range){num_start, u1.kind != KH_QUANTITY_CARDINAL ? amount_end(&u1) : n1.last};
        q->parts[1] = (kh_token_range){second_start, u2.kind != KH_QUANTITY_CARDINAL ? amount_end(&u2) : n2.last};
        q->min += u1.minor;
        q->max += u2.minor;
        if (sign_unit) q->parts[0].first = num_start - 1;
    } else {
        if (n1.plural) {
            q->min = n1.min;
            q->max = n1.max;
            q->has_min = q->has_max = 1;
            q->approx = 1;
        } else if (more) {
            q->min = n1.value;
            q->has_min = 1;
        } else if (less) {
            q->max = n1.value;
            q->has_max = 1;
        } else {
            q->value = n1.value;
            q->has_value = 1;
        }
        if (approx) q->approx = 1;
        q->n_parts = 1;
        q->parts[0] = (kh_token_range){sign_unit ? num_start - 1 : num_start,
                                       u1.kind != KH_QUANTITY_CARDINAL ? amount_end(&u1) : n1.last};
        if (q->has_value) q->value += u1.minor;
    }
    /* 20.370 د: dinars and millimes, not twenty thousand (the point and
     * the Arabic comma before three digits, in one token or three) */
    if (!ranged && u1.millimes && !n1.words && n1.scale == 0 && q->has_value && millimes_written(x, num_start, n1.last))
        q->value /= 1000;
    /* a unit with its own scale: 2466.3 م د is 2,466.3 million dinars */
    double unit_scale = ranged && u2.kind != KH_QUANTITY_CARDINAL ? u2.scale : u1.scale;
    if (unit_scale > 1) {
        q->value *= unit_scale;
        q->min *= unit_scale;
        q->max *= unit_scale;
    }
    q->last = j;
    if (j < limit && kh_fx_word(x, j, KH_F(KH_F_APPROXP), 0, NULL)) {
        q->approx = 1;
        q->last = ++j;
    }
    /* a definite number word follows what it counts (الأسواق الخمس والعشرين) */
    if (q->kind == KH_QUANTITY_CARDINAL && !(n1.words && n1.article && n1.scale == 0)) {
        counted_noun(x, j, limit, n1.plural || n1.words, q);
        if (q->unit.last == q->last && q->last + 1 <= limit &&
            kh_fx_word(x, q->last, KH_F(KH_F_APPROXP), 0, NULL)) {
            q->approx = 1;
            q->last++;
        }
    }
    set_span(x, q);
    return q->last - i;
}

/* After a labelled ordinal, the labels joined to it: المادتين ( 63 ) و ( 64 ). */
static size_t match_label_chain(const kh_fx *x, size_t i, size_t limit, kh_quantity *q)
{
    size_t j = i;
    if (kh_fx_is(x, j, ")")) j++;
    if (!(kh_fx_is_cp(x, j, WAW) || kh_fx_is(x, j, ",") || kh_fx_is_cp(x, j, ARABIC_COMMA))) return 0;
    j++;
    if (kh_fx_is(x, j, "(")) j++;
    if (!label_number(x, j, limit, q)) return 0;
    return q->last - i;
}

static khabar_status find_quantities(const kh_fx *xp, const kh_vec *dates, kh_vec *out);

khabar_status kh_find_quantities(const kh_facts *f, const khabar_token *t, size_t n,
                                 const uint64_t *classes, const kh_vec *dates, kh_vec *out)
{
    if (!f || (!t && n) || !out) return KHABAR_ERROR_ARGUMENT;
    kh_fx x = {f, t, n, classes, NULL};
    kh_fx_prepare(&x);
    khabar_status st = find_quantities(&x, dates, out);
    kh_fx_release(&x);
    return st;
}

/* Whether match_quantity can succeed at token i: an Arabic word that is
 * in no table, has no digits (KH_F_DIGITS) and is not a lone article
 * (ال 20) begins nothing it looks for.  Without classes, it is simply
 * tried. */
static int quantity_may_start(const kh_fx *x, size_t i)
{
    if (!x->classes || x->classes[i] || x->t[i].kind != KHABAR_TOKEN_ARABIC) return 1; /* digits too */
    return is_article_alone(x, i);
}

static khabar_status find_quantities(const kh_fx *xp, const kh_vec *dates, kh_vec *out)
{
    const kh_fx x = *xp;
    size_t n = x.n;
    size_t di = 0;
    const kh_date *dv = dates ? (const kh_date *)dates->data : NULL;
    size_t dn = dates ? dates->len : 0;
    size_t chain_from = (size_t)-1; /* where labels joined to the last one may follow */
    size_t sentence_end = 0;
    size_t i = 0;
    while (i < n) {
        while (di < dn && dv[di].last <= i) di++;
        if (di < dn && dv[di].first <= i) { i = dv[di].last; continue; }
        if (i >= sentence_end) {
            /* matches stay within a sentence */
            sentence_end = i + 1;
            while (sentence_end < n && x.t[sentence_end].sentence == x.t[i].sentence &&
                   x.t[sentence_end].block == x.t[i].block)
                sentence_end++;
        }
        size_t limit = di < dn && dv[di].first < sentence_end ? dv[di].first : sentence_end;
        kh_quantity q;
        size_t used = 0;
        int label = 0;
        if (i == chain_from) {
            used = match_label_chain(&x, i, limit, &q);
            label = used > 0;
        }
        if (!used && quantity_may_start(&x, i)) used = match_quantity(&x, i, limit, &q, &label);
        if (!used) { i++; continue; }
        /* a unit before its number (دولار واحد) that the quantity before
         * already holds stays there */
        const kh_quantity *prev = out->len ? &((const kh_quantity *)out->data)[out->len - 1] : NULL;
        if (q.first < i && (q.first < (prev ? prev->last : 0) || (di > 0 && q.first < dv[di - 1].last))) {
            i++;
            continue;
        }
        kh_quantity *slot = kh_vec_push(out, sizeof *slot);
        if (!slot) return KHABAR_ERROR_MEMORY;
        *slot = q;
        chain_from = label ? q.last : (size_t)-1;
        i = q.last > i ? q.last : i + 1;
    }
    return KHABAR_OK;
}
