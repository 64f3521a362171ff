/* Entity tagger (src/ner.c): the built-in model, BIO validity, documents,
 * edge cases, and the weights file format. */
#include "helpers.h"

#include "doc.h"
#include "entities.h"
#include "kh.h"
#include "ner.h"

/* A sentence split at spaces, with normalised forms. */
typedef struct {
    kh_ner_input in[256];
    char norm[8192];
    char text[4096];
    size_t n;
} sentence;

static void make_sentence(sentence *s, const char *text)
{
    size_t len = strlen(text), used = 0;
    assert_true(len < sizeof s->text);
    memcpy(s->text, text, len + 1);
    s->n = 0;
    for (char *p = s->text; *p;) {
        while (*p == ' ') p++;
        if (!*p) break;
        char *e = p;
        while (*e && *e != ' ') e++;
        assert_true(s->n < 256);
        kh_ner_input *t = &s->in[s->n++];
        t->text = p;
        t->len = (size_t)(e - p);
        kh_buf b = {0};
        assert_int_equal(kh_normalize_append(&b, p, t->len, KHABAR_FOLD_ALL), 0);
        assert_true(used + b.len <= sizeof s->norm);
        if (b.len) memcpy(s->norm + used, b.data, b.len);
        t->norm = s->norm + used;
        t->norm_len = b.len;
        used += b.len;
        kh_buf_free(&b);
        p = e;
    }
}

static void assert_valid_bio(const uint8_t *tags, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_true(tags[i] < KH_NER_TAGS);
        if (!kh_ner_transition_ok(i ? tags[i - 1] : KH_NER_TAGS, tags[i]))
            fail_msg("tag %s after %s at %zu", kh_ner_tag_name(tags[i]),
                     i ? kh_ner_tag_name(tags[i - 1]) : "the start", i);
    }
}

/* Index of the first token whose text is `word`. */
static size_t find_token(const sentence *s, const char *word)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->in[i].len == strlen(word) && !memcmp(s->in[i].text, word, s->in[i].len)) return i;
    fail_msg("no token %s", word);
    return 0;
}

static int type_at(const char *text, const char *word)
{
    sentence s;
    make_sentence(&s, text);
    uint8_t tags[256];
    kh_ner_scratch *sc = kh_ner_scratch_new();
    assert_non_null(sc);
    assert_int_equal(kh_ner_tag(test_model->ner, s.in, s.n, tags, sc), 0);
    kh_ner_scratch_free(sc);
    assert_valid_bio(tags, s.n);
    return kh_ner_tag_type(tags[find_token(&s, word)]);
}

static void model_loads(void **state)
{
    (void)state;
    assert_non_null(test_model->ner);
    unsigned t = kh_ner_model_templates(test_model->ner);
    assert_true(t & KH_NER_FEAT_WORD);
}

static void countries_are_places(void **state)
{
    (void)state;
    assert_int_equal(type_at("وصل وزير الخارجية إلى فرنسا أمس في زيارة رسمية .", "فرنسا"), KH_NER_LOC);
    assert_int_equal(type_at("وقال مسؤول في بغداد إن الوضع في العراق يتحسن .", "العراق"), KH_NER_LOC);
    /* with a clitic attached */
    assert_int_equal(type_at("عاد الوفد من القاهرة إلى لبنان وسوريا بعد المحادثات .", "لبنان"), KH_NER_LOC);
}

static void people_and_organisations(void **state)
{
    (void)state;
    assert_int_equal(type_at("وقال الرئيس الأمريكي جورج بوش إن بلاده لن تتراجع .", "بوش"), KH_NER_PER);
    assert_int_equal(type_at("أعلن مجلس الأمن الدولي أمس عن قرار جديد .", "مجلس"), KH_NER_ORG);
    /* function words are never entities */
    assert_int_equal(type_at("وقال الرئيس الأمريكي جورج بوش إن بلاده لن تتراجع .", "إن"), -1);
}

static void names_keep_their_words_together(void **state)
{
    (void)state;
    sentence s;
    make_sentence(&s, "وقال الأمين العام للأمم المتحدة كوفي أنان إن المنظمة مستعدة .");
    uint8_t tags[256];
    kh_ner_scratch *sc = kh_ner_scratch_new();
    assert_int_equal(kh_ner_tag(test_model->ner, s.in, s.n, tags, sc), 0);
    kh_ner_scratch_free(sc);
    size_t k = find_token(&s, "كوفي");
    assert_int_equal(tags[k], KH_NER_B(KH_NER_PER));
    assert_int_equal(tags[k + 1], KH_NER_I(KH_NER_PER));
}

static void empty_input(void **state)
{
    (void)state;
    kh_ner_scratch *sc = kh_ner_scratch_new();
    uint8_t tag = 0xff;
    assert_int_equal(kh_ner_tag(test_model->ner, NULL, 0, &tag, sc), 0);
    assert_int_equal(kh_ner_tag_doc(test_model->ner, NULL, 0, NULL, 0, &tag, sc), 0);
    assert_int_equal(tag, 0xff);
    /* a token whose text normalises to nothing (a lone tatweel) */
    sentence s;
    make_sentence(&s, "ـ فرنسا");
    uint8_t tags[2];
    assert_int_equal(s.in[0].norm_len, 0);
    assert_int_equal(kh_ner_tag(test_model->ner, s.in, s.n, tags, sc), 0);
    assert_valid_bio(tags, s.n);
    kh_ner_scratch_free(sc);
}

