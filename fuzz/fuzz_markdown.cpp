// Fuzzes the Markdown episode parser and the notes renderer: any bytes give an episode or an
// error, never a crash, and the rendered HTML only holds tags and attributes the sanitizer
// builds itself (checked on every input, so a bypass is a crash).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "catalog/markdown_source.hpp"

namespace {

bool one_of(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view x : set) {
    if (s == x) {
      return true;
    }
  }
  return false;
}

bool lower_starts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != prefix[i]) {
      return false;
    }
  }
  return true;
}

// Every '<' in the output starts a tag we emitted (text '<' is escaped as &lt;).
void check_html(std::string_view html) {
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    std::size_t end = html.find('>', i);
    if (end == std::string_view::npos) {
      std::abort();
    }
    std::string_view tag = html.substr(i + 1, end - i - 1);
    if (!tag.empty() && tag[0] == '/') {
      tag.remove_prefix(1);
    }
    std::size_t name_end = tag.find(' ');
    std::string_view name = tag.substr(0, name_end);
    if (!one_of(name,
                {"a",      "abbr", "b",   "bdi",  "cite",  "code",       "del",   "dfn",   "em",
                 "i",      "ins",  "kbd", "mark", "q",     "s",          "samp",  "small", "span",
                 "strong", "sub",  "sup", "u",    "var",   "blockquote", "div",   "dl",    "h1",
                 "h2",     "h3",   "h4",  "h5",   "h6",    "ol",         "p",     "pre",   "table",
                 "ul",     "dd",   "dt",  "li",   "tbody", "td",         "tfoot", "th",    "thead",
                 "tr",     "br",   "hr",  "wbr",  "img"})) {
      std::abort();
    }
    // Attributes: name="value" pairs, values without quotes or angle brackets.
    std::string_view rest = name_end == std::string_view::npos ? "" : tag.substr(name_end);
    while (!rest.empty()) {
      if (rest[0] != ' ') {
        std::abort();
      }
      rest.remove_prefix(1);
      std::size_t eq = rest.find("=\"");
      if (eq == std::string_view::npos) {
        std::abort();
      }
      std::string_view attr = rest.substr(0, eq);
      if (!one_of(attr, {"href", "src", "alt", "title", "align", "start"})) {
        std::abort();
      }
      std::size_t close = rest.find('"', eq + 2);
      if (close == std::string_view::npos) {
        std::abort();
      }
      std::string_view value = rest.substr(eq + 2, close - eq - 2);
      if ((attr == "href" || attr == "src") &&
          (lower_starts_with(value, "javascript:") || lower_starts_with(value, "vbscript:") ||
           lower_starts_with(value, "data:"))) {
        std::abort();
      }
      rest.remove_prefix(close + 1);
    }
    i = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto episode = podcastd::catalog::parse_markdown_episode("fuzz/ep.md", text);
  if (episode.ok()) {
    check_html(episode->episode.notes_html);
  }
  podcastd::catalog::RenderedNotes notes = podcastd::catalog::render_markdown(text);
  check_html(notes.html);
  return 0;
}
