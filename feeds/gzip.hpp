#pragma once
// Gzip built from independently compressed pieces (pigz's trick): each piece is a raw deflate
// segment compressed with a fresh window and ended by a sync flush, so segments can be
// cached (one per feed item) and spliced in any order into one valid gzip member; the CRC-32
// of the whole is combined from the pieces' CRCs. A one-item change then costs compressing
// that item, not the whole feed. Pure values; any thread.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/shared_text.hpp"

namespace podcastd::feeds {

struct DeflateSegment {
  SharedText data;             // raw deflate, byte-aligned, not final
  std::uint32_t crc = 0;       // CRC-32 of the uncompressed bytes
  std::uint64_t raw_size = 0;  // uncompressed size
};

// Compresses `raw` into a segment (zlib level `level`, 1..9). With a `dictionary`, matches may
// reach back into it: the segment is then only valid right after exactly those bytes (their
// last 32 KiB), which is how a feed item compresses well against the item before it.
DeflateSegment deflate_segment(std::string_view raw, int level = 6,
                               std::string_view dictionary = {});

// A complete gzip file (RFC 1952, no file name, mtime 0 so output is reproducible) from
// segments in order.
std::string assemble_gzip(const std::vector<const DeflateSegment*>& segments);

// Convenience: one-shot gzip of `raw` at `level`.
std::string gzip(std::string_view raw, int level = 6);
// Inflates a gzip file (tests, the validator's fetch path). Empty optional-like: returns
// false on corrupt input.
bool gunzip(std::string_view gz, std::string& out);

}  // namespace podcastd::feeds
