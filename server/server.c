/* The server's life and its requests' way in: routing, the checks every
 * request passes (queue, method, token, size, time), the body's upload,
 * the web page's files, /healthz and /metrics. */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "assets.h"
#include "internal.h"

double srv_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void srv_active(srv *s, const srv_request *r)
{
    /* a monitor's scrapes and health checks do not keep the server busy */
    if (r->route != ROUTE_METRICS && r->route != ROUTE_HEALTHZ)
        atomic_store_explicit(&s->last_active_ms, (unsigned long long)(srv_now() * 1000), memory_order_relaxed);
}

/* ---- analyzers: one per worker thread, the model shared ---- */

static _Thread_local khabar_analyzer *thread_analyzer;
static _Thread_local const srv *thread_analyzer_owner;

khabar_analyzer *srv_analyzer(srv *s)
{
    if (thread_analyzer && thread_analyzer_owner == s) return thread_analyzer;
    khabar_analyzer *an = NULL;
    if (khabar_analyzer_new(s->model, &an, NULL) != KHABAR_OK) return NULL;
    pthread_mutex_lock(&s->analyzers_lock);
    if (s->analyzer_count == s->analyzer_cap) {
        size_t cap = s->analyzer_cap ? 2 * s->analyzer_cap : 8;
        khabar_analyzer **more = realloc(s->analyzers, cap * sizeof *more);
        if (!more) {
            pthread_mutex_unlock(&s->analyzers_lock);
            khabar_analyzer_free(an);
            return NULL;
        }
        s->analyzers = more;
        s->analyzer_cap = cap;
    }
    s->analyzers[s->analyzer_count++] = an;
    pthread_mutex_unlock(&s->analyzers_lock);
    thread_analyzer = an;
    thread_analyzer_owner = s;
    return an;
}

static const char *route_methods(srv_route route);

/* ---- replies ---- */

void srv_common_headers(struct MHD_Response *resp, const char *type)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

enum MHD_Result srv_queue(struct MHD_Connection *c, srv_request *r, unsigned status, struct MHD_Response *resp)
{
    if (!resp) return MHD_NO;
    enum MHD_Result ok = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    r->answered = 1;
    return ok;
}

enum MHD_Result srv_reply(struct MHD_Connection *c, srv_request *r, unsigned status, const char *type,
                          const char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body, mode);
    if (!resp) return MHD_NO;
    srv_common_headers(resp, type);
    return srv_queue(c, r, status, resp);
}

enum MHD_Result srv_reply_error(struct MHD_Connection *c, srv_request *r, unsigned status, const char *code,
                                const char *message, long offset, unsigned retry_after)
{
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
    if (e && offset >= 0) json_object_set_new(e, "offset", json_integer(offset));
    json_t *root = e ? json_pack("{s:o}", "error", e) : NULL;
    char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (!text) return MHD_NO;
    size_t len = strlen(text);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!resp) { free(text); return MHD_NO; }
    srv_common_headers(resp, "application/json; charset=utf-8");
    if (retry_after) {
        char v[16];
        snprintf(v, sizeof v, "%u", retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, v);
    }
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"khabar\"");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, route_methods(r->route));
    return srv_queue(c, r, status, resp);
}

enum MHD_Result srv_reply_khabar_error(struct MHD_Connection *c, srv_request *r, const khabar_error *err)
{
    unsigned status = err->code == KHABAR_ERROR_TOO_LARGE ? MHD_HTTP_CONTENT_TOO_LARGE
                    : err->code == KHABAR_ERROR_MEMORY    ? MHD_HTTP_SERVICE_UNAVAILABLE
                    : err->code == KHABAR_ERROR_DATA      ? MHD_HTTP_INTERNAL_SERVER_ERROR
                                                          : MHD_HTTP_BAD_REQUEST;
    int has_offset = err->code == KHABAR_ERROR_UTF8 || err->code == KHABAR_ERROR_JSON ||
                     err->code == KHABAR_ERROR_ENCODING;
    return srv_reply_error(c, r, status, khabar_status_name(err->code), err->message,
                           has_offset ? (long)err->offset : -1,
                           status == MHD_HTTP_SERVICE_UNAVAILABLE ? 1 : 0);
}

/* ---- routing ---- */

