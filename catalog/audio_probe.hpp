#pragma once
// Audio files read with TagLib: measured facts (duration, bitrate, MIME type from the
// content, never the extension) and tags (ID3 title/date/comment, ID3v2 CHAP/CTOC chapters,
// MP4 chapters where TagLib exposes them, embedded art). MP3, M4A/MP4, Ogg Vorbis/Opus,
// FLAC, WAV. Functions are reentrant: any thread, one file per call.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "catalog/result.hpp"

namespace podcastd::catalog {

struct AudioInfo {
  std::string mime;         // audio/mpeg, audio/x-m4a, video/mp4, audio/ogg, audio/opus,
                            // audio/flac, audio/wav
  std::int64_t length = 0;  // file size in bytes
  double duration = 0;      // seconds (millisecond precision)
  int bitrate = 0;          // kbit/s
  int sample_rate = 0;
  int channels = 0;
  std::string title;
  std::string artist;
  std::string album;
  std::string comment;
  std::optional<UnixTime> date;   // recording/release date tag; a bare year is Jan 1 UTC
  std::vector<Chapter> chapters;  // in table-of-contents order, end times filled
  std::string art_mime;           // embedded picture's type, "" when none
  std::size_t art_size = 0;
};

// Sniffs a media type from a file's first bytes (at least 64 of them): "audio/mpeg" for
// ID3 or an MPEG audio frame sync, "audio/x-m4a" / "video/mp4" for ISO BMFF by brand,
// "audio/ogg" / "audio/opus" for Ogg by codec header, "audio/flac", "audio/wav",
// "image/jpeg", "image/png"; "" when unknown.
std::string sniff_media_type(std::string_view head);

// Reads a file. `display_path` is used in messages. Errors (ErrorCode::parse or io):
// "PATH: cannot read audio: reason" for unreadable, truncated or non-audio content.
Result<AudioInfo> probe_audio(const std::filesystem::path& file, std::string_view display_path);

// The same on bytes in memory (for fuzzing and tests); the format is sniffed from content.
Result<AudioInfo> probe_audio_bytes(std::string_view bytes, std::string_view display_path);

struct EmbeddedArt {
  std::string mime;  // image/jpeg or image/png
  std::string bytes;
};
// The front-cover (else first) embedded picture; nullopt when the file has none.
std::optional<EmbeddedArt> extract_embedded_art(const std::filesystem::path& file);

}  // namespace podcastd::catalog
