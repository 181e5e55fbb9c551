// Companion documents: JSON chapters and transcripts on their own, and through
// validate_feed's fetch_companion callback (FIL-*).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "feeds/validator.hpp"
#include "tests/feeds/validator_test_util.hpp"

namespace podcastd::feeds {
namespace {

using testing_util::base_feed;
using testing_util::sorted_rules;

std::vector<std::string> rules_of(const ValidationReport& r) { return sorted_rules(r); }

// ---- Chapters ---------------------------------------------------------------------------------

TEST(ValidatorChapters, GoodFileHasNoFindings) {
  const char* json = R"({ "version": "1.2.0",
    "chapters": [ { "startTime": 0, "title": "Intro" },
                  { "startTime": 168, "title": "Hearing Aids", "img": "https://x.example/a.jpg" },
                  { "startTime": 4826, "img": "https://x.example/paris.jpg", "toc": false,
                    "location": { "name": "Eiffel Tower, Paris", "geo": "geo:48.858093,2.294694" } } ],
    "rssblue:remoteEntity": {} })";
  ValidationReport r = validate_chapters_json(json, "ep.chapters.json", 5000);
  EXPECT_TRUE(r.findings.empty()) << r.to_text();
}

TEST(ValidatorChapters, Errors) {
  struct Row {
    const char* json;
    std::vector<std::string> rules;
    const char* element;
  };
  const Row rows[] = {
      {"{ \"version\": \"1.2.0\", \"chapters\": [ { \"startTime\": 0 } ", {"FIL-E02"}, ""},
      {"[]", {"FIL-E02"}, ""},
      {"{ \"chapters\": [] }", {"FIL-E02"}, "version"},
      {"{ \"version\": 1.2, \"chapters\": [] }", {"FIL-E02"}, "version"},
      {"{ \"version\": \"1.2.0\" }", {"FIL-E02"}, "chapters"},
      {"{ \"version\": \"1.2.0\", \"chapters\": [ { \"title\": \"x\" } ] }",
       {"FIL-E02"},
       "chapters[0].startTime"},
      {"{ \"version\": \"1.2.0\", \"chapters\": [ { \"startTime\": \"0\" } ] }",
       {"FIL-E02"},
       "chapters[0].startTime"},
      {"{ \"version\": \"1.2.0\", \"chapters\": [ { \"startTime\": 0, \"location\": { \"name\": "
       "\"x\" } } ] }",
       {"FIL-E02"},
       "chapters[0].location"},
  };
  for (const Row& row : rows) {
    ValidationReport r = validate_chapters_json(row.json, "c.json");
    EXPECT_EQ(rules_of(r), row.rules) << row.json << "\n" << r.to_text();
    if (!r.findings.empty()) {
      EXPECT_EQ(r.findings[0].element, row.element) << row.json;
      EXPECT_EQ(r.findings[0].source, "c.json");
    }
  }
}

TEST(ValidatorChapters, ParseErrorsCarryTheLine) {
  ValidationReport r =
      validate_chapters_json("{\n  \"version\": \"1.2.0\",\n  \"chapters\": [,]\n}", "c.json");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].line, 3);
}

TEST(ValidatorChapters, DeepNestingIsRejectedWithoutRecursing) {
  std::string deep(100000, '[');
  ValidationReport r = validate_chapters_json(deep, "c.json");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"FIL-E02"});
}

TEST(ValidatorChapters, Warnings) {
  ValidationReport r = validate_chapters_json(
      R"({"version":"1.2.0","chapters":[{"startTime":5},{"startTime":300},{"startTime":100,"endTime":50},{"startTime":9000}]})",
      "c.json", 3600);
  // Unsorted, beyond the duration, endTime before startTime, first chapter not at 0.
  EXPECT_EQ(rules_of(r), (std::vector<std::string>{"FIL-W04", "FIL-W04", "FIL-W04", "FIL-W04"}))
      << r.to_text();
}

// ---- Transcripts ------------------------------------------------------------------------------

