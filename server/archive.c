/* The archive's endpoints (--db): POST /v1/articles, DELETE /v1/articles/ID,
 * GET /v1/search, GET /v1/stats, through include/khabar_archive.h.  Each
 * worker thread has its own connection to the database (one connection is
 * for one thread at a time); SQLite's WAL lets them read while one writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"

static _Thread_local khabar_archive *thread_archive;
static _Thread_local const srv *thread_archive_owner;

/* Opens one more connection into the server's list.  NULL with err filled. */
static khabar_archive *open_archive(srv *s, khabar_error *err)
{
    khabar_archive *ar = NULL;
    if (khabar_archive_open_with_model(s->cfg.db, KHABAR_ARCHIVE_CREATE, s->model, &ar, err) != KHABAR_OK) return NULL;
    pthread_mutex_lock(&s->analyzers_lock);
    khabar_archive **more = realloc(s->archives, (s->archive_count + 1) * sizeof *more);
    if (!more) {
        pthread_mutex_unlock(&s->analyzers_lock);
        khabar_archive_close(ar);
        err->code = KHABAR_ERROR_MEMORY;
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    s->archives = more;
    s->archives[s->archive_count++] = ar;
    pthread_mutex_unlock(&s->analyzers_lock);
    return ar;
}

/* This thread's connection: one of those the reader threads were given at
 * the start, or a new one.  NULL with err filled. */
static khabar_archive *archive(srv *s, khabar_error *err)
{
    if (thread_archive && thread_archive_owner == s) return thread_archive;
    khabar_archive *ar = NULL;
    pthread_mutex_lock(&s->analyzers_lock);
    if (s->archives_claimed < s->archives_at_start) ar = s->archives[s->archives_claimed++];
    pthread_mutex_unlock(&s->analyzers_lock);
    if (!ar && !(ar = open_archive(s, err))) return NULL;
    thread_archive = ar;
    thread_archive_owner = s;
    return ar;
}

/* ---- the response cache's view of the archive ---- */

/* One connection, the watch, reads the data version for every thread:
 * any commit by another (this server's threads, another process) moves it.
 * `always` empties the cache even when it did not move (after this
 * server's own write, which the watch may have seen already). */
static void check_version(srv *s, int always)
{
    if (!s->cache) return;
    pthread_mutex_lock(&s->watch_lock);
    unsigned long long v = 0;
    int known = khabar_archive_data_version(s->watch, &v, NULL) == KHABAR_OK;
    if (always || !known || !s->watch_known || v != s->watch_version) srv_cache_invalidate(s->cache);
    s->watch_version = v;
    s->watch_known = known;
    pthread_mutex_unlock(&s->watch_lock);
}

/* After a write: the cache is emptied, and the version taken as it is now,
 * so that the write does not empty it a second time. */
static void wrote(srv *s)
{
    check_version(s, 1);
}

static void release_entry(void *entry)
{
    srv_cache_release(entry);
}

/* Answers with a cached body (the reference is the response's until it is
 * done with it); `how` says whether it was found or just made. */
static enum MHD_Result reply_entry(struct MHD_Connection *c, srv_request *r, srv_cache_entry *e, const char *how)
{
    size_t len;
    const char *body = srv_cache_body(e, &len);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback_cls(len, (void *)body, release_entry, e);
    if (!resp) {
        srv_cache_release(e);
        return MHD_NO;
    }
    srv_common_headers(resp, "application/json; charset=utf-8");
    MHD_add_response_header(resp, "X-Cache", how);
    return srv_queue(c, r, MHD_HTTP_OK, resp);
}

/* A JSON answer (copied); kept in the cache when it is a 200 of a GET the
 * cache takes.  NULL, from a render that ran out of memory, drops the
 * connection. */
static enum MHD_Result reply_json(struct MHD_Connection *c, srv_request *r, unsigned status, const char *json,
                                  size_t len)
{
    if (!json) return MHD_NO;
    if (status == MHD_HTTP_OK && r->cache_key) {
        srv_cache_entry *e = srv_cache_put(r->server->cache, r->cache_generation, r->cache_key, r->cache_key_len,
                                           json, len);
        if (e) return reply_entry(c, r, e, "miss");
    }
    return srv_reply(c, r, status, "application/json; charset=utf-8", json, len, MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result reply_json_text(struct MHD_Connection *c, srv_request *r, unsigned status, json_t *root)
{
    char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (!text) return MHD_NO;
    enum MHD_Result ok = reply_json(c, r, status, text, strlen(text));
    free(text);
    return ok;
}

static enum MHD_Result reply_json_bytes(struct MHD_Connection *c, srv_request *r, const char *json, size_t len)
{
    return reply_json(c, r, MHD_HTTP_OK, json, len);
}

/* A record's id as text: a string as it is, a number as written. */
static int record_id(json_t *rec, char *buf, size_t cap, const char **id, size_t *len)
{
    json_t *v = json_object_get(rec, "id");
    if (json_is_string(v)) {
        *id = json_string_value(v);
        *len = json_string_length(v);
        return *len ? 0 : -1;
    }
    if (json_is_integer(v)) {
        int n = snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        *id = buf;
        *len = (size_t)n;
        return 0;
    }
    return -1;
}

static const char *string_of(json_t *rec, const char *name, size_t *len)
{
    json_t *v = json_object_get(rec, name);
    *len = json_is_string(v) ? json_string_length(v) : 0;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int fail(khabar_error *err, khabar_status code, size_t offset, const char *message)
{
    err->code = code;
    err->offset = offset;
    snprintf(err->message, sizeof err->message, "%s", message);
    return -1;
}

/* A record that is not UTF-8: the error names the first bad byte, and
 * *id_out its id when the record, its bad bytes made '?', still reads. */
static int invalid_utf8(const char *line, size_t len, size_t bad, khabar_error *err, json_t **id_out)
{
    char msg[64];
    snprintf(msg, sizeof msg, "invalid UTF-8 at byte %zu", bad);
    char *copy = malloc(len ? len : 1);
    if (copy) {
        memcpy(copy, line, len);
        for (size_t at = bad; at < len; at += khabar_utf8_check(copy + at, len - at)) copy[at] = '?';
        json_t *rec = json_loadb(copy, len, 0, NULL);
        char buf[32];
        const char *id;
        size_t id_len;
        if (json_is_object(rec) && !record_id(rec, buf, sizeof buf, &id, &id_len)) *id_out = json_stringn(id, id_len);
        json_decref(rec);
        free(copy);
    }
    return fail(err, KHABAR_ERROR_UTF8, bad, msg);
}

/* A record's "html": the page's article is analysed and stored, its title
 * and date the page's unless the record gives them (as `khabar index
 * --jsonl` does).  0, or -1 with err filled. */
static int store_page(srv *s, khabar_archive *ar, khabar_analyzer *an, json_t *rec, khabar_article *a,
                      khabar_error *err)
{
    size_t html_len;
    const char *html = string_of(rec, "html", &html_len);
    khabar_extract_options eo = {.max_bytes = s->cfg.max_body};
    khabar_page *page = NULL;
    if (khabar_extract(html, html_len, &eo, &page, err) != KHABAR_OK) return -1;
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_NO_TITLE;
    o.max_bytes = s->cfg.max_body;
    o.title = a->title;
    o.title_len = a->title_len;
    char day[11] = "";
    if (a->date) {
        memcpy(day, a->date, 10);
        o.date = day;
    }
    a->text = khabar_page_get(page, KHABAR_PAGE_TEXT, &a->text_len);
    if (!a->title) a->title = khabar_page_get(page, KHABAR_PAGE_TITLE, &a->title_len);
    if (!a->date) {
        a->date = khabar_page_get(page, KHABAR_PAGE_DATE, &a->date_len);
        if (a->date && a->date_len >= 10 && khabar_date_valid(a->date, 10)) a->date_len = 10;
        else a->date = NULL;
    }
    khabar_doc *doc = NULL;
    int rc = -1;
    if (khabar_analyze_page(an, page, &o, &doc, err) == KHABAR_OK)
        rc = khabar_archive_add(ar, a, doc, err) == KHABAR_OK ? 0 : -1;
    else if (err->code == KHABAR_ERROR_EMPTY)
        snprintf(err->message, sizeof err->message, "the page has no article text");
    khabar_doc_free(doc);
    khabar_page_free(page);
    atomic_fetch_add(&s->metrics.bytes_analysed, html_len);
    return rc;
}

/* Analyses one JSON record, {"id", "title"?, "date"?, and "text" or
 * "html"}, and stores it: 0, or -1 with err filled (and *id_out the
 * record's id when it could be read). */
static int store(srv *s, khabar_archive *ar, const char *line, size_t len, const khabar_options *opts,
                 khabar_error *err, json_t **id_out)
{
    khabar_analyzer *an = srv_analyzer(s);
    if (!an) return fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    size_t bad = khabar_utf8_check(line, len);
    if (bad < len) return invalid_utf8(line, len, bad, err, id_out);
    json_error_t jerr;
    json_t *rec = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
    if (!json_is_object(rec)) {
        fail(err, KHABAR_ERROR_JSON, rec ? 0 : (size_t)jerr.position, rec ? "the record is not a JSON object" : jerr.text);
        json_decref(rec);
        return -1;
    }
    char buf[32];
    khabar_article a = {0};
    if (record_id(rec, buf, sizeof buf, &a.id, &a.id_len)) {
        json_decref(rec);
        return fail(err, KHABAR_ERROR_RECORD, 0, "an archived article needs an \"id\" (a string or an integer)");
    }
    *id_out = json_stringn(a.id, a.id_len);
    int text = json_is_string(json_object_get(rec, "text")), html = json_is_string(json_object_get(rec, "html"));
    if (text == html) {
        json_decref(rec);
        return fail(err, KHABAR_ERROR_RECORD, 0,
                    text ? "the record has both \"text\" and \"html\""
                         : "an archived article needs a \"text\" or an \"html\" (a string)");
    }
    a.title = string_of(rec, "title", &a.title_len);
    a.date = string_of(rec, "date", &a.date_len);
    if (a.date && a.date_len >= 10 && khabar_date_valid(a.date, 10)) a.date_len = 10;
    else a.date = NULL; /* the archive takes YYYY-MM-DD or none */
    int rc = -1;
    if (html) {
        rc = store_page(s, ar, an, rec, &a, err);
    } else {
        khabar_doc *doc = NULL;
        if (khabar_analyze_record(an, line, len, opts, &doc, err) == KHABAR_OK) {
            a.text = string_of(rec, "text", &a.text_len);
            rc = khabar_archive_add(ar, &a, doc, err) == KHABAR_OK ? 0 : -1;
        }
        khabar_doc_free(doc);
        atomic_fetch_add(&s->metrics.bytes_analysed, len);
    }
    if (!rc) atomic_fetch_add(&s->metrics.articles_indexed, 1);
    json_decref(rec);
    return rc;
}

static json_t *error_object(const khabar_error *err)
{
    json_t *e = json_pack("{s:s, s:s}", "code", khabar_status_name(err->code), "message", err->message);
    if (e && (err->code == KHABAR_ERROR_JSON || err->code == KHABAR_ERROR_UTF8))
        json_object_set_new(e, "offset", json_integer((json_int_t)err->offset));
    return e;
}

enum MHD_Result srv_articles_post(struct MHD_Connection *c, srv_request *r)
{
    srv *s = r->server;
    char type[64], charset[64];
    int has_charset;
    srv_media_type(c, type, sizeof type, charset, sizeof charset, &has_charset);
    int lines = !strcmp(type, "application/x-ndjson") || !strcmp(type, "application/jsonl");
    if (!lines && strcmp(type, "application/json"))
        return srv_reply_error(c, r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                               "Content-Type must be application/json (one article) or application/x-ndjson "
                               "(JSON lines)", -1, 0);
    khabar_error err = {0};
    khabar_archive *ar = archive(s, &err);
    if (!ar) return srv_reply_khabar_error(c, r, &err);
    khabar_options opts = {0};
    opts.max_bytes = s->cfg.max_body;
    const char *body = r->body ? r->body : "";
    if (!lines) {
        json_t *id = NULL;
        int failed = store(s, ar, body, r->len, &opts, &err, &id);
        wrote(s);
        if (failed) {
            json_decref(id);
            return srv_reply_khabar_error(c, r, &err);
        }
        return reply_json_text(c, r, MHD_HTTP_CREATED, json_pack("{s:o, s:b}", "id", id, "indexed", 1));
    }
    /* JSON lines: one transaction; a record that fails is reported and the others stored. */
    if (khabar_archive_begin(ar, &err) != KHABAR_OK) return srv_reply_khabar_error(c, r, &err);
    json_t *errors = json_array();
    size_t indexed = 0, lineno = 0;
    for (size_t pos = 0; pos < r->len;) {
        const char *line = body + pos;
        const char *nl = memchr(line, '\n', r->len - pos);
        size_t n = nl ? (size_t)(nl - line) : r->len - pos;
        pos += n + (nl ? 1 : 0);
        lineno++;
        size_t k = 0;
        while (k < n && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) k++;
        if (k == n) continue;
        json_t *id = NULL;
        if (store(s, ar, line, n, &opts, &err, &id)) {
            json_t *e = json_pack("{s:I, s:o}", "line", (json_int_t)lineno, "error", error_object(&err));
            if (id) json_object_set_new(e, "id", id);
            json_array_append_new(errors, e);
            if (err.code == KHABAR_ERROR_IO || err.code == KHABAR_ERROR_MEMORY) {
                /* the database failed and rolled the batch back: nothing is stored */
                wrote(s);
                json_decref(errors);
                return srv_reply_khabar_error(c, r, &err);
            }
        } else {
            json_decref(id);
            indexed++;
        }
    }
    khabar_status committed = khabar_archive_commit(ar, &err);
    wrote(s);
    if (committed != KHABAR_OK) {
        json_decref(errors);
        return srv_reply_khabar_error(c, r, &err);
    }
    return reply_json_text(c, r, MHD_HTTP_OK,
                           json_pack("{s:I, s:I, s:o}", "indexed", (json_int_t)indexed, "failed",
                                     (json_int_t)json_array_size(errors), "errors", errors));
}

enum MHD_Result srv_article_delete(struct MHD_Connection *c, srv_request *r, const char *id)
{
    khabar_error err = {0};
    khabar_archive *ar = archive(r->server, &err);
    if (!ar) return srv_reply_khabar_error(c, r, &err);
    int found = 0;
    khabar_status st = khabar_archive_delete(ar, id, strlen(id), &found, &err);
    wrote(r->server);
    if (st != KHABAR_OK) return srv_reply_khabar_error(c, r, &err);
    if (!found) return srv_reply_error(c, r, MHD_HTTP_NOT_FOUND, "not_found", "no article with this id", -1, 0);
    return reply_json_text(c, r, MHD_HTTP_OK, json_pack("{s:s, s:b}", "id", id, "deleted", 1));
}

/* GET /v1/articles/ID: {"id", "title", "date", "text", "analysis"}, the
 * analysis being the doc's JSON as stored (offsets into "text"); 404 when
 * there is no such article. */
enum MHD_Result srv_article_get(struct MHD_Connection *c, srv_request *r, const char *id)
{
    khabar_error err = {0};
    khabar_archive *ar = archive(r->server, &err);
    if (!ar) return srv_reply_khabar_error(c, r, &err);
    khabar_stored_article *got = NULL;
    if (khabar_archive_get(ar, id, strlen(id), &got, &err) != KHABAR_OK) return srv_reply_khabar_error(c, r, &err);
    if (!got) return srv_reply_error(c, r, MHD_HTTP_NOT_FOUND, "not_found", "no article with this id", -1, 0);
    const khabar_article *a = khabar_stored_article_fields(got);
    json_error_t jerr;
    json_t *analysis = json_loadb(a->analysis, a->analysis_len, 0, &jerr);
    json_t *root = analysis ? json_pack("{s:s%, s:s%, s:o, s:s%, s:o}", "id", a->id, a->id_len, "title", a->title,
                                        a->title_len, "date", a->date ? json_stringn(a->date, a->date_len) : json_null(),
                                        "text", a->text, a->text_len, "analysis", analysis)
                            : NULL;
    khabar_stored_article_free(got);
    if (!root) {
        err.code = KHABAR_ERROR_DATA;
        snprintf(err.message, sizeof err.message, "the stored article cannot be read back");
        return srv_reply_khabar_error(c, r, &err);
    }
    return reply_json_text(c, r, MHD_HTTP_OK, root);
}

/* Collects a repeated parameter (?entity=, ?article=): up to `cap`
 * values, `more` set when there were more. */
typedef struct repeated_args {
    const char *key;
    const char *values[100];
    size_t n, cap;
    int more;
} repeated_args;

static enum MHD_Result collect_value(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    repeated_args *a = cls;
    (void)kind;
    if (!key || !value || !*value || strcmp(key, a->key)) return MHD_YES;
    if (a->n < a->cap) a->values[a->n++] = value;
    else a->more = 1;
    return MHD_YES;
}

static void collect(struct MHD_Connection *c, repeated_args *a, const char *key, size_t cap)
{
    memset(a, 0, sizeof *a);
    a->key = key;
    a->cap = cap < sizeof a->values / sizeof a->values[0] ? cap : sizeof a->values / sizeof a->values[0];
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_value, a);
}

static int count_arg(struct MHD_Connection *c, const char *name, size_t max, size_t *out)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    if (!v || !*v) return 0;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*end || v[0] == '-' || n > max) return -1;
    *out = n;
    return 0;
}

static const char *arg(struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

enum MHD_Result srv_search(struct MHD_Connection *c, srv_request *r)
{
    khabar_error err = {0};
    khabar_archive *ar = archive(r->server, &err);
    if (!ar) return srv_reply_khabar_error(c, r, &err);
    repeated_args ents;
    collect(c, &ents, "entity", 16);
    khabar_query q = {0};
    q.text = arg(c, "q");
    q.entities = ents.values;
    q.entity_count = ents.n;
    q.type = arg(c, "type");
    q.tag = arg(c, "tag");
    q.from = arg(c, "from");
    q.to = arg(c, "to");
    const char *collapse = arg(c, "collapse"), *facets = arg(c, "facets");
    if ((collapse && strcmp(collapse, "0") && strcmp(collapse, "1")) || (facets && strcmp(facets, "0") && strcmp(facets, "1")))
        return srv_reply_error(c, r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "collapse, facets: 0 or 1", -1, 0);
    if (collapse && !strcmp(collapse, "1")) q.flags |= KHABAR_QUERY_COLLAPSE;
    if (!facets || !strcmp(facets, "1")) q.flags |= KHABAR_QUERY_FACETS;
    if (count_arg(c, "limit", 100, &q.limit) || count_arg(c, "offset", 100000, &q.offset))
        return srv_reply_error(c, r, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                               "limit: 0 to 100; offset: 0 to 100000", -1, 0);
    khabar_results *res = NULL;
    if (khabar_archive_search(ar, &q, &res, &err) != KHABAR_OK) {
        if (err.code == KHABAR_ERROR_QUERY)
            return srv_reply_error(c, r, MHD_HTTP_BAD_REQUEST, "invalid_query", err.message, (long)err.offset, 0);
        return srv_reply_khabar_error(c, r, &err);
    }
    size_t len;
    const char *json = khabar_results_json(res, &len);
    enum MHD_Result ok = reply_json_bytes(c, r, json, len);
    khabar_results_free(res);
    return ok;
}

enum MHD_Result srv_stats(struct MHD_Connection *c, srv_request *r)
{
    khabar_error err = {0};
    khabar_archive *ar = archive(r->server, &err);
    if (!ar) return srv_reply_khabar_error(c, r, &err);
    khabar_archive_stats st;
    if (khabar_archive_stats_get(ar, &st, &err) != KHABAR_OK) return srv_reply_khabar_error(c, r, &err);
    return reply_json_text(c, r, MHD_HTTP_OK,
                           json_pack("{s:I, s:I, s:I, s:I, s:I, s:i, s:s?, s:s?}", "articles", (json_int_t)st.articles,
                                     "entities", (json_int_t)st.entities, "tags", (json_int_t)st.tags, "bytes",
                                     (json_int_t)st.bytes, "file_bytes", (json_int_t)st.file_bytes, "schema",
                                     st.schema, "first_date", st.first_date[0] ? st.first_date : NULL,
                                     "last_date", st.last_date[0] ? st.last_date : NULL));
}

/* GET /v1/entities?type=&from=&to=&limit= (the most named in a period), or
 * GET /v1/entities/NAME?type= (every entity with that spelling, with its
 * variants, mentions per day and company): the array `khabar entities` and
 * `khabar entity` print. */
enum MHD_Result srv_entities(struct MHD_Connection *c, srv_request *r, const char *name)
{
    khabar_error err = {0};
    khabar_archive *ar = archive(r->server, &err);
    if (!ar) return srv_reply_khabar_error(c, r, &err);
    khabar_entity_list *list = NULL;
    khabar_status st;
    if (name) {
        st = khabar_archive_entity(ar, name, arg(c, "type"), &list, &err);
    } else {
        khabar_entity_query q = {arg(c, "type"), arg(c, "from"), arg(c, "to"), 0};
        if (count_arg(c, "limit", 1000, &q.limit))
            return srv_reply_error(c, r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "limit: 0 to 1000", -1, 0);
        st = khabar_archive_entities(ar, &q, &list, &err);
    }
    if (st != KHABAR_OK) return srv_reply_khabar_error(c, r, &err);
    enum MHD_Result ok;
    if (name && khabar_entity_list_count(list) == 0) {
        ok = srv_reply_error(c, r, MHD_HTTP_NOT_FOUND, "not_found", "no entity with this name in the archive", -1, 0);
    } else {
        size_t len;
        const char *json = khabar_entity_list_json(list, &len);
        ok = reply_json_bytes(c, r, json, len);
    }
    khabar_entity_list_free(list);
    return ok;
}

/* GET /v1/stories?from=&to=&limit=&min_size=&article=: the array `khabar
 * stories` prints, largest stories first; with article= (up to 100), only
 * the stories of those articles. */
enum MHD_Result srv_stories(struct MHD_Connection *c, srv_request *r)
{
    khabar_error err = {0};
    khabar_archive *ar = archive(r->server, &err);
    if (!ar) return srv_reply_khabar_error(c, r, &err);
    khabar_story_query q = {arg(c, "from"), arg(c, "to"), 0, 0, NULL, 0};
    repeated_args ids;
    collect(c, &ids, "article", 100);
    if (count_arg(c, "limit", 1000, &q.limit) || count_arg(c, "min_size", 100000, &q.min_size) || ids.more)
        return srv_reply_error(c, r, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                               "limit: 0 to 1000; min_size: 0 to 100000; article: at most 100", -1, 0);
    q.articles = ids.values;
    q.article_count = ids.n;
    khabar_story_list *list = NULL;
    if (khabar_archive_stories(ar, &q, &list, &err) != KHABAR_OK) return srv_reply_khabar_error(c, r, &err);
    size_t len;
    const char *json = khabar_story_list_json(list, &len);
    enum MHD_Result ok = reply_json_bytes(c, r, json, len);
    khabar_story_list_free(list);
    return ok;
}

/* ---- the response cache ---- */

typedef struct cache_arg {
    const char *key, *value; /* value NULL for "?key" without "=" */
    size_t order;
} cache_arg;

typedef struct cache_args {
    cache_arg items[64];
    size_t n;
    int more;
} cache_args;

static enum MHD_Result gather_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    cache_args *a = cls;
    (void)kind;
    if (a->n == sizeof a->items / sizeof a->items[0]) {
        a->more = 1;
        return MHD_NO;
    }
    a->items[a->n] = (cache_arg){key ? key : "", value, a->n};
    a->n++;
    return MHD_YES;
}

/* By name, repeated names in the order given (?entity=a&entity=b is not
 * ?entity=b&entity=a: the handlers read them in order). */
static int arg_order(const void *x, const void *y)
{
    const cache_arg *a = x, *b = y;
    int d = strcmp(a->key, b->key);
    return d ? d : (a->order > b->order) - (a->order < b->order);
}

#define CACHE_KEY_MAX 8192

/* The request as the handlers read it: its path and its parameters (as
 * decoded), sorted by name, each part ended by a NUL so that no two
 * requests share a key.  0, or -1 when it is not to be cached (too many
 * parameters, too long, no memory). */
static int cache_key(struct MHD_Connection *c, srv_request *r, const char *url)
{
    cache_args args;
    args.n = 0;
    args.more = 0;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, gather_arg, &args);
    if (args.more) return -1;
    qsort(args.items, args.n, sizeof args.items[0], arg_order);
    size_t len = strlen(url) + 1;
    for (size_t i = 0; i < args.n; i++)
        len += strlen(args.items[i].key) + 2 + (args.items[i].value ? strlen(args.items[i].value) + 1 : 0);
    if (len > CACHE_KEY_MAX || !(r->cache_key = malloc(len))) return -1;
    char *p = r->cache_key;
    size_t n = strlen(url) + 1;
    memcpy(p, url, n);
    p += n;
    for (size_t i = 0; i < args.n; i++) {
        n = strlen(args.items[i].key) + 1;
        memcpy(p, args.items[i].key, n);
        p += n;
        *p++ = args.items[i].value ? '=' : '-';
        if (args.items[i].value) {
            n = strlen(args.items[i].value) + 1;
            memcpy(p, args.items[i].value, n);
            p += n;
        }
    }
    r->cache_key_len = len;
    return 0;
}

