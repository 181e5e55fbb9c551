#pragma once
// Audio files read with TagLib: measured facts (duration, bitrate, MIME type from the
// content, never the extension) and tags (ID3 title/date/comment, ID3v2 CHAP/CTOC chapters,
// MP4 chapter tracks and Nero "chpl", embedded art). MP3, M4A/MP4, Ogg Vorbis/Opus (and Ogg
// FLAC/Speex), FLAC, WAV. Functions are reentrant: any thread, one file per call.

#include <cstddef>
#include <cstdint>
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
  // Seconds (millisecond precision). MP3s with a LAME/Info tag: gapless (the encoder
  // delay and padding it records are removed); other MP3s include them (~25-80 ms).
  double duration = 0;
  int bitrate = 0;  // kbit/s
  int sample_rate = 0;
  int channels = 0;
  std::string title;
  std::string artist;
  std::string album;
  std::string comment;
  std::optional<UnixTime> date;   // recording/release date tag; a bare year is Jan 1 UTC
  std::vector<Chapter> chapters;  // in table-of-contents order, end times filled
  // Indices into `chapters` of ID3 chapters that embed an APIC image. The images are not
  // extracted (Chapter::img stays "").
  std::vector<std::size_t> chapters_with_image;
  std::string art_mime;  // embedded picture's type, "" when none
  std::size_t art_size = 0;
  // Things worth a warning diagnostic that do not stop publishing, e.g. "audio data is
  // shorter than its Xing header says (12000 of 48000 bytes): truncated?" (the duration is
  // then scaled to the bytes present) or an unreadable date tag.
  std::vector<std::string> warnings;
};

// Sniffs a media type from a file's first bytes (at least 64 of them): "audio/mpeg" for
// ID3 or an MPEG audio frame sync, "audio/x-m4a" / "video/mp4" for ISO BMFF by brand,
// "audio/ogg" / "audio/opus" for Ogg by codec header, "audio/flac", "audio/wav",
// "image/jpeg", "image/png"; "" when unknown.
//
// ISO BMFF: a major or compatible brand "M4A ", "M4B " or "M4P " is audio/x-m4a; "M4V " is
// video/x-m4v, "qt  " video/quicktime; any other brand (isom, mp42, dash...) is video/mp4
// here. probe_audio() refines the last case: a file whose tracks include no video track
// (handler "vide", chapter-image tracks not counted) is audio/x-m4a. Ogg FLAC and Speex
// are "audio/ogg". ADTS AAC, RF64 and Ogg Theora are "" (podcastd does not read them).
std::string sniff_media_type(std::string_view head);

// Reads a file. `display_path` is used in messages. Errors are
// "PATH: cannot read audio: reason": ErrorCode::io when the file cannot be opened or read,
// ErrorCode::parse for empty, truncated (a tag, box or chunk running past the end of the
// file) or non-audio content.
//
// Chapters: ID3v2 CHAP frames (MP3, WAV, FLAC with ID3v2), in the order of the top-level
// CTOC (flag 0x02) when it is ordered (flag 0x01), else by start time; CHAP frames the
// table of contents does not reach are appended with toc = false. MP4: the QuickTime
// chapter track (tref "chap" -> a text track), else Nero "chpl" (TagLib 1.13 reads
// neither; podcastd walks the boxes itself). A chapter's missing or invalid end time
// becomes the next chapter's start, the last one's the duration.
Result<AudioInfo> probe_audio(const std::filesystem::path& file, std::string_view display_path);

// The same on bytes in memory (for fuzzing and tests); the format is sniffed from content.
Result<AudioInfo> probe_audio_bytes(std::string_view bytes, std::string_view display_path);

struct EmbeddedArt {
  std::string mime;  // image/jpeg or image/png
  std::string bytes;
};
// The front-cover (else first) embedded picture: ID3v2 APIC, MP4 "covr", FLAC or Xiph
// (METADATA_BLOCK_PICTURE) pictures. nullopt when the file has none or cannot be read as
// audio. `mime` comes from the picture's bytes (JPEG/PNG/GIF/BMP), else from the tag.
std::optional<EmbeddedArt> extract_embedded_art(const std::filesystem::path& file);

}  // namespace podcastd::catalog
