#pragma once
// RSS 2.0 rendering with the itunes, podcast, content, atom (and psc, when chapters are
// inlined) namespaces, to the letter of STANDARDS.md sections 1-3 and 7. A streaming writer,
// not a DOM: items are rendered once into fragments that the publisher caches and splices.
// Pure functions: same input -> byte-identical output; any thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"

namespace podcastd::feeds {

// One podcast:transcript tag.
struct TranscriptRef {
  std::string url;        // absolute
  std::string type;       // text/vtt, application/x-subrip, application/json, text/html,
                          // text/plain
  std::string language;   // BCP 47; "" omits the attribute
  bool captions = false;  // rel="captions" (timed formats)
};

// What an <item> needs beyond the episode itself: URLs resolved by the publisher.
struct ItemInput {
  const catalog::Episode* episode = nullptr;  // not owned; outlives the call
  std::string enclosure_url;                  // absolute URL of the audio
  std::string image_url;                      // absolute; "" = no itunes:image/podcast:image
  std::vector<TranscriptRef> transcripts;
  std::string chapters_url;  // absolute; "" = no podcast:chapters
};

// The channel: the show plus what the publisher resolved.
struct ChannelInput {
  const catalog::Show* show = nullptr;  // not owned; outlives the call
  std::string feed_url;                 // exact public URL of feed.xml (atom:link rel=self)
  std::string image_url;                // absolute itunes:image href; "" = none
  std::string podcast_guid;             // podcast:guid (remembered UUIDv5)
  std::vector<std::string> hubs;        // atom:link rel="hub"
  bool uses_podping = false;            // <podcast:podping usesPodping="true"/>
  std::string generator;                // "podcastd 0.1.0"
  // lastBuildDate/pubDate: the newest item's date, so an unchanged catalog renders
  // byte-identical feeds (no timestamp churn). nullopt omits both.
  std::optional<catalog::UnixTime> last_build_date;
};

// Renders one <item> element as a fragment: two-space indented at item level, ending with a
// newline. Uses the show for defaults (item persons repeat the show's hosts because item
// podcast:person tags replace the channel's). Text is escaped; characters XML 1.0 forbids are
// removed; description is plain text within Apple's 4000 bytes; content:encoded is HTML in
// CDATA with "]]>" split safely.
std::string render_item(const ItemInput& item, const catalog::Show& show);

// Renders the whole document around already-rendered item fragments (in feed order).
std::string render_feed(const ChannelInput& channel,
                        const std::vector<std::string_view>& item_fragments);

// Convenience: renders every item and the document.
std::string render_feed(const ChannelInput& channel, const std::vector<ItemInput>& items);

}  // namespace podcastd::feeds
