// RSS 2.0 and itunes: rules for channels and items (STANDARDS.md 1, 2 and 6), the namespace
// handling and the walker plumbing. podcast: rules are in validator_podcast.cpp.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

#include "catalog/hash.hpp"
#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "feeds/apple_categories.hpp"
#include "feeds/validator_walk.hpp"

namespace podcastd::feeds::detail {
namespace {

using Map = std::unordered_map<std::string_view, Tag>;

struct TagMaps {
  Map rss, itunes, podcast, content, atom;
};

const TagMaps& tag_maps() {
  static const TagMaps maps = [] {
    TagMaps m;
    m.rss = {{"title", Tag::title},
             {"link", Tag::link},
             {"description", Tag::description},
             {"language", Tag::language},
             {"copyright", Tag::copyright},
             {"managingEditor", Tag::managing_editor},
             {"webMaster", Tag::web_master},
             {"pubDate", Tag::pub_date},
             {"lastBuildDate", Tag::last_build_date},
             {"category", Tag::category},
             {"generator", Tag::generator},
             {"docs", Tag::docs},
             {"cloud", Tag::cloud},
             {"ttl", Tag::ttl},
             {"image", Tag::image},
             {"rating", Tag::rating},
             {"textInput", Tag::text_input},
             {"skipHours", Tag::skip_hours},
             {"skipDays", Tag::skip_days},
             {"item", Tag::item},
             {"author", Tag::author},
             {"comments", Tag::comments},
             {"enclosure", Tag::enclosure},
             {"guid", Tag::guid},
             {"source", Tag::source},
             {"url", Tag::url},
             {"width", Tag::width},
             {"height", Tag::height}};
    m.itunes = {{"author", Tag::it_author},
                {"block", Tag::it_block},
                {"category", Tag::it_category},
                {"complete", Tag::it_complete},
                {"duration", Tag::it_duration},
                {"email", Tag::it_email},
                {"episode", Tag::it_episode},
                {"episodeType", Tag::it_episode_type},
                {"explicit", Tag::it_explicit},
                {"image", Tag::it_image},
                {"keywords", Tag::it_keywords},
                {"name", Tag::it_name},
                {"new-feed-url", Tag::it_new_feed_url},
                {"owner", Tag::it_owner},
                {"season", Tag::it_season},
                {"subtitle", Tag::it_subtitle},
                {"summary", Tag::it_summary},
                {"title", Tag::it_title},
                {"type", Tag::it_type}};
    m.podcast = {{"transcript", Tag::p_transcript},
                 {"locked", Tag::p_locked},
                 {"funding", Tag::p_funding},
                 {"chapters", Tag::p_chapters},
                 {"soundbite", Tag::p_soundbite},
                 {"person", Tag::p_person},
                 {"location", Tag::p_location},
                 {"season", Tag::p_season},
                 {"episode", Tag::p_episode},
                 {"trailer", Tag::p_trailer},
                 {"license", Tag::p_license},
                 {"alternateEnclosure", Tag::p_alternate_enclosure},
                 {"source", Tag::p_source},
                 {"integrity", Tag::p_integrity},
                 {"guid", Tag::p_guid},
                 {"value", Tag::p_value},
                 {"valueRecipient", Tag::p_value_recipient},
                 {"valueTimeSplit", Tag::p_value_time_split},
                 {"medium", Tag::p_medium},
                 {"images", Tag::p_images},
                 {"liveItem", Tag::p_live_item},
                 {"contentLink", Tag::p_content_link},
                 {"socialInteract", Tag::p_social_interact},
                 {"block", Tag::p_block},
                 {"txt", Tag::p_txt},
                 {"remoteItem", Tag::p_remote_item},
                 {"podroll", Tag::p_podroll},
                 {"updateFrequency", Tag::p_update_frequency},
                 {"podping", Tag::p_podping},
                 {"chat", Tag::p_chat},
                 {"publisher", Tag::p_publisher},
                 {"image", Tag::p_image}};
    m.content = {{"encoded", Tag::content_encoded}};
    m.atom = {{"link", Tag::atom_link}};
    return m;
  }();
  return maps;
}

Tag lookup(Ns ns, std::string_view local) {
  const TagMaps& m = tag_maps();
  auto find = [local](const Map& map) {
    auto it = map.find(local);
    return it == map.end() ? Tag::unknown : it->second;
  };
  switch (ns) {
    case Ns::rss:
      return find(m.rss);
    case Ns::itunes:
      return find(m.itunes);
    case Ns::podcast:
      return find(m.podcast);
    case Ns::content:
      return find(m.content);
    case Ns::atom:
      return find(m.atom);
    case Ns::psc:
    case Ns::other:
      break;
  }
  return Tag::unknown;
}

Ns guess_ns(std::string_view prefix) {
  if (prefix == "itunes") {
    return Ns::itunes;
  }
  if (prefix == "podcast") {
    return Ns::podcast;
  }
  if (prefix == "content") {
    return Ns::content;
  }
  if (prefix == "atom") {
    return Ns::atom;
  }
  if (prefix == "psc") {
    return Ns::psc;
  }
  return Ns::other;
}

bool ieq(std::string_view a, std::string_view b) { return text::iequals_ascii(a, b); }

std::string lower(std::string_view s) { return text::to_lower_ascii(s); }

// Apple's supported enclosure pairs (STANDARDS.md 2.4); W3C also allows epub.
struct MediaPair {
  std::string_view ext;
  std::string_view type;
};
constexpr MediaPair kMedia[] = {{"m4a", "audio/x-m4a"},          {"mp3", "audio/mpeg"},
                                {"mov", "video/quicktime"},      {"mp4", "video/mp4"},
                                {"m4v", "video/x-m4v"},          {"pdf", "application/pdf"},
                                {"epub", "application/epub+zip"}};

}  // namespace

const std::vector<Binding>& default_bindings() {
  static const std::vector<Binding> bindings = {{"itunes", std::string(kItunesUri)},
                                                {"podcast", std::string(kPodcastUri)},
                                                {"content", std::string(kContentUri)},
                                                {"atom", std::string(kAtomUri)},
                                                {"psc", std::string(kPscUri)}};
  return bindings;
}

// ---- Plumbing ---------------------------------------------------------------------------

Walker::Walker(const ValidateOptions& options, std::string_view buffer, const LineIndex& lines,
               const std::vector<Binding>& outer)
    : options_(options), buffer_(buffer), lines_(lines), outer_(outer) {
  for (const Binding& b : outer_) {
    scope_.push_back(ScopeEntry{b.prefix, b.uri, classify_uri(b.uri).ns});
  }
}

std::vector<Finding> Walker::take_findings() { return std::exchange(findings_, {}); }

std::vector<std::string> Walker::take_uris() {
  std::vector<std::string> out;
  for (std::string_view u : uris_used_) {
    if (std::find(out.begin(), out.end(), u) == out.end()) {
      out.emplace_back(u);
    }
  }
  uris_used_.clear();
  return out;
}

std::vector<ItemFacts::UndeclaredPrefix> Walker::take_undeclared() {
  return std::exchange(undeclared_, {});
}

int Walker::line(pugi::xml_node node) const {
  std::ptrdiff_t off = node.offset_debug();
  return off < 0 ? 0 : lines_.line_of(static_cast<std::size_t>(off));
}

std::string_view Walker::text(pugi::xml_node node, std::string& scratch) {
  pugi::xml_node first = node.first_child();
  if (!first) {
    return {};
  }
  if (!first.next_sibling() &&
      (first.type() == pugi::node_pcdata || first.type() == pugi::node_cdata)) {
    return first.value();
  }
  scratch.clear();
  for (pugi::xml_node c = first; c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      scratch += c.value();
    }
  }
  return scratch;
}

