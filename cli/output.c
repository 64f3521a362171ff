/* Standard output for every command. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli.h"

static int flush_each;  /* stdout is not a regular file */
static int write_failed;

void cli_output_start(void)
{
    static char buf[1 << 16];
    struct stat st;
    /* Into a file, large blocks; into a pipe, a terminal or a socket, each
     * record as soon as it is complete, so that a program that writes one
     * record and waits for the answer gets it. */
    flush_each = fstat(fileno(stdout), &st) != 0 || !S_ISREG(st.st_mode);
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
}

static int check(int flushed)
{
    if (write_failed) return 2;
    if (flushed == 0 && !ferror(stdout)) return 0;
    int e = errno;
    write_failed = 1;
    cli_error("cannot write the output: %s", e ? strerror(e) : "write error");
    return 2;
}

int cli_output_record(void) { return check(flush_each ? fflush(stdout) : 0); }

int cli_output_end(void) { return check(fflush(stdout)); }

void cli_write_json_string(const char *s)
{
    /* A file name is bytes: what is not UTF-8 is written U+FFFD. */
    size_t n = strlen(s), used = 0;
    char *fixed = malloc(3 * n + 1);
    json_t *j = NULL;
    if (fixed) {
        for (size_t i = 0; i < n;) {
            size_t good = khabar_utf8_check(s + i, n - i);
            memcpy(fixed + used, s + i, good);
            used += good;
            i += good;
            if (i < n) {
                memcpy(fixed + used, "\xEF\xBF\xBD", 3);
                used += 3;
                i++;
            }
        }
        j = json_stringn(fixed, used);
    }
    char *out = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    fputs(out ? out : "null", stdout);
    free(out);
    json_decref(j);
    free(fixed);
}
