#include "daemon/config.hpp"

#include "catalog/toml_fields.hpp"

#include <toml++/toml.h>
#include <fstream>
#include <functional>
#include <sstream>

#include "catalog/text.hpp"

namespace podcastd::daemon {
namespace {

namespace fs = std::filesystem;

// One configuration key: its dotted name and how to apply a TOML node to a Config.
// apply returns "" on success, else what is wrong with the value ("expected an integer").
struct KeySpec {
  std::string_view name;
  std::function<std::string(const toml::node&, Config&)> apply;
};

// "a string", "an integer", ...: the catalog's wording, so the content and the configuration
// describe TOML values alike.
std::string type_name(const toml::node& n) { return catalog::toml_fields::type_name(n); }

template <typename Section>
KeySpec section_string(std::string_view name, Section Config::*section,
                       std::string Section::*field) {
  return {name, [section, field](const toml::node& n, Config& c) -> std::string {
            auto v = n.value_exact<std::string>();
            if (!v) return "expected a string, got " + type_name(n);
            c.*section.*field = *v;
            return "";
          }};
}

template <typename Section>
KeySpec section_bool(std::string_view name, Section Config::*section, bool Section::*field) {
  return {name, [section, field](const toml::node& n, Config& c) -> std::string {
            auto v = n.value_exact<bool>();
            if (!v) return "expected true or false, got " + type_name(n);
            c.*section.*field = *v;
            return "";
          }};
}

template <typename Section, typename Int>
KeySpec section_int(std::string_view name, Section Config::*section, Int Section::*field,
                    std::int64_t min, std::int64_t max) {
  return {name, [section, field, min, max](const toml::node& n, Config& c) -> std::string {
            auto v = n.value_exact<std::int64_t>();
            if (!v) return "expected an integer, got " + type_name(n);
            if (*v < min || *v > max) {
              return "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", got " + std::to_string(*v);
            }
            c.*section.*field = static_cast<Int>(*v);
            return "";
          }};
}

std::string check_url(std::string_view url) {
  if (!text::has_http_scheme(url))
    return "expected an http:// or https:// URL, got \"" + std::string(url) + "\"";
  std::string_view rest = url.substr(url.find("://") + 3);
  if (rest.empty() || rest[0] == '/') return "URL has no host: \"" + std::string(url) + "\"";
  return "";
}

// "host:port" with a numeric port; host may be a name, an IPv4 address or [IPv6].
std::string check_listen(std::string_view s) {
  if (s.empty()) return "";
  std::size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) {
    return "expected \"HOST:PORT\", got \"" + std::string(s) + "\"";
  }
  std::string_view port = s.substr(colon + 1);
  int value = 0;
  for (char ch : port) {
    if (ch < '0' || ch > '9') return "port must be a number, got \"" + std::string(port) + "\"";
    value = value * 10 + (ch - '0');
    if (value > 65535) break;
  }
  if (value > 65535) return "port must be at most 65535, got \"" + std::string(port) + "\"";
  return "";
}

const std::vector<KeySpec>& key_specs() {
  static const std::vector<KeySpec> specs = [] {
    std::vector<KeySpec> v;
    auto path_key = [](std::string_view name, fs::path Config::*field) {
      return KeySpec{name, [field](const toml::node& n, Config& c) -> std::string {
                       auto s = n.value_exact<std::string>();
                       if (!s) return "expected a string, got " + type_name(n);
                       if (s->empty()) return "must not be empty";
                       c.*field = fs::path(*s);  // resolved against the base dir later
                       return "";
                     }};
    };
    v.push_back(path_key("content_dir", &Config::content_dir));
    v.push_back(path_key("state_dir", &Config::state_dir));
    v.push_back(path_key("output_dir", &Config::output_dir));
    v.push_back({"public_url", [](const toml::node& n, Config& c) -> std::string {
                   auto s = n.value_exact<std::string>();
                   if (!s) return "expected a string, got " + type_name(n);
                   if (auto e = check_url(*s); !e.empty()) return e;
                   std::string url = *s;
                   while (!url.empty() && url.back() == '/') url.pop_back();
                   c.public_url = url;
                   return "";
                 }});
    v.push_back({"log_level", [](const toml::node& n, Config& c) -> std::string {
                   auto s = n.value_exact<std::string>();
                   if (!s) return "expected a string, got " + type_name(n);
                   if (*s != "debug" && *s != "info" && *s != "warning" && *s != "error") {
                     return "expected one of debug, info, warning, error, got \"" + *s + "\"";
                   }
                   c.log_level = *s;
                   return "";
                 }});

    v.push_back({"http.listen", [](const toml::node& n, Config& c) -> std::string {
                   auto s = n.value_exact<std::string>();
                   if (!s) return "expected a string, got " + type_name(n);
                   if (auto e = check_listen(*s); !e.empty()) return e;
                   c.http.listen = *s;
                   return "";
                 }});
    v.push_back(section_int("http.max_connections", &Config::http, &HttpConfig::max_connections, 1,
                            100000));
    v.push_back(section_int("http.header_limit_bytes", &Config::http,
                            &HttpConfig::header_limit_bytes, 1024, 1 << 20));
    v.push_back(section_int("http.request_timeout_s", &Config::http, &HttpConfig::request_timeout_s,
                            1, 3600));
    v.push_back(
        section_int("http.idle_timeout_s", &Config::http, &HttpConfig::idle_timeout_s, 1, 3600));
    v.push_back(section_int("http.cache_max_age_s", &Config::http, &HttpConfig::cache_max_age_s, 0,
                            86400 * 7));

    v.push_back(
        section_int("watch.debounce_ms", &Config::watch, &WatchConfig::debounce_ms, 0, 600000));
    v.push_back(
        section_int("watch.max_delay_ms", &Config::watch, &WatchConfig::max_delay_ms, 0, 3600000));
    v.push_back(section_int("watch.rescan_interval_s", &Config::watch,
                            &WatchConfig::rescan_interval_s, 0, 86400 * 7));

    v.push_back({"notify.websub_hubs", [](const toml::node& n, Config& c) -> std::string {
                   const toml::array* arr = n.as_array();
                   if (!arr) return "expected an array of URLs, got " + type_name(n);
                   std::vector<std::string> hubs;
                   for (const toml::node& item : *arr) {
                     auto s = item.value_exact<std::string>();
                     if (!s) return "expected an array of URLs, found " + type_name(item);
                     if (auto e = check_url(*s); !e.empty()) return e;
                     hubs.push_back(*s);
                   }
                   c.notify.websub_hubs = std::move(hubs);
                   return "";
                 }});
    v.push_back(section_bool("notify.pubnotify", &Config::notify, &NotifyConfig::pubnotify));
    v.push_back({"notify.pubnotify_url", [](const toml::node& n, Config& c) -> std::string {
                   auto s = n.value_exact<std::string>();
                   if (!s) return "expected a string, got " + type_name(n);
                   if (auto e = check_url(*s); !e.empty()) return e;
                   c.notify.pubnotify_url = *s;
                   return "";
                 }});
    v.push_back({"notify.podping_url", [](const toml::node& n, Config& c) -> std::string {
                   auto s = n.value_exact<std::string>();
                   if (!s) return "expected a string, got " + type_name(n);
                   if (!s->empty()) {
                     if (auto e = check_url(*s); !e.empty()) return e;
                   }
                   c.notify.podping_url = *s;
                   return "";
                 }});
    v.push_back(
        section_string("notify.podping_token", &Config::notify, &NotifyConfig::podping_token));
    v.push_back(
        section_int("notify.max_attempts", &Config::notify, &NotifyConfig::max_attempts, 1, 1000));
    v.push_back(
        section_int("notify.retry_base_s", &Config::notify, &NotifyConfig::retry_base_s, 1, 86400));
    v.push_back(section_int("notify.retry_max_s", &Config::notify, &NotifyConfig::retry_max_s, 1,
                            86400 * 7));

    v.push_back(section_bool("outbound.allow_private_addresses", &Config::outbound,
                             &OutboundConfig::allow_private_addresses));
    v.push_back(
        section_int("outbound.timeout_s", &Config::outbound, &OutboundConfig::timeout_s, 1, 3600));
    v.push_back(section_int("outbound.max_redirects", &Config::outbound,
                            &OutboundConfig::max_redirects, 0, 20));
    v.push_back(
        section_string("outbound.user_agent", &Config::outbound, &OutboundConfig::user_agent));
    v.push_back(section_int("outbound.link_check_parallelism", &Config::outbound,
                            &OutboundConfig::link_check_parallelism, 1, 256));
    v.push_back(section_int("outbound.link_check_per_host", &Config::outbound,
                            &OutboundConfig::link_check_per_host, 1, 64));

    v.push_back(section_int("catalog.max_source_bytes", &Config::catalog,
                            &CatalogConfig::max_source_bytes, 1024,
                            std::int64_t{4} * 1024 * 1024 * 1024));
    return v;
  }();
  return specs;
}

bool is_section(std::string_view name) {
  return name == "http" || name == "watch" || name == "notify" || name == "outbound" ||
         name == "catalog";
}

const KeySpec* find_spec(std::string_view dotted) {
  for (const KeySpec& s : key_specs()) {
    if (s.name == dotted) return &s;
  }
  return nullptr;
}

std::string location(std::string_view file, const toml::source_region& src) {
  std::string out(file);
  if (src.begin.line > 0) out += ":" + std::to_string(src.begin.line);
  return out;
}

void resolve_paths(Config& c, const fs::path& base_dir) {
  for (fs::path* p : {&c.content_dir, &c.state_dir, &c.output_dir}) {
    if (p->is_relative()) *p = base_dir / *p;
    *p = p->lexically_normal();
    // "dir/" normalizes to "dir/" with an empty filename; drop it for stable printing.
    if (!p->has_filename() && p->has_parent_path() && *p != p->root_path()) {
      *p = p->parent_path();
    }
  }
}

}  // namespace

