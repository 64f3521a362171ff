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

/* "1" followed by `zeros` zeros. */
static char *big_number(size_t zeros)
{
    char *s = malloc(zeros + 2);
    assert_non_null(s);
    s[0] = '1';
    memset(s + 1, '0', zeros);
    s[zeros + 1] = '\0';
    return s;
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
    char *n = big_number(400);
    char text[1024];
    snprintf(text, sizeof text, "عنوان\n\nبلغ الدين %s دولار.\n", n);
    json_t *root = analyzed_json(text);
    json_t *q = first_of(root, "quantities");
    assert_true(json_is_null(json_object_get(q, "value")));
    json_decref(root);

    snprintf(text, sizeof text, "عنوان\n\nيتراوح عددهم بين 5 و%s مقاتل.\n", n);
    root = analyzed_json(text);
    q = first_of(root, "quantities");
    assert_true(json_is_null(json_object_get(q, "max")));
    assert_int_equal((int)json_number_value(json_object_get(q, "min")), 5);
    json_decref(root);
    free(n);
}

/* A large finite number is written as a JSON number (with an exponent). */
static void large_finite_number(void **state)
{
    (void)state;
    char *n = big_number(300);
    char text[1024];
    snprintf(text, sizeof text, "عنوان\n\nبلغ الدين %s دولار.\n", n);
    json_t *root = analyzed_json(text);
    json_t *v = json_object_get(first_of(root, "quantities"), "value");
    assert_true(json_is_real(v));
    assert_true(json_real_value(v) > 1e299 && isfinite(json_real_value(v)));
    json_decref(root);
    free(n);
}

/* A duration whose count cannot be written in full is an unknown count
 * (PXY), never PinfY or a truncated string. */
static void duration_too_long(void **state)
{
    (void)state;
    const size_t zeros[] = {400, 30};
    for (size_t i = 0; i < 2; i++) {
        char *n = big_number(zeros[i]);
        char text[1024];
        snprintf(text, sizeof text, "عنوان\n\nوصل لمدة %s سنة إلى المدينة.\n", n);
        json_t *root = analyzed_json(text);
        json_t *d = first_of(root, "dates");
        assert_string_equal(json_string_value(json_object_get(d, "value")), "PXY");
        json_decref(root);
        free(n);
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
