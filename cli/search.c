/* khabar search and khabar stats: reading an archive (docs/archive.md). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "khabar_archive.h"

static const char usage_text[] =
    "usage: khabar search --db FILE [OPTIONS] [QUERY...]\n"
    "       khabar search --db FILE --jsonl [FILE]   (queries one a line; stdin when no FILE)\n"
    "\n"
    "Finds articles in the archive FILE.  QUERY: words (every form of a word matches:\n"
    "كتاب finds الكتاب and وكتابه), \"a phrase\", a OR b, NOT a or -a, (groups),\n"
    "=word for that form only, prefix*.  Filters work with or without a query;\n"
    "without one, the newest articles come first.\n"
    "\n"
    "options:\n"
    "  --limit N        hits to show (default 10)\n"
    "  --offset N       hits to skip\n"
    "  --entity NAME    articles naming this entity, in any spelling seen (repeatable)\n"
    "  --type T         the entity's type (PER, ORG, LOC, MISC); alone: articles\n"
    "                   naming any entity of this type\n"
    "  --tag TAG        articles with this tag\n"
    "  --from DATE      articles dated DATE (YYYY-MM-DD) or later\n"
    "  --to DATE        articles dated DATE or earlier\n"
    "  --json           JSON (the default when stdout is not a terminal)\n"
    "  --table          a readable table (the default on a terminal)\n"
    "  --no-facets      leave out the facets (top entities, tags, hits per day)\n"
    "  --collapse       one hit per story (khabar stories): its best-ranked article\n"
    "  --jsonl          batch: read {\"id\", \"query\", \"limit\"?, \"offset\"?, \"entity\"?,\n"
    "                   \"type\"?, \"tag\"?, \"from\"?, \"to\"?, \"facets\"?, \"collapse\"?} a line, write\n"
    "                   {\"id\", \"total\", \"hits\", \"facets\"?} a line, in order\n"
    "\n"
    "Exit status: 0 on success, 1 when a query failed, 2 on a usage or system error.\n";

static const char stats_usage[] =
    "usage: khabar stats --db FILE\n"
    "\n"
    "Prints what the archive FILE holds as JSON: articles, entities, tags, bytes\n"
    "(of article text), file_bytes, first_date, last_date, schema, stories (of two\n"
    "articles or more).\n";

static int open_archive(const char *db, khabar_archive **ar)
{
    khabar_error err;
    if (khabar_archive_open_with_model(db, KHABAR_ARCHIVE_READONLY, cli_model(), ar, &err)) {
        cli_error("%s", err.message);
        return 2;
    }
    return 0;
}

/* A snippet on one line, the matched words in bold (or in [brackets] off a terminal). */
static void print_snippet(const khabar_hit *h, int tty)
{
    const char *open = tty ? "\033[1m" : "[", *close = tty ? "\033[0m" : "]";
    size_t at = 0;
    for (size_t k = 0; k <= h->mark_count; k++) {
        size_t until = k < h->mark_count ? h->marks[k].start - h->snippet_start : h->snippet_len;
        for (size_t i = at; i < until; i++) putchar(h->snippet[i] == '\n' ? ' ' : h->snippet[i]);
        if (k == h->mark_count) break;
        size_t end = h->marks[k].end - h->snippet_start;
        fputs(open, stdout);
        fwrite(h->snippet + until, 1, end - until, stdout);
        fputs(close, stdout);
        at = end;
    }
    putchar('\n');
}

static void print_table(const khabar_results *r, int tty)
{
    size_t n = khabar_results_hit_count(r);
    printf("%zu hit%s\n", khabar_results_total(r), khabar_results_total(r) == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        const khabar_hit *h = khabar_results_hit(r, i);
        printf("\n%s  %s  %.2f  %s\n  ", h->id, h->date ? h->date : "----------", h->score, h->title);
        print_snippet(h, tty);
    }
    size_t nf = khabar_results_facet_count(r);
    const char *heading = NULL;
    for (size_t i = 0; i < nf; i++) {
        const khabar_facet *f = khabar_results_facet(r, i);
        const char *h = f->kind == KHABAR_FACET_ENTITY ? f->type : f->kind == KHABAR_FACET_TAG ? "tags" : "days";
        if (!heading || strcmp(heading, h)) {
            printf("\n%s:", h);
            heading = h;
        }
        printf("  %s (%zu)", f->value, f->count);
    }
    if (nf) putchar('\n');
}

