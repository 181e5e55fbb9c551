#include "catalog/audio_probe.hpp"

#include <gtest/gtest.h>
#include <taglib/attachedpictureframe.h>
#include <taglib/chapterframe.h>
#include <taglib/commentsframe.h>
#include <taglib/flacfile.h>
#include <taglib/flacpicture.h>
#include <taglib/id3v2tag.h>
#include <taglib/mp4coverart.h>
#include <taglib/mp4file.h>
#include <taglib/mp4tag.h>
#include <taglib/mpegfile.h>
#include <taglib/opusfile.h>
#include <taglib/tableofcontentsframe.h>
#include <taglib/textidentificationframe.h>
#include <taglib/urllinkframe.h>
#include <taglib/vorbisfile.h>
#include <taglib/xiphcomment.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "catalog/time.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::catalog {
namespace {

namespace fs = std::filesystem;
using podcastd::testing::read_file;
using podcastd::testing::run_command;
using podcastd::testing::shell_quote;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;

// A 1x1 PNG and the start and end of a JPEG: enough for sniffing and byte comparisons.
const std::string kPng(
    "\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    "\x1F\x15\xC4\x89\x00\x00\x00\x0AIDAT\x78\x9C\x63\x00\x01\x00\x00\x05\x00\x01\x0D\x0A\x2D\xB4"
    "\x00\x00\x00\x00IEND\xAE\x42\x60\x82",
    67);
const std::string kJpeg(
    "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xD9", 22);

fs::path fixture(std::string_view name) {
  return podcastd::testing::test_data_dir() / "audio" / name;
}

UnixTime utc(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return timefmt::days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

// sox (and lame for MP3) at test time. Skips the test when a tool is missing.
#define REQUIRE_TOOL(cmd)                                \
  do {                                                   \
    if (run_command("command -v " cmd).exit_code != 0) { \
      GTEST_SKIP() << cmd " is not installed";           \
    }                                                    \
  } while (0)

// A tone in the format given by `out`'s extension (wav, flac, ogg), 44.1 kHz mono.
void make_tone(const fs::path& out, double seconds) {
  auto r = run_command("sox -n -r 44100 -c 1 " + shell_quote(out.string()) + " synth " +
                       std::to_string(seconds) + " sine 440 vol 0.3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// A 44.1 kHz 64 kbit/s MP3 with a LAME tag (frames of make_mp3's 22.05 kHz 32 kbit/s files
// are too small to hold one, so their duration includes the encoder's priming and padding).
void make_lame_mp3(const fs::path& out, double seconds, const std::string& lame_options = "-b 64") {
  TempDir tmp;
  fs::path wav = tmp / "tone.wav";
  make_tone(wav, seconds);
  auto r = run_command("lame --quiet " + lame_options + " " + shell_quote(wav.string()) + " " +
                       shell_quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

void make_plain_mp3(const fs::path& out, double seconds) {
  std::string why;
  ASSERT_TRUE(podcastd::testing::make_mp3(out, seconds, &why)) << why;
}

void edit_id3(const fs::path& mp3, const std::function<void(TagLib::ID3v2::Tag&)>& edit,
              TagLib::ID3v2::Version version = TagLib::ID3v2::v4) {
  TagLib::MPEG::File file(mp3.c_str());
  ASSERT_TRUE(file.isValid());
  edit(*file.ID3v2Tag(true));
  ASSERT_TRUE(file.save(TagLib::MPEG::File::ID3v2, TagLib::File::StripOthers, version));
}

TagLib::ID3v2::Frame* text_frame(const char* id, const std::string& value) {
  auto* f = new TagLib::ID3v2::TextIdentificationFrame(id, TagLib::String::UTF8);
  f->setText(TagLib::String(value, TagLib::String::UTF8));
  return f;
}

TagLib::ID3v2::ChapterFrame* chap(const char* id, unsigned start_ms, unsigned end_ms,
                                  const std::string& title) {
  TagLib::ID3v2::FrameList sub;
  sub.append(text_frame("TIT2", title));
  return new TagLib::ID3v2::ChapterFrame(id, start_ms, end_ms, 0xFFFFFFFF, 0xFFFFFFFF, sub);
}

TagLib::ID3v2::TableOfContentsFrame* toc(const char* id, const std::vector<const char*>& children,
                                         bool top_level, bool ordered) {
  auto* f = new TagLib::ID3v2::TableOfContentsFrame(id);
  for (const char* c : children) {
    f->addChildElement(c);
  }
  f->setIsTopLevel(top_level);
  f->setIsOrdered(ordered);
  return f;
}

std::vector<std::string> titles(const std::vector<Chapter>& chapters) {
  std::vector<std::string> out;
  out.reserve(chapters.size());
  for (const Chapter& c : chapters) {
    out.push_back(c.title);
  }
  return out;
}

// ---- hand-built ID3v2.4 tags, independent of TagLib's writer --------------------------

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}
std::string syncsafe(std::uint32_t v) {
  return {static_cast<char>((v >> 21) & 0x7F), static_cast<char>((v >> 14) & 0x7F),
          static_cast<char>((v >> 7) & 0x7F), static_cast<char>(v & 0x7F)};
}
std::string raw_frame(std::string_view id, std::string_view data) {
  return std::string(id) + syncsafe(static_cast<std::uint32_t>(data.size())) +
         std::string(2, '\0') + std::string(data);
}
std::string raw_tit2(std::string_view title) {
  return raw_frame("TIT2", "\x03" + std::string(title));  // 3 = UTF-8
}
std::string raw_chap(std::string_view id, std::uint32_t start, std::uint32_t end,
                     std::string_view title) {
  return raw_frame("CHAP", std::string(id) + '\0' + be32(start) + be32(end) + be32(0xFFFFFFFF) +
                               be32(0xFFFFFFFF) + raw_tit2(title));
}
std::string raw_ctoc(std::string_view id, unsigned char flags,
                     const std::vector<std::string>& children) {
  std::string data =
      std::string(id) + '\0' + static_cast<char>(flags) + static_cast<char>(children.size());
  for (const std::string& c : children) {
    data += c + '\0';
  }
  return raw_frame("CTOC", data);
}
std::string raw_id3v24(std::string_view frames) {
  return std::string("ID3\x04\x00\x00", 6) + syncsafe(static_cast<std::uint32_t>(frames.size())) +
         std::string(frames);
}

// ---- sniffing -------------------------------------------------------------------------

TEST(SniffMediaType, RecognizesMagicNumbers) {
  struct Case {
    const char* name;
    std::string head;
    const char* mime;
  };
  std::string ftyp_m4a(
      "\x00\x00\x00\x18"
      "ftypM4A \x00\x00\x02\x00"
      "M4A isom",
      24);
  std::string ftyp_m4b(
      "\x00\x00\x00\x14"
      "ftypM4B \x00\x00\x00\x00"
      "M4B ",
      20);
  std::string ftyp_isom(
      "\x00\x00\x00\x18"
      "ftypisom\x00\x00\x02\x00"
      "isommp41",
      24);
  std::string ftyp_mp42_m4a(
      "\x00\x00\x00\x18"
      "ftypmp42\x00\x00\x00\x00"
      "isomM4A ",
      24);
  std::string ftyp_qt(
      "\x00\x00\x00\x14"
      "ftypqt  \x00\x00\x00\x00"
      "qt  ",
      20);
  std::string ogg_page = std::string("OggS\x00\x02", 6) + std::string(20, '\0') + "\x01\x13";
  // An MPEG-1 layer III 128 kbit/s 44.1 kHz frame is 417 bytes; two headers in a row.
  std::string mpeg_frame = std::string("\xFF\xFB\x90\x64", 4) + std::string(413, '\0');
  Case cases[] = {
      {"id3v2.4", std::string("ID3\x04\x00\x00\x00\x00\x01\x00", 10), "audio/mpeg"},
      {"id3v2.3", std::string("ID3\x03\x00\x00\x00\x00\x00\x10", 10), "audio/mpeg"},
      {"id3 bad size", std::string("ID3\x04\x00\x00\x80\x00\x00\x00", 10), ""},
      {"mpeg frames", mpeg_frame + mpeg_frame, "audio/mpeg"},
      {"mpeg then garbage", mpeg_frame + "garbage garbage", ""},
      {"lone mpeg header", std::string("\xFF\xFB\x90\x64", 4), "audio/mpeg"},
      {"adts aac", std::string("\xFF\xF1\x50\x80\x02\x1F\xFC", 7), ""},
      {"m4a", ftyp_m4a, "audio/x-m4a"},
      {"m4b", ftyp_m4b, "audio/x-m4a"},
      {"isom", ftyp_isom, "video/mp4"},
      {"mp42 compatible M4A", ftyp_mp42_m4a, "audio/x-m4a"},
      {"quicktime", ftyp_qt, "video/quicktime"},
      {"opus", ogg_page + "OpusHead\x01\x01", "audio/opus"},
      {"vorbis", ogg_page + "\x01vorbis", "audio/ogg"},
      {"ogg flac",
       ogg_page + "\x7F"
                  "FLAC\x01",
       "audio/ogg"},
      {"ogg theora", ogg_page + "\x80theora", ""},
      {"flac", "fLaC", "audio/flac"},
      {"wav", std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16), "audio/wav"},
      {"avi",
       std::string("RIFF\x24\x00\x00\x00"
                   "AVI LIST",
                   16),
       ""},
      {"jpeg", kJpeg, "image/jpeg"},
      {"png", kPng, "image/png"},
      {"text", "Hello, this is not audio at all.\n", ""},
      {"empty", "", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(sniff_media_type(c.head), c.mime) << c.name;
  }
}

TEST(SniffMediaType, RealFiles) {
  REQUIRE_TOOL("sox");
  REQUIRE_TOOL("lame");
  TempDir tmp;
  make_plain_mp3(tmp / "a.mp3", 1);
  make_tone(tmp / "a.wav", 1);
  make_tone(tmp / "a.flac", 1);
  make_tone(tmp / "a.ogg", 1);
  auto head = [](const fs::path& p) { return read_file(p).substr(0, 64); };
  EXPECT_EQ(sniff_media_type(head(tmp / "a.mp3")), "audio/mpeg");
  EXPECT_EQ(sniff_media_type(head(tmp / "a.wav")), "audio/wav");
  EXPECT_EQ(sniff_media_type(head(tmp / "a.flac")), "audio/flac");
  EXPECT_EQ(sniff_media_type(head(tmp / "a.ogg")), "audio/ogg");
  EXPECT_EQ(sniff_media_type(head(fixture("chapters.m4a"))), "audio/x-m4a");
  EXPECT_EQ(sniff_media_type(head(fixture("video.mp4"))), "video/mp4");
  EXPECT_EQ(sniff_media_type(head(fixture("tone.opus"))), "audio/opus");
}

// ---- MP3 ------------------------------------------------------------------------------

TEST(AudioProbe, Mp3MeasuredFactsAndTags) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path mp3 = tmp / "episode.mp3";
  make_plain_mp3(mp3, 3);
  edit_id3(mp3, [](TagLib::ID3v2::Tag& tag) {
    tag.setTitle(TagLib::String("Épisode 1: Hello", TagLib::String::UTF8));
    tag.setArtist("The Hosts");
    tag.setAlbum("The Show");
    auto* itunes = new TagLib::ID3v2::CommentsFrame(TagLib::String::UTF8);
    itunes->setDescription("iTunNORM");
    itunes->setText(" 00000000 00000000");
    tag.addFrame(itunes);
    auto* comment = new TagLib::ID3v2::CommentsFrame(TagLib::String::UTF8);
    comment->setText("We talk about things.");
    tag.addFrame(comment);
    tag.addFrame(text_frame("TDRC", "2024-04-03"));
  });
  auto info = probe_audio(mp3, "episodes/episode.mp3");
  PODCASTD_ASSERT_OK(info);
  EXPECT_EQ(info->mime, "audio/mpeg");
  EXPECT_EQ(info->length, static_cast<std::int64_t>(fs::file_size(mp3)));
  // No LAME tag fits in a 22.05 kHz 32 kbit/s frame: the measured duration includes the
  // encoder's priming and padding (~56 ms here).
  EXPECT_NEAR(info->duration, 3.0, 0.08);
  EXPECT_EQ(info->bitrate, 32);
  EXPECT_EQ(info->sample_rate, 22050);
  EXPECT_EQ(info->channels, 1);
  EXPECT_EQ(info->title, "Épisode 1: Hello");
  EXPECT_EQ(info->artist, "The Hosts");
  EXPECT_EQ(info->album, "The Show");
  EXPECT_EQ(info->comment, "We talk about things.");
  EXPECT_EQ(info->date, utc(2024, 4, 3));
  EXPECT_TRUE(info->chapters.empty());
  EXPECT_EQ(info->art_mime, "");
  EXPECT_EQ(info->art_size, 0u);
  EXPECT_TRUE(info->warnings.empty());
}

TEST(AudioProbe, Mp3GaplessDurationFromLameTag) {
  REQUIRE_TOOL("sox");
  REQUIRE_TOOL("lame");
  TempDir tmp;
  for (double seconds : {2.5, 3.0, 7.3}) {
    fs::path mp3 = tmp / ("tone" + std::to_string(seconds) + ".mp3");
    make_lame_mp3(mp3, seconds);
    auto info = probe_audio(mp3, "tone.mp3");
    PODCASTD_ASSERT_OK(info);
    EXPECT_NEAR(info->duration, seconds, 0.05) << seconds;
    EXPECT_EQ(info->sample_rate, 44100);
  }
  fs::path vbr = tmp / "vbr.mp3";
  make_lame_mp3(vbr, 4.0, "-V 5");
  auto info = probe_audio(vbr, "vbr.mp3");
  PODCASTD_ASSERT_OK(info);
  EXPECT_NEAR(info->duration, 4.0, 0.05);
}

TEST(AudioProbe, Mp3DateTagForms) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path mp3 = tmp / "d.mp3";
  make_plain_mp3(mp3, 1);
  struct Case {
    const char* frame;
    const char* value;
    TagLib::ID3v2::Version version;
    std::optional<UnixTime> want;
  };
  Case cases[] = {
      {"TDRC", "2024-04-03", TagLib::ID3v2::v4, utc(2024, 4, 3)},
      {"TDRC", "2019", TagLib::ID3v2::v4, utc(2019, 1, 1)},
      {"TDRC", "2021-11", TagLib::ID3v2::v4, utc(2021, 11, 1)},
      {"TDRC", "2024-04-03T10:20:30", TagLib::ID3v2::v4, utc(2024, 4, 3, 10, 20, 30)},
      {"TDRC", "2024-04-03T10", TagLib::ID3v2::v4, utc(2024, 4, 3)},
      {"TYER", "2018", TagLib::ID3v2::v3, utc(2018, 1, 1)},
      {"TDRL", "2023-02-01", TagLib::ID3v2::v4, utc(2023, 2, 1)},
      {"TDRC", "2024-02-30", TagLib::ID3v2::v4, std::nullopt},
      {"TDRC", "someday", TagLib::ID3v2::v4, std::nullopt},
  };
  for (const Case& c : cases) {
    edit_id3(
        mp3,
        [&](TagLib::ID3v2::Tag& tag) {
          for (const char* id : {"TDRC", "TYER", "TDRL"}) {
            tag.removeFrames(id);
          }
          tag.addFrame(text_frame(c.frame, c.value));
        },
        c.version);
    auto info = probe_audio(mp3, "d.mp3");
    PODCASTD_ASSERT_OK(info);
    EXPECT_EQ(info->date, c.want) << c.frame << " " << c.value;
    if (!c.want) {
      ASSERT_EQ(info->warnings.size(), 1u) << c.value;
      EXPECT_EQ(info->warnings[0], std::string("unreadable date tag '") + c.value + "'");
    }
  }
}

// ---- ID3v2 chapters -------------------------------------------------------------------

TEST(AudioProbe, Id3ChaptersFollowTheTopLevelOrderedToc) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path mp3 = tmp / "c.mp3";
  make_plain_mp3(mp3, 3);
  // Frames stored out of order; the table of contents is the authority.
  edit_id3(mp3, [](TagLib::ID3v2::Tag& tag) {
    tag.addFrame(chap("chp2", 2000, 3000, "Third"));
    tag.addFrame(chap("chp0", 0, 1000, "First"));
    tag.addFrame(chap("chp1", 1000, 2000, "Second"));
    tag.addFrame(toc("toc", {"chp1", "chp0", "chp2"}, /*top_level=*/true, /*ordered=*/true));
  });
  // TagLib wrote the spec's bits: top-level 0x02 | ordered 0x01.
  std::string bytes = read_file(mp3);
  std::size_t at = bytes.find("CTOC");
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(bytes.substr(at + 10, 4), std::string("toc\0", 4));
  EXPECT_EQ(static_cast<unsigned char>(bytes[at + 14]), 0x03);

  auto info = probe_audio(mp3, "c.mp3");
  PODCASTD_ASSERT_OK(info);
  ASSERT_EQ(titles(info->chapters), (std::vector<std::string>{"Second", "First", "Third"}));
  EXPECT_EQ(info->chapters[0].start, 1.0);
  EXPECT_EQ(info->chapters[0].end, 2.0);
  EXPECT_EQ(info->chapters[1].start, 0.0);
  EXPECT_EQ(info->chapters[2].end, 3.0);
  for (const Chapter& c : info->chapters) {
    EXPECT_TRUE(c.toc);
  }
}

TEST(AudioProbe, Id3ChaptersOfAnUnorderedTocSortByStart) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path mp3 = tmp / "c.mp3";
  make_plain_mp3(mp3, 3);
  edit_id3(mp3, [](TagLib::ID3v2::Tag& tag) {
    tag.addFrame(chap("b", 1500, 3000, "Later"));
    tag.addFrame(chap("a", 0, 1500, "Sooner"));
    tag.addFrame(toc("toc", {"b", "a"}, /*top_level=*/true, /*ordered=*/false));
  });
  auto info = probe_audio(mp3, "c.mp3");
  PODCASTD_ASSERT_OK(info);
  EXPECT_EQ(titles(info->chapters), (std::vector<std::string>{"Sooner", "Later"}));
}

// Tags built byte by byte with the flag values of the ID3v2 Chapter Frame Addendum, so a
// library that swapped the bits (as one once did) would fail here.
TEST(AudioProbe, Id3ChapterTocFlagBitsFollowTheSpec) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path audio = tmp / "plain.mp3";
  make_plain_mp3(audio, 3);
  std::string frames = read_file(audio);
  ASSERT_EQ(sniff_media_type(frames.substr(0, 64)), "audio/mpeg");
  ASSERT_NE(frames.substr(0, 3), "ID3");
  struct Case {
    unsigned char flags;
    std::vector<std::string> want;
  };
  Case cases[] = {
      {0x03, {"Middle", "Start", "End"}},  // top-level, ordered: TOC order
      {0x02, {"Start", "Middle", "End"}},  // top-level, unordered: by start
      {0x01, {"Start", "Middle", "End"}},  // ordered but not top-level: no root, by start
      {0x00, {"Start", "Middle", "End"}},
  };
  for (const Case& c : cases) {
    std::string tag =
        raw_id3v24(raw_chap("s", 0, 1000, "Start") + raw_chap("m", 1000, 2000, "Middle") +
                   raw_chap("e", 2000, 3000, "End") + raw_ctoc("root", c.flags, {"m", "s", "e"}));
    fs::path mp3 = tmp / "flags.mp3";
    write_file(mp3, tag + frames);
    auto info = probe_audio(mp3, "flags.mp3");
    PODCASTD_ASSERT_OK(info);
    EXPECT_EQ(titles(info->chapters), c.want) << "flags " << int{c.flags};
    auto bytes_info = probe_audio_bytes(tag + frames, "flags.mp3");
    PODCASTD_ASSERT_OK(bytes_info);
    EXPECT_EQ(bytes_info->chapters, info->chapters);
  }
}

