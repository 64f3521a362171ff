/* Summary: a few sentences of the article that say what it is about.
 *
 * News puts its main claim first, so the summary starts with the lead: the
 * first sentence of a paragraph with enough content words to make a claim
 * (a dateline or a one-line teaser does not).  Each further sentence is the
 * one that mentions most of what the summary does not cover yet: the sum of
 * the scores of the tags (src/tags.c) it mentions that no chosen sentence
 * mentions, plus a little for the tags already covered, so that among
 * sentences adding nothing new the one most on topic wins; ties go to the
 * earlier sentence.  A sentence that repeats a chosen one is never taken:
 * the article's repeated-sentence pairs (src/similar.c) and, as a second
 * test, a sentence whose content words are mostly another chosen
 * sentence's.  Headings are not sentences, so never chosen.  After the lead,
 * the sentences come in the article's order. */
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "doc.h"
#include "tags.h"

enum {
    MIN_WORDS = 4,      /* distinct content words a sentence needs to be chosen */
    LEAD_MIN_WORDS = 6, /* ... and to be the lead */
    MAX_CHOSEN = 64     /* chosen sentences are told apart by one bit each */
};

/* Share of the shorter sentence's content words the other has, from which
 * two sentences make one claim. */
#define SAME_CLAIM 0.6
/* Weight of a tag already covered, against one that is new. */
#define COVERED_WEIGHT 0.1

static int cmp_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

typedef struct sentence_words {
    size_t start, count; /* its distinct terms: words[start, start + count) */
} sentence_words;

/* Whether sentence x makes the claim of one of the chosen sentences: the
 * bits of in_chosen[term] say which chosen sentences have the term. */
static int repeats_chosen(const uint32_t *words, const sentence_words *x, const uint64_t *in_chosen,
                          const sentence_words *sw, const size_t *chosen, size_t n_chosen)
{
    unsigned shared[MAX_CHOSEN] = {0};
    for (size_t i = 0; i < x->count; i++)
        for (uint64_t bits = in_chosen[words[x->start + i]]; bits; bits &= bits - 1)
            shared[__builtin_ctzll(bits)]++;
    for (size_t c = 0; c < n_chosen; c++) {
        size_t other = sw[chosen[c]].count, shorter = x->count < other ? x->count : other;
        if (shorter && (double)shared[c] >= SAME_CLAIM * (double)shorter) return 1;
    }
    return 0;
}

