// Fuzzes the show-notes page parser: any bytes give a TextPage or a located parse error, never
// a crash, and what comes back keeps the parser's promises.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "catalog/text.hpp"
#include "catalog/text_page.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto page = podcastd::catalog::parse_text_page("fuzz.txt", text);
  if (!page.ok()) {
    if (page.error().code != podcastd::ErrorCode::parse ||
        page.error().message.rfind("fuzz.txt:", 0) != 0) {
      __builtin_trap();
    }
    return 0;
  }
  const podcastd::catalog::TextPage& p = *page;
  if (p.kind == podcastd::catalog::TextPage::Kind::episode) {
    const podcastd::catalog::Episode& e = p.episode;
    if (e.title.empty() || e.transcripts.size() > 1 ||
        !podcastd::text::is_valid_utf8(e.notes_html) ||
        !podcastd::text::is_valid_utf8(e.notes_text)) {
      __builtin_trap();
    }
    for (std::size_t i = 1; i < e.chapters.size(); ++i) {
      if (e.chapters[i].start < e.chapters[i - 1].start) {
        __builtin_trap();
      }
    }
    // Notes HTML carries no raw markup from the page.
    if (e.notes_html.find("<script") != std::string::npos) {
      __builtin_trap();
    }
  } else if (p.show.title.empty()) {
    __builtin_trap();
  }
  return 0;
}
