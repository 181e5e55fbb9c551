#include "catalog/text_page.hpp"

namespace podcastd::catalog {}  // namespace podcastd::catalog
