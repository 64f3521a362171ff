/* JSON-lines records and their error records. */
#include "helpers.h"

static khabar_status record(const char *line, khabar_doc **d, khabar_error *err)
{
    return khabar_analyze_record(test_analyzer, line, strlen(line), NULL, d, err);
}

static const char *error_json(const khabar_error *err, size_t line)
{
    size_t len;
    const char *s = khabar_record_error_json(test_analyzer, err, line, &len);
    assert_non_null(s);
    assert_int_equal(strlen(s), len);
    return s;
}

static void valid_record_keeps_id_and_date(void **state)
{
    (void)state;
    khabar_doc *d;
    khabar_error err;
    const char *line = "{\"id\": \"a-1\", \"text\": \"العنوان\\n\\nالفقرة.\", \"date\": \"2021-09-20\"}";
    assert_int_equal(record(line, &d, &err), KHABAR_OK);
    /* without a "title" the text is all body */
    assert_null(khabar_doc_title(d));
    assert_span_text(&khabar_doc_block(d, 0)->span, "العنوان");
    /* offsets are into the unescaped text: العنوان is 14 bytes, then \n\n */
    assert_int_equal(khabar_doc_block(d, 1)->span.start, 16);
    const char *json = khabar_doc_json(d, 0, NULL);
    assert_non_null(strstr(json, "\"id\":\"a-1\""));
    assert_non_null(strstr(json, "\"date\":\"2021-09-20\""));
    khabar_doc_free(d);
}

static void numeric_id_and_separate_title(void **state)
{
    (void)state;
    khabar_doc *d;
    assert_int_equal(record("{\"id\": 42, \"title\": \"عنوان\", \"text\": \"الفقرة الأولى.\"}", &d, NULL), KHABAR_OK);
    assert_span_text(khabar_doc_title(d), "عنوان");
    assert_int_equal(khabar_doc_block_count(d), 1);
    const char *json = khabar_doc_json(d, 0, NULL);
    assert_non_null(strstr(json, "\"id\":42"));
    assert_non_null(strstr(json, "\"title_start\":null"));
    khabar_doc_free(d);
}

/* Spans in a title given apart from the text are offsets in that title (in
 * the library) and null in the JSON (regression: they were 0 or 1, offsets
 * into nothing). */
static void spans_in_a_separate_title(void **state)
{
    (void)state;
    khabar_doc *d;
    const char *title = "  وزير الخارجية يزور القاهرة في 5 يونيو";
    khabar_options opts = {0};
    opts.flags = KHABAR_OPTION_NO_TITLE;
    opts.title = title;
    opts.title_len = strlen(title);
    const char *text = "قال الوزير إن الزيارة مهمة.";
    khabar_error err;
    assert_int_equal(khabar_analyze(test_analyzer, text, strlen(text), &opts, &d, &err), KHABAR_OK);
    const khabar_span *t = khabar_doc_title(d);
    assert_int_equal(t->start, 2);
    assert_int_equal(t->end, strlen(title));
    const khabar_token *second = khabar_doc_token(d, 1);
    assert_int_equal(second->block, -1);
    assert_span_text(&second->span, "الخارجية");
    assert_memory_equal(title + second->span.start, "الخارجية", second->span.end - second->span.start);
    /* the body's offsets are into the text as before */
    const khabar_token *body = khabar_doc_token(d, khabar_doc_sentence(d, 0)->first_token);
    assert_int_equal(body->span.start, 0);
    const char *json = khabar_doc_json(d, KHABAR_JSON_TOKENS, NULL);
    assert_non_null(strstr(json, "{\"text\":\"الخارجية\",\"start\":null,\"end\":null,"));
    assert_non_null(strstr(json, "\"text\":\"القاهرة\",\"type\":\"LOC\",\"entity\":0,\"sentence\":-1,\"start\":null,\"end\":null}"));
    assert_non_null(strstr(json, "{\"text\":\"قال\",\"start\":0,\"end\":6,"));
    khabar_doc_free(d);
}

static void broken_json(void **state)
{
    (void)state;
    khabar_doc *d = (khabar_doc *)1;
    khabar_error err;
    assert_int_equal(record("{\"id\": 7, \"text\": \"abc", &d, &err), KHABAR_ERROR_JSON);
    assert_null(d);
    assert_true(err.offset > 0);
    const char *s = error_json(&err, 3);
    assert_non_null(strstr(s, "\"line\":3"));
    assert_non_null(strstr(s, "\"code\":\"invalid_json\""));
    assert_null(strstr(s, "\"id\"")); /* not known: the JSON did not parse */
}

static void missing_or_wrong_text(void **state)
{
    (void)state;
    khabar_doc *d;
    khabar_error err;
    assert_int_equal(record("{\"id\": \"x\"}", &d, &err), KHABAR_ERROR_RECORD);
    const char *s = error_json(&err, 1);
    assert_non_null(strstr(s, "\"id\":\"x\""));
    assert_non_null(strstr(s, "invalid_record"));
    assert_int_equal(record("{\"id\": \"y\", \"text\": 5}", &d, &err), KHABAR_ERROR_RECORD);
    assert_int_equal(record("[1, 2]", &d, &err), KHABAR_ERROR_RECORD);
    assert_int_equal(record("{\"id\": \"z\", \"text\": \"  \"}", &d, &err), KHABAR_ERROR_EMPTY);
    s = error_json(&err, 9);
    assert_non_null(strstr(s, "\"id\":\"z\""));
}

