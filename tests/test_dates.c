/* Dates and times (src/dates.c): month names in their MSA, Levantine and
 * Maghrebi forms, Hijri dates, weekdays, years, parts of periods, times of
 * day, relative expressions resolved against the article's date, durations,
 * and the spans Wojood's annotation marks. */
#include "facts_helpers.h"

/* 2021-07-15 was a Thursday, in ISO week 28. */
#define DOC_DATE "2021-07-15"

typedef struct found {
    test_tokens tk;
    kh_vec dates;
} found;

static void find(found *f, const char *sentence, int conll, const char *doc_date)
{
    memset(&f->dates, 0, sizeof f->dates);
    if (conll) tokens_of_conll(&f->tk, sentence);
    else tokens_of_text(&f->tk, sentence);
    assert_int_equal(kh_find_dates(test_model->facts, f->tk.t, f->tk.n, NULL, doc_date, &f->dates), KHABAR_OK);
}

static void found_free(found *f)
{
    kh_vec_free(&f->dates);
    tokens_free(&f->tk);
}

static void dump(const found *f)
{
    const kh_date *d = f->dates.data;
    char buf[512];
    for (size_t i = 0; i < f->dates.len; i++) {
        bytes_text(&f->tk, d[i].start, d[i].end, buf, sizeof buf);
        print_message("  date %zu: [%s] %s\n", i, buf, d[i].value);
    }
}

static const kh_date *with_text(const found *f, const char *text)
{
    const kh_date *d = f->dates.data;
    char buf[512];
    for (size_t i = 0; i < f->dates.len; i++) {
        bytes_text(&f->tk, d[i].start, d[i].end, buf, sizeof buf);
        if (!strcmp(buf, text)) return &d[i];
    }
    dump(f);
    fail_msg("no date \"%s\"", text);
    return NULL;
}

/* The date `text` in `sentence` has `value` (with and without DOC_DATE
 * as given by `doc`). */
static const kh_date *check(found *f, const char *sentence, int conll, const char *doc, const char *text,
                            const char *value)
{
    find(f, sentence, conll, doc);
    const kh_date *d = with_text(f, text);
    if (strcmp(d->value, value) != 0) fail_msg("%s: value %s, want %s", text, d->value, value);
    return d;
}

static void check_value(const char *sentence, const char *text, const char *value)
{
    found f;
    check(&f, sentence, 0, NULL, text, value);
    found_free(&f);
}

static void check_resolved(const char *sentence, const char *text, const char *value)
{
    found f;
    const kh_date *d = check(&f, sentence, 0, DOC_DATE, text, value);
    assert_true(d->relative);
    found_free(&f);
}

static void check_none(const char *sentence)
{
    found f;
    find(&f, sentence, 0, DOC_DATE);
    if (f.dates.len) {
        dump(&f);
        fail_msg("expected no date in \"%s\"", sentence);
    }
    found_free(&f);
}

/* The span Wojood marks, in pre-tokenized text. */
static void check_core(const char *sentence, const char *core, int is_time)
{
    found f;
    find(&f, sentence, 1, NULL);
    const kh_date *d = f.dates.data;
    char buf[512];
    for (size_t i = 0; i < f.dates.len; i++) {
        range_text(&f.tk, d[i].core.first, d[i].core.last, buf, sizeof buf);
        if (!strcmp(buf, core)) {
            assert_int_equal(d[i].is_time, is_time);
            found_free(&f);
            return;
        }
    }
    dump(&f);
    fail_msg("no date marked \"%s\"", core);
}