TEST(ValidatorTranscripts, GoodFilesHaveNoFindings) {
  const char* vtt =
      "\xEF\xBB\xBFWEBVTT - podcast\n\nNOTE written by hand\n\n1\n00:00:00.500 --> 00:00:02.000\n"
      "<v Darth Vader>I am your father.\n\n00:02.000 --> 00:04.250 align:start\n<v.loud Luke>No!\n";
  EXPECT_TRUE(validate_transcript(vtt, "text/vtt", "t.vtt", 10).findings.empty());
  const char* srt =
      "1\r\n00:00:00,500 --> 00:00:02,000\r\nSarah: In today's episode,\r\n\r\n"
      "2\r\n00:00:02,000 --> 00:00:04,250\r\nand we talk about radios.\r\n";
  EXPECT_TRUE(validate_transcript(srt, "application/x-subrip", "t.srt", 10).findings.empty());
  EXPECT_TRUE(validate_transcript(srt, "application/srt", "t.srt", 10).findings.empty());
  const char* json =
      R"({"version":"1.0.0","segments":[{"speaker":"A","startTime":0.5,"endTime":0.75,"body":"I"},{"startTime":0.8,"body":"am"}]})";
  EXPECT_TRUE(validate_transcript(json, "application/json", "t.json", 10).findings.empty());
  EXPECT_TRUE(
      validate_transcript("<cite>A:</cite><time>0:05</time><p>Hi</p>", "text/html", "t.html", 10)
          .findings.empty());
  EXPECT_TRUE(validate_transcript("anything", "text/plain", "t.txt").findings.empty());
}

TEST(ValidatorTranscripts, VttErrors) {
  ValidationReport r = validate_transcript("WEBVTTX\n\n", "text/vtt", "t.vtt");
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"FIL-E03"});
  r = validate_transcript("WEBVTT\n\n00:00:00,500 --> 00:00:02,000\nhi\n", "text/vtt", "t.vtt");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"FIL-E03"}) << r.to_text();
  EXPECT_EQ(r.findings[0].line, 3);
  EXPECT_EQ(r.findings[0].element, "cue[1]");
  EXPECT_EQ(r.findings[0].message,
            "cue timing '00:00:00,500 --> 00:00:02,000' uses ',' before the milliseconds; "
            "WebVTT wants '.'");
  r = validate_transcript("WEBVTT\n\n00:00:00.5 --> 00:00:02.000\nhi\n", "text/vtt", "t.vtt");
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"FIL-E03"});
  r = validate_transcript("WEBVTT\n\n00:61.000 --> 00:62.000\nhi\n", "text/vtt", "t.vtt");
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"FIL-E03"});
}

TEST(ValidatorTranscripts, VttWarnings) {
  std::string vtt = "WEBVTT\n\n00:00.000 --> 00:05.000\n<v Jane>" + std::string(70, 'a') +
                    "\n\n00:09.000 --> 00:08.000\nback\n\n00:20.000 --> 00:30.000\nlate\n";
  ValidationReport r = validate_transcript(vtt, "text/vtt", "t.vtt", 15);
  // Long line; end before start; beyond the duration.
  EXPECT_EQ(rules_of(r), (std::vector<std::string>{"FIL-W03", "FIL-W05", "FIL-W05"}))
      << r.to_text();
}

TEST(ValidatorTranscripts, SrtChecks) {
  ValidationReport r = validate_transcript("1\n00:00:00.500 --> 00:00:02.000\nhi\n",
                                           "application/x-subrip", "t.srt");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"FIL-E03"});
  EXPECT_NE(r.findings[0].message.find("SRT wants ','"), std::string::npos);
  r = validate_transcript(
      "1\n00:00:00,000 --> 00:00:02,000\none\ntwo\nthree\n\n"
      "2\n00:00:02,000 --> 00:00:04,000\n" +
          std::string(40, 'x') + "\n",
      "application/x-subrip", "t.srt");
  EXPECT_EQ(rules_of(r), (std::vector<std::string>{"FIL-W03", "FIL-W03"})) << r.to_text();
  r = validate_transcript("00:00:00,000 --> 00:00:02,000\nno number\n", "application/x-subrip",
                          "t.srt");
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"FIL-E03"});
}

