#include "feeds/importer.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_set>

#include "catalog/hash.hpp"
#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "feeds/validator_detail.hpp"

namespace podcastd::feeds {
namespace {

using catalog::UnixTime;

constexpr std::string_view kItunesNs = "http://www.itunes.com/dtds/podcast-1.0.dtd";
constexpr std::string_view kPodcastNs = "https://podcastindex.org/namespace/1.0";
constexpr std::string_view kPodcastNsOld =
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md";
constexpr std::string_view kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr std::size_t kMaxStemTitle = 60;

// ---- text hygiene: what our TOML sources refuse

// Valid UTF-8 (malformed bytes become U+FFFD) without C0 controls other than tab/LF/CR, DEL,
// or the non-characters XML 1.0 forbids anyway.
std::string clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t bad = text::first_invalid_utf8(s.substr(i));
    std::string_view good = s.substr(i, bad == std::string_view::npos ? s.size() - i : bad);
    for (char c : good) {
      auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F) {
        continue;
      }
      out += c;
    }
    if (bad == std::string_view::npos) {
      break;
    }
    out += "\xEF\xBF\xBD";
    i += bad + 1;
  }
  return out;
}

// Cleaned first: a dropped control character must not leave whitespace at either end.
std::string trimmed(std::string_view s) { return std::string(text::trim(clean(s))); }

// All character data of an element (text and CDATA parts concatenated).
std::string text_of(const pugi::xml_node& n) {
  std::string out;
  for (pugi::xml_node c : n.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      out += c.value();
    }
  }
  return out;
}

// The namespace each prefix stands for, from every xmlns:* declaration in the document.
class Names {
 public:
  explicit Names(const pugi::xml_document& doc) {
    struct Walker : pugi::xml_tree_walker {
      std::map<std::string, std::string>* out;
      bool for_each(pugi::xml_node& node) override {
        for (pugi::xml_attribute a : node.attributes()) {
          std::string_view name = a.name();
          if (name.substr(0, 6) == "xmlns:") {
            (*out)[std::string(name.substr(6))] = a.value();
          }
        }
        return true;
      }
    } walker;
    std::map<std::string, std::string> decl;
    walker.out = &decl;
    const_cast<pugi::xml_document&>(doc).traverse(walker);
    prefixes_for(decl, {kItunesNs}, "itunes", itunes_);
    prefixes_for(decl, {kPodcastNs, kPodcastNsOld}, "podcast", podcast_);
    prefixes_for(decl, {kContentNs}, "content", content_);
  }

  const std::vector<std::string>& itunes() const { return itunes_; }
  const std::vector<std::string>& podcast() const { return podcast_; }
  const std::vector<std::string>& content() const { return content_; }

 private:
  static void prefixes_for(const std::map<std::string, std::string>& decl,
                           std::initializer_list<std::string_view> uris, const std::string& usual,
                           std::vector<std::string>& out) {
    for (const auto& [prefix, uri] : decl) {
      for (std::string_view u : uris) {
        // Feeds spell the itunes URI in several cases ("DTDs/Podcast-1.0.dtd").
        if (text::iequals_ascii(text::trim(uri), u)) {
          out.push_back(prefix + ":");
        }
      }
    }
    // Sloppy feeds use the usual prefix without declaring it.
    if (std::find(out.begin(), out.end(), usual + ":") == out.end() && !decl.count(usual)) {
      out.push_back(usual + ":");
    }
  }

  std::vector<std::string> itunes_, podcast_, content_;
};

bool named(const pugi::xml_node& n, const std::vector<std::string>& prefixes,
           std::string_view local) {
  std::string_view name = n.name();
  for (const std::string& p : prefixes) {
    if (name.size() == p.size() + local.size() && name.substr(0, p.size()) == p &&
        name.substr(p.size()) == local) {
      return true;
    }
  }
  return false;
}

pugi::xml_node child_ns(const pugi::xml_node& parent, const std::vector<std::string>& prefixes,
                        std::string_view local) {
  for (pugi::xml_node c : parent.children()) {
    if (c.type() == pugi::node_element && named(c, prefixes, local)) {
      return c;
    }
  }
  return {};
}

std::vector<pugi::xml_node> children_ns(const pugi::xml_node& parent,
                                        const std::vector<std::string>& prefixes,
                                        std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : parent.children()) {
    if (c.type() == pugi::node_element && named(c, prefixes, local)) {
      out.push_back(c);
    }
  }
  return out;
}

// A plain RSS child (no prefix).
pugi::xml_node child_plain(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node c : parent.children()) {
    if (c.type() == pugi::node_element && std::string_view(c.name()) == local) {
      return c;
    }
  }
  return {};
}

