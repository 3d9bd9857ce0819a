// Tests of the SQLite store and of ImportFile against real database files in a scratch
// directory: dedupe on (source, native_id), people from identities, LoadEventLog, FindPerson,
// EventsBetween, score history, batches, rejects files, and a real SNAP data set.
#include "rapport/store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/store/import.h"
#include "scratch_dir.h"

namespace rapport::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kAll = std::numeric_limits<double>::infinity();

Event MakeEvent(double time, std::string actor, std::vector<std::string> targets,
                std::string native_id, Kind kind = Kind::kMessage) {
  Event event;
  event.time = time;
  event.channel = Channel::kSms;
  event.kind = kind;
  event.actor = std::move(actor);
  event.targets = std::move(targets);
  event.source = "test";
  event.native_id = std::move(native_id);
  return event;
}

// A fresh directory and database per test, removed at the end.
class StoreDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = scratch_.Path("rapport.db");
    Result<std::unique_ptr<Store>> opened = Store::Open(db_path_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }
  void TearDown() override { store_.reset(); }

  std::string Write(const std::string& name, std::string_view content) const {
    return scratch_.Write(name, content);
  }

  // Inserts the events in one batch; every one must be new.
  void InsertAll(const std::vector<Event>& events) {
    ASSERT_TRUE(store_->BeginBatch().ok());
    for (const Event& event : events) {
      Result<bool> inserted = store_->InsertEvent(event);
      ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
      EXPECT_TRUE(*inserted) << event.native_id;
    }
    ASSERT_TRUE(store_->CommitBatch().ok());
  }

  // People p0, p1, ... each writing to "hub": enough for several statements of many rows, and a
  // tail. Returns how many besides the hub.
  int InsertPeopleAroundAHub() {
    std::vector<Event> events;
    const int people = 2 * static_cast<int>(Store::kRowsPerInsert) + 7;
    for (int i = 0; i < people; ++i) {
      events.push_back(MakeEvent(100 + i, "p" + std::to_string(i), {"hub"}, std::to_string(i)));
    }
    InsertAll(events);
    return people;
  }

  int64_t PersonId(const std::string& query) const {
    Result<Person> person = store_->FindPerson(query);
    EXPECT_TRUE(person.ok()) << person.status().ToString();
    return person.ok() ? person->id : -1;
  }

  test::ScratchDir scratch_;
  std::string db_path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreDatabaseTest, InsertIsNewOnceThenDuplicate) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  Event event = MakeEvent(100, "ann", {"bob"}, "m1");
  Result<bool> first = store_->InsertEvent(event);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(*first);
  event.time = 200;  // same key, other content: still the same event
  Result<bool> second = store_->InsertEvent(event);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(*second);
  event.source = "other";  // same native id from another source is another event
  Result<bool> third = store_->InsertEvent(event);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(*third);
  ASSERT_TRUE(store_->CommitBatch().ok());
  Result<int64_t> count = store_->CountEvents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2);
}

TEST_F(StoreDatabaseTest, IdentitiesBecomePeople) {
  InsertAll({MakeEvent(100, "ann@example.com", {"bob@example.com", "cat@example.com"}, "1"),
             MakeEvent(200, "bob@example.com", {"ann@example.com"}, "2")});
  Result<std::vector<Person>> people = store_->ListPeople();
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  ASSERT_EQ(people->size(), 3u);
  EXPECT_EQ((*people)[0].name, "ann@example.com");
  EXPECT_THAT((*people)[0].identities, ElementsAre("ann@example.com"));
  EXPECT_EQ((*people)[1].name, "bob@example.com");
  EXPECT_EQ((*people)[2].name, "cat@example.com");
  EXPECT_LT((*people)[0].id, (*people)[1].id);
  EXPECT_LT((*people)[1].id, (*people)[2].id);
}

TEST_F(StoreDatabaseTest, EmptyStore) {
  Result<int64_t> count = store_->CountEvents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
  Result<std::optional<double>> latest = store_->LatestEventTime();
  ASSERT_TRUE(latest.ok());
  EXPECT_FALSE(latest->has_value());
  Result<EventLog> log = store_->LoadEventLog(kAll);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->event_count(), 0u);
  EXPECT_THAT(log->target_offset, ElementsAre(0));
}

TEST_F(StoreDatabaseTest, LoadEventLogIsTimeSortedAndResolvesTargets) {
  Event rating = MakeEvent(300, "cat", {"ann"}, "3", Kind::kRating);
  rating.channel = Channel::kTrade;
  rating.valence = -0.5;
  rating.effort = 4;
  Event call = MakeEvent(100, "ann", {"bob", "cat"}, "1", Kind::kCall);
  call.channel = Channel::kPhone;
  call.duration = 600;
  call.is_private = true;
  InsertAll({rating, call, MakeEvent(200, "bob", {"bob", "ann"}, "2"),  // self-target dropped
             MakeEvent(400, "dan", {}, "4", Kind::kPost)});
  Result<std::optional<double>> latest = store_->LatestEventTime();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->value_or(-1), 400);

  Result<EventLog> loaded = store_->LoadEventLog(kAll);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const EventLog& log = *loaded;
  // People in id order: cat and ann came with the first insert, then bob, then dan.
  EXPECT_THAT(log.person_name, ElementsAre("cat", "ann", "bob", "dan"));
  EXPECT_THAT(log.time, ElementsAre(100, 200, 300, 400));
  EXPECT_THAT(log.actor, ElementsAre(1, 2, 0, 3));
  EXPECT_THAT(log.target_offset, ElementsAre(0, 2, 3, 4, 4));
  EXPECT_THAT(log.targets, ElementsAre(0, 2, 1, 1));
  EXPECT_EQ(log.kind[0], Kind::kCall);
  EXPECT_EQ(log.channel[0], Channel::kPhone);
  EXPECT_EQ(log.duration[0], 600);
  EXPECT_EQ(log.is_private[0], 1);
  EXPECT_EQ(log.is_private[1], 0);
  EXPECT_TRUE(std::isnan(log.effort_override[0]));
  EXPECT_EQ(log.effort_override[2], 4);
  EXPECT_EQ(log.valence[2], -0.5);
  EXPECT_EQ(log.channel[2], Channel::kTrade);
  EXPECT_EQ(log.kind[3], Kind::kPost);
  for (size_t p = 0; p < log.person_count(); ++p) {
    Result<Person> person = store_->FindPerson(log.person_name[p]);
    ASSERT_TRUE(person.ok());
    EXPECT_EQ(log.person_id[p], person->id);
  }
}