TEST(ValidatorTranscripts, JsonChecks) {
  ValidationReport r =
      validate_transcript(R"({"segments":[{"body":"x"}]})", "application/json", "t.json");
  EXPECT_EQ(rules_of(r), (std::vector<std::string>{"FIL-E04", "FIL-E04"})) << r.to_text();
  r = validate_transcript(
      R"({"version":"1.0.0","segments":[{"startTime":5,"endTime":4,"body":"x"},{"startTime":1,"body":"y"},{"startTime":-1,"body":"z"}]})",
      "application/json", "t.json", 3);
  // endTime < startTime; unsorted; beyond duration; negative.
  EXPECT_EQ(rules_of(r), (std::vector<std::string>{"FIL-W05", "FIL-W05", "FIL-W05", "FIL-W05"}))
      << r.to_text();
  r = validate_transcript("not json", "application/json", "t.json");
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"FIL-E04"});
}

TEST(ValidatorTranscripts, ErrorsAreCapped) {
  std::string vtt = "WEBVTT\n\n";
  for (int i = 0; i < 50; ++i) {
    vtt += "00:00:00,000 --> 00:00:01,000\nx\n\n";
  }
  ValidationReport r = validate_transcript(vtt, "text/vtt", "t.vtt");
  EXPECT_EQ(r.findings.size(), 21u);
  EXPECT_EQ(r.findings.back().message, "30 more problems of this kind");
}

TEST(ValidatorTranscripts, UnknownTypeIsAWarning) {
  ValidationReport r = validate_transcript("x", "text/srt", "t.srt");
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"P20-W01"});
}

// ---- Through validate_feed -------------------------------------------------------------------

TEST(ValidatorFetch, CompanionsAreFetchedAndChecked) {
  std::map<std::string, Companion> served;
  served["https://cdn.example.com/ep2.vtt"] = {200, "text/vtt",
                                               "WEBVTT\n\n00:00.000 --> 00:01,000\nx\n", true};
  served["https://cdn.example.com/ep2.json"] = {
      200, "application/json", R"({"version":"1.2.0","chapters":[{"startTime":0}]})", false};
  served["https://cdn.example.com/ep1.vtt"] = {404, "text/html", "", true};
  std::vector<std::string> asked;
  ValidateOptions o;
  o.fetch_companion = [&](std::string_view url) -> std::optional<Companion> {
    asked.emplace_back(url);
    auto it = served.find(std::string(url));
    if (it == served.end()) {
      return std::nullopt;
    }
    return it->second;
  };
  ValidationReport r = validate_feed(base_feed(), o);
  EXPECT_EQ(asked.size(), 3u);
  // ep2.vtt: bad timing (FIL-E03); ep2.json: no CORS (FIL-W01), served as application/json
  // instead of application/json+chapters (FIL-W02); ep1.vtt: 404 (FIL-E01).
  EXPECT_EQ(rules_of(r), (std::vector<std::string>{"FIL-E01", "FIL-E03", "FIL-W01", "FIL-W02"}))
      << r.to_text();
  for (const Finding& f : r.findings) {
    if (f.rule == "FIL-E03") {
      EXPECT_EQ(f.element, "rss/channel/item[1]/podcast:transcript");
      EXPECT_EQ(f.message.rfind("https://cdn.example.com/ep2.vtt cue[1] (line 3): ", 0), 0u)
          << f.message;
    }
    if (f.rule == "FIL-E01") {
      EXPECT_EQ(f.message, "'https://cdn.example.com/ep1.vtt' returned HTTP 404");
    }
  }
  served.erase("https://cdn.example.com/ep1.vtt");
  r = validate_feed(base_feed(), o);
  std::vector<std::string> rules = r.rules();
  EXPECT_EQ(std::count(rules.begin(), rules.end(), "FIL-E01"), 1);
}

TEST(ValidatorFetch, DurationComesFromTheItem) {
  ValidateOptions o;
  o.fetch_companion = [](std::string_view url) -> std::optional<Companion> {
    if (url.find(".json") != std::string_view::npos) {
      return Companion{200, "application/json+chapters",
                       R"({"version":"1.2.0","chapters":[{"startTime":0},{"startTime":4000}]})",
                       true};
    }
    return Companion{200, "text/vtt", "WEBVTT\n", true};
  };
  ValidationReport r = validate_feed(base_feed(), o);  // item 1 lasts 3007 s
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"FIL-W04"}) << r.to_text();
}

}  // namespace
}  // namespace podcastd::feeds
