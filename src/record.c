/* JSON-lines records: {"id": ..., "title": optional, "text": ..., "date": optional}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "doc.h"

static void forget_id(khabar_analyzer *an)
{
    free(an->record_id);
    an->record_id = NULL;
    free(an->record_source);
    an->record_source = NULL;
}

static int is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int number_of(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

int khabar_date_valid(const char *s, size_t n)
{
    if (!s || n != 10 || s[4] != '-' || s[7] != '-' || !is_digits(s, 4) || !is_digits(s + 5, 2) ||
        !is_digits(s + 8, 2))
        return 0;
    int y = number_of(s, 4), m = number_of(s + 5, 2), d = number_of(s + 8, 2);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

/* A record's date: a calendar date, perhaps followed by a time. */
static int is_iso_date(const char *s, size_t n)
{
    return n >= 10 && khabar_date_valid(s, 10) && (n == 10 || s[10] == 'T' || s[10] == ' ');
}

/* ---- fast path ----
 * Records are flat objects with a few string fields, and jansson's general
 * parser costs a third of the whole analysis.  This strict scanner handles
 * well-formed records; anything it does not accept (including every error)
 * goes to jansson, which has the last word and writes the error messages. */

typedef struct scanner {
    const char *s;
    size_t n, i;
    int depth;
} scanner;

static void skip_ws(scanner *sc)
{
    while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
                             sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
        sc->i++;
}

static int hex4(const char *p, uint32_t *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
        if (d == 16) return 0;
        *v = *v * 16 + d;
    }
    return 1;
}

/* Scans a string at sc->i (on its opening quote); decodes it into out when
 * out is not NULL.  The input is known to be valid UTF-8. */
