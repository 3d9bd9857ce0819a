// Tests of the calls and SMS reader (src/ingest/call_log_reader.cc) on the hand-written files in
// tests/data/ingest/calls/: an SMS Backup & Restore sms and calls backup, and the calls CSV.
//
// Expected counts were checked independently: Python's ElementTree lists the backups' records
// with their type (sms: types 1,2,1,1,3,1,1,9 and mms msg_box 1,2; calls: types
// 1,2,3,4,5,6,7,1,8,1), and the rules of docs/formats-chat.md give the rejects: the draft (3),
// the bad date, the empty address and type 9; the refused call (6), number -2, type 8 and the
// empty date. Line numbers and byte offsets come from grep -n and Python's str.index.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "ingest_test_util.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {
namespace {

using testing::Collected;

const std::string kData = std::string(RAPPORT_TEST_DATA) + "/ingest/calls";

Collected ReadWithHints(const std::string& path, std::vector<IdentityHint>* hints,
                        ReadOptions options = {}) {
  options.on_identity = [hints](IdentityHint&& hint) { hints->push_back(std::move(hint)); };
  return testing::ReadPath(path, options);
}

TEST(IngestCallLogTest, ReadsSmsBackup) {
  std::vector<IdentityHint> hints;
  Collected out = ReadWithHints(kData + "/sms-20240301.xml", &hints, testing::KeepText());
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 10);
  EXPECT_EQ(out.counts.emitted, 6);
  EXPECT_EQ(out.counts.rejected, 4);
  for (const Event& event : out.events) {
    EXPECT_EQ(event.channel, Channel::kSms);
    EXPECT_EQ(event.kind, Kind::kMessage);
    EXPECT_TRUE(event.is_private);
    EXPECT_EQ(event.source, "sms");
  }
  ASSERT_EQ(out.events.size(), 6u);
  // Received: from the number to the owner; the number normalised; the emoji's surrogate pair
  // (&#55357;&#56832;) joined.
  EXPECT_EQ(out.events[0].actor, "tel:+15551234567");
  EXPECT_EQ(out.events[0].actor_name, "Maya Lin");
  EXPECT_EQ(out.events[0].targets, std::vector<std::string>{"me"});
  EXPECT_DOUBLE_EQ(out.events[0].time, 1700000000.0);
  EXPECT_EQ(out.events[0].text, "Are you free tonight? 😀");
  // Sent: from the owner.
  EXPECT_EQ(out.events[1].actor, "me");
  EXPECT_EQ(out.events[1].targets, std::vector<std::string>{"tel:+15551234567"});
  EXPECT_EQ(out.events[1].target_names, std::vector<std::string>{"Maya Lin"});
  // A national number keeps its digits; "(Unknown)" is no name; a sender id is phone:<id>.
  EXPECT_EQ(out.events[2].actor, "tel:5559876");
  EXPECT_EQ(out.events[2].actor_name, "");
  EXPECT_EQ(out.events[3].actor, "phone:AMAZON");
  // MMS: received from the "from" address (137) to the owner; sent to every recipient.
  EXPECT_EQ(out.events[4].actor, "tel:+15551234567");
  EXPECT_EQ(out.events[4].actor_name, "");  // contact_name names the whole group
  EXPECT_EQ(out.events[4].targets, std::vector<std::string>{"me"});
  EXPECT_EQ(out.events[4].text, "Look at this view");
  EXPECT_EQ(out.events[5].actor, "me");
  EXPECT_EQ(out.events[5].targets,
            (std::vector<std::string>{"tel:+15557654321", "tel:+15551234567"}));
  EXPECT_EQ(out.events[5].text, "See you there");

  ASSERT_EQ(out.rejects.size(), 4u);
  const std::string file = kData + "/sms-20240301.xml";
  EXPECT_EQ(out.rejects[0].file, file);
  EXPECT_EQ(out.rejects[0].line, 9);
  EXPECT_EQ(out.rejects[0].byte_offset, 1459);
  EXPECT_EQ(out.rejects[0].reason, "sms type=3 is a draft, never delivered: skipped");
  EXPECT_TRUE(out.rejects[0].raw.starts_with("<sms protocol=\"0\" address=\"+15551234567\" "));
  EXPECT_EQ(out.rejects[0].raw.substr(out.rejects[0].raw.size() - 2), "/>");
  EXPECT_EQ(out.rejects[1].line, 10);
  EXPECT_EQ(out.rejects[1].reason, "bad date \"yesterday\": not milliseconds since 1970");
  EXPECT_EQ(out.rejects[2].line, 11);
  EXPECT_EQ(out.rejects[2].reason, "missing address");
  EXPECT_EQ(out.rejects[3].line, 12);
  EXPECT_EQ(out.rejects[3].byte_offset, 2237);
  EXPECT_EQ(out.rejects[3].reason, "unknown sms type \"9\"");
  EXPECT_EQ(out.rejects[3].hint, "type is 1 (received) or 2 (sent)");

