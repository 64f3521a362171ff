/* The archive's C API (include/khabar_archive.h): storing, replacing and
 * deleting articles, search with khabar's tokenizer, filters, facets, the
 * query language, and the errors for files that are not archives. */
#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include "fts5_khabar.h"
#include "helpers.h"
#include "khabar_archive.h"

static char dir[] = "/tmp/khabar-test-archive-XXXXXX";

static const char *path_of(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static int setup(void **state)
{
    if (!mkdtemp(dir)) return -1;
    return setup_analyzer(state);
}

static int teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return -1;
    return teardown_analyzer(state);
}

/* Analyses and stores one article given as a JSON-lines record would be. */
static void add(khabar_archive *ar, const char *id, const char *title, const char *date, const char *text)
{
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_NO_TITLE;
    o.title = title;
    o.title_len = title ? strlen(title) : 0;
    o.date = date;
    khabar_doc *d = NULL;
    khabar_error err;
    if (khabar_analyze(test_analyzer, text, strlen(text), &o, &d, &err)) fail_msg("analyze: %s", err.message);
    khabar_article a = {id, strlen(id), title, title ? strlen(title) : 0, date, date ? strlen(date) : 0,
                        text, strlen(text), NULL, 0, NULL, 0};
    if (khabar_archive_add(ar, &a, d, &err)) fail_msg("add %s: %s", id, err.message);
    khabar_doc_free(d);
}

static khabar_results *search(khabar_archive *ar, const khabar_query *q)
{
    khabar_results *r = NULL;
    khabar_error err;
    if (khabar_archive_search(ar, q, &r, &err)) fail_msg("search: %s", err.message);
    return r;
}

static khabar_results *find(khabar_archive *ar, const char *text)
{
    khabar_query q = {0};
    q.text = text;
    return search(ar, &q);
}

/* The ids of the hits, in order, joined by spaces. */
static const char *ids(const khabar_results *r)
{
    static char out[512];
    out[0] = '\0';
    for (size_t i = 0; i < khabar_results_hit_count(r); i++) {
        if (i) strcat(out, " ");
        strcat(out, khabar_results_hit(r, i)->id);
    }
    return out;
}

static void assert_finds(khabar_archive *ar, const char *query, const char *want)
{
    khabar_results *r = find(ar, query);
    if (strcmp(ids(r), want)) fail_msg("'%s' found '%s', not '%s'", query, ids(r), want);
    khabar_results_free(r);
}

static const char *text1 = "قال وزير الخارجية السعودي إن الكتاب الجديد يصدر غداً في الرياض.";
static const char *text2 = "ونشرت وزارة الثقافة كتابه الأول عن تاريخ الرياض القديم.";
static const char *text3 = "أعلنت الأمم المتحدة عن مؤتمر في جنيف يحضره وزراء الخارجية.";

static khabar_archive *new_archive(const char *name)
{
    khabar_archive *ar = NULL;
    khabar_error err;
    if (khabar_archive_open(path_of(name), KHABAR_ARCHIVE_CREATE, &ar, &err)) fail_msg("open: %s", err.message);
    return ar;
}

static khabar_archive *three_articles(const char *name)
{
    khabar_archive *ar = new_archive(name);
    add(ar, "a1", "كتاب جديد", "2024-01-10", text1);
    add(ar, "a2", "الثقافة تنشر", "2024-01-12", text2);
    add(ar, "a3", "مؤتمر جنيف", "2024-02-01", text3);
    return ar;
}

static void stores_and_counts(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("stats.db");
    /* the first archive opened turned SQLite's memory statistics (and their
     * lock) off: nothing is counted */
    assert_int_equal(sqlite3_memory_highwater(0), 0);
    khabar_archive_stats st;
    assert_int_equal(khabar_archive_stats_get(ar, &st, NULL), KHABAR_OK);
    assert_int_equal(st.articles, 3);
    assert_int_equal(st.bytes, strlen(text1) + strlen(text2) + strlen(text3));
    assert_int_equal(st.schema, KHABAR_ARCHIVE_SCHEMA);
    assert_string_equal(st.first_date, "2024-01-10");
    assert_string_equal(st.last_date, "2024-02-01");
    assert_true(st.entities >= 2);
    assert_true(st.file_bytes > 0);
    khabar_archive_close(ar);
}

/* Every form of a word is found by any other, and the marks fall on the
 * words as written. */
static void stems_match_and_marks_fall_on_words(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("stems.db");
    khabar_results *r = find(ar, "كتاب");
    assert_int_equal(khabar_results_total(r), 2);
    for (size_t i = 0; i < khabar_results_hit_count(r); i++) {
        const khabar_hit *h = khabar_results_hit(r, i);
        const char *text = !strcmp(h->id, "a1") ? text1 : text2;
        const char *word = !strcmp(h->id, "a1") ? "الكتاب" : "كتابه";
        assert_int_equal(h->mark_count, 1);
        assert_memory_equal(text + h->marks[0].start, word, strlen(word));
        assert_int_equal(h->marks[0].end - h->marks[0].start, strlen(word));
        assert_memory_equal(h->snippet, text + h->snippet_start, h->snippet_len);
        assert_true(h->score > 0);
    }
    khabar_results_free(r);
    /* the title counts more than the text: a1 has كتاب in its title */
    assert_finds(ar, "كتاب", "a1 a2");
    assert_finds(ar, "=الكتاب", "a1");
    assert_finds(ar, "=كتابه", "a2");
    assert_finds(ar, "الثقافه", "a2"); /* ه for ة: normalised */
    khabar_archive_close(ar);
}

static void phrases_or_not(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("ops.db");
    assert_finds(ar, "\"وزير الخارجية\"", "a1");
    assert_finds(ar, "جنيف OR الثقافة", "a2 a3");
    assert_finds(ar, "الرياض NOT الثقافة", "a1");
    assert_finds(ar, "الرياض -الثقافة", "a1");
    assert_finds(ar, "(جنيف OR الثقافة) -مؤتمر", "a2");
    assert_finds(ar, "الرياض جنيف", "");
    assert_finds(ar, "col:جنيف", ""); /* FTS5 syntax is not passed through */
    khabar_archive_close(ar);
}

/* "w" + n1 fillers + "v" + n2 fillers, into buf. */
static const char *two_words_apart(char *buf, size_t cap, const char *w, int n1, const char *v, int n2)
{
    size_t len = (size_t)snprintf(buf, cap, "%s", w);
    for (int i = 0; i < n1 + n2 + 1 && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, " %s", i == n1 ? v : "سطر");
    return buf;
}

/* khabar_rank's opening (archive/fts5_rank.c): the query's words among the
 * first 15 words of the text.  Both articles hold both words once, in the
 * lead and too far apart to be a pair; "late" is one word shorter (so BM25
 * alone ranks it first), "early" has its second word among the first 15. */
static void opening_words_rank_first(void **state)
{
    (void)state;
    khabar_archive *ar = new_archive("opening.db");
    char buf[1024];
    add(ar, "late", NULL, NULL, two_words_apart(buf, sizeof buf, "زلزال", 23, "بركان", 10));
    add(ar, "early", NULL, NULL, two_words_apart(buf, sizeof buf, "زلزال", 9, "بركان", 25));
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "f%d", i);
        add(ar, id, NULL, NULL, two_words_apart(buf, sizeof buf, "نص", 30, "سطر", 0));
    }
    assert_finds(ar, "زلزال OR بركان", "early late");
    assert_finds(ar, "زلزال", "late early"); /* one word: the same in both openings, the shorter first */
    khabar_archive_close(ar);
}

/* A proclitic written apart from its word, with no space between them
 * (لـ«داعش», بـ“داعش”), is part of that word in a query: the word finds the texts
 * that write it joined (لداعش) as well as apart; a و between two words of a
 * phrase, written with spaces around it, is still a word of the phrase. */
static void proclitics_written_apart(void **state)
{
    (void)state;
    khabar_archive *ar = new_archive("proclitic.db");
    static const char *const texts[][2] = {
        {"joined", "انضم شاب لداعش في سوريا."},
        {"apart", "انضم شاب آخر لـ«داعش» في العراق."},
        {"spaced", "فاز الأهلي و الزمالك أمس."},
        {"other", "فاز الأهلي على الزمالك أمس."},
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) add(ar, texts[i][0], NULL, NULL, texts[i][1]);
    assert_finds(ar, "لـ«داعش» سوريا", "joined");
    assert_finds(ar, "لـ«داعش» العراق", "apart");
    assert_finds(ar, "بـ“داعش” سوريا", "joined");
    assert_finds(ar, "\"انضم شاب لـ«داعش»\"", "joined");
    assert_finds(ar, "\"الأهلي و الزمالك\"", "spaced");
    khabar_archive_close(ar);
}

/* A verb in the present tense in a query finds the texts that tell it in
 * the past (تهاجم: هاجمت; يتحدث: تحدث); a word with the article or a
 * preposition, or a noun's ending, is no verb (بتصعيد does not find صعيد). */
static void present_verbs_find_the_past(void **state)
{
    (void)state;
    khabar_archive *ar = new_archive("verbs.db");
    add(ar, "past", NULL, NULL, "هاجمت القوات المدينة أمس.");
    add(ar, "noun", NULL, NULL, "تحدث الوزير طويلا عن الاقتصاد.");
    add(ar, "south", NULL, NULL, "زار الوفد الصعيد أمس.");
    add(ar, "plural", NULL, NULL, "زار الوفد المحطات أمس.");
    assert_finds(ar, "تهاجم", "past");
    assert_finds(ar, "يتحدث الوزير", "noun");
    assert_finds(ar, "بتصعيد", "");
    assert_finds(ar, "تصعيدات", "");
    assert_finds(ar, "=تهاجم", ""); /* a surface form asks for itself alone */
    khabar_archive_close(ar);
}

static void filters_and_facets(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("filters.db");
    khabar_query q = {0};
    q.from = "2024-01-11";
    khabar_results *r = search(ar, &q);
    assert_string_equal(ids(r), "a3 a2"); /* no query: newest first */
    assert_int_equal(khabar_results_total(r), 2);
    khabar_results_free(r);
    q.to = "2024-01-31";
    r = search(ar, &q);
    assert_string_equal(ids(r), "a2");
    khabar_results_free(r);

    /* a query and a date filter together */
    q.text = "الرياض";
    q.to = NULL;
    r = search(ar, &q);
    assert_string_equal(ids(r), "a2");
    khabar_results_free(r);

    memset(&q, 0, sizeof q);
    const char *geneva[] = {"جنيف"};
    q.entities = geneva;
    q.entity_count = 1;
    r = search(ar, &q);
    assert_string_equal(ids(r), "a3");
    khabar_results_free(r);
    q.type = "PER";
    r = search(ar, &q);
    assert_string_equal(ids(r), "");
    khabar_results_free(r);

    memset(&q, 0, sizeof q);
    q.text = "الرياض";
    q.flags = KHABAR_QUERY_FACETS;
    r = search(ar, &q);
    assert_int_equal(khabar_results_total(r), 2);
    int riyadh = 0, days = 0;
    for (size_t i = 0; i < khabar_results_facet_count(r); i++) {
        const khabar_facet *f = khabar_results_facet(r, i);
        if (f->kind == KHABAR_FACET_ENTITY && !strcmp(f->value, "الرياض")) {
            assert_string_equal(f->type, "LOC");
            assert_int_equal(f->count, 2);
            riyadh = 1;
        }
        if (f->kind == KHABAR_FACET_DAY) days++;
    }
    assert_true(riyadh);
    assert_int_equal(days, 2);
    const char *json = khabar_results_json(r, NULL);
    assert_non_null(strstr(json, "\"facets\":{\"entities\":{"));
    assert_non_null(strstr(json, "\"days\":[{\"date\":\"2024-01-10\",\"count\":1}"));
    khabar_results_free(r);

    /* limit and offset page through the hits; the total stays */
    memset(&q, 0, sizeof q);
    q.limit = 1;
    q.offset = 1;
    r = search(ar, &q);
    assert_string_equal(ids(r), "a2");
    assert_int_equal(khabar_results_total(r), 3);
    khabar_results_free(r);

    khabar_error err;
    q.from = "January";
    assert_int_equal(khabar_archive_search(ar, &q, &r, &err), KHABAR_ERROR_ARGUMENT);
    assert_null(r);
    memset(&q, 0, sizeof q);
    q.type = "PERSON";
    assert_int_equal(khabar_archive_search(ar, &q, &r, &err), KHABAR_ERROR_ARGUMENT);
    khabar_archive_close(ar);
}

static void replace_and_delete(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("replace.db");
    add(ar, "a3", "مؤتمر", "2024-02-02", "انتهى المؤتمر في باريس.");
    khabar_archive_stats st;
    assert_int_equal(khabar_archive_stats_get(ar, &st, NULL), KHABAR_OK);
    assert_int_equal(st.articles, 3);
    assert_finds(ar, "جنيف", "");
    assert_finds(ar, "باريس", "a3");
    int found = 0;
    assert_int_equal(khabar_archive_delete(ar, "a3", 2, &found, NULL), KHABAR_OK);
    assert_true(found);
    assert_int_equal(khabar_archive_delete(ar, "a3", 2, &found, NULL), KHABAR_OK);
    assert_false(found);
    assert_finds(ar, "باريس", "");
    /* its entities go with it */
    khabar_query q = {0};
    const char *paris[] = {"باريس"};
    q.entities = paris;
    q.entity_count = 1;
    khabar_results *r = search(ar, &q);
    assert_int_equal(khabar_results_total(r), 0);
    khabar_results_free(r);
    khabar_archive_close(ar);
}

