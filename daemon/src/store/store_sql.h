/* store_sql.h -- every SQL statement of relevé, kept together so that the
 * schema and the queries can be read side by side.
 *
 * Observations hold the current value of each cell (indicator, period,
 * geography); revisions hold every value ever received, each with the
 * submission that brought it, so that history and provenance survive
 * corrections. Nothing here ever deletes an observation: a référentiel
 * change retires indicators instead. */
#ifndef RELEVE_STORE_SQL_H
#define RELEVE_STORE_SQL_H

/* Migrations, applied in order; PRAGMA user_version counts those done.
 * Append only: a released migration is never edited. PostgreSQL does not
 * replay 1 to 9 (SQLite-only forms): a new PostgreSQL database gets the
 * schema they leave, written in store_sql_pg.h, then runs the migrations
 * from 10 on (index 9 and later) like SQLite, so each of those must be
 * valid on both engines. */
static const char *const releve_sql_migrations[] = {
    /* 1: the référentiel, submissions, observations and revisions. */
    "CREATE TABLE referentiel_versions("
    "  id INTEGER PRIMARY KEY,"
    "  sha256 TEXT NOT NULL,"
    "  loaded_at TEXT NOT NULL,"
    "  indicators INTEGER NOT NULL,"
    "  added INTEGER NOT NULL, changed INTEGER NOT NULL, retired INTEGER NOT NULL);"
    "CREATE TABLE referentiel_changes("
    "  version INTEGER NOT NULL REFERENCES referentiel_versions(id),"
    "  indicator TEXT NOT NULL,"
    "  change TEXT NOT NULL CHECK (change IN ('added','changed','retired','restored')),"
    "  detail TEXT);"
    "CREATE TABLE nodes("
    "  id TEXT PRIMARY KEY,"
    "  level TEXT NOT NULL CHECK (level IN ('theme','objective','sub_objective','goal','action')),"
    "  parent TEXT,"
    "  name TEXT NOT NULL);"
    "CREATE TABLE actors("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  emails TEXT NOT NULL DEFAULT '',"
    "  plugin TEXT);"
    "CREATE TABLE indicators("
    "  id TEXT PRIMARY KEY,"
    "  label TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  theme TEXT NOT NULL, action TEXT NOT NULL,"
    "  unit TEXT NOT NULL CHECK (unit IN ('count','percent','amount','text')),"
    "  share INTEGER NOT NULL,"
    "  period_kind TEXT NOT NULL CHECK (period_kind IN ('year','school_year')),"
    "  target_text TEXT NOT NULL,"
    "  target_kind TEXT NOT NULL,"
    "  target_value REAL, target_min REAL, target_max REAL,"
    "  retired INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE geographies("
    "  code TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL);"
    "CREATE TABLE periods("
    "  period TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('year','school_year')),"
    "  year INTEGER NOT NULL);"
    "CREATE TABLE submissions("
    "  id INTEGER PRIMARY KEY,"
    "  actor TEXT NOT NULL,"
    "  channel TEXT NOT NULL CHECK (channel IN ('spool','poll','cli')),"
    "  name TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  plugin TEXT NOT NULL,"
    "  received_at TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('accepted','refused')),"
    "  added INTEGER NOT NULL DEFAULT 0, changed INTEGER NOT NULL DEFAULT 0,"
    "  unchanged INTEGER NOT NULL DEFAULT 0, refused INTEGER NOT NULL DEFAULT 0,"
    "  warnings INTEGER NOT NULL DEFAULT 0,"
    "  report TEXT NOT NULL);"
    /* A file is stored once per actor: the same bytes sent again are
     * recognised by this index and change nothing. */
    "CREATE UNIQUE INDEX submissions_once ON submissions(actor, sha256) WHERE outcome = 'accepted';"
    "CREATE TABLE observations("
    "  indicator TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  geography TEXT NOT NULL,"
    "  value REAL, text TEXT, share REAL,"
    "  status TEXT NOT NULL CHECK (status IN ('normal','provisional','estimated','suppressed','not_available')),"
    "  comment TEXT,"
    "  submission INTEGER NOT NULL REFERENCES submissions(id),"
    "  line INTEGER,"
    "  updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (indicator, period, geography)) WITHOUT ROWID;"
    "CREATE TABLE revisions("
    "  id INTEGER PRIMARY KEY,"
    "  indicator TEXT NOT NULL, period TEXT NOT NULL, geography TEXT NOT NULL,"
    "  value REAL, text TEXT, share REAL, status TEXT NOT NULL, comment TEXT,"
    "  submission INTEGER NOT NULL REFERENCES submissions(id),"
    "  line INTEGER,"
    "  received_at TEXT NOT NULL);"
    "CREATE INDEX revisions_cell ON revisions(indicator, period, geography, id);",

    /* 2: what the reminder, mail and pull modules keep across restarts. */
    "CREATE TABLE reminders("
    "  actor TEXT NOT NULL,"
    "  campaign INTEGER NOT NULL,"
    "  step TEXT NOT NULL,"
    "  sent_at TEXT NOT NULL,"
    "  cells INTEGER NOT NULL,"
    "  mail INTEGER,"
    "  PRIMARY KEY (actor, campaign, step));"
    "CREATE TABLE outbox("
    "  id INTEGER PRIMARY KEY,"
    "  message_id TEXT NOT NULL UNIQUE,"
    "  recipients TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  message BLOB NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('pending','sent','failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at TEXT,"
    "  last_error TEXT,"
    "  sent_at TEXT);"
    "CREATE TABLE pulls("
    "  source TEXT PRIMARY KEY,"
    "  etag TEXT, last_modified TEXT, sha256 TEXT,"
    "  last_attempt TEXT, last_success TEXT,"
    "  failures INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT);",

    /* 3: the two tables every figure is written to, rebuilt for write speed,
     * every row copied. A CHECK with an IN list of more than two values
     * made SQLite build a temporary table on each observation written; the
     * same rule as a chain of comparisons costs nothing. A revision is keyed
     * by its cell and the submission that brought it (a file gives a cell
     * once), one B-tree instead of a table plus an index; a cell's history
     * reads in key order, which is the order of arrival. */
    "CREATE TABLE observations_v3("
    "  indicator TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  geography TEXT NOT NULL,"
    "  value REAL, text TEXT, share REAL,"
    "  status TEXT NOT NULL CHECK (status = 'normal' OR status = 'provisional' OR "
    "    status = 'estimated' OR status = 'suppressed' OR status = 'not_available'),"
    "  comment TEXT,"
    "  submission INTEGER NOT NULL REFERENCES submissions(id),"
    "  line INTEGER,"
    "  updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (indicator, period, geography)) WITHOUT ROWID;"
    "INSERT INTO observations_v3(indicator, period, geography, value, text, share, status, "
    "  comment, submission, line, updated_at) "
    "SELECT indicator, period, geography, value, text, share, status, comment, submission, "
    "  line, updated_at FROM observations;"
    "DROP TABLE observations;"
    "ALTER TABLE observations_v3 RENAME TO observations;"
    "CREATE TABLE revisions_v3("
    "  indicator TEXT NOT NULL, period TEXT NOT NULL, geography TEXT NOT NULL,"
    "  submission INTEGER NOT NULL REFERENCES submissions(id),"
    "  value REAL, text TEXT, share REAL, status TEXT NOT NULL, comment TEXT,"
    "  line INTEGER,"
    "  received_at TEXT NOT NULL,"
    "  PRIMARY KEY (indicator, period, geography, submission)) WITHOUT ROWID;"
    "INSERT INTO revisions_v3(indicator, period, geography, submission, value, text, share, "
    "  status, comment, line, received_at) "
    "SELECT indicator, period, geography, submission, value, text, share, status, comment, "
    "  line, received_at FROM revisions ORDER BY id;"
    "DROP TABLE revisions;"
    "ALTER TABLE revisions_v3 RENAME TO revisions;",

    /* 4: the bodies scheduled pulls dropped into an actor's incoming/, so that
     * the submission of such a file says channel "poll". Written before the
     * file is moved there, since the daemon may take it at once. */
    "CREATE TABLE pull_drops("
    "  actor TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  dropped_at TEXT NOT NULL,"
    "  PRIMARY KEY (actor, sha256, source)) WITHOUT ROWID;",

    /* 5: actors whose files wait in incoming/ because their plugin cannot
     * read them on this server (plugin_fault.h). A row exists from the
     * first file held until the plugin serves again; it is written with
     * the coordinator's mail, so that the mail goes once. */
    "CREATE TABLE plugin_faults("
    "  actor TEXT PRIMARY KEY,"
    "  plugin TEXT NOT NULL,"
    "  problem TEXT NOT NULL,"
    "  since TEXT NOT NULL);",

    /* 6: "outbox" now names only the folder mails are written to without
     * mail.smtp; the table is the queue every mail waits in. */
    "ALTER TABLE outbox RENAME TO mail_queue;",

    /* 7: each actor's secret reply token (mail_token.h): a reply is the
     * actor's only when addressed to <local>+<actor>.<token>@<domain>.
     * One row per actor, replaced when the token is rotated. */
    "CREATE TABLE mail_tokens("
    "  actor TEXT PRIMARY KEY,"
    "  token TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);",

    /* 8: partners' replies by mail (inbox/). A submission may come by
     * "mail", with the Message-ID it came in: the table is rebuilt for its
     * CHECK (migrations run with foreign keys off, checked before COMMIT).
     * mail_messages holds every message taken or quarantined, once per
     * Message-ID; mail_drops each attachment dropped into incoming/, noted
     * before it lands (as pull_drops), dropped set once it is there, so
     * that a rerun after a crash finishes the drops and never repeats one;
     * mail_answers the notes sent about quarantined messages, one per
     * sender and day. */
    "CREATE TABLE submissions_v8("
    "  id INTEGER PRIMARY KEY,"
    "  actor TEXT NOT NULL,"
    "  channel TEXT NOT NULL CHECK (channel = 'spool' OR channel = 'poll' OR channel = 'cli' OR "
    "    channel = 'mail'),"
    "  name TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  plugin TEXT NOT NULL,"
    "  received_at TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('accepted','refused')),"
    "  added INTEGER NOT NULL DEFAULT 0, changed INTEGER NOT NULL DEFAULT 0,"
    "  unchanged INTEGER NOT NULL DEFAULT 0, refused INTEGER NOT NULL DEFAULT 0,"
    "  warnings INTEGER NOT NULL DEFAULT 0,"
    "  report TEXT NOT NULL,"
    "  message_id TEXT);"
    "INSERT INTO submissions_v8(id, actor, channel, name, size, sha256, plugin, received_at, "
    "  outcome, added, changed, unchanged, refused, warnings, report) "
    "SELECT id, actor, channel, name, size, sha256, plugin, received_at, outcome, added, "
    "  changed, unchanged, refused, warnings, report FROM submissions ORDER BY id;"
    "DROP TABLE submissions;"
    "ALTER TABLE submissions_v8 RENAME TO submissions;"
    "CREATE UNIQUE INDEX submissions_once ON submissions(actor, sha256) WHERE outcome = 'accepted';"
    "CREATE TABLE mail_messages("
    "  message_id TEXT PRIMARY KEY,"
    "  actor TEXT,"
    "  received_at TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome = 'taken' OR outcome = 'quarantined'),"
    "  reason TEXT,"
    "  done INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE mail_drops("
    "  message_id TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  dropped INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (message_id, sha256)) WITHOUT ROWID;"
    "CREATE INDEX mail_drops_file ON mail_drops(actor, sha256);"
    "CREATE TABLE mail_answers("
    "  sender TEXT NOT NULL,"
    "  day TEXT NOT NULL,"
    "  PRIMARY KEY (sender, day)) WITHOUT ROWID;",

    /* 9: IMAP mailboxes polled by the daemon (inbox/imap.h): each folder's
     * UIDVALIDITY and failures in a row, and the UIDs already taken under
     * that UIDVALIDITY (forgotten when it changes). */
    "CREATE TABLE imap_folders("
    "  mailbox TEXT PRIMARY KEY,"
    "  uidvalidity INTEGER,"
    "  last_attempt INTEGER,"
    "  failures INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT);"
    "CREATE TABLE imap_taken("
    "  mailbox TEXT NOT NULL,"
    "  uid INTEGER NOT NULL,"
    "  taken_at TEXT NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('taken','too large')),"
    "  PRIMARY KEY (mailbox, uid)) WITHOUT ROWID;",

    /* 10: the geography as data (referentiel/geography.h): each quartier
     * keeps its vintage ('qpv_2015', 'qpv_2024', 'qva', as the
     * configuration's "geography" keys), and a listed place its name. */
    "ALTER TABLE geographies ADD COLUMN vintage TEXT;"
    "ALTER TABLE geographies ADD COLUMN name TEXT;",

    /* 11: contracts (config.h). Two contracts may share indicator codes
     * (every one derived from the built-in référentiel has H07.1), so what
     * is keyed by indicator is keyed by contract as well: the référentiel's
     * versions, nodes, indicators, observations and revisions. The
     * contract is the keys' last column, so that a lookup by indicator,
     * period and geography still reads the key's prefix. A migration cannot
     * know the configuration: rows already there get contract '', which no
     * configured contract may be named, and a row of contract_pending says
     * so until releve_store_sync gives them the configuration's one
     * contract (store_sync.c). An empty database has nothing to assign and
     * gets no such row. PostgreSQL changes its keys in place
     * (RELEVE_SQL_PG_MIGRATION_11); SQLite rebuilds each table, since a
     * key cannot be altered there. In a WITHOUT ROWID table the key's
     * columns come first, in the key's order: SQLite 3.40's
     * integrity_check (Debian 12's) otherwise reports NULLs in the other
     * columns that are not there. */
    "CREATE TABLE contract_pending(since TEXT NOT NULL);"
    "INSERT INTO contract_pending(since) SELECT 'schema 11' WHERE "
    "  EXISTS (SELECT 1 FROM referentiel_versions) OR EXISTS (SELECT 1 FROM observations);"
    "ALTER TABLE referentiel_versions ADD COLUMN contract TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE nodes_v11("
    "  id TEXT NOT NULL,"
    "  level TEXT NOT NULL CHECK (level IN ('theme','objective','sub_objective','goal','action')),"
    "  parent TEXT,"
    "  name TEXT NOT NULL,"
    "  contract TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (id, contract));"
    "INSERT INTO nodes_v11(id, level, parent, name) SELECT id, level, parent, name FROM nodes;"
    "DROP TABLE nodes;"
    "ALTER TABLE nodes_v11 RENAME TO nodes;"
    "CREATE TABLE indicators_v11("
    "  id TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  theme TEXT NOT NULL, action TEXT NOT NULL,"
    "  unit TEXT NOT NULL CHECK (unit IN ('count','percent','amount','text')),"
    "  share INTEGER NOT NULL,"
    "  period_kind TEXT NOT NULL CHECK (period_kind IN ('year','school_year')),"
    "  target_text TEXT NOT NULL,"
    "  target_kind TEXT NOT NULL,"
    "  target_value REAL, target_min REAL, target_max REAL,"
    "  retired INTEGER NOT NULL DEFAULT 0,"
    "  contract TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (id, contract));"
    "INSERT INTO indicators_v11(id, label, actor, theme, action, unit, share, period_kind, "
    "  target_text, target_kind, target_value, target_min, target_max, retired) "
    "SELECT id, label, actor, theme, action, unit, share, period_kind, target_text, "
    "  target_kind, target_value, target_min, target_max, retired FROM indicators;"
    "DROP TABLE indicators;"
    "ALTER TABLE indicators_v11 RENAME TO indicators;"
    "CREATE TABLE observations_v11("
    "  indicator TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  geography TEXT NOT NULL,"
    "  contract TEXT NOT NULL DEFAULT '',"
    "  value REAL, text TEXT, share REAL,"
    "  status TEXT NOT NULL CHECK (status = 'normal' OR status = 'provisional' OR "
    "    status = 'estimated' OR status = 'suppressed' OR status = 'not_available'),"
    "  comment TEXT,"
    "  submission INTEGER NOT NULL REFERENCES submissions(id),"
    "  line INTEGER,"
    "  updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (indicator, period, geography, contract)) WITHOUT ROWID;"
    "INSERT INTO observations_v11(indicator, period, geography, value, text, share, status, "
    "  comment, submission, line, updated_at) "
    "SELECT indicator, period, geography, value, text, share, status, comment, submission, "
    "  line, updated_at FROM observations;"
    "DROP TABLE observations;"
    "ALTER TABLE observations_v11 RENAME TO observations;"
    "CREATE TABLE revisions_v11("
    "  indicator TEXT NOT NULL, period TEXT NOT NULL, geography TEXT NOT NULL,"
    "  contract TEXT NOT NULL DEFAULT '',"
    "  submission INTEGER NOT NULL REFERENCES submissions(id),"
    "  value REAL, text TEXT, share REAL, status TEXT NOT NULL, comment TEXT,"
    "  line INTEGER,"
    "  received_at TEXT NOT NULL,"
    "  PRIMARY KEY (indicator, period, geography, contract, submission)) WITHOUT ROWID;"
    "INSERT INTO revisions_v11(indicator, period, geography, submission, value, text, share, "
    "  status, comment, line, received_at) "
    "SELECT indicator, period, geography, submission, value, text, share, status, comment, "
    "  line, received_at FROM revisions ORDER BY indicator, period, geography, submission;"
    "DROP TABLE revisions;"
    "ALTER TABLE revisions_v11 RENAME TO revisions;",
};

