// Companion documents (STANDARDS.md 4.1-4.5): JSON chapters, and transcripts as WebVTT, SRT,
// JSON, HTML or plain text. FIL-E02..E04 and FIL-W03..W05; FIL-E01/W01/W02 come from what
// the caller's fetch reports (check_companion).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/text.hpp"
#include "feeds/validator_detail.hpp"

namespace podcastd::feeds {
namespace {

using detail::quote;
using Json = nlohmann::json;

constexpr std::size_t kErrorCap = 20;  // per rule and document, then one summary finding
constexpr int kMaxJsonDepth = 64;

class Collector {
 public:
  explicit Collector(std::string_view source) : source_(source) {}

  void add(Severity severity, std::string_view rule, std::string element, int line,
           std::string message) {
    Finding f = detail::make_finding(severity, rule, std::move(element), line, std::move(message));
    f.source = source_;
    report_.findings.push_back(std::move(f));
  }
  // Errors: the first kErrorCap of a rule, then counted.
  void error(std::string_view rule, std::string element, int line, std::string message) {
    std::size_t& n = rule == "FIL-E02" ? e02_ : rule == "FIL-E03" ? e03_ : e04_;
    if (++n <= kErrorCap) {
      add(Severity::error, rule, std::move(element), line, std::move(message));
    }
  }
  ValidationReport finish() {
    for (auto [n, rule] : {std::pair{e02_, "FIL-E02"}, {e03_, "FIL-E03"}, {e04_, "FIL-E04"}}) {
      if (n > kErrorCap) {
        add(Severity::error, rule, "", 0,
            std::to_string(n - kErrorCap) + " more problems of this kind");
      }
    }
    return std::move(report_);
  }