enum MHD_Result srv_archive_get(struct MHD_Connection *c, srv_request *r, const char *url)
{
    srv *s = r->server;
    if (s->cache) {
        check_version(s, 0);
        r->cache_generation = srv_cache_generation(s->cache);
        if (!cache_key(c, r, url)) {
            srv_cache_entry *e = srv_cache_get(s->cache, r->cache_key, r->cache_key_len);
            if (e) {
                atomic_fetch_add(&s->metrics.cache_hits[r->route], 1);
                return reply_entry(c, r, e, "hit");
            }
        }
    }
    if (!(r->url = strdup(url))) return MHD_NO;
    r->connection = c;
    if (srv_jobs_push(s, r))
        return srv_reply_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "stopping", "the server is shutting down", -1, 1);
    return MHD_YES;
}

enum MHD_Result srv_archive_answer(struct MHD_Connection *c, srv_request *r)
{
    srv *s = r->server;
    if (srv_now() - r->start > (double)s->cfg.timeout) { /* waited too long for a reader */
        char msg[96];
        snprintf(msg, sizeof msg, "the request took longer than the server's limit of %u s", s->cfg.timeout);
        return srv_reply_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "timeout", msg, -1, 1);
    }
    /* The same GET, asked while another asking of it waited for a reader or
     * was being answered, finds the answer made meanwhile: a search is made
     * once however many ask for it at the same time (a page polled by many
     * desks, a server just started).  A miss is counted only here, once
     * the answer is to be made. */
    if (r->cache_key) {
        srv_cache_entry *e = srv_cache_get(s->cache, r->cache_key, r->cache_key_len);
        atomic_fetch_add(e ? &s->metrics.cache_hits[r->route] : &s->metrics.cache_misses[r->route], 1);
        if (e) return reply_entry(c, r, e, "hit");
    }
    const char *url = r->url;
    switch (r->route) {
    case ROUTE_SEARCH: return srv_search(c, r);
    case ROUTE_STATS: return srv_stats(c, r);
    case ROUTE_ENTITIES: return srv_entities(c, r, NULL);
    case ROUTE_ENTITY: return srv_entities(c, r, url + 13);
    case ROUTE_STORIES: return srv_stories(c, r);
    default: return srv_article_get(c, r, url + 13);
    }
}

