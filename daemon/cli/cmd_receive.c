/* `releve receive`: one partner's message on standard input, as an MTA
 * pipes it (Postfix pipe(8), an alias). Exit codes are sysexits(3)'s, which
 * MTAs understand: 0 once the message is durably taken or quarantined
 * (or was before), 75 (EX_TEMPFAIL: the MTA delivers it again later) when
 * the configuration, the database or the disk fails, 65 (EX_DATAERR) for
 * input that cannot even be quarantined (nothing at all). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "inbox/inbox.h"

enum { EX_OK_ = 0, EX_DATAERR_ = 65, EX_TEMPFAIL_ = 75 };

/* Reads standard input whole, keeping at most max bytes; *total gets its
 * size. 0 or a negative errno value. */
static int read_message(long long max, char **data, size_t *len, unsigned long long *total) {
  size_t cap = 0;
  char chunk[65536];
  ssize_t n;

  *data = NULL;
  *len = 0;
  *total = 0;
  while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) != 0) {
    size_t keep;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -errno;
    }
    *total += (unsigned long long)n;
    keep = *len + (size_t)n > (size_t)max ? (size_t)max - *len : (size_t)n;
    if (keep == 0)
      continue;
    if (*len + keep > cap) {
      char *grown;
      cap = (*len + keep) * 2;
      if ((grown = realloc(*data, cap)) == NULL)
        return -ENOMEM;
      *data = grown;
    }
    memcpy(*data + *len, chunk, keep);
    *len += keep;
  }
  return 0;
}

int cmd_receive(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] receive [-f SENDER] [-t RECIPIENT] < MESSAGE\n\n"
      "Takes one partner's message (RFC 5322) on standard input, as a mail server\n"
      "delivers it: each attachment a reader of the actor recognises is dropped into\n"
      "the actor's incoming/ folder, and releved ingests it. The message must be\n"
      "addressed to the actor's reply address (`releve mail-token`) and come from one\n"
      "of the actor's emails; anything else is quarantined with its reason and the\n"
      "sender told why. The same message twice changes nothing.\n"
      "  -f SENDER     the envelope sender (Postfix pipe(8): ${sender}); \"\" is the\n"
      "                null sender of a bounce. Default: $SENDER when set.\n"
      "  -t RECIPIENT  the envelope recipient (${recipient}). Default: $RECIPIENT.\n"
      "Exit status: 0 taken or quarantined, 75 try again later (configuration,\n"
      "database or disk unavailable), 65 no message on standard input.\n";
  releve_inbox_envelope env = {getenv("SENDER"), getenv("RECIPIENT")};
  releve_inbox_result res;
  releve_plugins plugins;
  unsigned long long total;
  char *data;
  size_t len;
  int opt, rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt(argc, argv, "f:t:")) != -1) {
    if (opt == 'f')
      env.sender = optarg;
    else if (opt == 't')
      env.recipient = optarg;
    else
      return cli_usage(usage);
  }
  if (optind != argc)
    return cli_usage(usage);
  if (cli_load_config(cli))
    return EX_TEMPFAIL_;
  if ((rc = read_message(cli->cfg.mail_max_message_bytes, &data, &len, &total)) != 0) {
    fprintf(stderr, "releve: receive: cannot read the message: %s\n", strerror(-rc));
    free(data);
    return EX_TEMPFAIL_;
  }
  if (len == 0) {
    fprintf(stderr, "releve: receive: no message on standard input\n");
    free(data);
    return EX_DATAERR_;
  }
  if (cli_open_store(cli, 1) || cli_load_plugins(cli, &plugins)) {
    free(data);
    return EX_TEMPFAIL_;
  }
  rc = releve_inbox_receive(&cli->store, &cli->cfg, &plugins, data, len, total, &env, &res);
  releve_plugins_unload(&plugins);
  free(data);
  if (rc) {
    fprintf(stderr, "releve: receive: message %s not taken, to be delivered again: %s\n",
            res.key[0] ? res.key : "?", strerror(-rc));
    return EX_TEMPFAIL_;
  }
  if (res.outcome == RELEVE_INBOX_TAKEN)
    printf("message %s de %s : %d fichier%s déposé%s\n", res.key, res.actor, res.dropped,
           res.dropped > 1 ? "s" : "", res.dropped > 1 ? "s" : "");
  else if (res.outcome == RELEVE_INBOX_QUARANTINED)
    printf("message %s mis en quarantaine : %s\n", res.key, res.why);
  else
    printf("message %s déjà reçu : rien de nouveau\n", res.key);
  return EX_OK_;
}