/* The index of the migration PostgreSQL runs in its own form
 * (RELEVE_SQL_PG_MIGRATION_11, store_sql_pg.h). */
#define RELEVE_SQL_MIGRATION_CONTRACTS 10

#define RELEVE_SQL_PRAGMAS                                                                     \
  "PRAGMA journal_mode = WAL;"                                                                 \
  "PRAGMA synchronous = FULL;"                                                                 \
  "PRAGMA foreign_keys = ON;"

/* Référentiel sync. A new version is recorded with the time it was loaded
 * (UTC text, util/clock.h) and gives back its id. */
/* Each contract has its own référentiel and version history (migration
 * 11): every statement below binds the contract's id. */
#define RELEVE_SQL_REF_LAST                                                                    \
  "SELECT id, sha256 FROM referentiel_versions WHERE contract = ? ORDER BY id DESC LIMIT 1"
#define RELEVE_SQL_REF_VERSION                                                                 \
  "INSERT INTO referentiel_versions(sha256, loaded_at, indicators, added, changed, retired, "  \
  "contract) VALUES (?, ?, ?, 0, 0, 0, ?) RETURNING id"
#define RELEVE_SQL_REF_VERSION_COUNTS                                                          \
  "UPDATE referentiel_versions SET added = ?, changed = ?, retired = ? WHERE id = ?"
