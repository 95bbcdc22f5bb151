/* source.h -- the "sources" of the configuration: partners' files that
 * relevé fetches itself, on a schedule, over HTTPS (or SFTP when libcurl
 * has it).
 *
 *   {"id": "caf-open-data", "actor": "caf",
 *    "url": "https://data.caf.example.org/export/paris.csv",
 *    "schedule": "0 6 * * 1"  (or "6h"; see schedule.h),
 *    "headers_file": "secrets/caf.headers",   extra header lines, such as
 *                                             "Authorization: Bearer …"
 *    "credentials_file": "secrets/caf.login", one line "user:password"
 *    "ca_file": "caf-ca.pem",                 CA bundle for this server
 *    "known_hosts": "known_hosts",            required for sftp:// URLs
 *    "proxy": "http://proxy:3128",            none unless set
 *    "max_bytes": 104857600, "timeout_seconds": 300,
 *    "file_name": "paris.csv",                name in incoming/ (default:
 *                                             the URL's last segment)
 *    "retry_seconds": 60,                     first retry delay, doubled
 *    "notify_after_failures": 3}              failures before the
 *                                             coordinator is told
 *
 * Relative paths resolve against the configuration file's folder. Secret
 * files are read at pull time and their contents never logged. */
#ifndef RELEVE_SOURCE_H
#define RELEVE_SOURCE_H

#include <stddef.h>

#include "util/schedule.h"

struct curl_slist;

typedef struct releve_source {
  char *id;
  char *actor;
  char *url;
  char *schedule_text;
  releve_schedule schedule;
  char *headers_file; /* resolved paths, NULL when not set */
  char *credentials_file;
  char *ca_file;
  char *known_hosts;
  char *private_key; /* sftp:// by key: the key file, and the account */
  char *user;
  char *proxy; /* NULL: no proxy, whatever the environment says */
  char *file_name;
  long long max_bytes;
  int timeout_seconds;
  int retry_seconds;
  int notify_after_failures;
  int sftp; /* the URL is sftp:// */
} releve_source;

typedef struct releve_sources {
  releve_source *items;
  size_t n;
} releve_sources;

/* The sources are read and checked once, with the configuration (each
 * problem a diagnostic naming its key), into cfg->sources (config.h).
 *
 * A deep copy of from, for a user that outlives the configuration (the
 * scheduled pulls finish their transfers after a reload). 0 or -ENOMEM
 * (then to is empty). */
int releve_sources_copy(const releve_sources *from, releve_sources *to);
void releve_sources_free(releve_sources *s);
const releve_source *releve_sources_find(const releve_sources *s, const char *id);

/* Whether this libcurl can fetch sftp:// URLs. */
int releve_sources_sftp_supported(void);

/* Reads a headers file: one "Name: value" per line; blank lines and lines
 * starting with '#' skipped. Appends them to *list. Returns 0, -EINVAL
 * with the bad line's number in *bad_line (the line itself is never
 * repeated: it may hold a secret), or another negative errno value. */
int releve_source_read_headers(const char *path, struct curl_slist **list, int *bad_line);
/* Reads a credentials file, one line "user:password"; *userpwd is
 * malloc'ed. Returns 0, -EINVAL when the line has no ':', or an errno. */
int releve_source_read_credentials(const char *path, char **userpwd);

#endif
