#pragma once
// Walking the content directory: which folders are shows, which files are sources of what
// kind, and how files group into episodes (DESIGN.md "Content directory"). Reads only
// directory entries and file metadata, never contents. Pure functions of the file system;
// any thread.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "catalog/result.hpp"

namespace podcastd::catalog {

enum class SourceKind {
  show_toml,
  markdown,
  text_page,  // NAME.txt: an episode page or a show page (known after parsing)
  audio,
  vtt,
  srt,
  transcript_json,
  transcript_text,
  chapters_json,
  image,
  other,  // not a source: ignored
};
const char* to_string(SourceKind kind);

// What a file name says: its kind, the stem it pairs by, and a language tag
// ("ep1.de.vtt" -> stem "ep1", language "de").
struct FileName {
  SourceKind kind = SourceKind::other;
  std::string stem;
  std::string language;
};
FileName classify_file_name(std::string_view name);

struct ScannedFile {
  std::string path;  // content-relative, '/' separated
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  SourceKind kind = SourceKind::other;
};

struct ScannedShow {
  std::string slug;
  std::string dir;                 // content-relative ("" when the content dir is the show)
  std::vector<ScannedFile> files;  // sorted by path; only source kinds
};

struct ContentScan {
  bool single_show = false;
  std::vector<ScannedShow> shows;       // sorted by slug
  std::vector<Diagnostic> diagnostics;  // warnings: folders without show.toml, loops...
};

// Walks `content_dir`: a show itself (show.toml at its top; slug = its folder name) or a
// folder of show folders. Follows symlinks, never twice into the same directory (loops are
// reported, not followed); skips dotfiles, editor and partial-download files.
// Errors: the content dir is missing or unreadable.
Result<ContentScan> scan_content(const std::filesystem::path& content_dir);

// Lists source files below `rel_dir` (content-relative) of one show: only that folder's
// files, or the whole tree when `recursive`. Missing folders give an empty list.
std::vector<ScannedFile> list_sources(const std::filesystem::path& content_dir,
                                      std::string_view rel_dir, bool recursive);

// An episode: files grouped by stem within a folder, or every file of a bundle folder (one
// holding episode.md or index.md).
struct EpisodeGroup {
  std::string key;  // content-relative: "show/dir/stem" or the bundle folder
  std::string dir;  // the folder relative references resolve against
  bool bundle = false;
  std::vector<ScannedFile> members;  // sorted by path
  bool has_notes() const;
  bool has_audio() const;
};

// Groups the files of one show (show.toml excluded). `show_dir` is the show's
// content-relative folder.
std::vector<EpisodeGroup> group_episodes(std::string_view show_dir,
                                         const std::vector<ScannedFile>& files);

// The group key a file belongs to when it is not in a bundle: "dir/stem".
std::string stem_key(std::string_view path);

// Content-relative path helpers ('/' separated): "dir" + "name" -> "dir/name" ("name" when
// dir is ""); the folder part of a path ("" at the top); its last component.
std::string join_path(std::string_view dir, std::string_view name);
std::string_view parent_path_of(std::string_view path);
std::string_view file_name_of(std::string_view path);

}  // namespace podcastd::catalog
