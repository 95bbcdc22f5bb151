/* encoding.h -- what the host itself checks of a file's bytes before a
 * plugin reads it. A file that starts with a UTF-8 byte-order mark says
 * it is UTF-8; bytes that are not UTF-8 after it are read by the plugins
 * as Windows-1252 (the partner's spreadsheet mixed both), which may be
 * right or may garble its accents: the partner's report says so. */
#ifndef RELEVE_ENCODING_H
#define RELEVE_ENCODING_H

/* Reads fd from its start: 1 when it begins with a UTF-8 BOM and holds a
 * byte sequence that is not UTF-8 (*line gets the first such line,
 * 1-based), 0 otherwise, or a negative errno value. Leaves the offset at
 * the end of what was read; the caller seeks back. */
int releve_encoding_bom_mixed(int fd, unsigned long *line);

#endif
