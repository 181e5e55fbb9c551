#pragma once
// The feed validator: the rule set of STANDARDS.md section 6 (RSS, Apple, every podcast:
// tag, companion documents, feed size), reporting errors, warnings and info, each naming the
// element (and, for our own feeds, the source file). Runs on any feed, not only ours.
// Pure functions (network access only through the optional callback); any thread. The
// results are plain values that any thread may read once returned.
//
// Two ways in:
// - validate_feed(): a whole document (the CLI, `podcastd validate`, imports).
// - validate_channel() + validate_item() + assemble_report(): the incremental path for the
//   publisher, which renders items once into fragments and splices them into the channel
//   (feeds/rss.hpp). It caches one ItemResult per fragment and, after a one-episode edit,
//   validates only the changed fragment and the channel skeleton. For a well-formed document
//   the assembled report is identical to validate_feed() on the spliced document.
//
// Out of scope here (they need HTTP responses; the caller appends its own Findings):
// HTTP-W01..W04, APL-E19, APL-E20, APL-W12/APL-W13 comparisons with served headers, APL-E03
// pixel checks, and FIL-E01/W01/W02 beyond what fetch_companion reports.

#include <cstddef>
#include <cstdint>
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

  // "source: element (line N): RULE severity: message", one line; parts that are empty or 0
  // are left out ("document" stands for an empty element).
  std::string to_string() const;
  bool operator==(const Finding&) const = default;
};

struct ValidationReport {
  std::vector<Finding> findings;  // in document order (by line; document-wide ones first)

  int count(Severity s) const;
  int errors() const { return count(Severity::error); }
  int warnings() const { return count(Severity::warning); }
  int infos() const { return count(Severity::info); }
  bool ok() const { return errors() == 0; }
  // Rule IDs of the findings, in order (handy in tests and logs).
  std::vector<std::string> rules() const;
  // Human-readable report: one finding per line, then "N errors, M warnings, K info".
  std::string to_text() const;
  // {"errors": N, "warnings": M, "info": K, "findings": [{severity, rule, element, line,
  // message, source}]}
  std::string to_json() const;
};

// A companion document (transcript, chapters) as fetched by the caller.
struct Companion {
  int status = 200;          // HTTP status (200 for local files)
  std::string content_type;  // served Content-Type
  std::string body;
  bool cors = false;  // Access-Control-Allow-Origin present
};

// Apple: missing item guid is APL-E18 (error), missing language APL-E01 (error), a non-UTF-8
// encoding XML-E06 (error). General: RSS-W02 and RSS-W08 (warnings); encoding not checked.
enum class Profile { apple, general };

struct ValidateOptions {
  std::string feed_url;                  // where the feed came from ("" unknown): atom self check
  std::optional<catalog::UnixTime> now;  // enables "date in the future" checks
  std::unordered_map<std::string, std::string> item_sources;  // item guid -> content file (ours)
  std::string channel_source;                                 // show.toml path (ours)
  // When set, referenced transcripts/chapters are fetched and checked (FIL-*); nullopt from
  // the callback means "could not fetch". Called once per distinct URL per item.
  std::function<std::optional<Companion>(std::string_view url)> fetch_companion;
  Profile profile = Profile::apple;
  // XML-E07: a body above this many bytes is an error (W3C refuses > 5,000,000); above
  // 25,000,000 (Podcast Index drops it) it is always an error. XML-I01 (info) above 2 MB.
  std::size_t size_limit = 5'000'000;
};

ValidationReport validate_feed(std::string_view xml, const ValidateOptions& options = {});

// Companion documents on their own (also used by validate_feed). Findings name `name` as
// their source; element is a JSON path ("chapters[2].startTime", 0-based like JSON) or a
// cue ("cue[5]", 1-based); line is the line in the companion when known.
ValidationReport validate_chapters_json(std::string_view json, std::string_view name,
                                        std::optional<double> duration = std::nullopt);
// `type` picks the format: text/vtt, application/x-subrip (or legacy application/srt),
// application/json, text/html, text/plain. An unknown type gives one P20-W01 warning.
ValidationReport validate_transcript(std::string_view body, std::string_view type,
                                     std::string_view name,
                                     std::optional<double> duration = std::nullopt);

// ---------------------------------------------------------------------------------------
// Incremental validation.
//
// The document is  skeleton[0, insert_offset) + fragment_1 + ... + fragment_n +
// skeleton[insert_offset, end), where the skeleton is the feed rendered with no items
// (render_feed(channel, {})) and ChannelResult::insert_offset is the start of the line that
// holds the channel's closing tag (or the tag itself when other text precedes it on its
// line). Each fragment holds exactly one <item> element (as render_item() emits it).

