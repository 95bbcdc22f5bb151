/* template.h -- the référentiel's collection table as a CSV file an actor
 * fills in (read back by the "template" plugin): one row per figure owed. */
#ifndef RELEVE_TEMPLATE_H
#define RELEVE_TEMPLATE_H

#include "config.h"

/* The header line of the collection table (without BOM and CRLF). */
#define RELEVE_TEMPLATE_HEADER "indicateur;libelle;periode;geographie;valeur;part;statut;commentaire"

/* Writes the table for actor and year into *out (malloc'ed, UTF-8 with BOM,
 * ';', CRLF). Returns 0 or -ENOMEM. */
int releve_template_write(const releve_config *cfg, const releve_actor *actor, int year,
                          char **out);

#endif
