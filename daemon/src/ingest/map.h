/* map.h -- turning a plugin's rows into observations, with rules kept in
 * configuration (an actor's "mapping"). Three kinds:
 *
 *   long  one row per figure: columns naming the indicator, period,
 *         geography, value, share, status and comment (the référentiel's own
 *         collection template; the default when no mapping is configured).
 *   wide  one column per indicator: each row gives one period and geography,
 *         each mapped column one figure.
 *   rows  one row per school, commune or person: each indicator is a count,
 *         sum, mean or share over the rows matching filters, grouped by
 *         period and geography. Rows are never stored, only the aggregates.
 *
 *   "mapping": {
 *     "kind": "long" | "wide" | "rows",
 *     "columns": {"indicator": "indicateur", "period": "periode", …},    long
 *     "period": {"column": "annee", "format": "year"} | {"value": "2019"}
 *             | {"start": "date_debut", "end": "date_fin", "format": "date"},  rows
 *     "geography": {"column": "commune", "codes": {"75118": "75118"},
 *                   "default": "QPV", "unmapped": "error" | "skip"}
 *                | {"value": "QPV"}
 *                | {"address": {"number": "adresse_numero", "street": "adresse_voie",
 *                               "complement": "adresse_complement",
 *                               "postcode": "code_postal", "city": "commune"},
 *                   "levels": ["quartier", "QPV", "QP", "PARIS"]},     rows
 *     "filters": {"sexe": ["Total"]},                      rows kept at all
 *     "indicators": {
 *        "T05.1": "nombre_de_demandeurs_d_emploi",                      wide
 *        "T05.1": {"column": "n", "share_column": "part"},              wide
 *        "G03.1": {"op": "count", "where": {"ep": ["REP", "REP+"]}},    rows
 *        "G03.2": {"op": "sum", "column": "effectifs", "where": {…}},   rows
 *        "G09.2": {"op": "mean", "column": "ips"},                      rows
 *        "G20.1": {"op": "share", "where": {…}, "of": {…}},             rows
 *        "T26.1": {"op": "count_distinct", "key": "id_jeune",          rows
 *                  "where": {…}, "period": {…}}
 *     }
 *   }
 *
 * count_distinct counts the distinct values of the key column among the
 * matching rows of each group (a person with two dossiers counts once); a
 * row with an empty key is reported and not counted. Memory is bounded:
 * each group holds a set of 64-bit hashes of its keys (8 to 32 bytes per
 * distinct key, open addressing kept at most half full), and a file may
 * hold at most 16 777 216 keys across its groups (then it is refused, with
 * a report). The keys are hashed with a salt drawn for each file; the
 * keys themselves are never stored, logged or quoted in a report (two keys
 * sharing a hash, about one chance in 10^7 for a million people, would
 * count once).
 *
 * An interval period ("start" and "end" columns, format "year" or "date")
 * counts a row for every year Y its [start, end] overlaps: "jeunes en CEJ
 * en 2019" counts everyone whose CEJ began in 2019 or before and ended in
 * 2019 or after, or has not ended (an empty end is open). The years are
 * those of the contract up to the current one (releve_mapper_set_years);
 * an end before its start is reported. An indicator of a rows mapping may
 * carry its own "period" (any of the three forms), which replaces the
 * mapping's for it: sorties counted by the year they ended, presence by
 * interval, in one mapping.
 *
 * Period formats: "year" (2019, 2019-12, 2019-T4 → 2019), "school_year"
 * (2018-2019), "date" (YYYY-MM-DD → its year). Geography codes map a cell's
 * text to a geography (PARIS, QP, QPV, QVA, QP075001, 75118, REP, REP+); a
 * cell that is already a geography needs no entry.
 *
 * A geography by address places each row through the address reference
 * (addr_match.h; "street" is the one column required, "suffix" names a
 * separate suffix column). "levels" says what each row is counted under:
 * "quartier" its QPV or QVA code, "QPV" the scope QPV or QVA it lies in,
 * "QP" the whole priority geography, "PARIS" every row, placed or not (the
 * city total that shares need). A row outside the QPV and QVA counts only
 * under PARIS; a row whose address is not found counts only under PARIS
 * and its line number (never its address) is reported to the partner. */
#ifndef RELEVE_MAP_H
#define RELEVE_MAP_H

#include <jansson.h>

#include "referentiel/referentiel.h"
#include "util/json.h"

#endif

#ifndef RELEVE_MAP_ENGINE
#define RELEVE_MAP_ENGINE
#include "referentiel/observation.h"

typedef struct releve_mapper releve_mapper;

/* Receives each figure the mapping makes; non-zero stops the file. */
typedef int (*releve_candidate_cb)(void *ud, const releve_candidate *c);
/* Receives a problem with a row (French text for the partner). */
typedef void (*releve_map_error_cb)(void *ud, unsigned long line, unsigned column,
                                    const char *value, const char *message);

/* A mapper for one file. mapping NULL means a long file with the
 * template's column names. NULL on allocation failure. */
releve_mapper *releve_mapper_new(json_t *mapping, releve_candidate_cb on_candidate,
                                 releve_map_error_cb on_error, void *ud);
/* The file's columns: every column the mapping names must be there
 * (-EBADMSG, reported, otherwise). */
int releve_mapper_columns(releve_mapper *m, const char *const *names, size_t n);
int releve_mapper_row(releve_mapper *m, unsigned long line, const releve_cell *cells, size_t n);
/* End of file: a rows mapping emits its aggregates now. */
int releve_mapper_finish(releve_mapper *m);
/* What the partner should know about the whole file: how the addresses
 * were matched (warning 0) and which lines were not found (warning 1).
 * Line numbers and counts only, never an address. */
typedef void (*releve_map_note_cb)(void *ud, int warning, const char *message);
struct releve_addr_ref;
/* The reference a geography by address places rows with (NULL: such a
 * mapping refuses the file). Call before releve_mapper_columns(). */
void releve_mapper_set_addresses(releve_mapper *m, const struct releve_addr_ref *ref,
                                 releve_map_note_cb on_note);
/* The years an interval period counts (first to last, both included);
 * without it, from the record's start year to the current year. Call
 * before the first row. */
void releve_mapper_set_years(releve_mapper *m, int first, int last);
/* Rows left out by filters or an unmapped geography set to "skip". */
unsigned long releve_mapper_skipped(const releve_mapper *m);
void releve_mapper_free(releve_mapper *m);
#endif
