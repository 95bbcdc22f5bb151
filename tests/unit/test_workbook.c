/* test_workbook.c -- the .xlsx and .ods readers (workbook.c): values, dates,
 * formulas, merged ranges, rows, and every hostile workbook, built here
 * part by part with libzip. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include <cmocka.h>

#include "report/report.h"
#include "testutil.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/fs.h"
#include "decode/workbook.h"

static char *dir;
static int serial;
static int store_all; /* write every part uncompressed */

/* ---- building workbooks ------------------------------------------------ */

typedef struct part {
  const char *name;
  const char *text; /* NULL: data/size */
  const void *data;
  size_t size;
  int store;        /* no compression */
} part;

/* Writes the parts as a zip archive; returns its path (malloc'ed). */
static char *make_zip(const part *parts, size_t n) {
  char *path = releve_str_printf("%s/book%d.zip", dir, serial++);
  int err = 0;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  assert_non_null(z);
  for (size_t i = 0; i < n; i++) {
    const void *data = parts[i].text ? parts[i].text : parts[i].data;
    size_t size = parts[i].text ? strlen(parts[i].text) : parts[i].size;
    zip_source_t *src = zip_source_buffer(z, data, size, 0);
    assert_non_null(src);
    zip_int64_t at = zip_file_add(z, parts[i].name, src, ZIP_FL_OVERWRITE);
    assert_true(at >= 0);
    if (parts[i].store || store_all)
      assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)at, ZIP_CM_STORE, 0), 0);
  }
  assert_int_equal(zip_close(z), 0);
  return path;
}

static const char *const WB_HEAD =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">";
static const char *const RELS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
/* Styles: 0 plain, 1 a built-in date, 2 a built-in percentage, 3 a custom
 * date, 4 a custom percentage, 5 a custom number with a quoted "d". */
static const char *const STYLES =
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00%\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"#,##0&quot; d&quot;\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"10\"/>"
    "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/></cellXfs>"
    "</styleSheet>";
static const char *const STRINGS =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\">"
    "<si><t>indicateur</t></si>"
    "<si><r><t>1 </t></r><r><rPr><b/></rPr><t>234</t></r><rPh><t>x</t></rPh></si>"
    "<si><t xml:space=\"preserve\">  Écoles </t></si></sst>";

static char *sheet_xml(const char *rows, const char *after) {
  return releve_str_printf(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<sheetData>%s</sheetData>%s</worksheet>",
      rows, after ? after : "");
}

/* An .xlsx with sheets "Feuil1" (rows1) and "Données 2" (rows2). */
static char *make_xlsx(const char *wbpr, const char *rows1, const char *after1,
                       const char *rows2) {
  char *book = releve_str_printf("%s%s<sheets><sheet name=\"Feuil1\" sheetId=\"1\" r:id=\"rId1\"/>"
                              "<sheet name=\"Données 2\" sheetId=\"2\" r:id=\"rId2\"/></sheets>"
                              "</workbook>",
                              WB_HEAD, wbpr ? wbpr : "");
  char *s1 = sheet_xml(rows1, after1), *s2 = sheet_xml(rows2 ? rows2 : "", NULL);
  part parts[] = {{"xl/workbook.xml", book, NULL, 0, 0},
                  {"xl/_rels/workbook.xml.rels", RELS, NULL, 0, 0},
                  {"xl/styles.xml", STYLES, NULL, 0, 0},
                  {"xl/sharedStrings.xml", STRINGS, NULL, 0, 0},
                  {"xl/worksheets/sheet1.xml", s1, NULL, 0, 0},
                  {"xl/worksheets/sheet2.xml", s2, NULL, 0, 0}};
  char *path = make_zip(parts, sizeof parts / sizeof parts[0]);
  free(book);
  free(s1);
  free(s2);
  return path;
}

static char *make_ods(const char *tables) {
  char *content = releve_str_printf(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<office:document-content "
      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\">"
      "<office:body><office:spreadsheet>%s</office:spreadsheet></office:body>"
      "</office:document-content>",
      tables);
  part parts[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", NULL, 0, 1},
                  {"content.xml", content, NULL, 0, 0}};
  char *path = make_zip(parts, 2);
  free(content);
  return path;
}

/* ---- reading them ------------------------------------------------------ */

