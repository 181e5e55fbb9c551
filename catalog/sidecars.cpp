#include "catalog/sidecars.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "catalog/text.hpp"

namespace podcastd::catalog {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kNpos = std::string_view::npos;

Error error_at(std::string_view path, std::size_t line, std::string_view reason) {
  std::string message(path);
  if (line > 0) {
    message += ':';
    message += std::to_string(line);
  }
  message += ": ";
  message += reason;
  return make_error(ErrorCode::parse, std::move(message));
}

// Quotes a line for a message, cut so a garbage line cannot make a huge one.
std::string quoted(std::string_view line) {
  return "'" + text::truncate_utf8(text::trim(line), 80) + "'";
}

std::size_t line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(
                 text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// Drops a UTF-8 byte order mark and checks the encoding.
Result<std::string_view> prepare(std::string_view path, std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  std::size_t bad = text::first_invalid_utf8(text);
  if (bad != kNpos) {
    return error_at(path, line_of_offset(text, bad), "invalid UTF-8");
  }
  return text;
}

// Lines ended by LF, CRLF or a lone CR (WebVTT allows all three).
std::vector<std::string_view> lines_of(std::string_view s) {
  std::vector<std::string_view> out;
  out.reserve(s.size() / 32 + 1);
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || s[i] == '\r') {
      out.push_back(s.substr(start, i - start));
      if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
        ++i;
      }
      start = i + 1;
    }
  }
  if (start < s.size()) {
    out.push_back(s.substr(start));
  }
  return out;
}

bool is_blank(std::string_view line) { return text::trim(line).empty(); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool contains_arrow(std::string_view line) { return line.find("-->") != kNpos; }

// "NOTE", "NOTE text", "STYLE"... : the keyword alone or followed by a space or tab.
bool is_keyword_line(std::string_view line, std::string_view keyword) {
  return line.substr(0, keyword.size()) == keyword &&
         (line.size() == keyword.size() || line[keyword.size()] == ' ' ||
          line[keyword.size()] == '\t');
}

// ---- timestamps -----------------------------------------------------------------------

// Reads a run of digits at s[pos]; returns how many (0 if none) and their value.
std::size_t read_digits(std::string_view s, std::size_t& pos, std::uint64_t& value) {
  std::size_t start = pos;
  value = 0;
  while (pos < s.size() && is_digit(s[pos])) {
    if (pos - start < 12) {
      value = value * 10 + static_cast<std::uint64_t>(s[pos] - '0');
    }
    ++pos;
  }
  return pos - start;
}

// WebVTT: "HH:MM:SS.mmm" (hours two or more digits) or "MM:SS.mmm"; minutes and seconds
// two digits below 60, exactly three digits of milliseconds after a dot.
// SRT (`srt` true): hours one or more digits and required, ',' or '.', one to three digits.
std::optional<double> read_timestamp(std::string_view s, std::size_t& pos, bool srt) {
  std::uint64_t a = 0, b = 0, c = 0, frac = 0;
  std::size_t na = read_digits(s, pos, a);
  if (na == 0 || pos >= s.size() || s[pos] != ':') {
    return std::nullopt;
  }
  ++pos;
  if (read_digits(s, pos, b) != 2) {
    return std::nullopt;
  }
  bool has_hours = pos < s.size() && s[pos] == ':';
  std::uint64_t hours = 0, minutes = a, seconds = b;
  if (has_hours) {
    ++pos;
    if (read_digits(s, pos, c) != 2) {
      return std::nullopt;
    }
    hours = a;
    minutes = b;
    seconds = c;
    if (!srt && na < 2) {
      return std::nullopt;
    }
  } else if (srt || na != 2) {
    return std::nullopt;
  }
  if (minutes > 59 || seconds > 59 || pos >= s.size()) {
    return std::nullopt;
  }
  if (s[pos] != '.' && !(srt && s[pos] == ',')) {
    return std::nullopt;
  }
  ++pos;
  std::size_t nf = read_digits(s, pos, frac);
  if (srt ? (nf == 0 || nf > 3) : nf != 3) {
    return std::nullopt;
  }
  double fraction = static_cast<double>(frac) / (nf == 1 ? 10.0 : nf == 2 ? 100.0 : 1000.0);
  return static_cast<double>(hours * 3600 + minutes * 60 + seconds) + fraction;
}

struct Timing {
  double start = 0;
  double end = 0;
};

enum class TimingError { none, malformed, backwards };

// "start --> end", then settings (WebVTT) or coordinates (SRT) after whitespace.
TimingError parse_timing(std::string_view line, bool srt, Timing& out) {
  std::size_t pos = 0;
  auto skip_spaces = [&] {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) {
      ++pos;
    }
  };
  skip_spaces();
  std::optional<double> start = read_timestamp(line, pos, srt);
  if (!start) {
    return TimingError::malformed;
  }
  skip_spaces();
  if (line.substr(pos, 3) != "-->") {
    return TimingError::malformed;
  }
  pos += 3;
  skip_spaces();
  std::optional<double> end = read_timestamp(line, pos, srt);
  if (!end) {
    return TimingError::malformed;
  }
  if (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') {
    return TimingError::malformed;
  }
  if (*end < *start) {
    return TimingError::backwards;
  }
  out.start = *start;
  out.end = *end;
  return TimingError::none;
}

