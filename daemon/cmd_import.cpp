// `podcastd import FILE|URL --show SLUG`: migrates an existing podcast into content_dir/SLUG/
// (show.toml, episodes/STEM.md, sidecars). The feed is fetched under the outbound policy or
// read from a file; feeds::importer turns it into file contents; artwork, transcripts and
// chapters are downloaded concurrently when reachable (and kept only when our parsers read
// them), else referenced by URL. Re-running updates the files of episodes already imported
// (matched by guid) instead of adding new ones. Writes only content files, so it needs no
// state lock: a running daemon picks the files up like any edit.
#include <toml++/toml.h>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "catalog/markdown_source.hpp"
#include "catalog/show_source.hpp"
#include "catalog/sidecars.hpp"
#include "catalog/text.hpp"
#include "daemon/commands.hpp"
#include "daemon/http_client.hpp"
#include "daemon/link_checker.hpp"
#include "feeds/atomic_file.hpp"
#include "feeds/importer.hpp"

namespace podcastd::daemon {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxFeedBytes = 64 * 1024 * 1024;
constexpr std::size_t kMaxCompanionBytes = 32 * 1024 * 1024;

bool valid_slug(std::string_view s) {
  if (s.empty() || s == "." || s == ".." || s[0] == '.') {
    return false;
  }
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// The guid in a Markdown file's front matter ("" when none or unreadable).
std::string front_matter_guid(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  if (text.substr(0, 3) != "+++") {
    return "";
  }
  std::size_t start = text.find('\n');
  if (start == std::string_view::npos) {
    return "";
  }
  std::size_t end = text.find("\n+++", start);
  if (end == std::string_view::npos) {
    return "";
  }
  try {
    toml::table t = toml::parse(text.substr(start + 1, end - start));
    return std::string(text::trim(t["guid"].value_or(std::string())));
  } catch (const toml::parse_error&) {
    return "";
  }
}

// guid -> show-relative path of every Markdown file already below the show folder.
std::map<std::string, fs::path> existing_episodes(const fs::path& show_dir) {
  std::map<std::string, fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(show_dir, ec)) {
    return out;
  }
  for (auto it = fs::recursive_directory_iterator(show_dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() != ".md") {
      continue;
    }
    std::optional<std::string> text = feeds::read_whole_file(it->path());
    if (!text) {
      continue;
    }
    std::string guid = front_matter_guid(*text);
    if (!guid.empty()) {
      out.emplace(guid, fs::relative(it->path(), show_dir, ec));
    }
  }
  return out;
}

std::string image_extension(const std::string& body) {
  if (body.size() >= 3 && static_cast<unsigned char>(body[0]) == 0xFF &&
      static_cast<unsigned char>(body[1]) == 0xD8 && static_cast<unsigned char>(body[2]) == 0xFF) {
    return ".jpg";
  }
  if (body.size() >= 8 && body.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) {
    return ".png";
  }
  return "";
}

// Whether our sidecar parsers read `body` as the file `name` would be read.
bool readable_sidecar(const std::string& name, const std::string& body) {
  if (name.ends_with(".vtt")) {
    return catalog::parse_vtt(name, body).ok();
  }
  if (name.ends_with(".srt")) {
    return catalog::parse_srt(name, body).ok();
  }
  if (name.ends_with(".transcript.json")) {
    return catalog::parse_json_transcript(name, body).ok();
  }
  if (name.ends_with(".transcript.txt")) {
    return catalog::parse_text_transcript(name, body).ok();
  }
  if (name.ends_with(".chapters.json")) {
    return catalog::parse_json_chapters(name, body).ok();
  }
  return false;
}

struct Download {
  std::string url;
  fs::path target;  // show-relative; for artwork the extension is decided by the bytes
  bool artwork = false;
  std::size_t episode = 0;
  std::optional<std::size_t> transcript;  // index into the episode's transcripts
  bool chapters = false;
  // Results.
  bool saved = false;
  std::string error;
};

// Writes `data` (folders made as needed) unless the file already holds exactly it: whether it
// wrote.
Result<bool> write_if_changed(const fs::path& path, const std::string& data) {
  if (std::optional<std::string> old = feeds::read_whole_file(path); old && *old == data) {
    return false;
  }
  if (Status st = feeds::write_file_atomic(path, data); !st) return st.error();
  return true;
}

}  // namespace

