#include "store/run.h"

int releve_store_run_texts(releve_store *s, const char *sql, const char *const *texts, size_t n,
                           long long *changes) {
  releve_stmt *st;
  size_t i;
  int rc = releve_store_prepare(s, sql, &st);

  if (changes)
    *changes = 0;
  if (rc)
    return rc;
  for (i = 0; i < n && rc == 0; i++)
    rc = releve_stmt_bind_text(st, (int)i + 1, texts[i]);
  if (rc == 0)
    rc = releve_stmt_step(st);
  if (rc >= 0 && changes)
    *changes = releve_stmt_changes(st);
  releve_stmt_finalize(st);
  return rc == RELEVE_STMT_ROW ? 1 : rc;
}
