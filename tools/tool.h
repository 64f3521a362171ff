/* What the programs in tools/ share: ending with a message, allocation
 * that cannot fail, and a small random number generator.  Header only;
 * define TOOL_NAME (the program's name, for messages) before including it. */
#ifndef KH_TOOLS_TOOL_H
#define KH_TOOLS_TOOL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef TOOL_NAME
#error "define TOOL_NAME before including tool.h"
#endif

/* Reports msg and ends the program with status 1. */
static inline void die(const char *msg)
{
    fprintf(stderr, TOOL_NAME ": %s\n", msg);
    exit(1);
}

static inline void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

static inline void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) die("out of memory");
    return p;
}

static inline void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

/* Marsaglia's xorshift64: the next number of the sequence in *state
 * (which must not be 0). */
static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

#endif
