/* Items shared out among threads, each with an analyzer of its own: what
 * `analyze --threads` and `index --threads` both do with a batch. */
#include <pthread.h>

#include "cli.h"

typedef struct share {
    void (*each)(void *ctx, khabar_analyzer *an, size_t i);
    void *ctx;
    size_t n, next; /* the next item to take, under lock */
    pthread_mutex_t lock;
} share;

typedef struct worker {
    share *s;
    khabar_analyzer *an;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    share *s = w->s;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        size_t i = s->next < s->n ? s->next++ : s->n;
        pthread_mutex_unlock(&s->lock);
        if (i >= s->n) return NULL;
        s->each(s->ctx, w->an, i);
    }
}

void cli_parallel_each(khabar_analyzer *const *analyzers, unsigned threads, size_t n,
                       void (*each)(void *ctx, khabar_analyzer *an, size_t i), void *ctx)
{
    share s = {each, ctx, n, 0, PTHREAD_MUTEX_INITIALIZER};
    worker w[threads ? threads : 1];
    pthread_t tid[threads ? threads : 1];
    unsigned started = 0;
    for (unsigned t = 0; t < threads || t == 0; t++) w[t] = (worker){&s, analyzers[t]};
    /* the calling thread works too; a thread that cannot start leaves its
     * share to the others */
    for (unsigned t = 1; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, work, &w[t])) break;
        started = t;
    }
    work(&w[0]);
    for (unsigned t = 1; t <= started; t++) pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&s.lock);
}
