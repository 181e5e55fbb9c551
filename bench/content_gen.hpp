#pragma once
// Benchmark content: a show folder of N Markdown episodes as the issue 3/4/5 benchmarks
// describe them (TOML front matter with a guest, two chapters and a remote enclosure with
// length and MIME type; about 1.5 KB of Markdown show notes with two links in a list).
// Deterministic: the same N gives the same bytes. Used by the ingest benchmark (at setup,
// into a temp dir) and by bench/*.sh through the podcastd_bench_content tool.
//
// Free functions, no state: any thread.

#include <filesystem>
#include <string>
#include <string_view>

namespace podcastd::bench {

// How long the show notes are. long: about 1.4 KB of Markdown (the issue 3 ingest content;
// a 10,000-item feed of it is ~45 MB, over the publisher's 25 MB hard limit). short: about
// 0.4 KB, so 10,000 items fit in one publishable feed (issue 4).
enum class Notes { long_notes, short_notes };

struct ContentOptions {
  int episodes = 10000;
  std::string show = "bench";  // the show folder (and feed slug)
  Notes notes = Notes::long_notes;
};

// The Markdown source of episode `n` (1-based). `revision` > 0 changes the title and one
// sentence (an edit); the date, and so the derived GUID, stays. The notes always contain
// the URL https://example.com/links/N/1 (unique per episode).
std::string episode_markdown(int n, int revision = 0, Notes notes = Notes::long_notes);

// The topic and guest that the generated content cycles through (index taken modulo their
// counts); the render benchmark's catalog uses them too.
std::string_view topic(int i);
std::string_view guest(int i);

// show.toml of the benchmark show.
std::string show_toml();

// content_dir/SHOW/episodes/NNNNN.md (the path episode n is written to).
std::filesystem::path episode_path(const std::filesystem::path& content_dir,
                                   const ContentOptions& options, int n);

// Writes show.toml and every episode below content_dir/SHOW (creating folders). Returns the
// total bytes written. Throws std::runtime_error naming the file on I/O failure.
std::size_t write_show(const std::filesystem::path& content_dir, const ContentOptions& options);

// Writes `text` to `file` with open/write/close (one IN_CLOSE_WRITE). Throws on failure.
void write_file(const std::filesystem::path& file, std::string_view text);

}  // namespace podcastd::bench