static void always_valid_bio(void **state)
{
    (void)state;
    /* Random sequences of words, names, numbers, Latin, punctuation and
     * odd bytes: whatever the scores, the tags must form valid BIO. */
    static const char *const words[] = {
        "في",   "محمد", "بن",  "عبد",  "الله", "الأمم", "المتحدة", "حزب", "و", ".",
        "،",    "(",    ")",   "2006", "UN",  "New",   "York",    "ال",  "ـ", "الشرق",
        "الأوسط", "جامعة", "القاهرة", "كأس", "العالم", "دولار", "\"", "-", "وزير", "شركة",
    };
    const size_t nw = sizeof words / sizeof *words;
    uint64_t r = 88172645463325252ULL;
    kh_ner_scratch *sc = kh_ner_scratch_new();
    for (int round = 0; round < 300; round++) {
        char text[2048] = "";
        size_t n = 1 + (size_t)(round % 40);
        for (size_t i = 0; i < n; i++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            strcat(text, words[r % nw]);
            strcat(text, " ");
        }
        sentence s;
        make_sentence(&s, text);
        uint8_t tags[256];
        assert_int_equal(kh_ner_tag(test_model->ner, s.in, s.n, tags, sc), 0);
        assert_valid_bio(tags, s.n);
    }
    kh_ner_scratch_free(sc);
}

static void long_sentence(void **state)
{
    (void)state;
    /* one 30,000-token "sentence": linear time, no overflow, names found */
    sentence s;
    make_sentence(&s, "وصل وزير الخارجية إلى فرنسا أمس في زيارة رسمية ،");
    const size_t reps = 3000, n = reps * s.n;
    kh_ner_input *in = malloc(n * sizeof *in);
    uint8_t *tags = malloc(n);
    assert_non_null(in);
    assert_non_null(tags);
    for (size_t i = 0; i < n; i++) in[i] = s.in[i % s.n];
    kh_ner_scratch *sc = kh_ner_scratch_new();
    assert_int_equal(kh_ner_tag(test_model->ner, in, n, tags, sc), 0);
    assert_valid_bio(tags, n);
    size_t k = find_token(&s, "فرنسا"), places = 0;
    for (size_t r = 0; r < reps; r++) places += kh_ner_tag_type(tags[r * s.n + k]) == KH_NER_LOC;
    assert_true(places > reps * 9 / 10);
    kh_ner_scratch_free(sc);
    free(in);
    free(tags);
}

static void documents(void **state)
{
    (void)state;
    /* three sentences as one document; sentence boundaries hold */
    const char *text[] = {"وقال الرئيس الأمريكي جورج بوش إن بلاده لن تتراجع .",
                          "وأضاف بوش في مؤتمر صحفي في واشنطن أن الحرب مستمرة .",
                          "ورد المتحدث باسم البيت الأبيض على الأسئلة ."};
    sentence s[3];
    kh_ner_input in[768];
    size_t starts[4], n = 0;
    for (int k = 0; k < 3; k++) {
        make_sentence(&s[k], text[k]);
        starts[k] = n;
        memcpy(in + n, s[k].in, s[k].n * sizeof *in);
        n += s[k].n;
    }
    uint8_t tags[768];
    kh_ner_scratch *sc = kh_ner_scratch_new();
    assert_int_equal(kh_ner_tag_doc(test_model->ner, in, n, starts, 3, tags, sc), 0);
    for (int k = 0; k < 3; k++) {
        size_t end = k < 2 ? starts[k + 1] : n;
        assert_valid_bio(tags + starts[k], end - starts[k]);
        /* no entity continues across a boundary */
        assert_true(tags[starts[k]] == KH_NER_O || kh_ner_tag_is_begin(tags[starts[k]]));
    }
    assert_int_equal(kh_ner_tag_type(tags[starts[1] + find_token(&s[1], "بوش")]), KH_NER_PER);
    assert_int_equal(kh_ner_tag_type(tags[starts[1] + find_token(&s[1], "واشنطن")]), KH_NER_LOC);
    /* empty sentences are allowed */
    size_t with_empty[5] = {0, 0, starts[1], starts[1], starts[2]};
    assert_int_equal(kh_ner_tag_doc(test_model->ner, in, n, with_empty, 5, tags, sc), 0);
    /* a one-sentence document is tagged as kh_ner_tag tags it */
    uint8_t alone[256];
    assert_int_equal(kh_ner_tag_doc(test_model->ner, in, s[0].n, starts, 1, tags, sc), 0);
    assert_int_equal(kh_ner_tag(test_model->ner, in, s[0].n, alone, sc), 0);
    assert_memory_equal(tags, alone, s[0].n);
    /* malformed sentence starts are refused */
    size_t bad[3] = {0, starts[2], starts[1]};
    assert_int_equal(kh_ner_tag_doc(test_model->ner, in, n, bad, 3, tags, sc), -1);
    size_t late[1] = {1};
    assert_int_equal(kh_ner_tag_doc(test_model->ner, in, n, late, 1, tags, sc), -1);
    assert_int_equal(kh_ner_tag_doc(test_model->ner, in, n, starts, 0, tags, sc), -1);
    kh_ner_scratch_free(sc);
}

