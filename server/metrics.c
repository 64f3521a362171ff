/* GET /metrics: counters kept with atomics by every worker thread, written
 * in Prometheus's text format (version 0.0.4). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const double bucket_bounds[SRV_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                   0.25,  0.5,    1,     2.5,  5,     10,  30};

const char *srv_route_name(srv_route route)
{
    static const char *const names[ROUTE_COUNT] = {"page", "asset", "analyze", "analyze_batch", "extract",
                                                   "articles", "article", "search", "stats", "entities", "entity",
                                                   "stories",
                                                   "healthz", "metrics", "other"};
    return (unsigned)route < ROUTE_COUNT ? names[route] : "other";
}

void srv_metrics_record(srv_metrics *m, srv_route route, unsigned status, double seconds)
{
    if (status >= SRV_STATUS_MIN && status <= SRV_STATUS_MAX)
        atomic_fetch_add(&m->requests[route][status - SRV_STATUS_MIN], 1);
    size_t b = 0;
    while (b < SRV_BUCKETS && seconds > bucket_bounds[b]) b++;
    if (b < SRV_BUCKETS) atomic_fetch_add(&m->buckets[route][b], 1);
    atomic_fetch_add(&m->micros[route], (unsigned long)(seconds * 1e6));
    atomic_fetch_add(&m->count[route], 1);
}

typedef struct text {
    char *data;
    size_t len, cap;
    int failed;
} text;

static void add(text *t, const char *fmt, ...)
{
    if (t->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->data + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) { t->failed = 1; return; }
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = 2 * t->cap + (size_t)n;
        char *more = realloc(t->data, cap);
        if (!more) { t->failed = 1; return; }
        t->data = more;
        t->cap = cap;
    }
}

/* The process's resident memory and, of it, its own (anonymous: not the
 * archive's file mapped, which is the kernel's page cache), where
 * /proc/self/status tells them (Linux). */
static void process_memory(text *t)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return;
    char line[256];
    unsigned long long rss = 0, anon = 0;
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "VmRSS: %llu kB", &rss) == 1) found |= 1;
        else if (sscanf(line, "RssAnon: %llu kB", &anon) == 1) found |= 2;
    }
    fclose(f);
    if (found & 1)
        add(t, "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
               "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %llu\n", rss * 1024);
    if (found & 2)
        add(t, "# HELP khabar_process_anonymous_memory_bytes Resident memory of the process's own, not mapped from files.\n"
               "# TYPE khabar_process_anonymous_memory_bytes gauge\nkhabar_process_anonymous_memory_bytes %llu\n",
            anon * 1024);
}

