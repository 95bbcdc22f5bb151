/* test_json.c -- the kit's JSON tokenizer and record trees. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"
#include "kit_tests.h"
#include "th_assert.h"

/* "json-echo": a top-level array; each element becomes one row holding a
 * compact rendering of its tree, at the line where it starts. */
static void render(const releve_kit_json_node *n, char *out, size_t size, size_t *o) {
#define PUT(...) (*o += (size_t)snprintf(out + *o, *o < size ? size - *o : 0, __VA_ARGS__))
  if (n->key)
    PUT("%s:", n->key);
  switch (n->type) {
  case RELEVE_KIT_JSON_OBJECT:
  case RELEVE_KIT_JSON_ARRAY:
    PUT("%c", n->type == RELEVE_KIT_JSON_OBJECT ? '{' : '[');
    for (const releve_kit_json_node *c = n->child; c; c = c->next) {
      render(c, out, size, o);
      if (c->next)
        PUT(",");
    }
    PUT("%c", n->type == RELEVE_KIT_JSON_OBJECT ? '}' : ']');
    break;
  case RELEVE_KIT_JSON_STRING:
    PUT("\"%s\"", n->text);
    break;
  case RELEVE_KIT_JSON_NUMBER:
    PUT("%s", n->text);
    break;
  default:
    PUT("%s", n->type == RELEVE_KIT_JSON_TRUE ? "true" : n->type == RELEVE_KIT_JSON_FALSE ? "false" : "null");
  }
#undef PUT
}

static int echo_decode(const releve_decode_args *args) {
  releve_kit_json j;
  static const char *const names[] = {"record"};
  int rc = releve_kit_json_init(&j, args);
  if (rc == 0)
    rc = args->host->columns(args->host_ctx, names, 1);
  if (rc == 0)
    rc = releve_kit_json_next(&j);
  if (rc >= 0 && j.type != RELEVE_KIT_JSON_ARRAY)
    rc = releve_kit_host_fail(args, -EBADMSG, j.tok_line, j.tok_column, "tableau attendu");
  size_t index = 0;
  while (rc >= 0 && (rc = releve_kit_json_next(&j)) >= 0 && j.type != RELEVE_KIT_JSON_END) {
    releve_kit_json_node *root;
    unsigned long line = j.tok_line;
    index++;
    rc = releve_kit_json_tree(&j, &root);
    if (rc == -E2BIG) {
      rc = releve_kit_host_error(args, line, 0, NULL, "élément %zu trop gros", index);
      continue;
    }
    if (rc < 0)
      break;
    static char text[4096];
    size_t o = 0;
    render(root, text, sizeof text, &o);
    releve_cell cell = {RELEVE_CELL_TEXT, text, 0.0, 1};
    rc = args->host->row(args->host_ctx, line, &cell, 1);
  }
  if (rc >= 0)
    rc = releve_kit_json_next(&j);
  if (rc >= 0 && j.type != RELEVE_KIT_JSON_EOF)
    rc = releve_kit_host_fail(args, -EBADMSG, j.tok_line, j.tok_column, "fin attendue");
  releve_kit_json_free(&j);
  return rc < 0 ? rc : 0;
}

static const releve_plugin echo_plugin = {RELEVE_PLUGIN_ABI_MAJOR, sizeof(releve_plugin),
                                          "kit-json", "1", "test", NULL, echo_decode,
                                          NULL, NULL, 0};

static void run(th_host *h, const char *text, size_t len) {
  th_set_input(h, text, len);
  for (size_t chunk = 1; chunk <= 2; chunk++) { /* byte by byte, then all at once */
    h->chunk = chunk == 1 ? 1 : 0;
    th_run(h, &echo_plugin, NULL);
    TH_CLEAN(h);
  }
}

#define RUN(h, literal) run((h), (literal), sizeof(literal) - 1)

static void row_is(const th_host *h, size_t row, unsigned long line, const char *text) {
  assert_true(row < h->nrows);
  assert_int_equal(h->rows[row].line, line);
  assert_string_equal(h->rows[row].cells[0].text, text);
}

static void test_values_and_escapes(void **state) {
  th_host *h = *state;
  RUN(h, "\xEF\xBB\xBF[\n {\"a\": 1, \"b\" : [true,false,null, -0.5e+3],\n"
         "  \"c\":\"x\\u00e9\\ud83d\\ude00\\n\\\"\\/\\t\", \"d\": {}, \"e\": []},\n"
         "\n  \"\",12 ]\n");
  assert_int_equal(h->rc, 0);
  assert_int_equal(h->nrows, 3);
  row_is(h, 0, 2, "{a:1,b:[true,false,null,-0.5e+3],c:\"xé😀\n\"/\t\",d:{},e:[]}");
  row_is(h, 1, 5, "\"\"");
  row_is(h, 2, 5, "12");
  RUN(h, "[]");
  assert_int_equal(h->rc, 0);
  assert_int_equal(h->nrows, 0);
}

static void test_member_lookup(void **state) {
  (void)state;
  /* releve_kit_json_get walks the members of one object only. */
  releve_kit_json_node b = {RELEVE_KIT_JSON_STRING, "b", "deux", NULL, NULL, 0, 1, 1};
  releve_kit_json_node a = {RELEVE_KIT_JSON_NUMBER, "a", "1", NULL, &b, 0, 1, 1};
  releve_kit_json_node o = {RELEVE_KIT_JSON_OBJECT, NULL, NULL, &a, NULL, 2, 1, 1};
  assert_ptr_equal(releve_kit_json_get(&o, "b"), &b);
  assert_null(releve_kit_json_get(&o, "c"));
  assert_null(releve_kit_json_get(&a, "a"));
  assert_null(releve_kit_json_get(NULL, "a"));
}

