// `podcastd republish` as a process: the example show and the real sample pages publish feeds
// that clients nobody here wrote accept (xmllint, feedparser, gPodder's podcastparser, npm
// podcast-partytime) and that our validator passes; republishing unchanged content writes
// nothing; an invalid feed is never published; kill -9 at any moment never leaves a torn or
// invalid file behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <random>
#include <regex>

#include "tests/support/process.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kPython = "/usr/bin/python3";

CommandResult podcastd(const fs::path& cwd, const std::string& args) {
  return run_podcastd(cwd, args);
}

// Runs every external client on a published feed and checks GUIDs/enclosures come back.
void check_with_clients(const fs::path& feed, const std::vector<std::string>& guids) {
  SCOPED_TRACE(feed.string());
  CommandResult x = run_command("xmllint --noout " + shell_quote(feed.string()));
  EXPECT_EQ(x.exit_code, 0) << x.err;
  fs::path clients = source_dir() / "tests/clients";

  PODCASTD_NEED_TOOL(fs::exists(kPython), "/usr/bin/python3");
  CommandResult fp = run_command(std::string(kPython) + " " +
                                 shell_quote((clients / "feedparser_dump.py").string()) + " " +
                                 shell_quote(feed.string()));
  ASSERT_EQ(fp.exit_code, 0) << fp.err;
  json f = json::parse(fp.out);
  EXPECT_EQ(f["bozo"], 0) << f["bozo_exception"];
  ASSERT_EQ(f["entries"].size(), guids.size());
  for (std::size_t i = 0; i < guids.size(); ++i) {
    EXPECT_EQ(f["entries"][i]["id"], guids[i]);
    EXPECT_EQ(f["entries"][i]["enclosures"].size(), 1u);
  }

  CommandResult pp = run_command(std::string(kPython) + " " +
                                 shell_quote((clients / "podcastparser_dump.py").string()) + " " +
                                 shell_quote(feed.string()) + " http://127.0.0.1:8080/feed.xml");
  ASSERT_EQ(pp.exit_code, 0) << pp.err;
  json p = json::parse(pp.out);
  ASSERT_EQ(p["episodes"].size(), guids.size());
  for (std::size_t i = 0; i < guids.size(); ++i) EXPECT_EQ(p["episodes"][i]["guid"], guids[i]);

  bool node = run_command("command -v node >/dev/null").exit_code == 0 &&
              fs::exists(clients / "node_modules/podcast-partytime");
  PODCASTD_NEED_TOOL(node, "node with podcast-partytime (cd tests/clients && npm ci)");
  CommandResult pt = run_command("node " + shell_quote((clients / "partytime_dump.js").string()) +
                                 " " + shell_quote(feed.string()));
  ASSERT_EQ(pt.exit_code, 0) << pt.err;
  json t = json::parse(pt.out);
  ASSERT_EQ(t["items"].size(), guids.size());
  for (std::size_t i = 0; i < guids.size(); ++i) EXPECT_EQ(t["items"][i]["guid"], guids[i]);
  EXPECT_FALSE(t["guid"].get<std::string>().empty());  // podcast:guid
}

std::vector<std::string> guids_of(const std::string& xml) {
  std::vector<std::string> out;
  std::regex re("<guid isPermaLink=\"(?:true|false)\">([^<]+)</guid>");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

TEST(Publish, ExampleShowPassesEveryClientAndOurValidator) {
  TempDir dir;
  fs::copy(source_dir() / "examples/content", dir / "content", fs::copy_options::recursive);
  CommandResult r = podcastd(dir.path(), "republish");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("field-notes: published 4 items"), std::string::npos) << r.out;
  // The scheduled episode is kept out, with a warning naming its file.
  EXPECT_NE(r.out.find("field-notes/episodes/004-next.md: scheduled for 2026-12-15T07:00:00Z"),
            std::string::npos)
      << r.out;
  fs::path feed = dir / "public/field-notes/feed.xml";
  std::string xml = read_file(feed);
  std::vector<std::string> guids = guids_of(xml);
  ASSERT_EQ(guids.size(), 4u);
  check_with_clients(feed, guids);
  CommandResult v = podcastd(dir.path(), "validate field-notes");
  EXPECT_EQ(v.exit_code, 0) << v.out;
  EXPECT_NE(v.out.find("0 errors"), std::string::npos) << v.out;
  // Transcripts and chapters are published and referenced.
  EXPECT_TRUE(fs::exists(dir / "public/field-notes/episodes/001-the-pager/transcript.vtt"));
  EXPECT_TRUE(fs::exists(dir / "public/field-notes/episodes/001-the-pager/transcript.srt"));
  EXPECT_TRUE(fs::exists(dir / "public/field-notes/episodes/001-the-pager/chapters.json"));
  EXPECT_TRUE(
      fs::exists(dir / "public/field-notes/episodes/002-boring-technology/transcript.html"));
  EXPECT_NE(xml.find("/field-notes/episodes/001-the-pager/transcript.vtt\" type=\"text/vtt\""),
            std::string::npos);
  std::string gz;
  ASSERT_EQ(
      run_command("gzip -dc " + shell_quote((dir / "public/field-notes/feed.xml.gz").string())).out,
      xml);
}

