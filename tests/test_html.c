/* HTML pages: the article, its metadata and blocks (khabar_extract), and
 * the analysis of a page (khabar_analyze_page).  The Arabic pages of
 * tests/html wrap real ANT articles in news-site markup
 * (tools/make-html-fixtures.py); each has the fields it must give in
 * NAME.expected.json. */
#include "helpers.h"

#include <jansson.h>

static khabar_page *extract_ok(const char *html, size_t len, const khabar_extract_options *opts)
{
    khabar_page *page = NULL;
    khabar_error err;
    khabar_status st = khabar_extract(html, len, opts, &page, &err);
    if (st != KHABAR_OK) fail_msg("extract failed: %s", err.message);
    return page;
}

static khabar_page *extract_str(const char *html) { return extract_ok(html, strlen(html), NULL); }

static const char *text_of(const khabar_page *page) { return khabar_page_get(page, KHABAR_PAGE_TEXT, NULL); }

static char *read_fixture(const char *name, size_t *len)
{
    char rel[512];
    snprintf(rel, sizeof rel, "tests/html/%s", name);
    return read_source_file(rel, len);
}

static void check_fixture(const char *name)
{
    char file[256];
    size_t len, elen;
    snprintf(file, sizeof file, "%s.html", name);
    char *html = read_fixture(file, &len);
    snprintf(file, sizeof file, "%s.expected.json", name);
    char *expected_text = read_fixture(file, &elen);
    json_t *expected = json_loadb(expected_text, elen, 0, NULL);
    assert_non_null(expected);
    khabar_page *page = extract_ok(html, len, NULL);
    static const struct { const char *key; khabar_page_field field; } fields[] = {
        {"title", KHABAR_PAGE_TITLE}, {"date", KHABAR_PAGE_DATE}, {"author", KHABAR_PAGE_AUTHOR},
        {"lang", KHABAR_PAGE_LANG},   {"url", KHABAR_PAGE_URL},   {"text", KHABAR_PAGE_TEXT}};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *want = json_string_value(json_object_get(expected, fields[i].key));
        const char *got = khabar_page_get(page, fields[i].field, NULL);
        if (!got || strcmp(want, got))
            fail_msg("%s: %s\n want: %s\n got:  %s", name, fields[i].key, want, got ? got : "(none)");
    }
    /* the blocks are the text's paragraphs, in order, at their offsets */
    size_t n = khabar_page_block_count(page);
    assert_true(n > 0);
    const char *text = text_of(page);
    for (size_t i = 0; i < n; i++) {
        const khabar_html_block *b = khabar_page_block(page, i);
        assert_int_equal(b->kind, KHABAR_BLOCK_PARAGRAPH);
        assert_ptr_equal(b->text, text + b->start);
        assert_int_equal(b->end - b->start, b->text_len);
    }
    json_decref(expected);
    khabar_page_free(page);
    free(expected_text);
    free(html);
}

static void fixture_wordpress(void **state) { (void)state; check_fixture("wordpress"); }
static void fixture_br_lines(void **state) { (void)state; check_fixture("br_lines"); }
static void fixture_semantic_jsonld(void **state) { (void)state; check_fixture("semantic_jsonld"); }
static void fixture_bare_markup(void **state) { (void)state; check_fixture("bare_markup"); }
/* windows-1256, declared by <meta http-equiv>: converted and reported */
static void fixture_table_cp1256(void **state)
{
    (void)state;
    check_fixture("table_cp1256");
    size_t len;
    char *html = read_fixture("table_cp1256.html", &len);
    khabar_page *page = extract_ok(html, len, NULL);
    assert_string_equal(khabar_page_get(page, KHABAR_PAGE_ENCODING, NULL), "windows-1256");
    assert_non_null(strstr(khabar_page_json(page, 0, NULL), "\"repairs\":[{\"kind\":\"encoding\",\"text\":\"windows-1256\"}]"));
    khabar_page_free(page);
    free(html);
}

