/* test_mission-locale.c -- the i-milo JSON plugin: rows, privacy, limits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "th_assert.h"

#define PLUGIN releve_plugin_entry_v1()
#define COLUMNS                                                                                   \
  "annee_naissance|adresse_numero|adresse_voie|adresse_complement|code_postal|commune|structure|" \
  "cej|cej_annee_debut|cej_annee_fin|situation|sortie_positive|id_jeune"

static void run_text(th_host *h, const char *text) {
  th_set_input(h, text, strlen(text));
  th_run(h, PLUGIN, NULL);
  TH_CLEAN(h);
}

/* Nothing that identifies a person may reach the host. */
static void assert_no_personal_data(const th_host *h) {
  static const char *const secrets[] = {"EXEMPLE", "Camille", "MODELE", "Sacha", "FICTIF",
                                        "j-000",   "190000",  "2003-05-17", "2001-11-02",
                                        "05-17",   "Belliard", "TEMOIN", "2022-03-14"};
  for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
    if (strstr(th_transcript(h), secrets[i]) != NULL)
      fail_msg("\"%s\" reached the host:\n%s", secrets[i], th_transcript(h));
}

static void test_records(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "imilo_jeunes_reconstructed.json", NULL), 0);
  TH_COLUMNS(h, COLUMNS);
  assert_int_equal(h->nrows, 6);
  assert_int_equal(h->nerrors, 0);
  /* CEJ ended, a job now after a training course. */
  assert_int_equal(h->rows[0].line, 2);
  TH_NUMBER(h, 0, "annee_naissance", 2003);
  TH_CELL(h, 0, "adresse_numero", RELEVE_CELL_TEXT, "12");
  TH_CELL(h, 0, "adresse_voie", RELEVE_CELL_TEXT, "Rue Myrha");
  TH_CELL(h, 0, "adresse_complement", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 0, "code_postal", RELEVE_CELL_TEXT, "75018");
  TH_CELL(h, 0, "commune", RELEVE_CELL_TEXT, "Paris");
  TH_CELL(h, 0, "structure", RELEVE_CELL_TEXT, "75001");
  TH_CELL(h, 0, "cej", RELEVE_CELL_TEXT, "oui");
  TH_NUMBER(h, 0, "cej_annee_debut", 2022);
  TH_NUMBER(h, 0, "cej_annee_fin", 2022);
  TH_CELL(h, 0, "situation", RELEVE_CELL_TEXT, "Emploi");
  TH_CELL(h, 0, "sortie_positive", RELEVE_CELL_TEXT, "oui");
  /* No CEJ; the latest ended situation is an apprenticeship. */
  assert_int_equal(h->rows[1].line, 40);
  TH_NUMBER(h, 1, "annee_naissance", 2001);
  TH_CELL(h, 1, "cej", RELEVE_CELL_TEXT, "non");
  TH_CELL(h, 1, "cej_annee_debut", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 1, "situation", RELEVE_CELL_TEXT, "Contrat en Alternance");
  TH_CELL(h, 1, "sortie_positive", RELEVE_CELL_TEXT, "oui");
  /* CEJ going on, only a planned situation. */
  TH_CELL(h, 2, "adresse_complement", RELEVE_CELL_TEXT, "Bât. B, esc. 3");
  TH_NUMBER(h, 2, "cej_annee_debut", 2023);
  TH_CELL(h, 2, "cej_annee_fin", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 2, "situation", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 2, "sortie_positive", RELEVE_CELL_TEXT, "non");
  /* Numbers where text is expected are kept as written. */
  TH_CELL(h, 3, "adresse_numero", RELEVE_CELL_TEXT, "12 bis");
  TH_CELL(h, 3, "code_postal", RELEVE_CELL_TEXT, "75019");
  TH_CELL(h, 3, "structure", RELEVE_CELL_TEXT, "75003");
  TH_CELL(h, 3, "cej", RELEVE_CELL_TEXT, "non");
  /* The current situation wins over a later-ended job. */
  TH_CELL(h, 4, "situation", RELEVE_CELL_TEXT, "Demandeur d'emploi");
  TH_CELL(h, 4, "sortie_positive", RELEVE_CELL_TEXT, "non");
  TH_CELL(h, 5, "adresse_voie", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 5, "situation", RELEVE_CELL_TEXT, "Contrat de volontariat - bénévolat");
  TH_CELL(h, 5, "sortie_positive", RELEVE_CELL_TEXT, "oui");
  assert_no_personal_data(h);
  TH_GOLDEN(h, "expected/imilo_jeunes_reconstructed.txt");
}

static void test_wrapped_in_object(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "imilo_wrapped_reconstructed.json", NULL), 0);
  assert_int_equal(h->nrows, 2);
  TH_CELL(h, 1, "situation", RELEVE_CELL_TEXT, "Contrat en Alternance");
  assert_no_personal_data(h);
  run_text(h, "{\"total\": 0, \"jeunes\": []}");
  assert_int_equal(h->rc, 0);
  assert_int_equal(h->nrows, 0);
}

