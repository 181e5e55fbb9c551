#pragma once
// Plain-text show-notes pages (NAME.txt) as podcast sites publish them (DESIGN.md "Content
// directory", kind 2; real examples in ../shared/samples). Either an episode page or a show
// page (a show description plus an episode listing). Pure functions: any thread.

#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "catalog/result.hpp"

namespace podcastd::catalog {

struct TextPage {
  enum class Kind { episode, show };
  Kind kind = Kind::episode;

  // kind == episode: what the page says. title, subtitle, date, declared_duration,
  // notes_html/notes_text (sections in order, repeated paragraphs once), links, chapters,
  // persons (guests from the title, role "guest"; bios from "About NAME"), transcripts
  // (one Transcript, format notes, speaker turns), speaker_timeline.
  Episode episode;

  // kind == show: the channel facts the page states (title, description, author, language,
  // categories, link...) and the listed episodes (title, date, declared_duration,
  // notes_text/notes_html, persons from their titles).
  Show show;
  std::vector<Episode> listed;

  std::vector<Diagnostic> warnings;
};

// Parses a page. `path` is the content-relative path for messages. Errors (ErrorCode::parse)
// "PATH:LINE: reason": empty page, no title line, invalid UTF-8.
Result<TextPage> parse_text_page(std::string_view path, std::string_view text);

}  // namespace podcastd::catalog
