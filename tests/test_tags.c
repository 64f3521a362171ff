/* Tags (src/tags.c): word classes, candidates from the text and from
 * entities, one tag per thing, canonical forms, the reference and the
 * user's document frequencies. */
#include "helpers.h"

#include "doc.h"
#include "entities.h"
#include "tags.h"

/* An invented story: a phrase repeated in full and in part, a name written
 * with and without a space, a verb used often, function words. */
static const char water[] =
    "تقنية جديدة لتعقيم المياه الجوفية في المدن الساحلية\n\n"
    "أعلنت شركة المياه الوطنية أنها بدأت استخدام غاز الأوزون لتعقيم المياه الجوفية في ثلاث مدن "
    "ساحلية، بعد أن ارتفعت نسبة البكتيريا في الآبار خلال الصيف الماضي.\n"
    "وقال مدير الشركة عبد الله الخطيب إن غاز الأوزون يقضي على البكتيريا والفيروسات أسرع من الكلور، "
    "وإن تكاليف التعقيم بلغت مليوني دولار في السنة الأولى.\n"
    "وبلغت كمية المياه الجوفية المعالجة نحو عشرة آلاف متر مكعب في اليوم، وهي كمية تكفي سكان المدن "
    "الساحلية.\n"
    "ويرى خبراء الصحة العامة أن المياه الجوفية الملوثة مصدر رئيسي لأمراض الأطفال في المنطقة، وأن "
    "تعقيم المياه الجوفية بغاز الأوزون يخفض هذه الأمراض.\n"
    "وأضاف عبدالله الخطيب أن الشركة ستنشر تقارير شهرية عن جودة المياه الجوفية في كل مدينة، وبلغت "
    "قيمة العقد الأول مع البلديات مليون دولار.\n";

static const kh_tag *tag_at(const khabar_doc *d, size_t i) { return &KH_AT(d->tags, kh_tag, i); }

/* Index of the tag whose text is `text`, or -1. */
static long find_tag(const khabar_doc *d, const char *text)
{
    for (size_t i = 0; i < d->tags.len; i++)
        if (!strcmp(tag_at(d, i)->text, text)) return (long)i;
    return -1;
}

static void print_tags(const khabar_doc *d)
{
    for (size_t i = 0; i < d->tags.len; i++)
        print_message("  tag %zu: %s %.3f\n", i, tag_at(d, i)->text, tag_at(d, i)->score);
}

/* Index of the first token at or after `from` whose text is `text`. */
static size_t token_index(const khabar_doc *d, size_t from, const char *text)
{
    for (size_t i = from; i < d->tokens.len; i++) {
        const khabar_token *t = &KH_AT(d->tokens, khabar_token, i);
        if (t->span.text_len == strlen(text) && !memcmp(t->span.text, text, t->span.text_len)) return i;
    }
    fail_msg("no token %s", text);
    return 0;
}

static void retag(khabar_doc *d, const kh_tag_params *p, const kh_df_table *user)
{
    d->tags.len = d->tag_sentences.len = 0;
    khabar_error err;
    if (kh_tags(test_analyzer, d, p, user, &err) != KHABAR_OK) fail_msg("kh_tags: %s", err.message);
}

static void classify(const char *word, kh_tag_word *w)
{
    khabar_doc *d = analyze_ok(word, KHABAR_OPTION_NO_TITLE);
    assert_true(khabar_doc_token_count(d) >= 1);
    kh_tag_word_classify(test_model, khabar_doc_token(d, 0), w);
    khabar_doc_free(d);
}