TEST(AudioProbe, Id3ChapterFieldsEndsAndHiddenChapters) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path mp3 = tmp / "c.mp3";
  make_plain_mp3(mp3, 3);
  edit_id3(mp3, [](TagLib::ID3v2::Tag& tag) {
    // Open end (0xFFFFFFFF) -> next start; end before start -> next start; last -> duration.
    TagLib::ID3v2::FrameList sub;
    sub.append(text_frame("TIT2", "Intro"));
    auto* url = new TagLib::ID3v2::UserUrlLinkFrame(TagLib::String::UTF8);
    url->setUrl("https://example.com/intro");
    sub.append(url);
    auto* pic = new TagLib::ID3v2::AttachedPictureFrame;
    pic->setMimeType("image/png");
    pic->setPicture(TagLib::ByteVector(kPng.data(), static_cast<unsigned>(kPng.size())));
    sub.append(pic);
    tag.addFrame(new TagLib::ID3v2::ChapterFrame("c0", 0, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, sub));
    tag.addFrame(chap("c1", 1200, 500, "Topic"));
    tag.addFrame(chap("c2", 2400, 2400, "Outro"));
    tag.addFrame(chap("marker", 1800, 1900, "Not in the TOC"));
    tag.addFrame(toc("toc", {"c0", "c1", "c2"}, true, true));
  });
  auto info = probe_audio(mp3, "c.mp3");
  PODCASTD_ASSERT_OK(info);
  ASSERT_EQ(info->chapters.size(), 4u);
  const auto& ch = info->chapters;
  EXPECT_EQ(ch[0].title, "Intro");
  EXPECT_EQ(ch[0].url, "https://example.com/intro");
  EXPECT_EQ(ch[0].img, "");
  EXPECT_EQ(ch[0].end, 1.2);
  EXPECT_EQ(ch[1].title, "Topic");
  EXPECT_EQ(ch[1].end, 1.8);  // the hidden marker's start comes next in time
  EXPECT_EQ(ch[2].title, "Outro");
  EXPECT_EQ(ch[2].start, 2.4);
  EXPECT_EQ(ch[2].end, info->duration);
  EXPECT_EQ(ch[3].title, "Not in the TOC");
  EXPECT_FALSE(ch[3].toc);
  EXPECT_EQ(ch[3].end, 1.9);
  EXPECT_EQ(info->chapters_with_image, (std::vector<std::size_t>{0}));
  EXPECT_EQ(info->art_mime, "");  // a chapter image is not the episode's art
}

