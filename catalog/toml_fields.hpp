#pragma once
// Private to the TOML-based source parsers (markdown_source.cpp, show_source.cpp): typed
// readers for TOML values that record located, exactly worded errors and warnings, plus the
// records both files share ([[person]], location, [[funding]], [[txt]]). Not part of the
// catalog's public interface: it exposes toml++, which is a private dependency.
// One Reader per parse; single-threaded use.
//
// Message shapes (tests assert them):
//   "PATH:LINE: unknown key 'person.nick'"
//   "PATH:LINE: NAME: expected WHAT, got a string"        (wrong TOML type)
//   "PATH:LINE: NAME: expected WHAT, got \"value\""        (right type, bad value)
//   "PATH:LINE: NAME: missing required key 'KEY'"         (at the table's first line)
// LINE is the TOML line plus the document's offset in its file (front matter).

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/model.hpp"
#include "catalog/result.hpp"
#include "catalog/text.hpp"
#include "catalog/time.hpp"

namespace podcastd::catalog::toml_fields {

inline const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// `"value"` for messages: quoted, cut to 60 bytes so a pasted paragraph stays readable.
// (Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict) on "\"" + std::string.)
inline std::string quoted(std::string_view s) {
  std::string out = "\"";
  out += text::truncate_utf8(s, 60);
  out += '"';
  return out;
}

// "" when `url` is an absolute http(s) URL with a host and no spaces or control characters,
// else what is wrong with it.
inline std::string check_http_url(std::string_view url) {
  if (!text::has_http_scheme(url)) {
    return "expected an http:// or https:// URL, got " + toml_fields::quoted(url);
  }
  std::string_view rest = url.substr(url.find("://") + 3);
  if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') {
    return "URL has no host: " + toml_fields::quoted(url);
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return "URL contains a space or control character: " + toml_fields::quoted(url);
    }
  }
  return "";
}

// Length of a URI scheme followed by ':' at the start of `s` ("https" in "https://x"), or 0.
inline std::size_t scheme_length(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
    return 0;
  }
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') {
      return i;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.';
    if (!ok) {
      return 0;
    }
  }
  return 0;
}

// Joins `rel` to the folder `base` ("" = content root) and removes "." and ".." segments.
// nullopt when the result would leave the content directory.
inline std::optional<std::string> join_relative(std::string_view base, std::string_view rel) {
  std::vector<std::string_view> parts;
  auto push = [&parts](std::string_view s) {
    for (std::string_view seg : text::split(s, '/')) {
      if (seg.empty() || seg == ".") {
        continue;
      }
      if (seg == "..") {
        if (parts.empty()) {
          return false;
        }
        parts.pop_back();
      } else {
        parts.push_back(seg);
      }
    }
    return true;
  };
  if (!push(base) || !push(rel)) {
    return std::nullopt;
  }
  std::string out;
  for (std::string_view p : parts) {
    if (!out.empty()) {
      out += '/';
    }
    out += p;
  }
  return out;
}

// The folder part of a content-relative path: "a/b/ep.md" -> "a/b", "ep.md" -> "".
inline std::string_view parent_dir(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

// First C0 control character other than tab, LF and CR (XML 1.0 forbids them), or npos.
inline std::size_t find_control_char(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      return i;
    }
  }
  return std::string_view::npos;
}

class Reader {
 public:
  // `path` names the file in messages; `line_offset` is added to every TOML line.
  Reader(std::string_view path, int line_offset) : path_(path), line_offset_(line_offset) {}

  int line_of(const toml::source_region& where) const {
    int line = static_cast<int>(where.begin.line);
    return (line > 0 ? line : 1) + line_offset_;
  }

  // Records an error; the one earliest in the file is reported, so the result does not
  // depend on toml++'s (sorted) key order.
  void fail(const toml::source_region& where, std::string message) {
    int line = line_of(where);
    int column = static_cast<int>(where.begin.column);
    if (!failed_ || line < error_line_ || (line == error_line_ && column < error_column_)) {
      failed_ = true;
      error_line_ = line;
      error_column_ = column;
      error_message_ = std::move(message);
    }
  }
  void warn(const toml::source_region& where, std::string message) {
    warnings_.push_back(Diagnostic{Diagnostic::Severity::warning, std::string(path_),
                                   line_of(where), std::move(message)});
  }

