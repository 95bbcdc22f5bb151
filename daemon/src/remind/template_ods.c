/* template_ods.c -- the collection table as an OpenDocument spreadsheet
 * (ODF 1.3), the format State bodies must accept. The XML is generated here,
 * every text escaped; libzip makes the package in memory, "mimetype" first
 * and stored uncompressed as the ODF packaging rules want, so that
 * LibreOffice (and file(1)) know it from its first bytes. Same sheets and
 * columns as the xlsx form (template.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "remind/template.h"
#include "util/buf.h"
#include "util/log.h"

#define ODS_MIME "application/vnd.oasis.opendocument.spreadsheet"

#define NS_OFFICE "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
#define NS_ALL                                                                                  \
  NS_OFFICE " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""                  \
            " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""                    \
            " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""                  \
            " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""         \
            " xmlns:number=\"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0\""             \
            " xmlns:of=\"urn:oasis:names:tc:opendocument:xmlns:of:1.2\""
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* Text as XML character data or attribute value: markup characters become
 * entities and control characters (forbidden in XML 1.0) are dropped. */
static int esc(releve_buf *b, const char *s) {
  int rc = 0;
  for (; *s && rc == 0; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '&')
      rc = releve_buf_adds(b, "&amp;");
    else if (c == '<')
      rc = releve_buf_adds(b, "&lt;");
    else if (c == '>')
      rc = releve_buf_adds(b, "&gt;");
    else if (c == '"')
      rc = releve_buf_adds(b, "&quot;");
    else if (c >= 0x20 || c == '\t' || c == '\n')
      rc = releve_buf_add(b, s, 1);
  }
  return rc;
}

/* Cell styles, by name; the data styles they use come first. */
static const char automatic_styles[] =
    "<office:automatic-styles>"
    "<number:number-style style:name=\"Ncount\"><number:number number:decimal-places=\"0\" "
    "number:min-decimal-places=\"0\" number:min-integer-digits=\"1\" number:grouping=\"true\"/>"
    "</number:number-style>"
    "<number:number-style style:name=\"Npercent\"><number:number number:decimal-places=\"1\" "
    "number:min-decimal-places=\"1\" number:min-integer-digits=\"1\"/><number:text> %"
    "</number:text></number:number-style>"
    "<number:number-style style:name=\"Namount\"><number:number number:decimal-places=\"2\" "
    "number:min-decimal-places=\"2\" number:min-integer-digits=\"1\" number:grouping=\"true\"/>"
    "<number:text> €</number:text></number:number-style>"
    "<number:number-style style:name=\"Nref\"><number:number number:decimal-places=\"2\" "
    "number:min-decimal-places=\"0\" number:min-integer-digits=\"1\" number:grouping=\"true\"/>"
    "</number:number-style>"
    "<number:text-style style:name=\"Ntext\"><number:text-content/></number:text-style>"
    "<style:style style:name=\"ta\" style:family=\"table\" style:master-page-name=\"Default\">"
    "<style:table-properties table:display=\"true\"/></style:style>"
#define CELL(name, data, props, text)                                                           \
  "<style:style style:name=\"" name "\" style:family=\"table-cell\" "                           \
  "style:parent-style-name=\"Default\"" data "><style:table-cell-properties "                   \
  "fo:border=\"0.5pt solid #a6a6a6\" style:vertical-align=\"top\" " props "/>" text             \
  "</style:style>"
