#include "inbox/sender.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mail/mail_token.h"

static int actor_address(const releve_actor *a, const char *address) {
  size_t i;
  for (i = 0; i < a->n_emails; i++)
    if (strcasecmp(a->emails[i], address) == 0)
      return 1;
  return 0;
}

/* The first recipient that is a reply address (any token), and whether
 * one of them carries its actor's current token. */
typedef struct addressed {
  const releve_actor *actor; /* with its current token */
  const char *stale;         /* a reply address whose token is not current */
} addressed;

static int check_recipient(releve_store *s, const releve_config *cfg, const char *address,
                           addressed *out) {
  char id[128], token[RELEVE_MAIL_TOKEN_LEN + 1], current[RELEVE_MAIL_TOKEN_LEN + 1];
  const releve_actor *a;
  int rc;

  if (!releve_mail_token_parse(cfg->mail_reply_to, address, id, sizeof id, token))
    return 0;
  if ((a = releve_config_actor(cfg, id)) == NULL) {
    out->stale = out->stale ? out->stale : address;
    return 0;
  }
  rc = releve_mail_token_get(s, a->id, 0, current);
  if (rc == -ENOENT || (rc == 0 && strcmp(current, token) != 0)) {
    out->stale = out->stale ? out->stale : address;
    return 0;
  }
  if (rc)
    return rc;
  out->actor = a;
  return 1;
}

static int auth_passes(const releve_config *cfg, const releve_inbox_message *m) {
  size_t i;
  for (i = 0; i < m->n_auth_results; i++)
    if (releve_inbox_mime_auth_pass(m->auth_results[i], cfg->mail_trust_authentication))
      return 1;
  return 0;
}

int releve_inbox_sender_check(releve_store *s, const releve_config *cfg,
                              const releve_inbox_message *m, const releve_inbox_envelope *env,
                              const releve_actor **actor, char *why, size_t why_size) {
  addressed to = {NULL, NULL};
  size_t i;
  int rc = 0;

  *actor = NULL;
  if (cfg->mail_reply_to == NULL) {
    snprintf(why, why_size, "mail.reply_to n'est pas réglé : aucun message n'est pris");
    return 1;
  }
  if (env->recipient && *env->recipient)
    rc = check_recipient(s, cfg, env->recipient, &to);
  for (i = 0; rc == 0 && i < m->n_recipients; i++)
    rc = check_recipient(s, cfg, m->recipients[i], &to);
  if (rc < 0)
    return rc;
  if (to.actor == NULL) {
    if (to.stale)
      snprintf(why, why_size,
               "adressé à %s, dont le jeton n'est pas (ou plus) celui d'un acteur", to.stale);
    else
      snprintf(why, why_size, "adressé à aucune adresse de réponse d'acteur (%s+acteur.jeton)",
               cfg->mail_reply_to);
    return 1;
  }
  if (m->from == NULL || !actor_address(to.actor, m->from)) {
    snprintf(why, why_size, "l'expéditeur %s n'est pas une adresse de l'acteur %s",
             m->from ? m->from : "(sans From)", to.actor->id);
    return 1;
  }
  if (env->sender && !actor_address(to.actor, env->sender)) {
    snprintf(why, why_size, "l'expéditeur d'enveloppe %s n'est pas une adresse de l'acteur %s",
             *env->sender ? env->sender : "<>", to.actor->id);
    return 1;
  }
  if (cfg->mail_trust_authentication && !auth_passes(cfg, m)) {
    snprintf(why, why_size,
             "aucun en-tête Authentication-Results de %s ne montre dkim=pass ou spf=pass",
             cfg->mail_trust_authentication);
    return 1;
  }
  *actor = to.actor;
  return 0;
}
