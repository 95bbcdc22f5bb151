/* ingest.c -- one file, one transaction (see ingest.h). The transaction
 * opens at the first row handed to the ingest, once the plugin is done
 * (its rows wait in a rowspool meanwhile); figures are then written as
 * the rows stream by, so that memory does not grow with the file, and any
 * problem rolls the whole file back. */
#include "ingest/ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/cellset.h"
#include "spool/claim.h"
#include "util/encoding.h"
#include "referentiel/geo.h"
#include "util/hash.h"
#include "util/log.h"
#include "ingest/map.h"
#include "decode/plugin_check.h"
#include "decode/reader.h"
#include "receipt/receipt.h"
#include "report/report.h"
#include "decode/rowspool.h"
#include "store/store_sql.h"
#include "decode/supervise.h"
#include "ingest/validate.h"
#include "decode/workbook.h"

struct releve_ingest {
  const releve_ingest_env *env;
  releve_ingest_request req;
  const char *name;
  char *name_escaped; /* the name as recorded and reported, when it needed escaping */
  int fd;
  char sha256[65];
  unsigned long long size;
  const releve_actor *actor;
  const releve_plugin *plugin;
  releve_reader_choice choice;
  releve_option_value *options;
  char *refusal;           /* the whole file is refused, before any row */
  long long duplicate_of;  /* submission that already stored these bytes */
  releve_ingest_result *recorded; /* recorded before a crash or a failed move (retry) */
  int in_txn;              /* BEGIN IMMEDIATE done (open_txn) */
  long long submission;
  char received_at[32];    /* the submission's time, shared by its figures */
  releve_mapper *mapper;
  int columns_seen;
  unsigned long rows;      /* rows the plugin gave */
  unsigned long bom_mixed_line; /* a BOM, then bytes that are not UTF-8 from this line */
  int stop;                /* a system failure: stop feeding */
  int sys_error;
  int added, changed, unchanged, empty;
  /* Of added, changed and unchanged (every figure stored), those kept for
   * information only: by kind of geography, and by state. */
  int context[RELEVE_GEO_NETWORK + 1];
  int context_qva; /* of the scopes', QVA figures that make a QP derivable */
  int context_states[3];
  releve_report report;
  sqlite3_stmt *obs_get, *obs_insert, *obs_update, *rev_insert, *pair_insert, *geo_insert;
  releve_cellset *cells; /* (indicator, period, geography) given so far */
  releve_cellset *pairs; /* (indicator, period), also in temp.ingest_pairs */
  releve_cellset *quartiers; /* quartier codes already recorded by this file */
};

static void refuse(releve_ingest *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void refuse(releve_ingest *in, const char *fmt, ...) {
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  if (in->refusal)
    return;
  va_start(ap, fmt);
  releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  in->refusal = releve_buf_steal(&b);
}

/* A failure that is not the file's fault (memory, disk): stop feeding. */
/* The last year an interval period counts a record for: the contract's
 * last year, or the current one while the contract runs (an open end is
 * someone still followed today, not in years to come). */
static int contract_years_so_far(const releve_config *cfg) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900 < cfg->last_year ? tm.tm_year + 1900 : cfg->last_year;
}

/* Whether the file holds personal data: the actor says so, or the plugin
 * reading it declares person-level records (privacy.h). */
static int personal(const releve_ingest *in) {
  return in->actor->personal_data ||
         (in->plugin && (releve_plugin_flags(in->plugin) & RELEVE_PLUGIN_PERSONAL_DATA));
}

static int sys_fail(releve_ingest *in, int rc) {
  in->stop = 1;
  if (in->sys_error == 0)
    in->sys_error = rc;
  return in->sys_error;
}

static int sql_fail(releve_ingest *in, int rc) {
  releve_err("sqlite while ingesting %s: %s", in->name, sqlite3_errmsg(in->env->store->db));
  return sys_fail(in, releve_store_errno(rc) ? releve_store_errno(rc) : -EIO);
}

