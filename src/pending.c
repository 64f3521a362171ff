/* TEMPORARY: link placeholders while the stages are written; deleted before the first commit that lands. */
#include <stdlib.h>
#include "kh.h"
kh_stemmer *kh_stemmer_new(void) { return (kh_stemmer *)malloc(1); }
void kh_stemmer_free(kh_stemmer *s) { free(s); }
khabar_status khabar_segment(khabar_analyzer *a, const char *w, size_t n, char *o, size_t c, size_t *l, khabar_error *e)
{ (void)a; (void)w; (void)n; (void)o; (void)c; (void)l; return kh_fail(e, KHABAR_ERROR_ARGUMENT, 0, "pending"); }
khabar_status khabar_stem(khabar_analyzer *a, const char *w, size_t n, char *o, size_t c, size_t *l, khabar_error *e)
{ (void)a; (void)w; (void)n; (void)o; (void)c; (void)l; return kh_fail(e, KHABAR_ERROR_ARGUMENT, 0, "pending"); }

/* TEMPORARY until src/segment.c lands: the word cache's interface. */
kh_word_cache *kh_word_cache_new(void) { return (kh_word_cache *)malloc(1); }
void kh_word_cache_free(kh_word_cache *c) { free(c); }
khabar_status kh_word_analysis(khabar_analyzer *an, kh_arena *arena, const char *w, size_t n, const char **norm, const char **segments, const char **stem)
{ (void)an; *norm = *segments = *stem = kh_arena_strndup(arena, w, n); return *stem ? KHABAR_OK : KHABAR_ERROR_MEMORY; }
