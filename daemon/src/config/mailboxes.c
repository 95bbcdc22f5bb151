#include "config/mailboxes.h"

#include <curl/curl.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/config_int.h"
#include "util/json.h"

static const char *const mailbox_keys[] = {"id",       "url",       "credentials_file",
                                           "schedule", "move_to",   "ca_file",
                                           "max_bytes", "timeout_seconds", "retry_seconds",
                                           NULL};

static int loopback(const char *host) {
  return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
         strcmp(host, "[::1]") == 0;
}

/* Splits url into the server's URL and the folder; 0, -EINVAL (with a
 * diagnostic) or -ENOMEM. */
static int split_url(const releve_jctx *c, const char *path, const char *url, releve_mailbox *m) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *folder = NULL, *raw = NULL;
  const char *name;
  int rc = -EINVAL;

  if (u == NULL)
    return -ENOMEM;
  if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "url", "\"%s\" is not a URL; imaps://host/INBOX is expected", url);
  } else if (strcmp(scheme, "imaps") != 0 && strcmp(scheme, "imap") != 0) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "url", "scheme \"%s\" is not allowed; imaps:// (or imap://) is expected",
            scheme);
  } else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "url", "%s", "holds a user name or password; put them in \"credentials_file\" instead");
  } else if (curl_url_get(u, CURLUPART_PATH, &folder, CURLU_URLDECODE) != CURLUE_OK ||
             curl_url_get(u, CURLUPART_PATH, &raw, 0) != CURLUE_OK ||
             strchr(folder, ';') || strchr(folder, '"') || strchr(folder, '\\') ||
             strpbrk(folder, "\r\n")) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "url", "\"%s\": the folder must be a plain IMAP name, such as /INBOX", url);
  } else {
    int has_port = curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK;
    size_t n = strlen(scheme) + strlen(host) + (has_port ? strlen(port) : 0) + 8;
    name = folder[0] == '/' ? folder + 1 : folder;
    m->server = malloc(n);
    m->folder = strdup(*name ? name : "INBOX");
    m->folder_url = malloc(n + strlen(raw) + 8);
    if (m->server == NULL || m->folder == NULL || m->folder_url == NULL) {
      rc = -ENOMEM;
    } else {
      snprintf(m->server, n, "%s://%s%s%s/", scheme, host, has_port ? ":" : "",
               has_port ? port : "");
      snprintf(m->folder_url, n + strlen(raw) + 8, "%s%s", m->server,
               *name ? (raw[0] == '/' ? raw + 1 : raw) : "INBOX");
      m->require_tls = strcmp(scheme, "imaps") == 0 || !loopback(host);
      rc = 0;
    }
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_free(user);
  curl_free(folder);
  curl_free(raw);
  curl_url_cleanup(u);
  return rc;
}

/* The strings a mailbox owns. */
static const size_t mailbox_texts[] = {
    offsetof(releve_mailbox, id),         offsetof(releve_mailbox, url),
    offsetof(releve_mailbox, server),     offsetof(releve_mailbox, folder),
    offsetof(releve_mailbox, folder_url), offsetof(releve_mailbox, credentials_file),
    offsetof(releve_mailbox, ca_file),    offsetof(releve_mailbox, move_to),
    offsetof(releve_mailbox, schedule_text)};
#define MAILBOX_TEXTS mailbox_texts, sizeof mailbox_texts / sizeof *mailbox_texts

static void mailbox_free(releve_mailbox *m) { releve__config_item_free(m, sizeof *m, MAILBOX_TEXTS); }

