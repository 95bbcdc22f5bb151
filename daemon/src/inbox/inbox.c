#include "inbox/inbox.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inbox/mime.h"
#include "inbox/quarantine.h"
#include "inbox/recognise.h"
#include "mail/mail.h"
#include "spool/claim.h"
#include "spool/spool.h"
#include "store/run.h"
#include "store/store_sql.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/sha256.h"
#include "util/str.h"

/* One attachment kept: its file in the staging folder and its hash. */
typedef struct kept {
  char *staged; /* name in the staging folder */
  char *name;   /* name to drop it under */
  char sha256[65];
} kept;

typedef struct intake {
  releve_store *s;
  const releve_config *cfg;
  const releve_plugins *plugins;
  const releve_actor *actor;
  releve_inbox_result *out;
  char *staging; /* SPOOL/<actor>/mail/m-<id> */
  kept files[RELEVE_INBOX_MAX_ATTACHMENTS];
  size_t n;
  char *refusals; /* why each candidate was not kept, French */
} intake;

/* 0 with *seen set when the message has an outcome already; *pending when
 * it was taken but its drops are not all done. */
static int lookup(releve_store *s, const char *key, int *seen, int *pending) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_MAIL_MESSAGE_GET, &st);
  *seen = *pending = 0;
  if (rc)
    return rc;
  if ((rc = releve_stmt_bind_text(st, 1, key)) == 0)
    rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW) {
    *pending = strcmp(releve_stmt_text(st, 0), "taken") == 0 && releve_stmt_int(st, 1) == 0;
    *seen = !*pending;
  }
  releve_stmt_finalize(st);
  return rc < 0 ? rc : 0;
}

/* A name the spool can take: the sender's base name with anything that is
 * not a plain printable character replaced, never a dot name (those are
 * uploads, never taken); "piece_jointe_N.<ext>" when there is none. */
static char *drop_name(const releve_inbox_attachment *a, size_t i) {
  const char *base = a->name ? strrchr(a->name, '/') : NULL, *ext;
  char *name, *p;

  base = base ? base + 1 : a->name;
  if (base && strrchr(base, '\\'))
    base = strrchr(base, '\\') + 1;
  if (base == NULL || *base == '\0') {
    ext = strstr(a->content_type, "opendocument") ? "ods"
          : strstr(a->content_type, "csv")        ? "csv"
                                                  : "xlsx";
    return releve_str_printf("piece_jointe_%zu.%s", i + 1, ext);
  }
  if ((name = releve_str_printf("%s%s", *base == '.' ? "piece_jointe" : "", base)) == NULL)
    return NULL;
  for (p = name; *p; p++)
    if ((unsigned char)*p < ' ' || *p == 0x7f)
      *p = '_';
  return name;
}

static int note_refusal(intake *x, const char *name, const char *why) {
  char *line = releve_str_printf("%s%s%s%s", x->refusals ? x->refusals : "", x->refusals ? " ; " : "",
                                 name, why ? why : " : aucun module ne le lit");
  if (line == NULL)
    return -ENOMEM;
  free(x->refusals);
  x->refusals = line;
  return 0;
}

/* Writes each candidate to the staging folder and keeps those a reader of
 * the actor recognises. */
static int stage(intake *x, const releve_inbox_message *m) {
  size_t i;
  int rc = releve_fs_mkdir_p(x->staging, 0750);

  for (i = 0; rc == 0 && i < m->n_attachments; i++) {
    const releve_inbox_attachment *a = &m->attachments[i];
    kept *k = &x->files[x->n];
    char *path = NULL, *why = NULL;
    int known;

    memset(k, 0, sizeof *k);
    k->name = drop_name(a, i);
    k->staged = releve_str_printf("%zu-%s", i + 1, k->name ? k->name : "");
    path = k->staged ? releve_str_printf("%s/%s", x->staging, k->staged) : NULL;
    if (k->name == NULL || path == NULL)
      rc = -ENOMEM;
    if (rc == 0)
      rc = releve_fs_write_atomic(path, a->data, a->len, 0640);
    releve_sha256_hex(a->data, a->len, k->sha256);
    known = rc ? rc : releve_inbox_recognise(x->cfg, x->plugins, x->actor, path, &why);
    if (known == 1) {
      x->n++;
    } else {
      if (known == 0) {
        rc = note_refusal(x, k->name, why ? " : " : NULL);
        if (rc == 0 && why)
          rc = note_refusal(x, "", why);
      } else {
        rc = known;
      }
      if (path)
        unlink(path);
      free(k->name);
      free(k->staged);
      memset(k, 0, sizeof *k);
    }
    free(why);
    free(path);
  }
  return rc;
}