static void tag_names(void **state)
{
    (void)state;
    for (unsigned t = 0; t < KH_NER_TAGS; t++) {
        const char *name = kh_ner_tag_name(t);
        assert_int_equal(kh_ner_tag_parse(name, strlen(name)), (int)t);
    }
    assert_string_equal(kh_ner_tag_name(KH_NER_B(KH_NER_PER)), "B-PER");
    assert_int_equal(kh_ner_tag_parse("I-PERS", 6), KH_NER_I(KH_NER_PER));
    assert_int_equal(kh_ner_tag_parse("B-DATE", 6), -1);
    assert_int_equal(kh_ner_tag_parse("X", 1), -1);
    assert_string_equal(kh_ner_tag_name(200), "O");
    assert_null(kh_ner_type_name(KH_NER_TYPES));
    assert_string_equal(kh_ner_type_name(KH_NER_MISC), "MISC");
    assert_false(kh_ner_transition_ok(KH_NER_TAGS, KH_NER_I(KH_NER_LOC)));
    assert_false(kh_ner_transition_ok(KH_NER_B(KH_NER_PER), KH_NER_I(KH_NER_LOC)));
    assert_true(kh_ner_transition_ok(KH_NER_B(KH_NER_LOC), KH_NER_I(KH_NER_LOC)));
}

/* A hand-made one-feature model: the bias feature votes for B-LOC. */
static void weights_roundtrip(void **state)
{
    (void)state;
    const char *clusters = "#clusters\t2\nفرنسا\t10\t1\n", *gaz = "فرنسا\tCOUNTRY\tFrance\n";
    kh_ner_model *fx;
    khabar_error err;
    kh_ner_resources res = {clusters, strlen(clusters), gaz, strlen(gaz), NULL, 0},
                     other = {clusters, strlen(clusters), "", 0, NULL, 0};
    assert_int_equal(kh_ner_model_from(NULL, 0, &res, KH_NER_FEAT_WORD, &fx, &err),
                     KHABAR_OK);
    sentence s;
    make_sentence(&s, "زار فرنسا");
    kh_ner_scratch *sc = kh_ner_scratch_new();
    const uint64_t *keys;
    const uint32_t *off;
    size_t start = 0;
    assert_int_equal(kh_ner_features(fx, 0, s.in, s.n, &start, 1, NULL, 0, sc, &keys, NULL, &off), 0);
    assert_int_equal(off[0], 0);
    assert_true(off[1] > 1 && off[2] > off[1]);
    /* the DOC templates need first-stage tags */
    assert_int_equal(kh_ner_features(fx, KH_NER_FEAT_DOC, s.in, s.n, &start, 1, NULL, 0, sc, &keys,
                                     NULL, &off),
                     -1);
    /* the first key of every token is its bias */
    assert_int_equal(keys[off[0]], keys[off[1]]);
    uint64_t key = keys[0];
    float w[KH_NER_TAGS] = {0}, trans[(KH_NER_TAGS + 1) * KH_NER_TAGS] = {0};
    w[KH_NER_B(KH_NER_LOC)] = 1;
    kh_ner_stage_weights st = {KH_NER_FEAT_WORD, 1, &key, w, trans};
    kh_buf file = {0};
    uint64_t hash = kh_ner_resources_hash(&res);
    assert_int_equal(kh_ner_weights_write(&file, &st, 1, 0, hash), 0);
    kh_ner_model *m;
    assert_int_equal(kh_ner_model_from(file.data, file.len, &res, 0, &m, &err),
                     KHABAR_OK);
    uint8_t tags[2];
    assert_int_equal(kh_ner_tag(m, s.in, s.n, tags, sc), 0);
    assert_int_equal(tags[0], KH_NER_B(KH_NER_LOC));
    assert_int_equal(tags[1], KH_NER_B(KH_NER_LOC));
    kh_ner_model_free(m);
    /* other resources, a truncated file, a bad magic */
    assert_int_equal(kh_ner_model_from(file.data, file.len, &other, 0, &m, &err),
                     KHABAR_ERROR_DATA);
    assert_int_equal(kh_ner_model_from(file.data, file.len - 1, &res, 0, &m, &err),
                     KHABAR_ERROR_DATA);
    file.data[0] ^= 1;
    assert_int_equal(kh_ner_model_from(file.data, file.len, &res, 0, &m, &err),
                     KHABAR_ERROR_DATA);
    /* a first stage may not read first-stage tags */
    kh_buf bad = {0};
    st.templates = KH_NER_FEAT_DOC;
    assert_int_equal(kh_ner_weights_write(&bad, &st, 1, 0, hash), 0);
    assert_int_equal(kh_ner_model_from(bad.data, bad.len, &res, 0, &m, &err),
                     KHABAR_ERROR_DATA);
    kh_buf_free(&bad);
    kh_buf_free(&file);
    kh_ner_scratch_free(sc);
    kh_ner_model_free(fx);
}

