/* POST /v1/analyze, /v1/analyze/batch and /v1/extract: the body, read in
 * full by server.c, through the library as `khabar analyze` and `khabar
 * extract` read a file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

void srv_media_type(struct MHD_Connection *c, char *type, size_t type_cap, char *charset, size_t charset_cap,
                       int *has_charset)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    *has_charset = 0;
    type[0] = '\0';
    if (!v) return;
    size_t n = 0;
    while (*v == ' ') v++;
    while (*v && *v != ';' && *v != ' ' && n + 1 < type_cap) type[n++] = (char)(*v >= 'A' && *v <= 'Z' ? *v + 32 : *v), v++;
    type[n] = '\0';
    const char *cs = v;
    while ((cs = strchr(cs, ';'))) {
        cs++;
        while (*cs == ' ') cs++;
        if (!strncasecmp(cs, "charset=", 8)) break;
    }
    if (!cs) return;
    cs += 8;
    if (*cs == '"') cs++;
    n = 0;
    while (*cs && *cs != ';' && *cs != '"' && *cs != ' ' && n + 1 < charset_cap) charset[n++] = *cs++;
    charset[n] = '\0';
    *has_charset = n > 0 && strcasecmp(charset, "utf-8") && strcasecmp(charset, "utf8");
}

typedef struct query {
    khabar_options opts;
    unsigned json_flags;
    char problem[128]; /* a bad parameter, or "" */
} query;

/* "facts,quotes" → KHABAR_SKIP_* bits; 0, or -1 naming the unknown one. */
static int parse_skip(const char *list, unsigned *skip, char *problem, size_t cap)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        {"facts", KHABAR_SKIP_FACTS},       {"duplicates", KHABAR_SKIP_DUPLICATES},
        {"entities", KHABAR_SKIP_ENTITIES}, {"quotes", KHABAR_SKIP_QUOTES},
        {"tags", KHABAR_SKIP_TAGS},         {"summary", KHABAR_SKIP_SUMMARY},
        {"all", KHABAR_SKIP_ANALYSES}};
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        size_t k = 0;
        while (k < sizeof names / sizeof names[0] && (strlen(names[k].name) != n || strncmp(names[k].name, p, n)))
            k++;
        if (k == sizeof names / sizeof names[0]) {
            snprintf(problem, cap, "skip: unknown analysis '%.*s' (facts, duplicates, entities, quotes, "
                     "tags, summary, all)", (int)(n > 32 ? 32 : n), p);
            return -1;
        }
        *skip |= names[k].bit;
        p += n;
        if (*p == ',') p++;
    }
    return 0;
}

static int flag_on(const char *v)
{
    return v && (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !*v);
}

static int is_iso_date(const char *v)
{
    if (strlen(v) != 10 || v[4] != '-' || v[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9')) return 0;
    return 1;
}

/* ?skip=&tokens=1&summary=N&date=YYYY-MM-DD&pretty=1&replace_invalid=1 */
static void read_query(struct MHD_Connection *c, query *q)
{
    memset(q, 0, sizeof *q);
    const char *v;
    if ((v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "skip")) &&
        parse_skip(v, &q->opts.skip, q->problem, sizeof q->problem))
        return;
    if (flag_on(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "tokens"))) q->json_flags |= KHABAR_JSON_TOKENS;
    if (flag_on(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "pretty"))) q->json_flags |= KHABAR_JSON_PRETTY;
    if (flag_on(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "replace_invalid")))
        q->opts.flags |= KHABAR_OPTION_REPLACE_INVALID;
    if ((v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "summary"))) {
        char *end;
        unsigned long n = strtoul(v, &end, 10);
        if (*end || !*v || n == 0 || n > 64) {
            snprintf(q->problem, sizeof q->problem, "summary: a number from 1 to 64");
            return;
        }
        q->opts.summary_sentences = n;
    }
    if ((v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "date"))) {
        if (!is_iso_date(v)) {
            snprintf(q->problem, sizeof q->problem, "date: YYYY-MM-DD");
            return;
        }
        q->opts.date = v; /* borrowed from the connection, which outlives the analysis */
    }
}

static enum MHD_Result reply_doc(struct MHD_Connection *c, srv_request *r, khabar_doc *doc, unsigned flags)
{
    size_t len;
    const char *json = khabar_doc_json(doc, flags, &len);
    enum MHD_Result ok = json ? srv_reply(c, r, MHD_HTTP_OK, "application/json; charset=utf-8", json, len,
                                          MHD_RESPMEM_MUST_COPY)
                              : srv_reply_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory",
                                                "the server is out of memory", -1, 5);
    khabar_doc_free(doc);
    return ok;
}

