#pragma once
// RSS 2.0 rendering with the itunes, podcast, content, atom (and psc, when chapters are
// inlined) namespaces, to the letter of STANDARDS.md sections 1-3 and 7. A streaming writer,
// not a DOM: items are rendered once into fragments that the publisher caches and splices.
// Pure functions: same input -> byte-identical output; any thread.

#include <cstdint>
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
// Everything else (persons, soundbites, locations, funding, txt, license, alternate
// enclosures, psc chapters) comes from the episode as it is.
struct ItemInput {
  const catalog::Episode* episode = nullptr;  // not owned; outlives the call
  std::string enclosure_url;  // absolute URL of the audio; "" = the episode's enclosure->url
  std::string image_url;      // absolute; "" = no itunes:image/podcast:image
  std::vector<TranscriptRef> transcripts;
  std::string chapters_url;  // absolute; "" = no podcast:chapters
};

// One channel-level podcast:trailer (STANDARDS 3.2): title, url and pubdate are required, the
// rest is omitted when unset.
struct TrailerRef {
  std::string title;
  std::string url;  // absolute media URL
  catalog::UnixTime pubdate = 0;
  std::int64_t length = 0;  // bytes; 0 omits the attribute
  std::string type;         // MIME; "" omits the attribute
  std::optional<int> season;
  bool operator==(const TrailerRef&) const = default;
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
  // podcast:trailer tags, in this order. The render_feed overload that takes ItemInputs fills
  // this from the items' trailer episodes (trailer_for) when it is left empty.
  std::vector<TrailerRef> trailers;
};

// The podcast:trailer describing `item` when its episode is a trailer (itunes:episodeType
// trailer) with a title, a media URL and a date; nullopt otherwise.
std::optional<TrailerRef> trailer_for(const ItemInput& item);

// Renders one <item> element as a fragment: two-space indented at item level (the <item> line
// starts with four spaces), ending with a newline. Uses the show for defaults (item persons
// repeat the show's hosts because item podcast:person tags replace the channel's). Text is
// escaped; characters XML 1.0 forbids are removed; description is plain text within Apple's
// 4000 bytes; content:encoded is HTML in CDATA with "]]>" split safely. A null episode
// renders "".
std::string render_item(const ItemInput& item, const catalog::Show& show);

// Renders the whole document around already-rendered item fragments (in feed order).
// xmlns:psc is declared when a fragment carries psc:chapters (found by its line prefix).
// A null channel.show renders "".
std::string render_feed(const ChannelInput& channel,
                        const std::vector<std::string_view>& item_fragments);

// Convenience: renders every item and the document, straight into one buffer. Byte-identical
// to render_item + the fragment overload (with trailers derived as ChannelInput says).
std::string render_feed(const ChannelInput& channel, const std::vector<ItemInput>& items);

}  // namespace podcastd::feeds
