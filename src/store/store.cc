#include "rapport/store/store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <thread>
#include <unordered_set>
#include <utility>

#include "rapport/core/identity.h"
#include "rapport/core/text.h"
#include "rapport/core/time.h"
#include "sqlite_util.h"

namespace rapport::store {
namespace {

// The schema this build writes (meta key schema_version); Migrate brings older ones up to it.
constexpr int64_t kSchemaVersion = 5;

// The events table, created under a name given by the caller (the migration from version 2
// builds it beside the old one). Its dedupe key is (source, native_id); native_key is a 64-bit
// hash of the two (NativeKey, in SQL rapport_native_key), and the index events_key on it finds
// an event's repeats. Its entries are 8-byte integers rather than 26 bytes of text, and it builds
// in half the time a unique index on the texts took (docs/BENCHMARKS.md); the texts are compared
// where the hashes match.
constexpr const char* kEventsTable = R"sql(
CREATE TABLE IF NOT EXISTS {}(
  id INTEGER PRIMARY KEY,
  time REAL NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor INTEGER NOT NULL REFERENCES identities(id),
  private INTEGER NOT NULL,
  duration REAL NOT NULL DEFAULT 0,
  effort REAL,
  valence REAL NOT NULL DEFAULT 1,
  source TEXT NOT NULL,
  native_id TEXT NOT NULL,
  text TEXT,
  native_key INTEGER NOT NULL);
)sql";

// The scores table, created under a name given by the caller (the upgrade from version 4 builds
// it beside the old one). Every score run appends one row a person; the key begins with the
// run's date, so a run's rows go in at the end of the table's b-tree, in order, rather than
// beside each person's earlier rows (200,000 rows beside 200,000 earlier ones: 0.40 s in the
// `sqlite3` shell, against 0.85 to 0.93 s keyed by person first, with an index on the rowid).
// A person's rows are found one run at a time (kScoresOfPerson), so there is no index by person
// and no foreign key on person_id: a key on people would look for the rows of every person
// deleted by scanning the table. SaveScores checks the people exist; merging and forgetting a
// person delete their rows.
constexpr const char* kScoresTable = R"sql(
CREATE TABLE IF NOT EXISTS {}(
  as_of REAL NOT NULL,
  person_id INTEGER NOT NULL,
  volume_score REAL NOT NULL,
  rapport_score REAL NOT NULL,
  volume_raw REAL,   -- NULL in rows an older store recorded without it
  rapport_raw REAL,
  PRIMARY KEY(as_of, person_id)) WITHOUT ROWID;
)sql";
// A person's rows of the scores table, found with one seek of the key a run: the dates of the
// runs, one seek each (SQLite skips through a key on its own only with statistics), then the
// person's row of each.
constexpr const char* kScoresOfPerson =
    "FROM scores WHERE as_of IN (WITH RECURSIVE runs(as_of) AS (SELECT min(as_of) FROM scores "
    "UNION ALL SELECT (SELECT min(as_of) FROM scores WHERE as_of > runs.as_of) FROM runs WHERE "
    "runs.as_of IS NOT NULL) SELECT as_of FROM runs WHERE as_of IS NOT NULL) AND person_id = ?1";

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS people(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS identities(
  id INTEGER PRIMARY KEY,
  value TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  display_name TEXT,
  person_id INTEGER NOT NULL REFERENCES people(id));
CREATE TABLE IF NOT EXISTS merges(
  id INTEGER PRIMARY KEY,
  identity_id INTEGER NOT NULL REFERENCES identities(id),
  from_person INTEGER,
  to_person INTEGER NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
CREATE INDEX IF NOT EXISTS merges_identity ON merges(identity_id);
CREATE INDEX IF NOT EXISTS identities_person ON identities(person_id);
CREATE TABLE IF NOT EXISTS imports(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  format TEXT NOT NULL,
  finished_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  read INTEGER NOT NULL,
  accepted INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  duplicate INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS event_targets(
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  identity_id INTEGER NOT NULL REFERENCES identities(id),
  PRIMARY KEY(event_id, identity_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS score_checkpoint(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  anchor REAL NOT NULL,
  settings TEXT NOT NULL,
  last_event_id INTEGER NOT NULL,
  last_identity_id INTEGER NOT NULL,
  identities_digest INTEGER NOT NULL,
  file_nonce INTEGER NOT NULL,
  file_checksum INTEGER NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '{}');
)sql";

// The connection's settings: a page cache of 256 MiB, temporary tables and sorts in memory.
constexpr const char* kUsualSettings =
    "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; PRAGMA threads=0;";

// The indexes a large import drops and builds again at its end: those that only speed up reads
// (events by time, by actor, by target), and the dedupe key when the store was empty. Opening a
// store builds any that are missing, so an import that died between the two leaves nothing
// wrong.
constexpr const char* kReadIndexes = R"sql(
CREATE INDEX IF NOT EXISTS events_time ON events(time);
CREATE INDEX IF NOT EXISTS events_actor ON events(actor);
CREATE INDEX IF NOT EXISTS event_targets_identity ON event_targets(identity_id);
)sql";
constexpr const char* kDedupeIndex = "CREATE INDEX events_key ON events(native_key)";
// Events that repeat the (source, native_id) of an earlier one (a smaller id), with their
// targets (by cascade): what the dedupe lookup would have refused, had the index been there.
// Only the events whose hash is among those of a query ({}) are compared.
constexpr const char* kDeleteRepeatedEvents =
    "DELETE FROM events WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY "
    "source, native_id ORDER BY id) AS occurrence FROM events WHERE native_key IN ({})) WHERE "
    "occurrence > 1)";
constexpr const char* kRepeatedHashes =
    "SELECT native_key FROM events GROUP BY native_key HAVING count(*) > 1";
// The stored hash of a dedupe key. Its top 16 bits come from the source alone, so that the
// events of one source are neighbours in the index: importing a new file appends to the index
// rather than writing pages all over it (10,000 events into a store of 10^6: 7 pages of the
// index written, against 4,100 with the whole hash random). The other 48 bits hash both.
int64_t NativeKey(std::string_view source, std::string_view native_id) {
  const uint64_t source_state = FnvAppend(kFnvOffset, source);
  const uint64_t both =
      Avalanche(FnvAppend(FnvAppend(source_state, std::string_view("\0", 1)), native_id));
  return static_cast<int64_t>((Avalanche(source_state) & 0xffff000000000000ULL) | (both >> 16));
}
// NativeKey in SQL: rapport_native_key(source, native_id).
void NativeKeyFunction(sqlite3_context* context, int, sqlite3_value** values) {
  const auto text = [](sqlite3_value* value) {
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_value_text(value));
    return std::string_view(bytes == nullptr ? "" : bytes,
                            static_cast<size_t>(sqlite3_value_bytes(value)));
  };
  sqlite3_result_int64(context, NativeKey(text(values[0]), text(values[1])));
}

// " VALUES " and `row` (a parenthesised list of parameters) `rows` times, for statements that
// insert many rows at once.
std::string ManyRows(std::string_view row, size_t rows) {
  std::string values = " VALUES ";
  for (size_t i = 0; i < rows; ++i) {
    if (i > 0) values += ',';
    values += row;
  }
  return values;
}

// Identity values to their ids, looked up for every event an import stores: an open-addressing
// table in one array, the values in one string. A lookup costs a cache miss or two; in
// std::unordered_map it cost two divisions and three misses (0.85 s of a 10^6-event import).
class IdentityCache {
 public:
  static uint64_t HashOf(std::string_view value) { return std::hash<std::string_view>{}(value); }
  // The id of `value`, or 0 when it is not cached (identity ids start at 1).
  int64_t Find(std::string_view value) const { return Find(value, HashOf(value)); }
  // The same, given HashOf(value).
  int64_t Find(std::string_view value, uint64_t hash) const {
    if (slots_.empty()) return 0;
    const size_t mask = slots_.size() - 1;
    for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
      const Slot& entry = slots_[slot];
      if (entry.id == 0) return 0;
      if (entry.hash == hash && ValueOf(entry) == value) return entry.id;
    }
  }
  // Starts fetching the slot where the value of hash `hash` is looked for first.
  void Prefetch(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  // REQUIRES: `value` is not cached, id > 0.
  void Insert(std::string_view value, int64_t id) {
    if (2 * (used_ + 1) > slots_.size()) Grow();
    Slot entry{std::hash<std::string_view>{}(value), id, values_.size(), value.size()};
    values_.append(value);
    Place(entry);
    ++used_;
  }
  void Clear() {
    slots_.clear();
    values_.clear();
    used_ = 0;
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    int64_t id = 0;  // 0: empty
    size_t offset = 0;
    size_t length = 0;
  };
  std::string_view ValueOf(const Slot& entry) const {
    return std::string_view(values_).substr(entry.offset, entry.length);
  }
  void Place(const Slot& entry) {
    const size_t mask = slots_.size() - 1;
    size_t slot = entry.hash & mask;
    while (slots_[slot].id != 0) slot = (slot + 1) & mask;
    slots_[slot] = entry;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
    for (const Slot& entry : old) {
      if (entry.id != 0) Place(entry);
    }
  }

  std::vector<Slot> slots_;
  std::string values_;
  size_t used_ = 0;
};

}  // namespace

struct Store::Statements {
  Statement find_event;
  Statement insert_event;
  Statement insert_target;
  // Store::kRowsPerInsert rows a statement: events (without OR IGNORE) and targets.
  Statement insert_events;
  Statement insert_targets;
  Statement find_identity;
  Statement insert_person;
  Statement insert_identity;
  // Identity values as given and as normalised, to their ids: a value seen before is found
  // without normalising it again.
  IdentityCache identity_cache;
  std::unordered_set<int64_t> named_identities;
};

Store::Store(std::string path, sqlite3* db)
    : path_(std::move(path)), db_(db), statements_(std::make_unique<Statements>()) {}

Store::~Store() {
  statements_.reset();  // statements must be finalised before the connection closes
  sqlite3_close(db_);
}

Result<std::unique_ptr<Store>> Store::Open(
    const std::string& path, const std::function<void(const std::string&)>& on_notice) {
  sqlite3* db = nullptr;
  // NOMUTEX: a Store is used from one thread at a time (store.h), so SQLite need not lock.
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return IoError(fmt::format("cannot open database {}: {}", path, message));
  }
  std::unique_ptr<Store> store(new Store(path, db));
  sqlite3_busy_timeout(db, 10000);
  if (sqlite3_create_function_v2(db, "rapport_native_key", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                 nullptr, NativeKeyFunction, nullptr, nullptr,
                                 nullptr) != SQLITE_OK) {
    return Internal(fmt::format("sqlite: {} (opening {})", sqlite3_errmsg(db), path));
  }
  Status status = store->Exec(
      fmt::format("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; {}",
                  kUsualSettings)
          .c_str());
  if (status.ok()) status = store->Exec(fmt::format(kEventsTable, "events").c_str());
  if (status.ok()) status = store->Exec(fmt::format(kSchema, kSchemaVersion).c_str());
  if (status.ok()) status = store->Exec(fmt::format(kScoresTable, "scores").c_str());
  if (!status.ok()) {
    return status.WithContext(fmt::format(
        "{} is not a Rapport database (or is damaged); give another path with --db", path));
  }
  RAPPORT_RETURN_IF_ERROR(store->Migrate(on_notice));
  RAPPORT_RETURN_IF_ERROR(store->BuildIndexes().status());
  Statements& s = *store->statements_;
  RAPPORT_ASSIGN_OR_RETURN(
      s.find_event,
      Statement::Prepare(db,
                         "SELECT 1 FROM events WHERE native_key = ?1 AND source = ?2 AND "
                         "native_id = ?3"));
  RAPPORT_ASSIGN_OR_RETURN(
      s.insert_event,
      Statement::Prepare(db,
                         "INSERT INTO events(time, channel, kind, actor, private, duration, "
                         "effort, valence, source, native_id, text, native_key) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  RAPPORT_ASSIGN_OR_RETURN(
      s.insert_target,
      Statement::Prepare(
          db, "INSERT OR IGNORE INTO event_targets(event_id, identity_id) VALUES (?1, ?2)"));
  RAPPORT_ASSIGN_OR_RETURN(s.find_identity,
                           Statement::Prepare(db, "SELECT id FROM identities WHERE value = ?1"));
  RAPPORT_ASSIGN_OR_RETURN(s.insert_person,
                           Statement::Prepare(db, "INSERT INTO people(name) VALUES (?1)"));
  RAPPORT_ASSIGN_OR_RETURN(
      s.insert_identity,
      Statement::Prepare(db, "INSERT INTO identities(value, kind, person_id) VALUES (?1, ?2, ?3)"));
  return store;
}

Status Store::Migrate(const std::function<void(const std::string&)>& on_notice) {
  // A store a newer build wrote may hold tables this one would misread or break: refused.
  RAPPORT_ASSIGN_OR_RETURN(
      Statement version,
      Statement::Prepare(db_, "SELECT value FROM meta WHERE key = 'schema_version'"));
  RAPPORT_ASSIGN_OR_RETURN(bool row, version.Step());
  const int64_t stored_version = row ? version.Int(0) : 0;
  version.Reset();  // a statement left open would lock the tables the upgrades change
  if (stored_version > kSchemaVersion) {
    return InvalidArgument(fmt::format(
        "{} was written by a newer rapport (schema version {}; this one knows up to {}): open it "
        "with that version, or give another store with --db",
        path_, stored_version, kSchemaVersion));
  }
  // Version 1 databases lack the identity kind and display name columns.
  RAPPORT_ASSIGN_OR_RETURN(
      Statement columns, Statement::Prepare(db_,
                                            "SELECT count(*) FROM pragma_table_info('identities') "
                                            "WHERE name = 'kind'"));
  RAPPORT_ASSIGN_OR_RETURN(row, columns.Step());
  const bool lacks_kind = row && columns.Int(0) == 0;
  columns.Reset();
  if (lacks_kind) {
    RAPPORT_RETURN_IF_ERROR(
        Exec("ALTER TABLE identities ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'; "
             "ALTER TABLE identities ADD COLUMN display_name TEXT; "
             "UPDATE meta SET value = '2' WHERE key = 'schema_version';"));
  }
  RAPPORT_RETURN_IF_ERROR(UpgradeEventsTable(on_notice));
  RAPPORT_RETURN_IF_ERROR(UpgradeScoresTable(on_notice));
  // Every table is as this version has them now (a missing scores table was created as
  // kScoresTable, in Open): the version is left to record.
  if (stored_version == kSchemaVersion) return Status::Ok();
  return Exec(
      fmt::format("UPDATE meta SET value = '{}' WHERE key = 'schema_version'", kSchemaVersion)
          .c_str());
}

// The text that created a table; empty when there is none.
Result<std::string> Store::TableSql(std::string_view table) const {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement query,
      Statement::Prepare(db_, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1"));
  query.Bind(1, table);
  RAPPORT_ASSIGN_OR_RETURN(bool row, query.Step());
  return row ? query.Text(0) : std::string();
}

Status Store::UpgradeEventsTable(const std::function<void(const std::string&)>& on_notice) {
  // Version 2 databases have the dedupe key as a table constraint, which cannot be dropped: the
  // events table is built again without it, with the hash of the key (SQLite's procedure for
  // changing a table, with foreign keys off so that dropping the old table leaves event_targets
  // alone). Version 3 databases have the key as a unique index on the texts: the hash column is
  // added and filled, and the index events_key replaces that one (BuildIndexes, after this).
  RAPPORT_ASSIGN_OR_RETURN(const std::string table_sql, TableSql("events"));
  const bool has_constraint = table_sql.find("UNIQUE(source, native_id)") != std::string::npos;
  const bool lacks_key = table_sql.find("native_key") == std::string::npos;
  if (!has_constraint && !lacks_key) return Status::Ok();
  if (on_notice) {
    RAPPORT_ASSIGN_OR_RETURN(const int64_t events, CountEvents());
    on_notice(fmt::format(
        "upgrading {} to schema version 4: its events table ({} event(s)) is rewritten once", path_,
        events));
  }
  const std::string upgrade =
      has_constraint ? fmt::format(
                           "{}"
                           "INSERT INTO events_v4 SELECT id, time, channel, kind, actor, private, "
                           "duration, effort, valence, source, native_id, text, "
                           "rapport_native_key(source, native_id) FROM events; "
                           "DROP TABLE events; ALTER TABLE events_v4 RENAME TO events; ",
                           fmt::format(kEventsTable, "events_v4"))
                     : std::string(
                           "ALTER TABLE events ADD COLUMN native_key INTEGER NOT NULL DEFAULT 0; "
                           "UPDATE events SET native_key = rapport_native_key(source, native_id); "
                           "DROP INDEX IF EXISTS events_native; ");
  RAPPORT_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=OFF"));
  Status rebuilt = Exec("BEGIN IMMEDIATE");
  if (rebuilt.ok()) {
    rebuilt = Exec(
        (upgrade + "UPDATE meta SET value = '4' WHERE key = 'schema_version'; COMMIT;").c_str());
    if (!rebuilt.ok()) (void)Exec("ROLLBACK");
  }
  RAPPORT_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=ON"));
  return rebuilt.WithContext("upgrading the events table to schema version 4");
}

Status Store::UpgradeScoresTable(const std::function<void(const std::string&)>& on_notice) {
  // Up to version 4 the scores were keyed by person first, with the raw scores in a JSON text
  // (components): the table is built again keyed by date first (kScoresTable), the raw scores
  // taken out of the text where it gives them.
  RAPPORT_ASSIGN_OR_RETURN(const std::string table_sql, TableSql("scores"));
  if (table_sql.find("components") == std::string::npos) return Status::Ok();
  if (on_notice) {
    on_notice(
        fmt::format("upgrading {} to schema version 5: its scores table is rewritten once", path_));
  }
  constexpr const char* kRaw =
      "CASE WHEN json_valid(components) THEN json_extract(components, '$.{}') END";
  const std::string upgrade = fmt::format(
      "BEGIN IMMEDIATE; {}"
      "INSERT INTO scores_v5 SELECT as_of, person_id, volume_score, rapport_score, {}, {} FROM "
      "scores ORDER BY as_of, person_id; "
      "DROP TABLE scores; ALTER TABLE scores_v5 RENAME TO scores; COMMIT;",
      fmt::format(kScoresTable, "scores_v5"), fmt::format(kRaw, "volume_raw"),
      fmt::format(kRaw, "rapport_raw"));
  Status rebuilt = Exec(upgrade.c_str());
  if (!rebuilt.ok()) (void)Exec("ROLLBACK");
  return rebuilt.WithContext("upgrading the scores table to schema version 5");
}

Status Store::Exec(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return Internal("sqlite: " + message);
  }
  return Status::Ok();
}

Status Store::BeginBatch() {
  RAPPORT_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  return Status::Ok();
}

Status Store::CommitBatch() { return Exec("COMMIT"); }

Status Store::SetReferenceChecks(bool on) {
  return Exec(on ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF");
}

Status Store::RollbackBatch() {
  statements_->identity_cache.Clear();  // ids created in the batch are gone
  statements_->named_identities.clear();
  return Exec("ROLLBACK");
}

Result<int64_t> Store::IdentityId(std::string_view raw_value) {
  return IdentityId(raw_value, IdentityCache::HashOf(raw_value));
}

Result<int64_t> Store::IdentityId(std::string_view raw_value, uint64_t raw_hash) {
  Statements& s = *statements_;
  if (const int64_t cached = s.identity_cache.Find(raw_value, raw_hash); cached != 0) {
    return cached;
  }
  const std::string value = NormalizeIdentity(raw_value);
  if (const int64_t cached = s.identity_cache.Find(value); cached != 0) {
    s.identity_cache.Insert(raw_value, cached);
    return cached;
  }
  s.find_identity.Bind(1, value);
  RAPPORT_ASSIGN_OR_RETURN(bool found, s.find_identity.Step());
  int64_t id = found ? s.find_identity.Int(0) : 0;
  s.find_identity.Reset();
  if (!found) {
    // A new identity is a new person until identity resolution says otherwise.
    s.insert_person.Bind(1, value);
    RAPPORT_RETURN_IF_ERROR(s.insert_person.Run());
    int64_t person_id = sqlite3_last_insert_rowid(db_);
    s.insert_identity.Bind(1, value)
        .Bind(2, IdentityKindName(KindOfIdentity(value)))
        .Bind(3, person_id);
    RAPPORT_RETURN_IF_ERROR(s.insert_identity.Run());
    id = sqlite3_last_insert_rowid(db_);
  }
  if (raw_value != value) s.identity_cache.Insert(raw_value, id);
  s.identity_cache.Insert(value, id);
  return id;
}

Result<bool> Store::IsStored(const Event& event, int64_t key) {
  Statement& find = statements_->find_event;
  find.Bind(1, key).BindStatic(2, event.source).BindStatic(3, event.native_id);
  Result<bool> found = find.Step();
  find.Reset();
  return found;
}

Result<bool> Store::InsertEvent(const Event& event) {
  const int64_t key = NativeKey(event.source, event.native_id);
  if (!dedupe_key_down_) {
    RAPPORT_ASSIGN_OR_RETURN(const bool stored, IsStored(event, key));
    if (stored) return false;
  } else {
    KeepKeyWhileDown(key);
  }
  RAPPORT_RETURN_IF_ERROR(InsertNewEvent(event, key));
  return true;
}

void Store::KeepKeyWhileDown(int64_t key) {
  if (!keys_while_down_) return;
  if (keys_while_down_->size() == kMaxKeysWhileDown) {
    keys_while_down_.reset();  // SQLite looks for the repeats instead
    return;
  }
  keys_while_down_->push_back(key);
}

Status Store::InsertNewEvent(const Event& event, int64_t key) {
  Statements& s = *statements_;
  RAPPORT_ASSIGN_OR_RETURN(int64_t actor, IdentityId(event.actor));
  // The texts are bound without a copy: the event outlives the insert.
  s.insert_event.Bind(1, event.time)
      .BindStatic(2, ChannelName(event.channel))
      .BindStatic(3, KindName(event.kind))
      .Bind(4, actor)
      .Bind(5, int64_t{event.is_private ? 1 : 0})
      .Bind(6, event.duration)
      .Bind(8, event.valence)
      .BindStatic(9, event.source)
      .BindStatic(10, event.native_id)
      .Bind(12, key);
  s.insert_event.Bind(7, event.effort);
  if (event.text.empty()) {
    s.insert_event.BindNull(11);
  } else {
    s.insert_event.BindStatic(11, event.text);
  }
  RAPPORT_RETURN_IF_ERROR(s.insert_event.Run());
  int64_t event_id = sqlite3_last_insert_rowid(db_);
  RAPPORT_RETURN_IF_ERROR(NameOnce(actor, event.actor_name));
  for (size_t i = 0; i < event.targets.size(); ++i) {
    RAPPORT_ASSIGN_OR_RETURN(int64_t target_id, IdentityId(event.targets[i]));
    s.insert_target.Bind(1, event_id).Bind(2, target_id);
    RAPPORT_RETURN_IF_ERROR(s.insert_target.Run());
    if (i < event.target_names.size())
      RAPPORT_RETURN_IF_ERROR(NameOnce(target_id, event.target_names[i]));
  }
  return Status::Ok();
}

Status Store::NameOnce(int64_t identity_id, const std::string& display_name) {
  // Each identity's first display name is kept (once per store session, not per event).
  if (display_name.empty() || !statements_->named_identities.insert(identity_id).second) {
    return Status::Ok();
  }
  return SetDisplayName(identity_id, display_name);
}

Result<int64_t> Store::InsertEvents(std::span<const Event> events) {
  // The new events, in groups of kRowsPerInsert. An event is new when the store does not hold
  // its key and no event of the group repeats it (while the dedupe key is down, every one is).
  std::vector<const Event*> group;
  std::vector<int64_t> keys;
  group.reserve(kRowsPerInsert);
  keys.reserve(kRowsPerInsert);
  int64_t inserted = 0;
  for (const Event& event : events) {
    const int64_t key = NativeKey(event.source, event.native_id);
    if (!dedupe_key_down_) {
      bool repeated = false;
      for (size_t i = 0; i < group.size() && !repeated; ++i) {
        repeated = keys[i] == key && group[i]->source == event.source &&
                   group[i]->native_id == event.native_id;
      }
      if (!repeated) {
        RAPPORT_ASSIGN_OR_RETURN(repeated, IsStored(event, key));
      }
      if (repeated) continue;
    } else {
      KeepKeyWhileDown(key);
    }
    group.push_back(&event);
    keys.push_back(key);
    if (group.size() == kRowsPerInsert) {
      RAPPORT_RETURN_IF_ERROR(InsertEventRows(group, keys));
      inserted += kRowsPerInsert;
      group.clear();
      keys.clear();
    }
  }
  for (size_t i = 0; i < group.size(); ++i) {
    RAPPORT_RETURN_IF_ERROR(InsertNewEvent(*group[i], keys[i]));
  }
  return inserted + static_cast<int64_t>(group.size());
}

Status Store::InsertEventRows(std::span<const Event* const> events, std::span<const int64_t> keys) {
  Statements& s = *statements_;
  if (!s.insert_events) {  // prepared on first use: most runs of the program never insert
    RAPPORT_ASSIGN_OR_RETURN(
        s.insert_events,
        Statement::Prepare(db_,
                           "INSERT INTO events(time, channel, kind, actor, private, duration, "
                           "effort, valence, source, native_id, text, native_key)" +
                               ManyRows("(?,?,?,?,?,?,?,?,?,?,?,?)", kRowsPerInsert)));
    RAPPORT_ASSIGN_OR_RETURN(
        s.insert_targets,
        Statement::Prepare(db_, "INSERT OR IGNORE INTO event_targets(event_id, identity_id)" +
                                    ManyRows("(?,?)", kRowsPerInsert)));
  }
  // Identities first: resolving one may insert rows of its own. Their places in the cache are
  // fetched all at once first: one at a time, each lookup waited for memory (0.38 s of the
  // storing thread at 10^6 events).
  std::vector<uint64_t> hashes;
  for (const Event* event : events) {
    hashes.push_back(IdentityCache::HashOf(event->actor));
    for (const std::string& target : event->targets)
      hashes.push_back(IdentityCache::HashOf(target));
  }
  for (const uint64_t hash : hashes) s.identity_cache.Prefetch(hash);
  std::array<int64_t, kRowsPerInsert> actors;
  std::vector<int64_t> targets;
  size_t next_hash = 0;
  for (size_t row = 0; row < events.size(); ++row) {
    const Event& event = *events[row];
    RAPPORT_ASSIGN_OR_RETURN(actors[row], IdentityId(event.actor, hashes[next_hash++]));
    for (const std::string& target : event.targets) {
      RAPPORT_ASSIGN_OR_RETURN(const int64_t id, IdentityId(target, hashes[next_hash++]));
      targets.push_back(id);
    }
  }
  for (size_t row = 0; row < events.size(); ++row) {
    const Event& event = *events[row];
    const int first = static_cast<int>(row) * 12;
    // The texts are bound without a copy: the events outlive the insert.
    s.insert_events.Bind(first + 1, event.time)
        .BindStatic(first + 2, ChannelName(event.channel))
        .BindStatic(first + 3, KindName(event.kind))
        .Bind(first + 4, actors[row])
        .Bind(first + 5, int64_t{event.is_private ? 1 : 0})
        .Bind(first + 6, event.duration)
        .Bind(first + 8, event.valence)
        .BindStatic(first + 9, event.source)
        .BindStatic(first + 10, event.native_id)
        .Bind(first + 12, keys[row]);
    if (event.effort) s.insert_events.Bind(first + 7, *event.effort);
    if (!event.text.empty()) s.insert_events.BindStatic(first + 11, event.text);
  }
  RAPPORT_RETURN_IF_ERROR(s.insert_events.Run());  // unbound parameters are NULL
  const int64_t first_id = sqlite3_last_insert_rowid(db_) - static_cast<int64_t>(events.size()) + 1;

  // The targets: kRowsPerInsert (event, identity) pairs a statement, the rest one by one.
  std::vector<std::pair<int64_t, int64_t>> pairs;
  pairs.reserve(targets.size());
  size_t next_target = 0;
  for (size_t row = 0; row < events.size(); ++row) {
    for (size_t t = 0; t < events[row]->targets.size(); ++t) {
      pairs.emplace_back(first_id + static_cast<int64_t>(row), targets[next_target++]);
    }
  }
  size_t next_pair = 0;
  for (; next_pair + kRowsPerInsert <= pairs.size(); next_pair += kRowsPerInsert) {
    for (size_t i = 0; i < kRowsPerInsert; ++i) {
      s.insert_targets.Bind(static_cast<int>(2 * i + 1), pairs[next_pair + i].first)
          .Bind(static_cast<int>(2 * i + 2), pairs[next_pair + i].second);
    }
    RAPPORT_RETURN_IF_ERROR(s.insert_targets.Run());
  }
  for (; next_pair < pairs.size(); ++next_pair) {
    s.insert_target.Bind(1, pairs[next_pair].first).Bind(2, pairs[next_pair].second);
    RAPPORT_RETURN_IF_ERROR(s.insert_target.Run());
  }

  // Display names: each identity's first one is kept.
  next_target = 0;
  for (size_t row = 0; row < events.size(); ++row) {
    const Event& event = *events[row];
    RAPPORT_RETURN_IF_ERROR(NameOnce(actors[row], event.actor_name));
    for (size_t t = 0; t < event.targets.size(); ++t, ++next_target) {
      if (t < event.target_names.size()) {
        RAPPORT_RETURN_IF_ERROR(NameOnce(targets[next_target], event.target_names[t]));
      }
    }
  }
  return Status::Ok();
}

Status Store::DropReadIndexes() {
  return Exec(
      "DROP INDEX IF EXISTS events_time; DROP INDEX IF EXISTS events_actor; "
      "DROP INDEX IF EXISTS event_targets_identity;");
}

Status Store::DropDedupeIndex() {
  RAPPORT_ASSIGN_OR_RETURN(const int64_t stored, CountEvents());
  RAPPORT_RETURN_IF_ERROR(Exec("DROP INDEX IF EXISTS events_key"));
  dedupe_key_down_ = true;
  keys_while_down_.reset();
  if (stored == 0) keys_while_down_.emplace();
  return Status::Ok();
}

Result<int64_t> Store::DeleteRepeatedEvents() {
  // Events stored while the index was down may repeat earlier ones: the later ones go. Only
  // events whose hashes repeat can; when every stored event's hash is at hand, those are
  // found here, else SQLite looks through the index for them.
  if (!keys_while_down_) {
    RAPPORT_RETURN_IF_ERROR(Exec(fmt::format(kDeleteRepeatedEvents, kRepeatedHashes).c_str()));
    return sqlite3_changes64(db_);
  }
  std::vector<int64_t>& keys = *keys_while_down_;
  std::sort(keys.begin(), keys.end());
  std::vector<int64_t> repeated;
  for (auto key = keys.begin(); (key = std::adjacent_find(key, keys.end())) != keys.end();) {
    repeated.push_back(*key);
    key = std::upper_bound(key, keys.end(), *key);
  }
  if (repeated.empty()) return 0;
  RAPPORT_RETURN_IF_ERROR(
      Exec("DROP TABLE IF EXISTS temp.repeated_hashes; "
           "CREATE TEMP TABLE repeated_hashes(hash INTEGER PRIMARY KEY)"));
  Status deleted = [&]() -> Status {
    RAPPORT_ASSIGN_OR_RETURN(
        Statement insert,
        Statement::Prepare(db_, "INSERT INTO temp.repeated_hashes(hash) VALUES (?1)"));
    for (const int64_t key : repeated) RAPPORT_RETURN_IF_ERROR(insert.Bind(1, key).Run());
    return Exec(
        fmt::format(kDeleteRepeatedEvents, "SELECT hash FROM temp.repeated_hashes").c_str());
  }();
  const int64_t removed = sqlite3_changes64(db_);
  RAPPORT_RETURN_IF_ERROR(Exec("DROP TABLE temp.repeated_hashes"));
  RAPPORT_RETURN_IF_ERROR(deleted);
  return removed;
}

Result<int64_t> Store::BuildIndexes() {
  // Building an index sorts all its entries. SQLite's sorter is fastest at that with small runs
  // written to temporary files and merged, a worker thread per core: at 10^7 events the four
  // indexes took 27 s so with runs of 16 MB, 101 s sorting in memory. Runs of 2 MB (the page
  // cache's size sets them) were faster still, by a quarter at 10^6 events and a seventh at
  // 10^7: sorting a run chases pointers through it, and a smaller one stays in the processor's
  // cache (docs/BENCHMARKS.md). The files go to the first writable of SQLITE_TMPDIR, /var/tmp,
  // /usr/tmp, /tmp and the current directory. The usual settings come back afterwards.
  const auto build = [this]() -> Result<int64_t> {
    RAPPORT_RETURN_IF_ERROR(Exec(kReadIndexes));
    RAPPORT_ASSIGN_OR_RETURN(
        Statement key_index,
        Statement::Prepare(
            db_, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'events_key'"));
    RAPPORT_ASSIGN_OR_RETURN(const bool key_indexed, key_index.Step());
    key_index.Reset();
    if (key_indexed) return 0;
    RAPPORT_RETURN_IF_ERROR(Exec(kDedupeIndex));
    return DeleteRepeatedEvents();
  };
  const unsigned threads = std::min(8u, std::max(1u, std::thread::hardware_concurrency()));
  RAPPORT_RETURN_IF_ERROR(Exec(
      fmt::format("PRAGMA cache_size=-2048; PRAGMA temp_store=FILE; PRAGMA threads={};", threads)
          .c_str()));
  Result<int64_t> removed = build();
  keys_while_down_.reset();
  if (removed.ok()) dedupe_key_down_ = false;
  const Status restored = Exec(kUsualSettings);
  if (removed.ok() && !restored.ok()) return restored;
  return removed;
}

Status Store::RecordImport(const std::string& path, const std::string& format, int64_t read,
                           int64_t accepted, int64_t rejected, int64_t duplicate) {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement insert,
      Statement::Prepare(db_,
                         "INSERT INTO imports(path, format, read, accepted, rejected, duplicate) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  insert.Bind(1, path)
      .Bind(2, format)
      .Bind(3, read)
      .Bind(4, accepted)
      .Bind(5, rejected)
      .Bind(6, duplicate);
  return insert.Run();
}

Result<EventLog> Store::LoadEventLog(double as_of, double after) const {
  // Every event: one scan of the table. Only the newest (incremental scoring): through the time
  // index.
  const bool newest_only = std::isfinite(after);
  EventLog log;
  {
    RAPPORT_ASSIGN_OR_RETURN(Statement people,
                             Statement::Prepare(db_, "SELECT id, name FROM people ORDER BY id"));
    while (true) {
      RAPPORT_ASSIGN_OR_RETURN(bool row, people.Step());
      if (!row) break;
      log.person_id.push_back(people.Int(0));
      log.person_name.push_back(people.Text(1));
    }
  }
  // Identities to people, by identity id (ids are small and dense): no join per row below.
  constexpr PersonIndex kNoPerson = std::numeric_limits<PersonIndex>::max();
  std::vector<PersonIndex> person_of_identity;
  {
    RAPPORT_ASSIGN_OR_RETURN(Statement identities,
                             Statement::Prepare(db_, "SELECT id, person_id FROM identities"));
    while (true) {
      RAPPORT_ASSIGN_OR_RETURN(bool row, identities.Step());
      if (!row) break;
      const auto id = static_cast<size_t>(identities.Int(0));
      if (id >= person_of_identity.size()) person_of_identity.resize(id + 1, kNoPerson);
      // The person's index: their place among the ids, in order (no map of 200,000 entries).
      const int64_t person = identities.Int(1);
      const auto at = std::lower_bound(log.person_id.begin(), log.person_id.end(), person);
      if (at == log.person_id.end() || *at != person) {
        return DataLoss(
            fmt::format("identity {} belongs to person {}, who does not exist", id, person));
      }
      person_of_identity[id] = static_cast<PersonIndex>(at - log.person_id.begin());
    }
  }
  // kNoPerson for an identity that does not exist (a Result per row costs more than the row).
  auto person_of = [&](int64_t identity) {
    return identity < 0 || static_cast<size_t>(identity) >= person_of_identity.size()
               ? kNoPerson
               : person_of_identity[static_cast<size_t>(identity)];
  };
  auto no_identity = [](int64_t identity) {
    return DataLoss(fmt::format("identity {} of an event does not exist", identity));
  };
  // Events in table order (a scan, no random reads through the time index), then sorted by
  // (time, id) in memory.
  EventLog scanned;
  const double last_time = std::isinf(as_of) ? std::numeric_limits<double>::max() : as_of;
  if (!newest_only) {
    // Room for every event at once (ids are dense): growing nine arrays by doubling copies them
    // and touches about twice their memory.
    RAPPORT_ASSIGN_OR_RETURN(Statement span,
                             Statement::Prepare(db_, "SELECT max(id) - min(id) + 1 FROM events"));
    RAPPORT_ASSIGN_OR_RETURN(bool row, span.Step());
    const auto events = static_cast<size_t>(row ? std::max<int64_t>(span.Int(0), 0) : 0);
    const auto reserve = [events](auto&... columns) { (columns.reserve(events), ...); };
    reserve(scanned.event_id, scanned.time, scanned.channel, scanned.kind, scanned.actor,
            scanned.is_private, scanned.duration, scanned.effort_override, scanned.valence);
  }
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Statement events,
        Statement::Prepare(db_, newest_only
                                    ? "SELECT id, time, channel, kind, actor, private, duration, "
                                      "effort, valence FROM events WHERE time <= ?1 AND time > ?2"
                                    : "SELECT id, time, channel, kind, actor, private, duration, "
                                      "effort, valence FROM events NOT INDEXED WHERE time <= ?1"));
    events.Bind(1, last_time);
    if (newest_only) events.Bind(2, after);
    while (true) {
      RAPPORT_ASSIGN_OR_RETURN(bool row, events.Step());
      if (!row) break;
      std::optional<Channel> channel = ParseChannel(events.TextView(2));
      std::optional<Kind> kind = ParseKind(events.TextView(3));
      if (!channel || !kind) {
        return DataLoss(fmt::format("event {} has an unknown channel or kind ({}, {})",
                                    events.Int(0), events.Text(2), events.Text(3)));
      }
      const PersonIndex actor = person_of(events.Int(4));
      if (actor == kNoPerson) return no_identity(events.Int(4));
      scanned.event_id.push_back(events.Int(0));
      scanned.time.push_back(events.Double(1));
      scanned.channel.push_back(*channel);
      scanned.kind.push_back(*kind);
      scanned.actor.push_back(actor);
      scanned.is_private.push_back(events.Int(5) != 0 ? 1 : 0);
      scanned.duration.push_back(events.Double(6));
      scanned.effort_override.push_back(events.IsNull(7) ? std::numeric_limits<double>::quiet_NaN()
                                                         : events.Double(7));
      scanned.valence.push_back(events.Double(8));
    }
  }
  const size_t event_count = scanned.time.size();
  const auto earlier = [&scanned](size_t a, size_t b) {
    return std::pair{scanned.time[a], scanned.event_id[a]} <
           std::pair{scanned.time[b], scanned.event_id[b]};
  };
  bool in_order = true;  // the usual case: ids were given in time order on import
  for (size_t row = 1; row < event_count && in_order; ++row) in_order = !earlier(row, row - 1);
  // Each column moved as it is, or gathered in (time, id) order.
  std::vector<uint32_t> order;
  if (!in_order) {
    order.resize(event_count);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), earlier);
  }
  auto gather = [&](auto& into, auto& from) {
    if (in_order) {
      into = std::move(from);
      return;
    }
    into.resize(event_count);
    for (size_t row = 0; row < event_count; ++row) into[row] = from[order[row]];
  };
  gather(log.event_id, scanned.event_id);
  gather(log.time, scanned.time);
  gather(log.channel, scanned.channel);
  gather(log.kind, scanned.kind);
  gather(log.actor, scanned.actor);
  gather(log.is_private, scanned.is_private);
  gather(log.duration, scanned.duration);
  gather(log.effort_override, scanned.effort_override);
  gather(log.valence, scanned.valence);
  scanned = EventLog();
  // The row of each event id (ids are dense), for its targets.
  constexpr uint32_t kNoRow = std::numeric_limits<uint32_t>::max();
  int64_t min_event_id = event_count == 0 ? 0 : log.event_id[0], max_event_id = min_event_id;
  for (int64_t id : log.event_id) {
    min_event_id = std::min(min_event_id, id);
    max_event_id = std::max(max_event_id, id);
  }
  std::vector<uint32_t> row_of_event(static_cast<size_t>(max_event_id - min_event_id) + 1, kNoRow);
  for (size_t row = 0; row < event_count; ++row) {
    row_of_event[static_cast<size_t>(log.event_id[row] - min_event_id)] =
        static_cast<uint32_t>(row);
  }
  // Targets: collect (row, person) pairs, then lay them out CSR by row. Several identities of
  // one person in one event count once; the actor never targets themself. Every target is read
  // in the table's order, by event: left to itself SQLite scans the smaller covering index on
  // identity instead, and every row is then a random read of the arrays below (4.8 s instead of
  // 1 s at 10^7 events). Only the newest events' targets: those of the range of their ids when
  // it holds few other events (the usual case, events imported in time order: one range read),
  // else through the time index, event by event.
  const bool id_range = newest_only && row_of_event.size() <= 2 * event_count;
  std::vector<std::pair<uint32_t, PersonIndex>> pairs;
  {
    std::string_view query =
        "SELECT event_id, identity_id FROM event_targets ORDER BY event_id, identity_id";
    if (id_range) {
      query = "SELECT event_id, identity_id FROM event_targets WHERE event_id BETWEEN ?1 AND ?2";
    } else if (newest_only) {
      query =
          "SELECT t.event_id, t.identity_id FROM events e JOIN event_targets t ON t.event_id = "
          "e.id WHERE e.time <= ?1 AND e.time > ?2";
    }
    RAPPORT_ASSIGN_OR_RETURN(Statement targets, Statement::Prepare(db_, query));
    if (id_range) {
      targets.Bind(1, min_event_id).Bind(2, max_event_id);
    } else if (newest_only) {
      targets.Bind(1, last_time).Bind(2, after);
    }
    while (true) {
      RAPPORT_ASSIGN_OR_RETURN(bool row, targets.Step());
      if (!row) break;
      const int64_t event = targets.Int(0) - min_event_id;
      if (event < 0 || static_cast<size_t>(event) >= row_of_event.size() ||
          row_of_event[static_cast<size_t>(event)] == kNoRow) {
        continue;  // an event not read: after as_of, or in the id range but not among the newest
      }
      const uint32_t at = row_of_event[static_cast<size_t>(event)];
      const PersonIndex target = person_of(targets.Int(1));
      if (target == kNoPerson) return no_identity(targets.Int(1));
      if (target == log.actor[at]) continue;
      pairs.emplace_back(at, target);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  log.target_offset.assign(log.time.size() + 1, 0);
  for (const auto& [row, target] : pairs) ++log.target_offset[row + 1];
  for (size_t i = 0; i < log.time.size(); ++i) log.target_offset[i + 1] += log.target_offset[i];
  log.targets.reserve(pairs.size());
  for (const auto& [row, target] : pairs) log.targets.push_back(target);
  return log;
}

Result<int64_t> Store::CountEvents() const {
  RAPPORT_ASSIGN_OR_RETURN(Statement count, Statement::Prepare(db_, "SELECT count(*) FROM events"));
  RAPPORT_ASSIGN_OR_RETURN(bool row, count.Step());
  return row ? count.Int(0) : 0;
}

Result<std::optional<double>> Store::LatestEventTime() const {
  RAPPORT_ASSIGN_OR_RETURN(Statement latest,
                           Statement::Prepare(db_, "SELECT max(time) FROM events"));
  RAPPORT_ASSIGN_OR_RETURN(bool row, latest.Step());
  return row ? latest.OptionalDouble(0) : std::nullopt;
}

Result<std::vector<Person>> Store::ListPeople() const {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement list,
      Statement::Prepare(db_,
                         "SELECT p.id, p.name, i.value FROM people p "
                         "JOIN identities i ON i.person_id = p.id ORDER BY p.id, i.id"));
  std::vector<Person> people;
  while (true) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) break;
    if (people.empty() || people.back().id != list.Int(0)) {
      people.push_back(Person{list.Int(0), list.Text(1), {}});
    }
    people.back().identities.push_back(list.Text(2));
  }
  return people;
}

