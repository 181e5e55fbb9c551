#include "catalog/markdown_source.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/test_support.hpp"

namespace podcastd::catalog {
namespace {

constexpr std::string_view kPath = "show/2025/ep.md";

Result<MarkdownEpisode> parse(std::string_view text) { return parse_markdown_episode(kPath, text); }

// Front matter with a title plus `extra` lines, and a body.
std::string episode(std::string_view extra, std::string_view body = "Notes.\n") {
  return "+++\ntitle = \"T\"\n" + std::string(extra) + "+++\n" + std::string(body);
}

std::string error_of(std::string_view text) {
  Result<MarkdownEpisode> r = parse(text);
  if (r.ok()) {
    return "(ok)";
  }
  EXPECT_EQ(r.error().code, ErrorCode::parse);
  return r.error().message;
}

// ---------------------------------------------------------------------------------------
// Front matter keys

TEST(MarkdownEpisode, ReadsEveryKey) {
  const std::string text = R"(+++
title = "  Rust in the Kernel  "
date = 2025-05-01T09:30:00+02:00
guid = "urn:uuid:b6d1c3a2"
season = 3
season_name = "Systems"
episode = 42
episode_display = "Ep. 42"
type = "bonus"
explicit = true
block = true
subtitle = "Sub"
summary = "Sum"
link = "https://example.com/42"
image = "art/ep42.jpg"
audio = "ep42.mp3"
length = 48123456
mime = "audio/mpeg"
duration = "1:09:05"
location = "Berlin"
license = "CC-BY-4.0"
license_url = "https://creativecommons.org/licenses/by/4.0/"
draft = true
publish_at = 2025-06-01

[[person]]
name = "Bob"
role = "guest"
group = "cast"
href = "https://bob.example.com"
img = "https://bob.example.com/bob.jpg"

[[chapter]]
start = "00:00:00"
title = "Intro"

[[chapter]]
start = 95.5
end = "00:10:00.250"
title = "Main"
url = "https://example.com/ch"
img = "https://example.com/ch.jpg"
toc = false

[[soundbite]]
start = "00:12:30"
duration = 42.5
title = "Bite"

[[funding]]
url = "https://example.com/support"
text = "Support us"

[[txt]]
purpose = "verify"
text = "abc"

[[alternate_enclosure]]
type = "audio/opus"
length = 1000
bitrate = 64000
title = "Opus"
rel = "default"
default = true
sources = ["https://cdn.example.com/a.opus", "ipfs://bafy"]

[[links]]
title = "Home"
url = "https://example.com/"
description = "The site"
+++
Body.
)";
  Result<MarkdownEpisode> r = parse(text);
  PODCASTD_ASSERT_OK(r);
  const Episode& e = r->episode;
  EXPECT_EQ(e.title, "Rust in the Kernel");
  EXPECT_EQ(e.date, 1746084600);  // 07:30 UTC
  EXPECT_EQ(e.guid, "urn:uuid:b6d1c3a2");
  EXPECT_TRUE(e.guid_explicit);
  EXPECT_EQ(e.season, 3);
  EXPECT_EQ(e.season_name, "Systems");
  EXPECT_EQ(e.number, 42);
  EXPECT_EQ(e.number_display, "Ep. 42");
  EXPECT_EQ(e.type, EpisodeType::bonus);
  EXPECT_EQ(e.explicit_content, true);
  EXPECT_TRUE(e.block);
  EXPECT_EQ(e.subtitle, "Sub");
  EXPECT_EQ(e.summary, "Sum");
  EXPECT_EQ(e.link, "https://example.com/42");
  EXPECT_EQ(e.image, "show/2025/art/ep42.jpg");  // content-relative
  EXPECT_EQ(r->audio, "ep42.mp3");               // as written, relative to the .md
  EXPECT_EQ(r->audio_length, 48123456);
  EXPECT_EQ(r->audio_mime, "audio/mpeg");
  EXPECT_EQ(e.declared_duration, 4145);
  EXPECT_EQ(e.locations, (std::vector<Location>{{"Berlin", "", "", "", ""}}));
  EXPECT_EQ(e.license, "CC-BY-4.0");
  EXPECT_EQ(e.license_url, "https://creativecommons.org/licenses/by/4.0/");
  EXPECT_TRUE(e.draft);
  EXPECT_EQ(e.publish_at, 1748736000);
  EXPECT_EQ(e.persons, (std::vector<Person>{{"Bob", "guest", "cast", "https://bob.example.com",
                                             "https://bob.example.com/bob.jpg", ""}}));
  ASSERT_EQ(e.chapters.size(), 2u);
  EXPECT_EQ(e.chapters[0], (Chapter{0, std::nullopt, "Intro", "", "", true}));
  EXPECT_EQ(e.chapters[1], (Chapter{95.5, 600.25, "Main", "https://example.com/ch",
                                    "https://example.com/ch.jpg", false}));
  EXPECT_EQ(e.soundbites, (std::vector<Soundbite>{{750, 42.5, "Bite"}}));
  EXPECT_EQ(e.funding, (std::vector<Funding>{{"https://example.com/support", "Support us"}}));
  EXPECT_EQ(e.txt, (std::vector<Txt>{{"verify", "abc"}}));
  ASSERT_EQ(e.alternate_enclosures.size(), 1u);
  const AlternateEnclosure& a = e.alternate_enclosures[0];
  EXPECT_EQ(a.type, "audio/opus");
  EXPECT_EQ(a.length, 1000);
  EXPECT_EQ(a.bitrate, 64000);
  EXPECT_EQ(a.title, "Opus");
  EXPECT_EQ(a.rel, "default");
  EXPECT_TRUE(a.is_default);
  EXPECT_EQ(a.sources, (std::vector<std::string>{"https://cdn.example.com/a.opus", "ipfs://bafy"}));
  EXPECT_EQ(e.links, (std::vector<Link>{{"Home", "https://example.com/", "The site"}}));
  EXPECT_EQ(e.notes_html, "<p>Body.</p>\n");
  EXPECT_EQ(e.notes_text, "Body.");
  EXPECT_TRUE(r->warnings.empty());
  // Left for ingest.
  EXPECT_EQ(e.show, "");
  EXPECT_EQ(e.key, "");
  EXPECT_FALSE(e.enclosure);
  EXPECT_TRUE(e.sources.empty());
}

TEST(MarkdownEpisode, MinimalFileHasDefaults) {
  Result<MarkdownEpisode> r = parse("+++\ntitle = \"Only a title\"\n+++\n");
  PODCASTD_ASSERT_OK(r);
  const Episode& e = r->episode;
  EXPECT_EQ(e.title, "Only a title");
  EXPECT_FALSE(e.date);
  EXPECT_EQ(e.guid, "");
  EXPECT_FALSE(e.guid_explicit);
  EXPECT_EQ(e.type, EpisodeType::full);
  EXPECT_FALSE(e.explicit_content);
  EXPECT_FALSE(e.draft);
  EXPECT_EQ(r->audio, "");
  EXPECT_FALSE(r->audio_length);
  EXPECT_EQ(e.notes_html, "");
  EXPECT_EQ(e.notes_text, "");
}

TEST(MarkdownEpisode, FullFixture) {
  std::string text = testing::read_file(testing::test_data_dir() / "markdown/full-episode.md");
  Result<MarkdownEpisode> r = parse_markdown_episode("systems/042/episode.md", text);
  PODCASTD_ASSERT_OK(r);
  const Episode& e = r->episode;
  EXPECT_EQ(e.title, "Rust in the Kernel, Two Years On");
  EXPECT_EQ(e.date, 1746084600);
  EXPECT_EQ(e.publish_at, 1746084600);
  EXPECT_EQ(e.guid, "b6d1c3a2-5f4e-4d7c-9a8b-0c1d2e3f4a5b");
  EXPECT_EQ(e.season, 3);
  EXPECT_EQ(e.number, 42);
  EXPECT_EQ(e.image, "systems/042/art/ep42.jpg");
  EXPECT_EQ(r->audio, "ep42.mp3");
  EXPECT_EQ(e.declared_duration, 4145);
  ASSERT_EQ(e.persons.size(), 2u);
  EXPECT_EQ(e.persons[1].name, "Dr. Bob Guest");
  ASSERT_EQ(e.chapters.size(), 2u);
  EXPECT_EQ(e.chapters[1].end, 4145);
  EXPECT_EQ(
      e.locations,
      (std::vector<Location>{{"Berlin, Germany", "creator", "geo:52.52,13.405", "R62422", "DE"}}));
  ASSERT_EQ(e.alternate_enclosures.size(), 1u);
  EXPECT_EQ(e.alternate_enclosures[0].sources.size(), 2u);
  // [[links]] first, then the body's list links; the duplicate URL is dropped.
  EXPECT_EQ(e.links, (std::vector<Link>{
                         {"Rust for Linux", "https://rust-for-linux.com/", "The project home page"},
                         {"LWN coverage", "https://lwn.net/Kernel/Index/#Development_tools-Rust",
                          "weekly kernel news"},
                         {"Kernel docs", "https://docs.kernel.org/rust/", ""},
                         {"https://github.com/Rust-for-Linux/linux",
                          "https://github.com/Rust-for-Linux/linux", ""},
                     }));
  EXPECT_NE(e.notes_html.find("<h2>Links</h2>"), std::string::npos);
  EXPECT_EQ(e.notes_html.find("onclick"), std::string::npos);
  EXPECT_EQ(e.notes_text,
            "Alice and Bob talk about what changed since the first Rust driver was merged.\n"
            "\n"
            "Links\n"
            "\n"
            "- Rust for Linux (https://rust-for-linux.com/) - the project (already listed "
            "above)\n"
            "- LWN coverage (https://lwn.net/Kernel/Index/#Development_tools-Rust): weekly "
            "kernel news\n"
            "- Kernel docs: https://docs.kernel.org/rust/\n"
            "- https://github.com/Rust-for-Linux/linux\n"
            "\n"
            "Thanks to our supporters. Raw HTML is filtered: this stays text.");
  EXPECT_TRUE(r->warnings.empty());
}

TEST(MarkdownEpisode, LinkIsThePageOrTheLinkTables) {
  // `link` is the episode page as a string, show-notes links as [[link]] tables. TOML cannot
  // hold both under one name, so [[links]] works as well.
  Result<MarkdownEpisode> r = parse(episode(
      "[[link]]\ntitle = \"A\"\nurl = \"https://a.example\"\n"
      "[[link]]\nurl = \"https://b.example\"\n"
      "[[link]]\ntitle = \"No URL\"\n",
      "- [A again](https://a.example) - dropped as a duplicate\n- [C](https://c.example)\n"));
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->episode.link, "");
  EXPECT_EQ(r->episode.links, (std::vector<Link>{{"A", "https://a.example", ""},
                                                 {"https://b.example", "https://b.example", ""},
                                                 {"No URL", "", ""},
                                                 {"C", "https://c.example", ""}}));
}