khabar_status kh_summary(khabar_doc *d, size_t n, const uint32_t *token_terms, size_t n_terms,
                         khabar_error *err)
{
    if (!d || (!token_terms && d->tokens.len))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "kh_summary: NULL argument");
    if (!n) n = KH_SUMMARY_DEFAULT;
    if (n > MAX_CHOSEN) n = MAX_CHOSEN;
    size_t ns = d->sentences.len, nt = d->tags.len;
    if (!ns) return KHABAR_OK;
    if (n > ns) n = ns;

    uint32_t *words = malloc((d->tokens.len ? d->tokens.len : 1) * sizeof *words);
    size_t *last_seen = malloc((n_terms ? n_terms : 1) * sizeof *last_seen); /* sentence + 1 */
    uint64_t *in_chosen = calloc(n_terms ? n_terms : 1, sizeof *in_chosen);
    sentence_words *sw = calloc(ns, sizeof *sw);
    size_t *repeat_of = malloc(ns * sizeof *repeat_of); /* its repeated-sentence pair's a, or SIZE_MAX */
    size_t *tag_start = calloc(ns + 1, sizeof *tag_start); /* tags of sentence s: tag_list[tag_start[s] ..] */
    size_t *tag_list = malloc((d->tag_sentences.len ? d->tag_sentences.len : 1) * sizeof *tag_list);
    unsigned char *covered = calloc(nt ? nt : 1, 1);
    size_t chosen[MAX_CHOSEN];
    khabar_status st = KHABAR_OK;
    if (!words || !last_seen || !in_chosen || !sw || !repeat_of || !tag_start || !tag_list || !covered) {
        st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        goto done;
    }

    for (size_t t = 0; t < n_terms; t++) last_seen[t] = 0;
    size_t used = 0;
    for (size_t s = 0; s < ns; s++) {
        const khabar_sentence *sen = &KH_AT(d->sentences, khabar_sentence, s);
        sw[s].start = used;
        for (size_t t = sen->first_token; t < sen->first_token + sen->token_count && t < d->tokens.len; t++) {
            uint32_t term = token_terms[t];
            if (term >= n_terms || last_seen[term] == s + 1) continue;
            last_seen[term] = s + 1;
            words[used++] = term;
        }
        sw[s].count = used - sw[s].start;
        repeat_of[s] = SIZE_MAX;
    }
    for (size_t i = 0; i < d->duplicates.len; i++) {
        const kh_sentence_pair *p = &KH_AT(d->duplicates, kh_sentence_pair, i);
        if (p->b < ns) repeat_of[p->b] = p->a;
    }
    const kh_tag_sentence *ts = d->tag_sentences.data;
    for (size_t i = 0; i < d->tag_sentences.len; i++)
        if (ts[i].sentence < ns && ts[i].tag < nt) tag_start[ts[i].sentence + 1]++;
    for (size_t s = 0; s < ns; s++) tag_start[s + 1] += tag_start[s];
    /* each sentence's start advances to its end as its run fills: shifted back after */
    for (size_t i = 0; i < d->tag_sentences.len; i++)
        if (ts[i].sentence < ns && ts[i].tag < nt) tag_list[tag_start[ts[i].sentence]++] = ts[i].tag;
    for (size_t s = ns; s > 0; s--) tag_start[s] = tag_start[s - 1];
    tag_start[0] = 0;

    /* the lead */
    size_t lead = SIZE_MAX, fallback = SIZE_MAX;
    for (size_t s = 0; s < ns && lead == SIZE_MAX; s++) {
        const khabar_sentence *sen = &KH_AT(d->sentences, khabar_sentence, s);
        const khabar_block *blk = &KH_AT(d->blocks, khabar_block, sen->block);
        if (blk->kind != KHABAR_BLOCK_PARAGRAPH || sw[s].count < MIN_WORDS) continue;
        if (fallback == SIZE_MAX) fallback = s;
        if (sw[s].count >= LEAD_MIN_WORDS) lead = s;
    }
    if (lead == SIZE_MAX) lead = fallback;
    if (lead == SIZE_MAX) goto done;
    size_t n_chosen = 0;
    const kh_tag *tags = d->tags.data;
    for (size_t pick = lead; pick != SIZE_MAX;) {
        for (size_t i = 0; i < sw[pick].count; i++) in_chosen[words[sw[pick].start + i]] |= (uint64_t)1 << n_chosen;
        for (size_t i = tag_start[pick]; i < tag_start[pick + 1]; i++) covered[tag_list[i]] = 1;
        chosen[n_chosen++] = pick;
        if (n_chosen == n) break;
        pick = SIZE_MAX;
        double best_gain = -1;
        for (size_t s = 0; s < ns; s++) {
            const khabar_sentence *sen = &KH_AT(d->sentences, khabar_sentence, s);
            const khabar_block *blk = &KH_AT(d->blocks, khabar_block, sen->block);
            if (blk->kind != KHABAR_BLOCK_PARAGRAPH || sw[s].count < MIN_WORDS) continue;
            double gain = 0;
            for (size_t i = tag_start[s]; i < tag_start[s + 1]; i++)
                gain += tags[tag_list[i]].score * (covered[tag_list[i]] ? COVERED_WEIGHT : 1);
            if (gain <= best_gain) continue;
            int skip = 0;
            for (size_t c = 0; c < n_chosen && !skip; c++)
                skip = chosen[c] == s || repeat_of[s] == chosen[c] || repeat_of[chosen[c]] == s;
            if (skip || repeats_chosen(words, &sw[s], in_chosen, sw, chosen, n_chosen)) continue;
            best_gain = gain;
            pick = s;
        }
    }
    if (n_chosen > 2) qsort(chosen + 1, n_chosen - 1, sizeof *chosen, cmp_size);
    for (size_t i = 0; i < n_chosen; i++) {
        size_t *out = kh_vec_push(&d->summary, sizeof *out);
        if (!out) {
            st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
            goto done;
        }
        *out = chosen[i];
    }
done:
    free(words);
    free(last_seen);
    free(in_chosen);
    free(sw);
    free(repeat_of);
    free(tag_start);
    free(tag_list);
    free(covered);
    return st;
}