TEST(Publish, SamplePagesPublishAFeedEveryClientReads) {
  PODCASTD_REQUIRE_SAMPLES(samples);
  TempDir dir;
  write_file(dir / "content/rip/show.toml", R"toml(title = "Rust in Production (samples)"
link = "https://rip.example"
author = "Matthias Endler"
image = "cover.jpg"
explicit = false
[owner]
name = "Test"
email = "test@example.com"
)toml");
  fs::copy_file(source_dir() / "examples/content/field-notes/cover.jpg",
                dir / "content/rip/cover.jpg");
  for (const auto& e : fs::directory_iterator(samples)) {
    if (e.path().extension() != ".txt") continue;
    fs::copy_file(e.path(), dir / "content/rip" / e.path().filename());
    if (e.path().stem() == "rip-show-page") continue;
    std::string why;
    ASSERT_TRUE(make_mp3(dir / "content/rip" / (e.path().stem().string() + ".mp3"), 1.0, &why))
        << why;
  }
  CommandResult r = podcastd(dir.path(), "republish");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string xml = read_file(dir / "public/rip/feed.xml");
  std::vector<std::string> guids = guids_of(xml);
  ASSERT_EQ(guids.size(), 4u) << r.out;
  // The show page filled the description and language show.toml left unset.
  EXPECT_NE(xml.find("<language>en</language>"), std::string::npos);
  EXPECT_NE(xml.find("<title>Svix with Tom Hacohen</title>"), std::string::npos);
  EXPECT_NE(xml.find("podcast:person role=\"guest\""), std::string::npos);
  check_with_clients(dir / "public/rip/feed.xml", guids);
  CommandResult v = podcastd(dir.path(), "validate rip");
  EXPECT_EQ(v.exit_code, 0) << v.out;
  // Everything listed without audio is reported, by file.
  EXPECT_NE(r.out.find("rip/rip-show-page.txt: no audio; not published"), std::string::npos);
}

TEST(Publish, NothingChangedWritesNothing) {
  TempDir dir;
  fs::copy(source_dir() / "examples/content", dir / "content", fs::copy_options::recursive);
  ASSERT_EQ(podcastd(dir.path(), "republish").exit_code, 0);
  std::map<std::string, fs::file_time_type> before;
  for (const auto& e : fs::recursive_directory_iterator(dir / "public")) {
    if (e.is_regular_file()) before[e.path().string()] = e.last_write_time();
  }
  CommandResult r = podcastd(dir.path(), "republish");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("(feed unchanged)"), std::string::npos) << r.out;
  std::map<std::string, fs::file_time_type> after;
  for (const auto& e : fs::recursive_directory_iterator(dir / "public")) {
    if (e.is_regular_file()) after[e.path().string()] = e.last_write_time();
  }
  EXPECT_EQ(before, after);
}

