/* Named entities of an article: the tagger's mentions (src/ner.c), completed
 * from a table of well-known names (data/entities.txt, data/gazetteer.tsv),
 * then linked within the article into one entity per real-world thing.
 * docs/ner.md ("Linking") describes the rules.
 *
 * Everything is keyed by the tokens' normal forms (KHABAR_FOLD_ALL, a final
 * ة read as ه), words joined by one space: the tokenizer already made them,
 * so nothing is normalised again here.  Per-article state lives in the
 * analyzer's scratch and is reused; maps are cleared by generation. */
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "doc.h"
#include "entities.h"
#include "facts.h"
#include "ner.h"

/* Keys shorter than this (letters, spaces not counted) are never matched
 * approximately: short names differ by one letter too often. */
#define FUZZY_LETTERS 8
/* Nor longer ones (bytes): a key's deletions cost its length squared. */
#define FUZZY_MAX_BYTES 160
/* A run the tagger marks that has more words than this is not a name:
 * every later step stays linear in the article. */
#define MAX_NAME_WORDS 12
/* Words between an institution noun and the nationality adjective that
 * makes it an organisation's name (القيادة المركزية الأميركية). */
#define HEAD_GAP 2
/* A one-word gazetteer city is also a common noun (المدينة "the city",
 * مشهد "scene") when the reference corpus has the word with the article
 * added or removed at least this often (proper names keep or lack the
 * article): only the table links it then. */
#define COMMON_NOUN_COUNT 20
#define STRONG_TOWN_COUNT 30  /* a learned town found anywhere: after a town's word so often (not الشابة 17, قصور 24) */
#define STRONG_TOWN_SHARE 0.2 /* and in such a share of its occurrences */
/* A one-word city the reference corpus has fewer times than this (with
 * and without the article together) is no ordinary word: after a weak
 * place word (في، إلى) it is a place.  Multi-word names always are. */
#define RARE_WORD_COUNT 5
/* A single word that makes up this share of running news text or more
 * (في، على، رئيس) is not a name on its own, whatever the tagger says. */
#define FUNCTION_WORD_SHARE 1000 /* one word in 1,000 */
/* Proclitics are not taken off a word when what remains is this common
 * (لله is not ل + له). */
#define CLITIC_REST_SHARE 2000
/* Nor off the first word of a longer name when what remains is a function
 * word of this many letters or fewer (بهي الدين: هي "she"); longer ones may
 * be names too (علي is على folded). */
#define CLITIC_REST_LETTERS 2
/* A quoted title of a work is this many words at most (title_cands):
 * longer quotations after بعنوان are sentences and slogans. */
#define TITLE_WORDS 4
#define TITLE_GAP 2 /* definite words between a work's noun and its quoted title */
#define ROLE_ADJECTIVES 2 /* between an occupation and the name: الفنانة المسرحية التونسية */
#define ROLE_FIRST_SHARE 4000  /* a first name after it is rarer than one word in 4,000 (سليم, not ضمن) */
#define ROLE_LAST_SHARE 20000  /* a surname one in 20,000 (الشارني, not برامج) */
#define EVENT_ADJECTIVES 2 /* after a festival's place: مهرجان قرطاج الدولي */
/* A word that tells two people's names apart is an ordinary word, not a
 * name, when the name-likeness model gives it more than ORDINARY_SURELY
 * chance of being one (يترك، سيقاتل), or more than ORDINARY_MAYBE and it
 * makes up 1/COMMON_WORD_SHARE of news text or more (أمام; محمد is as
 * common but looks like a name). */
#define ORDINARY_SURELY 0.7f
#define ORDINARY_MAYBE 0.5f
#define COMMON_WORD_SHARE 2000
/* An adjective after what an institute is for goes with its name when the
 * reference corpus has it this often (للتعليم الأساسي: 180; of a nisba's
 * shape but a person's name after it, المستوري 21, المولدي 18). */
#define INSTITUTE_TAIL_COUNT 50 /* a masculine one: الفكرية has 10 */
/* Bits of the filter of names' first words: 8 KB, which stays in cache
 * where the names map (a megabyte) would not. */
#define FIRST_BITS ((size_t)1 << 16)
/* The same for the names found in one article. */
#define FORM_BITS ((size_t)1 << 12)
#define NONE SIZE_MAX

const char *kh_entity_type_name(kh_entity_type type)
{
    switch (type) {
    case KH_ENTITY_PER: return "PER";
    case KH_ENTITY_ORG: return "ORG";
    case KH_ENTITY_LOC: return "LOC";
    case KH_ENTITY_MISC: return "MISC";
    }
    return "MISC";
}

/* ---- hash maps: 64-bit key hashes to small values ---- */

typedef struct slot {
    uint64_t hash;
    uint32_t gen; /* filled when equal to the map's generation */
    uint32_t flags;
    uint32_t a, b, c, pad;
} slot;

typedef struct map {
    slot *slots; /* NULL or mask + 1 of them */
    size_t mask;
    size_t used;
    uint32_t gen;
} map;

static void map_free(map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* Empties the map in constant time (a new generation). */
static void map_clear(map *m)
{
    m->used = 0;
    if (++m->gen == 0) {
        if (m->slots) memset(m->slots, 0, (m->mask + 1) * sizeof *m->slots);
        m->gen = 1;
    }
}

static slot *map_find(const map *m, uint64_t h)
{
    if (!m->slots) return NULL;
    for (size_t i = (size_t)h & m->mask;; i = (i + 1) & m->mask) {
        slot *s = &m->slots[i];
        if (s->gen != m->gen) return NULL;
        if (s->hash == h) return s;
    }
}

static int map_grow(map *m)
{
    size_t cap = m->slots ? (m->mask + 1) * 2 : 64;
    slot *ns = calloc(cap, sizeof *ns);
    if (!ns) return -1;
    uint32_t gen = m->gen ? m->gen : 1;
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        const slot *s = &m->slots[i];
        if (s->gen != m->gen) continue;
        size_t j = (size_t)s->hash & (cap - 1);
        while (ns[j].gen == gen) j = (j + 1) & (cap - 1);
        ns[j] = *s;
        ns[j].gen = gen;
    }
    free(m->slots);
    m->slots = ns;
    m->mask = cap - 1;
    m->gen = gen;
    return 0;
}

/* The slot of h, added with zero values when absent (*fresh set); NULL
 * on no memory. */
static slot *map_put(map *m, uint64_t h, int *fresh)
{
    if ((!m->slots || (m->used + 1) * 2 > m->mask + 1) && map_grow(m)) return NULL;
    for (size_t i = (size_t)h & m->mask;; i = (i + 1) & m->mask) {
        slot *s = &m->slots[i];
        if (s->gen != m->gen) {
            memset(s, 0, sizeof *s);
            s->hash = h;
            s->gen = m->gen;
            m->used++;
            *fresh = 1;
            return s;
        }
        if (s->hash == h) {
            *fresh = 0;
            return s;
        }
    }
}

static uint64_t hash_of(const char *s, size_t n) { return kh_hash(s, n); }

/* ---- letters ---- */

/* The few letter sequences the rules look for, as UTF-8 (every one of
 * these letters is two bytes). */
typedef struct letters {
    char alef[2], article[4], yeh[2], heh[2], teh_marbuta[2], yeh_heh[4], yeh_waw_noon[6],
        yeh_yeh_noon[6], alef_teh[4], yeh_hamza[2], waw_hamza[2], beh[2], waw[2], lam[2],
        hizb[6];
} letters;

static void put2(char *out, uint32_t cp)
{
    char tmp[4];
    kh_utf8_encode(cp, tmp);
    memcpy(out, tmp, 2);
}

static void letters_init(letters *l)
{
    put2(l->alef, ALEF);
    put2(l->article, ALEF);
    put2(l->article + 2, LAM);
    put2(l->yeh, YEH);
    put2(l->heh, HEH);
    put2(l->teh_marbuta, TEH_MARBUTA);
    put2(l->yeh_heh, YEH);
    put2(l->yeh_heh + 2, HEH);
    put2(l->yeh_waw_noon, YEH);
    put2(l->yeh_waw_noon + 2, WAW);
    put2(l->yeh_waw_noon + 4, NOON);
    put2(l->yeh_yeh_noon, YEH);
    put2(l->yeh_yeh_noon + 2, YEH);
    put2(l->yeh_yeh_noon + 4, NOON);
    put2(l->alef_teh, ALEF);
    put2(l->alef_teh + 2, TEH);
    put2(l->yeh_hamza, YEH_HAMZA_ABOVE);
    put2(l->waw_hamza, WAW_HAMZA_ABOVE);
    put2(l->beh, BEH);
    put2(l->waw, WAW);
    put2(l->lam, LAM);
    put2(l->hizb, HAH);
    put2(l->hizb + 2, ZAIN);
    put2(l->hizb + 4, BEH);
}

static int has_prefix(const char *s, size_t n, const char *p, size_t k)
{
    return n >= k && memcmp(s, p, k) == 0;
}

static int has_suffix(const char *s, size_t n, const char *p, size_t k)
{
    return n >= k && memcmp(s + n - k, p, k) == 0;
}

/* Code points of s that are not spaces. */
static size_t letter_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && s[i] != ' ') count++;
    return count;
}

/* Appends a word's key: its normal form with a final ة read as ه (سورية
 * and سوريه are one name). */
static int key_word(kh_buf *b, const letters *l, const char *w, size_t n)
{
    if (has_suffix(w, n, l->teh_marbuta, 2))
        return kh_buf_append(b, w, n - 2) || kh_buf_append(b, l->heh, 2);
    return kh_buf_append(b, w, n);
}

/* Whether a key holds a hamza on a seat (ئ or ؤ).  The lead byte of
 * those letters is never a continuation byte, so a match is a letter. */
static int has_hamza_seat(const letters *l, const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (!memcmp(s + i, l->yeh_hamza, 2) || !memcmp(s + i, l->waw_hamza, 2)) return 1;
    return 0;
}

/* Writes ئ as ي and ؤ as و in place (KHABAR_FOLD_HAMZA_SEAT), as Maghrebi
 * and much wire copy writes names (قايد for قائد, فواد for فؤاد).  The
 * letters are of two bytes each side: the byte length stays. */
static void fold_hamza_seats(const letters *l, char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (memcmp(s + i, l->yeh_hamza, 2) && memcmp(s + i, l->waw_hamza, 2)) continue;
        uint32_t cp = 0;
        kh_utf8_decode((const unsigned char *)s + i, 2, &cp);
        char out[4];
        kh_utf8_encode(kh_fold_cp(cp, KHABAR_FOLD_HAMZA_SEAT), out);
        memcpy(s + i, out, 2);
    }
}

/* Calls f with the hash of s less one code point, for each code point. */
static int for_each_deletion(const char *s, size_t n, kh_buf *tmp,
                             int (*f)(void *ctx, uint64_t h), void *ctx)
{
    for (size_t i = 0; i < n;) {
        size_t k = 1;
        while (i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80) k++;
        tmp->len = 0;
        if (kh_buf_append(tmp, s, i) || kh_buf_append(tmp, s + i + k, n - i - k)) return -1;
        int rc = f(ctx, hash_of(tmp->data, tmp->len));
        if (rc) return rc;
        i += k;
    }
    return 0;
}

/* ---- the table of known names (loaded once, immutable) ---- */

enum {
    KNOWN_CITY = 1u << 0 /* a gazetteer city: links only what the tagger calls a place */
};

typedef struct known {
    kh_entity_type type;
    unsigned flags;
    const char *name; /* canonical, as written in the data */
    const char *key;  /* its key */
    size_t key_len;
    const char *en;   /* NULL when unknown */
} known;

/* names: slot flags */
enum {
    NAME_FULL = 1u << 0,     /* a whole name; a = known id */
    NAME_PREFIX = 1u << 1,   /* the first words of a longer name */
    NAME_FINDABLE = 1u << 2, /* looked for in untagged text */
    NAME_QUOTED = 1u << 3,   /* looked for only within quotation marks */
    NAME_COMMON = 1u << 4,   /* also a common noun: links nothing (COMMON_NOUN_COUNT) */
    NAME_PLACE = 1u << 5,    /* a city that is no common noun: looked for after a place word */
    NAME_RARE = 1u << 6,     /* and a rare word: also after a weak place word */
    NAME_TOWN = 1u << 7,     /* a town of data/learned.tsv that is no common noun (town_at) */
    NAME_LEARNED = 1u << 8,  /* an organisation of data/learned.tsv: not before a definite word */
    FORM_SURNAME = 1u << 9,  /* article_cands: only the last word of a person's name */
    NAME_STRONG = 1u << 10   /* a town of data/learned.tsv found anywhere untagged (strong_town) */
};

/* bodies: slot flags */
enum {
    BODY_AND = 1u << 0 /* its name may go on with و and a definite word (حزب الحرية والعدالة) */
};

/* places: slot flags */
enum {
    PLACE_WEAK = 1u << 0 /* في، إلى: a city after it only when its name is a rare word */
};

/* heads: slot flags */
enum {
    HEAD_FEMININE = 1u << 0 /* agrees with a feminine adjective (وزارة، استخبارات، خطوط) */
};

/* clubs: slot flags */
enum {
    CLUB_SPORT = 1u << 0, /* the sports adjective itself: الرياضي، الرياضية */
    CLUB_NAMED = 1u << 1  /* a head that names a club only with a nisba after the adjective (النادي) */
};

/* institutes: slot flags */
enum {
    INSTITUTE_ADJ = 1u << 0, /* an adjective of such names not of a nisba's shape: العام، العامة */
    INSTITUTE_NOT = 1u << 1  /* a word after ل that says no purpose: (للمرة الثانية) */
};

/* events: slot flags */
enum { EVENT_INSIDE = 1u << 0 }; /* the noun is a word of the name: أيام (قرطاج المسرحية) */

/* fuzzy: slot flags */
enum {
    FUZZY_WHOLE = 1u << 0,  /* the key of a name; a = known id */
    FUZZY_DELETE = 1u << 1, /* a name's key with one letter deleted */
    FUZZY_AMBIGUOUS = 1u << 2
};

struct kh_entity_table {
    kh_arena arena;
    kh_vec known; /* known */
    map names;    /* phrase keys and their prefixes */
    map nisba;    /* masculine nationality adjectives without the article → a: known id */
    map fuzzy;    /* keys of FUZZY_LETTERS letters or more, and their one-letter deletions */
    map heads;    /* institution nouns without the article */
    map kin;      /* words that make the next a relative's name (بن، أبو، آل) */
    map places;   /* words after which a city's name is a place (في، مدينة، محافظة) */
    map org_tails; /* last words that make a name an organisation's (ليمتد، القابضة) */
    map stations;  /* a radio's band after its name (أف أم): the name is the station's */
    map namesakes; /* institutions named after a person: مستشفى (الملك فهد) */
    map ranks;     /* titles between such an institution and the name: الملك، الأمير */
    map parties;   /* nouns of a party or movement named with a place: حركة (نداء تونس) */
    map org_nouns; /* nouns after which a name is an organisation's: شركة، نادي، صحيفة */
    map loc_nouns; /* nouns after which a name is a place's: ولاية، جزيرة، نهر */
    map districts; /* words that begin a smaller place's name: كفر (سوسة), حمام (سوسة) */
    map eras;      /* nouns whose nationality adjective names no country: العهد (الروماني) */
    map club_adjs; /* adjectives of a club's nation the table has no country for: الإنجليزي */
    map sides;     /* adjectives of a side: (أوروبا) الغربية */
    map titles;    /* nouns before a quoted title: برنامج، فيلم، بعنوان */
    map quoted_orgs; /* nouns before an organisation's quoted name: صحيفة، مؤسسة */
    map events;    /* nouns of a festival or a fair before its place: مهرجان، معرض، أيام */
    map roles;     /* a person's occupation before the name: المخرج، الفنانة، النائب */
    map bodies;    /* nouns of an assembly or a party named in construct: مجلس (الشعب) */
    map compounds; /* first words of compound names: عبد (الله) */
    map clubs;     /* heads of sports clubs' names and the sports adjective: الترجي (الرياضي) */
    map institutes; /* heads of unions' and institutes' names: الاتحاد (العام التونسي للشغل) */
    map english;  /* while loading: gazetteer (type, English name) → a: known id */
    letters l;
    uint64_t first_words[FIRST_BITS / 64]; /* hash bits of every name's first word */
};

/* A filter of first words: bits of their hashes (nbits a power of two). */
static void bits_set(uint64_t *bits, size_t nbits, uint64_t h)
{
    size_t bit = (size_t)h & (nbits - 1);
    bits[bit / 64] |= (uint64_t)1 << (bit % 64);
}

static int bits_test(const uint64_t *bits, size_t nbits, uint64_t h)
{
    size_t bit = (size_t)h & (nbits - 1);
    return (int)((bits[bit / 64] >> (bit % 64)) & 1);
}

/* The key of a name as written in the data: normal form, words joined by
 * one space.  -1 when it holds anything but letters and spaces (such names
 * can never equal a run of tokens), -2 on no memory. */
static int name_key(const letters *l, kh_buf *tmp, kh_buf *out, const char *s, size_t n)
{
    tmp->len = out->len = 0;
    if (kh_normalize_append(tmp, s, n, KHABAR_FOLD_ALL)) return -2;
    size_t i = 0;
    while (i < tmp->len) {
        while (i < tmp->len && tmp->data[i] == ' ') i++;
        size_t a = i;
        while (i < tmp->len && tmp->data[i] != ' ') {
            uint32_t cp;
            unsigned k = kh_utf8_decode((const unsigned char *)tmp->data + i, tmp->len - i, &cp);
            if (!k || !kh_is_arabic_letter(cp)) return -1;
            i += k;
        }
        if (i == a) break;
        if ((out->len && kh_buf_putc(out, ' ')) || key_word(out, l, tmp->data + a, i - a))
            return -2;
    }
    return out->len ? 0 : -1;
}

static int add_name(kh_entity_table *t, const char *key, size_t n, uint32_t id, unsigned flags)
{
    int fresh;
    const char *sp = memchr(key, ' ', n);
    bits_set(t->first_words, FIRST_BITS, hash_of(key, sp ? (size_t)(sp - key) : n));
    for (size_t i = 0; i < n; i++) {
        if (key[i] != ' ') continue;
        slot *s = map_put(&t->names, hash_of(key, i), &fresh);
        if (!s) return -1;
        s->flags |= NAME_PREFIX;
    }
    slot *s = map_put(&t->names, hash_of(key, n), &fresh);
    if (!s) return -1;
    if (!(s->flags & NAME_FULL)) { /* the first to claim a name keeps it */
        s->flags |= NAME_FULL | flags;
        s->a = id;
    }
    return 0;
}

static int fuzzy_mark(kh_entity_table *t, uint64_t h, uint32_t id, unsigned flag)
{
    int fresh;
    slot *s = map_put(&t->fuzzy, h, &fresh);
    if (!s) return -1;
    if (!fresh && s->a != id) s->flags |= FUZZY_AMBIGUOUS;
    s->a = id;
    s->flags |= flag;
    return 0;
}

typedef struct fuzzy_add_ctx {
    kh_entity_table *t;
    uint32_t id;
} fuzzy_add_ctx;

static int fuzzy_add_deletion(void *ctx, uint64_t h)
{
    fuzzy_add_ctx *c = ctx;
    return fuzzy_mark(c->t, h, c->id, FUZZY_DELETE);
}

static int add_fuzzy(kh_entity_table *t, kh_buf *tmp, const char *key, size_t n, uint32_t id)
{
    if (n > FUZZY_MAX_BYTES || letter_count(key, n) < FUZZY_LETTERS) return 0;
    fuzzy_add_ctx c = {t, id};
    if (fuzzy_mark(t, hash_of(key, n), id, FUZZY_WHOLE)) return -1;
    return for_each_deletion(key, n, tmp, fuzzy_add_deletion, &c);
}

/* Whether a name as written begins with the article ال (a plain alef:
 * the أل of ألمانيا is part of the word). */
static int written_with_article(const letters *l, const char *s, size_t n)
{
    return n > 4 && has_prefix(s, n, l->article, 4);
}

static int add_nisba(kh_entity_table *t, const char *key, size_t n, uint32_t id)
{
    int fresh;
    slot *s = map_put(&t->nisba, hash_of(key, n), &fresh);
    if (!s) return -1;
    if (fresh) s->a = id;
    return 0;
}

/* Adds the masculine nationality adjective derived from a one-word place
 * name: the article and a final ا or ة dropped, ي added (أمريكا →
 * أمريكي، الصين → صيني، سورية → سوري).  Names ending in ي (مالي) make
 * none: the adjective would be the name itself. */
static int add_derived_nisba(kh_entity_table *t, kh_buf *tmp, const char *written, size_t wn,
                             const char *key, size_t n, uint32_t id)
{
    const letters *l = &t->l;
    if (memchr(key, ' ', n)) return 0;
    if (written_with_article(l, written, wn)) key += 4, n -= 4;
    if (has_suffix(key, n, l->yeh, 2)) return 0;
    if (has_suffix(key, n, l->alef, 2) || has_suffix(key, n, l->heh, 2)) n -= 2;
    tmp->len = 0;
    if (kh_buf_append(tmp, key, n)) return -1;
    if (!has_suffix(key, n, l->yeh, 2) && kh_buf_append(tmp, l->yeh, 2)) return -1;
    if (letter_count(tmp->data, tmp->len) < 3) return 0;
    return add_nisba(t, tmp->data, tmp->len, id);
}

static known *new_known(kh_entity_table *t, kh_entity_type type, const char *name, size_t nn,
                        const char *key, size_t kn, const char *en, size_t en_len, uint32_t *id)
{
    if (t->known.len >= UINT32_MAX - 1) return NULL;
    known *k = kh_vec_push(&t->known, sizeof *k);
    if (!k) return NULL;
    *id = (uint32_t)(t->known.len - 1);
    k->type = type;
    k->name = kh_arena_strndup(&t->arena, name, nn);
    k->key = kh_arena_strndup(&t->arena, key, kn);
    k->key_len = kn;
    k->en = en_len ? kh_arena_strndup(&t->arena, en, en_len) : NULL;
    if (!k->name || !k->key || (en_len && !k->en)) return NULL;
    return k;
}

