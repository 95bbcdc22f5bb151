/* The reminder ladder: which step on which date, one mail per actor and
 * step and never twice, the coordinator copied after N overdue reminders,
 * no reminder for a complete actor or one with a file waiting; receipts;
 * the outbox folder; and each kind of bad "reminders" or "mail" setting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util/date.h"
#include "util/log.h"
#include "mail/mail_queue.h"
#include "mail/mail_token.h"
#include "receipt/receipt.h"
#include "remind/remind.h"
#include "remind/template.h"
#include "spool/spool.h"
#include "testutil.h"
#include "testcheck.h"
#include "util/str.h"

static char *dir;
static releve_config cfg;
static releve_store store;

/* ars owes 1 indicator, prefecture 2, gip 3; two scopes each. */
#define ACTORS                                                                                     \
  "\"actors\": [{\"id\": \"ars\", \"emails\": [\"sante@ars.example.org\"]},"                       \
  "{\"id\": \"prefecture\", \"emails\": [\"pref@prefecture.example.org\"]},"                       \
  "{\"id\": \"gip\", \"emails\": [\"gip@gip.example.org\", \"dir@gip.example.org\"]}]"
#define CAMPAIGN                                                                                   \
  "\"campaigns\": [{\"period\": 2022, \"opens\": \"2023-01-16\", \"due\": \"2023-03-31\"}]"
#define MAIL                                                                                       \
  "\"mail\": {\"from\": \"releve@paris.example.org\", \"coordinator\": "                           \
  "\"coord@paris.example.org\"}"

static int load_text(const char *json) {
  releve_diags d = {0};
  char *conf = test_file(dir, "releve.json", json);
  int rc = releve_config_load(&cfg, conf, &d);
  if (rc)
    releve_diags_print(&d, stderr);
  releve_diags_free(&d);
  free(conf);
  return rc;
}

static int setup(void **state) {
  (void)state;
  dir = test_dir("remind");
  if (load_text("{\"database\": \"r.db\", " MAIL ", " CAMPAIGN ", " ACTORS "}") ||
      releve_store_open(&store, cfg.database, RELEVE_STORE_RW) ||
      releve_store_sync(&store, &cfg, NULL))
    return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  releve_store_close(&store);
  releve_config_free(&cfg);
  free(dir);
  return 0;
}

static long long scalar(const char *sql) { return test_scalar(&store, sql); }

static char *text_of(const char *sql) {
  releve_stmt *st;
  char *v = NULL;
  assert_int_equal(releve_store_prepare(&store, sql, &st), 0);
  if (releve_stmt_step(st) == RELEVE_STMT_ROW && releve_stmt_text(st, 0))
    v = strdup(releve_stmt_text(st, 0));
  releve_stmt_finalize(st);
  return v;
}

/* ---- the ladder ---------------------------------------------------------- */

static const releve_campaign k2023 = {2023, "2024-01-15", "2024-03-29"};

static void test_default_steps(void **state) {
  static const char *const want[][2] = {
      {"ouverture", "2024-01-15"}, {"J-14", "2024-03-15"},      {"J-3", "2024-03-26"},
      {"J+1", "2024-03-30"},       {"relance-1", "2024-04-13"}, {"relance-2", "2024-04-27"},
      {"relance-3", "2024-05-11"}, {"relance-4", "2024-05-25"}, {"relance-5", "2024-06-08"}};
  releve_ladder l;
  releve_ladder_step steps[RELEVE_LADDER_MAX_STEPS];
  size_t n, i;
  (void)state;

  assert_int_equal(releve_ladder_load(NULL, NULL, &l), 0);
  assert_int_equal(l.template_format, RELEVE_TEMPLATE_XLSX);
  n = releve_ladder_steps(&l, &k2023, steps);
  assert_int_equal(n, 9);
  for (i = 0; i < n; i++) {
    assert_string_equal(steps[i].name, want[i][0]);
    assert_string_equal(steps[i].date, want[i][1]);
  }
  /* max_overdue 6: J+1 and five repeats; the coordinator from the third. */
  assert_int_equal(steps[3].overdue, 1);
  assert_int_equal(steps[8].overdue, 6);
  assert_false(steps[3].copy_coordinator);
  assert_false(steps[4].copy_coordinator);
  assert_true(steps[5].copy_coordinator);
  assert_true(steps[8].copy_coordinator);
  assert_false(steps[2].copy_coordinator);
}

