#include "catalog/audio_probe.hpp"

#include <taglib/attachedpictureframe.h>
#include <taglib/chapterframe.h>
#include <taglib/commentsframe.h>
#include <taglib/flacfile.h>
#include <taglib/flacpicture.h>
#include <taglib/id3v1tag.h>
#include <taglib/id3v2framefactory.h>
#include <taglib/id3v2tag.h>
#include <taglib/mp4coverart.h>
#include <taglib/mp4file.h>
#include <taglib/mp4tag.h>
#include <taglib/mpegfile.h>
#include <taglib/mpegheader.h>
#include <taglib/oggflacfile.h>
#include <taglib/opusfile.h>
#include <taglib/speexfile.h>
#include <taglib/tableofcontentsframe.h>
#include <taglib/tbytevectorstream.h>
#include <taglib/tfilestream.h>
#include <taglib/tpropertymap.h>
#include <taglib/urllinkframe.h>
#include <taglib/vorbisfile.h>
#include <taglib/wavfile.h>
#include <taglib/xingheader.h>
#include <taglib/xiphcomment.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <set>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "catalog/text.hpp"
#include "catalog/time.hpp"

namespace podcastd::catalog {
namespace {

// What the first bytes say a file is. Ogg is split by codec because each has its own
// TagLib class.
enum class Kind {
  unknown,
  mpeg,
  mp4,
  vorbis,
  opus,
  ogg_flac,
  speex,
  ogg_other,
  flac,
  wav,
  jpeg,
  png
};

unsigned byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

std::uint32_t be32(std::string_view s, std::size_t i) {
  return (byte_at(s, i) << 24) | (byte_at(s, i + 1) << 16) | (byte_at(s, i + 2) << 8) |
         byte_at(s, i + 3);
}
std::uint64_t be64(std::string_view s, std::size_t i) {
  return (static_cast<std::uint64_t>(be32(s, i)) << 32) | be32(s, i + 4);
}
std::uint32_t le32(std::string_view s, std::size_t i) {
  return byte_at(s, i) | (byte_at(s, i + 1) << 8) | (byte_at(s, i + 2) << 16) |
         (static_cast<std::uint32_t>(byte_at(s, i + 3)) << 24);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// Size of the ID3v2 tag starting at s[0] (header, body and footer), 0 when s does not start
// with a well-formed ID3v2 header.
std::uint64_t id3v2_tag_size(std::string_view s) {
  if (s.size() < 10 || s.substr(0, 3) != "ID3") {
    return 0;
  }
  unsigned version = byte_at(s, 3);
  if (version < 2 || version > 4 || byte_at(s, 4) == 0xFF) {
    return 0;
  }
  std::uint64_t body = 0;
  for (std::size_t i = 6; i < 10; ++i) {
    if (byte_at(s, i) >= 0x80) {
      return 0;  // sizes are synchsafe
    }
    body = (body << 7) | byte_at(s, i);
  }
  bool footer = version == 4 && (byte_at(s, 5) & 0x10) != 0;
  return 10 + body + (footer ? 10 : 0);
}

struct MpegFrame {
  unsigned version_bits = 0;
  unsigned layer_bits = 0;
  unsigned rate_bits = 0;
  std::size_t length = 0;
};

// Parses the MPEG audio frame header at s[i]. nullopt for anything that is not a plausible
// MPEG-1/2/2.5 layer I-III header (reserved values, free format, ADTS AAC).
std::optional<MpegFrame> mpeg_frame_at(std::string_view s, std::size_t i) {
  if (i > s.size() || s.size() - i < 4) {
    return std::nullopt;
  }
  unsigned b1 = byte_at(s, i + 1), b2 = byte_at(s, i + 2), b3 = byte_at(s, i + 3);
  if (byte_at(s, i) != 0xFF || (b1 & 0xE0) != 0xE0) {
    return std::nullopt;
  }
  unsigned version = (b1 >> 3) & 3;  // 0: MPEG 2.5, 1: reserved, 2: MPEG 2, 3: MPEG 1
  unsigned layer = (b1 >> 1) & 3;    // 0: reserved (ADTS), 1: III, 2: II, 3: I
  unsigned bitrate_index = b2 >> 4;
  unsigned rate_index = (b2 >> 2) & 3;
  unsigned padding = (b2 >> 1) & 1;
  if (version == 1 || layer == 0 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 ||
      (b3 & 3) == 2) {
    return std::nullopt;
  }
  static constexpr std::array<std::array<int, 15>, 5> kBitrates = {{
      {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},  // V1 L1
      {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},     // V1 L2
      {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},      // V1 L3
      {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},     // V2 L1
      {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},          // V2 L2/L3
  }};
  static constexpr std::array<int, 3> kRates = {44100, 48000, 32000};
  bool v1 = version == 3;
  std::size_t table = v1 ? (layer == 3 ? 0 : layer == 2 ? 1 : 2) : (layer == 3 ? 3 : 4);
  long bitrate = kBitrates[table][bitrate_index] * 1000L;
  long rate = kRates[rate_index] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
  MpegFrame f;
  f.version_bits = version;
  f.layer_bits = layer;
  f.rate_bits = rate_index;
  if (layer == 3) {
    f.length = static_cast<std::size_t>((12 * bitrate / rate + padding) * 4);
  } else {
    long factor = layer == 1 && !v1 ? 72 : 144;
    f.length = static_cast<std::size_t>(factor * bitrate / rate + padding);
  }
  return f;
}

// The gapless duration of a LAME-tagged MP3 whose first frame is `frame`: the Xing/Info
// frame count times the samples per frame, minus the encoder delay and padding stored in the
// LAME extension (LAME and ffmpeg write it). Without it, durations include ~25-80 ms of
// priming and padding. nullopt when there is no such tag.
std::optional<double> lame_gapless_duration(std::string_view frame) {
  std::optional<MpegFrame> f = mpeg_frame_at(frame, 0);
  if (!f || f->layer_bits != 1) {
    return std::nullopt;  // layer III only
  }
  bool v1 = f->version_bits == 3;
  bool mono = (byte_at(frame, 3) >> 6) == 3;
  bool crc = (byte_at(frame, 1) & 1) == 0;
  std::size_t pos = 4 + (crc ? 2 : 0) + (v1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
  if (pos + 8 > frame.size() ||
      (frame.substr(pos, 4) != "Xing" && frame.substr(pos, 4) != "Info")) {
    return std::nullopt;
  }
  std::uint32_t flags = be32(frame, pos + 4);
  pos += 8;
  if ((flags & 1) == 0 || pos + 4 > frame.size()) {
    return std::nullopt;
  }
  std::uint32_t frames = be32(frame, pos);
  pos += 4 + ((flags & 2) ? 4 : 0) + ((flags & 4) ? 100 : 0) + ((flags & 8) ? 4 : 0);
  if (pos + 24 > frame.size() || frame[pos] != 'L') {
    return std::nullopt;  // "LAME3.100", "Lavc59.37"...
  }
  unsigned delay = (byte_at(frame, pos + 21) << 4) | (byte_at(frame, pos + 22) >> 4);
  unsigned padding = ((byte_at(frame, pos + 22) & 0x0F) << 8) | byte_at(frame, pos + 23);
  static constexpr std::array<long, 3> kRates = {44100, 48000, 32000};
  long rate = kRates[f->rate_bits] >> (v1 ? 0 : f->version_bits == 2 ? 1 : 2);
  std::uint64_t samples = std::uint64_t{frames} * (v1 ? 1152 : 576);
  if (frames == 0 || delay + padding >= samples) {
    return std::nullopt;
  }
  return static_cast<double>(samples - delay - padding) / static_cast<double>(rate);
}

// True when `head` starts with an MPEG audio frame, and with two of them when the first is
// short enough for the second header to be in `head`.
bool starts_with_mpeg_frames(std::string_view head) {
  std::optional<MpegFrame> first = mpeg_frame_at(head, 0);
  if (!first) {
    return false;
  }
  if (first->length + 4 > head.size()) {
    return true;
  }
  std::optional<MpegFrame> second = mpeg_frame_at(head, first->length);
  return second && second->version_bits == first->version_bits &&
         second->layer_bits == first->layer_bits && second->rate_bits == first->rate_bits;
}

bool is_audio_m4_brand(std::string_view brand) {
  return brand == "M4A " || brand == "M4B " || brand == "M4P ";
}

Kind sniff_kind(std::string_view head) {
  if (id3v2_tag_size(head) != 0) {
    return Kind::mpeg;
  }
  if (starts_with(head, "fLaC")) {
    return Kind::flac;
  }
  if (head.size() >= 12 && starts_with(head, "RIFF") && head.substr(8, 4) == "WAVE") {
    return Kind::wav;
  }
  if (head.size() >= 12 && head.substr(4, 4) == "ftyp") {
    return Kind::mp4;
  }
  if (head.size() >= 28 && starts_with(head, "OggS")) {
    std::size_t packet = 27 + byte_at(head, 26);
    std::string_view first = packet <= head.size() ? head.substr(packet) : std::string_view();
    if (starts_with(first, "OpusHead")) {
      return Kind::opus;
    }
    if (starts_with(first, "\x01vorbis")) {
      return Kind::vorbis;
    }
    if (starts_with(first,
                    "\x7F"
                    "FLAC")) {
      return Kind::ogg_flac;
    }
    if (starts_with(first, "Speex   ")) {
      return Kind::speex;
    }
    return Kind::ogg_other;
  }
  if (head.size() >= 3 && byte_at(head, 0) == 0xFF && byte_at(head, 1) == 0xD8 &&
      byte_at(head, 2) == 0xFF) {
    return Kind::jpeg;
  }
  if (starts_with(head, "\x89PNG\r\n\x1A\n")) {
    return Kind::png;
  }
  if (starts_with_mpeg_frames(head)) {
    return Kind::mpeg;
  }
  return Kind::unknown;
}

// The type of an ISO BMFF file by its ftyp box (major and compatible brands).
std::string iso_media_type(std::string_view head) {
  std::string_view major = head.substr(8, 4);
  if (is_audio_m4_brand(major)) {
    return "audio/x-m4a";
  }
  if (major == "M4V " || major == "M4VH" || major == "M4VP") {
    return "video/x-m4v";
  }
  if (major == "qt  ") {
    return "video/quicktime";
  }
  std::size_t end = std::min<std::size_t>(be32(head, 0), head.size());
  for (std::size_t i = 16; i + 4 <= end; i += 4) {
    if (is_audio_m4_brand(head.substr(i, 4))) {
      return "audio/x-m4a";
    }
  }
  return "video/mp4";
}

std::string image_type(std::string_view bytes) {
  switch (sniff_kind(bytes.substr(0, std::min<std::size_t>(bytes.size(), 16)))) {
    case Kind::jpeg:
      return "image/jpeg";
    case Kind::png:
      return "image/png";
    default:
      break;
  }
  if (starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a")) {
    return "image/gif";
  }
  if (starts_with(bytes, "BM")) {
    return "image/bmp";
  }
  return "";
}

// ---- reading --------------------------------------------------------------------------

std::string to_utf8(const TagLib::String& s) {
  std::string out = s.to8Bit(true);
  out.erase(std::remove(out.begin(), out.end(), '\0'), out.end());
  return std::string(text::trim(out));
}

std::string to_string(const TagLib::ByteVector& v) {
  return v.isEmpty() ? std::string() : std::string(v.data(), v.size());
}

// Reads up to `n` bytes at `pos`, clamped to the stream's length (TagLib's FileStream
// allocates whatever it is asked for before reading).
std::string read_at(TagLib::IOStream& s, std::int64_t pos, std::int64_t length, std::size_t n) {
  if (pos < 0 || pos >= length) {
    return {};
  }
  n = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(n), length - pos));
  s.seek(static_cast<long>(pos), TagLib::IOStream::Beginning);
  return to_string(s.readBlock(static_cast<unsigned long>(n)));
}

Error cannot_read(std::string_view display, std::string_view reason,
                  ErrorCode code = ErrorCode::parse) {
  std::string message(display);
  message += ": cannot read audio: ";
  message += reason;
  return make_error(code, std::move(message));
}

std::string fourcc_name(std::string_view type) {
  bool printable =
      std::all_of(type.begin(), type.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
  if (printable) {
    return "'" + std::string(type) + "'";
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(be32(type, 0)));
  return buf;
}

// ---- ISO BMFF -------------------------------------------------------------------------

// Calls f(type, payload) for each box in `data` until f returns false. Stops at the first
// box whose size is inconsistent with `data`.
template <typename F>
void for_each_box(std::string_view data, F&& f) {
  std::size_t off = 0;
  while (data.size() - off >= 8) {
    std::uint64_t size = be32(data, off);
    std::size_t header = 8;
    if (size == 1) {
      if (data.size() - off < 16) {
        return;
      }
      size = be64(data, off + 8);
      header = 16;
    } else if (size == 0) {
      size = data.size() - off;
    }
    if (size < header || size > data.size() - off) {
      return;
    }
    if (!f(data.substr(off + 4, 4),
           data.substr(off + header, static_cast<std::size_t>(size) - header))) {
      return;
    }
    off += static_cast<std::size_t>(size);
  }
}

std::optional<std::string_view> child_box(std::string_view data, std::string_view type) {
  std::optional<std::string_view> found;
  for_each_box(data, [&](std::string_view t, std::string_view payload) {
    if (t == type) {
      found = payload;
      return false;
    }
    return true;
  });
  return found;
}

// child_box along a path: {"mdia", "minf", "stbl"}.
std::optional<std::string_view> box_path(std::string_view data,
                                         std::initializer_list<std::string_view> path) {
  std::optional<std::string_view> cur = data;
  for (std::string_view type : path) {
    cur = child_box(*cur, type);
    if (!cur) {
      return std::nullopt;
    }
  }
  return cur;
}

struct Mp4Track {
  std::uint32_t id = 0;
  std::string handler;
  std::uint32_t timescale = 0;
  std::vector<std::uint32_t> chapter_refs;  // tref/chap
  std::string_view stbl;
};

// Reads an MPEG-4 descriptor header (tag, 1-4 byte size) at d[pos]; returns the payload.
std::optional<std::string_view> descriptor(std::string_view d, std::size_t& pos,
                                           unsigned want_tag) {
  if (pos >= d.size() || byte_at(d, pos) != want_tag) {
    return std::nullopt;
  }
  ++pos;
  std::size_t size = 0;
  for (int k = 0; k < 4 && pos < d.size(); ++k) {
    unsigned b = byte_at(d, pos++);
    size = (size << 7) | (b & 0x7F);
    if ((b & 0x80) == 0) {
      break;
    }
  }
  if (size > d.size() - pos) {
    return std::nullopt;
  }
  std::string_view payload = d.substr(pos, size);
  pos += size;
  return payload;
}

// The channel count of an AAC track from its AudioSpecificConfig. TagLib 1.13 reports the
// sample entry's channelcount, which MP4 writers (ffmpeg) set to the template value 2.
std::optional<int> aac_channels(std::string_view stsd) {
  if (stsd.size() < 8) {
    return std::nullopt;
  }
  std::optional<std::string_view> mp4a = child_box(stsd.substr(8), "mp4a");
  if (!mp4a || mp4a->size() < 28) {
    return std::nullopt;
  }
  unsigned version = (byte_at(*mp4a, 8) << 8) | byte_at(*mp4a, 9);
  std::size_t children = version == 0 ? 28 : version == 1 ? 44 : version == 2 ? 64 : 0;
  if (children == 0 || children > mp4a->size()) {
    return std::nullopt;
  }
  std::optional<std::string_view> esds = child_box(mp4a->substr(children), "esds");
  if (!esds || esds->size() < 4) {
    return std::nullopt;
  }
  std::size_t pos = 4;
  std::optional<std::string_view> es = descriptor(*esds, pos, 0x03);
  if (!es || es->size() < 3) {
    return std::nullopt;
  }
  unsigned flags = byte_at(*es, 2);
  pos = 3 + ((flags & 0x80) ? 2 : 0) + ((flags & 0x20) ? 2 : 0);
  if (flags & 0x40) {
    pos += pos < es->size() ? 1 + byte_at(*es, pos) : 0;
  }
  std::optional<std::string_view> config = descriptor(*es, pos, 0x04);
  if (!config || config->size() < 13) {
    return std::nullopt;
  }
  pos = 13;
  std::optional<std::string_view> asc = descriptor(*config, pos, 0x05);
  if (!asc || asc->size() < 2) {
    return std::nullopt;
  }
  // 5 bits object type (6 more when 31), 4 bits frequency index (24 more when 15), 4 bits
  // channel configuration.
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    bits = (bits << 8) | (i < asc->size() ? byte_at(*asc, i) : 0);
  }
  int at = 64;
  auto take = [&](int n) {
    at -= n;
    return static_cast<unsigned>((bits >> at) & ((1u << n) - 1));
  };
  if (take(5) == 31) {
    take(6);
  }
  if (take(4) == 15) {
    take(24);
  }
  unsigned channels = take(4);
  if (channels >= 1 && channels <= 6) {
    return static_cast<int>(channels);
  }
  if (channels == 7) {
    return 8;
  }
  return std::nullopt;
}

struct Mp4Layout {
  std::string moov;  // the moov payload; the views below point into it
  std::vector<Mp4Track> tracks;
  std::optional<std::string_view> chpl;
  std::optional<int> aac_channels;  // of the first sound track
};

Mp4Track read_track(std::string_view trak) {
  Mp4Track t;
  if (auto tkhd = child_box(trak, "tkhd"); tkhd && tkhd->size() >= 24) {
    std::size_t id_at = byte_at(*tkhd, 0) == 1 ? 20 : 12;
    t.id = be32(*tkhd, id_at);
  }
  if (auto chap = box_path(trak, {"tref", "chap"})) {
    for (std::size_t i = 0; i + 4 <= chap->size() && i < 4 * 64; i += 4) {
      t.chapter_refs.push_back(be32(*chap, i));
    }
  }
  if (auto mdia = child_box(trak, "mdia")) {
    if (auto hdlr = child_box(*mdia, "hdlr"); hdlr && hdlr->size() >= 12) {
      t.handler = std::string(hdlr->substr(8, 4));
    }
    if (auto mdhd = child_box(*mdia, "mdhd"); mdhd && mdhd->size() >= 24) {
      t.timescale = be32(*mdhd, byte_at(*mdhd, 0) == 1 ? 20 : 12);
    }
    if (auto stbl = box_path(*mdia, {"minf", "stbl"})) {
      t.stbl = *stbl;
    }
  }
  return t;
}

// Checks the top-level boxes of an ISO BMFF file and reads its moov box. Errors name a box
// that runs past the end of the file, a malformed size or a missing moov.
Result<Mp4Layout> read_mp4_layout(TagLib::IOStream& s, std::int64_t length,
                                  std::string_view display) {
  constexpr std::uint64_t kMaxMoov = 64u << 20;
  std::int64_t off = 0;
  std::optional<std::pair<std::int64_t, std::uint64_t>> moov;  // payload offset and size
  for (int count = 0; off < length && count < 100000; ++count) {
    std::string header = read_at(s, off, length, 16);
    if (header.size() < 8) {
      break;  // a few trailing bytes: ignored like other readers do
    }
    std::uint64_t size = be32(header, 0);
    std::string_view type = std::string_view(header).substr(4, 4);
    std::uint64_t header_size = 8;
    if (size == 1) {
      if (header.size() < 16) {
        return cannot_read(display, "truncated (box header runs past the end of the file)");
      }
      size = be64(header, 8);
      header_size = 16;
    } else if (size == 0) {
      size = static_cast<std::uint64_t>(length - off);
    }
    if (size < header_size) {
      return cannot_read(display,
                         "malformed box " + fourcc_name(type) + " at byte " + std::to_string(off));
    }
    auto remaining = static_cast<std::uint64_t>(length - off);
    if (size > remaining) {
      return cannot_read(display, "truncated (box " + fourcc_name(type) + " needs " +
                                      std::to_string(size) + " bytes at byte " +
                                      std::to_string(off) + ", " + std::to_string(remaining) +
                                      " are left)");
    }
    if (type == "moov" && !moov) {
      moov.emplace(off + static_cast<std::int64_t>(header_size), size - header_size);
    }
    off += static_cast<std::int64_t>(size);
  }
  if (!moov) {
    return cannot_read(display, "no 'moov' box");
  }
  if (moov->second > kMaxMoov) {
    return cannot_read(display,
                       "'moov' box too large (" + std::to_string(moov->second) + " bytes)");
  }
  Mp4Layout layout;
  layout.moov = read_at(s, moov->first, length, static_cast<std::size_t>(moov->second));
  std::string_view moov_view = layout.moov;
  for_each_box(moov_view, [&](std::string_view type, std::string_view payload) {
    if (type == "trak" && layout.tracks.size() < 256) {
      layout.tracks.push_back(read_track(payload));
      if (layout.tracks.back().handler == "soun" && !layout.aac_channels) {
        if (auto stsd = child_box(layout.tracks.back().stbl, "stsd")) {
          layout.aac_channels = aac_channels(*stsd);
        }
      }
    } else if (type == "udta" && !layout.chpl) {
      layout.chpl = child_box(payload, "chpl");
    }
    return true;
  });
  return layout;
}

std::set<std::uint32_t> chapter_track_ids(const Mp4Layout& layout) {
  std::set<std::uint32_t> ids;
  for (const Mp4Track& t : layout.tracks) {
    ids.insert(t.chapter_refs.begin(), t.chapter_refs.end());
  }
  return ids;
}

bool has_video_track(const Mp4Layout& layout) {
  std::set<std::uint32_t> chapter_ids = chapter_track_ids(layout);
  return std::any_of(layout.tracks.begin(), layout.tracks.end(), [&](const Mp4Track& t) {
    return t.handler == "vide" && !chapter_ids.contains(t.id);
  });
}

// Text of a QuickTime text sample: a 16-bit length, then UTF-8 or BOM-marked UTF-16.
std::string qt_text_sample(std::string_view sample) {
  if (sample.size() < 2) {
    return "";
  }
  std::size_t n =
      std::min<std::size_t>((byte_at(sample, 0) << 8) | byte_at(sample, 1), sample.size() - 2);
  std::string_view body = sample.substr(2, n);
  if (body.size() >= 2 && ((byte_at(body, 0) == 0xFE && byte_at(body, 1) == 0xFF) ||
                           (byte_at(body, 0) == 0xFF && byte_at(body, 1) == 0xFE))) {
    TagLib::ByteVector v(body.data(), static_cast<unsigned int>(body.size()));
    return to_utf8(TagLib::String(v, TagLib::String::UTF16));
  }
  if (text::is_valid_utf8(body)) {
    return std::string(text::trim(body));
  }
  TagLib::ByteVector v(body.data(), static_cast<unsigned int>(body.size()));
  return to_utf8(TagLib::String(v, TagLib::String::Latin1));
}

// Chapters from a QuickTime text track: sample times from stts, sample positions from
// stsc + stsz + stco/co64, each sample read from the file.
std::vector<Chapter> qt_chapters(const Mp4Track& track, TagLib::IOStream& s, std::int64_t length) {
  constexpr std::size_t kMaxSamples = 4096;
  std::vector<Chapter> out;
  auto stts = child_box(track.stbl, "stts");
  auto stsz = child_box(track.stbl, "stsz");
  auto stsc = child_box(track.stbl, "stsc");
  auto stco = child_box(track.stbl, "stco");
  auto co64 = child_box(track.stbl, "co64");
  if (!stts || !stsz || !stsc || (!stco && !co64) || track.timescale == 0) {
    return out;
  }
  // Start times.
  std::vector<double> starts;
  if (stts->size() < 8) {
    return out;
  }
  std::uint64_t t = 0;
  std::uint32_t entries = be32(*stts, 4);
  for (std::uint32_t e = 0; e < entries && 8 + 8 * std::size_t{e} + 8 <= stts->size(); ++e) {
    std::uint32_t count = be32(*stts, 8 + 8 * e);
    std::uint32_t delta = be32(*stts, 12 + 8 * e);
    for (std::uint32_t k = 0; k < count && starts.size() < kMaxSamples; ++k) {
      starts.push_back(static_cast<double>(t) / track.timescale);
      t += delta;
    }
  }
  // Sizes.
  if (stsz->size() < 12) {
    return out;
  }
  std::uint32_t fixed_size = be32(*stsz, 4);
  std::size_t sample_count = std::min<std::size_t>(be32(*stsz, 8), kMaxSamples);
  auto sample_size = [&](std::size_t i) -> std::uint32_t {
    if (fixed_size != 0) {
      return fixed_size;
    }
    return 12 + 4 * i + 4 <= stsz->size() ? be32(*stsz, 12 + 4 * i) : 0;
  };
  // Chunk offsets.
  std::vector<std::uint64_t> chunks;
  std::string_view offsets = stco ? *stco : *co64;
  std::size_t width = stco ? 4 : 8;
  if (offsets.size() >= 8) {
    std::uint32_t n = be32(offsets, 4);
    for (std::uint32_t k = 0;
         k < n && 8 + width * (std::size_t{k} + 1) <= offsets.size() && chunks.size() < kMaxSamples;
         ++k) {
      chunks.push_back(width == 4 ? be32(offsets, 8 + 4 * k) : be64(offsets, 8 + 8 * k));
    }
  }
  if (stsc->size() < 8) {
    return out;
  }
  std::uint32_t stsc_entries = be32(*stsc, 4);
  auto stsc_entry = [&](std::uint32_t e, std::size_t field) {
    return be32(*stsc, 8 + 12 * std::size_t{e} + 4 * field);
  };
  std::size_t sample = 0;
  for (std::uint32_t e = 0; e < stsc_entries && e < kMaxSamples && sample < sample_count &&
                            8 + 12 * (std::size_t{e} + 1) <= stsc->size();
       ++e) {
    std::uint32_t first_chunk = stsc_entry(e, 0);
    std::uint32_t per_chunk = stsc_entry(e, 1);
    std::uint64_t last_chunk = chunks.size();
    if (e + 1 < stsc_entries && 8 + 12 * (std::size_t{e} + 2) <= stsc->size()) {
      last_chunk = std::min<std::uint64_t>(last_chunk, stsc_entry(e + 1, 0) - 1ull);
    }
    for (std::uint64_t c = first_chunk; c >= 1 && c <= last_chunk; ++c) {
      std::uint64_t pos = chunks[static_cast<std::size_t>(c - 1)];
      for (std::uint32_t k = 0; k < per_chunk && sample < sample_count; ++k, ++sample) {
        std::uint32_t size = sample_size(sample);
        if (sample < starts.size() && pos < static_cast<std::uint64_t>(length)) {
          std::string bytes = read_at(s, static_cast<std::int64_t>(pos), length,
                                      std::min<std::uint32_t>(size, 2048));
          Chapter ch;
          ch.start = starts[sample];
          ch.title = qt_text_sample(bytes);
          out.push_back(std::move(ch));
        }
        pos += size;
      }
      if (sample >= sample_count) {
        break;
      }
    }
  }
  return out;
}

// Nero chapters: version, 3 flag bytes, 4 more bytes in version 1, a count byte, then per
// chapter a 64-bit start in 100 ns units and a length-prefixed UTF-8 title (as ffmpeg reads
// and writes them).
std::vector<Chapter> chpl_chapters(std::string_view chpl) {
  std::vector<Chapter> out;
  if (chpl.size() < 5) {
    return out;
  }
  std::size_t pos = byte_at(chpl, 0) == 0 ? 4 : 8;
  if (pos >= chpl.size()) {
    return out;
  }
  unsigned count = byte_at(chpl, pos++);
  for (unsigned i = 0; i < count && pos + 9 <= chpl.size(); ++i) {
    std::uint64_t start = be64(chpl, pos);
    std::size_t len = byte_at(chpl, pos + 8);
    pos += 9;
    if (pos + len > chpl.size()) {
      break;
    }
    std::string_view title = chpl.substr(pos, len);
    pos += len;
    Chapter ch;
    ch.start = static_cast<double>(start) / 1e7;
    ch.title = text::is_valid_utf8(title) ? std::string(text::trim(title)) : std::string();
    out.push_back(std::move(ch));
  }
  return out;
}

std::vector<Chapter> mp4_chapters(const Mp4Layout& layout, TagLib::IOStream& s,
                                  std::int64_t length) {
  for (const Mp4Track& t : layout.tracks) {
    for (std::uint32_t ref : t.chapter_refs) {
      for (const Mp4Track& target : layout.tracks) {
        if (target.id == ref && (target.handler == "text" || target.handler == "sbtl")) {
          std::vector<Chapter> chapters = qt_chapters(target, s, length);
          if (!chapters.empty()) {
            return chapters;
          }
        }
      }
    }
  }
  if (layout.chpl) {
    return chpl_chapters(*layout.chpl);
  }
  return {};
}

// ---- RIFF/WAVE ------------------------------------------------------------------------

// Checks that the RIFF chunks up to "data" fit in the file. A data size of 0 or 0xFFFFFFFF
// (written by streaming encoders) means "to the end of the file".
Status check_wav_layout(TagLib::IOStream& s, std::int64_t length, std::string_view display) {
  std::int64_t off = 12;
  for (int count = 0; off + 8 <= length && count < 10000; ++count) {
    std::string header = read_at(s, off, length, 8);
    std::string_view id = std::string_view(header).substr(0, 4);
    std::uint32_t size = le32(header, 4);
    bool streamed = id == "data" && (size == 0 || size == 0xFFFFFFFF);
    std::int64_t end = off + 8 + size;
    if (!streamed && end > length) {
      return cannot_read(display, "truncated (chunk " + fourcc_name(id) + " needs " +
                                      std::to_string(size) + " bytes at byte " +
                                      std::to_string(off + 8) + ", " +
                                      std::to_string(length - off - 8) + " are left)");
    }
    if (id == "data") {
      break;
    }
    off = end + (size & 1);
  }
  return {};
}

// ---- tags -----------------------------------------------------------------------------

// ID3 and MP4 dates: "2024", "2024-04", "2024-04-03" (00:00 UTC), or a timestamp
// "2024-04-03T10:20:30" (UTC unless it has a zone), "2024-04-03T10" (the day).
std::optional<UnixTime> parse_tag_date(std::string_view s) {
  s = text::trim(s);
  auto digits = [&](std::size_t from, std::size_t n, int& out) {
    if (from + n > s.size()) {
      return false;
    }
    out = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') {
        return false;
      }
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y = 0, m = 1, d = 1;
  if (!digits(0, 4, y) || y == 0) {
    return std::nullopt;
  }
  if (s.size() > 10) {
    if (auto t = timefmt::parse_rfc3339(s)) {
      return *t;
    }
  }
  bool ok = s.size() == 4 || (s.size() == 7 && s[4] == '-' && digits(5, 2, m)) ||
            (s.size() >= 10 && s[4] == '-' && digits(5, 2, m) && s[7] == '-' && digits(8, 2, d) &&
             (s.size() == 10 || s[10] == 'T' || s[10] == ' '));
  if (!ok || !timefmt::is_valid_date(y, m, d)) {
    return std::nullopt;
  }
  return timefmt::days_from_civil(y, m, d) * 86400;
}

std::string id3_comment(const TagLib::ID3v2::Tag& tag) {
  const TagLib::ID3v2::FrameList& frames = tag.frameList("COMM");
  const TagLib::ID3v2::Frame* fallback = nullptr;
  for (const TagLib::ID3v2::Frame* frame : frames) {
    auto* comm = dynamic_cast<const TagLib::ID3v2::CommentsFrame*>(frame);
    if (!comm) {
      continue;
    }
    if (comm->description().isEmpty()) {
      return to_utf8(comm->text());
    }
    // iTunes keeps machine data in described comments (iTunNORM, iTunSMPB...).
    if (!fallback && !comm->description().startsWith("iTun")) {
      fallback = frame;
    }
  }
  if (fallback) {
    return to_utf8(dynamic_cast<const TagLib::ID3v2::CommentsFrame*>(fallback)->text());
  }
  return "";
}

std::string element_id(const TagLib::ByteVector& id) {
  std::string out = to_string(id);
  while (!out.empty() && out.back() == '\0') {
    out.pop_back();
  }
  return out;
}

// Ends: the chapter's own end when it is after its start, else the next start (in time
// order), else the duration.
void fill_chapter_ends(std::vector<Chapter>& chapters, double duration) {
  std::vector<std::size_t> order(chapters.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return chapters[a].start < chapters[b].start;
  });
  // Backwards, so chapters sharing a start find the next larger start in constant time.
  std::optional<double> next_greater;
  for (std::size_t k = order.size(); k-- > 0;) {
    Chapter& ch = chapters[order[k]];
    if (k + 1 < order.size() && chapters[order[k + 1]].start > ch.start) {
      next_greater = chapters[order[k + 1]].start;
    }
    if (ch.end && *ch.end > ch.start) {
      continue;
    }
    ch.end = next_greater;
    if (!ch.end && duration > ch.start) {
      ch.end = duration;
    }
  }
}

struct Id3Chapters {
  std::vector<Chapter> chapters;
  std::vector<std::size_t> with_image;
};

Id3Chapters id3_chapters(const TagLib::ID3v2::Tag& tag) {
  struct Raw {
    std::string id;
    Chapter chapter;
    bool image = false;
    bool used = false;
  };
  std::vector<Raw> raws;
  for (const TagLib::ID3v2::Frame* frame : tag.frameList("CHAP")) {
    auto* chap = dynamic_cast<const TagLib::ID3v2::ChapterFrame*>(frame);
    if (!chap) {
      continue;
    }
    Raw raw;
    raw.id = element_id(chap->elementID());
    raw.chapter.start = chap->startTime() / 1000.0;
    if (chap->endTime() != 0xFFFFFFFFu) {
      raw.chapter.end = chap->endTime() / 1000.0;
    }
    if (const auto& titles = chap->embeddedFrameList("TIT2"); !titles.isEmpty()) {
      raw.chapter.title = to_utf8(titles.front()->toString());
    }
    for (const TagLib::ID3v2::Frame* sub : chap->embeddedFrameList()) {
      if (auto* url = dynamic_cast<const TagLib::ID3v2::UrlLinkFrame*>(sub)) {
        bool user = dynamic_cast<const TagLib::ID3v2::UserUrlLinkFrame*>(sub) != nullptr;
        if (raw.chapter.url.empty() || user) {
          raw.chapter.url = to_utf8(url->url());
        }
        if (user) {
          break;
        }
      }
    }
    raw.image = !chap->embeddedFrameList("APIC").isEmpty();
    raws.push_back(std::move(raw));
  }
  auto by_start = [](const Raw* a, const Raw* b) { return a->chapter.start < b->chapter.start; };

  std::vector<Raw*> ordered;
  const TagLib::ID3v2::TableOfContentsFrame* top = nullptr;
  for (const TagLib::ID3v2::Frame* frame : tag.frameList("CTOC")) {
    auto* toc = dynamic_cast<const TagLib::ID3v2::TableOfContentsFrame*>(frame);
    if (toc && toc->isTopLevel()) {
      top = toc;
      break;
    }
  }
  if (top) {
    // Depth-first through nested CTOCs; each CHAP and CTOC is visited once. Lookups go
    // through maps so a tag with many frames stays linear.
    std::unordered_map<std::string, Raw*> chaps_by_id;
    for (Raw& raw : raws) {
      chaps_by_id.emplace(raw.id, &raw);
    }
    std::unordered_map<std::string, const TagLib::ID3v2::TableOfContentsFrame*> tocs_by_id;
    for (const TagLib::ID3v2::Frame* frame : tag.frameList("CTOC")) {
      if (auto* toc = dynamic_cast<const TagLib::ID3v2::TableOfContentsFrame*>(frame)) {
        tocs_by_id.emplace(element_id(toc->elementID()), toc);
      }
    }
    std::set<std::string> seen_tocs;
    auto visit = [&](auto& self, const TagLib::ID3v2::TableOfContentsFrame& toc,
                     int depth) -> void {
      if (depth > 16 || !seen_tocs.insert(element_id(toc.elementID())).second) {
        return;
      }
      for (const TagLib::ByteVector& child_bytes : toc.childElements()) {
        std::string child = element_id(child_bytes);
        if (auto it = chaps_by_id.find(child); it != chaps_by_id.end()) {
          if (!it->second->used) {
            it->second->used = true;
            ordered.push_back(it->second);
          }
        } else if (auto sub = tocs_by_id.find(child); sub != tocs_by_id.end()) {
          self(self, *sub->second, depth + 1);
        }
      }
    };
    visit(visit, *top, 0);
    if (!top->isOrdered()) {
      std::stable_sort(ordered.begin(), ordered.end(), by_start);
    }
  }
  std::vector<Raw*> rest;
  for (Raw& raw : raws) {
    if (!raw.used) {
      if (top) {
        raw.chapter.toc = false;  // not reachable from the table of contents
      }
      rest.push_back(&raw);
    }
  }
  std::stable_sort(rest.begin(), rest.end(), by_start);
  ordered.insert(ordered.end(), rest.begin(), rest.end());

  Id3Chapters out;
  for (Raw* raw : ordered) {
    if (raw->image) {
      out.with_image.push_back(out.chapters.size());
    }
    out.chapters.push_back(std::move(raw->chapter));
  }
  return out;
}

struct Picture {
  std::string mime;
  TagLib::ByteVector bytes;
};

std::string normalize_mime(const TagLib::String& declared) {
  std::string m = text::to_lower_ascii(to_utf8(declared));
  if (m == "image/jpg") {
    return "image/jpeg";
  }
  return m;
}

std::optional<Picture> id3_picture(const TagLib::ID3v2::Tag& tag) {
  const TagLib::ID3v2::AttachedPictureFrame* chosen = nullptr;
  for (const TagLib::ID3v2::Frame* frame : tag.frameList("APIC")) {
    auto* apic = dynamic_cast<const TagLib::ID3v2::AttachedPictureFrame*>(frame);
    if (!apic || apic->picture().isEmpty()) {
      continue;
    }
    if (apic->type() == TagLib::ID3v2::AttachedPictureFrame::FrontCover) {
      chosen = apic;
      break;
    }
    if (!chosen) {
      chosen = apic;
    }
  }
  if (!chosen) {
    return std::nullopt;
  }
  return Picture{normalize_mime(chosen->mimeType()), chosen->picture()};
}

std::optional<Picture> flac_picture(const TagLib::List<TagLib::FLAC::Picture*>& pictures) {
  const TagLib::FLAC::Picture* chosen = nullptr;
  for (const TagLib::FLAC::Picture* p : pictures) {
    if (!p || p->data().isEmpty()) {
      continue;
    }
    if (p->type() == TagLib::FLAC::Picture::FrontCover) {
      chosen = p;
      break;
    }
    if (!chosen) {
      chosen = p;
    }
  }
  if (!chosen) {
    return std::nullopt;
  }
  return Picture{normalize_mime(chosen->mimeType()), chosen->data()};
}

std::optional<Picture> mp4_picture(TagLib::MP4::Tag* tag) {
  if (!tag || !tag->contains("covr")) {
    return std::nullopt;
  }
  for (const TagLib::MP4::CoverArt& art : tag->item("covr").toCoverArtList()) {
    if (art.data().isEmpty()) {
      continue;
    }
    std::string mime;
    switch (art.format()) {
      case TagLib::MP4::CoverArt::JPEG:
        mime = "image/jpeg";
        break;
      case TagLib::MP4::CoverArt::PNG:
        mime = "image/png";
        break;
      case TagLib::MP4::CoverArt::GIF:
        mime = "image/gif";
        break;
      case TagLib::MP4::CoverArt::BMP:
        mime = "image/bmp";
        break;
      default:
        break;
    }
    return Picture{mime, art.data()};
  }
  return std::nullopt;
}

void set_picture(AudioInfo& info, std::optional<Picture> picture, std::optional<EmbeddedArt>* art) {
  if (!picture) {
    return;
  }
  std::string bytes = to_string(picture->bytes);
  std::string sniffed = image_type(bytes);
  info.art_mime = !sniffed.empty()         ? sniffed
                  : !picture->mime.empty() ? picture->mime
                                           : "application/octet-stream";
  info.art_size = bytes.size();
  if (art) {
    *art = EmbeddedArt{info.art_mime, std::move(bytes)};
  }
}

std::string first_property(const TagLib::PropertyMap& props,
                           std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = props.find(key);
    if (it != props.end() && !it->second.isEmpty()) {
      std::string value = to_utf8(it->second.front());
      if (!value.empty()) {
        return value;
      }
    }
  }
  return "";
}

