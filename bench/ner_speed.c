/* ner_speed: how fast the entity tagger runs on one core.
 *
 * Usage: ner_speed [--repeat N] [--sentences] CONLL-FILE
 *
 * Reads pre-tokenized CoNLL (a token first on each line, a blank line
 * between sentences), normalises the tokens once (the analysis pipeline
 * hands the tagger normalised tokens), then tags the whole file as running
 * text N times (default 5) with kh_ner_tag_doc, or sentence by sentence
 * with kh_ner_tag (--sentences), and prints tokens per second.  Model
 * loading is timed apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kh.h"
#include "../tools/read_stream.h"
#include "ner.h"
#include "clock.h"

int main(int argc, char **argv)
{
    int repeat = 5, per_sentence = 0, argi = 1;
    for (; argi < argc && argv[argi][0] == '-'; argi++) {
        if (!strcmp(argv[argi], "--repeat") && argi + 1 < argc) repeat = atoi(argv[++argi]);
        else if (!strcmp(argv[argi], "--sentences")) per_sentence = 1;
        else break;
    }
    if (argc - argi != 1 || repeat < 1) {
        fprintf(stderr, "usage: ner_speed [--repeat N] [--sentences] CONLL-FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[argi], "rb");
    if (!f) { perror(argv[argi]); return 1; }
    kh_buf text = {0};
    if (read_stream(f, &text)) { perror(argv[argi]); return 1; }
    fclose(f);

    kh_vec inputs = {0}, starts = {0}, offsets = {0};
    kh_buf norms = {0};
    int open = 0;
    for (size_t pos = 0; pos < text.len;) {
        size_t e = pos;
        while (e < text.len && text.data[e] != '\n') e++;
        size_t b = pos;
        while (b < e && text.data[b] != ' ' && text.data[b] != '\t' && text.data[b] != '\r') b++;
        if (b > pos) {
            if (!open) {
                size_t *s = kh_vec_push(&starts, sizeof *s);
                if (!s) return 1;
                *s = inputs.len;
                open = 1;
            }
            kh_ner_input *in = kh_vec_push(&inputs, sizeof *in);
            size_t *off = kh_vec_push(&offsets, sizeof *off);
            if (!in || !off) return 1;
            in->text = text.data + pos;
            in->len = b - pos;
            *off = norms.len;
            if (kh_normalize_append(&norms, in->text, in->len, KHABAR_FOLD_ALL)) return 1;
            in->norm_len = norms.len - *off;
        } else {
            open = 0;
        }
        pos = e + 1;
    }
    kh_ner_input *in = inputs.data;
    const size_t *off = offsets.data, *st = starts.data;
    size_t n = inputs.len, ns = starts.len;
    for (size_t i = 0; i < n; i++) in[i].norm = norms.data + off[i];

    double t0 = bench_wall();
    khabar_model *model;
    khabar_error err;
    if (khabar_model_new(&model, &err)) {
        fprintf(stderr, "ner_speed: %s\n", err.message);
        return 1;
    }
    double t1 = bench_wall();
    uint8_t *tags = malloc(n + 1);
    kh_ner_scratch *s = kh_ner_scratch_new();
    if (!tags || !s) return 1;
    size_t entities = 0;
    double best = 1e30;
    for (int r = 0; r < repeat; r++) {
        double a = bench_wall();
        if (per_sentence) {
            for (size_t k = 0; k < ns; k++) {
                size_t end = k + 1 < ns ? st[k + 1] : n;
                if (kh_ner_tag(model->ner, in + st[k], end - st[k], tags + st[k], s)) return 1;
            }
        } else if (kh_ner_tag_doc(model->ner, in, n, st, ns, tags, s)) {
            return 1;
        }
        double b = bench_wall() - a;
        if (b < best) best = b;
    }
    for (size_t i = 0; i < n; i++) entities += kh_ner_tag_is_begin(tags[i]) ? 1u : 0u;
    printf("model load (whole khabar model): %.1f ms\n", (t1 - t0) * 1e3);
    printf("%zu tokens in %zu sentences, %zu entities found\n", n, ns, entities);
    printf("%s: best of %d runs %.3f s, %.0f tokens/s\n",
           per_sentence ? "kh_ner_tag, sentence by sentence" : "kh_ner_tag_doc, as running text",
           repeat, best, (double)n / best);
    kh_ner_scratch_free(s);
    free(tags);
    khabar_model_free(model);
    kh_vec_free(&inputs);
    kh_vec_free(&starts);
    kh_vec_free(&offsets);
    kh_buf_free(&norms);
    kh_buf_free(&text);
    return 0;
}
