#include "feeds/rss.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>

#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "feeds/xml_writer.hpp"

namespace podcastd::feeds {
namespace {

using catalog::Episode;
using catalog::Show;

// STANDARDS 1.1: namespace URIs are compared exactly (itunes is http, not https).
constexpr std::string_view kRssOpen =
    "<rss version=\"2.0\""
    " xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""
    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
    " xmlns:podcast=\"https://podcastindex.org/namespace/1.0\""
    " xmlns:atom=\"http://www.w3.org/2005/Atom\"";
constexpr std::string_view kPscNamespace = " xmlns:psc=\"http://podlove.org/simple-chapters\"";

// Indentation: channel children at 4 spaces, item children at 6, nested at 8.
constexpr std::string_view kChannelChild = "    ";
constexpr std::string_view kItemChild = "      ";
constexpr std::string_view kNested = "        ";

// How render_feed recognises a fragment that uses psc. Item children always sit on their own
// line at kItemChild; the only way to fake this line is inside a CDATA section, which then
// merely declares an unused namespace.
constexpr std::string_view kPscMarker = "\n      <psc:chapters version=\"1.2\">\n";

// Apple: description and summary up to 4000 bytes; other itunes values 255 characters.
constexpr std::size_t kDescriptionMax = 4000;
constexpr std::size_t kShortMax = 255;

// text::trim with a fast path: most values have no surrounding whitespace, and trimming is
// done for every value the feed writes.
inline std::string_view trimmed(std::string_view s) {
  if (s.empty()) {
    return s;
  }
  const auto first = static_cast<unsigned char>(s.front());
  const auto last = static_cast<unsigned char>(s.back());
  if (first > 0x20 && first != 0xC2 && last > 0x20 && last != 0xA0) {
    return s;
  }
  return text::trim(s);
}

inline void two_digits(std::string& out, int v) {
  out += static_cast<char>('0' + v / 10 % 10);
  out += static_cast<char>('0' + v % 10);
}

// format_rfc2822 without snprintf (one call per item): "Wed, 03 Apr 2024 02:06:28 +0000".
void append_rfc2822(std::string& out, catalog::UnixTime t) {
  static constexpr std::string_view kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::int64_t days = t / 86400;
  std::int64_t rem = t % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const timefmt::CivilDate date = timefmt::civil_from_days(days);
  if (date.year < 1000 || date.year > 9999) {
    out += timefmt::format_rfc2822(t);
    return;
  }
  out += kDays[timefmt::weekday(days)];
  out += ", ";
  two_digits(out, date.day);
  out += ' ';
  out += kMonths[date.month - 1];
  out += ' ';
  two_digits(out, date.year / 100);
  two_digits(out, date.year % 100);
  out += ' ';
  two_digits(out, static_cast<int>(rem / 3600));
  out += ':';
  two_digits(out, static_cast<int>(rem / 60 % 60));
  out += ':';
  two_digits(out, static_cast<int>(rem % 60));
  out += " +0000";
}

// Normal Play Time for psc, HH:MM:SS.mmm: text::format_clock(seconds, true) without snprintf.
void append_npt(std::string& out, double seconds) {
  if (!(seconds > 0) || !std::isfinite(seconds) || seconds >= 360000) {
    out += text::format_clock(seconds, true);
    return;
  }
  const auto total_ms = static_cast<std::int64_t>(std::llround(seconds * 1000));
  const auto s = static_cast<int>(total_ms / 1000);
  const auto ms = static_cast<int>(total_ms % 1000);
  two_digits(out, s / 3600);
  out += ':';
  two_digits(out, s / 60 % 60);
  out += ':';
  two_digits(out, s % 60);
  out += '.';
  out += static_cast<char>('0' + ms / 100);
  two_digits(out, ms % 100);
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Decimal seconds as the namespace writes them ("1234.5"): rounded to milliseconds, shortest
// round-trip form, never exponent notation, locale-independent. Clamped to [0, 1e9] s (no
// media is 31 years long), which also bounds the text to the buffer.
void append_seconds(std::string& out, double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) {
    seconds = 0;
  }
  seconds = std::min(seconds, 1e9);
  const double ms = std::round(seconds * 1000.0);
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, ms / 1000.0, std::chars_format::fixed);
  out.append(buf, r.ec == std::errc() ? r.ptr : buf);
}

// ` name="value"`, nothing when the (trimmed) value is empty.
void attr(std::string& out, std::string_view name, std::string_view value) {
  value = trimmed(value);
  if (value.empty()) {
    return;
  }
  out += ' ';
  out += name;
  out += "=\"";
  xml::append_attribute(out, value);
  out += '"';
}

void attr_int(std::string& out, std::string_view name, std::int64_t value) {
  out += ' ';
  out += name;
  out += "=\"";
  append_int(out, value);
  out += '"';
}

// Rolls the output back to `mark` when an element would have had no text: the spec never
// wants an empty element where it asks for a value, and a value can become empty once
// characters XML forbids are dropped.
class ElementGuard {
 public:
  explicit ElementGuard(std::string& out) : out_(out), mark_(out.size()) {}
  void body_starts() { body_ = out_.size(); }
  bool body_empty() const { return out_.size() == body_; }
  void cancel() { out_.resize(mark_); }

