/* The archive's readers: threads of their own that answer the archive's
 * GETs the cache did not.  The connection waits suspended meanwhile, so
 * that the thread polling it goes on with its other connections: a cold
 * search of hundreds of milliseconds holds up no cached answer, /healthz or
 * analysis.  libmicrohttpd lets a suspended connection's response be queued
 * from any thread, then the connection be resumed. */
#include <stdlib.h>

#include "internal.h"

static void *reader(void *arg)
{
    srv *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->jobs_lock);
        while (!s->jobs_head && !s->jobs_stop) pthread_cond_wait(&s->jobs_ready, &s->jobs_lock);
        srv_request *r = s->jobs_head;
        if (!r) { /* stopping, and nothing left */
            pthread_mutex_unlock(&s->jobs_lock);
            return NULL;
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
    }
}

int srv_jobs_start(srv *s, unsigned n)
{
    pthread_mutex_init(&s->jobs_lock, NULL);
    pthread_cond_init(&s->jobs_ready, NULL);
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
