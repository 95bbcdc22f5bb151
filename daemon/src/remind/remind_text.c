/* remind_text.c -- what a reminder says, in French. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remind/remind.h"
#include "spool/spool.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/log.h"
#include "util/str.h"

static int add_intro(releve_buf *b, const releve_reminder *r, const char *due) {
  int year = r->campaign->year;
  if (r->step->overdue)
    return releve_buf_addf(b,
                           "Les chiffres %d des indicateurs d'évaluation du contrat de ville "
                           "étaient attendus pour le %s.",
                           year, due);
  if (strcmp(r->step->date, r->campaign->opens) == 0)
    return releve_buf_addf(b,
                           "La collecte des chiffres %d des indicateurs d'évaluation du contrat de "
                           "ville est ouverte. Ils sont attendus d'ici le %s.",
                           year, due);
  return releve_buf_addf(b,
                         "Nous vous rappelons que les chiffres %d des indicateurs d'évaluation "
                         "du contrat de ville sont attendus d'ici le %s.",
                         year, due);
}

/* The cells, grouped by action in the order the référentiel gives. */
static int add_cells(releve_buf *b, const releve_reminder *r) {
  char *done = calloc(r->n_cells ? r->n_cells : 1, 1);
  size_t i, j;
  int rc = 0;

  if (done == NULL)
    return -ENOMEM;
  for (i = 0; i < r->n_cells && rc == 0; i++) {
    const releve_node *action = r->cells[i].indicator->action;
    if (done[i])
      continue;
    rc = releve_buf_addf(b, "\nAction %s : %s\n", action->id, action->name);
    for (j = i; j < r->n_cells && rc == 0; j++) {
      const releve_remind_cell *c = &r->cells[j];
      if (done[j] || c->indicator->action != action)
        continue;
      done[j] = 1;
      rc = releve_buf_addf(b, "  - %s %s : %s, %s\n", c->indicator->id, c->indicator->label,
                           c->period, c->geography);
    }
  }
  free(done);
  return rc;
}

/* Uploads left under a temporary name: never read, so said here. */
static int add_stale(releve_buf *b, const releve_reminder *r) {
  size_t i;
  int rc = 0;
  if (r->stale == NULL || r->stale[0] == NULL)
    return 0;
  rc |= releve_buf_adds(b, r->stale[1] ? "\nDes dépôts interrompus attendent dans votre dossier : "
                                       : "\nUn dépôt interrompu attend dans votre dossier : ");
  for (i = 0; r->stale[i]; i++) {
    char *shown = releve_log_escape(r->stale[i]);
    rc |= releve_buf_addf(b, "%s%s", i ? ", " : "", shown ? shown : "?");
    free(shown);
  }
  rc |= releve_buf_adds(b, ". Un fichier dont le nom commence par un point ou se termine par "
                           "« .part » n'est jamais lu : s'il contient vos chiffres, déposez à "
                           "nouveau le fichier complet sous son nom définitif.\n");
  return rc;
}

/* The contract a reminder asks for, when the configuration lists its
 * contracts ("contracts": [...]): a partner of the contract that ends and of
 * the one that begins gets a mail from each and must tell them apart. NULL
 * for the old form, which is one contract and says nothing more. cfg is the
 * contract's view (releve_config_view). */
static const releve_contract *named_contract(const releve_config *cfg) {
  return cfg->n_contracts == 1 && cfg->contracts[0].where[0] ? &cfg->contracts[0] : NULL;
}

static char *subject_of(const releve_reminder *r, const releve_contract *k, const char *due) {
  const char *s = r->n_cells > 1 ? "s" : "";
  const char *sep = k ? ", " : "", *name = k ? (k->name ? k->name : k->id) : "";
  int year = r->campaign->year;

  if (r->step->overdue)
    return releve_str_printf("Relance%s%s : %zu chiffre%s %d attendu%s depuis le %s", sep, name,
                             r->n_cells, s, year, s, due);
  if (strcmp(r->step->date, r->campaign->opens) == 0)
    return releve_str_printf("Ouverture de la collecte %d%s%s : %zu chiffre%s attendu%s d'ici "
                             "le %s",
                             year, k ? sep : " du contrat de ville", name, r->n_cells, s, s, due);
  return releve_str_printf("Rappel%s%s : %zu chiffre%s %d attendu%s d'ici le %s", sep, name,
                           r->n_cells, s, year, s, due);
}