static void test_situation_choice(void **state) {
  th_host *h = *state;
  run_text(h, "[{\"situations\": ["
              "{\"etat\": \"EN_COURS\", \"categorieSituation\": \"Formation\", \"dateDebut\": "
              "\"2022-01-03\"},"
              "{\"etat\": \"EN_COURS\", \"categorieSituation\": \"Pmsmp\", \"dateDebut\": "
              "\"2022-05-02\"},"
              "{\"etat\": \"TERMINE\", \"categorieSituation\": \"Emploi\", \"dateFin\": "
              "\"2023-01-01\"}]},"
              "{\"situations\": ["
              "{\"etat\": \"TERMINE\", \"categorieSituation\": \"Emploi\"},"
              "{\"etat\": \"TERMINE\", \"categorieSituation\": \"contrat en alternance\", "
              "\"dateFin\": \"01/02/2020\"},"
              "{\"etat\": \"ANNULE\", \"categorieSituation\": \"Formation\"}]},"
              "{\"situations\": null, \"accompagnementCEJ\": null, \"adresse\": {}}]");
  assert_int_equal(h->rc, 0);
  assert_int_equal(h->nrows, 3);
  TH_CELL(h, 0, "situation", RELEVE_CELL_TEXT, "Pmsmp");
  TH_CELL(h, 0, "sortie_positive", RELEVE_CELL_TEXT, "non");
  TH_CELL(h, 1, "situation", RELEVE_CELL_TEXT, "contrat en alternance");
  TH_CELL(h, 1, "sortie_positive", RELEVE_CELL_TEXT, "oui");
  TH_CELL(h, 1, "annee_naissance", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 2, "situation", RELEVE_CELL_EMPTY, "");
  TH_CELL(h, 2, "cej", RELEVE_CELL_TEXT, "non");
}

static void test_wrong_types(void **state) {
  th_host *h = *state;
  assert_int_equal(TH_RUN_FILE(h, PLUGIN, "broken_wrong_types.json", NULL), 0);
  assert_int_equal(h->nerrors, 5);
  TH_ERROR(h, 0, 25, "enregistrement n° 1 : « situations » doit être une liste (tableau JSON) ; "
                     "enregistrement ignoré");
  assert_int_equal(h->errors[0].column, 19);
  assert_null(h->errors[0].value);
  TH_ERROR(h, 1, 47, "enregistrement n° 2 : « accompagnementCEJ.accompagnementCEJ » doit être "
                     "true ou false ; enregistrement ignoré");
  TH_ERROR(h, 2, 72, "enregistrement n° 3 : un objet JSON {…} est attendu ; enregistrement "
                     "ignoré");
  TH_ERROR(h, 3, 105, "enregistrement n° 5 : « dateNaissance » doit être une date AAAA-MM-JJ ; "
                      "enregistrement ignoré");
  TH_ERROR(h, 4, 113, "enregistrement n° 6 : « adresse.numero » doit être un texte ; "
                      "enregistrement ignoré");
  assert_int_equal(h->nrows, 1);
  assert_int_equal(h->rows[0].line, 73);
  assert_non_null(strstr(th_transcript(h), "mission-locale: 6 records, 1 rows, 5 records refused"));
  assert_null(strstr(th_transcript(h), "17/05/03"));
  assert_no_personal_data(h);
}

static void test_broken_documents(void **state) {
  th_host *h = *state;
  TH_FAILS(h, PLUGIN, "broken_truncated.json", NULL, -EBADMSG, 84,
           "JSON invalide : fin du fichier dans un texte entre guillemets (fichier tronqué ?)");
  assert_int_equal(h->errors[0].column, 7);
  assert_int_equal(h->nrows, 2); /* the host decides what to do with a refused file */
  TH_FAILS(h, PLUGIN, "broken_not_json.json", NULL, -EBADMSG, 1,
           "JSON invalide : une valeur est attendue (texte entre guillemets, nombre, objet, "
           "tableau, true, false ou null)");
  TH_FAILS(h, PLUGIN, "broken_no_jeunes.json", NULL, -EBADMSG, 0,
           "aucune liste « jeunes » dans l'objet JSON ; un tableau d'enregistrements ou un objet "
           "{\"jeunes\": [ … ]} est attendu");
  TH_FAILS(h, PLUGIN, "broken_empty.json", NULL, -EBADMSG, 1,
           "JSON invalide : le fichier est vide ; un document JSON est attendu");
  run_text(h, "\"jeunes\"");
  assert_int_equal(h->rc, -EBADMSG);
  TH_ERROR(h, 0, 1, "un tableau JSON d'enregistrements [ {…}, … ] ou un objet {\"jeunes\": [ … ]} "
                    "est attendu");
  run_text(h, "{\"jeunes\": {\"a\": 1}}");
  TH_ERROR(h, 0, 1, "« jeunes » doit être une liste (tableau JSON) d'enregistrements");
  run_text(h, "[{\"adresse\": null}] [");
  TH_ERROR(h, 0, 1, "JSON invalide : texte après la fin du document JSON");
  assert_int_equal(h->errors[0].column, 21);
}

