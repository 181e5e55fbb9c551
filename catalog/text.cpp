#include "catalog/text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace podcastd::text {
namespace {

bool is_space_byte(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the whitespace at s[i], 0 if none (ASCII whitespace or U+00A0 "\xC2\xA0").
std::size_t space_at(std::string_view s, std::size_t i) {
  if (i < s.size() && is_space_byte(s[i])) return 1;
  if (i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 &&
      static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    return 2;
  }
  return 0;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes one UTF-8 sequence at s[i]; returns its length (0 when malformed).
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t len;
  std::uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
    min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    // Fast path over ASCII.
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::uint32_t cp;
    std::size_t len = decode_utf8(s, i, cp);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

bool is_valid_utf8(std::string_view s) { return first_invalid_utf8(s) == std::string_view::npos; }

std::string_view trim_left(std::string_view s) {
  std::size_t i = 0, n;
  while ((n = space_at(s, i)) != 0) i += n;
  return s.substr(i);
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty()) {
    if (is_space_byte(s.back())) {
      s.remove_suffix(1);
    } else if (s.size() >= 2 && static_cast<unsigned char>(s[s.size() - 2]) == 0xC2 &&
               static_cast<unsigned char>(s.back()) == 0xA0) {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

std::string_view trim(std::string_view s) { return trim_right(trim_left(s)); }

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? s.size() : nl;
    std::string_view line = s.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool icontains_ascii(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (iequals_ascii(hay.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

bool istarts_with_ascii(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals_ascii(s.substr(0, prefix.size()), prefix);
}

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  std::size_t i = 0;
  while (i < s.size()) {
    if (std::size_t n = space_at(s, i)) {
      pending_space = !out.empty();
      i += n;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(s[i++]);
  }
  return out;
}

std::optional<double> parse_clock(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::vector<std::string_view> parts = split(s, ':');
  if (parts.size() > 3) return std::nullopt;
  double total = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::string_view p = parts[k];
    bool last = k + 1 == parts.size();
    if (p.empty()) return std::nullopt;
    double value = 0;
    std::size_t i = 0;
    while (i < p.size() && is_digit(p[i])) value = value * 10 + (p[i++] - '0');
    if (i == 0) return std::nullopt;
    if (i < p.size()) {
      if (!last || (p[i] != '.' && p[i] != ',')) return std::nullopt;
      ++i;
      double scale = 0.1;
      std::size_t frac_start = i;
      while (i < p.size() && is_digit(p[i])) {
        value += (p[i++] - '0') * scale;
        scale /= 10;
      }
      if (i == frac_start || i != p.size()) return std::nullopt;
    }
    if (k > 0 && value >= 60) return std::nullopt;
    total = total * 60 + value;
  }
  return total;
}

std::optional<double> parse_human_duration(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.find(':') != std::string_view::npos) return parse_clock(s);
  double total = 0;
  bool any = false;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',')) ++i;
    if (i >= s.size()) break;
    if (!is_digit(s[i])) return std::nullopt;
    double value = 0;
    while (i < s.size() && is_digit(s[i])) value = value * 10 + (s[i++] - '0');
    if (i < s.size() && s[i] == '.') {
      ++i;
      double scale = 0.1;
      while (i < s.size() && is_digit(s[i])) {
        value += (s[i++] - '0') * scale;
        scale /= 10;
      }
    }
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t unit_start = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    std::string unit = to_lower_ascii(s.substr(unit_start, i - unit_start));
    if (unit.empty()) {
      // A bare number is seconds ("3723"), but only as the whole input.
      if (any || i < s.size()) return std::nullopt;
      total += value;
    } else if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours" ||
               unit == "std") {
      total += value * 3600;
    } else if (unit == "m" || unit == "min" || unit == "mins" || unit == "minute" ||
               unit == "minutes") {
      total += value * 60;
    } else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" ||
               unit == "seconds") {
      total += value;
    } else {
      return std::nullopt;
    }
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

std::string format_clock(double seconds, bool millis) {
  if (!(seconds > 0)) seconds = 0;
  auto total_ms = static_cast<std::int64_t>(std::llround(seconds * 1000));
  std::int64_t ms = total_ms % 1000;
  std::int64_t s = total_ms / 1000;
  char buf[48];
  if (millis) {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60),
                  static_cast<long long>(ms));
  } else {
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  }
  return buf;
}

std::string slugify(std::string_view s, std::size_t max_length) {
  // Latin-1 Supplement and Latin Extended-A letters folded to ASCII.
  struct Fold {
    std::uint32_t cp;
    const char* ascii;
  };
  static constexpr Fold kFolds[] = {
      {0xC0, "a"},   {0xC1, "a"},   {0xC2, "a"},   {0xC3, "a"},   {0xC4, "ae"},  {0xC5, "a"},
      {0xC6, "ae"},  {0xC7, "c"},   {0xC8, "e"},   {0xC9, "e"},   {0xCA, "e"},   {0xCB, "e"},
      {0xCC, "i"},   {0xCD, "i"},   {0xCE, "i"},   {0xCF, "i"},   {0xD1, "n"},   {0xD2, "o"},
      {0xD3, "o"},   {0xD4, "o"},   {0xD5, "o"},   {0xD6, "oe"},  {0xD8, "o"},   {0xD9, "u"},
      {0xDA, "u"},   {0xDB, "u"},   {0xDC, "ue"},  {0xDD, "y"},   {0xDF, "ss"},  {0xE0, "a"},
      {0xE1, "a"},   {0xE2, "a"},   {0xE3, "a"},   {0xE4, "ae"},  {0xE5, "a"},   {0xE6, "ae"},
      {0xE7, "c"},   {0xE8, "e"},   {0xE9, "e"},   {0xEA, "e"},   {0xEB, "e"},   {0xEC, "i"},
      {0xED, "i"},   {0xEE, "i"},   {0xEF, "i"},   {0xF1, "n"},   {0xF2, "o"},   {0xF3, "o"},
      {0xF4, "o"},   {0xF5, "o"},   {0xF6, "oe"},  {0xF8, "o"},   {0xF9, "u"},   {0xFA, "u"},
      {0xFB, "u"},   {0xFC, "ue"},  {0xFD, "y"},   {0xFF, "y"},   {0x0103, "a"}, {0x0107, "c"},
      {0x010D, "c"}, {0x0111, "d"}, {0x0119, "e"}, {0x011B, "e"}, {0x0142, "l"}, {0x0144, "n"},
      {0x0148, "n"}, {0x0151, "o"}, {0x0159, "r"}, {0x015B, "s"}, {0x0161, "s"}, {0x015F, "s"},
      {0x0163, "t"}, {0x021B, "t"}, {0x0219, "s"}, {0x0102, "a"}, {0x0106, "c"}, {0x010C, "c"},
      {0x0110, "d"}, {0x0118, "e"}, {0x011A, "e"}, {0x0141, "l"}, {0x0143, "n"}, {0x0147, "n"},
      {0x0150, "o"}, {0x0158, "r"}, {0x015A, "s"}, {0x0160, "s"}, {0x015E, "s"}, {0x0162, "t"},
      {0x021A, "t"}, {0x0218, "s"}, {0x016E, "u"}, {0x0170, "u"}, {0x0179, "z"}, {0x017B, "z"},
      {0x017D, "z"}, {0x016F, "u"}, {0x0171, "u"}, {0x017A, "z"}, {0x017C, "z"}, {0x017E, "z"}};
  std::string out;
  bool dash = false;
  auto emit = [&](std::string_view piece) {
    if (dash && !out.empty()) out.push_back('-');
    dash = false;
    out.append(piece);
  };
  std::size_t i = 0;
  while (i < s.size() && out.size() < max_length) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) {
        char lower = static_cast<char>(std::tolower(c));
        emit(std::string_view(&lower, 1));
      } else if (c != '\'') {
        dash = true;  // apostrophes vanish ("Don't" -> "dont"), other punctuation separates
      }
      ++i;
      continue;
    }
    std::uint32_t cp;
    std::size_t len = decode_utf8(s, i, cp);
    if (len == 0) {
      ++i;
      dash = true;
      continue;
    }
    i += len;
    const char* folded = nullptr;
    for (const Fold& f : kFolds) {
      if (f.cp == cp) folded = f.ascii;
    }
    if (folded) {
      emit(folded);
    } else if (cp != 0x2019) {  // right single quote is an apostrophe
      dash = true;
    }
  }
  if (out.size() > max_length) out.resize(max_length);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