 private:
  std::string source_;
  ValidationReport report_;
  std::size_t e02_ = 0, e03_ = 0, e04_ = 0;
};

// Counted warnings: one finding per kind with the first place it happened.
struct Tally {
  std::size_t count = 0;
  std::string element;
  int line = 0;
  std::string first;
  void note(std::string el, int ln, std::string what) {
    if (count++ == 0) {
      element = std::move(el);
      line = ln;
      first = std::move(what);
    }
  }
  void flush(Collector& out, std::string_view rule, std::string_view summary) const {
    if (count == 0) {
      return;
    }
    std::string msg = std::string(summary);
    if (count > 1) {
      msg += " (" + std::to_string(count) + " times; first: " + first + ")";
    } else {
      msg += ": " + first;
    }
    out.add(Severity::warning, rule, element, line, msg);
  }
};

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  std::string out = buf;
  while (out.size() > 1 && out.back() == '0') {
    out.pop_back();
  }
  if (out.back() == '.') {
    out.pop_back();
  }
  return out;
}

int line_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

// Parses JSON without recursing deeper than kMaxJsonDepth; on failure sets `why` and `line`.
std::optional<Json> parse_json(std::string_view body, std::string& why, int& line) {
  if (std::size_t at = text::json_nesting_over(body, kMaxJsonDepth); at != std::string_view::npos) {
    why = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    line = line_at(body, at);
    return std::nullopt;
  }
  try {
    return Json::parse(body.begin(), body.end());
  } catch (const Json::parse_error& e) {
    why = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." -> the tail.
    std::size_t colon = why.find(": ");
    if (colon != std::string::npos) {
      why = why.substr(colon + 2);
    }
    line = line_at(body, e.byte == 0 ? 0 : e.byte - 1);
    return std::nullopt;
  }
}

// ---- WebVTT / SRT -------------------------------------------------------------------------

// "HH:MM:SS.mmm" / "MM:SS.mmm" (vtt, '.') or "HH:MM:SS,mmm" (srt, ','): seconds, or nullopt
// with `why`.
std::optional<double> parse_cue_time(std::string_view s, bool srt, std::string& why) {
  const char other = srt ? '.' : ',';
  std::size_t frac = s.find_first_of(".,");
  if (frac == std::string_view::npos) {
    why = std::string("no milliseconds (write ") + (srt ? "HH:MM:SS,mmm" : "HH:MM:SS.mmm") + ")";
    return std::nullopt;
  }
  if (s[frac] == other) {
    why = srt ? "uses '.' before the milliseconds; SRT wants ','"
              : "uses ',' before the milliseconds; WebVTT wants '.'";
    return std::nullopt;
  }
  std::string_view ms = s.substr(frac + 1);
  if (ms.size() != 3 ||
      !std::all_of(ms.begin(), ms.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    why = "milliseconds are not 3 digits";
    return std::nullopt;
  }
  auto fields = text::split(s.substr(0, frac), ':');
  if (fields.size() < 2 || fields.size() > 3 || (srt && fields.size() != 3)) {
    why = srt ? "is not HH:MM:SS,mmm" : "is not [HH:]MM:SS.mmm";
    return std::nullopt;
  }
  double total = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string_view f = fields[i];
    bool last_two = i + 2 >= fields.size();
    if (f.empty() || (last_two && f.size() != 2) || (!last_two && f.size() < 2 && !srt) ||
        !std::all_of(f.begin(), f.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        f.size() > 6) {
      why = srt ? "is not HH:MM:SS,mmm" : "is not [HH:]MM:SS.mmm";
      return std::nullopt;
    }
    int v = std::stoi(std::string(f));
    if (last_two && v > 59) {
      why = "minutes or seconds above 59";
      return std::nullopt;
    }
    total = total * 60 + v;
  }
  return total + std::stoi(std::string(ms)) / 1000.0;
}

// Visible characters of a cue line: tags (<v Name>, <i>) removed, entities counted once.
std::size_t visible_length(std::string_view line) {
  std::size_t n = 0;
  bool tag = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (tag) {
      tag = c != '>';
      continue;
    }
    if (c == '<') {
      tag = true;
      continue;
    }
    if (c == '&') {
      std::size_t semi = line.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 8) {
        i = semi;
      }
    }
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

struct Cue {
  int line = 0;  // line of the timing line
  std::string element;
  double start = 0;
  double end = 0;
  std::vector<std::pair<int, std::string_view>> text;  // line number, text
};

void check_times(const std::vector<Cue>& cues, std::optional<double> duration, Collector& out) {
  Tally order, beyond, negative;
  for (const Cue& c : cues) {
    if (c.end < c.start) {
      order.note(c.element, c.line,
                 "ends at " + seconds(c.end) + " before it starts at " + seconds(c.start));
    }
    if (duration && (c.start > *duration || c.end > *duration + 0.5)) {
      beyond.note(c.element, c.line,
                  "ends at " + seconds(c.end) + " s, episode is " + seconds(*duration) + " s");
    }
    if (c.start < 0) {
      negative.note(c.element, c.line, "starts at " + seconds(c.start));
    }
  }
  order.flush(out, "FIL-W05", "cue ends before it starts");
  beyond.flush(out, "FIL-W05", "cue time beyond the episode duration");
  negative.flush(out, "FIL-W05", "negative cue time");
}

// Splits into blocks of non-blank lines; each line carries its 1-based number.
std::vector<std::vector<std::pair<int, std::string_view>>> blocks_of(
    const std::vector<std::string_view>& lines, std::size_t from) {
  std::vector<std::vector<std::pair<int, std::string_view>>> blocks;
  std::vector<std::pair<int, std::string_view>> cur;
  for (std::size_t i = from; i < lines.size(); ++i) {
    if (text::trim(lines[i]).empty()) {
      if (!cur.empty()) {
        blocks.push_back(std::move(cur));
        cur.clear();
      }
    } else {
      cur.emplace_back(static_cast<int>(i) + 1, lines[i]);
    }
  }
  if (!cur.empty()) {
    blocks.push_back(std::move(cur));
  }
  return blocks;
}

std::string_view strip_bom(std::string_view s) {
  return s.substr(0, 3) == "\xEF\xBB\xBF" ? s.substr(3) : s;
}

using Block = std::vector<std::pair<int, std::string_view>>;  // line number, text

// The cue whose timing line is block[t] ("START --> END[ settings]"): its times, or a
// FIL-E03 (`what` names the format in the message) and nullopt.
std::optional<Cue> read_cue(const Block& block, std::size_t t, const std::string& element, bool srt,
                            std::string_view what, Collector& out) {
  std::string_view timing = block[t].second;
  std::size_t arrow = timing.find("-->");
  std::string_view a = text::trim(timing.substr(0, arrow));
  std::string_view rest = text::trim(timing.substr(arrow + 3));
  std::string_view b = rest.substr(0, rest.find_first_of(" \t"));
  std::string why;
  std::optional<double> start = parse_cue_time(a, srt, why);
  std::optional<double> end;
  if (start) {
    end = parse_cue_time(b, srt, why);
  }
  if (!start || !end) {
    out.error("FIL-E03", element, block[t].first,
              std::string(what) + " " + quote(timing) + " " + why);
    return std::nullopt;
  }
  Cue cue;
  cue.line = block[t].first;
  cue.element = element;
  cue.start = *start;
  cue.end = *end;
  return cue;
}

// Text lines of a cue (after its timing line block[t]) longer than `limit` visible characters.
void note_long_lines(const Block& block, std::size_t t, const std::string& element,
                     std::size_t limit, Tally& tally) {
  for (std::size_t k = t + 1; k < block.size(); ++k) {
    std::size_t n = visible_length(block[k].second);
    if (n > limit) {
      tally.note(element, block[k].first, std::to_string(n) + " characters");
    }
  }
}

void validate_vtt(std::string_view body, std::optional<double> duration, Collector& out) {
  if (!text::is_valid_utf8(body)) {
    out.error("FIL-E03", "", line_at(body, text::first_invalid_utf8(body)),
              "WebVTT file is not valid UTF-8");
  }
  std::vector<std::string_view> lines = text::split_lines(strip_bom(body));
  if (lines.empty() || lines[0].substr(0, 6) != "WEBVTT" ||
      (lines[0].size() > 6 && lines[0][6] != ' ' && lines[0][6] != '\t')) {
    out.error("FIL-E03", "", 1,
              "WebVTT file does not start with 'WEBVTT' (found " +
                  quote(lines.empty() ? std::string_view{} : lines[0]) + ")");
    return;
  }
  std::size_t i = 1;
  while (i < lines.size() && !text::trim(lines[i]).empty()) {
    ++i;  // header
  }
  std::vector<Cue> cues;
  Tally long_lines;
  int index = 0;
  for (const auto& block : blocks_of(lines, i)) {
    std::string_view first = block[0].second;
    if (first.substr(0, 4) == "NOTE" || first.substr(0, 5) == "STYLE" ||
        first.substr(0, 6) == "REGION") {
      if (first.find("-->") == std::string_view::npos) {
        continue;
      }
    }
    ++index;
    std::string element = "cue[" + std::to_string(index) + "]";
    std::size_t t = first.find("-->") != std::string_view::npos ? 0 : 1;
    if (t >= block.size() || block[t].second.find("-->") == std::string_view::npos) {
      out.error("FIL-E03", element, block[0].first,
                "cue has no timing line ('00:00:01.000 --> 00:00:04.000')");
      continue;
    }
    std::optional<Cue> cue = read_cue(block, t, element, /*srt=*/false, "cue timing", out);
    if (!cue) {
      continue;
    }
    note_long_lines(block, t, element, 65, long_lines);
    cues.push_back(std::move(*cue));
  }
  long_lines.flush(out, "FIL-W03", "WebVTT line longer than 65 characters");
  check_times(cues, duration, out);
}

void validate_srt(std::string_view body, std::optional<double> duration, Collector& out) {
  std::vector<std::string_view> lines = text::split_lines(strip_bom(body));
  std::vector<Cue> cues;
  Tally many_lines, long_lines;
  int index = 0;
  for (const auto& block : blocks_of(lines, 0)) {
    ++index;
    std::string element = "cue[" + std::to_string(index) + "]";
    std::size_t t = 1;
    if (!detail::parse_integer(text::trim(block[0].second), false)) {
      if (block[0].second.find("-->") != std::string_view::npos) {
        t = 0;
      }
      out.error(
          "FIL-E03", element, block[0].first,
          "SRT cue does not start with its sequence number (found " + quote(block[0].second) + ")");
      if (t != 0) {
        continue;
      }
    }
    if (t >= block.size() || block[t].second.find("-->") == std::string_view::npos) {
      out.error("FIL-E03", element, block[0].first,
                "SRT cue has no timing line ('00:00:01,000 --> 00:00:04,000')");
      continue;
    }
    std::optional<Cue> cue = read_cue(block, t, element, /*srt=*/true, "SRT timing", out);
    if (!cue) {
      continue;
    }
    std::size_t text_lines = block.size() - t - 1;
    if (text_lines > 2) {
      many_lines.note(element, block[t].first, std::to_string(text_lines) + " lines");
    }
    note_long_lines(block, t, element, 32, long_lines);
    cues.push_back(std::move(*cue));
  }
  many_lines.flush(out, "FIL-W03", "SRT cue with more than 2 lines");
  long_lines.flush(out, "FIL-W03", "SRT line longer than 32 characters");
  check_times(cues, duration, out);
}

void validate_json_transcript(std::string_view body, std::optional<double> duration,
                              Collector& out) {
  std::string why;
  int line = 0;
  auto doc = parse_json(body, why, line);
  if (!doc) {
    out.error("FIL-E04", "", line, "JSON transcript is not JSON: " + why);
    return;
  }
  if (!doc->is_object()) {
    out.error("FIL-E04", "", 0, "JSON transcript is not an object");
    return;
  }
  if (!doc->contains("version") || !(*doc)["version"].is_string()) {
    out.error("FIL-E04", "version", 0, "JSON transcript has no \"version\" string");
  }
  if (!doc->contains("segments") || !(*doc)["segments"].is_array()) {
    out.error("FIL-E04", "segments", 0, "JSON transcript has no \"segments\" array");
    return;
  }
  std::vector<Cue> cues;
  Tally unsorted;
  double previous = -1;
  const Json& segments = (*doc)["segments"];
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Json& s = segments[i];
    std::string element = "segments[" + std::to_string(i) + "]";
    if (!s.is_object()) {
      out.error("FIL-E04", element, 0, "segment is not an object");
      continue;
    }
    auto st = s.find("startTime");
    if (st == s.end() || !st->is_number()) {
      out.error("FIL-E04", element + ".startTime", 0, "segment has no numeric startTime");
      continue;
    }
    Cue cue;
    cue.element = element;
    cue.start = st->get<double>();
    cue.end = cue.start;
    auto et = s.find("endTime");
    if (et != s.end()) {
      if (!et->is_number()) {
        out.error("FIL-E04", element + ".endTime", 0, "segment endTime is not a number");
      } else {
        cue.end = et->get<double>();
      }
    }
    if (cue.start < previous) {
      unsorted.note(element, 0, "starts at " + seconds(cue.start) + " after " + seconds(previous));
    }
    previous = cue.start;
    cues.push_back(std::move(cue));
  }
  unsorted.flush(out, "FIL-W05", "segments not sorted by startTime");
  check_times(cues, duration, out);
}

void validate_html_transcript(std::string_view body, std::optional<double> duration,
                              Collector& out) {
  Tally beyond;
  int n = 0;
  for (std::size_t p = body.find("<time>"); p != std::string_view::npos;
       p = body.find("<time>", p + 6)) {
    ++n;
    std::size_t e = body.find("</time>", p);
    if (e == std::string_view::npos) {
      break;
    }
    std::string_view value = text::trim(body.substr(p + 6, e - p - 6));
    auto t = text::parse_clock(value);
    if (t && duration && *t > *duration) {
      beyond.note("time[" + std::to_string(n) + "]", line_at(body, p),
                  quote(value) + ", episode is " + seconds(*duration) + " s");
    }
  }
  beyond.flush(out, "FIL-W05", "transcript time beyond the episode duration");
}

enum class Format { vtt, srt, json, html, text, unknown };

Format format_of(std::string_view type) {
  std::string t = text::to_lower_ascii(detail::mime_base(type));
  if (t == "text/vtt") {
    return Format::vtt;
  }
  if (t == "application/x-subrip" || t == "application/srt") {
    return Format::srt;
  }
  if (t == "application/json") {
    return Format::json;
  }
  if (t == "text/html") {
    return Format::html;
  }
  if (t == "text/plain") {
    return Format::text;
  }
  return Format::unknown;
}

}  // namespace