static void test_deep_nesting(void **state) {
  th_host *h = *state;
  size_t depth = 100000;
  char *text = malloc(depth + 16);
  strcpy(text, "{\"jeunes\":");
  memset(text + 10, '[', depth);
  text[10 + depth] = '\0';
  run_text(h, text);
  assert_int_equal(h->rc, -EBADMSG);
  TH_ERROR(h, 0, 1, "JSON invalide : imbrication trop profonde : au plus 64 niveaux d'objets et "
                    "de tableaux");
  assert_int_equal(h->errors[0].column, 11 + 63);
  memset(text, '[', depth);
  text[depth] = '\0';
  run_text(h, text);
  assert_int_equal(h->rc, -EBADMSG);
  assert_int_equal(h->nerrors, 1);
  assert_int_equal(h->errors[0].column, 65);
  free(text);
}

static void test_oversized_record(void **state) {
  th_host *h = *state;
  /* Twenty notes of 60 kB: the record passes 1 MiB, the next one is read. */
  size_t note = 60 * 1000, notes = 20;
  char *text = malloc(notes * (note + 4) + 200);
  size_t o = (size_t)sprintf(text, "[\n{\"notes\": [");
  for (size_t k = 0; k < notes; k++) {
    text[o++] = k ? ',' : ' ';
    text[o++] = '"';
    memset(text + o, 'x', note);
    o += note;
    text[o++] = '"';
  }
  o += (size_t)sprintf(text + o, "]},\n{\"dateNaissance\": \"2004-02-29\"}]");
  th_set_input(h, text, o);
  th_run(h, PLUGIN, NULL);
  TH_CLEAN(h);
  assert_int_equal(h->rc, 0);
  TH_ERROR(h, 0, 2, "enregistrement n° 1 de plus de 1048576 octets ; enregistrement ignoré");
  assert_int_equal(h->nrows, 1);
  assert_int_equal(h->rows[0].line, 3);
  TH_NUMBER(h, 0, "annee_naissance", 2004);
  /* One text of more than 1 MiB cannot be read past: the file is refused. */
  o = (size_t)sprintf(text, "[{\"nom\": \"");
  memset(text + o, 'x', RELEVE_KIT_MAX_RECORD + 10);
  o += RELEVE_KIT_MAX_RECORD + 10;
  th_set_input(h, text, o);
  free(text);
  th_run(h, PLUGIN, NULL);
  TH_CLEAN(h);
  assert_int_equal(h->rc, -EBADMSG);
  TH_ERROR(h, 0, 1, "JSON invalide : texte de plus de 1 Mio entre guillemets (guillemet fermant "
                    "manquant ?)");
}

static void test_host_stop(void **state) {
  th_host *h = *state;
  th_load(h, TH_FIXTURE("imilo_jeunes_reconstructed.json"));
  h->stop_after_rows = 2;
  assert_int_equal(th_run(h, PLUGIN, NULL), -ECANCELED);
  h->stop_after_rows = -1;
  assert_int_equal(h->nrows, 2);
}

static void test_memory_is_flat(void **state) {
  TH_FLAT_MEMORY(*state, PLUGIN, NULL, "{\"jeunes\": [\n",
                 "{\"idJeune\": \"j-1\", \"nom\": \"EXEMPLE\", \"dateNaissance\": \"2003-05-17\", "
                 "\"adresse\": {\"numero\": \"12\", \"libelleVoie\": \"Rue Myrha\", "
                 "\"codePostal\": \"75018\", \"commune\": \"Paris\"}, \"situations\": [{\"etat\": "
                 "\"EN_COURS\", \"categorieSituation\": \"Emploi\", \"dateDebut\": "
                 "\"2023-01-09\"}]},\n",
                 "{}]}\n", 100000, 100001, 512 * 1024);
}

static void test_descriptor(void **state) {
  (void)state;
  const releve_plugin *p = PLUGIN;
  assert_string_equal(p->name, "mission-locale");
  assert_null(p->options);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_records),
      cmocka_unit_test(test_wrapped_in_object),
      cmocka_unit_test(test_situation_choice),
      cmocka_unit_test(test_wrong_types),
      cmocka_unit_test(test_broken_documents),
      cmocka_unit_test(test_deep_nesting),
      cmocka_unit_test(test_oversized_record),
      cmocka_unit_test(test_host_stop),
      cmocka_unit_test(test_memory_is_flat),
      cmocka_unit_test(test_descriptor),
  };
  return cmocka_run_group_tests_name("mission-locale", tests, th_setup, th_teardown);
}