void read_common(TagLib::File& file, AudioInfo& info) {
  if (const TagLib::AudioProperties* p = file.audioProperties()) {
    info.duration = p->lengthInMilliseconds() / 1000.0;
    info.bitrate = p->bitrate();
    info.sample_rate = p->sampleRate();
    info.channels = p->channels();
  }
  if (const TagLib::Tag* tag = file.tag()) {
    info.title = to_utf8(tag->title());
    info.artist = to_utf8(tag->artist());
    info.album = to_utf8(tag->album());
    info.comment = to_utf8(tag->comment());
  }
  std::string date = first_property(file.properties(), {"DATE", "RELEASEDATE", "ORIGINALDATE"});
  if (!date.empty()) {
    info.date = parse_tag_date(date);
    if (!info.date) {
      info.warnings.push_back("unreadable date tag '" + date + "'");
    }
  }
}

void read_id3v2_extras(const TagLib::ID3v2::Tag* tag, AudioInfo& info,
                       std::optional<Picture>& picture) {
  if (!tag) {
    return;
  }
  Id3Chapters chapters = id3_chapters(*tag);
  info.chapters = std::move(chapters.chapters);
  info.chapters_with_image = std::move(chapters.with_image);
  if (!picture) {
    picture = id3_picture(*tag);
  }
}

