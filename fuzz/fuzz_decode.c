/* khabar_decode on any bytes, detected and named: the status is one the
 * API promises, a result is NUL-terminated valid UTF-8 with its encoding
 * named, UTF-8 input comes back as it was, an offset lies in the input, and
 * the converted text analyses with the encoding repair spanning it. */
#include <string.h>

#include "kh.h"
#include "fuzz.h"

static void decode(const char *data, size_t len, const char *named)
{
    char *out = NULL;
    size_t out_len = 0;
    const char *used = NULL;
    khabar_error err;
    khabar_status st = khabar_decode(data, len, named, &out, &out_len, &used, &err);
    if (st != KHABAR_OK) {
        FUZZ_CHECK(st == KHABAR_ERROR_ENCODING || (!named && st == KHABAR_ERROR_UTF8));
        FUZZ_CHECK(out == NULL && out_len == 0 && used == NULL);
        FUZZ_CHECK(err.code == st && err.offset <= len);
        if (st == KHABAR_ERROR_UTF8) FUZZ_CHECK(err.offset == kh_utf8_check(data, len));
        return;
    }
    FUZZ_CHECK(out != NULL && used != NULL);
    FUZZ_CHECK(out[out_len] == '\0');
    FUZZ_CHECK(kh_utf8_check(out, out_len) == out_len);
    FUZZ_CHECK(out_len < 3 || memcmp(out, "\xEF\xBB\xBF", 3)); /* the mark removed */
    int has_mark = len >= 2 && (!memcmp(data, "\xFF\xFE", 2) || !memcmp(data, "\xFE\xFF", 2) ||
                                (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)));
    if (!named && !has_mark && !memchr(data, 0, len) && kh_utf8_check(data, len) == len) {
        FUZZ_CHECK(!strcmp(used, "utf-8"));
        FUZZ_CHECK(out_len == len && !memcmp(out, data, len));
    }
    if (out_len <= 4096) {
        khabar_options opts = {0};
        opts.source_encoding = used;
        khabar_doc *doc;
        if (khabar_analyze(fuzz_analyzer, out, out_len, &opts, &doc, &err) == KHABAR_OK) {
            check_doc(doc, out_len, 0);
            if (strcmp(used, "utf-8")) {
                const khabar_repair *r = khabar_doc_repair(doc, 0);
                FUZZ_CHECK(r && r->kind == KHABAR_REPAIR_ENCODING);
                FUZZ_CHECK(r->span.start == 0 && r->span.end == out_len);
                FUZZ_CHECK(r->span.text_len == strlen(used) && !memcmp(r->span.text, used, r->span.text_len));
            }
            size_t json_len;
            check_json(khabar_doc_json(doc, 0, &json_len), json_len);
            khabar_doc_free(doc);
        }
    }
    khabar_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {NULL, "windows-1256", "iso-8859-6", "utf-16le", "UTF-16", "utf-8"};
    if (size < 1 || size > 8192) return 0;
    /* The first byte picks the encoding named (or none); the rest is the text. */
    decode((const char *)data + 1, size - 1, names[data[0] % (sizeof names / sizeof *names)]);
    return 0;
}
