#pragma once
// Where published files go below output_dir and the URLs they get (DESIGN.md "Output"):
//   SHOW/feed.xml, SHOW/feed.xml.gz
//   SHOW/episodes/EPISODE/transcript[.LANG].{vtt,srt,json,html,txt}, chapters.json
//   SHOW/media/NAME-HASH.EXT  (audio and images, named by content so a changed file gets a
//                              new URL: Apple never re-fetches a URL it has seen)
// The public URL of a file is public_url + "/" + its percent-encoded output path.
// Pure functions; any thread.

#include <string>
#include <string_view>

namespace podcastd::feeds {

// "rip/feed.xml"
std::string feed_path(std::string_view show);
// An episode's folder name, from its key's last component ("rip/2025/ep1" -> "ep1",
// "rip/page.txt#holiday-episode" -> "holiday-episode"); ASCII slug, "episode" if empty.
std::string episode_slug(std::string_view key);
// "rip/episodes/ep1"
std::string episode_dir(std::string_view show, std::string_view episode_slug);
// "rip/media/final-mix-3fa9c2d1.mp3" for content file "rip/2025/Final Mix.mp3" with a
// source fingerprint starting "3fa9c2d1"; `suffix` (e.g. "-art") goes before the hash.
std::string media_path(std::string_view show, std::string_view content_path,
                       std::string_view source_hash, std::string_view suffix = "",
                       std::string_view extension = "");
// Percent-encodes everything but RFC 3986's unreserved characters and those in `keep`.
std::string percent_encode(std::string_view s, std::string_view keep = "");
// percent_encode(path, "/").
std::string percent_encode_path(std::string_view path);
// public_url + "/" + percent_encode_path(output_path)
std::string public_url_of(std::string_view public_url, std::string_view output_path);

}  // namespace podcastd::feeds
