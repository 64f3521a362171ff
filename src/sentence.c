/* Sentence splitting inside paragraphs.  Scraped Arabic text has unbalanced
 * quote marks, so quotes never suppress a split; they only decide whether a
 * quote mark after a full stop closes the sentence or opens the next. */
#include <string.h>

#include "arabic.h"
#include "doc.h"

static uint32_t cp_at(const char *s, size_t n, size_t i, unsigned *len)
{
    uint32_t cp = 0;
    *len = i < n ? kh_utf8_decode((const unsigned char *)s + i, n - i, &cp) : 0;
    if (i < n && !*len) *len = 1;
    return cp;
}

static uint32_t cp_before(const char *s, size_t i, size_t *start)
{
    size_t j = i;
    while (j > 0 && ((unsigned char)s[j - 1] & 0xC0) == 0x80) j--;
    if (j > 0) j--;
    uint32_t cp = 0;
    if (i > 0 && !kh_utf8_decode((const unsigned char *)s + j, i - j, &cp)) cp = 0;
    *start = j;
    return cp;
}

static int is_terminator(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == ARABIC_QUESTION_MARK ||
           cp == ARABIC_SEMICOLON || cp == HORIZONTAL_ELLIPSIS || cp == ARABIC_FULL_STOP;
}

static int is_closer(uint32_t cp)
{
    return cp == ')' || cp == ']' || cp == '}' || cp == RIGHT_DOUBLE_QUOTE ||
           cp == RIGHT_GUILLEMET || cp == 0x2019 /* ’ */ || cp == '\'';
}

static int is_space(uint32_t cp) { return cp == ' ' || cp == NO_BREAK_SPACE || cp == '\n'; }

static int is_letter(uint32_t cp)
{
    return kh_is_arabic_letter(cp) || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

/* Latin abbreviations that take a full stop mid-sentence. */
static int is_abbreviation(const char *w, size_t n)
{
    static const char *const abbr[] = {"Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr",
                                       "vs", "etc", "No", "Inc", "Ltd", "Co", "Gen", "Col"};
    for (size_t i = 0; i < sizeof abbr / sizeof *abbr; i++)
        if (strlen(abbr[i]) == n && memcmp(abbr[i], w, n) == 0) return 1;
    return 0;
}

/* Whether the one letter s[start, i) is the م that completes ق.م or ق. م
 * (before Christ): an abbreviation already whole, so a full stop after it
 * ends the sentence (عام 64 ق.م. وازدهرت المدينة). */
static int ends_era(const char *s, size_t start, size_t i)
{
    unsigned k;
    size_t p = start, st;
    if (cp_at(s, i, start, &k) != MEEM) return 0;
    if (p > 0 && cp_before(s, p, &st) == ' ') p = st;
    if (p == 0 || cp_before(s, p, &st) != '.') return 0;
    p = st;
    if (p == 0 || cp_before(s, p, &st) != QAF) return 0;
    return st == 0 || !is_letter(cp_before(s, st, &st));
}

/* A full stop at s[i] that does not end a sentence: in a number (10.000,
 * 3.5), inside a URL or a name (www.x.com), after an initial (د. أ. J.) or
 * an abbreviation. */
static int dot_is_internal(const char *s, size_t n, size_t i)
{
    unsigned k;
    uint32_t next = cp_at(s, n, i + 1, &k);
    if (i + 1 < n && !is_space(next) && !is_closer(next) && next != '"' && !is_terminator(next))
        return 1;
    /* The word before the dot. */
    size_t start = i, st;
    while (start > 0) {
        uint32_t cp = cp_before(s, start, &st);
        if (!is_letter(cp) && !kh_is_arabic_mark(cp) && cp != TATWEEL) break;
        start = st;
    }
    size_t letters = 0;
    for (size_t j = start; j < i;) {
        uint32_t cp = cp_at(s, n, j, &k);
        if (is_letter(cp)) letters++;
        j += k;
    }
    if (letters == 1 && i + 1 < n) {
        if (!ends_era(s, start, i)) return 1;
        /* a word after it begins the next sentence; a dash or a number
         * continues this one (1303 ق. م. - 1213 ق. م.) */
        size_t j = i + 1;
        while (j < n && is_space(cp_at(s, n, j, &k))) j += k;
        return j >= n || !is_letter(cp_at(s, n, j, &k));
    }
    return is_abbreviation(s + start, i - start) && i + 1 < n;
}

static khabar_status add_sentence(khabar_doc *d, size_t block, size_t base, const char *s,
                                  size_t a, size_t e)
{
    khabar_sentence *sen = kh_vec_push(&d->sentences, sizeof *sen);
    if (!sen) return KHABAR_ERROR_MEMORY;
    sen->block = block;
    sen->span.text = s + a;
    sen->span.text_len = e - a;
    sen->span.start = kh_doc_input_start(d, base + a);
    sen->span.end = kh_doc_input_end(d, base + e);
    return KHABAR_OK;
}

/* The first byte at or after i that may begin a '"' or a terminator
 * (. ! ? ؟ ؛ ۔ …), or n.  Most of a paragraph is letters: this skips them a
 * byte at a time without decoding them; a lead byte is never mistaken for
 * a continuation byte, so any byte is a safe place to stop. */
static size_t next_candidate(const char *s, size_t n, size_t i)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; i < n; i++) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == '"' || c == '.' || c == '!' || c == '?') return i;
        } else if (c == 0xD8) { /* U+061B ؛, U+061F ؟ */
            if (i + 1 < n && (p[i + 1] == 0x9B || p[i + 1] == 0x9F)) return i;
        } else if (c == 0xDB) { /* U+06D4 ۔ */
            if (i + 1 < n && p[i + 1] == 0x94) return i;
        } else if (c == 0xE2) { /* U+2026 … */
            if (i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0xA6) return i;
        }
    }
    return n;
}