static int prefixed(const char *url, const char *prefix)
{
    size_t n = strlen(prefix);
    return !strncmp(url, prefix, n) && (url[n] == '\0' || url[n] == '/');
}

static srv_route route_of(const char *url)
{
    if (!strcmp(url, "/v1/analyze")) return ROUTE_ANALYZE;
    if (!strcmp(url, "/v1/analyze/batch")) return ROUTE_BATCH;
    if (!strcmp(url, "/v1/extract")) return ROUTE_EXTRACT;
    if (!strcmp(url, "/v1/articles")) return ROUTE_ARTICLES;
    if (!strncmp(url, "/v1/articles/", 13) && url[13]) return ROUTE_ARTICLE;
    if (!strcmp(url, "/v1/search")) return ROUTE_SEARCH;
    if (!strcmp(url, "/v1/stats")) return ROUTE_STATS;
    if (!strcmp(url, "/v1/entities")) return ROUTE_ENTITIES;
    if (!strncmp(url, "/v1/entities/", 13) && url[13]) return ROUTE_ENTITY;
    if (!strcmp(url, "/v1/stories")) return ROUTE_STORIES;
    if (!strcmp(url, "/healthz")) return ROUTE_HEALTHZ;
    if (!strcmp(url, "/metrics")) return ROUTE_METRICS;
    if (!strncmp(url, "/web/", 5)) return ROUTE_ASSET;
    /* The page's own addresses: it reads the rest of the path itself. */
    if (!strcmp(url, "/") || !strcmp(url, "/index.html") || prefixed(url, "/search") ||
        prefixed(url, "/entities") || prefixed(url, "/articles") || prefixed(url, "/stories"))
        return ROUTE_PAGE;
    return ROUTE_OTHER;
}

static int route_takes_body(srv_route route)
{
    return route == ROUTE_ANALYZE || route == ROUTE_BATCH || route == ROUTE_EXTRACT || route == ROUTE_ARTICLES;
}

static int route_is_archive(srv_route route)
{
    return route == ROUTE_ARTICLES || route == ROUTE_ARTICLE || route == ROUTE_SEARCH || route == ROUTE_STATS ||
           route == ROUTE_ENTITIES || route == ROUTE_ENTITY || route == ROUTE_STORIES;
}

/* The methods a route answers, as its Allow header says them. */
static const char *route_methods(srv_route route)
{
    if (route_takes_body(route)) return "POST";
    if (route == ROUTE_ARTICLE) return "GET, HEAD, DELETE";
    return "GET, HEAD";
}

static int method_allowed(srv_route route, const char *method)
{
    if (route_takes_body(route)) return !strcmp(method, MHD_HTTP_METHOD_POST);
    if (route == ROUTE_ARTICLE && !strcmp(method, MHD_HTTP_METHOD_DELETE)) return 1;
    return !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
}

static const char *asset_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (!strcmp(dot, ".html")) return "text/html; charset=utf-8";
    if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
    if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".svg")) return "image/svg+xml";
    return "application/octet-stream";
}

/* The page and its files: its scripts and styles from this server only. */
static enum MHD_Result serve_asset(struct MHD_Connection *c, srv_request *r, const char *name)
{
    const srv_asset *a = srv_asset_find(name);
    if (!a) return srv_reply_error(c, r, MHD_HTTP_NOT_FOUND, "not_found", "no such file", -1, 0);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, asset_type(name));
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
                            "form-action 'self'; frame-ancestors 'none'");
    return srv_queue(c, r, MHD_HTTP_OK, resp);
}

