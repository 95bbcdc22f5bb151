/* A plugin whose recognise() misbehaves, built three times (see
 * tests/CMakeLists.txt): with RECOGNISE_CRASH it dereferences NULL, with
 * RECOGNISE_SPIN it never returns, with RECOGNISE_HOG it allocates and
 * touches memory without end, never checking what malloc() gives. The
 * host judges files in its supervised child: the file is refused with the
 * reason, the daemon and `releve ingest` go on. decode() is never reached. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "releve/plugin.h"

#if defined(RECOGNISE_CRASH)
#define NAME "recognise-crash"
/* Read through a volatile, the compiler cannot drop the faulting store. */
static int *volatile nowhere;
#elif defined(RECOGNISE_SPIN)
#define NAME "recognise-spin"
static volatile unsigned long spins;
#elif defined(RECOGNISE_HOG)
#define NAME "recognise-hog"
#else
#error "build with RECOGNISE_CRASH, RECOGNISE_SPIN or RECOGNISE_HOG"
#endif

static int recognise(const unsigned char *head, size_t n, const char *file_name) {
  (void)head, (void)n, (void)file_name;
#if defined(RECOGNISE_CRASH)
  *nowhere = 11;
#elif defined(RECOGNISE_SPIN)
  for (;;)
    spins++;
#else
  for (;;) {
    char *p = malloc(1 << 20);
    memset(p, 1, 1 << 20); /* no NULL check: faults once the limit is reached */
  }
#endif
  return 100;
}

static int decode(const releve_decode_args *a) {
  (void)a;
  return -EBADMSG;
}

static const releve_plugin descriptor = {.abi_major = RELEVE_PLUGIN_ABI_MAJOR,
                                         .struct_size = sizeof(releve_plugin),
                                         .name = NAME,
                                         .version = "1.0",
                                         .description = "misbehaves in recognise()",
                                         .decode = decode,
                                         .recognise = recognise,
                                         .format = "format de test"};

RELEVE_PLUGIN_EXPORT const releve_plugin *releve_plugin_entry_v1(void) { return &descriptor; }
