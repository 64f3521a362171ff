/* khabar dedup: clusters of near-duplicate articles in JSON lines. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage_text[] =
    "usage: khabar dedup [--jsonl] [OPTIONS] [FILE...]      (no FILE or '-': stdin)\n"
    "\n"
    "Reads JSON lines, one record a line, {\"id\", \"text\", ...} (as analyze --jsonl;\n"
    "the title and other fields are ignored), and writes one JSON line per cluster\n"
    "of two or more near-duplicate records, ordered by first member:\n"
    "  {\"ids\": [...], \"similarity\": S}\n"
    "ids in input order (an id is any JSON value, as in analyze); S is the mean\n"
    "estimated Jaccard similarity of the cluster's pairs (of a spread sample of\n"
    "64 members in larger clusters).  With several FILEs a cluster also has\n"
    "\"files\": [...], each id's file.  A FILE that cannot be read (missing, a\n"
    "directory) gives {\"file\", \"error\": {...}} as analyze does, before the\n"
    "clusters, and the run goes on.\n"
    "\n"
    "Texts are normalised and cut into words; each becomes a MinHash signature of\n"
    "its word shingles.  Records sharing an LSH band are compared, joined when\n"
    "their estimated similarity reaches the threshold, and clustered\n"
    "transitively.  Only signatures are kept: memory is about perms x 2 bytes a\n"
    "record.  Records whose text has no words are skipped without error.\n"
    "\n"
    "options:\n"
    "  --jsonl            the input is JSON lines (the only format; may be omitted)\n"
    "  --threshold T      least estimated Jaccard similarity to join (default 0.8)\n"
    "  --shingle K        words per shingle (default 5)\n"
    "  --perms N          signature positions (default 256)\n"
    "  --bands B          LSH bands (default: chosen for the threshold)\n"
    "  --rows R           rows per band (default: perms / bands)\n"
    "  --stats            counts and timings on stderr\n"
    "\n"
    "A line that is not a JSON object with an \"id\" and a string \"text\" is\n"
    "reported on stderr with its line number and skipped.\n"
    "Exit status: 0 when every line was read, 1 when any line or file was\n"
    "skipped, 2 on a usage or system error (a write error included).\n";

typedef struct counts {
    size_t records, empty, broken;
} counts;

static int option_number(const char *name, const char *value, double lo, double hi, int whole,
                         double *out)
{
    char *end;
    double v = strtod(value, &end);
    if (end == value || *end || !(v >= lo && v <= hi) || (whole && v != (double)(unsigned)v)) {
        cli_error("dedup: %s needs a%s number from %g to %g", name, whole ? " whole" : "", lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

typedef struct reader {
    khabar_dedup *dedup;
    counts c;
    const char *path;    /* the file being read */
    uint32_t file;       /* its number among the FILEs */
    uint32_t *doc_files; /* the file of each article added */
    size_t doc_cap;
    khabar_analyzer *an; /* made when an error record is written */
} reader;

/* Adds one record; 1 when the line is broken (reported), 2 on a system error. */
static int add_record(reader *r, const char *path, size_t lineno, const char *line, size_t len)
{
    khabar_error err;
    size_t before = khabar_dedup_count(r->dedup);
    khabar_status st = khabar_dedup_add_record(r->dedup, line, len, &err);
    if (st == KHABAR_OK) {
        if (before == r->doc_cap) {
            size_t cap = r->doc_cap ? 2 * r->doc_cap : 1024;
            uint32_t *bigger = realloc(r->doc_files, cap * sizeof *bigger);
            if (!bigger) { cli_error("out of memory"); return 2; }
            r->doc_files = bigger;
            r->doc_cap = cap;
        }
        r->doc_files[before] = r->file;
        r->c.records++;
        return 0;
    }
    if (st == KHABAR_ERROR_EMPTY) { r->c.empty++; return 0; }
    cli_error("%s:%zu: %s", path, lineno, err.message);
    return st == KHABAR_ERROR_MEMORY || st == KHABAR_ERROR_TOO_LARGE ? 2 : 1;
}

/* add_record for cli_each_line, counting broken lines. */
static int add_line(void *ctx, size_t lineno, const char *line, size_t len)
{
    reader *r = ctx;
    int got = 1;
    if (cli_line_error()) cli_error("%s:%zu: %s", r->path, lineno, cli_line_error()->message);
    else got = add_record(r, r->path, lineno, line, len);
    if (got == 1) r->c.broken++;
    return got;
}

/* A file that cannot be read: an error record (as analyze writes it) and
 * the run goes on.  Returns 1, or 2 when the output failed. */
static int unreadable(reader *r, const char *path, int errnum)
{
    khabar_model *m;
    if (!r->an && (!(m = cli_model()) || khabar_analyzer_new(m, &r->an, NULL))) return 2;
    khabar_error err = {.code = KHABAR_ERROR_IO};
    snprintf(err.message, sizeof err.message, "cannot read the file: %s",
             errnum ? strerror(errnum) : "read error");
    return cli_file_error(r->an, path, &err) ? 2 : 1;
}

