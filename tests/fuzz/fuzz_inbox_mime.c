/* fuzz_inbox_mime.c -- libFuzzer target for a partner's message read into
 * its sender, recipients and attachments (inbox/mime.h), the path every
 * message piped into `releve receive` takes before anything is trusted.
 * Whatever the bytes, the reader must not crash, leak or read out of
 * bounds, and what it gives must hold: addresses in lower case, at most
 * RELEVE_INBOX_MAX_ATTACHMENTS attachments, each a spreadsheet or CSV by
 * its type or name, its type "type/subtype" in lower case. The
 * Authentication-Results verdicts are read too. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "inbox/mime.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  releve_log_set_level(0);
  return 0;
}

static int lower(const char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      return 0;
  return 1;
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  releve_inbox_message m;
  size_t i;
  int rc = releve_inbox_mime_parse(data, size, &m);

  FUZZ_CHECK(rc == 0 || rc == -EBADMSG);
  if (rc)
    return 0;
  FUZZ_CHECK(m.from == NULL || lower(m.from));
  FUZZ_CHECK(m.message_id == NULL || m.message_id[0] != '\0');
  for (i = 0; i < m.n_recipients; i++)
    FUZZ_CHECK(m.recipients[i] && lower(m.recipients[i]));
  FUZZ_CHECK(m.n_recipients == 0 || m.recipients[m.n_recipients] == NULL);
  for (i = 0; i < m.n_auth_results; i++)
    (void)releve_inbox_mime_auth_pass(m.auth_results[i], "mx.paris.example.org");
  FUZZ_CHECK(m.n_attachments <= RELEVE_INBOX_MAX_ATTACHMENTS);
  for (i = 0; i < m.n_attachments; i++) {
    const releve_inbox_attachment *a = &m.attachments[i];
    FUZZ_CHECK(a->content_type && lower(a->content_type) && strchr(a->content_type, '/'));
    FUZZ_CHECK(a->data != NULL);
    FUZZ_CHECK(strstr(a->content_type, "spreadsheet") || strcmp(a->content_type, "text/csv") == 0 ||
               (a->name && (ends_with(a->name, ".xlsx") || ends_with(a->name, ".ods") ||
                            ends_with(a->name, ".csv"))));
  }
  releve_inbox_mime_free(&m);
  return 0;
}