 private:
  std::string& out_;
  std::size_t mark_;
  std::size_t body_ = 0;
};

// <tag attrs>text</tag> on one line; `attrs(out)` writes the attributes (" a=\"b\"") in place.
// Nothing is written (and false returned) when the text is empty once trimmed and sanitized.
template <typename AttributeWriter>
bool element_with(std::string& out, std::string_view indent, std::string_view tag,
                  std::string_view value, AttributeWriter&& attrs) {
  value = trimmed(value);
  if (value.empty()) {
    return false;
  }
  ElementGuard guard(out);
  out += indent;
  out += '<';
  out += tag;
  attrs(out);
  out += '>';
  guard.body_starts();
  xml::append_text(out, value);
  if (guard.body_empty()) {
    guard.cancel();
    return false;
  }
  out += "</";
  out += tag;
  out += ">\n";
  return true;
}

void element(std::string& out, std::string_view indent, std::string_view tag,
             std::string_view value, std::string_view attrs = {}) {
  element_with(out, indent, tag, value, [attrs](std::string& o) { o += attrs; });
}

void cdata_element(std::string& out, std::string_view indent, std::string_view tag,
                   std::string_view value) {
  value = trimmed(value);
  if (value.empty()) {
    return;
  }
  out += indent;
  out += '<';
  out += tag;
  out += '>';
  xml::append_cdata(out, value);
  out += "</";
  out += tag;
  out += ">\n";
}

void int_element(std::string& out, std::string_view indent, std::string_view tag,
                 std::int64_t value) {
  out += indent;
  out += '<';
  out += tag;
  out += '>';
  append_int(out, value);
  out += "</";
  out += tag;
  out += ">\n";
}

// A self-closing <tag href="url"/>; nothing without a URL.
void href_element(std::string& out, std::string_view indent, std::string_view tag,
                  std::string_view url) {
  if (trimmed(url).empty()) {
    return;
  }
  out += indent;
  out += '<';
  out += tag;
  attr(out, "href", url);
  out += "/>\n";
}

bool is_http_url(std::string_view s) {
  std::size_t scheme = 0;
  if (text::istarts_with_ascii(s, "https://")) {
    scheme = 8;
  } else if (text::istarts_with_ascii(s, "http://")) {
    scheme = 7;
  } else {
    return false;
  }
  if (s.size() == scheme) {
    return false;
  }
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

// Apple's enclosure types by extension (STANDARDS 2.4), for remote audio whose type the
// catalog could not measure.
std::string_view mime_from_url(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  std::size_t dot = url.rfind('.');
  if (dot == std::string_view::npos || url.find('/', dot) != std::string_view::npos) {
    return {};
  }
  std::string ext = text::to_lower_ascii(url.substr(dot + 1));
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"mp3", "audio/mpeg"},
      {"m4a", "audio/x-m4a"},
      {"mov", "video/quicktime"},
      {"mp4", "video/mp4"},
      {"m4v", "video/x-m4v"},
      {"pdf", "application/pdf"},
      {"aac", "audio/aac"},
      {"opus", "audio/opus"},
      {"ogg", "audio/ogg"},
      {"oga", "audio/ogg"},
      {"flac", "audio/flac"},
      {"wav", "audio/wav"},
      {"epub", "application/epub+zip"}};
  for (const auto& [e, type] : kTypes) {
    if (ext == e) {
      return type;
    }
  }
  return {};
}

