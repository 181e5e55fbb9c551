#include "catalog/audio_probe.hpp"

namespace podcastd::catalog {}  // namespace podcastd::catalog