TEST(AudioProbe, Id3NestedTocsAreFlattened) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path mp3 = tmp / "c.mp3";
  make_plain_mp3(mp3, 3);
  edit_id3(mp3, [](TagLib::ID3v2::Tag& tag) {
    tag.addFrame(chap("a", 0, 1000, "A"));
    tag.addFrame(chap("b", 1000, 2000, "B"));
    tag.addFrame(chap("c", 2000, 3000, "C"));
    tag.addFrame(toc("part2", {"c", "part2"}, false, true));  // a cycle is ignored
    tag.addFrame(toc("root", {"a", "part2", "b"}, true, true));
  });
  auto info = probe_audio(mp3, "c.mp3");
  PODCASTD_ASSERT_OK(info);
  EXPECT_EQ(titles(info->chapters), (std::vector<std::string>{"A", "C", "B"}));
}

TEST(AudioProbe, Id3ChaptersWithoutTocSortByStart) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path mp3 = tmp / "c.mp3";
  make_plain_mp3(mp3, 3);
  edit_id3(mp3, [](TagLib::ID3v2::Tag& tag) {
    tag.addFrame(chap("z", 2000, 0xFFFFFFFF, "Two"));
    tag.addFrame(chap("y", 0, 0xFFFFFFFF, "Zero"));
    tag.addFrame(chap("x", 1000, 0xFFFFFFFF, "One"));
  });
  auto info = probe_audio(mp3, "c.mp3");
  PODCASTD_ASSERT_OK(info);
  ASSERT_EQ(titles(info->chapters), (std::vector<std::string>{"Zero", "One", "Two"}));
  EXPECT_EQ(info->chapters[0].end, 1.0);
  EXPECT_EQ(info->chapters[1].end, 2.0);
  EXPECT_EQ(info->chapters[2].end, info->duration);
  EXPECT_TRUE(info->chapters[2].toc);
}

