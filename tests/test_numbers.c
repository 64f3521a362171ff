/* Numbers and quantities (src/numbers.c): digits in every script and
 * separator convention, number words, ranges, approximations, percentages,
 * money, measures, ordinals, the thing counted, and what is not a number. */
#include <math.h>

#include "facts_helpers.h"

typedef struct found {
    test_tokens tk;
    kh_vec dates, q;
} found;

static const kh_facts *facts(void) { return test_model->facts; }

static void find(found *f, const char *sentence, int conll)
{
    memset(&f->dates, 0, sizeof f->dates);
    memset(&f->q, 0, sizeof f->q);
    if (conll) tokens_of_conll(&f->tk, sentence);
    else tokens_of_text(&f->tk, sentence);
    assert_int_equal(kh_find_dates(facts(), f->tk.t, f->tk.n, NULL, NULL, &f->dates), KHABAR_OK);
    assert_int_equal(kh_find_quantities(facts(), f->tk.t, f->tk.n, NULL, &f->dates, &f->q), KHABAR_OK);
}

static void found_free(found *f)
{
    kh_vec_free(&f->dates);
    kh_vec_free(&f->q);
    tokens_free(&f->tk);
}

static void dump(const found *f)
{
    const kh_quantity *q = f->q.data;
    char buf[512];
    for (size_t i = 0; i < f->q.len; i++) {
        bytes_text(&f->tk, q[i].start, q[i].end, buf, sizeof buf);
        print_message("  quantity %zu: %s [%s] value %g min %g max %g\n", i, kh_quantity_kind_name(q[i].kind),
                      buf, q[i].value, q[i].min, q[i].max);
    }
}

/* The quantity whose text (whole expression) is `text`. */
static const kh_quantity *with_text(const found *f, const char *text)
{
    const kh_quantity *q = f->q.data;
    char buf[512];
    for (size_t i = 0; i < f->q.len; i++) {
        bytes_text(&f->tk, q[i].start, q[i].end, buf, sizeof buf);
        if (!strcmp(buf, text)) return &q[i];
    }
    dump(f);
    fail_msg("no quantity \"%s\"", text);
    return NULL;
}

static void assert_unit(const found *f, const kh_quantity *q, const char *unit)
{
    char buf[256];
    bytes_text(&f->tk, q->unit_start, q->unit_end, buf, sizeof buf);
    if (q->unit.first == q->unit.last) buf[0] = '\0';
    assert_string_equal(buf, unit);
}

static void assert_part(const found *f, const kh_quantity *q, unsigned i, const char *text)
{
    char buf[256];
    assert_true(i < q->n_parts);
    range_text(&f->tk, q->parts[i].first, q->parts[i].last, buf, sizeof buf);
    assert_string_equal(buf, text);
}

/* One exact value. */
static void check_value(const char *sentence, int conll, const char *text, kh_quantity_kind kind,
                         double value, const char *unit)
{
    found f;
    find(&f, sentence, conll);
    const kh_quantity *q = with_text(&f, text);
    if (q->kind != kind) fail_msg("%s: kind %s", text, kh_quantity_kind_name(q->kind));
    assert_true(q->has_value);
    if (fabs(q->value - value) > 1e-6 * fmax(1, value)) fail_msg("%s: value %g, want %g", text, q->value, value);
    if (unit) assert_unit(&f, q, unit);
    found_free(&f);
}

static void check_bounds(const char *sentence, int conll, const char *text, kh_quantity_kind kind,
                          double min, double max, int approx)
{
    found f;
    find(&f, sentence, conll);
    const kh_quantity *q = with_text(&f, text);
    assert_int_equal(q->kind, kind);
    assert_false(q->has_value);
    if (!isnan(min)) {
        assert_true(q->has_min);
        assert_true(fabs(q->min - min) < 1e-6 * fmax(1, min));
    } else {
        assert_false(q->has_min);
    }
    if (!isnan(max)) {
        assert_true(q->has_max);
        assert_true(fabs(q->max - max) < 1e-6 * fmax(1, max));
    } else {
        assert_false(q->has_max);
    }
    assert_int_equal(q->approx, approx);
    found_free(&f);
}

/* الأخير, آخر: an ordinal without a value. */
static void check_last(const char *sentence, const char *text)
{
    found f;
    find(&f, sentence, 0);
    const kh_quantity *q = with_text(&f, text);
    assert_int_equal(q->kind, KH_QUANTITY_ORDINAL);
    assert_true(q->last_ordinal);
    found_free(&f);
}

static void check_none(const char *sentence, int conll)
{
    found f;
    find(&f, sentence, conll);
    if (f.q.len) {
        dump(&f);
        fail_msg("expected no quantity in \"%s\"", sentence);
    }
    found_free(&f);
}

static void digits_in_every_script(void **state)
{
    (void)state;
    check_value("قتل 25 شخصا في الهجوم.", 0, "25 شخصا", KH_QUANTITY_CARDINAL, 25, "شخصا");
    check_value("وصل ١٢٣ طالبا.", 0, "١٢٣ طالبا", KH_QUANTITY_CARDINAL, 123, "طالبا");
    check_value("وصل ۱۲ نفر.", 0, "۱۲ نفر", KH_QUANTITY_CARDINAL, 12, "نفر");
    check_value("وانضم 3.5 مليون لاجئ.", 0, "3.5 مليون لاجئ", KH_QUANTITY_CARDINAL, 3.5e6, "لاجئ");
    check_value("بلغ المؤشر ٣٫٥ نقاط.", 0, "٣٫٥ نقاط", KH_QUANTITY_CARDINAL, 3.5, "نقاط");
}

