#include "catalog/text_page.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "catalog/text.hpp"
#include "catalog/time.hpp"

namespace podcastd::catalog {
namespace {

using std::string_view;

constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kMaxSubtitleBytes = 160;
constexpr std::size_t kMaxHeadingBytes = 70;
constexpr std::size_t kMaxHeadingWords = 8;
constexpr std::size_t kMaxLabelBytes = 50;  // "Speaker Name:" prefix of a transcript turn
// A line at least this long that ends a sentence is a paragraph, not a wrapped caption line.
constexpr std::size_t kParagraphLineBytes = 160;
// Speaker-less transcript segments close at a sentence end or once they are this long.
constexpr std::size_t kChunkBytes = 1000;
constexpr std::size_t kHeaderLines = 3;  // subtitle and date lines below the title
constexpr std::size_t kShowHeaderLines = 20;

// ---- characters and words ----

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
bool is_blank_char(char c) { return c == ' ' || c == '\t'; }

bool all_digits(string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

bool starts_with(string_view s, string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(string_view s, string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// The first code point of `s` (input is valid UTF-8 by the time this runs; a malformed or
// truncated sequence is read as its first byte).
std::uint32_t first_code_point(string_view s) {
  if (s.empty()) {
    return 0;
  }
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(0);
  std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  if (n > s.size() || (c & 0xC0) == 0x80 || c >= 0xF8) {
    return c;
  }
  std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (std::size_t k = 1; k < n; ++k) {
    cp = (cp << 6) | (byte(k) & 0x3Fu);
  }
  return cp;
}

enum class Case { none, upper, lower };

// Letter case for ASCII, Latin-1, Latin Extended-A, the Romanian comma letters, Greek and
// Cyrillic: enough for names and headings on the pages we read.
Case letter_case(std::uint32_t cp) {
  if (cp < 0x80) {
    char c = static_cast<char>(cp);
    return is_upper(c) ? Case::upper : is_lower(c) ? Case::lower : Case::none;
  }
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
    return Case::upper;
  }
  if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) {
    return Case::lower;
  }
  if (cp >= 0x100 && cp <= 0x17F) {
    if (cp == 0x138 || cp == 0x149 || cp == 0x17F) {
      return Case::lower;
    }
    if (cp == 0x178) {
      return Case::upper;
    }
    bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    return ((cp % 2 == 1) == odd_upper) ? Case::upper : Case::lower;
  }
  if (cp >= 0x218 && cp <= 0x21B) {
    return cp % 2 == 0 ? Case::upper : Case::lower;
  }
  if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F)) {
    return Case::upper;
  }
  if ((cp >= 0x3B1 && cp <= 0x3C9) || (cp >= 0x430 && cp <= 0x45F)) {
    return Case::lower;
  }
  return Case::none;
}

Case first_case(string_view s) { return letter_case(first_code_point(s)); }

// Words separated by runs of spaces and tabs.
std::vector<string_view> words(string_view s) {
  std::vector<string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_blank_char(s[i])) {
      ++i;
    }
    std::size_t start = i;
    while (i < s.size() && !is_blank_char(s[i])) {
      ++i;
    }
    if (i > start) {
      out.push_back(s.substr(start, i - start));
    }
  }
  return out;
}

