/* fd.h -- reading and writing a file descriptor, retried when a signal
 * interrupts the call (EINTR), so that no caller writes that loop again. */
#ifndef RELEVE_FD_H
#define RELEVE_FD_H

#include <stddef.h>
#include <sys/types.h>

/* read(2) of at most n bytes: how many were read (0 at the end of the
 * file), or a negative errno value (-EAGAIN on an empty non-blocking fd). */
ssize_t releve_fd_read(int fd, void *buf, size_t n);

/* pread(2) of at most n bytes at offset off, as releve_fd_read. */
ssize_t releve_fd_pread(int fd, void *buf, size_t n, off_t off);

/* Writes all len bytes of data, through short writes. Returns 0 or a
 * negative errno value. */
int releve_fd_write_all(int fd, const void *data, size_t len);

#endif
