// Tests of the mbox reader on the real Perceval and NetworkX samples and on hand-written edge
// cases. The sample counts were checked independently of GMime: message counts with
// `grep -c '^From ' file` (none of the samples has an unquoted body line starting with "From "),
// and From/To/Cc/Date/Message-ID/In-Reply-To/References with Python's standard mailbox and email
// modules (`python3 -c "import mailbox; [print(m['From'], m['To'], m['Cc'], m['Date'],
// m['Message-ID'], m['In-Reply-To']) for m in mailbox.mbox(path)]"`; for the two files whose From_
// line is not ASCII, which mailbox cannot read, email.message_from_bytes on each part). Expected
// times come from email.utils.mktime_tz(parsedate_tz(Date)) and calendar.timegm for From_ lines.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "ingest_test_util.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {
namespace {

using testing::Collected;
using testing::ReadPath;
using testing::ReadText;

const std::string kSamples = std::string(RAPPORT_SHARED_DATA) + "/export-samples/mbox/";

Collected Mbox(std::string_view text, ReadOptions options = {}) {
  return ReadText(text, Format::kMbox, "test.mbox", options);
}

Collected Sample(const std::string& relative) {
  return ReadPath(kSamples + relative, testing::WithFormat(Format::kMbox));
}

std::map<Kind, int> KindCounts(const Collected& out) {
  std::map<Kind, int> counts;
  for (const Event& event : out.events) ++counts[event.kind];
  return counts;
}

std::vector<std::string> NativeIds(const Collected& out) {
  std::vector<std::string> ids;
  for (const Event& event : out.events) ids.push_back(event.native_id);
  return ids;
}

TEST(IngestMboxTest, NetworkxPersonalMail) {
  // 5 messages (grep -c '^From '), none with a Message-ID or list header.
  Collected out = Sample("networkx/unix_email.mbox");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 5);
  EXPECT_EQ(out.counts.rejected, 0);
  ASSERT_EQ(out.events.size(), 5u);
  EXPECT_EQ(KindCounts(out), (std::map<Kind, int>{{Kind::kEmail, 5}}));
  const Event& first = out.events[0];
  EXPECT_EQ(first.actor, "alice@edu");
  EXPECT_EQ(first.actor_name, "Alice");
  EXPECT_EQ(first.targets, (std::vector<std::string>{"bob@gov"}));
  EXPECT_EQ(first.target_names, (std::vector<std::string>{"Bob"}));
  EXPECT_EQ(first.channel, Channel::kEmail);
  EXPECT_TRUE(first.is_private);
  EXPECT_EQ(first.time, 1118963533);  // Thu, 16 Jun 2005 16:12:13 -0700
  EXPECT_EQ(first.source, "email");
  EXPECT_EQ(first.native_id.rfind("hash:", 0), 0u);
  EXPECT_EQ(out.events[4].actor, "ted@com");
  EXPECT_EQ(out.events[4].targets, (std::vector<std::string>{"bob@gov", "carol@gov", "alice@edu"}));
  // Reading twice gives the same keys.
  EXPECT_EQ(NativeIds(Sample("networkx/unix_email.mbox")), NativeIds(out));
}

TEST(IngestMboxTest, ListMailIsPublicAndRepliesGoToPeople) {
  // 2 messages, both with List-Id (desktop-devel-list). The first answers nothing: a post. The
  // second answers a message not in the file and is addressed To Simos Xenitellis (the list and
  // three more people are in Cc): a reply to Simos.
  Collected out = Sample("perceval/mbox_complex.mbox");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 2);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].kind, Kind::kPost);
  EXPECT_TRUE(out.events[0].targets.empty());
  EXPECT_FALSE(out.events[0].is_private);
  EXPECT_EQ(out.events[0].actor, "eloli@hotmail.com");
  EXPECT_EQ(out.events[0].actor_name, "Eugenia Loli-Queru");
  EXPECT_EQ(out.events[0].native_id, "BAY12-DAV6Dhd2stb2e0000c0ce@hotmail.com");
  EXPECT_EQ(out.events[1].kind, Kind::kReply);
  EXPECT_FALSE(out.events[1].is_private);
  EXPECT_EQ(out.events[1].actor, "danilo@gnome.org");
  EXPECT_EQ(out.events[1].actor_name,
            "Danilo \xC5\xA0"
            "egan");  // RFC 2047 utf-8 Q: Šegan
  EXPECT_EQ(out.events[1].targets, (std::vector<std::string>{"simos.lists@googlemail.com"}));
  EXPECT_EQ(out.events[1].time, 1205746505);  // Mon, 17 Mar 2008 10:35:05 +0100
}

