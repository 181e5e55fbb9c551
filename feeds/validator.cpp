#include "feeds/validator.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "catalog/text.hpp"
#include "feeds/validator_detail.hpp"
#include "feeds/validator_walk.hpp"

namespace podcastd::feeds {

// ---- Report ---------------------------------------------------------------------------------

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "info";
  }
  return "error";
}

std::string Finding::to_string() const {
  std::string s;
  if (!source.empty()) {
    s += source + ": ";
  }
  s += element.empty() ? "document" : element;
  if (line > 0) {
    s += " (line " + std::to_string(line) + ")";
  }
  s += ": " + rule + " " + feeds::to_string(severity) + ": " + message;
  return s;
}

int ValidationReport::count(Severity s) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [s](const Finding& f) { return f.severity == s; }));
}

std::vector<std::string> ValidationReport::rules() const {
  std::vector<std::string> out;
  out.reserve(findings.size());
  for (const Finding& f : findings) {
    out.push_back(f.rule);
  }
  return out;
}

std::string ValidationReport::to_text() const {
  std::string out;
  for (const Finding& f : findings) {
    out += f.to_string();
    out += '\n';
  }
  int e = errors(), w = warnings(), i = infos();
  out += std::to_string(e) + (e == 1 ? " error, " : " errors, ") + std::to_string(w) +
         (w == 1 ? " warning, " : " warnings, ") + std::to_string(i) + " info\n";
  return out;
}