/* Checks one entry into m; returns 0, -EINVAL or -ENOMEM. */
static int load_one(const releve_config *cfg, const releve_jctx *c, json_t *o, const char *path,
                    releve_mailbox *m) {
  const char *id = NULL, *url = NULL, *schedule = NULL, *move_to = NULL;
  int bad = 0, rc;

  if (!json_is_object(o)) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                     "is %s; an object is expected", releve_json_type_name(o));
    return -EINVAL;
  }
  if (releve_json_check_keys(c, o, path, mailbox_keys))
    bad = 1;
  if (releve_json_string(c, o, path, "id", 1, &id) != 1 ||
      releve_json_string(c, o, path, "url", 1, &url) != 1 ||
      releve_json_string(c, o, path, "schedule", 1, &schedule) != 1 ||
      releve_json_string(c, o, path, "move_to", 0, &move_to) < 0)
    bad = 1;
  if (id && !releve_source_id_ok(id)) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "id",
            "\"%s\" is not a mailbox id; letters, digits, '-', '_' and '.' (not first), at most 64",
            id);
    bad = 1;
  }
  if (schedule && releve_source_check_schedule(c, path, schedule, &m->schedule) != 0)
    bad = 1;
  if (url && (rc = split_url(c, path, url, m)) != 0) {
    if (rc == -ENOMEM)
      return rc;
    bad = 1;
  }
  if (move_to && (*move_to == '\0' || strpbrk(move_to, "\"\\\r\n") || strlen(move_to) > 200)) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "move_to", "\"%s\" is not a folder name, such as \"Traites\"", move_to);
    bad = 1;
  }
  m->credentials_file = releve_source_file_key(cfg, c, o, path, "credentials_file", 1, &bad);
  if (json_object_get(o, "credentials_file") == NULL) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "credentials_file", "%s",
            "is required: a file holding one line \"user:password\" for the IMAP account");
    bad = 1;
  } else if (m->credentials_file && !bad &&
             releve_source_check_credentials(c, path, m->credentials_file) != 0) {
    bad = 1;
  }
  m->ca_file = releve_source_file_key(cfg, c, o, path, "ca_file", 0, &bad);
  m->max_bytes = releve_source_bounded(c, o, path, "max_bytes", 64LL << 20, 1024, 1LL << 30, &bad);
  m->timeout_seconds = (int)releve_source_bounded(c, o, path, "timeout_seconds", 120, 1, 86400, &bad);
  m->retry_seconds = (int)releve_source_bounded(c, o, path, "retry_seconds", 60, 1, 86400, &bad);
  if (bad)
    return -EINVAL;
  m->id = strdup(id);
  m->url = strdup(url);
  m->schedule_text = strdup(schedule);
  m->move_to = move_to ? strdup(move_to) : NULL;
  if (m->id == NULL || m->url == NULL || m->schedule_text == NULL || (move_to && !m->move_to))
    return -ENOMEM;
  return 0;
}

void releve__config_mailboxes(releve_config *cfg, const releve_jctx *c) {
  releve_mailboxes got = {NULL, 0};
  json_t *list, *o;
  size_t i, j;
  char path[64];

  if (releve_json_array(c, cfg->root, "", "mailboxes", 0, &list) != 1)
    return;
  got.items = calloc(json_array_size(list) + 1, sizeof *got.items);
  if (got.items == NULL)
    return;
  json_array_foreach(list, i, o) {
    releve_mailbox *m = &got.items[got.n];
    int r;
    releve_json_index(path, sizeof path, "mailboxes", i);
    r = load_one(cfg, c, o, path, m);
    for (j = 0; r == 0 && j < got.n; j++)
      if (strcmp(got.items[j].id, m->id) == 0) {
        releve_source_diag(c, RELEVE_DIAG_ERROR, path, "id", "mailbox \"%s\" is configured twice",
                           m->id);
        r = -EINVAL;
      }
    if (r) {
      mailbox_free(m);
      continue;
    }
    got.n++;
  }
  cfg->mailboxes = got;
}

int releve_mailboxes_copy(const releve_mailboxes *from, releve_mailboxes *to) {
  void *items;
  int rc =
      releve__config_items_copy(from->items, from->n, sizeof *from->items, MAILBOX_TEXTS, &items);
  memset(to, 0, sizeof *to);
  if (rc == 0) {
    to->items = items;
    to->n = from->n;
  }
  return rc;
}

void releve_mailboxes_free(releve_mailboxes *m) {
  releve__config_items_free(m->items, m->n, sizeof *m->items, MAILBOX_TEXTS);
  memset(m, 0, sizeof *m);
}