void append_person(std::string& out, std::string_view indent, const catalog::Person& p) {
  element_with(out, indent, "podcast:person", p.name, [&p](std::string& o) {
    attr(o, "role", p.role);
    attr(o, "group", p.group);
    attr(o, "img", p.img);
    attr(o, "href", p.href);
  });
}

void append_location(std::string& out, std::string_view indent, const catalog::Location& l) {
  element_with(out, indent, "podcast:location", l.name, [&l](std::string& o) {
    attr(o, "rel", l.rel);
    attr(o, "geo", l.geo);
    attr(o, "osm", l.osm);
    attr(o, "country", l.country);
  });
}

void append_funding(std::string& out, std::string_view indent, const catalog::Funding& f) {
  if (trimmed(f.url).empty()) {
    return;
  }
  // The node value (link text) must not be blank: fall back to the URL itself.
  element_with(out, indent, "podcast:funding", trimmed(f.text).empty() ? f.url : f.text,
               [&f](std::string& o) { attr(o, "url", f.url); });
}

void append_txt(std::string& out, std::string_view indent, const catalog::Txt& t) {
  element_with(out, indent, "podcast:txt", t.text,
               [&t](std::string& o) { attr(o, "purpose", t.purpose); });
}

void append_license(std::string& out, std::string_view indent, std::string_view license,
                    std::string_view url) {
  element_with(out, indent, "podcast:license", license,
               [url](std::string& o) { attr(o, "url", url); });
}

// "A > B" -> {"A", "B"}.
std::pair<std::string_view, std::string_view> split_category(std::string_view c) {
  std::size_t gt = c.find('>');
  if (gt == std::string_view::npos) {
    return {trimmed(c), {}};
  }
  return {trimmed(c.substr(0, gt)), trimmed(c.substr(gt + 1))};
}

// One <itunes:category> per configured category, a subcategory nested inside its parent,
// exactly as Apple documents it. Parents are not merged: gPodder's podcastparser reads a
// parent with two children as the path "A > B > C". Exact duplicates are written once.
void append_categories(std::string& out, const std::vector<std::string>& categories) {
  std::vector<std::pair<std::string_view, std::string_view>> seen;
  for (const std::string& c : categories) {
    auto pair = split_category(c);
    auto [parent, child] = pair;
    if (parent.empty() || std::find(seen.begin(), seen.end(), pair) != seen.end()) {
      continue;
    }
    seen.push_back(pair);
    out += kChannelChild;
    out += "<itunes:category";
    attr(out, "text", parent);
    if (child.empty()) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    out += kItemChild;
    out += "<itunes:category";
    attr(out, "text", child);
    out += "/>\n";
    out += kChannelChild;
    out += "</itunes:category>\n";
  }
}

// Chapters as psc lists them: titled table-of-contents entries (psc requires a title; silent
// markers have no place there) inside the duration, in time order.
std::vector<const catalog::Chapter*> psc_chapters(const Episode& e) {
  std::vector<const catalog::Chapter*> list;
  const double duration = e.duration();
  for (const catalog::Chapter& c : e.chapters) {
    if (!c.toc || trimmed(c.title).empty() || !std::isfinite(c.start)) {
      continue;
    }
    if (duration > 0 && c.start >= duration) {
      continue;
    }
    list.push_back(&c);
  }
  std::stable_sort(
      list.begin(), list.end(),
      [](const catalog::Chapter* a, const catalog::Chapter* b) { return a->start < b->start; });
  return list;
}

bool uses_psc(const Episode& e) {
  const double duration = e.duration();
  return std::any_of(e.chapters.begin(), e.chapters.end(), [&](const catalog::Chapter& c) {
    return c.toc && !trimmed(c.title).empty() && std::isfinite(c.start) &&
           !(duration > 0 && c.start >= duration);
  });
}

std::string_view normalized_role(std::string_view role) {
  role = trimmed(role);
  return role.empty() ? std::string_view("host") : role;
}