std::string ValidationReport::to_json() const {
  nlohmann::json j;
  j["errors"] = errors();
  j["warnings"] = warnings();
  j["info"] = infos();
  j["findings"] = nlohmann::json::array();
  for (const Finding& f : findings) {
    j["findings"].push_back({{"severity", feeds::to_string(f.severity)},
                             {"rule", f.rule},
                             {"element", f.element},
                             {"line", f.line},
                             {"message", f.message},
                             {"source", f.source}});
  }
  // Messages quote feed content, which may hold malformed UTF-8: replace, never throw.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- Parsing --------------------------------------------------------------------------------

namespace {

using detail::LineIndex;
using detail::make_finding;
using detail::quote;

constexpr unsigned kParseFlags = pugi::parse_default;

struct Parsed {
  std::string converted;  // the document re-encoded as UTF-8 when it declared another charset
  std::string_view text;  // what pugixml parsed (offsets point into it)
  pugi::xml_document doc;
  std::unique_ptr<LineIndex> lines;
  bool utf8 = true;  // bytes are meant to be UTF-8 (check them)
  bool entities_declared = false;
  bool ok = false;
  std::vector<Finding> findings;  // document level
};

std::size_t node_start(pugi::xml_node n) {
  std::ptrdiff_t off = n.offset_debug();
  return off <= 0 ? 0 : static_cast<std::size_t>(off) - 1;  // the '<'
}

// The encoding named by the XML declaration, lower-cased ("" when none).
std::string declared_encoding(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") {
    s.remove_prefix(3);
  }
  if (s.substr(0, 5) != "<?xml") {
    return "";
  }
  std::string_view decl = s.substr(0, s.find("?>"));
  std::size_t e = decl.find("encoding");
  if (e == std::string_view::npos) {
    return "";
  }
  std::size_t q = decl.find_first_of("\"'", e);
  if (q == std::string_view::npos) {
    return "";
  }
  std::size_t close = decl.find(decl[q], q + 1);
  if (close == std::string_view::npos) {
    return "";
  }
  return text::to_lower_ascii(decl.substr(q + 1, close - q - 1));
}

// Parses a document or fragment; fills document-level findings (XML-E01, XML-E06).
void parse(std::string_view xml, const ValidateOptions& options, bool fragment, Parsed& p) {
  auto doc_error = [&](std::string_view rule, int line, std::string message) {
    p.findings.push_back(make_finding(Severity::error, rule, "", line, std::move(message)));
  };
  if (xml.substr(0, 2) == "\xFE\xFF" || xml.substr(0, 2) == "\xFF\xFE" ||
      (xml.size() >= 4 && xml[0] == '<' && xml[1] == '\0')) {
    doc_error("XML-E06", 1, "document is UTF-16 or UTF-32; feeds must be UTF-8");
    return;
  }
  std::string enc = fragment ? "" : declared_encoding(xml);
  p.text = xml;
  if (!enc.empty() && enc != "utf-8" && enc != "utf8") {
    if (options.profile == Profile::apple) {
      doc_error("XML-E06", 1,
                "declared encoding " + quote(enc) + " is not UTF-8 (Apple requires UTF-8)");
    }
    if (enc != "us-ascii" && enc != "ascii") {
      // Read single-byte charsets as Latin-1: enough to check structure and keep lines.
      p.converted.reserve(xml.size() + xml.size() / 8);
      for (char c : xml) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x80) {
          p.converted += c;
        } else {
          p.converted += static_cast<char>(0xC0 | (u >> 6));
          p.converted += static_cast<char>(0x80 | (u & 0x3F));
        }
      }
      p.text = p.converted;
      p.utf8 = false;
    }
  }
  p.lines = std::make_unique<LineIndex>(p.text);
  pugi::xml_parse_result r =
      p.doc.load_buffer(p.text.data(), p.text.size(), kParseFlags, pugi::encoding_utf8);
  if (!r) {
    std::size_t off = r.offset < 0 ? 0 : static_cast<std::size_t>(r.offset);
    int line = p.lines->line_of(off);
    std::size_t line_start = p.text.rfind('\n', off == 0 ? 0 : off - 1);
    std::size_t col = line_start == std::string_view::npos || off == 0 ? off + 1 : off - line_start;
    doc_error("XML-E01", line,
              std::string("not well-formed XML: ") + r.description() + " (line " +
                  std::to_string(line) + ", column " + std::to_string(col) + ")");
    return;
  }
  // pugixml accepts several root elements and text around the root; XML does not.
  int roots = 0;
  for (pugi::xml_node n = p.doc.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_element) {
      ++roots;
      if (roots == 2) {
        doc_error("XML-E01", p.lines->line_of(static_cast<std::size_t>(n.offset_debug())),
                  std::string("second root element <") + n.name() + ">" +
                      (fragment ? " (a fragment holds exactly one <item>)" : ""));
      }
    } else if ((n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) &&
               !text::trim(n.value()).empty()) {
      doc_error("XML-E01", p.lines->line_of(static_cast<std::size_t>(n.offset_debug())),
                "text outside the root element: " + quote(n.value()));
    }
  }
  if (roots == 0) {
    doc_error("XML-E01", 1, "no root element");
    return;
  }
  // ... and text before it: only the prolog (declaration, comments, PIs, DOCTYPE) may precede.
  {
    std::size_t root_at = node_start(p.doc.document_element());
    std::size_t k = p.text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (k < root_at) {
      char c = p.text[k];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++k;
      } else if (p.text.compare(k, 4, "<!--") == 0) {
        std::size_t e = p.text.find("-->", k);
        k = e == std::string_view::npos ? root_at : e + 3;
      } else if (p.text.compare(k, 2, "<?") == 0) {
        std::size_t e = p.text.find("?>", k);
        k = e == std::string_view::npos ? root_at : e + 2;
      } else if (p.text.compare(k, 9, "<!DOCTYPE") == 0) {
        int bracket = 0;
        while (k < root_at && (p.text[k] != '>' || bracket > 0)) {
          bracket += p.text[k] == '[' ? 1 : p.text[k] == ']' ? -1 : 0;
          ++k;
        }
        ++k;
      } else {
        doc_error("XML-E01", p.lines->line_of(k),
                  "content before the root element: " +
                      quote(p.text.substr(k, std::min<std::size_t>(40, root_at - k))));
        break;
      }
    }
  }
  // pugixml also drops text after the root element; only comments, PIs and whitespace may
  // follow it.
  std::string close = std::string("</") + p.doc.document_element().name();
  std::size_t end = p.text.rfind(close);
  if (end != std::string_view::npos && roots == 1) {
    std::size_t k = p.text.find('>', end);
    k = k == std::string_view::npos ? p.text.size() : k + 1;
    while (k < p.text.size()) {
      char c = p.text[k];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++k;
      } else if (p.text.compare(k, 4, "<!--") == 0 || p.text.compare(k, 2, "<?") == 0) {
        std::size_t e = p.text.find(p.text[k + 1] == '!' ? "-->" : "?>", k);
        k = e == std::string_view::npos ? p.text.size() : e + (p.text[k + 1] == '!' ? 3 : 2);
      } else {
        doc_error("XML-E01", p.lines->line_of(k),
                  "content after the root element: " + quote(p.text.substr(k, 40)));
        break;
      }
    }
  }
  // A DOCTYPE with an internal subset may declare entities.
  std::size_t dt = p.text.find("<!DOCTYPE");
  p.entities_declared = dt != std::string_view::npos && p.text.find('[', dt) < p.text.find('>', dt);
  p.ok = true;
}

