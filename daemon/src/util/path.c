#include "util/path.h"

#include <stdlib.h>
#include <string.h>

#include "util/str.h"

char *releve_path_resolve(const char *base_dir, const char *path) {
  if (path[0] == '/' || base_dir == NULL || base_dir[0] == '\0')
    return strdup(path);
  return releve_str_printf("%s/%s", base_dir, path);
}

char *releve_path_dirname(const char *path) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL)
    return strdup(".");
  if (slash == path)
    return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

const char *releve_path_basename(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}
