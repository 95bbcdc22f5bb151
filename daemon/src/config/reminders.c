#include "config/reminders.h"
#include "remind/template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dates --------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
static long days_from_civil(int y, int m, int d) {
  long era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d) {
  long era, doe, yoe, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

int releve_date_add(const char *date, int days, char out[11]) {
  int y, m, d;
  char tail;
  if (strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
      m > 12 || d < 1 || d > 31 || y < 1000 || y > 9000)
    return -EINVAL;
  civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
  snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
  return 0;
}

/* ---- configuration ------------------------------------------------------- */

static void defaults(releve_ladder *l) {
  static const releve_ladder_rule rules[] = {{"ouverture", RELEVE_LADDER_OPENS, 0},
                                             {"J-14", RELEVE_LADDER_DUE, -14},
                                             {"J-3", RELEVE_LADDER_DUE, -3},
                                             {"J+1", RELEVE_LADDER_DUE, 1}};
  memset(l, 0, sizeof *l);
  memcpy(l->rules, rules, sizeof rules);
  l->n_rules = sizeof rules / sizeof rules[0];
  l->repeat_every_days = 14;
  l->max_overdue = 6;
  l->copy_coordinator_after = 2;
  l->receipts = 1;
  l->template_format = RELEVE_TEMPLATE_XLSX; /* what partners open without a second thought */
}

static void default_name(releve_ladder_rule *r) {
  if (r->anchor == RELEVE_LADDER_OPENS)
    snprintf(r->name, sizeof r->name, r->days ? "ouverture+%d" : "ouverture", r->days);
  else if (r->days == 0)
    snprintf(r->name, sizeof r->name, "echeance");
  else
    snprintf(r->name, sizeof r->name, "J%+d", r->days);
}

static int name_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n >= RELEVE_LADDER_NAME || strncmp(s, "relance-", 8) == 0)
    return 0;
  return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-._") == n;
}

static int int_in(const releve_jctx *c, json_t *o, const char *path, const char *key, int lo,
                  int hi, int *out) {
  long long v;
  char where[128];
  int got = releve_json_int(c, o, path, key, 0, &v);
  if (got != 1)
    return got;
  if (v < lo || v > hi) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                     releve_json_path(where, sizeof where, path, key), 0, 0,
                     "%lld is out of range; a whole number from %d to %d is expected", v, lo, hi);
    return -1;
  }
  *out = (int)v;
  return 1;
}

/* One element of "steps"; 0 or -1 (diagnosed). */
static int load_rule(const releve_jctx *c, json_t *o, const char *path, releve_ladder_rule *r) {
  static const char *const keys[] = {"name",           "at", "days_after_opens", "days_before_due",
                                     "days_after_due", NULL};
  static const char *const when[] = {"at", "days_after_opens", "days_before_due", "days_after_due"};
  const char *name = NULL, *at = NULL;
  char where[128];
  int found = 0, days = 0, bad = 0;
  size_t i;

  if (!json_is_object(o)) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                     "is %s; an object such as {\"days_before_due\": 14} is expected",
                     releve_json_type_name(o));
    return -1;
  }
  bad |= releve_json_check_keys(c, o, path, keys) != 0;
  for (i = 0; i < sizeof when / sizeof when[0]; i++)
    found += json_object_get(o, when[i]) != NULL;
  if (found != 1) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                     "needs exactly one of \"at\" (\"opens\" or \"due\"), \"days_after_opens\", "
                     "\"days_before_due\", \"days_after_due\" (%d given)",
                     found);
    return -1;
  }
  if (json_object_get(o, "at")) {
    if (releve_json_string(c, o, path, "at", 1, &at) != 1)
      return -1;
    if (strcmp(at, "opens") && strcmp(at, "due")) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, path, "at"), 0, 0,
                       "\"%s\" is not a date of the campaign; \"opens\" or \"due\" expected", at);
      return -1;
    }
    r->anchor = strcmp(at, "opens") == 0 ? RELEVE_LADDER_OPENS : RELEVE_LADDER_DUE;
    r->days = 0;
  } else if (int_in(c, o, path, "days_after_opens", 0, 365, &days) == 1) {
    r->anchor = RELEVE_LADDER_OPENS;
    r->days = days;
  } else if (int_in(c, o, path, "days_before_due", 0, 365, &days) == 1) {
    r->anchor = RELEVE_LADDER_DUE;
    r->days = -days;
  } else if (int_in(c, o, path, "days_after_due", 0, 365, &days) == 1) {
    r->anchor = RELEVE_LADDER_DUE;
    r->days = days;
  } else {
    return -1;
  }
  default_name(r);
  if (releve_json_string(c, o, path, "name", 0, &name) == 1) {
    if (!name_ok(name)) {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, path, "name"), 0, 0,
                       "\"%s\" is not a step name: 1 to %d letters, digits or +-._ expected, "
                       "not starting with \"relance-\" (kept for repeats)",
                       name, RELEVE_LADDER_NAME - 1);
      return -1;
    }
    snprintf(r->name, sizeof r->name, "%s", name);
  } else if (json_object_get(o, "name")) {
    return -1;
  }
  return bad ? -1 : 0;
}

