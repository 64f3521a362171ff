/* Shared by the server's files: requests, replies, metrics. */
#ifndef KHABAR_SERVER_INTERNAL_H
#define KHABAR_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "khabar.h"
#include "khabar_archive.h"
#include "cache.h"
#include "server.h"

/* What a request is for; metrics are kept by route. */
typedef enum srv_route {
    ROUTE_PAGE,     /* the web page's HTML: /, /search, /entities/..., /articles/... */
    ROUTE_ASSET,    /* /web/NAME: its CSS and JavaScript */
    ROUTE_ANALYZE,  /* POST /v1/analyze */
    ROUTE_BATCH,    /* POST /v1/analyze/batch */
    ROUTE_EXTRACT,  /* POST /v1/extract */
    ROUTE_ARTICLES, /* POST /v1/articles (--db) */
    ROUTE_ARTICLE,  /* GET, DELETE /v1/articles/ID */
    ROUTE_SEARCH,   /* GET /v1/search */
    ROUTE_STATS,    /* GET /v1/stats */
    ROUTE_ENTITIES, /* GET /v1/entities */
    ROUTE_ENTITY,   /* GET /v1/entities/NAME */
    ROUTE_STORIES,  /* GET /v1/stories */
    ROUTE_HEALTHZ,
    ROUTE_METRICS,
    ROUTE_OTHER,    /* anything else: 404 */
    ROUTE_COUNT
} srv_route;

/* Upper bounds, in seconds, of the latency histogram's buckets. */
#define SRV_BUCKETS 14
#define SRV_STATUS_MIN 100
#define SRV_STATUS_MAX 599

typedef struct srv_metrics {
    atomic_ulong requests[ROUTE_COUNT][SRV_STATUS_MAX - SRV_STATUS_MIN + 1];
    atomic_ulong buckets[ROUTE_COUNT][SRV_BUCKETS]; /* not cumulative; summed when written */
    atomic_ulong micros[ROUTE_COUNT];               /* total latency, microseconds */
    atomic_ulong count[ROUTE_COUNT];
    atomic_ulong bytes_analysed;
    atomic_ulong articles_analysed;
    atomic_ulong articles_failed;
    atomic_ulong articles_indexed;
    atomic_ulong cache_hits[ROUTE_COUNT], cache_misses[ROUTE_COUNT];
    /* what the reader threads' connections keep in memory (each publishes
     * its own part after each answer) and how often they gave it back */
    atomic_size_t archive_facets_bytes, archive_page_cache_bytes;
    atomic_ulong memory_releases;
} srv_metrics;

struct srv {
    srv_config cfg;
    char *token;
    struct MHD_Daemon *daemon;
    khabar_model *model;
    atomic_size_t in_progress;
    atomic_ullong last_active_ms; /* monotonic, when a request last began or ended */
    srv_metrics metrics;
    double started;
    /* every analyzer a worker thread made, freed when the server stops */
    pthread_mutex_t analyzers_lock;
    khabar_analyzer **analyzers;
    size_t analyzer_count, analyzer_cap;
    /* the archive's connections (--db): the reader threads' (the first
     * archives_at_start, opened at the start and claimed as they come), the
     * cache's watch, and those the polling threads open to write; closed
     * when the server stops */
    khabar_archive **archives;
    size_t archive_count, archives_at_start, archives_claimed;
    /* the connection that reads the data version for the cache, under
     * watch_lock, and the version it read last */
    khabar_archive *watch;
    pthread_mutex_t watch_lock;
    unsigned long long watch_version;
    int watch_known;
    srv_cache *cache; /* the archive's GET answers (--cache-mb), or NULL */
    /* the archive's readers (jobs.c) and the requests waiting for them */
    pthread_t *readers;
    size_t reader_count;
    pthread_mutex_t jobs_lock;
    pthread_cond_t jobs_ready;
    struct srv_request *jobs_head, *jobs_tail;
    int jobs_stop, jobs_inited;
};

/* One request, from its headers to its last byte out. */
typedef struct srv_request {
    srv *server;
    srv_route route;
    double start;     /* monotonic seconds */
    unsigned status;  /* the status answered, 0 until then */
    int answered;
    int too_large;    /* a chunked body grew past the limit: the rest is dropped */
    char *body;
    size_t len, cap;
    /* an archive GET the cache may keep: its key, and the cache's
     * generation read before the answer was made */
    char *cache_key;
    size_t cache_key_len;
    unsigned long cache_generation;
    /* an archive GET handed to a reader thread (jobs.c), its connection
     * suspended meanwhile */
    struct MHD_Connection *connection;
    char *url;
    struct srv_request *next_job;
    int failed; /* the reader could not answer: the connection is closed */
} srv_request;

