/* Article structure: from raw bytes to a title and blocks (headings and
 * paragraphs) of cleaned text, with every change reported as a repair.
 *
 * Cleaning is per line: invalid UTF-8 (replaced or refused), control
 * characters (dropped), surrounding white space (trimmed).  Then each line is
 * classified: title, boilerplate, heading or paragraph; a paragraph line
 * that ends mid-word is joined to the next when word statistics say the two
 * halves make one word. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "doc.h"

/* ---- boilerplate patterns (data/boilerplate.txt) ---- */

enum { MATCH_LINE, MATCH_PREFIX, MATCH_CONTAINS, MATCH_PROMPT, PLATFORM, CONNECTOR };

struct kh_pattern {
    char *text; /* normalised */
    size_t len;
    int mode;
};

khabar_status kh_boilerplate_load(khabar_model *m, khabar_error *err)
{
    const kh_blob *b = kh_blob_find("boilerplate");
    if (!b) return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data 'boilerplate' is missing");
    const char *s = (const char *)b->data;
    kh_vec pats = {0};
    kh_buf norm = {0};
    for (size_t i = 0; i < b->len;) {
        size_t eol = i;
        while (eol < b->len && s[eol] != '\n') eol++;
        const char *line = s + i;
        size_t n = eol - i;
        i = eol + 1;
        if (n == 0 || line[0] == '#') continue;
        int mode = MATCH_LINE;
        if (n > 2 && !memcmp(line, "@ ", 2)) {
            mode = PLATFORM;
            line += 2;
            n -= 2;
        } else if (n > 2 && !memcmp(line, "+ ", 2)) {
            mode = CONNECTOR;
            line += 2;
            n -= 2;
        } else if (n > 2 && !memcmp(line + n - 2, " @", 2)) {
            mode = MATCH_PROMPT;
            n -= 2;
        } else if (n > 4 && !memcmp(line, "* ", 2) && !memcmp(line + n - 2, " *", 2)) {
            mode = MATCH_CONTAINS;
            line += 2;
            n -= 4;
        } else if (n > 2 && !memcmp(line + n - 2, " *", 2)) {
            mode = MATCH_PREFIX;
            n -= 2;
        }
        norm.len = 0;
        struct kh_pattern *p = kh_vec_push(&pats, sizeof *p);
        if (!p || kh_normalize_append(&norm, line, n, KHABAR_FOLD_ALL) ||
            !(p->text = malloc(norm.len + 1))) {
            if (p) pats.len--;
            m->boilerplate = pats.data;
            m->boilerplate_count = pats.len;
            kh_buf_free(&norm);
            return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        }
        memcpy(p->text, norm.data, norm.len);
        p->text[norm.len] = '\0';
        p->len = norm.len;
        p->mode = mode;
    }
    kh_buf_free(&norm);
    m->boilerplate = pats.data;
    m->boilerplate_count = pats.len;
    return KHABAR_OK;
}

void kh_boilerplate_free(khabar_model *m)
{
    for (size_t i = 0; i < m->boilerplate_count; i++) free(m->boilerplate[i].text);
    free(m->boilerplate);
    m->boilerplate = NULL;
    m->boilerplate_count = 0;
}

/* The length of the separator at t[i] (a space, : | - , / or the Arabic
 * comma), 0 when there is none. */
static size_t separator_len(const char *t, size_t i, size_t len)
{
    if (i >= len) return 0;
    if (strchr(" :|-,/", t[i])) return 1;
    if (i + 1 < len && (unsigned char)t[i] == 0xD8 && (unsigned char)t[i + 1] == 0x8C) return 2; /* ، */
    return 0;
}

/* Whether t[0..len) is one or more platform names (فيسبوك، واتساب، Twitter),
 * each perhaps with و before it, joined by connectors (على، عبر) and
 * separators: what follows a share or follow prompt. */
