/* TEMPORARY: link placeholders while the stages are written; deleted before the first commit that lands. */
#include <stdlib.h>
#include "kh.h"
khabar_status kh_boilerplate_load(khabar_model *m, khabar_error *err) { (void)m; (void)err; return KHABAR_OK; }
void kh_boilerplate_free(khabar_model *m) { (void)m; }
kh_stemmer *kh_stemmer_new(void) { return (kh_stemmer *)malloc(1); }
void kh_stemmer_free(kh_stemmer *s) { free(s); }
khabar_status khabar_analyzer_new(const khabar_model *model, khabar_analyzer **out, khabar_error *err)
{ (void)err; *out = calloc(1, sizeof **out); (*out)->model = model; return KHABAR_OK; }
void khabar_analyzer_free(khabar_analyzer *a) { free(a); }
khabar_status khabar_segment(khabar_analyzer *a, const char *w, size_t n, char *o, size_t c, size_t *l, khabar_error *e)
{ (void)a; (void)w; (void)n; (void)o; (void)c; (void)l; return kh_fail(e, KHABAR_ERROR_ARGUMENT, 0, "pending"); }
khabar_status khabar_stem(khabar_analyzer *a, const char *w, size_t n, char *o, size_t c, size_t *l, khabar_error *e)
{ (void)a; (void)w; (void)n; (void)o; (void)c; (void)l; return kh_fail(e, KHABAR_ERROR_ARGUMENT, 0, "pending"); }
