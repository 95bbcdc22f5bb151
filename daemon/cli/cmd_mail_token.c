/* `releve mail-token [--rotate] ACTOR`: the address an actor replies to. */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "mail/mail_token.h"

int cmd_mail_token(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] mail-token [--rotate] ACTOR\n\n"
      "Prints the address ACTOR's partners reply to, mail.reply_to with the actor's\n"
      "secret token added to its local part (local+ACTOR.TOKEN@domain): reminders and\n"
      "receipts give it as their Reply-To, and `releve receive` takes a message as the\n"
      "actor's only when it is addressed there. The token is made on first need.\n"
      "  --rotate  replace the token: the old address stops working at once (a reply\n"
      "            to an earlier reminder is then quarantined), the next mails give the\n"
      "            new one.\n";
  static const struct option opts[] = {{"rotate", no_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
  char token[RELEVE_MAIL_TOKEN_LEN + 1], address[RELEVE_MAIL_ADDRESS_MAX];
  int rotate = 0, opt, rc;
  const char *actor;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt != 'r')
      return cli_usage(usage);
    rotate = 1;
  }
  if (optind + 1 != argc)
    return cli_usage(usage);
  actor = argv[optind];
  if (cli_load_config(cli))
    return CLI_FAIL;
  if (releve_config_actor(&cli->cfg, actor) == NULL) {
    fprintf(stderr, "releve: no actor \"%s\"\n", actor);
    return CLI_FAIL;
  }
  if (cli->cfg.mail_reply_to == NULL) {
    fprintf(stderr, "releve: mail-token: mail.reply_to is not set in %s, so partners cannot "
                    "reply by mail (releve.json(5))\n",
            cli->cfg.file ? cli->cfg.file : "the built-in configuration");
    return CLI_FAIL;
  }
  if (cli_open_store(cli, 1))
    return CLI_FAIL;
  rc = rotate ? releve_mail_token_rotate(&cli->store, actor, token)
              : releve_mail_token_get(&cli->store, actor, 1, token);
  if (rc == 0)
    rc = releve_mail_token_address(cli->cfg.mail_reply_to, actor, token, address, sizeof address);
  if (rc) {
    fprintf(stderr, "releve: mail-token: %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  printf("%s\n", address);
  return CLI_OK;
}
