/* Article structure: title, headings, paragraphs, joins, boilerplate, repairs. */
#include "helpers.h"

static void title_and_paragraphs(void **state)
{
    (void)state;
    const char *in = "العنوان هنا\n\nالفقرة الأولى تنتهي بنقطة.\nالفقرة الثانية بعد سطر واحد.\n";
    khabar_doc *d = analyze_ok(in, 0);
    const khabar_span *title = khabar_doc_title(d);
    assert_non_null(title);
    assert_span_text(title, "العنوان هنا");
    assert_span_is_input(in, title);
    /* A single newline still separates paragraphs. */
    assert_int_equal(khabar_doc_block_count(d), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(khabar_doc_block(d, i)->kind, KHABAR_BLOCK_PARAGRAPH);
        assert_span_is_input(in, &khabar_doc_block(d, i)->span);
    }
    assert_null(khabar_doc_block(d, 2));
    khabar_doc_free(d);
}

static void short_line_between_paragraphs_is_heading(void **state)
{
    (void)state;
    const char *in = "عنوان\n\nفقرة أولى طويلة بما يكفي لتكون فقرة، وتنتهي بنقطة.\n\n"
                     "عنوان فرعي قصير\n\nفقرة ثانية تنتهي بنقطة.\n\nسطر أخير بلا نقطة\n";
    khabar_doc *d = analyze_ok(in, 0);
    assert_int_equal(khabar_doc_block_count(d), 4);
    assert_int_equal(khabar_doc_block(d, 0)->kind, KHABAR_BLOCK_PARAGRAPH);
    assert_int_equal(khabar_doc_block(d, 1)->kind, KHABAR_BLOCK_HEADING);
    assert_span_text(&khabar_doc_block(d, 1)->span, "عنوان فرعي قصير");
    assert_int_equal(khabar_doc_block(d, 1)->sentence_count, 0);
    assert_int_equal(khabar_doc_block(d, 2)->kind, KHABAR_BLOCK_PARAGRAPH);
    /* The last line has nothing after it: not a heading. */
    assert_int_equal(khabar_doc_block(d, 3)->kind, KHABAR_BLOCK_PARAGRAPH);
    khabar_doc_free(d);
}

static void short_line_with_final_stop_is_paragraph(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok("عنوان\n\nقال الوزير كلاما.\n\nفقرة أخرى.\n", 0);
    assert_int_equal(khabar_doc_block(d, 0)->kind, KHABAR_BLOCK_PARAGRAPH);
    khabar_doc_free(d);
}

static size_t count_repairs(const khabar_doc *d, khabar_repair_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < khabar_doc_repair_count(d); i++)
        n += khabar_doc_repair(d, i)->kind == kind;
    return n;
}

static void boilerplate_is_removed_and_reported(void **state)
{
    (void)state;
    const char *in = "عنوان الخبر\n\nنص الخبر هنا.\nشارك\nالصورة: رويترز\n"
                     "© 2021 جميع الحقوق محفوظة\nالكلمات الدالة";
    khabar_doc *d = analyze_ok(in, 0);
    assert_int_equal(khabar_doc_block_count(d), 1);
    assert_int_equal(count_repairs(d, KHABAR_REPAIR_BOILERPLATE), 4);
    const khabar_repair *r = khabar_doc_repair(d, 3);
    assert_span_text(&r->span, "الكلمات الدالة");
    assert_span_is_input(in, &r->span);
    khabar_doc_free(d);
}

static void boilerplate_words_inside_prose_stay(void **state)
{
    (void)state;
    /* Starts like a prompt, but is a sentence. */
    khabar_doc *d = analyze_ok("عنوان\n\nشارك الوزير في المؤتمر أمس.\n", 0);
    assert_int_equal(khabar_doc_block_count(d), 1);
    assert_int_equal(khabar_doc_repair_count(d), 0);
    khabar_doc_free(d);
    /* A prompt and a platform, but more after them. */
    d = analyze_ok("عنوان\n\nشارك الوزير في المؤتمر على فيسبوك أمس.\nشارك فيسبوك في تمويل المشروع.\n"
                   "تابعوا النقاش حول فيسبوك\n",
                   0);
    assert_int_equal(khabar_doc_block_count(d), 3);
    assert_int_equal(khabar_doc_repair_count(d), 0);
    khabar_doc_free(d);
}

