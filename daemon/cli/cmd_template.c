/* `releve template`: the collection table an actor fills and drops. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "remind/template.h"
#include "util/buf.h"
#include "util/fs.h"

/* Without --format: a file named *.csv or *.ods gets that form, any other
 * file a workbook (xlsx), stdout the CSV. */
static releve_template_format default_format(const char *output) {
  const char *dot = output ? strrchr(output, '.') : NULL;
  releve_template_format f = RELEVE_TEMPLATE_XLSX;
  if (output == NULL)
    return RELEVE_TEMPLATE_CSV;
  if (dot && releve_template_format_parse(dot + 1, &f) != 0)
    f = RELEVE_TEMPLATE_XLSX;
  return f;
}

int cmd_template(releve_cli *cli, int argc, char **argv) {
  static const char usage[] =
      "usage: releve [-c FILE] template --actor ID --year Y [--contract ID]\n"
      "                               [--format xlsx|ods|csv] [-o FILE]\n\n"
      "Writes the collection table for ACTOR and year Y, one row per cell the actor owes\n"
      "(school year Y-(Y+1) for school-year indicators): action, indicator and label, unit,\n"
      "period, geography and its name, the 2020 target, the figures already received for the\n"
      "contract's first year and for Y-1, then the columns to fill: valeur, part, statut,\n"
      "commentaire. The partner fills it and drops it in its spool folder, whatever its own\n"
      "format: the \"template\" reader takes it back. The actor's contract gives the\n"
      "référentiel and the years; --contract, when given, must be that one.\n"
      "  xlsx  a workbook opening on a French \"Mode d'emploi\" sheet; on the \"Tableau\" sheet a\n"
      "        list for statut, number formats, reference columns grey and locked, the header\n"
      "        frozen, printed landscape one page wide (the default with -o FILE);\n"
      "  ods   the same as an OpenDocument spreadsheet (LibreOffice; -o FILE.ods);\n"
      "  csv   UTF-8 with BOM, ';', CRLF (the default on stdout; -o FILE.csv).\n"
      "A workbook goes to stdout only when it is not a terminal.\n";
  static const struct option opts[] = {{"actor", required_argument, NULL, 'a'},
                                       {"year", required_argument, NULL, 'y'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"contract", required_argument, NULL, 'k'},
                                       {NULL, 0, NULL, 0}};
  const char *actor = NULL, *output = NULL, *format_name = NULL, *contract = NULL;
  releve_template_format format;
  releve_template t;
  releve_buf out = RELEVE_BUF_INIT;
  const releve_actor *a;
  char *end;
  int year = 0, opt, rc;

  if (cli_wants_help(argc, argv, usage))
    return CLI_OK;
  while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
    if (opt == 'a')
      actor = optarg;
    else if (opt == 'y') {
      year = (int)strtol(optarg, &end, 10);
      if (*end)
        year = 0;
    } else if (opt == 'f')
      format_name = optarg;
    else if (opt == 'o')
      output = optarg;
    else if (opt == 'k')
      contract = optarg;
    else
      return cli_usage(usage);
  }
  if (actor == NULL || year == 0 || optind != argc)
    return cli_usage(usage);
  format = default_format(output);
  if (format_name && releve_template_format_parse(format_name, &format) != 0) {
    fprintf(stderr, "releve: template: format \"%s\" unknown; xlsx, ods or csv\n", format_name);
    return CLI_USAGE;
  }
  if (output == NULL && format != RELEVE_TEMPLATE_CSV && isatty(STDOUT_FILENO)) {
    fprintf(stderr, "releve: template: an .%s workbook is binary: give -o FILE or redirect the "
                    "output\n",
            releve_template_format_extension(format));
    return CLI_USAGE;
  }
  if (cli_load_config(cli) || cli_choose_contract(cli, contract, actor))
    return CLI_FAIL;
  a = releve_config_actor(cli->contract, actor);
  if (year < cli->contract->first_year || year > cli->contract->last_year) {
    fprintf(stderr, "releve: %d est hors du contrat « %s » (%d à %d)\n", year,
            cli->contract->contracts[0].id, cli->contract->first_year,
            cli->contract->last_year);
    return CLI_FAIL;
  }
  if (cli_open_store(cli, 0))
    return CLI_FAIL;
  rc = releve_template_build(&t, cli->contract, &cli->store, a, year);
  if (rc == 0)
    rc = releve_template_render(&t, format, &out);
  releve_template_free(&t);
  if (rc == 0) {
    if (output)
      rc = releve_fs_write_atomic(output, out.data, out.len, 0644);
    else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
      rc = -EIO;
  }
  releve_buf_free(&out);
  if (rc) {
    fprintf(stderr, "releve: template: %s\n", strerror(-rc));
    return CLI_FAIL;
  }
  return CLI_OK;
}