char *srv_metrics_text(const srv *s, size_t *len)
{
    const srv_metrics *m = &s->metrics;
    text t = {malloc(8192), 0, 8192, 0};
    if (!t.data) return NULL;
    add(&t, "# HELP khabar_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE khabar_http_requests_total counter\n");
    for (int r = 0; r < ROUTE_COUNT; r++)
        for (unsigned st = SRV_STATUS_MIN; st <= SRV_STATUS_MAX; st++) {
            unsigned long n = atomic_load(&m->requests[r][st - SRV_STATUS_MIN]);
            if (n) add(&t, "khabar_http_requests_total{route=\"%s\",status=\"%u\"} %lu\n",
                       srv_route_name((srv_route)r), st, n);
        }
    add(&t, "# HELP khabar_http_request_duration_seconds Time from a request's headers to its last byte out.\n"
            "# TYPE khabar_http_request_duration_seconds histogram\n");
    for (int r = 0; r < ROUTE_COUNT; r++) {
        unsigned long count = atomic_load(&m->count[r]);
        if (!count) continue;
        const char *name = srv_route_name((srv_route)r);
        unsigned long cumulative = 0;
        for (int b = 0; b < SRV_BUCKETS; b++) {
            cumulative += atomic_load(&m->buckets[r][b]);
            add(&t, "khabar_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n", name,
                bucket_bounds[b], cumulative);
        }
        add(&t, "khabar_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n", name, count);
        add(&t, "khabar_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", name,
            (double)atomic_load(&m->micros[r]) / 1e6);
        add(&t, "khabar_http_request_duration_seconds_count{route=\"%s\"} %lu\n", name, count);
    }
    add(&t, "# HELP khabar_analysed_bytes_total Bytes of articles analysed (request bodies and batch records).\n"
            "# TYPE khabar_analysed_bytes_total counter\nkhabar_analysed_bytes_total %lu\n",
        atomic_load(&m->bytes_analysed));
    add(&t, "# HELP khabar_analysed_articles_total Articles analysed, by outcome.\n"
            "# TYPE khabar_analysed_articles_total counter\n"
            "khabar_analysed_articles_total{outcome=\"ok\"} %lu\n"
            "khabar_analysed_articles_total{outcome=\"error\"} %lu\n",
        atomic_load(&m->articles_analysed), atomic_load(&m->articles_failed));
    add(&t, "# HELP khabar_archive_indexed_articles_total Articles stored in the archive by POST /v1/articles.\n"
            "# TYPE khabar_archive_indexed_articles_total counter\nkhabar_archive_indexed_articles_total %lu\n",
        atomic_load(&m->articles_indexed));
    add(&t, "# HELP khabar_cache_requests_total Archive GET requests looked up in the response cache, by route and result.\n"
            "# TYPE khabar_cache_requests_total counter\n");
    for (int r = 0; r < ROUTE_COUNT; r++) {
        unsigned long hits = atomic_load(&m->cache_hits[r]), misses = atomic_load(&m->cache_misses[r]);
        if (!hits && !misses) continue;
        const char *name = srv_route_name((srv_route)r);
        add(&t, "khabar_cache_requests_total{route=\"%s\",result=\"hit\"} %lu\n"
                "khabar_cache_requests_total{route=\"%s\",result=\"miss\"} %lu\n", name, hits, name, misses);
    }
    srv_cache_usage u;
    srv_cache_stats(s->cache, &u);
    add(&t, "# HELP khabar_cache_bytes Bytes the response cache holds (keys, answers, bookkeeping).\n"
            "# TYPE khabar_cache_bytes gauge\nkhabar_cache_bytes %zu\n"
            "# HELP khabar_cache_max_bytes The response cache's bound (--cache-mb); 0 when it is off.\n"
            "# TYPE khabar_cache_max_bytes gauge\nkhabar_cache_max_bytes %zu\n"
            "# HELP khabar_cache_entries Answers the response cache holds.\n"
            "# TYPE khabar_cache_entries gauge\nkhabar_cache_entries %zu\n"
            "# HELP khabar_cache_invalidations_total Times the cache was emptied because the archive changed.\n"
            "# TYPE khabar_cache_invalidations_total counter\nkhabar_cache_invalidations_total %lu\n"
            "# HELP khabar_cache_evictions_total Answers dropped, least recently used first, to stay within the bound.\n"
            "# TYPE khabar_cache_evictions_total counter\nkhabar_cache_evictions_total %lu\n",
        u.bytes, u.max_bytes, u.entries, u.invalidations, u.evictions);
    add(&t, "# HELP khabar_archive_facets_bytes Bytes of facet columns and counts the archive's reader connections keep in memory.\n"
            "# TYPE khabar_archive_facets_bytes gauge\nkhabar_archive_facets_bytes %zu\n"
            "# HELP khabar_archive_page_cache_bytes Bytes of SQLite page cache the archive's reader connections hold.\n"
            "# TYPE khabar_archive_page_cache_bytes gauge\nkhabar_archive_page_cache_bytes %zu\n"
            "# HELP khabar_memory_releases_total Times an idle reader thread gave its memory back (--release-idle).\n"
            "# TYPE khabar_memory_releases_total counter\nkhabar_memory_releases_total %lu\n",
        atomic_load(&m->archive_facets_bytes), atomic_load(&m->archive_page_cache_bytes),
        atomic_load(&m->memory_releases));
    process_memory(&t);
    add(&t, "# HELP khabar_http_requests_in_progress Requests begun and not yet answered in full.\n"
            "# TYPE khabar_http_requests_in_progress gauge\nkhabar_http_requests_in_progress %zu\n",
        atomic_load(&s->in_progress));
    add(&t, "# HELP khabar_uptime_seconds Seconds since the server started.\n"
            "# TYPE khabar_uptime_seconds gauge\nkhabar_uptime_seconds %.0f\n",
        srv_now() - s->started);
    if (t.failed) {
        free(t.data);
        return NULL;
    }
    *len = t.len;
    return t.data;
}