static void thousands_separators(void **state)
{
    (void)state;
    /* the group-of-three rule: 10.000 is ten thousand, 3.5 three and a half */
    check_value("يضم 10.000 مقاتل.", 0, "10.000 مقاتل", KH_QUANTITY_CARDINAL, 10000, "مقاتل");
    check_value("يضم 10,000 مقاتل.", 0, "10,000 مقاتل", KH_QUANTITY_CARDINAL, 10000, "مقاتل");
    check_value("يضم ١٠٬٠٠٠ مقاتل.", 0, "١٠٬٠٠٠ مقاتل", KH_QUANTITY_CARDINAL, 10000, "مقاتل");
    check_value("يضم 1.250.000 نسمة.", 0, "1.250.000 نسمة", KH_QUANTITY_CARDINAL, 1250000, "نسمة");
    check_value("بلغ 1,234.5 طن.", 0, "1,234.5 طن", KH_QUANTITY_MEASURE, 1234.5, "طن");
    check_value("بلغ 1.234,5 طن.", 0, "1.234,5 طن", KH_QUANTITY_MEASURE, 1234.5, "طن");
    check_value("بلغ 2,5 طن.", 0, "2,5 طن", KH_QUANTITY_MEASURE, 2.5, "طن");
    /* pre-tokenized text splits the separator off */
    check_value("وأجرى العاملون 2 , 476 عملية جراحية", 1, "2 , 476 عملية جراحية", KH_QUANTITY_CARDINAL, 2476,
                "عملية جراحية");
    /* REH for the point, the decimals first, as some papers write it; three
     * digits are thousands unless a scale word follows */
    check_value("انخفضت الصادرات إلى 935ر6 مليون برميل يوميا.", 0, "935ر6 مليون برميل", KH_QUANTITY_MEASURE,
                6935000, NULL);
    check_value("وصل السعر إلى 29ر53 دولارا.", 0, "29ر53 دولارا", KH_QUANTITY_MONEY, 53.29, NULL);
    check_value("على مساحة 000ر59 متر مربع.", 0, "000ر59 متر مربع", KH_QUANTITY_MEASURE, 59000, NULL);
    check_value("وحضر 500ر12 شخص.", 0, "500ر12 شخص", KH_QUANTITY_CARDINAL, 12500, "شخص");
    /* spaced, when what it measures follows; a percent is never thousands */
    check_value("نسبة نمو الواردات ، نحو 6 ر 4 بالمائة .", 1, "نحو 6 ر 4 بالمائة", KH_QUANTITY_PERCENT, 4.6, NULL);
    check_value("وبلغت 935 ر 6 بالمئة", 1, "935 ر 6 بالمئة", KH_QUANTITY_PERCENT, 6.935, NULL);
    /* product lines numbered by generation */
    check_value("أن هاتف آيفون 7 فوق كل الاحتمالات", 1, "7", KH_QUANTITY_ORDINAL, 7, NULL);
    check_value("و 330 قنطار من الفارينة", 1, "330 قنطار", KH_QUANTITY_MEASURE, 330, NULL);
    /* the Arabic comma as the decimal point, when what it measures follows */
    check_value("قدرت بـ 20 ، 3 بالمائة لتبلغ", 1, "20 ، 3 بالمائة", KH_QUANTITY_PERCENT, 20.3, NULL);
    check_value("في الأعوام 3 ، 4 و 5 من", 1, "3", KH_QUANTITY_CARDINAL, 3, NULL);
    /* م د: million dinars; جنيه إسترليني; a percent sign before its number */
    check_value("مقابل 2466.3 م د في نفس الفترة", 1, "2466.3 م د", KH_QUANTITY_MONEY, 2466.3e6, NULL);
    check_value("بلغت 11411 ، 5 م د ، مقابل", 1, "11411 ، 5 م د", KH_QUANTITY_MONEY, 11411.5e6, NULL);
    check_value("مقابل 27 مليون جنيه إسترليني لكن", 1, "27 مليون جنيه إسترليني", KH_QUANTITY_MONEY, 27e6, NULL);
    check_value("لتبلغ % 4,75 ، والزيادة", 1, "% 4,75", KH_QUANTITY_PERCENT, 4.75, NULL);
    check_value("بلغت 20 % 30 % من", 1, "30 %", KH_QUANTITY_PERCENT, 30, NULL);
    check_value("بـ 50 نقطة أساسية لتبلغ", 1, "50 نقطة أساسية", KH_QUANTITY_PERCENT, 50, NULL);
    check_value("ترددين فقط : 900 MHz و 1,800 MHz ،", 1, "900 MHz", KH_QUANTITY_MEASURE, 900, NULL);
    check_value("استخدام هاتف نوكيا 3310 بحلته", 1, "3310", KH_QUANTITY_ORDINAL, 3310, NULL);
    check_value("في دورته 18 التي انطلقت", 1, "18", KH_QUANTITY_ORDINAL, 18, NULL);
    /* بعدد: "a number of" before what it counts, a label otherwise */
    check_value("مقارنة بعدد 7950 حالة وفاة", 1, "7950 حالة", KH_QUANTITY_CARDINAL, 7950, NULL);
    check_value("صدر العدد 61 من المجلة", 1, "61", KH_QUANTITY_ORDINAL, 61, NULL);
}

/* The thing counted is an indefinite noun after digits or a definite
 * number; after مئات or نصف it is definite. */
