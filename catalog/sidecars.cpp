#include "catalog/sidecars.hpp"

namespace podcastd::catalog {}  // namespace podcastd::catalog
