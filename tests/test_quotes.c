/* Quotes and attribution (src/quotes.c): reporting verbs in their
 * conjugations, speakers after and before the verb, titles and roles,
 * source phrases (بحسب، وفقا لـ، نقلا عن), direct and unbalanced quotations,
 * pronoun and definite-noun speakers, coordinated speakers.  Entity
 * mentions are made by hand here, as the entity stage would make them. */
#include "helpers.h"

#include "doc.h"
#include "entities.h"
#include "kh.h"
#include "quotes.h"

typedef struct article {
    char text[8192];
    khabar_doc *doc;
} article;

/* The body goes after a title line. */
static void load(article *a, const char *body)
{
    snprintf(a->text, sizeof a->text, "عنوان\n\n%s\n", body);
    /* the entity stage left out: the mentions are the test's own */
    a->doc = analyze_skipping(a->text, 0, KHABAR_SKIP_ENTITIES);
}

static void done(article *a) { khabar_doc_free(a->doc); }

static const khabar_token *tok(const article *a, size_t i) { return &KH_AT(a->doc->tokens, khabar_token, i); }

/* Adds a mention of `words` (its n-th occurrence, from 0), of the entity
 * named `name` (made when new).  The first word may carry clitics. */
static void mention(article *a, kh_entity_type type, const char *words, int nth, const char *name)
{
    khabar_doc *d = a->doc;
    char first[256];
    const char *sp = strchr(words, ' ');
    size_t fl = sp ? (size_t)(sp - words) : strlen(words);
    snprintf(first, sizeof first, "%.*s", (int)fl, words);
    size_t nw = 1;
    for (const char *p = words; *p; p++) nw += *p == ' ';
    for (size_t i = 0; i < d->tokens.len; i++) {
        const khabar_token *t = tok(a, i);
        if (t->span.text_len < fl || memcmp(t->span.text + t->span.text_len - fl, first, fl)) continue;
        /* the following words must match exactly */
        const char *rest = sp ? sp + 1 : NULL;
        size_t k = i + 1, ok = 1;
        while (rest && ok) {
            const char *e = strchr(rest, ' ');
            size_t l = e ? (size_t)(e - rest) : strlen(rest);
            if (k >= d->tokens.len || tok(a, k)->span.text_len != l || memcmp(tok(a, k)->span.text, rest, l))
                ok = 0;
            k++;
            rest = e ? e + 1 : NULL;
        }
        if (!ok || nth-- > 0) continue;
        size_t ent = d->entities.len;
        for (size_t j = 0; j < d->entities.len; j++)
            if (!strcmp(KH_AT(d->entities, kh_entity, j).name, name)) ent = j;
        if (ent == d->entities.len) {
            kh_entity *e = kh_vec_push(&d->entities, sizeof *e);
            assert_non_null(e);
            e->type = type;
            e->name = kh_arena_strndup(&d->arena, name, strlen(name));
            e->first_mention = d->mentions.len;
        }
        KH_AT(d->entities, kh_entity, ent).mentions++;
        kh_mention *m = kh_vec_push(&d->mentions, sizeof *m);
        assert_non_null(m);
        m->type = type;
        m->first = i;
        m->last = i + nw;
        m->start = t->span.end - fl;
        m->end = tok(a, i + nw - 1)->span.end;
        m->sentence = (size_t)t->sentence;
        m->entity = ent;
        m->text = words;
        /* mentions stay in text order */
        kh_mention *ms = d->mentions.data;
        for (size_t j = d->mentions.len - 1; j > 0 && ms[j - 1].first > ms[j].first; j--) {
            kh_mention tmp = ms[j];
            ms[j] = ms[j - 1];
            ms[j - 1] = tmp;
        }
        return;
    }
    fail_msg("no mention \"%s\" in the text", words);
}

/* Finds the quotes again, now that the mentions are there. */
static void requote(article *a)
{
    a->doc->quotes.len = 0;
    assert_int_equal(kh_find_quotes(test_model, a->doc, &a->doc->quotes), KHABAR_OK);
}

static void range(const article *a, size_t first, size_t last, size_t skip, char *out, size_t cap)
{
    if (first >= last) { snprintf(out, cap, "(none)"); return; }
    const khabar_token *x = tok(a, first), *y = tok(a, last - 1);
    const char *s = x->span.text + skip;
    snprintf(out, cap, "%.*s", (int)(y->span.text + y->span.text_len - s), s);
}

static void dump(const article *a)
{
    char sp[512], cue[128], txt[1024];
    for (size_t i = 0; i < a->doc->quotes.len; i++) {
        const kh_quote *q = &KH_AT(a->doc->quotes, kh_quote, i);
        range(a, q->speaker_first, q->speaker_last, q->speaker_skip, sp, sizeof sp);
        range(a, q->cue_first, q->cue_last, 0, cue, sizeof cue);
        range(a, q->text_first, q->text_last, 0, txt, sizeof txt);
        print_message("  quote %zu: [%s] cue [%s] direct %d entity %ld: %s\n", i, sp, cue, q->direct,
                      q->entity == KH_NO_ENTITY ? -1L : (long)q->entity, txt);
    }
}

/* The quote whose text is `text`; fails when there is none. */
static const kh_quote *quote_with_text(const article *a, const char *text)
{
    char txt[4096];
    for (size_t i = 0; i < a->doc->quotes.len; i++) {
        const kh_quote *q = &KH_AT(a->doc->quotes, kh_quote, i);
        range(a, q->text_first, q->text_last, 0, txt, sizeof txt);
        if (!strcmp(txt, text)) return q;
    }
    dump(a);
    fail_msg("no quote with text \"%s\"", text);
    return NULL;
}

static void assert_speaker(const article *a, const kh_quote *q, const char *speaker)
{
    char sp[512];
    range(a, q->speaker_first, q->speaker_last, q->speaker_skip, sp, sizeof sp);
    if (strcmp(sp, speaker)) {
        dump(a);
        fail_msg("speaker [%s], want [%s]", sp, speaker);
    }
}

static void assert_cue(const article *a, const kh_quote *q, const char *cue)
{
    char c[256];
    range(a, q->cue_first, q->cue_last, 0, c, sizeof c);
    if (strcmp(c, cue)) {
        dump(a);
        fail_msg("cue [%s], want [%s]", c, cue);
    }
}

/* `body` has one quote: `text`, said by `speaker` ("(none)" when unknown),
 * introduced by `cue`. */