static int open_file(releve_ingest *in) {
  struct stat st;
  int fd = open(in->req.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

  if (fd < 0) {
    if (errno == ELOOP)
      refuse(in, "le fichier est un lien symbolique : seul un fichier ordinaire est accepté");
    else if (errno == ENOENT || errno == EACCES)
      return -errno;
    else
      refuse(in, "le fichier ne peut pas être ouvert (%s)", strerror(errno));
    return 0;
  }
  in->fd = fd;
  if (fstat(fd, &st) != 0)
    return -errno;
  if (!S_ISREG(st.st_mode)) {
    refuse(in, "ce n'est pas un fichier ordinaire (tube, périphérique ou dossier)");
    return 0;
  }
  /* Reading a FIFO or device would block; a regular file is read blocking. */
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  if (releve_sha256_fd(fd, in->sha256, &in->size) ||
      releve_encoding_bom_mixed(fd, &in->bom_mixed_line) < 0)
    return -EIO;
  return lseek(fd, 0, SEEK_SET) != 0 ? -EIO : 0;
}

/* A file from the spool that a scheduled pull dropped there came by
 * "poll" (pull.c notes each body before it lands). */
static int find_channel(releve_ingest *in) {
  sqlite3_stmt *st;
  int rc;
  if (strcmp(in->req.channel, "spool") != 0 || in->fd < 0)
    return 0;
  if ((rc = releve_store_prepare(in->env->store, RELEVE_SQL_PULL_DROPPED_BY, &st)) != 0)
    return rc;
  sqlite3_bind_text(st, 1, in->actor->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, in->sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    in->req.channel = "poll";
  sqlite3_finalize(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : releve_store_errno(rc);
}

/* A file from processing/ that a submission already recorded. */
static int find_recorded(releve_ingest *in) {
  releve_ingest_result *r;
  sqlite3_stmt *st;
  int rc = releve_store_prepare(in->env->store, RELEVE_SQL_SUB_RECORDED, &st);
  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, in->actor->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, in->sha256, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (!releve_claim_variant_of((const char *)sqlite3_column_text(st, 8), in->name, NAME_MAX))
      continue;
    if ((r = in->recorded = calloc(1, sizeof *r)) == NULL ||
        (r->report = strdup((const char *)sqlite3_column_text(st, 7))) == NULL) {
      sqlite3_finalize(st);
      return -ENOMEM;
    }
    r->submission = sqlite3_column_int64(st, 0);
    r->outcome = strcmp((const char *)sqlite3_column_text(st, 1), "accepted") == 0
                     ? RELEVE_ACCEPTED
                     : RELEVE_REFUSED;
    r->added = sqlite3_column_int(st, 2);
    r->changed = sqlite3_column_int(st, 3);
    r->unchanged = sqlite3_column_int(st, 4);
    r->refused = sqlite3_column_int(st, 5);
    r->warnings = sqlite3_column_int(st, 6);
    r->size = in->size;
    memcpy(r->sha256, in->sha256, sizeof r->sha256);
    rc = SQLITE_DONE;
    break;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : releve_store_errno(rc);
}

static int find_duplicate(releve_ingest *in) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare(in->env->store, RELEVE_SQL_SUB_FIND_ACCEPTED, &st);
  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, in->actor->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, in->sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    in->duplicate_of = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : releve_store_errno(rc);
}

static int prepare_statements(releve_ingest *in) {
  releve_store *s = in->env->store;
  int rc;
  /* The file's (indicator, period) pairs, for the part-above-total check
   * at the end; one row per pair, not per figure. */
  rc = releve_store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS ingest_pairs("
                            "indicator TEXT, period TEXT, PRIMARY KEY (indicator, period)) "
                            "WITHOUT ROWID;"
                            "DELETE FROM temp.ingest_pairs;");
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_OBS_GET, &in->obs_get);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_OBS_INSERT, &in->obs_insert);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_OBS_UPDATE, &in->obs_update);
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_REV_INSERT, &in->rev_insert);
  if (rc == 0)
    rc = releve_store_prepare(s, "INSERT INTO temp.ingest_pairs VALUES (?, ?)", &in->pair_insert);
  if (rc == 0 && ((in->cells = releve_cellset_new()) == NULL ||
                  (in->pairs = releve_cellset_new()) == NULL ||
                  (in->quartiers = releve_cellset_new()) == NULL))
    rc = -ENOMEM;
  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_GEO_INSERT, &in->geo_insert);
  return rc;
}

static int insert_submission(releve_ingest *in, const char *outcome, const char *report) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare(in->env->store, RELEVE_SQL_SUB_INSERT, &st);
  if (rc)
    return rc;
  sqlite3_bind_text(st, 1, in->actor->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, in->req.channel, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, in->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, (sqlite3_int64)in->size);
  sqlite3_bind_text(st, 5, in->sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, in->plugin ? in->plugin->name : in->actor->plugin, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, outcome, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 8, in->added);
  sqlite3_bind_int(st, 9, in->changed);
  sqlite3_bind_int(st, 10, in->unchanged);
  sqlite3_bind_int(st, 11, in->report.n_problems);
  sqlite3_bind_int(st, 12, in->report.n_warnings);
  sqlite3_bind_text(st, 13, report ? report : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 14, in->received_at, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return releve_store_errno(rc);
  in->submission = sqlite3_last_insert_rowid(in->env->store->db);
  return 0;
}

