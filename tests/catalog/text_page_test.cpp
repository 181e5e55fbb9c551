#include "catalog/text_page.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/time.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::catalog {
namespace {

namespace fs = std::filesystem;

UnixTime day(int year, int month, int d) {
  return timefmt::days_from_civil(year, month, d) * 86400;
}

// Our own fixture pages under tests/data/pages, parsed with a "pages/NAME" path.
Result<TextPage> parse_fixture(const std::string& name) {
  std::string text = testing::read_file(testing::test_data_dir() / "pages" / name);
  return parse_text_page("pages/" + name, text);
}

Result<TextPage> parse_sample(const fs::path& dir, const std::string& name) {
  return parse_text_page(name, testing::read_file(dir / name));
}

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The HTML from `heading` up to the next <h3> (or the end).
std::string html_section(const std::string& html, const std::string& heading) {
  std::size_t start = html.find("<h3>" + heading + "</h3>");
  if (start == std::string::npos) {
    return "";
  }
  std::size_t end = html.find("<h3>", start + 4);
  return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::vector<std::string> names(const std::vector<Person>& persons) {
  std::vector<std::string> out;
  for (const Person& p : persons) {
    out.push_back(p.name);
  }
  return out;
}

// ---- errors ----

TEST(TextPage, EmptyPageIsAnError) {
  for (std::string_view text : {std::string_view(""), std::string_view(" \n\t\n\r\n"),
                                std::string_view("\xEF\xBB\xBF\n \xC2\xA0\n")}) {
    auto page = parse_text_page("p.txt", text);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.error().code, ErrorCode::parse);
    EXPECT_EQ(page.error().message, "p.txt:1: empty page");
  }
}

TEST(TextPage, InvalidUtf8ReportsLineAndByteOffset) {
  struct Case {
    std::string_view text;
    std::string message;
  };
  const Case cases[] = {
      {"Title\nok\n\xFF\n", "p.txt:3: invalid UTF-8 (byte offset 9)"},
      {"\xC3", "p.txt:1: invalid UTF-8 (byte offset 0)"},
      {"Title\nsur\xED\xA0\x80rogate\n", "p.txt:2: invalid UTF-8 (byte offset 9)"},
      {"Title\n\nTruncated \xE2\x80", "p.txt:3: invalid UTF-8 (byte offset 17)"},
  };
  for (const Case& c : cases) {
    auto page = parse_text_page("p.txt", c.text);
    ASSERT_FALSE(page.ok()) << c.message;
    EXPECT_EQ(page.error().code, ErrorCode::parse);
    EXPECT_EQ(page.error().message, c.message);
  }
}

TEST(TextPage, NoTitleErrors) {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"\nTranscript\nAnna: hi\n",
       "p.txt:2: no title: the first line is the section heading 'Transcript'"},
      {"Show Notes:\nSomething.\n",
       "p.txt:1: no title: the first line is the section heading 'Show Notes:'"},
      {"2025-05-01 69 min\nText.\n", "p.txt:1: no title: the first line is a date or duration"},
      {"\n\n  1h 21min\n", "p.txt:3: no title: the first line is a date or duration"},
      {"- an item\n- another\n", "p.txt:1: no title: the first line is a list item"},
      {"Q. Why?\nAnna: Because.\n", "p.txt:1: no title: the first line is an interview question"},
      {std::string(301, 'x') + "\n",
       "p.txt:1: no title: the first line is a paragraph (301 bytes)"},
  };
  for (const Case& c : cases) {
    auto page = parse_text_page("p.txt", c.text);
    ASSERT_FALSE(page.ok()) << c.message;
    EXPECT_EQ(page.error().code, ErrorCode::parse);
    EXPECT_EQ(page.error().message, c.message);
  }
}

// ---- header ----

TEST(TextPage, HeaderDateAndDurationForms) {
  struct Case {
    std::string line;
    std::optional<UnixTime> date;
    std::optional<double> duration;
  };
  const Case cases[] = {
      {"2025-05-01 69 min", day(2025, 5, 1), 4140},
      {"21.05.2026 49min", day(2026, 5, 21), 2940},
      {"1h 21min", std::nullopt, 4860},
      {"2025-05-01", day(2025, 5, 1), std::nullopt},
      {"21.05.2026", day(2026, 5, 21), std::nullopt},
      {"49min", std::nullopt, 2940},
      {"1h", std::nullopt, 3600},
      {"21/05/2026 \xC2\xB7 1h", day(2026, 5, 21), 3600},
      {"May 1, 2025 | 1:09:00", day(2025, 5, 1), 4140},
      {"1 May 2025 - 45 min", day(2025, 5, 1), 2700},
      {"2024-02-29 1 hr 5 mins", day(2024, 2, 29), 3900},
      {"2025-05-01 69 Min.", day(2025, 5, 1), 4140},
      {"3. Mai 2025 1 Std. 5 Min.", day(2025, 5, 3), 3900},
      {"2025-05-01T09:30:00Z 20 min", day(2025, 5, 1) + 9 * 3600 + 1800, 1200},
  };
  for (const Case& c : cases) {
    auto page = parse_text_page("p.txt", "A Title\n" + c.line + "\nSome notes.\n");
    PODCASTD_ASSERT_OK(page);
    EXPECT_EQ(page->kind, TextPage::Kind::episode) << c.line;
    EXPECT_EQ(page->episode.date, c.date) << c.line;
    EXPECT_EQ(page->episode.declared_duration, c.duration) << c.line;
    EXPECT_EQ(page->episode.notes_text, "Some notes.") << c.line;
    EXPECT_TRUE(page->warnings.empty()) << c.line;
  }
}

TEST(TextPage, SubtitleBeforeOrAfterTheDateLine) {
  auto before = parse_text_page("p.txt", "Title\nA short subtitle\n2025-05-01 69 min\nNotes.\n");
  PODCASTD_ASSERT_OK(before);
  EXPECT_EQ(before->episode.subtitle, "A short subtitle");
  EXPECT_EQ(before->episode.date, day(2025, 5, 1));

  auto after = parse_text_page("p.txt", "Title\n\n2025-05-01\n\nA short subtitle\n\nNotes.\n");
  PODCASTD_ASSERT_OK(after);
  EXPECT_EQ(after->episode.subtitle, "A short subtitle");
  EXPECT_EQ(after->episode.notes_text, "Notes.");

  // A sentence, a long line, a heading or a list item is not a subtitle.
  for (std::string_view second : {"The first paragraph ends here.", "Links", "- an item"}) {
    auto page = parse_text_page("p.txt", "Title\n" + std::string(second) + "\nMore.\n");
    PODCASTD_ASSERT_OK(page);
    EXPECT_EQ(page->episode.subtitle, "") << second;
  }
  auto long_line = parse_text_page("p.txt", "Title\n" + std::string(200, 'a') + "\n");
  PODCASTD_ASSERT_OK(long_line);
  EXPECT_EQ(long_line->episode.subtitle, "");
}

