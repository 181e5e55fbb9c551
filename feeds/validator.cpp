#include "feeds/validator.hpp"

namespace podcastd::feeds {}  // namespace podcastd::feeds
