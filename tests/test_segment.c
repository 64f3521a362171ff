/* Clitic segmentation: khabar_segment and the internal segmenter. */
#include "helpers.h"

#include "kh.h"

static void seg_is(const char *word, const char *want)
{
    char out[256];
    size_t n = 0;
    khabar_error err;
    khabar_status st = khabar_segment(test_analyzer, word, strlen(word), out, sizeof out, &n, &err);
    if (st != KHABAR_OK) fail_msg("segment '%s': %s", word, err.message);
    assert_true(n < sizeof out);
    out[n] = '\0';
    if (strcmp(out, want) != 0) fail_msg("segment '%s': got '%s', want '%s'", word, out, want);
}

static void proclitics_and_article(void **state)
{
    (void)state;
    seg_is("والكتاب", "و+ال+كتاب");
    seg_is("بالكتاب", "ب+ال+كتاب");
    seg_is("الكتاب", "ال+كتاب");
    seg_is("كتاب", "كتاب");
    seg_is("وترى", "و+تري"); /* ى is folded to ي like everywhere else */
    seg_is("سيكون", "س+يكون");
    seg_is("فإن", "ف+إن");
    seg_is("كرئيس", "ك+رئيس");
}

static void elided_article(void **state)
{
    (void)state;
    /* للكتاب is ل + الكتاب with the article's alef dropped: the piece is ال. */
    seg_is("للكتاب", "ل+ال+كتاب");
    seg_is("وللكتاب", "و+ل+ال+كتاب");
}

static void enclitics(void **state)
{
    (void)state;
    seg_is("كتابه", "كتاب+ه");
    seg_is("نشرتها", "نشرت+ها");
    seg_is("سياستها", "سياست+ها"); /* the stem is looked up as سياسة */
    seg_is("عليهم", "علي+هم");
    seg_is("أنه", "أن+ه");
}

static void words_that_only_look_cliticised(void **state)
{
    (void)state;
    seg_is("وجود", "وجود");
    seg_is("وزير", "وزير");
    seg_is("بريطانيا", "بريطانيا");
    seg_is("كابول", "كابول");
    seg_is("بين", "بين");
    seg_is("كان", "كان");
    seg_is("لكن", "لكن");
    seg_is("التي", "التي");
    seg_is("الله", "الله");
    seg_is("في", "في");
}

static void clitics_only(void **state)
{
    (void)state;
    seg_is("به", "ب+ه");
    seg_is("لها", "ل+ها");
    seg_is("لهم", "ل+هم");
    seg_is("ولها", "و+ل+ها");
}

static void edge_cases(void **state)
{
    (void)state;
    seg_is("", "");
    seg_is("و", "و");
    seg_is("ب", "ب");
    seg_is("abc", "abc");
    seg_is("2024", "2024");
    seg_is("و2024", "و2024"); /* not all letters: left whole */
    seg_is("١٢", "12");
    seg_is("وَالْكِتَابُ", "و+ال+كتاب"); /* diacritics go before segmenting */
    seg_is("والكتـــاب", "و+ال+كتاب");
    seg_is("بأفغانستان", "ب+أفغانستان"); /* hamza is kept in the pieces */
}

static void errors_and_sizes(void **state)
{
    (void)state;
    char out[64];
    size_t n = 0;
    khabar_error err;
    assert_int_equal(khabar_segment(test_analyzer, "والكتاب", strlen("والكتاب"), out, 4, &n, &err),
                     KHABAR_ERROR_SPACE);
    assert_int_equal(n, strlen("و+ال+كتاب"));
    assert_int_equal(khabar_segment(test_analyzer, "ab\xff", 3, out, sizeof out, &n, &err),
                     KHABAR_ERROR_UTF8);
    assert_int_equal(err.offset, 2);
    assert_int_equal(khabar_segment(test_analyzer, NULL, 3, out, sizeof out, &n, &err),
                     KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_segment(NULL, "a", 1, out, sizeof out, &n, NULL), KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_segment(test_analyzer, NULL, 0, NULL, 0, &n, NULL), KHABAR_OK);
    assert_int_equal(n, 0);
    /* the documented bound: 2 * len + 16 */
    const char *w = "وبكتابهما";
    size_t len = strlen(w);
    char *big = malloc(2 * len + 16);
    assert_non_null(big);
    assert_int_equal(khabar_segment(test_analyzer, w, len, big, 2 * len + 16, &n, NULL), KHABAR_OK);
    free(big);
}

/* The internal pieces: byte ranges in the normalised word. */
static void segmentation_ranges(void **state)
{
    (void)state;
    const char *w = "وبالكتابه"; /* not a real word: ال and ه do not combine */
    kh_segmentation seg;
    const char *word = "وبالكتاب";
    kh_segment_word(test_model, word, strlen(word), &seg);
    assert_int_equal(seg.n_prefix, 3);
    assert_int_equal(seg.prefix_end[0], 2);
    assert_int_equal(seg.prefix_end[1], 4);
    assert_int_equal(seg.prefix_end[2], 8);
    assert_int_equal(seg.article, 1);
    assert_int_equal(seg.stem_start, 8);
    assert_int_equal(seg.stem_end, strlen(word));
    kh_segment_word(test_model, w, strlen(w), &seg);
    assert_true(seg.stem_end == strlen(w) || !seg.article);
}

static void candidates_start_with_the_whole_word(void **state)
{
    (void)state;
    kh_seg_candidate c[KH_SEG_MAX_CANDIDATES];
    const char *w = "وبكتابه";
    size_t n = kh_segment_candidates(test_model, w, strlen(w), c, KH_SEG_MAX_CANDIDATES);
    assert_true(n > 4);
    assert_int_equal(c[0].seg.n_prefix, 0);
    assert_int_equal(c[0].seg.stem_end, strlen(w));
    /* a full buffer stops the list rather than overrunning it */
    assert_int_equal(kh_segment_candidates(test_model, w, strlen(w), c, 2), 2);
    assert_int_equal(kh_segment_candidates(test_model, w, strlen(w), c, 0), 0);
}

/* Regression (fuzz_word): U+FDFA normalises to 33 bytes from 3; the sizes
 * khabar.h promises must still suffice. */
static void presentation_form_expansion_fits_promised_size(void **state)
{
    (void)state;
    const char *w = "\xEF\xB7\xBA";
    char out[18 * 3 + 16];
    size_t got;
    assert_int_equal(khabar_segment(test_analyzer, w, 3, out, sizeof out, &got, NULL), KHABAR_OK);
    assert_true(got > 3);
    assert_int_equal(khabar_stem(test_analyzer, w, 3, out, sizeof out, &got, NULL), KHABAR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(proclitics_and_article),
        cmocka_unit_test(elided_article),
        cmocka_unit_test(enclitics),
        cmocka_unit_test(words_that_only_look_cliticised),
        cmocka_unit_test(clitics_only),
        cmocka_unit_test(edge_cases),
        cmocka_unit_test(errors_and_sizes),
        cmocka_unit_test(segmentation_ranges),
        cmocka_unit_test(candidates_start_with_the_whole_word),
        cmocka_unit_test(presentation_form_expansion_fits_promised_size),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