// The path of the child of `parent` (named as written) that holds `offset`, below `element`.
std::string locate(pugi::xml_node parent, std::size_t offset, std::string element) {
  if (!parent || offset < node_start(parent)) {
    return "";
  }
  pugi::xml_node holder;
  for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element) {
      continue;
    }
    if (node_start(n) > offset) {
      break;
    }
    holder = n;
  }
  if (holder && std::string_view(holder.name()) != "item") {
    element += '/';
    element += holder.name();
  }
  return element;
}

// Well-formedness problems pugixml let through, in text[begin, end) which lies in `parent`
// (path `element`); "" for the document.
void raw_scan(const Parsed& p, std::size_t begin, std::size_t end, pugi::xml_node parent,
              std::string_view element, std::vector<Finding>& out) {
  std::vector<detail::RawIssue> issues;
  detail::scan_xml(p.text, begin, end, p.entities_declared, issues, detail::kRawIssueCap);
  for (detail::RawIssue& i : issues) {
    if (!p.utf8 && i.message == "malformed UTF-8") {
      continue;
    }
    out.push_back(make_finding(Severity::error, "XML-E01",
                               locate(parent, i.offset, std::string(element)),
                               p.lines->line_of(i.offset), "not well-formed: " + i.message));
  }
}

// Offset of the channel's closing tag, or npos.
std::size_t channel_close(std::string_view text, std::string_view qname) {
  std::string tag = "</" + std::string(qname);
  std::size_t pos = text.rfind(tag);
  while (pos != std::string_view::npos) {
    std::size_t k = pos + tag.size();
    while (k < text.size() &&
           (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r')) {
      ++k;
    }
    if (k < text.size() && text[k] == '>') {
      return pos;
    }
    pos = pos == 0 ? std::string_view::npos : text.rfind(tag, pos - 1);
  }
  return std::string_view::npos;
}

std::vector<detail::Binding> bindings_of(const ChannelResult& channel) {
  std::vector<detail::Binding> out;
  for (const NamespaceDecl& d : channel.declarations) {
    out.push_back({d.prefix, d.uri});
  }
  return out;
}

// Items in the channel, with their start offsets.
struct ItemNodes {
  std::vector<pugi::xml_node> nodes;
  std::vector<std::size_t> starts;
};

// The channel pass over a parsed document. `items` (full mode) receives the <item> nodes;
// raw scanning then skips their ranges, which belong to the items.
void channel_pass(Parsed& p, const ValidateOptions& options, ChannelResult& ch, ItemNodes* items) {
  ch.findings = std::move(p.findings);
  if (!p.ok) {
    return;
  }
  pugi::xml_node rss = p.doc.document_element();
  auto line_of = [&](pugi::xml_node n) {
    return p.lines->line_of(
        static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, n.offset_debug())));
  };
  if (std::string_view(rss.name()) != "rss") {
    ch.findings.push_back(
        make_finding(Severity::error, "XML-E02", rss.name(), line_of(rss),
                     std::string("root element is <") + rss.name() + ">, not <rss>"));
    raw_scan(p, 0, p.text.size(), {}, "", ch.findings);
    return;
  }
  pugi::xml_attribute version = rss.attribute("version");
  if (!version || std::string_view(version.value()) != "2.0") {
    ch.findings.push_back(make_finding(
        Severity::error, "XML-E02", "rss", line_of(rss),
        version ? "rss version " + quote(version.value()) + " is not '2.0'"
                : std::string("rss has no version attribute (write version=\"2.0\")")));
  }
  std::vector<pugi::xml_node> channels;
  for (pugi::xml_node n = rss.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_element && std::string_view(n.name()) == "channel") {
      channels.push_back(n);
    }
  }
  if (channels.size() != 1) {
    ch.findings.push_back(make_finding(Severity::error, "XML-E03", "rss", line_of(rss),
                                       "rss has " + std::to_string(channels.size()) +
                                           " channel elements; exactly one is required"));
  }
  if (channels.empty()) {
    raw_scan(p, 0, p.text.size(), {}, "", ch.findings);
    return;
  }
  pugi::xml_node channel = channels[0];
  ch.parsed = true;
  ch.channel_line = line_of(channel);

  detail::Walker walker(options, p.text, *p.lines, {});
  walker.walk_channel(rss, channel, ch);
  std::vector<Finding> walked = walker.take_findings();
  ch.findings.insert(ch.findings.end(), std::make_move_iterator(walked.begin()),
                     std::make_move_iterator(walked.end()));
  ch.namespaces_used = walker.take_uris();
  ch.undeclared_prefixes = walker.take_undeclared();

  std::size_t close = channel_close(p.text, channel.name());
  if (items != nullptr) {
    for (pugi::xml_node n = channel.first_child(); n; n = n.next_sibling()) {
      if (n.type() == pugi::node_element && std::string_view(n.name()) == "item") {
        items->nodes.push_back(n);
        items->starts.push_back(node_start(n));
      }
    }
  }
  // Raw scan of the channel's own text: everything but the item ranges.
  if (items == nullptr || items->nodes.empty()) {
    raw_scan(p, 0, p.text.size(), channel, "rss/channel", ch.findings);
  } else {
    std::size_t end_items =
        close == std::string_view::npos || close < items->starts.back() ? p.text.size() : close;
    raw_scan(p, 0, items->starts.front(), channel, "rss/channel", ch.findings);
    raw_scan(p, end_items, p.text.size(), channel, "rss/channel", ch.findings);
  }
  ch.doctype_entities = p.entities_declared;
}