TEST(TextPage, UnparseableDateLineIsAWarning) {
  auto page = parse_text_page("p.txt", "Title\n2025-13-45 69 min\nNotes.\n");
  PODCASTD_ASSERT_OK(page);
  EXPECT_EQ(page->episode.date, std::nullopt);
  EXPECT_EQ(page->episode.notes_text, "Notes.");
  ASSERT_EQ(page->warnings.size(), 1u);
  EXPECT_EQ(page->warnings[0], (Diagnostic{Diagnostic::Severity::warning, "p.txt", 2,
                                           "unparsable date line '2025-13-45 69 min'"}));

  auto duration = parse_text_page("p.txt", "Title\n\n2025-05-01 sixty minutes\nNotes.\n");
  PODCASTD_ASSERT_OK(duration);
  EXPECT_EQ(duration->episode.date, day(2025, 5, 1));
  EXPECT_EQ(duration->episode.declared_duration, std::nullopt);
  ASSERT_EQ(duration->warnings.size(), 1u);
  EXPECT_EQ(duration->warnings[0].to_string(),
            "warning: p.txt:3: unparsable duration 'sixty minutes'");
}

TEST(TextPage, ByteOrderMarkAndCrlfAreIgnored) {
  auto page = parse_text_page("p.txt", "\xEF\xBB\xBFTitle\r\n2025-05-01 20 min\r\nNotes.\r\n");
  PODCASTD_ASSERT_OK(page);
  EXPECT_EQ(page->episode.title, "Title");
  EXPECT_EQ(page->episode.declared_duration, 1200);
  EXPECT_EQ(page->episode.notes_html, "<p>Notes.</p>");
}

// ---- headings and notes ----

TEST(TextPage, HeadingHeuristic) {
  struct Case {
    std::string line;
    bool heading;
  };
  const Case cases[] = {
      {"About Us", true},
      {"All Episodes of Season 4", true},
      {"Proudly Supported by CodeCrafters", true},
      {"Credits:", true},
      {"Official Links", true},
      {"Happy Holidays", true},
      {"Thanks for listening", false},
      {"Start for free today.", false},
      {"Visit https://example.com", false},
      {"Episode 1: Microsoft", false},
      {"Is This a Question?", false},
      {"the lowercase start", false},
      {"Rust - The Good Parts", false},
      {"A Very Long Line With Far Too Many Capitalised Words To Be A Heading", false},
  };
  for (const Case& c : cases) {
    auto page = parse_text_page("p.txt", "Title\n\nIntro paragraph.\n" + c.line + "\nBody text.\n");
    PODCASTD_ASSERT_OK(page);
    std::string shown = c.line;
    if (shown.back() == ':') {
      shown.pop_back();
    }
    bool is_heading = page->episode.notes_html.find("<h3>" + shown + "</h3>") != std::string::npos;
    EXPECT_EQ(is_heading, c.heading) << c.line << "\n" << page->episode.notes_html;
  }
}

TEST(TextPage, NotesHtmlIsStructuredEscapedAndDeduplicated) {
  auto page = parse_fixture("links-and-chapters.txt");
  PODCASTD_ASSERT_OK(page);
  const Episode& e = page->episode;
  EXPECT_EQ(e.notes_html,
            "<p>Jane and John maintain an open-source log shipper that moves a few terabytes a "
            "day.</p>\n"
            "<p>We talk about zero-copy parsing, back-pressure &amp; why they stopped using "
            "threads for everything.</p>\n"
            "<h3>Links</h3>\n"
            "<ul><li><a href=\"https://example.org/parser\">Example Parser</a></li>"
            "<li>Back-pressure explained - A short essay about flow control</li>"
            "<li><a href=\"https://example.com/shipper\">Log Shipper</a></li>"
            "<li><a href=\"https://example.net/bench\">Bench Suite</a></li>"
            "<li><a href=\"https://example.org/fuzz\">Fuzzing Notes</a> - How they fuzz the "
            "decoder</li>"
            "<li><a href=\"https://example.com/zero-copy\">Zero Copy Guide</a></li>"
            "<li>Ring Buffers</li></ul>\n"
            "<h3>About Jane Doe</h3>\n"
            "<p>Jane writes parsers for a living and teaches a weekend course on compilers.</p>\n"
            "<h3>About Acme Logs</h3>\n"
            "<p>Acme Logs builds the hosted version of the shipper.</p>\n"
            "<h3>Credits</h3>\n"
            "<p>Edited by Sam Poe. Music by &lt;The Example Band&gt;.</p>");
  EXPECT_EQ(
      e.notes_text,
      "Jane and John maintain an open-source log shipper that moves a few terabytes a day.\n\n"
      "We talk about zero-copy parsing, back-pressure & why they stopped using threads for "
      "everything.\n\n"
      "Links\n\n"
      "- Example Parser - https://example.org/parser\n"
      "- Back-pressure explained - A short essay about flow control\n"
      "- Log Shipper: https://example.com/shipper\n"
      "Bench Suite: https://example.net/bench\n"
      "- [Fuzzing Notes](https://example.org/fuzz) - How they fuzz the decoder\n"
      "- Zero Copy Guide (https://example.com/zero-copy)\n"
      "- Ring Buffers\n\n"
      "About Jane Doe\n\n"
      "Jane writes parsers for a living and teaches a weekend course on compilers.\n\n"
      "About Acme Logs\n\n"
      "Acme Logs builds the hosted version of the shipper.\n\n"
      "Credits\n\n"
      "Edited by Sam Poe. Music by <The Example Band>.");
  // The description part only (no headings, lists or later sections).
  EXPECT_EQ(
      e.summary,
      "Jane and John maintain an open-source log shipper that moves a few terabytes a day.\n\n"
      "We talk about zero-copy parsing, back-pressure & why they stopped using threads for "
      "everything.");
}