double srv_now(void);
/* The request begins or ends: the server is not idle (--release-idle). */
void srv_active(srv *s, const struct srv_request *r);

/* This thread's analyzer (made on first use), or NULL when memory ran out. */
khabar_analyzer *srv_analyzer(srv *s);

/* Replies: the status is kept for the metrics.  `retry_after` > 0 adds a
 * Retry-After header.  Each returns what the access handler returns. */
enum MHD_Result srv_reply(struct MHD_Connection *c, srv_request *r, unsigned status, const char *type,
                          const char *body, size_t len, enum MHD_ResponseMemoryMode mode);
enum MHD_Result srv_reply_error(struct MHD_Connection *c, srv_request *r, unsigned status, const char *code,
                                const char *message, long offset, unsigned retry_after);
/* A library error: its status name as the code, its offset when it has one. */
enum MHD_Result srv_reply_khabar_error(struct MHD_Connection *c, srv_request *r, const khabar_error *err);
/* Queues a response made by the caller (and destroys the caller's handle). */
enum MHD_Result srv_queue(struct MHD_Connection *c, srv_request *r, unsigned status, struct MHD_Response *resp);
/* Adds the headers every response has (type, nosniff, caching). */
void srv_common_headers(struct MHD_Response *resp, const char *type);

/* The body's media type, lower-cased, without parameters, and its charset
 * parameter in the caller's buffers; *has_charset when it names one other
 * than UTF-8. */
void srv_media_type(struct MHD_Connection *c, char *type, size_t type_cap, char *charset, size_t charset_cap,
                    int *has_charset);

/* The analysis endpoints (analyze.c), called once the body is in. */
enum MHD_Result srv_analyze(struct MHD_Connection *c, srv_request *r);
enum MHD_Result srv_analyze_batch(struct MHD_Connection *c, srv_request *r);
enum MHD_Result srv_extract(struct MHD_Connection *c, srv_request *r);

/* The archive's endpoints (archive.c), with --db. */
enum MHD_Result srv_articles_post(struct MHD_Connection *c, srv_request *r);
enum MHD_Result srv_article_delete(struct MHD_Connection *c, srv_request *r, const char *id);
enum MHD_Result srv_search(struct MHD_Connection *c, srv_request *r);
enum MHD_Result srv_stats(struct MHD_Connection *c, srv_request *r);
enum MHD_Result srv_entities(struct MHD_Connection *c, srv_request *r, const char *name);
enum MHD_Result srv_stories(struct MHD_Connection *c, srv_request *r);
enum MHD_Result srv_article_get(struct MHD_Connection *c, srv_request *r, const char *id);
/* A GET of the archive (search, stats, entities, stories, an article):
 * from the response cache when it holds it, else from the archive. */
enum MHD_Result srv_archive_get(struct MHD_Connection *c, srv_request *r, const char *url);
/* The same from the archive, on a reader thread (r->url). */
enum MHD_Result srv_archive_answer(struct MHD_Connection *c, srv_request *r);

/* The archive's reader threads (jobs.c): n of them; 0 or -1. */
int srv_jobs_start(srv *s, unsigned n);
/* Suspends the request's connection and hands it to a reader, which
 * answers it and resumes the connection: 0.  -1, the connection left as it
 * was, once the readers are stopping (a keep-alive connection may ask
 * again while the server shuts down). */
int srv_jobs_push(srv *s, srv_request *r);
/* Lets the readers answer what is waiting, then ends them; later pushes
 * fail.  Safe when they were never started. */
void srv_jobs_stop(srv *s);
/* Frees what srv_jobs_stop left for late pushes: after the daemon stopped. */
void srv_jobs_free(srv *s);
int srv_archive_check(srv *s, char *err, size_t cap);
/* The calling reader thread's connection: what it keeps in memory, into
 * the metrics; with `release`, given back first (--release-idle). */
void srv_archive_memory(srv *s, int release);

/* Metrics (metrics.c). */
void srv_metrics_record(srv_metrics *m, srv_route route, unsigned status, double seconds);
/* The Prometheus text exposition, malloc'd, or NULL when memory ran out. */
char *srv_metrics_text(const srv *s, size_t *len);
const char *srv_route_name(srv_route route);

#endif