// Events stored in time order (the usual case) are taken as scanned; in any other order they are
// sorted. Both give the same log.
TEST_F(StoreDatabaseTest, LoadEventLogOfEventsStoredInTimeOrderIsTheSame) {
  Event call = MakeEvent(100, "ann", {"bob", "cat"}, "1", Kind::kCall);
  call.channel = Channel::kPhone;
  Event rating = MakeEvent(300, "cat", {"ann", "cat"}, "3", Kind::kRating);
  rating.channel = Channel::kTrade;
  InsertAll({call, MakeEvent(200, "bob", {"bob", "ann"}, "2"), rating,
             MakeEvent(400, "dan", {}, "4", Kind::kPost)});
  Result<EventLog> loaded = store_->LoadEventLog(kAll);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const EventLog& log = *loaded;
  EXPECT_THAT(log.person_name, ElementsAre("ann", "bob", "cat", "dan"));
  EXPECT_THAT(log.time, ElementsAre(100, 200, 300, 400));
  EXPECT_THAT(log.event_id, ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(log.actor, ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(log.target_offset, ElementsAre(0, 2, 3, 4, 4));
  EXPECT_THAT(log.targets, ElementsAre(1, 2, 0, 0));
  EXPECT_THAT(log.kind, ElementsAre(Kind::kCall, Kind::kMessage, Kind::kRating, Kind::kPost));
  EXPECT_EQ(log.channel[0], Channel::kPhone);
  EXPECT_EQ(log.channel[2], Channel::kTrade);
}

TEST_F(StoreDatabaseTest, LoadEventLogRespectsAsOfButKeepsEveryPerson) {
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1"), MakeEvent(200, "bob", {"ann"}, "2"),
             MakeEvent(300, "cat", {"ann"}, "3")});
  Result<EventLog> log = store_->LoadEventLog(200);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_THAT(log->time, ElementsAre(100, 200));  // as_of itself is included
  EXPECT_THAT(log->target_offset, ElementsAre(0, 1, 2));
  EXPECT_THAT(log->targets, ElementsAre(1, 0));
  EXPECT_EQ(log->person_count(), 3u);
  Result<EventLog> none = store_->LoadEventLog(99.5);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->event_count(), 0u);
  EXPECT_EQ(none->person_count(), 3u);
}

TEST_F(StoreDatabaseTest, FindPerson) {
  InsertAll({MakeEvent(100, "alice@example.com", {"bob@example.com", "alicia@corp.org"}, "1"),
             MakeEvent(200, "7", {"alice@example.com"}, "2")});
  // By identity.
  Result<Person> alice = store_->FindPerson("alice@example.com");
  ASSERT_TRUE(alice.ok()) << alice.status().ToString();
  EXPECT_EQ(alice->name, "alice@example.com");
  EXPECT_EQ(alice->id, 1);
  // By "#id" and by a bare id.
  Result<Person> second = store_->FindPerson("#2");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->name, "bob@example.com");
  Result<Person> third = store_->FindPerson("3");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->name, "alicia@corp.org");
  // An identity that looks like an id wins over the id.
  Result<Person> seven = store_->FindPerson("7");
  ASSERT_TRUE(seven.ok());
  EXPECT_EQ(seven->id, 4);
  Result<Person> by_id = store_->FindPerson("#4");
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->name, "7");
  // By a unique case-insensitive name substring.
  Result<Person> corp = store_->FindPerson("CORP");
  ASSERT_TRUE(corp.ok()) << corp.status().ToString();
  EXPECT_EQ(corp->name, "alicia@corp.org");
}

TEST_F(StoreDatabaseTest, FindPersonMeIsTheOwner) {
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1")});
  Result<std::string> owner = store_->OwnerIdentity();
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(*owner, "me");
  Result<Person> nobody = store_->FindPerson("me");
  EXPECT_EQ(nobody.status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->SetOwnerIdentity("bob").ok());
  Result<Person> me = store_->FindPerson("me");
  ASSERT_TRUE(me.ok()) << me.status().ToString();
  EXPECT_EQ(me->name, "bob");
  ASSERT_TRUE(store_->SetOwnerIdentity("ann").ok());  // replaces, not adds
  Result<Person> changed = store_->FindPerson("me");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->name, "ann");
}

TEST_F(StoreDatabaseTest, FindPersonAmbiguousListsCandidates) {
  InsertAll({MakeEvent(100, "alice@example.com", {"bob@example.com", "alicia@corp.org"}, "1")});
  Result<Person> ambiguous = store_->FindPerson("ali");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ambiguous.status().message(),
            "\"ali\" matches 2 people (#1 alice@example.com, #3 alicia@corp.org); be more "
            "specific");
}