ValidationReport validate_chapters_json(std::string_view body, std::string_view name,
                                        std::optional<double> duration) {
  Collector out(name);
  std::string why;
  int line = 0;
  auto doc = parse_json(body, why, line);
  if (!doc) {
    out.error("FIL-E02", "", line, "chapters file is not JSON: " + why);
    return out.finish();
  }
  if (!doc->is_object()) {
    out.error("FIL-E02", "", 0, "chapters file is not a JSON object");
    return out.finish();
  }
  if (!doc->contains("version") || !(*doc)["version"].is_string()) {
    out.error("FIL-E02", "version", 0, "chapters file has no \"version\" string");
  }
  if (!doc->contains("chapters") || !(*doc)["chapters"].is_array()) {
    out.error("FIL-E02", "chapters", 0, "chapters file has no \"chapters\" array");
    return out.finish();
  }
  const Json& chapters = (*doc)["chapters"];
  Tally unsorted, beyond, negative, backwards;
  double previous = -1;
  std::optional<double> first;
  for (std::size_t i = 0; i < chapters.size(); ++i) {
    const Json& c = chapters[i];
    std::string element = "chapters[" + std::to_string(i) + "]";
    if (!c.is_object()) {
      out.error("FIL-E02", element, 0, "chapter is not an object");
      continue;
    }
    auto st = c.find("startTime");
    if (st == c.end() || !st->is_number()) {
      out.error("FIL-E02", element + ".startTime", 0, "chapter has no numeric startTime");
      continue;
    }
    double start = st->get<double>();
    if (!first || start < *first) {
      first = start;
    }
    if (start < 0) {
      negative.note(element + ".startTime", 0, seconds(start));
    }
    if (start < previous) {
      unsorted.note(element + ".startTime", 0, seconds(start) + " after " + seconds(previous));
    }
    previous = start;
    if (duration && start > *duration) {
      beyond.note(element + ".startTime", 0,
                  seconds(start) + " s, episode is " + seconds(*duration) + " s");
    }
    auto et = c.find("endTime");
    if (et != c.end() && et->is_number() && et->get<double>() < start) {
      backwards.note(element + ".endTime", 0,
                     seconds(et->get<double>()) + " before " + seconds(start));
    }
    auto loc = c.find("location");
    if (loc != c.end()) {
      if (!loc->is_object() || !loc->contains("name") || !(*loc)["name"].is_string() ||
          !loc->contains("geo") || !(*loc)["geo"].is_string()) {
        out.error("FIL-E02", element + ".location", 0,
                  "chapter location needs \"name\" and \"geo\" strings");
      }
    }
  }
  unsorted.flush(out, "FIL-W04", "chapters not sorted by startTime");
  beyond.flush(out, "FIL-W04", "chapter starts beyond the episode duration");
  negative.flush(out, "FIL-W04", "negative chapter startTime");
  backwards.flush(out, "FIL-W04", "chapter endTime before its startTime");
  if (first && *first != 0) {
    out.add(Severity::warning, "FIL-W04", "chapters[0].startTime", 0,
            "first chapter starts at " + seconds(*first) + ", not 0");
  }
  return out.finish();
}