static int only_platforms(const khabar_model *m, const char *t, size_t len)
{
    static const char waw[] = {KH_UTF8_LETTER(WAW), '\0'};
    int platforms = 0;
    size_t i = 0, sep;
    for (;;) {
        while ((sep = separator_len(t, i, len)) != 0) i += sep;
        if (i >= len) return platforms > 0;
        size_t best = 0;
        int best_mode = 0;
        for (size_t skip = 0; skip <= 2 && !best; skip += 2) {
            if (skip && (len - i < 2 || memcmp(t + i, waw, 2) != 0)) break;
            for (size_t k = 0; k < m->boilerplate_count; k++) {
                const struct kh_pattern *p = &m->boilerplate[k];
                size_t end = i + skip + p->len;
                if ((p->mode != PLATFORM && p->mode != CONNECTOR) || end > len ||
                    memcmp(t + i + skip, p->text, p->len) != 0 || (end < len && !separator_len(t, end, len)))
                    continue;
                if (end - i > best) {
                    best = end - i;
                    best_mode = p->mode;
                }
            }
        }
        if (!best) return 0;
        platforms += best_mode == PLATFORM;
        i += best;
    }
}

static int is_boilerplate(const khabar_model *m, kh_buf *tmp, const char *s, size_t n)
{
    if (n > 400) return 0; /* boilerplate lines are short; skip normalising paragraphs */
    tmp->len = 0;
    if (kh_normalize_append(tmp, s, n, KHABAR_FOLD_ALL) || kh_buf_putc(tmp, '\0')) return 0;
    const char *t = tmp->data;
    size_t len = tmp->len - 1;
    for (size_t i = 0; i < m->boilerplate_count; i++) {
        const struct kh_pattern *p = &m->boilerplate[i];
        if (p->len > len) continue;
        switch (p->mode) {
        case MATCH_LINE:
            if (memcmp(t, p->text, p->len) != 0) break;
            if (len == p->len) return 1;
            /* "الصورة: رويترز", "المصدر : وكالات" */
            for (size_t k = p->len; k < len && (t[k] == ' ' || t[k] == ':'); k++)
                if (t[k] == ':') return 1;
            break;
        case MATCH_PREFIX:
            if (len > p->len && t[p->len] == ' ' && memcmp(t, p->text, p->len) == 0) return 1;
            break;
        case MATCH_CONTAINS:
            if (strstr(t, p->text)) return 1;
            break;
        case MATCH_PROMPT:
            if (len > p->len && t[p->len] == ' ' && memcmp(t, p->text, p->len) == 0 &&
                only_platforms(m, t + p->len, len - p->len))
                return 1;
            break;
        }
    }
    return 0;
}

/* ---- line cleaning ---- */

typedef struct line {
    size_t cs, ce;         /* trimmed, in the analyzer's scratch text */
    size_t blank_before;   /* empty lines before this one */
    int kind;
    int join_next;         /* a word continues on the next line */
} line;

enum { LINE_PARAGRAPH, LINE_TITLE, LINE_HEADING, LINE_BOILERPLATE };

typedef struct builder {
    khabar_analyzer *an;
    khabar_doc *doc;
    kh_buf *clean;   /* cleaned lines, back to back (analyzer scratch) */
    kh_vec runs;     /* kh_run over clean */
    kh_vec lines;
    int replace_invalid;
} builder;

static int add_run(kh_vec *runs, size_t clean, size_t input, size_t clean_len, size_t input_len)
{
    if (clean_len == 0 && input_len == 0) return 0;
    if (runs->len) {
        kh_run *last = &KH_AT(*runs, kh_run, runs->len - 1);
        if (last->clean_len == last->input_len && clean_len == input_len &&
            last->clean + last->clean_len == clean && last->input + last->input_len == input) {
            last->clean_len += clean_len;
            last->input_len += input_len;
            return 0;
        }
    }
    kh_run *r = kh_vec_push(runs, sizeof *r);
    if (!r) return -1;
    *r = (kh_run){clean, input, clean_len, input_len};
    return 0;
}

static khabar_status add_repair(khabar_doc *d, khabar_repair_kind kind, const char *text,
                                size_t len, size_t start, size_t end)
{
    khabar_repair *r = kh_vec_push(&d->repairs, sizeof *r);
    char *copy = kh_arena_strndup(&d->arena, text, len);
    if (!r || !copy) return KHABAR_ERROR_MEMORY;
    r->kind = kind;
    r->span = (khabar_span){copy, len, start, end};
    return KHABAR_OK;
}

