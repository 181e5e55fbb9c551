#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <string_view>

#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "feeds/validator_detail.hpp"

namespace podcastd::feeds::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kDayNames = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct Zone {
  std::string_view name;
  int minutes;
};
constexpr Zone kZones[] = {{"UT", 0},     {"GMT", 0},    {"EST", -300}, {"EDT", -240},
                           {"CST", -360}, {"CDT", -300}, {"MST", -420}, {"MDT", -360},
                           {"PST", -480}, {"PDT", -420}, {"Z", 0}};

// A cursor over a date string; `ci` makes names case-insensitive, `loose_space` accepts runs
// of whitespace where the strict grammar wants exactly one space.
struct Scan {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return i < s.size() ? s[i] : '\0'; }
  bool digits(int min, int max, int& value) {
    std::size_t start = i;
    value = 0;
    while (i < s.size() && is_digit(s[i]) && static_cast<int>(i - start) < max) {
      value = value * 10 + (s[i] - '0');
      ++i;
    }
    return static_cast<int>(i - start) >= min;
  }
  std::string_view word() {
    std::size_t start = i;
    while (i < s.size() && is_alpha(s[i])) {
      ++i;
    }
    return s.substr(start, i - start);
  }
  // Exactly one space (strict) or one or more whitespace characters (loose).
  bool space(bool loose) {
    if (loose) {
      std::size_t start = i;
      while (i < s.size() && is_xml_space(s[i])) {
        ++i;
      }
      return i > start;
    }
    if (peek() == ' ') {
      ++i;
      return true;
    }
    return false;
  }
  void opt_space(bool loose) {
    if (loose) {
      while (i < s.size() && is_xml_space(s[i])) {
        ++i;
      }
    }
  }
};

struct Parsed {
  bool ok = false;
  int weekday = -1;  // 0 = Sunday, -1 absent
  int day = 0, month = 0, year = 0, hour = 0, minute = 0, second = 0;
  int offset = 0;  // minutes
  std::string why;
};

Parsed parse_date(std::string_view s, bool loose) {
  Parsed p;
  Scan c{s};
  auto name_eq = [&](std::string_view a, std::string_view b) {
    return loose ? text::iequals_ascii(a, b) : a == b;
  };
  if (is_alpha(c.peek())) {
    std::string_view w = c.word();
    for (int k = 0; k < 7; ++k) {
      if (name_eq(w, kDays[k])) {
        p.weekday = k;
      }
    }
    if (p.weekday < 0) {
      p.why = "unknown day name '" + std::string(w) + "'";
      return p;
    }
    c.opt_space(loose);
    if (c.peek() != ',') {
      p.why = "no comma after the day name";
      return p;
    }
    ++c.i;
    if (!c.space(loose)) {
      if (!loose) {
        p.why = "no single space after the comma";
        return p;
      }
    }
  }
  if (!c.digits(1, 2, p.day) || !c.space(loose)) {
    p.why = "no 1- or 2-digit day";
    return p;
  }
  std::string_view mon = c.word();
  for (int k = 0; k < 12; ++k) {
    if (name_eq(mon, kMonths[k])) {
      p.month = k + 1;
    }
  }
  if (p.month == 0) {
    p.why = "unknown month '" + std::string(mon) + "'";
    return p;
  }
  if (!c.space(loose)) {
    p.why = "no space after the month";
    return p;
  }
  std::size_t ystart = c.i;
  if (!c.digits(2, 4, p.year) || (c.i - ystart) == 3) {
    p.why = "year is not 4 digits";
    return p;
  }
  if (c.i - ystart == 2) {
    if (!loose) {
      p.why = "2-digit year";
      return p;
    }
    p.year += p.year < 50 ? 2000 : 1900;
  }
  if (!c.space(loose)) {
    p.why = "no space after the year";
    return p;
  }
  std::size_t hstart = c.i;
  if (!c.digits(2, 2, p.hour) || c.peek() != ':') {
    c.i = hstart;
    p.why = "time is not HH:MM[:SS]";
    return p;
  }
  ++c.i;
  if (!c.digits(2, 2, p.minute)) {
    p.why = "time is not HH:MM[:SS]";
    return p;
  }
  if (c.peek() == ':') {
    ++c.i;
    if (!c.digits(2, 2, p.second)) {
      p.why = "time is not HH:MM[:SS]";
      return p;
    }
  }
  if (c.done()) {
    if (!loose) {
      p.why = "no time zone";
      return p;
    }
  } else {
    if (!c.space(loose)) {
      p.why = "no space before the time zone";
      return p;
    }
    char sign = c.peek();
    if (sign == '+' || sign == '-' || is_digit(sign)) {
      if (sign == '+' || sign == '-') {
        ++c.i;
      } else if (loose) {
        p.why = "time zone offset without sign";
        return p;
      }
      int hhmm = 0;
      if (!c.digits(4, 4, hhmm)) {
        p.why = "time zone offset is not [+-]HHMM";
        return p;
      }
      if (!loose && hhmm % 100 != 0 && hhmm % 100 != 30) {
        p.why = "time zone offset minutes are not 00 or 30";
        return p;
      }
      if (hhmm % 100 > 59) {
        p.why = "time zone offset minutes above 59";
        return p;
      }
      p.offset = (sign == '-' ? -1 : 1) * ((hhmm / 100) * 60 + hhmm % 100);
    } else {
      std::string_view z = c.word();
      bool found = false;
      for (const Zone& zone : kZones) {
        if (name_eq(z, zone.name)) {
          p.offset = zone.minutes;
          found = true;
        }
      }
      // RFC 822 military zones (any letter but J); RFC 2822 reads them as -0000.
      if (!found && loose && z.size() == 1 && text::ascii_lower(z[0]) != 'j') {
        found = true;
      }
      if (!found) {
        p.why = "unknown time zone '" + std::string(z) + "'";
        return p;
      }
    }
  }
  if (!c.done()) {
    p.why = "unexpected text after the date";
    return p;
  }
  if (p.hour > 23 || p.minute > 59 || p.second > 60) {
    p.why = "time out of range";
    return p;
  }
  if (!timefmt::is_valid_date(p.year, p.month, p.day)) {
    p.why = "no such date";
    return p;
  }
  p.ok = true;
  return p;
}