TEST(IngestMboxTest, ListSamplesAreBroadcasts) {
  // Both multipart messages and the GB2312-in-Latin-1 one carry List-Id/List-Post headers.
  Collected multipart = Sample("perceval/mbox_multipart.mbox");
  ASSERT_TRUE(multipart.status.ok()) << multipart.status.message();
  EXPECT_EQ(multipart.counts.records, 2);
  EXPECT_EQ(KindCounts(multipart), (std::map<Kind, int>{{Kind::kPost, 2}}));
  // The Message-ID has two '@'; it is kept whole.
  EXPECT_EQ(multipart.events[0].native_id, "019801ca633f$f4376140$dca623c0$@yang@example.com");
  Collected unknown = Sample("perceval/mbox_unknown_encoding.mbox");
  ASSERT_TRUE(unknown.status.ok()) << unknown.status.message();
  EXPECT_EQ(unknown.counts.records, 1);
  EXPECT_EQ(KindCounts(unknown), (std::map<Kind, int>{{Kind::kPost, 1}}));
  EXPECT_EQ(unknown.events[0].actor, "yuancong@example.com");
}

TEST(IngestMboxTest, PipermailObfuscatedAddresses) {
  // "From: gpoo at example.com (=?ISO-8859-1?Q?Germ=E1n_Poo-Caama=F1o?=)": a pipermail archive,
  // so list traffic; the address is restored and the ISO-8859-1 encoded name decoded.
  Collected out = Sample("perceval/pipermail_2016_march.mbox");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].actor, "gpoo@example.com");
  EXPECT_EQ(out.events[0].actor_name, "Germ\xC3\xA1n Poo-Caama\xC3\xB1o");
  EXPECT_EQ(out.events[0].kind, Kind::kPost);
  EXPECT_FALSE(out.events[0].is_private);
  EXPECT_EQ(out.events[0].native_id, "1457025635.7479.7.camel@calcifer.org");
}

TEST(IngestMboxTest, PipermailReplyChains) {
  // November 2015, 4 messages: andy's post; jgb's answer names a parent id that differs from
  // andy's (the archive rewrote the domain), so it stays a post; andy answers jgb (a reply); andy
  // answers himself (a post).
  Collected november = Sample("perceval/pipermail_2015_november.mbox");
  ASSERT_TRUE(november.status.ok()) << november.status.message();
  EXPECT_EQ(november.counts.records, 4);
  EXPECT_EQ(KindCounts(november), (std::map<Kind, int>{{Kind::kPost, 3}, {Kind::kReply, 1}}));
  EXPECT_EQ(november.events[2].actor, "andy@example.com");
  EXPECT_EQ(november.events[2].targets, (std::vector<std::string>{"jgb@gsyc.es"}));
  EXPECT_EQ(november.events[2].time, 1448107551);
  EXPECT_EQ(november.events[3].kind, Kind::kPost);
  // April 2016, 3 messages: jgb posts, andy answers jgb, jgb answers andy.
  Collected april = Sample("perceval/pipermail_2016_april.mbox");
  ASSERT_TRUE(april.status.ok()) << april.status.message();
  EXPECT_EQ(KindCounts(april), (std::map<Kind, int>{{Kind::kPost, 1}, {Kind::kReply, 2}}));
  EXPECT_EQ(april.events[1].actor, "andy@example.com");
  EXPECT_EQ(april.events[1].targets, (std::vector<std::string>{"jgb@example.com"}));
  EXPECT_EQ(april.events[2].actor, "jgb@example.com");
  EXPECT_EQ(april.events[2].targets, (std::vector<std::string>{"andy@example.com"}));
  // A reply whose parent is not in the file and which has no To: a post.
  Collected unixfrom = Sample("perceval/mbox_unixfrom_encoding.mbox");
  ASSERT_TRUE(unixfrom.status.ok()) << unixfrom.status.message();
  ASSERT_EQ(unixfrom.events.size(), 1u);
  EXPECT_EQ(unixfrom.events[0].actor, "christian@example.org");
  EXPECT_EQ(unixfrom.events[0].actor_name, "Christian Aistleitner");
  EXPECT_EQ(unixfrom.events[0].kind, Kind::kPost);
}

