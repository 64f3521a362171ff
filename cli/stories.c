/* khabar stories: the stories of an archive, as JSON. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "khabar_archive.h"

static const char stories_usage[] =
    "usage: khabar stories --db FILE [--from DATE] [--to DATE] [--limit N] [--min-size N]\n"
    "\n"
    "The largest stories of the period in the archive FILE: articles that share most\n"
    "of their text (a report copied, rewritten or shortened), or tell one event in\n"
    "their own words (shared entities and tags, dates within two days), found as\n"
    "they were indexed.  A JSON array of {size, first, first_date, last_date,\n"
    "similarity, near_duplicates, same_event_links, articles: [{id, title, date}]},\n"
    "largest first; the articles\n"
    "oldest first, so \"first\" is the story's first article.  Only the articles\n"
    "dated in the period count.\n";

static int parse_count(const char *v, size_t *out)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (*v == '\0' || *v == '-' || *end || n > 1000000000ULL) return -1;
    *out = (size_t)n;
    return 0;
}

int cli_stories(int argc, char **argv)
{
    const char *db = NULL;
    khabar_story_query q = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(stories_usage, stdout); return 0; }
        else if (!strcmp(a, "--db") && more) db = argv[++i];
        else if (!strcmp(a, "--from") && more) q.from = argv[++i];
        else if (!strcmp(a, "--to") && more) q.to = argv[++i];
        else if ((!strcmp(a, "--limit") || !strcmp(a, "--min-size")) && more) {
            if (parse_count(argv[++i], !strcmp(a, "--limit") ? &q.limit : &q.min_size)) {
                cli_error("stories: %s needs a number", a);
                return 2;
            }
        } else {
            cli_error("stories: unexpected argument '%s'", a);
            fputs(stories_usage, stderr);
            return 2;
        }
    }
    if (!db) { fputs(stories_usage, stderr); return 2; }
    khabar_archive *ar;
    khabar_error err;
    if (khabar_archive_open_with_model(db, KHABAR_ARCHIVE_READONLY, cli_model(), &ar, &err)) {
        cli_error("%s", err.message);
        return 2;
    }
    khabar_story_list *l = NULL;
    int rc = 0;
    if (khabar_archive_stories(ar, &q, &l, &err)) {
        cli_error("stories: %s", err.message);
        rc = err.code == KHABAR_ERROR_ARGUMENT ? 1 : 2;
    } else {
        const char *json = khabar_story_list_json(l, NULL);
        if (json) puts(json);
        else { cli_error("out of memory"); rc = 2; }
    }
    khabar_story_list_free(l);
    khabar_archive_close(ar);
    return rc;
}