static float named(const char *word)
{
    kh_buf b = {0};
    assert_int_equal(kh_normalize_append(&b, word, strlen(word), KHABAR_FOLD_ALL), 0);
    float p[KH_NER_NAME_CLASSES], sum = 0;
    assert_int_equal(kh_ner_name_probs(test_model->ner, b.data, b.len, p), 0);
    for (int c = 0; c < KH_NER_NAME_CLASSES; c++) sum += p[c];
    assert_true(sum > 0.999f && sum < 1.001f);
    kh_buf_free(&b);
    return 1 - p[0];
}

/* The name-likeness model: n-gram buckets, the built-in model's scores,
 * and a hand-made file (a damaged one is refused). */
static void name_likeness(void **state)
{
    (void)state;
    /* "ab" framed: a, ab, b, b$ and the start's ^a: the marks alone are not n-grams */
    uint32_t idx[(KH_NER_NAME_MAX_LETTERS + 2) * 8];
    assert_int_equal(kh_ner_name_ngrams("ab", 2, 2, 10, idx), 5);
    for (int i = 0; i < 5; i++) assert_true(idx[i] < 1024);
    /* a very long word is cut, not overrun */
    char longword[400];
    memset(longword, 'a', sizeof longword);
    assert_true(kh_ner_name_ngrams(longword, sizeof longword, 8, 16, idx) <= (KH_NER_NAME_MAX_LETTERS + 2) * 8);
    /* foreign names look like names, common words do not */
    assert_true(named("شوارزنيجر") > 0.9f);
    assert_true(named("ايبواه") > 0.5f);
    assert_true(named("الحكومة") < 0.1f);
    assert_true(named("والاقتصادية") < 0.5f);

    /* bits 4, n-grams of one letter; every weight votes for PER */
    kh_buf f = {0};
    unsigned char hdr[8 + 3 * 4 + 4 * KH_NER_NAME_CLASSES] = {0};
    memcpy(hdr, KH_NER_NAME_MAGIC, 8);
    hdr[8] = 4;
    hdr[12] = 1;
    float scale = 1000, zero = 0;
    memcpy(hdr + 16, &scale, 4); /* little-endian hosts only, as the format */
    for (int c = 0; c < KH_NER_NAME_CLASSES; c++) memcpy(hdr + 20 + 4 * c, &zero, 4);
    assert_int_equal(kh_buf_append(&f, hdr, sizeof hdr), 0);
    for (int r = 0; r < 16; r++)
        for (int c = 0; c < KH_NER_NAME_CLASSES; c++) {
            int16_t w = c == 1 ? 3000 : 0;
            assert_int_equal(kh_buf_append(&f, &w, 2), 0);
        }
    kh_ner_resources res = {NULL, 0, NULL, 0, f.data, f.len};
    kh_ner_model *m;
    khabar_error err;
    assert_int_equal(kh_ner_model_from(NULL, 0, &res, 0, &m, &err), KHABAR_OK);
    float p[KH_NER_NAME_CLASSES];
    assert_int_equal(kh_ner_name_probs(m, "ab", 2, p), 0);
    assert_true(p[1] > 0.99f); /* two letters: logit 6 for PER */
    kh_ner_model_free(m);
    res.nlen = f.len - 1;
    assert_int_equal(kh_ner_model_from(NULL, 0, &res, 0, &m, &err), KHABAR_ERROR_DATA);
    res.nlen = 0;
    assert_int_equal(kh_ner_model_from(NULL, 0, &res, 0, &m, &err), KHABAR_OK);
    assert_int_equal(kh_ner_name_probs(m, "ab", 2, p), -1);
    kh_ner_model_free(m);
    kh_buf_free(&f);
}

