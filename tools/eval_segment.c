/* eval_segment: measures clitic segmentation against a CoNLL-U treebank
 * whose clitics are separate tokens glued by SpaceAfter=No (UD Arabic PUD),
 * fits the segmenter's weights, and times it.
 *
 * Usage:
 *   eval_segment [--errors N] TREEBANK.conllu
 *       word accuracy on the dev half (even sentence index), the held-out
 *       half (odd) and all; --errors lists the commonest N mistakes (dev).
 *   eval_segment --fit TREEBANK.conllu
 *       fits the weights on the dev half only and prints them as the C
 *       table of src/segment.c, then the accuracy they give.
 *   eval_segment --speed TEXT [PASSES]
 *       segments every Arabic word of TEXT (PASSES times, default 3) and
 *       reports words per second of CPU time (one core).
 *
 * Gold: the Arabic tokens of one whitespace-separated chunk, joined, make a
 * word; its tokens are its pieces.  UD leaves the article on its noun and
 * writes للسلطة as ل + لسلطة, so the segmenter's article piece is glued back
 * onto its stem (ال+سلطة → السلطة; the elided ل+ال+سلطة → ل + لسلطة).
 * Everything is compared after kh_segment_normalize. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arabic.h"
#include "kh.h"
#include "read_stream.h"

typedef struct gold_word {
    size_t sentence;
    size_t word, word_len;     /* into the text pool: the rebuilt word */
    size_t pieces, pieces_len; /* gold pieces joined by '+' */
    int clitics;               /* the gold word has more than one piece */
} gold_word;

static kh_buf pool;
static kh_vec words;

static void die(const char *what)
{
    fprintf(stderr, "eval_segment: %s\n", what);
    exit(2);
}

/* A token is Arabic when, normalised, it is one or more Arabic letters. */
static int arabic_token(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) return 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode(u + i, n - i, &cp);
        if (!k || !kh_is_arabic_letter(cp)) return 0;
        i += k;
    }
    return 1;
}

typedef struct chunk {
    kh_buf word, pieces;
    int n_pieces;
} chunk;

static void flush_word(chunk *c, size_t sentence)
{
    if (c->n_pieces == 0) return;
    gold_word *g = kh_vec_push(&words, sizeof *g);
    if (!g) die("out of memory");
    g->sentence = sentence;
    g->word = pool.len;
    g->word_len = c->word.len;
    if (kh_buf_append(&pool, c->word.data, c->word.len)) die("out of memory");
    g->pieces = pool.len;
    g->pieces_len = c->pieces.len;
    if (kh_buf_append(&pool, c->pieces.data, c->pieces.len)) die("out of memory");
    g->clitics = c->n_pieces > 1;
    c->word.len = c->pieces.len = 0;
    c->n_pieces = 0;
}

static size_t read_treebank(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    char *line = NULL;
    size_t cap = 0, sentence = 0;
    int in_sentence = 0;
    chunk c = {{0}, {0}, 0};
    kh_buf norm = {0};
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (len == 0) {
            flush_word(&c, sentence);
            if (in_sentence) sentence++;
            in_sentence = 0;
            continue;
        }
        if (line[0] == '#') continue;
        char *col[10];
        int nc = 0;
        for (char *p = line; nc < 10; nc++) {
            col[nc] = p;
            char *tab = strchr(p, '\t');
            if (!tab) { nc++; break; }
            *tab = '\0';
            p = tab + 1;
        }
        if (nc < 10 || strchr(col[0], '-') || strchr(col[0], '.')) continue;
        in_sentence = 1;
        norm.len = 0;
        if (kh_utf8_check(col[1], strlen(col[1])) != strlen(col[1]) ||
            kh_segment_normalize(&norm, col[1], strlen(col[1])))
            die("bad token");
        if (arabic_token(norm.data, norm.len)) {
            if (c.n_pieces && kh_buf_putc(&c.pieces, '+')) die("out of memory");
            if (kh_buf_append(&c.pieces, norm.data, norm.len) ||
                kh_buf_append(&c.word, norm.data, norm.len))
                die("out of memory");
            c.n_pieces++;
        } else {
            flush_word(&c, sentence); /* punctuation inside a chunk ends the word */
        }
        if (!strstr(col[9], "SpaceAfter=No")) flush_word(&c, sentence);
    }
    flush_word(&c, sentence);
    if (in_sentence) sentence++;
    free(line);
    kh_buf_free(&c.word);
    kh_buf_free(&c.pieces);
    kh_buf_free(&norm);
    fclose(f);
    return sentence;
}

