/* The JSON writer (src/json.c): whatever the article, the output is JSON. */
#include <math.h>

#include <jansson.h>

#include "helpers.h"

/* Analyses `text` (with the article date 2020-01-01) and parses its JSON
 * with jansson, which refuses inf and nan; returns the tree. */
static json_t *analyzed_json(const char *text)
{
    khabar_options o = {0};
    o.date = "2020-01-01";
    khabar_doc *d = NULL;
    khabar_error err;
    if (khabar_analyze(test_analyzer, text, strlen(text), &o, &d, &err) != KHABAR_OK)
        fail_msg("analyze failed: %s", err.message);
    size_t len;
    const char *s = khabar_doc_json(d, 0, &len);
    assert_non_null(s);
    json_error_t jerr;
    json_t *root = json_loadb(s, len, 0, &jerr);
    if (!root) fail_msg("not JSON: %s at %d in %s", jerr.text, jerr.position, s);
    khabar_doc_free(d);
    return root;
}

/* analyzed_json of `format` with its %s replaced by "1" and `zeros` zeros. */
static json_t *with_big_number(const char *format, size_t zeros)
{
    char n[512], text[1024];
    assert_true(zeros + 2 <= sizeof n);
    n[0] = '1';
    memset(n + 1, '0', zeros);
    n[zeros + 1] = '\0';
    snprintf(text, sizeof text, format, n);
    return analyzed_json(text);
}

static json_t *first_of(json_t *root, const char *list)
{
    json_t *a = json_object_get(root, list);
    assert_true(json_is_array(a));
    assert_true(json_array_size(a) > 0);
    return json_array_get(a, 0);
}

/* Regression: a number too large for a double was written `inf`. */
static void number_too_large_for_a_double(void **state)
{
    (void)state;
    json_t *root = with_big_number("عنوان\n\nبلغ الدين %s دولار.\n", 400);
    assert_true(json_is_null(json_object_get(first_of(root, "quantities"), "value")));
    json_decref(root);

    root = with_big_number("عنوان\n\nيتراوح عددهم بين 5 و%s مقاتل.\n", 400);
    json_t *q = first_of(root, "quantities");
    assert_true(json_is_null(json_object_get(q, "max")));
    assert_int_equal((int)json_number_value(json_object_get(q, "min")), 5);
    json_decref(root);
}

/* A large finite number is written as a JSON number (with an exponent). */
static void large_finite_number(void **state)
{
    (void)state;
    json_t *root = with_big_number("عنوان\n\nبلغ الدين %s دولار.\n", 300);
    json_t *v = json_object_get(first_of(root, "quantities"), "value");
    assert_true(json_is_real(v));
    assert_true(json_real_value(v) > 1e299 && isfinite(json_real_value(v)));
    json_decref(root);
}

/* A duration whose count cannot be written in full is an unknown count
 * (PXY), never PinfY or a truncated string. */
static void duration_too_long(void **state)
{
    (void)state;
    const size_t zeros[] = {400, 30};
    for (size_t i = 0; i < 2; i++) {
        json_t *root = with_big_number("عنوان\n\nوصل لمدة %s سنة إلى المدينة.\n", zeros[i]);
        assert_string_equal(json_string_value(json_object_get(first_of(root, "dates"), "value")), "PXY");
        json_decref(root);
    }
    json_t *root = analyzed_json("عنوان\n\nوصل لمدة 2.5 سنة إلى المدينة.\n");
    assert_string_equal(json_string_value(json_object_get(first_of(root, "dates"), "value")), "P2.5Y");
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(number_too_large_for_a_double),
        cmocka_unit_test(large_finite_number),
        cmocka_unit_test(duration_too_long),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
