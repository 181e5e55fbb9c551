#include "catalog/content_scan.hpp"

#include <gtest/gtest.h>

#include "tests/support/test_support.hpp"

namespace podcastd::catalog {
namespace {

namespace fs = std::filesystem;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;

struct NameCase {
  const char* name;
  SourceKind kind;
  const char* stem;
  const char* language;
};

class ClassifyFileName : public ::testing::TestWithParam<NameCase> {};

TEST_P(ClassifyFileName, KindStemLanguage) {
  FileName fn = classify_file_name(GetParam().name);
  EXPECT_EQ(fn.kind, GetParam().kind) << GetParam().name;
  EXPECT_EQ(fn.stem, GetParam().stem) << GetParam().name;
  EXPECT_EQ(fn.language, GetParam().language) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ClassifyFileName,
    ::testing::Values(NameCase{"show.toml", SourceKind::show_toml, "show", ""},
                      NameCase{"ep1.md", SourceKind::markdown, "ep1", ""},
                      NameCase{"Ep 1.MD", SourceKind::markdown, "Ep 1", ""},
                      NameCase{"page.txt", SourceKind::text_page, "page", ""},
                      NameCase{"ep1.transcript.txt", SourceKind::transcript_text, "ep1", ""},
                      NameCase{"ep1.transcript.json", SourceKind::transcript_json, "ep1", ""},
                      NameCase{"ep1.chapters.json", SourceKind::chapters_json, "ep1", ""},
                      NameCase{"ep1.vtt", SourceKind::vtt, "ep1", ""},
                      NameCase{"ep1.de.vtt", SourceKind::vtt, "ep1", "de"},
                      NameCase{"ep1.pt-BR.srt", SourceKind::srt, "ep1", "pt-br"},
                      NameCase{"ep1.2.vtt", SourceKind::vtt, "ep1.2", ""},
                      NameCase{"ep1.final.mp3", SourceKind::audio, "ep1.final", ""},
                      NameCase{"ep1.m4a", SourceKind::audio, "ep1", ""},
                      NameCase{"ep1.opus", SourceKind::audio, "ep1", ""},
                      NameCase{"cover.JPG", SourceKind::image, "cover", ""},
                      NameCase{"notes.json", SourceKind::other, "", ""},
                      NameCase{"chapters.json", SourceKind::chapters_json, "chapters", ""},
                      NameCase{"transcript.txt", SourceKind::transcript_text, "transcript", ""},
                      NameCase{".ep1.md.swp", SourceKind::other, "", ""},
                      NameCase{"ep1.md~", SourceKind::other, "", ""},
                      NameCase{"ep1.mp3.part", SourceKind::other, "", ""},
                      NameCase{".md", SourceKind::other, "", ""}));

TEST(ScanContent, SingleShowUsesFolderNameAsSlug) {
  TempDir dir;
  write_file(dir / "mypod/show.toml", "title = \"x\"\n");
  write_file(dir / "mypod/episodes/ep1.md", "x");
  write_file(dir / "mypod/episodes/.ep1.md.swp", "x");
  write_file(dir / "mypod/.git/config", "x");
  write_file(dir / "mypod/README.json", "x");
  Result<ContentScan> scan = scan_content(dir / "mypod");
  PODCASTD_ASSERT_OK(scan);
  EXPECT_TRUE(scan->single_show);
  ASSERT_EQ(scan->shows.size(), 1u);
  EXPECT_EQ(scan->shows[0].slug, "mypod");
  EXPECT_EQ(scan->shows[0].dir, "");
  ASSERT_EQ(scan->shows[0].files.size(), 2u);
  EXPECT_EQ(scan->shows[0].files[0].path, "episodes/ep1.md");
  EXPECT_EQ(scan->shows[0].files[0].size, 1);
  EXPECT_GT(scan->shows[0].files[0].mtime_ns, 0);
  EXPECT_EQ(scan->shows[0].files[1].path, "show.toml");
}

TEST(ScanContent, ManyShowsAndStrayFilesAreReported) {
  TempDir dir;
  write_file(dir / "b/show.toml", "");
  write_file(dir / "a/show.toml", "");
  write_file(dir / "a/ep.md", "");
  write_file(dir / "noshow/ep.md", "");
  write_file(dir / "stray.md", "");
  Result<ContentScan> scan = scan_content(dir.path());
  PODCASTD_ASSERT_OK(scan);
  EXPECT_FALSE(scan->single_show);
  ASSERT_EQ(scan->shows.size(), 2u);
  EXPECT_EQ(scan->shows[0].slug, "a");
  EXPECT_EQ(scan->shows[0].dir, "a");
  EXPECT_EQ(scan->shows[0].files.size(), 2u);
  ASSERT_EQ(scan->diagnostics.size(), 2u);
  EXPECT_EQ(scan->diagnostics[0].to_string(),
            "warning: stray.md: not inside a show folder (a folder with show.toml); ignored");
  EXPECT_EQ(scan->diagnostics[1].to_string(),
            "warning: noshow: folder has no show.toml; not a show, ignored");
}

TEST(ScanContent, SymlinkLoopsDoNotHangAndLinkedFilesCount) {
  TempDir dir;
  write_file(dir / "pod/show.toml", "");
  write_file(dir / "elsewhere/ep9.md", "x");
  fs::create_directories(dir / "pod/sub");
  fs::create_directory_symlink(dir / "pod", dir / "pod/sub/loop");
  fs::create_symlink(dir / "elsewhere/ep9.md", dir / "pod/ep9.md");
  Result<ContentScan> scan = scan_content(dir / "pod");
  PODCASTD_ASSERT_OK(scan);
  std::vector<std::string> paths;
  for (const ScannedFile& f : scan->shows[0].files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"ep9.md", "show.toml"}));
  ASSERT_EQ(scan->diagnostics.size(), 1u);
  EXPECT_NE(scan->diagnostics[0].message.find("symlink loop"), std::string::npos);
}

