#include "daemon/metrics.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>

namespace podcastd::daemon {

namespace {

enum class Type { counter, gauge, histogram };

// Prometheus' default buckets (seconds), which the exposition format's `le` labels print as-is.
constexpr std::array<double, 11> kBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                            0.5,   1,    2.5,   5,    10};
constexpr std::array<std::string_view, 11> kBoundText = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"};

bool valid_name(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::string_view strip_braces(std::string_view labels) {
  if (labels.size() >= 2 && labels.front() == '{' && labels.back() == '}') {
    labels = labels.substr(1, labels.size() - 2);
  }
  return labels;
}

void append_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[32];
  std::to_chars_result r;
  if (v == std::trunc(v) && std::fabs(v) < 1e15) {
    r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v));
  } else {
    r = std::to_chars(buf, buf + sizeof buf, v);
  }
  out.append(buf, r.ptr);
}

void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

const char* type_name(Type t) {
  switch (t) {
    case Type::counter:
      return "counter";
    case Type::gauge:
      return "gauge";
    case Type::histogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

struct Metrics::Series {
  std::atomic<double> value{0};
  // Histograms: per-bucket (not cumulative) counts; values above the last bound only count.
  std::array<std::atomic<std::uint64_t>, kBounds.size()> buckets{};
  std::atomic<double> sum{0};
  std::atomic<std::uint64_t> count{0};
};

struct Metrics::Impl {
  struct Family {
    Type type;
    std::string help;
    std::map<std::string, std::unique_ptr<Series>, std::less<>> series;
  };

  // Finds or creates the series. `counter_on_gauge`: a counter request may use a gauge family
  // (add() on a gauge adds). Mismatches and bad names get the unrendered sink.
  Series* find(Type type, std::string_view name, std::string_view help, std::string_view labels,
               bool counter_on_gauge, Type* actual) {
    labels = strip_braces(labels);
    *actual = type;
    if (!valid_name(name)) {
      return &sink;
    }
    auto type_ok = [&](Type have) {
      return have == type || (counter_on_gauge && type == Type::counter && have == Type::gauge);
    };
    {
      std::shared_lock lock(mu);
      auto f = families.find(name);
      if (f != families.end()) {
        if (!type_ok(f->second.type)) {
          return &sink;
        }
        auto s = f->second.series.find(labels);
        if (s != f->second.series.end()) {
          *actual = f->second.type;
          return s->second.get();
        }
      }
    }
    std::unique_lock lock(mu);
    auto f = families.find(name);
    if (f == families.end()) {
      f = families.emplace(std::string(name), Family{type, std::string(help), {}}).first;
    }
    if (!type_ok(f->second.type)) {
      return &sink;
    }
    *actual = f->second.type;
    auto s = f->second.series.find(labels);
    if (s == f->second.series.end()) {
      s = f->second.series.emplace(std::string(labels), std::make_unique<Series>()).first;
    }
    return s->second.get();
  }

  mutable std::shared_mutex mu;
  std::map<std::string, Family, std::less<>> families;
  Series sink;
};

void Metrics::Counter::add(double delta) const {
  if (delta > 0) {
    s_->value.fetch_add(delta, std::memory_order_relaxed);
  }
}

void Metrics::Gauge::set(double value) const { s_->value.store(value, std::memory_order_relaxed); }

void Metrics::Gauge::add(double delta) const {
  s_->value.fetch_add(delta, std::memory_order_relaxed);
}

void Metrics::Histogram::observe(double value) const {
  if (std::isnan(value)) {
    return;
  }
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    if (value <= kBounds[i]) {
      s_->buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  s_->sum.fetch_add(value, std::memory_order_relaxed);
  s_->count.fetch_add(1, std::memory_order_relaxed);
}

Metrics::Metrics() : impl_(new Impl) {}
Metrics::~Metrics() { delete impl_; }

void Metrics::add(std::string_view name, std::string_view help, std::string_view labels,
                  double delta) {
  Type actual;
  Series* s = impl_->find(Type::counter, name, help, labels, true, &actual);
  if (actual == Type::gauge) {
    Gauge(s).add(delta);
  } else {
    Counter(s).add(delta);
  }
}

void Metrics::set(std::string_view name, std::string_view help, std::string_view labels,
                  double value) {
  gauge(name, help, labels).set(value);
}

void Metrics::observe(std::string_view name, std::string_view help, std::string_view labels,
                      double value) {
  histogram(name, help, labels).observe(value);
}

Metrics::Counter Metrics::counter(std::string_view name, std::string_view help,
                                  std::string_view labels) {
  Type actual;
  return Counter(impl_->find(Type::counter, name, help, labels, false, &actual));
}

Metrics::Gauge Metrics::gauge(std::string_view name, std::string_view help,
                              std::string_view labels) {
  Type actual;
  return Gauge(impl_->find(Type::gauge, name, help, labels, false, &actual));
}

Metrics::Histogram Metrics::histogram(std::string_view name, std::string_view help,
                                      std::string_view labels) {
  Type actual;
  return Histogram(impl_->find(Type::histogram, name, help, labels, false, &actual));
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(4096);
  std::shared_lock lock(impl_->mu);
  // No structured bindings: clang 14 cannot capture them in the lambda below.
  for (const auto& family_entry : impl_->families) {
    const std::string& name = family_entry.first;
    const Impl::Family& family = family_entry.second;
    out += "# HELP ";
    out += name;
    out += ' ';
    append_help(out, family.help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type_name(family.type);
    out += '\n';
    for (const auto& series_entry : family.series) {
      const std::string& labels = series_entry.first;
      const Series* series = series_entry.second.get();
      if (family.type != Type::histogram) {
        out += name;
        if (!labels.empty()) {
          out += '{';
          out += labels;
          out += '}';
        }
        out += ' ';
        append_value(out, series->value.load(std::memory_order_relaxed));
        out += '\n';
        continue;
      }
      auto line = [&](std::string_view suffix, std::string_view le) {
        out += name;
        out += suffix;
        if (!labels.empty() || !le.empty()) {
          out += '{';
          out += labels;
          if (!le.empty()) {
            if (!labels.empty()) {
              out += ',';
            }
            out += "le=\"";
            out += le;
            out += '"';
          }
          out += '}';
        }
        out += ' ';
      };
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBounds.size(); ++i) {
        cumulative += series->buckets[i].load(std::memory_order_relaxed);
        line("_bucket", kBoundText[i]);
        append_value(out, static_cast<double>(cumulative));
        out += '\n';
      }
      // Read after the buckets so +Inf is never below a finite bucket.
      std::uint64_t count = series->count.load(std::memory_order_relaxed);
      if (count < cumulative) {
        count = cumulative;
      }
      line("_bucket", "+Inf");
      append_value(out, static_cast<double>(count));
      out += '\n';
      line("_sum", {});
      append_value(out, series->sum.load(std::memory_order_relaxed));
      out += '\n';
      line("_count", {});
      append_value(out, static_cast<double>(count));
      out += '\n';
    }
  }
  return out;
}

}  // namespace podcastd::daemon
