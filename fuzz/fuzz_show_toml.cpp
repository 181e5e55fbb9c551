// Fuzzes the show.toml parser: any bytes give a show or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/show_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto show = podcastd::catalog::parse_show_toml("fuzz/show.toml", text);
  (void)show;
  return 0;
}