#define LOCKED "style:cell-protect=\"protected\""
#define OPEN "style:cell-protect=\"none\""
#define GREY "fo:background-color=\"#e7e6e6\" fo:wrap-option=\"wrap\" " LOCKED
    CELL("head", "", "fo:background-color=\"#bfbfbf\" fo:wrap-option=\"wrap\" " LOCKED,
         "<style:text-properties fo:font-weight=\"bold\"/>")
    CELL("ref", "", GREY, "")
    CELL("refnum", " style:data-style-name=\"Nref\"", GREY, "")
    CELL("fill", "", OPEN, "")
    CELL("fillcount", " style:data-style-name=\"Ncount\"", OPEN, "")
    CELL("fillpercent", " style:data-style-name=\"Npercent\"", OPEN, "")
    CELL("fillamount", " style:data-style-name=\"Namount\"", OPEN, "")
    CELL("filltext", " style:data-style-name=\"Ntext\"", "fo:wrap-option=\"wrap\" " OPEN, "")
    "<style:style style:name=\"title\" style:family=\"table-cell\" "
    "style:parent-style-name=\"Default\"><style:text-properties fo:font-size=\"14pt\" "
    "fo:font-weight=\"bold\"/></style:style>"
    "<style:style style:name=\"line\" style:family=\"table-cell\" "
    "style:parent-style-name=\"Default\"><style:table-cell-properties fo:wrap-option=\"wrap\" "
    "style:vertical-align=\"top\"/></style:style>";

static const char *const value_styles[4] = {[RELEVE_UNIT_COUNT] = "fillcount",
                                            [RELEVE_UNIT_PERCENT] = "fillpercent",
                                            [RELEVE_UNIT_AMOUNT] = "fillamount",
                                            [RELEVE_UNIT_TEXT] = "filltext"};

/* Row styles ro1…roN: the height of N lines of text. */
static int column_styles(releve_buf *b) {
  int rc = 0;
  for (int n = 1; n <= RELEVE_TEMPLATE_MAX_LINES; n++)
    rc |= releve_buf_addf(b,
                          "<style:style style:name=\"ro%d\" style:family=\"table-row\">"
                          "<style:table-row-properties style:row-height=\"%.2fcm\" "
                          "style:use-optimal-row-height=\"false\"/></style:style>",
                          n, 0.1 + 0.45 * n);
  rc |= releve_buf_addf(b, "<style:style style:name=\"cowide\" style:family=\"table-column\">"
                           "<style:table-column-properties style:column-width=\"%.2fcm\"/>"
                           "</style:style>",
                        RELEVE_TEMPLATE_NOTE_WIDTH * 0.21);
  for (int c = 0; c < RELEVE_TC_COUNT; c++)
    /* A character of the default font is about 0.21 cm wide. */
    rc |= releve_buf_addf(b,
                          "<style:style style:name=\"co%d\" style:family=\"table-column\">"
                          "<style:table-column-properties style:column-width=\"%.2fcm\"/>"
                          "</style:style>",
                          c, releve_template_columns[c].width * 0.21);
  return rc;
}

static int text_cell(releve_buf *b, const char *style, const char *text, const char *extra) {
  int rc = releve_buf_addf(b, "<table:table-cell table:style-name=\"%s\"%s", style, extra);
  if (*text == '\0')
    return rc | releve_buf_adds(b, "/>");
  rc |= releve_buf_adds(b, " office:value-type=\"string\"><text:p>");
  rc |= esc(b, text);
  return rc | releve_buf_adds(b, "</text:p></table:table-cell>");
}

static int row_cells(releve_buf *b, const releve_template_row *r) {
  int rc = releve_buf_addf(b, "<table:table-row table:style-name=\"ro%d\">",
                           releve_template_row_lines(r));
  for (int c = 0; c < RELEVE_TC_COUNT; c++) {
    const releve_template_value *v = releve_template_value_of(r, c);
    if (v && v->is_number)
      rc |= releve_buf_addf(b,
                            "<table:table-cell table:style-name=\"refnum\" "
                            "office:value-type=\"float\" office:value=\"%.17g\"><text:p>%s"
                            "</text:p></table:table-cell>",
                            v->number, v->text);
    else if (!releve_template_columns[c].fill)
      rc |= text_cell(b, "ref", releve_template_text(r, c), "");
    else if (c == RELEVE_TC_VALEUR)
      rc |= text_cell(b, value_styles[r->ind->unit], "", "");
    else if (c == RELEVE_TC_PART)
      rc |= text_cell(b, r->ind->share ? "fillpercent" : "fill", "", "");
    else if (c == RELEVE_TC_STATUT)
      rc |= text_cell(b, "filltext", "", " table:content-validation-name=\"statut\"");
    else
      rc |= text_cell(b, "filltext", "", "");
  }
  return rc | releve_buf_adds(b, "</table:table-row>");
}