static void counted_nouns(void **state)
{
    (void)state;
    /* (the flight's number names it: an ordinal, with no unit) */
    check_value("كانت تقوم بالرحلة 111 المتجهة إلى باريس.", 0, "111", KH_QUANTITY_ORDINAL, 111, NULL);
    check_value("تأهلت الفرق الستة الأولى إلى النهائي.", 0, "الستة", KH_QUANTITY_CARDINAL, 6, NULL);
    check_value("وتمثل نصف الاتصالات الدولية.", 0, "نصف الاتصالات الدولية", KH_QUANTITY_CARDINAL, 0.5, "الاتصالات الدولية");
    check_value("وبلغت 935 ر 6 .", 1, "935", KH_QUANTITY_CARDINAL, 935, NULL);
    /* أل written with hamza is no article */
    check_value("استخدم الرسام 3 ألوان فقط.", 0, "3 ألوان", KH_QUANTITY_CARDINAL, 3, "ألوان");
}

static void number_words(void **state)
{
    (void)state;
    check_value("قتلوا خراساني وثمانية أعضاء آخرين من التنظيم.", 0, "وثمانية أعضاء آخرين",
                 KH_QUANTITY_CARDINAL, 8, "أعضاء آخرين");
    check_value("وتضم الحكومة ثلاث نساء.", 0, "ثلاث نساء", KH_QUANTITY_CARDINAL, 3, "نساء");
    check_value("وشارك عشرين طالبا.", 0, "عشرين طالبا", KH_QUANTITY_CARDINAL, 20, "طالبا");
    check_value("وشارك خمسة وعشرون شخصا.", 0, "خمسة وعشرون شخصا", KH_QUANTITY_CARDINAL, 25, "شخصا");
    check_value("وهناك ثلاثة عشر مرشحا.", 0, "ثلاثة عشر مرشحا", KH_QUANTITY_CARDINAL, 13, "مرشحا");
    check_value("وهناك إحدى عشرة دولة.", 0, "إحدى عشرة دولة", KH_QUANTITY_CARDINAL, 11, "دولة");
    check_value("وهناك خمسة آلاف مقاتل.", 0, "خمسة آلاف مقاتل", KH_QUANTITY_CARDINAL, 5000, "مقاتل");
    check_value("وصل ألفين زائر.", 0, "ألفين زائر", KH_QUANTITY_CARDINAL, 2000, "زائر");
    check_value("وصل مئتي زائر.", 0, "مئتي زائر", KH_QUANTITY_CARDINAL, 200, "زائر");
    check_value("وصل ثلاث مئة زائر.", 0, "ثلاث مئة زائر", KH_QUANTITY_CARDINAL, 300, "زائر");
    check_value("وصل ثلاثمائة زائر.", 0, "ثلاثمائة زائر", KH_QUANTITY_CARDINAL, 300, "زائر");
    check_value("يبلغ عدد سكانه ستة وثلاثين مليون وأربعمائة ألف نسمة.", 0,
                 "ستة وثلاثين مليون وأربعمائة ألف نسمة", KH_QUANTITY_CARDINAL, 36400000, "نسمة");
    check_value("يعيش فيها مليونين ونصف المليون نسمة.", 0, "مليونين ونصف المليون نسمة",
                 KH_QUANTITY_CARDINAL, 2.5e6, "نسمة");
    check_value("تتعاون مع الصحة بثماني طرق.", 0, "بثماني طرق", KH_QUANTITY_CARDINAL, 8, "طرق");
    check_value("ويعادل ذلك ربع سكان البلاد.", 0, "ربع سكان", KH_QUANTITY_CARDINAL, 0.25, "سكان");
    check_value("ويعيش ثلثهم في المخيمات.", 0, "ثلثهم", KH_QUANTITY_CARDINAL, 1.0 / 3, "");
    /* a numeral after a definite noun agrees with it */
    check_value("لأتباع الديانات الثلاث .", 1, "الثلاث", KH_QUANTITY_CARDINAL, 3, "");
    /* واحد counts after a noun */
    check_value("أنا أنصح بشخص واحد فقط", 1, "واحد", KH_QUANTITY_CARDINAL, 1, "");
}

static void approximate_plurals(void **state)
{
    (void)state;
    check_bounds("أطلقت الحركة سراح مئات السجناء.", 0, "مئات السجناء", KH_QUANTITY_CARDINAL, 200, 999, 1);
    check_bounds("ويعيش عشرات الآلاف من اللاجئين.", 0, "عشرات الآلاف من اللاجئين", KH_QUANTITY_CARDINAL,
                  20000, 99999, 1);
    check_bounds("وفر آلاف المدنيين.", 0, "آلاف المدنيين", KH_QUANTITY_CARDINAL, 2000, 9999, 1);
    check_bounds("وتحتاج ملايين كثيرة إلى المساعدة.", 0, "ملايين كثيرة", KH_QUANTITY_CARDINAL, 2e6, 1e7 - 1, 1);
    found f;
    find(&f, "أطلقت الحركة سراح مئات السجناء.", 0);
    assert_unit(&f, with_text(&f, "مئات السجناء"), "السجناء");
    assert_part(&f, with_text(&f, "مئات السجناء"), 0, "مئات");
    found_free(&f);
}