void append_item(std::string& out, const ItemInput& in, const Show& show) {
  const Episode& e = *in.episode;
  out += "    <item>\n";

  element(out, kItemChild, "title", e.title);

  // description: plain text within Apple's 4000 bytes; derived from the HTML notes or the
  // summary when the catalog has no plain-text notes.
  {
    std::string_view notes = e.notes_text;
    std::string derived;
    if (trimmed(notes).empty() && !e.notes_html.empty()) {
      derived = text::html_to_text(e.notes_html);
      notes = derived;
    }
    if (trimmed(notes).empty()) {
      notes = e.summary;
    }
    notes = trimmed(notes);
    if (notes.size() > kDescriptionMax) {
      element(out, kItemChild, "description", text::truncate_utf8(notes, kDescriptionMax));
    } else {
      element(out, kItemChild, "description", notes);
    }
  }
  // After description (W3C NeedDescriptionBeforeContent).
  cdata_element(out, kItemChild, "content:encoded", e.notes_html);

  {
    std::string_view url = in.enclosure_url;
    if (trimmed(url).empty() && e.enclosure) {
      url = e.enclosure->url;
    }
    if (!trimmed(url).empty()) {
      std::string_view type = e.enclosure ? std::string_view(e.enclosure->mime) : "";
      if (trimmed(type).empty()) {
        type = mime_from_url(url);
      }
      out += kItemChild;
      out += "<enclosure";
      attr(out, "url", url);
      attr_int(out, "length", e.enclosure ? std::max<std::int64_t>(e.enclosure->length, 0) : 0);
      attr(out, "type", type);
      out += "/>\n";
    }
  }

  if (!trimmed(e.guid).empty()) {
    element(out, kItemChild, "guid", e.guid,
            is_http_url(trimmed(e.guid)) ? R"( isPermaLink="true")" : R"( isPermaLink="false")");
  }
  if (auto date = e.date ? e.date : e.publish_at) {
    out += kItemChild;
    out += "<pubDate>";
    append_rfc2822(out, *date);
    out += "</pubDate>\n";
  }
  element(out, kItemChild, "link", e.link);

  element(out, kItemChild, "itunes:title", e.title);
  if (trimmed(e.subtitle).size() > kShortMax) {
    element(out, kItemChild, "itunes:subtitle",
            text::truncate_utf8(trimmed(e.subtitle), kShortMax));
  } else {
    element(out, kItemChild, "itunes:subtitle", e.subtitle);
  }
  if (trimmed(e.summary).size() > kDescriptionMax) {
    element(out, kItemChild, "itunes:summary",
            text::truncate_utf8(trimmed(e.summary), kDescriptionMax));
  } else {
    element(out, kItemChild, "itunes:summary", e.summary);
  }
  href_element(out, kItemChild, "itunes:image", in.image_url);
  if (const double d = e.duration(); d > 0 && std::isfinite(d)) {
    const auto seconds = static_cast<std::int64_t>(std::llround(d));
    if (seconds > 0) {
      int_element(out, kItemChild, "itunes:duration", seconds);
    }
  }
  // itunes:season/episode must be non-zero (positive, per W3C) integers.
  if (e.season && *e.season > 0) {
    int_element(out, kItemChild, "itunes:season", *e.season);
  }
  if (e.number && *e.number > 0) {
    int_element(out, kItemChild, "itunes:episode", *e.number);
  }
  element(out, kItemChild, "itunes:episodeType", catalog::to_string(e.type));
  if (e.explicit_content) {
    element(out, kItemChild, "itunes:explicit", *e.explicit_content ? "true" : "false");
  }
  if (e.block) {
    element(out, kItemChild, "itunes:block", "Yes");
  }

  if (e.season) {
    out += kItemChild;
    out += "<podcast:season";
    attr(out, "name", e.season_name);
    out += '>';
    append_int(out, *e.season);
    out += "</podcast:season>\n";
  }
  if (e.number) {
    out += kItemChild;
    out += "<podcast:episode";
    attr(out, "display", e.number_display);
    out += '>';
    append_int(out, *e.number);
    out += "</podcast:episode>\n";
  }
  href_element(out, kItemChild, "podcast:image", in.image_url);
  for (const TranscriptRef& t : in.transcripts) {
    if (trimmed(t.url).empty() || trimmed(t.type).empty()) {
      continue;
    }
    out += kItemChild;
    out += "<podcast:transcript";
    attr(out, "url", t.url);
    attr(out, "type", t.type);
    attr(out, "language", t.language);
    if (t.captions) {
      out += R"( rel="captions")";
    }
    out += "/>\n";
  }
  if (!trimmed(in.chapters_url).empty()) {
    out += kItemChild;
    out += "<podcast:chapters";
    attr(out, "url", in.chapters_url);
    out += R"( type="application/json+chapters"/>)";
    out += '\n';
  }
  for (const catalog::Soundbite& s : e.soundbites) {
    // A duration that rounds to 0 ms is no soundbite.
    if (!(s.duration >= 0.0005) || !std::isfinite(s.start) || !std::isfinite(s.duration)) {
      continue;
    }
    auto times = [&s](std::string& o) {
      o += " startTime=\"";
      append_seconds(o, s.start);
      o += "\" duration=\"";
      append_seconds(o, s.duration);
      o += '"';
    };
    if (!element_with(out, kItemChild, "podcast:soundbite", s.title, times)) {
      // The title is optional: apps fall back to the episode title.
      out += kItemChild;
      out += "<podcast:soundbite";
      times(out);
      out += "/>\n";
    }
  }
  // Item persons replace the channel's, so an item that names anyone repeats the hosts first
  // (a guest who is also listed as a host with the same role is written once).
  if (!e.persons.empty()) {
    for (const catalog::Person& p : show.persons) {
      append_person(out, kItemChild, p);
    }
    for (const catalog::Person& p : e.persons) {
      const bool is_host =
          std::any_of(show.persons.begin(), show.persons.end(), [&](const catalog::Person& h) {
            return trimmed(h.name) == trimmed(p.name) &&
                   text::iequals_ascii(normalized_role(h.role), normalized_role(p.role));
          });
      if (!is_host) {
        append_person(out, kItemChild, p);
      }
    }
  }
  for (const catalog::Location& l : e.locations) {
    append_location(out, kItemChild, l);
  }
  append_license(out, kItemChild, e.license, e.license_url);
  for (const catalog::Funding& f : e.funding) {
    append_funding(out, kItemChild, f);
  }
  for (const catalog::Txt& t : e.txt) {
    append_txt(out, kItemChild, t);
  }
  for (const catalog::AlternateEnclosure& a : e.alternate_enclosures) {
    // At least one podcast:source is required; length is always written (Livewire and the
    // proposal require it).
    const bool has_source = std::any_of(a.sources.begin(), a.sources.end(),
                                        [](const std::string& s) { return !trimmed(s).empty(); });
    if (!has_source || trimmed(a.type).empty()) {
      continue;
    }
    out += kItemChild;
    out += "<podcast:alternateEnclosure";
    attr(out, "type", a.type);
    attr_int(out, "length", std::max<std::int64_t>(a.length, 0));
    if (a.bitrate > 0) {
      attr_int(out, "bitrate", a.bitrate);
    }
    attr(out, "title", a.title);
    attr(out, "rel", a.rel);
    if (a.is_default) {
      out += R"( default="true")";
    }
    out += ">\n";
    for (const std::string& uri : a.sources) {
      if (!trimmed(uri).empty()) {
        out += kNested;
        out += "<podcast:source";
        attr(out, "uri", uri);
        out += "/>\n";
      }
    }
    out += kItemChild;
    out += "</podcast:alternateEnclosure>\n";
  }

  // Podlove Simple Chapters inline, for clients that read only psc (gPodder and others).
  if (auto chapters = psc_chapters(e); !chapters.empty()) {
    out += kPscMarker.substr(1);
    for (const catalog::Chapter* c : chapters) {
      out += kNested;
      out += "<psc:chapter start=\"";
      append_npt(out, c->start);  // NPT HH:MM:SS.mmm
      out += '"';
      attr(out, "title", c->title);
      attr(out, "href", c->url);
      attr(out, "image", c->img);
      out += "/>\n";
    }
    out += kItemChild;
    out += "</psc:chapters>\n";
  }

  out += "    </item>\n";
}

