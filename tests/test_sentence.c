/* Sentence splitting. */
#include "helpers.h"

/* Splits a one-paragraph article and checks the sentence texts. */
static void expect_sentences(const char *para, const char *const *want, size_t n)
{
    char in[2048];
    snprintf(in, sizeof in, "عنوان\n\n%s\n", para);
    khabar_doc *d = analyze_ok(in, 0);
    if (khabar_doc_sentence_count(d) != n) {
        for (size_t i = 0; i < khabar_doc_sentence_count(d); i++) {
            const khabar_span *s = &khabar_doc_sentence(d, i)->span;
            print_message("  [%zu] %.*s\n", i, (int)s->text_len, s->text);
        }
        fail_msg("expected %zu sentences, got %zu", n, khabar_doc_sentence_count(d));
    }
    for (size_t i = 0; i < n; i++) {
        const khabar_sentence *s = khabar_doc_sentence(d, i);
        assert_span_text(&s->span, want[i]);
        assert_span_is_input(in, &s->span);
        assert_int_equal(s->block, 0);
    }
    khabar_doc_free(d);
}

#define EXPECT(para, ...)                                                  \
    do {                                                                   \
        const char *const w[] = {__VA_ARGS__};                             \
        expect_sentences(para, w, sizeof w / sizeof *w);                   \
    } while (0)

static void terminators(void **state)
{
    (void)state;
    EXPECT("هل جاء؟ نعم جاء! ثم ذهب. وانتهى", "هل جاء؟", "نعم جاء!", "ثم ذهب.", "وانتهى");
    EXPECT("قال كذا؛ ثم سكت… وبعدها مضى.", "قال كذا؛", "ثم سكت…", "وبعدها مضى.");
    EXPECT("حقا؟! لا أصدق...  هذا.", "حقا؟!", "لا أصدق...", "هذا.");
}

static void numbers_do_not_split(void **state)
{
    (void)state;
    EXPECT("قتل 10.000 شخص و3.5 بالمئة. ثم انتهى.", "قتل 10.000 شخص و3.5 بالمئة.", "ثم انتهى.");
    EXPECT("بلغ ١٠٫٥ مليون. نعم.", "بلغ ١٠٫٥ مليون.", "نعم.");
}

static void abbreviations_and_initials(void **state)
{
    (void)state;
    EXPECT("قال د. محمد إن الوضع صعب. وأضاف.", "قال د. محمد إن الوضع صعب.", "وأضاف.");
    EXPECT("التقى Mr. Smith و J. Doe أمس. ثم غادر.", "التقى Mr. Smith و J. Doe أمس.", "ثم غادر.");
    EXPECT("زوروا www.example.com للمزيد. شكرا.", "زوروا www.example.com للمزيد.", "شكرا.");
    /* ق.م (before Christ): its dots are inside, a dot after the whole ends */
    EXPECT("ضم الرومان دمشق عام 64 ق. م وازدهرت. ثم", "ضم الرومان دمشق عام 64 ق. م وازدهرت.", "ثم");
    EXPECT("ضم الرومان دمشق عام 64 ق.م. وازدهرت المدينة.", "ضم الرومان دمشق عام 64 ق.م.", "وازدهرت المدينة.");
    EXPECT("في عام 64 ق. م. أصبحت دمشق تابعة.", "في عام 64 ق. م.", "أصبحت دمشق تابعة.");
    EXPECT("قال أ. م. خالد إن الوضع صعب.", "قال أ. م. خالد إن الوضع صعب.");
    EXPECT("فإن رمسيس الثاني (1303 ق. م. - 1213 ق. م.) حكم نحو 67 عاما.",
           "فإن رمسيس الثاني (1303 ق. م. - 1213 ق. م.) حكم نحو 67 عاما.");
}

static void quotes(void **state)
{
    (void)state;
    /* A closing quote after the stop belongs to the sentence. */
    EXPECT("قال: \"سنعود غدا.\" ثم غادر.", "قال: \"سنعود غدا.\"", "ثم غادر.");
    EXPECT("قال: «سنعود غدا.» ثم غادر.", "قال: «سنعود غدا.»", "ثم غادر.");
    /* An unbalanced quote does not swallow the rest of the paragraph. */
    EXPECT("أكد أن \"الحركة ستطلق سراحه. وترى الصحيفة أن ذلك ممكن.",
           "أكد أن \"الحركة ستطلق سراحه.", "وترى الصحيفة أن ذلك ممكن.");
    /* A quote after a stop with the quote count even opens the next sentence. */
    EXPECT("انتهى الاجتماع. \"لن نتراجع\" قال الوزير.", "انتهى الاجتماع.", "\"لن نتراجع\" قال الوزير.");
}

static void brackets(void **state)
{
    (void)state;
    EXPECT("وصل الوفد (وهو كبير.) ثم بدأ.", "وصل الوفد (وهو كبير.)", "ثم بدأ.");
}

static void headings_have_no_sentences(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok("عنوان\n\nفقرة أولى.\n\nعنوان فرعي\n\nفقرة ثانية.\n", 0);
    assert_int_equal(khabar_doc_sentence_count(d), 2);
    assert_int_equal(khabar_doc_sentence(d, 1)->block, 2);
    assert_int_equal(khabar_doc_block(d, 2)->first_sentence, 1);
    khabar_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(terminators),
        cmocka_unit_test(numbers_do_not_split),
        cmocka_unit_test(abbreviations_and_initials),
        cmocka_unit_test(quotes),
        cmocka_unit_test(brackets),
        cmocka_unit_test(headings_have_no_sentences),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