TEST(MarkdownEpisode, DateForms) {
  struct Case {
    std::string value;
    std::int64_t expected;
  };
  const std::vector<Case> cases = {
      {"2024-04-03T02:06:28Z", 1712109988},           // offset date-time
      {"2024-04-03T04:06:28+02:00", 1712109988},      // offset date-time
      {"2024-04-03T02:06:28", 1712109988},            // local date-time = UTC
      {"2024-04-03 02:06:28.5", 1712109988},          // local, space, fraction
      {"2024-04-03", 1712102400},                     // local date = 00:00 UTC
      {"\"2024-04-03T02:06:28Z\"", 1712109988},       // RFC 3339 string
      {"\"2024-04-03T04:06:28+02:00\"", 1712109988},  // with offset
      {"\"2024-04-03\"", 1712102400},                 // date-only string
      {"\"2024-04-02T21:06:28-05:00\"", 1712109988},  // negative offset
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value);
    Result<MarkdownEpisode> r =
        parse(episode("date = " + c.value + "\npublish_at = " + c.value + "\n"));
    PODCASTD_ASSERT_OK(r);
    EXPECT_EQ(r->episode.date, c.expected);
    EXPECT_EQ(r->episode.publish_at, c.expected);
  }
}

TEST(MarkdownEpisode, DurationForms) {
  struct Case {
    std::string value;
    double expected;
  };
  const std::vector<Case> cases = {
      {"3723", 3723},
      {"3723.5", 3723.5},
      {"\"1:02:03\"", 3723},
      {"\"01:02:03.250\"", 3723.25},
      {"\"62:03\"", 3723},
      {"\"69 min\"", 4140},
      {"\"1h 21min\"", 4860},
      {"\"3723\"", 3723},
      {"0", 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value);
    Result<MarkdownEpisode> r = parse(episode("duration = " + c.value + "\n"));
    PODCASTD_ASSERT_OK(r);
    EXPECT_EQ(r->episode.declared_duration, c.expected);
  }
}