static void ranges(void **state)
{
    (void)state;
    check_bounds("يقدر عددهم بين 8000 و10.000 مقاتل أجنبي.", 0, "بين 8000 و10.000 مقاتل أجنبي",
                  KH_QUANTITY_CARDINAL, 8000, 10000, 0);
    check_bounds("يعتمد على 500 إلى 1500 مقاتل، وقد عزز مواقعه.", 0, "500 إلى 1500 مقاتل",
                  KH_QUANTITY_CARDINAL, 500, 1500, 0);
    check_bounds("يضم 500-1500 مقاتل.", 0, "500-1500 مقاتل", KH_QUANTITY_CARDINAL, 500, 1500, 0);
    check_bounds("ارتفعت الأسعار بنسبة تتراوح بين 5 و10 بالمئة.", 0, "بين 5 و10 بالمئة",
                  KH_QUANTITY_PERCENT, 5, 10, 0);
    check_bounds("تتراوح التكلفة بين 5 و10 ملايين دولار.", 0, "بين 5 و10 ملايين دولار",
                  KH_QUANTITY_MONEY, 5e6, 1e7, 0);
    check_bounds("من نصف مليون دولار إلى مليوني دولار", 1, "من نصف مليون دولار إلى مليوني دولار",
                  KH_QUANTITY_MONEY, 5e5, 2e6, 0);

    /* Wojood marks each end of a range on its own */
    found f;
    find(&f, "بين 8000 و10.000 مقاتل أجنبي", 1);
    const kh_quantity *q = with_text(&f, "بين 8000 و10.000 مقاتل أجنبي");
    assert_int_equal(q->n_parts, 2);
    assert_part(&f, q, 0, "8000");
    assert_part(&f, q, 1, "و10.000");
    assert_unit(&f, q, "مقاتل أجنبي");
    found_free(&f);
    find(&f, "من نصف مليون دولار إلى مليوني دولار", 1);
    q = f.q.data;
    assert_part(&f, q, 0, "نصف مليون دولار");
    assert_part(&f, q, 1, "مليوني دولار");
    found_free(&f);
}

static void approximations(void **state)
{
    (void)state;
    found f;
    find(&f, "نزح حوالي 300 شخص.", 0);
    const kh_quantity *q = with_text(&f, "حوالي 300 شخص");
    assert_true(q->approx);
    assert_true(q->has_value);
    assert_part(&f, q, 0, "300");
    found_free(&f);
    find(&f, "تستضيف الأمم المتحدة نحو 3 آلاف لاجئ.", 0);
    q = with_text(&f, "نحو 3 آلاف لاجئ");
    assert_true(q->approx);
    assert_true(q->value == 3000);
    found_free(&f);
    find(&f, "قدر عدد السكان بحوالي ستة ملايين نسمة تقريبا.", 0);
    q = with_text(&f, "بحوالي ستة ملايين نسمة تقريبا");
    assert_true(q->approx);
    assert_true(q->value == 6e6);
    found_free(&f);
    check_bounds("وأصيب أكثر من 40 آخرين.", 0, "أكثر من 40 آخرين", KH_QUANTITY_CARDINAL, 40, NAN, 0);
    check_bounds("وقتل أقل من 10 أشخاص.", 0, "أقل من 10 أشخاص", KH_QUANTITY_CARDINAL, NAN, 10, 0);
    check_bounds("بمطالبات لا يقل عن 60 مليون دولار أمريكي", 1, "لا يقل عن 60 مليون دولار أمريكي",
                  KH_QUANTITY_MONEY, 6e7, NAN, 0);
    find(&f, "وقدر عددهم بقرابة 200 مقاتل", 1);
    q = with_text(&f, "بقرابة 200 مقاتل");
    assert_true(q->approx && q->value == 200);
    assert_part(&f, q, 0, "200");
    found_free(&f);
}

static void percentages(void **state)
{
    (void)state;
    check_value("ارتفعت البطالة إلى 12.5% العام الماضي.", 0, "12.5%", KH_QUANTITY_PERCENT, 12.5, "%");
    check_value("ارتفعت البطالة إلى ١٢٫٥٪ العام الماضي.", 0, "١٢٫٥٪", KH_QUANTITY_PERCENT, 12.5, "٪");
    check_value("مقابل 11 في المئة العام الماضي.", 0, "11 في المئة", KH_QUANTITY_PERCENT, 11, "في المئة");
    check_value("مقابل 11 في المائة العام الماضي.", 0, "11 في المائة", KH_QUANTITY_PERCENT, 11, "في المائة");
    check_value("من الأطفال و20 بالمئة منهم دون سن", 1, "و20 بالمئة", KH_QUANTITY_PERCENT, 20, "بالمئة");
    check_value("تراجع بنسبة خمسة بالمائة.", 0, "خمسة بالمائة", KH_QUANTITY_PERCENT, 5, "بالمائة");
}