// Why a loosely valid date is not strict, for the RSS-W04 message.
std::string loose_reason(std::string_view s) {
  Parsed strict = parse_date(s, false);
  return strict.why.empty() ? "not in the strict RFC 2822 form" : strict.why;
}

bool uri_char_ok(unsigned char c) {
  return c > 0x20 && c != 0x7f && c != '<' && c != '>' && c != '"' && c != '\\' && c != '^' &&
         c != '`' && c != '{' && c != '}' && c != '|';
}

}  // namespace

// ---- Namespaces -------------------------------------------------------------------------

UriClass classify_uri(std::string_view uri) {
  if (uri == kItunesUri) {
    return {Ns::itunes, UriKind::exact};
  }
  if (uri == kPodcastUri || uri == kPodcastAltUri) {
    return {Ns::podcast, UriKind::exact};
  }
  if (uri == kContentUri) {
    return {Ns::content, UriKind::exact};
  }
  if (uri == kAtomUri) {
    return {Ns::atom, UriKind::exact};
  }
  if (uri == kPscUri) {
    return {Ns::psc, UriKind::exact};
  }
  if (text::icontains_ascii(uri, "podcastindex.org/namespace/1.0") ||
      text::icontains_ascii(uri, "podcastindex-org/podcast-namespace")) {
    return {Ns::podcast, UriKind::misspelled_warning};
  }
  if (text::icontains_ascii(uri, "itunes.com/dtds/podcast-1.0.dtd")) {
    return {Ns::itunes, UriKind::misspelled_error};
  }
  if (text::icontains_ascii(uri, "purl.org/rss/1.0/modules/content")) {
    return {Ns::content, UriKind::misspelled_error};
  }
  return {Ns::other, UriKind::unknown};
}

std::string_view ns_prefix(Ns ns) {
  switch (ns) {
    case Ns::itunes:
      return "itunes:";
    case Ns::podcast:
      return "podcast:";
    case Ns::content:
      return "content:";
    case Ns::atom:
      return "atom:";
    case Ns::psc:
      return "psc:";
    case Ns::rss:
    case Ns::other:
      break;
  }
  return "";
}

// ---- Values -----------------------------------------------------------------------------

