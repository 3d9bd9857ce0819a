// Store: the embedded SQLite database (one file, WAL) that holds people, identities, events,
// imports and computed scores. Re-importing the same records adds nothing: events are unique on
// (source, native_id).
//
// Thread-safety: a Store is used from one thread at a time. Several processes may open the same
// file (SQLite's locking applies; writers wait up to 10 s for each other).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/core/event.h"
#include "rapport/core/event_log.h"
#include "rapport/core/status.h"
#include "rapport/ingest/reader.h"

struct sqlite3;

namespace rapport::store {

struct Person {
  int64_t id = 0;
  std::string name;
  std::vector<std::string> identities;
};

// One identity of a person, and why it belongs to them.
struct IdentityInfo {
  int64_t id = 0;
  std::string value;         // normal form (NormalizeIdentity)
  std::string kind;          // IdentityKindName
  std::string display_name;  // as a source gave it; may be empty
  std::string why;           // the reason of the merge that brought it here, or how it came
};

// One past computation of a person's scores (the scores table).
struct ScoreRecord {
  double as_of = 0;
  int64_t person_id = 0;
  double volume_score = 0;
  double rapport_score = 0;
  // The raw scores before the 1-100 curve; nullopt in rows recorded before schema version 5
  // that did not give them.
  std::optional<double> volume_raw;
  std::optional<double> rapport_raw;
};

// What ForgetPerson deleted (or, counting only, would delete), row counts per table, and what it
// rewrote in other people's rows because the text named the forgotten person.
struct ForgetCounts {
  int64_t events = 0;         // the person's own events, and events addressed only to them
  int64_t event_targets = 0;  // target rows: theirs, and those of the deleted events
  int64_t identities = 0;
  int64_t merges = 0;  // merge records of their identities, or from or to them
  int64_t scores = 0;
  int64_t checkpoints = 0;  // the score checkpoint (it holds everyone's pair statistics)
  int64_t people = 0;
  int64_t meta = 0;                    // the owner mark, when the person was "me"
  int64_t event_texts_cleared = 0;     // others' events whose text named them: text set to NULL
  int64_t event_keys_replaced = 0;     // others' events whose source or native id named them
  int64_t import_paths_replaced = 0;   // imports whose path named them: "[forgotten]"
  int64_t merge_reasons_replaced = 0;  // others' merge reasons that named them: "[forgotten]"
  // What was searched for in free text: their identity values, display names and name, each
  // at least kForgetMinNeedle characters long (shorter ones would match almost any text).
  std::vector<std::string> needles;
};
inline constexpr size_t kForgetMinNeedle = 3;

enum class ForgetMode {
  kCountOnly,  // everything runs in a transaction that is rolled back: counts, no change
  kDelete,     // commits, then VACUUMs the file and truncates the WAL
};

// The score checkpoint incremental scoring continues from (score/incremental.h), as the store
// keeps it: opaque bytes (in the file CheckpointPathFor(db)) and, in the score_checkpoint table,
// what says whether the store changed under them. One at most.
// Which person every identity belonged to: FNV-1a over (identity id, person id) of the
// identities up to the last one.
struct IdentityDigest {
  int64_t last_identity_id = 0;
  int64_t hash = 0;
};

// A file's bytes mapped read-only: the page cache's pages, not a copy (a copy of a checkpoint is
// hundreds of megabytes of fresh memory at 10^7 events, which costs more than the scoring).
// Unmapped when destroyed. Another process truncating the file meanwhile would make reading it
// fault; only `rapport score` writes the checkpoint, and in place.
class MappedFile {
 public:
  MappedFile() = default;
  // The file at `path` from byte `offset` (a multiple of 8) to its end.
  static Result<MappedFile> Open(const std::string& path, size_t offset);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view bytes() const;  // from `offset`; 8-byte aligned

 private:
  char* map_ = nullptr;
  size_t map_size_ = 0, offset_ = 0;
};

struct StoredCheckpoint {
  double anchor = 0;          // every event at or before it is folded in
  std::string settings;       // the scoring configuration it was made with
  int64_t last_event_id = 0;  // the newest event id it has seen
  MappedFile data;            // LoadCheckpoint: the checkpoint's bytes, when usable
  std::string unusable;       // when not empty, why `data` cannot be used (file missing or damaged)
  IdentityDigest identities;  // as when it was saved (LoadCheckpoint fills it; SaveCheckpoint
                              // computes it)
};
std::string CheckpointPathFor(const std::string& db_path);  // <db>.checkpoint

// An event as stored, for explanations ("the interactions behind a tie").
struct StoredEvent {
  int64_t id = 0;
  Event event;  // actor and targets are identity values
};

class Store {
 public:
  // Opens (creating if needed) the database at `path` and brings its schema up to date.
  // `on_notice`, when given, hears about slow one-time work before it starts (rebuilding the
  // events table of an older schema).
  static Result<std::unique_ptr<Store>> Open(
      const std::string& path, const std::function<void(const std::string&)>& on_notice = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }

