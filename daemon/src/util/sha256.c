#include "util/sha256.h"

#include <errno.h>
#include <openssl/evp.h>

#include "util/fd.h"

static void to_hex(const unsigned char *md, unsigned n, char *out) {
  static const char digits[] = "0123456789abcdef";
  unsigned i;
  for (i = 0; i < n; i++) {
    out[2 * i] = digits[md[i] >> 4];
    out[2 * i + 1] = digits[md[i] & 15];
  }
  out[2 * n] = '\0';
}

void releve_sha256_hex(const void *data, size_t len, char out[65]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
  to_hex(md, n, out);
}

int releve_sha256_fd(int fd, char out[65], unsigned long long *size) {
  unsigned char md[EVP_MAX_MD_SIZE], chunk[65536];
  unsigned n = 0;
  unsigned long long total = 0;
  int rc = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();

  if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
    EVP_MD_CTX_free(ctx);
    return -ENOMEM;
  }
  for (;;) {
    ssize_t got = releve_fd_read(fd, chunk, sizeof chunk);
    if (got < 0) {
      rc = (int)got;
      break;
    }
    if (got == 0)
      break;
    EVP_DigestUpdate(ctx, chunk, (size_t)got);
    total += (unsigned long long)got;
  }
  if (rc == 0) {
    EVP_DigestFinal_ex(ctx, md, &n);
    to_hex(md, n, out);
    if (size)
      *size = total;
  }
  EVP_MD_CTX_free(ctx);
  return rc;
}
