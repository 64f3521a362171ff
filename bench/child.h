/* A khabar run timed as a child process: its wall time, and its CPU time
 * and peak memory from wait4().  Include after <sys/wait.h> with
 * _DEFAULT_SOURCE (or _GNU_SOURCE) defined, for wait4. */
#ifndef KHABAR_BENCH_CHILD_H
#define KHABAR_BENCH_CHILD_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

/* Runs `exe` with `argv`, its stdout and stderr to /dev/null; fills
 * `*status` (as wait gives it) and `*ru`.  The wall seconds, or -1 when
 * the child could not be made or waited for. */
static inline double bench_run_child(const char *exe, char **argv, int *status, struct rusage *ru)
{
    fflush(NULL);
    double t0 = bench_wall();
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0) _exit(126);
        execv(exe, argv);
        _exit(127);
    }
    while (wait4(pid, status, 0, ru) < 0)
        if (errno != EINTR) return -1;
    return bench_wall() - t0;
}

#endif