  // Import batches. Events inserted between BeginBatch and CommitBatch land together or not at
  // all. REQUIRES: no batch open for BeginBatch; a batch open for the others.
  Status BeginBatch();
  // Inserts the event (and its identities, creating people as needed). Returns true when it was
  // new, false when an event with the same (source, native_id) exists already.
  Result<bool> InsertEvent(const Event& event);
  // Inserts the events in order, as InsertEvent each would; returns how many were new. The new
  // ones go in kRowsPerInsert to a statement: a statement's rows take consecutive ids, and its
  // fixed cost is shared (half the time of a row a statement, docs/BENCHMARKS.md).
  Result<int64_t> InsertEvents(std::span<const Event> events);
  static constexpr size_t kRowsPerInsert = 64;
  Status CommitBatch();
  Status RollbackBatch();
  // SQLite's foreign key checks, on by default. An import turns them off around its batches:
  // every id it stores names a row it has just looked up or inserted, and the checks cost more
  // than the inserts (a lookup in the parent table for every reference; at 10^6 events 7.2 s
  // against 1.1 s for the rows themselves, docs/BENCHMARKS.md). REQUIRES: no batch open.
  Status SetReferenceChecks(bool on);

  // A large import drops the indexes that serve reads only (events by time, actor and target)
  // and builds them once at its end, which costs less than keeping them up row by row. Into an
  // empty store it drops the dedupe index too (events_key, on the hash of (source, native_id)):
  // while it is down, InsertEvent stores repeated events as well (and says they are new);
  // BuildIndexes then deletes every event that repeats the key of an earlier one (a smaller id),
  // with its targets, and returns how many it deleted. Open() builds any index that is missing.
  // REQUIRES: no batch open.
  Status DropReadIndexes();
  Status DropDedupeIndex();
  Result<int64_t> BuildIndexes();

  // Records one import run for `rapport imports`-style listing and for audit.
  Status RecordImport(const std::string& path, const std::string& format, int64_t read,
                      int64_t accepted, int64_t rejected, int64_t duplicate);

  // Loads every event with after < time <= as_of (all up to as_of when after is -infinity; as_of
  // may be infinite) into flat columns; people are every person of the store (also those with
  // no event in the range). A finite `after` reads through the time index (the newest events,
  // for incremental scoring); otherwise the table is scanned.
  Result<EventLog> LoadEventLog(double as_of,
                                double after = -std::numeric_limits<double>::infinity()) const;
  Result<int64_t> CountEvents() const;
  // The time of the newest event, or nullopt for an empty store.
  Result<std::optional<double>> LatestEventTime() const;

  // Resolves what a user typed: a person id ("#12" or "12" when no identity is "12"), an
  // identity ("alice@example.com", "@bob"), "me" (the owner), or a unique case-insensitive name
  // substring. The NotFound/InvalidArgument message lists candidates when there are several.
  Result<Person> FindPerson(const std::string& query) const;
  Result<std::vector<Person>> ListPeople() const;

  // Identity resolution. Every change of a person's identities is recorded in the merges table
  // with its reason, so that `identities` can say why two identities are one person and `split`
  // can undo a merge.
  //
  // Applies a reader's hint: a display name (names the person unless a user named them), a
  // same-as link (merges the two people), an owner mark (merges into the owner). Works inside or
  // outside a batch.
  Status ApplyHint(const ingest::IdentityHint& hint);
  // Moves every identity of person `from` to person `into` and deletes `from`. Returns `into`.
  Result<int64_t> MergePeople(int64_t into, int64_t from, const std::string& reason);
  // Moves one identity of a person to a new person of its own. Returns the new person's id.
  // An error when it is the person's only identity.
  Result<int64_t> SplitIdentity(int64_t person_id, const std::string& identity,
                                const std::string& reason);
  Result<std::vector<IdentityInfo>> IdentitiesOf(int64_t person_id) const;
  // Names a person; a name given here is kept over display names from sources.
  Status RenamePerson(int64_t person_id, const std::string& name);
  // Counts of events each person took part in (as actor or target), by person id.
  Result<std::vector<std::pair<int64_t, int64_t>>> EventCountsByPerson() const;

  // The identity that stands for the user ("me"): meta key "owner", default "me".
  Result<std::string> OwnerIdentity() const;
  Status SetOwnerIdentity(const std::string& identity);

  // Events between two people (either direction, either as actor or target), newest first.
  Result<std::vector<StoredEvent>> EventsBetween(int64_t person_a, int64_t person_b, double as_of,
                                                 int limit) const;

  Status SaveScores(const std::vector<ScoreRecord>& records);

