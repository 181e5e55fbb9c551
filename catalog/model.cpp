#include "catalog/model.hpp"

#include <cstring>

#include "catalog/hash.hpp"

#include "catalog/result.hpp"

namespace podcastd {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid argument";
    case ErrorCode::parse:
      return "parse error";
    case ErrorCode::io:
      return "I/O error";
    case ErrorCode::not_found:
      return "not found";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::validation:
      return "validation error";
    case ErrorCode::config:
      return "configuration error";
    case ErrorCode::network:
      return "network error";
    case ErrorCode::refused:
      return "refused";
    case ErrorCode::internal:
      return "internal error";
  }
  return "error";
}

}  // namespace podcastd

namespace podcastd::catalog {

std::string Diagnostic::to_string() const {
  std::string out;
  if (severity == Severity::warning) out += "warning: ";
  out += file;
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
  }
  out += ": ";
  out += message;
  return out;
}

bool Transcript::timed() const {
  if (segments.empty()) return false;
  for (const TranscriptSegment& s : segments) {
    if (!s.start) return false;
  }
  return true;
}

const char* to_string(EpisodeType type) {
  switch (type) {
    case EpisodeType::full:
      return "full";
    case EpisodeType::trailer:
      return "trailer";
    case EpisodeType::bonus:
      return "bonus";
  }
  return "full";
}

const char* to_string(EpisodeStatus status) {
  switch (status) {
    case EpisodeStatus::published:
      return "published";
    case EpisodeStatus::draft:
      return "draft";
    case EpisodeStatus::scheduled:
      return "scheduled";
    case EpisodeStatus::no_audio:
      return "no audio";
    case EpisodeStatus::error:
      return "error";
  }
  return "error";
}

double Episode::duration() const {
  if (enclosure && enclosure->duration > 0) return enclosure->duration;
  return declared_duration.value_or(0);
}

EpisodeStatus Episode::status(UnixTime now) const {
  if (draft) return EpisodeStatus::draft;
  if (publish_at && *publish_at > now) return EpisodeStatus::scheduled;
  if (!enclosure || (enclosure->file.empty() && enclosure->url.empty())) {
    return EpisodeStatus::no_audio;
  }
  return EpisodeStatus::published;
}

namespace {

// Feeds fields into a Hasher64 with type and length framing, so ("ab","c") and ("a","bc")
// differ.
class FieldHasher {
 public:
  void add(std::string_view s) {
    std::uint64_t n = s.size();
    raw(&n, sizeof n);
    h_.update(s);
  }
  void add(std::int64_t v) { raw(&v, sizeof v); }
  void add(int v) { add(static_cast<std::int64_t>(v)); }
  void add(bool v) { add(static_cast<std::int64_t>(v ? 1 : 0)); }
  void add(double v) { raw(&v, sizeof v); }
  template <typename T>
  void add(const std::optional<T>& v) {
    add(v.has_value());
    if (v) add(*v);
  }
  void add(const Person& p) {
    add(p.name);
    add(p.role);
    add(p.group);
    add(p.href);
    add(p.img);
    add(p.bio);
  }
  void add(const Chapter& c) {
    add(c.start);
    add(c.end);
    add(c.title);
    add(c.url);
    add(c.img);
    add(c.toc);
  }
  void add(const Link& l) {
    add(l.title);
    add(l.url);
    add(l.description);
  }
  void add(const Funding& f) {
    add(f.url);
    add(f.text);
  }
  void add(const Soundbite& s) {
    add(s.start);
    add(s.duration);
    add(s.title);
  }
  void add(const Location& l) {
    add(l.name);
    add(l.rel);
    add(l.geo);
    add(l.osm);
    add(l.country);
  }
  void add(const Txt& t) {
    add(t.purpose);
    add(t.text);
  }
  void add(const TranscriptSegment& s) {
    add(s.speaker);
    add(s.start);
    add(s.end);
    add(s.body);
  }
  void add(const Transcript& t) {
    add(t.source);
    add(static_cast<int>(t.format));
    add(t.language);
    add(t.segments);
  }
  void add(const SpeakerTurn& t) {
    add(t.speaker);
    add(t.start);
  }
  void add(const Enclosure& e) {
    add(e.file);
    add(e.url);
    add(e.length);
    add(e.mime);
    add(e.duration);
    add(e.bitrate);
  }
  void add(const AlternateEnclosure& a) {
    add(a.type);
    add(a.length);
    add(a.bitrate);
    add(a.title);
    add(a.rel);
    add(a.is_default);
    add(a.sources);
  }
  void add(const std::string& s) { add(std::string_view(s)); }
  template <typename T>
  void add(const std::vector<T>& list) {
    add(static_cast<std::int64_t>(list.size()));
    for (const T& item : list) add(item);
  }
  std::uint64_t digest() const { return h_.digest(); }

 private:
  void raw(const void* p, std::size_t n) {
    h_.update(std::string_view(static_cast<const char*>(p), n));
  }
  hash::Hasher64 h_;
};

}  // namespace

std::uint64_t fingerprint(const Episode& e) {
  FieldHasher h;
  h.add(e.show);
  h.add(e.key);
  h.add(e.guid);
  h.add(e.guid_explicit);
  h.add(e.title);
  h.add(e.subtitle);
  h.add(e.summary);
  h.add(e.notes_html);
  h.add(e.notes_text);
  h.add(e.link);
  h.add(e.image);
  h.add(e.date);
  h.add(e.publish_at);
  h.add(e.draft);
  h.add(e.season);
  h.add(e.season_name);
  h.add(e.number);
  h.add(e.number_display);
  h.add(static_cast<int>(e.type));
  h.add(e.explicit_content);
  h.add(e.block);
  h.add(e.enclosure);
  h.add(e.declared_duration);
  h.add(e.alternate_enclosures);
  h.add(e.persons);
  h.add(e.chapters);
  h.add(e.links);
  h.add(e.soundbites);
  h.add(e.locations);
  h.add(e.funding);
  h.add(e.txt);
  h.add(e.license);
  h.add(e.license_url);
  h.add(e.transcripts);
  h.add(e.speaker_timeline);
  h.add(e.sources);
  return h.digest();
}

std::uint64_t fingerprint(const Show& s) {
  FieldHasher h;
  h.add(s.slug);
  h.add(s.dir);
  h.add(s.title);
  h.add(s.description);
  h.add(s.author);
  h.add(s.language);
  h.add(s.link);
  h.add(s.image);
  h.add(s.copyright);
  h.add(s.owner_name);
  h.add(s.owner_email);
  h.add(s.categories);
  h.add(s.explicit_content);
  h.add(s.type);
  h.add(s.guid);
  h.add(s.locked);
  h.add(s.locked_owner);
  h.add(s.funding);
  h.add(s.persons);
  h.add(s.medium);
  h.add(s.license);
  h.add(s.license_url);
  h.add(s.complete);
  h.add(s.block);
  h.add(s.new_feed_url);
  h.add(s.locations);
  h.add(s.txt);
  h.add(s.update_frequency);
  h.add(s.update_frequency_rrule);
  h.add(s.max_items);
  h.add(s.sources);
  return h.digest();
}

}  // namespace podcastd::catalog