TEST(ScanContent, MissingDirIsAnError) {
  Result<ContentScan> scan = scan_content("/nonexistent/content");
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.error().message, "/nonexistent/content: content directory does not exist");
}

TEST(GroupEpisodes, ByStemAndByBundle) {
  std::vector<ScannedFile> files = {
      {"s/show.toml", 1, 1, SourceKind::show_toml},
      {"s/2024/ep1.md", 1, 1, SourceKind::markdown},
      {"s/2024/ep1.mp3", 1, 1, SourceKind::audio},
      {"s/2024/ep1.de.vtt", 1, 1, SourceKind::vtt},
      {"s/2024/ep2.mp3", 1, 1, SourceKind::audio},
      {"s/bundle/episode.md", 1, 1, SourceKind::markdown},
      {"s/bundle/audio/final-mix.mp3", 1, 1, SourceKind::audio},
      {"s/bundle/cover.jpg", 1, 1, SourceKind::image},
      {"s/index.md", 1, 1, SourceKind::markdown},  // at the show root: not a bundle
  };
  std::vector<EpisodeGroup> groups = group_episodes("s", files);
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].key, "s/2024/ep1");
  EXPECT_EQ(groups[0].members.size(), 3u);
  EXPECT_TRUE(groups[0].has_notes());
  EXPECT_TRUE(groups[0].has_audio());
  EXPECT_EQ(groups[1].key, "s/2024/ep2");
  EXPECT_FALSE(groups[1].has_notes());
  EXPECT_EQ(groups[2].key, "s/bundle");
  EXPECT_TRUE(groups[2].bundle);
  EXPECT_EQ(groups[2].dir, "s/bundle");
  EXPECT_EQ(groups[2].members.size(), 3u);
  EXPECT_EQ(groups[3].key, "s/index");
  EXPECT_FALSE(groups[3].bundle);
}

TEST(ListSources, OneFolderOrATree) {
  TempDir dir;
  write_file(dir / "s/a.md", "");
  write_file(dir / "s/sub/b.md", "");
  EXPECT_EQ(list_sources(dir.path(), "s", false).size(), 1u);
  EXPECT_EQ(list_sources(dir.path(), "s", true).size(), 2u);
  EXPECT_TRUE(list_sources(dir.path(), "missing", true).empty());
}

}  // namespace
}  // namespace podcastd::catalog