/* Splits a line at tabs into at most max fields; returns how many. */
static size_t fields(const char *s, const char *end, const char **f, size_t *fl, size_t max)
{
    size_t n = 0;
    while (n < max) {
        const char *tab = memchr(s, '\t', (size_t)(end - s));
        const char *e = tab ? tab : end;
        f[n] = s;
        fl[n++] = (size_t)(e - s);
        if (!tab) break;
        s = tab + 1;
    }
    return n;
}

static int type_of(const char *s, size_t n, kh_entity_type *type)
{
    static const char *const names[] = {"PER", "ORG", "LOC", "MISC"};
    for (unsigned i = 0; i < 4; i++)
        if (strlen(names[i]) == n && !memcmp(names[i], s, n)) {
            *type = (kh_entity_type)i;
            return 0;
        }
    return -1;
}

typedef struct loader {
    kh_entity_table *t;
    const kh_lexicon *vocab;
    kh_buf tmp, key, tmp2;
    size_t line;
} loader;

/* The name just keyed (ld->key) also as written without hamza seats
 * (الطايف for الطائف, الجزاير for الجزائر): text that leaves the hamza
 * out finds it.  Not when that form is itself a common word.  The other
 * way, text with a hamza never looks up a name written without (رئيس is
 * no spelling of the city رييس).  Returns 0, or -1 on no memory. */
static int add_seat_alias(loader *ld, uint32_t id, unsigned flags)
{
    kh_entity_table *t = ld->t;
    if (!has_hamza_seat(&t->l, ld->key.data, ld->key.len)) return 0;
    ld->tmp2.len = 0;
    if (kh_buf_append(&ld->tmp2, ld->key.data, ld->key.len)) return -1;
    fold_hamza_seats(&t->l, ld->tmp2.data, ld->tmp2.len);
    if (ld->vocab && !memchr(ld->tmp2.data, ' ', ld->tmp2.len) &&
        kh_lexicon_count_normal(ld->vocab, ld->tmp2.data, ld->tmp2.len) >= COMMON_NOUN_COUNT)
        return 0;
    return add_name(t, ld->tmp2.data, ld->tmp2.len, id, flags);
}

/* One name or alias of the table's entry `id` ("?" first: also an ordinary
 * phrase).  Returns 0, -1 for a name that cannot be a key, -2 on no memory. */
static int table_name(loader *ld, const char *s, size_t n, uint32_t id, int nisba)
{
    kh_entity_table *t = ld->t;
    unsigned flags = NAME_FINDABLE;
    if (n && s[0] == '?') s++, n--, flags = NAME_QUOTED;
    int rc = name_key(&t->l, &ld->tmp, &ld->key, s, n);
    if (rc) return rc;
    if (add_name(t, ld->key.data, ld->key.len, id, flags) || add_seat_alias(ld, id, flags) ||
        add_fuzzy(t, &ld->tmp, ld->key.data, ld->key.len, id) ||
        (nisba && add_derived_nisba(t, &ld->tmp, s, n, ld->key.data, ld->key.len, id)))
        return -2;
    return 0;
}

/* Calls f on each item of a list separated by `sep`. */
static int each_item(loader *ld, const char *s, size_t n, char sep, uint32_t id, int arg,
                     int (*f)(loader *, const char *, size_t, uint32_t, int))
{
    const char *e = s + n;
    while (s < e) {
        const char *d = memchr(s, sep, (size_t)(e - s));
        const char *ie = d ? d : e;
        if (ie > s) {
            int rc = f(ld, s, (size_t)(ie - s), id, arg);
            if (rc) return rc;
        }
        s = ie + 1;
    }
    return 0;
}

static int explicit_nisba(loader *ld, const char *s, size_t n, uint32_t id, int unused)
{
    (void)unused;
    kh_entity_table *t = ld->t;
    int rc = name_key(&t->l, &ld->tmp, &ld->key, s, n);
    if (rc) return rc;
    const char *k = ld->key.data;
    size_t kn = ld->key.len;
    if (written_with_article(&t->l, s, n)) k += 4, kn -= 4;
    return add_nisba(t, k, kn, id) ? -2 : 0;
}

/* A flags field: "nisba" derives adjectives, "nisba=X|Y" lists them. */
static int table_flag(loader *ld, const char *s, size_t n, uint32_t id, int unused)
{
    (void)unused;
    if (n == 5 && !memcmp(s, "nisba", 5)) return 0; /* read by the caller */
    if (n > 6 && !memcmp(s, "nisba=", 6))
        return each_item(ld, s + 6, n - 6, '|', id, 0, explicit_nisba);
    return -1;
}

static int has_word(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && s[e] != ',') e++;
        if (e - i == k && !memcmp(s + i, w, k)) return 1;
        i = e + 1;
    }
    return 0;
}

static int table_alias(loader *ld, const char *s, size_t n, uint32_t id, int nisba)
{
    return table_name(ld, s, n, id, nisba);
}

static khabar_status load_table_line(loader *ld, const char *s, const char *end, khabar_error *err)
{
    kh_entity_table *t = ld->t;
    const char *f[5] = {0};
    size_t fl[5] = {0};
    size_t nf = fields(s, end, f, fl, 5);
    int rc = 0;
    int kin = fl[0] == 3 && !memcmp(f[0], "KIN", 3);
    int org_tail = fl[0] == 7 && !memcmp(f[0], "ORGTAIL", 7);
    int namesake = fl[0] == 8 && !memcmp(f[0], "NAMESAKE", 8);
    int rank = fl[0] == 4 && !memcmp(f[0], "RANK", 4);
    int party = fl[0] == 5 && !memcmp(f[0], "PARTY", 5);
    int district = fl[0] == 8 && !memcmp(f[0], "DISTRICT", 8);
    int era = fl[0] == 3 && !memcmp(f[0], "ERA", 3);
    int org_noun = fl[0] == 7 && !memcmp(f[0], "ORGNOUN", 7);
    int loc_noun = fl[0] == 7 && !memcmp(f[0], "LOCNOUN", 7);
    int club_adj = fl[0] == 7 && !memcmp(f[0], "CLUBADJ", 7);
    int side = fl[0] == 4 && !memcmp(f[0], "SIDE", 4);
    int title = fl[0] == 5 && !memcmp(f[0], "TITLE", 5);
    int quoted_org = fl[0] == 9 && !memcmp(f[0], "QUOTEDORG", 9);
    int event = fl[0] == 5 && !memcmp(f[0], "EVENT", 5);
    int role = fl[0] == 4 && !memcmp(f[0], "ROLE", 4);
    int body = fl[0] == 4 && !memcmp(f[0], "BODY", 4);
    int compound = fl[0] == 8 && !memcmp(f[0], "COMPOUND", 8);
    int station = fl[0] == 7 && !memcmp(f[0], "STATION", 7);
    int club = fl[0] == 4 && !memcmp(f[0], "CLUB", 4);
    int institute = fl[0] == 9 && !memcmp(f[0], "INSTITUTE", 9);
    if (kin || org_tail || station || club || institute || namesake || rank || party || district || era || org_noun || loc_noun || club_adj || side ||
        title || quoted_org || event || role || body || compound ||
        (fl[0] == 5 && !memcmp(f[0], "PLACE", 5))) {
        if (nf < 2) goto bad;
        rc = name_key(&t->l, &ld->tmp, &ld->key, f[1], fl[1]);
        if (rc) goto fail;
        int fresh;
        map *words = kin        ? &t->kin
                     : org_tail ? &t->org_tails
                     : namesake ? &t->namesakes
                     : rank     ? &t->ranks
                     : party    ? &t->parties
                     : district ? &t->districts
                     : era      ? &t->eras
                     : org_noun ? &t->org_nouns
                     : loc_noun ? &t->loc_nouns
                     : club_adj ? &t->club_adjs
                     : side     ? &t->sides
                     : title    ? &t->titles
                     : quoted_org ? &t->quoted_orgs
                     : event    ? &t->events
                     : role     ? &t->roles
                     : body     ? &t->bodies
                     : compound ? &t->compounds
                     : station  ? &t->stations
                     : club     ? &t->clubs
                     : institute ? &t->institutes
                                : &t->places;
        slot *w = map_put(words, hash_of(ld->key.data, ld->key.len), &fresh);
        if (!w) goto nomem;
        if (words == &t->places && nf > 2 && has_word(f[2], fl[2], "weak")) w->flags |= PLACE_WEAK;
        /* what an institution named after a person is: ORG unless said */
        kh_entity_type what = KH_ENTITY_ORG;
        if (namesake && nf > 2 && type_of(f[2], fl[2], &what)) goto bad;
        if (namesake) w->a = (uint32_t)what;
        if (body && nf > 2 && has_word(f[2], fl[2], "and")) w->flags |= BODY_AND;
        if (club && nf > 2 && has_word(f[2], fl[2], "sport")) w->flags |= CLUB_SPORT;
        if (club && nf > 2 && has_word(f[2], fl[2], "named")) w->flags |= CLUB_NAMED;
        if (institute && nf > 2 && has_word(f[2], fl[2], "adj")) w->flags |= INSTITUTE_ADJ;
        if (institute && nf > 2 && has_word(f[2], fl[2], "not")) w->flags |= INSTITUTE_NOT;
        if (event && nf > 2 && has_word(f[2], fl[2], "inside")) w->flags |= EVENT_INSIDE;
        return KHABAR_OK;
    }
    if (fl[0] == 4 && !memcmp(f[0], "HEAD", 4)) {
        if (nf < 2) goto bad;
        rc = name_key(&t->l, &ld->tmp, &ld->key, f[1], fl[1]);
        if (rc) goto fail;
        const char *k = ld->key.data;
        size_t kn = ld->key.len;
        if (written_with_article(&t->l, f[1], fl[1])) k += 4, kn -= 4;
        int fresh;
        slot *h = map_put(&t->heads, hash_of(k, kn), &fresh);
        if (!h) goto nomem;
        /* feminine: a final ة or ات, or the third field says so (a broken
         * plural of things: خطوط) */
        if (nf > 2 ? fl[2] == 1 && f[2][0] == 'f'
                   : has_suffix(k, kn, t->l.heh, 2) || has_suffix(k, kn, t->l.alef_teh, 4))
            h->flags |= HEAD_FEMININE;
        return KHABAR_OK;
    }
    kh_entity_type type;
    if (nf < 2 || type_of(f[1], fl[1], &type)) goto bad;
    const char *name = f[0];
    size_t nn = fl[0];
    if (nn && name[0] == '?') name++, nn--;
    rc = name_key(&t->l, &ld->tmp, &ld->key, name, nn);
    if (rc) goto fail;
    uint32_t id;
    if (!new_known(t, type, name, nn, ld->key.data, ld->key.len, nf > 2 ? f[2] : NULL,
                   nf > 2 ? fl[2] : 0, &id))
        goto nomem;
    const char *flags = nf > 4 ? f[4] : "";
    size_t flen = nf > 4 ? fl[4] : 0;
    int derive = has_word(flags, flen, "nisba");
    if ((rc = table_name(ld, f[0], fl[0], id, derive)) ||
        (nf > 3 && (rc = each_item(ld, f[3], fl[3], '|', id, derive, table_alias))) ||
        (rc = each_item(ld, flags, flen, ',', id, 0, table_flag)))
        goto fail;
    return KHABAR_OK;
fail:
    if (rc == -2) goto nomem;
bad:
    return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data 'entities' is damaged at line %zu",
                   ld->line);
nomem:
    return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory loading 'entities'");
}

/* A decimal count of data/learned.tsv, or 0. */
static unsigned long learned_count(const char *s, size_t n)
{
    unsigned long v = 0;
    for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '9' && v < 100000000UL; i++) v = v * 10 + (unsigned long)(s[i] - '0');
    return v;
}

/* Whether a learned town followed a word that names a town at least
 * STRONG_TOWN_COUNT times and in STRONG_TOWN_SHARE of its occurrences
 * or more (تطاوين 82 of 378, القصرين 126 of 436: a governorate's or a
 * delegation's name), so that it is a place wherever it is written. */
static int strong_town(const char *after, size_t an, const char *all, size_t n)
{
    unsigned long a = learned_count(after, an), t = learned_count(all, n);
    return a >= STRONG_TOWN_COUNT && t && (double)a >= STRONG_TOWN_SHARE * (double)t;
}

/* "name<TAB>COUNTRY|CITY<TAB>English" (data/gazetteer.tsv) and
 * "name<TAB>TOWN|ORG<TAB>..." (data/learned.tsv): every place, and every
 * learned organisation, the table does not already name.  Lines with the
 * same type and English name are one place (الدانمارك، الدنمارك).  A town
 * is a city without an English name; when the gazetteer has it already,
 * that city's name is marked a town.  A learned organisation is looked
 * for anywhere, unless it is also a common noun (الأنباء of وكالة
 * الأنباء).  Returns 0, or -1 on no memory. */
static int load_gazetteer_line(loader *ld, const char *s, const char *end)
{
    kh_entity_table *t = ld->t;
    const char *f[4] = {0};
    size_t fl[4] = {0};
    size_t nf = fields(s, end, f, fl, 4);
    if (nf < 2) return 0;
    int country = fl[1] == 7 && !memcmp(f[1], "COUNTRY", 7);
    int town = fl[1] == 4 && !memcmp(f[1], "TOWN", 4);
    unsigned strong = town && nf > 3 && strong_town(f[2], fl[2], f[3], fl[3]) ? NAME_STRONG : 0;
    int city = town || (fl[1] == 4 && !memcmp(f[1], "CITY", 4));
    int org = fl[1] == 3 && !memcmp(f[1], "ORG", 3);
    if (!country && !city && !org) return 0;
    int rc = name_key(&t->l, &ld->tmp, &ld->key, f[0], fl[0]);
    if (rc) return rc == -2 ? -1 : 0;
    slot *named = map_find(&t->names, hash_of(ld->key.data, ld->key.len));
    if (named && (named->flags & NAME_FULL)) {
        const known *k = &((const known *)t->known.data)[named->a];
        if (town && (k->flags & KNOWN_CITY) && !(named->flags & NAME_COMMON)) named->flags |= NAME_TOWN | strong;
        return 0;
    }
    unsigned common = 0, place = NAME_PLACE | NAME_RARE;
    if ((city || org) && ld->vocab && !memchr(f[0], ' ', fl[0])) {
        uint32_t count;
        if (written_with_article(&t->l, f[0], fl[0])) {
            count = kh_lexicon_count_normal(ld->vocab, ld->tmp.data + 4, ld->tmp.len - 4);
        } else {
            ld->tmp2.len = 0;
            if (kh_buf_append(&ld->tmp2, t->l.article, 4) ||
                kh_buf_append(&ld->tmp2, ld->tmp.data, ld->tmp.len))
                return -1;
            count = kh_lexicon_count_normal(ld->vocab, ld->tmp2.data, ld->tmp2.len);
        }
        if (count >= COMMON_NOUN_COUNT) common = NAME_COMMON;
        uint32_t own = kh_lexicon_count_normal(ld->vocab, ld->tmp.data, ld->tmp.len);
        if (own >= COMMON_NOUN_COUNT) place = 0; /* كان "was" (Cannes) */
        else if ((uint64_t)own + count >= RARE_WORD_COUNT) place = NAME_PLACE;
    }
    uint32_t id = 0;
    if (org) {
        if (common) return 0;
        if (!new_known(t, KH_ENTITY_ORG, f[0], fl[0], ld->key.data, ld->key.len, NULL, 0, &id)) return -1;
        return add_name(t, ld->key.data, ld->key.len, id, NAME_FINDABLE | NAME_LEARNED) ||
                       add_seat_alias(ld, id, NAME_FINDABLE | NAME_LEARNED)
                   ? -1
                   : 0;
    }
    if (town) place = NAME_TOWN | strong; /* its counts in news were read when it was learned */
    const char *en = nf > 2 && !town ? f[2] : NULL;
    size_t en_len = nf > 2 && !town ? fl[2] : 0;
    while (en_len && (en[en_len - 1] == '\r' || en[en_len - 1] == ' ')) en_len--;
    slot *same = NULL;
    int fresh = 1;
    if (en_len) {
        ld->tmp2.len = 0;
        if (kh_buf_putc(&ld->tmp2, country ? 'C' : 'c') || kh_buf_append(&ld->tmp2, en, en_len))
            return -1;
        same = map_put(&t->english, hash_of(ld->tmp2.data, ld->tmp2.len), &fresh);
        if (!same) return -1;
        if (!fresh) id = same->a;
    }
    if (fresh) {
        known *k = new_known(t, KH_ENTITY_LOC, f[0], fl[0], ld->key.data, ld->key.len, en, en_len,
                             &id);
        if (!k) return -1;
        k->flags = country ? 0 : KNOWN_CITY;
        if (same) same->a = id;
    }
    unsigned flags = country ? NAME_FINDABLE : common ? common : place;
    if (add_name(t, ld->key.data, ld->key.len, id, flags) || add_seat_alias(ld, id, flags)) return -1;
    if (country && (add_fuzzy(t, &ld->tmp, ld->key.data, ld->key.len, id) ||
                    add_derived_nisba(t, &ld->tmp, f[0], fl[0], ld->key.data, ld->key.len, id)))
        return -1;
    return 0;
}

void kh_entity_table_free(kh_entity_table *t)
{
    if (!t) return;
    kh_arena_free(&t->arena);
    kh_vec_free(&t->known);
    map_free(&t->names);
    map_free(&t->nisba);
    map_free(&t->fuzzy);
    map_free(&t->heads);
    map_free(&t->kin);
    map_free(&t->places);
    map_free(&t->org_tails);
    map_free(&t->stations);
    map_free(&t->namesakes);
    map_free(&t->parties);
    map_free(&t->org_nouns);
    map_free(&t->club_adjs);
    map_free(&t->sides);
    map_free(&t->titles);
    map_free(&t->quoted_orgs);
    map_free(&t->events);
    map_free(&t->roles);
    map_free(&t->bodies);
    map_free(&t->compounds);
    map_free(&t->clubs);
    map_free(&t->institutes);
    map_free(&t->loc_nouns);
    map_free(&t->ranks);
    map_free(&t->districts);
    map_free(&t->eras);
    map_free(&t->english);
    free(t);
}

khabar_status kh_entity_table_from(const char *table, size_t tlen, const char *gazetteer,
                                   size_t glen, const char *learned, size_t llen,
                                   const kh_lexicon *vocab, kh_entity_table **out,
                                   khabar_error *err)
{
    *out = NULL;
    kh_entity_table *t = calloc(1, sizeof *t);
    if (!t) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    letters_init(&t->l);
    loader ld = {t, vocab, {0}, {0}, {0}, 0};
    khabar_status st = KHABAR_OK;
    const char *end = table + tlen;
    for (const char *s = table; s < end && !st;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        ld.line++;
        if (le > s && *s != '#') st = load_table_line(&ld, s, le, err);
        s = nl ? nl + 1 : end;
    }
    for (int part = 0; part < 2; part++) {
        const char *text = part ? learned : gazetteer;
        end = text + (part ? llen : glen);
        for (const char *s = text; s < end && !st;) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            const char *le = nl ? nl : end;
            if (le > s && *s != '#' && load_gazetteer_line(&ld, s, le))
                st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory loading '%s'",
                             part ? "learned" : "gazetteer");
            s = nl ? nl + 1 : end;
        }
    }
    kh_buf_free(&ld.tmp);
    kh_buf_free(&ld.tmp2);
    kh_buf_free(&ld.key);
    map_free(&t->english);
    if (st) {
        kh_entity_table_free(t);
        return st;
    }
    *out = t;
    return KHABAR_OK;
}

khabar_status kh_entity_table_new(const kh_lexicon *vocab, kh_entity_table **out,
                                  khabar_error *err)
{
    const kh_blob *table = kh_blob_find("entities"), *gaz = kh_blob_find("gazetteer"),
                  *learned = kh_blob_find("learned");
    if (!table || !gaz || !learned)
        return kh_fail(err, KHABAR_ERROR_DATA, 0, "built-in data '%s' is missing",
                       !table ? "entities" : !gaz ? "gazetteer" : "learned");
    return kh_entity_table_from((const char *)table->data, table->len, (const char *)gaz->data,
                                gaz->len, (const char *)learned->data, learned->len, vocab, out, err);
}

/* ---- per-article state ---- */

/* One a token of the article, so kept to 32 bytes: the keys of an article
 * and its candidates stay under 4 GiB (prepare_tokens, add_cand). */
typedef struct tok_info {
    uint32_t key, skey;    /* offsets in keys: the word's key, and without proclitics */
    uint32_t key_len, skey_len;
    uint32_t norm_len;     /* of the token's norm */
    uint32_t run;          /* the tagger's sentence */
    uint32_t cover;        /* the top-level candidate over it, or NO_COVER */
    uint8_t word;          /* an Arabic or Latin word */
    uint8_t quote;         /* a quotation mark: names may run across it (تنظيم "الدولة") */
    uint8_t proclitics;    /* letters stripped from skey */
    uint8_t elided;        /* لل: skey restores the article's alef */
} tok_info;

#define NO_COVER UINT32_MAX

enum { FROM_TAGGER, FROM_TABLE, FROM_NISBA, FROM_HEAD, FROM_ARTICLE, FROM_PARTY, FROM_TITLE, FROM_BODY, FROM_CLUB, FROM_INSTITUTE };
enum { LINK_NONE, LINK_NAME, LINK_NISBA, LINK_FUZZY };

typedef struct cand {
    size_t first, last;    /* tokens */
    size_t key;            /* in ckeys */
    uint32_t key_len;
    uint32_t known;        /* known id + 1, or 0 */
    uint8_t type;          /* kh_entity_type */
    uint8_t source, link;
    uint8_t nested;        /* inside another candidate */
    uint8_t dropped;       /* replaced by a fuller name */
    uint8_t lead;          /* letters of the first word left out (its proclitics) */
    uint8_t elided;        /* لل read as ل + ال */
    uint8_t short_name;    /* linked as a shortened person's name */
    uint8_t title;         /* an organisation named after a thing the table knows (named_by_noun) */
    uint8_t org_noun;      /* after a noun that makes it an organisation's (org_noun_before) */
    uint8_t loc_noun;      /* after a noun that makes it a place's (LOCNOUN lines) */
    uint8_t key_skip;      /* words of a head before the name kept out of its key (حزب) */
    size_t same_as;        /* the candidate it names in short + 1 (النداء: نداء تونس), or 0 */
    size_t name_first, name_last; /* the name proper within it (kh_mention) */
    size_t parent;         /* union-find */
    size_t person;         /* at a root: its set's longest person's name of several words, or NONE */
    size_t entity;
    size_t order;          /* position in reading order */
} cand;

