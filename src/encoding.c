/* Input in other encodings: byte-order marks, conversion with iconv, and
 * detection of the encoding of text that is not UTF-8.
 *
 * Detection asks uchardet, and checks every answer that matters against
 * the text itself: each candidate encoding is read (iconv) and the reading
 * is judged as text.  A reading is implausible when a word mixes Arabic
 * letters with Latin or other letters, or a haraka sits where none can
 * (at the start of a word, tanween inside one): Windows-1256 read as
 * ISO-8859-6 puts tanween where yeh and alef maksura were (and has no byte
 * at all for feh, qaf, kaf); ISO-8859-6 read as Windows-1256 puts ç è é ê
 * where heh, waw, alef maksura and yeh were.  When both Arabic readings are
 * plausible the text is short; uchardet then decides only from a few words
 * up, else the caller is asked to name the encoding. */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <uchardet.h>
#include <utf8proc.h>

#include "arabic.h"
#include "kh.h"

/* Below this many Arabic words, two plausible Arabic readings are a doubt
 * even when uchardet picks one: it misreads single words (من in
 * Windows-1256 as ISO-8859-6, كتاب as ISO-8859-7), and with 3 it was wrong
 * on 1 of 403 three-word texts each way, with 4 on none (26 and 37 left as
 * doubts; tools/encoding-eval.sh).  A wrong guess is silent mojibake; a
 * doubt is an error that says what to do. */
#define MIN_WORDS_TO_TRUST_UCHARDET 4

static const char WINDOWS_1256[] = "windows-1256";
static const char ISO_8859_6[] = "iso-8859-6";
static const char UTF_8[] = "utf-8";
static const char UTF_16LE[] = "utf-16le";
static const char UTF_16BE[] = "utf-16be";

void khabar_free(void *ptr) { free(ptr); }

/* ---- names ---- */

/* Lower-case names handed out as `used`: static for the common ones, kept
 * for the process's life for others (few: one per name a caller uses). */
#define MAX_KEPT_NAMES 64
static char *kept_names[MAX_KEPT_NAMES];
static size_t kept_count;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y) return 0;
    }
    return *a == *b;
}

/* The static lower-case form of an encoding name, or NULL (memory, or too
 * many different names). */
static const char *static_name(const char *name)
{
    static const char *const known[] = {UTF_8,       UTF_16LE,     UTF_16BE,     WINDOWS_1256,
                                        ISO_8859_6,  "utf-16",     "windows-1252", "iso-8859-1",
                                        "ascii",     "windows-1251", "iso-8859-15"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (same_name(name, known[i])) return known[i];
    if (same_name(name, "utf8")) return UTF_8;
    if (same_name(name, "cp1256")) return WINDOWS_1256;
    if (same_name(name, "arabic")) return ISO_8859_6;
    const char *found = NULL;
    pthread_mutex_lock(&kept_lock);
    for (size_t i = 0; i < kept_count && !found; i++)
        if (same_name(name, kept_names[i])) found = kept_names[i];
    if (!found && kept_count < MAX_KEPT_NAMES) {
        size_t n = strlen(name);
        char *copy = malloc(n + 1);
        if (copy) {
            for (size_t i = 0; i <= n; i++)
                copy[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
            kept_names[kept_count++] = copy;
            found = copy;
        }
    }
    pthread_mutex_unlock(&kept_lock);
    return found;
}


/* ---- conversion ---- */

/* Converts data[0..len) from `from` into a malloc'd NUL-terminated UTF-8
 * buffer.  On bytes that do not fit, sets *bad to their offset and returns
 * KHABAR_ERROR_ENCODING without a message; KHABAR_ERROR_ARGUMENT when iconv
 * does not know the name. */
static khabar_status convert(const char *data, size_t len, const char *from, char **out,
                             size_t *out_len, size_t *bad)
{
    if (len > (SIZE_MAX - 16) / 3) return KHABAR_ERROR_MEMORY;
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) return KHABAR_ERROR_ARGUMENT;
    /* UTF-16 takes at most 3 UTF-8 bytes for 2 bytes in; single-byte
     * encodings at most 3 for 1; grown when another needs more. */
    size_t cap = 3 * len + 16;
    char *buf = malloc(cap);
    khabar_status st = KHABAR_OK;
    char *in = (char *)(uintptr_t)data;
    size_t in_left = len, done = 0;
    while (buf) {
        char *o = buf + done;
        size_t o_left = cap - done - 1;
        size_t r = in_left ? iconv(cd, &in, &in_left, &o, &o_left) : 0;
        if (r != (size_t)-1) r = iconv(cd, NULL, NULL, &o, &o_left); /* flush a stateful encoding */
        done = (size_t)(o - buf);
        if (r != (size_t)-1) break;
        if (errno == E2BIG) {
            char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!bigger) { free(buf); buf = NULL; break; }
            buf = bigger;
            cap *= 2;
            continue;
        }
        *bad = len - in_left; /* EILSEQ, or EINVAL: the input ends inside a character */
        st = KHABAR_ERROR_ENCODING;
        break;
    }
    iconv_close(cd);
    if (!buf) return KHABAR_ERROR_MEMORY;
    if (st) { free(buf); return st; }
    /* A byte-order mark iconv kept (UTF-16LE and -BE keep it as a character). */
    if (done >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        memmove(buf, buf + 3, done - 3);
        done -= 3;
    }
    buf[done] = '\0';
    *out = buf;
    *out_len = done;
    return KHABAR_OK;
}

