#include "catalog/model_json.hpp"

namespace podcastd::catalog {
namespace {

using nlohmann::json;

void put(json& j, const char* name, const std::string& v) {
  if (!v.empty()) j[name] = v;
}
template <typename T>
void put(json& j, const char* name, const std::optional<T>& v) {
  if (v) j[name] = *v;
}
template <typename T>
void put(json& j, const char* name, const std::vector<T>& v) {
  if (!v.empty()) j[name] = v;
}
void put_flag(json& j, const char* name, bool v) {
  if (v) j[name] = true;
}
template <typename T>
void get(const json& j, const char* name, T& out) {
  if (auto it = j.find(name); it != j.end() && !it->is_null()) it->get_to(out);
}
template <typename T>
void get(const json& j, const char* name, std::optional<T>& out) {
  if (auto it = j.find(name); it != j.end() && !it->is_null()) out = it->get<T>();
}

}  // namespace

void to_json(json& j, const Person& v) {
  j = json::object();
  put(j, "name", v.name);
  put(j, "role", v.role);
  put(j, "group", v.group);
  put(j, "href", v.href);
  put(j, "img", v.img);
  put(j, "bio", v.bio);
}
void from_json(const json& j, Person& v) {
  get(j, "name", v.name);
  get(j, "role", v.role);
  get(j, "group", v.group);
  get(j, "href", v.href);
  get(j, "img", v.img);
  get(j, "bio", v.bio);
}

void to_json(json& j, const Chapter& v) {
  j = json::object();
  j["start"] = v.start;
  put(j, "end", v.end);
  put(j, "title", v.title);
  put(j, "url", v.url);
  put(j, "img", v.img);
  if (!v.toc) j["toc"] = false;
}
void from_json(const json& j, Chapter& v) {
  get(j, "start", v.start);
  get(j, "end", v.end);
  get(j, "title", v.title);
  get(j, "url", v.url);
  get(j, "img", v.img);
  get(j, "toc", v.toc);
}

void to_json(json& j, const Link& v) {
  j = json::object();
  put(j, "title", v.title);
  put(j, "url", v.url);
  put(j, "description", v.description);
}
void from_json(const json& j, Link& v) {
  get(j, "title", v.title);
  get(j, "url", v.url);
  get(j, "description", v.description);
}

void to_json(json& j, const Funding& v) {
  j = json::object();
  put(j, "url", v.url);
  put(j, "text", v.text);
}
void from_json(const json& j, Funding& v) {
  get(j, "url", v.url);
  get(j, "text", v.text);
}

void to_json(json& j, const Soundbite& v) {
  j = json{{"start", v.start}, {"duration", v.duration}};
  put(j, "title", v.title);
}
void from_json(const json& j, Soundbite& v) {
  get(j, "start", v.start);
  get(j, "duration", v.duration);
  get(j, "title", v.title);
}

void to_json(json& j, const Location& v) {
  j = json::object();
  put(j, "name", v.name);
  put(j, "rel", v.rel);
  put(j, "geo", v.geo);
  put(j, "osm", v.osm);
  put(j, "country", v.country);
}
void from_json(const json& j, Location& v) {
  get(j, "name", v.name);
  get(j, "rel", v.rel);
  get(j, "geo", v.geo);
  get(j, "osm", v.osm);
  get(j, "country", v.country);
}

void to_json(json& j, const Txt& v) {
  j = json::object();
  put(j, "purpose", v.purpose);
  put(j, "text", v.text);
}
void from_json(const json& j, Txt& v) {
  get(j, "purpose", v.purpose);
  get(j, "text", v.text);
}

void to_json(json& j, const AlternateEnclosure& v) {
  j = json::object();
  put(j, "type", v.type);
  if (v.length) j["length"] = v.length;
  if (v.bitrate) j["bitrate"] = v.bitrate;
  put(j, "title", v.title);
  put(j, "rel", v.rel);
  put_flag(j, "default", v.is_default);
  put(j, "sources", v.sources);
}
void from_json(const json& j, AlternateEnclosure& v) {
  get(j, "type", v.type);
  get(j, "length", v.length);
  get(j, "bitrate", v.bitrate);
  get(j, "title", v.title);
  get(j, "rel", v.rel);
  get(j, "default", v.is_default);
  get(j, "sources", v.sources);
}

void to_json(json& j, const Enclosure& v) {
  j = json::object();
  put(j, "file", v.file);
  put(j, "url", v.url);
  j["length"] = v.length;
  put(j, "mime", v.mime);
  if (v.duration > 0) j["duration"] = v.duration;
  if (v.bitrate > 0) j["bitrate"] = v.bitrate;
}
void from_json(const json& j, Enclosure& v) {
  get(j, "file", v.file);
  get(j, "url", v.url);
  get(j, "length", v.length);
  get(j, "mime", v.mime);
  get(j, "duration", v.duration);
  get(j, "bitrate", v.bitrate);
}

void to_json(json& j, const Diagnostic& v) {
  j = json{{"severity", v.severity == Diagnostic::Severity::error ? "error" : "warning"},
           {"file", v.file},
           {"line", v.line},
           {"message", v.message}};
}
void from_json(const json& j, Diagnostic& v) {
  std::string severity;
  get(j, "severity", severity);
  v.severity = severity == "warning" ? Diagnostic::Severity::warning : Diagnostic::Severity::error;
  get(j, "file", v.file);
  get(j, "line", v.line);
  get(j, "message", v.message);
}

void to_json(json& j, const Show& v) {
  j = json::object();
  put(j, "slug", v.slug);
  put(j, "dir", v.dir);
  put(j, "title", v.title);
  put(j, "description", v.description);
  put(j, "author", v.author);
  put(j, "language", v.language);
  put(j, "link", v.link);
  put(j, "image", v.image);
  put(j, "copyright", v.copyright);
  put(j, "owner_name", v.owner_name);
  put(j, "owner_email", v.owner_email);
  put(j, "categories", v.categories);
  put(j, "explicit", v.explicit_content);
  put(j, "type", v.type);
  put(j, "guid", v.guid);
  put(j, "locked", v.locked);
  put(j, "locked_owner", v.locked_owner);
  put(j, "funding", v.funding);
  put(j, "persons", v.persons);
  put(j, "medium", v.medium);
  put(j, "license", v.license);
  put(j, "license_url", v.license_url);
  put_flag(j, "complete", v.complete);
  put_flag(j, "block", v.block);
  put(j, "new_feed_url", v.new_feed_url);
  put(j, "locations", v.locations);
  put(j, "txt", v.txt);
  put(j, "update_frequency", v.update_frequency);
  put(j, "update_frequency_rrule", v.update_frequency_rrule);
  if (v.max_items) j["max_items"] = v.max_items;
  put(j, "sources", v.sources);
}
void from_json(const json& j, Show& v) {
  get(j, "slug", v.slug);
  get(j, "dir", v.dir);
  get(j, "title", v.title);
  get(j, "description", v.description);
  get(j, "author", v.author);
  get(j, "language", v.language);
  get(j, "link", v.link);
  get(j, "image", v.image);
  get(j, "copyright", v.copyright);
  get(j, "owner_name", v.owner_name);
  get(j, "owner_email", v.owner_email);
  get(j, "categories", v.categories);
  get(j, "explicit", v.explicit_content);
  get(j, "type", v.type);
  get(j, "guid", v.guid);
  get(j, "locked", v.locked);
  get(j, "locked_owner", v.locked_owner);
  get(j, "funding", v.funding);
  get(j, "persons", v.persons);
  get(j, "medium", v.medium);
  get(j, "license", v.license);
  get(j, "license_url", v.license_url);
  get(j, "complete", v.complete);
  get(j, "block", v.block);
  get(j, "new_feed_url", v.new_feed_url);
  get(j, "locations", v.locations);
  get(j, "txt", v.txt);
  get(j, "update_frequency", v.update_frequency);
  get(j, "update_frequency_rrule", v.update_frequency_rrule);
  get(j, "max_items", v.max_items);
  get(j, "sources", v.sources);
}

const char* to_string(TranscriptFormat format) {
  switch (format) {
    case TranscriptFormat::vtt:
      return "vtt";
    case TranscriptFormat::srt:
      return "srt";
    case TranscriptFormat::json:
      return "json";
    case TranscriptFormat::text:
      return "text";
    case TranscriptFormat::notes:
      return "notes";
  }
  return "text";
}

TranscriptFormat transcript_format_from_string(std::string_view name) {
  if (name == "vtt") return TranscriptFormat::vtt;
  if (name == "srt") return TranscriptFormat::srt;
  if (name == "json") return TranscriptFormat::json;
  if (name == "notes") return TranscriptFormat::notes;
  return TranscriptFormat::text;
}

EpisodeType episode_type_from_string(std::string_view name) {
  if (name == "trailer") return EpisodeType::trailer;
  if (name == "bonus") return EpisodeType::bonus;
  return EpisodeType::full;
}

nlohmann::json episode_to_json(const Episode& v, bool with_transcripts) {
  json j = json::object();
  put(j, "show", v.show);
  put(j, "key", v.key);
  put(j, "guid", v.guid);
  put_flag(j, "guid_explicit", v.guid_explicit);
  put(j, "title", v.title);
  put(j, "subtitle", v.subtitle);
  put(j, "summary", v.summary);
  put(j, "notes_html", v.notes_html);
  put(j, "notes_text", v.notes_text);
  put(j, "link", v.link);
  put(j, "image", v.image);
  put(j, "date", v.date);
  put(j, "publish_at", v.publish_at);
  put_flag(j, "draft", v.draft);
  put(j, "season", v.season);
  put(j, "season_name", v.season_name);
  put(j, "number", v.number);
  put(j, "number_display", v.number_display);
  j["type"] = to_string(v.type);
  put(j, "explicit", v.explicit_content);
  put_flag(j, "block", v.block);
  if (v.enclosure) j["enclosure"] = *v.enclosure;
  put(j, "declared_duration", v.declared_duration);
  if (v.duration() > 0) j["duration"] = v.duration();
  put(j, "alternate_enclosures", v.alternate_enclosures);
  put(j, "persons", v.persons);
  put(j, "chapters", v.chapters);
  put(j, "links", v.links);
  put(j, "soundbites", v.soundbites);
  put(j, "locations", v.locations);
  put(j, "funding", v.funding);
  put(j, "txt", v.txt);
  put(j, "license", v.license);
  put(j, "license_url", v.license_url);
  if (!v.transcripts.empty()) {
    json list = json::array();
    for (const Transcript& t : v.transcripts) {
      json tj = {{"source", t.source},
                 {"format", to_string(t.format)},
                 {"timed", t.timed()},
                 {"segments", t.segments.size()}};
      put(tj, "language", t.language);
      if (with_transcripts) {
        json segs = json::array();
        for (const TranscriptSegment& s : t.segments) {
          json sj = {{"body", s.body}};
          put(sj, "speaker", s.speaker);
          put(sj, "start", s.start);
          put(sj, "end", s.end);
          segs.push_back(std::move(sj));
        }
        tj["segments"] = std::move(segs);
      }
      list.push_back(std::move(tj));
    }
    j["transcripts"] = std::move(list);
  }
  if (!v.speaker_timeline.empty()) {
    json list = json::array();
    for (const SpeakerTurn& t : v.speaker_timeline) {
      list.push_back({{"speaker", t.speaker}, {"start", t.start}});
    }
    j["speaker_timeline"] = std::move(list);
  }
  put(j, "sources", v.sources);
  return j;
}

}  // namespace podcastd::catalog