TEST(IngestMboxTest, Iso8859HeaderBytes) {
  // The From header holds a raw Latin-1 byte (0xED) in the address and an RFC 2047 word that
  // declares UTF-8 but holds Latin-1: the address is converted to UTF-8, the name kept readable.
  Collected out = Sample("perceval/mbox_iso8859_encoding.mbox");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].actor,
            "luc\xC3\xAD"
            "acharlie@wellsfargo.com");
  EXPECT_FALSE(out.events[0].actor_name.empty());
  EXPECT_EQ(out.events[0].native_id, "4fce8064d819e07fd80267aaecaf30ef@www.platvoet.de");
}

TEST(IngestMboxTest, MissingDatesFallBackToTheFromLine) {
  // 6 messages, all by goran (pipermail form): #3 has no Date, #5 an empty Date (both take the
  // From_ line's "Wed Dec  1 08:26:40 2010" as UTC), #4 an empty Message-Id (hashed key), #6 a
  // "RANDOM_Wed, 21 Sep 2016 22:42:07 +0300" Date that GMime still reads.
  Collected out = Sample("perceval/mbox_no_fields.mbox");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 6);
  EXPECT_EQ(out.counts.rejected, 0);
  ASSERT_EQ(out.events.size(), 6u);
  EXPECT_EQ(KindCounts(out), (std::map<Kind, int>{{Kind::kPost, 6}}));
  EXPECT_EQ(out.events[0].time, 1291210000);  // Wed, 01 Dec 2010 14:26:40 +0100
  EXPECT_EQ(out.events[2].time, 1291192000);  // calendar.timegm((2010, 12, 1, 8, 26, 40))
  EXPECT_EQ(out.events[4].time, 1291192000);
  EXPECT_EQ(out.events[5].time, 1474486927);
  EXPECT_EQ(out.events[0].actor, "goran@domain.com");
  EXPECT_EQ(out.events[0].actor_name, "G\xC3\xB6ran Lastname");
  EXPECT_EQ(out.events[5].actor_name, "");
  // The same Message-ID archived twice gives the same key: the store keeps one.
  EXPECT_EQ(out.events[0].native_id, "4CF64D10.9020206@domain.com");
  EXPECT_EQ(out.events[1].native_id, "4CF64D10.9020206@domain.com");
  EXPECT_EQ(out.events[3].native_id.rfind("hash:", 0), 0u);
  Collected single = Sample("perceval/mbox_single.mbox");
  ASSERT_TRUE(single.status.ok());
  EXPECT_EQ(single.counts.records, 1);
  EXPECT_EQ(single.events.size(), 1u);
}

constexpr std::string_view kNoDate =
    "From ann@example.org Mon Jan  1 00:00:00 2024\n"
    "From: Ann <ann@example.org>\n"
    "To: bob@example.org\n"
    "Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
    "Message-ID: <1@example.org>\n"
    "\n"
    "hello\n"
    "\n"
    "From MAILER-DAEMON\n"
    "From: bob@example.org\n"
    "To: ann@example.org\n"
    "Message-ID: <2@example.org>\n"
    "\n"
    "no date anywhere\n"
    "\n"
    "From bob@example.org\n"
    "From: bob@example.org\n"
    "To: ann@example.org\n"
    "Date: the day after tomorrow\n"
    "\n"
    "bad date\n";

TEST(IngestMboxTest, RejectsMessagesWithoutADate) {
  Collected out = Mbox(kNoDate);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 3);
  EXPECT_EQ(out.counts.emitted, 1);
  ASSERT_EQ(out.rejects.size(), 2u);
  EXPECT_EQ(out.rejects[0].reason, "no Date header, and no date on the \"From \" line");
  EXPECT_EQ(out.rejects[0].line, 9);
  EXPECT_EQ(out.rejects[0].byte_offset, static_cast<int64_t>(kNoDate.find("From MAILER")));
  EXPECT_EQ(out.rejects[0].file, "test.mbox");
  EXPECT_EQ(out.rejects[0].raw,
            "From MAILER-DAEMON\nFrom: bob@example.org\nTo: ann@example.org\n"
            "Message-ID: <2@example.org>\n");
  EXPECT_FALSE(out.rejects[0].hint.empty());
  EXPECT_EQ(out.rejects[1].reason,
            "unparsable Date \"the day after tomorrow\", and no date on the \"From \" line");
  EXPECT_EQ(out.rejects[1].line, 16);
}