static void words_are_classified(void **state)
{
    (void)state;
    kh_tag_word w;
    classify("في", &w);
    assert_int_equal(w.cls, KH_WORD_STOP);
    classify("والذي", &w);
    assert_int_equal(w.cls, KH_WORD_STOP);
    classify("أمام", &w);
    assert_int_equal(w.cls, KH_WORD_STOP);
    classify("إمام", &w); /* hamza tells the name from the preposition */
    assert_int_equal(w.cls, KH_WORD_CONTENT);
    classify("الثانية", &w);
    assert_int_equal(w.cls, KH_WORD_MODIFIER);
    classify("والمكتبات", &w);
    assert_int_equal(w.cls, KH_WORD_CONTENT);
    assert_true(w.proclitic);
    assert_true(w.article);
    classify("2021", &w);
    assert_int_equal(w.cls, KH_WORD_BREAK);
    classify("سيعودون", &w);
    assert_true(w.verbal);
    /* adverbial prepositions and the formulae after God's name (التطرف داخل
     * بريطانيا gave the tag التطرف داخل; الله تعالى, إن شاء الله gave تعالى, شاء) */
    const char *stops[] = {"داخل", "خارج", "تعالى", "شاء", "سبحانه", "رضي"};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        classify(stops[i], &w);
        if (w.cls != KH_WORD_STOP) fail_msg("%s is not a stop word", stops[i]);
    }
}

/* An ANT article (tests/tags/README.md) analysed as `khabar analyze FILE`. */
static khabar_doc *ant_article(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "tests/tags/%s.txt", name);
    size_t len;
    char *text = read_source_file(path, &len);
    khabar_doc *d = NULL;
    khabar_error err;
    if (khabar_analyze(test_analyzer, text, len, NULL, &d, &err)) fail_msg("%s: %s", name, err.message);
    free(text);
    return d;
}

/* Whether a tag has the word `word` (a whole word of it). */
static int tag_has_word(const khabar_doc *d, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i < d->tags.len; i++)
        for (const char *t = tag_at(d, i)->text; (t = strstr(t, word)); t += n)
            if ((t == tag_at(d, i)->text || t[-1] == ' ') && (t[n] == '\0' || t[n] == ' ')) return 1;
    return 0;
}

/* The currency of an amount (4ر314 مليون دولار) and the words of a date
 * (السداسي الاول من سنة 2015، نفس الفترة) say what a number counts and
 * when, not what the article is about; with the rules off they were tags. */
static void amounts_and_dates_are_not_tags(void **state)
{
    (void)state;
    kh_tag_params p;
    khabar_doc *d = ant_article("JA-economy-320-20170613");
    print_tags(d);
    assert_false(tag_has_word(d, "دولار"));
    assert_false(tag_has_word(d, "دينار"));
    assert_true(find_tag(d, "صندوق النقد الدولي") >= 0);
    kh_tag_params_init(&p);
    p.units_apart = 0;
    retag(d, &p, NULL);
    assert_true(tag_has_word(d, "دولار"));
    khabar_doc_free(d);

    d = ant_article("JA-economy-157-20150705");
    print_tags(d);
    assert_false(tag_has_word(d, "الفترة"));
    assert_false(tag_has_word(d, "السداسي"));
    assert_false(tag_has_word(d, "دينار"));
    assert_true(find_tag(d, "العجز التجاري") >= 0);
    kh_tag_params_init(&p);
    p.dates_apart = 0;
    retag(d, &p, NULL);
    assert_true(tag_has_word(d, "الفترة") || tag_has_word(d, "السداسي"));
    khabar_doc_free(d);
}

/* حركة نداء is always cut off before تونس (the party نداء تونس).  The
 * entity stage now makes the party whole, an organisation, so the party
 * leads the tags and the fragment is none (it was the first tag); with the
 * fragment rules off it stays out too. */
static void fragments_of_names_rank_low(void **state)
{
    (void)state;
    khabar_doc *d = ant_article("JA-politic-481-20170530");
    print_tags(d);
    assert_int_equal(find_tag(d, "نداء تونس"), 0);
    assert_true(find_tag(d, "حركة نداء") < 0);
    kh_tag_params p;
    kh_tag_params_init(&p);
    p.names_complete = 0;
    p.fragment_weight = 1;
    retag(d, &p, NULL);
    assert_int_equal(find_tag(d, "نداء تونس"), 0);
    assert_true(find_tag(d, "حركة نداء") < 0);
    khabar_doc_free(d);
}

