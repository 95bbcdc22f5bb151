/* `releve addresses check`: places every address of a partner's file with
 * the configured reference, as the daemon would, and stores nothing; for
 * the coordinator to check a file before it is sent. */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address/addr_file.h"
#include "address/addr_match.h"
#include "cli.h"

static const char usage[] =
    "usage: releve [-c FILE] addresses check [--json] FILE\n\n"
    "Reads FILE, a CSV of addresses (';', ',' or tab), and places each row with the\n"
    "configured address reference exactly as the daemon would: prints per row the level\n"
    "(exacte, numéro, voie, voie approchée, non située), the zone and its list, the BAN id\n"
    "matched and the street found (or why none was), then a summary in French. Stores\n"
    "nothing. The columns are those of the reference's layouts (BAN numero, rep, nom_voie,\n"
    "code_postal, code_insee; plain numero, suffixe, voie, code_postal) or the names given\n"
    "in addresses.columns, plus an optional complement (complement, adresse_complement)\n"
    "and city (ville, commune, nom_commune). Only the street column is required. --json\n"
    "prints the rows and the summary as JSON. On a terminal, how far the file has been\n"
    "read is shown while the rows are not. Exit status: 0 when the file was read, 1 when\n"
    "it or the configuration could not be.\n";

static const char *const miss_keys[RELEVE_ADDR_MISSES] = {"", "empty", "commune", "street",
                                                          "split"};

typedef struct check {
  const releve_addr_ref *ref;
  releve_addr_file file;
  int col[RELEVE_ADDR_COLS], complement, city;
  unsigned long rows, level[RELEVE_ADDR_LEVELS], miss[RELEVE_ADDR_MISSES], qpv, qva, outside;
  json_t *out; /* --json: the rows, printed at the end */
  cli_progress progress;
  long long size;
} check;

static const char *list_key(releve_geo_vintage v) {
  return v == RELEVE_GEO_QPV_2015 ? "2015" : v == RELEVE_GEO_QPV_2024 ? "2024" : "city";
}

static json_t *row_json(unsigned long line, const releve_addr_result *r) {
  json_t *o = json_pack("{s:I, s:s}", "line", (json_int_t)line, "level",
                        releve_addr_match_level_name(r->level));
  if (o == NULL)
    return NULL;
  if (r->level == RELEVE_ADDR_UNMATCHED) {
    json_object_set_new(o, "miss", json_string(miss_keys[r->miss]));
    return o;
  }
  json_object_set_new(o, "zone", r->zone ? json_string(r->zone->code) : json_null());
  json_object_set_new(o, "zone_kind",
                      r->zone ? json_string(r->zone->kind == RELEVE_ADDR_ZONE_QVA ? "QVA" : "QPV")
                              : json_null());
  json_object_set_new(o, "zone_list",
                      r->zone ? json_string(list_key(r->zone->vintage)) : json_null());
  json_object_set_new(o, "ban_id", r->ban_id ? json_string(r->ban_id) : json_null());
  json_object_set_new(o, "street", json_string(r->street));
  json_object_set_new(o, "commune", json_string(r->commune));
  return o;
}

/* "QP075012 (QPV, 2015)", "QVA075001 (QVA, Ville)", "hors QPV et QVA". */
static void zone_text(const releve_addr_result *r, char *out, size_t size) {
  if (r->level == RELEVE_ADDR_UNMATCHED)
    snprintf(out, size, "—");
  else if (r->zone == NULL)
    snprintf(out, size, "hors QPV et QVA");
  else
    snprintf(out, size, "%s (%s %s)", r->zone->code,
             r->zone->kind == RELEVE_ADDR_ZONE_QVA ? "QVA" : "QPV",
             r->zone->vintage == RELEVE_GEO_QPV_2015   ? "2015"
             : r->zone->vintage == RELEVE_GEO_QPV_2024 ? "2024"
                                                       : "Ville");
}

static const int widths[] = {8, 16, 24, 22};

static void header_text(void) {
  static const char *const cells[] = {"ligne", "niveau", "zone", "id BAN"};
  size_t i;
  for (i = 0; i < 4; i++)
    cli_cell(stdout, cells[i], widths[i]);
  fputs("voie retrouvée\n", stdout);
}