/* A candidate's place in reading order: a name before the names nested
 * in it. */
typedef struct reading {
    size_t first, last, nested, index;
} reading;

struct kh_entity_scratch {
    kh_ner_scratch *ner;
    kh_vec inputs; /* kh_ner_input */
    kh_vec starts; /* size_t */
    kh_vec tags;   /* uint8_t */
    kh_vec toks;   /* tok_info */
    kh_buf keys;
    kh_vec cands;  /* cand */
    kh_buf ckeys;
    kh_buf seats;  /* ckeys with hamza seats folded (seat_key), at the same offsets */
    kh_buf phrase;
    kh_buf tmp;
    kh_vec sorted; /* reading */
    kh_vec order;  /* size_t: candidates in reading order */
    kh_vec roots;  /* size_t per entity: its root candidate */
    kh_vec group;  /* size_t: entities' first slots, then mentions grouped by entity */
    map forms;     /* article forms, and the linking passes' sets */
    uint64_t form_bits[FORM_BITS / 64]; /* first words of the article forms */
    kh_vec repeats; /* repeat: untagged repeats of article forms */
    map seen;      /* (entity, written form) */
};

kh_entity_scratch *kh_entity_scratch_new(void)
{
    kh_entity_scratch *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->ner = kh_ner_scratch_new();
    if (!s->ner) {
        free(s);
        return NULL;
    }
    return s;
}

void kh_entity_scratch_free(kh_entity_scratch *s)
{
    if (!s) return;
    kh_ner_scratch_free(s->ner);
    kh_vec_free(&s->inputs);
    kh_vec_free(&s->starts);
    kh_vec_free(&s->tags);
    kh_vec_free(&s->toks);
    kh_buf_free(&s->keys);
    kh_vec_free(&s->cands);
    kh_buf_free(&s->ckeys);
    kh_buf_free(&s->seats);
    kh_buf_free(&s->phrase);
    kh_buf_free(&s->tmp);
    kh_vec_free(&s->sorted);
    kh_vec_free(&s->order);
    kh_vec_free(&s->roots);
    kh_vec_free(&s->group);
    map_free(&s->forms);
    map_free(&s->seen);
    kh_vec_free(&s->repeats);
    free(s);
}

/* Sets a vector's length to n items (contents kept, new ones unspecified). */
static int vec_resize(kh_vec *v, size_t n, size_t item)
{
    if (n > v->cap) {
        size_t cap = v->cap ? v->cap : 64;
        while (cap < n) cap *= 2;
        void *p = realloc(v->data, cap * item);
        if (!p) return -1;
        v->data = p;
        v->cap = cap;
    }
    v->len = n;
    return 0;
}

typedef struct ctx {
    const kh_entity_table *t;
    const kh_lexicon *vocab; /* or NULL */
    const letters *l;
    khabar_doc *d;
    kh_entity_scratch *s;
    const khabar_token *tokens;
    tok_info *tok;
    size_t n;
    const kh_ner_model *ner; /* for how name-like a word looks */
    const kh_lexicon *stop;  /* function words (data/stopwords.txt), or NULL */
} ctx;

#define TOK(c, i) ((c)->s->keys.data + (c)->tok[i].key)
#define STOK(c, i) ((c)->s->keys.data + (c)->tok[i].skey)
#define CAND(c, i) (&((cand *)(c)->s->cands.data)[i])
#define CKEY(c, x) ((c)->s->ckeys.data + (x)->key)
/* the key the article's mentions are compared by (seat_key) */
#define SKEY(c, x) ((c)->s->seats.data + (x)->key)

/* An untagged repeat of a form the tagger found: tokens [first, last),
 * the form's slot in the forms map. */
typedef struct repeat {
    size_t first, last, slot;
    unsigned lead;
    int elided;
} repeat;

static int is_proclitic_letter(uint32_t cp)
{
    return cp == WAW || cp == FEH || cp == BEH || cp == LAM || cp == KAF || cp == SEEN;
}

/* Bytes of the written word that its first letters `want` take, with the
 * marks and tatweel after them; 0 when the word does not begin with
 * exactly those letters (a presentation form, say). */
static size_t written_prefix(const char *w, size_t n, const uint32_t *want, unsigned count)
{
    size_t i = 0;
    for (unsigned k = 0; k < count; k++) {
        uint32_t cp;
        unsigned len = i < n ? kh_utf8_decode((const unsigned char *)w + i, n - i, &cp) : 0;
        if (!len || cp != want[k]) return 0;
        i += len;
        while (i < n) {
            len = kh_utf8_decode((const unsigned char *)w + i, n - i, &cp);
            if (!len || !(kh_is_arabic_mark(cp) || cp == TATWEEL)) break;
            i += len;
        }
    }
    return i;
}

static int is_quote_token(const khabar_token *t)
{
    if (t->kind != KHABAR_TOKEN_PUNCT) return 0;
    const char *s = t->span.text;
    size_t n = t->span.text_len;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!k) return 0;
        if (cp != '"' && cp != '\'' && cp != LEFT_GUILLEMET && cp != RIGHT_GUILLEMET &&
            cp != LEFT_DOUBLE_QUOTE && cp != RIGHT_DOUBLE_QUOTE)
            return 0;
        i += k;
    }
    return n > 0;
}

/* Keys of every token, its proclitics (from the segmentation: leading
 * one-letter pieces; the article stays part of a name) and its tagger
 * sentence (the title, each heading and each sentence). */
static int prepare_tokens(ctx *c)
{
    kh_entity_scratch *s = c->s;
    s->keys.len = 0;
    if (vec_resize(&s->toks, c->n, sizeof(tok_info))) return -1;
    c->tok = s->toks.data;
    uint32_t run = 0;
    for (size_t i = 0; i < c->n; i++) {
        const khabar_token *t = &c->tokens[i];
        tok_info *ti = &c->tok[i];
        memset(ti, 0, sizeof *ti);
        ti->cover = NO_COVER;
        if (i && (t->block != t[-1].block || t->sentence != t[-1].sentence)) run++;
        ti->run = run;
        ti->word = t->kind == KHABAR_TOKEN_ARABIC || t->kind == KHABAR_TOKEN_LATIN;
        ti->quote = (uint8_t)is_quote_token(t);
        size_t nn = strlen(t->norm);
        if (nn > UINT32_MAX / 2) return -1;
        ti->norm_len = (uint32_t)nn;
        if (s->keys.len > UINT32_MAX) return -1;
        ti->key = (uint32_t)s->keys.len;
        if (key_word(&s->keys, c->l, t->norm, nn)) return -1;
        ti->key_len = (uint32_t)(s->keys.len - ti->key);
        ti->skey = ti->key;
        ti->skey_len = ti->key_len;
        if (t->kind != KHABAR_TOKEN_ARABIC) continue;
        uint32_t want[4];
        unsigned k = 0, pieces = 1;
        const char *p = t->segments;
        for (const char *q = p; *q; q++) pieces += *q == '+';
        while (k < 4 && k + 1 < pieces) {
            uint32_t cp;
            unsigned len = kh_utf8_decode((const unsigned char *)p, strlen(p), &cp);
            if (!len || p[len] != '+' || !is_proclitic_letter(cp)) break;
            want[k++] = cp;
            p += len + 1;
        }
        if (!k) continue;
        size_t wb = written_prefix(t->span.text, t->span.text_len, want, k);
        if (!wb || 2 * (size_t)k >= ti->key_len) continue;
        /* the normal form begins with the same letters (none is an alef) */
        int article = has_prefix(p, strlen(p), c->l->article, 4) && p[4] == '+';
        size_t rest = ti->key + 2 * (size_t)k, rest_len = ti->key_len - 2 * (size_t)k;
        ti->proclitics = (uint8_t)k;
        if (article && want[k - 1] == LAM &&
            !has_prefix(s->keys.data + rest, rest_len, c->l->article, 4)) {
            /* للأمم: the preposition ل and the article, its alef elided */
            ti->elided = 1;
            if (s->keys.len > UINT32_MAX) return -1;
            ti->skey = (uint32_t)s->keys.len;
            /* room first: the word is copied from the buffer it goes to */
            if (kh_buf_reserve(&s->keys, 2 + rest_len) || kh_buf_append(&s->keys, c->l->alef, 2) ||
                kh_buf_append(&s->keys, s->keys.data + rest, rest_len))
                return -1;
            ti->skey_len = (uint32_t)(rest_len + 2);
        } else {
            ti->skey = (uint32_t)rest;
            ti->skey_len = (uint32_t)rest_len;
        }
    }
    return 0;
}

/* The next word after token j in the same sentence, across quotation
 * marks; NONE when there is none. */
static size_t next_word(const ctx *c, size_t j, size_t run)
{
    for (size_t k = j + 1; k < c->n && c->tok[k].run == run; k++) {
        if (c->tok[k].word) return k;
        if (!c->tok[k].quote) return NONE;
    }
    return NONE;
}

/* Writes the key of tokens [first, last) into s->phrase: the first word
 * without `lead` letters (its proclitics, or one more), the other words
 * and numbers whole (روفر 25 and روفر 75 are two cars). */
static int phrase_key(ctx *c, size_t first, size_t last, unsigned lead, int elided)
{
    kh_buf *b = &c->s->phrase;
    b->len = 0;
    const tok_info *t = &c->tok[first];
    if (2 * (size_t)lead >= t->key_len) lead = 0, elided = 0;
    if (elided && lead == t->proclitics) {
        if (kh_buf_append(b, STOK(c, first), t->skey_len)) return -1;
    } else {
        if (kh_buf_append(b, TOK(c, first) + 2 * lead, t->key_len - 2 * (size_t)lead)) return -1;
    }
    for (size_t i = first + 1; i < last; i++) {
        if (!c->tok[i].word && c->tokens[i].kind != KHABAR_TOKEN_NUMBER) continue;
        if (kh_buf_putc(b, ' ') || kh_buf_append(b, TOK(c, i), c->tok[i].key_len)) return -1;
    }
    return 0;
}

/* Whether tokens [first, last) are within quotation marks: one follows
 * them, and one comes before or among them. */
static int is_quoted(const ctx *c, size_t first, size_t last)
{
    size_t run = c->tok[first].run;
    int before = first > 0 && c->tok[first - 1].quote && c->tok[first - 1].run == run;
    int inside = 0;
    for (size_t i = first; i < last; i++) inside |= c->tok[i].quote;
    int after = last < c->n && c->tok[last].quote && c->tok[last].run == run;
    return after && (before || inside);
}

typedef struct match {
    size_t last; /* end token, 0 for none */
    uint32_t id;
    unsigned lead;
    int elided;
} match;

/* Whether a city's name whose slot has `flags` is a place at word i: right
 * after a place word (مدينة جدة، محافظة الأحساء), or after a weak one (في
 * الطائف) when the name is a rare word and the word carries no pronoun
 * (في مقاله is "in his article"). */
static int after_place_word(const ctx *c, size_t i, unsigned flags)
{
    const tok_info *ti = &c->tok[i];
    if (i == 0 || !c->tok[i - 1].word || c->tok[i - 1].run != ti->run) return 0;
    const slot *w = map_find(&c->t->places, hash_of(STOK(c, i - 1), c->tok[i - 1].skey_len));
    if (!w) return 0;
    if (!(w->flags & PLACE_WEAK)) return 1;
    if (!(flags & NAME_RARE)) return 0;
    return !kh_segments_end_in_pronoun(c->tokens[i].segments);
}

static int is_definite(const ctx *c, size_t i);

/* Whether a town of data/learned.tsv names a place at word i: after a
 * place word, weak ones included (في تطاوين; its counts in news were
 * read when it was learned, so rarity is not asked), with ب as its
 * proclitic (بتاجروين، بقلعة سنان), or with و right after a place
 * (ولايات سوسة والمنستير والمهدية). */
static int town_at(const ctx *c, size_t i)
{
    const tok_info *ti = &c->tok[i];
    if (after_place_word(c, i, NAME_RARE)) return 1;
    const char *w = c->tokens[i].norm;
    for (size_t k = 0; w && k < ti->proclitics; k++)
        if (!memcmp(w + 2 * k, c->l->beh, 2)) return 1;
    if (!ti->proclitics || !w || memcmp(w, c->l->waw, 2) || i == 0 || c->tok[i - 1].cover == NO_COVER ||
        c->tok[i - 1].run != ti->run)
        return 0;
    const cand *x = CAND(c, c->tok[i - 1].cover);
    return x->type == KH_ENTITY_LOC && x->last == i;
}

/* The longest name of `m` (the table's names, or the article's forms)
 * starting at word i, the word read without its proclitics or whole;
 * `bits` filters first words.  With `findable`, only names that may be
 * found in untagged text; with `uncovered`, only over tokens no candidate
 * covers. */
static int longest(ctx *c, const map *m, const uint64_t *bits, size_t nbits, size_t i,
                   int findable, int uncovered, match *out)
{
    memset(out, 0, sizeof *out);
    const tok_info *ti = &c->tok[i];
    for (int whole = 0; whole < 2; whole++) {
        if (whole && !ti->proclitics) break;
        kh_buf *b = &c->s->phrase;
        b->len = 0;
        if (whole ? kh_buf_append(b, TOK(c, i), ti->key_len)
                  : kh_buf_append(b, STOK(c, i), ti->skey_len))
            return -1;
        uint64_t h = hash_of(b->data, b->len);
        if (!bits_test(bits, nbits, h)) continue;
        size_t j = i;
        for (;;) {
            const slot *sl = map_find(m, h);
            if (!sl) break;
            /* ومظاهر النهضة الثقافية: the common noun, with its adjective */
            int described = (sl->flags & NAME_LEARNED) && j + 1 < c->n && c->tok[j + 1].run == ti->run &&
                            c->tok[j + 1].word && !c->tok[j + 1].proclitics && is_definite(c, j + 1);
            if ((sl->flags & NAME_FULL) && j + 1 > out->last && !(findable && described) &&
                (!findable || (sl->flags & NAME_FINDABLE) ||
                 ((sl->flags & NAME_QUOTED) && is_quoted(c, i, j + 1)) ||
                 ((sl->flags & NAME_PLACE) && after_place_word(c, i, sl->flags)) ||
                 ((sl->flags & NAME_TOWN) && ((sl->flags & NAME_STRONG) || town_at(c, i))))) {
                out->last = j + 1;
                out->id = sl->a;
                out->lead = whole ? 0 : ti->proclitics;
                out->elided = !whole && ti->elided;
            }
            if (!(sl->flags & NAME_PREFIX)) break;
            size_t k = next_word(c, j, ti->run);
            if (k == NONE || (uncovered && c->tok[k].cover != NO_COVER)) break;
            if (kh_buf_putc(b, ' ') || kh_buf_append(b, TOK(c, k), c->tok[k].key_len)) return -1;
            j = k;
            h = hash_of(b->data, b->len);
        }
    }
    return 0;
}

/* Known id + 1 of a nationality adjective, masculine or feminine, singular
 * or sound plural, with or without the article (الأمريكية، صيني،
 * الصينيون); 0 when w is none. */
static uint32_t nisba_find(const ctx *c, const char *w, size_t n)
{
    const letters *l = c->l;
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {
            if (!has_prefix(w, n, l->article, 4)) break;
            w += 4, n -= 4;
        }
        size_t m;
        if (has_suffix(w, n, l->yeh_heh, 4)) m = n - 2;
        else if (has_suffix(w, n, l->yeh_waw_noon, 6) || has_suffix(w, n, l->yeh_yeh_noon, 6))
            m = n - 4;
        else if (has_suffix(w, n, l->yeh, 2)) m = n;
        else continue;
        if (letter_count(w, m) < 3) continue;
        const slot *s = map_find(&c->t->nisba, hash_of(w, m));
        if (s) return s->a + 1;
    }
    return 0;
}

/* Word i, with or without the article, as an institution noun (HEAD
 * lines), or NULL. */
static const slot *head_noun(const ctx *c, size_t i)
{
    const char *w = STOK(c, i);
    size_t n = c->tok[i].skey_len;
    if (has_prefix(w, n, c->l->article, 4)) w += 4, n -= 4;
    return map_find(&c->t->heads, hash_of(w, n));
}

/* Whether word i is an institution noun that agrees with the nationality
 * adjective at word p (الخارجية الأمريكية, but not وزير الخارجية الأمريكي,
 * where the adjective is the minister's). */
static int is_head(const ctx *c, size_t i, size_t p)
{
    const slot *h = head_noun(c, i);
    if (!h) return 0;
    const char *a = STOK(c, p);
    size_t an = c->tok[p].skey_len;
    int feminine = has_suffix(a, an, c->l->yeh_heh, 4);
    int masculine = has_suffix(a, an, c->l->yeh, 2);
    return (h->flags & HEAD_FEMININE) ? feminine : masculine;
}

static int is_definite(const ctx *c, size_t i)
{
    return has_prefix(STOK(c, i), c->tok[i].skey_len, c->l->article, 4);
}

/* Word k, in the tagger's sentence `run`: a definite word without
 * proclitics of a nisba's shape (التونسي، التونسية, الرياضي), the
 * adjective that goes on with a name after its head. */
static int nisba_shaped(const ctx *c, size_t k, uint32_t run)
{
    const tok_info *w = &c->tok[k];
    const char *s = STOK(c, k);
    return w->word && w->run == run && !w->proclitics && is_definite(c, k) &&
           (has_suffix(s, w->skey_len, c->l->yeh, 2) || has_suffix(s, w->skey_len, c->l->yeh_heh, 4));
}

static const known *known_at(const ctx *c, uint32_t id1)
{
    return id1 ? &((const known *)c->t->known.data)[id1 - 1] : NULL;
}

/* Whether a candidate the tagger typed `type` may be the known `k`: a
 * person is never a place or an organisation of the table, and a
 * gazetteer city must be what the tagger calls a place. */
static int link_allowed(const known *k, unsigned type)
{
    if (type == KH_ENTITY_PER && k->type != KH_ENTITY_PER) return 0;
    if ((k->flags & KNOWN_CITY) && type != KH_ENTITY_LOC) return 0;
    return 1;
}

/* Whether the tagger's organisation at tokens [first, last), within
 * quotation marks, is named after the place `k`: a newspaper (« الشرق
 * الأوسط », « الرياض »), not the place.  (A quoted place the tagger calls
 * MISC is mostly the tagger's mistake: مدينة "أربيل".) */
static int title_of_place(const ctx *c, size_t first, size_t last, const known *k, unsigned type)
{
    return k && k->type == KH_ENTITY_LOC && type == KH_ENTITY_ORG && is_quoted(c, first, last);
}

static cand *add_cand(ctx *c, size_t first, size_t last, unsigned type, unsigned source)
{
    if (c->s->cands.len >= NO_COVER) return NULL; /* a candidate's index fits tok_info.cover */
    cand *x = kh_vec_push(&c->s->cands, sizeof *x);
    if (!x) return NULL;
    x->first = first;
    x->last = last;
    x->type = (uint8_t)type;
    x->source = (uint8_t)source;
    x->lead = c->tok[first].proclitics;
    x->elided = c->tok[first].elided;
    x->entity = NONE;
    x->name_first = first;
    x->name_last = last;
    return x;
}

static void set_link(cand *x, uint32_t id1, unsigned link, unsigned lead, int elided)
{
    x->known = id1;
    x->link = (uint8_t)link;
    x->lead = (uint8_t)lead;
    x->elided = (uint8_t)elided;
}

static void cover(ctx *c, size_t first, size_t last, size_t ci)
{
    uint32_t v = ci == NONE ? NO_COVER : (uint32_t)ci;
    for (size_t i = first; i < last; i++) c->tok[i].cover = v;
}

/* Whether word i, without `lead` letters, makes up 1/share of news text
 * or more. */
static int is_common_word(const ctx *c, size_t i, unsigned lead, unsigned share)
{
    const tok_info *t = &c->tok[i];
    size_t skip = 2 * (size_t)lead;
    if (!c->vocab || skip >= t->norm_len) return 0;
    uint32_t count =
        kh_lexicon_count_normal(c->vocab, c->tokens[i].norm + skip, t->norm_len - skip);
    return (uint64_t)count * share >= kh_lexicon_total(c->vocab);
}

/* Letters of word i without `lead` letters when that is a function word
 * (data/stopwords.txt: هي، انا، بين), else 0.  Read with its hamza, as the
 * list is: آنا (سانتا آنا) is no أنا.  With `hamza`, whether it begins with
 * an alef carrying one. */
static size_t function_word(ctx *c, size_t i, unsigned lead, int *hamza)
{
    const khabar_token *t = &c->tokens[i];
    if (!c->stop || t->kind != KHABAR_TOKEN_ARABIC) return 0;
    kh_buf *b = &c->s->tmp;
    b->len = 0;
    if (kh_normalize_append(b, t->span.text, t->span.text_len,
                            KHABAR_FOLD_ALL & ~(unsigned)KHABAR_FOLD_ALEF))
        return 0;
    size_t skip = 0;
    for (unsigned k = 0; k < lead && skip < b->len; k++) {
        uint32_t cp;
        unsigned len = kh_utf8_decode((const unsigned char *)b->data + skip, b->len - skip, &cp);
        if (!len) return 0;
        skip += len;
    }
    if (skip >= b->len) return 0;
    const char *w = b->data + skip;
    size_t n = b->len - skip;
    if (hamza) {
        uint32_t cp = 0;
        kh_utf8_decode((const unsigned char *)w, n, &cp);
        *hamza = cp == ALEF_HAMZA_ABOVE || cp == ALEF_HAMZA_BELOW || cp == ALEF_MADDA_ABOVE;
    }
    return kh_lexicon_count_normal(c->stop, w, n) ? letter_count(w, n) : 0;
}

