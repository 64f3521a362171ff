/* conll_score: entity-level exact-match precision, recall and F1 of a BIO
 * tagging against gold, with conlleval's chunk semantics (an I- tag that
 * does not continue a chunk of its type starts one).
 *
 * Usage: conll_score [--types T1,T2,...] GOLD PRED
 * Each file: one token a line, its tags after it (space or tab separated),
 * a blank line between sentences (a -DOCSTART- line counts as O).  Gold lines may carry several tags
 * (nested annotation, as Wojood): with --types, the first tag of a listed
 * type is used; without it, the first tag.  PRED uses its last column.
 * Tokens must agree line by line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TYPES 64

typedef struct {
    char name[32];
    long gold, pred, correct;
} type_stat;

static type_stat stats[MAX_TYPES];
static int n_stats;
static const char *filter[MAX_TYPES];
static int n_filter;

static type_stat *stat_for(const char *type)
{
    for (int i = 0; i < n_stats; i++)
        if (strcmp(stats[i].name, type) == 0) return &stats[i];
    if (n_stats == MAX_TYPES) { fprintf(stderr, "conll_score: too many types\n"); exit(2); }
    type_stat *s = &stats[n_stats++];
    snprintf(s->name, sizeof s->name, "%s", type);
    return s;
}

static int allowed(const char *type, size_t len)
{
    if (n_filter == 0) return 1;
    for (int i = 0; i < n_filter; i++)
        if (strlen(filter[i]) == len && strncmp(filter[i], type, len) == 0) return 1;
    return 0;
}

/* Reads one line's token and chosen tag.  Returns 0 at EOF, 1 for a
 * token line, 2 for a blank line. */
static int read_line(FILE *f, char *token, size_t tcap, char *tag, size_t gcap, int last_column)
{
    static char line[1 << 16];
    if (!fgets(line, sizeof line, f)) return 0;
    line[strcspn(line, "\r\n")] = '\0';
    char *save = NULL;
    char *tok = strtok_r(line, " \t", &save);
    if (!tok) return 2;
    snprintf(token, tcap, "%s", tok);
    snprintf(tag, gcap, "O");
    /* a document mark, whatever follows it, is no entity */
    if (strcmp(tok, "-DOCSTART-") == 0) return 1;
    char *t;
    while ((t = strtok_r(NULL, " \t", &save))) {
        if (last_column) { snprintf(tag, gcap, "%s", t); continue; }
        if (strcmp(t, "O") == 0) continue;
        const char *type = strlen(t) > 2 && t[1] == '-' ? t + 2 : t;
        if (allowed(type, strlen(type))) { snprintf(tag, gcap, "%s", t); break; }
    }
    if (last_column && strcmp(tag, "O") != 0) {
        const char *type = strlen(tag) > 2 && tag[1] == '-' ? tag + 2 : tag;
        if (!allowed(type, strlen(type))) snprintf(tag, gcap, "O");
    }
    /* ANERcorp writes persons PERS; the product writes PER. */
    if (strcmp(tag + (tag[1] == '-' ? 2 : 0), "PERS") == 0) tag[strlen(tag) - 1] = '\0';
    return 1;
}

typedef struct {
    long start, end; /* [start, end) in token positions */
    int type;        /* index in stats */
} chunk;

typedef struct {
    chunk *items;
    size_t len, cap;
} chunk_list;

static void chunk_add(chunk_list *l, long start, long end, const char *type)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (!l->items) { perror("conll_score"); exit(2); }
    }
    l->items[l->len++] = (chunk){start, end, (int)(stat_for(type) - stats)};
}

/* Feeds one tag at position i (NULL ends the stream); keeps the open chunk
 * in *open_start / open_type. */
static void chunk_step(chunk_list *l, long *open_start, char *open_type, const char *tag, long i)
{
    int continues = tag && tag[0] == 'I' && *open_start >= 0 && strcmp(open_type, tag + 2) == 0;
    if (continues) return;
    if (*open_start >= 0) chunk_add(l, *open_start, i, open_type);
    *open_start = -1;
    if (tag && tag[0] != 'O') {
        snprintf(open_type, 32, "%.31s", tag[1] == '-' ? tag + 2 : tag); /* types are short */
        *open_start = i;
    }
}