static void share_and_follow_prompts_are_removed(void **state)
{
    (void)state;
    const char *in = "عنوان\n\nنص الخبر هنا.\nشارك على فيسبوك\nشارك عبر: فيسبوك | تويتر | واتساب\n"
                     "تابعونا عبر تيليجرام وانستغرام\nShare on Facebook\nاشترك في قناتنا على يوتيوب\n";
    khabar_doc *d = analyze_ok(in, 0);
    assert_int_equal(khabar_doc_block_count(d), 1);
    assert_int_equal(count_repairs(d, KHABAR_REPAIR_BOILERPLATE), 5);
    assert_span_text(&khabar_doc_repair(d, 1)->span, "شارك عبر: فيسبوك | تويتر | واتساب");
    assert_span_is_input(in, &khabar_doc_repair(d, 1)->span);
    khabar_doc_free(d);
}

static void bom_crlf_and_spaces(void **state)
{
    (void)state;
    const char *in = "\xEF\xBB\xBF  العنوان \r\n\r\n\tالفقرة.  \r\n";
    khabar_doc *d = analyze_ok(in, 0);
    assert_span_text(khabar_doc_title(d), "العنوان");
    assert_int_equal(khabar_doc_title(d)->start, 5);
    assert_span_text(&khabar_doc_block(d, 0)->span, "الفقرة.");
    assert_span_is_input(in, &khabar_doc_block(d, 0)->span);
    assert_int_equal(khabar_doc_repair_count(d), 0);
    khabar_doc_free(d);
}

/* Regression: a lone CR, U+2028, U+2029, NEL, form feed and vertical tab
 * were not line ends: they glued sentences together (جيد.وأضاف) or made
 * the whole article its title.  Each ends a line; offsets stay in bytes of
 * the input. */
static void every_line_end(void **state)
{
    (void)state;
    const char *ends[] = {"\r", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xC2\x85", "\f", "\v", "\r\n"};
    for (size_t k = 0; k < sizeof ends / sizeof *ends; k++) {
        char in[256];
        snprintf(in, sizeof in, "عنوان%s%sقال إن الوضع جيد.%sوأضاف أنه سيعود.", ends[k], ends[k], ends[k]);
        khabar_doc *d = analyze_ok(in, 0);
        assert_span_text(khabar_doc_title(d), "عنوان");
        assert_int_equal(khabar_doc_block_count(d), 2);
        assert_span_text(&khabar_doc_block(d, 0)->span, "قال إن الوضع جيد.");
        assert_span_text(&khabar_doc_block(d, 1)->span, "وأضاف أنه سيعود.");
        assert_span_is_input(in, &khabar_doc_block(d, 1)->span);
        assert_int_equal(khabar_doc_sentence_count(d), 2);
        for (size_t i = 0; i < khabar_doc_token_count(d); i++)
            assert_span_is_input(in, &khabar_doc_token(d, i)->span);
        assert_int_equal(khabar_doc_repair_count(d), 0);
        khabar_doc_free(d);
    }
}

/* A paragraph separator or a form feed starts a new paragraph: a word
 * broken before it is not joined across it, as across a blank line. */
static void paragraph_separator_is_a_blank_line(void **state)
{
    (void)state;
    const char *in = "عنوان\n\nذهب الوزير إلى المد\xE2\x80\xA9ينة.";
    khabar_doc *d = analyze_ok(in, 0);
    assert_int_equal(khabar_doc_block_count(d), 2);
    assert_int_equal(khabar_doc_repair_count(d), 0);
    khabar_doc_free(d);
}

static void invalid_utf8_fails_with_offset(void **state)
{
    (void)state;
    const char *in = "عنوان\n\nنص \xFF\xFE خاطئ.";
    khabar_doc *d = NULL;
    khabar_error err;
    assert_int_equal(khabar_analyze(test_analyzer, in, strlen(in), NULL, &d, &err), KHABAR_ERROR_UTF8);
    assert_null(d);
    assert_int_equal(err.offset, 17);
    assert_non_null(strstr(err.message, "17"));
}

static void invalid_utf8_replaced_on_request(void **state)
{
    (void)state;
    const char *in = "عنوان\n\nنص \xFF\xFE خاطئ.";
    khabar_doc *d = analyze_ok(in, KHABAR_OPTION_REPLACE_INVALID);
    assert_int_equal(count_repairs(d, KHABAR_REPAIR_INVALID_UTF8), 2);
    const khabar_block *b = khabar_doc_block(d, 0);
    assert_span_text(&b->span, "نص \xEF\xBF\xBD\xEF\xBF\xBD خاطئ.");
    assert_int_equal(b->span.start, 12);
    assert_int_equal(b->span.end, strlen(in));
    const khabar_repair *r = khabar_doc_repair(d, 0);
    assert_int_equal(r->span.start, 17);
    assert_int_equal(r->span.end, 18);
    khabar_doc_free(d);
}

static void control_characters_dropped(void **state)
{
    (void)state;
    const char in[] = "عنوان\n\nنص\0\0 مع صفر.";
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, in, sizeof in - 1, NULL, &d, NULL), KHABAR_OK);
    assert_span_text(&khabar_doc_block(d, 0)->span, "نص مع صفر.");
    assert_int_equal(count_repairs(d, KHABAR_REPAIR_CONTROL), 1);
    assert_int_equal(khabar_doc_repair(d, 0)->span.start, 16);
    assert_int_equal(khabar_doc_repair(d, 0)->span.end, 18);
    khabar_doc_free(d);
}

