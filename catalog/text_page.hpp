#pragma once
// Plain-text show-notes pages (NAME.txt) as podcast sites publish them (DESIGN.md "Content
// directory", kind 2; real examples in ../shared/samples). Either an episode page or a show
// page (a show description plus an episode listing). Pure functions: any thread.
//
// How a page is read (structure is implied by lines; every rule is a heuristic):
// - Kind: a show page has localized label lines near the top ("Genuri Education",
//   "Sprache DE", "Episodes 46"; English, Romanian, German, French, Spanish, Italian) or a
//   listing of "• Title DD.MM.YYYY duration" lines and no date line under its title.
//   Everything else is an episode page.
// - Episode header: the title is the first non-blank line. Up to three following lines may be
//   a subtitle (a short line, at most 160 bytes, not ending in '.', ':' or ',', not a known
//   heading, list item, URL or speaker turn) and a date/duration line: "2025-05-01 69 min",
//   "21.05.2026 49min", "May 1, 2025 · 1h 21min", a date alone or a duration alone (a
//   duration needs a unit or a colon). A date is 00:00 UTC. A header line that looks like a
//   date but does not parse is a warning.
// - Headings: a known heading (case-insensitive list: "Description & Show Notes", "Show
//   Notes", "Links From The Episode", "Links", "Official Links", "Resources", "Credits",
//   "Sponsors", "About Us", "Chapters", "Timestamps", "Transcript", ...; a trailing ':' is
//   allowed) or a short Title Case line (at most 70 bytes and 8 words, upper-case first
//   letter, every word but small ones like "of", "by", "the" capitalised or a number, no
//   final punctuation, no URL, no ": " or " - "): "About Us", "All Episodes of Season 4",
//   "Proudly Supported by CodeCrafters". Consecutive duplicate headings count once. Headings
//   containing "Links", "Resources" or "References" start link sections; "About X" starts an
//   about section. Inside a transcript only known structural headings ("Links", "Credits",
//   "Sponsors", "Chapters", ...) end it, so speech lines are never taken for headings.
// - Notes (notes_html/notes_text): every section except Transcript and Chapters, in page
//   order. HTML uses only <h3>, <p>, <ul><li> and <a href> for http(s) URLs, all text
//   escaped. Generic description headings ("Description & Show Notes", "Show Notes") are not
//   repeated as <h3>; empty sections are left out. Each source line is a paragraph, except
//   that a line starting lower-case after one without final punctuation continues it
//   (hard-wrapped prose). A paragraph equal to an earlier one (whitespace collapsed) is left
//   out (a page artefact); list items are never deduplicated. notes_text separates blocks by
//   a blank line, list items by "\n" with a "- " prefix. episode.summary is the plain text of
//   the description part only (text before the first heading plus generic description
//   sections), e.g. the paragraphs above "Transcript".
// - Links: list items ("- ", "* ", "• ") of link sections, and list items or
//   "Title: https://..." lines with a URL in any notes section, become Episode::links:
//   "Title - description", "Title - https://...", "Title: https://...", "Title (https://...)",
//   "[Title](https://...) - description". Items of other sections without a URL ("About Us",
//   "All Episodes of Season 4") stay list notes only.
// - Chapters: "HH:MM:SS Title", "MM:SS Title", "[00:01:02] Title", "00:01:02 - Title" under
//   a Chapters/Timestamps heading (a URL in the title goes to Chapter::url). Other lines and
//   chapters out of order are warnings; chapters are returned sorted by start (stable).
// - Transcript (one Transcript, format notes, source = path, untimed): from a "Transcript"
//   heading, or implicitly from the first "Q. " / "Q: " line of a notes section (interviews).
//   Turns: "Speaker: text" with Speaker 1-4 capitalised words (particles like "van" and a
//   final number like "Speaker 2" allowed; not URLs, times or words like "Note"), also after
//   stray punctuation (", Matthias: ..."); "Q. text" -> "Interviewer"; "A. text" -> the only
//   guest (else ""); "A member of the audience asked: text" (any label mentioning the
//   audience) -> "Audience". Labels are used when at least two lines carry one (or the
//   first line does). Continuation lines join the turn with a space (captions wrap anywhere);
//   a blank line, or a break after a long (>= 160 bytes) line ending a sentence, becomes
//   "\n". Text without labels (and text before the first label) becomes speaker-less
//   segments, each ending at a line that ends a sentence, at a blank line, or once it holds
//   1000 bytes. A Transcript section of at most two lines that only points elsewhere
//   ("Transcript provided by ... click here") yields no transcript and no notes. The last
//   line of a labelled transcript, when it is not a turn but a blurb "GUEST is ...", moves to
//   the end of the notes.
// - Speaker timeline: a trailing table at the very end of the page of at least two
//   (name line, "HH:MM:SS" line) pairs -> Episode::speaker_timeline; it is removed from the
//   transcript. A timeline that goes backwards is a warning.
// - Persons: guests from the title after its last lower-case " with " (or " mit ", " avec ",
//   " con ", " cu "): "NAME", "NAME and NAME", "A & B", "A, B and C", "A und B", "A et B"
//   (each 2-4 capitalised words; parentheses dropped), role "guest". An "About NAME"
//   section whose NAME is a person's full or first name sets that person's bio (plain text)
//   and stays in the notes; other "About X" sections are notes only. Without one, the first
//   notes paragraph introducing the guest in the third person ("Carl Lerche is an engineer
//   at ...", "NAME was ...") is the bio.
// - Show pages: Show::title (first line), author (a short Title Case line, or "by NAME", or
//   an Author label, before the description), language (lower-case code from "Limba EN" or a
//   language name: "Deutsch" -> "de"), categories ("Genuri Education, Technology" split at
//   ',' and ';'), link (a URL line or Website label), description (the prose paragraphs
//   above the listing, joined by a blank line). Country, episode count and latest date are
//   recognised but not stored. Listed episodes: "• Title DATE [DURATION]" (DATE DD.MM.YYYY,
//   DD/MM/YYYY or YYYY-MM-DD; DURATION "49min", "1h 21min", "1h", "49 Min.") with the
//   following indented lines as the description; title, date, declared_duration, persons
//   from the title, notes_text/notes_html. Descriptions glued without a space after a
//   sentence ("at Google.I have") are split into paragraphs at '.', '!' or '?' directly
//   followed by an upper-case letter that starts a word, when the punctuation ends a word of
//   at least two characters ("Node.js", "U.S.", "ASP.NET" stay whole).
// - Left for ingest: Episode::show, key, guid, sources; Show::slug, dir, sources.
//
// Cost: linear in the page size (hashing for deduplication); the 73 KB sample parses in well
// under a millisecond in Release builds.