/* A verb in the imperfect (نستطيع مساعدة المرضى) does not lead a phrase;
 * an adjective in the accusative (معدلة وراثيا), never with the article in
 * that form, is no verb. */
static void verbs_and_accusatives(void **state)
{
    (void)state;
    khabar_doc *d = ant_article("JA-diverse-80-20170208");
    print_tags(d);
    assert_false(tag_has_word(d, "نستطيع"));
    assert_true(find_tag(d, "معدلة وراثيا") >= 0);
    khabar_doc_free(d);
}

/* A person's titles beside the name (وزير التجارة محسن حسن) say how the
 * person is named, not what the article is about, and a title never ends a
 * phrase: with the rule off, وزير alone was a tag.  وزير التجارة stays one:
 * the headline uses it on its own (وزير التجارة : 750 ألف دينار ...). */
static void titles_of_people_are_not_tags(void **state)
{
    (void)state;
    kh_tag_word w;
    classify("الأمير", &w);
    assert_true(w.title && w.cls == KH_WORD_CONTENT);
    classify("الوزراء", &w);
    assert_false(w.title);
    khabar_doc *d = ant_article("JA-localNews-1528-20160618");
    print_tags(d);
    assert_true(find_tag(d, "محسن حسن") >= 0);
    assert_int_equal(find_tag(d, "وزير"), -1);
    kh_tag_params p;
    kh_tag_params_init(&p);
    p.person_titles = 0;
    retag(d, &p, NULL);
    assert_true(find_tag(d, "وزير") >= 0);
    khabar_doc_free(d);
}

/* An indefinite accusative (أكثر من 40 مهاجرا، شوقًا) is no tag: with the
 * rule off, مهاجرا was one.  A function word with the tanween (أيضًا) is
 * left alone: it has no term to stand on. */
static void accusatives_are_not_tags(void **state)
{
    (void)state;
    khabar_doc *d = ant_article("JA-internationalNews-1041-20170601");
    print_tags(d);
    assert_false(tag_has_word(d, "مهاجرا"));
    kh_tag_params p;
    kh_tag_params_init(&p);
    p.accusatives_apart = 0;
    retag(d, &p, NULL);
    assert_true(tag_has_word(d, "مهاجرا"));
    khabar_doc_free(d);

    d = analyze_ok("يمنح الجندي المصاب شوقًا مضاعفًا للعطاء، ويمنحه أيضًا شوقًا للوطن. "
                   "وقال القائد إن الجندي يشعر شوقًا كبيرًا أيضاً.", KHABAR_OPTION_NO_TITLE);
    print_tags(d);
    assert_false(tag_has_word(d, "شوقًا") || tag_has_word(d, "شوقا"));
    khabar_doc_free(d);
}

/* God's name in formulae (راجية من الله أن يتغمده) is no tag, even when the
 * entity stage names it; it may still end a phrase (رسول الله). */
static void formulae_are_not_tags(void **state)
{
    (void)state;
    kh_tag_word w;
    classify("الله", &w);
    assert_int_equal(w.cls, KH_WORD_MODIFIER);
    khabar_doc *d = ant_article("JA-localNews-1493-20170220");
    print_tags(d);
    assert_true(find_tag(d, "نوال غشام") >= 0);
    assert_int_equal(find_tag(d, "الله"), -1);
    khabar_doc_free(d);
}