  // Replaces the score checkpoint with `checkpoint`'s fields and `data` (the bytes, in pieces
  // written one after the other); records which person every identity belongs to now.
  // LoadCheckpoint gives nullopt when there is none. REQUIRES: no MappedFile of the checkpoint
  // is alive (its file is rewritten in place).
  Status SaveCheckpoint(const StoredCheckpoint& checkpoint, std::span<const std::string_view> data);
  Result<std::optional<StoredCheckpoint>> LoadCheckpoint() const;
  // The first `bytes` bytes of the checkpoint's data as its file holds them, unchecked (fewer
  // when the file is shorter, none when there is no file): a look at its header before
  // LoadCheckpoint maps and checks the whole file.
  std::string PeekCheckpoint(size_t bytes) const;
  // Empty when the store still matches the checkpoint: no identity changed person, and no event
  // imported since is dated at or before its anchor. Else what changed, in words.
  Result<std::string> ChangesSinceCheckpoint(const StoredCheckpoint& checkpoint) const;
  Result<std::vector<ScoreRecord>> ScoreHistory(int64_t person_id) const;

  // Forgets a person, in one transaction (docs/output.md, "rapport forget"): deletes every event
  // they acted in; removes their target rows from other events, deleting an event left with no
  // target; deletes their identities, merge records (of their identities, or from or to them),
  // score rows, the owner mark when they were "me", and their person row. In the rows that
  // remain, free text that names them (ForgetCounts::needles, case-insensitively) is cleared:
  // event text set to NULL, an event's source and native id replaced by "forgotten" and
  // "event-<id>" (that event loses its dedupe key), import paths and merge reasons replaced by
  // "[forgotten]". kDelete then VACUUMs the database and truncates the WAL, so that deleted text
  // does not linger in free pages or in the log; an error after the commit says so.
  // REQUIRES: no batch open. NotFound when there is no such person.
  Result<ForgetCounts> ForgetPerson(int64_t person_id, ForgetMode mode);

  // The secret key of pseudonyms (report/pseudonym.h): meta key "pseudonym_key", 32 random bytes
  // written as 64 hex digits, created on first use. Whoever has the store can map pseudonyms
  // back to people; whoever has only an export cannot.
  Result<std::string> PseudonymKey();

 private:
  explicit Store(std::string path, sqlite3* db);
  Status Exec(const char* sql) const;
  // The digest of the identities with id <= up_to (all when nullopt).
  Result<IdentityDigest> DigestIdentities(std::optional<int64_t> up_to) const;
  Status ForgetRows(int64_t person_id, ForgetCounts& counts);
  Status VacuumAndTruncateLog();
  // Brings an older schema up to date.
  Status Migrate(const std::function<void(const std::string&)>& on_notice);
  // The two steps of Migrate that rebuild a table: events (to version 4), scores (to 5).
  Status UpgradeEventsTable(const std::function<void(const std::string&)>& on_notice);
  Status UpgradeScoresTable(const std::function<void(const std::string&)>& on_notice);
  // The text that created a table; empty when there is none.
  Result<std::string> TableSql(std::string_view table) const;
  Result<int64_t> IdentityId(std::string_view value);
  // The same, given the hash of `value` in the cache of identities.
  Result<int64_t> IdentityId(std::string_view value, uint64_t value_hash);
  Result<int64_t> PersonOfIdentity(int64_t identity_id) const;
  Status SetDisplayName(int64_t identity_id, const std::string& display_name);

  // Whether the store holds an event with the key of `event` (`key`: its hash).
  Result<bool> IsStored(const Event& event, int64_t key);
  // Inserts an event the store does not hold (`key`: the hash of its dedupe key).
  Status InsertNewEvent(const Event& event, int64_t key);
  // Inserts kRowsPerInsert events the store does not hold with one statement, and their targets
  // kRowsPerInsert pairs to a statement.
  Status InsertEventRows(std::span<const Event* const> events, std::span<const int64_t> keys);
  // Gives the identity its display name unless it got one earlier in this session.
  Status NameOnce(int64_t identity_id, const std::string& display_name);

  std::string path_;
  sqlite3* db_;
  bool dedupe_key_down_ = false;
  // While the dedupe index is down after DropDedupeIndex on an empty store: the hash of every
  // event stored since (up to kMaxKeysWhileDown, 1 GiB). BuildIndexes looks for repeated hashes
  // among them in memory, and has SQLite compare the texts of those events only: at 10^6
  // events, sorting the hashes takes 0.09 s, SQLite's search of the index for repeats 0.43 s.
  static constexpr size_t kMaxKeysWhileDown = size_t{1} << 27;
  std::optional<std::vector<int64_t>> keys_while_down_;
  void KeepKeyWhileDown(int64_t key);
  // Deletes the events stored while the dedupe index was down that repeat an earlier one's key,
  // with their targets; how many. REQUIRES: the index is up again.
  Result<int64_t> DeleteRepeatedEvents();
  struct Statements;
  std::unique_ptr<Statements> statements_;
};

}  // namespace rapport::store
