#include "feeds/transcripts.hpp"

namespace podcastd::feeds {}  // namespace podcastd::feeds