Result<Person> Store::FindPerson(const std::string& query) const {
  std::string wanted = query;
  if (wanted == "me") {
    RAPPORT_ASSIGN_OR_RETURN(wanted, OwnerIdentity());
  }
  RAPPORT_ASSIGN_OR_RETURN(std::vector<Person> people, ListPeople());
  // Exact identity first, then "#id" or a bare id, then exact name, then unique substring.
  const std::string normal = NormalizeIdentity(wanted);
  for (const Person& person : people) {
    for (const std::string& identity : person.identities) {
      if (identity == normal) return person;
    }
  }
  std::string id_text = wanted.starts_with('#') ? wanted.substr(1) : wanted;
  int64_t id = 0;
  // from_chars, not stoll: an id too large for int64 is no match, not an uncaught exception.
  auto [end, error] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (!id_text.empty() && error == std::errc() && end == id_text.data() + id_text.size() &&
      id_text.front() != '-') {
    for (const Person& person : people) {
      if (person.id == id) return person;
    }
  }
  std::string lower = AsciiLower(wanted);
  std::vector<const Person*> matches;
  for (const Person& person : people) {
    if (AsciiLower(person.name) == lower) return person;
    if (AsciiLower(person.name).find(lower) != std::string::npos) matches.push_back(&person);
  }
  if (matches.size() == 1) return *matches.front();
  if (matches.empty()) {
    return NotFound(fmt::format(
        "no person matches \"{}\"; give an identity, a name or #id (see `rapport score`)", query));
  }
  std::string names;
  for (size_t i = 0; i < matches.size() && i < 10; ++i) {
    names += fmt::format("{}#{} {}", i ? ", " : "", matches[i]->id, matches[i]->name);
  }
  return InvalidArgument(fmt::format("\"{}\" matches {} people ({}{}); be more specific", query,
                                     matches.size(), names, matches.size() > 10 ? ", ..." : ""));
}