TEST(AudioProbe, ManyId3ChaptersStayFast) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path audio = tmp / "plain.mp3";
  make_plain_mp3(audio, 1);
  std::string frames;
  const int n = 20000;
  for (int k = 0; k < n; ++k) {
    // All at one start but the last: the end of each is the last one's start.
    frames += raw_chap("c" + std::to_string(k), k + 1 == n ? 500 : 0, 0xFFFFFFFF, "x");
  }
  frames += raw_ctoc("root", 0x03, {"c19999", "c0", "missing"});
  auto started = std::chrono::steady_clock::now();
  auto info = probe_audio_bytes(raw_id3v24(frames) + read_file(audio), "many.mp3");
  auto took = std::chrono::steady_clock::now() - started;
  PODCASTD_ASSERT_OK(info);
  ASSERT_EQ(info->chapters.size(), static_cast<std::size_t>(n));
  EXPECT_EQ(info->chapters[0].start, 0.5);  // TOC order first
  EXPECT_TRUE(info->chapters[1].toc);
  EXPECT_FALSE(info->chapters[2].toc);  // the rest are not in the TOC
  EXPECT_EQ(info->chapters[2].end, 0.5);
  EXPECT_LT(took, std::chrono::seconds(5));
}

// ---- art ------------------------------------------------------------------------------

