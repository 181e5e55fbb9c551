#include "bench/content_gen.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <initializer_list>
#include <stdexcept>

namespace podcastd::bench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTopics[] = {"async Rust in production",  "SQLite at the edge",
                                   "building a podcast daemon", "latency budgets",
                                   "the cost of abstractions",  "debugging distributed systems",
                                   "compilers for fun",         "writing good error messages"};
constexpr const char* kGuests[] = {"Ada Lovelace",   "Grace Hopper", "Alan Turing",
                                   "Barbara Liskov", "Ken Thompson", "Margaret Hamilton"};
constexpr const char* kGuestSlugs[] = {"ada", "grace", "alan", "barbara", "ken", "margaret"};

// Episode n is dated 2000-01-01 + n * 12 h: unique dates (so derived GUIDs never collide),
// all in the past for n < 19,000.
constexpr std::int64_t kEpoch = 946684800;
constexpr std::int64_t kStep = 43200;

void add(std::string& out, std::initializer_list<std::string_view> parts) {
  for (std::string_view p : parts) {
    out += p;
  }
}

std::string rfc3339(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string hms(int seconds) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return buf;
}

// A pronounceable tag unique per n ("ba", "be", ... "baba"): makes titles unique without
// putting a number in them (the validator warns about numbers in titles, APL-W08).
std::string tag(int n) {
  constexpr char kConsonants[] = "bdfgklmnprstvz";
  constexpr char kVowels[] = "aeiou";
  std::string out;
  do {
    out += kConsonants[n % 14];
    n /= 14;
    out += kVowels[n % 5];
    n /= 5;
  } while (n > 0);
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

}  // namespace

std::string_view topic(int i) { return kTopics[static_cast<std::size_t>(i) % std::size(kTopics)]; }
std::string_view guest(int i) { return kGuests[static_cast<std::size_t>(i) % std::size(kGuests)]; }

std::string episode_markdown(int n, int revision, Notes notes) {
  const std::string num = std::to_string(n);
  const std::string topic = std::string(bench::topic(n));
  const std::string guest = std::string(bench::guest(n));
  const std::string rev = revision > 0 ? " (take " + std::to_string(revision) + ")" : "";
  const int duration = 2400 + (n * 37) % 1800;
  std::string s;
  s.reserve(2600);
  add(s, {"+++\n",
          "title = \"",
          guest,
          " on ",
          topic,
          ": ",
          tag(n),
          rev,
          "\"\n",
          "date = ",
          rfc3339(kEpoch + static_cast<std::int64_t>(n) * kStep),
          "\n",
          "season = ",
          std::to_string(n / 100 + 1),
          "\n",
          "episode = ",
          num,
          "\n",
          "subtitle = \"A conversation about ",
          topic,
          "\"\n",
          "summary = \"",
          guest,
          " joins us to talk about ",
          topic,
          ", what works and what does not.\"\n",
          "explicit = false\n",
          "audio = \"https://cdn.example/ep",
          num,
          ".mp3\"\n",
          "length = ",
          std::to_string(30000000 + n * 1000),
          "\n",
          "mime = \"audio/mpeg\"\n",
          "duration = \"",
          hms(duration),
          "\"\n",
          "\n",
          "[[person]]\n",
          "name = \"",
          guest,
          "\"\n",
          "role = \"guest\"\n",
          "href = \"https://example.com/guests/",
          kGuestSlugs[n % 6],
          "\"\n",
          "\n",
          "[[chapter]]\n",
          "start = \"00:00:00\"\n",
          "title = \"Intro\"\n",
          "\n",
          "[[chapter]]\n",
          "start = \"",
          hms(duration / 3),
          "\"\n",
          "title = \"Meet ",
          guest,
          "\"\n",
          "+++\n"});
  add(s, {"In episode ", num, " we talk with **", guest, "** about ", topic,
          ": what works, what doesn't, and what we would do differently next time. It's a long "
          "conversation & we cover a lot of ground.",
          revision > 0 ? " Updated after listener feedback." : "", "\n\n"});
  if (notes == Notes::short_notes) {
    add(s, {"- [The paper we discussed](https://example.com/links/", num, "/1)\n",
            "- [Slides from the talk](https://example.com/links/", num, "/2)\n"});
    return s;
  }
  add(s, {guest, " has spent years on ", topic,
          ". We start with the first production incident that made the problem real, walk "
          "through the measurements that changed the team's mind, and end with the `three "
          "rules` they now apply to every new service.\n\n"});
  add(s, {"Along the way we discuss latency, throughput, back-pressure, careful error handling "
          "and the many small decisions that add up to software people enjoy using. There is a "
          "detour into *why benchmarks lie*, a story about a pager that went off during a "
          "wedding, and a short argument about tabs.\n\n"});
  add(s, {"## What we covered\n\n", "The first half is about ", topic,
          " in practice: how to tell a real regression from noise, which dashboards are worth "
          "keeping, and when to stop optimising. The second half is about people: onboarding, "
          "reviews, and writing documentation that survives a reorganisation. We close with "
          "listener questions about on-call rotations, flaky tests, code review etiquette and "
          "how to say no to a feature without making enemies.\n\n"});
  add(s, {"## Links\n\n", "- [The paper we discussed](https://example.com/links/", num,
          "/1) - the one ", guest, " recommended\n",
          "- [Slides from the talk](https://example.com/links/", num,
          "/2): with the benchmark numbers\n\n"});
  add(s, {"Music by Example Artist. Sponsored by Example Corp.\n"});
  return s;
}

std::string show_toml() {
  return R"(title = "Systems & Software Radio"
description = "Weekly conversations about building software that lasts."
author = "Example Media"
language = "en"
link = "https://example.com/"
image = "https://cdn.example/art-3000.jpg"
copyright = "© 2024 Example Media"
categories = ["Technology"]
explicit = false
type = "episodic"
locked = true
update_frequency = "Weekly"
update_rrule = "FREQ=WEEKLY"
medium = "podcast"
license = "CC-BY-4.0"

[owner]
name = "Jane Doe"
email = "jane@example.com"

[[person]]
name = "Jane Doe"
role = "host"
href = "https://example.com/jane"

[[funding]]
url = "https://example.com/support"
text = "Support the show"
)";
}

fs::path episode_path(const fs::path& content_dir, const ContentOptions& options, int n) {
  char name[32];
  std::snprintf(name, sizeof name, "%05d.md", n);
  return content_dir / options.show / "episodes" / name;
}

void write_file(const fs::path& file, std::string_view text) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error(file.string() + ": " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      int e = errno;
      ::close(fd);
      throw std::runtime_error(file.string() + ": " + std::strerror(e));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    throw std::runtime_error(file.string() + ": " + std::strerror(errno));
  }
}

std::size_t write_show(const fs::path& content_dir, const ContentOptions& options) {
  fs::create_directories(content_dir / options.show / "episodes");
  std::string show = show_toml();
  write_file(content_dir / options.show / "show.toml", show);
  std::size_t bytes = show.size();
  for (int n = 1; n <= options.episodes; ++n) {
    std::string md = episode_markdown(n, 0, options.notes);
    write_file(episode_path(content_dir, options, n), md);
    bytes += md.size();
  }
  return bytes;
}

}  // namespace podcastd::bench
