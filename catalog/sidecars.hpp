#pragma once
// Sidecar files of an episode: transcripts (WebVTT, SRT, Podcasting 2.0 JSON, plain text)
// and Podcasting 2.0 JSON chapters (STANDARDS.md section 4). Pure functions: any thread.
// `path` is the content-relative path used in messages; errors are ErrorCode::parse with
// "PATH:LINE: reason" (line 0 -> "PATH: reason" for JSON documents without a position).

#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "catalog/result.hpp"

namespace podcastd::catalog {

// WEBVTT with cues "HH:MM:SS.mmm --> HH:MM:SS.mmm" (hours optional), cue identifiers,
// NOTE/STYLE/REGION blocks skipped, "<v Speaker>" voice spans (closing </v> optional,
// classes allowed); other tags stripped, entities decoded. A cue without a voice keeps the
// speaker of the previous voiced cue only when the namespace's "voice on change" style is
// evident; otherwise speaker "".
Result<Transcript> parse_vtt(std::string_view path, std::string_view text);

// SRT: numbered cues "HH:MM:SS,mmm --> HH:MM:SS,mmm"; a leading "Name: " on the first line
// of a cue is its speaker.
Result<Transcript> parse_srt(std::string_view path, std::string_view text);

// {"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}]}.
Result<Transcript> parse_json_transcript(std::string_view path, std::string_view text);

// Plain text: "Speaker: text" turns (continuation lines join the turn), optional leading
// timestamps "[00:01:02] Speaker: text" / "00:01:02 Speaker: text"; lines without a speaker
// become speaker-less segments.
Result<Transcript> parse_text_transcript(std::string_view path, std::string_view text);

// {"version": "1.2.0", "chapters": [{"startTime", "title", "img", "url", "toc", "endTime"}]}.
// Sorted by start time on return.
Result<std::vector<Chapter>> parse_json_chapters(std::string_view path, std::string_view text);

}  // namespace podcastd::catalog
