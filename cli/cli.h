/* The khabar command-line tool: one file per command, cli_<command>(). */
#ifndef KHABAR_CLI_H
#define KHABAR_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "khabar.h"

/* Each command gets argv with argv[0] the command's name; returns the
 * process exit status (0 ok, 1 some input failed, 2 usage or system error). */
int cli_analyze(int argc, char **argv);
int cli_extract(int argc, char **argv);
int cli_normalize(int argc, char **argv);
int cli_segment(int argc, char **argv);
int cli_stem(int argc, char **argv);
int cli_tag(int argc, char **argv);
int cli_dedup(int argc, char **argv);
int cli_ner(int argc, char **argv);
/* The archive's commands (cli/index.c, cli/search.c, cli/entity.c). */
int cli_index(int argc, char **argv);
int cli_search(int argc, char **argv);
int cli_stats(int argc, char **argv);
int cli_entity(int argc, char **argv);
int cli_entities(int argc, char **argv);
int cli_stories(int argc, char **argv);
int cli_serve(int argc, char **argv);

/* Reads a whole file ("-" for stdin) into a malloc'd buffer. */
int cli_read_file(const char *path, char **data, size_t *len);
/* The encoding named with --encoding (any command; main() takes it out of
 * the arguments), or NULL: the input's byte-order mark or valid UTF-8
 * decides, else it is detected (khabar_decode). */
extern const char *cli_encoding;
/* Converts data[0..*len) (malloc'd, replaced) to UTF-8 from cli_encoding
 * or what khabar_decode tells; *used is the encoding converted from, NULL
 * when it was UTF-8: then the data is left as it is, byte-order mark
 * included, and damaged UTF-8 too, for the analysis to report or replace.
 * 0, or -1 with err set (the data is kept). */
int cli_decode(char **data, size_t *len, const char **used, khabar_error *err);
/* cli_read_file then cli_decode: 0; -1 when the file cannot be read
 * (errno; nothing to free); 1 when it cannot be converted (err; the bytes
 * as read are in *data, to free). */
int cli_read_decoded(const char *path, char **data, size_t *len, const char **used, khabar_error *err);
/* Reads a whole text file ("-" for stdin) in UTF-8 (converted as
 * cli_read_decoded does, the byte-order mark removed), reporting failures;
 * returns 0, or the exit status to return. */
int cli_read_text(const char *path, char **data, size_t *len);
/* The line of data[0..len) starting at pos: returns its end (the index of
 * its '\n', or len) and sets [*a, *b) to its first white-space delimited
 * field (empty on a blank line).  For CoNLL-style input. */
size_t cli_line_first_field(const char *data, size_t len, size_t pos, size_t *a, size_t *b);
/* The lines of a file ("-" for stdin) in UTF-8, read as they come: a
 * UTF-8 byte-order mark at the start is skipped; lines in another encoding
 * (cli_encoding, or detected) are converted, UTF-16 as a whole stream.
 * Open reports failures (NULL); next gives each line, its end cut off, and
 * returns 1, 0 at the end, or -1 after a read error (reported).  The line
 * is valid until the next call.  encoding: the one the line was converted
 * from (NULL for UTF-8); error: non-NULL when the line could not be
 * converted (it is then given as read). */
typedef struct cli_lines cli_lines;
cli_lines *cli_lines_open(const char *path);
int cli_lines_next(cli_lines *r, const char **line, size_t *len);
size_t cli_lines_number(const cli_lines *r);
const char *cli_lines_encoding(const cli_lines *r);
const khabar_error *cli_lines_error(const cli_lines *r);
void cli_lines_close(cli_lines *r);
/* Calls each(ctx, lineno, line, len) for every non-blank line of a JSON-lines
 * file ("-" for stdin), read by cli_lines, the line end cut off; stops when
 * it returns 2.  During the call, cli_line_encoding() and cli_line_error()
 * are cli_lines_encoding and cli_lines_error of the line.  Returns the
 * largest value it returned (0 when no line), or -1 when the file cannot
 * be opened or read (reported). */
int cli_each_line(const char *path, int (*each)(void *ctx, size_t lineno, const char *line, size_t len),
                  void *ctx);
const char *cli_line_encoding(void);
const khabar_error *cli_line_error(void);
/* Whether a file is an HTML page: named .html or .htm, or starting (after
 * a byte-order mark and white space) with <!DOCTYPE or <html. */
int cli_is_html(const char *path, const char *data, size_t len);
/* Standard output (cli/output.c): buffered in large blocks into a regular
 * file, flushed after each record otherwise.  cli_output_start sets it up
 * (main does, before any command); cli_output_record ends one record (a
 * JSON line, a word's line); cli_output_end flushes.  Both return 0, or 2
 * after a write error (reported once): the command should stop. */
void cli_output_start(void);
int cli_output_record(void);
int cli_output_end(void);
/* Writes s (a file name) as a JSON string. */
void cli_write_json_string(const char *s);
/* Input and options (cli/input.c).  cli_unreadable: 0 when path ("-" is
 * stdin) looks readable, else an errno value (ENOENT, EISDIR, ...).
 * cli_count: a whole number of digits alone (no sign) up to max, else -1. */
int cli_unreadable(const char *path);
int cli_count(const char *text, unsigned long long max, unsigned long long *out);
/* Writes the error record {"file": path, "error": {code, message}} for a
 * whole input that failed, and reports it on stderr.  Returns 0, or 2 when
 * the output failed. */
int cli_file_error(khabar_analyzer *an, const char *path, const khabar_error *err);
/* A document of pre-tokenized CoNLL text being read (cli/conll.c): its
 * tokens (pointing into the caller's text), sentences and lines. */
typedef struct cli_conll {
    const char **tokens;
    size_t *lens;
    const char **labels;
    size_t n, token_cap, len_cap, label_cap;
    size_t *starts; /* each sentence's first token */
    size_t n_sentences, sentence_cap;
    size_t *lines;  /* a token's index, or SIZE_MAX for a blank line */
    size_t n_lines, line_cap;
    int open;       /* a sentence has tokens and no blank line yet */
} cli_conll;
/* A token line; a blank line (it ends the sentence).  0, or -1 (memory). */
int cli_conll_token(cli_conll *d, const char *w, size_t len);
int cli_conll_blank(cli_conll *d);
/* Labels the document, writes its lines (TOKEN<TAB>LABEL, blank lines
 * kept) and empties it: 0, -1 when labelling failed (reported), -2 when the
 * output failed (reported). */
int cli_conll_flush(cli_conll *d, khabar_analyzer *an, khabar_label_layer layer, const char *date, unsigned flags);
void cli_conll_free(cli_conll *d);
/* Calls each(ctx, analyzers[t], i) for every i in [0, n) on `threads`
 * threads, the calling one among them, thread t with analyzers[t]; returns
 * when all are done (cli/parallel.c). */
void cli_parallel_each(khabar_analyzer *const *analyzers, unsigned threads, size_t n,
                       void (*each)(void *ctx, khabar_analyzer *an, size_t i), void *ctx);
/* Loads the shared model once, printing an error when it cannot. */
khabar_model *cli_model(void);
void cli_error(const char *fmt, ...);

#endif