// Where fragments are spliced into a skeleton: the start of the line holding the channel's
// closing tag (or the tag itself when text precedes it on its line). Offsets of the bytes as
// given (not of a re-encoded copy).
void set_insert_point(std::string_view xml, ChannelResult& ch) {
  std::size_t close = channel_close(xml, "channel");
  std::size_t insert = close == std::string_view::npos ? xml.size() : close;
  std::size_t k = insert;
  while (k > 0 && (xml[k - 1] == ' ' || xml[k - 1] == '\t')) {
    --k;
  }
  if (k == 0 || xml[k - 1] == '\n') {
    insert = k;
  }
  ch.insert_offset = insert;
  ch.insert_line =
      1 + static_cast<int>(std::count(xml.begin(), xml.begin() + static_cast<long>(insert), '\n'));
}

int rel(int line, int base) { return line > 0 ? line - base + 1 : 0; }

// Walks one item and turns absolute lines into item-relative ones (base = "<item" line).
void item_pass(detail::Walker& walker, const Parsed& p, pugi::xml_node node, std::size_t begin,
               std::size_t end, ItemResult& r) {
  walker.walk_item(node, false, 0, r.facts);
  r.findings = walker.take_findings();
  raw_scan(p, begin, end, node, "item", r.findings);
  r.facts.namespaces_used = walker.take_uris();
  r.facts.undeclared_prefixes = walker.take_undeclared();
  int base = walker.line(node);
  for (Finding& f : r.findings) {
    f.line = rel(f.line, base);
  }
  r.facts.guid_line = rel(r.facts.guid_line, base);
  r.facts.enclosure_line = rel(r.facts.enclosure_line, base);
  r.facts.pub_date_line = rel(r.facts.pub_date_line, base);
  r.facts.title_line = rel(r.facts.title_line, base);
  r.facts.person_line = rel(r.facts.person_line, base);
  for (auto& u : r.facts.undeclared_prefixes) {
    u.line = rel(u.line, base);
  }
  r.parsed = true;
}