#define RELEVE_SQL_REF_CHANGE                                                                  \
  "INSERT INTO referentiel_changes(version, indicator, change, detail) VALUES (?, ?, ?, ?)"
#define RELEVE_SQL_NODE_UPSERT                                                                 \
  "INSERT INTO nodes(id, level, parent, name, contract) VALUES (?, ?, ?, ?, ?) "              \
  "ON CONFLICT(id, contract) DO UPDATE SET level = excluded.level, parent = excluded.parent, "           \
  "name = excluded.name"
#define RELEVE_SQL_ACTOR_UPSERT                                                                \
  "INSERT INTO actors(id, name, emails, plugin) VALUES (?, ?, ?, ?) "                          \
  "ON CONFLICT(id) DO UPDATE SET name = excluded.name, emails = excluded.emails, "             \
  "plugin = excluded.plugin"
#define RELEVE_SQL_IND_GET                                                                     \
  "SELECT label, actor, unit, share, period_kind, target_text, retired FROM indicators "       \
  "WHERE id = ? AND contract = ?"
#define RELEVE_SQL_IND_UPSERT                                                                  \
  "INSERT INTO indicators(id, label, actor, theme, action, unit, share, period_kind, "         \
  "target_text, target_kind, target_value, target_min, target_max, retired, contract) "        \
  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,?) "                                                    \
  "ON CONFLICT(id, contract) DO UPDATE SET label = excluded.label, actor = excluded.actor, "             \
  "theme = excluded.theme, action = excluded.action, unit = excluded.unit, "                   \
  "share = excluded.share, period_kind = excluded.period_kind, "                               \
  "target_text = excluded.target_text, target_kind = excluded.target_kind, "                   \
  "target_value = excluded.target_value, target_min = excluded.target_min, "                   \
  "target_max = excluded.target_max, retired = 0"