/* Known id + 1 of the name at tokens [first, last), its first word read
 * without `lead` letters, if the table has it and a name the tagger typed
 * `type` may be it; 0 otherwise. */
static uint32_t exact_known(ctx *c, size_t first, size_t last, unsigned lead, int elided,
                            unsigned type)
{
    if (phrase_key(c, first, last, lead, elided)) return 0;
    const slot *sl = map_find(&c->t->names, hash_of(c->s->phrase.data, c->s->phrase.len));
    if (!sl || !(sl->flags & NAME_FULL) || (sl->flags & NAME_COMMON) ||
        !link_allowed(known_at(c, sl->a + 1), type) || title_of_place(c, first, last, known_at(c, sl->a + 1), type))
        return 0;
    return sl->a + 1;
}

/* Whether word i carries the preposition ب، ل or ك among its proclitics. */
static int has_preposition(const ctx *c, size_t i)
{
    const char *k = TOK(c, i);
    for (unsigned q = 0; q < c->tok[i].proclitics; q++) {
        uint32_t cp = 0;
        kh_utf8_decode((const unsigned char *)k + 2 * q, 2, &cp);
        if (cp == BEH || cp == LAM || cp == KAF) return 1;
    }
    return 0;
}

/* Whether the nationality adjective at word i qualifies a noun of an era,
 * an empire, a continent or a style (ERA lines: العهد الروماني "the Roman
 * era", not Romania; القارة الأميركية, the Americas), written with the
 * article or without (آثارا رومانية).  Not when that noun ends a construct
 * whose head the adjective may qualify: ولي العهد السعودي is the Saudi
 * crown prince, وزير الآثار المصري the Egyptian minister.  The noun heads
 * its phrase when it carries a preposition (للعهد; not و: وكيل السياحة
 * والآثار العراقي), or follows a function word (إلى الحقبة), a definite
 * word or nothing. */
static int after_era(ctx *c, size_t i)
{
    size_t e = i - 1;
    if (i == 0 || !c->tok[e].word || c->tok[e].run != c->tok[i].run) return 0;
    const char *w = STOK(c, e);
    size_t n = c->tok[e].skey_len;
    if (has_prefix(w, n, c->l->article, 4)) w += 4, n -= 4;
    if (!map_find(&c->t->eras, hash_of(w, n)) &&
        !(has_suffix(w, n, c->l->alef, 2) && map_find(&c->t->eras, hash_of(w, n - 2)))) /* آثارا */
        return 0;
    if (has_preposition(c, e)) return 1;
    if (c->tok[e].proclitics) return 0; /* والآثار goes on the phrase before */
    return e == 0 || !c->tok[e - 1].word || c->tok[e - 1].run != c->tok[e].run ||
           is_definite(c, e - 1) || function_word(c, e - 1, c->tok[e - 1].proclitics, NULL);
}

/* Links a tagger's name to the table: as segmented; then with one more
 * letter off (لكابول, which the segmenter keeps whole); then as a
 * nationality adjective. */
static void link_tagged(ctx *c, cand *x)
{
    size_t a = x->first, b = x->last;
    uint32_t id1 = exact_known(c, a, b, x->lead, x->elided, x->type);
    if (id1) {
        set_link(x, id1, LINK_NAME, x->lead, x->elided);
        return;
    }
    uint32_t cp;
    const char *w = c->tokens[a].span.text;
    size_t wn = c->tokens[a].span.text_len;
    if (!x->lead && c->tok[a].key_len >= 8 && kh_utf8_decode((const unsigned char *)w, wn, &cp) &&
        is_proclitic_letter(cp) && cp != SEEN &&
        (id1 = exact_known(c, a, b, 1, 0, x->type))) {
        set_link(x, id1, LINK_NAME, 1, 0);
        return;
    }
    if (b == a + 1 && x->type != KH_ENTITY_PER && x->lead == c->tok[a].proclitics &&
        (id1 = nisba_find(c, STOK(c, a), c->tok[a].skey_len)) && !after_era(c, a))
        set_link(x, id1, LINK_NISBA, x->lead, x->elided);
}

static int ordinary_word(const ctx *c, const char *w, size_t n);

/* Whether word i, without its proclitics, looks like a word of a name:
 * no common word of news text, and not ordinary by the name-likeness
 * model. */
static int name_like(ctx *c, size_t i)
{
    const tok_info *t = &c->tok[i];
    return t->word && c->tokens[i].kind == KHABAR_TOKEN_ARABIC &&
           !is_common_word(c, i, t->proclitics, COMMON_WORD_SHARE) && !ordinary_word(c, STOK(c, i), t->skey_len);
}

/* Whether the table or the gazetteer knows tokens [first, last) as a
 * name of any kind: ليون of مانشستر يونايتد وليون is a city's name, though
 * the tagger's organisation cannot be that city. */
static int known_any(ctx *c, size_t first, size_t last, unsigned lead, int elided)
{
    return exact_known(c, first, last, lead, elided, KH_ENTITY_ORG) ||
           exact_known(c, first, last, lead, elided, KH_ENTITY_LOC);
}

/* Where the tagger joined two known names with و into one (إدلب
 * واللاذقية), the word that begins the second; NONE when it did not. */
static size_t coordination(ctx *c, const cand *x)
{
    for (size_t k = x->first + 1; k < x->last; k++) {
        const tok_info *t = &c->tok[k];
        if (!t->word || !t->proclitics || c->tokens[k].span.text_len < 2) continue;
        uint32_t cp;
        if (!kh_utf8_decode((const unsigned char *)c->tokens[k].span.text,
                            c->tokens[k].span.text_len, &cp) ||
            cp != WAW)
            continue;
        if (exact_known(c, x->first, k, x->lead, x->elided, x->type) &&
            exact_known(c, k, x->last, t->proclitics, t->elided, x->type))
            return k;
        /* أرسنال وموناكو، مانشستر يونايتد وليون: one side known, and the
         * words on either side of و look like names' words, not ordinary
         * ones (المجلس الاقتصادي والاجتماعي, حزب الحرية والعدالة are one
         * name); و alone before the second (ولاس فيغاس is not و + ل + اس) */
        if (x->type != KH_ENTITY_PER && t->proclitics == 1 && name_like(c, k - 1) &&
            name_like(c, k) && (known_any(c, x->first, k, x->lead, x->elided) ||
                                known_any(c, k, x->last, t->proclitics, t->elided)))
            return k;
    }
    return NONE;
}

/* A currency or a unit of measure (دولار، ريالا، اليورو، طن): the tagger
 * learnt to call some of them names, but they name no thing of the
 * article's. */
static int is_unit_word(const ctx *c, size_t i)
{
    const kh_vec *cls = &c->d->token_classes;
    if (i >= cls->len) return 0;
    uint64_t u = KH_AT(*cls, uint64_t, i);
    return (u & (KH_F(KH_F_CUR) | KH_F(KH_F_MEAS))) != 0;
}

/* Whether the month name at token a is the car maker's (نيسان « أورفان »،
 * نيسان سنترا: a quotation mark or another name of the tagger's right
 * after it, the maker before its model), not the month that the lone
 * function word rule drops; not after a day or another month (10
 * ابريل/نيسان بالإسكندرية). */
static int maker_before_model(const ctx *c, const uint8_t *tags, size_t a)
{
    const kh_vec *cls = &c->d->token_classes;
    if (a >= cls->len || !(KH_AT(*cls, uint64_t, a) & KH_F(KH_F_MONTH))) return 0;
    size_t k = a + 1, p = a;
    if (k >= c->n || c->tok[k].run != c->tok[a].run) return 0;
    while (p > 0 && c->tok[p - 1].run == c->tok[a].run && !c->tok[p - 1].word &&
           c->tokens[p - 1].kind != KHABAR_TOKEN_NUMBER)
        p--;
    if (p > 0 && c->tok[p - 1].run == c->tok[a].run &&
        (c->tokens[p - 1].kind == KHABAR_TOKEN_NUMBER || (KH_AT(*cls, uint64_t, p - 1) & KH_F(KH_F_MONTH))))
        return 0;
    return c->tok[k].quote || kh_ner_tag_is_begin(tags[k]);
}

/* The first token of an institution named after the person whose name
 * the tagger found at token a (مستشفى الملك فهد: a hospital, not the
 * king), and *type what it is; or NONE. */
static size_t named_after(const ctx *c, size_t a, int *type)
{
    if (a < 2 || !c->tok[a - 1].word || !c->tok[a - 2].word || c->tok[a - 1].run != c->tok[a].run ||
        c->tok[a - 2].run != c->tok[a].run)
        return NONE;
    const slot *institution = map_find(&c->t->namesakes, hash_of(STOK(c, a - 2), c->tok[a - 2].skey_len));
    if (!institution || !map_find(&c->t->ranks, hash_of(STOK(c, a - 1), c->tok[a - 1].skey_len)))
        return NONE;
    *type = (int)institution->a;
    return a - 2;
}

static int ordinary_word(const ctx *c, const char *w, size_t n);

/* Whether the definite word k ending in ي or ية is the adjective of a
 * common noun (الدستوري of دستور، السياسي of سياسة): the reference corpus
 * has the noun, with or without the article and ة, COMMON_NOUN_COUNT times
 * or more.  Surnames of that shape come from rare words (الجربوعي،
 * الغنوشي). */
static int relational(ctx *c, size_t k)
{
    if (!c->vocab) return 0;
    const char *w = c->tokens[k].norm;
    size_t n = c->tok[k].norm_len;
    if (!has_prefix(w, n, c->l->article, 4)) return 0;
    w += 4, n -= 4;
    if (has_suffix(w, n, c->l->yeh, 2)) n -= 2;
    else if (n > 4 && !memcmp(w + n - 4, c->l->yeh, 2) && !memcmp(w + n - 2, c->l->teh_marbuta, 2)) n -= 4;
    else return 0;
    if (letter_count(w, n) < 2) return 0;
    kh_buf *b = &c->s->phrase;
    uint64_t count = 0;
    for (int form = 0; form < 4; form++) {
        b->len = 0;
        if (((form & 1) && kh_buf_append(b, c->l->article, 4)) || kh_buf_append(b, w, n) ||
            ((form & 2) && kh_buf_append(b, c->l->teh_marbuta, 2)))
            return 0;
        count += kh_lexicon_count_normal(c->vocab, b->data, b->len);
    }
    return count >= COMMON_NOUN_COUNT;
}

/* Where a person's name the tagger found at tokens [a, b), of three words
 * or more, ends: without its last word when that is a definite common noun
 * followed by a definite relational adjective the tagger left out, the two
 * a description (أحمد كمال أبوالمجد الفقيه الدستوري: the constitutional
 * jurist; الخبير الاقتصادي، المحلل السياسي).  Not a last word of a
 * surname's shape, ending in ي (أبو محمد العدني القيادي: العدني is his), and
 * a nationality adjective after it does not count. */
static size_t without_description(ctx *c, const uint8_t *tags, size_t a, size_t b)
{
    size_t words = 0, last = b - 1;
    for (size_t k = a; k < b; k++) words += c->tok[k].word;
    if (words < 3 || !is_definite(c, last) ||
        has_suffix(STOK(c, last), c->tok[last].skey_len, c->l->yeh, 2)) /* أبو محمد العدني القيادي */
        return b;
    size_t k = next_word(c, last, c->tok[last].run);
    if (k == NONE || tags[k] != KH_NER_O || c->tok[k].proclitics || !is_definite(c, k)) return b;
    const char *w = STOK(c, k);
    size_t n = c->tok[k].skey_len;
    if (!has_suffix(w, n, c->l->yeh, 2) && !has_suffix(w, n, c->l->yeh_heh, 4)) return b;
    if (nisba_find(c, w, n) || !relational(c, k)) return b;
    if (!ordinary_word(c, STOK(c, last), c->tok[last].skey_len)) return b;
    return last;
}

/* Whether the proclitics of the first word of a name of several words,
 * the tagger's x ending at token b, belong to the name: when what remains
 * is a function word of CLITIC_REST_LETTERS letters or fewer (بهي الدين حسن
 * is not ب + هي, فان غال not ف + ان), not one with hamza (أم and أن begin
 * names too: بأم القرى, and بأن X is the tagger's mistake either way), and
 * not when the table knows the rest (بأم درمان). */
static int clitic_stays(ctx *c, const cand *x, size_t b)
{
    int hamza = 0;
    size_t letters = function_word(c, x->first, x->lead, &hamza);
    return letters && letters <= CLITIC_REST_LETTERS && !hamza &&
           !exact_known(c, x->first, b, x->lead, x->elided, x->type);
}

/* Where the person's name of several words the tagger found at [a, b)
 * begins: at the untagged word before it when that word is a proclitic
 * ب and a function word of CLITIC_REST_LETTERS letters or fewer
 * without hamza, which clitic_stays reads as the name's first word when the
 * tagger takes it in (بان كي مون: the tagger read ب + ان "that" and kept
 * كي مون). */
static size_t with_clitic_word(ctx *c, const uint8_t *tags, size_t a, size_t b)
{
    size_t k = a - 1, words = 0;
    for (size_t i = a; i < b; i++) words += c->tok[i].word;
    if (a == 0 || words < 2 || tags[k] != KH_NER_O || !c->tok[k].word || c->tok[k].run != c->tok[a].run ||
        !c->tok[k].proclitics || c->tok[k].elided)
        return a;
    /* ب alone: و + هم "and they", ف + من، ف + ان (فإن) before a name are
     * what they seem (5-fold CV, SaudiNewsNet: every one read with و or ف
     * was wrong) */
    uint32_t cp = 0;
    if (c->tok[k].proclitics != 1 ||
        !kh_utf8_decode((const unsigned char *)c->tokens[k].span.text, c->tokens[k].span.text_len, &cp) ||
        cp != BEH)
        return a;
    int hamza = 0;
    size_t letters = function_word(c, k, c->tok[k].proclitics, &hamza);
    return letters && letters <= CLITIC_REST_LETTERS && !hamza ? k : a;
}

/* The first token of a smaller place whose name the city the tagger found
 * at tokens [a, b) ends (كفر سوسة, a quarter of Damascus, not Sousse; حمام
 * سوسة, a town of its own): the word before it when that word begins
 * such names (DISTRICT lines) and is no other name's of the tagger's; or
 * NONE. */
static size_t district_of(ctx *c, size_t a, size_t b, unsigned type)
{
    if (type != KH_ENTITY_LOC || a == 0 || !c->tok[a - 1].word || c->tok[a - 1].run != c->tok[a].run ||
        c->tok[a].proclitics) /* بنابل after a word is "in Nabeul" */
        return NONE;
    const tok_info *h = &c->tok[a - 1];
    if (h->cover != NO_COVER) {
        const cand *o = CAND(c, h->cover);
        if (o->first != a - 1 || o->last != a || o->type != KH_ENTITY_LOC) return NONE;
    }
    if (!map_find(&c->t->districts, hash_of(STOK(c, a - 1), h->skey_len))) return NONE;
    const known *k = known_at(c, exact_known(c, a, b, 0, 0, type));
    return k && (k->flags & KNOWN_CITY) ? a - 1 : NONE;
}

/* The word before the tagger's name at token a when it is a noun that
 * makes the name an organisation's (ORGNOUN lines: شركة تويوتا، فريق
 * أسيك، صحيفة الرياض; a noun in construct, so without the article: الفريق
 * is also a rank), the name itself carrying no clitic; quotation marks may
 * stand between.  NONE when there is none. */
static size_t noun_before(const ctx *c, size_t a, const map *nouns)
{
    if (c->tok[a].proclitics) return NONE;
    size_t w = a;
    while (w > 0 && c->tok[w - 1].quote && c->tok[w - 1].run == c->tok[a].run) w--;
    if (w == 0 || !c->tok[--w].word || c->tok[w].run != c->tok[a].run || is_definite(c, w)) return NONE;
    return map_find(nouns, hash_of(STOK(c, w), c->tok[w].skey_len)) ? w : NONE;
}

static size_t org_noun_before(const ctx *c, size_t a)
{
    return noun_before(c, a, &c->t->org_nouns);
}

/* Where the name proper of the tagger's name [a, b) begins when its first
 * word is an organisation noun in construct that the tagger took in (نادي
 * أرسنال، صحيفة بيلد): the word after it, past quotation marks; else a.
 * ANERcorp leaves the noun out: after شركة، فريق، نادي، صحيفة، وكالة،
 * حركة ... its training part marks the name alone 107 times, the noun
 * with it 14. */
static size_t after_org_noun(const ctx *c, size_t a, size_t b)
{
    if (!c->tok[a].word || is_definite(c, a) ||
        !map_find(&c->t->org_nouns, hash_of(STOK(c, a), c->tok[a].skey_len)))
        return a;
    size_t k = a + 1;
    while (k < b && !c->tok[k].word) k++;
    return k < b ? k : a;
}

/* Whether the tagger's place x is followed by a masculine nationality
 * adjective with the article (تشلسي الإنجليزي، ليون الفرنسي، موناكو
 * الفرنسي): it qualifies the club or the company (النادي، الفريق), a
 * city's is feminine (ليون الفرنسية).  In ANERcorp's training part a
 * name before such an adjective is an organisation 46 times, a place 10
 * (half of them clubs too). */
static int club_adjective(const ctx *c, const cand *x)
{
    size_t k = x->last, a = x->first;
    if (k >= c->n || !c->tok[k].word || c->tok[k].run != c->tok[a].run ||
        c->tok[k].proclitics || !is_definite(c, k) || is_unit_word(c, a)) /* الرنجيت الماليزي */
        return 0;
    /* القطر التونسي "the Tunisian country", الريف المغربي, الخليج العربي:
     * a common noun with the article names a region */
    size_t skip = 2 * (size_t)c->tok[a].proclitics + 4;
    if (is_definite(c, a) && c->vocab && c->tok[a].norm_len > skip &&
        kh_lexicon_count_normal(c->vocab, c->tokens[a].norm + skip, c->tok[a].norm_len - skip) >= COMMON_NOUN_COUNT)
        return 0;
    const char *w = STOK(c, k);
    size_t n = c->tok[k].skey_len;
    /* written with ي: اليمنى "the right" folds to اليمني "the Yemeni" */
    const khabar_token *t = &c->tokens[k];
    size_t e = t->span.text_len;
    while (e > 0 && ((unsigned char)t->span.text[e - 1] & 0xC0) == 0x80) e--;
    uint32_t cp = 0;
    if (e > 0) kh_utf8_decode((const unsigned char *)t->span.text + e - 1, t->span.text_len - e + 1, &cp);
    return cp == YEH && has_suffix(w, n, c->l->yeh, 2) &&
           (nisba_find(c, w, n) || map_find(&c->t->club_adjs, hash_of(w, n)));
}

/* A name the tagger found that names an organisation after a thing the
 * table knows as another kind: after an organisation noun (صحيفة الرياض،
 * نادي قطر), or an organisation within quotation marks named after a place
 * (لـ«الشرق الأوسط», the newspaper).  It is not that thing: its own
 * entity, or the table's organisation written with the noun (صحيفة الشرق
 * الأوسط) when there is one. */
static int named_by_noun(ctx *c, cand *x)
{
    /* بولاية القصرين، بجبل سمامة: a place, whatever else the tagger said */
    if ((x->type == KH_ENTITY_MISC || x->type == KH_ENTITY_PER) &&
        noun_before(c, x->first, &c->t->loc_nouns) != NONE) {
        const known *k = known_at(c, x->known);
        if (!k || k->type == KH_ENTITY_LOC) {
            x->type = KH_ENTITY_LOC;
            x->loc_noun = 1;
        }
    }
    size_t noun = org_noun_before(c, x->first);
    /* مجلة سورية، فريق برازيلي: an adjective, "a Syrian magazine" */
    if (noun != NONE && x->last == x->first + 1 && nisba_find(c, STOK(c, x->first), c->tok[x->first].skey_len))
        noun = NONE;
    const known *k = known_at(c, x->known);
    /* the tagger's place, or its organisation the table calls a place */
    x->org_noun = noun != NONE || ((x->type == KH_ENTITY_LOC || (k && k->type == KH_ENTITY_LOC)) &&
                                   club_adjective(c, x));
    if (x->org_noun && k && k->type != KH_ENTITY_ORG) {
        set_link(x, 0, LINK_NONE, x->lead, x->elided);
        x->title = 1;
    } else if (!x->link) {
        if (phrase_key(c, x->first, x->last, x->lead, x->elided)) return -1;
        const slot *sl = map_find(&c->t->names, hash_of(c->s->phrase.data, c->s->phrase.len));
        x->title = sl && (sl->flags & NAME_FULL) &&
                   title_of_place(c, x->first, x->last, known_at(c, sl->a + 1), x->type);
    }
    if (!x->title) return 0;
    /* the noun and the name: صحيفة الشرق الأوسط */
    kh_buf *ph = &c->s->tmp;
    ph->len = 0;
    if (noun != NONE) {
        if (kh_buf_append(ph, STOK(c, noun), c->tok[noun].skey_len)) return -1;
    } else {
        static const uint32_t paper[] = {SAD, HAH, YEH, FEH, HEH};
        for (size_t q = 0; q < sizeof paper / sizeof *paper; q++) {
            char u[4];
            if (kh_buf_append(ph, u, kh_utf8_encode(paper[q], u))) return -1;
        }
    }
    if (phrase_key(c, x->first, x->last, x->lead, x->elided) || kh_buf_putc(ph, ' ') ||
        kh_buf_append(ph, c->s->phrase.data, c->s->phrase.len))
        return -1;
    const slot *sl = map_find(&c->t->names, hash_of(ph->data, ph->len));
    if (sl && (sl->flags & NAME_FULL) && known_at(c, sl->a + 1)->type == KH_ENTITY_ORG)
        set_link(x, sl->a + 1, LINK_NAME, x->lead, x->elided);
    return 0;
}

/* The tagger's names (B and I tags), each linked to the table when it
 * knows them.  A lone word among the commonest of news text, or a
 * currency or a unit, is dropped; a name after an institution noun and a
 * title becomes the institution's (named_after). */