/* The public labelling of pre-tokenized text: every layer, errors. */
static void label_tokens(void **state)
{
    (void)state;
    static const char *const words[] = {"وقال", "الرئيس", "عبد", "الفتاح", "السيسي", "إن", "مصر", "أنفقت",
                                        "3", "ملايين", "دولار", "أمس", ".", "وارتفع", "السعر", "بنسبة",
                                        "5", "%", "في", "يناير", "2020", "."};
    enum { N = sizeof words / sizeof *words };
    size_t lens[N];
    for (size_t i = 0; i < N; i++) lens[i] = strlen(words[i]);
    const size_t starts[] = {0, 13};
    const char *labels[N];
    khabar_error err;
    assert_int_equal(khabar_label_tokens(test_analyzer, words, lens, N, starts, 2, KHABAR_LABEL_ENTITIES, NULL, 0,
                                         labels, &err), KHABAR_OK);
    assert_string_equal(labels[2], "B-PER");
    assert_string_equal(labels[4], "I-PER");
    assert_string_equal(labels[6], "B-LOC");
    assert_string_equal(labels[0], "O");
    assert_int_equal(khabar_label_tokens(test_analyzer, words, lens, N, starts, 2, KHABAR_LABEL_ENTITIES, NULL,
                                         KHABAR_LABEL_SENTENCE_ALONE, labels, &err), KHABAR_OK);
    assert_string_equal(labels[6], "B-LOC");
    assert_int_equal(khabar_label_tokens(test_analyzer, words, lens, N, starts, 2, KHABAR_LABEL_NUMBERS, NULL, 0,
                                         labels, &err), KHABAR_OK);
    assert_string_equal(labels[8], "B-MONEY");
    assert_string_equal(labels[10], "I-MONEY");
    assert_string_equal(labels[16], "B-PERCENT");
    assert_string_equal(labels[17], "I-PERCENT");
    assert_string_equal(labels[20], "O");
    assert_int_equal(khabar_label_tokens(test_analyzer, words, lens, N, starts, 2, KHABAR_LABEL_DATES, "2021-03-01", 0,
                                         labels, &err), KHABAR_OK);
    assert_string_equal(labels[11], "B-DATE");
    assert_string_equal(labels[19], "B-DATE");
    assert_string_equal(labels[20], "I-DATE");
    assert_string_equal(labels[8], "O");
    /* errors: malformed sentences, a token that is not UTF-8 */
    const size_t bad[] = {1, 13};
    assert_int_equal(khabar_label_tokens(test_analyzer, words, lens, N, bad, 2, KHABAR_LABEL_DATES, NULL, 0, labels, &err),
                     KHABAR_ERROR_ARGUMENT);
    const char *broken[] = {"\xff"};
    size_t one = 1;
    assert_int_equal(khabar_label_tokens(test_analyzer, broken, &one, 1, starts, 1, KHABAR_LABEL_NUMBERS, NULL, 0, labels,
                                         &err), KHABAR_ERROR_UTF8);
    assert_int_equal(khabar_label_tokens(test_analyzer, NULL, NULL, 0, NULL, 0, KHABAR_LABEL_ENTITIES, NULL, 0, NULL, &err),
                     KHABAR_OK);
    /* a sentence with no text to analyse is no error but no names: ANERcorp's photo credit, which
     * the article's structure drops as boilerplate */
    const char *credit[] = {"تصوير:", "طالب", "الحسيني", "لإيران", "خصوصية", "لا", "تخطئها", "عين", "زائرها", "،",
                            "فالواقع", "اليومي", "لا", "ينفصل", "عن", "أعماقها", "الروحية", "."};
    enum { NC = sizeof credit / sizeof *credit };
    size_t credit_lens[NC];
    for (size_t i = 0; i < NC; i++) credit_lens[i] = strlen(credit[i]);
    assert_int_equal(khabar_label_tokens(test_analyzer, credit, credit_lens, NC, starts, 1, KHABAR_LABEL_ENTITIES,
                                         NULL, KHABAR_LABEL_SENTENCE_ALONE, labels, &err), KHABAR_OK);
    for (size_t i = 0; i < NC; i++) assert_string_equal(labels[i], "O");
}

/* What `ner --conll` labels is what `analyze` finds: the seed article's
 * tokens, labelled as pre-tokenized text, carry exactly the names of its
 * analysis (the tagger's, the table's, the rules'); its descriptions
 * (الأمريكية, الجيش الأمريكي) label nothing. */
static void labels_agree_with_analyze(void **state)
{
    (void)state;
    size_t len;
    char *text = read_source_file("examples/article.txt", &len);
    khabar_options o = {0};
    o.skip = KHABAR_SKIP_ANALYSES & ~(unsigned)KHABAR_SKIP_ENTITIES;
    khabar_doc *d;
    khabar_error err;
    assert_int_equal(khabar_analyze(test_analyzer, text, len, &o, &d, &err), KHABAR_OK);
    size_t n = khabar_doc_token_count(d);
    const char **tokens = malloc(n * sizeof *tokens), **got = malloc(n * sizeof *got),
               **want = malloc(n * sizeof *want);
    size_t *lens = malloc(n * sizeof *lens), *starts = malloc(n * sizeof *starts), n_starts = 0;
    assert_non_null(tokens && got && want && lens && starts);
    for (size_t i = 0; i < n; i++) {
        const khabar_token *t = khabar_doc_token(d, i);
        tokens[i] = t->span.text;
        lens[i] = t->span.text_len;
        want[i] = "O";
        if (!i || t->block != t[-1].block || t->sentence != t[-1].sentence) starts[n_starts++] = i;
    }
    size_t names = 0, descriptions = 0;
    char *taken = calloc(n, 1);
    assert_non_null(taken);
    for (size_t k = 0; k < d->mentions.len; k++) {
        const kh_mention *m = &KH_AT(d->mentions, kh_mention, k);
        if (m->description) {
            descriptions++;
            continue;
        }
        if (taken[m->first]) continue; /* nested in a name already marked */
        names++;
        memset(taken + m->first, 1, m->last - m->first);
        /* its name proper: حركة طالبان labels طالبان when the tagger read that */
        size_t a = m->first, b = m->last;
        while (a < b && khabar_doc_token(d, a)->span.end <= m->name_start) a++;
        while (b > a && khabar_doc_token(d, b - 1)->span.start >= m->name_end) b--;
        for (size_t i = a; i < b; i++) want[i] = kh_ner_tag_name(i == a ? KH_NER_B(m->type) : KH_NER_I(m->type));
    }
    assert_true(names >= 20);
    assert_true(descriptions >= 1);
    assert_int_equal(khabar_label_tokens(test_analyzer, tokens, lens, n, starts, n_starts, KHABAR_LABEL_ENTITIES,
                                         NULL, 0, got, &err), KHABAR_OK);
    size_t differ = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(got[i], want[i])) {
            print_message("token %zu %.*s: analyze %s, labels %s\n", i, (int)lens[i], tokens[i], want[i], got[i]);
            differ++;
        }
    assert_int_equal(differ, 0);
    free(taken);
    free(tokens);
    free(got);
    free(want);
    free(lens);
    free(starts);
    khabar_doc_free(d);
    free(text);
}

