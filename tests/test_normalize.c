#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "khabar.h"

static void check(const char *in, unsigned folds, const char *want)
{
    char out[1024];
    size_t n = 0;
    khabar_error err;
    assert_int_equal(khabar_normalize(in, strlen(in), folds, out, sizeof out, &n, &err), KHABAR_OK);
    out[n] = '\0';
    assert_string_equal(out, want);
}

static void folds_alef_forms(void **state)
{
    (void)state;
    check("أفغانستان إيران آسيا ٱلله", KHABAR_FOLD_ALL, "افغانستان ايران اسيا الله");
    check("أفغانستان", KHABAR_FOLD_ALL & ~(unsigned)KHABAR_FOLD_ALEF, "أفغانستان");
}

static void removes_diacritics_and_tatweel(void **state)
{
    (void)state;
    check("أنَّ أُجريت", KHABAR_FOLD_ALL, "ان اجريت");
    check("كتـــاب", KHABAR_FOLD_TATWEEL, "كتاب");
    check("كتـــاب", KHABAR_FOLD_DIACRITICS, "كتـــاب");
    check("دعماً", KHABAR_FOLD_DIACRITICS, "دعما");
}

static void folds_yeh_and_digits(void **state)
{
    (void)state;
    check("مستشفى", KHABAR_FOLD_YEH, "مستشفي");
    check("١٠٬٠٠٠ و٣٫٥ و۱۲ و٪", KHABAR_FOLD_DIGITS, "10,000 و3.5 و12 و%");
    check("١٠", KHABAR_FOLD_ALL & ~(unsigned)KHABAR_FOLD_DIGITS, "١٠");
}

/* ئ and ؤ on their seats, as names are written without the hamza; not part
 * of KHABAR_FOLD_ALL (رئيس stays رئيس in the normal forms). */
static void folds_hamza_seats_when_asked(void **state)
{
    (void)state;
    check("الباجي قائد السبسي", KHABAR_FOLD_HAMZA_SEAT, "الباجي قايد السبسي");
    check("فؤاد", KHABAR_FOLD_HAMZA_SEAT, "فواد");
    check("أسئلة", KHABAR_FOLD_HAMZA_SEAT | KHABAR_FOLD_ALEF, "اسيلة");
    check("رئيس", KHABAR_FOLD_ALL, "رئيس");
}

static void nfkc_presentation_forms(void **state)
{
    (void)state;
    /* ﻻ (lam-alef ligature) and isolated ﺏ */
    check("\xEF\xBB\xBB \xEF\xBA\x8F", KHABAR_FOLD_NFKC, "لا ب");
    /* ﻷ: lam with alef with hamza above, composed back and then folded */
    check("\xEF\xBB\xB7", KHABAR_FOLD_NFKC, "لأ");
    check("\xEF\xBB\xB7", KHABAR_FOLD_ALL, "لا");
    /* NFKC stays off when not asked for */
    check("\xEF\xBB\xBB", 0, "\xEF\xBB\xBB");
}

static void sizes_and_errors(void **state)
{
    (void)state;
    size_t n = 99;
    khabar_error err;
    assert_int_equal(khabar_normalize("أبو", 6, KHABAR_FOLD_ALL, NULL, 0, &n, &err), KHABAR_ERROR_SPACE);
    assert_int_equal(n, 6);
    assert_int_equal(khabar_normalize("ab\xff", 3, KHABAR_FOLD_ALL, NULL, 0, &n, &err), KHABAR_ERROR_UTF8);
    assert_int_equal(err.offset, 2);
    /* a lone surrogate encoded in UTF-8 (CESU) is not valid UTF-8 */
    assert_int_equal(khabar_normalize("\xED\xA0\x80", 3, 0, NULL, 0, &n, &err), KHABAR_ERROR_UTF8);
    assert_int_equal(khabar_normalize(NULL, 0, 0, NULL, 0, &n, NULL), KHABAR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(khabar_normalize(NULL, 3, 0, NULL, 0, &n, NULL), KHABAR_ERROR_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folds_alef_forms),
        cmocka_unit_test(removes_diacritics_and_tatweel),
        cmocka_unit_test(folds_yeh_and_digits),
        cmocka_unit_test(folds_hamza_seats_when_asked),
        cmocka_unit_test(nfkc_presentation_forms),
        cmocka_unit_test(sizes_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
