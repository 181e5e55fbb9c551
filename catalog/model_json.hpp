#pragma once
// JSON forms of the model types (nlohmann::json): the catalog stores less-queried fields
// this way, and `--json` output and /api/ answers are built from them. Field names are
// snake_case versions of the struct members; absent optionals and empty strings/lists are
// omitted. Round-trip: from_json(to_json(x)) == x. Pure; any thread.

#include <nlohmann/json.hpp>

#include "catalog/model.hpp"

namespace podcastd::catalog {

void to_json(nlohmann::json& j, const Person& v);
void from_json(const nlohmann::json& j, Person& v);
void to_json(nlohmann::json& j, const Chapter& v);
void from_json(const nlohmann::json& j, Chapter& v);
void to_json(nlohmann::json& j, const Link& v);
void from_json(const nlohmann::json& j, Link& v);
void to_json(nlohmann::json& j, const Funding& v);
void from_json(const nlohmann::json& j, Funding& v);
void to_json(nlohmann::json& j, const Soundbite& v);
void from_json(const nlohmann::json& j, Soundbite& v);
void to_json(nlohmann::json& j, const Location& v);
void from_json(const nlohmann::json& j, Location& v);
void to_json(nlohmann::json& j, const Txt& v);
void from_json(const nlohmann::json& j, Txt& v);
void to_json(nlohmann::json& j, const AlternateEnclosure& v);
void from_json(const nlohmann::json& j, AlternateEnclosure& v);
void to_json(nlohmann::json& j, const Enclosure& v);
void from_json(const nlohmann::json& j, Enclosure& v);
void to_json(nlohmann::json& j, const Diagnostic& v);
void from_json(const nlohmann::json& j, Diagnostic& v);
void to_json(nlohmann::json& j, const Show& v);
void from_json(const nlohmann::json& j, Show& v);
// Episodes without transcripts' segments unless `with_transcripts` (they can be large).
nlohmann::json episode_to_json(const Episode& v, bool with_transcripts = false);

const char* to_string(TranscriptFormat format);
TranscriptFormat transcript_format_from_string(std::string_view name);
EpisodeType episode_type_from_string(std::string_view name);

}  // namespace podcastd::catalog