static int validation(releve_buf *b) {
  int rc = releve_buf_adds(b, "<table:content-validations><table:content-validation "
                              "table:name=\"statut\" table:condition=\"of:cell-content-is-in-list(");
  for (size_t i = 0; releve_template_statuses[i]; i++) {
    rc |= releve_buf_adds(b, i ? ";&quot;" : "&quot;");
    rc |= esc(b, releve_template_statuses[i]);
    rc |= releve_buf_adds(b, "&quot;");
  }
  rc |= releve_buf_adds(
      b, ")\" table:allow-empty-cell=\"true\" table:display-list=\"unsorted\" "
         "table:base-cell-address=\"Tableau.A1\">"
         "<table:help-message table:title=\"Statut\" table:display=\"true\"><text:p>Vide : "
         "définitif. Sinon provisoire, estimé, secret ou non disponible.</text:p>"
         "</table:help-message><table:error-message table:title=\"Statut\" "
         "table:message-type=\"stop\" table:display=\"true\"><text:p>Choisissez un statut dans "
         "la liste (ou laissez la case vide pour un chiffre définitif).</text:p>"
         "</table:error-message></table:content-validation></table:content-validations>");
  return rc;
}

static int content(releve_buf *b, const releve_template *t, char **lines) {
  char title[64];
  int rc = releve_buf_adds(b, XML_DECL "<office:document-content " NS_ALL
                                       " office:version=\"1.3\">");
  rc |= releve_buf_adds(b, automatic_styles);
  rc |= column_styles(b);
  rc |= releve_buf_adds(b, "</office:automatic-styles><office:body><office:spreadsheet>");
  rc |= validation(b);
  rc |= releve_buf_adds(b, "<table:table table:name=\"Mode d&apos;emploi\" table:style-name=\"ta\">"
                           "<table:table-column table:style-name=\"cowide\"/>");
  for (size_t i = 0; lines[i]; i++) {
    rc |= releve_buf_addf(b, "<table:table-row table:style-name=\"ro%d\">",
                          i == 0 ? 2 : releve_template_lines(lines[i], RELEVE_TEMPLATE_NOTE_WIDTH));
    rc |= text_cell(b, i == 0 ? "title" : "line", lines[i], "");
    rc |= releve_buf_adds(b, "</table:table-row><table:table-row><table:table-cell/>"
                             "</table:table-row>");
  }
  rc |= releve_buf_adds(b, "</table:table><table:table table:name=\"Tableau\" "
                           "table:style-name=\"ta\" table:protected=\"true\">");
  for (int c = 0; c < RELEVE_TC_COUNT; c++)
    rc |= releve_buf_addf(b, "<table:table-column table:style-name=\"co%d\"/>", c);
  /* Header rows are repeated on every printed page. */
  rc |= releve_buf_adds(b, "<table:table-header-rows><table:table-row table:style-name=\"ro2\">");
  for (int c = 0; c < RELEVE_TC_COUNT; c++) {
    releve_template_title(t, c, 0, title, sizeof title);
    rc |= text_cell(b, "head", title, "");
  }
  rc |= releve_buf_adds(b, "</table:table-row></table:table-header-rows>");
  for (size_t i = 0; i < t->n && rc == 0; i++)
    rc |= row_cells(b, &t->rows[i]);
  rc |= releve_buf_addf(b,
                        "</table:table><table:database-ranges><table:database-range "
                        "table:name=\"__Anonymous_Sheet_DB__1\" "
                        "table:target-range-address=\"Tableau.A1:Tableau.%c%zu\" "
                        "table:display-filter-buttons=\"true\"/></table:database-ranges>"
                        "</office:spreadsheet></office:body></office:document-content>",
                        'A' + RELEVE_TC_COUNT - 1, t->n + 1);
  return rc;
}