typedef struct run {
  releve_buf out;   /* "12: A=T'x' B=N'1234'(1234)" lines and "! R:C message" */
  int rc;           /* open, select or next's failure, else 0 */
  int opened;
} run;

static void on_problem(void *ud, unsigned long row, unsigned column, const char *message) {
  run *r = ud;
  releve_buf_addf(&r->out, "! %lu:%u %s\n", row, column, message);
}

/* Opens path and reads sheet index with the given limits (NULL: defaults). */
static void read_book(run *r, const char *path, size_t index,
                      const releve_workbook_limits *limits) {
  *r = (run){RELEVE_BUF_INIT, 0, 0};
  releve_buf_adds(&r->out, "");
  int fd = open(path, O_RDONLY);
  assert_true(fd >= 0);
  releve_workbook_sink sink = {r, on_problem, limits};
  releve_workbook *wb = NULL;
  int rc = releve_workbook_open(fd, &sink, &wb);
  r->opened = rc;
  if (rc == 1 && (rc = releve_workbook_select(wb, index)) == 0) {
    releve_workbook_row row;
    while ((rc = releve_workbook_next(wb, &row)) == 1) {
      releve_buf_addf(&r->out, "%lu:", row.row);
      for (size_t i = 0; i < row.n; i++) {
        const releve_cell *c = &row.cells[i];
        char ref[24];
        assert_int_equal(c->column, i + 1);
        if (c->kind == RELEVE_CELL_EMPTY) {
          assert_string_equal(c->text, "");
          continue;
        }
        releve_buf_addf(&r->out, " %s=%c'%s'", releve_report_cell_ref(c->column, 0, ref),
                        c->kind == RELEVE_CELL_NUMBER ? 'N' : 'T', c->text);
        if (c->kind == RELEVE_CELL_NUMBER)
          releve_buf_addf(&r->out, "(%.15g)", c->number);
      }
      releve_buf_adds(&r->out, "\n");
    }
  }
  r->rc = rc < 0 ? rc : 0;
  releve_workbook_free(wb);
  close(fd);
}

#define EXPECT(r, text) expect_text(&(r), (text), __LINE__)
static void expect_text(run *r, const char *want, int line) {
  if (strcmp(r->out.data, want) != 0) {
    print_error("line %d: got\n%s\nwanted\n%s\n", line, r->out.data, want);
    fail();
  }
}

/* The first problem reported holds needle. */
#define EXPECT_REFUSED(r, rc_want, needle) expect_refused(&(r), (rc_want), (needle), __LINE__)
static void expect_refused(run *r, int rc_want, const char *needle, int line) {
  if (r->rc != rc_want || strstr(r->out.data, needle) == NULL) {
    print_error("line %d: rc %d (wanted %d), output\n%s\nwithout « %s »\n", line, r->rc, rc_want,
                r->out.data, needle);
    fail();
  }
}

static void done(run *r) { releve_buf_free(&r->out); }

/* ---- values ------------------------------------------------------------ */

static void test_xlsx_values(void **state) {
  (void)state;
  char *path = make_xlsx(
      NULL,
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>valeur"
      "</t></is></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>1234.5</v></c>"
      "<c r=\"C2\" t=\"inlineStr\"><is><r><t>12,</t></r><r><t>5</t></r></is></c>"
      "<c r=\"D2\" t=\"str\"><v>93,20%</v></c><c r=\"E2\" t=\"b\"><v>1</v></c>"
      "<c r=\"F2\" t=\"e\"><v>#DIV/0!</v></c><c r=\"G2\"><v>1.5E-3</v></c>"
      "<c r=\"H2\"><v>-2.5E+20</v></c><c r=\"I2\" s=\"5\"><v>3</v></c></row>"
      "<row><c><v>7</v></c><c/><c><v>8</v></c><c t=\"inlineStr\"><is><t>a&#13;\nb&#13;c"
      "</t></is></c></row>",
      NULL, NULL);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT(r, "1: A=T'indicateur' B=T'valeur' C=T'  Écoles '\n"
            "2: A=T'1 234' B=N'1234,5'(1234.5) C=T'12,5' D=T'93,20%' E=T'VRAI' F=T'#DIV/0!' "
            "G=N'0,0015'(0.0015) H=N'-250000000000000000000'(-2.5e+20) I=N'3'(3)\n"
            "3: A=N'7'(7) C=N'8'(8) D=T'a\nb\nc'\n");
  assert_int_equal(r.rc, 0);
  done(&r);
  free(path);
}

