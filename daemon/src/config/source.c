#include "config/source.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"
#include "util/fs.h"
#include "util/name.h"
#include "util/path.h"

static const char *const source_keys[] = {
    "id",        "actor",           "url",           "schedule",
    "headers_file", "credentials_file", "ca_file",   "known_hosts",
    "proxy",     "max_bytes",       "timeout_seconds", "file_name",
    "retry_seconds", "notify_after_failures", "private_key", "user", NULL};

int releve_sources_sftp_supported(void) {
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  const char *const *p;
  for (p = v->protocols; p && *p; p++)
    if (strcmp(*p, "sftp") == 0)
      return 1;
  return 0;
}

void releve_source_diag(const releve_jctx *c, int severity, const char *path, const char *key,
                 const char *fmt, ...) {
  char where[256], msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  releve_diags_add(c->diags, severity, c->file,
                   key ? releve_json_path(where, sizeof where, path, key) : path, 0, 0, "%s", msg);
}

long long releve_source_bounded(const releve_jctx *c, json_t *o, const char *path, const char *key,
                         long long def, long long lo, long long hi, int *bad) {
  long long v;
  char where[256];
  int r = releve_json_int(c, o, path, key, 0, &v);
  if (r != 1) {
    *bad |= r < 0;
    return def;
  }
  if (v < lo || v > hi) {
    releve_diags_add(
        c->diags, RELEVE_DIAG_ERROR, c->file, releve_json_path(where, sizeof where, path, key), 0,
        0, "%lld is out of range; a whole number from %lld to %lld is expected", v, lo, hi);
    *bad = 1;
    return def;
  }
  return v;
}

int releve_source_id_ok(const char *id) {
  const char *p;
  if (*id == '\0' || *id == '.' || strlen(id) > 64)
    return 0;
  for (p = id; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
      return 0;
  return 1;
}

/* The last segment of the URL's path, made safe as a file name in
 * incoming/, or NULL when nothing usable is left. */
static char *name_from_url(CURLU *u) {
  char *path = NULL, *name = NULL, *p;
  const char *base;

  if (curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) != CURLUE_OK)
    return NULL;
  base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  while (*base == '.' || *base == '-')
    base++;
  if (*base && strlen(base) <= 200 && (name = strdup(base)) != NULL) {
    for (p = name; *p; p++)
      if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
        *p = '_';
    if (releve_name_ignored(name)) {
      free(name);
      name = NULL;
    }
  }
  curl_free(path);
  return name;
}

/* Checks the URL; returns its parsed form or NULL (with a diagnostic). */
static CURLU *check_url(const releve_jctx *c, const char *path, const char *url, int *sftp) {
  CURLU *u = curl_url();
  char *scheme = NULL, *user = NULL, *host = NULL;
  int ok = 0;

  if (u == NULL)
    return NULL;
  if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "url", "\"%s\" is not a URL; https://host/path is expected",
         url);
  } else if (strcmp(scheme, "https") != 0 && strcmp(scheme, "sftp") != 0) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "url", "scheme \"%s\" is not allowed; https://%s", scheme,
         releve_sources_sftp_supported() ? " or sftp:// is expected"
                                         : " is expected (this libcurl has no sftp)");
  } else if (strcmp(scheme, "sftp") == 0 && !releve_sources_sftp_supported()) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "url",
         "\"%s\": this libcurl cannot fetch sftp:// URLs (no libssh2); use https://", url);
  } else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "url",
         "holds a user name or password; put them in \"credentials_file\" instead");
  } else {
    *sftp = strcmp(scheme, "sftp") == 0;
    ok = 1;
  }
  curl_free(scheme);
  curl_free(user);
  curl_free(host);
  if (!ok) {
    curl_url_cleanup(u);
    return NULL;
  }
  return u;
}

char *releve_source_file_key(const releve_config *cfg, const releve_jctx *c, json_t *o, const char *path,
                      const char *key, int secret, int *bad) {
  const char *s;
  char *full;
  struct stat st;

  int r = releve_json_string(c, o, path, key, 0, &s);

  if (r != 1) {
    *bad |= r < 0;
    return NULL;
  }
  full = releve_path_resolve(cfg->dir, s);
  if (full == NULL) {
    *bad = 1;
    return NULL;
  }
  if (stat(full, &st) != 0 || access(full, R_OK) != 0) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, key, "%s cannot be read: %s", full, strerror(errno));
    *bad = 1;
  } else if (!S_ISREG(st.st_mode)) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, key, "%s is not a regular file", full);
    *bad = 1;
  } else if (secret && (st.st_mode & S_IROTH)) {
    releve_source_diag(c, RELEVE_DIAG_WARNING, path, key,
         "%s is readable by every user of this machine; it holds secrets (chmod o-r %s)", full,
         full);
  }
  return full;
}

