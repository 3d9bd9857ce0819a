// A database written by an older version opens and takes new data.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "rapport/store/store.h"

namespace rapport::store {
namespace {

TEST(StoreMigrationTest, VersionOneDatabaseGainsIdentityColumns) {
  const std::string path = ::testing::TempDir() + "/rapport_v1.db";
  std::filesystem::remove(path);
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
  ASSERT_TRUE((*store)->BeginBatch().ok());
  Result<bool> inserted = (*store)->InsertEvent(event);
  ASSERT_TRUE(inserted.ok()) << inserted.status().message();
  EXPECT_TRUE(*inserted);
  ASSERT_TRUE((*store)->CommitBatch().ok());
  Result<std::vector<IdentityInfo>> identities = (*store)->IdentitiesOf(1);
  ASSERT_TRUE(identities.ok());
  ASSERT_EQ(identities->size(), 1u);
  EXPECT_EQ((*identities)[0].display_name, "Ann");
  Result<Person> ann = (*store)->FindPerson("Ann");
  ASSERT_TRUE(ann.ok()) << ann.status().message();
  EXPECT_EQ(ann->id, 1);
}

}  // namespace
}  // namespace rapport::store
