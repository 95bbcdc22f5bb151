/* plugin_host.h -- loading source plugins (releve/plugin.h) from the
 * configured folder and checking them before any file is decoded.
 *
 * Every *.so of the folder is first loaded and checked in a forked child
 * (the probe): a constructor or entry function that crashes, aborts, calls
 * exit() or runs longer than RELEVE_PLUGIN_PROBE_SECONDS costs that child
 * only, and the plugin is refused as "broken". Only a plugin that passed
 * is then opened in the calling process, with RTLD_NOW|RTLD_LOCAL: the
 * daemon needs its code in the process, since the decoding children are
 * forked from it with the plugin already loaded (supervise.h). A plugin is
 * refused, with one log line and a reason kept for `releve plugins`, when:
 * the folder or file is writable by group or others or owned by another
 * user than relevé or root; the entry symbol is missing; abi_major differs;
 * struct_size is below RELEVE_PLUGIN_MIN_SIZE; the name is malformed or
 * already taken; decode is NULL; the option table is malformed. Refusing
 * one plugin never stops the others from loading. */
#ifndef RELEVE_PLUGIN_HOST_H
#define RELEVE_PLUGIN_HOST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "releve/plugin.h"

typedef struct releve_loaded_plugin {
  char *file;                  /* path of the .so */
  void *handle;                /* dlopen handle, NULL when refused */
  const releve_plugin *desc;   /* NULL when refused */
  char *refused;               /* why it was refused, NULL when loaded */
  int broken;                  /* refused for crashing, exiting or hanging while loading */
} releve_loaded_plugin;

/* How long the probe waits for a plugin to load and describe itself. */
#define RELEVE_PLUGIN_PROBE_SECONDS 5

typedef struct releve_plugins {
  char *dir;
  releve_loaded_plugin *items;
  size_t n;
} releve_plugins;

/* Loads every plugin of dir (probing each first: up to
 * RELEVE_PLUGIN_PROBE_SECONDS for one that hangs). Returns 0 (even when
 * some were refused), or a negative errno value when the folder itself
 * cannot be used. */
int releve_plugins_load(releve_plugins *p, const char *dir);
void releve_plugins_unload(releve_plugins *p);

const releve_plugin *releve_plugins_find(const releve_plugins *p, const char *name);
/* The refused file that was meant to be plugin name ("<name>.so", or with
 * '_' for '-': load_crash.so for "load-crash"), to say why it is not
 * there; NULL when there is none. */
const releve_loaded_plugin *releve_plugins_refused(const releve_plugins *p, const char *name);
/* A loaded descriptor's flags (RELEVE_PLUGIN_*), 0 when its struct_size
 * ends before them (a plugin built before ABI 1.2). */
uint32_t releve_plugin_flags(const releve_plugin *plugin);

/* Checks an actor's options object against a plugin's table (unknown keys
 * listed with the allowed ones, types) and fills values (one per table
 * entry; strings borrowed from options or the table). Problems go to diags
 * under path. Returns 0 or -EINVAL. values must hold one entry per option. */
int releve_plugin_options(const releve_plugin *plugin, json_t *options, const char *file,
                          const char *path, releve_diags *diags, releve_option_value *values);
/* The number of entries of a plugin's option table. */
size_t releve_plugin_option_count(const releve_plugin *plugin);

#endif