static int tagger_cands(ctx *c, const uint8_t *tags)
{
    for (size_t i = 0; i < c->n;) {
        if (!kh_ner_tag_is_begin(tags[i])) {
            i++;
            continue;
        }
        int type = kh_ner_tag_type(tags[i]);
        size_t e = i + 1;
        while (e < c->n && tags[e] == KH_NER_I(type) && c->tok[e].run == c->tok[i].run) e++;
        size_t a = i, b = e;
        i = e;
        while (a < b && !c->tok[a].word) a++;
        /* a number the tagger put at the end stays: روفر 25، آيفون 7 */
        while (b > a && !c->tok[b - 1].word && c->tokens[b - 1].kind != KHABAR_TOKEN_NUMBER) b--;
        size_t words = 0;
        for (size_t k = a; k < b; k++) words += c->tok[k].word;
        if (!words || words > MAX_NAME_WORDS) continue;
        /* a model or an edition: غالاكسي اس 8، روفر 75، مونديال 2006 (MISC in
         * ANERcorp's training part 21 times of 23, the others a channel, تي في 5) */
        if (b - a > 1 && c->tokens[b - 1].kind == KHABAR_TOKEN_NUMBER) type = KH_ENTITY_MISC;
        size_t institution = named_after(c, a, &type);
        if (institution != NONE) {
            /* the tagger's جامعة الملك before سعود gives way */
            for (size_t t = institution; t < a; t++)
                if (c->tok[t].cover != NO_COVER) CAND(c, c->tok[t].cover)->dropped = 1;
            a = institution;
            /* the town after it is where it is: مستشفى الملك فهد بجدة */
            uint32_t cp;
            const char *w = c->tokens[b - 1].norm;
            if (b - a > 3 && c->tok[b - 1].proclitics && w &&
                kh_utf8_decode((const unsigned char *)w, strlen(w), &cp) && cp == BEH)
                b--;
        }
        if (type == KH_ENTITY_PER) {
            b = without_description(c, tags, a, b);
            a = with_clitic_word(c, tags, a, b);
        }
        size_t district = district_of(c, a, b, (unsigned)type);
        if (district != NONE) {
            if (c->tok[district].cover != NO_COVER) CAND(c, c->tok[district].cover)->dropped = 1;
            a = district; /* the tagger's كفر alone gives way too */
        }
        cand *x = add_cand(c, a, b, (unsigned)type, FROM_TAGGER);
        if (!x) return -1;
        cover(c, a, b, c->s->cands.len - 1);
        x->name_first = after_org_noun(c, a, b);
        if (x->lead && !x->elided &&
            (b == a + 1 ? is_common_word(c, a, x->lead, CLITIC_REST_SHARE) : clitic_stays(c, x, b)))
            x->lead = 0; /* لله is not ل + له, nor بهي الدين حسن ب + هي */
        link_tagged(c, x);
        if (named_by_noun(c, x)) return -1;
        size_t k;
        if (!x->link && (k = coordination(c, x)) != NONE) {
            x->last = x->name_last = k;
            link_tagged(c, x);
            cand *y = add_cand(c, k, b, (unsigned)type, FROM_TAGGER);
            if (!y) return -1;
            cover(c, k, b, c->s->cands.len - 1);
            link_tagged(c, y);
            if (named_by_noun(c, y)) return -1; /* أرسنال وموناكو الفرنسي: a club too */
            continue;
        }
        if (!x->link && b == a + 1 && !x->elided &&
            (is_common_word(c, a, x->lead, FUNCTION_WORD_SHARE) ||
             (function_word(c, a, x->lead, NULL) && !is_quoted(c, a, b) && !maker_before_model(c, tags, a)) ||
             is_unit_word(c, a))) {
            cover(c, a, b, NONE);
            c->s->cands.len--;
        }
    }
    return 0;
}

/* Names of the table and nationality adjectives in the text: new mentions
 * where the tagger saw nothing, fuller ones where it saw part of a name
 * (آسيا of جنوب آسيا), and mentions nested in a longer name that is not
 * itself known: an adjective (الأميركية of an organisation's name), or a
 * known organisation the name begins with (داعش of داعش خراسان, a branch
 * of it).  A place within a longer name is part of that name (سرايا
 * القدس). */
static int rare_bare_word(const ctx *c, size_t i, unsigned share);

/* Whether words j and j + 1 read as a person's name of the kind news
 * writes after an organisation's (الناطق باسم الجبهة الشعبية حمة الهمامي):
 * no clitics, the first without the article, both rarer than 1 in
 * ROLE_FIRST_SHARE words of news (the tagger's span says they are a
 * name), the second no nationality. */
static int person_after(const ctx *c, size_t j)
{
    if (j + 2 > c->n) return 0;
    for (size_t k = j; k < j + 2; k++)
        if (!c->tok[k].word || c->tok[k].run != c->tok[j].run || c->tok[k].proclitics ||
            c->tokens[k].kind != KHABAR_TOKEN_ARABIC)
            return 0;
    return !is_definite(c, j) && rare_bare_word(c, j, ROLE_FIRST_SHARE) && rare_bare_word(c, j + 1, ROLE_FIRST_SHARE) &&
           !nisba_find(c, STOK(c, j + 1), c->tok[j + 1].skey_len);
}

static int table_cands(ctx *c)
{
    size_t tagged = c->s->cands.len;
    for (size_t i = 0; i < c->n;) {
        if (!c->tok[i].word) {
            i++;
            continue;
        }
        match mt;
        if (longest(c, &c->t->names, c->t->first_words, FIRST_BITS, i, 1, 0, &mt)) return -1;
        if (mt.last) {
            size_t j = mt.last, inner = NONE;
            int any = 0, inside = 1, same = 1;
            for (size_t t = i; t < j; t++) {
                size_t ci = c->tok[t].cover;
                if (ci == NO_COVER) {
                    same = 0;
                    continue;
                }
                const cand *x = CAND(c, ci);
                if (!any) inner = ci;
                else if (inner != ci) same = 0;
                any = 1;
                if (x->first < i || x->last > j) inside = 0;
            }
            const known *k = known_at(c, mt.id + 1);
            if (any && inside && same && CAND(c, inner)->first == i && CAND(c, inner)->last == j) {
                cand *x = CAND(c, inner); /* the tagger's own name */
                if (x->link != LINK_NAME && !x->title && link_allowed(k, x->type) &&
                    !title_of_place(c, x->first, x->last, k, x->type))
                    set_link(x, mt.id + 1, LINK_NAME, mt.lead, mt.elided);
            } else if (!any || inside) {
                size_t same_thing = NONE, inner_name = NONE;
                int names = 0;
                for (size_t t = i; t < j; t++) {
                    size_t ci = c->tok[t].cover;
                    if (ci == NO_COVER) continue;
                    cand *o = CAND(c, ci);
                    if (o->source == FROM_TAGGER && o->known == mt.id + 1 && same_thing == NONE) same_thing = ci;
                    if (ci != inner_name) names++, inner_name = ci;
                    o->dropped = 1;
                }
                /* قطاع غزة، مفوضية الأمم المتحدة لشؤون اللاجئين, the table's
                 * other thing around the tagger's one name of another known
                 * thing of its kind: ANERcorp marks the name inside (غزة
                 * after قطاع 18 times of 19), so the labels keep it; not a
                 * fragment the table does not know (منظمة الصحة of منظمة
                 * الصحة العالمية, رايتس ووتش) */
                if (same_thing == NONE && names == 1 && CAND(c, inner_name)->source == FROM_TAGGER &&
                    CAND(c, inner_name)->type == k->type && CAND(c, inner_name)->known &&
                    CAND(c, inner_name)->link == LINK_NAME)
                    same_thing = inner_name;
                cand *x = add_cand(c, i, j, k->type, FROM_TABLE);
                if (!x) return -1;
                set_link(x, mt.id + 1, LINK_NAME, mt.lead, mt.elided);
                if (same_thing != NONE) {
                    /* حركة طالبان, حزب الله اللبناني: the tagger's name of the
                     * same thing is the name proper, the rest a descriptor */
                    x->name_first = CAND(c, same_thing)->first;
                    x->name_last = CAND(c, same_thing)->last;
                }
                cover(c, i, j, c->s->cands.len - 1);
            } else if (same && inner < tagged) {
                cand *o = CAND(c, inner);
                if (o->type == KH_ENTITY_ORG && k->type == KH_ENTITY_ORG && o->link != LINK_NAME &&
                    o->first == i && o->last == j + 2 && person_after(c, j)) {
                    /* the table's organisation and a person the tagger ran
                     * into it: الجبهة الشعبية حمة الهمامي */
                    o->last = o->name_last = j;
                    set_link(o, mt.id + 1, LINK_NAME, mt.lead, mt.elided);
                    if (!add_cand(c, j, j + 2, KH_ENTITY_PER, FROM_TAGGER)) return -1;
                    cover(c, j, j + 2, c->s->cands.len - 1);
                } else if (o->type != KH_ENTITY_PER && o->link != LINK_NAME && o->first == i &&
                           k->type == KH_ENTITY_ORG) {
                    cand *x = add_cand(c, i, j, k->type, FROM_TABLE);
                    if (!x) return -1;
                    set_link(x, mt.id + 1, LINK_NAME, mt.lead, mt.elided);
                    x->nested = 1;
                }
            }
            i = j;
            continue;
        }
        uint32_t id1 = nisba_find(c, STOK(c, i), c->tok[i].skey_len);
        if (id1 && !after_era(c, i)) {
            size_t ci = c->tok[i].cover;
            const cand *o = ci == NO_COVER ? NULL : CAND(c, ci);
            if (!o || (o->last - o->first > 1 && o->type != KH_ENTITY_PER && o->link != LINK_NAME)) {
                cand *x = add_cand(c, i, i + 1, KH_ENTITY_LOC, FROM_NISBA);
                if (!x) return -1;
                x->known = id1;
                x->link = LINK_NISBA;
                x->nested = o != NULL;
                if (!o) cover(c, i, i + 1, c->s->cands.len - 1);
            }
        }
        i++;
    }
    return 0;
}

/* An institution noun, up to HEAD_GAP definite words, and a nationality
 * adjective name an organisation (القيادة المركزية الأميركية، الجيش
 * الأمريكي); the adjective stays a mention of its country. */
static int head_cands(ctx *c)
{
    size_t n = c->s->cands.len;
    for (size_t ci = 0; ci < n; ci++) {
        const cand *x = CAND(c, ci);
        if (x->source != FROM_NISBA || x->nested || x->dropped) continue;
        size_t p = x->first, run = c->tok[p].run;
        unsigned gap = 0;
        for (size_t q = p; q-- > 0;) {
            const tok_info *tq = &c->tok[q];
            if (tq->run != run || !tq->word) break;
            if (tq->cover != NO_COVER) {
                /* the tagger's organisation that stops short of the adjective */
                cand *o = CAND(c, tq->cover);
                if (o->last == p && o->type == KH_ENTITY_ORG && o->source == FROM_TAGGER &&
                    o->link == LINK_NONE && is_head(c, o->first, p)) {
                    o->last = p + 1;
                    c->tok[p].cover = tq->cover;
                    CAND(c, ci)->nested = 1;
                }
                break;
            }
            if (is_head(c, q, p)) {
                cand *h = add_cand(c, q, p + 1, KH_ENTITY_ORG, FROM_HEAD);
                if (!h) return -1;
                cover(c, q, p + 1, c->s->cands.len - 1);
                CAND(c, ci)->nested = 1;
                break;
            }
            if (++gap > HEAD_GAP || !is_definite(c, q)) break;
        }
    }
    return 0;
}

/* Whether the place candidate x is the end of a party's name: the word
 * before it has no article and no clitic, is no common word nor a verb,
 * and is part of no other name but an organisation's that ends there
 * (حركة نداء tagged apart). */
static size_t party_name_start(const ctx *c, const cand *x)
{
    size_t a = x->first, w = a - 1;
    if (a < 1 || !c->tok[w].word || c->tok[w].run != c->tok[a].run || c->tok[w].proclitics ||
        c->tokens[w].kind != KHABAR_TOKEN_ARABIC || is_definite(c, w) ||
        is_common_word(c, w, 0, FUNCTION_WORD_SHARE))
        return NONE;
    /* a verb in the present (تحالف يضم مصر) is no name's word */
    uint32_t cp;
    const char *ww = c->tokens[w].norm;
    if (kh_utf8_decode((const unsigned char *)ww, strlen(ww), &cp) && cp == YEH) return NONE;
    if (c->tok[w].cover != NO_COVER) {
        const cand *o = CAND(c, c->tok[w].cover);
        if (o->type != KH_ENTITY_ORG || o->last != a) return NONE;
    }
    return w;
}

/* A party or movement named with a place (حركة نداء تونس، حزب نداء
 * تونس): a party noun, one word without the article, then a place the
 * tagger or the table found make an organisation, نداء تونس, not a
 * mention of Tunisia; the same two words elsewhere in the article, without
 * the noun, too. */
enum { PARTY_SHORT = 1u << 0 };

static int party_cands(ctx *c)
{
    kh_entity_scratch *s = c->s;
    map *names = &s->forms; /* free until article_cands */
    map_clear(names);
    int fresh;
    size_t n = s->cands.len;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t ci = 0; ci < n; ci++) {
            cand *x = CAND(c, ci);
            if (x->type != KH_ENTITY_LOC || x->dropped || x->nested || x->link == LINK_NISBA) continue;
            size_t w = party_name_start(c, x);
            if (w == NONE) continue;
            if (phrase_key(c, w, x->last, 0, 0)) return -1;
            uint64_t h = hash_of(s->phrase.data, s->phrase.len);
            if (pass == 0) {
                const tok_info *p = w ? &c->tok[w - 1] : NULL;
                if (!p || !p->word || p->run != c->tok[w].run) continue;
                const char *hw = STOK(c, w - 1);
                size_t hn = p->skey_len;
                if (has_prefix(hw, hn, c->l->article, 4)) hw += 4, hn -= 4;
                if (!map_find(&c->t->parties, hash_of(hw, hn))) continue;
                if (!map_put(names, h, &fresh)) return -1;
                continue;
            }
            if (!map_find(names, h)) continue;
            size_t last = x->last;
            if (c->tok[w].cover != NO_COVER) CAND(c, c->tok[w].cover)->dropped = 1;
            x->dropped = 1;
            cand *o = add_cand(c, w, last, KH_ENTITY_ORG, FROM_PARTY);
            if (!o) return -1;
            cover(c, w, last, s->cands.len - 1);
            /* its short name: the first word with the article */
            kh_buf *b = &s->phrase;
            b->len = 0;
            if (kh_buf_append(b, c->l->article, 4) || kh_buf_append(b, TOK(c, w), c->tok[w].key_len))
                return -1;
            slot *sl = map_put(names, hash_of(b->data, b->len), &fresh);
            if (!sl) return -1;
            if (!(sl->flags & PARTY_SHORT)) sl->a = (uint32_t)(s->cands.len - 1);
            sl->flags |= PARTY_SHORT;
        }
    }
    /* the short name alone elsewhere in the article (نداء تونس ...
     * والنداء): no other name but the party's there */
    for (size_t i = 0; i < c->n && names->used; i++) {
        const tok_info *t = &c->tok[i];
        if (!t->word || t->cover != NO_COVER || c->tokens[i].kind != KHABAR_TOKEN_ARABIC) continue;
        const slot *sl = map_find(names, hash_of(STOK(c, i), t->skey_len));
        if (!sl || !(sl->flags & PARTY_SHORT)) continue;
        size_t full = sl->a;
        cand *o = add_cand(c, i, i + 1, KH_ENTITY_ORG, FROM_PARTY);
        if (!o) return -1;
        o->same_as = full + 1;
        cover(c, i, i + 1, s->cands.len - 1);
    }
    /* حزب before a party's name is part of it (ANERcorp: حزب B-ORG 81
     * times, O 5), also before حركة and the name (لحزب حركة نداء تونس);
     * حركة alone is not (O 13 times, B-ORG 4) */
    for (size_t ci = 0; ci < s->cands.len; ci++) {
        cand *x = CAND(c, ci);
        if (x->source != FROM_PARTY || x->dropped || x->first < 1) continue;
        size_t p = x->first - 1;
        for (int hop = 0; hop < 2; hop++) {
            const tok_info *t = &c->tok[p];
            /* free, or left to a name dropped for the party's (حركة نداء tagged apart) */
            if (!t->word || t->run != c->tok[x->first].run ||
                (t->cover != NO_COVER && !CAND(c, t->cover)->dropped))
                break;
            if (t->skey_len == 6 && !memcmp(STOK(c, p), c->l->hizb, 6)) {
                x->key_skip = (uint8_t)(x->first - p);
                x->first = x->name_first = p;
                x->lead = t->proclitics;
                x->elided = t->elided;
                cover(c, p, x->last, ci);
                break;
            }
            /* حركة, one of the party nouns, between them */
            if (hop || !p || t->proclitics || !map_find(&c->t->parties, hash_of(STOK(c, p), t->skey_len)))
                break;
            p--;
        }
    }
    return 0;
}

/* Whether the one-word name at token i reads as the adjective of the
 * definite noun before it (العالم العربي، الفريق الهلالي: not the club
 * العربي nor a surname): itself definite, without a clitic, the
 * relational adjective of a common noun (relational: عرب، هلال; not
 * الزبداني، الشوباني), after a definite word that is no title (الشيخ
 * الخراساني) nor a club's noun (النادي الأهلي).  In ANERcorp's training
 * part a definite word ending in ي after a definite word is no name 2,204
 * times of 2,216. */
static int adjective_after_noun(ctx *c, size_t i)
{
    const tok_info *t = &c->tok[i];
    if (i == 0 || t->proclitics || !is_definite(c, i) || !has_suffix(STOK(c, i), t->skey_len, c->l->yeh, 2) ||
        !relational(c, i))
        return 0;
    const tok_info *p = &c->tok[i - 1];
    if (!p->word || p->run != t->run || !is_definite(c, i - 1)) return 0;
    const char *w = STOK(c, i - 1);
    size_t n = p->skey_len;
    return !map_find(&c->t->ranks, hash_of(w, n)) && !map_find(&c->t->org_nouns, hash_of(w + 4, n - 4));
}

/* Titles of works: a noun of a work (TITLE lines: برنامج، فيلم، بعنوان،
 * تطبيق), with or without the article, up to TITLE_GAP definite words
 * after it (تطبيق التراسل), a quotation mark, one to TITLE_WORDS words or
 * numbers, and a closing mark make a MISC name: برنامج « حبيب الملايين »،
 * بعنوان « الناس وأنا »، تطبيق التراسل " واتساب ".  The words are
 * untagged, or make one name of the tagger's that the table does not know
 * and that is no organisation (مسرحية " ثورة دون كي شوت ": the tagger's
 * person دون كي شوت). */
static int quoted_cands(ctx *c, const map *nouns, unsigned type, unsigned source)
{
    if (!nouns->used) return 0;
    for (size_t i = 0; i + 3 < c->n; i++) {
        const tok_info *t = &c->tok[i];
        if (!t->word || t->cover != NO_COVER) continue;
        const char *w = STOK(c, i);
        size_t wn = t->skey_len;
        if (is_definite(c, i)) w += 4, wn -= 4;
        if (!map_find(nouns, hash_of(w, wn))) continue;
        size_t q = i + 1;
        while (q < c->n && q - i <= TITLE_GAP && c->tok[q].word && c->tok[q].run == t->run &&
               (c->tok[q].cover == NO_COVER || CAND(c, c->tok[q].cover)->source == FROM_NISBA) &&
               !c->tok[q].proclitics && is_definite(c, q)) /* المؤسسة التونسية " نساء وذاكرة " */
            q++;
        if (q >= c->n || !c->tok[q].quote || c->tok[q].run != t->run) continue;
        /* after a definite noun, an opening mark: an even number of them
         * before it in the sentence (يدرسون بالكتاب" مبينا ان "... closes a
         * quotation) */
        size_t marks = 0;
        for (size_t p = i; wn < t->skey_len && p-- > 0 && c->tok[p].run == t->run;) marks += c->tok[p].quote;
        if (marks % 2) continue;
        size_t a = q + 1, k = a, words = 0, inner = NONE;
        int clear = 1;
        while (k < c->n && c->tok[k].run == t->run && !c->tok[k].quote && words <= TITLE_WORDS &&
               (c->tok[k].word || c->tokens[k].kind == KHABAR_TOKEN_NUMBER)) {
            words += c->tok[k].word;
            size_t ci = c->tok[k].cover;
            if (ci != NO_COVER) {
                const cand *o = CAND(c, ci);
                if (o->source != FROM_TAGGER || o->known || o->type == KH_ENTITY_ORG || o->first < a ||
                    (inner != NONE && inner != ci))
                    clear = 0;
                inner = ci;
            }
            k++;
        }
        if (!clear || !words || words > TITLE_WORDS || k >= c->n || !c->tok[k].quote || c->tok[k].run != t->run)
            continue;
        if (inner != NONE) {
            cand *o = CAND(c, inner);
            if (o->last > k) continue;
            if (o->first == a && o->last == k) { /* the tagger's own span: its repeats follow it */
                o->type = (uint8_t)type;
                i = k;
                continue;
            }
            o->dropped = 1;
        }
        if (!add_cand(c, a, k, type, source)) return -1;
        cover(c, a, k, c->s->cands.len - 1);
        i = k;
    }
    return 0;
}

/* Quoted names after a work's noun (TITLE lines) are MISC, after an
 * organisation's (QUOTEDORG lines: صحيفة " السفير "، مجلة " تايم "، المؤسسة
 * التونسية " نساء وذاكرة ": ANERcorp marks the name ORG 13 times of 14
 * after such nouns) an organisation. */
static int title_cands(ctx *c)
{
    return quoted_cands(c, &c->t->titles, KH_ENTITY_MISC, FROM_TITLE) ||
           quoted_cands(c, &c->t->quoted_orgs, KH_ENTITY_ORG, FROM_TAGGER);
}

