/* HTML extraction speed on real pages, on one core: khabar_extract over
 * every page of a folder of gzip'd pages (the scrapinghub benchmark's
 * html/), beside an anchor in the same run: libxml2 parsing the same pages
 * into a tree and freeing it, with nothing else (the floor any extractor
 * built on that parser stands on).  Best of --runs runs, CPU time.
 *
 * usage: html_speed [--runs N] DIR       (DIR: ../shared/data/html/scrapinghub/html) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/HTMLparser.h>
#include <zlib.h>

#include "khabar.h"
#include "clock.h"

typedef struct page {
    char *html;
    size_t len;
} page;

static char *read_gz(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    int got;
    while (buf && (got = gzread(f, buf + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)got;
        if (n == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) { free(buf); buf = NULL; }
            buf = bigger;
        }
    }
    gzclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    int runs = 5;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else dir = argv[i];
    }
    if (!dir || runs < 1) {
        fprintf(stderr, "usage: html_speed [--runs N] DIR\n");
        return 2;
    }
    DIR *d = opendir(dir);
    if (!d) { perror(dir); return 1; }
    page *pages = NULL;
    size_t n = 0, bytes = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 8 || strcmp(e->d_name + l - 8, ".html.gz")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        pages = realloc(pages, (n + 1) * sizeof *pages);
        if (!pages || !(pages[n].html = read_gz(path, &pages[n].len))) { fprintf(stderr, "cannot read %s\n", path); return 1; }
        bytes += pages[n++].len;
    }
    closedir(d);
    if (!n) { fprintf(stderr, "no .html.gz pages in %s\n", dir); return 1; }
    double best_parse = 1e30, best_extract = 1e30;
    size_t text_bytes = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
        for (size_t i = 0; i < n; i++) {
            htmlDocPtr doc = htmlReadMemory(pages[i].html, (int)pages[i].len, NULL, "UTF-8",
                                            HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                                HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT);
            xmlFreeDoc(doc);
        }
        double t1 = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
        text_bytes = 0;
        for (size_t i = 0; i < n; i++) {
            khabar_page *p;
            khabar_error err;
            if (khabar_extract(pages[i].html, pages[i].len, NULL, &p, &err) == KHABAR_OK) {
                size_t len;
                khabar_page_get(p, KHABAR_PAGE_TEXT, &len);
                text_bytes += len;
                khabar_page_free(p);
            }
        }
        double t2 = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
        if (t1 - t0 < best_parse) best_parse = t1 - t0;
        if (t2 - t1 < best_extract) best_extract = t2 - t1;
    }
    double mb = (double)bytes / 1e6;
    printf("%zu pages, %.1f MB of HTML, %.2f MB of article text; best of %d runs, one core\n", n, mb,
           (double)text_bytes / 1e6, runs);
    printf("%-28s %8s %8s\n", "", "pages/s", "MB/s");
    printf("%-28s %8.0f %8.1f\n", "libxml2 parse only (anchor)", (double)n / best_parse, mb / best_parse);
    printf("%-28s %8.0f %8.1f\n", "khabar_extract", (double)n / best_extract, mb / best_extract);
    for (size_t i = 0; i < n; i++) free(pages[i].html);
    free(pages);
    return 0;
}