// True when `s` ends a sentence: '.', '!', '?' or '…', possibly followed by closing quotes or
// brackets.
bool ends_sentence(string_view s) {
  while (!s.empty()) {
    if (s.back() == ')' || s.back() == ']' || s.back() == '"' || s.back() == '\'') {
      s.remove_suffix(1);
    } else if (ends_with(s, "\xE2\x80\x9D") || ends_with(s, "\xE2\x80\x99")) {  // ” ’
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  if (s.empty()) {
    return false;
  }
  char c = s.back();
  return c == '.' || c == '!' || c == '?' || ends_with(s, "\xE2\x80\xA6");
}

bool ends_clause(string_view s) {
  return ends_sentence(s) || (!s.empty() && (s.back() == ':' || s.back() == ';'));
}

// ---- lines ----

struct Line {
  string_view text;  // trimmed
  std::size_t indent = 0;
  int no = 0;  // 1-based
  bool blank() const { return text.empty(); }
};

std::vector<Line> make_lines(string_view body) {
  std::vector<Line> out;
  int no = 0;
  for (string_view raw : text::split_lines(body)) {
    ++no;
    string_view left = text::trim_left(raw);
    out.push_back(Line{text::trim_right(left), raw.size() - left.size(), no});
  }
  return out;
}

// ---- bullets and URLs ----

// The item text of a list line ("- x", "* x", "• x", "· x", "– x", "◦ x"), or nullopt.
std::optional<string_view> strip_bullet(string_view t) {
  if (t.size() < 3 || (t[0] != '-' && t[0] != '*' && !is_non_ascii(t[0]))) {
    return std::nullopt;
  }
  static constexpr string_view kBullets[] = {
      "-", "*", "\xE2\x80\xA2", "\xC2\xB7", "\xE2\x80\x93", "\xE2\x97\xA6", "\xE2\x96\xAA"};
  for (string_view b : kBullets) {
    if (starts_with(t, b) && t.size() > b.size() && is_blank_char(t[b.size()])) {
      string_view rest = text::trim(t.substr(b.size()));
      if (!rest.empty()) {
        return rest;
      }
    }
  }
  return std::nullopt;
}

struct UrlSpan {
  std::size_t pos = 0;
  std::size_t len = 0;
};

// The first http(s) URL in `s`: up to whitespace or <>"; trailing punctuation is not part of
// it, nor is a closing ')' without a matching '(' inside the URL.
std::optional<UrlSpan> find_url(string_view s) {
  std::size_t pos = string_view::npos;
  for (std::size_t i = s.find("http"); i != string_view::npos; i = s.find("http", i + 1)) {
    if (starts_with(s.substr(i), "https://") || starts_with(s.substr(i), "http://")) {
      pos = i;
      break;
    }
  }
  if (pos == string_view::npos) {
    return std::nullopt;
  }
  std::size_t end = pos;
  while (end < s.size() && !is_blank_char(s[end]) && s[end] != '<' && s[end] != '>' &&
         s[end] != '"' && s[end] != '\r' && s[end] != '\n') {
    ++end;
  }
  string_view url = s.substr(pos, end - pos);
  // A ')' closing a bracket opened before the URL is not part of it; one balancing a '(' inside
  // it is ("https://en.wikipedia.org/wiki/Rust_(language)").
  auto unbalanced =
      std::count(url.begin(), url.end(), ')') - std::count(url.begin(), url.end(), '(');
  while (!url.empty()) {
    char c = url.back();
    bool closing = c == ')' && unbalanced > 0;
    if (!closing && c != '.' && c != ',' && c != ';' && c != ':' && c != '!' && c != '?' &&
        c != '\'' && c != ']') {
      break;
    }
    unbalanced -= closing ? 1 : 0;
    url.remove_suffix(1);
  }
  std::size_t scheme = starts_with(url, "https://") ? 8 : 7;
  if (url.size() <= scheme) {
    return std::nullopt;
  }
  return UrlSpan{pos, url.size()};
}

// Escapes `s` for HTML text, wrapping http(s) URLs in <a href>.
void append_linkified(std::string& out, string_view s) {
  while (auto span = find_url(s)) {
    text::append_html_escaped(out, s.substr(0, span->pos));
    string_view url = s.substr(span->pos, span->len);
    out += "<a href=\"";
    text::append_html_escaped(out, url);
    out += "\">";
    text::append_html_escaped(out, url);
    out += "</a>";
    s.remove_prefix(span->pos + span->len);
  }
  text::append_html_escaped(out, s);
}

// ---- names ----

bool is_particle(string_view w) {
  static constexpr string_view kParticles[] = {"van", "von", "de",  "der",   "den", "da",
                                               "di",  "du",  "del", "della", "la",  "le",
                                               "bin", "ibn", "al",  "el",    "ten", "ter"};
  return std::find(std::begin(kParticles), std::end(kParticles), w) != std::end(kParticles);
}

// A capitalised word of letters, '-', '\'', '’' and '.' ("Kroah-Hartman", "O'Neil", "J.").
bool is_name_word(string_view w) {
  if (first_case(w) != Case::upper) {
    return false;
  }
  return std::all_of(w.begin(), w.end(), [](char c) {
    return is_alpha(c) || is_non_ascii(c) || c == '-' || c == '\'' || c == '.';
  });
}

// 1-4 (min..max) capitalised words; particles inside ("Ludwig van Beethoven") and, with
// `allow_number`, a final number ("Speaker 2").
bool is_name(string_view s, std::size_t min_words, std::size_t max_words, bool allow_number) {
  std::vector<string_view> ws = words(s);
  if (ws.size() < min_words || ws.size() > max_words) {
    return false;
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    bool last = i + 1 == ws.size();
    if (is_name_word(ws[i]) || (i > 0 && !last && is_particle(ws[i])) ||
        (i > 0 && last && allow_number && all_digits(ws[i]) && ws[i].size() <= 3)) {
      continue;
    }
    return false;
  }
  return true;
}

// Words that start "Word: text" lines in speech or notes without being speakers.
bool is_label_stop_word(string_view w) {
  static constexpr string_view kStop[] = {
      "Note",    "Notes",      "Update",    "Edit",      "Example", "Warning", "Tip",    "Step",
      "Bonus",   "Disclaimer", "Important", "Source",    "Sources", "Summary", "Answer", "Question",
      "Yes",     "No",         "Well",      "So",        "And",     "But",     "Or",     "Right",
      "Okay",    "OK",         "Ok",        "Now",       "Then",    "Here",    "There",  "This",
      "That",    "These",      "Those",     "It",        "The",     "My",      "Our",    "Your",
      "His",     "Her",        "Their",     "In",        "On",      "At",      "For",    "With",
      "From",    "To",         "If",        "When",      "What",    "Why",     "How",    "Who",
      "Where",   "First",      "Second",    "Third",     "Finally", "Also",    "Plus",   "PS",
      "P.S.",    "Episode",    "Part",      "Chapter",   "Season",  "Spoiler", "Fact",   "Result",
      "Problem", "Solution",   "Quote",     "Reminder",  "Hint",    "Caution", "Error",  "Link",
      "Links",   "Website",    "Email",     "Transcript"};
  return std::find(std::begin(kStop), std::end(kStop), w) != std::end(kStop);
}

// ---- dates and durations ----

std::optional<UnixTime> parse_date_token(string_view tok) {
  while (!tok.empty() && (tok.back() == ',' || tok.back() == ';')) {
    tok.remove_suffix(1);
  }
  if (tok.size() < 8) {
    return std::nullopt;
  }
  if (auto t = timefmt::parse_rfc3339(tok)) {
    return t;
  }
  return timefmt::parse_dmy(tok);
}

// "2025-13-45", "31.02.2025": digit groups with two date separators that failed to parse.
bool looks_like_date_token(string_view tok) {
  int groups = 0;
  int separators = 0;
  bool in_digits = false;
  for (char c : tok) {
    if (is_digit(c)) {
      if (!in_digits) {
        ++groups;
      }
      in_digits = true;
    } else if (c == '-' || c == '.' || c == '/') {
      ++separators;
      in_digits = false;
    } else if (c != ',') {
      return false;
    }
  }
  return groups == 3 && separators >= 2;
}

int month_from_name(string_view w) {
  while (!w.empty() && (w.back() == '.' || w.back() == ',')) {
    w.remove_suffix(1);
  }
  if (w.size() < 3) {
    return 0;
  }
  static constexpr string_view kEnglish[] = {"january",   "february", "march",    "april",
                                             "may",       "june",     "july",     "august",
                                             "september", "october",  "november", "december"};
  static constexpr string_view kGerman[] = {"januar",    "februar", "m\xC3\xA4rz", "april",
                                            "mai",       "juni",    "juli",        "august",
                                            "september", "oktober", "november",    "dezember"};
  std::string lower = text::to_lower_ascii(w);
  for (int m = 0; m < 12; ++m) {
    if (starts_with(kEnglish[m], lower) || lower == kGerman[m]) {
      return m + 1;
    }
  }
  return 0;
}

// "1", "1,", "1.", "1st" -> 1; 0 when not a day number.
int day_from_token(string_view w) {
  while (!w.empty() && (w.back() == '.' || w.back() == ',')) {
    w.remove_suffix(1);
  }
  if (w.size() > 2 &&
      (ends_with(w, "st") || ends_with(w, "nd") || ends_with(w, "rd") || ends_with(w, "th"))) {
    w.remove_suffix(2);
  }
  if (w.empty() || w.size() > 2 || !all_digits(w)) {
    return 0;
  }
  return w.size() == 1 ? w[0] - '0' : (w[0] - '0') * 10 + (w[1] - '0');
}

std::optional<UnixTime> civil_time(int year, int month, int day) {
  if (!timefmt::is_valid_date(year, month, day)) {
    return std::nullopt;
  }
  return timefmt::days_from_civil(year, month, day) * 86400;
}

struct DatePrefix {
  std::optional<UnixTime> date;
  std::size_t words = 0;  // how many words the date took
};

// A date at the start of `ws`: "2025-05-01", "21.05.2026", "21/05/2026", "May 1, 2025",
// "1 May 2025", "1. Mai 2025".
DatePrefix parse_date_prefix(const std::vector<string_view>& ws) {
  if (ws.empty()) {
    return {};
  }
  if (auto t = parse_date_token(ws[0])) {
    return {t, 1};
  }
  if (ws.size() >= 3) {
    string_view year = ws[2];
    while (!year.empty() && (year.back() == ',' || year.back() == '.')) {
      year.remove_suffix(1);
    }
    if (year.size() == 4 && all_digits(year)) {
      int y =
          (year[0] - '0') * 1000 + (year[1] - '0') * 100 + (year[2] - '0') * 10 + (year[3] - '0');
      int m = month_from_name(ws[0]);
      int d = day_from_token(ws[1]);
      if (m == 0 || d == 0) {
        m = month_from_name(ws[1]);
        d = day_from_token(ws[0]);
      }
      if (m != 0 && d != 0) {
        if (auto t = civil_time(y, m, d)) {
          return {t, 3};
        }
      }
    }
  }
  return {};
}

// Durations as pages write them ("69 min", "49min", "1h 21min", "49 Min.", "1 Std. 5 Min.",
// "1:09:00"). A bare number is not a duration here: it is too likely to be something else.
std::optional<double> parse_duration_loose(string_view s) {
  s = text::trim(s);
  std::string norm;
  norm.reserve(s.size());
  bool unit = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && i > 0 && is_alpha(s[i - 1])) {
      continue;  // "Min." -> "min"
    }
    if (is_alpha(c) || c == ':') {
      unit = true;
    }
    norm.push_back(is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (!unit || norm.empty()) {
    return std::nullopt;
  }
  std::optional<double> d = text::parse_human_duration(norm);
  if (!d || !(*d >= 0) || *d > 100 * 3600.0) {
    return std::nullopt;
  }
  return d;
}

// Separators seen between a date and a duration: "·", "|", "-", "–", "—", "•", ",".
string_view strip_separators(string_view s) {
  static constexpr string_view kSeparators[] = {
      "\xC2\xB7", "|", "-", ",", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\xA2"};
  bool again = true;
  while (again) {
    again = false;
    s = text::trim(s);
    for (string_view sep : kSeparators) {
      if (starts_with(s, sep)) {
        s.remove_prefix(sep.size());
        again = true;
      }
    }
  }
  return s;
}

struct DateLine {
  bool matched = false;  // the line is a date and/or duration line (parsed or not)
  std::optional<UnixTime> date;
  std::optional<double> duration;
  std::string problem;  // why part of a matched line did not parse
};

DateLine parse_date_line(string_view t) {
  DateLine out;
  if (t.empty() || t.size() > 80) {
    return out;
  }
  std::vector<string_view> ws = words(t);
  DatePrefix prefix = parse_date_prefix(ws);
  if (prefix.date) {
    out.matched = true;
    out.date = prefix.date;
    string_view last = ws[prefix.words - 1];
    std::size_t rest_pos = static_cast<std::size_t>(last.data() - t.data()) + last.size();
    string_view rest = strip_separators(t.substr(rest_pos));
    if (!rest.empty()) {
      out.duration = parse_duration_loose(rest);
      if (!out.duration) {
        out.problem = "unparsable duration '" + std::string(rest) + "'";
      }
    }
    return out;
  }
  if (!ws.empty() && looks_like_date_token(ws[0])) {
    out.matched = true;
    out.problem = "unparsable date line '" + std::string(t) + "'";
    return out;
  }
  if (is_digit(t[0])) {
    out.duration = parse_duration_loose(t);
    out.matched = out.duration.has_value();
  }
  return out;
}

// "HH:MM:SS" / "MM:SS" and nothing else.
std::optional<double> parse_clock_line(string_view t) {
  if (t.size() < 4 || t.size() > 12 || t.find(':') == string_view::npos) {
    return std::nullopt;
  }
  if (!std::all_of(t.begin(), t.end(), [](char c) { return is_digit(c) || c == ':'; })) {
    return std::nullopt;
  }
  return text::parse_clock(t);
}

// ---- headings ----

enum class SectionKind { description, notes, links, about, chapters, transcript };

struct KnownHeading {
  string_view key;  // heading_key() form
  SectionKind kind;
  bool ends_transcript;  // distinctive enough to end a transcript
};

constexpr KnownHeading kKnownHeadings[] = {
    {"description", SectionKind::description, false},
    {"description & show notes", SectionKind::description, true},
    {"episode description", SectionKind::description, true},
    {"show notes", SectionKind::description, true},
    {"shownotes", SectionKind::description, true},
    {"episode notes", SectionKind::description, true},
    {"summary", SectionKind::description, false},
    {"notes", SectionKind::notes, false},
    {"about", SectionKind::notes, false},
    {"about us", SectionKind::notes, true},
    {"about the show", SectionKind::notes, true},
    {"about the podcast", SectionKind::notes, true},
    {"about the guest", SectionKind::notes, true},
    {"about the guests", SectionKind::notes, true},
    {"about the host", SectionKind::notes, true},
    {"about the hosts", SectionKind::notes, true},
    {"credits", SectionKind::notes, true},
    {"sponsors", SectionKind::notes, true},
    {"sponsor", SectionKind::notes, true},
    {"our sponsors", SectionKind::notes, true},
    {"sponsored by", SectionKind::notes, true},
    {"support the show", SectionKind::notes, true},
    {"support us", SectionKind::notes, true},
    {"guests", SectionKind::notes, false},
    {"guest", SectionKind::notes, false},
    {"hosts", SectionKind::notes, false},
    {"host", SectionKind::notes, false},
    {"links", SectionKind::links, true},
    {"official links", SectionKind::links, true},
    {"links from the episode", SectionKind::links, true},
    {"links from this episode", SectionKind::links, true},
    {"episode links", SectionKind::links, true},
    {"show links", SectionKind::links, true},
    {"related links", SectionKind::links, true},
    {"useful links", SectionKind::links, true},
    {"resources", SectionKind::links, true},
    {"references", SectionKind::links, true},
    {"further reading", SectionKind::links, true},
    {"mentioned in this episode", SectionKind::links, true},
    {"mentioned in the episode", SectionKind::links, true},
    {"chapters", SectionKind::chapters, true},
    {"chapter markers", SectionKind::chapters, true},
    {"episode chapters", SectionKind::chapters, true},
    {"timestamps", SectionKind::chapters, true},
    {"time stamps", SectionKind::chapters, true},
    {"kapitel", SectionKind::chapters, true},
    {"chapitres", SectionKind::chapters, true},
    {"transcript", SectionKind::transcript, false},
    {"full transcript", SectionKind::transcript, false},
    {"episode transcript", SectionKind::transcript, false},
    {"transcription", SectionKind::transcript, false},
    {"transkript", SectionKind::transcript, false},
};

// Lower-case ASCII, single spaces, " and " as " & ", no trailing ':'.
std::string heading_key(string_view t) {
  std::string key = text::to_lower_ascii(text::collapse_whitespace(t));
  while (!key.empty() && (key.back() == ':' || key.back() == ' ')) {
    key.pop_back();
  }
  for (std::size_t pos = key.find(" and "); pos != std::string::npos;
       pos = key.find(" and ", pos + 1)) {
    key.replace(pos, 5, " & ");
  }
  return key;
}

const KnownHeading* known_heading(string_view t) {
  // The longest key is 25 bytes; the bound leaves room for spacing and a colon and keeps this
  // cheap on long lines.
  if (t.empty() || t.size() > 40 || first_case(t) != Case::upper) {
    return nullptr;
  }
  std::string key = heading_key(t);
  for (const KnownHeading& h : kKnownHeadings) {
    if (key == h.key) {
      return &h;
    }
  }
  return nullptr;
}

bool is_small_word(string_view w) {
  static constexpr string_view kSmall[] = {
      "a",   "an", "the",  "and",  "or",  "but", "of",  "in",  "on",   "at",  "to",
      "for", "by", "with", "from", "as",  "vs",  "vs.", "via", "into", "per", "&",
      "+",   "-",  "und",  "et",   "y",   "de",  "der", "die", "das",  "le",  "la",
      "les", "du", "des",  "el",   "los", "las", "da",  "di",  "e",    "si",  "\xC8\x99i"};  // și
  std::string lower = text::to_lower_ascii(w);
  return std::find(std::begin(kSmall), std::end(kSmall), lower) != std::end(kSmall);
}

// Title Case: an upper-case first word, and every other word capitalised, a number, or a
// small word ("All Episodes of Season 4", "Proudly Supported by CodeCrafters").
bool is_title_case(string_view t, std::size_t max_words) {
  std::vector<string_view> ws = words(t);
  if (ws.empty() || ws.size() > max_words) {
    return false;
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    string_view w = ws[i];
    while (!w.empty() && (w.front() == '(' || w.front() == '"' || w.front() == '\'')) {
      w.remove_prefix(1);
    }
    if (w.empty() || w == "\xE2\x80\x93" || w == "\xE2\x80\x94" || w == "|") {
      continue;
    }
    if (first_case(w) == Case::upper || (i > 0 && is_digit(w[0]))) {
      continue;
    }
    if (i > 0 && is_small_word(w)) {
      continue;
    }
    return false;
  }
  return first_case(ws[0]) == Case::upper;
}

bool is_heuristic_heading(string_view t) {
  if (t.empty() || t.size() > kMaxHeadingBytes || first_case(t) != Case::upper) {
    return false;
  }
  char last = t.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' || last == '?' ||
      ends_with(t, "\xE2\x80\xA6")) {
    return false;
  }
  if (t.find(": ") != string_view::npos || t.find(" - ") != string_view::npos || find_url(t)) {
    return false;
  }
  return is_title_case(t, kMaxHeadingWords);
}

bool contains_word_ci(string_view t, string_view word) {
  for (string_view w : words(t)) {
    if (text::iequals_ascii(w, word)) {
      return true;
    }
  }
  return false;
}

// The kind of section a heading line starts, or nullopt when the line is not a heading.
std::optional<SectionKind> classify_heading(string_view t) {
  if (const KnownHeading* h = known_heading(t)) {
    return h->kind;
  }
  if (!is_heuristic_heading(t)) {
    return std::nullopt;
  }
  if (starts_with(t, "About ")) {
    return SectionKind::about;
  }
  if (contains_word_ci(t, "links") || contains_word_ci(t, "resources") ||
      contains_word_ci(t, "references")) {
    return SectionKind::links;
  }
  return SectionKind::notes;
}

// ---- transcript turns ----

struct Turn {
  std::string speaker;
  string_view body;
};

// "Speaker: text" (and the Q/A and audience forms) -> the turn; `sole_guest` answers "A."
std::optional<Turn> parse_turn(string_view t, const std::string& sole_guest) {
  // Page artefacts: a turn label after stray punctuation (", Matthias: and ...").
  std::size_t skip = 0;
  while (skip < t.size() && skip < 3 && (t[skip] == ',' || t[skip] == '.' || t[skip] == ';')) {
    ++skip;
  }
  if (skip > 0) {
    t = text::trim_left(t.substr(skip));
  }
  if (t.size() < 3) {
    return std::nullopt;
  }
  auto after_marker = [&](std::size_t n) { return n >= t.size() || is_blank_char(t[n]); };
  if (t[0] == 'Q' && (starts_with(t, "Q.") || starts_with(t, "Q:")) && after_marker(2)) {
    return Turn{"Interviewer", text::trim(t.substr(2))};
  }
  if (t[0] == 'A' && (starts_with(t, "A.") || starts_with(t, "A:")) && after_marker(2) &&
      skip == 0) {
    return Turn{sole_guest, text::trim(t.substr(2))};
  }
  std::size_t colon = t.find(':');
  if (colon == string_view::npos || colon == 0 || colon > 80 || !after_marker(colon + 1)) {
    return std::nullopt;
  }
  string_view label = text::trim(t.substr(0, colon));
  string_view body = text::trim(t.substr(colon + 1));
  if (label == "Question") {
    return Turn{"Interviewer", body};
  }
  if (label == "Answer" && skip == 0) {
    return Turn{sole_guest, body};
  }
  if (text::to_lower_ascii(label).find("audience") != std::string::npos) {
    return Turn{"Audience", body};
  }
  if (colon > kMaxLabelBytes || !is_name(label, 1, 4, true)) {
    return std::nullopt;
  }
  if (is_label_stop_word(words(label).front())) {
    return std::nullopt;
  }
  return Turn{std::string(label), body};
}

bool is_question_line(string_view t) {
  return (starts_with(t, "Q. ") || starts_with(t, "Q: ")) && t.size() > 3;
}

// ---- glued sentences ----

// Splits "...at Google.I have..." into paragraphs (see the header for the rule).
std::vector<std::string> split_glued_sentences(string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if ((c != '.' && c != '!' && c != '?') || !is_upper(s[i + 1])) {
      continue;
    }
    char after = i + 2 < s.size() ? s[i + 2] : ' ';
    if (!is_lower(after) && after != ' ' && after != '\'' && !is_non_ascii(after)) {
      continue;  // an acronym: "U.S.A", ".NET"
    }
    char prev = s[i - 1];
    bool word_end = is_lower(prev) || is_digit(prev) || is_non_ascii(prev) || prev == ')' ||
                    prev == '"' || (is_upper(prev) && i >= 2 && is_alpha(s[i - 2]));
    if (!word_end) {
      continue;
    }
    string_view piece = text::trim(s.substr(start, i + 1 - start));
    if (!piece.empty()) {
      out.emplace_back(piece);
    }
    start = i + 1;
  }
  string_view rest = text::trim(s.substr(std::min(start, s.size())));
  if (!rest.empty()) {
    out.emplace_back(rest);
  }
  return out;
}

// ---- guests ----

// Guests from a title "... with NAME", "... with A and B", "... with A & B", "with A, B and C".
std::vector<Person> guests_from_title(string_view title) {
  std::vector<Person> out;
  if (title.size() > kMaxTitleBytes) {
    return out;  // listing lines can be anything; keep this cheap
  }
  std::size_t with = string_view::npos;
  std::size_t with_len = 0;
  for (string_view w : {" with ", " mit ", " avec ", " con ", " cu "}) {
    std::size_t pos = title.rfind(w);
    if (pos != string_view::npos && (with == string_view::npos || pos > with)) {
      with = pos;
      with_len = w.size();
    }
  }
  if (with == string_view::npos) {
    return out;
  }
  std::string rest(title.substr(with + with_len));
  // Drop parentheticals: "Tom Hacohen (Svix)".
  std::string cleaned;
  int depth = 0;
  for (char c : rest) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      depth = depth > 0 ? depth - 1 : 0;
    } else if (depth == 0) {
      cleaned.push_back(c);
    }
  }
  for (string_view sep : {" and ", " & ", ", ", " + ", " und ", " et ", " y ", " și "}) {
    for (std::size_t pos = cleaned.find(sep); pos != std::string::npos;
         pos = cleaned.find(sep, pos + 1)) {
      cleaned.replace(pos, sep.size(), "\x1F");
    }
  }
  for (string_view part : text::split(cleaned, '\x1F')) {
    string_view name = text::trim(part);
    if (!is_name(name, 2, 4, false)) {
      break;
    }
    Person p;
    p.name = text::collapse_whitespace(name);
    p.role = "guest";
    out.push_back(std::move(p));
  }
  return out;
}