/* The entity of the first mention written `what` (clitics removed), or
 * NULL. */
static const khabar_entity *entity_named(const khabar_doc *d, const char *what)
{
    for (size_t k = 0; k < khabar_doc_mention_count(d); k++) {
        const khabar_mention *m = khabar_doc_mention(d, k);
        if (!strcmp(m->text, what)) return khabar_doc_entity(d, m->entity);
    }
    return NULL;
}

/* A party named with a place is an organisation, not the place (ANT,
 * Jawhara FM 2016-2017): حركة نداء تونس, and "نداء تونس" later without
 * the noun; تونس alone stays Tunisia.  Not a nationality adjective or a
 * verb after the noun (حركة دخول الليبيين، تحالف يضم مصر).  حزب before
 * the name is part of it (لحزب حركة نداء تونس), and its short name with
 * the article elsewhere in the article is the party (النهضة والنداء). */
static void party_named_with_a_place(void **state)
{
    (void)state;
    const char *text = "حذر اليوم الاثنين بوجمعة الرميلي عضو الهيئة السياسية لحزب حركة نداء تونس، من خطورة "
                       "إقحام رئيس الحكومة يوسف الشاهد في أزمة \"نداء تونس\". وقال إن تونس تمر بمرحلة صعبة. "
                       "واعتبر أن كل من النهضة والنداء يحكمان البلاد دون برامج.";
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_NO_TITLE;
    khabar_doc *d;
    khabar_error err;
    assert_int_equal(khabar_analyze(test_analyzer, text, strlen(text), &o, &d, &err), KHABAR_OK);
    const khabar_entity *party = entity_named(d, "نداء تونس");
    assert_non_null(party);
    assert_int_equal(party->type, KHABAR_ENTITY_ORG);
    assert_int_equal(party->mentions, 3);
    assert_string_equal(party->name, "نداء تونس"); /* not حزب حركة نداء تونس nor النداء */
    assert_ptr_equal(entity_named(d, "حزب حركة نداء تونس"), party);
    assert_ptr_equal(entity_named(d, "النداء"), party);
    const khabar_entity *country = entity_named(d, "تونس");
    assert_non_null(country);
    assert_int_equal(country->type, KHABAR_ENTITY_LOC);
    assert_int_equal(country->mentions, 1);
    khabar_doc_free(d);
    const char *others = "ورغم توقفها لشهرين فان حركة دخول الليبيين الى تونس عادت. وأعلن تحالف يضم مصر والسعودية دعمه.";
    assert_int_equal(khabar_analyze(test_analyzer, others, strlen(others), &o, &d, &err), KHABAR_OK);
    for (size_t k = 0; k < khabar_doc_mention_count(d); k++)
        assert_int_not_equal(khabar_doc_mention(d, k)->type, KHABAR_ENTITY_ORG);
    assert_non_null(entity_named(d, "مصر"));
    khabar_doc_free(d);
    /* no party in the article: النداء is a call */
    const char *call = "ووجه الرئيس النداء إلى المواطنين للمشاركة في الانتخابات البلدية في تونس.";
    assert_int_equal(khabar_analyze(test_analyzer, call, strlen(call), &o, &d, &err), KHABAR_OK);
    assert_null(entity_named(d, "النداء"));
    khabar_doc_free(d);
}

/* The analysis of `text` as an article's body (no title line). */
static khabar_doc *analyze_body(const char *text)
{
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_NO_TITLE;
    khabar_doc *d = NULL;
    khabar_error err;
    assert_int_equal(khabar_analyze(test_analyzer, text, strlen(text), &o, &d, &err), KHABAR_OK);
    return d;
}

/* The entity of the first mention written `what`, which must be there
 * and of `type`. */
static const khabar_entity *typed_entity(const khabar_doc *d, const char *what, khabar_entity_type type)
{
    const khabar_entity *e = entity_named(d, what);
    assert_non_null(e);
    assert_int_equal(e->type, type);
    return e;
}