/* What is stored comes back as it was given, with the analysis as stored;
 * an id not stored is NULL, not an error, and a deleted one is gone. */
static void reads_an_article_back(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("get.db");
    add(ar, "untitled", NULL, NULL, text3);
    khabar_stored_article *got = NULL;
    khabar_error err;
    assert_int_equal(khabar_archive_get(ar, "a1", 2, &got, &err), KHABAR_OK);
    assert_non_null(got);
    const khabar_article *a = khabar_stored_article_fields(got);
    assert_string_equal(a->id, "a1");
    assert_int_equal(a->id_len, 2);
    assert_string_equal(a->title, "كتاب جديد");
    assert_string_equal(a->date, "2024-01-10");
    assert_string_equal(a->text, text1);
    assert_int_equal(a->text_len, strlen(text1));
    /* the analysis is the doc's JSON: the same as analysing the text again */
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_NO_TITLE;
    o.title = "كتاب جديد";
    o.title_len = strlen(o.title);
    o.date = "2024-01-10";
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, text1, strlen(text1), &o, &d, NULL), KHABAR_OK);
    size_t len;
    const char *json = khabar_doc_json(d, 0, &len);
    assert_int_equal(a->analysis_len, len);
    assert_memory_equal(a->analysis, json, len);
    khabar_doc_free(d);
    khabar_stored_article_free(got);

    assert_int_equal(khabar_archive_get(ar, "untitled", 8, &got, NULL), KHABAR_OK);
    a = khabar_stored_article_fields(got);
    assert_string_equal(a->title, "");
    assert_null(a->date);
    assert_int_equal(a->date_len, 0);
    khabar_stored_article_free(got);

    got = (khabar_stored_article *)1;
    assert_int_equal(khabar_archive_get(ar, "a", 1, &got, NULL), KHABAR_OK); /* a prefix is not an id */
    assert_null(got);
    assert_int_equal(khabar_archive_delete(ar, "a2", 2, NULL, NULL), KHABAR_OK);
    assert_int_equal(khabar_archive_get(ar, "a2", 2, &got, NULL), KHABAR_OK);
    assert_null(got);
    assert_int_equal(khabar_archive_get(ar, NULL, 3, &got, &err), KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_archive_get(NULL, "a1", 2, &got, NULL), KHABAR_ERROR_ARGUMENT);
    khabar_stored_article_free(NULL);
    assert_null(khabar_stored_article_fields(NULL));
    khabar_archive_close(ar);
}

/* A batch is all or nothing: closed before its commit, it is gone. */
static void batches(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("batch.db");
    assert_int_equal(khabar_archive_begin(ar, NULL), KHABAR_OK);
    add(ar, "b1", NULL, NULL, "خبر أول عن الرياض.");
    khabar_archive_close(ar);
    assert_int_equal(khabar_archive_open(path_of("batch.db"), 0, &ar, NULL), KHABAR_OK);
    assert_finds(ar, "خبر", "");
    assert_int_equal(khabar_archive_begin(ar, NULL), KHABAR_OK);
    add(ar, "b1", NULL, NULL, "خبر أول عن الرياض.");
    add(ar, "b2", NULL, NULL, "خبر ثان.");
    assert_int_equal(khabar_archive_commit(ar, NULL), KHABAR_OK);
    khabar_archive_close(ar);
    assert_int_equal(khabar_archive_open(path_of("batch.db"), KHABAR_ARCHIVE_READONLY, &ar, NULL), KHABAR_OK);
    assert_finds(ar, "خبر", "b2 b1");
    khabar_archive_close(ar);
}

static void write_file(const char *path, const char *data)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(data, f);
    fclose(f);
}

static void sql(const char *path, const char *statements)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, statements, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Runs statements on articles_fts (with khabar's tokenizer); then gives
 * the result of FTS5's own check of the index against the articles, and
 * its number of rows of index data. */
static int fts_check(const char *path, const char *statements, long long *data_rows)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(kh_fts5_register(db, NULL), SQLITE_OK);
    if (statements) assert_int_equal(sqlite3_exec(db, statements, NULL, NULL, NULL), SQLITE_OK);
    int rc = sqlite3_exec(db, "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)", NULL, NULL,
                          NULL);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM articles_fts_data", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    *data_rows = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rc;
}

/* A batch's rows of articles_fts are written at its commit, as one
 * segment: FTS5 used to write a segment per article (at the end of each
 * statement with a statement journal), which cost more than the article.
 * With FTS5's merging off, the segments stay to be counted. */
static void batch_writes_one_segment(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("segments.db");
    khabar_archive_close(ar);
    long long before, after;
    assert_int_equal(fts_check(path_of("segments.db"),
                               "INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 0);"
                               "INSERT INTO articles_fts(articles_fts, rank) VALUES('crisismerge', 2000);",
                               &before),
                     SQLITE_OK);
    assert_int_equal(khabar_archive_open(path_of("segments.db"), 0, &ar, NULL), KHABAR_OK);
    assert_int_equal(khabar_archive_begin(ar, NULL), KHABAR_OK);
    char id[16];
    for (int i = 0; i < 60; i++) {
        snprintf(id, sizeof id, "s%d", i);
        add(ar, id, "عنوان الخبر", "2024-03-01", i % 2 ? text1 : text2);
    }
    /* replaced inside the batch, and before it: the index follows */
    add(ar, "s7", NULL, NULL, text3);
    add(ar, "a1", NULL, NULL, text3);
    add(ar, "s8", NULL, NULL, text3);
    add(ar, "s60", NULL, NULL, text3);
    int found;
    assert_int_equal(khabar_archive_delete(ar, "s60", 3, &found, NULL), KHABAR_OK); /* stored in this batch */
    assert_true(found);
    assert_int_equal(khabar_archive_commit(ar, NULL), KHABAR_OK);
    assert_finds(ar, "جنيف", "s7 a1 s8 a3");
    khabar_archive_close(ar);
    assert_int_equal(fts_check(path_of("segments.db"), NULL, &after), SQLITE_OK);
    /* a segment of a leaf or two, and the structure's record; not 60 */
    if (after - before > 10) fail_msg("the batch wrote %lld rows of index data", after - before);
}

static void open_refuses(const char *path, unsigned flags, khabar_status want, const char *words)
{
    khabar_archive *ar = (khabar_archive *)1;
    khabar_error err;
    assert_int_equal(khabar_archive_open(path, flags, &ar, &err), want);
    assert_null(ar);
    assert_int_equal(err.code, want);
    if (!strstr(err.message, words)) fail_msg("'%s' does not say '%s'", err.message, words);
}

/* Stores every article's analysis as JSON text, as schemas before 6 did
 * (read back through the archive, which unpacks it). */
static void unpack_analyses(const char *path)
{
    khabar_archive *ar;
    assert_int_equal(khabar_archive_open(path, KHABAR_ARCHIVE_READONLY, &ar, NULL), KHABAR_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *ids, *put;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM articles", -1, &ids, NULL), SQLITE_OK);
    size_t n = 0;
    char *json[64];
    char *id[64];
    while (sqlite3_step(ids) == SQLITE_ROW && n < 64) {
        khabar_stored_article *got;
        const char *v = (const char *)sqlite3_column_text(ids, 0);
        assert_int_equal(khabar_archive_get(ar, v, strlen(v), &got, NULL), KHABAR_OK);
        id[n] = strdup(v);
        json[n++] = strdup(khabar_stored_article_fields(got)->analysis);
        khabar_stored_article_free(got);
    }
    sqlite3_finalize(ids);
    khabar_archive_close(ar);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE articles SET analysis = ?2 WHERE id = ?1", -1, &put, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_text(put, 1, id[i], -1, free);
        sqlite3_bind_text(put, 2, json[i], -1, free);
        assert_int_equal(sqlite3_step(put), SQLITE_DONE);
        sqlite3_reset(put);
    }
    sqlite3_finalize(put);
    sqlite3_close(db);
}

/* Makes the archive `name` an older one with `statements` (after taking
 * out schema 5's stored offsets and schema 6's packing), checks that it is
 * refused for reading with a message saying `words`, and opens it for
 * writing, which upgrades it. */
static khabar_archive *downgraded_then_opened(const char *name, const char *statements, const char *words)
{
    khabar_archive *ar = NULL;
    unpack_analyses(path_of(name));
    sql(path_of(name), "DROP TRIGGER articles_delete_tokens; DROP TRIGGER articles_update_tokens;"
                       " DROP TABLE article_tokens;");
    sql(path_of(name), statements);
    open_refuses(path_of(name), KHABAR_ARCHIVE_READONLY, KHABAR_ERROR_FORMAT, words);
    assert_int_equal(khabar_archive_open(path_of(name), 0, &ar, NULL), KHABAR_OK);
    return ar;
}

/* Schema 3 wrote an article's row of articles_fts by a trigger, which
 * schema 4 drops (the library writes it): once opened for writing, an
 * article is indexed once. */
static void upgrade_from_schema_3(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("schema3.db");
    khabar_archive_close(ar);
    ar = downgraded_then_opened("schema3.db",
        "CREATE TRIGGER articles_insert AFTER INSERT ON articles BEGIN\n"
        "  INSERT INTO articles_fts(rowid, title, text) VALUES(new.key, new.title, new.text);\n"
        "END; PRAGMA user_version = 3", "schema 3");
    add(ar, "a4", NULL, NULL, text3);
    assert_finds(ar, "جنيف", "a4 a3");
    khabar_archive_stats stats;
    assert_int_equal(khabar_archive_stats_get(ar, &stats, NULL), KHABAR_OK);
    assert_int_equal(stats.schema, KHABAR_ARCHIVE_SCHEMA);
    khabar_archive_close(ar);
    long long rows;
    assert_int_equal(fts_check(path_of("schema3.db"), NULL, &rows), SQLITE_OK);
}

