#pragma once
// Feed import (`podcastd import`, DESIGN.md "Command line"): an existing podcast's RSS feed
// -> content files in our format: show.toml and one Markdown file per item, with TOML front
// matter the catalog's parsers accept. Every item keeps its GUID exactly, its date with the
// feed's own time zone, its enclosure URL/length/type, and its notes as HTML.
//
// Pure functions of their input (no network, no file system: daemon/cmd_import.cpp fetches
// the feed, downloads artwork/transcripts/chapters and writes the files): any thread.
//
// Lossy on purpose (reported as warnings): values our sources cannot hold or that would make
// a source file fail to parse — a non-UUID podcast:guid, a language that is not a language
// tag, a malformed e-mail or URL (spaces are percent-encoded, other broken URLs dropped),
// decimal podcast:episode numbers, unknown episode types, alternate enclosures, value blocks
// and live items. An item without <guid> gets its enclosure URL as guid (what Apple uses).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "catalog/result.hpp"
#include "catalog/time.hpp"

namespace podcastd::feeds {

struct ImportedTranscript {
  std::string url;
  std::string type;  // MIME type as the feed gave it
  std::string language;
  std::string rel;
  bool operator==(const ImportedTranscript&) const = default;
};

struct ImportedEpisode {
  // Stated fields: title, guid, subtitle, summary, notes_html, link, image, date, season,
  // season_name, number, number_display, type, explicit_content, block, declared_duration,
  // persons, soundbites, locations, funding, txt, license, license_url.
  catalog::Episode episode;
  timefmt::Zone date_zone;  // the pubDate's zone (+120 for +0200; GMT, UT, UTC, Z: "Z")
  bool guid_from_enclosure = false;
  std::string audio_url;  // enclosure URL ("" when the item has none)
  std::optional<std::int64_t> audio_length;
  std::string audio_mime;
  std::vector<ImportedTranscript> transcripts;
  std::string chapters_url;
  std::string chapters_type;
};

struct ImportedFeed {
  catalog::Show show;                     // image is the feed's URL
  std::vector<ImportedEpisode> episodes;  // in feed order
  std::vector<std::string> warnings;      // "item 3 (\"Title\"): ..." — what was left out
};

// Parses RSS 2.0 with the itunes, podcast, content and atom namespaces (matched by namespace
// URI, any prefix; the usual prefixes also when undeclared). `name` is used in messages;
// `base_url` (the feed's URL, "" for a file) resolves relative URLs. Errors
// (ErrorCode::parse): not well-formed XML ("NAME:LINE: reason"), no <rss><channel>.
Result<ImportedFeed> parse_feed_for_import(std::string_view xml, std::string_view name,
                                           std::string_view base_url = "");

// Seconds from an itunes:duration in any form Apple accepted: "3723", "3723.5", "62:03"
// (minutes:seconds), "1:02:03", "01:02:03" (numbers after a third colon are ignored).
std::optional<double> parse_itunes_duration(std::string_view s);

// A pubDate: RFC 2822, else RFC 3339; nullopt for anything else. `zone` receives the zone it
// was written in (timefmt::format_rfc3339 writes it back in that zone).
std::optional<catalog::UnixTime> parse_pub_date(std::string_view s, timefmt::Zone* zone);

// The sidecar suffix our content scanner reads for a transcript type: ".vtt", ".srt",
// ".transcript.json", ".transcript.txt"; "" for types we cannot read (text/html).
std::string transcript_sidecar_suffix(std::string_view type);

// File stem of an episode: "YYYY-MM-DD-slug-of-the-title" (date in the feed's zone), or the
// slug alone when undated; "episode" when the title has no usable characters. Collisions are
// the caller's to resolve.
std::string episode_stem(const ImportedEpisode& episode);

// What was saved next to an episode's Markdown file (STEM + sidecar suffix).
struct LocalFiles {
  std::set<std::size_t> transcripts;  // indexes into ImportedEpisode::transcripts
  bool chapters = false;              // STEM.chapters.json
};

// show.toml. `image_file`: the artwork saved beside it, or "" to keep the feed's image URL.
std::string render_show_toml(const catalog::Show& show, std::string_view image_file = "");

// STEM.md: front matter, then the notes as one raw HTML block (the Markdown renderer keeps
// allowlisted HTML). Transcripts and chapters not saved locally stay reachable as [[links]]
// tables ("Transcript (text/html, en)", "Chapters") pointing at their URLs.
std::string render_episode_markdown(const ImportedEpisode& episode, const LocalFiles& local = {});

// Notes (HTML, or plain text which becomes <p>/<br> paragraphs with linked URLs) as a
// Markdown body: one <div> block without blank lines, so Markdown never reinterprets it.
std::string notes_body(std::string_view notes);

// TOML basic string literal for `s` (control characters other than tab/LF/CR dropped).
std::string toml_string(std::string_view s);

}  // namespace podcastd::feeds