static void gregorian_months(void **state)
{
    (void)state;
    check_value("وفي يناير 2021 أعلنت الحكومة.", "يناير 2021", "2021-01");
    check_value("جرت في 30 مارس 2019 بين البلدين.", "30 مارس 2019", "2019-03-30");
    check_value("وفي ديسمبر الماضي أعلن.", "ديسمبر الماضي", "XXXX-12");
    check_resolved("وفي ديسمبر الماضي أعلن.", "ديسمبر الماضي", "2020-12");
    check_resolved("وفي مارس أعلن.", "مارس", "2021-03");
    /* Levantine */
    check_value("جريدة فلسطين 24 تشرين الأول 1922.", "24 تشرين الأول 1922", "1922-10-24");
    check_value("وفي كانون الثاني 2020 وقع الاتفاق.", "كانون الثاني 2020", "2020-01");
    check_value("في شباط 1948 وصل.", "شباط 1948", "1948-02");
    check_value("في آذار 2019 وصل.", "آذار 2019", "2019-03");
    check_value("وفي 7 آب 1931 وصل.", "7 آب 1931", "1931-08-07");
    check_value("منذ أيلول.", "منذ أيلول", "XXXX-09");
    /* Maghrebi */
    check_value("في جانفي 2020 وصل.", "جانفي 2020", "2020-01");
    check_value("في 5 جويلية وصل.", "5 جويلية", "XXXX-07-05");
    check_value("في أوت 2019 وصل.", "أوت 2019", "2019-08");
    check_value("في أفريل الماضي وصل.", "أفريل الماضي", "XXXX-04");
    /* the paired form, one token or three */
    check_value("في منتصف يوليو/تموز.", "منتصف يوليو/تموز", "XXXX-07");
    check_value("في 13 يوليو / تموز 2021 أصدرت", "13 يوليو / تموز 2021", "2021-07-13");
    check_value("في ديسمبر/كانون الأول 2015 صدر القرار.", "ديسمبر/كانون الأول 2015", "2015-12");
    check_value("في 12 كانون الأول/ديسمبر 2019 جرت.", "12 كانون الأول/ديسمبر 2019", "2019-12-12");
    /* two months are two dates */
    found f;
    find(&f, "في تشرين الثاني / كانون الأول", 1, NULL);
    assert_int_equal(f.dates.len, 2);
    found_free(&f);
}

static void month_names_that_are_words(void **state)
{
    (void)state;
    check_none("مارس الرئيس ضغوطا كبيرة على الحكومة.");
    check_none("وقال إن الأب والأم يتحملان المسؤولية.");
    check_none("وتحدث عن سياسة صفر التسامح.");
    check_none("والتقى رجب طيب أردوغان.");
    /* with a day, a year or a partner they are months */
    check_value("في 7 أب 1931 وصل.", "7 أب 1931", "1931-08-07");
    check_value("في أغسطس/آب 2020 وصل.", "أغسطس/آب 2020", "2020-08");
}

static void hijri(void **state)
{
    (void)state;
    found f;
    const kh_date *d = check(&f, "تعقد القمة في 5 رمضان 1442 هـ.", 0, NULL, "5 رمضان 1442 هـ", "2021-04-17");
    assert_string_equal(d->hijri_value, "1442-09-05");
    assert_true(d->hijri);
    found_free(&f);
    d = check(&f, "مضابط بلدية نابلس عام ( 1321 ) هجري", 1, NULL, "عام ( 1321 ) هجري", "1903");
    assert_string_equal(d->hijri_value, "1321");
    found_free(&f);
    d = check(&f, "كتب سنة 1348هـ .", 1, NULL, "سنة 1348هـ", "1929");
    found_free(&f);
    d = check(&f, "احنا مقبلين على شهر رمضان المبارك", 1, DOC_DATE, "شهر رمضان المبارك", "2021-04");
    assert_string_equal(d->hijri_value, "XXXX-09");
    found_free(&f);
    /* the tabular calendar: within a day or two of the observed one (the
     * 20th of Dhu al-Hijjah 1440 was observed on 2019-08-21) */
    check_value("وصل في 20 ذو الحجة 1440.", "20 ذو الحجة 1440", "2019-08-22");
    check_value("بدأ العام في 1 محرم 1442 هـ.", "1 محرم 1442 هـ", "2020-08-20");
}

static void weekdays(void **state)
{
    (void)state;
    check_value("اجتمع يوم الثلاثاء مع الوزير.", "يوم الثلاثاء", "XXXX-WXX-2");
    check_resolved("اجتمع يوم الثلاثاء مع الوزير.", "يوم الثلاثاء", "2021-07-13");
    check_resolved("وقال الخميس إن", "الخميس", "2021-07-15");
    check_resolved("ويعقد الاجتماع الأحد المقبل.", "الأحد المقبل", "2021-07-18");
    check_value("في اجتماعها يوم الثلاثاء الموافق 5 / 8 / 2008 .", "يوم الثلاثاء الموافق 5 / 8 / 2008",
                "2008-08-05");
    check_value("الموقع في الرباط يوم 30 مارس 2019 بين", "يوم 30 مارس 2019", "2019-03-30");
}

