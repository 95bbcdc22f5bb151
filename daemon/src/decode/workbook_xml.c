/* workbook_xml.c -- a workbook's XML parts read as streams (expat over
 * libzip), under the caps that keep a hostile archive from costing more
 * than a real one: no DTD or entity, bounded part and total sizes, a
 * bounded compression ratio. */
#include "decode/workbook_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *wb_local(const char *name) {
  const char *bar = strrchr(name, '|');
  return bar ? bar + 1 : name;
}

const char *wb_attr(const char **attrs, const char *local) {
  for (size_t i = 0; attrs[i] != NULL; i += 2)
    if (strcmp(wb_local(attrs[i]), local) == 0)
      return attrs[i + 1];
  return NULL;
}

/* Workbooks never carry a DTD: refusing any DOCTYPE (and any entity
 * declaration, should one come without) leaves no room for entity
 * expansion or external entities. */
static void on_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
                       const XML_Char *pubid, int has_internal_subset) {
  (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
  wb_stream *s = data;
  wb_fail(s->wb, -EBADMSG, 0, 0,
          "partie « %s » du classeur : déclaration DOCTYPE (entités XML) refusée ; un classeur "
          "enregistré par Excel ou LibreOffice n'en contient pas",
          s->part);
  XML_StopParser(s->parser, XML_FALSE);
}

static void on_entity(void *data, const XML_Char *name, int is_parameter, const XML_Char *value,
                      int value_length, const XML_Char *base, const XML_Char *sysid,
                      const XML_Char *pubid, const XML_Char *notation) {
  (void)name, (void)is_parameter, (void)value, (void)value_length, (void)base, (void)sysid,
      (void)pubid, (void)notation;
  on_doctype(data, NULL, NULL, NULL, 0);
}

static int on_external(XML_Parser p, const XML_Char *context, const XML_Char *base,
                       const XML_Char *sysid, const XML_Char *pubid) {
  (void)p, (void)context, (void)base, (void)sysid, (void)pubid;
  return XML_STATUS_ERROR;
}

/* The caps every part is read under, judged first on what the archive
 * declares, then on the bytes actually inflated. */
int wb_check_size(releve_workbook *wb, const char *part, uint64_t size, uint64_t comp) {
  char a[RELEVE_NUMBER_SIZE], b[RELEVE_NUMBER_SIZE];
  const releve_workbook_limits *l = wb->limits;
  if (size > l->max_part)
    return wb_fail(wb, -EFBIG, 0, 0,
                   "partie « %s » du classeur : %s Mo une fois décompressée, au-delà de la "
                   "limite de %s Mo ; le fichier ressemble à une « bombe zip » et n'est pas lu",
                   part, wb_count_text((size + (1u << 20) - 1) >> 20, a), wb_count_text(l->max_part >> 20, b));
  if (size > RELEVE_WORKBOOK_RATIO_FROM && size / (comp ? comp : 1) > l->max_ratio)
    return wb_fail(wb, -EFBIG, 0, 0,
                   "partie « %s » du classeur : taux de compression de %s pour 1, au-delà de la "
                   "limite de %u pour 1 ; le fichier ressemble à une « bombe zip » et n'est pas lu",
                   part, wb_count_text(size / (comp ? comp : 1), a), l->max_ratio);
  return 0;
}

int wb_stream_open(releve_workbook *wb, wb_stream *s, const char *part, void *ud,
                   XML_StartElementHandler start, XML_EndElementHandler end,
                   XML_CharacterDataHandler text) {
  zip_stat_t st;
  memset(s, 0, offsetof(wb_stream, buf));
  zip_int64_t index = zip_name_locate(wb->zip, part, 0);
  if (index < 0)
    return 0;
  zip_stat_init(&st);
  if (zip_stat_index(wb->zip, (zip_uint64_t)index, 0, &st) != 0)
    return wb_fail(wb, -EBADMSG, 0, 0, "partie « %s » du classeur illisible : %s", part,
                   zip_strerror(wb->zip));
  int rc = wb_check_size(wb, part, st.size, st.comp_size);
  if (rc < 0)
    return rc;
  s->wb = wb;
  s->ud = ud;
  s->part = part;
  s->limit = st.size;
  s->file = zip_fopen_index(wb->zip, (zip_uint64_t)index, 0);
  if (s->file == NULL)
    return wb_fail(wb, -EBADMSG, 0, 0, "partie « %s » du classeur illisible : %s", part,
                   zip_strerror(wb->zip));
  s->parser = XML_ParserCreateNS(NULL, '|');
  if (s->parser == NULL) {
    wb_stream_close(s);
    return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  }
  XML_SetUserData(s->parser, s);
  XML_SetParamEntityParsing(s->parser, XML_PARAM_ENTITY_PARSING_NEVER);
  XML_SetStartDoctypeDeclHandler(s->parser, on_doctype);
  XML_SetEntityDeclHandler(s->parser, on_entity);
  XML_SetExternalEntityRefHandler(s->parser, on_external);
  XML_SetElementHandler(s->parser, start, end);
  XML_SetCharacterDataHandler(s->parser, text);
  return 1;
}

void wb_stream_close(wb_stream *s) {
  if (s->parser)
    XML_ParserFree(s->parser);
  if (s->file)
    zip_fclose(s->file);
  s->parser = NULL;
  s->file = NULL;
}

static int xml_failure(releve_workbook *wb, wb_stream *s) {
  if (wb->err)
    return wb->err; /* a handler stopped the parser and said why */
  return wb_fail(wb, -EBADMSG, 0, 0,
                 "partie « %s » du classeur : XML illisible ligne %lu, colonne %lu (%s) ; le "
                 "classeur est abîmé, enregistrez-le de nouveau",
                 s->part, (unsigned long)XML_GetCurrentLineNumber(s->parser),
                 (unsigned long)XML_GetCurrentColumnNumber(s->parser) + 1,
                 XML_ErrorString(XML_GetErrorCode(s->parser)));
}

int wb_stream_run(releve_workbook *wb, wb_stream *s) {
  for (;;) {
    if (wb->err)
      return wb->err;
    if (s->suspended) {
      s->suspended = 0;
      enum XML_Status st = XML_ResumeParser(s->parser);
      if (st == XML_STATUS_SUSPENDED) {
        s->suspended = 1;
        return 1;
      }
      if (st == XML_STATUS_ERROR)
        return s->done ? 0 : xml_failure(wb, s);
    }
    if (s->finished || s->done)
      return 0;
    zip_int64_t n = zip_fread(s->file, s->buf, sizeof s->buf);
    if (n < 0)
      return wb_fail(wb, -EBADMSG, 0, 0,
                     "partie « %s » du classeur illisible (%s) : l'archive est abîmée ou "
                     "tronquée ; enregistrez le classeur de nouveau et renvoyez-le en entier",
                     s->part, zip_file_strerror(s->file));
    s->read += (uint64_t)n;
    wb->total += (uint64_t)n;
    if (s->read > s->limit || s->read > wb->limits->max_part)
      return wb_fail(wb, -EFBIG, 0, 0,
                     "partie « %s » du classeur plus longue que ce que l'archive annonce : le "
                     "fichier est abîmé ou fabriqué et n'est pas lu",
                     s->part);
    if (wb->total > wb->limits->max_total) {
      char a[RELEVE_NUMBER_SIZE];
      return wb_fail(wb, -EFBIG, 0, 0,
                     "classeur de plus de %s Mo une fois décompressé : au-delà de la limite ; "
                     "envoyez la feuille seule, ou au format CSV",
                     wb_count_text(wb->limits->max_total >> 20, a));
    }
    if (n == 0)
      s->finished = 1;
    enum XML_Status st = XML_Parse(s->parser, s->buf, (int)n, n == 0);
    if (st == XML_STATUS_SUSPENDED) {
      s->suspended = 1;
      return 1;
    }
    if (st == XML_STATUS_ERROR)
      return s->done ? 0 : xml_failure(wb, s);
  }
}

void wb_stream_done(wb_stream *s) {
  s->done = 1;
  XML_StopParser(s->parser, XML_FALSE);
}

int wb_parse_part(releve_workbook *wb, const char *part, void *ud, XML_StartElementHandler start,
                  XML_EndElementHandler end, XML_CharacterDataHandler text) {
  wb_stream *s = malloc(sizeof *s);
  if (s == NULL)
    return wb_fail(wb, -ENOMEM, 0, 0, "mémoire insuffisante");
  int rc = wb_stream_open(wb, s, part, ud, start, end, text);
  while (rc == 1)
    rc = wb_stream_run(wb, s) < 0 ? wb->err : 2;
  if (rc == 2)
    rc = 1;
  wb_stream_close(s);
  free(s);
  return rc;
}
