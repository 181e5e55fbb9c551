#include "catalog/show_source.hpp"

#include <string>
#include <string_view>

#include "catalog/hash.hpp"
#include "catalog/text.hpp"
#include "catalog/toml_fields.hpp"

namespace podcastd::catalog {
namespace {

// "Category" or "Category > Subcategory", normalised to single spaces around '>'.
std::optional<std::string> normalize_category(std::string_view s) {
  std::vector<std::string_view> parts = text::split(s, '>');
  if (parts.size() > 2) {
    return std::nullopt;
  }
  std::string out;
  for (std::string_view p : parts) {
    std::string part = text::collapse_whitespace(p);
    if (part.empty()) {
      return std::nullopt;
    }
    if (!out.empty()) {
      out += " > ";
    }
    out += part;
  }
  return out;
}

class ShowReader {
 public:
  ShowReader(std::string_view path, toml_fields::Reader& r, Show& show)
      : base_(toml_fields::parent_dir(path)), r_(r), show_(show) {}

  void read(const toml::table& root) {
    for (auto&& [k, v] : root) {
      std::string_view key = k.str();
      if (key == "title") {
        r_.nonempty_string(v, "title", show_.title);
      } else if (key == "description") {
        r_.string(v, "description", show_.description);
        show_.description = std::string(text::trim(show_.description));
      } else if (key == "author") {
        r_.string(v, "author", show_.author);
      } else if (key == "language") {
        if (r_.string(v, "language", show_.language) && !text::is_language_tag(show_.language)) {
          r_.bad_value(v, "language", "a language tag like \"en\" or \"en-US\"",
                       toml_fields::quoted(show_.language));
        }
      } else if (key == "link") {
        r_.url(v, "link", show_.link);
      } else if (key == "image") {
        r_.file_or_url(v, "image", base_, true, show_.image);
      } else if (key == "copyright") {
        r_.string(v, "copyright", show_.copyright);
      } else if (key == "categories") {
        categories(v);
      } else if (key == "explicit") {
        r_.boolean(v, "explicit", show_.explicit_content);
      } else if (key == "type") {
        r_.one_of(v, "type", {"episodic", "serial"}, show_.type);
      } else if (key == "guid") {
        if (r_.string(v, "guid", show_.guid) && !hash::is_uuid(show_.guid)) {
          r_.bad_value(v, "guid", "a UUID like \"917393e3-1b1e-5cef-ace4-edaa54e1f810\"",
                       toml_fields::quoted(show_.guid));
        }
      } else if (key == "locked") {
        locked_ = &v;
        r_.boolean(v, "locked", show_.locked);
      } else if (key == "new_feed_url") {
        r_.url(v, "new_feed_url", show_.new_feed_url);
      } else if (key == "medium") {
        r_.nonempty_string(v, "medium", show_.medium);
      } else if (key == "license") {
        r_.nonempty_string(v, "license", show_.license);
      } else if (key == "license_url") {
        r_.url(v, "license_url", show_.license_url);
      } else if (key == "complete") {
        r_.boolean(v, "complete", show_.complete);
      } else if (key == "block") {
        r_.boolean(v, "block", show_.block);
      } else if (key == "max_items") {
        std::int64_t n = 0;
        if (r_.integer(v, "max_items", 0, std::numeric_limits<int>::max(), "a non-negative integer",
                       n)) {
          show_.max_items = static_cast<int>(n);
        }
      } else if (key == "update_frequency") {
        r_.string(v, "update_frequency", show_.update_frequency);
      } else if (key == "update_rrule") {
        rrule_ = &v;
        if (r_.nonempty_string(v, "update_rrule", show_.update_frequency_rrule) &&
            show_.update_frequency_rrule.find("FREQ=") == std::string::npos) {
          r_.bad_value(v, "update_rrule", "an RFC 5545 rule like \"FREQ=WEEKLY;BYDAY=MO\"",
                       toml_fields::quoted(show_.update_frequency_rrule));
        }
      } else if (key == "owner") {
        owner_ = &v;
        owner(v);
      } else if (key == "funding") {
        r_.funding(v, show_.funding);
      } else if (key == "person") {
        r_.persons(v, show_.persons);
      } else if (key == "location") {
        r_.locations(v, show_.locations);
      } else if (key == "txt") {
        r_.txt(v, show_.txt);
      } else {
        r_.unknown_key(k, "");
      }
    }
    if (rrule_ && show_.update_frequency.empty()) {
      r_.warn(rrule_->source(),
              "update_rrule without update_frequency: podcast:updateFrequency needs the "
              "display text");
    }
    if (owner_ && owner_->is_table() && show_.owner_email.empty()) {
      r_.warn(owner_->source(), "owner has no email: directories use it to verify ownership");
    }
    if (locked_ && show_.locked == true && show_.owner_email.empty()) {
      r_.warn(locked_->source(),
              "locked = true without [owner] email: podcast:locked gets no owner");
    }
  }

