/* The archive's readers: threads of their own that answer the archive's
 * GETs the cache did not.  The connection waits suspended meanwhile, so
 * that the thread polling it goes on with its other connections: a cold
 * search of hundreds of milliseconds holds up no cached answer, /healthz or
 * analysis.  libmicrohttpd lets a suspended connection's response be queued
 * from any thread, then the connection be resumed. */
#include <stdlib.h>
#include <time.h>
/* Under AddressSanitizer malloc is the sanitizer's own, and glibc's
 * malloc_trim walks arenas that were never set up (a crash, found by
 * make test's sanitizer run): nothing of glibc's to give back then. */
#if defined(__SANITIZE_ADDRESS__)
#define KHABAR_SANITIZED_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KHABAR_SANITIZED_MALLOC 1
#endif
#endif
#if defined(KHABAR_HAVE_MALLOC_TRIM) && !defined(KHABAR_SANITIZED_MALLOC)
#define KHABAR_TRIM 1
#endif
#ifdef KHABAR_TRIM
#include <malloc.h>
#endif

#include "internal.h"

/* Waits for a job or the stop; with `idle` seconds > 0, until the server
 * has had no request (but scrapes of /metrics and /healthz) for that long
 * at most: 1 when it has, with nothing to do.  Under jobs_lock. */
static int wait_for_job(srv *s, unsigned idle)
{
    if (!idle) {
        while (!s->jobs_head && !s->jobs_stop) pthread_cond_wait(&s->jobs_ready, &s->jobs_lock);
        return 0;
    }
    while (!s->jobs_head && !s->jobs_stop) {
        unsigned long long until_ms = atomic_load(&s->last_active_ms) + 1000ull * idle;
        if ((unsigned long long)(srv_now() * 1000) >= until_ms) return 1;
        /* srv_now's clock is the condition's (jobs_start) */
        struct timespec until = {(time_t)(until_ms / 1000), (long)(until_ms % 1000) * 1000000L};
        pthread_cond_timedwait(&s->jobs_ready, &s->jobs_lock, &until);
    }
    return 0;
}

/* A reader of a server gone idle lets its connection's memory go (the
 * facet columns, some 9 MB for SaudiNewsNet shared by the readers, read
 * again at the next search with facets), and the allocator what it holds
 * free: glibc keeps freed memory in each thread's arena and at the top of
 * the heap, where the system sees it as used. */
static void give_back(srv *s)
{
    srv_archive_memory(s, 1);
#ifdef KHABAR_TRIM
    malloc_trim(0);
#endif
}

static void *reader(void *arg)
{
    srv *s = arg;
    int kept = 0; /* answered since it last gave memory back */
    for (;;) {
        pthread_mutex_lock(&s->jobs_lock);
        int idle = wait_for_job(s, kept ? s->cfg.release_idle : 0);
        srv_request *r = s->jobs_head;
        if (!r) { /* idle, or stopping with nothing left */
            pthread_mutex_unlock(&s->jobs_lock);
            if (!idle) return NULL;
            give_back(s);
            kept = 0;
            continue;
        }
        s->jobs_head = r->next_job;
        if (!s->jobs_head) s->jobs_tail = NULL;
        pthread_mutex_unlock(&s->jobs_lock);
        struct MHD_Connection *c = r->connection;
        enum MHD_Result ok = srv_archive_answer(c, r);
        if (ok != MHD_YES || !r->answered) r->failed = 1; /* closed once resumed */
        /* r belongs to the connection's thread again from here: it may be
         * freed at once */
        MHD_resume_connection(c);
        srv_archive_memory(s, 0);
        kept = 1;
    }
}

int srv_jobs_start(srv *s, unsigned n)
{
    pthread_mutex_init(&s->jobs_lock, NULL);
    /* the idle wait is measured on the monotonic clock: a change of the
     * wall clock neither cuts it short nor stretches it */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->jobs_ready, &attr);
    pthread_condattr_destroy(&attr);
    s->jobs_inited = 1;
    s->readers = calloc(n, sizeof *s->readers);
    if (!s->readers) return -1;
    for (unsigned i = 0; i < n; i++) {
        if (pthread_create(&s->readers[i], NULL, reader, s)) return -1;
        s->reader_count++;
    }
    return 0;
}

int srv_jobs_push(srv *s, srv_request *r)
{
    if (!s->jobs_inited) return -1;
    r->next_job = NULL;
    pthread_mutex_lock(&s->jobs_lock);
    if (s->jobs_stop) { /* no reader would resume the connection */
        pthread_mutex_unlock(&s->jobs_lock);
        return -1;
    }
    MHD_suspend_connection(r->connection);
    if (s->jobs_tail) s->jobs_tail->next_job = r;
    else s->jobs_head = r;
    s->jobs_tail = r;
    pthread_cond_signal(&s->jobs_ready);
    pthread_mutex_unlock(&s->jobs_lock);
    return 0;
}

void srv_jobs_stop(srv *s)
{
    if (!s->jobs_inited) return;
    pthread_mutex_lock(&s->jobs_lock);
    s->jobs_stop = 1;
    pthread_cond_broadcast(&s->jobs_ready);
    pthread_mutex_unlock(&s->jobs_lock);
    for (size_t i = 0; i < s->reader_count; i++) pthread_join(s->readers[i], NULL);
    free(s->readers);
    s->readers = NULL;
    s->reader_count = 0;
}

void srv_jobs_free(srv *s)
{
    if (!s->jobs_inited) return;
    pthread_cond_destroy(&s->jobs_ready);
    pthread_mutex_destroy(&s->jobs_lock);
    s->jobs_inited = 0;
}
