#pragma once
// podcastd::Result<T> and podcastd::Error: the project's expected-like return type for
// failures that are part of normal operation (bad input, invalid feed data, configuration
// errors, fetch failures). Exceptions are kept for what cannot be handled locally.
//
// Not std::expected: clang 14 (the fuzz and tidy builds) cannot compile libstdc++'s
// <expected>. Values of these types are plain data: any thread may use them.

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace podcastd {

enum class ErrorCode {
  invalid_argument,  // a caller passed something malformed (command line, API input)
  parse,             // outside input could not be read as its format
  io,                // the file system refused (open, read, write, rename, fsync)
  not_found,         // a named thing does not exist
  conflict,          // two sources disagree (duplicate GUIDs, a lock held by another process)
  validation,        // a feed or document breaks a rule
  config,            // the configuration is wrong
  network,           // a fetch failed (DNS, connect, timeout, HTTP status)
  refused,           // policy refused the operation (private address, path escape)
  internal,          // a broken invariant reported without throwing
};

const char* to_string(ErrorCode code);

// An error with its message. Messages carry their location the way compilers do:
// "episodes/012.md:7: missing title".
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;

  bool operator==(const Error&) const = default;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

// Holds either a T or an Error. Accessing the wrong alternative is a programming error
// (asserted in Debug builds).
template <typename T>
class [[nodiscard]] Result {
 public:
  static_assert(!std::is_same_v<T, Error>, "Result<Error> is ambiguous");

  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error)
      : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace podcastd
