#pragma once
// Golden-file comparison for rendered documents (tests/data/golden/NAME), byte for byte.
//
// To accept new output after an intended change, run the tests with PODCASTD_UPDATE_GOLDEN=1:
//   PODCASTD_UPDATE_GOLDEN=1 build/tests/podcastd_feeds_tests
// which rewrites every golden file a test compares against (review the diff before committing).
// Test-only; single-threaded use.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "tests/support/test_support.hpp"

namespace podcastd::testing {

inline bool update_golden_requested() {
  const char* env = std::getenv("PODCASTD_UPDATE_GOLDEN");
  return env != nullptr && std::string_view(env) == "1";
}

// Describes the first difference: line number and both versions of that line.
inline std::string first_difference(std::string_view expected, std::string_view actual) {
  std::size_t i = 0;
  const std::size_t n = std::min(expected.size(), actual.size());
  while (i < n && expected[i] == actual[i]) {
    ++i;
  }
  const std::size_t line =
      static_cast<std::size_t>(
          std::count(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(i), '\n')) +
      1;
  auto line_at = [i](std::string_view s) {
    std::size_t b = s.rfind('\n', i == 0 ? 0 : i - 1);
    b = b == std::string_view::npos ? 0 : b + 1;
    std::size_t e = s.find('\n', i);
    return std::string(s.substr(b, e == std::string_view::npos ? s.npos : e - b));
  };
  return "first difference at byte " + std::to_string(i) + ", line " + std::to_string(line) +
         "\n  expected: " + (i < expected.size() ? line_at(expected) : "<end of file>") +
         "\n  actual:   " + (i < actual.size() ? line_at(actual) : "<end of file>");
}

// Compares `actual` with tests/data/golden/`name`, or rewrites the file when
// PODCASTD_UPDATE_GOLDEN=1.
inline void expect_golden(const std::string& name, const std::string& actual) {
  const fs::path path = test_data_dir() / "golden" / name;
  if (update_golden_requested()) {
    write_file(path, actual);
    std::cout << "[ golden   ] rewrote " << path.string() << "\n";
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path << " is missing; create it with PODCASTD_UPDATE_GOLDEN=1";
  const std::string expected = read_file(path);
  EXPECT_TRUE(expected == actual) << name << " differs from the golden file: "
                                  << first_difference(expected, actual)
                                  << "\n(rerun with PODCASTD_UPDATE_GOLDEN=1 to accept it)";
}

}  // namespace podcastd::testing
