/* texts.c -- arrays of configured entries (sources, mailboxes) whose
 * strings each entry owns: copied deep for a module that outlives a reload,
 * freed in one place. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

static char **text_at(void *item, size_t offset) { return (char **)((char *)item + offset); }

void releve__config_item_free(void *item, size_t size, const size_t *texts, size_t n_texts) {
  size_t k;
  for (k = 0; k < n_texts; k++)
    free(*text_at(item, texts[k]));
  memset(item, 0, size);
}

void releve__config_items_free(void *items, size_t n, size_t size, const size_t *texts,
                               size_t n_texts) {
  size_t i;
  for (i = 0; i < n; i++)
    releve__config_item_free((char *)items + i * size, size, texts, n_texts);
  free(items);
}

int releve__config_items_copy(const void *from, size_t n, size_t size, const size_t *texts,
                              size_t n_texts, void **to) {
  char *copy;
  size_t i, k;

  *to = NULL;
  if (n == 0)
    return 0;
  copy = calloc(n, size);
  if (copy == NULL)
    return -ENOMEM;
  /* The numbers and parsed schedules by value, then each string on its own,
   * so that a failure leaves no string shared with from. */
  memcpy(copy, from, n * size);
  for (i = 0; i < n; i++)
    for (k = 0; k < n_texts; k++)
      *text_at(copy + i * size, texts[k]) = NULL;
  for (i = 0; i < n; i++)
    for (k = 0; k < n_texts; k++) {
      const char *s = *text_at((char *)from + i * size, texts[k]);
      if (s && (*text_at(copy + i * size, texts[k]) = strdup(s)) == NULL) {
        releve__config_items_free(copy, n, size, texts, n_texts);
        return -ENOMEM;
      }
    }
  *to = copy;
  return 0;
}
