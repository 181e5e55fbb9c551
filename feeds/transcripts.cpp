#include "feeds/transcripts.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <system_error>

#include "catalog/text.hpp"
#include "feeds/xml_writer.hpp"

namespace podcastd::feeds {
namespace {

using catalog::Transcript;
using catalog::TranscriptSegment;

// STANDARDS 4.2: recommended VTT line length. 4.3: SRT cards of at most 2 lines of 32.
constexpr std::size_t kVttLineMax = 65;
constexpr std::size_t kSrtLineMax = 32;
constexpr std::size_t kSrtLinesPerCue = 2;
// A cue whose end is unknown and that no later cue bounds lasts this long.
constexpr double kFallbackCueSeconds = 1.0;
// HTML and text transcripts break a long monologue into paragraphs of about this size.
constexpr std::size_t kParagraphBytes = 500;

// A timed segment ready for a cue: non-empty body, start and a strictly later end.
struct Cue {
  const TranscriptSegment* segment;
  double start;
  double end;
};

// Times as published: finite, at least 0 and at most 1e9 s (which also bounds every number
// the renderers print).
double clean_time(double t) { return std::isfinite(t) && t > 0 ? std::min(t, 1e9) : 0.0; }

// The segments of a timed transcript in time order (stable for equal starts), each with an
// end: its own when later than its start, else the next later start, else a short default.
std::vector<Cue> timed_cues(const Transcript& t) {
  std::vector<Cue> cues;
  if (!t.timed()) {
    return cues;
  }
  for (const TranscriptSegment& s : t.segments) {
    if (!text::trim(s.body).empty()) {
      cues.push_back({&s, clean_time(*s.start), 0});
    }
  }
  std::stable_sort(cues.begin(), cues.end(),
                   [](const Cue& a, const Cue& b) { return a.start < b.start; });
  for (std::size_t i = 0; i < cues.size(); ++i) {
    Cue& c = cues[i];
    const auto& end = c.segment->end;
    if (end && std::isfinite(*end) && *end > c.start) {
      c.end = *end;
      continue;
    }
    c.end = c.start + kFallbackCueSeconds;
    for (std::size_t j = i + 1; j < cues.size(); ++j) {
      if (cues[j].start > c.start) {
        c.end = cues[j].start;
        break;
      }
    }
  }
  return cues;
}

// Number of code points (UTF-8 lead bytes): the unit of the line-length limits.
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) {
      ++i;
    }
    std::size_t j = i;
    while (j < s.size() && !is_space(s[j])) {
      ++j;
    }
    if (j > i) {
      out.push_back(s.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

// Splits `word` into pieces of at most `max` code points (for URLs and other long tokens).
std::vector<std::string_view> hard_split(std::string_view word, std::size_t max) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const bool lead = (static_cast<unsigned char>(word[i]) & 0xC0) != 0x80;
    if (lead) {
      if (count == max) {
        out.push_back(word.substr(start, i - start));
        start = i;
        count = 0;
      }
      ++count;
    }
  }
  out.push_back(word.substr(start));
  return out;
}

// Greedy word wrap to lines of at most `max` code points. A word longer than a line is cut.
std::vector<std::string> wrap(std::string_view s, std::size_t max) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t line_width = 0;
  for (std::string_view word : words(s)) {
    for (std::string_view piece : hard_split(word, max)) {
      const std::size_t w = width(piece);
      if (line_width > 0 && line_width + 1 + w > max) {
        lines.push_back(std::move(line));
        line.clear();
        line_width = 0;
      }
      if (line_width > 0) {
        line += ' ';
        ++line_width;
      }
      line += piece;
      line_width += w;
    }
  }
  if (line_width > 0) {
    lines.push_back(std::move(line));
  }
  return lines;
}

// WebVTT cue text: & and < must be escaped; > too, so no text can form "-->".
void append_vtt_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
}

void append_json_string(std::string& out, std::string_view s) {
  const std::string clean = xml::sanitize(s);
  out += '"';
  for (char c : clean) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;  // other controls were dropped by sanitize()
    }
  }
  out += '"';
}

// Seconds as a JSON number, rounded to milliseconds: 0, 0.5, 4826.25.
void append_json_seconds(std::string& out, double seconds) {
  seconds = clean_time(seconds);
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, std::round(seconds * 1000.0) / 1000.0,
                         std::chars_format::fixed);
  out.append(buf, r.ec == std::errc() ? r.ptr : buf);
}

// "M:SS", or "H:MM:SS" from an hour on, as in the namespace's HTML example.
std::string short_clock(double seconds) {
  auto s = static_cast<std::int64_t>(std::floor(clean_time(seconds)));
  char buf[40];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  }
  return buf;
}

// A paragraph of the HTML and text renderings.
struct Paragraph {
  std::string speaker;
  std::optional<double> start;
  std::string body;  // '\n' separates lines the author wrote (untimed transcripts only)
};