DateCheck check_rfc2822(std::string_view s) {
  DateCheck out;
  Parsed p = parse_date(s, false);
  if (p.ok) {
    out.grade = DateGrade::strict;
  } else {
    Parsed l = parse_date(s, true);
    if (l.ok) {
      out.grade = DateGrade::loose;
      out.reason = loose_reason(s);
      p = l;
    } else {
      out.grade = DateGrade::invalid;
      out.reason = l.why.empty() ? p.why : l.why;
      if (has_outer_space(s)) {
        out.reason = "leading or trailing whitespace";
      }
      return out;
    }
  }
  std::int64_t days = timefmt::days_from_civil(p.year, p.month, p.day);
  out.time = days * 86400 + p.hour * 3600 + p.minute * 60 + p.second - p.offset * 60;
  if (p.weekday >= 0) {
    int actual = timefmt::weekday(days);
    if (actual != p.weekday) {
      out.wrong_weekday = true;
      out.actual_weekday = std::string(kDayNames[actual]);
    }
  }
  return out;
}

bool is_iso8601(std::string_view s, bool allow_date) {
  Scan c{s};
  int y, mo, d;
  if (!c.digits(4, 4, y) || c.peek() != '-') {
    return false;
  }
  ++c.i;
  if (!c.digits(2, 2, mo) || c.peek() != '-') {
    return false;
  }
  ++c.i;
  if (!c.digits(2, 2, d) || !timefmt::is_valid_date(y, mo, d)) {
    return false;
  }
  if (c.done()) {
    return allow_date;
  }
  if (c.peek() != 'T' && c.peek() != 't') {
    return false;
  }
  ++c.i;
  int h, mi, sec = 0;
  if (!c.digits(2, 2, h) || c.peek() != ':') {
    return false;
  }
  ++c.i;
  if (!c.digits(2, 2, mi) || h > 23 || mi > 59) {
    return false;
  }
  if (c.peek() == ':') {
    ++c.i;
    if (!c.digits(2, 2, sec) || sec > 60) {
      return false;
    }
    if (c.peek() == '.' || c.peek() == ',') {
      ++c.i;
      int frac;
      if (!c.digits(1, 9, frac)) {
        return false;
      }
      while (is_digit(c.peek())) {
        ++c.i;
      }
    }
  }
  if (c.done()) {
    return true;  // local time
  }
  if (c.peek() == 'Z' || c.peek() == 'z') {
    ++c.i;
    return c.done();
  }
  if (c.peek() != '+' && c.peek() != '-') {
    return false;
  }
  ++c.i;
  int oh, om = 0;
  if (!c.digits(2, 2, oh) || oh > 23) {
    return false;
  }
  if (c.peek() == ':') {
    ++c.i;
  }
  if (!c.done() && (!c.digits(2, 2, om) || om > 59)) {
    return false;
  }
  return c.done();
}

