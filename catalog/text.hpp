#pragma once
// Text helpers shared by the source parsers, the renderers and the daemon: UTF-8 checks,
// trimming, line splitting, duration and clock parsing, slugs. Pure functions; any thread.
// Returned string_views point into the argument and live as long as it does.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podcastd::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);
// Byte offset of the first malformed sequence, or npos when `s` is valid.
std::size_t first_invalid_utf8(std::string_view s);

// Whitespace here is ASCII space, tab, CR, LF, FF, VT, plus U+00A0 NO-BREAK SPACE.
std::string_view trim(std::string_view s);
std::string_view trim_left(std::string_view s);
std::string_view trim_right(std::string_view s);

// Lines without their terminators ("\n" or "\r\n"); a trailing newline adds no empty line.
std::vector<std::string_view> split_lines(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);

std::string to_lower_ascii(std::string_view s);
constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool iequals_ascii(std::string_view a, std::string_view b);
bool istarts_with_ascii(std::string_view s, std::string_view prefix);
// Whether `needle` occurs in `hay`, ASCII letters compared without case; no allocation.
bool icontains_ascii(std::string_view hay, std::string_view needle);

// Collapses runs of whitespace to one space and trims.
std::string collapse_whitespace(std::string_view s);

// "HH:MM:SS", "H:MM:SS.mmm", "MM:SS", "SS", "SS.mmm" (',' accepted for the fraction, as in
// SRT) -> seconds. nullopt when malformed or a minute/second field is 60 or more.
std::optional<double> parse_clock(std::string_view s);

// Human durations as show-notes pages write them: "69 min", "49min", "1h 21min", "1h",
// "1 hr 5 mins", "90s", "1:09:00", "3723" -> seconds. nullopt when not a duration.
std::optional<double> parse_human_duration(std::string_view s);

// Seconds -> "HH:MM:SS" (or "HH:MM:SS.mmm" with millis). Negative input is clamped to 0.
std::string format_clock(double seconds, bool millis = false);

// A file-system and URL safe slug: ASCII lower-case letters, digits and '-', no leading,
// trailing or doubled '-'; Latin letters with diacritics lose them. "" for no usable chars.
std::string slugify(std::string_view s, std::size_t max_length = 80);

// Escapes &, <, >, " and ' for HTML/XML text and attribute values.
std::string html_escape(std::string_view s);
void append_html_escaped(std::string& out, std::string_view s);

// Decodes HTML/XML character references (&amp; &#39; &#x2019; and the common named ones).
std::string decode_html_entities(std::string_view s);

// Removes HTML tags (block tags become line breaks) and decodes entities: HTML -> text.
std::string html_to_text(std::string_view html);

// Truncates to at most `max_bytes` without splitting a UTF-8 sequence; appends "…" when cut
// and there is room for it.
std::string truncate_utf8(std::string_view s, std::size_t max_bytes);

// Shell-style glob-free wildcard check used for ignore rules: true when `name` looks like an
// editor swap file, a dotfile, a backup or a partial download (.part, .crdownload, .tmp, ~).
bool is_ignored_file_name(std::string_view name);

// Where JSON text first nests deeper than `max_depth` arrays/objects (the offset of that
// bracket; strings skipped), or npos: checked before parsing, so a hostile document cannot
// make the recursive parser run out of stack.
std::size_t json_nesting_over(std::string_view json, int max_depth);

// Text that carries markup (plain text or HTML, as descriptions in feeds may be): a '<'
// directly followed by a letter, '/' or '!', with a '>' somewhere after it.
bool looks_like_html(std::string_view s);

// Starts with "http://" or "https://", in any case (what a link, enclosure or hub must).
bool has_http_scheme(std::string_view s);

// BCP 47 in shape only: 1-8 letters, then '-'-separated subtags of 1-8 letters or digits.
bool is_language_tag(std::string_view s);
// The one check of these values for every reader (content files, import, the validator):
// RFC 5870 in the podcast namespace's shape: "geo:LAT,LON[,ALT][;name[=value]...]", latitude
// within +-90, longitude within +-180, u= a plain decimal.
bool is_geo_uri(std::string_view s);
// local@domain.tld: one '@', no spaces or ()<>,;:"[]\\ in the local part, a domain of
// letters, digits, '-' and dots with no empty label and a dot before its last label.
bool is_email(std::string_view s);
// An OpenStreetMap id as podcast:location's osm attribute takes it: "[NWR]<id>[#<revision>]",
// ids of up to 18 digits.
bool is_osm_id(std::string_view s);

}  // namespace podcastd::text