static const char *due_on(const char *date) {
  static releve_ladder_step steps[RELEVE_LADDER_MAX_STEPS];
  releve_ladder l;
  const releve_ladder_step *s;
  releve_ladder_load(NULL, NULL, &l);
  s = releve_ladder_due(steps, releve_ladder_steps(&l, &k2023, steps), date);
  return s ? s->name : "-";
}

static void test_due_by_date(void **state) {
  (void)state;
  assert_string_equal(due_on("2024-01-14"), "-");
  assert_string_equal(due_on("2024-01-15"), "ouverture");
  assert_string_equal(due_on("2024-03-14"), "ouverture"); /* a late start still opens */
  assert_string_equal(due_on("2024-03-15"), "J-14");
  assert_string_equal(due_on("2024-03-29"), "J-3");
  assert_string_equal(due_on("2024-03-30"), "J+1");
  assert_string_equal(due_on("2024-04-13"), "relance-1");
  assert_string_equal(due_on("2024-06-21"), "relance-5");
  assert_string_equal(due_on("2024-06-22"), "-"); /* an old campaign stays asleep */
  assert_string_equal(due_on("2026-01-01"), "-");
}

static void test_custom_ladder(void **state) {
  releve_diags d = {0};
  releve_jctx c = {"test", &d};
  json_error_t err;
  json_t *j = json_loads("{\"steps\": [{\"name\": \"lancement\", \"at\": \"opens\"},"
                         "{\"days_after_opens\": 30}, {\"at\": \"due\"},"
                         "{\"days_before_due\": 200}, {\"days_after_due\": 7}],"
                         "\"repeat_every_days\": 0, \"max_overdue\": 1, "
                         "\"copy_coordinator_after\": 0, \"receipts\": false, "
                         "\"template_format\": \"ods\"}",
                         0, &err);
  releve_ladder l;
  releve_ladder_step steps[RELEVE_LADDER_MAX_STEPS];
  size_t n;
  (void)state;

  assert_int_equal(releve_ladder_load(j, &c, &l), 0);
  assert_int_equal(d.n, 0);
  assert_false(l.receipts);
  assert_int_equal(l.template_format, RELEVE_TEMPLATE_ODS);
  n = releve_ladder_steps(&l, &k2023, steps);
  /* days_before_due 200 falls before the opening: left out. */
  assert_int_equal(n, 4);
  assert_string_equal(steps[0].name, "lancement");
  assert_string_equal(steps[1].name, "ouverture+30");
  assert_string_equal(steps[1].date, "2024-02-14");
  assert_string_equal(steps[2].name, "echeance");
  assert_int_equal(steps[2].overdue, 0);
  assert_string_equal(steps[3].name, "J+7");
  assert_true(steps[3].copy_coordinator);
  assert_string_equal(steps[3].until, "2024-04-19"); /* no repeat: 14 days */
  json_decref(j);
  releve_diags_free(&d);
}

static void test_date_add(void **state) {
  char out[11];
  (void)state;
  assert_int_equal(releve_date_add("2024-02-28", 1, out), 0);
  assert_string_equal(out, "2024-02-29");
  assert_int_equal(releve_date_add("2023-02-28", 1, out), 0);
  assert_string_equal(out, "2023-03-01");
  assert_int_equal(releve_date_add("2023-12-31", 1, out), 0);
  assert_string_equal(out, "2024-01-01");
  assert_int_equal(releve_date_add("2024-03-01", -1, out), 0);
  assert_string_equal(out, "2024-02-29");
  assert_int_equal(releve_date_add("2024-13-01", 0, out), -EINVAL);
  assert_int_equal(releve_date_add("20240101", 0, out), -EINVAL);
}

