/* Tokens: kinds, offsets, normal forms. */
#include "helpers.h"
#include "kh.h"

typedef struct want {
    const char *text;
    khabar_token_kind kind;
} want;

static void expect_tokens(const char *sentence, const want *w, size_t n)
{
    char in[2048];
    snprintf(in, sizeof in, "عنوان\n\n%s", sentence);
    khabar_doc *d = analyze_ok(in, 0);
    size_t first = 1; /* the title's one token */
    size_t got = khabar_doc_token_count(d) - first;
    if (got != n) {
        for (size_t i = first; i < khabar_doc_token_count(d); i++) {
            const khabar_token *t = khabar_doc_token(d, i);
            print_message("  [%zu] %.*s %s\n", i, (int)t->span.text_len, t->span.text,
                          khabar_token_kind_name(t->kind));
        }
        fail_msg("expected %zu tokens, got %zu", n, got);
    }
    for (size_t i = 0; i < n; i++) {
        const khabar_token *t = khabar_doc_token(d, first + i);
        assert_span_text(&t->span, w[i].text);
        assert_span_is_input(in, &t->span);
        if (t->kind != w[i].kind)
            fail_msg("%s: kind %s, want %s", w[i].text, khabar_token_kind_name(t->kind),
                     khabar_token_kind_name(w[i].kind));
        assert_int_equal(kh_token_kind(w[i].text, strlen(w[i].text)), w[i].kind);
        assert_int_equal(t->sentence, 0);
        assert_int_equal(t->block, 0);
    }
    khabar_doc_free(d);
}

#define A KHABAR_TOKEN_ARABIC
#define L KHABAR_TOKEN_LATIN
#define N KHABAR_TOKEN_NUMBER
#define P KHABAR_TOKEN_PUNCT
#define S KHABAR_TOKEN_SYMBOL
#define EXPECT(s, ...)                                         \
    do {                                                       \
        const want w[] = {__VA_ARGS__};                        \
        expect_tokens(s, w, sizeof w / sizeof *w);             \
    } while (0)


static void words_and_punctuation(void **state)
{
    (void)state;
    EXPECT("قال: \"نعم\"، ثم ذهب...", {"قال", A}, {":", P}, {"\"", P}, {"نعم", A}, {"\"", P},
           {"،", P}, {"ثم", A}, {"ذهب", A}, {"...", P});
    EXPECT("أنَّ بـ\"تخليص\"", {"أنَّ", A}, {"بـ", A}, {"\"", P}, {"تخليص", A}, {"\"", P});
    EXPECT("film Demain Dès l'Aube", {"film", L}, {"Demain", L}, {"Dès", L}, {"l'Aube", L});
    /* presentation forms (text from old PDFs) are Arabic words; ornate
     * parentheses are not letters, and ﷺ stands for a phrase */
    EXPECT("ﻗﺎﻝ ﺍﻟﺮﺋﻴﺲ ﴿ﷲ﴾ ﷺ", {"ﻗﺎﻝ", A}, {"ﺍﻟﺮﺋﻴﺲ", A}, {"﴿", P}, {"ﷲ", A}, {"﴾", P}, {"ﷺ", L});
}

static void numbers_in_every_script(void **state)
{
    (void)state;
    EXPECT("بين 8000 و10.000 و١٠٬٠٠٠ و٣٫٥ و۱۲ و3,5%", {"بين", A}, {"8000", N}, {"و", A},
           {"10.000", N}, {"و", A}, {"١٠٬٠٠٠", N}, {"و", A}, {"٣٫٥", N}, {"و", A}, {"۱۲", N},
           {"و", A}, {"3,5", N}, {"%", S});
    EXPECT("عام 2021.", {"عام", A}, {"2021", N}, {".", P});
    EXPECT("يوليو/تموز 500-1500", {"يوليو", A}, {"/", P}, {"تموز", A}, {"500", N}, {"-", P}, {"1500", N});
}

static void web_things(void **state)
{
    (void)state;
    EXPECT("راجع https://example.com/a?b=1، أو www.news.sa.",
           {"راجع", A}, {"https://example.com/a?b=1", KHABAR_TOKEN_URL}, {"،", P}, {"أو", A},
           {"www.news.sa", KHABAR_TOKEN_URL}, {".", P});
    EXPECT("راسلونا على info@khabar.org اليوم", {"راسلونا", A}, {"على", A},
           {"info@khabar.org", KHABAR_TOKEN_EMAIL}, {"اليوم", A});
    EXPECT("#عاجل و#COVID19 من @Reuters_ar", {"#عاجل", KHABAR_TOKEN_HASHTAG}, {"و", A},
           {"#COVID19", KHABAR_TOKEN_HASHTAG}, {"من", A}, {"@Reuters_ar", KHABAR_TOKEN_MENTION});
    /* an address ends where address characters end */
    EXPECT("info@khabar.org، x@y.com/a", {"info@khabar.org", KHABAR_TOKEN_EMAIL}, {"،", P},
           {"x@y.com", KHABAR_TOKEN_EMAIL}, {"/", P}, {"a", L});
    /* regression (fuzz_analyze: quadratic time): letters between commas and dots */
    EXPECT("a,a.a", {"a", L}, {",", P}, {"a", L}, {".", P}, {"a", L});
    EXPECT("$ 5 + €", {"$", S}, {"5", N}, {"+", S}, {"€", S});
}

static void normal_forms(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok("عنوان\n\nأُجريت إلى ١٠ ﻻ", 0);
    assert_string_equal(khabar_doc_token(d, 1)->norm, "اجريت");
    assert_string_equal(khabar_doc_token(d, 2)->norm, "الي");
    assert_string_equal(khabar_doc_token(d, 3)->norm, "10");
    assert_string_equal(khabar_doc_token(d, 4)->norm, "لا");
    assert_int_equal(khabar_doc_token(d, 1)->kind, A);
    assert_int_equal(khabar_doc_token(d, 4)->kind, A); /* a presentation form is an Arabic word */
    /* the title's tokens belong to no block or sentence */
    assert_int_equal(khabar_doc_token(d, 0)->block, -1);
    assert_int_equal(khabar_doc_token(d, 0)->sentence, -1);
    khabar_doc_free(d);
}

static void sentences_index_their_tokens(void **state)
{
    (void)state;
    khabar_doc *d = analyze_ok("عنوان\n\nجملة أولى. جملة ثانية هنا.", 0);
    assert_int_equal(khabar_doc_sentence_count(d), 2);
    const khabar_sentence *s = khabar_doc_sentence(d, 1);
    assert_int_equal(s->first_token, 4);
    assert_int_equal(s->token_count, 4);
    assert_int_equal(khabar_doc_token(d, s->first_token)->sentence, 1);
    khabar_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_and_punctuation),
        cmocka_unit_test(numbers_in_every_script),
        cmocka_unit_test(web_things),
        cmocka_unit_test(normal_forms),
        cmocka_unit_test(sentences_index_their_tokens),
    };
    return cmocka_run_group_tests(tests, setup_analyzer, teardown_analyzer);
}