/* No mention of `text` is of `type`. */
static void no_mention_typed(const char *text, khabar_entity_type type)
{
    khabar_doc *d = analyze_body(text);
    for (size_t k = 0; k < khabar_doc_mention_count(d); k++)
        assert_int_not_equal(khabar_doc_mention(d, k)->type, type);
    khabar_doc_free(d);
}

/* تنظيم before the Brotherhood names it, a table alias (ANT, Jawhara FM
 * 2016): the organisation with its noun, as ANERcorp marks تنظيم القاعدة,
 * the nationality after it outside. */
static void brotherhood_with_its_noun(void **state)
{
    (void)state;
    khabar_doc *d = analyze_body("وأصدرت المحكمة أحكامها في قضية \"تنظيم الإخوان اليمني\" واتهمت المجموعة بإنشاء وتأسيس "
                                 "فرع لتنظيم الإخوان بالدولة.");
    const khabar_entity *e = typed_entity(d, "تنظيم الإخوان", KHABAR_ENTITY_ORG);
    assert_int_equal(e->mentions, 2);
    assert_string_equal(e->en, "Muslim Brotherhood");
    khabar_doc_free(d);
}

/* A festival named by its place is a MISC, not a mention of the place
 * (ANT, Jawhara FM 2016): أيام قرطاج المسرحية with أيام inside its name,
 * مهرجان قرطاج الدولي with the noun outside; أيام قرطاج alone are days. */
static void festivals_named_by_a_place(void **state)
{
    (void)state;
    khabar_doc *d = analyze_body("يشار إلى أن أيام قرطاج المسرحية تأسست في 1983 وكانت تقام كل عامين بالتبادل مع أيام "
                                 "قرطاج السينمائية. وأعلنت الوزارة تعيين الشاعرة آمال موسى مديرة للدورة 53 لمهرجان "
                                 "قرطاج الدولي.");
    typed_entity(d, "أيام قرطاج المسرحية", KHABAR_ENTITY_MISC);
    typed_entity(d, "أيام قرطاج السينمائية", KHABAR_ENTITY_MISC);
    typed_entity(d, "قرطاج الدولي", KHABAR_ENTITY_MISC);
    assert_null(entity_named(d, "قرطاج"));
    khabar_doc_free(d);
    no_mention_typed("وقضى الوفد ثلاثة أيام قرطاج قبل أن يعود إلى العاصمة.", KHABAR_ENTITY_MISC);
}

/* A quoted title after a work's noun is a MISC (ANT, Jawhara FM
 * 2016-2017): after an app's noun and a definite word (تطبيق التراسل
 * "واتساب"), over a name the tagger made a person (مسرحية "ثورة دون كي
 * شوت"); not after a definite noun whose mark closes a quotation. */
static void quoted_titles(void **state)
{
    (void)state;
    khabar_doc *d = analyze_body("قد يجد عدد كبير من مستخدمي تطبيق التراسل \"واتساب\"، أنفسهم غير قادرين على استخدامه. "
                                 "وحصلت الفنانة منى تلمودي على جائزة عن دورها في مسرحية \"ثورة دون كي شوت\" للمخرج "
                                 "وليد دغسني. وتبين أنهم يتواصلون مع العناصر الإرهابية بواسطة تطبيقة \"TELEGRAM\".");
    typed_entity(d, "واتساب", KHABAR_ENTITY_MISC);
    typed_entity(d, "ثورة دون كي شوت", KHABAR_ENTITY_MISC);
    typed_entity(d, "TELEGRAM", KHABAR_ENTITY_MISC);
    assert_null(entity_named(d, "دون كي شوت"));
    khabar_doc_free(d);
    d = analyze_body("وقال إن \"احدهم تلميذ بمدرسة والبقية يدرسون بالكتاب\" مبينا ان \"سبب إصابتهم استعمال المياه\".");
    assert_null(entity_named(d, "مبينا ان"));
    khabar_doc_free(d);
}

/* A Tunisian name the tagger does not know after an occupation and its
 * adjectives is a person (ANT, Jawhara FM 2013-2016), and a first name
 * before the tagger's surname is part of it (لطفي عاشور, not عاشور alone);
 * not a verb and a noun after it (المحامي ضمن نظام ...). */
static void names_after_an_occupation(void **state)
{
    (void)state;
    khabar_doc *d = analyze_body("و يقول المخرج التونسي لطفي عاشور إن أحداث الفيلم تتمثل في تحقيق قضائي. "
                                 "ومن المنتظر ان يتم احياء اربعينية الشهيد سقراط الشارني في مدينة الكاف.");
    typed_entity(d, "لطفي عاشور", KHABAR_ENTITY_PER);
    typed_entity(d, "سقراط الشارني", KHABAR_ENTITY_PER);
    khabar_doc_free(d);
    no_mention_typed("وقال المحامي ضمن نظام الدفاع إن الحكم صدر. وأكد الخبير تراجع الاستثمار خلال السنة.",
                     KHABAR_ENTITY_PER);
}

/* A person's surname alone later in the article is the person (ANT,
 * Jawhara FM 2016: خميس الجهيناوي ... وأضاف الجهيناوي), one entity. */
