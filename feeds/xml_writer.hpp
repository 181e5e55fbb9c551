#pragma once
// Escaping primitives for XML 1.0 output, used by the RSS and transcript renderers.
// Pure functions; any thread.

#include <string>
#include <string_view>

namespace podcastd::feeds::xml {

// Appends `s` as element text: &, <, > escaped; characters XML 1.0 forbids (C0 controls
// other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates, malformed UTF-8) dropped.
void append_text(std::string& out, std::string_view s);
// Appends `s` as an attribute value (also escapes " and '); newlines, tabs and carriage
// returns as &#10;/&#9;/&#13; so parsers keep them (attribute-value normalization).
void append_attribute(std::string& out, std::string_view s);
// Appends <![CDATA[...]]>, splitting any "]]>" inside across two sections; forbidden
// characters dropped as in append_text.
void append_cdata(std::string& out, std::string_view s);
// `s` with forbidden characters removed (see append_text).
std::string sanitize(std::string_view s);
// Appends sanitize(s) without the temporary.
void append_sanitized(std::string& out, std::string_view s);

}  // namespace podcastd::feeds::xml
