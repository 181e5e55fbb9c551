#pragma once
// Apple Podcasts categories (STANDARDS.md 2.8): the current list (19 top-level categories,
// with "Religion" under Religion & Spirituality, which the W3C list leaves out) and the
// pre-2019 list that W3C reports as ObsoleteItunesCategory. Matching is exact (case and
// punctuation). Pure functions over static tables; any thread.

#include <string>
#include <string_view>

namespace podcastd::feeds {

enum class CategoryStatus { valid, obsolete, invalid };

// Status of a top-level category.
CategoryStatus apple_category_status(std::string_view category);
// Status of `sub` under `parent` (parent as written, valid or obsolete).
CategoryStatus apple_subcategory_status(std::string_view parent, std::string_view sub);
// The current spelling of a category or subcategory that differs only in case, spacing or
// "and"/"&" ("kids & family" -> "Kids & Family"); "" when there is none. `parent` is "" for
// top-level names.
std::string apple_category_suggestion(std::string_view parent, std::string_view name);

}  // namespace podcastd::feeds
