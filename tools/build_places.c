/* build_places: local place names learned from unlabeled news
 * (data/places.tsv), which the linking stage (src/entities.c) looks for in
 * untagged text.
 *
 * Usage: build_places [--min-count N] [--min-share F] [--type TYPE] [--word W]...
 *                     [--prefix W]... [--exclude CONLL]... --files-from LIST
 *
 * News names the towns, districts and villages of its own country after a
 * word such as ولاية، معتمدية، مدينة، بلدية، منطقة (--word): بمعتمدية تستور،
 * ولاية سليانة.  A word right after one (with or without proclitics: و ف
 * then ب ل ك) is a candidate; so are the words after it while each begins
 * a name (--prefix: سيدي بوزيد، بن قردان، منزل تميم, up to four words).  A candidate is a place when
 *   - it follows such a word at least N times (default 2),
 *   - those are at least F (default 0.1) of all its occurrences, counted
 *     with and without proclitics and with the article added or removed
 *     (الأمن follows منطقة 93 times in 1,161, الحرس 55 in 605: no places),
 *   - the form with the article added or removed is under half as frequent
 *     as its own (proper names keep or lack the article; منطقة صناعية،
 *     ريفية are adjectives: الصناعية، الريفية are far more frequent),
 *   - it is Arabic letters only, and is no word with a proclitic that is
 *     more frequent without it (بلدية وإطار بنكي: و + إطار).
 * Files are ANT corpus articles or plain text (tools/corpus_text.h); an
 * article whose path ends with a document named on a "-DOCSTART- NAME" line
 * of an --exclude file is not read (the hand-tagged test and dev sets).
 *
 * The same finds names of another kind after other words: organisations
 * after حركة، حزب، قناة ... (--type ORG; TOWN by default).
 *
 * Output: "name<TAB>TYPE<TAB>after the words<TAB>all occurrences" lines,
 * the name as most often written after the words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arabic.h"
#include "kh.h"

#define TOOL_NAME "build_places"
#include "tool.h"
#include "corpus_text.h"
#include "word_table.h"

#define MAX_WORDS 64
#define MAX_NAME_WORDS 4

/* ---- the corpus as one stream: normalised tokens, 0-length at line ends ---- */
typedef struct {
    uint32_t norm, norm_len; /* in the pool */
    uint32_t text, text_len; /* as written */
} token;

static token *toks;
static size_t n_toks, cap_toks;
static kh_buf pool, norm_buf;

static void add_token(void *arg, const char *s, size_t n)
{
    (void)arg;
    if (n_toks == cap_toks) {
        cap_toks = cap_toks ? cap_toks * 2 : 1 << 20;
        toks = xrealloc(toks, cap_toks * sizeof *toks);
    }
    token *t = &toks[n_toks];
    memset(t, 0, sizeof *t);
    if (s) {
        norm_buf.len = 0;
        if (kh_normalize_append(&norm_buf, s, n, KHABAR_FOLD_ALL)) die("out of memory");
        if (!norm_buf.len) return;
        t->norm = (uint32_t)pool.len;
        t->norm_len = (uint32_t)norm_buf.len;
        if (kh_buf_append(&pool, norm_buf.data, norm_buf.len)) die("out of memory");
        t->text = (uint32_t)pool.len;
        t->text_len = (uint32_t)n;
        if (kh_buf_append(&pool, s, n)) die("out of memory");
    } else if (n_toks && !toks[n_toks - 1].norm_len) {
        return; /* one line end is enough */
    }
    n_toks++;
}

#define NORM(i) (pool.data + toks[i].norm)

/* ---- documents left out ---- */
static char **excluded;
static size_t n_excluded;

static void read_excluded(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(1); }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (strncmp(line, "-DOCSTART-", 10) != 0) continue;
        char *name = line + 10;
        name += strspn(name, " \t");
        name[strcspn(name, " \t\r\n")] = '\0';
        if (!*name) continue;
        excluded = xrealloc(excluded, (n_excluded + 1) * sizeof *excluded);
        excluded[n_excluded] = xmalloc(strlen(name) + 1);
        strcpy(excluded[n_excluded++], name);
    }
    free(line);
    fclose(f);
}

static size_t n_skipped;

static int is_excluded(const char *path, void *arg)
{
    (void)arg;
    size_t pl = strlen(path);
    for (size_t i = 0; i < n_excluded; i++) {
        size_t el = strlen(excluded[i]);
        if (el <= pl && !strcmp(path + pl - el, excluded[i]) && (el == pl || path[pl - el - 1] == '/'))
            return (int)++n_skipped;
    }
    return 0;
}

/* ---- words ---- */
static int word_in(const char *w, size_t n, char **list, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (strlen(list[i]) == n && !memcmp(list[i], w, n)) return 1;
    return 0;
}

