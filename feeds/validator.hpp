#pragma once
// The feed validator: the rule set of STANDARDS.md section 6 (RSS, Apple, every podcast:
// tag, companion documents, feed size), reporting errors, warnings and info, each naming the
// element (and, for our own feeds, the source file). Runs on any feed, not only ours.
// Pure functions (network access only through the optional callback); any thread.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"

namespace podcastd::feeds {

enum class Severity { error, warning, info };
const char* to_string(Severity severity);

struct Finding {
  Severity severity = Severity::error;
  std::string rule;     // "RSS-E05", "APL-W03", "P20-E13", "FIL-E02", "XML-E01" ...
  std::string element;  // "rss/channel/item[3]/pubDate" (1-based item index); "" = document
  int line = 0;         // line in the document, 0 when unknown
  std::string message;  // what is wrong, with the offending value
  std::string source;   // content file the element came from (our feeds), else ""

  // "source: element (line N): RULE error: message" style, one line.
  std::string to_string() const;
};

struct ValidationReport {
  std::vector<Finding> findings;  // in document order

  int count(Severity s) const;
  int errors() const { return count(Severity::error); }
  int warnings() const { return count(Severity::warning); }
  bool ok() const { return errors() == 0; }
  // Human-readable report: one finding per line, then a summary line "N errors, M warnings".
  std::string to_text() const;
  // {"errors": N, "warnings": M, "findings": [{severity, rule, element, line, message,
  // source}]}
  std::string to_json() const;
};

// A companion document (transcript, chapters) as fetched by the caller.
struct Companion {
  int status = 200;          // HTTP status (200 for local files)
  std::string content_type;  // served Content-Type
  std::string body;
  bool cors = false;  // Access-Control-Allow-Origin present
};

struct ValidateOptions {
  std::string feed_url;                  // where the feed came from ("" unknown): atom self check
  std::optional<catalog::UnixTime> now;  // enables "date in the future" checks
  std::map<std::string, std::string> item_sources;  // item guid -> content file (ours)
  std::string channel_source;                       // show.toml path (ours)
  // When set, referenced transcripts/chapters are fetched and checked (FIL-*); nullopt from
  // the callback means "could not fetch".
  std::function<std::optional<Companion>(std::string_view url)> fetch_companion;
};

ValidationReport validate_feed(std::string_view xml, const ValidateOptions& options = {});

// Companion documents on their own (also used by validate_feed).
ValidationReport validate_chapters_json(std::string_view json, std::string_view name,
                                        std::optional<double> duration = std::nullopt);
ValidationReport validate_transcript(std::string_view body, std::string_view type,
                                     std::string_view name,
                                     std::optional<double> duration = std::nullopt);

}  // namespace podcastd::feeds
