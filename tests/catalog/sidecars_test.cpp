#include "catalog/sidecars.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "tests/support/test_support.hpp"

namespace podcastd::catalog {
namespace {

using podcastd::testing::read_file;

}  // namespace

// Readable values in failure messages.
void PrintTo(const TranscriptSegment& s, std::ostream* os) {
  *os << "{\"" << s.speaker << "\", ";
  if (s.start) {
    *os << *s.start;
  } else {
    *os << "-";
  }
  *os << ", ";
  if (s.end) {
    *os << *s.end;
  } else {
    *os << "-";
  }
  *os << ", \"" << s.body << "\"}";
}
void PrintTo(const Chapter& c, std::ostream* os) {
  *os << "{" << c.start << ", " << (c.end ? std::to_string(*c.end) : "-") << ", \"" << c.title
      << "\", url \"" << c.url << "\", img \"" << c.img << "\", toc " << c.toc << "}";
}

namespace {

std::string sidecar(std::string_view name) {
  return read_file(podcastd::testing::test_data_dir() / "sidecars" / name);
}

TranscriptSegment seg(std::string speaker, std::optional<double> start, std::optional<double> end,
                      std::string body) {
  return TranscriptSegment{std::move(speaker), start, end, std::move(body)};
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

struct ErrorCase {
  const char* name;
  std::string input;
  const char* message;
};

// ---- WebVTT ---------------------------------------------------------------------------

TEST(Vtt, ParsesTheFixture) {
  auto t = parse_vtt("ep/episode.vtt", sidecar("episode.vtt"));
  PODCASTD_ASSERT_OK(t);
  EXPECT_EQ(t->source, "ep/episode.vtt");
  EXPECT_EQ(t->format, TranscriptFormat::vtt);
  EXPECT_EQ(t->language, "en-US");
  std::vector<TranscriptSegment> want = {
      seg("Tom", 0, 4.5, "Welcome to the show & thanks for listening."),
      seg("Ana", 4.5, 9.25, "Glad to be here.\nIt's my first time <on air>."),
      // A voice change inside a cue splits it; both parts keep the cue's timing.
      seg("Tom", 9.25, 12, "Great!"),
      seg("Ana", 9.25, 12, "Let\xE2\x80\x99s go."),
      // Voices are written on change only, so an unvoiced cue keeps the last speaker.
      seg("Ana", 12, 15, "Word by word"),
      seg("Tom", 3600, 3602, "An hour later."),
  };
  EXPECT_EQ(t->segments, want);
  EXPECT_TRUE(t->timed());
}

TEST(Vtt, LineEndingsAndBom) {
  std::string lf =
      "WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>one\ntwo\n\n00:02.000 --> 00:03.000\nthree\n";
  auto want = parse_vtt("x.vtt", lf);
  PODCASTD_ASSERT_OK(want);
  ASSERT_EQ(want->segments.size(), 2u);
  EXPECT_EQ(want->segments[0].body, "one\ntwo");
  for (const std::string& input : {replace_all(lf, "\n", "\r\n"), replace_all(lf, "\n", "\r"),
                                   "\xEF\xBB\xBF" + replace_all(lf, "\n", "\r\n")}) {
    auto t = parse_vtt("x.vtt", input);
    PODCASTD_ASSERT_OK(t);
    EXPECT_EQ(t->segments, want->segments);
  }
}

TEST(Vtt, SpeakersAreNotCarriedWhenVoicesRepeatOnEveryCue) {
  // The namespace's example style: the voice on every cue. An unvoiced cue stays unvoiced.
  std::string input =
      "WEBVTT\n\n"
      "00:00.000 --> 00:01.000\n<v Tom>One.\n\n"
      "00:01.000 --> 00:02.000\n<v Tom>Two.\n\n"
      "00:02.000 --> 00:03.000\n[music]\n\n"
      "00:03.000 --> 00:04.000\n<v Ana>Three.\n";
  auto t = parse_vtt("x.vtt", input);
  PODCASTD_ASSERT_OK(t);
  ASSERT_EQ(t->segments.size(), 4u);
  EXPECT_EQ(t->segments[2].speaker, "");
  EXPECT_EQ(t->segments[2].body, "[music]");
  EXPECT_EQ(t->segments[3].speaker, "Ana");
}

TEST(Vtt, CueDetails) {
  std::string input =
      "WEBVTT\n"
      "\n"
      "00:00.000-->00:01.000\n"  // no spaces around the arrow
      "<v.loud Jean-Luc Picard>Engage\n"
      "00:01.000 --> 00:02.000\n"  // a cue starting without a blank line
      "<v>no name</v> <b>bold</b> &unknown; &#x263A;\n"
      "\n"
      "00:02.000 --> 00:03.000\n"  // a cue with no text
      "\n"
      "123:00:00.000 --> 123:00:01.000\n"
      "<i>unterminated <b\n";
  auto t = parse_vtt("x.vtt", input);
  PODCASTD_ASSERT_OK(t);
  std::vector<TranscriptSegment> want = {
      seg("Jean-Luc Picard", 0, 1, "Engage"),
      seg("Jean-Luc Picard", 1, 2, "no name bold &unknown; \xE2\x98\xBA"),
      seg("Jean-Luc Picard", 123 * 3600, 123 * 3600 + 1, "unterminated"),
  };
  EXPECT_EQ(t->segments, want);
}

TEST(Vtt, Errors) {
  ErrorCase cases[] = {
      {"empty", "", "x.vtt:1: missing WEBVTT header"},
      {"wrong signature", "WEBVTTX\n\n00:01.000 --> 00:02.000\nhi\n",
       "x.vtt:1: missing WEBVTT header"},
      {"srt given as vtt", "1\n00:00:01,000 --> 00:00:02,000\nhi\n",
       "x.vtt:1: missing WEBVTT header"},
      {"two-digit millis", "WEBVTT\n\n00:01.00 --> 00:02.000\nhi\n",
       "x.vtt:3: bad cue timing '00:01.00 --> 00:02.000'"},
      {"comma", "WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nhi\n",
       "x.vtt:3: bad cue timing '00:00:01,000 --> 00:00:02,000'"},
      {"one-digit minutes", "WEBVTT\n\n1:00.000 --> 1:02.000\nhi\n",
       "x.vtt:3: bad cue timing '1:00.000 --> 1:02.000'"},
      {"one-digit hours", "WEBVTT\n\n1:00:00.000 --> 1:00:02.000\nhi\n",
       "x.vtt:3: bad cue timing '1:00:00.000 --> 1:00:02.000'"},
      {"seconds 61", "WEBVTT\n\n00:61.000 --> 01:02.000\nhi\n",
       "x.vtt:3: bad cue timing '00:61.000 --> 01:02.000'"},
      {"missing end", "WEBVTT\n\n00:01.000 -->\nhi\n", "x.vtt:3: bad cue timing '00:01.000 -->'"},
      {"settings glued", "WEBVTT\n\n00:01.000 --> 00:02.000align:start\nhi\n",
       "x.vtt:3: bad cue timing '00:01.000 --> 00:02.000align:start'"},
      {"backwards", "WEBVTT\n\n00:05.000 --> 00:02.000\nhi\n",
       "x.vtt:3: cue ends before it starts '00:05.000 --> 00:02.000'"},
      {"identifier then text", "WEBVTT\n\nintro\nHello there\n",
       "x.vtt:4: expected cue timing, got 'Hello there'"},
      {"stray text", "WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n\nstray\n",
       "x.vtt:6: text outside a cue 'stray'"},
      {"invalid utf-8", "WEBVTT\n\n00:01.000 --> 00:02.000\nbad \xC3\x28 byte\n",
       "x.vtt:4: invalid UTF-8"},
  };
  for (const ErrorCase& c : cases) {
    auto t = parse_vtt("x.vtt", c.input);
    ASSERT_FALSE(t.ok()) << c.name;
    EXPECT_EQ(t.error().code, ErrorCode::parse) << c.name;
    EXPECT_EQ(t.error().message, c.message) << c.name;
  }
}

TEST(Vtt, ThreeHourFileParsesQuickly) {
  // ~2 MB: a cue every second for 3 hours, two lines each, some voices.
  std::string input = "WEBVTT\n\n";
  input.reserve(2'500'000);
  char timing[64];
  const int cues = 3 * 3600;
  for (int k = 0; k < cues; ++k) {
    int s = k;
    std::snprintf(timing, sizeof timing, "%02d:%02d:%02d.000 --> %02d:%02d:%02d.900\n", s / 3600,
                  s / 60 % 60, s % 60, s / 3600, s / 60 % 60, s % 60);
    input += std::to_string(k + 1) + "\n" + timing;
    if (k % 7 == 0) {
      input += k % 2 ? "<v Ana>" : "<v Tom>";
    }
    input +=
        "Some words that a podcast host might say &amp; more of them,\n"
        "and a second line of the same cue with <i>emphasis</i> here and there.\n\n";
  }
  ASSERT_GT(input.size(), 1'500'000u);
  auto started = std::chrono::steady_clock::now();
  auto t = parse_vtt("long.vtt", input);
  auto took = std::chrono::steady_clock::now() - started;
  PODCASTD_ASSERT_OK(t);
  EXPECT_EQ(t->segments.size(), static_cast<std::size_t>(cues));
  EXPECT_EQ(t->segments.back().start, 1.0 * (cues - 1));
  // Milliseconds in a release build; the bound leaves room for Debug and sanitizers.
  EXPECT_LT(took, std::chrono::seconds(2));
  std::printf(
      "3-hour VTT (%zu bytes): %lld ms\n", input.size(),
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

TEST(Vtt, PathologicalLinesStayLinear) {
  // One 1 MB line of a character the parsers look ahead from, for each parser.
  auto started = std::chrono::steady_clock::now();
  for (char c : {'&', '<', ':', '[', '{', '\\', '(', '-'}) {
    std::string line(1'000'000, c);
    (void)parse_vtt("x.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n" + line + "\n");
    (void)parse_srt("x.srt", "1\n00:00:01,000 --> 00:00:02,000\n{\\" + line + "\n");
    (void)parse_text_transcript("x.txt", line);
    (void)parse_text_transcript("x.txt", "A: " + line);
    (void)parse_json_transcript("x.json", line);
    (void)parse_json_chapters("x.json", line);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

// ---- SRT ------------------------------------------------------------------------------

TEST(Srt, ParsesTheFixture) {
  auto t = parse_srt("ep/episode.srt", sidecar("episode.srt"));
  PODCASTD_ASSERT_OK(t);
  EXPECT_EQ(t->source, "ep/episode.srt");
  EXPECT_EQ(t->format, TranscriptFormat::srt);
  std::vector<TranscriptSegment> want = {
      seg("Sarah", 0, 3.2, "In today's episode,\nwe talk about tides."),
      seg("Sarah", 3.2, 5, "Still Sarah here."),
      // A blank line inside a cue's text keeps the paragraph in the cue.
      seg("Mike", 5, 8, "Thanks, Sarah.\n\nAnd a second paragraph."),
      seg("Mike", 8, 9.5, "Bye & see you."),
  };
  EXPECT_EQ(t->segments, want);
}

TEST(Srt, TolerantForms) {
  // No sequence numbers, dot millis, one-digit hours, short fractions, CRLF, a BOM, and
  // names that are not speakers (a URL, a clock).
  std::string input =
      "\xEF\xBB\xBF"
      "0:00:01.5 --> 0:00:02,25\r\n"
      "See https://example.com now\r\n"
      "\r\n"
      "7\r\n"
      "00:00:03,000 --> 00:00:04,000\r\n"
      "At 10:30 we start.\r\n"
      "\r\n"
      "8\r\n"
      "00:00:04,000 --> 00:00:05,000\r\n"
      "Dr. Jane Doe:\r\n"
      "Hello.\r\n";
  auto t = parse_srt("x.srt", input);
  PODCASTD_ASSERT_OK(t);
  std::vector<TranscriptSegment> want = {
      seg("", 1.5, 2.25, "See https://example.com now"),
      seg("", 3, 4, "At 10:30 we start."),
      seg("Dr. Jane Doe", 4, 5, "Hello."),
  };
  EXPECT_EQ(t->segments, want);
}

TEST(Srt, Errors) {
  ErrorCase cases[] = {
      {"garbage first", "Hello\nworld\n", "x.srt:1: expected cue number or timing, got 'Hello'"},
      {"number then text", "1\nHello\n", "x.srt:2: expected cue timing, got 'Hello'"},
      {"short arrow", "1\n00:00:01,000 -> 00:00:02,000\nHi\n",
       "x.srt:2: expected cue timing, got '00:00:01,000 -> 00:00:02,000'"},
      {"bad digit", "1\n00:00:01,00a --> 00:00:02,000\nHi\n",
       "x.srt:2: bad cue timing '00:00:01,00a --> 00:00:02,000'"},
      {"four fraction digits", "1\n00:00:01,0000 --> 00:00:02,000\nHi\n",
       "x.srt:2: bad cue timing '00:00:01,0000 --> 00:00:02,000'"},
      {"no hours", "1\n00:01,000 --> 00:02,000\nHi\n",
       "x.srt:2: bad cue timing '00:01,000 --> 00:02,000'"},
      {"backwards", "1\n00:00:03,000 --> 00:00:02,000\nHi\n",
       "x.srt:2: cue ends before it starts '00:00:03,000 --> 00:00:02,000'"},
      {"invalid utf-8", "1\n00:00:01,000 --> 00:00:02,000\n\xFF\n", "x.srt:3: invalid UTF-8"},
  };
  for (const ErrorCase& c : cases) {
    auto t = parse_srt("x.srt", c.input);
    ASSERT_FALSE(t.ok()) << c.name;
    EXPECT_EQ(t.error().code, ErrorCode::parse) << c.name;
    EXPECT_EQ(t.error().message, c.message) << c.name;
  }
}

// ---- JSON transcript ------------------------------------------------------------------

TEST(JsonTranscript, ParsesTheFixture) {
  auto t = parse_json_transcript("ep/episode.transcript.json", sidecar("episode.transcript.json"));
  PODCASTD_ASSERT_OK(t);
  EXPECT_EQ(t->source, "ep/episode.transcript.json");
  EXPECT_EQ(t->format, TranscriptFormat::json);
  std::vector<TranscriptSegment> want = {
      seg("Darth Vader", 0.5, 0.75, "I"),
      seg("Darth Vader", 0.75, 1.2, "am"),
      seg("", 2, std::nullopt, "your father.\nNo!"),
      seg("", 3.25, std::nullopt, ""),
  };
  EXPECT_EQ(t->segments, want);
  EXPECT_TRUE(t->timed());
}

TEST(JsonTranscript, VersionIsOptionalAndBomTolerated) {
  auto t = parse_json_transcript(
      "x.json", "\xEF\xBB\xBF{\"segments\": [{\"startTime\": 1, \"body\": \"hi\"}]}");
  PODCASTD_ASSERT_OK(t);
  ASSERT_EQ(t->segments.size(), 1u);
  EXPECT_EQ(t->segments[0].start, 1.0);
}

TEST(JsonTranscript, Errors) {
  auto segments = [](const std::string& items) {
    return "{\"version\": \"1.0.0\", \"segments\": [" + items + "]}";
  };
  std::string ok = "{\"startTime\": 1, \"body\": \"x\"}";
  ErrorCase cases[] = {
      {"syntax", "{\n  \"segments\": [\n    {\"startTime\": 1,}\n  ]\n}",
       "x.json:3: invalid JSON: syntax error while parsing object key - unexpected '}'; "
       "expected string literal"},
      {"truncated", "{\"segments\": [",
       "x.json:1: invalid JSON: syntax error while parsing value - unexpected end of input; "
       "expected '[', '{', or a literal"},
      {"not an object", "[]", "x.json: not a JSON object"},
      {"version number", "{\"version\": 1, \"segments\": []}", "x.json: version is not a string"},
      {"no segments", "{\"version\": \"1.0.0\"}", "x.json: missing segments"},
      {"segments object", "{\"segments\": {}}", "x.json: segments is not an array"},
      {"item not object", segments(ok + ", 3"), "x.json: segments[1]: not an object"},
      {"start string",
       segments(ok + "," + ok + "," + ok + ", {\"startTime\": \"1.0\", \"body\": \"x\"}"),
       "x.json: segments[3]: startTime is not a number"},
      {"start missing", segments("{\"body\": \"x\"}"), "x.json: segments[0]: missing startTime"},
      {"start negative", segments("{\"startTime\": -1, \"body\": \"x\"}"),
       "x.json: segments[0]: startTime is negative"},
      {"start bool", segments("{\"startTime\": true, \"body\": \"x\"}"),
       "x.json: segments[0]: startTime is not a number"},
      {"end string", segments("{\"startTime\": 1, \"endTime\": \"2\", \"body\": \"x\"}"),
       "x.json: segments[0]: endTime is not a number"},
      {"body missing", segments("{\"startTime\": 1}"), "x.json: segments[0]: missing body"},
      {"body number", segments("{\"startTime\": 1, \"body\": 5}"),
       "x.json: segments[0]: body is not a string"},
      {"speaker number", segments("{\"startTime\": 1, \"body\": \"x\", \"speaker\": 2}"),
       "x.json: segments[0]: speaker is not a string"},
      {"deep", std::string(100, '[') + std::string(100, ']'),
       "x.json: invalid JSON: nested too deeply"},
      {"number overflow", segments("{\"startTime\": 1e999, \"body\": \"x\"}"),
       "x.json: invalid JSON: number overflow parsing '1e999'"},
      {"invalid utf-8", "{\n\"segments\": [\"\xED\xA0\x80\"]}", "x.json:2: invalid UTF-8"},
  };
  for (const ErrorCase& c : cases) {
    auto t = parse_json_transcript("x.json", c.input);
    ASSERT_FALSE(t.ok()) << c.name;
    EXPECT_EQ(t.error().code, ErrorCode::parse) << c.name;
    EXPECT_EQ(t.error().message, c.message) << c.name;
  }
}

// ---- plain-text transcript ------------------------------------------------------------

TEST(TextTranscript, TimedTurnsContinuationsAndParagraphs) {
  auto t = parse_text_transcript("ep/episode.transcript.txt", sidecar("episode.transcript.txt"));
  PODCASTD_ASSERT_OK(t);
  EXPECT_EQ(t->source, "ep/episode.transcript.txt");
  EXPECT_EQ(t->format, TranscriptFormat::text);
  std::vector<TranscriptSegment> want = {
      seg("Tom", 0, std::nullopt, "Welcome back to the show.\nThis line continues Tom's turn."),
      seg("Ana", 5, std::nullopt, "Thanks, Tom."),
      seg("Tom", 70, std::nullopt, "We now talk about tides: high and low."),
      seg("", std::nullopt, std::nullopt, "A paragraph without a speaker,\nover two lines."),
      seg("", 3723.5, std::nullopt, "Music fades out."),
  };
  EXPECT_EQ(t->segments, want);
  EXPECT_FALSE(t->timed());
}

TEST(TextTranscript, OtterStyleHeaders) {
  auto t = parse_text_transcript("otter.txt", sidecar("otter.transcript.txt"));
  PODCASTD_ASSERT_OK(t);
  std::vector<TranscriptSegment> want = {
      seg("Jane Doe", 0, std::nullopt, "Hello and welcome."),
      seg("Speaker 2", 7, std::nullopt, "Hi Jane. The show starts at 10:30\nand ends at noon."),
      seg("Jane Doe", 3735, std::nullopt, "Goodbye."),
  };
  EXPECT_EQ(t->segments, want);
  EXPECT_TRUE(t->timed());
}

TEST(TextTranscript, UntimedInterview) {
  std::string input =
      "Q: Where were you born?\r\n"
      "A: In Lyon.\r\n"
      "   Then Paris.\r\n"
      "\r\n"
      "Alice (00:12:30): A clock after the name.\r\n"
      "Note that this line has no speaker.\r\n";
  auto t = parse_text_transcript("x.txt", input);
  PODCASTD_ASSERT_OK(t);
  std::vector<TranscriptSegment> want = {
      seg("Q", std::nullopt, std::nullopt, "Where were you born?"),
      seg("A", std::nullopt, std::nullopt, "In Lyon.\nThen Paris."),
      seg("Alice", 750, std::nullopt,
          "A clock after the name.\nNote that this line has no speaker."),
  };
  EXPECT_EQ(t->segments, want);
}

TEST(TextTranscript, Errors) {
  auto t = parse_text_transcript("x.txt", "fine\nstill fine\nbad \xC0\xAF\n");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "x.txt:3: invalid UTF-8");
  auto empty = parse_text_transcript("x.txt", "");
  PODCASTD_ASSERT_OK(empty);
  EXPECT_TRUE(empty->segments.empty());
}

// ---- JSON chapters --------------------------------------------------------------------

TEST(JsonChapters, ParsesAndSortsTheFixture) {
  auto chapters = parse_json_chapters("ep/episode.chapters.json", sidecar("episode.chapters.json"));
  PODCASTD_ASSERT_OK(chapters);
  std::vector<Chapter> want = {
      Chapter{0, std::nullopt, "Intro", "", "", true},
      Chapter{168, std::nullopt, "Hearing Aids", "https://example.com/hearing",
              "https://example.com/a.jpg", true},
      Chapter{300.5, 400.0, "Segment two", "", "", true},
      Chapter{4826, std::nullopt, "", "", "https://example.com/paris.jpg", false},
  };
  EXPECT_EQ(*chapters, want);
}

TEST(JsonChapters, Errors) {
  auto chapters = [](const std::string& items) {
    return "{\"version\": \"1.2.0\", \"chapters\": [" + items + "]}";
  };
  ErrorCase cases[] = {
      {"syntax", "{\"version\": \"1.2.0\",\n\"chapters\": [}",
       "x.json:2: invalid JSON: syntax error while parsing value - unexpected '}'; expected '[', "
       "'{', or a literal"},
      {"not an object", "\"chapters\"", "x.json: not a JSON object"},
      {"no version", "{\"chapters\": []}", "x.json: missing version"},
      {"version number", "{\"version\": 1.2, \"chapters\": []}", "x.json: version is not a string"},
      {"no chapters", "{\"version\": \"1.2.0\"}", "x.json: missing chapters"},
      {"chapters string", "{\"version\": \"1.2.0\", \"chapters\": \"\"}",
       "x.json: chapters is not an array"},
      {"item not object", chapters("{\"startTime\": 0}, []"), "x.json: chapters[1]: not an object"},
      {"start missing", chapters("{\"title\": \"x\"}"), "x.json: chapters[0]: missing startTime"},
      {"start string", chapters("{\"startTime\": 0}, {\"startTime\": \"5\"}"),
       "x.json: chapters[1]: startTime is not a number"},
      {"start negative", chapters("{\"startTime\": -0.5}"),
       "x.json: chapters[0]: startTime is negative"},
      {"end string", chapters("{\"startTime\": 0, \"endTime\": \"9\"}"),
       "x.json: chapters[0]: endTime is not a number"},
      {"title number", chapters("{\"startTime\": 0, \"title\": 7}"),
       "x.json: chapters[0]: title is not a string"},
      {"img object", chapters("{\"startTime\": 0, \"img\": {}}"),
       "x.json: chapters[0]: img is not a string"},
      {"url array", chapters("{\"startTime\": 0, \"url\": []}"),
       "x.json: chapters[0]: url is not a string"},
      {"toc string", chapters("{\"startTime\": 0, \"toc\": \"false\"}"),
       "x.json: chapters[0]: toc is not a boolean"},
      {"location string", chapters("{\"startTime\": 0, \"location\": \"Paris\"}"),
       "x.json: chapters[0]: location is not an object"},
      {"invalid utf-8",
       "{\"version\": \"1.2.0\", \"chapters\": [{\"startTime\": 0, \"title\": \"\xF8\"}]}",
       "x.json:1: invalid UTF-8"},
  };
  for (const ErrorCase& c : cases) {
    auto r = parse_json_chapters("x.json", c.input);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::parse) << c.name;
    EXPECT_EQ(r.error().message, c.message) << c.name;
  }
}

}  // namespace
}  // namespace podcastd::catalog