static int arabic_letters_only(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        unsigned k = kh_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!k || cp < 0x0621 || cp > 0x06FF || (cp >= 0x0660 && cp <= 0x0669) ||
            (cp >= 0x06F0 && cp <= 0x06F9) || cp == ARABIC_COMMA || cp == ARABIC_SEMICOLON ||
            cp == ARABIC_QUESTION_MARK || cp == ARABIC_FULL_STOP || cp == ARABIC_PERCENT)
            return 0;
        i += k;
    }
    return n > 0;
}

/* How many proclitics (each a two-byte letter) may come off w[0..n): و or
 * ف, then ب ل or ك; the forms without them are in out[1..], w itself in
 * out[0] (lengths of what is taken off, in bytes).  Returns the count. */
static size_t clitic_cuts(const char *w, size_t n, size_t *out)
{
    static const char *const first[] = {"و", "ف"}, *const second[] = {"ب", "ل", "ك"};
    size_t k = 0, at = 0;
    out[k++] = 0;
    for (size_t i = 0; i < 2; i++)
        if (n >= 2 && !memcmp(w, first[i], 2)) at = 2;
    if (at && n - at >= 4) out[k++] = at;
    for (size_t i = 0; i < 3; i++)
        if (n >= at + 2 && !memcmp(w + at, second[i], 2) && n - at - 2 >= 4) out[k++] = at + 2;
    return k;
}

static const char ARTICLE[] = "ال"; /* normalised: alef without hamza */

