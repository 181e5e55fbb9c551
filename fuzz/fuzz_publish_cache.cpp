// Fuzzes the publish cache decoder (state_dir/publish-cache): any base and delta payload
// decode to a cache or to none, never a crash or an allocation the bytes cannot back.
// Input: u32 little-endian length of the base payload, the base payload, the delta payload.
// Both are sealed with a valid header, and the delta's first 8 bytes are set to the base's id,
// so the fuzzer works on the payloads, not on checksums.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "catalog/hash.hpp"
#include "feeds/publish_cache.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.size() < 4) return 0;
  std::size_t base_size = 0;
  for (int i = 0; i < 4; ++i) base_size |= static_cast<std::size_t>(data[i]) << (8 * i);
  in.remove_prefix(4);
  if (base_size > in.size()) base_size = in.size();
  std::string_view base_payload = in.substr(0, base_size);
  std::string delta_payload(in.substr(base_size));
  if (delta_payload.size() >= 8) {
    std::uint64_t id = podcastd::hash::hash64(base_payload);
    for (int i = 0; i < 8; ++i) delta_payload[i] = static_cast<char>((id >> (8 * i)) & 0xff);
  }
  std::string base = podcastd::feeds::seal_publish_cache_file(base_payload, false);
  std::string delta = podcastd::feeds::seal_publish_cache_file(delta_payload, true);
  auto cache = podcastd::feeds::decode_publish_cache(base, delta);
  (void)cache;
  return 0;
}