static void money(void **state)
{
    (void)state;
    found f;
    find(&f, "بلغت قيمة الصفقة 3.5 مليار دولار أمريكي، والخسائر 200 مليون يورو.", 0);
    const kh_quantity *q = with_text(&f, "3.5 مليار دولار أمريكي");
    assert_int_equal(q->kind, KH_QUANTITY_MONEY);
    assert_true(q->value == 3.5e9);
    assert_string_equal(q->unit_code, "USD");
    assert_unit(&f, q, "دولار أمريكي");
    q = with_text(&f, "200 مليون يورو");
    assert_string_equal(q->unit_code, "EUR");
    found_free(&f);
    find(&f, "يكسب المهاجرون حتى 2 , 0 دينار ليبي شهرياً .", 1);
    q = f.q.data;
    assert_int_equal(f.q.len, 1);
    assert_int_equal(q->kind, KH_QUANTITY_MONEY);
    assert_string_equal(q->unit_code, "LYD");
    assert_part(&f, q, 0, "2 , 0 دينار ليبي");
    found_free(&f);
    check_value("يتقاضى 1500 جنيه في الشهر.", 0, "1500 جنيه", KH_QUANTITY_MONEY, 1500, "جنيه");
    check_value("تبرع بمبلغ $ 100 للجمعية.", 0, "$ 100", KH_QUANTITY_MONEY, 100, "$");
    check_value("ودفع 50 ريالا سعوديا.", 0, "50 ريالا سعوديا", KH_QUANTITY_MONEY, 50, "ريالا سعوديا");
    check_value("ووصل سعرها إلى 40 ألف ليرة.", 0, "40 ألف ليرة", KH_QUANTITY_MONEY, 40000, "ليرة");
    check_bounds("وخسرت الشركة ملايين من الدولارات.", 0, "ملايين من الدولارات", KH_QUANTITY_MONEY, 2e6, 1e7 - 1, 1);
    check_bounds("واستوردت آلاف الأطنان من القمح.", 0, "آلاف الأطنان", KH_QUANTITY_MEASURE, 2000, 9999, 1);
    /* د after a number is dinars, as Tunisian papers write prices, its three
     * decimals millimes (ANT dev2 and corpus articles) */
    check_value("انخفضت بنسبة 5.87 ٪ في حدود 20.370 د. وقد تراجعت", 0, "20.370 د", KH_QUANTITY_MONEY, 20.37, "د");
    check_value("والاورو في مستوى 2،473 د (زيادة", 0, "2،473 د", KH_QUANTITY_MONEY, 2.473, "د");
    check_value("التي وصلت إلى 10 د للتر الواحد", 0, "10 د", KH_QUANTITY_MONEY, 10, "د");
    check_value("بمعدل 19 بالمائة ( 2 ر 7 د / كغ مقابل", 1, "2 ر 7 د", KH_QUANTITY_MONEY, 7.2, "د");
    /* an amount in dinars and millimes is one (ANT) */
    check_value("ثمن التذكرة من صفاقس سيكون 21 دينارا و800 مليم ومن قابس 10 دنانير.", 0, "21 دينارا و800 مليم",
                KH_QUANTITY_MONEY, 21.8, "دينارا");
    check_value("وبلغ سعر الكلغ 1 د 600 مي في السوق", 0, "1 د 600 مي", KH_QUANTITY_MONEY, 1.6, "د");
    check_bounds("تراوحت الأسعار بين 50 دينار و 880 مليم و 59 دينار و 250 مليم للكغ", 1,
                 "بين 50 دينار و 880 مليم و 59 دينار و 250 مليم", KH_QUANTITY_MONEY, 50.88, 59.25, 0);
    /* م د is million dinars, not a year of the era (197 م) */
    find(&f, "نتيجة تطور مبيعات التمور ( 197 م د مقابل 139 ، 5 م د", 1);
    assert_int_equal(f.dates.len, 0);
    q = with_text(&f, "197 م د");
    assert_int_equal(q->kind, KH_QUANTITY_MONEY);
    assert_true(q->value == 197e6);
    found_free(&f);
}

/* A compound amount is one value, a range never joins a percentage to an
 * amount (issue 15; sentences from SaudiNewsNet-like and ANT news). */
static void compound_amounts(void **state)
{
    (void)state;
    check_value("انخفضت بنسبة 2,3 في المئة الى مليار و286 مليون دولار.", 0, "مليار و286 مليون دولار",
                 KH_QUANTITY_MONEY, 1.286e9, "دولار");
    check_value("انخفضت بنسبة 2,3 في المئة الى مليار و286 مليون دولار.", 0, "2,3 في المئة",
                 KH_QUANTITY_PERCENT, 2.3, "في المئة");
    check_value("ارتفعت 12 في المئة الى 255.3 مليون دولار.", 0, "255.3 مليون دولار", KH_QUANTITY_MONEY,
                 255.3e6, "دولار");
    check_value("ارتفعت 12 في المئة الى 255.3 مليون دولار.", 0, "12 في المئة", KH_QUANTITY_PERCENT, 12, NULL);
    check_value("وتراجع سعر الأوقية 1.5 % إلى 1116.43 دولار.", 0, "1116.43 دولار", KH_QUANTITY_MONEY, 1116.43,
                 "دولار");
    /* a percentage range stays one */
    check_bounds("بنسبة تتراوح بين 5 و10 في المئة.", 0, "بين 5 و10 في المئة", KH_QUANTITY_PERCENT, 5, 10, 0);
    /* ANT: parts joined by و, written apart from their digits or not */
    check_value("وتم تسجيل إجمالي الأموال المرصودة بـ 02 مليون و477 ألف و768 دينار.", 0,
                 "02 مليون و477 ألف و768 دينار", KH_QUANTITY_MONEY, 2477768, "دينار");
    check_value("بواقع مليار و800 مليون مستخدم، 55 بالمائة منهم نساء.", 0, "مليار و800 مليون مستخدم",
                 KH_QUANTITY_CARDINAL, 1.8e9, "مستخدم");
    check_value("وأكد أن 44 ألفا و500 شرطي سيؤمنون الانتخابات.", 0, "44 ألفا و500 شرطي", KH_QUANTITY_CARDINAL,
                 44500, "شرطي");
    check_value("ما يناهز 3 مليارات و 260 مليون دولار", 1, "ما يناهز 3 مليارات و 260 مليون دولار", KH_QUANTITY_MONEY,
                 3.26e9, "دولار");
    /* two amounts listed, not one: the second part is not smaller than the
     * scale before it */
    check_bounds("يتراوح عددهم بين 5 آلاف و10 آلاف شخص.", 0, "بين 5 آلاف و10 آلاف شخص", KH_QUANTITY_CARDINAL,
                  5000, 10000, 0);
    /* the singular's accusative after 11-99 is a scale, not a dual */
    check_value("وبلغ عدد المصابين 181 ألفا أغلبهم من الأطفال.", 0, "181 ألفا أغلبهم", KH_QUANTITY_CARDINAL,
                 181000, NULL);
    check_value("بلغت الخسائر 25 مليونا دولار.", 0, "25 مليونا دولار", KH_QUANTITY_MONEY, 25e6, "دولار");
    check_value("وخصصت الحكومة ملياراً لدعم الطاقة.", 0, "ملياراً لدعم", KH_QUANTITY_CARDINAL, 1e9, NULL);
    check_value("وأنفقت الوزارة مليونا دولار على المشروع.", 0, "مليونا دولار", KH_QUANTITY_MONEY, 2e6, "دولار");
    check_bounds("يتراوح عددهم بين 45 و50 ألفا.", 0, "بين 45 و50 ألفا", KH_QUANTITY_CARDINAL, 45000, 50000, 0);
    /* one of a measure or a currency, the unit before its number (ANT) */
    check_value("يترواح وزنها بين 400 غرام وكيلوغرام واحد، وجرى الاحتفاظ بها.", 0, "وكيلوغرام واحد",
                 KH_QUANTITY_MEASURE, 1, "وكيلوغرام");
    check_value("وصدقت المدينة على غرامة دولار واحد على الأهالي.", 0, "دولار واحد", KH_QUANTITY_MONEY, 1, "دولار");
    check_value("نريد وطن واحد للجميع.", 0, "واحد للجميع", KH_QUANTITY_CARDINAL, 1, NULL); /* وطن, not و + طن */
    /* a definite percentage is no ordinal; a definite number alone is */
    check_value("واقترح احتساب نسبة الـ20 بالمائة في الأداء.", 0, "20 بالمائة", KH_QUANTITY_PERCENT, 20, NULL);
    check_value("بلغت الـ30 في المئة من الأصوات.", 1, "الـ30 في المئة", KH_QUANTITY_PERCENT, 30, NULL);
    check_value("احتفل بعيد ميلاده الـ30 في المدينة.", 0, "الـ30", KH_QUANTITY_ORDINAL, 30, NULL);
}

