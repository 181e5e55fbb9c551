#pragma once
// Process metrics in Prometheus text exposition format (/metrics): counters, gauges and
// histograms with fixed label sets. Thread-safe: any thread may update; rendering takes a
// consistent-enough snapshot (each value read atomically).
//
// A metric family (one name) has one type, fixed by its first use; a call that names an
// existing family with another type, or an invalid metric name, updates a detached series
// that is never rendered. Series live as long as the registry.

#include <string>
#include <string_view>

namespace podcastd::daemon {

class Metrics {
 public:
  struct Series;  // opaque; one time series (or one histogram with its buckets)

  // Handles for hot paths: created once, then updating takes no lock and allocates nothing.
  // Valid while the Metrics object lives; cheap to copy; any thread.
  class Counter {
   public:
    void add(double delta) const;  // negative deltas are ignored (counters never go down)
   private:
    friend class Metrics;
    explicit Counter(Series* s) : s_(s) {}
    Series* s_;
  };
  class Gauge {
   public:
    void set(double value) const;
    void add(double delta) const;

   private:
    friend class Metrics;
    explicit Gauge(Series* s) : s_(s) {}
    Series* s_;
  };
  class Histogram {
   public:
    void observe(double value) const;

   private:
    friend class Metrics;
    explicit Histogram(Series* s) : s_(s) {}
    Series* s_;
  };

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // `labels` is the text between the braces, e.g. `status="200"` or `a="x",b="y"` ("" for
  // none; surrounding braces are tolerated). Values must already be escaped (\\, \", \n).
  // `help` is used when the family is first created.

  // Adds `delta` to counter `name`; creates it on first use. On an existing gauge it adds too.
  void add(std::string_view name, std::string_view help, std::string_view labels, double delta);
  // Sets gauge `name`; creates it on first use.
  void set(std::string_view name, std::string_view help, std::string_view labels, double value);
  // Observes a value into histogram `name` (seconds buckets 0.005 .. 10).
  void observe(std::string_view name, std::string_view help, std::string_view labels, double value);

  // Handle forms of the above (same creation rules); the series appears in render() at once.
  Counter counter(std::string_view name, std::string_view help, std::string_view labels = {});
  Gauge gauge(std::string_view name, std::string_view help, std::string_view labels = {});
  Histogram histogram(std::string_view name, std::string_view help, std::string_view labels = {});

  // The whole registry as Prometheus text (version 0.0.4), series sorted by name and labels,
  // each family with its # HELP and # TYPE lines.
  std::string render() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace podcastd::daemon
