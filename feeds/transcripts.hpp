#pragma once
// Transcript and chapter documents published beside the feed (STANDARDS.md section 4):
// WebVTT (<v Speaker> voices), SRT (Speaker: prefix, <=2 lines of <=32 chars per cue),
// Podcasting 2.0 JSON transcripts, HTML and plain text, Podcasting 2.0 JSON chapters.
// Timed formats need a timed transcript (Transcript::timed()). Pure; any thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"

namespace podcastd::feeds {

std::string render_vtt(const catalog::Transcript& transcript);
std::string render_srt(const catalog::Transcript& transcript);
std::string render_transcript_json(const catalog::Transcript& transcript);
// A complete, self-contained HTML page: <cite>Speaker:</cite> <time>M:SS</time> <p>text</p>.
std::string render_transcript_html(const catalog::Transcript& transcript, std::string_view title,
                                   std::string_view language);
// "Speaker: text" paragraphs separated by blank lines (with [HH:MM:SS] when timed).
std::string render_transcript_text(const catalog::Transcript& transcript);

struct ChaptersMeta {
  std::string title;               // episode title
  std::string podcast_name;        // show title
  std::optional<double> duration;  // chapters at or beyond it are dropped
};
// {"version": "1.2.0", "chapters": [...]} sorted by startTime, first chapter at 0.
std::string render_chapters_json(const std::vector<catalog::Chapter>& chapters,
                                 const ChaptersMeta& meta);

}  // namespace podcastd::feeds
