#pragma once
// The catalog's model: what podcastd knows about shows and episodes, independent of where
// it came from (source parsers fill these) and where it goes (the SQLite store persists
// them, feeds/ renders them). Plain values: any thread may use them; copies are independent.
//
// Conventions: an empty string means "not set"; std::optional marks numbers and flags that
// may be absent; times are Unix seconds (UTC) in UnixTime; media offsets are seconds as
// double. Paths of local files are relative to the content directory, with '/' separators.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace podcastd::catalog {

using UnixTime = std::int64_t;

// Something wrong (or worth saying) about one source file, located like a compiler message.
struct Diagnostic {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  std::string file;  // relative to the content dir
  int line = 0;      // 1-based; 0 when the whole file is meant
  std::string message;

  // "file:line: message" (or "file: message" when line is 0), prefixed "warning: " for
  // warnings.
  std::string to_string() const;
  bool operator==(const Diagnostic&) const = default;
};

// A podcast:person. role/group are kept as written; "" means the spec's defaults
// (host, cast).
struct Person {
  std::string name;
  std::string role;
  std::string group;
  std::string href;
  std::string img;
  std::string bio;  // plain text ("About NAME" sections); not part of podcast:person
  bool operator==(const Person&) const = default;
};

struct Chapter {
  double start = 0;           // seconds from the start of the audio
  std::optional<double> end;  // seconds, when known
  std::string title;
  std::string url;
  std::string img;
  bool toc = true;  // false: a silent marker (JSON chapters "toc": false)
  bool operator==(const Chapter&) const = default;
};

// A link from the show notes: "- Title - description" lines, [[link]] tables, Markdown lists.
struct Link {
  std::string title;
  std::string url;  // "" when the page gave no URL
  std::string description;
  bool operator==(const Link&) const = default;
};

struct Funding {
  std::string url;
  std::string text;
  bool operator==(const Funding&) const = default;
};

struct Soundbite {
  double start = 0;
  double duration = 0;
  std::string title;
  bool operator==(const Soundbite&) const = default;
};

struct Location {
  std::string name;
  std::string rel;      // subject | creator | ""
  std::string geo;      // RFC 5870 "geo:lat,lon"
  std::string osm;      // [NWR]id[#rev]
  std::string country;  // ISO 3166-1 alpha-2
  bool operator==(const Location&) const = default;
};

// podcast:txt
struct Txt {
  std::string purpose;
  std::string text;
  bool operator==(const Txt&) const = default;
};

struct TranscriptSegment {
  std::string speaker;          // "" when unknown
  std::optional<double> start;  // seconds; absent in untimed transcripts
  std::optional<double> end;
  std::string body;  // may contain '\n'
  bool operator==(const TranscriptSegment&) const = default;
};

// Where a transcript came from; timed ones (vtt, srt, json with times) are published in
// every format, untimed ones as HTML and plain text only.
enum class TranscriptFormat { vtt, srt, json, text, notes };

struct Transcript {
  std::string source;  // content-relative path of the file it was read from
  TranscriptFormat format = TranscriptFormat::text;
  std::string language;  // BCP 47; "" means the show's language
  std::vector<TranscriptSegment> segments;

  // True when every segment has a start time.
  bool timed() const;
  bool operator==(const Transcript&) const = default;
};

// One row of a show-notes page's trailing speaker timeline ("Tom" / "00:00:27").
struct SpeakerTurn {
  std::string speaker;
  double start = 0;
  bool operator==(const SpeakerTurn&) const = default;
};

// The episode's audio. Local audio is a file below the content dir; remote audio a URL.
// length, mime, duration and bitrate of local files are measured, never guessed.
struct Enclosure {
  std::string file;         // content-relative path of local audio, else ""
  std::string url;          // absolute URL of remote audio, else ""
  std::int64_t length = 0;  // bytes
  std::string mime;         // audio/mpeg, audio/x-m4a, ...
  double duration = 0;      // seconds; 0 when unknown
  int bitrate = 0;          // kbit/s; 0 when unknown
  bool operator==(const Enclosure&) const = default;
};

