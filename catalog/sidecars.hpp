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

// All parsers: a UTF-8 BOM is skipped; LF, CRLF or a lone CR end lines;
// invalid UTF-8 is "PATH:LINE: invalid UTF-8". Transcript::source is `path`, format is set
// to the parser's format. Linear in the input size.

// WEBVTT: the first line must be "WEBVTT" (optionally followed by a space or tab and text),
// else "PATH:1: missing WEBVTT header"; header lines ("Language: en" sets
// Transcript::language) run to the first blank line. Cues: an optional identifier, then
// "HH:MM:SS.mmm --> HH:MM:SS.mmm" (hours optional, two or more digits; minutes and seconds
// two digits below 60; exactly three digits of milliseconds after a dot; settings after
// whitespace ignored). Errors: "PATH:LINE: bad cue timing 'LINE'", "PATH:LINE: cue ends
// before it starts 'LINE'", "PATH:LINE: expected cue timing, got 'LINE'" (identifier not
// followed by a timing), "PATH:LINE: text outside a cue 'LINE'". NOTE/STYLE/REGION blocks
// are skipped; a line containing "-->" starts a new cue even without a blank line.
// Cue text: "<v Speaker>" / "<v.class Speaker>" voice spans ("</v>" optional and ignored);
// a change to another voice inside a cue splits it into segments sharing the cue's times.
// Other tags are stripped, entities decoded, lines joined with "\n", bodies trimmed, empty
// cues dropped. An unvoiced cue takes the previous voice's speaker when the file writes
// voices only on a change of speaker (some unvoiced cue follows a voiced one and no cue
// opens with the voice the previous cue ended with); otherwise its speaker is "".
Result<Transcript> parse_vtt(std::string_view path, std::string_view text);

// SRT: cues "N" (optional), "H:MM:SS,mmm --> H:MM:SS,mmm" (',' or '.', one to three
// fraction digits; hours required), text. A leading "Name: " on the first line of a cue is
// its speaker (a name: starts with a letter, at most 4 words and 40 bytes, no sentence
// punctuation other than '.'; "10:30" and "https://" are not names); voice spans, tags and
// "{\an8}" overrides as in WebVTT; speakers carry over as in WebVTT. A paragraph after a
// blank line that is neither a number nor a timing belongs to the previous cue ("\n\n").
// Errors: "PATH:LINE: expected cue number or timing, got '…'" (before the first cue),
// "PATH:LINE: expected cue timing, got '…'", "bad cue timing", "cue ends before it starts".
Result<Transcript> parse_srt(std::string_view path, std::string_view text);

// {"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}]}.
// version is optional (a string when present); each segment needs a non-negative numeric
// startTime and a string body; speaker (string) and endTime (number) are optional, null
// meaning absent; unknown keys are ignored; file order is kept. Errors: "PATH:LINE: invalid
// JSON: …" for syntax, else "PATH: not a JSON object", "PATH: version is not a string",
// "PATH: missing segments", "PATH: segments is not an array", "PATH: segments[3]: not an
// object | missing startTime | startTime is not a number | startTime is negative | endTime
// is not a number | missing body | body is not a string | speaker is not a string".
Result<Transcript> parse_json_transcript(std::string_view path, std::string_view text);

// Plain text: "Speaker: text" turns; following lines join the turn with "\n" until a blank
// line. Optional leading times "[00:01:02] Speaker: text", "(01:02) …", "00:01:02 …", or
// after the name "Speaker (00:01:02): text", and Otter-style headers "Jane Doe  0:02" on a
// line of their own, make segments timed. Lines without a speaker or time become
// speaker-less segments (one per paragraph). Never fails except for invalid UTF-8.
Result<Transcript> parse_text_transcript(std::string_view path, std::string_view text);

// {"version": "1.2.0", "chapters": [{"startTime", "title", "img", "url", "toc", "endTime"}]}.
// version (string) and chapters (array) are required; each chapter needs a non-negative
// numeric startTime; title/img/url strings, toc boolean, endTime number and location object
// are optional (null = absent; location is checked and dropped: Chapter has no field for
// it); unknown keys are ignored. Errors as for JSON transcripts ("PATH: missing version",
// "PATH: chapters[2]: toc is not a boolean", ...). Sorted by start time on return (stable).
Result<std::vector<Chapter>> parse_json_chapters(std::string_view path, std::string_view text);

}  // namespace podcastd::catalog
