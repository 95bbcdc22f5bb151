/* config.h -- relevé's configuration (releve.json).
 *
 * Lookup: -c FILE, else $RELEVE_CONFIG, else /etc/releve/releve.json, else
 * the built-in default (database and outbox under ./var, spool tree in
 * ./spool, the référentiel compiled into the binary). Relative paths resolve
 * against the folder of the configuration file (the current folder for the
 * built-in default). releve.json(5) documents every key. */
#ifndef RELEVE_CONFIG_H
#define RELEVE_CONFIG_H

#include <jansson.h>
#include <stddef.h>

#include "config/mailboxes.h"
#include "config/reminders.h"
#include "config/source.h"
#include "util/diag.h"
#include "referentiel/geography.h"
#include "referentiel/referentiel.h"

#define RELEVE_SYSTEM_CONFIG "/etc/releve/releve.json"

struct releve_contract;

typedef struct releve_actor {
  const char *id;
  const char *name;
  const char **emails; /* NULL-ended */
  size_t n_emails;
  /* The readers this actor's files may be in, in the actor's order
   * ("plugins", or "plugin" for one): NULL-ended, the collection table
   * ("template") always among them, last unless listed. The host picks one
   * per file (reader.h). plugin is the first: options and mapping are its. */
  const char **plugins;
  size_t n_plugins;
  const char *plugin;
  int template_implied;     /* "template" was added, not listed */
  char *plugins_path;       /* where they were configured ("actors[2].plugins"), or NULL */
  json_t *options;     /* plugin options object, may be NULL */
  json_t *mapping;     /* mapping rules, may be NULL (then the plugin's rows are long-format) */
  /* "scopes": the geographies owed for every indicator of the actor,
   * overriding each indicator's own; NULL-ended, NULL when not set. */
  const char **scopes;
  int configured;      /* has an entry in "actors" */
  int placeholder;     /* an address is still the one `releve init` wrote: no reminder */
  int personal_data;   /* one row per person: see privacy.h */
  int keep_days;       /* personal data: days the file is kept after its counts (0: deleted) */
  const struct releve_contract *contract; /* the one whose figures it owes */
  char *path;          /* its entry ("contracts[1].actors[0]", "actors[2]"), NULL when none */
} releve_actor;

typedef struct releve_campaign {
  int year;          /* the period due; school year year-(year+1) for school-year indicators */
  const char *opens; /* YYYY-MM-DD */
  const char *due;   /* YYYY-MM-DD */
} releve_campaign;

/* One contract: its référentiel, years, QPV vintage, actors, campaigns and
 * reminders. The old form of releve.json (top-level "contract", "actors",
 * "campaigns") is one contract; "contracts": [...] holds several. */
typedef struct releve_contract {
  const char *id;          /* "paris-2015"; "contrat" when the old form names none */
  const char *name;        /* may be NULL */
  char where[32];          /* its keys' place: "contracts[1]", or "" for the old form */
  char *referentiel_path;  /* NULL: the référentiel compiled into the binary */
  releve_referentiel ref;
  int first_year, last_year;
  /* The QPV vintage of its figures ("qpv_2015", "qpv_2024"); NULL in the
   * old form, where a code of either vintage is checked in its own list. */
  const char *geography;
  releve_actor *actors;    /* its slice of the configuration's actors, sorted by id */
  size_t n_actors;
  releve_campaign *campaigns;
  size_t n_campaigns;
  releve_ladder ladder;    /* its "reminders", else the top-level ones */
} releve_contract;