typedef struct search_opts {
    khabar_query q;
    const char *entities[64];
    char *text;
} search_opts;

static int parse_size(const char *opt, const char *v, size_t *out)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (*v == '\0' || *v == '-' || *end || n > 1000000000ULL) {
        cli_error("search: %s needs a number", opt);
        return -1;
    }
    *out = (size_t)n;
    return 0;
}

/* ---- --jsonl: batch queries ---- */

typedef struct batch_ctx {
    khabar_archive *ar;
} batch_ctx;

static const char *opt_string(json_t *o, const char *name, int *bad)
{
    json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v)) { *bad = 1; return NULL; }
    return json_string_value(v);
}

static void print_error_record(json_t *id, size_t lineno, khabar_status code, const char *message)
{
    json_t *o = json_object(), *e = json_object();
    if (id) json_object_set(o, "id", id);
    json_object_set_new(o, "line", json_integer((json_int_t)lineno));
    json_object_set_new(e, "code", json_string(khabar_status_name(code)));
    json_object_set_new(e, "message", json_string(message));
    json_object_set_new(o, "error", e);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) puts(s);
    free(s);
    json_decref(o);
}

static int one_query(void *ctx, size_t lineno, const char *line, size_t len)
{
    batch_ctx *c = ctx;
    json_error_t jerr;
    json_t *o = json_loadb(line, len, 0, &jerr);
    if (!o || !json_is_object(o)) {
        print_error_record(NULL, lineno, KHABAR_ERROR_JSON, o ? "not a JSON object" : jerr.text);
        json_decref(o);
        return 1;
    }
    json_t *id = json_object_get(o, "id");
    khabar_query q = {0};
    const char *entities[64];
    int bad = 0;
    q.text = opt_string(o, "query", &bad);
    q.type = opt_string(o, "type", &bad);
    q.tag = opt_string(o, "tag", &bad);
    q.from = opt_string(o, "from", &bad);
    q.to = opt_string(o, "to", &bad);
    json_t *v;
    if ((v = json_object_get(o, "limit")) && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 0) bad = 1;
        else q.limit = (size_t)json_integer_value(v);
    }
    if ((v = json_object_get(o, "offset")) && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 0) bad = 1;
        else q.offset = (size_t)json_integer_value(v);
    }
    if ((v = json_object_get(o, "facets")) && json_is_true(v)) q.flags |= KHABAR_QUERY_FACETS;
    if ((v = json_object_get(o, "collapse")) && json_is_true(v)) q.flags |= KHABAR_QUERY_COLLAPSE;
    if ((v = json_object_get(o, "entity")) && !json_is_null(v)) {
        if (json_is_string(v)) entities[q.entity_count++] = json_string_value(v);
        else if (json_is_array(v) && json_array_size(v) <= 64) {
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                if (!json_is_string(e)) { bad = 1; break; }
                entities[q.entity_count++] = json_string_value(e);
            }
        } else bad = 1;
    }
    q.entities = entities;
    int rc = 0;
    khabar_results *r = NULL;
    khabar_error err;
    if (bad) {
        print_error_record(id, lineno, KHABAR_ERROR_RECORD, "a field of the query has the wrong type");
        rc = 1;
    } else if (khabar_archive_search(c->ar, &q, &r, &err)) {
        print_error_record(id, lineno, err.code, err.message);
        rc = err.code == KHABAR_ERROR_IO || err.code == KHABAR_ERROR_MEMORY ? 2 : 1;
    } else {
        size_t n;
        const char *json = khabar_results_json(r, &n);
        char *ids = id ? json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        if (!json) rc = 2;
        else printf("{\"id\":%s,%s\n", ids ? ids : "null", json + 1);
        free(ids);
    }
    khabar_results_free(r);
    json_decref(o);
    return rc;
}