static void ingest_free(releve_ingest *in) {
  if (in->recorded) {
    releve_ingest_result_free(in->recorded);
    free(in->recorded);
  }
  sqlite3_finalize(in->obs_get);
  sqlite3_finalize(in->obs_insert);
  sqlite3_finalize(in->obs_update);
  sqlite3_finalize(in->rev_insert);
  sqlite3_finalize(in->pair_insert);
  releve_cellset_free(in->cells);
  releve_cellset_free(in->pairs);
  releve_cellset_free(in->quartiers);
  sqlite3_finalize(in->geo_insert);
  if (in->in_txn)
    releve_store_rollback(in->env->store);
  if (in->fd >= 0)
    close(in->fd);
  free(in->name_escaped);
  releve_mapper_free(in->mapper);
  releve_report_free(&in->report);
  free(in->options);
  free(in->refusal);
  free(in);
}

static void on_map_error(void *ud, unsigned long line, unsigned column, const char *value,
                         const char *message) {
  releve_ingest *in = ud;
  /* A personal-data file's cells are names and addresses: the report
   * points at the line and column, never repeats the value. */
  releve_report_problem(&in->report, line, column, personal(in) ? NULL : value,
                        message);
}

static void on_map_note(void *ud, int warning, const char *message) {
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
    if (rc == 0) {
      sqlite3_bind_text(in->pair_insert, 1, f->indicator->id, -1, SQLITE_STATIC);
      sqlite3_bind_text(in->pair_insert, 2, f->period_text, -1, SQLITE_STATIC);
      rc = sqlite3_step(in->pair_insert);
      sqlite3_reset(in->pair_insert);
      if (rc != SQLITE_DONE)
        return sql_fail(in, rc);
    }
  }
  return rc < 0 ? sys_fail(in, rc) : 0;
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