Result<Timing> timing_or_error(std::string_view path, std::size_t line_no, std::string_view line,
                               bool srt) {
  Timing t;
  switch (parse_timing(line, srt, t)) {
    case TimingError::none:
      return t;
    case TimingError::backwards:
      return error_at(path, line_no, "cue ends before it starts " + quoted(line));
    case TimingError::malformed:
      break;
  }
  return error_at(path, line_no, "bad cue timing " + quoted(line));
}

// ---- cue text -------------------------------------------------------------------------

// Appends `run` with character references decoded. text::decode_html_entities looks for
// the ';' of every '&' up to the end of its input, which is quadratic on a long line of
// '&'s; here it only sees one reference at a time.
void append_decoded(std::string& out, std::string_view run) {
  constexpr std::size_t kLongestReference = 14;  // "&#x10FFFF;" and the named ones fit
  std::size_t pos = 0;
  while (pos < run.size()) {
    std::size_t amp = run.find('&', pos);
    if (amp == kNpos) {
      out.append(run.substr(pos));
      return;
    }
    out.append(run.substr(pos, amp - pos));
    std::size_t semi = run.substr(amp, kLongestReference).find(';');
    if (semi == kNpos) {
      out.push_back('&');
      pos = amp + 1;
      continue;
    }
    out += text::decode_html_entities(run.substr(amp, semi + 1));
    pos = amp + semi + 1;
  }
}

std::string decoded(std::string_view run) {
  std::string out;
  append_decoded(out, run);
  return out;
}

// One voice's part of a cue.
struct Piece {
  std::string speaker;
  bool voiced = false;
  std::string body;
};

void finish_piece(std::vector<Piece>& pieces, Piece& cur) {
  std::string_view body = text::trim(cur.body);
  if (!body.empty()) {
    Piece done{cur.speaker, cur.voiced, std::string(body)};
    pieces.push_back(std::move(done));
  }
  cur.body.clear();
}

// WebVTT cue text: "<v Name>" / "<v.class Name>" start a voice (closing "</v>" optional
// and ignored); a change to another voice inside a cue starts a new piece with the same
// timing, so "<v A>Hi</v>\n<v B>Hello" is two segments. Other tags (<c>, <i>, <b>, <u>,
// <ruby>, <lang>, timestamps) are dropped and entities decoded. Lines join with "\n".
std::vector<Piece> parse_cue_text(const std::vector<std::string_view>& lines) {
  std::vector<Piece> pieces;
  Piece cur;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (k > 0) {
      cur.body += '\n';
    }
    std::string_view line = lines[k];
    std::size_t pos = 0;
    while (pos < line.size()) {
      if (line[pos] != '<') {
        std::size_t next = line.find('<', pos);
        if (next == kNpos) {
          next = line.size();
        }
        std::string_view run = line.substr(pos, next - pos);
        append_decoded(cur.body, run);
        pos = next;
        continue;
      }
      std::size_t close = line.find('>', pos);
      if (close == kNpos) {
        break;  // an unterminated tag runs to the end of the line
      }
      std::string_view tag = line.substr(pos + 1, close - pos - 1);
      pos = close + 1;
      if (!tag.empty() && tag[0] == 'v' &&
          (tag.size() == 1 || tag[1] == ' ' || tag[1] == '\t' || tag[1] == '.')) {
        std::size_t space = tag.find_first_of(" \t");
        std::string name = space == kNpos ? std::string() : decoded(text::trim(tag.substr(space)));
        if (!name.empty() && !(cur.voiced && cur.speaker == name)) {
          finish_piece(pieces, cur);
          cur.speaker = std::move(name);
          cur.voiced = true;
        }
      }
      // "</v>" changes nothing: text after it stays with the voice until another starts.
    }
  }
  finish_piece(pieces, cur);
  return pieces;
}