static void invalid_utf8_names_the_byte(void **state)
{
    (void)state;
    khabar_doc *d;
    khabar_error err;
    const char *line = "{\"id\": \"u\", \"text\": \"abc \xC3\x28 def\"}";
    assert_int_equal(record(line, &d, &err), KHABAR_ERROR_UTF8);
    assert_int_equal(err.offset, 25);
    const char *s = error_json(&err, 2);
    assert_non_null(strstr(s, "\"id\":\"u\""));
    assert_non_null(strstr(s, "\"offset\":25"));
    /* with replacement the record goes through */
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_REPLACE_INVALID;
    assert_int_equal(khabar_analyze_record(test_analyzer, line, strlen(line), &o, &d, &err), KHABAR_OK);
    khabar_doc_free(d);
}

static void nul_escapes_are_control_repairs(void **state)
{
    (void)state;
    khabar_doc *d;
    assert_int_equal(record("{\"id\": 1, \"text\": \"a\\u0000b\\n\\nc.\"}", &d, NULL), KHABAR_OK);
    assert_span_text(&khabar_doc_block(d, 0)->span, "ab");
    assert_int_equal(khabar_doc_repair(d, 0)->kind, KHABAR_REPAIR_CONTROL);
    khabar_doc_free(d);
}

/* Records the fast scanner takes and records it leaves to jansson must
 * come out the same. */
static void escapes_nesting_and_duplicates(void **state)
{
    (void)state;
    khabar_doc *d;
    assert_int_equal(record("{\"id\":\"\\u00e9\",\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\/\"}", &d, NULL), KHABAR_OK);
    assert_span_text(&khabar_doc_block(d, 0)->span, "café 😀 \"q\" /");
    assert_non_null(strstr(khabar_doc_json(d, 0, NULL), "\"id\":\"\\u00e9\""));
    khabar_doc_free(d);
    /* the last of duplicate keys wins, as in jansson */
    assert_int_equal(record("{\"text\":\"أ.\",\"text\":\"ب.\"}", &d, NULL), KHABAR_OK);
    assert_span_text(&khabar_doc_block(d, 0)->span, "ب.");
    khabar_doc_free(d);
    /* nested values are skipped; an object id is an id, written compact */
    assert_int_equal(record(" {\"id\": {\"a\": 1}, \"meta\": [1, {\"b\": [true, null, -2.5e3]}], \"text\": \"x.\"} ", &d, NULL), KHABAR_OK);
    assert_non_null(strstr(khabar_doc_json(d, 0, NULL), "\"id\":{\"a\":1}"));
    khabar_doc_free(d);
    /* a key with an escape goes to jansson, which reads it as "text" */
    assert_int_equal(record("{\"t\\u0065xt\":\"نص.\"}", &d, NULL), KHABAR_OK);
    assert_span_text(&khabar_doc_block(d, 0)->span, "نص.");
    khabar_doc_free(d);
    /* a lone surrogate escape is an error from jansson */
    khabar_error err;
    assert_int_equal(record("{\"id\":1,\"text\":\"\\ud800\"}", &d, &err), KHABAR_ERROR_JSON);
    /* trailing garbage and raw control characters are errors */
    assert_int_equal(record("{\"text\":\"a\"} x", &d, &err), KHABAR_ERROR_JSON);
    assert_int_equal(record("{\"text\":\"a\tb\"}", &d, &err), KHABAR_ERROR_JSON);
}

/* Regression: an id that was an object or an array was dropped by analyze
 * (refused by dedup), null kept.  Any JSON value is now an id, in both:
 * objects and arrays written compact, members in their order. */
static void any_json_value_is_an_id(void **state)
{
    (void)state;
    const char *lines[] = {"{\"id\": {\"site\": \"x\",  \"n\": [1, 2]}, \"text\": \"نص.\"}",
                           "{\"id\": [3, \"b\"], \"text\": \"نص.\"}", "{\"id\": null, \"text\": \"نص.\"}",
                           "{\"text\": \"نص.\", \"id\": {\"z\": 1, \"a\": 2}}"};
    const char *ids[] = {"\"id\":{\"site\":\"x\",\"n\":[1,2]}", "\"id\":[3,\"b\"]", "\"id\":null",
                         "\"id\":{\"z\":1,\"a\":2}"};
    for (size_t i = 0; i < 4; i++) {
        khabar_doc *d;
        khabar_error err;
        assert_int_equal(record(lines[i], &d, &err), KHABAR_OK);
        assert_non_null(strstr(khabar_doc_json(d, 0, NULL), ids[i]));
        khabar_doc_free(d);
    }
    /* the same id in an error record */
    khabar_doc *d;
    khabar_error err;
    assert_int_equal(record("{\"id\": {\"k\": [1]}, \"text\": 5}", &d, &err), KHABAR_ERROR_RECORD);
    assert_non_null(strstr(error_json(&err, 3), "{\"id\":{\"k\":[1]},\"line\":3,"));
}