TEST_F(StoreDatabaseTest, FindPersonNotFound) {
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1")});
  for (const char* query : {"zed", "#99", "99", "#", "#-1", "#99999999999999999999999"}) {
    SCOPED_TRACE(query);
    Result<Person> missing = store_->FindPerson(query);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
    EXPECT_THAT(missing.status().message(),
                HasSubstr(std::string("no person matches \"") + query + "\""));
  }
}

TEST_F(StoreDatabaseTest, EventsBetweenBothDirectionsNewestFirst) {
  Event favour = MakeEvent(300, "ann", {"bob"}, "3", Kind::kFavour);
  favour.text = "read the draft";
  favour.effort = 8;
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1"), MakeEvent(200, "bob", {"ann", "cat"}, "2"),
             favour, MakeEvent(350, "ann", {"cat"}, "4"), MakeEvent(400, "bob", {"ann"}, "5")});
  const int64_t ann = PersonId("ann"), bob = PersonId("bob");

  Result<std::vector<StoredEvent>> events = store_->EventsBetween(ann, bob, 300, 10);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].event.time, 300);
  EXPECT_EQ((*events)[0].event.actor, "ann");
  EXPECT_THAT((*events)[0].event.targets, ElementsAre("bob"));
  EXPECT_EQ((*events)[0].event.kind, Kind::kFavour);
  EXPECT_EQ((*events)[0].event.text, "read the draft");
  EXPECT_EQ((*events)[0].event.effort.value_or(-1), 8);
  EXPECT_EQ((*events)[0].event.native_id, "3");
  EXPECT_EQ((*events)[0].event.source, "test");
  EXPECT_EQ((*events)[1].event.time, 200);
  EXPECT_EQ((*events)[1].event.actor, "bob");
  EXPECT_THAT((*events)[1].event.targets, ElementsAre("ann"));
  EXPECT_EQ((*events)[2].event.time, 100);
  EXPECT_FALSE((*events)[2].event.effort.has_value());

  // The same events from the other side, and the limit keeps the newest.
  Result<std::vector<StoredEvent>> reversed = store_->EventsBetween(bob, ann, kAll, 2);
  ASSERT_TRUE(reversed.ok());
  ASSERT_EQ(reversed->size(), 2u);
  EXPECT_EQ((*reversed)[0].event.time, 400);
  EXPECT_EQ((*reversed)[1].event.time, 300);
}

TEST_F(StoreDatabaseTest, ScoresRoundTripInTimeOrder) {
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1")});
  const int64_t ann = PersonId("ann"), bob = PersonId("bob");
  ASSERT_TRUE(store_
                  ->SaveScores({{2000, ann, 40.5, 55.25, 1.5, 2.5},
                                {1000, ann, 30, 50, std::nullopt, std::nullopt},
                                {1000, bob, 10, 20, 0.5, 0.75}})
                  .ok());
  ASSERT_TRUE(store_->SaveScores({{2000, ann, 41, 56, 1.75, 2.75}}).ok());  // replaces

  Result<std::vector<ScoreRecord>> history = store_->ScoreHistory(ann);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].as_of, 1000);
  EXPECT_EQ((*history)[0].person_id, ann);
  EXPECT_EQ((*history)[0].volume_score, 30);
  EXPECT_EQ((*history)[0].rapport_score, 50);
  EXPECT_FALSE((*history)[0].volume_raw.has_value());
  EXPECT_FALSE((*history)[0].rapport_raw.has_value());
  EXPECT_EQ((*history)[1].as_of, 2000);
  EXPECT_EQ((*history)[1].volume_score, 41);
  EXPECT_EQ((*history)[1].rapport_score, 56);
  EXPECT_EQ((*history)[1].volume_raw, 1.75);
  EXPECT_EQ((*history)[1].rapport_raw, 2.75);

  Result<std::vector<ScoreRecord>> other = store_->ScoreHistory(bob);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].volume_score, 10);
  EXPECT_EQ((*other)[0].rapport_raw, 0.75);
}