#define RELEVE_SQL_IND_ALL_ACTIVE "SELECT id FROM indicators WHERE contract = ? AND retired = 0"
#define RELEVE_SQL_IND_RETIRE "UPDATE indicators SET retired = 1 WHERE id = ? AND contract = ?"
/* The rows migration 11 found, given the configuration's one contract
 * (store_sync.c): whether some wait, and each table's relabelling. */
#define RELEVE_SQL_CONTRACT_PENDING "SELECT 1 FROM contract_pending"
#define RELEVE_SQL_CONTRACT_ASSIGN(table) "UPDATE " table " SET contract = ? WHERE contract = ''"
#define RELEVE_SQL_CONTRACT_ASSIGNED "DELETE FROM contract_pending"
/* A geography met in a file: its code, kind and vintage (NULL but for a
 * quartier); a place of a loaded list also gets its name, kept up to date. */
#define RELEVE_SQL_GEO_INSERT                                                                    \
  "INSERT INTO geographies(code, kind, vintage) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING"
/* Rewrites a row only when its list changed it: an unchanged start-up
 * leaves the database untouched (no write, no sync). */
#define RELEVE_SQL_GEO_PLACE_UPSERT                                                              \
  "INSERT INTO geographies(code, kind, vintage, name) VALUES (?, ?, ?, ?) "                      \
  "ON CONFLICT (code) DO UPDATE SET vintage = excluded.vintage, name = excluded.name "           \
  "WHERE geographies.vintage IS DISTINCT FROM excluded.vintage "                               \
  "OR geographies.name IS DISTINCT FROM excluded.name"
