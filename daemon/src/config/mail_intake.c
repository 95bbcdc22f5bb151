#include "config/mail_intake.h"

#include <string.h>

/* The reply address gets "+actor.token" added to its local part, so the
 * local part must be a plain dot-atom with no '+' of its own (else the
 * address of one actor could be read as another's), and the domain a host
 * name. */
static int plain_address(const char *s) {
  const char *at = strchr(s, '@'), *p;
  if (at == NULL || at == s || at[1] == '\0' || at[1] == '.' || at[strlen(at) - 1] == '.')
    return 0;
  for (p = s; *p; p++) {
    int alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
    if (!(alnum || *p == '.' || *p == '-' || (p < at && *p == '_') || p == at))
      return 0;
  }
  return 1;
}

void releve_mail_intake_load(releve_config *cfg, const releve_jctx *c, json_t *mail) {
  long long max = RELEVE_MAIL_MAX_MESSAGE_BYTES;

  cfg->mail_reply_to = NULL;
  cfg->mail_trust_authentication = NULL;
  if (mail) {
    releve_json_string(c, mail, "mail", "reply_to", 0, &cfg->mail_reply_to);
    releve_json_string(c, mail, "mail", "trust_authentication_results", 0,
                       &cfg->mail_trust_authentication);
    if (releve_json_int(c, mail, "mail", "max_message_bytes", 0, &max) == 1 &&
        (max < 1024 || max > 1024LL * 1024 * 1024)) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "mail.max_message_bytes", 0, 0,
                       "%lld is out of range; a whole number of bytes from 1024 to 1073741824 "
                       "is expected",
                       max);
      max = RELEVE_MAIL_MAX_MESSAGE_BYTES;
    }
  }
  cfg->mail_max_message_bytes = max;
  if (cfg->mail_reply_to && !plain_address(cfg->mail_reply_to))
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "mail.reply_to", 0, 0,
                     "\"%s\" is not a plain reply address; local@domain is expected, the local "
                     "part of letters, digits, '.', '-' or '_' and no '+' (each actor's token "
                     "is added after a '+')",
                     cfg->mail_reply_to);
  if (cfg->mail_trust_authentication && cfg->mail_trust_authentication[0] == '\0')
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "mail.trust_authentication_results",
                     0, 0, "is empty; the host name your MX writes in Authentication-Results is "
                           "expected");
}