static void years(void **state)
{
    (void)state;
    check_value("في عام 2019 أصبحت المدينة.", "عام 2019", "2019");
    check_value("وحصل آخر تفشي في العام 1982.", "العام 1982", "1982");
    check_value("في مدينة القدس سنة ( 1935 ) م .", "سنة ( 1935 ) م", "1935");
    check_value("بعد حرب 1948 هاجروا.", "1948", "1948");
    check_value("وبين عامي 2010 و2015 ارتفعت الأسعار.", "وبين عامي 2010 و2015", "2010/2015");
    check_value("خلال ثورة 1936 - 1939 .", "1936 - 1939", "1936/1939");
    check_none("وصل 2000 مقاتل إلى المدينة.");
    check_none("دفع 1990 دولارا.");
    check_none("قتل 1990 شخصا في الزلزال.");
    check_none("صدر القرار رقم 2020 .");
    check_value("وصل أمس الأول إلى", "أمس الأول", "XXXX-XX-XX");
    check_none("وقال المدير العام إن الرأي العام غاضب.");
}

static void numeric_dates(void **state)
{
    (void)state;
    check_value("ولد في 12/4/1995 في القدس.", "12/4/1995", "1995-04-12");
    check_value("نشر في 2021-07-15 على الموقع.", "2021-07-15", "2021-07-15");
    check_value("نشرة السبيل ( 1 / 4 / 1990 ) .", "1 / 4 / 1990", "1990-04-01");
    check_core("مدينة البيرة ( 11 / 17 / 1968 ) .", "11 / 17 / 1968", 0);
    check_core("خليل السكاكيني : بتاريخ ( 27 / 6 / 1936 ) .", "بتاريخ ( 27 / 6 / 1936 )", 0);
    check_core("خليل السكاكيني : بتاريخ 14 / 15 / 2 / ( 1941 ) .", "بتاريخ 14 / 15 / 2 / ( 1941 )", 0);
    check_core("الموافق : 20 / شعبان / 1428 هجرية محمود", "20 / شعبان / 1428 هجرية", 0);
}

static void parts_of_periods(void **state)
{
    (void)state;
    found f;
    const kh_date *d = check(&f, "في منتصف يوليو/تموز قتلت الحركة.", 0, NULL, "منتصف يوليو/تموز", "XXXX-07");
    assert_int_equal(d->mod, KH_DATE_MOD_MID);
    assert_string_equal(kh_date_mod_name(d->mod), "MID");
    found_free(&f);
    d = check(&f, "يعود تاريخه لمطلع يونيو/حزيران.", 0, NULL, "لمطلع يونيو/حزيران", "XXXX-06");
    assert_int_equal(d->mod, KH_DATE_MOD_START);
    found_free(&f);
    d = check(&f, "عبور في نيامي منذ أواخر عام 2017 .", 1, NULL, "منذ أواخر عام 2017", "2017");
    assert_int_equal(d->mod, KH_DATE_MOD_END);
    found_free(&f);
    d = check(&f, "قبل نهاية العام سيحتاج", 0, DOC_DATE, "قبل نهاية العام", "2021");
    assert_int_equal(d->mod, KH_DATE_MOD_END);
    found_free(&f);
    d = check(&f, "منذ بداية السنة الجارية استقبل", 0, DOC_DATE, "منذ بداية السنة الجارية", "2021");
    assert_int_equal(d->mod, KH_DATE_MOD_START);
    found_free(&f);
    d = check(&f, "استثمرت في أوائل سنة 2019 مبلغا", 0, NULL, "أوائل سنة 2019", "2019");
    assert_int_equal(d->mod, KH_DATE_MOD_START);
    found_free(&f);
    check_resolved("ارتفعت في الربع الثاني من العام الجاري.", "الربع الثاني من العام الجاري", "2021-Q2");
    check_value("في النصف الأول من 2020 تراجع.", "النصف الأول من 2020", "2020-H1");
    check_value("في أواخر القرن التاسع عشر تغيرت.", "أواخر القرن التاسع عشر", "18XX");
    check_resolved("ومنذ الخمسينيات من القرن الماضي تغيرت.", "ومنذ الخمسينيات من القرن الماضي", "195X");
}