TEST(MarkdownEpisode, ChapterAndSoundbiteTimes) {
  Result<MarkdownEpisode> r =
      parse(episode("[[chapter]]\nstart = 0\ntitle = \"a\"\n"
                    "[[chapter]]\nstart = \"05:00\"\ntitle = \"b\"\n"
                    "[[chapter]]\nstart = \"01:00:00.500\"\ntitle = \"c\"\nend = 3700\n"
                    "[[soundbite]]\nstart = 60\nduration = \"00:00:30\"\n"));
  PODCASTD_ASSERT_OK(r);
  ASSERT_EQ(r->episode.chapters.size(), 3u);
  EXPECT_EQ(r->episode.chapters[1].start, 300);
  EXPECT_EQ(r->episode.chapters[2].start, 3600.5);
  EXPECT_EQ(r->episode.chapters[2].end, 3700);
  EXPECT_EQ(r->episode.soundbites, (std::vector<Soundbite>{{60, 30, ""}}));
}

TEST(MarkdownEpisode, LocationForms) {
  Result<MarkdownEpisode> table =
      parse(episode("[location]\nname = \"Paris\"\ncountry = \"fr\"\nrel = \"subject\"\n"));
  PODCASTD_ASSERT_OK(table);
  EXPECT_EQ(table->episode.locations, (std::vector<Location>{{"Paris", "subject", "", "", "FR"}}));

  Result<MarkdownEpisode> many = parse(episode(
      "[[location]]\nname = \"Austin\"\ngeo = \"geo:30.2711286,-97.7436995\"\nosm = \"R113314\"\n"
      "[[location]]\nname = \"Studio\"\nrel = \"creator\"\n"));
  PODCASTD_ASSERT_OK(many);
  EXPECT_EQ(many->episode.locations,
            (std::vector<Location>{{"Austin", "", "geo:30.2711286,-97.7436995", "R113314", ""},
                                   {"Studio", "creator", "", "", ""}}));

  Result<MarkdownEpisode> names = parse(episode("location = [\"A\", \"B\"]\n"));
  PODCASTD_ASSERT_OK(names);
  EXPECT_EQ(names->episode.locations.size(), 2u);
}

TEST(MarkdownEpisode, ImageAndAudioPaths) {
  struct Case {
    std::string value;
    std::string image;  // expected Episode::image
    std::string audio;  // expected MarkdownEpisode::audio
  };
  const std::vector<Case> cases = {
      {"cover.jpg", "show/2025/cover.jpg", "cover.jpg"},
      {"./img/a.png", "show/2025/img/a.png", "./img/a.png"},
      {"../cover.jpg", "show/cover.jpg", "../cover.jpg"},
      {"../../top.jpg", "top.jpg", "../../top.jpg"},
      {"https://cdn.example.com/a.jpg", "https://cdn.example.com/a.jpg",
       "https://cdn.example.com/a.jpg"},
      {"HTTP://cdn.example.com/a.jpg", "HTTP://cdn.example.com/a.jpg",
       "HTTP://cdn.example.com/a.jpg"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value);
    Result<MarkdownEpisode> r =
        parse(episode("image = \"" + c.value + "\"\naudio = \"" + c.value + "\"\n"));
    PODCASTD_ASSERT_OK(r);
    EXPECT_EQ(r->episode.image, c.image);
    EXPECT_EQ(r->audio, c.audio);
  }
}

TEST(MarkdownEpisode, BomAndCrlf) {
  std::string text =
      "\xEF\xBB\xBF+++\r\ntitle = \"Windows\"\r\nseason = 2\r\n+++\r\nLine one\r\nline two\r\n"
      "\r\n- [A](https://a.example) - first\r\n";
  Result<MarkdownEpisode> r = parse(text);
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->episode.title, "Windows");
  EXPECT_EQ(r->episode.season, 2);
  EXPECT_EQ(r->episode.notes_html,
            "<p>Line one\nline two</p>\n<ul>\n<li><a href=\"https://a.example\">A</a> - "
            "first</li>\n</ul>\n");
  EXPECT_EQ(r->episode.notes_text, "Line one line two\n\n- A (https://a.example) - first");
  EXPECT_EQ(r->episode.links, (std::vector<Link>{{"A", "https://a.example", "first"}}));
  // Error lines count the same with CRLF.
  EXPECT_EQ(error_of("\xEF\xBB\xBF+++\r\ntitle = \"x\"\r\n\r\nseason = 0\r\n+++\r\n"),
            "show/2025/ep.md:4: season: expected a positive integer, got 0");
}

