/* mission-locale.c -- Mission Locale de Paris, i-milo JSON export.
 *
 * One record per young person; one output row per record holding only what
 * the référentiel needs (year of birth, address, structure, CEJ, current
 * situation) and a pseudonym of the person's identifier for counting
 * people once. Names, identifiers and full dates never leave the plugin;
 * nothing read appears in a message.
 * The descriptor declares personal data, so the host handles every file as
 * such. Records are read one at a time, each at most
 * RELEVE_KIT_MAX_RECORD bytes. See README.md. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kit.h"

enum column {
  COL_ANNEE_NAISSANCE,
  COL_ADRESSE_NUMERO,
  COL_ADRESSE_VOIE,
  COL_ADRESSE_COMPLEMENT,
  COL_CODE_POSTAL,
  COL_COMMUNE,
  COL_STRUCTURE,
  COL_CEJ,
  COL_CEJ_ANNEE_DEBUT,
  COL_CEJ_ANNEE_FIN,
  COL_SITUATION,
  COL_SORTIE_POSITIVE,
  COL_ID_JEUNE,
  COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "annee_naissance", "adresse_numero", "adresse_voie", "adresse_complement",
    "code_postal",     "commune",        "structure",    "cej",
    "cej_annee_debut", "cej_annee_fin",  "situation",    "sortie_positive",
    "id_jeune"};

/* Situations that count as a positive exit, normalised. */
static const char *const positive[] = {"emploi", "contrat_en_alternance", "formation",
                                       "contrat_de_volontariat_benevolat", NULL};

typedef struct person {
  const releve_decode_args *args;
  size_t index;           /* 1-based record number */
  int failed;             /* a row error was reported */
  releve_kit_row *row;
} person;

/* Reports that field should be what (French) and marks the record failed;
 * returns 0 or the host's stop. */
static int wrong(person *p, const releve_kit_json_node *at, const char *field, const char *what) {
  p->failed = 1;
  return releve_kit_host_error(p->args, at->line, at->column, NULL,
                               "enregistrement n° %zu : « %s » doit être %s ; enregistrement "
                               "ignoré",
                               p->index, field, what);
}

static int absent(const releve_kit_json_node *n) {
  return n == NULL || n->type == RELEVE_KIT_JSON_NULL;
}

/* An object member that must be an object (or absent). */
static const releve_kit_json_node *object(person *p, const releve_kit_json_node *parent,
                                          const char *key, int *rc) {
  const releve_kit_json_node *n = releve_kit_json_get(parent, key);
  if (absent(n))
    return NULL;
  if (n->type != RELEVE_KIT_JSON_OBJECT) {
    *rc = wrong(p, n, key, "un objet");
    return NULL;
  }
  return n;
}

/* Adds parent.key as TEXT (a string or a number as written), EMPTY when
 * absent, null or blank. */
static int add_text(person *p, const releve_kit_json_node *parent, const char *key,
                    const char *field) {
  const releve_kit_json_node *n = releve_kit_json_get(parent, key);
  if (absent(n) || ((n->type == RELEVE_KIT_JSON_STRING || n->type == RELEVE_KIT_JSON_NUMBER) &&
                    releve_kit_cell_blank(n->text)))
    return releve_kit_row_add(p->row, RELEVE_CELL_EMPTY, 0, "");
  if (n->type != RELEVE_KIT_JSON_STRING && n->type != RELEVE_KIT_JSON_NUMBER)
    return wrong(p, n, field, "un texte");
  return releve_kit_row_add(p->row, RELEVE_CELL_TEXT, 0, n->text);
}

typedef struct day {
  int y, m, d;
} day;

/* Reads parent.key as a date; *out stays {-1,..} when absent. 0 or <0. */
static int read_day(person *p, const releve_kit_json_node *parent, const char *key,
                    const char *field, day *out) {
  const releve_kit_json_node *n = releve_kit_json_get(parent, key);
  *out = (day){-1, 0, 0};
  if (absent(n))
    return 0;
  if (n->type != RELEVE_KIT_JSON_STRING || releve_kit_cell_date(n->text, &out->y, &out->m, &out->d) < 0) {
    *out = (day){-1, 0, 0};
    return wrong(p, n, field, "une date AAAA-MM-JJ");
  }
  return 0;
}

