#include "report/summary.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

int releve_report_context_kinds(releve_report *r, const int by_kind[RELEVE_GEO_NETWORK + 1],
                                int qva) {
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
  int n = qva;
  releve_report_context(r, qva,
                        "pour les quartiers de veille active (QVA), qui s'ajoutent aux QPV "
                        "pour donner QP");
  for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    /* The QVA are scopes, said apart above. */
    int k = by_kind[kinds[i].kind] - (kinds[i].kind == RELEVE_GEO_SCOPE ? qva : 0);
    releve_report_context(r, k, kinds[i].what);
    n += k;
  }
  return n;
}

/* A count as a French reader writes it: 1 360. */
static const char *count_text(int v, char out[RELEVE_NUMBER_SIZE]) {
  return releve_report_format(v, 0, RELEVE_NUMBER_GROUPED, out);
}

static const char *plural(int n) { return n > 1 ? "s" : ""; }

char *releve_report_conclude(const releve_report *r, releve_report_head *h,
                             const releve_report_tally *t) {
  char summary[320] = "", aside[128] = "", n[5][RELEVE_NUMBER_SIZE], *text;

  h->stored = 0;
  switch (t->verdict) {
  case RELEVE_VERDICT_DUPLICATE:
    h->verdict = "DÉJÀ REÇU";
    snprintf(summary, sizeof summary,
             "ce fichier a déjà été reçu et enregistré (dépôt n° %lld) : rien n'a changé",
             t->duplicate_of);
    break;
  case RELEVE_VERDICT_REFUSED:
    h->verdict = "REFUSÉ";
    snprintf(summary, sizeof summary, "%s problème%s à corriger, aucune valeur enregistrée",
             count_text(r->n_problems, n[0]), plural(r->n_problems));
    break;
  case RELEVE_VERDICT_ACCEPTED:
  case RELEVE_VERDICT_CHECKED:
    h->verdict = t->verdict == RELEVE_VERDICT_CHECKED ? "VÉRIFIÉ" : "ACCEPTÉ";
    h->stored = t->verdict == RELEVE_VERDICT_ACCEPTED;
    /* Context figures are stored but fill no cell: never "ajoutées". */
    if (t->context)
      snprintf(aside, sizeof aside, " ; %s hors référentiel, conservée%s pour information",
               count_text(t->context, n[4]), plural(t->context));
    snprintf(summary, sizeof summary,
             "%s valeur%s reçue%s : %s ajoutée%s, %s modifiée%s, %s inchangée%s%s%s",
             count_text(t->read, n[0]), plural(t->read), plural(t->read),
             count_text(t->added, n[1]), plural(t->added), count_text(t->changed, n[2]),
             plural(t->changed), count_text(t->unchanged, n[3]), plural(t->unchanged), aside,
             h->stored ? "" : " (essai : rien n'a été enregistré)");
    break;
  }
  h->summary = summary;
  text = releve_report_render(r, h);
  h->summary = NULL; /* it was this function's */
  return text;
}

static const char *verdict_word(releve_verdict v) {
  return v == RELEVE_VERDICT_DUPLICATE ? "déjà reçu" : v == RELEVE_VERDICT_REFUSED ? "refusé"
                                                                                  : "accepté";
}

static const char *meaning(releve_verdict v) {
  if (v == RELEVE_VERDICT_DUPLICATE)
    return "Nous avions déjà reçu ce même fichier : rien n'a changé.";
  if (v == RELEVE_VERDICT_REFUSED)
    return "Aucun de ses chiffres n'a été enregistré ; le détail suit.";
  return "Ses chiffres sont enregistrés.";
}

int releve_report_receipt_text(const releve_report_receipt *r, char **subject, char **body) {
  char filled[RELEVE_NUMBER_SIZE], owes[RELEVE_NUMBER_SIZE];
  size_t n = strlen(r->report);

  /* The report's own closing lines are enough. */
  while (n && r->report[n - 1] == '\n')
    n--;
  *subject = releve_str_printf("relevé : fichier %s %s", r->file_name, verdict_word(r->verdict));
  /* What the file did for the campaign comes first: the cells it filled,
   * and what this actor still owes after it. */
  *body = releve_str_printf("Ce fichier a rempli %s case%s attendue%s du référentiel ; il vous "
                         "en reste %s à fournir pour la campagne en cours (chiffres de %d, "
                         "à rendre le %.2s/%.2s/%.4s).\n\n"
                         "Bonjour,\n\nVoici le compte rendu du fichier « %s » que vous nous "
                         "avez transmis : il est %s. %s\n\n%.*s\n\nBien cordialement,\n\n-- \n"
                         "relevé, collecte des indicateurs du contrat de ville\n"
                         "(message automatique%s%s)\n",
                         count_text(r->filled, filled), plural(r->filled), plural(r->filled),
                         count_text(r->owed, owes), r->year, r->due + 8, r->due + 5, r->due,
                         r->file_name, verdict_word(r->verdict), meaning(r->verdict), (int)n,
                         r->report, r->coordinator ? " ; pour toute question : " : "",
                         r->coordinator ? r->coordinator : "");
  if (*subject == NULL || *body == NULL) {
    free(*subject);
    free(*body);
    *subject = *body = NULL;
    return -ENOMEM;
  }
  return 0;
}