static khabar_status copy_utf8(const char *data, size_t len, char **out, size_t *out_len)
{
    char *buf = malloc(len + 1);
    if (!buf) return KHABAR_ERROR_MEMORY;
    if (len) memcpy(buf, data, len);
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return KHABAR_OK;
}

/* ---- judging a reading ---- */

typedef struct reading {
    size_t arabic_words; /* words with Arabic letters and nothing foreign */
    size_t other_words;  /* words of Latin or other letters alone */
    size_t bad_words;    /* words no language writes: mixed scripts, misplaced harakat */
    size_t odd_chars;    /* C1 controls and unassigned code points */
} reading;

enum { LETTER_NONE, LETTER_ARABIC, LETTER_OTHER, LETTER_MARK };

static int letter_class(uint32_t cp)
{
    if (kh_is_arabic_letter(cp) || cp == TATWEEL) return LETTER_ARABIC;
    if (kh_is_arabic_mark(cp)) return LETTER_MARK;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) return LETTER_OTHER;
    return LETTER_NONE;
}

static int is_tanween(uint32_t cp) { return cp >= FATHATAN && cp <= FATHATAN + 2; }

static void judge(const char *text, size_t len, reading *r)
{
    memset(r, 0, sizeof *r);
    const unsigned char *u = (const unsigned char *)text;
    int arabic = 0, other = 0, bad = 0;
    size_t letters = 0;
    uint32_t prev = 0;
    for (size_t i = 0; i <= len;) {
        uint32_t cp = 0;
        unsigned k = i < len ? kh_utf8_decode(u + i, len - i, &cp) : 1;
        if (!k) k = 1;
        int cls = i < len ? letter_class(cp) : LETTER_NONE;
        if (i < len && ((cp >= 0x80 && cp < 0xA0) ||
                        utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CN))
            r->odd_chars++;
        if (cls == LETTER_NONE) {
            if (letters) {
                if (bad || (arabic && other)) r->bad_words++;
                else if (arabic) r->arabic_words++;
                else if (other) r->other_words++;
            }
            arabic = other = bad = 0;
            letters = 0;
        } else {
            if (cls == LETTER_MARK && !letters) bad = 1;
            /* Tanween ends a word; fathatan may come before a last alef (كتاباً). */
            if (letters && is_tanween(prev) && cls != LETTER_MARK &&
                !(prev == FATHATAN && (cp == ALEF || cp == ALEF_MAKSURA)))
                bad = 1;
            arabic |= cls == LETTER_ARABIC;
            other |= cls == LETTER_OTHER;
            letters++;
        }
        prev = cp;
        i += k;
    }
}

/* Plausible: at most one word in 20 implausible, and no C1 controls. */
static int plausible(const reading *r)
{
    return r->bad_words * 20 <= r->arabic_words + r->other_words && r->odd_chars == 0;
}

/* Plausible as Arabic: implausible words are few beside the Arabic ones
 * (French in Windows-1252 read as Windows-1256 has a lone letter or two
 * that is Arabic there, É as ة, among many words that mix scripts). */
static int plausible_arabic(const reading *r)
{
    return r->arabic_words && r->bad_words * 20 <= r->arabic_words && r->odd_chars == 0;
}

