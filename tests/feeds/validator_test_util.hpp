#pragma once
// Helpers for the validator tests: a clean base feed with insertion markers, edits, rule
// lists, and a splitter that turns a document into channel skeleton + item fragments the
// way the renderer produces them. Test-only; single-threaded.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/validator.hpp"

namespace podcastd::feeds::testing_util {

// A feed with zero findings. "<!--C-->" marks the end of the channel metadata, "<!--I-->"
// the end of the first item.
inline std::string base_feed() {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Test Show</title>
    <link>https://example.com/</link>
    <description>About the show.</description>
    <language>en</language>
    <atom:link href="https://feeds.example.com/show.xml" rel="self" type="application/rss+xml"/>
    <itunes:image href="https://cdn.example.com/art.jpg"/>
    <itunes:category text="Technology"/>
    <itunes:explicit>false</itunes:explicit>
    <itunes:author>Example Media</itunes:author>
    <itunes:owner><itunes:name>Jane Doe</itunes:name><itunes:email>jane@example.com</itunes:email></itunes:owner>
    <itunes:type>episodic</itunes:type>
    <podcast:guid>4853fc3e-53c6-5712-b59d-344773fda971</podcast:guid>
    <podcast:medium>podcast</podcast:medium>
    <podcast:locked owner="jane@example.com">yes</podcast:locked>
    <podcast:podping usesPodping="true"/>
    <podcast:updateFrequency rrule="FREQ=WEEKLY">Weekly</podcast:updateFrequency>
    <podcast:person role="host" href="https://example.com/jane">Jane Doe</podcast:person>
    <!--C-->
    <item>
      <title>First light</title>
      <description>Show notes.</description>
      <enclosure url="https://cdn.example.com/ep2.mp3" length="48123456" type="audio/mpeg"/>
      <guid isPermaLink="false">6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e11</guid>
      <pubDate>Wed, 03 Apr 2024 02:06:28 +0000</pubDate>
      <itunes:duration>3007</itunes:duration>
      <podcast:transcript url="https://cdn.example.com/ep2.vtt" type="text/vtt" rel="captions"/>
      <podcast:chapters url="https://cdn.example.com/ep2.json" type="application/json+chapters"/>
      <!--I-->
    </item>
    <item>
      <title>Second wind</title>
      <description>More notes.</description>
      <enclosure url="https://cdn.example.com/ep1.mp3" length="41234567" type="audio/mpeg"/>
      <guid isPermaLink="false">6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e12</guid>
      <pubDate>Wed, 27 Mar 2024 10:00:00 +0000</pubDate>
      <itunes:duration>3600</itunes:duration>
      <podcast:transcript url="https://cdn.example.com/ep1.vtt" type="text/vtt" rel="captions"/>
    </item>
  </channel>
</rss>
)";
}

inline std::string replace_once(std::string s, std::string_view from, std::string_view to) {
  std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "edit anchor not found: " << from;
  if (at != std::string::npos) {
    s.replace(at, from.size(), to);
  }
  return s;
}

inline std::vector<std::string> sorted_rules(const ValidationReport& r) {
  std::vector<std::string> rules = r.rules();
  std::sort(rules.begin(), rules.end());
  return rules;
}

// "<!-- expect: RSS-E05 APL-W03 -->" anywhere in the document (none: expect nothing).
inline std::vector<std::string> expected_rules(std::string_view doc) {
  std::vector<std::string> out;
  std::size_t at = doc.find("<!-- expect:");
  if (at == std::string_view::npos) {
    return out;
  }
  std::size_t end = doc.find("-->", at);
  std::istringstream words(std::string(doc.substr(at + 12, end - at - 12)));
  for (std::string w; words >> w;) {
    out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "<!-- feed-url: https://... -->" (the URL the corpus file pretends to come from), or "".
inline std::string feed_url_of(std::string_view doc) {
  std::size_t at = doc.find("<!-- feed-url:");
  if (at == std::string_view::npos) {
    return "";
  }
  std::size_t end = doc.find("-->", at);
  std::string url(doc.substr(at + 14, end - at - 14));
  url.erase(0, url.find_first_not_of(' '));
  url.erase(url.find_last_not_of(' ') + 1);
  return url;
}

// The document as the renderer builds it: skeleton (items removed) + one fragment per item,
// each fragment being whole lines from the "<item" line to the "</item>" line. nullopt when
// the items are not contiguous whole lines at the end of the channel.
struct Split {
  std::string skeleton;
  std::vector<std::string> fragments;
};

inline std::optional<Split> split_feed(const std::string& doc) {
  Split s;
  std::size_t pos = 0;
  std::size_t first = std::string::npos, last = std::string::npos;
  while (true) {
    std::size_t at = doc.find("<item", pos);
    while (at != std::string::npos && doc[at + 5] != '>' && doc[at + 5] != ' ') {
      at = doc.find("<item", at + 1);
    }
    if (at == std::string::npos) {
      break;
    }
    std::size_t line_start = doc.rfind('\n', at);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    if (doc.find_first_not_of(" \t", line_start) != at) {
      return std::nullopt;
    }
    std::size_t close = doc.find("</item>", at);
    if (close == std::string::npos) {
      return std::nullopt;
    }
    std::size_t line_end = doc.find('\n', close);
    line_end = line_end == std::string::npos ? doc.size() : line_end + 1;
    if (last != std::string::npos && line_start != last) {
      return std::nullopt;  // something between the items
    }
    if (first == std::string::npos) {
      first = line_start;
    }
    s.fragments.push_back(doc.substr(line_start, line_end - line_start));
    last = line_end;
    pos = line_end;
  }
  if (first == std::string::npos) {
    s.skeleton = doc;
    return s;
  }
  std::string tail = doc.substr(last);
  std::size_t close = tail.find("</channel>");
  if (close == std::string::npos || tail.find_first_not_of(" \t") != close) {
    return std::nullopt;  // channel content after the items
  }
  s.skeleton = doc.substr(0, first) + tail;
  return s;
}

}  // namespace podcastd::feeds::testing_util
