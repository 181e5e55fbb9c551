#pragma once
// What `podcastd validate [SHOW | FILE | URL]` checks and how it gets the bytes: a show's
// published feed (with its companion files read from output_dir and items mapped back to
// their content files), a local file, or a URL fetched under the outbound policy.

#include <string>
#include <vector>

#include "daemon/config.hpp"
#include "feeds/validator.hpp"

namespace podcastd::daemon {

struct ValidationTarget {
  enum class Kind { show, file, url };
  Kind kind = Kind::file;
  std::string name;  // slug, path or URL as given
};

// "" = every show in the catalog. A name that is an existing file is a file; one starting
// with http:// or https:// is a URL; otherwise it must be a show.
Result<std::vector<ValidationTarget>> resolve_validation_targets(const Config& config,
                                                                 const std::string& name);

feeds::ValidationReport validate_target(const Config& config, const ValidationTarget& target);

}  // namespace podcastd::daemon