static void row_text(unsigned long line, const releve_addr_result *r) {
  char no[24], zone[64];
  snprintf(no, sizeof no, "%lu", line);
  zone_text(r, zone, sizeof zone);
  cli_cell(stdout, no, widths[0]);
  cli_cell(stdout, releve_addr_match_level_label(r->level), widths[1]);
  cli_cell(stdout, zone, widths[2]);
  cli_cell(stdout, r->ban_id ? r->ban_id : "—", widths[3]);
  if (r->level == RELEVE_ADDR_UNMATCHED)
    printf("%s\n", releve_addr_match_miss_label(r->miss));
  else
    printf("%s (%s)\n", r->street, r->commune);
}

static int place(check *k) {
  const releve_addr_file *c = &k->file;
  const int *col = k->col;
  releve_addr_fields f;
  releve_addr_result r;

  f.number = releve_addr_file_field(c, col[RELEVE_ADDR_COL_NUMBER]);
  f.suffix = releve_addr_file_field(c, col[RELEVE_ADDR_COL_SUFFIX]);
  f.street = releve_addr_file_field(c, col[RELEVE_ADDR_COL_STREET]);
  f.postcode = *releve_addr_file_field(c, col[RELEVE_ADDR_COL_POSTCODE])
                   ? releve_addr_file_field(c, col[RELEVE_ADDR_COL_POSTCODE])
                   : releve_addr_file_field(c, col[RELEVE_ADDR_COL_INSEE]);
  f.city = releve_addr_file_field(c, k->city);
  releve_addr_match(k->ref, &f, releve_addr_file_field(c, k->complement), &r);
  k->rows++;
  k->level[r.level]++;
  if (r.level == RELEVE_ADDR_UNMATCHED)
    k->miss[r.miss]++;
  else if (r.zone == NULL)
    k->outside++;
  else if (r.zone->kind == RELEVE_ADDR_ZONE_QVA)
    k->qva++;
  else
    k->qpv++;
  if (k->out)
    return json_array_append_new(k->out, row_json(c->lineno, &r)) ? -ENOMEM : 0;
  row_text(c->lineno, &r);
  return 0;
}

/* n with a space between thousands: "1 050". */
static const char *count(unsigned long n, char out[32]) {
  char digits[24];
  size_t len, i, k = 0;
  snprintf(digits, sizeof digits, "%lu", n);
  len = strlen(digits);
  for (i = 0; i < len; i++) {
    if (i && (len - i) % 3 == 0)
      out[k++] = ' ';
    out[k++] = digits[i];
  }
  out[k] = '\0';
  return out;
}

static void summary_text(const check *k) {
  char a[32], b[32], c[32], d[32], e[32], f[32], share[16];
  unsigned long placed = k->rows - k->level[RELEVE_ADDR_UNMATCHED];
  size_t i;

  snprintf(share, sizeof share, "%.1f", k->rows ? 100.0 * (double)placed / (double)k->rows : 0.0);
  *strchr(share, '.') = ',';
  printf("\n%s adresse%s lue%s, %s située%s (%s %%) :\n", count(k->rows, a), k->rows > 1 ? "s" : "",
         k->rows > 1 ? "s" : "", count(placed, b), placed > 1 ? "s" : "", share);
  printf("  %s exacte%s, %s au numéro sans son suffixe, %s par la voie seule, %s sur une voie "
         "approchée (faute de frappe), %s non située%s ;\n",
         count(k->level[RELEVE_ADDR_EXACT], a), k->level[RELEVE_ADDR_EXACT] > 1 ? "s" : "",
         count(k->level[RELEVE_ADDR_NUMBER], b), count(k->level[RELEVE_ADDR_STREET], c),
         count(k->level[RELEVE_ADDR_NEAR], d), count(k->level[RELEVE_ADDR_UNMATCHED], e),
         k->level[RELEVE_ADDR_UNMATCHED] > 1 ? "s" : "");
  printf("  %s en QPV, %s en QVA, %s hors QPV et QVA.\n", count(k->qpv, a), count(k->qva, b),
         count(k->outside, f));
  for (i = 1; i < RELEVE_ADDR_MISSES; i++)
    if (k->miss[i])
      printf("  non située%s, %s : %s\n", k->miss[i] > 1 ? "s" : "",
             releve_addr_match_miss_label(i), count(k->miss[i], a));
  puts("Rien n'a été enregistré.");
}