static void tags_come_best_first_in_canonical_form(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok(water, 0);
    print_tags(d);
    assert_true(d->tags.len >= 3 && d->tags.len <= 10);
    assert_true(tag_at(d, 0)->score == 1.0);
    for (size_t i = 1; i < d->tags.len; i++) {
        assert_true(tag_at(d, i)->score <= tag_at(d, i - 1)->score);
        assert_true(tag_at(d, i)->score > 0);
    }
    assert_true(find_tag(d, "المياه الجوفية") >= 0);
    assert_true(find_tag(d, "غاز الأوزون") >= 0);
    /* the ل the segmenter left on لتعقيم comes off: the article also writes تعقيم */
    assert_true(find_tag(d, "تعقيم المياه الجوفية") >= 0);
    for (size_t i = 0; i < d->tags.len; i++) {
        const char *t = tag_at(d, i)->text;
        assert_null(strstr(t, "لتعقيم"));
        assert_null(strstr(t, "بلغت")); /* a verb */
        assert_true(strcmp(t, "الجوفية") != 0); /* an adjective alone */
        assert_true(strcmp(t, "في") != 0);
    }
    khabar_doc_free(d);
}

static void one_tag_per_thing(void **state)
{
    (void)state;
    kh_tag_params p;
    kh_tag_params_init(&p);
    p.min_relative = 0;
    p.min_tags = 10;
    khabar_doc *d = analyze_ok(water, 0);
    retag(d, &p, NULL);
    print_tags(d);
    int names = 0;
    for (size_t i = 0; i < d->tags.len; i++) {
        const char *t = tag_at(d, i)->text;
        names += strstr(t, "الخطيب") != NULL;
        for (size_t j = 0; j < i; j++) assert_true(strcmp(t, tag_at(d, j)->text) != 0);
    }
    assert_true(names <= 1); /* عبد الله الخطيب and عبدالله الخطيب are one person */
    /* a word that is nearly always part of a phrase comes out in the phrase */
    assert_int_equal(find_tag(d, "الأوزون"), -1);
    assert_int_equal(find_tag(d, "غاز"), -1);
    khabar_doc_free(d);
}

static void tags_know_their_sentences(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok(water, 0);
    long t = find_tag(d, "غاز الأوزون");
    assert_true(t >= 0);
    size_t seen = 0, last = 0;
    for (size_t i = 0; i < d->tag_sentences.len; i++) {
        const kh_tag_sentence *ts = &KH_AT(d->tag_sentences, kh_tag_sentence, i);
        assert_true(ts->tag < d->tags.len);
        assert_true(ts->sentence < d->sentences.len);
        if (i) assert_true(ts->tag > last || (ts->tag == last && ts->sentence > KH_AT(d->tag_sentences, kh_tag_sentence, i - 1).sentence));
        last = ts->tag;
        if (ts->tag != (size_t)t) continue;
        const khabar_sentence *s = khabar_doc_sentence(d, ts->sentence);
        char *text = strndup(s->span.text, s->span.text_len);
        assert_non_null(strstr(text, "الأوزون"));
        free(text);
        seen++;
    }
    assert_int_equal(seen, 3);
    khabar_doc_free(d);
}

/* Entities as the entity stage will give them, made by hand. */
static const char food[] =
    "تحذير من نقص الغذاء في اليمن\n\n"
    "حذرت الأمم المتحدة من نقص حاد في الغذاء في اليمن، وقال برنامج الأغذية العالمي إن ملايين السكان "
    "يحتاجون إلى المساعدة.\n"
    "وأكد البرنامج أن الأمم المتحدة ستزيد المساعدات الغذائية لليمن خلال الأشهر المقبلة.\n"
    "ويقاتل تنظيم داعش في شمال البلاد، فيما يقاتل فرع داعش خراسان في مناطق أخرى بعيدة.\n"
    "وقال مسؤول في برنامج الأغذية العالمي إن أسعار الغذاء ارتفعت في صنعاء، وإن اليمن يستورد معظم "
    "غذائه.\n"
    "وأعلن تنظيم داعش مسؤوليته عن هجوم في الجنوب.\n";

