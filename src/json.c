/* JSON output of a doc (docs/json.md).  Written directly into a buffer:
 * building a tree first would cost more than the analysis. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dedup.h"
#include "doc.h"
#include "entities.h"
#include "facts.h"
#include "quotes.h"
#include "tags.h"

typedef struct out {
    kh_buf *b;
    int pretty;
    int failed;
} out;

static inline void raw(out *o, const char *s, size_t n)
{
    kh_buf *b = o->b;
    if (b->cap - b->len >= n && !o->failed) { /* the usual case, without a call */
        memcpy(b->data + b->len, s, n);
        b->len += n;
        return;
    }
    if (!o->failed && kh_buf_append(b, s, n)) o->failed = 1;
}

static void lit(out *o, const char *s) { raw(o, s, strlen(s)); }

static void str(out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    raw(o, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        /* Text is mostly letters: skip eight bytes at a time. */
        uint64_t v;
        while (i + 8 <= n && (memcpy(&v, s + i, 8), !kh_json_special8(v))) i += 8;
        if (i >= n) break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        raw(o, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': raw(o, "\\\"", 2); break;
        case '\\': raw(o, "\\\\", 2); break;
        case '\n': raw(o, "\\n", 2); break;
        case '\t': raw(o, "\\t", 2); break;
        case '\r': raw(o, "\\r", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            raw(o, esc, 6);
        }
        }
    }
    raw(o, s + run, n - run);
    raw(o, "\"", 1);
}

/* Decimal digits of v, written right to left into the end of tmp[24]:
 * snprintf would cost more than everything else a token's JSON does. */
static size_t decimal(char tmp[24], size_t v)
{
    size_t i = 24;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return i;
}

static void num(out *o, size_t v)
{
    char tmp[24];
    size_t i = decimal(tmp, v);
    raw(o, tmp + i, 24 - i);
}

static void snum(out *o, long v)
{
    if (v < 0) {
        raw(o, "-", 1);
        num(o, (size_t)0 - (size_t)v);
    } else {
        num(o, (size_t)v);
    }
}

static void key(out *o, const char *k)
{
    lit(o, "\"");
    lit(o, k);
    lit(o, o->pretty ? "\": " : "\":");
}

static void sep(out *o) { lit(o, o->pretty ? ", " : ","); }

/* Begins field k of the top object (after the first when `more`). */
static void field(out *o, const char *k, int more)
{
    if (more) lit(o, ",");
    if (o->pretty) lit(o, "\n  ");
    key(o, k);
}

static void item(out *o, size_t i)
{
    if (i) lit(o, ",");
    if (o->pretty) lit(o, "\n    ");
}

static void end_array(out *o, size_t count)
{
    if (o->pretty && count) lit(o, "\n  ");
    lit(o, "]");
}

/* Whether token i lies in a title given apart from the text (a record's
 * "title" field): its offsets are not in the input text, and the JSON says
 * null for them, as for title_start. */
static int in_given_title(const khabar_doc *d, size_t i)
{
    return d->title_given && i < d->tokens.len && KH_AT(d->tokens, khabar_token, i).block < 0;
}

/* "start" and "end" of something whose first token is `first`. */
static void offsets(out *o, const khabar_doc *d, size_t first, size_t start, size_t end)
{
    int none = in_given_title(d, first);
    sep(o);
    key(o, "start");
    if (none) lit(o, "null");
    else num(o, start);
    sep(o);
    key(o, "end");
    if (none) lit(o, "null");
    else num(o, end);
}

static void span_fields(out *o, const khabar_span *s)
{
    key(o, "text");
    str(o, s->text, s->text_len);
    sep(o);
    key(o, "start");
    num(o, s->start);
    sep(o);
    key(o, "end");
    num(o, s->end);
}

/* A token's text and offsets (null in a title given apart from the text). */
static void token_span_fields(out *o, const khabar_doc *d, size_t i)
{
    const khabar_span *s = &KH_AT(d->tokens, khabar_token, i).span;
    key(o, "text");
    str(o, s->text, s->text_len);
    offsets(o, d, i, s->start, s->end);
}

/* "و+ب+ال+كتاب+ه" as ["و","ب","ال","كتاب","ه"]. */
static void segments(out *o, const char *s)
{
    lit(o, "[");
    size_t n = strlen(s), a = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && (s[i] != '+' || i == a)) continue;
        if (a) sep(o);
        str(o, s + a, i - a);
        a = i + 1;
    }
    lit(o, "]");
}