static void check(const char *body, const char *cue, const char *speaker, const char *text, int direct)
{
    article a;
    load(&a, body);
    const kh_quote *q = quote_with_text(&a, text);
    assert_cue(&a, q, cue);
    assert_speaker(&a, q, speaker);
    if ((int)q->direct != direct) {
        dump(&a);
        fail_msg("direct %d, want %d", q->direct, direct);
    }
    /* offsets are the input's bytes */
    assert_true(q->start < q->end && q->end <= strlen(a.text));
    assert_memory_equal(a.text + q->start, text, strlen(text));
    if (q->speaker_first < q->speaker_last)
        assert_memory_equal(a.text + q->speaker_start, speaker, strlen(speaker));
    done(&a);
}

static void check_none(const char *body)
{
    article a;
    load(&a, body);
    if (a.doc->quotes.len) {
        dump(&a);
        fail_msg("expected no quote in \"%s\"", body);
    }
    done(&a);
}

static void word_table(void **state)
{
    (void)state;
    /* every verb in its conjugations, participles, phrases and function words */
    assert_true(kh_quote_words_size(test_model->quotes) > 600);
}

static void conjugations(void **state)
{
    (void)state;
    const char *text = "الوضع مستقر";
    static const struct {
        const char *body, *cue, *speaker;
    } cases[] = {
        {"قال الوزير إن الوضع مستقر.", "قال", "الوزير"},
        {"وقالت الوزيرة إن الوضع مستقر.", "وقالت", "الوزيرة"},
        {"فقال المسؤولون إن الوضع مستقر.", "فقال", "المسؤولون"},
        {"وقالوا إن الوضع مستقر.", "وقالوا", "(none)"},
        {"ويقول الخبراء إن الوضع مستقر.", "ويقول", "الخبراء"},
        {"وتقول الحكومة إن الوضع مستقر.", "وتقول", "الحكومة"},
        {"ويقولون إن الوضع مستقر.", "ويقولون", "(none)"},
        {"أكد الجيش أن الوضع مستقر.", "أكد", "الجيش"},
        {"وأكدت الشرطة أنّ الوضع مستقر.", "وأكدت", "الشرطة"},
        {"وأكدا أن الوضع مستقر.", "وأكدا", "(none)"},
        {"تؤكد المصادر أن الوضع مستقر.", "تؤكد", "المصادر"},
        {"ويؤكدون أن الوضع مستقر.", "ويؤكدون", "(none)"},
        {"وأوضح المتحدث أن الوضع مستقر.", "وأوضح", "المتحدث"},
        {"وأشارت الوزارة إلى أن الوضع مستقر.", "وأشارت", "الوزارة"},
        {"وكشف المصدر عن أن الوضع مستقر.", "وكشف", "المصدر"},
        {"وأضافت اللجنة أن الوضع مستقر.", "وأضافت", "اللجنة"},
        {"وصرح المحافظ بأن الوضع مستقر.", "وصرح", "المحافظ"},
        {"وأعلنت السلطات أن الوضع مستقر.", "وأعلنت", "السلطات"},
        /* the weak verb رأى / يرى */
        {"ورأى المحلل أن الوضع مستقر.", "ورأى", "المحلل"},
        {"وترى الصحيفة أن الوضع مستقر.", "وترى", "الصحيفة"},
        {"ويرى المراقبون أن الوضع مستقر.", "ويرى", "المراقبون"},
        {"ويرون أن الوضع مستقر.", "ويرون", "(none)"},
        {"واعتبر النائب أن الوضع مستقر.", "واعتبر", "النائب"},
        {"ويعتبر النائب أن الوضع مستقر.", "ويعتبر", "النائب"},
        {"وادعت الجماعة أن الوضع مستقر.", "وادعت", "الجماعة"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check(cases[i].body, cases[i].cue, cases[i].speaker, text, 0);
}

static void not_quotes(void **state)
{
    (void)state;
    /* a verb without reported content */
    check_none("ويرى في تقدم الحركة إشارة إلى التغيير.");
    check_none("وأعلن الجيش حالة الطوارئ في المدينة.");
    /* "it is worth mentioning", "it is believed" */
    check_none("ويذكر أن الوزارة أصدرت بيانا.");
    check_none("ويعتقد أن الحادث وقع ليلا.");
    /* the first person أعتقد against اعتقد */
    check_none("لا أعتقد أن الحكومة ستوافق.");
    /* the subjunctive أن of بعد أن */
    check_none("وقال الوزير بعد أن التقى نظيره.");
    /* according to the law, not to a source */
    check_none("وفقا للقانون، يحق للمواطن الاعتراض على القرار.");
    check_none("ويتم الدفع حسب الحاجة.");
    /* another clause begins before any complementizer */
    check_none("ويرى في تقدم الحركة إشارة، بعدما تعهدت بأن تنسحب.");
    /* نقل "carry", and a subjunctive أن after a long clause */
    check_none("ونقلوا على الفور إلى مستشفى المدينة لتلقي العلاج، داعين الله العلي القدير أن يشفي المصابين.");
    /* a name in quotes after the subject is not a quotation */
    check_none("أكدت شركة «النور للتقنية الحديثة» في تقرير حديث نموا كبيرا.");
    /* a title after بعنوان or an indefinite work noun is not speech */
    check_none("قام المخرج تري باركر بكتابة فيلم بعنوان «فريق أميركا: وورلد بوليس»، كال فيه على الإرهابيين.");
    check_none("وكتب منتصر الزيات في كتاب «أيمن الظواهري.. كما عرفته» عن السجون.");
}

static void speaker_after_the_verb(void **state)
{
    (void)state;
    /* a quoted title before the content is not the content */
    check("أما صحيفة الاتحاد فقد قالت في افتتاحيتها تحت عنوان «الكويت تتحدى الطائفية»، إن الجماعة فشلت.",
          "قالت", "صحيفة الاتحاد", "الجماعة فشلت", 0);
    /* a long passage after a work's name quotes the work */
    check("وكتب فاروق مردم بك في كتابه «فمن خلال الاحتكام لرأي زرياب الذي لا يرد، بدل أهل البلاط وسكان "
          "المدينة لباسهم وأثاثهم وطبيخهم».",
          "وكتب", "فاروق مردم بك",
          "فمن خلال الاحتكام لرأي زرياب الذي لا يرد، بدل أهل البلاط وسكان المدينة لباسهم وأثاثهم وطبيخهم", 1);
    /* titles and roles are part of the speaker */
    check("وفي مؤتمر صحافي، أعلن قائد القيادة المركزية الأميركية الجنرال فرانك ماكنزي، أنَّ الولايات "
          "المتحدة كانت تعتمد على الحركة.",
          "أعلن", "قائد القيادة المركزية الأميركية الجنرال فرانك ماكنزي",
          "الولايات المتحدة كانت تعتمد على الحركة", 0);
    /* adjuncts between the speaker and the content are not the speaker */
    check("وصرح خراساني في مقابلة مع الصحيفة قبل يومين من إعدامه، أنَّ الحركة ستطلق سراحه.", "وصرح",
          "خراساني", "الحركة ستطلق سراحه", 0);
    check("وقال المتحدث باسم الوزارة لوكالة الأنباء إن المحادثات مستمرة.", "وقال", "المتحدث باسم الوزارة",
          "المحادثات مستمرة", 0);
    check("وقال الوزير اليوم الاثنين إن المحادثات مستمرة.", "وقال", "الوزير", "المحادثات مستمرة", 0);
    /* an apposition */
    check("وقال المتحدث باسم الحكومة، سالم الهاشمي، إن حجم الأضرار كبير.", "وقال",
          "المتحدث باسم الحكومة، سالم الهاشمي", "حجم الأضرار كبير", 0);
    /* a source noun keeps its "في X" */
    check("وقال مصدر في الوزارة إن المحادثات مستمرة.", "وقال", "مصدر في الوزارة", "المحادثات مستمرة", 0);
    /* a complementizer carrying the clause's subject stays in the text */
    check("وأكدت روسيا والصين وإيران أنها تعتبر الحركة دعامة للاستقرار.", "وأكدت", "روسيا والصين وإيران",
          "أنها تعتبر الحركة دعامة للاستقرار", 0);
    /* يدعى "is called" is not يدعي "claims" */
    check("ويقول بائع الخضار، ويدعى حسن، إن الأسعار مرتفعة.", "ويقول", "بائع الخضار، ويدعى حسن",
          "الأسعار مرتفعة", 0);
    /* a name in quotes after a preposition does not open the quotation */
    check("وقال الأمين العام لـ«اتحاد الكتاب العرب»، الدكتور ماهر سليم: «نحن نرحب بالقرار».", "وقال",
          "الأمين العام", "نحن نرحب بالقرار", 1);
    /* a pronoun's preposition before the subject */
    check("قال له المدرب: «عليك أن تستعد للمباراة جيدا».", "قال", "المدرب", "عليك أن تستعد للمباراة جيدا", 1);
    /* "عن X قوله": the one quoted */
    check("ونقلت الوكالة عن مسؤول عسكري قوله إن الهجوم فشل.", "ونقلت", "مسؤول عسكري", "الهجوم فشل", 0);
    check("ونقل بيرك عن مسؤولين وصفهم للحادث بأنه مرعب وعنيف.", "ونقل", "مسؤولين", "بأنه مرعب وعنيف", 0);
}

static void speaker_before_the_verb(void **state)
{
    (void)state;
    check("الوزير أكد أن المحادثات مستمرة.", "أكد", "الوزير", "المحادثات مستمرة", 0);
    check("وكان وزير الخارجية قد أعلن أن المحادثات مستمرة.", "أعلن", "وزير الخارجية", "المحادثات مستمرة", 0);
    check("والتقى الوزير بالخبير الذي قال إن المحادثات مستمرة.", "قال", "الخبير", "المحادثات مستمرة", 0);
    check("لكن الخبير سامي العلي يرى أن هذه الخطة تأخرت كثيرا.", "يرى", "الخبير سامي العلي",
          "هذه الخطة تأخرت كثيرا", 0);
    check("أما المستشارة الألمانية فقالت إن الاتفاق ضروري.", "فقالت", "المستشارة الألمانية", "الاتفاق ضروري", 0);
    check("وكانت «صحيفة الغد» قد نقلت حينها أن الاجتماع تأجل.", "نقلت", "«صحيفة الغد»", "الاجتماع تأجل", 0);
    /* inside reported content: part of what the minister said, not a second quote */
    check("وقال الوزير إن الحكومة أكدت أن المحادثات مستمرة.", "وقال", "الوزير", "الحكومة أكدت أن المحادثات مستمرة",
          0);
}

/* The number of quotes in `body`, dumped when it is not `n`. */
static void count_quotes(const char *body, size_t n)
{
    article a;
    load(&a, body);
    if (a.doc->quotes.len != n) {
        dump(&a);
        fail_msg("%zu quotes, want %zu", a.doc->quotes.len, n);
    }
    done(&a);
}

/* Issue 15: a reporting verb inside a quotation is part of what was said
 * (ANT, Tunisian radio news). */
static void verbs_inside_quotations(void **state)
{
    (void)state;
    static const char *const one[] = {
        /* inside the reported clause */
        "وأضاف هاريسون أن الشرطة تعتقد أن السائق كان مخمورا ويجري استجوابه في مقر الشرطة.",
        "وقالت حديقة حيوان تواري إنها تعتقد أن هذه هي المرة الأولى التي يُقتل فيها وحيد قرن في حديقة حيوان في "
        "أوروبا.",
        /* inside quote marks */
        "وأوضح قاسمي أن الهدف من هذه الجولة، التي تستغرق يومين، هو \"بحث تعزيز العلاقات الثنائية بين إيران والدول "
        "الثلاث، والتشاور حول التطورات في المنطقة سيما في سوريا وقضايا الخليج، لافتاً إلى أن الوزير ظريف سيلتقي "
        "رؤساء البلدان الثلاثة فضلاً عن نظرائه فيها\".",
    };
    for (size_t i = 0; i < sizeof one / sizeof *one; i++) count_quotes(one[i], 1);
    check("وأضاف هاريسون أن الشرطة تعتقد أن السائق كان مخمورا ويجري استجوابه في مقر الشرطة.", "وأضاف", "هاريسون",
          "الشرطة تعتقد أن السائق كان مخمورا ويجري استجوابه في مقر الشرطة", 0);
    /* a participle after a comma still starts its own clause, outside quote marks */
    article a;
    load(&a, "قال الناطق باسم حركة النهضة، عماد الحمّامي، إن الحركة تتوقع أن يكون تمثيلها أكبر في حكومة الوحدة "
             "الوطنية المقبلة، مشيراً إلى أن حكومة يوسف الشاهد المُقبلة مطالبة أساسا باجتثاث الإرهاب.");
    assert_speaker(&a, quote_with_text(&a, "الحركة تتوقع أن يكون تمثيلها أكبر في حكومة الوحدة الوطنية المقبلة"),
                   "الناطق باسم حركة النهضة، عماد الحمّامي");
    assert_cue(&a, quote_with_text(&a, "حكومة يوسف الشاهد المُقبلة مطالبة أساسا باجتثاث الإرهاب"), "مشيراً");
    assert_int_equal(a.doc->quotes.len, 2);
    done(&a);
    /* what a verb of passing on or a source relays keeps its own speaker;
     * a new clause after a comma and و, or a relative pronoun, is its own */
    check("ونقلت تقارير إخبارية أن الوزيرة قالت إنها ستتقاعد في الحال.", "قالت", "الوزيرة", "إنها ستتقاعد في الحال", 0);
    check("وبحسب الوكالة، فقد ذكرت الوزارة في بيان أن الكشف الجديد سيدخل الإنتاج خلال شهرين.", "ذكرت",
          "الوزارة", "الكشف الجديد سيدخل الإنتاج خلال شهرين", 0);
    check("وقال المدرب إن اللاعبين جاهزون، وعن المعسكر أوضح المدرب أن الخطة موضوعة.", "أوضح", "المدرب",
          "الخطة موضوعة", 0);
    /* direct speech after a colon inside reported content is a quote of its own */
    check("وأفاد البيان أن الأمير قال في خطابه: نشكركم على هذين التقريرين المتميزين.", "قال", "الأمير",
          "نشكركم على هذين التقريرين المتميزين", 0);
}

static void pronoun_speakers(void **state)
{
    (void)state;
    /* the speaker of the sentence before */
    article a;
    load(&a, "وقال الوزير إن المحادثات مستمرة. وأضاف أن الاتفاق قريب.");
    const kh_quote *q = quote_with_text(&a, "الاتفاق قريب");
    assert_speaker(&a, q, "الوزير");
    assert_true(q->anaphoric);
    done(&a);
    /* a participle: the subject of the verb before it */
    check("أعلن الجيش مقتل خمسة جنود، مؤكدا أن العملية مستمرة.", "مؤكدا", "الجيش", "العملية مستمرة", 0);
    check("وقال الوزير إن المحادثات مستمرة، مشيرا إلى أن الاتفاق قريب.", "مشيرا", "الوزير", "الاتفاق قريب", 0);
    /* the participle takes the whole speaker of the verb's quote */
    check("وأوضح مدير عام التعليم الدكتور خالد المنصور أن اللجان جاهزة، لافتا إلى أن الموعد قريب.",
          "لافتا", "مدير عام التعليم الدكتور خالد المنصور", "الموعد قريب", 0);
    /* the reported content of the first ends where the participle begins */
    check("وقال الوزير إن المحادثات مستمرة، مشيرا إلى أن الاتفاق قريب.", "وقال", "الوزير",
          "المحادثات مستمرة", 0);

    /* no one named: unknown, until the entity stage names a person */
    const char *body = "وفي مقابلات أجريت مع خراساني قبل مقتله بفترة وجيزة، كشف عن أنَّ التنظيم وضع أهدافا "
                       "عالمية.";
    check(body, "كشف", "(none)", "التنظيم وضع أهدافا عالمية", 0);
    load(&a, body);
    mention(&a, KH_ENTITY_PER, "خراساني", 0, "أبو عمر خراساني");
    requote(&a);
    q = quote_with_text(&a, "التنظيم وضع أهدافا عالمية");
    assert_speaker(&a, q, "خراساني");
    assert_int_equal(q->entity, 0);
    assert_true(q->anaphoric);
    done(&a);

    /* a feminine verb may have an organisation for its antecedent */
    load(&a, "واجتمعت الحكومة اليوم. وأكدت أن الاجتماع كان مثمرا.");
    mention(&a, KH_ENTITY_ORG, "الحكومة", 0, "الحكومة");
    requote(&a);
    q = quote_with_text(&a, "الاجتماع كان مثمرا");
    assert_speaker(&a, q, "الحكومة");
    done(&a);
}

static void definite_noun_speakers(void **state)
{
    (void)state;
    article a;
    load(&a, "وذلك بحسب ما جاء في صحيفة \"وول ستريت جورنال\" الأميركية. وترى الصحيفة أن الوضع معقد.");
    mention(&a, KH_ENTITY_ORG, "وول ستريت جورنال", 0, "وول ستريت جورنال");
    mention(&a, KH_ENTITY_LOC, "الأميركية", 0, "الولايات المتحدة");
    requote(&a);
    const kh_quote *q = quote_with_text(&a, "الوضع معقد");
    assert_speaker(&a, q, "الصحيفة");
    assert_int_equal(q->entity, 0);
    assert_true(q->anaphoric);
    done(&a);

    /* the noun may be the mention's first word (وزارة الخارجية → الوزارة) */
    load(&a, "وأصدرت وزارة الخارجية بيانا. وقالت الوزارة إن الزيارة ألغيت.");
    mention(&a, KH_ENTITY_ORG, "وزارة الخارجية", 0, "وزارة الخارجية");
    requote(&a);
    q = quote_with_text(&a, "الزيارة ألغيت");
    assert_speaker(&a, q, "الوزارة");
    assert_int_equal(q->entity, 0);
    done(&a);

    /* no earlier entity with that noun: no entity */
    load(&a, "وأصدرت وزارة الخارجية بيانا. وقالت الصحيفة إن الزيارة ألغيت.");
    mention(&a, KH_ENTITY_ORG, "وزارة الخارجية", 0, "وزارة الخارجية");
    requote(&a);
    q = quote_with_text(&a, "الزيارة ألغيت");
    assert_int_equal(q->entity, KH_NO_ENTITY);
    done(&a);
}

static void entities_of_speakers(void **state)
{
    (void)state;
    /* a title and a role before a name belong to the name */
    article a;
    load(&a, "وفي مؤتمر صحافي، أعلن قائد القيادة المركزية الأميركية الجنرال فرانك ماكنزي، أنَّ الولايات "
             "المتحدة كانت تعتمد على الحركة.");
    mention(&a, KH_ENTITY_ORG, "القيادة المركزية الأميركية", 0, "القيادة المركزية الأميركية");
    mention(&a, KH_ENTITY_PER, "فرانك ماكنزي", 0, "فرانك ماكنزي");
    mention(&a, KH_ENTITY_LOC, "الولايات المتحدة", 0, "الولايات المتحدة");
    requote(&a);
    const kh_quote *q = quote_with_text(&a, "الولايات المتحدة كانت تعتمد على الحركة");
    assert_speaker(&a, q, "قائد القيادة المركزية الأميركية الجنرال فرانك ماكنزي");
    assert_int_equal(q->entity, 1);
    assert_int_equal(q->n_entities, 1);
    done(&a);

    /* coordinated speakers: every one, the first as the entity */
    load(&a, "وأكدت روسيا والصين وإيران أنها تعتبر الحركة دعامة للاستقرار.");
    mention(&a, KH_ENTITY_LOC, "روسيا", 0, "روسيا");
    mention(&a, KH_ENTITY_LOC, "الصين", 0, "الصين");
    mention(&a, KH_ENTITY_LOC, "إيران", 0, "إيران");
    requote(&a);
    q = quote_with_text(&a, "أنها تعتبر الحركة دعامة للاستقرار");
    assert_int_equal(q->entity, 0);
    assert_int_equal(q->n_entities, 3);
    assert_int_equal(q->entities[1], 1);
    assert_int_equal(q->entities[2], 2);
    done(&a);

    /* two people, each with a title */
    load(&a, "وقال الرئيس الروسي فلاديمير بوتين ونظيره الصيني شي جين بينغ إن التعاون مستمر.");
    mention(&a, KH_ENTITY_LOC, "الروسي", 0, "روسيا");
    mention(&a, KH_ENTITY_PER, "فلاديمير بوتين", 0, "فلاديمير بوتين");
    mention(&a, KH_ENTITY_LOC, "الصيني", 0, "الصين");
    mention(&a, KH_ENTITY_PER, "شي جين بينغ", 0, "شي جين بينغ");
    requote(&a);
    q = quote_with_text(&a, "التعاون مستمر");
    assert_int_equal(q->entity, 1);
    assert_int_equal(q->n_entities, 2);
    assert_int_equal(q->entities[1], 3);
    done(&a);

    /* a bracket or a place between the title and the name */
    load(&a, "وأكد مسؤول (بارع) في الأحساء محمد العويفير أن الحرفيين مؤهلون للمنافسة.");
    mention(&a, KH_ENTITY_PER, "محمد العويفير", 0, "محمد العويفير");
    requote(&a);
    q = quote_with_text(&a, "الحرفيين مؤهلون للمنافسة");
    assert_speaker(&a, q, "مسؤول (بارع) في الأحساء محمد العويفير");
    assert_int_equal(q->entity, 0);
    done(&a);
    load(&a, "وقال الباحث في مركز الدراسات في أنقرة جاهد توز إن الحل سياسي.");
    mention(&a, KH_ENTITY_LOC, "أنقرة", 0, "أنقرة");
    mention(&a, KH_ENTITY_PER, "جاهد توز", 0, "جاهد توز");
    requote(&a);
    q = quote_with_text(&a, "الحل سياسي");
    assert_speaker(&a, q, "الباحث في مركز الدراسات في أنقرة جاهد توز");
    assert_int_equal(q->entity, 1);
    done(&a);
    /* the name between commas after the place */
    load(&a, "وقد صرحت مفوضة الشرطة في مدريد، كونثيبثيون دانكاوسا، بأن القنينة أرشدت الشرطة إلى الأم.");
    mention(&a, KH_ENTITY_LOC, "مدريد", 0, "مدريد");
    mention(&a, KH_ENTITY_PER, "كونثيبثيون دانكاوسا", 0, "كونثيبثيون دانكاوسا");
    requote(&a);
    q = quote_with_text(&a, "القنينة أرشدت الشرطة إلى الأم");
    assert_speaker(&a, q, "مفوضة الشرطة في مدريد، كونثيبثيون دانكاوسا");
    assert_int_equal(q->entity, 1);
    done(&a);
    /* a place inside a role or a description is not who speaks (issue 15:
     * ANT, AKEC); a place that heads the phrase is */
    load(&a, "وأكد مدير المستشفى الجهوي ببن قردان أن حالة المصابين مستقرة.");
    mention(&a, KH_ENTITY_LOC, "ببن قردان", 0, "بن قردان");
    requote(&a);
    q = quote_with_text(&a, "حالة المصابين مستقرة");
    assert_speaker(&a, q, "مدير المستشفى الجهوي ببن قردان");
    assert_int_equal(q->entity, KH_NO_ENTITY);
    done(&a);
    load(&a, "وقالت رئيسة الوزراء البريطانية إن المفاوضات ستبدأ قريبا.");
    mention(&a, KH_ENTITY_LOC, "البريطانية", 0, "المملكة المتحدة");
    requote(&a);
    q = quote_with_text(&a, "المفاوضات ستبدأ قريبا");
    assert_int_equal(q->entity, KH_NO_ENTITY);
    done(&a);
    load(&a, "وقالت رئيسة الوزراء البريطانية تيريزا ماي إن المفاوضات ستبدأ قريبا.");
    mention(&a, KH_ENTITY_LOC, "البريطانية", 0, "المملكة المتحدة");
    mention(&a, KH_ENTITY_PER, "تيريزا ماي", 0, "تيريزا ماي");
    requote(&a);
    q = quote_with_text(&a, "المفاوضات ستبدأ قريبا");
    assert_int_equal(q->entity, 1);
    done(&a);
    load(&a, "وأعلنت تونس أن الحدود مع ليبيا ستفتح غدا.");
    mention(&a, KH_ENTITY_LOC, "تونس", 0, "تونس");
    requote(&a);
    q = quote_with_text(&a, "الحدود مع ليبيا ستفتح غدا");
    assert_int_equal(q->entity, 0);
    done(&a);
    /* a definite noun does not refer to the country of what it names */
    load(&a, "ونشرت صحيفة الغارديان البريطانية تقريرا. وقالت الصحيفة إن الحكومة ستستقيل.");
    mention(&a, KH_ENTITY_LOC, "البريطانية", 0, "المملكة المتحدة");
    requote(&a);
    q = quote_with_text(&a, "الحكومة ستستقيل");
    assert_int_equal(q->entity, KH_NO_ENTITY);
    done(&a);
    /* the phrase stops at the name when a preposition's phrase follows it */
    load(&a, "وقال وزير الدفاع آشتون كارتر للصحافيين إن الحملة طويلة.");
    mention(&a, KH_ENTITY_PER, "آشتون كارتر", 0, "آشتون كارتر");
    requote(&a);
    q = quote_with_text(&a, "الحملة طويلة");
    assert_speaker(&a, q, "وزير الدفاع آشتون كارتر");
    done(&a);
    load(&a, "وعنها قال القصبي بتأثر كبير إنها سيدة عظيمة.");
    mention(&a, KH_ENTITY_PER, "القصبي", 0, "القصبي");
    requote(&a);
    q = quote_with_text(&a, "إنها سيدة عظيمة");
    assert_speaker(&a, q, "القصبي");
    done(&a);
    /* but not inside a quoted name */
    load(&a, "وقال تيم بيل رئيس «نايت فرانك لأبحاث العقارات» إن الأسعار سترتفع.");
    mention(&a, KH_ENTITY_PER, "تيم بيل", 0, "تيم بيل");
    mention(&a, KH_ENTITY_PER, "نايت فرانك", 0, "نايت فرانك");
    requote(&a);
    q = quote_with_text(&a, "الأسعار سترتفع");
    assert_speaker(&a, q, "تيم بيل رئيس «نايت فرانك لأبحاث العقارات»");
    done(&a);
    /* a source phrase before the name: the newspaper speaks */
    load(&a, "وقالت صحيفة «واشنطن بوست»، حسب أصدقاء عبد العزيز، إنه كان مريضا.");
    mention(&a, KH_ENTITY_ORG, "واشنطن بوست", 0, "واشنطن بوست");
    mention(&a, KH_ENTITY_PER, "عبد العزيز", 0, "عبد العزيز");
    requote(&a);
    q = quote_with_text(&a, "إنه كان مريضا");
    assert_int_equal(q->entity, 0);
    done(&a);
    /* but a person after a preposition, or after another verb, is not the speaker */
    load(&a, "وقال الوزير خلال لقائه بالرئيس محمد مرسي إن العلاقات قوية.");
    mention(&a, KH_ENTITY_PER, "محمد مرسي", 0, "محمد مرسي");
    requote(&a);
    q = quote_with_text(&a, "العلاقات قوية");
    assert_speaker(&a, q, "الوزير");
    done(&a);
}

static void source_phrases(void **state)
{
    (void)state;
    /* before the clause */
    check("وبحسب تقرير للأمم المتحدة أصدرته منتصف يوليو/تموز، يستند التنظيم على 500 مقاتل.", "وبحسب",
          "تقرير للأمم المتحدة", "يستند التنظيم على 500 مقاتل", 0);
    check("ووفقا لوكالة الأنباء الرسمية، وصل الوفد إلى العاصمة.", "ووفقا", "وكالة الأنباء الرسمية",
          "وصل الوفد إلى العاصمة", 0);
    check("ووفقا لـ\"رويترز\"، وصل الوفد إلى العاصمة.", "ووفقا لـ", "\"رويترز\"", "وصل الوفد إلى العاصمة", 0);
    check("ووفقًا للمجلة الاقتصادية، سترتفع أسعار الوقود الشهر المقبل.", "ووفقًا", "للمجلة الاقتصادية",
          "سترتفع أسعار الوقود الشهر المقبل", 0);
    check("ووفق التقرير فإن الصادرات ارتفعت 12 في المئة.", "ووفق", "التقرير", "الصادرات ارتفعت 12 في المئة", 0);
    check("ونقلا عن مصادر محلية، قتل ثلاثة أشخاص في الهجوم.", "ونقلا عن", "مصادر محلية",
          "قتل ثلاثة أشخاص في الهجوم", 0);
    /* after it */
    check("أصيب خمسة أشخاص في حادث سير جنوب المدينة، حسبما أكد مسؤولون محليون.", "حسبما", "مسؤولون محليون",
          "أصيب خمسة أشخاص في حادث سير جنوب المدينة", 0);
    check("وصل الوفد إلى العاصمة صباح اليوم، وذلك بحسب ما جاء في صحيفة \"الغارديان\" البريطانية.", "بحسب",
          "صحيفة \"الغارديان\" البريطانية", "وصل الوفد إلى العاصمة صباح اليوم", 0);
    check("وصل الوفد إلى العاصمة صباح اليوم، على لسان مسؤول في الوزارة.", "على لسان", "مسؤول في الوزارة",
          "وصل الوفد إلى العاصمة صباح اليوم", 0);
    /* the phrase's entity */
    article a;
    load(&a, "وبحسب تقرير للأمم المتحدة، يستند التنظيم على 500 مقاتل.");
    mention(&a, KH_ENTITY_ORG, "للأمم المتحدة", 0, "الأمم المتحدة");
    requote(&a);
    const kh_quote *q = quote_with_text(&a, "يستند التنظيم على 500 مقاتل");
    assert_int_equal(q->entity, 0);
    done(&a);
}

static void direct_quotes(void **state)
{
    (void)state;
    check("وقال الوزير: «نحن مستعدون للحوار».", "وقال", "الوزير", "نحن مستعدون للحوار", 1);
    check("وقال الوزير “نحن مستعدون للحوار مع الجميع”.", "وقال", "الوزير", "نحن مستعدون للحوار مع الجميع", 1);
    check("وقالت اللجنة في بيان إن «حق الإنسان في خطر دائم».", "وقالت", "اللجنة", "حق الإنسان في خطر دائم", 1);
    check("وقال الوزير: \"نعم\".", "وقال", "الوزير", "نعم", 1);
    /* unbalanced: the quotation runs to the end of the sentence */
    check("وصرح خراساني، أنَّ \"الحركة ستطلق سراحه إذا كانت من المسلمين. وترى الصحيفة أن \"الدولة\" باقية.",
          "وصرح", "خراساني", "الحركة ستطلق سراحه إذا كانت من المسلمين", 1);
    /* a name in quotes at the start of reported content: reported speech */
    check("وكشف عن أنَّ \"داعش\" وضع أهدافا عالمية.", "وكشف", "(none)", "\"داعش\" وضع أهدافا عالمية", 0);
    /* the speaker after the quotation */
    check("«لن نتراجع عن قرارنا»، قال الوزير.", "قال", "الوزير", "لن نتراجع عن قرارنا", 1);
    /* reversed and swapped marks as scrapers leave them */
    check("واستطرد الشيخ سالم:» السوق تغيرت كثيرا في السنوات الأخيرة «.", "واستطرد", "الشيخ سالم",
          "السوق تغيرت كثيرا في السنوات الأخيرة", 0);
    check("وقال الوزير ”نحن مستعدون للحوار مع الجميع“.", "وقال", "الوزير", "نحن مستعدون للحوار مع الجميع", 1);
    /* a quotation over several sentences */
    check("وقال الوزير: «وصلنا أمس. وسنبقى حتى الغد».", "وقال", "الوزير", "وصلنا أمس. وسنبقى حتى الغد", 1);
    /* a sentence that is a quotation goes to the speaker before it */
    article a;
    load(&a, "وقال الوزير: «وصلنا أمس».\n«وسنبقى هنا حتى نهاية الأسبوع».");
    const kh_quote *q = quote_with_text(&a, "وسنبقى هنا حتى نهاية الأسبوع");
    assert_speaker(&a, q, "الوزير");
    assert_int_equal(q->cue_first, q->cue_last);
    done(&a);
    /* a quoted slogan inside a clause is not a quotation of its own */
    check_none("وتعهدت المنظمتان بـ\"تخليص البلاد من الكفار\" منذ سنوات.");
}

static void seed_article(void **state)
{
    (void)state;
    size_t len;
    char *text = read_source_file("examples/article.txt", &len);
    khabar_doc *d = NULL;
    assert_int_equal(khabar_analyze(test_analyzer, text, len, NULL, &d, NULL), KHABAR_OK);
    article a;
    snprintf(a.text, sizeof a.text, "%s", text);
    a.doc = d;
    /* the entity stage's own mentions (EXPECTED.md, tests/test_entities.c) */
    static const struct {
        const char *cue, *speaker, *entity;
    } want[] = {
        {"كشف", "خراساني", "أبو عمر خراساني"},
        {"بحسب", "صحيفة \"اوول ستريت جورنال\" الأميركية", "وول ستريت جورنال"},
        {"وصرح", "خراساني", "أبو عمر خراساني"},
        {"وترى", "الصحيفة", "وول ستريت جورنال"},
        {"وأكدت", "روسيا والصين وإيران", "روسيا"},
        {"أعلن", "قائد القيادة المركزية الأميركية الجنرال فرانك ماكنزي", "فرانك ماكنزي"},
        {"وبحسب", "تقرير للأمم المتحدة", "الأمم المتحدة"},
    };
    size_t next = 0;
    for (size_t i = 0; i < d->quotes.len && next < sizeof want / sizeof *want; i++) {
        const kh_quote *q = &KH_AT(d->quotes, kh_quote, i);
        char cue[64], sp[512];
        range(&a, q->cue_first, q->cue_last, 0, cue, sizeof cue);
        range(&a, q->speaker_first, q->speaker_last, q->speaker_skip, sp, sizeof sp);
        if (strcmp(cue, want[next].cue) || strcmp(sp, want[next].speaker)) continue;
        if (q->entity == KH_NO_ENTITY) { dump(&a); fail_msg("%s: no entity", cue); }
        assert_string_equal(KH_AT(d->entities, kh_entity, q->entity).name, want[next].entity);
        next++;
    }
    if (next < sizeof want / sizeof *want) {
        dump(&a);
        fail_msg("quote %zu (%s) not found in order", next, want[next].cue);
    }
    /* all three coordinated speakers of وأكدت روسيا والصين وإيران */
    int coordinated = 0;
    for (size_t i = 0; i < d->quotes.len; i++) {
        const kh_quote *q = &KH_AT(d->quotes, kh_quote, i);
        char cue[64];
        range(&a, q->cue_first, q->cue_last, 0, cue, sizeof cue);
        if (strcmp(cue, "وأكدت")) continue;
        assert_int_equal(q->n_entities, 3);
        coordinated = 1;
    }
    assert_true(coordinated);
    khabar_doc_free(d);
    free(text);
}

/* One sentence of reported speech repeated thousands of times (issue 11:
 * quote finding took quadratic time on it): every repetition is one quote,
 * in text order, each with its own text and speaker. */
static void long_sentence_of_speech(void **state)
{
    (void)state;
    static const char unit[] = "وقال محمد إن \"خطير\" وأضاف ";
    enum { REPEATS = 3000 };
    size_t ul = sizeof unit - 1, head = strlen("عنوان\n\n");
    char *text = malloc(head + REPEATS * ul + 2);
    assert_non_null(text);
    memcpy(text, "عنوان\n\n", head);
    for (size_t i = 0; i < REPEATS; i++) memcpy(text + head + i * ul, unit, ul);
    memcpy(text + head + REPEATS * ul, "\n", 2);
    khabar_doc *d = analyze_ok(text, 0);
    assert_int_equal(d->sentences.len, 1);
    assert_int_equal(d->quotes.len, REPEATS);
    size_t quote_at = (size_t)(strstr(unit, "\"") - unit), speaker_at = (size_t)(strstr(unit, "محمد") - unit);
    for (size_t i = 0; i < REPEATS; i++) {
        const kh_quote *q = &KH_AT(d->quotes, kh_quote, i);
        assert_int_equal(q->start, head + i * ul + quote_at);
        assert_int_equal(q->speaker_start, head + i * ul + speaker_at);
        assert_false(q->direct);
    }
    khabar_doc_free(d);
    free(text);
}

static void json_field(void **state)
{
    (void)state;
    article a;
    load(&a, "وقال الوزير: «نحن مستعدون للحوار».");
    const char *json = khabar_doc_json(a.doc, 0, NULL);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"quotes\":[{\"speaker\":\"الوزير\",\"entity\":null,\"cue\":\"وقال\","
                                 "\"text\":\"نحن مستعدون للحوار\",\"direct\":true,"));
    done(&a);
    load(&a, "لا شيء هنا.");
    json = khabar_doc_json(a.doc, 0, NULL);
    assert_non_null(strstr(json, "\"quotes\":[]"));
    done(&a);
}

