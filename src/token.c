/* Tokens: Arabic words, numbers in any digit form, Latin words, URLs,
 * e-mails, hashtags, mentions, punctuation and symbols, each with byte
 * offsets into the input; Arabic words also get their normal form, clitic
 * segmentation and stem. */
#include <string.h>

#include <utf8proc.h>

#include "arabic.h"
#include "doc.h"
#include "facts.h"

typedef struct scan {
    const char *s;
    size_t n;
    size_t no_email_until; /* a run of address characters without '@' ends here */
} scan;

static inline uint32_t at(const scan *sc, size_t i, unsigned *len)
{
    uint32_t cp = 0;
    if (i >= sc->n) { *len = 0; return 0; }
    *len = kh_utf8_decode((const unsigned char *)sc->s + i, sc->n - i, &cp);
    if (!*len) { *len = 1; return REPLACEMENT_CHARACTER; }
    return cp;
}

static utf8proc_category_t category(uint32_t cp)
{
    return utf8proc_category((utf8proc_int32_t)cp);
}

static int is_space(uint32_t cp)
{
    if (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r') return 1;
    if (cp < 0x80) return 0;
    utf8proc_category_t c = category(cp);
    return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP ||
           cp == BYTE_ORDER_MARK || cp == LEFT_TO_RIGHT_MARK || cp == RIGHT_TO_LEFT_MARK || cp == 0x200B;
}

static int is_digit(uint32_t cp)
{
    return kh_digit_value(cp) >= 0;
}

static int is_arabic_part(uint32_t cp)
{
    return kh_is_arabic_letter(cp) || kh_is_arabic_mark(cp) || cp == TATWEEL || kh_is_arabic_presentation_form(cp);
}

static int is_other_letter(uint32_t cp)
{
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    utf8proc_category_t c = category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME && !is_arabic_part(cp);
}

static int is_punct(uint32_t cp)
{
    if (cp < 0x80) return strchr("!\"'(),-./:;?[]{}_*&#@\\", (int)cp) != NULL && cp != 0;
    utf8proc_category_t c = category(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

static int starts_with_ci(const scan *sc, size_t i, const char *p)
{
    size_t n = strlen(p);
    if (i + n > sc->n) return 0;
    for (size_t k = 0; k < n; k++) {
        char c = sc->s[i + k];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != p[k]) return 0;
    }
    return 1;
}

/* End of the white-space delimited chunk at i, with trailing punctuation
 * that usually follows a URL or address in prose taken off. */
static size_t chunk_end(const scan *sc, size_t i)
{
    size_t e = i;
    unsigned k;
    while (e < sc->n && !is_space(at(sc, e, &k))) e += k;
    while (e > i) {
        size_t st = e - 1;
        while (st > i && ((unsigned char)sc->s[st] & 0xC0) == 0x80) st--;
        uint32_t cp = at(sc, st, &k);
        if (strchr(".,;:!?)]}\"'", (int)(cp < 0x80 ? cp : 1)) && cp < 0x80 && cp != 0) { e = st; continue; }
        if (cp == ARABIC_COMMA || cp == ARABIC_SEMICOLON || cp == ARABIC_QUESTION_MARK ||
            cp == RIGHT_GUILLEMET || cp == RIGHT_DOUBLE_QUOTE) { e = st; continue; }
        break;
    }
    return e;
}

static int email_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Length of an e-mail address at i (local@domain.tld), or 0.  Scans only
 * the run of address characters, and remembers a run without '@' so that
 * no later token start inside it scans it again (a long "a.a.a..." would
 * otherwise cost quadratic time). */
static size_t email_at(scan *sc, size_t i)
{
    if (i < sc->no_email_until) return 0;
    const char *s = sc->s;
    size_t k = i, atpos = 0;
    while (k < sc->n && (email_char(s[k]) || s[k] == '@')) {
        if (s[k] == '@') {
            if (atpos) break;
            atpos = k;
        }
        k++;
    }
    if (!atpos) {
        sc->no_email_until = k;
        return 0;
    }
    size_t e = k;
    while (e > atpos && (s[e - 1] == '.' || s[e - 1] == '-')) e--;
    size_t dot = 0;
    for (size_t q = atpos + 1; q < e; q++)
        if (s[q] == '.') dot = q;
    if (atpos == i || !dot || dot + 2 >= e || dot == atpos + 1) return 0;
    return e - i;
}

static size_t url_at(const scan *sc, size_t i)
{
    if (starts_with_ci(sc, i, "http://") || starts_with_ci(sc, i, "https://") ||
        starts_with_ci(sc, i, "www.")) {
        size_t e = chunk_end(sc, i);
        return e > i + 4 ? e - i : 0;
    }
    return 0;
}

/* Length of the token at i and its kind. */
static size_t token_at(scan *sc, size_t i, khabar_token_kind *kind)
{
    unsigned k;
    uint32_t cp = at(sc, i, &k);
    size_t e, len;
    if ((cp == 'h' || cp == 'H' || cp == 'w' || cp == 'W') && (len = url_at(sc, i))) {
        *kind = KHABAR_TOKEN_URL;
        return len;
    }
    if (cp < 0x80 && email_char((char)cp) && (len = email_at(sc, i))) {
        *kind = KHABAR_TOKEN_EMAIL;
        return len;
    }
    if (cp == '#' || cp == '@') {
        unsigned k2;
        uint32_t next = at(sc, i + 1, &k2);
        int ok = cp == '#' ? (is_arabic_part(next) || is_other_letter(next) || is_digit(next) || next == '_')
                           : ((next < 0x80 && (is_other_letter(next) || is_digit(next))) || next == '_');
        if (ok) {
            e = i + 1;
            for (;;) {
                uint32_t c = at(sc, e, &k2);
                if (e < sc->n && (is_arabic_part(c) || is_other_letter(c) || is_digit(c) || c == '_' ||
                                  c == ZERO_WIDTH_NON_JOINER))
                    e += k2;
                else break;
            }
            *kind = cp == '#' ? KHABAR_TOKEN_HASHTAG : KHABAR_TOKEN_MENTION;
            return e - i;
        }
    }
    if (is_digit(cp)) {
        e = i + k;
        for (;;) {
            unsigned k2, k3;
            uint32_t c = at(sc, e, &k2);
            if (e < sc->n && is_digit(c)) { e += k2; continue; }
            if (e < sc->n && (c == '.' || c == ',' || c == ARABIC_DECIMAL_SEPARATOR ||
                              c == ARABIC_THOUSANDS_SEPARATOR) &&
                is_digit(at(sc, e + k2, &k3))) {
                e += k2;
                continue;
            }
            break;
        }
        *kind = KHABAR_TOKEN_NUMBER;
        return e - i;
    }
    if (is_arabic_part(cp)) {
        e = i + k;
        for (;;) {
            /* Arabic letters and marks (U+0600-U+06FF) are two bytes,
             * D8-DB then a continuation byte: read them without decoding. */
            const unsigned char *u = (const unsigned char *)sc->s + e;
            if (e + 1 < sc->n && u[0] >= 0xD8 && u[0] <= 0xDB && (u[1] & 0xC0) == 0x80 &&
                is_arabic_part(((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F))) {
                e += 2;
                continue;
            }
            unsigned k2, k3;
            uint32_t c = at(sc, e, &k2);
            if (e < sc->n && is_arabic_part(c)) { e += k2; continue; }
            /* A zero-width non-joiner inside a word (Persian spelling) stays in it. */
            if (e < sc->n && c == ZERO_WIDTH_NON_JOINER && is_arabic_part(at(sc, e + k2, &k3))) {
                e += k2;
                continue;
            }
            break;
        }
        *kind = KHABAR_TOKEN_ARABIC;
        return e - i;
    }
    if (is_other_letter(cp)) {
        e = i + k;
        for (;;) {
            unsigned k2, k3;
            uint32_t c = at(sc, e, &k2);
            if (e < sc->n && (is_other_letter(c) || (c < 0x80 && is_digit(c)))) { e += k2; continue; }
            /* l'Aube, don't: an apostrophe between letters */
            if (e < sc->n && (c == '\'' || c == 0x2019) && is_other_letter(at(sc, e + k2, &k3))) {
                e += k2;
                continue;
            }
            break;
        }
        *kind = KHABAR_TOKEN_LATIN;
        return e - i;
    }
    if (is_punct(cp)) {
        /* A run of one mark is one token: "...", "!!", "--". */
        e = i + k;
        unsigned k2;
        while (e < sc->n && at(sc, e, &k2) == cp) e += k2;
        *kind = KHABAR_TOKEN_PUNCT;
        return e - i;
    }
    *kind = KHABAR_TOKEN_SYMBOL;
    return k;
}

khabar_token_kind kh_token_kind(const char *s, size_t n)
{
    scan sc = {s, n, 0};
    khabar_token_kind kind = KHABAR_TOKEN_SYMBOL;
    if (n) token_at(&sc, 0, &kind);
    return kind;
}

/* ---- the article's word forms ----
 * A token's norm, segments and stem, its word classes and vocabulary count
 * follow from its kind and its text: a form met before in the article
 * shares the strings of its first token instead of copying them again
 * (news repeats its words; a long article would otherwise spend some 30
 * bytes a token on copies). */

#define FORMS_START 1024 /* slots an article starts with */

static khabar_status forms_reset(khabar_analyzer *an)
{
    if (an->forms_cap < FORMS_START || an->forms_cap > 8 * FORMS_START) { /* after a long article, give its index back */
        free(an->forms);
        an->forms_cap = 0;
        if (!(an->forms = malloc(FORMS_START * sizeof *an->forms))) return KHABAR_ERROR_MEMORY;
        an->forms_cap = FORMS_START;
    }
    memset(an->forms, 0, an->forms_cap * sizeof *an->forms);
    an->forms_used = 0;
    return KHABAR_OK;
}

/* The slot of a form (h: 32 bits of its hash): the one holding it, or the
 * empty one where it goes. */
static uint64_t *form_slot(const khabar_analyzer *an, const khabar_doc *d, const char *w, size_t n,
                           khabar_token_kind kind, uint64_t h)
{
    const khabar_token *tokens = d->tokens.data;
    size_t mask = an->forms_cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint64_t e = an->forms[i];
        if (!e) return &an->forms[i];
        const khabar_token *t = &tokens[(e & 0xffffffffu) - 1];
        if (e >> 32 == h && t->kind == kind && t->span.text_len == n && !memcmp(t->span.text, w, n))
            return &an->forms[i];
    }
}

/* Records token `index` as the first of its form (in `slot`, from
 * form_slot); the index grows when half full. */
static khabar_status form_add(khabar_analyzer *an, uint64_t *slot, size_t index, uint64_t h)
{
    if (index >= UINT32_MAX) return KHABAR_OK; /* past what a slot holds: copies, as before */
    *slot = h << 32 | (uint64_t)(index + 1);
    if (++an->forms_used * 2 <= an->forms_cap) return KHABAR_OK;
    size_t cap = an->forms_cap * 2;
    uint64_t *t = calloc(cap, sizeof *t);
    if (!t) return KHABAR_ERROR_MEMORY;
    for (size_t i = 0; i < an->forms_cap; i++) {
        uint64_t e = an->forms[i];
        if (!e) continue;
        size_t j = (size_t)(e >> 32) & (cap - 1);
        while (t[j]) j = (j + 1) & (cap - 1);
        t[j] = e;
    }
    free(an->forms);
    an->forms = t;
    an->forms_cap = cap;
    return KHABAR_OK;
}

/* The strings, classes and count of a form met for the first time. */
static khabar_status new_form(khabar_analyzer *an, khabar_doc *d, khabar_token *t, const char *w,
                              size_t len, khabar_token_kind kind, uint64_t hash, uint64_t *classes,
                              uint32_t *count)
{
    if (kind == KHABAR_TOKEN_ARABIC) {
        kh_word word;
        khabar_status st = kh_word_analysis(an, &d->arena, w, len, hash, &word);
        t->norm = word.norm;
        t->segments = word.segments;
        t->stem = word.stem;
        *classes = word.fact_classes;
        *count = word.vocab_count;
        return st;
    }
    kh_buf *norm = &an->scratch2;
    norm->len = 0;
    if (kh_normalize_append(norm, w, len, KHABAR_FOLD_ALL)) return KHABAR_ERROR_MEMORY;
    char *nz = kh_arena_strndup(&d->arena, norm->data, norm->len);
    if (!nz) return KHABAR_ERROR_MEMORY;
    t->norm = nz;
    const khabar_model *m = an->model;
    *classes = kh_facts_classes(m->facts, nz, norm->len);
    *count = m->vocab && kind != KHABAR_TOKEN_PUNCT ? kh_lexicon_count_normal(m->vocab, nz, norm->len) : 0;
    if (kind == KHABAR_TOKEN_LATIN) {
        /* Latin stems are the lower-cased word (ASCII only). */
        char *low = kh_arena_strndup(&d->arena, nz, norm->len);
        if (!low) return KHABAR_ERROR_MEMORY;
        for (char *p = low; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        t->stem = low;
    } else {
        t->stem = nz;
    }
    t->segments = nz;
    return KHABAR_OK;
}

static khabar_status add_token(khabar_analyzer *an, khabar_doc *d, size_t base, const char *s,
                               size_t a, size_t len, khabar_token_kind kind, uint64_t hash,
                               long block, long sentence)
{
    khabar_token *t = kh_vec_push(&d->tokens, sizeof *t);
    if (!t) return KHABAR_ERROR_MEMORY;
    t->kind = kind;
    t->span.text = s + a;
    t->span.text_len = len;
    t->span.start = kh_doc_input_start(d, base + a);
    t->span.end = kh_doc_input_end(d, base + a + len);
    t->block = block;
    t->sentence = sentence;
    uint64_t *classes = kh_vec_push(&d->token_classes, sizeof *classes);
    uint32_t *count = kh_vec_push(&d->token_counts, sizeof *count);
    if (!classes || !count) return KHABAR_ERROR_MEMORY;
    if (kind != KHABAR_TOKEN_ARABIC) hash = kh_hash(s + a, len);
    uint64_t h = (hash >> 32) ^ (uint32_t)kind;
    uint64_t *slot = form_slot(an, d, s + a, len, kind, h);
    size_t index = d->tokens.len - 1;
    if (*slot) {
        size_t first = (*slot & 0xffffffffu) - 1;
        const khabar_token *f = &KH_AT(d->tokens, khabar_token, first);
        t->norm = f->norm;
        t->segments = f->segments;
        t->stem = f->stem;
        *classes = KH_AT(d->token_classes, uint64_t, first);
        *count = KH_AT(d->token_counts, uint32_t, first);
        return KHABAR_OK;
    }
    khabar_status st = new_form(an, d, t, s + a, len, kind, hash, classes, count);
    return st ? st : form_add(an, slot, index, h);
}

/* Tokens found but not yet added: the scan runs PENDING tokens ahead of
 * the analysis so that each word's cache slot and entry are on their way
 * from memory before they are needed (most of the analysis's time was
 * spent waiting for them). */
#define PENDING 8
#define ENTRY_AHEAD 4

typedef struct pending {
    size_t at, len;
    khabar_token_kind kind;
    uint64_t hash;
} pending;

static khabar_status tokenize(khabar_analyzer *an, khabar_doc *d, const char *s, size_t n,
                              long block, long sentence)
{
    scan sc = {s, n, 0};
    size_t base = (size_t)(s - d->text.data);
    pending queue[PENDING];
    size_t head = 0, count = 0; /* queue[head] is the oldest */
    size_t i = 0;
    unsigned k;
    for (;;) {
        /* Scan until the queue is full or the text ends. */
        while (count < PENDING && i < n) {
            uint32_t cp = at(&sc, i, &k);
            if (is_space(cp) || cp == ZERO_WIDTH_NON_JOINER || cp == ZERO_WIDTH_JOINER) {
                i += k;
                continue;
            }
            pending *p = &queue[(head + count) % PENDING];
            p->at = i;
            p->len = token_at(&sc, i, &p->kind);
            p->hash = 0;
            if (p->kind == KHABAR_TOKEN_ARABIC) {
                p->hash = kh_hash(s + i, p->len);
                kh_word_prefetch_slot(an->words, p->hash);
            }
            i += p->len;
            count++;
        }
        if (!count) break;
        if (count > ENTRY_AHEAD) {
            const pending *ahead = &queue[(head + ENTRY_AHEAD) % PENDING];
            if (ahead->kind == KHABAR_TOKEN_ARABIC) kh_word_prefetch_entry(an->words, ahead->hash);
        }
        const pending *p = &queue[head];
        khabar_status st = add_token(an, d, base, s, p->at, p->len, p->kind, p->hash, block, sentence);
        if (st) return st;
        head = (head + 1) % PENDING;
        count--;
    }
    return KHABAR_OK;
}

khabar_status kh_tokens(khabar_analyzer *an, khabar_doc *d, khabar_error *err)
{
    khabar_status st = forms_reset(an);
    if (!st && d->has_title) st = tokenize(an, d, d->title.text, d->title.text_len, -1, -1);
    for (size_t b = 0; b < d->blocks.len && !st; b++) {
        khabar_block *blk = &KH_AT(d->blocks, khabar_block, b);
        if (blk->kind != KHABAR_BLOCK_PARAGRAPH) {
            st = tokenize(an, d, blk->span.text, blk->span.text_len, (long)b, -1);
            continue;
        }
        for (size_t i = 0; i < blk->sentence_count && !st; i++) {
            size_t si = blk->first_sentence + i;
            khabar_sentence *sen = &KH_AT(d->sentences, khabar_sentence, si);
            sen->first_token = d->tokens.len;
            st = tokenize(an, d, sen->span.text, sen->span.text_len, (long)b, (long)si);
            sen = &KH_AT(d->sentences, khabar_sentence, si);
            sen->token_count = d->tokens.len - sen->first_token;
        }
    }
    if (st) return kh_fail(err, st, 0, "out of memory");
    return KHABAR_OK;
}
