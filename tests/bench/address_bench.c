/* address_bench.c -- load time of a 150,000-address reference and
 * addresses matched per second on one core. Built and run by address.sh;
 * not part of the build or of ctest.
 *
 * The reference is synthetic, in the BAN layout with zone columns: the
 * street names of the real BAN sample combined with street types and
 * second words, spread over the 20 arrondissements, numbers 1-90 with
 * some bis. The queries are typed the ways agencies type: as in the BAN,
 * abbreviated and upper-case, suffix spelled out, the whole line with
 * clutter in the street field, and streets that do not exist. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "address/addr_match.h"

static const char *const types[] = {"Rue", "Boulevard", "Avenue", "Place", "Impasse",
                                    "Passage", "Villa", "Square"};
static const char *const abbr[] = {"R.", "BD", "AV", "PL", "IMP", "PAS", "VLA", "SQ"};
static const char *const bases[] = {"Myrha", "Polonceau", "Stephenson", "de Tanger"};
static const char *const words[] = {
    "Leclerc", "Dormoy", "Villette", "Chapelle", "Ourcq", "Belleville", "Crimee", "Riquet",
    "Pajol", "Marcadet", "Ordener", "Doudeauville", "Custine", "Championnet", "Labat",
    "Simart", "Poulet", "Cave", "Leon", "Jessaint", "Philippe", "Cugnot", "Tristan", "Tzara",
    "Aubervilliers", "Flandre", "Kabylie", "Mathis", "Curial", "Archereau", "Joinville",
    "Thionville", "Nantes", "Solidarite", "Marseillaise", "Pelleport", "Compans", "Algerie",
    "Danube", "Michelet", "Karr", "Evangile", "Hermite", "Moskova", "Blemont", "Pouchet",
    "Bedier", "Boutroux"};

#define NTYPES (sizeof types / sizeof types[0])
#define NBASES (sizeof bases / sizeof bases[0])
#define NWORDS (sizeof words / sizeof words[0])
#define NUMBERS 90

/* Wall time, and the CPU time of this thread: on a shared machine the
 * second is what "per second on one core" means. */
static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Street s: its name, arrondissement and zone of number n ("" outside). */
static void street_name(size_t s, char *out, size_t size, int abbreviated) {
  snprintf(out, size, "%s %s %s", abbreviated ? abbr[s % NTYPES] : types[s % NTYPES],
           bases[(s / NTYPES) % NBASES], words[s / (NTYPES * NBASES)]);
}

static const char *zone_of(size_t s, unsigned n) {
  static char code[16];
  if (s % 5 == 0)
    return ""; /* outside */
  if (s % 5 == 1 && n > NUMBERS / 2)
    return ""; /* split streets */
  snprintf(code, sizeof code, "QP0750%02zu", s % 20 + 1);
  return code;
}

static size_t write_reference(const char *path) {
  FILE *f = fopen(path, "w");
  size_t s, rows = 0;
  unsigned n;
  char name[128];
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  fprintf(f, "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;"
             "code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;"
             "nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;"
             "certification_commune;cad_parcelles;qpv;qva\n");
  for (s = 0; s < NTYPES * NBASES * NWORDS; s++) {
    street_name(s, name, sizeof name, 0);
    for (n = 1; n <= NUMBERS; n++) {
      unsigned arr = (unsigned)(s % 20) + 1, k;
      for (k = 0; k < (n % 7 == 0 ? 2u : 1u); k++) {
        fprintf(f, "751%02u_%04zu_%05u%s;751%02u_%04zu;%u;%s;%s;750%02u;751%02u;Paris;;;0;0;0;0;"
                   "entree;;;PARIS;;cadastre;cadastre;1;;%s;\n",
                arr, s, n, k ? "_b" : "", arr, s, n, k ? "b" : "", name, arr, arr,
                zone_of(s, n));
        rows++;
      }
    }
  }
  if (fclose(f) != 0) {
    perror(path);
    exit(1);
  }
  return rows;
}

typedef struct query {
  char number[16], street[160], postcode[8];
} query;