bool is_absolute_uri(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) {
    return false;
  }
  std::size_t i = 1;
  while (i < s.size() && (is_alnum(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  if (i >= s.size() || s[i] != ':' || i + 1 >= s.size()) {
    return false;
  }
  for (char ch : s) {
    if (!uri_char_ok(static_cast<unsigned char>(ch)) && static_cast<unsigned char>(ch) < 0x80) {
      return false;
    }
  }
  return true;
}

bool is_http_url(std::string_view s) {
  std::size_t rest;
  if (text::istarts_with_ascii(s, "https://")) {
    rest = 8;
  } else if (text::istarts_with_ascii(s, "http://")) {
    rest = 7;
  } else {
    return false;
  }
  if (rest >= s.size() || s[rest] == '/' || s[rest] == '?' || s[rest] == '#') {
    return false;
  }
  return is_absolute_uri(s);
}

bool is_email_with_name(std::string_view s) {
  std::size_t sp = s.find(' ');
  if (sp == std::string_view::npos) {
    return text::is_email(s);
  }
  std::string_view name = s.substr(sp + 1);
  return text::is_email(s.substr(0, sp)) && name.size() >= 2 && name.front() == '(' &&
         name.back() == ')';
}

std::string_view mime_base(std::string_view s) {
  std::size_t semi = s.find(';');
  return text::trim(s.substr(0, semi));
}

bool is_mime_type(std::string_view s) {
  std::string_view base = s.substr(0, s.find(';'));
  std::size_t slash = base.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= base.size()) {
    return false;
  }
  auto token = [](std::string_view t) {
    for (char c : t) {
      if (!(is_alnum(c) || std::strchr("!#$&-^_.+", c) != nullptr) || c == '\0') {
        return false;
      }
    }
    return !t.empty();
  };
  return token(base.substr(0, slash)) && token(base.substr(slash + 1));
}

bool is_language_code(std::string_view s) {
  // ISO 639-1 codes, plus the deprecated iw/in/ji that RSS's list still carries.
  // Packed two letters per code (no separators, so spell checkers leave it alone).
  static constexpr std::string_view kIso6391 =
      "aaabaeafakamanarasavayazbabebgbhbibmbnbobrbscacechcocrcscucvcydadedvdzeeeleneoeseteufaff"
      "fifjfofrfygagdglgngugvhahehihohrhthuhyhziaidieigiiikinioisitiuiwjajijvkakgkikjkkklkmknko"
      "krkskukvkwkylalblglilnloltlulvmgmhmimkmlmnmrmsmtmynanbndnengnlnnnonrnvnyocojomorospapipl"
      "psptqurmrnrorurwsascsdsesgsiskslsmsnsosqsrssstsusvswtatetgthtitktltntotrtstttwtyugukuruz"
      "vevivowawoxhyiyozazhzu";
  std::size_t dash = s.find('-');
  std::string_view primary = s.substr(0, dash);
  if (primary.size() == 2) {
    if (!is_alpha(primary[0]) || !is_alpha(primary[1])) {
      return false;
    }
    std::string code{text::ascii_lower(primary[0]), text::ascii_lower(primary[1])};
    bool found = false;
    for (std::size_t i = 0; i + 2 <= kIso6391.size(); i += 2) {
      if (kIso6391.substr(i, 2) == code) {
        found = true;
        break;
      }
    }
    if (!found) {
      return false;
    }
  } else if (primary.size() != 3 || !is_alpha(primary[0]) || !is_alpha(primary[1]) ||
             !is_alpha(primary[2])) {
    return false;
  }
  if (dash == std::string_view::npos) {
    return true;
  }
  return is_bcp47(s);
}

bool is_bcp47(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  std::size_t start = 0;
  bool first = true;
  while (start <= s.size()) {
    std::size_t dash = s.find('-', start);
    std::string_view part = s.substr(start, dash == std::string_view::npos ? dash : dash - start);
    if (part.empty() || part.size() > 8) {
      return false;
    }
    for (char c : part) {
      if (first ? !is_alpha(c) : !is_alnum(c)) {
        return false;
      }
    }
    if (first && (part.size() < 2 || part.size() > 3) && !(part == "x" || part == "i")) {
      return false;
    }
    first = false;
    if (dash == std::string_view::npos) {
      break;
    }
    start = dash + 1;
  }
  return true;
}

std::optional<long long> parse_integer(std::string_view s, bool allow_negative) {
  bool neg = false;
  std::size_t i = 0;
  if (allow_negative && !s.empty() && s[0] == '-') {
    neg = true;
    i = 1;
  }
  if (i >= s.size() || s.size() - i > 18) {
    return std::nullopt;
  }
  long long v = 0;
  for (; i < s.size(); ++i) {
    if (!is_digit(s[i])) {
      return std::nullopt;
    }
    v = v * 10 + (s[i] - '0');
  }
  return neg ? -v : v;
}

std::optional<double> parse_decimal(std::string_view s, bool allow_negative) {
  std::size_t i = 0;
  bool neg = false;
  if (allow_negative && !s.empty() && s[0] == '-') {
    neg = true;
    i = 1;
  }
  double v = 0;
  std::size_t int_digits = 0;
  while (i < s.size() && is_digit(s[i])) {
    if (int_digits < 18) {
      v = v * 10 + (s[i] - '0');
    } else {
      v *= 10;
    }
    ++int_digits;
    ++i;
  }
  if (int_digits == 0) {
    return std::nullopt;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    double scale = 0.1;
    std::size_t frac = 0;
    while (i < s.size() && is_digit(s[i])) {
      v += (s[i] - '0') * scale;
      scale /= 10;
      ++frac;
      ++i;
    }
    if (frac == 0) {
      return std::nullopt;
    }
  }
  if (i != s.size()) {
    return std::nullopt;
  }
  return neg ? -v : v;
}

std::optional<double> parse_itunes_duration(std::string_view s) {
  std::size_t i = 0;
  double first = 0;
  std::size_t n = 0;
  while (i < s.size() && is_digit(s[i])) {
    first = first * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  if (n == 0 || n > 12) {
    return std::nullopt;
  }
  double fields[2];
  int count = 0;
  while (i < s.size()) {
    if (s[i] != ':' || count == 2 || i + 3 > s.size() || !is_digit(s[i + 1]) ||
        !is_digit(s[i + 2]) || s[i + 1] > '5') {
      return std::nullopt;
    }
    fields[count++] = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
    i += 3;
  }
  if (count == 0) {
    return first;
  }
  if (count == 1) {
    return first * 60 + fields[0];
  }
  return first * 3600 + fields[0] * 60 + fields[1];
}

bool is_fqdn(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.find('.') == std::string_view::npos) {
    return false;
  }
  std::size_t start = 0;
  while (true) {
    std::size_t dot = s.find('.', start);
    std::string_view label =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return dot == std::string_view::npos && label.empty() && start > 0 &&
             start == s.size();  // one trailing dot is allowed
    }
    for (char c : label) {
      if (!(is_alnum(c) || c == '-')) {
        return false;
      }
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    start = dot + 1;
  }
}

bool is_aspect_ratio(std::string_view s) {
  std::size_t slash = s.find('/');
  if (slash == std::string_view::npos) {
    return parse_decimal(s, false).has_value();
  }
  return parse_decimal(s.substr(0, slash), false).has_value() &&
         parse_decimal(s.substr(slash + 1), false).has_value();
}

bool is_boolean(std::string_view s) { return s == "true" || s == "false"; }

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

bool has_non_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return true;
    }
  }
  return false;
}

