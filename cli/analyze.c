/* khabar analyze: articles in, one JSON object per article out. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: khabar analyze [OPTIONS] FILE...      (FILE '-' is stdin)\n"
    "       khabar analyze --jsonl [OPTIONS] [FILE...]\n"
    "\n"
    "Plain text: one article per file, the first non-empty line its title.\n"
    "JSON lines: one record a line, {\"id\", \"title\"?, \"text\", \"date\"?}; one JSON\n"
    "line out per record, in order, with the same id.  A record that fails gives\n"
    "{\"id\", \"line\", \"error\": {\"code\", \"message\", \"offset\"}} in its place.\n"
    "\n"
    "options:\n"
    "  --jsonl            read JSON lines (stdin when no FILE)\n"
    "  --tokens           include \"tokens\" (text, norm, stem, kind, segments, offsets)\n"
    "  --pretty           indent the JSON\n"
    "  --replace-invalid  replace invalid UTF-8 by U+FFFD (reported as a repair)\n"
    "                     instead of failing the article\n"
    "  --date YYYY-MM-DD  the articles' date: relative dates (أمس، قبل يومين) resolve\n"
    "                     against it (a JSON-lines \"date\" overrides it)\n"
    "  --max-bytes N      largest article accepted (default 268435456)\n"
    "  --skip LIST        analyses to leave out, comma-separated: facts (quantities\n"
    "                     and dates), duplicates, entities, quotes, tags, summary;\n"
    "                     \"all\" leaves the structure, sentences (and tokens) alone\n"
    "  --summary N        sentences in \"summary\" (default 3)\n"
    "\n"
    "Exit status: 0 when every article was analysed, 1 when any failed, 2 on a\n"
    "usage or system error.  Offsets are bytes into the input as given.\n";

typedef struct settings {
    unsigned json_flags;
    khabar_options opts;
    int jsonl;
} settings;

static int emit(khabar_doc *doc, unsigned flags)
{
    size_t len;
    const char *json = khabar_doc_json(doc, flags, &len);
    if (!json) { cli_error("out of memory writing JSON"); return -1; }
    fwrite(json, 1, len, stdout);
    putchar('\n');
    return 0;
}

static int analyze_file(khabar_analyzer *an, const char *path, const settings *s)
{
    char *text;
    size_t len;
    if (cli_read_file(path, &text, &len)) {
        cli_error("%s: cannot read: %m", path);
        return 1;
    }
    khabar_doc *doc;
    khabar_error err;
    int rc = 0;
    if (khabar_analyze(an, text, len, &s->opts, &doc, &err) == KHABAR_OK) {
        rc = emit(doc, s->json_flags) ? 2 : 0;
        khabar_doc_free(doc);
    } else {
        cli_error("%s: %s (%s, byte %zu)", path, err.message, khabar_status_name(err.code), err.offset);
        rc = 1;
    }
    free(text);
    return rc;
}

typedef struct jsonl_run {
    khabar_analyzer *an;
    const settings *s;
    const char *path;
} jsonl_run;

/* One record: its JSON line, or an error record in its place. */
static int analyze_record(void *ctx, size_t lineno, const char *line, size_t len)
{
    const jsonl_run *r = ctx;
    khabar_doc *doc;
    khabar_error err;
    if (khabar_analyze_record(r->an, line, len, &r->s->opts, &doc, &err) == KHABAR_OK) {
        int failed = emit(doc, r->s->json_flags & ~(unsigned)KHABAR_JSON_PRETTY);
        khabar_doc_free(doc);
        return failed ? 2 : 0;
    }
    size_t elen;
    const char *rec = khabar_record_error_json(r->an, &err, lineno, &elen);
    if (rec) {
        fwrite(rec, 1, elen, stdout);
        putchar('\n');
    }
    cli_error("%s:%zu: %s", r->path, lineno, err.message);
    return 1;
}