TEST(AudioArt, Mp3FrontCoverIsPreferred) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path mp3 = tmp / "art.mp3";
  make_plain_mp3(mp3, 1);
  edit_id3(mp3, [](TagLib::ID3v2::Tag& tag) {
    auto* other = new TagLib::ID3v2::AttachedPictureFrame;
    other->setType(TagLib::ID3v2::AttachedPictureFrame::Artist);
    other->setMimeType("image/jpeg");
    other->setPicture(TagLib::ByteVector(kJpeg.data(), static_cast<unsigned>(kJpeg.size())));
    tag.addFrame(other);
    auto* front = new TagLib::ID3v2::AttachedPictureFrame;
    front->setType(TagLib::ID3v2::AttachedPictureFrame::FrontCover);
    front->setMimeType("image/jpg");  // wrong on purpose: the bytes decide
    front->setPicture(TagLib::ByteVector(kPng.data(), static_cast<unsigned>(kPng.size())));
    tag.addFrame(front);
  });
  auto info = probe_audio(mp3, "art.mp3");
  PODCASTD_ASSERT_OK(info);
  EXPECT_EQ(info->art_mime, "image/png");
  EXPECT_EQ(info->art_size, kPng.size());
  auto art = extract_embedded_art(mp3);
  ASSERT_TRUE(art);
  EXPECT_EQ(art->mime, "image/png");
  EXPECT_EQ(art->bytes, kPng);

  // Without a front cover, the first picture.
  edit_id3(mp3, [](TagLib::ID3v2::Tag& tag) {
    for (TagLib::ID3v2::Frame* f : tag.frameList("APIC")) {
      auto* apic = dynamic_cast<TagLib::ID3v2::AttachedPictureFrame*>(f);
      if (apic->type() == TagLib::ID3v2::AttachedPictureFrame::FrontCover) {
        tag.removeFrame(f);
        break;
      }
    }
  });
  art = extract_embedded_art(mp3);
  ASSERT_TRUE(art);
  EXPECT_EQ(art->mime, "image/jpeg");
  EXPECT_EQ(art->bytes, kJpeg);
}

