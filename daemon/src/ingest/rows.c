/* rows.c -- the rows a rowspool replays into an ingest (ingest.h): the
 * host services, the mapper's callbacks, and each valid figure checked
 * against what the file gave before and stored as it streams by. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "ingest/validate.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/path.h"
#include "util/str.h"

void releve_ingest_on_map_error(void *ud, unsigned long line, unsigned column, const char *value,
                                const char *message) {
  releve_ingest *in = ud;
  /* A personal-data file's cells are names and addresses: the report
   * points at the line and column, never repeats the value. */
  releve_report_problem(&in->report, line, column, releve_ingest_personal(in) ? NULL : value,
                        message);
}

void releve_ingest_on_map_note(void *ud, int warning, const char *message) {
  releve_ingest *in = ud;
  if (warning)
    releve_report_warning(&in->report, 0, "%s", message);
  else
    releve_report_note(&in->report, message);
}

/* The same cell already given earlier in this file: its line, else 0. */
static long long seen_before(releve_ingest *in, const releve_figure *f, unsigned long line) {
  char key[96];
  unsigned long first = 0;
  int n = snprintf(key, sizeof key, "%s\x1f%s\x1f%s", f->indicator->id, f->period_text,
                   f->geography);
  int rc;

  if (n < 0 || (size_t)n >= sizeof key)
    n = (int)sizeof key - 1; /* ids, periods and geographies are short */
  rc = releve_cellset_add(in->cells, key, (size_t)n, line, &first);
  if (rc == 1)
    return (long long)first;
  if (rc == 0) {
    /* A new cell: its (indicator, period) pair is the key up to the second
     * separator. */
    size_t pair = strlen(f->indicator->id) + 1 + strlen(f->period_text);
    rc = releve_cellset_add(in->pairs, key, pair, line, &first);
    if (rc == 0)
      rc = releve_figures_pair(&in->figures, f->indicator->id, f->period_text);
  }
  return rc < 0 ? releve_ingest_sys_fail(in, rc) : 0;
}

/* Flags a value far from the same cell's previous year (DHIS2's min-max
 * idea): stored, but the partner is asked to double-check. */
static void check_jump(releve_ingest *in, const releve_figure *f, double prev,
                       unsigned long line) {
  char now_text[32], prev_text[32], ratio_text[32];
  double ratio;

  if (!f->has_value || f->value <= 0 || prev <= 0)
    return;
  ratio = f->value > prev ? f->value / prev : prev / f->value;
  if (ratio > in->env->cfg->jump_factor)
    releve_report_warning(&in->report, line,
                          "%s %s %s = %s contre %s l'année précédente (rapport %s) : "
                          "valeur enregistrée, merci de la vérifier",
                          f->indicator->id, f->period_text, f->geography,
                          releve_report_number(f->value, now_text),
                          releve_report_number(prev, prev_text),
                          releve_report_number(round(ratio * 10) / 10, ratio_text));
}

/* A quartier of a vintage whose list is not loaded is checked by its
 * pattern only: said once per file and list. */
static void warn_unlisted(releve_ingest *in, const char *code, unsigned long line) {
  releve_geography_list_id id = releve_geography_list_for(code);
  if (id == RELEVE_GEOGRAPHY_LISTS || (in->unlisted & (1u << id)) ||
      releve_geography_list_of(&in->env->cfg->geography, code))
    return;
  in->unlisted |= 1u << id;
  releve_report_warning(&in->report, line,
                        "%s : aucune %s n'est chargée, le code n'est vérifié que dans sa forme "
                        "(l'administrateur peut la configurer : section « geography »)",
                        code, releve_geography_list_label(id));
}

/* Whether a cell of the référentiel's table awaits this figure. */
static int expected(const releve_ingest *in, const releve_figure *f) {
  const char *const *g;
  for (g = releve_config_geographies(in->actor, f->indicator); *g; g++)
    if (strcmp(*g, f->geography) == 0)
      return 1;
  return 0;
}