bool has_outer_space(std::string_view s) {
  return !s.empty() && (is_xml_space(s.front()) || is_xml_space(s.back()));
}

std::string url_extension(std::string_view url) {
  std::size_t end = url.find_first_of("?#");
  std::string_view path = url.substr(0, end);
  std::size_t scheme = path.find("://");
  if (scheme != std::string_view::npos) {
    std::size_t slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  std::size_t slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::size_t dot = last.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == last.size()) {
    return "";
  }
  return text::to_lower_ascii(last.substr(dot + 1));
}

std::string quote(std::string_view s) {
  std::string out = "'";
  std::string cut = text::truncate_utf8(s, 100);
  for (char c : cut) {
    switch (c) {
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
        out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    }
  }
  out += "'";
  return out;
}

// ---- Vocabularies -----------------------------------------------------------------------

namespace {

bool in_list(std::string_view list, std::string_view s, bool ci) {
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t sp = list.find(' ', start);
    std::string_view w = list.substr(start, sp == std::string_view::npos ? sp : sp - start);
    if (ci ? text::iequals_ascii(w, s) : w == s) {
      return true;
    }
    if (sp == std::string_view::npos) {
      break;
    }
    start = sp + 1;
  }
  return false;
}

struct TaxonomyGroup {
  std::string_view group;
  std::string_view roles;  // '|'-separated
};
constexpr TaxonomyGroup kTaxonomy[] = {
    {"Creative Direction",
     "Director|Assistant Director|Executive Producer|Senior Producer|Producer|Associate "
     "Producer|Development Producer|Creative Director"},
    {"Cast", "Host|Co-Host|Guest Host|Guest|Voice Actor|Narrator|Announcer|Reporter"},
    {"Writing",
     "Author|Editorial Director|Co-Writer|Writer|Songwriter|Guest Writer|Story Editor|Managing "
     "Editor|Script Editor|Script Coordinator|Researcher|Editor|Fact Checker|Translator|"
     "Transcriber|Logger"},
    {"Audio Production",
     "Studio Coordinator|Technical Director|Technical Manager|Audio Engineer|Remote Recording "
     "Engineer|Post Production Engineer"},
    {"Audio Post-Production",
     "Audio Editor|Sound Designer|Foley Artist|Composer|Theme Music|Music Production|Music "
     "Contributor"},
    {"Administration",
     "Production Coordinator|Booking Coordinator|Production Assistant|Content Manager|Marketing "
     "Manager|Sales Representative|Sales Manager"},
    {"Visuals", "Graphic Designer|Cover Art Designer"},
    {"Community", "Social Media Manager"},
    {"Misc.", "Consultant|Intern"},
    {"Video Production", "Camera Operator|Lighting Designer|Camera Grip|Assistant Camera"},
    {"Video Post-Production", "Editor|Assistant Editor"},
};