struct AlternateEnclosure {
  std::string type;
  std::int64_t length = 0;
  int bitrate = 0;  // bit/s
  std::string title;
  std::string rel;
  bool is_default = false;
  std::vector<std::string> sources;  // podcast:source uri values
  bool operator==(const AlternateEnclosure&) const = default;
};

enum class EpisodeType { full, trailer, bonus };
const char* to_string(EpisodeType type);

// Publication state, derived from draft/publish_at/enclosure at a given moment.
enum class EpisodeStatus { published, draft, scheduled, no_audio, error };
const char* to_string(EpisodeStatus status);

struct Episode {
  std::string show;  // slug of the show
  // Content-relative path of the episode's identity: the notes file, the bundle folder or
  // the lone audio file (without extension for stem groups). Unique within a show.
  std::string key;
  std::string guid;            // item <guid>, fixed at first publish
  bool guid_explicit = false;  // true when a source stated it

  std::string title;
  std::string subtitle;
  std::string summary;
  std::string notes_html;  // content:encoded (sanitized HTML)
  std::string notes_text;  // description (plain text)
  std::string link;        // episode web page
  std::string image;       // content-relative path or absolute URL

  std::optional<UnixTime> date;        // pubDate
  std::optional<UnixTime> publish_at;  // scheduled release
  bool draft = false;
  std::optional<int> season;
  std::string season_name;
  std::optional<int> number;   // itunes:episode / podcast:episode
  std::string number_display;  // podcast:episode@display
  EpisodeType type = EpisodeType::full;
  std::optional<bool> explicit_content;
  bool block = false;

  std::optional<Enclosure> enclosure;
  std::optional<double> declared_duration;  // from notes, when the audio cannot tell
  std::vector<AlternateEnclosure> alternate_enclosures;

  std::vector<Person> persons;  // guests and other credits (item podcast:person)
  std::vector<Chapter> chapters;
  std::vector<Link> links;
  std::vector<Soundbite> soundbites;
  std::vector<Location> locations;
  std::vector<Funding> funding;
  std::vector<Txt> txt;
  std::string license;
  std::string license_url;
  std::vector<Transcript> transcripts;
  std::vector<SpeakerTurn> speaker_timeline;

  std::vector<std::string> sources;  // content-relative paths of every contributing file

  // The duration to publish: measured audio first, then the declared one; 0 if neither.
  double duration() const;
  EpisodeStatus status(UnixTime now) const;
  bool operator==(const Episode&) const = default;
};

// The channel of one feed. A show is a folder holding show.toml; its folder name is the slug.
struct Show {
  std::string slug;
  std::string dir;  // content-relative folder ("" when the content dir is the show)

  std::string title;
  std::string description;  // plain text or HTML
  std::string author;
  std::string language;
  std::string link;
  std::string image;  // content-relative path or absolute URL
  std::string copyright;
  std::string owner_name;
  std::string owner_email;
  // Apple categories, "Technology" or "Society & Culture > Documentary"; first is primary.
  std::vector<std::string> categories;
  std::optional<bool> explicit_content;
  std::string type;  // episodic | serial | ""
  std::string guid;  // podcast:guid; "" = derive from the feed URL at first publish
  std::optional<bool> locked;
  std::string locked_owner;
  std::vector<Funding> funding;
  std::vector<Person> persons;  // hosts
  std::string medium;
  std::string license;
  std::string license_url;
  bool complete = false;
  bool block = false;
  std::string new_feed_url;
  std::vector<Location> locations;
  std::vector<Txt> txt;
  std::string update_frequency;        // display text
  std::string update_frequency_rrule;  // RFC 5545
  int max_items = 0;                   // 0 = all

  std::vector<std::string> sources;  // show.toml and show pages that contributed
  bool operator==(const Show&) const = default;
};

// Fingerprints (hash64) over every field: equal values give equal fingerprints across runs
// and hosts, so they may be stored; any change to any field changes them (in practice).
std::uint64_t fingerprint(const Episode& episode);
std::uint64_t fingerprint(const Show& show);

}  // namespace podcastd::catalog