static void add_mention(khabar_doc *d, size_t entity, size_t first, size_t last)
{
    kh_mention *m = kh_vec_push(&d->mentions, sizeof *m);
    assert_non_null(m);
    const kh_entity *e = &KH_AT(d->entities, kh_entity, entity);
    m->type = e->type;
    m->first = first;
    m->last = last;
    m->entity = entity;
    const khabar_token *a = &KH_AT(d->tokens, khabar_token, first);
    const khabar_token *b = &KH_AT(d->tokens, khabar_token, last - 1);
    m->start = a->span.start;
    m->end = b->span.end;
    m->sentence = a->sentence < 0 ? 0 : (size_t)a->sentence;
    m->text = e->name;
}

static void add_entity(khabar_doc *d, kh_entity_type type, const char *name)
{
    kh_entity *e = kh_vec_push(&d->entities, sizeof *e);
    assert_non_null(e);
    e->type = type;
    e->name = name;
}

/* Mentions of entity e at every run of tokens spelling words[0..n). */
static size_t mention_all(khabar_doc *d, size_t e, const char *const *words, size_t n)
{
    size_t found = 0;
    for (size_t i = 0; i + n <= d->tokens.len; i++) {
        size_t k = 0;
        while (k < n) {
            const khabar_token *t = &KH_AT(d->tokens, khabar_token, i + k);
            if (t->span.text_len != strlen(words[k]) || memcmp(t->span.text, words[k], t->span.text_len)) break;
            k++;
        }
        if (k == n) add_mention(d, e, i, i + n), found++;
    }
    return found;
}

static void entities_are_tags(void **state)
{
    (void)state;
    khabar_doc *d = analyze_skipping(food, 0, KHABAR_SKIP_ENTITIES); /* the entities are the test's own */
    enum { UN, YEMEN, WFP, ISIS, ISIS_K };
    add_entity(d, KH_ENTITY_ORG, "الأمم المتحدة");
    add_entity(d, KH_ENTITY_LOC, "اليمن");
    add_entity(d, KH_ENTITY_ORG, "برنامج الأغذية العالمي");
    add_entity(d, KH_ENTITY_ORG, "داعش");
    add_entity(d, KH_ENTITY_ORG, "داعش خراسان");
    static const char *const un[] = {"الأمم", "المتحدة"}, *const yemen[] = {"اليمن"},
                             *const yemen2[] = {"لليمن"}, *const wfp[] = {"برنامج", "الأغذية", "العالمي"},
                             *const wfp2[] = {"البرنامج"}, *const isis[] = {"داعش"};
    assert_int_equal(mention_all(d, UN, un, 2), 2);
    assert_int_equal(mention_all(d, YEMEN, yemen, 1), 3);
    assert_int_equal(mention_all(d, YEMEN, yemen2, 1), 1);
    assert_int_equal(mention_all(d, WFP, wfp, 3), 2);
    assert_int_equal(mention_all(d, WFP, wfp2, 1), 1);
    /* داعش خراسان is one mention of its own entity; the other داعش are ISIS */
    size_t k = token_index(d, 0, "خراسان");
    add_mention(d, ISIS_K, k - 1, k + 1);
    for (size_t i = 0; i < d->tokens.len; i++) {
        const khabar_token *t = &KH_AT(d->tokens, khabar_token, i);
        if (i != k - 1 && t->span.text_len == strlen(isis[0]) && !memcmp(t->span.text, isis[0], t->span.text_len))
            add_mention(d, ISIS, i, i + 1);
    }
    retag(d, NULL, NULL);
    print_tags(d);
    for (size_t e = 0; e < d->entities.len; e++) {
        const char *name = KH_AT(d->entities, kh_entity, e).name;
        long t = find_tag(d, name);
        if (t < 0) fail_msg("entity %s is not a tag", name);
        assert_int_equal(tag_at(d, (size_t)t)->entity, (long)e);
    }
    /* the mentions' words make no tags of their own */
    assert_int_equal(find_tag(d, "البرنامج"), -1);
    assert_int_equal(find_tag(d, "الأغذية العالمي"), -1);
    assert_int_equal(find_tag(d, "خراسان"), -1);
    assert_int_equal(find_tag(d, "الأمم"), -1);

    /* without the entity bonus the order changes, the tags stay entities */
    kh_tag_params p;
    kh_tag_params_init(&p);
    double with_bonus = tag_at(d, (size_t)find_tag(d, "داعش خراسان"))->score;
    p.entity_weight = 0.1;
    retag(d, &p, NULL);
    long t = find_tag(d, "داعش خراسان");
    assert_true(t < 0 || tag_at(d, (size_t)t)->score < with_bonus);

    /* a branch (داعش خراسان of داعش) gains a share of its parent's score:
     * without it, the branch ranks lower against the parent */
    kh_tag_params_init(&p);
    p.min_relative = 0;
    retag(d, &p, NULL);
    double share = tag_at(d, (size_t)find_tag(d, "داعش خراسان"))->score /
                   tag_at(d, (size_t)find_tag(d, "داعش"))->score;
    p.branch_share = 0;
    retag(d, &p, NULL);
    t = find_tag(d, "داعش خراسان");
    assert_true(t < 0 || tag_at(d, (size_t)t)->score / tag_at(d, (size_t)find_tag(d, "داعش"))->score < share);
    khabar_doc_free(d);
}