bool group_has_role(const TaxonomyGroup& g, std::string_view role) {
  std::size_t start = 0;
  while (start <= g.roles.size()) {
    std::size_t bar = g.roles.find('|', start);
    std::string_view r = g.roles.substr(start, bar == std::string_view::npos ? bar : bar - start);
    if (text::iequals_ascii(r, role)) {
      return true;
    }
    if (bar == std::string_view::npos) {
      break;
    }
    start = bar + 1;
  }
  return false;
}

}  // namespace

bool is_service_slug(std::string_view s) {
  static constexpr std::string_view kSlugs =
      "acast amazon anchor apple audible audioboom backtracks bitcoin blubrry buzzsprout "
      "captivate castos castopod facebook fireside fyyd google gpodder hypercatcher kasts "
      "libsyn mastodon megafono megaphone omnystudio overcast paypal pinecast podbean "
      "podcastaddict podcastguru podcastindex podcasts podchaser podcloud podfriend podiant "
      "podigee podnews podomatic podserve podverse redcircle relay resonaterecordings rss "
      "shoutengine simplecast slack soundcloud spotify spreaker tiktok transistor twitter "
      "whooshkaa youtube zencast";
  return in_list(kSlugs, s, false);
}

bool is_social_protocol(std::string_view s) {
  return in_list("disabled activitypub twitter lightning atproto hive matrix nostr", s, false);
}

bool is_chat_protocol(std::string_view s) { return in_list("irc xmpp nostr matrix", s, false); }

bool is_known_license(std::string_view s) {
  return in_list("ARR CC-BY-4.0 CC-BY-NC-4.0 CC-BY-NC-ND-4.0 POD-V4V-1.0", s, true);
}

bool is_medium(std::string_view s) {
  return in_list(
      "podcast music video film audiobook newsletter blog publisher course podcastL musicL "
      "videoL filmL audiobookL newsletterL blogL publisherL courseL mixed",
      s, false);
}

bool is_transcript_type(std::string_view s) {
  return in_list("text/plain text/html text/vtt application/json application/x-subrip", s, false);
}

bool taxonomy_has_group(std::string_view group) {
  for (const TaxonomyGroup& g : kTaxonomy) {
    if (text::iequals_ascii(g.group, group)) {
      return true;
    }
  }
  return false;
}

bool taxonomy_has_role(std::string_view role) {
  for (const TaxonomyGroup& g : kTaxonomy) {
    if (group_has_role(g, role)) {
      return true;
    }
  }
  return false;
}

bool taxonomy_role_in_group(std::string_view role, std::string_view group) {
  for (const TaxonomyGroup& g : kTaxonomy) {
    if (text::iequals_ascii(g.group, group)) {
      return group_has_role(g, role);
    }
  }
  return false;
}

// ---- Raw XML scan -----------------------------------------------------------------------

namespace {

// Byte classes for the scanner's fast path.
enum : unsigned char { kPlain = 0, kLt = 1, kAmp = 2, kCtrl = 3, kHigh = 4 };

constexpr std::array<unsigned char, 256> make_classes() {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 0x20; ++c) {
    t[c] = kCtrl;
  }
  t['\t'] = kPlain;
  t['\n'] = kPlain;
  t['\r'] = kPlain;
  t['<'] = kLt;
  t['&'] = kAmp;
  for (int c = 0x80; c < 0x100; ++c) {
    t[c] = kHigh;
  }
  return t;
}
constexpr std::array<unsigned char, 256> kClass = make_classes();

// Length of the well-formed UTF-8 sequence at s[i] (first byte >= 0x80), 0 when malformed.
// Also rejects U+FFFE and U+FFFF, which XML 1.0 forbids.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n;
  std::uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) {
    return 0;
  }
  return n;
}

