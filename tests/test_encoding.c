/* khabar_decode: byte-order marks, UTF-16 both ways, Windows-1256 and
 * ISO-8859-6 told apart, named encodings right and wrong, and the encoding
 * repair in the doc. */
#include <iconv.h>

#include "helpers.h"

static const char SENTENCE[] =
    "قال وزير الخارجية في مؤتمر صحفي اليوم إن المفاوضات ستستأنف الأسبوع المقبل في تونس";

/* text (UTF-8) in `encoding`, by iconv: malloc'd, length in *len. */
static char *encode(const char *text, const char *encoding, size_t *len)
{
    iconv_t cd = iconv_open(encoding, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t in_left = strlen(text), cap = 4 * in_left + 8, out_left = cap;
    char *out = malloc(cap), *o = out, *in = (char *)(uintptr_t)text;
    assert_non_null(out);
    assert_true(iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1);
    iconv_close(cd);
    *len = cap - out_left;
    return out;
}

/* Decodes and expects `want` read as `want_used`. */
static void decodes(const char *data, size_t len, const char *named, const char *want,
                    const char *want_used)
{
    char *out = NULL;
    size_t n = 99;
    const char *used = NULL;
    khabar_error err;
    khabar_status st = khabar_decode(data, len, named, &out, &n, &used, &err);
    if (st) fprintf(stderr, "khabar_decode: %s\n", err.message);
    assert_int_equal(st, KHABAR_OK);
    assert_int_equal(n, strlen(want));
    assert_string_equal(out, want);
    assert_string_equal(used, want_used);
    khabar_free(out);
}

/* Encodes SENTENCE-like text, then expects it detected and read back. */
static void detects(const char *text, const char *encoding)
{
    size_t len;
    char *data = encode(text, encoding, &len);
    decodes(data, len, NULL, text, encoding);
    free(data);
}

static void fails(const char *data, size_t len, const char *named, khabar_status want,
                  size_t offset)
{
    char *out = (char *)1;
    size_t n = 99;
    const char *used = "x";
    khabar_error err;
    assert_int_equal(khabar_decode(data, len, named, &out, &n, &used, &err), want);
    assert_int_equal(err.code, want);
    assert_int_equal(err.offset, offset);
    assert_null(out);
    assert_int_equal(n, 0);
    assert_null(used);
}

static void utf8_passes_through(void **state)
{
    (void)state;
    decodes(SENTENCE, strlen(SENTENCE), NULL, SENTENCE, "utf-8");
    decodes("plain ASCII", 11, NULL, "plain ASCII", "utf-8");
    decodes(SENTENCE, strlen(SENTENCE), "UTF-8", SENTENCE, "utf-8");
}

static void empty_input(void **state)
{
    (void)state;
    decodes("", 0, NULL, "", "utf-8");
    decodes(NULL, 0, NULL, "", "utf-8");
    decodes(NULL, 0, "windows-1256", "", "windows-1256");
}

static void byte_order_marks(void **state)
{
    (void)state;
    decodes("\xEF\xBB\xBFمن", 7, NULL, "من", "utf-8");
    decodes("\xEF\xBB\xBF", 3, NULL, "", "utf-8");
    /* من in UTF-16: U+0645 U+0646 */
    decodes("\xFF\xFE\x45\x06\x46\x06", 6, NULL, "من", "utf-16le");
    decodes("\xFE\xFF\x06\x45\x06\x46", 6, NULL, "من", "utf-16be");
    /* A mark the named encoding keeps as a character is removed too. */
    decodes("\xFF\xFE\x45\x06\x46\x06", 6, "UTF-16LE", "من", "utf-16le");
    decodes("\xEF\xBB\xBFمن", 7, "utf-8", "من", "utf-8");
    /* A UTF-8 mark followed by bytes that are not UTF-8: they do not fit. */
    fails("\xEF\xBB\xBF\xE3\xE4", 5, NULL, KHABAR_ERROR_ENCODING, 3);
    /* Half a UTF-16 code unit at the end. */
    fails("\xFF\xFE\x45\x06\x46", 5, NULL, KHABAR_ERROR_ENCODING, 4);
}

static void utf16_without_a_mark(void **state)
{
    (void)state;
    detects(SENTENCE, "utf-16le");
    detects(SENTENCE, "utf-16be");
    /* Wholly bytes below 0x80 (valid UTF-8), yet UTF-16: */
    size_t len;
    char *data = encode("من هو", "UTF-16LE", &len);
    for (size_t i = 0; i < len; i++) assert_true((unsigned char)data[i] < 0x80);
    decodes(data, len, NULL, "من هو", "utf-16le");
    free(data);
}

static void arabic_single_byte_encodings(void **state)
{
    (void)state;
    detects(SENTENCE, "windows-1256");
    detects(SENTENCE, "iso-8859-6");
    detects("الحكومة التونسية تعلن عن خطة جديدة للتشغيل", "windows-1256");
    detects("الحكومة التونسية تعلن عن خطة جديدة للتشغيل", "iso-8859-6");
    /* By hand, not by iconv: كتاب in Windows-1256 (ISO-8859-6 has no 0xDF,
     * which uchardet alone reads as ISO-8859-7). */
    decodes("\xDF\xCA\xC7\xC8", 4, NULL, "كتاب", "windows-1256");
    /* ISO-8859-6 وزير: waw 0xE8 and yeh 0xEA are è and ê in Windows-1256. */
    decodes("\xE8\xD2\xEA\xD1 \xC7\xE4\xCE\xC7\xD1\xCC\xEA\xC9", 13, NULL, "وزير الخارجية",
            "iso-8859-6");
}

static void latin_text_is_not_taken_for_arabic(void **state)
{
    (void)state;
    detects("Le président a déclaré à la télévision qu'il était très inquiet de la "
            "situation économique. « Nous ferons mieux », a-t-il ajouté.",
            "windows-1252");
}

static void doubt_names_the_encodings_and_the_option(void **state)
{
    (void)state;
    /* من in Windows-1256 is كل in ISO-8859-6: either may be meant. */
    char *out;
    size_t n;
    khabar_error err;
    assert_int_equal(khabar_decode("\xE3\xE4", 2, NULL, &out, &n, NULL, &err), KHABAR_ERROR_ENCODING);
    assert_non_null(strstr(err.message, "windows-1256"));
    assert_non_null(strstr(err.message, "iso-8859-6"));
    assert_non_null(strstr(err.message, "--encoding"));
    assert_string_equal(khabar_status_name(err.code), "invalid_encoding");
    /* Named, it reads either way. */
    decodes("\xE3\xE4", 2, "windows-1256", "من", "windows-1256");
    decodes("\xE3\xE4", 2, "ISO-8859-6", "كل", "iso-8859-6");
}

static void named_encoding_that_does_not_fit(void **state)
{
    (void)state;
    /* في in Windows-1256 is DD ED: 0xDD is no character of ISO-8859-6. */
    fails("\xC8 \xDD\xED", 4, "iso-8859-6", KHABAR_ERROR_ENCODING, 2);
    /* Windows-1256 named as UTF-8. */
    fails("ab\xE3\xE4", 4, "utf-8", KHABAR_ERROR_ENCODING, 2);
}

static void invalid_arguments(void **state)
{
    (void)state;
    fails("abc", 3, "no-such-encoding", KHABAR_ERROR_ARGUMENT, 0);
    fails("abc", 3, "", KHABAR_ERROR_ARGUMENT, 0);
    fails(NULL, 3, NULL, KHABAR_ERROR_ARGUMENT, 0);
    size_t n;
    assert_int_equal(khabar_decode("a", 1, NULL, NULL, &n, NULL, NULL), KHABAR_ERROR_ARGUMENT);
    char *out;
    assert_int_equal(khabar_decode("a", 1, NULL, &out, NULL, NULL, NULL), KHABAR_ERROR_ARGUMENT);
    khabar_free(NULL);
}

static void damaged_utf8_is_not_another_encoding(void **state)
{
    (void)state;
    char text[512];
    size_t n = (size_t)snprintf(text, sizeof text, "%s\xFF%s", SENTENCE, SENTENCE);
    fails(text, n, NULL, KHABAR_ERROR_UTF8, strlen(SENTENCE));
    /* A stray byte in ASCII tells no encoding (regression: tests/spec/records). */
    fails("abc \xC3(", 6, NULL, KHABAR_ERROR_UTF8, 4);
}

static void the_doc_carries_an_encoding_repair(void **state)
{
    (void)state;
    khabar_options o = {0};
    o.source_encoding = "windows-1256";
    khabar_doc *doc;
    khabar_error err;
    assert_int_equal(khabar_analyze(test_analyzer, SENTENCE, strlen(SENTENCE), &o, &doc, &err), KHABAR_OK);
    assert_true(khabar_doc_repair_count(doc) >= 1);
    const khabar_repair *r = khabar_doc_repair(doc, 0);
    assert_int_equal(r->kind, KHABAR_REPAIR_ENCODING);
    assert_int_equal(r->span.text_len, strlen("windows-1256"));
    assert_memory_equal(r->span.text, "windows-1256", r->span.text_len);
    assert_int_equal(r->span.start, 0);
    assert_int_equal(r->span.end, strlen(SENTENCE));
    const char *json = khabar_doc_json(doc, 0, NULL);
    assert_non_null(strstr(json, "{\"kind\":\"encoding\",\"text\":\"windows-1256\",\"start\":0,"));
    khabar_doc_free(doc);
    /* UTF-8 (or none) is no repair. */
    o.source_encoding = "utf-8";
    assert_int_equal(khabar_analyze(test_analyzer, SENTENCE, strlen(SENTENCE), &o, &doc, &err), KHABAR_OK);
    assert_int_equal(khabar_doc_repair_count(doc), 0);
    khabar_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_passes_through),
        cmocka_unit_test(empty_input),
        cmocka_unit_test(byte_order_marks),
        cmocka_unit_test(utf16_without_a_mark),
        cmocka_unit_test(arabic_single_byte_encodings),
        cmocka_unit_test(latin_text_is_not_taken_for_arabic),
        cmocka_unit_test(doubt_names_the_encodings_and_the_option),
        cmocka_unit_test(named_encoding_that_does_not_fit),
        cmocka_unit_test(invalid_arguments),
        cmocka_unit_test(damaged_utf8_is_not_another_encoding),
        cmocka_unit_test(the_doc_carries_an_encoding_repair),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
