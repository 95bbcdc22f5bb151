#include "store/copy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define MAX_COLUMNS 24
#define BATCH 1000 /* rows between two progress calls */

/* Every table of the schema, parents before the tables whose foreign keys
 * point to them. serial names a column the target numbers itself once the
 * copy is done (PostgreSQL's identity columns do not follow explicit
 * values; SQLite's INTEGER PRIMARY KEY does). */
typedef struct table {
  const char *name, *columns, *serial;
} table;

static const table tables[] = {
    {"referentiel_versions", "id:i sha256 loaded_at indicators:i added:i changed:i retired:i contract",
     "id"},
    {"referentiel_changes", "version:i indicator change detail", NULL},
    {"nodes", "id level parent name contract", NULL},
    {"actors", "id name emails plugin", NULL},
    {"indicators",
     "id label actor theme action unit share:i period_kind target_text target_kind "
     "target_value:r target_min:r target_max:r retired:i contract",
     NULL},
    {"geographies", "code kind vintage name", NULL},
    {"periods", "period kind year:i", NULL},
    {"submissions",
     "id:i actor channel name size:i sha256 plugin received_at outcome added:i changed:i "
     "unchanged:i refused:i warnings:i report message_id",
     "id"},
    {"observations",
     "indicator period geography value:r text share:r status comment submission:i line:i "
     "updated_at contract",
     NULL},
    {"revisions",
     "indicator period geography submission:i value:r text share:r status comment line:i "
     "received_at contract",
     NULL},
    {"reminders", "actor campaign:i step sent_at cells:i mail:i", NULL},
    {"mail_queue",
     "id:i message_id recipients subject message:b created_at state attempts:i "
     "next_attempt_at last_error sent_at",
     "id"},
    {"pulls", "source etag last_modified sha256 last_attempt last_success failures:i last_error",
     NULL},
    {"pull_drops", "actor sha256 source dropped_at", NULL},
    {"plugin_faults", "actor plugin problem since", NULL},
    {"mail_tokens", "actor token created_at", NULL},
    {"mail_messages", "message_id actor received_at outcome reason done:i", NULL},
    {"mail_drops", "message_id sha256 actor name dropped:i", NULL},
    {"mail_answers", "sender day", NULL},
    {"imap_folders", "mailbox uidvalidity:i last_attempt:i failures:i last_error", NULL},
    {"imap_taken", "mailbox uid:i taken_at outcome", NULL},
    {"contract_pending", "since", NULL},
};
#define N_TABLES (sizeof tables / sizeof tables[0])

const char *const *releve_store_copy_tables(void) {
  static const char *names[N_TABLES + 1];
  size_t i;
  for (i = 0; i < N_TABLES; i++)
    names[i] = tables[i].name;
  return names;
}

const char *releve_store_copy_columns(const char *name) {
  size_t i;
  for (i = 0; i < N_TABLES; i++)
    if (strcmp(tables[i].name, name) == 0)
      return tables[i].columns;
  return NULL;
}

/* A table's columns split: names[i] and their kind ('t', 'i', 'r', 'b'). */
typedef struct columns {
  char names[MAX_COLUMNS][32];
  char kind[MAX_COLUMNS];
  int n;
} columns;

static void split_columns(const char *spec, columns *c) {
  const char *p = spec;
  c->n = 0;
  while (*p && c->n < MAX_COLUMNS) {
    size_t len = strcspn(p, " :");
    snprintf(c->names[c->n], sizeof c->names[c->n], "%.*s", (int)len, p);
    p += len;
    c->kind[c->n] = 't';
    if (*p == ':') {
      c->kind[c->n] = p[1];
      p += 2;
    }
    c->n++;
    p += strspn(p, " ");
  }
}

/* "SELECT a, b FROM t" and "INSERT INTO t(a, b) VALUES (?1, ?2)": built
 * from the table above only, never from data. */
static void statements(const table *t, const columns *c, char *sel, size_t sel_size, char *ins,
                       size_t ins_size) {
  size_t a, b;
  int i;
  a = (size_t)snprintf(sel, sel_size, "SELECT ");
  b = (size_t)snprintf(ins, ins_size, "INSERT INTO %s(", t->name);
  for (i = 0; i < c->n; i++) {
    a += (size_t)snprintf(sel + a, sel_size - a, "%s%s", i ? ", " : "", c->names[i]);
    b += (size_t)snprintf(ins + b, ins_size - b, "%s%s", i ? ", " : "", c->names[i]);
  }
  snprintf(sel + a, sel_size - a, " FROM %s", t->name);
  b += (size_t)snprintf(ins + b, ins_size - b, ") VALUES (");
  for (i = 0; i < c->n; i++)
    b += (size_t)snprintf(ins + b, ins_size - b, "%s?%d", i ? ", " : "", i + 1);
  snprintf(ins + b, ins_size - b, ")");
}

/* The rows of a table, or a negative errno value. */
static long long count_rows(releve_store *s, const char *name) {
  char sql[96];
  releve_stmt *st;
  long long n;
  int rc;

  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", name);
  rc = releve_store_prepare(s, sql, &st);
  if (rc)
    return rc;
  rc = releve_stmt_step(st);
  n = rc == RELEVE_STMT_ROW ? releve_stmt_int64(st, 0) : rc < 0 ? rc : -EIO;
  releve_stmt_finalize(st);
  return n;
}

