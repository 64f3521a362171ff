/* khabar extract: HTML pages in, their articles out as JSON. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static const char usage_text[] =
    "usage: khabar extract [OPTIONS] [FILE...]      (FILE '-' or none: stdin)\n"
    "       khabar extract --jsonl [OPTIONS] [FILE...]\n"
    "\n"
    "An HTML page in, its article out: one JSON object a page, {\"title\", \"date\",\n"
    "\"author\", \"lang\", \"url\", \"text\", \"blocks\": [{\"kind\", \"text\"}]}, with null\n"
    "for what the page does not give.  Menus, related and most-read lists,\n"
    "comments, share buttons, ads, captions and footers are left out.\n"
    "JSON lines: one record a line, {\"id\", \"html\", \"url\"?}; one line out per\n"
    "record, in order, with the same id; a record that fails gives\n"
    "{\"id\", \"line\", \"error\": {\"code\", \"message\", \"offset\"}} in its place.\n"
    "\n"
    "options:\n"
    "  --jsonl            read JSON lines (stdin when no FILE)\n"
    "  --pretty           indent the JSON\n"
    "  --url URL          the page's address (plain pages)\n"
    "  --encoding NAME    the pages' encoding (an iconv name); by default a\n"
    "                     byte-order mark, <meta charset>, UTF-8, or detection\n"
    "  --max-bytes N      largest page accepted (default 268435456)\n"
    "\n"
    "Exit status: 0 when every page was read, 1 when any failed, 2 on a usage\n"
    "or system error.\n";

typedef struct settings {
    khabar_extract_options opts;
    unsigned json_flags;
    int jsonl;
    int several; /* several files: each record names its file */
} settings;

static int write_line(const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
    putchar('\n');
    return cli_output_record() ? -1 : 0;
}

/* The page's JSON with "id" (JSON text) and "file" in front. */
static int emit_page(khabar_page *page, const settings *s, const char *id_json, const char *file)
{
    size_t n;
    const char *json = khabar_page_json(page, s->json_flags, &n);
    if (!json) { cli_error("out of memory writing JSON"); return 2; }
    if (!id_json && !file) return write_line(json, n) ? 2 : 0;
    /* "id" and "file" go in front of the page's own members, spliced into
     * its JSON rather than parsed and written again */
    const char *indent = s->json_flags & KHABAR_JSON_PRETTY ? "\n  " : "";
    putchar('{');
    if (id_json) printf("%s\"id\":%s,", indent, id_json);
    if (file) {
        printf("%s\"file\":", indent);
        cli_write_json_string(file);
        putchar(',');
    }
    return write_line(json + 1, n - 1) ? 2 : 0;
}

static int error_record(const char *id_json, const char *file, size_t line, const khabar_error *err)
{
    json_t *o = json_object();
    if (id_json) json_object_set_new(o, "id", json_loads(id_json, JSON_DECODE_ANY, NULL));
    if (file) json_object_set_new(o, "file", json_string(file));
    if (line) json_object_set_new(o, "line", json_integer((json_int_t)line));
    json_t *e = json_pack("{s:s, s:s, s:I}", "code", khabar_status_name(err->code), "message", err->message,
                          "offset", (json_int_t)err->offset);
    json_object_set_new(o, "error", e);
    char *out = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(o);
    int rc = out && !write_line(out, strlen(out)) ? 1 : 2;
    free(out);
    return rc;
}