int main(int argc, char **argv)
{
    int argi = 1;
    if (argi + 1 < argc && strcmp(argv[argi], "--types") == 0) {
        char *list = argv[argi + 1];
        for (char *t = strtok(list, ","); t && n_filter < MAX_TYPES; t = strtok(NULL, ","))
            filter[n_filter++] = t;
        argi += 2;
    }
    if (argc - argi != 2) {
        fprintf(stderr, "usage: conll_score [--types T1,T2,...] GOLD PRED\n");
        return 2;
    }
    FILE *gf = fopen(argv[argi], "r"), *pf = fopen(argv[argi + 1], "r");
    if (!gf || !pf) { perror("conll_score"); return 2; }
    char gtok[4096], ptok[4096], gtag[64], ptag[64];
    chunk_list gold = {0}, pred = {0};
    long gstart = -1, pstart = -1, i = 0, line = 0, tokens = 0, token_correct = 0;
    char gtype[32] = "", ptype[32] = "";
    for (;; i++) {
        int gr = read_line(gf, gtok, sizeof gtok, gtag, sizeof gtag, 0);
        int pr = read_line(pf, ptok, sizeof ptok, ptag, sizeof ptag, 1);
        line++;
        if (gr != pr) {
            fprintf(stderr, "conll_score: files disagree at line %ld\n", line);
            return 2;
        }
        if (gr == 1 && strcmp(gtok, ptok) != 0) {
            fprintf(stderr, "conll_score: tokens differ at line %ld: %s vs %s\n", line, gtok, ptok);
            return 2;
        }
        if (gr != 1) { strcpy(gtag, "O"); strcpy(ptag, "O"); }
        chunk_step(&gold, &gstart, gtype, gtag, i);
        chunk_step(&pred, &pstart, ptype, ptag, i);
        if (gr == 1) {
            tokens++;
            if (strcmp(gtag, ptag) == 0) token_correct++;
        }
        if (gr == 0) break;
    }
    /* Both lists are in order of start; a match is the same span and type. */
    for (size_t a = 0; a < gold.len; a++) stats[gold.items[a].type].gold++;
    for (size_t b = 0; b < pred.len; b++) stats[pred.items[b].type].pred++;
    for (size_t a = 0, b = 0; a < gold.len && b < pred.len;) {
        chunk *x = &gold.items[a], *y = &pred.items[b];
        if (x->start < y->start) { a++; continue; }
        if (y->start < x->start) { b++; continue; }
        if (x->end == y->end && x->type == y->type) stats[x->type].correct++;
        a++;
        b++;
    }
    free(gold.items);
    free(pred.items);
    long tg = 0, tp = 0, tc = 0;
    printf("%-10s %9s %9s %9s %7s %7s\n", "type", "precision", "recall", "F1", "gold", "pred");
    for (int k = 0; k < n_stats; k++) {
        type_stat *s = &stats[k];
        double P = s->pred ? 100.0 * (double)s->correct / (double)s->pred : 0;
        double R = s->gold ? 100.0 * (double)s->correct / (double)s->gold : 0;
        double F = P + R > 0 ? 2 * P * R / (P + R) : 0;
        printf("%-10s %9.2f %9.2f %9.2f %7ld %7ld\n", s->name, P, R, F, s->gold, s->pred);
        tg += s->gold; tp += s->pred; tc += s->correct;
    }
    double P = tp ? 100.0 * (double)tc / (double)tp : 0;
    double R = tg ? 100.0 * (double)tc / (double)tg : 0;
    double F = P + R > 0 ? 2 * P * R / (P + R) : 0;
    printf("%-10s %9.2f %9.2f %9.2f %7ld %7ld\n", "overall", P, R, F, tg, tp);
    printf("token accuracy %.2f%% over %ld tokens\n",
           tokens ? 100.0 * (double)token_correct / (double)tokens : 0, tokens);
    return 0;
}
