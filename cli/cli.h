/* The khabar command-line tool: one file per command, cli_<command>(). */
#ifndef KHABAR_CLI_H
#define KHABAR_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "khabar.h"

/* Each command gets argv with argv[0] the command's name; returns the
 * process exit status (0 ok, 1 some input failed, 2 usage or system error). */
int cli_analyze(int argc, char **argv);
int cli_normalize(int argc, char **argv);
int cli_segment(int argc, char **argv);
int cli_stem(int argc, char **argv);
int cli_tag(int argc, char **argv);
int cli_dedup(int argc, char **argv);
int cli_ner(int argc, char **argv);

/* Reads a whole file ("-" for stdin) into a malloc'd buffer. */
int cli_read_file(const char *path, char **data, size_t *len);
/* Reads a whole text file ("-" for stdin) that must be valid UTF-8,
 * reporting failures; returns 0, or the exit status to return. */
int cli_read_text(const char *path, char **data, size_t *len);
/* The line of data[0..len) starting at pos: returns its end (the index of
 * its '\n', or len) and sets [*a, *b) to its first white-space delimited
 * field (empty on a blank line).  For CoNLL-style input. */
size_t cli_line_first_field(const char *data, size_t len, size_t pos, size_t *a, size_t *b);
/* Calls each(ctx, lineno, line, len) for every non-blank line of a JSON-lines
 * file ("-" for stdin), the line end cut off; stops when it returns 2.
 * Returns the largest value it returned (0 when no line), 2 after a read
 * error (reported), or -1 when the file cannot be opened (reported). */
int cli_each_line(const char *path, int (*each)(void *ctx, size_t lineno, const char *line, size_t len),
                  void *ctx);
/* Loads the shared model once, printing an error when it cannot. */
khabar_model *cli_model(void);
void cli_error(const char *fmt, ...);

#endif
