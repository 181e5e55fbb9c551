#include "daemon/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace podcastd::daemon::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};

bool use_prefix() {
  static const bool prefix = [] {
    const char* env = std::getenv("PODCASTD_LOG_PREFIX");
    if (env && *env) return std::string(env) == "1";
    return isatty(STDERR_FILENO) == 0;
  }();
  return prefix;
}

}  // namespace

void set_level(Level level) { g_level.store(static_cast<int>(level)); }
Level level() { return static_cast<Level>(g_level.load()); }

void set_level(std::string_view name) {
  if (name == "debug") set_level(Level::debug);
  if (name == "info") set_level(Level::info);
  if (name == "warning") set_level(Level::warning);
  if (name == "error") set_level(Level::error);
}

void write(Level lvl, std::string_view message) {
  if (static_cast<int>(lvl) > g_level.load()) return;
  std::string line;
  line.reserve(message.size() + 16);
  if (use_prefix()) {
    line += '<';
    line += static_cast<char>('0' + static_cast<int>(lvl));
    line += '>';
  } else if (lvl == Level::warning) {
    line += "warning: ";
  } else if (lvl == Level::error) {
    line += "error: ";
  }
  // One message is one journal entry: fold embedded newlines.
  for (char c : message) line += c == '\n' ? ' ' : c;
  line += '\n';
  std::size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + off, line.size() - off);
    if (n <= 0) break;
    off += static_cast<std::size_t>(n);
  }
}

}  // namespace podcastd::daemon::log