static void block_kinds(void **state)
{
    (void)state;
    khabar_page *page = extract_str(
        "<html><body><nav><a href='/'>الرئيسية</a></nav><article>"
        "<h1>عنوان الخبر الرئيسي</h1>"
        "<p>قال وزير الخارجية في مؤتمر صحفي عقده اليوم، إن المحادثات مع الجانب الآخر تسير بشكل جيد.</p>"
        "<h2>ردود الفعل</h2>"
        "<blockquote><p>نحن ملتزمون بالحوار، ولن نتراجع عن مواقفنا المعلنة في هذا الملف.</p></blockquote>"
        "<ul><li>البند الأول من الاتفاق، ويتعلق بوقف إطلاق النار</li><li>البند الثاني، ويتعلق بتبادل الأسرى</li></ul>"
        "<p>وأضاف أن الجولة المقبلة من المحادثات ستعقد الشهر القادم في العاصمة، بحضور ممثلين عن الطرفين.</p>"
        "</article><footer>جميع الحقوق محفوظة</footer></body></html>");
    static const khabar_block_kind want[] = {KHABAR_BLOCK_PARAGRAPH, KHABAR_BLOCK_HEADING, KHABAR_BLOCK_QUOTE,
                                             KHABAR_BLOCK_LIST_ITEM, KHABAR_BLOCK_LIST_ITEM, KHABAR_BLOCK_PARAGRAPH};
    assert_int_equal(khabar_page_block_count(page), sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) assert_int_equal(khabar_page_block(page, i)->kind, want[i]);
    assert_null(khabar_page_block(page, 6));
    /* the headline is the title, not a block; the menu and footer are gone */
    assert_string_equal(khabar_page_get(page, KHABAR_PAGE_TITLE, NULL), "عنوان الخبر الرئيسي");
    assert_null(strstr(text_of(page), "عنوان الخبر"));
    assert_null(strstr(text_of(page), "الرئيسية"));
    assert_null(strstr(text_of(page), "محفوظة"));
    assert_non_null(strstr(text_of(page), "ردود الفعل\n\nنحن ملتزمون"));
    const char *json = khabar_page_json(page, 0, NULL);
    assert_non_null(strstr(json, "\"kind\":\"list_item\""));
    assert_non_null(strstr(json, "\"author\":null"));
    khabar_page_free(page);
}

/* What sites put around an article: none of it is text. */
static void junk_left_out(void **state)
{
    (void)state;
    const char *body = "<p>وقال رئيس البلدية إن أشغال تهيئة الطريق الرابطة بين المدينتين ستنطلق خلال الأسبوع المقبل، "
                       "وإن كلفتها تقدر بنحو مليوني دينار.</p><p>وأضاف أن المشروع سيخفف حركة المرور في وسط المدينة، "
                       "خاصة في أوقات الذروة صباحا ومساء.</p>";
    char html[8192];
    snprintf(html, sizeof html,
             "<html><head><style>p{color:red}</style><script>var s='كود';</script></head><body>"
             "<div class='cookie-banner'>نستخدم ملفات تعريف الارتباط لتحسين تجربتك على موقعنا الإلكتروني</div>"
             "<div class='article-body'>%s<div class='social-share'>شارك على فيسبوك وتويتر وواتساب</div>"
             "<p>اقرأ أيضا:</p><p style='display:none'>نص مخفي لا يظهر للقارئ مهما كان طويلا ومليئا بالكلمات</p>"
             "<figure><img src='a.jpg'><figcaption>صورة أرشيفية للطريق (وكالات)</figcaption></figure></div>"
             "<div id='comments'><p>تعليق طويل من أحد القراء يقول فيه إن المشروع تأخر كثيرا، وإن السكان انتظروه سنوات طويلة.</p></div>"
             "<aside><h3>الأكثر قراءة</h3><ul><li><a href='/1'>خبر أول</a></li></ul></aside></body></html>",
             body);
    khabar_page *page = extract_str(html);
    const char *t = text_of(page);
    static const char *const absent[] = {"كود", "color", "ملفات تعريف", "شارك", "اقرأ أيضا", "مخفي", "أرشيفية", "تعليق", "الأكثر"};
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
        if (strstr(t, absent[i])) fail_msg("'%s' is in the text: %s", absent[i], t);
    assert_non_null(strstr(t, "مليوني دينار.\n\nوأضاف"));
    assert_int_equal(khabar_page_block_count(page), 2);
    khabar_page_free(page);
}

static const char *date_of_byline(const char *byline, char *out)
{
    char html[2048];
    snprintf(html, sizeof html,
             "<html><body><h1>عنوان</h1><div class='post-date'>%s</div><div class='content'><p>نص الخبر الذي يكفي "
             "ليكون فقرة من فقرات مقال، فيه فواصل، وكلمات كثيرة.</p></div></body></html>",
             byline);
    khabar_page *page = extract_str(html);
    const char *d = khabar_page_get(page, KHABAR_PAGE_DATE, NULL);
    snprintf(out, 32, "%s", d ? d : "");
    khabar_page_free(page);
    return out;
}

