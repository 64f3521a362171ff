/* Near-duplicate detection: signatures, clusters, JSON-lines records, and
 * repeated sentences within an article. */
#include "helpers.h"

#include <math.h>

#include "dedup.h"

/* Sentences of an invented news story, for building long texts. */
static const char *const story[] = {
    "أعلنت وزارة النقل عن خطة جديدة لتطوير شبكة الطرق في المناطق الشمالية خلال السنوات الخمس المقبلة.",
    "وتشمل الخطة إنشاء ثلاثة جسور كبيرة وتوسعة الطريق السريع الذي يربط المدن الرئيسية بالموانئ.",
    "وقال المتحدث باسم الوزارة إن المشروع سيوفر آلاف فرص العمل للشباب في القرى المجاورة.",
    "ومن المتوقع أن تبدأ أعمال الحفر في مطلع العام المقبل بعد استكمال الدراسات الهندسية والبيئية.",
    "وأشار التقرير إلى أن حركة الشاحنات على الطريق القديم تضاعفت منذ افتتاح المنطقة الصناعية.",
    "وطالب سكان الأحياء القريبة بإنشاء ممرات آمنة للمشاة قرب المدارس والمستشفيات.",
    "ويرى خبراء الاقتصاد أن تحسين الطرق سيخفض تكاليف نقل البضائع ويعزز التجارة مع الدول المجاورة.",
    "وأكدت الوزارة أن التمويل سيأتي من الميزانية العامة ومن شراكات مع شركات القطاع الخاص.",
    "كما ستنشر الوزارة تقارير دورية عن سير العمل في كل مرحلة من مراحل المشروع.",
    "وكانت الأمطار الغزيرة قد ألحقت أضرارا بعدد من الجسور القديمة في الشتاء الماضي.",
};

static const char *const other_story[] = {
    "افتتح المتحف الوطني معرضا للمخطوطات النادرة يضم أكثر من مئتي قطعة من مكتبات خاصة.",
    "ويستمر المعرض شهرين ويفتح أبوابه للزوار مجانا في أيام العطل الرسمية.",
    "وقالت مديرة المتحف إن بعض المخطوطات يعرض للمرة الأولى بعد ترميمه في مختبرات متخصصة.",
    "ويقدم المعرض ورشا للأطفال عن تاريخ الخط العربي وأدوات الكتابة القديمة.",
    "وتعاون المتحف مع جامعات محلية لتوثيق المخطوطات رقميا وإتاحتها للباحثين.",
};

static char *join_sentences(const char *const *s, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) len += strlen(s[i]) + 1;
    char *out = malloc(len + 1);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, s[i]);
        strcat(out, " ");
    }
    return out;
}

static char *replace_once(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t head = (size_t)(at - text), from_len = strlen(from), to_len = strlen(to);
    char *out = malloc(strlen(text) - from_len + to_len + 1);
    assert_non_null(out);
    memcpy(out, text, head);
    memcpy(out + head, to, to_len);
    strcpy(out + head + to_len, at + from_len);
    return out;
}

static kh_dedup *new_dedup(void)
{
    kh_dedup_params p;
    kh_dedup_params_init(&p);
    kh_dedup *d = NULL;
    assert_int_equal(kh_dedup_new(&p, &d, NULL), KHABAR_OK);
    return d;
}

static void add(kh_dedup *d, const char *key, const char *text)
{
    khabar_error err;
    khabar_status st = kh_dedup_add(d, key, strlen(key), text, strlen(text), &err);
    if (st != KHABAR_OK) fail_msg("kh_dedup_add(%s): %s", key, err.message);
}