TEST(IngestMboxTest, RejectsMessagesWithoutASender) {
  // An mboxo writer that did not quote "From " in a body splits the message there: the piece has
  // no headers and is rejected (python's mailbox and grep count it as a message too).
  constexpr std::string_view kText =
      "From ann@example.org Mon Jan  1 00:00:00 2024\n"
      "From: ann@example.org\n"
      "To: bob@example.org\n"
      "Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
      "\n"
      "As I wrote:\n"
      "From here on, the body.\n"
      "\n"
      "From x Mon Jan  1 00:00:00 2024\n"
      "To: bob@example.org\n"
      "Subject: no sender\n"
      "\n"
      "x\n";
  Collected out = Mbox(kText);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 3);
  EXPECT_EQ(out.counts.emitted, 1);
  ASSERT_EQ(out.rejects.size(), 2u);
  EXPECT_EQ(out.rejects[0].reason, "no From header");
  EXPECT_EQ(out.rejects[0].line, 7);
  EXPECT_NE(out.rejects[0].hint.find(">From "), std::string::npos);
  EXPECT_EQ(out.rejects[1].reason, "no From header");
  EXPECT_EQ(out.rejects[1].line, 9);
  EXPECT_EQ(out.rejects[1].hint, "every message needs a From header naming its sender");

  // Raw text of a CRLF message: its From_ line and headers, without the blank line.
  Collected crlf = Mbox("From x\r\nTo: bob@example.org\r\n\r\nbody\r\n");
  ASSERT_EQ(crlf.rejects.size(), 1u);
  EXPECT_EQ(crlf.rejects[0].raw, "From x\r\nTo: bob@example.org\r\n");
}

TEST(IngestMboxTest, MboxrdQuotingCrlfAndEncodedNames) {
  // CRLF line ends, a ">From " quoted body line (mboxrd), RFC 2047 B and Q encoded names, a Cc
  // and Bcc, the sender among the recipients (dropped) and a repeated recipient (kept once).
  constexpr std::string_view kText =
      "From a@x.org Mon Jan  1 00:00:00 2024\r\n"
      "From: =?utf-8?B?w4lsaXNl?= <Elise@X.org>\r\n"
      "To: =?iso-8859-1?q?Ren=E9?= <rene@y.org>, elise@x.org\r\n"
      "Cc: \"Zoe\" <zoe@z.org>, rene@y.org\r\n"
      "Bcc: boss@x.org\r\n"
      "Date: Tue, 2 Jan 2024 03:04:05 +0100\r\n"
      "Message-ID: <abc@x.org>\r\n"
      "\r\n"
      ">From the start\r\n"
      "\r\n";
  Collected out = Mbox(kText, testing::KeepText());
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 1);
  ASSERT_EQ(out.events.size(), 1u);
  const Event& event = out.events[0];
  EXPECT_EQ(event.actor, "elise@x.org");
  EXPECT_EQ(event.actor_name, "\xC3\x89lise");
  EXPECT_EQ(event.targets, (std::vector<std::string>{"rene@y.org", "zoe@z.org", "boss@x.org"}));
  EXPECT_EQ(event.target_names, (std::vector<std::string>{"Ren\xC3\xA9", "Zoe", ""}));
  EXPECT_EQ(event.kind, Kind::kEmail);
  EXPECT_EQ(event.time, 1704161045);
  EXPECT_EQ(event.native_id, "abc@x.org");
}