void Walker::push_declarations(pugi::xml_node node, std::vector<NamespaceDecl>* record) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view name = a.name();
    if (name.substr(0, 5) != "xmlns" || (name.size() > 5 && name[5] != ':')) {
      continue;
    }
    std::string_view prefix = name.size() > 6 ? name.substr(6) : std::string_view{};
    scope_.push_back(ScopeEntry{prefix, a.value(), classify_uri(a.value()).ns});
    if (record != nullptr) {
      NamespaceDecl d;
      d.prefix = std::string(prefix);
      d.uri = a.value();
      d.element = path();
      d.line = line(node);
      record->push_back(std::move(d));
    }
  }
}

Ns Walker::resolve(pugi::xml_node node, std::string_view qname, std::string_view& local) {
  std::size_t colon = qname.find(':');
  if (colon == std::string_view::npos) {
    local = qname;
    return Ns::rss;
  }
  std::string_view prefix = qname.substr(0, colon);
  local = qname.substr(colon + 1);
  // The element's own declaration of its prefix comes first.
  if (node.first_attribute()) {
    for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
      std::string_view an = a.name();
      if (an.size() == prefix.size() + 6 && an.substr(0, 6) == "xmlns:" && an.substr(6) == prefix) {
        uris_used_.push_back(a.value());
        return classify_uri(a.value()).ns;
      }
    }
  }
  for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
    if (it->prefix == prefix) {
      if (uris_used_.empty() || uris_used_.back().data() != it->uri.data()) {
        uris_used_.push_back(it->uri);
      }
      return it->ns;
    }
  }
  if (prefix == "xml") {
    return Ns::other;
  }
  bool seen = false;
  for (const auto& u : undeclared_) {
    seen = seen || u.prefix == prefix;
  }
  if (!seen) {
    ItemFacts::UndeclaredPrefix u;
    u.prefix = std::string(prefix);
    u.element = path();
    if (!u.element.empty()) {
      u.element += '/';
    }
    u.element += qname;
    u.line = line(node);
    undeclared_.push_back(std::move(u));
  }
  return guess_ns(prefix);
}

// Duplicate attributes (pugixml accepts them; XML does not) and prefixed attributes'
// namespace use.
void Walker::note_attributes(pugi::xml_node node) {
  pugi::xml_attribute first = node.first_attribute();
  if (!first) {
    return;
  }
  for (pugi::xml_attribute a = first; a; a = a.next_attribute()) {
    const char* name = a.name();
    for (pugi::xml_attribute b = first; b != a; b = b.next_attribute()) {
      if (std::strcmp(b.name(), name) == 0) {
        emit(Severity::error, "XML-E01", node,
             std::string("attribute '") + name + "' appears twice on one element");
        break;
      }
    }
    std::string_view an = name;
    std::size_t colon = an.find(':');
    if (colon != std::string_view::npos && an.substr(0, colon) != "xmlns" &&
        an.substr(0, colon) != "xml") {
      std::string_view prefix = an.substr(0, colon);
      for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
        if (it->prefix == prefix) {
          uris_used_.push_back(it->uri);
          break;
        }
      }
    }
  }
}

const std::vector<Walker::Child>& Walker::children(pugi::xml_node parent, int depth) {
  if (child_lists_.size() <= static_cast<std::size_t>(depth)) {
    child_lists_.resize(static_cast<std::size_t>(depth) + 1);
  }
  std::vector<Child>& list = child_lists_[static_cast<std::size_t>(depth)];
  list.clear();
  std::array<std::uint16_t, static_cast<std::size_t>(Tag::count)> counts{};
  bool unknown = false;
  for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element) {
      continue;
    }
    Child c;
    c.node = n;
    c.qname = n.name();
    c.ns = resolve(n, c.qname, c.local);
    c.tag = lookup(c.ns, c.local);
    if (c.tag == Tag::unknown) {
      unknown = true;
    } else {
      auto& k = counts[static_cast<std::size_t>(c.tag)];
      if (k < 65535) {
        ++k;
      }
      c.index = k;
    }
    list.push_back(c);
  }
  for (Child& c : list) {
    if (c.tag != Tag::unknown) {
      c.count = counts[static_cast<std::size_t>(c.tag)];
    }
  }
  if (unknown) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i].tag != Tag::unknown) {
        continue;
      }
      int index = 1, count = 0;
      for (std::size_t j = 0; j < list.size(); ++j) {
        if (list[j].tag == Tag::unknown && list[j].qname == list[i].qname) {
          ++count;
          if (j < i) {
            ++index;
          }
        }
      }
      list[i].index = index;
      list[i].count = count;
    }
  }
  return list;
}

void Walker::push_name(std::string_view prefix, std::string_view local, int index) {
  path_.push_back(Seg{prefix, local, index});
}

void Walker::push(const Child& c) {
  int index = c.count > 1 ? c.index : 0;
  if (c.ns == Ns::other || c.ns == Ns::psc) {
    push_name("", c.ns == Ns::psc ? c.local : c.qname, index);
    if (c.ns == Ns::psc) {
      path_.back().prefix = "psc:";
    }
  } else {
    push_name(ns_prefix(c.ns), c.local, index);
  }
}