// A damaged store, where an identity's person row is gone (written with foreign keys off), loads
// as an error that names them, not as a crash.
TEST_F(StoreDatabaseTest, AnIdentityOfAMissingPersonIsReportedWhenLoading) {
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1")});
  const int64_t bob = PersonId("bob");
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  const std::string damage =
      "PRAGMA foreign_keys=OFF; DELETE FROM people WHERE id = " + std::to_string(bob) + ";";
  ASSERT_EQ(sqlite3_exec(db, damage.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Result<std::unique_ptr<Store>> opened = Store::Open(db_path_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store_ = std::move(opened).value();

  Result<EventLog> log = store_->LoadEventLog(std::numeric_limits<double>::infinity());
  ASSERT_FALSE(log.ok());
  EXPECT_THAT(log.status().message(),
              HasSubstr("belongs to person " + std::to_string(bob) + ", who does not exist"));
}

// Scores are derived: merging two people drops the score runs of the one who joins, and keeps
// the other's.
TEST_F(StoreDatabaseTest, MergingDropsTheScoresOfThePersonWhoJoins) {
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1"), MakeEvent(200, "cat", {"ann"}, "2")});
  const int64_t ann = PersonId("ann"), bob = PersonId("bob"), cat = PersonId("cat");
  for (const double as_of : {1000.0, 2000.0, 3000.0}) {
    ASSERT_TRUE(store_
                    ->SaveScores({{as_of, ann, 1, 2, 0.1, 0.2},
                                  {as_of, bob, 3, 4, 0.3, 0.4},
                                  {as_of, cat, 5, 6, 0.5, 0.6}})
                    .ok());
  }
  ASSERT_TRUE(store_->MergePeople(ann, bob, "same person").ok());
  Result<std::vector<ScoreRecord>> of_bob = store_->ScoreHistory(bob);
  ASSERT_TRUE(of_bob.ok()) << of_bob.status().ToString();
  EXPECT_TRUE(of_bob->empty());
  for (const int64_t kept : {ann, cat}) {
    Result<std::vector<ScoreRecord>> history = store_->ScoreHistory(kept);
    ASSERT_TRUE(history.ok()) << history.status().ToString();
    ASSERT_EQ(history->size(), 3u) << kept;
    EXPECT_EQ((*history)[2].as_of, 3000);
    EXPECT_EQ((*history)[2].person_id, kept);
  }
}

// Many scores are recorded without a check per row that the person exists; one that does not
// still fails the whole recording, wherever it is among them, and nothing is kept.
TEST_F(StoreDatabaseTest, ManyScoresOfSomeoneWhoDoesNotExistAreRefused) {
  const int people = InsertPeopleAroundAHub();
  const int64_t hub = PersonId("hub");
  std::vector<ScoreRecord> records;
  for (int i = 0; i < people; ++i) {
    records.push_back({1000, PersonId("p" + std::to_string(i)), 1.0 * i, 2.0 * i, 0.1, 0.2});
  }
  for (const int64_t missing : {int64_t{0}, hub + 1000}) {  // before the first, after the last
    std::vector<ScoreRecord> with_missing = records;
    with_missing[static_cast<size_t>(people) / 2].person_id = missing;
    EXPECT_FALSE(store_->SaveScores(with_missing).ok()) << missing;
  }
  // Someone forgotten after the scores were computed: an id between two people's.
  const int64_t forgotten = PersonId("p5");
  ASSERT_TRUE(store_->ForgetPerson(forgotten, ForgetMode::kDelete).ok());
  EXPECT_FALSE(store_->SaveScores(records).ok());
  std::erase_if(records, [&](const ScoreRecord& record) { return record.person_id == forgotten; });
  Result<std::vector<ScoreRecord>> history = store_->ScoreHistory(PersonId("p0"));
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  EXPECT_TRUE(history->empty());

  ASSERT_TRUE(store_->SaveScores(records).ok());
  history = store_->ScoreHistory(PersonId("p0"));
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  EXPECT_EQ(history->size(), 1u);
  // The checks are on again: one score of no one is refused.
  EXPECT_FALSE(store_->SaveScores({{2000, hub + 1000, 1, 1, 0.1, 0.2}}).ok());
}

// One recording may hold rows of several dates, in any order (here the later date first, people
// from last to first): each is kept, and a row of someone who does not exist is still refused.
TEST_F(StoreDatabaseTest, ScoresOfSeveralDatesInAnyOrder) {
  const int people = InsertPeopleAroundAHub();
  std::vector<ScoreRecord> records;
  for (const double as_of : {2000.0, 1000.0}) {
    for (int i = people - 1; i >= 0; --i) {
      records.push_back({as_of, PersonId("p" + std::to_string(i)), as_of + i, 1.0 * i, 0.5, 0.25});
    }
  }
  ASSERT_TRUE(store_->SaveScores(records).ok());
  for (const int i : {0, people / 2, people - 1}) {
    Result<std::vector<ScoreRecord>> history =
        store_->ScoreHistory(PersonId("p" + std::to_string(i)));
    ASSERT_TRUE(history.ok()) << history.status().ToString();
    ASSERT_EQ(history->size(), 2u) << i;
    EXPECT_EQ((*history)[0].as_of, 1000);
    EXPECT_EQ((*history)[0].volume_score, 1000 + i);
    EXPECT_EQ((*history)[1].as_of, 2000);
    EXPECT_EQ((*history)[1].volume_score, 2000 + i);
  }
  const int64_t hub = PersonId("hub");
  std::vector<ScoreRecord> with_missing = records;
  with_missing[records.size() - 2].person_id = hub + 1000;  // among the earlier date's rows
  EXPECT_FALSE(store_->SaveScores(with_missing).ok());
}

// Enough people for several statements of many rows, and a tail: every record is kept, and a
// second run as of the same date replaces the first.
TEST_F(StoreDatabaseTest, ManyScoresRoundTrip) {
  const int people = InsertPeopleAroundAHub();
  std::vector<ScoreRecord> first, second;
  for (int i = 0; i < people; ++i) {
    const int64_t id = PersonId("p" + std::to_string(i));
    first.push_back({1000, id, 1.0 * i, 2.0 * i, 1, 1});
    second.push_back({1000, id, 3.0 * i, 4.0 * i, 2, 2});
    first.push_back({500, id, 0.5 * i, 0.25 * i, 0.5, 0.5});
  }
  ASSERT_TRUE(store_->SaveScores(first).ok());
  ASSERT_TRUE(store_->SaveScores(second).ok());
  for (int i = 0; i < people; ++i) {
    Result<std::vector<ScoreRecord>> history =
        store_->ScoreHistory(PersonId("p" + std::to_string(i)));
    ASSERT_TRUE(history.ok()) << history.status().ToString();
    ASSERT_EQ(history->size(), 2u) << i;
    EXPECT_EQ((*history)[0].as_of, 500);
    EXPECT_EQ((*history)[0].rapport_score, 0.25 * i);
    EXPECT_EQ((*history)[1].volume_score, 3.0 * i);
    EXPECT_EQ((*history)[1].rapport_score, 4.0 * i);
    EXPECT_EQ((*history)[1].volume_raw, 2);
  }
}

TEST_F(StoreDatabaseTest, RolledBackBatchLeavesNothing) {
  ASSERT_TRUE(store_->BeginBatch().ok());
  for (const Event& event :
       {MakeEvent(100, "ann", {"bob"}, "1"), MakeEvent(200, "cat", {"ann"}, "2")}) {
    Result<bool> inserted = store_->InsertEvent(event);
    ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  }
  ASSERT_TRUE(store_->RollbackBatch().ok());
  Result<int64_t> count = store_->CountEvents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
  Result<std::vector<Person>> people = store_->ListPeople();
  ASSERT_TRUE(people.ok());
  EXPECT_TRUE(people->empty());

  // The same identities after the rollback are created afresh (no stale cached ids).
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1")});
  Result<EventLog> log = store_->LoadEventLog(kAll);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_THAT(log->person_name, ElementsAre("ann", "bob"));
  EXPECT_THAT(log->targets, ElementsAre(1));
}

TEST_F(StoreDatabaseTest, DataSurvivesReopening) {
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1")});
  store_.reset();
  Result<std::unique_ptr<Store>> reopened = Store::Open(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  Result<int64_t> count = (*reopened)->CountEvents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
}

TEST_F(StoreDatabaseTest, OpeningAFileThatIsNotADatabaseFails) {
  std::string garbage(8192, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 131 + 7) % 251);
  const std::string path = Write("garbage.db", garbage);
  Result<std::unique_ptr<Store>> opened = Store::Open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.status().message(), HasSubstr(path + " is not a Rapport database"));
  EXPECT_THAT(opened.status().message(), HasSubstr("--db"));

  const std::string text = Write("notes.txt", "just some notes, not SQLite\n");
  Result<std::unique_ptr<Store>> text_opened = Store::Open(text);
  ASSERT_FALSE(text_opened.ok());
  EXPECT_THAT(text_opened.status().message(), HasSubstr("is not a Rapport database"));
}

TEST_F(StoreDatabaseTest, OpeningInAMissingDirectoryFails) {
  const std::string path = scratch_.Path("no/such/dir/rapport.db");
  Result<std::unique_ptr<Store>> opened = Store::Open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.status().message(), HasSubstr(path));
}

// The rows a table holds, one line each, in id order (the columns joined by '|').
std::string DumpRows(const std::string& db_path, const std::string& select) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string out;
  sqlite3_exec(
      db, select.c_str(),
      [](void* text, int columns, char** values, char**) {
        auto& rows = *static_cast<std::string*>(text);
        for (int i = 0; i < columns; ++i) {
          rows += values[i] != nullptr ? values[i] : "NULL";
          rows += i + 1 < columns ? "|" : "\n";
        }
        return 0;
      },
      &out, nullptr);
  sqlite3_close(db);
  return out;
}