static void files_that_are_not_archives(void **state)
{
    (void)state;
    write_file(path_of("text.db"), "هذا ملف نصي وليس قاعدة بيانات، وهو أطول من رأس ملف SQLite بكثير جداً جداً جداً.\n");
    open_refuses(path_of("text.db"), 0, KHABAR_ERROR_FORMAT, "not a khabar archive");
    sql(path_of("other.db"), "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
    open_refuses(path_of("other.db"), KHABAR_ARCHIVE_CREATE, KHABAR_ERROR_FORMAT, "not a khabar archive");
    khabar_archive_close(three_articles("newer.db"));
    sql(path_of("newer.db"), "PRAGMA user_version = 99");
    open_refuses(path_of("newer.db"), 0, KHABAR_ERROR_FORMAT, "newer");
    open_refuses(path_of("missing.db"), 0, KHABAR_ERROR_IO, "cannot open");
    open_refuses(path_of("missing.db"), KHABAR_ARCHIVE_READONLY, KHABAR_ERROR_IO, "cannot open");
    assert_int_equal(access(path_of("missing.db"), F_OK), -1);
    /* the text file is left as it was */
    size_t len;
    FILE *f = fopen(path_of("text.db"), "rb");
    char buf[16];
    len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_int_equal(len, sizeof buf);
    assert_memory_equal(buf, "هذا ملف", 13);
    khabar_archive_close(NULL);
    khabar_results_free(NULL);
}

static void assert_translates(const char *query, const char *want)
{
    khabar_error err;
    char *got = khabar_archive_fts5_query(query, strlen(query), &err);
    if (!got) fail_msg("'%s': %s", query, err.message);
    if (strcmp(got, want)) fail_msg("'%s' gave '%s', not '%s'", query, got, want);
    free(got);
}

static void assert_query_error(const char *query, size_t offset, const char *words)
{
    khabar_error err;
    char *got = khabar_archive_fts5_query(query, strlen(query), &err);
    if (got) fail_msg("'%s' gave '%s', not an error", query, got);
    assert_int_equal(err.code, KHABAR_ERROR_QUERY);
    assert_int_equal(err.offset, offset);
    if (!strstr(err.message, words)) fail_msg("'%s': '%s' does not say '%s'", query, err.message, words);
}

static void query_language(void **state)
{
    (void)state;
    assert_translates("كتاب", "\"كتاب\"");
    assert_translates("a b", "\"a\" AND \"b\"");
    assert_translates("a AND b", "\"a\" AND \"b\"");
    assert_translates("\"ولي العهد\" الرياض", "\"ولي العهد\" AND \"الرياض\"");
    assert_translates("a OR b c", "\"a\" OR \"b\" AND \"c\"");
    assert_translates("a NOT b -c", "(\"a\") NOT \"b\" NOT \"c\"");
    assert_translates("(a OR b) -(c d)", "((\"a\" OR \"b\")) NOT (\"c\" AND \"d\")");
    assert_translates("كتا*", "\"كتا\" *");
    assert_translates("=الكتاب", "\"=الكتاب\"");
    assert_translates("a:b ^c NEAR", "\"a:b\" AND \"^c\" AND \"NEAR\"");
    assert_translates("a - / b", "\"a\" AND \"b\"");
    /* punctuation between ORs is left out with its OR (a pasted title) */
    assert_translates("a OR % OR b", "\"a\" OR \"b\"");
    assert_translates("% OR a", "\"a\"");
    assert_translates("it's", "\"it's\"");
    /* a NUL byte separates words (regression: FTS5 read the string only up to it) */
    char *nul = khabar_archive_fts5_query("a\0b \"c\0d\"", 9, NULL);
    assert_string_equal(nul, "\"a\" AND \"b\" AND \"c d\"");
    free(nul);
    assert_query_error("\"open", 0, "quote is not closed");
    assert_query_error("say\"s", 3, "quote is not closed");
    assert_query_error("a (b", 2, "parenthesis is not closed");
    assert_query_error("a ) b", 2, "closing parenthesis");
    assert_query_error("-a", 0, "only exclude");
    assert_query_error("a OR", 2, "OR needs");
    assert_query_error("OR a", 0, "OR needs");
    assert_query_error("a NOT", 2, "NOT needs");
    assert_query_error("- / ؟", 0, "no words");
    assert_query_error("", 0, "no words");
    char deep[200];
    memset(deep, '(', 100);
    deep[100] = 'a';
    memset(deep + 101, ')', 98);
    deep[199] = '\0';
    assert_query_error(deep, 32, "nested too deep");
    /* a query error from search carries the offset too */
    khabar_archive *ar = three_articles("query.db");
    khabar_query q = {0};
    q.text = "الرياض \"وزير";
    khabar_results *r = NULL;
    khabar_error err;
    assert_int_equal(khabar_archive_search(ar, &q, &r, &err), KHABAR_ERROR_QUERY);
    assert_int_equal(err.offset, strlen("الرياض "));
    khabar_archive_close(ar);
}

/* The seed article and its analysis: entities and tags are filterable. */
static void seed_article(void **state)
{
    (void)state;
    size_t len;
    char *text = read_source_file("examples/article.txt", &len);
    khabar_archive *ar = NULL;
    assert_int_equal(khabar_archive_open(path_of("seed.db"), KHABAR_ARCHIVE_CREATE, &ar, NULL), KHABAR_OK);
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, text, len, NULL, &d, NULL), KHABAR_OK);
    const khabar_span *title = khabar_doc_title(d);
    khabar_article a = {"seed", 4, title->text, title->text_len, "2021-09-20", 10, text, len, NULL, 0, NULL, 0};
    assert_int_equal(khabar_archive_add(ar, &a, d, NULL), KHABAR_OK);
    khabar_doc_free(d);
    khabar_query q = {0};
    q.tag = "طالبان";
    q.text = "افغانستان";
    khabar_results *r = search(ar, &q);
    assert_string_equal(ids(r), "seed");
    /* every mark is a spelling of Afghanistan in the text */
    const khabar_hit *h = khabar_results_hit(r, 0);
    assert_true(h->mark_count >= 1);
    for (size_t i = 0; i < h->mark_count; i++) {
        const char *w = text + h->marks[i].start;
        size_t n = h->marks[i].end - h->marks[i].start;
        char word[64] = "";
        assert_true(n < sizeof word);
        memcpy(word, w, n);
        word[n] = '\0';
        assert_non_null(strstr(word, "فغانستان"));
    }
    khabar_results_free(r);
    const char *spellings[] = {"ابو عمر خراساني"}; /* without hamza, as a reader types it */
    memset(&q, 0, sizeof q);
    q.entities = spellings;
    q.entity_count = 1;
    r = search(ar, &q);
    assert_string_equal(ids(r), "seed");
    khabar_results_free(r);

    /* the entity: its spellings counted, its quotes as speaker, at their
     * offsets in the text */
    khabar_entity_list *l = NULL;
    assert_int_equal(khabar_archive_entity(ar, "خراساني", "PER", &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_entity_list_count(l), 1);
    const khabar_entity_stat *e = khabar_entity_list_at(l, 0);
    assert_string_equal(e->name, "أبو عمر خراساني");
    size_t sum = 0;
    for (size_t i = 0; i < e->variant_count; i++) sum += e->variant_mentions[i];
    assert_int_equal(sum, e->mentions);
    assert_true(e->variant_count >= 2);
    assert_true(e->variant_mentions[0] >= e->variant_mentions[1]);
    assert_true(e->quote_count >= 2);
    int direct = 0;
    for (size_t i = 0; i < e->quote_count; i++) {
        const khabar_entity_quote *qt = &e->quotes[i];
        assert_string_equal(qt->article, "seed");
        assert_string_equal(qt->date, "2021-09-20");
        assert_true(qt->end > qt->start && qt->end <= len);
        assert_int_equal(strlen(qt->text), qt->end - qt->start);
        assert_memory_equal(qt->text, text + qt->start, qt->end - qt->start);
        direct += qt->direct;
    }
    assert_true(direct >= 1);
    const char *json = khabar_entity_list_json(l, NULL);
    assert_non_null(strstr(json, "\"quotes\":[{\"article\":\"seed\",\"date\":\"2021-09-20\",\"text\":"));
    assert_non_null(strstr(json, "\"variants\":[{\"name\":"));
    khabar_entity_list_free(l);
    /* deleted, its quotes and spellings go with it */
    assert_int_equal(khabar_archive_delete(ar, "seed", 4, NULL, NULL), KHABAR_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("seed.db"), &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM article_quotes) + (SELECT count(*) FROM article_spellings)",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    khabar_archive_close(ar);
    free(text);
}

/* The archive's file opened with the khabar functions registered (their
 * own model, no kept sizes or counts: as the loadable extension does). */
static sqlite3 *open_with_khabar(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(kh_fts5_register(db, NULL), SQLITE_OK);
    return db;
}

/* Adds the JSON-lines records of a file of the source tree. */
static void add_jsonl(khabar_archive *ar, const char *rel)
{
    size_t len;
    char *lines = read_source_file(rel, &len);
    char *save = NULL;
    for (char *line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_t *o = json_loads(line, 0, NULL);
        assert_non_null(o);
        add(ar, json_string_value(json_object_get(o, "id")), json_string_value(json_object_get(o, "title")),
            json_string_value(json_object_get(o, "date")), json_string_value(json_object_get(o, "text")));
        json_decref(o);
    }
    free(lines);
}

static const char *const offsets_queries[] = {
    "افغانستان", "طالبان", "حركة طالبان", "\"الحكومة الافغانية\"", "كابول OR قندهار", "السبسي",
    "\"رئيس الجمهورية\"", "تونس -ترامب", "الرياض", "=الكتاب", "كتا*", "عفيف شبيل", "2017", NULL};

/* How many hits of the queries have khabar_marks() from the stored offsets
 * unlike khabar_marks() analysing the text; *marked counts the hits with
 * marks. */
static int marks_unlike_analysis(const char *path, int *marked)
{
    sqlite3 *db = open_with_khabar(path);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT khabar_marks(articles_fts, 1, (SELECT offsets FROM article_tokens"
                                        " WHERE article = articles_fts.rowid)), khabar_marks(articles_fts, 1)"
                                        " FROM articles_fts WHERE articles_fts MATCH ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    int unlike = 0;
    *marked = 0;
    for (const char *const *q = offsets_queries; *q; q++) {
        char *match = khabar_archive_fts5_query(*q, strlen(*q), NULL);
        assert_non_null(match);
        sqlite3_bind_text(s, 1, match, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *stored = (const char *)sqlite3_column_text(s, 0);
            const char *analysed = (const char *)sqlite3_column_text(s, 1);
            if (analysed) ++*marked;
            if (!stored != !analysed || (stored && strcmp(stored, analysed))) unlike++;
        }
        assert_int_equal(sqlite3_reset(s), SQLITE_OK);
        free(match);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return unlike;
}

/* Runs statements on the archive with the khabar functions registered. */
static void sql_khabar(const char *path, const char *statements)
{
    sqlite3 *db = open_with_khabar(path);
    assert_int_equal(sqlite3_exec(db, statements, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* One integer from an SQL statement on the archive (the khabar functions
 * registered). */
static long long sql_int(const char *path, const char *statement)
{
    sqlite3 *db = open_with_khabar(path);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, statement, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* The search results of every query, as JSON, one after another. */
static char *results_of(khabar_archive *ar)
{
    size_t len = 0;
    char *all = calloc(1, 1);
    for (const char *const *q = offsets_queries; *q; q++) {
        khabar_results *r = find(ar, *q);
        const char *json = khabar_results_json(r, NULL);
        assert_non_null(json);
        size_t n = strlen(json);
        all = realloc(all, len + n + 2);
        assert_non_null(all);
        memcpy(all + len, json, n);
        all[len + n] = '\n';
        all[len += n + 1] = '\0';
        khabar_results_free(r);
    }
    return all;
}

/* Schema 5 stores each article's words' offsets, so that a search marks
 * its hits without analysing their texts: the stored offsets are those a
 * fresh analysis gives (made from the doc's tokens as the article is
 * stored, the title apart or the text's first line), marks from them are
 * the marks of the analysis, and a search gives the same hits, snippets
 * and marks with them or without them.  The upgrade from schema 4 makes
 * them. */
static void stored_offsets_mark_as_analysis(void **state)
{
    (void)state;
    const char *path = path_of("offsets.db");
    khabar_archive *ar = three_articles("offsets.db");
    size_t len;
    char *text = read_source_file("examples/article.txt", &len);
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, text, len, NULL, &d, NULL), KHABAR_OK);
    const khabar_span *title = khabar_doc_title(d);
    khabar_article a = {"seed", 4, title->text, title->text_len, "2021-09-20", 10, text, len, NULL, 0, NULL, 0};
    assert_int_equal(khabar_archive_add(ar, &a, d, NULL), KHABAR_OK); /* the title is the text's first line */
    khabar_doc_free(d);
    free(text);
    add_jsonl(ar, "tests/archive/ant-linking.jsonl");
    add(ar, "empty", "بلا كلمات", NULL, "…!");
    char *before = results_of(ar);
    khabar_archive_close(ar);

    /* every article with words has its offsets, those of a fresh analysis */
    long long articles = sql_int(path, "SELECT count(*) FROM articles");
    assert_int_equal(articles, 3 + 1 + 11 + 1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM article_tokens"), articles - 1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM articles a JOIN article_tokens t ON t.article = a.key"
                                   " WHERE t.offsets IS NOT khabar_offsets(a.text)"),
                     0);
    /* about two bytes a word */
    assert_true(sql_int(path, "SELECT sum(length(offsets)) FROM article_tokens") <
                sql_int(path, "SELECT sum(length(text)) FROM articles") / 3);
    int marked;
    assert_int_equal(marks_unlike_analysis(path, &marked), 0);
    assert_true(marked >= 20);

    /* the stored offsets are what marks read: shifted by a byte, every
     * mark moves; cut short, they are not this text's and it is analysed */
    sql_khabar(path, "CREATE TABLE kept AS SELECT * FROM article_tokens;"
                     "UPDATE article_tokens SET offsets = khabar_offsets(' ' ||"
                     " (SELECT text FROM articles WHERE key = article))");
    assert_int_equal(marks_unlike_analysis(path, &marked), marked);
    sql(path, "UPDATE article_tokens SET offsets = substr(offsets, 1, 2)");
    assert_int_equal(marks_unlike_analysis(path, &marked), 0);
    sql(path, "DELETE FROM article_tokens; INSERT INTO article_tokens SELECT * FROM kept; DROP TABLE kept;");

    /* schema 4 had none: the upgrade makes them; then the same results */
    ar = downgraded_then_opened("offsets.db", "PRAGMA user_version = 4", "schema 4");
    khabar_archive_stats stats;
    assert_int_equal(khabar_archive_stats_get(ar, &stats, NULL), KHABAR_OK);
    assert_int_equal(stats.schema, KHABAR_ARCHIVE_SCHEMA);
    char *after = results_of(ar);
    assert_string_equal(after, before);
    free(after);
    khabar_archive_close(ar);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM articles a JOIN article_tokens t ON t.article = a.key"
                                   " WHERE t.offsets IS khabar_offsets(a.text)"),
                     articles - 1);
    assert_int_equal(marks_unlike_analysis(path, &marked), 0);

    /* without them (a text changed by hand), the text is analysed: the same */
    sql(path, "DELETE FROM article_tokens");
    assert_int_equal(khabar_archive_open(path, 0, &ar, NULL), KHABAR_OK);
    after = results_of(ar);
    assert_string_equal(after, before);
    free(after);
    free(before);
    /* replaced or deleted, an article's offsets go with it */
    add(ar, "a1", NULL, NULL, text3);
    assert_int_equal(khabar_archive_delete(ar, "a2", 2, NULL, NULL), KHABAR_OK);
    khabar_archive_close(ar);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM article_tokens"), 1);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM article_tokens t JOIN articles a ON a.key = t.article"
                                   " WHERE a.id = 'a1' AND t.offsets = khabar_offsets(a.text)"),
                     1);
    sql(path, "UPDATE articles SET date = '2024-01-01' WHERE id = 'a1'"); /* not its text: they stay */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM article_tokens"), 1);
    sql_khabar(path, "UPDATE articles SET text = 'نص آخر' WHERE id = 'a1'");
    assert_int_equal(sql_int(path, "SELECT count(*) FROM article_tokens"), 0);
}

