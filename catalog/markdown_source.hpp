#pragma once
// Markdown episode sources: NAME.md (or a bundle's episode.md/index.md) with TOML front
// matter between "+++" lines, then the show notes in Markdown (DESIGN.md "Content
// directory", kind 1). Pure functions of their input: any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "catalog/result.hpp"

namespace podcastd::catalog {

// What one Markdown file says about its episode.
struct MarkdownEpisode {
  // Fields stated by the file (front matter and body). Left empty for ingest to fill:
  // show, key, sources, enclosure (see `audio`), and guid when the file has none.
  Episode episode;
  // The `audio` key: a file name relative to the .md's folder, or an absolute http(s) URL;
  // "" when absent. With `length` / `mime` when declared.
  std::string audio;
  std::optional<std::int64_t> audio_length;
  std::string audio_mime;
  // Non-fatal problems, located ("ep.md:4: warning text"), severity warning.
  std::vector<Diagnostic> warnings;
};

// Parses a Markdown episode. `path` is the content-relative path used in messages.
// Errors (ErrorCode::parse), each "PATH:LINE: reason": no front matter or an unterminated
// one, TOML syntax errors (with TOML's own line), unknown keys ("unknown key 'titel'"),
// wrong types ("season: expected an integer, got a string"), bad dates, bad enum values
// (type, chapter start), invalid UTF-8.
Result<MarkdownEpisode> parse_markdown_episode(std::string_view path, std::string_view text);

// Show notes rendered from Markdown.
struct RenderedNotes {
  std::string html;         // sanitized HTML for content:encoded (raw HTML dropped,
                            // javascript:/data: URLs neutralized)
  std::string text;         // plain text for <description>
  std::vector<Link> links;  // links of list items: "- [Title](url) - description"
};
RenderedNotes render_markdown(std::string_view markdown);

}  // namespace podcastd::catalog