static void times_of_day(void **state)
{
    (void)state;
    found f;
    const kh_date *d = check(&f, "وصل الساعة الخامسة مساء إلى المطار.", 0, NULL, "الساعة الخامسة مساء",
                             "XXXX-XX-XXT17:00");
    assert_true(d->is_time);
    found_free(&f);
    check_value("انطلقت الرحلة الساعة 10:30 صباحا.", "الساعة 10:30 صباحا", "XXXX-XX-XXT10:30");
    check_resolved("انطلقت الرحلة الساعة 10:30 مساء أمس.", "الساعة 10:30 مساء أمس", "2021-07-14T22:30");
    /* minutes as fractions, an hour without الساعة, the part of the day across a range */
    check_value("انطلقت الساعة التاسعة والنصف مساء.", "الساعة التاسعة والنصف مساء", "XXXX-XX-XXT21:30");
    check_value("وصل الساعة الثامنة إلا ربعا مساء.", "الساعة الثامنة إلا ربعا مساء", "XXXX-XX-XXT19:45");
    check_value("تبدأ المباراة الثانية ظهرا.", "الثانية ظهرا", "XXXX-XX-XXT14:00");
    check_value("تفتح من العاشرة والنصف صباحا إلى السادسة مساء.", "من العاشرة والنصف صباحا إلى السادسة مساء",
                "XXXX-XX-XXT10:30/XXXX-XX-XXT18:00");
    check_value("تفتح من الساعة الرابعة حتى العاشرة مساء يوميا.", "من الساعة الرابعة حتى العاشرة مساء",
                "XXXX-XX-XXT16:00/XXXX-XX-XXT22:00");
    check_value("من الساعة الثامنة وحتى الثانية عشرة ليلا.", "من الساعة الثامنة وحتى الثانية عشرة ليلا",
                "XXXX-XX-XXT20:00/XXXX-XX-XXT24:00");
    /* an ordinal in the masculine is not an hour */
    check_resolved("افتتح المهرجان الخامس مساء أمس.", "مساء أمس", "2021-07-14TEV");
    check_resolved("أعلن صباح اليوم عن إطلاق حملة.", "صباح اليوم", "2021-07-15TMO");
    check_resolved("أعلن مساء أمس الجمعة عن إطلاق حملة.", "مساء أمس الجمعة", "2021-07-14TEV");
    check_value("كنت موجودا في لبنان ليلة 3 كانون الأول.", "ليلة 3 كانون الأول", "XXXX-12-03TNI");
    check_core("كنت موجودي بلبنان بليلة 3 كانون الأول ، بشتري", "بليلة 3 كانون الأول", 1);
    check_core("وهي الآن بصحة جيدة", "الآن", 1);
    check_core("ويشغل الدكتور قسيس حالياً منصب مدير عام", "حالياً", 1);
    check_core("الابن : الي ساعتين مش داخل", "ساعتين", 1);
    check_core("مجاناً بأقل من 30 ثانية", "30 ثانية", 1);
    check_value("سجل اللاعب في الدقيقة 90 .", "الدقيقة 90", "PT90M");
}