// Each `podcastd republish` is a new process: it reads the items the last one saved in
// state_dir/publish-cache and renders only the edited episode, with the bytes of a cold run.
TEST(Publish, StandaloneRepublishRendersOnlyTheEditedEpisode) {
  TempDir dir;
  fs::copy(source_dir() / "examples/content", dir / "content", fs::copy_options::recursive);
  auto shows_of = [](const CommandResult& r) {
    json j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
    std::map<std::string, json> shows;
    if (!j.is_discarded()) {
      for (const json& s : j["shows"]) shows[s["show"].get<std::string>()] = s;
    }
    return shows;
  };
  CommandResult cold = podcastd(dir.path(), "republish --json");
  ASSERT_EQ(cold.exit_code, 0) << cold.out << cold.err;
  std::map<std::string, json> first = shows_of(cold);
  ASSERT_TRUE(first.count("field-notes"));
  EXPECT_EQ(first["field-notes"]["items_rendered"], first["field-notes"]["items"]);
  EXPECT_TRUE(fs::exists(dir / "var/publish-cache/field-notes.items"));

  const fs::path md = dir / "content/field-notes/episodes/001-the-pager.md";
  std::string text = read_file(md);
  std::size_t at = text.find("title = \"");
  ASSERT_NE(at, std::string::npos) << text;
  text.insert(at + 9, "Revised: ");
  write_file(md, text);
  CommandResult warm = podcastd(dir.path(), "republish --json");
  ASSERT_EQ(warm.exit_code, 0) << warm.out << warm.err;
  std::map<std::string, json> second = shows_of(warm);
  EXPECT_EQ(second["field-notes"]["items_rendered"], 1) << warm.out;
  EXPECT_EQ(second["field-notes"]["changed"], true);
  std::string feed = read_file(dir / "public/field-notes/feed.xml");
  EXPECT_NE(feed.find("Revised: "), std::string::npos);

  // The same content published cold elsewhere gives the same bytes.
  TempDir other;
  fs::copy(dir / "content", other / "content", fs::copy_options::recursive);
  ASSERT_EQ(podcastd(other.path(), "republish").exit_code, 0);
  EXPECT_TRUE(read_file(other / "public/field-notes/feed.xml") == feed)
      << "a republish from the saved cache differs from a cold one";
  EXPECT_TRUE(read_file(other / "public/field-notes/feed.xml.gz") ==
              read_file(dir / "public/field-notes/feed.xml.gz"));
}

TEST(Publish, InvalidFeedIsNotPublishedAndTheLastGoodOneStays) {
  TempDir dir;
  fs::copy(source_dir() / "examples/content", dir / "content", fs::copy_options::recursive);
  ASSERT_EQ(podcastd(dir.path(), "republish").exit_code, 0);
  std::string good = read_file(dir / "public/field-notes/feed.xml");
  // Valid TOML, but the channel loses its title and description: validation errors.
  std::string toml = read_file(dir / "content/field-notes/show.toml");
  toml = std::regex_replace(toml, std::regex("title = \"Field Notes on Systems\"\n"), "");
  write_file(dir / "content/field-notes/show.toml", toml);
  CommandResult r = podcastd(dir.path(), "republish");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("RSS-E01"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("field-notes: NOT published"), std::string::npos) << r.out;
  EXPECT_EQ(read_file(dir / "public/field-notes/feed.xml"), good);
}

TEST(Publish, UnrelatedFilesInOutputDirAreNeverTouched) {
  TempDir dir;
  fs::copy(source_dir() / "examples/content", dir / "content", fs::copy_options::recursive);
  write_file(dir / "public/index.html", "mine");
  write_file(dir / "public/field-notes/robots.txt", "mine too");
  ASSERT_EQ(podcastd(dir.path(), "republish").exit_code, 0);
  fs::remove_all(dir / "content/field-notes/2026-03-interview");
  ASSERT_EQ(podcastd(dir.path(), "republish").exit_code, 0);
  EXPECT_EQ(read_file(dir / "public/index.html"), "mine");
  EXPECT_EQ(read_file(dir / "public/field-notes/robots.txt"), "mine too");
  EXPECT_FALSE(fs::exists(dir / "public/field-notes/episodes/2026-03-interview"));
}