void append_html_escaped(std::string& out, std::string_view s) {
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
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  append_html_escaped(out, s);
  return out;
}

std::string decode_html_entities(std::string_view s) {
  struct Named {
    const char* name;
    std::uint32_t cp;
  };
  static constexpr Named kNamed[] = {
      {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
      {"apos", '\''},     {"nbsp", 0xA0},    {"ndash", 0x2013}, {"mdash", 0x2014},
      {"lsquo", 0x2018},  {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
      {"hellip", 0x2026}, {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122},
      {"euro", 0x20AC},   {"eacute", 0xE9},  {"uuml", 0xFC},    {"ouml", 0xF6},
      {"auml", 0xE4},     {"szlig", 0xDF},   {"bull", 0x2022},  {"middot", 0xB7}};
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') {
      out.push_back(s[i++]);
      continue;
    }
    std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      out.push_back(s[i++]);
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    std::uint32_t cp = 0;
    bool ok = false;
    if (!ent.empty() && ent[0] == '#') {
      bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
      std::size_t k = hex ? 2 : 1;
      ok = k < ent.size();
      for (; k < ent.size() && ok; ++k) {
        char c = ent[k];
        int d = is_digit(c)                   ? c - '0'
                : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                              : -1;
        if (d < 0) {
          ok = false;
        } else {
          cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
          if (cp > 0x10FFFF) ok = false;
        }
      }
      if (ok && (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    } else {
      for (const Named& n : kNamed) {
        if (ent == n.name) {
          cp = n.cp;
          ok = true;
        }
      }
    }
    if (!ok) {
      out.push_back(s[i++]);
      continue;
    }
    append_utf8(out, cp);
    i = semi + 1;
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  std::size_t i = 0;
  // Paragraph-level tags end with a blank line ('\x01' marks it until the final pass);
  // line-level ones (li, br, tr) with a single newline.
  auto is_one_of = [](std::string_view tag, std::initializer_list<std::string_view> names) {
    for (std::string_view b : names) {
      if (iequals_ascii(tag, b)) return true;
    }
    return false;
  };
  std::string raw;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      std::size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;
      std::string_view tag = html.substr(i + 1, end - i - 1);
      bool closing = !tag.empty() && tag[0] == '/';
      if (closing) tag.remove_prefix(1);
      std::size_t name_end = 0;
      while (name_end < tag.size() && std::isalnum(static_cast<unsigned char>(tag[name_end]))) {
        ++name_end;
      }
      std::string_view name = tag.substr(0, name_end);
      if (!closing && (iequals_ascii(name, "script") || iequals_ascii(name, "style"))) {
        // Drop the element's content too.
        std::string close = "</" + to_lower_ascii(name);
        std::string lower_rest = to_lower_ascii(html.substr(end));
        std::size_t close_pos = lower_rest.find(close);
        i = close_pos == std::string::npos ? html.size() : end + close_pos;
        std::size_t gt = html.find('>', i);
        i = gt == std::string_view::npos ? html.size() : gt + 1;
        continue;
      }
      if (is_one_of(name, {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
                           "table", "ul", "ol", "hr"})) {
        raw += "\n\x01\n";
      } else if (!closing && iequals_ascii(name, "li")) {
        raw += "\n- ";
      } else if (is_one_of(name, {"li", "br", "tr"})) {
        raw += "\n";
      }
      i = end + 1;
      continue;
    }
    raw.push_back(c == '\x01' ? ' ' : c);
    ++i;
  }
  std::string decoded = decode_html_entities(raw);
  // Collapse spaces inside lines; paragraphs are separated by exactly one blank line.
  bool paragraph_break = false;
  for (std::string_view line : split_lines(decoded)) {
    if (line == "\x01") {
      paragraph_break = !out.empty();
      continue;
    }
    std::string collapsed = collapse_whitespace(line);
    if (collapsed.empty()) continue;
    if (!out.empty()) out += paragraph_break ? "\n\n" : "\n";
    paragraph_break = false;
    out += collapsed;
  }
  return out;
}

std::string truncate_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  std::size_t cut = max_bytes >= kEllipsis.size() ? max_bytes - kEllipsis.size() : max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  std::string out(trim_right(s.substr(0, cut)));
  if (max_bytes >= kEllipsis.size()) out += kEllipsis;
  return out;
}

