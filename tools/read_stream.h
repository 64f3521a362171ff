/* Reading a whole input into a buffer, for the programs in tools/ and
 * bench/ (the library never reads files).  Header only: each is one program. */
#ifndef KH_TOOLS_READ_STREAM_H
#define KH_TOOLS_READ_STREAM_H

#include <stdio.h>
#include <stdlib.h>

#include "kh.h"

/* Appends the rest of f to b; 0, or -1 on a read error or no memory. */
static inline int read_stream(FILE *f, kh_buf *b)
{
    char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (kh_buf_append(b, chunk, got)) return -1;
    return ferror(f) ? -1 : 0;
}

/* The whole file at path, NUL-terminated (not counted in *len), malloc'd;
 * NULL after reporting why when it cannot be read. */
static inline char *read_path(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    kh_buf b = {0};
    int rc = read_stream(f, &b) || kh_buf_putc(&b, '\0');
    fclose(f);
    if (rc) {
        fprintf(stderr, "%s: cannot read it\n", path);
        kh_buf_free(&b);
        return NULL;
    }
    *len = b.len - 1;
    return b.data;
}

/* read_path, or the program ends with status 1. */
static inline char *read_all(const char *path, size_t *len)
{
    char *text = read_path(path, len);
    if (!text) exit(1);
    return text;
}

#endif