static void relative_expressions(void **state)
{
    (void)state;
    check_resolved("وقال أمس إن", "أمس", "2021-07-14");
    check_value("وقال أمس إن", "أمس", "XXXX-XX-XX");
    check_resolved("وقال اليوم إن", "اليوم", "2021-07-15");
    check_resolved("ويصل غدا إلى", "غدا", "2021-07-16");
    /* يوم with أمس and غد; غد before a weekday names the day */
    check_resolved("عقد اجتماعا يوم أمس بالعاصمة", "يوم أمس", "2021-07-14");
    check_resolved("تدور المقابلات يوم غد وفق البرنامج", "يوم غد", "2021-07-16");
    check_resolved("المحدد لها يوم غد الجمعة في أديس أبابا", "يوم غد الجمعة", "2021-07-16");
    /* Maghrebi words: الجاري and المنقضي after a month, موفى "end of", السداسي "half-year" */
    check_resolved("انطلاق الجولة يوم 7 ماي الجاري .", "يوم 7 ماي الجاري", "2021-05-07");
    check_resolved("عالق منذ 25 جويلية المنقضي بالمطار", "منذ 25 جويلية المنقضي", "2020-07-25");
    check_value("حتى موفى ماي 2015 ، بلغت", "موفى ماي 2015", "2015-05");
    check_value("خلال السداسي الأول من سنة 2015 ، ارتفع", "خلال السداسي الأول من سنة 2015", "2015-H1");
    check_value("خلال الثلاثي الثالث من 2016 ارتفع", "خلال الثلاثي الثالث من 2016", "2016-Q3");
    /* the same period of a year, the first or last months of one */
    check_value("مقابل 205 % خلال نفس الفترة من سنة 2014 .", "خلال نفس الفترة من سنة 2014", "2014");
    check_resolved("مقارنة بالفترة نفسها من العام الماضي .", "بالفترة نفسها من العام الماضي", "2020");
    check_value("ارتفعت خلال الأشهر الخمسة الأولى من سنة 2016 بنسبة", "خلال الأشهر الخمسة الأولى من سنة 2016",
                "2016-01/2016-05");
    check_resolved("تراجعت في الأشهر الثلاثة الأخيرة من العام الماضي", "الأشهر الثلاثة الأخيرة من العام الماضي",
                   "2020-10/2020-12");
    /* vague and seasonal references */
    check_value("في غضون الأيام القليلة القادمة ، سيصدر", "الأيام القليلة القادمة", "FUTURE_REF");
    check_resolved("تمكنت الوحدات خلال الليلة الماضية من", "خلال الليلة الماضية", "2021-07-14TNI");
    check_resolved("تراجعا مقارنة مع الموسم الماضي .", "الموسم الماضي", "2020");
    check_none("بعد انقضاء مواسم المواد الاستهلاكية");
    /* more of the Maghreb's and the newsroom's: الفارط، الفترة الأخيرة، أيام قليلة */
    check_resolved("شهدت المعتمدية الأسبوع الفارط احتجاجات", "الأسبوع الفارط", "2021-W27");
    check_value("يذكر أنه تم في الفترة الأخيرة الاتفاق", "الفترة الأخيرة", "PAST_REF");
    check_value("أن تعلن انضمامها خلال الفترة القادمة .", "خلال الفترة القادمة", "FUTURE_REF");
    check_value("وصل قبل أيام قليلة من حفل التنصيب", "قبل أيام قليلة", "PAST_REF");
    check_value("في الأيام القريبة القادمة .", "الأيام القريبة القادمة", "FUTURE_REF");
    check_value("واصل الارتفاع للعام الثالث على التوالي ومدفوعا", "للعام الثالث على التوالي", "P3Y");
    /* not today: the second day of a conference, a date with no value
     * (tests/facts/conventions-dev2-additions.md: [[اليوم الأوّل]]) */
    check_value("في اليوم الثاني من المؤتمر", "اليوم الثاني", "");
    check_none("احتفالات تونس باليوم الوطني للفلاحة");
    check_resolved("قال اليوم الرئيس إن", "اليوم", "2021-07-15");
    /* a day, a half, or the first months of a month or year named with من */
    check_resolved("والذي يصادف الخامس عشر من شهر مارس من كل عام", "الخامس عشر من شهر مارس", "2021-03-15");
    check_resolved("حسب نشرية المعهد لشهر مارس من هذه السنة .", "لشهر مارس من هذه السنة", "2021-03");
    check_resolved("في مارس من العام الماضي", "مارس من العام الماضي", "2020-03");
    check_value("أن يكون النصف الثاني من شهر نوفمبر 2017 موعد", "النصف الثاني من شهر نوفمبر 2017", "2017-11");
    check_value("بلغت خلال السبعة أشهر الأولى من سنة 2015 ) .", "خلال السبعة أشهر الأولى من سنة 2015",
                "2015-01/2015-07");
    /* ranges: يومي, a first hour without its part of the day, two days back */
    check_resolved("تتواصل أشغاله يومي 3 و 4 مارس بالحمامات .", "يومي 3 و 4 مارس", "2021-03-03/2021-03-04");
    check_value("أغلق لمدة ساعتين من الثامنة الى العاشرة صباحا جراء", "من الثامنة الى العاشرة صباحا",
                "XXXX-XX-XXT08:00/XXXX-XX-XXT10:00");
    check_none("نزل من الدرجة الثالثة إلى الخامسة");
    /* past midnight, the next day; a time after a relative day is that day's */
    check_resolved("كانوا يصورون من الساعة السادسة مساء حتى السادسة صباحا ،",
                   "من الساعة السادسة مساء حتى السادسة صباحا", "2021-07-15T18:00/2021-07-16T06:00");
    check_resolved("من الساعة الثامنة مساء أمس إلى الثالثة فجرا", "من الساعة الثامنة مساء أمس إلى الثالثة فجرا",
                   "2021-07-14T20:00/2021-07-15T03:00");
    check_resolved("مباراة الهلال والنصر غدا الثانية ظهرا", "غدا الثانية ظهرا", "2021-07-16T14:00");
    check_none("تبدأ الفترة الثانية من البرنامج");
    check_resolved("شهدتها استراليا يومي أمس وأمس الأول .", "يومي أمس وأمس الأول", "2021-07-13/2021-07-14");
    check_resolved("ووصل أول أمس إلى", "أول أمس", "2021-07-13");
    check_resolved("واجتمعوا الأسبوع الماضي في", "الأسبوع الماضي", "2021-W27");
    check_resolved("ويجتمعون الشهر المقبل في", "الشهر المقبل", "2021-08");
    check_resolved("وارتفعت العام الماضي.", "العام الماضي", "2020");
    check_resolved("ويستمر خلال هذا العام.", "خلال هذا العام", "2021");
    check_value("ويستمر خلال هذا العام.", "خلال هذا العام", "XXXX");
    check_value("في السنوات الأخيرة ظهرت.", "السنوات الأخيرة", "PAST_REF");

    found f;
    const kh_date *d = check(&f, "ووصل قبل يومين إلى المدينة.", 0, DOC_DATE, "قبل يومين", "2021-07-13");
    assert_string_equal(d->offset, "-P2D");
    assert_true(d->relative);
    assert_false(d->event_anchor);
    found_free(&f);
    /* counted from an event, not from the article's date */
    d = check(&f, "نشرت الصحيفة صورته قبل يومين من إعدامه.", 0, DOC_DATE, "قبل يومين", "XXXX-XX-XX");
    assert_string_equal(d->offset, "-P2D");
    assert_true(d->event_anchor);
    found_free(&f);
    d = check(&f, "اعترفت بعد مرور حوالى الشهر على مقتله.", 0, DOC_DATE, "بعد مرور حوالى الشهر", "XXXX-XX");
    assert_string_equal(d->offset, "+P1M");
    assert_true(d->approx);
    assert_true(d->event_anchor);
    found_free(&f);
    d = check(&f, "وأعلن النتائج بعد أسبوع على الانتخابات.", 0, DOC_DATE, "بعد أسبوع", "XXXX-WXX");
    assert_string_equal(d->offset, "+P1W");
    assert_true(d->event_anchor);
    found_free(&f);
    d = check(&f, "لم يتلقوا أجورهم منذ عامين.", 0, DOC_DATE, "منذ عامين", "2019");
    assert_string_equal(d->offset, "-P2Y");
    found_free(&f);
    d = check(&f, "وأعلنت النتائج بعد ثلاثة أيام.", 0, DOC_DATE, "بعد ثلاثة أيام", "2021-07-18");
    assert_string_equal(d->offset, "+P3D");
    found_free(&f);
    check_value("فرصة ظهرت منذ سنوات لدفع", "منذ سنوات", "PAST_REF");
    check_value("انقرضت قبل 65 مليون سنة.", "قبل 65 مليون سنة", "PAST_REF");
}

