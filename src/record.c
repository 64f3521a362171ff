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
}

/* Keeps the record's id (any JSON value but an object or array) as JSON text. */
static void remember_id(khabar_analyzer *an, json_t *root)
{
    json_t *id = json_is_object(root) ? json_object_get(root, "id") : NULL;
    if (id && !json_is_object(id) && !json_is_array(id))
        an->record_id = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
}

static int is_iso_date(const char *s, size_t n)
{
    if (n < 10) return 0;
    for (size_t i = 0; i < 10; i++) {
        if (i == 4 || i == 7) { if (s[i] != '-') return 0; }
        else if (s[i] < '0' || s[i] > '9') return 0;
    }
    return n == 10 || s[10] == 'T' || s[10] == ' ';
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
    size_t max = o.max_bytes ? o.max_bytes : (size_t)256 << 20;
    if (len > max + max / 4 + 1024)
        return kh_fail(err, KHABAR_ERROR_TOO_LARGE, max, "the record is %zu bytes, more than the limit", len);

    /* Invalid UTF-8 is found here, not by the JSON parser, so that the error
     * names the exact byte; the id is still read from a repaired copy. */
    size_t bad = kh_utf8_check(line ? line : "", len);
    kh_buf repaired = {0};
    const char *src = line;
    if (bad != len) {
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            unsigned k = kh_utf8_decode((const unsigned char *)line + i, len - i, &cp);
            if (k) { if (kh_buf_append(&repaired, line + i, k)) break; i += k; }
            else { if (kh_buf_append(&repaired, "\xEF\xBF\xBD", 3)) break; i++; }
        }
        src = repaired.data;
    }
    json_error_t jerr;
    json_t *root = json_loadb(src ? src : "", bad != len ? repaired.len : len,
                              JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    khabar_status st = KHABAR_OK;
    if (!root) {
        size_t at = jerr.position > 0 ? (size_t)jerr.position : 0;
        st = bad != len ? kh_fail(err, KHABAR_ERROR_UTF8, bad, "invalid UTF-8 at byte %zu", bad)
                        : kh_fail(err, KHABAR_ERROR_JSON, at, "not valid JSON: %s", jerr.text);
        goto done;
    }
    remember_id(an, root);
    if (bad != len && !(o.flags & KHABAR_OPTION_REPLACE_INVALID)) {
        st = kh_fail(err, KHABAR_ERROR_UTF8, bad, "invalid UTF-8 at byte %zu", bad);
        goto done;
    }
    if (!json_is_object(root)) {
        st = kh_fail(err, KHABAR_ERROR_RECORD, 0, "the record is not a JSON object");
        goto done;
    }
    json_t *text = json_object_get(root, "text");
    if (!json_is_string(text)) {
        st = kh_fail(err, KHABAR_ERROR_RECORD, 0,
                     text ? "the record's \"text\" is not a string" : "the record has no \"text\"");
        goto done;
    }
    /* A record's text is the article's body; its title, if any, comes apart. */
    o.flags |= KHABAR_OPTION_NO_TITLE;
    json_t *title = json_object_get(root, "title");
    if (json_is_string(title) && json_string_length(title) > 0) {
        o.title = json_string_value(title);
        o.title_len = json_string_length(title);
    }
    khabar_doc *d = NULL;
    st = khabar_analyze(an, json_string_value(text), json_string_length(text), &o, &d, err);
    if (st) goto done;
    json_t *date = json_object_get(root, "date");
    if (json_is_string(date) && is_iso_date(json_string_value(date), json_string_length(date)))
        d->date = strndup(json_string_value(date), 10);
    if (an->record_id) {
        d->id_json = an->record_id;
        an->record_id = NULL;
    }
    *out = d;
done:
    json_decref(root);
    kh_buf_free(&repaired);
    return st;
}

const char *khabar_record_error_json(khabar_analyzer *an, const khabar_error *err,
                                     size_t line_number, size_t *len)
{
    if (!an || !err) return NULL;
    json_t *rec = json_object();
    json_t *e = json_object();
    if (!rec || !e) { json_decref(rec); json_decref(e); return NULL; }
    if (an->record_id) {
        json_error_t jerr;
        json_t *id = json_loads(an->record_id, JSON_DECODE_ANY, &jerr);
        if (id) json_object_set_new(rec, "id", id);
    }
    json_object_set_new(rec, "line", json_integer((json_int_t)line_number));
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
}