int main(int argc, char **argv)
{
    uint32_t min_count = 2;
    double min_share = 0.1;
    char *words[MAX_WORDS], *prefixes[MAX_WORDS];
    size_t n_words = 0, n_prefixes = 0;
    const char *files_from = NULL, *type = "TOWN";
    kh_buf nb = {0};
    for (int argi = 1; argi < argc; argi++) {
        const char *o = argv[argi];
        if (argi + 1 >= argc) die("option needs a value");
        const char *v = argv[++argi];
        if (!strcmp(o, "--min-count")) min_count = (uint32_t)atoi(v);
        else if (!strcmp(o, "--min-share")) min_share = atof(v);
        else if (!strcmp(o, "--files-from")) files_from = v;
        else if (!strcmp(o, "--type")) type = v;
        else if (!strcmp(o, "--exclude")) read_excluded(v);
        else if (!strcmp(o, "--word") || !strcmp(o, "--prefix")) {
            int is_word = o[2] == 'w';
            if ((is_word ? n_words : n_prefixes) == MAX_WORDS) die("too many words");
            nb.len = 0;
            if (kh_normalize_append(&nb, v, strlen(v), KHABAR_FOLD_ALL) || kh_buf_putc(&nb, '\0'))
                die("out of memory");
            char *copy = xmalloc(nb.len);
            memcpy(copy, nb.data, nb.len);
            if (is_word) words[n_words++] = copy;
            else prefixes[n_prefixes++] = copy;
        } else {
            fprintf(stderr, "usage: build_places [--min-count N] [--min-share F] [--type TYPE] [--word W]... "
                            "[--prefix W]... [--exclude CONLL]... --files-from LIST\n");
            return 2;
        }
    }
    if (!files_from || !n_words) die("--files-from and at least one --word are needed");
    corpus_files_from(files_from, add_token, NULL, is_excluded, NULL);
    fprintf(stderr, "build_places: %zu tokens, %zu documents left out\n", n_toks, n_skipped);

    /* Pass 1: the candidates after a place word, and how they are written. */
    word_table cand = {0}, written = {0};
    kh_buf key = {0};
    for (size_t i = 0; i + 1 < n_toks; i++) {
        size_t cuts[4], nc = clitic_cuts(NORM(i), toks[i].norm_len, cuts);
        int hit = 0;
        for (size_t c = 0; c < nc && !hit; c++)
            hit = word_in(NORM(i) + cuts[c], toks[i].norm_len - cuts[c], words, n_words);
        if (!hit || !arabic_letters_only(NORM(i + 1), toks[i + 1].norm_len)) continue;
        size_t last = i + 1; /* سيدي بوزيد، سيدي علي بن عون */
        while (last < i + MAX_NAME_WORDS && last + 1 < n_toks &&
               word_in(NORM(last), toks[last].norm_len, prefixes, n_prefixes) &&
               arabic_letters_only(NORM(last + 1), toks[last + 1].norm_len))
            last++;
        key.len = 0;
        for (size_t j = i + 1; j <= last; j++)
            if ((j > i + 1 && kh_buf_putc(&key, ' ')) || kh_buf_append(&key, NORM(j), toks[j].norm_len))
                die("out of memory");
        word_count *e = word_table_get(&cand, key.data, key.len);
        if (!e) die("out of memory");
        e->count++;
        /* "normalised\twritten" */
        if (kh_buf_putc(&key, '\t')) die("out of memory");
        for (size_t j = i + 1; j <= last; j++)
            if ((j > i + 1 && kh_buf_putc(&key, ' ')) ||
                kh_buf_append(&key, pool.data + toks[j].text, toks[j].text_len))
                die("out of memory");
        if (!(e = word_table_get(&written, key.data, key.len))) die("out of memory");
        e->count++;
    }

    /* Pass 2: every occurrence of the candidates and of their other form
     * (article added or removed), with or without proclitics. */
    word_table all = {0};
    for (size_t i = 0; i <= cand.mask && cand.slots; i++) {
        word_count *c = &cand.slots[i];
        if (!c->word || c->count < min_count) continue;
        if (!word_table_get(&all, c->word, c->len)) die("out of memory");
        if (memchr(c->word, ' ', c->len)) continue;
        size_t cuts[4], nc = clitic_cuts(c->word, c->len, cuts);
        for (size_t k = 1; k < nc; k++)
            if (!word_table_get(&all, c->word + cuts[k], c->len - cuts[k])) die("out of memory");
        key.len = 0;
        int definite = c->len > 4 && !memcmp(c->word, ARTICLE, 4);
        if ((definite ? kh_buf_append(&key, c->word + 4, c->len - 4)
                      : kh_buf_append(&key, ARTICLE, 4) || kh_buf_append(&key, c->word, c->len)) ||
            !word_table_get(&all, key.data, key.len))
            die("out of memory");
    }
    for (size_t i = 0; i < n_toks; i++) {
        if (!toks[i].norm_len) continue;
        size_t cuts[4], nc = clitic_cuts(NORM(i), toks[i].norm_len, cuts);
        for (size_t c = 0; c < nc; c++) {
            const char *w = NORM(i) + cuts[c];
            size_t wl = toks[i].norm_len - cuts[c];
            word_count *e = word_table_find(&all, w, wl);
            if (e) e->count++;
            if (i + 1 == n_toks || !toks[i + 1].norm_len) continue;
            key.len = 0;
            if (kh_buf_append(&key, w, wl) || kh_buf_putc(&key, ' ') ||
                kh_buf_append(&key, NORM(i + 1), toks[i + 1].norm_len))
                die("out of memory");
            if ((e = word_table_find(&all, key.data, key.len))) e->count++;
        }
    }

    /* The places, each as most often written. */
    size_t n_written;
    word_count *forms = word_table_sorted(&written, &n_written);
    if (!forms) die("out of memory");
    printf("# %s names after %s ... in unlabeled news; made by tools/build_places.c\n", type, words[0]);
    size_t kept = 0;
    for (size_t i = 0; i < n_written; i++) {
        const char *tab = memchr(forms[i].word, '\t', forms[i].len);
        size_t nl = (size_t)(tab - forms[i].word);
        word_count *c = word_table_find(&cand, forms[i].word, nl);
        if (!c || c->count < min_count || c->last_doc) continue; /* last_doc: written out */
        c->last_doc = 1;
        const word_count *own = word_table_find(&all, c->word, c->len);
        uint64_t n_all = own ? own->count : 0, other = 0;
        if (!memchr(c->word, ' ', c->len)) {
            key.len = 0;
            int definite = c->len > 4 && !memcmp(c->word, ARTICLE, 4);
            if (definite ? kh_buf_append(&key, c->word + 4, c->len - 4)
                         : kh_buf_append(&key, ARTICLE, 4) || kh_buf_append(&key, c->word, c->len))
                die("out of memory");
            const word_count *o = word_table_find(&all, key.data, key.len);
            other = o ? o->count : 0;
        }
        int letters = 1;
        for (size_t k = 0; k < nl && letters; k++) {
            size_t e = k;
            while (e < nl && c->word[e] != ' ') e++;
            letters = arabic_letters_only(c->word + k, e - k);
            k = e;
        }
        /* بلدية وإطار بنكي: و + إطار, a word far more frequent without it */
        size_t cuts[4], nc = memchr(c->word, ' ', c->len) ? 1 : clitic_cuts(c->word, c->len, cuts);
        for (size_t k = 1; k < nc && letters; k++) {
            const word_count *rest = word_table_find(&all, c->word + cuts[k], c->len - cuts[k]);
            letters = !rest || rest->count < 2 * n_all; /* its own occurrences counted there too */
        }
        if (!letters || n_all + other == 0 || (double)c->count < min_share * (double)(n_all + other) ||
            other * 2 >= n_all)
            continue;
        printf("%.*s\t%s\t%llu\t%llu\n", (int)(forms[i].len - nl - 1), tab + 1, type,
               (unsigned long long)c->count, (unsigned long long)n_all);
        kept++;
    }
    fprintf(stderr, "build_places: %zu places\n", kept);
    free(forms);
    word_table_free(&cand);
    word_table_free(&written);
    word_table_free(&all);
    kh_buf_free(&key);
    kh_buf_free(&nb);
    kh_buf_free(&pool);
    kh_buf_free(&norm_buf);
    free(toks);
    for (size_t i = 0; i < n_words; i++) free(words[i]);
    for (size_t i = 0; i < n_prefixes; i++) free(prefixes[i]);
    for (size_t i = 0; i < n_excluded; i++) free(excluded[i]);
    free(excluded);
    return 0;
}