static khabar_status split_block(khabar_doc *d, size_t bi)
{
    khabar_block *blk = &KH_AT(d->blocks, khabar_block, bi);
    const char *s = blk->span.text;
    size_t n = blk->span.text_len, base = (size_t)(s - d->text.data);
    size_t first = d->sentences.len;
    size_t start = 0, i = 0;
    int open_quote = 0; /* parity of '"' in the current sentence */
    unsigned k;
    while (i < n) {
        i = next_candidate(s, n, i);
        if (i >= n) break;
        uint32_t cp = cp_at(s, n, i, &k);
        if (cp == '"') open_quote = !open_quote;
        if (!is_terminator(cp) || (cp == '.' && dot_is_internal(s, n, i))) {
            i += k;
            continue;
        }
        size_t e = i + k;
        for (;;) { /* a run of terminators: ?! ... ؟! */
            uint32_t c2 = cp_at(s, n, e, &k);
            if (e < n && is_terminator(c2)) e += k;
            else break;
        }
        for (;;) { /* closing marks that belong to this sentence */
            uint32_t c2 = cp_at(s, n, e, &k);
            if (e < n && (is_closer(c2) || (c2 == '"' && open_quote))) {
                if (c2 == '"') open_quote = 0;
                e += k;
            } else break;
        }
        uint32_t after = cp_at(s, n, e, &k);
        if (e < n && !is_space(after)) { /* "؟!وقال" or "...والتي": not a sentence end */
            i = e;
            continue;
        }
        if (add_sentence(d, bi, base, s, start, e)) return KHABAR_ERROR_MEMORY;
        while (e < n && is_space(cp_at(s, n, e, &k))) e += k;
        start = i = e;
        open_quote = 0;
    }
    size_t end = n;
    while (end > start && s[end - 1] == ' ') end--;
    if (end > start && add_sentence(d, bi, base, s, start, end)) return KHABAR_ERROR_MEMORY;
    blk = &KH_AT(d->blocks, khabar_block, bi);
    blk->first_sentence = first;
    blk->sentence_count = d->sentences.len - first;
    return KHABAR_OK;
}

khabar_status kh_sentences(khabar_doc *d, khabar_error *err)
{
    for (size_t b = 0; b < d->blocks.len; b++) {
        khabar_block *blk = &KH_AT(d->blocks, khabar_block, b);
        blk->first_sentence = d->sentences.len;
        if (blk->kind != KHABAR_BLOCK_PARAGRAPH) continue;
        if (split_block(d, b)) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    return KHABAR_OK;
}