ValidationReport validate_transcript(std::string_view body, std::string_view type,
                                     std::string_view name, std::optional<double> duration) {
  Collector out(name);
  switch (format_of(type)) {
    case Format::vtt:
      validate_vtt(body, duration, out);
      break;
    case Format::srt:
      validate_srt(body, duration, out);
      break;
    case Format::json:
      validate_json_transcript(body, duration, out);
      break;
    case Format::html:
      validate_html_transcript(body, duration, out);
      break;
    case Format::text:
      break;
    case Format::unknown:
      out.add(Severity::warning, "P20-W01", "", 0,
              "transcript type " + quote(type) + " is not a known type; not checked");
      break;
  }
  return out.finish();
}

namespace detail {

void check_companion(const ValidateOptions& options, std::string_view url,
                     std::string_view declared_type, bool chapters, std::optional<double> duration,
                     const std::string& element, int line, std::vector<Finding>& out) {
  auto add = [&](Severity severity, std::string_view rule, std::string message) {
    out.push_back(make_finding(severity, rule, element, line, std::move(message)));
  };
  std::optional<Companion> c = options.fetch_companion(url);
  if (!c) {
    add(Severity::error, "FIL-E01", "could not fetch " + quote(url));
    return;
  }
  if (c->status < 200 || c->status > 299) {
    add(Severity::error, "FIL-E01", quote(url) + " returned HTTP " + std::to_string(c->status));
    return;
  }
  if (!c->cors) {
    add(Severity::warning, "FIL-W01",
        quote(url) + " is served without Access-Control-Allow-Origin");
  }
  if (!c->content_type.empty() &&
      !text::iequals_ascii(mime_base(c->content_type), mime_base(declared_type))) {
    add(Severity::warning, "FIL-W02",
        quote(url) + " is served as " + quote(c->content_type) + " but declared " +
            quote(declared_type));
  }
  ValidationReport sub;
  if (chapters) {
    sub = validate_chapters_json(c->body, url, duration);
  } else {
    if (format_of(declared_type) == Format::unknown) {
      return;  // P20-W01 already says so
    }
    sub = validate_transcript(c->body, declared_type, url, duration);
  }
  for (Finding& f : sub.findings) {
    std::string where = std::string(url);
    if (!f.element.empty()) {
      where += " " + f.element;
    }
    if (f.line > 0) {
      where += " (line " + std::to_string(f.line) + ")";
    }
    add(f.severity, f.rule, where + ": " + f.message);
  }
}

}  // namespace detail
}  // namespace podcastd::feeds
