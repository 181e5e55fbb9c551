#pragma once
// Internals of the feed validator (feeds/validator*.cpp): value grammars, vocabularies, the
// raw XML scanner, offset -> line mapping and the element walker. Not part of the public
// contract; tests may use it. Pure functions and per-call objects; any thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "feeds/validator.hpp"

namespace podcastd::feeds::detail {

// ---- Namespaces -------------------------------------------------------------------------

enum class Ns : std::uint8_t { rss, itunes, podcast, content, atom, psc, other };

inline constexpr std::string_view kItunesUri = "http://www.itunes.com/dtds/podcast-1.0.dtd";
inline constexpr std::string_view kPodcastUri = "https://podcastindex.org/namespace/1.0";
inline constexpr std::string_view kPodcastAltUri =
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md";
inline constexpr std::string_view kContentUri = "http://purl.org/rss/1.0/modules/content/";
inline constexpr std::string_view kAtomUri = "http://www.w3.org/2005/Atom";
inline constexpr std::string_view kPscUri = "http://podlove.org/simple-chapters";

enum class UriKind : std::uint8_t {
  exact,               // a canonical URI (or the podcast namespace's accepted alternate)
  misspelled_warning,  // podcast URI with a trailing slash or other variant: works, warn
  misspelled_error,    // an itunes/content look-alike that consumers do not recognise
  unknown,             // some other namespace
};
struct UriClass {
  Ns ns = Ns::other;
  UriKind kind = UriKind::unknown;
};
UriClass classify_uri(std::string_view uri);
// "itunes:", "podcast:", ... ("" for rss and other).
std::string_view ns_prefix(Ns ns);

// ---- Values -----------------------------------------------------------------------------

enum class DateGrade { strict, loose, invalid };
struct DateCheck {
  DateGrade grade = DateGrade::invalid;
  std::optional<catalog::UnixTime> time;  // set when strict or loose
  bool wrong_weekday = false;             // a weekday was given and it is not the date's
  std::string actual_weekday;             // "Saturday" when wrong_weekday
  std::string reason;                     // why it is loose or invalid
};
// W3C-style RFC 2822 check: strict grammar (4-digit year, zone +HHMM with minutes 00/30 or
// UT GMT EST EDT CST CDT MST MDT PST PDT Z, single spaces, exact case), else the looser RFC
// 822 grammar (2-digit year, military zones, any offset, case-insensitive), else invalid.
// Fields are range-checked (31 Feb is invalid).
DateCheck check_rfc2822(std::string_view s);

// ISO 8601 date-time "YYYY-MM-DDThh:mm[:ss[.f]][Z|+hh:mm|+hhmm|+hh]"; with allow_date also
// a bare "YYYY-MM-DD".
bool is_iso8601(std::string_view s, bool allow_date);

bool is_absolute_uri(std::string_view s);        // scheme ":" then no whitespace or controls
bool is_http_url(std::string_view s);            // http(s)://host..., no whitespace or controls
bool is_email_with_name(std::string_view s);     // "email" or "email (Name)"
bool is_mime_type(std::string_view s);           // type/subtype[; params]
std::string_view mime_base(std::string_view s);  // "text/vtt; charset=utf-8" -> "text/vtt"
bool is_language_code(std::string_view s);       // ISO 639-1 (or 3-letter) + optional subtags
bool is_bcp47(std::string_view s);
std::optional<long long> parse_integer(std::string_view s, bool allow_negative);
std::optional<double> parse_decimal(std::string_view s, bool allow_negative);
// W3C grammar \d+(:[0-5]\d(:[0-5]\d)?)? -> seconds.
std::optional<double> parse_itunes_duration(std::string_view s);
bool is_fqdn(std::string_view s);
bool is_aspect_ratio(std::string_view s);
bool is_boolean(std::string_view s);  // "true" | "false"
std::size_t utf8_length(std::string_view s);
bool has_non_ascii(std::string_view s);
bool has_outer_space(std::string_view s);         // leading or trailing whitespace
std::string url_extension(std::string_view url);  // lower-case, "" when none
// 'value' for messages: at most ~100 bytes, control characters escaped, one line.
std::string quote(std::string_view s);

// ---- Vocabularies -----------------------------------------------------------------------

bool is_service_slug(std::string_view s);
bool is_social_protocol(std::string_view s);
bool is_chat_protocol(std::string_view s);
bool is_known_license(std::string_view s);  // case-insensitive
bool is_medium(std::string_view s);
bool is_transcript_type(std::string_view s);  // the five current types
// Podcast taxonomy (case-insensitive).
bool taxonomy_has_group(std::string_view group);
bool taxonomy_has_role(std::string_view role);
bool taxonomy_role_in_group(std::string_view role, std::string_view group);

// ---- Raw XML scan -----------------------------------------------------------------------

// Well-formedness problems pugixml lets through: malformed UTF-8, characters XML 1.0
// forbids, '&' that starts no valid reference, '<' inside attribute values. Scans
// buf[begin, end) (which must start outside markup) and appends at most `cap` issues.
struct RawIssue {
  std::size_t offset = 0;
  std::string message;
};
void scan_xml(std::string_view buf, std::size_t begin, std::size_t end, bool entities_declared,
              std::vector<RawIssue>& out, std::size_t cap);
inline constexpr std::size_t kRawIssueCap = 20;

// ---- Offsets -> lines -------------------------------------------------------------------

// One per validation call; line_of keeps a forward-search hint, so one thread at a time.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  int line_of(std::size_t offset) const;  // 1-based
  int newline_count() const { return static_cast<int>(newlines_.size()); }

 private:
  std::vector<std::size_t> newlines_;
  mutable std::size_t hint_ = 0;  // index of the last answer (a cache; not thread-safe)
};

// ---- Findings -----------------------------------------------------------------------------

inline Finding make_finding(Severity severity, std::string_view rule, std::string element, int line,
                            std::string message) {
  Finding f;
  f.severity = severity;
  f.rule = std::string(rule);
  f.element = std::move(element);
  f.line = line;
  f.message = std::move(message);
  return f;
}

// Companion checks for one podcast:transcript / podcast:chapters element: fetch, status,
// CORS, Content-Type, then the body. Findings are re-homed on `element` / `line`.
void check_companion(const ValidateOptions& options, std::string_view url,
                     std::string_view declared_type, bool chapters, std::optional<double> duration,
                     const std::string& element, int line, std::vector<Finding>& out);

}  // namespace podcastd::feeds::detail