static void surname_alone(void **state)
{
    (void)state;
    khabar_doc *d = analyze_body("أكد وزير الشؤون الخارجية، خميس الجهيناوي أن الوزارة تتابع ملف الصحفيين المختطفين "
                                 "بليبيا. وأضاف الجهيناوي أن الخارجية قدمت كل الدعم والمساندة لعائلاتهم.");
    const khabar_entity *e = typed_entity(d, "خميس الجهيناوي", KHABAR_ENTITY_PER);
    assert_int_equal(e->mentions, 2);
    assert_ptr_equal(entity_named(d, "الجهيناوي"), e);
    khabar_doc_free(d);
}

/* A governorate learned from news (after ولاية and the like, often: data/
 * learned.tsv) is a place without a place word before it (ANT, Jawhara
 * FM 2016); a learned town that is rarely after one is not (الشابة, also
 * "the young woman"). */
static void strong_towns(void **state)
{
    (void)state;
    khabar_doc *d = analyze_body("قطع مجمع \"حرفيون متضامنون\" في القصرين أشواطا متقدمة في إنجاز المنتوجات الحرفية. "
                                 "وقال إن تطاوين عاشت منذ أسابيع على وقع الاحتجاجات. وتحدثت الشابة عن تجربتها.");
    typed_entity(d, "القصرين", KHABAR_ENTITY_LOC);
    typed_entity(d, "تطاوين", KHABAR_ENTITY_LOC);
    assert_null(entity_named(d, "الشابة"));
    khabar_doc_free(d);
}

/* A person the tagger ran into the table's organisation before it is a
 * person of its own (ANT, Jawhara FM 2016-2017). */
static void person_after_an_organisation(void **state)
{
    (void)state;
    khabar_doc *d = analyze_body("قال الناطق الرسمي باسم الجبهة الشعبية حمة الهمامى، \"إن قضية الشهيد قضية وطنية\". "
                                 "ودعا الهمامي خلال أدائه صباح السبت الحكومة إلى كشف الحقيقة.");
    typed_entity(d, "الجبهة الشعبية", KHABAR_ENTITY_ORG);
    typed_entity(d, "حمة الهمامى", KHABAR_ENTITY_PER);
    assert_null(entity_named(d, "الجبهة الشعبية حمة الهمامى"));
    khabar_doc_free(d);
}

/* A quoted name after an organisation's noun is an organisation (ANT,
 * Jawhara FM 2016-2017), the noun and its adjectives outside. */
static void quoted_organisations(void **state)
{
    (void)state;
    khabar_doc *d = analyze_body("وأوردت صحيفة \"الخبر\" الجزائرية أن 8 سيارات قد تحطمت. وأوضحت رئيسة جمعية \"أجيالنا\" "
                                 "التي قامت بتنظيم هذا الحدث أن الإفطار سيقام في بيروت. ومنحت المؤسسة التونسية "
                                 "\"نساء وذاكرة\" جائزة لأحسن ممثلة.");
    typed_entity(d, "الخبر", KHABAR_ENTITY_ORG);
    typed_entity(d, "أجيالنا", KHABAR_ENTITY_ORG);
    typed_entity(d, "نساء وذاكرة", KHABAR_ENTITY_ORG);
    khabar_doc_free(d);
}

/* A number the tagger puts at the end of a name stays in it (ANT: a phone
 * model): غالاكسي اس 8, not غالاكسي اس. */
static void number_ending_a_name(void **state)
{
    (void)state;
    const char *text = "كما سيتم إصدار نسختين من الهاتف \"غالاكسي اس 8\" بأحجام مختلفة مع شاشات منحنية الطرفين.";
    khabar_options o = {0};
    o.flags = KHABAR_OPTION_NO_TITLE;
    khabar_doc *d;
    khabar_error err;
    assert_int_equal(khabar_analyze(test_analyzer, text, strlen(text), &o, &d, &err), KHABAR_OK);
    assert_non_null(entity_named(d, "غالاكسي اس 8"));
    assert_null(entity_named(d, "غالاكسي اس"));
    khabar_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_loads),
        cmocka_unit_test(brotherhood_with_its_noun),
        cmocka_unit_test(festivals_named_by_a_place),
        cmocka_unit_test(quoted_titles),
        cmocka_unit_test(names_after_an_occupation),
        cmocka_unit_test(surname_alone),
        cmocka_unit_test(strong_towns),
        cmocka_unit_test(person_after_an_organisation),
        cmocka_unit_test(quoted_organisations),
        cmocka_unit_test(countries_are_places),
        cmocka_unit_test(people_and_organisations),
        cmocka_unit_test(names_keep_their_words_together),
        cmocka_unit_test(empty_input),
        cmocka_unit_test(always_valid_bio),
        cmocka_unit_test(long_sentence),
        cmocka_unit_test(documents),
        cmocka_unit_test(tag_names),
        cmocka_unit_test(weights_roundtrip),
        cmocka_unit_test(name_likeness),
        cmocka_unit_test(label_tokens),
        cmocka_unit_test(labels_agree_with_analyze),
        cmocka_unit_test(party_named_with_a_place),
        cmocka_unit_test(number_ending_a_name),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