struct bad_case {
  const char *text;
  unsigned long line;
  unsigned column;
  const char *message;
};

static void test_syntax_errors(void **state) {
  th_host *h = *state;
  static const struct bad_case cases[] = {
      {"[{\"a\":1", 1, 8, "JSON invalide : fin du fichier au milieu du document (fichier tronqué ?)"},
      {"[{\"a\":\"tronqué", 1, 15,
       "JSON invalide : fin du fichier dans un texte entre guillemets (fichier tronqué ?)"},
      {"hello", 1, 1,
       "JSON invalide : une valeur est attendue (texte entre guillemets, nombre, objet, tableau, "
       "true, false ou null)"},
      {"", 1, 1, "JSON invalide : le fichier est vide ; un document JSON est attendu"},
      {"[1,]", 1, 4,
       "JSON invalide : une valeur est attendue (texte entre guillemets, nombre, objet, tableau, "
       "true, false ou null)"},
      {"[1 2]", 1, 4, "JSON invalide : « , » ou « ] » attendu"},
      {"[{\"a\" 1}]", 1, 7, "JSON invalide : « : » attendu après le nom d'un champ"},
      {"[{a:1}]", 1, 3, "JSON invalide : nom de champ entre guillemets attendu"},
      {"[01]", 1, 4, "JSON invalide : nombre mal formé : zéro non significatif"},
      {"[1.]", 1, 4, "JSON invalide : nombre mal formé : un chiffre est attendu après le point"},
      {"[-]", 1, 3, "JSON invalide : nombre mal formé : un chiffre est attendu"},
      {"[tru]", 1, 5,
       "JSON invalide : mot inconnu : true, false, null, un nombre, un texte entre guillemets, un "
       "objet ou un tableau est attendu"},
      {"[\"a\tb\"]", 1, 4, "JSON invalide : caractère de contrôle dans un texte entre guillemets"},
      {"[\"\xE9t\xE9\"]", 1, 2, "JSON invalide : texte qui n'est pas en UTF-8"},
      {"[\"ok\", \"\xC3\"]", 1, 8, "JSON invalide : texte qui n'est pas en UTF-8"},
      {"[\"\\x\"]", 1, 4, "JSON invalide : séquence d'échappement inconnue après « \\ »"},
      {"[\"\\ud800\"]", 1, 9, "JSON invalide : demi-caractère UTF-16 isolé dans une séquence \\u"},
      {"[\"\\u12G4\"]", 1, 7,
       "JSON invalide : séquence \\u incomplète : quatre chiffres hexadécimaux attendus"},
      {"[1]\n]", 2, 1, "JSON invalide : texte après la fin du document JSON"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    run(h, cases[i].text, strlen(cases[i].text));
    if (h->rc != -EBADMSG || h->nerrors != 1 || h->errors[0].line != cases[i].line ||
        h->errors[0].column != cases[i].column || strcmp(h->errors[0].text, cases[i].message))
      fail_msg("case %zu %s:\n%s", i, cases[i].text, th_transcript(h));
  }
}

static void test_depth_cap(void **state) {
  th_host *h = *state;
  size_t n = 100000;
  char *deep = malloc(n);
  memset(deep, '[', n);
  run(h, deep, n);
  free(deep);
  assert_int_equal(h->rc, -EBADMSG);
  TH_ERROR(h, 0, 1, "JSON invalide : imbrication trop profonde : au plus 64 niveaux d'objets et "
                    "de tableaux");
  assert_int_equal(h->errors[0].column, 65);
  /* 64 levels are fine. */
  char ok[129];
  memset(ok, '[', 64);
  memset(ok + 64, ']', 64);
  run(h, ok, 128);
  assert_int_equal(h->rc, 0);
  assert_int_equal(h->nrows, 1);
}

static void test_record_cap(void **state) {
  th_host *h = *state;
  size_t big = 600 * 1024;
  size_t size = 2 * big + 64;
  char *text = malloc(size);
  size_t o = (size_t)sprintf(text, "[[\"");
  memset(text + o, 'a', big);
  o += big;
  o += (size_t)sprintf(text + o, "\",\"");
  memset(text + o, 'b', big);
  o += big;
  o += (size_t)sprintf(text + o, "\"],\n{\"ok\":1}]");
  th_set_input(h, text, o);
  th_run(h, &echo_plugin, NULL);
  free(text);
  TH_CLEAN(h);
  assert_int_equal(h->rc, 0);
  TH_ERROR(h, 0, 1, "élément 1 trop gros");
  assert_int_equal(h->nrows, 1);
  row_is(h, 0, 2, "{ok:1}");
}

int kit_json_tests(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_values_and_escapes, th_setup, th_teardown),
      cmocka_unit_test(test_member_lookup),
      cmocka_unit_test_setup_teardown(test_syntax_errors, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_depth_cap, th_setup, th_teardown),
      cmocka_unit_test_setup_teardown(test_record_cap, th_setup, th_teardown),
  };
  return cmocka_run_group_tests_name("kit json", tests, NULL, NULL);
}