int releve_source_check_schedule(const releve_jctx *c, const char *path, const char *text,
                                 releve_schedule *s) {
  char err[512];
  time_t next;

  if (releve_schedule_parse(s, text, err, sizeof err) != 0) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "schedule", "%s", err);
    return -EINVAL;
  }
  if (releve_schedule_next(s, time(NULL), &next) != 0) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "schedule",
         "\"%s\" never runs: no date matches its day-of-month and month fields", text);
    return -EINVAL;
  }
  return 0;
}

int releve_source_check_credentials(const releve_jctx *c, const char *path, const char *file) {
  char *userpwd = NULL;
  int rc = releve_source_read_credentials(file, &userpwd);

  if (rc)
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "credentials_file", "%s: %s", file,
         rc == -EINVAL ? "one line \"user:password\" is expected" : strerror(-rc));
  if (userpwd) {
    explicit_bzero(userpwd, strlen(userpwd));
    free(userpwd);
  }
  return rc ? -EINVAL : 0;
}

/* The strings a source owns. */
static const size_t source_texts[] = {
    offsetof(releve_source, id),           offsetof(releve_source, actor),
    offsetof(releve_source, url),          offsetof(releve_source, schedule_text),
    offsetof(releve_source, headers_file), offsetof(releve_source, credentials_file),
    offsetof(releve_source, ca_file),      offsetof(releve_source, known_hosts),
    offsetof(releve_source, private_key),  offsetof(releve_source, user),
    offsetof(releve_source, proxy),        offsetof(releve_source, file_name)};
#define SOURCE_TEXTS source_texts, sizeof source_texts / sizeof *source_texts

static void source_free(releve_source *s) { releve__config_item_free(s, sizeof *s, SOURCE_TEXTS); }

