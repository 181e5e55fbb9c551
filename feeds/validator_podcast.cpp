// podcast: namespace rules (STANDARDS.md 3 and 6: P20-E01..E27, P20-W01..W18). Every item
// is checked, not only the first (Livewire checks only the first item and liveItem).
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "catalog/hash.hpp"
#include "catalog/text.hpp"
#include "feeds/validator_walk.hpp"

namespace podcastd::feeds::detail {
namespace {

constexpr unsigned bit(Parent p) { return 1u << static_cast<unsigned>(p); }
constexpr unsigned kC = bit(Parent::channel);
constexpr unsigned kI = bit(Parent::item);
constexpr unsigned kL = bit(Parent::live_item);
constexpr unsigned kAE = bit(Parent::alternate_enclosure);
constexpr unsigned kV = bit(Parent::value);
constexpr unsigned kVTS = bit(Parent::value_time_split);
constexpr unsigned kPR = bit(Parent::podroll);
constexpr unsigned kPUB = bit(Parent::publisher);

struct TagInfo {
  Tag tag;
  unsigned parents;
  const char* duplicate_rule;  // nullptr: multiple allowed
  std::vector<std::string_view> attributes;
};

// STANDARDS.md 3.1 (parents, counts) and 3.2 (attributes).
const std::vector<TagInfo>& tag_infos() {
  static const std::vector<TagInfo> infos = {
      {Tag::p_transcript, kI | kL, nullptr, {"url", "type", "language", "rel"}},
      {Tag::p_locked, kC, "P20-E03", {"owner"}},
      {Tag::p_funding, kC | kI | kL, nullptr, {"url"}},
      {Tag::p_chapters, kI | kL, "P20-E02", {"url", "type"}},
      {Tag::p_soundbite, kI | kL, nullptr, {"startTime", "duration"}},
      {Tag::p_person, kC | kI | kL, nullptr, {"role", "group", "img", "href"}},
      {Tag::p_location, kC | kI | kL, nullptr, {"rel", "geo", "osm", "country"}},
      {Tag::p_season, kI | kL, "P20-E08", {"name"}},
      {Tag::p_episode, kI | kL, "P20-E08", {"display"}},
      {Tag::p_trailer, kC, nullptr, {"url", "pubdate", "length", "type", "season"}},
      {Tag::p_license, kC | kI | kL, "P20-E10", {"url"}},
      {Tag::p_alternate_enclosure,
       kI | kL,
       nullptr,
       {"type", "length", "bitrate", "height", "lang", "title", "rel", "codecs", "default"}},
      {Tag::p_source, kAE, nullptr, {"uri", "contentType"}},
      {Tag::p_integrity, kAE, nullptr, {"type", "value"}},
      {Tag::p_guid, kC, "P20-E13", {}},
      {Tag::p_value, kC | kI | kL, nullptr, {"type", "method", "suggested"}},
      {Tag::p_value_recipient,
       kV | kVTS,
       nullptr,
       {"name", "customKey", "customValue", "type", "address", "split", "fee"}},
      {Tag::p_value_time_split,
       kV,
       nullptr,
       {"startTime", "duration", "remoteStartTime", "remotePercentage"}},
      {Tag::p_medium, kC, "P20-E16", {}},
      {Tag::p_images, kC | kI | kL, "RSS-E02", {"srcset"}},
      {Tag::p_live_item, kC, nullptr, {"status", "start", "end"}},
      {Tag::p_content_link, kI | kL, nullptr, {"href"}},
      {Tag::p_social_interact,
       kC | kI | kL,
       nullptr,
       {"protocol", "uri", "accountId", "accountUrl", "priority"}},
      {Tag::p_block, kC, nullptr, {"id"}},
      {Tag::p_txt, kC | kI | kL, nullptr, {"purpose"}},
      {Tag::p_remote_item,
       kC | kPR | kVTS | kPUB,
       nullptr,
       {"feedGuid", "feedUrl", "itemGuid", "medium", "title"}},
      {Tag::p_podroll, kC, "P20-E21", {}},
      {Tag::p_update_frequency, kC, "RSS-E02", {"complete", "dtstart", "rrule"}},
      {Tag::p_podping, kC, "P20-E23", {"usesPodping"}},
      {Tag::p_chat, kC | kI | kL, "P20-E24", {"server", "protocol", "accountId", "space"}},
      {Tag::p_publisher, kC, "RSS-E02", {}},
      {Tag::p_image,
       kC | kI | kL,
       nullptr,
       {"href", "alt", "aspect-ratio", "width", "height", "type", "purpose"}},
  };
  return infos;
}

const TagInfo* info_of(Tag tag) {
  for (const TagInfo& i : tag_infos()) {
    if (i.tag == tag) {
      return &i;
    }
  }
  return nullptr;
}

const char* parent_name(Parent p) {
  switch (p) {
    case Parent::channel:
      return "channel";
    case Parent::item:
      return "item";
    case Parent::live_item:
      return "podcast:liveItem";
    case Parent::alternate_enclosure:
      return "podcast:alternateEnclosure";
    case Parent::value:
      return "podcast:value";
    case Parent::value_time_split:
      return "podcast:valueTimeSplit";
    case Parent::podroll:
      return "podcast:podroll";
    case Parent::publisher:
      return "podcast:publisher";
    case Parent::other:
      break;
  }
  return "this element";
}

std::string join_missing(std::initializer_list<std::pair<bool, const char*>> parts) {
  std::string out;
  for (auto [present, name] : parts) {
    if (!present) {
      out += out.empty() ? "" : ", ";
      out += name;
    }
  }
  return out;
}

}  // namespace

void Walker::check_length(pugi::xml_node node, std::string_view what, std::string_view value,
                          std::size_t limit) {
  std::size_t n = utf8_length(value);
  if (n > limit) {
    emit(Severity::warning, "P20-W04", node,
         std::string(what) + " is " + std::to_string(n) +
             " characters; aggregators may truncate "
             "above " +
             std::to_string(limit));
  }
}

void Walker::check_podcast_attributes(const Child& c) {
  const TagInfo* info = info_of(c.tag);
  if (info == nullptr) {
    return;
  }
  for (pugi::xml_attribute a = c.node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view an = a.name();
    if (an.find(':') != std::string_view::npos || an == "xmlns") {
      continue;
    }
    if (std::find(info->attributes.begin(), info->attributes.end(), an) == info->attributes.end()) {
      emit(Severity::warning, "P20-W05", c.node,
           "unknown attribute '" + std::string(an) + "' on " + display(c));
    }
  }
}

void Walker::check_remote_item(const Child& c) {
  pugi::xml_attribute guid = c.node.attribute("feedGuid");
  pugi::xml_attribute url = c.node.attribute("feedUrl");
  if (!guid && !url) {
    emit(Severity::error, "P20-E20", c.node, "podcast:remoteItem has neither feedGuid nor feedUrl");
  } else if (!url) {
    emit(Severity::warning, "P20-W13", c.node,
         "podcast:remoteItem has no feedUrl (apps without GUID lookup cannot follow it)");
  } else if (!guid) {
    emit(Severity::warning, "P20-W13", c.node,
         "podcast:remoteItem has no feedGuid (the spec requires it)");
  }
  if (url) {
    check_https(c.node, "podcast:remoteItem feedUrl", url.value());
  }
  pugi::xml_attribute medium = c.node.attribute("medium");
  if (medium && !is_medium(medium.value())) {
    emit(Severity::error, "P20-E20", c.node,
         "podcast:remoteItem medium " + quote(medium.value()) + " is not a podcast:medium value");
  }
}

void Walker::check_podcast_children(const Child& c, Parent as, int depth) {
  const std::vector<Child> list = children(c.node, depth);
  for (const Child& k : list) {
    if (k.ns != Ns::podcast) {
      continue;
    }
    std::size_t scope_size = scope_.size();
    push_declarations(k.node, nullptr);
    push(k);
    note_attributes(k.node);
    check_podcast(k, as, depth + 1);
    pop();
    pop_scope(scope_size);
  }
}

void Walker::check_podcast(const Child& c, Parent parent, int depth) {
  pugi::xml_node n = c.node;
  if (c.tag == Tag::unknown) {
    emit(Severity::warning, "P20-W05", n, "unknown element " + display(c));
    return;
  }
  const TagInfo* info = info_of(c.tag);
  if (info == nullptr) {
    return;
  }
  if ((info->parents & bit(parent)) == 0) {
    emit(Severity::error, "P20-E27", n, display(c) + " is not allowed in " + parent_name(parent));
  }
  if (info->duplicate_rule != nullptr) {
    check_duplicate(c, info->duplicate_rule);
  }
  check_podcast_attributes(c);

  std::string scratch;
  std::string_view value = text(n, scratch);
  std::string_view trimmed = text::trim(value);
  auto attr = [&](const char* name) { return n.attribute(name); };
  const std::string name = display(c);

  switch (c.tag) {
    case Tag::p_transcript: {
      pugi::xml_attribute url = attr("url"), type = attr("type");
      std::string missing = join_missing({{bool(url), "url"}, {bool(type), "type"}});
      if (!missing.empty()) {
        emit(Severity::error, "P20-E01", n, "podcast:transcript lacks " + missing);
      }
      if (url && !is_http_url(url.value())) {
        emit(Severity::error, "P20-E01", n,
             "podcast:transcript url " + quote(url.value()) + " is not an http(s) URL");
      } else if (url) {
        check_https(n, "podcast:transcript url", url.value());
      }
      std::string_view t = type.value();
      if (type) {
        if (t == "application/srt") {
          emit(Severity::warning, "P20-W01", n,
               "podcast:transcript type 'application/srt' is the legacy SRT type; write "
               "'application/x-subrip'");
        } else if (!is_transcript_type(t)) {
          emit(Severity::warning, "P20-W01", n,
               "podcast:transcript type " + quote(t) +
                   " is not text/vtt, application/x-subrip, application/json, text/html or "
                   "text/plain");
        }
      }
      pugi::xml_attribute rel = attr("rel"), lang = attr("language");
      if (rel && std::string_view(rel.value()) != "captions") {
        emit(Severity::warning, "P20-W02", n,
             "podcast:transcript rel " + quote(rel.value()) + " is not 'captions'");
      }
      if (lang && !is_bcp47(lang.value())) {
        emit(Severity::warning, "P20-W02", n,
             "podcast:transcript language " + quote(lang.value()) + " is not a BCP 47 tag");
      }
      if (item_ != nullptr) {
        item_->facts->has_transcript = true;
        if (url && type) {
          item_->companions.push_back({url.value(), std::string(t), false, path(), line(n)});
        }
      }
      break;
    }
    case Tag::p_chapters: {
      pugi::xml_attribute url = attr("url"), type = attr("type");
      std::string missing = join_missing({{bool(url), "url"}, {bool(type), "type"}});
      if (!missing.empty()) {
        emit(Severity::error, "P20-E02", n, "podcast:chapters lacks " + missing);
      }
      if (url && !is_http_url(url.value())) {
        emit(Severity::error, "P20-E02", n,
             "podcast:chapters url " + quote(url.value()) + " is not an http(s) URL");
      } else if (url) {
        check_https(n, "podcast:chapters url", url.value());
      }
      std::string_view t = type.value();
      if (type && t != "application/json+chapters" && t != "application/json") {
        emit(Severity::warning, "P20-W03", n,
             "podcast:chapters type " + quote(t) + " is not 'application/json+chapters'");
      }
      if (item_ != nullptr) {
        item_->facts->has_chapters = true;
        if (url && type && c.index == 1) {
          item_->companions.push_back({url.value(), std::string(t), true, path(), line(n)});
        }
      }
      break;
    }
    case Tag::p_locked: {
      if (value != "yes" && value != "no") {
        emit(Severity::error, "P20-E03", n,
             "podcast:locked " + quote(value) + " is not 'yes' or 'no'");
      }
      pugi::xml_attribute owner = attr("owner");
      if (owner && !text::is_email(owner.value())) {
        emit(Severity::warning, "P20-W14", n,
             "podcast:locked owner " + quote(owner.value()) + " is not an email address");
      }
      break;
    }
    case Tag::p_funding:
    case Tag::p_content_link: {
      const char* key = c.tag == Tag::p_funding ? "url" : "href";
      pugi::xml_attribute u = attr(key);
      if (!u || text::trim(u.value()).empty()) {
        emit(Severity::error, "P20-E04", n, name + " has no " + key);
      } else {
        check_https(n, name + " " + key, u.value());
      }
      if (c.tag == Tag::p_funding) {
        check_length(n, name, value, 128);
      }
      break;
    }
    case Tag::p_soundbite: {
      pugi::xml_attribute st = attr("startTime"), du = attr("duration");
      std::optional<double> start, dur;
      for (auto [a, key, out] : {std::tuple{st, "startTime", &start}, {du, "duration", &dur}}) {
        if (!a) {
          emit(Severity::error, "P20-E05", n, std::string("podcast:soundbite has no ") + key);
        } else if (!(*out = parse_decimal(a.value(), false))) {
          emit(Severity::error, "P20-E05", n,
               std::string("podcast:soundbite ") + key + " " + quote(a.value()) +
                   " is not decimal seconds");
        }
      }
      if (dur && (*dur < 15 || *dur > 120)) {
        emit(Severity::warning, "P20-W09", n,
             "podcast:soundbite duration " + quote(du.value()) + " is outside 15-120 seconds");
      }
      if (start && dur && item_ != nullptr) {
        item_->soundbites.push_back({*start, *dur, n, path()});
      }
      check_length(n, name, value, 128);
      break;
    }
    case Tag::p_person: {
      if (trimmed.empty()) {
        emit(Severity::error, "P20-E06", n, "podcast:person has no name");
      }
      check_length(n, name, value, 128);
      pugi::xml_attribute role = attr("role"), group = attr("group");
      if (group && !taxonomy_has_group(group.value())) {
        emit(Severity::warning, "P20-W07", n,
             "podcast:person group " + quote(group.value()) + " is not in the podcast taxonomy");
      } else if (role && !taxonomy_has_role(role.value())) {
        emit(Severity::warning, "P20-W07", n,
             "podcast:person role " + quote(role.value()) + " is not in the podcast taxonomy");
      } else if (role && group && !taxonomy_role_in_group(role.value(), group.value())) {
        emit(Severity::warning, "P20-W07", n,
             "podcast:person role " + quote(role.value()) + " does not belong to group " +
                 quote(group.value()));
      }
      for (const char* key : {"img", "href"}) {
        if (pugi::xml_attribute u = attr(key)) {
          check_https(n, std::string("podcast:person ") + key, u.value());
        }
      }
      bool host = !role || text::iequals_ascii(role.value(), "host");
      if (parent == Parent::channel && channel_ != nullptr && host && !trimmed.empty()) {
        channel_->host_names.emplace_back(trimmed);
      }
      if ((parent == Parent::item || parent == Parent::live_item) && item_ != nullptr) {
        if (item_->facts->person_names.empty()) {
          item_->facts->person_line = line(n);
        }
        item_->facts->person_names.emplace_back(trimmed);
      }
      break;
    }
    case Tag::p_location: {
      if (trimmed.empty()) {
        emit(Severity::error, "P20-E07", n, "podcast:location has no place name");
      }
      check_length(n, name, value, 128);
      pugi::xml_attribute rel = attr("rel"), geo = attr("geo"), osm = attr("osm"),
                          country = attr("country");
      if (rel && std::string_view(rel.value()) != "subject" &&
          std::string_view(rel.value()) != "creator") {
        emit(Severity::error, "P20-E07", n,
             "podcast:location rel " + quote(rel.value()) + " is not 'subject' or 'creator'");
      }
      if (geo && !text::is_geo_uri(geo.value())) {
        emit(Severity::error, "P20-E07", n,
             "podcast:location geo " + quote(geo.value()) + " is not an RFC 5870 geo URI");
      }
      if (osm && !text::is_osm_id(osm.value())) {
        emit(Severity::error, "P20-E07", n,
             "podcast:location osm " + quote(osm.value()) + " is not [N|W|R]<id>[#<revision>]");
      }
      std::string_view cv = country.value();
      if (country && (cv.size() != 2 || !std::isalpha(static_cast<unsigned char>(cv[0])) ||
                      !std::isalpha(static_cast<unsigned char>(cv[1])))) {
        emit(Severity::error, "P20-E07", n,
             "podcast:location country " + quote(cv) + " is not an ISO 3166-1 alpha-2 code");
      }
      if (!geo && !osm && !country) {
        emit(Severity::info, "P20-W08", n, "podcast:location has none of geo, osm, country");
      } else if (osm && !geo) {
        emit(Severity::warning, "P20-W08", n, "podcast:location has osm but no geo");
      }
      break;
    }
    case Tag::p_season: {
      if (!parse_integer(value, true)) {
        emit(Severity::error, "P20-E08", n,
             "podcast:season " + quote(value) + " is not an integer");
      }
      if (pugi::xml_attribute nm = attr("name")) {
        check_length(n, "podcast:season name", nm.value(), 128);
      }
      break;
    }
    case Tag::p_episode: {
      if (!parse_decimal(value, true)) {
        emit(Severity::error, "P20-E08", n, "podcast:episode " + quote(value) + " is not a number");
      }
      if (pugi::xml_attribute d = attr("display")) {
        check_length(n, "podcast:episode display", d.value(), 32);
      }
      break;
    }
    case Tag::p_trailer: {
      pugi::xml_attribute url = attr("url"), pubdate = attr("pubdate");
      std::string missing = join_missing(
          {{bool(url), "url"}, {bool(pubdate), "pubdate"}, {!trimmed.empty(), "title (value)"}});
      if (!missing.empty()) {
        emit(Severity::error, "P20-E09", n, "podcast:trailer lacks " + missing);
      }
      if (url) {
        check_https(n, "podcast:trailer url", url.value());
      }
      if (pubdate) {
        DateCheck d = check_rfc2822(pubdate.value());
        if (d.grade == DateGrade::invalid) {
          emit(Severity::error, "P20-E09", n,
               "podcast:trailer pubdate " + quote(pubdate.value()) + " is not an RFC 2822 date (" +
                   d.reason + ")");
        } else if (d.wrong_weekday) {
          emit(Severity::error, "P20-E09", n,
               "podcast:trailer pubdate " + quote(pubdate.value()) + ": the date was a " +
                   d.actual_weekday);
        }
      }
      for (const char* key : {"length", "season"}) {
        pugi::xml_attribute a = attr(key);
        if (a && !parse_integer(a.value(), false)) {
          emit(Severity::error, "P20-E09", n,
               std::string("podcast:trailer ") + key + " " + quote(a.value()) +
                   " is not an integer");
        }
      }
      if (pugi::xml_attribute type = attr("type");
          type && text::iequals_ascii(type.value(), "audio/mp3")) {
        emit(Severity::warning, "P20-W18", n,
             "podcast:trailer type 'audio/mp3' is not a registered type; write 'audio/mpeg'");
      }
      check_length(n, name, value, 128);
      break;
    }
    case Tag::p_license: {
      if (trimmed.empty()) {
        emit(Severity::error, "P20-E10", n, "podcast:license is empty");
      } else if (!is_known_license(trimmed) && !attr("url")) {
        emit(Severity::error, "P20-E10", n,
             "podcast:license " + quote(value) + " is not in licenses.json and has no url");
      }
      if (pugi::xml_attribute u = attr("url")) {
        check_https(n, "podcast:license url", u.value());
      }
      check_length(n, name, value, 128);
      break;
    }
    case Tag::p_alternate_enclosure: {
      if (!attr("type")) {
        emit(Severity::error, "P20-E11", n, "podcast:alternateEnclosure has no type");
      }
      if (pugi::xml_attribute d = attr("default"); d && !is_boolean(d.value())) {
        emit(
            Severity::error, "P20-E11", n,
            "podcast:alternateEnclosure default " + quote(d.value()) + " is not 'true' or 'false'");
      }
      if (pugi::xml_attribute b = attr("bitrate"); b && !parse_decimal(b.value(), false)) {
        emit(Severity::error, "P20-E11", n,
             "podcast:alternateEnclosure bitrate " + quote(b.value()) + " is not a number");
      }
      if (pugi::xml_attribute h = attr("height"); h && !parse_integer(h.value(), false)) {
        emit(Severity::error, "P20-E11", n,
             "podcast:alternateEnclosure height " + quote(h.value()) + " is not an integer");
      }
      pugi::xml_attribute len = attr("length");
      if (!len) {
        emit(Severity::warning, "P20-W10", n, "podcast:alternateEnclosure has no length");
      } else if (!parse_integer(len.value(), false)) {
        emit(Severity::warning, "P20-W10", n,
             "podcast:alternateEnclosure length " + quote(len.value()) + " is not an integer");
      }
      for (const char* key : {"title", "rel"}) {
        if (pugi::xml_attribute a = attr(key)) {
          check_length(n, std::string("podcast:alternateEnclosure ") + key, a.value(), 32);
        }
      }
      bool source = false;
      for (pugi::xml_node k = n.first_child(); k && !source; k = k.next_sibling()) {
        std::string_view local;
        source = k.type() == pugi::node_element && resolve(k, k.name(), local) == Ns::podcast &&
                 local == "source";
      }
      if (!source) {
        emit(Severity::error, "P20-E11", n, "podcast:alternateEnclosure has no podcast:source");
      }
      check_podcast_children(c, Parent::alternate_enclosure, depth);
      break;
    }
    case Tag::p_source: {
      pugi::xml_attribute uri = attr("uri");
      if (!uri || text::trim(uri.value()).empty()) {
        emit(Severity::error, "P20-E12", n, "podcast:source has no uri");
      } else {
        check_https(n, "podcast:source uri", uri.value());
      }
      break;
    }
    case Tag::p_integrity: {
      std::string_view t = attr("type").value();
      if (t != "sri" && t != "pgp-signature") {
        emit(Severity::error, "P20-E12", n,
             "podcast:integrity type " + quote(t) + " is not 'sri' or 'pgp-signature'");
      }
      if (!attr("value") || std::string_view(attr("value").value()).empty()) {
        emit(Severity::error, "P20-E12", n, "podcast:integrity has no value");
      }
      break;
    }
    case Tag::p_guid: {
      if (!hash::is_uuid(value)) {
        emit(Severity::error, "P20-E13", n, "podcast:guid " + quote(value) + " is not a UUID");
      } else {
        if (value[14] != '5') {
          emit(Severity::warning, "P20-W06", n,
               "podcast:guid " + quote(value) + " is a version " + std::string(1, value[14]) +
                   " UUID; the namespace wants version 5");
        }
        if (std::any_of(value.begin(), value.end(),
                        [](char ch) { return ch >= 'A' && ch <= 'F'; })) {
          emit(Severity::warning, "P20-W06", n,
               "podcast:guid " + quote(value) + " has upper-case hex; write it in lower case");
        }
      }
      if (channel_ != nullptr && parent == Parent::channel && c.index == 1) {
        channel_->guid = n;
      }
      break;
    }
    case Tag::p_value: {
      std::string missing =
          join_missing({{bool(attr("type")), "type"}, {bool(attr("method")), "method"}});
      if (!missing.empty()) {
        emit(Severity::error, "P20-E14", n, "podcast:value lacks " + missing);
      }
      int recipients = 0;
      for (pugi::xml_node k = n.first_child(); k; k = k.next_sibling()) {
        std::string_view local;
        if (k.type() == pugi::node_element && resolve(k, k.name(), local) == Ns::podcast &&
            local == "valueRecipient") {
          ++recipients;
        }
      }
      if (recipients == 0) {
        emit(Severity::error, "P20-E14", n, "podcast:value has no podcast:valueRecipient");
      }
      check_podcast_children(c, Parent::value, depth);
      break;
    }
    case Tag::p_value_recipient: {
      std::string missing = join_missing({{bool(attr("type")), "type"},
                                          {bool(attr("address")), "address"},
                                          {bool(attr("split")), "split"}});
      if (!missing.empty()) {
        emit(Severity::error, "P20-E14", n, "podcast:valueRecipient lacks " + missing);
      }
      if (pugi::xml_attribute s = attr("split"); s && !parse_integer(s.value(), false)) {
        emit(Severity::error, "P20-E14", n,
             "podcast:valueRecipient split " + quote(s.value()) + " is not an integer");
      }
      if (pugi::xml_attribute f = attr("fee"); f && !is_boolean(f.value())) {
        emit(Severity::error, "P20-E14", n,
             "podcast:valueRecipient fee " + quote(f.value()) + " is not 'true' or 'false'");
      }
      break;
    }
    case Tag::p_value_time_split: {
      for (const char* key : {"startTime", "duration"}) {
        pugi::xml_attribute a = attr(key);
        if (!a) {
          emit(Severity::error, "P20-E15", n, std::string("podcast:valueTimeSplit has no ") + key);
        } else if (!parse_decimal(a.value(), false)) {
          emit(Severity::error, "P20-E15", n,
               std::string("podcast:valueTimeSplit ") + key + " " + quote(a.value()) +
                   " is not seconds");
        }
      }
      if (pugi::xml_attribute p = attr("remotePercentage")) {
        auto v = parse_decimal(p.value(), false);
        if (!v || *v > 100) {
          emit(Severity::error, "P20-E15", n,
               "podcast:valueTimeSplit remotePercentage " + quote(p.value()) +
                   " is not between 0 and 100");
        }
      }
      int remote = 0, recipients = 0;
      for (pugi::xml_node k = n.first_child(); k; k = k.next_sibling()) {
        std::string_view local;
        if (k.type() == pugi::node_element && resolve(k, k.name(), local) == Ns::podcast) {
          remote += local == "remoteItem";
          recipients += local == "valueRecipient";
        }
      }
      if (!((remote == 1 && recipients == 0) || (remote == 0 && recipients >= 1))) {
        emit(Severity::error, "P20-E15", n,
             "podcast:valueTimeSplit needs exactly one podcast:remoteItem or at least one "
             "podcast:valueRecipient (has " +
                 std::to_string(remote) + " and " + std::to_string(recipients) + ")");
      }
      check_podcast_children(c, Parent::value_time_split, depth);
      break;
    }
    case Tag::p_medium:
      if (!is_medium(value)) {
        emit(Severity::error, "P20-E16", n,
             "podcast:medium " + quote(value) + " is not a medium the namespace defines");
      }
      break;
    case Tag::p_images:
      emit(Severity::warning, "P20-W12", n, "podcast:images is deprecated; use podcast:image");
      break;
    case Tag::p_social_interact: {
      pugi::xml_attribute protocol = attr("protocol");
      if (!protocol || !is_social_protocol(protocol.value())) {
        emit(Severity::error, "P20-E18", n,
             protocol ? "podcast:socialInteract protocol " + quote(protocol.value()) +
                            " is not in socialprotocols.txt"
                      : std::string("podcast:socialInteract has no protocol"));
      }
      if (std::string_view(protocol.value()) != "disabled") {
        pugi::xml_attribute uri = attr("uri");
        if (!uri) {
          emit(Severity::error, "P20-E18", n, "podcast:socialInteract has no uri");
        } else {
          check_https(n, "podcast:socialInteract uri", uri.value());
        }
      }
      break;
    }
    case Tag::p_block: {
      if (value != "yes" && value != "no") {
        emit(Severity::error, "P20-E19", n,
             "podcast:block " + quote(value) + " is not 'yes' or 'no'");
      }
      if (pugi::xml_attribute id = attr("id"); id && !is_service_slug(id.value())) {
        emit(Severity::error, "P20-E19", n,
             "podcast:block id " + quote(id.value()) + " is not a service slug");
      }
      break;
    }
    case Tag::p_txt: {
      check_length(n, name, value, 4000);
      pugi::xml_attribute purpose = attr("purpose");
      if (purpose) {
        check_length(n, "podcast:txt purpose", purpose.value(), 128);
        if (std::string_view(purpose.value()) == "ai-content" && !is_boolean(value)) {
          emit(Severity::warning, "P20-W17", n,
               "podcast:txt purpose=\"ai-content\" value " + quote(value) +
                   " is not 'true' or 'false'");
        }
      }
      break;
    }
    case Tag::p_remote_item:
      check_remote_item(c);
      break;
    case Tag::p_podroll: {
      int remote = 0;
      for (pugi::xml_node k = n.first_child(); k; k = k.next_sibling()) {
        std::string_view local;
        remote += k.type() == pugi::node_element && resolve(k, k.name(), local) == Ns::podcast &&
                  local == "remoteItem";
      }
      if (remote == 0) {
        emit(Severity::error, "P20-E21", n, "podcast:podroll has no podcast:remoteItem");
      }
      check_podcast_children(c, Parent::podroll, depth);
      break;
    }
    case Tag::p_update_frequency: {
      check_length(n, name, value, 128);
      pugi::xml_attribute rrule = attr("rrule"), dtstart = attr("dtstart"),
                          complete = attr("complete");
      if (rrule && std::string_view(rrule.value()).find("COUNT") != std::string_view::npos &&
          !dtstart) {
        emit(Severity::error, "P20-E22", n,
             "podcast:updateFrequency rrule " + quote(rrule.value()) + " has COUNT but no dtstart");
      }
      if (dtstart && !is_iso8601(dtstart.value(), true)) {
        emit(Severity::error, "P20-E22", n,
             "podcast:updateFrequency dtstart " + quote(dtstart.value()) + " is not ISO 8601");
      }
      if (complete && !is_boolean(complete.value())) {
        emit(Severity::error, "P20-E22", n,
             "podcast:updateFrequency complete " + quote(complete.value()) +
                 " is not 'true' or 'false'");
      }
      break;
    }
    case Tag::p_podping:
      if (pugi::xml_attribute u = attr("usesPodping"); u && !is_boolean(u.value())) {
        emit(Severity::error, "P20-E23", n,
             "podcast:podping usesPodping " + quote(u.value()) + " is not 'true' or 'false'");
      }
      break;
    case Tag::p_chat: {
      pugi::xml_attribute server = attr("server"), protocol = attr("protocol");
      if (!server || !is_fqdn(server.value())) {
        emit(Severity::error, "P20-E24", n,
             server ? "podcast:chat server " + quote(server.value()) + " is not a domain name"
                    : std::string("podcast:chat has no server"));
      }
      if (!protocol || !is_chat_protocol(protocol.value())) {
        emit(Severity::error, "P20-E24", n,
             protocol ? "podcast:chat protocol " + quote(protocol.value()) +
                            " is not irc, xmpp, nostr or matrix"
                      : std::string("podcast:chat has no protocol"));
      }
      break;
    }
    case Tag::p_publisher: {
      int remote = 0, publisher = 0;
      for (pugi::xml_node k = n.first_child(); k; k = k.next_sibling()) {
        std::string_view local;
        if (k.type() == pugi::node_element && resolve(k, k.name(), local) == Ns::podcast &&
            local == "remoteItem") {
          ++remote;
          publisher += std::string_view(k.attribute("medium").value()) == "publisher";
        }
      }
      if (remote != 1 || publisher != 1) {
        emit(Severity::error, "P20-E25", n,
             "podcast:publisher must hold exactly one podcast:remoteItem with "
             "medium=\"publisher\" (has " +
                 std::to_string(remote) + " remoteItem)");
      }
      check_podcast_children(c, Parent::publisher, depth);
      break;
    }
    case Tag::p_image: {
      pugi::xml_attribute href = attr("href");
      if (!href || text::trim(href.value()).empty()) {
        emit(Severity::error, "P20-E26", n, "podcast:image has no href");
      } else {
        check_https(n, "podcast:image href", href.value());
      }
      for (const char* key : {"width", "height"}) {
        pugi::xml_attribute a = attr(key);
        if (a && !parse_integer(a.value(), false)) {
          emit(Severity::error, "P20-E26", n,
               std::string("podcast:image ") + key + " " + quote(a.value()) + " is not an integer");
        }
      }
      if (pugi::xml_attribute ar = attr("aspect-ratio"); ar && !is_aspect_ratio(ar.value())) {
        emit(Severity::error, "P20-E26", n,
             "podcast:image aspect-ratio " + quote(ar.value()) + " is not like '1/1' or '1.9'");
      }
      if (pugi::xml_attribute p = attr("purpose")) {
        check_length(n, "podcast:image purpose", p.value(), 128);
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace podcastd::feeds::detail