std::string Walker::path() const {
  std::string out;
  for (const Seg& s : path_) {
    if (!out.empty()) {
      out += '/';
    }
    out += s.prefix;
    out += s.local;
    if (s.index > 0) {
      out += '[';
      out += std::to_string(s.index);
      out += ']';
    }
  }
  return out;
}

std::string Walker::display(const Child& c) const {
  if (c.ns == Ns::other) {
    return std::string(c.qname);
  }
  return std::string(ns_prefix(c.ns)) + std::string(c.local);
}

void Walker::emit(Severity severity, std::string_view rule, pugi::xml_node at,
                  std::string message) {
  findings_.push_back(make_finding(severity, rule, path(), line(at), std::move(message)));
}

void Walker::emit_at(Severity severity, std::string_view rule, std::string element, int line,
                     std::string message) {
  findings_.push_back(make_finding(severity, rule, std::move(element), line, std::move(message)));
}

// ---- Shared checks ----------------------------------------------------------------------

void Walker::check_duplicate(const Child& c, std::string_view rule) {
  if (c.index == 2) {
    emit(Severity::error, rule, c.node,
         display(c) + " appears " + std::to_string(c.count) + " times; only one is allowed");
  }
}

namespace {

// "15 Jun 2019" from "Wed, 15 Jun 2019 19:00:00 GMT".
std::string written_date(std::string_view value) {
  std::size_t comma = value.find(',');
  std::string rest =
      text::collapse_whitespace(comma == std::string_view::npos ? value : value.substr(comma + 1));
  std::size_t sp = 0;
  for (int k = 0; k < 3 && sp != std::string::npos; ++k) {
    sp = rest.find(' ', sp == 0 && k == 0 ? 0 : sp + 1);
  }
  return sp == std::string::npos ? rest : rest.substr(0, sp);
}

}  // namespace

void Walker::check_date(pugi::xml_node node, std::string_view value, std::string_view name,
                        std::optional<catalog::UnixTime>* time, bool future_check) {
  DateCheck d = check_rfc2822(value);
  std::string q = std::string(name) + " " + quote(value);
  if (d.grade == DateGrade::invalid) {
    emit(Severity::error, "RSS-E05", node, q + " is not an RFC 2822 date (" + d.reason + ")");
    return;
  }
  if (d.wrong_weekday) {
    emit(Severity::error, "RSS-E05", node,
         q + ": " + written_date(value) + " was a " + d.actual_weekday);
  }
  if (d.grade == DateGrade::loose) {
    emit(Severity::warning, "RSS-W04", node,
         q + " is only loosely valid RFC 822 (" + d.reason +
             "); write e.g. 'Wed, 03 Apr 2024 02:06:28 +0000'");
  }
  catalog::UnixTime t = *d.time;
  // Implausible: before 1990 or from 2100 on.
  if (t < 631152000 || t >= 4102444800) {
    emit(Severity::warning, "RSS-W04", node, q + " is an implausible date");
  } else if (future_check && options_.now && t > *options_.now) {
    emit(Severity::warning, "APL-W15", node,
         q + " is in the future; the episode may show as unavailable");
  }
  if (time != nullptr) {
    *time = t;
  }
}

void Walker::check_https(pugi::xml_node node, std::string_view what, std::string_view url) {
  if (text::istarts_with_ascii(url, "http://")) {
    emit(Severity::warning, "APL-W14", node,
         std::string(what) + " " + quote(url) + " uses http:; use https:");
  }
}

void Walker::check_explicit(pugi::xml_node node, std::string_view value) {
  if (value == "true" || value == "false") {
    return;
  }
  std::string v = lower(value);
  if (v == "yes" || v == "no" || v == "clean" || v == "explicit") {
    emit(Severity::warning, "APL-W05", node,
         "itunes:explicit " + quote(value) + " is a legacy value; write 'true' or 'false'");
    return;
  }
  std::string hint;
  if (v != value && (v == "true" || v == "false")) {
    hint = " (lower-case only)";
  } else if (has_outer_space(value)) {
    hint = " (no surrounding whitespace)";
  }
  emit(Severity::error, "APL-E05", node,
       "itunes:explicit " + quote(value) + " is not 'true' or 'false'" + hint);
}

void Walker::check_block(pugi::xml_node node, std::string_view value) {
  std::string v = lower(value);
  if (v != "yes" && v != "no" && v != "clean") {
    emit(Severity::error, "APL-E11", node,
         "itunes:block " + quote(value) + " is not 'Yes' or 'No' (only 'Yes' has an effect)");
  }
}

void Walker::check_itunes_image(pugi::xml_node node, bool item) {
  pugi::xml_attribute href = node.attribute("href");
  std::string scratch;
  if (!href) {
    std::string_view t = text::trim(text(node, scratch));
    emit(Severity::error, "APL-E02", node,
         t.empty() ? std::string("itunes:image has no href attribute")
                   : "itunes:image has no href attribute (the URL " + quote(t) +
                         " is element text; Apple reads only href)");
    return;
  }
  std::string_view url = href.value();
  if (!is_http_url(url)) {
    emit(Severity::error, "APL-E02", node,
         "itunes:image href " + quote(url) + " is not an http(s) URL");
    return;
  }
  check_https(node, "itunes:image href", url);
  if (has_non_ascii(url)) {
    emit(Severity::warning, "APL-W07", node,
         "itunes:image href " + quote(url) + " has non-ASCII characters; percent-encode them");
  }
  if (item) {
    std::string ext = url_extension(url);
    if (ext != "jpg" && ext != "jpeg" && ext != "png") {
      emit(Severity::warning, "APL-W11", node,
           "episode itunes:image " + quote(url) +
               " does not end in .jpg or .png (Apple wants a JPEG or PNG with a matching "
               "extension)");
    }
  }
}

// itunes:author, subtitle, keywords, summary: lengths and deprecation.
void Walker::check_itunes_text(const Child& c, std::string_view value) {
  std::size_t n = utf8_length(value);
  std::string name = display(c);
  std::size_t limit = c.tag == Tag::it_summary ? 4000 : 255;
  if (n > limit) {
    emit(Severity::error, "APL-E14", c.node,
         name + " is " + std::to_string(n) + " characters; the limit is " + std::to_string(limit));
  }
  if (c.tag == Tag::it_keywords && value.find(',') == std::string_view::npos &&
      text::trim(value).find(' ') != std::string_view::npos) {
    emit(Severity::warning, "APL-W09", c.node,
         "itunes:keywords " + quote(value) +
             " has spaces but no commas; separate keywords "
             "with commas");
  }
  if (c.tag == Tag::it_summary || c.tag == Tag::it_subtitle || c.tag == Tag::it_keywords) {
    emit(Severity::info, "APL-W10", c.node, name + " is deprecated by Apple");
  }
}