static json_t *summary_json(const check *k) {
  json_t *misses = json_object();
  size_t i;
  for (i = 1; i < RELEVE_ADDR_MISSES; i++)
    json_object_set_new(misses, miss_keys[i], json_integer((json_int_t)k->miss[i]));
  return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "rows",
                   (json_int_t)k->rows, "exact", (json_int_t)k->level[RELEVE_ADDR_EXACT],
                   "number", (json_int_t)k->level[RELEVE_ADDR_NUMBER], "street",
                   (json_int_t)k->level[RELEVE_ADDR_STREET], "near",
                   (json_int_t)k->level[RELEVE_ADDR_NEAR], "unmatched",
                   (json_int_t)k->level[RELEVE_ADDR_UNMATCHED], "qpv", (json_int_t)k->qpv,
                   "qva", (json_int_t)k->qva, "outside", (json_int_t)k->outside, "misses",
                   misses);
}

/* Reads the file; CLI_OK or CLI_FAIL (said on stderr). */
static int run(check *k, releve_cli *cli, const char *path) {
  static const char *const complements[] = {"complement", "adresse_complement",
                                            "complement_adresse", NULL};
  static const char *const cities[] = {"ville", "commune", "nom_commune", "city", NULL};
  json_t *spec = json_object_get(cli->cfg.root, "addresses");
  const char *format = json_string_value(json_object_get(spec, "format"));
  releve_diags d = {0};
  struct stat st;
  int rc;

  if (releve_addr_file_open(&k->file, path, &d) != 0) {
    releve_diags_print(&d, stderr);
    releve_diags_free(&d);
    return CLI_FAIL;
  }
  releve_addr_file_columns(&k->file, format, json_object_get(spec, "columns"), 1, k->col);
  if (k->col[RELEVE_ADDR_COL_STREET] < 0) {
    releve_addr_file_missing(&k->file, "street",
                             releve_addr_file_col_name(format, json_object_get(spec, "columns"),
                                                       RELEVE_ADDR_COL_STREET));
    releve_diags_print(&d, stderr);
    releve_diags_free(&d);
    return CLI_FAIL;
  }
  k->complement = releve_addr_file_find(&k->file, complements);
  k->city = releve_addr_file_find(&k->file, cities);
  k->size = fstat(fileno(k->file.f), &st) == 0 ? (long long)st.st_size : 0;
  if (k->out == NULL)
    header_text();
  while ((rc = releve_addr_file_next(&k->file)) > 0) {
    if (place(k) != 0) {
      rc = -ENOMEM;
      break;
    }
    if (k->size > 0)
      cli_progress_draw(&k->progress, "%s : ligne %lu, %lld %%", path, k->file.lineno,
                        (long long)ftello(k->file.f) * 100 / k->size);
  }
  cli_progress_end(&k->progress);
  if (rc < 0 && releve_diags_count(&d, RELEVE_DIAG_ERROR) > 0)
    releve_diags_print(&d, stderr);
  else if (rc < 0)
    fprintf(stderr, "releve: %s: %s after line %lu\n", path, strerror(-rc), k->file.lineno);
  releve_diags_free(&d);
  return rc < 0 ? CLI_FAIL : CLI_OK;
}

static int addresses_check(releve_cli *cli, int argc, char **argv) {
  static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
  check k;
  int json = 0, opt, rc;

  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if (opt != 'j')
      return cli_usage(usage);
    json = 1;
  }
  if (optind + 1 != argc)
    return cli_usage(usage);
  if (cli_load_config(cli))
    return CLI_FAIL;
  if (cli->cfg.addresses == NULL) {
    fprintf(stderr, "releve: no address reference in the configuration; add a top-level "
                    "\"addresses\": {\"file\": …} (see `man releve`)\n");
    return CLI_FAIL;
  }
  memset(&k, 0, sizeof k);
  k.ref = cli->cfg.addresses;
  cli_progress_init(&k.progress);
  /* Rows streaming to the terminal show the progress themselves. */
  if (!json && isatty(STDOUT_FILENO))
    k.progress.tty = 0;
  if (json && (k.out = json_array()) == NULL)
    return CLI_FAIL;
  rc = run(&k, cli, argv[optind]);
  releve_addr_file_close(&k.file);
  if (rc != CLI_OK) {
    json_decref(k.out);
    return rc;
  }
  if (!json) {
    summary_text(&k);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
  }
  return cli_print_json(json_pack("{s:s, s:o, s:o}", "file", argv[optind], "rows", k.out,
                                  "summary", summary_json(&k)));
}

int cmd_addresses(releve_cli *cli, int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  if (strcmp(argv[1], "check") != 0) {
    fprintf(stderr, "releve: unknown addresses command \"%s\"\n", argv[1]);
    return cli_usage(usage);
  }
  if (cli_wants_help(argc - 1, argv + 1, usage))
    return CLI_OK;
  return addresses_check(cli, argc - 1, argv + 1);
}