TEST(AudioArt, NoneOrUnreadable) {
  REQUIRE_TOOL("lame");
  TempDir tmp;
  make_plain_mp3(tmp / "plain.mp3", 1);
  EXPECT_FALSE(extract_embedded_art(tmp / "plain.mp3"));
  write_file(tmp / "text.mp3", "not audio\n");
  EXPECT_FALSE(extract_embedded_art(tmp / "text.mp3"));
  EXPECT_FALSE(extract_embedded_art(tmp / "missing.mp3"));
}

// ---- WAV, FLAC, Ogg Vorbis (sox at test time) -----------------------------------------

TEST(AudioProbe, WavFlacAndVorbisFromSox) {
  REQUIRE_TOOL("sox");
  TempDir tmp;
  struct Case {
    const char* name;
    const char* mime;
    double seconds;
  };
  Case cases[] = {
      {"a.wav", "audio/wav", 2.0}, {"a.flac", "audio/flac", 2.5}, {"a.ogg", "audio/ogg", 1.5}};
  for (const Case& c : cases) {
    fs::path file = tmp / c.name;
    make_tone(file, c.seconds);
    auto info = probe_audio(file, c.name);
    PODCASTD_ASSERT_OK(info);
    EXPECT_EQ(info->mime, c.mime) << c.name;
    EXPECT_NEAR(info->duration, c.seconds, 0.05) << c.name;
    EXPECT_EQ(info->sample_rate, 44100) << c.name;
    EXPECT_EQ(info->channels, 1) << c.name;
    EXPECT_GT(info->bitrate, 0) << c.name;
    EXPECT_EQ(info->length, static_cast<std::int64_t>(fs::file_size(file)));
    // The content decides, not the extension.
    fs::path renamed = tmp / (std::string(c.name) + ".mp3");
    fs::copy_file(file, renamed);
    auto again = probe_audio(renamed, "renamed.mp3");
    PODCASTD_ASSERT_OK(again);
    EXPECT_EQ(again->mime, c.mime);
  }
}

TEST(AudioProbe, FlacAndVorbisTagsAndPictures) {
  REQUIRE_TOOL("sox");
  TempDir tmp;
  auto picture = [](TagLib::FLAC::Picture::Type type, const std::string& bytes, const char* mime) {
    auto* p = new TagLib::FLAC::Picture;
    p->setType(type);
    p->setMimeType(mime);
    p->setData(TagLib::ByteVector(bytes.data(), static_cast<unsigned>(bytes.size())));
    return p;
  };
  fs::path flac = tmp / "a.flac";
  make_tone(flac, 1);
  {
    TagLib::FLAC::File f(flac.c_str());
    TagLib::Ogg::XiphComment* xiph = f.xiphComment(true);
    xiph->setTitle("Flac Title");
    xiph->addField("DATE", "2022-12-24");
    f.addPicture(picture(TagLib::FLAC::Picture::BackCover, kJpeg, "image/jpeg"));
    f.addPicture(picture(TagLib::FLAC::Picture::FrontCover, kPng, "image/png"));
    ASSERT_TRUE(f.save());
  }
  auto info = probe_audio(flac, "a.flac");
  PODCASTD_ASSERT_OK(info);
  EXPECT_EQ(info->title, "Flac Title");
  EXPECT_EQ(info->date, utc(2022, 12, 24));
  EXPECT_EQ(info->art_mime, "image/png");
  EXPECT_EQ(extract_embedded_art(flac)->bytes, kPng);

  fs::path ogg = tmp / "a.ogg";
  make_tone(ogg, 1);
  {
    TagLib::Ogg::Vorbis::File f(ogg.c_str());
    f.tag()->setTitle("Vorbis Title");
    f.tag()->setArtist("Someone");
    f.tag()->addField("DATE", "2020");
    f.tag()->addPicture(picture(TagLib::FLAC::Picture::Other, kJpeg, "image/jpeg"));
    ASSERT_TRUE(f.save());
  }
  info = probe_audio(ogg, "a.ogg");
  PODCASTD_ASSERT_OK(info);
  EXPECT_EQ(info->title, "Vorbis Title");
  EXPECT_EQ(info->artist, "Someone");
  EXPECT_EQ(info->date, utc(2020, 1, 1));
  EXPECT_EQ(info->art_mime, "image/jpeg");
  EXPECT_EQ(info->art_size, kJpeg.size());
}

// ---- M4A / MP4 / Opus (committed fixtures made by tests/data/audio/make_fixtures.sh) ---

