/* path.h -- file names taken apart and joined. Each returns NULL on
 * allocation failure. */
#ifndef RELEVE_PATH_H
#define RELEVE_PATH_H

/* An absolute path is returned as is; a relative one is joined to base_dir. */
char *releve_path_resolve(const char *base_dir, const char *path);
/* The folder part of path ("." when there is none). */
char *releve_path_dirname(const char *path);
/* The last component of path (a pointer into path, never NULL). */
const char *releve_path_basename(const char *path);

#endif
