/*
 * news_jsonl: turns one SaudiNewsNet day file (a JSON array of
 * articles {"source", "url", "date_extracted", "title", "author", "content"})
 * read from stdin into khabar's JSON-lines records
 * {"id", "title", "text", "date"} on stdout.
 *
 * usage: unzip -p 2015-07-21.zip | news_jsonl 2015-07-21 >> corpus.jsonl
 *
 * The corpus has no article ids, so each record's id is the day's name and
 * the article's position in that day's array ("2015-07-21/17").  Articles
 * whose content is empty (the crawler failed) are skipped and counted on
 * stderr: the benchmark measures analysis, not error records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int only_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return 0;
    return 1;
}

static int write_record(const char *day, size_t index, json_t *article)
{
    json_t *title = json_object_get(article, "title");
    json_t *content = json_object_get(article, "content");
    json_t *extracted = json_object_get(article, "date_extracted");
    char id[96];
    snprintf(id, sizeof id, "%s/%zu", day, index);
    json_t *rec = json_object();
    if (!rec) return -1;
    int failed = json_object_set_new(rec, "id", json_string(id));
    if (json_is_string(title))
        failed |= json_object_set(rec, "title", title);
    failed |= json_object_set(rec, "text", content);
    /* "2015-07-21 02:51:32" -> "2015-07-21" */
    if (json_is_string(extracted) && json_string_length(extracted) >= 10)
        failed |= json_object_set_new(rec, "date", json_stringn(json_string_value(extracted), 10));
    char *line = failed ? NULL : json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(rec);
    if (!line) return -1;
    int rc = puts(line) == EOF ? -1 : 0;
    free(line);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2 || strchr(argv[1], '"')) {
        fputs("usage: unzip -p DAY.zip | news_jsonl DAY > DAY.jsonl\n", stderr);
        return 2;
    }
    const char *day = argv[1];
    json_error_t jerr;
    json_t *root = json_loadf(stdin, JSON_ALLOW_NUL, &jerr);
    if (!json_is_array(root)) {
        fprintf(stderr, "news_jsonl: %s: %s\n", day,
                root ? "not a JSON array of articles" : jerr.text);
        json_decref(root);
        return 1;
    }
    size_t written = 0, skipped = 0, index;
    json_t *article;
    int rc = 0;
    json_array_foreach(root, index, article) {
        json_t *content = json_object_get(article, "content");
        if (!json_is_string(content) ||
            only_blank(json_string_value(content), json_string_length(content))) {
            skipped++;
            continue;
        }
        if (write_record(day, index, article)) {
            fprintf(stderr, "news_jsonl: %s: cannot write record %zu\n", day, index);
            rc = 1;
            break;
        }
        written++;
    }
    json_decref(root);
    if (fflush(stdout)) rc = 1;
    fprintf(stderr, "news_jsonl: %s: %zu articles, %zu without content skipped\n",
            day, written, skipped);
    return rc;
}