// Removes SRT's ASS-style overrides ("{\an8}", "{\i1}").
std::string strip_ass_overrides(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  std::size_t pos = 0;
  while (pos < line.size()) {
    if (line[pos] == '{' && pos + 1 < line.size() && line[pos + 1] == '\\') {
      std::size_t close = line.find('}', pos);
      if (close == kNpos) {
        out.append(line.substr(pos));  // no override closes on this line
        break;
      }
      pos = close + 1;
      continue;
    }
    out.push_back(line[pos++]);
  }
  return out;
}

// ---- speakers -------------------------------------------------------------------------

// A plausible speaker name: starts with a letter, at most 40 bytes and 4 words, no
// sentence punctuation ("Dr. Jane Doe", "Speaker 1", "Q", "José").
bool is_speaker_name(std::string_view name) {
  if (name.empty() || name.size() > 40) {
    return false;
  }
  auto c0 = static_cast<unsigned char>(name[0]);
  if (!(std::isalpha(c0) || c0 >= 0x80)) {
    return false;
  }
  int words = 1;
  for (char c : name) {
    if (c == ' ') {
      ++words;
    } else if (std::string_view(",;:!?\"()[]{}<>/\\|=+*#@$%^~`\t").find(c) != kNpos) {
      return false;
    }
  }
  return words <= 4;
}

struct SpeakerSplit {
  std::string name;
  std::optional<double> time;  // "Name (00:01:02): text"
  std::string_view rest;
};

// "Name: text" (the colon followed by a space, a tab or the end of the line).
std::optional<SpeakerSplit> split_speaker(std::string_view line) {
  std::size_t colon = line.find(':');
  if (colon == kNpos || colon == 0) {
    return std::nullopt;
  }
  std::string_view rest = line.substr(colon + 1);
  if (!rest.empty() && rest[0] != ' ' && rest[0] != '\t') {
    // "10:30", "https://", or a clock inside "Name [00:01:02]: text".
    std::size_t bracket = line.find_first_of("[(");
    if (bracket == kNpos || bracket > colon) {
      return std::nullopt;
    }
    char closer = line[bracket] == '[' ? ']' : ')';
    std::size_t end = line.find(closer, bracket);
    if (end == kNpos || end + 1 >= line.size() || line[end + 1] != ':') {
      return std::nullopt;
    }
    colon = end + 1;
    rest = line.substr(colon + 1);
    if (!rest.empty() && rest[0] != ' ' && rest[0] != '\t') {
      return std::nullopt;
    }
  }
  SpeakerSplit out;
  std::string_view name = text::trim(line.substr(0, colon));
  if (!name.empty() && (name.back() == ']' || name.back() == ')')) {
    char opener = name.back() == ']' ? '[' : '(';
    std::size_t open = name.rfind(opener);
    if (open == kNpos) {
      return std::nullopt;
    }
    std::string_view clock = name.substr(open + 1, name.size() - open - 2);
    if (clock.find(':') == kNpos) {
      return std::nullopt;
    }
    out.time = text::parse_clock(clock);
    if (!out.time) {
      return std::nullopt;
    }
    name = text::trim(name.substr(0, open));
  }
  if (!is_speaker_name(name)) {
    return std::nullopt;
  }
  out.name = std::string(name);
  out.rest = text::trim(rest);
  return out;
}

// A cue's pieces as parsed, before speakers are carried over.
struct Cue {
  Timing timing;
  std::vector<Piece> pieces;
};

