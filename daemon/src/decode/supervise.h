/* supervise.h -- choosing the reader of one file and decoding it in a
 * child process.
 *
 * A plugin that crashes, loops or eats memory must not take the daemon
 * down, nor must a hostile workbook parsed to judge it. The daemon fork()s
 * a child per file that does all that runs plugin code or parses the
 * file's content: it chooses the reader (releve_reader_choose_file: each of
 * the actor's plugins' recognise(), on the file's head or on a workbook's
 * sheets), tells the parent its choice, then calls that plugin's decode()
 * on the file descriptor the ingest opened, and streams what the plugin
 * reports to the parent over a pipe (rowpipe.h). The parent reads the pipe
 * with a uv_pipe_t, so the loop never blocks, and feeds each frame to the
 * parent-side services (the ingest's) as it arrives. Before each
 * recognise() the child names the plugin (a PROBE frame), so that a crash
 * or a timeout while the file is judged names the plugin at fault.
 *
 * Why fork() and not uv_spawn() of `releved --decode-child`: the child then
 * inherits the plugin already loaded and checked, the option values already
 * resolved and the open file, so nothing has to be re-validated or
 * serialised, and there is no second code path that loads configuration.
 * The child never touches the loop, the database or any thread state: it
 * resets its signal dispositions, applies its limits, decodes, writes the
 * END frame and _exit()s. fork() is only called from the loop thread while
 * no work of this daemon runs on the libuv thread pool.
 *
 * What the plugin writes to its stdout or stderr goes through a third pipe
 * to the parent, which logs at most 20 lines or 4 KiB of it per file and
 * then one line "... N more bytes of output dropped": a chatty plugin
 * cannot fill the journal.
 *
 * A plugin that calls exit() mid-file is reported as such ("le module X
 * s'est arrêté (code de sortie 0) avant la fin du fichier"), not as the
 * crash of the parent's clean-up handlers it would otherwise run
 * (child.h).
 *
 * Limits: RLIMIT_AS of decode_memory_mb beyond what the child inherits (not
 * under AddressSanitizer, whose shadow memory cannot live under a limit),
 * no core files, SIGKILL when decode_timeout_seconds pass, and SIGKILL if
 * the daemon itself dies (PR_SET_PDEATHSIG). */
#ifndef RELEVE_SUPERVISE_H
#define RELEVE_SUPERVISE_H

#include <uv.h>

#include "decode/reader.h"
#include "releve/plugin.h"

typedef struct releve_decode_spec {
  /* The reader is chosen among the actor's plugins, or forced (may be
   * NULL), as releve_reader_choose_file() does. */
  const releve_plugins *plugins;
  const releve_actor *actor;
  const char *forced;
  int choose_only;       /* tell the choice, do not decode (a duplicate) */
  /* Told, with chosen_ctx, the choice the child made, before any row:
   * plugin is one of plugins' (NULL with why, the French reason no plugin
   * reads the file). A negative value stops the child; its value is then
   * decode_rc. */
  int (*chosen)(void *chosen_ctx, const releve_reader_choice *c, const char *why);
  void *chosen_ctx;
  int fd;                /* the file, read from its start */
  const char *file_name; /* base name, for the plugin's messages */
  int timeout_seconds;
  int memory_mb;
  /* Where the parent delivers the frames (the ingest's services). */
  const releve_host_services *host;
  void *host_ctx;
  /* Told, with host_ctx, the workbook sheet whose rows follow (may be NULL). */
  int (*sheet)(void *host_ctx, const char *name);
} releve_decode_spec;

/* decode_rc: what decode() returned in the child (0 when the file was
 * refused by the choice or only chosen for), what a host service or chosen
 * returned when it asked to stop, or -ECHILD when the child failed;
 * failure: NULL, or a French sentence saying why decoding stopped ("le
 * module caf a échoué : signal 11", "délai dépassé (300 s)", "le module
 * caf a échoué en reconnaissant le format du fichier : signal 11"). */
typedef void (*releve_decode_done_cb)(void *data, int decode_rc, const char *failure);

/* Forks the child and starts supervising it; done is called exactly once,
 * from the loop, after the child is reaped and every frame delivered.
 * Returns 0, or a negative errno value when nothing was started. */
int releve_decode_start(uv_loop_t *loop, const releve_decode_spec *spec,
                        releve_decode_done_cb done, void *data);

#endif