/* ---- detection ---- */

/* Reads data as `name`: 1 and the judgement when every byte fits, else 0. */
static int try_reading(const char *data, size_t len, const char *name, reading *r)
{
    char *text;
    size_t n, bad;
    if (convert(data, len, name, &text, &n, &bad) != KHABAR_OK) return 0;
    judge(text, n, r);
    free(text);
    return 1;
}

/* Text in UTF-16 without a byte-order mark: every byte pair reads as a code
 * unit, and nearly every character is one of the scripts and punctuation
 * of news (text in a single-byte encoding read two bytes at a time gives
 * CJK and private-use characters, not Arabic and ASCII). */
static int looks_utf16(const char *data, size_t len, const char *name)
{
    if (len < 4 || len % 2) return 0;
    char *text;
    size_t n, bad;
    if (convert(data, len, name, &text, &n, &bad) != KHABAR_OK) return 0;
    size_t common = 0, all = 0;
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        unsigned k = kh_utf8_decode(u + i, n - i, &cp);
        if (!k) break;
        all++;
        common += (cp >= 0x20 && cp < 0x7F) || cp == '\n' || cp == '\r' || cp == '\t' ||
                  (cp >= 0xA0 && cp < 0x250) || (cp >= 0x600 && cp < 0x700) ||
                  (cp >= 0x2000 && cp < 0x2070) || (cp >= 0xFB50 && cp < 0xFF00);
        i += k;
    }
    free(text);
    return all && common * 20 >= all * 19;
}

/* Damaged UTF-8 rather than another encoding: more well-formed multi-byte
 * sequences than stray bytes.  Arabic in Windows-1256 or ISO-8859-6 has
 * almost none (its letters are lead bytes, 0xC1-0xFF, seldom followed by a
 * continuation byte, 0x80-0xBF). */
static int mostly_utf8(const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t good = 0, stray = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode(u + i, len - i, &cp);
        if (!k) { stray++; i++; continue; }
        good += k > 1;
        i += k;
    }
    return good > stray;
}

/* Whether the bytes above 0x7F all stand alone.  Text in an Arabic
 * single-byte encoding has runs of them (its words); a stray byte or two in
 * ASCII is damaged UTF-8 as likely as anything. */
static int only_stray_bytes(const char *data, size_t len)
{
    for (size_t i = 1; i < len; i++)
        if ((data[i] & 0x80) && (data[i - 1] & 0x80)) return 0;
    return 1;
}

/* uchardet's answer as a static name, or NULL when it has none. */
static const char *ask_uchardet(const char *data, size_t len)
{
    uchardet_t ud = uchardet_new();
    if (!ud) return NULL;
    const char *name = NULL;
    if (uchardet_handle_data(ud, data, len) == 0) {
        uchardet_data_end(ud);
        const char *got = uchardet_get_charset(ud);
        /* ISO-8859-1 is read as Windows-1252, as browsers do (WHATWG): the
         * same letters, and quotes and dashes where 8859-1 has controls. */
        if (got && same_name(got, "iso-8859-1")) got = "windows-1252";
        if (got && *got && !same_name(got, "ascii")) name = static_name(got);
    }
    uchardet_delete(ud);
    return name;
}

/* Detection reads at most this much (an even length, for UTF-16): a
 * megabyte of text tells its encoding as well as more would. */
#define DETECTION_SAMPLE ((size_t)1 << 20)

/* Decides the encoding of bytes that are not UTF-8 and have no byte-order
 * mark: a static name, or NULL with *likely set to the names to suggest. */