static void measures(void **state)
{
    (void)state;
    check_value("تمتد الطريق مسافة 120 كيلومترا.", 0, "120 كيلومترا", KH_QUANTITY_MEASURE, 120, "كيلومترا");
    check_value("وقع على بعد 30 كلم من المدينة.", 0, "30 كلم", KH_QUANTITY_MEASURE, 30, "كلم");
    check_value("مساحتها 5000 متر مربع.", 0, "5000 متر مربع", KH_QUANTITY_MEASURE, 5000, "متر مربع");
    check_value("أنتجت المزرعة عشرة أطنان من القمح.", 0, "عشرة أطنان", KH_QUANTITY_MEASURE, 10, "أطنان");
    check_value("سقط السلاح على بعد 500 متر .", 1, "500 متر", KH_QUANTITY_MEASURE, 500, "متر");
    found f;
    find(&f, "مساحتها 5000 متر مربع.", 0);
    assert_string_equal(with_text(&f, "5000 متر مربع")->unit_code, "m2");
    found_free(&f);
}

static void ordinals(void **state)
{
    (void)state;
    check_value("حلت في المرتبة الثالثة عالميا.", 0, "الثالثة", KH_QUANTITY_ORDINAL, 3, NULL);
    check_value("وهي المرة الأولى.", 0, "الأولى", KH_QUANTITY_ORDINAL, 1, NULL);
    check_value("في الدور العاشر من المبنى.", 0, "العاشر", KH_QUANTITY_ORDINAL, 10, NULL);
    check_value("في الطابق الحادي عشر من البرج", 1, "الحادي عشر", KH_QUANTITY_ORDINAL, 11, NULL);
    check_value("بذكرى الخامس والعشرين للاحتلال", 1, "الخامس والعشرين", KH_QUANTITY_ORDINAL, 25, NULL);
    check_value("في الطابق الحادي والعشرين من البرج", 1, "الحادي والعشرين", KH_QUANTITY_ORDINAL, 21, NULL);
    check_value("ثانيا الشق البنائي", 1, "ثانيا", KH_QUANTITY_ORDINAL, 2, NULL);
    check_value("في الذكرى الـ20 لتأسيسها.", 0, "الـ20", KH_QUANTITY_ORDINAL, 20, NULL);
    check_value("في الذكرى ال 20 لتأسيسها", 1, "ال 20", KH_QUANTITY_ORDINAL, 20, NULL);
    /* labels after a designator */
    check_value("صدر القرار رقم 2254 في نيويورك.", 0, "2254", KH_QUANTITY_ORDINAL, 2254, NULL);
    check_value("وفقا لأحكام المادة ( 14 ) من القانون", 1, "14", KH_QUANTITY_ORDINAL, 14, NULL);
    check_value("2 - يعاقب كل من ارتكب", 1, "2", KH_QUANTITY_ORDINAL, 2, NULL);
    check_value("فاز اللاعب رقم واحد في العالم.", 0, "واحد", KH_QUANTITY_ORDINAL, 1, NULL);
    /* a fraction after a designator is no label (المواد "goods" and "articles") */
    check_value("والمواد نصف المصنعة لنسقها", 1, "نصف المصنعة", KH_QUANTITY_CARDINAL, 0.5, NULL);
    check_value("إحياء الذكرى 58 للنكبة", 0, "58", KH_QUANTITY_ORDINAL, 58, NULL);
    check_value("في المرحلة 3 من السباق", 0, "3", KH_QUANTITY_ORDINAL, 3, NULL);
    check_value("إحياء ذكرى 1948 في القرية", 0, "1948", KH_QUANTITY_CARDINAL, 1948, NULL);
    check_value("وكان أولهم في الوصول.", 0, "أولهم", KH_QUANTITY_ORDINAL, 1, NULL);
    check_value("وحلقت طائرات إف-16 فوق المدينة.", 0, "16", KH_QUANTITY_ORDINAL, 16, NULL);
    check_value("في سياق جائحة كوفيد - 19 ، تعمل", 1, "19", KH_QUANTITY_ORDINAL, 19, NULL);
    check_value("جانب من القضايا الاجتماعية ص140 .", 1, "ص140", KH_QUANTITY_ORDINAL, 140, NULL);
    check_value("www . fmso . org / monographs / 200408 ، ص . 3", 1, "200408", KH_QUANTITY_ORDINAL, 200408, NULL);
    /* a meeting's or an agreement's number in its series */
    check_value("بعد عقد اتفاقية أوسلو 1 ضد الفلسطينيين", 1, "1", KH_QUANTITY_ORDINAL, 1, NULL);
    check_value("وانطلقت محادثات جنيف 2 ، أمس", 1, "2", KH_QUANTITY_ORDINAL, 2, NULL);
    check_value("وحضر اجتماع فيينا 12 وزيرا .", 1, "12 وزيرا", KH_QUANTITY_CARDINAL, 12, "وزيرا");
    check_value("وحضر الاجتماع 40 وزيرا .", 1, "40 وزيرا", KH_QUANTITY_CARDINAL, 40, "وزيرا");
    check_value("وتمثل الدول 95 في المائة من التجارة", 1, "95 في المائة", KH_QUANTITY_PERCENT, 95, NULL);
    check_value("في قمة الكلاسيكو 2 - 1 .", 1, "2", KH_QUANTITY_CARDINAL, 2, NULL);
    check_value("وبلغ عدد الزوار 250000 زائر .", 1, "250000 زائر", KH_QUANTITY_CARDINAL, 250000, NULL);
    /* a number that names a thing, as the annotators mark it (ANT dev2, dev,
     * Wojood train): after a word that is no part of a quantity, before an
     * adjective with its article, a closing quotation mark, a colon or a
     * lone Latin letter */
    check_value("وطرحت الشركة العالمية HMD هاتف 3310 الجديد بتصميم مشابه", 1, "3310", KH_QUANTITY_ORDINAL, 3310,
                NULL);
    check_value("والمعروفة باسم \" قائمة 64 \" .", 1, "64", KH_QUANTITY_ORDINAL, 64, NULL);
    check_value("المناظرة على قناة \" تي إف 1 \" ، أن منافسها", 1, "1", KH_QUANTITY_ORDINAL, 1, NULL);
    check_value("المتوافقة مع شبكة الاتصالات 2 G خلال الحقبة", 1, "2", KH_QUANTITY_ORDINAL, 2, NULL);
    check_value("رجل 1 : شو رأيك بالزواج المبكر ?", 1, "1", KH_QUANTITY_ORDINAL, 1, NULL);
    check_value("طبقا للمرسوم 88 الصادر سنة 2011 ،", 1, "88", KH_QUANTITY_ORDINAL, 88, NULL);
    /* but a count: after a function word, before a place with its
     * preposition, a time, a unit */
    check_value("في الفترة بين 22 الى 27 ماي", 1, "22", KH_QUANTITY_CARDINAL, 22, NULL);
    check_value("ولا تتجاوز 4 بالمرتفعات .", 1, "4", KH_QUANTITY_CARDINAL, 4, NULL);
    check_value("المقابلات اليوم : البرازيل - بولونيا 14:45 أيسلندا", 0, "14", KH_QUANTITY_CARDINAL, 14, NULL);
    check_value("وأصيب 15 شخصا .", 1, "15 شخصا", KH_QUANTITY_CARDINAL, 15, "شخصا");
    found f;
    find(&f, "بأحكام المواد ( 63 ) و ( 64 ) من القانون", 1);
    assert_int_equal(f.q.len, 2);
    assert_int_equal(((kh_quantity *)f.q.data)[1].kind, KH_QUANTITY_ORDINAL);
    found_free(&f);
    /* آخر: "last" before a noun, "another" after one */
    find(&f, "سجلت آخر حالة في اليمن.", 0);
    const kh_quantity *q = with_text(&f, "آخر");
    assert_true(q->last_ordinal);
    assert_false(q->has_value);
    found_free(&f);
    check_none("والتزمت بمبلغ آخر قيمته كبيرة.", 0);
    check_none("ويشير تقرير آخر للأمم المتحدة إلى ذلك.", 0);
    check_none("واعتقل جندي أمريكي آخر أمس في المدينة.", 0);
    check_none("وقال إنه سيتصل أول ما يصل.", 0);
    /* after an indefinite noun, before a present verb or a word with و or
     * ب, or after a preposition, "another" (ANT corpus articles); after a
     * verb, before a noun, still "the last" (Wojood train) */
    check_none("ومعه شخص آخر يدعى طلال.", 0);
    check_none("كما كشفت لوموند عن تحويل آخر بقيمة مرتفعة.", 0);
    check_none("من جانب آخر تحدث رئيس الحركة عن الانتخابات.", 0);
    /* the prepositions that open such a phrase are data/numbers.txt's
     * CUE opens_another words, وفي among them */
    check_none("في سياق آخر تحدث رئيس الحركة عن الانتخابات.", 0);
    check_none("وفي سياق آخر تحدث رئيس الحركة عن الانتخابات.", 0);
    check_last("وحتى في اليمن ، سجلت آخر حالة خناق في العام 1992 .", "آخر");
    check_last("وحصل آخر تفشي في العام 1982 .", "آخر");
}