static void user_corpus_changes_rarity(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok(water, 0);
    retag(d, NULL, NULL);
    long water_tag = find_tag(d, "المياه الجوفية"), ozone_tag = find_tag(d, "غاز الأوزون");
    assert_true(water_tag >= 0 && ozone_tag >= 0);
    assert_true(water_tag < ozone_tag);

    /* a user's corpus about ground water: its words there say little */
    kh_buf lines = {0};
    size_t k = token_index(d, 0, "المياه"), j = token_index(d, 0, "الجوفية");
    const char *stems[] = {KH_AT(d->tokens, khabar_token, k).stem, KH_AT(d->tokens, khabar_token, j).stem};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(kh_buf_append(&lines, stems[i], strlen(stems[i])), 0);
        assert_int_equal(kh_buf_append(&lines, "\t20000\n", 7), 0);
    }
    kh_df_table user = {kh_lexicon_load(lines.data, lines.len, KHABAR_FOLD_ALL), 20000};
    assert_non_null(user.df);
    assert_true(kh_idf(test_model, &user, stems[0], strlen(stems[0])) <
                kh_idf(test_model, NULL, stems[0], strlen(stems[0])));
    /* a stem the user's corpus never has stays about as rare */
    const char *ozone = KH_AT(d->tokens, khabar_token, token_index(d, 0, "الأوزون")).stem;
    assert_true(kh_idf(test_model, &user, ozone, strlen(ozone)) >=
                kh_idf(test_model, NULL, ozone, strlen(ozone)));
    retag(d, NULL, &user);
    print_tags(d);
    water_tag = find_tag(d, "المياه الجوفية");
    ozone_tag = find_tag(d, "غاز الأوزون");
    assert_true(ozone_tag >= 0);
    assert_true(water_tag < 0 || ozone_tag < water_tag);
    kh_lexicon_free((kh_lexicon *)user.df);
    kh_buf_free(&lines);
    khabar_doc_free(d);
}

/* The public table (khabar_df_load) handed to khabar_analyze, as
 * analyze --db does with the archive's. */
