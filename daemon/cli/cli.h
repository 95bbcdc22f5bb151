/* cli.h -- what the `releve` subcommands share: the configuration lookup,
 * opening the database, and output helpers for terminal tables and JSON. */
#ifndef RELEVE_CLI_H
#define RELEVE_CLI_H

#include <jansson.h>
#include <stdio.h>
#include <time.h>

#include "config/config.h"
#include "decode/plugin_host.h"
#include "report/report.h"
#include "store/store.h"

typedef struct releve_cli {
  const char *config_opt; /* -c FILE, or NULL */
  releve_config cfg;
  int cfg_loaded;
  releve_store store;
  int store_open;
  /* cfg as the chosen contract sees it (cli_choose_contract), borrowing
   * from cfg; contract points at it once chosen. */
  releve_config view;
  const releve_config *contract;
} releve_cli;

typedef struct releve_command {
  const char *name;
  const char *summary;
  int (*run)(releve_cli *cli, int argc, char **argv);
} releve_command;

/* Exit codes. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Loads the configuration (printing every problem on stderr); CLI_OK or
 * CLI_FAIL. */
int cli_load_config(releve_cli *cli);
/* Chooses the contract a command reads (cli->contract): the one named id
 * (--contract), else actor's when actor is not NULL, else the only one of
 * the configuration. An unknown id or actor, an actor of another contract
 * than id, or several contracts and nothing to choose by are said on
 * stderr, with the contracts there are; CLI_OK or CLI_FAIL. */
int cli_choose_contract(releve_cli *cli, const char *id, const char *actor);
/* The contracts as a French list for a message: "« a », « b »". */
void cli_contract_list(const releve_config *cfg, FILE *out);

/* Opens the database, read-only unless writable is set; syncs the
 * référentiel when the database is written or is an empty stand-in. Run
 * as root, it first becomes the owner of the state folder (state.h), so
 * that nothing it creates (database, WAL, outbox, spool and pull folders)
 * is left owned by root; it refuses, saying which user to run as, when it
 * cannot. */
int cli_open_store(releve_cli *cli, int writable);
void cli_close(releve_cli *cli);
/* Loads the plugins of the configuration's folder; an actor whose plugin
 * reads personal data is handled as such whatever its entry says (with a
 * warning). CLI_OK or CLI_FAIL, said on stderr. */
int cli_load_plugins(releve_cli *cli, releve_plugins *p);

/* Prints JSON to stdout, indented, with a final newline; CLI_OK or CLI_FAIL. */
int cli_print_json(json_t *v);
/* Prints usage on stderr and returns CLI_USAGE: a command's answer to
 * arguments it does not take. */
int cli_usage(const char *usage);
/* Parses --help/-h alone: prints usage and returns 1 when asked. */
int cli_wants_help(int argc, char **argv, const char *usage);
/* Number of display columns of a UTF-8 string (for table alignment). */
int cli_width(const char *s);
/* Prints s padded (or cut with "…") to exactly |w| display columns, on the
 * left when w > 0, on the right (figures) when w < 0; control characters
 * are shown as '?'. */
void cli_cell(FILE *out, const char *s, int w);
/* One table row: indent spaces, then each cell padded or cut to its width
 * (as cli_cell), one space between cells, then a newline. A last cell
 * aligned left is cut but not padded, so that no line ends in spaces. */
void cli_row(FILE *out, int indent, const char *const *cells, const int *widths, size_t n);
/* Today as YYYY-MM-DD (local time). */
void cli_today(char out[11]);
/* n in French form for a table or a sentence ("7 056"); returns out. */
const char *cli_count(long long n, char out[RELEVE_NUMBER_SIZE]);
/* part of whole as a French percentage with one decimal, rounded down so
 * that only a complete whole shows "100 %" (an empty whole is complete);
 * returns out. */
