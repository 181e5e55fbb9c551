#pragma once
// Date and time parsing and formatting for sources (RFC 3339, TOML, dd.mm.yyyy), feeds
// (RFC 2822) and HTTP (IMF-fixdate). All times are Unix seconds, UTC. Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace podcastd::timefmt {

using UnixTime = std::int64_t;

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int year, int month, int day);
CivilDate civil_from_days(std::int64_t days);
bool is_valid_date(int year, int month, int day);

// The zone a date was written in, which the parsers below report when asked: its offset from
// UTC, and whether it was named as UTC itself (Z, GMT, UT, UTC) rather than as an offset
// (+0000) or not given.
struct Zone {
  int offset_minutes = 0;
  bool utc_name = false;
  bool operator==(const Zone&) const = default;
};

// RFC 3339 / ISO 8601: "2024-04-03T02:06:28Z", "2024-04-03 02:06:28+02:00",
// "2024-04-03T02:06" (UTC), fractions ignored; a bare date "2024-04-03" is 00:00 UTC.
std::optional<UnixTime> parse_rfc3339(std::string_view s, Zone* zone = nullptr);

// RFC 822/2822 as feeds write them: optional "Ddd, ", 1-2 digit day, English month, 2- or
// 4-digit year, HH:MM[:SS], zone as +HHMM, a name (GMT, UT, EST...) or a military letter.
// The day of week is not checked here (the validator does that).
std::optional<UnixTime> parse_rfc2822(std::string_view s, Zone* zone = nullptr);

// Day-first dates seen on localized pages: "21.05.2026", "21/05/2026" -> 00:00 UTC.
std::optional<UnixTime> parse_dmy(std::string_view s);

// "Wed, 03 Apr 2024 02:06:28 +0000"
std::string format_rfc2822(UnixTime t);
// "Wed, 03 Apr 2024 02:06:28 GMT" (HTTP IMF-fixdate)
std::string format_http_date(UnixTime t);
// HTTP dates in any of the three RFC 9110 forms -> time.
std::optional<UnixTime> parse_http_date(std::string_view s);
// "2024-04-03T02:06:28Z"
std::string format_iso8601(UnixTime t);
// `t` in `zone`: "2024-04-03T04:06:28+02:00"; "...Z" when the zone was named as UTC.
std::string format_rfc3339(UnixTime t, const Zone& zone);
// "2024-04-03"
std::string format_date(UnixTime t);

// Day of week, 0 = Sunday.
int weekday(std::int64_t days_since_epoch);

}  // namespace podcastd::timefmt