int cmd_import(const Invocation& inv, const Config& config) {
  const std::string source = inv.args.at(0);
  const std::string slug = inv.show.value_or("");
  if (!valid_slug(slug)) {
    std::cerr << "podcastd: --show '" << slug
              << "' is not a folder name (letters, digits, '-', '_', '.')\n";
    return kExitUsage;
  }
  FetchOptions fetch_options = outbound_options(config.outbound);
  fetch_options.max_body_bytes = kMaxFeedBytes;

  std::string xml;
  std::string base_url;
  if (text::has_http_scheme(source)) {
    Result<FetchResponse> r = fetch(source, fetch_options);
    if (!r) {
      std::cerr << "podcastd: " << r.error().message << "\n";
      return kExitFailure;
    }
    if (r->status < 200 || r->status >= 300) {
      std::cerr << "podcastd: " << source << ": HTTP " << r->status << "\n";
      return kExitFailure;
    }
    xml = std::move(r->body);
    base_url = r->final_url;
  } else {
    std::optional<std::string> text = feeds::read_whole_file(source);
    if (!text) {
      std::cerr << "podcastd: " << source << ": cannot read the file\n";
      return kExitFailure;
    }
    xml = std::move(*text);
  }
  Result<feeds::ImportedFeed> parsed = feeds::parse_feed_for_import(xml, source, base_url);
  if (!parsed) {
    std::cerr << "podcastd: " << parsed.error().message << "\n";
    return kExitFailure;
  }
  feeds::ImportedFeed& feed = *parsed;
  const fs::path show_dir = config.content_dir / slug;

  // Where each episode goes: its earlier file when the guid was imported before, else
  // episodes/STEM.md, oldest first so an older episode keeps the plain stem on a clash.
  std::map<std::string, fs::path> existing = existing_episodes(show_dir);
  std::set<fs::path> taken;
  for (const auto& [guid, path] : existing) {
    taken.insert(path);
  }
  std::vector<fs::path> md_path(feed.episodes.size());
  std::vector<bool> updated(feed.episodes.size(), false);
  for (std::size_t k = feed.episodes.size(); k-- > 0;) {
    const feeds::ImportedEpisode& e = feed.episodes[k];
    if (auto it = existing.find(e.episode.guid); !e.episode.guid.empty() && it != existing.end()) {
      md_path[k] = it->second;
      updated[k] = true;
      continue;
    }
    std::string stem = feeds::episode_stem(e);
    fs::path candidate = fs::path("episodes") / (stem + ".md");
    std::error_code ec;
    for (int n = 2; taken.count(candidate) || fs::exists(show_dir / candidate, ec); ++n) {
      candidate = fs::path("episodes") / (stem + "-" + std::to_string(n) + ".md");
    }
    taken.insert(candidate);
    md_path[k] = candidate;
  }

  // Companion files: artwork, one transcript per sidecar kind, chapters.
  std::vector<Download> downloads;
  if (!feed.show.image.empty()) {
    downloads.push_back({feed.show.image, "cover", true, 0, std::nullopt, false, false, ""});
  }
  for (std::size_t k = 0; k < feed.episodes.size(); ++k) {
    const feeds::ImportedEpisode& e = feed.episodes[k];
    fs::path dir = md_path[k].parent_path();
    std::string stem = md_path[k].stem().string();
    std::set<std::string> kinds;
    for (std::size_t t = 0; t < e.transcripts.size(); ++t) {
      std::string suffix = feeds::transcript_sidecar_suffix(e.transcripts[t].type);
      if (suffix.empty() || !kinds.insert(suffix).second) {
        continue;
      }
      downloads.push_back(
          {e.transcripts[t].url, dir / (stem + suffix), false, k, t, false, false, ""});
    }
    if (!e.chapters_url.empty()) {
      downloads.push_back({e.chapters_url, dir / (stem + ".chapters.json"), false, k, std::nullopt,
                           true, false, ""});
    }
  }
  std::string image_file;
  {
    HttpClient client(link_check_limits(config));
    FetchOptions o = outbound_options(config.outbound);
    o.max_body_bytes = kMaxCompanionBytes;
    std::mutex mu;
    std::size_t left = downloads.size();
    std::condition_variable all_done;
    for (Download& d : downloads) {
      client.submit(d.url, o, [&, dp = &d](Result<FetchResponse> r) {
        std::string body;
        std::string error;
        if (!r) {
          error = r.error().message;
        } else if (r->status < 200 || r->status >= 300) {
          error = dp->url + ": HTTP " + std::to_string(r->status);
        } else {
          body = std::move(r->body);
        }
        fs::path target = dp->target;
        if (error.empty() && dp->artwork) {
          std::string ext = image_extension(body);
          if (ext.empty()) {
            error = dp->url + ": not a JPEG or PNG image";
          } else {
            target += ext;
          }
        } else if (error.empty() && !readable_sidecar(target.filename().string(), body)) {
          error = dp->url + ": not a file our parsers read as " + target.extension().string();
        }
        if (error.empty()) {
          if (Result<bool> w = write_if_changed(show_dir / target, body); !w) {
            error = w.error().message;
          }
        }
        std::lock_guard<std::mutex> lock(mu);
        if (error.empty()) {
          dp->saved = true;
          dp->target = target;
        } else {
          dp->error = error;
        }
        if (--left == 0) {
          all_done.notify_all();
        }
      });
    }
    std::unique_lock<std::mutex> lock(mu);
    all_done.wait(lock, [&] { return left == 0; });
  }
  std::vector<feeds::LocalFiles> local(feed.episodes.size());
  int saved = 0, referenced = 0;
  std::vector<std::string> notes;
  for (const Download& d : downloads) {
    std::error_code ec;
    // A companion saved by an earlier import stays when the host is unreachable now.
    bool present = d.saved || (!d.artwork && fs::exists(show_dir / d.target, ec));
    if (d.artwork) {
      if (d.saved) {
        image_file = d.target.string();
      }
    } else if (present) {
      if (d.transcript) {
        local[d.episode].transcripts.insert(*d.transcript);
      }
      if (d.chapters) {
        local[d.episode].chapters = true;
      }
    }
    if (d.saved) {
      ++saved;
    } else {
      ++referenced;
      notes.push_back(d.error + (d.artwork ? " (the image URL is kept)"
                                 : present ? " (the earlier copy is kept)"
                                           : " (kept as a link)"));
    }
  }

  // Episodes first, show.toml last: a watching daemon sees the show with its episodes.
  int added = 0, changed = 0, same = 0, failed = 0;
  for (std::size_t k = 0; k < feed.episodes.size(); ++k) {
    std::string text = feeds::render_episode_markdown(feed.episodes[k], local[k]);
    std::string rel = (fs::path(slug) / md_path[k]).generic_string();
    if (Result<catalog::MarkdownEpisode> check = catalog::parse_markdown_episode(rel, text);
        !check) {
      std::cerr << "podcastd: " << check.error().message << " (not written)\n";
      ++failed;
      continue;
    }
    Result<bool> w = write_if_changed(show_dir / md_path[k], text);
    if (!w) {
      std::cerr << "podcastd: " << w.error().message << "\n";
      ++failed;
    } else if (*w) {
      ++(updated[k] ? changed : added);
    } else {
      ++same;
    }
  }
  std::string show_toml = feeds::render_show_toml(feed.show, image_file);
  std::string show_rel = (fs::path(slug) / "show.toml").generic_string();
  if (Result<catalog::ShowFile> check = catalog::parse_show_toml(show_rel, show_toml); !check) {
    std::cerr << "podcastd: " << check.error().message << " (not written)\n";
    ++failed;
  } else if (Result<bool> w = write_if_changed(show_dir / "show.toml", show_toml); !w) {
    std::cerr << "podcastd: " << w.error().message << "\n";
    ++failed;
  }

  std::cout << "imported " << source << " into " << show_dir.string() << ": "
            << feed.episodes.size() << " episode" << (feed.episodes.size() == 1 ? "" : "s") << " ("
            << added << " new, " << changed << " updated, " << same << " unchanged)\n";
  std::cout << "companion files: " << saved << " downloaded, " << referenced
            << " referenced by URL\n";
  for (const std::string& n : notes) {
    std::cout << "  " << n << "\n";
  }
  if (!feed.warnings.empty()) {
    std::cout << feed.warnings.size() << " warning" << (feed.warnings.size() == 1 ? "" : "s")
              << ":\n";
    for (const std::string& w : feed.warnings) {
      std::cout << "  " << w << "\n";
    }
  }
  return failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace podcastd::daemon