TEST(AudioProbe, M4aTagsAndQuickTimeChapterTrack) {
  auto info = probe_audio(fixture("chapters.m4a"), "chapters.m4a");
  PODCASTD_ASSERT_OK(info);
  EXPECT_EQ(info->mime, "audio/x-m4a");
  EXPECT_NEAR(info->duration, 3.0, 0.05);
  EXPECT_EQ(info->sample_rate, 22050);
  EXPECT_EQ(info->channels, 1);
  EXPECT_GT(info->bitrate, 0);
  EXPECT_EQ(info->title, "M4A Fixture");
  EXPECT_EQ(info->artist, "Fixture Artist");
  EXPECT_EQ(info->album, "Fixture Album");
  EXPECT_EQ(info->comment, "Made by make_fixtures.sh");
  EXPECT_EQ(info->date, utc(2024, 4, 3));
  ASSERT_EQ(titles(info->chapters), (std::vector<std::string>{"Opening", "Middle part", "Ending"}));
  EXPECT_NEAR(info->chapters[0].start, 0.0, 0.001);
  EXPECT_NEAR(info->chapters[1].start, 1.0, 0.001);
  EXPECT_NEAR(info->chapters[2].start, 2.2, 0.001);
  EXPECT_NEAR(info->chapters[0].end.value_or(-1), 1.0, 0.001);
  EXPECT_NEAR(info->chapters[2].end.value_or(-1), info->duration, 0.001);
}

TEST(AudioProbe, M4aNeroChplWhenThereIsNoChapterTrack) {
  TempDir tmp;
  std::string bytes = read_file(fixture("chapters.m4a"));
  // Unlink the chapter track by renaming the audio track's "tref" box to "free".
  std::size_t at = bytes.find("tref");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 4, "free");
  ASSERT_NE(bytes.find("chpl"), std::string::npos);
  auto info = probe_audio_bytes(bytes, "nero.m4a");
  PODCASTD_ASSERT_OK(info);
  ASSERT_EQ(titles(info->chapters), (std::vector<std::string>{"Opening", "Middle part", "Ending"}));
  EXPECT_NEAR(info->chapters[1].start, 1.0, 0.001);
  EXPECT_NEAR(info->chapters[2].start, 2.2, 0.001);
  EXPECT_NEAR(info->chapters[1].end.value_or(-1), 2.2, 0.001);
}

TEST(AudioProbe, IsoBrandsWithAndWithoutVideo) {
  auto audio = probe_audio(fixture("audio-only.mp4"), "audio-only.mp4");
  PODCASTD_ASSERT_OK(audio);
  EXPECT_EQ(audio->mime, "audio/x-m4a");  // brand isom, but no video track
  EXPECT_NEAR(audio->duration, 2.0, 0.05);
  auto video = probe_audio(fixture("video.mp4"), "video.mp4");
  PODCASTD_ASSERT_OK(video);
  EXPECT_EQ(video->mime, "video/mp4");
  EXPECT_NEAR(video->duration, 1.0, 0.05);
}

TEST(AudioArt, M4aCoverArt) {
  TempDir tmp;
  fs::path m4a = tmp / "cover.m4a";
  fs::copy_file(fixture("chapters.m4a"), m4a);
  {
    TagLib::MP4::File f(m4a.c_str());
    ASSERT_TRUE(f.isValid());
    TagLib::MP4::CoverArtList covers;
    covers.append(TagLib::MP4::CoverArt(
        TagLib::MP4::CoverArt::JPEG,
        TagLib::ByteVector(kJpeg.data(), static_cast<unsigned>(kJpeg.size()))));
    f.tag()->setItem("covr", covers);
    ASSERT_TRUE(f.save());
  }
  auto info = probe_audio(m4a, "cover.m4a");
  PODCASTD_ASSERT_OK(info);
  EXPECT_EQ(info->art_mime, "image/jpeg");
  EXPECT_EQ(info->art_size, kJpeg.size());
  EXPECT_EQ(info->chapters.size(), 3u);  // still found after TagLib rewrote the moov box
  auto art = extract_embedded_art(m4a);
  ASSERT_TRUE(art);
  EXPECT_EQ(art->bytes, kJpeg);
}

TEST(AudioProbe, OpusFixture) {
  auto info = probe_audio(fixture("tone.opus"), "tone.opus");
  PODCASTD_ASSERT_OK(info);
  EXPECT_EQ(info->mime, "audio/opus");
  EXPECT_NEAR(info->duration, 2.0, 0.05);
  EXPECT_EQ(info->title, "Opus Fixture");
  EXPECT_EQ(info->channels, 1);
  EXPECT_EQ(info->sample_rate, 48000);
}

TEST(AudioArt, OpusPicture) {
  TempDir tmp;
  fs::path opus = tmp / "art.opus";
  fs::copy_file(fixture("tone.opus"), opus);
  {
    TagLib::Ogg::Opus::File f(opus.c_str());
    auto* p = new TagLib::FLAC::Picture;
    p->setType(TagLib::FLAC::Picture::FrontCover);
    p->setMimeType("image/png");
    p->setData(TagLib::ByteVector(kPng.data(), static_cast<unsigned>(kPng.size())));
    f.tag()->addPicture(p);
    ASSERT_TRUE(f.save());
  }
  auto art = extract_embedded_art(opus);
  ASSERT_TRUE(art);
  EXPECT_EQ(art->mime, "image/png");
  EXPECT_EQ(art->bytes, kPng);
}

// ---- errors ---------------------------------------------------------------------------

// A minimal 8 kHz mono 16-bit WAV whose data chunk claims `claimed` bytes.
std::string wav_bytes(std::uint32_t claimed, std::size_t present) {
  auto le32 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 24)};
  };
  std::string fmt("\x01\x00\x01\x00", 4);
  fmt += le32(8000) + le32(16000) + std::string("\x02\x00\x10\x00", 4);
  std::string body = "WAVE" + std::string("fmt ") + le32(16) + fmt + "data" + le32(claimed) +
                     std::string(present, '\0');
  return "RIFF" + le32(static_cast<std::uint32_t>(body.size())) + body;
}