static void user_table_through_options(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok(water, 0);
    char stem[128];
    size_t n;
    kh_buf lines = {0};
    assert_int_equal(kh_buf_append(&lines, "# a corpus about ground water\n", 30), 0);
    assert_int_equal(khabar_stem(test_analyzer, "الجوفية", strlen("الجوفية"), stem, sizeof stem, &n, NULL), KHABAR_OK);
    assert_int_equal(kh_buf_append(&lines, stem, n), 0);
    assert_int_equal(kh_buf_append(&lines, "\t15000\n", 7), 0);
    assert_int_equal(khabar_stem(test_analyzer, "المياه", strlen("المياه"), stem, sizeof stem, &n, NULL), KHABAR_OK);
    assert_int_equal(kh_buf_append(&lines, stem, n), 0);
    assert_int_equal(kh_buf_append(&lines, "\t30000\n", 7), 0); /* more than its documents: read as all */
    khabar_df *df = NULL;
    assert_int_equal(khabar_df_load(lines.data, lines.len, 20000, &df, NULL), KHABAR_OK);
    assert_int_equal(khabar_df_documents(df), 20000);
    assert_int_equal(khabar_df_count(df, stem, n), 20000);
    assert_int_equal(khabar_df_count(df, "الأوزون", strlen("الأوزون")), 0);
    assert_int_equal(khabar_df_count(NULL, stem, n), 0);
    khabar_options o = {0};
    o.df = df;
    khabar_doc *with = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, water, strlen(water), &o, &with, NULL), KHABAR_OK);
    /* ground water says less of the article, the gas used on it more */
    long before = find_tag(d, "المياه الجوفية"), after = find_tag(with, "المياه الجوفية");
    long gas_before = find_tag(d, "غاز الأوزون"), gas_after = find_tag(with, "غاز الأوزون");
    print_tags(with);
    assert_true(before >= 0 && gas_before > before);
    assert_true(after < 0 || after > before);
    assert_true(gas_after >= 0 && gas_after < gas_before);
    khabar_doc_free(with);
    khabar_df_free(df);
    khabar_df_free(NULL);
    /* an empty corpus is a table too; a NULL text with a length is not */
    assert_int_equal(khabar_df_load(NULL, 0, 0, &df, NULL), KHABAR_OK);
    assert_int_equal(khabar_df_count(df, stem, n), 0);
    khabar_df_free(df);
    assert_int_equal(khabar_df_load(NULL, 5, 0, &df, NULL), KHABAR_ERROR_ARGUMENT);
    khabar_error err;
    assert_int_equal(khabar_df_load("ab\xff\t3\n", 6, 10, &df, &err), KHABAR_ERROR_UTF8);
    assert_int_equal(err.offset, 2);
    assert_null(df);
    kh_buf_free(&lines);
    khabar_doc_free(d);
}

static void reference_rarity(void **state)
{
    (void)state;
    /* a word in nearly every article of the reference corpus against one in none */
    assert_true(test_model->df_documents > 1000);
    double common = kh_idf(test_model, NULL, "في", strlen("في"));
    double unseen = kh_idf(test_model, NULL, "زززز", strlen("زززز"));
    assert_true(common < 1);
    assert_true(unseen > 8);
}

static void short_and_empty_texts(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok("في من إلى على\n\nهذا هو ذلك.", 0);
    assert_int_equal(d->tags.len, 0);
    khabar_doc_free(d);
    d = analyze_ok("كلمة", KHABAR_OPTION_NO_TITLE);
    assert_true(d->tags.len <= 1);
    khabar_doc_free(d);
    /* the title alone is not enough: a tag occurs in the body */
    d = analyze_ok("زلزال في تشيلي\n\nوقع حادث كبير اليوم.", 0);
    print_tags(d);
    assert_int_equal(find_tag(d, "زلزال"), -1);
    assert_int_equal(find_tag(d, "تشيلي"), -1);
    khabar_doc_free(d);
}

