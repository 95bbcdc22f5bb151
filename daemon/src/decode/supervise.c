#include "decode/supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decode/child.h"
#include "util/fd.h"
#include "util/log.h"
#include "decode/rowpipe.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* What the child writes to its stdout and stderr: logged line by line up
 * to these bounds per file, then only counted. */
#define OUTPUT_LINES 20
#define OUTPUT_BYTES 4096
#define OUTPUT_LINE_MAX 256

typedef struct job {
  uv_pipe_t pipe;   /* the frames (rowpipe.h) */
  uv_pipe_t out;    /* the child's stdout and stderr */
  uv_timer_t timer;
  uv_signal_t sigchld;
  pid_t pid;
  int status;       /* from waitpid */
  int reaped, eof, out_eof, timed_out, killed;
  unsigned out_lines;             /* logged so far */
  size_t out_logged;              /* bytes logged so far */
  unsigned long long out_dropped; /* bytes beyond the bounds */
  size_t line_len;
  char line[OUTPUT_LINE_MAX];
  int stop_rc;      /* a service asked to stop, or the stream was malformed */
  int probing;      /* a plugin's recognise() was judging the file */
  int open_handles;
  releve_rowpipe_reader reader;
  releve_decode_spec spec;
  char plugin_name[64];
  releve_decode_done_cb done;
  void *data;
  char buf[64 << 10];
  char out_buf[16 << 10];
} job;

/* ---- the child -------------------------------------------------------- */

typedef struct child_ctx {
  releve_rowpipe_writer w; /* first: the writer services take ctx as a writer */
  int in;
} child_ctx;

static ssize_t child_read(void *ctx, void *buf, size_t n) {
  child_ctx *c = ctx;
  return releve_fd_read(c->in, buf, n);
}

static void limit_memory(int mb) {
  struct rlimit rl;
  unsigned long long pages = 0, vm;
  FILE *f;

  if (UNDER_ASAN)
    return;
  /* The limit counts what the child inherited; allow mb more than that. */
  f = fopen("/proc/self/statm", "re");
  if (f) {
    if (fscanf(f, "%llu", &pages) != 1)
      pages = 0;
    fclose(f);
  }
  vm = pages * (unsigned long long)sysconf(_SC_PAGESIZE);
  rl.rlim_cur = rl.rlim_max = (rlim_t)(vm + (unsigned long long)mb * 1024 * 1024);
  setrlimit(RLIMIT_AS, &rl);
}

static void child_probe(void *ud, const char *plugin) {
  releve_rowpipe_writer_probe(ud, plugin);
}

/* The reader, chosen here under the child's limits, and told to the parent
 * before any row. Returns 0 with *options set when the file is to be
 * decoded, 1 when it is not (refused, or choose_only), or a negative errno
 * value for the END frame. */
static int child_choose(const releve_decode_spec *spec, child_ctx *c, releve_reader_choice *choice,
                        releve_option_value **options) {
  releve_reader_probe probe = {child_probe, &c->w};
  char *why = NULL;
  int rc = releve_reader_choose_file(spec->plugins, spec->actor, spec->forced, spec->fd,
                                     spec->file_name, &probe, choice, &why);
  if (rc == 0 || rc == -ENOENT)
    rc = releve_rowpipe_writer_choice(&c->w, choice, rc ? why : NULL) ? c->w.failed
         : why || spec->choose_only                                   ? 1
                                                                      : 0;
  free(why);
  if (rc == 0)
    rc = releve_reader_options(choice, spec->actor, options);
  return rc;
}

static void child_main(const releve_decode_spec *spec, int out, int output) {
  releve_reader_choice choice;
  releve_option_value *options = NULL;
  releve_decode_args args;
  child_ctx c;
  int rc;

  releve_child_setup();
  /* What the plugin prints goes to the parent, which bounds what reaches
   * the log, not straight into the daemon's journal. */
  dup2(output, STDOUT_FILENO);
  dup2(output, STDERR_FILENO);
  if (output > STDERR_FILENO)
    close(output);
  limit_memory(spec->memory_mb);

  memset(&c, 0, sizeof c);
  releve_rowpipe_writer_init(&c.w, out, spec->fd);
  c.in = spec->fd;
  memset(&args, 0, sizeof args);
  args.struct_size = sizeof args;
  args.host = releve_rowpipe_writer_services();
  args.host_ctx = &c;
  args.read = child_read;
  args.file_name = spec->file_name;
  if ((rc = child_choose(spec, &c, &choice, &options)) == 1) {
    rc = 0;
  } else if (rc == 0 && lseek(spec->fd, 0, SEEK_SET) < 0) {
    rc = -errno;
  } else if (rc == 0) {
    args.options = options;
    rc = choice.plugin->decode(&args);
  }
  releve_rowpipe_writer_end(&c.w, rc);
  _exit(0);
}