/* The page: A4 landscape, one page wide, the actor and campaign on top. */
static int styles(releve_buf *b, const releve_template *t) {
  int rc = releve_buf_adds(
      b, XML_DECL "<office:document-styles " NS_ALL
                  " office:version=\"1.3\"><office:styles>"
                  "<style:default-style style:family=\"table-cell\"><style:text-properties "
                  "fo:language=\"fr\" fo:country=\"FR\"/></style:default-style>"
                  "<style:style style:name=\"Default\" style:family=\"table-cell\"/>"
                  "</office:styles><office:automatic-styles><style:page-layout "
                  "style:name=\"pm\"><style:page-layout-properties fo:page-width=\"29.7cm\" "
                  "fo:page-height=\"21cm\" style:print-orientation=\"landscape\" "
                  "style:scale-to-X=\"1\" style:scale-to-Y=\"0\" fo:margin-top=\"1cm\" "
                  "fo:margin-bottom=\"1cm\" fo:margin-left=\"1cm\" fo:margin-right=\"1cm\"/>"
                  "<style:header-style><style:header-footer-properties fo:min-height=\"0.6cm\" "
                  "fo:margin-bottom=\"0.3cm\"/></style:header-style>"
                  "<style:footer-style><style:header-footer-properties fo:min-height=\"0.6cm\" "
                  "fo:margin-top=\"0.3cm\"/></style:footer-style>"
                  "</style:page-layout></office:automatic-styles><office:master-styles>"
                  "<style:master-page style:name=\"Default\" style:page-layout-name=\"pm\">"
                  "<style:header><text:p>");
  rc |= esc(b, t->actor->name);
  rc |= releve_buf_addf(b, " — collecte %d</text:p></style:header><style:footer><text:p>Page "
                           "<text:page-number>1</text:page-number> / <text:page-count>1"
                           "</text:page-count></text:p></style:footer></style:master-page>"
                           "</office:master-styles></office:document-styles>",
                        t->year);
  return rc;
}

static int meta(releve_buf *b, const char *title) {
  int rc = releve_buf_adds(
      b, XML_DECL "<office:document-meta " NS_OFFICE
                  " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
                  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\">"
                  "<office:meta><meta:generator>relevé</meta:generator><dc:language>fr-FR"
                  "</dc:language><dc:title>");
  rc |= esc(b, title);
  return rc | releve_buf_adds(b, "</dc:title></office:meta></office:document-meta>");
}

/* Opens on the instructions; on "Tableau" the header row stays in view. */
static const char settings[] =
    XML_DECL "<office:document-settings " NS_OFFICE
    " xmlns:config=\"urn:oasis:names:tc:opendocument:xmlns:config:1.0\" office:version=\"1.3\">"
    "<office:settings><config:config-item-set config:name=\"ooo:view-settings\">"
    "<config:config-item-map-indexed config:name=\"Views\"><config:config-item-map-entry>"
    "<config:config-item config:name=\"ViewId\" config:type=\"string\">view1</config:config-item>"
    "<config:config-item-map-named config:name=\"Tables\">"
    "<config:config-item-map-entry config:name=\"Tableau\">"
    "<config:config-item config:name=\"VerticalSplitMode\" config:type=\"short\">2"
    "</config:config-item>"
    "<config:config-item config:name=\"VerticalSplitPosition\" config:type=\"int\">1"
    "</config:config-item>"
    "<config:config-item config:name=\"ActiveSplitRange\" config:type=\"short\">2"
    "</config:config-item>"
    "<config:config-item config:name=\"PositionTop\" config:type=\"int\">0</config:config-item>"
    "<config:config-item config:name=\"PositionBottom\" config:type=\"int\">1"
    "</config:config-item>"
    "</config:config-item-map-entry></config:config-item-map-named>"
    "<config:config-item config:name=\"ActiveTable\" config:type=\"string\">Mode d&apos;emploi"
    "</config:config-item>"
    "</config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set>"
    "</office:settings></office:document-settings>";

