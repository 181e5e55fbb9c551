#include "catalog/markdown_source.hpp"

namespace podcastd::catalog {}  // namespace podcastd::catalog
