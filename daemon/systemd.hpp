#pragma once
// The few systemd interfaces the daemon uses (libsystemd's sd-daemon): readiness and status
// notifications, the watchdog interval, and socket activation. All are no-ops outside
// systemd ($NOTIFY_SOCKET / $LISTEN_FDS unset). Any thread.

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace podcastd::daemon::systemd {

// sd_notify(0, state), e.g. "READY=1", "STATUS=Publishing 3 shows", "WATCHDOG=1".
void notify(std::string_view state);
// The watchdog timeout (WATCHDOG_USEC) when the service manager expects pings.
std::optional<std::chrono::microseconds> watchdog_timeout();
// Listening sockets passed by socket activation (fd numbers), unsetting $LISTEN_FDS.
std::vector<int> listen_fds();

}  // namespace podcastd::daemon::systemd
