// Fuzzes the feed importer: any bytes give an ImportedFeed or a located parse error, never a
// crash; and every file it would write is read back by our own parsers (a show.toml or an
// episode the importer writes must never fail to parse), with GUIDs and dates kept.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "catalog/markdown_source.hpp"
#include "catalog/show_source.hpp"
#include "catalog/text.hpp"
#include "feeds/importer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace feeds = podcastd::feeds;
  namespace catalog = podcastd::catalog;
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto feed = feeds::parse_feed_for_import(xml, "fuzz.xml", "https://feeds.example/dir/rss");
  if (!feed.ok()) {
    if (feed.error().code != podcastd::ErrorCode::parse ||
        feed.error().message.rfind("fuzz.xml", 0) != 0) {
      __builtin_trap();
    }
    return 0;
  }
  std::string show = feeds::render_show_toml(feed->show);
  if (!podcastd::text::is_valid_utf8(show) || !catalog::parse_show_toml("s/show.toml", show).ok()) {
    __builtin_trap();
  }
  for (const feeds::ImportedEpisode& e : feed->episodes) {
    feeds::LocalFiles all;
    for (std::size_t i = 0; i < e.transcripts.size(); ++i) {
      all.transcripts.insert(i);
    }
    all.chapters = true;
    for (const feeds::LocalFiles& local : {feeds::LocalFiles{}, all}) {
      std::string md = feeds::render_episode_markdown(e, local);
      auto back = catalog::parse_markdown_episode("s/episodes/x.md", md);
      if (!back.ok() || back->episode.guid != e.episode.guid ||
          back->episode.date != e.episode.date || back->audio != e.audio_url) {
        __builtin_trap();
      }
    }
    if (feeds::episode_stem(e).empty()) {
      __builtin_trap();
    }
  }
  return 0;
}