/* Issue 15: a reporting verb after a word that opens a clause (فيما، كما،
 * بينما، في حين) starts a new attribution, which ends the quote before it
 * (ANT). */
static void quotes_end_at_the_next_speaker(void **state)
{
    (void)state;
    static const char fima[] =
        "ولفت متحف فلوريدا للتاريخ الطبيعي أن الرياضات البحرية والصيد التجاري يؤثران على الحياة البحرية "
        "ويهددان أسماك القرش، فيما أشارت «الإدارة الوطنية للمحيطات والغلاف الجوي» NOAA أن أسماك القرش لا تأكل "
        "الانسان.";
    check(fima, "ولفت", "متحف فلوريدا للتاريخ الطبيعي",
          "الرياضات البحرية والصيد التجاري يؤثران على الحياة البحرية ويهددان أسماك القرش", 0);
    check(fima, "أشارت", "«الإدارة الوطنية للمحيطات والغلاف الجوي» NOAA", "أسماك القرش لا تأكل الانسان", 0);
    check("واعتقدت كارلي ماكي أن المخالفات التي تلقتها غير قابلة للتنفيذ، كما أكدت أن لديها الحق في ركن سيارتها.",
          "واعتقدت", "كارلي ماكي", "المخالفات التي تلقتها غير قابلة للتنفيذ", 0);
    check("وقال الوزير إن الحوار متعثر في حين قال المعارضون إن الحوار مستمر.", "وقال", "الوزير", "الحوار متعثر",
          0);
    /* the next speaker's phrase before its verb: the earlier quote ends before it */
    check("وقال الوزير إن الحوار متعثر بينما الدكتور حسن نافعة يرى أن الحوار مستمر.", "وقال", "الوزير",
          "الحوار متعثر", 0);
    check("وقال الوزير إن الحوار متعثر بينما الدكتور حسن نافعة يرى أن الحوار مستمر.", "يرى",
          "الدكتور حسن نافعة", "الحوار مستمر", 0);
    check("وقال الوزير إن الحوار متعثر بينما يري الدكتور حسن نافعة أن الحوار مستمر.", "وقال", "الوزير",
          "الحوار متعثر", 0);
    /* a straight mark after a full stop closes the quotation */
    check("وقال اعتمادي في رسالة بالبريد الإلكتروني \"وجدنا أيضا أنه بالنسبة لنفس إجمالي استهلاك اللحوم فإن "
          "الأشخاص الذين اتبعوا نظاما يتضمن نسبة أكبر من اللحوم البيضاء كانت معدلات الوفاة المبكرة بينهم "
          "أقل.\"وتابع الباحثون العادات الصحية والغذائية لأشخاص من ست ولايات أمريكية.",
          "وقال", "اعتمادي",
          "وجدنا أيضا أنه بالنسبة لنفس إجمالي استهلاك اللحوم فإن الأشخاص الذين اتبعوا نظاما يتضمن نسبة أكبر من "
          "اللحوم البيضاء كانت معدلات الوفاة المبكرة بينهم أقل",
          1);
}