/* The hits' scores of `query`, joined by spaces. */
static const char *scores(khabar_archive *ar, const char *query)
{
    static char out[2048];
    khabar_results *r = find(ar, query);
    out[0] = '\0';
    for (size_t i = 0; i < khabar_results_hit_count(r); i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s=%.9g", i ? " " : "", khabar_results_hit(r, i)->id,
                 khabar_results_hit(r, i)->score);
    khabar_results_free(r);
    return out;
}

static void assert_scores_as_fresh(khabar_archive *ar, const char *path, const char *query)
{
    khabar_archive *fresh;
    assert_int_equal(khabar_archive_open(path, KHABAR_ARCHIVE_READONLY, &fresh, NULL), KHABAR_OK);
    char want[512];
    snprintf(want, sizeof want, "%s", scores(fresh, query));
    khabar_archive_close(fresh);
    assert_string_equal(scores(ar, query), want);
}

/* The scores of `query` by khabar_rank on a connection of its own with no
 * kept sizes or counts (as the loadable extension ranks), by rowid order of
 * the hits as the archive gives them. */
static const char *uncached_scores(const char *path, const char *query)
{
    static char out[2048];
    out[0] = '\0';
    sqlite3 *db = open_with_khabar(path);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT a.id, -f.rank FROM articles_fts f JOIN articles a ON a.key = f.rowid"
                                        " WHERE articles_fts MATCH ?1 AND f.rank MATCH 'khabar_rank(3.0, 1.0)'"
                                        " ORDER BY f.rank LIMIT 10",
                                        -1, &s, NULL),
                     SQLITE_OK);
    char *match = khabar_archive_fts5_query(query, strlen(query), NULL);
    assert_non_null(match);
    sqlite3_bind_text(s, 1, match, -1, SQLITE_TRANSIENT);
    for (int i = 0; sqlite3_step(s) == SQLITE_ROW; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s=%.9g", i ? " " : "", sqlite3_column_text(s, 0),
                 sqlite3_column_double(s, 1));
    free(match);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

/* khabar_rank on the archive's connection keeps the rows' sizes and the
 * phrases' document counts (by the terms the tokenizer gave the query's
 * phrases): its scores are those of a ranking that keeps nothing, for
 * queries that share words in other places and forms, asked again. */
static void rank_caches_agree_with_fts5(void **state)
{
    (void)state;
    const char *path = path_of("ranks.db");
    khabar_archive *ar = three_articles("ranks.db");
    add_jsonl(ar, "tests/archive/ant-linking.jsonl");
    static const char *const queries[] = {
        "الرياض", "الرياض OR جنيف", "جنيف الخارجية", "\"وزير الخارجية\" -جنيف", "كتا* الرياض", "=الكتاب OR الرياض",
        "الخارجية الرياض", "رئيس الجمهورية", "\"رئيس الجمهورية\" OR السبسي", "الجمهورية رئيس", "(تونس OR ليبيا) -ترامب",
        "قايد السبسي ترامب", "السبسي OR قائد OR قايد", "ترامب", "% OR تونس", "تونس \"%\" قضية", NULL};
    for (int round = 0; round < 2; round++)
        for (const char *const *q = queries; *q; q++) {
            char want[2048];
            snprintf(want, sizeof want, "%s", uncached_scores(path, *q));
            const char *got = scores(ar, *q);
            if (strcmp(got, want)) fail_msg("'%s': %s, not %s", *q, got, want);
        }
    khabar_archive_close(ar);
}

/* The JSON of each stored article, "id\tjson\n" in key order. */
static char *analyses_of(khabar_archive *ar, const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *ids;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM articles ORDER BY key", -1, &ids, NULL), SQLITE_OK);
    char *all = calloc(1, 1);
    size_t len = 0;
    while (sqlite3_step(ids) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(ids, 0);
        khabar_stored_article *got;
        assert_int_equal(khabar_archive_get(ar, id, strlen(id), &got, NULL), KHABAR_OK);
        const khabar_article *a = khabar_stored_article_fields(got);
        assert_null(a->packed);
        assert_int_equal(strlen(a->analysis), a->analysis_len);
        all = realloc(all, len + strlen(id) + a->analysis_len + 3);
        len += (size_t)sprintf(all + len, "%s\t%s\n", id, a->analysis);
        khabar_stored_article_free(got);
    }
    sqlite3_finalize(ids);
    sqlite3_close(db);
    return all;
}

typedef struct packing {
    const char *json;
    size_t len;
    void *packed;
    size_t packed_len;
    khabar_status st;
} packing;

static void *pack_on_a_thread(void *arg)
{
    packing *p = arg;
    p->st = khabar_archive_pack(p->json, p->len, &p->packed, &p->packed_len, NULL);
    return NULL;
}

/* khabar_archive_pack keeps a compression context per thread, used again
 * by the thread's next calls: a JSON packed after another one packs to the
 * same bytes as it does the first time, on this thread or on another (its
 * context freed when it ends, which LeakSanitizer checks). */
static void packing_is_the_same_on_any_call(void **state)
{
    (void)state;
    khabar_options o = {0};
    khabar_doc *d1 = NULL, *d2 = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, text2, strlen(text2), &o, &d1, NULL), KHABAR_OK);
    assert_int_equal(khabar_analyze(test_analyzer, text3, strlen(text3), &o, &d2, NULL), KHABAR_OK);
    size_t len1, len2;
    const char *json1 = khabar_doc_json(d1, 0, &len1), *json2 = khabar_doc_json(d2, 0, &len2);
    packing first = {json1, len1, NULL, 0, KHABAR_OK}, other = {json2, len2, NULL, 0, KHABAR_OK},
            again = first, elsewhere = first;
    pack_on_a_thread(&first);
    pack_on_a_thread(&other);
    pack_on_a_thread(&again);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, pack_on_a_thread, &elsewhere), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(first.st | other.st | again.st | elsewhere.st, KHABAR_OK);
    assert_true(first.packed_len < len1 && other.packed_len < len2);
    assert_int_equal(again.packed_len, first.packed_len);
    assert_memory_equal(again.packed, first.packed, first.packed_len);
    assert_int_equal(elsewhere.packed_len, first.packed_len);
    assert_memory_equal(elsewhere.packed, first.packed, first.packed_len);
    /* and what was packed after another reads back as its own JSON */
    khabar_archive *ar = three_articles("packing.db");
    khabar_article a = {"after", 5, NULL, 0, NULL, 0, text2, strlen(text2), NULL, 0, again.packed, again.packed_len};
    assert_int_equal(khabar_archive_add(ar, &a, d1, NULL), KHABAR_OK);
    khabar_stored_article *got;
    assert_int_equal(khabar_archive_get(ar, "after", 5, &got, NULL), KHABAR_OK);
    assert_non_null(got);
    assert_int_equal(khabar_stored_article_fields(got)->analysis_len, len1);
    assert_memory_equal(khabar_stored_article_fields(got)->analysis, json1, len1);
    khabar_stored_article_free(got);
    khabar_archive_close(ar);
    khabar_archive_packed_free(first.packed);
    khabar_archive_packed_free(other.packed);
    khabar_archive_packed_free(again.packed);
    khabar_archive_packed_free(elsewhere.packed);
    khabar_doc_free(d1);
    khabar_doc_free(d2);
}

/* Schema 6 keeps the analysis packed (a fifth of the JSON's size) and
 * gives the JSON back; the upgrade from 5 packs what was stored as text,
 * the same JSON read back; a damaged one is an error, never a crash; a
 * caller's own packing (khabar_archive_pack) is stored as is. */
static void analyses_are_packed(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s", path_of("packed.db"));
    khabar_archive *ar = three_articles("packed.db");
    add(ar, "seed", NULL, "2021-09-20", text3);
    char *before = analyses_of(ar, path);
    khabar_archive_close(ar);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM articles WHERE typeof(analysis) = 'blob'"), 4);
    long long tokens = sql_int(path, "SELECT count(*) FROM article_tokens");

    unpack_analyses(path);
    long long json_bytes = sql_int(path, "SELECT sum(length(CAST(analysis AS BLOB))) FROM articles");
    sql(path, "PRAGMA user_version = 5");
    open_refuses(path, KHABAR_ARCHIVE_READONLY, KHABAR_ERROR_FORMAT, "schema 5");
    assert_int_equal(khabar_archive_open(path, 0, &ar, NULL), KHABAR_OK);
    char *after = analyses_of(ar, path);
    assert_string_equal(after, before);
    free(after);
    khabar_archive_stats stats;
    assert_int_equal(khabar_archive_stats_get(ar, &stats, NULL), KHABAR_OK);
    assert_int_equal(stats.schema, KHABAR_ARCHIVE_SCHEMA);
    khabar_archive_close(ar);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM articles WHERE typeof(analysis) = 'blob'"), 4);
    assert_true(sql_int(path, "SELECT sum(length(analysis)) FROM articles") * 2 < json_bytes);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM article_tokens"), tokens); /* schema 5's, kept */

    /* packed by the caller: stored as is, read back as the JSON */
    assert_int_equal(khabar_archive_open(path, 0, &ar, NULL), KHABAR_OK);
    khabar_options o = {0};
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, text2, strlen(text2), &o, &d, NULL), KHABAR_OK);
    size_t json_len, packed_len;
    const char *json = khabar_doc_json(d, 0, &json_len);
    void *packed;
    assert_int_equal(khabar_archive_pack(json, json_len, &packed, &packed_len, NULL), KHABAR_OK);
    assert_true(packed_len < json_len);
    khabar_article a = {"own", 3, NULL, 0, NULL, 0, text2, strlen(text2), NULL, 0, packed, packed_len};
    assert_int_equal(khabar_archive_add(ar, &a, d, NULL), KHABAR_OK);
    khabar_stored_article *got;
    assert_int_equal(khabar_archive_get(ar, "own", 3, &got, NULL), KHABAR_OK);
    assert_int_equal(khabar_stored_article_fields(got)->analysis_len, json_len);
    assert_memory_equal(khabar_stored_article_fields(got)->analysis, json, json_len);
    khabar_stored_article_free(got);
    /* what khabar_archive_pack did not make is refused, the batch as it was */
    khabar_error err;
    a.id = "bad";
    a.packed = "{\"not\": \"packed\"}";
    a.packed_len = 16;
    assert_int_equal(khabar_archive_add(ar, &a, d, &err), KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_archive_get(ar, "bad", 3, &got, NULL), KHABAR_OK);
    assert_null(got);
    assert_int_equal(khabar_archive_pack(NULL, 3, &packed, &packed_len, &err), KHABAR_ERROR_ARGUMENT);
    khabar_archive_packed_free(packed);
    khabar_archive_packed_free(NULL);
    khabar_doc_free(d);
    khabar_archive_close(ar);

    /* damaged: cut short, or not packed at all */
    sql(path, "UPDATE articles SET analysis = substr(analysis, 1, length(analysis) - 4) WHERE id = 'a2';"
              "UPDATE articles SET analysis = x'00010203' WHERE id = 'a3'");
    assert_int_equal(khabar_archive_open(path, KHABAR_ARCHIVE_READONLY, &ar, NULL), KHABAR_OK);
    got = (khabar_stored_article *)1;
    assert_int_equal(khabar_archive_get(ar, "a2", 2, &got, &err), KHABAR_ERROR_FORMAT);
    assert_null(got);
    if (!strstr(err.message, "a2")) fail_msg("'%s' does not name the article", err.message);
    assert_int_equal(khabar_archive_get(ar, "a3", 2, &got, &err), KHABAR_ERROR_FORMAT);
    assert_int_equal(khabar_archive_get(ar, "a1", 2, &got, NULL), KHABAR_OK);
    assert_non_null(got);
    khabar_stored_article_free(got);
    khabar_archive_close(ar);
    free(before);
}

/* khabar_rank keeps the sizes of the rows it ranked, by rowid: a row
 * replaced since (its key used again, by another connection or this one,
 * committed or not) is ranked by its new sizes. */
static void rank_sizes_follow_writes(void **state)
{
    (void)state;
    const char *path = path_of("sizes.db");
    khabar_archive *ar = three_articles("sizes.db"), *other;
    add(ar, "long", NULL, NULL, "الرياض مدينة كبيرة وفيها وزارة الخارجية ووزارة الثقافة ومكتبات ومدارس كثيرة جداً.");
    assert_scores_as_fresh(ar, path, "الرياض");
    assert_int_equal(khabar_archive_open(path, 0, &other, NULL), KHABAR_OK);
    /* the last key deleted and used again, by another connection */
    assert_int_equal(khabar_archive_delete(other, "long", 4, NULL, NULL), KHABAR_OK);
    add(other, "short", NULL, NULL, "الرياض اليوم.");
    assert_scores_as_fresh(ar, path, "الرياض");
    /* and by this one, in a batch not yet committed, then committed */
    assert_int_equal(khabar_archive_begin(ar, NULL), KHABAR_OK);
    assert_int_equal(khabar_archive_delete(ar, "short", 5, NULL, NULL), KHABAR_OK);
    add(ar, "longer", NULL, NULL, "في الرياض وجدة والدمام أخبار كثيرة عن الكتاب والثقافة والخارجية والاقتصاد اليوم.");
    add(ar, "short", NULL, NULL, "الرياض اليوم.");
    assert_non_null(scores(ar, "الرياض")); /* ranked (and kept) inside the batch */
    assert_int_equal(khabar_archive_commit(ar, NULL), KHABAR_OK);
    assert_scores_as_fresh(ar, path, "الرياض");
    khabar_archive_close(other);
    khabar_archive_close(ar);
}

