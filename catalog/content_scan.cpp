#include "catalog/content_scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include "catalog/text.hpp"

namespace podcastd::catalog {

std::string join_path(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out(dir);
  out += '/';
  out += name;
  return out;
}

std::string_view parent_path_of(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view file_name_of(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}
namespace {

namespace fs = std::filesystem;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_transcript_kind(SourceKind k) {
  return k == SourceKind::vtt || k == SourceKind::srt || k == SourceKind::transcript_json ||
         k == SourceKind::transcript_text;
}

// "de", "en-us", "pt-BR", "yue" (2-3 letters, optional 2-letter/3-digit region).
bool looks_like_language(std::string_view s) {
  std::size_t dash = s.find('-');
  std::string_view primary = s.substr(0, dash);
  if (primary.size() < 2 || primary.size() > 3) return false;
  for (char c : primary) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  if (dash == std::string_view::npos) return true;
  std::string_view region = s.substr(dash + 1);
  if (region.size() != 2 && region.size() != 3) return false;
  for (char c : region) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::int64_t mtime_ns_of(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

struct Walker {
  const fs::path& root;
  std::vector<ScannedFile>* out;
  std::vector<Diagnostic>* diagnostics;
  std::set<std::pair<dev_t, ino_t>> visited;

  // Walks `rel` (content-relative). `depth_left` < 0 means unlimited.
  void walk(const std::string& rel, bool recursive) {
    fs::path abs = rel.empty() ? root : root / rel;
    int fd = ::open(abs.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat dst;
    if (::fstat(fd, &dst) != 0 || !visited.insert({dst.st_dev, dst.st_ino}).second) {
      if (diagnostics) {
        diagnostics->push_back({Diagnostic::Severity::warning, rel, 0,
                                "directory already visited (symlink loop?); not followed"});
      }
      ::close(fd);
      return;
    }
    DIR* d = ::fdopendir(fd);
    if (!d) {
      ::close(fd);
      return;
    }
    std::vector<std::string> subdirs;
    while (struct dirent* entry = ::readdir(d)) {
      std::string_view name = entry->d_name;
      if (name.empty() || name[0] == '.') continue;  // ".", "..", dotfiles, dot-dirs
      unsigned char type = entry->d_type;
      struct stat st;
      bool have_stat = false;
      if (type == DT_UNKNOWN || type == DT_LNK || type == DT_REG) {
        // Follow symlinks: a linked file or folder counts as what it points to.
        if (::fstatat(::dirfd(d), entry->d_name, &st, 0) != 0) continue;
        have_stat = true;
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
      }
      if (type == DT_DIR) {
        if (recursive) subdirs.emplace_back(name);
        continue;
      }
      if (type != DT_REG) continue;
      FileName fn = classify_file_name(name);
      if (fn.kind == SourceKind::other) continue;
      if (!have_stat && ::fstatat(::dirfd(d), entry->d_name, &st, 0) != 0) continue;
      out->push_back(
          {join_path(rel, name), static_cast<std::int64_t>(st.st_size), mtime_ns_of(st), fn.kind});
    }
    ::closedir(d);
    std::sort(subdirs.begin(), subdirs.end());
    for (const std::string& sub : subdirs) walk(join_path(rel, sub), true);
  }
};

}  // namespace

const char* to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::show_toml:
      return "show_toml";
    case SourceKind::markdown:
      return "markdown";
    case SourceKind::text_page:
      return "text_page";
    case SourceKind::audio:
      return "audio";
    case SourceKind::vtt:
      return "vtt";
    case SourceKind::srt:
      return "srt";
    case SourceKind::transcript_json:
      return "transcript_json";
    case SourceKind::transcript_text:
      return "transcript_text";
    case SourceKind::chapters_json:
      return "chapters_json";
    case SourceKind::image:
      return "image";
    case SourceKind::other:
      return "other";
  }
  return "other";
}

FileName classify_file_name(std::string_view name) {
  FileName out;
  if (text::is_ignored_file_name(name)) return out;
  std::string lower = text::to_lower_ascii(name);
  if (lower == "show.toml") {
    out.kind = SourceKind::show_toml;
    out.stem = "show";
    return out;
  }
  // Bundle sidecars named by role alone.
  if (lower == "chapters.json" || lower == "transcript.json" || lower == "transcript.txt") {
    out.kind = lower == "chapters.json"     ? SourceKind::chapters_json
               : lower == "transcript.json" ? SourceKind::transcript_json
                                            : SourceKind::transcript_text;
    out.stem = std::string(name.substr(0, name.find('.')));
    return out;
  }
  struct Suffix {
    std::string_view suffix;
    SourceKind kind;
  };
  static constexpr Suffix kSuffixes[] = {
      {".transcript.json", SourceKind::transcript_json},
      {".transcript.txt", SourceKind::transcript_text},
      {".chapters.json", SourceKind::chapters_json},
      {".markdown", SourceKind::markdown},
      {".md", SourceKind::markdown},
      {".txt", SourceKind::text_page},
      {".vtt", SourceKind::vtt},
      {".srt", SourceKind::srt},
      {".mp3", SourceKind::audio},
      {".m4a", SourceKind::audio},
      {".m4b", SourceKind::audio},
      {".mp4", SourceKind::audio},
      {".ogg", SourceKind::audio},
      {".oga", SourceKind::audio},
      {".opus", SourceKind::audio},
      {".flac", SourceKind::audio},
      {".wav", SourceKind::audio},
      {".jpg", SourceKind::image},
      {".jpeg", SourceKind::image},
      {".png", SourceKind::image},
  };
  for (const Suffix& s : kSuffixes) {
    if (lower.size() > s.suffix.size() && ends_with(lower, s.suffix)) {
      out.kind = s.kind;
      out.stem = std::string(name.substr(0, name.size() - s.suffix.size()));
      break;
    }
  }
  if (out.kind == SourceKind::other) return out;
  if (is_transcript_kind(out.kind)) {
    std::size_t dot = out.stem.rfind('.');
    if (dot != std::string::npos && dot > 0 &&
        looks_like_language(std::string_view(out.stem).substr(dot + 1))) {
      out.language = text::to_lower_ascii(std::string_view(out.stem).substr(dot + 1));
      out.stem.resize(dot);
    }
  }
  return out;
}

Result<ContentScan> scan_content(const fs::path& content_dir) {
  struct stat st;
  if (::stat(content_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return make_error(ErrorCode::io, content_dir.string() + ": content directory " +
                                         (errno == ENOENT ? "does not exist" : "is not readable"));
  }
  ContentScan scan;
  if (::access((content_dir / "show.toml").c_str(), F_OK) == 0) {
    scan.single_show = true;
    ScannedShow show;
    fs::path canonical = fs::weakly_canonical(content_dir);
    show.slug = canonical.filename().string();
    if (show.slug.empty()) show.slug = "show";
    Walker w{content_dir, &show.files, &scan.diagnostics, {}};
    w.walk("", true);
    std::sort(show.files.begin(), show.files.end(),
              [](const ScannedFile& a, const ScannedFile& b) { return a.path < b.path; });
    scan.shows.push_back(std::move(show));
    return scan;
  }
  std::vector<std::string> dirs;
  if (DIR* d = ::opendir(content_dir.c_str())) {
    while (struct dirent* entry = ::readdir(d)) {
      std::string_view name = entry->d_name;
      if (name.empty() || name[0] == '.') continue;
      struct stat est;
      if (::fstatat(::dirfd(d), entry->d_name, &est, 0) != 0) continue;
      if (S_ISDIR(est.st_mode)) {
        dirs.emplace_back(name);
      } else if (classify_file_name(name).kind != SourceKind::other) {
        scan.diagnostics.push_back({Diagnostic::Severity::warning, std::string(name), 0,
                                    "not inside a show folder (a folder with show.toml); ignored"});
      }
    }
    ::closedir(d);
  }
  std::sort(dirs.begin(), dirs.end());
  std::set<std::pair<dev_t, ino_t>> visited;
  for (const std::string& dir : dirs) {
    if (::access((content_dir / dir / "show.toml").c_str(), F_OK) != 0) {
      scan.diagnostics.push_back(
          {Diagnostic::Severity::warning, dir, 0, "folder has no show.toml; not a show, ignored"});
      continue;
    }
    ScannedShow show;
    show.slug = dir;
    show.dir = dir;
    Walker w{content_dir, &show.files, &scan.diagnostics, std::move(visited)};
    w.walk(dir, true);
    visited = std::move(w.visited);
    std::sort(show.files.begin(), show.files.end(),
              [](const ScannedFile& a, const ScannedFile& b) { return a.path < b.path; });
    scan.shows.push_back(std::move(show));
  }
  return scan;
}

std::vector<ScannedFile> list_sources(const fs::path& content_dir, std::string_view rel_dir,
                                      bool recursive) {
  std::vector<ScannedFile> files;
  Walker w{content_dir, &files, nullptr, {}};
  w.walk(std::string(rel_dir), recursive);
  std::sort(files.begin(), files.end(),
            [](const ScannedFile& a, const ScannedFile& b) { return a.path < b.path; });
  return files;
}

bool EpisodeGroup::has_notes() const {
  return std::any_of(members.begin(), members.end(), [](const ScannedFile& f) {
    return f.kind == SourceKind::markdown || f.kind == SourceKind::text_page;
  });
}

bool EpisodeGroup::has_audio() const {
  return std::any_of(members.begin(), members.end(),
                     [](const ScannedFile& f) { return f.kind == SourceKind::audio; });
}

std::string stem_key(std::string_view path) {
  return join_path(parent_path_of(path), classify_file_name(file_name_of(path)).stem);
}

std::vector<EpisodeGroup> group_episodes(std::string_view show_dir,
                                         const std::vector<ScannedFile>& files) {
  // Bundle folders: below the show folder, holding episode.md or index.md. The outermost
  // such folder owns everything inside it.
  std::set<std::string> bundles;
  for (const ScannedFile& f : files) {
    std::string_view name = file_name_of(f.path);
    std::string lower = text::to_lower_ascii(name);
    if (lower != "episode.md" && lower != "index.md") continue;
    std::string_view dir = parent_path_of(f.path);
    if (dir == show_dir) continue;
    bundles.insert(std::string(dir));
  }
  auto bundle_of = [&bundles](std::string_view path) -> const std::string* {
    const std::string* found = nullptr;
    std::string_view dir = parent_path_of(path);
    while (!dir.empty()) {
      if (auto it = bundles.find(std::string(dir)); it != bundles.end()) found = &*it;
      dir = parent_path_of(dir);
    }
    return found;
  };
  std::map<std::string, EpisodeGroup> groups;
  for (const ScannedFile& f : files) {
    if (f.kind == SourceKind::show_toml || f.kind == SourceKind::other) continue;
    if (const std::string* bundle = bundle_of(f.path)) {
      EpisodeGroup& g = groups[*bundle];
      g.key = *bundle;
      g.dir = *bundle;
      g.bundle = true;
      g.members.push_back(f);
      continue;
    }
    std::string key = stem_key(f.path);
    EpisodeGroup& g = groups[key];
    g.key = key;
    g.dir = std::string(parent_path_of(f.path));
    g.members.push_back(f);
  }
  std::vector<EpisodeGroup> out;
  out.reserve(groups.size());
  for (auto& [key, g] : groups) {
    std::sort(g.members.begin(), g.members.end(),
              [](const ScannedFile& a, const ScannedFile& b) { return a.path < b.path; });
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace podcastd::catalog
