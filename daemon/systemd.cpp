#include "daemon/systemd.hpp"

#include <systemd/sd-daemon.h>

#include <string>

namespace podcastd::daemon::systemd {

void notify(std::string_view state) {
  std::string s(state);
  sd_notify(0, s.c_str());
}

std::optional<std::chrono::microseconds> watchdog_timeout() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    return std::chrono::microseconds(usec);
  }
  return std::nullopt;
}

std::vector<int> listen_fds() {
  std::vector<int> out;
  int n = sd_listen_fds(1);
  for (int i = 0; i < n; ++i) out.push_back(SD_LISTEN_FDS_START + i);
  return out;
}

}  // namespace podcastd::daemon::systemd
