/* sha256.h -- sha256 of files and buffers (OpenSSL's libcrypto), used to
 * recognise a file already received and a changed référentiel. */
#ifndef RELEVE_SHA256_H
#define RELEVE_SHA256_H

#include <stddef.h>

/* out receives 64 lowercase hex digits and a NUL. */
void releve_sha256_hex(const void *data, size_t len, char out[65]);
/* Hashes fd from its current offset to its end; *size gets the byte count.
 * Returns 0 or a negative errno value. */
int releve_sha256_fd(int fd, char out[65], unsigned long long *size);

#endif