static int read_jsonl(reader *r, const char *path)
{
    r->path = path;
    int e = cli_unreadable(path);
    if (e) return unreadable(r, path, e);
    int rc = cli_each_line(path, add_line, r);
    return rc < 0 ? unreadable(r, path, 0) : rc;
}

/* Returns 0, or 2 when the output failed. */
static int write_clusters(const khabar_dedup *d, const uint32_t *doc_files, char **files, int nfiles)
{
    for (size_t i = 0; i < khabar_dedup_cluster_count(d); i++) {
        const khabar_dedup_cluster *c = khabar_dedup_cluster_at(d, i);
        fputs("{\"ids\":[", stdout);
        for (size_t j = 0; j < c->count; j++) {
            size_t len;
            const char *key = khabar_dedup_key(d, c->members[j], &len);
            if (j) putchar(',');
            fwrite(key, 1, len, stdout);
        }
        if (nfiles > 1) { /* ids may repeat from file to file */
            fputs("],\"files\":[", stdout);
            for (size_t j = 0; j < c->count; j++) {
                if (j) putchar(',');
                cli_write_json_string(files[doc_files[c->members[j]]]);
            }
        }
        printf("],\"similarity\":%.3f}\n", c->similarity);
        if (cli_output_record()) return 2;
    }
    return 0;
}

static double seconds(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

int cli_dedup(int argc, char **argv)
{
    khabar_dedup_options p = {0};
    char *files[argc > 0 ? argc : 1];
    int nfiles = 0, stats = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        double v;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage_text, stdout); return 0; }
        else if (!strcmp(a, "--jsonl")) continue;
        else if (!strcmp(a, "--stats")) stats = 1;
        else if (!strcmp(a, "--threshold") && i + 1 < argc) {
            if (option_number(a, argv[++i], 0.001, 1, 0, &v)) return 2;
            p.threshold = v;
        } else if (!strcmp(a, "--shingle") && i + 1 < argc) {
            if (option_number(a, argv[++i], 1, 32, 1, &v)) return 2;
            p.shingle = (unsigned)v;
        } else if (!strcmp(a, "--perms") && i + 1 < argc) {
            if (option_number(a, argv[++i], 2, 1024, 1, &v)) return 2;
            p.perms = (unsigned)v;
        } else if (!strcmp(a, "--bands") && i + 1 < argc) {
            if (option_number(a, argv[++i], 1, 1024, 1, &v)) return 2;
            p.bands = (unsigned)v;
        } else if (!strcmp(a, "--rows") && i + 1 < argc) {
            if (option_number(a, argv[++i], 1, 1024, 1, &v)) return 2;
            p.rows = (unsigned)v;
        } else if (a[0] == '-' && a[1]) {
            cli_error("dedup: unknown option '%s' (see khabar dedup --help)", a);
            return 2;
        } else files[nfiles++] = argv[i];
    }
    char stdin_name[] = "-";
    if (nfiles == 0) files[nfiles++] = stdin_name;
    khabar_dedup *d;
    khabar_error err;
    if (khabar_dedup_new(&p, &d, &err)) {
        cli_error("dedup: %s", err.message);
        return 2;
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    reader r = {.dedup = d};
    int rc = 0;
    for (int i = 0; i < nfiles && rc < 2; i++) {
        r.file = (uint32_t)i;
        int got = read_jsonl(&r, files[i]);
        if (got > rc) rc = got;
    }
    khabar_analyzer_free(r.an);
    counts c = r.c;
    double read_time = seconds(&start);
    if (rc < 2) {
        if (khabar_dedup_cluster_all(d, &err)) {
            cli_error("dedup: %s", err.message);
            rc = 2;
        } else {
            int w = write_clusters(d, r.doc_files, files, nfiles);
            if (w > rc) rc = w;
        }
    }
    if (stats && rc < 2) {
        const khabar_dedup_stats *s = khabar_dedup_get_stats(d);
        size_t in_clusters = 0;
        for (size_t i = 0; i < khabar_dedup_cluster_count(d); i++)
            in_clusters += khabar_dedup_cluster_at(d, i)->count;
        p = *khabar_dedup_get_options(d);
        fprintf(stderr,
                "dedup: %zu records (%zu without words, %zu broken lines); shingle %u, "
                "%u perms, %u bands x %u rows, threshold %.3f\n"
                "dedup: %zu comparisons, %zu joined; %zu clusters holding %zu records\n"
                "dedup: %.2f s reading and signing, %.2f s clustering\n",
                c.records, c.empty, c.broken, p.shingle, p.perms, p.bands, p.rows,
                p.threshold, s->compared, s->joined, khabar_dedup_cluster_count(d), in_clusters,
                read_time, seconds(&start) - read_time);
    }
    free(r.doc_files);
    khabar_dedup_free(d);
    return rc;
}
