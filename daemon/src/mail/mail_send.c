#include "mail/mail_send.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail/mail.h"
#include "util/fs.h"
#include "util/str.h"

int releve_mail_global_init(void) {
  return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -EIO;
}

/* ---- outbox folder ------------------------------------------------------- */

static int write_eml(const releve_config *cfg, const releve_mail_envelope *e, char *error,
                     size_t error_size) {
  char name[RELEVE_MAIL_ID_MAX];
  char *path = NULL;
  int rc = releve_fs_mkdir_p(cfg->outbox, 0750);

  releve_mail_id_filename(e->message_id, name, sizeof name);
  if (rc == 0)
    rc = (path = releve_str_printf("%s/%s.eml", cfg->outbox, name)) ? 0 : -ENOMEM;
  if (rc == 0)
    rc = releve_fs_write_atomic(path, e->data, e->len, 0640);
  if (rc)
    snprintf(error, error_size, "cannot write %s/%s.eml: %s", cfg->outbox, name, strerror(-rc));
  free(path);
  return rc ? -EAGAIN : 0;
}

/* ---- SMTP ---------------------------------------------------------------- */

typedef struct upload {
  const char *p;
  size_t left;
} upload;

static size_t read_message(char *buf, size_t size, size_t n, void *ud) {
  upload *u = ud;
  size_t k = size * n < u->left ? size * n : u->left;
  memcpy(buf, u->p, k);
  u->p += k;
  u->left -= k;
  return k;
}

/* The server's last reply line, for the outbox and the logs: curl only
 * keeps its code. Only what the server says is looked at, never what we
 * send (the AUTH exchange carries the password). */
static int last_reply(CURL *h, curl_infotype type, char *data, size_t size, void *ud) {
  char *out = ud;
  size_t n = size;
  (void)h;
  if (type != CURLINFO_HEADER_IN)
    return 0;
  while (n && (data[n - 1] == '\r' || data[n - 1] == '\n'))
    n--;
  if (n >= 4 && data[0] >= '2' && data[0] <= '5') {
    if (n > 200)
      n = 200;
    memcpy(out, data, n);
    out[n] = '\0';
  }
  return 0;
}

static int check_stop(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                      curl_off_t ulnow) {
  const atomic_int *stop = ud;
  (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
  return stop && atomic_load(stop);
}

/* "user:password" from the first line of the credentials file. */
static int read_credentials(const char *path, char **user, char **password) {
  char *text = NULL, *colon, *nl;
  size_t len = 0;
  int rc = releve_fs_read_file(path, &text, &len);

  if (rc)
    return rc;
  nl = strpbrk(text, "\r\n");
  if (nl)
    *nl = '\0';
  colon = strchr(text, ':');
  if (colon == NULL || colon == text) {
    explicit_bzero(text, len);
    free(text);
    return -EINVAL;
  }
  *colon = '\0';
  *user = strdup(text);
  *password = strdup(colon + 1);
  explicit_bzero(text, len);
  free(text);
  if (*user == NULL || *password == NULL) {
    free(*user);
    if (*password)
      explicit_bzero(*password, strlen(*password));
    free(*password);
    return -ENOMEM;
  }
  return 0;
}

static struct curl_slist *recipient_list(const char *recipients) {
  struct curl_slist *list = NULL, *next;
  const char *p = recipients;

  while (*p) {
    size_t n = strcspn(p, ",");
    char *one = releve_str_printf("<%.*s>", (int)n, p);
    next = one ? curl_slist_append(list, one) : NULL;
    free(one);
    if (next == NULL) {
      curl_slist_free_all(list);
      return NULL;
    }
    list = next;
    p += n;
    if (*p == ',')
      p++;
  }
  return list;
}

static int smtp_deliver(const releve_config *cfg, const releve_mail_envelope *e,
                        const atomic_int *stop, char *error, size_t error_size) {
  char errbuf[CURL_ERROR_SIZE] = "", reply[256] = "";
  char *from = releve_str_printf("<%s>", e->from), *user = NULL, *password = NULL;
  struct curl_slist *rcpt = recipient_list(e->recipients);
  upload u = {e->data, e->len};
  CURL *h = curl_easy_init();
  CURLcode res = CURLE_OUT_OF_MEMORY;
  long code = 0;
  int rc;

  if (h == NULL || from == NULL || rcpt == NULL) {
    snprintf(error, error_size, "out of memory");
    rc = -EAGAIN;
    goto out;
  }
  if (cfg->mail_credentials) {
    rc = read_credentials(cfg->mail_credentials, &user, &password);
    if (rc) {
      snprintf(error, error_size,
               "cannot read the credentials file %s (\"user:password\" "
               "expected): %s",
               cfg->mail_credentials, strerror(-rc));
      rc = -EAGAIN;
      goto out;
    }
    curl_easy_setopt(h, CURLOPT_USERNAME, user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, password);
  }
  curl_easy_setopt(h, CURLOPT_URL, cfg->smtp_url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(h, CURLOPT_READDATA, &u);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   cfg->mail_starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)cfg->mail_timeout_seconds);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 3L * cfg->mail_timeout_seconds);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for timeouts */
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, last_reply);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, reply);
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* feeds last_reply, prints nothing */
  if (stop) {
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, check_stop);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)stop);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  }
  res = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  if (res == CURLE_OK) {
    rc = 0;
  } else {
    if (reply[0] && atoi(reply) == code)
      snprintf(error, error_size, "SMTP \"%s\" (%s)", reply,
               errbuf[0] ? errbuf : curl_easy_strerror(res));
    else
      snprintf(error, error_size, "SMTP %ld: %s", code,
               errbuf[0] ? errbuf : curl_easy_strerror(res));
    /* A refused login or a relay without STARTTLS is a setting to fix,
     * not a reason to drop the message. */
    rc = code >= 500 && code < 600 && res != CURLE_LOGIN_DENIED && res != CURLE_USE_SSL_FAILED
             ? -EREMOTEIO
             : -EAGAIN;
  }
out:
  if (password)
    explicit_bzero(password, strlen(password));
  free(password);
  free(user);
  free(from);
  curl_slist_free_all(rcpt);
  if (h)
    curl_easy_cleanup(h);
  return rc;
}

int releve_mail_deliver(const releve_config *cfg, const releve_mail_envelope *e,
                        const atomic_int *stop, char *error, size_t error_size) {
  if (error_size)
    error[0] = '\0';
  return cfg->smtp_url ? smtp_deliver(cfg, e, stop, error, error_size)
                       : write_eml(cfg, e, error, error_size);
}
