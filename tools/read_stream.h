/* Reading a whole input into a buffer, for the programs in tools/ and
 * bench/ (the library never reads files).  Header only: each is one program. */
#ifndef KH_TOOLS_READ_STREAM_H
#define KH_TOOLS_READ_STREAM_H

#include <stdio.h>

#include "kh.h"

/* Appends the rest of f to b; 0, or -1 on a read error or no memory. */
static int read_stream(FILE *f, kh_buf *b)
{
    char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (kh_buf_append(b, chunk, got)) return -1;
    return ferror(f) ? -1 : 0;
}

#endif
