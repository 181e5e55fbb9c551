// Fuzzes the feed validator and the companion validators: any bytes give a report, never a
// crash, hang or sanitizer finding. Every input goes through each entry point.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "feeds/validator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  podcastd::feeds::ValidateOptions options;
  options.now = 1712109988;
  options.feed_url = "https://feeds.example.com/show.xml";
  options.fetch_companion =
      [text](std::string_view url) -> std::optional<podcastd::feeds::Companion> {
    if (url.size() % 3 == 0) {
      return std::nullopt;
    }
    return podcastd::feeds::Companion{200, "text/vtt", std::string(text), url.size() % 2 == 0};
  };
  auto report = podcastd::feeds::validate_feed(text, options);
  (void)report.to_text();
  (void)report.to_json();
  auto channel = podcastd::feeds::validate_channel(text, options);
  auto item = podcastd::feeds::validate_item(text, options, &channel);
  (void)podcastd::feeds::assemble_report(channel, {&item, &item}, options);
  (void)podcastd::feeds::validate_chapters_json(text, "c.json", 60.0);
  for (const char* type : {"text/vtt", "application/x-subrip", "application/json", "text/html"}) {
    (void)podcastd::feeds::validate_transcript(text, type, "t", 60.0);
  }
  return 0;
}