// kill -9 at random moments of a republish: whatever is in output_dir is either absent or
// whole and valid; only podcastd's own hidden temporaries may be left, and the next run
// cleans them.
TEST(Publish, KillNineNeverLeavesATornFile) {
  TempDir dir;
  write_file(dir / "content/big/show.toml", R"(title = "Big"
link = "https://big.example"
description = "Many episodes."
language = "en"
image = "cover.jpg"
explicit = false
categories = ["Technology"]
[owner]
name = "A"
email = "a@example.com"
)");
  fs::copy_file(source_dir() / "examples/content/field-notes/cover.jpg",
                dir / "content/big/cover.jpg");
  std::string why;
  ASSERT_TRUE(make_mp3(dir / "tone.mp3", 1.0, &why)) << why;
  for (int i = 0; i < 400; ++i) {
    std::string n = std::to_string(1000 + i);
    write_file(dir / ("content/big/ep" + n + ".md"),
               "+++\ntitle = \"Episode " + n + "\"\ndate = 2024-01-01T00:00:00Z\nguid = \"ep-" + n +
                   "\"\n[[chapter]]\nstart = \"00:00:00\"\ntitle = \"Start\"\n+++\n" +
                   std::string(2000, 'x') + "\n");
    fs::create_hard_link(dir / "tone.mp3", dir / ("content/big/ep" + n + ".mp3"));
  }
  // Calibrate: how long a cold republish takes on this machine and build, so the kills land
  // inside runs (Release is several times faster than the sanitizer build).
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(podcastd(dir.path(), "republish").exit_code, 0);
  auto cold_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  t0 = std::chrono::steady_clock::now();
  write_file(dir / "content/big/ep1001.md",
             "+++\ntitle = \"Warm\"\ndate = 2024-01-01T00:00:00Z\n"
             "guid = \"ep-1001\"\n+++\nw\n");
  ASSERT_EQ(podcastd(dir.path(), "republish").exit_code, 0);
  auto warm_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  fs::remove_all(dir / "state");
  std::mt19937 rng(42);
  int kills = 0;
  for (int round = 0; round < 24; ++round) {
    // Change the content so each round has work to do.
    write_file(dir / "content/big/ep1000.md",
               "+++\ntitle = \"Episode 1000 v" + std::to_string(round) +
                   "\"\ndate = 2024-01-01T00:00:00Z\nguid = \"ep-1000\"\n+++\nv\n");
    if (round % 3 == 0) fs::remove_all(dir / "state");  // also cold runs
    Process p = Process::start({podcastd_binary().string(), "republish"}, {}, dir.path(),
                               dir / "republish.log");
    // Cold rounds take cold_ms; warm ones (one changed file) far less: kill early in both.
    int span = static_cast<int>((round % 3 == 0 ? cold_ms : warm_ms) * 9 / 10);
    std::uniform_int_distribution<int> delay(0, std::max(span, 1));
    bool exited = p.wait(std::chrono::milliseconds(delay(rng))).has_value();
    if (!exited) {
      p.signal(SIGKILL);
      p.wait(10s);
      ++kills;
    }
    // Every visible file is whole: feeds parse, gzip is complete, JSON documents parse.
    for (const auto& e : fs::recursive_directory_iterator(dir / "public")) {
      if (!e.is_regular_file()) continue;
      std::string name = e.path().filename().string();
      if (name.rfind(".podcastd-tmp-", 0) == 0) continue;
      if (name == "feed.xml") {
        CommandResult x = run_command("xmllint --noout " + shell_quote(e.path().string()));
        EXPECT_EQ(x.exit_code, 0) << "torn feed after round " << round << ": " << x.err;
      } else if (name == "feed.xml.gz") {
        EXPECT_EQ(run_command("gzip -t " + shell_quote(e.path().string())).exit_code, 0);
      } else if (e.path().extension() == ".json") {
        EXPECT_FALSE(json::parse(read_file(e.path()), nullptr, false).is_discarded()) << e.path();
      }
    }
  }
  EXPECT_GE(kills, 8) << "the kills rarely landed mid-run (cold " << cold_ms << " ms, warm "
                      << warm_ms << " ms)";
  CommandResult r = podcastd(dir.path(), "republish");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  CommandResult v = podcastd(dir.path(), "validate big");
  EXPECT_EQ(v.exit_code, 0) << v.out;
  for (const auto& e : fs::recursive_directory_iterator(dir / "public")) {
    EXPECT_NE(e.path().filename().string().rfind(".podcastd-tmp-", 0), 0u) << e.path();
  }
}

}  // namespace
}  // namespace podcastd::testing