/* Festivals and fairs named by their place (EVENT lines): the noun in
 * construct, a place or a name the tagger or the table found, and up to
 * EVENT_ADJECTIVES definite adjectives of a nisba's shape that name no
 * country nor are as common as التي (السينمائي، الدولي، المسرحية) make a MISC name: مهرجان
 * البندقية (ANERcorp: O B-MISC), معرض طهران الدولي (O B-MISC I-MISC), the
 * place no longer a mention of itself.  A noun that is part of the name
 * (EVENT_INSIDE: أيام قرطاج المسرحية) needs an adjective after the place,
 * and takes one (أيام قرطاج alone are days in Carthage; the words after
 * its adjective are the sentence's: أيام قرطاج المسرحية الثنائي ...). */
static int event_cands(ctx *c)
{
    if (!c->t->events.used) return 0;
    for (size_t i = 0; i + 1 < c->n; i++) {
        const tok_info *t = &c->tok[i];
        if (!t->word || t->cover != NO_COVER || is_definite(c, i)) continue;
        const slot *ev = map_find(&c->t->events, hash_of(STOK(c, i), t->skey_len));
        if (!ev) continue;
        size_t j = i + 1;
        const tok_info *u = &c->tok[j];
        if (!u->word || u->run != t->run || u->cover == NO_COVER || u->proclitics) continue;
        cand *x = CAND(c, u->cover);
        if (x->first != j || x->last - x->first > 2 || x->type == KH_ENTITY_PER || x->nested) continue;
        int inside = (ev->flags & EVENT_INSIDE) != 0;
        size_t k = x->last, most = inside ? 1 : EVENT_ADJECTIVES; /* أيام قرطاج المسرحية، not الثنائي after it */
        while (k < c->n && k - x->last < most) {
            if (!nisba_shaped(c, k, t->run) || c->tok[k].cover != NO_COVER ||
                nisba_find(c, STOK(c, k), c->tok[k].skey_len) || is_common_word(c, k, 0, FUNCTION_WORD_SHARE)) /* التي */
                break;
            k++;
        }
        if (inside && k == x->last) continue;
        size_t first = inside ? i : j;
        x->dropped = 1;
        cover(c, j, x->last, NONE);
        if (!add_cand(c, first, k, KH_ENTITY_MISC, FROM_TITLE)) return -1;
        cover(c, first, k, c->s->cands.len - 1);
        i = k - 1;
    }
    return 0;
}

/* Whether word i has no clitic but the article (no pronoun: منعه،
 * حينها) and makes up less than 1/share of news text. */
static int rare_bare_word(const ctx *c, size_t i, unsigned share)
{
    unsigned pieces = 0;
    for (const char *q = c->tokens[i].segments; q && *q; q++) pieces += *q == '+';
    if (pieces > (unsigned)is_definite(c, i)) return 0;
    return !is_common_word(c, i, 0, share);
}

/* A person's name the tagger missed after an occupation (ROLE lines, with
 * the article: للمخرج حافظ زليط، للفنانة المسرحية التونسية منى تلمودي):
 * up to ROLE_ADJECTIVES definite adjectives of a nisba's shape after it,
 * then two untagged words without clitics, the first without the article
 * and rarer than one word in ROLE_FIRST_SHARE of news, the second rarer
 * than one in ROLE_LAST_SHARE (not المحامي ضمن نظام ...); or such a first
 * name before the tagger's person of one word, the surname. */
static int role_person_cands(ctx *c)
{
    if (!c->t->roles.used) return 0;
    for (size_t i = 0; i + 2 < c->n; i++) {
        const tok_info *t = &c->tok[i];
        if (!t->word || t->cover != NO_COVER || !is_definite(c, i) ||
            !map_find(&c->t->roles, hash_of(STOK(c, i) + 4, t->skey_len - 4)))
            continue;
        size_t j = i + 1;
        while (j < c->n && j - i <= ROLE_ADJECTIVES && nisba_shaped(c, j, t->run) &&
               (c->tok[j].cover == NO_COVER || CAND(c, c->tok[j].cover)->source == FROM_NISBA))
            j++;
        if (j + 2 > c->n) continue;
        /* the tagger's person of one word right after a first name: the
         * name's surname (المخرج التونسي لطفي عاشور) */
        const tok_info *v = &c->tok[j], *w = &c->tok[j + 1];
        if (v->word && v->run == t->run && v->cover == NO_COVER && !v->proclitics && !is_definite(c, j) &&
            c->tokens[j].kind == KHABAR_TOKEN_ARABIC && rare_bare_word(c, j, ROLE_FIRST_SHARE) &&
            w->run == t->run && w->cover != NO_COVER) {
            cand *o = CAND(c, w->cover);
            if (o->type == KH_ENTITY_PER && o->source == FROM_TAGGER && !o->known && o->first == j + 1 &&
                o->last == j + 2) {
                o->first = o->name_first = j;
                o->lead = 0;
                o->elided = 0;
                cover(c, j, j + 2, w->cover);
                i = j + 1;
                continue;
            }
        }
        int name = 1;
        for (size_t k = j; k < j + 2; k++) {
            const tok_info *u = &c->tok[k];
            name &= u->word && u->run == t->run && u->cover == NO_COVER && !u->proclitics &&
                    c->tokens[k].kind == KHABAR_TOKEN_ARABIC && !is_common_word(c, k, 0, COMMON_WORD_SHARE);
        }
        if (!name || is_definite(c, j) || nisba_find(c, STOK(c, j + 1), c->tok[j + 1].skey_len) ||
            !rare_bare_word(c, j, ROLE_FIRST_SHARE) || !rare_bare_word(c, j + 1, ROLE_LAST_SHARE))
            continue;
        if (!add_cand(c, j, j + 2, KH_ENTITY_PER, FROM_TAGGER)) return -1;
        cover(c, j, j + 2, c->s->cands.len - 1);
        i = j + 1;
    }
    return 0;
}

/* A name of two words the tagger left out of a list of people: و (which
 * the segmenter may leave on an unknown name), a first name and a
 * surname, none of them a common word, right after a
 * person the tagger found and before another one that begins with و or
 * the end of the sentence or a punctuation mark (أنور الشعابي وعزيزة
 * بولبيار ونصاف بن حفصية، وليلى طوبال ودليلة المفتاحي.). */
static int listed_person_cands(ctx *c)
{
    for (size_t ci = 0; ci < c->s->cands.len; ci++) {
        const cand *x = CAND(c, ci);
        size_t e = x->last, f = e + 2;
        if (x->type != KH_ENTITY_PER || x->dropped || f > c->n) continue;
        const tok_info *a = &c->tok[e], *b = &c->tok[e + 1];
        const char *w = c->tokens[e].norm;
        if (a->run != c->tok[x->first].run || b->run != a->run || a->cover != NO_COVER ||
            b->cover != NO_COVER || !w || a->norm_len < 8 || memcmp(w, c->l->waw, 2) ||
            c->tokens[e].kind != KHABAR_TOKEN_ARABIC || c->tokens[e + 1].kind != KHABAR_TOKEN_ARABIC ||
            is_common_word(c, e, a->proclitics, COMMON_WORD_SHARE) ||
            is_common_word(c, e + 1, b->proclitics, COMMON_WORD_SHARE) || b->proclitics)
            continue;
        int ends = f == c->n || c->tok[f].run != a->run || (!c->tok[f].word && !c->tok[f].quote);
        if (!ends && c->tok[f].cover != NO_COVER) {
            const cand *y = CAND(c, c->tok[f].cover);
            const char *v = c->tokens[f].norm;
            ends = y->type == KH_ENTITY_PER && y->first == f && v && !memcmp(v, c->l->waw, 2);
        }
        if (!ends) continue;
        if (!add_cand(c, e, f, KH_ENTITY_PER, FROM_TAGGER)) return -1;
        cover(c, e, f, c->s->cands.len - 1);
    }
    return 0;
}

/* A radio named with its band (STATION lines: أف أم، إف إم): the word
 * before the band is the station's name, an organisation, whatever the
 * tagger made of the two (the band alone a MISC, the name left out).  The
 * band is part of the name when nothing stands between them (للجوهرة أف
 * أم), not when a quotation mark does (الجوهرة "أف أم"), as ANERcorp's
 * conventions keep quotation marks out of names. */
static int station_cands(ctx *c)
{
    if (!c->t->stations.used) return 0;
    kh_buf *b = &c->s->phrase;
    for (size_t i = 2; i + 1 < c->n; i++) {
        const tok_info *t = &c->tok[i];
        if (!t->word || !c->tok[i + 1].word || c->tok[i + 1].run != t->run) continue;
        b->len = 0;
        if (kh_buf_append(b, TOK(c, i), t->key_len) || kh_buf_putc(b, ' ') ||
            kh_buf_append(b, TOK(c, i + 1), c->tok[i + 1].key_len))
            return -1;
        if (!map_find(&c->t->stations, hash_of(b->data, b->len))) continue;
        size_t name = i - 1;
        int quoted = c->tok[name].quote && c->tok[name].run == t->run;
        if (quoted) name--;
        const tok_info *w = &c->tok[name];
        /* not is_common_word: the ANT corpus, Jawhara FM's news, has الجوهرة 1 word in 400 */
        if (!w->word || w->run != t->run || function_word(c, name, w->proclitics, NULL))
            continue;
        size_t last = quoted ? name + 1 : i + 2;
        for (size_t k = name; k < i + 2; k++) {
            if (c->tok[k].cover == NO_COVER) continue;
            cand *o = CAND(c, c->tok[k].cover);
            o->dropped = 1;
            cover(c, o->first, o->last, NONE);
        }
        if (!add_cand(c, name, last, KH_ENTITY_ORG, FROM_TAGGER)) return -1;
        cover(c, name, last, c->s->cands.len - 1);
        i++;
    }
    return 0;
}

/* Sports clubs named by a head word and the sports adjective (CLUB
 * lines), the tagger's guess over them or not: الترجي الرياضي، النجم
 * الرياضي الساحلي، الإتحاد الرياضي المنستيري; or a town's name and the
 * adjective (الزهراء الرياضية، قرمبالية الرياضية).  A nisba after the
 * adjective, not another club's head (الترجي الرياضي النادي الإفريقي), goes with the name (its country's cover nested in it), and
 * heads marked "named" (النادي، الجمعية: النادي الرياضي is also any
 * sports club) need one.  The adjective after any other word is a
 * description (الموسم الرياضي، المركب الرياضي).  ANT (Tunisian news) has
 * such names some 1,000 times; the tagger finds few of them. */
static int club_cands(ctx *c)
{
    if (!c->t->clubs.used) return 0;
    for (size_t i = 0; i + 1 < c->n; i++) {
        const tok_info *t = &c->tok[i], *a = &c->tok[i + 1];
        if (!t->word || !a->word || a->run != t->run || a->proclitics || !is_definite(c, i)) continue;
        const slot *sport = map_find(&c->t->clubs, hash_of(STOK(c, i + 1), a->skey_len));
        if (!sport || !(sport->flags & CLUB_SPORT)) continue;
        const slot *head = map_find(&c->t->clubs, hash_of(STOK(c, i), t->skey_len));
        if (head && (head->flags & CLUB_SPORT)) continue;
        if (!head) {
            const slot *town = map_find(&c->t->names, hash_of(STOK(c, i), t->skey_len));
            /* a city's name, however common the word is otherwise (الزهراء of فاطمة
             * الزهراء), but no common noun with the article toggled (المدينة) */
            if (!town || !(town->flags & NAME_FULL) || (town->flags & NAME_COMMON) ||
                !(known_at(c, town->a + 1)->flags & KNOWN_CITY))
                continue;
        }
        size_t last = i + 1, k = i + 2;
        if (k < c->n && nisba_shaped(c, k, t->run) && !function_word(c, k, 0, NULL) &&
            !map_find(&c->t->clubs, hash_of(STOK(c, k), c->tok[k].skey_len)) &&
            (c->tok[k].cover == NO_COVER || CAND(c, c->tok[k].cover)->source == FROM_NISBA ||
             CAND(c, c->tok[k].cover)->first >= i))
            last = k;
        if (head && (head->flags & CLUB_NAMED) && last == i + 1) continue;
        /* the tagger's names within it give way (النجم alone a person,
         * المنستيري a place); one reaching out of it stays, and so does it */
        int outside = 0;
        for (size_t j = i; j <= last; j++) {
            if (c->tok[j].cover == NO_COVER) continue;
            const cand *o = CAND(c, c->tok[j].cover);
            if (o->first < i || o->last > last + 1) outside = 1;
        }
        if (outside) continue;
        for (size_t j = i; j <= last; j++) {
            if (c->tok[j].cover == NO_COVER) continue;
            cand *o = CAND(c, c->tok[j].cover);
            if (o->source == FROM_NISBA) {
                o->nested = 1;
                continue;
            }
            o->dropped = 1;
            cover(c, o->first, o->last, NONE);
        }
        if (!add_cand(c, i, last + 1, KH_ENTITY_ORG, FROM_CLUB)) return -1;
        cover(c, i, last + 1, c->s->cands.len - 1);
        i = last;
    }
    return 0;
}

/* Whether a person's surname alone at word i may be the person: not a
 * month's or a day's name (هلال رمضان ... رمضان), nor a name after a noun
 * that makes it a place's (منطقة علاوي الحلة). */
static int surname_at(const ctx *c, size_t i)
{
    const kh_vec *cls = &c->d->token_classes;
    if (i < cls->len && (KH_AT(*cls, uint64_t, i) & (KH_F(KH_F_MONTH) | KH_F(KH_F_HMONTH) | KH_F(KH_F_WDAY))))
        return 0;
    return noun_before(c, i, &c->t->loc_nouns) == NONE;
}

/* Untagged repeats of what the tagger found elsewhere in the article: a
 * name of several words always, one word when the tagger marked it at
 * least as often as not; and a person's surname alone, as often as his
 * full name at most (منجي الرحوي ... وأضاف الرحوي: ترامب, أوباما). */
static int article_cands(ctx *c)
{
    kh_entity_scratch *s = c->s;
    map *m = &s->forms;
    map_clear(m);
    memset(s->form_bits, 0, sizeof s->form_bits);
    int fresh;
    size_t n = s->cands.len;
    for (size_t ci = 0; ci < n; ci++) {
        const cand *x = CAND(c, ci);
        /* a name after an organisation noun repeats no place (نادي جدة ... جدة) */
        if (x->source != FROM_TAGGER || x->dropped || x->nested || x->title) continue;
        if (phrase_key(c, x->first, x->last, x->lead, x->elided)) return -1;
        const char *k = s->phrase.data;
        size_t kn = s->phrase.len;
        const char *sp = memchr(k, ' ', kn);
        bits_set(s->form_bits, FORM_BITS, hash_of(k, sp ? (size_t)(sp - k) : kn));
        for (size_t i = 0; i < kn; i++) {
            if (k[i] != ' ') continue;
            slot *sl = map_put(m, hash_of(k, i), &fresh);
            if (!sl) return -1;
            sl->flags |= NAME_PREFIX;
        }
        slot *sl = map_put(m, hash_of(k, kn), &fresh);
        if (!sl) return -1;
        if (!(sl->flags & NAME_FULL)) sl->a = (uint32_t)ci;
        sl->flags |= NAME_FULL;
        sl->b++; /* times tagged */
        /* a person's surname alone: his, counted as often as the full name
         * (منجي الرحوي ... وأضاف الرحوي); not a word as common as 1 in
         * COMMON_WORD_SHARE, nor after a kinship word (بن سلمان) */
        const char *last = NULL;
        for (size_t q = kn; q-- > 0 && !last;)
            if (k[q] == ' ') last = k + q;
        if (x->type != KH_ENTITY_PER || x->known || !last) continue;
        size_t ln = kn - (size_t)(last + 1 - k);
        size_t lw = x->last - 1;
        if (letter_count(last + 1, ln) < 3 || is_common_word(c, lw, 0, COMMON_WORD_SHARE) ||
            (lw > x->first && map_find(&c->t->kin, hash_of(STOK(c, lw - 1), c->tok[lw - 1].skey_len))))
            continue;
        bits_set(s->form_bits, FORM_BITS, hash_of(last + 1, ln));
        sl = map_put(m, hash_of(last + 1, ln), &fresh);
        if (!sl) return -1;
        if (!(sl->flags & NAME_FULL)) {
            sl->a = (uint32_t)ci;
            sl->flags |= FORM_SURNAME;
        }
        sl->flags |= NAME_FULL;
        sl->b++;
    }
    if (!m->used) return 0;
    /* the untagged repeats, counted; then kept */
    s->repeats.len = 0;
    for (size_t i = 0; i < c->n;) {
        match mt;
        if (!c->tok[i].word || c->tok[i].cover != NO_COVER) {
            i++;
            continue;
        }
        if (longest(c, m, s->form_bits, FORM_BITS, i, 0, 1, &mt)) return -1;
        if (!mt.last) {
            i++;
            continue;
        }
        if (phrase_key(c, i, mt.last, mt.lead, mt.elided)) return -1;
        slot *sl = map_find(m, hash_of(s->phrase.data, s->phrase.len));
        sl->c++; /* times not tagged */
        repeat *r = kh_vec_push(&s->repeats, sizeof *r);
        if (!r) return -1;
        *r = (repeat){i, mt.last, (size_t)(sl - m->slots), mt.lead, mt.elided};
        i = mt.last;
    }
    for (size_t k = 0; k < s->repeats.len; k++) {
        const repeat *f = &((const repeat *)s->repeats.data)[k];
        size_t i = f->first;
        const slot *sl = &m->slots[f->slot];
        int several = next_word(c, i, c->tok[i].run) < f->last;
        if (!several && (sl->b < sl->c || function_word(c, i, f->lead, NULL) || /* آنا ... أنا */
                         adjective_after_noun(c, i) || ((sl->flags & FORM_SURNAME) && !surname_at(c, i))))
            continue;
        const cand *src = CAND(c, sl->a);
        uint32_t id1 = src->known;
        unsigned type = src->type, link = src->link;
        cand *x = add_cand(c, i, f->last, type, FROM_ARTICLE);
        if (!x) return -1;
        set_link(x, id1, link, f->lead, f->elided);
        cover(c, i, f->last, s->cands.len - 1);
    }
    return 0;
}

/* A place and an adjective of a side (أوروبا الغربية، أميركا الشمالية،
 * القدس الغربية): when the place alone is a known one, and not the
 * thing the whole names, it is the name proper (SIDE lines). */
static void side_names(ctx *c)
{
    for (size_t ci = 0; ci < c->s->cands.len; ci++) {
        cand *x = CAND(c, ci);
        size_t a = x->first;
        if (x->type != KH_ENTITY_LOC || x->dropped || x->last != a + 2 || x->name_first != a ||
            x->name_last != x->last || !c->tok[a].word || !c->tok[a + 1].word ||
            !map_find(&c->t->sides, hash_of(STOK(c, a + 1), c->tok[a + 1].skey_len)))
            continue;
        uint32_t id1 = exact_known(c, a, a + 1, x->lead, x->elided, KH_ENTITY_LOC);
        if (id1 && id1 != x->known) x->name_last = a + 1;
    }
}

/* Assemblies and parties named in construct (BODY lines): the noun
 * without the article, untagged, then a definite word the tagger left
 * untagged too, or an indefinite one and a definite one (مجلس الشعب،
 * مجلس الشورى، مجلس نواب الشعب، مجلس حقوق الإنسان); for a noun marked
 * "and", و and one more definite word (حزب الحرية والعدالة: after مجلس
 * it is mostly another thing, مجلس النواب والحكومة).  Up to two
 * adjectives ending in ي go on with it (مجلس الشؤون الاقتصادية، حزب
 * القوات اللبنانية), others are left out (مجلس الشيوخ المعارض); the cover
 * of a nationality adjective stays its country's too.  With the article,
 * such adjectives alone name it: المجلس العسكري، الحزب الجمهوري.  An
 * organisation in analyze, a
 * description in ner --conll's labels. */
static int body_cands(ctx *c)
{
    for (size_t i = 0; i + 1 < c->n; i++) {
        const tok_info *t = &c->tok[i];
        const slot *noun;
        if (!t->word || t->cover != NO_COVER) continue;
        const char *w = STOK(c, i);
        size_t wn = t->skey_len;
        int definite = is_definite(c, i);
        if (definite) w += 4, wn -= 4;
        if (!(noun = map_find(&c->t->bodies, hash_of(w, wn)))) continue;
        size_t k = i + 1, last = NONE;
        /* المجلس العسكري، الحزب الجمهوري: with the article, the adjectives
         * below name it */
        if (definite) last = i;
        for (; !definite && k < c->n && k <= i + 2; k++) {
            const tok_info *w = &c->tok[k];
            if (!w->word || w->run != t->run || w->cover != NO_COVER || w->proclitics ||
                c->tokens[k].kind != KHABAR_TOKEN_ARABIC || function_word(c, k, 0, NULL))
                break;
            if (is_definite(c, k)) {
                last = k;
                break;
            }
            if (is_common_word(c, k, 0, FUNCTION_WORD_SHARE)) break; /* حزب رئيس الوزراء */
        }
        /* the council of another institution is its organ, no name of its
         * own: مجلس الإدارة، مجلس إدارة البنك، مجلس الهيئة */
        if (last == NONE || (!definite && head_noun(c, i + 1))) continue;
        /* adjectives of the shape of a nisba (اللبنانية، الاقتصادية،
         * الخليجي، الأمريكي) go on with the name: حزب القوات اللبنانية;
         * others are mostly said of it (مجلس الشيوخ المعارض) */
        for (k = last + 1; k < c->n && k <= last + 2; k++) {
            const tok_info *w = &c->tok[k];
            int nisba = w->cover != NO_COVER && CAND(c, w->cover)->source == FROM_NISBA;
            if (!nisba_shaped(c, k, t->run) || (w->cover != NO_COVER && !nisba) ||
                function_word(c, k, 0, NULL)) /* الذي */
                break;
            if (nisba) CAND(c, w->cover)->nested = 1;
            last = k;
        }
        if (last == i) continue; /* المجلس alone */
        k = last + 1;
        if ((noun->flags & BODY_AND) && !definite && k < c->n && c->tok[k].word && c->tok[k].run == t->run &&
            c->tok[k].cover == NO_COVER && c->tok[k].proclitics == 1 && is_definite(c, k) &&
            !function_word(c, k, 1, NULL)) {
            uint32_t cp = 0;
            kh_utf8_decode((const unsigned char *)c->tokens[k].span.text, c->tokens[k].span.text_len, &cp);
            if (cp == WAW) last = k;
        }
        cand *x = add_cand(c, i, last + 1, KH_ENTITY_ORG, FROM_BODY);
        if (!x) return -1;
        cover(c, i, last + 1, c->s->cands.len - 1);
        i = last;
    }
    return 0;
}

