/* Normalisation: the folds that make spelling variants of one Arabic word
 * compare equal.  The input is never changed; callers keep offsets into it. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "arabic.h"
#include "kh.h"

/* Compatibility characters worth folding with NFKC: Latin ligatures and
 * Arabic presentation forms A and B, and full-width forms.  Other
 * compatibility mappings (superscripts, circled digits) are left alone. */
static int is_presentation_form(uint32_t cp)
{
    return (cp >= 0xFB00 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFE) ||
           (cp >= 0xFF01 && cp <= 0xFFEF);
}

/* Applies the single-code-point folds; returns the replacement, or
 * UINT32_MAX when the code point is removed. */
uint32_t kh_fold_cp(uint32_t cp, unsigned folds)
{
    if (cp < 0x0600) return cp;
    if ((folds & KHABAR_FOLD_DIACRITICS) && kh_is_arabic_mark(cp)) return UINT32_MAX;
    if ((folds & KHABAR_FOLD_TATWEEL) && cp == TATWEEL) return UINT32_MAX;
    if (folds & KHABAR_FOLD_ALEF) {
        if (cp == ALEF_MADDA_ABOVE || cp == ALEF_HAMZA_ABOVE || cp == ALEF_HAMZA_BELOW ||
            cp == ALEF_WASLA || cp == 0x0672 || cp == 0x0673)
            return ALEF;
    }
    if ((folds & KHABAR_FOLD_YEH) && cp == ALEF_MAKSURA) return YEH;
    if (folds & KHABAR_FOLD_HAMZA_SEAT) {
        if (cp == YEH_HAMZA_ABOVE) return YEH;
        if (cp == WAW_HAMZA_ABOVE) return WAW;
    }
    if (folds & KHABAR_FOLD_DIGITS) {
        int d = kh_digit_value(cp);
        if (d >= 0) return (uint32_t)('0' + d);
        if (cp == ARABIC_DECIMAL_SEPARATOR) return '.';
        if (cp == ARABIC_THOUSANDS_SEPARATOR) return ',';
        if (cp == ARABIC_PERCENT) return '%';
    }
    return cp;
}

static int put_folded(kh_buf *b, uint32_t cp, unsigned folds)
{
    cp = kh_fold_cp(cp, folds);
    if (cp == UINT32_MAX) return 0;
    if (kh_buf_reserve(b, 4)) return -1;
    b->len += kh_utf8_encode(cp, b->data + b->len);
    return 0;
}

static int put_nfkc(kh_buf *b, const unsigned char *s, unsigned k, unsigned folds)
{
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t n = utf8proc_map(s, (utf8proc_ssize_t)k, &mapped,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    if (n < 0) return -1;
    int rc = 0;
    for (utf8proc_ssize_t i = 0; i < n && rc == 0;) {
        uint32_t cp;
        unsigned len = kh_utf8_decode(mapped + i, (size_t)(n - i), &cp);
        if (!len) break; /* utf8proc only emits valid UTF-8 */
        /* A decomposed ligature may spell a space: keep it as one. */
        rc = put_folded(b, cp, folds);
        i += len;
    }
    free(mapped);
    return rc;
}

int kh_normalize_append(kh_buf *b, const char *text, size_t n, unsigned folds)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    if (kh_buf_reserve(b, n)) return -1;
    while (i < n) {
        if (s[i] < 0x80) {
            size_t j = i;
            while (j < n && s[j] < 0x80) j++;
            if (kh_buf_append(b, s + i, j - i)) return -1;
            i = j;
            continue;
        }
        uint32_t cp;
        unsigned k = kh_utf8_decode(s + i, n - i, &cp);
        if (!k) { /* callers validate first; keep the byte rather than lose it */
            if (kh_buf_putc(b, (char)s[i])) return -1;
            i++;
            continue;
        }
        int rc = (folds & KHABAR_FOLD_NFKC) && is_presentation_form(cp)
                     ? put_nfkc(b, s + i, k, folds)
                     : put_folded(b, cp, folds);
        if (rc) return -1;
        i += k;
    }
    return 0;
}

khabar_status khabar_normalize(const char *text, size_t len, unsigned folds,
                               char *out, size_t cap, size_t *out_len,
                               khabar_error *err)
{
    if (!out_len || (!text && len) || (!out && cap))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_normalize: NULL argument");
    *out_len = 0;
    size_t bad = kh_utf8_check(text, len);
    if (bad != len)
        return kh_fail(err, KHABAR_ERROR_UTF8, bad, "invalid UTF-8 at byte %zu", bad);
    /* Write straight into the caller's buffer when it is big enough;
     * kh_buf would otherwise realloc it, so use a private one. */
    kh_buf b = {0};
    if (kh_normalize_append(&b, text, len, folds)) {
        kh_buf_free(&b);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    *out_len = b.len;
    if (b.len > cap) {
        kh_buf_free(&b);
        return kh_fail(err, KHABAR_ERROR_SPACE, 0, "output needs %zu bytes", *out_len);
    }
    if (b.len) memcpy(out, b.data, b.len);
    kh_buf_free(&b);
    return KHABAR_OK;
}

void kh_fold_alef_inplace(char *s, size_t n)
{
    unsigned char *u = (unsigned char *)s;
    for (size_t i = 0; i + 1 < n; i++) {
        /* U+0622 U+0623 U+0625 are D8 A2, D8 A3, D8 A5; U+0671..U+0673 are D9 B1..B3 */
        if ((u[i] == 0xD8 && (u[i + 1] == 0xA2 || u[i + 1] == 0xA3 || u[i + 1] == 0xA5)) ||
            (u[i] == 0xD9 && u[i + 1] >= 0xB1 && u[i + 1] <= 0xB3)) {
            u[i] = 0xD8;
            u[i + 1] = 0xA7;
            i++;
        }
    }
}
