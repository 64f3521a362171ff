/* HTML pages, as `khabar extract` and `khabar analyze --html` read them: the
 * input is the page's bytes.  Any bytes give a page (or an encoding or size
 * error); the page's blocks lie inside its text, in order; its JSON is
 * valid; and its article analyses like any text. */
#include <string.h>

#include "kh.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    khabar_page *page = NULL;
    khabar_error err;
    khabar_status st = khabar_extract((const char *)data, size, NULL, &page, &err);
    if (st != KHABAR_OK) {
        FUZZ_CHECK(page == NULL);
        FUZZ_CHECK(st == KHABAR_ERROR_ENCODING || st == KHABAR_ERROR_UTF8 || st == KHABAR_ERROR_TOO_LARGE ||
                   st == KHABAR_ERROR_MEMORY);
        return 0;
    }
    size_t text_len;
    const char *text = khabar_page_get(page, KHABAR_PAGE_TEXT, &text_len);
    FUZZ_CHECK(text != NULL && strlen(text) == text_len);
    FUZZ_CHECK(kh_utf8_check(text, text_len) == text_len);
    size_t end = 0;
    for (size_t i = 0; i < khabar_page_block_count(page); i++) {
        const khabar_html_block *b = khabar_page_block(page, i);
        FUZZ_CHECK(b->start >= end && b->end <= text_len && b->end - b->start == b->text_len);
        FUZZ_CHECK(b->text == text + b->start && b->text_len > 0);
        end = b->end;
    }
    for (int f = 0; f < KHABAR_PAGE_FIELD_COUNT; f++) {
        size_t n;
        const char *v = khabar_page_get(page, (khabar_page_field)f, &n);
        FUZZ_CHECK(!v || (strlen(v) == n && kh_utf8_check(v, n) == n));
    }
    size_t json_len = 0;
    const char *json = khabar_page_json(page, 0, &json_len);
    check_json(json, json_len);
    khabar_doc *doc = NULL;
    st = khabar_analyze_page(fuzz_analyzer, page, NULL, &doc, &err);
    FUZZ_CHECK(st == KHABAR_OK || st == KHABAR_ERROR_EMPTY);
    if (doc) {
        check_doc(doc, text_len, khabar_page_get(page, KHABAR_PAGE_TITLE, NULL) != NULL);
        json = khabar_doc_json(doc, 0, &json_len);
        check_json(json, json_len);
    }
    khabar_doc_free(doc);
    khabar_page_free(page);
    return 0;
}
