/* khabar serve's request handling, from raw bytes: each input is what a
 * client sends on one connection (one request or several, whole or cut
 * short), given to the real server (libmicrohttpd's parser and khabar's
 * handlers) over a socketpair.  Whatever comes, the server must not crash,
 * leak or hang, and each answer must be an HTTP response that is no
 * server error: bad input is the client's fault (4xx), never a 500. */
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "server.h"

static srv *server;
static char archive_dir[] = "/tmp/khabar-fuzz-server-XXXXXX";

/* At exit the server stops and its archive's directory goes, with what
 * SQLite made in it (-wal, -shm): a run must leave nothing behind.  (A
 * crash still does: libFuzzer keeps the input, the directory stays.) */
static void remove_archive(void)
{
    srv_stop(server, 0);
    server = NULL;
    DIR *d = opendir(archive_dir);
    if (d) {
        char path[sizeof archive_dir + 256];
        for (struct dirent *e; (e = readdir(d));) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(path, sizeof path, "%s/%s", archive_dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(archive_dir);
}

static void setup(void)
{
    signal(SIGPIPE, SIG_IGN);
    /* an archive of its own, so that the archive's endpoints are fuzzed too */
    if (!mkdtemp(archive_dir)) {
        perror("fuzz: cannot make the archive's directory");
        abort();
    }
    static char db[sizeof archive_dir + 16];
    snprintf(db, sizeof db, "%s/archive.db", archive_dir);
    atexit(remove_archive);
    srv_config cfg = {.threads = 1, .timeout = 1, .max_body = 65536, .queue = 16, .no_listen = 1, .db = db,
                      .cache_bytes = (size_t)1 << 20};
    char err[256];
    server = srv_start(&cfg, err, sizeof err);
    if (!server) {
        fprintf(stderr, "fuzz: cannot start the server: %s\n", err);
        abort();
    }
}

/* A fresh connection's GET /healthz is answered within 3 s. */
static int healthy(void)
{
    static const char probe[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return 1;
    if (srv_add_socket(server, sv[1]) || send(sv[0], probe, sizeof probe - 1, MSG_NOSIGNAL) < 0) {
        close(sv[0]);
        return 1; /* over the connection limit: not a hang */
    }
    struct pollfd p = {sv[0], POLLIN, 0};
    char buf[16] = {0};
    int ok = poll(&p, 1, 3000) > 0 && recv(sv[0], buf, sizeof buf - 1, 0) > 0 && !strncmp(buf, "HTTP/1.1 200", 12);
    close(sv[0]);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!server) setup();
    int sv[2];
    FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    if (srv_add_socket(server, sv[1])) {
        close(sv[0]);
        return 0;
    }
    /* Send while reading, so that neither side's buffer fills up. */
    static char answer[1 << 20];
    size_t sent = 0, got = 0;
    int write_open = 1;
    for (;;) {
        if (write_open && sent == size) {
            shutdown(sv[0], SHUT_WR);
            write_open = 0;
        }
        struct pollfd p = {sv[0], (short)(POLLIN | (write_open ? POLLOUT : 0)), 0};
        int n = poll(&p, 1, 3000);
        if (n == 0) {
            /* A connection left waiting (libmicrohttpd closes idle ones in
             * its own time): the server must still answer others at once. */
            FUZZ_CHECK(healthy());
            break;
        }
        if (p.revents & POLLOUT) {
            ssize_t w = send(sv[0], data + sent, size - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w > 0) sent += (size_t)w;
            else if (w < 0) write_open = 0; /* the server closed: it has answered or given up */
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[65536];
            ssize_t r = recv(sv[0], buf, sizeof buf, MSG_DONTWAIT);
            if (r <= 0) break;
            size_t keep = (size_t)r < sizeof answer - got ? (size_t)r : sizeof answer - got;
            memcpy(answer + got, buf, keep);
            got += keep;
            /* libmicrohttpd keeps a connection whose client shut its side
             * after a chunked answer until it idles out: the last chunk ends it. */
            if (!write_open && got >= 5 && !memcmp(answer + got - 5, "0\r\n\r\n", 5)) break;
        }
    }
    close(sv[0]);
    /* Every response in the answer is HTTP, and none is a 500. */
    for (size_t i = 0; i + 12 <= got; i++) {
        if (memcmp(answer + i, "HTTP/1.", 7) || (i && answer[i - 1] != '\n')) continue;
        FUZZ_CHECK(answer[i + 9] >= '1' && answer[i + 9] <= '5');
        FUZZ_CHECK(memcmp(answer + i + 9, "500", 3) != 0);
    }
    if (got) FUZZ_CHECK(memcmp(answer, "HTTP/1.", 7) == 0);
    return 0;
}