void append_head(std::string& out, const ChannelInput& ch, bool psc,
                 const std::vector<TrailerRef>& trailers) {
  const Show& show = *ch.show;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += kRssOpen;
  if (psc) {
    out += kPscNamespace;
  }
  out += ">\n  <channel>\n";

  element(out, kChannelChild, "title", show.title);
  element(out, kChannelChild, "link", show.link);
  {
    // Plain text is escaped; HTML goes in CDATA. Over Apple's 4000 bytes, HTML is turned into
    // text before it is cut, so no tag is ever cut in half.
    std::string_view d = trimmed(show.description);
    if (text::looks_like_html(d)) {
      if (d.size() > kDescriptionMax) {
        element(out, kChannelChild, "description",
                text::truncate_utf8(trimmed(text::html_to_text(d)), kDescriptionMax));
      } else {
        cdata_element(out, kChannelChild, "description", d);
      }
    } else if (d.size() > kDescriptionMax) {
      element(out, kChannelChild, "description", text::truncate_utf8(d, kDescriptionMax));
    } else {
      element(out, kChannelChild, "description", d);
    }
  }
  element(out, kChannelChild, "language", show.language);
  element(out, kChannelChild, "copyright", show.copyright);
  element(out, kChannelChild, "generator", ch.generator);
  if (ch.last_build_date) {
    const std::string date = timefmt::format_rfc2822(*ch.last_build_date);
    element(out, kChannelChild, "lastBuildDate", date);
    element(out, kChannelChild, "pubDate", date);
  }
  if (!trimmed(ch.feed_url).empty()) {
    out += kChannelChild;
    out += "<atom:link";
    attr(out, "href", ch.feed_url);
    out += R"( rel="self" type="application/rss+xml"/>)";
    out += '\n';
  }
  for (const std::string& hub : ch.hubs) {
    if (!trimmed(hub).empty()) {
      out += kChannelChild;
      out += "<atom:link";
      attr(out, "href", hub);
      out += R"( rel="hub"/>)";
      out += '\n';
    }
  }

  href_element(out, kChannelChild, "itunes:image", ch.image_url);
  append_categories(out, show.categories);
  // Apple requires itunes:explicit on the channel: unset means false.
  element(out, kChannelChild, "itunes:explicit",
          show.explicit_content.value_or(false) ? "true" : "false");
  element(out, kChannelChild, "itunes:author", show.author);
  if (!trimmed(show.owner_name).empty() || !trimmed(show.owner_email).empty()) {
    out += kChannelChild;
    out += "<itunes:owner>\n";
    element(out, kItemChild, "itunes:name", show.owner_name);
    element(out, kItemChild, "itunes:email", show.owner_email);
    out += kChannelChild;
    out += "</itunes:owner>\n";
  }
  // episodic is Apple's default; writing it saves readers the guess.
  element(out, kChannelChild, "itunes:type",
          trimmed(show.type).empty() ? std::string_view("episodic") : std::string_view(show.type));
  element(out, kChannelChild, "itunes:new-feed-url", show.new_feed_url);
  if (show.block) {
    element(out, kChannelChild, "itunes:block", "Yes");
  }
  if (show.complete) {
    element(out, kChannelChild, "itunes:complete", "Yes");
  }

  element(out, kChannelChild, "podcast:guid",
          trimmed(ch.podcast_guid).empty() ? std::string_view(show.guid)
                                           : std::string_view(ch.podcast_guid));
  element(
      out, kChannelChild, "podcast:medium",
      trimmed(show.medium).empty() ? std::string_view("podcast") : std::string_view(show.medium));
  if (show.locked) {
    std::string attrs;
    attr(attrs, "owner",
         trimmed(show.locked_owner).empty() ? std::string_view(show.owner_email)
                                            : std::string_view(show.locked_owner));
    element(out, kChannelChild, "podcast:locked", *show.locked ? "yes" : "no", attrs);
  }
  if (ch.uses_podping) {
    out += kChannelChild;
    out += "<podcast:podping usesPodping=\"true\"/>\n";
  }
  {
    std::string attrs;
    attr(attrs, "rrule", show.update_frequency_rrule);
    element(out, kChannelChild, "podcast:updateFrequency", show.update_frequency, attrs);
  }
  for (const catalog::Person& p : show.persons) {
    append_person(out, kChannelChild, p);
  }
  href_element(out, kChannelChild, "podcast:image", ch.image_url);
  for (const catalog::Funding& f : show.funding) {
    append_funding(out, kChannelChild, f);
  }
  append_license(out, kChannelChild, show.license, show.license_url);
  for (const catalog::Location& l : show.locations) {
    append_location(out, kChannelChild, l);
  }
  for (const catalog::Txt& t : show.txt) {
    append_txt(out, kChannelChild, t);
  }
  for (const TrailerRef& t : trailers) {
    if (trimmed(t.url).empty()) {
      continue;
    }
    std::string attrs;
    attr(attrs, "url", t.url);
    attr(attrs, "pubdate", timefmt::format_rfc2822(t.pubdate));
    if (t.length > 0) {
      attr_int(attrs, "length", t.length);
    }
    attr(attrs, "type", t.type);
    if (t.season) {
      attr_int(attrs, "season", *t.season);
    }
    element(out, kChannelChild, "podcast:trailer", t.title, attrs);
  }
}

