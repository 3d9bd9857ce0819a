// Tests of Store::ForgetPerson on a real database file: a small multi-channel log (email, X,
// phone, chat, SMS; group messages; one person's email and handle merged; scores saved) is
// imported, one person is forgotten, and then every table is read, every row and column, for
// anything that still names them: their person id, identity ids, identity values and names.
// Other people's events and scores must stay, and after VACUUM the raw file bytes must not hold
// the person's email address.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/score/scorer.h"
#include "rapport/store/import.h"
#include "rapport/store/store.h"

namespace rapport::store {
namespace {

using ::testing::HasSubstr;

constexpr double kAll = std::numeric_limits<double>::infinity();

// Ann writes from ann@example.org and as @ann on X; a source calls her "Ann Lee". The rows that
// name her: her own events (2, 6, 8), events to her alone (3, 7, 10), her target row in the
// group emails (4, 5), the text of 9 and the native id of 11.
constexpr const char* kLog =
    "time,channel,kind,actor,targets,native_id,text\n"
    "2024-03-01T09:00:00Z,email,email,bob@example.org,cat@example.org,m1,agenda attached\n"
    "2024-03-01T10:00:00Z,email,email,ann@example.org,bob@example.org,m2,see you friday\n"
    "2024-03-01T11:00:00Z,email,email,bob@example.org,ann@example.org,m3,\n"
    "2024-03-02T09:00:00Z,email,email,bob@example.org,ann@example.org;cat@example.org,m4,plan\n"
    "2024-03-02T10:00:00Z,email,email,cat@example.org,ann@example.org;bob@example.org,m5,\n"
    "2024-03-03T12:00:00Z,twitter,reply,@ann,@dan,t6,\n"
    "2024-03-03T13:00:00Z,twitter,like,@dan,@ann,t7,\n"
    "2024-03-04T08:00:00Z,phone,call,ann@example.org,cat@example.org,c8,\n"
    "2024-03-05T18:00:00Z,chat,message,bob@example.org,cat@example.org,x9,lunch with Ann Lee?\n"
    "2024-03-06T18:00:00Z,sms,message,cat@example.org,ann@example.org,s10,\n"
    "2024-03-07T09:00:00Z,email,email,cat@example.org,bob@example.org,fwd-ann@example.org,fw\n"
    "2024-03-08T09:00:00Z,sms,message,cat@example.org,bob@example.org,s12,ok\n"
    "2024-03-09T09:00:00Z,twitter,post,@dan,,t13,\n"
    "2024-03-10T09:00:00Z,email,email,eve@example.org,bob@example.org,m14,hello\n";

// What the checks look for.
struct Traces {
  int64_t person_id = 0;
  std::set<int64_t> identity_ids;
  std::vector<std::string> texts;  // lower case
};

class ForgetStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("rapport_forget_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_path_ = (dir_ / "rapport.db").string();
    Result<std::unique_ptr<Store>> opened = Store::Open(db_path_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();

    const std::string csv = (dir_ / "channels.csv").string();
    std::ofstream(csv, std::ios::binary) << kLog;
    ImportOptions options;
    options.read.keep_text = true;
    Result<FileImportReport> imported = ImportFile(*store_, csv, options);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    ASSERT_EQ(imported->accepted, 14);
    ASSERT_TRUE(
        store_->RecordImport("/home/me/exports/ann@example.org.mbox", "mbox", 1, 1, 0, 0).ok());
    ASSERT_TRUE(store_->SetOwnerIdentity("bob@example.org").ok());
    ASSERT_TRUE(store_->ApplyHint({"ann@example.org", "Ann Lee", "", "", false}).ok());
    // Her email and her handle are one person (two channels).
    const int64_t ann = Id("ann@example.org");
    ASSERT_TRUE(store_->MergePeople(ann, Id("@ann"), "same person: she said so").ok());
    // A phone number that was hers for a while, then split off to a person of its own: the
    // merge records name her as from_person and to_person.
    ASSERT_TRUE(store_->ApplyHint({"tel:+15550001111", "", "", "", false}).ok());
    ASSERT_TRUE(store_->MergePeople(ann, Id("tel:+15550001111"), "alias file").ok());
    ASSERT_TRUE(store_->SplitIdentity(ann, "tel:+15550001111", "not hers after all").ok());
    // Two saved score runs for everyone.
    for (double as_of : {1709900000.0, 1710100000.0}) {
      Result<EventLog> log = store_->LoadEventLog(as_of);
      ASSERT_TRUE(log.ok()) << log.status().ToString();
      const score::ScoreRun run = score::ScoreEvents(*log, DefaultConfig(), as_of);
      std::vector<ScoreRecord> records;
      for (const score::PersonScore& person : run.people) {
        records.push_back({as_of, person.id, person.volume_score, person.rapport_score,
                           person.volume.raw, person.rapport.raw});
      }
      ASSERT_TRUE(store_->SaveScores(records).ok());
    }
  }
  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    if (!HasFailure()) std::filesystem::remove_all(dir_, ignored);
  }

