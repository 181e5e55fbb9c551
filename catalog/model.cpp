#include "catalog/model.hpp"

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

}  // namespace podcastd::catalog