// Timed transcripts are caption-sized (or word-sized) fragments: consecutive segments of one
// speaker are joined into a monologue, broken at a segment boundary once a paragraph reaches
// kParagraphBytes. Untimed transcripts are already paragraphs and are kept as they are.
std::vector<Paragraph> paragraphs(const Transcript& t) {
  std::vector<Paragraph> out;
  if (t.timed()) {
    for (const Cue& c : timed_cues(t)) {
      const std::string body = text::collapse_whitespace(c.segment->body);
      std::string speaker(text::trim(c.segment->speaker));
      if (out.empty() || out.back().speaker != speaker ||
          out.back().body.size() >= kParagraphBytes) {
        out.push_back({std::move(speaker), c.start, body});
      } else {
        out.back().body += ' ';
        out.back().body += body;
      }
    }
    return out;
  }
  for (const TranscriptSegment& s : t.segments) {
    std::string body;
    for (std::string_view line : text::split_lines(s.body)) {
      line = text::trim(line);
      if (line.empty()) {
        continue;
      }
      if (!body.empty()) {
        body += '\n';
      }
      body += line;
    }
    if (!body.empty()) {
      out.push_back({std::string(text::trim(s.speaker)), s.start, std::move(body)});
    }
  }
  return out;
}

}  // namespace

std::string render_vtt(const Transcript& transcript) {
  std::string out = "WEBVTT\n";
  for (const Cue& c : timed_cues(transcript)) {
    const std::string body = xml::sanitize(c.segment->body);
    const std::vector<std::string> lines = wrap(body, kVttLineMax);
    if (lines.empty()) {
      continue;
    }
    out += '\n';
    out += text::format_clock(c.start, true);
    out += " --> ";
    out += text::format_clock(c.end, true);
    out += '\n';
    // The voice span opens every cue whose speaker is known, not only on a change: a cue
    // shown on its own after a seek still names its speaker, and Apple reads either form.
    const std::string speaker = text::collapse_whitespace(xml::sanitize(c.segment->speaker));
    if (!speaker.empty()) {
      out += "<v ";
      append_vtt_escaped(out, speaker);
      out += '>';
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) {
        out += '\n';
      }
      append_vtt_escaped(out, lines[i]);
    }
    out += '\n';
  }
  return out;
}

std::string render_srt(const Transcript& transcript) {
  std::string out;
  int sequence = 0;
  std::string previous_speaker;
  for (const Cue& c : timed_cues(transcript)) {
    const std::string body = xml::sanitize(c.segment->body);
    const std::string speaker = text::collapse_whitespace(xml::sanitize(c.segment->speaker));
    // "Name: " opens the first card of each speaker change and wraps like the text after it.
    std::string prefix;
    if (!speaker.empty() && speaker != previous_speaker) {
      prefix = speaker + ": ";
    }
    previous_speaker = speaker;
    const std::vector<std::string> lines = wrap(prefix + body, kSrtLineMax);
    if (lines.empty()) {
      continue;
    }
    // Cards of two lines; the segment's time is shared among them in proportion to the
    // length of the spoken text (the prefix is not spoken and does not count).
    std::vector<std::size_t> weights;
    std::size_t total = 0;
    for (std::size_t i = 0; i < lines.size(); i += kSrtLinesPerCue) {
      std::size_t w = 0;
      for (std::size_t j = i; j < std::min(lines.size(), i + kSrtLinesPerCue); ++j) {
        w += width(lines[j]);
      }
      if (i == 0) {
        w -= std::min(w, width(prefix));
      }
      w = std::max<std::size_t>(w, 1);
      weights.push_back(w);
      total += w;
    }
    // Card boundaries are rounded to whole milliseconds so the printed end of one card is the
    // printed start of the next.
    const double span = c.end - c.start;
    std::size_t done = 0;
    double card_start = c.start;
    for (std::size_t k = 0; k < weights.size(); ++k) {
      done += weights[k];
      double card_end = k + 1 == weights.size()
                            ? c.end
                            : std::round((c.start + span * static_cast<double>(done) /
                                                        static_cast<double>(total)) *
                                         1000.0) /
                                  1000.0;
      std::string start = text::format_clock(card_start, true);
      std::string end = text::format_clock(card_end, true);
      start[start.size() - 4] = ',';  // SRT: comma before the milliseconds
      end[end.size() - 4] = ',';
      out += std::to_string(++sequence);
      out += '\n';
      out += start;
      out += " --> ";
      out += end;
      out += '\n';
      for (std::size_t j = k * kSrtLinesPerCue;
           j < std::min(lines.size(), (k + 1) * kSrtLinesPerCue); ++j) {
        out += lines[j];
        out += '\n';
      }
      out += '\n';
      card_start = card_end;
    }
  }
  return out;
}