  int64_t Id(const std::string& query) const {
    Result<Person> person = store_->FindPerson(query);
    EXPECT_TRUE(person.ok()) << person.status().ToString();
    return person.ok() ? person->id : -1;
  }

  // A second connection to the same file, for reading tables as they are on disk.
  struct Reader {
    sqlite3* db = nullptr;
    ~Reader() { sqlite3_close(db); }
  };
  std::unique_ptr<Reader> OpenReader() const {
    auto reader = std::make_unique<Reader>();
    EXPECT_EQ(sqlite3_open_v2(db_path_.c_str(), &reader->db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    return reader;
  }
  int64_t Count(const std::string& sql) const {
    auto reader = OpenReader();
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(reader->db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
        << sql;
    int64_t count = -1;
    if (sqlite3_step(statement) == SQLITE_ROW) count = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return count;
  }

  Traces TracesOf(const std::string& query) const {
    Traces traces;
    Result<Person> person = store_->FindPerson(query);
    EXPECT_TRUE(person.ok());
    if (!person.ok()) return traces;
    traces.person_id = person->id;
    traces.texts.push_back("ann lee");
    Result<std::vector<IdentityInfo>> identities = store_->IdentitiesOf(person->id);
    EXPECT_TRUE(identities.ok());
    for (const IdentityInfo& identity : *identities) {
      traces.identity_ids.insert(identity.id);
      traces.texts.push_back(identity.value);
    }
    return traces;
  }

  // Reads every row of every table (found in sqlite_master) and returns a description of each
  // value that names the person: their id in a person column, one of their identity ids in an
  // identity column, or any of their texts in any text value.
  std::vector<std::string> FindTraces(const Traces& traces) const {
    auto reader = OpenReader();
    std::vector<std::string> tables;
    {
      sqlite3_stmt* list = nullptr;
      sqlite3_prepare_v2(reader->db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1,
                         &list, nullptr);
      while (sqlite3_step(list) == SQLITE_ROW) {
        tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list, 0)));
      }
      sqlite3_finalize(list);
    }
    EXPECT_GE(tables.size(), 8u);  // people, identities, events, event_targets, merges, ...
    std::vector<std::string> found;
    for (const std::string& table : tables) {
      sqlite3_stmt* rows = nullptr;
      const std::string sql = "SELECT * FROM \"" + table + "\"";
      EXPECT_EQ(sqlite3_prepare_v2(reader->db, sql.c_str(), -1, &rows, nullptr), SQLITE_OK);
      const int columns = sqlite3_column_count(rows);
      while (sqlite3_step(rows) == SQLITE_ROW) {
        for (int c = 0; c < columns; ++c) {
          const std::string column = sqlite3_column_name(rows, c);
          const std::string where = table + "." + column;
          const int type = sqlite3_column_type(rows, c);
          if (type == SQLITE_INTEGER) {
            const int64_t value = sqlite3_column_int64(rows, c);
            const bool person_column =
                column.find("person") != std::string::npos || (table == "people" && column == "id");
            const bool identity_column = column == "actor" || column == "identity_id" ||
                                         (table == "identities" && column == "id");
            if (person_column && value == traces.person_id) found.push_back(where + " = id");
            if (identity_column && traces.identity_ids.count(value)) {
              found.push_back(where + " = an identity id");
            }
          } else if (type == SQLITE_TEXT) {
            std::string text(reinterpret_cast<const char*>(sqlite3_column_text(rows, c)));
            std::transform(text.begin(), text.end(), text.begin(),
                           [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
            for (const std::string& needle : traces.texts) {
              if (text.find(needle) != std::string::npos) {
                found.push_back(where + " contains " + needle + ": " + text);
              }
            }
          }
        }
      }
      sqlite3_finalize(rows);
    }
    return found;
  }

  std::string FileBytes(const std::string& suffix) const {
    std::ifstream in(db_path_ + suffix, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

  std::filesystem::path dir_;
  std::string db_path_;
  std::unique_ptr<Store> store_;
};

TEST_F(ForgetStoreTest, NothingNamesTheForgottenPersonAfterwards) {
  const Traces ann = TracesOf("ann@example.org");
  ASSERT_EQ(ann.identity_ids.size(), 2u);  // the email and the handle
  // The search finds her everywhere before: it can fail.
  const std::vector<std::string> before = FindTraces(ann);
  for (const char* where :
       {"people.id", "identities.person_id", "events.actor", "event_targets.identity_id", "merges.",
        "scores.person_id", "events.text", "events.native_id", "imports.path"}) {
    EXPECT_TRUE(std::any_of(before.begin(), before.end(), [&](const std::string& trace) {
      return trace.starts_with(where);
    })) << where;
  }

  Result<ForgetCounts> counts = store_->ForgetPerson(ann.person_id, ForgetMode::kDelete);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_THAT(FindTraces(ann), ::testing::IsEmpty());
  EXPECT_EQ(counts->people, 1);
  EXPECT_EQ(counts->identities, 2);
  EXPECT_EQ(counts->events, 6);         // her own 2, 6, 8; 3, 7, 10 addressed to her alone
  EXPECT_EQ(counts->event_targets, 8);  // 2, 3, 6, 7, 8, 10 and her rows in 4 and 5
  EXPECT_EQ(counts->merges, 3);         // @ann into her; the phone in, and out again
  EXPECT_EQ(counts->meta, 0);           // she was not "me"
  EXPECT_EQ(counts->event_texts_cleared, 1);
  EXPECT_EQ(counts->event_keys_replaced, 1);
  EXPECT_EQ(counts->import_paths_replaced, 1);
  EXPECT_GT(counts->scores, 0);
}

TEST_F(ForgetStoreTest, OtherPeoplesEventsAndScoresStay) {
  const int64_t ann = Id("ann@example.org");
  const int64_t scores_of_others =
      Count("SELECT count(*) FROM scores WHERE person_id <> " + std::to_string(ann));
  ASSERT_GT(scores_of_others, 0);
  ASSERT_TRUE(store_->ForgetPerson(ann, ForgetMode::kDelete).ok());

  EXPECT_EQ(Count("SELECT count(*) FROM events"), 14 - 6);
  EXPECT_EQ(Count("SELECT count(*) FROM scores"), scores_of_others);
  // The group emails stay, each with its other target only.
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE native_id IN ('m4', 'm5')"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM event_targets t JOIN events e ON e.id = t.event_id "
                  "WHERE e.native_id IN ('m4', 'm5')"),
            2);
  // Texts that do not name her are kept; the one that did is cleared, its event kept.
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE text = 'ok'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE native_id = 'x9' AND text IS NULL"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM people"), 5);  // bob, cat, dan, eve, the phone
  EXPECT_EQ(Count("SELECT count(*) FROM merges WHERE reason = 'same person: she said so'"), 0);
  Result<std::string> owner = store_->OwnerIdentity();
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(*owner, "bob@example.org");
  // The others still score, on what remains.
  Result<EventLog> log = store_->LoadEventLog(kAll);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->event_count(), 8u);
  EXPECT_EQ(log->person_count(), 5u);
}