std::string attr(const pugi::xml_node& n, const char* name) {
  return trimmed(n.attribute(name).value());
}

std::optional<bool> yes_no(std::string_view v) {
  std::string s = text::to_lower_ascii(text::trim(v));
  if (s == "true" || s == "yes" || s == "explicit") {
    return true;
  }
  if (s == "false" || s == "no" || s == "clean") {
    return false;
  }
  return std::nullopt;
}

// A whole number as feeds write counts and lengths (spaces around it allowed).
std::optional<std::int64_t> whole_number(std::string_view v) {
  return detail::parse_integer(text::trim(v), false);
}

std::optional<double> decimal(std::string_view v) {
  std::string s(text::trim(v));
  if (s.empty() || s.size() > 30) {
    return std::nullopt;
  }
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.')) {
      return std::nullopt;
    }
  }
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(d)) {
    return std::nullopt;
  }
  return d;
}

// Collects what was left out, prefixed with where it was.
struct Warnings {
  std::vector<std::string>& out;
  std::string where;
  void add(const std::string& message) const { out.push_back(where + ": " + message); }
};

std::string quoted(std::string_view s) { return "\"" + text::truncate_utf8(s, 60) + "\""; }

// Resolves `url` against the feed's URL and makes it acceptable to our URL fields: absolute
// http(s), a host, no spaces or controls (spaces become %20). "" (with a warning) otherwise.
std::string fix_url(std::string_view raw, std::string_view base, const Warnings& w,
                    std::string_view what) {
  std::string url = trimmed(raw);
  if (url.empty()) {
    return "";
  }
  if (!text::has_http_scheme(url)) {
    std::string b(base);
    std::size_t scheme = b.find("://");
    if (!text::has_http_scheme(b) || scheme == std::string::npos ||
        url.find("://") != std::string::npos || text::istarts_with_ascii(url, "mailto:") ||
        text::istarts_with_ascii(url, "data:")) {
      w.add(std::string(what) + " " + quoted(url) + " is not an http(s) URL: left out");
      return "";
    }
    std::size_t host_end = b.find_first_of("/?#", scheme + 3);
    std::string origin = b.substr(0, host_end);
    if (url.substr(0, 2) == "//") {
      url = b.substr(0, scheme + 1) + url;
    } else if (url[0] == '/') {
      url = origin + url;
    } else {
      std::string dir =
          host_end == std::string::npos ? origin + "/" : b.substr(0, b.rfind('/') + 1);
      url = dir + url;
    }
  }
  std::string out;
  bool changed = false;
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (c == ' ') {
      out += "%20";
      changed = true;
    } else if (u < 0x20 || u == 0x7F) {
      changed = true;
    } else {
      out += c;
    }
  }
  std::string_view rest = std::string_view(out).substr(out.find("://") + 3);
  if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') {
    w.add(std::string(what) + " " + quoted(url) + " has no host: left out");
    return "";
  }
  if (changed) {
    w.add(std::string(what) + " " + quoted(url) + " had spaces: percent-encoded");
  }
  return out;
}

catalog::Person read_person(const pugi::xml_node& n, std::string_view base, const Warnings& w) {
  catalog::Person p;
  p.name = text::collapse_whitespace(clean(text_of(n)));
  p.role = attr(n, "role");
  p.group = attr(n, "group");
  p.href = fix_url(n.attribute("href").value(), base, w, "person href");
  p.img = fix_url(n.attribute("img").value(), base, w, "person img");
  return p;
}

void read_persons(const pugi::xml_node& parent, const Names& ns, std::string_view base,
                  const Warnings& w, std::vector<catalog::Person>& out) {
  for (pugi::xml_node n : children_ns(parent, ns.podcast(), "person")) {
    catalog::Person p = read_person(n, base, w);
    if (p.name.empty()) {
      w.add("podcast:person without a name: left out");
      continue;
    }
    out.push_back(std::move(p));
  }
}

void read_funding(const pugi::xml_node& parent, const Names& ns, std::string_view base,
                  const Warnings& w, std::vector<catalog::Funding>& out) {
  for (pugi::xml_node n : children_ns(parent, ns.podcast(), "funding")) {
    catalog::Funding f;
    f.url = fix_url(n.attribute("url").value(), base, w, "podcast:funding url");
    f.text = text::collapse_whitespace(clean(text_of(n)));
    if (!f.url.empty()) {
      out.push_back(std::move(f));
    }
  }
}

