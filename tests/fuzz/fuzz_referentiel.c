/* fuzz_referentiel.c -- libFuzzer target for releve_referentiel_parse: the
 * input is a référentiel JSON. A refused one must say why; an accepted one
 * must be a consistent tree that lookups find their way through. */
#include <errno.h>

#include "fuzz.h"
#include "util/log.h"
#include "referentiel/referentiel.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  releve_log_set_level(0);
  return 0;
}

static int is_node(const releve_referentiel *r, const releve_node *n) {
  return n >= r->nodes && n < r->nodes + r->n_nodes;
}

static void check_accepted(const releve_referentiel *r) {
  size_t i;

  FUZZ_CHECK(r->title != NULL);
  FUZZ_CHECK(r->n_indicators > 0);
  FUZZ_CHECK(r->n_themes <= r->n_nodes);
  for (i = 0; i < r->n_nodes; i++)
    FUZZ_CHECK(r->nodes[i].id != NULL && r->nodes[i].name != NULL);
  for (i = 1; i < r->n_actors; i++)
    FUZZ_CHECK(strcmp(r->actors[i - 1].id, r->actors[i].id) < 0);
  for (i = 0; i < r->n_indicators; i++) {
    const releve_indicator *ind = &r->indicators[i];
    FUZZ_CHECK(ind->id != NULL && ind->label != NULL && ind->actor != NULL);
    FUZZ_CHECK(releve_referentiel_find(r, ind->id) == ind);
    FUZZ_CHECK(releve_referentiel_actor(r, ind->actor) != NULL);
    FUZZ_CHECK(is_node(r, ind->theme) && ind->theme < r->nodes + r->n_themes);
    FUZZ_CHECK(ind->action == NULL || is_node(r, ind->action));
    FUZZ_CHECK(ind->target.text != NULL);
    FUZZ_CHECK(releve_unit_name(ind->unit) != NULL);
    FUZZ_CHECK(releve_period_kind_name(ind->period) != NULL);
    FUZZ_CHECK(releve_target_kind_name(ind->target.kind) != NULL);
    if (i > 0)
      FUZZ_CHECK(strcmp(r->by_id[i - 1]->id, r->by_id[i]->id) < 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *sink;
  char *text = fuzz_string(data, size);
  releve_referentiel r;
  releve_diags d = {0};
  int rc;

  if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
    abort();
  rc = releve_referentiel_parse(&r, "fuzz.json", text, &d);
  FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
  if (rc == 0) {
    FUZZ_CHECK(releve_diags_count(&d, RELEVE_DIAG_ERROR) == 0);
    check_accepted(&r);
  } else {
    FUZZ_CHECK(releve_diags_count(&d, RELEVE_DIAG_ERROR) > 0 || rc == -ENOMEM);
  }
  releve_diags_print(&d, sink);
  releve_diags_free(&d);
  releve_referentiel_free(&r);
  free(text);
  return 0;
}