// Writes the segments. An unvoiced piece takes the previous voice's speaker when the file
// evidently writes voices only on a change of speaker (the namespace's convention): some
// unvoiced piece follows a voiced one, and no two consecutive cues open with the same voice
// the previous one ended with. Files that repeat the voice on every cue keep "" for the
// unvoiced ones ("[music]").
void emit_segments(std::vector<Cue>& cues, Transcript& t) {
  bool seen_voice = false, unvoiced_after_voice = false, repeats = false;
  const Piece* last = nullptr;
  for (const Cue& cue : cues) {
    for (std::size_t k = 0; k < cue.pieces.size(); ++k) {
      const Piece& p = cue.pieces[k];
      if (!p.voiced && seen_voice) {
        unvoiced_after_voice = true;
      }
      if (k == 0 && p.voiced && last && last->voiced && last->speaker == p.speaker) {
        repeats = true;
      }
      seen_voice = seen_voice || p.voiced;
    }
    if (!cue.pieces.empty()) {
      last = &cue.pieces.back();
    }
  }
  bool carry = unvoiced_after_voice && !repeats;
  std::size_t total = 0;
  for (const Cue& cue : cues) {
    total += cue.pieces.size();
  }
  t.segments.reserve(total);
  std::string current;
  for (Cue& cue : cues) {
    for (Piece& p : cue.pieces) {
      if (p.voiced) {
        current = p.speaker;
      } else if (carry) {
        p.speaker = current;
      }
      TranscriptSegment seg;
      seg.speaker = std::move(p.speaker);
      seg.start = cue.timing.start;
      seg.end = cue.timing.end;
      seg.body = std::move(p.body);
      t.segments.push_back(std::move(seg));
    }
  }
}

// ---- JSON -----------------------------------------------------------------------------

// Deeper nesting than any transcript or chapters file needs is refused before parsing.
constexpr int kMaxJsonDepth = 64;

Result<Json> parse_json(std::string_view path, std::string_view text) {
  if (text::json_nesting_over(text, kMaxJsonDepth) != std::string_view::npos) {
    return error_at(path, 0, "invalid JSON: nested too deeply");
  }
  // nlohmann reports bad input only by exception; it is caught right here and turned into
  // the located Error every parser returns.
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error..."
    std::size_t column = what.find("column ");
    std::size_t colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    return error_at(path, line_of_offset(text, byte),
                    "invalid JSON: " + text::truncate_utf8(reason, 160));
  } catch (const Json::exception& e) {
    // out_of_range.406 "number overflow parsing '1e999'" carries no position.
    std::string what = e.what();
    std::size_t bracket = what.find("] ");
    std::string reason = bracket == std::string::npos ? what : what.substr(bracket + 2);
    return error_at(path, 0, "invalid JSON: " + text::truncate_utf8(reason, 160));
  }
}

std::string item_prefix(std::string_view array, std::size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "]: ";
}

// A required or optional non-negative number. Missing: nullopt in `out`, error if required.
Status read_time(std::string_view path, const Json& obj, const char* key, bool required,
                 const std::string& where, std::optional<double>& out) {
  auto it = obj.find(key);
  if (it == obj.end() || (!required && it->is_null())) {
    if (required) {
      return error_at(path, 0, where + "missing " + key);
    }
    return {};
  }
  if (!it->is_number()) {
    return error_at(path, 0, where + key + " is not a number");
  }
  double v = it->get<double>();
  if (!std::isfinite(v) || v < 0) {
    return error_at(path, 0, where + key + " is negative");
  }
  out = v;
  return {};
}

// An optional string; null counts as absent.
Status read_string(std::string_view path, const Json& obj, const char* key,
                   const std::string& where, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    return {};
  }
  if (!it->is_string()) {
    return error_at(path, 0, where + key + " is not a string");
  }
  out = it->get<std::string>();
  return {};
}

Result<const Json*> root_array(std::string_view path, const Json& root, const char* key,
                               bool version_required) {
  if (!root.is_object()) {
    return error_at(path, 0, "not a JSON object");
  }
  auto version = root.find("version");
  if (version == root.end()) {
    if (version_required) {
      return error_at(path, 0, "missing version");
    }
  } else if (!version->is_string()) {
    return error_at(path, 0, "version is not a string");
  }
  auto it = root.find(key);
  if (it == root.end()) {
    return error_at(path, 0, std::string("missing ") + key);
  }
  if (!it->is_array()) {
    return error_at(path, 0, std::string(key) + " is not an array");
  }
  return &*it;
}

