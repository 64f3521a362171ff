/* Standard output for every command. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

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