Result<std::string> Store::OwnerIdentity() const {
  RAPPORT_ASSIGN_OR_RETURN(Statement get,
                           Statement::Prepare(db_, "SELECT value FROM meta WHERE key = 'owner'"));
  RAPPORT_ASSIGN_OR_RETURN(bool row, get.Step());
  return row ? get.Text(0) : std::string("me");
}

Status Store::SetOwnerIdentity(const std::string& identity) {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement set,
      Statement::Prepare(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES ('owner', ?1)"));
  set.Bind(1, identity);
  return set.Run();
}

Result<std::vector<StoredEvent>> Store::EventsBetween(int64_t person_a, int64_t person_b,
                                                      double as_of, int limit) const {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement query,
      Statement::Prepare(
          db_,
          "SELECT e.id, e.time, e.channel, e.kind, ia.value, e.private, e.duration, e.effort, "
          "e.valence, e.source, e.native_id, coalesce(e.text, ''), min(it.value) "
          "FROM events e JOIN identities ia ON ia.id = e.actor "
          "JOIN event_targets t ON t.event_id = e.id JOIN identities it ON it.id = t.identity_id "
          "WHERE e.time <= ?3 AND ((ia.person_id = ?1 AND it.person_id = ?2) OR "
          "(ia.person_id = ?2 AND it.person_id = ?1)) "
          "GROUP BY e.id ORDER BY e.time DESC, e.id DESC LIMIT ?4"));
  query.Bind(1, person_a)
      .Bind(2, person_b)
      .Bind(3, std::isinf(as_of) ? std::numeric_limits<double>::max() : as_of)
      .Bind(4, int64_t{limit});
  std::vector<StoredEvent> out;
  while (true) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    StoredEvent stored;
    stored.id = query.Int(0);
    Event& e = stored.event;
    e.time = query.Double(1);
    e.channel = ParseChannel(query.Text(2)).value_or(Channel::kOther);
    e.kind = ParseKind(query.Text(3)).value_or(Kind::kPost);
    e.actor = query.Text(4);
    e.is_private = query.Int(5) != 0;
    e.duration = query.Double(6);
    e.effort = query.OptionalDouble(7);
    e.valence = query.Double(8);
    e.source = query.Text(9);
    e.native_id = query.Text(10);
    e.text = query.Text(11);
    e.targets.push_back(query.Text(12));
    out.push_back(std::move(stored));
  }
  return out;
}

