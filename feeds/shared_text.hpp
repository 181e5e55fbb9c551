#pragma once
// Bytes held either by themselves or as a view into a larger buffer that many share: the
// items decoded from one publish-cache file (10,000 fragments and their compressed form,
// ~24 MB) point into that file's bytes instead of each copying its part. Immutable; copies
// share. Any thread (the sharing is std::shared_ptr's).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace podcastd::feeds {

class SharedText {
 public:
  SharedText() = default;
  // Owns `text` (implicit, so a freshly made string is assigned as is).
  SharedText(std::string text)  // NOLINT(google-explicit-constructor)
      : owner_(std::make_shared<const std::string>(std::move(text))),
        view_(*static_cast<const std::string*>(owner_.get())) {}
  // Views `part` of a buffer that `owner` keeps alive.
  SharedText(std::shared_ptr<const void> owner, std::string_view part)
      : owner_(std::move(owner)), view_(part) {}

  operator std::string_view() const { return view_; }  // NOLINT(google-explicit-constructor)
  std::size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }
  std::size_t find(std::string_view s, std::size_t pos = 0) const { return view_.find(s, pos); }
  // The buffer this text lives in (what a view into it must keep alive).
  const std::shared_ptr<const void>& owner() const { return owner_; }

  friend bool operator==(const SharedText& a, const SharedText& b) { return a.view_ == b.view_; }

 private:
  std::shared_ptr<const void> owner_;
  std::string_view view_;
};

}  // namespace podcastd::feeds