// Eight bytes at p need no attention: all ASCII >= 0x20 and, when `markup`, no '<' or '&'.
// (SWAR zero-byte tests; tab, CR and LF fall to the byte loop, which accepts them.)
bool plain8(const char* p, bool markup) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  if ((x & kHighs) != 0 || ((x - kOnes * 0x20) & ~x & kHighs) != 0) {
    return false;
  }
  if (markup) {
    std::uint64_t lt = x ^ (kOnes * '<');
    std::uint64_t amp = x ^ (kOnes * '&');
    if ((((lt - kOnes) & ~lt) | ((amp - kOnes) & ~amp)) & kHighs) {
      return false;
    }
  }
  return true;
}

bool xml_char_ok(std::uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// Checks the reference starting at s[i] == '&'; returns its length or 0 with `why` set.
std::size_t check_reference(std::string_view s, std::size_t i, bool entities_declared,
                            std::string& why) {
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '#') {
    ++j;
    bool hex = j < s.size() && s[j] == 'x';
    if (hex) {
      ++j;
    }
    std::uint32_t cp = 0;
    std::size_t start = j;
    while (
        j < s.size() && j - start < 8 &&
        (is_digit(s[j]) || (hex && std::strchr("abcdefABCDEF", s[j]) != nullptr && s[j] != '\0'))) {
      char c = s[j];
      cp = cp * (hex ? 16 : 10) +
           static_cast<std::uint32_t>(is_digit(c) ? c - '0' : text::ascii_lower(c) - 'a' + 10);
      ++j;
    }
    if (j == start || j >= s.size() || s[j] != ';') {
      why = "malformed character reference";
      return 0;
    }
    if (!xml_char_ok(cp)) {
      why = "character reference to a character XML forbids";
      return 0;
    }
    return j + 1 - i;
  }
  std::size_t start = j;
  while (
      j < s.size() && j - start < 64 &&
      (is_alnum(s[j]) || s[j] == '_' || s[j] == '-' || s[j] == '.' || (j > start && s[j] == ':'))) {
    ++j;
  }
  if (j == start || j >= s.size() || s[j] != ';') {
    why = "unescaped '&' (write &amp;)";
    return 0;
  }
  std::string_view name = s.substr(start, j - start);
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos" ||
      entities_declared) {
    return j + 1 - i;
  }
  why = "undefined entity '&" + std::string(name) + ";' (XML knows only amp, lt, gt, quot, apos)";
  return 0;
}

}  // namespace

