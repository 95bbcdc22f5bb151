#include "remind/mailer.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "mail/mail_send.h"
#include "mail/mail_queue.h"
#include "remind/remind.h"
#include "store/store.h"

#define SEND_EVERY_MS 60000
/* A kick waits this long, so that the receipts of a burst of files go out
 * together rather than one job per file. */
#define KICK_DELAY_MS 1000

struct releve_mailer {
  uv_timer_t timer;
  uv_work_t work;
  const releve_config *cfg;
  releve_store store;
  void (*idle)(void *ud);
  void *ud;
  int busy, kicked, closing;
  atomic_int stop;
  char ladder_day[11]; /* the last day the ladder ran */
  /* Results of the job, read on the loop after it. */
  char today[11];
  int remind_rc, deliver_rc;
  releve_remind_summary sum;
  releve_mail_queue_run run;
};

static void today(char out[11]) {
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

static void job(uv_work_t *w) {
  releve_mailer *m = w->data;

  memset(&m->sum, 0, sizeof m->sum);
  m->remind_rc = 0;
  today(m->today);
  if (strcmp(m->today, m->ladder_day) != 0)
    m->remind_rc = releve_remind_run(&m->store, m->cfg, m->today, 0, NULL, NULL, &m->sum);
  m->deliver_rc =
      releve_mail_queue_deliver(&m->store, m->cfg, m->cfg->mail_max_per_run, &m->stop, &m->run);
}

static void on_tick(uv_timer_t *t);

static void after_job(uv_work_t *w, int status) {
  releve_mailer *m = w->data;
  (void)status;

  m->busy = 0;
  if (m->remind_rc)
    releve_err("reminders for %s: %s; tried again at the next run", m->today,
               strerror(-m->remind_rc));
  else if (strcmp(m->today, m->ladder_day) != 0) {
    memcpy(m->ladder_day, m->today, sizeof m->ladder_day);
    releve_info("reminders for %s: %d campaign%s with a step due, %d queued, %d complete, %d "
                "already sent, %d waiting for a file, %d held back by a placeholder address",
                m->today, m->sum.due, m->sum.due == 1 ? "" : "s", m->sum.queued, m->sum.complete,
                m->sum.already, m->sum.waiting, m->sum.placeholder);
  }
  if (m->deliver_rc)
    releve_err("mail queue: %s; tried again at the next run", strerror(-m->deliver_rc));
  if (m->run.sent || m->run.retry || m->run.failed)
    releve_info("mail queue: %d sent, %d to retry, %d failed%s", m->run.sent, m->run.retry,
                m->run.failed, m->run.left ? ", more waiting for the next minute" : "");
  /* Something was queued meanwhile. What a run could not send (beyond
   * mail.max_per_run) waits for the next tick: that is the rate limit. */
  if (!m->closing && m->kicked)
    uv_timer_start(&m->timer, on_tick, KICK_DELAY_MS, SEND_EVERY_MS);
  m->kicked = 0;
  if (m->idle)
    m->idle(m->ud);
}

static void on_tick(uv_timer_t *t) {
  releve_mailer *m = t->data;
  int rc;

  if (m->busy || m->closing) {
    m->kicked = 1;
    return;
  }
  m->work.data = m;
  rc = uv_queue_work(t->loop, &m->work, job, after_job);
  if (rc)
    releve_err("cannot start the mail work: %s", uv_strerror(rc));
  else
    m->busy = 1;
}

int releve_mailer_start(uv_loop_t *loop, const releve_config *cfg, void (*idle)(void *ud), void *ud,
                        releve_mailer **out) {
  releve_mailer *m = calloc(1, sizeof *m);
  releve_store_tuning tuning;
  int rc;

  *out = NULL;
  if (m == NULL)
    return -ENOMEM;
  m->cfg = cfg;
  m->idle = idle;
  m->ud = ud;
  rc = releve_mail_global_init();
  if (rc == 0)
    rc = releve_store_open(&m->store, cfg->database, RELEVE_STORE_RW);
  if (rc) {
    free(m);
    return rc;
  }
  /* A file's transaction lasts as long as its decoding may: wait for it.
   * This connection only writes what can be done again: a power loss may
   * forget its last transactions, and then a reminder is queued again with
   * its reminders row, or a mail marked sent is sent again. That saves the
   * file's writer an fsync or two per mail. */
  tuning.wait_ms = (cfg->decode_timeout_seconds + 60) * 1000;
  tuning.relaxed = 1;
  rc = releve_store_tune(&m->store, &tuning);
  if (rc) {
    releve_store_close(&m->store);
    free(m);
    return rc;
  }
  uv_timer_init(loop, &m->timer);
  m->timer.data = m;
  uv_timer_start(&m->timer, on_tick, 0, SEND_EVERY_MS);
  *out = m;
  return 0;
}

void releve_mailer_kick(releve_mailer *m) {
  if (m == NULL || m->closing)
    return;
  if (m->busy)
    m->kicked = 1;
  else if (uv_timer_get_due_in(&m->timer) > KICK_DELAY_MS)
    uv_timer_start(&m->timer, on_tick, KICK_DELAY_MS, SEND_EVERY_MS);
}

int releve_mailer_busy(const releve_mailer *m) { return m && m->busy; }

void releve_mailer_close(releve_mailer *m) {
  if (m == NULL || m->closing)
    return;
  m->closing = 1;
  atomic_store(&m->stop, 1);
  uv_close((uv_handle_t *)&m->timer, NULL);
}

void releve_mailer_free(releve_mailer *m) {
  if (m == NULL)
    return;
  releve_store_close(&m->store);
  free(m);
}
