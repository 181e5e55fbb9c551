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
  // Non-fatal problems, located, in file order: update_rrule without update_frequency,
  // [owner] without email, locked = true without an owner email.
  std::vector<Diagnostic> warnings;
};

// Parses show.toml (optional UTF-8 BOM; LF or CRLF). `path` is the content-relative path,
// used in messages and to resolve `image` (stored content-relative unless it is a URL).
// Keys: title, description, author, language, link, image, copyright, categories (array of
// "Category" / "Category > Subcategory", or one string; stored as "A > B"), explicit, type,
// guid, locked, new_feed_url, medium, license, license_url, complete, block, max_items,
// update_frequency, update_rrule, [owner] name/email (the email is also Show::locked_owner),
// [[funding]], [[person]], location (string, table or [[location]]), [[txt]].
// Errors (ErrorCode::parse) "PATH:LINE: reason", worded as for Markdown front matter: TOML
// syntax, unknown keys ("unknown key 'owner.phone'"), wrong types, bad values (type not
// episodic/serial, guid not a UUID, language not a language tag, max_items negative,
// category not "A" or "A > B", owner.email not an address, update_rrule without FREQ=),
// invalid UTF-8; the error earliest in the file is reported. Categories are checked for
// shape only (the validator checks Apple's list). A missing title or description is not an
// error here: a show page may supply it; the validator reports what stays missing.
Result<ShowFile> parse_show_toml(std::string_view path, std::string_view text);

}  // namespace podcastd::catalog
