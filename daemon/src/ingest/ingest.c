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

#include "decode/plugin_check.h"
#include "decode/plugin_fault.h"
#include "ingest/ingest_int.h"
#include "report/summary.h"
#include "store/submission.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/encoding.h"
#include "util/log.h"
#include "util/path.h"
#include "util/sha256.h"


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

/* The last year an interval period counts a record for: the contract's
 * last year, or the current one while the contract runs (an open end is
 * someone still followed today, not in years to come). */
static int contract_years_so_far(const releve_config *cfg) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900 < cfg->last_year ? tm.tm_year + 1900 : cfg->last_year;
}

int releve_ingest_personal(const releve_ingest *in) {
  return in->actor->personal_data ||
         (in->plugin && (releve_plugin_flags(in->plugin) & RELEVE_PLUGIN_PERSONAL_DATA));
}

int releve_ingest_sys_fail(releve_ingest *in, int rc) {
  in->stop = 1;
  if (in->sys_error == 0)
    in->sys_error = rc;
  return in->sys_error;
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
 * "poll" (pull.c notes each body before it lands), one a partner's mail
 * brought by "mail" (inbox/ does likewise). */
static int find_channel(releve_ingest *in) {
  int rc;
  if (strcmp(in->req.channel, "spool") != 0 || in->fd < 0)
    return 0;
  if ((rc = releve_submission_pulled(in->env->store, in->actor->id, in->sha256)) == 1)
    in->req.channel = "poll";
  else if (rc == 0 && (rc = releve_submission_mailed(in->env->store, in->actor->id, in->sha256,
                                                      &in->message_id)) == 1)
    in->req.channel = "mail";
  return rc < 0 ? rc : 0;
}

static int find_duplicate(releve_ingest *in) {
  return releve_submission_find_accepted(in->env->store, in->actor->id, in->sha256,
                                         &in->duplicate_of);
}

/* The file's statements, and the sets that say what it gave so far. */
static int prepare_statements(releve_ingest *in) {
  int rc = releve_figures_open(in->env->store, in->actor->contract->id, &in->figures);
  if (rc == 0 && ((in->cells = releve_cellset_new()) == NULL ||
                  (in->pairs = releve_cellset_new()) == NULL ||
                  (in->quartiers = releve_cellset_new()) == NULL))
    rc = -ENOMEM;
  return rc;
}

/* The submission row as it stands: counts so far, report when known. */
static releve_submission submission_row(const releve_ingest *in, const char *outcome,
                                        const char *report) {
  releve_submission sub;
  memset(&sub, 0, sizeof sub);
  sub.actor = in->actor->id;
  sub.channel = in->req.channel;
  sub.name = in->name;
  sub.size = in->size;
  sub.sha256 = in->sha256;
  sub.plugin = in->plugin ? in->plugin->name : in->actor->plugin;
  sub.outcome = outcome;
  sub.received_at = in->received_at;
  sub.report = report;
  sub.message_id = in->message_id;
  sub.added = in->added;
  sub.changed = in->changed;
  sub.unchanged = in->unchanged;
  sub.refused = in->report.n_problems;
  sub.warnings = in->report.n_warnings;
  return sub;
}

static int insert_submission(releve_ingest *in, const char *outcome, const char *report) {
  releve_submission sub = submission_row(in, outcome, report);
  return releve_submission_insert(in->env->store, &sub, &in->submission);
}

static void ingest_free(releve_ingest *in) {
  if (in->recorded) {
    releve_ingest_result_free(in->recorded);
    free(in->recorded);
  }
  releve_figures_close(&in->figures);
  releve_cellset_free(in->cells);
  releve_cellset_free(in->pairs);
  releve_cellset_free(in->quartiers);
  if (in->in_txn)
    releve_store_rollback(in->env->store);
  if (in->fd >= 0)
    close(in->fd);
  free(in->name_escaped);
  releve_mapper_free(in->mapper);
  releve_report_free(&in->report);
  free(in->options);
  free(in->refusal);
  free(in->message_id);
  free(in);
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
    in->mapper = releve_mapper_new(c->primary ? in->actor->mapping : NULL,
                                   releve_ingest_on_candidate, releve_ingest_on_map_error, in);
    if (in->mapper == NULL)
      return -ENOMEM;
    releve_mapper_set_addresses(in->mapper, in->env->cfg->addresses, releve_ingest_on_map_note);
    releve_mapper_set_years(in->mapper, in->contract.first_year,
                            contract_years_so_far(&in->contract));
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
  releve_clock_utc_text(time(NULL), in->received_at);
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
  releve_config_view(env->cfg, in->actor->contract, &in->contract);
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
  if (in->req.retry && in->fd >= 0 && (rc = releve_ingest_find_recorded(in)) != 0)
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
int releve_ingest_open_txn(releve_ingest *in) {
  int rc;
  if (in->in_txn)
    return 0;
  if ((rc = releve_store_begin(in->env->store)) != 0)
    return releve_ingest_sys_fail(in, rc);
  in->in_txn = 1;
  if ((rc = releve_submission_lock_actor(in->env->store, in->actor->id)) != 0 ||
      (rc = releve_store_assign_contract(in->env->store, in->env->cfg)) != 0)
    return releve_ingest_sys_fail(in, rc);
  if (in->mapper == NULL || in->duplicate_of)
    return 0;
  if ((rc = find_duplicate(in)) == 0 && in->duplicate_of == 0 &&
      (rc = prepare_statements(in)) == 0)
    rc = insert_submission(in, "accepted", "");
  return rc ? releve_ingest_sys_fail(in, rc) : 0;
}

/* A count never above its total: checked once every figure of the file is
 * in, against the file's own figures and those already stored. */
static void on_excess(void *ud, const releve_figures_excess *e) {
  releve_ingest *in = ud;
  char msg[512], where[192], part[32], whole[32];
  /* Report on this file's line, naming where the other figure stands. */
  unsigned long line = e->part_here ? e->part_line : e->whole_line;
  if (e->part_here && e->whole_here)
    releve_report_where(&in->report, e->whole_line, 0, where);
  else
    snprintf(where, sizeof where, "valeur déjà enregistrée");
  snprintf(msg, sizeof msg,
           "%s %s : %s = %s dépasse %s = %s (%s) ; une partie ne peut pas dépasser son total "
           "(QPV et QVA font partie de QP, tout territoire fait partie de PARIS)",
           e->indicator, e->period, e->part, releve_report_number(e->part_value, part), e->whole,
           releve_report_number(e->whole_value, whole), where);
  releve_report_problem(&in->report, line, 0, NULL, msg);
}

static int check_totals(releve_ingest *in) {
  return releve_figures_above_whole(in->env->store, in->actor->contract->id, in->submission,
                                    on_excess, in);
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

static int update_submission(releve_ingest *in, const char *report) {
  releve_submission sub = submission_row(in, "accepted", report);
  sub.refused = 0;
  return releve_submission_set_counts(in->env->store, in->submission, &sub);
}

/* The report under the tally's verdict and summary. */
static char *render(releve_ingest *in, const releve_report_tally *t) {
  releve_report_head h;
  memset(&h, 0, sizeof h);
  h.file_name = in->name;
  h.size = in->size;
  h.sha256 = in->sha256;
  h.actor_id = in->actor->id;
  h.actor_name = in->actor->name;
  h.plugin = in->plugin ? in->plugin->name : NULL;
  h.format = in->plugin ? releve_reader_format(in->plugin) : NULL;
  h.channel = in->req.channel;
  return releve_report_conclude(&in->report, &h, t);
}

/* What the request commits with the outcome (its receipt), inside the
 * caller's transaction; never for a dry run. */
static int on_outcome(releve_ingest *in, const releve_ingest_result *res) {
  if (in->req.on_outcome == NULL || in->req.dry_run)
    return 0;
  return in->req.on_outcome(in->req.on_outcome_ud, in->env, in->actor->id, in->name, res);
}

/* A refused file leaves one record, in its own transaction, so that its
 * report can be found again; its figures were rolled back. */
static int record_refusal(releve_ingest *in, const releve_ingest_result *res) {
  int rc = releve_store_begin(in->env->store);
  if (rc == 0)
    rc = insert_submission(in, "refused", res->report);
  if (rc == 0)
    rc = on_outcome(in, res);
  if (rc == 0)
    rc = releve_store_commit(in->env->store);
  else
    releve_store_rollback(in->env->store);
  return rc;
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
  /* Without it (no memory) the receipt is only not threaded. */
  res->message_id = in->message_id ? strdup(in->message_id) : NULL;
}

/* Why a file with no problem listed is refused all the same, if it is. */
static void refuse_unread(releve_ingest *in, int decode_rc, const char *failure) {
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
}

int releve_ingest_finish(releve_ingest *in, int decode_rc, const char *failure,
                         releve_ingest_result *res) {
  releve_report_tally t;
  int rc = 0;

  memset(res, 0, sizeof *res);
  memset(&t, 0, sizeof t);
  if (in->recorded) {
    *res = *in->recorded; /* the report moves to the caller */
    free(in->recorded);
    in->recorded = NULL;
    ingest_free(in);
    return 0;
  }
  releve_ingest_open_txn(in); /* a failure sets sys_error */
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
  refuse_unread(in, decode_rc, failure);
  t.context = releve_report_context_kinds(&in->report, in->context, in->context_qva);
  if (in->duplicate_of && in->refusal == NULL) {
    fill_result(in, res, RELEVE_DUPLICATE);
    t.verdict = RELEVE_VERDICT_DUPLICATE;
    t.duplicate_of = in->duplicate_of;
    res->report = render(in, &t);
    if ((rc = on_outcome(in, res)) == 0 && in->req.on_outcome && !in->req.dry_run) {
      rc = releve_store_commit(in->env->store);
      in->in_txn = 0;
    }
  } else if (in->report.n_problems) {
    fill_result(in, res, RELEVE_REFUSED);
    t.verdict = RELEVE_VERDICT_REFUSED;
    res->report = render(in, &t);
    releve_store_rollback(in->env->store);
    in->in_txn = 0;
    if (!in->req.dry_run && (rc = record_refusal(in, res)) == 0)
      res->submission = in->submission;
  } else {
    /* Context figures are stored but fill no cell: never "ajoutées". */
    t.read = in->added + in->changed + in->unchanged;
    t.added = in->added - in->context_states[RELEVE_FIGURE_NEW];
    t.unchanged = in->unchanged - in->context_states[RELEVE_FIGURE_SAME];
    t.changed = in->changed - in->context_states[RELEVE_FIGURE_CHANGED];
    t.verdict = in->req.dry_run ? RELEVE_VERDICT_CHECKED : RELEVE_VERDICT_ACCEPTED;
    fill_result(in, res, RELEVE_ACCEPTED);
    res->report = render(in, &t);
    if (in->req.dry_run) {
      releve_store_rollback(in->env->store);
    } else if ((rc = update_submission(in, res->report)) == 0 &&
               (rc = on_outcome(in, res)) == 0 &&
               (rc = releve_store_commit(in->env->store)) == 0) {
      res->submission = in->submission;
    }
    in->in_txn = 0;
  }
  if (rc) /* logged by the caller, which says what becomes of the file */
    releve_ingest_result_free(res);
  ingest_free(in);
  return rc;
}

void releve_ingest_abort(releve_ingest *in) { ingest_free(in); }
