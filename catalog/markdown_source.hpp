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
  // `image` is stored content-relative (joined to the .md's folder) unless it is a URL.
  Episode episode;
  // The `audio` key as written: a file name relative to the .md's folder, or an absolute
  // http(s) URL; "" when absent. With `length` / `mime` when declared.
  std::string audio;
  std::optional<std::int64_t> audio_length;
  std::string audio_mime;
  // Non-fatal problems, located ("ep.md:4: warning text"), severity warning, in file order:
  // chapters out of order or ending before they start (end dropped), season_name without
  // season, episode_display without episode, a mime that is not "type/subtype".
  std::vector<Diagnostic> warnings;
};

// Parses a Markdown episode: optional UTF-8 BOM, a "+++" line, TOML front matter, a "+++"
// line, the Markdown notes (LF or CRLF). `path` is the content-relative path used in
// messages and to resolve `image`.
//
// Front matter keys are those of DESIGN.md kind 1 (see markdown_source_test.cpp for each
// form). `link` is the episode page when a string and show-notes links when [[link]] tables;
// TOML cannot hold both, so [[links]] is accepted too. Dates (date, publish_at) are TOML
// offset date-times, local date-times (UTC), local dates (00:00 UTC) or RFC 3339 strings.
// Without `title`, a leading level-1 heading of the notes ("# T" or setext) is the title and
// is removed from the notes. Episode::links holds the [[link]] tables, then the notes' list
// links (render_markdown), deduplicated by URL.
//
// Errors (ErrorCode::parse), each "PATH:LINE: reason" with LINE counted in the .md file:
// "missing +++ front matter", "front matter not closed by +++", toml++'s own description of
// a syntax error, "unknown key 'person.nick'", "season: expected a positive integer, got a
// string" (wrong type) or "... got 0" (bad value), bad dates and enum values, "person:
// missing required key 'name'", "invalid UTF-8", "missing title (...)". When several keys are
// wrong, the one earliest in the file is reported.
Result<MarkdownEpisode> parse_markdown_episode(std::string_view path, std::string_view text);

// Show notes rendered from Markdown (md4c, GitHub dialect: tables, strikethrough, task
// lists, autolinks including bare URLs, www. and e-mail addresses).
//
// html: built by podcastd from md4c's events, never md4c's own HTML. Raw HTML in the notes
//   passes through a strict allowlist: harmless inline and block tags (b, i, em, strong, u,
//   s, del, ins, sub, sup, mark, small, code, kbd, abbr, cite, q, span, p, div, br, hr,
//   blockquote, pre, h1-h6, ul, ol, li, dl, dt, dd, table and its parts) are rebuilt
//   without attributes; <a> keeps only a safe href; every other tag is dropped with its text
//   kept, except script, style, iframe, object, embed, svg, math, template, textarea and
//   similar, whose content goes too. Raw tags left open are closed at the end of their
//   block. Link and image URLs (Markdown or raw) must have no scheme (relative) or one of
//   http, https, ftp, mailto, tel, sms, geo, magnet, ipfs, ipns, irc, ircs, xmpp, matrix,
//   nostr, sftp: others (javascript:, vbscript:, data:, file:, ...) are neutralized: the link
//   becomes its text, the image its alt text. Task items show U+2610/U+2611 ballot boxes
//   (apps strip <input>). C0 control characters XML forbids are dropped.
// text: plain text for <description>: blocks separated by a blank line, lines of a list
//   "- item" / "1. item" (nested lists indented by two spaces), table rows with cells
//   joined by " | ", hard breaks as new lines, soft breaks as spaces, entities decoded,
//   images as their alt text, links as their text with " (URL)" appended for http(s)/ftp/
//   mailto URLs the text does not already show; no Markdown syntax left.
// links: one per list item (ordered or not, any depth) whose text starts with a link to an
//   http(s) URL: "[Title](url)" then optionally " - ", " – ", " — " or ": " and a
//   description; or a label then a bare URL ("Title: https://..." / "Title - https://...");
//   or a bare URL alone (titled by its URL). Document order; not deduplicated.
struct RenderedNotes {
  std::string html;
  std::string text;
  std::vector<Link> links;
};
RenderedNotes render_markdown(std::string_view markdown);

}  // namespace podcastd::catalog
