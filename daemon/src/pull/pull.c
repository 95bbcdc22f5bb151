#include "pull/pull.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "spool/claim.h"
#include "spool/spool.h"
#include "store/run.h"
#include "store/store_sql.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/str.h"

struct releve_pull {
  const releve_source *src;
  const releve_pull_dirs *dirs;
  int lock_fd; /* the staging folder, flock'ed */
  char *staging_path;
  FILE *out;
  CURL *easy;
  struct curl_slist *headers;
  char *userpwd;
  char errbuf[CURL_ERROR_SIZE];
  char *old_etag, *old_last_modified;
  char old_sha256[65];
  time_t started;
  unsigned long long received;
  int oversize;
  int write_errno;
  int transferred;
  CURLcode result;
  char *error; /* preparing failed */
};

int releve_pull_dirs_for(const releve_config *cfg, const releve_source *src, char **incoming,
                         char **staging) {
  char *actor_dir;

  *staging = NULL;
  *incoming = releve_spool_path(cfg, src->actor, RELEVE_SPOOL_INCOMING);
  actor_dir = *incoming ? releve_path_dirname(*incoming) : NULL;
  if (actor_dir)
    *staging = releve_str_printf("%s/pulls/%s", actor_dir, src->id);
  free(actor_dir);
  if (*staging == NULL) {
    free(*incoming);
    *incoming = NULL;
    return -ENOMEM;
  }
  return 0;
}

const char *releve_pull_outcome_word(releve_pull_outcome o) {
  switch (o) {
  case RELEVE_PULL_NOT_MODIFIED: return "not modified";
  case RELEVE_PULL_UNCHANGED: return "unchanged";
  case RELEVE_PULL_DROPPED: return "dropped";
  case RELEVE_PULL_FAILED: break;
  }
  return "failed";
}

static time_t parse_iso(const char *s) {
  struct tm tm;
  const char *end;
  if (s == NULL)
    return 0;
  memset(&tm, 0, sizeof tm);
  end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return end && *end == '\0' ? timegm(&tm) : 0;
}

static char *column_dup(releve_stmt *st, int i) {
  const char *v = releve_stmt_text(st, i);
  return v ? strdup(v) : NULL;
}

/* The last validators and body hash of the source, when any. */
static int read_state(releve_pull *p, releve_store *store) {
  releve_stmt *st;
  int rc = releve_store_prepare(store, RELEVE_SQL_PULL_GET, &st);

  if (rc)
    return rc;
  if ((rc = releve_stmt_bind_text(st, 1, p->src->id)) == 0)
    rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW) {
    const char *sha = releve_stmt_text(st, 2);
    p->old_etag = column_dup(st, 0);
    p->old_last_modified = column_dup(st, 1);
    if (sha && strlen(sha) == 64)
      memcpy(p->old_sha256, sha, 65);
    rc = 0;
  }
  releve_stmt_finalize(st);
  return rc;
}

static int no_control(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < ' ' || *s == 0x7f)
      return 0;
  return 1;
}

static int add_header(releve_pull *p, const char *name, const char *value) {
  char *line;
  struct curl_slist *l;
  if (value == NULL || !no_control(value))
    return 0; /* a validator we could not send back verbatim is not sent */
  line = releve_str_printf("%s: %s", name, value);
  l = line ? curl_slist_append(p->headers, line) : NULL;
  free(line);
  if (l == NULL)
    return -ENOMEM;
  p->headers = l;
  return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud) {
  releve_pull *p = ud;
  size_t len = size * n;

  /* CURLOPT_MAXFILESIZE only helps when the size is announced: count. */
  if (p->received + len > (unsigned long long)p->src->max_bytes) {
    p->oversize = 1;
    return 0;
  }
  if (fwrite(data, 1, len, p->out) != len) {
    p->write_errno = errno ? errno : EIO;
    return 0;
  }
  p->received += len;
  return len;
}

static long min_long(long a, long b) { return a < b ? a : b; }

