/* releved -- the relevé daemon: one libuv loop that owns the spool
 * folders, the database writer and the timers. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "daemon/daemon.h"
#include "util/log.h"

static void usage(FILE *out) {
  fprintf(out, "usage: releved [-c FILE] [--once] [-v]\n\n"
               "Runs in the foreground, logging to stderr with syslog priority prefixes.\n"
               "  -c FILE   configuration (else $RELEVE_CONFIG, else " RELEVE_SYSTEM_CONFIG
               ",\n            else the built-in default)\n"
               "  --once    scan the spool folders, ingest what is there, and exit\n"
               "  -v        debug logging\n");
}

int main(int argc, char **argv) {
  static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                       {"once", no_argument, NULL, 'o'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, 'V'},
                                       {NULL, 0, NULL, 0}};
  releve_daemon_options o;
  int opt;

  memset(&o, 0, sizeof o);
  while ((opt = getopt_long(argc, argv, "c:vh", opts, NULL)) != -1) {
    switch (opt) {
    case 'c': o.config = optarg; break;
    case 'o': o.once = 1; break;
    case 'v': releve_log_set_level(RELEVE_DEBUG); break;
    case 'h': usage(stdout); return 0;
    case 'V': printf("releved " RELEVE_VERSION "\n"); return 0;
    default: usage(stderr); return 2;
    }
  }
  if (optind != argc) {
    usage(stderr);
    return 2;
  }
  return releve_daemon_run(&o) == 0 ? 0 : 1;
}