int cli_search(int argc, char **argv)
{
    const char *db = NULL;
    int json = !isatty(1), jsonl = 0, facets = 1;
    search_opts s = {0};
    size_t text_len = 0;
    const char *batch_file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage_text, stdout); free(s.text); return 0; }
        else if (!strcmp(a, "--db") && more) db = argv[++i];
        else if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--table")) json = 0;
        else if (!strcmp(a, "--jsonl")) jsonl = 1;
        else if (!strcmp(a, "--no-facets")) facets = 0;
        else if (!strcmp(a, "--collapse")) s.q.flags |= KHABAR_QUERY_COLLAPSE;
        else if (!strcmp(a, "--limit") && more) { if (parse_size(a, argv[++i], &s.q.limit)) { free(s.text); return 2; } }
        else if (!strcmp(a, "--offset") && more) { if (parse_size(a, argv[++i], &s.q.offset)) { free(s.text); return 2; } }
        else if (!strcmp(a, "--entity") && more) {
            if (s.q.entity_count == 64) { cli_error("search: at most 64 --entity"); free(s.text); return 2; }
            s.entities[s.q.entity_count++] = argv[++i];
        }
        else if (!strcmp(a, "--type") && more) s.q.type = argv[++i];
        else if (!strcmp(a, "--tag") && more) s.q.tag = argv[++i];
        else if (!strcmp(a, "--from") && more) s.q.from = argv[++i];
        else if (!strcmp(a, "--to") && more) s.q.to = argv[++i];
        else if (a[0] == '-' && a[1] == '-') {
            cli_error("search: unknown option '%s'", a);
            fputs(usage_text, stderr);
            free(s.text);
            return 2;
        } else if (jsonl) {
            batch_file = a;
        } else {
            /* the query's words, joined by spaces */
            size_t n = strlen(a);
            char *t = realloc(s.text, text_len + n + 2);
            if (!t) { free(s.text); return 2; }
            s.text = t;
            if (text_len) s.text[text_len++] = ' ';
            memcpy(s.text + text_len, a, n + 1);
            text_len += n;
        }
    }
    if (!db || (jsonl && s.text)) {
        fputs(usage_text, stderr);
        free(s.text);
        return 2;
    }
    khabar_archive *ar;
    if (open_archive(db, &ar)) { free(s.text); return 2; }
    int rc = 0;
    if (jsonl) {
        batch_ctx c = {ar};
        rc = cli_each_line(batch_file ? batch_file : "-", one_query, &c);
        if (rc < 0) rc = 2;
    } else {
        s.q.text = s.text;
        s.q.entities = s.entities;
        if (facets) s.q.flags |= KHABAR_QUERY_FACETS;
        khabar_results *r;
        khabar_error err;
        if (khabar_archive_search(ar, &s.q, &r, &err)) {
            if (err.code == KHABAR_ERROR_QUERY)
                cli_error("search: %s (at byte %zu of the query)", err.message, err.offset);
            else cli_error("search: %s", err.message);
            rc = err.code == KHABAR_ERROR_QUERY || err.code == KHABAR_ERROR_ARGUMENT ? 1 : 2;
        } else {
            if (json) {
                const char *out = khabar_results_json(r, NULL);
                if (out) puts(out);
                else rc = 2;
            } else {
                print_table(r, isatty(1));
            }
            khabar_results_free(r);
        }
    }
    khabar_archive_close(ar);
    free(s.text);
    return rc;
}

int cli_stats(int argc, char **argv)
{
    const char *db = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(stats_usage, stdout); return 0; }
        if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else {
            cli_error("stats: unknown argument '%s'", argv[i]);
            fputs(stats_usage, stderr);
            return 2;
        }
    }
    if (!db) { fputs(stats_usage, stderr); return 2; }
    khabar_archive *ar;
    if (open_archive(db, &ar)) return 2;
    khabar_archive_stats st;
    khabar_error err;
    int rc = 0;
    if (khabar_archive_stats_get(ar, &st, &err)) {
        cli_error("stats: %s", err.message);
        rc = 2;
    } else {
        json_t *o = json_pack("{sIsIsIsIsIss?ss?sisI}", "articles", (json_int_t)st.articles,
                              "entities", (json_int_t)st.entities, "tags", (json_int_t)st.tags,
                              "bytes", (json_int_t)st.bytes, "file_bytes", (json_int_t)st.file_bytes,
                              "first_date", st.first_date[0] ? st.first_date : NULL,
                              "last_date", st.last_date[0] ? st.last_date : NULL,
                              "schema", st.schema, "stories", (json_int_t)st.stories);
        char *out = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        if (out) puts(out);
        else rc = 2;
        free(out);
        json_decref(o);
    }
    khabar_archive_close(ar);
    return rc;
}