#define RELEVE_SQL_PERIOD_INSERT                                                               \
  "INSERT INTO periods(period, kind, year) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"

/* Submissions and observations. A submission's figures carry its
 * reception time, bound once (the last parameter) rather than computed per
 * row. */
#define RELEVE_SQL_SUB_FIND_ACCEPTED                                                           \
  "SELECT id, received_at FROM submissions WHERE actor = ? AND sha256 = ? AND outcome = 'accepted'"
/* The submissions that recorded these bytes for this actor, newest
 * first: a file found in processing/ may be one of them, recorded just
 * before a crash or stuck there (ingest.h, retry). */
#define RELEVE_SQL_SUB_RECORDED                                                                \
  "SELECT id, outcome, added, changed, unchanged, refused, warnings, report, name "            \
  "FROM submissions WHERE actor = ?1 AND sha256 = ?2 ORDER BY id DESC"
#define RELEVE_SQL_SUB_INSERT                                                                  \
  "INSERT INTO submissions(actor, channel, name, size, sha256, plugin, received_at, outcome, " \
  "added, changed, unchanged, refused, warnings, report, message_id) "                         \
  "VALUES (?1,?2,?3,?4,?5,?6,?14,?7,?8,?9,?10,?11,?12,?13,?15) RETURNING id"
#define RELEVE_SQL_SUB_SET_COUNTS                                                              \
  "UPDATE submissions SET added = ?, changed = ?, unchanged = ?, refused = ?, warnings = ?, "  \
  "report = ? WHERE id = ?"
/* A cell as stored, and the same cell in the period before (?4) for the
 * jump check: two primary-key lookups in one statement. Not "period IN
 * (?2, ?4)": SQLite would build a temporary table for the list on every
 * run. */
/* A cell's stored figure, for the collection table's reference columns. */
#define RELEVE_SQL_OBS_CELL                                                                    \
  "SELECT value, text, share, status FROM observations "                                      \
  "WHERE indicator = ? AND period = ? AND geography = ? AND contract = ?"
#define RELEVE_SQL_OBS_GET                                                                     \
  "SELECT period, value, text, share, status FROM observations "                               \
  "WHERE indicator = ?1 AND period = ?2 AND geography = ?3 AND contract = ?5 "                 \
  "UNION ALL SELECT period, value, text, share, status FROM observations "                     \
  "WHERE indicator = ?1 AND period = ?4 AND geography = ?3 AND contract = ?5"
/* The ingest has just read the cell (RELEVE_SQL_OBS_GET) inside its write
 * transaction, so it knows which of these two applies. */
#define RELEVE_SQL_OBS_INSERT                                                                  \
  "INSERT INTO observations(indicator, period, geography, value, text, share, status, "        \
  "comment, submission, line, updated_at, contract) "                                          \
  "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"
#define RELEVE_SQL_OBS_UPDATE                                                                  \
  "UPDATE observations SET value = ?4, text = ?5, share = ?6, status = ?7, comment = ?8, "     \
  "submission = ?9, line = ?10, updated_at = ?11 "                                             \
  "WHERE indicator = ?1 AND period = ?2 AND geography = ?3 AND contract = ?12"
#define RELEVE_SQL_REV_INSERT                                                                  \
  "INSERT INTO revisions(indicator, period, geography, value, text, share, status, comment, "  \
  "submission, line, received_at, contract) "                                                  \
  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
/* The (indicator, period) pairs of the file being ingested, one row each,
 * in a temporary table of the connection, emptied for each file. A
 * temporary table is found before any other of its name on both engines,
 * so it is named plainly. */
#define RELEVE_SQL_PAIRS_RESET                                                                 \
  "CREATE TEMP TABLE IF NOT EXISTS ingest_pairs("                                              \
  "indicator TEXT, period TEXT, PRIMARY KEY (indicator, period));"                            \
  "DELETE FROM ingest_pairs;"
#define RELEVE_SQL_PAIR_INSERT "INSERT INTO ingest_pairs VALUES (?, ?)"
/* Parts above their whole, for the cells a submission wrote (listed in
 * ingest_pairs): a count for QPV or QVA above QP, any part above PARIS; a
 * quartier (its code starts "QP0" or "QN0") above QP or QPV. Driven by the
 * file's (indicator, period) pairs and primary-key lookups of the wholes,
 * so its cost follows the file, not the database. The tables are CROSS
 * JOINed, their conditions in WHERE: SQLite keeps a CROSS JOIN's order,
 * which it must here, since the temp table has no statistics and with
 * plain JOINs its planner scanned every observation and probed the pairs
 * instead, a full table scan per file; PostgreSQL plans the same query
 * freely from its conditions. Shares and percentages are not additive and
 * are left out. The last two columns are 1 when the part, or the whole,
 * was given by this submission (?1); ?2 its contract. */
