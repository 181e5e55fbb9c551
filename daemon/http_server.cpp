#include "daemon/http_server.hpp"

namespace podcastd::daemon {}  // namespace podcastd::daemon