/* An entity's spellings are shown as written, one for each normalised
 * form, the most written first; an archive upgraded from schema 6 shows
 * the normalised form of what it stored until the article is indexed
 * again. */
static void spellings_as_written(void **state)
{
    (void)state;
    khabar_archive *ar = new_archive("written.db");
    add(ar, "w1", NULL, "2024-03-01", "قال متحدث باسم الأمم المتحدة إن الأمم المتحدة سترسل وفدا.");
    add(ar, "w2", NULL, "2024-03-02", "وصل وفد الامم المتحده إلى جنيف.");
    khabar_entity_list *l = NULL;
    assert_int_equal(khabar_archive_entity(ar, "الأمم المتحدة", NULL, &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_entity_list_count(l), 1);
    const khabar_entity_stat *un = khabar_entity_list_at(l, 0);
    assert_int_equal(un->variant_count, 1);
    assert_string_equal(un->variants[0], "الأمم المتحدة"); /* 2 mentions, against 1 as الامم المتحده */
    assert_int_equal(un->variant_mentions[0], 3);
    khabar_entity_list_free(l);
    khabar_archive_close(ar);

    const char *path = path_of("written.db");
    long long rows;
    assert_int_equal(fts_check(path, "ALTER TABLE article_spellings DROP COLUMN written; PRAGMA user_version = 6", &rows),
                     SQLITE_OK);
    open_refuses(path, KHABAR_ARCHIVE_READONLY, KHABAR_ERROR_FORMAT, "schema 6");
    assert_int_equal(khabar_archive_open(path, 0, &ar, NULL), KHABAR_OK);
    assert_int_equal(khabar_archive_entity(ar, "الأمم المتحدة", NULL, &l, NULL), KHABAR_OK);
    assert_string_equal(khabar_entity_list_at(l, 0)->variants[0], "الامم المتحده");
    khabar_entity_list_free(l);
    add(ar, "w2", NULL, "2024-03-02", "وصل وفد الأمم المتحدة إلى جنيف."); /* indexed again */
    assert_int_equal(khabar_archive_entity(ar, "الامم المتحده", NULL, &l, NULL), KHABAR_OK);
    assert_string_equal(khabar_entity_list_at(l, 0)->variants[0], "الأمم المتحدة");
    khabar_entity_list_free(l);
    khabar_archive_stats stats;
    assert_int_equal(khabar_archive_stats_get(ar, &stats, NULL), KHABAR_OK);
    assert_int_equal(stats.schema, KHABAR_ARCHIVE_SCHEMA);
    khabar_archive_close(ar);
}

/* Entities across the archive: the most named, and one in any spelling. */
static void entities_across_articles(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("entities.db");
    add(ar, "a4", "الرياض", "2024-02-03", "استضافت الرياض وفد الأمم المتحدة.");
    khabar_entity_query q = {0};
    q.type = "LOC";
    khabar_entity_list *l = NULL;
    assert_int_equal(khabar_archive_entities(ar, &q, &l, NULL), KHABAR_OK);
    assert_true(khabar_entity_list_count(l) >= 2);
    const khabar_entity_stat *top = khabar_entity_list_at(l, 0);
    assert_string_equal(top->name, "الرياض");
    assert_string_equal(top->type, "LOC");
    assert_int_equal(top->articles, 3);
    assert_string_equal(top->first_seen, "2024-01-10");
    assert_string_equal(top->last_seen, "2024-02-03");
    assert_null(top->days); /* details only from khabar_archive_entity */
    assert_null(khabar_entity_list_at(l, khabar_entity_list_count(l)));
    khabar_entity_list_free(l);
    /* a period: February only */
    q.from = "2024-02-01";
    assert_int_equal(khabar_archive_entities(ar, &q, &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_entity_list_at(l, 0)->articles, 1);
    khabar_entity_list_free(l);

    /* one entity, written without hamza and with ه for ة */
    assert_int_equal(khabar_archive_entity(ar, "الامم المتحده", NULL, &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_entity_list_count(l), 1);
    const khabar_entity_stat *un = khabar_entity_list_at(l, 0);
    assert_string_equal(un->name, "الأمم المتحدة");
    assert_int_equal(un->articles, 2);
    assert_int_equal(un->day_count, 2);
    assert_string_equal(un->days[0].date, "2024-02-01");
    assert_true(un->variant_count >= 1);
    int riyadh = 0;
    for (size_t i = 0; i < un->with_count; i++)
        if (!strcmp(un->with[i].name, "الرياض")) riyadh = (int)un->with[i].articles;
    assert_int_equal(riyadh, 1);
    const char *json = khabar_entity_list_json(l, NULL);
    assert_non_null(strstr(json, "\"days\":[{\"date\":\"2024-02-01\",\"mentions\":1}"));
    khabar_entity_list_free(l);
    assert_int_equal(khabar_archive_entity(ar, "الامم المتحده", "PER", &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_entity_list_count(l), 0);
    khabar_entity_list_free(l);
    khabar_error err;
    assert_int_equal(khabar_archive_entity(ar, "x", "PERSON", &l, &err), KHABAR_ERROR_ARGUMENT);
    q.from = "2024";
    assert_int_equal(khabar_archive_entities(ar, &q, &l, &err), KHABAR_ERROR_ARGUMENT);
    khabar_entity_list_free(NULL);
    khabar_archive_close(ar);
}


/* n invented words, distinct for each `part` ("جملة" + a number), as a
 * sentence: texts made of parts share exactly the shingles of the parts
 * they share (and a few across the joins). */
static void part(char *out, size_t cap, int which, int n)
{
    size_t len = strlen(out);
    for (int i = 0; i < n && len + 32 < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "كلمة%d ", which * 1000 + i);
    snprintf(out + len, cap - len, ". ");
}

static char *parts(int a, int b, int c)
{
    static char texts[4][8192];
    static int next;
    char *t = texts[next++ % 4];
    t[0] = '\0';
    int which[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (which[i]) part(t, 8192, which[i], 60);
    return t;
}

static const char *story_ids(khabar_archive *ar)
{
    static char out[256];
    out[0] = '\0';
    khabar_story_query q = {0};
    khabar_story_list *l = NULL;
    khabar_error err;
    if (khabar_archive_stories(ar, &q, &l, &err)) fail_msg("stories: %s", err.message);
    for (size_t i = 0; i < khabar_story_list_count(l); i++) {
        const khabar_story *s = khabar_story_list_at(l, i);
        assert_int_equal(s->size, s->article_count);
        if (i) strcat(out, " | ");
        for (size_t k = 0; k < s->article_count; k++) {
            if (k) strcat(out, " ");
            strcat(out, s->articles[k].id);
        }
    }
    khabar_story_list_free(l);
    return out;
}

static void assert_stories(khabar_archive *ar, const char *want)
{
    const char *got = story_ids(ar);
    if (strcmp(got, want)) fail_msg("stories '%s', not '%s'", got, want);
}

/* Stories kept up to date: an article like two stories merges them, its
 * deletion splits them again, a replaced article moves. */
static void stories(void **state)
{
    (void)state;
    khabar_archive *ar;
    assert_int_equal(khabar_archive_open(path_of("stories.db"), KHABAR_ARCHIVE_CREATE, &ar, NULL), KHABAR_OK);
    add(ar, "pq", NULL, "2024-03-01", parts(1, 2, 0));
    add(ar, "qr", NULL, "2024-03-02", parts(2, 3, 0));   /* a third in common with pq */
    add(ar, "st", NULL, "2024-03-02", parts(4, 5, 0));
    assert_stories(ar, "");
    add(ar, "pqr", NULL, "2024-03-03", parts(1, 2, 3));  /* two thirds of each */
    assert_stories(ar, "pq qr pqr");
    add(ar, "st2", NULL, "2024-02-28", parts(4, 5, 0));  /* a copy, dated earlier: first */
    assert_stories(ar, "pq qr pqr | st2 st");
    khabar_archive_stats stats;
    assert_int_equal(khabar_archive_stats_get(ar, &stats, NULL), KHABAR_OK);
    assert_int_equal(stats.stories, 2);

    khabar_story_query q = {0};
    khabar_story_list *l = NULL;
    q.from = "2024-03-01";
    assert_int_equal(khabar_archive_stories(ar, &q, &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_story_list_count(l), 1); /* st2 is outside the period */
    const khabar_story *s = khabar_story_list_at(l, 0);
    assert_string_equal(s->first_date, "2024-03-01");
    assert_string_equal(s->last_date, "2024-03-03");
    assert_true(s->similarity >= 0.5 && s->similarity < 0.8);
    assert_int_equal(s->near_duplicates, 0);
    const char *json = khabar_story_list_json(l, NULL);
    assert_non_null(strstr(json, "\"size\":3,\"first\":\"pq\""));
    khabar_story_list_free(l);
    q.from = "2024-3-1";
    khabar_error err;
    assert_int_equal(khabar_archive_stories(ar, &q, &l, &err), KHABAR_ERROR_ARGUMENT);

    /* the stories of given articles: st's alone, then both, then none */
    khabar_story_query by = {0};
    const char *one[] = {"st"}, *two[] = {"nothing", "qr", "st2"}, *none[] = {"nothing"}, *bad[] = {"\xff"};
    by.articles = one;
    by.article_count = 1;
    assert_int_equal(khabar_archive_stories(ar, &by, &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_story_list_count(l), 1);
    assert_string_equal(khabar_story_list_at(l, 0)->articles[0].id, "st2");
    assert_int_equal(khabar_story_list_at(l, 0)->size, 2);
    khabar_story_list_free(l);
    by.articles = two;
    by.article_count = 3;
    assert_int_equal(khabar_archive_stories(ar, &by, &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_story_list_count(l), 2);
    khabar_story_list_free(l);
    by.articles = none;
    by.article_count = 1;
    assert_int_equal(khabar_archive_stories(ar, &by, &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_story_list_count(l), 0);
    khabar_story_list_free(l);
    by.articles = bad;
    assert_int_equal(khabar_archive_stories(ar, &by, &l, &err), KHABAR_ERROR_ARGUMENT);
    assert_null(l);

    /* one hit per story: the best of each */
    khabar_query sq = {0};
    char word[32];
    snprintf(word, sizeof word, "كلمة%d", 2005);
    sq.text = word;
    khabar_results *r = search(ar, &sq);
    assert_int_equal(khabar_results_hit_count(r), 3);
    khabar_results_free(r);
    sq.flags = KHABAR_QUERY_COLLAPSE;
    r = search(ar, &sq);
    assert_int_equal(khabar_results_hit_count(r), 1);
    khabar_results_free(r);
    sq.text = NULL;
    sq.limit = 2;
    r = search(ar, &sq);                        /* newest first, one a story */
    assert_string_equal(ids(r), "pqr st");
    khabar_results_free(r);
    sq.offset = 1;
    r = search(ar, &sq);
    assert_string_equal(ids(r), "st");
    khabar_results_free(r);

    int found;
    assert_int_equal(khabar_archive_delete(ar, "pqr", 3, &found, NULL), KHABAR_OK);
    assert_stories(ar, "st2 st");
    add(ar, "pqr", NULL, "2024-03-03", parts(1, 2, 3));
    assert_stories(ar, "pq qr pqr | st2 st");
    assert_int_equal(khabar_archive_delete(ar, "pq", 2, &found, NULL), KHABAR_OK);
    assert_stories(ar, "qr pqr | st2 st");
    add(ar, "st", NULL, "2024-03-02", parts(6, 0, 0));   /* replaced by another story */
    assert_stories(ar, "qr pqr");
    khabar_archive_close(ar);

    /* schema 1 had no stories: opened for writing, it is upgraded */
    ar = downgraded_then_opened("stories.db",
        "DROP TABLE article_stories; DROP TABLE story_bands; DROP TABLE story_links;"
        "DROP TABLE article_spellings; DROP TABLE article_quotes;"
        "DROP TRIGGER articles_delete_story; DROP TABLE entity_keys; DROP TABLE story_terms;"
        "DROP INDEX entity_names_entity; DROP TRIGGER articles_delete_terms;"
        "PRAGMA user_version = 1", "schema 1");
    assert_stories(ar, "qr pqr");
    assert_int_equal(khabar_archive_stats_get(ar, &stats, NULL), KHABAR_OK);
    assert_int_equal(stats.schema, KHABAR_ARCHIVE_SCHEMA);
    khabar_archive_close(ar);
}

/* One person, one entity across articles, by the rules that link the
 * mentions of one article: a longer form of the name with its lineage, a
 * family name alone (to the person with most articles); never two people
 * who share a family name. */
static void entities_linked_across_articles(void **state)
{
    (void)state;
    khabar_archive *ar;
    assert_int_equal(khabar_archive_open(path_of("linked.db"), KHABAR_ARCHIVE_CREATE, &ar, NULL), KHABAR_OK);
    add(ar, "h1", NULL, "2024-06-01",
        "قالت وزيرة الخارجية الأمريكية السابقة هيلاري كلينتون إنها ستخوض الانتخابات. وأضافت كلينتون أن"
        " حملتها تبدأ في نيويورك.");
    add(ar, "h2", NULL, "2024-06-02", "التقت هيلاري كلينتون أنصارها في ولاية أيوا. وقالت كلينتون إن الاقتصاد أولويتها.");
    add(ar, "b1", NULL, "2024-06-03",
        "ألقى الرئيس الأمريكي الأسبق بيل كلينتون محاضرة في جامعة هارفارد. وتحدث كلينتون عن السلام.");
    add(ar, "k1", NULL, "2024-06-04", "انتقد كلينتون في خطابه سياسات خصومه في الحزب الجمهوري.");
    add(ar, "m1", NULL, "2024-06-05", "استقبل ولي العهد الأمير محمد بن سلمان وزير الدفاع البريطاني في الرياض.");
    add(ar, "m2", NULL, "2024-06-06",
        "بحث الأمير محمد بن سلمان بن عبد العزيز مع الرئيس الفرنسي العلاقات الثنائية في باريس.");
    khabar_entity_list *l = NULL;
    assert_int_equal(khabar_archive_entity(ar, "كلينتون", NULL, &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_entity_list_count(l), 2);
    assert_string_equal(khabar_entity_list_at(l, 0)->name, "هيلاري كلينتون");
    assert_int_equal(khabar_entity_list_at(l, 0)->articles, 3); /* k1's كلينتون: the one with most */
    assert_string_equal(khabar_entity_list_at(l, 1)->name, "بيل كلينتون");
    assert_int_equal(khabar_entity_list_at(l, 1)->articles, 1);
    khabar_entity_list_free(l);
    const char *names[2] = {"محمد بن سلمان", "محمد بن سلمان بن عبد العزيز"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(khabar_archive_entity(ar, names[i], "PER", &l, NULL), KHABAR_OK);
        assert_int_equal(khabar_entity_list_count(l), 1);
        const khabar_entity_stat *e = khabar_entity_list_at(l, 0);
        assert_string_equal(e->name, "محمد بن سلمان بن عبد العزيز"); /* the fullest form */
        assert_int_equal(e->articles, 2);
        assert_int_equal(e->variant_count, 2);
        khabar_entity_list_free(l);
    }
    khabar_query q = {0};
    const char *with[1] = {"محمد بن سلمان"};
    q.entities = with;
    q.entity_count = 1;
    khabar_results *r = search(ar, &q);
    assert_int_equal(khabar_results_total(r), 2);
    khabar_results_free(r);
    khabar_archive_close(ar);
}

static const char *quake =
    "ضرب زلزال بقوة ست درجات مدينة أزمير التركية فجر اليوم، وأعلنت إدارة الكوارث التركية سقوط عشرة"
    " قتلى. وقال وزير الداخلية سليمان صويلو إن فرق الإنقاذ تبحث عن ناجين تحت الأنقاض في أزمير.";

/* Articles that tell one event in their own words are one story: shared
 * entities and tags, dates a day apart; a third naming one of the same
 * people on another matter is not. */
static void same_event_stories(void **state)
{
    (void)state;
    khabar_archive *ar;
    assert_int_equal(khabar_archive_open(path_of("events.db"), KHABAR_ARCHIVE_CREATE, &ar, NULL), KHABAR_OK);
    add(ar, "e1", NULL, "2024-07-01", quake);
    add(ar, "e3", NULL, "2024-07-02",
        "افتتح وزير الداخلية سليمان صويلو مركزا جديدا للشرطة في أنقرة، وقال إن الأمن أولوية الحكومة.");
    assert_stories(ar, "");
    add(ar, "e2", NULL, "2024-07-02",
        "ارتفعت حصيلة ضحايا الزلزال الذي هز أزمير إلى خمسة عشر قتيلا. وأكد سليمان صويلو أن عمليات الإنقاذ"
        " مستمرة، فيما أرسلت إدارة الكوارث التركية مئات المسعفين إلى المدينة المنكوبة.");
    assert_stories(ar, "e1 e2");
    khabar_story_query sq = {0};
    khabar_story_list *l = NULL;
    assert_int_equal(khabar_archive_stories(ar, &sq, &l, NULL), KHABAR_OK);
    const khabar_story *s = khabar_story_list_at(l, 0);
    assert_int_equal(s->same_event_links, 1);
    assert_int_equal(s->near_duplicates, 0);
    assert_non_null(strstr(khabar_story_list_json(l, NULL), "\"same_event_links\":1"));
    khabar_story_list_free(l);
    int found;
    assert_int_equal(khabar_archive_delete(ar, "e1", 2, &found, NULL), KHABAR_OK);
    assert_stories(ar, "");
    add(ar, "e1", NULL, "2024-07-01", quake);
    assert_stories(ar, "e1 e2");
    khabar_archive_close(ar);

    /* schema 2 had neither: opened for writing, the events are linked */
    /* (its tables made again as they were: DROP COLUMN would parse the
     * FTS5 table, which needs the tokenizer) */
    ar = downgraded_then_opened("events.db",
        "DROP TABLE entity_keys; DROP TABLE story_terms; DROP INDEX entity_names_entity;"
        "DROP TRIGGER articles_delete_terms; DROP TABLE story_links;"
        "CREATE TABLE story_links(a INTEGER NOT NULL, b INTEGER NOT NULL, similarity REAL NOT NULL,"
        " PRIMARY KEY(a, b)) WITHOUT ROWID; CREATE INDEX story_links_b ON story_links(b, a);"
        "CREATE TEMP TABLE t AS SELECT article, article AS story, signature FROM article_stories;"
        "DROP TABLE article_stories; CREATE TABLE article_stories(article INTEGER PRIMARY KEY"
        " REFERENCES articles(key), story INTEGER NOT NULL, signature BLOB NOT NULL);"
        "INSERT INTO article_stories SELECT * FROM t; CREATE INDEX article_stories_story ON article_stories(story);"
        "PRAGMA user_version = 2", "schema 2");
    assert_stories(ar, "e1 e2");
    khabar_archive_stats stats;
    assert_int_equal(khabar_archive_stats_get(ar, &stats, NULL), KHABAR_OK);
    assert_int_equal(stats.schema, KHABAR_ARCHIVE_SCHEMA);
    khabar_archive_close(ar);
}

/* How many articles hold the stem of `word`, in the archive's table. */
static uint64_t df_of(const khabar_df *df, const char *word)
{
    char stem[256];
    size_t n;
    assert_int_equal(khabar_stem(test_analyzer, word, strlen(word), stem, sizeof stem, &n, NULL), KHABAR_OK);
    return khabar_df_count(df, stem, n);
}

static void document_frequencies(void **state)
{
    (void)state;
    khabar_archive *ar = three_articles("df.db");
    khabar_archive_close(ar);
    /* read-only, as analyze --db opens it */
    khabar_error err;
    assert_int_equal(khabar_archive_open(path_of("df.db"), KHABAR_ARCHIVE_READONLY, &ar, &err), KHABAR_OK);
    khabar_df *df = NULL;
    if (khabar_archive_df(ar, &df, &err)) fail_msg("df: %s", err.message);
    assert_int_equal(khabar_df_documents(df), 3);
    assert_int_equal(df_of(df, "الرياض"), 2);
    assert_int_equal(df_of(df, "والرياض"), 2); /* by stem: every form of the word */
    assert_int_equal(df_of(df, "الخارجية"), 2);
    assert_int_equal(df_of(df, "جنيف"), 1);    /* in a3's title and text: one article */
    assert_int_equal(df_of(df, "الكلور"), 0);
    assert_int_equal(khabar_df_count(df, "=الرياض", strlen("=الرياض")), 0); /* surface forms are not stems */
    khabar_df_free(df);
    /* made twice on one connection: the vocabulary table is reused */
    assert_int_equal(khabar_archive_df(ar, &df, NULL), KHABAR_OK);
    assert_int_equal(df_of(df, "الرياض"), 2);
    khabar_df_free(df);
    khabar_df_free(NULL);
    assert_int_equal(khabar_archive_df(NULL, &df, NULL), KHABAR_ERROR_ARGUMENT);
    khabar_archive_close(ar);
}

/* The facets' top ten, as SQL computes them on a second connection:
 * `hits` is an SQL condition on articles `a`.  Entities: "TYPE name=count"
 * of each type; tags: "tag=count", each norm in its smallest spelling. */
static char *facets_by_sql(const char *path, const char *hits)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static char out[8192];
    size_t n = 0;
    out[0] = '\0';
    const char *types[] = {"PER", "ORG", "LOC", "MISC"};
    char q[1024];
    for (int t = 0; t < 6; t++) {
        if (t == 5)
            snprintf(q, sizeof q,
                     "SELECT 'day ' || a.date, count(*) FROM articles a WHERE a.date IS NOT NULL AND (%s)"
                     " GROUP BY a.date ORDER BY a.date",
                     hits);
        else if (t < 4)
            snprintf(q, sizeof q,
                     "SELECT '%s ' || e.name, count(*) c FROM article_entities ae JOIN entities e ON e.id = ae.entity"
                     " JOIN articles a ON a.key = ae.article WHERE e.type = '%s' AND (%s)"
                     " GROUP BY ae.entity ORDER BY c DESC, e.name LIMIT 10",
                     types[t], types[t], hits);
        else
            snprintf(q, sizeof q,
                     "SELECT min(t.tag), count(*) c FROM article_tags t JOIN articles a ON a.key = t.article"
                     " WHERE (%s) GROUP BY t.norm ORDER BY c DESC, t.norm LIMIT 10",
                     hits);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW)
            n += (size_t)snprintf(out + n, sizeof out - n, "%s=%lld\n", (const char *)sqlite3_column_text(st, 0),
                                  sqlite3_column_int64(st, 1));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

static char *facets_of(const khabar_results *r)
{
    static char out[8192];
    size_t n = 0;
    out[0] = '\0';
    const khabar_facet_kind kinds[3] = {KHABAR_FACET_ENTITY, KHABAR_FACET_TAG, KHABAR_FACET_DAY};
    const char *prefix[3] = {NULL, "", "day "};
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < khabar_results_facet_count(r); i++) {
            const khabar_facet *f = khabar_results_facet(r, i);
            if (f->kind != kinds[pass]) continue;
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s%s=%lld\n", prefix[pass] ? prefix[pass] : f->type,
                                  prefix[pass] ? "" : " ", f->value, (long long)f->count);
        }
    return out;
}

static void assert_facets(khabar_archive *ar, const char *path, const char *from, const char *to, const char *hits)
{
    khabar_query q = {0};
    q.from = from;
    q.to = to;
    q.limit = 1;
    q.flags = KHABAR_QUERY_FACETS;
    khabar_results *r = search(ar, &q);
    const char *got = facets_of(r);
    assert_true(strlen(got) > 40);
    assert_string_equal(got, facets_by_sql(path, hits));
    khabar_results_free(r);
}

/* An entity id too large for the linker's copy in memory: the copy cannot
 * be built, the writer links through SQL, and every article still joins
 * the same entity. */
static void linker_without_its_copy(void **state)
{
    (void)state;
    const char *path = path_of("bigid.db");
    khabar_archive *ar;
    assert_int_equal(khabar_archive_open(path, KHABAR_ARCHIVE_CREATE, &ar, NULL), KHABAR_OK);
    add(ar, "first", NULL, "2020-01-01", "قال الرئيس الفرنسي إيمانويل ماكرون إن بلاده ستدعم الاتفاق.");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO entities(id, name, type) VALUES(60000000, 'بعيد', 'MISC')", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(khabar_archive_begin(ar, NULL), KHABAR_OK);
    char id[16];
    for (int i = 0; i < 80; i++) { /* past the articles after which a batch uses the copy */
        snprintf(id, sizeof id, "a%d", i);
        add(ar, id, NULL, "2020-01-02", "وأكد ماكرون في مؤتمر صحفي أن فرنسا ستواصل دعمها.");
    }
    assert_int_equal(khabar_archive_commit(ar, NULL), KHABAR_OK);
    khabar_entity_list *l = NULL;
    assert_int_equal(khabar_archive_entity(ar, "فرنسا", "LOC", &l, NULL), KHABAR_OK);
    assert_int_equal(khabar_entity_list_count(l), 1);
    assert_int_equal(khabar_entity_list_at(l, 0)->articles, 81);
    khabar_entity_list_free(l);
    khabar_archive_close(ar);
}

/* Adds the article of a JSON line {"id", "title", "date", "text"}. */
static void add_line(khabar_archive *ar, const char *line)
{
    json_t *o = json_loads(line, 0, NULL);
    assert_non_null(o);
    add(ar, json_string_value(json_object_get(o, "id")), json_string_value(json_object_get(o, "title")),
        json_string_value(json_object_get(o, "date")), json_string_value(json_object_get(o, "text")));
    json_decref(o);
}

/* Opens (making) the archive at `path` with the articles of
 * tests/archive/ant-linking.jsonl but the first, whose line is left in
 * *first; the lines' buffer is returned, for the caller to free. */
static char *open_with_articles(const char *path, khabar_archive **ar, char **first)
{
    assert_int_equal(khabar_archive_open(path, KHABAR_ARCHIVE_CREATE, ar, NULL), KHABAR_OK);
    size_t len;
    char *lines = read_source_file("tests/archive/ant-linking.jsonl", &len);
    char *save = NULL;
    *first = NULL;
    for (char *line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!*first) { *first = line; continue; }
        add_line(*ar, line);
    }
    return lines;
}

static khabar_archive_memory memory_of(khabar_archive *ar)
{
    khabar_archive_memory m = {0};
    assert_int_equal(khabar_archive_memory_get(ar, &m, NULL), KHABAR_OK);
    return m;
}

static size_t facets_memory(khabar_archive *ar)
{
    khabar_archive_memory m = memory_of(ar);
    return m.facets + m.facet_columns;
}

/* Searches with facets on `ar` (checked against SQL) until it counts with
 * a copy of the facet columns: at most `tries`. */
static int searches_until_copy(khabar_archive *ar, const char *path, int tries)
{
    for (int i = 1; i <= tries; i++) {
        assert_facets(ar, path, NULL, NULL, "1");
        if (memory_of(ar).facet_columns) return i;
    }
    return 0;
}

/* Archives open on one file share one copy of the facet columns while
 * their database is the one it was read from: a connection's first look
 * cannot tell, so the second reads one, then the first counts with it;
 * after a write through one of them, both count the new articles, and
 * share a new copy. */
static void connections_share_facet_columns(void **state)
{
    (void)state;
    const char *path = path_of("shared-facets.db");
    khabar_archive *a, *b;
    char *last, *lines = open_with_articles(path, &a, &last); /* last: added later, through b */
    assert_true(searches_until_copy(a, path, 5) > 0);
    khabar_archive_memory ma = memory_of(a);
    assert_int_equal(ma.facet_columns_users, 1);
    assert_int_equal(khabar_archive_open(path, 0, &b, NULL), KHABAR_OK);
    assert_true(searches_until_copy(b, path, 5) > 0);
    assert_int_equal(searches_until_copy(a, path, 1), 1); /* the first search, with b's copy */
    khabar_archive_memory mb = memory_of(b);
    assert_int_equal(mb.facet_columns, ma.facet_columns);
    assert_int_equal(mb.facet_columns_users, 2);
    assert_int_equal(memory_of(a).facet_columns_users, 2);
    add_line(b, last);
    assert_true(searches_until_copy(a, path, 5) > 0);
    assert_true(searches_until_copy(b, path, 5) > 0);
    assert_true(searches_until_copy(a, path, 5) > 0);
    assert_int_equal(memory_of(a).facet_columns_users, 2);
    assert_true(memory_of(a).facet_columns > ma.facet_columns); /* with the article b added */
    assert_int_equal(khabar_archive_release_memory(b, NULL), KHABAR_OK);
    assert_int_equal(memory_of(a).facet_columns_users, 1);
    assert_int_equal(memory_of(b).facet_columns, 0);
    khabar_archive_close(b);
    assert_facets(a, path, NULL, NULL, "1");
    khabar_archive_close(a);
    free(lines);
}

/* khabar_archive_release_memory frees the facet columns in memory and the
 * answers stay the same; the copy is read again at the next search with
 * facets (a connection that had one reads it at once, where a new
 * connection counts its first searches from the tables), and follows a
 * write made after the release. */
static void release_memory_keeps_answers(void **state)
{
    (void)state;
    const char *path = path_of("release.db");
    khabar_archive *ar;
    char *first, *lines = open_with_articles(path, &ar, &first);
    add_line(ar, first);
    free(lines);
    for (int i = 0; i < 3; i++) assert_facets(ar, path, NULL, NULL, "1");
    size_t with_copy = facets_memory(ar);
    assert_true(with_copy > 0);
    assert_int_equal(khabar_archive_release_memory(ar, NULL), KHABAR_OK);
    assert_int_equal(facets_memory(ar), 0);
    assert_facets(ar, path, NULL, NULL, "1");
    assert_true(memory_of(ar).facet_columns > 0); /* read at once (a new connection: at the second) */
    assert_facets(ar, path, "2017-01-01", "2017-03-01", "a.date BETWEEN '2017-01-01' AND '2017-03-01'");
    assert_int_equal(khabar_archive_release_memory(ar, NULL), KHABAR_OK);
    add(ar, "after", "بعد", "2016-11-22", "عاد الباجي قايد السبسي الى قرطاج.");
    for (int i = 0; i < 3; i++) assert_facets(ar, path, NULL, NULL, "1");
    khabar_error err;
    assert_int_equal(khabar_archive_release_memory(NULL, &err), KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_archive_memory_get(ar, NULL, &err), KHABAR_ERROR_ARGUMENT);
    khabar_archive_close(ar);
}

/* Facets counted in C (archive/facets.c) agree with SQL's GROUP BY on real
 * articles, ties ordered by name: counted from the tables (the first
 * search) and from the copy in memory (the next ones), after the archive
 * grows through this connection and through another. */
static void facets_agree_with_sql(void **state)
{
    (void)state;
    const char *path = path_of("facets.db");
    khabar_archive *ar;
    char *last, *lines = open_with_articles(path, &ar, &last); /* the first is added at the end */
    assert_facets(ar, path, NULL, NULL, "1");
    assert_facets(ar, path, "2017-01-01", "2017-03-01", "a.date BETWEEN '2017-01-01' AND '2017-03-01'");
    assert_facets(ar, path, NULL, NULL, "1");
    assert_facets(ar, path, "2017-01-01", "2017-03-01", "a.date BETWEEN '2017-01-01' AND '2017-03-01'");
    add(ar, "again", "مرة أخرى", "2016-11-22", "عاد الباجي قايد السبسي الى قرطاج.");
    assert_facets(ar, path, NULL, NULL, "1");
    assert_facets(ar, path, NULL, NULL, "1");
    assert_facets(ar, path, "2016-01-01", "2016-12-31", "a.date BETWEEN '2016-01-01' AND '2016-12-31'");
    khabar_archive *other;
    assert_int_equal(khabar_archive_open(path, 0, &other, NULL), KHABAR_OK);
    add_line(other, last);
    khabar_archive_close(other);
    for (int i = 0; i < 3; i++) {
        assert_facets(ar, path, NULL, NULL, "1");
        assert_facets(ar, path, "2016-01-01", "2016-12-31", "a.date BETWEEN '2016-01-01' AND '2016-12-31'");
    }
    /* no hits: no facets, whatever the searches before counted */
    khabar_query q = {0};
    q.text = "زنجبيلستان";
    q.flags = KHABAR_QUERY_FACETS;
    khabar_results *r = search(ar, &q);
    assert_int_equal(khabar_results_total(r), 0);
    assert_int_equal(khabar_results_facet_count(r), 0);
    khabar_results_free(r);
    free(lines);
    khabar_archive_close(ar);
}

/* The SQL condition "a.id IN (...)" of every hit of a query. */
static char *hits_condition(khabar_archive *ar, const char *text)
{
    static char cond[4096];
    khabar_query q = {0};
    q.text = text;
    q.limit = 1000;
    q.flags = KHABAR_QUERY_NO_SNIPPETS;
    khabar_results *r = search(ar, &q);
    size_t n = (size_t)snprintf(cond, sizeof cond, "a.id IN (");
    for (size_t i = 0; i < khabar_results_hit_count(r); i++)
        n += (size_t)snprintf(cond + n, sizeof cond - n, "%s'%s'", i ? ", " : "", khabar_results_hit(r, i)->id);
    snprintf(cond + n, sizeof cond - n, ")");
    assert_true(n < sizeof cond - 2);
    khabar_results_free(r);
    return cond;
}

/* A query with no filter gathers its hits while ranking them (one pass over
 * FTS5): its total and its facets are those of all its hits, as SQL counts
 * them, not of the page fetched, whatever the limit, offset or collapse,
 * and the same as the search that counts its hits apart (a filter that
 * keeps every hit, which takes the other way). */
static void facets_of_a_query(void **state)
{
    (void)state;
    const char *path = path_of("facets-query.db");
    khabar_archive *ar;
    assert_int_equal(khabar_archive_open(path, KHABAR_ARCHIVE_CREATE, &ar, NULL), KHABAR_OK);
    size_t len;
    char *lines = read_source_file("tests/archive/ant-linking.jsonl", &len);
    char *save = NULL;
    for (char *line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) add_line(ar, line);
    const char *texts[] = {"الجمهورية", "تونس OR النهضة", "السبسي", "الباجي قايد"};
    for (int round = 0; round < 3; round++) /* from the tables, then from memory */
        for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
            char *cond = hits_condition(ar, texts[t]);
            khabar_query q = {0};
            q.text = texts[t];
            q.limit = 1;
            q.flags = KHABAR_QUERY_FACETS;
            khabar_results *r = search(ar, &q);
            size_t total = khabar_results_total(r);
            assert_true(total >= 3);
            char got[8192];
            snprintf(got, sizeof got, "%s", facets_of(r));
            assert_string_equal(got, facets_by_sql(path, cond));
            khabar_results_free(r);
            /* another page, stories collapsed, or a filter keeping all: the same */
            for (int v = 0; v < 3; v++) {
                khabar_query o = q;
                if (v == 0) o.offset = 2;
                if (v == 1) o.flags |= KHABAR_QUERY_COLLAPSE;
                if (v == 2) o.from = "1900-01-01";
                r = search(ar, &o);
                assert_int_equal(khabar_results_total(r), total);
                assert_string_equal(facets_of(r), got);
                khabar_results_free(r);
            }
            q.flags = 0;
            r = search(ar, &q);
            assert_int_equal(khabar_results_total(r), total);
            assert_int_equal(khabar_results_facet_count(r), 0);
            khabar_results_free(r);
        }
    free(lines);
    khabar_archive_close(ar);
}

/* The data version moves with every commit, this connection's or another's
 * (as another process's would), and not otherwise: searches leave it. */
static void data_version(void **state)
{
    (void)state;
    khabar_archive *ar, *other;
    assert_int_equal(khabar_archive_open(path_of("version.db"), KHABAR_ARCHIVE_CREATE, &ar, NULL), KHABAR_OK);
    assert_int_equal(khabar_archive_open(path_of("version.db"), KHABAR_ARCHIVE_CREATE, &other, NULL), KHABAR_OK);
    unsigned long long v0, v1, v2, v3, v4;
    assert_int_equal(khabar_archive_data_version(ar, &v0, NULL), KHABAR_OK);
    assert_int_equal(khabar_archive_data_version(ar, &v1, NULL), KHABAR_OK);
    assert_true(v0 == v1);
    add(ar, "own", NULL, "2024-03-01", "قال وزير الخارجية إن المحادثات في الرياض ستستمر.");
    assert_int_equal(khabar_archive_data_version(ar, &v2, NULL), KHABAR_OK);
    assert_true(v2 != v1); /* its own write */
    khabar_results_free(find(ar, "الرياض"));
    assert_int_equal(khabar_archive_data_version(ar, &v3, NULL), KHABAR_OK);
    assert_true(v3 == v2); /* a search (its temporary table) is no change */
    add(other, "other", NULL, "2024-03-02", "أعلنت وزارة الصحة في عمّان اليوم عن افتتاح مستشفى جديد.");
    assert_int_equal(khabar_archive_data_version(ar, &v4, NULL), KHABAR_OK);
    assert_true(v4 != v3); /* another connection's */
    int found = 0;
    assert_int_equal(khabar_archive_delete(other, "own", 3, &found, NULL), KHABAR_OK);
    assert_int_equal(khabar_archive_data_version(ar, &v0, NULL), KHABAR_OK);
    assert_true(found && v0 != v4);
    assert_int_equal(khabar_archive_data_version(NULL, &v0, NULL), KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_archive_data_version(ar, NULL, NULL), KHABAR_ERROR_ARGUMENT);
    khabar_archive_close(other);
    khabar_archive_close(ar);
}

/* The writer's copies in memory (the linker's lookups, the stories' band
 * filter) give what SQLite gives: an archive written by two connections
 * taking turns, each with batches past the point where it keeps copies,
 * with a replacement, a delete and an article added outside a batch, holds
 * the same entities, names, keys, stories and links as one written an
 * article at a time (no copies).  A connection that kept its copies from
 * its last turn would miss the other's writes: make an entity twice (a
 * failed add) or miss a story. */
static const char *const turn_sentences[] = {
    "قالت وزيرة الخارجية الأمريكية السابقة هيلاري كلينتون إنها ستخوض الانتخابات في نيويورك.",
    "ألقى الرئيس الأمريكي الأسبق بيل كلينتون محاضرة في جامعة هارفارد عن السلام.",
    "انتقد كلينتون في خطابه سياسات خصومه في الحزب الجمهوري.",
    "استقبل ولي العهد الأمير محمد بن سلمان وزير الدفاع البريطاني في الرياض.",
    "بحث الأمير محمد بن سلمان بن عبد العزيز مع الرئيس الفرنسي العلاقات الثنائية في باريس.",
    "ضرب زلزال بقوة ست درجات مدينة أزمير التركية فجر اليوم وأعلنت إدارة الكوارث التركية سقوط قتلى.",
    "وقال وزير الداخلية سليمان صويلو إن فرق الإنقاذ تبحث عن ناجين تحت الأنقاض في أزمير.",
    "أعلنت وزارة الصحة في عمّان اليوم عن افتتاح مستشفى جديد في الأردن.",
    "وصل الوزراء إلى الرياض لحضور مؤتمر منظمة التعاون الإسلامي.",
    "التقى الأمين العام للأمم المتحدة بان كي مون وزير الخارجية السعودي عادل الجبير في جنيف.",
    "وأكد الجبير أن المملكة العربية السعودية تدعم الحل السياسي في اليمن.",
    "أعلن نادي الهلال تعاقده مع مدرب جديد قبل انطلاق الدوري السعودي للمحترفين.",
};

static const char *const turn_first[] = {"خالد", "فيصل", "ناصر", "سعود", "تركي", "ماجد", "بندر"};
static const char *const turn_family[] = {"العتيبي", "القحطاني", "الشهري", "الغامدي", "الدوسري", "الحربي",
                                          "المطيري", "الزهراني", "العنزي", "السبيعي", "الشمري"};
/* the people of the last articles: each first named in one connection's
 * batch and named again in the other's next */
static const char *const turn_later[] = {"الرشيدي", "البلوي", "الجهني", "العمري", "الفيفي",
                                         "العسيري", "اليامي", "الخالدي", "السهلي", "المالكي"};

#define TURN_ARTICLES 320
#define TURN 80

/* A text of words none of the others has (each 5 words with a number of
 * its own), so that its band keys are new. */
static void turn_fresh(int batch, char *text, size_t cap)
{
    static const char *const words[] = {"مشروع", "حديقة", "طريق", "مدرسة", "مستشفى", "جسر"};
    size_t at = 0;
    for (int i = 0; i < 30 && at < cap; i++)
        at += (size_t)snprintf(text + at, cap - at, "%s %d ", words[i % 6], 1000 * batch + i);
}

static void turn_article(int k, char *id, size_t id_cap, char *date, char *text, size_t cap)
{
    size_t n = sizeof turn_sentences / sizeof *turn_sentences;
    int p = (k + 5) / 10;
    /* past 140: the 6th of a batch of 10 is a new story, the 5th tells
     * the story of the batch before (the other connection's) again */
    if (k >= 150 && (k % 10 == 5 || k % 10 == 4)) {
        char fresh[1024];
        turn_fresh(k / 10 - (k % 10 == 4), fresh, sizeof fresh);
        snprintf(id, id_cap, "t%d", k);
        snprintf(date, 11, "2024-06-%02d", 1 + k % 7);
        snprintf(text, cap, "%s وقال المتحدث الرسمي %s %s إن المشروع بدأ.", fresh, turn_first[p % 7],
                 turn_later[p % 10]);
        return;
    }
    snprintf(id, id_cap, "t%d", k);
    snprintf(date, 11, "2024-06-%02d", 1 + k % 7);
    snprintf(text, cap, "%s %s %s وقال المتحدث الرسمي %s %s إن عدد المشاركين بلغ %d شخصا.",
             turn_sentences[(size_t)k % n], turn_sentences[(size_t)(5 * k + 1) % n],
             turn_sentences[(size_t)(7 * k + 3) % n], turn_first[k < 140 ? k % 7 : p % 7],
             k < 140 ? turn_family[(k / 3) % 11] : turn_later[p % 10], 100 + k);
}

/* An article added, replaced by another story's text and deleted within
 * one batch (its band rows not yet inserted), and articles that tell the
 * stories of both. */
static void turn_replacements(khabar_archive *ar)
{
    char id[16], date[11], text[2048];
    const int stories[3] = {155, 165, 175}; /* fresh texts of their own */
    for (int i = 0; i < 3; i++) {
        turn_article(stories[i], id, sizeof id, date, text, sizeof text);
        add(ar, "x1", NULL, date, text);
    }
    int found = 0;
    assert_int_equal(khabar_archive_delete(ar, "x1", 2, &found, NULL), KHABAR_OK);
    assert_true(found);
    for (int i = 0; i < 3; i++) {
        turn_article(stories[i] - 1 + 10, id, sizeof id, date, text, sizeof text); /* tells stories[i] again */
        snprintf(id, sizeof id, "y%d", i);
        add(ar, id, NULL, date, text);
    }
    turn_article(185, id, sizeof id, date, text, sizeof text);
    add(ar, "x1", NULL, date, text);
}

/* The rows of the tables the writer's copies stand for, as one string. */
static char *linked_rows(const char *path)
{
    static const char *const sql =
        "SELECT group_concat(r, '|') FROM ("
        " SELECT 'e' || id || name || type || coalesce(en, '') AS r FROM entities"
        " UNION ALL SELECT * FROM (SELECT 'n' || name || entity FROM entity_names ORDER BY 1)"
        " UNION ALL SELECT * FROM (SELECT 'k' || key || entity FROM entity_keys ORDER BY 1)"
        " UNION ALL SELECT * FROM (SELECT 'a' || a.id || ':' || e.name || ':' || ae.mentions FROM article_entities ae"
        "   JOIN articles a ON a.key = ae.article JOIN entities e ON e.id = ae.entity ORDER BY 1)"
        " UNION ALL SELECT * FROM (SELECT 's' || a.id || ':' || b.id FROM article_stories s JOIN articles a ON"
        "   a.key = s.article JOIN articles b ON b.key = s.story ORDER BY 1)"
        " UNION ALL SELECT * FROM (SELECT 'l' || a.id || ':' || b.id || ':' || l.kind FROM story_links l"
        "   JOIN articles a ON a.key = l.a JOIN articles b ON b.key = l.b ORDER BY 1)"
        " UNION ALL SELECT 'b' || count(*) FROM story_bands)";
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    char *rows = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rows;
}

/* A batch whose commit fails takes its articles' search rows with it: they
 * are written at the commit, and a later add outside a batch must not
 * write them for a key the rollback freed (the stories' rows failing first
 * once left them waiting). */
static void failed_commit_forgets_its_rows(void **state)
{
    (void)state;
    khabar_archive *ar = new_archive("failed_commit.db");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("failed_commit.db"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER no_bands BEFORE INSERT ON story_bands"
                                      " BEGIN SELECT RAISE(ABORT, 'refused'); END", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(khabar_archive_begin(ar, NULL), KHABAR_OK);
    add(ar, "a", "عنوان", "2021-09-15", text1);
    assert_int_not_equal(khabar_archive_commit(ar, NULL), KHABAR_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER no_bands", NULL, NULL, NULL), SQLITE_OK);
    add(ar, "b", "عنوان", "2021-09-16", text2);
    khabar_results *r = find(ar, "السعودي");
    assert_int_equal(khabar_results_hit_count(r), 0);
    khabar_results_free(r);
    r = find(ar, "الثقافة");
    assert_string_equal(ids(r), "b");
    khabar_results_free(r);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM articles_fts_docsize), (SELECT count(*) FROM articles)",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 1);
    assert_int_equal(sqlite3_column_int64(st, 1), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    khabar_archive_close(ar);
}

static void writer_copies_follow_the_database(void **state)
{
    (void)state;
    char id[16], date[11], text[2048];
    khabar_archive *one, *turns[2];
    /* one article at a time, outside batches: no copies */
    assert_int_equal(khabar_archive_open(path_of("turns-one.db"), KHABAR_ARCHIVE_CREATE, &one, NULL), KHABAR_OK);
    for (int k = 0; k < TURN_ARTICLES; k++) {
        turn_article(k, id, sizeof id, date, text, sizeof text);
        add(one, id, NULL, date, text);
    }
    turn_article(7, id, sizeof id, date, text, sizeof text);
    add(one, id, NULL, date, text); /* replaces t7 */
    int found = 0;
    assert_int_equal(khabar_archive_delete(one, "t3", 2, &found, NULL), KHABAR_OK);
    assert_true(found);
    turn_article(TURN_ARTICLES, id, sizeof id, date, text, sizeof text);
    add(one, id, NULL, date, text);
    turn_replacements(one);
    khabar_archive_close(one);

    /* two connections taking turns, a batch of 80 each (the copies are
     * kept from the 65th article of a batch on) */
    for (int c = 0; c < 2; c++)
        assert_int_equal(khabar_archive_open(path_of("turns-two.db"), KHABAR_ARCHIVE_CREATE, &turns[c], NULL),
                         KHABAR_OK);
    for (int k = 0; k < TURN_ARTICLES; k++) {
        khabar_archive *ar = turns[(k / TURN) % 2];
        if (k % TURN == 0) assert_int_equal(khabar_archive_begin(ar, NULL), KHABAR_OK);
        turn_article(k, id, sizeof id, date, text, sizeof text);
        add(ar, id, NULL, date, text);
        if (k % TURN == TURN - 1) assert_int_equal(khabar_archive_commit(ar, NULL), KHABAR_OK);
    }
    assert_int_equal(khabar_archive_begin(turns[0], NULL), KHABAR_OK);
    turn_article(7, id, sizeof id, date, text, sizeof text);
    add(turns[0], id, NULL, date, text);
    assert_int_equal(khabar_archive_delete(turns[0], "t3", 2, &found, NULL), KHABAR_OK);
    assert_int_equal(khabar_archive_commit(turns[0], NULL), KHABAR_OK);
    turn_article(TURN_ARTICLES, id, sizeof id, date, text, sizeof text);
    add(turns[1], id, NULL, date, text); /* outside a batch */
    assert_int_equal(khabar_archive_begin(turns[1], NULL), KHABAR_OK);
    turn_replacements(turns[1]);
    assert_int_equal(khabar_archive_commit(turns[1], NULL), KHABAR_OK);
    for (int c = 0; c < 2; c++) khabar_archive_close(turns[c]);

    char *want = linked_rows(path_of("turns-one.db")), *got = linked_rows(path_of("turns-two.db"));
    assert_true(strlen(want) > 1000);
    assert_non_null(strstr(want, "|lt")); /* stories were linked */
    assert_string_equal(got, want);
    free(want);
    free(got);
}

/* Two connections borrow the caller's model (khabar_archive_open_with_model):
 * each searches with khabar's tokenizer and sees what the other wrote; the
 * model outlives them, and NULL loads one of the archive's own. */
static void connections_share_a_model(void **state)
{
    (void)state;
    const char *path = path_of("shared-model.db");
    khabar_archive *writer, *reader, *own;
    assert_int_equal(khabar_archive_open_with_model(path, KHABAR_ARCHIVE_CREATE, test_model, &writer, NULL),
                     KHABAR_OK);
    add(writer, "w1", "الرياض", "2024-03-01", "وصل الوزراء إلى الرياض لحضور المؤتمر.");
    assert_int_equal(khabar_archive_open_with_model(path, KHABAR_ARCHIVE_READONLY, test_model, &reader, NULL),
                     KHABAR_OK);
    assert_int_equal(khabar_archive_open_with_model(path, KHABAR_ARCHIVE_READONLY, NULL, &own, NULL), KHABAR_OK);
    assert_finds(reader, "مؤتمر", "w1"); /* stems: المؤتمر */
    assert_finds(own, "والرياض", "w1");
    khabar_archive_close(reader);
    khabar_archive_close(own);
    assert_finds(writer, "للمؤتمر", "w1");
    khabar_archive_close(writer);
    khabar_archive *ar = (khabar_archive *)1;
    assert_int_equal(khabar_archive_open_with_model(NULL, 0, test_model, &ar, NULL), KHABAR_ERROR_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stores_and_counts),
        cmocka_unit_test(stems_match_and_marks_fall_on_words),
        cmocka_unit_test(phrases_or_not),
        cmocka_unit_test(opening_words_rank_first),
        cmocka_unit_test(proclitics_written_apart),
        cmocka_unit_test(present_verbs_find_the_past),
        cmocka_unit_test(filters_and_facets),
        cmocka_unit_test(replace_and_delete),
        cmocka_unit_test(reads_an_article_back),
        cmocka_unit_test(analyses_are_packed),
        cmocka_unit_test(packing_is_the_same_on_any_call),
        cmocka_unit_test(spellings_as_written),
        cmocka_unit_test(batches),
        cmocka_unit_test(batch_writes_one_segment),
        cmocka_unit_test(upgrade_from_schema_3),
        cmocka_unit_test(files_that_are_not_archives),
        cmocka_unit_test(query_language),
        cmocka_unit_test(seed_article),
        cmocka_unit_test(stored_offsets_mark_as_analysis),
        cmocka_unit_test(rank_sizes_follow_writes),
        cmocka_unit_test(rank_caches_agree_with_fts5),
        cmocka_unit_test(entities_across_articles),
        cmocka_unit_test(stories),
        cmocka_unit_test(document_frequencies),
        cmocka_unit_test(entities_linked_across_articles),
        cmocka_unit_test(same_event_stories),
        cmocka_unit_test(facets_agree_with_sql),
        cmocka_unit_test(linker_without_its_copy),
        cmocka_unit_test(facets_of_a_query),
        cmocka_unit_test(release_memory_keeps_answers),
        cmocka_unit_test(connections_share_facet_columns),
        cmocka_unit_test(connections_share_a_model),
        cmocka_unit_test(data_version),
        cmocka_unit_test(writer_copies_follow_the_database),
        cmocka_unit_test(failed_commit_forgets_its_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
