#include "inbox/imap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/source.h"
#include "inbox/imap_seen.h"
#include "util/timers.h"
#include "util/transfer.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"

/* Steps on the thread pool. */
enum step { STEP_NONE, STEP_BEGIN, STEP_FILTER, STEP_TAKE, STEP_END };
/* Transfers. */
enum command { CMD_SEARCH, CMD_FETCH, CMD_MARK, CMD_UNMARK };

typedef struct box {
  releve_imap *p;
  const releve_mailbox *m;
  uv_work_t work;
  releve_store store;
  int store_open;
  time_t next_regular; /* the next poll the schedule asks for */
  int failures;        /* in a row */
  int busy;            /* a poll is under way */
  enum step step;      /* the pool step running, if any */
  enum command command;
  CURL *easy; /* the transfer running, if any */
  char *userpwd;
  releve_buf data; /* what the server answered */
  int too_large;
  unsigned long long uidvalidity;
  unsigned long *uids; /* new messages, in UID order */
  size_t n_uids, next;
  size_t taken, refused; /* this poll */
  int changed;           /* UIDVALIDITY changed */
  int rc;                /* of the last pool step */
  char error[CURL_ERROR_SIZE + 160];
  char errbuf[CURL_ERROR_SIZE];
} box;

struct releve_imap {
  uv_loop_t *loop;
  releve_mailboxes boxes;
  box *items;
  size_t n;
  releve_transfer *fetch;
  releve_imap_take_cb take;
  void *ud;
  uv_mutex_t take_lock; /* take() is called one message at a time */
  int closing;
  releve_timers *timers; /* until closed */
  unsigned working;
  void (*closed)(void *data);
  void *closed_data;
};

static void begin_step(box *b, enum step step);
static void next_message(box *b);
static void maybe_free(releve_imap *p);

/* ---- what the server says ------------------------------------------------- */

/* "* OK [UIDVALIDITY 123] …" in the SELECT answer; curl hands the server's
 * status lines to the header callback. */
static size_t on_status_line(char *line, size_t size, size_t n, void *data) {
  box *b = data;
  const char *tag = "* OK [UIDVALIDITY ";
  size_t len = size * n, tl = strlen(tag);

  if (len > tl && strncmp(line, tag, tl) == 0) {
    char num[24];
    size_t k = 0;
    while (tl + k < len && k + 1 < sizeof num && line[tl + k] >= '0' && line[tl + k] <= '9') {
      num[k] = line[tl + k];
      k++;
    }
    num[k] = '\0';
    if (k > 0)
      b->uidvalidity = strtoull(num, NULL, 10);
  }
  return len;
}

static size_t on_data(char *s, size_t size, size_t n, void *data) {
  box *b = data;
  size_t len = size * n;

  if (b->data.len + len > (size_t)b->m->max_bytes) {
    b->too_large = 1;
    return 0; /* stops the transfer */
  }
  return releve_buf_add(&b->data, s, len) == 0 ? len : 0;
}

static int by_value(const void *a, const void *b) {
  unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
  return x < y ? -1 : x > y;
}

/* The UIDs of "* SEARCH 4 7 9" lines, sorted. Returns 0 or -ENOMEM. */
static int parse_search(box *b) {
  const char *s = b->data.data ? b->data.data : "";
  size_t cap = 0;

  b->n_uids = 0;
  while ((s = strstr(s, "* SEARCH")) != NULL) {
    char *end;
    s += 8;
    for (;;) {
      unsigned long uid;
      while (*s == ' ')
        s++;
      if (*s < '0' || *s > '9')
        break;
      uid = strtoul(s, &end, 10);
      s = end;
      if (b->n_uids == cap) {
        unsigned long *more = realloc(b->uids, (cap = cap ? cap * 2 : 64) * sizeof *more);
        if (more == NULL)
          return -ENOMEM;
        b->uids = more;
      }
      b->uids[b->n_uids++] = uid;
    }
  }
  qsort(b->uids, b->n_uids, sizeof *b->uids, by_value);
  return 0;
}

/* ---- transfers -------------------------------------------------------- */