static enum MHD_Result healthz(struct MHD_Connection *c, srv_request *r)
{
    srv *s = r->server;
    char body[160];
    int n = snprintf(body, sizeof body,
                     "{\"status\":\"ok\",\"version\":\"%s\",\"uptime_seconds\":%.0f,\"threads\":%u}",
                     khabar_version(), srv_now() - s->started, s->cfg.threads);
    return srv_reply(c, r, MHD_HTTP_OK, "application/json; charset=utf-8", body, (size_t)n,
                     MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result metrics(struct MHD_Connection *c, srv_request *r)
{
    size_t len;
    char *text = srv_metrics_text(r->server, &len);
    if (!text) return MHD_NO;
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!resp) { free(text); return MHD_NO; }
    srv_common_headers(resp, "text/plain; version=0.0.4; charset=utf-8");
    return srv_queue(c, r, MHD_HTTP_OK, resp);
}

/* A request without a body, answered at once. */
static enum MHD_Result answer_get(struct MHD_Connection *c, srv_request *r, const char *method, const char *url)
{
    switch (r->route) {
    case ROUTE_PAGE: return serve_asset(c, r, "index.html");
    case ROUTE_ASSET: return serve_asset(c, r, url + 5);
    case ROUTE_HEALTHZ: return healthz(c, r);
    case ROUTE_ARTICLE:
        if (!strcmp(method, MHD_HTTP_METHOD_DELETE)) return srv_article_delete(c, r, url + 13);
        return srv_archive_get(c, r, url);
    case ROUTE_SEARCH:
    case ROUTE_STATS:
    case ROUTE_ENTITIES:
    case ROUTE_ENTITY:
    case ROUTE_STORIES: return srv_archive_get(c, r, url);
    case ROUTE_METRICS: return metrics(c, r);
    default: return srv_reply_error(c, r, MHD_HTTP_NOT_FOUND, "not_found", "no such endpoint", -1, 0);
    }
}

/* Constant time, so that the token cannot be guessed a byte at a time. */
static int token_matches(const char *given, const char *token)
{
    size_t n = strlen(token), m = strlen(given);
    unsigned char diff = (unsigned char)(n != m);
    for (size_t i = 0; i < n; i++) diff |= (unsigned char)(token[i] ^ (i < m ? given[i] : 0));
    return diff == 0;
}

static int authorized(struct MHD_Connection *c, const srv *s)
{
    if (!s->token) return 1;
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!auth || strncasecmp(auth, "Bearer ", 7)) return 0;
    auth += 7;
    while (*auth == ' ') auth++;
    return token_matches(auth, s->token);
}

static enum MHD_Result too_large(struct MHD_Connection *c, srv_request *r);

/* The checks made on a request's headers, before its body: 0 to go on, or 1
 * with the reply made (*out). */
static int refuse_early(struct MHD_Connection *c, srv_request *r, const char *method, enum MHD_Result *out)
{
    srv *s = r->server;
    if (atomic_load(&s->in_progress) > s->cfg.queue) {
        *out = srv_reply_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
                               "too many requests in progress; try again shortly", -1, 1);
        return 1;
    }
    if (r->route == ROUTE_OTHER) {
        *out = srv_reply_error(c, r, MHD_HTTP_NOT_FOUND, "not_found", "no such endpoint", -1, 0);
        return 1;
    }
    if (route_is_archive(r->route) && !s->cfg.db) {
        *out = srv_reply_error(c, r, MHD_HTTP_NOT_FOUND, "no_archive",
                               "this server has no archive: start it with --db FILE", -1, 0);
        return 1;
    }
    int get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
    if (!method_allowed(r->route, method)) {
        char msg[64];
        snprintf(msg, sizeof msg, "this endpoint takes %s", route_methods(r->route));
        *out = srv_reply_error(c, r, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", msg, -1, 0);
        return 1;
    }
    int writes = !get; /* POST and DELETE */
    if (writes && !authorized(c, s)) {
        *out = srv_reply_error(c, r, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                               "this endpoint needs 'Authorization: Bearer TOKEN'", -1, 0);
        return 1;
    }
    const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length && route_takes_body(r->route)) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(length, &end, 10);
        if (errno || *end || n > s->cfg.max_body) {
            *out = too_large(c, r);
            return 1;
        }
    }
    return 0;
}

static enum MHD_Result too_large(struct MHD_Connection *c, srv_request *r)
{
    char msg[96];
    snprintf(msg, sizeof msg, "the body is larger than the server's limit of %zu bytes", r->server->cfg.max_body);
    return srv_reply_error(c, r, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", msg, -1, 0);
}

static void timeout_message(const srv *s, char *msg, size_t cap)
{
    snprintf(msg, cap, "the request took longer than the server's limit of %u s", s->cfg.timeout);
}

static enum MHD_Result timed_out(struct MHD_Connection *c, srv_request *r)
{
    char msg[96];
    timeout_message(r->server, msg, sizeof msg);
    return srv_reply_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "timeout", msg, -1, 1);
}

/* A body still coming in past the deadline (a client sending a byte a
 * second): libmicrohttpd 0.9.75 queues no response before the body's end,
 * so the 503 is written to the socket here and the connection closed. */