// ---- plain text -----------------------------------------------------------------------

// A clock with at least one colon: "1:02", "00:01:02", "00:01:02.500".
std::optional<double> colon_clock(std::string_view s) {
  if (s.find(':') == kNpos || s.empty() || !is_digit(s[0])) {
    return std::nullopt;
  }
  return text::parse_clock(s);
}

// "[00:01:02] rest", "(01:02) rest", "00:01:02 rest" -> time and rest.
std::optional<double> take_leading_clock(std::string_view& line) {
  if (line.empty()) {
    return std::nullopt;
  }
  if (line[0] == '[' || line[0] == '(') {
    std::size_t close = line.find(line[0] == '[' ? ']' : ')');
    if (close == kNpos) {
      return std::nullopt;
    }
    std::optional<double> t = colon_clock(line.substr(1, close - 1));
    if (t) {
      line = text::trim(line.substr(close + 1));
    }
    return t;
  }
  std::size_t end = line.find_first_of(" \t");
  std::string_view word = line.substr(0, end);
  std::optional<double> t = colon_clock(word);
  if (t) {
    line = end == kNpos ? std::string_view() : text::trim(line.substr(end));
  }
  return t;
}

// Otter-style turn headers: "Jane Doe  0:02" (a name, whitespace, a clock, nothing else).
std::optional<SpeakerSplit> name_then_clock(std::string_view line) {
  std::size_t space = line.find_last_of(" \t");
  if (space == kNpos) {
    return std::nullopt;
  }
  std::optional<double> t = colon_clock(line.substr(space + 1));
  std::string_view name = text::trim(line.substr(0, space));
  if (!t || !is_speaker_name(name)) {
    return std::nullopt;
  }
  // Every word capitalized (or a number), so prose ending in a time is not a header.
  for (std::string_view word : text::split(name, ' ')) {
    auto c = word.empty() ? 0 : static_cast<unsigned char>(word[0]);
    if (!(std::isupper(c) || std::isdigit(c) || c >= 0x80)) {
      return std::nullopt;
    }
  }
  return SpeakerSplit{std::string(name), t, {}};
}

}  // namespace

Result<Transcript> parse_vtt(std::string_view path, std::string_view input) {
  Result<std::string_view> prepared = prepare(path, input);
  if (!prepared) {
    return std::move(prepared).error();
  }
  std::vector<std::string_view> lines = lines_of(*prepared);
  if (lines.empty() || !is_keyword_line(lines[0], "WEBVTT")) {
    return error_at(path, 1, "missing WEBVTT header");
  }
  Transcript t;
  t.source = std::string(path);
  t.format = TranscriptFormat::vtt;
  std::size_t i = 1;
  // Header lines ("Kind: captions", "Language: en") run to the first blank line.
  for (; i < lines.size() && !is_blank(lines[i]) && !contains_arrow(lines[i]); ++i) {
    std::string_view line = lines[i];
    if (text::istarts_with_ascii(line, "Language:")) {
      t.language = std::string(text::trim(line.substr(9)));
    }
  }
  std::vector<Cue> cues;
  std::vector<std::string_view> cue_lines;
  while (i < lines.size()) {
    if (is_blank(lines[i])) {
      ++i;
      continue;
    }
    std::string_view first = lines[i];
    if (!contains_arrow(first)) {
      if (is_keyword_line(first, "NOTE") || is_keyword_line(first, "STYLE") ||
          is_keyword_line(first, "REGION")) {
        while (i < lines.size() && !is_blank(lines[i])) {
          ++i;
        }
        continue;
      }
      // A cue identifier; the timing line must follow.
      if (i + 1 >= lines.size() || is_blank(lines[i + 1])) {
        return error_at(path, i + 1, "text outside a cue " + quoted(first));
      }
      ++i;
      if (!contains_arrow(lines[i])) {
        return error_at(path, i + 1, "expected cue timing, got " + quoted(lines[i]));
      }
    }
    Result<Timing> timing = timing_or_error(path, i + 1, lines[i], /*srt=*/false);
    if (!timing) {
      return std::move(timing).error();
    }
    ++i;
    cue_lines.clear();
    // A line with "-->" ends the cue without a blank line, as in the WebVTT parser.
    for (; i < lines.size() && !is_blank(lines[i]) && !contains_arrow(lines[i]); ++i) {
      cue_lines.push_back(lines[i]);
    }
    cues.push_back(Cue{*timing, parse_cue_text(cue_lines)});
  }
  emit_segments(cues, t);
  return t;
}