Status check_properties(const TagLib::File& file, std::string_view display) {
  if (!file.isValid()) {
    return cannot_read(display, "the file is damaged or not what its header says");
  }
  const TagLib::AudioProperties* p = file.audioProperties();
  if (!p || (p->sampleRate() <= 0 && p->lengthInMilliseconds() <= 0)) {
    return cannot_read(display, "no audio stream");
  }
  return {};
}

Result<AudioInfo> read_audio(TagLib::IOStream& s, std::string_view display,
                             std::optional<EmbeddedArt>* art) {
  AudioInfo info;
  const std::int64_t length = s.length();
  info.length = std::max<std::int64_t>(length, 0);
  if (length <= 0) {
    return cannot_read(display, "empty file");
  }
  std::string head = read_at(s, 0, length, 4096);
  Kind kind = sniff_kind(head);

  if (kind == Kind::mpeg && id3v2_tag_size(head) != 0) {
    // Look past the ID3v2 tag(s): FLAC files sometimes carry one too.
    std::int64_t pos = 0;
    for (int k = 0; k < 8; ++k) {
      std::string header = read_at(s, pos, length, 10);
      std::uint64_t size = id3v2_tag_size(header);
      if (size == 0) {
        break;
      }
      if (size > static_cast<std::uint64_t>(length - pos)) {
        return cannot_read(display, "truncated (ID3v2 tag of " + std::to_string(size) +
                                        " bytes at byte " + std::to_string(pos) + ", " +
                                        std::to_string(length - pos) + " are left)");
      }
      pos += static_cast<std::int64_t>(size);
    }
    if (starts_with(read_at(s, pos, length, 4), "fLaC")) {
      kind = Kind::flac;
    }
  }

  std::optional<Picture> picture;
  TagLib::ID3v2::FrameFactory* factory = TagLib::ID3v2::FrameFactory::instance();
  // Some TagLib readers (RIFF) start at the stream's current position.
  auto rewind = [&s] { s.seek(0, TagLib::IOStream::Beginning); };
  switch (kind) {
    case Kind::unknown:
      return cannot_read(display, "not a known audio format");
    case Kind::ogg_other:
      return cannot_read(display, "an Ogg stream without Vorbis, Opus, FLAC or Speex audio");
    case Kind::jpeg:
    case Kind::png:
      return cannot_read(display, std::string("an image (") +
                                      (kind == Kind::jpeg ? "image/jpeg" : "image/png") +
                                      "), not audio");
    case Kind::mpeg: {
      rewind();
      TagLib::MPEG::File file(&s, factory, true);
      // TagLib 1.13 calls a file without any MPEG frame valid, with zero properties.
      long first = file.isValid() ? file.firstFrameOffset() : -1;
      if (first < 0) {
        return cannot_read(display, "no MPEG audio frames");
      }
      if (Status st = check_properties(file, display); !st) {
        return st.error();
      }
      info.mime = "audio/mpeg";
      read_common(file, info);
      const TagLib::ID3v2::Tag* id3 = file.hasID3v2Tag() ? file.ID3v2Tag() : nullptr;
      if (id3) {
        std::string comment = id3_comment(*id3);
        if (comment.empty() && file.hasID3v1Tag()) {
          comment = to_utf8(file.ID3v1Tag()->comment());
        }
        info.comment = comment;
      }
      read_id3v2_extras(id3, info, picture);
      if (auto gapless = lame_gapless_duration(read_at(s, first, length, 512))) {
        info.duration = std::round(*gapless * 1000.0) / 1000.0;
      }
      // A stream shorter than its Xing/Info header says was probably cut off (an
      // interrupted upload); TagLib then reports the header's (full) duration.
      const TagLib::MPEG::XingHeader* xing = file.audioProperties()->xingHeader();
      long last = file.lastFrameOffset();
      if (xing && xing->isValid() && xing->totalSize() > 0 && last > first) {
        auto expected = static_cast<std::int64_t>(xing->totalSize());
        std::int64_t present = last - first;
        if (present + 8192 < expected && present < expected / 100 * 97) {
          info.warnings.push_back("audio data is shorter than its Xing header says (" +
                                  std::to_string(present) + " of " + std::to_string(expected) +
                                  " bytes): truncated?");
          info.duration = std::round(info.duration * 1000.0 * static_cast<double>(present) /
                                     static_cast<double>(expected)) /
                          1000.0;
        }
      }
      break;
    }
    case Kind::flac: {
      rewind();
      TagLib::FLAC::File file(&s, factory, true);
      if (Status st = check_properties(file, display); !st) {
        return st.error();
      }
      info.mime = "audio/flac";
      read_common(file, info);
      picture = flac_picture(file.pictureList());
      read_id3v2_extras(file.hasID3v2Tag() ? file.ID3v2Tag() : nullptr, info, picture);
      break;
    }
    case Kind::wav: {
      if (Status st = check_wav_layout(s, length, display); !st) {
        return st.error();
      }
      rewind();
      TagLib::RIFF::WAV::File file(&s, true);
      if (Status st = check_properties(file, display); !st) {
        return st.error();
      }
      info.mime = "audio/wav";
      read_common(file, info);
      read_id3v2_extras(file.hasID3v2Tag() ? file.ID3v2Tag() : nullptr, info, picture);
      break;
    }
    case Kind::vorbis:
    case Kind::opus:
    case Kind::ogg_flac:
    case Kind::speex: {
      std::unique_ptr<TagLib::File> file;
      TagLib::Ogg::XiphComment* xiph = nullptr;
      rewind();
      if (kind == Kind::vorbis) {
        auto f = std::make_unique<TagLib::Ogg::Vorbis::File>(&s, true);
        xiph = f->tag();
        file = std::move(f);
      } else if (kind == Kind::opus) {
        auto f = std::make_unique<TagLib::Ogg::Opus::File>(&s, true);
        xiph = f->tag();
        file = std::move(f);
      } else if (kind == Kind::ogg_flac) {
        auto f = std::make_unique<TagLib::Ogg::FLAC::File>(&s, true);
        xiph = f->tag();
        file = std::move(f);
      } else {
        auto f = std::make_unique<TagLib::Ogg::Speex::File>(&s, true);
        xiph = f->tag();
        file = std::move(f);
      }
      if (Status st = check_properties(*file, display); !st) {
        return st.error();
      }
      info.mime = kind == Kind::opus ? "audio/opus" : "audio/ogg";
      read_common(*file, info);
      if (xiph) {
        picture = flac_picture(xiph->pictureList());
      }
      break;
    }
    case Kind::mp4: {
      Result<Mp4Layout> layout = read_mp4_layout(s, length, display);
      if (!layout) {
        return std::move(layout).error();
      }
      rewind();
      TagLib::MP4::File file(&s, true);
      if (Status st = check_properties(file, display); !st) {
        return st.error();
      }
      info.mime = iso_media_type(head);
      if (info.mime == "video/mp4" && !has_video_track(*layout)) {
        info.mime = "audio/x-m4a";
      }
      read_common(file, info);
      if (layout->aac_channels) {
        info.channels = *layout->aac_channels;
      }
      info.chapters = mp4_chapters(*layout, s, length);
      picture = mp4_picture(file.tag());
      break;
    }
  }
  fill_chapter_ends(info.chapters, info.duration);
  set_picture(info, std::move(picture), art);
  return info;
}