static void bylines(void **state)
{
    (void)state;
    char d[32];
    assert_string_equal(date_of_byline("نشر في 12 يوليو 2021", d), "2021-07-12");
    assert_string_equal(date_of_byline("الإثنين ١٢ تموز ٢٠٢١ - ١٠:٣٠", d), "2021-07-12");
    assert_string_equal(date_of_byline("تاريخ النشر: 03/02/2019", d), "2019-02-03");
    assert_string_equal(date_of_byline("آخر تحديث: 2019-02-03 14:05", d), "2019-02-03T14:05:00");
    assert_string_equal(date_of_byline("Published July 12, 2021", d), "2021-07-12");
    assert_string_equal(date_of_byline("20 تشرين الثاني 2018", d), "2018-11-20");
    assert_string_equal(date_of_byline("السبت 20 أوت 2016", d), "2016-08-20");
    /* no such day: no date */
    assert_string_equal(date_of_byline("نشر في 30 فبراير 2021", d), "");
    assert_string_equal(date_of_byline("منذ ساعتين", d), "");
}

/* The author and date of a page whose byline stands apart from the title,
 * in an element neither named for a date nor near the headline: its lead
 * (data/html.txt's BYLINE) goes, and only a date line's word (DATELINE)
 * makes its date the page's. */
static void page_of_byline(const char *author_line, const char *date_line, char *author, char *date)
{
    static const char para[] = "<p>نص الخبر الذي يكفي ليكون فقرة من فقرات مقال، فيه فواصل، وكلمات كثيرة.</p>";
    char html[4096];
    snprintf(html, sizeof html,
             "<html><body><h1>عنوان</h1><div class='x'>%s</div><div>%s</div><div>%s</div><div>%s</div>"
             "<div class='content'>%s%s</div><span class='author'>%s</span><div>%s</div></body></html>",
             para, para, para, para, para, para, author_line, date_line);
    khabar_page *page = extract_str(html);
    const char *a = khabar_page_get(page, KHABAR_PAGE_AUTHOR, NULL), *d = khabar_page_get(page, KHABAR_PAGE_DATE, NULL);
    snprintf(author, 64, "%s", a ? a : "");
    snprintf(date, 32, "%s", d ? d : "");
    khabar_page_free(page);
}