/* Opens the reader threads' connections (which also checks that --db can
 * be opened, made when missing) and the cache's watch before serving. */
int srv_archive_check(srv *s, char *errbuf, size_t cap)
{
    khabar_error err;
    for (unsigned i = 0; i < s->cfg.threads; i++)
        if (!open_archive(s, &err)) {
            snprintf(errbuf, cap, "--db %s: %s", s->cfg.db, err.message);
            return -1;
        }
    s->archives_at_start = s->archive_count;
    if (s->cfg.cache_bytes) {
        if (!(s->watch = open_archive(s, &err))) {
            snprintf(errbuf, cap, "--db %s: %s", s->cfg.db, err.message);
            return -1;
        }
        s->watch_known = khabar_archive_data_version(s->watch, &s->watch_version, NULL) == KHABAR_OK;
    }
    return 0;
}

/* Each reader publishes its connection's part of the metrics' totals: the
 * difference from what it published last (size_t wraps both ways). */
static _Thread_local size_t published_facets, published_page_cache;

void srv_archive_memory(srv *s, int release)
{
    if (!thread_archive || thread_archive_owner != s) return;
    if (release) {
        khabar_archive_release_memory(thread_archive, NULL);
        atomic_fetch_add(&s->metrics.memory_releases, 1);
    }
    khabar_archive_memory m;
    if (khabar_archive_memory_get(thread_archive, &m, NULL) != KHABAR_OK) return;
    /* the facet columns are shared by the readers: each counts its part */
    size_t facets = m.facets + (m.facet_columns_users ? m.facet_columns / m.facet_columns_users : 0);
    atomic_fetch_add(&s->metrics.archive_facets_bytes, facets - published_facets);
    atomic_fetch_add(&s->metrics.archive_page_cache_bytes, m.page_cache - published_page_cache);
    published_facets = facets;
    published_page_cache = m.page_cache;
}
