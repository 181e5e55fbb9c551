#include "daemon/metrics.hpp"

namespace podcastd::daemon {}  // namespace podcastd::daemon