// Facts about one item that the cross-item rules need (assemble_report). Lines are relative
// to the item: 1 is the line of the "<item" tag.
struct ItemFacts {
  bool has_guid = false;
  std::string guid;  // text of <guid> as written
  int guid_line = 0;
  std::string enclosure_url;  // first enclosure's url ("" when none)
  int enclosure_line = 0;
  std::optional<catalog::UnixTime> pub_date;  // when pubDate parses (strictly or loosely)
  int pub_date_line = 0;
  std::string title;  // <title> text
  std::string itunes_title;
  int title_line = 0;
  bool has_itunes_episode = false;
  bool has_itunes_season = false;
  std::string episode_type;               // itunes:episodeType as written ("" when absent)
  std::vector<std::string> person_names;  // item-level podcast:person values
  int person_line = 0;                    // line of the first item podcast:person
  bool has_transcript = false;
  bool has_chapters = false;
  // Namespace URIs (as resolved) that elements or attributes inside the item used.
  std::vector<std::string> namespaces_used;
  // Prefixes used without a declaration in scope: prefix, element path, relative line.
  struct UndeclaredPrefix {
    std::string prefix;
    std::string element;
    int line = 0;
    bool operator==(const UndeclaredPrefix&) const = default;
  };
  std::vector<UndeclaredPrefix> undeclared_prefixes;
  bool operator==(const ItemFacts&) const = default;
};

// One item's findings and facts. Element paths start with "item" ("item/enclosure"),
// lines are relative (1 = the "<item" line); assemble_report makes both absolute.
struct ItemResult {
  std::vector<Finding> findings;
  ItemFacts facts;
  bool parsed = false;     // false: the fragment is not well-formed (an XML-E01 finding)
  int leading_lines = 0;   // newlines in the fragment before "<item"
  int line_count = 0;      // newlines in the whole fragment
  std::size_t bytes = 0;   // fragment size
  std::size_t offset = 0;  // offset of "<item" in the fragment
};

// A namespace declaration on <rss> or <channel> (they are in scope for every item).
struct NamespaceDecl {
  std::string prefix;  // "" = default namespace
  std::string uri;
  std::string element;  // "rss" or "rss/channel"
  int line = 0;
  bool operator==(const NamespaceDecl&) const = default;
};

// The channel skeleton's findings and what assemble_report needs to finish the job.
struct ChannelResult {
  std::vector<Finding> findings;  // document and channel findings, lines of the skeleton
  bool parsed = false;            // false: not well-formed or no <rss>/<channel> to work on
  std::vector<NamespaceDecl> declarations;                       // in scope for items, rss first
  std::vector<std::string> namespaces_used;                      // URIs used outside items
  std::vector<ItemFacts::UndeclaredPrefix> undeclared_prefixes;  // outside items
  std::string title;                                             // channel <title>
  bool serial = false;                                           // itunes:type is "serial"
  std::vector<std::string> host_names;  // channel podcast:person with role host (default)
  int channel_line = 0;                 // line of <channel>
  bool doctype_entities = false;        // a DOCTYPE internal subset may declare entities
  std::size_t insert_offset = 0;        // where the item fragments go (see above)
  int insert_line = 0;                  // line of insert_offset in the skeleton
  std::size_t bytes = 0;                // skeleton size
};

// Validates the channel skeleton. Items present in the skeleton are ignored (validate them
// with validate_item); liveItems are validated here.
ChannelResult validate_channel(std::string_view skeleton_xml, const ValidateOptions& options = {});

// Validates one item fragment on its own. Prefixes resolve through `channel`'s declarations
// when given, otherwise through the renderer's fixed set (itunes, podcast, content, atom, psc
// bound to their canonical URIs). The result depends only on the fragment, `options` (now,
// profile, fetch_companion) and those declarations, so callers may cache it per fragment.
ItemResult validate_item(std::string_view item_xml, const ValidateOptions& options = {},
                         const ChannelResult* channel = nullptr);

// Channel findings + item results (in feed order) -> the report validate_feed() returns for
// the spliced document: cross-item rules (duplicate guids and enclosures, serial episodes,
// ordering, hosts, namespace usage, feed size), absolute paths and lines, sources, order.
// The pointers are only read during the call.
ValidationReport assemble_report(const ChannelResult& channel,
                                 const std::vector<const ItemResult*>& items,
                                 const ValidateOptions& options = {});

}  // namespace podcastd::feeds