TEST(TextPage, HeaderOfFixturePage) {
  auto page = parse_fixture("links-and-chapters.txt");
  PODCASTD_ASSERT_OK(page);
  const Episode& e = page->episode;
  EXPECT_EQ(page->kind, TextPage::Kind::episode);
  EXPECT_EQ(e.title, "Parsing at Scale with Jane Doe & John Roe");
  EXPECT_EQ(e.subtitle, "How a tiny team rewrote their log pipeline");
  EXPECT_EQ(e.date, day(2024, 3, 12));
  EXPECT_EQ(e.declared_duration, 3900);
  ASSERT_EQ(e.persons.size(), 2u);
  EXPECT_EQ(e.persons[0].name, "Jane Doe");
  EXPECT_EQ(e.persons[0].role, "guest");
  EXPECT_EQ(e.persons[0].bio,
            "Jane writes parsers for a living and teaches a weekend course on compilers.");
  EXPECT_EQ(e.persons[1].name, "John Roe");
  EXPECT_EQ(e.persons[1].role, "guest");
  EXPECT_EQ(e.persons[1].bio, "");
  EXPECT_TRUE(e.transcripts.empty());
  EXPECT_TRUE(e.speaker_timeline.empty());
}

TEST(TextPage, LinksFromListLines) {
  auto page = parse_fixture("links-and-chapters.txt");
  PODCASTD_ASSERT_OK(page);
  const std::vector<Link> expected = {
      {"Example Parser", "https://example.org/parser", ""},
      {"Back-pressure explained", "", "A short essay about flow control"},
      {"Log Shipper", "https://example.com/shipper", ""},
      {"Bench Suite", "https://example.net/bench", ""},
      {"Fuzzing Notes", "https://example.org/fuzz", "How they fuzz the decoder"},
      {"Zero Copy Guide", "https://example.com/zero-copy", ""},
      {"Ring Buffers", "", ""},
  };
  EXPECT_EQ(page->episode.links, expected);
}

TEST(TextPage, LinkLineForms) {
  struct Case {
    std::string line;
    Link link;
  };
  const Case cases[] = {
      {"- Title - description", {"Title", "", "description"}},
      {"- Title", {"Title", "", ""}},
      {"- Title - https://example.org/a", {"Title", "https://example.org/a", ""}},
      {"- Title: https://example.org/a", {"Title", "https://example.org/a", ""}},
      {"Title: https://example.org/a.", {"Title", "https://example.org/a", ""}},
      {"- Go Spec: Exported Names - How to export",
       {"Go Spec: Exported Names", "", "How to export"}},
      {"- serde-json - Fast JSON", {"serde-json", "", "Fast JSON"}},
      {"* Wiki (https://en.example.org/wiki/Rust_(language))",
       {"Wiki", "https://en.example.org/wiki/Rust_(language)", ""}},
      {"\xE2\x80\xA2 Title \xE2\x80\x93 desc https://example.org/x",
       {"Title", "https://example.org/x", "desc"}},
      {"https://example.org/bare", {"https://example.org/bare", "https://example.org/bare", ""}},
  };
  for (const Case& c : cases) {
    auto page = parse_text_page("p.txt", "Title\n\nLinks\n" + c.line + "\n");
    PODCASTD_ASSERT_OK(page);
    ASSERT_EQ(page->episode.links.size(), 1u) << c.line;
    EXPECT_EQ(page->episode.links[0], c.link) << c.line;
  }
  // Outside link sections only lines with a URL are links; other items stay list notes.
  auto page = parse_text_page(
      "p.txt", "Title\n\nAbout Us\n- Jane on Mastodon\n- Blog - https://example.org\n");
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->episode.links.size(), 1u);
  EXPECT_EQ(page->episode.links[0], (Link{"Blog", "https://example.org", ""}));
  EXPECT_NE(page->episode.notes_html.find("<li>Jane on Mastodon</li>"), std::string::npos);
}

TEST(TextPage, ChaptersSortedWithOutOfOrderWarning) {
  auto page = parse_fixture("links-and-chapters.txt");
  PODCASTD_ASSERT_OK(page);
  const std::vector<Chapter>& ch = page->episode.chapters;
  ASSERT_EQ(ch.size(), 5u);
  const std::vector<std::pair<double, std::string>> expected = {
      {0, "Welcome"},
      {150, "How the pipeline started"},
      {480, "A detour into back-pressure"},
      {605, "Zero-copy parsing"},
      {760, "Wrapping up"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(ch[i].start, expected[i].first) << i;
    EXPECT_EQ(ch[i].title, expected[i].second) << i;
    EXPECT_EQ(ch[i].end, std::nullopt) << i;
  }
  EXPECT_EQ(ch[4].url, "https://example.org/wrap");
  // Chapters are not notes.
  EXPECT_EQ(page->episode.notes_text.find("Welcome"), std::string::npos);
  ASSERT_EQ(page->warnings.size(), 1u);
  EXPECT_EQ(page->warnings[0].to_string(),
            "warning: pages/links-and-chapters.txt:13: chapter 'A detour into back-pressure' at "
            "00:08:00 is out of order (after 00:10:05)");
}

TEST(TextPage, NonChapterLineUnderChaptersIsAWarning) {
  auto page = parse_text_page("p.txt", "Title\nChapters\n0:00 Intro\nsee the notes\n01:00 End\n");
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->episode.chapters.size(), 2u);
  EXPECT_EQ(page->episode.chapters[1].start, 60);
  ASSERT_EQ(page->warnings.size(), 1u);
  EXPECT_EQ(page->warnings[0].line, 4);
  EXPECT_EQ(page->warnings[0].severity, Diagnostic::Severity::warning);
}

TEST(TextPage, GuestsFromTitle) {
  struct Case {
    std::string title;
    std::vector<std::string> guests;
  };
  const Case cases[] = {
      {"Svix with Tom Hacohen", {"Tom Hacohen"}},
      {"Rust for Linux with Alice Example and Greg Sample-Person",
       {"Alice Example", "Greg Sample-Person"}},
      {"Cloudflare with Ed Wang & Kay Guth", {"Ed Wang", "Kay Guth"}},
      {"Panel with Ann Lee, Bo Chen and Cy Diaz", {"Ann Lee", "Bo Chen", "Cy Diaz"}},
      {"Webhooks with Tom Hacohen (Svix)", {"Tom Hacohen"}},
      {"Music with Ludwig van Beethoven", {"Ludwig van Beethoven"}},
      {"Datenbanken mit Max Beispiel", {"Max Beispiel"}},
      {"Coffee with Friends", {}},
      {"Talking Rust with the Tokio Team", {}},
      {"Try Rust With Your Own Hands", {}},
      {"Season 4 Finale", {}},
  };
  for (const Case& c : cases) {
    auto page = parse_text_page("p.txt", c.title + "\n\nNotes.\n");
    PODCASTD_ASSERT_OK(page);
    EXPECT_EQ(names(page->episode.persons), c.guests) << c.title;
    for (const Person& p : page->episode.persons) {
      EXPECT_EQ(p.role, "guest");
    }
  }
}

