/* Input files and option values for every command. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int cli_unreadable(const char *path)
{
    struct stat st;
    if (!strcmp(path, "-")) return 0;
    if (stat(path, &st)) return errno ? errno : ENOENT;
    return S_ISDIR(st.st_mode) ? EISDIR : 0;
}

int cli_count(const char *text, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;
    if (!*text) return -1;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int cli_file_error(khabar_analyzer *an, const char *path, const khabar_error *err)
{
    size_t len;
    const char *rec = khabar_error_json(an, err, path, &len);
    cli_error("%s: %s (%s, byte %zu)", path, err->message, khabar_status_name(err->code), err->offset);
    if (!rec) {
        cli_error("out of memory");
        return 2;
    }
    fwrite(rec, 1, len, stdout);
    putchar('\n');
    return cli_output_record();
}