static const char *detect(const char *data, size_t len, const char **likely)
{
    if (len > DETECTION_SAMPLE) len = DETECTION_SAMPLE;
    if (looks_utf16(data, len, UTF_16LE)) return UTF_16LE;
    if (looks_utf16(data, len, UTF_16BE)) return UTF_16BE;
    const char *guess = ask_uchardet(data, len);
    reading w, iso;
    int w_fits = try_reading(data, len, WINDOWS_1256, &w);
    int iso_fits = try_reading(data, len, ISO_8859_6, &iso);
    int w_ok = w_fits && plausible_arabic(&w);
    int iso_ok = iso_fits && plausible_arabic(&iso);
    *likely = "windows-1256 or iso-8859-6";
    if (w_ok && !iso_ok) return WINDOWS_1256;
    if (iso_ok && !w_ok) return ISO_8859_6;
    if (w_ok && iso_ok)
        return (guess == WINDOWS_1256 || guess == ISO_8859_6) &&
                       w.arabic_words >= MIN_WORDS_TO_TRUST_UCHARDET
                   ? guess
                   : NULL;
    /* Not Arabic in either reading: a Latin or other script, as uchardet
     * says when its reading is plausible, has no Arabic, and is a few words
     * long (x\377 is not surely xÿ). */
    reading g;
    if (guess && guess != WINDOWS_1256 && guess != ISO_8859_6 && try_reading(data, len, guess, &g) &&
        plausible(&g) && !g.arabic_words && g.other_words >= MIN_WORDS_TO_TRUST_UCHARDET)
        return guess;
    *likely = w_fits && w.arabic_words ? "windows-1256, iso-8859-6 or windows-1252"
                                       : "windows-1252 or windows-1256";
    return NULL;
}

/* ---- the entry point ---- */

khabar_status khabar_decode(const char *data, size_t len, const char *encoding, char **out,
                            size_t *out_len, const char **used, khabar_error *err)
{
    if (out) *out = NULL;
    if (out_len) *out_len = 0;
    if (used) *used = NULL;
    if (!out || !out_len || (!data && len))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_decode: NULL argument");
    if (!data) data = "";
    const char *name = NULL;
    size_t skip = 0; /* a byte-order mark */
    if (encoding) {
        if (!*encoding) /* iconv would take "" for the locale's encoding */
            return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "unknown encoding ''");
        name = static_name(encoding);
        if (!name) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        if (name != UTF_8) {
            iconv_t cd = iconv_open("UTF-8", encoding);
            if (cd == (iconv_t)-1)
                return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "unknown encoding '%.64s'", encoding);
            iconv_close(cd);
        }
    } else if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        name = UTF_8;
    } else if (len >= 2 && !memcmp(data, "\xFF\xFE", 2)) {
        name = UTF_16LE;
        skip = 2;
    } else if (len >= 2 && !memcmp(data, "\xFE\xFF", 2)) {
        name = UTF_16BE;
        skip = 2;
    } else if (memchr(data, 0, len) && looks_utf16(data, len, UTF_16LE)) {
        name = UTF_16LE; /* Arabic and ASCII in UTF-16 are all bytes below 0x80: valid UTF-8 */
    } else if (memchr(data, 0, len) && looks_utf16(data, len, UTF_16BE)) {
        name = UTF_16BE;
    } else if (kh_utf8_check(data, len) == len) {
        name = UTF_8;
    } else if (mostly_utf8(data, len)) {
        size_t bad = kh_utf8_check(data, len);
        return kh_fail(err, KHABAR_ERROR_UTF8, bad,
                       "invalid UTF-8 at byte %zu (the rest is UTF-8: a damaged file, not another "
                       "encoding)", bad);
    } else {
        const char *likely = NULL;
        name = detect(data, len, &likely);
        if (!name && only_stray_bytes(data, len)) {
            size_t bad = kh_utf8_check(data, len);
            return kh_fail(err, KHABAR_ERROR_UTF8, bad, "invalid UTF-8 at byte %zu", bad);
        }
        if (!name)
            return kh_fail(err, KHABAR_ERROR_ENCODING, 0,
                           "the text is not UTF-8 and its encoding cannot be told (likely %s): "
                           "name it with --encoding", likely);
    }
    khabar_status st;
    size_t bad = 0;
    if (name == UTF_8) {
        if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) skip = 3;
        bad = kh_utf8_check(data + skip, len - skip) + skip;
        st = bad == len ? copy_utf8(data + skip, len - skip, out, out_len) : KHABAR_ERROR_ENCODING;
    } else {
        st = convert(data + skip, len - skip, name, out, out_len, &bad);
        bad += skip;
    }
    if (st == KHABAR_ERROR_ENCODING)
        return kh_fail(err, st, bad,
                       "byte %zu does not fit %s (name the text's encoding with --encoding: "
                       "windows-1256, iso-8859-6, utf-16...)", bad, name);
    if (st == KHABAR_ERROR_MEMORY) return kh_fail(err, st, 0, "out of memory");
    if (st) return kh_fail(err, st, 0, "unknown encoding '%.64s'", name);
    if (used) *used = name;
    return KHABAR_OK;
}