/* Whether word k, untagged or a nationality adjective, in the sentence of word i and without
 * proclitics, is a definite adjective that may go on with an institute's
 * name: of a nisba's shape (الوطني، الوطنية، التونسي) or an INSTITUTE
 * adj line's (العام); at its `tail`, after what it is for, a plural one
 * too (التونسيين), but only a word of INSTITUTE_TAIL_COUNT or more in the
 * reference corpus unless it is a nationality adjective or feminine (the
 * names it keeps out are men's: للملكية الفكرية stays whole). */
static int institute_adjective(ctx *c, size_t i, size_t k, int tail)
{
    const tok_info *w = &c->tok[k];
    if (k >= c->n || !w->word || w->run != c->tok[i].run || w->proclitics ||
        (w->cover != NO_COVER && CAND(c, w->cover)->source != FROM_NISBA) ||
        !is_definite(c, k) || function_word(c, k, 0, NULL))
        return 0;
    const char *s = STOK(c, k);
    size_t n = w->skey_len;
    if (tail && w->cover == NO_COVER && !has_suffix(s, n, c->l->yeh_heh, 4) &&
        (!c->vocab || kh_lexicon_count_normal(c->vocab, c->tokens[k].norm, w->norm_len) < INSTITUTE_TAIL_COUNT))
        return 0;
    if (has_suffix(s, n, c->l->yeh, 2) || has_suffix(s, n, c->l->yeh_heh, 4)) return 1;
    if (tail && (has_suffix(s, n, c->l->yeh_yeh_noon, 6) || has_suffix(s, n, c->l->yeh_waw_noon, 6)))
        return 1;
    const slot *a = map_find(&c->t->institutes, hash_of(s, n));
    return a && (a->flags & INSTITUTE_ADJ);
}

/* Unions, institutes, banks and federations named by their head noun (an
 * INSTITUTE line, with the article), adjectives and what they are for,
 * with ل: الاتحاد العام التونسي للشغل، النقابة الوطنية للصحفيين
 * التونسيين، المعهد الوطني للإحصاء، الاتحاد الدولي لكرة القدم, all untagged.
 * ANERcorp has such names whole, head inside (المنظمة العالمية للملكية
 * الفكرية، البنك الآسيوي للتنمية، الوكالة الدولية للطاقة الذرية); heads it
 * marks O (المركز، الهيئة، اللجنة، المؤسسة) are not listed.  Without the ل
 * part the name is not made: الاتحاد الأوروبي is the table's, البنك
 * المركزي a description as often as a name. */
static int institute_cands(ctx *c)
{
    if (!c->t->institutes.used) return 0;
    for (size_t i = 0; i + 2 < c->n; i++) {
        const tok_info *t = &c->tok[i];
        if (!t->word || t->cover != NO_COVER || !is_definite(c, i)) continue;
        const slot *head = map_find(&c->t->institutes, hash_of(STOK(c, i), t->skey_len));
        if (!head || (head->flags & (INSTITUTE_ADJ | INSTITUTE_NOT))) continue;
        size_t k = i + 1;
        while (k < c->n && k <= i + 3 && institute_adjective(c, i, k, 0)) k++;
        if (k == i + 1 || k >= c->n) continue;
        /* what it is for: ل and a definite word (للشغل، للإحصاء), or ل and
         * a word in construct with a definite one (لكرة القدم) */
        const tok_info *g = &c->tok[k];
        if (!g->word || g->run != t->run || g->cover != NO_COVER || !g->proclitics || !c->tokens[k].norm ||
            memcmp(c->tokens[k].norm + 2 * (g->proclitics - 1), c->l->lam, 2) || function_word(c, k, g->proclitics, NULL))
            continue;
        const slot *purpose = map_find(&c->t->institutes, hash_of(STOK(c, k), g->skey_len));
        if (purpose && (purpose->flags & INSTITUTE_NOT)) continue; /* الاتحاد الإنجليزي للمرة الثانية */
        size_t last = k;
        if (!is_definite(c, k)) {
            const tok_info *d = k + 1 < c->n ? &c->tok[k + 1] : NULL;
            if (!d || !d->word || d->run != t->run || d->cover != NO_COVER || d->proclitics || !is_definite(c, k + 1) ||
                function_word(c, k + 1, 0, NULL))
                continue;
            last = k + 1;
        }
        while (last + 1 < c->n && last < k + 3 && institute_adjective(c, i, last + 1, 1)) last++;
        /* the cover of a nationality adjective stays its country's too */
        for (size_t j = i + 1; j <= last; j++)
            if (c->tok[j].cover != NO_COVER) CAND(c, c->tok[j].cover)->nested = 1;
        if (!add_cand(c, i, last + 1, KH_ENTITY_ORG, FROM_INSTITUTE)) return -1;
        cover(c, i, last + 1, c->s->cands.len - 1);
        i = last;
    }
    return 0;
}

static int reading_cmp(const void *pa, const void *pb)
{
    const reading *a = pa, *b = pb;
    if (a->first != b->first) return a->first < b->first ? -1 : 1;
    if (a->last != b->last) return a->last > b->last ? -1 : 1;
    if (a->nested != b->nested) return a->nested < b->nested ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Whether mentions of the article are compared by the key with hamza
 * seats folded: قائد السبسي and قايد السبسي, فؤاد and فواد are one name.
 * Not a single word that with its hamza is an ordinary word (رئيس is no
 * رييس).  Only mentions (and names, khabar_entity_names_relate) are
 * compared this way; the table is looked up by the key as written
 * (add_seat_alias: its names are also found without their hamza). */
static int seat_key(const ctx *c, const char *key, size_t n)
{
    if (!has_hamza_seat(c->l, key, n)) return 0;
    return memchr(key, ' ', n) || !ordinary_word(c, key, n);
}

/* The candidates left, in reading order, each with its key. */
static int reading_order(ctx *c)
{
    kh_entity_scratch *s = c->s;
    cand *cs = s->cands.data;
    size_t n = 0;
    for (size_t i = 0; i < s->cands.len; i++) n += !cs[i].dropped;
    if (vec_resize(&s->sorted, n, sizeof(reading)) || vec_resize(&s->order, n, sizeof(size_t)))
        return -1;
    reading *r = s->sorted.data;
    s->ckeys.len = s->seats.len = 0;
    for (size_t i = 0, k = 0; i < s->cands.len; i++) {
        cand *x = &cs[i];
        if (x->dropped) continue;
        r[k++] = (reading){x->first, x->last, x->nested, i};
        size_t kf = x->first + x->key_skip;
        if (phrase_key(c, kf, x->last, x->key_skip ? c->tok[kf].proclitics : x->lead,
                       x->key_skip ? c->tok[kf].elided : x->elided))
            return -1;
        x->key = s->ckeys.len;
        x->key_len = (uint32_t)s->phrase.len;
        if (kh_buf_append(&s->ckeys, s->phrase.data, s->phrase.len) ||
            kh_buf_append(&s->seats, s->phrase.data, s->phrase.len))
            return -1;
        if (seat_key(c, s->seats.data + x->key, x->key_len))
            fold_hamza_seats(c->l, s->seats.data + x->key, x->key_len);
    }
    if (!n) return 0;
    qsort(r, n, sizeof *r, reading_cmp);
    size_t *o = s->order.data;
    for (size_t i = 0; i < n; i++) {
        o[i] = r[i].index;
        cs[o[i]].order = i;
    }
    return 0;
}

/* ---- approximate matching ---- */

typedef struct fuzzy_query {
    const map *m;
    uint32_t found; /* id + 1; UINT32_MAX when ambiguous */
    unsigned want;  /* slot flags that count */
} fuzzy_query;

static void fuzzy_take(fuzzy_query *q, const slot *s)
{
    if (!s || !(s->flags & q->want) || q->found == UINT32_MAX) return;
    if (s->flags & FUZZY_AMBIGUOUS) q->found = UINT32_MAX;
    else if (!q->found) q->found = s->a + 1;
    else if (q->found != s->a + 1) q->found = UINT32_MAX;
}

static int fuzzy_visit(void *ctx, uint64_t h)
{
    fuzzy_query *q = ctx;
    fuzzy_take(q, map_find(q->m, h));
    return 0;
}

/* The one known name within one edit of key (a letter inserted, deleted,
 * changed, or two swapped); 0 when none or several. */
static uint32_t fuzzy_find(ctx *c, const char *key, size_t n)
{
    if (n > FUZZY_MAX_BYTES || letter_count(key, n) < FUZZY_LETTERS) return 0;
    fuzzy_query q = {&c->t->fuzzy, 0, FUZZY_DELETE};
    fuzzy_take(&q, map_find(q.m, hash_of(key, n)));
    q.want = FUZZY_WHOLE | FUZZY_DELETE;
    if (for_each_deletion(key, n, &c->s->tmp, fuzzy_visit, &q)) return 0;
    return q.found == UINT32_MAX ? 0 : q.found;
}

/* ---- linking ---- */

static size_t find_root(cand *cs, size_t i)
{
    while (cs[i].parent != i) {
        cs[i].parent = cs[cs[i].parent].parent;
        i = cs[i].parent;
    }
    return i;
}

/* Joins two sets; the root is the one read first, and keeps a known id
 * and the longer person's name. */
static void unite(cand *cs, size_t a, size_t b)
{
    a = find_root(cs, a);
    b = find_root(cs, b);
    if (a == b) return;
    if (cs[b].order < cs[a].order) {
        size_t t = a;
        a = b;
        b = t;
    }
    cs[b].parent = a;
    if (!cs[a].known) cs[a].known = cs[b].known;
    size_t pa = cs[a].person, pb = cs[b].person;
    if (pa == NONE || (pb != NONE && cs[pb].key_len > cs[pa].key_len)) cs[a].person = pb;
}

/* Whether every word of the name `a` is a word of `b`, in the same order
 * (عمر خراساني in أبو عمر خراساني, علي صالح in علي عبد الله صالح). */
static int words_within(const char *a, size_t an, const char *b, size_t bn)
{
    size_t j = 0;
    for (size_t i = 0; i < an;) {
        size_t e = i;
        while (e < an && a[e] != ' ') e++;
        int found = 0;
        while (j < bn && !found) {
            size_t f = j;
            while (f < bn && b[f] != ' ') f++;
            found = f - j == e - i && memcmp(a + i, b + j, e - i) == 0;
            j = f + 1;
        }
        if (!found) return 0;
        i = e + 1;
    }
    return 1;
}

/* Whether a word of a key reads as an ordinary word, not a name. */
static int ordinary_word(const ctx *c, const char *w, size_t n)
{
    float p[KH_NER_NAME_CLASSES];
    if (kh_ner_name_probs(c->ner, w, n, p) || p[0] <= ORDINARY_MAYBE) return 0;
    if (p[0] > ORDINARY_SURELY) return 1;
    return c->vocab &&
           (uint64_t)kh_lexicon_count_normal(c->vocab, w, n) * COMMON_WORD_SHARE >= kh_lexicon_total(c->vocab);
}

/* Whether the words of name `a` that name `b` lacks all look like words
 * of a name (not أمام in أمام السيسي, a tagger's span that ran into the
 * text); also when there are none. */
static int own_words_name_like(const ctx *c, const char *a, size_t an, const char *b, size_t bn)
{
    for (size_t i = 0; i < an;) {
        size_t e = i;
        while (e < an && a[e] != ' ') e++;
        if (!words_within(a + i, e - i, b, bn) && ordinary_word(c, a + i, e - i)) return 0;
        i = e + 1;
    }
    return 1;
}

/* Whether the sets of a and b may be one entity: not when each holds a
 * person's full name, neither name is within the other, and the words
 * that tell them apart look like names (عبد الله المعيوف and عبد الله
 * المطيري, each with the shortened الله linked to it; هيلاري كلينتون and
 * بيل كلينتون). */
static int same_person_possible(ctx *c, size_t a, size_t b)
{
    cand *cs = c->s->cands.data;
    size_t pa = cs[find_root(cs, a)].person, pb = cs[find_root(cs, b)].person;
    if (pa == NONE || pb == NONE) return 1;
    const char *ka = SKEY(c, &cs[pa]), *kb = SKEY(c, &cs[pb]);
    size_t na = cs[pa].key_len, nb = cs[pb].key_len;
    return words_within(ka, na, kb, nb) || words_within(kb, nb, ka, na) ||
           !own_words_name_like(c, ka, na, kb, nb) || !own_words_name_like(c, kb, nb, ka, na);
}

/* Makes the words of a person's name (its seat key, and as written when
 * that differs: a one-word mention that is an ordinary word keeps its
 * hamza, وائل) a form that shortens it. */
static int short_form(map *m, size_t ci, const char *key, const char *raw, size_t n)
{
    int fresh;
    slot *sl = map_put(m, hash_of(key, n), &fresh);
    if (!sl) return -1;
    sl->a = (uint32_t)ci;
    if (!memcmp(key, raw, n)) return 0;
    sl = map_put(m, hash_of(raw, n), &fresh);
    if (!sl) return -1;
    sl->a = (uint32_t)ci;
    return 0;
}

/* A shortened name: a mention whose words end a longer person's name in
 * the article, or are one word of it, links to the nearest such name
 * before it, else after it (أبو عمر خراساني ... خراساني; علي عبد الله صالح
 * ... صالح).  Not from after a kinship word: the سلمان of محمد بن سلمان
 * is his father. */
static int link_short_names(ctx *c)
{
    kh_entity_scratch *s = c->s;
    cand *cs = s->cands.data;
    const size_t *o = s->order.data;
    size_t no = s->order.len;
    map *m = &s->forms;
    for (int backward = 0; backward < 2; backward++) {
        map_clear(m);
        for (size_t k = 0; k < no; k++) {
            size_t ci = o[backward ? no - 1 - k : k];
            cand *x = &cs[ci];
            if (x->nested) continue;
            const char *key = SKEY(c, x), *raw = CKEY(c, x);
            size_t kn = x->key_len;
            int several = memchr(key, ' ', kn) != NULL;
            if (several && x->type == KH_ENTITY_PER && !x->known) {
                const slot *sl = map_find(m, hash_of(key, kn)); /* عمر خراساني */
                if (sl && !x->short_name) {
                    x->short_name = 1;
                    unite(cs, ci, sl->a);
                }
                int after_kin = 0, after_compound = 0;
                for (size_t a = 0; a < kn;) {
                    size_t e = a;
                    while (e < kn && key[e] != ' ') e++;
                    int kin = map_find(&c->t->kin, hash_of(key + a, e - a)) != NULL;
                    int compound = map_find(&c->t->compounds, hash_of(key + a, e - a)) != NULL;
                    if (after_kin || kin) {
                        after_kin = kin;
                        after_compound = compound; /* بن عبد الله */
                        a = e + 1;
                        continue;
                    }
                    /* الله of عبد الله صالح is no shortened form of him, alone or
                     * as the tail of عبد الله */
                    if ((!after_compound && short_form(m, ci, key + a, raw + a, e - a)) ||
                        (a && (!after_compound || e < kn) && short_form(m, ci, key + a, raw + a, kn - a)))
                        return -1;
                    after_compound = compound;
                    a = e + 1;
                }
                continue;
            }
            /* a nationality adjective may be a surname (منصور التركي ...
             * التركي); a name the table knows is not one */
            if ((x->known && x->link != LINK_NISBA) || x->short_name ||
                (several && x->type != KH_ENTITY_PER))
                continue;
            if (letter_count(key, kn) < 3) continue;
            const slot *sl = map_find(m, hash_of(key, kn));
            if (!sl) continue;
            x->short_name = 1;
            x->known = 0;
            x->link = LINK_NONE;
            x->type = KH_ENTITY_PER;
            unite(cs, ci, sl->a);
        }
    }
    return 0;
}

typedef struct article_fuzzy {
    map *m;
    cand *cs;
    size_t ci;
} article_fuzzy;

/* Joins the candidate with another whose set knows no other thing, and of
 * the same kind (a person, or not). */
static void article_fuzzy_take(article_fuzzy *q, const slot *sl, unsigned want)
{
    if (!sl || !(sl->flags & want)) return;
    cand *cs = q->cs;
    size_t other = sl->a;
    if ((cs[q->ci].type == KH_ENTITY_PER) != (cs[other].type == KH_ENTITY_PER)) return;
    size_t ra = find_root(cs, q->ci), rb = find_root(cs, other);
    if (ra == rb || (cs[ra].known && cs[rb].known && cs[ra].known != cs[rb].known)) return;
    unite(cs, ra, rb);
}

static int article_fuzzy_visit(void *ctx, uint64_t h)
{
    article_fuzzy *q = ctx;
    /* this key less a letter is another's key: that one is shorter */
    article_fuzzy_take(q, map_find(q->m, h), FUZZY_WHOLE);
    return 0;
}

static int article_fuzzy_add(void *ctx, uint64_t h)
{
    article_fuzzy *q = ctx;
    int fresh;
    slot *sl = map_put(q->m, h, &fresh);
    if (!sl) return -1;
    if (fresh) sl->a = (uint32_t)q->ci;
    sl->flags |= FUZZY_DELETE;
    return 0;
}

/* Near-misspellings within the article: a name with one letter more or
 * less than another is the same (only inserted or dropped letters: names
 * one changed letter apart are often different people, سلمان and سلطان). */
static int link_article_fuzzy(ctx *c)
{
    kh_entity_scratch *s = c->s;
    cand *cs = s->cands.data;
    const size_t *o = s->order.data;
    map *m = &s->forms;
    map_clear(m);
    int fresh;
    for (size_t k = 0; k < s->order.len; k++) {
        size_t ci = o[k];
        const cand *x = &cs[ci];
        if (x->link == LINK_NISBA || x->nested) continue;
        const char *key = SKEY(c, x);
        size_t kn = x->key_len;
        if (kn > FUZZY_MAX_BYTES || letter_count(key, kn) < FUZZY_LETTERS) continue;
        article_fuzzy q = {m, cs, ci};
        /* another's key less a letter is this one: that one is longer */
        article_fuzzy_take(&q, map_find(m, hash_of(key, kn)), FUZZY_DELETE);
        if (for_each_deletion(key, kn, &s->tmp, article_fuzzy_visit, &q)) return -1;
        slot *sl = map_put(m, hash_of(key, kn), &fresh);
        if (!sl) return -1;
        if (fresh) sl->a = (uint32_t)ci;
        sl->flags |= FUZZY_WHOLE;
        if (for_each_deletion(key, kn, &s->tmp, article_fuzzy_add, &q)) return -1;
    }
    return 0;
}

static int link(ctx *c)
{
    kh_entity_scratch *s = c->s;
    cand *cs = s->cands.data;
    for (size_t i = 0; i < s->cands.len; i++) {
        cs[i].parent = i;
        int full = cs[i].type == KH_ENTITY_PER && !cs[i].known && !cs[i].nested &&
                   memchr(CKEY(c, &cs[i]), ' ', cs[i].key_len);
        cs[i].person = full ? i : NONE;
    }
    /* the tagger's names the table does not know may be misspellings of one */
    for (size_t i = 0; i < s->cands.len; i++) {
        cand *x = &cs[i];
        if (x->dropped || x->link || x->nested || x->title || x->type == KH_ENTITY_PER) continue;
        uint32_t id1 = fuzzy_find(c, CKEY(c, x), x->key_len);
        if (id1 && link_allowed(known_at(c, id1), x->type) &&
            !title_of_place(c, x->first, x->last, known_at(c, id1), x->type)) {
            x->known = id1;
            x->link = LINK_FUZZY;
        }
    }
    if (link_short_names(c)) return -1;
    /* one entity per known thing, and per key */
    map *m = &s->forms;
    map_clear(m);
    int fresh;
    const size_t *o = s->order.data;
    for (size_t k = 0; k < s->order.len; k++) {
        size_t ci = o[k];
        const cand *x = &cs[ci];
        uint64_t kh = hash_of(SKEY(c, x), x->key_len);
        slot *sl = map_put(m, x->title ? ~kh : kh, &fresh);
        if (!sl) return -1;
        if (fresh) sl->a = (uint32_t)ci;
        else if (same_person_possible(c, ci, sl->a)) unite(cs, ci, sl->a);
        if (x->known) {
            /* known ids hashed apart from keys (which are UTF-8 text) */
            uint64_t h = ((uint64_t)x->known * 0x9E3779B97F4A7C15ULL) ^ 0x6b6e6f776e0000ULL;
            sl = map_put(m, h, &fresh);
            if (!sl) return -1;
            if (fresh) sl->a = (uint32_t)ci;
            else unite(cs, ci, sl->a);
        }
    }
    for (size_t i = 0; i < s->cands.len; i++)
        if (cs[i].same_as && !cs[i].dropped && !cs[cs[i].same_as - 1].dropped) unite(cs, i, cs[i].same_as - 1);
    return link_article_fuzzy(c);
}

/* ---- output ---- */

/* The written text of a candidate: the first word without its proclitics
 * (an elided article's alef restored: للأمم → الأمم), the others as
 * written, one space between words written apart, quotation marks left
 * out; copied into the doc's arena.  Sets its input offsets. */
static const char *cand_text(ctx *c, const cand *x, size_t *start, size_t *end)
{
    kh_buf *b = &c->s->tmp;
    b->len = 0;
    const khabar_token *t0 = &c->tokens[x->first];
    size_t skip = 0;
    if (x->lead) {
        uint32_t want[8];
        unsigned lead = x->lead < 8 ? x->lead : 8;
        const char *k = TOK(c, x->first);
        for (unsigned i = 0; i < lead; i++) {
            uint32_t cp = 0;
            kh_utf8_decode((const unsigned char *)k + 2 * i, 2, &cp);
            want[i] = cp;
        }
        skip = written_prefix(t0->span.text, t0->span.text_len, want, lead);
    }
    if (x->elided && skip && kh_buf_append(b, c->l->alef, 2)) return NULL;
    if (kh_buf_append(b, t0->span.text + skip, t0->span.text_len - skip)) return NULL;
    size_t last = x->first;
    for (size_t i = x->first + 1; i < x->last; i++) {
        if (c->tok[i].quote) continue;
        const khabar_token *t = &c->tokens[i], *p = &c->tokens[last];
        /* tokens written together stay together (منظمة الFIFA) */
        int apart = t->span.text != p->span.text + p->span.text_len;
        if ((apart && kh_buf_putc(b, ' ')) || kh_buf_append(b, t->span.text, t->span.text_len))
            return NULL;
        last = i;
    }
    size_t clean = (size_t)(t0->span.text - c->d->text.data) + skip;
    *start = skip ? kh_doc_input_start(c->d, clean) : t0->span.start;
    *end = c->tokens[last].span.end;
    return kh_arena_strndup(&c->d->arena, b->data, b->len);
}

/* Type of an entity the table does not know: an organisation when an
 * institution noun made it or its fullest form begins with a known
 * organisation's name (داعش خراسان), a person when shortened names link to
 * it, else what the tagger said most often (ties: the first said).  Its
 * mentions are candidates o[mk[0..nm)]. */
static unsigned unknown_type(ctx *c, const size_t *mk, size_t nm)
{
    const cand *cs = c->s->cands.data;
    const size_t *o = c->s->order.data;
    size_t votes[4] = {0};
    int head = 0, short_name = 0;
    const cand *fullest = &cs[o[mk[0]]];
    for (size_t q = 0; q < nm; q++) {
        const cand *x = &cs[o[mk[q]]];
        votes[x->type & 3]++;
        head |= x->source == FROM_HEAD || x->source == FROM_PARTY || x->source == FROM_BODY ||
                x->source == FROM_CLUB || x->source == FROM_INSTITUTE;
        short_name |= x->short_name;
        if (x->last - x->first > fullest->last - fullest->first) fullest = x;
    }
    if (head) return KH_ENTITY_ORG;
    const char *key = CKEY(c, fullest);
    /* شركة تويوتا، فريق أسيك أبيدجان; but شركة ديمورا of ألفريد ديمورا is a
     * company named after a person, the person's entity */
    for (size_t q = 0; q < nm; q++) {
        const cand *x = &cs[o[mk[q]]];
        if ((x->org_noun || x->loc_noun) && x->key_len == fullest->key_len && !memcmp(CKEY(c, x), key, x->key_len))
            return x->org_noun ? KH_ENTITY_ORG : KH_ENTITY_LOC;
    }
    /* ديكو يو كيه بروبرتي هولدينجز ليميتد: a company, whatever the tagger said */
    const char *last = key + fullest->key_len;
    while (last > key && last[-1] != ' ') last--;
    if (last > key && map_find(&c->t->org_tails, hash_of(last, fullest->key_len - (size_t)(last - key))))
        return KH_ENTITY_ORG;
    if (short_name) return KH_ENTITY_PER;
    const char *sp = memchr(key, ' ', fullest->key_len);
    if (sp && votes[KH_ENTITY_PER] * 2 <= nm) {
        const slot *sl = map_find(&c->t->names, hash_of(key, (size_t)(sp - key)));
        if (sl && (sl->flags & NAME_FULL) && known_at(c, sl->a + 1)->type == KH_ENTITY_ORG)
            return KH_ENTITY_ORG;
    }
    unsigned best = cs[o[mk[0]]].type & 3;
    for (unsigned t = 0; t < 4; t++)
        if (votes[t] > votes[best]) best = t;
    return best;
}

static uint64_t entity_text_hash(size_t e, const char *text)
{
    return hash_of(text, strlen(text)) ^ ((uint64_t)e * 0x9E3779B97F4A7C15ULL);
}

/* The name: among the forms written in full (not an adjective, not a
 * misspelling; a head word before the name left out: نداء تونس of حزب
 * نداء تونس), not a party's short name, the table's canonical one (its
 * spelling there first),
 * then the fullest (words, then letters), then the most frequent, then
 * the first. */
typedef struct name_choice {
    size_t mention;
    int canon, exact;
    size_t words, letters, count;
    size_t decorations; /* tatweel and marks: وينـدوز is ويندوز drawn out */
    int proper;         /* not a party's short name (النداء of نداء تونس) */
    const char *text;   /* the form, a head word before the name left out (حزب of حزب نداء تونس) */
} name_choice;

static int better_name(const name_choice *a, const name_choice *b)
{
    if (b->mention == NONE) return 1;
    if (a->proper != b->proper) return a->proper > b->proper;
    if (a->canon != b->canon) return a->canon > b->canon;
    if (a->exact != b->exact) return a->exact > b->exact;
    if (a->words != b->words) return a->words > b->words;
    if (a->letters != b->letters) return a->letters > b->letters;
    if (a->decorations != b->decorations) return a->decorations < b->decorations;
    return a->count > b->count;
}

/* Letters of a written name, and its tatweel, marks and presentation forms
 * apart. */
static size_t name_letters(const char *s, size_t n, size_t *decorations)
{
    size_t count = 0;
    *decorations = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        unsigned len = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!len) len = 1, cp = 0;
        i += len;
        if (cp == ' ') continue;
        if (cp == TATWEEL || kh_is_arabic_mark(cp)) {
            (*decorations)++;
        } else {
            count++;
            if (kh_is_arabic_presentation_form(cp)) (*decorations)++; /* ﺍﻟﺤﻮﺛﻴﻮﻥ: shapes, not letters */
        }
    }
    return count;
}