static void bind_figure(releve_ingest *in, sqlite3_stmt *st, const releve_figure *f,
                        unsigned long line) {
  sqlite3_bind_text(st, 1, f->indicator->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, f->period_text, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, f->geography, -1, SQLITE_STATIC);
  if (f->has_value)
    sqlite3_bind_double(st, 4, f->value);
  else
    sqlite3_bind_null(st, 4);
  if (f->text)
    sqlite3_bind_text(st, 5, f->text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(st, 5);
  if (f->has_share)
    sqlite3_bind_double(st, 6, f->share);
  else
    sqlite3_bind_null(st, 6);
  sqlite3_bind_text(st, 7, f->status, -1, SQLITE_STATIC);
  if (f->comment)
    sqlite3_bind_text(st, 8, f->comment, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(st, 8);
  sqlite3_bind_int64(st, 9, in->submission);
  if (line)
    sqlite3_bind_int64(st, 10, (sqlite3_int64)line);
  else
    sqlite3_bind_null(st, 10);
  sqlite3_bind_text(st, 11, in->received_at, -1, SQLITE_STATIC);
}

static int same_double(sqlite3_stmt *st, int col, int has, double v) {
  if (sqlite3_column_type(st, col) == SQLITE_NULL)
    return !has;
  return has && fabs(sqlite3_column_double(st, col) - v) < 1e-9;
}

/* Reads the stored cell and the same cell a year earlier in one statement.
 * *state: 0 new, 1 identical, 2 changed; *prev: the earlier year's value,
 * or 0 when there is none to compare with. */
static int read_stored(releve_ingest *in, const releve_figure *f, int *state, double *prev) {
  sqlite3_stmt *st = in->obs_get;
  releve_period before = releve_period_for(f->period.kind, f->period.year - 1);
  char period[16];
  int rc;

  releve_period_format(&before, period, sizeof period);
  sqlite3_bind_text(st, 1, f->indicator->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, f->period_text, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, f->geography, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, period, -1, SQLITE_STATIC);
  *state = 0;
  *prev = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *status = (const char *)sqlite3_column_text(st, 4);
    const char *text = (const char *)sqlite3_column_text(st, 2);
    if (strcmp((const char *)sqlite3_column_text(st, 0), f->period_text) != 0) {
      /* A suppressed or unavailable cell has nothing to compare with. */
      if (sqlite3_column_type(st, 1) != SQLITE_NULL && strcmp(status, "suppressed") != 0 &&
          strcmp(status, "not_available") != 0)
        *prev = sqlite3_column_double(st, 1);
      continue;
    }
    *state = same_double(st, 1, f->has_value, f->value) &&
                     same_double(st, 3, f->has_share, f->share) && strcmp(status, f->status) == 0 &&
                     ((text == NULL && f->text == NULL) ||
                      (text && f->text && !strcmp(text, f->text)))
                 ? 1
                 : 2;
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : sql_fail(in, rc);
}

static int step_reset(releve_ingest *in, sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : sql_fail(in, rc);
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

  if ((rc = read_stored(in, f, &state, &prev)) != 0)
    return rc;
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
  if (state == 1) {
    in->unchanged++;
    return 0;
  }
  if (state == 0)
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
    if (rc < 0)
      return sys_fail(in, rc);
    sqlite3_bind_text(in->geo_insert, 1, f->geography, -1, SQLITE_STATIC);
    sqlite3_bind_text(in->geo_insert, 2, releve_geo_label(f->geography), -1,
                      SQLITE_STATIC);
    if ((rc = step_reset(in, in->geo_insert)) != 0)
      return rc;
  }
  bind_figure(in, state == 0 ? in->obs_insert : in->obs_update, f, line);
  if ((rc = step_reset(in, state == 0 ? in->obs_insert : in->obs_update)) != 0)
    return rc;
  bind_figure(in, in->rev_insert, f, line);
  return step_reset(in, in->rev_insert);
}

static int on_candidate(void *ud, const releve_candidate *c) {
  releve_ingest *in = ud;
  releve_figure f;
  releve_buf why = RELEVE_BUF_INIT;
  const char *value;
  unsigned column;
  long long first;
  int v;

  if (in->stop)
    return in->sys_error;
  v = releve_validate(in->env->cfg, in->actor, c, &f, &why, &column, &value);
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

int releve_ingest_set_reader(releve_ingest *in, const releve_reader_choice *c,
                             const char *why) {
  char *note;
  int rc;

  if (why) {
    refuse(in, "%s", why);
    return in->refusal ? 0 : -ENOMEM;
  }
  in->choice = *c;
  in->plugin = c->plugin;
  if ((note = releve_reader_note(c, in->actor)) != NULL) {
    releve_report_note(&in->report, note);
    free(note);
  }
  if ((rc = releve_reader_options(c, in->actor, &in->options)) != 0)
    return rc;
  if (in->refusal == NULL && in->duplicate_of == 0 && in->recorded == NULL) {
    /* The actor's mapping is its first plugin's; any other reader's rows
     * are the collection table's, one figure each. */
    in->mapper = releve_mapper_new(c->primary ? in->actor->mapping : NULL, on_candidate,
                                   on_map_error, in);
    if (in->mapper == NULL)
      return -ENOMEM;
    releve_mapper_set_addresses(in->mapper, in->env->cfg->addresses, on_map_note);
    releve_mapper_set_years(in->mapper, in->env->cfg->first_year,
                            contract_years_so_far(in->env->cfg));
  }
  return 0;
}

int releve_ingest_begin(const releve_ingest_env *env, const releve_ingest_request *req,
                        releve_ingest **out) {
  releve_ingest *in = calloc(1, sizeof *in);
  int rc;

  *out = NULL;
  if (in == NULL)
    return -ENOMEM;
  in->env = env;
  in->req = *req;
  in->fd = -1;
  releve_utc_text(time(NULL), in->received_at);
  in->name = req->name ? req->name : releve_path_basename(req->path);
  /* A name with a newline or bytes that are not UTF-8 is recorded,
   * reported and mailed escaped. */
  if (!releve_log_clean_name(in->name)) {
    if ((in->name_escaped = releve_log_escape(in->name)) == NULL) {
      free(in);
      return -ENOMEM;
    }
    in->name = in->name_escaped;
  }
  strcpy(in->sha256, "-");
  in->actor = releve_config_actor(env->cfg, req->actor);
  if (in->actor == NULL) {
    releve_err("ingest %s: no actor \"%s\"", in->name, req->actor);
    free(in->name_escaped);
    free(in);
    return -ENOENT;
  }
  /* A plugin that cannot serve is the server's problem, not the file's:
   * no outcome, the caller keeps the file (plugin_fault.h). */
  if (req->plugin == NULL) {
    char *fault = releve_plugin_fault(env->plugins, in->actor, NULL);
    if (fault) {
      releve_err("ingest %s: actor %s: %s", in->name, in->actor->id, fault);
      free(fault);
      rc = -ENOPKG;
      goto fail;
    }
  }
  if (req->refusal) {
    struct stat st;
    refuse(in, "%s", req->refusal);
    /* A regular file is still hashed when it can be read, so that the
     * refusal is recorded with its bytes; nothing else is ever opened. */
    if (lstat(req->path, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
        open_file(in) != 0)
      strcpy(in->sha256, "-");
  } else if ((rc = open_file(in)) != 0) {
    goto fail;
  }
  if (in->fd >= 0 && in->size == 0)
    refuse(in, "le fichier est vide (0 octet) : le dépôt a peut-être été interrompu ; "
               "déposez-le à nouveau");
  if ((rc = find_channel(in)) != 0)
    goto fail;
  if (in->req.retry && in->fd >= 0 && (rc = find_recorded(in)) != 0)
    goto fail;
  if (in->recorded)
    goto done; /* nothing to read, check or write */
  if (in->refusal == NULL && (rc = find_duplicate(in)) != 0)
    goto fail;
done:
  *out = in;
  return 0;
fail:
  ingest_free(in);
  return rc;
}

/* Takes the write lock, once the plugin is done: from here to the COMMIT
 * or ROLLBACK in finish() only the core's work runs. The bytes may have
 * been stored by another writer while they were decoded (the same file
 * given to `releve ingest`): checked again under the lock. */
static int open_txn(releve_ingest *in) {
  int rc;
  if (in->in_txn)
    return 0;
  if ((rc = releve_store_begin(in->env->store)) != 0)
    return sys_fail(in, rc);
  in->in_txn = 1;
  if (in->mapper == NULL || in->duplicate_of)
    return 0;
  if ((rc = find_duplicate(in)) == 0 && in->duplicate_of == 0 &&
      (rc = prepare_statements(in)) == 0)
    rc = insert_submission(in, "accepted", "");
  return rc ? sys_fail(in, rc) : 0;
}

/* A count never above its total: checked once every figure of the file is
 * in, against the file's own figures and those already stored. */
static int check_totals(releve_ingest *in) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare(in->env->store, RELEVE_SQL_PART_ABOVE_WHOLE, &st);

  if (rc)
    return rc;
  sqlite3_bind_int64(st, 1, in->submission);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    char msg[512], where[192], part[32], whole[32];
    int a_here = sqlite3_column_int(st, 8), b_here = sqlite3_column_int(st, 9);
    /* Report on this file's line, naming where the other figure stands. */
    long long line = sqlite3_column_int64(st, a_here ? 4 : 7);
    if (a_here && b_here)
      releve_report_where(&in->report, (unsigned long)sqlite3_column_int64(st, 7), 0, where);
    else
      snprintf(where, sizeof where, "valeur déjà enregistrée");
    snprintf(msg, sizeof msg,
             "%s %s : %s = %s dépasse %s = %s (%s) ; une partie ne peut pas dépasser son total "
             "(QPV et QVA font partie de QP, tout territoire fait partie de PARIS)",
             sqlite3_column_text(st, 0), sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
             releve_report_number(sqlite3_column_double(st, 3), part),
             sqlite3_column_text(st, 5), releve_report_number(sqlite3_column_double(st, 6), whole),
             where);
    releve_report_problem(&in->report, (unsigned long)line, 0, NULL, msg);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : releve_store_errno(rc);
}

int releve_ingest_wants_reader(const releve_ingest *in) {
  return in->refusal == NULL && in->recorded == NULL && in->plugin == NULL;
}
int releve_ingest_wants_rows(const releve_ingest *in) {
  return in->plugin && in->refusal == NULL && in->duplicate_of == 0 && in->recorded == NULL &&
         !in->stop;
}
const releve_actor *releve_ingest_actor(const releve_ingest *in) { return in->actor; }
const char *releve_ingest_forced(const releve_ingest *in) { return in->req.plugin; }
int releve_ingest_is_duplicate(const releve_ingest *in) { return in->duplicate_of != 0; }
int releve_ingest_fd(const releve_ingest *in) { return in->fd; }

static int svc_columns(void *ctx, const char *const *names, size_t n) {
  releve_ingest *in = ctx;
  if (open_txn(in) != 0)
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
  if (open_txn(in) != 0)
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
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  releve_report_problem(&in->report, line, column, personal(in) ? NULL : value,
                        b.data ? b.data : "erreur");
  releve_buf_free(&b);
  return in->stop ? -ECANCELED : 0;
}

static void svc_log(void *ctx, int level, const char *fmt, ...) RELEVE_PRINTF(3, 4);

static void svc_log(void *ctx, int level, const char *fmt, ...) {
  releve_ingest *in = ctx;
  releve_buf b = RELEVE_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  releve_buf_vaddf(&b, fmt, ap);
  va_end(ap);
  releve_log(level, "plugin %s, %s: %s", in->plugin ? in->plugin->name : "?", in->name,
             b.data ? b.data : "");
  releve_buf_free(&b);
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

static int update_submission(releve_ingest *in, const char *report) {
  sqlite3_stmt *st;
  int rc = releve_store_prepare(in->env->store, RELEVE_SQL_SUB_SET_COUNTS, &st);
  if (rc)
    return rc;
  sqlite3_bind_int(st, 1, in->added);
  sqlite3_bind_int(st, 2, in->changed);
  sqlite3_bind_int(st, 3, in->unchanged);
  sqlite3_bind_int(st, 4, 0);
  sqlite3_bind_int(st, 5, in->report.n_warnings);
  sqlite3_bind_text(st, 6, report, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 7, in->submission);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : releve_store_errno(rc);
}

static char *render(releve_ingest *in, const char *verdict, const char *summary, int stored) {
  releve_report_head h;
  h.file_name = in->name;
  h.size = in->size;
  h.sha256 = in->sha256;
  h.actor_id = in->actor->id;
  h.actor_name = in->actor->name;
  h.plugin = in->plugin ? in->plugin->name : NULL;
  h.format = in->plugin ? releve_reader_format(in->plugin) : NULL;
  h.channel = in->req.channel;
  h.verdict = verdict;
  h.summary = summary;
  h.stored = stored;
  return releve_report_render(&in->report, &h);
}

/* A refused file leaves one record, in its own transaction, so that its
 * report can be found again; its figures were rolled back. */
/* The receipt, when the request asks for one, inside the caller's
 * transaction. A mail the outbox refuses to build (an address it cannot
 * use) is logged by the receipt module and does not hold the figures
 * back; any other failure does. */
static int queue_receipt(releve_ingest *in, const releve_ingest_result *res) {
  int rc;
  if (!in->req.receipt || in->req.dry_run)
    return 0;
  rc = releve_receipt_queue(in->env->store, in->env->cfg, in->actor->id, in->name, res, NULL);
  return rc == -EINVAL ? 0 : rc;
}

static int record_refusal(releve_ingest *in, const releve_ingest_result *res) {
  int rc = releve_store_begin(in->env->store);
  if (rc == 0)
    rc = insert_submission(in, "refused", res->report);
  if (rc == 0)
    rc = queue_receipt(in, res);
  if (rc == 0)
    rc = releve_store_commit(in->env->store);
  else
    releve_store_rollback(in->env->store);
  return rc;
}

/* A count as a French reader writes it: 1 360. */
static const char *count_text(int v, char out[RELEVE_NUMBER_SIZE]) {
  return releve_report_format(v, 0, RELEVE_NUMBER_GROUPED, out);
}

/* The context figures' lines, once, in the words a partner uses. */
static int context_lines(releve_ingest *in) {
  static const struct {
    releve_geo_kind kind;
    const char *what;
  } kinds[] = {{RELEVE_GEO_ARRONDISSEMENT, "par arrondissement"},
               {RELEVE_GEO_QUARTIER, "par quartier"},
               {RELEVE_GEO_CITY, "pour l'ensemble de Paris, non demandées pour ces indicateurs"},
               {RELEVE_GEO_SCOPE, "pour un périmètre non demandé pour ces indicateurs"},
               {RELEVE_GEO_NETWORK, "par réseau d'éducation prioritaire, non demandées pour ces "
                                    "indicateurs"}};
  size_t i;
  int n = 0;
  in->context[RELEVE_GEO_SCOPE] -= in->context_qva;
  releve_report_context(&in->report, in->context_qva,
                        "pour les quartiers de veille active (QVA), qui s'ajoutent aux QPV "
                        "pour donner QP");
  for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    releve_report_context(&in->report, in->context[kinds[i].kind], kinds[i].what);
    n += in->context[kinds[i].kind];
  }
  return n + in->context_qva;
}

static void fill_result(releve_ingest *in, releve_ingest_result *res, releve_outcome outcome) {
  res->outcome = outcome;
  res->added = in->added;
  res->changed = in->changed;
  res->unchanged = in->unchanged;
  res->filled = outcome == RELEVE_ACCEPTED ? in->added + in->changed + in->unchanged -
                                                  in->report.n_context
                                            : 0;
  res->context = in->report.n_context;
  res->refused = in->report.n_problems;
  res->warnings = in->report.n_warnings;
  res->size = in->size;
  memcpy(res->sha256, in->sha256, sizeof res->sha256);
}

int releve_ingest_finish(releve_ingest *in, int decode_rc, const char *failure,
                         releve_ingest_result *res) {
  char summary[320];
  int rc = 0, context;

  memset(res, 0, sizeof *res);
  if (in->recorded) {
    *res = *in->recorded; /* the report moves to the caller */
    free(in->recorded);
    in->recorded = NULL;
    ingest_free(in);
    return 0;
  }
  open_txn(in); /* a failure sets sys_error */
  if (in->mapper && !in->stop && in->report.n_problems == 0 && decode_rc == 0 &&
      in->refusal == NULL && in->duplicate_of == 0) {
    releve_mapper_finish(in->mapper);
    if (in->report.n_problems == 0 && !in->stop && (rc = check_totals(in)) != 0)
      in->sys_error = rc;
  }
  if (in->sys_error) {
    rc = in->sys_error;
    ingest_free(in);
    return rc;
  }
  if (in->refusal == NULL && failure)
    refuse(in, "%s", failure);
  if (in->refusal == NULL && decode_rc < 0 && decode_rc != -ECANCELED && in->report.n_problems == 0)
    refuse(in, "le fichier n'a pas pu être lu (%s)", strerror(-decode_rc));
  if (in->refusal == NULL && in->duplicate_of == 0 && !in->columns_seen &&
      in->report.n_problems == 0)
    refuse(in, "aucune ligne d'en-tête n'a été reconnue : le fichier ne contient pas de "
               "données dans le format attendu");
  /* A header and nothing under it, or an empty JSON list: the partner
   * sent nothing, and an "accepted" would read as an answer given. */
  if (in->refusal == NULL && in->duplicate_of == 0 && in->columns_seen && in->rows == 0 &&
      in->report.n_problems == 0 && decode_rc == 0)
    refuse(in, "fichier sans données : il ne contient aucune ligne de valeurs (seulement "
               "l'en-tête, ou une liste vide) ; rien n'a été enregistré et ce dépôt ne compte "
               "pas comme une réponse");
  if (in->refusal)
    releve_report_problem(&in->report, 0, 0, NULL, in->refusal);
  if (in->bom_mixed_line && in->duplicate_of == 0)
    releve_report_warning(&in->report, in->bom_mixed_line,
                          "le fichier commence par la marque de l'UTF-8 (BOM) mais contient, à "
                          "partir de cette ligne, des caractères qui ne sont pas en UTF-8 : ils "
                          "ont été lus en Windows-1252 ; vérifiez les accents et réenregistrez "
                          "le fichier en « CSV UTF-8 »");
  context = context_lines(in);
  if (in->duplicate_of && in->refusal == NULL) {
    fill_result(in, res, RELEVE_DUPLICATE);
    snprintf(summary, sizeof summary,
             "ce fichier a déjà été reçu et enregistré (dépôt n° %lld) : rien n'a changé",
             in->duplicate_of);
    res->report = render(in, "DÉJÀ REÇU", summary, 0);
    if ((rc = queue_receipt(in, res)) == 0 && in->req.receipt && !in->req.dry_run) {
      rc = releve_store_commit(in->env->store);
      in->in_txn = 0;
    }
  } else if (in->report.n_problems) {
    fill_result(in, res, RELEVE_REFUSED);
    char n[RELEVE_NUMBER_SIZE];
    snprintf(summary, sizeof summary, "%s problème%s à corriger, aucune valeur enregistrée",
             count_text(in->report.n_problems, n), in->report.n_problems > 1 ? "s" : "");
    res->report = render(in, "REFUSÉ", summary, 0);
    releve_store_rollback(in->env->store);
    in->in_txn = 0;
    if (!in->req.dry_run && (rc = record_refusal(in, res)) == 0)
      res->submission = in->submission;
  } else {
    /* Context figures are stored but fill no cell: never "ajoutées". */
    int read = in->added + in->changed + in->unchanged;
    int added = in->added - in->context_states[0];
    int unchanged = in->unchanged - in->context_states[1];
    int changed = in->changed - in->context_states[2];
    char aside[128] = "", n[5][RELEVE_NUMBER_SIZE];
    fill_result(in, res, RELEVE_ACCEPTED);
    if (context)
      snprintf(aside, sizeof aside, " ; %s hors référentiel, conservée%s pour information",
               count_text(context, n[4]), context > 1 ? "s" : "");
    snprintf(summary, sizeof summary,
             "%s valeur%s reçue%s : %s ajoutée%s, %s modifiée%s, %s inchangée%s%s%s",
             count_text(read, n[0]), read > 1 ? "s" : "", read > 1 ? "s" : "",
             count_text(added, n[1]), added > 1 ? "s" : "", count_text(changed, n[2]),
             changed > 1 ? "s" : "", count_text(unchanged, n[3]), unchanged > 1 ? "s" : "",
             aside, in->req.dry_run ? " (essai : rien n'a été enregistré)" : "");
    res->report = render(in, in->req.dry_run ? "VÉRIFIÉ" : "ACCEPTÉ", summary, !in->req.dry_run);
    if (in->req.dry_run) {
      releve_store_rollback(in->env->store);
    } else if ((rc = update_submission(in, res->report)) == 0 &&
               (rc = queue_receipt(in, res)) == 0 &&
               (rc = releve_store_commit(in->env->store)) == 0) {
      res->submission = in->submission;
    }
    in->in_txn = 0;
  }
  if (rc) {
    releve_err("ingest %s: storing the outcome failed: %s", in->name, strerror(-rc));
    releve_ingest_result_free(res);
  }
  ingest_free(in);
  return rc;
}

void releve_ingest_abort(releve_ingest *in) { ingest_free(in); }

int releve_ingest_open_spool(const releve_ingest_env *env, releve_rowspool *s) {
  char *dir = releve_path_dirname(env->cfg->database);
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

/* releve_ingest_file's decoding: the plugin runs in a supervised child, as
 * in the daemon, and what it reports goes to a rowspool here; rows are
 * counted for the progress callback. */
typedef struct local_decode {
  releve_rowspool spool; /* first: the rowspool's services take this as theirs */
  releve_ingest *in;
  unsigned long rows;
  int done, decode_rc;
  char *failure;
} local_decode;

/* Every 4096 rows: where the plugin's reading has got to. The child shares
 * the file's offset with this process (one open file, inherited). */
#define PROGRESS_EVERY 4096

static int local_row(void *ctx, unsigned long line, const releve_cell *cells, size_t n) {
  local_decode *ld = ctx;
  releve_ingest *in = ld->in;
  if (in->req.progress && ld->rows++ % PROGRESS_EVERY == 0) {
    off_t at = lseek(in->fd, 0, SEEK_CUR);
    in->req.progress(in->req.progress_ud, at > 0 ? (unsigned long long)at : 0, in->size);
  }
  return releve_rowspool_services()->row(ctx, line, cells, n);
}

static int local_chosen(void *ctx, const releve_reader_choice *c, const char *why) {
  local_decode *ld = ctx;
  return releve_ingest_set_reader(ld->in, c, why);
}

static void local_done(void *ctx, int decode_rc, const char *failure) {
  local_decode *ld = ctx;
  ld->done = 1;
  ld->decode_rc = decode_rc;
  if (failure && (ld->failure = strdup(failure)) == NULL)
    ld->decode_rc = -ENOMEM;
}

/* Chooses the reader and decodes in a child under the daemon's limits,
 * with a loop of its own. Returns 0 with ld->decode_rc and ld->failure
 * set, or a negative errno value when no child could be run or the rows
 * not kept (a system failure). */
static int decode_local(releve_ingest *in, local_decode *ld) {
  releve_host_services local = *releve_rowspool_services();
  releve_decode_spec spec;
  uv_loop_t loop;
  int rc;

  local.row = local_row;
  memset(&spec, 0, sizeof spec);
  spec.plugins = in->env->plugins;
  spec.actor = in->actor;
  spec.forced = in->req.plugin;
  spec.choose_only = in->duplicate_of != 0;
  spec.chosen = local_chosen;
  spec.chosen_ctx = ld;
  spec.fd = in->fd;
  spec.file_name = in->name;
  spec.timeout_seconds = in->env->cfg->decode_timeout_seconds;
  spec.memory_mb = in->env->cfg->decode_memory_mb;
  spec.host = &local;
  spec.host_ctx = ld;
  spec.sheet = releve_rowspool_sheet;
  if ((rc = uv_loop_init(&loop)) != 0)
    return rc;
  rc = releve_decode_start(&loop, &spec, local_done, ld);
  uv_run(&loop, UV_RUN_DEFAULT); /* also closes what a failed start left */
  uv_loop_close(&loop);
  if (rc == 0 && !ld->done)
    rc = -EIO;
  if (rc == 0 && ld->decode_rc == -ENOPKG)
    rc = -ENOPKG; /* the actor's options do not fit its reader */
  if (rc == 0)
    rc = releve_ingest_replay(in, &ld->spool, &ld->decode_rc);
  return rc;
}

int releve_ingest_file(const releve_ingest_env *env, const releve_ingest_request *req,
                       releve_ingest_result *res) {
  releve_ingest *in;
  local_decode ld;
  int rc = releve_ingest_begin(env, req, &in);

  if (rc)
    return rc;
  memset(&ld, 0, sizeof ld);
  ld.in = in;
  if (releve_ingest_wants_reader(in)) {
    if ((rc = releve_ingest_open_spool(env, &ld.spool)) != 0) {
      releve_ingest_abort(in);
      return rc;
    }
    rc = decode_local(in, &ld);
    releve_rowspool_close(&ld.spool);
    if (rc) {
      free(ld.failure);
      releve_ingest_abort(in);
      return rc;
    }
  }
  rc = releve_ingest_finish(in, ld.decode_rc, ld.failure, res);
  free(ld.failure);
  return rc;
}

void releve_ingest_result_free(releve_ingest_result *res) {
  if (res == NULL)
    return;
  free(res->report);
  res->report = NULL;
}