/* ---- bad settings: one case per kind ------------------------------------- */

typedef struct bad_case {
  const char *json;   /* the "reminders" or "mail" member */
  const char *key;    /* expected diagnostic key */
  const char *needle; /* in its message */
} bad_case;

static const bad_case bad_cases[] = {
    {"\"reminders\": {\"step\": []}", "reminders.step", "unknown key"},
    {"\"reminders\": {\"steps\": []}", "reminders.steps", "1 to 16 expected"},
    {"\"reminders\": {\"steps\": {}}", "reminders.steps", "an array"},
    {"\"reminders\": {\"steps\": [14]}", "reminders.steps[0]", "an object"},
    {"\"reminders\": {\"steps\": [{\"name\": \"x\"}]}", "reminders.steps[0]", "exactly one of"},
    {"\"reminders\": {\"steps\": [{\"at\": \"due\", \"days_after_due\": 1}]}", "reminders.steps[0]",
     "exactly one of"},
    {"\"reminders\": {\"steps\": [{\"at\": \"close\"}]}", "reminders.steps[0].at",
     "\"opens\" or \"due\""},
    {"\"reminders\": {\"steps\": [{\"days_before_due\": -3}]}",
     "reminders.steps[0].days_before_due", "out of range"},
    {"\"reminders\": {\"steps\": [{\"days_after_due\": \"1\"}]}",
     "reminders.steps[0].days_after_due", "integer"},
    {"\"reminders\": {\"steps\": [{\"at\": \"due\", \"name\": \"a b\"}]}",
     "reminders.steps[0].name", "not a step name"},
    {"\"reminders\": {\"steps\": [{\"at\": \"due\", \"name\": \"relance-1\"}]}",
     "reminders.steps[0].name", "kept for repeats"},
    {"\"reminders\": {\"steps\": [{\"at\": \"due\", \"name\": \"x\"}, "
     "{\"at\": \"opens\", \"name\": \"x\"}]}",
     "reminders.steps[1]", "used twice"},
    {"\"reminders\": {\"steps\": [{\"at\": \"due\"}, {\"days_after_due\": 0}]}",
     "reminders.steps[1]", "same day"},
    {"\"reminders\": {\"steps\": [{\"at\": \"due\", \"colour\": 1}]}", "reminders.steps[0].colour",
     "unknown key"},
    {"\"reminders\": {\"repeat_every_days\": 400}", "reminders.repeat_every_days", "out of range"},
    {"\"reminders\": {\"max_overdue\": -1}", "reminders.max_overdue", "out of range"},
    {"\"reminders\": {\"copy_coordinator_after\": 99}", "reminders.copy_coordinator_after",
     "out of range"},
    {"\"reminders\": {\"receipts\": \"yes\"}", "reminders.receipts", "true or false"},
    {"\"reminders\": {\"template_format\": \"xls\"}", "reminders.template_format",
     "xlsx, ods or csv"},
    {"\"reminders\": []", "reminders", "an object"},
    {"\"mail\": {\"timeout_seconds\": 0}", "mail.timeout_seconds", "out of range"},
    {"\"mail\": {\"max_per_run\": 0}", "mail.max_per_run", "out of range"},
    {"\"mail\": {\"starttls\": 1}", "mail.starttls", "true or false"},
    {"\"mail\": {\"credentials\": 5}", "mail.credentials", "string"},
    {"\"mail\": {\"credentials\": \"\"}", "mail.credentials", "empty"},
    {"\"mail\": {\"reply_to\": \"releve+x@paris.example.org\"}", "mail.reply_to", "no '+'"},
    {"\"mail\": {\"reply_to\": \"releve\"}", "mail.reply_to", "local@domain"},
    {"\"mail\": {\"max_message_bytes\": 10}", "mail.max_message_bytes", "out of range"},
    {"\"mail\": {\"trust_authentication_results\": \"\"}", "mail.trust_authentication_results",
     "empty"},
};

