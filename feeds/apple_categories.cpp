#include "feeds/apple_categories.hpp"

#include <array>
#include <cctype>
#include <string_view>

namespace podcastd::feeds {
namespace {

struct Category {
  std::string_view name;
  std::string_view subs[16];  // empty entries end the list
};

// Current list: STANDARDS.md 2.8 (Apple's list, cross-checked with the W3C validator).
constexpr Category kCurrent[] = {
    {"Arts", {"Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"}},
    {"Business",
     {"Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"}},
    {"Comedy", {"Comedy Interviews", "Improv", "Stand-Up"}},
    {"Education", {"Courses", "How To", "Language Learning", "Self-Improvement"}},
    {"Fiction", {"Comedy Fiction", "Drama", "Science Fiction"}},
    {"Government", {}},
    {"History", {}},
    {"Health & Fitness",
     {"Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"}},
    {"Kids & Family", {"Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"}},
    {"Leisure",
     {"Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden",
      "Video Games"}},
    {"Music", {"Music Commentary", "Music History", "Music Interviews"}},
    {"News",
     {"Business News", "Daily News", "Entertainment News", "News Commentary", "Politics",
      "Sports News", "Tech News"}},
    {"Religion & Spirituality",
     {"Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"}},
    {"Science",
     {"Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
      "Natural Sciences", "Nature", "Physics", "Social Sciences"}},
    {"Society & Culture",
     {"Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"}},
    {"Sports",
     {"Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby",
      "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling"}},
    {"Technology", {}},
    {"True Crime", {}},
    {"TV & Film", {"After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"}},
};

// The pre-2019 list (W3C feedvalidator's old_itunes_categories): accepted with APL-W04.
constexpr Category kObsolete[] = {
    {"Arts", {"Literature"}},
    {"Arts & Entertainment",
     {"Architecture", "Design", "Entertainment", "Games", "Performing Arts", "Photography",
      "Poetry", "Science Fiction"}},
    {"Audio Blogs", {}},
    {"Business", {"Careers", "Finance", "Investing", "Management & Marketing", "News", "Shopping"}},
    {"Comedy", {}},
    {"Education",
     {"Education Technology", "Higher Education", "K-12", "Language Courses", "Training"}},
    {"Family", {}},
    {"Food", {}},
    {"Games & Hobbies", {"Automotive", "Aviation", "Hobbies", "Other Games", "Video Games"}},
    {"Government & Organizations", {"Local", "National", "Non-Profit", "Regional"}},
    {"Health",
     {"Alternative Health", "Diet & Nutrition", "Fitness", "Fitness & Nutrition", "Relationships",
      "Self-Help", "Sexuality"}},
    {"International",
     {"Australian", "Belgian", "Brazilian", "Canadian", "Chinese", "Dutch", "French", "German",
      "Hebrew", "Italian", "Japanese", "Norwegian", "Polish", "Portuguese", "Spanish", "Swedish"}},
    {"Movies & Television", {}},
    {"News & Politics", {}},
    {"Politics", {}},
    {"Public Radio", {}},
    {"Religion & Spirituality",
     {"Buddhism", "Christianity", "Islam", "Judaism", "New Age", "Philosophy", "Other",
      "Spirituality"}},
    {"Science & Medicine", {"Medicine", "Natural Sciences", "Social Sciences"}},
    {"Society & Culture", {"History"}},
    {"Sports & Recreation", {"Amateur", "College & High School", "Outdoor", "Professional"}},
    {"Talk Radio", {}},
    {"Technology",
     {"Computers", "Developers", "Gadgets", "Information Technology", "News", "Operating Systems",
      "Podcasting", "Smart Phones", "Software How-To", "Tech News", "Text/Speech"}},
    {"Transportation", {"Automotive", "Aviation", "Bicycles", "Commuting"}},
    {"Travel", {}},
};

template <std::size_t N>
const Category* find(const Category (&table)[N], std::string_view name) {
  for (const Category& c : table) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

bool has_sub(const Category* c, std::string_view sub) {
  if (c == nullptr) {
    return false;
  }
  for (std::string_view s : c->subs) {
    if (s.empty()) {
      break;
    }
    if (s == sub) {
      return true;
    }
  }
  return false;
}

// Lower-case letters and digits only, "and" read as "&": "kids and family" == "Kids & Family".
std::string fold(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (c == '&') {
      out += "and";
    }
  }
  return out;
}

}  // namespace

CategoryStatus apple_category_status(std::string_view category) {
  if (find(kCurrent, category) != nullptr) {
    return CategoryStatus::valid;
  }
  return find(kObsolete, category) != nullptr ? CategoryStatus::obsolete : CategoryStatus::invalid;
}

CategoryStatus apple_subcategory_status(std::string_view parent, std::string_view sub) {
  if (has_sub(find(kCurrent, parent), sub)) {
    return CategoryStatus::valid;
  }
  return has_sub(find(kObsolete, parent), sub) ? CategoryStatus::obsolete : CategoryStatus::invalid;
}

std::string apple_category_suggestion(std::string_view parent, std::string_view name) {
  const std::string key = fold(name);
  if (key.empty()) {
    return "";
  }
  if (parent.empty()) {
    for (const Category& c : kCurrent) {
      if (fold(c.name) == key) {
        return std::string(c.name);
      }
    }
    return "";
  }
  const Category* c = find(kCurrent, parent);
  if (c == nullptr) {
    return "";
  }
  for (std::string_view s : c->subs) {
    if (s.empty()) {
      break;
    }
    if (fold(s) == key) {
      return std::string(s);
    }
  }
  return "";
}

}  // namespace podcastd::feeds