/* Issue 15: a speaker's phrase never begins with من: an aside (من جهته)
 * is skipped, and يبلغ من العمر "is aged" names no speaker (ANT). */
static void no_speaker_begins_with_min(void **state)
{
    (void)state;
    check("من جهتها بطلة \"غدوة حيّ\" الممثلّة أنيسة داود قالت إنّ أحداث الفيلم تروي قصة 3 شخصيات.", "قالت",
          "بطلة \"غدوة حيّ\" الممثلّة أنيسة داود", "أحداث الفيلم تروي قصة 3 شخصيات", 0);
    check("وذكرت وزارة الدفاع من جهتها أن المتمردين أطلقوا النار أولا.", "وذكرت", "وزارة الدفاع",
          "المتمردين أطلقوا النار أولا", 0);
    check("وقال من جهته رئيس الجمعية إن الموسم كان جيدا.", "وقال", "رئيس الجمعية", "الموسم كان جيدا", 0);
    static const char *const bodies[] = {
        "ورفض العبيدي ذكر المزيد من التفاصيل. وذكر من جهة اخرى، بان المشروع المذكور يتنزل في اطار المخطط "
        "الجديد الذي ارسته وكالة النهوض بالاستثمار الخارجي.",
        "لكن \"سيمون\" الذي يبلغ من العمر 10 أشهر وجد جثة هامدة عند وصوله إلى مطار شيكاغو ،حيث من المحتمل أن "
        "يرفع صاحبه الجديد دعوى قضائية ضد الشركة.",
        "أكدت الشرطة الهندية أنها قامت باعتقال رجل بتهمة قتل طفلة تبلغ من العمر 6 سنوات لتكتشف من خلال "
        "اعترافاته أنها ليست الجريمة الأولى التي يرتكبها.",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        article a;
        load(&a, bodies[i]);
        for (size_t j = 0; j < a.doc->quotes.len; j++) {
            const kh_quote *q = &KH_AT(a.doc->quotes, kh_quote, j);
            char sp[512];
            range(&a, q->speaker_first, q->speaker_last, q->speaker_skip, sp, sizeof sp);
            if (!strncmp(sp, "من ", strlen("من "))) {
                dump(&a);
                fail_msg("speaker [%s] begins with من", sp);
            }
        }
        done(&a);
    }
}