/* The segmentation in UD's convention: the article stays on its stem. */
static int render_ud(kh_buf *b, const char *w, size_t n, const kh_segmentation *seg)
{
    kh_segmentation s = *seg;
    if (s.article) {
        size_t art_start = s.n_prefix >= 2 ? s.prefix_end[s.n_prefix - 2] : 0;
        s.n_prefix--;
        s.article = 0;
        s.stem_start = art_start;
    }
    return kh_segmentation_render(b, w, n, &s);
}

static size_t choose(const float *weights, const kh_seg_candidate *c, size_t count)
{
    size_t best = 0;
    float best_score = kh_seg_score(weights, c[0].features);
    for (size_t i = 1; i < count; i++) {
        float s = kh_seg_score(weights, c[i].features);
        if (s > best_score) best_score = s, best = i;
    }
    return best;
}

typedef struct tally {
    size_t words, right, clitic_words, clitic_right;
} tally;

static void report(const char *name, const tally *t)
{
    printf("%-28s words %5zu  accuracy %.2f%%  (%zu wrong)   words with clitics %4zu  accuracy %.2f%%\n",
           name, t->words, 100.0 * (double)t->right / (double)(t->words ? t->words : 1),
           t->words - t->right, t->clitic_words,
           100.0 * (double)t->clitic_right / (double)(t->clitic_words ? t->clitic_words : 1));
}

typedef struct mistake {
    char *text;
    size_t count;
} mistake;

static int by_count(const void *a, const void *b)
{
    const mistake *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->text, y->text);
}

static void evaluate(const khabar_model *m, const float *weights, size_t show_errors)
{
    tally t[3] = {{0}};
    kh_buf out = {0}, scratch = {0};
    kh_vec errs = {0};
    static kh_seg_candidate cands[KH_SEG_MAX_CANDIDATES];
    for (size_t i = 0; i < words.len; i++) {
        const gold_word *g = &((gold_word *)words.data)[i];
        const char *w = pool.data + g->word;
        size_t count = kh_segment_candidates(m, w, g->word_len, cands, KH_SEG_MAX_CANDIDATES);
        kh_segmentation seg = cands[choose(weights, cands, count)].seg;
        kh_segment_finish(m, w, g->word_len, &seg);
        out.len = 0;
        if (render_ud(&out, w, g->word_len, &seg)) die("out of memory");
        int right = out.len == g->pieces_len && memcmp(out.data, pool.data + g->pieces, out.len) == 0;
        tally *half = &t[g->sentence % 2];
        for (tally *x = half;; x = &t[2]) {
            x->words++;
            x->right += (size_t)right;
            x->clitic_words += (size_t)g->clitics;
            x->clitic_right += (size_t)(g->clitics && right);
            if (x == &t[2]) break;
        }
        if (!right && show_errors && g->sentence % 2 == 0) {
            scratch.len = 0;
            if (kh_buf_append(&scratch, pool.data + g->pieces, g->pieces_len) ||
                kh_buf_append(&scratch, "  <-  ", 6) || kh_buf_append(&scratch, out.data, out.len) ||
                kh_buf_putc(&scratch, '\0'))
                die("out of memory");
            size_t k;
            for (k = 0; k < errs.len; k++)
                if (!strcmp(((mistake *)errs.data)[k].text, scratch.data)) break;
            if (k == errs.len) {
                mistake *e = kh_vec_push(&errs, sizeof *e);
                if (!e || !(e->text = strdup(scratch.data))) die("out of memory");
            }
            ((mistake *)errs.data)[k].count++;
        }
    }
    report("dev (even sentences)", &t[0]);
    report("held-out (odd sentences)", &t[1]);
    report("all", &t[2]);
    if (errs.len) qsort(errs.data, errs.len, sizeof(mistake), by_count);
    for (size_t k = 0; k < errs.len; k++) {
        mistake *e = &((mistake *)errs.data)[k];
        if (k < show_errors) printf("%4zu  %s\n", e->count, e->text);
        free(e->text);
    }
    kh_vec_free(&errs);
    kh_buf_free(&out);
    kh_buf_free(&scratch);
}