// ---- links ----

std::optional<Link> parse_link_markdown(string_view item) {
  if (item.empty() || item[0] != '[') {
    return std::nullopt;
  }
  std::size_t close = item.find("](");
  if (close == string_view::npos) {
    return std::nullopt;
  }
  std::size_t end = item.find(')', close + 2);
  if (end == string_view::npos) {
    return std::nullopt;
  }
  string_view url = text::trim(item.substr(close + 2, end - close - 2));
  auto span = find_url(url);
  if (!span || span->pos != 0 || span->len != url.size()) {
    return std::nullopt;
  }
  Link link;
  link.title = std::string(text::trim(item.substr(1, close - 1)));
  link.url = std::string(url);
  link.description = std::string(strip_separators(item.substr(end + 1)));
  return link;
}

// "Title - description", "Title - https://...", "Title: https://...", "Title (https://...)".
Link parse_link_item(string_view item) {
  if (auto md = parse_link_markdown(item)) {
    return *md;
  }
  Link link;
  std::string rest(item);
  if (auto span = find_url(item)) {
    link.url = std::string(item.substr(span->pos, span->len));
    std::size_t from = span->pos;
    std::size_t to = span->pos + span->len;
    // Brackets around the URL go with it.
    if (from > 0 && to < item.size() &&
        ((item[from - 1] == '(' && item[to] == ')') ||
         (item[from - 1] == '<' && item[to] == '>'))) {
      --from;
      ++to;
    }
    rest = std::string(item.substr(0, from)) + std::string(item.substr(to));
  }
  string_view r = text::trim(rest);
  static constexpr string_view kDashes[] = {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "};
  std::size_t cut = string_view::npos;
  std::size_t cut_len = 0;
  for (string_view d : kDashes) {
    std::size_t pos = r.find(d);
    if (pos < cut) {
      cut = pos;
      cut_len = d.size();
    }
  }
  string_view title = r;
  string_view description;
  if (cut != string_view::npos) {
    title = r.substr(0, cut);
    description = r.substr(cut + cut_len);
  }
  title = text::trim(title);
  // "Title -" / "Title:" / "Title: ." left over when the URL followed the separator.
  while (!title.empty() && (title.back() == ':' || title.back() == '-' ||
                            (link.url.size() > 0 && (title.back() == '.' || title.back() == ',' ||
                                                     title.back() == ';')))) {
    title = text::trim(title.substr(0, title.size() - 1));
  }
  for (string_view d : {"\xE2\x80\x93", "\xE2\x80\x94"}) {
    if (ends_with(title, d)) {
      title = text::trim(title.substr(0, title.size() - d.size()));
    }
  }
  link.title = std::string(title);
  link.description = std::string(strip_separators(description));
  if (link.title.empty()) {
    link.title = link.url;
  }
  return link;
}

// "Title: https://..." / "Title - https://..." lines without a bullet; a bare URL line too
// in link sections.
bool is_link_line(string_view t, bool link_section) {
  auto span = find_url(t);
  if (!span) {
    return false;
  }
  string_view before = text::trim(t.substr(0, span->pos));
  if (before.empty()) {
    return link_section && span->pos + span->len == t.size();
  }
  return before.size() <= 100 &&
         (ends_with(before, ":") || ends_with(before, "-") || ends_with(before, "\xE2\x80\x93"));
}

// ---- chapters ----

std::optional<Chapter> parse_chapter_line(string_view t) {
  if (auto item = strip_bullet(t)) {
    t = *item;
  }
  bool bracket = !t.empty() && (t[0] == '[' || t[0] == '(');
  if (bracket) {
    t.remove_prefix(1);
  }
  std::size_t n = 0;
  while (n < t.size() && (is_digit(t[n]) || t[n] == ':' || t[n] == '.')) {
    ++n;
  }
  string_view clock = t.substr(0, n);
  while (!clock.empty() && clock.back() == '.') {
    clock.remove_suffix(1);
  }
  if (clock.find(':') == string_view::npos) {
    return std::nullopt;
  }
  std::optional<double> start = text::parse_clock(clock);
  if (!start) {
    return std::nullopt;
  }
  string_view rest = t.substr(n);
  if (bracket) {
    if (rest.empty() || (rest[0] != ']' && rest[0] != ')')) {
      return std::nullopt;
    }
    rest.remove_prefix(1);
  } else if (!rest.empty() && !is_blank_char(rest[0]) && rest[0] != '-' && rest[0] != '|') {
    return std::nullopt;
  }
  rest = strip_separators(rest);
  while (!rest.empty() && (rest[0] == ':' || rest[0] == '.')) {
    rest = text::trim(rest.substr(1));
  }
  if (rest.empty()) {
    return std::nullopt;
  }
  Chapter chapter;
  chapter.start = *start;
  if (auto span = find_url(rest)) {
    chapter.url = std::string(rest.substr(span->pos, span->len));
    std::string title =
        std::string(rest.substr(0, span->pos)) + std::string(rest.substr(span->pos + span->len));
    std::string collapsed = text::collapse_whitespace(title);
    string_view tv = collapsed;
    while (!tv.empty() && (tv.back() == '-' || tv.back() == ':' || tv.back() == '(' ||
                           tv.back() == ')' || tv.back() == ' ')) {
      tv.remove_suffix(1);
    }
    chapter.title = std::string(tv);
    if (chapter.title.empty()) {
      chapter.title = chapter.url;
    }
  } else {
    chapter.title = std::string(rest);
  }
  return chapter;
}

// ---- the episode page ----

struct Section {
  SectionKind kind = SectionKind::description;
  std::string heading;  // as written; "" for the text under the header and implicit transcripts
  int heading_line = 0;
  std::vector<Line> lines;   // blank lines included
  bool has_content = false;  // a non-blank line was added

  void add(const Line& line) {
    lines.push_back(line);
    has_content = has_content || !line.blank();
  }
};

struct ListItem {
  std::string text;
  bool link_line = false;  // "Title: https://..." written without a bullet
};

struct Block {
  bool list = false;
  std::string paragraph;
  std::vector<ListItem> items;
};

std::vector<Block> build_blocks(const std::vector<Line>& lines, bool link_section) {
  std::vector<Block> blocks;
  bool open_paragraph = false;  // the last block is a paragraph the next line may continue
  bool open_item = false;       // the last line was a list item (continuations may follow)
  string_view prev;
  for (const Line& line : lines) {
    if (line.blank()) {
      open_paragraph = false;
      open_item = false;
      continue;
    }
    std::optional<string_view> item = strip_bullet(line.text);
    bool link_line = !item && is_link_line(line.text, link_section);
    if (item || link_line) {
      if (blocks.empty() || !blocks.back().list) {
        blocks.push_back(Block{true, {}, {}});
      }
      blocks.back().items.push_back(ListItem{std::string(item ? *item : line.text), link_line});
      open_item = true;
      open_paragraph = false;
      prev = line.text;
      continue;
    }
    if (open_item && line.indent > 0 && !blocks.empty() && blocks.back().list) {
      blocks.back().items.back().text += ' ';
      blocks.back().items.back().text += line.text;
      prev = line.text;
      continue;
    }
    open_item = false;
    if (open_paragraph && !ends_clause(prev) && first_case(line.text) == Case::lower) {
      blocks.back().paragraph += ' ';
      blocks.back().paragraph += line.text;
    } else {
      blocks.push_back(Block{false, std::string(line.text), {}});
    }
    open_paragraph = true;
    prev = line.text;
  }
  return blocks;
}

class EpisodeParser {
 public:
  EpisodeParser(string_view path, const std::vector<Line>& lines, TextPage& page)
      : path_(path), lines_(lines), page_(page), ep_(page.episode) {}

  void run(std::size_t title_index) {
    ep_.title = text::collapse_whitespace(lines_[title_index].text);
    ep_.persons = guests_from_title(ep_.title);
    if (ep_.persons.size() == 1) {
      sole_guest_ = ep_.persons[0].name;
    }
    std::size_t end = strip_timeline(title_index + 1);
    std::size_t body = parse_header(title_index + 1, end);
    split_sections(body, end);
    build();
  }

 private:
  void warn(int line, std::string message) {
    page_.warnings.push_back(
        Diagnostic{Diagnostic::Severity::warning, std::string(path_), line, std::move(message)});
  }

  std::size_t next_non_blank(std::size_t i, std::size_t end) const {
    while (i < end && lines_[i].blank()) {
      ++i;
    }
    return i;
  }

  // Removes a trailing speaker timeline (name line, time line, repeated) found at or after
  // lines_[first]; returns the end of the remaining lines.
  std::size_t strip_timeline(std::size_t first) {
    std::size_t end = lines_.size();
    std::vector<SpeakerTurn> turns;
    std::vector<int> line_numbers;
    std::size_t cut = end;
    std::size_t i = end;
    auto prev_non_blank = [&](std::size_t k) -> std::size_t {
      while (k > 0 && lines_[k - 1].blank()) {
        --k;
      }
      return k;  // one past the previous non-blank line, or 0
    };
    while (true) {
      std::size_t t = prev_non_blank(i);
      if (t == 0) {
        break;
      }
      std::optional<double> at = parse_clock_line(lines_[t - 1].text);
      if (!at) {
        break;
      }
      std::size_t n = prev_non_blank(t - 1);
      if (n <= first || !is_name(lines_[n - 1].text, 1, 4, true) ||
          is_label_stop_word(words(lines_[n - 1].text).front())) {
        break;
      }
      turns.push_back(SpeakerTurn{text::collapse_whitespace(lines_[n - 1].text), *at});
      line_numbers.push_back(lines_[t - 1].no);
      cut = n - 1;
      i = n - 1;
    }
    if (turns.size() < 2) {
      return end;
    }
    std::reverse(turns.begin(), turns.end());
    std::reverse(line_numbers.begin(), line_numbers.end());
    for (std::size_t k = 1; k < turns.size(); ++k) {
      if (turns[k].start < turns[k - 1].start) {
        warn(line_numbers[k], "speaker timeline goes backwards (" +
                                  text::format_clock(turns[k].start) + " after " +
                                  text::format_clock(turns[k - 1].start) + ")");
      }
    }
    ep_.speaker_timeline = std::move(turns);
    return cut;
  }

  bool is_subtitle_candidate(string_view t, std::size_t index, std::size_t end) const {
    if (t.size() > kMaxSubtitleBytes) {
      return false;
    }
    char last = t.back();
    if (last == '.' || last == ':' || last == ',' || last == ';') {
      return false;
    }
    if (strip_bullet(t) || find_url(t) || known_heading(t) || parse_turn(t, sole_guest_) ||
        parse_clock_line(t)) {
      return false;
    }
    // A Title Case line over a list is that list's heading.
    std::size_t next = next_non_blank(index + 1, end);
    return !(is_heuristic_heading(t) && next < end && strip_bullet(lines_[next].text));
  }

  // Subtitle and date/duration lines below the title; returns where the body starts.
  std::size_t parse_header(std::size_t i, std::size_t end) {
    bool have_date_line = false;
    for (std::size_t seen = 0; seen < kHeaderLines; ++seen) {
      std::size_t k = next_non_blank(i, end);
      if (k >= end) {
        return k;
      }
      const Line& line = lines_[k];
      if (text::collapse_whitespace(line.text) == ep_.title) {
        i = k + 1;  // the title repeated
        continue;
      }
      DateLine dl = have_date_line ? DateLine{} : parse_date_line(line.text);
      if (dl.matched) {
        have_date_line = true;
        ep_.date = dl.date;
        if (dl.duration) {
          ep_.declared_duration = dl.duration;
        }
        if (!dl.problem.empty()) {
          warn(line.no, dl.problem);
        }
        i = k + 1;
        continue;
      }
      if (ep_.subtitle.empty() && is_subtitle_candidate(line.text, k, end)) {
        ep_.subtitle = text::collapse_whitespace(line.text);
        i = k + 1;
        continue;
      }
      return k;
    }
    return i;
  }

  Section& open_section(SectionKind kind, string_view heading, int line_no) {
    Section s;
    s.kind = kind;
    s.heading = std::string(heading);
    s.heading_line = line_no;
    sections_.push_back(std::move(s));
    return sections_.back();
  }

  void split_sections(std::size_t begin, std::size_t end) {
    sections_.clear();
    open_section(SectionKind::description, "", 0);
    for (std::size_t i = begin; i < end; ++i) {
      const Line& line = lines_[i];
      Section& cur = sections_.back();
      if (line.blank()) {
        cur.add(line);
        continue;
      }
      if (cur.kind == SectionKind::transcript) {
        const KnownHeading* h = known_heading(line.text);
        if (h && h->ends_transcript) {
          open_section(h->kind, line.text, line.no);
        } else if (!(h && h->kind == SectionKind::transcript && !cur.has_content)) {
          cur.add(line);
        }
        continue;
      }
      if (std::optional<SectionKind> kind = classify_heading(line.text)) {
        if (!cur.has_content && cur.heading == line.text) {
          continue;  // the same heading twice in a row
        }
        open_section(*kind, line.text, line.no);
        continue;
      }
      if (cur.kind != SectionKind::chapters && is_question_line(line.text)) {
        open_section(SectionKind::transcript, "", line.no).add(line);
        continue;
      }
      cur.add(line);
    }
  }

  void build() {
    // The transcript comes first so that an outro blurb can join the notes.
    std::vector<TranscriptSegment> segments;
    for (Section& s : sections_) {
      if (s.kind == SectionKind::transcript) {
        add_transcript_section(s, segments);
      }
    }
    if (!segments.empty()) {
      Transcript tr;
      tr.source = std::string(path_);
      tr.format = TranscriptFormat::notes;
      tr.segments = std::move(segments);
      ep_.transcripts.push_back(std::move(tr));
    }
    for (const Section& s : sections_) {
      if (s.kind == SectionKind::chapters) {
        add_chapters(s);
      } else if (s.kind != SectionKind::transcript) {
        add_notes_section(s);
      }
    }
    if (!outro_.empty()) {
      note_blurb(outro_);
      add_paragraph(outro_, false);
    }
    // "About NAME" sections win over blurbs found in paragraphs.
    for (auto& [person, blurb] : blurbs_) {
      if (person->bio.empty()) {
        person->bio = std::move(blurb);
      }
    }
    std::stable_sort(ep_.chapters.begin(), ep_.chapters.end(),
                     [](const Chapter& a, const Chapter& b) { return a.start < b.start; });
    ep_.notes_html = std::move(html_);
    ep_.notes_text = std::move(text_);
    ep_.summary = std::move(summary_);
  }

  // ---- notes ----

  void begin_block() {
    if (!html_.empty()) {
      html_ += '\n';
    }
    if (!text_.empty()) {
      text_ += "\n\n";
    }
  }

  // Adds a paragraph unless an equal one came before; false when it was a repeat.
  bool add_paragraph(const std::string& paragraph, bool summary) {
    std::string key = text::collapse_whitespace(paragraph);
    if (key.empty() || !seen_paragraphs_.insert(key).second) {
      return false;
    }
    begin_block();
    html_ += "<p>";
    append_linkified(html_, key);
    html_ += "</p>";
    text_ += key;
    if (summary) {
      append_summary(key);
    }
    return true;
  }

  void append_summary(string_view s) {
    if (!summary_.empty()) {
      summary_ += "\n\n";
    }
    summary_ += s;
  }

  void add_notes_section(const Section& s) {
    bool link_section = s.kind == SectionKind::links;
    std::vector<Block> blocks = build_blocks(s.lines, link_section);
    bool description = s.kind == SectionKind::description;
    bool heading_pending = !s.heading.empty() && !description;
    std::string bio;
    for (const Block& block : blocks) {
      if (!block.list) {
        std::string collapsed = text::collapse_whitespace(block.paragraph);
        if (!bio.empty()) {
          bio += "\n\n";
        }
        bio += collapsed;
        note_blurb(collapsed);
        if (seen_paragraphs_.count(collapsed) != 0) {
          continue;
        }
        emit_heading_once(s, heading_pending);
        add_paragraph(collapsed, description);
        continue;
      }
      emit_heading_once(s, heading_pending);
      begin_block();
      html_ += "<ul>";
      std::string list_text;
      for (const ListItem& item : block.items) {
        std::string collapsed = text::collapse_whitespace(item.text);
        html_ += "<li>";
        bool has_url = find_url(collapsed).has_value();
        if (link_section || has_url) {
          Link link = parse_link_item(collapsed);
          if (!link.url.empty()) {
            html_ += "<a href=\"";
            text::append_html_escaped(html_, link.url);
            html_ += "\">";
            text::append_html_escaped(html_, link.title);
            html_ += "</a>";
            if (!link.description.empty()) {
              html_ += " - ";
              append_linkified(html_, link.description);
            }
          } else {
            append_linkified(html_, collapsed);
          }
          if (!link.title.empty()) {
            ep_.links.push_back(std::move(link));
          }
        } else {
          append_linkified(html_, collapsed);
        }
        html_ += "</li>";
        if (!list_text.empty()) {
          list_text += '\n';
        }
        list_text += item.link_line ? collapsed : "- " + collapsed;
      }
      html_ += "</ul>";
      text_ += list_text;
      if (description) {
        append_summary(list_text);
      }
    }
    if (s.kind == SectionKind::about && !bio.empty()) {
      set_bio(string_view(s.heading).substr(6), bio);
    }
  }

  void emit_heading_once(const Section& s, bool& pending) {
    if (!pending) {
      return;
    }
    pending = false;
    begin_block();
    std::string heading = text::collapse_whitespace(s.heading);
    while (!heading.empty() && heading.back() == ':') {
      heading.pop_back();
    }
    html_ += "<h3>";
    text::append_html_escaped(html_, heading);
    html_ += "</h3>";
    text_ += heading;
  }

  // The person a paragraph introduces in the third person ("Carl Lerche is an engineer at
  // ..."), or nullptr.
  Person* blurb_person(string_view paragraph) {
    for (Person& p : ep_.persons) {
      if (paragraph.size() > p.name.size() + 4 && starts_with(paragraph, p.name) &&
          (starts_with(paragraph.substr(p.name.size()), " is ") ||
           starts_with(paragraph.substr(p.name.size()), " was "))) {
        return &p;
      }
    }
    return nullptr;
  }

  void note_blurb(const std::string& paragraph) {
    if (Person* p = blurb_person(paragraph)) {
      if (std::none_of(blurbs_.begin(), blurbs_.end(),
                       [&](const auto& b) { return b.first == p; })) {
        blurbs_.emplace_back(p, paragraph);
      }
    }
  }

  void set_bio(string_view who, const std::string& bio) {
    who = text::trim(who);
    for (Person& p : ep_.persons) {
      string_view first = words(p.name).front();
      if (text::iequals_ascii(p.name, who) || text::iequals_ascii(first, who)) {
        if (p.bio.empty()) {
          p.bio = bio;
        }
        return;
      }
    }
  }

  // ---- chapters ----

  void add_chapters(const Section& s) {
    for (const Line& line : s.lines) {
      if (line.blank()) {
        continue;
      }
      std::optional<Chapter> chapter = parse_chapter_line(line.text);
      if (!chapter) {
        warn(line.no, "not a chapter line (expected 'HH:MM:SS Title'): '" +
                          std::string(text::truncate_utf8(line.text, 60)) + "'");
        continue;
      }
      if (!ep_.chapters.empty() && chapter->start < last_chapter_start_) {
        warn(line.no, "chapter '" + chapter->title + "' at " + text::format_clock(chapter->start) +
                          " is out of order (after " + text::format_clock(last_chapter_start_) +
                          ")");
      }
      last_chapter_start_ = std::max(last_chapter_start_, chapter->start);
      ep_.chapters.push_back(std::move(*chapter));
    }
  }

  // ---- transcript ----

  static bool is_pointer_note(const std::vector<Line>& lines) {
    std::string all;
    int count = 0;
    for (const Line& l : lines) {
      if (l.blank()) {
        continue;
      }
      if (++count > 2) {
        return false;
      }
      all += text::to_lower_ascii(l.text);
      all += ' ';
    }
    static constexpr string_view kPhrases[] = {"provided by",
                                               "click here",
                                               "view the transcript",
                                               "read the transcript",
                                               "view transcript",
                                               "download the transcript",
                                               "transcript is available",
                                               "available at",
                                               "available on"};
    return std::any_of(std::begin(kPhrases), std::end(kPhrases),
                       [&](string_view p) { return all.find(p) != std::string::npos; });
  }

  void add_transcript_section(Section& s, std::vector<TranscriptSegment>& segments) {
    std::vector<const Line*> content;
    int labels = 0;
    bool first_is_label = false;
    for (const Line& l : s.lines) {
      if (l.blank()) {
        continue;
      }
      bool label = parse_turn(l.text, sole_guest_).has_value();
      if (content.empty()) {
        first_is_label = label;
      }
      labels += label ? 1 : 0;
      content.push_back(&l);
    }
    if (content.empty()) {
      return;
    }
    bool labelled = labels >= 2 || first_is_label;
    if (!labelled && is_pointer_note(s.lines)) {
      return;
    }
    // An author blurb under an interview: "Francesco Ciulla is the author of ...".
    const Line* last = content.back();
    std::size_t stop = s.lines.size();
    if (labelled && content.size() > 1 && !parse_turn(last->text, sole_guest_) &&
        blurb_person(last->text) != nullptr) {
      outro_ = text::collapse_whitespace(last->text);
      stop = static_cast<std::size_t>(last - s.lines.data());
    }
    TurnBuilder builder(segments);
    for (std::size_t k = 0; k < stop; ++k) {
      const Line& l = s.lines[k];
      if (l.blank()) {
        builder.blank();
        continue;
      }
      std::optional<Turn> turn = labelled ? parse_turn(l.text, sole_guest_) : std::nullopt;
      if (turn) {
        builder.turn(std::move(turn->speaker), turn->body);
      } else {
        builder.line(l.text);
      }
    }
    builder.flush();
  }

  class TurnBuilder {
   public:
    explicit TurnBuilder(std::vector<TranscriptSegment>& out) : out_(out) {}

    void turn(std::string speaker, string_view body) {
      flush();
      open_ = true;
      chunked_ = false;
      speaker_ = std::move(speaker);
      body_ = std::string(body);
      note_line(body);
    }

    void line(string_view t) {
      if (!open_) {
        open_ = true;
        chunked_ = true;
        speaker_.clear();
      }
      if (!body_.empty()) {
        bool paragraph = pending_break_ || (prev_len_ >= kParagraphLineBytes && prev_sentence_);
        body_ += paragraph ? '\n' : ' ';
      }
      body_ += t;
      note_line(t);
      if (chunked_ && (prev_sentence_ || body_.size() >= kChunkBytes)) {
        flush();
      }
    }

    void blank() {
      if (chunked_) {
        flush();
      } else {
        pending_break_ = true;
      }
    }

    void flush() {
      if (open_ && !body_.empty()) {
        TranscriptSegment seg;
        seg.speaker = speaker_;
        seg.body = std::move(body_);
        out_.push_back(std::move(seg));
      }
      body_.clear();
      open_ = false;
      chunked_ = false;
      pending_break_ = false;
      prev_len_ = 0;
      prev_sentence_ = false;
    }

   private:
    void note_line(string_view t) {
      prev_len_ = t.size();
      prev_sentence_ = ends_sentence(t);
      pending_break_ = false;
    }

    std::vector<TranscriptSegment>& out_;
    std::string speaker_;
    std::string body_;
    bool open_ = false;
    bool chunked_ = false;  // a speaker-less segment closed at sentence ends
    bool pending_break_ = false;
    std::size_t prev_len_ = 0;
    bool prev_sentence_ = false;
  };

  string_view path_;
  const std::vector<Line>& lines_;
  TextPage& page_;
  Episode& ep_;
  std::string sole_guest_;
  std::vector<Section> sections_;
  std::unordered_set<std::string> seen_paragraphs_;
  std::string html_;
  std::string text_;
  std::string summary_;
  std::string outro_;
  std::vector<std::pair<Person*, std::string>> blurbs_;  // first third-person blurb per person
  double last_chapter_start_ = 0;
};

// ---- the show page ----

enum class LabelField { country, genres, language, episodes, latest, author, website };

struct LabelName {
  string_view name;
  LabelField field;
};

constexpr LabelName kLabels[] = {
    {"Country", LabelField::country},
    {"\xC8\x9A"
     "ara",
     LabelField::country},  // Țara
    {"\xC5\xA2"
     "ara",
     LabelField::country},  // Ţara
    {"Tara", LabelField::country},
    {"Land", LabelField::country},
    {"Pays", LabelField::country},
    {"Pa\xC3\xADs", LabelField::country},  // País
    {"Pais", LabelField::country},
    {"Paese", LabelField::country},
    {"Genres", LabelField::genres},
    {"Genre", LabelField::genres},
    {"Genuri", LabelField::genres},
    {"Generi", LabelField::genres},
    {"Categories", LabelField::genres},
    {"Category", LabelField::genres},
    {"Categorii", LabelField::genres},
    {"Categorie", LabelField::genres},
    {"Kategorien", LabelField::genres},
    {"Kategorie", LabelField::genres},
    {"Cat\xC3\xA9gories", LabelField::genres},  // Catégories
    {"Cat\xC3\xA9gorie", LabelField::genres},
    {"G\xC3\xA9neros", LabelField::genres},  // Géneros
    {"G\xC3\xA9nero", LabelField::genres},
    {"Categor\xC3\xAD"
     "as",
     LabelField::genres},  // Categorías
    {"Language", LabelField::language},
    {"Limba", LabelField::language},
    {"Sprache", LabelField::language},
    {"Langue", LabelField::language},
    {"Idioma", LabelField::language},
    {"Lingua", LabelField::language},
    {"Episodes", LabelField::episodes},
    {"Episoade", LabelField::episodes},
    {"Folgen", LabelField::episodes},
    {"Episoden", LabelField::episodes},
    {"\xC3\x89pisodes", LabelField::episodes},  // Épisodes
    {"Episodios", LabelField::episodes},
    {"Episodi", LabelField::episodes},
    {"Latest episode", LabelField::latest},
    {"Latest", LabelField::latest},
    {"Ultimul episod", LabelField::latest},
    {"Ultimul", LabelField::latest},
    {"Neueste Folge", LabelField::latest},
    {"Neueste", LabelField::latest},
    {"Letzte Folge", LabelField::latest},
    {"Dernier \xC3\xA9pisode", LabelField::latest},
    {"Dernier", LabelField::latest},
    {"\xC3\x9Altimo episodio", LabelField::latest},  // Último
    {"\xC3\x9Altimo", LabelField::latest},
    {"Ultimo", LabelField::latest},
    {"Author", LabelField::author},
    {"Autor", LabelField::author},
    {"Auteur", LabelField::author},
    {"Autore", LabelField::author},
    {"Website", LabelField::website},
    {"Webseite", LabelField::website},
    {"Site web", LabelField::website},
    {"Sitio web", LabelField::website},
    {"Site", LabelField::website},
};

struct LabelLine {
  LabelField field;
  string_view value;
};

std::optional<LabelLine> parse_label(string_view t) {
  if (t.size() > 200) {
    return std::nullopt;
  }
  const LabelName* best = nullptr;
  for (const LabelName& l : kLabels) {
    if (!text::istarts_with_ascii(t, l.name)) {
      continue;
    }
    std::size_t n = l.name.size();
    if (n < t.size() && !is_blank_char(t[n]) && t[n] != ':') {
      continue;
    }
    if (!best || l.name.size() > best->name.size()) {
      best = &l;
    }
  }
  if (!best) {
    return std::nullopt;
  }
  string_view value = text::trim(t.substr(best->name.size()));
  if (!value.empty() && value[0] == ':') {
    value = text::trim(value.substr(1));
  }
  return LabelLine{best->field, value};
}

// "EN", "en-US", "English", "Deutsch", "Engleză" -> "en", "en-us", "de"; "" when unknown.
std::string language_code(string_view v) {
  v = text::trim(v);
  std::string lower = text::to_lower_ascii(v);
  std::size_t n = 0;
  while (n < lower.size() && is_lower(lower[n])) {
    ++n;
  }
  if ((n == 2 || n == 3) && (n == lower.size() || lower[n] == '-' || lower[n] == '_')) {
    for (char& c : lower) {
      if (c == '_') {
        c = '-';
      }
    }
    return lower;
  }
  struct Name {
    string_view name;
    string_view code;
  };
  static constexpr Name kNames[] = {{"english", "en"},
                                    {"englisch", "en"},
                                    {"anglais", "en"},
                                    {"ingl\xC3\xA9s", "en"},
                                    {"ingles", "en"},
                                    {"inglese", "en"},
                                    {"englez\xC4\x83", "en"},
                                    {"engleza", "en"},
                                    {"german", "de"},
                                    {"deutsch", "de"},
                                    {"allemand", "de"},
                                    {"alem\xC3\xA1n", "de"},
                                    {"tedesco", "de"},
                                    {"german\xC4\x83", "de"},
                                    {"germana", "de"},
                                    {"french", "fr"},
                                    {"fran\xC3\xA7"
                                     "ais",
                                     "fr"},
                                    {"franz\xC3\xB6sisch", "fr"},
                                    {"franc\xC3\xA9s", "fr"},
                                    {"francese", "fr"},
                                    {"francez\xC4\x83", "fr"},
                                    {"spanish", "es"},
                                    {"espa\xC3\xB1ol", "es"},
                                    {"spanisch", "es"},
                                    {"espagnol", "es"},
                                    {"spagnolo", "es"},
                                    {"spaniol\xC4\x83", "es"},
                                    {"romanian", "ro"},
                                    {"rom\xC3\xA2n\xC4\x83", "ro"},
                                    {"rum\xC3\xA4nisch", "ro"},
                                    {"roumain", "ro"},
                                    {"rumano", "ro"},
                                    {"italian", "it"},
                                    {"italiano", "it"},
                                    {"italienisch", "it"},
                                    {"italien", "it"},
                                    {"portuguese", "pt"},
                                    {"portugu\xC3\xAAs", "pt"},
                                    {"dutch", "nl"},
                                    {"nederlands", "nl"},
                                    {"niederl\xC3\xA4ndisch", "nl"}};
  for (const Name& name : kNames) {
    if (lower == name.name) {
      return std::string(name.code);
    }
  }
  return "";
}

// True when the label's value is plausible for its field (so prose is not taken for labels).
bool label_value_ok(const LabelLine& l) {
  switch (l.field) {
    case LabelField::country:
      return !l.value.empty() && l.value.size() <= 60;
    case LabelField::genres:
      return !l.value.empty() && l.value.size() <= 200;
    case LabelField::language:
      return !language_code(l.value).empty();
    case LabelField::episodes:
      return all_digits(l.value);
    case LabelField::latest:
      return parse_date_prefix(words(l.value)).date.has_value();
    case LabelField::author:
      return !l.value.empty() && l.value.size() <= 100;
    case LabelField::website:
      return find_url(l.value).has_value();
  }
  return false;
}

struct ListingLine {
  string_view title;
  std::optional<UnixTime> date;
  std::optional<double> duration;
  string_view duration_text;
};

// "• Title DD.MM.YYYY duration" -> title, date, duration.
std::optional<ListingLine> parse_listing_line(string_view t) {
  std::optional<string_view> item = strip_bullet(t);
  if (!item) {
    return std::nullopt;
  }
  std::vector<string_view> ws = words(*item);
  for (std::size_t k = ws.size(); k-- > 1;) {
    std::optional<UnixTime> date = parse_date_token(ws[k]);
    if (!date) {
      continue;
    }
    ListingLine out;
    out.title = text::trim(item->substr(0, static_cast<std::size_t>(ws[k].data() - item->data())));
    out.date = date;
    std::size_t after = static_cast<std::size_t>(ws[k].data() - item->data()) + ws[k].size();
    out.duration_text = strip_separators(item->substr(after));
    if (!out.duration_text.empty()) {
      out.duration = parse_duration_loose(out.duration_text);
    }
    if (out.title.empty()) {
      return std::nullopt;
    }
    return out;
  }
  return std::nullopt;
}

void parse_show_page(string_view path, const std::vector<Line>& lines, std::size_t title_index,
                     TextPage& page) {
  page.kind = TextPage::Kind::show;
  Show& show = page.show;
  show.title = text::collapse_whitespace(lines[title_index].text);
  std::string description;
  std::size_t i = title_index + 1;
  for (; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.blank() || text::collapse_whitespace(line.text) == show.title) {
      continue;
    }
    if (parse_listing_line(line.text)) {
      break;
    }
    std::optional<LabelLine> label = parse_label(line.text);
    if (label && label->field == LabelField::episodes && label->value.empty()) {
      continue;  // the listing's heading
    }
    if (label && label_value_ok(*label)) {
      switch (label->field) {
        case LabelField::genres:
          for (string_view part : text::split(label->value, ',')) {
            for (string_view cat : text::split(part, ';')) {
              std::string c = text::collapse_whitespace(cat);
              if (!c.empty()) {
                show.categories.push_back(std::move(c));
              }
            }
          }
          break;
        case LabelField::language:
          show.language = language_code(label->value);
          break;
        case LabelField::author:
          show.author = text::collapse_whitespace(label->value);
          break;
        case LabelField::website: {
          auto span = find_url(label->value);
          show.link = std::string(label->value.substr(span->pos, span->len));
          break;
        }
        case LabelField::country:
        case LabelField::episodes:
        case LabelField::latest:
          break;
      }
      continue;
    }
    if (auto span = find_url(line.text); span && span->pos == 0 && span->len == line.text.size()) {
      if (show.link.empty()) {
        show.link = std::string(line.text);
      }
      continue;
    }
    if (known_heading(line.text)) {
      continue;
    }
    if (show.author.empty() && description.empty() && line.text.size() <= 80) {
      for (string_view by : {"by ", "By ", "von ", "Von ", "par ", "Par ", "de ", "De "}) {
        if (starts_with(line.text, by) && is_name(line.text.substr(by.size()), 1, 6, false)) {
          show.author = text::collapse_whitespace(line.text.substr(by.size()));
        }
      }
      if (show.author.empty() && is_title_case(line.text, 6) && !ends_clause(line.text)) {
        show.author = text::collapse_whitespace(line.text);
      }
      if (!show.author.empty()) {
        continue;
      }
    }
    if (!description.empty()) {
      description += "\n\n";
    }
    description += text::collapse_whitespace(line.text);
  }
  show.description = std::move(description);

  Episode* current = nullptr;
  std::size_t bullet_indent = 0;
  bool after_blank = false;
  std::vector<std::string> paragraphs;
  auto finish = [&]() {
    if (!current) {
      return;
    }
    for (const std::string& p : paragraphs) {
      if (!current->notes_text.empty()) {
        current->notes_text += "\n\n";
        current->notes_html += '\n';
      }
      current->notes_text += p;
      current->notes_html += "<p>";
      append_linkified(current->notes_html, p);
      current->notes_html += "</p>";
    }
    paragraphs.clear();
  };
  for (; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.blank()) {
      after_blank = true;
      continue;
    }
    if (std::optional<ListingLine> entry = parse_listing_line(line.text)) {
      finish();
      Episode& e = page.listed.emplace_back();
      e.title = text::collapse_whitespace(entry->title);
      e.date = entry->date;
      e.declared_duration = entry->duration;
      e.persons = guests_from_title(e.title);
      if (!entry->duration_text.empty() && !entry->duration) {
        page.warnings.push_back(
            Diagnostic{Diagnostic::Severity::warning, std::string(path), line.no,
                       "unparsable duration '" + std::string(entry->duration_text) + "'"});
      }
      current = &e;
      bullet_indent = line.indent;
      after_blank = false;
      continue;
    }
    bool continues =
        current && (line.indent > bullet_indent || (bullet_indent == 0 && !after_blank));
    if (!continues) {
      finish();
      current = nullptr;
      continue;
    }
    for (std::string& p : split_glued_sentences(text::collapse_whitespace(line.text))) {
      paragraphs.push_back(std::move(p));
    }
    after_blank = false;
  }
  finish();
}