// ---- transcripts ----

TEST(TextPage, QaInterviewTurns) {
  auto page = parse_fixture("interview-qa.txt");
  PODCASTD_ASSERT_OK(page);
  const Episode& e = page->episode;
  EXPECT_EQ(e.title, "Safe Systems Without Tears with Mara Example");
  EXPECT_EQ(e.subtitle, "On teaching ownership to teams that ship every day");
  ASSERT_EQ(e.transcripts.size(), 1u);
  const Transcript& t = e.transcripts[0];
  EXPECT_EQ(t.format, TranscriptFormat::notes);
  EXPECT_EQ(t.source, "pages/interview-qa.txt");
  EXPECT_FALSE(t.timed());
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Interviewer", "How do you start when a team has never used the language?"},
      {"Mara Example",
       "I start with a tool they already need, something small and boring. Nobody gets excited "
       "about a log formatter, and that is exactly the point."},
      {"Interviewer", "What about code review?"},
      {"Mara Example",
       "Review is where people learn the most. Pair the newcomers with one experienced "
       "reviewer."},
      {"Audience", "Is it ever too late to switch?"},
      {"Mara Example", "It is never too late, but it is sometimes too expensive."},
      {"Interviewer", "Last question: what would you tell your younger self?"},
      {"Mara Example", "Read the compiler errors slowly."},
  };
  ASSERT_EQ(t.segments.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(t.segments[i].speaker, expected[i].first) << i;
    EXPECT_EQ(t.segments[i].body, expected[i].second) << i;
    EXPECT_EQ(t.segments[i].start, std::nullopt);
  }
  // The intro stays in the notes; the closing blurb becomes the bio and a final paragraph.
  EXPECT_EQ(e.summary,
            "Mara Example has taught systems programming to more than forty teams. She joined us "
            "to talk about onboarding, code review and the cost of rewrites.\n\n"
            "The conversation below was edited for length.");
  EXPECT_EQ(e.notes_text, e.summary +
                              "\n\nMara Example is a consultant and the author of a book on "
                              "ownership patterns.");
  ASSERT_EQ(e.persons.size(), 1u);
  EXPECT_EQ(e.persons[0].bio,
            "Mara Example is a consultant and the author of a book on ownership patterns.");
}

TEST(TextPage, SpeakerTurnsWithArtefactsAndAHeadingAfterTheTranscript) {
  auto page = parse_fixture("turns.txt");
  PODCASTD_ASSERT_OK(page);
  const Episode& e = page->episode;
  EXPECT_EQ(e.date, day(2022, 12, 20));
  EXPECT_EQ(e.declared_duration, std::nullopt);
  ASSERT_EQ(e.transcripts.size(), 1u);
  const std::vector<TranscriptSegment> expected = {
      {"Anna", std::nullopt, std::nullopt, "Hello and welcome to the last episode of the season."},
      {"Ben Carter", std::nullopt, std::nullopt, "Thanks, Anna. It was a long year"},
      {"Anna", std::nullopt, std::nullopt, "and a good one."},
      {"Ben Carter", std::nullopt, std::nullopt, "Agreed. Note: this line stays in Ben's turn"},
      // Transcript lines are never deduplicated.
      {"Anna", std::nullopt, std::nullopt, "Agreed."},
  };
  EXPECT_EQ(e.transcripts[0].segments, expected);
  EXPECT_EQ(e.notes_html, "<h3>Credits</h3>\n<p>Produced by Anna Smith.</p>");
  EXPECT_EQ(e.summary, "");
}

TEST(TextPage, UntimedTranscriptWithoutSpeakersAndTimeline) {
  auto page = parse_fixture("timeline.txt");
  PODCASTD_ASSERT_OK(page);
  const Episode& e = page->episode;
  EXPECT_EQ(e.date, day(2023, 11, 2));
  EXPECT_EQ(e.declared_duration, 2520);
  const std::vector<SpeakerTurn> timeline = {{"Ola", 12}, {"Host", 40}, {"Ola", 65}};
  EXPECT_EQ(e.speaker_timeline, timeline);
  ASSERT_EQ(e.transcripts.size(), 1u);
  std::vector<std::string> bodies;
  for (const TranscriptSegment& s : e.transcripts[0].segments) {
    EXPECT_EQ(s.speaker, "");
    bodies.push_back(s.body);
  }
  const std::vector<std::string> expected = {
      "Welcome to the show, today we talk about queues and why they are harder than they look.",
      "Thanks for having me.",
      "so the first thing i learned was that retries need limits otherwise one bad message keeps "
      "the workers busy forever and nobody notices until the bill arrives.",
      "Thanks for having me.",
      "That is a great point",
  };
  EXPECT_EQ(bodies, expected);
  EXPECT_EQ(e.notes_html, "<p>A practical look at job queues.</p>");
  EXPECT_TRUE(page->warnings.empty());
}

TEST(TextPage, LongUnlabelledTranscriptIsChunked) {
  std::string text = "Title\nTranscript\n";
  for (int i = 0; i < 200; ++i) {
    text += "words without any sentence end keep going\n";
  }
  auto page = parse_text_page("p.txt", text);
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->episode.transcripts.size(), 1u);
  const auto& segments = page->episode.transcripts[0].segments;
  EXPECT_GT(segments.size(), 5u);
  for (const TranscriptSegment& s : segments) {
    EXPECT_LE(s.body.size(), 1100u);
  }
}