static void test_xlsx_dates(void **state) {
  (void)state;
  const char *rows =
      "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>43830</v></c><c r=\"B1\" s=\"3\"><v>43830.5</v></c>"
      "<c r=\"C1\" s=\"2\"><v>0.932</v></c><c r=\"D1\" s=\"4\"><v>0.125</v></c>"
      "<c r=\"E1\" s=\"1\"><v>60</v></c><c r=\"F1\" s=\"1\"><v>59</v></c>"
      "<c r=\"G1\" s=\"1\"><v>61</v></c><c r=\"H1\" t=\"d\"><v>2019-12-31</v></c></row>";
  char *p1900 = make_xlsx(NULL, rows, NULL, NULL);
  char *p1904 = make_xlsx("<workbookPr date1904=\"1\"/>", rows, NULL, NULL);
  run r;
  read_book(&r, p1900, 0, NULL);
  EXPECT(r, "1: A=T'2019-12-31' B=T'2019-12-31 12:00:00' C=N'93,2'(93.2) D=N'12,5'(12.5) "
            "E=T'1900-02-29' F=T'1900-02-28' G=T'1900-03-01' H=T'2019-12-31'\n");
  done(&r);
  read_book(&r, p1904, 0, NULL);
  EXPECT(r, "1: A=T'2024-01-01' B=T'2024-01-01 12:00:00' C=N'93,2'(93.2) D=N'12,5'(12.5) "
            "E=T'1904-03-01' F=T'1904-02-29' G=T'1904-03-02' H=T'2019-12-31'\n");
  done(&r);
  free(p1900);
  free(p1904);
}

static void test_xlsx_formulas(void **state) {
  (void)state;
  char *path = make_xlsx(NULL,
                         "<row r=\"11\"><c r=\"A11\"><f>1+2</f><v>3</v></c>"
                         "<c r=\"B11\" t=\"str\"><f>\"a\"&amp;\"b\"</f><v>ab</v></c></row>"
                         "<row r=\"12\"><c r=\"A12\"><v>4</v></c><c r=\"E12\"><f>SUM(A1:A3)</f>"
                         "</c></row>",
                         NULL, NULL);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT(r, "11: A=N'3'(3) B=T'ab'\n"
            "! 12:5 formule sans valeur calculée (cellule E12) : ouvrez le classeur dans Excel "
            "ou LibreOffice et enregistrez-le, pour que la valeur y soit écrite\n"
            "12: A=N'4'(4)\n");
  assert_int_equal(r.rc, 0);
  done(&r);
  free(path);
}

static void test_xlsx_merged_hidden_trailing(void **state) {
  (void)state;
  char *path = make_xlsx(NULL,
                         "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Action 1</t></is></c>"
                         "<c r=\"B1\"><v>1</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>titre</t>"
                         "</is></c></row>"
                         "<row r=\"2\" hidden=\"1\"><c r=\"B2\"><v>2</v></c></row>"
                         "<row r=\"3\"><c r=\"B3\"><v>3</v></c></row>"
                         "<row r=\"4\"><c r=\"B4\"><v>4</v></c></row>"
                         "<row r=\"5\"/><row r=\"6\"><c r=\"A6\" s=\"1\"/></row><row r=\"7\"/>",
                         "<mergeCells count=\"2\"><mergeCell ref=\"A1:A3\"/>"
                         "<mergeCell ref=\"C1:D1\"/></mergeCells>",
                         NULL);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT(r, "1: A=T'Action 1' B=N'1'(1) C=T'titre' D=T'titre'\n"
            "2: A=T'Action 1' B=N'2'(2)\n"
            "3: A=T'Action 1' B=N'3'(3)\n"
            "4: B=N'4'(4)\n");
  done(&r);
  free(path);
}

static void test_xlsx_sheets(void **state) {
  (void)state;
  char *path = make_xlsx(NULL, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", NULL,
                         "<row r=\"3\"><c r=\"B3\"><v>2</v></c></row>");
  int fd = open(path, O_RDONLY);
  run r = {RELEVE_BUF_INIT, 0, 0};
  releve_workbook_sink sink = {&r, on_problem, NULL};
  releve_workbook *wb;
  assert_int_equal(releve_workbook_open(fd, &sink, &wb), 1);
  assert_int_equal(releve_workbook_count(wb), 2);
  assert_string_equal(releve_workbook_name(wb, 0), "Feuil1");
  assert_string_equal(releve_workbook_name(wb, 1), "Données 2");
  assert_null(releve_workbook_name(wb, 2));
  releve_workbook_free(wb);
  close(fd);
  read_book(&r, path, 1, NULL);
  EXPECT(r, "3: B=N'2'(2)\n");
  done(&r);
  free(path);
}

