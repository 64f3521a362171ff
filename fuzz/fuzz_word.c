/* khabar_segment and khabar_stem on one word (the input): the buffer sizes
 * khabar.h promises always suffice must suffice, sizing with cap 0 must
 * agree with the real call, and the result must be valid UTF-8. */
#include <string.h>

#include "kh.h"
#include "fuzz.h"

typedef khabar_status (*word_fn)(khabar_analyzer *, const char *, size_t, char *, size_t,
                                 size_t *, khabar_error *);

static void word(word_fn fn, const char *w, size_t len, size_t promised_cap)
{
    char *out = malloc(promised_cap);
    FUZZ_CHECK(out != NULL);
    size_t got = 0;
    khabar_error err;
    khabar_status st = fn(fuzz_analyzer, w, len, out, promised_cap, &got, &err);
    FUZZ_CHECK(st != KHABAR_ERROR_SPACE);
    if (st == KHABAR_OK) {
        FUZZ_CHECK(got <= promised_cap);
        FUZZ_CHECK(kh_utf8_check(out, got) == got);
        size_t need = 0;
        khabar_status sized = fn(fuzz_analyzer, w, len, NULL, 0, &need, &err);
        FUZZ_CHECK(need == got);
        FUZZ_CHECK(sized == (need ? KHABAR_ERROR_SPACE : KHABAR_OK));
    } else {
        FUZZ_CHECK(err.code == st);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024) return 0;
    const char *w = (const char *)data;
    word(khabar_segment, w, size, 18 * size + 16);
    word(khabar_stem, w, size, 18 * size + 16);
    return 0;
}