Status Store::SaveScores(const std::vector<ScoreRecord>& records) {
  // kRowsPerInsert rows a statement (a statement's fixed cost is most of a row's), the rest one
  // by one.
  constexpr std::string_view kInsert =
      "INSERT OR REPLACE INTO scores(as_of, person_id, volume_score, rapport_score, volume_raw, "
      "rapport_raw)";
  RAPPORT_ASSIGN_OR_RETURN(
      Statement insert_many,
      Statement::Prepare(db_, std::string(kInsert) + ManyRows("(?,?,?,?,?,?)", kRowsPerInsert)));
  RAPPORT_ASSIGN_OR_RETURN(Statement insert_one,
                           Statement::Prepare(db_, std::string(kInsert) + " VALUES (?,?,?,?,?,?)"));
  // In key order: the rows go in at the end of the table's b-tree, one after the other. The
  // keys are sorted apart from the records (a sort through pointers to them waits on memory).
  struct Key {
    double as_of;
    int64_t person_id;
    size_t record;
    bool operator<(const Key& other) const {
      return std::tie(as_of, person_id) < std::tie(other.as_of, other.person_id);
    }
  };
  std::vector<Key> keys(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    keys[i] = {records[i].as_of, records[i].person_id, i};
  }
  if (!std::is_sorted(keys.begin(), keys.end())) std::sort(keys.begin(), keys.end());
  const auto bind = [](Statement& insert, int first, const ScoreRecord& record) {
    insert.Bind(first + 1, record.as_of)
        .Bind(first + 2, record.person_id)
        .Bind(first + 3, record.volume_score)
        .Bind(first + 4, record.rapport_score)
        .Bind(first + 5, record.volume_raw)
        .Bind(first + 6, record.rapport_raw);
  };
  // Ok when every row's person exists: one scan of the people's ids, in order, beside the rows
  // sorted by person. It runs inside the write transaction, so no one can delete a person
  // meanwhile.
  const auto check_people = [&]() -> Status {
    std::vector<int64_t> people_of_rows(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) people_of_rows[i] = keys[i].person_id;
    // Already in order when the rows are of one date.
    if (!std::is_sorted(people_of_rows.begin(), people_of_rows.end())) {
      std::sort(people_of_rows.begin(), people_of_rows.end());
    }
    RAPPORT_ASSIGN_OR_RETURN(Statement people,
                             Statement::Prepare(db_, "SELECT id FROM people ORDER BY id"));
    RAPPORT_ASSIGN_OR_RETURN(bool row, people.Step());
    for (const int64_t person_id : people_of_rows) {
      while (row && people.Int(0) < person_id) {
        RAPPORT_ASSIGN_OR_RETURN(row, people.Step());
      }
      if (!row || people.Int(0) != person_id) {
        return NotFound(fmt::format("no person {} to record a score for", person_id));
      }
    }
    return Status::Ok();
  };
  Status status = Exec("BEGIN IMMEDIATE");
  const bool began = status.ok();
  if (began) status = check_people();
  size_t next = 0;
  for (; status.ok() && next + kRowsPerInsert <= keys.size(); next += kRowsPerInsert) {
    for (size_t row = 0; row < kRowsPerInsert; ++row) {
      bind(insert_many, static_cast<int>(6 * row), records[keys[next + row].record]);
    }
    status = insert_many.Run();
  }
  for (; status.ok() && next < keys.size(); ++next) {
    bind(insert_one, 0, records[keys[next].record]);
    status = insert_one.Run();
  }
  if (status.ok()) {
    status = Exec("COMMIT");
  } else if (began) {
    (void)Exec("ROLLBACK");
  }
  return status;
}