void scan_xml(std::string_view buf, std::size_t begin, std::size_t end, bool entities_declared,
              std::vector<RawIssue>& out, std::size_t cap) {
  std::size_t found = 0;
  auto report = [&](std::size_t offset, std::string message) {
    if (found < cap) {
      out.push_back(RawIssue{offset, std::move(message)});
    }
    ++found;
  };
  std::string_view s = buf.substr(0, end);
  // Checks characters in s[from, to) (CDATA, comments, PIs): UTF-8 and forbidden controls.
  auto check_chars = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to;) {
      if (k + 8 <= to && plain8(s.data() + k, false)) {
        k += 8;
        continue;
      }
      unsigned char cls = kClass[static_cast<unsigned char>(s[k])];
      if (cls == kCtrl) {
        report(k, "control character U+00" + std::string(1, "0123456789ABCDEF"[s[k] >> 4]) +
                      std::string(1, "0123456789ABCDEF"[s[k] & 15]) + " is not allowed in XML");
        ++k;
      } else if (cls == kHigh) {
        std::size_t n = utf8_sequence(s, k);
        if (n == 0) {
          report(k, "malformed UTF-8");
          ++k;
        } else {
          k += n;
        }
      } else {
        ++k;
      }
    }
  };
  std::size_t i = begin;
  while (i < s.size()) {
    if (i + 8 <= s.size() && plain8(s.data() + i, true)) {
      i += 8;
      continue;
    }
    unsigned char cls = kClass[static_cast<unsigned char>(s[i])];
    if (cls == kPlain) {
      ++i;
      continue;
    }
    if (cls == kAmp) {
      std::string why;
      std::size_t n = check_reference(s, i, entities_declared, why);
      if (n == 0) {
        report(i, why);
        ++i;
      } else {
        i += n;
      }
      continue;
    }
    if (cls == kCtrl || cls == kHigh) {
      std::size_t n = cls == kHigh ? utf8_sequence(s, i) : 0;
      check_chars(i, i + 1);
      i += n == 0 ? 1 : n;
      continue;
    }
    // '<': markup.
    std::string_view rest = s.substr(i);
    auto skip_to = [&](std::string_view close, std::size_t body_from) {
      std::size_t e = s.find(close, body_from);
      std::size_t stop = e == std::string_view::npos ? s.size() : e;
      check_chars(body_from, stop);
      i = e == std::string_view::npos ? s.size() : e + close.size();
    };
    if (rest.substr(0, 4) == "<!--") {
      skip_to("-->", i + 4);
    } else if (rest.substr(0, 9) == "<![CDATA[") {
      skip_to("]]>", i + 9);
    } else if (rest.substr(0, 2) == "<?") {
      skip_to("?>", i + 2);
    } else if (rest.substr(0, 2) == "<!") {
      // DOCTYPE (with an optional internal subset in brackets).
      std::size_t k = i + 2;
      int bracket = 0;
      while (k < s.size() && (s[k] != '>' || bracket > 0)) {
        if (s[k] == '[') {
          ++bracket;
        } else if (s[k] == ']') {
          --bracket;
        }
        ++k;
      }
      i = k < s.size() ? k + 1 : s.size();
    } else {
      // A tag: check attribute values for '<' and references.
      std::size_t k = i + 1;
      while (k < s.size() && s[k] != '>') {
        char c = s[k];
        if (c == '"' || c == '\'') {
          std::size_t close = s.find(c, k + 1);
          std::size_t stop = close == std::string_view::npos ? s.size() : close;
          for (std::size_t v = k + 1; v < stop;) {
            unsigned char vc = kClass[static_cast<unsigned char>(s[v])];
            if (vc == kLt) {
              report(v, "'<' inside an attribute value (write &lt;)");
              ++v;
            } else if (vc == kAmp) {
              std::string why;
              std::size_t n = check_reference(s, v, entities_declared, why);
              if (n == 0) {
                report(v, why);
                ++v;
              } else {
                v += n;
              }
            } else if (vc == kPlain) {
              ++v;
            } else {
              check_chars(v, v + 1);
              std::size_t n = vc == kHigh ? utf8_sequence(s, v) : 0;
              v += n == 0 ? 1 : n;
            }
          }
          k = stop + 1;
          continue;
        }
        if (kClass[static_cast<unsigned char>(c)] == kCtrl ||
            kClass[static_cast<unsigned char>(c)] == kHigh) {
          check_chars(k, k + 1);
          std::size_t n = kClass[static_cast<unsigned char>(c)] == kHigh ? utf8_sequence(s, k) : 0;
          k += n == 0 ? 1 : n;
          continue;
        }
        ++k;
      }
      i = k < s.size() ? k + 1 : s.size();
    }
  }
  if (found > cap) {
    out.push_back(RawIssue{out.empty() ? begin : out.back().offset,
                           std::to_string(found - cap) + " more well-formedness problems"});
  }
}

// ---- Lines ------------------------------------------------------------------------------

LineIndex::LineIndex(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) {
      break;
    }
    const char* at = static_cast<const char*>(nl);
    newlines_.push_back(static_cast<std::size_t>(at - text.data()));
    p = at + 1;
  }
}

int LineIndex::line_of(std::size_t offset) const {
  // Lookups mostly move forward through the document: try just after the last answer.
  std::size_t h = hint_;
  if (h <= newlines_.size() && (h == 0 || newlines_[h - 1] < offset)) {
    std::size_t end = std::min(newlines_.size(), h + 16);
    while (h < end && newlines_[h] < offset) {
      ++h;
    }
    if (h < end || h == newlines_.size()) {
      hint_ = h;
      return static_cast<int>(h) + 1;
    }
  }
  auto it = std::lower_bound(newlines_.begin(), newlines_.end(), offset);
  hint_ = static_cast<std::size_t>(it - newlines_.begin());
  return static_cast<int>(hint_) + 1;
}

}  // namespace podcastd::feeds::detail
