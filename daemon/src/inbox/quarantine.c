#include "inbox/quarantine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mail/mail.h"
#include "mail/mail_queue.h"
#include "mail/mail_token.h"
#include "store/run.h"
#include "store/store_sql.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/str.h"

/* In the state folder, not the database's: a PostgreSQL URI names none. */
char *releve_quarantine_dir(const releve_config *cfg) {
  char *state = releve_config_state_dir(cfg);
  char *dir = state ? releve_str_printf("%s/quarantine", state) : NULL;
  free(state);
  return dir;
}

static int write_files(const releve_config *cfg, const char *key, const void *data, size_t len,
                       const char *why) {
  char name[RELEVE_MAIL_ID_MAX + 8], *dir = releve_quarantine_dir(cfg), *eml = NULL, *reason = NULL;
  char *line = releve_str_printf("%s\n", why);
  int rc = dir && line ? releve_fs_mkdir_p(dir, 0700) : -ENOMEM;

  /* "m-" first: an id such as "<..>" must not name a folder. */
  name[0] = 'm', name[1] = '-';
  releve_mail_id_filename(key, name + 2, RELEVE_MAIL_ID_MAX - 2);
  if (rc == 0 && ((eml = releve_str_printf("%s/%s.eml", dir, name)) == NULL ||
                  (reason = releve_str_printf("%s/%s.raison", dir, name)) == NULL))
    rc = -ENOMEM;
  if (rc == 0)
    rc = releve_fs_write_atomic(eml, data, len, 0600);
  if (rc == 0)
    rc = releve_fs_write_atomic(reason, line, strlen(line), 0600);
  if (rc)
    releve_err("quarantine of message %s in %s: %s", key, dir ? dir : "?", strerror(-rc));
  free(dir);
  free(eml);
  free(reason);
  free(line);
  return rc;
}

/* The personal-data actor (privacy.h) the message is for, or NULL: one
 * whose reply address it is addressed to, whatever the token, or one of
 * whose addresses sent it. Its attachments would hold rows about people. */
static const releve_actor *personal_actor(const releve_config *cfg, const releve_inbox_message *m,
                                          const releve_inbox_envelope *env) {
  const char *senders[2] = {m->from, env->sender};
  char id[128], token[RELEVE_MAIL_TOKEN_LEN + 1];
  const releve_actor *a;
  size_t i, j, k;

  for (i = 0; i <= m->n_recipients; i++) {
    const char *to = i < m->n_recipients ? m->recipients[i] : env->recipient;
    if (to && cfg->mail_reply_to &&
        releve_mail_token_parse(cfg->mail_reply_to, to, id, sizeof id, token) &&
        (a = releve_config_actor(cfg, id)) != NULL && a->personal_data)
      return a;
  }
  for (k = 0; k < cfg->n_actors; k++) {
    a = &cfg->actors[k];
    for (j = 0; a->personal_data && j < a->n_emails; j++)
      for (i = 0; i < 2; i++)
        if (senders[i] && strcasecmp(senders[i], a->emails[j]) == 0)
          return a;
  }
  return NULL;
}

/* The length of the message's header block, up to and with the empty line
 * that ends it (all of it when there is none: a message without a body). */
static size_t header_length(const char *data, size_t len) {
  size_t i;
  for (i = 0; i + 1 < len; i++) {
    if (data[i] == '\n' && data[i + 1] == '\n')
      return i + 2;
    if (i + 3 < len && memcmp(data + i, "\r\n\r\n", 4) == 0)
      return i + 4;
  }
  return len;
}

/* Whom to answer, or NULL: the envelope sender, else From. */
static const char *answer_to(const releve_config *cfg, const releve_inbox_message *m,
                             const releve_inbox_envelope *env) {
  const char *to = env->sender ? env->sender : m ? m->from : NULL;
  if (m == NULL || m->automatic || to == NULL || *to == '\0' || strchr(to, '@') == NULL)
    return NULL;
  if (strcasecmp(to, cfg->mail_from) == 0)
    return NULL; /* a note of ours come back */
  return to;
}

/* Records the sender's note of today: 1 when it is the first, 0 when one
 * went already, or a negative errno value. */
static int first_today(releve_store *s, const char *to) {
  char today[11];
  long long changes;
  int rc;

  releve_clock_utc_day(time(NULL), today);
  rc = releve_store_run_texts(s, RELEVE_SQL_MAIL_ANSWER_ONCE, (const char *[]){to, today}, 2,
                              &changes);
  return rc < 0 ? rc : changes > 0;
}

static int queue_note(releve_store *s, const releve_config *cfg, const char *to, const char *why) {
  const char *rcpt[2] = {to, NULL};
  char *body, err[256];
  releve_mail mail;
  int rc;

  body = releve_str_printf(
      "Bonjour,\n\n"
      "Votre message à relevé n'a pas été pris en compte : %s.\n\n"
      "Pour envoyer vos chiffres, répondez au dernier courriel de relevé que vous avez reçu "
      "(relance ou accusé de réception), depuis l'adresse à laquelle il vous a été envoyé, "
      "en joignant le tableau rempli (xlsx, ods ou csv).\n"
      "%s%s%s\n"
      "Ce message est automatique.\n",
      why, cfg->coordinator ? "Pour toute question : " : "",
      cfg->coordinator ? cfg->coordinator : "", cfg->coordinator ? "\n" : "");
  if (body == NULL)
    return -ENOMEM;
  memset(&mail, 0, sizeof mail);
  mail.from = cfg->mail_from;
  mail.to = rcpt;
  mail.reply_to = cfg->coordinator;
  mail.subject = "relevé : votre message n'a pas été pris en compte";
  mail.body = body;
  rc = releve_mail_queue_queue(s, &mail, NULL, err, sizeof err);
  if (rc == -EINVAL) {
    releve_warn("no note to %s about its quarantined message: %s", to, err);
    rc = 0;
  }
  free(body);
  return rc;
}

static int record(releve_store *s, const char *key, const char *why) {
  char now[32];

  releve_clock_utc_text(time(NULL), now);
  return releve_store_run_texts(s, RELEVE_SQL_MAIL_MESSAGE_QUARANTINED,
                                (const char *[]){key, why, now}, 3, NULL);
}

int releve_quarantine_keep(releve_store *s, const releve_config *cfg, const char *key,
                           const void *data, size_t len, const releve_inbox_message *m,
                           const releve_inbox_envelope *env, const char *why, int *answered) {
  const char *to = answer_to(cfg, m, env);
  const releve_actor *personal = m ? personal_actor(cfg, m, env) : NULL;
  char *kept = NULL;
  int rc, first = 0;

  *answered = 0;
  /* A personal-data actor's rows live only in memory while they are
   * counted: of such a message the quarantine keeps the headers alone. */
  if (personal) {
    kept = releve_str_printf("%s ; ses pièces jointes ne sont pas gardées (l'acteur %s envoie "
                             "des données personnelles)",
                             why, personal->id);
    if (kept == NULL)
      return -ENOMEM;
    why = kept;
    len = header_length(data, len);
  }
  rc = write_files(cfg, key, data, len, why);
  if (rc == 0)
    rc = releve_store_begin(s);
  if (rc) {
    free(kept);
    return rc;
  }
  rc = record(s, key, why);
  if (rc == 0 && to && (rc = first = first_today(s, to)) > 0)
    rc = queue_note(s, cfg, to, why);
  if (rc == 0)
    rc = releve_store_commit(s);
  else
    releve_store_rollback(s);
  *answered = rc == 0 && first > 0;
  free(kept);
  return rc;
}