size_t kh_line_break(const char *text, size_t i, size_t len, size_t *brk, size_t *paragraph)
{
    const unsigned char *u = (const unsigned char *)text;
    *paragraph = 0;
    for (; i < len; i++) {
        switch (u[i]) {
        case '\n': case '\v': *brk = 1; return i;
        case '\f': *brk = 1; *paragraph = 1; return i;
        case '\r': *brk = i + 1 < len && u[i + 1] == '\n' ? 2 : 1; return i;
        case 0xC2: /* U+0085 */
            if (i + 1 < len && u[i + 1] == (NEXT_LINE & 0x3F) + 0x80) { *brk = 2; return i; }
            break;
        case 0xE2: /* U+2028, U+2029 */
            if (i + 2 < len && u[i + 1] == 0x80 &&
                (u[i + 2] == 0x80 + (LINE_SEPARATOR & 0x3F) || u[i + 2] == 0x80 + (PARAGRAPH_SEPARATOR & 0x3F))) {
                *brk = 3;
                *paragraph = u[i + 2] == 0x80 + (PARAGRAPH_SEPARATOR & 0x3F);
                return i;
            }
            break;
        default: break;
        }
    }
    *brk = 0;
    return len;
}

static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\v' || cp == '\f' ||
           cp == NO_BREAK_SPACE || cp == BYTE_ORDER_MARK || cp == 0x200B ||
           cp == LEFT_TO_RIGHT_MARK || cp == RIGHT_TO_LEFT_MARK || cp == 0x3000 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F;
}

/* Copies input line [s, e) into the clean text, repairing as it goes, and
 * records the trimmed line. */
static khabar_status clean_line(builder *b, const char *in, size_t s, size_t e,
                                size_t blank_before, khabar_error *err)
{
    kh_buf *out = b->clean;
    const unsigned char *u = (const unsigned char *)in;
    size_t line_start = out->len, runs_start_len = b->runs.len;
    size_t first_ink = SIZE_MAX, last_ink_end = 0;
    size_t i = s;
    while (i < e) {
        size_t j = i;
        uint32_t cp = 0;
        unsigned k = 0;
        /* A run of valid, printable characters is copied in one go. */
        while (j < e) {
            int ink;
            if (u[j] >= 0x20 && u[j] < 0x7F) {
                k = 1;
                cp = u[j];
                ink = cp != ' ';
            } else if (u[j] >= 0xD8 && u[j] <= 0xDB && j + 1 < e && (u[j + 1] & 0xC0) == 0x80) {
                k = 2; /* U+0600-U+06FF: Arabic, never a space or a control */
                ink = 1;
            } else {
                k = kh_utf8_decode(u + j, e - j, &cp);
                if (!k || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) break;
                ink = !is_space_cp(cp);
            }
            if (ink) {
                size_t at = out->len + (j - i);
                if (first_ink == SIZE_MAX) first_ink = at;
                last_ink_end = at + k;
            }
            j += k;
        }
        if (j > i) {
            size_t at = out->len;
            if (kh_buf_append(out, in + i, j - i) || add_run(&b->runs, at, i, j - i, j - i))
                return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        }
        if (j >= e) break;
        if (!k) {
            if (!b->replace_invalid)
                return kh_fail(err, KHABAR_ERROR_UTF8, j, "invalid UTF-8 at byte %zu", j);
            size_t bad = j + 1;
            /* One U+FFFD per maximal invalid stretch, as most decoders do. */
            while (bad < e && (u[bad] & 0xC0) == 0x80) bad++;
            char rep[4];
            unsigned rl = kh_utf8_encode(REPLACEMENT_CHARACTER, rep);
            size_t at = out->len;
            if (first_ink == SIZE_MAX) first_ink = at;
            last_ink_end = at + rl;
            if (kh_buf_append(out, rep, rl) || add_run(&b->runs, at, j, rl, bad - j) ||
                add_repair(b->doc, KHABAR_REPAIR_INVALID_UTF8, rep, rl, j, bad))
                return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
            i = bad;
        } else if (cp == '\t') {
            /* Tabs count as spaces. */
            size_t at = out->len;
            if (kh_buf_putc(out, ' ') || add_run(&b->runs, at, j, 1, 1))
                return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
            i = j + 1;
        } else {
            /* Control characters (NUL included) are dropped: a stretch of them
             * is one repair.  A carriage return is part of a line ending. */
            size_t stop = j;
            while (stop < e) {
                uint32_t c2;
                unsigned k2 = kh_utf8_decode(u + stop, e - stop, &c2);
                if (!k2 || !(c2 < 0x20 || c2 == 0x7F || (c2 >= 0x80 && c2 < 0xA0)) || c2 == '\t') break;
                stop += k2;
            }
            int only_cr = 1;
            for (size_t q = j; q < stop; q++) only_cr &= u[q] == '\r';
            if (!only_cr) {
                char label[32];
                int n = snprintf(label, sizeof label, "U+%04X", (unsigned)cp);
                if (add_repair(b->doc, KHABAR_REPAIR_CONTROL, label, (size_t)n, j, stop))
                    return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
            }
            i = stop;
        }
    }
    if (first_ink == SIZE_MAX) {
        /* Blank: keep nothing, neither its text nor its mapping (a stale run
         * would map the next line's text twice). */
        out->len = line_start;
        b->runs.len = runs_start_len;
        return KHABAR_OK;
    }
    line *l = kh_vec_push(&b->lines, sizeof *l);
    if (!l) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    l->cs = first_ink;
    l->ce = last_ink_end;
    l->blank_before = blank_before;
    l->kind = LINE_PARAGRAPH;
    return KHABAR_OK;
}

