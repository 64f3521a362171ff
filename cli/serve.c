/* khabar serve: the HTTP API and the web page (server/). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "server.h"

static const char usage_text[] =
    "usage: khabar serve [OPTIONS]\n"
    "\n"
    "An HTTP API over the analyser (POST /v1/analyze, /v1/analyze/batch,\n"
    "/v1/extract; GET /healthz, /metrics) and the archive (--db), and a web page\n"
    "at / (docs/api.md).\n"
    "SIGTERM or SIGINT stops it: no new connections, requests in progress\n"
    "finish (up to --timeout seconds), then exit 0.\n"
    "\n"
    "options:\n"
    "  --host ADDR        address to listen on (default 127.0.0.1: this machine only;\n"
    "                     0.0.0.0 or :: for every interface)\n"
    "  --port N           port (default 8080; 0 picks a free one, printed on start)\n"
    "  --db FILE          the archive (made when missing): POST /v1/articles,\n"
    "                     DELETE /v1/articles/ID, GET /v1/search, /v1/stats,\n"
    "                     /v1/entities, /v1/entities/NAME\n"
    "  --threads N        worker threads, each with its own analyzer (default: one\n"
    "                     per processor); with --db, as many more read the archive\n"
    "  --max-body BYTES   largest request body (default 10485760); larger gets 413\n"
    "  --timeout S        seconds a request may take, its upload included (default\n"
    "                     30); past it, 503 with Retry-After\n"
    "  --queue N          requests in progress at once (default 1024); beyond, 503\n"
    "                     with Retry-After\n"
    "  --token-file F     POST and DELETE need 'Authorization: Bearer TOKEN', TOKEN\n"
    "                     the file's first line\n"
    "  --cache-mb N       keep the archive's GET answers (search, stats, entities,\n"
    "                     stories, articles), at most N MiB, least recently used out\n"
    "                     first; emptied whenever the archive changes, by this\n"
    "                     server or another process (default 32; 0: no cache)\n"
    "  --release-idle S   after S seconds without a request (but /metrics and\n"
    "                     /healthz), the archive's reader threads give back the memory\n"
    "                     they keep to answer faster (the facet columns, read again at\n"
    "                     the next search with facets) (default 30; 0: never)\n";

/* A positive number no larger than max; 0 when it is not one. */
static unsigned long long number(const char *v, unsigned long long max)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    return *v && !*end && n <= max && v[0] != '-' ? n : 0;
}

static char *read_token(const char *path)
{
    char *data;
    size_t len;
    if (cli_read_file(path, &data, &len)) {
        cli_error("serve: cannot read %s: %m", path);
        return NULL;
    }
    size_t n = strcspn(data, "\r\n");
    if (n > len) n = len;
    data[n] = '\0';
    if (!n) {
        cli_error("serve: %s: the first line (the token) is empty", path);
        free(data);
        return NULL;
    }
    return data;
}

int cli_serve(int argc, char **argv)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    srv_config cfg = {.host = "127.0.0.1", .port = 8080, .threads = cpus > 0 ? (unsigned)cpus : 1,
                      .cache_bytes = (size_t)32 << 20, .release_idle = 30};
    const char *token_file = NULL, *db = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long n = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage_text, stdout); return 0; }
        if (!v) { cli_error("serve: unknown option '%s' or missing value", a); return 2; }
        i++;
        if (!strcmp(a, "--host")) cfg.host = v;
        else if (!strcmp(a, "--port")) {
            if (!number(v, 65535) && strcmp(v, "0")) { cli_error("serve: --port needs 0 to 65535"); return 2; }
            cfg.port = (unsigned)number(v, 65535);
        } else if (!strcmp(a, "--db")) db = v;
        else if (!strcmp(a, "--threads")) {
            if (!(n = number(v, 256))) { cli_error("serve: --threads needs 1 to 256"); return 2; }
            cfg.threads = (unsigned)n;
        } else if (!strcmp(a, "--max-body")) {
            if (!(n = number(v, (unsigned long long)1 << 32))) { cli_error("serve: --max-body needs a positive number"); return 2; }
            cfg.max_body = (size_t)n;
        } else if (!strcmp(a, "--timeout")) {
            if (!(n = number(v, 86400))) { cli_error("serve: --timeout needs 1 to 86400 seconds"); return 2; }
            cfg.timeout = (unsigned)n;
        } else if (!strcmp(a, "--queue")) {
            if (!(n = number(v, 100000))) { cli_error("serve: --queue needs 1 to 100000"); return 2; }
            cfg.queue = (size_t)n;
        } else if (!strcmp(a, "--cache-mb")) {
            if (!number(v, 65536) && strcmp(v, "0")) { cli_error("serve: --cache-mb needs 0 to 65536"); return 2; }
            cfg.cache_bytes = (size_t)number(v, 65536) << 20;
        } else if (!strcmp(a, "--release-idle")) {
            if (!number(v, 86400) && strcmp(v, "0")) { cli_error("serve: --release-idle needs 0 to 86400 seconds"); return 2; }
            cfg.release_idle = (unsigned)number(v, 86400);
        } else if (!strcmp(a, "--token-file")) token_file = v;
        else { cli_error("serve: unknown option '%s'", a); return 2; }
    }
    cfg.db = db;
    char *token = NULL;
    if (token_file && !(token = read_token(token_file))) return 2;
    cfg.token = token;

    /* Every thread the server starts inherits this mask, so the signals
     * come to sigwait below and nowhere else. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    char err[256];
    srv *s = srv_start(&cfg, err, sizeof err);
    if (!s) {
        cli_error("serve: %s", err);
        free(token);
        return 2;
    }
    const char *host = cfg.host;
    int v6 = strchr(host, ':') != NULL;
    fprintf(stderr, "khabar serve: listening on http://%s%s%s:%u/ (%u threads)\n", v6 ? "[" : "", host,
            v6 ? "]" : "", srv_port(s), cfg.threads);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "khabar serve: %s: finishing the requests in progress\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    srv_stop(s, cfg.timeout ? cfg.timeout : 30);
    free(token);
    fprintf(stderr, "khabar serve: stopped\n");
    return 0;
}
