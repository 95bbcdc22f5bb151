/* reader.h -- which plugin reads a file.
 *
 * An actor sends its files in one of several formats: its own plugins, in
 * the order its configuration lists them, and always the référentiel's
 * collection table ("template"). For each file the host gives the file's
 * first bytes to each of them (recognise(), releve/plugin.h) and decodes it
 * with the first that recognises it; the report says which one, and which
 * others recognised it too. A file that none recognises is refused with a
 * report naming the formats this actor can send. An administrator may
 * force a reader (`releve ingest --plugin NAME`). */
#ifndef RELEVE_READER_H
#define RELEVE_READER_H

#include <stddef.h>

#include "config/config.h"
#include "decode/plugin_host.h"

/* The most plugins an actor may list (check-config refuses more). */
#define RELEVE_READER_MAX 16

typedef struct releve_reader_choice {
  const releve_plugin *plugin; /* the reader; NULL when the file is refused */
  int primary;    /* plugin is the actor's first: its options and mapping apply */
  int forced;     /* named by the administrator, not recognised */
  int confidence; /* what its recognise() said (100 for a forced one) */
  const char *others[RELEVE_READER_MAX]; /* other plugins that recognised the file */
  size_t n_others;
} releve_reader_choice;

/* Picks the reader of a file for actor a. forced (may be NULL) names the
 * plugin to use whatever the file holds. Otherwise the actor's plugins are
 * asked in order whether they recognise head (its first n bytes, at most
 * RELEVE_PLUGIN_HEAD_MAX; the whole file when fewer) and the first that
 * does is taken. Returns 0 with out->plugin set; -ENOENT with out->plugin
 * NULL and *why a French sentence for the partner's report (malloc'ed)
 * when the forced plugin is not loaded, none of the actor's plugins is, or
 * none recognises the file; -ENOMEM. */
int releve_reader_choose(const releve_plugins *p, const releve_actor *a, const char *forced,
                         const unsigned char *head, size_t n, const char *file_name,
                         releve_reader_choice *out, char **why);

/* The same, for a file seen through several heads: a workbook's sheets,
 * each given as its first rows written as CSV lines
 * (releve_workbook_heads). A plugin recognises the file when it recognises
 * one of them. */
typedef struct releve_reader_head {
  const unsigned char *bytes;
  size_t n;
} releve_reader_head;
int releve_reader_choose_heads(const releve_plugins *p, const releve_actor *a,
                               const char *forced, const releve_reader_head *heads, size_t n,
                               const char *file_name, releve_reader_choice *out, char **why);

/* Told, before each plugin's recognise() is called, the plugin's name: a
 * supervised child (supervise.h) passes it on to the parent, which can then
 * name the plugin that crashed or hung while judging a file. */
typedef struct releve_reader_probe {
  void (*asking)(void *ud, const char *plugin);
  void *ud;
} releve_reader_probe;

/* The same, for the file open on fd (read with pread, its offset is left
 * alone): a workbook (.xlsx, .ods) is opened and each plugin judges its
 * sheets' heads (releve_workbook_heads), any other file is judged on its
 * first RELEVE_PLUGIN_HEAD_MAX bytes. probe may be NULL. Returns as
 * releve_reader_choose(), and -ENOENT with *why when the file is a workbook
 * that cannot be read; -EIO when fd cannot be read. This runs plugins' code
 * and parses the file: the daemon and `releve ingest` call it in the
 * supervised child, never in their own process. */
int releve_reader_choose_file(const releve_plugins *p, const releve_actor *a, const char *forced,
                              int fd, const char *file_name, const releve_reader_probe *probe,
                              releve_reader_choice *out, char **why);

/* The option values of c's plugin for actor a: the actor's options when it
 * is the actor's first plugin, else the plugin's defaults (*out,
 * malloc'ed, for releve_decode_args.options). Returns 0; -ENOPKG when the
 * options do not fit the plugin (said on stderr); -ENOMEM. */
int releve_reader_options(const releve_reader_choice *c, const releve_actor *a,
                          releve_option_value **out);

/* The French name of plugin's format, for partners: its format text, else
 * its name. */
const char *releve_reader_format(const releve_plugin *plugin);

/* For the report's information section (French, malloc'ed), or NULL when
 * there is nothing to say beyond the reader's name (it alone recognised the
 * file): that it was forced, or which others recognised the file and that
 * the actor's order decided. */
char *releve_reader_note(const releve_reader_choice *c, const releve_actor *a);

/* check-config: every plugin an actor names is in the plugin folder and
 * loaded (an error), the collection table too where it is implied (a
 * warning), and an actor lists at most RELEVE_READER_MAX of them. file is the
 * configuration file, for the diagnostics. */
void releve_readers_check_config(const releve_config *cfg, const releve_plugins *p,
                                 const char *file, releve_diags *diags);

#endif
