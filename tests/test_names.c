/* khabar_entity_names_relate: two names of entities, by the rules that
 * link the mentions of one article (the archive links entities across
 * articles with it). */
#include "helpers.h"

static khabar_name_relation relate(khabar_entity_type type, const char *a, const char *b)
{
    khabar_name_relation r = KHABAR_NAMES_UNTOLD;
    khabar_error err;
    if (khabar_entity_names_relate(test_model, type, a, strlen(a), b, strlen(b), &r, &err))
        fail_msg("relate: %s", err.message);
    return r;
}

static void assert_relation(khabar_entity_type type, const char *a, const char *b, khabar_name_relation want)
{
    khabar_name_relation got = relate(type, a, b);
    if (got != want) fail_msg("'%s' and '%s': %d, not %d", a, b, (int)got, (int)want);
}

static void one_thing(void **state)
{
    (void)state;
    /* one key: hamza, ة/ه, diacritics */
    assert_relation(KHABAR_ENTITY_ORG, "الأمم المتحدة", "الامم المتحده", KHABAR_NAMES_SAME);
    assert_relation(KHABAR_ENTITY_PER, "مُحمَّد", "محمد", KHABAR_NAMES_SAME);
    /* known aliases (data/entities.txt) */
    assert_relation(KHABAR_ENTITY_LOC, "الولايات المتحدة", "أمريكا", KHABAR_NAMES_SAME);
    /* a letter inserted or dropped in a long name */
    assert_relation(KHABAR_ENTITY_PER, "أرنولد شوارزنيغر", "أرنولد شوارتزنيغر", KHABAR_NAMES_MISSPELLED);
    assert_relation(KHABAR_ENTITY_LOC, "اسكتلندا", "اسكوتلندا", KHABAR_NAMES_MISSPELLED);
    assert_relation(KHABAR_ENTITY_LOC, "تلندا", "تلاندا", KHABAR_NAMES_DIFFERENT); /* too short */
    /* not a changed letter: سلمان and سلطان are two names */
    assert_relation(KHABAR_ENTITY_PER, "سلمان", "سلطان", KHABAR_NAMES_DIFFERENT);
    /* names with digits or Latin letters: their normal forms only */
    assert_relation(KHABAR_ENTITY_MISC, "G20", "g20", KHABAR_NAMES_DIFFERENT);
    assert_relation(KHABAR_ENTITY_MISC, "قمة G20", "قمة G20", KHABAR_NAMES_SAME);
    /* ئ written ي, ؤ written و (ANT: سعيد العائدي ... سعيد العايدي); not
     * one word that with its hamza is an ordinary word (رئيس, the city رييس) */
    assert_relation(KHABAR_ENTITY_PER, "الباجي قائد السبسي", "الباجي قايد السبسي", KHABAR_NAMES_SAME);
    assert_relation(KHABAR_ENTITY_PER, "فؤاد المبزع", "فواد المبزع", KHABAR_NAMES_SAME);
    assert_relation(KHABAR_ENTITY_PER, "قايد السبسي", "الباجي قائد السبسي", KHABAR_NAMES_SHORTER);
    assert_relation(KHABAR_ENTITY_LOC, "رئيس", "رييس", KHABAR_NAMES_DIFFERENT);
}

static void shortened_names(void **state)
{
    (void)state;
    assert_relation(KHABAR_ENTITY_PER, "أوباما", "باراك أوباما", KHABAR_NAMES_SHORTER);
    assert_relation(KHABAR_ENTITY_PER, "باراك أوباما", "أوباما", KHABAR_NAMES_LONGER);
    assert_relation(KHABAR_ENTITY_PER, "قايد السبسي", "الباجي قايد السبسي", KHABAR_NAMES_SHORTER);
    /* the first words before the lineage */
    assert_relation(KHABAR_ENTITY_PER, "محمد بن سلمان", "محمد بن سلمان بن عبد العزيز", KHABAR_NAMES_SHORTER);
    /* the father's name is not the son's: سلمان after بن */
    assert_relation(KHABAR_ENTITY_PER, "سلمان", "محمد بن سلمان", KHABAR_NAMES_DIFFERENT);
    /* shortened forms are persons' only */
    assert_relation(KHABAR_ENTITY_ORG, "أوباما", "باراك أوباما", KHABAR_NAMES_DIFFERENT);
}

static void people_told_apart(void **state)
{
    (void)state;
    assert_relation(KHABAR_ENTITY_PER, "هيلاري كلينتون", "بيل كلينتون", KHABAR_NAMES_DIFFERENT);
    assert_relation(KHABAR_ENTITY_PER, "الباجي قايد السبسي", "حافظ قايد السبسي", KHABAR_NAMES_DIFFERENT);
    assert_relation(KHABAR_ENTITY_PER, "عبد الله المعيوف", "عبد الله المطيري", KHABAR_NAMES_DIFFERENT);
    /* an ordinary word in a tagger's span tells nobody apart */
    assert_relation(KHABAR_ENTITY_PER, "أمام السيسي", "عبد الفتاح السيسي", KHABAR_NAMES_UNTOLD);
}

static void arguments(void **state)
{
    (void)state;
    khabar_name_relation r;
    khabar_error err;
    assert_int_equal(khabar_entity_names_relate(NULL, KHABAR_ENTITY_PER, "a", 1, "a", 1, &r, &err),
                     KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_entity_names_relate(test_model, KHABAR_ENTITY_PER, NULL, 1, "a", 1, &r, NULL),
                     KHABAR_ERROR_ARGUMENT);
    assert_int_equal(khabar_entity_names_relate(test_model, KHABAR_ENTITY_PER, "a", 1, "a", 1, NULL, NULL),
                     KHABAR_ERROR_ARGUMENT);
    /* empty names are no name */
    assert_int_equal(khabar_entity_names_relate(test_model, KHABAR_ENTITY_PER, NULL, 0, "", 0, &r, NULL), KHABAR_OK);
    assert_int_equal(r, KHABAR_NAMES_DIFFERENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_thing),
        cmocka_unit_test(shortened_names),
        cmocka_unit_test(people_told_apart),
        cmocka_unit_test(arguments),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