/* Checks one entry into s; returns 0, -EINVAL or -ENOMEM. */
static int load_one(const releve_config *cfg, const releve_jctx *c, json_t *o, const char *path,
                    releve_source *s) {
  const char *id = NULL, *actor = NULL, *url = NULL, *schedule = NULL, *file_name = NULL,
             *proxy = NULL, *user = NULL;
  CURLU *u = NULL;
  int bad = 0;

  if (!json_is_object(o)) {
    releve_diags_add(c->diags, RELEVE_DIAG_ERROR, c->file, path, 0, 0,
                     "is %s; an object is expected", releve_json_type_name(o));
    return -EINVAL;
  }
  if (releve_json_check_keys(c, o, path, source_keys))
    bad = 1;
  if (releve_json_string(c, o, path, "id", 1, &id) != 1 ||
      releve_json_string(c, o, path, "actor", 1, &actor) != 1 ||
      releve_json_string(c, o, path, "url", 1, &url) != 1 ||
      releve_json_string(c, o, path, "schedule", 1, &schedule) != 1)
    bad = 1;
  if (id && !releve_source_id_ok(id)) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "id",
         "\"%s\" is not a source id; letters, digits, '-', '_' and '.' (not first), at most 64",
         id);
    bad = 1;
  }
  if (actor && releve_config_actor(cfg, actor) == NULL) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "actor",
         "\"%s\" is not an actor of the référentiel (see `releve referentiel`)", actor);
    bad = 1;
  }
  if (schedule && releve_source_check_schedule(c, path, schedule, &s->schedule) != 0)
    bad = 1;
  if (url && (u = check_url(c, path, url, &s->sftp)) == NULL)
    bad = 1;
  s->headers_file = releve_source_file_key(cfg, c, o, path, "headers_file", 1, &bad);
  s->credentials_file = releve_source_file_key(cfg, c, o, path, "credentials_file", 1, &bad);
  s->ca_file = releve_source_file_key(cfg, c, o, path, "ca_file", 0, &bad);
  s->known_hosts = releve_source_file_key(cfg, c, o, path, "known_hosts", 0, &bad);
  if (u && s->sftp && json_object_get(o, "known_hosts") == NULL) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "known_hosts",
         "is required for an sftp:// URL: an OpenSSH known_hosts file holding the server's "
         "key (ssh-keyscan HOST >> known_hosts, then check it)");
    bad = 1;
  }
  s->private_key = releve_source_file_key(cfg, c, o, path, "private_key", 1, &bad);
  if (releve_json_string(c, o, path, "user", 0, &user) == -1)
    bad = 1;
  else if (user && (s->user = strdup(user)) == NULL) {
    curl_url_cleanup(u);
    return -ENOMEM;
  }
  if (u && !s->sftp && (json_object_get(o, "private_key") || user)) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, json_object_get(o, "private_key") ? "private_key" : "user",
         "applies to sftp:// URLs only; an https:// source authenticates with credentials_file "
         "or headers_file");
    bad = 1;
  } else if (u && s->sftp && json_object_get(o, "private_key") &&
             json_object_get(o, "credentials_file")) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "private_key",
         "and credentials_file are both set: an sftp:// source logs in with one of them");
    bad = 1;
  } else if (u && s->sftp && json_object_get(o, "private_key") && user == NULL) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "user",
         "is required with private_key: the account to log in as, e.g. \"depot-releve\"");
    bad = 1;
  } else if (u && s->sftp && json_object_get(o, "private_key") == NULL &&
             json_object_get(o, "credentials_file") == NULL) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "credentials_file",
         "is required for an sftp:// URL, unless private_key and user are given: a file "
         "holding one line \"user:password\", or an OpenSSH private key (ssh-keygen -t "
         "ed25519 -N '') and the account to log in as");
    bad = 1;
  }
  if (s->headers_file && s->sftp) {
    releve_source_diag(c, RELEVE_DIAG_ERROR, path, "headers_file", "HTTP headers do not apply to %s", url);
    bad = 1;
  }
  if (s->credentials_file && !bad &&
      releve_source_check_credentials(c, path, s->credentials_file) != 0)
    bad = 1;
  if (s->headers_file && !bad) {
    struct curl_slist *list = NULL;
    int line = 0, rc = releve_source_read_headers(s->headers_file, &list, &line);
    if (rc == -EINVAL) {
      char msg[32];
      snprintf(msg, sizeof msg, "%d", line);
      releve_source_diag(c, RELEVE_DIAG_ERROR, path, "headers_file",
           "%s, line %s: \"Name: value\" is expected (no control characters)", s->headers_file,
           msg);
      bad = 1;
    } else if (rc) {
      releve_source_diag(c, RELEVE_DIAG_ERROR, path, "headers_file", "%s: %s", s->headers_file, strerror(-rc));
      bad = 1;
    }
    curl_slist_free_all(list);
  }
  if (releve_json_string(c, o, path, "proxy", 0, &proxy) == -1)
    bad = 1;
  s->max_bytes = releve_source_bounded(c, o, path, "max_bytes", 100LL << 20, 1, 10LL << 30, &bad);
  s->timeout_seconds = (int)releve_source_bounded(c, o, path, "timeout_seconds", 300, 1, 86400, &bad);
  s->retry_seconds = (int)releve_source_bounded(c, o, path, "retry_seconds", 60, 1, 86400, &bad);
  s->notify_after_failures = (int)releve_source_bounded(c, o, path, "notify_after_failures", 3, 1, 1000, &bad);
  if (releve_json_string(c, o, path, "file_name", 0, &file_name) == -1) {
    bad = 1;
  } else if (file_name) {
    if (!releve_name_ok(file_name) || releve_name_ignored(file_name) ||
        strlen(file_name) > 200) {
      releve_source_diag(c, RELEVE_DIAG_ERROR, path, "file_name",
           "\"%s\" cannot be used in incoming/: a plain name, no '/', not starting with '.', "
           "not ending in .part, .filepart or .tmp",
           file_name);
      bad = 1;
    } else {
      s->file_name = strdup(file_name);
    }
  } else if (u) {
    s->file_name = name_from_url(u);
  }
  curl_url_cleanup(u);
  if (bad)
    return -EINVAL;
  s->id = strdup(id);
  s->actor = strdup(actor);
  s->url = strdup(url);
  s->schedule_text = strdup(schedule);
  if (s->file_name == NULL)
    s->file_name = strdup(id);
  if (proxy)
    s->proxy = strdup(proxy);
  if (!s->id || !s->actor || !s->url || !s->schedule_text || !s->file_name || (proxy && !s->proxy))
    return -ENOMEM;
  return 0;
}

/* Reads and checks list into out; entries with an error are left out.
 * Returns 0, -EINVAL when something was wrong, -ENOMEM. */