TEST(IngestMboxTest, PersonalRepliesStayEmailAndListAddressesAreLearned) {
  // Personal mail stays kind email even when it answers a known message (the parent's author is
  // a recipient; a second event would count the message twice). A message To an address seen in
  // an earlier List-Post header is list traffic, even without list headers of its own.
  constexpr std::string_view kText =
      "From a Mon Jan  1 00:00:00 2024\n"
      "From: ann@x.org\nTo: bob@x.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n"
      "Message-ID: <1@x>\n\nhi\n\n"
      "From b Mon Jan  1 00:00:00 2024\n"
      "From: bob@x.org\nTo: ann@x.org\nDate: Mon, 1 Jan 2024 11:00:00 +0000\n"
      "Message-ID: <2@x>\nIn-Reply-To: <1@x>\n\nhi back\n\n"
      "From c Mon Jan  1 00:00:00 2024\n"
      "From: cat@x.org\nTo: dev@lists.x.org\nDate: Mon, 1 Jan 2024 12:00:00 +0000\n"
      "Message-ID: <3@x>\nList-Post: <mailto:dev@lists.x.org>\n\nlist post\n\n"
      "From a Mon Jan  1 00:00:00 2024\n"
      "From: ann@x.org\nTo: dev@lists.x.org\nCc: bob@x.org\nDate: Mon, 1 Jan 2024 13:00:00 +0000\n"
      "Message-ID: <4@x>\nReferences: <9@x> <3@x>\n\nmy answer\n\n"
      "From a Mon Jan  1 00:00:00 2024\n"
      "From: ann@x.org\nTo: Ann <ann@x.org>\nDate: Mon, 1 Jan 2024 14:00:00 +0000\n\nnote\n\n"
      "From a Mon Jan  1 00:00:00 2024\n"
      "From: ann@x.org\nDate: Mon, 1 Jan 2024 15:00:00 +0000\n\nnobody\n";
  Collected out = Mbox(kText);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 6);
  ASSERT_EQ(out.events.size(), 4u);
  EXPECT_EQ(out.events[1].kind, Kind::kEmail);
  EXPECT_EQ(out.events[1].targets, (std::vector<std::string>{"ann@x.org"}));
  EXPECT_EQ(out.events[2].kind, Kind::kPost);
  EXPECT_FALSE(out.events[2].is_private);
  EXPECT_EQ(out.events[3].kind, Kind::kReply);
  EXPECT_FALSE(out.events[3].is_private);
  EXPECT_EQ(out.events[3].targets, (std::vector<std::string>{"cat@x.org"}));
  ASSERT_EQ(out.rejects.size(), 2u);
  EXPECT_EQ(out.rejects[0].reason, "sent only to the sender (a note to self)");
  EXPECT_EQ(out.rejects[1].reason, "no recipients: To, Cc and Bcc are empty");
}

TEST(IngestMboxTest, TextBeforeTheFirstMessageAndNonMboxInput) {
  Collected junk = Mbox(
      "stray text\n"
      "From a Mon Jan  1 00:00:00 2024\n"
      "From: ann@x.org\nTo: bob@x.org\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nhi\n");
  ASSERT_TRUE(junk.status.ok()) << junk.status.message();
  EXPECT_EQ(junk.counts.records, 2);
  EXPECT_EQ(junk.counts.emitted, 1);
  ASSERT_EQ(junk.rejects.size(), 1u);
  EXPECT_EQ(junk.rejects[0].reason, "11 bytes before the first \"From \" line");
  EXPECT_EQ(junk.rejects[0].line, 1);
  EXPECT_EQ(junk.rejects[0].byte_offset, 0);

  Collected none = Mbox("Subject: hello\n\nnot an mbox\n");
  EXPECT_EQ(none.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(none.status.message().find("not an mbox file"), std::string::npos);
  EXPECT_NE(none.status.message().find("Subject: hello"), std::string::npos);

  Collected empty = Mbox("");
  ASSERT_TRUE(empty.status.ok());
  EXPECT_EQ(empty.counts.records, 0);
}

TEST(IngestMboxTest, IdentityHintsAndCallbackErrors) {
  std::vector<IdentityHint> hints;
  ReadOptions options;
  options.on_identity = [&](IdentityHint&& hint) { hints.push_back(std::move(hint)); };
  Collected out = ReadPath(kSamples + "networkx/unix_email.mbox", [&] {
    options.format = Format::kMbox;
    return options;
  }());
  ASSERT_TRUE(out.status.ok());
  // Alice, Bob, Ted and Carol, each once.
  ASSERT_EQ(hints.size(), 4u);
  EXPECT_EQ(hints[0].identity, "alice@edu");
  EXPECT_EQ(hints[0].display_name, "Alice");
  EXPECT_FALSE(hints[0].is_owner);

  ReadOptions plain;
  plain.format = Format::kMbox;
  Result<ReadCounts> failed = ReadFile(
      kSamples + "networkx/unix_email.mbox", plain, [](Event&&) { return Internal("disk full"); },
      nullptr);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("unix_email.mbox, line 1: disk full"),
            std::string::npos);
}

TEST(IngestMboxTest, DetectsAndReadsThroughReadFile) {
  Collected out = ReadPath(kSamples + "perceval/pipermail_2016_april.mbox");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 3);
  Collected missing = ReadPath(kSamples + "perceval/none.mbox", testing::WithFormat(Format::kMbox));
  EXPECT_EQ(missing.status.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace rapport::ingest