void read_locations(const pugi::xml_node& parent, const Names& ns, const Warnings& w,
                    std::vector<catalog::Location>& out) {
  for (pugi::xml_node n : children_ns(parent, ns.podcast(), "location")) {
    catalog::Location l;
    l.name = text::collapse_whitespace(clean(text_of(n)));
    if (l.name.empty()) {
      w.add("podcast:location without a name: left out");
      continue;
    }
    std::string rel = text::to_lower_ascii(attr(n, "rel"));
    if (rel == "subject" || rel == "creator") {
      l.rel = rel;
    }
    std::string geo = attr(n, "geo");
    if (text::is_geo_uri(geo)) {
      l.geo = geo;
    }
    std::string osm = attr(n, "osm");
    if (text::is_osm_id(osm)) {
      l.osm = osm;
    }
    std::string country = attr(n, "country");
    if (country.size() == 2 && std::isalpha(static_cast<unsigned char>(country[0])) &&
        std::isalpha(static_cast<unsigned char>(country[1]))) {
      l.country = country;
    }
    out.push_back(std::move(l));
  }
}

void read_txt(const pugi::xml_node& parent, const Names& ns, std::vector<catalog::Txt>& out) {
  for (pugi::xml_node n : children_ns(parent, ns.podcast(), "txt")) {
    catalog::Txt t;
    t.purpose = attr(n, "purpose");
    t.text = trimmed(text_of(n));
    if (!t.text.empty()) {
      out.push_back(std::move(t));
    }
  }
}

void read_license(const pugi::xml_node& parent, const Names& ns, std::string_view base,
                  const Warnings& w, std::string& license, std::string& url) {
  pugi::xml_node n = child_ns(parent, ns.podcast(), "license");
  if (!n) {
    return;
  }
  license = text::collapse_whitespace(clean(text_of(n)));
  url = fix_url(n.attribute("url").value(), base, w, "podcast:license url");
}

// ---- the channel

catalog::Show read_show(const pugi::xml_node& ch, const Names& ns, std::string_view base,
                        std::vector<std::string>& warnings) {
  Warnings w{warnings, "channel"};
  catalog::Show s;
  s.title = text::collapse_whitespace(clean(text_of(child_plain(ch, "title"))));
  s.description = trimmed(text_of(child_plain(ch, "description")));
  if (s.description.empty()) {
    s.description = trimmed(text_of(child_ns(ch, ns.itunes(), "summary")));
  }
  s.author = text::collapse_whitespace(clean(text_of(child_ns(ch, ns.itunes(), "author"))));
  std::string language = trimmed(text_of(child_plain(ch, "language")));
  std::replace(language.begin(), language.end(), '_', '-');
  if (text::is_language_tag(language)) {
    s.language = language;
  } else if (!language.empty()) {
    w.add("language " + quoted(language) + " is not a language tag: left out");
  }
  s.link = fix_url(text_of(child_plain(ch, "link")), base, w, "link");
  std::string image = child_ns(ch, ns.itunes(), "image").attribute("href").value();
  if (text::trim(image).empty()) {
    image = text_of(child_plain(child_plain(ch, "image"), "url"));
  }
  s.image = fix_url(image, base, w, "image");
  s.copyright = text::collapse_whitespace(clean(text_of(child_plain(ch, "copyright"))));
  for (pugi::xml_node cat : children_ns(ch, ns.itunes(), "category")) {
    std::string top = text::collapse_whitespace(clean(cat.attribute("text").value()));
    if (top.empty() || top.find('>') != std::string::npos) {
      continue;
    }
    std::vector<pugi::xml_node> subs = children_ns(cat, ns.itunes(), "category");
    bool any = false;
    for (pugi::xml_node sub : subs) {
      std::string name = text::collapse_whitespace(clean(sub.attribute("text").value()));
      if (name.empty() || name.find('>') != std::string::npos) {
        continue;
      }
      s.categories.push_back(std::string(top).append(" > ").append(name));
      any = true;
    }
    if (!any) {
      s.categories.push_back(top);
    }
  }
  if (pugi::xml_node e = child_ns(ch, ns.itunes(), "explicit")) {
    s.explicit_content = yes_no(text_of(e));
    if (!s.explicit_content) {
      w.add("itunes:explicit " + quoted(text_of(e)) + " is not true/false");
    }
  }
  std::string type = text::to_lower_ascii(text::trim(text_of(child_ns(ch, ns.itunes(), "type"))));
  if (type == "episodic" || type == "serial") {
    s.type = type;
  } else if (!type.empty()) {
    w.add("itunes:type " + quoted(type) + " is neither episodic nor serial: left out");
  }
  std::string guid = text::to_lower_ascii(text::trim(text_of(child_ns(ch, ns.podcast(), "guid"))));
  if (hash::is_uuid(guid)) {
    s.guid = guid;
  } else if (!guid.empty()) {
    w.add("podcast:guid " + quoted(guid) + " is not a UUID: left out (derived again)");
  }
  pugi::xml_node owner = child_ns(ch, ns.itunes(), "owner");
  s.owner_name = text::collapse_whitespace(clean(text_of(child_ns(owner, ns.itunes(), "name"))));
  std::string email = trimmed(text_of(child_ns(owner, ns.itunes(), "email")));
  if (text::is_email(email)) {
    s.owner_email = email;
  } else if (!email.empty()) {
    w.add("itunes:email " + quoted(email) + " is not an e-mail address: left out");
  }
  if (pugi::xml_node locked = child_ns(ch, ns.podcast(), "locked")) {
    s.locked = yes_no(text_of(locked));
    std::string by = attr(locked, "owner");
    if (s.owner_email.empty() && text::is_email(by)) {
      s.owner_email = by;
    }
    if (!by.empty() && by != s.owner_email) {
      w.add("podcast:locked owner " + quoted(by) +
            " differs from itunes:email: [owner] email kept");
    }
  }
  if (s.owner_email.empty() && !s.owner_name.empty()) {
    // An itunes:owner without an e-mail is a validation error: keep no owner instead.
    w.add("itunes:owner " + quoted(s.owner_name) + " has no e-mail address: left out");
    s.owner_name.clear();
  }
  read_funding(ch, ns, base, w, s.funding);
  read_persons(ch, ns, base, w, s.persons);
  s.medium = trimmed(text_of(child_ns(ch, ns.podcast(), "medium")));
  read_license(ch, ns, base, w, s.license, s.license_url);
  s.new_feed_url =
      fix_url(text_of(child_ns(ch, ns.itunes(), "new-feed-url")), base, w, "itunes:new-feed-url");
  s.complete =
      text::iequals_ascii(text::trim(text_of(child_ns(ch, ns.itunes(), "complete"))), "yes");
  s.block = text::iequals_ascii(text::trim(text_of(child_ns(ch, ns.itunes(), "block"))), "yes");
  read_locations(ch, ns, w, s.locations);
  read_txt(ch, ns, s.txt);
  if (pugi::xml_node f = child_ns(ch, ns.podcast(), "updateFrequency")) {
    s.update_frequency = text::collapse_whitespace(clean(text_of(f)));
    std::string rrule = attr(f, "rrule");
    if (rrule.find("FREQ=") != std::string::npos && !s.update_frequency.empty()) {
      s.update_frequency_rrule = rrule;
    }
  }
  for (const char* dropped : {"value", "podroll", "liveItem", "trailer", "block"}) {
    if (child_ns(ch, ns.podcast(), dropped)) {
      w.add(std::string("podcast:") + dropped + " is not imported");
    }
  }
  return s;
}

