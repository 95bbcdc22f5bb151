/* fs.h -- folders made and files written durably, or read whole.
 * Functions return 0 or a negative errno value. */
#ifndef RELEVE_FS_H
#define RELEVE_FS_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p: every missing folder of path, with mode. */
int releve_fs_mkdir_p(const char *path, mode_t mode);

/* Writes data to path durably: a temporary name in the same folder, write,
 * fsync, rename over path, fsync the folder. */
int releve_fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* fsync of a folder, so that a rename or a new name in it survives a crash. */
int releve_fs_sync_dir(const char *dir);

/* Reads a whole (small) file; *len gets its size. The result is
 * NUL-terminated. */
int releve_fs_read_file(const char *path, char **data, size_t *len);

#endif
