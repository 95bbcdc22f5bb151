/* The messy-address set of tests/fixtures/addresses/messy/ (made by its
 * make_set.py, seeded): addresses typed the ways agencies type them
 * (1,050, of which 110 traps), each with its truth, against a reference of
 * 1,246 addresses (the real BAN rows and synthetic streets). Resolvable addresses must be placed in their
 * zone (≥ 97 %), never in another; traps (a street of that name only in
 * another arrondissement, a name two arrondissements share without a
 * postcode, a number a split street lacks, a street the reference lacks, a
 * typo between two streets or with a number its street lacks) never placed.
 * The figures by category and level are asserted, so that a change in the
 * matching shows here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "address/addr_file.h"
#include "address/addr_match.h"

#define SET RELEVE_SOURCE_DIR "/tests/fixtures/addresses/messy/"
#define MAX_CATEGORIES 16
/* The figures README.md gives: change both together. */
#define RESOLVABLE 940
#define FIG_PLACED 921
#define FIG_EXACT 680
#define FIG_NUMBER 30
#define FIG_STREET 40
#define FIG_NEAR 171

typedef struct tally {
  char name[64];
  unsigned long n, trap, level[RELEVE_ADDR_LEVELS], wrong, wrong_id;
} tally;

static tally *category(tally *t, size_t *n, const char *name) {
  size_t i;
  for (i = 0; i < *n; i++)
    if (strcmp(t[i].name, name) == 0)
      return &t[i];
  assert_true(*n < MAX_CATEGORIES);
  snprintf(t[*n].name, sizeof t[*n].name, "%s", name);
  return &t[(*n)++];
}

static void test_messy_set(void **state) {
  releve_addr_spec spec = {SET "reference.csv", "ban", NULL, NULL};
  static const char *const cols[] = {"numero", "voie", "complement", "code_postal", "ville",
                                     "categorie", "attendu", "zone", "id"};
  tally t[MAX_CATEGORIES], all;
  releve_diags d = {0};
  releve_addr_ref *ref = NULL;
  releve_addr_file c;
  int col[9], rc;
  size_t nt = 0, i, k;
  unsigned long resolvable = 0, placed = 0, traps = 0, traps_placed = 0;
  (void)state;

  memset(t, 0, sizeof t);
  memset(&all, 0, sizeof all);
  rc = releve_addr_ref_load(&spec, &ref, &d);
  if (rc)
    releve_diags_print(&d, stderr);
  assert_int_equal(rc, 0);
  assert_int_equal(releve_addr_ref_addresses(ref), 1246);
  assert_int_equal(releve_addr_file_open(&c, SET "messy.csv", &d), 0);
  for (k = 0; k < 9; k++) {
    const char *names[] = {cols[k], NULL};
    col[k] = releve_addr_file_find(&c, names);
    assert_true(col[k] >= 0);
  }
  while ((rc = releve_addr_file_next(&c)) > 0) {
    const char *truth_zone = releve_addr_file_field(&c, col[7]);
    const char *truth_id = releve_addr_file_field(&c, col[8]);
    int trap = strcmp(releve_addr_file_field(&c, col[6]), "piège") == 0;
    releve_addr_fields f = {releve_addr_file_field(&c, col[0]), NULL,
                            releve_addr_file_field(&c, col[1]), releve_addr_file_field(&c, col[3]),
                            releve_addr_file_field(&c, col[4])};
    tally *cat = category(t, &nt, releve_addr_file_field(&c, col[5]));
    releve_addr_result r;

    releve_addr_match(ref, &f, releve_addr_file_field(&c, col[2]), &r);
    cat->n++;
    cat->level[r.level]++;
    cat->trap += trap;
    if (trap) {
      traps++;
      if (r.level != RELEVE_ADDR_UNMATCHED) {
        traps_placed++;
        print_error("line %lu, trap placed: [%s|%s|%s] → %s %s\n", c.lineno, f.number, f.street,
                    f.postcode, releve_addr_match_level_name(r.level),
                    r.zone ? r.zone->code : "outside");
      }
      continue;
    }
    resolvable++;
    if (r.level == RELEVE_ADDR_UNMATCHED) {
      print_message("line %lu, not placed (%s): [%s|%s|%s|%s]\n", c.lineno, cat->name,
                    f.number, f.street, f.postcode, f.city);
      continue;
    }
    placed++;
    if (strcmp(r.zone ? r.zone->code : "", truth_zone) != 0) {
      cat->wrong++;
      print_error("line %lu, wrong zone: [%s|%s|%s] → %s, truth %s\n", c.lineno, f.number,
                  f.street, f.postcode, r.zone ? r.zone->code : "outside",
                  *truth_zone ? truth_zone : "outside");
    }
    if (r.ban_id && *truth_id && strcmp(r.ban_id, truth_id) != 0)
      cat->wrong_id++;
  }
  assert_int_equal(rc, 0);
  releve_addr_file_close(&c);
  releve_diags_free(&d);

  print_message("%-40s %5s %6s %6s %6s %6s %9s %6s\n", "category", "rows", "exact", "number",
                "street", "near", "unplaced", "wrong");
  for (i = 0; i < nt; i++) {
    print_message("%-40s %5lu %6lu %6lu %6lu %6lu %9lu %6lu\n", t[i].name, t[i].n,
                  t[i].level[RELEVE_ADDR_EXACT], t[i].level[RELEVE_ADDR_NUMBER],
                  t[i].level[RELEVE_ADDR_STREET], t[i].level[RELEVE_ADDR_NEAR],
                  t[i].level[RELEVE_ADDR_UNMATCHED], t[i].wrong + t[i].wrong_id);
    all.wrong += t[i].wrong;
    all.wrong_id += t[i].wrong_id;
    for (k = 0; k < RELEVE_ADDR_LEVELS; k++)
      all.level[k] += t[i].level[k];
  }
  print_message("placed %lu of %lu resolvable (%.1f %%), %lu wrong zones, %lu wrong ids, "
                "%lu of %lu traps placed\n",
                placed, resolvable, 100.0 * (double)placed / (double)resolvable, all.wrong,
                all.wrong_id, traps_placed, traps);

  assert_int_equal(all.wrong, 0);
  assert_int_equal(all.wrong_id, 0);
  assert_int_equal(traps_placed, 0);
  assert_int_equal(resolvable, RESOLVABLE);
  assert_int_equal(traps, 110);
  assert_true(placed * 100 >= resolvable * 97);
  assert_int_equal(placed, FIG_PLACED);
  assert_int_equal(all.level[RELEVE_ADDR_EXACT], FIG_EXACT);
  assert_int_equal(all.level[RELEVE_ADDR_NUMBER], FIG_NUMBER);
  assert_int_equal(all.level[RELEVE_ADDR_STREET], FIG_STREET);
  assert_int_equal(all.level[RELEVE_ADDR_NEAR], FIG_NEAR);
  releve_addr_ref_free(ref);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_messy_set),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
