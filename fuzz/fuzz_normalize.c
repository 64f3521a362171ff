/* khabar_normalize with several fold sets: the sizing protocol
 * (cap 0, then the size it asked for), the 18x bound, valid UTF-8 out, and
 * the offset of the first bad byte for invalid input. */
#include <string.h>

#include "kh.h"
#include "fuzz.h"

static char out[18 * 4096 + 64];

static void normalize(const char *text, size_t len, unsigned folds)
{
    size_t need = 0;
    khabar_error err;
    khabar_status st = khabar_normalize(text, len, folds, NULL, 0, &need, &err);
    size_t bad = kh_utf8_check(text, len);
    if (bad != len) {
        FUZZ_CHECK(st == KHABAR_ERROR_UTF8);
        FUZZ_CHECK(err.offset == bad);
        return;
    }
    FUZZ_CHECK(st == (need ? KHABAR_ERROR_SPACE : KHABAR_OK));
    FUZZ_CHECK(need <= 18 * len);
    if (need > sizeof out) return;
    size_t got = 0;
    if (need) {
        FUZZ_CHECK(khabar_normalize(text, len, folds, out, need - 1, &got, &err) == KHABAR_ERROR_SPACE);
        FUZZ_CHECK(got == need);
    }
    FUZZ_CHECK(khabar_normalize(text, len, folds, out, need, &got, &err) == KHABAR_OK);
    FUZZ_CHECK(got == need);
    FUZZ_CHECK(kh_utf8_check(out, got) == got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    const char *text = (const char *)data;
    normalize(text, size, KHABAR_FOLD_ALL);
    normalize(text, size, KHABAR_FOLD_NFKC);
    normalize(text, size, KHABAR_FOLD_ALL & ~(unsigned)KHABAR_FOLD_NFKC);
    normalize(text, size, 0);
    return 0;
}
