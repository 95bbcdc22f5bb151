/* mail_settings.c -- the "mail" section of releve.json: sender, relay
 * (mail/mail_send.h delivers through it), outbox, coordinator. */
#include <curl/curl.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config_int.h"
#include "config/mail_intake.h"

static int loopback_url(const char *url) {
  CURLU *u = curl_url();
  char *host = NULL;
  int lo = 0;
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
    lo = strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
         strcmp(host, "[::1]") == 0;
  curl_free(host);
  curl_url_cleanup(u);
  return lo;
}

/* Warnings beyond the keys' types: clear-text SMTP to another host, a
 * credentials file others may read. */
static void check_delivery(const releve_config *cfg, const releve_jctx *c) {
  struct stat st;

  if (cfg->smtp_url && !cfg->mail_starttls && strncmp(cfg->smtp_url, "smtp://", 7) == 0 &&
      !loopback_url(cfg->smtp_url))
    releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->file, "mail.starttls", 0, 0,
                     "false: mail%s to %s cross the network in clear; keep false for a "
                     "relay on this machine only",
                     cfg->mail_credentials ? " and the SMTP password" : "", cfg->smtp_url);
  if (cfg->mail_credentials == NULL)
    return;
  if (cfg->smtp_url == NULL)
    releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->file, "mail.credentials", 0, 0,
                     "is set but mail.smtp is not: mails go to the outbox folder");
  if (stat(cfg->mail_credentials, &st) != 0)
    releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->file, "mail.credentials", 0, 0,
                     "%s: %s; SMTP deliveries will wait until it can be read",
                     cfg->mail_credentials, strerror(errno));
  else if (st.st_mode & (S_IWGRP | S_IRWXO))
    releve_diags_add(c->diags, RELEVE_DIAG_WARNING, c->file, "mail.credentials", 0, 0,
                     "%s can be read by others or changed by its group; chmod 600 (or 640) "
                     "it",
                     cfg->mail_credentials);
}

void releve__config_mail(releve_config *cfg, const releve_jctx *c) {
  static const char *const keys[] = {"from", "smtp", "outbox", "coordinator", "credentials",
                                     "starttls", "timeout_seconds", "max_per_run",
                                     RELEVE_MAIL_INTAKE_KEYS, NULL};
  json_t *o = NULL;

  cfg->mail_from = "releve@localhost";
  cfg->mail_starttls = 1;
  cfg->mail_timeout_seconds = 30;
  cfg->mail_max_per_run = 100;
  if (releve_json_object(c, cfg->root, "", "mail", 0, &o) == 1) {
    releve_json_check_keys(c, o, "mail", keys);
    releve_json_string(c, o, "mail", "from", 0, &cfg->mail_from);
    releve_json_string(c, o, "mail", "smtp", 0, &cfg->smtp_url);
    releve_json_string(c, o, "mail", "coordinator", 0, &cfg->coordinator);
    releve_json_bool(c, o, "mail", "starttls", 0, &cfg->mail_starttls);
    cfg->mail_credentials = releve__config_path_key(cfg, c, o, "mail", "credentials", NULL);
  }
  releve__config_int_key(c, o, "mail", "timeout_seconds", 1, 600, &cfg->mail_timeout_seconds);
  releve__config_int_key(c, o, "mail", "max_per_run", 1, 100000, &cfg->mail_max_per_run);
  cfg->outbox = releve__config_path_key(cfg, c, o, "mail", "outbox", "var/outbox");
  check_delivery(cfg, c);
  releve_mail_intake_load(cfg, c, o);
  if (!releve__config_valid_email(cfg->mail_from))
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "mail.from", 0, 0,
                     "\"%s\" is not a mail address (name@domain expected)", cfg->mail_from);
  if (cfg->coordinator && !releve__config_valid_email(cfg->coordinator))
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "mail.coordinator", 0, 0,
                     "\"%s\" is not a mail address (name@domain expected)", cfg->coordinator);
  if (cfg->smtp_url && strncmp(cfg->smtp_url, "smtp://", 7) != 0 &&
      strncmp(cfg->smtp_url, "smtps://", 8) != 0)
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "mail.smtp", 0, 0,
                     "\"%s\" is not an SMTP URL (smtp://host:port or smtps://host:port)",
                     cfg->smtp_url);
}