TEST(TextPage, TimelineGoingBackwardsIsAWarning) {
  auto page =
      parse_text_page("p.txt", "Title\nTranscript\nHello.\nAnna\n00:01:00\nBen\n00:00:30\n");
  PODCASTD_ASSERT_OK(page);
  EXPECT_EQ(page->episode.speaker_timeline.size(), 2u);
  ASSERT_EQ(page->warnings.size(), 1u);
  EXPECT_EQ(page->warnings[0].to_string(),
            "warning: p.txt:7: speaker timeline goes backwards (00:00:30 after 00:01:00)");
  // One pair alone is not a timeline.
  auto single = parse_text_page("p.txt", "Title\nTranscript\nHello.\nAnna\n00:01:00\n");
  PODCASTD_ASSERT_OK(single);
  EXPECT_TRUE(single->episode.speaker_timeline.empty());
  // The title line never belongs to a timeline.
  auto titled = parse_text_page("p.txt", "Anna\n00:01:00\nBen\n00:02:00\nCy\n00:03:00\n");
  PODCASTD_ASSERT_OK(titled);
  EXPECT_EQ(titled->episode.title, "Anna");
  EXPECT_EQ(titled->episode.speaker_timeline,
            (std::vector<SpeakerTurn>{{"Ben", 120}, {"Cy", 180}}));
}

TEST(TextPage, TranscriptPointerIsNotATranscript) {
  auto page = parse_fixture("transcript-pointer.txt");
  PODCASTD_ASSERT_OK(page);
  const Episode& e = page->episode;
  EXPECT_TRUE(e.transcripts.empty());
  EXPECT_EQ(e.date, std::nullopt);
  EXPECT_EQ(e.notes_text.find("Transcript"), std::string::npos);
  EXPECT_EQ(e.summary,
            "Priya Sample is a performance engineer who has spent a decade chasing tail latency."
            "\n\n"
            "In this episode we talk about tracing, sampling and the joy of flame graphs.");
  EXPECT_EQ(html_section(e.notes_html, "Sponsors"),
            "<h3>Sponsors</h3>\n<p>Example Cloud gives listeners a free month of hosted "
            "tracing.</p>\n<p>Example Books has a new title on observability.</p>");
  ASSERT_EQ(e.persons.size(), 1u);
  EXPECT_EQ(e.persons[0].bio,
            "Priya Sample is a performance engineer who has spent a decade chasing tail latency.");
}

// ---- show pages ----

TEST(TextPage, GermanShowPage) {
  auto page = parse_fixture("show-de.txt");
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->kind, TextPage::Kind::show);
  const Show& s = page->show;
  EXPECT_EQ(s.title,
            "Rostfreie Gespr\xC3\xA4"
            "che");
  EXPECT_EQ(s.author, "Erika Mustermann");
  EXPECT_EQ(s.language, "de");
  EXPECT_EQ(s.categories, (std::vector<std::string>{"Technologie", "Bildung"}));
  EXPECT_EQ(s.link, "https://example.de/podcast");
  EXPECT_EQ(s.description,
            "Ein Podcast \xC3\xBC"
            "ber Software, die lange h\xC3\xA4lt.");
  ASSERT_EQ(page->listed.size(), 2u);
  const Episode& a = page->listed[0];
  EXPECT_EQ(a.title, "Datenbanken mit Max Beispiel");
  EXPECT_EQ(a.date, day(2025, 2, 3));
  EXPECT_EQ(a.declared_duration, 3900);
  EXPECT_EQ(names(a.persons), std::vector<std::string>{"Max Beispiel"});
  // Glued sentences become paragraphs.
  EXPECT_EQ(a.notes_text,
            "Max erkl\xC3\xA4rt, wie man Indizes plant.\n\nDanach sprechen wir \xC3\xBC"
            "ber "
            "Backups.");
  EXPECT_EQ(a.notes_html,
            "<p>Max erkl\xC3\xA4rt, wie man Indizes plant.</p>\n<p>Danach sprechen wir "
            "\xC3\xBC"
            "ber Backups.</p>");
  const Episode& b = page->listed[1];
  EXPECT_EQ(b.title, "Kurzfolge");
  EXPECT_EQ(b.date, day(2025, 1, 20));
  EXPECT_EQ(b.declared_duration, 1740);
  EXPECT_TRUE(b.persons.empty());
  // "Node.js" and ".NET" are not sentence ends.
  EXPECT_EQ(b.notes_text,
            "Eine kurze Folge \xC3\xBC"
            "ber Node.js und .NET im Vergleich.");
  EXPECT_TRUE(page->warnings.empty());
}

TEST(TextPage, FrenchShowPage) {
  auto page = parse_fixture("show-fr.txt");
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->kind, TextPage::Kind::show);
  const Show& s = page->show;
  EXPECT_EQ(s.title, "Le Caf\xC3\xA9 du Code");
  EXPECT_EQ(s.author, "Jeanne Dupont");
  EXPECT_EQ(s.language, "fr");
  EXPECT_EQ(s.categories, (std::vector<std::string>{"Technologie",
                                                    "\xC3\x89"
                                                    "ducation"}));
  EXPECT_EQ(s.link, "");
  ASSERT_EQ(page->listed.size(), 2u);
  EXPECT_EQ(page->listed[0].title, "Les tests avec Paul Martin et Lucie Durand");
  EXPECT_EQ(page->listed[0].date, day(2024, 6, 14));
  EXPECT_EQ(page->listed[0].declared_duration, 2880);
  EXPECT_EQ(names(page->listed[0].persons),
            (std::vector<std::string>{"Paul Martin", "Lucie Durand"}));
  EXPECT_EQ(page->listed[1].title, "Hors-s\xC3\xA9rie");
  EXPECT_EQ(page->listed[1].declared_duration, 3600);
  EXPECT_EQ(page->listed[1].notes_text,
            "Un \xC3\xA9pisode sp\xC3\xA9"
            "cial enregistr\xC3\xA9 en public!\n\nMerci \xC3\xA0 "
            "tous.");
}

