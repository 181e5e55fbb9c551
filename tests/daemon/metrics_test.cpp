#include "daemon/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace podcastd::daemon {
namespace {

TEST(Metrics, EmptyRegistryRendersNothing) {
  Metrics m;
  EXPECT_EQ(m.render(), "");
}

TEST(Metrics, CountersRenderWithHelpTypeAndSortedLabels) {
  Metrics m;
  m.add("http_requests_total", "HTTP requests.", "status=\"404\"", 1);
  m.add("http_requests_total", "ignored later help", "status=\"200\"", 2);
  m.add("http_requests_total", "", "{status=\"200\"}", 1);  // braces tolerated
  m.add("a_total", "First by name.", "", 0.5);
  EXPECT_EQ(m.render(),
            "# HELP a_total First by name.\n"
            "# TYPE a_total counter\n"
            "a_total 0.5\n"
            "# HELP http_requests_total HTTP requests.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{status=\"200\"} 3\n"
            "http_requests_total{status=\"404\"} 1\n");
}

TEST(Metrics, CounterIgnoresNegativeDeltas) {
  Metrics m;
  auto c = m.counter("x_total", "x");
  c.add(5);
  c.add(-3);
  EXPECT_NE(m.render().find("x_total 5\n"), std::string::npos);
}

TEST(Metrics, GaugeSetsAndAdds) {
  Metrics m;
  m.set("conns", "Open connections.", "", 3);
  m.add("conns", "", "", -1);  // add() on a gauge adds, negative included
  auto g = m.gauge("conns", "");
  g.add(0.25);
  EXPECT_EQ(m.render(),
            "# HELP conns Open connections.\n"
            "# TYPE conns gauge\n"
            "conns 2.25\n");
}

TEST(Metrics, HistogramRendersCumulativeBucketsSumAndCount) {
  Metrics m;
  m.observe("d_seconds", "Durations.", "route=\"a\"", 0.003);
  m.observe("d_seconds", "Durations.", "route=\"a\"", 0.2);
  m.observe("d_seconds", "Durations.", "route=\"a\"", 42);
  std::string out = m.render();
  EXPECT_NE(out.find("# TYPE d_seconds histogram\n"), std::string::npos);
  EXPECT_NE(out.find("d_seconds_bucket{route=\"a\",le=\"0.005\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("d_seconds_bucket{route=\"a\",le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(out.find("d_seconds_bucket{route=\"a\",le=\"0.25\"} 2\n"), std::string::npos);
  EXPECT_NE(out.find("d_seconds_bucket{route=\"a\",le=\"10\"} 2\n"), std::string::npos);
  EXPECT_NE(out.find("d_seconds_bucket{route=\"a\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(out.find("d_seconds_sum{route=\"a\"} 42.203\n"), std::string::npos) << out;
  EXPECT_NE(out.find("d_seconds_count{route=\"a\"} 3\n"), std::string::npos);
}

TEST(Metrics, HistogramWithoutLabels) {
  Metrics m;
  m.histogram("h", "h").observe(1);
  std::string out = m.render();
  EXPECT_NE(out.find("h_bucket{le=\"1\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{le=\"0.5\"} 0\n"), std::string::npos);
  EXPECT_NE(out.find("h_sum 1\nh_count 1\n"), std::string::npos);
}

TEST(Metrics, TypeMismatchesAndBadNamesAreNotRendered) {
  Metrics m;
  m.add("c_total", "c", "", 1);
  m.observe("c_total", "c", "", 1);  // a counter family cannot become a histogram
  m.set("c_total", "c", "", 100);    // nor a gauge
  m.add("1bad", "bad", "", 1);
  m.add("bad-name", "bad", "", 1);
  EXPECT_EQ(m.render(), "# HELP c_total c\n# TYPE c_total counter\nc_total 1\n");
}

TEST(Metrics, HelpIsEscaped) {
  Metrics m;
  m.add("e_total", "back\\slash\nnewline", "", 1);
  EXPECT_EQ(m.render(),
            "# HELP e_total back\\\\slash\\nnewline\n# TYPE e_total counter\ne_total 1\n");
}

TEST(Metrics, HandlesAppearAtOnceWithZero) {
  Metrics m;
  m.counter("z_total", "z", "k=\"v\"");
  EXPECT_EQ(m.render(), "# HELP z_total z\n# TYPE z_total counter\nz_total{k=\"v\"} 0\n");
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Metrics m;
  constexpr int kThreads = 4;
  constexpr int kAdds = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < kAdds; ++i) {
        m.add("n_total", "n", t % 2 ? "p=\"odd\"" : "p=\"even\"", 1);
        m.observe("lat_seconds", "lat", "", 0.001);
        if (i % 1000 == 0) {
          (void)m.render();
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  std::string out = m.render();
  EXPECT_NE(out.find("n_total{p=\"even\"} 40000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("n_total{p=\"odd\"} 40000\n"), std::string::npos);
  EXPECT_NE(out.find("lat_seconds_count 80000\n"), std::string::npos);
}

}  // namespace
}  // namespace podcastd::daemon
