// Fuzzes the sidecar parsers. The first byte selects one (modulo 5): 0 WebVTT, 1 SRT,
// 2 JSON transcript, 3 plain-text transcript, 4 JSON chapters; the rest is the file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/sidecars.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      (void)podcastd::catalog::parse_vtt("fuzz.vtt", text);
      break;
    case 1:
      (void)podcastd::catalog::parse_srt("fuzz.srt", text);
      break;
    case 2:
      (void)podcastd::catalog::parse_json_transcript("fuzz.json", text);
      break;
    case 3:
      (void)podcastd::catalog::parse_text_transcript("fuzz.txt", text);
      break;
    default:
      (void)podcastd::catalog::parse_json_chapters("fuzz.chapters.json", text);
      break;
  }
  return 0;
}