  // The owner once, and each display name once.
  int owners = 0;
  std::set<std::string> named;
  for (const IdentityHint& hint : hints) {
    if (hint.is_owner) {
      ++owners;
      EXPECT_EQ(hint.identity, "me");
    } else {
      named.insert(hint.identity + "=" + hint.display_name);
    }
  }
  EXPECT_EQ(owners, 1);
  EXPECT_EQ(named, std::set<std::string>{"tel:+15551234567=Maya Lin"});
}

TEST(IngestCallLogTest, ReadsCallsBackupWithEveryType) {
  Collected out = testing::ReadPath(kData + "/calls-20240301.xml");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 10);
  EXPECT_EQ(out.counts.emitted, 6);
  EXPECT_EQ(out.counts.rejected, 4);
  ASSERT_EQ(out.events.size(), 6u);
  for (const Event& event : out.events) {
    EXPECT_EQ(event.channel, Channel::kPhone);
    EXPECT_EQ(event.kind, Kind::kCall);
    EXPECT_TRUE(event.is_private);
    EXPECT_EQ(event.source, "phone");
  }
  struct Expected {
    std::string actor, target;
    double duration;
  };
  const std::vector<Expected> expected = {
      {"tel:+15551234567", "me", 125},  // 1 incoming
      {"me", "tel:+442079460958", 60},  // 2 outgoing
      {"tel:5559876", "me", 0},         // 3 missed: from the caller, duration 0
      {"tel:+15551234567", "me", 0},    // 4 voicemail: unanswered, duration 0
      {"tel:+15557654321", "me", 0},    // 5 rejected by the owner
      {"tel:+15551234567", "me", 40},   // 7 answered on another device
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(out.events[i].actor, expected[i].actor) << i;
    EXPECT_EQ(out.events[i].targets, std::vector<std::string>{expected[i].target}) << i;
    EXPECT_EQ(out.events[i].duration, expected[i].duration) << i;
  }
  EXPECT_EQ(out.events[1].target_names, std::vector<std::string>{"Omar Haddad"});

  ASSERT_EQ(out.rejects.size(), 4u);
  EXPECT_EQ(out.rejects[0].line, 10);
  EXPECT_EQ(out.rejects[0].byte_offset, 1814);
  EXPECT_EQ(out.rejects[0].reason,
            "call type 6 (refused: a blocked number) is no interaction the owner took part in: "
            "skipped");
  EXPECT_EQ(out.rejects[1].line, 12);
  EXPECT_EQ(out.rejects[1].reason,
            "number -2 is Android's mark of a hidden or unknown caller: no one to link it to");
  EXPECT_EQ(out.rejects[2].line, 13);
  EXPECT_EQ(out.rejects[2].reason, "unknown call type \"8\"");
  EXPECT_EQ(out.rejects[3].line, 14);
  EXPECT_EQ(out.rejects[3].byte_offset, 3013);
  EXPECT_EQ(out.rejects[3].reason, "missing date");
}

TEST(IngestCallLogTest, ReadsCsv) {
  std::vector<IdentityHint> hints;
  Collected out = ReadWithHints(kData + "/calls.csv", &hints, testing::KeepText());
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 11);
  EXPECT_EQ(out.counts.emitted, 6);
  EXPECT_EQ(out.counts.rejected, 5);
  ASSERT_EQ(out.events.size(), 6u);
  EXPECT_EQ(out.events[0].channel, Channel::kPhone);
  EXPECT_EQ(out.events[0].kind, Kind::kCall);
  EXPECT_EQ(out.events[0].actor, "tel:+15551234567");
  EXPECT_EQ(out.events[0].actor_name, "Maya Lin");
  EXPECT_EQ(out.events[0].targets, std::vector<std::string>{"me"});
  EXPECT_EQ(out.events[0].duration, 300);
  EXPECT_DOUBLE_EQ(out.events[0].time, 1709283600.0);
  EXPECT_EQ(out.events[1].actor, "me");
  EXPECT_EQ(out.events[1].targets, std::vector<std::string>{"tel:5559876543"});
  EXPECT_EQ(out.events[2].actor, "tel:+15557654321");  // missed: from the caller
  EXPECT_EQ(out.events[2].duration, 0);
  EXPECT_EQ(out.events[3].duration, 0);  // rejected: the given 12 s do not count
  EXPECT_EQ(out.events[4].channel, Channel::kSms);
  EXPECT_EQ(out.events[4].kind, Kind::kMessage);
  EXPECT_EQ(out.events[4].actor, "me");
  EXPECT_EQ(out.events[4].text, "On my way, 5 min");
  EXPECT_EQ(out.events[4].source, "sms");
  EXPECT_EQ(out.events[5].actor, "phone:Maya");
  EXPECT_EQ(out.events[0].source, "phone");

  ASSERT_EQ(out.rejects.size(), 5u);
  EXPECT_EQ(out.rejects[0].line, 8);
  EXPECT_EQ(out.rejects[0].byte_offset, 394);
  EXPECT_EQ(out.rejects[0].reason, "bad direction \"sideways\"");
  EXPECT_EQ(out.rejects[0].hint, "use in, out, missed or rejected");
  EXPECT_EQ(out.rejects[0].raw, "2024-03-01T10:00:00Z,sideways,+15551234567,,call,,");
  EXPECT_EQ(out.rejects[1].line, 9);
  EXPECT_EQ(out.rejects[1].reason, "direction \"missed\" applies to calls, not to sms");
  EXPECT_EQ(out.rejects[2].line, 10);
  EXPECT_EQ(out.rejects[2].reason, "unknown type \"fax\"");
  EXPECT_EQ(out.rejects[3].line, 11);
  EXPECT_EQ(out.rejects[3].reason,
            "unparsable time \"1709286000000\" (outside the years 1 to 9999; milliseconds? "
            "divide by 1000)");
  EXPECT_EQ(out.rejects[4].line, 12);
  EXPECT_EQ(out.rejects[4].byte_offset, 574);
  EXPECT_EQ(out.rejects[4].reason, "empty other");
}

