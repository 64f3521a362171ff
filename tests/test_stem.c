/* Stemming: clitics off, then Snowball; names kept whole. */
#include "helpers.h"

#include "kh.h"

static void stem_is(const char *word, const char *want)
{
    char out[256];
    size_t n = 0;
    khabar_error err;
    khabar_status st = khabar_stem(test_analyzer, word, strlen(word), out, sizeof out, &n, &err);
    if (st != KHABAR_OK) fail_msg("stem '%s': %s", word, err.message);
    assert_true(n < sizeof out);
    out[n] = '\0';
    if (strcmp(out, want) != 0) fail_msg("stem '%s': got '%s', want '%s'", word, out, want);
}

static void clitic_forms_share_a_stem(void **state)
{
    (void)state;
    const char *forms[] = {"والكتاب", "الكتاب", "بالكتاب", "للكتاب", "كتاب", "كتابه", "وكتابهم"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) stem_is(forms[i], "كتاب");
    stem_is("الحكومة", "حكوم");
    stem_is("وللحكومة", "حكوم");
}

static void names_stay_whole(void **state)
{
    (void)state;
    stem_is("أفغانستان", "افغانستان"); /* Snowball alone: افغانست */
    stem_is("بأفغانستان", "افغانستان");
    stem_is("بريطانيا", "بريطانيا");
    stem_is("تونس", "تونس");
}

static void root_letters_are_not_clitics(void **state)
{
    (void)state;
    /* Snowball alone strips these leading letters (وزير → زير). */
    stem_is("وزير", "وزير");
    stem_is("الوزير", "وزير");
    stem_is("وجود", "وجود");
}

static void edge_cases(void **state)
{
    (void)state;
    stem_is("", "");
    stem_is("ب", "ب");
    stem_is("abc", "abc");
    stem_is("2024", "2024");
    stem_is("به", "به"); /* a preposition and a pronoun: no stem to cut */
    stem_is("لها", "لها");
    stem_is("الكِتَابُ", "كتاب");
    stem_is("إيران", "ايران"); /* stems are fully folded, hamza included */
}

static void errors_and_sizes(void **state)
{
    (void)state;
    char out[8];
    size_t n = 0;
    khabar_error err;
    assert_int_equal(khabar_stem(test_analyzer, "والكتاب", strlen("والكتاب"), out, 2, &n, &err),
                     KHABAR_ERROR_SPACE);
    assert_int_equal(n, strlen("كتاب"));
    assert_int_equal(khabar_stem(test_analyzer, "\xc3", 1, out, sizeof out, &n, &err), KHABAR_ERROR_UTF8);
    assert_int_equal(khabar_stem(test_analyzer, NULL, 1, out, sizeof out, &n, &err), KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_stem(test_analyzer, "x", 1, out, sizeof out, NULL, &err), KHABAR_ERROR_ARGUMENT);
}

static void internal_append(void **state)
{
    (void)state;
    kh_stemmer *s = kh_stemmer_new();
    assert_non_null(s);
    kh_buf b = {0};
    const char *w = "والكتاب";
    assert_int_equal(kh_stem_append(s, test_model, &b, w, strlen(w)), 0);
    assert_int_equal(kh_buf_putc(&b, ' '), 0);
    assert_int_equal(kh_stem_append(s, test_model, &b, w, strlen(w)), 0);
    assert_int_equal(b.len, 2 * strlen("كتاب") + 1);
    assert_memory_equal(b.data, "كتاب كتاب", b.len);
    kh_buf_free(&b);
    kh_stemmer_free(s);
    kh_stemmer_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clitic_forms_share_a_stem),
        cmocka_unit_test(names_stay_whole),
        cmocka_unit_test(root_letters_are_not_clitics),
        cmocka_unit_test(edge_cases),
        cmocka_unit_test(errors_and_sizes),
        cmocka_unit_test(internal_append),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