typedef struct releve_config {
  char *file;      /* the file read, or NULL for the built-in default */
  char *dir;       /* folder relative paths resolve against */
  json_t *root;
  char *database;
  char *spool;
  char *plugins;
  /* The first contract's référentiel path, référentiel, years, campaigns
   * and ladder (borrowed from contracts[0]): the whole of a one-contract
   * configuration, and of a view (releve_config_view). */
  char *referentiel_path; /* NULL: the référentiel compiled into the binary */
  char *outbox;
  int first_year, last_year;
  const char *mail_from;
  const char *smtp_url;     /* NULL: mails go to the outbox folder */
  const char *coordinator;
  char *mail_credentials;   /* file holding "user:password", may be NULL */
  int mail_starttls;        /* require STARTTLS on smtp:// (default on) */
  int mail_timeout_seconds; /* connection timeout; a whole delivery gets 3x */
  int mail_max_per_run;     /* messages sent per outbox run */
  const char *mail_reply_to; /* replies by mail (mail_intake.h); NULL: not taken */
  const char *mail_trust_authentication;
  long long mail_max_message_bytes;
  double jump_factor;       /* a value ×/÷ this against last year's is flagged */
  /* Daemon settings. */
  int rescan_seconds;
  int quiet_seconds;
  int stale_upload_hours;  /* an upload name untouched this long is shown and mailed about */
  int decode_timeout_seconds;
  int decode_memory_mb;
  int max_jobs;            /* files (of different actors) in hand at once */
  int watch;               /* inotify hints on top of the rescans (default on) */
  int spool_mode;          /* mode of incoming/ folders */
  const char *spool_group; /* group owning incoming/, may be NULL */
  releve_referentiel ref;
  struct releve_addr_ref *addresses; /* "addresses", NULL when none (addr_ref.h) */
  releve_geography geography;        /* "geography": the lists by vintage */
  int secrecy_threshold;             /* exports blank counts below it (privacy.h) */
  /* One per référentiel actor of every contract, contract by contract and
   * sorted by id within each; ids are unique across the configuration. */
  releve_actor *actors;
  size_t n_actors;
  const releve_actor **actors_by_id; /* every actor sorted by id; NULL in a view */
  releve_contract *contracts;        /* at least one once loaded */
  size_t n_contracts;
  releve_campaign *campaigns;
  size_t n_campaigns;
  releve_sources sources; /* "sources", the scheduled pulls */
  releve_mailboxes mailboxes; /* "mailboxes", polled over IMAP */
  releve_ladder ladder; /* "reminders" */
} releve_config;

/* Which file to read given -c (may be NULL): sets *path to the file, or to
 * NULL for the built-in default. *why says how it was chosen. */
void releve_config_locate(const char *opt_c, const char **path, const char **why);

/* Loads and checks a configuration and its référentiel. file NULL loads the
 * built-in default. Returns 0, or -EINVAL with every problem in diags
 * (warnings do not fail the load). */
int releve_config_load(releve_config *cfg, const char *file, releve_diags *diags);
/* The one way a program reads its configuration: releve_config_locate
 * with opt_c (-c, may be NULL), then releve_config_load. *path and *why say
 * which file was read (*path NULL: the built-in default). Each program
 * then shows diags its own way. Returns as releve_config_load; cfg is to be
 * freed either way. */
int releve_config_open(releve_config *cfg, const char *opt_c, releve_diags *diags,
                       const char **path, const char **why);
/* Checks what a running daemon needs beyond the file itself: folders that
 * exist or can be made and are writable, the plugin folder. */
void releve_config_check_environment(const releve_config *cfg, releve_diags *diags);
void releve_config_free(releve_config *cfg);

const releve_actor *releve_config_actor(const releve_config *cfg, const char *id);
/* The contract of that id, NULL when none. */
const releve_contract *releve_config_contract(const releve_config *cfg, const char *id);
/* The configuration as seen by one contract: *view is cfg with the
 * contract's référentiel, years, actors, campaigns and ladder, and
 * contracts = k alone. It borrows everything: never free it, nor use it
 * after cfg is freed. */
void releve_config_view(const releve_config *cfg, const releve_contract *k, releve_config *view);
/* Whether a mail address is the placeholder `releve init` writes
 * (referent@example.org: any address at example.org itself, which reaches
 * no one). Reminders skip such an actor and say so. */
int releve_config_email_placeholder(const char *address);

/* Whether "database" names a PostgreSQL database (a postgresql:// or
 * postgres:// URI, kept as written) rather than an SQLite file path. */
int releve_config_database_is_uri(const char *database);
/* The folder of relevé's state besides the spool (the rows a decoding
 * child hands over; the ownership checks of state.h): the database's
 * folder, or with a PostgreSQL database "var" beside the configuration.
 * malloc'ed, NULL when out of memory. */
char *releve_config_state_dir(const releve_config *cfg);

/* The built-in default configuration and référentiel (compiled in). */
extern const char releve_default_config_json[];
extern const char releve_default_referentiel_json[];
/* The geography lists shipped in conf/geography/ (compiled in). */
extern const char releve_default_qpv_2015_csv[];
extern const char releve_default_arrondissements_csv[];

/* Writes a complete working configuration rooted at dir: releve.json,
 * referentiel.json, spool/ and var/. Refuses to overwrite an existing
 * releve.json. */
int releve_config_init_dir(const char *dir, releve_diags *diags);

/* The geographies whose cells actor owes for ind: the actor's "scopes" when
 * its configuration sets them, else the indicator's own. NULL-ended. */
const char *const *releve_config_geographies(const releve_actor *actor,
                                             const releve_indicator *ind);

#endif
