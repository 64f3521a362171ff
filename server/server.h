/* The khabar HTTP server (khabar serve): a JSON API over libkhabar and the
 * web page, on libmicrohttpd.  Built on the public API (khabar.h) alone.
 *
 * Threads: libmicrohttpd's pool of `threads` threads, each polling its own
 * connections with epoll; a request is handled, analysis included, on the
 * thread that owns its connection, with that thread's own analyzer (made on
 * its first request, the model shared by all).  A connection costs memory,
 * not a thread, so slow clients cannot starve the others. */
#ifndef KHABAR_SERVER_H
#define KHABAR_SERVER_H

#include <stddef.h>

typedef struct srv_config {
    const char *host;      /* address to listen on; "127.0.0.1" when NULL */
    unsigned port;         /* 0: any free port (srv_port tells which) */
    unsigned threads;      /* worker threads, at least 1 */
    size_t max_body;       /* largest request body accepted (413 above) */
    unsigned timeout;      /* seconds a request may take, body upload included (503 past it) */
    size_t queue;          /* requests in progress at once; 503 with Retry-After beyond */
    const char *token;     /* bearer token write endpoints need, or NULL for none (borrowed) */
    const char *db;        /* the archive's file (made when missing), or NULL: no archive endpoints */
    int no_listen;         /* accept no connections: only those given to srv_add_socket */
    size_t cache_bytes;    /* the archive's GET answers kept, at most this many bytes; 0: none */
    unsigned release_idle; /* seconds a reader thread waits without an archive request before its
                            * connection gives back what it keeps in memory; 0: never */
} srv_config;

typedef struct srv srv;

/* Loads the model and starts serving.  Returns NULL with a message in
 * `err` (capacity `errlen`) when it cannot (address in use, ...). */
srv *srv_start(const srv_config *cfg, char *err, size_t errlen);

/* The port listened on. */
unsigned srv_port(const srv *s);

/* Serves a connected stream socket (the server closes it); 0 or -1. */
int srv_add_socket(srv *s, int fd);

/* Stops accepting, lets requests in progress finish (up to `grace`
 * seconds), stops and frees everything.  NULL is a no-op. */
void srv_stop(srv *s, unsigned grace);

#endif
