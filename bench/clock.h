/* The clocks of the benchmarks.  Each bench is a program of its own; they
 * read time the same way.  On a machine shared with other jobs, CPU time
 * (the process's, or the thread's) is the figure to trust; wall time also
 * measures the others. */
#ifndef KHABAR_BENCH_CLOCK_H
#define KHABAR_BENCH_CLOCK_H

#include <sys/resource.h>
#include <time.h>

/* Seconds on `which` (CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
 * CLOCK_THREAD_CPUTIME_ID). */
static inline double bench_clock(clockid_t which)
{
    struct timespec t;
    clock_gettime(which, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline double bench_wall(void) { return bench_clock(CLOCK_MONOTONIC); }

/* User and system time of a getrusage() result. */
static inline double bench_rusage_cpu(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec * 1e-6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec * 1e-6;
}

#endif