bool is_ignored_file_name(std::string_view name) {
  if (name.empty() || name[0] == '.' || name[0] == '#' || name.back() == '~' ||
      name.back() == '#') {
    return true;
  }
  static constexpr std::string_view kSuffixes[] = {
      ".swp",        ".swo",      ".swx", ".tmp",  ".temp", ".part",    ".partial",
      ".crdownload", ".download", ".bak", ".orig", ".rej",  ".kate-swp"};
  std::string lower = to_lower_ascii(name);
  for (std::string_view suffix : kSuffixes) {
    if (lower.size() > suffix.size() &&
        lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return lower == "4913";  // vim's write-permission probe file
}

bool is_language_tag(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  std::vector<std::string_view> parts = text::split(s, '-');
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::string_view p = parts[k];
    if (p.empty() || p.size() > 8) {
      return false;
    }
    for (char c : p) {
      bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      bool digit = c >= '0' && c <= '9';
      if (!letter && !(digit && k > 0)) {
        return false;
      }
    }
  }
  return true;
}

namespace {

bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool ascii_alnum(char c) {
  return ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Digits with an optional fraction ("12", "12.5"), after an optional '-' when `negative`;
// the length of that prefix of `s` (0 when there is none).
std::size_t decimal_prefix(std::string_view s, bool negative) {
  std::size_t i = negative && !s.empty() && s[0] == '-' ? 1 : 0;
  std::size_t digits = i;
  while (i < s.size() && ascii_digit(s[i])) ++i;
  if (i == digits) return 0;
  if (i < s.size() && s[i] == '.') {
    std::size_t frac = ++i;
    while (i < s.size() && ascii_digit(s[i])) ++i;
    if (i == frac) return 0;
  }
  return i;
}

// 1 to 18 digits, nothing else.
bool is_count(std::string_view s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), ascii_digit);
}

}  // namespace

