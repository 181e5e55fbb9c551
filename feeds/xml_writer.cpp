#include "feeds/xml_writer.hpp"

namespace podcastd::feeds {}  // namespace podcastd::feeds
