/* reminders.c -- the "reminders" key (reminders.h): its defaults, checked
 * and read once when the configuration is loaded, and the names of the
 * collection table's formats it may choose. */
#include "config/reminders.h"
#include "config/config_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the collection table's formats ---------------------------------------- */

static const struct {
  const char *name, *mime;
} formats[] = {
    [RELEVE_TEMPLATE_CSV] = {"csv", "text/csv; charset=UTF-8"},
    [RELEVE_TEMPLATE_XLSX] = {"xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    [RELEVE_TEMPLATE_ODS] = {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
};

int releve_template_format_parse(const char *name, releve_template_format *out) {
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (strcmp(name, formats[i].name) == 0) {
      *out = (releve_template_format)i;
      return 0;
    }
  return -EINVAL;
}

const char *releve_template_format_extension(releve_template_format format) {
  return formats[format].name;
}

const char *releve_template_format_mime(releve_template_format format) {
  return formats[format].mime;
}

/* ---- the ladder ------------------------------------------------------------ */

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

static int load_steps(const releve_jctx *c, json_t *arr, const char *at, releve_ladder *l) {
  char path[96], steps_path[80];
  json_t *o;
  size_t i, j;
  int bad = 0;

  releve_json_path(steps_path, sizeof steps_path, at, "steps");
  if (json_array_size(arr) == 0 || json_array_size(arr) > RELEVE_LADDER_MAX_RULES) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, steps_path, 0, 0,
                     "has %zu steps; 1 to %d expected", json_array_size(arr),
                     RELEVE_LADDER_MAX_RULES);
    return -1;
  }
  l->n_rules = 0;
  json_array_foreach(arr, i, o) {
    releve_ladder_rule *r = &l->rules[l->n_rules];
    releve_json_index(path, sizeof path, steps_path, i);
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

int releve_ladder_load_at(json_t *reminders, const releve_jctx *c, const char *at,
                          releve_ladder *l) {
  static const char *const keys[] = {
      "steps",    "repeat_every_days", "max_overdue", "copy_coordinator_after",
      "receipts", "template_format",   NULL};
  json_t *steps;
  const char *format;
  char where[128];
  int bad = 0;

  defaults(l);
  if (reminders == NULL)
    return 0;
  bad |= releve_json_check_keys(c, reminders, at, keys) != 0;
  bad |= int_in(c, reminders, at, "repeat_every_days", 0, 365, &l->repeat_every_days) < 0;
  bad |= int_in(c, reminders, at, "max_overdue", 0, RELEVE_LADDER_MAX_OVERDUE,
                &l->max_overdue) < 0;
  bad |= int_in(c, reminders, at, "copy_coordinator_after", 0, RELEVE_LADDER_MAX_OVERDUE,
                &l->copy_coordinator_after) < 0;
  bad |= releve_json_bool(c, reminders, at, "receipts", 0, &l->receipts) < 0;
  if (releve_json_string(c, reminders, at, "template_format", 0, &format) == 1) {
    releve_template_format f;
    if (releve_template_format_parse(format, &f) == 0) {
      l->template_format = f;
    } else {
      releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file,
                       releve_json_path(where, sizeof where, at, "template_format"), 0,
                       0, "\"%s\" is not a format of the collection table; xlsx, ods or csv",
                       format);
      bad = 1;
    }
  }
  switch (releve_json_array(c, reminders, at, "steps", 0, &steps)) {
  case 1: bad |= load_steps(c, steps, at, l) != 0; break;
  case -1: bad = 1; break;
  default: break;
  }
  return bad ? -EINVAL : 0;
}

int releve_ladder_load(json_t *reminders, const releve_jctx *c, releve_ladder *l) {
  return releve_ladder_load_at(reminders, c, "reminders", l);
}