/* Adds the year of parent.key as NUMBER, or EMPTY. */
static int add_year(person *p, const releve_kit_json_node *parent, const char *key,
                    const char *field) {
  day when;
  int rc = read_day(p, parent, key, field, &when);
  if (rc < 0 || p->failed)
    return rc;
  if (when.y < 0)
    return releve_kit_row_add(p->row, RELEVE_CELL_EMPTY, 0, "");
  char text[8];
  int n = snprintf(text, sizeof text, "%u", (unsigned)when.y % 10000u);
  rc = releve_kit_row_add_copy(p->row, RELEVE_CELL_NUMBER, 0, text, (size_t)n);
  if (rc == 0)
    p->row->cells[p->row->n - 1].number = when.y;
  return rc;
}

static int add_address(person *p, const releve_kit_json_node *rec) {
  static const char *const keys[] = {"numero", "libelleVoie", "complement", "codePostal",
                                     "commune"};
  static const char *const fields[] = {"adresse.numero", "adresse.libelleVoie",
                                       "adresse.complement", "adresse.codePostal",
                                       "adresse.commune"};
  int rc = 0;
  const releve_kit_json_node *adresse = object(p, rec, "adresse", &rc);
  for (size_t k = 0; rc == 0 && !p->failed && k < 5; k++)
    rc = add_text(p, adresse, keys[k], fields[k]);
  return rc;
}

static int add_cej(person *p, const releve_kit_json_node *rec) {
  int rc = 0;
  const releve_kit_json_node *cej = object(p, rec, "accompagnementCEJ", &rc);
  const releve_kit_json_node *flag = releve_kit_json_get(cej, "accompagnementCEJ");
  if (rc < 0 || p->failed)
    return rc;
  if (!absent(flag) && flag->type != RELEVE_KIT_JSON_TRUE && flag->type != RELEVE_KIT_JSON_FALSE)
    return wrong(p, flag, "accompagnementCEJ.accompagnementCEJ", "true ou false");
  int yes = flag != NULL && flag->type == RELEVE_KIT_JSON_TRUE;
  rc = releve_kit_row_add(p->row, RELEVE_CELL_TEXT, 0, yes ? "oui" : "non");
  if (rc == 0)
    rc = add_year(p, cej, "dateDebut", "accompagnementCEJ.dateDebut");
  if (rc == 0 && !p->failed)
    rc = add_year(p, cej, "dateFinReelle", "accompagnementCEJ.dateFinReelle");
  return rc;
}

static int later(day a, day b) {
  if (a.y != b.y)
    return a.y > b.y;
  if (a.m != b.m)
    return a.m > b.m;
  return a.d > b.d;
}

/* The situation that describes the person now: the current one (the latest
 * started if several), else the latest ended. */
static int add_situation(person *p, const releve_kit_json_node *rec) {
  const releve_kit_json_node *list = releve_kit_json_get(rec, "situations");
  const releve_kit_json_node *best = NULL;
  int best_current = 0;
  day best_day = {-2, 0, 0};
  if (!absent(list) && list->type != RELEVE_KIT_JSON_ARRAY)
    return wrong(p, list, "situations", "une liste (tableau JSON)");
  for (const releve_kit_json_node *s = absent(list) ? NULL : list->child; s; s = s->next) {
    if (s->type != RELEVE_KIT_JSON_OBJECT)
      return wrong(p, s, "situations", "une liste d'objets");
    const releve_kit_json_node *etat = releve_kit_json_get(s, "etat");
    if (absent(etat))
      continue;
    if (etat->type != RELEVE_KIT_JSON_STRING)
      return wrong(p, etat, "situations.etat", "PREVU, EN_COURS ou TERMINE");
    int current = strcmp(etat->text, "EN_COURS") == 0;
    if (!current && strcmp(etat->text, "TERMINE") != 0)
      continue;
    day when;
    int rc = read_day(p, s, current ? "dateDebut" : "dateFin",
                      current ? "situations.dateDebut" : "situations.dateFin", &when);
    if (rc < 0 || p->failed)
      return rc;
    if (best == NULL || current > best_current ||
        (current == best_current && later(when, best_day))) {
      best = s;
      best_current = current;
      best_day = when;
    }
  }
  const releve_kit_json_node *category = releve_kit_json_get(best, "categorieSituation");
  if (!absent(category) && category->type != RELEVE_KIT_JSON_STRING)
    return wrong(p, category, "situations.categorieSituation", "un texte");
  if (absent(category) || releve_kit_cell_blank(category->text)) {
    int rc = releve_kit_row_add(p->row, RELEVE_CELL_EMPTY, 0, "");
    return rc < 0 ? rc : releve_kit_row_add(p->row, RELEVE_CELL_TEXT, 0, "non");
  }
  char word[64];
  releve_kit_cell_normalize(category->text, word, sizeof word);
  int good = 0;
  for (const char *const *w = positive; *w != NULL; w++)
    good |= strcmp(word, *w) == 0;
  int rc = releve_kit_row_add(p->row, RELEVE_CELL_TEXT, 0, category->text);
  return rc < 0 ? rc : releve_kit_row_add(p->row, RELEVE_CELL_TEXT, 0, good ? "oui" : "non");
}

