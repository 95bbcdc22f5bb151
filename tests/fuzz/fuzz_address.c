/* fuzz_address.c -- libFuzzer target for address matching (addr_match.h,
 * addr_norm.h, addr_near.h). The input is one address per line,
 * fields separated by '|':
 *
 *   NUMBER|STREET|POSTCODE|CITY|COMPLEMENT
 *
 * matched against the messy set's reference (tests/fixtures/addresses/
 * messy/reference.csv). Checks what the CLI and the mapper rely on: a
 * placed address names its street, commune and a zone of the reference
 * (or none); an unplaced one says why; the readings of a street key fit
 * their buffers; the distance is symmetric and zero on equal strings. */
#include "address/addr_match.h"
#include "address/addr_near.h"
#include "fuzz.h"

static releve_addr_ref *ref;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  releve_addr_spec spec = {RELEVE_FUZZ_ADDRESSES, "ban", NULL, NULL};
  releve_diags d = {0};
  (void)argc;
  (void)argv;
  if (releve_addr_ref_load(&spec, &ref, &d) != 0) {
    releve_diags_print(&d, stderr);
    abort();
  }
  releve_diags_free(&d);
  return 0;
}

static void one(char *line) {
  char *field[5] = {"", "", "", "", ""}, *p = line;
  char readings[RELEVE_ADDR_READINGS][RELEVE_ADDR_STREET_MAX];
  releve_addr_fields f;
  releve_addr_result r;
  releve_addr_key key;
  size_t i, n;

  for (i = 0; i < 5 && p; i++)
    field[i] = strsep(&p, "|");
  f.number = field[0];
  f.suffix = NULL;
  f.street = field[1];
  f.postcode = field[2];
  f.city = field[3];
  releve_addr_match(ref, &f, field[4], &r);
  FUZZ_CHECK(r.level < RELEVE_ADDR_LEVELS);
  if (r.level == RELEVE_ADDR_UNMATCHED) {
    FUZZ_CHECK(r.miss > RELEVE_ADDR_MISS_NONE && r.miss < RELEVE_ADDR_MISSES);
    FUZZ_CHECK(r.zone == NULL && r.street == NULL);
  } else {
    FUZZ_CHECK(r.miss == RELEVE_ADDR_MISS_NONE && r.street && r.commune);
    FUZZ_CHECK(r.zone == NULL || releve_addr_ref_zone_by_code(ref, r.zone->code) == r.zone);
  }
  releve_addr_norm(&f, &key);
  FUZZ_CHECK(strlen(key.street) < sizeof key.street);
  n = releve_addr_words_readings(key.street, readings);
  FUZZ_CHECK(n <= RELEVE_ADDR_READINGS);
  for (i = 0; i < n; i++)
    FUZZ_CHECK(strlen(readings[i]) < RELEVE_ADDR_STREET_MAX && strcmp(readings[i], key.street));
  FUZZ_CHECK(releve_addr_near_distance(field[1], field[1], 2) == 0);
  FUZZ_CHECK(releve_addr_near_distance(field[1], field[4], 3) ==
             releve_addr_near_distance(field[4], field[1], 3));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_string(data, size), *p = s, *line;
  while ((line = strsep(&p, "\n")) != NULL)
    one(line);
  free(s);
  return 0;
}