void Walker::check_categories(const Child& top, int& top_level) {
  ++top_level;
  pugi::xml_attribute text_attr = top.node.attribute("text");
  if (!text_attr) {
    emit(Severity::error, "APL-E04", top.node, "itunes:category has no text attribute");
    return;
  }
  std::string_view name = text_attr.value();
  CategoryStatus status = apple_category_status(name);
  if (status == CategoryStatus::obsolete) {
    emit(Severity::warning, "APL-W04", top.node,
         "itunes:category " + quote(name) + " is an obsolete (pre-2019) Apple category");
  } else if (status == CategoryStatus::invalid) {
    std::string hint = apple_category_suggestion("", name);
    emit(Severity::error, "APL-E04", top.node,
         "itunes:category " + quote(name) + " is not an Apple category" +
             (hint.empty() ? std::string() : " (did you mean '" + hint + "'?)"));
  }
  const std::size_t depth = 4;
  for (const Child& sub : children(top.node, static_cast<int>(depth))) {
    if (sub.tag != Tag::it_category) {
      continue;
    }
    push(sub);
    pugi::xml_attribute st = sub.node.attribute("text");
    if (!st) {
      emit(Severity::error, "APL-E04", sub.node, "itunes:category has no text attribute");
    } else if (status != CategoryStatus::invalid) {
      std::string_view sname = st.value();
      CategoryStatus ss = apple_subcategory_status(name, sname);
      if (ss == CategoryStatus::obsolete ||
          (ss == CategoryStatus::valid && status == CategoryStatus::obsolete)) {
        if (status != CategoryStatus::obsolete) {
          emit(Severity::warning, "APL-W04", sub.node,
               "itunes:category " + quote(std::string(name) + " > " + std::string(sname)) +
                   " is an obsolete (pre-2019) Apple category");
        }
      } else if (ss == CategoryStatus::invalid) {
        std::string hint = apple_category_suggestion(name, sname);
        emit(Severity::error, "APL-E04", sub.node,
             "itunes:category " + quote(sname) + " is not a subcategory of " + quote(name) +
                 (hint.empty() ? std::string() : " (did you mean '" + hint + "'?)"));
      }
    }
    pop();
  }
}

void Walker::check_enclosure(pugi::xml_node node) {
  pugi::xml_attribute url = node.attribute("url");
  pugi::xml_attribute length = node.attribute("length");
  pugi::xml_attribute type = node.attribute("type");
  std::string missing;
  for (auto [a, name] : {std::pair{url, "url"}, {length, "length"}, {type, "type"}}) {
    if (!a) {
      missing += missing.empty() ? "" : ", ";
      missing += name;
    }
  }
  if (!missing.empty()) {
    emit(Severity::error, "RSS-E07", node, "enclosure lacks " + missing);
  }
  if (url) {
    std::string_view u = url.value();
    if (!is_http_url(u)) {
      emit(Severity::error, "RSS-E07", node,
           "enclosure url " + quote(u) + " is not an http(s) URL");
    } else {
      check_https(node, "enclosure url", u);
      if (has_non_ascii(u)) {
        emit(Severity::warning, "APL-W07", node,
             "enclosure url " + quote(u) + " has non-ASCII characters; percent-encode them");
      }
    }
  }
  if (length && !parse_integer(length.value(), false)) {
    emit(Severity::error, "RSS-E07", node,
         "enclosure length " + quote(length.value()) + " is not a non-negative integer");
  }
  std::string_view t = type ? std::string_view(type.value()) : std::string_view{};
  if (type && !is_mime_type(t)) {
    emit(Severity::error, "RSS-E07", node, "enclosure type " + quote(t) + " is not a MIME type");
    return;
  }
  // Apple's supported pairs.
  std::string ext = url ? url_extension(url.value()) : std::string();
  const MediaPair* by_ext = nullptr;
  const MediaPair* by_type = nullptr;
  for (const MediaPair& m : kMedia) {
    if (m.ext == ext) {
      by_ext = &m;
    }
    if (type && ieq(m.type, mime_base(t))) {
      by_type = &m;
    }
  }
  if (url && by_ext == nullptr) {
    emit(Severity::warning, "APL-W03", node,
         "enclosure url " + quote(url.value()) +
             (ext.empty() ? std::string(" has no file extension")
                          : " has extension '." + ext + "'") +
             "; Apple supports .m4a .mp3 .mov .mp4 .m4v .pdf");
  }
  if (type && by_type == nullptr) {
    std::string hint = ieq(t, "audio/mp3") ? " (write audio/mpeg)" : "";
    emit(Severity::warning, "APL-W03", node,
         "enclosure type " + quote(t) + " is not one Apple supports" + hint);
  } else if (by_ext != nullptr && by_type != nullptr && by_ext != by_type) {
    emit(Severity::warning, "APL-W03", node,
         "enclosure type " + quote(t) + " does not match the '." + ext + "' extension (" +
             std::string(by_ext->type) + ")");
  }
}

void Walker::check_guid(pugi::xml_node node, std::string_view value, ItemFacts& facts) {
  facts.has_guid = true;
  facts.guid = std::string(value);
  facts.guid_line = line(node);
  pugi::xml_attribute perma = node.attribute("isPermaLink");
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view an = a.name();
    if (an != "isPermaLink" && ieq(an, "isPermaLink")) {
      emit(Severity::warning, "RSS-W06", node,
           "attribute '" + std::string(an) + "' is not 'isPermaLink' (names are case-sensitive)");
    }
  }
  bool permalink = true;
  if (perma) {
    std::string_view v = perma.value();
    if (v == "false") {
      permalink = false;
    } else if (v != "true") {
      emit(Severity::error, "RSS-E10", node,
           "guid isPermaLink " + quote(v) + " is not 'true' or 'false'");
      permalink = false;  // one error for one mistake; the value is not judged as a URL
    }
  }
  if (permalink) {
    if (text::istarts_with_ascii(value, "tag:") || text::istarts_with_ascii(value, "urn:uuid:")) {
      emit(Severity::error, "RSS-E09", node,
           "guid " + quote(value) +
               " is not a permalink; add isPermaLink=\"false\" (the default is true)");
    } else if (!is_absolute_uri(value)) {
      emit(Severity::error, "RSS-E09", node,
           "guid " + quote(value) + " is not an absolute URL but isPermaLink is " +
               (perma ? "true" : "true by default; add isPermaLink=\"false\""));
    }
  } else if (!value.empty() && value.size() < 9 &&
             std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    emit(Severity::warning, "RSS-W05", node,
         "guid " + quote(value) +
             " is all digits and shorter than 9 characters; not "
             "sufficiently unique");
  }
  if (value.empty()) {
    emit(Severity::error, "RSS-E09", node, "guid is empty");
  }
}