/* Every float in the output goes through here: JSON has no inf or nan, so
 * a value too large for a double (a number written with 400 digits) is
 * null.  `fmt` is "%.15g" for values, "%.3f" for scores. */
static void dbl_as(out *o, const char *fmt, double v)
{
    if (!isfinite(v)) { lit(o, "null"); return; }
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, fmt, v);
    if (n < 0 || (size_t)n >= sizeof tmp) n = snprintf(tmp, sizeof tmp, "%.15g", v);
    raw(o, tmp, (size_t)n);
}

static void dbl(out *o, double v) { dbl_as(o, "%.15g", v); }

/* The cleaned text of tokens [first, last), which lie in one block. */
static void token_text(out *o, const khabar_doc *d, size_t first, size_t last)
{
    if (last <= first || last > d->tokens.len) { lit(o, "null"); return; }
    const khabar_token *a = &KH_AT(d->tokens, khabar_token, first);
    const khabar_token *b = &KH_AT(d->tokens, khabar_token, last - 1);
    str(o, a->span.text, (size_t)(b->span.text + b->span.text_len - a->span.text));
}

static void facts(out *o, const khabar_doc *d, int *more)
{
    if (d->skip & KHABAR_SKIP_FACTS) goto duplicates;
    field(o, "quantities", (*more)++);
    lit(o, "[");
    for (size_t i = 0; i < d->quantities.len; i++) {
        const kh_quantity *q = &KH_AT(d->quantities, kh_quantity, i);
        item(o, i);
        lit(o, "{");
        key(o, "text");
        token_text(o, d, q->first, q->last);
        sep(o);
        key(o, "kind");
        str(o, kh_quantity_kind_name(q->kind), strlen(kh_quantity_kind_name(q->kind)));
        if (q->has_value) { sep(o); key(o, "value"); dbl(o, q->value); }
        if (q->has_min) { sep(o); key(o, "min"); dbl(o, q->min); }
        if (q->has_max) { sep(o); key(o, "max"); dbl(o, q->max); }
        sep(o);
        key(o, "approx");
        lit(o, q->approx ? "true" : "false");
        sep(o);
        key(o, "unit");
        token_text(o, d, q->unit.first, q->unit.last);
        offsets(o, d, q->first, q->start, q->end);
        lit(o, "}");
    }
    end_array(o, d->quantities.len);

    field(o, "dates", (*more)++);
    lit(o, "[");
    for (size_t i = 0; i < d->dates.len; i++) {
        const kh_date *t = &KH_AT(d->dates, kh_date, i);
        item(o, i);
        lit(o, "{");
        key(o, "text");
        token_text(o, d, t->first, t->last);
        sep(o);
        key(o, "kind");
        str(o, kh_date_kind_name(t->kind), strlen(kh_date_kind_name(t->kind)));
        sep(o);
        key(o, "value");
        str(o, t->value, strlen(t->value));
        sep(o);
        key(o, "mod");
        const char *mod = kh_date_mod_name(t->mod);
        if (mod) str(o, mod, strlen(mod));
        else lit(o, "null");
        sep(o);
        key(o, "relative");
        lit(o, t->relative ? "true" : "false");
        if (t->offset[0]) {
            sep(o);
            key(o, "offset");
            str(o, t->offset, strlen(t->offset));
        }
        offsets(o, d, t->first, t->start, t->end);
        lit(o, "}");
    }
    end_array(o, d->dates.len);

duplicates:
    if (d->skip & KHABAR_SKIP_DUPLICATES) return;
    field(o, "duplicates", (*more)++);
    lit(o, "[");
    for (size_t i = 0; i < d->duplicates.len; i++) {
        const kh_sentence_pair *p = &KH_AT(d->duplicates, kh_sentence_pair, i);
        item(o, i);
        lit(o, "{");
        key(o, "a");
        num(o, p->a);
        sep(o);
        key(o, "b");
        num(o, p->b);
        sep(o);
        key(o, "similarity");
        dbl_as(o, "%.3f", p->similarity);
        lit(o, "}");
    }
    end_array(o, d->duplicates.len);
}