Result<std::vector<ScoreRecord>> Store::ScoreHistory(int64_t person_id) const {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement query,
      Statement::Prepare(db_, fmt::format("SELECT as_of, person_id, volume_score, rapport_score, "
                                          "volume_raw, rapport_raw {} ORDER BY as_of",
                                          kScoresOfPerson)));
  query.Bind(1, person_id);
  std::vector<ScoreRecord> out;
  while (true) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    out.push_back(ScoreRecord{query.Double(0), query.Int(1), query.Double(2), query.Double(3),
                              query.OptionalDouble(4), query.OptionalDouble(5)});
  }
  return out;
}

}  // namespace rapport::store

namespace rapport::store {

Result<int64_t> Store::PersonOfIdentity(int64_t identity_id) const {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement query, Statement::Prepare(db_, "SELECT person_id FROM identities WHERE id = ?1"));
  query.Bind(1, identity_id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return NotFound(fmt::format("no identity #{}", identity_id));
  return query.Int(0);
}

Status Store::SetDisplayName(int64_t identity_id, const std::string& display_name) {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement set_identity,
      Statement::Prepare(db_,
                         "UPDATE identities SET display_name = ?2 WHERE id = ?1 AND "
                         "(display_name IS NULL OR display_name = '')"));
  set_identity.Bind(1, identity_id).Bind(2, display_name);
  RAPPORT_RETURN_IF_ERROR(set_identity.Run());
  // The person takes the name unless someone named them: their name is still an identity value.
  RAPPORT_ASSIGN_OR_RETURN(
      Statement set_person,
      Statement::Prepare(db_,
                         "UPDATE people SET name = ?2 WHERE id = (SELECT person_id FROM "
                         "identities WHERE id = ?1) AND name IN (SELECT value FROM identities "
                         "WHERE person_id = people.id)"));
  set_person.Bind(1, identity_id).Bind(2, display_name);
  return set_person.Run();
}