static void make_query(query *q, unsigned long i) {
  size_t s = (i * 2654435761u) % (NTYPES * NBASES * NWORDS);
  unsigned n = (unsigned)(i % NUMBERS) + 1, arr = (unsigned)(s % 20) + 1;
  char name[128];
  snprintf(q->postcode, sizeof q->postcode, "750%02u", arr);
  switch (i % 5) {
  case 0: /* as in the BAN */
    street_name(s, name, sizeof name, 0);
    snprintf(q->number, sizeof q->number, "%u", n);
    snprintf(q->street, sizeof q->street, "%s", name);
    break;
  case 1: /* abbreviated, upper case, zero-padded, suffix spelled */
    street_name(s, name, sizeof name, 1);
    snprintf(q->number, sizeof q->number, "%03u bis", n);
    snprintf(q->street, sizeof q->street, "%s", name);
    break;
  case 2: /* the whole line in the street field, with clutter */
    street_name(s, name, sizeof name, 0);
    q->number[0] = '\0';
    snprintf(q->street, sizeof q->street, "%ub, %s, Bât C, 3e étage", n, name);
    break;
  case 3: /* INSEE code instead of the postcode */
    street_name(s, name, sizeof name, 0);
    snprintf(q->number, sizeof q->number, "%u", n);
    snprintf(q->street, sizeof q->street, "%s", name);
    snprintf(q->postcode, sizeof q->postcode, "751%02u", arr);
    break;
  default: /* a street that is not there */
    snprintf(q->number, sizeof q->number, "%u", n);
    snprintf(q->street, sizeof q->street, "Allée %s %s", bases[i % NBASES], words[i % NWORDS]);
    break;
  }
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "/tmp/releve-bench-addresses.csv";
  unsigned long nq = argc > 2 ? strtoul(argv[2], NULL, 10) : 2000000, i;
  unsigned long levels[RELEVE_ADDR_LEVELS] = {0};
  releve_addr_spec spec = {path, "ban", NULL, NULL};
  releve_diags d = {0};
  releve_addr_ref *ref;
  query *q;
  size_t rows = write_reference(path);
  double t0, t1, c0, c1;
  int rc;

  t0 = clock_s(CLOCK_MONOTONIC);
  c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
  rc = releve_addr_ref_load(&spec, &ref, &d);
  t1 = clock_s(CLOCK_MONOTONIC);
  c1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
  if (rc) {
    releve_diags_print(&d, stderr);
    return 1;
  }
  printf("reference: %zu rows, %zu addresses, %zu streets, loaded in %.0f ms (%.0f ms of CPU)\n",
         rows, releve_addr_ref_addresses(ref), releve_addr_ref_streets(ref), (t1 - t0) * 1000,
         (c1 - c0) * 1000);
  q = malloc(4096 * sizeof *q);
  if (q == NULL)
    return 1;
  for (i = 0; i < 4096; i++)
    make_query(&q[i], i);
  t0 = clock_s(CLOCK_MONOTONIC);
  c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
  for (i = 0; i < nq; i++) {
    const query *x = &q[i & 4095];
    releve_addr_fields f = {x->number, NULL, x->street, x->postcode, NULL};
    releve_addr_result r;
    releve_addr_match(ref, &f, NULL, &r);
    levels[r.level]++;
  }
  t1 = clock_s(CLOCK_MONOTONIC);
  c1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
  printf("matched %lu addresses in %.3f s (%.3f s of CPU): %.0f addresses per CPU-second "
         "on one core (%.0f/s wall clock)\n",
         nq, t1 - t0, c1 - c0, nq / (c1 - c0), nq / (t1 - t0));
  printf("levels: exact %lu, number %lu, street %lu, unmatched %lu\n",
         levels[RELEVE_ADDR_EXACT], levels[RELEVE_ADDR_NUMBER], levels[RELEVE_ADDR_STREET],
         levels[RELEVE_ADDR_UNMATCHED]);
  free(q);
  releve_addr_ref_free(ref);
  releve_diags_free(&d);
  remove(path);
  return 0;
}