TEST(MarkdownEpisode, TitleFromLeadingHeading) {
  struct Case {
    std::string body;
    std::string title;
    std::string html;
  };
  const std::vector<Case> cases = {
      {"# The *Big* Interview\n\nNotes.\n", "The Big Interview", "<p>Notes.</p>\n"},
      {"\n\n#   Spaced   #\nNotes.\n", "Spaced", "<p>Notes.</p>\n"},
      {"Setext Title\n============\n\nNotes.\n", "Setext Title", "<p>Notes.</p>\n"},
      {"# [Linked](https://x.example) title\n", "Linked title", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    Result<MarkdownEpisode> r = parse("+++\nseason = 1\n+++\n" + c.body);
    PODCASTD_ASSERT_OK(r);
    EXPECT_EQ(r->episode.title, c.title);
    EXPECT_EQ(r->episode.notes_html, c.html);
  }
  // With a title in the front matter the heading stays in the notes.
  Result<MarkdownEpisode> r = parse(episode("", "# Heading\n\nNotes.\n"));
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->episode.title, "T");
  EXPECT_EQ(r->episode.notes_html, "<h1>Heading</h1>\n<p>Notes.</p>\n");
}

TEST(MarkdownEpisode, Warnings) {
  Result<MarkdownEpisode> r =
      parse(episode("season_name = \"S\"\n"
                    "episode_display = \"Ch. 3\"\n"
                    "mime = \"mp3\"\n"
                    "[[chapter]]\nstart = 60\ntitle = \"b\"\nend = 30\n"
                    "[[chapter]]\nstart = 10\ntitle = \"a\"\n"));
  PODCASTD_ASSERT_OK(r);
  std::vector<std::string> got;
  for (const Diagnostic& d : r->warnings) {
    EXPECT_EQ(d.severity, Diagnostic::Severity::warning);
    got.push_back(d.to_string());
  }
  const std::string w = "warning: show/2025/ep.md:";
  const std::vector<std::string> expected = {
      w + "3: season_name has no effect without season",
      w + "4: episode_display has no effect without episode",
      w + "5: mime: \"mp3\" does not look like a media type (audio/mpeg)",
      w + "9: chapter \"b\" ends before it starts (00:00:30.000 <= 00:01:00.000); end ignored",
      w + "10: chapter \"a\" starts before the chapter above it",
  };
  EXPECT_EQ(got, expected);
  EXPECT_FALSE(r->episode.chapters[0].end);
}