Status Store::ApplyHint(const ingest::IdentityHint& hint) {
  if (hint.identity.empty()) return Status::Ok();
  RAPPORT_ASSIGN_OR_RETURN(int64_t identity, IdentityId(hint.identity));
  if (!hint.display_name.empty()) {
    RAPPORT_RETURN_IF_ERROR(SetDisplayName(identity, hint.display_name));
  }
  if (!hint.same_as.empty()) {
    RAPPORT_ASSIGN_OR_RETURN(int64_t other, IdentityId(hint.same_as));
    RAPPORT_ASSIGN_OR_RETURN(int64_t a, PersonOfIdentity(identity));
    RAPPORT_ASSIGN_OR_RETURN(int64_t b, PersonOfIdentity(other));
    if (a != b) {
      RAPPORT_RETURN_IF_ERROR(
          MergePeople(a, b, hint.reason.empty() ? "same account (reader)" : hint.reason).status());
    }
  }
  if (hint.is_owner) {
    RAPPORT_ASSIGN_OR_RETURN(std::string owner, OwnerIdentity());
    RAPPORT_ASSIGN_OR_RETURN(Statement find,
                             Statement::Prepare(db_, "SELECT id FROM identities WHERE value = ?1"));
    find.Bind(1, NormalizeIdentity(owner));
    RAPPORT_ASSIGN_OR_RETURN(bool owner_exists, find.Step());
    if (!owner_exists) {
      // The first owner identity seen becomes "me".
      RAPPORT_RETURN_IF_ERROR(SetOwnerIdentity(NormalizeIdentity(hint.identity)));
    } else {
      RAPPORT_ASSIGN_OR_RETURN(int64_t owner_person, PersonOfIdentity(find.Int(0)));
      RAPPORT_ASSIGN_OR_RETURN(int64_t person, PersonOfIdentity(identity));
      if (person != owner_person) {
        RAPPORT_RETURN_IF_ERROR(
            MergePeople(owner_person, person,
                        "the archive owner's own account" +
                            (hint.reason.empty() ? std::string() : " (" + hint.reason + ")"))
                .status());
      }
    }
  }
  return Status::Ok();
}

Result<int64_t> Store::MergePeople(int64_t into, int64_t from, const std::string& reason) {
  if (into == from) return into;
  RAPPORT_RETURN_IF_ERROR(Exec("SAVEPOINT merge_people"));
  auto run = [&]() -> Status {
    RAPPORT_ASSIGN_OR_RETURN(
        Statement record,
        Statement::Prepare(db_,
                           "INSERT INTO merges(identity_id, from_person, to_person, reason) "
                           "SELECT id, ?1, ?2, ?3 FROM identities WHERE person_id = ?1"));
    record.Bind(1, from).Bind(2, into).Bind(3, reason);
    RAPPORT_RETURN_IF_ERROR(record.Run());
    if (sqlite3_changes(db_) == 0) return NotFound(fmt::format("no person #{}", from));
    // Keep a chosen name; take the other's when ours is only an identity value.
    RAPPORT_ASSIGN_OR_RETURN(
        Statement rename,
        Statement::Prepare(db_,
                           "UPDATE people SET name = (SELECT name FROM people WHERE id = ?2) "
                           "WHERE id = ?1 AND name IN (SELECT value FROM identities WHERE "
                           "person_id = ?1) AND (SELECT name FROM people WHERE id = ?2) NOT IN "
                           "(SELECT value FROM identities WHERE person_id = ?2)"));
    rename.Bind(1, into).Bind(2, from);
    RAPPORT_RETURN_IF_ERROR(rename.Run());
    RAPPORT_ASSIGN_OR_RETURN(
        Statement move,
        Statement::Prepare(db_, "UPDATE identities SET person_id = ?1 WHERE person_id = ?2"));
    move.Bind(1, into).Bind(2, from);
    RAPPORT_RETURN_IF_ERROR(move.Run());
    // Scores are derived: the next scoring computes them for the merged person.
    RAPPORT_ASSIGN_OR_RETURN(Statement drop_scores,
                             Statement::Prepare(db_, fmt::format("DELETE {}", kScoresOfPerson)));
    drop_scores.Bind(1, from);
    RAPPORT_RETURN_IF_ERROR(drop_scores.Run());
    RAPPORT_ASSIGN_OR_RETURN(Statement remove,
                             Statement::Prepare(db_, "DELETE FROM people WHERE id = ?1"));
    remove.Bind(1, from);
    return remove.Run();
  };
  Status status = run();
  if (!status.ok()) {
    (void)Exec("ROLLBACK TO merge_people; RELEASE merge_people");
    return status;
  }
  RAPPORT_RETURN_IF_ERROR(Exec("RELEASE merge_people"));
  return into;
}

Result<int64_t> Store::SplitIdentity(int64_t person_id, const std::string& identity,
                                     const std::string& reason) {
  RAPPORT_ASSIGN_OR_RETURN(std::vector<IdentityInfo> identities, IdentitiesOf(person_id));
  const std::string value = NormalizeIdentity(identity);
  const IdentityInfo* found = nullptr;
  for (const IdentityInfo& info : identities) {
    if (info.value == value) found = &info;
  }
  if (found == nullptr) {
    std::string names;
    for (const IdentityInfo& info : identities) names += (names.empty() ? "" : ", ") + info.value;
    return NotFound(fmt::format("person #{} has no identity \"{}\"; their identities: {}",
                                person_id, identity, names));
  }
  if (identities.size() == 1) {
    return InvalidArgument(fmt::format(
        "\"{}\" is the only identity of person #{}: nothing to split", value, person_id));
  }
  RAPPORT_RETURN_IF_ERROR(Exec("SAVEPOINT split_identity"));
  auto run = [&]() -> Result<int64_t> {
    RAPPORT_ASSIGN_OR_RETURN(Statement create,
                             Statement::Prepare(db_, "INSERT INTO people(name) VALUES (?1)"));
    create.Bind(1, found->display_name.empty() ? found->value : found->display_name);
    RAPPORT_RETURN_IF_ERROR(create.Run());
    const int64_t fresh = sqlite3_last_insert_rowid(db_);
    RAPPORT_ASSIGN_OR_RETURN(
        Statement move,
        Statement::Prepare(db_, "UPDATE identities SET person_id = ?1 WHERE id = ?2"));
    move.Bind(1, fresh).Bind(2, found->id);
    RAPPORT_RETURN_IF_ERROR(move.Run());
    RAPPORT_ASSIGN_OR_RETURN(
        Statement record,
        Statement::Prepare(db_,
                           "INSERT INTO merges(identity_id, from_person, to_person, reason) "
                           "VALUES (?1, ?2, ?3, ?4)"));
    record.Bind(1, found->id).Bind(2, person_id).Bind(3, fresh).Bind(4, reason);
    RAPPORT_RETURN_IF_ERROR(record.Run());
    return fresh;
  };
  Result<int64_t> fresh = run();
  if (!fresh.ok()) {
    (void)Exec("ROLLBACK TO split_identity; RELEASE split_identity");
    return fresh.status();
  }
  RAPPORT_RETURN_IF_ERROR(Exec("RELEASE split_identity"));
  return fresh;
}

