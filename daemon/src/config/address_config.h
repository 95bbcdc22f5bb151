/* address_config.h -- the top-level "addresses" key (addr_ref.h documents
 * it): checked, resolved against the configuration's folder and loaded
 * once with the configuration, so that check-config reports a broken
 * reference and the daemon reloads it on SIGHUP. Also checks that a
 * mapping placing rows by address has a reference to do it with. */
#ifndef RELEVE_ADDRESS_CONFIG_H
#define RELEVE_ADDRESS_CONFIG_H

#include "config/config.h"
#include "util/json.h"

/* Sets cfg->addresses (NULL when the key is absent or the file broken,
 * with diagnostics). Call after the actors are loaded. */
void releve_address_config_load(releve_config *cfg, const releve_jctx *c);

#endif