/* Issue 15: direct speech with no quote marks after a verb of saying,
 * opened by a first-person word (ANT). */
static void direct_speech_without_marks(void **state)
{
    (void)state;
    check("وأضاف الدكتور هينغتن نحن نعمل بأسرع ما يمكننا ولكننا على الأرجح لن نستطيع مساعدة المرضى في الوقت "
          "الحالي.",
          "وأضاف", "الدكتور هينغتن",
          "نحن نعمل بأسرع ما يمكننا ولكننا على الأرجح لن نستطيع مساعدة المرضى في الوقت الحالي", 0);
    check("وقال في تصريحات مثيرة أثارت موجة كبرى من التعليقات لقد قمت بتلك الحركة لتحفيزه على تحسين أدائه.",
          "وقال", "(none)", "لقد قمت بتلك الحركة لتحفيزه على تحسين أدائه", 0);
    check("وقال انا مع الحوار ولكن بشروط.", "وقال", "(none)", "انا مع الحوار ولكن بشروط", 0);
    /* not after a verb that needs أن, and not a name (أنا ماري) */
    check_none("وأكد الوزير نحن مستعدون للحوار.");
    article a;
    load(&a, "وقالت أنا ماري غوتيز، أستاذة الشؤون الدولية بجامعة نيويورك، إن القرار كان \"مثيرا للاشمئزاز\".");
    mention(&a, KH_ENTITY_PER, "ماري غوتيز", 0, "ماري غوتيز");
    requote(&a);
    assert_int_equal(a.doc->quotes.len, 1);
    assert_speaker(&a, quote_with_text(&a, "القرار كان \"مثيرا للاشمئزاز\""),
                   "أنا ماري غوتيز، أستاذة الشؤون الدولية بجامعة نيويورك");
    done(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(word_table),
        cmocka_unit_test(conjugations),
        cmocka_unit_test(not_quotes),
        cmocka_unit_test(speaker_after_the_verb),
        cmocka_unit_test(speaker_before_the_verb),
        cmocka_unit_test(pronoun_speakers),
        cmocka_unit_test(definite_noun_speakers),
        cmocka_unit_test(entities_of_speakers),
        cmocka_unit_test(source_phrases),
        cmocka_unit_test(direct_quotes),
        cmocka_unit_test(verbs_inside_quotations),
        cmocka_unit_test(quotes_end_at_the_next_speaker),
        cmocka_unit_test(no_speaker_begins_with_min),
        cmocka_unit_test(direct_speech_without_marks),
        cmocka_unit_test(seed_article),
        cmocka_unit_test(long_sentence_of_speech),
        cmocka_unit_test(json_field),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