Result<std::vector<IdentityInfo>> Store::IdentitiesOf(int64_t person_id) const {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement query,
      Statement::Prepare(db_,
                         "SELECT i.id, i.value, i.kind, coalesce(i.display_name, ''), "
                         "coalesce((SELECT m.reason FROM merges m WHERE m.identity_id = i.id AND "
                         "m.to_person = i.person_id ORDER BY m.id DESC LIMIT 1), '') "
                         "FROM identities i WHERE i.person_id = ?1 ORDER BY i.id"));
  query.Bind(1, person_id);
  std::vector<IdentityInfo> out;
  while (true) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    IdentityInfo info{query.Int(0), query.Text(1), query.Text(2), query.Text(3), query.Text(4)};
    if (info.why.empty()) info.why = "first seen as this person's identity";
    out.push_back(std::move(info));
  }
  return out;
}

Result<std::vector<std::pair<int64_t, int64_t>>> Store::EventCountsByPerson() const {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement query,
      Statement::Prepare(
          db_,
          "SELECT person_id, count(*) FROM ("
          "SELECT i.person_id AS person_id FROM events e JOIN identities i ON i.id = e.actor "
          "UNION ALL SELECT i.person_id FROM event_targets t JOIN identities i ON "
          "i.id = t.identity_id) GROUP BY person_id"));
  std::vector<std::pair<int64_t, int64_t>> out;
  while (true) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    out.emplace_back(query.Int(0), query.Int(1));
  }
  return out;
}

}  // namespace rapport::store

namespace rapport::store {

Status Store::RenamePerson(int64_t person_id, const std::string& name) {
  RAPPORT_ASSIGN_OR_RETURN(Statement rename,
                           Statement::Prepare(db_, "UPDATE people SET name = ?2 WHERE id = ?1"));
  rename.Bind(1, person_id).Bind(2, name);
  return rename.Run();
}

}  // namespace rapport::store

namespace rapport::store {

// Forgetting: the rows that belong to the person go, and free text elsewhere that names them is
// cleared. Counting only runs the same statements and rolls back, so that the counts shown before
// `--yes` are exactly what `--yes` deletes.
Result<ForgetCounts> Store::ForgetPerson(int64_t person_id, ForgetMode mode) {
  ForgetCounts counts;
  RAPPORT_ASSIGN_OR_RETURN(Statement person,
                           Statement::Prepare(db_, "SELECT name FROM people WHERE id = ?1"));
  person.Bind(1, person_id);
  RAPPORT_ASSIGN_OR_RETURN(bool exists, person.Step());
  if (!exists) return NotFound(fmt::format("no person #{} to forget", person_id));
  std::vector<std::string> candidates = {person.Text(0)};
  person.Reset();  // VACUUM refuses to run while a statement is in progress
  RAPPORT_ASSIGN_OR_RETURN(std::vector<IdentityInfo> identities, IdentitiesOf(person_id));
  for (const IdentityInfo& identity : identities) {
    candidates.push_back(identity.value);
    candidates.push_back(identity.display_name);
  }
  std::unordered_set<std::string> seen;
  for (const std::string& candidate : candidates) {
    if (candidate.size() >= kForgetMinNeedle && seen.insert(AsciiLower(candidate)).second) {
      counts.needles.push_back(candidate);
    }
  }

  RAPPORT_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Status status = ForgetRows(person_id, counts);
  if (!status.ok() || mode == ForgetMode::kCountOnly) {
    (void)Exec("ROLLBACK");
    if (!status.ok()) return status.WithContext(fmt::format("forgetting person #{}", person_id));
    return counts;
  }
  RAPPORT_RETURN_IF_ERROR(Exec("COMMIT"));
  std::remove(CheckpointPathFor(path_).c_str());
  // Identity ids cached by InsertEvent may name deleted rows.
  statements_->identity_cache.Clear();
  statements_->named_identities.clear();
  RAPPORT_RETURN_IF_ERROR(VacuumAndTruncateLog().WithContext(
      fmt::format("person #{} is forgotten, but the file still holds deleted pages", person_id)));
  return counts;
}

Status Store::ForgetRows(int64_t person_id, ForgetCounts& counts) {
  // Runs `sql` with ?1 bound to `value` and returns the rows it changed.
  auto run = [&](std::string_view sql, auto value) -> Result<int64_t> {
    RAPPORT_ASSIGN_OR_RETURN(Statement statement, Statement::Prepare(db_, sql));
    statement.Bind(1, value);
    RAPPORT_RETURN_IF_ERROR(statement.Run());
    return int64_t{sqlite3_changes(db_)};
  };
  auto count_targets = [&]() -> Result<int64_t> {
    RAPPORT_ASSIGN_OR_RETURN(Statement count,
                             Statement::Prepare(db_, "SELECT count(*) FROM event_targets"));
    RAPPORT_ASSIGN_OR_RETURN(bool row, count.Step());
    return row ? count.Int(0) : 0;
  };
  constexpr const char* kTheirIdentities = "(SELECT id FROM identities WHERE person_id = ?1)";
  RAPPORT_ASSIGN_OR_RETURN(int64_t targets_before, count_targets());
  // Events of others addressed to them and to no one else. Their target rows go by cascade.
  RAPPORT_ASSIGN_OR_RETURN(
      int64_t orphaned,
      run(fmt::format("DELETE FROM events WHERE actor NOT IN {0} AND id IN (SELECT event_id FROM "
                      "event_targets WHERE identity_id IN {0}) AND NOT EXISTS (SELECT 1 FROM "
                      "event_targets t WHERE t.event_id = events.id AND t.identity_id NOT IN {0})",
                      kTheirIdentities),
          person_id));
  RAPPORT_ASSIGN_OR_RETURN(
      int64_t own,
      run(fmt::format("DELETE FROM events WHERE actor IN {}", kTheirIdentities), person_id));
  counts.events = orphaned + own;
  RAPPORT_RETURN_IF_ERROR(
      run(fmt::format("DELETE FROM event_targets WHERE identity_id IN {}", kTheirIdentities),
          person_id)
          .status());
  RAPPORT_ASSIGN_OR_RETURN(int64_t targets_after, count_targets());
  counts.event_targets = targets_before - targets_after;
  RAPPORT_ASSIGN_OR_RETURN(
      counts.merges,
      run(fmt::format("DELETE FROM merges WHERE identity_id IN {} OR from_person = ?1 OR "
                      "to_person = ?1",
                      kTheirIdentities),
          person_id));
  RAPPORT_ASSIGN_OR_RETURN(counts.scores,
                           run(fmt::format("DELETE {}", kScoresOfPerson), person_id));
  // The checkpoint holds their pairs' statistics: the next scoring starts from every event.
  RAPPORT_ASSIGN_OR_RETURN(counts.checkpoints,
                           run("DELETE FROM score_checkpoint WHERE id = ?1", int64_t{1}));
  RAPPORT_ASSIGN_OR_RETURN(
      counts.meta, run("DELETE FROM meta WHERE key = 'owner' AND value IN (SELECT value FROM "
                       "identities WHERE person_id = ?1)",
                       person_id));
  RAPPORT_ASSIGN_OR_RETURN(counts.identities,
                           run("DELETE FROM identities WHERE person_id = ?1", person_id));
  RAPPORT_ASSIGN_OR_RETURN(counts.people, run("DELETE FROM people WHERE id = ?1", person_id));
  // Free text in the rows that remain. instr(lower(..)) is a case-insensitive substring test
  // (ASCII case folding, as SQLite's lower()).
  for (const std::string& needle : counts.needles) {
    const std::string_view text(needle);
    RAPPORT_ASSIGN_OR_RETURN(int64_t texts,
                             run("UPDATE events SET text = NULL WHERE text IS NOT NULL AND "
                                 "instr(lower(text), lower(?1)) > 0",
                                 text));
    counts.event_texts_cleared += texts;
    RAPPORT_ASSIGN_OR_RETURN(
        int64_t keys,
        run("UPDATE events SET source = 'forgotten', native_id = 'event-' || id, native_key = "
            "rapport_native_key('forgotten', 'event-' || id) WHERE "
            "NOT (source = 'forgotten' AND native_id = 'event-' || id) AND "
            "(instr(lower(source), lower(?1)) > 0 OR instr(lower(native_id), lower(?1)) > 0)",
            text));
    counts.event_keys_replaced += keys;
    RAPPORT_ASSIGN_OR_RETURN(
        int64_t paths, run("UPDATE imports SET path = '[forgotten]' WHERE path <> '[forgotten]' "
                           "AND instr(lower(path), lower(?1)) > 0",
                           text));
    counts.import_paths_replaced += paths;
    RAPPORT_ASSIGN_OR_RETURN(int64_t reasons,
                             run("UPDATE merges SET reason = '[forgotten]' WHERE reason <> "
                                 "'[forgotten]' AND instr(lower(reason), lower(?1)) > 0",
                                 text));
    counts.merge_reasons_replaced += reasons;
  }
  return Status::Ok();
}

Status Store::VacuumAndTruncateLog() {
  // VACUUM rewrites every page from the live rows only; in WAL mode the new pages reach the main
  // file at the checkpoint, and TRUNCATE empties the log that held the old ones.
  RAPPORT_RETURN_IF_ERROR(Exec("VACUUM"));
  int log_frames = 0, checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                           &checkpointed);
  if (rc != SQLITE_OK) {
    return Internal(fmt::format(
        "sqlite: the write-ahead log could not be checkpointed ({}); another process has {} "
        "open, and old pages stay in the file until it closes it (SQLite checkpoints the log "
        "when the last connection closes)",
        sqlite3_errmsg(db_), path_));
  }
  return Status::Ok();
}

Result<std::string> Store::PseudonymKey() {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement get, Statement::Prepare(db_, "SELECT value FROM meta WHERE key = 'pseudonym_key'"));
  RAPPORT_ASSIGN_OR_RETURN(bool found, get.Step());
  if (found) return get.Text(0);
  get.Reset();
  // std::random_device reads the operating system's entropy source (getrandom, /dev/urandom).
  std::random_device entropy;
  std::string key;
  for (int i = 0; i < 8; ++i) key += fmt::format("{:08x}", entropy());
  // OR IGNORE: another process may have created it meanwhile; the stored key wins.
  RAPPORT_ASSIGN_OR_RETURN(
      Statement create,
      Statement::Prepare(db_,
                         "INSERT OR IGNORE INTO meta(key, value) VALUES ('pseudonym_key', ?1)"));
  create.Bind(1, key);
  RAPPORT_RETURN_IF_ERROR(create.Run());
  RAPPORT_ASSIGN_OR_RETURN(found, get.Step());
  if (!found) return Internal("sqlite: the pseudonym key was not stored");
  return get.Text(0);
}