TEST(MarkdownEpisode, Errors) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::string p = "show/2025/ep.md:";
  const std::vector<Case> cases = {
      // Structure
      {"title = \"x\"\n", p + "1: missing +++ front matter"},
      {"", p + "1: missing +++ front matter"},
      {"\n+++\ntitle = \"x\"\n+++\n", p + "1: missing +++ front matter"},
      {"+++\ntitle = \"x\"\n", p + "1: front matter not closed by +++"},
      {"+++\ntitle = \"x\"\n++\n", p + "1: front matter not closed by +++"},
      {"+++\n+++\nJust notes.\n",
       p + "1: missing title (set title in the front matter or start the notes with a '# Title' "
           "heading)"},
      {"+++\n+++\n## Level two\n",
       p + "1: missing title (set title in the front matter or start the notes with a '# Title' "
           "heading)"},
      // TOML syntax, at the file's line
      {"+++\ntitle = \"x\"\nseason =\n+++\n",
       p + "3: Error while parsing key-value pair: expected value, saw '\\n'"},
      {"+++\ntitle = \"x\"\ntitle = \"y\"\n+++\n",
       p + "3: Error while parsing key-value pair: cannot redefine existing string 'title'"},
      // Invalid UTF-8, at its line (front matter or body)
      {"+++\ntitle = \"\xC3\x28\"\n+++\n", p + "2: invalid UTF-8"},
      {"+++\ntitle = \"x\"\n+++\nok\n\xFF\n", p + "5: invalid UTF-8"},
      // Unknown keys, top level and nested; the earliest in the file is reported
      {episode("author = \"x\"\n"), p + "3: unknown key 'author'"},
      {episode("zzz = 1\naaa = 2\n"), p + "3: unknown key 'zzz'"},
      {episode("[[person]]\nname = \"A\"\nnick = \"a\"\n"), p + "5: unknown key 'person.nick'"},
      {episode("[[chapter]]\nstart = 0\ntitle = \"a\"\nlength = 3\n"),
       p + "6: unknown key 'chapter.length'"},
      {episode("[location]\nname = \"x\"\nlat = 1\n"), p + "5: unknown key 'location.lat'"},
      {episode("[[link]]\nurl = \"https://a.example\"\nhref = \"x\"\n"),
       p + "5: unknown key 'link.href'"},
      {episode("[[soundbite]]\nstart = 1\nduration = 20\nend = 3\n"),
       p + "6: unknown key 'soundbite.end'"},
      {episode("[[funding]]\nurl = \"https://a.example\"\namount = 3\n"),
       p + "5: unknown key 'funding.amount'"},
      {episode("[[txt]]\ntext = \"a\"\nkind = 3\n"), p + "5: unknown key 'txt.kind'"},
      {episode(
           "[[alternate_enclosure]]\ntype = \"audio/opus\"\nsources = [\"https://a.example/a\"]\n"
           "codecs = \"opus\"\n"),
       p + "6: unknown key 'alternate_enclosure.codecs'"},
      // Wrong types
      {"+++\ntitle = 5\n+++\n", p + "2: title: expected a string, got an integer"},
      {"+++\ntitle = \"\"\n+++\n", p + "2: title: must not be empty"},
      {"+++\ntitle = \"a\\u0001b\"\n+++\n", p + "2: title: contains a control character (U+0001)"},
      {episode("season = \"2\"\n"), p + "3: season: expected a positive integer, got a string"},
      {episode("season = 0\n"), p + "3: season: expected a positive integer, got 0"},
      {episode("season = 2.5\n"), p + "3: season: expected a positive integer, got a float"},
      {episode("season = 3000000000\n"),
       p + "3: season: expected a positive integer, got 3000000000"},
      {episode("episode = -1\n"), p + "3: episode: expected a positive integer, got -1"},
      {episode("explicit = \"yes\"\n"), p + "3: explicit: expected true or false, got a string"},
      {episode("block = 1\n"), p + "3: block: expected true or false, got an integer"},
      {episode("draft = \"no\"\n"), p + "3: draft: expected true or false, got a string"},
      {episode("guid = \"  \"\n"), p + "3: guid: must not be empty"},
      {episode("guid = 12\n"), p + "3: guid: expected a string, got an integer"},
      {episode("subtitle = []\n"), p + "3: subtitle: expected a string, got an array"},
      {episode("length = -1\n"), p + "3: length: expected a non-negative integer, got -1"},
      {episode("length = \"12\"\n"),
       p + "3: length: expected a non-negative integer, got a string"},
      {episode("person = \"Bob\"\n"),
       p + "3: person: expected an array of tables ([[person]]), got a string"},
      {episode("[person]\nname = \"Bob\"\n"),
       p + "3: person: expected an array of tables ([[person]]), got a table"},
      {episode("[[person]]\nrole = \"guest\"\n"), p + "3: person: missing required key 'name'"},
      {episode("[[person]]\nname = \"\"\n"), p + "4: person.name: must not be empty"},
      {episode("[[person]]\nname = \"A\"\nhref = \"bob.example\"\n"),
       p + "5: person.href: expected an http:// or https:// URL, got \"bob.example\""},
      // Enumerations
      {episode("type = \"extra\"\n"),
       p + "3: type: expected one of full, trailer, bonus, got \"extra\""},
      {episode("type = \"Full\"\n"),
       p + "3: type: expected one of full, trailer, bonus, got \"Full\""},
      {episode("[location]\nname = \"x\"\nrel = \"home\"\n"),
       p + "5: location.rel: expected one of subject, creator, got \"home\""},
      // Dates
      {episode("date = \"yesterday\"\n"),
       p + "3: date: expected an RFC 3339 date-time or date (2024-04-03T10:00:00Z, 2024-04-03), "
           "got \"yesterday\""},
      {episode("date = \"2024-02-30\"\n"),
       p + "3: date: expected an RFC 3339 date-time or date (2024-04-03T10:00:00Z, 2024-04-03), "
           "got \"2024-02-30\""},
      {episode("date = 10:30:00\n"),
       p + "3: date: expected a date-time or date (2024-04-03T10:00:00Z, 2024-04-03), got a "
           "time"},
      {episode("publish_at = 1712109988\n"),
       p + "3: publish_at: expected a date-time or date (2024-04-03T10:00:00Z, 2024-04-03), got "
           "an integer"},
      // Durations and times
      {episode("duration = \"abc\"\n"),
       p + "3: duration: expected seconds, \"HH:MM:SS\" or \"69 min\", got \"abc\""},
      {episode("duration = -5\n"),
       p + "3: duration: expected seconds, \"HH:MM:SS\" or \"69 min\", got -5"},
      {episode("duration = nan\n"),
       p + "3: duration: expected seconds, \"HH:MM:SS\" or \"69 min\", got nan"},
      {episode("duration = true\n"),
       p + "3: duration: expected seconds, \"HH:MM:SS\" or \"69 min\", got a boolean"},
      {episode("[[chapter]]\ntitle = \"a\"\n"), p + "3: chapter: missing required key 'start'"},
      {episode("[[chapter]]\nstart = 0\n"), p + "3: chapter: missing required key 'title'"},
      {episode("[[chapter]]\nstart = \"1:2:3:4\"\ntitle = \"a\"\n"),
       p + "4: chapter.start: expected seconds or \"HH:MM:SS\", got \"1:2:3:4\""},
      {episode("[[chapter]]\nstart = \"69 min\"\ntitle = \"a\"\n"),
       p + "4: chapter.start: expected seconds or \"HH:MM:SS\", got \"69 min\""},
      {episode("[[chapter]]\nstart = \"00:61:00\"\ntitle = \"a\"\n"),
       p + "4: chapter.start: expected seconds or \"HH:MM:SS\", got \"00:61:00\""},
      {episode("[[chapter]]\nstart = 0\ntitle = \"a\"\ntoc = \"no\"\n"),
       p + "6: chapter.toc: expected true or false, got a string"},
      {episode("[[soundbite]]\nstart = 1\n"), p + "3: soundbite: missing required key 'duration'"},
      {episode("[[soundbite]]\nduration = 1\n"), p + "3: soundbite: missing required key 'start'"},
      {episode("[[soundbite]]\nstart = 1\nduration = 0\n"),
       p + "5: soundbite.duration: must be greater than 0"},
      // URLs and paths
      {episode("link = \"example.com\"\n"),
       p + "3: link: expected an http:// or https:// URL, got \"example.com\""},
      {episode("link = \"https:///path\"\n"), p + "3: link: URL has no host: \"https:///path\""},
      {episode("link = \"https://a b.example\"\n"),
       p + "3: link: URL contains a space or control character: \"https://a b.example\""},
      {episode("license_url = \"ftp://x.example\"\n"),
       p + "3: license_url: expected an http:// or https:// URL, got \"ftp://x.example\""},
      {episode("image = \"../../../x.jpg\"\n"),
       p + "3: image: path leaves the content directory: \"../../../x.jpg\""},
      {episode("image = \"/etc/passwd\"\n"),
       p + "3: image: expected a relative file name or an http:// or https:// URL, got "
           "\"/etc/passwd\""},
      {episode("image = \"javascript:alert(1)\"\n"),
       p + "3: image: expected a relative file name or an http:// or https:// URL, got "
           "\"javascript:alert(1)\""},
      {episode("audio = \"ftp://x.example/a.mp3\"\n"),
       p + "3: audio: expected a relative file name or an http:// or https:// URL, got "
           "\"ftp://x.example/a.mp3\""},
      {episode("audio = \"\"\n"), p + "3: audio: must not be empty"},
      // Records
      {episode("[[funding]]\ntext = \"x\"\n"), p + "3: funding: missing required key 'url'"},
      {episode("[[txt]]\npurpose = \"x\"\n"), p + "3: txt: missing required key 'text'"},
      {episode("[[link]]\ndescription = \"x\"\n"), p + "3: link: needs a title or a url"},
      {episode("[[link]]\nurl = \"www.example.com\"\n"),
       p + "4: link.url: expected an http:// or https:// URL, got \"www.example.com\""},
      {episode("location = 3\n"),
       p + "3: location: expected a place name, a table or [[location]] tables, got an integer"},
      {episode("[location]\ngeo = \"geo:1,2\"\n"), p + "3: location: missing required key 'name'"},
      {episode("[location]\nname = \"x\"\ngeo = \"52.5,13.4\"\n"),
       p + "5: location.geo: expected a geo URI like \"geo:52.52,13.40\", got \"52.5,13.4\""},
      {episode("[location]\nname = \"x\"\nosm = \"62422\"\n"),
       p + "5: location.osm: expected an OpenStreetMap id like \"R62422\", got \"62422\""},
      {episode("[location]\nname = \"x\"\ncountry = \"DEU\"\n"),
       p + "5: location.country: expected a two-letter ISO 3166-1 code like \"DE\", got \"DEU\""},
      {episode("[[alternate_enclosure]]\nsources = [\"https://a.example/a\"]\n"),
       p + "3: alternate_enclosure: missing required key 'type'"},
      {episode("[[alternate_enclosure]]\ntype = \"audio/opus\"\n"),
       p + "3: alternate_enclosure: missing required key 'sources'"},
      {episode("[[alternate_enclosure]]\ntype = \"audio/opus\"\nsources = []\n"),
       p + "5: alternate_enclosure.sources: needs at least one URI"},
      {episode("[[alternate_enclosure]]\ntype = \"audio/opus\"\nsources = [\"a.opus\"]\n"),
       p + "5: alternate_enclosure.sources: expected a URI with a scheme (https://..., "
           "ipfs://..., magnet:...), got \"a.opus\""},
      {episode("[[alternate_enclosure]]\ntype = \"audio/opus\"\nsources = [1]\n"),
       p + "5: alternate_enclosure.sources: expected a URI, got an integer"},
      {episode("[[alternate_enclosure]]\ntype = \"opus\"\nsources = [\"ipfs://x\"]\n"),
       p + "4: alternate_enclosure.type: expected a media type like \"audio/opus\", got \"opus\""},
      {episode("[[alternate_enclosure]]\ntype = \"audio/opus\"\nsources = [\"ipfs://x\"]\n"
               "bitrate = 1.5\n"),
       p + "6: alternate_enclosure.bitrate: expected a non-negative integer (bits per second), "
           "got a float"},
      {episode("[[alternate_enclosure]]\ntype = \"audio/opus\"\nsources = [\"ipfs://x\"]\n"
               "default = \"yes\"\n"),
       p + "6: alternate_enclosure.default: expected true or false, got a string"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(error_of(c.text), c.message);
  }
}