/* The same in an .xlsx: a row inside a cell of a row, a cell outside any row. */
static void test_xlsx_misplaced(void **state) {
  (void)state;
  char *path = make_xlsx(
      NULL,
      "<c r=\"A1\" t=\"inlineStr\"><is><t>hors ligne</t></is></c>"
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a<row r=\"2\"><c r=\"B2\"><v>5</v>"
      "</c></row></t></is></c><c><c><v>6</v></c><v>7</v></c></row>"
      "<row><c><v>8</v></c></row>",
      NULL, NULL);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT(r, "1: A=T'a' B=N'7'(7)\n"
            "2: A=N'8'(8)\n");
  assert_int_equal(r.rc, 0);
  done(&r);
  free(path);
}

static void test_ods_values(void **state) {
  (void)state;
  char *path = make_ods(
      "<table:table table:name=\"Mode d'emploi\"><table:table-row><table:table-cell "
      "office:value-type=\"string\"><text:p>À lire</text:p></table:table-cell></table:table-row>"
      "</table:table>"
      "<table:table table:name=\"Feuil1\">"
      "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>ind</text:p>"
      "<office:annotation><dc:creator>x</dc:creator><text:p>note</text:p></office:annotation>"
      "</table:table-cell><table:table-cell table:number-columns-repeated=\"2\" "
      "office:value-type=\"float\" office:value=\"1234.5\"><text:p>1 234,5</text:p>"
      "</table:table-cell><table:table-cell office:value-type=\"percentage\" "
      "office:value=\"0.932\"><text:p>93,20 %</text:p></table:table-cell>"
      "<table:table-cell office:value-type=\"date\" office:date-value=\"2019-12-31\">"
      "<text:p>31/12/2019</text:p></table:table-cell><table:table-cell "
      "office:value-type=\"boolean\" office:boolean-value=\"false\"><text:p>FAUX</text:p>"
      "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>a<text:s "
      "text:c=\"2\"/>b</text:p><text:p><text:span>c</text:span></text:p></table:table-cell>"
      "<table:table-cell office:value-type=\"string\" office:string-value=\"attr\"/>"
      "<table:table-cell table:number-columns-repeated=\"1015\"/></table:table-row>"
      "<table:table-row table:visibility=\"collapse\"><table:table-cell "
      "table:number-columns-spanned=\"2\" table:number-rows-spanned=\"2\" "
      "office:value-type=\"string\"><text:p>fusion</text:p></table:table-cell>"
      "<table:covered-table-cell/><table:table-cell table:formula=\"of:=[.A1]\" "
      "office:value-type=\"float\" office:value=\"3\"><text:p>3</text:p></table:table-cell>"
      "</table:table-row>"
      "<table:table-row><table:covered-table-cell table:number-columns-repeated=\"2\"/>"
      "<table:table-cell table:formula=\"of:=SUM([.A1:.A3])\"/></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell "
      "office:value-type=\"string\"><text:p>bis</text:p></table:table-cell></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell "
      "table:number-columns-repeated=\"1024\"/></table:table-row>"
      "</table:table>");
  run r;
  read_book(&r, path, 1, NULL);
  EXPECT(r, "1: A=T'ind' B=N'1234,5'(1234.5) C=N'1234,5'(1234.5) D=N'93,2'(93.2) "
            "E=T'2019-12-31' F=T'FAUX' G=T'a  b\nc' H=T'attr'\n"
            "2: A=T'fusion' B=T'fusion' C=N'3'(3)\n"
            "! 3:3 formule sans valeur calculée (cellule C3) : ouvrez le classeur dans "
            "LibreOffice ou Excel et enregistrez-le, pour que la valeur y soit écrite\n"
            "3: A=T'fusion' B=T'fusion'\n"
            "4: A=T'bis'\n"
            "5: A=T'bis'\n");
  assert_int_equal(r.rc, 0);
  done(&r);
  read_book(&r, path, 0, NULL);
  EXPECT(r, "1: A=T'À lire'\n");
  done(&r);
  free(path);
}