std::string render_transcript_json(const Transcript& transcript) {
  std::string out = "{\n  \"version\": \"1.0.0\",\n  \"segments\": [";
  bool first = true;
  for (const Cue& c : timed_cues(transcript)) {
    const TranscriptSegment& s = *c.segment;
    out += first ? "\n    {" : ",\n    {";
    first = false;
    const std::string_view speaker = text::trim(s.speaker);
    if (!speaker.empty()) {
      out += "\"speaker\": ";
      append_json_string(out, speaker);
      out += ", ";
    }
    out += "\"startTime\": ";
    append_json_seconds(out, c.start);
    // endTime "if available": only the segment's own, never an estimate.
    if (s.end && std::isfinite(*s.end) && *s.end >= c.start) {
      out += ", \"endTime\": ";
      append_json_seconds(out, *s.end);
    }
    out += ", \"body\": ";
    append_json_string(out, s.body);
    out += '}';
  }
  out += first ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string render_transcript_html(const Transcript& transcript, std::string_view title,
                                   std::string_view language) {
  std::string out = "<!DOCTYPE html>\n<html";
  language = text::trim(language.empty() ? std::string_view(transcript.language) : language);
  if (!language.empty()) {
    out += " lang=\"";
    text::append_html_escaped(out, xml::sanitize(language));
    out += '"';
  }
  out +=
      ">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  const std::string clean_title = xml::sanitize(text::trim(title));
  text::append_html_escaped(
      out, clean_title.empty() ? std::string_view("Transcript") : std::string_view(clean_title));
  out += "</title>\n</head>\n<body>\n";
  if (!clean_title.empty()) {
    out += "<h1>";
    text::append_html_escaped(out, clean_title);
    out += "</h1>\n";
  }
  for (const Paragraph& p : paragraphs(transcript)) {
    if (!p.speaker.empty()) {
      out += "<cite>";
      text::append_html_escaped(out, xml::sanitize(p.speaker));
      out += ":</cite>\n";
    }
    if (p.start) {
      out += "<time>";
      out += short_clock(*p.start);
      out += "</time>\n";
    }
    out += "<p>";
    const std::string body = xml::sanitize(p.body);
    bool first_line = true;
    for (std::string_view line : text::split_lines(body)) {
      if (!first_line) {
        out += "<br>\n";
      }
      first_line = false;
      text::append_html_escaped(out, line);
    }
    out += "</p>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

std::string render_transcript_text(const Transcript& transcript) {
  std::string out;
  for (const Paragraph& p : paragraphs(transcript)) {
    if (!out.empty()) {
      out += '\n';
    }
    if (p.start) {
      out += '[';
      out += text::format_clock(*p.start);
      out += "] ";
    }
    if (!p.speaker.empty()) {
      xml::append_sanitized(out, p.speaker);
      out += ": ";
    }
    xml::append_sanitized(out, p.body);
    out += '\n';
  }
  return out;
}

std::string render_chapters_json(const std::vector<catalog::Chapter>& chapters,
                                 const ChaptersMeta& meta) {
  std::vector<const catalog::Chapter*> list;
  const bool bounded = meta.duration && std::isfinite(*meta.duration) && *meta.duration > 0;
  for (const catalog::Chapter& c : chapters) {
    if (!std::isfinite(c.start)) {
      continue;
    }
    if (bounded && c.start >= *meta.duration) {
      continue;  // STANDARDS 4.5: every startTime below the episode duration
    }
    list.push_back(&c);
  }
  std::stable_sort(list.begin(), list.end(),
                   [](const catalog::Chapter* a, const catalog::Chapter* b) {
                     return clean_time(a->start) < clean_time(b->start);
                   });

  std::string out = "{\n  \"version\": \"1.2.0\"";
  if (!text::trim(meta.title).empty()) {
    out += ",\n  \"title\": ";
    append_json_string(out, text::trim(meta.title));
  }
  if (!text::trim(meta.podcast_name).empty()) {
    out += ",\n  \"podcastName\": ";
    append_json_string(out, text::trim(meta.podcast_name));
  }
  out += ",\n  \"chapters\": [";
  bool first = true;
  // The first chapter must start at 0. When the list starts later, a silent marker
  // ("toc": false, no title) covers the gap instead of moving or inventing a chapter.
  if (!list.empty() && std::round(clean_time(list.front()->start) * 1000.0) > 0) {
    out += "\n    {\"startTime\": 0, \"toc\": false}";
    first = false;
  }
  for (const catalog::Chapter* c : list) {
    out += first ? "\n    {" : ",\n    {";
    first = false;
    out += "\"startTime\": ";
    append_json_seconds(out, c->start);
    if (c->end && std::isfinite(*c->end) && *c->end > c->start) {
      out += ", \"endTime\": ";
      append_json_seconds(out, bounded ? std::min(*c->end, *meta.duration) : *c->end);
    }
    if (!text::trim(c->title).empty()) {
      out += ", \"title\": ";
      append_json_string(out, text::trim(c->title));
    }
    if (!text::trim(c->img).empty()) {
      out += ", \"img\": ";
      append_json_string(out, text::trim(c->img));
    }
    if (!text::trim(c->url).empty()) {
      out += ", \"url\": ";
      append_json_string(out, text::trim(c->url));
    }
    if (!c->toc) {
      out += ", \"toc\": false";
    }
    out += '}';
  }
  out += first ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace podcastd::feeds
