/* The README's example: an article's sentences, entities and quotes through
 * the public API.  Build it against the installed library:
 *     cc example.c $(pkg-config --cflags --libs khabar) -o example
 *     ./example article.txt */
#include <stdio.h>
#include <stdlib.h>

#include <khabar.h>

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: example FILE\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);

    khabar_model *model;                  /* built-in lexicons; load once, share between threads */
    khabar_analyzer *an;                  /* scratch space and caches: one per thread */
    khabar_doc *doc;
    khabar_error err;
    if (khabar_model_new(&model, &err) || khabar_analyzer_new(model, &an, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    int rc = 0;
    if (khabar_analyze(an, text, len, NULL, &doc, &err) == KHABAR_OK) {
        for (size_t i = 0; i < khabar_doc_sentence_count(doc); i++) {
            const khabar_sentence *s = khabar_doc_sentence(doc, i); /* borrowed from doc */
            printf("%zu-%zu %.*s\n", s->span.start, s->span.end, (int)s->span.text_len, s->span.text);
        }
        for (size_t i = 0; i < khabar_doc_entity_count(doc); i++) {
            const khabar_entity *e = khabar_doc_entity(doc, i);
            printf("%s %s (%s)\n", khabar_entity_type_name(e->type), e->name, e->en ? e->en : "-");
        }
        for (size_t i = 0; i < khabar_doc_quote_count(doc); i++) {
            const khabar_quote *q = khabar_doc_quote(doc, i);
            printf("quote by %.*s: %.*s\n", (int)q->speaker.text_len, q->speaker.text ? q->speaker.text : "",
                   (int)q->text.text_len, q->text.text);
        }
        khabar_doc_free(doc);
    } else {
        fprintf(stderr, "%s at byte %zu\n", err.message, err.offset);
        rc = 1;
    }
    khabar_analyzer_free(an);
    khabar_model_free(model);
    return rc;
}