TEST(TextPage, ShowPageLabelsInOtherLanguages) {
  struct Case {
    std::string labels;
    std::string language;
    std::vector<std::string> categories;
  };
  const Case cases[] = {
      {"Country United States\nGenres Technology\nLanguage en-US\nEpisodes 3\n",
       "en-us",
       {"Technology"}},
      {"\xC8\x9A"
       "ara Rom\xC3\xA2nia\nGenuri Education, Technology\nLimba EN\n",
       "en",
       {"Education", "Technology"}},
      {"Pa\xC3\xADs Espa\xC3\xB1"
       "a\nG\xC3\xA9neros Tecnolog\xC3\xAD"
       "a\nIdioma Espa\xC3\xB1ol\n"
       "\xC3\x9Altimo 01/02/2024\n",
       "es",
       {"Tecnolog\xC3\xAD"
        "a"}},
      {"Land \xC3\x96sterreich\nKategorien Kunst; Musik\nSprache: DE\n", "de", {"Kunst", "Musik"}},
  };
  for (const Case& c : cases) {
    auto page =
        parse_text_page("p.txt", "Some Show\n" + c.labels + "\nThe show is about things.\n");
    PODCASTD_ASSERT_OK(page);
    ASSERT_EQ(page->kind, TextPage::Kind::show) << c.labels;
    EXPECT_EQ(page->show.language, c.language) << c.labels;
    EXPECT_EQ(page->show.categories, c.categories) << c.labels;
    EXPECT_EQ(page->show.description, "The show is about things.") << c.labels;
    EXPECT_TRUE(page->listed.empty());
  }
}

TEST(TextPage, ListingAloneMakesAShowPageUnlessTheHeaderHasADate) {
  const std::string listing =
      "\xE2\x80\xA2 First 01.02.2024 30min\n  One.\n\xE2\x80\xA2 Second 08.02.2024 1h\n  Two.\n";
  auto show = parse_text_page("p.txt", "My Show\n\n" + listing);
  PODCASTD_ASSERT_OK(show);
  EXPECT_EQ(show->kind, TextPage::Kind::show);
  ASSERT_EQ(show->listed.size(), 2u);
  EXPECT_EQ(show->listed[1].notes_text, "Two.");

  auto episode = parse_text_page("p.txt", "My Episode\n2024-03-01 20 min\n" + listing);
  PODCASTD_ASSERT_OK(episode);
  EXPECT_EQ(episode->kind, TextPage::Kind::episode);
}

TEST(TextPage, LargePageParsesInLinearTime) {
  // 40k paragraphs, half of them repeats, and a 40k-line transcript: a quadratic step would
  // take minutes here.
  std::string text = "Big Page\n2024-01-01 1h\n";
  for (int i = 0; i < 40000; ++i) {
    text += "Paragraph number " + std::to_string(i % 20000) + " says something.\n";
  }
  text += "Transcript\n";
  for (int i = 0; i < 40000; ++i) {
    text += (i % 10 == 0) ? "Anna: a new turn starts here\n" : "and it goes on for a while\n";
  }
  auto start = std::chrono::steady_clock::now();
  auto page = parse_text_page("p.txt", text);
  auto elapsed = std::chrono::steady_clock::now() - start;
  PODCASTD_ASSERT_OK(page);
  EXPECT_EQ(count(page->episode.notes_html, "<p>"), 20000u);
  ASSERT_EQ(page->episode.transcripts.size(), 1u);
  EXPECT_EQ(page->episode.transcripts[0].segments.size(), 4000u);
  EXPECT_LT(elapsed, std::chrono::seconds(20));
}

// ---- the real sample pages (../shared/samples) ----

TEST(TextPageSamples, RipSeason4Finale) {
  PODCASTD_REQUIRE_SAMPLES(dir);
  auto page = parse_sample(dir, "rip-season-4-finale.txt");
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->kind, TextPage::Kind::episode);
  const Episode& e = page->episode;
  EXPECT_EQ(e.title, "Season 4 Finale");
  EXPECT_EQ(e.subtitle, "");
  EXPECT_EQ(e.date, day(2025, 7, 24));
  EXPECT_EQ(e.declared_duration, 1200);
  EXPECT_TRUE(e.persons.empty());
  EXPECT_TRUE(page->warnings.empty());

  // Each description paragraph exactly once, though the page repeats several.
  for (std::string_view snippet :
       {"another recap including our highlights", "four seasons, and 32 episodes",
        "foundational software, which is", "thank the guests for their time",
        "take a break for the summer", "dedicated learn page"}) {
    EXPECT_EQ(count(e.notes_text, snippet), 1u) << snippet;
    EXPECT_EQ(count(e.notes_html, snippet), 1u) << snippet;
    EXPECT_EQ(count(e.summary, snippet), 1u) << snippet;
  }
  EXPECT_EQ(count(e.summary, "\n\n"), 5u);  // six description paragraphs

  // Links From The Episode: the only Episode::links (list items elsewhere have no URL).
  const std::vector<Link> links = {
      {"10 Years of Stable Rust: An Infrastructure Story", "",
       "Graydon Hoare\xE2\x80\x99s reflection on Rust\xE2\x80\x99s 10th anniversary"},
      {"Rust For Foundational Software", "",
       "Matthias\xE2\x80\x99 blog post on Rust\xE2\x80\x99s role in foundational software"}};
  EXPECT_EQ(e.links, links);
  // "About Us" and "All Episodes of Season 4" entries are list notes.
  std::string about_us = html_section(e.notes_html, "About Us");
  EXPECT_EQ(count(about_us, "<li>"), 6u);
  std::string season = html_section(e.notes_html, "All Episodes of Season 4");
  EXPECT_EQ(count(season, "<li>"), 7u);
  EXPECT_EQ(count(season, "<p>"), 1u);
  std::string credits = html_section(e.notes_html, "Credits");
  EXPECT_TRUE(starts_with(credits, "<h3>Credits</h3>\n<p>Podcast production by")) << credits;
  EXPECT_EQ(count(credits, "<p>"), 1u);  // the repeated thank-you paragraph is gone
  EXPECT_EQ(e.notes_html.find("<h3>Transcript</h3>"), std::string::npos);
  EXPECT_EQ(e.notes_text.find("Another season done"), std::string::npos);

  ASSERT_EQ(e.transcripts.size(), 1u);
  const Transcript& t = e.transcripts[0];
  EXPECT_EQ(t.format, TranscriptFormat::notes);
  EXPECT_EQ(t.source, "rip-season-4-finale.txt");
  ASSERT_EQ(t.segments.size(), 45u);
  EXPECT_EQ(t.segments[0].speaker, "Matthias");
  EXPECT_TRUE(starts_with(t.segments[0].body, "Another season done. I truly"))
      << t.segments[0].body;
  std::set<std::string> speakers;
  for (const TranscriptSegment& s : t.segments) {
    speakers.insert(s.speaker);
    EXPECT_EQ(s.start, std::nullopt);
    EXPECT_EQ(s.body.find('\n'), std::string::npos);  // caption lines join with spaces
  }
  EXPECT_EQ(speakers, (std::set<std::string>{"Matthias", "Niko", "Charlie", "Andrew", "Victor",
                                             "Adam", "Tom", "Vegard"}));
  // Turn labels after stray punctuation are turns.
  EXPECT_TRUE(std::any_of(t.segments.begin(), t.segments.end(), [](const TranscriptSegment& s) {
    return s.speaker == "Matthias" && starts_with(s.body, "and Ru lets you");
  }));
  EXPECT_TRUE(std::any_of(t.segments.begin(), t.segments.end(), [](const TranscriptSegment& s) {
    return s.speaker == "Matthias" && starts_with(s.body, "I don't want to dwell");
  }));
  EXPECT_TRUE(e.speaker_timeline.empty());
  EXPECT_TRUE(e.chapters.empty());
}

