#include "catalog/hash.hpp"

#include <cstring>

namespace podcastd::hash {
namespace {

std::uint32_t rol32(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
std::uint64_t rol64(std::uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

constexpr std::uint64_t kP1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kP3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kP4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kP5 = 0x27D4EB2F165667C5ULL;

std::uint64_t read64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian hosts only (x86_64, aarch64); stored hashes assume it
}
std::uint32_t read32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
std::uint64_t round64(std::uint64_t acc, std::uint64_t input) {
  acc += input * kP2;
  acc = rol64(acc, 31);
  return acc * kP1;
}
std::uint64_t merge64(std::uint64_t acc, std::uint64_t val) {
  acc ^= round64(0, val);
  return acc * kP1 + kP4;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Sha1Digest sha1(std::string_view data) {
  std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  auto block = [&h](const unsigned char* p) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = (std::uint32_t{p[4 * i]} << 24) | (std::uint32_t{p[4 * i + 1]} << 16) |
             (std::uint32_t{p[4 * i + 2]} << 8) | std::uint32_t{p[4 * i + 3]};
    }
    for (int i = 16; i < 80; ++i) w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      std::uint32_t t = rol32(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = rol32(b, 30);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  };
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  std::size_t full = n / 64;
  for (std::size_t i = 0; i < full; ++i) block(p + 64 * i);
  unsigned char tail[128] = {};
  std::size_t rem = n - full * 64;
  if (rem) std::memcpy(tail, p + full * 64, rem);
  tail[rem] = 0x80;
  std::size_t tail_len = rem + 1 + 8 <= 64 ? 64 : 128;
  std::uint64_t bits = static_cast<std::uint64_t>(n) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_len - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  block(tail);
  if (tail_len == 128) block(tail + 64);
  Sha1Digest out{};
  for (int i = 0; i < 5; ++i) {
    out[4 * i] = static_cast<std::uint8_t>(h[i] >> 24);
    out[4 * i + 1] = static_cast<std::uint8_t>(h[i] >> 16);
    out[4 * i + 2] = static_cast<std::uint8_t>(h[i] >> 8);
    out[4 * i + 3] = static_cast<std::uint8_t>(h[i]);
  }
  return out;
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (hex_value(s[i]) < 0) {
      return false;
    }
  }
  return true;
}

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  if (!is_uuid(namespace_uuid)) return {};
  std::string input;
  input.reserve(16 + name.size());
  for (std::size_t i = 0; i < 36;) {
    if (namespace_uuid[i] == '-') {
      ++i;
      continue;
    }
    input.push_back(
        static_cast<char>(hex_value(namespace_uuid[i]) * 16 + hex_value(namespace_uuid[i + 1])));
    i += 2;
  }
  input.append(name);
  Sha1Digest d = sha1(input);
  d[6] = static_cast<std::uint8_t>((d[6] & 0x0F) | 0x50);
  d[8] = static_cast<std::uint8_t>((d[8] & 0x3F) | 0x80);
  std::string hex = to_hex(d.data(), 16);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string podcast_guid(std::string_view feed_url) {
  std::string_view s = feed_url;
  if (auto pos = s.find("://"); pos != std::string_view::npos) s.remove_prefix(pos + 3);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return uuid_v5(kPodcastNamespace, s);
}

Hasher64::Hasher64(std::uint64_t seed) : seed_(seed) {
  v_[0] = seed + kP1 + kP2;
  v_[1] = seed + kP2;
  v_[2] = seed;
  v_[3] = seed - kP1;
}

void Hasher64::update(std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  total_ += n;
  if (buf_len_ + n < 32) {
    if (n) std::memcpy(buf_ + buf_len_, p, n);
    buf_len_ += n;
    return;
  }
  if (buf_len_) {
    std::size_t fill = 32 - buf_len_;
    std::memcpy(buf_ + buf_len_, p, fill);
    for (int i = 0; i < 4; ++i) v_[i] = round64(v_[i], read64(buf_ + 8 * i));
    p += fill;
    n -= fill;
    buf_len_ = 0;
  }
  while (n >= 32) {
    for (int i = 0; i < 4; ++i) v_[i] = round64(v_[i], read64(p + 8 * i));
    p += 32;
    n -= 32;
  }
  if (n) std::memcpy(buf_, p, n);
  buf_len_ = n;
}

std::uint64_t Hasher64::digest() const {
  std::uint64_t h;
  if (total_ >= 32) {
    h = rol64(v_[0], 1) + rol64(v_[1], 7) + rol64(v_[2], 12) + rol64(v_[3], 18);
    for (int i = 0; i < 4; ++i) h = merge64(h, v_[i]);
  } else {
    h = seed_ + kP5;
  }
  h += total_;
  const unsigned char* p = buf_;
  std::size_t n = buf_len_;
  while (n >= 8) {
    h ^= round64(0, read64(p));
    h = rol64(h, 27) * kP1 + kP4;
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    h ^= std::uint64_t{read32(p)} * kP1;
    h = rol64(h, 23) * kP2 + kP3;
    p += 4;
    n -= 4;
  }
  while (n--) {
    h ^= (*p++) * kP5;
    h = rol64(h, 11) * kP1;
  }
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

std::uint64_t hash64(std::string_view data, std::uint64_t seed) {
  Hasher64 h(seed);
  h.update(data);
  return h.digest();
}

std::string hex64(std::uint64_t value) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (56 - 8 * i));
  return to_hex(bytes, 8);
}

}  // namespace podcastd::hash