const char *cli_share(long long part, long long whole, char out[RELEVE_NUMBER_SIZE]);
/* A stored date as a French reader writes it: "31/03/2023" for 2023-03-31,
 * "02/12/2026 18:11" for 2026-12-02T17:11:38Z (stored times are UTC; they
 * are shown in Paris time, as reports give them); anything else is copied
 * as it is. Returns out. */
const char *cli_date(const char *iso, char out[32]);
/* An actor's name for a table cell, short as on the export's charts
 * (export_short_name: "CAF de Paris" for "CAF de Paris (Caisse
 * d'allocations familiales)"); its id when it has no name. Returns out. */
const char *cli_actor_short(const releve_config *cfg, const char *id, char out[128]);
/* "accepté", "refusé" for a submission's stored outcome. */
const char *cli_outcome(const char *outcome);
/* s when singular (n is 0 or 1, as French counts them), else plural. */
const char *cli_plural(long long n, const char *singular, const char *plural);

/* A progress line on stderr, only when stderr is a terminal: redrawn in
 * place at most five times a second (the first draw always shows), erased
 * by cli_progress_end. */
typedef struct cli_progress {
  int tty, shown;
  struct timespec last;
} cli_progress;
void cli_progress_init(cli_progress *p);
void cli_progress_draw(cli_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_progress_end(cli_progress *p);

int cmd_init(releve_cli *cli, int argc, char **argv);
int cmd_check_config(releve_cli *cli, int argc, char **argv);
int cmd_referentiel(releve_cli *cli, int argc, char **argv);
int cmd_status(releve_cli *cli, int argc, char **argv);
int cmd_missing(releve_cli *cli, int argc, char **argv);
int cmd_history(releve_cli *cli, int argc, char **argv);
int cmd_export(releve_cli *cli, int argc, char **argv);
int cmd_ingest(releve_cli *cli, int argc, char **argv);
int cmd_plugins(releve_cli *cli, int argc, char **argv);
int cmd_template(releve_cli *cli, int argc, char **argv);
int cmd_remind(releve_cli *cli, int argc, char **argv);
int cmd_pull(releve_cli *cli, int argc, char **argv);
int cmd_submissions(releve_cli *cli, int argc, char **argv);
int cmd_addresses(releve_cli *cli, int argc, char **argv);
int cmd_mail_token(releve_cli *cli, int argc, char **argv);
int cmd_receive(releve_cli *cli, int argc, char **argv);
int cmd_migrate_store(releve_cli *cli, int argc, char **argv);

/* The files part of `releve status` for one actor (cmd_submissions.c):
 * {"last_file": submission or null, "refused_pending": [submission] (refused
 * with no accepted file of theirs since), "waiting": {"incoming",
 * "processing"} or null when the spool cannot be read (said on stderr)}
 * with submissions as `releve submissions --json` gives them; NULL on a
 * database error (said on stderr). The database must be open. */
json_t *cli_actor_files_json(releve_cli *cli, const char *actor);
/* That object as French lines under the actor's row, each indented; lines
 * only for what there is. */
void cli_actor_files_print(json_t *files, int indent);

/* The scheduled pulls' part of `releve status` (cmd_pull.c): every
 * configured source with its failures, as JSON (NULL on error, said on
 * stderr) or as text listing the failing ones; the database must be open. */
json_t *cli_pull_status_json(releve_cli *cli);
int cli_pull_status_print(releve_cli *cli);
/* The outbox's part of `releve status` (cmd_remind.c): counts by state and
 * the mails that failed for good, as JSON (NULL on error, said on stderr)
 * or as text ("mails en échec : N" and one line per failed mail). */
json_t *cli_mail_status_json(releve_cli *cli);
int cli_mail_status_print(releve_cli *cli);
/* The spool's part of `releve status` (spool_status.c): uploads left under
 * a temporary name for more than daemon.stale_upload_hours, as JSON
 * ({"stale_upload_hours", "stale_uploads": [{"actor", "name"}]}, NULL on
 * error, said on stderr) or as text (nothing when there is none). */
json_t *cli_spool_status_json(releve_cli *cli);
int cli_spool_status_print(releve_cli *cli);

#endif