/* id_jeune: a pseudonym of idJeune (64-bit FNV-1a, 16 hex digits), the
 * same for every dossier of a person, so that the host counts a person
 * with two dossiers once (count_distinct) without the identifier itself
 * leaving the plugin. EMPTY when the record has none. */
static int add_pseudonym(person *p, const releve_kit_json_node *rec) {
  const releve_kit_json_node *n = releve_kit_json_get(rec, "idJeune");
  uint64_t h = 14695981039346656037u;
  char text[17];
  if (absent(n) || ((n->type == RELEVE_KIT_JSON_STRING || n->type == RELEVE_KIT_JSON_NUMBER) &&
                    releve_kit_cell_blank(n->text)))
    return releve_kit_row_add(p->row, RELEVE_CELL_EMPTY, 0, "");
  if (n->type != RELEVE_KIT_JSON_STRING && n->type != RELEVE_KIT_JSON_NUMBER)
    return wrong(p, n, "idJeune", "un texte");
  for (const char *c = n->text; *c; c++)
    h = (h ^ (unsigned char)*c) * 1099511628211u;
  snprintf(text, sizeof text, "%016llx", (unsigned long long)h);
  return releve_kit_row_add_copy(p->row, RELEVE_CELL_TEXT, 0, text, 16);
}

/* Builds the row of one record; 1 when it is to be emitted. */
static int convert(person *p, const releve_kit_json_node *rec) {
  int rc = add_year(p, rec, "dateNaissance", "dateNaissance");
  if (rc == 0 && !p->failed)
    rc = add_address(p, rec);
  if (rc == 0 && !p->failed) {
    const releve_kit_json_node *structure = object(p, rec, "structureRattachement", &rc);
    if (rc == 0 && !p->failed)
      rc = add_text(p, structure, "codeStructure", "structureRattachement.codeStructure");
  }
  if (rc == 0 && !p->failed)
    rc = add_cej(p, rec);
  if (rc == 0 && !p->failed)
    rc = add_situation(p, rec);
  if (rc == 0 && !p->failed)
    rc = add_pseudonym(p, rec);
  if (rc < 0)
    return rc;
  return p->failed ? 0 : 1;
}

typedef struct counts {
  unsigned long records, rows, refused;
} counts;

static int records(const releve_decode_args *args, releve_kit_json *j, releve_kit_row *row,
                   counts *c) {
  for (;;) {
    int rc = releve_kit_json_next(j);
    if (rc < 0 || j->type == RELEVE_KIT_JSON_END)
      return rc < 0 ? rc : 0;
    person p = {args, ++c->records, 0, row};
    unsigned long line = j->tok_line;
    unsigned column = j->tok_column;
    releve_kit_row_reset(row);
    if (j->type != RELEVE_KIT_JSON_OBJECT) {
      c->refused++;
      if ((rc = releve_kit_json_skip(j)) < 0 ||
          (rc = releve_kit_host_error(args, line, column, NULL,
                                      "enregistrement n° %zu : un objet JSON {…} est attendu ; "
                                      "enregistrement ignoré",
                                      p.index)) < 0)
        return rc;
      continue;
    }
    releve_kit_json_node *rec;
    rc = releve_kit_json_tree(j, &rec);
    if (rc == -E2BIG) {
      c->refused++;
      rc = releve_kit_host_error(args, line, column, NULL,
                                 "enregistrement n° %zu de plus de %u octets ; enregistrement "
                                 "ignoré",
                                 p.index, RELEVE_KIT_MAX_RECORD);
      if (rc < 0)
        return rc;
      continue;
    }
    if (rc < 0 || (rc = convert(&p, rec)) < 0)
      return rc;
    if (rc == 0) {
      c->refused++;
      continue;
    }
    if ((rc = releve_kit_row_emit(row, args, line)) < 0)
      return rc;
    c->rows++;
  }
}

