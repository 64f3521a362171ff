/* build_gazetteer: the place-name list the entity tagger ships
 * (data/gazetteer.tsv), from the two gazetteers whose licenses allow it.
 *
 * Usage: build_gazetteer [--admin WORD]... COUNTRIES.json CITIES.csv > gazetteer.tsv
 *
 * COUNTRIES.json: i18n-iso-countries' langs/ar.json ({"countries": {code:
 * name or [names]}}), MIT.  CITIES.csv: world-cities-translations
 * ("CountryNameAr","CountryNameEn","CityNameAr","CityNameEn",Population),
 * CC BY 4.0.  Output lines: "arabic name<TAB>COUNTRY|CITY<TAB>English
 * name", sorted, one per distinct name and type.  A city written with one
 * of the --admin words first (ولاية قندهار, محافظة ...) is also listed
 * without it, as news text usually names it; country names of the cities
 * file are listed too, and give the countries their English names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arabic.h"
#include "kh.h"

#define TOOL_NAME "build_gazetteer"
#include "tool.h"

typedef struct {
    char *ar, *type, *en;
} row;

static row *rows;
static size_t n_rows, cap_rows;

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) die("out of memory");
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Trims spaces and drops tabs and newlines, which would break the format. */
static char *clean(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    char *p = dup_n(s, n);
    for (char *q = p; *q; q++)
        if (*q == '\t' || *q == '\n') *q = ' ';
    return p;
}

static void add(const char *ar, size_t n, const char *type, const char *en)
{
    char *a = clean(ar, n);
    if (!*a || kh_utf8_check(a, strlen(a)) != strlen(a)) { free(a); return; }
    if (n_rows == cap_rows) {
        cap_rows = cap_rows ? cap_rows * 2 : 1024;
        rows = realloc(rows, cap_rows * sizeof *rows);
        if (!rows) die("out of memory");
    }
    rows[n_rows].ar = a;
    rows[n_rows].type = dup_n(type, strlen(type));
    rows[n_rows].en = clean(en, strlen(en));
    n_rows++;
}

static int cmp_row(const void *x, const void *y)
{
    const row *a = x, *b = y;
    int c = strcmp(a->ar, b->ar);
    if (!c) c = strcmp(a->type, b->type);
    if (!c) c = strcmp(b->en, a->en); /* a row with an English name first */
    return c;
}


static char *admin[64];
static size_t n_admin;

/* The name without a leading administrative word, or NULL. */
static const char *without_admin(const char *name)
{
    const char *sp = strchr(name, ' ');
    if (!sp || !sp[1]) return NULL;
    for (size_t i = 0; i < n_admin; i++)
        if (strlen(admin[i]) == (size_t)(sp - name) && memcmp(admin[i], name, (size_t)(sp - name)) == 0)
            return sp + 1;
    return NULL;
}

/* Splits one CSV line with quoted fields; returns the field count. */
static size_t csv_fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        char *out = p;
        f[n++] = p;
        if (*p == '"') {
            char *q = p + 1;
            for (;;) {
                if (!*q) break;
                if (*q == '"' && q[1] == '"') { *out++ = '"'; q += 2; continue; }
                if (*q == '"') { q++; break; }
                *out++ = *q++;
            }
            p = q;
        } else {
            while (*p && *p != ',') *out++ = *p++;
        }
        int more = *p == ',';
        if (*p) p++;
        *out = '\0';
        if (!more) break;
    }
    return n;
}

typedef struct {
    char *ar, *en;
} country;

int main(int argc, char **argv)
{
    int argi = 1;
    while (argi + 1 < argc && strcmp(argv[argi], "--admin") == 0 && n_admin < 64)
        admin[n_admin++] = argv[argi + 1], argi += 2;
    if (argc - argi != 2) {
        fprintf(stderr, "usage: build_gazetteer [--admin WORD]... COUNTRIES.json CITIES.csv\n");
        return 2;
    }
    FILE *f = fopen(argv[argi + 1], "r");
    if (!f) { perror(argv[argi + 1]); return 1; }
    country *countries = NULL;
    size_t n_countries = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int header = 1;
    while ((len = getline(&line, &cap, f)) >= 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (header) { header = 0; continue; }
        char *fl[8];
        if (csv_fields(line, fl, 8) < 4) continue;
        /* a BOM or stray spaces never start a real name */
        add(fl[2], strlen(fl[2]), "CITY", fl[3]);
        const char *short_name = without_admin(rows[n_rows - 1].ar);
        if (short_name) add(short_name, strlen(short_name), "CITY", fl[3]);
        size_t k;
        for (k = 0; k < n_countries; k++)
            if (strcmp(countries[k].ar, fl[0]) == 0) break;
        if (k == n_countries && *fl[0]) {
            countries = realloc(countries, (n_countries + 1) * sizeof *countries);
            if (!countries) die("out of memory");
            countries[n_countries].ar = dup_n(fl[0], strlen(fl[0]));
            countries[n_countries].en = dup_n(fl[1], strlen(fl[1]));
            n_countries++;
        }
    }
    free(line);
    fclose(f);

    json_error_t jerr;
    json_t *root = json_load_file(argv[argi], 0, &jerr);
    if (!root) { fprintf(stderr, "build_gazetteer: %s: %s\n", argv[argi], jerr.text); return 1; }
    json_t *map = json_object_get(root, "countries");
    if (!json_is_object(map)) die("no \"countries\" object");
    const char *code;
    json_t *value;
    json_object_foreach(map, code, value) {
        size_t nv = json_is_array(value) ? json_array_size(value) : 1;
        for (size_t i = 0; i < nv; i++) {
            json_t *v = json_is_array(value) ? json_array_get(value, i) : value;
            if (!json_is_string(v)) continue;
            const char *ar = json_string_value(v), *en = "";
            for (size_t k = 0; k < n_countries; k++)
                if (strcmp(countries[k].ar, ar) == 0) en = countries[k].en;
            add(ar, strlen(ar), "COUNTRY", en);
        }
    }
    json_decref(root);
    for (size_t k = 0; k < n_countries; k++) {
        add(countries[k].ar, strlen(countries[k].ar), "COUNTRY", countries[k].en);
        free(countries[k].ar);
        free(countries[k].en);
    }
    free(countries);

    qsort(rows, n_rows, sizeof *rows, cmp_row);
    printf("# Place names: i18n-iso-countries (MIT) and world-cities-translations (CC BY 4.0);"
           " made by tools/build_gazetteer.c\n");
    for (size_t i = 0; i < n_rows; i++) {
        int dup = i > 0 && !strcmp(rows[i].ar, rows[i - 1].ar) && !strcmp(rows[i].type, rows[i - 1].type);
        if (!dup) printf("%s\t%s\t%s\n", rows[i].ar, rows[i].type, rows[i].en);
    }
    for (size_t i = 0; i < n_rows; i++) free(rows[i].ar), free(rows[i].type), free(rows[i].en);
    free(rows);
    return 0;
}
