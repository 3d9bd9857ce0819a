// Tests of format names, format detection and ReadFile's errors.
#include "rapport/ingest/reader.h"

#include <gtest/gtest.h>

#include "ingest_test_util.h"

namespace rapport::ingest {
namespace {

TEST(IngestFormatTest, NamesRoundTrip) {
  for (Format format : {Format::kAuto, Format::kCsv, Format::kJsonl, Format::kSnap,
                        Format::kTwitterArchive, Format::kMastodonArchive, Format::kMbox,
                        Format::kWxr, Format::kMessenger, Format::kCallLog, Format::kBinary}) {
    Result<Format> parsed = ParseFormat(FormatName(format));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, format);
  }
  EXPECT_EQ(*ParseFormat("JSONL"), Format::kJsonl);
  Result<Format> bad = ParseFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unknown format \"xml\"; use auto, csv, jsonl, snap, twitter, mastodon, mbox, wxr, "
            "messenger, calls or binary");
}

TEST(IngestDetectTest, DetectsFromNameAndContent) {
  EXPECT_EQ(*DetectFormatFromText("a.ndjson", "1 2\n"), Format::kJsonl);
  EXPECT_EQ(*DetectFormatFromText("a.txt", "\n  {\"time\": 1}\n"), Format::kJsonl);
  EXPECT_EQ(*DetectFormatFromText("a.txt", "\xEF\xBB\xBFTime,Channel,Kind,Actor\n"), Format::kCsv);
  EXPECT_EQ(*DetectFormatFromText("a.csv", "# comment\n1 2\n3\t4\t5\n"), Format::kSnap);
  EXPECT_EQ(*DetectFormatFromText("a.csv", "6,2,4,1289241911.72836\n"), Format::kSnap);
  Result<Format> unknown = DetectFormatFromText("w.csv", "u,v,weight\n1,2,3\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("--format"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("\"u,v,weight\""), std::string::npos);
}

TEST(IngestDetectTest, DetectsFilesAndAutoReads) {
  testing::ScratchDir dir;
  std::string path =
      dir.Write("events.txt", "time,channel,kind,actor,targets\n5,sms,message,a,b\n");
  EXPECT_EQ(*DetectFormat(path), Format::kCsv);
  testing::Collected out = testing::ReadPath(path);
  EXPECT_EQ(out.counts.emitted, 1);
  testing::Collected empty = testing::ReadPath(dir.Write("empty.txt", ""));
  EXPECT_TRUE(empty.status.ok());
  EXPECT_EQ(empty.counts.records, 0);
}

TEST(IngestReadFileTest, MissingFileIsNotFound) {
  testing::Collected out = testing::ReadPath("/nonexistent/rapport/x.csv");
  EXPECT_EQ(out.status.code(), StatusCode::kNotFound);
  EXPECT_EQ(out.status.message(), "/nonexistent/rapport/x.csv: no such file");
  EXPECT_EQ(DetectFormat("/nonexistent/rapport/x.csv").status().code(), StatusCode::kNotFound);
}

TEST(IngestReadFileTest, CallbacksMayBeEmpty) {
  Result<ReadCounts> counts =
      ReadBuffer("1 2\n1 1\n", "g.txt", testing::WithFormat(Format::kSnap), nullptr, nullptr);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->emitted, 1);
  EXPECT_EQ(counts->rejected, 1);
}

}  // namespace
}  // namespace rapport::ingest