/* The message and its drops, in one transaction, before any file lands:
 * the daemon may take a file the moment it is there, and must then find
 * that it came by mail. */
static int record(intake *x) {
  const char *key = x->out->key;
  char now[32];
  size_t i;
  int rc = releve_store_begin(x->s);
  if (rc)
    return rc;
  releve_clock_utc_text(time(NULL), now);
  rc = releve_store_run_texts(x->s, RELEVE_SQL_MAIL_MESSAGE_TAKEN,
                              (const char *[]){key, x->actor->id, now}, 3, NULL);
  for (i = 0; rc == 0 && i < x->n; i++)
    rc = releve_store_run_texts(
        x->s, RELEVE_SQL_MAIL_DROP_NOTE,
        (const char *[]){key, x->files[i].sha256, x->actor->id, x->files[i].name}, 4, NULL);
  if (rc == 0)
    return releve_store_commit(x->s);
  releve_store_rollback(x->s);
  return rc;
}

/* Moves each file not dropped yet into incoming/, then marks it. */
static int drop(intake *x) {
  char *incoming = releve_spool_path(x->cfg, x->actor->id, RELEVE_SPOOL_INCOMING);
  size_t i;
  int rc = incoming ? releve_fs_mkdir_p(incoming, 0750) : -ENOMEM;

  for (i = 0; rc == 0 && i < x->n; i++) {
    kept *k = &x->files[i];
    char *final = NULL;
    const char *const file[] = {x->out->key, k->sha256};
    int pending = releve_store_run_texts(x->s, RELEVE_SQL_MAIL_DROP_PENDING, file, 2, NULL);
    if (pending <= 0) {
      rc = pending;
      continue;
    }
    rc = releve_claim_move_as(x->staging, k->staged, incoming, k->name, RELEVE_CLAIM_KEPT_NAME_MAX,
                              NULL, NULL, &final);
    if (rc == 0)
      rc = releve_fs_sync_dir(incoming);
    if (rc == 0)
      rc = releve_store_run_texts(x->s, RELEVE_SQL_MAIL_DROP_DONE, file, 2, NULL);
    if (rc == 0) {
      x->out->dropped++;
      releve_info("mail %s from %s: %s dropped into %s", x->out->key, x->actor->id, final,
                  incoming);
    } else {
      releve_err("mail %s from %s: cannot drop %s into %s: %s", x->out->key, x->actor->id,
                 k->name, incoming, strerror(-rc));
    }
    free(final);
  }
  if (rc == 0)
    rc = releve_store_run_texts(x->s, RELEVE_SQL_MAIL_MESSAGE_DONE,
                                (const char *[]){x->out->key}, 1, NULL);
  if (rc == 0)
    rmdir(x->staging); /* empty now; a leftover is harmless */
  free(incoming);
  return rc;
}

static void intake_free(intake *x) {
  size_t i;
  for (i = 0; i < x->n; i++) {
    free(x->files[i].name);
    free(x->files[i].staged);
  }
  free(x->staging);
  free(x->refusals);
}

static int quarantine(releve_store *s, const releve_config *cfg, const void *data, size_t len,
                      const releve_inbox_message *m, const releve_inbox_envelope *env,
                      releve_inbox_result *out) {
  out->outcome = RELEVE_INBOX_QUARANTINED;
  releve_warn("mail %s quarantined: %s", out->key, out->why);
  return releve_quarantine_keep(s, cfg, out->key, data, len, m, env, out->why, &out->answered);
}

