#include "catalog/time.hpp"

#include <array>
#include <cctype>
#include <cstdio>

namespace podcastd::timefmt {
namespace {

constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A tiny cursor over the input; every reader returns false without consuming on mismatch.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  void skip_spaces() {
    while (!done() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  // Reads between min and max digits.
  bool digits(int min, int max, int& out) {
    std::size_t start = i;
    int v = 0, n = 0;
    while (n < max && !done() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    if (n < min) {
      i = start;
      return false;
    }
    out = v;
    return true;
  }
  std::string_view word() {
    std::size_t start = i;
    while (!done() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(start, i - start);
  }
};

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(a[k])) !=
        std::tolower(static_cast<unsigned char>(b[k]))) {
      return false;
    }
  }
  return true;
}

std::optional<UnixTime> make_time(int y, int mo, int d, int h, int mi, int sec, int offset_min) {
  if (!is_valid_date(y, mo, d) || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  if (sec == 60) sec = 59;  // leap second: clamp rather than reject
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
         static_cast<UnixTime>(offset_min) * 60;
}

}  // namespace

std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

bool is_valid_date(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kLen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int len = kLen[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= len;
}

int weekday(std::int64_t days) {
  return static_cast<int>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

std::optional<UnixTime> parse_rfc3339(std::string_view s, Zone* zone) {
  Cursor c{s};
  c.skip_spaces();
  int y, mo, d, h = 0, mi = 0, sec = 0, offset = 0;
  bool utc_name = false;
  if (!c.digits(4, 4, y) || !c.eat('-') || !c.digits(2, 2, mo) || !c.eat('-') ||
      !c.digits(2, 2, d)) {
    return std::nullopt;
  }
  if (c.eat('T') || c.eat('t') || c.eat(' ')) {
    if (!c.digits(2, 2, h) || !c.eat(':') || !c.digits(2, 2, mi)) return std::nullopt;
    if (c.eat(':')) {
      if (!c.digits(2, 2, sec)) return std::nullopt;
      if (c.eat('.') || c.eat(',')) {
        int frac;
        if (!c.digits(1, 9, frac)) return std::nullopt;
      }
    }
    c.skip_spaces();
    if (c.eat('Z') || c.eat('z')) {
      utc_name = true;
    } else if (c.peek() == '+' || c.peek() == '-') {
      int sign = c.peek() == '-' ? -1 : 1;
      ++c.i;
      int oh, om = 0;
      if (!c.digits(2, 2, oh)) return std::nullopt;
      c.eat(':');
      if (!c.digits(2, 2, om)) return std::nullopt;
      if (oh > 23 || om > 59) return std::nullopt;
      offset = sign * (oh * 60 + om);
    }
  }
  c.skip_spaces();
  if (!c.done()) return std::nullopt;
  if (zone) *zone = {offset, utc_name};
  return make_time(y, mo, d, h, mi, sec, offset);
}

std::optional<UnixTime> parse_rfc2822(std::string_view s, Zone* zone) {
  Cursor c{s};
  c.skip_spaces();
  if (std::isalpha(static_cast<unsigned char>(c.peek()))) {
    std::string_view dow = c.word();
    bool known = false;
    for (const char* name : kDays) known = known || iequal(dow, name);
    // Full day names ("Wednesday") appear in the wild; accept them too.
    static constexpr std::array<const char*, 7> kLong = {
        "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    for (const char* name : kLong) known = known || iequal(dow, name);
    if (!known) return std::nullopt;
    c.skip_spaces();
    if (!c.eat(',')) return std::nullopt;
    c.skip_spaces();
  }
  int d, y, h, mi, sec = 0;
  if (!c.digits(1, 2, d)) return std::nullopt;
  c.skip_spaces();
  std::string_view mon = c.word();
  int mo = 0;
  for (int k = 0; k < 12; ++k) {
    if (iequal(mon.substr(0, 3), kMonths[k]) && (mon.size() == 3 || mon.size() >= 3)) mo = k + 1;
  }
  if (mo == 0) return std::nullopt;
  c.skip_spaces();
  std::size_t ystart = c.i;
  if (!c.digits(2, 4, y)) return std::nullopt;
  std::size_t ylen = c.i - ystart;
  if (ylen == 3) return std::nullopt;
  if (ylen == 2) y += y < 50 ? 2000 : 1900;
  c.skip_spaces();
  if (!c.digits(1, 2, h) || !c.eat(':') || !c.digits(2, 2, mi)) return std::nullopt;
  if (c.eat(':') && !c.digits(2, 2, sec)) return std::nullopt;
  c.skip_spaces();
  int offset = 0;
  bool utc_name = false;
  if (c.peek() == '+' || c.peek() == '-') {
    int sign = c.peek() == '-' ? -1 : 1;
    ++c.i;
    int hhmm;
    std::size_t zstart = c.i;
    if (!c.digits(4, 4, hhmm)) {
      c.i = zstart;
      int oh, om;
      if (!c.digits(2, 2, oh) || !c.eat(':') || !c.digits(2, 2, om)) return std::nullopt;
      hhmm = oh * 100 + om;
    }
    if (hhmm / 100 > 23 || hhmm % 100 > 59) return std::nullopt;
    offset = sign * ((hhmm / 100) * 60 + hhmm % 100);
  } else if (!c.done()) {
    std::string_view name = c.word();
    struct Named {
      const char* name;
      int minutes;
    };
    static constexpr Named kZones[] = {{"UT", 0},        {"UTC", 0},       {"GMT", 0},
                                       {"Z", 0},         {"EST", -5 * 60}, {"EDT", -4 * 60},
                                       {"CST", -6 * 60}, {"CDT", -5 * 60}, {"MST", -7 * 60},
                                       {"MDT", -6 * 60}, {"PST", -8 * 60}, {"PDT", -7 * 60}};
    bool found = false;
    for (const Named& z : kZones) {
      if (iequal(name, z.name)) {
        offset = z.minutes;
        utc_name = z.minutes == 0;
        found = true;
      }
    }
    // RFC 822 military zones other than Z are ambiguous (RFC 2822 says treat as -0000).
    if (!found && name.size() == 1) found = true;
    if (!found) return std::nullopt;
  }
  c.skip_spaces();
  if (!c.done()) return std::nullopt;
  if (zone) *zone = {offset, utc_name};
  return make_time(y, mo, d, h, mi, sec, offset);
}

std::optional<UnixTime> parse_dmy(std::string_view s) {
  Cursor c{s};
  c.skip_spaces();
  int d, m, y;
  if (!c.digits(1, 2, d)) return std::nullopt;
  char sep = c.peek();
  if (sep != '.' && sep != '/' && sep != '-') return std::nullopt;
  ++c.i;
  if (!c.digits(1, 2, m) || !c.eat(sep) || !c.digits(4, 4, y)) return std::nullopt;
  c.skip_spaces();
  if (!c.done()) return std::nullopt;
  return make_time(y, m, d, 0, 0, 0, 0);
}

namespace {
struct Broken {
  CivilDate date;
  int h, mi, sec, wday;
};
Broken breakdown(UnixTime t) {
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  std::int64_t rem = t - days * 86400;
  return Broken{civil_from_days(days), static_cast<int>(rem / 3600),
                static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60), weekday(days)};
}
}  // namespace

std::string format_rfc2822(UnixTime t) {
  Broken b = breakdown(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[b.wday], b.date.day,
                kMonths[b.date.month - 1], b.date.year, b.h, b.mi, b.sec);
  return buf;
}

std::string format_http_date(UnixTime t) {
  Broken b = breakdown(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[b.wday], b.date.day,
                kMonths[b.date.month - 1], b.date.year, b.h, b.mi, b.sec);
  return buf;
}

std::optional<UnixTime> parse_http_date(std::string_view s) {
  if (auto t = parse_rfc2822(s)) return t;
  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; asctime: "Sun Nov  6 08:49:37 1994".
  Cursor c{s};
  c.skip_spaces();
  std::string_view dow = c.word();
  if (dow.empty()) return std::nullopt;
  int d, y, h, mi, sec, mo = 0;
  if (c.eat(',')) {
    c.skip_spaces();
    if (!c.digits(2, 2, d) || !c.eat('-')) return std::nullopt;
    std::string_view mon = c.word();
    for (int k = 0; k < 12; ++k) {
      if (iequal(mon, kMonths[k])) mo = k + 1;
    }
    if (!mo || !c.eat('-') || !c.digits(2, 2, y)) return std::nullopt;
    y += y < 70 ? 2000 : 1900;
    c.skip_spaces();
    if (!c.digits(2, 2, h) || !c.eat(':') || !c.digits(2, 2, mi) || !c.eat(':') ||
        !c.digits(2, 2, sec)) {
      return std::nullopt;
    }
    c.skip_spaces();
    if (c.word() != "GMT") return std::nullopt;
    return make_time(y, mo, d, h, mi, sec, 0);
  }
  c.skip_spaces();
  std::string_view mon = c.word();
  for (int k = 0; k < 12; ++k) {
    if (iequal(mon, kMonths[k])) mo = k + 1;
  }
  if (!mo) return std::nullopt;
  c.skip_spaces();
  if (!c.digits(1, 2, d)) return std::nullopt;
  c.skip_spaces();
  if (!c.digits(2, 2, h) || !c.eat(':') || !c.digits(2, 2, mi) || !c.eat(':') ||
      !c.digits(2, 2, sec)) {
    return std::nullopt;
  }
  c.skip_spaces();
  if (!c.digits(4, 4, y)) return std::nullopt;
  return make_time(y, mo, d, h, mi, sec, 0);
}

std::string format_iso8601(UnixTime t) {
  Broken b = breakdown(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", b.date.year, b.date.month,
                b.date.day, b.h, b.mi, b.sec);
  return buf;
}

std::string format_rfc3339(UnixTime t, const Zone& zone) {
  Broken b = breakdown(t + static_cast<UnixTime>(zone.offset_minutes) * 60);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", b.date.year, b.date.month,
                        b.date.day, b.h, b.mi, b.sec);
  if (zone.offset_minutes == 0 && zone.utc_name) return std::string(buf, n) + "Z";
  int m = zone.offset_minutes < 0 ? -zone.offset_minutes : zone.offset_minutes;
  std::snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", zone.offset_minutes < 0 ? '-' : '+', m / 60,
                m % 60);
  return buf;
}

std::string format_date(UnixTime t) {
  Broken b = breakdown(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", b.date.year, b.date.month, b.date.day);
  return buf;
}

}  // namespace podcastd::timefmt