// APL-W08 (heuristic): episode or season numbers belong in itunes:episode/itunes:season.
void Walker::check_title_numbers(pugi::xml_node node, const std::string& element,
                                 std::string_view name, std::string_view title) {
  std::string t = lower(title);
  auto digit_after = [&](std::size_t pos) {
    while (pos < t.size() && (t[pos] == ' ' || t[pos] == '.' || t[pos] == '#' || t[pos] == ':')) {
      ++pos;
    }
    return pos < t.size() && t[pos] >= '0' && t[pos] <= '9';
  };
  auto word_start = [&](std::size_t pos) {
    return pos == 0 || !(std::isalnum(static_cast<unsigned char>(t[pos - 1])));
  };
  bool hit = false;
  for (std::string_view key : {"episode", "season", "ep", "folge", "#"}) {
    for (std::size_t p = t.find(key); p != std::string::npos && !hit; p = t.find(key, p + 1)) {
      if ((key == "#" || word_start(p)) && digit_after(p + key.size())) {
        hit = true;
      }
    }
  }
  // "S02E05"
  for (std::size_t p = 0; p + 3 < t.size() && !hit; ++p) {
    if (t[p] == 's' && word_start(p) && std::isdigit(static_cast<unsigned char>(t[p + 1]))) {
      std::size_t q = p + 1;
      while (q < t.size() && std::isdigit(static_cast<unsigned char>(t[q]))) {
        ++q;
      }
      if (q + 1 < t.size() && t[q] == 'e' && std::isdigit(static_cast<unsigned char>(t[q + 1]))) {
        hit = true;
      }
    }
  }
  if (hit) {
    emit_at(Severity::warning, "APL-W08", element, line(node),
            std::string(name) + " " + quote(title) +
                " contains an episode or season number; use itunes:episode/itunes:season");
  }
}

// ---- Channel ----------------------------------------------------------------------------