#define RELEVE_SQL_PART_ABOVE_WHOLE                                                            \
  "SELECT a.indicator, a.period, a.geography, a.value, a.line, b.geography, b.value, b.line, "  \
  "CASE WHEN a.submission = ?1 THEN 1 ELSE 0 END, "                                           \
  "CASE WHEN b.submission = ?1 THEN 1 ELSE 0 END "                                            \
  "FROM ingest_pairs k CROSS JOIN indicators i CROSS JOIN observations b "                    \
  "CROSS JOIN observations a "                                                                 \
  "WHERE i.id = k.indicator AND i.contract = ?2 AND i.unit IN ('count','amount') "             \
  "AND b.indicator = k.indicator AND b.period = k.period AND b.contract = ?2 "                 \
  "AND b.geography IN ('QP','QPV','PARIS') "                                                   \
  "AND a.indicator = k.indicator AND a.period = k.period AND a.contract = ?2 "                 \
  "AND a.value > b.value AND (a.submission = ?1 OR b.submission = ?1) "                        \
  "AND ((b.geography = 'QP' AND (a.geography IN ('QPV','QVA') "                                \
  "      OR substr(a.geography, 1, 3) IN ('QP0','QN0'))) "                                     \
  "  OR (b.geography = 'QPV' AND substr(a.geography, 1, 3) IN ('QP0','QN0')) "                 \
  "  OR (b.geography = 'PARIS' AND a.geography <> 'PARIS')) "                                  \
  "ORDER BY a.line"

/* The mail queue (mail_queue.c). Times are UTC text, which compares as it
 * sorts, computed by the caller and bound: now, the end of a lease or a
 * backoff, the age beyond which a message is not retried. */
#define RELEVE_SQL_MAIL_QUEUE_INSERT                                                           \
  "INSERT INTO mail_queue(message_id, recipients, subject, message, created_at, state, "       \
  "attempts) VALUES (?, ?, ?, ?, ?, 'pending', 0) RETURNING id"
#define RELEVE_SQL_MAIL_QUEUE_DUE                                                              \
  "SELECT id FROM mail_queue WHERE state = 'pending' AND (next_attempt_at IS NULL OR "         \
  "next_attempt_at <= ?1) ORDER BY id LIMIT ?2"
/* One statement: of two senders claiming the same message, one wins. ?1
 * the end of the lease, ?3 now. PostgreSQL's form, which skips a row
 * another sender holds, is in store_sql_pg.h. */
#define RELEVE_SQL_MAIL_QUEUE_CLAIM                                                            \
  "UPDATE mail_queue SET attempts = attempts + 1, next_attempt_at = ?1 WHERE id = ?2 AND "     \
  "state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?3) "                  \
  "RETURNING message_id, recipients, message, attempts"
#define RELEVE_SQL_MAIL_QUEUE_SENT                                                             \
  "UPDATE mail_queue SET state = 'sent', sent_at = ?1, next_attempt_at = NULL, "               \
  "last_error = NULL WHERE id = ?2"
#define RELEVE_SQL_MAIL_QUEUE_FAILED                                                           \
  "UPDATE mail_queue SET state = 'failed', last_error = ?, next_attempt_at = NULL WHERE id = " \
  "?"
/* ?1 the error, ?2 the next attempt, ?3 the oldest creation still
 * retried. */
#define RELEVE_SQL_MAIL_QUEUE_RETRY                                                            \
  "UPDATE mail_queue SET state = CASE WHEN created_at < ?3 THEN 'failed' ELSE 'pending' END, " \
  "last_error = CASE WHEN created_at < ?3 THEN 'gave up retrying: ' || CAST(?1 AS TEXT) "      \
  "ELSE ?1 END, next_attempt_at = CASE WHEN created_at < ?3 THEN NULL ELSE ?2 END "            \
  "WHERE id = ?4 RETURNING state"
#define RELEVE_SQL_MAIL_QUEUE_COUNTS                                                           \
  "SELECT state, count(*), count(last_error) FROM mail_queue GROUP BY state"
#define RELEVE_SQL_MAIL_QUEUE_FAILURES                                                         \
  "SELECT id, recipients, subject, created_at, attempts, last_error FROM mail_queue WHERE "    \
  "state = 'failed' ORDER BY id"

/* Reply tokens (mail_token.c): made on first need, replaced on rotation
 * when ?3 is 1; ?4 now. */
#define RELEVE_SQL_MAIL_TOKEN_GET "SELECT token FROM mail_tokens WHERE actor = ?"
#define RELEVE_SQL_MAIL_TOKEN_SET                                                              \
  "INSERT INTO mail_tokens(actor, token, created_at) VALUES (?1, ?2, ?4) ON CONFLICT(actor) "  \
  "DO UPDATE SET token = excluded.token, created_at = excluded.created_at WHERE ?3 = 1"

/* Partners' messages (inbox/): one row per Message-ID, taken or
 * quarantined; the attachments a taken one drops; one note a day per
 * sender of a quarantined one. */
#define RELEVE_SQL_MAIL_MESSAGE_GET "SELECT outcome, done FROM mail_messages WHERE message_id = ?"
/* ?3: the UTC time of reception. */
#define RELEVE_SQL_MAIL_MESSAGE_QUARANTINED                                                    \
  "INSERT INTO mail_messages(message_id, received_at, outcome, reason, done) VALUES (?1, ?3, " \
  "'quarantined', ?2, 1) ON CONFLICT DO NOTHING"