/* ---- fitting: maximum likelihood of the gold reading among each dev
 * word's candidates (a softmax over them), by AdaGrad with a little L2 ---- */

typedef struct example {
    size_t first, count, gold;
} example;

static void fit(const khabar_model *m, float *weights)
{
    kh_vec feats = {0}, examples = {0};
    kh_buf out = {0};
    static kh_seg_candidate cands[KH_SEG_MAX_CANDIDATES];
    size_t unreachable = 0;
    for (size_t i = 0; i < words.len; i++) {
        const gold_word *g = &((gold_word *)words.data)[i];
        if (g->sentence % 2) continue; /* dev half only */
        const char *w = pool.data + g->word;
        size_t count = kh_segment_candidates(m, w, g->word_len, cands, KH_SEG_MAX_CANDIDATES);
        if (count < 2) continue;
        size_t gold = count;
        for (size_t k = 0; k < count; k++) {
            kh_segmentation seg = cands[k].seg;
            kh_segment_finish(m, w, g->word_len, &seg);
            out.len = 0;
            if (render_ud(&out, w, g->word_len, &seg)) die("out of memory");
            if (out.len == g->pieces_len && !memcmp(out.data, pool.data + g->pieces, out.len)) {
                gold = k;
                break;
            }
        }
        if (gold == count) { unreachable++; continue; }
        example *ex = kh_vec_push(&examples, sizeof *ex);
        if (!ex) die("out of memory");
        ex->first = feats.len;
        ex->count = count;
        ex->gold = gold;
        for (size_t k = 0; k < count; k++) {
            float *f = kh_vec_push(&feats, sizeof(float) * KH_SEG_FEATURES);
            if (!f) die("out of memory");
            memcpy(f, cands[k].features, sizeof(float) * KH_SEG_FEATURES);
        }
    }
    const float *F = feats.data;
    example *E = examples.data;
    double w[KH_SEG_FEATURES] = {0}, g2[KH_SEG_FEATURES];
    w[KH_SF_W_LOGC] = 1.0;
    w[KH_SF_S_LOGF] = 1.0;
    for (int k = 0; k < KH_SEG_FEATURES; k++) g2[k] = 1e-8;
    const double rate = 0.1, l2 = 1e-3;
    uint64_t rng = 88172645463325252ull;
    size_t *order = malloc(examples.len * sizeof *order);
    if (!order) die("out of memory");
    for (size_t i = 0; i < examples.len; i++) order[i] = i;
    for (int epoch = 0; epoch < 80; epoch++) {
        for (size_t i = examples.len; i > 1; i--) { /* deterministic shuffle */
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            size_t j = (size_t)(rng % i), tmp = order[i - 1];
            order[i - 1] = order[j], order[j] = tmp;
        }
        for (size_t oi = 0; oi < examples.len; oi++) {
            const example *ex = &E[order[oi]];
            double s[KH_SEG_MAX_CANDIDATES], top = -1e300, z = 0;
            for (size_t k = 0; k < ex->count; k++) {
                const float *f = F + (ex->first + k) * KH_SEG_FEATURES;
                s[k] = 0;
                for (int d = 0; d < KH_SEG_FEATURES; d++) s[k] += w[d] * f[d];
                if (s[k] > top) top = s[k];
            }
            for (size_t k = 0; k < ex->count; k++) z += (s[k] = exp(s[k] - top));
            double grad[KH_SEG_FEATURES] = {0};
            for (size_t k = 0; k < ex->count; k++) {
                const float *f = F + (ex->first + k) * KH_SEG_FEATURES;
                double p = s[k] / z - (k == ex->gold ? 1.0 : 0.0);
                for (int d = 0; d < KH_SEG_FEATURES; d++) grad[d] += p * f[d];
            }
            for (int d = 0; d < KH_SEG_FEATURES; d++) {
                if (grad[d] == 0) continue;
                double gd = grad[d] + l2 * w[d];
                g2[d] += gd * gd;
                w[d] -= rate * gd / sqrt(g2[d]);
            }
        }
    }
    printf("/* fitted on %zu dev words with a choice (%zu unreachable: gold not among the candidates) */\n",
           examples.len, unreachable);
    for (int d = 0; d < KH_SEG_FEATURES; d++) {
        weights[d] = (float)w[d];
        if (fabs(w[d]) >= 0.0005) printf("    [KH_SF_%s] = %.3ff,\n", kh_seg_feature_names[d], w[d]);
    }
    free(order);
    kh_vec_free(&feats);
    kh_vec_free(&examples);
    kh_buf_free(&out);
}