// ---- items

ImportedEpisode read_item(const pugi::xml_node& item, std::size_t index, const Names& ns,
                          std::string_view base, std::vector<std::string>& warnings) {
  ImportedEpisode out;
  catalog::Episode& e = out.episode;
  std::string title = text::collapse_whitespace(clean(text_of(child_plain(item, "title"))));
  if (title.empty()) {
    title = text::collapse_whitespace(clean(text_of(child_ns(item, ns.itunes(), "title"))));
  }
  Warnings w{warnings, "item " + std::to_string(index + 1) +
                           (title.empty() ? "" : " (" + quoted(title) + ")")};
  e.guid = trimmed(text_of(child_plain(item, "guid")));

  pugi::xml_node enclosure = child_plain(item, "enclosure");
  if (enclosure) {
    out.audio_url = fix_url(enclosure.attribute("url").value(), base, w, "enclosure url");
    std::string length = attr(enclosure, "length");
    if (std::optional<std::int64_t> n = whole_number(length)) {
      out.audio_length = *n;
    } else if (!length.empty()) {
      w.add("enclosure length " + quoted(length) + " is not a number of bytes: left out");
    }
    out.audio_mime = attr(enclosure, "type");
    if (out.audio_mime.find_first_of(" \t") != std::string::npos) {
      out.audio_mime.erase(std::remove_if(out.audio_mime.begin(), out.audio_mime.end(),
                                          [](char c) { return c == ' ' || c == '\t'; }),
                           out.audio_mime.end());
    }
    if (std::distance(item.children("enclosure").begin(), item.children("enclosure").end()) > 1) {
      w.add("more than one enclosure: only the first is imported");
    }
  }
  if (e.guid.empty()) {
    if (!out.audio_url.empty()) {
      e.guid = out.audio_url;
      out.guid_from_enclosure = true;
      w.add("no <guid>: its enclosure URL is the guid (as Apple does)");
    } else {
      w.add("no <guid> and no enclosure: the guid will be derived");
    }
  }
  e.guid_explicit = !e.guid.empty();

  if (title.empty()) {
    std::string from_notes = text::collapse_whitespace(
        text::html_to_text(clean(text_of(child_plain(item, "description")))));
    title = from_notes.empty() ? "Untitled episode" : text::truncate_utf8(from_notes, 80);
    w.add("no title: using " + quoted(title));
  }
  e.title = title;

  std::string pub = trimmed(text_of(child_plain(item, "pubDate")));
  if (!pub.empty()) {
    if (std::optional<UnixTime> t = parse_pub_date(pub, &out.date_zone)) {
      // TOML dates have four-digit years.
      std::string local = timefmt::format_rfc3339(*t, out.date_zone);
      if (local.size() > 4 && local[4] == '-' && local[0] >= '1' && local[0] <= '9') {
        e.date = *t;
      } else {
        w.add("pubDate " + quoted(pub) + " is out of range: left out");
      }
    } else {
      w.add("pubDate " + quoted(pub) + " is not an RFC 2822 date: left out");
    }
  }

  std::string duration = trimmed(text_of(child_ns(item, ns.itunes(), "duration")));
  if (!duration.empty()) {
    if (std::optional<double> d = parse_itunes_duration(duration)) {
      e.declared_duration = *d;
    } else {
      w.add("itunes:duration " + quoted(duration) + " is not a duration: left out");
    }
  }

  std::string season = trimmed(text_of(child_ns(item, ns.itunes(), "season")));
  pugi::xml_node pseason = child_ns(item, ns.podcast(), "season");
  if (season.empty()) {
    season = trimmed(text_of(pseason));
  }
  if (std::optional<std::int64_t> n = whole_number(season); n && *n > 0 && *n < 1000000) {
    e.season = static_cast<int>(*n);
  } else if (!season.empty()) {
    w.add("season " + quoted(season) + " is not a positive whole number: left out");
  }
  if (pseason && e.season) {
    e.season_name = attr(pseason, "name");
  }

  std::string number = trimmed(text_of(child_ns(item, ns.itunes(), "episode")));
  pugi::xml_node pepisode = child_ns(item, ns.podcast(), "episode");
  if (number.empty()) {
    number = trimmed(text_of(pepisode));
  }
  if (std::optional<std::int64_t> n = whole_number(number); n && *n > 0 && *n < 100000000) {
    e.number = static_cast<int>(*n);
  } else if (!number.empty()) {
    w.add("episode number " + quoted(number) + " is not a positive whole number: left out");
  }
  if (pepisode && e.number) {
    e.number_display = attr(pepisode, "display");
  }

  std::string type =
      text::to_lower_ascii(text::trim(text_of(child_ns(item, ns.itunes(), "episodeType"))));
  if (type == "trailer") {
    e.type = catalog::EpisodeType::trailer;
  } else if (type == "bonus") {
    e.type = catalog::EpisodeType::bonus;
  } else if (!type.empty() && type != "full") {
    w.add("itunes:episodeType " + quoted(type) + " is not full/trailer/bonus: left out");
  }
  if (pugi::xml_node x = child_ns(item, ns.itunes(), "explicit")) {
    e.explicit_content = yes_no(text_of(x));
  }
  e.block = text::iequals_ascii(text::trim(text_of(child_ns(item, ns.itunes(), "block"))), "yes");
  e.subtitle = trimmed(text_of(child_ns(item, ns.itunes(), "subtitle")));
  e.summary = trimmed(text_of(child_ns(item, ns.itunes(), "summary")));
  e.link = fix_url(text_of(child_plain(item, "link")), base, w, "link");
  e.image = fix_url(child_ns(item, ns.itunes(), "image").attribute("href").value(), base, w,
                    "itunes:image");

  std::string notes = trimmed(text_of(child_ns(item, ns.content(), "encoded")));
  if (notes.empty()) {
    notes = trimmed(text_of(child_plain(item, "description")));
  }
  if (notes.empty()) {
    notes = e.summary;
  }
  e.notes_html = notes;

  read_persons(item, ns, base, w, e.persons);
  read_funding(item, ns, base, w, e.funding);
  read_locations(item, ns, w, e.locations);
  read_txt(item, ns, e.txt);
  read_license(item, ns, base, w, e.license, e.license_url);
  for (pugi::xml_node n : children_ns(item, ns.podcast(), "soundbite")) {
    std::optional<double> start = decimal(n.attribute("startTime").value());
    std::optional<double> length = decimal(n.attribute("duration").value());
    if (!start || !length || *length <= 0) {
      w.add("podcast:soundbite without a valid startTime/duration: left out");
      continue;
    }
    e.soundbites.push_back({*start, *length, text::collapse_whitespace(clean(text_of(n)))});
  }
  for (pugi::xml_node n : children_ns(item, ns.podcast(), "transcript")) {
    ImportedTranscript t;
    t.url = fix_url(n.attribute("url").value(), base, w, "podcast:transcript url");
    t.type = text::to_lower_ascii(attr(n, "type"));
    t.language = attr(n, "language");
    t.rel = attr(n, "rel");
    if (!t.url.empty()) {
      out.transcripts.push_back(std::move(t));
    }
  }
  if (pugi::xml_node n = child_ns(item, ns.podcast(), "chapters")) {
    out.chapters_url = fix_url(n.attribute("url").value(), base, w, "podcast:chapters url");
    out.chapters_type = attr(n, "type");
  }
  if (child_ns(item, ns.podcast(), "alternateEnclosure")) {
    w.add("podcast:alternateEnclosure is not imported");
  }
  if (child_ns(item, ns.podcast(), "value")) {
    w.add("podcast:value is not imported");
  }
  return out;
}

