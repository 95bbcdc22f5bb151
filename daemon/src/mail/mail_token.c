#include "mail/mail_token.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "store/store_sql.h"
#include "util/clock.h"

static const char base32[] = "abcdefghijklmnopqrstuvwxyz234567";

/* 128 random bits as 26 base32 letters, five bits a letter. */
static int new_token(char *token) {
  unsigned char r[17] = {0};
  int i;

  if (getrandom(r, 16, 0) != 16)
    return -EIO;
  for (i = 0; i < RELEVE_MAIL_TOKEN_LEN; i++) {
    int bit = i * 5, byte = bit / 8, shift = bit % 8;
    unsigned v = (unsigned)r[byte] << 8 | r[byte + 1];
    token[i] = base32[(v >> (11 - shift)) & 31];
  }
  token[RELEVE_MAIL_TOKEN_LEN] = '\0';
  return 0;
}

static int read_token(releve_store *s, const char *actor, char *token) {
  releve_stmt *st;
  const char *v;
  int rc = releve_store_prepare(s, RELEVE_SQL_MAIL_TOKEN_GET, &st);
  if (rc)
    return rc;
  releve_stmt_bind_text(st, 1, actor);
  rc = releve_stmt_step(st);
  if (rc == RELEVE_STMT_ROW && (v = releve_stmt_text(st, 0)) != NULL &&
      strlen(v) == RELEVE_MAIL_TOKEN_LEN) {
    memcpy(token, v, RELEVE_MAIL_TOKEN_LEN + 1);
    rc = 0;
  } else {
    rc = rc == RELEVE_STMT_DONE ? -ENOENT : rc == RELEVE_STMT_ROW ? -EPROTO : rc;
  }
  releve_stmt_finalize(st);
  return rc;
}

/* Stores a new token: only when the actor has none, or in any case when
 * replace is set. */
static int store_token(releve_store *s, const char *actor, int replace) {
  char token[RELEVE_MAIL_TOKEN_LEN + 1], now[32];
  releve_stmt *st;
  int rc = new_token(token);

  if (rc == 0)
    rc = releve_store_prepare(s, RELEVE_SQL_MAIL_TOKEN_SET, &st);
  if (rc)
    return rc;
  releve_clock_utc_text(time(NULL), now);
  releve_stmt_bind_text(st, 1, actor);
  releve_stmt_bind_text(st, 2, token);
  releve_stmt_bind_int64(st, 3, replace != 0);
  releve_stmt_bind_text(st, 4, now);
  rc = releve_stmt_run(st);
  releve_stmt_finalize(st);
  return rc;
}

int releve_mail_token_get(releve_store *s, const char *actor, int create, char *token) {
  int rc = read_token(s, actor, token);
  if (rc != -ENOENT || !create)
    return rc;
  if ((rc = store_token(s, actor, 0)) != 0)
    return rc;
  return read_token(s, actor, token);
}

int releve_mail_token_rotate(releve_store *s, const char *actor, char *token) {
  int rc = store_token(s, actor, 1);
  return rc ? rc : read_token(s, actor, token);
}

int releve_mail_token_address(const char *reply_to, const char *actor, const char *token,
                              char *out, size_t size) {
  const char *at = strchr(reply_to, '@');
  int n = at ? snprintf(out, size, "%.*s+%s.%s%s", (int)(at - reply_to), reply_to, actor, token, at)
             : -1;
  return n >= 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

int releve_mail_token_reply_to(releve_store *s, const releve_config *cfg, const char *actor,
                               char *out, size_t size) {
  char token[RELEVE_MAIL_TOKEN_LEN + 1];
  int rc;

  if (cfg->mail_reply_to == NULL) {
    snprintf(out, size, "%s", cfg->coordinator ? cfg->coordinator : "");
    return 0;
  }
  rc = releve_mail_token_get(s, actor, 1, token);
  return rc ? rc : releve_mail_token_address(cfg->mail_reply_to, actor, token, out, size);
}

int releve_mail_token_parse(const char *reply_to, const char *address, char *actor,
                            size_t actor_size, char *token) {
  const char *at = strchr(reply_to, '@'), *a_at = strrchr(address, '@');
  const char *id, *dot;
  size_t local, i;

  if (at == NULL || a_at == NULL || strcasecmp(at, a_at) != 0)
    return 0;
  local = (size_t)(at - reply_to);
  if ((size_t)(a_at - address) <= local + 1 || strncasecmp(address, reply_to, local) != 0 ||
      address[local] != '+')
    return 0;
  id = address + local + 1;
  dot = a_at - RELEVE_MAIL_TOKEN_LEN - 1;
  if (dot <= id || *dot != '.' || (size_t)(dot - id) >= actor_size)
    return 0;
  for (i = 0; i < RELEVE_MAIL_TOKEN_LEN; i++) {
    char c = dot[1 + i];
    c = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    if (strchr(base32, c) == NULL || c == '\0')
      return 0;
    token[i] = c;
  }
  token[RELEVE_MAIL_TOKEN_LEN] = '\0';
  memcpy(actor, id, (size_t)(dot - id));
  actor[dot - id] = '\0';
  return 1;
}