static void params_choose_banding(void **state)
{
    (void)state;
    kh_dedup_params p;
    kh_dedup_params_init(&p);
    assert_int_equal(kh_dedup_params_resolve(&p, NULL), KHABAR_OK);
    assert_true(p.bands * p.rows <= p.perms);
    /* a pair at the threshold is a candidate 99 times in 100; one more row
     * a band would fall below that */
    assert_true(kh_dedup_candidate_probability(p.bands, p.rows, p.threshold) >= 0.99);
    assert_true(kh_dedup_candidate_probability(p.perms / (p.rows + 1), p.rows + 1, p.threshold) < 0.99);
    /* pairs far below the threshold rarely are */
    assert_true(kh_dedup_candidate_probability(p.bands, p.rows, 0.3) < 0.01);

    kh_dedup_params q;
    kh_dedup_params_init(&q);
    q.bands = 20;
    assert_int_equal(kh_dedup_params_resolve(&q, NULL), KHABAR_OK);
    assert_int_equal(q.rows, q.perms / 20);

    khabar_error err;
    kh_dedup_params_init(&q);
    q.bands = 100;
    q.rows = 3;
    assert_int_equal(kh_dedup_params_resolve(&q, &err), KHABAR_ERROR_ARGUMENT);
    kh_dedup_params_init(&q);
    q.threshold = 0;
    assert_int_equal(kh_dedup_params_resolve(&q, &err), KHABAR_ERROR_ARGUMENT);
    kh_dedup_params_init(&q);
    q.shingle = 0;
    assert_int_equal(kh_dedup_params_resolve(&q, &err), KHABAR_ERROR_ARGUMENT);
    kh_dedup_params_init(&q);
    q.perms = KH_DEDUP_MAX_PERMS + 1;
    assert_int_equal(kh_dedup_params_resolve(&q, &err), KHABAR_ERROR_ARGUMENT);
}

static uint64_t word_hash(const char *text)
{
    kh_buf scratch = {0};
    kh_vec words = {0};
    assert_int_equal(kh_dedup_words(&scratch, &words, text, strlen(text)), 0);
    assert_int_equal(words.len, 1);
    uint64_t h = ((uint64_t *)words.data)[0];
    kh_buf_free(&scratch);
    kh_vec_free(&words);
    return h;
}

static void words_are_normalised(void **state)
{
    (void)state;
    /* hamza forms, diacritics, tatweel, final teh marbuta, ASCII case */
    assert_true(word_hash("أحمد") == word_hash("احمد"));
    assert_true(word_hash("مُحَمَّد") == word_hash("محمد"));
    assert_true(word_hash("الـقـدس") == word_hash("القدس"));
    assert_true(word_hash("مدينة") == word_hash("مدينه"));
    assert_true(word_hash("Google") == word_hash("GOOGLE"));
    assert_true(word_hash("٢٠١٥") == word_hash("2015"));
    assert_true(word_hash("مدينة") != word_hash("مدين"));
    /* punctuation separates words and is not part of them */
    kh_buf scratch = {0};
    kh_vec words = {0};
    const char *text = "«قال»: الوزير، (اليوم) - 10.5%!";
    assert_int_equal(kh_dedup_words(&scratch, &words, text, strlen(text)), 0);
    assert_int_equal(words.len, 5); /* قال الوزير اليوم 10 5 */
    assert_true(((uint64_t *)words.data)[0] == word_hash("قال"));
    kh_buf_free(&scratch);
    kh_vec_free(&words);
}

static void signatures_estimate_jaccard(void **state)
{
    (void)state;
    kh_dedup_params p;
    kh_dedup_params_init(&p);
    assert_int_equal(kh_dedup_params_resolve(&p, NULL), KHABAR_OK);
    p.shingle = 1; /* words are the shingles, so the true Jaccard is known */
    enum { N = 3000 };
    uint64_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    /* b shares the first 2000 of a's 3000 words and has 1000 of its own:
     * J = 2000 / 4000 */
    for (uint64_t i = 0; i < N; i++) {
        a[i] = kh_hash(&i, sizeof i);
        uint64_t j = i < 2000 ? i : i + 1000000;
        b[i] = kh_hash(&j, sizeof j);
    }
    kh_minhash_value *sa = malloc(p.perms * sizeof *sa), *sb = malloc(p.perms * sizeof *sb);
    assert_non_null(sa);
    assert_non_null(sb);
    assert_int_equal(kh_minhash(&p, a, N, sa), N);
    assert_int_equal(kh_minhash(&p, b, N, sb), N);
    double s = kh_minhash_similarity(sa, sb, p.perms);
    assert_true(s > 0.40 && s < 0.60);
    assert_true(kh_minhash_similarity(sa, sa, p.perms) == 1.0);
    /* fewer words than a shingle: one shingle of them all */
    p.shingle = 5;
    assert_int_equal(kh_minhash(&p, a, 2, sa), 1);
    assert_int_equal(kh_minhash(&p, a, 0, sa), 0);
    free(a);
    free(b);
    free(sa);
    free(sb);
}

