/* Plain-text articles, as `khabar analyze FILE` reads them: the input is the
 * file's bytes, so a crash file reproduces with the CLI.  An input that is
 * refused as invalid UTF-8 goes again with --replace-invalid's option. */
#include "fuzz.h"

static void analyze(const char *text, size_t len, unsigned flags, unsigned json_flags)
{
    khabar_options opts = {0};
    opts.flags = flags;
    khabar_doc *doc = NULL;
    khabar_error err;
    khabar_status st = khabar_analyze(fuzz_analyzer, text, len, &opts, &doc, &err);
    if (st != KHABAR_OK) {
        FUZZ_CHECK(doc == NULL);
        FUZZ_CHECK(st == KHABAR_ERROR_UTF8 || st == KHABAR_ERROR_EMPTY);
        FUZZ_CHECK(err.code == st);
        FUZZ_CHECK(err.offset <= len);
        if (st == KHABAR_ERROR_UTF8 && !(flags & KHABAR_OPTION_REPLACE_INVALID))
            analyze(text, len, flags | KHABAR_OPTION_REPLACE_INVALID, json_flags);
        return;
    }
    check_doc(doc, len, 0);
    size_t json_len = 0;
    const char *json = khabar_doc_json(doc, json_flags, &json_len);
    check_json(json, json_len);
    khabar_doc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Odd sizes also exercise the indented JSON. */
    unsigned json_flags = KHABAR_JSON_TOKENS | (size & 1 ? KHABAR_JSON_PRETTY : 0u);
    analyze((const char *)data, size, 0, json_flags);
    return 0;
}