static void byline_leads_and_date_lines(void **state)
{
    (void)state;
    static const struct {
        const char *author_line, *date_line, *author, *date;
    } cases[] = {
        {"كتبت: سارة علي", "نشر في 12 يوليو 2021", "سارة علي", "2021-07-12"},
        {"By Jane Doe", "Updated July 12, 2021", "Jane Doe", "2021-07-12"},
        {"إعداد سارة علي", "محدث 12 كانون الأول 2021", "سارة علي", "2021-12-12"},
        /* a date with no word of a date line, away from the title: not the page's */
        {"بقلم سارة علي", "12 يوليو 2021", "سارة علي", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char a[64], d[32];
        page_of_byline(cases[i].author_line, cases[i].date_line, a, d);
        assert_string_equal(a, cases[i].author);
        assert_string_equal(d, cases[i].date);
    }
}

static void metadata_sources(void **state)
{
    (void)state;
    khabar_page *page = extract_str(
        "<html lang='ar-TN'><head><title>خبر مهم جدا للقراء | موقع الأخبار</title>"
        "<meta property='article:published_time' content='2020-05-04T08:15:00Z'>"
        "<meta name='author' content='https://example.com/author/1'>"
        "<meta name='byl' content='By Jane Doe'>"
        "<link rel='canonical' href='https://example.com/news/1'></head>"
        "<body><div><p>نص الخبر الذي يكفي ليكون فقرة من فقرات مقال، فيه فواصل، وكلمات كثيرة جدا.</p></div></body></html>");
    assert_string_equal(khabar_page_get(page, KHABAR_PAGE_TITLE, NULL), "خبر مهم جدا للقراء");
    assert_string_equal(khabar_page_get(page, KHABAR_PAGE_DATE, NULL), "2020-05-04T08:15:00Z");
    assert_string_equal(khabar_page_get(page, KHABAR_PAGE_AUTHOR, NULL), "Jane Doe");
    assert_string_equal(khabar_page_get(page, KHABAR_PAGE_LANG, NULL), "ar-TN");
    assert_string_equal(khabar_page_get(page, KHABAR_PAGE_URL, NULL), "https://example.com/news/1");
    assert_null(khabar_page_get(page, KHABAR_PAGE_ENCODING, NULL));
    size_t n = 7;
    assert_null(khabar_page_get(page, KHABAR_PAGE_FIELD_COUNT, &n));
    assert_int_equal(n, 0);
    khabar_page_free(page);
}

/* A canonical address from the site's root is resolved against the page's. */
static void relative_canonical(void **state)
{
    (void)state;
    const char *html = "<html><head><link rel='canonical' href='/ar/article/12'></head><body><p>نص</p></body></html>";
    khabar_extract_options o = {.url = "https://www.example.tn/ar/list?page=2"};
    khabar_page *page = extract_ok(html, strlen(html), &o);
    assert_string_equal(khabar_page_get(page, KHABAR_PAGE_URL, NULL), "https://www.example.tn/ar/article/12");
    khabar_page_free(page);
    page = extract_str(html);
    assert_string_equal(khabar_page_get(page, KHABAR_PAGE_URL, NULL), "/ar/article/12");
    khabar_page_free(page);
}

static void odd_input(void **state)
{
    (void)state;
    /* nothing, text that is no HTML, broken markup: pages, never errors */
    static const char *const inputs[] = {"", "   ", "نص عادي بلا وسوم", "<<<>>><p<div", "<html><body></body>",
                                         "<script>never closed", "<!-- only a comment -->", "&amp;&#1575;&#x0627;"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        khabar_page *page = extract_str(inputs[i]);
        assert_non_null(text_of(page));
        assert_non_null(khabar_page_json(page, KHABAR_JSON_PRETTY, NULL));
        khabar_page_free(page);
    }
    /* NUL bytes inside a page */
    static const char nul[] = "<p>أ\0ب</p>";
    khabar_page *page = extract_ok(nul, sizeof nul - 1, NULL);
    khabar_page_free(page);
    /* deep nesting */
    static const char leaf[] = "نص في العمق، بفواصل، وكلمات كافية لفقرة.";
    size_t depth = 20000;
    char *deep = malloc(depth * 5 + sizeof leaf);
    assert_non_null(deep);
    size_t k = 0;
    for (size_t i = 0; i < depth; i++) { memcpy(deep + k, "<div>", 5); k += 5; }
    memcpy(deep + k, leaf, sizeof leaf);
    k += sizeof leaf - 1;
    page = extract_ok(deep, k, NULL);
    khabar_page_free(page);
    free(deep);
}

static void errors(void **state)
{
    (void)state;
    khabar_page *page = (khabar_page *)1;
    khabar_error err;
    khabar_extract_options o = {.max_bytes = 10};
    assert_int_equal(khabar_extract("<p>more than ten bytes</p>", 26, &o, &page, &err), KHABAR_ERROR_TOO_LARGE);
    assert_null(page);
    assert_int_equal(khabar_extract(NULL, 3, NULL, &page, &err), KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_extract("x", 1, NULL, NULL, NULL), KHABAR_ERROR_ARGUMENT);
    khabar_page_free(NULL);
    assert_int_equal(khabar_page_block_count(NULL), 0);
    assert_null(khabar_page_json(NULL, 0, NULL));
}

/* The page's date is the article's: أمس is the day before it. */
static void analyze_page_dates(void **state)
{
    (void)state;
    khabar_page *page = extract_str(
        "<html><head><meta property='article:published_time' content='2021-07-12T09:00:00+01:00'>"
        "<meta name='author' content='سالم عيسى'></head><body><h1>افتتاح المستشفى الجديد</h1><div class='article-body'>"
        "<p>افتتح وزير الصحة أمس المستشفى الجهوي الجديد بحضور عدد من المسؤولين، وأكد أن الخدمات ستبدأ فورا.</p>"
        "</div></body></html>");
    khabar_doc *doc;
    khabar_error err;
    assert_int_equal(khabar_analyze_page(test_analyzer, page, NULL, &doc, &err), KHABAR_OK);
    const char *json = khabar_doc_json(doc, 0, NULL);
    assert_non_null(strstr(json, "\"date\":\"2021-07-12T09:00:00+01:00\""));
    assert_non_null(strstr(json, "\"author\":\"سالم عيسى\""));
    assert_non_null(strstr(json, "\"title\":\"افتتاح المستشفى الجديد\""));
    assert_non_null(strstr(json, "\"value\":\"2021-07-11\""));
    /* offsets point into the page's text */
    const khabar_sentence *s = khabar_doc_sentence(doc, 0);
    const char *text = text_of(page);
    assert_memory_equal(s->span.text, text + s->span.start, s->span.text_len);
    khabar_doc_free(doc);
    khabar_page_free(page);
    /* a page without article text */
    page = extract_str("<html><body><nav><a href='/'>home</a></nav></body></html>");
    assert_int_equal(khabar_analyze_page(test_analyzer, page, NULL, &doc, &err), KHABAR_ERROR_EMPTY);
    assert_null(doc);
    khabar_page_free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_wordpress),  cmocka_unit_test(fixture_br_lines),
        cmocka_unit_test(fixture_semantic_jsonld), cmocka_unit_test(fixture_bare_markup),
        cmocka_unit_test(fixture_table_cp1256),
        cmocka_unit_test(block_kinds),        cmocka_unit_test(junk_left_out),
        cmocka_unit_test(bylines), cmocka_unit_test(byline_leads_and_date_lines),            cmocka_unit_test(metadata_sources),
        cmocka_unit_test(relative_canonical), cmocka_unit_test(odd_input),          cmocka_unit_test(errors),
        cmocka_unit_test(analyze_page_dates),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