Result<AudioInfo> read_file(const std::filesystem::path& file, std::string_view display,
                            std::optional<EmbeddedArt>* art) {
  std::error_code ec;
  auto status = std::filesystem::status(file, ec);
  if (ec) {
    return cannot_read(display, ec.message(), ErrorCode::io);
  }
  if (!std::filesystem::is_regular_file(status)) {
    return cannot_read(display, "not a regular file", ErrorCode::io);
  }
  TagLib::FileStream stream(file.c_str(), /*openReadOnly=*/true);
  if (!stream.isOpen()) {
    return cannot_read(display, "cannot open the file", ErrorCode::io);
  }
  return read_audio(stream, display, art);
}

}  // namespace

std::string sniff_media_type(std::string_view head) {
  switch (sniff_kind(head)) {
    case Kind::mpeg:
      return "audio/mpeg";
    case Kind::mp4:
      return iso_media_type(head);
    case Kind::opus:
      return "audio/opus";
    case Kind::vorbis:
    case Kind::ogg_flac:
    case Kind::speex:
      return "audio/ogg";
    case Kind::flac:
      return "audio/flac";
    case Kind::wav:
      return "audio/wav";
    case Kind::jpeg:
      return "image/jpeg";
    case Kind::png:
      return "image/png";
    case Kind::unknown:
    case Kind::ogg_other:
      break;
  }
  return "";
}

Result<AudioInfo> probe_audio(const std::filesystem::path& file, std::string_view display_path) {
  return read_file(file, display_path, nullptr);
}

Result<AudioInfo> probe_audio_bytes(std::string_view bytes, std::string_view display_path) {
  if (bytes.size() > std::numeric_limits<unsigned int>::max()) {
    return cannot_read(display_path, "too large to read from memory");
  }
  TagLib::ByteVectorStream stream(
      bytes.empty() ? TagLib::ByteVector()
                    : TagLib::ByteVector(bytes.data(), static_cast<unsigned int>(bytes.size())));
  return read_audio(stream, display_path, nullptr);
}

std::optional<EmbeddedArt> extract_embedded_art(const std::filesystem::path& file) {
  std::optional<EmbeddedArt> art;
  Result<AudioInfo> info = read_file(file, file.string(), &art);
  if (!info) {
    return std::nullopt;
  }
  return art;
}

}  // namespace podcastd::catalog