bool looks_like_html(std::string_view s) {
  for (std::size_t i = s.find('<'); i != std::string_view::npos; i = s.find('<', i + 1)) {
    char c = i + 1 < s.size() ? s[i + 1] : '\0';
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!') {
      return s.find('>', i) != std::string_view::npos;
    }
  }
  return false;
}

bool has_http_scheme(std::string_view s) {
  return istarts_with_ascii(s, "http://") || istarts_with_ascii(s, "https://");
}

bool is_geo_uri(std::string_view s) {
  if (!istarts_with_ascii(s, "geo:")) return false;
  s.remove_prefix(4);
  // Coordinates: latitude and longitude in range, an optional altitude.
  double limits[] = {90, 180, 0};
  for (int k = 0; k < 3; ++k) {
    std::size_t n = decimal_prefix(s, true);
    if (n == 0) return false;
    if (k < 2) {
      double v = std::strtod(std::string(s.substr(0, n)).c_str(), nullptr);
      if (v < -limits[k] || v > limits[k]) return false;
    }
    s.remove_prefix(n);
    if (k == 0 && (s.empty() || s[0] != ',')) return false;
    if (s.empty() || s[0] != ',' || k == 2) break;
    s.remove_prefix(1);
  }
  // Parameters: ;name[=value], names of letters, digits and '-'; u= is a plain decimal.
  while (!s.empty()) {
    if (s[0] != ';') return false;
    s.remove_prefix(1);
    std::string_view param = s.substr(0, s.find(';'));
    s.remove_prefix(param.size());
    std::size_t eq = param.find('=');
    std::string_view name = param.substr(0, eq);
    if (name.empty() ||
        !std::all_of(name.begin(), name.end(), [](char c) { return ascii_alnum(c) || c == '-'; })) {
      return false;
    }
    if (eq == std::string_view::npos) continue;
    std::string_view value = param.substr(eq + 1);
    if (value.empty()) return false;
    if (iequals_ascii(name, "u") && decimal_prefix(value, false) != value.size()) return false;
  }
  return true;
}

bool is_email(std::string_view s) {
  std::size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view local = s.substr(0, at);
  std::string_view domain = s.substr(at + 1);
  for (char c : local) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '(' || c == ')' || c == '<' || c == '>' ||
        c == ',' || c == ';' || c == ':' || c == '"' || c == '[' || c == ']' || c == '\\') {
      return false;
    }
  }
  std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  char prev = '.';
  for (char c : domain) {
    if (!(ascii_alnum(c) || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80)) {
      return false;
    }
    if (c == '.' && prev == '.') return false;
    prev = c;
  }
  return domain.back() != '.' && domain.back() != '-';
}

bool is_osm_id(std::string_view s) {
  if (s.size() < 2 || (s[0] != 'N' && s[0] != 'W' && s[0] != 'R')) return false;
  s.remove_prefix(1);
  std::size_t hash = s.find('#');
  return is_count(s.substr(0, hash)) &&
         (hash == std::string_view::npos || is_count(s.substr(hash + 1)));
}

std::size_t json_nesting_over(std::string_view json, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace podcastd::text