constexpr std::string_view kTail = "  </channel>\n</rss>\n";

}  // namespace

std::optional<TrailerRef> trailer_for(const ItemInput& item) {
  if (item.episode == nullptr || item.episode->type != catalog::EpisodeType::trailer) {
    return std::nullopt;
  }
  const Episode& e = *item.episode;
  TrailerRef t;
  t.title = std::string(trimmed(e.title));
  t.url = std::string(trimmed(item.enclosure_url));
  if (t.url.empty() && e.enclosure) {
    t.url = std::string(trimmed(e.enclosure->url));
  }
  auto date = e.date ? e.date : e.publish_at;
  if (t.title.empty() || t.url.empty() || !date) {
    return std::nullopt;
  }
  t.pubdate = *date;
  if (e.enclosure) {
    t.length = std::max<std::int64_t>(e.enclosure->length, 0);
    t.type = e.enclosure->mime;
  }
  if (t.type.empty()) {
    t.type = std::string(mime_from_url(t.url));
  }
  t.season = e.season;
  return t;
}

std::string render_item(const ItemInput& item, const Show& show) {
  std::string out;
  if (item.episode == nullptr) {
    return out;
  }
  out.reserve(4096);
  append_item(out, item, show);
  // Publishers keep every item's fragment (10,000 at once on a cold publish): a fragment of
  // typical notes fills about half the reserve, and the rest would be memory the process
  // must fault in for nothing.
  if (out.capacity() - out.size() > out.size() / 4) out.shrink_to_fit();
  return out;
}

