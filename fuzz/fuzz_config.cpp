// Fuzzes the configuration loader: any bytes give a Config or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "daemon/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = podcastd::daemon::parse_config(text, "fuzz.toml", "/fuzz");
  (void)config;
  return 0;
}