static enum MHD_Result no_analyzer(struct MHD_Connection *c, srv_request *r)
{
    return srv_reply_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "the server is out of memory",
                           -1, 5);
}

static enum MHD_Result unsupported(struct MHD_Connection *c, srv_request *r, const char *accepted)
{
    char msg[160];
    snprintf(msg, sizeof msg, "Content-Type must be %s", accepted);
    return srv_reply_error(c, r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", msg, -1, 0);
}

enum MHD_Result srv_analyze(struct MHD_Connection *c, srv_request *r)
{
    query q;
    read_query(c, &q);
    if (q.problem[0]) return srv_reply_error(c, r, MHD_HTTP_BAD_REQUEST, "bad_parameter", q.problem, -1, 0);
    char type[64], charset[64];
    int has_charset;
    srv_media_type(c, type, sizeof type, charset, sizeof charset, &has_charset);
    int text = !type[0] || !strcmp(type, "text/plain");
    int html = !strcmp(type, "text/html");
    int json = !strcmp(type, "application/json");
    if (!text && !html && !json) return unsupported(c, r, "text/plain, text/html or application/json");
    khabar_analyzer *an = srv_analyzer(r->server);
    if (!an) return no_analyzer(c, r);
    const char *body = r->body ? r->body : "";
    khabar_error err;
    khabar_doc *doc = NULL;
    khabar_status st;
    q.opts.max_bytes = r->server->cfg.max_body;
    if (json) {
        st = khabar_analyze_record(an, body, r->len, &q.opts, &doc, &err);
    } else if (html) {
        khabar_page *page = NULL;
        khabar_extract_options eo = {.max_bytes = q.opts.max_bytes, .encoding = has_charset ? charset : NULL};
        st = khabar_extract(body, r->len, &eo, &page, &err);
        if (st == KHABAR_OK) {
            q.opts.source_encoding = khabar_page_get(page, KHABAR_PAGE_ENCODING, NULL);
            st = khabar_analyze_page(an, page, &q.opts, &doc, &err);
        }
        khabar_page_free(page);
    } else {
        /* Plain text in the charset named, else UTF-8 or what khabar_decode
         * detects; damaged UTF-8 goes on to the analysis, which reports
         * where (or replaces it with replace_invalid=1). */
        char *decoded = NULL;
        size_t decoded_len = 0;
        const char *used = NULL;
        st = khabar_decode(body, r->len, has_charset ? charset : NULL, &decoded, &decoded_len, &used, &err);
        if (st == KHABAR_OK) {
            q.opts.source_encoding = used && strcmp(used, "utf-8") ? used : NULL;
            st = khabar_analyze(an, decoded, decoded_len, &q.opts, &doc, &err);
            khabar_free(decoded);
        } else if (st == KHABAR_ERROR_UTF8) {
            st = khabar_analyze(an, body, r->len, &q.opts, &doc, &err);
        }
    }
    atomic_fetch_add(&r->server->metrics.bytes_analysed, r->len);
    if (st != KHABAR_OK) {
        atomic_fetch_add(&r->server->metrics.articles_failed, 1);
        return srv_reply_khabar_error(c, r, &err);
    }
    atomic_fetch_add(&r->server->metrics.articles_analysed, 1);
    return reply_doc(c, r, doc, q.json_flags);
}

enum MHD_Result srv_extract(struct MHD_Connection *c, srv_request *r)
{
    char type[64], charset[64];
    int has_charset;
    srv_media_type(c, type, sizeof type, charset, sizeof charset, &has_charset);
    if (strcmp(type, "text/html")) return unsupported(c, r, "text/html");
    khabar_page *page = NULL;
    khabar_error err;
    khabar_extract_options eo = {.max_bytes = r->server->cfg.max_body, .encoding = has_charset ? charset : NULL};
    khabar_status st = khabar_extract(r->body ? r->body : "", r->len, &eo, &page, &err);
    if (st != KHABAR_OK) return srv_reply_khabar_error(c, r, &err);
    size_t len;
    unsigned flags = flag_on(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "pretty")) ? KHABAR_JSON_PRETTY : 0;
    const char *json = khabar_page_json(page, flags, &len);
    enum MHD_Result ok = json ? srv_reply(c, r, MHD_HTTP_OK, "application/json; charset=utf-8", json, len,
                                          MHD_RESPMEM_MUST_COPY)
                              : no_analyzer(c, r);
    khabar_page_free(page);
    return ok;
}

/* ---- batch: JSON lines in, JSON lines out as each record is done ----
 * The body is in; the response is written record by record as the client
 * takes it, so the first lines leave before the last are analysed and only
 * one record's output is held at a time. */