static void what_is_not_a_number(void **state)
{
    (void)state;
    /* الأخيرة after a plural is "recent"; آخر after an accusative noun and
     * its nisba is "another" (issue 15, item 8: Wojood train, ANT dev) */
    check_none("مثل استعراض التعديلات الاخيرة الصادرة عن منظمة التنمية والتعاون.", 0);
    /* الأخير not after a definite word stands for a noun: "the latter", "at
     * last" (ANT corpus articles) */
    check_none("لكن هذا الأخير سارع في إخراج مسدس من طيات ملابسه.", 0);
    /* الأخيرة after a broken plural, as after a sound one: "recent" */
    check_none("وأصدرت بيانا حول الأحداث الأخيرة التي جدت بالقصرين.", 0);
    check_none("وضعية عائلة متضررة من الأمطار الأخيرة التي شهدتها الجهة.", 0);
    check_last("أجرى الفريق الحصة التدريبية القبل الأخيرة لمواجهة الغد", "الأخيرة");
    check_last("وفاز الفريق في المباراة قبل الأخيرة من البطولة.", "الأخيرة");
    check_none("بسبب عدم تلبية الأخيرة للشروط وفق ما أعلنته وسائل إعلام.", 0);
    check_none("ولكنه قرّر في الأخير تعويض مراد العقبي في الستيدة.", 0);
    check_last("في مباراة الجولة الأخيرة من الدوري", "الأخيرة");
    check_last("في مباراة الجولة الـ30 والأخيرة من الدوري", "والأخيرة");
    check_last("خلال زيارته الأخيرة إلى تونس", "الأخيرة");
    check_none("وأكدت أن اعتقال كوريا الشمالية مواطنا أمريكيا آخر أمر يبعث على القلق.", 0);
    /* a match's score after نتيجة is one number (ANT), else a dash with the
     * larger first is two */
    {
        found g;
        find(&g, "محققا إنتصارا في الدقائق الأخيرة بنتيجة 1 - 0 في المقابلة.", 0);
        const kh_quantity *sc = with_text(&g, "1 - 0");
        assert_int_equal(sc->kind, KH_QUANTITY_CARDINAL);
        assert_false(sc->has_value);
        assert_int_equal(g.q.len, 1);
        found_free(&g);
        find(&g, "فاز الفريق 2 - 1 على ضيفه.", 0);
        assert_int_equal(g.q.len, 2);
        found_free(&g);
    }
    /* a list's first items at the start of a sentence (ANT: the decisions
     * of a regional council), but a recipe's measures count */
    check_value("1 تكثيف المراقبة على مستوى مسالك التهريب.", 0, "1", KH_QUANTITY_ORDINAL, 1, NULL);
    check_value("2 تكليف اللجنة المحدثة في الغرض بمتابعة الوضع.", 0, "2", KH_QUANTITY_ORDINAL, 2, NULL);
    check_value("2 كوب من الدقيق المنخول.", 0, "2 كوب", KH_QUANTITY_MEASURE, 2, "كوب");
    found f;
    find(&f, "وفي القسم الأخير من الكتاب تحدث عن الحرب.", 0);
    assert_true(with_text(&f, "الأخير")->last_ordinal);
    found_free(&f);
    check_none("ولست متأكدا من ذلك.", 0);
    /* what follows a number is not always what it counts */
    check_value("بين الدول الثلاث للاستفادة من المياه", 1, "الثلاث", KH_QUANTITY_CARDINAL, 3, NULL);
    check_value("ثم قف على قدم واحدة لمدة تصل إلى دقيقة", 1, "واحدة", KH_QUANTITY_CARDINAL, 1, NULL);
    check_none("وقال أحد المسؤولين إن واحدا من المتهمين فر.", 0);
    check_none("وقال إن كل واحد منهم يعرف ذلك.", 0);
    check_none("ووصلت إلى مدينة الخمس الليبية.", 0);
    check_none("وقرأ نص القرار كاملا.", 0);
    check_none("وتسلم كمية من الأدوية.", 0);
    /* numbers inside dates belong to the dates */
    check_none("وأجريت الانتخابات عام 2021 بعد ثلاث سنوات من التأجيل.", 0);
    check_none("وجرت في 12 كانون الأول/ديسمبر 2019.", 0);
    check_none("وأمضى في السجن 45 يوما.", 0);
    check_none("ملابس للأطفال دون سن الرابعة عشرة والأدوية.", 0); /* an age */
}

