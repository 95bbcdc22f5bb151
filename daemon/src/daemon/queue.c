/* queue.c -- the names releved has found in the spool and not yet taken,
 * in the order found, and the names in processing/ it could not open. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon_int.h"
#include "spool/spool.h"
#include "util/log.h"
#include "util/name.h"

static int same(const item *it, size_t actor, int processing, const char *name) {
  return it->actor == actor && it->processing == processing && strcmp(it->name, name) == 0;
}

void releve__queue_add(daemon_state *d, size_t actor, int processing, const char *name) {
  item *it;

  if (d->stopping || !releve_name_ok(name) || releve_name_ignored(name))
    return;
  /* A file in hand is in processing/ under a name a pool thread may be
   * choosing right now: leave that actor's processing/ to a later scan. */
  if (processing && d->running && d->running[actor])
    return;
  for (it = d->head; it; it = it->next)
    if (same(it, actor, processing, name))
      return;
  it = calloc(1, sizeof *it);
  if (it == NULL || (it->name = strdup(name)) == NULL) {
    free(it);
    releve_err("out of memory queueing %s", name);
    return;
  }
  it->actor = actor;
  it->processing = processing;
  if (d->tail)
    d->tail->next = it;
  else
    d->head = it;
  d->tail = it;
}

item *releve__queue_take(daemon_state *d) {
  item **pp, *prev = NULL;
  for (pp = &d->head; *pp; prev = *pp, pp = &(*pp)->next) {
    item *it = *pp;
    if (d->running[it->actor])
      continue; /* one file per actor at a time: its files keep their order */
    *pp = it->next;
    if (d->tail == it)
      d->tail = prev;
    it->next = NULL;
    return it;
  }
  return NULL;
}

void releve__queue_free_item(item *it) {
  if (it) {
    free(it->name);
    free(it);
  }
}

void releve__queue_clear(daemon_state *d) {
  while (d->head) {
    item *it = d->head;
    d->head = it->next;
    releve__queue_free_item(it);
  }
  d->tail = NULL;
}

size_t releve__queue_length(const daemon_state *d) {
  const item *it;
  size_t n = 0;
  for (it = d->head; it; it = it->next)
    n++;
  return n;
}

static void scan_dir(daemon_state *d, size_t actor, int processing) {
  const char *dir = processing ? d->processing[actor] : d->incoming[actor];
  char **names;
  size_t n, i;
  int rc = releve_spool_list(dir, &names, &n);

  if (rc) {
    releve_warn("cannot list %s: %s", dir, strerror(-rc));
    return;
  }
  for (i = 0; i < n; i++)
    releve__queue_add(d, actor, processing, names[i]);
  releve_spool_names_free(names);
}

/* Personal-data files kept past their keeping period are deleted. */
static void prune_personal(daemon_state *d) {
  size_t a;
  for (a = 0; a < d->cfg.n_actors; a++) {
    const releve_actor *act = &d->cfg.actors[a];
    char *dir;
    int n;
    if (!act->personal_data || act->keep_days <= 0)
      continue;
    if ((dir = releve_spool_personal_path(&d->cfg, act->id)) == NULL)
      return;
    n = releve_spool_prune_personal(dir, act->keep_days);
    if (n > 0)
      releve_info("%s: %d personal-data file%s deleted after %d days", act->id, n,
                  n > 1 ? "s" : "", act->keep_days);
    else if (n < 0)
      releve_err("%s: cannot prune %s: %s", act->id, dir, strerror(-n));
    free(dir);
  }
}

void releve__queue_scan_all(daemon_state *d) {
  size_t a;
  prune_personal(d);
  for (a = 0; a < d->cfg.n_actors; a++)
    scan_dir(d, a, 1);
  for (a = 0; a < d->cfg.n_actors; a++)
    scan_dir(d, a, 0);
}

/* ---- files that cannot be opened ------------------------------------------ */

static unreadable **find_unreadable(daemon_state *d, size_t actor, const char *name) {
  unreadable **u;
  for (u = &d->unreadable; *u; u = &(*u)->next)
    if ((*u)->actor == actor && strcmp((*u)->name, name) == 0)
      break;
  return u;
}

int releve__queue_unreadable_tries(daemon_state *d, size_t actor, const char *name) {
  const unreadable *u = *find_unreadable(d, actor, name);
  return u ? u->tries : 0;
}

void releve__queue_count_unreadable(daemon_state *d, size_t actor, const char *name) {
  unreadable **u = find_unreadable(d, actor, name);
  if (*u == NULL) {
    if ((*u = calloc(1, sizeof **u)) == NULL || ((*u)->name = strdup(name)) == NULL) {
      free(*u);
      *u = NULL;
      return;
    }
    (*u)->actor = actor;
  }
  (*u)->tries++;
}

/* Forgets the tries of a name once it has left processing/. */
void releve__queue_forget_unreadable(daemon_state *d, size_t actor, const char *name) {
  unreadable **u = find_unreadable(d, actor, name), *gone = *u;
  if (gone) {
    *u = gone->next;
    free(gone->name);
    free(gone);
  }
}

void releve__queue_clear_unreadable(daemon_state *d) {
  while (d->unreadable) {
    unreadable *u = d->unreadable;
    d->unreadable = u->next;
    free(u->name);
    free(u);
  }
}
