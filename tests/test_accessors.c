/* The public accessors give what the JSON says, field for field, on real
 * articles: the seed article and a record with a title given apart (whose
 * spans lie in that title). */
#include "helpers.h"

#include <math.h>

#include <jansson.h>

static void span_is(const khabar_span *s, json_t *text, json_t *start, json_t *end)
{
    if (json_is_null(text) || !text) {
        assert_null(s->text);
        assert_int_equal(s->text_len, 0);
        return;
    }
    assert_int_equal(s->text_len, json_string_length(text));
    assert_memory_equal(s->text, json_string_value(text), s->text_len);
    if (json_is_integer(start)) assert_int_equal(s->start, (size_t)json_integer_value(start));
    if (json_is_integer(end)) assert_int_equal(s->end, (size_t)json_integer_value(end));
}

static void optional_string_is(const char *got, json_t *want)
{
    if (!want || json_is_null(want)) assert_null(got);
    else assert_string_equal(got, json_string_value(want));
}

static void same_as_json(khabar_doc *doc)
{
    json_error_t e;
    json_t *j = json_loads(khabar_doc_json(doc, 0, NULL), 0, &e);
    assert_non_null(j);
    size_t i;
    json_t *v;

    json_t *mentions = json_object_get(j, "mentions");
    assert_int_equal(khabar_doc_mention_count(doc), json_array_size(mentions));
    json_array_foreach(mentions, i, v) {
        const khabar_mention *m = khabar_doc_mention(doc, i);
        assert_string_equal(m->text, json_string_value(json_object_get(v, "text")));
        assert_string_equal(khabar_entity_type_name(m->type), json_string_value(json_object_get(v, "type")));
        assert_int_equal(m->entity, json_integer_value(json_object_get(v, "entity")));
        assert_int_equal(m->sentence, json_integer_value(json_object_get(v, "sentence")));
        if (json_is_integer(json_object_get(v, "start"))) {
            assert_int_equal(m->start, json_integer_value(json_object_get(v, "start")));
            assert_int_equal(m->end, json_integer_value(json_object_get(v, "end")));
        }
    }
    assert_null(khabar_doc_mention(doc, json_array_size(mentions)));

    json_t *quantities = json_object_get(j, "quantities");
    assert_int_equal(khabar_doc_quantity_count(doc), json_array_size(quantities));
    json_array_foreach(quantities, i, v) {
        const khabar_quantity *q = khabar_doc_quantity(doc, i);
        span_is(&q->span, json_object_get(v, "text"), json_object_get(v, "start"), json_object_get(v, "end"));
        assert_string_equal(khabar_quantity_kind_name(q->kind), json_string_value(json_object_get(v, "kind")));
        json_t *value = json_object_get(v, "value"), *min = json_object_get(v, "min"), *max = json_object_get(v, "max");
        assert_int_equal(q->has_value, json_is_number(value));
        if (q->has_value) assert_true(fabs(q->value - json_number_value(value)) <= 1e-9 * fabs(q->value));
        assert_int_equal(q->has_min, json_is_number(min));
        assert_int_equal(q->has_max, json_is_number(max));
        assert_int_equal(q->approx, json_is_true(json_object_get(v, "approx")));
        span_is(&q->unit, json_object_get(v, "unit"), NULL, NULL);
    }

    json_t *dates = json_object_get(j, "dates");
    assert_int_equal(khabar_doc_date_count(doc), json_array_size(dates));
    json_array_foreach(dates, i, v) {
        const khabar_date *d = khabar_doc_date(doc, i);
        span_is(&d->span, json_object_get(v, "text"), json_object_get(v, "start"), json_object_get(v, "end"));
        assert_string_equal(khabar_date_kind_name(d->kind), json_string_value(json_object_get(v, "kind")));
        assert_string_equal(d->value, json_string_value(json_object_get(v, "value")));
        optional_string_is(d->mod, json_object_get(v, "mod"));
        optional_string_is(d->offset, json_object_get(v, "offset"));
        assert_int_equal(d->relative, json_is_true(json_object_get(v, "relative")));
    }

    json_t *quotes = json_object_get(j, "quotes");
    assert_int_equal(khabar_doc_quote_count(doc), json_array_size(quotes));
    json_array_foreach(quotes, i, v) {
        const khabar_quote *q = khabar_doc_quote(doc, i);
        span_is(&q->text, json_object_get(v, "text"), json_object_get(v, "start"), json_object_get(v, "end"));
        span_is(&q->speaker, json_object_get(v, "speaker"), json_object_get(v, "speaker_start"),
                json_object_get(v, "speaker_end"));
        span_is(&q->cue, json_object_get(v, "cue"), NULL, NULL);
        json_t *entity = json_object_get(v, "entity");
        assert_int_equal(q->entity, json_is_integer(entity) ? json_integer_value(entity) : -1);
        json_t *all = json_object_get(v, "entities");
        assert_int_equal(q->entity_count, all ? json_array_size(all) : json_is_integer(entity) ? 1 : 0);
        for (size_t k = 0; all && k < q->entity_count; k++)
            assert_int_equal(q->entities[k], json_integer_value(json_array_get(all, k)));
        assert_int_equal(q->direct, json_is_true(json_object_get(v, "direct")));
    }

    json_t *duplicates = json_object_get(j, "duplicates");
    assert_int_equal(khabar_doc_duplicate_count(doc), json_array_size(duplicates));
    json_array_foreach(duplicates, i, v) {
        const khabar_duplicate *d = khabar_doc_duplicate(doc, i);
        assert_int_equal(d->a, json_integer_value(json_object_get(v, "a")));
        assert_int_equal(d->b, json_integer_value(json_object_get(v, "b")));
        assert_true(fabs(d->similarity - json_number_value(json_object_get(v, "similarity"))) < 0.0006);
    }

    json_t *summary = json_object_get(j, "summary");
    assert_int_equal(khabar_doc_summary_count(doc), json_array_size(summary));
    json_array_foreach(summary, i, v) assert_int_equal(khabar_doc_summary(doc, i), json_integer_value(v));
    assert_int_equal(khabar_doc_summary(doc, json_array_size(summary)), SIZE_MAX);
    json_decref(j);
}