// ---- rendering

void key(std::string& out, std::string_view k, std::string_view v) {
  if (v.empty()) {
    return;
  }
  out += k;
  out += " = ";
  out += toml_string(v);
  out += '\n';
}

void key_bool(std::string& out, std::string_view k, bool v) {
  out += k;
  out += v ? " = true\n" : " = false\n";
}

std::string number_text(double d) {
  if (d == std::floor(d) && std::fabs(d) < 1e15) {
    return std::to_string(static_cast<std::int64_t>(d));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", d);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') {
    s.pop_back();
  }
  if (!s.empty() && s.back() == '.') {
    s += '0';
  }
  return s;
}

void persons(std::string& out, const std::vector<catalog::Person>& list) {
  for (const catalog::Person& p : list) {
    out += "\n[[person]]\n";
    key(out, "name", p.name);
    key(out, "role", p.role);
    key(out, "group", p.group);
    key(out, "href", p.href);
    key(out, "img", p.img);
  }
}

void funding(std::string& out, const std::vector<catalog::Funding>& list) {
  for (const catalog::Funding& f : list) {
    out += "\n[[funding]]\n";
    key(out, "url", f.url);
    key(out, "text", f.text);
  }
}

void locations(std::string& out, const std::vector<catalog::Location>& list) {
  for (const catalog::Location& l : list) {
    out += "\n[[location]]\n";
    key(out, "name", l.name);
    key(out, "rel", l.rel);
    key(out, "geo", l.geo);
    key(out, "osm", l.osm);
    key(out, "country", l.country);
  }
}