typedef struct batch {
    srv *server;
    char *body;          /* owned */
    size_t len, pos;     /* the next record starts at pos */
    size_t lineno;
    query q;
    double deadline;
    char *out;           /* the current record's line, with its '\n' */
    size_t out_len, out_pos;
    int ended;
} batch;

static int set_out(batch *b, const char *s, size_t n)
{
    char *p = realloc(b->out, n + 1);
    if (!p) return -1;
    memcpy(p, s, n);
    p[n] = '\n';
    b->out = p;
    b->out_len = n + 1;
    b->out_pos = 0;
    return 0;
}

/* Analyses the next non-blank line into b->out; 0, 1 at the end, -1 on
 * failure (memory). */
static int next_record(batch *b)
{
    for (;;) {
        if (b->pos >= b->len) return 1;
        const char *line = b->body + b->pos;
        const char *nl = memchr(line, '\n', b->len - b->pos);
        size_t n = nl ? (size_t)(nl - line) : b->len - b->pos;
        b->pos += n + (nl ? 1 : 0);
        b->lineno++;
        if (n && line[n - 1] == '\r') n--;
        size_t k = 0;
        while (k < n && (line[k] == ' ' || line[k] == '\t')) k++;
        if (k == n) continue;
        if (srv_now() > b->deadline) {
            char msg[160];
            int m = snprintf(msg, sizeof msg,
                             "{\"line\":%zu,\"error\":{\"code\":\"timeout\",\"message\":\"the request took longer "
                             "than the server's limit of %u s; the records from this line on were not analysed\"}}",
                             b->lineno, b->server->cfg.timeout);
            b->pos = b->len;
            return set_out(b, msg, (size_t)m);
        }
        khabar_analyzer *an = srv_analyzer(b->server);
        if (!an) return -1;
        khabar_doc *doc = NULL;
        khabar_error err;
        int rc;
        atomic_fetch_add(&b->server->metrics.bytes_analysed, n);
        if (khabar_analyze_record(an, line, n, &b->q.opts, &doc, &err) == KHABAR_OK) {
            size_t len;
            const char *json = khabar_doc_json(doc, b->q.json_flags & ~(unsigned)KHABAR_JSON_PRETTY, &len);
            rc = json ? set_out(b, json, len) : -1;
            khabar_doc_free(doc);
            atomic_fetch_add(&b->server->metrics.articles_analysed, 1);
        } else {
            size_t len;
            const char *rec = khabar_record_error_json(an, &err, b->lineno, &len);
            rc = rec ? set_out(b, rec, len) : -1;
            atomic_fetch_add(&b->server->metrics.articles_failed, 1);
        }
        return rc;
    }
}

static ssize_t batch_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    batch *b = cls;
    (void)pos;
    if (b->out_pos == b->out_len) {
        int rc = b->ended ? 1 : next_record(b);
        if (rc) {
            b->ended = 1;
            return rc > 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
        }
    }
    size_t n = b->out_len - b->out_pos;
    if (n > max) n = max;
    memcpy(buf, b->out + b->out_pos, n);
    b->out_pos += n;
    return (ssize_t)n;
}

static void batch_free(void *cls)
{
    batch *b = cls;
    free(b->body);
    free(b->out);
    free(b);
}

enum MHD_Result srv_analyze_batch(struct MHD_Connection *c, srv_request *r)
{
    batch *b = calloc(1, sizeof *b);
    if (!b) return no_analyzer(c, r);
    read_query(c, &b->q);
    if (b->q.problem[0]) {
        enum MHD_Result ok = srv_reply_error(c, r, MHD_HTTP_BAD_REQUEST, "bad_parameter", b->q.problem, -1, 0);
        free(b);
        return ok;
    }
    char type[64], charset[64];
    int has_charset;
    srv_media_type(c, type, sizeof type, charset, sizeof charset, &has_charset);
    if (strcmp(type, "application/x-ndjson") && strcmp(type, "application/jsonl") &&
        strcmp(type, "application/json")) {
        free(b);
        return unsupported(c, r, "application/x-ndjson (JSON lines), application/jsonl or application/json");
    }
    b->server = r->server;
    b->q.opts.max_bytes = r->server->cfg.max_body;
    b->deadline = r->start + (double)r->server->cfg.timeout;
    b->body = r->body; /* the batch owns the body from here */
    b->len = r->len;
    r->body = NULL;
    r->len = r->cap = 0;
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, batch_read, b, batch_free);
    if (!resp) {
        batch_free(b);
        return MHD_NO;
    }
    srv_common_headers(resp, "application/x-ndjson; charset=utf-8");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    r->status = MHD_HTTP_OK;
    r->answered = 1;
    return ok;
}