static int store_figure(releve_ingest *in, const releve_figure *f, unsigned long line) {
  static const char *const words[] = {"ajoutée", "inchangée", "modifiée"};
  char shown[64], number[32];
  unsigned long first;
  double prev;
  int state, rc, cell = expected(in, f);

  if ((rc = releve_figures_read(&in->figures, f, &state, &prev)) != 0)
    return releve_ingest_sys_fail(in, rc);
  if (!cell) {
    /* Stored as it came, counted apart: it fills no cell. */
    in->context[releve_geo_classify(f->geography)]++;
    in->context_qva += strcmp(f->geography, "QVA") == 0;
    in->context_states[state]++;
  } else if (!releve_report_lists_stored(&in->report)) {
    releve_report_stored_count(&in->report);
  } else {
    if (f->has_value)
      snprintf(shown, sizeof shown, "%s%s", releve_report_number(f->value, number),
               f->indicator->unit == RELEVE_UNIT_PERCENT ? " %" : "");
    else if (f->text)
      snprintf(shown, sizeof shown, "%s", f->text);
    else /* the words a partner writes for these, not the stored codes */
      snprintf(shown, sizeof shown, "%s",
               strcmp(f->status, "suppressed") == 0      ? "secret"
               : strcmp(f->status, "not_available") == 0 ? "non disponible"
                                                         : f->status);
    releve_report_stored(&in->report, "%-7s %-10s %-9s %-14.60s %s", f->indicator->id,
                         f->period_text, f->geography, shown, words[state]);
  }
  if (state == RELEVE_FIGURE_SAME) {
    in->unchanged++;
    return 0;
  }
  if (state == RELEVE_FIGURE_NEW)
    in->added++;
  else
    in->changed++;
  check_jump(in, f, prev, line);
  /* Scopes, arrondissements and networks are recorded when the référentiel
   * is synced; only quartier codes are met for the first time here, and
   * each is written once per file. */
  if (releve_geo_classify(f->geography) == RELEVE_GEO_QUARTIER &&
      (rc = releve_cellset_add(in->quartiers, f->geography, strlen(f->geography), line,
                               &first)) != 1) {
    if (rc < 0 ||
        (rc = releve_figures_quartier(&in->figures, f->geography, releve_geo_label(f->geography))) != 0)
      return releve_ingest_sys_fail(in, rc);
    warn_unlisted(in, f->geography, line);
  }
  rc = releve_figures_write(&in->figures, f, state, in->submission, line, in->received_at);
  return rc ? releve_ingest_sys_fail(in, rc) : 0;
}

int releve_ingest_on_candidate(void *ud, const releve_candidate *c) {
  releve_ingest *in = ud;
  releve_figure f;
  releve_buf why = RELEVE_BUF_INIT;
  const char *value;
  unsigned column;
  long long first;
  int v;

  if (in->stop)
    return in->sys_error;
  v = releve_validate(&in->contract, in->actor, c, &f, &why, &column, &value);
  if (v == RELEVE_EMPTY) {
    in->empty++;
  } else if (v == RELEVE_INVALID) {
    releve_report_problem(&in->report, c->line, column, value, why.data);
  } else if ((first = seen_before(in, &f, c->line)) != 0) {
    if (first > 0) {
      char where[192];
      releve_buf_addf(&why, "%s %s %s est déjà donné %s : une seule valeur par "
                            "indicateur, période et territoire",
                      f.indicator->id, f.period_text, f.geography,
                      releve_report_where(&in->report, (unsigned long)first, 0, where));
      releve_report_problem(&in->report, c->line, 0, NULL, why.data);
    }
  } else if (in->report.n_problems == 0) {
    store_figure(in, &f, c->line);
  } else {
    /* Once a problem is found nothing will be kept: stop writing, keep
     * checking so that the report lists every problem, and count what was
     * read. */
    releve_report_stored_count(&in->report);
  }
  releve_buf_free(&why);
  return in->stop ? in->sys_error : 0;
}

