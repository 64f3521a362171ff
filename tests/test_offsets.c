/* Offsets always point into the input: for every span of every article
 * in the examples and spec files, the input bytes at [start, end) are the
 * span's text, except where a repair lies inside the span. */
#include "helpers.h"

static int repaired_inside(const khabar_doc *d, size_t start, size_t end)
{
    for (size_t i = 0; i < khabar_doc_repair_count(d); i++) {
        const khabar_repair *r = khabar_doc_repair(d, i);
        if (r->span.start < end && r->span.end > start) return 1;
    }
    return 0;
}

static void check_span(const khabar_doc *d, const char *in, size_t len, const khabar_span *s)
{
    assert_true(s->start <= s->end);
    assert_true(s->end <= len);
    if (repaired_inside(d, s->start, s->end)) return;
    assert_int_equal(s->end - s->start, s->text_len);
    assert_memory_equal(in + s->start, s->text, s->text_len);
}

static void check_file(const char *rel, unsigned flags)
{
    size_t len;
    char *in = read_source_file(rel, &len);
    khabar_options o = {0};
    o.flags = flags;
    khabar_doc *d = NULL;
    khabar_error err;
    if (khabar_analyze(test_analyzer, in, len, &o, &d, &err) != KHABAR_OK)
        fail_msg("%s: %s", rel, err.message);
    if (khabar_doc_title(d)) check_span(d, in, len, khabar_doc_title(d));
    for (size_t i = 0; i < khabar_doc_block_count(d); i++) check_span(d, in, len, &khabar_doc_block(d, i)->span);
    size_t prev_end = 0;
    for (size_t i = 0; i < khabar_doc_sentence_count(d); i++) {
        const khabar_sentence *s = khabar_doc_sentence(d, i);
        check_span(d, in, len, &s->span);
        assert_true(s->span.start >= prev_end); /* in order, never overlapping */
        prev_end = s->span.end;
        const khabar_block *b = khabar_doc_block(d, s->block);
        assert_true(s->span.start >= b->span.start && s->span.end <= b->span.end);
    }
    for (size_t i = 0; i < khabar_doc_token_count(d); i++) {
        const khabar_token *t = khabar_doc_token(d, i);
        check_span(d, in, len, &t->span);
        assert_true(t->span.text_len > 0);
    }
    for (size_t i = 0; i < khabar_doc_repair_count(d); i++) {
        const khabar_repair *r = khabar_doc_repair(d, i);
        assert_true(r->span.start < r->span.end && r->span.end <= len);
    }
    khabar_doc_free(d);
    free(in);
}

static void examples_article(void **state)
{
    (void)state;
    check_file("examples/article.txt", 0);
}

static void seed_joined_word_spans_the_break(void **state)
{
    (void)state;
    size_t len;
    char *in = read_source_file("examples/article.txt", &len);
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, in, len, NULL, &d, NULL), KHABAR_OK);
    const khabar_repair *join = NULL;
    for (size_t i = 0; i < khabar_doc_repair_count(d); i++)
        if (khabar_doc_repair(d, i)->kind == KHABAR_REPAIR_JOINED_WORD) join = khabar_doc_repair(d, i);
    assert_non_null(join);
    assert_span_text(&join->span, "وترى");
    /* the input holds وت, a line break, then رى */
    assert_memory_equal(in + join->span.start, "وت\nرى", join->span.end - join->span.start);
    /* and the token وترى covers the same bytes */
    int found = 0;
    for (size_t i = 0; i < khabar_doc_token_count(d); i++) {
        const khabar_token *t = khabar_doc_token(d, i);
        if (t->span.start == join->span.start) {
            assert_int_equal(t->span.end, join->span.end);
            assert_span_text(&t->span, "وترى");
            found = 1;
        }
    }
    assert_true(found);
    khabar_doc_free(d);
    free(in);
}

static void spec_inputs(void **state)
{
    (void)state;
    check_file("tests/spec/headings_and_boilerplate.txt", 0);
    check_file("tests/spec/invalid_replaced.txt", KHABAR_OPTION_REPLACE_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(examples_article),
        cmocka_unit_test(seed_joined_word_spans_the_break),
        cmocka_unit_test(spec_inputs),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