Result<IdentityDigest> Store::DigestIdentities(std::optional<int64_t> up_to) const {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement identities,
      Statement::Prepare(db_, "SELECT id, person_id FROM identities WHERE id <= ?1 ORDER BY id"));
  identities.Bind(1, up_to.value_or(std::numeric_limits<int64_t>::max()));
  IdentityDigest digest;
  uint64_t hash = kFnvOffset;  // FNV-1a, 64 bits, over (id, person) as 16 bytes
  while (true) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, identities.Step());
    if (!row) break;
    digest.last_identity_id = identities.Int(0);
    for (const int64_t value : {identities.Int(0), identities.Int(1)}) {
      for (int byte = 0; byte < 8; ++byte) {
        hash ^= (static_cast<uint64_t>(value) >> (8 * byte)) & 0xff;
        hash *= 1099511628211ull;
      }
    }
  }
  digest.hash = static_cast<int64_t>(hash);
  return digest;
}

std::string CheckpointPathFor(const std::string& db_path) { return db_path + ".checkpoint"; }

Result<MappedFile> MappedFile::Open(const std::string& path, size_t offset) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat status {};
  if (fd < 0 || ::fstat(fd, &status) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    return Internal(fmt::format("cannot read {}: {}", path, std::strerror(error)));
  }
  MappedFile file;
  file.map_size_ = static_cast<size_t>(status.st_size);
  file.offset_ = std::min(offset, file.map_size_);
  if (file.map_size_ > 0) {
    // MAP_POPULATE: the page cache's pages are mapped in one call, not a fault each.
    void* map = ::mmap(nullptr, file.map_size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map == MAP_FAILED) {
      const int error = errno;
      ::close(fd);
      file.map_size_ = 0;
      return Internal(fmt::format("cannot map {}: {}", path, std::strerror(error)));
    }
    file.map_ = static_cast<char*>(map);
  }
  ::close(fd);
  return file;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : map_(std::exchange(other.map_, nullptr)),
      map_size_(std::exchange(other.map_size_, 0)),
      offset_(std::exchange(other.offset_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  // The other one unmaps what this one held.
  std::swap(map_, other.map_);
  std::swap(map_size_, other.map_size_);
  std::swap(offset_, other.offset_);
  return *this;
}

MappedFile::~MappedFile() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
}

std::string_view MappedFile::bytes() const {
  return map_ == nullptr ? std::string_view()
                         : std::string_view(map_ + offset_, map_size_ - offset_);
}

// The checkpoint's bytes live in a file beside the database (rewriting tens of megabytes inside
// SQLite costs more than the whole incremental scoring). The file is overwritten in place, which
// costs a few milliseconds where a new file renamed over the old one costs tens (ext4 flushes a
// replaced file). The table row says which bytes belong to it: the file starts with a random
// 64-bit nonce, and the row holds that nonce and a checksum of the rest, so a file left from
// another checkpoint, copied without its database or torn by a crash is not used.
namespace {

// Four independent multiply-rotate lanes over 8-byte words, then the tail; not cryptographic, it
// only has to notice damage. Fed in pieces: any split of the same bytes gives the same value.
class Checksum {
 public:
  void Add(std::string_view bytes) {
    size_ += bytes.size();
    if (pending_size_ > 0) {
      const size_t take = std::min(bytes.size(), kBlock - pending_size_);
      std::memcpy(pending_ + pending_size_, bytes.data(), take);
      pending_size_ += take;
      bytes.remove_prefix(take);
      if (pending_size_ < kBlock) return;
      Block(pending_);
      pending_size_ = 0;
    }
    for (; bytes.size() >= kBlock; bytes.remove_prefix(kBlock)) Block(bytes.data());
    std::memcpy(pending_, bytes.data(), bytes.size());
    pending_size_ = bytes.size();
  }
  uint64_t value() const {
    const uint64_t lanes =
        lane_[0] ^ std::rotl(lane_[1], 16) ^ std::rotl(lane_[2], 32) ^ std::rotl(lane_[3], 48);
    return FnvAppend(lanes, std::string_view(pending_, pending_size_)) ^ size_;
  }

 private:
  static constexpr size_t kBlock = 32;
  void Block(const char* block) {
    for (int k = 0; k < 4; ++k) {
      uint64_t word;
      std::memcpy(&word, block + 8 * k, 8);
      lane_[k] = std::rotl(lane_[k] ^ word, 27) * 0x9e3779b97f4a7c15ull;
    }
  }

  uint64_t lane_[4] = {0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull,
                       0x27d4eb2f165667c5ull};
  char pending_[kBlock] = {};
  size_t pending_size_ = 0;
  uint64_t size_ = 0;
};

}  // namespace

Status Store::SaveCheckpoint(const StoredCheckpoint& checkpoint,
                             std::span<const std::string_view> data) {
  RAPPORT_ASSIGN_OR_RETURN(IdentityDigest digest, DigestIdentities(std::nullopt));
  const auto nonce =
      static_cast<int64_t>(std::random_device()() * 0x100000000ull ^ std::random_device()());
  const std::string path = CheckpointPathFor(path_);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Internal(
        fmt::format("cannot write the score checkpoint {}: {}", path, std::strerror(errno)));
  }
  const auto write_all = [fd](std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t written = ::write(fd, bytes.data(), bytes.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(written));
    }
    return true;
  };
  // The checksum is computed on another thread while this one writes: each takes about as
  // long as the other (tens of milliseconds for 10^8 bytes).
  Checksum checksum;
  std::thread summing([&checksum, data] {
    for (const std::string_view piece : data) checksum.Add(piece);
  });
  bool written = write_all(std::string_view(reinterpret_cast<const char*>(&nonce), sizeof nonce));
  size_t size = sizeof nonce;
  for (const std::string_view piece : data) {
    written = written && write_all(piece);
    size += piece.size();
  }
  summing.join();
  written = written && ::ftruncate(fd, static_cast<off_t>(size)) == 0;
  if (::close(fd) != 0 || !written) {
    return Internal(fmt::format("cannot write the score checkpoint {}: {} (disk full?)", path,
                                std::strerror(errno)));
  }
  RAPPORT_ASSIGN_OR_RETURN(
      Statement save,
      Statement::Prepare(db_,
                         "INSERT OR REPLACE INTO score_checkpoint(id, anchor, settings, "
                         "last_event_id, last_identity_id, identities_digest, file_nonce, "
                         "file_checksum) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  save.Bind(1, checkpoint.anchor)
      .Bind(2, std::string_view(checkpoint.settings))
      .Bind(3, checkpoint.last_event_id)
      .Bind(4, digest.last_identity_id)
      .Bind(5, digest.hash)
      .Bind(6, nonce)
      .Bind(7, static_cast<int64_t>(checksum.value()));
  return save.Run().WithContext("saving the score checkpoint");
}

std::string Store::PeekCheckpoint(size_t bytes) const {
  std::FILE* file = std::fopen(CheckpointPathFor(path_).c_str(), "rb");
  if (file == nullptr) return {};
  int64_t nonce = 0;
  std::string data(bytes, '\0');
  size_t read = 0;
  if (std::fread(&nonce, sizeof nonce, 1, file) == 1)
    read = std::fread(data.data(), 1, bytes, file);
  std::fclose(file);
  data.resize(read);
  return data;
}

Result<std::optional<StoredCheckpoint>> Store::LoadCheckpoint() const {
  RAPPORT_ASSIGN_OR_RETURN(
      Statement load,
      Statement::Prepare(db_,
                         "SELECT anchor, settings, last_event_id, file_nonce, file_checksum, "
                         "last_identity_id, identities_digest FROM score_checkpoint"));
  RAPPORT_ASSIGN_OR_RETURN(bool row, load.Step());
  if (!row) return std::optional<StoredCheckpoint>();
  StoredCheckpoint checkpoint;
  checkpoint.anchor = load.Double(0);
  checkpoint.settings = load.Text(1);
  checkpoint.last_event_id = load.Int(2);
  checkpoint.identities = {load.Int(5), load.Int(6)};
  const std::string path = CheckpointPathFor(path_);
  int64_t nonce = 0;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    checkpoint.unusable = fmt::format("its file {} is missing", path);
    return std::optional(std::move(checkpoint));
  }
  const bool has_nonce = std::fread(&nonce, sizeof nonce, 1, file) == 1;
  std::fclose(file);
  if (!has_nonce || nonce != load.Int(3)) {
    checkpoint.unusable = fmt::format("its file {} belongs to another checkpoint", path);
    return std::optional(std::move(checkpoint));
  }
  Result<MappedFile> mapped = MappedFile::Open(path, sizeof nonce);
  if (!mapped.ok()) {
    checkpoint.unusable = mapped.status().message();
    return std::optional(std::move(checkpoint));
  }
  Checksum checksum;
  checksum.Add(mapped->bytes());
  if (static_cast<int64_t>(checksum.value()) != load.Int(4)) {
    checkpoint.unusable = fmt::format("its file {} is damaged", path);
  } else {
    checkpoint.data = std::move(*mapped);
  }
  return std::optional(std::move(checkpoint));
}

Result<std::string> Store::ChangesSinceCheckpoint(const StoredCheckpoint& checkpoint) const {
  RAPPORT_ASSIGN_OR_RETURN(IdentityDigest now,
                           DigestIdentities(checkpoint.identities.last_identity_id));
  if (now.last_identity_id != checkpoint.identities.last_identity_id ||
      now.hash != checkpoint.identities.hash) {
    return std::string("identities were merged, split or forgotten since the checkpoint");
  }
  // Later events (higher ids: ids only grow while nothing is forgotten) must all be after the
  // anchor, or the checkpoint misses them.
  RAPPORT_ASSIGN_OR_RETURN(
      Statement older,
      Statement::Prepare(db_,
                         "SELECT count(*) FROM events NOT INDEXED WHERE id > ?1 AND time <= ?2"));
  older.Bind(1, checkpoint.last_event_id).Bind(2, checkpoint.anchor);
  RAPPORT_ASSIGN_OR_RETURN(bool row, older.Step());
  if (row && older.Int(0) > 0) {
    return fmt::format("{} event(s) imported since the checkpoint are dated before its anchor {}",
                       older.Int(0), FormatDate(checkpoint.anchor));
  }
  return std::string();
}

}  // namespace rapport::store
