#pragma once
// Hashes: SHA-1 (for RFC 4122 UUIDv5, as podcast:guid prescribes), UUIDv5 itself, and a
// fast 64-bit content hash for change detection and ETags. Pure functions; any thread.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace podcastd::hash {

using Sha1Digest = std::array<std::uint8_t, 20>;

Sha1Digest sha1(std::string_view data);
std::string to_hex(const std::uint8_t* data, std::size_t size);

// The Podcasting 2.0 namespace UUID for podcast:guid: ead4c236-bf58-58c6-a2c6-a6b28d128cb6.
inline constexpr std::string_view kPodcastNamespace = "ead4c236-bf58-58c6-a2c6-a6b28d128cb6";
// RFC 4122 URL namespace: 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
inline constexpr std::string_view kUrlNamespace = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

// UUIDv5 of `name` in `namespace_uuid` (canonical 36-char form), lower-case hex.
// Returns "" when namespace_uuid is not a canonical UUID.
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

// podcast:guid for a feed URL (namespace spec 3.3): strip "scheme://" and every trailing
// '/', then UUIDv5 in kPodcastNamespace.
std::string podcast_guid(std::string_view feed_url);

// True for a canonical lower- or upper-case UUID "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
bool is_uuid(std::string_view s);

// 64-bit non-cryptographic hash (XXH64-style) of `data`; stable across builds and hosts, so
// it may be stored. hex64 gives its 16-char lower-case hex form.
std::uint64_t hash64(std::string_view data, std::uint64_t seed = 0);
std::string hex64(std::uint64_t value);

// Streaming form of hash64 for files read in chunks. Same result as hash64 on the
// concatenated input.
class Hasher64 {
 public:
  explicit Hasher64(std::uint64_t seed = 0);
  void update(std::string_view data);
  std::uint64_t digest() const;

 private:
  std::uint64_t v_[4];
  std::uint64_t total_ = 0;
  std::uint64_t seed_;
  unsigned char buf_[32];
  std::size_t buf_len_ = 0;
};

}  // namespace podcastd::hash