static void test_bad_setting(void **state) {
  const bad_case *b = *state;
  releve_config c;
  releve_diags d = {0};
  char *json = releve_str_printf("{\"database\": \"r.db\", %s}", b->json);
  char *conf = test_file(dir, "bad.json", json);
  size_t i;
  int found = 0;

  assert_int_equal(releve_config_load(&c, conf, &d), -EINVAL);
  for (i = 0; i < d.n; i++)
    if (d.items[i].severity == RELEVE_DIAG_ERROR && d.items[i].key &&
        strcmp(d.items[i].key, b->key) == 0 && strstr(d.items[i].message, b->needle))
      found = 1;
  if (!found) {
    releve_diags_print(&d, stderr);
    fail_msg("%s: no error on %s saying \"%s\"", b->json, b->key, b->needle);
  }
  releve_config_free(&c);
  releve_diags_free(&d);
  free(conf);
  free(json);
}

static void test_clear_smtp_warned(void **state) {
  releve_config c;
  releve_diags d = {0};
  char *conf;
  size_t i;
  int warned = 0;
  (void)state;

  conf = test_file(dir, "w.json",
                   "{\"mail\": {\"smtp\": \"smtp://relay.example.org:25\", "
                   "\"starttls\": false}}");
  assert_int_equal(releve_config_load(&c, conf, &d), 0);
  for (i = 0; i < d.n; i++)
    warned |= d.items[i].severity == RELEVE_DIAG_WARNING && d.items[i].key &&
              strcmp(d.items[i].key, "mail.starttls") == 0;
  assert_true(warned);
  releve_config_free(&c);
  releve_diags_free(&d);
  free(conf);
  d = (releve_diags){0};
  conf = test_file(dir, "w.json",
                   "{\"mail\": {\"smtp\": \"smtp://127.0.0.1:2525\", "
                   "\"starttls\": false}}");
  assert_int_equal(releve_config_load(&c, conf, &d), 0);
  for (i = 0; i < d.n; i++)
    assert_false(d.items[i].key && strcmp(d.items[i].key, "mail.starttls") == 0);
  assert_int_equal(c.mail_starttls, 0);
  assert_int_equal(c.mail_timeout_seconds, 30);
  assert_int_equal(c.mail_max_per_run, 100);
  releve_config_free(&c);
  releve_diags_free(&d);
  free(conf);
}

/* ---- running it ------------------------------------------------------------ */

typedef struct seen {
  int n, held;
  char names[8][32];
  size_t cells[8];
} seen;

static int see(void *ud, const releve_reminder *r) {
  seen *s = ud;
  if (r->skipped) {
    s->held++;
    return 0;
  }
  snprintf(s->names[s->n], sizeof s->names[s->n], "%s", r->actor->id);
  s->cells[s->n++] = r->n_cells;
  return 0;
}

static void test_dry_run_writes_nothing(void **state) {
  releve_remind_summary sum;
  seen s;
  (void)state;
  memset(&s, 0, sizeof s);
  assert_int_equal(releve_remind_run(&store, &cfg, "2023-03-20", 1, see, &s, &sum), 0);
  assert_int_equal(sum.due, 1);
  assert_int_equal(sum.queued, 3);
  assert_int_equal(s.n, 3);
  assert_string_equal(s.names[0], "ars");
  assert_int_equal(s.cells[0], 2);
  assert_string_equal(s.names[1], "gip");
  assert_int_equal(s.cells[1], 6);
  assert_int_equal(scalar("SELECT count(*) FROM mail_queue"), 0);
  assert_int_equal(scalar("SELECT count(*) FROM reminders"), 0);
}