static int scan_string(scanner *sc, kh_buf *out)
{
    const char *s = sc->s;
    size_t i = sc->i + 1, run = i;
    if (out) out->len = 0;
    for (;;) {
        uint64_t v;
        while (i + 8 <= sc->n && (memcpy(&v, s + i, 8), !kh_json_special8(v))) i += 8;
        while (i < sc->n && s[i] != '"' && s[i] != '\\' && (unsigned char)s[i] >= 0x20) i++;
        if (i >= sc->n || (unsigned char)s[i] < 0x20) return 0;
        if (out && kh_buf_append(out, s + run, i - run)) return 0;
        if (s[i] == '"') break;
        if (i + 1 >= sc->n) return 0;
        char e = s[i + 1], c;
        uint32_t cp;
        switch (e) {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
            if (i + 6 > sc->n || !hex4(s + i + 2, &cp)) return 0;
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (i + 6 > sc->n || s[i] != '\\' || s[i + 1] != 'u' || !hex4(s + i + 2, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return 0;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return 0;
            }
            if (out) {
                char enc[4];
                if (kh_buf_append(out, enc, kh_utf8_encode(cp, enc))) return 0;
            }
            run = i;
            continue;
        default: return 0;
        }
        if (out && kh_buf_putc(out, c)) return 0;
        i += 2;
        run = i;
    }
    sc->i = i + 1;
    return 1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int scan_number(scanner *sc)
{
    const char *s = sc->s;
    size_t i = sc->i;
    if (i < sc->n && s[i] == '-') i++;
    if (i >= sc->n || !is_digit(s[i])) return 0;
    if (s[i] == '0') i++;
    else while (i < sc->n && is_digit(s[i])) i++;
    if (i < sc->n && s[i] == '.') {
        if (++i >= sc->n || !is_digit(s[i])) return 0;
        while (i < sc->n && is_digit(s[i])) i++;
    }
    if (i < sc->n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < sc->n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= sc->n || !is_digit(s[i])) return 0;
        while (i < sc->n && is_digit(s[i])) i++;
    }
    sc->i = i;
    return 1;
}

static int scan_value(scanner *sc);

static int scan_container(scanner *sc, char close)
{
    if (++sc->depth > 32) return 0;
    sc->i++;
    skip_ws(sc);
    if (sc->i < sc->n && sc->s[sc->i] == close) { sc->i++; sc->depth--; return 1; }
    for (;;) {
        if (close == '}') {
            if (sc->i >= sc->n || sc->s[sc->i] != '"' || !scan_string(sc, NULL)) return 0;
            skip_ws(sc);
            if (sc->i >= sc->n || sc->s[sc->i] != ':') return 0;
            sc->i++;
            skip_ws(sc);
        }
        if (!scan_value(sc)) return 0;
        skip_ws(sc);
        if (sc->i >= sc->n) return 0;
        if (sc->s[sc->i] == close) { sc->i++; sc->depth--; return 1; }
        if (sc->s[sc->i] != ',') return 0;
        sc->i++;
        skip_ws(sc);
    }
}

static int scan_literal(scanner *sc, const char *lit)
{
    size_t n = strlen(lit);
    if (sc->n - sc->i < n || memcmp(sc->s + sc->i, lit, n) != 0) return 0;
    sc->i += n;
    return 1;
}

static int scan_value(scanner *sc)
{
    if (sc->i >= sc->n) return 0;
    switch (sc->s[sc->i]) {
    case '"': return scan_string(sc, NULL);
    case '{': return scan_container(sc, '}');
    case '[': return scan_container(sc, ']');
    case 't': return scan_literal(sc, "true");
    case 'f': return scan_literal(sc, "false");
    case 'n': return scan_literal(sc, "null");
    default: return scan_number(sc);
    }
}

typedef struct fields {
    size_t id_start, id_end; /* raw JSON of a scalar id; id_end 0 when none */
    int has_text, text_is_string, has_title, has_date, date_not_string;
} fields;

/* Scans a whole record; decodes text, title and date into the buffers.
 * Returns 1 when the record is well formed and simple enough. */
static int fast_record(const char *line, size_t len, fields *f, kh_buf *text, kh_buf *title,
                       kh_buf *date)
{
    scanner sc = {line, len, 0, 0};
    memset(f, 0, sizeof *f);
    skip_ws(&sc);
    if (sc.i >= len || line[sc.i] != '{') return 0;
    sc.i++;
    sc.depth = 1;
    skip_ws(&sc);
    if (sc.i < len && line[sc.i] == '}') { sc.i++; goto end; }
    for (;;) {
        if (sc.i >= len || line[sc.i] != '"') return 0;
        size_t ks = sc.i;
        if (!scan_string(&sc, NULL)) return 0;
        size_t klen = sc.i - ks;
        skip_ws(&sc);
        if (sc.i >= len || line[sc.i] != ':') return 0;
        sc.i++;
        skip_ws(&sc);
        if (sc.i >= len) return 0;
        /* Keys with escapes are left to jansson. */
        const char *k = line + ks;
        int is_str = line[sc.i] == '"';
        size_t vs = sc.i;
        if (klen == 6 && !memcmp(k, "\"text\"", 6)) {
            f->has_text = 1;
            f->text_is_string = is_str;
            if (is_str ? !scan_string(&sc, text) : !scan_value(&sc)) return 0;
        } else if (klen == 7 && !memcmp(k, "\"title\"", 7)) {
            f->has_title = is_str;
            if (is_str ? !scan_string(&sc, title) : !scan_value(&sc)) return 0;
        } else if (klen == 6 && !memcmp(k, "\"date\"", 6)) {
            f->has_date = is_str;
            f->date_not_string = !is_str && !scan_literal(&(scanner){line, len, sc.i, 0}, "null");
            if (is_str ? !scan_string(&sc, date) : !scan_value(&sc)) return 0;
        } else {
            if (!scan_value(&sc)) return 0;
            if (klen == 4 && !memcmp(k, "\"id\"", 4)) {
                /* An object or an array is written compact, by jansson. */
                if (line[vs] == '{' || line[vs] == '[') return 0;
                f->id_start = vs;
                f->id_end = sc.i;
            }
        }
        if (memchr(k, '\\', klen)) return 0;
        skip_ws(&sc);
        if (sc.i >= len) return 0;
        if (line[sc.i] == '}') { sc.i++; break; }
        if (line[sc.i] != ',') return 0;
        sc.i++;
        skip_ws(&sc);
    }
end:
    skip_ws(&sc);
    return sc.i == len;
}

static khabar_status bad_date(khabar_error *err)
{
    return kh_fail(err, KHABAR_ERROR_RECORD, 0,
                   "the record's \"date\" is not a calendar date YYYY-MM-DD (with or without a time)");
}

/* Analyses a record's decoded fields; takes the remembered id into the doc. */
static khabar_status analyze_fields(khabar_analyzer *an, const char *text, size_t text_len,
                                    const char *title, size_t title_len, const char *date,
                                    size_t date_len, int date_not_string, khabar_options o,
                                    khabar_doc **out, khabar_error *err)
{
    /* A record's text is the article's body; its title, if any, comes apart. */
    o.flags |= KHABAR_OPTION_NO_TITLE;
    o.title = title;
    o.title_len = title ? title_len : 0;
    if ((date && !is_iso_date(date, date_len)) || date_not_string) return bad_date(err);
    char day[11];
    if (date) {
        memcpy(day, date, 10);
        day[10] = '\0';
        o.date = day;
    }
    khabar_doc *d = NULL;
    khabar_status st = khabar_analyze(an, text, text_len, &o, &d, err);
    if (st) return st;
    if (date && !(d->date = strndup(date, 10))) {
        khabar_doc_free(d);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    d->id_json = an->record_id;
    an->record_id = NULL;
    *out = d;
    return KHABAR_OK;
}

/* A record that carries a page: its article, analysed; the record's title
 * and date, when it has them, over the page's. */
static khabar_status analyze_page_record(khabar_analyzer *an, const kh_record *rec, khabar_options o,
                                         khabar_doc **out, khabar_error *err)
{
    char *url = rec->url ? strndup(rec->url, rec->url_len) : NULL;
    if (rec->url && !url) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    khabar_extract_options eo = {.max_bytes = o.max_bytes, .url = url};
    khabar_page *page;
    khabar_status st = khabar_extract(rec->html, rec->html_len, &eo, &page, err);
    free(url);
    if (st) return st;
    if (rec->title) {
        o.title = rec->title;
        o.title_len = rec->title_len;
    }
    char day[11];
    if (rec->date && is_iso_date(rec->date, rec->date_len)) {
        memcpy(day, rec->date, 10);
        day[10] = '\0';
        o.date = day;
    }
    o.source_encoding = khabar_page_get(page, KHABAR_PAGE_ENCODING, NULL);
    khabar_doc *d = NULL;
    st = khabar_analyze_page(an, page, &o, &d, err);
    khabar_page_free(page);
    if (st) return st;
    if (o.date == day) { /* the record's date over the page's, as for a text */
        free(d->date);
        if (!(d->date = strndup(day, 10))) {
            khabar_doc_free(d);
            return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        }
    }
    d->id_json = an->record_id;
    an->record_id = NULL;
    *out = d;
    return KHABAR_OK;
}

static khabar_status no_text(khabar_error *err, int present)
{
    return kh_fail(err, KHABAR_ERROR_RECORD, 0,
                   present ? "the record's \"text\" is not a string" : "the record has no \"text\" (or \"html\")");
}

void kh_record_buffers_free(kh_record_buffers *b)
{
    kh_buf_free(&b->text);
    kh_buf_free(&b->title);
    kh_buf_free(&b->date);
    kh_buf_free(&b->id);
    kh_buf_free(&b->html);
    kh_buf_free(&b->url);
}

/* Copies s into b, NUL-terminated; returns b's text or NULL on no memory. */
static const char *keep(kh_buf *b, const char *s, size_t n)
{
    b->len = 0;
    if (kh_buf_append(b, s, n) || kh_buf_putc(b, '\0')) return NULL;
    b->len--;
    return b->data;
}

/* jansson reports the position after the token it stopped at, and quotes
 * the token in its message ("... near 'x'"): the token starts that many
 * bytes earlier, which is the byte a user should look at. */
static size_t json_error_offset(const json_error_t *e)
{
    size_t pos = e->position > 0 ? (size_t)e->position : 0;
    const char *near = strstr(e->text, "near '");
    const char *close = near ? strrchr(e->text, '\'') : NULL;
    if (!near || close <= near + 5) return pos;
    size_t token = (size_t)(close - (near + 6));
    return token <= pos ? pos - token : pos;
}

static khabar_status read_with_jansson(kh_record_buffers *b, const char *src, size_t len,
                                       size_t bad, int replace_invalid, kh_record *rec,
                                       khabar_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(src, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!root) {
        if (bad != SIZE_MAX)
            return kh_fail(err, KHABAR_ERROR_UTF8, bad, "invalid UTF-8 at byte %zu", bad);
        size_t at = json_error_offset(&jerr);
        return kh_fail(err, KHABAR_ERROR_JSON, at, "not valid JSON at byte %zu: %s", at, jerr.text);
    }
    khabar_status st = KHABAR_OK;
    json_t *id = json_is_object(root) ? json_object_get(root, "id") : NULL;
    if (id) {
        char *s = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!s || !(rec->id = keep(&b->id, s, strlen(s)))) st = KHABAR_ERROR_MEMORY;
        else rec->id_len = b->id.len;
        free(s);
    }
    json_t *text = json_object_get(root, "text"), *title = json_object_get(root, "title");
    json_t *date = json_object_get(root, "date"), *html = json_object_get(root, "html");
    if (st) {
        st = kh_fail(err, st, 0, "out of memory");
    } else if (bad != SIZE_MAX && !replace_invalid) {
        st = kh_fail(err, KHABAR_ERROR_UTF8, bad, "invalid UTF-8 at byte %zu", bad);
    } else if (!json_is_object(root)) {
        st = kh_fail(err, KHABAR_ERROR_RECORD, 0, "the record is not a JSON object");
    } else if (!json_is_string(text) && !json_is_string(html)) {
        st = no_text(err, text != NULL);
    } else {
        /* the body: a text, or a page ({"html", "url"?}) */
        int page = !json_is_string(text);
        json_t *body = page ? html : text, *url = json_object_get(root, "url");
        kh_buf *into = page ? &b->html : &b->text;
        const char *kept = keep(into, json_string_value(body), json_string_length(body));
        if (!kept ||
            (page && json_is_string(url) && !(rec->url = keep(&b->url, json_string_value(url), json_string_length(url)))) ||
            (json_is_string(title) &&
             !(rec->title = keep(&b->title, json_string_value(title), json_string_length(title)))) ||
            (json_is_string(date) &&
             !(rec->date = keep(&b->date, json_string_value(date), json_string_length(date))))) {
            st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        } else {
            if (page) {
                rec->html = kept;
                rec->html_len = into->len;
            } else {
                rec->text = kept;
                rec->text_len = into->len;
            }
            rec->url_len = rec->url ? b->url.len : 0;
            rec->title_len = rec->title ? b->title.len : 0;
            rec->date_len = rec->date ? b->date.len : 0;
            rec->date_not_string = date && !json_is_string(date) && !json_is_null(date);
        }
    }
    json_decref(root);
    return st;
}

static int valid_utf8(const char *s, size_t n) { return kh_utf8_check(s, n) == n; }

khabar_status kh_record_read(kh_record_buffers *b, const char *line, size_t len,
                             int replace_invalid, kh_record *rec, khabar_error *err)
{
    memset(rec, 0, sizeof *rec);
    if (!line) line = "";
    size_t bad = kh_utf8_check(line, len);
    fields f;
    int fast;
    if (bad == len) fast = fast_record(line, len, &f, &b->text, &b->title, &b->date);
    else /* With replace_invalid, invalid bytes inside the text alone are
          * kept for the analysis to repair and report; anywhere else the
          * line is repaired first (below). */
        fast = replace_invalid && fast_record(line, len, &f, &b->text, &b->title, &b->date) && f.has_text &&
               valid_utf8(line + f.id_start, f.id_end - f.id_start) &&
               (!f.has_title || valid_utf8(b->title.data, b->title.len)) &&
               (!f.has_date || valid_utf8(b->date.data, b->date.len));
    if (fast) {
        rec->date_not_string = f.date_not_string;
        if (f.id_end) {
            rec->id = line + f.id_start;
            rec->id_len = f.id_end - f.id_start;
        }
        /* a page ({"html"}) or no text at all: jansson reads it */
        if (!f.has_text) return read_with_jansson(b, line, len, SIZE_MAX, replace_invalid, rec, err);
        if (!f.text_is_string) return no_text(err, f.has_text);
        rec->text = b->text.data ? b->text.data : "";
        rec->text_len = b->text.len;
        if (f.has_title) {
            rec->title = b->title.data ? b->title.data : "";
            rec->title_len = b->title.len;
        }
        if (f.has_date) {
            rec->date = b->date.data ? b->date.data : "";
            rec->date_len = b->date.len;
        }
        return KHABAR_OK;
    }
    if (bad == len) return read_with_jansson(b, line, len, SIZE_MAX, replace_invalid, rec, err);
    /* Invalid UTF-8 is found here, not by the JSON parser, so that the error
     * names the exact byte; the fields are read from a repaired copy (for
     * the id of the error record, or the text with replace_invalid). */
    kh_buf repaired = {0};
    if (kh_utf8_append_repaired(&repaired, line, len)) {
        kh_buf_free(&repaired);
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    khabar_status st = read_with_jansson(b, repaired.data, repaired.len, bad, replace_invalid, rec, err);
    kh_buf_free(&repaired);
    return st;
}

khabar_status khabar_analyze_record(khabar_analyzer *an, const char *line, size_t len,
                                    const khabar_options *opts, khabar_doc **out,
                                    khabar_error *err)
{
    if (!an || !out || (!line && len))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_analyze_record: NULL argument");
    *out = NULL;
    forget_id(an);
    khabar_options o = {0};
    if (opts) o = *opts;
    if (o.source && !(an->record_source = strdup(o.source)))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    size_t max = o.max_bytes ? o.max_bytes : (size_t)256 << 20;
    if (len > max + max / 4 + 1024)
        return kh_fail(err, KHABAR_ERROR_TOO_LARGE, max, "the record is %zu bytes, more than the limit", len);
    kh_record rec;
    khabar_status st = kh_record_read(&an->record, line, len,
                                      (o.flags & KHABAR_OPTION_REPLACE_INVALID) != 0, &rec, err);
    /* The id outlives the line: the error record may be asked for later. */
    if (rec.id && !(an->record_id = strndup(rec.id, rec.id_len)))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    if (st) return st;
    if (rec.html) {
        if ((rec.date && !is_iso_date(rec.date, rec.date_len)) || rec.date_not_string) return bad_date(err);
        return analyze_page_record(an, &rec, o, out, err);
    }
    return analyze_fields(an, rec.text, rec.text_len, rec.title_len ? rec.title : NULL,
                          rec.title_len, rec.date, rec.date_len, rec.date_not_string, o, out, err);
}

/* {"file"?, "id"?, "line"?, "error": {...}}: line 0 leaves "line" out. */
static const char *error_record(khabar_analyzer *an, const char *source, const char *id_json,
                                size_t line_number, const khabar_error *err, size_t *len)
{
    json_t *rec = json_object();
    json_t *e = json_object();
    if (!rec || !e) { json_decref(rec); json_decref(e); return NULL; }
    if (source) {
        kh_buf name = {0};
        if (kh_utf8_append_repaired(&name, source, strlen(source)))
            goto nomem;
        json_object_set_new(rec, "file", json_stringn(name.data ? name.data : "", name.len));
        kh_buf_free(&name);
    }
    if (id_json) {
        json_error_t jerr;
        json_t *id = json_loads(id_json, JSON_DECODE_ANY, &jerr);
        if (id) json_object_set_new(rec, "id", id);
    }
    if (line_number) json_object_set_new(rec, "line", json_integer((json_int_t)line_number));
    json_object_set_new(e, "code", json_string(khabar_status_name(err->code)));
    json_object_set_new(e, "message", json_string(err->message));
    json_object_set_new(e, "offset", json_integer((json_int_t)err->offset));
    json_object_set_new(rec, "error", e);
    char *s = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(rec);
    if (!s) return NULL;
    an->record_error.len = 0;
    int failed = kh_buf_append(&an->record_error, s, strlen(s) + 1);
    free(s);
    if (failed) return NULL;
    if (len) *len = an->record_error.len - 1;
    return an->record_error.data;
nomem:
    json_decref(rec);
    json_decref(e);
    return NULL;
}

const char *khabar_record_error_json(khabar_analyzer *an, const khabar_error *err,
                                     size_t line_number, size_t *len)
{
    if (!an || !err) return NULL;
    return error_record(an, an->record_source, an->record_id, line_number, err, len);
}

const char *khabar_error_json(khabar_analyzer *an, const khabar_error *err, const char *source,
                              size_t *len)
{
    if (!an || !err) return NULL;
    return error_record(an, source, NULL, 0, err, len);
}