static void on_transferred(void *data, CURL *easy, CURLcode result);

static void failed(box *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void failed(box *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->error, sizeof b->error, fmt, ap);
  va_end(ap);
  begin_step(b, STEP_END);
}

/* Runs one command on the folder: SEARCH opens a fresh connection, the
 * others reuse it. */
static void run(box *b, enum command command, unsigned long uid) {
  const releve_mailbox *m = b->m;
  CURL *e = curl_easy_init();
  CURLcode rc = CURLE_OK;
  char *url = NULL, *custom = NULL;
  int err;

  b->command = command;
  releve_buf_free(&b->data);
  b->too_large = 0;
  b->errbuf[0] = '\0';
  if (command == CMD_FETCH)
    url = releve_str_printf("%s;UIDVALIDITY=%llu/;UID=%lu", m->folder_url, b->uidvalidity, uid);
  else
    url = releve_str_printf("%s%s", m->folder_url,
                            command == CMD_SEARCH ? "" : ";UIDVALIDITY=");
  if (url && command != CMD_FETCH && command != CMD_SEARCH) {
    char *u = releve_str_printf("%s%llu", url, b->uidvalidity);
    free(url);
    url = u;
  }
  if (command == CMD_SEARCH)
    custom = strdup("UID SEARCH UNDELETED");
  else if (command == CMD_MARK && m->move_to)
    custom = releve_str_printf("UID MOVE %lu \"%s\"", uid, m->move_to);
  else if (command == CMD_MARK)
    custom = releve_str_printf("UID STORE %lu +FLAGS.SILENT (\\Seen)", uid);
  else if (command == CMD_UNMARK)
    custom = releve_str_printf("UID STORE %lu -FLAGS.SILENT (\\Seen)", uid);
  if (e == NULL || url == NULL || (command != CMD_FETCH && custom == NULL)) {
    curl_easy_cleanup(e);
    free(url);
    free(custom);
    failed(b, "out of memory");
    return;
  }
#define OPT(o, v) (rc = rc != CURLE_OK ? rc : curl_easy_setopt(e, o, v))
  OPT(CURLOPT_URL, url);
  OPT(CURLOPT_PROTOCOLS_STR, "imap,imaps");
  OPT(CURLOPT_USE_SSL, (long)(m->require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  OPT(CURLOPT_SSL_VERIFYPEER, 1L);
  OPT(CURLOPT_SSL_VERIFYHOST, 2L);
  OPT(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  if (m->ca_file)
    OPT(CURLOPT_CAINFO, m->ca_file);
  OPT(CURLOPT_PROXY, "");
  OPT(CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
  OPT(CURLOPT_USERPWD, b->userpwd);
  OPT(CURLOPT_CONNECTTIMEOUT, (long)(m->timeout_seconds < 30 ? m->timeout_seconds : 30));
  OPT(CURLOPT_TIMEOUT, (long)m->timeout_seconds);
  OPT(CURLOPT_NOSIGNAL, 1L);
  OPT(CURLOPT_ERRORBUFFER, b->errbuf);
  OPT(CURLOPT_WRITEFUNCTION, on_data);
  OPT(CURLOPT_WRITEDATA, b);
  if (custom)
    OPT(CURLOPT_CUSTOMREQUEST, custom);
  if (command == CMD_SEARCH) {
    /* A new login each poll: the SELECT it makes tells the UIDVALIDITY. */
    b->uidvalidity = 0;
    OPT(CURLOPT_FRESH_CONNECT, 1L);
    OPT(CURLOPT_HEADERFUNCTION, on_status_line);
    OPT(CURLOPT_HEADERDATA, b);
  }
#undef OPT
  free(url);
  free(custom); /* libcurl copies strings */
  if (rc != CURLE_OK || (err = releve_transfer_add(b->p->fetch, e, on_transferred, b)) != 0) {
    curl_easy_cleanup(e);
    failed(b, "cannot start a transfer (%s)",
           rc != CURLE_OK ? curl_easy_strerror(rc) : strerror(-err));
    return;
  }
  b->easy = e;
}

static const char *why(const box *b, CURLcode result) {
  return b->errbuf[0] ? b->errbuf : curl_easy_strerror(result);
}

static void on_transferred(void *data, CURL *easy, CURLcode result) {
  box *b = data;
  unsigned long uid = b->next < b->n_uids ? b->uids[b->next] : 0;

  curl_easy_cleanup(easy);
  b->easy = NULL;
  if (b->command == CMD_SEARCH) {
    if (result != CURLE_OK)
      failed(b, "%s: %s", b->m->url, why(b, result));
    else if (b->uidvalidity == 0)
      failed(b, "%s: the server gave no UIDVALIDITY for the folder", b->m->url);
    else if (parse_search(b) != 0)
      failed(b, "out of memory");
    else
      begin_step(b, STEP_FILTER);
    return;
  }
  if (b->command == CMD_FETCH) {
    if (result != CURLE_OK && b->too_large) {
      releve_warn("mailbox %s: message UID %lu is larger than max_bytes (%lld): left in the "
                  "folder, not taken",
                  b->m->id, uid, b->m->max_bytes);
      b->refused++;
      begin_step(b, STEP_TAKE); /* records it, so that it is not fetched each poll */
    } else if (result != CURLE_OK) {
      failed(b, "%s, UID %lu: %s", b->m->url, uid,
             result == CURLE_REMOTE_FILE_NOT_FOUND ? "the folder's UIDVALIDITY changed or the "
                                                     "message is gone"
                                                   : why(b, result));
    } else {
      begin_step(b, STEP_TAKE);
    }
    return;
  }
  if (result != CURLE_OK) {
    failed(b, "%s, UID %lu: %s failed: %s", b->m->url, uid,
           b->command == CMD_UNMARK ? "removing \\Seen"
           : b->m->move_to          ? "the move"
                                    : "marking \\Seen",
           why(b, result));
    return;
  }
  b->next++;
  next_message(b);
}

static void next_message(box *b) {
  if (b->p->closing) {
    failed(b, "stopped");
    return;
  }
  if (b->next >= b->n_uids) {
    begin_step(b, STEP_END);
    return;
  }
  run(b, CMD_FETCH, b->uids[b->next]);
}

/* ---- steps on the thread pool ------------------------------------------ */

static void step_work(uv_work_t *w) {
  box *b = w->data;
  releve_imap *p = b->p;
  const char *id = b->m->id;
  unsigned long uid = b->next < b->n_uids ? b->uids[b->next] : 0;

  switch (b->step) {
  case STEP_BEGIN:
    b->rc = b->userpwd ? 0 : releve_source_read_credentials(b->m->credentials_file, &b->userpwd);
    return;
  case STEP_FILTER:
    b->rc = releve_imap_seen_filter(&b->store, id, b->uidvalidity, &b->changed, b->uids,
                                    &b->n_uids);
    return;
  case STEP_TAKE:
    if (b->too_large) {
      b->rc = releve_imap_seen_add(&b->store, id, uid, "too large");
      return;
    }
    uv_mutex_lock(&p->take_lock);
    b->rc = p->take(p->ud, b->m, uid, b->data.data ? b->data.data : "", b->data.len);
    uv_mutex_unlock(&p->take_lock);
    /* Taken: recorded before it is marked. A crash in between fetches it
     * again, and the intake's Message-ID check takes it once. */
    if (b->rc == 0)
      b->rc = releve_imap_seen_add(&b->store, id, uid, "taken");
    return;
  case STEP_END:
    b->rc = releve_imap_seen_attempt(&b->store, id, time(NULL), b->error[0] ? b->error : NULL,
                                     &b->failures);
    return;
  case STEP_NONE:
    return;
  }
}

static void arm(box *b, time_t due);

static time_t retry_at(const box *b, time_t from) {
  return releve_schedule_retry_at(b->m->retry_seconds, b->failures, from, b->next_regular);
}

static void after_end(box *b) {
  time_t now = time(NULL), due;

  b->busy = 0;
  releve_buf_free(&b->data);
  if (b->error[0] && b->p->closing) {
    releve_info("mailbox %s: poll abandoned at shutdown", b->m->id);
    return;
  }
  if (b->error[0]) {
    if (b->rc)
      b->failures++;
    due = retry_at(b, now);
    releve_warn("mailbox %s: poll failed (%d in a row): %s; next attempt in %ld s", b->m->id,
                b->failures, b->error, (long)(due - now));
    if (b->rc)
      releve_warn("mailbox %s: the failure could not be recorded in the database (%s)", b->m->id,
                  strerror(-b->rc));
    arm(b, due);
    return;
  }
  b->failures = 0;
  if (b->n_uids)
    releve_info("mailbox %s: %zu new message(s): %zu taken, %zu left in the folder", b->m->id,
                b->n_uids, b->taken, b->refused);
  else
    releve_info("mailbox %s: nothing new", b->m->id);
  if (b->rc)
    releve_warn("mailbox %s: the poll could not be recorded in the database (%s)", b->m->id,
                strerror(-b->rc));
  arm(b, b->next_regular);
}

static void after_step(uv_work_t *w, int status) {
  box *b = w->data;
  releve_imap *p = b->p;
  enum step step = b->step;
  unsigned long uid = b->next < b->n_uids ? b->uids[b->next] : 0;
  (void)status;

  b->step = STEP_NONE;
  p->working--;
  switch (step) {
  case STEP_BEGIN:
    if (b->rc)
      failed(b, "%s: %s", b->m->credentials_file,
             b->rc == -EINVAL ? "one line \"user:password\" is expected" : strerror(-b->rc));
    else if (p->closing)
      failed(b, "stopped");
    else
      run(b, CMD_SEARCH, 0);
    break;
  case STEP_FILTER:
    if (b->rc) {
      failed(b, "the database: %s", strerror(-b->rc));
      break;
    }
    if (b->changed)
      releve_log(RELEVE_NOTICE,
                 "mailbox %s: UIDVALIDITY is now %llu; the UIDs taken before are forgotten and "
                 "each message is offered again",
                 b->m->id, b->uidvalidity);
    next_message(b);
    break;
  case STEP_TAKE:
    if (b->too_large) {
      run(b, CMD_UNMARK, uid);
    } else if (b->rc == 0) {
      b->taken++;
      run(b, CMD_MARK, uid);
    } else {
      releve_warn("mailbox %s: message UID %lu not taken (%s): left unread, offered again at "
                  "the next attempt",
                  b->m->id, uid, strerror(-b->rc));
      snprintf(b->error, sizeof b->error, "message UID %lu not taken (%s)", uid,
               strerror(-b->rc));
      b->refused++;
      run(b, CMD_UNMARK, uid);
    }
    break;
  case STEP_END:
    after_end(b);
    break;
  case STEP_NONE:
    break;
  }
  maybe_free(p);
}

static void begin_step(box *b, enum step step) {
  b->step = step;
  b->work.data = b;
  b->p->working++;
  if (uv_queue_work(b->p->loop, &b->work, step_work, after_step) != 0) {
    /* Only fails on bad arguments; run the step here rather than lose it. */
    step_work(&b->work);
    after_step(&b->work, 0);
  }
}

/* ---- scheduling ----------------------------------------------------------- */

static void on_tick(void *ud, size_t i) {
  releve_imap *p = ud;
  box *b = &p->items[i];
  time_t now = time(NULL);

  if (b->busy)
    return;
  if (now >= b->next_regular)
    b->next_regular = releve_schedule_after(&b->m->schedule, now);
  b->busy = 1;
  b->error[0] = '\0';
  b->next = b->n_uids = b->taken = b->refused = 0;
  /* Read at each poll: a changed password needs no restart. */
  if (b->userpwd) {
    explicit_bzero(b->userpwd, strlen(b->userpwd));
    free(b->userpwd);
    b->userpwd = NULL;
  }
  begin_step(b, STEP_BEGIN);
}

static void arm(box *b, time_t due) {
  if (!b->p->closing) /* a step that ends after the close arms nothing */
    releve_timers_arm(b->p->timers, (size_t)(b - b->p->items), due);
}

/* ---- start and stop ------------------------------------------------------- */

static void free_imap(releve_imap *p) {
  size_t i;
  for (i = 0; i < p->n; i++) {
    box *b = &p->items[i];
    if (b->store_open)
      releve_store_close(&b->store);
    if (b->userpwd) {
      explicit_bzero(b->userpwd, strlen(b->userpwd));
      free(b->userpwd);
    }
    releve_buf_free(&b->data);
    free(b->uids);
  }
  free(p->items);
  releve_mailboxes_free(&p->boxes);
  releve_timers_free(p->timers);
  uv_mutex_destroy(&p->take_lock);
  free(p);
}

static void maybe_free(releve_imap *p) {
  void (*closed)(void *) = p->closed;
  void *data = p->closed_data;
  if (!p->closing || p->timers || p->working)
    return;
  free_imap(p);
  if (closed)
    closed(data);
}

static void on_timers_closed(void *ud) {
  releve_imap *p = ud;
  p->timers = NULL;
  maybe_free(p);
}

static void on_abandoned(void *data, CURL *easy) {
  box *b = data;
  curl_easy_cleanup(easy);
  b->easy = NULL;
  b->busy = 0; /* nothing recorded, nothing marked */
}

void releve_imap_close(releve_imap *p, void (*closed)(void *data), void *data) {
  if (p->closing)
    return;
  p->closing = 1;
  p->closed = closed;
  p->closed_data = data;
  releve_transfer_close(p->fetch, on_abandoned);
  p->fetch = NULL;
  releve_timers_close(p->timers, on_timers_closed);
}

int releve_imap_start(uv_loop_t *loop, const releve_config *cfg, releve_imap_take_cb take,
                      void *ud, releve_imap **out) {
  releve_imap *p;
  time_t now = time(NULL);
  size_t i;
  int rc;

  *out = NULL;
  p = calloc(1, sizeof *p);
  if (p == NULL)
    return -ENOMEM;
  if (uv_mutex_init(&p->take_lock) != 0) {
    free(p);
    return -ENOMEM;
  }
  p->loop = loop;
  p->take = take;
  p->ud = ud;
  rc = releve_mailboxes_copy(&cfg->mailboxes, &p->boxes);
  if (rc == 0 && p->boxes.n == 0) {
    free_imap(p);
    return 0;
  }
  if (rc == 0 && (p->items = calloc(p->boxes.n, sizeof *p->items)) == NULL)
    rc = -ENOMEM;
  for (i = 0; rc == 0 && i < p->boxes.n; i++) {
    box *b = &p->items[i];
    releve_imap_seen_state st;
    b->p = p;
    b->m = &p->boxes.items[i];
    p->n++;
    if ((rc = releve_store_open(&b->store, cfg->database, RELEVE_STORE_RW)) != 0)
      break;
    b->store_open = 1;
    if ((rc = releve_imap_seen_get(&b->store, b->m->id, &st)) != 0)
      break;
    /* A poll or a retry missed while the daemon was down is done at once. */
    b->failures = st.failures;
    b->next_regular = b->m->schedule.interval ? now : releve_schedule_after(&b->m->schedule, now);
    if (st.last_attempt) {
      b->next_regular = releve_schedule_after(&b->m->schedule, st.last_attempt);
      if (st.failures > 0)
        b->next_regular = retry_at(b, st.last_attempt);
    }
  }
  if (rc == 0)
    rc = releve_timers_new(p->n, on_tick, p, &p->timers);
  if (rc == 0)
    rc = releve_transfer_init(loop, &p->fetch);
  if (rc) {
    free_imap(p);
    return rc;
  }
  releve_timers_start(p->timers, loop);
  for (i = 0; i < p->n; i++) {
    box *b = &p->items[i];
    if (b->next_regular < now)
      b->next_regular = now;
    arm(b, b->next_regular);
    releve_info("mailbox %s: %s every \"%s\", next poll in %ld s", b->m->id, b->m->url,
                b->m->schedule_text, (long)(b->next_regular - now));
  }
  *out = p;
  return 0;
}
