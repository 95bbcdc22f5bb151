/* json.c -- a streaming JSON tokenizer (RFC 8259) and bounded record trees.
 *
 * Nothing read is ever quoted in an error: JSON files may hold personal
 * data, so messages cite a line and a column only. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

enum expect {
  EXP_VALUE = 0,     /* a value (document start, after ':', after ',' in [) */
  EXP_VALUE_OR_END,  /* right after '[' */
  EXP_KEY_OR_END,    /* right after '{' */
  EXP_KEY,           /* after ',' in an object */
  EXP_COLON,         /* after a key */
  EXP_COMMA_OR_END,  /* after a value inside a container */
  EXP_DONE           /* after the document's value */
};

#define MAX_NUMBER 64
#define BLOCK_SIZE (64u * 1024u)

struct releve_kit_json_block {
  releve_kit_json_block *next;
  size_t size, used;
  unsigned char data[];
};

int releve_kit_json_init(releve_kit_json *j, const releve_decode_args *args) {
  *j = (releve_kit_json){0};
  j->line = 1;
  j->column = 1;
  j->ctx = malloc(RELEVE_KIT_MAX_DEPTH + 1);
  j->text = malloc(256);
  if (j->ctx == NULL || j->text == NULL)
    return -ENOMEM;
  j->text_cap = 256;
  j->text[0] = '\0';
  return releve_kit_source_init(&j->src, args);
}

/* Records may hold personal data: memory is wiped before it is reused or
 * given back. */
static void free_blocks(releve_kit_json_block *b) {
  while (b != NULL) {
    releve_kit_json_block *next = b->next;
    explicit_bzero(b->data, b->used);
    free(b);
    b = next;
  }
}

void releve_kit_json_free(releve_kit_json *j) {
  if (j->src.buf != NULL)
    explicit_bzero(j->src.buf, j->src.cap);
  releve_kit_source_free(&j->src);
  free(j->ctx);
  if (j->text != NULL)
    explicit_bzero(j->text, j->text_cap);
  free(j->text);
  free_blocks(j->blocks);
  j->ctx = NULL;
  j->text = NULL;
  j->blocks = j->cur = NULL;
}

/* ---- bytes ---- */

/* *c = next byte or -1 at the end; returns 0 or a negative errno. */
static int peek(releve_kit_json *j, int *c) {
  if (j->src.pos < j->src.len) {
    *c = j->src.buf[j->src.pos];
    return 0;
  }
  int rc = releve_kit_source_fill(&j->src);
  if (rc < 0)
    return rc;
  *c = rc == 1 ? j->src.buf[j->src.pos] : -1;
  return 0;
}

static void advance(releve_kit_json *j, int c) {
  j->src.pos++;
  if (c == '\n') {
    j->line++;
    j->column = 1;
  } else if ((c & 0xC0) != 0x80) {
    j->column++;
  }
}

static int syntax(releve_kit_json *j, const char *what) {
  return releve_kit_host_fail(j->src.args, -EBADMSG, j->line, j->column, "JSON invalide : %s",
                              what);
}

/* ---- token text ---- */

static int text_put(releve_kit_json *j, char c) {
  if (j->text_len + 1 >= j->text_cap) {
    if (j->text_cap >= RELEVE_KIT_MAX_RECORD)
      return syntax(j, "texte de plus de 1 Mio entre guillemets (guillemet fermant manquant ?)");
    char *nt = realloc(j->text, j->text_cap * 2);
    if (nt == NULL)
      return releve_kit_host_fail(j->src.args, -ENOMEM, j->line, j->column,
                                  "mémoire insuffisante");
    j->text = nt;
    j->text_cap *= 2;
  }
  j->text[j->text_len++] = c;
  j->text[j->text_len] = '\0';
  return 0;
}

static int text_put_cp(releve_kit_json *j, unsigned cp) {
  char buf[4];
  size_t n = releve_kit_utf8_encode(buf, cp);
  for (size_t i = 0; i < n; i++) {
    int rc = text_put(j, buf[i]);
    if (rc < 0)
      return rc;
  }
  return 0;
}

/* ---- scalars ---- */

static int read_hex4(releve_kit_json *j, unsigned *out) {
  *out = 0;
  for (int k = 0; k < 4; k++) {
    int c, rc = peek(j, &c);
    if (rc < 0)
      return rc;
    unsigned v;
    if (c >= '0' && c <= '9')
      v = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v = (unsigned)(c - 'A' + 10);
    else
      return syntax(j, "séquence \\u incomplète : quatre chiffres hexadécimaux attendus");
    advance(j, c);
    *out = (*out << 4) | v;
  }
  return 0;
}