/* ---- classification ---- */

static uint32_t last_cp(const char *s, size_t n, size_t *start)
{
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
    if (i == 0 && n == 0) { *start = 0; return 0; }
    if (i > 0) i--;
    uint32_t cp = 0;
    if (!kh_utf8_decode((const unsigned char *)s + i, n - i, &cp)) cp = 0;
    *start = i;
    return cp;
}

static int ends_sentence(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == ';' || cp == ',' ||
           cp == ARABIC_QUESTION_MARK || cp == ARABIC_SEMICOLON || cp == ARABIC_COMMA ||
           cp == HORIZONTAL_ELLIPSIS || cp == ARABIC_FULL_STOP;
}

static int is_word_cp(uint32_t cp) { return kh_is_arabic_letter(cp) || kh_is_arabic_mark(cp) || cp == TATWEEL; }

/* The Arabic word at the end of s[0..n) (trailing) or at its start. */
static size_t trailing_word(const char *s, size_t n)
{
    size_t i = n;
    while (i > 0) {
        size_t st;
        uint32_t cp = last_cp(s, i, &st);
        if (!is_word_cp(cp)) break;
        i = st;
    }
    return i;
}

static size_t leading_word(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!k || !is_word_cp(cp)) break;
        i += k;
    }
    return i;
}

/* A heading has words: a line of digits or symbols is not one. */
static int has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!k) return 0;
        if (kh_is_arabic_letter(cp) || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) return 1;
        i += k;
    }
    return 0;
}

static size_t word_count(const char *s, size_t n)
{
    size_t words = 0;
    int in_word = 0;
    for (size_t i = 0; i < n; i++) {
        int space = s[i] == ' ';
        if (!space && !in_word) words++;
        in_word = !space;
    }
    return words;
}

static double count_of(const khabar_model *m, const char *w, size_t n)
{
    return (double)kh_lexicon_count(m->vocab, w, n);
}

/* How often the joined word occurs, counting also its forms with a
 * proclitic and article stripped (rare inflections of known words). */