TEST_F(ForgetStoreTest, RawFileHoldsNoTraceOfTheEmailAfterVacuum) {
  const std::string email = "ann@example.org";
  // Before: the address is in the file or its write-ahead log.
  EXPECT_NE((FileBytes("") + FileBytes("-wal")).find(email), std::string::npos);
  ASSERT_TRUE(store_->ForgetPerson(Id(email), ForgetMode::kDelete).ok());
  // Right after forgetting (the connection still open) and after closing it.
  EXPECT_EQ(FileBytes("").find(email), std::string::npos);
  EXPECT_EQ(FileBytes("-wal").find(email), std::string::npos);
  EXPECT_EQ(FileBytes("").find("Ann Lee"), std::string::npos);
  store_.reset();
  EXPECT_EQ(FileBytes("").find(email), std::string::npos);
  EXPECT_EQ(FileBytes("-wal").find(email), std::string::npos);
}

TEST_F(ForgetStoreTest, CountingOnlyChangesNothingAndCountsWhatDeletingDeletes) {
  const int64_t ann = Id("ann@example.org");
  Result<ForgetCounts> counted = store_->ForgetPerson(ann, ForgetMode::kCountOnly);
  ASSERT_TRUE(counted.ok()) << counted.status().ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM events"), 14);
  EXPECT_EQ(Id("ann@example.org"), ann);
  EXPECT_EQ(Id("@ann"), ann);
  EXPECT_THAT(counted->needles, ::testing::IsSupersetOf({"ann@example.org", "@ann", "Ann Lee"}));

  Result<ForgetCounts> deleted = store_->ForgetPerson(ann, ForgetMode::kDelete);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(counted->events, deleted->events);
  EXPECT_EQ(counted->event_targets, deleted->event_targets);
  EXPECT_EQ(counted->identities, deleted->identities);
  EXPECT_EQ(counted->merges, deleted->merges);
  EXPECT_EQ(counted->scores, deleted->scores);
  EXPECT_EQ(counted->event_texts_cleared, deleted->event_texts_cleared);
  EXPECT_EQ(Count("SELECT count(*) FROM events"), 14 - deleted->events);
}

