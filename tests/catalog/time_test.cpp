#include "catalog/time.hpp"

#include <gtest/gtest.h>

namespace podcastd::timefmt {
namespace {

TEST(Rfc3339, ParsesForms) {
  EXPECT_EQ(parse_rfc3339("2024-04-03T02:06:28Z"), 1712109988);
  EXPECT_EQ(parse_rfc3339("2024-04-03T04:06:28+02:00"), 1712109988);
  EXPECT_EQ(parse_rfc3339("2024-04-03 02:06:28.123Z"), 1712109988);
  EXPECT_EQ(parse_rfc3339("2024-04-03T02:06"), 1712109960);
  EXPECT_EQ(parse_rfc3339("2024-04-03"), 1712102400);
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00-01:30"), 5400);
}

TEST(Rfc3339, RejectsMalformed) {
  for (const char* bad : {"", "2024-4-3", "2024-02-30", "2024-04-03T25:00:00Z", "2024-04-03Tx",
                          "2024-04-03T02:06:28+2", "yesterday", "2024-04-03 junk"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(Rfc2822, FormatsLikeTheGeneratorChecklist) {
  EXPECT_EQ(format_rfc2822(1712109988), "Wed, 03 Apr 2024 02:06:28 +0000");
  EXPECT_EQ(format_http_date(1712109988), "Wed, 03 Apr 2024 02:06:28 GMT");
  EXPECT_EQ(format_rfc2822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(format_iso8601(1712109988), "2024-04-03T02:06:28Z");
  EXPECT_EQ(format_date(1712109988), "2024-04-03");
}

TEST(Rfc2822, ParsesWhatFeedsWrite) {
  EXPECT_EQ(parse_rfc2822("Wed, 03 Apr 2024 02:06:28 +0000"), 1712109988);
  EXPECT_EQ(parse_rfc2822("Wed, 3 Apr 2024 04:06:28 +0200"), 1712109988);
  EXPECT_EQ(parse_rfc2822("03 Apr 2024 02:06:28 GMT"), 1712109988);
  EXPECT_EQ(parse_rfc2822("Tue, 02 Apr 2024 21:06:28 EST"), 1712109988);
  EXPECT_EQ(parse_rfc2822("Wed, 03 Apr 24 02:06 +0000"), 1712109960);
  EXPECT_EQ(parse_rfc2822("Wednesday, 03 Apr 2024 02:06:28 +00:00"), 1712109988);
  EXPECT_FALSE(parse_rfc2822("2024-04-03"));
  EXPECT_FALSE(parse_rfc2822("Wed, 03 Foo 2024 02:06:28 +0000"));
  EXPECT_FALSE(parse_rfc2822("Wed, 03 Apr 2024 02:06:28 +0000 trailing"));
}

TEST(Zone, ParsersReportTheZoneAndFormatWritesItBack) {
  Zone z;
  ASSERT_TRUE(parse_rfc2822("Wed, 20 Mar 2024 05:00:00 GMT", &z));
  EXPECT_EQ(z, (Zone{0, true}));
  ASSERT_TRUE(parse_rfc2822("Wed, 20 Mar 2024 05:00:00 +0000", &z));
  EXPECT_EQ(z, (Zone{0, false}));
  std::optional<UnixTime> t = parse_rfc2822("Tue, 5 Mar 2024 10:00:00 PST", &z);
  ASSERT_TRUE(t);
  EXPECT_EQ(z, (Zone{-480, false}));
  EXPECT_EQ(format_rfc3339(*t, z), "2024-03-05T10:00:00-08:00");
  ASSERT_TRUE(parse_rfc2822("Tue, 5 Mar 2024 10:00:00 A", &z));  // military: -0000
  EXPECT_EQ(z, (Zone{0, false}));
  t = parse_rfc3339("2022-11-02T08:00:00Z", &z);
  EXPECT_EQ(z, (Zone{0, true}));
  EXPECT_EQ(format_rfc3339(*t, z), "2022-11-02T08:00:00Z");
  t = parse_rfc3339("2022-11-02T08:00:00+05:30", &z);
  EXPECT_EQ(z, (Zone{330, false}));
  EXPECT_EQ(format_rfc3339(*t, z), "2022-11-02T08:00:00+05:30");
  EXPECT_EQ(format_rfc3339(0, Zone{-90, false}), "1969-12-31T22:30:00-01:30");
}

TEST(HttpDate, ParsesAllThreeForms) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
}

TEST(Dmy, ParsesLocalizedDates) {
  EXPECT_EQ(parse_dmy("21.05.2026"), parse_rfc3339("2026-05-21"));
  EXPECT_EQ(parse_dmy("1/5/2025"), parse_rfc3339("2025-05-01"));
  EXPECT_FALSE(parse_dmy("31.02.2026"));
  EXPECT_FALSE(parse_dmy("21.05.26"));
}

TEST(Civil, RoundTripsAndWeekday) {
  for (std::int64_t d : {-719468LL, -1LL, 0LL, 19816LL, 2932896LL}) {
    CivilDate c = civil_from_days(d);
    EXPECT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(weekday(0), 4);      // 1970-01-01 was a Thursday
  EXPECT_EQ(weekday(19816), 3);  // 2024-04-03 was a Wednesday
  EXPECT_EQ(weekday(-1), 3);
}

}  // namespace
}  // namespace podcastd::timefmt