static int read_escape(releve_kit_json *j) {
  int c, rc = peek(j, &c);
  if (rc < 0)
    return rc;
  static const char from[] = "\"\\/bfnrt";
  static const char to[] = "\"\\/\b\f\n\r\t";
  const char *hit = c > 0 ? strchr(from, c) : NULL;
  if (hit != NULL) {
    advance(j, c);
    return text_put(j, to[hit - from]);
  }
  if (c != 'u')
    return syntax(j, "séquence d'échappement inconnue après « \\ »");
  advance(j, c);
  unsigned cp, low;
  if ((rc = read_hex4(j, &cp)) < 0)
    return rc;
  if (cp >= 0xDC00 && cp <= 0xDFFF)
    return syntax(j, "demi-caractère UTF-16 isolé dans une séquence \\u");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    int c1, c2;
    if ((rc = peek(j, &c1)) < 0)
      return rc;
    if (c1 != '\\')
      return syntax(j, "demi-caractère UTF-16 isolé dans une séquence \\u");
    advance(j, c1);
    if ((rc = peek(j, &c2)) < 0)
      return rc;
    if (c2 != 'u')
      return syntax(j, "demi-caractère UTF-16 isolé dans une séquence \\u");
    advance(j, c2);
    if ((rc = read_hex4(j, &low)) < 0)
      return rc;
    if (low < 0xDC00 || low > 0xDFFF)
      return syntax(j, "demi-caractère UTF-16 isolé dans une séquence \\u");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  return text_put_cp(j, cp);
}