// Both stores hold the same events, targets, identities and people, row for row.
void ExpectSameEvents(const std::string& expected_path, const std::string& path) {
  for (const char* select :
       {"SELECT * FROM events ORDER BY id", "SELECT * FROM event_targets ORDER BY 1, 2",
        "SELECT * FROM identities ORDER BY id", "SELECT * FROM people ORDER BY id"}) {
    const std::string expected = DumpRows(expected_path, select);
    EXPECT_FALSE(expected.empty()) << select;
    EXPECT_EQ(DumpRows(path, select), expected) << select;
  }
}

// With the dedupe key down, InsertEvents stores a statement's worth of rows at a time: the same
// rows as InsertEvent one by one, every field and target, display names included.
TEST_F(StoreDatabaseTest, InsertEventsManyRowsAStatementStoresWhatInsertEventDoes) {
  std::vector<Event> events;
  for (int i = 0; i < 3 * static_cast<int>(Store::kRowsPerInsert) + 5; ++i) {
    std::vector<std::string> targets;
    for (int t = 0; t < i % 4; ++t) targets.push_back("p" + std::to_string((i + 3 * t) % 23));
    if (i % 9 == 0 && !targets.empty()) targets.push_back(targets.front());  // a repeated target
    Event event = MakeEvent(1000 + i, "p" + std::to_string(i % 17), targets, std::to_string(i));
    event.channel = i % 2 ? Channel::kEmail : Channel::kSms;
    event.is_private = i % 3 == 0;
    event.duration = i % 5 == 0 ? 60.0 * i : 0;
    if (i % 7 == 0) event.effort = 0.25 * i;
    event.valence = i % 11 == 0 ? -0.5 : 1;
    if (i % 6 == 0) event.text = "note " + std::to_string(i);
    if (i % 4 == 1) event.actor_name = "Name " + std::to_string(i);
    for (size_t t = 0; t < event.targets.size() && i % 5 == 2; ++t) {
      event.target_names.push_back("Target " + std::to_string(i));
    }
    events.push_back(std::move(event));
  }
  // One by one, into the store of the fixture.
  InsertAll(events);

  const std::string many_path = scratch_.Path("many.db");
  {
    Result<std::unique_ptr<Store>> many = Store::Open(many_path);
    ASSERT_TRUE(many.ok()) << many.status().ToString();
    ASSERT_TRUE((*many)->DropDedupeIndex().ok());
    ASSERT_TRUE((*many)->BeginBatch().ok());
    Result<int64_t> inserted = (*many)->InsertEvents(events);
    ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
    EXPECT_EQ(*inserted, static_cast<int64_t>(events.size()));
    ASSERT_TRUE((*many)->CommitBatch().ok());
    Result<int64_t> repeated = (*many)->BuildIndexes();
    ASSERT_TRUE(repeated.ok()) << repeated.status().ToString();
    EXPECT_EQ(*repeated, 0);
  }
  store_.reset();
  ExpectSameEvents(db_path_, many_path);
}