/* The document: an array of records, or an object holding one as "jeunes". */
static int document(const releve_decode_args *args, releve_kit_json *j, releve_kit_row *row,
                    counts *c) {
  int rc = releve_kit_json_next(j);
  if (rc < 0)
    return rc;
  if (j->type == RELEVE_KIT_JSON_ARRAY)
    return records(args, j, row, c);
  if (j->type != RELEVE_KIT_JSON_OBJECT)
    return releve_kit_host_fail(args, -EBADMSG, j->tok_line, j->tok_column,
                                "un tableau JSON d'enregistrements [ {…}, … ] ou un objet "
                                "{\"jeunes\": [ … ]} est attendu");
  int found = 0;
  for (;;) {
    if ((rc = releve_kit_json_next(j)) < 0 || j->type == RELEVE_KIT_JSON_END)
      break;
    int jeunes = strcmp(j->text, "jeunes") == 0;
    if ((rc = releve_kit_json_next(j)) < 0)
      break;
    if (jeunes && j->type == RELEVE_KIT_JSON_ARRAY) {
      found = 1;
      rc = records(args, j, row, c);
    } else if (jeunes) {
      rc = releve_kit_host_fail(args, -EBADMSG, j->tok_line, j->tok_column,
                                "« jeunes » doit être une liste (tableau JSON) d'enregistrements");
    } else {
      rc = releve_kit_json_skip(j);
    }
    if (rc < 0)
      break;
  }
  if (rc > 0)
    rc = 0;
  if (rc == 0 && !found)
    rc = releve_kit_host_fail(args, -EBADMSG, 0, 0,
                              "aucune liste « jeunes » dans l'objet JSON ; un tableau "
                              "d'enregistrements ou un objet {\"jeunes\": [ … ]} est attendu");
  return rc;
}

static int mission_locale_decode(const releve_decode_args *args) {
  if (releve_kit_host_check(args) < 0)
    return -EINVAL;
  releve_kit_json j;
  releve_kit_row row = {0};
  counts c = {0, 0, 0};
  int rc = releve_kit_json_init(&j, args);
  if (rc < 0)
    rc = releve_kit_host_fail(args, rc, 0, 0, "mémoire insuffisante");
  if (rc == 0) {
    rc = args->host->columns(args->host_ctx, column_names, COL_COUNT);
    rc = rc < 0 ? rc : 0;
  }
  if (rc == 0)
    rc = document(args, &j, &row, &c);
  if (rc == 0 && (rc = releve_kit_json_next(&j)) > 0)
    rc = 0; /* the tokenizer refuses anything after the document */
  if (rc == -ENOMEM)
    rc = releve_kit_host_fail(args, rc, j.tok_line, 0, "mémoire insuffisante");
  if (rc == 0)
    releve_kit_host_log(args, RELEVE_LOG_INFO,
                        "mission-locale: %lu records, %lu rows, %lu records refused", c.records,
                        c.rows, c.refused);
  releve_kit_row_free(&row);
  releve_kit_json_free(&j);
  return rc;
}

/* i-milo's own keys: any of them in the head makes the file surely one. */
static const char *const imilo_keys[] = {"\"jeunes\"", "\"idJeune\"", "\"accompagnementCEJ\"",
                                         "\"structureRattachement\"", NULL};

static int contains(const unsigned char *head, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(head + i, needle, k) == 0)
      return 1;
  return 0;
}

/* A JSON document (after a BOM and blanks, '[' or '{'): 100 with an i-milo
 * key in its first bytes, 30 otherwise (a JSON file of another shape, whose
 * report then says what is wrong). */
static int mission_locale_recognise(const unsigned char *head, size_t n, const char *file_name) {
  (void)file_name;
  size_t i = n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
    i++;
  if (i == n || (head[i] != '[' && head[i] != '{'))
    return 0;
  for (const char *const *k = imilo_keys; *k != NULL; k++)
    if (contains(head + i, n - i, *k))
      return 100;
  return 30;
}

RELEVE_KIT_PLUGIN_FLAGS("mission-locale", "1.2.0",
                        "Mission Locale i-milo JSON export: one row per young person, without "
                        "names, identifiers or birth dates (personal data)",
                        "export i-milo de la Mission Locale (JSON)", NULL,
                        mission_locale_decode, mission_locale_recognise,
                        RELEVE_PLUGIN_PERSONAL_DATA)
