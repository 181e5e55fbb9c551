#include "feeds/layout.hpp"

#include "catalog/text.hpp"

namespace podcastd::feeds {

std::string feed_path(std::string_view show) { return std::string(show) + "/feed.xml"; }

std::string episode_slug(std::string_view key) {
  std::size_t hash = key.find('#');
  std::string_view name = hash != std::string_view::npos ? key.substr(hash + 1) : key;
  std::size_t slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string slug = text::slugify(name);
  return slug.empty() ? "episode" : slug;
}

std::string episode_dir(std::string_view show, std::string_view slug) {
  return std::string(show) + "/episodes/" + std::string(slug);
}

std::string media_path(std::string_view show, std::string_view content_path,
                       std::string_view source_hash, std::string_view suffix,
                       std::string_view extension) {
  std::string_view name = content_path.substr(content_path.rfind('/') + 1);
  std::size_t dot = name.rfind('.');
  std::string_view stem = dot == std::string_view::npos ? name : name.substr(0, dot);
  std::string ext = std::string(
      extension.empty() && dot != std::string_view::npos ? name.substr(dot) : extension);
  ext = text::to_lower_ascii(ext);
  std::string slug = text::slugify(stem, 60);
  if (slug.empty()) slug = "media";
  return std::string(show) + "/media/" + slug + std::string(suffix) + "-" +
         std::string(source_hash.substr(0, 8)) + ext;
}

std::string percent_encode(std::string_view s, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || keep.find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string percent_encode_path(std::string_view path) { return percent_encode(path, "/"); }

std::string public_url_of(std::string_view public_url, std::string_view output_path) {
  std::string out(public_url);
  while (!out.empty() && out.back() == '/') out.pop_back();
  out += '/';
  out += percent_encode_path(output_path);
  return out;
}

}  // namespace podcastd::feeds
