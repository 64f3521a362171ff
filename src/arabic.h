/* Arabic code points used by the library, by name. */
#ifndef KH_ARABIC_H
#define KH_ARABIC_H

enum {
    ARABIC_COMMA = 0x060C,
    ARABIC_SEMICOLON = 0x061B,
    ARABIC_QUESTION_MARK = 0x061F,
    HAMZA = 0x0621,
    ALEF_MADDA_ABOVE = 0x0622,
    ALEF_HAMZA_ABOVE = 0x0623,
    WAW_HAMZA_ABOVE = 0x0624,
    ALEF_HAMZA_BELOW = 0x0625,
    YEH_HAMZA_ABOVE = 0x0626,
    ALEF = 0x0627,
    BEH = 0x0628,
    TEH_MARBUTA = 0x0629,
    TEH = 0x062A,
    JEEM = 0x062C,
    HAH = 0x062D,
    DAL = 0x062F,
    REH = 0x0631,
    ZAIN = 0x0632,
    SEEN = 0x0633,
    SHEEN = 0x0634,
    SAD = 0x0635,
    AIN = 0x0639,
    GHAIN = 0x063A,
    TATWEEL = 0x0640,
    FEH = 0x0641,
    QAF = 0x0642,
    KAF = 0x0643,
    LAM = 0x0644,
    MEEM = 0x0645,
    NOON = 0x0646,
    HEH = 0x0647,
    WAW = 0x0648,
    ALEF_MAKSURA = 0x0649,
    YEH = 0x064A,
    FATHATAN = 0x064B,       /* first of the harakat block */
    SUKUN = 0x0652,
    ARABIC_LAST_MARK = 0x065F,
    ARABIC_INDIC_ZERO = 0x0660,
    ARABIC_INDIC_NINE = 0x0669,
    ARABIC_PERCENT = 0x066A,
    ARABIC_DECIMAL_SEPARATOR = 0x066B,
    ARABIC_THOUSANDS_SEPARATOR = 0x066C,
    SUPERSCRIPT_ALEF = 0x0670,
    ALEF_WASLA = 0x0671,
    ARABIC_FULL_STOP = 0x06D4,
    PERSIAN_ZERO = 0x06F0,
    PERSIAN_NINE = 0x06F9,
    ZERO_WIDTH_NON_JOINER = 0x200C,
    ZERO_WIDTH_JOINER = 0x200D,
    LEFT_TO_RIGHT_MARK = 0x200E,
    RIGHT_TO_LEFT_MARK = 0x200F,
    LEFT_DOUBLE_QUOTE = 0x201C,
    RIGHT_DOUBLE_QUOTE = 0x201D,
    HORIZONTAL_ELLIPSIS = 0x2026,
    LEFT_GUILLEMET = 0x00AB,
    RIGHT_GUILLEMET = 0x00BB,
    NO_BREAK_SPACE = 0x00A0,
    BYTE_ORDER_MARK = 0xFEFF,
    REPLACEMENT_CHARACTER = 0xFFFD,
    KHAH = 0x062E,
    EN_DASH = 0x2013,
    DOUBLE_LOW_9_QUOTE = 0x201E,
    SINGLE_LEFT_ANGLE_QUOTE = 0x2039,
    SINGLE_RIGHT_ANGLE_QUOTE = 0x203A,
    NEXT_LINE = 0x0085,           /* NEL */
    LINE_SEPARATOR = 0x2028,
    PARAGRAPH_SEPARATOR = 0x2029
};

/* Arabic letters proper (hamza through yeh, plus the extended letters used
 * for Persian and Urdu loan spellings: پ چ ژ گ ک ی ...). */
static inline int kh_is_arabic_letter(unsigned cp)
{
    return (cp >= HAMZA && cp <= 0x063A) || (cp >= FEH && cp <= YEH) ||
           (cp >= 0x0671 && cp <= 0x06D3) || cp == 0x06D5 ||
           (cp >= 0x06FA && cp <= 0x06FC) || cp == 0x06FF;
}

enum {
    PRESENTATION_FORMS_A_FIRST = 0xFB50,
    ORNATE_LEFT_PARENTHESIS = 0xFD3E,  /* ﴾ and ﴿ are brackets, not letters */
    PRESENTATION_FORMS_A_LETTERS = 0xFD50,
    SALLALLAHOU_ALAYHE_WASALLAM = 0xFDFA, /* ﷺ and ﷻ stand for whole phrases */
    PRESENTATION_FORMS_B_FIRST = 0xFE70,
    PRESENTATION_FORMS_B_LAST = 0xFEFC
};

/* Arabic presentation forms: the contextual shapes and ligatures (ﻓﻲ، ﻻ،
 * ﷲ) that text copied from old PDFs keeps, and which NFKC makes letters.
 * Not the two brackets, nor the ligatures of a whole phrase. */
static inline int kh_is_arabic_presentation_form(unsigned cp)
{
    return (cp >= PRESENTATION_FORMS_A_FIRST && cp < ORNATE_LEFT_PARENTHESIS) ||
           (cp >= PRESENTATION_FORMS_A_LETTERS && cp < SALLALLAHOU_ALAYHE_WASALLAM) ||
           (cp >= PRESENTATION_FORMS_B_FIRST && cp <= PRESENTATION_FORMS_B_LAST);
}

/* Combining marks written on Arabic letters: harakat, shadda, sukun,
 * dagger alef and Quranic marks. */
static inline int kh_is_arabic_mark(unsigned cp)
{
    return (cp >= FATHATAN && cp <= ARABIC_LAST_MARK) || cp == SUPERSCRIPT_ALEF ||
           (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x06D6 && cp <= 0x06ED);
}

/* Value of a decimal digit in ASCII, Arabic-Indic or Persian form, or -1. */
static inline int kh_digit_value(unsigned cp)
{
    if (cp >= '0' && cp <= '9') return (int)(cp - '0');
    if (cp >= ARABIC_INDIC_ZERO && cp <= ARABIC_INDIC_NINE) return (int)(cp - ARABIC_INDIC_ZERO);
    if (cp >= PERSIAN_ZERO && cp <= PERSIAN_NINE) return (int)(cp - PERSIAN_ZERO);
    return -1;
}

/* The UTF-8 bytes of a letter of the Arabic block (two: all are below
 * U+0800), for constant strings made of named letters:
 * static const char article[] = {KH_UTF8_LETTER(ALEF), KH_UTF8_LETTER(LAM), '\0'}; */
#define KH_UTF8_LETTER(cp) (char)(0xC0 | ((cp) >> 6)), (char)(0x80 | ((cp) & 0x3F))

#endif
