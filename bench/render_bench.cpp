// Rendering benchmark: a 10,000-item feed of realistic episodes (about 3.5 KB of XML each:
// show notes in HTML and text, enclosure, persons, transcripts, chapters inline as psc).
// Reports bytes/s of feed XML. bench/node/render_peers.mjs builds the same feed with the npm
// generators feedsmith and podcast for comparison.
//
//   cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-release --target podcastd_render_bench
//   build-release/bench/podcastd_render_bench
//   (cd bench/node && npm ci && node render_peers.mjs)

#include <benchmark/benchmark.h>

#include <cstdio>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bench/content_gen.hpp"
#include "catalog/model.hpp"
#include "feeds/rss.hpp"
#include "feeds/xml_writer.hpp"

namespace {

using podcastd::catalog::Episode;
using podcastd::catalog::Show;
using podcastd::feeds::ChannelInput;
using podcastd::feeds::ItemInput;

constexpr int kItems = 10000;
constexpr std::int64_t kNewest = 1712109988;  // Wed, 03 Apr 2024 02:06:28 +0000
constexpr std::string_view kRestText =
    ": what works, what doesn't, and what we would do differently next time. It's a long "
    "conversation & we cover a lot of ground.";
constexpr std::string_view kRestHtml =
    ": what works, what doesn't, and what we would do differently next time. It's a long "
    "conversation &amp; we cover a lot of ground.";
constexpr std::string_view kTopicsLine =
    "Topics include latency, throughput, back-pressure, careful error handling and the many "
    "small decisions that add up to software people enjoy using.";

// Keep in step with makeEpisode() in bench/node/render_peers.mjs.
struct Fixture {
  Show show;
  std::vector<Episode> episodes;
  ChannelInput channel;
  std::vector<ItemInput> items;
};

// Concatenation in one allocation.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) {
    out += p;
  }
  return out;
}

std::string hex12(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%012x", static_cast<unsigned>(i));
  return buf;
}

std::unique_ptr<Fixture> make_fixture() {
  auto f = std::make_unique<Fixture>();
  Show& s = f->show;
  s.slug = "bench";
  s.title = "Systems & Software Radio";
  s.description = "<p>Weekly conversations about building software that lasts.</p>";
  s.author = "Example Media";
  s.language = "en";
  s.link = "https://example.com/";
  s.copyright = "© 2024 Example Media";
  s.owner_name = "Jane Doe";
  s.owner_email = "jane@example.com";
  s.categories = {"Technology", "Education > Courses"};
  s.explicit_content = false;
  s.type = "episodic";
  s.locked = true;
  s.funding = {{"https://example.com/support", "Support the show"}};
  s.persons = {{"Jane Doe", "host", "", "https://example.com/jane", "", ""},
               {"Tom Smith", "co-host", "", "https://example.com/tom", "", ""}};
  s.medium = "podcast";
  s.license = "CC-BY-4.0";
  s.update_frequency = "Weekly";
  s.update_frequency_rrule = "FREQ=WEEKLY";

  f->episodes.resize(kItems);
  f->items.resize(kItems);
  for (int i = 0; i < kItems; ++i) {
    const int n = kItems - i;
    const std::string num = std::to_string(n);
    const std::string topic = std::string(podcastd::bench::topic(i));
    const std::string guest = std::string(podcastd::bench::guest(i));
    Episode& e = f->episodes[i];
    e.guid = cat({"6b0c5a3e-8f1d-4a53-9d0e-", hex12(i)});
    e.title = cat({"Episode ", num, ": ", topic, " with ", guest});
    e.subtitle = cat({"A conversation about ", topic});
    const std::string first =
        cat({"In episode ", num, " we talk with ", guest, " about ", topic, kRestText});
    e.summary = first;
    std::string html = cat({"<p>In episode ", num, " we talk with ", guest, " about ", topic,
                            kRestHtml, "</p>\n<p>", kTopicsLine, "</p>\n<ul>\n"});
    std::string text = cat({first, "\n", kTopicsLine, "\n"});
    for (int k = 1; k <= 5; ++k) {
      const std::string ks = std::to_string(k);
      const std::string url = cat({"https://example.com/links/", num, "/", ks});
      html += cat({"<li><a href=\"", url, "\">Link ", ks,
                   ": the paper, talk or tool we discussed</a></li>\n"});
      text += cat({"- Link ", ks, ": the paper, talk or tool we discussed (", url, ")\n"});
    }
    html += "</ul>\n<p>Music by Example Artist. Sponsored by Example Corp.</p>";
    text += "Music by Example Artist. Sponsored by Example Corp.";
    e.notes_html = std::move(html);
    e.notes_text = std::move(text);
    e.link = cat({"https://example.com/episodes/", num});
    e.date = kNewest - static_cast<std::int64_t>(i) * 604800;
    e.season = n / 50 + 1;
    e.number = n;
    e.explicit_content = i % 7 == 0;
    e.enclosure = podcastd::catalog::Enclosure{
        "", "", 40000000 + static_cast<std::int64_t>(i) * 1000, "audio/mpeg", 3000.0 + i % 600,
        128};
    e.persons = {
        {guest, "guest", "", cat({"https://example.com/guests/", std::to_string(i % 6)}), "", ""}};
    e.chapters = {{0, std::nullopt, "Intro", "", "", true},
                  {120, std::nullopt, cat({"Meet ", guest}), "", "", true},
                  {900, std::nullopt, "The problem", "", "", true},
                  {1800, std::nullopt, "What we learned",
                   cat({"https://example.com/links/", num, "/1"}), "", true},
                  {2700, std::nullopt, "Wrap-up", "", "", true}};
    e.soundbites = {{600.5, 45, "The best minute"}};

    ItemInput& in = f->items[i];
    const std::string base = "https://cdn.example.com/show/episodes/" + num;
    in.episode = &e;
    in.enclosure_url = base + ".mp3";
    in.image_url = base + ".jpg";
    in.transcripts = {{base + "/transcript.vtt", "text/vtt", "en", true},
                      {base + "/transcript.srt", "application/x-subrip", "en", true}};
    in.chapters_url = base + "/chapters.json";
  }

  ChannelInput& c = f->channel;
  c.show = &f->show;
  c.feed_url = "https://feeds.example.com/show/feed.xml";
  c.image_url = "https://cdn.example.com/show/art-3000.jpg";
  c.podcast_guid = "917393e3-1b1e-5cef-ace4-edaa54e1f810";
  c.hubs = {"https://pubsubhubbub.appspot.com/"};
  c.uses_podping = true;
  c.generator = "podcastd 0.1.0";
  c.last_build_date = kNewest;
  return f;
}