static void exact_duplicates_cluster(void **state)
{
    (void)state;
    char *text = join_sentences(story, 10);
    /* the same text with other whitespace, diacritics and hamza spellings */
    char *spaced = replace_once(text, "الخطة إنشاء", "الخطة\n\n  إنشاء");
    char *marked = replace_once(spaced, "أعلنت", "أَعلَنت");
    char *other = join_sentences(other_story, 5);
    kh_dedup *d = new_dedup();
    add(d, "\"a\"", text);
    add(d, "\"other\"", other);
    add(d, "\"b\"", marked);
    add(d, "\"c\"", text);
    assert_int_equal(kh_dedup_cluster_all(d, NULL), KHABAR_OK);
    assert_int_equal(kh_dedup_cluster_count(d), 1);
    const kh_dedup_cluster *c = kh_dedup_cluster_at(d, 0);
    assert_int_equal(c->count, 3);
    assert_int_equal(c->members[0], 0);
    assert_int_equal(c->members[1], 2);
    assert_int_equal(c->members[2], 3);
    assert_true(c->similarity == 1.0);
    assert_true(c->min_similarity == 1.0);
    assert_int_equal(kh_dedup_cluster_of(d, 1), SIZE_MAX);
    assert_int_equal(kh_dedup_cluster_of(d, 3), 0);
    size_t len;
    const char *key = kh_dedup_key(d, 2, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(key, "\"b\"", 3);
    assert_null(kh_dedup_key(d, 4, &len));
    kh_dedup_free(d);
    free(text);
    free(spaced);
    free(marked);
    free(other);
}

static void edited_copies_cluster_unrelated_do_not(void **state)
{
    (void)state;
    char *text = join_sentences(story, 10);
    /* a republished copy: a dateline added, one word changed */
    char *datelined = malloc(strlen(text) + 64);
    assert_non_null(datelined);
    strcpy(datelined, "الرياض - واس: ");
    strcat(datelined, text);
    char *edited = replace_once(datelined, "آلاف", "مئات");
    /* the same subject, other words: not a copy */
    const char *const rewritten_s[] = {
        "كشفت وزارة النقل خطة لتحسين طرق الشمال تمتد خمس سنوات.",
        "وتتضمن بناء ثلاثة جسور وتوسيع الطريق السريع نحو الموانئ.",
        "وسيخلق المشروع وظائف كثيرة لأبناء القرى بحسب متحدث رسمي.",
        "وستنطلق الأعمال العام المقبل عقب إنهاء الدراسات.",
    };
    char *rewritten = join_sentences(rewritten_s, 4);
    char *other = join_sentences(other_story, 5);
    kh_dedup *d = new_dedup();
    add(d, "1", text);
    add(d, "2", other);
    add(d, "3", rewritten);
    add(d, "4", edited);
    assert_int_equal(kh_dedup_cluster_all(d, NULL), KHABAR_OK);
    assert_int_equal(kh_dedup_cluster_count(d), 1);
    const kh_dedup_cluster *c = kh_dedup_cluster_at(d, 0);
    assert_int_equal(c->count, 2);
    assert_int_equal(c->members[0], 0);
    assert_int_equal(c->members[1], 3);
    assert_true(c->similarity >= 0.8 && c->similarity < 1.0);
    assert_int_equal(kh_dedup_cluster_of(d, 2), SIZE_MAX);
    /* adding more and clustering again */
    add(d, "5", rewritten);
    assert_int_equal(kh_dedup_cluster_all(d, NULL), KHABAR_OK);
    assert_int_equal(kh_dedup_cluster_count(d), 2);
    assert_int_equal(kh_dedup_cluster_at(d, 1)->members[0], 2);
    assert_int_equal(kh_dedup_cluster_at(d, 1)->members[1], 4);
    const kh_dedup_stats *st = kh_dedup_get_stats(d);
    assert_int_equal(st->documents, 5);
    assert_true(st->joined >= 2);
    kh_dedup_free(d);
    free(text);
    free(datelined);
    free(edited);
    free(rewritten);
    free(other);
}

static void short_texts_do_not_collide(void **state)
{
    (void)state;
    /* Texts of one or two words have one shingle, copied into every
     * position of the signature: a chance agreement of two positions' 16
     * bits must not make their whole signatures agree. */
    kh_dedup *d = new_dedup();
    char key[32], text[64];
    for (int i = 0; i < 3000; i++) {
        snprintf(key, sizeof key, "%d", i);
        snprintf(text, sizeof text, "كلمة%d", i);
        add(d, key, text);
    }
    add(d, "\"same\"", "كلمة17");
    assert_int_equal(kh_dedup_cluster_all(d, NULL), KHABAR_OK);
    assert_int_equal(kh_dedup_cluster_count(d), 1);
    assert_int_equal(kh_dedup_cluster_at(d, 0)->members[0], 17);
    assert_int_equal(kh_dedup_cluster_at(d, 0)->members[1], 3000);
    kh_dedup_free(d);
}

static void texts_without_words_are_refused(void **state)
{
    (void)state;
    kh_dedup *d = new_dedup();
    khabar_error err;
    assert_int_equal(kh_dedup_add(d, "1", 1, " ... «» ", 10, &err), KHABAR_ERROR_EMPTY);
    assert_int_equal(kh_dedup_add(d, "1", 1, "", 0, &err), KHABAR_ERROR_EMPTY);
    assert_int_equal(kh_dedup_add(d, "1", 1, "ab\xff", 3, &err), KHABAR_ERROR_UTF8);
    assert_int_equal(err.offset, 2);
    assert_int_equal(kh_dedup_count(d), 0);
    assert_int_equal(kh_dedup_cluster_all(d, NULL), KHABAR_OK);
    assert_int_equal(kh_dedup_cluster_count(d), 0);
    kh_dedup_free(d);
}

static khabar_status parse(const char *line, kh_record_buffers *buf, kh_dedup_record *r, khabar_error *err)
{
    return kh_dedup_parse_record(line, strlen(line), buf, r, err);
}

static void assert_field(const char *got, size_t len, const char *want)
{
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
}

static void records_are_read(void **state)
{
    (void)state;
    kh_record_buffers buf = {0};
    kh_dedup_record r;
    khabar_error err;
    assert_int_equal(parse("{\"id\": \"a-1\", \"title\": \"t\", \"text\": \"نص الخبر\"}", &buf, &r, &err), KHABAR_OK);
    assert_field(r.id, r.id_len, "\"a-1\"");
    assert_field(r.text, r.text_len, "نص الخبر");
    /* escapes, including a surrogate pair and \u0000; other members skipped */
    assert_int_equal(parse(" {\"meta\": {\"a\": [1, -2.5e3, true, null, \"x\\\"y\"]}, \"text\": "
                           "\"\\u0646\\u0635\\n\\ud83d\\ude00\\u0000\\/\", \"id\": 42} ",
                           &buf, &r, &err), KHABAR_OK);
    assert_field(r.id, r.id_len, "42");
    assert_int_equal(r.text_len, 11);
    assert_memory_equal(r.text, "نص\n\xF0\x9F\x98\x80\0/", 11);
    /* an escaped key is still the key */
    assert_int_equal(parse("{\"\\u0069d\": 1, \"t\\u0065xt\": \"x\"}", &buf, &r, &err), KHABAR_OK);
    assert_field(r.id, r.id_len, "1");
    /* a repeated member counts the last time */
    assert_int_equal(parse("{\"id\": 1, \"text\": \"a\", \"text\": \"b\"}", &buf, &r, &err), KHABAR_OK);
    assert_field(r.text, r.text_len, "b");
    kh_record_buffers_free(&buf);
}

static void broken_records_are_reported(void **state)
{
    (void)state;
    kh_record_buffers buf = {0};
    kh_dedup_record r;
    khabar_error err;
    assert_int_equal(parse("{\"id\": 1, \"text\": \"abc", &buf, &r, &err), KHABAR_ERROR_JSON);
    assert_int_equal(parse("{\"id\": 1, \"text\": \"a\"} x", &buf, &r, &err), KHABAR_ERROR_JSON);
    assert_int_equal(err.offset, 23);
    assert_int_equal(parse("{\"id\": 1 \"text\": \"a\"}", &buf, &r, &err), KHABAR_ERROR_JSON);
    assert_int_equal(parse("{\"id\": 01, \"text\": \"a\"}", &buf, &r, &err), KHABAR_ERROR_JSON);
    assert_int_equal(parse("{\"id\": 1, \"text\": \"\\ud800\"}", &buf, &r, &err), KHABAR_ERROR_JSON);
    assert_int_equal(parse("{\"id\": 1, \"text\": \"\\x\"}", &buf, &r, &err), KHABAR_ERROR_JSON);
    assert_int_equal(parse("{\"id\": 1, \"text\": \"a\tb\"}", &buf, &r, &err), KHABAR_ERROR_JSON);
    assert_int_equal(parse("{\"id\": tru, \"text\": \"a\"}", &buf, &r, &err), KHABAR_ERROR_JSON);
    assert_int_equal(parse("", &buf, &r, &err), KHABAR_ERROR_JSON);
    assert_int_equal(parse("{\"id\": 1, \"text\": \"\xC3\x28\"}", &buf, &r, &err), KHABAR_ERROR_UTF8);
    assert_int_equal(err.offset, 19);
    assert_int_equal(parse("[1, 2]", &buf, &r, &err), KHABAR_ERROR_RECORD);
    assert_int_equal(parse("{\"text\": \"a\"}", &buf, &r, &err), KHABAR_ERROR_RECORD);
    /* any JSON value is an id, as in analyze */
    assert_int_equal(parse("{\"id\": null, \"text\": \"a\"}", &buf, &r, &err), KHABAR_OK);
    assert_memory_equal(r.id, "null", 4);
    assert_int_equal(parse("{\"id\": [1, {\"b\": 2, \"a\": 1}], \"text\": \"a\"}", &buf, &r, &err), KHABAR_OK);
    assert_int_equal(r.id_len, strlen("[1,{\"b\":2,\"a\":1}]"));
    assert_memory_equal(r.id, "[1,{\"b\":2,\"a\":1}]", r.id_len);
    assert_int_equal(parse("{\"id\": 1}", &buf, &r, &err), KHABAR_ERROR_RECORD);
    assert_int_equal(parse("{\"id\": 1, \"text\": 5}", &buf, &r, &err), KHABAR_ERROR_RECORD);
    /* deep nesting is refused, not a stack overflow */
    char deep[2200];
    size_t k = 0;
    k += (size_t)snprintf(deep, sizeof deep, "{\"id\": 1, \"x\": ");
    for (int i = 0; i < 1000; i++) deep[k++] = '[';
    deep[k] = '\0';
    assert_int_equal(parse(deep, &buf, &r, &err), KHABAR_ERROR_JSON);
    kh_record_buffers_free(&buf);
}

/* ---- within an article ---- */

static kh_vec sentence_pairs(const char *text)
{
    khabar_doc *d = analyze_ok(text, 0);
    kh_vec pairs = {0};
    assert_int_equal(kh_sentence_duplicates(test_model, d, 0, &pairs, NULL), KHABAR_OK);
    khabar_doc_free(d);
    return pairs;
}

/* Regression (fuzzing, UBSan): sentences with no content word at all left
 * the word array NULL, and an offset was added to it. */
/* The public API: records in, clusters out, as `khabar dedup` gives them. */
static void public_api(void **state)
{
    (void)state;
    khabar_dedup *d;
    khabar_error err;
    khabar_dedup_options bad = {.shingle = 99};
    assert_int_equal(khabar_dedup_new(&bad, &d, &err), KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_dedup_new(NULL, &d, &err), KHABAR_OK);
    char *a = join_sentences(story, 10), *b = join_sentences(other_story, 5);
    char line[8192];
    snprintf(line, sizeof line, "{\"id\":\"one\",\"text\":\"%s\"}", a);
    assert_int_equal(khabar_dedup_add_record(d, line, strlen(line), &err), KHABAR_OK);
    assert_int_equal(khabar_dedup_add(d, "7", 1, b, strlen(b), &err), KHABAR_OK);
    /* a record without an id names nothing (an array, an object, null are ids) */
    snprintf(line, sizeof line, "{\"text\":\"%s\"}", a);
    assert_int_equal(khabar_dedup_add_record(d, line, strlen(line), &err), KHABAR_ERROR_RECORD);
    snprintf(line, sizeof line, "{\"id\":3,\"text\":\"%s\"}", a);
    assert_int_equal(khabar_dedup_add_record(d, line, strlen(line), &err), KHABAR_OK);
    assert_int_equal(khabar_dedup_add(d, "e", 1, "...", 3, &err), KHABAR_ERROR_EMPTY);
    assert_int_equal(khabar_dedup_count(d), 3);
    assert_int_equal(khabar_dedup_cluster_all(d, &err), KHABAR_OK);
    assert_int_equal(khabar_dedup_cluster_count(d), 1);
    const khabar_dedup_cluster *c = khabar_dedup_cluster_at(d, 0);
    assert_int_equal(c->count, 2);
    assert_int_equal(c->members[0], 0);
    assert_int_equal(c->members[1], 2);
    size_t len;
    const char *key = khabar_dedup_key(d, 2, &len);
    assert_int_equal(len, 1);
    assert_memory_equal(key, "3", 1);
    assert_memory_equal(khabar_dedup_key(d, 0, &len), "\"one\"", 5);
    assert_int_equal(khabar_dedup_cluster_of(d, 1), SIZE_MAX);
    assert_int_equal(khabar_dedup_cluster_of(d, 2), 0);
    assert_true(khabar_dedup_similarity(d, 0, 2) > 0.99);
    assert_true(khabar_dedup_similarity(d, 0, 1) < 0.2);
    assert_true(khabar_dedup_similarity(d, 0, 9) < 0);
    assert_null(khabar_dedup_cluster_at(d, 1));
    assert_null(khabar_dedup_key(d, 3, &len));

    /* signatures kept by the caller: the ones the corpus holds, and band
     * keys that agree where the signatures agree */
    size_t perms = khabar_dedup_signature_length(d), bands = khabar_dedup_band_count(d);
    assert_int_equal(perms, 256);
    assert_true(bands > 1 && bands <= perms);
    assert_true(khabar_dedup_threshold(d) == 0.8);
    uint16_t sa[256], sb[256], sa2[256];
    uint64_t ka[256], kb[256], ka2[256];
    assert_int_equal(khabar_dedup_signature(d, a, strlen(a), sa, &err), KHABAR_OK);
    assert_int_equal(khabar_dedup_signature(d, b, strlen(b), sb, &err), KHABAR_OK);
    assert_int_equal(khabar_dedup_count(d), 3); /* nothing added */
    /* the same text again: the same signature */
    char *a2 = strdup(a);
    assert_int_equal(khabar_dedup_signature(d, a2, strlen(a2), sa2, &err), KHABAR_OK);
    assert_true(khabar_dedup_signature_similarity(d, sa, sa2) == 1.0);
    assert_true(fabs(khabar_dedup_signature_similarity(d, sa, sb) - khabar_dedup_similarity(d, 0, 1)) < 1e-9);
    khabar_dedup_band_keys(d, sa, ka);
    khabar_dedup_band_keys(d, sa2, ka2);
    khabar_dedup_band_keys(d, sb, kb);
    assert_memory_equal(ka, ka2, bands * sizeof *ka);
    size_t shared = 0;
    for (size_t i = 0; i < bands; i++) shared += ka[i] == kb[i];
    assert_true(shared < bands / 4);
    assert_int_equal(khabar_dedup_signature(d, "...", 3, sa, &err), KHABAR_ERROR_EMPTY);
    assert_int_equal(khabar_dedup_signature(d, "\xff", 1, sa, &err), KHABAR_ERROR_UTF8);
    assert_int_equal(khabar_dedup_signature(NULL, a, 1, sa, &err), KHABAR_ERROR_ARGUMENT);
    free(a2);
    khabar_dedup_free(d);
    khabar_dedup_free(NULL);
    free(a);
    free(b);
}

static void sentences_without_content_words(void **state)
{
    (void)state;
    kh_vec pairs = sentence_pairs("عنوان\n\nمن في. عن لا. هو في.\n");
    assert_int_equal(pairs.len, 0);
    kh_vec_free(&pairs);
}

static void paraphrased_sentences_are_found(void **state)
{
    (void)state;
    const char *text =
        "وزارة الصحة تسجل إصابات جديدة\n\n"
        "أعلنت وزارة الصحة تسجيل ثلاث إصابات جديدة بفيروس كورونا في مدينة الرياض يوم الثلاثاء. "
        "وافتتح محافظ المنطقة مستشفى ميدانيا يضم مئة سرير في الحي الشرقي. "
        "ودعا الأطباء السكان إلى غسل الأيدي وتجنب الأماكن المزدحمة خلال العطلة. "
        "وسجلت وزارة الصحة في الرياض ثلاث إصابات جديدة بفيروس كورونا، بحسب بيان أصدرته يوم الثلاثاء. "
        "ومن المقرر أن تستأنف المدارس الدراسة الأسبوع المقبل وفق الجدول المعتاد.\n";
    kh_vec pairs = sentence_pairs(text);
    assert_int_equal(pairs.len, 1);
    const kh_sentence_pair *p = pairs.data;
    assert_int_equal(p[0].a, 0);
    assert_int_equal(p[0].b, 3);
    assert_true(p[0].similarity >= KH_SENTENCE_DUPLICATE_THRESHOLD && p[0].similarity < 1);
    kh_vec_free(&pairs);
}

static void repeated_sentence_is_found(void **state)
{
    (void)state;
    const char *text =
        "عنوان الخبر\n\n"
        "وصل الوفد التجاري إلى العاصمة مساء أمس لبحث اتفاقيات التعاون الاقتصادي. "
        "وسيلتقي الوفد وزير المالية ورجال أعمال من القطاع الخاص. "
        "وصل الوفد التجاري إلى العاصمة مساء أمس لبحث اتفاقيات التعاون الاقتصادي.\n";
    kh_vec pairs = sentence_pairs(text);
    assert_int_equal(pairs.len, 1);
    const kh_sentence_pair *p = pairs.data;
    assert_int_equal(p[0].a, 0);
    assert_int_equal(p[0].b, 2);
    assert_true(p[0].similarity > 0.999);
    kh_vec_free(&pairs);
}

static void unrelated_sentences_are_not_paired(void **state)
{
    (void)state;
    char *body = join_sentences(story, 10);
    char *text = malloc(strlen(body) + 64);
    assert_non_null(text);
    strcpy(text, "خطة للطرق\n\n");
    strcat(text, body);
    kh_vec pairs = sentence_pairs(text);
    assert_int_equal(pairs.len, 0);
    kh_vec_free(&pairs);
    free(body);
    free(text);
}

static void parallel_sentences_with_other_figures_are_not_paired(void **state)
{
    (void)state;
    /* one template, two countries' figures: not the same claim */
    const char *text =
        "أسعار المستهلكين\n\n"
        "وارتفع معدل التضخم السنوي في منطقة اليورو خلال شهر مايو الماضي إلى 1.2 في المائة مقارنة بشهر أبريل. "
        "وافتتحت الحكومة مكتبا جديدا لخدمة المستثمرين في وسط المدينة. "
        "وارتفع معدل التضخم السنوي في بريطانيا خلال شهر مايو الماضي إلى 0.4 في المائة مقارنة بشهر أبريل.\n";
    kh_vec pairs = sentence_pairs(text);
    assert_int_equal(pairs.len, 0);
    kh_vec_free(&pairs);
}

/* Each of the n articles has `want` pairs of repeated sentences. */
static void expect_pair_counts(const char *const *texts, size_t n, size_t want)
{
    for (size_t i = 0; i < n; i++) {
        kh_vec pairs = sentence_pairs(texts[i]);
        if (pairs.len != want)
            fail_msg("text %zu: %zu pairs (the first of similarity %g), want %zu", i, pairs.len,
                     pairs.len ? ((const kh_sentence_pair *)pairs.data)[0].similarity : 0.0, want);
        kh_vec_free(&pairs);
    }
}

/* Sentences that say the opposite are no repeat (issue 15): a rise against
 * a fall, a word denied against the same word said, figures mostly their
 * own; sentences adapted from SaudiNewsNet-like news and ANT. */
static void opposite_sentences_are_not_paired(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "السياحة\n\n"
        "وسجلت حركة المسافرين عبر مطار قرطاج الدولي خلال شهر جويلية ارتفاعاً ملحوظاً مقارنة بالفترة نفسها من السنة الماضية. "
        "وافتتحت الوزارة مكتبا جديدا للإرشاد السياحي في وسط العاصمة. "
        "وسجلت حركة المسافرين عبر مطار قرطاج الدولي خلال شهر جويلية انخفاضاً ملحوظا مقارنة بالفترة نفسها من السنة الماضية.\n",
        "الأسهم\n\n"
        "وأرجعت الشركة انخفاض صافي الربح مقارنة بنفس الفترة من العام الماضي إلى انخفاض متوسط أسعار بيع المنتجات. "
        "فيما أعادت ارتفاع صافي الربح مقارنة بالربع السابق من العام الجاري إلى ارتفاع متوسط أسعار بيع المنتجات وزيادة المبيعات.\n",
        "الانتخابات\n\n"
        "وأكد المتحدث باسم الهيئة أن شرط الإقامة قد يكون عائقا أمام ترشح رئيس النادي في الانتخابات المقبلة. "
        "وقال الخبير القانوني إن شرط الإقامة لن يكون عائقا أمام ترشح رئيس النادي في الانتخابات المقبلة.\n",
        "التسجيل\n\n"
        "وتبدأ عملية قيد الناخبين في المجلس البلدي لأمانة المدينة المنورة يوم الأحد 1 / 11 / 1436 هـ وتنتهي يوم الثلاثاء 24 / 11 / 1436 هـ ولمدة ( 21 ) يوما. "
        "كما تبدأ عملية تسجيل المرشحين في المجلس البلدي لأمانة المدينة المنورة يوم الأحد 8 / 11 / 1436 هـ وتنتهي يوم الخميس 26 / 11 / 1436 هـ ولمدة ( 17 ) يوما.\n",
    };
    expect_pair_counts(texts, sizeof texts / sizeof *texts, 0);
    /* the same claim with one figure more stays a repeat, and so does a
     * denial both make, or one that an idiom (لا شك) makes no denial */
    static const char *const repeats[] = {
        "الصرف الآلي\n\n"
        "تجاوز إجمالي قيمة السحوبات النقدية عبر 16312 جهاز صرف آلي في المملكة في شهر مايو الماضي 67 مليار ريال بزيادة تجاوزت 4.5 مليارات ريال. "
        "وافتتحت الحكومة مكتبا جديدا لخدمة المستثمرين في وسط المدينة. "
        "وتجاوزت قيمة السحوبات النقدية عبر 16312 جهاز صرف آلي في المملكة في شهر مايو الماضي 67 مليار ريال، بزيادة 113 جهازا.\n",
        "المصالحة\n\n"
        "وأكد أبو مرزوق أن الفشل الداخلي لا شك ينعكس انعكاسا مباشرا على الوضع السياسي ومواجهة العدو. "
        "وحذر أبو مرزوق من انعكاس الفشل الداخلي انعكاسا مباشرا على الوضع السياسي ومواجهة العدو.\n",
        "الاتفاق\n\n"
        "وقال الوزير إن المجتمع الدولي لا يمكنه أن يغض الطرف عن هدم منازل الفلسطينيين وتهجيرهم. "
        "وشدد الوزير على أن المجتمع الدولي لا يمكنه أن يغض الطرف عن هدم منازل الفلسطينيين وتهجيرهم.\n",
    };
    expect_pair_counts(repeats, sizeof repeats / sizeof *repeats, 1);
}