// Into a store that holds events, InsertEvents refuses what the store holds and what the same
// call repeated earlier (in its group of kRowsPerInsert rows or an earlier one), and stores the
// rest a statement's worth at a time: the same rows as InsertEvent one by one.
TEST_F(StoreDatabaseTest, InsertEventsIntoAFilledStoreRefusesWhatInsertEventDoes) {
  const auto make = [](int i, const std::string& source) {
    Event event = MakeEvent(1000 + i, "p" + std::to_string(i % 13),
                            {"p" + std::to_string((i + 5) % 19)}, std::to_string(i));
    event.source = source;
    if (i % 6 == 0) event.text = "note " + std::to_string(i);
    return event;
  };
  std::vector<Event> stored, more;
  for (int i = 0; i < 70; ++i) stored.push_back(make(i, "a"));
  const int n = 3 * static_cast<int>(Store::kRowsPerInsert);
  for (int i = 0; i < n; ++i) {
    // Every fifth a key the store holds, every seventh a repeat of one two rows back (the same
    // group) or seventy back (an earlier one), the others new; the same id under another source
    // is another key.
    if (i % 5 == 0) {
      more.push_back(make(i % 70, "a"));
    } else if (i % 7 == 0 && i >= 70) {
      more.push_back(more[static_cast<size_t>(i % 2 ? i - 2 : i - 70)]);
    } else {
      more.push_back(make(i, i % 3 ? "b" : "a"));
    }
  }
  const std::string many_path = scratch_.Path("many.db");
  int64_t new_one_by_one = 0;
  {
    InsertAll(stored);
    ASSERT_TRUE(store_->BeginBatch().ok());
    for (const Event& event : more) {
      Result<bool> inserted = store_->InsertEvent(event);
      ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
      new_one_by_one += *inserted ? 1 : 0;
    }
    ASSERT_TRUE(store_->CommitBatch().ok());

    Result<std::unique_ptr<Store>> many = Store::Open(many_path);
    ASSERT_TRUE(many.ok()) << many.status().ToString();
    ASSERT_TRUE((*many)->BeginBatch().ok());
    Result<int64_t> first = (*many)->InsertEvents(stored);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(*first, static_cast<int64_t>(stored.size()));
    Result<int64_t> second = (*many)->InsertEvents(more);
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    EXPECT_EQ(*second, new_one_by_one);
    ASSERT_TRUE((*many)->CommitBatch().ok());
  }
  EXPECT_GT(new_one_by_one, static_cast<int64_t>(Store::kRowsPerInsert));
  EXPECT_LT(new_one_by_one, static_cast<int64_t>(more.size()) - n / 5);
  store_.reset();
  ExpectSameEvents(db_path_, many_path);
}

// A look at the checkpoint's first bytes, before it is loaded: what was saved after the nonce,
// cut at the length asked for; nothing without a checkpoint.
TEST_F(StoreDatabaseTest, PeekingAtTheCheckpointGivesItsFirstBytes) {
  EXPECT_EQ(store_->PeekCheckpoint(8), "");
  StoredCheckpoint checkpoint;
  checkpoint.anchor = 1000;
  checkpoint.settings = "settings";
  const std::vector<std::string_view> pieces = {"01234567", "89abcdef"};
  ASSERT_TRUE(store_->SaveCheckpoint(checkpoint, pieces).ok());
  EXPECT_EQ(store_->PeekCheckpoint(10), "0123456789");
  EXPECT_EQ(store_->PeekCheckpoint(100), "0123456789abcdef");
  Result<std::optional<StoredCheckpoint>> loaded = store_->LoadCheckpoint();
  ASSERT_TRUE(loaded.ok() && loaded->has_value()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->data.bytes(), "0123456789abcdef");
}

// Import runs on the same fresh database.
class StoreImportTest : public StoreDatabaseTest {};

constexpr std::string_view kCsv =
    "time,channel,kind,actor,targets,private,duration,effort,valence,native_id\n"
    "2024-03-01T10:00:00Z,email,email,ann,bob;cat,,,,,\n"
    "yesterday,sms,message,ann,bob,,,,,\n"
    "2024-03-02T10:00:00Z,sms,message,bob,ann,,,,,\n"
    "5,sms,poke,ann,bob,,,,,\n"
    "2024-03-03T10:00:00Z,phone,call,cat,ann,,600,,,\n";

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  for (std::string field; std::getline(stream, field, '\t');) fields.push_back(field);
  return fields;
}

