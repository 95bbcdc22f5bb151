/* ingest_file.c -- releve_ingest_file() (ingest.h): the whole way of one
 * file for `releve ingest`, the plugin in a supervised child under a loop
 * of its own, as the daemon runs it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/supervise.h"
#include "ingest/ingest_int.h"

/* The decoding: the plugin runs in a supervised child, as
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
  free(res->message_id);
  res->message_id = NULL;
}
