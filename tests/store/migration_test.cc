// A database written by an older version opens and takes new data.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "rapport/store/store.h"
#include "scratch_dir.h"

namespace rapport::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Inserts one event in a batch of its own; whether it was new.
bool InsertOne(Store& store, const Event& event) {
  EXPECT_TRUE(store.BeginBatch().ok());
  Result<bool> inserted = store.InsertEvent(event);
  EXPECT_TRUE(inserted.ok()) << inserted.status().message();
  EXPECT_TRUE(store.CommitBatch().ok());
  return inserted.ok() && *inserted;
}

TEST(StoreMigrationTest, VersionOneDatabaseGainsIdentityColumns) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Path("store_v1.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                         "INSERT INTO meta VALUES ('schema_version', '1');"
                         "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                         "CREATE TABLE identities(id INTEGER PRIMARY KEY, value TEXT NOT NULL "
                         "UNIQUE, person_id INTEGER NOT NULL REFERENCES people(id));"
                         "INSERT INTO people VALUES (1, 'ann@example.org');"
                         "INSERT INTO identities VALUES (1, 'ann@example.org', 1);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  Event event;
  event.time = 1000;
  event.channel = Channel::kEmail;
  event.kind = Kind::kEmail;
  event.actor = "ann@example.org";
  event.targets = {"bob@example.org"};
  event.actor_name = "Ann";
  event.source = "test";
  event.native_id = "1";
  EXPECT_TRUE(InsertOne(**store, event));
  Result<std::vector<IdentityInfo>> identities = (*store)->IdentitiesOf(1);
  ASSERT_TRUE(identities.ok());
  ASSERT_EQ(identities->size(), 1u);
  EXPECT_EQ((*identities)[0].display_name, "Ann");
  Result<Person> ann = (*store)->FindPerson("Ann");
  ASSERT_TRUE(ann.ok()) << ann.status().message();
  EXPECT_EQ(ann->id, 1);
}

// A store of schema version 2 or 3 (the events table as `events_table`, then `extra_sql`) with
// three people, two events and their three targets, and two score runs keyed by person first
// with the raw scores in a JSON text (one of them not JSON).
void WriteOldStore(const std::string& path, const char* version, const std::string& events_table,
                   const std::string& extra_sql) {
  std::filesystem::remove(path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string sql = fmt::format(
      "PRAGMA foreign_keys=ON;"
      "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "INSERT INTO meta VALUES ('schema_version', '{}');"
      "CREATE TABLE people(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);"
      "CREATE TABLE identities(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE, "
      "kind TEXT NOT NULL, display_name TEXT, person_id INTEGER NOT NULL "
      "REFERENCES people(id));"
      "CREATE TABLE events(id INTEGER PRIMARY KEY, time REAL NOT NULL, channel TEXT "
      "NOT NULL, kind TEXT NOT NULL, actor INTEGER NOT NULL REFERENCES "
      "identities(id), private INTEGER NOT NULL, duration REAL NOT NULL DEFAULT 0, "
      "effort REAL, valence REAL NOT NULL DEFAULT 1, source TEXT NOT NULL, "
      "native_id TEXT NOT NULL, text TEXT{});"
      "CREATE TABLE event_targets(event_id INTEGER NOT NULL REFERENCES events(id) "
      "ON DELETE CASCADE, identity_id INTEGER NOT NULL REFERENCES identities(id), "
      "PRIMARY KEY(event_id, identity_id)) WITHOUT ROWID;"
      "CREATE INDEX events_time ON events(time);"
      "INSERT INTO people VALUES (1, 'ann'), (2, 'bob'), (3, 'cat');"
      "INSERT INTO identities VALUES (1, 'ann', 'name', NULL, 1), "
      "(2, 'bob', 'name', NULL, 2), (3, 'cat', 'name', NULL, 3);"
      "INSERT INTO events VALUES (1, 1000, 'sms', 'message', 1, 1, 0, NULL, 1, "
      "'sms', 'a', 'hello'), (2, 2000, 'email', 'email', 2, 1, 0, 2.5, 1, "
      "'email', 'b', NULL);"
      "INSERT INTO event_targets VALUES (1, 2), (1, 3), (2, 1);"
      "CREATE TABLE scores(as_of REAL NOT NULL, person_id INTEGER NOT NULL REFERENCES "
      "people(id) ON DELETE CASCADE, volume_score REAL NOT NULL, rapport_score REAL NOT NULL, "
      "components TEXT NOT NULL, PRIMARY KEY(person_id, as_of));"
      "INSERT INTO scores VALUES (2000, 1, 30, 40, '{{\"volume_raw\":0.5,\"rapport_raw\":1.5}}'), "
      "(1000, 1, 10, 20, '{{}}'), (2000, 2, 50, 60, 'not json');{}",
      version, events_table, extra_sql);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// Opens the old store at `path` (the upgrades announce themselves), checks that the dedupe key
// still refuses a repeat of an old event and takes a new one, that every row and target stayed,
// and that the scores moved to the table keyed by date first with their raw scores.
void ExpectUpgradedToVersionFive(const std::string& path) {
  {
    std::vector<std::string> notices;
    Result<std::unique_ptr<Store>> store =
        Store::Open(path, [&](const std::string& notice) { notices.push_back(notice); });
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_THAT(notices, ElementsAre(HasSubstr("events table (2 event(s)) is rewritten once"),
                                     HasSubstr("schema version 5: its scores table")));
    Result<std::vector<ScoreRecord>> ann = (*store)->ScoreHistory(1);
    ASSERT_TRUE(ann.ok()) << ann.status().message();
    ASSERT_EQ(ann->size(), 2u);
    EXPECT_EQ((*ann)[0].as_of, 1000);
    EXPECT_FALSE((*ann)[0].volume_raw.has_value());
    EXPECT_EQ((*ann)[1].volume_score, 30);
    EXPECT_EQ((*ann)[1].volume_raw, 0.5);
    EXPECT_EQ((*ann)[1].rapport_raw, 1.5);
    Result<std::vector<ScoreRecord>> bob = (*store)->ScoreHistory(2);
    ASSERT_TRUE(bob.ok()) << bob.status().message();
    ASSERT_EQ(bob->size(), 1u);
    EXPECT_EQ((*bob)[0].rapport_score, 60);
    EXPECT_FALSE((*bob)[0].rapport_raw.has_value());
    Result<EventLog> log = (*store)->LoadEventLog(std::numeric_limits<double>::infinity());
    ASSERT_TRUE(log.ok()) << log.status().message();
    EXPECT_EQ(log->event_count(), 2u);
    EXPECT_EQ(log->targets.size(), 3u);
    // The key still refuses a repeat (the old rows' hashes are those of new ones), and takes a
    // new event.
    Event event;
    event.time = 3000;
    event.channel = Channel::kSms;
    event.kind = Kind::kMessage;
    event.actor = "cat";
    event.targets = {"ann"};
    event.source = "sms";
    event.native_id = "a";
    EXPECT_FALSE(InsertOne(**store, event));
    event.source = "email";
    event.native_id = "b";
    EXPECT_FALSE(InsertOne(**store, event));
    event.source = "sms";
    event.native_id = "c";
    EXPECT_TRUE(InsertOne(**store, event));
  }

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto text_of = [&](const char* sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), SQLITE_OK) << sql;
    std::string out;
    while (sqlite3_step(statement) == SQLITE_ROW) {
      if (!out.empty()) out += ",";
      out += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    return out;
  };
  EXPECT_EQ(text_of("SELECT value FROM meta WHERE key = 'schema_version'"), "5");
  EXPECT_THAT(text_of("SELECT sql FROM sqlite_master WHERE name = 'scores'"),
              HasSubstr("PRIMARY KEY(as_of, person_id)) WITHOUT ROWID"));
  EXPECT_EQ(text_of("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' "
                    "ORDER BY name"),
            "events_actor,events_key,events_time");
  EXPECT_EQ(text_of("SELECT group_concat(row, ' ') FROM (SELECT id || ':' || source || ':' || "
                    "native_id || ':' || coalesce(text, '-') || ':' || coalesce(effort, '-') AS "
                    "row FROM events ORDER BY id)"),
            "1:sms:a:hello:- 2:email:b:-:2.5 3:sms:c:-:-");
  EXPECT_EQ(text_of("SELECT count(DISTINCT native_key) FROM events WHERE native_key <> 0"), "3");
  EXPECT_EQ(text_of("SELECT group_concat(pair, ' ') FROM (SELECT event_id || '>' || identity_id "
                    "AS pair FROM event_targets ORDER BY event_id, identity_id)"),
            "1>2 1>3 2>1 3>1");
  EXPECT_EQ(text_of("PRAGMA foreign_key_check"), "");
  sqlite3_close(db);
}

// Version 2 kept the dedupe key as a constraint of the events table. Opening such a store
// builds the table again, with the hash column.
TEST(StoreMigrationTest, VersionTwoEventsTableLosesItsConstraintAndKeepsItsRows) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Path("store_v2.db");
  WriteOldStore(path, "2", ", UNIQUE(source, native_id)", "");
  ExpectUpgradedToVersionFive(path);
}

// Version 3 kept the dedupe key as a unique index on the texts. Opening such a store adds and
// fills the hash column, and indexes that instead.
TEST(StoreMigrationTest, VersionThreeEventsGainTheHashOfTheirKey) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Path("store_v3.db");
  WriteOldStore(path, "3", "",
                "CREATE UNIQUE INDEX events_native ON events(source, native_id);"
                "CREATE INDEX events_actor ON events(actor);");
  ExpectUpgradedToVersionFive(path);
}

// A store written by a newer build may hold tables this one would misread: it is refused, with
// a message that says why and what to do, and left as it was.
TEST(StoreMigrationTest, StoreOfANewerVersionIsRefusedAndLeftAlone) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Path("store_newer.db");
  {
    Result<std::unique_ptr<Store>> store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().message();
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE meta SET value = '99' WHERE key = 'schema_version';"
                         "CREATE TABLE from_the_future(x);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  Result<std::unique_ptr<Store>> store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr("newer rapport (schema version 99"));
  EXPECT_THAT(store.status().message(), HasSubstr("--db"));
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1,
                               &statement, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "99");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

}  // namespace
}  // namespace rapport::store