#define RELEVE_SQL_MAIL_MESSAGE_TAKEN                                                          \
  "INSERT INTO mail_messages(message_id, actor, received_at, outcome, done) VALUES (?1, ?2, "  \
  "?3, 'taken', 0) ON CONFLICT DO NOTHING"
#define RELEVE_SQL_MAIL_MESSAGE_DONE "UPDATE mail_messages SET done = 1 WHERE message_id = ?"
#define RELEVE_SQL_MAIL_DROP_NOTE                                                              \
  "INSERT INTO mail_drops(message_id, sha256, actor, name) VALUES (?, ?, ?, ?) "              \
  "ON CONFLICT DO NOTHING"
#define RELEVE_SQL_MAIL_DROP_PENDING                                                           \
  "SELECT 1 FROM mail_drops WHERE message_id = ? AND sha256 = ? AND dropped = 0"
#define RELEVE_SQL_MAIL_DROP_DONE                                                              \
  "UPDATE mail_drops SET dropped = 1 WHERE message_id = ? AND sha256 = ?"
/* ?2: today's UTC date, YYYY-MM-DD. */
#define RELEVE_SQL_MAIL_ANSWER_ONCE                                                            \
  "INSERT INTO mail_answers(sender, day) VALUES (lower(?1), ?2) ON CONFLICT DO NOTHING"
#define RELEVE_SQL_MAIL_MESSAGE_COUNTS                                                         \
  "SELECT outcome, count(*) FROM mail_messages GROUP BY outcome"

/* Reminders sent, never twice for the same actor, campaign and step. */
#define RELEVE_SQL_REMINDER_DONE                                                               \
  "SELECT 1 FROM reminders WHERE actor = ? AND campaign = ? AND step = ?"
#define RELEVE_SQL_REMINDER_INSERT                                                             \
  "INSERT INTO reminders(actor, campaign, step, sent_at, cells, mail) VALUES (?, ?, ?, ?, ?, ?)"

/* Scheduled pulls (pull.c): validators and failures per source. */
#define RELEVE_SQL_PULL_GET                                                                    \
  "SELECT etag, last_modified, sha256 FROM pulls WHERE source = ?"
#define RELEVE_SQL_PULL_FAILED                                                                 \
  "INSERT INTO pulls(source, last_attempt, failures, last_error) VALUES (?, ?, 1, ?) ON "      \
  "CONFLICT(source) DO UPDATE SET last_attempt = excluded.last_attempt, failures = "           \
  "pulls.failures + 1, last_error = excluded.last_error RETURNING failures"
#define RELEVE_SQL_PULL_OK                                                                     \
  "INSERT INTO pulls(source, etag, last_modified, sha256, last_attempt, last_success, "        \
  "failures, last_error) VALUES (?, ?, ?, ?, ?, ?, 0, NULL) ON CONFLICT(source) DO "           \
  "UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, sha256 = "         \
  "excluded.sha256, last_attempt = excluded.last_attempt, last_success = "                     \
  "excluded.last_success, failures = 0, last_error = NULL"
/* ?4: the UTC time of the drop. */
#define RELEVE_SQL_PULL_DROPPING                                                               \
  "INSERT INTO pull_drops(actor, sha256, source, dropped_at) VALUES (?, ?, ?, ?) ON CONFLICT" \
  "(actor, sha256, source) DO UPDATE SET dropped_at = excluded.dropped_at"
#define RELEVE_SQL_PULL_DROPPED_BY "SELECT 1 FROM pull_drops WHERE actor = ? AND sha256 = ?"
/* The message that brought these bytes of this actor, the newest. */
#define RELEVE_SQL_MAIL_DROPPED_BY                                                             \
  "SELECT d.message_id FROM mail_drops d JOIN mail_messages m ON m.message_id = d.message_id " \
  "WHERE d.actor = ? AND d.sha256 = ? ORDER BY m.received_at DESC LIMIT 1"
/* Polled IMAP mailboxes (inbox/imap_seen.c). */
#define RELEVE_SQL_IMAP_FOLDER_GET                                                             \
  "SELECT uidvalidity, last_attempt, failures FROM imap_folders WHERE mailbox = ?"
#define RELEVE_SQL_IMAP_FORGET "DELETE FROM imap_taken WHERE mailbox = ?"
#define RELEVE_SQL_IMAP_VALIDITY                                                               \
  "INSERT INTO imap_folders(mailbox, uidvalidity) VALUES (?, ?) ON CONFLICT(mailbox) DO "      \
  "UPDATE SET uidvalidity = excluded.uidvalidity"
#define RELEVE_SQL_IMAP_TAKEN_HAS "SELECT 1 FROM imap_taken WHERE mailbox = ? AND uid = ?"
/* ?4: the UTC time it was taken. */
#define RELEVE_SQL_IMAP_TAKEN_ADD                                                              \
  "INSERT INTO imap_taken(mailbox, uid, outcome, taken_at) VALUES (?, ?, ?, ?) ON CONFLICT "   \
  "DO NOTHING"
#define RELEVE_SQL_IMAP_FAILED                                                                 \
  "INSERT INTO imap_folders(mailbox, last_attempt, failures, last_error) VALUES (?, ?, 1, ?) " \
  "ON CONFLICT(mailbox) DO UPDATE SET last_attempt = excluded.last_attempt, failures = "       \
  "imap_folders.failures + 1, last_error = excluded.last_error RETURNING failures"