static enum MHD_Result close_timed_out(struct MHD_Connection *c, srv_request *r)
{
    char msg[96], body[192], head[256];
    timeout_message(r->server, msg, sizeof msg);
    int n = snprintf(body, sizeof body, "{\"error\":{\"code\":\"timeout\",\"message\":\"%s\"}}", msg);
    int h = snprintf(head, sizeof head,
                     "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                     "Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n", n);
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info) {
        struct iovec parts[2] = {{head, (size_t)h}, {body, (size_t)n}};
        struct msghdr m = {.msg_iov = parts, .msg_iovlen = 2};
        if (sendmsg(info->connect_fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT) > 0) r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
    }
    r->answered = 1;
    return MHD_NO;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **ctx)
{
    srv *s = cls;
    srv_request *r = *ctx;
    (void)version;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r) return MHD_NO;
        r->server = s;
        r->start = srv_now();
        r->route = route_of(url);
        srv_active(s, r);
        atomic_fetch_add(&s->in_progress, 1);
        *ctx = r;
        enum MHD_Result out;
        if (refuse_early(c, r, method, &out)) return out;
        /* The answer comes on the next call, once the (empty or not) body
         * is in: an answer queued now would close the connection. */
        return MHD_YES;
    }
    if (r->failed) return MHD_NO; /* a reader thread could not answer (jobs.c) */
    if (r->answered) { /* answered early, or by a reader thread: the rest of the body is dropped */
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (srv_now() - r->start > (double)s->cfg.timeout) return close_timed_out(c, r);
        if (!route_takes_body(r->route) || r->too_large) return MHD_YES; /* not kept */
        if (n > s->cfg.max_body - r->len) { /* chunked: answered once it ends (or times out) */
            r->too_large = 1;
            free(r->body);
            r->body = NULL;
            r->len = r->cap = 0;
            return MHD_YES;
        }
        if (r->len + n > r->cap) {
            size_t cap = r->cap ? r->cap : 16384;
            while (cap < r->len + n) cap *= 2;
            char *more = realloc(r->body, cap + 1);
            if (!more)
                return srv_reply_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory",
                                       "the server is out of memory", -1, 5);
            r->body = more;
            r->cap = cap;
        }
        memcpy(r->body + r->len, upload, n);
        r->len += n;
        return MHD_YES;
    }
    if (!route_takes_body(r->route)) return answer_get(c, r, method, url);
    if (r->too_large) return too_large(c, r);
    if (srv_now() - r->start > (double)s->cfg.timeout) return timed_out(c, r);
    switch (r->route) {
    case ROUTE_ANALYZE: return srv_analyze(c, r);
    case ROUTE_BATCH: return srv_analyze_batch(c, r);
    case ROUTE_ARTICLES: return srv_articles_post(c, r);
    default: return srv_extract(c, r);
    }
}

static void completed(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode toe)
{
    srv *s = cls;
    srv_request *r = *ctx;
    (void)c;
    (void)toe;
    if (!r) return;
    if (r->status) srv_metrics_record(&s->metrics, r->route, r->status, srv_now() - r->start);
    srv_active(s, r);
    atomic_fetch_sub(&s->in_progress, 1);
    free(r->body);
    free(r->cache_key);
    free(r->url);
    free(r);
    *ctx = NULL;
}