/* Rows and cells nested where ODS has none (a row in a row, a cell in a cell
 * or outside a row) are passed over whole: the rows around them keep their
 * numbers, each given once. */
static void test_ods_misplaced(void **state) {
  (void)state;
  char *path = make_ods(
      "<table:table table:name=\"T\"><table:table-cell office:value-type=\"string\">"
      "<text:p>hors ligne</text:p></table:table-cell>"
      "<table:table-row><table:table-row table:number-rows-repeated=\"3\"><table:table-cell "
      "office:value-type=\"string\"><text:p>a</text:p></table:table-cell></table:table-row>"
      "<table:table-cell office:value-type=\"string\"><text:p>b<table:table-cell "
      "office:value-type=\"string\"><text:p>c</text:p></table:table-cell></text:p>"
      "</table:table-cell></table:table-row>"
      "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>d</text:p>"
      "</table:table-cell></table:table-row></table:table>");
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT(r, "1: A=T'b'\n"
            "2: A=T'd'\n");
  assert_int_equal(r.rc, 0);
  done(&r);
  free(path);
}

static void test_not_a_workbook(void **state) {
  (void)state;
  char *path = test_file(dir, "plain.csv", "indicateur;valeur\nA;1\n");
  int fd = open(path, O_RDONLY);
  run r = {RELEVE_BUF_INIT, 0, 0};
  releve_workbook_sink sink = {&r, on_problem, NULL};
  releve_workbook *wb = (releve_workbook *)&r;
  assert_int_equal(releve_workbook_open(fd, &sink, &wb), 0);
  assert_null(wb);
  assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
  assert_null(r.out.data);
  close(fd);
  free(path);
}

/* ---- hostile workbooks ---------------------------------------------------- */

static void test_xls_and_encrypted_ole(void **state) {
  (void)state;
  unsigned char ole[4096] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  char *xls = releve_str_printf("%s/old.xls", dir), *enc = releve_str_printf("%s/enc.xlsx", dir);
  assert_int_equal(releve_fs_write_atomic(xls, ole, sizeof ole, 0644), 0);
  /* Where an encrypted OOXML package names its stream, across a 64 KiB
   * read boundary of the scan. */
  size_t size = 70000;
  unsigned char *big = calloc(1, size);
  memcpy(big, ole, 8);
  const char *name = "EncryptedPackage";
  for (size_t i = 0; i < 16; i++)
    big[65530 + 2 * i] = (unsigned char)name[i];
  assert_int_equal(releve_fs_write_atomic(enc, big, size, 0644), 0);
  run r;
  read_book(&r, xls, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "classeur Excel 97-2003 (.xls)");
  EXPECT_REFUSED(r, -EBADMSG, "enregistrez au format .xlsx ou .ods");
  done(&r);
  read_book(&r, enc, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "protégé par un mot de passe");
  done(&r);
  free(big);
  free(xls);
  free(enc);
}

static void test_encrypted_zip_entry(void **state) {
  (void)state;
  char *path = make_xlsx(NULL, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", NULL, NULL);
  int err = 0;
  zip_t *z = zip_open(path, 0, &err);
  assert_non_null(z);
  zip_int64_t at = zip_name_locate(z, "xl/worksheets/sheet1.xml", 0);
  assert_true(at >= 0);
  assert_int_equal(zip_file_set_encryption(z, (zip_uint64_t)at, ZIP_EM_AES_256, "secret"), 0);
  assert_int_equal(zip_close(z), 0);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "protégé par un mot de passe (partie « xl/worksheets/sheet1.xml »");
  done(&r);
  free(path);
}

static void test_encrypted_ods(void **state) {
  (void)state;
  const char *manifest =
      "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
      "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\">"
      "<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\"/></manifest:file-entry>"
      "</manifest:manifest>";
  unsigned char noise[512];
  for (size_t i = 0; i < sizeof noise; i++)
    noise[i] = (unsigned char)(i * 37 + 11);
  part parts[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", NULL, 0, 1},
                  {"META-INF/manifest.xml", manifest, NULL, 0, 0},
                  {"content.xml", NULL, noise, sizeof noise, 1}};
  char *path = make_zip(parts, 3);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "protégé par un mot de passe (chiffré)");
  done(&r);
  free(path);
}