static int analyze_jsonl(khabar_analyzer *an, const char *path, const settings *s)
{
    jsonl_run r = {an, s, path};
    int rc = cli_each_line(path, analyze_record, &r);
    return rc < 0 ? 1 : rc;
}

/* "facts,duplicates" → KHABAR_SKIP_FACTS | KHABAR_SKIP_DUPLICATES. */
static int parse_skip(const char *list, unsigned *skip)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        {"facts", KHABAR_SKIP_FACTS},       {"duplicates", KHABAR_SKIP_DUPLICATES},
        {"entities", KHABAR_SKIP_ENTITIES}, {"quotes", KHABAR_SKIP_QUOTES},
        {"tags", KHABAR_SKIP_TAGS},         {"summary", KHABAR_SKIP_SUMMARY},
        {"all", KHABAR_SKIP_ANALYSES}};
    for (const char *p = list;;) {
        size_t n = strcspn(p, ",");
        size_t k = 0;
        while (k < sizeof names / sizeof names[0] &&
               (strlen(names[k].name) != n || strncmp(names[k].name, p, n)))
            k++;
        if (k == sizeof names / sizeof names[0]) {
            cli_error("analyze: --skip: unknown analysis '%.*s' (facts, duplicates, entities, "
                      "quotes, tags, summary, all)", (int)n, p);
            return 2;
        }
        *skip |= names[k].bit;
        if (!p[n]) return 0;
        p += n + 1;
    }
}

int cli_analyze(int argc, char **argv)
{
    settings s = {0};
    const char *files[argc > 0 ? argc : 1];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage_text, stdout); return 0; }
        else if (!strcmp(a, "--jsonl")) s.jsonl = 1;
        else if (!strcmp(a, "--tokens")) s.json_flags |= KHABAR_JSON_TOKENS;
        else if (!strcmp(a, "--pretty")) s.json_flags |= KHABAR_JSON_PRETTY;
        else if (!strcmp(a, "--replace-invalid")) s.opts.flags |= KHABAR_OPTION_REPLACE_INVALID;
        else if (!strcmp(a, "--date") && i + 1 < argc) {
            const char *v = argv[++i];
            if (strlen(v) != 10 || v[4] != '-' || v[7] != '-') {
                cli_error("analyze: --date needs YYYY-MM-DD");
                return 2;
            }
            s.opts.date = v;
        } else if (!strcmp(a, "--max-bytes") && i + 1 < argc) {
            char *end;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (*end || v == 0) { cli_error("analyze: --max-bytes needs a positive number"); return 2; }
            s.opts.max_bytes = (size_t)v;
        } else if (!strcmp(a, "--skip") && i + 1 < argc) {
            if (parse_skip(argv[++i], &s.opts.skip)) return 2;
        } else if (!strcmp(a, "--summary") && i + 1 < argc) {
            char *end;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (*end || v == 0 || v > 64) { cli_error("analyze: --summary needs a number from 1 to 64"); return 2; }
            s.opts.summary_sentences = (size_t)v;
        } else if (a[0] == '-' && a[1]) {
            cli_error("analyze: unknown option '%s' (see khabar analyze --help)", a);
            return 2;
        } else files[nfiles++] = a;
    }
    if (nfiles == 0) {
        if (!s.jsonl) { fputs(usage_text, stderr); return 2; }
        files[nfiles++] = "-";
    }
    khabar_model *model = cli_model();
    if (!model) return 2;
    khabar_analyzer *an;
    khabar_error err;
    if (khabar_analyzer_new(model, &an, &err)) { cli_error("%s", err.message); return 2; }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    int rc = 0;
    for (int i = 0; i < nfiles && rc < 2; i++) {
        int r = s.jsonl ? analyze_jsonl(an, files[i], &s) : analyze_file(an, files[i], &s);
        if (r > rc) rc = r;
    }
    khabar_analyzer_free(an);
    if (fflush(stdout)) { cli_error("write error"); rc = 2; }
    return rc;
}