static void entities(out *o, const khabar_doc *d, int *more)
{
    if (d->skip & KHABAR_SKIP_ENTITIES) return;
    field(o, "mentions", (*more)++);
    lit(o, "[");
    for (size_t i = 0; i < d->mentions.len; i++) {
        const kh_mention *m = &KH_AT(d->mentions, kh_mention, i);
        item(o, i);
        lit(o, "{");
        key(o, "text");
        str(o, m->text, strlen(m->text));
        sep(o);
        key(o, "type");
        str(o, kh_entity_type_name(m->type), strlen(kh_entity_type_name(m->type)));
        sep(o);
        key(o, "entity");
        num(o, m->entity);
        sep(o);
        key(o, "sentence");
        if (m->sentence == SIZE_MAX) lit(o, "-1");
        else num(o, m->sentence);
        offsets(o, d, m->first, m->start, m->end);
        lit(o, "}");
    }
    end_array(o, d->mentions.len);

    field(o, "entities", (*more)++);
    lit(o, "[");
    for (size_t i = 0; i < d->entities.len; i++) {
        const kh_entity *e = &KH_AT(d->entities, kh_entity, i);
        item(o, i);
        lit(o, "{");
        key(o, "name");
        str(o, e->name, strlen(e->name));
        sep(o);
        key(o, "type");
        str(o, kh_entity_type_name(e->type), strlen(kh_entity_type_name(e->type)));
        sep(o);
        key(o, "mentions");
        num(o, e->mentions);
        sep(o);
        key(o, "variants");
        lit(o, "[");
        for (size_t k = 0; k < e->n_variants; k++) {
            if (k) sep(o);
            str(o, e->variants[k], strlen(e->variants[k]));
        }
        lit(o, "]");
        sep(o);
        key(o, "en");
        if (e->en) str(o, e->en, strlen(e->en));
        else lit(o, "null");
        lit(o, "}");
    }
    end_array(o, d->entities.len);
}

static void opt_num(out *o, size_t v, int present)
{
    if (present) num(o, v);
    else lit(o, "null");
}

static void quotes(out *o, const khabar_doc *d, int *more)
{
    if (d->skip & KHABAR_SKIP_QUOTES) return;
    field(o, "quotes", (*more)++);
    lit(o, "[");
    for (size_t i = 0; i < d->quotes.len; i++) {
        const kh_quote *q = &KH_AT(d->quotes, kh_quote, i);
        int has_speaker = q->speaker_first < q->speaker_last;
        item(o, i);
        lit(o, "{");
        key(o, "speaker");
        if (has_speaker) {
            const khabar_token *a = &KH_AT(d->tokens, khabar_token, q->speaker_first);
            const khabar_token *b = &KH_AT(d->tokens, khabar_token, q->speaker_last - 1);
            const char *s = a->span.text + q->speaker_skip;
            str(o, s, (size_t)(b->span.text + b->span.text_len - s));
        } else {
            lit(o, "null");
        }
        sep(o);
        key(o, "entity");
        opt_num(o, q->entity, q->entity != KH_NO_ENTITY);
        if (q->n_entities > 1) {
            sep(o);
            key(o, "entities");
            lit(o, "[");
            for (size_t k = 0; k < q->n_entities; k++) {
                if (k) sep(o);
                num(o, q->entities[k]);
            }
            lit(o, "]");
        }
        sep(o);
        key(o, "cue");
        if (q->cue_first < q->cue_last) token_text(o, d, q->cue_first, q->cue_last);
        else lit(o, "null");
        sep(o);
        key(o, "text");
        token_text(o, d, q->text_first, q->text_last);
        sep(o);
        key(o, "direct");
        lit(o, q->direct ? "true" : "false");
        offsets(o, d, q->text_first, q->start, q->end);
        int speaker_at = has_speaker && !in_given_title(d, q->speaker_first);
        sep(o);
        key(o, "speaker_start");
        opt_num(o, q->speaker_start, speaker_at);
        sep(o);
        key(o, "speaker_end");
        opt_num(o, q->speaker_end, speaker_at);
        lit(o, "}");
    }
    end_array(o, d->quotes.len);
}

static void tags_and_summary(out *o, const khabar_doc *d, int *more)
{
    if (d->skip & KHABAR_SKIP_TAGS) goto summary;
    field(o, "tags", (*more)++);
    lit(o, "[");
    for (size_t i = 0; i < d->tags.len; i++) {
        const kh_tag *t = &KH_AT(d->tags, kh_tag, i);
        item(o, i);
        lit(o, "{");
        key(o, "text");
        str(o, t->text, strlen(t->text));
        sep(o);
        key(o, "score");
        dbl_as(o, "%.3f", t->score);
        lit(o, "}");
    }
    end_array(o, d->tags.len);

summary:
    if (d->skip & KHABAR_SKIP_SUMMARY) return;
    field(o, "summary", (*more)++);
    lit(o, "[");
    for (size_t i = 0; i < d->summary.len; i++) {
        if (i) sep(o);
        num(o, KH_AT(d->summary, size_t, i));
    }
    lit(o, "]");
}