static int load_list(const releve_config *cfg, json_t *list, const releve_jctx *c,
                     releve_sources *out) {
  releve_sources got = {NULL, 0};
  json_t *o;
  size_t i, j;
  int rc = 0;
  char path[64];

  memset(out, 0, sizeof *out);
  if (list == NULL)
    return 0;
  got.items = calloc(json_array_size(list) + 1, sizeof *got.items);
  if (got.items == NULL)
    return -ENOMEM;
  json_array_foreach(list, i, o) {
    releve_source *s = &got.items[got.n];
    int r;
    releve_json_index(path, sizeof path, "sources", i);
    r = load_one(cfg, c, o, path, s);
    for (j = 0; r == 0 && j < got.n; j++)
      if (strcmp(got.items[j].id, s->id) == 0) {
        releve_source_diag(c, RELEVE_DIAG_ERROR, path, "id", "source \"%s\" is configured twice", s->id);
        r = -EINVAL;
      }
    if (r) {
      source_free(s);
      if (rc != -ENOMEM)
        rc = r;
      continue;
    }
    got.n++;
  }
  *out = got;
  return rc;
}

void releve__config_sources(releve_config *cfg, const releve_jctx *c) {
  json_t *list;
  if (releve_json_array(c, cfg->root, "", "sources", 0, &list) == 1 && cfg->actors)
    load_list(cfg, list, c, &cfg->sources); /* after the actors: sources name them */
}

int releve_sources_copy(const releve_sources *from, releve_sources *to) {
  void *items;
  int rc =
      releve__config_items_copy(from->items, from->n, sizeof *from->items, SOURCE_TEXTS, &items);
  memset(to, 0, sizeof *to);
  if (rc == 0) {
    to->items = items;
    to->n = from->n;
  }
  return rc;
}

void releve_sources_free(releve_sources *s) {
  releve__config_items_free(s->items, s->n, sizeof *s->items, SOURCE_TEXTS);
  s->items = NULL;
  s->n = 0;
}

const releve_source *releve_sources_find(const releve_sources *s, const char *id) {
  size_t i;
  for (i = 0; i < s->n; i++)
    if (strcmp(s->items[i].id, id) == 0)
      return &s->items[i];
  return NULL;
}

/* ---- secret files ------------------------------------------------------- */

static int has_control(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if ((unsigned char)s[i] < ' ' && s[i] != '\t')
      return 1;
  return 0;
}

/* "Name: value": a name of visible characters, then a colon. */
static int header_ok(const char *line) {
  const char *colon = strchr(line, ':'), *p;
  if (colon == NULL || colon == line || has_control(line, strlen(line)))
    return 0;
  for (p = line; p < colon; p++)
    if (!isgraph((unsigned char)*p))
      return 0;
  return 1;
}

static void wipe(char *data, size_t len) {
  explicit_bzero(data, len);
  free(data);
}

int releve_source_read_headers(const char *path, struct curl_slist **list, int *bad_line) {
  char *data, *line, *next;
  size_t len;
  int rc = releve_fs_read_file(path, &data, &len), n = 0;

  if (rc)
    return rc;
  if (memchr(data, '\0', len)) { /* would hide what follows from the parse */
    const char *p;
    *bad_line = 1;
    for (p = data; *p; p++)
      *bad_line += *p == '\n';
    wipe(data, len);
    return -EINVAL;
  }
  for (line = data; line && rc == 0; line = next) {
    char *end = strchr(line, '\n');
    next = end ? end + 1 : NULL;
    if (end) {
      *end = '\0';
      if (end > line && end[-1] == '\r')
        end[-1] = '\0';
    }
    n++;
    if (*line == '\0' || *line == '#')
      continue;
    if (!header_ok(line)) {
      *bad_line = n;
      rc = -EINVAL;
    } else {
      struct curl_slist *l = curl_slist_append(*list, line);
      if (l == NULL)
        rc = -ENOMEM;
      else
        *list = l;
    }
  }
  wipe(data, len);
  return rc;
}

int releve_source_read_credentials(const char *path, char **userpwd) {
  char *data;
  size_t len, n;
  int rc = releve_fs_read_file(path, &data, &len);

  *userpwd = NULL;
  if (rc)
    return rc;
  n = strcspn(data, "\r\n");
  /* One line, optionally ended by a newline; user and password both set. */
  if ((len != n && strcmp(data + n, "\n") != 0 && strcmp(data + n, "\r\n") != 0) ||
      has_control(data, n) || memchr(data, ':', n) == NULL || data[0] == ':') {
    wipe(data, len);
    return -EINVAL;
  }
  data[n] = '\0';
  *userpwd = data;
  return 0;
}
