#pragma once
// podcastd's configuration: the keys of DESIGN.md ("Command line") plus compatible
// additions, loaded from TOML. A Config is an immutable value once loaded; the daemon
// shares it as shared_ptr<const Config> and swaps it on SIGHUP. Any thread may read it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/result.hpp"

namespace podcastd::daemon {

struct HttpConfig {
  std::string listen = "127.0.0.1:8080";  // "" disables the built-in server
  int max_connections = 256;
  int header_limit_bytes = 8192;  // larger request headers get 431
  int request_timeout_s = 10;     // time to receive one request
  int idle_timeout_s = 30;        // keep-alive idle time between requests
  int cache_max_age_s = 300;      // Cache-Control max-age for feeds
};

struct WatchConfig {
  int debounce_ms = 250;
  int max_delay_ms = 2000;  // cap: a constant writer cannot delay publishing longer
  int rescan_interval_s = 600;
};

struct NotifyConfig {
  std::vector<std::string> websub_hubs;
  bool pubnotify = false;
  std::string pubnotify_url = "https://api.podcastindex.org/api/1.0/hub/pubnotify";
  std::string podping_url;  // "" = off
  std::string podping_token;
  int max_attempts = 12;
  int retry_base_s = 30;    // first retry delay; doubles per attempt with jitter
  int retry_max_s = 21600;  // cap on one retry delay (6 h)
};

struct OutboundConfig {
  bool allow_private_addresses = false;
  int timeout_s = 10;
  int max_redirects = 5;
  std::string user_agent = "podcastd/0.1 (+https://github.com/podcastd/podcastd)";
  int link_check_parallelism = 8;
  int link_check_per_host = 2;
};

struct CatalogConfig {
  std::int64_t max_source_bytes = 10 * 1024 * 1024;  // larger sources are refused
};

struct Config {
  // Absolute paths after loading (relative ones are resolved against the config file's
  // folder, or the working folder for built-in defaults).
  std::filesystem::path content_dir;
  std::filesystem::path state_dir;
  std::filesystem::path output_dir;
  std::string public_url = "http://127.0.0.1:8080";
  HttpConfig http;
  WatchConfig watch;
  NotifyConfig notify;
  OutboundConfig outbound;
  CatalogConfig catalog;
  std::string log_level = "info";  // debug | info | warning | error

  // Where this configuration came from ("" for built-in defaults).
  std::filesystem::path source;

  std::filesystem::path catalog_path() const { return state_dir / "catalog.db"; }
  std::filesystem::path control_socket_path() const { return state_dir / "control.sock"; }
  std::filesystem::path lock_path() const { return state_dir / "podcastd.lock"; }
};

// Built-in defaults with relative paths resolved against `base_dir`.
Config default_config(const std::filesystem::path& base_dir);

// Parses TOML text. `file_name` is used in messages ("podcastd.toml:7: unknown key
// 'http.lisen'"); relative paths are resolved against `base_dir`. Errors (code config):
// TOML syntax, unknown keys, wrong types, out-of-range values, malformed URLs.
Result<Config> parse_config(std::string_view toml_text, std::string_view file_name,
                            const std::filesystem::path& base_dir);

// Reads and parses a configuration file. Errors: unreadable file, or parse_config's.
Result<Config> load_config_file(const std::filesystem::path& file);

// Resolution order of DESIGN.md: --config FILE, else $PODCASTD_CONFIG, else ./podcastd.toml
// if present in `cwd`, else built-in defaults relative to `cwd`. Relative FILE and
// $PODCASTD_CONFIG paths are opened relative to the process's working folder.
Result<Config> resolve_config(const std::optional<std::string>& flag, const char* env_value,
                              const std::filesystem::path& cwd);

}  // namespace podcastd::daemon
