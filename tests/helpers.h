/* Shared set-up for the unit tests: one model and analyzer per program. */
#ifndef KHABAR_TEST_HELPERS_H
#define KHABAR_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "khabar.h"

static khabar_model *test_model;
static khabar_analyzer *test_analyzer;

static inline int setup_analyzer(void **state)
{
    (void)state;
    if (khabar_model_new(&test_model, NULL) != KHABAR_OK) return -1;
    return khabar_analyzer_new(test_model, &test_analyzer, NULL) == KHABAR_OK ? 0 : -1;
}

static inline int teardown_analyzer(void **state)
{
    (void)state;
    khabar_analyzer_free(test_analyzer);
    khabar_model_free(test_model);
    return 0;
}

/* Analyses a NUL-terminated text; fails the test on error. */
/* Analyses text with options `flags` and the analyses in `skip` left out. */
static inline khabar_doc *analyze_skipping(const char *text, unsigned flags, unsigned skip)
{
    khabar_options o = {0};
    o.flags = flags;
    o.skip = skip;
    khabar_doc *d = NULL;
    khabar_error err;
    khabar_status st = khabar_analyze(test_analyzer, text, strlen(text), &o, &d, &err);
    if (st != KHABAR_OK) fail_msg("analyze failed: %s", err.message);
    return d;
}

static inline khabar_doc *analyze_ok(const char *text, unsigned flags)
{
    khabar_options o = {0};
    o.flags = flags;
    khabar_doc *d = NULL;
    khabar_error err;
    khabar_status st = khabar_analyze(test_analyzer, text, strlen(text), &o, &d, &err);
    if (st != KHABAR_OK) fail_msg("analyze failed: %s", err.message);
    return d;
}

/* Every span's text equals the input bytes it points at (when unrepaired). */
static inline void assert_span_is_input(const char *input, const khabar_span *s)
{
    assert_true(s->start <= s->end);
    assert_int_equal(s->end - s->start, s->text_len);
    assert_memory_equal(input + s->start, s->text, s->text_len);
}

static inline void assert_span_text(const khabar_span *s, const char *want)
{
    char *got = strndup(s->text, s->text_len);
    assert_string_equal(got, want);
    free(got);
}

/* Reads a file of the source tree (KHABAR_SOURCE_DIR is set by ctest). */
static inline char *read_source_file(const char *rel, size_t *len)
{
    const char *dir = getenv("KHABAR_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

#endif