static void durations_and_frequencies(void **state)
{
    (void)state;
    found f;
    const kh_date *d = check(&f, "أمضى ثلاث سنوات في السجن.", 0, NULL, "ثلاث سنوات", "P3Y");
    assert_int_equal(d->kind, KH_DATE_DURATION);
    found_free(&f);
    check_value("خلال 45 يوما من انتهاء السنة.", "خلال 45 يوما", "P45D");
    check_value("استمر التدريب لثلاثة أيام.", "لثلاثة أيام", "P3D");
    check_value("استمر ساعتين.", "ساعتين", "PT2H");
    check_value("قطعت المسيرة 5 كم في يوم واحد.", "يوم واحد", "P1D");
    check_value("زيارة تستمر لعدة أيام.", "لعدة أيام", "PXD");
    check_value("خلال الأشهر الثلاثة المقبلة.", "خلال الأشهر الثلاثة المقبلة", "P3M");
    check_value("لمدة ست سنوات بدءاً من العام 2004 ، وعضوية", "لمدة ست سنوات بدءاً من العام 2004", "P6Y");
    d = check(&f, "يكسب المهاجرون 200 دينار شهرياً.", 0, NULL, "شهرياً", "P1M");
    assert_int_equal(d->kind, KH_DATE_SET);
    found_free(&f);
    check_value("عن بياناتها المالية نصف السنوية .", "نصف السنوية", "P6M");
}