void Walker::walk_channel(pugi::xml_node rss, pugi::xml_node channel, ChannelResult& result) {
  ChannelState state;
  channel_ = &state;
  push_name("", "rss", 0);
  push_declarations(rss, &result.declarations);
  note_attributes(rss);
  push_name("", "channel", 0);
  push_declarations(channel, &result.declarations);
  note_attributes(channel);

  // Declarations: the podcast URI misspelling works but is warned about here; wrong itunes/
  // content URIs and unused declarations need usage (assemble_report).
  for (const NamespaceDecl& d : result.declarations) {
    UriClass cls = classify_uri(d.uri);
    if (cls.kind == UriKind::misspelled_warning) {
      emit_at(Severity::warning, "P20-W15", d.element, d.line,
              "xmlns:" + d.prefix + " " + quote(d.uri) +
                  " is not the canonical podcast "
                  "namespace URI '" +
                  std::string(kPodcastUri) + "'");
    }
  }

  std::string scratch;
  pugi::xml_node first_item;
  bool misplaced_reported = false;
  int live_index = 0;
  int top_categories = 0;
  std::string description, summary;
  pugi::xml_node summary_node;
  std::string self_href;
  bool has_self = false, has_title = false, has_link = false, has_description = false;
  bool has_language = false, has_image = false, has_category = false, has_explicit = false;
  bool has_author = false, has_owner = false, has_type = false;
  bool seen[static_cast<std::size_t>(Tag::count)] = {};
  int live_total = 0;

  const std::vector<Child> list = children(channel, 0);
  for (const Child& c : list) {
    if (c.tag == Tag::p_live_item) {
      ++live_total;
    }
  }
  for (const Child& c : list) {
    if (c.tag == Tag::item) {
      if (!first_item) {
        first_item = c.node;
      }
      continue;
    }
    seen[static_cast<std::size_t>(c.tag)] = true;
    if (first_item && !misplaced_reported && c.tag != Tag::p_live_item) {
      misplaced_reported = true;
      emit_at(Severity::warning, "RSS-W07", path_with(c), line(c.node),
              display(c) + " comes after the items; put channel metadata before the first item");
    }
    if (c.tag == Tag::p_live_item) {
      ++live_index;
      path_.push_back(Seg{"podcast:", "liveItem", live_total > 1 ? live_index : 0});
      ItemFacts ignored;
      walk_item(c.node, true, 0, ignored);
      pop();
      continue;
    }
    std::size_t scope_size = scope_.size();
    push_declarations(c.node, nullptr);
    push(c);
    note_attributes(c.node);
    std::string_view value = text(c.node, scratch);
    switch (c.tag) {
      case Tag::title:
        has_title = true;
        check_duplicate(c, "RSS-E02");
        if (c.index == 1) {
          result.title = std::string(text::trim(value));
        }
        if (text::trim(value).empty()) {
          emit(Severity::error, "RSS-E01", c.node, "channel title is blank");
        }
        break;
      case Tag::link:
        has_link = true;
        check_duplicate(c, "RSS-E02");
        if (!is_absolute_uri(value)) {
          emit(Severity::error, "RSS-E01", c.node,
               "channel link " + quote(value) + " is not an absolute URL");
        }
        break;
      case Tag::description:
        has_description = true;
        check_duplicate(c, "RSS-E02");
        if (value.size() > 4000) {
          emit(Severity::error, "APL-E15", c.node,
               "channel description is " + std::to_string(value.size()) +
                   " bytes; Apple's limit is 4000");
        }
        if (c.index == 1) {
          description = std::string(text::trim(value));
        }
        break;
      case Tag::language:
        has_language = true;
        check_duplicate(c, "RSS-E02");
        if (!is_language_code(value)) {
          if (options_.profile == Profile::apple) {
            emit(Severity::error, "APL-E01", c.node,
                 "language " + quote(value) + " is not an ISO 639 code (e.g. 'en', 'en-us')");
          } else {
            emit(Severity::warning, "RSS-W08", c.node,
                 "language " + quote(value) + " is not an ISO 639 code (e.g. 'en', 'en-us')");
          }
        }
        break;
      case Tag::copyright:
      case Tag::generator:
      case Tag::docs:
      case Tag::cloud:
      case Tag::rating:
      case Tag::skip_hours:
      case Tag::skip_days:
        check_duplicate(c, "RSS-E02");
        break;
      case Tag::managing_editor:
      case Tag::web_master:
        check_duplicate(c, "RSS-E02");
        if (!is_email_with_name(value)) {
          emit(Severity::error, "RSS-E11", c.node,
               display(c) + " " + quote(value) +
                   " is not an email address (optionally followed by ' (Name)')");
        }
        break;
      case Tag::pub_date:
      case Tag::last_build_date:
        check_duplicate(c, "RSS-E02");
        check_date(c.node, value, display(c), nullptr, false);
        break;
      case Tag::ttl: {
        check_duplicate(c, "RSS-E02");
        auto v = parse_integer(value, false);
        if (!v || *v <= 0) {
          emit(Severity::error, "RSS-E04", c.node,
               "ttl " + quote(value) + " is not a positive integer");
        }
        break;
      }
      case Tag::image: {
        check_duplicate(c, "RSS-E02");
        bool url = false, title = false, link = false;
        std::string s2;
        for (const Child& k : children(c.node, 1)) {
          push(k);
          std::string_view kv = text(k.node, s2);
          if (k.tag == Tag::url) {
            url = true;
            if (!is_http_url(kv)) {
              emit(Severity::error, "RSS-E03", k.node,
                   "image url " + quote(kv) + " is not an http(s) URL");
            } else {
              check_https(k.node, "image url", kv);
            }
          } else if (k.tag == Tag::title) {
            title = true;
          } else if (k.tag == Tag::link) {
            link = true;
          } else if (k.tag == Tag::width || k.tag == Tag::height) {
            auto v = parse_integer(kv, false);
            long long max = k.tag == Tag::width ? 144 : 400;
            if (!v || *v <= 0) {
              emit(
                  Severity::error, "RSS-E03", k.node,
                  "image " + std::string(k.local) + " " + quote(kv) + " is not a positive integer");
            } else if (*v > max) {
              emit(Severity::error, "RSS-E03", k.node,
                   "image " + std::string(k.local) + " " + quote(kv) + " exceeds " +
                       std::to_string(max));
            }
          }
          pop();
        }
        std::string missing;
        for (auto [ok, name] : {std::pair{url, "url"}, {title, "title"}, {link, "link"}}) {
          if (!ok) {
            missing += missing.empty() ? "" : ", ";
            missing += name;
          }
        }
        if (!missing.empty()) {
          emit(Severity::error, "RSS-E03", c.node, "image lacks " + missing);
        }
        break;
      }
      case Tag::text_input:
        emit(Severity::warning, "RSS-W07", c.node,
             "textInput is discouraged (most readers ignore it)");
        break;
      case Tag::atom_link: {
        std::string_view rel = c.node.attribute("rel").value();
        std::string_view href = c.node.attribute("href").value();
        if (rel == "self" && !has_self) {
          has_self = true;
          self_href = std::string(href);
        }
        check_https(c.node, "atom:link href", href);
        break;
      }
      case Tag::it_author:
        has_author = true;
        check_duplicate(c, "RSS-E02");
        check_itunes_text(c, value);
        break;
      case Tag::it_subtitle:
      case Tag::it_keywords:
        check_duplicate(c, "RSS-E02");
        check_itunes_text(c, value);
        break;
      case Tag::it_summary:
        check_duplicate(c, "RSS-E02");
        check_itunes_text(c, value);
        if (c.index == 1) {
          summary = std::string(text::trim(value));
          summary_node = c.node;
        }
        break;
      case Tag::it_block:
        check_duplicate(c, "RSS-E02");
        check_block(c.node, value);
        break;
      case Tag::it_complete:
        check_duplicate(c, "RSS-E02");
        if (!ieq(value, "yes")) {
          emit(Severity::warning, "APL-E11", c.node,
               "itunes:complete " + quote(value) +
                   " has no effect; only 'Yes' marks the show complete");
        }
        break;
      case Tag::it_explicit:
        has_explicit = true;
        check_duplicate(c, "RSS-E02");
        check_explicit(c.node, value);
        break;
      case Tag::it_image:
        has_image = true;
        check_duplicate(c, "RSS-E02");
        check_itunes_image(c.node, false);
        break;
      case Tag::it_category:
        has_category = true;
        check_categories(c, top_categories);
        break;
      case Tag::it_new_feed_url:
        check_duplicate(c, "RSS-E02");
        if (!is_absolute_uri(value)) {
          emit(Severity::error, "APL-E12", c.node,
               "itunes:new-feed-url " + quote(value) + " is not an absolute URL");
        } else {
          check_https(c.node, "itunes:new-feed-url", value);
        }
        break;
      case Tag::it_owner: {
        has_owner = true;
        check_duplicate(c, "RSS-E02");
        bool email = false;
        std::string s2;
        for (const Child& k : children(c.node, 1)) {
          if (k.tag != Tag::it_email) {
            continue;
          }
          push(k);
          std::string_view ev = text(k.node, s2);
          if (!email && !text::is_email(ev)) {
            emit(Severity::error, "APL-E13", k.node,
                 "itunes:email " + quote(ev) + " is not an email address");
          }
          email = true;
          pop();
        }
        if (!email) {
          emit(Severity::error, "APL-E13", c.node, "itunes:owner has no itunes:email");
        }
        break;
      }
      case Tag::it_title:
        check_duplicate(c, "RSS-E02");
        break;
      case Tag::it_type:
        has_type = true;
        check_duplicate(c, "RSS-E02");
        if (value != "episodic" && value != "serial") {
          emit(Severity::error, "APL-E06", c.node,
               "itunes:type " + quote(value) + " is not 'episodic' or 'serial'");
        }
        if (value == "serial" && c.index == 1) {
          result.serial = true;
        }
        break;
      default:
        if (c.ns == Ns::podcast) {
          check_podcast(c, Parent::channel, 1);
        }
        break;
    }
    pop();
    pop_scope(scope_size);
  }

  // Presence.
  pugi::xml_node at = channel;
  if (!has_title) {
    emit(Severity::error, "RSS-E01", at, "channel has no <title>");
  }
  if (!has_link) {
    emit(Severity::error, "RSS-E01", at, "channel has no <link>");
  }
  if (!has_description) {
    emit(Severity::error, "RSS-E01", at, "channel has no <description>");
  }
  if (!has_language) {
    if (options_.profile == Profile::apple) {
      emit(Severity::error, "APL-E01", at, "channel has no <language> (Apple requires it)");
    } else {
      emit(Severity::warning, "RSS-W08", at, "channel has no <language>");
    }
  }
  if (!has_image) {
    emit(Severity::error, "APL-E01", at, "channel has no itunes:image (Apple requires it)");
  }
  if (!has_category) {
    emit(Severity::error, "APL-E01", at, "channel has no itunes:category (Apple requires it)");
  }
  if (!has_explicit) {
    emit(Severity::error, "APL-E01", at, "channel has no itunes:explicit (Apple requires it)");
  }
  if (!has_author) {
    emit(Severity::warning, "APL-W01", at, "channel has no itunes:author");
  }
  if (!has_owner) {
    emit(Severity::warning, "APL-W02", at, "channel has no itunes:owner with itunes:email");
  }
  if (top_categories > 3) {
    emit(Severity::warning, "APL-W06", at,
         std::to_string(top_categories) +
             " top-level itunes:category elements; Apple uses only the first (hosts allow 3)");
  } else if (top_categories > 1) {
    emit(Severity::warning, "APL-W06", at,
         std::to_string(top_categories) +
             " top-level itunes:category elements; Apple uses only the first");
  }
  if (!summary.empty() && summary == description) {
    emit_at(Severity::warning, "APL-W10", path() + "/itunes:summary", line(summary_node),
            "itunes:summary repeats the description; make it a real summary or drop it");
  }
  if (!has_self) {
    emit(Severity::warning, "RSS-W01", at, "channel has no atom:link rel=\"self\"");
  } else if (!options_.feed_url.empty() && self_href != options_.feed_url) {
    emit(Severity::warning, "RSS-W01", at,
         "atom:link rel=\"self\" " + quote(self_href) + " differs from the feed URL " +
             quote(options_.feed_url));
  }
  // podcast:guid against the feed URL (info: legitimate after a move).
  if (state.guid) {
    std::string_view g = text::trim(text(state.guid, scratch));
    std::string url = !options_.feed_url.empty() ? options_.feed_url : self_href;
    if (hash::is_uuid(g) && !url.empty()) {
      std::string expect = hash::podcast_guid(url);
      if (lower(g) != expect) {
        emit_at(Severity::info, "P20-W06", path() + "/podcast:guid", line(state.guid),
                "podcast:guid " + quote(g) + " is not UUIDv5 of the feed URL " + quote(url) + " (" +
                    expect + "); fine if the feed moved");
      }
    }
  }
  const std::pair<Tag, const char*> kUseful[] = {
      {Tag::p_guid, "podcast:guid"},
      {Tag::p_medium, "podcast:medium"},
      {Tag::p_person, "podcast:person"},
      {Tag::p_podping, "podcast:podping"},
      {Tag::p_update_frequency, "podcast:updateFrequency"},
      {Tag::p_locked, "podcast:locked"}};
  for (auto [tag, name] : kUseful) {
    if (!seen[static_cast<std::size_t>(tag)]) {
      emit(Severity::info, "P20-I01", at, std::string("channel has no ") + name);
    }
  }
  if (!has_type) {
    emit(Severity::info, "APL-I01", at, "channel has no itunes:type (episodic or serial)");
  }
  result.host_names = std::move(state.host_names);
  pop();
  pop();
  channel_ = nullptr;
}

