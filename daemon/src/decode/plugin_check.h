/* plugin_check.h -- whether the loaded plugins can serve the configured
 * actors: shared by `releve check-config` (which says so before anything
 * runs) and releved (which holds an actor's files back, rather than
 * refusing them, while its plugins cannot read them: that is the server's
 * problem, not the partner's). Which plugin reads a given file is
 * reader.h's. */
#ifndef RELEVE_PLUGIN_CHECK_H
#define RELEVE_PLUGIN_CHECK_H

#include "config/config.h"
#include "util/diag.h"
#include "decode/plugin_host.h"

/* Why the actor's files cannot be decoded here now, in English, malloc'ed
 * ("plugin \"caf\" refused (/usr/lib/…/caf.so: ABI 2, this relevé speaks
 * ABI 1)", "no plugin \"caf\" in /usr/lib/…", "plugin \"caf\": options:
 * …"), with *plugin (may be NULL) the plugin at fault; NULL when every
 * plugin the actor names is loaded and its first takes the actor's
 * options. The collection table the configuration only implies is
 * required when it is the actor's only reader. */
char *releve_plugin_fault(const releve_plugins *p, const releve_actor *a, const char **plugin);

/* For check-config, beside releve_readers_check_config(): an error for
 * each plugin file that crashed, exited or hung while loading, a warning
 * for any other refused file, and an error for each configured actor's
 * options its first plugin does not take (with the precise key). */
void releve_plugins_check(const releve_plugins *p, const releve_config *cfg, releve_diags *d);

/* Personal data (privacy.h): marks personal_data on every configured
 * actor whose plugin declares person-level records. An actor whose
 * configuration did not say so gets one diag of the given severity naming it and what to write (an error
 * for check-config; a warning where the host enforces it and goes on).
 * Returns how many actors were marked that way. */
size_t releve_plugins_enforce_privacy(releve_config *cfg, const releve_plugins *plugins,
                                      releve_diags *diags, int severity);

#endif