/* ---- speed ---- */

static void speed(const khabar_model *m, const char *path, int passes)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    kh_buf text = {0}, norm = {0};
    if (read_stream(f, &text)) die("cannot read the text");
    fclose(f);
    /* Normalised Arabic words, NUL-separated, as the tokenizer would hand them over. */
    kh_vec spans = {0};
    const unsigned char *u = (const unsigned char *)text.data;
    for (size_t i = 0; i < text.len;) {
        size_t start = i;
        while (i < text.len) {
            uint32_t cp;
            unsigned k = kh_utf8_decode(u + i, text.len - i, &cp);
            if (!k || !(kh_is_arabic_letter(cp) || kh_is_arabic_mark(cp) || cp == TATWEEL)) break;
            i += k;
        }
        if (i > start) {
            size_t at = norm.len;
            if (kh_segment_normalize(&norm, text.data + start, i - start)) die("out of memory");
            size_t *sp = kh_vec_push(&spans, 2 * sizeof(size_t));
            if (!sp) die("out of memory");
            sp[0] = at;
            sp[1] = norm.len - at;
        } else {
            i++;
        }
    }
    size_t n = spans.len, pieces = 0;
    const size_t *sp = spans.data;
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (int p = 0; p < passes; p++) {
        for (size_t i = 0; i < n; i++) {
            kh_segmentation seg;
            kh_segment_word(m, norm.data + sp[2 * i], sp[2 * i + 1], &seg);
            pieces += seg.n_prefix + (seg.stem_end < sp[2 * i + 1]);
        }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double total = (double)n * passes;
    printf("%zu words x %d passes in %.3f s: %.2f million words/s (%.0f ns/word; %.2f clitics/word)\n",
           n, passes, secs, total / secs / 1e6, secs / total * 1e9, (double)pieces / total);
    kh_vec_free(&spans);
    kh_buf_free(&text);
    kh_buf_free(&norm);
}

int main(int argc, char **argv)
{
    int fit_mode = 0;
    size_t show_errors = 0;
    int i = 1;
    const char *speed_file = NULL;
    int passes = 3;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--fit")) fit_mode = 1;
        else if (!strcmp(argv[i], "--errors") && i + 1 < argc) show_errors = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--speed") && i + 1 < argc) speed_file = argv[++i];
        else break;
    }
    if (speed_file && i < argc) passes = atoi(argv[i]);
    if (!speed_file && i + 1 != argc) {
        fprintf(stderr, "usage: eval_segment [--fit] [--errors N] TREEBANK.conllu\n"
                        "       eval_segment --speed TEXT [PASSES]\n");
        return 2;
    }
    khabar_model *m;
    khabar_error err;
    if (khabar_model_new(&m, &err)) die(err.message);
    if (speed_file) {
        speed(m, speed_file, passes > 0 ? passes : 1);
        khabar_model_free(m);
        return 0;
    }
    size_t sentences = read_treebank(argv[i]);
    printf("%zu sentences, %zu Arabic words\n", sentences, words.len);
    float weights[KH_SEG_FEATURES];
    memcpy(weights, kh_seg_weights, sizeof weights);
    if (fit_mode) fit(m, weights);
    evaluate(m, weights, show_errors);
    khabar_model_free(m);
    kh_vec_free(&words);
    kh_buf_free(&pool);
    return 0;
}