Result<Transcript> parse_srt(std::string_view path, std::string_view input) {
  Result<std::string_view> prepared = prepare(path, input);
  if (!prepared) {
    return std::move(prepared).error();
  }
  std::vector<std::string_view> lines = lines_of(*prepared);
  Transcript t;
  t.source = std::string(path);
  t.format = TranscriptFormat::srt;
  std::vector<Cue> cues;
  std::vector<std::string> owned;  // cue lines without ASS overrides
  std::vector<std::string_view> cue_lines;
  std::size_t i = 0;
  auto all_digits = [](std::string_view s) {
    s = text::trim(s);
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
  };
  while (i < lines.size()) {
    if (is_blank(lines[i])) {
      ++i;
      continue;
    }
    std::string_view first = lines[i];
    if (!contains_arrow(first)) {
      if (all_digits(first) && i + 1 < lines.size() && !is_blank(lines[i + 1])) {
        ++i;  // the sequence number
        if (!contains_arrow(lines[i])) {
          return error_at(path, i + 1, "expected cue timing, got " + quoted(lines[i]));
        }
      } else if (!cues.empty()) {
        // A blank line inside a cue's text: the paragraph belongs to the previous cue.
        Cue& prev = cues.back();
        cue_lines.clear();
        owned.clear();
        for (; i < lines.size() && !is_blank(lines[i]); ++i) {
          owned.push_back(strip_ass_overrides(lines[i]));
        }
        cue_lines.assign(owned.begin(), owned.end());
        for (Piece& p : parse_cue_text(cue_lines)) {
          if (!p.voiced && !prev.pieces.empty()) {
            prev.pieces.back().body += "\n\n" + p.body;
          } else {
            prev.pieces.push_back(std::move(p));
          }
        }
        continue;
      } else {
        return error_at(path, i + 1, "expected cue number or timing, got " + quoted(first));
      }
    }
    Result<Timing> timing = timing_or_error(path, i + 1, lines[i], /*srt=*/true);
    if (!timing) {
      return std::move(timing).error();
    }
    ++i;
    owned.clear();
    for (; i < lines.size() && !is_blank(lines[i]) && !contains_arrow(lines[i]); ++i) {
      owned.push_back(strip_ass_overrides(lines[i]));
    }
    cue_lines.assign(owned.begin(), owned.end());
    Cue cue{*timing, parse_cue_text(cue_lines)};
    // "Name: text" on the cue's first line names the speaker, like a voice span.
    if (!cue.pieces.empty() && !cue.pieces.front().voiced) {
      Piece& p = cue.pieces.front();
      std::size_t eol = p.body.find('\n');
      std::string_view first_line = std::string_view(p.body).substr(0, eol);
      if (std::optional<SpeakerSplit> split = split_speaker(first_line); split && !split->time) {
        std::string rest(split->rest);
        if (eol != std::string::npos) {
          rest += p.body.substr(rest.empty() ? eol + 1 : eol);
        }
        p.speaker = split->name;
        p.voiced = true;
        p.body = std::move(rest);
      }
    }
    cues.push_back(std::move(cue));
  }
  emit_segments(cues, t);
  return t;
}

Result<Transcript> parse_json_transcript(std::string_view path, std::string_view input) {
  Result<std::string_view> prepared = prepare(path, input);
  if (!prepared) {
    return std::move(prepared).error();
  }
  Result<Json> json = parse_json(path, *prepared);
  if (!json) {
    return std::move(json).error();
  }
  Result<const Json*> segments = root_array(path, *json, "segments", /*version_required=*/false);
  if (!segments) {
    return std::move(segments).error();
  }
  Transcript t;
  t.source = std::string(path);
  t.format = TranscriptFormat::json;
  t.segments.reserve((*segments)->size());
  std::size_t index = 0;
  for (const Json& item : **segments) {
    std::string where = item_prefix("segments", index++);
    if (!item.is_object()) {
      return error_at(path, 0, where + "not an object");
    }
    TranscriptSegment seg;
    if (Status st = read_time(path, item, "startTime", true, where, seg.start); !st) {
      return st.error();
    }
    if (Status st = read_time(path, item, "endTime", false, where, seg.end); !st) {
      return st.error();
    }
    auto body = item.find("body");
    if (body == item.end()) {
      return error_at(path, 0, where + "missing body");
    }
    if (!body->is_string()) {
      return error_at(path, 0, where + "body is not a string");
    }
    seg.body = body->get<std::string>();
    if (Status st = read_string(path, item, "speaker", where, seg.speaker); !st) {
      return st.error();
    }
    t.segments.push_back(std::move(seg));
  }
  return t;
}