/* One value of the source row bound to the same place of the insert. */
static int bind_value(releve_stmt *from, releve_stmt *to, int i, char kind) {
  size_t len;
  const void *blob;

  if (releve_stmt_is_null(from, i))
    return releve_stmt_bind_null(to, i + 1);
  switch (kind) {
  case 'i': return releve_stmt_bind_int64(to, i + 1, releve_stmt_int64(from, i));
  case 'r': return releve_stmt_bind_double(to, i + 1, releve_stmt_double(from, i));
  case 'b':
    blob = releve_stmt_blob(from, i, &len);
    return releve_stmt_bind_blob(to, i + 1, blob, len);
  default: return releve_stmt_bind_text(to, i + 1, releve_stmt_text(from, i));
  }
}

static int copy_table(releve_store *from, releve_store *to, const table *t,
                      releve_store_copy_cb cb, void *data, char *why, size_t why_size) {
  char sel[1024], ins[1024];
  releve_stmt *src = NULL, *dst = NULL;
  long long total = count_rows(from, t->name), done = 0;
  releve_store *failed = to;
  columns c;
  int rc, step = 0, i;

  if (total < 0) {
    snprintf(why, why_size, "lecture de la table %s impossible : %s", t->name,
             releve_store_errmsg(from));
    return (int)total;
  }
  split_columns(t->columns, &c);
  statements(t, &c, sel, sizeof sel, ins, sizeof ins);
  rc = releve_store_prepare(from, sel, &src);
  if (rc)
    failed = from;
  else
    rc = releve_store_prepare(to, ins, &dst);
  while (rc == 0 && (step = releve_stmt_step(src)) == RELEVE_STMT_ROW) {
    for (i = 0; i < c.n && rc == 0; i++)
      rc = bind_value(src, dst, i, c.kind[i]);
    if (rc == 0)
      rc = releve_stmt_run(dst);
    releve_stmt_reset(dst);
    if (rc == 0 && ++done % BATCH == 0 && cb)
      cb(t->name, done, total, data);
  }
  if (rc == 0 && step < 0)
    rc = step, failed = from;
  if (rc)
    snprintf(why, why_size, "copie de la table %s arrêtée à la ligne %lld : %s", t->name,
             done + 1, releve_store_errmsg(failed));
  else if (cb)
    cb(t->name, done, total, data);
  releve_stmt_finalize(src);
  releve_stmt_finalize(dst);
  return rc;
}

/* PostgreSQL only: each identity column restarts after the largest value
 * copied, so that the next submission or mail gets a fresh number. */
static int renumber(releve_store *to, const table *t) {
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT setval(pg_get_serial_sequence('%s', '%s'), "
           "COALESCE((SELECT max(%s) FROM %s), 0) + 1, false)",
           t->name, t->serial, t->serial, t->name);
  return releve_store_exec(to, sql);
}

int releve_store_copy(releve_store *from, releve_store *to, releve_store_copy_cb cb, void *data,
                      char *why, size_t why_size) {
  int pg = strcmp(releve_store_engine(to), "postgresql") == 0, rc;
  size_t i;

  if (releve_store_user_version(from) != releve_store_user_version(to)) {
    snprintf(why, why_size,
             "les deux bases n'ont pas la même version de schéma (%d et %d) : démarrez "
             "releved une fois sur la base source pour la mettre à jour",
             releve_store_user_version(from), releve_store_user_version(to));
    return -EPROTO;
  }
  for (i = 0; i < N_TABLES; i++) {
    long long n = count_rows(to, tables[i].name);
    if (n != 0) {
      if (n > 0)
        snprintf(why, why_size,
                 "la base cible n'est pas vide (la table %s a déjà des lignes) : relevé ne copie que "
                 "dans une base neuve",
                 tables[i].name);
      else
        snprintf(why, why_size, "lecture de la table %s de la base cible impossible : %s",
                 tables[i].name, releve_store_errmsg(to));
      return n > 0 ? -ENOTEMPTY : (int)n;
    }
  }
  rc = releve_store_begin(to);
  for (i = 0; i < N_TABLES && rc == 0; i++) {
    rc = copy_table(from, to, &tables[i], cb, data, why, why_size);
    if (rc == 0 && pg && tables[i].serial)
      rc = renumber(to, &tables[i]);
  }
  for (i = 0; i < N_TABLES && rc == 0; i++) {
    long long a = count_rows(from, tables[i].name), b = count_rows(to, tables[i].name);
    if (a != b) {
      snprintf(why, why_size, "table %s : %lld lignes dans la source, %lld copiées", tables[i].name,
               a, b);
      rc = -EPROTO;
    }
  }
  if (rc == 0) {
    rc = releve_store_commit(to);
    if (rc)
      snprintf(why, why_size, "la copie n'a pas pu être validée : %s", releve_store_errmsg(to));
  } else {
    releve_store_rollback(to);
  }
  if (rc == 0)
    releve_info("database copied: %zu tables", N_TABLES);
  return rc;
}
