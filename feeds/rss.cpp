#include "feeds/rss.hpp"

namespace podcastd::feeds {}  // namespace podcastd::feeds