std::string item_path(std::size_t index) {
  return "rss/channel/item[" + std::to_string(index + 1) + "]";
}

// Replaces the leading "item" of an item-relative path.
std::string absolute_path(const std::string& element, std::size_t index) {
  if (element.compare(0, 4, "item") == 0) {
    return item_path(index) + element.substr(4);
  }
  return element;
}

// Everything that needs more than one item or the channel and the items together.
ValidationReport assemble(const ChannelResult& ch, const std::vector<const ItemResult*>& items,
                          const std::vector<int>& item_lines, int shift_from, int shift_by,
                          std::size_t total_bytes, const ValidateOptions& options) {
  ValidationReport report;
  std::vector<Finding>& out = report.findings;
  for (const Finding& f : ch.findings) {
    Finding g = f;
    if (shift_by != 0 && g.line >= shift_from) {
      g.line += shift_by;
    }
    if (!g.element.empty()) {
      g.source = options.channel_source;
    }
    out.push_back(std::move(g));
  }
  // Views into options.item_sources (no copy per item: feeds have thousands).
  auto source_of = [&](const ItemResult& r) -> std::string_view {
    if (!r.facts.has_guid) {
      return {};
    }
    auto it = options.item_sources.find(r.facts.guid);
    return it == options.item_sources.end() ? std::string_view() : std::string_view(it->second);
  };
  auto abs_line = [&](std::size_t k, int line) { return line > 0 ? item_lines[k] + line - 1 : 0; };
  std::vector<std::string_view> sources(items.size());
  for (std::size_t k = 0; k < items.size(); ++k) {
    const ItemResult& r = *items[k];
    sources[k] = source_of(r);
    for (const Finding& f : r.findings) {
      Finding g = f;
      g.element = absolute_path(f.element, k);
      g.line = abs_line(k, f.line);
      g.source = sources[k];
      out.push_back(std::move(g));
    }
  }
  auto add_item = [&](std::size_t k, Severity sev, std::string_view rule, const std::string& child,
                      int line, std::string message) {
    Finding f =
        make_finding(sev, rule, item_path(k) + child, abs_line(k, line), std::move(message));
    f.source = sources[k];
    out.push_back(std::move(f));
  };

  // Namespaces: wrong itunes/content URIs that are used, unused declarations, undeclared
  // prefixes (first use in the document).
  std::vector<std::string_view> used(ch.namespaces_used.begin(), ch.namespaces_used.end());
  for (const ItemResult* r : items) {
    for (const std::string& u : r->facts.namespaces_used) {
      if (std::find(used.begin(), used.end(), u) == used.end()) {
        used.push_back(u);
      }
    }
  }
  auto is_used = [&](std::string_view uri) {
    return std::find(used.begin(), used.end(), uri) != used.end();
  };
  for (const NamespaceDecl& d : ch.declarations) {
    detail::UriClass cls = detail::classify_uri(d.uri);
    bool itunes_like = cls.ns == detail::Ns::itunes || d.prefix == "itunes";
    bool content_like = cls.ns == detail::Ns::content || d.prefix == "content";
    bool wrong = cls.kind == detail::UriKind::misspelled_error ||
                 (d.prefix == "itunes" && cls.ns != detail::Ns::itunes) ||
                 (d.prefix == "content" && cls.ns != detail::Ns::content);
    Finding f;
    if (wrong && is_used(d.uri) && (itunes_like || content_like)) {
      bool it = itunes_like && !(content_like && cls.ns == detail::Ns::content);
      f = make_finding(Severity::error, it ? "XML-E04" : "XML-E05", d.element, d.line,
                       "xmlns:" + d.prefix + " " + quote(d.uri) + " is not '" +
                           std::string(it ? detail::kItunesUri : detail::kContentUri) + "'; " +
                           (it ? "Apple ignores every itunes: tag" : "content: tags are ignored"));
    } else if (!d.prefix.empty() && !is_used(d.uri) && cls.ns != detail::Ns::itunes &&
               cls.ns != detail::Ns::content) {
      // itunes and content are exempt: Apple's required <rss> line declares both.
      f = make_finding(
          Severity::warning, "P20-W15", d.element, d.line,
          "namespace xmlns:" + d.prefix + " " + quote(d.uri) + " is declared but never used");
    } else {
      continue;
    }
    f.source = options.channel_source;
    out.push_back(std::move(f));
  }
  {
    std::vector<std::string> reported;
    auto undeclared = [&](const ItemFacts::UndeclaredPrefix& u, std::string element, int line,
                          std::string_view source) {
      if (std::find(reported.begin(), reported.end(), u.prefix) != reported.end()) {
        return;
      }
      reported.push_back(u.prefix);
      std::string_view rule = u.prefix == "itunes"    ? "XML-E04"
                              : u.prefix == "content" ? "XML-E05"
                                                      : "XML-E01";
      Finding f = make_finding(Severity::error, rule, std::move(element), line,
                               "namespace prefix '" + u.prefix + "' is used but not declared");
      f.source = source;
      out.push_back(std::move(f));
    };
    for (const auto& u : ch.undeclared_prefixes) {
      undeclared(u, u.element, u.line, options.channel_source);
    }
    for (std::size_t k = 0; k < items.size(); ++k) {
      for (const auto& u : items[k]->facts.undeclared_prefixes) {
        undeclared(u, absolute_path(u.element, k), abs_line(k, u.line), sources[k]);
      }
    }
  }

  // Cross-item rules.
  std::unordered_map<std::string_view, std::size_t> guids, enclosures;
  bool any_season = false, any_transcript = false, any_chapters = false;
  for (const ItemResult* r : items) {
    any_season = any_season || r->facts.has_itunes_season;
    any_transcript = any_transcript || r->facts.has_transcript;
    any_chapters = any_chapters || r->facts.has_chapters;
  }
  bool order_reported = false;
  for (std::size_t k = 0; k < items.size(); ++k) {
    const ItemFacts& f = items[k]->facts;
    if (!items[k]->parsed) {
      continue;
    }
    if (f.has_guid && !f.guid.empty()) {
      auto [it, fresh] = guids.emplace(f.guid, k);
      if (!fresh) {
        add_item(k, Severity::error, "RSS-E08", "/guid", f.guid_line,
                 "guid " + quote(f.guid) + " is also used by " + item_path(it->second));
      }
    }
    if (!f.enclosure_url.empty()) {
      auto [it, fresh] = enclosures.emplace(f.enclosure_url, k);
      if (!fresh) {
        add_item(k, Severity::error, "APL-E17", "/enclosure", f.enclosure_line,
                 "enclosure url " + quote(f.enclosure_url) + " is also used by " +
                     item_path(it->second) + "; Apple ignores the duplicate episode");
      }
    }
    if (ch.serial && !f.has_itunes_episode) {
      add_item(k, Severity::error, "APL-E07", "", 1,
               "itunes:type is serial but the item has no itunes:episode");
    }
    if (!order_reported && k > 0 && f.pub_date && items[k - 1]->facts.pub_date &&
        *f.pub_date > *items[k - 1]->facts.pub_date) {
      order_reported = true;
      add_item(k, Severity::warning, "APL-W15", "/pubDate", f.pub_date_line,
               "items are not sorted newest first: this item is newer than " + item_path(k - 1));
    }
    if (!ch.host_names.empty() && !f.person_names.empty()) {
      bool host = false;
      for (const std::string& h : ch.host_names) {
        for (const std::string& p : f.person_names) {
          host = host || text::iequals_ascii(h, p);
        }
      }
      if (!host) {
        add_item(k, Severity::warning, "P20-W16", "", f.person_line,
                 "item podcast:person tags replace the channel's, but none names the host " +
                     quote(ch.host_names.front()));
      }
    }
    std::string_view show = text::trim(ch.title);
    if (show.size() >= 3) {
      if (text::icontains_ascii(f.title, show)) {
        add_item(k, Severity::warning, "APL-W08", "/title", f.title_line,
                 "title " + quote(f.title) + " repeats the show title " + quote(show));
      }
    }
    // Trailers and bonus episodes may carry a season alone (Apple: a season trailer).
    bool numbered = f.episode_type != "trailer" && f.episode_type != "bonus";
    if (any_season && (!f.has_itunes_season || (numbered && !f.has_itunes_episode))) {
      add_item(k, Severity::info, "APL-I02", "", 1,
               std::string("the show uses seasons, but this item has no ") +
                   (!f.has_itunes_season ? "itunes:season" : "itunes:episode"));
    }
  }
  if (ch.parsed && !items.empty()) {
    for (auto [any, name] :
         {std::pair{any_transcript, "podcast:transcript"}, {any_chapters, "podcast:chapters"}}) {
      if (!any) {
        Finding f = make_finding(Severity::info, "P20-I02", "rss/channel", ch.channel_line,
                                 std::string("no item has ") + name);
        f.source = options.channel_source;
        out.push_back(std::move(f));
      }
    }
  }

  // Size.
  const std::size_t kIndexLimit = 25'000'000;
  if (total_bytes > kIndexLimit) {
    out.push_back(make_finding(Severity::error, "XML-E07", "", 0,
                               "feed is " + std::to_string(total_bytes) +
                                   " bytes; Podcast Index drops feeds above 25,000,000"));
  } else if (total_bytes > options.size_limit) {
    out.push_back(make_finding(Severity::error, "XML-E07", "", 0,
                               "feed is " + std::to_string(total_bytes) + " bytes; above " +
                                   std::to_string(options.size_limit) +
                                   " (the W3C validator refuses feeds over 5,000,000)"));
  } else if (total_bytes > 2'000'000) {
    out.push_back(make_finding(Severity::info, "XML-I01", "", 0,
                               "feed is " + std::to_string(total_bytes) +
                                   " bytes; consider paging (RFC 5005) or trimming old items"));
  }

  // Document order: by line, document-wide findings (line 0) first; stable otherwise.
  std::stable_sort(out.begin(), out.end(),
                   [](const Finding& a, const Finding& b) { return a.line < b.line; });
  return report;
}

}  // namespace