static void seed_article(void **state)
{
    (void)state;
    /* the sentences of the seed article that carry its quantities */
    check_value("أنها قتلت خراساني وثمانية أعضاء آخرين من تنظيم داعش.", 0, "وثمانية أعضاء آخرين",
                 KH_QUANTITY_CARDINAL, 8, "أعضاء آخرين");
    check_bounds("وأطلقت سراح مئات السجناء.", 0, "مئات السجناء", KH_QUANTITY_CARDINAL, 200, 999, 1);
    check_bounds("يعتمد في أفغانستان على 500 إلى 1500 مقاتل، وقد عزز مواقعه.", 0, "500 إلى 1500 مقاتل",
                  KH_QUANTITY_CARDINAL, 500, 1500, 0);
    check_bounds("يتراوح عددهم بين 8000 و10.000 مقاتل أجنبي.", 0, "بين 8000 و10.000 مقاتل أجنبي",
                  KH_QUANTITY_CARDINAL, 8000, 10000, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digits_in_every_script),
        cmocka_unit_test(thousands_separators),
        cmocka_unit_test(counted_nouns),
        cmocka_unit_test(number_words),
        cmocka_unit_test(approximate_plurals),
        cmocka_unit_test(ranges),
        cmocka_unit_test(approximations),
        cmocka_unit_test(percentages),
        cmocka_unit_test(money),
        cmocka_unit_test(compound_amounts),
        cmocka_unit_test(measures),
        cmocka_unit_test(ordinals),
        cmocka_unit_test(what_is_not_a_number),
        cmocka_unit_test(seed_article),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