void txts(std::string& out, const std::vector<catalog::Txt>& list) {
  for (const catalog::Txt& t : list) {
    out += "\n[[txt]]\n";
    key(out, "text", t.text);
    key(out, "purpose", t.purpose);
  }
}

// Plain text -> HTML paragraphs; http(s) URLs become links.
std::string text_to_html(std::string_view text) {
  std::string out;
  std::string para;
  auto flush = [&] {
    std::string_view p = text::trim(para);
    if (!p.empty()) {
      out += "<p>" + std::string(p) + "</p>\n";
    }
    para.clear();
  };
  for (std::string_view line : text::split_lines(text)) {
    if (text::trim(line).empty()) {
      flush();
      continue;
    }
    if (!para.empty()) {
      para += "<br>\n";
    }
    std::size_t i = 0;
    while (i < line.size()) {
      std::size_t http = line.find("http", i);
      bool url_here =
          http != std::string_view::npos &&
          (line.substr(http, 7) == "http://" || line.substr(http, 8) == "https://") &&
          (http == 0 || line[http - 1] == ' ' || line[http - 1] == '(' || line[http - 1] == '\t');
      if (!url_here) {
        std::size_t stop = http == std::string_view::npos ? line.size() : http + 1;
        para += text::html_escape(line.substr(i, stop - i));
        i = stop;
        continue;
      }
      para += text::html_escape(line.substr(i, http - i));
      std::size_t end = line.find_first_of(" \t<>\"", http);
      if (end == std::string_view::npos) {
        end = line.size();
      }
      while (end > http &&
             std::string_view(".,;:!?)]'").find(line[end - 1]) != std::string_view::npos) {
        --end;
      }
      std::string url(line.substr(http, end - http));
      para += "<a href=\"" + text::html_escape(url) + "\">" + text::html_escape(url) + "</a>";
      i = end;
    }
  }
  flush();
  return out;
}

}  // namespace