TEST(AudioProbe, ErrorsForNonAudioAndTruncatedFiles) {
  TempDir tmp;
  std::string m4a = read_file(fixture("chapters.m4a"));
  std::string id3_only = raw_id3v24(raw_tit2("A title") + std::string(1000, '\0'));
  struct Case {
    const char* name;
    std::string bytes;
    const char* message;
  };
  Case cases[] = {
      {"text.mp3", "This is a text file that was renamed.\n",
       "ep/text.mp3: cannot read audio: not a known audio format"},
      {"zero.mp3", "", "ep/zero.mp3: cannot read audio: empty file"},
      {"cover.mp3", kPng, "ep/cover.mp3: cannot read audio: an image (image/png), not audio"},
      {"cut-tag.mp3", id3_only.substr(0, 30),
       "ep/cut-tag.mp3: cannot read audio: truncated (ID3v2 tag of 1028 bytes at byte 0, 30 are "
       "left)"},
      {"tag-only.mp3", id3_only, "ep/tag-only.mp3: cannot read audio: no MPEG audio frames"},
      {"tag-then-text.mp3", id3_only + "just some words, no audio frames at all\n",
       "ep/tag-then-text.mp3: cannot read audio: no MPEG audio frames"},
      {"cut.m4a", m4a.substr(0, 5000),
       "ep/cut.m4a: cannot read audio: truncated (box 'mdat' needs 9427 bytes at byte 36, 4964 "
       "are left)"},
      {"no-moov.m4a", m4a.substr(0, 36), "ep/no-moov.m4a: cannot read audio: no 'moov' box"},
      {"cut.wav", wav_bytes(16000, 1000),
       "ep/cut.wav: cannot read audio: truncated (chunk 'data' needs 16000 bytes at byte 44, 1000 "
       "are left)"},
      {"ogg.mp3", std::string("OggS\x00\x02", 6) + std::string(20, '\0') + "\x01\x08\x80theora",
       "ep/ogg.mp3: cannot read audio: an Ogg stream without Vorbis, Opus, FLAC or Speex audio"},
      {"flac-header-only.flac", "fLaC",
       "ep/flac-header-only.flac: cannot read audio: the file is damaged or not what its header "
       "says"},
  };
  for (const Case& c : cases) {
    fs::path file = tmp / c.name;
    write_file(file, c.bytes);
    auto info = probe_audio(file, std::string("ep/") + c.name);
    ASSERT_FALSE(info.ok()) << c.name;
    EXPECT_EQ(info.error().code, ErrorCode::parse) << c.name;
    EXPECT_EQ(info.error().message, c.message) << c.name;
    auto from_bytes = probe_audio_bytes(c.bytes, std::string("ep/") + c.name);
    ASSERT_FALSE(from_bytes.ok()) << c.name;
    EXPECT_EQ(from_bytes.error().message, c.message) << c.name;
  }
  // The complete WAV of the same shape reads fine.
  auto wav = probe_audio_bytes(wav_bytes(16000, 16000), "ok.wav");
  PODCASTD_ASSERT_OK(wav);
  EXPECT_NEAR(wav->duration, 1.0, 0.001);
}

TEST(AudioProbe, TruncatedMp3CutInsideTheAudio) {
  REQUIRE_TOOL("sox");
  REQUIRE_TOOL("lame");
  TempDir tmp;
  fs::path full = tmp / "full.mp3";
  make_lame_mp3(full, 6.0);
  std::string bytes = read_file(full);
  fs::path cut = tmp / "cut.mp3";
  write_file(cut, bytes.substr(0, bytes.size() / 2));
  auto info = probe_audio(cut, "cut.mp3");
  PODCASTD_ASSERT_OK(info);  // still playable: a warning, not an error
  ASSERT_EQ(info->warnings.size(), 1u);
  EXPECT_TRUE(info->warnings[0].starts_with("audio data is shorter than its Xing header says ("))
      << info->warnings[0];
  EXPECT_TRUE(info->warnings[0].ends_with(" bytes): truncated?")) << info->warnings[0];
  EXPECT_NEAR(info->duration, 3.0, 0.1);
}

TEST(AudioProbe, FileSystemErrors) {
  TempDir tmp;
  auto missing = probe_audio(tmp / "missing.mp3", "ep/missing.mp3");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::io);
  EXPECT_EQ(missing.error().message,
            "ep/missing.mp3: cannot read audio: No such file or directory");
  fs::create_directory(tmp / "dir.mp3");
  auto dir = probe_audio(tmp / "dir.mp3", "ep/dir.mp3");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code, ErrorCode::io);
  EXPECT_EQ(dir.error().message, "ep/dir.mp3: cannot read audio: not a regular file");
}

TEST(AudioProbe, BytesAndFileAgree) {
  for (const char* name : {"chapters.m4a", "audio-only.mp4", "video.mp4", "tone.opus"}) {
    auto from_file = probe_audio(fixture(name), name);
    auto from_bytes = probe_audio_bytes(read_file(fixture(name)), name);
    PODCASTD_ASSERT_OK(from_file);
    PODCASTD_ASSERT_OK(from_bytes);
    EXPECT_EQ(from_file->mime, from_bytes->mime) << name;
    EXPECT_EQ(from_file->duration, from_bytes->duration) << name;
    EXPECT_EQ(from_file->chapters, from_bytes->chapters) << name;
    EXPECT_EQ(from_file->title, from_bytes->title) << name;
  }
}

}  // namespace
}  // namespace podcastd::catalog