static int build_handle(releve_pull *p) {
  const releve_source *s = p->src;
  CURL *e = curl_easy_init();
  CURLcode rc = CURLE_OK;

  if (e == NULL)
    return -ENOMEM;
  p->easy = e;
#define OPT(o, v) (rc = rc != CURLE_OK ? rc : curl_easy_setopt(e, o, v))
  OPT(CURLOPT_URL, s->url);
  OPT(CURLOPT_PROTOCOLS_STR, s->sftp ? "sftp" : "https");
  OPT(CURLOPT_REDIR_PROTOCOLS_STR, "https");
  OPT(CURLOPT_FOLLOWLOCATION, 1L);
  OPT(CURLOPT_MAXREDIRS, 5L);
  OPT(CURLOPT_SSL_VERIFYPEER, 1L);
  OPT(CURLOPT_SSL_VERIFYHOST, 2L);
  OPT(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  if (s->ca_file)
    OPT(CURLOPT_CAINFO, s->ca_file);
  if (s->known_hosts)
    OPT(CURLOPT_SSH_KNOWNHOSTS, s->known_hosts);
  /* The key or password the source names, never the keys of the daemon's
   * home folder. An empty public key file makes libssh2 derive it from the
   * private key rather than look for ~/.ssh/id_dsa.pub. */
  if (s->sftp && s->private_key) {
    OPT(CURLOPT_SSH_AUTH_TYPES, (long)CURLSSH_AUTH_PUBLICKEY);
    OPT(CURLOPT_USERNAME, s->user);
    OPT(CURLOPT_SSH_PRIVATE_KEYFILE, s->private_key);
    OPT(CURLOPT_SSH_PUBLIC_KEYFILE, "");
  } else if (s->sftp) {
    OPT(CURLOPT_SSH_AUTH_TYPES, (long)(CURLSSH_AUTH_PASSWORD | CURLSSH_AUTH_KEYBOARD));
  }
  /* An empty proxy disables the http_proxy / https_proxy variables too. */
  OPT(CURLOPT_PROXY, s->proxy ? s->proxy : "");
  OPT(CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
  OPT(CURLOPT_CONNECTTIMEOUT, min_long(30, s->timeout_seconds));
  OPT(CURLOPT_TIMEOUT, (long)s->timeout_seconds);
  OPT(CURLOPT_LOW_SPEED_LIMIT, 1L);
  OPT(CURLOPT_LOW_SPEED_TIME, min_long(60, s->timeout_seconds));
  OPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->max_bytes);
  OPT(CURLOPT_FAILONERROR, 1L);
  OPT(CURLOPT_NOSIGNAL, 1L);
  OPT(CURLOPT_USERAGENT, "releve/" RELEVE_VERSION);
  OPT(CURLOPT_ERRORBUFFER, p->errbuf);
  OPT(CURLOPT_WRITEFUNCTION, on_body);
  OPT(CURLOPT_WRITEDATA, p);
  if (p->headers)
    OPT(CURLOPT_HTTPHEADER, p->headers);
  if (p->userpwd)
    OPT(CURLOPT_USERPWD, p->userpwd);
#undef OPT
  return rc == CURLE_OK ? 0 : rc == CURLE_OUT_OF_MEMORY ? -ENOMEM : -EINVAL;
}

/* Records why preparing failed: 0, or -ENOMEM when even that failed. */
static int prepare_failed(releve_pull *p, char *why) {
  p->error = why;
  return why ? 0 : -ENOMEM;
}

/* Everything but the lock, which the caller took; p->error on failure. */
static int prepare(releve_pull *p, releve_store *store) {
  const releve_source *s = p->src;
  int fd, rc, line = 0;

  rc = read_state(p, store);
  if (rc)
    return prepare_failed(
        p, releve_str_printf("cannot read its state in the database: %s", strerror(-rc)));
  if (s->headers_file && (rc = releve_source_read_headers(s->headers_file, &p->headers, &line)))
    return prepare_failed(
        p, rc == -EINVAL ? releve_str_printf("headers_file %s, line %d: \"Name: value\" expected",
                                          s->headers_file, line)
                         : releve_str_printf("headers_file %s: %s", s->headers_file, strerror(-rc)));
  if (s->credentials_file &&
      (rc = releve_source_read_credentials(s->credentials_file, &p->userpwd)))
    return prepare_failed(
        p, releve_str_printf("credentials_file %s: %s", s->credentials_file,
                          rc == -EINVAL ? "one line \"user:password\" expected" : strerror(-rc)));
  /* Validators only make sense when the body they stand for is known. */
  if (p->old_sha256[0] && !s->sftp &&
      ((rc = add_header(p, "If-None-Match", p->old_etag)) != 0 ||
       (rc = add_header(p, "If-Modified-Since", p->old_last_modified)) != 0))
    return rc;
  p->staging_path = releve_str_printf("%s/%s", p->dirs->staging, s->file_name);
  if (p->staging_path == NULL)
    return -ENOMEM;
  /* What a crash left is ours to replace. */
  if (unlink(p->staging_path) != 0 && errno != ENOENT)
    return prepare_failed(p,
                          releve_str_printf("cannot remove %s: %s", p->staging_path, strerror(errno)));
  /* Read back for the sha256 once written. */
  fd = open(p->staging_path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (fd < 0 || (p->out = fdopen(fd, "w+")) == NULL) {
    rc = errno;
    if (fd >= 0)
      close(fd);
    return prepare_failed(p, releve_str_printf("cannot create %s: %s", p->staging_path, strerror(rc)));
  }
  rc = build_handle(p);
  if (rc == -EINVAL)
    return prepare_failed(p, releve_str_printf("libcurl %s refused an option a pull needs",
                                            curl_version_info(CURLVERSION_NOW)->version));
  return rc;
}

static void pull_free(releve_pull *p) {
  if (p->easy)
    curl_easy_cleanup(p->easy);
  curl_slist_free_all(p->headers);
  if (p->userpwd) {
    explicit_bzero(p->userpwd, strlen(p->userpwd));
    free(p->userpwd);
  }
  if (p->out)
    fclose(p->out);
  if (p->lock_fd >= 0)
    close(p->lock_fd);
  free(p->staging_path);
  free(p->old_etag);
  free(p->old_last_modified);
  free(p->error);
  free(p);
}

int releve_pull_prepare(const releve_source *src, const releve_pull_dirs *dirs, releve_store *store,
                        releve_pull **out) {
  releve_pull *p = calloc(1, sizeof *p);
  int rc;

  *out = NULL;
  if (p == NULL)
    return -ENOMEM;
  p->src = src;
  p->dirs = dirs;
  p->started = time(NULL);
  p->lock_fd = -1;
  rc = releve_fs_mkdir_p(dirs->staging, 0750);
  if (rc == 0) {
    p->lock_fd = open(dirs->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    rc = p->lock_fd < 0 ? -errno : flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0 ? -errno : 0;
    if (rc == -EWOULDBLOCK) {
      pull_free(p);
      return -EBUSY;
    }
  }
  if (rc)
    p->error = releve_str_printf("cannot use the staging folder %s: %s", dirs->staging, strerror(-rc));
  else
    rc = prepare(p, store);
  if (rc || (p->error == NULL && p->easy == NULL)) {
    pull_free(p);
    return rc ? rc : -ENOMEM;
  }
  if (p->error && p->easy) {
    curl_easy_cleanup(p->easy);
    p->easy = NULL;
  }
  *out = p;
  return 0;
}

CURL *releve_pull_handle(releve_pull *p) { return p->error ? NULL : p->easy; }

void releve_pull_transferred(releve_pull *p, CURLcode result) {
  p->transferred = 1;
  p->result = result;
}

static const char *error_kind(CURLcode rc) {
  switch (rc) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY: return "DNS";
  case CURLE_COULDNT_CONNECT: return "connection";
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER: return "TLS";
  case CURLE_SSH:
  case CURLE_LOGIN_DENIED:
  case CURLE_REMOTE_ACCESS_DENIED:
  case CURLE_REMOTE_FILE_NOT_FOUND: return "server";
  case CURLE_TOO_MANY_REDIRECTS: return "redirect";
  default: return "transfer";
  }
}

/* Why the transfer failed, for logs and the pulls table. */
static char *describe(releve_pull *p) {
  long code = 0;
  CURLcode rc = p->result;

  if (p->oversize || rc == CURLE_FILESIZE_EXCEEDED)
    return releve_str_printf("refused: larger than max_bytes (%lld bytes)", p->src->max_bytes);
  if (p->write_errno)
    return releve_str_printf("cannot write %s: %s", p->staging_path, strerror(p->write_errno));
  if (rc == CURLE_HTTP_RETURNED_ERROR) {
    curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &code);
    return releve_str_printf("HTTP %ld", code);
  }
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return releve_str_printf("timed out (timeout_seconds %d, or no byte for %ld s): %s",
                          p->src->timeout_seconds, min_long(60, p->src->timeout_seconds),
                          p->errbuf[0] ? p->errbuf : curl_easy_strerror(rc));
  if (p->src->sftp && rc == CURLE_PEER_FAILED_VERIFICATION)
    return releve_str_printf("host key check failed: the server's key is not the one in %s (%s)",
                          p->src->known_hosts, p->errbuf[0] ? p->errbuf : curl_easy_strerror(rc));
  return releve_str_printf("%s error: %s", error_kind(rc),
                        p->errbuf[0] ? p->errbuf : curl_easy_strerror(rc));
}

/* A response header of the last response, or NULL. */
static const char *header(CURL *e, const char *name) {
  struct curl_header *h;
  if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
    return NULL;
  return h->value;
}

/* Moves a new body into incoming/, or recognises it as the last one. */
/* Notes that this body is about to land in the actor's incoming/ (the
 * ingest then records it with channel "poll"). Only provenance depends on
 * it: a failure is logged and the file dropped all the same. */
static void note_drop(releve_pull *p, releve_store *store, const char *sha256) {
  char now[32];
  int rc;

  releve_clock_utc_text(time(NULL), now);
  rc = releve_store_run_texts(store, RELEVE_SQL_PULL_DROPPING,
                              (const char *[]){p->src->actor, sha256, p->src->id, now}, 4, NULL);
  if (rc)
    releve_warn("pull %s: cannot note the body it drops (%s); its submission will say "
                "channel \"spool\"",
                p->src->id, strerror(-rc));
}

static int settle_body(releve_pull *p, releve_store *store, releve_pull_result *res) {
  unsigned long long size = 0;
  int fd = fileno(p->out), rc = 0;

  if (fflush(p->out) != 0 || fsync(fd) != 0 || lseek(fd, 0, SEEK_SET) != 0)
    rc = -errno;
  else
    rc = releve_sha256_fd(fd, res->sha256, &size);
  if (fclose(p->out) != 0 && rc == 0)
    rc = -errno;
  p->out = NULL;
  res->size = size;
  if (rc)
    return (res->error = releve_str_printf("cannot write %s: %s", p->staging_path, strerror(-rc)))
               ? 0
               : -ENOMEM;
  if (strcmp(res->sha256, p->old_sha256) == 0) {
    res->outcome = RELEVE_PULL_UNCHANGED;
    return 0;
  }
  note_drop(p, store, res->sha256);
  rc = releve_claim_move(p->dirs->staging, p->src->file_name, p->dirs->incoming, &res->dropped);
  if (rc == 0)
    rc = releve_fs_sync_dir(p->dirs->incoming);
  if (rc == 0)
    res->outcome = RELEVE_PULL_DROPPED;
  else if ((res->error = releve_str_printf("cannot move the file into %s: %s", p->dirs->incoming,
                                        strerror(-rc))) == NULL)
    return -ENOMEM;
  return 0;
}

static int record(releve_pull *p, releve_store *store, releve_pull_result *res) {
  const char *etag = NULL, *last_modified = NULL;
  const char *sha = res->outcome == RELEVE_PULL_NOT_MODIFIED ? p->old_sha256 : res->sha256;
  char attempt[32];
  releve_stmt *st;
  int rc;

  releve_clock_utc_text(p->started, attempt);
  if (res->outcome == RELEVE_PULL_FAILED) {
    if ((rc = releve_store_prepare(store, RELEVE_SQL_PULL_FAILED, &st)) != 0)
      return rc;
    if ((rc = releve_stmt_bind_text(st, 1, p->src->id)) == 0 &&
        (rc = releve_stmt_bind_text(st, 2, attempt)) == 0 &&
        (rc = releve_stmt_bind_text(st, 3, res->error)) == 0)
      rc = releve_stmt_step(st);
    if (rc == RELEVE_STMT_ROW) {
      res->failures = releve_stmt_int(st, 0);
      rc = releve_stmt_step(st);
    }
  } else {
    if (p->easy) {
      etag = header(p->easy, "ETag");
      last_modified = header(p->easy, "Last-Modified");
    }
    if (res->outcome == RELEVE_PULL_NOT_MODIFIED) {
      etag = etag ? etag : p->old_etag;
      last_modified = last_modified ? last_modified : p->old_last_modified;
    }
    if ((rc = releve_store_prepare(store, RELEVE_SQL_PULL_OK, &st)) != 0)
      return rc;
    /* The validators are libcurl's or the old state's: copied. */
    if ((rc = releve_stmt_bind_text(st, 1, p->src->id)) == 0 &&
        (rc = releve_stmt_bind_copy(st, 2, etag)) == 0 &&
        (rc = releve_stmt_bind_copy(st, 3, last_modified)) == 0 &&
        (rc = releve_stmt_bind_text(st, 4, sha[0] ? sha : NULL)) == 0 &&
        (rc = releve_stmt_bind_text(st, 5, attempt)) == 0 &&
        (rc = releve_stmt_bind_text(st, 6, attempt)) == 0)
      rc = releve_stmt_run(st);
  }
  releve_stmt_finalize(st);
  return rc < 0 ? rc : 0;
}

int releve_pull_finish(releve_pull *p, releve_store *store, releve_pull_result *res) {
  long code = 0;
  int rc = 0, interrupted = 0;

  memset(res, 0, sizeof *res);
  res->outcome = RELEVE_PULL_FAILED;
  if (p->error) {
    res->error = p->error;
    p->error = NULL;
  } else if (!p->transferred) {
    interrupted = 1;
    res->error = strdup("interrupted before the end of the transfer");
  } else if (p->result != CURLE_OK) {
    res->error = describe(p);
  } else if (p->src->sftp ||
             (curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
              code == 200)) {
    rc = settle_body(p, store, res);
  } else if (code == 304) {
    res->outcome = RELEVE_PULL_NOT_MODIFIED;
  } else {
    res->error = releve_str_printf("unexpected HTTP status %ld (200 or 304 expected)", code);
  }
  if (rc == 0 && res->outcome == RELEVE_PULL_FAILED && res->error == NULL)
    rc = -ENOMEM;
  if (p->staging_path && res->outcome != RELEVE_PULL_DROPPED)
    unlink(p->staging_path);
  /* A pull cut short by a stop or reload is nobody's failure. */
  if (rc == 0 && !interrupted) {
    int r = record(p, store, res);
    res->recorded = r == 0;
  }
  pull_free(p);
  return rc;
}

void releve_pull_result_free(releve_pull_result *res) {
  free(res->dropped);
  free(res->error);
  memset(res, 0, sizeof *res);
}

int releve_pull_rows(releve_store *store, releve_pull_row_cb cb, void *ud) {
  releve_stmt *st;
  int rc = releve_store_prepare(store, RELEVE_SQL_PULL_ALL, &st);

  if (rc)
    return rc;
  while ((rc = releve_stmt_step(st)) == RELEVE_STMT_ROW) {
    int r = cb(ud, releve_stmt_text(st, 0), parse_iso(releve_stmt_text(st, 1)),
               parse_iso(releve_stmt_text(st, 2)), releve_stmt_int(st, 3),
               releve_stmt_text(st, 4));
    if (r) {
      releve_stmt_finalize(st);
      return r;
    }
  }
  releve_stmt_finalize(st);
  return rc;
}