Result<Transcript> parse_text_transcript(std::string_view path, std::string_view input) {
  Result<std::string_view> prepared = prepare(path, input);
  if (!prepared) {
    return std::move(prepared).error();
  }
  Transcript t;
  t.source = std::string(path);
  t.format = TranscriptFormat::text;
  bool open = false;  // the last segment takes continuation lines
  for (std::string_view raw : lines_of(*prepared)) {
    std::string_view line = text::trim(raw);
    if (line.empty()) {
      open = false;
      continue;
    }
    std::optional<double> time = take_leading_clock(line);
    std::optional<SpeakerSplit> speaker = split_speaker(line);
    if (!speaker && !time) {
      speaker = name_then_clock(line);
    }
    if (speaker || time) {
      TranscriptSegment seg;
      seg.start = time;
      if (speaker) {
        seg.speaker = std::move(speaker->name);
        if (speaker->time && !seg.start) {
          seg.start = speaker->time;
        }
        seg.body = std::string(speaker->rest);
      } else {
        seg.body = std::string(line);
      }
      t.segments.push_back(std::move(seg));
      open = true;
    } else if (open) {
      std::string& body = t.segments.back().body;
      if (!body.empty()) {
        body += '\n';
      }
      body.append(line);
    } else {
      TranscriptSegment seg;
      seg.body = std::string(line);
      t.segments.push_back(std::move(seg));
      open = true;
    }
  }
  std::erase_if(t.segments, [](const TranscriptSegment& s) { return s.body.empty(); });
  return t;
}

Result<std::vector<Chapter>> parse_json_chapters(std::string_view path, std::string_view input) {
  Result<std::string_view> prepared = prepare(path, input);
  if (!prepared) {
    return std::move(prepared).error();
  }
  Result<Json> json = parse_json(path, *prepared);
  if (!json) {
    return std::move(json).error();
  }
  Result<const Json*> list = root_array(path, *json, "chapters", /*version_required=*/true);
  if (!list) {
    return std::move(list).error();
  }
  std::vector<Chapter> chapters;
  chapters.reserve((*list)->size());
  std::size_t index = 0;
  for (const Json& item : **list) {
    std::string where = item_prefix("chapters", index++);
    if (!item.is_object()) {
      return error_at(path, 0, where + "not an object");
    }
    Chapter ch;
    std::optional<double> start;
    if (Status st = read_time(path, item, "startTime", true, where, start); !st) {
      return st.error();
    }
    ch.start = *start;
    if (Status st = read_time(path, item, "endTime", false, where, ch.end); !st) {
      return st.error();
    }
    for (auto [key, field] :
         {std::pair{"title", &ch.title}, std::pair{"img", &ch.img}, std::pair{"url", &ch.url}}) {
      if (Status st = read_string(path, item, key, where, *field); !st) {
        return st.error();
      }
    }
    if (auto toc = item.find("toc"); toc != item.end() && !toc->is_null()) {
      if (!toc->is_boolean()) {
        return error_at(path, 0, where + "toc is not a boolean");
      }
      ch.toc = toc->get<bool>();
    }
    // Chapter has no place for a location; it is checked for shape and dropped.
    if (auto loc = item.find("location");
        loc != item.end() && !loc->is_null() && !loc->is_object()) {
      return error_at(path, 0, where + "location is not an object");
    }
    chapters.push_back(std::move(ch));
  }
  std::stable_sort(chapters.begin(), chapters.end(),
                   [](const Chapter& a, const Chapter& b) { return a.start < b.start; });
  return chapters;
}

}  // namespace podcastd::catalog
