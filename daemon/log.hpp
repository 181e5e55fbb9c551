#pragma once
// Logging to stderr with syslog priority prefixes ("<3>error") that journald understands.
// Thread-safe: each call writes one line with a single write(2).

#include <string_view>

namespace podcastd::daemon::log {

enum class Level { debug = 7, info = 6, notice = 5, warning = 4, error = 3 };

void set_level(Level level);
Level level();
// "debug" | "info" | "warning" | "error"; unknown strings leave the level unchanged.
void set_level(std::string_view name);
// Prefixes are on when stderr is not a terminal (journald, files, pipes) or
// PODCASTD_LOG_PREFIX=1; off on an interactive terminal for readability.
void write(Level level, std::string_view message);

inline void debug(std::string_view m) { write(Level::debug, m); }
inline void info(std::string_view m) { write(Level::info, m); }
inline void notice(std::string_view m) { write(Level::notice, m); }
inline void warning(std::string_view m) { write(Level::warning, m); }
inline void error(std::string_view m) { write(Level::error, m); }

}  // namespace podcastd::daemon::log