static int take(intake *x, const releve_inbox_message *m, const void *data, size_t len,
                const releve_inbox_envelope *env) {
  char dir[RELEVE_MAIL_ID_MAX + 2] = "m-", *spool_dir;
  int rc;

  releve_mail_id_filename(x->out->key, dir + 2, sizeof dir - 2);
  spool_dir = releve_spool_path(x->cfg, x->actor->id, RELEVE_SPOOL_INCOMING);
  if (spool_dir == NULL)
    return -ENOMEM;
  /* Beside incoming/, on the same file system: the drop is a rename. */
  spool_dir[strlen(spool_dir) - strlen("incoming")] = '\0';
  x->staging = releve_str_printf("%smail/%s", spool_dir, dir);
  free(spool_dir);
  if (x->staging == NULL)
    return -ENOMEM;
  /* The actor's folders, with the mode and group of the configuration. */
  if ((rc = releve_spool_prepare(x->cfg)) != 0 || (rc = stage(x, m)) != 0)
    return rc;
  if (x->n == 0) {
    snprintf(x->out->why, sizeof x->out->why,
             "aucune pièce jointe n'est un tableau que relevé sait lire pour l'acteur %s%s%s",
             x->actor->id, x->refusals ? " (" : "", x->refusals ? x->refusals : "");
    if (x->refusals)
      strncat(x->out->why, ")", sizeof x->out->why - strlen(x->out->why) - 1);
    rmdir(x->staging);
    return quarantine(x->s, x->cfg, data, len, m, env, x->out);
  }
  if ((rc = record(x)) != 0)
    return rc;
  x->out->outcome = RELEVE_INBOX_TAKEN;
  return drop(x);
}

int releve_inbox_receive(releve_store *s, const releve_config *cfg, const releve_plugins *p,
                         const void *data, size_t len, unsigned long long total,
                         const releve_inbox_envelope *env, releve_inbox_result *out) {
  releve_inbox_message m;
  int rc, seen, pending, parsed;

  memset(out, 0, sizeof *out);
  parsed = releve_inbox_mime_parse(data, len, &m);
  if (parsed == -ENOMEM)
    return parsed;
  /* An id that could not be answered in a thread is replaced by one of
   * ours: the message is still recognised when it comes again. */
  if (parsed == 0 && m.message_id && releve_mail_message_id_ok(m.message_id)) {
    snprintf(out->key, sizeof out->key, "%s", m.message_id);
  } else {
    char sha[65];
    releve_sha256_hex(data, len, sha);
    snprintf(out->key, sizeof out->key, "%s@sans-message-id", sha);
  }
  if ((rc = lookup(s, out->key, &seen, &pending)) != 0 || seen) {
    out->outcome = RELEVE_INBOX_SEEN;
  } else if (parsed) {
    snprintf(out->why, sizeof out->why, "message illisible (pas d'en-tête RFC 5322)");
    rc = quarantine(s, cfg, data, len, NULL, env, out);
  } else if (total > (unsigned long long)cfg->mail_max_message_bytes) {
    snprintf(out->why, sizeof out->why,
             "message de %llu octets, au-delà de mail.max_message_bytes (%lld) ; "
             "seuls les %zu premiers sont gardés",
             total, cfg->mail_max_message_bytes, len);
    rc = quarantine(s, cfg, data, len, &m, env, out);
  } else {
    intake x;
    memset(&x, 0, sizeof x);
    x.s = s, x.cfg = cfg, x.plugins = p, x.out = out;
    rc = releve_inbox_sender_check(s, cfg, &m, env, &x.actor, out->why, sizeof out->why);
    if (rc == 1)
      rc = quarantine(s, cfg, data, len, &m, env, out);
    else if (rc == 0) {
      snprintf(out->actor, sizeof out->actor, "%s", x.actor->id);
      rc = take(&x, &m, data, len, env);
    }
    intake_free(&x);
  }
  if (parsed == 0)
    releve_inbox_mime_free(&m);
  return rc;
}

int releve_inbox_counts(releve_store *s, long long *taken, long long *quarantined) {
  releve_stmt *st;
  int rc = releve_store_prepare(s, RELEVE_SQL_MAIL_MESSAGE_COUNTS, &st);
  *taken = *quarantined = 0;
  if (rc)
    return rc;
  while ((rc = releve_stmt_step(st)) == RELEVE_STMT_ROW)
    *(strcmp(releve_stmt_text(st, 0), "taken") == 0 ? taken : quarantined) =
        releve_stmt_int64(st, 1);
  releve_stmt_finalize(st);
  return rc;
}