TEST(MarkdownEpisode, BigBody) {
  // 5 MB of notes: paragraphs, lists and links. Parsed and rendered without trouble.
  std::string body;
  body.reserve(5'300'000);
  int n = 0;
  while (body.size() < 5'000'000) {
    body += "Paragraph " + std::to_string(n) +
            " with *emphasis* and a [link](https://example.com/" + std::to_string(n) +
            ").\n\n- [Item " + std::to_string(n) + "](https://example.org/" + std::to_string(n) +
            ") - description\n\n";
    ++n;
  }
  Result<MarkdownEpisode> r = parse(episode("", body));
  PODCASTD_ASSERT_OK(r);
  EXPECT_GT(r->episode.notes_html.size(), body.size());
  EXPECT_GT(r->episode.notes_text.size(), body.size() / 2);
  EXPECT_EQ(r->episode.links.size(), static_cast<std::size_t>(n));
  EXPECT_EQ(r->episode.links.back().description, "description");
}

// ---------------------------------------------------------------------------------------
// render_markdown: sanitizing

struct HtmlCase {
  std::string markdown;
  std::string html;
};

TEST(MarkdownRender, Sanitizes) {
  const std::vector<HtmlCase> cases = {
      // Scripts and other executable content go, with their content.
      {"a <script>alert(1)</script> b", "<p>a  b</p>\n"},
      {"<script>\nalert(1)\n</script>\n\nafter", "<p>after</p>\n"},
      {"<SCRIPT SRC=//evil.example/x.js></SCRIPT>x", "x\n"},  // an HTML block: no <p>
      {"<style>body{display:none}</style>\n\ntext", "<p>text</p>\n"},
      {"<iframe src=\"https://evil.example\">fallback</iframe>", ""},
      {"x <svg onload=alert(1)><script>a</script></svg> y", "<p>x  y</p>\n"},
      {"<textarea>secret</textarea>", "<p></p>\n"},
      // Allowed tags lose their attributes.
      {"<b onclick=\"steal()\">bold</b> <i style=\"x\">it</i>", "<p><b>bold</b> <i>it</i></p>\n"},
      {"<div class=\"box\" onmouseover=\"x()\">\n<p>in</p>\n</div>", "<div>\n<p>in</p>\n</div>\n"},
      {"a<br/>b<br>c", "<p>a<br>b<br>c</p>\n"},
      // Unknown or dangerous tags are dropped, their text kept.
      {"<img src=x onerror=alert(1)>text", "<p>text</p>\n"},
      {"<form action=\"https://evil.example\"><input name=x>go</form>", "go\n"},
      {"<object data=\"x.swf\"></object>ok", "<p>ok</p>\n"},
      {"<custom-tag>kept</custom-tag>", "<p>kept</p>\n"},
      {"<!-- comment --> visible", " visible\n"},
      // Raw <a>: only a safe href survives.
      {"<a href=\"https://ok.example/?a=1&amp;b=2\" onclick=\"x\">ok</a>",
       "<p><a href=\"https://ok.example/?a=1&amp;b=2\">ok</a></p>\n"},
      {"<a href=\"javascript:alert(1)\">bad</a>", "<p>bad</p>\n"},
      {"<a href=\"&#106;avascript:alert(1)\">bad</a>", "<p>bad</p>\n"},
      {"<a href=\" java\tscript:alert(1)\">bad</a>", "<p>bad</p>\n"},
      {"<a href=\"\nhttps://ok.example\">multi\nline</a>",
       "<p><a href=\"https://ok.example\">multi\nline</a></p>\n"},
      // Markdown links and images with unsafe schemes are neutralized.
      {"[x](javascript:alert(1))", "<p>x</p>\n"},
      {"[x](JAVASCRIPT:alert(1))", "<p>x</p>\n"},
      {"[x](vbscript:msgbox)", "<p>x</p>\n"},
      {"[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>\n"},
      {"[x](&#x6A;avascript:alert(1))", "<p>x</p>\n"},
      {"[x](<java\nscript:alert(1)>)", "<p>[x](&lt;java\nscript:alert(1)&gt;)</p>\n"},
      {"[x](file:///etc/passwd)", "<p>x</p>\n"},
      {"![pic](data:image/png;base64,AAAA)", "<p>pic</p>\n"},
      {"![pic](javascript:alert(1))", "<p>pic</p>\n"},
      {"<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n"},
      // Safe links and images keep their URL, escaped.
      {"[x](https://a.example/?q=\"><script>)",
       "<p><a href=\"https://a.example/?q=%22%3E%3Cscript%3E\">x</a></p>\n"},
      {"[x](https://a.example/a?b=1&c=2 \"T <1>\")",
       "<p><a href=\"https://a.example/a?b=1&amp;c=2\" title=\"T &lt;1&gt;\">x</a></p>\n"},
      {"[x](mailto:me@example.com) [y](tel:+491234) [z](#top) [w](other.html)",
       "<p><a href=\"mailto:me@example.com\">x</a> <a href=\"tel:+491234\">y</a> <a "
       "href=\"#top\">z</a> <a href=\"other.html\">w</a></p>\n"},
      {"![a \"pic\"](https://i.example/p.jpg)",
       "<p><img src=\"https://i.example/p.jpg\" alt=\"a &quot;pic&quot;\"></p>\n"},
      {"[![logo](https://i.example/l.png)](https://site.example)",
       "<p><a href=\"https://site.example\"><img src=\"https://i.example/l.png\" "
       "alt=\"logo\"></a></p>\n"},
      // Text is escaped; controls that XML forbids are dropped.
      {"1 < 2 & \"q\"", "<p>1 &lt; 2 &amp; &quot;q&quot;</p>\n"},
      {"a\x01"
       "b\x7F"
       "c",
       "<p>ab\x7F"
       "c</p>\n"},
      {"&copy; &nbsp; &#x1F399; &bogus;",
       "<p>\xC2\xA9 \xC2\xA0 \xF0\x9F\x8E\x99 &amp;bogus;</p>\n"},
      // Unclosed raw tags are closed at the end of their block; stray closers are dropped.
      {"<b>open\n\nnext</b>", "<p><b>open</b></p>\n<p>next</p>\n"},
      {"</div></b>text", "text\n"},
      {"<![CDATA[ ]]> x", " x\n"},
  };
  for (const HtmlCase& c : cases) {
    SCOPED_TRACE(c.markdown);
    EXPECT_EQ(render_markdown(c.markdown).html, c.html);
  }
}

