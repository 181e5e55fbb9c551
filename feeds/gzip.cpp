#include "feeds/gzip.hpp"

#include <zlib.h>

#include <stdexcept>
#include <utility>

namespace podcastd::feeds {

DeflateSegment deflate_segment(std::string_view raw, int level, std::string_view dictionary) {
  DeflateSegment seg;
  z_stream z{};
  // Raw deflate (negative window bits): the gzip header/trailer are added at assembly.
  if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  if (!dictionary.empty()) {
    constexpr std::size_t kWindow = 32768;
    if (dictionary.size() > kWindow) dictionary.remove_prefix(dictionary.size() - kWindow);
    deflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dictionary.data()),
                         static_cast<uInt>(dictionary.size()));
  }
  std::string data(deflateBound(&z, static_cast<uLong>(raw.size())) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(data.data());
  z.avail_out = static_cast<uInt>(data.size());
  int rc = deflate(&z, Z_SYNC_FLUSH);
  if (rc != Z_OK && rc != Z_BUF_ERROR) {
    deflateEnd(&z);
    throw std::runtime_error("deflate failed");
  }
  data.resize(data.size() - z.avail_out);
  data.shrink_to_fit();  // cached per item: keep only what it holds
  deflateEnd(&z);
  seg.data = std::move(data);
  seg.crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(raw.data()), static_cast<uInt>(raw.size())));
  seg.raw_size = raw.size();
  return seg;
}

std::string assemble_gzip(const std::vector<const DeflateSegment*>& segments) {
  std::size_t total = 10 + 8 + 2;
  for (const DeflateSegment* s : segments) total += s->data.size();
  std::string out;
  out.reserve(total);
  // Header: magic, deflate, no flags, mtime 0, no extra flags, OS unknown.
  static constexpr unsigned char kHeader[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
  out.append(reinterpret_cast<const char*>(kHeader), sizeof kHeader);
  uLong crc = crc32(0, nullptr, 0);
  std::uint64_t size = 0;
  for (const DeflateSegment* s : segments) {
    out += s->data;
    crc = crc32_combine(crc, s->crc, static_cast<z_off_t>(s->raw_size));
    size += s->raw_size;
  }
  // A final empty stored block ends the deflate stream: 0x03 0x00 is "final fixed block with
  // only end-of-block", valid after a byte-aligned sync flush.
  out.push_back(0x03);
  out.push_back(0x00);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xff));
  return out;
}

std::string gzip(std::string_view raw, int level) {
  DeflateSegment seg = deflate_segment(raw, level);
  return assemble_gzip({&seg});
}

bool gunzip(std::string_view gz, std::string& out) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  out.clear();
  char buf[1 << 16];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return false;
    }
    out.append(buf, sizeof buf - z.avail_out);
  } while (rc != Z_STREAM_END);
  inflateEnd(&z);
  return true;
}

}  // namespace podcastd::feeds