static void test_once_per_step(void **state) {
  releve_remind_summary sum;
  char *msg;
  (void)state;
  assert_int_equal(releve_remind_run(&store, &cfg, "2023-03-20", 0, NULL, NULL, &sum), 0);
  assert_int_equal(sum.queued, 3);
  assert_int_equal(scalar("SELECT count(*) FROM mail_queue WHERE state = 'pending'"), 3);
  assert_int_equal(scalar("SELECT count(*) FROM reminders WHERE step = 'J-14' AND campaign = "
                          "2022 AND mail IS NOT NULL"),
                   3);
  assert_int_equal(scalar("SELECT cells FROM reminders WHERE actor = 'gip'"), 6);
  msg = text_of("SELECT message FROM mail_queue o JOIN reminders r ON r.mail = o.id "
                "WHERE r.actor = 'gip'");
  assert_non_null(strstr(msg, "To: gip@gip.example.org,\r\n dir@gip.example.org\r\n"));
  assert_null(strstr(msg, "\r\nCc:"));
  assert_non_null(strstr(msg, "filename=\"modele_gip_2022.xlsx\""));
  assert_non_null(strstr(msg, "Content-Type:\r\n application/vnd.openxmlformats-officedocument."
                              "spreadsheetml.sheet;\r\n name=\"modele_gip_2022.xlsx\"\r\n"));
  free(msg);
  /* The same day again, and the next day (same step): nothing new. */
  assert_int_equal(releve_remind_run(&store, &cfg, "2023-03-20", 0, NULL, NULL, &sum), 0);
  assert_int_equal(sum.queued, 0);
  assert_int_equal(sum.already, 3);
  assert_int_equal(releve_remind_run(&store, &cfg, "2023-03-21", 0, NULL, NULL, &sum), 0);
  assert_int_equal(sum.queued, 0);
  assert_int_equal(scalar("SELECT count(*) FROM mail_queue"), 3);
  /* The next step is a new mail. */
  assert_int_equal(releve_remind_run(&store, &cfg, "2023-03-28", 0, NULL, NULL, &sum), 0);
  assert_int_equal(sum.queued, 3);
  assert_int_equal(scalar("SELECT count(*) FROM mail_queue"), 6);
}

static void test_coordinator_copied_after_n(void **state) {
  static const char *const dates[] = {"2023-04-01", "2023-04-15", "2023-04-29", "2023-05-13"};
  static const int copied[] = {0, 0, 1, 1};
  releve_remind_summary sum;
  size_t i;
  (void)state;
  for (i = 0; i < 4; i++) {
    char *sql, *msg;
    assert_int_equal(releve_remind_run(&store, &cfg, dates[i], 0, NULL, NULL, &sum), 0);
    assert_int_equal(sum.queued, 3);
    sql = releve_str_printf("SELECT message FROM mail_queue WHERE id = (SELECT max(id) FROM mail_queue)");
    msg = text_of(sql);
    assert_int_equal(strstr(msg, "\r\nCc: coord@paris.example.org\r\n") != NULL, copied[i]);
    assert_non_null(strstr(msg, "\r\nReply-To: coord@paris.example.org\r\n"));
    free(msg);
    free(sql);
  }
}

static void add_figure(const char *indicator, const char *period, const char *geo) {
  char *sql = releve_str_printf(
      "INSERT OR IGNORE INTO submissions(id, actor, channel, name, size, sha256, plugin, "
      "received_at, outcome, report) VALUES (1, 'ars', 'cli', 'f.csv', 1, 'x', 'lines', 'now', "
      "'accepted', '');"
      "INSERT INTO observations(contract, indicator, period, geography, value, status, "
      "submission, updated_at) VALUES ('%s', '%s', '%s', '%s', 1, 'normal', 1, 'now')",
      cfg.contracts[0].id, indicator, period, geo);
  assert_int_equal(releve_store_exec(&store, sql), 0);
  free(sql);
}