const Fixture& fixture() {
  static const std::unique_ptr<Fixture> f = make_fixture();
  return *f;
}

// The whole feed, items rendered straight into one buffer.
void BM_RenderFeed10k(benchmark::State& state) {
  const Fixture& f = fixture();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string xml = podcastd::feeds::render_feed(f.channel, f.items);
    bytes = xml.size();
    benchmark::DoNotOptimize(xml.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["feed_bytes"] = static_cast<double>(bytes);
  state.counters["items"] = kItems;
}
BENCHMARK(BM_RenderFeed10k)->Unit(benchmark::kMillisecond);

// Every item as its own fragment (what the publisher caches).
void BM_RenderItems10k(benchmark::State& state) {
  const Fixture& f = fixture();
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    for (const ItemInput& item : f.items) {
      std::string fragment = podcastd::feeds::render_item(item, f.show);
      bytes += fragment.size();
      benchmark::DoNotOptimize(fragment.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_RenderItems10k)->Unit(benchmark::kMillisecond);

// Splicing cached fragments into the document (a republish where no item changed).
void BM_SpliceCachedFragments10k(benchmark::State& state) {
  const Fixture& f = fixture();
  std::vector<std::string> fragments;
  for (const ItemInput& item : f.items) {
    fragments.push_back(podcastd::feeds::render_item(item, f.show));
  }
  std::vector<std::string_view> views(fragments.begin(), fragments.end());
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string xml = podcastd::feeds::render_feed(f.channel, views);
    bytes = xml.size();
    benchmark::DoNotOptimize(xml.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_SpliceCachedFragments10k)->Unit(benchmark::kMillisecond);

// The escaping primitive on show-notes text with a few entities per line.
void BM_EscapeText(benchmark::State& state) {
  std::string input;
  while (input.size() < (1 << 20)) {
    input += "Caf\xC3\xA9 notes: latency < 5 ms & throughput > 1 GB/s, \"quoted\" text.\n";
  }
  std::string out;
  for (auto _ : state) {
    out.clear();
    podcastd::feeds::xml::append_text(out, input);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(input.size()) * state.iterations());
}
BENCHMARK(BM_EscapeText);

}  // namespace

BENCHMARK_MAIN();
