/* addr_ref.h -- the address reference: which address lies in which QPV or
 * QVA, loaded once from the configured file ("addresses" in releve.json)
 * and indexed in hash tables so that matching costs a few lookups.
 *
 *   "addresses": {
 *     "file": "adresses-75-qp.csv",
 *     "format": "ban" | "plain",
 *     "columns": {"number": "numero", "suffix": "rep", "street": "nom_voie",
 *                 "postcode": "code_postal", "insee": "code_insee",
 *                 "qpv": "qpv", "qva": "qva", "id": "id"},
 *     "zones": "zones-qp.csv",
 *     "qva_pattern": "QVA######"
 *   }
 *
 * "ban" is the Base Adresse Nationale export (id;id_fantoir;numero;rep;
 * nom_voie;code_postal;code_insee;…) with two more columns giving the QPV
 * and QVA code of the address (empty: outside the priority geography).
 * "plain" is a CSV with the columns numero, suffixe, voie, code_postal,
 * qpv, qva. "columns" renames any of them. With "zones", the zone columns
 * come from that separate file instead, keyed by the reference's "id"
 * column (the BAN export kept as downloaded, plus a short file of the
 * addresses that lie in a zone; an address absent from it is outside).
 * Separators ';', ',' or tab are recognised from the header; quotes and a
 * UTF-8 BOM are understood.
 *
 * The reference is authoritative: an address it does not know is never
 * placed anywhere. Zone codes must be quartier codes (geo.h): QPV codes of
 * one list, 2015 (QP075012) or 2024 (QN07501M), never both; QVA codes in
 * the city's spelling ("qva_pattern", QVA075001 by default) or either QPV
 * style. Each zone keeps the list it comes from. */
#ifndef RELEVE_ADDR_REF_H
#define RELEVE_ADDR_REF_H

#include <jansson.h>
#include <stddef.h>

#include "referentiel/geo.h"
#include "util/diag.h"

typedef enum releve_addr_zone_kind {
  RELEVE_ADDR_ZONE_QPV = 1,
  RELEVE_ADDR_ZONE_QVA = 2
} releve_addr_zone_kind;

typedef struct releve_addr_zone {
  char code[16];
  releve_addr_zone_kind kind;
  releve_geo_vintage vintage; /* the list the code belongs to */
} releve_addr_zone;

typedef struct releve_addr_spec {
  const char *file;   /* resolved path */
  const char *format; /* "ban" (NULL too) or "plain" */
  json_t *columns;    /* renamed columns, may be NULL */
  const char *zones;  /* resolved path of the separate zone file, or NULL */
} releve_addr_spec;

typedef struct releve_addr_ref releve_addr_ref;

/* Reads and indexes the reference. Problems (unreadable file, missing
 * column, a zone code that is not one, an address given two zones) go to
 * diags with the file and line. Returns 0, -EINVAL (see diags), -ENOMEM. */
int releve_addr_ref_load(const releve_addr_spec *spec, releve_addr_ref **out, releve_diags *diags);
void releve_addr_ref_free(releve_addr_ref *ref);

/* Sizes, for logs and the benchmark. */
size_t releve_addr_ref_addresses(const releve_addr_ref *ref);
size_t releve_addr_ref_streets(const releve_addr_ref *ref);

/* ---- the index, for addr_match.c --------------------------------------
 * A zone id is 0 for outside the priority geography, k > 0 for
 * releve_addr_ref_zone(ref, k); RELEVE_ADDR_ZONE_MIXED says that the addresses
 * concerned lie in more than one, RELEVE_ADDR_ZONE_NONE that there are none. */
#define RELEVE_ADDR_ZONE_MIXED (-1)
#define RELEVE_ADDR_ZONE_NONE (-2)

/* The street with that commune key and street key: 1 and *id, or 0. */
int releve_addr_ref_street(const releve_addr_ref *ref, const char *commune, const char *street,
                           unsigned *id);
/* The street with that street key in whichever commune: 1 and *id when
 * one commune has it, 2 when several do, 0 when none. */
int releve_addr_ref_street_anywhere(const releve_addr_ref *ref, const char *street, unsigned *id);
/* The one street of the commune that street is a typo of (addr_near.h):
 * 1 and *id, or 0 (none, or more than one it could be). */
int releve_addr_ref_street_near(const releve_addr_ref *ref, const char *commune, const char *street,
                                unsigned *id);
/* The street key ("RUE MYRHA") and commune key ("75118") of a street. */
const char *releve_addr_ref_street_words(const releve_addr_ref *ref, unsigned id);
const char *releve_addr_ref_street_commune(const releve_addr_ref *ref, unsigned id);
/* The zone every address of the street lies in, or RELEVE_ADDR_ZONE_MIXED. */
int releve_addr_ref_street_zone(const releve_addr_ref *ref, unsigned id);
/* The zone of number+suffix ("" for none) in the street. *ban_id (may be
 * NULL) is set to the reference's id of that address, or NULL when the
 * reference has no id column or lists the address twice. */
int releve_addr_ref_exact(const releve_addr_ref *ref, unsigned id, unsigned number,
                          const char *suffix, const char **ban_id);
/* The zone of every address with that number, whatever its suffix; *ban_id
 * as above, set only when a single address has that number. */
int releve_addr_ref_number(const releve_addr_ref *ref, unsigned id, unsigned number,
                           const char **ban_id);
const releve_addr_zone *releve_addr_ref_zone(const releve_addr_ref *ref, int zone);
/* The zone with that code, or NULL. */
const releve_addr_zone *releve_addr_ref_zone_by_code(const releve_addr_ref *ref, const char *code);

#endif