static void test_complete_and_waiting_actors(void **state) {
  releve_remind_summary sum;
  char *incoming;
  seen s;
  (void)state;
  add_figure("H49.1", "2022", "QPV");
  add_figure("H49.1", "2022", "QP");
  add_figure("G01.1", "2022", "QPV");
  assert_int_equal(releve_spool_prepare(&cfg), 0);
  /* An upload in progress holds nothing back; a complete file does. */
  incoming = releve_spool_path(&cfg, "prefecture", RELEVE_SPOOL_INCOMING);
  free(test_file(incoming, ".envoi.csv.part", "x"));
  free(incoming);
  incoming = releve_spool_path(&cfg, "gip", RELEVE_SPOOL_INCOMING);
  free(test_file(incoming, "gip_2022.csv", "x"));
  memset(&s, 0, sizeof s);
  assert_int_equal(releve_remind_run(&store, &cfg, "2023-03-20", 0, see, &s, &sum), 0);
  assert_int_equal(sum.complete, 1);
  assert_int_equal(sum.waiting, 1);
  assert_int_equal(s.held, 1);
  assert_int_equal(sum.queued, 1);
  assert_string_equal(s.names[0], "prefecture");
  /* Once the file is handled, gip gets this step, with one cell fewer. */
  {
    char *path = releve_str_printf("%s/gip_2022.csv", incoming);
    assert_int_equal(unlink(path), 0);
    free(path);
  }
  free(incoming);
  memset(&s, 0, sizeof s);
  assert_int_equal(releve_remind_run(&store, &cfg, "2023-03-21", 0, see, &s, &sum), 0);
  assert_int_equal(sum.queued, 1);
  assert_string_equal(s.names[0], "gip");
  assert_int_equal(s.cells[0], 5);
}

static void test_receipt(void **state) {
  releve_ingest_result res;
  long long id = 0;
  char *msg;
  (void)state;
  memset(&res, 0, sizeof res);
  res.outcome = RELEVE_REFUSED;
  res.report = "Fichier gip_2022.csv : REFUSÉ\nligne 3, colonne 4 : « abc » n'est pas un nombre\n";
  assert_int_equal(releve_receipt_queue(&store, &cfg, "gip", "gip\r\n2022.csv", &res, &id), 0);
  assert_true(id > 0);
  msg = text_of("SELECT subject FROM mail_queue");
  assert_string_equal(msg, "relevé : fichier gip??2022.csv refusé");
  free(msg);
  msg = text_of("SELECT recipients FROM mail_queue");
  assert_string_equal(msg, "gip@gip.example.org,dir@gip.example.org");
  free(msg);
  /* No address: nothing queued, no error. */
  assert_int_equal(releve_receipt_queue(&store, &cfg, "dasco", "x.csv", &res, &id), 0);
  assert_int_equal(id, 0);
}

static int count_eml(const char *folder) {
  DIR *d = opendir(folder);
  struct dirent *e;
  int n = 0;
  if (d == NULL)
    return -1;
  while ((e = readdir(d)) != NULL)
    n += strlen(e->d_name) > 4 && strcmp(e->d_name + strlen(e->d_name) - 4, ".eml") == 0;
  closedir(d);
  return n;
}

static void test_outbox_folder(void **state) {
  releve_remind_summary sum;
  releve_mail_queue_run run;
  releve_mail_queue_counts c;
  (void)state;
  assert_int_equal(releve_remind_run(&store, &cfg, "2023-03-20", 0, NULL, NULL, &sum), 0);
  assert_int_equal(releve_mail_queue_deliver(&store, &cfg, 2, NULL, &run), 0);
  assert_int_equal(run.sent, 2);
  assert_int_equal(run.left, 1);
  assert_int_equal(releve_mail_queue_deliver(&store, &cfg, 100, NULL, &run), 0);
  assert_int_equal(run.sent, 1);
  assert_int_equal(run.left, 0);
  assert_int_equal(count_eml(cfg.outbox), 3);
  assert_int_equal(releve_mail_queue_count(&store, &c), 0);
  assert_int_equal(c.sent, 3);
  assert_int_equal(c.pending, 0);
  /* Nothing is sent twice. */
  assert_int_equal(releve_mail_queue_deliver(&store, &cfg, 100, NULL, &run), 0);
  assert_int_equal(run.sent, 0);
  assert_int_equal(count_eml(cfg.outbox), 3);
}

