/* row.c -- the column list and one output row at a time. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

long releve_kit_names_find(const releve_kit_names *names, const char *name) {
  for (size_t i = 0; i < names->n; i++)
    if (strcmp(names->v[i], name) == 0)
      return (long)i;
  return -1;
}

long releve_kit_names_add(releve_kit_names *names, const char *name) {
  if (names->n == names->cap) {
    size_t ncap = names->cap ? names->cap * 2 : 16;
    char **nv = realloc(names->v, ncap * sizeof *nv);
    if (nv == NULL)
      return -ENOMEM;
    names->v = nv;
    names->cap = ncap;
  }
  size_t len = strlen(name);
  char *copy = malloc(len + 24);
  if (copy == NULL)
    return -ENOMEM;
  memcpy(copy, name, len + 1);
  for (unsigned k = 2; releve_kit_names_find(names, copy) >= 0; k++)
    snprintf(copy + len, 24, "_%u", k);
  names->v[names->n] = copy;
  return (long)names->n++;
}

int releve_kit_names_emit(const releve_kit_names *names, const releve_decode_args *args) {
  int rc = args->host->columns(args->host_ctx, (const char *const *)names->v, names->n);
  return rc < 0 ? rc : 0;
}

void releve_kit_names_free(releve_kit_names *names) {
  for (size_t i = 0; i < names->n; i++)
    free(names->v[i]);
  free(names->v);
  *names = (releve_kit_names){0};
}

void releve_kit_row_reset(releve_kit_row *row) {
  row->n = 0;
  row->tlen = 0;
}

void releve_kit_row_free(releve_kit_row *row) {
  free(row->cells);
  free(row->copy);
  free(row->text);
  *row = (releve_kit_row){0};
}

static int push(releve_kit_row *row, const releve_cell *cell, size_t copy) {
  if (row->n == row->cap) {
    size_t ncap = row->cap ? row->cap * 2 : 32;
    releve_cell *ncells = realloc(row->cells, ncap * sizeof *ncells);
    if (ncells == NULL)
      return -ENOMEM;
    row->cells = ncells;
    size_t *ncopy = realloc(row->copy, ncap * sizeof *ncopy);
    if (ncopy == NULL)
      return -ENOMEM;
    row->copy = ncopy;
    row->cap = ncap;
  }
  row->cells[row->n] = *cell;
  row->copy[row->n] = copy;
  row->n++;
  return 0;
}

int releve_kit_row_add_cell(releve_kit_row *row, const releve_cell *cell) {
  return push(row, cell, 0);
}

int releve_kit_row_add(releve_kit_row *row, releve_cell_kind kind, unsigned column,
                       const char *text) {
  releve_cell cell = {kind, text, 0.0, column};
  return push(row, &cell, 0);
}

int releve_kit_row_add_field(releve_kit_row *row, unsigned column, const char *text) {
  return releve_kit_row_add(row, releve_kit_cell_blank(text) ? RELEVE_CELL_EMPTY : RELEVE_CELL_TEXT,
                            column, text);
}

int releve_kit_row_add_number(releve_kit_row *row, unsigned column, const char *text,
                              double value) {
  releve_cell cell = {RELEVE_CELL_NUMBER, text, value, column};
  return push(row, &cell, 0);
}

int releve_kit_row_add_copy(releve_kit_row *row, releve_cell_kind kind, unsigned column,
                            const char *text, size_t len) {
  if (row->tlen + len + 1 > row->tcap) {
    size_t ncap = row->tcap ? row->tcap : 256;
    while (ncap < row->tlen + len + 1)
      ncap *= 2;
    char *ntext = realloc(row->text, ncap);
    if (ntext == NULL)
      return -ENOMEM;
    row->text = ntext;
    row->tcap = ncap;
  }
  size_t at = row->tlen;
  memcpy(row->text + at, text, len);
  row->text[at + len] = '\0';
  row->tlen += len + 1;
  releve_cell cell = {kind, NULL, 0.0, column};
  return push(row, &cell, at + 1);
}

int releve_kit_row_emit(releve_kit_row *row, const releve_decode_args *args, unsigned long line) {
  for (size_t i = 0; i < row->n; i++)
    if (row->copy[i] != 0)
      row->cells[i].text = row->text + row->copy[i] - 1;
  int rc = args->host->row(args->host_ctx, line, row->cells, row->n);
  releve_kit_row_reset(row);
  return rc < 0 ? rc : 0;
}