// ---- public

std::optional<double> parse_itunes_duration(std::string_view s) {
  s = text::trim(s);
  if (s.empty()) {
    return std::nullopt;
  }
  std::vector<std::string_view> parts = text::split(s, ':');
  if (parts.size() > 3) {
    parts.resize(3);  // Apple: numbers after a third colon are ignored
  }
  double total = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    bool last = k + 1 == parts.size();
    std::optional<double> v = last ? decimal(parts[k]) : std::nullopt;
    if (!last) {
      std::optional<std::int64_t> n = whole_number(parts[k]);
      if (n) {
        v = static_cast<double>(*n);
      }
    }
    if (!v) {
      return std::nullopt;
    }
    // One colon means minutes:seconds. Minutes and seconds after the first field stay < 60.
    if (k > 0 && *v >= 60) {
      return std::nullopt;
    }
    total = total * 60 + *v;
  }
  if (!std::isfinite(total) || total > 1e9) {
    return std::nullopt;
  }
  return total;
}

std::optional<UnixTime> parse_pub_date(std::string_view s, timefmt::Zone* zone) {
  std::optional<UnixTime> t = timefmt::parse_rfc2822(s, zone);
  return t ? t : timefmt::parse_rfc3339(s, zone);
}

std::string transcript_sidecar_suffix(std::string_view type) {
  std::string t = text::to_lower_ascii(text::trim(type.substr(0, type.find(';'))));
  if (t == "text/vtt") {
    return ".vtt";
  }
  if (t == "application/x-subrip" || t == "application/srt" || t == "text/srt") {
    return ".srt";
  }
  if (t == "application/json") {
    return ".transcript.json";
  }
  if (t == "text/plain") {
    return ".transcript.txt";
  }
  return "";
}

std::string episode_stem(const ImportedEpisode& ep) {
  std::string slug = text::slugify(ep.episode.title, kMaxStemTitle);
  if (slug.empty()) {
    slug = "episode";
  }
  if (!ep.episode.date) {
    return slug;
  }
  std::string date = timefmt::format_rfc3339(*ep.episode.date, ep.date_zone);
  return date.substr(0, 10) + "-" + slug;
}

std::string toml_string(std::string_view raw) {
  std::string s = clean(raw);
  bool multiline = s.find('\n') != std::string::npos;
  std::string out = multiline ? "\"\"\"\n" : "\"";
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += multiline ? "\n" : "\\n";
        break;
      default:
        out += c;
    }
  }
  out += multiline ? "\"\"\"" : "\"";
  return out;
}

std::string notes_body(std::string_view notes) {
  std::string s = clean(notes);
  if (text::trim(s).empty()) {
    return "";
  }
  std::string html = text::looks_like_html(s) ? s : text_to_html(s);
  // One raw HTML block (CommonMark type 6 starts at <div> and ends at a blank line): with
  // every blank line gone, Markdown never reads the notes as Markdown.
  std::string out = "<div>\n";
  for (std::string_view line : text::split_lines(html)) {
    if (text::trim(line).empty()) {
      continue;
    }
    out += line;
    out += '\n';
  }
  out += "</div>\n";
  return out;
}

Result<ImportedFeed> parse_feed_for_import(std::string_view xml, std::string_view name,
                                           std::string_view base_url) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_auto);
  if (!parsed) {
    std::size_t offset = std::min<std::size_t>(static_cast<std::size_t>(parsed.offset), xml.size());
    int line = 1 + static_cast<int>(
                       std::count(xml.begin(), xml.begin() + static_cast<long>(offset), '\n'));
    return make_error(ErrorCode::parse,
                      std::string(name) + ":" + std::to_string(line) + ": " + parsed.description());
  }
  pugi::xml_node channel = doc.child("rss").child("channel");
  if (!channel) {
    return make_error(ErrorCode::parse,
                      std::string(name) + ": not an RSS feed (no <rss><channel>)");
  }
  Names ns(doc);
  ImportedFeed feed;
  feed.show = read_show(channel, ns, base_url, feed.warnings);
  std::size_t index = 0;
  std::unordered_set<std::string> guids;
  for (pugi::xml_node item : channel.children("item")) {
    ImportedEpisode e = read_item(item, index, ns, base_url, feed.warnings);
    ++index;
    if (!e.episode.guid.empty() && !guids.insert(e.episode.guid).second) {
      feed.warnings.push_back("item " + std::to_string(index) + ": duplicate guid " +
                              quoted(e.episode.guid) + ": imported once (the first)");
      continue;
    }
    feed.episodes.push_back(std::move(e));
  }
  return feed;
}