std::string render_feed(const ChannelInput& channel,
                        const std::vector<std::string_view>& item_fragments) {
  std::string out;
  if (channel.show == nullptr) {
    return out;
  }
  std::size_t total = 0;
  bool psc = false;
  for (std::string_view f : item_fragments) {
    total += f.size();
    psc = psc || f.find(kPscMarker) != std::string_view::npos;
  }
  out.reserve(total + 16384);
  append_head(out, channel, psc, channel.trailers);
  for (std::string_view f : item_fragments) {
    out += f;
  }
  out += kTail;
  return out;
}

std::string render_feed(const ChannelInput& channel, const std::vector<ItemInput>& items) {
  std::string out;
  if (channel.show == nullptr) {
    return out;
  }
  bool psc = false;
  std::vector<TrailerRef> derived;
  for (const ItemInput& item : items) {
    if (item.episode == nullptr) {
      continue;
    }
    psc = psc || uses_psc(*item.episode);
    if (channel.trailers.empty()) {
      if (auto t = trailer_for(item)) {
        derived.push_back(std::move(*t));
      }
    }
  }
  // Growing a feed of tens of megabytes by doubling copies it several times. The first few
  // items give the typical item size; the buffer is then sized once for the rest (+10%).
  constexpr std::size_t kSample = 8;
  out.reserve(16384 + std::min(items.size(), kSample) * 8192);
  append_head(out, channel, psc, channel.trailers.empty() ? derived : channel.trailers);
  const std::size_t head = out.size();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i == kSample && items.size() > kSample) {
      const std::size_t per_item = (out.size() - head) / kSample;
      out.reserve(out.size() + (items.size() - kSample) * per_item * 11 / 10 + kTail.size());
    }
    if (items[i].episode != nullptr) {
      append_item(out, items[i], *channel.show);
    }
  }
  out += kTail;
  return out;
}

}  // namespace podcastd::feeds