TEST(IngestCallLogTest, NativeIdsAreStableAndUnique) {
  for (const char* name : {"/sms-20240301.xml", "/calls-20240301.xml", "/calls.csv"}) {
    Collected first = testing::ReadPath(kData + name);
    Collected second = testing::ReadPath(kData + name);
    ASSERT_EQ(first.events.size(), second.events.size());
    std::set<std::string> ids;
    for (size_t i = 0; i < first.events.size(); ++i) {
      EXPECT_EQ(first.events[i].native_id, second.events[i].native_id);
      EXPECT_TRUE(ids.insert(first.events[i].native_id).second) << name;
    }
  }
  // Identical records differ by their occurrence number.
  Collected twice = testing::ReadText(
      "time,direction,other,type\n1709286000,in,555 1234,sms\n1709286000,in,555 1234,sms\n",
      Format::kCallLog, "t.csv");
  ASSERT_EQ(twice.events.size(), 2u);
  EXPECT_EQ(twice.events[0].native_id.substr(0, 16), twice.events[1].native_id.substr(0, 16));
  EXPECT_EQ(twice.events[0].native_id.substr(16), "-1");
  EXPECT_EQ(twice.events[1].native_id.substr(16), "-2");
  EXPECT_EQ(twice.events[0].actor, "tel:5551234");
}

TEST(IngestCallLogTest, BadHeaderFailsTheRead) {
  Collected out = testing::ReadText("time,direction,other\n1,in,5\n", Format::kCallLog, "c.csv");
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.message(),
            "c.csv, line 1: missing required column \"type\" in the calls CSV header; valid "
            "columns: time, direction, other, type (required); duration, name, text (optional)");
}

TEST(IngestCallLogTest, TruncatedBackupRejectsTheRest) {
  const std::string whole =
      "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
      "<smses count=\"3\">\n"
      "  <sms protocol=\"0\" address=\"+15551234567\" date=\"1700000000000\" type=\"1\" "
      "body=\"one\" />\n"
      "  <sms protocol=\"0\" address=\"+15551234567\" date=\"1700000060000\" type=\"2\" "
      "body=\"two\" />\n"
      "  <sms protocol=\"0\" address=\"+15551234567\" date=\"1700000120000\" type=\"1\" "
      "body=\"three\" />\n"
      "</smses>\n";
  const size_t cut = whole.find("body=\"two\"");
  Collected out = testing::ReadText(whole.substr(0, cut), Format::kCallLog, "sms.xml");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 2);
  EXPECT_EQ(out.counts.emitted, 1);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].line, 4);
  EXPECT_EQ(out.rejects[0].byte_offset, static_cast<int64_t>(whole.find("<sms", cut - 90)));
  EXPECT_EQ(out.rejects[0].reason.substr(0, 20), "XML error at line 4:");
  EXPECT_NE(out.rejects[0].reason.find("this record and the rest of the file are not read"),
            std::string::npos);

  Collected whole_read = testing::ReadText(whole, Format::kCallLog, "sms.xml");
  EXPECT_EQ(whole_read.counts.emitted, 3);

  Collected other = testing::ReadText("<html><body/></html>", Format::kCallLog, "x.xml");
  ASSERT_EQ(other.rejects.size(), 1u);
  EXPECT_EQ(other.rejects[0].reason,
            "not an SMS Backup & Restore file: no <smses> or <calls> element");
}

}  // namespace
}  // namespace rapport::ingest