// ---- kind and title ----

bool is_show_page(const std::vector<Line>& lines, std::size_t title_index) {
  int labels = 0;
  int listings = 0;
  std::size_t seen = 0;
  for (std::size_t i = title_index + 1; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.blank()) {
      continue;
    }
    if (strip_bullet(line.text) && parse_listing_line(line.text)) {
      ++listings;
    } else if (seen < kShowHeaderLines && line.text.size() <= 100) {
      std::optional<LabelLine> label = parse_label(line.text);
      if (label && label_value_ok(*label)) {
        ++labels;
      }
    }
    ++seen;
  }
  if (labels >= 2 || (labels >= 1 && listings >= 1)) {
    return true;
  }
  if (listings < 2) {
    return false;
  }
  // A listing alone makes a show page unless the page has an episode's date line.
  std::size_t checked = 0;
  for (std::size_t i = title_index + 1; i < lines.size() && checked < kHeaderLines; ++i) {
    if (!lines[i].blank()) {
      ++checked;
      if (parse_date_line(lines[i].text).matched) {
        return false;
      }
    }
  }
  return true;
}

// Why the first non-blank line cannot be a title, or "" when it can.
std::string title_problem(string_view t) {
  if (t.size() > kMaxTitleBytes) {
    return "the first line is a paragraph (" + std::to_string(t.size()) + " bytes)";
  }
  if (known_heading(t) != nullptr) {
    return "the first line is the section heading '" + std::string(t) + "'";
  }
  if (parse_date_line(t).matched) {
    return "the first line is a date or duration";
  }
  if (strip_bullet(t)) {
    return "the first line is a list item";
  }
  if (is_question_line(t)) {
    return "the first line is an interview question";
  }
  return "";
}