TEST_F(StoreImportTest, ImportCountsAndWritesRejects) {
  const std::string csv = Write("events.csv", kCsv);
  ImportOptions options;
  options.rejects_path = RejectsPathFor(db_path_);
  EXPECT_EQ(options.rejects_path, db_path_ + ".rejects.tsv");

  Result<FileImportReport> report = ImportFile(*store_, csv, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->format, ingest::Format::kCsv);
  EXPECT_EQ(report->read, 5);
  EXPECT_EQ(report->accepted, 3);
  EXPECT_EQ(report->rejected, 2);
  EXPECT_EQ(report->duplicate, 0);
  EXPECT_EQ(report->read, report->accepted + report->rejected + report->duplicate);
  ASSERT_TRUE(report->first_reject.has_value());
  EXPECT_EQ(report->first_reject->line, 3);

  std::vector<std::string> lines = ReadLines(options.rejects_path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "file\tline\tbyte_offset\treason\thint\traw");
  std::vector<std::string> first = SplitTabs(lines[1]);
  ASSERT_EQ(first.size(), 6u);
  EXPECT_EQ(first[0], csv);
  EXPECT_EQ(first[1], "3");
  EXPECT_EQ(first[2], std::to_string(kCsv.find("yesterday")));
  EXPECT_EQ(first[3], "unparsable time \"yesterday\" (expected YYYY-MM-DD)");
  EXPECT_FALSE(first[4].empty());
  EXPECT_EQ(first[5], "yesterday,sms,message,ann,bob,,,,,");
  std::vector<std::string> second = SplitTabs(lines[2]);
  ASSERT_EQ(second.size(), 6u);
  EXPECT_EQ(second[0], csv);
  EXPECT_EQ(second[1], "5");
  EXPECT_EQ(second[3], "unknown kind \"poke\"");
  EXPECT_EQ(second[5], "5,sms,poke,ann,bob,,,,,");

  Result<EventLog> log = store_->LoadEventLog(kAll);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->event_count(), 3u);
  EXPECT_THAT(log->person_name, ElementsAre("ann", "bob", "cat"));

  // Importing again adds nothing; the rejects are appended under the one header.
  Result<FileImportReport> again = ImportFile(*store_, csv, options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->read, 5);
  EXPECT_EQ(again->accepted, 0);
  EXPECT_EQ(again->duplicate, 3);
  EXPECT_EQ(again->rejected, 2);
  Result<int64_t> count = store_->CountEvents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3);
  lines = ReadLines(options.rejects_path);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[3], lines[1]);
  EXPECT_EQ(lines[4], lines[2]);
}

TEST_F(StoreImportTest, ImportInSmallBatchesAndWithoutRejectsFile) {
  const std::string csv = Write("events.csv", kCsv);
  ImportOptions options;
  options.batch_size = 1;
  Result<FileImportReport> report = ImportFile(*store_, csv, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->accepted, 3);
  EXPECT_EQ(report->rejected, 2);
  EXPECT_FALSE(std::filesystem::exists(RejectsPathFor(db_path_)));
  Result<int64_t> count = store_->CountEvents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3);
}

TEST_F(StoreImportTest, ImportOfAMissingFileFailsAndLeavesTheStoreUsable) {
  const std::string missing = scratch_.Path("missing.csv");
  ImportOptions options;
  options.read.format = ingest::Format::kCsv;
  Result<FileImportReport> report = ImportFile(*store_, missing, options);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr(missing));
  InsertAll({MakeEvent(100, "ann", {"bob"}, "1")});  // no batch was left open
}

TEST_F(StoreImportTest, ImportCollegeMsgTwice) {
  const std::string path = RAPPORT_SHARED_DATA "/collegemsg/CollegeMsg.txt";
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  ImportOptions options;
  options.rejects_path = RejectsPathFor(db_path_);
  Result<FileImportReport> report = ImportFile(*store_, path, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->format, ingest::Format::kSnap);
  EXPECT_EQ(report->read, 59835);
  EXPECT_EQ(report->accepted, 59835);
  EXPECT_EQ(report->rejected, 0);
  EXPECT_EQ(report->duplicate, 0);
  Result<std::vector<Person>> people = store_->ListPeople();
  ASSERT_TRUE(people.ok());
  EXPECT_EQ(people->size(), 1899u);

  Result<EventLog> log = store_->LoadEventLog(kAll);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->event_count(), 59835u);
  EXPECT_EQ(log->person_count(), 1899u);
  EXPECT_EQ(log->targets.size(), 59835u);  // one recipient per message
  for (size_t e = 1; e < log->event_count(); ++e) ASSERT_LE(log->time[e - 1], log->time[e]);
  EXPECT_EQ(log->time.front(), 1082040961);

  Result<FileImportReport> again = ImportFile(*store_, path, options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->accepted, 0);
  EXPECT_EQ(again->duplicate, 59835);
  Result<int64_t> count = store_->CountEvents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 59835);
}

