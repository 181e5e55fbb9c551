#pragma once
// Process metrics in Prometheus text exposition format (/metrics): counters, gauges and
// histograms with fixed label sets. Thread-safe: any thread may update; rendering takes a
// consistent-enough snapshot (each value read atomically).

#include <string>
#include <string_view>

namespace podcastd::daemon {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Adds `delta` to counter `name` with labels like {"status", "200"}; creates it on first use.
  // `help` is used when the series is first created.
  void add(std::string_view name, std::string_view help, std::string_view labels, double delta);
  void set(std::string_view name, std::string_view help, std::string_view labels, double value);
  // Observes a value into histogram `name` (seconds buckets 0.005 .. 10).
  void observe(std::string_view name, std::string_view help, std::string_view labels, double value);

  // The whole registry as Prometheus text (version 0.0.4), series sorted by name and labels.
  std::string render() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace podcastd::daemon
