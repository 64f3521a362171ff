/* Summary (src/summary.c): the lead first, coverage of the tags, no two
 * sentences that say one thing, the requested length. */
#include "helpers.h"

#include "dedup.h"
#include "doc.h"
#include "tags.h"

static size_t pick(const khabar_doc *d, size_t i) { return KH_AT(d->summary, size_t, i); }

static khabar_doc *analyze_with(const char *text, size_t n)
{
    khabar_options o = {0};
    o.summary_sentences = n;
    khabar_doc *d = NULL;
    khabar_error err;
    if (khabar_analyze(test_analyzer, text, strlen(text), &o, &d, &err) != KHABAR_OK)
        fail_msg("analyze: %s", err.message);
    return d;
}

static void print_summary(const khabar_doc *d)
{
    for (size_t i = 0; i < d->summary.len; i++) {
        const khabar_sentence *s = khabar_doc_sentence(d, pick(d, i));
        print_message("  %zu: [%zu] %.*s\n", i, pick(d, i), (int)s->span.text_len, s->span.text);
    }
}

/* Every summary: valid, distinct indexes of paragraph sentences, in the
 * article's order after the first. */
static void assert_well_formed(const khabar_doc *d)
{
    for (size_t i = 0; i < d->summary.len; i++) {
        assert_true(pick(d, i) < d->sentences.len);
        const khabar_sentence *s = khabar_doc_sentence(d, pick(d, i));
        assert_int_equal(khabar_doc_block(d, s->block)->kind, KHABAR_BLOCK_PARAGRAPH);
        for (size_t j = 0; j < i; j++) assert_true(pick(d, j) != pick(d, i));
        if (i > 1) assert_true(pick(d, i) > pick(d, i - 1));
        for (size_t k = 0; k < d->duplicates.len; k++) {
            const kh_sentence_pair *p = &KH_AT(d->duplicates, kh_sentence_pair, k);
            for (size_t j = 0; j < i; j++)
                assert_false((p->a == pick(d, i) && p->b == pick(d, j)) ||
                             (p->b == pick(d, i) && p->a == pick(d, j)));
        }
    }
}

/* Whether sentence s mentions tag t. */
static int mentions(const khabar_doc *d, size_t s, size_t t)
{
    for (size_t i = 0; i < d->tag_sentences.len; i++) {
        const kh_tag_sentence *ts = &KH_AT(d->tag_sentences, kh_tag_sentence, i);
        if (ts->tag == t && ts->sentence == s) return 1;
    }
    return 0;
}

static void seed_summary(void **state)
{
    (void)state;
    size_t len;
    char *text = read_source_file("examples/article.txt", &len);
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, text, len, NULL, &d, NULL), KHABAR_OK);
    print_summary(d);
    assert_well_formed(d);
    assert_int_equal(d->summary.len, 3);
    /* the lead claim: Taliban admitted killing the ISIS leader */
    assert_int_equal(pick(d, 0), 0);
    /* the repeated claim about Russia, China and Iran is not there twice */
    assert_true(d->duplicates.len >= 1);
    khabar_doc_free(d);
    free(text);
}

static const char story[] =
    "عاجل\n\n"
    "الرياض.\n"
    "افتتح وزير النقل اليوم الطريق السريع الجديد بين الرياض والدمام بعد ثلاث سنوات من العمل.\n"
    "وافتتح الوزير اليوم الطريق السريع الجديد الذي يربط الرياض بالدمام بعد ثلاث سنوات من الأعمال.\n"
    "وقالت وزارة النقل إن الطريق السريع يختصر زمن الرحلة بين المدينتين ساعة كاملة.\n"
    "وأضافت الوزارة أن شركات المقاولات المحلية نفذت الطريق بتكلفة بلغت ملياري ريال.\n"
    "وفي سياق آخر، أعلنت هيئة الأرصاد الجوية توقعات بأمطار غزيرة على المنطقة الشرقية خلال الأسبوع.\n"
    "ودعت هيئة الأرصاد الجوية السائقين إلى الحذر على الطريق السريع أثناء الأمطار الغزيرة.\n";

static void lead_first_and_no_repeats(void **state)
{
    (void)state;
    khabar_doc *d = analyze_with(story, 0);
    print_summary(d);
    assert_well_formed(d);
    assert_int_equal(d->summary.len, 3);
    /* the one-word first sentence is no lead; the first claim is */
    const khabar_sentence *lead = khabar_doc_sentence(d, pick(d, 0));
    assert_true(lead->span.text_len > 40);
    assert_memory_equal(lead->span.text, "افتتح", strlen("افتتح"));
    /* the next sentence restates the lead: never both */
    size_t restated = pick(d, 0) + 1;
    for (size_t i = 1; i < d->summary.len; i++) assert_true(pick(d, i) != restated);
    /* the others bring tags the lead does not mention */
    for (size_t i = 1; i < d->summary.len; i++) {
        int news = 0;
        for (size_t t = 0; t < d->tags.len; t++)
            news |= mentions(d, pick(d, i), t) && !mentions(d, pick(d, 0), t);
        assert_true(news);
    }
    khabar_doc_free(d);
}

static void length_is_chosen(void **state)
{
    (void)state;
    khabar_doc *d = analyze_with(story, 1);
    assert_int_equal(d->summary.len, 1);
    khabar_doc_free(d);
    d = analyze_with(story, 5);
    print_summary(d);
    assert_well_formed(d);
    assert_int_equal(d->summary.len, 5);
    khabar_doc_free(d);
    /* more than the article has: every distinct claim, once */
    d = analyze_with(story, 50);
    assert_well_formed(d);
    assert_true(d->summary.len <= 6);
    assert_true(d->summary.len >= 4);
    khabar_doc_free(d);
}

static void headings_and_short_texts(void **state)
{
    (void)state;
    static const char text[] =
        "العنوان\n\n"
        "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية البعيدة.\n\n"
        "تفاصيل الخطة\n\n"
        "وتشمل الخطة قروضا ميسرة للمزارعين وبذورا محسنة وآلات زراعية حديثة للقرى.\n";
    khabar_doc *d = analyze_with(text, 0);
    print_summary(d);
    assert_well_formed(d);
    assert_int_equal(d->summary.len, 2);
    khabar_doc_free(d);
    d = analyze_with("كلمة واحدة", 0);
    assert_int_equal(d->summary.len, 0);
    khabar_doc_free(d);
}

static void arguments(void **state)
{
    (void)state;
    khabar_error err;
    assert_int_equal(kh_summary(NULL, 3, NULL, 0, &err), KHABAR_ERROR_ARGUMENT);
    khabar_doc *d = analyze_with(story, 0);
    d->summary.len = 0;
    assert_int_equal(kh_summary(d, 3, NULL, 0, &err), KHABAR_ERROR_ARGUMENT);
    khabar_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_summary),
        cmocka_unit_test(lead_first_and_no_repeats),
        cmocka_unit_test(length_is_chosen),
        cmocka_unit_test(headings_and_short_texts),
        cmocka_unit_test(arguments),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