#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "catalog/result.hpp"

namespace podcastd::catalog {

struct TextPage {
  enum class Kind { episode, show };
  Kind kind = Kind::episode;

  // kind == episode: what the page says. title, subtitle, summary, date, declared_duration,
  // notes_html/notes_text (sections in order, repeated paragraphs once), links, chapters,
  // persons (guests from the title, role "guest"; bios from "About NAME"), transcripts
  // (at most one Transcript, format notes, speaker turns), speaker_timeline.
  Episode episode;

  // kind == show: the channel facts the page states (title, description, author, language,
  // categories, link) and the listed episodes (title, date, declared_duration,
  // notes_text/notes_html, persons from their titles).
  Show show;
  std::vector<Episode> listed;

  // Oddities that did not stop parsing (severity warning, file = path, 1-based line).
  std::vector<Diagnostic> warnings;
};

// Parses a page. `path` is the content-relative path for messages. Errors (ErrorCode::parse)
// "PATH:LINE: reason": "empty page" (line 1; empty or whitespace only), "invalid UTF-8 (byte
// offset N)" (N counts from the start of `text`), "no title: ..." (the first non-blank line is
// a heading, a date/duration, a list item, a "Q." question, or longer than 300 bytes). A
// leading UTF-8 byte order mark is ignored.
Result<TextPage> parse_text_page(std::string_view path, std::string_view text);

}  // namespace podcastd::catalog