static void test_truncated(void **state) {
  (void)state;
  char *path = make_xlsx(NULL, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", NULL, NULL);
  char *data;
  size_t len;
  assert_int_equal(releve_fs_read_file(path, &data, &len), 0);
  assert_int_equal(releve_fs_write_atomic(path, data, len / 2, 0644), 0);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "archive du classeur abîmée ou tronquée");
  done(&r);
  free(data);
  free(path);
}

static void test_other_zip(void **state) {
  (void)state;
  part parts[] = {{"word/document.xml", "<w/>", NULL, 0, 0}};
  char *path = make_zip(parts, 1);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "ni un classeur .xlsx ni un classeur .ods");
  done(&r);
  free(path);
}

static void test_zip_bomb_ratio(void **state) {
  (void)state;
  size_t size = 24u << 20;
  char *zeros = malloc(size + 1);
  memset(zeros, ' ', size);
  zeros[size] = '\0';
  memcpy(zeros, "<worksheet>", 11);
  part parts[] = {{"xl/workbook.xml", "<workbook/>", NULL, 0, 0},
                  {"xl/worksheets/sheet1.xml", NULL, zeros, size, 0}};
  char *path = make_zip(parts, 2);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT_REFUSED(r, -EFBIG, "partie « xl/worksheets/sheet1.xml » du classeur : taux de "
                            "compression de");
  EXPECT_REFUSED(r, -EFBIG, "« bombe zip »");
  done(&r);
  free(zeros);
  free(path);
}

/* The size caps, made small so that the test stays small. */
static void test_zip_bomb_sizes(void **state) {
  (void)state;
  size_t size = 1600000;
  char *row = malloc(size + 1);
  for (size_t i = 0; i < size; i++)
    row[i] = (char)('a' + (i * 7919 % 26));
  row[size] = '\0';
  part two[] = {{"xl/workbook.xml", "<workbook/>", NULL, 0, 0},
                {"a.bin", row, NULL, 0, 1},
                {"b.bin", row, NULL, 0, 1}};
  char *path = make_zip(two, 3);
  releve_workbook_limits total = {4u << 20, 2u << 20, 100};
  run r;
  read_book(&r, path, 0, &total);
  EXPECT_REFUSED(r, -EFBIG, "classeur de plus de 2 Mo une fois décompressé");
  done(&r);
  releve_workbook_limits part_cap = {1u << 20, 8u << 20, 100};
  read_book(&r, path, 0, &part_cap);
  EXPECT_REFUSED(r, -EFBIG, "partie « a.bin » du classeur : 2 Mo une fois décompressée, "
                            "au-delà de la limite de 1 Mo");
  done(&r);
  free(row);
  free(path);
}

static void test_entities(void **state) {
  (void)state;
  const char *lol =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol3;</t></is>"
      "</c></row></sheetData></worksheet>";
  const char *external =
      "<?xml version=\"1.0\"?><!DOCTYPE worksheet SYSTEM \"file:///etc/passwd\">"
      "<worksheet><sheetData/></worksheet>";
  char *book = releve_str_printf("%s<sheets><sheet name=\"Feuil1\" sheetId=\"1\" r:id=\"rId1\"/>"
                              "</sheets></workbook>",
                              WB_HEAD);
  for (int k = 0; k < 2; k++) {
    part parts[] = {{"xl/workbook.xml", book, NULL, 0, 0},
                    {"xl/_rels/workbook.xml.rels", RELS, NULL, 0, 0},
                    {"xl/worksheets/sheet1.xml", k ? external : lol, NULL, 0, 0}};
    char *path = make_zip(parts, 3);
    run r;
    read_book(&r, path, 0, NULL);
    EXPECT_REFUSED(r, -EBADMSG, "partie « xl/worksheets/sheet1.xml » du classeur : "
                                "déclaration DOCTYPE (entités XML) refusée");
    assert_null(strstr(r.out.data, "lollol"));
    assert_null(strstr(r.out.data, "root:"));
    done(&r);
    free(path);
  }
  /* In a part read at opening too. */
  char *bad = releve_str_printf("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY e \"x\">]>%s"
                             "</workbook>", WB_HEAD + strlen("<?xml version=\"1.0\" "
                                                              "encoding=\"UTF-8\" "
                                                              "standalone=\"yes\"?>\n"));
  part parts[] = {{"xl/workbook.xml", bad, NULL, 0, 0}};
  char *path = make_zip(parts, 1);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "partie « xl/workbook.xml » du classeur : déclaration DOCTYPE");
  done(&r);
  free(path);
  free(bad);
  free(book);
}