static void empty_inputs_are_errors(void **state)
{
    (void)state;
    const char *inputs[] = {"", "   \n\n\t \r\n", "الكلمات الدالة\nشارك"};
    for (size_t i = 0; i < 3; i++) {
        khabar_doc *d = NULL;
        khabar_error err;
        assert_int_equal(khabar_analyze(test_analyzer, inputs[i], strlen(inputs[i]), NULL, &d, &err),
                         KHABAR_ERROR_EMPTY);
        assert_null(d);
    }
    assert_int_equal(khabar_analyze(test_analyzer, NULL, 0, NULL, NULL, NULL), KHABAR_ERROR_ARGUMENT);
}

static void size_limit(void **state)
{
    (void)state;
    khabar_options o = {0};
    o.max_bytes = 10;
    khabar_doc *d = NULL;
    khabar_error err;
    assert_int_equal(khabar_analyze(test_analyzer, "عنوان طويل جدا", 25, &o, &d, &err), KHABAR_ERROR_TOO_LARGE);
}

static void title_given_apart(void **state)
{
    (void)state;
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_NO_TITLE;
    o.title = " عنوان ";
    o.title_len = strlen(o.title);
    const char *in = "السطر الأول فقرة.\n";
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, in, strlen(in), &o, &d, NULL), KHABAR_OK);
    assert_span_text(khabar_doc_title(d), "عنوان");
    assert_int_equal(khabar_doc_block_count(d), 1);
    khabar_doc_free(d);
}

static void word_broken_across_lines_is_joined(void **state)
{
    (void)state;
    const char *in = "عنوان\n\nأعلنت الحكو\nمة عن خطة جديدة.\n";
    khabar_doc *d = analyze_ok(in, 0);
    assert_int_equal(khabar_doc_block_count(d), 1);
    assert_span_text(&khabar_doc_block(d, 0)->span, "أعلنت الحكومة عن خطة جديدة.");
    assert_int_equal(count_repairs(d, KHABAR_REPAIR_JOINED_WORD), 1);
    const khabar_repair *r = khabar_doc_repair(d, 0);
    assert_span_text(&r->span, "الحكومة");
    assert_memory_equal(in + r->span.start, "الحكو\nمة", r->span.end - r->span.start);
    khabar_doc_free(d);
}

static void words_on_both_sides_of_a_break_stay_apart(void **state)
{
    (void)state;
    /* Two ordinary words: the break is between them, not inside one. */
    khabar_doc *d = analyze_ok("عنوان\n\nوصل الوفد إلى\nالعاصمة أمس.\nوقال المتحدث إن\nالمحادثات بدأت.\n", 0);
    assert_int_equal(count_repairs(d, KHABAR_REPAIR_JOINED_WORD), 0);
    assert_int_equal(khabar_doc_block_count(d), 4);
    khabar_doc_free(d);
}

