#include "feeds/transcripts.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "catalog/text.hpp"
#include "tests/feeds/golden.hpp"

namespace podcastd::feeds {
namespace {

using catalog::Chapter;
using catalog::Transcript;
using ::podcastd::testing::expect_golden;

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

// Speakers, a long segment, one without an end, one without a speaker, text that needs
// escaping, and segments out of order.
Transcript timed_transcript() {
  Transcript t;
  t.source = "episodes/002/transcript.vtt";
  t.format = catalog::TranscriptFormat::vtt;
  t.language = "en";
  t.segments = {
      {"Jane Doe", 0.0, 4.5, "Welcome to Café Society & friends. Today: <espresso>."},
      {"Jane Doe", 4.5, std::nullopt,
       "This segment is deliberately long so that it has to be wrapped across several lines in "
       "WebVTT and split into several SRT cards with proportional timing, which is the point."},
      {"Tom O'Brien", 20.0, 24.0, "Thanks, Jane!\nGreat to be here."},
      {"", 24.0, 26.5, "[music]"},
      {"Ada", 30.0, 33.25, "Last words."},  // out of order: sorted by start
      {"Tom O'Brien", 26.5, 30.0, "Back again --> with an arrow."},
      {"Tom O'Brien", 33.25, 33.25, "   "},  // blank: skipped
  };
  return t;
}

Transcript untimed_transcript() {
  Transcript t;
  t.source = "episodes/001/transcript.txt";
  t.format = catalog::TranscriptFormat::text;
  t.segments = {
      {"Jane", std::nullopt, std::nullopt, "Hello & welcome.\nSecond line."},
      {"", std::nullopt, std::nullopt, "A paragraph nobody said."},
      {"Tom", std::nullopt, std::nullopt, "<b>not bold</b>"},
  };
  return t;
}

TEST(Vtt, MatchesGolden) { expect_golden("transcript.vtt", render_vtt(timed_transcript())); }
TEST(Srt, MatchesGolden) { expect_golden("transcript.srt", render_srt(timed_transcript())); }
TEST(TranscriptJson, MatchesGolden) {
  expect_golden("transcript.json", render_transcript_json(timed_transcript()));
}
TEST(TranscriptHtml, MatchesGolden) {
  expect_golden("transcript.html",
                render_transcript_html(timed_transcript(), "Espresso & <Art>", "en-us"));
}
TEST(TranscriptText, MatchesGolden) {
  expect_golden("transcript.txt", render_transcript_text(timed_transcript()));
}
TEST(TranscriptHtml, UntimedMatchesGolden) {
  expect_golden("transcript_untimed.html",
                render_transcript_html(untimed_transcript(), "Bonus", ""));
}
TEST(TranscriptText, UntimedMatchesGolden) {
  expect_golden("transcript_untimed.txt", render_transcript_text(untimed_transcript()));
}

TEST(Vtt, HeaderThenCues) {
  const std::string vtt = render_vtt(timed_transcript());
  EXPECT_EQ(vtt.substr(0, 8), "WEBVTT\n\n");
  EXPECT_NE(vtt.find("00:00:00.000 --> 00:00:04.500\n<v Jane Doe>Welcome to Café Society &amp; "
                     "friends. Today: &lt;espresso&gt;.\n"),
            std::string::npos);
}

TEST(Vtt, VoiceOnEveryCueWithAKnownSpeaker) {
  const std::string vtt = render_vtt(timed_transcript());
  EXPECT_NE(vtt.find("00:00:04.500 --> 00:00:20.000\n<v Jane Doe>This segment"), std::string::npos);
  EXPECT_NE(vtt.find("00:00:24.000 --> 00:00:26.500\n[music]\n"), std::string::npos);
}

TEST(Vtt, WrapsLinesAt65Characters) {
  const std::string vtt = render_vtt(timed_transcript());
  for (std::string_view line : text::split_lines(vtt)) {
    if (line.substr(0, 3) == "<v ") {
      line = line.substr(line.find('>') + 1);
    }
    EXPECT_LE(code_points(line), 65U) << line;
  }
}

TEST(Vtt, NoArrowInsideCueText) {
  const std::string vtt = render_vtt(timed_transcript());
  EXPECT_NE(vtt.find("Back again --&gt; with an arrow."), std::string::npos);
  std::size_t arrows = 0;
  for (std::string_view line : text::split_lines(vtt)) {
    arrows += line.find("-->") != std::string_view::npos ? 1 : 0;
  }
  EXPECT_EQ(arrows, 6U);  // one per cue timing line
}

TEST(Vtt, UntimedTranscriptHasNoCues) {
  EXPECT_EQ(render_vtt(untimed_transcript()), "WEBVTT\n");
  EXPECT_EQ(render_srt(untimed_transcript()), "");
}

TEST(Srt, CardsHaveAtMostTwoLinesOf32Characters) {
  const std::string srt = render_srt(timed_transcript());
  int expected_sequence = 1;
  std::vector<std::string_view> lines = text::split_lines(srt);
  for (std::size_t i = 0; i < lines.size();) {
    ASSERT_EQ(lines[i], std::to_string(expected_sequence)) << "card " << expected_sequence;
    ++expected_sequence;
    ASSERT_LT(i + 1, lines.size());
    EXPECT_EQ(lines[i + 1].size(), 29U);
    EXPECT_EQ(lines[i + 1][8], ',');
    EXPECT_EQ(lines[i + 1][25], ',');
    std::size_t text_lines = 0;
    i += 2;
    while (i < lines.size() && !lines[i].empty()) {
      EXPECT_LE(code_points(lines[i]), 32U) << lines[i];
      ++text_lines;
      ++i;
    }
    EXPECT_GE(text_lines, 1U);
    EXPECT_LE(text_lines, 2U);
    ++i;  // the blank line
  }
  EXPECT_GT(expected_sequence, 8);
}

TEST(Srt, SpeakerPrefixOnlyOnChange) {
  const std::string srt = render_srt(timed_transcript());
  EXPECT_NE(srt.find("1\n00:00:00,000 --> "), std::string::npos);
  EXPECT_EQ(srt.find("Jane Doe: "), srt.rfind("Jane Doe: "));  // once: she speaks twice in a row
  EXPECT_NE(srt.find("\nTom O'Brien: Thanks, Jane!"), std::string::npos);
  EXPECT_NE(srt.find("\nTom O'Brien: Back again -->"), std::string::npos);  // after [music]
  EXPECT_NE(srt.find("\nAda: Last words."), std::string::npos);
}

TEST(Srt, LongSegmentTimeIsSharedProportionally) {
  Transcript t;
  t.segments = {{"", 10.0, 20.0,
                 std::string(32, 'a') + " " + std::string(32, 'b') + " " + std::string(32, 'c') +
                     " " + std::string(32, 'd')}};
  EXPECT_EQ(render_srt(t), "1\n00:00:10,000 --> 00:00:15,000\n" + std::string(32, 'a') + "\n" +
                               std::string(32, 'b') + "\n\n2\n00:00:15,000 --> 00:00:20,000\n" +
                               std::string(32, 'c') + "\n" + std::string(32, 'd') + "\n\n");
}

TEST(Srt, VeryLongWordsAreCut) {
  Transcript t;
  t.segments = {{"", 0.0, 1.0, "https://example.com/" + std::string(40, 'x')}};
  const std::string srt = render_srt(t);
  EXPECT_NE(srt.find("\nhttps://example.com/xxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"),
            std::string::npos)
      << srt;
}

TEST(TranscriptJson, ParsesWithSpecFields) {
  const auto j = nlohmann::json::parse(render_transcript_json(timed_transcript()));
  EXPECT_EQ(j["version"], "1.0.0");
  ASSERT_EQ(j["segments"].size(), 6U);
  const auto& first = j["segments"][0];
  EXPECT_EQ(first["speaker"], "Jane Doe");
  EXPECT_EQ(first["startTime"], 0.0);
  EXPECT_EQ(first["endTime"], 4.5);
  EXPECT_EQ(first["body"], "Welcome to Café Society & friends. Today: <espresso>.");
  EXPECT_FALSE(j["segments"][1].contains("endTime"));  // not available: not estimated
  EXPECT_FALSE(j["segments"][3].contains("speaker"));
  EXPECT_EQ(j["segments"][2]["body"], "Thanks, Jane!\nGreat to be here.");
  double previous = -1;
  for (const auto& s : j["segments"]) {
    EXPECT_GE(s["startTime"].get<double>(), previous);
    previous = s["startTime"].get<double>();
  }
}

TEST(TranscriptJson, EmptyAndUntimed) {
  EXPECT_EQ(render_transcript_json(Transcript{}),
            "{\n  \"version\": \"1.0.0\",\n  \"segments\": []\n}\n");
  EXPECT_EQ(render_transcript_json(untimed_transcript()), render_transcript_json(Transcript{}));
}

TEST(TranscriptHtml, CompletePageWithCiteTimeParagraphs) {
  const std::string html = render_transcript_html(timed_transcript(), "Espresso & <Art>", "en-us");
  EXPECT_EQ(html.substr(0, 35), "<!DOCTYPE html>\n<html lang=\"en-us\">");
  EXPECT_NE(html.find("<title>Espresso &amp; &lt;Art&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("<cite>Jane Doe:</cite>\n<time>0:00</time>\n<p>Welcome to Café Society "
                      "&amp; friends. Today: &lt;espresso&gt;. This segment"),
            std::string::npos);
  EXPECT_NE(html.find("<cite>Tom O&#39;Brien:</cite>\n<time>0:20</time>\n<p>Thanks, Jane! Great"),
            std::string::npos);
  EXPECT_NE(html.find("<time>0:24</time>\n<p>[music]</p>"), std::string::npos);
  EXPECT_EQ(html.substr(html.size() - 16), "</body>\n</html>\n");
}

TEST(TranscriptHtml, LongClockHasHours) {
  Transcript t;
  t.segments = {{"", 3723.9, std::nullopt, "late"}};
  EXPECT_NE(render_transcript_html(t, "", "").find("<time>1:02:03</time>"), std::string::npos);
}

TEST(TranscriptText, SpeakerAndClock) {
  const std::string txt = render_transcript_text(timed_transcript());
  EXPECT_EQ(txt.substr(0, 30), "[00:00:00] Jane Doe: Welcome t");
  EXPECT_NE(txt.find("\n\n[00:00:24] [music]\n\n"), std::string::npos);
  EXPECT_EQ(render_transcript_text(untimed_transcript()),
            "Jane: Hello & welcome.\nSecond line.\n\nA paragraph nobody said.\n\nTom: <b>not "
            "bold</b>\n");
}

TEST(TranscriptText, LongMonologuesBreakIntoParagraphs) {
  Transcript t;
  for (int i = 0; i < 40; ++i) {
    t.segments.push_back({"Jane", i * 5.0, i * 5.0 + 5, "Twenty-five characters ok."});
  }
  const std::string txt = render_transcript_text(t);
  EXPECT_GT(std::count(txt.begin(), txt.end(), '['), 1);
  for (std::string_view line : text::split_lines(txt)) {
    EXPECT_LT(line.size(), 600U);
  }
}

std::vector<Chapter> sample_chapters() {
  return {
      {95.5, std::nullopt, "Crema \"foam\"", "https://example.com/crema", "", true},
      {12.0, 95.5, "Intro", "", "https://example.com/intro.jpg", true},
      {200, std::nullopt, "", "", "https://example.com/silent.jpg", false},
      {1800.25, 4000, "Pressure & Temperature", "", "", true},
      {3007.4, std::nullopt, "At the end", "", "", true},
      {4000, std::nullopt, "Past the end", "", "", true},
  };
}

TEST(ChaptersJson, MatchesGolden) {
  expect_golden("chapters.json",
                render_chapters_json(sample_chapters(), {"Espresso", "Café Society", 3007.4}));
}

TEST(ChaptersJson, SortedFirstAtZeroAndInsideDuration) {
  const auto j = nlohmann::json::parse(
      render_chapters_json(sample_chapters(), {"Espresso", "Café Society", 3007.4}));
  EXPECT_EQ(j["version"], "1.2.0");
  EXPECT_EQ(j["title"], "Espresso");
  EXPECT_EQ(j["podcastName"], "Café Society");
  const auto& chapters = j["chapters"];
  ASSERT_EQ(chapters.size(), 5U);
  EXPECT_EQ(chapters[0]["startTime"], 0);
  EXPECT_EQ(chapters[0]["toc"], false);
  EXPECT_FALSE(chapters[0].contains("title"));
  EXPECT_EQ(chapters[1]["title"], "Intro");
  EXPECT_EQ(chapters[1]["img"], "https://example.com/intro.jpg");
  EXPECT_EQ(chapters[1]["endTime"], 95.5);
  EXPECT_EQ(chapters[2]["url"], "https://example.com/crema");
  EXPECT_EQ(chapters[3]["toc"], false);
  EXPECT_EQ(chapters[4]["startTime"], 1800.25);
  EXPECT_EQ(chapters[4]["endTime"], 3007.4);  // clamped to the duration
  for (const auto& c : chapters) {
    EXPECT_LT(c["startTime"].get<double>(), 3007.4);
  }
}

TEST(ChaptersJson, NoDurationKeepsEverything) {
  std::vector<Chapter> chapters = {{0, std::nullopt, "A", "", "", true},
                                   {5000, std::nullopt, "B", "", "", true}};
  EXPECT_EQ(render_chapters_json(chapters, {}),
            "{\n  \"version\": \"1.2.0\",\n  \"chapters\": [\n"
            "    {\"startTime\": 0, \"title\": \"A\"},\n"
            "    {\"startTime\": 5000, \"title\": \"B\"}\n  ]\n}\n");
  EXPECT_EQ(render_chapters_json({}, {}), "{\n  \"version\": \"1.2.0\",\n  \"chapters\": []\n}\n");
}

}  // namespace
}  // namespace podcastd::feeds