static double joined_count(const khabar_model *m, const char *w, size_t n)
{
    double c = count_of(m, w, n);
    if (c > 0) return c;
    /* وال فال بال كال لل ال و ف ب ل, longest first, encoded at compile time */
#define P(cp) KH_UTF8_LETTER(cp)
    static const char prefixes[][7] = {{P(WAW), P(ALEF), P(LAM)}, {P(FEH), P(ALEF), P(LAM)}, {P(BEH), P(ALEF), P(LAM)},
                                       {P(KAF), P(ALEF), P(LAM)}, {P(LAM), P(LAM)}, {P(ALEF), P(LAM)}, {P(WAW)},
                                       {P(FEH)}, {P(BEH)}, {P(LAM)}};
#undef P
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        const char *prefix = prefixes[i];
        size_t pl = strlen(prefix);
        if (n > pl + 4 && memcmp(w, prefix, pl) == 0) {
            double rest = count_of(m, w + pl, n - pl);
            if (rest > 0) return rest * 0.05;
        }
    }
    return 0;
}

/* Does the word broken as a|b read better as one word?  Under a unigram
 * model of the reference corpus: P(ab) against P(a)·P(b). */
static int should_join(const khabar_model *m, kh_buf *tmp, const char *a, size_t an,
                       const char *b, size_t bn)
{
    double total = (double)kh_lexicon_total(m->vocab);
    if (total <= 0 || an == 0 || bn == 0 || an + bn > 120) return 0;
    tmp->len = 0;
    if (kh_normalize_append(tmp, a, an, KHABAR_FOLD_ALL)) return 0;
    size_t na = tmp->len;
    if (kh_normalize_append(tmp, b, bn, KHABAR_FOLD_ALL)) return 0;
    const char *w = tmp->data;
    if (na == 0 || tmp->len == na) return 0; /* a half that is only tatweel or marks */
    double cab = joined_count(m, w, tmp->len);
    if (cab <= 0) return 0;
    const double eps = 0.5;
    double ca = count_of(m, w, na), cb = count_of(m, w + na, tmp->len - na);
    /* Line breaks fall between words far more often than inside one: the
     * joined reading must be much likelier than the split one. */
    const double prior = log(100.0);
    return log(cab + eps) + log(total) > log(ca + eps) + log(cb + eps) + prior;
}

static void classify(builder *b, const khabar_options *opts, kh_buf *tmp)
{
    const khabar_model *m = b->an->model;
    line *L = b->lines.data;
    size_t n = b->lines.len;
    const char *t = b->clean->data;
    size_t first = 0;
    if (!(opts->flags & KHABAR_OPTION_NO_TITLE)) {
        while (first < n && is_boilerplate(m, tmp, t + L[first].cs, L[first].ce - L[first].cs))
            L[first++].kind = LINE_BOILERPLATE;
        if (first < n) L[first++].kind = LINE_TITLE;
    }
    for (size_t i = first; i < n; i++)
        if (is_boilerplate(m, tmp, t + L[i].cs, L[i].ce - L[i].cs)) L[i].kind = LINE_BOILERPLATE;

    for (size_t i = first; i + 1 < n; i++) {
        line *x = &L[i], *y = &L[i + 1];
        if (x->kind != LINE_PARAGRAPH || y->kind != LINE_PARAGRAPH || y->blank_before) continue;
        size_t wa = trailing_word(t + x->cs, x->ce - x->cs);
        size_t wb = leading_word(t + y->cs, y->ce - y->cs);
        if (wa == x->ce - x->cs || wb == 0) continue;
        x->join_next = should_join(m, tmp, t + x->cs + wa, x->ce - x->cs - wa, t + y->cs, wb);
    }

    /* A short line without final punctuation, between two pieces of content
     * and not part of a joined paragraph, is a heading. */
    int seen_content = first > 0;
    for (size_t i = first; i < n; i++) {
        line *x = &L[i];
        if (x->kind != LINE_PARAGRAPH) continue;
        int joined = x->join_next || (i > first && L[i - 1].join_next);
        size_t len = x->ce - x->cs, st;
        uint32_t end = last_cp(t + x->cs, len, &st);
        size_t next = i + 1;
        while (next < n && L[next].kind == LINE_BOILERPLATE) next++;
        if (seen_content && !joined && next < n && !ends_sentence(end) && len <= 160 &&
            word_count(t + x->cs, len) <= 10 && has_letter(t + x->cs, len))
            x->kind = LINE_HEADING;
        seen_content = 1;
    }
}

/* ---- assembly ---- */