// ---- Entry points ---------------------------------------------------------------------------

ValidationReport validate_feed(std::string_view xml, const ValidateOptions& options) {
  Parsed p;
  parse(xml, options, false, p);
  ChannelResult ch;
  ItemNodes nodes;
  channel_pass(p, options, ch, &nodes);
  std::vector<ItemResult> results(nodes.nodes.size());
  std::vector<int> lines(nodes.nodes.size());
  if (!nodes.nodes.empty()) {
    std::size_t close = channel_close(p.text, "channel");
    std::size_t end_items =
        close == std::string_view::npos || close < nodes.starts.back() ? p.text.size() : close;
    detail::Walker walker(options, p.text, *p.lines, bindings_of(ch));
    for (std::size_t k = 0; k < nodes.nodes.size(); ++k) {
      std::size_t end = k + 1 < nodes.nodes.size() ? nodes.starts[k + 1] : end_items;
      item_pass(walker, p, nodes.nodes[k], nodes.starts[k], end, results[k]);
      lines[k] = walker.line(nodes.nodes[k]);
    }
  }
  std::vector<const ItemResult*> ptrs;
  ptrs.reserve(results.size());
  for (const ItemResult& r : results) {
    ptrs.push_back(&r);
  }
  return assemble(ch, ptrs, lines, 0, 0, xml.size(), options);
}

