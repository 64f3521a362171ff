/* khabar entity and khabar entities: entities across an archive, as JSON. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "khabar_archive.h"

static const char entity_usage[] =
    "usage: khabar entity --db FILE [--type T] NAME\n"
    "\n"
    "Every entity of the archive FILE one of whose spellings is NAME (hamza forms,\n"
    "ة/ه and diacritics do not matter), as a JSON array: name, type, en, articles,\n"
    "mentions, first_seen, last_seen, variants (the spellings seen, with their\n"
    "mentions), days (mentions per day), with (the entities it appears with most)\n"
    "and quotes (what it said, as speaker: article, date, text, offsets, direct).\n";

static const char entities_usage[] =
    "usage: khabar entities --db FILE [--type T] [--from DATE] [--to DATE] [--limit N]\n"
    "\n"
    "The entities named in the most articles of the period (what is in the news), as\n"
    "a JSON array: name, type, en, articles, mentions, first_seen, last_seen.\n";

static int print_list(khabar_entity_list *l)
{
    const char *json = khabar_entity_list_json(l, NULL);
    if (!json) { cli_error("out of memory"); return 2; }
    puts(json);
    return 0;
}

/* Shared by both commands: --db, --type, --from, --to, --limit, one NAME. */
static int run(int argc, char **argv, int one)
{
    const char *usage = one ? entity_usage : entities_usage;
    const char *db = NULL, *name = NULL;
    khabar_entity_query q = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); return 0; }
        else if (!strcmp(a, "--db") && more) db = argv[++i];
        else if (!strcmp(a, "--type") && more) q.type = argv[++i];
        else if (!one && !strcmp(a, "--from") && more) q.from = argv[++i];
        else if (!one && !strcmp(a, "--to") && more) q.to = argv[++i];
        else if (!one && !strcmp(a, "--limit") && more) q.limit = strtoul(argv[++i], NULL, 10);
        else if (one && !name && a[0] != '-') name = a;
        else {
            cli_error("%s: unexpected argument '%s'", argv[0], a);
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!db || (one && !name)) { fputs(usage, stderr); return 2; }
    khabar_archive *ar;
    khabar_error err;
    if (khabar_archive_open_with_model(db, KHABAR_ARCHIVE_READONLY, cli_model(), &ar, &err)) {
        cli_error("%s", err.message);
        return 2;
    }
    khabar_entity_list *l = NULL;
    khabar_status st = one ? khabar_archive_entity(ar, name, q.type, &l, &err)
                           : khabar_archive_entities(ar, &q, &l, &err);
    int rc;
    if (st) {
        cli_error("%s: %s", argv[0], err.message);
        rc = st == KHABAR_ERROR_ARGUMENT ? 1 : 2;
    } else {
        rc = print_list(l);
        if (!rc && one && khabar_entity_list_count(l) == 0) {
            cli_error("entity: no entity named '%s'", name);
            rc = 1;
        }
    }
    khabar_entity_list_free(l);
    khabar_archive_close(ar);
    return rc;
}

int cli_entity(int argc, char **argv) { return run(argc, argv, 1); }
int cli_entities(int argc, char **argv) { return run(argc, argv, 0); }