// Dropping the read-only indexes and building them at the end stores the same events as
// keeping them up, and leaves every index in place.
TEST_F(StoreImportTest, ImportWithIndexesRebuiltStoresTheSameEvents) {
  const std::string path = RAPPORT_SHARED_DATA "/collegemsg/CollegeMsg.txt";
  ImportOptions options;
  options.indexes = IndexPolicy::kKeep;
  ASSERT_TRUE(ImportFile(*store_, path, options).ok());
  Result<std::unique_ptr<Store>> other = Store::Open(scratch_.Path("rebuilt.db"));
  ASSERT_TRUE(other.ok());
  options.indexes = IndexPolicy::kRebuild;
  Result<FileImportReport> report = ImportFile(**other, path, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->accepted, 59835);

  Result<EventLog> kept = store_->LoadEventLog(kAll);
  Result<EventLog> rebuilt = (*other)->LoadEventLog(kAll);
  ASSERT_TRUE(kept.ok() && rebuilt.ok());
  EXPECT_EQ(kept->time, rebuilt->time);
  EXPECT_EQ(kept->actor, rebuilt->actor);
  EXPECT_EQ(kept->targets, rebuilt->targets);
  EXPECT_EQ(kept->person_name, rebuilt->person_name);

  sqlite3* db = nullptr;
  ASSERT_EQ(
      sqlite3_open_v2(scratch_.Path("rebuilt.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
      SQLITE_OK);
  int indexes = 0;
  sqlite3_exec(
      db,
      "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('events_time', "
      "'events_actor', 'event_targets_identity', 'events_key')",
      [](void* count, int, char**, char**) {
        ++*static_cast<int*>(count);
        return 0;
      },
      &indexes, nullptr);
  // The rows went in with the foreign key checks off: every reference names a row all the same.
  int dangling = 0;
  ASSERT_EQ(sqlite3_exec(
                db, "PRAGMA foreign_key_check",
                [](void* count, int, char**, char**) {
                  ++*static_cast<int*>(count);
                  return 0;
                },
                &dangling, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(indexes, 4);
  EXPECT_EQ(dangling, 0);
}

// An import that dies while the dedupe key is down leaves repeated events behind; opening the
// store again removes them (the later of each key) and puts the key back.
TEST_F(StoreImportTest, OpeningAfterAnImportDiedWithTheKeyDownRemovesRepeats) {
  ASSERT_TRUE(store_->DropReadIndexes().ok());
  ASSERT_TRUE(store_->DropDedupeIndex().ok());
  InsertAll({MakeEvent(100, "ann", {"bob"}, "m1"), MakeEvent(200, "bob", {"ann", "cat"}, "m1"),
             MakeEvent(300, "cat", {"ann"}, "m2")});
  store_.reset();  // as if the process had died here

  Result<std::unique_ptr<Store>> reopened = Store::Open(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  store_ = std::move(reopened).value();
  Result<EventLog> log = store_->LoadEventLog(kAll);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->time.size(), 2u);
  EXPECT_EQ(log->time[0], 100);
  EXPECT_EQ(log->time[1], 300);
  EXPECT_EQ(log->targets.size(), 2u);  // the repeat's two targets went with it
  ASSERT_TRUE(store_->BeginBatch().ok());
  Result<bool> repeat = store_->InsertEvent(MakeEvent(400, "dan", {"ann"}, "m2"));
  ASSERT_TRUE(repeat.ok()) << repeat.status().ToString();
  EXPECT_FALSE(*repeat);  // the key is back
  ASSERT_TRUE(store_->CommitBatch().ok());
}

// Two keys whose hashes are equal are still two keys: rebuilding the dedupe index compares the
// texts of events that share a hash, and deletes only true repeats.
TEST_F(StoreImportTest, EventsWhoseKeysShareAHashAreNotRepeats) {
  InsertAll({MakeEvent(100, "ann", {"bob"}, "m1"), MakeEvent(200, "bob", {"ann"}, "m2"),
             MakeEvent(300, "cat", {"ann"}, "m3")});
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  // m1 and m2 share a hash; m3 repeats m1's key and hash, as rows stored with the index down.
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE events SET native_key = 42 WHERE native_id IN ('m1', 'm2');"
                         "UPDATE events SET native_key = 42, native_id = 'm1' WHERE time = 300;"
                         "DROP INDEX events_key;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  Result<std::unique_ptr<Store>> reopened = Store::Open(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  store_ = std::move(reopened).value();
  Result<EventLog> log = store_->LoadEventLog(kAll);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->time, (std::vector<double>{100, 200}));
}

// Into an empty store a large import drops the dedupe key too and removes repeated events at the
// end: the same events are kept (the first of each key, with its own targets) and the same
// repeats counted as when each event is checked on insert.
TEST_F(StoreImportTest, RepeatsFoundAtTheEndAreTheOnesFoundOnInsert) {
  const std::string csv = Write("repeats.csv",
                                "time,channel,kind,actor,targets,native_id\n"
                                "2024-03-01T10:00:00Z,email,email,ann,bob;cat,m1\n"
                                "2024-03-02T10:00:00Z,email,email,bob,ann,m2\n"
                                "2024-03-03T10:00:00Z,email,email,cat,dan;eve,m1\n"
                                "2024-03-04T10:00:00Z,email,email,ann,cat,m3\n"
                                "2024-03-05T10:00:00Z,email,email,eve,bob,m2\n"
                                "2024-03-06T10:00:00Z,email,email,dan,ann,m1\n");
  ImportOptions options;
  options.indexes = IndexPolicy::kKeep;
  Result<FileImportReport> kept = ImportFile(*store_, csv, options);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->accepted, 3);
  EXPECT_EQ(kept->duplicate, 3);

  const std::string other_path = scratch_.Path("rebuilt.db");
  Result<std::unique_ptr<Store>> other = Store::Open(other_path);
  ASSERT_TRUE(other.ok());
  options.indexes = IndexPolicy::kRebuild;
  Result<FileImportReport> rebuilt = ImportFile(**other, csv, options);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  EXPECT_EQ(rebuilt->accepted, 3);
  EXPECT_EQ(rebuilt->duplicate, 3);

  Result<EventLog> kept_log = store_->LoadEventLog(kAll);
  Result<EventLog> rebuilt_log = (*other)->LoadEventLog(kAll);
  ASSERT_TRUE(kept_log.ok() && rebuilt_log.ok());
  EXPECT_EQ(rebuilt_log->time, kept_log->time);
  EXPECT_EQ(rebuilt_log->actor, kept_log->actor);
  EXPECT_EQ(rebuilt_log->target_offset, kept_log->target_offset);
  EXPECT_EQ(rebuilt_log->targets, kept_log->targets);
  ASSERT_EQ(rebuilt_log->event_count(), 3u);
  EXPECT_EQ(rebuilt_log->targets.size(), 4u);  // bob and cat, ann, cat: the repeats' went

  // The store is no longer empty, so the key stays up and a second import repeats everything.
  Result<FileImportReport> again = ImportFile(**other, csv, options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->accepted, 0);
  EXPECT_EQ(again->duplicate, 6);
  Result<int64_t> count = (*other)->CountEvents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3);
}

}  // namespace
}  // namespace rapport::store