/* With mail.reply_to, reminders and receipts give the actor's own secret
 * address as their Reply-To: the same for both, another for each actor, a
 * new one once rotated. */
static void test_reply_to_token(void **state) {
  releve_remind_summary sum;
  releve_ingest_result res;
  char token[RELEVE_MAIL_TOKEN_LEN + 1], *gip, *ars, *receipt, *want;
  (void)state;
  releve_store_close(&store);
  releve_config_free(&cfg);
  assert_int_equal(load_text("{\"database\": \"r2.db\", \"mail\": {\"from\": "
                             "\"releve@paris.example.org\", \"reply_to\": "
                             "\"depot@paris.example.org\"}, " CAMPAIGN ", " ACTORS "}"),
                   0);
  assert_int_equal(releve_store_open(&store, cfg.database, RELEVE_STORE_RW), 0);
  assert_int_equal(releve_store_sync(&store, &cfg, NULL), 0);
  assert_int_equal(releve_remind_run(&store, &cfg, "2023-03-20", 0, NULL, NULL, &sum), 0);
  assert_int_equal(sum.queued, 3);
  assert_int_equal(releve_mail_token_get(&store, "gip", 0, token), 0);
  assert_int_equal(strlen(token), RELEVE_MAIL_TOKEN_LEN);
  want = releve_str_printf("\r\nReply-To: depot+gip.%s@paris.example.org\r\n", token);
  gip = text_of("SELECT message FROM mail_queue o JOIN reminders r ON r.mail = o.id "
                "WHERE r.actor = 'gip'");
  ars = text_of("SELECT message FROM mail_queue o JOIN reminders r ON r.mail = o.id "
                "WHERE r.actor = 'ars'");
  assert_non_null(strstr(gip, want));
  assert_null(strstr(ars, want));
  assert_null(strstr(ars, token));
  assert_non_null(strstr(ars, "\r\nReply-To: depot+ars."));
  memset(&res, 0, sizeof res);
  res.outcome = RELEVE_ACCEPTED;
  res.report = "Fichier gip.csv : ACCEPTÉ\n";
  assert_int_equal(releve_receipt_queue(&store, &cfg, "gip", "gip.csv", &res, NULL), 0);
  receipt = text_of("SELECT message FROM mail_queue WHERE id = (SELECT max(id) FROM mail_queue)");
  assert_non_null(strstr(receipt, want));
  free(receipt);
  /* Rotated: the next receipt gives the new address. */
  assert_int_equal(releve_mail_token_rotate(&store, "gip", token), 0);
  assert_int_equal(releve_receipt_queue(&store, &cfg, "gip", "gip.csv", &res, NULL), 0);
  receipt = text_of("SELECT message FROM mail_queue WHERE id = (SELECT max(id) FROM mail_queue)");
  assert_null(strstr(receipt, want));
  free(want);
  want = releve_str_printf("\r\nReply-To: depot+gip.%s@paris.example.org\r\n", token);
  assert_non_null(strstr(receipt, want));
  free(receipt);
  free(want);
  free(gip);
  free(ars);
}

int main(void) {
  struct CMUnitTest tests[32 + sizeof bad_cases / sizeof bad_cases[0]];
  size_t n = 0, i;

  releve_log_set_level(RELEVE_WARNING);
#define T(f) tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(f, setup, teardown)
  T(test_default_steps);
  T(test_due_by_date);
  T(test_custom_ladder);
  T(test_date_add);
  T(test_clear_smtp_warned);
  T(test_dry_run_writes_nothing);
  T(test_once_per_step);
  T(test_coordinator_copied_after_n);
  T(test_complete_and_waiting_actors);
  T(test_receipt);
  T(test_outbox_folder);
  T(test_reply_to_token);
#undef T
  for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate_setup_teardown(
        test_bad_setting, setup, teardown, (void *)&bad_cases[i]);
    tests[n++].name = bad_cases[i].json;
  }
  return _cmocka_run_group_tests("remind", tests, n, NULL, NULL);
}