/* Appends clean[a, b) to the doc's text, carrying the input mapping. */
static int append_clean(builder *b, size_t a, size_t e)
{
    khabar_doc *d = b->doc;
    const kh_run *r = b->runs.data;
    size_t lo = 0, hi = b->runs.len;
    while (lo < hi) { /* first run ending after a */
        size_t mid = (lo + hi) / 2;
        if (r[mid].clean + r[mid].clean_len <= a) lo = mid + 1;
        else hi = mid;
    }
    for (size_t k = lo; k < b->runs.len && r[k].clean < e; k++) {
        size_t s = r[k].clean > a ? r[k].clean : a;
        size_t t = r[k].clean + r[k].clean_len < e ? r[k].clean + r[k].clean_len : e;
        if (t <= s) continue;
        size_t at = d->text.len;
        int whole = r[k].clean_len != r[k].input_len;
        if (kh_buf_append(&d->text, b->clean->data + s, t - s) ||
            add_run(&d->runs, at, whole ? r[k].input : r[k].input + (s - r[k].clean), t - s,
                    whole ? r[k].input_len : t - s))
            return -1;
    }
    return 0;
}

static size_t runs_start(const kh_vec *runs, size_t clean, size_t fallback)
{
    const kh_run *r = runs->data;
    size_t lo = 0, hi = runs->len;
    while (lo < hi) { /* first run ending after clean */
        size_t mid = (lo + hi) / 2;
        if (r[mid].clean + r[mid].clean_len <= clean) lo = mid + 1;
        else hi = mid;
    }
    if (lo == runs->len) return fallback;
    if (clean < r[lo].clean || r[lo].clean_len != r[lo].input_len) return r[lo].input;
    return r[lo].input + (clean - r[lo].clean);
}

static size_t runs_end(const kh_vec *runs, size_t clean, size_t fallback)
{
    const kh_run *r = runs->data;
    size_t lo = 0, hi = runs->len;
    while (lo < hi) { /* first run ending at or after clean */
        size_t mid = (lo + hi) / 2;
        if (r[mid].clean + r[mid].clean_len < clean) lo = mid + 1;
        else hi = mid;
    }
    if (lo == runs->len) return fallback;
    if (clean <= r[lo].clean) return r[lo].input;
    if (r[lo].clean_len != r[lo].input_len) return r[lo].input + r[lo].input_len;
    return r[lo].input + (clean - r[lo].clean);
}

size_t kh_doc_input_start(const khabar_doc *d, size_t clean)
{
    if (d->title_given && clean <= d->title.text_len) return d->title_skip + clean;
    return runs_start(&d->runs, clean, d->input_len);
}

size_t kh_doc_input_end(const khabar_doc *d, size_t clean)
{
    if (d->title_given && clean <= d->title.text_len) return d->title_skip + clean;
    return runs_end(&d->runs, clean, d->input_len);
}

#define NOMEM kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory")