TEST(TextPageSamples, RipSvixWithTomHacohen) {
  PODCASTD_REQUIRE_SAMPLES(dir);
  auto page = parse_sample(dir, "rip-svix-with-tom-hacohen.txt");
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->kind, TextPage::Kind::episode);
  const Episode& e = page->episode;
  EXPECT_EQ(e.title, "Svix with Tom Hacohen");
  EXPECT_EQ(e.subtitle, "About reliable webhooks at scale with Rust");
  EXPECT_EQ(e.date, day(2025, 5, 1));
  EXPECT_EQ(e.declared_duration, 4140);
  EXPECT_TRUE(page->warnings.empty());

  ASSERT_EQ(e.persons.size(), 1u);
  EXPECT_EQ(e.persons[0].name, "Tom Hacohen");
  EXPECT_EQ(e.persons[0].role, "guest");
  EXPECT_TRUE(starts_with(e.persons[0].bio, "Tom is an entrepreneur")) << e.persons[0].bio;
  EXPECT_EQ(e.persons[0].bio.find('\n'), std::string::npos);

  EXPECT_EQ(count(e.notes_html, "<h3>About Svix</h3>"), 1u);
  EXPECT_EQ(count(e.notes_html, "<h3>About Tom Hacohen</h3>"), 1u);  // bio stays in the notes
  EXPECT_EQ(count(e.notes_html, "<h3>Proudly Supported by CodeCrafters</h3>"), 1u);
  EXPECT_EQ(count(e.notes_text, "Proudly Supported by CodeCrafters"), 1u);
  EXPECT_EQ(e.notes_html.find("Official Links"), std::string::npos);  // empty section
  EXPECT_EQ(count(e.summary, "\n\n"), 1u);

  ASSERT_EQ(e.links.size(), 16u);
  EXPECT_EQ(e.links[0], (Link{"Microsoft IIS", "", "Microsoft's HTTP server"}));
  EXPECT_EQ(e.links[2], (Link{"Go Spec: Exported Identifiers", "",
                              "How to mark interface functions as public"}));
  EXPECT_EQ(e.links[15].title, "Svix Blog: Robust APIs Through OpenAPI Generation");
  for (const Link& l : e.links) {
    EXPECT_EQ(l.url, "") << l.title;
    EXPECT_FALSE(l.description.empty()) << l.title;
  }

  ASSERT_EQ(e.transcripts.size(), 1u);
  const Transcript& t = e.transcripts[0];
  EXPECT_EQ(t.format, TranscriptFormat::notes);
  EXPECT_GT(t.segments.size(), 100u);
  EXPECT_TRUE(starts_with(t.segments.front().body, "It's Rust in Production, a podcast"));
  EXPECT_TRUE(t.segments.back().body.find("Thanks for listening to Rust in Production.") !=
              std::string::npos)
      << t.segments.back().body;
  for (const TranscriptSegment& s : t.segments) {
    EXPECT_EQ(s.speaker, "");
    EXPECT_EQ(s.body.find("00:0"), std::string::npos) << s.body;
    EXPECT_LE(s.body.size(), 1200u);
  }
  EXPECT_EQ(e.notes_text.find("It's Rust in Production, a podcast"), std::string::npos);

  const std::vector<SpeakerTurn>& tl = e.speaker_timeline;
  ASSERT_EQ(tl.size(), 112u);
  EXPECT_EQ(tl.front(), (SpeakerTurn{"Tom", 27}));
  EXPECT_EQ(tl.back(), (SpeakerTurn{"Matthias", 4119}));
  for (std::size_t i = 0; i < tl.size(); ++i) {
    EXPECT_EQ(tl[i].speaker, i % 2 == 0 ? "Tom" : "Matthias") << i;
    if (i > 0) {
      EXPECT_GE(tl[i].start, tl[i - 1].start) << i;
    }
  }
}

TEST(TextPageSamples, RipShowPage) {
  PODCASTD_REQUIRE_SAMPLES(dir);
  auto page = parse_sample(dir, "rip-show-page.txt");
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->kind, TextPage::Kind::show);
  const Show& s = page->show;
  EXPECT_EQ(s.title, "Rust in Production");
  EXPECT_EQ(s.author, "Matthias Endler");
  EXPECT_EQ(s.language, "en");
  EXPECT_EQ(s.categories, (std::vector<std::string>{"Education", "Technology"}));
  EXPECT_EQ(s.link, "");
  EXPECT_TRUE(starts_with(s.description, "This is \"Rust in Production\", a podcast about"))
      << s.description;
  EXPECT_EQ(s.description.find('\n'), std::string::npos);
  EXPECT_TRUE(page->warnings.empty());

  const std::vector<Episode>& l = page->listed;
  ASSERT_EQ(l.size(), 20u);
  EXPECT_EQ(l[0].title, "Rust for Linux with Alice Ryhl and Greg Kroah-Hartman");
  EXPECT_EQ(l[0].date, day(2026, 5, 21));
  EXPECT_EQ(l[0].declared_duration, 2940);
  EXPECT_EQ(names(l[0].persons), (std::vector<std::string>{"Alice Ryhl", "Greg Kroah-Hartman"}));
  EXPECT_EQ(l[0].persons[0].role, "guest");
  auto find = [&](std::string_view title) -> const Episode* {
    auto it = std::find_if(l.begin(), l.end(), [&](const Episode& e) { return e.title == title; });
    return it == l.end() ? nullptr : &*it;
  };
  const Episode* nlnet = find("NLnet Labs with Arya Khanna and Martin Hoffmann");
  ASSERT_NE(nlnet, nullptr);
  EXPECT_EQ(nlnet->declared_duration, 4860);
  const Episode* r4l = find("Rust4Linux with Danilo Krummrich");
  ASSERT_NE(r4l, nullptr);
  EXPECT_EQ(r4l->declared_duration, 3600);
  EXPECT_EQ(names(r4l->persons), std::vector<std::string>{"Danilo Krummrich"});
  const Episode* cf = find("Cloudflare with Edward Wang & Kevin Guthrie");
  ASSERT_NE(cf, nullptr);
  EXPECT_EQ(names(cf->persons), (std::vector<std::string>{"Edward Wang", "Kevin Guthrie"}));
  // "...edge locations.In this episode" is two paragraphs.
  EXPECT_NE(cf->notes_text.find("locations.\n\n"
                                "In this episode"),
            std::string::npos);
  const Episode* finale = find("Season 4 Finale");
  ASSERT_NE(finale, nullptr);
  EXPECT_EQ(finale->date, day(2025, 7, 24));
  EXPECT_EQ(finale->declared_duration, 1140);
  EXPECT_TRUE(finale->persons.empty());
  EXPECT_EQ(l.back().title, "Svix with Tom Hacohen");
  EXPECT_EQ(l.back().date, day(2025, 5, 1));
  EXPECT_EQ(l.back().declared_duration, 4140);
  EXPECT_EQ(names(l.back().persons), std::vector<std::string>{"Tom Hacohen"});
  for (const Episode& e : l) {
    EXPECT_TRUE(e.date.has_value()) << e.title;
    EXPECT_TRUE(e.declared_duration.has_value()) << e.title;
    EXPECT_FALSE(e.notes_text.empty()) << e.title;
    EXPECT_TRUE(starts_with(e.notes_html, "<p>")) << e.title;
    EXPECT_EQ(count(e.notes_html, "<p>"), count(e.notes_text, "\n\n") + 1) << e.title;
  }
}