std::string Walker::path_with(const Child& c) {
  push(c);
  std::string p = path();
  pop();
  return p;
}

// ---- Items ------------------------------------------------------------------------------

void Walker::walk_item(pugi::xml_node item, bool live, int index, ItemFacts& facts) {
  ItemState state;
  state.live = live;
  state.facts = &facts;
  ItemState* saved = item_;
  item_ = &state;
  if (!live) {
    push_name("", "item", index);
  }
  std::size_t scope_size = scope_.size();
  push_declarations(item, nullptr);
  note_attributes(item);

  std::string scratch;
  bool has_title = false, has_description = false, has_enclosure = false, has_guid = false;
  bool has_pub_date = false, has_content = false, has_alternate = false;
  bool has_content_link = false;
  pugi::xml_node title_node, itunes_title_node;
  std::string title, itunes_title, title_path, itunes_title_path;
  const int depth = live ? 2 : 1;
  const std::vector<Child> list = children(item, depth);
  for (const Child& c : list) {
    std::size_t inner_scope = scope_.size();
    push_declarations(c.node, nullptr);
    push(c);
    note_attributes(c.node);
    std::string_view value = text(c.node, scratch);
    switch (c.tag) {
      case Tag::title:
        check_duplicate(c, "RSS-E02");
        if (c.index == 1) {
          title = std::string(value);
          title_node = c.node;
          title_path = path();
          facts.title = title;
          facts.title_line = line(c.node);
          has_title = !text::trim(value).empty();
          if (!has_title && !live) {
            emit(Severity::error, "APL-E16", c.node, "item title is blank");
          }
        }
        break;
      case Tag::description:
        has_description = true;
        check_duplicate(c, "RSS-E02");
        if (value.size() > 4000) {
          emit(Severity::error, "APL-E15", c.node,
               "item description is " + std::to_string(value.size()) +
                   " bytes; Apple's limit is 4000");
        }
        break;
      case Tag::link:
      case Tag::comments:
      case Tag::source:
        check_duplicate(c, "RSS-E02");
        break;
      case Tag::author:
        check_duplicate(c, "RSS-E02");
        if (!is_email_with_name(value)) {
          emit(Severity::error, "RSS-E11", c.node,
               "author " + quote(value) +
                   " is not an email address (optionally followed by ' (Name)'); use "
                   "itunes:author for names");
        }
        break;
      case Tag::enclosure:
        if (c.index == 2) {
          emit(Severity::warning, "RSS-W03", c.node,
               std::to_string(c.count) +
                   " enclosures in one item; Apple and most apps use only one");
        }
        check_enclosure(c.node);
        if (c.index == 1) {
          has_enclosure = true;
          facts.enclosure_url = c.node.attribute("url").value();
          facts.enclosure_line = line(c.node);
        }
        break;
      case Tag::guid:
        check_duplicate(c, "RSS-E02");
        if (c.index == 1) {
          has_guid = true;
          check_guid(c.node, value, facts);
        }
        break;
      case Tag::pub_date:
        check_duplicate(c, "RSS-E02");
        if (c.index == 1) {
          has_pub_date = true;
          check_date(c.node, value, "pubDate", &facts.pub_date, !live);
          facts.pub_date_line = line(c.node);
        }
        break;
      case Tag::content_encoded:
        has_content = true;
        check_duplicate(c, "RSS-E02");
        break;
      case Tag::it_author:
      case Tag::it_subtitle:
      case Tag::it_keywords:
      case Tag::it_summary:
        check_duplicate(c, "RSS-E02");
        check_itunes_text(c, value);
        break;
      case Tag::it_block:
        check_duplicate(c, "RSS-E02");
        check_block(c.node, value);
        break;
      case Tag::it_duration: {
        check_duplicate(c, "RSS-E02");
        auto d = parse_itunes_duration(value);
        if (!d) {
          emit(Severity::error, "APL-E10", c.node,
               "itunes:duration " + quote(value) +
                   " is not seconds, MM:SS or HH:MM:SS (minutes and seconds 00-59)");
        } else if (c.index == 1) {
          state.duration = d;
        }
        break;
      }
      case Tag::it_episode:
      case Tag::it_season: {
        check_duplicate(c, "RSS-E02");
        auto v = parse_integer(value, false);
        if (!v || *v <= 0) {
          emit(Severity::error, "APL-E09", c.node,
               display(c) + " " + quote(value) + " is not a positive integer");
        }
        (c.tag == Tag::it_episode ? facts.has_itunes_episode : facts.has_itunes_season) = true;
        break;
      }
      case Tag::it_episode_type:
        check_duplicate(c, "RSS-E02");
        if (c.index == 1) {
          facts.episode_type = std::string(value);
        }
        if (value != "full" && value != "trailer" && value != "bonus") {
          emit(Severity::error, "APL-E08", c.node,
               "itunes:episodeType " + quote(value) + " is not 'full', 'trailer' or 'bonus'");
        }
        break;
      case Tag::it_explicit:
        check_duplicate(c, "RSS-E02");
        check_explicit(c.node, value);
        break;
      case Tag::it_image:
        check_duplicate(c, "RSS-E02");
        check_itunes_image(c.node, true);
        break;
      case Tag::it_title:
        check_duplicate(c, "RSS-E02");
        if (c.index == 1) {
          itunes_title = std::string(value);
          itunes_title_node = c.node;
          itunes_title_path = path();
          facts.itunes_title = itunes_title;
        }
        break;
      case Tag::p_alternate_enclosure:
        has_alternate = true;
        check_podcast(c, live ? Parent::live_item : Parent::item, depth + 1);
        break;
      case Tag::p_content_link:
        has_content_link = true;
        check_podcast(c, live ? Parent::live_item : Parent::item, depth + 1);
        break;
      default:
        if (c.ns == Ns::podcast) {
          check_podcast(c, live ? Parent::live_item : Parent::item, depth + 1);
        }
        break;
    }
    pop();
    pop_scope(inner_scope);
  }

  // Presence.
  if (!has_title && !has_description) {
    emit(Severity::error, "RSS-E06", item, "item has neither title nor description");
  }
  if (!live) {
    if (!has_enclosure) {
      emit(Severity::error, "APL-E16", item, "item has no enclosure");
    }
    if (!title_node) {
      emit(Severity::error, "APL-E16", item, "item has no title");
    }
    if (!has_guid) {
      if (options_.profile == Profile::apple) {
        emit(Severity::error, "APL-E18", item, "item has no guid (Apple requires one)");
      } else {
        emit(Severity::warning, "RSS-W02", item, "item has no guid");
      }
    }
    if (!has_pub_date) {
      emit(Severity::warning, "RSS-W09", item, "item has no pubDate");
    }
  } else {
    std::string_view status = item.attribute("status").value();
    if (status != "pending" && status != "live" && status != "ended") {
      emit(Severity::error, "P20-E17", item,
           "podcast:liveItem status " + quote(status) + " is not pending, live or ended");
    }
    pugi::xml_attribute start = item.attribute("start");
    if (!start || !is_iso8601(start.value(), false)) {
      emit(Severity::error, "P20-E17", item,
           start
               ? "podcast:liveItem start " + quote(start.value()) + " is not an ISO 8601 date-time"
               : std::string("podcast:liveItem has no start"));
    }
    pugi::xml_attribute end = item.attribute("end");
    if (end && !is_iso8601(end.value(), false)) {
      emit(Severity::error, "P20-E17", item,
           "podcast:liveItem end " + quote(end.value()) + " is not an ISO 8601 date-time");
    }
    if (!has_content_link) {
      emit(Severity::error, "P20-E17", item, "podcast:liveItem has no podcast:contentLink");
    }
    std::string missing;
    for (auto [ok, name] : {std::pair{static_cast<bool>(end), "end"},
                            {has_enclosure, "enclosure"},
                            {has_guid, "guid"}}) {
      if (!ok) {
        missing += missing.empty() ? "" : ", ";
        missing += name;
      }
    }
    if (!missing.empty()) {
      emit(Severity::warning, "P20-W11", item, "podcast:liveItem has no " + missing);
    }
  }
  if (has_content && !has_description) {
    emit(Severity::warning, "RSS-W07", item, "content:encoded without description");
  }
  if (has_alternate && !has_enclosure) {
    emit(Severity::warning, "P20-W10", item,
         "item has podcast:alternateEnclosure but no enclosure");
  }
  if (!live) {
    if (title_node) {
      check_title_numbers(title_node, title_path, "title", title);
    }
    if (itunes_title_node) {
      check_title_numbers(itunes_title_node, itunes_title_path, "itunes:title", itunes_title);
    }
  }
  // Soundbites against the episode duration (known only after the walk).
  for (const auto& s : state.soundbites) {
    if (state.duration && s.start + s.duration > *state.duration) {
      // Values are unbounded (parse_decimal): print seconds, not a clock, to avoid casts.
      auto secs = [](double v) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%.10g s", v);
        return std::string(buf);
      };
      emit_at(Severity::warning, "P20-W09", s.path, line(s.node),
              "podcast:soundbite ends at " + secs(s.start + s.duration) +
                  ", after the episode's end (" + secs(*state.duration) + ")");
    }
  }
  // Companion documents (FIL-*), fetched through the caller's callback.
  if (options_.fetch_companion) {
    for (const auto& ref : state.companions) {
      check_companion(options_, ref.url, ref.type, ref.chapters, state.duration, ref.path, ref.line,
                      findings_);
    }
  }
  pop_scope(scope_size);
  if (!live) {
    pop();
  }
  item_ = saved;
}

}  // namespace podcastd::feeds::detail