/* Reads a string; its raw bytes are checked as UTF-8 once it is whole. */
static int read_string(releve_kit_json *j) {
  advance(j, '"');
  for (;;) {
    int c, rc = peek(j, &c);
    if (rc < 0)
      return rc;
    if (c < 0)
      return syntax(j, "fin du fichier dans un texte entre guillemets (fichier tronqué ?)");
    if (c < 0x20)
      return syntax(j, "caractère de contrôle dans un texte entre guillemets");
    advance(j, c);
    if (c == '"')
      break;
    rc = c == '\\' ? read_escape(j) : text_put(j, (char)c);
    if (rc < 0)
      return rc;
  }
  if (releve_kit_utf8_valid(j->text, j->text_len, NULL))
    return 0;
  j->line = j->tok_line; /* point at the string */
  j->column = j->tok_column;
  return syntax(j, "texte qui n'est pas en UTF-8");
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Appends the run of digits; returns how many there were, or <0. */
static int digits(releve_kit_json *j) {
  int count = 0;
  for (;;) {
    int c, rc = peek(j, &c);
    if (rc < 0)
      return rc;
    if (!is_digit(c))
      return count;
    if (j->text_len >= MAX_NUMBER)
      return syntax(j, "nombre de plus de 64 caractères");
    advance(j, c);
    text_put(j, (char)c);
    count++;
  }
}

/* Appends c when it is the next byte: 1, 0 when it is not, <0. */
static int accept(releve_kit_json *j, const char *set) {
  int c, rc = peek(j, &c);
  if (rc < 0)
    return rc;
  if (c <= 0 || strchr(set, c) == NULL)
    return 0;
  advance(j, c);
  text_put(j, (char)c);
  return 1;
}

static int read_number(releve_kit_json *j) {
  int rc = accept(j, "-"), first;
  if (rc < 0)
    return rc;
  if ((rc = peek(j, &first)) < 0)
    return rc;
  if ((rc = digits(j)) < 0)
    return rc;
  if (rc == 0)
    return syntax(j, "nombre mal formé : un chiffre est attendu");
  if (first == '0' && rc > 1)
    return syntax(j, "nombre mal formé : zéro non significatif");
  if ((rc = accept(j, ".")) < 0)
    return rc;
  if (rc == 1 && (rc = digits(j)) <= 0)
    return rc < 0 ? rc : syntax(j, "nombre mal formé : un chiffre est attendu après le point");
  if ((rc = accept(j, "eE")) < 0)
    return rc;
  if (rc == 1) {
    if ((rc = accept(j, "+-")) < 0)
      return rc;
    if ((rc = digits(j)) <= 0)
      return rc < 0 ? rc : syntax(j, "nombre mal formé : exposant sans chiffre");
  }
  return 0;
}

static int read_literal(releve_kit_json *j, const char *word) {
  for (const char *p = word; *p; p++) {
    int c, rc = peek(j, &c);
    if (rc < 0)
      return rc;
    if (c != *p)
      return syntax(j, "mot inconnu : true, false, null, un nombre, un texte entre guillemets, "
                       "un objet ou un tableau est attendu");
    advance(j, c);
  }
  return 0;
}

/* ---- tokens ---- */

static int skip_space(releve_kit_json *j, int *c) {
  for (;;) {
    int rc = peek(j, c);
    if (rc < 0)
      return rc;
    if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
      return 0;
    advance(j, *c);
  }
}

static int skip_bom(releve_kit_json *j) {
  static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
  int c, rc = peek(j, &c);
  if (rc < 0 || c != bom[0])
    return rc;
  for (int k = 0; k < 3; k++) {
    if ((rc = peek(j, &c)) < 0)
      return rc;
    if (c != bom[k])
      return syntax(j, "octets inattendus au début du fichier");
    j->src.pos++;
  }
  return 0;
}

static int after_value(const releve_kit_json *j) {
  return j->depth == 0 ? EXP_DONE : EXP_COMMA_OR_END;
}

static int open_container(releve_kit_json *j, int c) {
  if (j->depth >= RELEVE_KIT_MAX_DEPTH)
    return syntax(j, "imbrication trop profonde : au plus 64 niveaux d'objets et de tableaux");
  advance(j, c);
  j->ctx[j->depth++] = (unsigned char)c;
  j->type = c == '{' ? RELEVE_KIT_JSON_OBJECT : RELEVE_KIT_JSON_ARRAY;
  j->state = c == '{' ? EXP_KEY_OR_END : EXP_VALUE_OR_END;
  return 1;
}

static int close_container(releve_kit_json *j, int c) {
  advance(j, c);
  j->depth--;
  j->type = RELEVE_KIT_JSON_END;
  j->state = after_value(j);
  return 1;
}

static int read_value(releve_kit_json *j, int c) {
  int rc;
  if (c == '{' || c == '[')
    return open_container(j, c);
  if (c == '"') {
    if ((rc = read_string(j)) < 0)
      return rc;
    j->type = RELEVE_KIT_JSON_STRING;
  } else if (c == '-' || is_digit(c)) {
    if ((rc = read_number(j)) < 0)
      return rc;
    j->type = RELEVE_KIT_JSON_NUMBER;
  } else if (c == 't' || c == 'f' || c == 'n') {
    const char *word = c == 't' ? "true" : c == 'f' ? "false" : "null";
    if ((rc = read_literal(j, word)) < 0)
      return rc;
    j->type = c == 't' ? RELEVE_KIT_JSON_TRUE
              : c == 'f' ? RELEVE_KIT_JSON_FALSE
                         : RELEVE_KIT_JSON_NULL;
  } else if (c < 0) {
    if (j->src.consumed == 0)
      return syntax(j, "le fichier est vide ; un document JSON est attendu");
    return syntax(j, "fin du fichier au milieu du document (fichier tronqué ?)");
  } else {
    return syntax(j, "une valeur est attendue (texte entre guillemets, nombre, objet, "
                     "tableau, true, false ou null)");
  }
  j->state = after_value(j);
  return 1;
}

static int next_token(releve_kit_json *j) {
  for (;;) {
    int c, rc = skip_space(j, &c);
    if (rc < 0)
      return rc;
    j->tok_line = j->line;
    j->tok_column = j->column;
    j->text_len = 0;
    j->text[0] = '\0';
    char close = j->depth > 0 && j->ctx[j->depth - 1] == '{' ? '}' : ']';
    switch (j->state) {
    case EXP_COLON:
      if (c != ':')
        return syntax(j, "« : » attendu après le nom d'un champ");
      advance(j, c);
      j->state = EXP_VALUE;
      continue;
    case EXP_COMMA_OR_END:
      if (c == ',') {
        advance(j, c);
        j->state = close == '}' ? EXP_KEY : EXP_VALUE;
        continue;
      }
      if (c == close)
        return close_container(j, c);
      if (c < 0)
        return syntax(j, "fin du fichier au milieu du document (fichier tronqué ?)");
      return syntax(j, close == '}' ? "« , » ou « } » attendu" : "« , » ou « ] » attendu");
    case EXP_DONE:
      if (c < 0) {
        j->type = RELEVE_KIT_JSON_EOF;
        return 1;
      }
      return syntax(j, "texte après la fin du document JSON");
    case EXP_KEY_OR_END:
    case EXP_KEY:
      if (c == '}' && j->state == EXP_KEY_OR_END)
        return close_container(j, c);
      if (c != '"')
        return syntax(j, c < 0 ? "fin du fichier au milieu d'un objet (fichier tronqué ?)"
                               : "nom de champ entre guillemets attendu");
      if ((rc = read_string(j)) < 0)
        return rc;
      j->type = RELEVE_KIT_JSON_STRING;
      j->state = EXP_COLON;
      return 1;
    case EXP_VALUE_OR_END:
      if (c == ']')
        return close_container(j, c);
      return read_value(j, c);
    default:
      return read_value(j, c);
    }
  }
}

int releve_kit_json_next(releve_kit_json *j) {
  if (!j->started) {
    j->started = 1;
    int rc = skip_bom(j);
    if (rc < 0)
      return rc;
  }
  return next_token(j);
}

int releve_kit_json_skip(releve_kit_json *j) {
  if (j->type != RELEVE_KIT_JSON_OBJECT && j->type != RELEVE_KIT_JSON_ARRAY)
    return 0;
  unsigned target = j->depth - 1;
  do {
    int rc = next_token(j);
    if (rc < 0)
      return rc;
  } while (!(j->type == RELEVE_KIT_JSON_END && j->depth == target));
  return 0;
}

/* ---- trees ---- */

static void *arena_alloc(releve_kit_json *j, size_t n) {
  n = (n + 7) & ~(size_t)7;
  if (j->overflow || j->record_bytes + n > RELEVE_KIT_MAX_RECORD) {
    j->overflow = 1;
    return NULL;
  }
  if (j->cur == NULL || j->cur->used + n > j->cur->size) {
    size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
    releve_kit_json_block *b = malloc(sizeof *b + size);
    if (b == NULL) {
      j->overflow = 2;
      return NULL;
    }
    b->next = NULL;
    b->size = size;
    b->used = 0;
    if (j->cur == NULL)
      j->blocks = b;
    else
      j->cur->next = b;
    j->cur = b;
  }
  void *p = j->cur->data + j->cur->used;
  j->cur->used += n;
  j->record_bytes += n;
  return p;
}

/* Keeps the first block for the next tree, frees the others. */
static void arena_reset(releve_kit_json *j) {
  if (j->blocks != NULL) {
    free_blocks(j->blocks->next);
    j->blocks->next = NULL;
    explicit_bzero(j->blocks->data, j->blocks->used);
    j->blocks->used = 0;
  }
  j->cur = j->blocks;
  j->record_bytes = 0;
  j->overflow = 0;
}

static char *arena_text(releve_kit_json *j) {
  char *s = arena_alloc(j, j->text_len + 1);
  if (s != NULL)
    memcpy(s, j->text, j->text_len + 1);
  return s;
}

/* Builds the value whose first token is current; *out may be NULL when
 * the arena is full (the value is read to its end all the same). */
static int build(releve_kit_json *j, releve_kit_json_node **out) {
  releve_kit_json_node *node = arena_alloc(j, sizeof *node);
  *out = node;
  if (node != NULL) {
    *node = (releve_kit_json_node){0};
    node->type = j->type;
    node->line = j->tok_line;
    node->column = j->tok_column;
  }
  if (j->type != RELEVE_KIT_JSON_OBJECT && j->type != RELEVE_KIT_JSON_ARRAY) {
    if (node != NULL && (j->type == RELEVE_KIT_JSON_STRING || j->type == RELEVE_KIT_JSON_NUMBER))
      node->text = arena_text(j);
    return 0;
  }
  int object = j->type == RELEVE_KIT_JSON_OBJECT;
  releve_kit_json_node **tail = node != NULL ? &node->child : NULL;
  for (;;) {
    int rc = next_token(j);
    if (rc < 0)
      return rc;
    if (j->type == RELEVE_KIT_JSON_END)
      return 0;
    const char *key = NULL;
    if (object) {
      key = arena_text(j);
      if ((rc = next_token(j)) < 0)
        return rc;
    }
    releve_kit_json_node *child;
    if ((rc = build(j, &child)) < 0)
      return rc;
    if (child == NULL || tail == NULL || (object && key == NULL)) {
      tail = NULL; /* the arena is full: read on, keep nothing */
      continue;
    }
    child->key = key;
    *tail = child;
    tail = &child->next;
    node->count++;
  }
}

int releve_kit_json_tree(releve_kit_json *j, releve_kit_json_node **out) {
  arena_reset(j);
  releve_kit_json_node *root;
  int rc = build(j, &root);
  if (rc < 0)
    return rc;
  if (j->overflow == 2)
    return releve_kit_host_fail(j->src.args, -ENOMEM, j->tok_line, j->tok_column,
                                "mémoire insuffisante");
  if (j->overflow || root == NULL) {
    *out = NULL;
    return -E2BIG;
  }
  *out = root;
  return 0;
}

const releve_kit_json_node *releve_kit_json_get(const releve_kit_json_node *object,
                                                const char *key) {
  if (object == NULL || object->type != RELEVE_KIT_JSON_OBJECT)
    return NULL;
  for (const releve_kit_json_node *c = object->child; c != NULL; c = c->next)
    if (strcmp(c->key, key) == 0)
      return c;
  return NULL;
}