static const char manifest[] =
    XML_DECL "<manifest:manifest "
             "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
             "manifest:version=\"1.3\">"
             "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" "
             "manifest:media-type=\"" ODS_MIME "\"/>"
             "<manifest:file-entry manifest:full-path=\"content.xml\" "
             "manifest:media-type=\"text/xml\"/>"
             "<manifest:file-entry manifest:full-path=\"styles.xml\" "
             "manifest:media-type=\"text/xml\"/>"
             "<manifest:file-entry manifest:full-path=\"meta.xml\" "
             "manifest:media-type=\"text/xml\"/>"
             "<manifest:file-entry manifest:full-path=\"settings.xml\" "
             "manifest:media-type=\"text/xml\"/>"
             "</manifest:manifest>";

typedef struct part {
  const char *name;
  const char *data;
  size_t len;
} part;

/* Zips parts, in order, the first stored; the buffers stay the caller's
 * until zip_close has read them. */
static int package(const part *parts, size_t n, time_t stamp, releve_buf *out) {
  zip_error_t error;
  zip_source_t *src;
  zip_t *za;
  zip_stat_t st;
  int rc = -EIO;

  zip_error_init(&error);
  if ((src = zip_source_buffer_create(NULL, 0, 0, &error)) == NULL)
    goto fail;
  if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &error)) == NULL) {
    zip_source_free(src);
    goto fail;
  }
  zip_source_keep(src); /* read back after zip_close */
  for (size_t i = 0; i < n; i++) {
    zip_source_t *s = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
    zip_int64_t idx = s ? zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      zip_source_free(s);
      releve_err("ods: adding %s: %s", parts[i].name, zip_strerror(za));
      zip_discard(za);
      zip_source_free(src);
      return -EIO;
    }
    if (zip_set_file_compression(za, (zip_uint64_t)idx, i == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                 0) != 0 ||
        zip_file_set_mtime(za, (zip_uint64_t)idx, stamp, 0) != 0) {
      releve_err("ods: %s", zip_strerror(za));
      zip_discard(za);
      zip_source_free(src);
      return -EIO;
    }
  }
  if (zip_close(za) != 0) {
    releve_err("ods: %s", zip_strerror(za));
    zip_discard(za);
    zip_source_free(src);
    return -EIO;
  }
  zip_stat_init(&st);
  if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0) {
    zip_source_free(src);
    return -EIO;
  }
  if ((out->data = malloc(st.size + 1)) == NULL)
    rc = -ENOMEM;
  else if (zip_source_read(src, out->data, st.size) == (zip_int64_t)st.size) {
    out->len = st.size;
    out->cap = st.size + 1;
    out->data[st.size] = '\0';
    rc = 0;
  } else {
    free(out->data);
    out->data = NULL;
  }
  zip_source_close(src);
  zip_source_free(src);
  return rc;
fail:
  releve_err("ods: %s", zip_error_strerror(&error));
  zip_error_fini(&error);
  return rc;
}

int releve_template_ods(const releve_template *t, releve_buf *out) {
  releve_buf c = RELEVE_BUF_INIT, s = RELEVE_BUF_INIT, m = RELEVE_BUF_INIT;
  char **lines = releve_template_instructions(t);
  int rc = -ENOMEM;

  if (lines && content(&c, t, lines) == 0 && styles(&s, t) == 0 && meta(&m, lines[0]) == 0) {
    const part parts[] = {{"mimetype", ODS_MIME, sizeof ODS_MIME - 1},
                          {"META-INF/manifest.xml", manifest, sizeof manifest - 1},
                          {"content.xml", c.data, c.len},
                          {"styles.xml", s.data, s.len},
                          {"meta.xml", m.data, m.len},
                          {"settings.xml", settings, sizeof settings - 1}};
    rc = package(parts, sizeof parts / sizeof parts[0], releve_template_stamp(t), out);
  }
  releve_template_instructions_free(lines);
  releve_buf_free(&c);
  releve_buf_free(&s);
  releve_buf_free(&m);
  return rc;
}