static int load_steps(const releve_jctx *c, json_t *arr, releve_ladder *l) {
  char path[64];
  json_t *o;
  size_t i, j;
  int bad = 0;

  if (json_array_size(arr) == 0 || json_array_size(arr) > RELEVE_LADDER_MAX_RULES) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, "reminders.steps", 0, 0,
                     "has %zu steps; 1 to %d expected", json_array_size(arr),
                     RELEVE_LADDER_MAX_RULES);
    return -1;
  }
  l->n_rules = 0;
  json_array_foreach(arr, i, o) {
    releve_ladder_rule *r = &l->rules[l->n_rules];
    releve_json_index(path, sizeof path, "reminders.steps", i);
    if (load_rule(c, o, path, r)) {
      bad = 1;
      continue;
    }
    for (j = 0; j < l->n_rules; j++) {
      if (l->rules[j].anchor == r->anchor && l->rules[j].days == r->days) {
        releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                         "falls on the same day as step \"%s\"", l->rules[j].name);
        bad = 1;
        break;
      }
      if (strcmp(l->rules[j].name, r->name) == 0) {
        releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                         "step name \"%s\" is used twice; names key what was sent", r->name);
        bad = 1;
        break;
      }
    }
    if (j == l->n_rules)
      l->n_rules++;
  }
  return bad ? -1 : 0;
}

int releve_ladder_load(json_t *reminders, const releve_jctx *c, releve_ladder *l) {
  static const char *const keys[] = {
      "steps",    "repeat_every_days", "max_overdue", "copy_coordinator_after",
      "receipts", "template_format",   NULL};
  json_t *steps;
  const char *format;
  char where[64];
  int bad = 0;

  defaults(l);
  if (reminders == NULL)
    return 0;
  bad |= releve_json_check_keys(c, reminders, "reminders", keys) != 0;
  bad |= int_in(c, reminders, "reminders", "repeat_every_days", 0, 365, &l->repeat_every_days) < 0;
  bad |= int_in(c, reminders, "reminders", "max_overdue", 0, RELEVE_LADDER_MAX_OVERDUE,
                &l->max_overdue) < 0;
  bad |= int_in(c, reminders, "reminders", "copy_coordinator_after", 0, RELEVE_LADDER_MAX_OVERDUE,
                &l->copy_coordinator_after) < 0;
  bad |= releve_json_bool(c, reminders, "reminders", "receipts", 0, &l->receipts) < 0;
  if (releve_json_string(c, reminders, "reminders", "template_format", 0, &format) == 1) {
    releve_template_format f;
    if (releve_template_format_parse(format, &f) == 0) {
      l->template_format = (int)f;
    } else {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, "reminders", "template_format"), 0,
                       0, "\"%s\" is not a format of the collection table; xlsx, ods or csv",
                       format);
      bad = 1;
    }
  }
  switch (releve_json_array(c, reminders, "reminders", "steps", 0, &steps)) {
  case 1: bad |= load_steps(c, steps, l) != 0; break;
  case -1: bad = 1; break;
  default: break;
  }
  return bad ? -EINVAL : 0;
}