TEST(MarkdownRender, DeepRawNestingIsBounded) {
  std::string md;
  for (int i = 0; i < 40; ++i) {
    md += "<b>";
  }
  md += "deep";
  RenderedNotes r = render_markdown(md);
  std::string expected = "<p>";
  for (int i = 0; i < 32; ++i) {
    expected += "<b>";
  }
  expected += "deep";
  for (int i = 0; i < 32; ++i) {
    expected += "</b>";
  }
  expected += "</p>\n";
  EXPECT_EQ(r.html, expected);
  EXPECT_EQ(r.text, "deep");
}

TEST(MarkdownRender, GithubDialect) {
  const std::vector<HtmlCase> cases = {
      {"# H1\n## H2\n###### H6", "<h1>H1</h1>\n<h2>H2</h2>\n<h6>H6</h6>\n"},
      {"*em* **strong** ~~del~~ `code <b>`",
       "<p><em>em</em> <strong>strong</strong> <del>del</del> <code>code &lt;b&gt;</code></p>\n"},
      {"- a\n- b\n", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
      {"3. c\n4. d\n", "<ol start=\"3\">\n<li>c</li>\n<li>d</li>\n</ol>\n"},
      {"- a\n\n- b\n", "<ul>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ul>\n"},
      {"- [ ] todo\n- [x] done\n",
       "<ul>\n<li>\xE2\x98\x90 todo</li>\n<li>\xE2\x98\x91 done</li>\n</ul>\n"},
      {"| a | b |\n|:--|--:|\n| 1 | 2 |\n",
       "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n</tr>\n"
       "</thead>\n<tbody>\n<tr>\n<td align=\"left\">1</td>\n<td align=\"right\">2</td>\n</tr>\n"
       "</tbody>\n</table>\n"},
      {"```cpp\nint x = a < b;\n```\n", "<pre><code>int x = a &lt; b;\n</code></pre>\n"},
      {"> quoted\n", "<blockquote>\n<p>quoted</p>\n</blockquote>\n"},
      {"a\n\n---\n\nb", "<p>a</p>\n<hr>\n<p>b</p>\n"},
      {"see https://example.com/x and www.example.org or me@example.com",
       "<p>see <a href=\"https://example.com/x\">https://example.com/x</a> and <a "
       "href=\"http://www.example.org\">www.example.org</a> or <a "
       "href=\"mailto:me@example.com\">me@example.com</a></p>\n"},
      {"line  \nbreak", "<p>line<br>\nbreak</p>\n"},
      {"", ""},
  };
  for (const HtmlCase& c : cases) {
    SCOPED_TRACE(c.markdown);
    EXPECT_EQ(render_markdown(c.markdown).html, c.html);
  }
}

// ---------------------------------------------------------------------------------------
// render_markdown: plain text

TEST(MarkdownRender, PlainText) {
  struct Case {
    std::string markdown;
    std::string text;
  };
  const std::vector<Case> cases = {
      {"One\ntwo.\n\nThree.", "One two.\n\nThree."},
      {"# Title\n\nBody *with* **marks** and `code` ~~gone~~.",
       "Title\n\nBody with marks and code gone."},
      {"- a\n- b\n\n1. c\n2. d\n\nafter", "- a\n- b\n\n1. c\n2. d\n\nafter"},
      {"- a\n  - nested\n    - deeper\n- b", "- a\n  - nested\n    - deeper\n- b"},
      {"- loose\n\n- items\n", "- loose\n- items"},
      {"- item\n\n  second paragraph\n", "- item\n  second paragraph"},
      {"- [x] done\n- [ ] todo", "- \xE2\x98\x91 done\n- \xE2\x98\x90 todo"},
      {"[text](https://a.example/x)", "text (https://a.example/x)"},
      {"<https://a.example/x>", "https://a.example/x"},
      {"see https://a.example/x.", "see https://a.example/x."},
      {"[https://a.example](https://a.example/)", "https://a.example"},
      {"www.example.org", "www.example.org"},
      {"[mail me](mailto:me@example.com) or me@example.com",
       "mail me (me@example.com) or me@example.com"},
      {"[local](notes.html) [top](#top) [bad](javascript:x)", "local top bad"},
      {"[![logo](https://i.example/l.png)](https://site.example)", "logo (https://site.example)"},
      {"[](https://empty.example)", "https://empty.example"},
      {"![alt text](https://i.example/p.jpg)", "alt text"},
      {"> quoted\n> text\n\nafter", "quoted text\n\nafter"},
      {"```\ncode\n  indented\n```\n\nafter", "code\n  indented\n\nafter"},
      {"a\n\n---\n\nb", "a\n\nb"},
      {"| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n1 | 2"},
      {"line  \nbreak\\\nagain", "line\nbreak\nagain"},
      {"&amp; &lt;tag&gt; &copy;", "& <tag> \xC2\xA9"},
      {"a <b>bold</b> <script>x()</script>c", "a bold c"},
      {"<div>\n<p>para one</p>\n<p>para   two</p>\n</div>\n\nafter",
       "para one\n\npara two\n\nafter"},
      {"<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
      {"x<br>y", "x\ny"},
      {"<a href=\"https://raw.example\">raw</a>", "raw (https://raw.example)"},
      {"\n\n\nspaced\n\n\n\nout\n\n\n", "spaced\n\nout"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.markdown);
    EXPECT_EQ(render_markdown(c.markdown).text, c.text);
  }
}

// ---------------------------------------------------------------------------------------
// render_markdown: links from list items

TEST(MarkdownRender, ListItemLinks) {
  struct Case {
    std::string markdown;
    std::vector<Link> links;
  };
  const std::vector<Case> cases = {
      {"- [Title](https://a.example) - description",
       {{"Title", "https://a.example", "description"}}},
      {"- [Title](https://a.example): description",
       {{"Title", "https://a.example", "description"}}},
      {"- [Title](https://a.example) \xE2\x80\x93 en dash",
       {{"Title", "https://a.example", "en dash"}}},
      {"- [Title](https://a.example) \xE2\x80\x94 em dash",
       {{"Title", "https://a.example", "em dash"}}},
      {"- [Title](https://a.example)", {{"Title", "https://a.example", ""}}},
      {"- [Title](https://a.example).", {{"Title", "https://a.example", ""}}},
      {"- [Title](https://a.example) (German)", {{"Title", "https://a.example", "(German)"}}},
      {"- **[Bold](https://a.example)** - desc", {{"Bold", "https://a.example", "desc"}}},
      {"- [*Em* title](https://a.example) - a *fine* read",
       {{"Em title", "https://a.example", "a fine read"}}},
      {"- Title: https://a.example/x", {{"Title", "https://a.example/x", ""}}},
      {"- Title - https://a.example/x", {{"Title", "https://a.example/x", ""}}},
      {"- Title: <https://a.example/x> - more", {{"Title", "https://a.example/x", "more"}}},
      {"- https://a.example/x", {{"https://a.example/x", "https://a.example/x", ""}}},
      {"- <https://a.example/x>", {{"https://a.example/x", "https://a.example/x", ""}}},
      {"* [Star](https://a.example)\n+ [Plus](https://b.example)",
       {{"Star", "https://a.example", ""}, {"Plus", "https://b.example", ""}}},
      {"1. [Ordered](https://a.example) - yes", {{"Ordered", "https://a.example", "yes"}}},
      {"- [ ] [Task](https://a.example)", {{"Task", "https://a.example", ""}}},
      {"- [A](https://a.example) - about [B](https://b.example)",
       {{"A", "https://a.example", "about B (https://b.example)"}}},
      {"- [Loose](https://a.example) - one\n\n- [Two](https://b.example)\n",
       {{"Loose", "https://a.example", "one"}, {"Two", "https://b.example", ""}}},
      {"- Parent\n  - [Child](https://c.example) - nested",
       {{"Child", "https://c.example", "nested"}}},
      {"- [Parent](https://p.example)\n  - [Child](https://c.example)",
       {{"Parent", "https://p.example", ""}, {"Child", "https://c.example", ""}}},
      {"- [Dup](https://a.example)\n- [Dup again](https://a.example)",
       {{"Dup", "https://a.example", ""}, {"Dup again", "https://a.example", ""}}},
      // Not links: prose with a link inside, unsafe or non-web URLs, paragraphs.
      {"- read [this](https://a.example) first", {}},
      {"- Title https://a.example", {}},
      {"- [mail](mailto:a@b.example)", {}},
      {"- [rel](notes.html)", {}},
      {"- [js](javascript:alert(1))", {}},
      {"- Just text", {}},
      {"[Title](https://a.example) - not in a list", {}},
      {"- Label:\n\n  [Title](https://a.example)", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.markdown);
    EXPECT_EQ(render_markdown(c.markdown).links, c.links);
  }
}

}  // namespace
}  // namespace podcastd::catalog