static void sentence_duplicates_arguments(void **state)
{
    (void)state;
    kh_vec pairs = {0};
    khabar_error err;
    assert_int_equal(kh_sentence_duplicates(test_model, NULL, 0, &pairs, &err), KHABAR_ERROR_ARGUMENT);
    khabar_doc *d = analyze_ok("جملة واحدة فقط في هذا النص.", KHABAR_OPTION_NO_TITLE);
    assert_int_equal(kh_sentence_duplicates(test_model, d, 0, NULL, &err), KHABAR_ERROR_ARGUMENT);
    assert_int_equal(kh_sentence_duplicates(NULL, d, 0, &pairs, &err), KHABAR_OK);
    assert_int_equal(pairs.len, 0);
    khabar_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(params_choose_banding),
        cmocka_unit_test(words_are_normalised),
        cmocka_unit_test(signatures_estimate_jaccard),
        cmocka_unit_test(exact_duplicates_cluster),
        cmocka_unit_test(edited_copies_cluster_unrelated_do_not),
        cmocka_unit_test(short_texts_do_not_collide),
        cmocka_unit_test(texts_without_words_are_refused),
        cmocka_unit_test(records_are_read),
        cmocka_unit_test(broken_records_are_reported),
        cmocka_unit_test(public_api),
        cmocka_unit_test(sentences_without_content_words),
        cmocka_unit_test(paraphrased_sentences_are_found),
        cmocka_unit_test(repeated_sentence_is_found),
        cmocka_unit_test(unrelated_sentences_are_not_paired),
        cmocka_unit_test(parallel_sentences_with_other_figures_are_not_paired),
        cmocka_unit_test(opposite_sentences_are_not_paired),
        cmocka_unit_test(sentence_duplicates_arguments),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