static int svc_columns(void *ctx, const char *const *names, size_t n) {
  releve_ingest *in = ctx;
  if (releve_ingest_open_txn(in) != 0)
    return in->sys_error;
  if (in->duplicate_of)
    return -ECANCELED;
  if (in->columns_seen++)
    return 0;
  if (releve_mapper_columns(in->mapper, names, n) != 0) {
    in->stop = in->sys_error == 0 && in->report.n_problems == 0; /* out of memory */
    return -ECANCELED; /* the columns the mapping needs are not there: stop reading */
  }
  return 0;
}

static int svc_row(void *ctx, unsigned long line, const releve_cell *cells, size_t n) {
  releve_ingest *in = ctx;
  if (releve_ingest_open_txn(in) != 0)
    return in->sys_error;
  if (in->duplicate_of)
    return -ECANCELED;
  in->rows++;
  if (in->stop)
    return in->sys_error ? in->sys_error : -ECANCELED;
  if (!in->columns_seen) {
    releve_report_problem(&in->report, line, 0, NULL,
                          "aucune ligne d'en-tête reconnue avant les données");
    return -ECANCELED;
  }
  return releve_mapper_row(in->mapper, line, cells, n);
}

static int svc_error(void *ctx, unsigned long line, unsigned column, const char *value,
                     const char *fmt, ...) RELEVE_PRINTF(5, 6);

static int svc_error(void *ctx, unsigned long line, unsigned column, const char *value,
                     const char *fmt, ...) {
  releve_ingest *in = ctx;
  va_list ap;
  char *text;
  va_start(ap, fmt);
  text = releve_str_vprintf(fmt, ap);
  va_end(ap);
  releve_report_problem(&in->report, line, column, releve_ingest_personal(in) ? NULL : value,
                        text ? text : "erreur");
  free(text);
  return in->stop ? -ECANCELED : 0;
}

static void svc_log(void *ctx, int level, const char *fmt, ...) RELEVE_PRINTF(3, 4);

static void svc_log(void *ctx, int level, const char *fmt, ...) {
  releve_ingest *in = ctx;
  releve_buf line = RELEVE_BUF_INIT;
  va_list ap;
  /* The plugin's words after whose they are, in one line of the log. */
  releve_buf_addf(&line, "plugin %s, %s: ", in->plugin ? in->plugin->name : "?", in->name);
  va_start(ap, fmt);
  releve_buf_vaddf(&line, fmt, ap);
  va_end(ap);
  if (line.data)
    releve_log(level, "%s", line.data);
  releve_buf_free(&line);
}

int releve_ingest_sheet(void *ctx, const char *name) {
  releve_ingest *in = ctx;
  return releve_report_sheet(&in->report, name);
}

/* What a rowspool replays into the ingest. The plugin itself never calls
 * these: it writes to a rowspool, whose writer reads a workbook where the
 * plugin runs (rowpipe.c), and the sheet names come back through
 * releve_ingest_sheet(). */
static const releve_host_services services = {.struct_size = sizeof(releve_host_services),
                                              .columns = svc_columns,
                                              .row = svc_row,
                                              .error = svc_error,
                                              .log = svc_log};

const releve_host_services *releve_ingest_services(void) { return &services; }

int releve_ingest_open_spool(const releve_ingest_env *env, releve_rowspool *s) {
  char *dir = releve_config_state_dir(env->cfg);
  int rc = dir ? releve_rowspool_open(s, dir) : -ENOMEM;
  if (rc)
    releve_err("cannot make a temporary file in %s: %s", dir ? dir : "?", strerror(-rc));
  free(dir);
  return rc;
}

int releve_ingest_replay(releve_ingest *in, releve_rowspool *s, int *decode_rc) {
  int stopped = 0, rc = releve_rowspool_failed(s);
  if (rc == 0)
    rc = releve_rowspool_replay(s, &services, releve_ingest_sheet, in, &stopped);
  if (rc) {
    releve_err("ingest %s: the decoded rows could not be kept: %s", in->name, strerror(-rc));
    return rc;
  }
  if (stopped)
    *decode_rc = stopped;
  return 0;
}
