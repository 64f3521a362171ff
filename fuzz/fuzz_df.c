/* A user's table of document frequencies (khabar_df_load), as a program
 * that reads one from a file would hand it over, then used by the tags of
 * a short article.  The input is the table's text; its first byte also
 * sets the number of documents. */
#include <string.h>

#include "fuzz.h"

static const char article[] =
    "تقنية جديدة لتعقيم المياه الجوفية\n\n"
    "أعلنت شركة المياه الوطنية أنها بدأت استخدام غاز الأوزون لتعقيم المياه الجوفية في ثلاث مدن.\n"
    "وقال مدير الشركة إن غاز الأوزون يقضي على البكتيريا أسرع من الكلور.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t documents = size ? (uint64_t)data[0] * 1000u : 0;
    khabar_df *df = NULL;
    khabar_error err;
    khabar_status st = khabar_df_load((const char *)data, size, documents, &df, &err);
    if (st != KHABAR_OK) {
        FUZZ_CHECK(st == KHABAR_ERROR_UTF8 && df == NULL && err.offset < size);
        return 0;
    }
    FUZZ_CHECK(khabar_df_documents(df) == documents);
    FUZZ_CHECK(khabar_df_count(df, "مياه", strlen("مياه")) <= documents);
    khabar_options opts = {0};
    opts.df = df;
    khabar_doc *doc = NULL;
    FUZZ_CHECK(khabar_analyze(fuzz_analyzer, article, sizeof article - 1, &opts, &doc, &err) == KHABAR_OK);
    for (size_t i = 0; i < khabar_doc_tag_count(doc); i++) {
        const khabar_tag *t = khabar_doc_tag(doc, i);
        FUZZ_CHECK(t->score >= 0 && t->score <= 1);
    }
    khabar_doc_free(doc);
    khabar_df_free(df);
    return 0;
}