TEST(TextPageSamples, SedRustNetworkingWithCarlLerche) {
  PODCASTD_REQUIRE_SAMPLES(dir);
  auto page = parse_sample(dir, "sed-rust-networking-with-carl-lerche.txt");
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->kind, TextPage::Kind::episode);
  const Episode& e = page->episode;
  EXPECT_EQ(e.title, "Rust Networking with Carl Lerche");
  EXPECT_EQ(names(e.persons), std::vector<std::string>{"Carl Lerche"});
  EXPECT_EQ(e.persons[0].role, "guest");
  EXPECT_TRUE(starts_with(e.persons[0].bio, "Carl Lerche is an engineer at")) << e.persons[0].bio;
  EXPECT_EQ(e.date, std::nullopt);
  EXPECT_EQ(e.declared_duration, std::nullopt);
  EXPECT_EQ(e.subtitle, "");
  EXPECT_TRUE(e.transcripts.empty());
  EXPECT_TRUE(e.links.empty());
  // The description: the three paragraphs before "Transcript".
  EXPECT_EQ(count(e.summary, "\n\n"), 2u);
  EXPECT_TRUE(starts_with(e.summary, "Rust is a systems programming language")) << e.summary;
  EXPECT_TRUE(starts_with(e.notes_text, e.summary));
  EXPECT_EQ(e.notes_text.find("Transcript"), std::string::npos);
  std::string sponsors = html_section(e.notes_html, "Sponsors");
  EXPECT_EQ(count(sponsors, "<p>"), 4u) << sponsors;
  EXPECT_NE(e.notes_text.find("\n\nSponsors\n\n"), std::string::npos);
  EXPECT_TRUE(page->warnings.empty());
}

TEST(TextPageSamples, DeepEngineeringFrancescoCiulla) {
  PODCASTD_REQUIRE_SAMPLES(dir);
  auto page = parse_sample(dir, "deep-engineering-francesco-ciulla.txt");
  PODCASTD_ASSERT_OK(page);
  ASSERT_EQ(page->kind, TextPage::Kind::episode);
  const Episode& e = page->episode;
  EXPECT_EQ(e.title, "Try Rust With Your Own Hands and Eyes with Francesco Ciulla");
  EXPECT_EQ(e.subtitle,
            "On adoption strategy, flat latency, and the year he stopped hedging on Rust for "
            "production");
  EXPECT_EQ(names(e.persons), std::vector<std::string>{"Francesco Ciulla"});
  EXPECT_EQ(e.date, std::nullopt);
  EXPECT_EQ(e.declared_duration, std::nullopt);
  EXPECT_TRUE(page->warnings.empty());

  // The intro (before the first "Q.") is the description.
  EXPECT_EQ(count(e.summary, "\n\n"), 3u);
  EXPECT_TRUE(starts_with(e.summary, "Francesco Ciulla has been building with Rust"));
  EXPECT_TRUE(starts_with(e.notes_text, e.summary));
  EXPECT_EQ(e.notes_text.find("Q. "), std::string::npos);
  EXPECT_TRUE(starts_with(e.persons[0].bio, "Francesco Ciulla is the author of"));

  ASSERT_EQ(e.transcripts.size(), 1u);
  const std::vector<TranscriptSegment>& segs = e.transcripts[0].segments;
  ASSERT_EQ(segs.size(), 34u);
  int questions = 0;
  int answers = 0;
  int audience = 0;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (i % 2 == 0) {
      EXPECT_TRUE(segs[i].speaker == "Interviewer" || segs[i].speaker == "Audience") << i;
    } else {
      EXPECT_EQ(segs[i].speaker, "Francesco Ciulla") << i;
    }
    questions += segs[i].speaker == "Interviewer" ? 1 : 0;
    answers += segs[i].speaker == "Francesco Ciulla" ? 1 : 0;
    audience += segs[i].speaker == "Audience" ? 1 : 0;
    EXPECT_EQ(segs[i].body.find("Q. "), std::string::npos) << i;
  }
  EXPECT_EQ(questions, 16);
  EXPECT_EQ(answers, 17);
  EXPECT_EQ(audience, 1);
  EXPECT_EQ(segs[32].speaker, "Audience");
  EXPECT_TRUE(starts_with(segs[32].body, "With the state of the industry"));
  EXPECT_TRUE(starts_with(segs[0].body, "What does Rust adoption actually look like"));
  // Answer paragraphs stay paragraphs.
  EXPECT_NE(segs[1].body.find('\n'), std::string::npos);
  // The closing blurb is not part of the last answer.
  EXPECT_EQ(segs.back().body.find("is the author of"), std::string::npos);
}

}  // namespace
}  // namespace podcastd::catalog
