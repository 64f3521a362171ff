/* JSON-lines records, as `khabar analyze --jsonl` reads each line: the input
 * is the line (a crash file reproduces with the CLI when it holds no
 * newline).  A failed record must still give a valid error record. */
#include <string.h>

#include "kh.h"
#include "fuzz.h"

static void record(const char *line, size_t len, unsigned flags)
{
    khabar_options opts = {0};
    opts.flags = flags;
    khabar_doc *doc = NULL;
    khabar_error err;
    khabar_status st = khabar_analyze_record(fuzz_analyzer, line, len, &opts, &doc, &err);
    if (st != KHABAR_OK) {
        FUZZ_CHECK(doc == NULL);
        FUZZ_CHECK(err.code == st);
        FUZZ_CHECK(st != KHABAR_ERROR_ARGUMENT && st != KHABAR_ERROR_SPACE && st != KHABAR_ERROR_DATA);
        size_t elen = 0;
        const char *rec = khabar_record_error_json(fuzz_analyzer, &err, 7, &elen);
        check_json(rec, elen);
        FUZZ_CHECK(strstr(rec, "\"line\":7") != NULL);
        if (st == KHABAR_ERROR_UTF8 && !(flags & KHABAR_OPTION_REPLACE_INVALID))
            record(line, len, flags | KHABAR_OPTION_REPLACE_INVALID);
        return;
    }
    /* Offsets point into the record's text after JSON unescaping. */
    size_t text_len = SIZE_MAX;
    int title_given = 0;
    json_error_t jerr;
    json_t *root = kh_utf8_check(line, len) == len ? json_loadb(line, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr) : NULL;
    json_t *text = json_object_get(root, "text");
    json_t *title = json_object_get(root, "title");
    if (json_is_string(text)) text_len = json_string_length(text);
    title_given = json_is_string(title) && json_string_length(title) > 0;
    json_decref(root);
    check_doc(doc, text_len, title_given);
    size_t json_len = 0;
    const char *json = khabar_doc_json(doc, KHABAR_JSON_TOKENS, &json_len);
    check_json(json, json_len);
    khabar_doc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    record((const char *)data, size, 0);
    return 0;
}