/* ---- the parent ------------------------------------------------------- */

static void on_closed(uv_handle_t *h) {
  job *j = h->data;
  char failure[320], judged[64], who[96], doing[192];
  int rc;

  if (--j->open_handles > 0)
    return;
  if (j->done == NULL) { /* never started */
    free(j);
    return;
  }
  failure[0] = '\0';
  /* While the file was judged: which plugin's recognise() was running, or
   * the reading of the file itself (a workbook) before any was asked. */
  if (j->probing)
    snprintf(judged, sizeof judged, " en reconnaissant le format du fichier");
  else if (!j->reader.chosen)
    snprintf(judged, sizeof judged, " avant le choix du module de lecture");
  else
    judged[0] = '\0';
  if (!j->reader.chosen && !j->probing)
    snprintf(who, sizeof who, "la lecture du fichier");
  else
    snprintf(who, sizeof who, "le module %s", j->plugin_name);
  if (j->stop_rc == -EBADMSG) {
    rc = -ECHILD;
    snprintf(failure, sizeof failure, "%s a échoué%s : données illisibles transmises", who,
             judged);
  } else if (j->stop_rc) {
    rc = j->stop_rc;
  } else if (j->timed_out) {
    rc = -ECHILD;
    if (j->probing)
      snprintf(failure, sizeof failure,
               "délai dépassé (%d s) : %s n'a pas fini de reconnaître le format du fichier",
               j->spec.timeout_seconds, who);
    else
      snprintf(failure, sizeof failure, "délai dépassé (%d s)%s", j->spec.timeout_seconds,
               judged);
  } else if (WIFSIGNALED(j->status)) {
    rc = -ECHILD;
    snprintf(failure, sizeof failure, "%s a échoué%s : signal %d", who, judged,
             WTERMSIG(j->status));
  } else if (!j->reader.ended || releve_rowpipe_reader_partial(&j->reader)) {
    /* The plugin called exit() (or _exit()) before decode() returned. */
    rc = -ECHILD;
    snprintf(failure, sizeof failure, "%s s'est arrêté%s (code de sortie %d) %s", who,
             j->reader.chosen || j->probing ? "" : "e",
             WIFEXITED(j->status) ? WEXITSTATUS(j->status) : -1,
             judged[0] ? judged + 1 : "avant la fin du fichier");
  } else if (j->reader.decode_rc == -ENOMEM) {
    rc = -ECHILD;
    snprintf(failure, sizeof failure, "mémoire insuffisante pour lire ce fichier (limite : %d Mo)",
             j->spec.memory_mb);
  } else {
    rc = j->reader.decode_rc;
  }
  if (j->out_dropped)
    releve_warn("plugin %s, %s: ... %llu more bytes of output dropped", j->plugin_name,
                j->spec.file_name, j->out_dropped);
  if (j->reader.chosen)
    snprintf(doing, sizeof doing, "decoding %s with plugin %s", j->spec.file_name,
             j->plugin_name);
  else if (j->probing)
    snprintf(doing, sizeof doing, "judging %s with the recognise() of plugin %s",
             j->spec.file_name, j->plugin_name);
  else
    snprintf(doing, sizeof doing, "reading %s to choose its reader", j->spec.file_name);
  if (failure[0] && WIFEXITED(j->status) && !j->timed_out && !j->stop_rc)
    releve_warn("%s failed: exit status %d before the end of the file", doing,
                WEXITSTATUS(j->status));
  else if (failure[0])
    releve_warn("%s failed: %s", doing,
                WIFSIGNALED(j->status) ? strsignal(WTERMSIG(j->status))
                : j->timed_out        ? "timeout"
                                      : "unreadable stream");
  releve_rowpipe_reader_free(&j->reader);
  j->done(j->data, rc, failure[0] ? failure : NULL);
  free(j);
}