static khabar_status assemble(builder *b, const khabar_options *opts, khabar_error *err)
{
    khabar_doc *d = b->doc;
    line *L = b->lines.data;
    size_t n = b->lines.len;
    const char *t = b->clean->data;
    size_t title_clean = 0;
    if ((opts->flags & KHABAR_OPTION_NO_TITLE) && opts->title && opts->title_len) {
        /* The title came with the record: only its white space is trimmed.
         * It has no input span and maps to no run. */
        size_t s = 0, e = opts->title_len;
        while (s < e && (opts->title[s] == ' ' || opts->title[s] == '\n' || opts->title[s] == '\t')) s++;
        while (e > s && (opts->title[e - 1] == ' ' || opts->title[e - 1] == '\n' || opts->title[e - 1] == '\t')) e--;
        if (e > s) {
            d->has_title = d->title_given = 1;
            d->title_skip = s;
            d->title.start = s; /* offsets in the given title */
            d->title.end = e;
            d->title.text_len = e - s;
            if (kh_buf_append(&d->text, opts->title + s, e - s) || kh_buf_putc(&d->text, '\n')) return NOMEM;
        }
    }
    kh_vec starts = {0}; /* clean offset of each block */
    for (size_t i = 0; i < n; i++) {
        line *x = &L[i];
        if (x->kind == LINE_BOILERPLATE) {
            if (add_repair(d, KHABAR_REPAIR_BOILERPLATE, t + x->cs, x->ce - x->cs,
                           runs_start(&b->runs, x->cs, 0), runs_end(&b->runs, x->ce, 0)))
                goto nomem;
            continue;
        }
        size_t at = d->text.len;
        if (append_clean(b, x->cs, x->ce)) goto nomem;
        while (x->join_next && i + 1 < n) {
            line *y = &L[i + 1];
            size_t alen = x->ce - x->cs - trailing_word(t + x->cs, x->ce - x->cs);
            size_t blen = leading_word(t + y->cs, y->ce - y->cs);
            size_t w = d->text.len - alen;
            if (append_clean(b, y->cs, y->ce)) goto nomem;
            if (add_repair(d, KHABAR_REPAIR_JOINED_WORD, d->text.data + w, alen + blen,
                           kh_doc_input_start(d, w), kh_doc_input_end(d, w + alen + blen)))
                goto nomem;
            x = y;
            i++;
        }
        if (L[i].kind == LINE_TITLE || x->kind == LINE_TITLE) {
            d->has_title = 1;
            title_clean = at;
            d->title.text_len = d->text.len - at;
            d->title.start = kh_doc_input_start(d, at);
            d->title.end = kh_doc_input_end(d, d->text.len);
        } else {
            khabar_block *blk = kh_vec_push(&d->blocks, sizeof *blk);
            size_t *st = kh_vec_push(&starts, sizeof *st);
            if (!blk || !st) goto nomem;
            *st = at;
            blk->kind = x->kind == LINE_HEADING ? KHABAR_BLOCK_HEADING : KHABAR_BLOCK_PARAGRAPH;
            blk->span.text_len = d->text.len - at;
            blk->span.start = kh_doc_input_start(d, at);
            blk->span.end = kh_doc_input_end(d, d->text.len);
        }
        if (kh_buf_putc(&d->text, '\n')) goto nomem;
    }
    /* The text is complete: point the spans into it. */
    if (d->has_title) d->title.text = d->text.data + title_clean;
    for (size_t k = 0; k < d->blocks.len; k++)
        KH_AT(d->blocks, khabar_block, k).span.text = d->text.data + KH_AT(starts, size_t, k);
    kh_vec_free(&starts);
    return KHABAR_OK;
nomem:
    kh_vec_free(&starts);
    return NOMEM;
}

khabar_status kh_structure(khabar_analyzer *an, khabar_doc *d, const char *input, size_t len,
                           const khabar_options *opts, khabar_error *err)
{
    builder b = {an, d, &an->scratch, {0}, {0}, (opts->flags & KHABAR_OPTION_REPLACE_INVALID) != 0};
    khabar_status st = KHABAR_OK;
    b.clean->len = 0;
    d->input_len = len;
    size_t i = 0;
    if (len >= 3 && !memcmp(input, "\xEF\xBB\xBF", 3)) i = 3; /* byte-order mark */
    const char *enc = opts->source_encoding;
    if (enc && strcmp(enc, "utf-8") && strcmp(enc, "UTF-8") &&
        add_repair(d, KHABAR_REPAIR_ENCODING, enc, strlen(enc), 0, len))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    size_t blank = 0;
    while (i <= len) {
        size_t brk, paragraph;
        size_t e = kh_line_break(input, i, len, &brk, &paragraph);
        size_t before = b.lines.len;
        if ((st = clean_line(&b, input, i, e, blank, err))) goto done;
        blank = b.lines.len == before ? blank + 1 : 0;
        blank += paragraph;
        if (e == len) break;
        i = e + brk;
    }
    classify(&b, opts, &an->scratch2);
    if ((st = assemble(&b, opts, err))) goto done;
    if (!d->has_title && d->blocks.len == 0)
        st = kh_fail(err, KHABAR_ERROR_EMPTY, 0, "the article has no text");
done:
    kh_vec_free(&b.runs);
    kh_vec_free(&b.lines);
    return st;
}