TEST_F(ForgetStoreTest, ForgettingTheOwnerRemovesTheOwnerMark) {
  Result<ForgetCounts> counts = store_->ForgetPerson(Id("me"), ForgetMode::kDelete);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->meta, 1);
  Result<std::string> owner = store_->OwnerIdentity();
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(*owner, "me");  // the default again
}

TEST_F(ForgetStoreTest, TheSameSessionCanImportAgainAfterForgetting) {
  // InsertEvent caches identity ids; forgetting must not leave it pointing at deleted rows.
  ASSERT_TRUE(store_->ForgetPerson(Id("ann@example.org"), ForgetMode::kDelete).ok());
  ASSERT_TRUE(store_->BeginBatch().ok());
  Event event;
  event.time = 1710000000;
  event.channel = Channel::kEmail;
  event.kind = Kind::kEmail;
  event.actor = "ann@example.org";
  event.targets = {"bob@example.org"};
  event.source = "test";
  event.native_id = "again";
  Result<bool> inserted = store_->InsertEvent(event);
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  EXPECT_TRUE(*inserted);
  ASSERT_TRUE(store_->CommitBatch().ok());
  EXPECT_EQ(Count("SELECT count(*) FROM identities WHERE value = 'ann@example.org'"), 1);
}

TEST_F(ForgetStoreTest, UnknownPersonIsNotFound) {
  Result<ForgetCounts> counts = store_->ForgetPerson(987654, ForgetMode::kDelete);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(counts.status().message(), HasSubstr("no person #987654"));
}

TEST_F(ForgetStoreTest, PseudonymKeyIsCreatedOnceAndKept) {
  Result<std::string> first = store_->PseudonymKey();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->size(), 64u);
  EXPECT_EQ(first->find_first_not_of("0123456789abcdef"), std::string::npos);
  store_.reset();
  Result<std::unique_ptr<Store>> reopened = Store::Open(db_path_);
  ASSERT_TRUE(reopened.ok());
  Result<std::string> second = (*reopened)->PseudonymKey();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
}

}  // namespace
}  // namespace rapport::store