static void seed_article(void **state)
{
    (void)state;
    size_t len;
    char *text = read_source_file("examples/article.txt", &len);
    khabar_doc *doc = analyze_ok(text, 0);
    /* the seed has every kind of analysis */
    assert_true(khabar_doc_mention_count(doc) > 10);
    assert_true(khabar_doc_quantity_count(doc) >= 4);
    assert_true(khabar_doc_date_count(doc) >= 4);
    assert_true(khabar_doc_quote_count(doc) >= 6);
    assert_true(khabar_doc_duplicate_count(doc) >= 1);
    assert_int_equal(khabar_doc_summary_count(doc), 3);
    same_as_json(doc);
    khabar_doc_free(doc);
    free(text);
}

static void given_title_and_record(void **state)
{
    (void)state;
    static const char line[] =
        "{\"id\":1,\"title\":\"قال الرئيس إن 30 مليون دولار تكفي\",\"date\":\"2021-03-01\",\"text\":"
        "\"وقال وزير المالية أمس إن الحكومة خصصت 3 ملايين دينار، وأضاف: \\\"لن نتراجع\\\". وقال وزير المالية إن الحكومة خصصت 3 ملايين دينار.\"}";
    khabar_doc *doc;
    khabar_error err;
    assert_int_equal(khabar_analyze_record(test_analyzer, line, strlen(line), NULL, &doc, &err), KHABAR_OK);
    same_as_json(doc);
    khabar_doc_free(doc);
}

static void skipped_and_null(void **state)
{
    (void)state;
    khabar_doc *doc = analyze_skipping("عنوان\n\nوقال الوزير أمس إن 3 ملايين دينار تكفي.\n", 0, KHABAR_SKIP_ANALYSES);
    assert_int_equal(khabar_doc_mention_count(doc), 0);
    assert_int_equal(khabar_doc_quantity_count(doc), 0);
    assert_int_equal(khabar_doc_quote_count(doc), 0);
    assert_null(khabar_doc_date(doc, 0));
    assert_int_equal(khabar_doc_summary_count(doc), 0);
    khabar_doc_free(doc);
    assert_int_equal(khabar_doc_quote_count(NULL), 0);
    assert_null(khabar_doc_quote(NULL, 0));
    assert_int_equal(khabar_doc_summary(NULL, 0), SIZE_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_article),
        cmocka_unit_test(given_title_and_record),
        cmocka_unit_test(skipped_and_null),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