/* Regression: a record's "date" was ignored when it was not a date; now
 * it fails the record, naming the field.  A time may follow. */
static void record_date_is_validated(void **state)
{
    (void)state;
    const char *bad[] = {"2020-13-45", "2020-02-30", "01/03/2020", "2021-02-29", "2020-1-5", "", "2020-01-01x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char line[128];
        snprintf(line, sizeof line, "{\"id\": %zu, \"text\": \"نص.\", \"date\": \"%s\"}", i, bad[i]);
        khabar_doc *d;
        khabar_error err;
        assert_int_equal(record(line, &d, &err), KHABAR_ERROR_RECORD);
        assert_non_null(strstr(err.message, "\"date\""));
    }
    khabar_doc *d;
    khabar_error err;
    assert_int_equal(record("{\"id\": 1, \"text\": \"نص.\", \"date\": 20200101}", &d, &err), KHABAR_ERROR_RECORD);
    const char *good[] = {"{\"id\": 1, \"text\": \"نص.\", \"date\": \"2020-02-29\"}",
                          "{\"id\": 1, \"text\": \"نص.\", \"date\": \"2020-02-29T10:00:00Z\"}",
                          "{\"id\": 1, \"text\": \"نص.\", \"date\": null}"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(record(good[i], &d, &err), KHABAR_OK);
        khabar_doc_free(d);
    }
    assert_true(khabar_date_valid("2000-02-29", 10));
    assert_false(khabar_date_valid("1900-02-29", 10));
    assert_false(khabar_date_valid("0000-01-01", 10));
    /* the option too */
    khabar_options o = {0};
    o.date = "2020-02-30";
    assert_int_equal(khabar_analyze(test_analyzer, "نص.", strlen("نص."), &o, &d, &err), KHABAR_ERROR_ARGUMENT);
}

/* Regression: with replace_invalid a record's invalid bytes became U+FFFD
 * without the repairs the option promises. */
static void replaced_bytes_are_repairs(void **state)
{
    (void)state;
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_REPLACE_INVALID;
    const char *line = "{\"id\": \"r\", \"text\": \"\\n\xD9\x86\xFF\xD8\xB5.\"}";
    khabar_doc *d;
    khabar_error err;
    assert_int_equal(khabar_analyze_record(test_analyzer, line, strlen(line), &o, &d, &err), KHABAR_OK);
    assert_int_equal(khabar_doc_repair_count(d), 1);
    const khabar_repair *r = khabar_doc_repair(d, 0);
    assert_int_equal(r->kind, KHABAR_REPAIR_INVALID_UTF8);
    /* in the decoded text: \n (1 byte), ن (2), then the bad byte */
    assert_int_equal(r->span.start, 3);
    assert_int_equal(r->span.end, 4);
    assert_non_null(strstr(khabar_doc_json(d, 0, NULL), "\"repairs\":[{\"kind\":\"invalid_utf8\""));
    khabar_doc_free(d);
}

/* khabar_options.source is the doc's "file", and the error records'. */
static void source_is_the_file(void **state)
{
    (void)state;
    khabar_options o = {0};
    o.source = "dir/a\"\xFF.jsonl";
    khabar_doc *d;
    khabar_error err;
    const char *line = "{\"id\": 1, \"text\": \"نص.\"}";
    assert_int_equal(khabar_analyze_record(test_analyzer, line, strlen(line), &o, &d, &err), KHABAR_OK);
    assert_non_null(strstr(khabar_doc_json(d, 0, NULL), "{\"file\":\"dir/a\\\"\xEF\xBF\xBD.jsonl\",\"id\":1,"));
    khabar_doc_free(d);
    assert_int_equal(khabar_analyze_record(test_analyzer, "{\"id\": 2}", strlen("{\"id\": 2}"), &o, &d, &err), KHABAR_ERROR_RECORD);
    assert_non_null(strstr(error_json(&err, 7), "{\"file\":\"dir/a\\\"\xEF\xBF\xBD.jsonl\",\"id\":2,\"line\":7,"));
    size_t len;
    const char *s = khabar_error_json(test_analyzer, &err, "b.txt", &len);
    assert_non_null(s);
    const char *want = "{\"file\":\"b.txt\",\"error\":{\"code\":\"invalid_record\"";
    assert_int_equal(strncmp(s, want, strlen(want)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_record_keeps_id_and_date),
        cmocka_unit_test(any_json_value_is_an_id),
        cmocka_unit_test(record_date_is_validated),
        cmocka_unit_test(replaced_bytes_are_repairs),
        cmocka_unit_test(source_is_the_file),
        cmocka_unit_test(numeric_id_and_separate_title),
        cmocka_unit_test(spans_in_a_separate_title),
        cmocka_unit_test(broken_json),
        cmocka_unit_test(missing_or_wrong_text),
        cmocka_unit_test(invalid_utf8_names_the_byte),
        cmocka_unit_test(nul_escapes_are_control_repairs),
        cmocka_unit_test(escapes_nesting_and_duplicates),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
