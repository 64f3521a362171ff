/* encoding_eval: measures how well khabar_decode tells the encoding of text
 * that is not UTF-8, beside uchardet alone on the same files.
 *
 * usage: encoding_eval DIR...
 * Each DIR holds files in one encoding, its name (the DIR's last path
 * component, e.g. set/long/windows-1256); the component before it names
 * the set.  For each DIR it prints the files told right, told as another
 * encoding (the harm: a wrong conversion), and left as a doubt
 * (KHABAR_ERROR_ENCODING: the caller is asked to name the encoding), and
 * what uchardet alone answers right and wrong.  tools/encoding-eval.sh
 * builds the directories from ANT articles and French messages. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uchardet.h>

#include "khabar.h"

#define TOOL_NAME "encoding_eval"
#include "tool.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open a file");
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

/* uchardet and khabar name an encoding with different spellings. */
static int same(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (char)(*a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a);
        char y = (char)(*b >= 'A' && *b <= 'Z' ? *b - 'A' + 'a' : *b);
        if (x != y) return 0;
    }
    return *a == *b;
}

/* windows-1252 text without bytes 0x80-0x9F is ISO-8859-1 too: both right. */
static int right(const char *got, const char *want)
{
    if (same(got, want)) return 1;
    return same(want, "windows-1252") && same(got, "iso-8859-1");
}

int main(int argc, char **argv)
{
    if (argc < 2) die("usage: encoding_eval DIR...");
    printf("%-8s %-13s %5s | %6s %6s %6s | %9s %9s\n", "set", "encoding", "files", "right",
           "wrong", "doubt", "uchardet+", "uchardet-");
    for (int a = 1; a < argc; a++) {
        char *dir = argv[a];
        size_t dl = strlen(dir);
        while (dl > 1 && dir[dl - 1] == '/') dir[--dl] = '\0';
        char *want = strrchr(dir, '/');
        if (!want) die("DIR must be SET/ENCODING");
        *want++ = '\0';
        const char *set = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, want);
        DIR *d = opendir(path);
        if (!d) die("cannot open a directory");
        size_t files = 0, ok = 0, wrong = 0, doubt = 0, ud_ok = 0, ud_wrong = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char file[8192];
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            size_t len;
            char *data = slurp(file, &len);
            if (!len) { free(data); continue; }
            files++;
            char *out;
            size_t out_len;
            const char *used;
            khabar_error err;
            khabar_status st = khabar_decode(data, len, NULL, &out, &out_len, &used, &err);
            if (st == KHABAR_OK) {
                if (right(used, want)) ok++;
                else {
                    wrong++;
                    fprintf(stderr, "wrong: %s: %s\n", file, used);
                }
                khabar_free(out);
            } else {
                doubt++;
                if (getenv("ENCODING_EVAL_VERBOSE")) fprintf(stderr, "doubt: %s: %s\n", file, err.message);
            }
            uchardet_t ud = uchardet_new();
            uchardet_handle_data(ud, data, len);
            uchardet_data_end(ud);
            if (right(uchardet_get_charset(ud), want)) ud_ok++;
            else ud_wrong++;
            uchardet_delete(ud);
            free(data);
        }
        closedir(d);
        printf("%-8s %-13s %5zu | %6zu %6zu %6zu | %9zu %9zu\n", set, want, files, ok, wrong, doubt,
               ud_ok, ud_wrong);
    }
    return 0;
}
