/* remind.h -- reminding partners of the figures they still owe.
 *
 * For a date D and each campaign whose ladder (remind_ladder.h) has a step
 * due on D, every actor with at least one contact address and cells still
 * missing for the campaign's year (completeness.h) gets one mail for that
 * step: the missing cells grouped by action, where to send them, and the
 * collection table pre-filled for the actor and year (template.h) as a CSV
 * attachment. Nothing is sent to an actor
 *   - whose cells for that year are all given,
 *   - that already had this step (the reminders table, written in the same
 *     transaction as the outbox row, so a restart never sends it twice),
 *   - that has a file waiting or being processed in its spool folders
 *     (it may well hold the figures: better wait for its outcome),
 *   - whose address is still the placeholder `releve init` wrote
 *     (releve_config_email_placeholder): skipped, logged and shown as held back.
 * An upload left under a temporary name (".x.csv.part") is never read and
 * holds nothing back: once older than daemon.stale_upload_hours it is
 * named in the mail ("un dépôt interrompu attend dans votre dossier"). */
#ifndef RELEVE_REMIND_H
#define RELEVE_REMIND_H

#include <stddef.h>

#include "config/config.h"
#include "remind/remind_ladder.h"
#include "store/store.h"

typedef struct releve_remind_cell {
  const releve_indicator *indicator;
  char period[16];
  const char *geography;
} releve_remind_cell;

typedef struct releve_reminder {
  const releve_campaign *campaign;
  const releve_ladder_step *step;
  const releve_actor *actor;
  const char *skipped; /* why nothing is sent (French, for the coordinator), or NULL */
  const releve_remind_cell *cells;
  size_t n_cells;
  const char *const *to;
  const char *const *cc; /* NULL-ended, may be empty */
  const char *subject, *body, *attachment_name;
  /* Uploads of the actor left under a temporary name for more than
   * daemon.stale_upload_hours (spool.h), named in the mail; NULL-ended,
   * NULL when none. */
  char **stale;
  /* The actor drops files into its spool folder (it sent one that way):
   * the mail then names the folder besides the reply by mail. */
  int spool_in_use;
  long long mail; /* outbox row, 0 in a dry run or when skipped */
} releve_reminder;

typedef struct releve_remind_summary {
  int due;      /* campaigns with a step due on the date */
  int queued;   /* reminders queued (dry run: that would be) */
  int complete; /* actors with every cell given */
  int already;  /* actors that had this step already */
  int waiting;  /* actors with a file waiting in their spool */
  int placeholder; /* actors skipped: their address is still releve init's placeholder */
  int errors;   /* mails that could not be built (logged) */
} releve_remind_summary;

/* Sees each reminder queued (or, dry run, that would be) and each one held
 * back by a waiting file; a non-zero return stops the run and is
 * returned. */
typedef int (*releve_remind_cb)(void *ud, const releve_reminder *r);

/* Runs the ladder of every contract of cfg for date (YYYY-MM-DD), each
 * with its campaigns and actors (an actor belongs to one contract, so the
 * reminders table's key, actor, campaign and step, stays unique). dry_run builds every mail and
 * writes nothing (the store may be read-only). cb may be NULL. Returns 0
 * or a negative errno value (database). */
int releve_remind_run(releve_store *s, const releve_config *cfg, const char *date, int dry_run,
                      releve_remind_cb cb, void *ud, releve_remind_summary *sum);

/* The French subject and body of r (cells, campaign, step, actor set),
 * malloc'ed; 0 or -ENOMEM. */
int releve_remind_text(const releve_config *cfg, const releve_reminder *r, char **subject,
                       char **body);


#endif
