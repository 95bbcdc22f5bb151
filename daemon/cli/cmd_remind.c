/* `releve remind`: the reminder ladder for one day, then the mail queue. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "inbox/inbox.h"
#include "inbox/quarantine.h"
#include "mail/mail_send.h"
#include "mail/mail_queue.h"
#include "remind/remind.h"
#include "util/date.h"

static void print_list(const char *label, const char *const *list) {
  size_t i;
  if (list == NULL || list[0] == NULL)
    return;
  printf("  %s : ", label);
  for (i = 0; list[i]; i++)
    printf("%s%s", i ? ", " : "", list[i]);
  printf("\n");
}

static int show(void *ud, const releve_reminder *r) {
  static const int widths[] = {6, 9, 10, 8, 58}; /* 99 columns with the indent */
  static const char *const head[] = {"indic.", "période", "territoire", "action", "libellé"};
  releve_cli *cli = ud;
  char date[32], n[RELEVE_NUMBER_SIZE], name[128];
  size_t i;
  printf("\n%s : ", cli_actor_short(&cli->cfg, r->actor->id, name));
  if (cli->cfg.n_contracts > 1)
    printf("contrat %s, ", r->actor->contract->id);
  printf("campagne %d, étape %s (%s)", r->campaign->year, r->step->name,
         cli_date(r->step->date, date));
  if (r->skipped) {
    printf("\n  retenue : %s\n", r->skipped);
    return 0;
  }
  if (r->mail)
    printf(", mail n° %lld en file", r->mail);
  printf("\n");
  print_list("à", r->to);
  print_list("copie", r->cc);
  printf("  objet : %s\n  pièce jointe : %s\n  %s %s :\n", r->subject, r->attachment_name,
         cli_count((long long)r->n_cells, n),
         cli_plural((long long)r->n_cells, "cellule manquante", "cellules manquantes"));
  cli_row(stdout, 4, head, widths, 5);
  for (i = 0; i < r->n_cells; i++) {
    const releve_remind_cell *c = &r->cells[i];
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
      "The mails are queued in the mail queue, then everything due in it is sent\n"
      "(mail.smtp, or .eml files in mail.outbox), at most mail.max_per_run.\n"
      "--dry-run prints what would be sent (to, cc, subject, the missing cells) and writes\n"
      "nothing. Exit status 1 when a mail could not be built or was refused for good.\n";
  static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
                                       {"date", required_argument, NULL, 'd'},
                                       {NULL, 0, NULL, 0}};
  releve_remind_summary sum;
  releve_mail_queue_run run;
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
    } else
      return cli_usage(usage);
  }
  if (optind != argc)
    return cli_usage(usage);
  if (cli_load_config(cli) || cli_open_store(cli, !dry))
    return CLI_FAIL;
  {
    char day[48];
    releve_date_french(date, day, sizeof day);
    printf("Relances du %s%s\n", day,
           dry ? " (essai : rien n'est mis en file ni envoyé)" : "");
  }
  rc = releve_remind_run(&cli->store, &cli->cfg, date, dry, show, cli, &sum);
  if (rc) {
    fprintf(stderr, "releve: remind: %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  printf("\n%d %s %s ; %d %s, %d %s à cette étape\n", sum.queued,
         cli_plural(sum.queued, "relance", "relances"),
         dry ? cli_plural(sum.queued, "serait mise en file", "seraient mises en file")
             : cli_plural(sum.queued, "mise en file", "mises en file"),
         sum.complete, cli_plural(sum.complete, "acteur complet", "acteurs complets"),
         sum.already, cli_plural(sum.already, "déjà relancé", "déjà relancés"));
  printf("acteurs avec un fichier en attente de traitement : %d\n", sum.waiting);
  printf("acteurs retenus, adresse provisoire de « releve init » à remplacer : %d\n",
         sum.placeholder);
  if (!sum.due)
    printf("aucune campagne n'a d'étape ce jour-là\n");
  if (sum.errors)
    fprintf(stderr, "releve: %d %s (voir plus haut)\n", sum.errors,
            cli_plural(sum.errors, "relance n'a pas pu être préparée",
                       "relances n'ont pas pu être préparées"));
  if (dry)
    return sum.errors ? CLI_FAIL : CLI_OK;
  if (releve_mail_global_init()) {
    fprintf(stderr, "releve: cannot initialise libcurl\n");
    return CLI_FAIL;
  }
  rc = releve_mail_queue_deliver(&cli->store, &cli->cfg, cli->cfg.mail_max_per_run, NULL, &run);
  printf("boîte d'envoi : %d %s%s, %d à réessayer, %d en échec définitif%s\n", run.sent,
         cli_plural(run.sent, "envoyé", "envoyés"),
         cli->cfg.smtp_url ? "" : " (écrits dans le dossier mail.outbox)", run.retry,
         run.failed,
         run.left ? " ; il en reste plus que mail.max_per_run n'en permet : relancez la commande"
                  : "");
  if (rc) {
    fprintf(stderr, "releve: mail queue: %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  return sum.errors || run.failed ? CLI_FAIL : CLI_OK;
}

/* ---- the mail part of `releve status` ------------------------------------- */

static int failure_json(void *ud, const releve_mail_queue_failure *f) {
  return json_array_append_new(ud, json_pack("{s:I, s:s, s:s, s:s, s:i, s:s}", "id",
                                             (json_int_t)f->id, "recipients", f->recipients,
                                             "subject", f->subject, "created_at", f->created_at,
                                             "attempts", f->attempts, "error", f->last_error));
}

json_t *cli_mail_status_json(releve_cli *cli) {
  releve_mail_queue_counts c;
  long long taken, quarantined;
  json_t *failures = json_array();
  int rc = releve_mail_queue_count(&cli->store, &c);

  if (rc == 0 && failures)
    rc = releve_mail_queue_failures(&cli->store, failure_json, failures);
  if (rc || failures == NULL) {
    fprintf(stderr, "releve: reading the mail queue failed: %s\n", strerror(rc ? -rc : ENOMEM));
    json_decref(failures);
    return NULL;
  }
  if ((rc = releve_inbox_counts(&cli->store, &taken, &quarantined)) != 0) {
    fprintf(stderr, "releve: reading the messages received failed: %s\n", strerror(-rc));
    json_decref(failures);
    return NULL;
  }
  return json_pack("{s:i, s:i, s:i, s:i, s:o, s:{s:I, s:I}}", "pending", c.pending, "retrying",
                   c.retrying, "sent", c.sent, "failed", c.failed, "failures", failures,
                   "received", "taken", (json_int_t)taken, "quarantined",
                   (json_int_t)quarantined);
}

static int failure_print(void *ud, const releve_mail_queue_failure *f) {
  (void)ud;
  char date[32];
  printf("  mail n° %lld du %s à %s, « %s » : %s\n", f->id, cli_date(f->created_at, date),
         f->recipients, f->subject, f->last_error);
  return 0;
}

int cli_mail_status_print(releve_cli *cli) {
  releve_mail_queue_counts c;
  long long taken, quarantined;
  char n[3][RELEVE_NUMBER_SIZE], *dir;
  int rc = releve_mail_queue_count(&cli->store, &c);

  if (rc == 0) {
    printf("\nmails en échec : %s\n", cli_count(c.failed, n[0]));
    rc = releve_mail_queue_failures(&cli->store, failure_print, NULL);
  }
  if (rc == 0 && c.pending)
    printf("mails en attente d'envoi : %s (dont %s après un essai manqué)\n",
           cli_count(c.pending, n[1]), cli_count(c.retrying, n[2]));
  if (rc == 0)
    rc = releve_inbox_counts(&cli->store, &taken, &quarantined);
  if (rc == 0 && (taken || quarantined)) {
    dir = releve_quarantine_dir(&cli->cfg);
    printf("messages des partenaires : %s pris, %s en quarantaine%s%s%s\n", cli_count(taken, n[0]),
           cli_count(quarantined, n[1]), quarantined && dir ? " (" : "",
           quarantined && dir ? dir : "", quarantined && dir ? ")" : "");
    free(dir);
  }
  if (rc)
    fprintf(stderr, "releve: reading the mail queue failed: %s\n", strerror(-rc));
  return rc ? CLI_FAIL : CLI_OK;
}