const char *khabar_doc_json(khabar_doc *d, unsigned flags, size_t *len)
{
    if (!d) return NULL;
    kh_buf *b = &d->json;
    b->len = 0;
    out o = {b, (flags & KHABAR_JSON_PRETTY) != 0, 0};
    lit(&o, "{");
    int more = 0;
    if (d->source) {
        field(&o, "file", more++);
        str(&o, d->source, strlen(d->source));
    }
    if (d->id_json) {
        field(&o, "id", more++);
        lit(&o, d->id_json);
    }
    if (d->date) {
        field(&o, "date", more++);
        str(&o, d->date, strlen(d->date));
    }
    if (d->author) {
        field(&o, "author", more++);
        str(&o, d->author, strlen(d->author));
    }
    if (d->url) {
        field(&o, "url", more++);
        str(&o, d->url, strlen(d->url));
    }
    field(&o, "title", more++);
    if (d->has_title) str(&o, d->title.text, d->title.text_len);
    else lit(&o, "null");
    field(&o, "title_start", more++);
    if (d->has_title && !d->title_given) num(&o, d->title.start);
    else lit(&o, "null");
    field(&o, "title_end", more++);
    if (d->has_title && !d->title_given) num(&o, d->title.end);
    else lit(&o, "null");

    field(&o, "blocks", more++);
    lit(&o, "[");
    for (size_t i = 0; i < d->blocks.len; i++) {
        const khabar_block *blk = &KH_AT(d->blocks, khabar_block, i);
        item(&o, i);
        lit(&o, "{");
        key(&o, "kind");
        str(&o, khabar_block_kind_name(blk->kind), strlen(khabar_block_kind_name(blk->kind)));
        sep(&o);
        span_fields(&o, &blk->span);
        lit(&o, "}");
    }
    end_array(&o, d->blocks.len);

    field(&o, "sentences", more++);
    lit(&o, "[");
    for (size_t i = 0; i < d->sentences.len; i++) {
        const khabar_sentence *s = &KH_AT(d->sentences, khabar_sentence, i);
        item(&o, i);
        lit(&o, "{");
        span_fields(&o, &s->span);
        sep(&o);
        key(&o, "block");
        num(&o, s->block);
        lit(&o, "}");
    }
    end_array(&o, d->sentences.len);

    field(&o, "repairs", more++);
    lit(&o, "[");
    for (size_t i = 0; i < d->repairs.len; i++) {
        const khabar_repair *r = &KH_AT(d->repairs, khabar_repair, i);
        item(&o, i);
        lit(&o, "{");
        key(&o, "kind");
        lit(&o, "\"");
        lit(&o, khabar_repair_kind_name(r->kind));
        lit(&o, "\"");
        sep(&o);
        span_fields(&o, &r->span);
        lit(&o, "}");
    }
    end_array(&o, d->repairs.len);

    facts(&o, d, &more);
    entities(&o, d, &more);
    quotes(&o, d, &more);
    tags_and_summary(&o, d, &more);

    if (flags & KHABAR_JSON_TOKENS) {
        field(&o, "tokens", more++);
        lit(&o, "[");
        for (size_t i = 0; i < d->tokens.len; i++) {
            const khabar_token *t = &KH_AT(d->tokens, khabar_token, i);
            item(&o, i);
            lit(&o, "{");
            token_span_fields(&o, d, i);
            sep(&o);
            key(&o, "kind");
            lit(&o, "\"");
            lit(&o, khabar_token_kind_name(t->kind));
            lit(&o, "\"");
            sep(&o);
            key(&o, "norm");
            str(&o, t->norm, strlen(t->norm));
            sep(&o);
            key(&o, "stem");
            str(&o, t->stem, strlen(t->stem));
            sep(&o);
            key(&o, "segments");
            if (t->kind == KHABAR_TOKEN_ARABIC) {
                segments(&o, t->segments);
            } else {
                lit(&o, "[");
                str(&o, t->segments, strlen(t->segments));
                lit(&o, "]");
            }
            sep(&o);
            key(&o, "block");
            snum(&o, t->block);
            sep(&o);
            key(&o, "sentence");
            snum(&o, t->sentence);
            lit(&o, "}");
        }
        end_array(&o, d->tokens.len);
    }
    if (o.pretty) lit(&o, "\n");
    lit(&o, "}");
    raw(&o, "", 0);
    if (o.failed || kh_buf_putc(b, '\0')) return NULL;
    b->len--;
    if (len) *len = b->len;
    return b->data;
}