/* An age is a length of time in years (Wojood marks it as a date), not an
 * ordinal: سن الرابعة عشرة is fourteen years. */
static void ages(void **state)
{
    (void)state;
    check_value("ملابس للأطفال دون سن الرابعة عشرة والأدوية.", "سن الرابعة عشرة", "P14Y");
    check_value("يحق لمن بلغ سن 18 أن ينتخب.", "سن 18", "P18Y");
    check_value("أن يكون قد أتم الثامنة والعشرين عاما من العمر.", "الثامنة والعشرين عاما", "P28Y");
    check_value("وتوفي في سن الخمسين.", "سن الخمسين", "P50Y");
    check_none("وقرر البرلمان سن قانون جديد.");
    check_none("وسكن في الطابق الثامن عشر.");
    check_value("وهو شاب في 18 من العمر ، يتصور", "18 من العمر", "P18Y");
    check_value("راح ضحيتها طفل الأربع سنوات بجهة الملاسين", "الأربع سنوات", "P4Y");
    check_none("حصل على 18 من الأصوات");
    check_none("وهو في العقد الثالث من العمر :");
    /* ranges of ages: بين 17 و23 سنة */
    check_value("تتراوح أعمارهم بين 17 و 23 سنة .", "بين 17 و 23 سنة", "P17Y/P23Y");
    check_value("تتراوح أعمارهم بين 40 و60 عاما .", "بين 40 و60 عاما", "P40Y/P60Y");
}

static void wojood_spans(void **state)
{
    (void)state;
    /* a preposition right before the date belongs to it; في does not */
    check_core("في 2018 ، اعترضت روسيا", "2018", 0);
    check_core("قرية دير ياسين قبل ( 1948 ) .", "قبل ( 1948 )", 0);
    check_core("في جامعة بيرزيت ( 1973 ) .", "1973", 0);
    check_core("يقرأ نفس أخبار قبل عشرين عاما )", "قبل عشرين عاما", 0);
    check_core("تقدمت قبل حوالي ثلاث سنوات بطلب", "ثلاث سنوات", 0);
    check_core("أنه وبعد مرور عامين على تلك الحادثة", "عامين", 0);
    check_core("وبين يناير ومارس ، ارتفع عدد", "وبين يناير ومارس", 0);
    check_core("في الفترة من 13 وحتى 15 تشرين الثاني / نوفمبر 2016 ؛", "من 13 وحتى 15 تشرين الثاني / نوفمبر 2016", 0);
    check_core("في فصل الشتاء الجلي", "الشتاء", 0);
    check_core("وثائق من الفترة العثمانية : قرية", "الفترة العثمانية", 0);
    check_core("مضابط بلدية نابلس عام ( 1321 ) هجري مضبط", "عام ( 1321 ) هجري", 0);
    check_core("بين الاهالي من ( 1343 ) هجري .", "( 1343 ) هجري", 0);
}

/* Years and centuries before Christ, in ISO 8601's astronomical numbering
 * (1 BC is 0000, 64 BC -0063); centuries told from horns; a unit on both
 * sides of بعد; a year after an ordinal (issue 15; sentences from Arabic
 * Wikipedia, AKEC and ANT). */