 private:
  // categories = ["Technology", "Society & Culture > Documentary"]; one string is accepted.
  void categories(const toml::node& n) {
    auto one = [&](const toml::node& item) {
      std::string s;
      if (!item.is_string()) {
        r_.expected(item, "categories", "an array of strings");
        return;
      }
      if (!r_.string(item, "categories", s)) {
        return;
      }
      std::optional<std::string> c = normalize_category(s);
      if (!c) {
        r_.bad_value(item, "categories", "\"Category\" or \"Category > Subcategory\"",
                     toml_fields::quoted(s));
        return;
      }
      show_.categories.push_back(std::move(*c));
    };
    if (n.is_string()) {
      one(n);
    } else if (const toml::array* arr = n.as_array()) {
      for (const toml::node& item : *arr) {
        one(item);
      }
    } else {
      r_.expected(n, "categories", "an array of strings");
    }
  }

  // [owner] name, email; the email is also the podcast:locked owner.
  void owner(const toml::node& n) {
    const toml::table* t = n.as_table();
    if (!t) {
      r_.expected(n, "owner", "a table ([owner])");
      return;
    }
    for (auto&& [k, v] : *t) {
      std::string_view key = k.str();
      if (key == "name") {
        r_.string(v, "owner.name", show_.owner_name);
      } else if (key == "email") {
        if (r_.string(v, "owner.email", show_.owner_email)) {
          if (!text::is_email(show_.owner_email)) {
            r_.bad_value(v, "owner.email", "an email address",
                         toml_fields::quoted(show_.owner_email));
          } else {
            show_.locked_owner = show_.owner_email;
          }
        }
      } else {
        r_.unknown_key(k, "owner");
      }
    }
  }

  std::string_view base_;
  toml_fields::Reader& r_;
  Show& show_;
  const toml::node* rrule_ = nullptr;
  const toml::node* owner_ = nullptr;
  const toml::node* locked_ = nullptr;
};

}  // namespace

Result<ShowFile> parse_show_toml(std::string_view path, std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) {
    text.remove_prefix(kBom.size());
  }
  if (std::size_t bad = text::first_invalid_utf8(text); bad != std::string_view::npos) {
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
    return make_error(ErrorCode::parse,
                      std::string(path) + ":" + std::to_string(line) + ": invalid UTF-8");
  }
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    int line = static_cast<int>(e.source().begin.line);
    return make_error(ErrorCode::parse, std::string(path) + ":" +
                                            std::to_string(line > 0 ? line : 1) + ": " +
                                            std::string(e.description()));
  }
  ShowFile result;
  toml_fields::Reader r(path, 0);
  ShowReader(path, r, result.show).read(root);
  if (r.failed()) {
    return r.error();
  }
  result.warnings = r.take_warnings();
  return result;
}

}  // namespace podcastd::catalog