static void log_error(void *cls, const char *fmt, va_list ap)
{
    const srv *s = cls;
    if (s->cfg.no_listen) return; /* fuzzing: every odd input would be logged */
    /* what close_timed_out does on purpose */
    if (!strncmp(fmt, "Application reported internal error", 35)) return;
    fputs("khabar serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- life ---- */

static void release(srv *s)
{
    srv_jobs_stop(s); /* first: no connection may be left suspended */
    if (s->daemon) MHD_stop_daemon(s->daemon);
    srv_jobs_free(s);
    for (size_t i = 0; i < s->analyzer_count; i++) khabar_analyzer_free(s->analyzers[i]);
    for (size_t i = 0; i < s->archive_count; i++) khabar_archive_close(s->archives[i]);
    free(s->archives);
    srv_cache_free(s->cache);
    free(s->analyzers);
    pthread_mutex_destroy(&s->analyzers_lock);
    pthread_mutex_destroy(&s->watch_lock);
    khabar_model_free(s->model);
    free(s->token);
    free(s);
}

srv *srv_start(const srv_config *cfg, char *err, size_t errlen)
{
    srv *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "out of memory"); return NULL; }
    s->cfg = *cfg;
    if (!s->cfg.host) s->cfg.host = "127.0.0.1";
    if (!s->cfg.threads) s->cfg.threads = 1;
    if (!s->cfg.timeout) s->cfg.timeout = 30;
    if (!s->cfg.max_body) s->cfg.max_body = (size_t)10 << 20;
    if (!s->cfg.queue) s->cfg.queue = 1024;
    s->started = srv_now();
    pthread_mutex_init(&s->analyzers_lock, NULL);
    pthread_mutex_init(&s->watch_lock, NULL);
    if (cfg->token && !(s->token = strdup(cfg->token))) {
        snprintf(err, errlen, "out of memory");
        release(s);
        return NULL;
    }
    s->cfg.token = s->token;
    khabar_error kerr;
    if (khabar_model_new(&s->model, &kerr) != KHABAR_OK) {
        snprintf(err, errlen, "cannot load the model: %s", kerr.message);
        release(s);
        return NULL;
    }
    if (s->cfg.db && srv_archive_check(s, err, errlen)) {
        release(s);
        return NULL;
    }
    if (s->cfg.db && s->cfg.cache_bytes && !(s->cache = srv_cache_new(s->cfg.cache_bytes))) {
        snprintf(err, errlen, "out of memory");
        release(s);
        return NULL;
    }
    if (s->cfg.db && srv_jobs_start(s, s->cfg.threads)) {
        snprintf(err, errlen, "cannot start the archive's threads");
        release(s);
        return NULL;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *addr = NULL;
    char port[16];
    snprintf(port, sizeof port, "%u", s->cfg.port);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (s->cfg.no_listen) {
        flags |= MHD_USE_NO_LISTEN_SOCKET;
    } else {
        int rc = getaddrinfo(s->cfg.host, port, &hints, &addr);
        if (rc) {
            snprintf(err, errlen, "cannot use address %s: %s", s->cfg.host, gai_strerror(rc));
            release(s);
            return NULL;
        }
        if (addr->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    }
    struct MHD_OptionItem opts[8];
    size_t n = 0;
    if (s->cfg.threads > 1)
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)s->cfg.threads, NULL};
    /* an idle connection is closed after this; a slow one by the request's own deadline */
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)s->cfg.timeout, NULL};
    /* headers and the read buffer: huge headers get 431, and cost no more than this */
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)(64 * 1024), NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, (intptr_t)(s->cfg.queue + 64), NULL};
    if (addr) opts[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, addr->ai_addr};
    opts[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    s->daemon = MHD_start_daemon(flags, (uint16_t)s->cfg.port, NULL, NULL, handle, s,
                                 MHD_OPTION_EXTERNAL_LOGGER, log_error, s,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, s,
                                 MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    int saved = errno;
    if (addr) freeaddrinfo(addr);
    if (!s->daemon) {
        snprintf(err, errlen, "cannot listen on %s port %u: %s", s->cfg.host, s->cfg.port,
                 saved ? strerror(saved) : "libmicrohttpd refused the settings");
        release(s);
        return NULL;
    }
    return s;
}

unsigned srv_port(const srv *s)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : s->cfg.port;
}

int srv_add_socket(srv *s, int fd)
{
    struct sockaddr_storage peer = {0};
    socklen_t len = sizeof peer;
    if (getpeername(fd, (struct sockaddr *)&peer, &len) || len == 0 || peer.ss_family == AF_UNIX) {
        struct sockaddr_in *in = (struct sockaddr_in *)&peer;
        memset(&peer, 0, sizeof peer);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(0x7f000001);
        len = sizeof *in;
    }
    return MHD_add_connection(s->daemon, fd, (struct sockaddr *)&peer, len) == MHD_YES ? 0 : -1;
}

void srv_stop(srv *s, unsigned grace)
{
    if (!s) return;
    MHD_socket listener = MHD_quiesce_daemon(s->daemon);
    if (listener != MHD_INVALID_SOCKET) close(listener);
    double until = srv_now() + grace;
    while (atomic_load(&s->in_progress) > 0 && srv_now() < until) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    release(s);
}