static void test_too_many_columns(void **state) {
  (void)state;
  releve_buf row = RELEVE_BUF_INIT;
  releve_buf_adds(&row, "<row r=\"2\">");
  for (int i = 0; i < 100000; i++)
    releve_buf_adds(&row, "<c><v>1</v></c>");
  releve_buf_adds(&row, "</row>");
  store_all = 1; /* else the compression ratio refuses it first */
  char *path = make_xlsx(NULL, row.data, NULL, NULL);
  store_all = 0;
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "! 2:0 valeur au-delà de la dernière colonne permise (XFD, "
                              "cellule XFE2)");
  done(&r);
  free(path);
  /* The same in an .ods, written as one cell repeated 100 000 times. */
  path = make_ods("<table:table table:name=\"T\"><table:table-row><table:table-cell "
                  "table:number-columns-repeated=\"100000\" office:value-type=\"float\" "
                  "office:value=\"1\"/></table:table-row></table:table>");
  read_book(&r, path, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "valeur au-delà de la dernière colonne permise");
  done(&r);
  free(path);
  releve_buf_free(&row);
}

static void test_million_empty_rows(void **state) {
  (void)state;
  releve_buf rows = RELEVE_BUF_INIT;
  releve_buf_adds(&rows, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
  for (int i = 0; i < 1000000; i++)
    releve_buf_adds(&rows, "<row/>");
  releve_buf_adds(&rows, "<row><c><v>2</v></c></row>");
  char *sheet = sheet_xml(rows.data, NULL);
  char *book = releve_str_printf("%s<sheets><sheet name=\"Feuil1\" sheetId=\"1\" r:id=\"rId1\"/>"
                              "</sheets></workbook>",
                              WB_HEAD);
  /* Stored, so that the compression ratio does not refuse it first. */
  part parts[] = {{"xl/workbook.xml", book, NULL, 0, 0},
                  {"xl/_rels/workbook.xml.rels", RELS, NULL, 0, 0},
                  {"xl/worksheets/sheet1.xml", sheet, NULL, 0, 1}};
  char *path = make_zip(parts, 3);
  run r;
  read_book(&r, path, 0, NULL);
  EXPECT_REFUSED(r, -EBADMSG, "feuille « Feuil1 » : plus de 100" RELEVE_NUMBER_SPACE "000 lignes vides à la suite");
  assert_non_null(strstr(r.out.data, "1: A=N'1'(1)\n"));
  done(&r);
  free(path);
  free(sheet);
  free(book);
  releve_buf_free(&rows);
}

static void test_refs(void **state) {
  (void)state;
  char out[24];
  assert_string_equal(releve_report_cell_ref(5, 12, out), "E12");
  assert_string_equal(releve_report_cell_ref(26, 1, out), "Z1");
  assert_string_equal(releve_report_cell_ref(27, 1, out), "AA1");
  assert_string_equal(releve_report_cell_ref(16384, 1048576, out), "XFD1048576");
}

int main(void) {
  dir = test_dir("workbook");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_xlsx_values),
      cmocka_unit_test(test_xlsx_dates),
      cmocka_unit_test(test_xlsx_formulas),
      cmocka_unit_test(test_xlsx_merged_hidden_trailing),
      cmocka_unit_test(test_xlsx_sheets),
      cmocka_unit_test(test_xlsx_misplaced),
      cmocka_unit_test(test_ods_values),
      cmocka_unit_test(test_ods_misplaced),
      cmocka_unit_test(test_not_a_workbook),
      cmocka_unit_test(test_xls_and_encrypted_ole),
      cmocka_unit_test(test_encrypted_zip_entry),
      cmocka_unit_test(test_encrypted_ods),
      cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_other_zip),
      cmocka_unit_test(test_zip_bomb_ratio),
      cmocka_unit_test(test_zip_bomb_sizes),
      cmocka_unit_test(test_entities),
      cmocka_unit_test(test_too_many_columns),
      cmocka_unit_test(test_million_empty_rows),
      cmocka_unit_test(test_refs),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  free(dir);
  return failed;
}