std::string render_show_toml(const catalog::Show& s, std::string_view image_file) {
  std::string out = "# Imported by podcastd import; edit freely.\n";
  key(out, "title", s.title);
  key(out, "description", s.description);
  key(out, "author", s.author);
  key(out, "language", s.language);
  key(out, "link", s.link);
  key(out, "image", image_file.empty() ? std::string_view(s.image) : image_file);
  key(out, "copyright", s.copyright);
  if (!s.categories.empty()) {
    out += "categories = [";
    for (std::size_t i = 0; i < s.categories.size(); ++i) {
      out += (i ? ", " : "") + toml_string(s.categories[i]);
    }
    out += "]\n";
  }
  if (s.explicit_content) {
    key_bool(out, "explicit", *s.explicit_content);
  }
  key(out, "type", s.type);
  key(out, "guid", s.guid);
  if (s.locked) {
    key_bool(out, "locked", *s.locked);
  }
  key(out, "new_feed_url", s.new_feed_url);
  key(out, "medium", s.medium);
  key(out, "license", s.license);
  key(out, "license_url", s.license_url);
  if (s.complete) {
    key_bool(out, "complete", true);
  }
  if (s.block) {
    key_bool(out, "block", true);
  }
  key(out, "update_frequency", s.update_frequency);
  key(out, "update_rrule", s.update_frequency_rrule);
  if (!s.owner_name.empty() || !s.owner_email.empty()) {
    out += "\n[owner]\n";
    key(out, "name", s.owner_name);
    key(out, "email", s.owner_email);
  }
  funding(out, s.funding);
  persons(out, s.persons);
  locations(out, s.locations);
  txts(out, s.txt);
  return out;
}

std::string render_episode_markdown(const ImportedEpisode& ep, const LocalFiles& local) {
  const catalog::Episode& e = ep.episode;
  std::string out = "+++\n";
  key(out, "title", e.title);
  if (e.date) {
    out += "date = " + timefmt::format_rfc3339(*e.date, ep.date_zone) + "\n";
  }
  key(out, "guid", e.guid);
  key(out, "audio", ep.audio_url);
  if (!ep.audio_url.empty() && ep.audio_length) {
    out += "length = " + std::to_string(*ep.audio_length) + "\n";
  }
  if (!ep.audio_url.empty()) {
    key(out, "mime", ep.audio_mime);
  }
  if (e.declared_duration) {
    out += "duration = " + number_text(*e.declared_duration) + "\n";
  }
  if (e.season) {
    out += "season = " + std::to_string(*e.season) + "\n";
  }
  key(out, "season_name", e.season_name);
  if (e.number) {
    out += "episode = " + std::to_string(*e.number) + "\n";
  }
  key(out, "episode_display", e.number_display);
  if (e.type != catalog::EpisodeType::full) {
    key(out, "type", catalog::to_string(e.type));
  }
  if (e.explicit_content) {
    key_bool(out, "explicit", *e.explicit_content);
  }
  if (e.block) {
    key_bool(out, "block", true);
  }
  key(out, "subtitle", e.subtitle);
  key(out, "summary", e.summary);
  key(out, "link", e.link);
  key(out, "image", e.image);
  key(out, "license", e.license);
  key(out, "license_url", e.license_url);
  persons(out, e.persons);
  for (const catalog::Soundbite& b : e.soundbites) {
    out += "\n[[soundbite]]\n";
    out += "start = " + number_text(b.start) + "\n";
    out += "duration = " + number_text(b.duration) + "\n";
    key(out, "title", b.title);
  }
  funding(out, e.funding);
  locations(out, e.locations);
  txts(out, e.txt);
  // Companion files that could not be saved beside the notes stay reachable by URL.
  for (std::size_t i = 0; i < ep.transcripts.size(); ++i) {
    if (local.transcripts.count(i)) {
      continue;
    }
    const ImportedTranscript& t = ep.transcripts[i];
    std::string what = t.type.empty() ? "" : t.type;
    if (!t.language.empty()) {
      what += (what.empty() ? "" : ", ") + t.language;
    }
    out += "\n[[links]]\n";
    key(out, "title", "Transcript" + (what.empty() ? "" : " (" + what + ")"));
    key(out, "url", t.url);
  }
  if (!ep.chapters_url.empty() && !local.chapters) {
    out += "\n[[links]]\n";
    key(out, "title", "Chapters");
    key(out, "url", ep.chapters_url);
  }
  out += "+++\n";
  std::string body = notes_body(e.notes_html);
  if (!body.empty()) {
    out += "\n" + body;
  }
  return out;
}

}  // namespace podcastd::feeds