Error parse_error(string_view path, int line, const std::string& reason) {
  return make_error(ErrorCode::parse,
                    std::string(path) + ":" + std::to_string(line) + ": " + reason);
}

}  // namespace

Result<TextPage> parse_text_page(std::string_view path, std::string_view text) {
  if (std::size_t bad = text::first_invalid_utf8(text); bad != std::string_view::npos) {
    int line = 1 + static_cast<int>(std::count(
                       text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
    return parse_error(path, line, "invalid UTF-8 (byte offset " + std::to_string(bad) + ")");
  }
  std::string_view body = text;
  if (starts_with(body, "\xEF\xBB\xBF")) {
    body.remove_prefix(3);
  }
  if (text::trim(body).empty()) {
    return parse_error(path, 1, "empty page");
  }
  std::vector<Line> lines = make_lines(body);
  std::size_t title_index = 0;
  while (title_index < lines.size() && lines[title_index].blank()) {
    ++title_index;
  }
  if (title_index >= lines.size()) {
    return parse_error(path, 1, "empty page");
  }
  const Line& title = lines[title_index];
  if (std::string problem = title_problem(title.text); !problem.empty()) {
    return parse_error(path, title.no, "no title: " + problem);
  }
  TextPage page;
  if (is_show_page(lines, title_index)) {
    parse_show_page(path, lines, title_index, page);
  } else {
    EpisodeParser(path, lines, page).run(title_index);
  }
  return page;
}

}  // namespace podcastd::catalog