static void digits_only_line_is_not_heading(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok("عنوان\n\nفقرة أولى.\n\n3601128929\n\nفقرة ثانية.\n", 0);
    assert_int_equal(khabar_doc_block(d, 1)->kind, KHABAR_BLOCK_PARAGRAPH);
    khabar_doc_free(d);
}

/* Regression (fuzz_analyze): a blank line of white space before a line
 * with an invalid byte left a stale mapping, and the title came out with a
 * broken UTF-8 sequence. */
static void blank_line_leaves_no_mapping(void **state)
{
    (void)state;
    const char in[] = "\t\n\xD9";
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_REPLACE_INVALID;
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, in, 3, &o, &d, NULL), KHABAR_OK);
    assert_span_text(khabar_doc_title(d), "\xEF\xBF\xBD");
    assert_int_equal(khabar_doc_title(d)->start, 2);
    assert_int_equal(khabar_doc_title(d)->end, 3);
    khabar_doc_free(d);
}

/* Regression (fuzz_analyze, UBSan): sentences without a single content
 * word made the duplicate search offset a NULL pointer. */
static void paragraphs_of_punctuation_only(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok("عنوان\n\n... !!\n؟ .\n", 0);
    assert_true(khabar_doc_sentence_count(d) >= 2);
    khabar_doc_free(d);
}

/* Regression (robustness check): one sentence repeated thousands of times
 * made the repeated-sentence search compare and report every pair, quadratic
 * in time and output (198 MB of JSON for 400 KB).  Each sentence now reports
 * only its best earlier match. */
static void repeated_sentence_pairs_stay_linear(void **state)
{
    (void)state;
    const char *line = "قال الوزير إن الحكومة ستبني مدارس جديدة في المدينة الكبيرة هذا العام.\n";
    size_t n = 2000, len = strlen(line);
    char *in = malloc(16 + n * len);
    assert_non_null(in);
    strcpy(in, "عنوان\n\n");
    char *p = in + strlen(in);
    for (size_t i = 0; i < n; i++, p += len) memcpy(p, line, len);
    *p = '\0';
    khabar_doc *d = analyze_ok(in, 0);
    assert_int_equal(khabar_doc_sentence_count(d), n);
    size_t json_len;
    const char *json = khabar_doc_json(d, 0, &json_len);
    size_t pairs = 0;
    for (const char *q = json; (q = strstr(q, "{\"a\":")); q++) pairs++;
    assert_int_equal(pairs, n - 1);
    khabar_doc_free(d);
    free(in);
}

static void doc_free_null_is_noop(void **state)
{
    (void)state;
    khabar_doc_free(NULL);
    khabar_analyzer_free(NULL);
    khabar_model_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(title_and_paragraphs),
        cmocka_unit_test(short_line_between_paragraphs_is_heading),
        cmocka_unit_test(short_line_with_final_stop_is_paragraph),
        cmocka_unit_test(boilerplate_is_removed_and_reported),
        cmocka_unit_test(boilerplate_words_inside_prose_stay),
        cmocka_unit_test(share_and_follow_prompts_are_removed),
        cmocka_unit_test(bom_crlf_and_spaces),
        cmocka_unit_test(every_line_end),
        cmocka_unit_test(paragraph_separator_is_a_blank_line),
        cmocka_unit_test(invalid_utf8_fails_with_offset),
        cmocka_unit_test(invalid_utf8_replaced_on_request),
        cmocka_unit_test(control_characters_dropped),
        cmocka_unit_test(empty_inputs_are_errors),
        cmocka_unit_test(size_limit),
        cmocka_unit_test(title_given_apart),
        cmocka_unit_test(word_broken_across_lines_is_joined),
        cmocka_unit_test(words_on_both_sides_of_a_break_stay_apart),
        cmocka_unit_test(digits_only_line_is_not_heading),
        cmocka_unit_test(blank_line_leaves_no_mapping),
        cmocka_unit_test(paragraphs_of_punctuation_only),
        cmocka_unit_test(repeated_sentence_pairs_stay_linear),
        cmocka_unit_test(doc_free_null_is_noop),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