void releve_ladder_check(json_t *reminders, const releve_jctx *c) {
  releve_ladder l;
  releve_ladder_load(reminders, c, &l);
}

int releve_ladder_of(const releve_config *cfg, releve_ladder *l) {
  releve_diags d = {0};
  releve_jctx c = {cfg->file, &d};
  int rc = releve_ladder_load(cfg->reminders, &c, l);
  releve_diags_free(&d);
  return rc;
}

/* ---- dating a campaign's steps -------------------------------------------- */

/* Insertion sort by date: stable, so steps on one day keep the configured
 * order (there are at most RELEVE_LADDER_MAX_RULES). */
static void sort_by_date(releve_ladder_step *steps, size_t n) {
  size_t i, j;
  for (i = 1; i < n; i++) {
    releve_ladder_step s = steps[i];
    for (j = i; j > 0 && strcmp(steps[j - 1].date, s.date) > 0; j--)
      steps[j] = steps[j - 1];
    steps[j] = s;
  }
}

size_t releve_ladder_steps(const releve_ladder *l, const releve_campaign *k,
                           releve_ladder_step *steps) {
  size_t n = 0, i, kept = 0;
  int overdue = 0, repeat;
  char base[11];

  for (i = 0; i < l->n_rules; i++) {
    const releve_ladder_rule *r = &l->rules[i];
    releve_ladder_step *s = &steps[n];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", r->name);
    if (releve_date_add(r->anchor == RELEVE_LADDER_OPENS ? k->opens : k->due, r->days, s->date))
      continue;
    if (strcmp(s->date, k->opens) < 0)
      continue; /* the campaign is not open yet */
    n++;
  }
  sort_by_date(steps, n);
  /* Two steps on one day: the first configured is sent. */
  for (i = 0; i < n; i++) {
    if (kept && strcmp(steps[kept - 1].date, steps[i].date) == 0)
      continue;
    if (strcmp(steps[i].date, k->due) > 0) {
      if (overdue == l->max_overdue)
        break;
      steps[i].overdue = ++overdue;
    }
    steps[kept++] = steps[i];
  }
  n = kept;
  snprintf(base, sizeof base, "%s",
           n && strcmp(steps[n - 1].date, k->due) > 0 ? steps[n - 1].date : k->due);
  for (repeat = 1; l->repeat_every_days > 0 && overdue < l->max_overdue; repeat++) {
    releve_ladder_step *s = &steps[n];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "relance-%d", repeat);
    if (releve_date_add(base, repeat * l->repeat_every_days, s->date))
      break;
    s->overdue = ++overdue;
    n++;
  }
  for (i = 0; i < n; i++) {
    if (i + 1 < n)
      memcpy(steps[i].until, steps[i + 1].date, sizeof steps[i].until);
    else
      releve_date_add(steps[i].date, l->repeat_every_days ? l->repeat_every_days : 14,
                      steps[i].until);
    steps[i].copy_coordinator = steps[i].overdue > l->copy_coordinator_after;
  }
  return n;
}

const releve_ladder_step *releve_ladder_due(const releve_ladder_step *steps, size_t n,
                                            const char *date) {
  size_t i;
  for (i = 0; i < n; i++)
    if (strcmp(steps[i].date, date) <= 0 && strcmp(date, steps[i].until) < 0)
      return &steps[i];
  return NULL;
}
