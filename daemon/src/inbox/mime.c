#include "inbox/mime.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* GMime keeps global tables; initialised once per process, never torn
 * down (the process ends soon after a message). */
static void init_once(void) {
  static int done;
  if (!done) {
    g_mime_init();
    done = 1;
  }
}

static char *lower_dup(const char *s) {
  char *d = strdup(s), *p;
  for (p = d; p && *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  return d;
}

/* Appends s to the NULL-ended list *v of *n entries; -ENOMEM. */
static int push(char ***v, size_t *n, char *s) {
  char **grown;
  if (s == NULL || (grown = realloc(*v, (*n + 2) * sizeof **v)) == NULL) {
    free(s);
    return -ENOMEM;
  }
  grown[(*n)++] = s;
  grown[*n] = NULL;
  *v = grown;
  return 0;
}

/* Every mailbox of list, groups opened, onto out (lower case). */
static int add_mailboxes(InternetAddressList *list, char ***out, size_t *n) {
  int i, count = list ? internet_address_list_length(list) : 0, rc = 0;
  for (i = 0; i < count && rc == 0; i++) {
    InternetAddress *ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(ia))
      rc = add_mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out, n);
    else if (INTERNET_ADDRESS_IS_MAILBOX(ia) &&
             internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)))
      rc = push(out, n, lower_dup(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia))));
  }
  return rc;
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* A spreadsheet or a CSV table, by its type or by its name. */
static int candidate(const char *type, const char *name) {
  static const char *const types[] = {
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.oasis.opendocument.spreadsheet", "text/csv", NULL};
  size_t i;
  for (i = 0; types[i]; i++)
    if (strcmp(type, types[i]) == 0)
      return 1;
  return name && (ends_with(name, ".xlsx") || ends_with(name, ".ods") || ends_with(name, ".csv"));
}

static int add_part(releve_inbox_message *m, GMimePart *part) {
  GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
  GMimeDataWrapper *content = g_mime_part_get_content(part);
  const char *name = g_mime_part_get_filename(part);
  char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
  releve_inbox_attachment *a;
  GMimeStream *out;
  GByteArray *bytes;
  int rc = 0;

  if (type == NULL || content == NULL || !candidate(type, name)) {
    g_free(type);
    return 0;
  }
  if (m->n_attachments == RELEVE_INBOX_MAX_ATTACHMENTS) {
    m->skipped++;
    g_free(type);
    return 0;
  }
  a = &m->attachments[m->n_attachments];
  out = g_mime_stream_mem_new();
  if (g_mime_data_wrapper_write_to_stream(content, out) >= 0) {
    bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    a->len = bytes->len;
    a->data = malloc(bytes->len ? bytes->len : 1);
    a->name = name ? strdup(name) : NULL;
    a->content_type = lower_dup(type);
    if (a->data == NULL || (name && a->name == NULL) || a->content_type == NULL) {
      free(a->data);
      free(a->name);
      free(a->content_type);
      memset(a, 0, sizeof *a);
      rc = -ENOMEM;
    } else {
      if (bytes->len)
        memcpy(a->data, bytes->data, bytes->len);
      m->n_attachments++;
    }
  }
  g_object_unref(out);
  g_free(type);
  return rc;
}

/* depth counts the messages opened: the message itself is 0, a forwarded
 * one 1; one forwarded within that is not opened. */
static int walk(releve_inbox_message *m, GMimeObject *o, int depth) {
  int i, n, rc = 0;
  if (o == NULL)
    return 0;
  if (GMIME_IS_MULTIPART(o)) {
    n = g_mime_multipart_get_count(GMIME_MULTIPART(o));
    for (i = 0; i < n && rc == 0; i++)
      rc = walk(m, g_mime_multipart_get_part(GMIME_MULTIPART(o), i), depth);
  } else if (GMIME_IS_MESSAGE_PART(o)) {
    GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
    if (inner && depth == 0)
      rc = walk(m, g_mime_message_get_mime_part(inner), depth + 1);
  } else if (GMIME_IS_PART(o)) {
    rc = add_part(m, GMIME_PART(o));
  }
  return rc;
}

static int word_is(const char *value, const char *const *words) {
  size_t i, n;
  while (*value == ' ' || *value == '\t')
    value++;
  for (i = 0; words[i]; i++) {
    n = strlen(words[i]);
    if (strncasecmp(value, words[i], n) == 0 &&
        (value[n] == '\0' || value[n] == ' ' || value[n] == ';' || value[n] == '\t'))
      return 1;
  }
  return 0;
}

/* The headers read one by one: Delivered-To and Authentication-Results
 * may come several times. */
static int read_headers(releve_inbox_message *m, GMimeObject *o) {
  static const char *const bulk[] = {"bulk", "list", "junk", NULL};
  static const char *const no[] = {"no", NULL};
  GMimeHeaderList *hl = g_mime_object_get_header_list(o);
  int i, n = hl ? g_mime_header_list_get_count(hl) : 0, rc = 0;

  for (i = 0; i < n && rc == 0; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
    const char *name = g_mime_header_get_name(h), *value = g_mime_header_get_value(h);
    if (name == NULL || value == NULL)
      continue;
    if (strcasecmp(name, "Delivered-To") == 0) {
      InternetAddressList *l = internet_address_list_parse(NULL, value);
      if (l) {
        rc = add_mailboxes(l, &m->recipients, &m->n_recipients);
        g_object_unref(l);
      }
    } else if (strcasecmp(name, "Authentication-Results") == 0) {
      rc = push(&m->auth_results, &m->n_auth_results, strdup(value));
    } else if (strcasecmp(name, "Auto-Submitted") == 0) {
      m->automatic |= !word_is(value, no);
    } else if (strcasecmp(name, "Precedence") == 0) {
      m->automatic |= word_is(value, bulk);
    }
  }
  return rc;
}

int releve_inbox_mime_parse(const void *data, size_t len, releve_inbox_message *out) {
  GMimeParserOptions *opts;
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *msg;
  InternetAddressList *from;
  int rc = 0;

  memset(out, 0, sizeof *out);
  init_once();
  opts = g_mime_parser_options_new();
  g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
  stream = g_mime_stream_mem_new_with_buffer(data, len);
  parser = g_mime_parser_new_with_stream(stream);
  msg = g_mime_parser_construct_message(parser, opts);
  if (msg == NULL) {
    rc = -EBADMSG;
  } else {
    const char *id = g_mime_message_get_message_id(msg);
    if (id && *id && (out->message_id = strdup(id)) == NULL)
      rc = -ENOMEM;
    from = g_mime_message_get_from(msg);
    if (rc == 0 && from) {
      char **one = NULL;
      size_t n = 0;
      rc = add_mailboxes(from, &one, &n);
      if (n > 0) {
        out->from = one[0];
        while (n > 1)
          free(one[--n]);
      }
      free(one);
    }
    if (rc == 0)
      rc = add_mailboxes(g_mime_message_get_to(msg), &out->recipients, &out->n_recipients);
    if (rc == 0)
      rc = add_mailboxes(g_mime_message_get_cc(msg), &out->recipients, &out->n_recipients);
    if (rc == 0)
      rc = read_headers(out, GMIME_OBJECT(msg));
    if (rc == 0)
      rc = walk(out, g_mime_message_get_mime_part(msg), 0);
    g_object_unref(msg);
  }
  g_object_unref(parser);
  g_object_unref(stream);
  g_mime_parser_options_free(opts);
  if (rc)
    releve_inbox_mime_free(out);
  return rc;
}

static void free_list(char **v) {
  size_t i;
  for (i = 0; v && v[i]; i++)
    free(v[i]);
  free(v);
}

void releve_inbox_mime_free(releve_inbox_message *m) {
  size_t i;
  free(m->message_id);
  free(m->from);
  free_list(m->recipients);
  free_list(m->auth_results);
  for (i = 0; i < m->n_attachments; i++) {
    free(m->attachments[i].name);
    free(m->attachments[i].content_type);
    free(m->attachments[i].data);
  }
  memset(m, 0, sizeof *m);
}

int releve_inbox_mime_auth_pass(const char *value, const char *authserv_id) {
  size_t n = strlen(authserv_id);
  const char *p;

  while (*value == ' ' || *value == '\t')
    value++;
  if (strncasecmp(value, authserv_id, n) != 0 ||
      (value[n] != ';' && value[n] != ' ' && value[n] != '\t'))
    return 0;
  /* Each method=result follows a ';'. */
  for (p = strchr(value + n, ';'); p; p = strchr(p + 1, ';')) {
    const char *q = p + 1;
    while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
      q++;
    if ((strncasecmp(q, "dkim=pass", 9) == 0 || strncasecmp(q, "spf=pass", 8) == 0) &&
        (q[q[0] == 'd' || q[0] == 'D' ? 9 : 8] == '\0' ||
         strchr(" \t;(\r\n", q[q[0] == 'd' || q[0] == 'D' ? 9 : 8])))
      return 1;
  }
  return 0;
}