  bool failed() const { return failed_; }
  Error error() const {
    return make_error(ErrorCode::parse, std::string(path_) + ":" + std::to_string(error_line_) +
                                            ": " + error_message_);
  }
  // Warnings in file order.
  std::vector<Diagnostic> take_warnings() {
    std::stable_sort(warnings_.begin(), warnings_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    return std::move(warnings_);
  }

  void unknown_key(const toml::key& key, std::string_view prefix) {
    std::string name(prefix);
    if (!name.empty()) {
      name += '.';
    }
    name += key.str();
    fail(key.source(), "unknown key '" + name + "'");
  }
  void missing(const toml::node& table, std::string_view name, std::string_view key) {
    fail(table.source(), std::string(name) + ": missing required key '" + std::string(key) + "'");
  }
  void expected(const toml::node& n, std::string_view name, std::string_view what) {
    fail(n.source(),
         std::string(name) + ": expected " + std::string(what) + ", got " + type_name(n));
  }
  void bad_value(const toml::node& n, std::string_view name, std::string_view what,
                 std::string_view got) {
    fail(n.source(),
         std::string(name) + ": expected " + std::string(what) + ", got " + std::string(got));
  }
  void problem(const toml::node& n, std::string_view name, std::string_view what) {
    fail(n.source(), std::string(name) + ": " + std::string(what));
  }

  // A string (any content, "" allowed); no C0 control characters but tab/LF/CR.
  bool string(const toml::node& n, std::string_view name, std::string& out) {
    const toml::value<std::string>* v = n.as_string();
    if (!v) {
      expected(n, name, "a string");
      return false;
    }
    const std::string& s = v->get();
    if (std::size_t pos = find_control_char(s); pos != std::string::npos) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(s[pos]));
      problem(n, name, std::string("contains a control character (U+") + hex + ")");
      return false;
    }
    out = s;
    return true;
  }
  // A string that is not blank; stored trimmed.
  bool nonempty_string(const toml::node& n, std::string_view name, std::string& out) {
    std::string s;
    if (!string(n, name, s)) {
      return false;
    }
    std::string_view t = text::trim(s);
    if (t.empty()) {
      problem(n, name, "must not be empty");
      return false;
    }
    out = std::string(t);
    return true;
  }
  bool boolean(const toml::node& n, std::string_view name, bool& out) {
    const toml::value<bool>* v = n.as_boolean();
    if (!v) {
      expected(n, name, "true or false");
      return false;
    }
    out = v->get();
    return true;
  }
  bool boolean(const toml::node& n, std::string_view name, std::optional<bool>& out) {
    bool b = false;
    if (!boolean(n, name, b)) {
      return false;
    }
    out = b;
    return true;
  }
  // An integer in [min, max]; `what` names the range in messages ("a positive integer").
  bool integer(const toml::node& n, std::string_view name, std::int64_t min, std::int64_t max,
               std::string_view what, std::int64_t& out) {
    const toml::value<std::int64_t>* v = n.as_integer();
    if (!v) {
      expected(n, name, what);
      return false;
    }
    if (v->get() < min || v->get() > max) {
      bad_value(n, name, what, std::to_string(v->get()));
      return false;
    }
    out = v->get();
    return true;
  }
  bool positive_int(const toml::node& n, std::string_view name, std::optional<int>& out) {
    std::int64_t v = 0;
    if (!integer(n, name, 1, std::numeric_limits<int>::max(), "a positive integer", v)) {
      return false;
    }
    out = static_cast<int>(v);
    return true;
  }
  bool non_negative_int(const toml::node& n, std::string_view name, std::int64_t& out) {
    return integer(n, name, 0, std::numeric_limits<std::int64_t>::max(), "a non-negative integer",
                   out);
  }
  // One of `allowed`, exactly as written.
  bool one_of(const toml::node& n, std::string_view name,
              std::initializer_list<std::string_view> allowed, std::string& out) {
    std::string what = "one of ";
    bool first = true;
    for (std::string_view a : allowed) {
      if (!first) {
        what += ", ";
      }
      what += a;
      first = false;
    }
    const toml::value<std::string>* v = n.as_string();
    if (!v) {
      expected(n, name, what);
      return false;
    }
    for (std::string_view a : allowed) {
      if (v->get() == a) {
        out = v->get();
        return true;
      }
    }
    bad_value(n, name, what, toml_fields::quoted(v->get()));
    return false;
  }
  // An absolute http(s) URL.
  bool url(const toml::node& n, std::string_view name, std::string& out) {
    std::string s;
    if (!string(n, name, s)) {
      return false;
    }
    if (std::string why = check_http_url(s); !why.empty()) {
      problem(n, name, why);
      return false;
    }
    out = std::move(s);
    return true;
  }
  // An http(s) URL (kept as written) or a file name relative to the folder `base`.
  // With `resolve`, a file name is stored content-relative (joined to `base`), else as
  // written. Either way it may not leave the content directory.
  bool file_or_url(const toml::node& n, std::string_view name, std::string_view base, bool resolve,
                   std::string& out) {
    std::string s;
    if (!string(n, name, s)) {
      return false;
    }
    if (s.empty()) {
      problem(n, name, "must not be empty");
      return false;
    }
    constexpr std::string_view kWhat = "a relative file name or an http:// or https:// URL";
    if (scheme_length(s) > 1) {  // one letter is a Windows drive, not a scheme
      if (!text::has_http_scheme(s)) {
        bad_value(n, name, kWhat, toml_fields::quoted(s));
        return false;
      }
      if (std::string why = check_http_url(s); !why.empty()) {
        problem(n, name, why);
        return false;
      }
      out = std::move(s);
      return true;
    }
    if (s[0] == '/' || s[0] == '\\' || scheme_length(s) == 1) {
      bad_value(n, name, kWhat, toml_fields::quoted(s));
      return false;
    }
    std::optional<std::string> joined = join_relative(base, s);
    if (!joined || joined->empty()) {
      problem(n, name, "path leaves the content directory: " + toml_fields::quoted(s));
      return false;
    }
    out = resolve ? std::move(*joined) : std::move(s);
    return true;
  }
  // Seconds: a non-negative integer or float, or a clock string "HH:MM:SS(.mmm)" / "MM:SS".
  // With `human`, also "69 min" / "1h 21min" strings.
  bool seconds(const toml::node& n, std::string_view name, bool human, double& out) {
    static constexpr double kMax = 1e9;  // ~31 years: rejects overflow-sized values
    const char* what = human ? "seconds, \"HH:MM:SS\" or \"69 min\"" : "seconds or \"HH:MM:SS\"";
    std::optional<double> v;
    if (const auto* i = n.as_integer()) {
      if (i->get() < 0 || static_cast<double>(i->get()) > kMax) {
        bad_value(n, name, what, std::to_string(i->get()));
        return false;
      }
      v = static_cast<double>(i->get());
    } else if (const auto* f = n.as_floating_point()) {
      double d = f->get();
      if (!std::isfinite(d) || d < 0 || d > kMax) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", d);
        bad_value(n, name, what, buf);
        return false;
      }
      v = d;
    } else if (const auto* s = n.as_string()) {
      const std::string& str = s->get();
      if (str.find(':') != std::string::npos) {
        v = text::parse_clock(str);
      } else if (human) {
        v = text::parse_human_duration(str);
      }
      if (!v || !std::isfinite(*v) || *v > kMax) {
        bad_value(n, name, what, toml_fields::quoted(str));
        return false;
      }
    } else {
      expected(n, name, what);
      return false;
    }
    out = *v;
    return true;
  }
  // A moment: a TOML offset date-time, local date-time (UTC), local date (00:00 UTC) or an
  // RFC 3339 string.
  bool date(const toml::node& n, std::string_view name, std::optional<UnixTime>& out) {
    constexpr std::string_view kWhat = "a date-time or date (2024-04-03T10:00:00Z, 2024-04-03)";
    if (const auto* dt = n.as_date_time()) {
      const toml::date_time& v = dt->get();
      int offset_minutes = v.offset ? v.offset->minutes : 0;
      out = civil_seconds(v.date) + v.time.hour * 3600 + v.time.minute * 60 + v.time.second -
            std::int64_t{offset_minutes} * 60;
      return true;
    }
    if (const auto* d = n.as_date()) {
      out = civil_seconds(d->get());
      return true;
    }
    if (const auto* s = n.as_string()) {
      std::optional<timefmt::UnixTime> t = timefmt::parse_rfc3339(s->get());
      if (!t) {
        bad_value(n, name, "an RFC 3339 date-time or date (2024-04-03T10:00:00Z, 2024-04-03)",
                  toml_fields::quoted(s->get()));
        return false;
      }
      out = *t;
      return true;
    }
    expected(n, name, kWhat);
    return false;
  }

  // Calls fn(table, dotted_name) for a table, or for each table of an array of tables
  // ([[name]]); anything else is an error. `allow_single` also accepts a lone table.
  template <typename Fn>
  void each_table(const toml::node& n, std::string_view name, bool allow_single, Fn&& fn) {
    if (const toml::table* t = n.as_table(); t && allow_single) {
      fn(*t);
      return;
    }
    const toml::array* arr = n.as_array();
    if (!arr) {
      expected(n, name, "an array of tables ([[" + std::string(name) + "]])");
      return;
    }
    for (const toml::node& item : *arr) {
      if (const toml::table* t = item.as_table()) {
        fn(*t);
      } else {
        expected(item, name, "an array of tables ([[" + std::string(name) + "]])");
      }
    }
  }

  // [[person]]: name (required), role, group, href, img.
  void persons(const toml::node& n, std::vector<Person>& out) {
    each_table(n, "person", false, [&](const toml::table& t) {
      Person p;
      bool has_name = false;
      for (auto&& [k, v] : t) {
        std::string_view key = k.str();
        if (key == "name") {
          nonempty_string(v, "person.name", p.name);
          has_name = true;
        } else if (key == "role") {
          string(v, "person.role", p.role);
        } else if (key == "group") {
          string(v, "person.group", p.group);
        } else if (key == "href") {
          url(v, "person.href", p.href);
        } else if (key == "img") {
          url(v, "person.img", p.img);
        } else {
          unknown_key(k, "person");
        }
      }
      if (!has_name) {
        missing(t, "person", "name");
      }
      out.push_back(std::move(p));
    });
  }

  // location = "Name" | {name, rel, geo, osm, country} | [[location]] | ["Name", ...].
  void locations(const toml::node& n, std::vector<Location>& out) {
    if (n.is_string()) {
      Location l;
      if (nonempty_string(n, "location", l.name)) {
        out.push_back(std::move(l));
      }
      return;
    }
    if (const toml::array* arr = n.as_array()) {
      for (const toml::node& item : *arr) {
        if (item.is_string()) {
          Location l;
          if (nonempty_string(item, "location", l.name)) {
            out.push_back(std::move(l));
          }
        } else if (const toml::table* t = item.as_table()) {
          location_table(*t, out);
        } else {
          expected(item, "location", "a place name or a table");
        }
      }
      return;
    }
    if (const toml::table* t = n.as_table()) {
      location_table(*t, out);
      return;
    }
    expected(n, "location", "a place name, a table or [[location]] tables");
  }

  // [[funding]]: url (required), text.
  void funding(const toml::node& n, std::vector<Funding>& out) {
    each_table(n, "funding", false, [&](const toml::table& t) {
      Funding f;
      bool has_url = false;
      for (auto&& [k, v] : t) {
        std::string_view key = k.str();
        if (key == "url") {
          url(v, "funding.url", f.url);
          has_url = true;
        } else if (key == "text") {
          string(v, "funding.text", f.text);
        } else {
          unknown_key(k, "funding");
        }
      }
      if (!has_url) {
        missing(t, "funding", "url");
      }
      out.push_back(std::move(f));
    });
  }

  // [[txt]]: text (required), purpose.
  void txt(const toml::node& n, std::vector<Txt>& out) {
    each_table(n, "txt", false, [&](const toml::table& t) {
      Txt x;
      bool has_text = false;
      for (auto&& [k, v] : t) {
        std::string_view key = k.str();
        if (key == "text") {
          nonempty_string(v, "txt.text", x.text);
          has_text = true;
        } else if (key == "purpose") {
          string(v, "txt.purpose", x.purpose);
        } else {
          unknown_key(k, "txt");
        }
      }
      if (!has_text) {
        missing(t, "txt", "text");
      }
      out.push_back(std::move(x));
    });
  }

 private:
  static UnixTime civil_seconds(const toml::date& d) {
    return timefmt::days_from_civil(d.year, d.month, d.day) * 86400;
  }

  void location_table(const toml::table& t, std::vector<Location>& out) {
    Location l;
    bool has_name = false;
    for (auto&& [k, v] : t) {
      std::string_view key = k.str();
      if (key == "name") {
        nonempty_string(v, "location.name", l.name);
        has_name = true;
      } else if (key == "rel") {
        one_of(v, "location.rel", {"subject", "creator"}, l.rel);
      } else if (key == "geo") {
        if (string(v, "location.geo", l.geo) && !text::is_geo_uri(l.geo)) {
          bad_value(v, "location.geo", "a geo URI like \"geo:52.52,13.40\"",
                    toml_fields::quoted(l.geo));
        }
      } else if (key == "osm") {
        if (string(v, "location.osm", l.osm) && !text::is_osm_id(l.osm)) {
          bad_value(v, "location.osm", "an OpenStreetMap id like \"R62422\"",
                    toml_fields::quoted(l.osm));
        }
      } else if (key == "country") {
        if (string(v, "location.country", l.country)) {
          if (l.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(l.country[0])) ||
              !std::isalpha(static_cast<unsigned char>(l.country[1]))) {
            bad_value(v, "location.country", "a two-letter ISO 3166-1 code like \"DE\"",
                      toml_fields::quoted(l.country));
          } else {
            for (char& c : l.country) {
              c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
          }
        }
      } else {
        unknown_key(k, "location");
      }
    }
    if (!has_name) {
      missing(t, "location", "name");
    }
    out.push_back(std::move(l));
  }

  std::string_view path_;
  int line_offset_;
  bool failed_ = false;
  int error_line_ = 0;
  int error_column_ = 0;
  std::string error_message_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace podcastd::catalog::toml_fields