static void eras_and_centuries(void **state)
{
    (void)state;
    check_value("ضم الرومان دمشق عام 64 ق.م وازدهرت المدينة.", "عام 64 ق.م", "-0063");
    check_value("ضم الرومان دمشق عام 64 ق. م وازدهرت المدينة.", "عام 64 ق. م", "-0063");
    check_value("وقد كانت في العام 1200 قبل الميلاد قد أصبحت عاصمة العمونيين.", "العام 1200 قبل الميلاد", "-1199");
    check_value("من العصر الحجري حوالي العام 6500 قبل الميلاد.", "حوالي العام 6500 قبل الميلاد", "-6499");
    check_value("ولد في 12 مارس 45 ق.م في روما.", "12 مارس 45 ق.م", "-0044-03-12");
    check_value("وتوفي سنة 1 قبل الميلاد.", "سنة 1 قبل الميلاد", "0000");
    check_value("حكم بين عامي 284 و246 قبل الميلاد.", "بين عامي 284 و246 قبل الميلاد", "-0283/-0245");
    check_value("يعود للقائد فيلادلفيوس في القرن الثالث قبل الميلاد وذلك إبان حكم الأسرة.",
                 "القرن الثالث قبل الميلاد", "-02XX");
    check_value("وفي القرن السابع عشر الميلادي تم اختراع أول ساعة بالبندول.", "القرن السابع عشر الميلادي", "16XX");
    check_value("في منتصف القرن الميلادي الثالث عشر، بنيت القلعة.", "منتصف القرن الميلادي الثالث عشر", "12XX");
    check_value("وصلها الفرس في عام 614م ولكن حكمهم كان قصيرا.", "عام 614م", "0614");
    /* القرن is also a horn: a small ordinal is a century only with a word of
     * time, an era, or another century before it */
    check_none("وتخرج القرون من الجلد، والقرن الثاني أصغر من الأول.");
    check_none("وللحيوان قرنان: القرن الأول طويل والقرن الثاني قصير.");
    check_value("ويعود عمر هذه الكهوف إلى منتصف القرن الخامس والقرن السادس.", "والقرن السادس", "05XX");
    check_value("ورث قصرا بني في القرن الثاني.", "القرن الثاني", "01XX");
    check_value("شهد القرن التاسع عشر ثورة صناعية.", "القرن التاسع عشر", "18XX");
    /* the same unit on both sides of بعد: gradually, no day after */
    check_none("فتئت تكبر عاما بعد عام وتشد إليها الزوار.");
    check_none("احتمال يصبح يومًا بعد يوم بعيد المنال.");
    check_value("وعاد بعد يوم من الحادث.", "بعد يوم", "XXXX-XX-XX"); /* a day after the event */
    /* the nth day, week or year of something: a date with no value (ANT) */
    check_value("وأكد رئيس الجمعية أن اليوم الأوّل كان مخصّصا لتركيب المشاريع.", "اليوم الأوّل", "");
    check_value("القيصرية التي أجريت خلال الأسبوع الثلاثين من الحمل.", "خلال الأسبوع الثلاثين", "");
    check_value("وخلال السنة الأولى من ولايته.", "وخلال السنة الأولى", "");
    check_value("وصل في اليوم الأول من أغسطس 2015.", "اليوم الأول من أغسطس 2015", "2015-08-01");
    check_none("وقال إن العام الأولي للبرنامج انتهى."); /* الأولي "preliminary" */
    /* عام before digits is the year's, not an age after an ordinal */
    check_value("حكم سليم الأول عام 1516 مصر.", "عام 1516", "1516");
    check_value("وفاز بالجائزة الأولى سنة 1960 في القاهرة.", "سنة 1960", "1960");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gregorian_months),
        cmocka_unit_test(month_names_that_are_words),
        cmocka_unit_test(hijri),
        cmocka_unit_test(weekdays),
        cmocka_unit_test(years),
        cmocka_unit_test(numeric_dates),
        cmocka_unit_test(parts_of_periods),
        cmocka_unit_test(times_of_day),
        cmocka_unit_test(relative_expressions),
        cmocka_unit_test(durations_and_frequencies),
        cmocka_unit_test(ages),
        cmocka_unit_test(eras_and_centuries),
        cmocka_unit_test(wojood_spans),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