static void seed_tags(void **state)
{
    (void)state;
    size_t len;
    char *text = read_source_file("examples/article.txt", &len);
    khabar_doc *d = NULL;
    khabar_error err;
    assert_int_equal(khabar_analyze(test_analyzer, text, len, NULL, &d, &err), KHABAR_OK);
    print_tags(d);
    assert_true(d->tags.len >= 5 && d->tags.len <= 10);
    /* led by the three main actors */
    for (size_t i = 0; i < 3; i++) {
        const char *t = tag_at(d, i)->text;
        assert_true(!strcmp(t, "طالبان") || !strcmp(t, "داعش") || !strcmp(t, "أفغانستان"));
    }
    assert_true(find_tag(d, "أبو عمر خراساني") >= 0);
    assert_true(find_tag(d, "كابول") >= 0);
    assert_int_equal(find_tag(d, "افغانستان"), -1); /* the spelling with hamza, as the body has it */
    khabar_doc_free(d);
    free(text);
}

/* The public accessors give what the JSON gives: the same entities and
 * tags in the same order, borrowed from the doc; none when skipped. */
static void public_entities_and_tags(void **state)
{
    (void)state;
    size_t len;
    char *text = read_source_file("examples/article.txt", &len);
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, text, len, NULL, &d, NULL), KHABAR_OK);
    assert_int_equal(khabar_doc_entity_count(d), d->entities.len);
    assert_int_equal(khabar_doc_tag_count(d), d->tags.len);
    assert_true(khabar_doc_entity_count(d) > 3);
    int taliban = 0;
    for (size_t i = 0; i < khabar_doc_entity_count(d); i++) {
        const khabar_entity *e = khabar_doc_entity(d, i);
        const kh_entity *k = &KH_AT(d->entities, kh_entity, i);
        assert_string_equal(e->name, k->name);
        assert_int_equal(e->mentions, k->mentions);
        assert_int_equal(e->variant_count, k->n_variants);
        assert_true(e->variant_count >= 1);
        if (!strcmp(e->name, "طالبان")) {
            taliban = 1;
            assert_string_equal(khabar_entity_type_name(e->type), "ORG");
            assert_true(e->mentions > 5);
        }
    }
    assert_true(taliban);
    assert_null(khabar_doc_entity(d, khabar_doc_entity_count(d)));
    const khabar_tag *first = khabar_doc_tag(d, 0);
    assert_non_null(first);
    assert_true(first->score > 0.999 && first->score < 1.001);
    for (size_t i = 0; i < khabar_doc_tag_count(d); i++) {
        const khabar_tag *t = khabar_doc_tag(d, i);
        assert_string_equal(t->text, tag_at(d, i)->text);
        if (t->entity >= 0) assert_non_null(khabar_doc_entity(d, (size_t)t->entity));
    }
    assert_null(khabar_doc_tag(d, khabar_doc_tag_count(d)));
    khabar_doc_free(d);
    d = analyze_skipping("طالبان تسيطر على كابول.", 0, KHABAR_SKIP_ENTITIES | KHABAR_SKIP_TAGS);
    assert_int_equal(khabar_doc_entity_count(d), 0);
    assert_int_equal(khabar_doc_tag_count(d), 0);
    khabar_doc_free(d);
    assert_int_equal(khabar_doc_entity_count(NULL), 0);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_are_classified),
        cmocka_unit_test(tags_come_best_first_in_canonical_form),
        cmocka_unit_test(one_tag_per_thing),
        cmocka_unit_test(tags_know_their_sentences),
        cmocka_unit_test(entities_are_tags),
        cmocka_unit_test(user_corpus_changes_rarity),
        cmocka_unit_test(user_table_through_options),
        cmocka_unit_test(amounts_and_dates_are_not_tags),
        cmocka_unit_test(fragments_of_names_rank_low),
        cmocka_unit_test(verbs_and_accusatives),
        cmocka_unit_test(titles_of_people_are_not_tags),
        cmocka_unit_test(accusatives_are_not_tags),
        cmocka_unit_test(formulae_are_not_tags),
        cmocka_unit_test(reference_rarity),
        cmocka_unit_test(short_and_empty_texts),
        cmocka_unit_test(seed_tags),
        cmocka_unit_test(public_entities_and_tags),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