/* Whether x, of the table or the tagger, is an institution named by a
 * nationality adjective, as head_cands makes them: an institution noun, up
 * to HEAD_GAP definite words and an adjective that agrees with it (the
 * table's الخارجية الأميركية، مجلس التعاون الخليجي).  Such a mention is a
 * description, as head_cands's own are: ANERcorp marks الخارجية الأميركية O
 * 10 times of 10, مجلس التعاون الخليجي 9 of 10. */
static int named_by_adjective(const ctx *c, const cand *x)
{
    size_t a = x->first, p = x->last - 1;
    if (x->type != KH_ENTITY_ORG || p <= a || p - a > HEAD_GAP + 1 || !c->tok[p].word ||
        !nisba_find(c, STOK(c, p), c->tok[p].skey_len) || !is_head(c, a, p))
        return 0;
    for (size_t k = a + 1; k < p; k++)
        if (!c->tok[k].word || !is_definite(c, k)) return 0;
    return 1;
}

static int emit(ctx *c)
{
    kh_entity_scratch *s = c->s;
    khabar_doc *d = c->d;
    cand *cs = s->cands.data;
    const size_t *o = s->order.data;
    size_t no = s->order.len;
    if (!no) return 0;
    /* entities in order of first mention */
    s->roots.len = 0;
    for (size_t k = 0; k < no; k++) {
        size_t r = find_root(cs, o[k]);
        if (cs[r].entity != NONE) continue;
        size_t *e = kh_vec_push(&s->roots, sizeof *e);
        if (!e) return -1;
        *e = r;
        cs[r].entity = s->roots.len - 1;
    }
    size_t ne = s->roots.len;
    for (size_t e = 0; e < ne; e++) {
        kh_entity *en = kh_vec_push(&d->entities, sizeof *en);
        if (!en) return -1;
        en->first_mention = NONE;
    }
    kh_entity *ents = d->entities.data;
    for (size_t k = 0; k < no; k++) {
        const cand *x = &cs[o[k]];
        kh_mention *mn = kh_vec_push(&d->mentions, sizeof *mn);
        if (!mn) return -1;
        size_t e = cs[find_root(cs, o[k])].entity;
        mn->entity = e;
        mn->first = x->first;
        mn->last = x->last;
        long sen = c->tokens[x->first].sentence;
        mn->sentence = sen < 0 ? NONE : (size_t)sen;
        mn->text = cand_text(c, x, &mn->start, &mn->end);
        if (!mn->text) return -1;
        mn->description = x->link == LINK_NISBA || x->source == FROM_HEAD || x->source == FROM_BODY ||
                          named_by_adjective(c, x);
        mn->name_start = c->tokens[x->name_first].span.start;
        mn->name_end = c->tokens[x->name_last - 1].span.end;
        if (x->name_first == x->first) mn->name_start = mn->start;
        if (ents[e].first_mention == NONE) ents[e].first_mention = k;
        ents[e].mentions++;
    }
    kh_mention *ms = d->mentions.data;
    /* how often each entity is written each way */
    map *seen = &s->seen;
    map_clear(seen);
    int fresh;
    for (size_t k = 0; k < no; k++) {
        slot *sl = map_put(seen, entity_text_hash(ms[k].entity, ms[k].text), &fresh);
        if (!sl) return -1;
        if (fresh) {
            sl->a = (uint32_t)k;
            ents[ms[k].entity].n_variants++;
        }
        sl->b++;
    }
    /* each entity's mentions together (a counting sort) */
    if (vec_resize(&s->group, no + ne + 1, sizeof(size_t))) return -1;
    size_t *first = s->group.data, *grouped = first + ne + 1;
    memset(first, 0, (ne + 1) * sizeof *first);
    for (size_t k = 0; k < no; k++) first[ms[k].entity + 1]++;
    for (size_t e = 0; e < ne; e++) first[e + 1] += first[e];
    for (size_t k = 0; k < no; k++) grouped[first[ms[k].entity]++] = k;
    for (size_t e = ne; e > 0; e--) first[e] = first[e - 1];
    first[0] = 0;
    for (size_t e = 0; e < ne; e++) {
        kh_entity *en = &ents[e];
        const size_t *mk = grouped + first[e];
        size_t nm = en->mentions;
        const known *kn = known_at(c, cs[((const size_t *)s->roots.data)[e]].known);
        en->type = kn ? kn->type : (kh_entity_type)unknown_type(c, mk, nm);
        en->variants = kh_arena_alloc(&d->arena, en->n_variants * sizeof *en->variants);
        if (!en->variants) return -1;
        en->n_variants = 0;
        name_choice best = {NONE, 0, 0, 0, 0, 0, 0, 0, NULL};
        for (size_t q = 0; q < nm; q++) {
            size_t k = mk[q];
            const cand *x = &cs[o[k]];
            const char *txt = ms[k].text;
            size_t tl = strlen(txt);
            const slot *sl = map_find(seen, entity_text_hash(e, txt));
            if (sl->a == k) en->variants[en->n_variants++] = txt;
            ms[k].type = en->type;
            if (x->link == LINK_NISBA || x->link == LINK_FUZZY) continue;
            if (x->key_skip) {
                cand y = *x;
                y.first += x->key_skip;
                y.lead = c->tok[y.first].proclitics;
                y.elided = c->tok[y.first].elided;
                size_t a0, b0;
                txt = cand_text(c, &y, &a0, &b0);
                if (!txt) return -1;
                tl = strlen(txt);
            }
            name_choice ch = {k, 0, 0, 1, 0, sl->b, 0, !x->same_as, txt};
            ch.letters = name_letters(txt, tl, &ch.decorations);
            ch.canon = kn && x->key_len == kn->key_len && !memcmp(CKEY(c, x), kn->key, kn->key_len);
            ch.exact = kn && !strcmp(txt, kn->name);
            for (size_t i = 0; i < tl; i++) ch.words += txt[i] == ' ';
            if (better_name(&ch, &best)) best = ch;
        }
        if (best.mention != NONE) en->name = best.text;
        else en->name = kh_arena_strndup(&d->arena, kn->name, strlen(kn->name));
        en->en = kn && kn->en ? kh_arena_strndup(&d->arena, kn->en, strlen(kn->en)) : NULL;
        if (!en->name || (kn && kn->en && !en->en)) return -1;
    }
    return 0;
}

/* Everything after tagging. */
static khabar_status run(ctx *c, const uint8_t *tags, khabar_error *err)
{
    c->s->cands.len = 0;
    if (tagger_cands(c, tags) || station_cands(c) || club_cands(c) || listed_person_cands(c) || table_cands(c) || role_person_cands(c) || title_cands(c) || event_cands(c) || party_cands(c) || head_cands(c) ||
        article_cands(c) || body_cands(c) || institute_cands(c))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    side_names(c);
    if (reading_order(c) || link(c) || emit(c)) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    return KHABAR_OK;
}

khabar_status kh_entities_from_tags(khabar_analyzer *an, khabar_doc *d, const uint8_t *tags,
                                    khabar_error *err)
{
    d->mentions.len = d->entities.len = 0;
    const kh_entity_table *t = an->model->entity_table;
    if (!t || !d->tokens.len) return KHABAR_OK;
    ctx c = {t, an->model->vocab, &t->l, d, an->entities, d->tokens.data, NULL, d->tokens.len,
             an->model->ner, an->model->stopwords};
    if (prepare_tokens(&c)) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    return run(&c, tags, err);
}

#define TAG_SENTENCES 1024
/* Tokens of the longest stretch the tagger reads as one sentence: a longer
 * "sentence" (no news sentence comes near: this is some 30 KB of text
 * without a full stop) is read as sentences of this many tokens, so that
 * the tagger's memory for a sentence stays bounded. */
#define TAG_RUN_MAX 4096
/* ... and a stretch ends before it passes this many tokens (1,024 news
 * sentences are some 30,000). */
#define TAG_STRETCH_TOKENS 65536

khabar_status kh_entities(khabar_analyzer *an, khabar_doc *d, khabar_error *err)
{
    const khabar_model *m = an->model;
    d->mentions.len = d->entities.len = 0;
    if (!m->ner || !m->entity_table || !d->tokens.len) return KHABAR_OK;
    kh_entity_scratch *s = an->entities;
    ctx c = {m->entity_table, m->vocab, &m->entity_table->l, d, s, d->tokens.data, NULL,
             d->tokens.len, m->ner, m->stopwords};
    size_t n = c.n;
    if (prepare_tokens(&c) || vec_resize(&s->tags, n, 1))
        return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    s->starts.len = 0;
    for (size_t i = 0, last = 0; i < n; i++) {
        if (!i || c.tok[i].run != c.tok[i - 1].run || i - last >= TAG_RUN_MAX) {
            size_t *st = kh_vec_push(&s->starts, sizeof *st);
            if (!st) return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
            *st = last = i;
        }
    }
    /* The tagger's working memory grows with what it tags at once: a very
     * long article is tagged a stretch of TAG_SENTENCES sentences (or
     * TAG_STRETCH_TOKENS tokens) at a time, which changes nothing for
     * articles shorter than that (the
     * second stage looks a few sentences around); its tokens as the tagger
     * reads them are made for one stretch at a time. */
    size_t *starts = s->starts.data, n_starts = s->starts.len;
    for (size_t k = 0, count; k < n_starts; k += count) {
        size_t first = starts[k];
        count = 1;
        while (k + count < n_starts && count < TAG_SENTENCES && starts[k + count] - first < TAG_STRETCH_TOKENS)
            count++;
        size_t end = k + count < n_starts ? starts[k + count] : n;
        if (vec_resize(&s->inputs, end - first, sizeof(kh_ner_input)))
            return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        kh_ner_input *in = s->inputs.data;
        for (size_t i = first; i < end; i++) {
            in[i - first].text = c.tokens[i].span.text;
            in[i - first].len = c.tokens[i].span.text_len;
            in[i - first].norm = c.tokens[i].norm;
            in[i - first].norm_len = c.tok[i].norm_len;
        }
        size_t local[TAG_SENTENCES];
        for (size_t q = 0; q < count; q++) local[q] = starts[k + q] - first;
        if (kh_ner_tag_doc(m->ner, in, end - first, local, count, (uint8_t *)s->tags.data + first, s->ner))
            return kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    }
    return run(&c, s->tags.data, err);
}

/* ---- two names, outside any article (khabar_entity_names_relate) ---- */

/* The known id + 1 a whole key names, by the table, a nationality
 * adjective or one letter off a known name; 0 when none. */
static uint32_t known_of_key(ctx *c, const char *key, size_t n, kh_entity_type type)
{
    const slot *sl = map_find(&c->t->names, hash_of(key, n));
    uint32_t id1 = sl && (sl->flags & NAME_FULL) && !(sl->flags & NAME_COMMON) ? sl->a + 1 : 0;
    if (!id1 && !memchr(key, ' ', n)) id1 = nisba_find(c, key, n);
    if (!id1 && type != KH_ENTITY_PER) id1 = fuzzy_find(c, key, n);
    return id1 && link_allowed(known_at(c, id1), type) ? id1 : 0;
}

/* Whether the longer key is the shorter with one letter more. */
static int one_letter_more(const char *a, size_t an, const char *b, size_t bn)
{
    if (an < bn) return one_letter_more(b, bn, a, an);
    if (an == bn || an > bn + 4 || an > FUZZY_MAX_BYTES || letter_count(b, bn) < FUZZY_LETTERS) return 0;
    size_t i = 0;
    while (i < bn && a[i] == b[i]) i++;
    while (i > 0 && ((unsigned char)a[i] & 0xC0) == 0x80) i--; /* the letter's first byte */
    size_t k = 1;
    while (i + k < an && ((unsigned char)a[i + k] & 0xC0) == 0x80) k++;
    return an - k == bn && !memcmp(a, b, i) && !memcmp(a + i + k, b + i, bn - i);
}

/* Whether key a is a shortened form of the person's name b, as
 * link_short_names reads one: b's last words or one of its words, not a
 * kinship word nor the word after one; or b's first words where its
 * lineage begins (محمد بن سلمان of محمد بن سلمان بن عبد العزيز). */
static int shortened_form(const ctx *c, const char *a, size_t an, const char *b, size_t bn)
{
    if (an >= bn || !memchr(b, ' ', bn)) return 0;
    if (!memchr(a, ' ', an) && letter_count(a, an) < 3) return 0;
    int after_kin = 0;
    for (size_t i = 0; i < bn;) {
        size_t e = i;
        while (e < bn && b[e] != ' ') e++;
        int kin = map_find(&c->t->kin, hash_of(b + i, e - i)) != NULL;
        if (kin && i && i == an + 1 && memchr(a, ' ', an) && !memcmp(a, b, an)) return 1;
        if (!after_kin && !kin &&
            ((e - i == an && !memcmp(b + i, a, an)) || (i && bn - i == an && !memcmp(b + i, a, an))))
            return 1;
        after_kin = kin;
        i = e + 1;
    }
    return 0;
}

khabar_status khabar_entity_names_relate(const khabar_model *model, khabar_entity_type type,
                                         const char *a, size_t a_len, const char *b, size_t b_len,
                                         khabar_name_relation *out, khabar_error *err)
{
    if (!model || !out || (!a && a_len) || (!b && b_len))
        return kh_fail(err, KHABAR_ERROR_ARGUMENT, 0, "khabar_entity_names_relate: NULL argument");
    *out = KHABAR_NAMES_DIFFERENT;
    const kh_entity_table *t = model->entity_table;
    if (!t) return KHABAR_OK;
    kh_entity_scratch s;
    memset(&s, 0, sizeof s);
    ctx c = {t, model->vocab, &t->l, NULL, &s, NULL, NULL, 0, model->ner, model->stopwords};
    kh_buf tmp = {0}, ka = {0}, kb = {0};
    int ra = name_key(&t->l, &tmp, &ka, a ? a : "", a_len), rb = name_key(&t->l, &tmp, &kb, b ? b : "", b_len);
    khabar_status st = KHABAR_OK;
    kh_entity_type ty = (kh_entity_type)type;
    if (ra == -2 || rb == -2) {
        st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
    } else if (ra || rb) {
        /* not only letters (digits, Latin): the normal forms must agree */
        tmp.len = ka.len = 0;
        if (kh_normalize_append(&ka, a ? a : "", a_len, KHABAR_FOLD_ALL) ||
            kh_normalize_append(&tmp, b ? b : "", b_len, KHABAR_FOLD_ALL))
            st = kh_fail(err, KHABAR_ERROR_MEMORY, 0, "out of memory");
        else if (ka.len && ka.len == tmp.len && !memcmp(ka.data, tmp.data, ka.len))
            *out = KHABAR_NAMES_SAME;
    } else if (ka.len == kb.len && !memcmp(ka.data, kb.data, ka.len)) {
        *out = KHABAR_NAMES_SAME;
    } else {
        uint32_t ia = known_of_key(&c, ka.data, ka.len, ty), ib = known_of_key(&c, kb.data, kb.len, ty);
        /* compared as two articles' mentions are: hamza seats folded (not
         * before the table's lookups) */
        if (seat_key(&c, ka.data, ka.len)) fold_hamza_seats(&t->l, ka.data, ka.len);
        if (seat_key(&c, kb.data, kb.len)) fold_hamza_seats(&t->l, kb.data, kb.len);
        if (ia && ib) *out = ia == ib ? KHABAR_NAMES_SAME : KHABAR_NAMES_DIFFERENT;
        else if (ka.len == kb.len && !memcmp(ka.data, kb.data, ka.len)) *out = KHABAR_NAMES_SAME;
        else if (one_letter_more(ka.data, ka.len, kb.data, kb.len)) *out = KHABAR_NAMES_MISSPELLED;
        else if (ty != KH_ENTITY_PER) *out = KHABAR_NAMES_DIFFERENT;
        else if (shortened_form(&c, ka.data, ka.len, kb.data, kb.len)) *out = KHABAR_NAMES_SHORTER;
        else if (shortened_form(&c, kb.data, kb.len, ka.data, ka.len)) *out = KHABAR_NAMES_LONGER;
        else if (memchr(ka.data, ' ', ka.len) && memchr(kb.data, ' ', kb.len) &&
                 !words_within(ka.data, ka.len, kb.data, kb.len) &&
                 !words_within(kb.data, kb.len, ka.data, ka.len) &&
                 (!own_words_name_like(&c, ka.data, ka.len, kb.data, kb.len) ||
                  !own_words_name_like(&c, kb.data, kb.len, ka.data, ka.len)))
            *out = KHABAR_NAMES_UNTOLD;
    }
    kh_buf_free(&tmp);
    kh_buf_free(&ka);
    kh_buf_free(&kb);
    kh_buf_free(&s.tmp);
    return st;
}
