#include "catalog/show_source.hpp"

namespace podcastd::catalog {}  // namespace podcastd::catalog