static void maybe_finish(job *j) {
  if (!j->reaped || !j->eof || !j->out_eof || j->open_handles != 4)
    return;
  uv_close((uv_handle_t *)&j->pipe, on_closed);
  uv_close((uv_handle_t *)&j->out, on_closed);
  uv_close((uv_handle_t *)&j->timer, on_closed);
  uv_close((uv_handle_t *)&j->sigchld, on_closed);
}

static void kill_child(job *j) {
  if (!j->reaped && !j->killed) {
    kill(j->pid, SIGKILL);
    j->killed = 1;
  }
}

static void set_eof(job *j) {
  if (!j->eof) {
    j->eof = 1;
    uv_read_stop((uv_stream_t *)&j->pipe);
  }
}

/* One line of the child's output: logged within the bounds, else counted.
 * Control characters are shown as '?' so that a plugin cannot forge log
 * lines or priorities. */
static void output_line(job *j) {
  size_t i;
  if (j->line_len == 0)
    return;
  if (j->out_lines < OUTPUT_LINES && j->out_logged + j->line_len <= OUTPUT_BYTES) {
    for (i = 0; i < j->line_len; i++)
      if ((unsigned char)j->line[i] < 0x20 || j->line[i] == 0x7f)
        j->line[i] = '?';
    j->line[j->line_len] = '\0';
    releve_warn("plugin %s, %s: output: %s", j->plugin_name, j->spec.file_name, j->line);
    j->out_lines++;
    j->out_logged += j->line_len;
  } else {
    j->out_dropped += j->line_len;
  }
  j->line_len = 0;
}

static void set_out_eof(job *j) {
  if (!j->out_eof) {
    j->out_eof = 1;
    uv_read_stop((uv_stream_t *)&j->out);
    output_line(j);
  }
}

static void on_timer(uv_timer_t *t);

static void reap(job *j) {
  pid_t r;
  if (j->reaped)
    return;
  do
    r = waitpid(j->pid, &j->status, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == j->pid || (r < 0 && errno == ECHILD)) {
    j->reaped = 1;
    uv_timer_stop(&j->timer);
    if (!j->eof || !j->out_eof) /* a grandchild may hold the pipes: give it a moment */
      uv_timer_start(&j->timer, on_timer, 1000, 0);
  }
}

static void on_timer(uv_timer_t *t) {
  job *j = t->data;
  if (!j->reaped) {
    j->timed_out = 1;
    kill_child(j);
  } else { /* reaped long ago, still no EOF */
    set_eof(j);
    set_out_eof(j);
  }
  maybe_finish(j);
}

static void on_sigchld(uv_signal_t *s, int signum) {
  job *j = s->data;
  (void)signum;
  reap(j);
  maybe_finish(j);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  job *j = h->data;
  (void)suggested;
  *buf = uv_buf_init(j->buf, sizeof j->buf);
}

static void on_out_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  job *j = h->data;
  (void)suggested;
  *buf = uv_buf_init(j->out_buf, sizeof j->out_buf);
}

static void on_out_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  job *j = s->data;
  ssize_t i;

  for (i = 0; i < nread; i++) {
    /* Past the bounds, whole chunks are only counted. */
    if (j->out_lines >= OUTPUT_LINES || j->out_logged >= OUTPUT_BYTES) {
      j->out_dropped += j->line_len + (unsigned long long)(nread - i);
      j->line_len = 0;
      break;
    }
    if (buf->base[i] == '\n') {
      output_line(j);
      continue;
    }
    j->line[j->line_len++] = buf->base[i];
    if (j->line_len == sizeof j->line - 1)
      output_line(j);
  }
  if (nread < 0) {
    if (nread != UV_EOF)
      releve_warn("reading the decoder's output: %s", uv_strerror((int)nread));
    set_out_eof(j);
  }
  maybe_finish(j);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  job *j = s->data;

  if (nread > 0 && !j->stop_rc) {
    int rc = releve_rowpipe_reader_feed(&j->reader, buf->base, (size_t)nread, j->spec.host,
                                        j->spec.host_ctx);
    if (rc) {
      j->stop_rc = rc;
      kill_child(j);
      set_eof(j);
    }
  } else if (nread < 0) {
    if (nread != UV_EOF)
      releve_warn("reading the decoder's pipe: %s", uv_strerror((int)nread));
    set_eof(j);
  }
  maybe_finish(j);
}