ChannelResult validate_channel(std::string_view skeleton_xml, const ValidateOptions& options) {
  Parsed p;
  parse(skeleton_xml, options, false, p);
  ChannelResult ch;
  channel_pass(p, options, ch, nullptr);
  ch.bytes = skeleton_xml.size();
  set_insert_point(skeleton_xml, ch);
  return ch;
}

ItemResult validate_item(std::string_view item_xml, const ValidateOptions& options,
                         const ChannelResult* channel) {
  ItemResult r;
  r.bytes = item_xml.size();
  r.line_count = static_cast<int>(std::count(item_xml.begin(), item_xml.end(), '\n'));
  std::size_t first = item_xml.find('<');
  r.offset = first == std::string_view::npos ? 0 : first;
  r.leading_lines = static_cast<int>(
      std::count(item_xml.begin(), item_xml.begin() + static_cast<long>(r.offset), '\n'));
  Parsed p;
  parse(item_xml, options, true, p);
  p.entities_declared = channel != nullptr && channel->doctype_entities;
  pugi::xml_node root = p.ok ? p.doc.document_element() : pugi::xml_node();
  if (root && std::string_view(root.name()) != "item") {
    p.findings.push_back(
        make_finding(Severity::error, "XML-E01", "", 1,
                     std::string("fragment root is <") + root.name() + ">, not <item>"));
    root = pugi::xml_node();
  }
  if (!root || !p.findings.empty()) {
    int base = r.leading_lines + 1;
    for (Finding& f : p.findings) {
      f.element = "item";
      f.line = rel(f.line, base);
      r.findings.push_back(std::move(f));
    }
    if (!root) {
      return r;
    }
  }
  std::vector<detail::Binding> bindings =
      channel != nullptr && channel->parsed ? bindings_of(*channel) : detail::default_bindings();
  detail::Walker walker(options, p.text, *p.lines, bindings);
  std::vector<Finding> early = std::move(r.findings);
  item_pass(walker, p, root, node_start(root), p.text.size(), r);
  r.findings.insert(r.findings.begin(), early.begin(), early.end());
  r.offset = node_start(root);
  r.leading_lines = p.lines->line_of(r.offset) - 1;
  return r;
}

ValidationReport assemble_report(const ChannelResult& channel,
                                 const std::vector<const ItemResult*>& items,
                                 const ValidateOptions& options) {
  std::vector<int> lines(items.size());
  int at = channel.insert_line;
  std::size_t total = channel.bytes;
  for (std::size_t k = 0; k < items.size(); ++k) {
    lines[k] = at + items[k]->leading_lines;
    at += items[k]->line_count;
    total += items[k]->bytes;
  }
  int shift = at - channel.insert_line;
  return assemble(channel, items, lines, channel.insert_line, shift, total, options);
}

}  // namespace podcastd::feeds