Config default_config(const fs::path& base_dir) {
  Config c;
  c.content_dir = "content";
  c.state_dir = "var";
  c.output_dir = "public";
  resolve_paths(c, base_dir);
  return c;
}

Result<Config> parse_config(std::string_view toml_text, std::string_view file_name,
                            const fs::path& base_dir) {
  toml::table root;
  try {
    root = toml::parse(toml_text, file_name);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorCode::config,
                      location(file_name, e.source()) + ": " + std::string(e.description()));
  }
  Config c;
  c.content_dir = "content";
  c.state_dir = "var";
  c.output_dir = "public";
  // Walk what the file says, so an unknown key is reported at its own line.
  for (auto&& [key, node] : root) {
    std::string name(key.str());
    if (is_section(name)) {
      const toml::table* section = node.as_table();
      if (!section) {
        return make_error(ErrorCode::config, location(file_name, key.source()) + ": '" + name +
                                                 "' must be a table ([" + name + "])");
      }
      for (auto&& [sub_key, sub_node] : *section) {
        std::string dotted = name + "." + std::string(sub_key.str());
        const KeySpec* spec = find_spec(dotted);
        if (!spec) {
          return make_error(ErrorCode::config, location(file_name, sub_key.source()) +
                                                   ": unknown key '" + dotted + "'");
        }
        if (std::string problem = spec->apply(sub_node, c); !problem.empty()) {
          return make_error(ErrorCode::config, location(file_name, sub_node.source()) + ": " +
                                                   dotted + ": " + problem);
        }
      }
      continue;
    }
    const KeySpec* spec = find_spec(name);
    if (!spec) {
      return make_error(ErrorCode::config,
                        location(file_name, key.source()) + ": unknown key '" + name + "'");
    }
    if (std::string problem = spec->apply(node, c); !problem.empty()) {
      return make_error(ErrorCode::config,
                        location(file_name, node.source()) + ": " + name + ": " + problem);
    }
  }
  if (c.watch.max_delay_ms < c.watch.debounce_ms) {
    return make_error(ErrorCode::config, std::string(file_name) + ": watch.max_delay_ms (" +
                                             std::to_string(c.watch.max_delay_ms) +
                                             ") must not be less than watch.debounce_ms (" +
                                             std::to_string(c.watch.debounce_ms) + ")");
  }
  resolve_paths(c, base_dir);
  return c;
}

Result<Config> load_config_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::config,
                      file.string() + ": cannot read configuration file: " +
                          std::error_code(errno, std::generic_category()).message());
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  fs::path absolute = fs::absolute(file).lexically_normal();
  Result<Config> c = parse_config(buf.str(), file.string(), absolute.parent_path());
  if (c) c->source = absolute;
  return c;
}

Result<Config> resolve_config(const std::optional<std::string>& flag, const char* env_value,
                              const fs::path& cwd) {
  // Relative --config and $PODCASTD_CONFIG paths are opened as given (relative to the
  // process's working folder) so messages name the file the way the operator typed it.
  if (flag) return load_config_file(fs::path(*flag));
  if (env_value && *env_value) return load_config_file(fs::path(env_value));
  std::error_code ec;
  if (fs::is_regular_file(cwd / "podcastd.toml", ec)) {
    Result<Config> c = load_config_file(cwd / "podcastd.toml");
    return c;
  }
  return default_config(cwd);
}

}  // namespace podcastd::daemon