int releve_remind_text(const releve_config *cfg, const releve_reminder *r, char **subject,
                       char **body) {
  releve_buf b = RELEVE_BUF_INIT;
  char due[40];
  char *incoming = releve_spool_path(cfg, r->actor->id, RELEVE_SPOOL_INCOMING);
  const releve_contract *k = named_contract(cfg);
  const char *s = r->n_cells > 1 ? "s" : "";
  int rc = 0;

  *body = NULL;
  releve_date_french(r->campaign->due, due, sizeof due);
  *subject = subject_of(r, k, due);

  rc |= releve_buf_adds(&b, "Bonjour,\n\n");
  rc |= add_intro(&b, r, due);
  if (k && k->name)
    rc |= releve_buf_addf(&b, " Cette demande porte sur le contrat « %s » (%s).", k->name, k->id);
  else if (k)
    rc |= releve_buf_addf(&b, " Cette demande porte sur le contrat %s.", k->id);
  rc |= releve_buf_addf(&b,
                        "\n\nIl nous manque encore %zu chiffre%s de la part de %s pour %d "
                        "(indicateur, période, périmètre) :\n",
                        r->n_cells, s, r->actor->name, r->campaign->year);
  rc |= add_cells(&b, r);
  if (cfg->mail_reply_to) {
    /* The reply goes to the actor's own address (mail_token.h): taken as is. */
    rc |= releve_buf_adds(&b, "\nPour nous les transmettre, répondez à ce message en joignant le "
                              "tableau rempli.\n");
    if (r->spool_in_use)
      rc |= releve_buf_addf(&b, "Vous pouvez aussi le déposer dans votre dossier de dépôt :\n  %s/\n",
                            incoming ? incoming : "");
  } else {
    rc |= releve_buf_addf(&b,
                          "\nPour nous les transmettre, déposez le fichier complété dans votre "
                          "dossier de dépôt :\n  %s/\n",
                          incoming ? incoming : "");
    if (cfg->coordinator)
      rc |= releve_buf_addf(&b, "ou envoyez-le en réponse à ce message (à %s).\n",
                            cfg->coordinator);
  }
  rc |= add_stale(&b, r);
  rc |= releve_buf_addf(&b,
                        "\nLe fichier joint, %s, est le modèle de collecte pré-rempli pour %d : "
                        "une ligne par chiffre attendu de votre part. Complétez la colonne "
                        "« valeur » (et « part » lorsqu'elle est demandée) et, si besoin, "
                        "« statut » (provisoire, estimé, secret, nd) et « commentaire ». Un "
                        "chiffre couvert par le secret statistique ou non disponible compte comme "
                        "transmis : indiquez-le dans la colonne « statut ». Un zéro est un "
                        "chiffre ; une case vide n'en est pas un.\n",
                        r->attachment_name, r->campaign->year);
  if (r->cc && r->cc[0])
    rc |=
        releve_buf_adds(&b, "\nLa coordination du contrat de ville est en copie de ce message.\n");
  rc |= releve_buf_adds(&b, "\nMerci de votre contribution.\n\nBien cordialement,\n\n-- \n"
                            "relevé, collecte des indicateurs du contrat de ville\n"
                            "(message automatique");
  if (cfg->coordinator)
    rc |= releve_buf_addf(&b, " ; pour toute question : %s", cfg->coordinator);
  rc |= releve_buf_adds(&b, ")\n");
  free(incoming);
  *body = releve_buf_steal(&b);
  if (rc || *subject == NULL || *body == NULL) {
    free(*subject);
    free(*body);
    *subject = *body = NULL;
    return -ENOMEM;
  }
  return 0;
}