static int on_probe(void *ctx, const char *plugin) {
  job *j = ctx;
  j->probing = 1;
  snprintf(j->plugin_name, sizeof j->plugin_name, "%s", plugin);
  return 0;
}

/* The child's choice, by name: the parent trusts no pointer from it. */
static int on_choice(void *ctx, const releve_rowpipe_choice *ch) {
  job *j = ctx;
  releve_reader_choice c;
  size_t i;

  j->probing = 0;
  memset(&c, 0, sizeof c);
  if (ch->plugin) {
    if ((c.plugin = releve_plugins_find(j->spec.plugins, ch->plugin)) == NULL)
      return -EBADMSG;
    snprintf(j->plugin_name, sizeof j->plugin_name, "%s", c.plugin->name);
    c.primary = ch->primary;
    c.forced = ch->forced;
    c.confidence = ch->confidence;
    for (i = 0; i < ch->n_others; i++) {
      const releve_plugin *other = releve_plugins_find(j->spec.plugins, ch->others[i]);
      if (other == NULL)
        return -EBADMSG;
      c.others[c.n_others++] = other->name;
    }
  }
  return j->spec.chosen(j->spec.chosen_ctx, &c, ch->why);
}

int releve_decode_start(uv_loop_t *loop, const releve_decode_spec *spec,
                        releve_decode_done_cb done, void *data) {
  job *j = calloc(1, sizeof *j);
  int fds[2], outs[2], rc;

  if (j == NULL)
    return -ENOMEM;
  j->spec = *spec;
  j->reader.sheet = spec->sheet;
  j->reader.probe = on_probe;
  j->reader.choice = on_choice;
  j->reader.choice_ctx = j;
  j->done = done;
  j->data = data;
  if (pipe2(fds, O_CLOEXEC) != 0) {
    rc = -errno;
    free(j);
    return rc;
  }
  if (pipe2(outs, O_CLOEXEC) != 0) {
    rc = -errno;
    close(fds[0]);
    close(fds[1]);
    free(j);
    return rc;
  }
  uv_pipe_init(loop, &j->pipe, 0);
  uv_pipe_init(loop, &j->out, 0);
  uv_timer_init(loop, &j->timer);
  uv_signal_init(loop, &j->sigchld);
  j->pipe.data = j->out.data = j->timer.data = j->sigchld.data = j;
  j->open_handles = 4;
  /* SIGCHLD is watched before the fork so that an early exit is not missed. */
  uv_signal_start(&j->sigchld, on_sigchld, SIGCHLD);
  fflush(stderr);
  j->pid = fork();
  if (j->pid == 0) {
    close(fds[0]);
    close(outs[0]);
    child_main(spec, fds[1], outs[1]);
  }
  rc = j->pid < 0 ? -errno : 0;
  close(fds[1]);
  close(outs[1]);
  if (rc == 0 && (rc = uv_pipe_open(&j->pipe, fds[0])) != 0)
    close(fds[0]);
  else if (rc)
    close(fds[0]);
  if (rc == 0 && (rc = uv_pipe_open(&j->out, outs[0])) != 0)
    close(outs[0]);
  else if (rc)
    close(outs[0]);
  if (rc == 0)
    rc = uv_read_start((uv_stream_t *)&j->pipe, on_alloc, on_read);
  if (rc == 0)
    rc = uv_read_start((uv_stream_t *)&j->out, on_out_alloc, on_out_read);
  if (rc) {
    releve_err("cannot start the decoder for %s: %s", spec->file_name, strerror(-rc));
    if (j->pid > 0) {
      kill(j->pid, SIGKILL);
      while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    }
    /* Not started: close quietly and let the caller handle rc. */
    j->done = NULL;
    uv_close((uv_handle_t *)&j->pipe, on_closed);
    uv_close((uv_handle_t *)&j->out, on_closed);
    uv_close((uv_handle_t *)&j->timer, on_closed);
    uv_close((uv_handle_t *)&j->sigchld, on_closed);
    return rc;
  }
  uv_timer_start(&j->timer, on_timer, (uint64_t)spec->timeout_seconds * 1000, 0);
  reap(j); /* in case it is already gone */
  return 0;
}
