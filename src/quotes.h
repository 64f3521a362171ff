/* Quotes and attribution (src/quotes.c): direct quotes and reported speech
 * with the word that introduces them and who said them, found over a
 * document's tokens, sentences, dates and entity mentions.  docs/facts.md
 * ("Quotes") describes what is recognised. */
#ifndef KH_QUOTES_H
#define KH_QUOTES_H

#include <stddef.h>

#include "kh.h"

/* The words of data/quotes.txt: reporting verbs in every conjugation
 * (expanded from their stems when loaded), participles, source phrases
 * (بحسب، وفقا لـ), complementizers and the words that bound a speaker's
 * noun phrase.  Immutable once loaded. */
typedef struct kh_quote_words kh_quote_words;

khabar_status kh_quote_words_load(kh_quote_words **out, khabar_error *err);
void kh_quote_words_free(kh_quote_words *w);

/* How many word forms the table holds (for tests). */
size_t kh_quote_words_size(const kh_quote_words *w);

#define KH_NO_ENTITY ((size_t)-1)
#define KH_QUOTE_MAX_ENTITIES 8

/* One quote.  Token ranges are [first, last) of the doc's tokens; byte
 * offsets are into the input. */
typedef struct kh_quote {
    /* The reporting verb, participle or source phrase as written (قال،
     * وأكدت، مشيرا، بحسب، وفقا لـ); first == last for a quotation
     * without one. */
    size_t cue_first, cue_last;
    /* The speaker's phrase where the text names it, titles and roles
     * included (قائد القيادة المركزية الأميركية الجنرال فرانك ماكنزي), or the
     * phrase it was resolved to for a pronoun subject; first == last when
     * unknown.  speaker_skip bytes of the first token's text are a
     * proclitic that is not part of it (وفقا لوكالة ...). */
    size_t speaker_first, speaker_last, speaker_skip;
    size_t speaker_start, speaker_end;
    /* The quoted or reported text, without its quote marks. */
    size_t text_first, text_last;
    size_t start, end;
    /* The speaker's entity (an index into the doc's entities): the person
     * when a title or role precedes a name, the first of coordinated
     * speakers; KH_NO_ENTITY when none is known.  `entities` lists every
     * coordinated speaker's entity (روسيا والصين وإيران). */
    size_t entity;
    size_t n_entities;
    size_t entities[KH_QUOTE_MAX_ENTITIES];
    unsigned direct : 1;    /* the text is between quote marks */
    unsigned anaphoric : 1; /* the speaker comes from earlier text (a pronoun or a
                               definite noun such as الصحيفة) */
    unsigned gender : 2;    /* of the cue: 0 unknown, 1 masculine, 2 feminine */
} kh_quote;

/* Appends to `out` (a kh_vec of kh_quote) the quotes of the doc's
 * sentences in text order.  Reads the doc's tokens, sentences, dates,
 * mentions and entities; without mentions, speakers are still found as
 * token spans but have no entity.  Returns KHABAR_OK or
 * KHABAR_ERROR_MEMORY. */
khabar_status kh_find_quotes(const khabar_model *m, const khabar_doc *d, kh_vec *out);

#endif