static int extract_file(const char *path, const settings *s)
{
    char *html;
    size_t len;
    const char *file = s->several ? path : NULL;
    if (cli_read_file(path, &html, &len)) {
        cli_error("%s: cannot read: %m", path);
        khabar_error err = {.code = KHABAR_ERROR_ARGUMENT};
        snprintf(err.message, sizeof err.message, "cannot read %s", path);
        return s->several ? error_record(NULL, file, 0, &err) : 1;
    }
    khabar_page *page;
    khabar_error err;
    int rc;
    if (khabar_extract(html, len, &s->opts, &page, &err) == KHABAR_OK) {
        rc = emit_page(page, s, NULL, file);
        khabar_page_free(page);
    } else {
        cli_error("%s: %s (%s, byte %zu)", path, err.message, khabar_status_name(err.code), err.offset);
        rc = s->several ? error_record(NULL, file, 0, &err) : 1;
        if (rc < 2) rc = 1;
    }
    free(html);
    return rc;
}

typedef struct jsonl_run {
    const settings *s;
    const char *path;
} jsonl_run;

static int extract_record(void *ctx, size_t lineno, const char *line, size_t len)
{
    const jsonl_run *r = ctx;
    json_error_t jerr;
    json_t *rec = json_loadb(line, len, 0, &jerr);
    khabar_error err = {0};
    char *id_json = NULL;
    int rc;
    json_t *id = rec ? json_object_get(rec, "id") : NULL;
    if (id) id_json = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
    const char *html = rec ? json_string_value(json_object_get(rec, "html")) : NULL;
    if (!rec) {
        err.code = KHABAR_ERROR_JSON;
        err.offset = (size_t)jerr.position;
        snprintf(err.message, sizeof err.message, "invalid JSON: %s", jerr.text);
    } else if (!json_is_object(rec) || !html) {
        err.code = KHABAR_ERROR_RECORD;
        snprintf(err.message, sizeof err.message, "the record has no \"html\" string");
    } else {
        khabar_extract_options opts = r->s->opts;
        const char *url = json_string_value(json_object_get(rec, "url"));
        if (url) opts.url = url;
        khabar_page *page;
        if (khabar_extract(html, json_string_length(json_object_get(rec, "html")), &opts, &page, &err) == KHABAR_OK) {
            rc = emit_page(page, r->s, id_json, NULL);
            khabar_page_free(page);
            goto done;
        }
    }
    cli_error("%s:%zu: %s", r->path, lineno, err.message);
    rc = error_record(id_json, NULL, lineno, &err);
done:
    free(id_json);
    json_decref(rec);
    return rc;
}

int cli_extract(int argc, char **argv)
{
    settings s = {0};
    const char *files[argc > 0 ? argc : 1];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage_text, stdout); return 0; }
        else if (!strcmp(a, "--jsonl")) s.jsonl = 1;
        else if (!strcmp(a, "--pretty")) s.json_flags |= KHABAR_JSON_PRETTY;
        else if (!strcmp(a, "--url") && i + 1 < argc) s.opts.url = argv[++i];
        else if (!strcmp(a, "--max-bytes") && i + 1 < argc) {
            char *end;
            const char *v = argv[++i];
            unsigned long long n = strtoull(v, &end, 10);
            if (*v == '-' || *end || end == v || n == 0) { cli_error("extract: --max-bytes needs a positive number"); return 2; }
            s.opts.max_bytes = (size_t)n;
        } else if (a[0] == '-' && a[1]) {
            cli_error("extract: unknown option '%s' (see khabar extract --help)", a);
            return 2;
        } else files[nfiles++] = a;
    }
    if (nfiles == 0) files[nfiles++] = "-";
    s.several = nfiles > 1;
    /* --encoding is every command's (main); a page otherwise reads its own
     * <meta charset>.  JSON lines are converted as they are read. */
    if (!s.jsonl) s.opts.encoding = cli_encoding;
    int rc = 0;
    for (int i = 0; i < nfiles && rc < 2; i++) {
        int r;
        if (s.jsonl) {
            jsonl_run run = {&s, files[i]};
            r = cli_each_line(files[i], extract_record, &run);
            if (r < 0) r = 1;
        } else {
            r = extract_file(files[i], &s);
        }
        if (r > rc) rc = r;
    }
    if (cli_output_end()) rc = 2;
    return rc;
}
