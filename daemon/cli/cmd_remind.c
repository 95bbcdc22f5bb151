/* `releve remind`: the reminder ladder for one day, then the outbox. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mail_send.h"
#include "outbox.h"
#include "remind.h"

static void print_list(const char *label, const char *const *list) {
  size_t i;
  if (list == NULL || list[0] == NULL)
    return;
  printf("  %s: ", label);
  for (i = 0; list[i]; i++)
    printf("%s%s", i ? ", " : "", list[i]);
  printf("\n");
}

static int show(void *ud, const releve_reminder *r) {
  size_t i;
  (void)ud;
  printf("\n%s — %s: campaign %d, step %s (%s)", r->actor->id, r->actor->name, r->campaign->year,
         r->step->name, r->step->date);
  if (r->skipped) {
    printf("\n  held back: %s\n", r->skipped);
    return 0;
  }
  if (r->mail)
    printf(", queued as mail %lld", r->mail);
  printf("\n");
  print_list("to", r->to);
  print_list("cc", r->cc);
  printf("  subject: %s\n  attachment: %s\n  %zu missing cell%s:\n", r->subject, r->attachment_name,
         r->n_cells, r->n_cells == 1 ? "" : "s");
  for (i = 0; i < r->n_cells; i++) {
    const releve_remind_cell *c = &r->cells[i];
    static const int widths[] = {8, 10, 6, 10, 60};
    const char *row[] = {c->indicator->id, c->period, c->geography, c->indicator->action->id,
                         c->indicator->label};
    cli_row(stdout, 4, row, widths, 5);
  }
  return 0;
}

int cmd_remind(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] remind [--dry-run] [--date YYYY-MM-DD]\n\n"
      "Runs the reminder ladder (\"reminders\" in the configuration) for one day, by default\n"
      "today: for each campaign with a step due that day, one mail per actor whose figures\n"
      "for the campaign's year are still missing, listing the missing cells by action, with\n"
      "the pre-filled collection table attached. No mail to an actor whose figures are all\n"
      "in, that already had this step, or that has a file waiting in its spool folder.\n"
      "The mails are queued in the outbox, then everything due in the outbox is sent\n"
      "(mail.smtp, or .eml files in mail.outbox), at most mail.max_per_run.\n"
      "--dry-run prints what would be sent (to, cc, subject, the missing cells) and writes\n"
      "nothing. Exit status 1 when a mail could not be built or was refused for good.\n";
  static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
                                       {"date", required_argument, NULL, 'd'},
                                       {NULL, 0, NULL, 0}};
  releve_remind_summary sum;
  releve_outbox_run run;
  char date[11], check[11];
  int dry = 0, opt, rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  cli_today(date);
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt == 'n') {
      dry = 1;
    } else if (opt == 'd') {
      if (releve_date_add(optarg, 0, check) || strcmp(check, optarg) != 0) {
        fprintf(stderr, "releve: --date %s: a date written YYYY-MM-DD is expected\n", optarg);
        return CLI_USAGE;
      }
      memcpy(date, check, sizeof date);
    } else {
      fputs(usage, stderr);
      return CLI_USAGE;
    }
  }
  if (optind != argc) {
    fputs(usage, stderr);
    return CLI_USAGE;
  }
  if (cli_load_config(cli) || cli_open_store(cli, !dry))
    return CLI_FAIL;
  printf("Reminders for %s%s\n", date, dry ? " (dry run: nothing is queued or sent)" : "");
  rc = releve_remind_run(&cli->store, &cli->cfg, date, dry, show, NULL, &sum);
  if (rc) {
    fprintf(stderr, "releve: remind: %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  printf("\n%d reminder%s %s; %d actor%s complete, %d already reminded at this step, %d "
         "waiting for a file to be handled%s\n",
         sum.queued, sum.queued == 1 ? "" : "s", dry ? "would be queued" : "queued", sum.complete,
         sum.complete == 1 ? "" : "s", sum.already, sum.waiting,
         sum.due ? "" : " (no campaign has a step due that day)");
  if (sum.errors)
    fprintf(stderr, "releve: %d reminder%s could not be built (see above)\n", sum.errors,
            sum.errors == 1 ? "" : "s");
  if (dry)
    return sum.errors ? CLI_FAIL : CLI_OK;
  if (releve_mail_global_init()) {
    fprintf(stderr, "releve: cannot initialise libcurl\n");
    return CLI_FAIL;
  }
  rc = releve_outbox_deliver(&cli->store, &cli->cfg, cli->cfg.mail_max_per_run, NULL, &run);
  printf("outbox: %d sent%s, %d to retry, %d failed for good%s\n", run.sent,
         cli->cfg.smtp_url ? "" : " (written to the outbox folder)", run.retry, run.failed,
         run.left ? "; more are due than mail.max_per_run allows, run again" : "");
  if (rc) {
    fprintf(stderr, "releve: outbox: %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  return sum.errors || run.failed ? CLI_FAIL : CLI_OK;
}

/* ---- the mail part of `releve status` ------------------------------------- */

static int failure_json(void *ud, const releve_outbox_failure *f) {
  return json_array_append_new(ud, json_pack("{s:I, s:s, s:s, s:s, s:i, s:s}", "id",
                                             (json_int_t)f->id, "recipients", f->recipients,
                                             "subject", f->subject, "created_at", f->created_at,
                                             "attempts", f->attempts, "error", f->last_error));
}

json_t *cli_mail_status_json(releve_cli *cli) {
  releve_outbox_counts c;
  json_t *failures = json_array();
  int rc = releve_outbox_count(&cli->store, &c);

  if (rc == 0 && failures)
    rc = releve_outbox_failures(&cli->store, failure_json, failures);
  if (rc || failures == NULL) {
    fprintf(stderr, "releve: reading the outbox failed: %s\n", strerror(rc ? -rc : ENOMEM));
    json_decref(failures);
    return NULL;
  }
  return json_pack("{s:i, s:i, s:i, s:i, s:o}", "pending", c.pending, "retrying", c.retrying,
                   "sent", c.sent, "failed", c.failed, "failures", failures);
}

static int failure_print(void *ud, const releve_outbox_failure *f) {
  (void)ud;
  printf("  mail %lld du %s à %s, « %s » : %s\n", f->id, f->created_at, f->recipients, f->subject,
         f->last_error);
  return 0;
}

int cli_mail_status_print(releve_cli *cli) {
  releve_outbox_counts c;
  int rc = releve_outbox_count(&cli->store, &c);

  if (rc == 0) {
    printf("\nmails en échec : %d\n", c.failed);
    rc = releve_outbox_failures(&cli->store, failure_print, NULL);
  }
  if (rc == 0 && c.pending)
    printf("mails en attente d'envoi : %d (dont %d après un essai manqué)\n", c.pending,
           c.retrying);
  if (rc)
    fprintf(stderr, "releve: reading the outbox failed: %s\n", strerror(-rc));
  return rc ? CLI_FAIL : CLI_OK;
}
