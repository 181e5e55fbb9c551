#pragma once
// show.toml: the channel of one show (DESIGN.md "Content directory"). Pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "catalog/result.hpp"

namespace podcastd::catalog {

struct ShowFile {
  Show show;  // fields stated by the file; slug, dir and sources are left for ingest
  std::vector<Diagnostic> warnings;
};

// Parses show.toml. Errors (ErrorCode::parse) "PATH:LINE: reason" for TOML syntax, unknown
// keys, wrong types, bad values (type not episodic/serial, guid not a UUID, explicit not a
// boolean, max_items negative, category not "A" or "A > B"). A missing title or description
// is not an error here: a show page may supply it; the validator reports what stays missing.
Result<ShowFile> parse_show_toml(std::string_view path, std::string_view text);

}  // namespace podcastd::catalog
