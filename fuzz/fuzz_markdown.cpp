// Fuzzes the Markdown episode parser and the notes renderer: any bytes give an episode or an
// error, never a crash, and rendered HTML never carries a script or an event handler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "catalog/markdown_source.hpp"

namespace {

// The sanitizer's promise, checked on every input: no tag we did not build ourselves.
void check_html(const std::string& html) {
  static constexpr std::string_view kForbidden[] = {"<script", "<iframe", "<style", "<img src=\"javascript",
                                                    "href=\"javascript", " onerror", " onclick",
                                                    "<svg", "<object", "<embed"};
  for (std::string_view bad : kForbidden) {
    if (html.find(bad) != std::string::npos) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto episode = podcastd::catalog::parse_markdown_episode("fuzz/ep.md", text);
  if (episode.ok()) check_html(episode->episode.notes_html);
  podcastd::catalog::RenderedNotes notes = podcastd::catalog::render_markdown(text);
  check_html(notes.html);
  return 0;
}