#define RELEVE_SQL_IMAP_OK                                                                     \
  "INSERT INTO imap_folders(mailbox, last_attempt) VALUES (?, ?) ON CONFLICT(mailbox) DO "     \
  "UPDATE SET last_attempt = excluded.last_attempt, failures = 0, last_error = NULL"
#define RELEVE_SQL_PULL_ALL                                                                    \
  "SELECT source, last_attempt, last_success, failures, last_error FROM pulls ORDER BY "       \
  "source"

/* Actors whose plugin cannot read their files (plugin_fault.c); ?4 now. */
#define RELEVE_SQL_FAULT_NEW                                                                   \
  "INSERT INTO plugin_faults(actor, plugin, problem, since) VALUES (?1, ?2, ?3, ?4) "          \
  "ON CONFLICT(actor) DO NOTHING"
#define RELEVE_SQL_FAULT_UPDATE                                                                \
  "UPDATE plugin_faults SET plugin = ?2, problem = ?3 WHERE actor = ?1"
#define RELEVE_SQL_FAULT_CLEAR "DELETE FROM plugin_faults WHERE actor = ?"
#define RELEVE_SQL_FAULT_ALL                                                                   \
  "SELECT actor, plugin, problem, since FROM plugin_faults ORDER BY actor"

/* Reading. */
#define RELEVE_SQL_HISTORY                                                                     \
  "SELECT r.period, r.geography, r.value, r.text, r.share, r.status, r.comment, "              \
  "r.received_at, s.id, s.actor, s.channel, s.name, s.sha256, r.line "                         \
  "FROM revisions r JOIN submissions s ON s.id = r.submission "                                \
  "WHERE r.indicator = ? AND r.contract = ? ORDER BY r.period, r.geography, r.submission"
#define RELEVE_SQL_OBS_FOR_INDICATOR                                                           \
  "SELECT o.period, o.geography, o.value, o.text, o.share, o.status, p.year "                  \
  "FROM observations o JOIN periods p ON p.period = o.period "                                 \
  "WHERE o.indicator = ? AND o.contract = ? ORDER BY p.year, o.geography"
/* A read transaction, valid on SQLite (deferred) and PostgreSQL. */
#define RELEVE_SQL_BEGIN_READ "BEGIN"
/* The cell lookups below are by (indicator, period, geography, contract),
 * the primary key, in that order. */
#define RELEVE_SQL_OBS_EXISTS                                                                  \
  "SELECT 1 FROM observations WHERE indicator = ? AND period = ? AND geography = ? "           \
  "AND contract = ?"
/* A cell's value, NULL when given as suppressed or not available. */
#define RELEVE_SQL_OBS_VALUE                                                                   \
  "SELECT value FROM observations WHERE indicator = ? AND period = ? AND geography = ? "       \
  "AND contract = ?"
/* The figures of one indicator and period that carry a value, for the
 * quartier codes among them (their spelling is configurable: geo.h). */
#define RELEVE_SQL_OBS_QUARTIERS                                                               \
  "SELECT geography, value FROM observations WHERE indicator = ? AND period = ? "              \
  "AND contract = ? AND value IS NOT NULL "                                                    \
  "AND geography NOT IN ('PARIS', 'QP', 'QPV', 'QVA', 'REP', 'REP+')"
#define RELEVE_SQL_SUBMISSION_COUNTS                                                           \
  "SELECT outcome, count(*) FROM submissions GROUP BY outcome"
/* What came in (`releve submissions`, `releve status`): every query below
 * gives the same columns, RELEVE_SQL_SUB_COLUMNS, the report last where
 * asked for. A filter bound NULL lets everything through; --since compares
 * the ISO date with the ISO reception time. */
#define RELEVE_SQL_SUB_COLUMNS                                                                 \
  "id, actor, channel, name, size, sha256, plugin, received_at, outcome, added, changed, "    \
  "unchanged, refused, warnings"
#define RELEVE_SQL_SUB_LIST                                                                    \
  "SELECT " RELEVE_SQL_SUB_COLUMNS " FROM submissions WHERE (CAST(?1 AS TEXT) IS NULL OR "    \
  "actor = ?1) AND (CAST(?2 AS TEXT) IS NULL OR received_at >= ?2) AND (CAST(?3 AS TEXT) IS "  \
  "NULL OR outcome = ?3) ORDER BY id"
/* Whether the actor ever sent a file through its spool folder. */
#define RELEVE_SQL_SUB_SPOOL_USED                                                              \
  "SELECT 1 FROM submissions WHERE actor = ? AND channel = 'spool' LIMIT 1"
#define RELEVE_SQL_SUB_SHOW                                                                    \
  "SELECT " RELEVE_SQL_SUB_COLUMNS ", report FROM submissions WHERE id = ?"
#define RELEVE_SQL_SUB_LAST_OF_ACTOR                                                           \
  "SELECT " RELEVE_SQL_SUB_COLUMNS " FROM submissions WHERE actor = ? ORDER BY id DESC LIMIT 1"
/* An actor's refused files that no accepted file of theirs came after: a
 * corrected file may bear another name, so any later accepted file counts
 * as the replacement. */
#define RELEVE_SQL_SUB_REFUSED_PENDING                                                         \
  "SELECT " RELEVE_SQL_SUB_COLUMNS " FROM submissions s WHERE actor = ?1 AND "                \
  "outcome = 'refused' AND NOT EXISTS (SELECT 1 FROM submissions a WHERE a.actor = ?1 AND "   \
  "a.outcome = 'accepted' AND a.id > s.id) ORDER BY id"

#endif
