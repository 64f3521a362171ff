/* Shared by the libFuzzer targets: one model and analyzer for the whole run
 * (as the CLI keeps one for a whole stream), and checks of what the public
 * API promises about every result.  A broken promise aborts, which
 * libFuzzer reports as a crash with the input that caused it. */
#ifndef KHABAR_FUZZ_H
#define KHABAR_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "khabar.h"

static khabar_model *fuzz_model;
static khabar_analyzer *fuzz_analyzer;

/* A failed check: say which and abort so that libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "fuzz check failed at %s:%d: %s\n", __FILE__,     \
                    __LINE__, #cond);                                         \
            abort();                                                          \
        }                                                                     \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    khabar_error err;
    if (khabar_model_new(&fuzz_model, &err) != KHABAR_OK ||
        khabar_analyzer_new(fuzz_model, &fuzz_analyzer, &err) != KHABAR_OK) {
        fprintf(stderr, "fuzz: cannot set up: %s\n", err.message);
        abort();
    }
    return 0;
}

static inline void check_span(const khabar_span *s, size_t input_len)
{
    FUZZ_CHECK(s->start <= s->end);
    FUZZ_CHECK(s->end <= input_len);
    FUZZ_CHECK(s->text != NULL || s->text_len == 0);
}

/* Every index the doc hands out stays in range, every offset inside the
 * input (`input_len` bytes; SIZE_MAX when the caller does not know it). */
static inline void check_doc(const khabar_doc *doc, size_t input_len, int title_given)
{
    size_t blocks = khabar_doc_block_count(doc);
    size_t sentences = khabar_doc_sentence_count(doc);
    size_t tokens = khabar_doc_token_count(doc);
    const khabar_span *title = khabar_doc_title(doc);
    if (title && !title_given) check_span(title, input_len);
    for (size_t i = 0; i < blocks; i++) {
        const khabar_block *b = khabar_doc_block(doc, i);
        FUZZ_CHECK(b != NULL);
        check_span(&b->span, input_len);
        FUZZ_CHECK(b->first_sentence <= sentences);
        FUZZ_CHECK(b->sentence_count <= sentences - b->first_sentence);
    }
    FUZZ_CHECK(khabar_doc_block(doc, blocks) == NULL);
    for (size_t i = 0; i < sentences; i++) {
        const khabar_sentence *s = khabar_doc_sentence(doc, i);
        FUZZ_CHECK(s != NULL);
        check_span(&s->span, input_len);
        FUZZ_CHECK(s->block < blocks);
        FUZZ_CHECK(s->first_token <= tokens);
        FUZZ_CHECK(s->token_count <= tokens - s->first_token);
    }
    for (size_t i = 0; i < tokens; i++) {
        const khabar_token *t = khabar_doc_token(doc, i);
        FUZZ_CHECK(t != NULL);
        /* Title tokens have no input span when the title came apart from the text. */
        if (!(title_given && t->block < 0)) check_span(&t->span, input_len);
        FUZZ_CHECK(t->span.text_len > 0);
        FUZZ_CHECK(t->norm && t->stem && t->segments);
        FUZZ_CHECK(t->block >= -1 && t->block < (long)blocks);
        FUZZ_CHECK(t->sentence >= -1 && t->sentence < (long)sentences);
    }
    for (size_t i = 0; i < khabar_doc_repair_count(doc); i++) {
        const khabar_repair *r = khabar_doc_repair(doc, i);
        FUZZ_CHECK(r != NULL);
        check_span(&r->span, input_len);
    }
}

/* The rendered JSON must parse, as one object, and be valid UTF-8 (the
 * parser checks that too). */
static inline void check_json(const char *json, size_t len)
{
    FUZZ_CHECK(json != NULL);
    FUZZ_CHECK(json[len] == '\0');
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_ALLOW_NUL, &jerr);
    if (!root) fprintf(stderr, "fuzz: bad JSON at %d: %s\n", jerr.position, jerr.text);
    FUZZ_CHECK(json_is_object(root));
    json_decref(root);
}

#endif
